#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot benchmark: pmemvm against QEMU 7.2 on a real guest.
#
#   tests/bench/boot.sh [PMEMVM_BINARY]
#
# In one go of the e2e harness (one boot of the outer VM where the host's
# /dev/kvm cannot run a stock kernel; see tests/e2e/README.md), boots the
# e2e kernel and initramfs with one 256 MiB NVDIMM (scenario boot-bench:
# -machine pc,accel=kvm,nvdimm=on, the same -m, -smp, -cpu and devices on
# both) BOOT_BENCH_RUNS times on each VMM, alternating, and measures from
# the start of the VMM process to the guest's first `ndctl list` output
# line on the serial console (stamped as it arrives, by boot-stamp.py), and
# the VMM's VmRSS at that moment, split into the guest's pages (RAM and
# NVDIMM mappings, which any VMM holds for the guest) and the VMM's own
# memory (see boot-stamp.py). Prints medians and pmemvm/QEMU ratios.
#
# pmemvm's first run starts with an empty cache of unpacked kernels
# (PMEMVM_CACHE_DIR) and unpacks the bzImage; the others find it there.
# The table's medians are over those warm runs (and all of QEMU's), and
# the first run gets rows of its own.
#
# Environment: BOOT_BENCH_RUNS (default 4); BOOT_BENCH_SCENARIO (default
# boot-bench; boot-bench-pvh boots the same guest from the kernel's ELF
# vmlinux through its PVH entry, on both VMMs); BOOT_BENCH_EXTRA_ARGS, added
# to both command lines (default "-net none -vga none": without them QEMU
# also brings up a NIC with its iPXE ROM and a VGA card, which pmemvm does
# not have); BOOT_BENCH_OUTDIR; and the e2e variables (PMEMVM, QEMU,
# E2E_MODE, E2E_KERNEL, ...).
# Exit status: 0, 1 when a run failed, 77 when nothing could run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/runner.sh"
. "$here/bench-lib.sh"

[ $# -gt 0 ] && export PMEMVM=$1
runs=${BOOT_BENCH_RUNS:-4}
sc=${BOOT_BENCH_SCENARIO:-boot-bench}
extra=${BOOT_BENCH_EXTRA_ARGS--net none -vga none}
outdir=${BOOT_BENCH_OUTDIR:-${TMPDIR:-/tmp}/pmemvm-bench/boot-$(date +%Y%m%d-%H%M%S)}
export E2E_EXTRA_ARGS_pmemvm="$extra" E2E_EXTRA_ARGS_qemu="$extra"
export E2E_JOB="$here/boot-job.sh" E2E_JOB_FILES="$here/boot-stamp.py"

items=""
for _ in $(seq 1 "$runs"); do
    items="$items pmemvm:$sc qemu:$sc"
done
echo "boot benchmark: $runs runs per VMM, alternating; results in $outdir" >&2
t0=$(e2e_now)
e2e_run_batch "$outdir" $items || exit 2

status=0 ran=0
for vmm in pmemvm qemu; do
    line=$(e2e_item_line "$outdir" "$vmm:$sc")
    case $line in
    PASS*) ran=1 ;;
    SKIP*) echo "$line" ;;
    *) echo "$line"; status=1; [ -s "$outdir/$vmm/$sc/runs.txt" ] && ran=1 ;;
    esac
done
[ "$ran" = 1 ] || exit 77

# field VMM KEY [CACHE] : the values of KEY in that VMM's successful runs,
# sorted; pmemvm's runs with a warm cache of unpacked kernels (QEMU's all),
# or only those whose cache= is CACHE.
field() {
    local want=${3:-}
    sed -n "/ rc=0\$/p" "$outdir/$1/$sc/runs.txt" 2>/dev/null |
        if [ -n "$want" ]; then grep " cache=$want "; else grep -v " cache=cold "; fi |
        sed -n "s/.* $2=\\([0-9.]*\\)\\( .*\\)\\{0,1\\}\$/\\1/p" | sort -n
}


row() {   # LABEL KEY SCALE FORMAT [PMEMVM_CACHE]
    local p q
    # shellcheck disable=SC2046
    p=$(median $(field pmemvm "$2" "${5:-}"))
    # shellcheck disable=SC2046
    q=$(median $(field qemu "$2"))
    [ "$p" = - ] || p=$(awk -v x="$p" -v s="$3" "BEGIN { printf \"$4\", x / s }")
    [ "$q" = - ] || q=$(awk -v x="$q" -v s="$3" "BEGIN { printf \"$4\", x / s }")
    printf '%-40s %10s %10s %8s\n' "$1" "$p" "$q" "$(ratio "$p" "$q")"
}

mode=$(sed -n 's/^mode detection: \([a-z]*\).*/\1/p' "$outdir/timings.txt")
echo
echo "boot benchmark, $runs runs each (mode: ${mode:-$E2E_MODE}; extra args: ${extra:-none})"
[ -n "$(field pmemvm ndctl_s cold)" ] &&
    echo "medians: QEMU's runs; pmemvm's runs after the first, which found the unpacked kernel in its cache"
printf '%-40s %10s %10s %8s\n' "" pmemvm qemu ratio
row "VMM start -> first console line (s) *" first_s 1 "%.2f"
row "VMM start -> guest /init running (s)" init_s 1 "%.2f"
row "  guest uptime when /init started (s)" guest_up_s 1 "%.2f"
row "VMM start -> first ndctl list line (s)" ndctl_s 1 "%.2f"
row "VmRSS at that line (MiB)" rss_kb 1024 "%.1f"
row "VmHWM at that line (MiB)" hwm_kb 1024 "%.1f"
row "  of it guest RAM and NVDIMM pages (MiB)" guest_kb 1024 "%.1f"
row "  VMM's own: VmRSS - guest pages (MiB)" own_kb 1024 "%.1f"
row "VMM start -> VMM exit (s)" exit_s 1 "%.2f"
if [ -n "$(field pmemvm ndctl_s cold)" ]; then
    echo "pmemvm's first run, which unpacked the bzImage (empty cache):"
    row "  VMM start -> guest /init running (s)" init_s 1 "%.2f" cold
    row "  VMM start -> first ndctl list line (s)" ndctl_s 1 "%.2f" cold
    row "  VmRSS at that line (MiB)" rss_kb 1024 "%.1f" cold
fi
echo "ratio = pmemvm / QEMU (below 1: pmemvm is faster or smaller)"
echo "* QEMU's first line is SeaBIOS's banner; pmemvm has no firmware, its first is the kernel's (quiet)"
for vmm in pmemvm qemu; do
    [ -s "$outdir/$vmm/$sc/runs.txt" ] || continue
    sed "s/^/  $vmm: /" "$outdir/$vmm/$sc/runs.txt"
done
echo "total $(e2e_elapsed "$t0") s; logs in $outdir"
exit $status
