#!/bin/sh
# make bench: pmemvm against QEMU 7.2: bench.py (start-up, RSS, label
# reads, over qtest), then boot.sh (a real guest booted to its first
# `ndctl list` line, in the e2e harness's nested VM where needed).
# usage: tests/bench/run.sh [PMEMVM_BINARY] [bench.py options]
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/pmemvm}
[ $# -gt 0 ] && shift
python3 "$here/bench.py" --pmemvm "$bin" "$@"
rc=$?
echo
"$here/boot.sh" "$bin"
brc=$?
# boot.sh exits 77 when nothing could run (no KVM, no kernel): not a failure.
[ "$brc" = 77 ] && brc=0
[ "$rc" != 0 ] && exit "$rc"
exit "$brc"
