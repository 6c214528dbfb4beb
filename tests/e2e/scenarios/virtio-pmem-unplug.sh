# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-unplug: hot-unplug of a virtio-pmem-pci device the guest
# let go of, and of one it has mounted, driven over QMP while the guest
# runs (monitor steps, tests/e2e/monitor-driver.py).
#
# Boot with vp0 (256 MiB, a file).  The guest makes an ext4 on pmem0,
# writes and fsyncs a file, writes a raw pattern past the file system
# (conv=fsync: a virtio flush), unmounts.
#  step unplug:   device_del vp0; the guest's acpiphp removes the device
#                 and ejects the slot: pmem0 goes, DEVICE_DELETED comes
#                 (twice: virtio-backend, then vp0); query-memory-devices
#                 is empty; object-del mem0 now works
#  step readd:    object-add mem0 on the same file, device_add vp0 again:
#                 pmem0 is back with the file system and file intact
#  step mounted:  with the file system mounted (-o dax) and a second file
#                 written and fsync'd: device_del vp0.  What Linux 6.1
#                 does is recorded (it ejects a slot whose device has a
#                 mounted file system: acpiphp removes drivers, it does
#                 not ask them), and _OST / query-acpi-ospm-status say
#                 so; either way both files and the pattern are in the
#                 backing file afterwards (debugfs on the host).
# Boot 2 is a guest that does not let go: acpiphp.disable=1 on its
# command line, so no driver handles the slot's eject request.
#  step keep:     with the file system mounted, a third file flushed:
#                 device_del vp0 gets no DEVICE_DELETED (20 s), the device
#                 stays (query-memory-devices, object-del refused), the
#                 guest goes on using it (a fourth file), and every file
#                 is in the backing file afterwards.
# QEMU 7.2 refuses device_del of virtio-pmem, so its item is a SKIP.
SC_BOOTS=2
SC_DESC="virtio-pmem-pci hot-unplug (unmounted, then mounted), object-del, hot-add of the same backend"
SC_MACHINE=""
SC_DEVICES="virtio-pmem-pci"
SC_QEMU_CANNOT="virtio based memory devices cannot be unplugged. (QEMU 7.2's answer to device_del)"
OFFSET=$((240 * 1024 * 1024))
FS_BLOCKS=51200
CONTENT="pmemvm e2e virtio-pmem-unplug: before the first unplug"
CONTENT2="pmemvm e2e virtio-pmem-unplug: written while mounted"
CONTENT3="pmemvm e2e virtio-pmem-unplug: boot 2, before device_del"
CONTENT4="pmemvm e2e virtio-pmem-unplug: boot 2, after device_del"

sc_setup() {
    VP0=$(e2e_backing vp0.img 256M)
}

sc_vm_args() {
    [ "$1" = 2 ] && SC_APPEND="acpiphp.disable=1"
    VM_ARGS="-m 1G,slots=2,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=256M
        -device virtio-pmem-pci,id=vp0,memdev=mem0"
}

# Host: the monitor commands of each step (tests/e2e/monitor-driver.py).
sc_steps() {
    if [ "$1" = 2 ]; then
        cat <<EOS
step keep
qmp del {"execute": "device_del", "arguments": {"id": "vp0"}}
wait-event deleted DEVICE_DELETED 20 "device": "vp0"
wait-event ost ACPI_DEVICE_OST 1
qmp memdevs {"execute": "query-memory-devices"}
qmp objdel {"execute": "object-del", "arguments": {"id": "mem0"}}
qmp ospm {"execute": "query-acpi-ospm-status"}
EOS
        return
    fi
    cat <<EOS
step unplug
qmp del {"execute": "device_del", "arguments": {"id": "vp0"}}
wait-event backend DEVICE_DELETED 60 /machine/peripheral/vp0/virtio-backend
wait-event deleted DEVICE_DELETED 60 "device": "vp0"
wait-console gone_seen ^E2E-GONE pmem0 30
qmp memdevs {"execute": "query-memory-devices"}
qmp objdel {"execute": "object-del", "arguments": {"id": "mem0"}}
qmp ospm {"execute": "query-acpi-ospm-status"}
step readd
qmp objadd {"execute": "object-add", "arguments": {"qom-type": "memory-backend-file", "id": "mem0", "share": true, "mem-path": "$VP0", "size": 268435456}}
qmp add {"execute": "device_add", "arguments": {"driver": "virtio-pmem-pci", "id": "vp0", "memdev": "mem0"}}
wait-console seen ^E2E-SEEN pmem0 60
step mounted
qmp objdel_busy {"execute": "object-del", "arguments": {"id": "mem0"}}
qmp del2 {"execute": "device_del", "arguments": {"id": "vp0"}}
wait-event deleted2 DEVICE_DELETED 60 "device": "vp0"
wait-event ost2 ACPI_DEVICE_OST 10
qmp memdevs2 {"execute": "query-memory-devices"}
qmp ospm2 {"execute": "query-acpi-ospm-status"}
EOS
}

