# SPDX-License-Identifier: GPL-2.0-or-later
# boot-bench-pvh: the boot-bench guest, booted from the kernel's own ELF
# vmlinux through its PVH entry (SC_VMLINUX=1, see pvh.sh) instead of the
# bzImage: no decompressor in the guest, on either VMM. For
#   BOOT_BENCH_SCENARIO=boot-bench-pvh tests/bench/boot.sh
SC_VMLINUX=1
# shellcheck source=/dev/null
. "$E2E_DIR/scenarios/boot-bench.sh"
SC_DESC="boot-bench from the ELF vmlinux (PVH entry)"

sc_vm_args() {
    e2e_one_nvdimm_args
    SC_KERNEL=$E2E_VMLINUX
}
