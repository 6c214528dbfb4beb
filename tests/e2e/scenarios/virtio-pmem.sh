# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem: a 256 MiB virtio-pmem-pci device. The guest sees a region
# backed by virtio_pmem and /dev/pmem0; data written with conv=fsync (a
# virtio flush request) is in the backing file.
SC_BOOTS=1
SC_DESC="virtio-pmem-pci device, flush reaches the backing file"
SC_MACHINE=""
SC_DEVICES="virtio-pmem-pci"       # pmemvm: SKIP until it has it
OFFSET=$((4096 * 99))

sc_setup() {
    VP0=$(e2e_backing vp0.img 256M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=256M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list -NR
    e2e_report_nd
    e2e_result driver "$(basename "$(readlink /sys/bus/virtio/devices/virtio0/driver 2>/dev/null)")"
    e2e_pattern virtio-pmem >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
}

sc_check() {
    expect_eq driver virtio_pmem
    expect_eq region0.size 268435456
    expect_eq namespace0.0.blockdev pmem0
    expect_eq dd_rc 0
    expect backing_has_pattern backing_has_pattern "$VP0" $OFFSET virtio-pmem
}
