# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-nvdimm: an NVDIMM with a 128 KiB label area and a
# virtio-pmem device in one guest.  The guest sees two regions; it
# initializes the NVDIMM's labels and creates an fsdax namespace there,
# and writes a flushed pattern through each; both patterns are in their
# files.  The virtio-pmem backend has align=2M: without it QEMU's
# placement (pmemvm's too) puts the region right after the NVDIMM's,
# which ends where the label area begins, 4 KiB aligned, and Linux's
# nd_pmem refuses it ("misaligned, unable to map": no /dev/pmem1; pmemvm
# warns, docs/system/virtio-pmem.md).
SC_BOOTS=1
SC_DESC="an NVDIMM with labels and a virtio-pmem device in one guest"
SC_MACHINE="nvdimm=on"
SC_DEVICES="virtio-pmem-pci nvdimm"
OFF_NV=$((4096 * 100))
OFF_VP=$((4096 * 200))

sc_setup() {
    NV0=$(e2e_backing nv0.img 256M)
    VP0=$(e2e_backing vp0.img 128M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=2,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=256M
        -device nvdimm,id=nvdimm0,memdev=mem0,label-size=128K
        -object memory-backend-file,id=mem1,share=on,mem-path=$VP0,size=128M,align=2M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem1"
}

# The region backed by virtio_pmem, and the NVDIMM's.
vp_region() {
    for r in /sys/bus/nd/devices/region*; do
        if [ "$(cat "$r/size")" = 134217728 ]; then
            basename "$r"
        fi
    done
}

# The block device of REGION's first namespace that has one, or nothing.
block_of() {
    for b in /sys/bus/nd/devices/"$1"/namespace*/block/*; do
        [ -e "$b" ] && { basename "$b"; return; }
    done
}

sc_guest() {
    e2e_wait_for /sys/bus/nd/devices/region1 10
    e2e_result regions "$(ls -d /sys/bus/nd/devices/region* | wc -l)"
    e2e_result nmems "$(ls -d /sys/bus/nd/devices/nmem* 2>/dev/null | wc -l)"
    vp=$(vp_region)
    e2e_result vp_region "$vp"
    e2e_sysfs vp_start "/sys/bus/nd/devices/$vp/resource"
    nv=region0
    [ "$vp" = region0 ] && nv=region1
    e2e_section disable_region ndctl disable-region "$nv"
    e2e_section init_labels ndctl init-labels nmem0
    e2e_section enable_region ndctl enable-region "$nv"
    e2e_section create_ns ndctl create-namespace -m raw -r "$nv"
    e2e_section ndctl_list ndctl list -NRi
    nvblk=$(block_of "$nv")
    vpblk=$(block_of "$vp")
    e2e_result nv_blk "${nvblk:-none}"
    e2e_result vp_blk "${vpblk:-none}"
    [ -n "$nvblk" ] && [ -n "$vpblk" ] || e2e_section dmesg dmesg
    e2e_pattern nv-side >/tmp/p1
    e2e_pattern vp-side >/tmp/p2
    # Only to block devices (a missing one must not create a file in /dev).
    [ -b "/dev/$nvblk" ] &&
        dd if=/tmp/p1 of=/dev/"$nvblk" bs=4096 seek=$((OFF_NV / 4096)) \
            count=1 conv=fsync 2>/dev/null
    e2e_result nv_dd $?
    [ -b "/dev/$vpblk" ] &&
        dd if=/tmp/p2 of=/dev/"$vpblk" bs=4096 seek=$((OFF_VP / 4096)) \
            count=1 conv=fsync 2>/dev/null
    e2e_result vp_dd $?
}

sc_check() {
    expect_eq regions 2
    expect_eq vp_start 0x110000000
    expect_eq nmems 1
    expect_eq init_labels.rc 0
    expect_eq create_ns.rc 0
    expect_eq nv_dd 0
    expect_eq vp_dd 0
    expect_ne nv_blk none
    expect_ne vp_blk none
    expect_ne vp_blk "$(res nv_blk)"
    expect backing_has_pattern backing_has_pattern "$NV0" $OFF_NV nv-side
    expect backing_has_pattern backing_has_pattern "$VP0" $OFF_VP vp-side
}