# Boot 2: device_del reaches a guest that has no handler for it.
guest_keeps() {
    e2e_wait_for /dev/pmem0 10
    e2e_section mount mount -o dax /dev/pmem0 /mnt
    echo "$CONTENT3" | dd of=/mnt/third.txt conv=fsync 2>/dev/null
    e2e_result fsync3_rc $?
    e2e_step_start keep
    e2e_poll_gone /dev/pmem0 pmem0 20
    e2e_result gone "$([ -e /dev/pmem0 ] && echo no || echo yes)"
    e2e_step_wait keep
    echo "$CONTENT4" | dd of=/mnt/fourth.txt conv=fsync 2>/dev/null
    e2e_result fsync4_rc $?
    e2e_result files "$(cat /mnt/hello.txt /mnt/second.txt /mnt/third.txt | wc -l)"
    umount /mnt
    e2e_result umount_rc $?
}

sc_guest() {
    if [ "$1" = 2 ]; then
        guest_keeps
        return
    fi
    e2e_wait_for /dev/pmem0 10
    e2e_result pmem0_at_boot "$([ -e /dev/pmem0 ] && echo yes || echo no)"
    e2e_section mkfs mkfs.ext4 -q -F -b 4096 /dev/pmem0 $FS_BLOCKS
    mount -o dax /dev/pmem0 /mnt
    echo "$CONTENT" | dd of=/mnt/hello.txt conv=fsync 2>/dev/null
    e2e_result fsync_rc $?
    umount /mnt
    e2e_pattern virtio-pmem-unplug >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?

    # The host unplugs it: the guest lets go and ejects the slot.
    e2e_step_start unplug
    e2e_poll_gone /dev/pmem0 pmem0 60
    e2e_result gone "$([ -e /dev/pmem0 ] && echo no || echo yes)"
    e2e_result pci_devices_after_unplug "$(ls /sys/bus/pci/devices | wc -l)"
    e2e_step_wait unplug

    # The host adds it again, on the same file.
    e2e_step_start readd
    e2e_poll_seen /dev/pmem0 pmem0 60
    e2e_step_wait readd
    e2e_wait_for /dev/pmem0 5
    e2e_section mount mount -o dax /dev/pmem0 /mnt
    if [ "$(cat /mnt/hello.txt 2>/dev/null)" = "$CONTENT" ]; then
        e2e_result file_after_readd ok
    else
        e2e_result file_after_readd "bad: $(head -c 80 /mnt/hello.txt 2>&1)"
    fi
    if dd if=/dev/pmem0 bs=4096 skip=$((OFFSET / 4096)) count=1 \
        2>/dev/null | cmp -s - /tmp/pattern; then
        e2e_result pattern_after_readd ok
    else
        e2e_result pattern_after_readd bad
    fi

    # Mounted, with a second file flushed: what does Linux do?
    echo "$CONTENT2" | dd of=/mnt/second.txt conv=fsync 2>/dev/null
    e2e_result fsync2_rc $?
    e2e_step_start mounted
    e2e_poll_gone /dev/pmem0 pmem0-mounted 30
    e2e_result gone_while_mounted "$([ -e /dev/pmem0 ] && echo no || echo yes)"
    e2e_step_wait mounted
    e2e_result mounted_after "$(grep -c ' /mnt ' /proc/mounts)"
    cat /mnt/second.txt >/dev/null 2>/tmp/read.err
    e2e_result read_after "rc=$? $(head -c 80 /tmp/read.err)"
    e2e_section dmesg_tail sh -c 'dmesg | grep -i -E "pmem|ext4|virtio|acpiphp|pci 0000:00" | tail -n 30'
    umount /mnt 2>/dev/null
    e2e_result umount_after $?
}

