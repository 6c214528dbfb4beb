#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: boot a stock Debian kernel on pmemvm with a 256 MiB NVDIMM
# and show what the guest's `ndctl list` prints.  Where this machine's
# /dev/kvm cannot run a stock kernel, the guest runs on KVM nested inside
# a TCG QEMU (tests/e2e/README.md explains); that takes about a minute.
#   scripts/demo.sh [PMEMVM_BINARY]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export PMEMVM=${1:-$top/build/pmemvm}
out=$(mktemp -d /tmp/pmemvm-demo.XXXXXX)
if [ ! -x "$PMEMVM" ]; then
    echo "demo: no pmemvm at $PMEMVM: run 'make' first" >&2
    exit 1
fi
echo "demo: booting a Linux guest with an NVDIMM on $PMEMVM ..."
"$top/tests/e2e/run-scenario.sh" --vmm pmemvm --scenario nvdimm-basic \
    --outdir "$out" > "$out/run.log" 2>&1
rc=$?
dir=$out/pmemvm/nvdimm-basic
if [ -f "$dir/boot1.cmd" ]; then
    echo "demo: the VMM command line was:"
    # The harness records it shell-quoted (printf %q); show it plainly.
    sed 's/\\\([, ]\)/\1/g; s/^/    /' "$dir/boot1.cmd"
fi
if [ -f "$dir/boot1.log" ]; then
    echo "demo: inside the guest, 'ndctl list -NRD' printed:"
    sed -n '/E2E-OUTPUT-BEGIN ndctl_list/,/E2E-OUTPUT-END ndctl_list/p' \
        "$dir/boot1.log" | sed '1d;$d' | tr -d '\r'
fi
case $rc in
0)  echo "demo: OK (guest output and backing file in $out)" ;;
77) echo "demo: SKIPPED: $(tail -1 "$out/run.log")"; exit 77 ;;
*)  echo "demo: FAILED (exit $rc); logs in $out"; tail -20 "$out/run.log"
    exit 1 ;;
esac
