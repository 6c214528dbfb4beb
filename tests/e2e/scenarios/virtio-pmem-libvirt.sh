# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-libvirt: the JSON -device libvirt emits for
# <memory model='virtio-pmem'>, with memaddr (5 GiB), bus=pci.0 and
# addr=0x5.  The guest finds the PCI function at 00:05.0 with virtio's ids,
# and the region where memaddr put it.
SC_BOOTS=1
SC_DESC="libvirt's JSON virtio-pmem-pci (memaddr, bus, addr) as written"
SC_DEVICES="virtio-pmem-pci"
OFFSET=$((4096 * 12))

sc_setup() {
    VP0=$(e2e_backing vp0.img 512M)
}

sc_vm_args() {
    VM_ARGS="-m 2G,maxmem=8G
        -object {\"qom-type\":\"memory-backend-file\",\"id\":\"memvirtiopmem0\",\"mem-path\":\"$VP0\",\"share\":true,\"size\":536870912}
        -device {\"driver\":\"virtio-pmem-pci\",\"memdev\":\"memvirtiopmem0\",\"memaddr\":5368709120,\"id\":\"virtiopmem0\",\"bus\":\"pci.0\",\"addr\":\"0x5\"}"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    d=/sys/bus/pci/devices/0000:00:05.0
    e2e_sysfs pci_vendor "$d/vendor"
    e2e_sysfs pci_device "$d/device"
    e2e_sysfs region0.resource /sys/bus/nd/devices/region0/resource
    e2e_sysfs region0.size /sys/bus/nd/devices/region0/size
    e2e_pattern libvirt >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
}

sc_check() {
    expect_eq pci_vendor 0x1af4
    expect_eq pci_device 0x105b
    expect_eq region0.resource 0x140000000
    expect_eq region0.size 536870912
    expect_eq dd_rc 0
    expect backing_has_pattern backing_has_pattern "$VP0" $OFFSET libvirt
}
