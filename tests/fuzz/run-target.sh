#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run one libFuzzer target for $FUZZ_SECONDS (default 10) on a copy of its
# seed corpus, as a TAP test: "ok" with the executions reached, or
# "not ok" with the crash file kept in ARTIFACTS.
#   run-target.sh TARGET SEED_DIR ARTIFACTS
set -u
target=$1 seeds=$2 artifacts=$3
name=$(basename "$target")
secs=${FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts" "$work/corpus"
cp "$seeds"/* "$work/corpus/" 2>/dev/null
echo "1..1"
"$target" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
    "$work/corpus" >"$work/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
# Keep the last lines for the test log either way.
tail -n 40 "$work/log" | sed 's/^/# /'
if [ "$rc" -eq 0 ]; then
    echo "ok 1 $name: ${runs:-?} executions in $secs s"
else
    echo "not ok 1 $name: exit $rc after ${runs:-?} executions; see $artifacts"
fi
