#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: pmemvm against QEMU 7.2: bench.py (start-up, RSS, label
# reads, over qtest), then boot.sh (a real guest booted to its first
# `ndctl list` line, in the e2e harness's nested VM where needed) from the
# bzImage, and again from its ELF vmlinux (PVH entry), then virtio-pmem.sh
# (guest flush latency and bandwidth of a virtio-pmem device), then
# hotplug.sh (NVDIMM and virtio-pmem hot-add and unplug latency), then
# net.sh (bulk TCP over -netdev user and virtio-net-pci, both ways).
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
echo
BOOT_BENCH_SCENARIO=boot-bench-pvh "$here/boot.sh" "$bin"
prc=$?
[ "$prc" = 77 ] && prc=0
[ "$brc" = 0 ] && brc=$prc
echo
"$here/virtio-pmem.sh" "$bin"
vrc=$?
[ "$vrc" = 77 ] && vrc=0
[ "$brc" = 0 ] && brc=$vrc
echo
"$here/hotplug.sh" "$bin"
hrc=$?
[ "$hrc" = 77 ] && hrc=0
[ "$brc" = 0 ] && brc=$hrc
echo
"$here/net.sh" "$bin"
nrc=$?
[ "$nrc" = 77 ] && nrc=0
[ "$brc" = 0 ] && brc=$nrc
[ "$rc" != 0 ] && exit "$rc"
exit "$brc"
