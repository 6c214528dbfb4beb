# SPDX-License-Identifier: GPL-2.0-or-later
# probe: boots, reports the CPUs and whether the NVDIMM stack loaded.
# Used to find out whether a VMM/accelerator pair can boot the guest at all.
SC_BOOTS=1
SC_DESC="guest boots and powers off"

sc_vm_args() {
    VM_ARGS="-m 512M"
}

sc_guest() {
    e2e_result cpus "$(grep -c ^processor /proc/cpuinfo)"
    e2e_result probe ok
}

sc_check() {
    expect_eq probe ok
}
