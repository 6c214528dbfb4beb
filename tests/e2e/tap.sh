#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run real-guest scenarios (run-all.sh) and report them as TAP, one line
# per VMM/scenario, so that meson and scripts/test-summary.py count each.
#   tap.sh [run-all.sh options]       e.g. tap.sh --ci
#   tap.sh --libvirt [run-libvirt.sh options]
here=$(cd "$(dirname "$0")" && pwd)
n=0
fail=0
out=$(mktemp)
runner=run-all.sh
if [ "${1:-}" = --libvirt ]; then
    # libvirtd runs the VMMs (run-libvirt.sh)
    runner=run-libvirt.sh
    shift
fi
"$here/$runner" "$@" > "$out" 2>&1
rc=$?
while IFS= read -r line; do
    case "$line" in
    PASS\ *)
        n=$((n + 1)); echo "ok $n ${line#PASS }" ;;
    FAIL\ *)
        n=$((n + 1)); fail=1; echo "not ok $n ${line#FAIL }" ;;
    SKIP\ *)
        rest=${line#SKIP }
        n=$((n + 1)); echo "ok $n ${rest%%:*} # SKIP ${rest#*: }" ;;
    *)
        echo "# $line" ;;
    esac
done < "$out"
rm -f "$out"
if [ "$n" -eq 0 ]; then
    # run-all.sh failed before any scenario (e.g. usage error): one failure.
    n=1; echo "not ok 1 $runner exited $rc without results"; fail=1
fi
echo "1..$n"
[ "$fail" -eq 0 ] || exit 1
exit 0
