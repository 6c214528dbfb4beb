# SPDX-License-Identifier: GPL-2.0-or-later
# nvdimm-hotplug: NVDIMMs hot-added over QMP while the guest runs, as
# QEMU's NVDIMM documentation does it (object-add, device_add nvdimm).
# The machine boots with no NVDIMM (-m 1G,slots=2,maxmem=2G).
#  step add:     nv1 (256 MiB, label-size=128K): the guest's nfit driver
#                gets Notify (NVDR, 0x80), reads _FIT, and nmem0 and
#                region0 appear without a reboot
#  step limits:  a 1 GiB DIMM passes maxmem (refused), and from the human
#                monitor (HMP, through human-monitor-command): nv3 (256
#                MiB, no labels) takes the second slot (region1 appears),
#                a third DIMM finds no slot, device_del nv1 and object_del
#                of its backend are refused: QEMU's words for each
# Then labels on the hot-added DIMM: init-labels, an fsdax namespace,
# ext4 -o dax, a file; and a raw pattern through region1's pmem.  The
# host finds the label index at the end of nv1's file, the file's text
# in it, and the pattern in nv3's file.
SC_BOOTS=1
SC_DESC="NVDIMM hot-add seen by Linux: nmem/region appear, labels and an fsdax namespace on it, slots and maxmem enforced"
LABEL_SIZE=131072
CONTENT="pmemvm e2e nvdimm-hotplug: a file on a hot-added NVDIMM"
OFFSET=$((4096 * 777))

sc_setup() {
    NV1=$(e2e_backing nv1.img 256M)
    NV2=$(e2e_backing nv2.img 1G)
    NV3=$(e2e_backing nv3.img 256M)
    NV4=$(e2e_backing nv4.img 64M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=2,maxmem=2G"
}

sc_steps() {
    cat <<EOS
step add
qmp obj1 {"execute": "object-add", "arguments": {"qom-type": "memory-backend-file", "id": "mem1", "share": true, "mem-path": "$NV1", "size": 268435456}}
qmp add1 {"execute": "device_add", "arguments": {"driver": "nvdimm", "id": "nv1", "memdev": "mem1", "label-size": 131072}}
wait-console seen1 ^E2E-SEEN region0 60
step limits
qmp obj2 {"execute": "object-add", "arguments": {"qom-type": "memory-backend-file", "id": "mem2", "share": true, "mem-path": "$NV2", "size": 1073741824}}
qmp add2 {"execute": "device_add", "arguments": {"driver": "nvdimm", "id": "nv2", "memdev": "mem2"}}
hmp obj3 object_add memory-backend-file,id=mem3,share=on,mem-path=$NV3,size=256M
hmp add3 device_add nvdimm,id=nv3,memdev=mem3
wait-console seen3 ^E2E-SEEN region1 60
hmp obj4 object_add memory-backend-file,id=mem4,share=on,mem-path=$NV4,size=64M
hmp add4 device_add nvdimm,id=nv4,memdev=mem4
hmp del1 device_del nv1
hmp objdel1 object_del mem1
qmp objdel4 {"execute": "object-del", "arguments": {"id": "mem4"}}
qmp memdevs {"execute": "query-memory-devices"}
EOS
}


sc_guest() {
    e2e_result nmem_at_boot "$(ls /sys/bus/nd/devices | grep -c nmem)"
    e2e_step_start add
    e2e_poll_seen /sys/bus/nd/devices/nmem0 nmem0 60
    e2e_poll_seen /sys/bus/nd/devices/region0 region0 30
    e2e_step_wait add
    e2e_step_start limits
    e2e_poll_seen /sys/bus/nd/devices/region1 region1 60
    e2e_step_wait limits
    e2e_section ndctl_list ndctl list -DR
    e2e_report_nd
    e2e_result nmems "$(ls /sys/bus/nd/devices | grep -c nmem)"

    # Labels and an fsdax namespace on the hot-added DIMM.
    e2e_fsdax_mount nmem0 region0
    echo "$CONTENT" | dd of=/mnt/hello.txt conv=fsync 2>/dev/null
    e2e_result fsync_rc $?
    e2e_section umount umount /mnt

    # The label-less DIMM: a raw namespace, its bytes straight in the file.
    _blk=$(ls /sys/bus/nd/devices/region1/namespace1.0/block 2>/dev/null | head -n 1)
    e2e_result region1.blockdev "$_blk"
    e2e_pattern nvdimm-hotplug >/tmp/pattern
    dd if=/tmp/pattern of=/dev/"$_blk" bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
}

labels_at_end() {
    tail -c $LABEL_SIZE "$NV1" | grep -a -q NAMESPACE_INDEX
}

file_text_in_backing() {
    grep -a -q "$CONTENT" "$NV1"
}

sc_check() {
    expect_eq nmem_at_boot 0
    expect_eq obj1.rc ok
    expect_eq add1.rc ok
    expect_eq seen1 ok
    expect_eq region0.size 268304384
    # Limits, in QEMU 7.2's words.
    expect_eq add2.error "not enough space, currently 0xffe0000 in use of total space for memory devices 0x40000000"
    expect_eq obj3.return ""
    expect_eq add3.return ""
    expect_eq seen3 ok
    expect_eq region1.size 268435456
    expect_eq add4.return "Error: no free slots available"
    expect_eq del1.return "Error: nvdimm device hot unplug is not supported yet."
    expect_eq objdel1.return "Error: object 'mem1' is in use, can not be deleted"
    expect_eq objdel4.rc ok
    expect_eq nmems 2
    # Labels and a DAX file system on the hot-added DIMM.
    expect_eq init_labels.rc 0
    expect_eq create_ns.rc 0
    expect_eq ns.mode fsdax
    expect_ne ns.uuid ""
    expect_eq ns.blockdev pmem0
    expect_eq mkfs.rc 0
    expect_eq dax_mount 1
    expect_eq fsync_rc 0
    expect label_area_at_end labels_at_end
    expect file_in_backing file_text_in_backing
    expect_eq region1.blockdev pmem1
    expect_eq dd_rc 0
    expect backing_has_pattern backing_has_pattern "$NV3" $OFFSET nvdimm-hotplug
    note latency "device_add nv1 -> region0 in the guest $(res seen1.ms) ms; nv3 -> region1 $(res seen3.ms) ms"
}
