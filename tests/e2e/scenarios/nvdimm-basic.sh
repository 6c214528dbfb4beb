# SPDX-License-Identifier: GPL-2.0-or-later
# nvdimm-basic: one label-less 256 MiB NVDIMM. The guest sees nmem0,
# region0 of exactly 256 MiB and a raw namespace0.0 with /dev/pmem0; a
# pattern written to /dev/pmem0 lands at the same offset of the backing file.
SC_BOOTS=1
SC_DESC="one NVDIMM, raw namespace, data reaches the backing file"
SIZE=268435456                       # 256 MiB
OFFSET=$((1234 * 4096))

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list -NRD
    e2e_report_nd
    e2e_pattern nvdimm-basic >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
    dd if=/dev/pmem0 bs=4096 skip=$((OFFSET / 4096)) count=1 2>/dev/null |
        cmp -s - /tmp/pattern
    e2e_result readback_rc $?
}

sc_check() {
    expect_eq nmem0 present
    expect_eq region0.size $SIZE
    expect_eq namespace0.0.mode raw
    expect_eq namespace0.0.size $SIZE
    expect_eq namespace0.0.blockdev pmem0
    expect_eq ndctl_list.rc 0
    expect_eq dd_rc 0
    expect_eq readback_rc 0
    expect backing_has_pattern backing_has_pattern "$NV0" $OFFSET nvdimm-basic
}
