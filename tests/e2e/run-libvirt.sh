#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt manages the VMM: a real libvirtd runs pmemvm (and QEMU 7.2, the
# reference) as its QEMU, in one go of the e2e harness (one boot of the
# outer VM where the host's /dev/kvm cannot run guests; see README.md).
#
#   run-libvirt.sh [--ci] [--vmm both|qemu|pmemvm] [--outdir DIR]
#
# Prints "PASS vmm/scenario", "FAIL vmm/scenario: checks" or "SKIP
# vmm/scenario: reason" per item: libvirt-paused (no guest code runs) and
# libvirt-guest (a real guest; attach-device of an NVDIMM and ndctl list
# inside).  --ci: the paused-domain part on pmemvm only.  Exit status: 0 when nothing failed, 1 otherwise, 77 when all
# skipped.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/runner.sh"

vmms="pmemvm qemu" outdir="" ci=0
while [ $# -gt 0 ]; do
    case $1 in
    --ci) ci=1; vmms=pmemvm; shift ;;
    --vmm)
        case ${2:-} in
        both) vmms="pmemvm qemu" ;;
        qemu | pmemvm) vmms=$2 ;;
        *) echo "usage: $0 [--ci] [--vmm both|qemu|pmemvm] [--outdir DIR]" >&2; exit 2 ;;
        esac
        shift 2
        ;;
    --outdir) outdir=${2:-}; shift 2 ;;
    *) echo "usage: $0 [--ci] [--vmm both|qemu|pmemvm] [--outdir DIR]" >&2; exit 2 ;;
    esac
done
: "${outdir:=${TMPDIR:-/tmp}/pmemvm-e2e/libvirt-$(date +%Y%m%d-%H%M%S)}"
export E2E_JOB="$here/libvirt-job.sh"

items=""
for v in $vmms; do
    items="$items $v:libvirt-paused"
done
if [ "$ci" = 0 ]; then
    for v in $vmms; do
        items="$items $v:libvirt-guest"
    done
fi
if ! command -v libvirtd >/dev/null || ! command -v virsh >/dev/null; then
    for item in $items; do
        echo "SKIP ${item%%:*}/${item#*:}: no libvirtd/virsh (install libvirt-daemon-system, libvirt-clients)"
    done
    exit 77
fi
e2e_run_batch "$outdir" $items || exit 2
status=77
for item in $items; do
    line=$(e2e_item_line "$outdir" "$item")
    echo "$line"
    case $line in
    PASS*) [ "$status" = 77 ] && status=0 ;;
    FAIL*) status=1 ;;
    esac
done
echo "results and logs: $outdir"
cat "$outdir/timings.txt" 2>/dev/null
exit "$status"
