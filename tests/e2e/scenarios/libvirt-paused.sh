# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt-paused: a real libvirtd (Debian's libvirt 9.0, its own config,
# run and state directories, as root, security driver none) runs the VMM as
# its QEMU: domcapabilities, define, start --paused, dominfo, ttyconsole,
# attach-device of an NVDIMM and of a virtio-pmem device (object-add +
# device_add), detach-device of the virtio-pmem, destroy, undefine.  No
# guest code runs.  Run by tests/e2e/libvirt-job.sh (tests/e2e/run-libvirt.sh),
# not by job.sh.
# No guest boots; one boot is the outer VM's time budget for the item.
SC_BOOTS=1
SC_DESC="libvirtd manages a paused domain: probe, define, start, hotplug"
SC_DEVICES="nvdimm virtio-pmem-pci"
