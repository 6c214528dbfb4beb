# SPDX-License-Identifier: GPL-2.0-or-later
# readonly: a read-only backend (readonly=on) under an unarmed NVDIMM
# (unarmed=on). The guest sees a read-only region and /dev/pmem0, reads
# what the host put in the file, cannot write; the file is unchanged.
SC_BOOTS=1
SC_DESC="read-only backend, unarmed NVDIMM"
OFFSET=$((77 * 4096))

sc_setup() {
    NV0=$(e2e_backing nv0.img 128M)
    e2e_pattern readonly-host |
        dd of="$NV0" bs=4096 seek=$((OFFSET / 4096)) conv=notrunc 2>/dev/null
    SUM_BEFORE=$(sha256sum <"$NV0")
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,readonly=on,mem-path=$NV0,size=128M
        -device nvdimm,id=nvdimm0,memdev=mem0,unarmed=on"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list -NRD
    e2e_report_nd
    e2e_result blockdev_ro "$(blockdev --getro /dev/pmem0 2>&1)"
    e2e_pattern readonly-host >/tmp/expected
    dd if=/dev/pmem0 bs=4096 skip=$((OFFSET / 4096)) count=1 2>/dev/null |
        cmp -s - /tmp/expected
    e2e_result read_rc $?
    e2e_pattern readonly-guest >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync
    e2e_result write_rc $?
}

backing_unchanged() {
    [ "$(sha256sum <"$NV0")" = "$SUM_BEFORE" ]
}

sc_check() {
    expect_eq nmem0 present
    expect_eq region0.read_only 1
    expect_eq blockdev_ro 1
    expect_eq namespace0.0.blockdev pmem0
    expect_eq read_rc 0
    expect_ne write_rc 0
    expect backing_unchanged backing_unchanged
}
