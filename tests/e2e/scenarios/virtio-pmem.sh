# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem: QEMU's documented command line with a 256 MiB virtio-pmem-pci
# device, booted twice on the same file.  Boot 1: the guest's virtio_pmem
# driver shows /dev/pmem0 of the backend's size; a raw write with
# conv=fsync (a virtio flush) lands in the file; then mkfs.ext4, mount -o
# dax, a file written and fsync'd, power off: its bytes are in the backing
# file (DAX wrote them straight into the region).  Boot 2 finds the file.  The
# interrupt type (MSI-X on pmemvm, INTx on QEMU, whose virtio-pmem-pci has
# no MSI-X) is reported.
SC_BOOTS=2
SC_DESC="virtio-pmem-pci: /dev/pmem0, flushes reach the file, a DAX ext4 survives a reboot"
SC_MACHINE=""
SC_DEVICES="virtio-pmem-pci"
# The raw pattern lives past the 200 MiB file system.
OFFSET=$((240 * 1024 * 1024))
FS_BLOCKS=51200
CONTENT="pmemvm e2e virtio-pmem: written on boot 1"

sc_setup() {
    VP0=$(e2e_backing vp0.img 256M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=2,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=256M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    if [ "$1" = 1 ]; then
        e2e_section ndctl_list ndctl list -NR
        e2e_report_nd
        e2e_result driver "$(basename "$(readlink /sys/bus/virtio/devices/virtio0/driver 2>/dev/null)")"
        # The chips of the device's interrupts (/proc/interrupts).
        e2e_result irq_kind "$(grep virtio /proc/interrupts |
            grep -o 'PCI-MSIX\|PCI-MSI\|IO-APIC' | sort -u | tr '\n' ' ' |
            sed 's/ $//')"
        e2e_result irqs "$(grep -c virtio /proc/interrupts)"
        # Linux 6.1 names MSI and MSI-X alike ("PCI-MSI") in
        # /proc/interrupts: the PCI device's msi_irqs/N say which.
        e2e_result msi_mode "$(cat "$(readlink -f /sys/bus/virtio/devices/virtio0/..)"/msi_irqs/* 2>/dev/null |
            sort -u | tr '\n' ' ' | sed 's/ $//')"
        e2e_pattern virtio-pmem >/tmp/pattern
        dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
            count=1 conv=fsync 2>/dev/null
        e2e_result dd_rc $?
        e2e_section mkfs mkfs.ext4 -q -F -b 4096 /dev/pmem0 $FS_BLOCKS
        e2e_section mount mount -o dax /dev/pmem0 /mnt
        e2e_result dax_mount "$(grep -c ' /mnt .*dax' /proc/mounts)"
        echo "$CONTENT" | dd of=/mnt/hello.txt conv=fsync 2>/dev/null
        e2e_result fsync_rc $?
        e2e_section umount umount /mnt
    else
        e2e_section mount mount -o dax /dev/pmem0 /mnt
        if [ "$(cat /mnt/hello.txt 2>/dev/null)" = "$CONTENT" ]; then
            e2e_result file ok
        else
            e2e_result file "bad: $(head -c 80 /mnt/hello.txt 2>&1)"
        fi
        umount /mnt
    fi
}

sc_check() {
    expect_eq driver virtio_pmem 1
    expect_eq region0.size 268435456 1
    expect_eq namespace0.0.blockdev pmem0 1
    expect_eq dd_rc 0 1
    expect_eq mkfs.rc 0 1
    expect_eq dax_mount 1 1
    expect_eq fsync_rc 0 1
    # pmemvm's virtio-pmem-pci has MSI-X (config + queue vectors); QEMU's
    # has only INTx.
    if [ "$VMM" = pmemvm ]; then
        expect_eq irq_kind PCI-MSI 1
        expect_eq msi_mode msix 1
        expect_eq irqs 2 1
    else
        expect_eq irq_kind IO-APIC 1
        expect_eq msi_mode "" 1
        expect_eq irqs 1 1
    fi
    expect_eq file ok 2
    expect backing_has_pattern backing_has_pattern "$VP0" $OFFSET virtio-pmem
    expect file_in_backing grep -q -a -F "$CONTENT" "$VP0"
}
