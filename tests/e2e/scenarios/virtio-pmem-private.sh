# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-private: share=off.  The guest writes a flushed pattern and
# reads it back (its own writes are there), but the backing file is
# unchanged: a private mapping keeps guest writes out of it.
SC_BOOTS=1
SC_DESC="virtio-pmem with share=off: the guest reads its writes, the file is untouched"
SC_DEVICES="virtio-pmem-pci"
OFFSET=$((4096 * 55))

sc_setup() {
    VP0=$(e2e_backing vp0.img 128M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,maxmem=4G
        -object memory-backend-file,id=mem0,share=off,mem-path=$VP0,size=128M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_pattern private >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
    dd if=/dev/pmem0 of=/tmp/back bs=4096 skip=$((OFFSET / 4096)) count=1 \
        iflag=direct 2>/dev/null
    if cmp -s /tmp/pattern /tmp/back; then
        e2e_result readback ok
    else
        e2e_result readback different
    fi
}

# The file still holds zeros where the guest wrote.
file_untouched() {
    [ "$(od -An -v -tx1 -j "$OFFSET" -N 4096 "$1" | tr -d ' \n' |
         tr -d 0 | wc -c)" -eq 0 ]
}

sc_check() {
    expect_eq dd_rc 0
    expect_eq readback ok
    expect file_untouched file_untouched "$VP0"
}
