# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-sigkill: the guest writes a pattern to /dev/pmem0 of a
# virtio-pmem device with conv=fsync (a virtio flush the host answers
# after its fdatasync) and says so; the host then SIGKILLs the VMM.  The
# pattern must be in the backing file.
SC_BOOTS=1
SC_DESC="virtio-pmem: data the guest flushed survives SIGKILL of the VMM"
SC_DEVICES="virtio-pmem-pci"
SC_NO_END="1"
OFFSET=$((4096 * 777))

sc_setup() {
    VP0=$(e2e_backing vp0.img 128M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,maxmem=4G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=128M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_pattern vp-sigkill >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
    echo "E2E-KILL-ME"
    sleep 3600
}

sc_watch() {
    if [ -z "${KILLED:-}" ] && tr -d '\r' <"$2" | grep -q '^E2E-KILL-ME'; then
        kill -KILL "$3"
        KILLED=1
        echo "sent SIGKILL to $3" >>"$ITEM_DIR/checks.log"
    fi
}

sc_check() {
    expect_eq dd_rc 0
    expect_eq vmm_rc 137
    expect_eq guest_end missing
    expect backing_has_pattern backing_has_pattern "$VP0" $OFFSET vp-sigkill
}
