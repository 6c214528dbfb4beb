# SPDX-License-Identifier: GPL-2.0-or-later
# boot-trace: a tool, like probe (not in run-all's lists). Boots the
# boot-bench machine (one 256 MiB NVDIMM), runs `ndctl list`, and prints
# the kernel's log with its timestamps, to see where boot time goes on
# each VMM without slowing the boot with console output, and the CPUID
# leaves the guest sees (compare pmemvm's -cpu with QEMU's). With
# E2E_GUEST_ARGS="quiet initcall_debug" the log also times every initcall:
#   E2E_GUEST_ARGS="quiet initcall_debug" tests/e2e/run-all.sh boot-trace
SC_BOOTS=1
SC_DESC="kernel log of a boot-bench boot"

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list
    e2e_section dmesg dmesg
    e2e_section cpuid e2e-poke cpuid 0 1 2 4.0 4.1 4.2 4.3 5 6 7.0 7.1 0xa \
        0xb.0 0xb.1 0xd.0 0xd.1 0xd.2 0x40000000 0x40000001 0x80000000 \
        0x80000001 0x80000002 0x80000003 0x80000004 0x80000005 0x80000006 \
        0x80000007 0x80000008 0x8000000a
    e2e_section cpuinfo_flags grep -m 1 '^flags' /proc/cpuinfo
}

sc_check() {
    expect_eq ndctl_list.rc 0
    expect_eq dmesg.rc 0
}
