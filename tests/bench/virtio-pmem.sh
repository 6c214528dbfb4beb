#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem benchmark: pmemvm against QEMU 7.2 on a real guest.
#
#   tests/bench/virtio-pmem.sh [PMEMVM_BINARY]
#
# In one go of the e2e harness (one boot of the outer VM where the host's
# /dev/kvm cannot run a stock kernel; see tests/e2e/README.md), boots the
# virtio-pmem-bench guest (tests/e2e/scenarios/virtio-pmem-bench.sh: a
# 512 MiB virtio-pmem-pci device, the same command line on both VMMs plus
# "-net none -vga none") VPMEM_BENCH_RUNS times on each VMM, alternating.
# Each run gives, measured in the guest with e2e-pmbench
# (tests/e2e/guest/pmbench.c):
#   * the latency of a 4 KiB write + fsync on a file of a DAX-mounted ext4
#     on the device (p50 and p99 of 1000 iterations): each
#     fsync is at least one virtio-pmem FLUSH, which the VMM answers after
#     an fdatasync of the backing file;
#   * the latency of one FLUSH alone: fsync of /dev/pmem0 with nothing to
#     write (p50, p99);
#   * the bandwidth of sequential 1 MiB O_DIRECT writes into the region
#     (the first pass touches the host's pages of the file for the first
#     time, the second finds them), and of reading it back;
#   * the boot, from the VMM's start to the first line of `ndctl list`
#     (the boot benchmark's measure, here with virtio-pmem on PCI), and the
#     VMM's VmRSS then (boot-stamp.py);
# and, after each boot, where the backing file lives (the VMM's host), the
# same loop with fdatasync on a plain file: the host's own cost of the sync,
# for reference.  Prints medians and pmemvm/QEMU ratios.
#
# Environment: VPMEM_BENCH_RUNS (default 3), VPMEM_BENCH_OUTDIR, and the e2e variables (PMEMVM, QEMU, E2E_MODE, ...).
# Exit status: 0, 1 when a run failed, 77 when nothing could run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/runner.sh"
. "$here/bench-lib.sh"

[ $# -gt 0 ] && export PMEMVM=$1
runs=${VPMEM_BENCH_RUNS:-3}
sc=virtio-pmem-bench
outdir=${VPMEM_BENCH_OUTDIR:-${TMPDIR:-/tmp}/pmemvm-bench/virtio-pmem-$(date +%Y%m%d-%H%M%S)}

echo "virtio-pmem benchmark: $runs runs per VMM, alternating; results in $outdir" >&2
t0=$(e2e_now)
bench_boots "$runs" "-net none -vga none"
status=$?
if [ "$status" = 77 ] || [ "$status" = 2 ]; then
    exit "$status"
fi

# verdict RATIO OP TARGET : "met" or "MISSED" (OP: le or ge).
verdict() {
    [ "$1" = - ] && { echo "no data"; return; }
    awk -v r="$1" -v t="$3" -v op="$2" \
        'BEGIN { ok = op == "le" ? r <= t : r >= t; print ok ? "met" : "MISSED" }'
}

# all_median KEY FORMAT : the median of KEY over both VMMs' runs.
all_median() {
    local m
    # shellcheck disable=SC2046
    m=$(median $( (field pmemvm "$1"; field qemu "$1") | sort -n))
    [ "$m" = - ] || m=$(awk -v x="$m" "BEGIN { printf \"$2\", x }")
    echo "$m"
}

mode=$(sed -n 's/^mode detection: \([a-z]*\).*/\1/p' "$outdir/timings.txt")
echo
echo "virtio-pmem benchmark, $runs runs each (mode: ${mode:-$E2E_MODE})"
printf '%-44s %10s %10s %8s\n' "" pmemvm qemu ratio
row "guest 4 KiB write + fsync, DAX ext4: p50 (us)" flush_p50_us 1 "%.1f"
row "  p99 (us)" flush_p99_us 1 "%.1f"
row "  mean (us)" flush_mean_us 1 "%.1f"
row "guest fsync of /dev/pmem0, one FLUSH: p50 (us)" rawflush_p50_us 1 "%.1f"
row "  p99 (us)" rawflush_p99_us 1 "%.1f"
row "guest seq. write, first touch (MiB/s)" write_cold_mib_s 1 "%.1f"
row "guest seq. write, again (MiB/s)" write_mib_s 1 "%.1f"
row "guest seq. read (MiB/s)" read_mib_s 1 "%.1f"
row "VMM start -> first ndctl list line (s)" ndctl_s 1 "%.2f"
row "VmRSS at that line (MiB)" rss_kb 1024 "%.1f"
row "  VMM's own: VmRSS - guest pages (MiB)" own_kb 1024 "%.1f"
echo "ratio = pmemvm / QEMU (latency, time, memory: below 1 is better;"
echo "bandwidth: above 1 is better)"
hp50=$(all_median host_p50_us "%.1f")
hp99=$(all_median host_p99_us "%.1f")
hfs=$(sed -n 's/.* host_fs=\([^ ]*\).*/\1/p' "$outdir"/*/"$sc"/runs.txt | sort -u | tr '\n' ' ')
echo "host fdatasync loop, same file system as the backing files (${hfs% }):" \
    "p50 $hp50 us, p99 $hp99 us"
for vmm in pmemvm qemu; do
    echo "  $vmm guest flush p50 / host fdatasync p50:" \
        "$(ratio "$(vmm_median "$vmm" flush_p50_us 1 "%.1f")" "$hp50")"
done
fr=$(ratio "$(vmm_median pmemvm flush_p50_us 1 "%.1f")" "$(vmm_median qemu flush_p50_us 1 "%.1f")")
echo "targets: flush p50 <= 1.00x QEMU: $(verdict "$fr" le 1.0) ($fr);" \
    "bandwidth >= 0.95x QEMU:" \
    "write $(verdict "$(ratio "$(vmm_median pmemvm write_mib_s 1 "%.1f")" "$(vmm_median qemu write_mib_s 1 "%.1f")")" ge 0.95)," \
    "first-touch write $(verdict "$(ratio "$(vmm_median pmemvm write_cold_mib_s 1 "%.1f")" "$(vmm_median qemu write_cold_mib_s 1 "%.1f")")" ge 0.95)," \
    "read $(verdict "$(ratio "$(vmm_median pmemvm read_mib_s 1 "%.1f")" "$(vmm_median qemu read_mib_s 1 "%.1f")")" ge 0.95)"
for vmm in pmemvm qemu; do
    [ -s "$outdir/$vmm/$sc/runs.txt" ] || continue
    sed "s/^/  $vmm: /" "$outdir/$vmm/$sc/runs.txt"
done
echo "total $(e2e_elapsed "$t0") s; logs in $outdir"
exit $status
