#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run a batch of e2e items ("VMM:SCENARIO") on a machine whose /dev/kvm
# can boot a stock kernel: the outer VM (nested mode) or the host itself
# (direct mode). Usage: job.sh CONFIG
#
# CONFIG is a shell fragment setting:
#   E2E_ITEMS         "qemu:nvdimm-basic pmemvm:nvdimm-basic ..."
#   E2E_OUT           results: E2E_OUT/VMM/SCENARIO/{result,boot*.log,...}
#   E2E_WORK          scratch for backing files (must support MAP_SHARED
#                     writable mappings: tmpfs or a local disk, not 9p)
#   E2E_DIR           this directory (scenarios/, guest-lib.sh)
#   E2E_KERNEL        guest kernel;  E2E_INITRD  inner initramfs
#   E2E_VMLINUX       the ELF inside E2E_KERNEL (SC_VMLINUX=1 scenarios)
#   E2E_QEMU          qemu-system-x86_64;  E2E_PMEMVM  pmemvm binary
#   E2E_INNER_CPU     -cpu of the inner VM (default qemu64)
#   E2E_ACCEL         accelerator of the inner VM (default kvm; tcg is for
#                     debugging scenarios with QEMU only)
#   E2E_BOOT_TIMEOUT  seconds per inner boot (default 300)
#   E2E_SILENT_TIMEOUT seconds an inner boot may go without a console line
#                     from the guest (firmware banners and the VMM's own
#                     lines do not count; default 120); such a boot is stopped, and its
#                     item run once more (the outer machine's nested KVM
#                     sometimes never starts a guest; see README.md)
#   E2E_KEEP_BACKING  1: copy backing files to the result directory
#   E2E_EXTRA_ARGS_qemu / E2E_EXTRA_ARGS_pmemvm: extra VMM arguments
#   E2E_NO_KVM_REASON the SKIP reason when /dev/kvm is missing
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 CONFIG" >&2; exit 2; }
# shellcheck source=/dev/null
. "$1"
: "${E2E_ACCEL:=kvm}" "${E2E_INNER_CPU:=qemu64}" "${E2E_BOOT_TIMEOUT:=300}" "${E2E_KEEP_BACKING:=1}"
: "${E2E_SILENT_TIMEOUT:=120}"
. "$E2E_DIR/lib.sh"
. "$E2E_DIR/guest-lib.sh"

# ---- helpers for the host side of scenarios (sc_setup, sc_check) -------

# res KEY [BOOT] : the value of E2E-RESULT KEY=VALUE from boot BOOT
# (default: the last boot); empty when absent.
# Results are loaded once per boot (load_results): forks are slow in the
# outer VM.
declare -A RESULTS
res() {
    local boot=${2:-$SC_BOOTS}
    echo "${RESULTS[$boot|$1]:-}"
}

# load_results BOOT : results-bootN.txt into RESULTS; the last value wins.
load_results() {
    local line key
    while IFS= read -r line; do
        case $line in
        *=*) key="$1|${line%%=*}"; RESULTS[$key]=${line#*=} ;;
        esac
    done <"$ITEM_DIR/results-boot$1.txt"
}

# record PASS|FAIL NAME DETAIL
record() {
    echo "$1 $2: $3" >>"$ITEM_DIR/checks.txt"
    [ "$1" = PASS ] || FAILED="$FAILED $2"
}

# note NAME DETAIL : an INFO line in checks.txt, which never fails the item
# (for outcomes that are only recorded, e.g. the reference VMM's).
note() {
    echo "INFO $1: $2" >>"$ITEM_DIR/checks.txt"
}

# expect_eq KEY EXPECTED [BOOT] : result KEY equals EXPECTED.
expect_eq() {
    local got
    got=$(res "$1" "${3:-}")
    if [ "$got" = "$2" ]; then
        record PASS "$1${3:+@boot$3}" "= $got"
    else
        record FAIL "$1${3:+@boot$3}" "expected '$2', got '$got'"
    fi
}

