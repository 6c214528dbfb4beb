# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Tables of medians and ratios from the runs.txt files that boot-job.sh
# leaves (OUTDIR/VMM/SCENARIO/runs.txt, one "KEY=VALUE ..." line per run).
# Sourced by boot.sh and virtio-pmem.sh, which set $outdir and $sc, and
# $here (this directory), after tests/e2e/runner.sh.
# shellcheck disable=SC2154  # outdir, sc, here: set by the sourcing script

# bench_boots RUNS EXTRA_ARGS : boot scenario $sc RUNS times on each VMM,
# alternating, in one go of the e2e harness with boot-job.sh as its job
# (boot-stamp.py and e2e-pmbench staged next to it), EXTRA_ARGS added to
# both command lines; results in $outdir.  Prints the result line of a
# VMM whose runs did not all pass.  Returns 0, 1 when a run failed, 2 on
# a usage error, 77 when nothing ran.
bench_boots() {
    local items="" vmm line status=0 ran=0 tools
    tools=$(mktemp -d "${TMPDIR:-/tmp}/pmemvm-bench-tools.XXXXXX") || return 2
    e2e_build_nolibc "$here/../e2e/guest/pmbench.c" "$tools/e2e-pmbench"
    export E2E_EXTRA_ARGS_pmemvm="$2" E2E_EXTRA_ARGS_qemu="$2"
    export E2E_JOB="$here/boot-job.sh"
    export E2E_JOB_FILES="$here/boot-stamp.py $tools/e2e-pmbench"
    for _ in $(seq 1 "$1"); do
        items="$items pmemvm:$sc qemu:$sc"
    done
    # shellcheck disable=SC2086  # one word per item
    e2e_run_batch "$outdir" $items
    local rc=$?
    rm -rf "$tools"
    [ "$rc" = 0 ] || return 2
    for vmm in pmemvm qemu; do
        line=$(e2e_item_line "$outdir" "$vmm:$sc")
        case $line in
        PASS*) ran=1 ;;
        SKIP*) echo "$line" ;;
        *) echo "$line"; status=1; [ -s "$outdir/$vmm/$sc/runs.txt" ] && ran=1 ;;
        esac
    done
    [ "$ran" = 1 ] || return 77
    return $status
}

# bench_once : scenario $sc once on each VMM, in one go of the e2e harness
# (results in $outdir), printing each item's result line.  Returns 0, 1
# when one failed, 2 on a usage error, 77 when nothing ran.
bench_once() {
    local vmm line status=0 ran=0
    e2e_run_batch "$outdir" "pmemvm:$sc" "qemu:$sc" || return 2
    for vmm in pmemvm qemu; do
        line=$(e2e_item_line "$outdir" "$vmm:$sc")
        echo "$line"
        case $line in
        PASS*) ran=1 ;;
        SKIP*) ;;
        *) status=1 ;;
        esac
    done
    [ "$ran" = 1 ] || return 77
    return $status
}

# field VMM KEY [CACHE] : the values of KEY in that VMM's successful runs,
# sorted; pmemvm's runs with a warm cache of unpacked kernels (QEMU's all),
# or only those whose cache= is CACHE.
field() {
    local want=${3:-}
    sed -n "/ rc=0\\( \\|\$\\)/p" "$outdir/$1/$sc/runs.txt" 2>/dev/null |
        if [ -n "$want" ]; then grep " cache=$want "; else grep -v " cache=cold "; fi |
        sed -n "s/.* $2=\\([0-9.]*\\)\\( .*\\)\\{0,1\\}\$/\\1/p" | sort -n
}

# median VALUES... (sorted): the middle one, or the mean of the middle two.
median() {
    [ $# -gt 0 ] || { echo -; return; }
    local -a v=("$@")
    local n=${#v[@]}
    if [ $((n % 2)) = 1 ]; then
        echo "${v[$((n / 2))]}"
    else
        awk -v a="${v[$((n / 2 - 1))]}" -v b="${v[$((n / 2))]}" 'BEGIN { print (a + b) / 2 }'
    fi
}

# ratio A B : A / B with two decimals, or "-".
ratio() {
    if [ "$1" = - ] || [ "$2" = - ]; then
        echo -
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
    fi
}

# vmm_median VMM KEY SCALE FORMAT [CACHE] : the median of KEY over VMM's
# runs, divided by SCALE and printed with FORMAT, or "-".
vmm_median() {
    local m
    # shellcheck disable=SC2046
    m=$(median $(field "$1" "$2" "${5:-}"))
    [ "$m" = - ] || m=$(awk -v x="$m" -v s="$3" "BEGIN { printf \"$4\", x / s }")
    echo "$m"
}

# row LABEL KEY SCALE FORMAT [PMEMVM_CACHE] : one line of the table,
# pmemvm's median, QEMU's and their ratio.
row() {
    local p q
    p=$(vmm_median pmemvm "$2" "$3" "$4" "${5:-}")
    q=$(vmm_median qemu "$2" "$3" "$4")
    printf '%-44s %10s %10s %8s\n' "$1" "$p" "$q" "$(ratio "$p" "$q")"
}
