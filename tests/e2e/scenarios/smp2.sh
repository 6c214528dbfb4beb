# SPDX-License-Identifier: GPL-2.0-or-later
# smp2: -smp 2; both vCPUs come online and the NVDIMM still works.
SC_BOOTS=1
SC_DESC="two vCPUs online"

sc_setup() {
    NV0=$(e2e_backing nv0.img 128M)
}

sc_vm_args() {
    SC_SMP=2
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=128M
        -device nvdimm,id=nvdimm0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_sysfs cpus_online /sys/devices/system/cpu/online
    e2e_result nproc "$(nproc)"
    e2e_report_nd
}

sc_check() {
    expect_eq cpus_online 0-1
    expect_eq nproc 2
    expect_eq namespace0.0.blockdev pmem0
}
