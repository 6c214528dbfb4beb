# persistence-memctrl: -machine nvdimm-persistence=mem-ctrl; the guest's region reports
# persistence_domain "memory_controller" (from the NFIT platform capabilities).
SC_BOOTS=1
SC_DESC="nvdimm-persistence=mem-ctrl gives persistence domain memory_controller"
SC_MACHINE="nvdimm=on,nvdimm-persistence=mem-ctrl"

sc_setup() {
    NV0=$(e2e_backing nv0.img 128M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=128M
        -device nvdimm,id=nvdimm0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /sys/bus/nd/devices/region0 10
    e2e_section ndctl_list ndctl list -R
    e2e_report_nd
}

sc_check() {
    expect_eq region0.persistence_domain memory_controller
    expect_eq region0.size 134217728
}
