#!/bin/sh
# make bench: pmemvm against QEMU 7.2 (start-up, RSS, label reads).
# usage: tests/bench/run.sh [PMEMVM_BINARY] [bench.py options]
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/pmemvm}
[ $# -gt 0 ] && shift
exec python3 "$here/bench.py" --pmemvm "$bin" "$@"
