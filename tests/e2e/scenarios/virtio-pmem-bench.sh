# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-bench: the guest of tests/bench/virtio-pmem.sh (not in
# run-all's lists).  A 512 MiB virtio-pmem device; `ndctl list` as soon as
# /dev/pmem0 is there (the boot is timed to its first line); then, with
# e2e-pmbench (guest/pmbench.c): sequential O_DIRECT writes of the first
# 256 MiB of /dev/pmem0 (the host's pages of the file touched for the
# first time), the same again, and a read of them; then mkfs.ext4, mount
# -o dax, and a loop of 4 KiB writes + fsync on one file (each fsync is at
# least one virtio-pmem FLUSH, an fdatasync on the host).  The numbers are
# "E2E-RESULT bench_KEY=VALUE" lines.  sc_host_bench then runs the same
# loop with fdatasync on the file system of the backing file (the VMM's
# host), for reference.
SC_BOOTS=1
SC_DESC="virtio-pmem flush latency and bandwidth (the guest of the virtio-pmem benchmark)"
SC_MACHINE=""
SC_DEVICES="virtio-pmem-pci"
BENCH_BW_SIZE=256M
BENCH_BS=1M
BENCH_FLUSHES=1000

sc_setup() {
    VP0=$(e2e_backing vp0.img 512M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=2,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=512M
        -device virtio-pmem-pci,id=vpmem0,memdev=mem0"
}

# bench_results PREFIX OUTPUT : e2e-pmbench's KEY=VALUE words as
# bench_PREFIX_KEY results; bench_failed when the tool failed.
bench_results() {
    if [ -z "$2" ]; then
        e2e_result bench_failed "$1"
        return
    fi
    for kv in $2; do
        e2e_result "bench_$1_${kv%%=*}" "${kv#*=}"
    done
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_section ndctl_list ndctl list
    bench_results write_cold "$(e2e-pmbench bw write /dev/pmem0 0 $BENCH_BW_SIZE $BENCH_BS)"
    bench_results write "$(e2e-pmbench bw write /dev/pmem0 0 $BENCH_BW_SIZE $BENCH_BS)"
    bench_results read "$(e2e-pmbench bw read /dev/pmem0 0 $BENCH_BW_SIZE $BENCH_BS)"
    # fsync of the block device with nothing dirty: one FLUSH request each.
    bench_results rawflush "$(e2e-pmbench flush /dev/pmem0 "$BENCH_FLUSHES" 0 fsync)"
    e2e_section mkfs mkfs.ext4 -q -F -b 4096 /dev/pmem0 || e2e_result bench_failed mkfs
    e2e_section mount mount -o dax /dev/pmem0 /mnt || e2e_result bench_failed mount
    grep -q ' /mnt .*dax' /proc/mounts || e2e_result bench_failed not-dax
    # The file's block allocated and the journal going before timing.
    e2e-pmbench flush /mnt/flush 20 4K fsync >/dev/null
    bench_results flush "$(e2e-pmbench flush /mnt/flush "$BENCH_FLUSHES" 4K fsync)"
    umount /mnt
}

# The same loop on the host, on the backing file's file system.
sc_host_bench() {
    local out kv
    out=$("$PMBENCH" flush "$WORK/host-ref" "$BENCH_FLUSHES" 4K fdatasync) ||
        { echo "failed=host-ref"; return; }
    for kv in $out; do
        echo "host_${kv}"
    done
    echo "host_fs=$(stat -f -c %T "$WORK")"
}

sc_check() {
    expect_eq ndctl_list.rc 0
    expect_eq mount.rc 0
}