# The file as the host sees it: a file of the ext4 image.
fs_file_is() {
    [ "$(/sbin/debugfs -R "cat /$1" "$VP0" 2>/dev/null)" = "$2" ]
}

sc_check() {
    expect_eq pmem0_at_boot yes 1
    expect_eq mkfs.rc 0 1
    expect_eq fsync_rc 0 1
    expect_eq dd_rc 0 1
    # Unplug of the unmounted device.
    expect_eq del.rc ok 1
    expect_eq deleted ok 1
    expect_eq gone yes 1
    expect_eq memdevs.return "[]" 1
    expect_eq objdel.rc ok 1
    # QEMU's pair: the virtio device (no id) first, then the proxy.
    expect_eq backend.data '{"path":"/machine/peripheral/vp0/virtio-backend"}' 1
    expect_eq deleted.data '{"device":"vp0","path":"/machine/peripheral/vp0"}' 1
    # Linux reported the eject done (_OST: eject request, success).
    expect_eq ospm.return '[{"device":"vp0","slot":"1","slot-type":"PCI","source":3,"status":0}]' 1
    # Hot-add of the same backend: everything is still there.
    expect_eq objadd.rc ok 1
    expect_eq add.rc ok 1
    expect_eq seen ok 1
    expect_eq file_after_readd ok 1
    expect_eq pattern_after_readd ok 1
    expect_eq fsync2_rc 0 1
    # While mounted: the backend is busy; device_del is a request.
    expect_eq objdel_busy.error "object 'mem0' is in use, can not be deleted" 1
    expect_eq del2.rc ok 1
    # Linux 6.1 lets go of a device whose file system is mounted: the
    # driver is removed, the file system gets I/O errors, _OST says done.
    note mounted_unplug "guest released it: $(res gone_while_mounted 1); DEVICE_DELETED: $(res deleted2 1); _OST: $(res ost2.data 1); ospm: $(res ospm2.return 1); still mounted: $(res mounted_after 1); read after: $(res read_after 1)"
    # Boot 2: a guest without a handler keeps the device.
    expect_eq mount.rc 0 2
    expect_eq fsync3_rc 0 2
    expect_eq del.rc ok 2
    expect_eq deleted timeout 2
    expect_eq gone no 2
    expect_eq memdevs.return '[{"type":"virtio-pmem","data":{"memdev":"/objects/mem0","memaddr":4294967296,"size":268435456,"id":"vp0"}}]' 2
    expect_eq objdel.error "object 'mem0' is in use, can not be deleted" 2
    expect_eq fsync4_rc 0 2
    expect_eq files 3 2
    note kept_unplug "_OST: $(res ost.data 2); ospm: $(res ospm.return 2)"
    # Nothing flushed is lost, whatever the guest did.
    expect backing_has_pattern backing_has_pattern "$VP0" $OFFSET virtio-pmem-unplug
    expect first_file fs_file_is hello.txt "$CONTENT"
    expect second_file fs_file_is second.txt "$CONTENT2"
    expect third_file fs_file_is third.txt "$CONTENT3"
    expect fourth_file fs_file_is fourth.txt "$CONTENT4"
    note latency "unplug: device_del -> DEVICE_DELETED $(res deleted.ms 1) ms, -> pmem0 gone in the guest $(res gone_seen.ms 1) ms; re-add: device_add -> pmem0 in the guest $(res seen.ms 1) ms"
}
