# SPDX-License-Identifier: GPL-2.0-or-later
# persistence-cpu: -machine nvdimm-persistence=cpu; the guest's region reports
# persistence_domain "cpu_cache" (from the NFIT platform capabilities).
SC_BOOTS=1
SC_DESC="nvdimm-persistence=cpu gives persistence domain cpu_cache"
SC_MACHINE="nvdimm=on,nvdimm-persistence=cpu"

sc_setup() {
    e2e_one_nvdimm_setup 128M
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /sys/bus/nd/devices/region0 10
    e2e_section ndctl_list ndctl list -R
    e2e_report_nd
}

sc_check() {
    expect_eq region0.persistence_domain cpu_cache
    expect_eq region0.size 134217728
}