# expect_ne KEY UNWANTED [BOOT] : result KEY is present and not UNWANTED.
expect_ne() {
    local got
    got=$(res "$1" "${3:-}")
    if [ -n "$got" ] && [ "$got" != "$2" ]; then
        record PASS "$1${3:+@boot$3}" "= $got"
    else
        record FAIL "$1${3:+@boot$3}" "expected something other than '$2', got '$got'"
    fi
}

# expect NAME COMMAND... : COMMAND succeeds.
expect() {
    local name=$1
    shift
    if "$@" >>"$ITEM_DIR/checks.log" 2>&1; then
        record PASS "$name" "$*"
    else
        record FAIL "$name" "failed: $*"
    fi
}

# backing_has_pattern FILE OFFSET TAG : 4 KiB pattern TAG at byte OFFSET.
backing_has_pattern() {
    e2e_pattern "$3" >"$WORK/.expected"
    dd if="$1" bs=4096 skip=$(($2 / 4096)) count=1 2>/dev/null |
        cmp - "$WORK/.expected"
}

# backing_put_pattern FILE OFFSET TAG : 4 KiB pattern TAG at byte OFFSET
# of FILE (the host's data, for the guest to find).
backing_put_pattern() {
    e2e_pattern "$3" |
        dd of="$1" bs=4096 seek=$(($2 / 4096)) conv=notrunc 2>/dev/null
}

# backing_snapshot FILE, then backing_unchanged FILE : every byte of FILE
# is as it was at the snapshot (a checksum in WORK).
backing_snapshot() {
    sha256sum <"$1" >"$WORK/.sum-$(basename "$1")"
}

backing_unchanged() {
    sha256sum <"$1" | cmp -s - "$WORK/.sum-$(basename "$1")"
}

# ---- one boot of the inner VM ------------------------------------------

# guest_printed LOG : the boot log has a line from the guest's kernel or
# /init, not only the VMM's own lines ("pmemvm: ...", "qemu-system-x86_64:
# ...", pmemvm's register dump after a triple fault) and QEMU's firmware
# banners (SeaBIOS, iPXE, terminal escapes): a reset in SeaBIOS or in the
# kernel's decompressor counts the same for both VMMs.
guest_printed() {
    local n
    # Counted, not "grep -q": under pipefail, grep -q's early exit makes
    # the writers before it fail (SIGPIPE) once the log passes the pipe
    # buffer, and a long log would read as "nothing printed".
    n=$(tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' | grep -a -v -E \
        '^(pmemvm|qemu-system-x86_64): |^(RIP|RAX|RSI|CR0)=|^code at RIP:|SeaBIOS|iPXE|Press Ctrl-B|Booting from ROM|^[[:space:]]*$' |
        grep -a -c .) || true
    [ "${n:-0}" -gt 0 ]
}

# stop_vmm PID : SIGTERM, then SIGKILL two seconds later.
stop_vmm() {
    kill -TERM "$1" 2>/dev/null
    sleep 2
    kill -KILL "$1" 2>/dev/null
}

