# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-readonly: a virtio-pmem device on a read-only backend
# (readonly=on).  virtio-pmem has no read-only flag for the guest (unlike
# an NVDIMM's unarmed=on), so the guest's /dev/pmem0 looks writable.  The
# guest reads what the host put in the file, writes a pattern of its own
# with conv=fsync and reads the place back; the backing file is unchanged
# and the VMM lives on.  The write "succeeds" and reads back as the old
# bytes: the stores are dropped, on QEMU 7.2 as on pmemvm
# (docs/system/virtio-pmem.md).
SC_BOOTS=1
SC_DESC="virtio-pmem on a read-only backend: the guest reads the file, its writes never reach it"
SC_DEVICES="virtio-pmem-pci"
OFF_HOST=$((4096 * 21))
OFFSET=$((4096 * 42))

sc_setup() {
    VP0=$(e2e_backing vp0.img 128M)
    backing_put_pattern "$VP0" $OFF_HOST ro-host
    backing_snapshot "$VP0"
}

sc_vm_args() {
    VM_ARGS="-m 1G,maxmem=4G
        -object memory-backend-file,id=mem0,share=on,readonly=on,mem-path=$VP0,size=128M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_report_nd
    e2e_result blockdev_ro "$(blockdev --getro /dev/pmem0 2>&1)"
    if e2e_block_has_pattern /dev/pmem0 $OFF_HOST ro-host; then
        e2e_result host_pattern seen
    else
        e2e_result host_pattern missing
    fi
    e2e_pattern ro-guest >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result write_rc $?
    dd if=/dev/pmem0 of=/tmp/back bs=4096 skip=$((OFFSET / 4096)) count=1 \
        iflag=direct 2>/dev/null
    if e2e_block_has_pattern /dev/pmem0 $OFFSET ro-guest; then
        e2e_result readback guest-pattern
    elif [ "$(od -An -v -tx1 /tmp/back | tr -d ' \n0' | wc -c)" -eq 0 ]; then
        e2e_result readback zeros
    else
        e2e_result readback other
    fi
}

sc_check() {
    expect_eq region0.size 134217728
    expect_eq host_pattern seen
    expect file_untouched backing_unchanged "$VP0"
    # What the guest sees (docs/system/virtio-pmem.md), the same on QEMU
    # 7.2: a writable-looking device whose stores are dropped, so that a
    # write "succeeds" and the place reads back as before (zeros here).
    expect_eq region0.read_only 0
    expect_eq blockdev_ro 0
    expect_eq write_rc 0
    expect_eq readback zeros
}
