# pvh: the kernel's own ELF vmlinux (taken out of the bzImage by the
# harness, SC_VMLINUX=1) as -kernel, booted through its PVH entry note as
# QEMU does: no decompressor in the guest. The guest sees the same NVDIMM
# as in nvdimm-basic, a Xen-PVH boot loader type in its boot_params (the
# kernel builds them from hvm_start_info), its command line and initrd
# (this init runs), and the e820 map the VMM gave.
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
    # boot_params.hdr.type_of_loader (0x210): 0x90, "Xen", after PVH.
    e2e_result type_of_loader \
        "$(od -An -tx1 -j $((0x210)) -N1 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result ram_ranges "$(grep -c 'System RAM' /proc/iomem)"
    e2e_pattern pvh >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
}

sc_check() {
    expect_eq type_of_loader 90
    expect_eq nmem0 present
    expect_eq region0.size $SIZE
    expect_eq namespace0.0.mode raw
    expect_eq namespace0.0.blockdev pmem0
    expect_eq ndctl_list.rc 0
    expect_eq ram_ranges 2
    expect_eq dd_rc 0
    expect backing_has_pattern backing_has_pattern "$NV0" $OFFSET pvh
}
