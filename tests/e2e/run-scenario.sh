#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run one e2e scenario on one VMM.
#
#   run-scenario.sh --vmm qemu|pmemvm --scenario NAME [--outdir DIR]
#
# Exit status: 0 pass, 1 fail, 77 skipped (the reason is printed), 2 usage.
# Scenarios are in scenarios/NAME.sh; the environment variables are listed
# at the top of runner.sh (PMEMVM, E2E_MODE, E2E_INNER_CPU, ...).
set -uo pipefail
. "$(dirname "$0")/runner.sh"

usage() {
    echo "usage: $0 --vmm qemu|pmemvm --scenario NAME [--outdir DIR]" >&2
    echo "scenarios: $(echo $E2E_ALL_SCENARIOS) probe" >&2
    exit 2
}

vmm="" scenario="" outdir=""
while [ $# -gt 0 ]; do
    case $1 in
    --vmm) vmm=${2:-}; shift 2 || usage ;;
    --scenario) scenario=${2:-}; shift 2 || usage ;;
    --outdir) outdir=${2:-}; shift 2 || usage ;;
    -h | --help) usage ;;
    *) usage ;;
    esac
done
case $vmm in qemu | pmemvm) ;; *) usage ;; esac
[ -n "$scenario" ] || usage
e2e_scenario_exists "$scenario" || { echo "e2e: no scenario '$scenario'" >&2; usage; }
: "${outdir:=${TMPDIR:-/tmp}/pmemvm-e2e/$vmm-$scenario-$(date +%Y%m%d-%H%M%S)}"

t0=$(e2e_now)
e2e_run_batch "$outdir" "$vmm:$scenario" || exit 2
line=$(e2e_item_line "$outdir" "$vmm:$scenario")
echo "$line"
echo "results in $outdir ($(e2e_elapsed "$t0") s)"
case $line in
PASS*) exit 0 ;;
SKIP*) exit 77 ;;
*) exit 1 ;;
esac
