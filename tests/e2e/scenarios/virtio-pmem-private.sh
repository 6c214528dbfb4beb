# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-private: share=off.  The host puts a pattern in the file
# first: the guest reads it (a private mapping still shows the file).  The
# guest writes a pattern of its own with conv=fsync (a virtio flush) and
# reads it back (its own writes are there), but the backing file is
# unchanged, byte for byte: a private mapping keeps guest writes out of it.
SC_BOOTS=1
SC_DESC="virtio-pmem with share=off: the guest reads its writes, the file is untouched"
SC_DEVICES="virtio-pmem-pci"
OFF_HOST=$((4096 * 33))
OFFSET=$((4096 * 55))

sc_setup() {
    VP0=$(e2e_backing vp0.img 128M)
    backing_put_pattern "$VP0" $OFF_HOST private-host
    backing_snapshot "$VP0"
}

sc_vm_args() {
    VM_ARGS="-m 1G,maxmem=4G
        -object memory-backend-file,id=mem0,share=off,mem-path=$VP0,size=128M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    if e2e_block_has_pattern /dev/pmem0 $OFF_HOST private-host; then
        e2e_result host_pattern seen
    else
        e2e_result host_pattern missing
    fi
    e2e_pattern private >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
    if e2e_block_has_pattern /dev/pmem0 $OFFSET private; then
        e2e_result readback ok
    else
        e2e_result readback different
    fi
}

sc_check() {
    expect_eq host_pattern seen
    expect_eq dd_rc 0
    expect_eq readback ok
    expect file_untouched backing_unchanged "$VP0"
}
