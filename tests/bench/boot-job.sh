#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The job of tests/bench/boot.sh: run where /dev/kvm works (inside the
# outer VM, or on the host in direct mode) by tests/e2e/runner.sh in place
# of job.sh, with the same CONFIG (see job.sh). Usage: boot-job.sh CONFIG
#
# Each item of E2E_ITEMS ("pmemvm:boot-bench qemu:boot-bench ...", in the
# order given, so the VMMs alternate) is one boot of the boot-bench
# scenario's command line, timed by boot-stamp.py (staged next to this
# script). Per VMM it leaves, under E2E_OUT/VMM/SCENARIO/:
#   runN.cmd, runN.log   the command line; the console, stamped per line
#   runs.txt             one line per run: "run=N cache=... guest_up_s=...
#                        first_s=... ndctl_s=..." (cache: pmemvm unpacked
#                        the bzImage and added it to its cache (cold), or
#                        read it from there (warm); "-" for QEMU and for a
#                        vmlinux, which is not unpacked; guest_up_s: the
#                        guest's uptime when its /init started; the rest:
#                        boot-stamp.py)
#   result               PASS when every run reached the ndctl line and
#                        exited 0, else FAIL with the runs that did not
#
# A benchmark scenario (virtio-pmem-bench) adds its own numbers to the
# run's line: the guest's "E2E-RESULT bench_KEY=VALUE" lines as KEY=VALUE,
# and what its sc_host_bench function prints (KEY=VALUE words, measured
# where the backing files are, after the boot; PMBENCH is e2e-pmbench,
# staged next to this script).  A guest that reports bench_failed fails
# the run.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 CONFIG" >&2; exit 2; }
# shellcheck source=/dev/null
. "$1"
: "${E2E_ACCEL:=kvm}" "${E2E_INNER_CPU:=qemu64}" "${E2E_BOOT_TIMEOUT:=300}"
. "$E2E_DIR/lib.sh"
stamp="$(cd "$(dirname "$0")" && pwd)/boot-stamp.py"
PMBENCH="$(dirname "$stamp")/e2e-pmbench"

mkdir -p "$E2E_OUT" "$E2E_WORK"
# pmemvm's cache of unpacked kernels starts empty: its first run unpacks
# the bzImage (cache=cold), the next ones read it (cache=warm).
export PMEMVM_CACHE_DIR="$E2E_WORK/kernel-cache"
rm -rf "$PMEMVM_CACHE_DIR"
cache_entries() {
    local -a e
    e=("$PMEMVM_CACHE_DIR"/vmlinux-*)
    [ -e "${e[0]}" ] && echo "${#e[@]}" || echo 0
}
echo "E2E-JOB-BEGIN items: $E2E_ITEMS"
declare -A RUNS FAILS
for item in $E2E_ITEMS; do
    VMM=${item%%:*}
    SCENARIO=${item#*:}
    ITEM_DIR="$E2E_OUT/$VMM/$SCENARIO"
    n=$((${RUNS[$VMM]:-0} + 1))
    RUNS[$VMM]=$n
    mkdir -p "$ITEM_DIR"
    [ "$n" -gt 1 ] || : >"$ITEM_DIR/runs.txt"
    # shellcheck disable=SC2034  # VMM_BIN, VMM_EXTRA: for e2e_vmm_cmd (lib.sh)
    case $VMM in
    qemu) VMM_BIN=$E2E_QEMU; VMM_EXTRA=${E2E_EXTRA_ARGS_qemu:-} ;;
    pmemvm) VMM_BIN=$E2E_PMEMVM; VMM_EXTRA=${E2E_EXTRA_ARGS_pmemvm:-} ;;
    *) echo "E2E-ITEM $VMM/$SCENARIO FAIL unknown VMM"; continue ;;
    esac
    if [ "$E2E_ACCEL" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
        echo "SKIP ${E2E_NO_KVM_REASON:-no usable /dev/kvm here}" >"$ITEM_DIR/result"
        echo "E2E-ITEM $VMM/$SCENARIO SKIP"
        continue
    fi
    cached_before=$(cache_entries)
    # One boot, in a subshell: the scenario's variables stay there.
    line=$(
        WORK="$E2E_WORK/bench-$VMM"
        rm -rf "$WORK" && mkdir -p "$WORK"
        # shellcheck disable=SC2034  # read by e2e_vmm_cmd
        SC_MACHINE="nvdimm=on"
        # shellcheck source=/dev/null
        . "$E2E_DIR/scenarios/$SCENARIO.sh"
        sc_setup >"$ITEM_DIR/setup.log" 2>&1 || { echo "setup_failed=1"; exit 0; }
        e2e_vmm_cmd 1
        printf '%q ' "${E2E_CMD[@]}" >"$ITEM_DIR/run$n.cmd"
        echo >>"$ITEM_DIR/run$n.cmd"
        python3 "$stamp" --log "$ITEM_DIR/run$n.log" \
            --timeout "$E2E_BOOT_TIMEOUT" -- "${E2E_CMD[@]}"
        if declare -F sc_host_bench >/dev/null; then
            # shellcheck disable=SC2034  # PMBENCH: for sc_host_bench
            PMBENCH=$PMBENCH sc_host_bench 2>>"$ITEM_DIR/setup.log"
        fi
        rm -rf "$WORK"
    )
    # One line: boot-stamp.py's, sc_host_bench's words, the guest's bench_*
    # (runN.log is "SECONDS<TAB>LINE").
    bench=$(tr -d '\r' <"$ITEM_DIR/run$n.log" |
        sed -n 's/^[0-9.]*\tE2E-RESULT bench_\([A-Za-z0-9_]*=[^ ]*\)$/\1/p')
    # shellcheck disable=SC2086  # joined on white space on purpose
    line=$(echo $line $bench)
    # A run that added an entry unpacked the kernel (cold); one that found
    # its entry there read it (warm); "-": no cache used (QEMU, PVH).
    cache=-
    if [ "$(cache_entries)" -gt "$cached_before" ]; then
        cache=cold
    elif [ "$cached_before" -gt 0 ] && [ "$VMM" = pmemvm ]; then
        cache=warm
    fi
    # The guest's own uptime when its /init started (kernel boot time).
    up=$(sed -n 's/.*E2E-RESULT uptime_at_start=\([0-9.]*\).*/\1/p' "$ITEM_DIR/run$n.log" | head -n 1)
    line="cache=$cache guest_up_s=${up:--} $line"
    echo "run=$n $line" >>"$ITEM_DIR/runs.txt"
    if [[ " $line " == *" rc=0 "* && " $line " != *" ndctl_s=- "* &&
          " $line " != *" failed="* ]]; then
        echo "E2E-ITEM $VMM/$SCENARIO run $n: $line"
    else
        FAILS[$VMM]="${FAILS[$VMM]:-} run$n"
        echo "E2E-ITEM $VMM/$SCENARIO run $n FAIL: $line"
    fi
done
for vmm in "${!RUNS[@]}"; do
    for dir in "$E2E_OUT/$vmm"/*/; do
        [ -e "$dir/result" ] && continue
        if [ -n "${FAILS[$vmm]:-}" ]; then
            echo "FAIL no ndctl line or exit status != 0 in${FAILS[$vmm]} (runN.log)" >"$dir/result"
        else
            echo "PASS" >"$dir/result"
        fi
    done
done
echo "E2E-JOB-END"
