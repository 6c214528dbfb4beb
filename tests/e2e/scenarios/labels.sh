# SPDX-License-Identifier: GPL-2.0-or-later
# labels: an NVDIMM with a 128 KiB label area, booted twice on the same
# backing file. Boot 1 initializes the labels (disable-region, init-labels,
# enable-region), creates an fsdax namespace, makes ext4 on it, mounts it
# with -o dax and writes a file. Boot 2 finds the same namespace (uuid) and
# the file. The host checks that the label index is at the end of the file.
SC_BOOTS=2
SC_DESC="namespace labels and a DAX file system survive a reboot"
LABEL_SIZE=131072
CONTENT="pmemvm e2e labels: written on boot 1"

sc_setup() {
    NV0=$(e2e_backing nv0.img 256M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=256M
        -device nvdimm,id=nvdimm0,memdev=mem0,label-size=128K"
}

sc_guest() {
    e2e_wait_for /sys/bus/nd/devices/region0 10
    if [ "$1" = 1 ]; then
        e2e_fsdax_mount nmem0 region0
        echo "$CONTENT" >/mnt/hello.txt
        sync
        e2e_section umount umount /mnt
    else
        e2e_wait_for /dev/pmem0 10
        e2e_section ndctl_list ndctl list -NRD
        e2e_report_ns region0
        e2e_section mount mount -o dax /dev/pmem0 /mnt
        e2e_result dax_mount "$(grep -c ' /mnt .*dax' /proc/mounts)"
        if [ "$(cat /mnt/hello.txt 2>/dev/null)" = "$CONTENT" ]; then
            e2e_result file ok
        else
            e2e_result file "bad: $(head -c 80 /mnt/hello.txt 2>&1)"
        fi
        umount /mnt
    fi
}

# The index blocks ("NAMESPACE_INDEX\0") are in the last LABEL_SIZE bytes.
labels_at_end() {
    tail -c $LABEL_SIZE "$NV0" | grep -a -q NAMESPACE_INDEX
}

sc_check() {
    local b
    for b in 1 2; do
        expect_eq ns.mode fsdax $b
        expect_eq ns.blockdev pmem0 $b
        expect_eq mount.rc 0 $b
        expect_eq dax_mount 1 $b
    done
    expect_eq init_labels.rc 0 1
    expect_eq create_ns.rc 0 1
    expect_eq mkfs.rc 0 1
    expect_ne ns.uuid "" 1
    expect_eq ns.uuid "$(res ns.uuid 1)" 2
    expect_eq file ok 2
    expect label_area_at_end labels_at_end
}
