# SPDX-License-Identifier: GPL-2.0-or-later
# boot-bench: the guest of tests/bench/boot.sh (not in run-all's lists):
# one label-less 256 MiB NVDIMM, and `ndctl list` as soon as /dev/pmem0 is
# there. The benchmark times the VMM from its start to the first line of
# that output on the console; as a scenario it checks that ndctl worked.
SC_BOOTS=1
SC_DESC="boot to the first ndctl list line (the guest of the boot benchmark)"

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list
}

sc_check() {
    expect_eq ndctl_list.rc 0
}
