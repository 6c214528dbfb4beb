# boot-bench: the guest of tests/bench/boot.sh (not in run-all's lists):
# one label-less 256 MiB NVDIMM, and `ndctl list` as soon as /dev/pmem0 is
# there. The benchmark times the VMM from its start to the first line of
# that output on the console; as a scenario it checks that ndctl worked.
SC_BOOTS=1
SC_DESC="boot to the first ndctl list line (the guest of the boot benchmark)"

sc_setup() {
    NV0=$(e2e_backing nv0.img 256M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=256M
        -device nvdimm,id=nvdimm0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list
}

sc_check() {
    expect_eq ndctl_list.rc 0
}
