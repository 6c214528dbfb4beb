#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Network benchmark: pmemvm against QEMU 7.2 on a real guest.
#
#   tests/bench/net.sh [PMEMVM_BINARY]
#
# Runs the e2e scenario net-bench (tests/e2e/scenarios/net-bench.sh) once
# on each VMM, in one go of the e2e harness: the same command line
# (-netdev user with a hostfwd rule, -device virtio-net-pci), 3 rounds of
# 32 MiB of bulk TCP each way between the guest and a process on the
# VMM's host, through libslirp (the same library on both).  Prints the
# median MiB/s per direction and the pmemvm/QEMU ratio.
#
# Environment: NET_BENCH_OUTDIR, and the e2e variables (PMEMVM, QEMU,
# E2E_MODE, E2E_KERNEL, ...).
# Exit status: 0, 1 when a run failed, 77 when nothing could run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/runner.sh"
. "$here/bench-lib.sh"

[ $# -gt 0 ] && export PMEMVM=$1
sc=net-bench
outdir=${NET_BENCH_OUTDIR:-${TMPDIR:-/tmp}/pmemvm-bench/net-$(date +%Y%m%d-%H%M%S)}

echo "network benchmark: results in $outdir" >&2
bench_once
status=$?
case $status in
2 | 77) exit "$status" ;;
esac

# mib_s VMM FILE : the rounds' MiB/s, sorted.
mib_s() {
    sed -n 's/^mib_s=\([0-9.]*\)$/\1/p' "$outdir/$1/$sc/$2" 2>/dev/null |
        sort -n
}

row() {
    local p q
    # shellcheck disable=SC2046  # one value per word
    p=$(median $(mib_s pmemvm "$2"))
    # shellcheck disable=SC2046
    q=$(median $(mib_s qemu "$2"))
    printf '%-44s %10s %10s %7s\n' "$1" "$p" "$q" "$(ratio "$p" "$q")"
}

echo
printf '%-44s %10s %10s %7s\n' "median MiB/s (3 rounds of 16 MiB)" pmemvm \
    "QEMU 7.2" ratio
row "guest -> host (nc to 10.0.2.2)" g2h.txt
row "host -> guest (through hostfwd)" h2g.txt
exit $status