# run_boot BOOT : start the VMM, call sc_watch BOOT LOG PID every half
# second while it runs (when the scenario has one), enforce the timeouts.
run_boot() {
    local b=$1 log="$ITEM_DIR/boot$1.log" start pid rc deadline
    local fifo="" infd="" driver=""
    e2e_vmm_cmd "$b"
    local -a cmd=("${E2E_CMD[@]}")
    # Monitor steps (sc_steps): a QMP socket for monitor-driver.py, and
    # the serial input through a FIFO it writes "E2E-GO STEP" into.
    if declare -F sc_steps >/dev/null; then
        fifo="$WORK/serial-in.$b"
        rm -f "$fifo" "$WORK/qmp-$b.sock"
        mkfifo "$fifo"
        exec {infd}<>"$fifo"
        sc_steps "$b" >"$ITEM_DIR/steps-boot$b.txt"
        cmd+=(-qmp "unix:$WORK/qmp-$b.sock,server=on,wait=off")
    fi
    printf '%q ' "${cmd[@]}" >"$ITEM_DIR/boot$b.cmd"
    echo >>"$ITEM_DIR/boot$b.cmd"
    start=$(e2e_now)
    if [ -n "$fifo" ]; then
        "${cmd[@]}" <&"$infd" >"$log" 2>&1 &
        pid=$!
        : >"$ITEM_DIR/monitor-boot$b.txt"
        python3 "$E2E_DIR/monitor-driver.py" --qmp "$WORK/qmp-$b.sock" \
            --log "$log" --steps "$ITEM_DIR/steps-boot$b.txt" \
            --input "$fifo" --results "$ITEM_DIR/monitor-boot$b.txt" \
            --qmp-log "$ITEM_DIR/qmp-boot$b.log" --pid "$pid" \
            --timeout "$E2E_BOOT_TIMEOUT" 2>"$ITEM_DIR/driver-boot$b.err" &
        driver=$!
    else
        "${cmd[@]}" </dev/null >"$log" 2>&1 &
        pid=$!
    fi
    deadline=$((SECONDS + E2E_BOOT_TIMEOUT))
    local silent_deadline=$((SECONDS + E2E_SILENT_TIMEOUT)) note="" going=""
    while kill -0 "$pid" 2>/dev/null; do
        if declare -F sc_watch >/dev/null; then
            sc_watch "$b" "$log" "$pid"
        fi
        # Going once the guest's kernel or /init printed: QEMU's firmware
        # banners alone do not count (its inner boot has hung right after
        # "Booting from ROM" under this nesting).
        if [ -z "$going" ] && [ "$SECONDS" -ge "$silent_deadline" ]; then
            if guest_printed "$log"; then
                going=1
            else
                note="e2e: boot $b: the guest printed nothing in ${E2E_SILENT_TIMEOUT}s"
                stop_vmm "$pid"
                SILENT="$SILENT $b"
                break
            fi
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            note="e2e: boot $b timed out after ${E2E_BOOT_TIMEOUT}s"
            stop_vmm "$pid"
            TIMED_OUT="$TIMED_OUT $b"
            break
        fi
        sleep 0.5
    done
    # A VMM stuck in the kernel (a wedged nested vCPU) survives SIGKILL;
    # waiting for it would stop the whole job.
    local n=0
    while [ -n "$note" ] && kill -0 "$pid" 2>/dev/null && [ "$n" -lt 60 ]; do
        sleep 0.5
        n=$((n + 1))
    done
    if [ -n "$note" ] && kill -0 "$pid" 2>/dev/null; then
        note="$note; the VMM survived SIGKILL (stuck in the kernel)"
        rc=137
    else
        wait "$pid"
        rc=$?
    fi
    # After the VMM is gone: it writes at its own offset, not appending.
    [ -z "$note" ] || echo "$note" >>"$log"
    if [ -n "$driver" ]; then
        # It ends when the QMP socket closes; give it a moment.
        local w=0
        while kill -0 "$driver" 2>/dev/null && [ "$w" -lt 20 ]; do
            sleep 0.5
            w=$((w + 1))
        done
        kill "$driver" 2>/dev/null
        wait "$driver" 2>/dev/null
        exec {infd}>&-
        rm -f "$fifo"
    fi
    # Ended on its own (-no-reboot turns a reset into exit 0) before the
    # guest printed a byte: reset in the decompressor or early kernel.
    if [ -z "$note" ] && [ "$rc" = 0 ] && [ "$SC_REBOOT" = 0 ] && ! guest_printed "$log"; then
        EARLY_RESET="$EARLY_RESET $b"
    fi
    local t
    t=$(e2e_elapsed "$start")
    tr -d '\r' <"$log" | sed -n 's/.*E2E-RESULT //p' >"$ITEM_DIR/results-boot$b.txt"
    # The monitor driver's results (host side) count like the guest's.
    [ -z "$driver" ] || cat "$ITEM_DIR/monitor-boot$b.txt" >>"$ITEM_DIR/results-boot$b.txt"
    {
        echo "vmm_rc=$rc"
        echo "boot_seconds=$t"
        # The scenario's own checks decide; its exit status is only logged.
        # Not "tr | grep -q": under pipefail, grep's early exit fails tr.
        if grep -a -q "^E2E-END $SCENARIO boot=$b " "$log"; then
            echo "guest_end=ok"
        else
            echo "guest_end=missing"
        fi
    } >>"$ITEM_DIR/results-boot$b.txt"
    load_results "$b"
    local up
    up=$(res uptime_at_end "$b")
    echo "boot$b $t s (vmm rc $rc${up:+, guest uptime $up s})" >>"$ITEM_DIR/timings.txt"
}

