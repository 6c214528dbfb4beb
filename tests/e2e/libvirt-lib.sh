#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A libvirtd of our own for the libvirt e2e items (libvirt-job.sh): Debian's
# libvirt-daemon-system, as root, in a private mount namespace whose
# /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and
# /var/log/libvirt are directories under LV_DIR (the host's, or the outer
# VM's read-only root, are left alone).  qemu.conf: security driver none,
# the VMM runs as root, no cgroups or namespaces, stdio to files (no
# virtlogd).  Its monitor traffic is logged to LV_DIR/log/libvirtd.log.

# lv_start DIR : start libvirtd; sets LV_PID and LIBVIRT_DEFAULT_URI.
lv_start() {
    LV_DIR=$1
    local d=$1 i
    # /run/lock: where libvirtd locks a pty for "virsh console" (/var/lock
    # points there; the outer VM's /run starts empty)
    mkdir -p "$d/etc" "$d/run" "$d/lib" "$d/cache" "$d/log" /run/libvirt \
        /run/lock
    cat >"$d/etc/libvirtd.conf" <<EOT
log_filters="1:qemu.qemu_monitor 1:qemu.qemu_process 3:util 3:rpc 3:conf 3:security 3:event 3:object 3:access 3:node_device 3:systemd 3:cpu"
log_outputs="1:file:$d/log/libvirtd.log"
unix_sock_dir="$d/run"
EOT
    cat >"$d/etc/qemu.conf" <<EOT
security_driver = "none"
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
stdio_handler = "file"
namespaces = [ ]
cgroup_controllers = [ ]
EOT
    unshare -m --propagation private sh -c "
        mount --bind '$d/etc' /etc/libvirt &&
        mount --bind '$d/run' /run/libvirt &&
        mount --bind '$d/lib' /var/lib/libvirt &&
        mount --bind '$d/cache' /var/cache/libvirt &&
        mount --bind '$d/log' /var/log/libvirt &&
        exec /usr/sbin/libvirtd --config '$d/etc/libvirtd.conf'" \
        >"$d/libvirtd.out" 2>&1 &
    LV_PID=$!
    export LIBVIRT_DEFAULT_URI="qemu:///system?socket=$d/run/libvirt-sock"
    for i in $(seq 1 120); do
        [ -S "$d/run/libvirt-sock" ] && virsh version >/dev/null 2>&1 && return 0
        kill -0 "$LV_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "libvirtd did not come up: $(tail -n 3 "$d/libvirtd.out")" >&2
    return 1
}

lv_stop() {
    [ -n "${LV_PID:-}" ] || return 0
    kill -TERM "$LV_PID" 2>/dev/null
    wait "$LV_PID" 2>/dev/null
    LV_PID=""
}

# lv_domain_xml NAME EMULATOR KERNEL INITRD CMDLINE NVDIMM_FILE : our pmem
# domain.  KVM (LV_VIRT_TYPE=qemu: TCG, to debug these scripts with QEMU
# on a host without /dev/kvm), 512 MiB in one NUMA node (libvirt wants one for memory
# devices), that node's RAM bound to host node 0 (<numatune><memnode>:
# libvirt gives its backend host-nodes and policy=bind), room for hotplug
# (4 slots, 8 GiB), one 128 MiB NVDIMM with a
# label area at boot (so that -machine nvdimm=on is there for hot-adds),
# the console on a pty, and no USB controller or balloon, which pmemvm does
# not model.
lv_domain_xml() {
    cat <<EOT
<domain type='${LV_VIRT_TYPE:-kvm}'>
  <name>$1</name>
  <memory unit='MiB'>640</memory>
  <maxMemory slots='4' unit='GiB'>8</maxMemory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$3</kernel>
    <initrd>$4</initrd>
    <cmdline>$5</cmdline>
  </os>
  <features><acpi/></features>
  <cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/></numa></cpu>
  <numatune><memnode cellid='0' mode='strict' nodeset='0'/></numatune>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>$2</emulator>
    <controller type='usb' model='none'/>
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='none'/>
$(lv_nvdimm_xml "$6")
  </devices>
</domain>
EOT
}

# lv_nvdimm_xml FILE : a 128 MiB NVDIMM with labels, for attach-device.
lv_nvdimm_xml() {
    cat <<EOT
<memory model='nvdimm' access='shared'>
  <source><path>$1</path></source>
  <target>
    <size unit='KiB'>131072</size>
    <node>0</node>
    <label><size unit='KiB'>128</size></label>
  </target>
</memory>
EOT
}

# lv_virtio_pmem_xml FILE : a 128 MiB virtio-pmem device.
lv_virtio_pmem_xml() {
    cat <<EOT
<memory model='virtio-pmem' access='shared'>
  <source><path>$1</path></source>
  <target><size unit='KiB'>131072</size></target>
</memory>
EOT
}
