#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hotplug latency: pmemvm against QEMU 7.2 on a real guest.
#
#   tests/bench/hotplug.sh [PMEMVM_BINARY]
#
# Runs the e2e scenario hotplug-bench (tests/e2e/scenarios/hotplug-bench.sh)
# once on each VMM, in one go of the e2e harness.  Each run hot-adds 4 NVDIMMs and 4 virtio-pmem-pci
# devices over QMP and, on pmemvm, unplugs the 4 virtio-pmem devices
# again (QEMU 7.2 cannot).  monitor-driver.py times each from the QMP
# command to: the guest printing that its region count grew (hot-add),
# DEVICE_DELETED and the guest printing that the region went (unplug).
# Prints medians and pmemvm/QEMU ratios.
#
# Environment: HOTPLUG_BENCH_OUTDIR, and the e2e
# variables (PMEMVM, QEMU, E2E_MODE, E2E_KERNEL, ...).
# Exit status: 0, 1 when a run failed, 77 when nothing could run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/runner.sh"
. "$here/bench-lib.sh"

[ $# -gt 0 ] && export PMEMVM=$1
sc=hotplug-bench
outdir=${HOTPLUG_BENCH_OUTDIR:-${TMPDIR:-/tmp}/pmemvm-bench/hotplug-$(date +%Y%m%d-%H%M%S)}

echo "hotplug benchmark: results in $outdir" >&2
bench_once
status=$?
case $status in
2 | 77) exit "$status" ;;
esac

# values VMM PREFIX SUFFIX : PREFIXn.SUFFIX of the run's results, sorted.
values() {
    sed -n "s/^$2[0-9]*\\.$3=\\([0-9.]*\\)\$/\\1/p" \
        "$outdir/$1/$sc"/results-boot1.txt 2>/dev/null | sort -n
}

row() {
    local what=$1 prefix=$2 suffix=$3 p q
    # shellcheck disable=SC2046  # one value per word
    p=$(median $(values pmemvm "$prefix" "$suffix"))
    # shellcheck disable=SC2046
    q=$(median $(values qemu "$prefix" "$suffix"))
    if [ "$q" = - ] && [ -n "${4:-}" ]; then
        printf '%-52s %10s %10s %7s\n' "$what" "$p" "$4" -
    else
        printf '%-52s %10s %10s %7s\n' "$what" "$p" "$q" "$(ratio "$p" "$q")"
    fi
}

echo
printf '%-52s %10s %10s %7s\n' "median ms (n=4 per VMM)" pmemvm "QEMU 7.2" ratio
row "NVDIMM hot-add: device_add -> new region in guest" nv ms
row "virtio-pmem hot-add: device_add -> new region" vp ms
row "virtio-pmem unplug: device_del -> DEVICE_DELETED" del ms "cannot"
row "virtio-pmem unplug: device_del -> region gone" gone ms "cannot"
exit $status
