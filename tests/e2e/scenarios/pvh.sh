# SPDX-License-Identifier: GPL-2.0-or-later
# pvh: the kernel's own ELF vmlinux (taken out of the bzImage by the
# harness, SC_VMLINUX=1) as -kernel, booted through its PVH entry note as
# QEMU does: no decompressor in the guest. The guest sees the same NVDIMM
# as in nvdimm-basic, the boot_params its kernel builds after a PVH entry,
# its command line and initrd (this init runs), and the e820 map.
SC_BOOTS=1
SC_VMLINUX=1
SC_DESC="ELF vmlinux through the PVH entry, one NVDIMM"
SIZE=268435456                       # 256 MiB
OFFSET=$((4321 * 4096))

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
    SC_KERNEL=$E2E_VMLINUX
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list -NRD
    e2e_report_nd
    # The kernel builds boot_params from hvm_start_info after a PVH entry
    # (arch/x86/platform/pvh/enlighten.c): protocol 2.12 and, outside
    # Xen, loader type 0xB0; a bzImage's header says 2.15 here.
    e2e_result boot_protocol \
        "$(od -An -tx2 -j $((0x206)) -N2 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result type_of_loader \
        "$(od -An -tx1 -j $((0x210)) -N1 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result ram_ranges "$(grep -c 'System RAM' /proc/iomem)"
    e2e_pattern pvh >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
}

sc_check() {
    expect_eq boot_protocol 020c
    expect_eq type_of_loader b0
    expect_eq nmem0 present
    expect_eq region0.size $SIZE
    expect_eq namespace0.0.mode raw
    expect_eq namespace0.0.blockdev pmem0
    expect_eq ndctl_list.rc 0
    expect_eq ram_ranges 2
    expect_eq dd_rc 0
    expect backing_has_pattern backing_has_pattern "$NV0" $OFFSET pvh
}
