# SPDX-License-Identifier: GPL-2.0-or-later
# two-nvdimms: a 256 MiB and a 512 MiB NVDIMM. The guest sees two DIMMs
# and two regions of those sizes; a pattern tagged with each region's size
# written to its pmem device lands in the backing file of that size.
SC_BOOTS=1
SC_DESC="two NVDIMMs, two regions of the right sizes"
OFFSET=$((4096 * 10))

sc_setup() {
    NV0=$(e2e_backing nv0.img 256M)
    NV1=$(e2e_backing nv1.img 512M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=256M
        -device nvdimm,id=nvdimm0,memdev=mem0
        -object memory-backend-file,id=mem1,share=on,mem-path=$NV1,size=512M
        -device nvdimm,id=nvdimm1,memdev=mem1"
}

sc_guest() {
    e2e_wait_for /dev/pmem1 10
    e2e_section ndctl_list ndctl list -NRD
    e2e_report_nd
    e2e_result region_sizes "$(cat /sys/bus/nd/devices/region*/size | sort -n | tr '\n' , | sed 's/,$//')"
    e2e_result nmem_count "$(ls -d /sys/bus/nd/devices/nmem* | wc -l)"
    for ns in /sys/bus/nd/devices/namespace*; do
        dev=$(ls "$ns/block" 2>/dev/null | head -n 1)
        [ -n "$dev" ] || continue
        size=$(cat "$ns/size")
        e2e_pattern "two-nvdimms-$size" >/tmp/p
        dd if=/tmp/p of="/dev/$dev" bs=4096 seek=$((OFFSET / 4096)) count=1 \
            conv=fsync 2>/dev/null
        e2e_result "dd.$dev" $?
    done
}

sc_check() {
    expect_eq nmem_count 2
    expect_eq region_sizes 268435456,536870912
    expect_eq dd.pmem0 0
    expect_eq dd.pmem1 0
    expect nv0_has_its_pattern backing_has_pattern "$NV0" $OFFSET two-nvdimms-268435456
    expect nv1_has_its_pattern backing_has_pattern "$NV1" $OFFSET two-nvdimms-536870912
}