# boot_failure_summary BOOT : why a boot ended without E2E-END, in one
# line for the item's result (the only line CI prints): the VMM's exit
# status and the last console lines, VMM errors and kernel panics first.
boot_failure_summary() {
    local log="$ITEM_DIR/boot$1.log" last
    last=$(tr -d '\r' <"$log" |
        grep -a -E -i 'triple fault|panic|error|oops|e2e:' | tail -n 2 | tr '\n' '|')
    [ -n "$last" ] || last=$(tr -d '\r' <"$log" | grep -a -v '^[[:space:]]*$' | tail -n 2 | tr '\n' '|')
    echo "vmm rc $(res vmm_rc "$1"), console: ${last%|}" | tr -s ' ' | cut -c 1-300
}

# ---- one item ------------------------------------------------------------

# run_item VMM SCENARIO : in a subshell, so scenarios cannot leak state.
run_item() (
    VMM=$1
    SCENARIO=$2
    ITEM_DIR="$E2E_OUT/$VMM/$SCENARIO"
    WORK="$E2E_WORK/$VMM-$SCENARIO"
    rm -rf "$ITEM_DIR" "$WORK"
    mkdir -p "$ITEM_DIR" "$WORK"
    : >"$ITEM_DIR/checks.txt"
    local item_start
    item_start=$(e2e_now)

    finish() {
        echo "$1" >"$ITEM_DIR/result"
        echo "total $(e2e_elapsed "$item_start") s" >>"$ITEM_DIR/timings.txt"
        echo "E2E-ITEM $VMM/$SCENARIO $1 ($(e2e_elapsed "$item_start") s)"
        exit 0
    }

    # shellcheck disable=SC2034  # VMM_EXTRA, SC_MACHINE: for e2e_vmm_cmd (lib.sh)
    case $VMM in
    qemu) VMM_BIN=$E2E_QEMU; VMM_EXTRA=${E2E_EXTRA_ARGS_qemu:-} ;;
    pmemvm) VMM_BIN=$E2E_PMEMVM; VMM_EXTRA=${E2E_EXTRA_ARGS_pmemvm:-} ;;
    *) finish "FAIL unknown VMM '$VMM'" ;;
    esac
    [ -x "$VMM_BIN" ] || finish "SKIP no $VMM binary at $VMM_BIN"
    if [ "$E2E_ACCEL" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
        finish "SKIP ${E2E_NO_KVM_REASON:-no usable /dev/kvm here}"
    fi
    [ -r "$E2E_DIR/scenarios/$SCENARIO.sh" ] || finish "FAIL no scenario $SCENARIO"
    local why
    why=$(e2e_unsupported "$VMM" "$VMM_BIN" "$E2E_DIR/scenarios/$SCENARIO.sh")
    [ -z "$why" ] || finish "SKIP $why"

    SC_BOOTS=1
    # shellcheck disable=SC2034
    SC_MACHINE="nvdimm=on"
    SC_NO_END=""
    SC_REBOOT=0
    FAILED=""
    BOOT_WHY=""
    TIMED_OUT=""
    SILENT=""
    EARLY_RESET=""
    # shellcheck source=/dev/null
    . "$E2E_DIR/scenarios/$SCENARIO.sh"
    local t
    t=$(e2e_now)
    if declare -F sc_setup >/dev/null; then
        sc_setup >"$ITEM_DIR/setup.log" 2>&1 || finish "FAIL sc_setup (see setup.log)"
    fi
    echo "setup $(e2e_elapsed "$t") s" >>"$ITEM_DIR/timings.txt"
    local b
    for b in $(seq 1 "$SC_BOOTS"); do
        run_boot "$b"
        [ -z "$EARLY_RESET" ] || break
        if [ "$(res guest_end "$b")" != ok ]; then
            case " $SC_NO_END " in
            *" $b "*) ;;
            *) record FAIL "boot$b" "no 'E2E-END' on the console (boot$b.log)"
               BOOT_WHY="$BOOT_WHY; boot$b: $(boot_failure_summary "$b")" ;;
            esac
        fi
        [ -z "$(res modules_failed "$b")" ] ||
            record FAIL "modules@boot$b" "insmod failed: $(res modules_failed "$b")"
    done
    t=$(e2e_now)
    [ -z "$TIMED_OUT$SILENT$EARLY_RESET" ] && sc_check >>"$ITEM_DIR/checks.log" 2>&1
    echo "check $(e2e_elapsed "$t") s" >>"$ITEM_DIR/timings.txt"
    t=$(e2e_now)

    local f
    if [ "$E2E_KEEP_BACKING" = 1 ]; then
        for f in "$WORK"/*; do   # not the dot files (.expected)
            [ -f "$f" ] && cp --sparse=always "$f" "$ITEM_DIR/"
        done
    fi
    rm -rf "$WORK"
    echo "collect $(e2e_elapsed "$t") s" >>"$ITEM_DIR/timings.txt"

    if [ -n "$SILENT" ]; then
        finish "FAIL silent boot${SILENT# } (nothing from the guest on the console in ${E2E_SILENT_TIMEOUT}s)"
    elif [ -n "$EARLY_RESET" ]; then
        finish "FAIL early reset in boot${EARLY_RESET# }: the VMM ended (rc 0) before the guest printed anything [$(boot_failure_summary "${EARLY_RESET# }")]"
    elif [ -n "$TIMED_OUT" ]; then
        finish "FAIL timeout in boot${TIMED_OUT# }"
    elif [ -n "$FAILED" ]; then
        finish "FAIL $(echo $FAILED | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')${BOOT_WHY:+ [${BOOT_WHY#; }]}"
    else
        finish "PASS"
    fi
)

mkdir -p "$E2E_OUT" "$E2E_WORK"
# pmemvm's cache of unpacked kernels: one per job, so that the first
# pmemvm boot of a batch unpacks the bzImage and the others read it.
export PMEMVM_CACHE_DIR="$E2E_WORK/kernel-cache"
echo "E2E-JOB-BEGIN items: $E2E_ITEMS"
# A line every E2E_HEARTBEAT seconds on the console: the host stops an
# outer VM that has gone quiet (runner.sh).
if [ "${E2E_HEARTBEAT:-0}" -gt 0 ]; then
    (while sleep "$E2E_HEARTBEAT"; do echo "E2E-HEARTBEAT"; done) &
    heartbeat=$!
    trap 'kill "$heartbeat" 2>/dev/null' EXIT
fi
for item in $E2E_ITEMS; do
    run_item "${item%%:*}" "${item#*:}"
    dir="$E2E_OUT/${item%%:*}/${item#*:}"
    # A boot that printed nothing at all never got going, or was reset
    # before the guest printed a byte (both seen with both VMMs under this
    # nesting, see README.md): once more, keeping the first attempt.
    if grep -q -E '^FAIL (silent|early reset)' "$dir/result" 2>/dev/null; then
        reason="the first attempt never got going: $(cat "$dir/result")"
        rm -rf "$dir.attempt1" && mv "$dir" "$dir.attempt1"
        echo "E2E-ITEM-RETRY ${item%%:*}/${item#*:}"
        run_item "${item%%:*}" "${item#*:}"
        echo "$reason" >"$dir/rerun"
    fi
done
echo "E2E-JOB-END"
