#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every e2e scenario on pmemvm and on QEMU (the reference), in one
# boot of the outer VM when nesting is needed.
#
#   run-all.sh [--ci] [--vmm both|qemu|pmemvm] [--outdir DIR] [SCENARIO...]
#
# Prints one line per test: "PASS vmm/name", "FAIL vmm/name: checks" or
# "SKIP vmm/name: reason", then the timings. --ci runs the subset that
# finishes in about 10 minutes on a 2-core machine without usable KVM:
# the CI scenarios on pmemvm, and the first two of them on QEMU too.
# Exit status: 0 when nothing failed, 1 otherwise, 77 when all skipped.
set -uo pipefail
. "$(dirname "$0")/runner.sh"

# Both VMMs, nested, 2 cores: about 30 s per inner boot; see README.md.
# sigkill last: the outer VM has gone quiet right after a SIGKILLed inner
# VMM (2 CI runs of 3 on 2026-12-04); last, nothing is left to run again.
E2E_CI_SCENARIOS="nvdimm-basic labels readonly persistence-cpu two-nvdimms
    virtio-pmem virtio-pmem-libvirt pvh kaslr nvdimm-hotplug virtio-pmem-unplug
    net-user sigkill"
# The reference's side in CI: the main job's two devices. QEMU 7.2 does not
# change between runs, and its inner boots (SeaBIOS, option ROMs) are the
# ones that wedged or reset the TCG-emulated outer machine in CI (README.md);
# make check-e2e runs every scenario on both.
E2E_CI_REFERENCE="nvdimm-basic virtio-pmem"

usage() {
    echo "usage: $0 [--ci] [--vmm both|qemu|pmemvm] [--outdir DIR] [SCENARIO...]" >&2
    exit 2
}

vmms="pmemvm qemu" scenarios="" outdir="" ci=0
while [ $# -gt 0 ]; do
    case $1 in
    --ci) ci=1; shift ;;
    --vmm)
        case ${2:-} in
        both) vmms="pmemvm qemu" ;;
        qemu | pmemvm) vmms=$2 ;;
        *) usage ;;
        esac
        shift 2
        ;;
    --outdir) outdir=${2:-}; shift 2 || usage ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) scenarios="$scenarios $1"; shift ;;
    esac
done
if [ -z "$scenarios" ]; then
    if [ "$ci" = 1 ]; then
        scenarios=$E2E_CI_SCENARIOS
    else
        scenarios=$E2E_ALL_SCENARIOS
    fi
fi
: "${outdir:=${TMPDIR:-/tmp}/pmemvm-e2e/all-$(date +%Y%m%d-%H%M%S)}"

items=""
for s in $scenarios; do
    e2e_scenario_exists "$s" || { echo "e2e: no scenario '$s'" >&2; exit 2; }
    for v in $vmms; do
        if [ "$ci" = 1 ] && [ "$v" = qemu ] && [ "$scenarios" = "$E2E_CI_SCENARIOS" ] &&
           [[ " $E2E_CI_REFERENCE " != *" $s "* ]]; then
            continue
        fi
        items="$items $v:$s"
    done
done

t0=$(e2e_now)
e2e_run_batch "$outdir" $items || exit 2
npass=0 nfail=0 nskip=0
for item in $items; do
    line=$(e2e_item_line "$outdir" "$item")
    echo "$line"
    case $line in
    PASS*) npass=$((npass + 1)) ;;
    SKIP*) nskip=$((nskip + 1)) ;;
    *) nfail=$((nfail + 1)) ;;
    esac
done
echo "--- $npass passed, $nfail failed, $nskip skipped in $(e2e_elapsed "$t0") s; results in $outdir"
sed 's/^/    /' "$outdir/timings.txt"
if [ "$nfail" -gt 0 ]; then
    exit 1
elif [ "$npass" -eq 0 ]; then
    exit 77
fi
exit 0
