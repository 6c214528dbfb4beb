#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The job of tests/e2e/run-libvirt.sh: run where /dev/kvm works (inside the
# outer VM, or on the host in direct mode) by tests/e2e/runner.sh in place
# of job.sh, with the same CONFIG (see job.sh).  Usage: libvirt-job.sh CONFIG
#
# Each item of E2E_ITEMS ("pmemvm:libvirt-paused qemu:libvirt-paused") gets
# a libvirtd of its own (libvirt-lib.sh) whose domain's <emulator> is that
# VMM, and runs the steps of its scenario file, each one a check in
# E2E_OUT/VMM/SCENARIO/checks.txt.  What QEMU 7.2 cannot do (detach a
# virtio-pmem device) is noted for it, not failed.  Also left there: the
# domain XML, libvirtd's log with every QMP command it sent and the answer
# (libvirtd.log) and their summary (qmp-commands.txt, by qmp-summary.py:
# each command of each monitor session and the kinds of answer it got),
# the VMM's log as libvirt wrote it (domain.log) and result.
set -uo pipefail
# The outer VM's job starts with PATH=/bin; libvirtd lives in /usr/sbin.
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

[ $# -eq 1 ] || { echo "usage: $0 CONFIG" >&2; exit 2; }
# shellcheck source=/dev/null
. "$1"
. "$E2E_DIR/lib.sh"
. "$E2E_DIR/libvirt-lib.sh"

write_result() {
    echo "$1" >"$ITEM_DIR/result"
}

record() {
    echo "$1 $2: $3" >>"$ITEM_DIR/checks.txt"
    [ "$1" = PASS ] || FAILED="$FAILED $2"
}

note() {
    echo "INFO $1: $2" >>"$ITEM_DIR/checks.txt"
}

# step NAME COMMAND... : run it, its output in steps.log; PASS or FAIL.
step() {
    local name=$1 out
    shift
    out=$("$@" 2>&1)
    local rc=$?
    printf '== %s: %s (rc=%d)\n%s\n' "$name" "$*" "$rc" "$out" >>"$ITEM_DIR/steps.log"
    echo "E2E-STEP $VMM/$SCENARIO $name rc=$rc"
    if [ "$rc" = 0 ]; then
        record PASS "$name" "$*"
    else
        record FAIL "$name" "$(echo "$out" | grep -v '^$' | tail -n 1)"
    fi
    return "$rc"
}

# dom_state : "paused", "running", "shut off", ... as dominfo says.
dom_state() {
    virsh dominfo "$DOM" 2>/dev/null | sed -n 's/^State: *//p'
}

# memory_device_ids : the ids query-memory-devices reports, one per line.
memory_device_ids() {
    virsh qemu-monitor-command "$DOM" '{"execute":"query-memory-devices"}' |
        grep -o '"id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/'
}

# QMP commands libvirt 9.0 sends to start a domain and hot-plug memory
# (seen in libvirtd.log with QEMU 7.2 under KVM), besides the probe's.
LV_DOMAIN_QMP="migrate-set-capabilities query-chardev query-cpus-fast qom-list
    query-memory-devices object-add device_add device_del"

# lv_missing_qmp EMULATOR : those of LV_DOMAIN_QMP the emulator lacks.
lv_missing_qmp() {
    local have c missing=""
    have=$(printf '%s\n' '{"execute":"qmp_capabilities"}' \
        '{"execute":"query-commands"}' '{"execute":"quit"}' |
        timeout 30 "$1" -machine none -nodefaults -qmp stdio 2>/dev/null |
        grep -o '"name": "[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
    for c in $LV_DOMAIN_QMP; do
        grep -qx -- "$c" <<<"$have" || missing="$missing $c"
    done
    echo "${missing# }"
}

libvirt_paused() {
    local emu=$1 caps xml="$ITEM_DIR/domain.xml" tty
    step domcapabilities virsh domcapabilities --emulatorbin "$emu" \
        --virttype "${LV_VIRT_TYPE:-kvm}" --arch x86_64 || return
    # libvirt 9.0's domcapabilities has no memory-device section: what it
    # learnt is in its capabilities cache, one flag per feature it will use.
    caps=$(grep -l "<emulator>$emu</emulator>" "$LV_DIR"/cache/qemu/capabilities/*.xml 2>/dev/null | head -n 1)
    step caps.nvdimm grep -q "<flag name='nvdimm'/>" "$caps"
    step caps.virtio-pmem-pci grep -q "<flag name='virtio-pmem-pci'/>" "$caps"
    lv_domain_xml "$DOM" "$emu" "$E2E_KERNEL" "$E2E_INITRD" \
        "console=ttyS0 e2e=libvirt-paused" "$(e2e_backing nv0.img 128M)" >"$xml"
    lv_nvdimm_xml "$(e2e_backing nv1.img 128M)" >"$ITEM_DIR/nvdimm1.xml"
    lv_virtio_pmem_xml "$(e2e_backing vp0.img 128M)" >"$ITEM_DIR/virtio-pmem.xml"
    step define virsh define "$xml" || return
    if step start-paused virsh start --paused "$DOM"; then
        cp "$LV_DIR/log/qemu/$DOM.log" "$ITEM_DIR/domain.log" 2>/dev/null
        [ "$(dom_state)" = paused ] && record PASS dominfo.paused "paused" ||
            record FAIL dominfo.paused "state '$(dom_state)'"
        tty=$(virsh ttyconsole "$DOM" 2>/dev/null)
        case $tty in
        /dev/pts/*) record PASS console.pty "$tty" ;;
        *) record FAIL console.pty "ttyconsole said '$tty'" ;;
        esac
        # <numatune><memnode>: the guest RAM's backend bound to node 0
        virsh qemu-monitor-command "$DOM" '{"execute":"query-memdev"}' \
            >"$ITEM_DIR/memdev.json" 2>&1
        if grep -q '"host-nodes": *\[0\]' "$ITEM_DIR/memdev.json" &&
            grep -q '"policy": *"bind"' "$ITEM_DIR/memdev.json"; then
            record PASS numatune.bind "query-memdev: policy bind, host-nodes [0]"
        else
            record FAIL numatune.bind "query-memdev: $(head -c 300 "$ITEM_DIR/memdev.json")"
        fi
        # and the kernel has the policy: a mapping of the VMM bound to 0
        local pid
        pid=$(cat "$LV_DIR/run/qemu/$DOM.pid" 2>/dev/null)
        if [ -n "$pid" ] && grep -q ' bind:0 ' "/proc/$pid/numa_maps" 2>/dev/null; then
            record PASS numatune.kernel "/proc/$pid/numa_maps: bind:0"
        else
            record FAIL numatune.kernel "no bind:0 mapping in /proc/${pid:-?}/numa_maps"
        fi
        step attach.nvdimm virsh attach-device "$DOM" "$ITEM_DIR/nvdimm1.xml" --live
        step attach.virtio-pmem virsh attach-device "$DOM" \
            "$ITEM_DIR/virtio-pmem.xml" --live
        memory_device_ids >"$ITEM_DIR/memory-devices.txt"
        step memory-devices grep -qx virtiopmem0 "$ITEM_DIR/memory-devices.txt"
        # A paused guest cannot release a device: pmemvm sends the eject
        # request and keeps the device until the guest's _EJ0 (libvirt then
        # says the request was sent); QEMU 7.2 refuses at once.
        if [ "$VMM" = qemu ]; then
            if virsh detach-device "$DOM" "$ITEM_DIR/virtio-pmem.xml" --live \
                    >>"$ITEM_DIR/steps.log" 2>&1; then
                record FAIL detach.virtio-pmem "QEMU 7.2 detached a virtio-pmem device"
            else
                note detach.virtio-pmem "QEMU cannot: $(tail -n 2 "$ITEM_DIR/steps.log" | grep -v '^$' | tail -n 1)"
            fi
        else
            step detach.virtio-pmem-request virsh detach-device "$DOM" \
                "$ITEM_DIR/virtio-pmem.xml" --live
        fi
        step destroy virsh destroy "$DOM"
        [ "$(dom_state)" = "shut off" ] && record PASS dominfo.shut-off "shut off" ||
            record FAIL dominfo.shut-off "state '$(dom_state)'"
    fi
    cp "$LV_DIR/log/qemu/$DOM.log" "$ITEM_DIR/domain.log" 2>/dev/null
    step undefine virsh undefine "$DOM"
}

# wait_console FILE PATTERN SECONDS : PATTERN appears in FILE in time.
wait_console() {
    local n=$(($3 * 2))
    while [ "$n" -gt 0 ]; do
        [ -e "$1" ] && tr -d '\r' <"$1" | grep -a -q -e "$2" && return 0
        sleep 0.5
        n=$((n - 1))
    done
    return 1
}

# console_roundtrip : "virsh console" as a user runs it (in a terminal,
# here script(1)'s): once connected, type a line the guest reads from its
# console and answers; then leave with Ctrl-].  The pty reader (cat) is
# stopped around it, so that the answer reaches virsh.
CONSOLE_WORD=pmemvm-console-ok
console_roundtrip() {
    local fifo="$WORK/console.fifo" log="$ITEM_DIR/virsh-console.log" pid n
    rm -f "$fifo"
    mkfifo "$fifo"
    script -qfec "virsh console $DOM" "$log" <"$fifo" >/dev/null 2>&1 &
    pid=$!
    exec 7>"$fifo"
    if wait_console "$log" "Escape character" 30; then
        record PASS console.connect "virsh console connected"
        sleep 1
        (printf '%s\r' "$CONSOLE_WORD" >&7) 2>/dev/null
        if wait_console "$log" "E2E-RESULT console_input=" 60; then
            tr -d '\r' <"$log" | grep -q "^E2E-RESULT console_input=$CONSOLE_WORD\$" &&
                record PASS console.roundtrip "the guest read what was typed into virsh console" ||
                record FAIL console.roundtrip "$(tr -d '\r' <"$log" | grep -a 'console_input=' | tail -n 1)"
        else
            record FAIL console.roundtrip "no answer from the guest through virsh console"
        fi
    else
        record FAIL console.connect "virsh console: $(tr -d '\r' <"$log" | tail -n 1)"
    fi
    # Ctrl-]: leave the console (in a subshell: if virsh is gone already,
    # the write's SIGPIPE must not end this job)
    (printf '\035' >&7) 2>/dev/null
    exec 7>&-
    n=20
    while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.5
        n=$((n - 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        record FAIL console.leave "virsh console did not end on Ctrl-]"
    else
        wait "$pid" && record PASS console.leave "Ctrl-] ended virsh console" ||
            record FAIL console.leave "virsh console exited with $?"
    fi
    rm -f "$fifo"
}

# console_result KEY : E2E-RESULT KEY=VALUE from the guest's console.
console_result() {
    tr -d '\r' <"$ITEM_DIR/console.log" |
        sed -n "s/^E2E-RESULT $1=//p" | tail -n 1
}

libvirt_guest() {
    local emu=$1 xml="$ITEM_DIR/domain.xml" tty cat_pid
    lv_domain_xml "$DOM" "$emu" "$E2E_KERNEL" "$E2E_INITRD" \
        "console=ttyS0 ${E2E_GUEST_ARGS:-quiet} e2e=libvirt-guest e2e_boot=1 e2e_vmm=$VMM" \
        "$(e2e_backing nv0.img 128M)" >"$xml"
    lv_nvdimm_xml "$(e2e_backing nv1.img 128M)" >"$ITEM_DIR/nvdimm1.xml"
    step define virsh define "$xml" || return
    # paused first, so that the console is read from the first byte
    step start-paused virsh start --paused "$DOM" || return
    tty=$(virsh ttyconsole "$DOM" 2>/dev/null)
    case $tty in
    /dev/pts/*) record PASS console.pty "$tty" ;;
    *) record FAIL console.pty "ttyconsole said '$tty'"; return ;;
    esac
    cat "$tty" >"$ITEM_DIR/console.log" 2>/dev/null &
    cat_pid=$!
    step resume virsh resume "$DOM"
    if wait_console "$ITEM_DIR/console.log" E2E-READY-FOR-ATTACH "$E2E_BOOT_TIMEOUT"; then
        record PASS guest.up "the guest is up"
        step attach.nvdimm virsh attach-device "$DOM" "$ITEM_DIR/nvdimm1.xml" --live
        if wait_console "$ITEM_DIR/console.log" E2E-READY-FOR-CONSOLE 180; then
            kill "$cat_pid" 2>/dev/null
            wait "$cat_pid" 2>/dev/null
            console_roundtrip
            # what the guest said while virsh had the console
            cat "$ITEM_DIR/virsh-console.log" >>"$ITEM_DIR/console.log" 2>/dev/null
            cat "$tty" >>"$ITEM_DIR/console.log" 2>/dev/null &
            cat_pid=$!
        else
            record FAIL console.ready "no E2E-READY-FOR-CONSOLE on the console"
        fi
        if wait_console "$ITEM_DIR/console.log" E2E-READY-FOR-SHUTDOWN 180; then
            [ "$(console_result nmem1)" = present ] &&
                record PASS guest.nmem1 "the guest sees the hot-added NVDIMM" ||
                record FAIL guest.nmem1 "nmem1 $(console_result nmem1)"
            [ "$(console_result ndctl_list.rc)" = 0 ] &&
                record PASS guest.ndctl-list "ndctl list ran" ||
                record FAIL guest.ndctl-list "rc $(console_result ndctl_list.rc)"
            tr -d '\r' <"$ITEM_DIR/console.log" |
                sed -n '/E2E-OUTPUT-BEGIN ndctl_list/,/E2E-OUTPUT-END ndctl_list/p' \
                >"$ITEM_DIR/ndctl-list.txt"
            # the ACPI power button (system_powerdown)
            step shutdown virsh shutdown "$DOM"
            if wait_console "$ITEM_DIR/console.log" "E2E-END libvirt-guest" 180; then
                [ "$(console_result power_button)" = pressed ] &&
                    record PASS guest.power-button "the guest saw the power button" ||
                    record FAIL guest.power-button "power_button $(console_result power_button)"
            else
                record FAIL guest.end "the guest did not finish after virsh shutdown"
            fi
        else
            record FAIL guest.attach "no E2E-READY-FOR-SHUTDOWN on the console"
        fi
    else
        record FAIL guest.up "no E2E-READY-FOR-ATTACH on the console"
    fi
    # the guest powers off: libvirt ends the domain (on_poweroff=destroy)
    local n=60
    while [ "$n" -gt 0 ] && [ "$(dom_state)" != "shut off" ]; do
        sleep 1
        n=$((n - 1))
    done
    [ "$(dom_state)" = "shut off" ] && record PASS poweroff.shut-off "shut off" ||
        record FAIL poweroff.shut-off "state '$(dom_state)'"
    kill "$cat_pid" 2>/dev/null
    cp "$LV_DIR/log/qemu/$DOM.log" "$ITEM_DIR/domain.log" 2>/dev/null
    step undefine virsh undefine "$DOM"
}

mkdir -p "$E2E_OUT" "$E2E_WORK"
# A line every E2E_HEARTBEAT seconds on the console: the host stops an
# outer VM that stays quiet (runner.sh).
if [ "${E2E_HEARTBEAT:-0}" -gt 0 ]; then
    (while sleep "$E2E_HEARTBEAT"; do echo "E2E-HEARTBEAT"; done) &
    heartbeat=$!
    trap 'kill "$heartbeat" 2>/dev/null' EXIT
fi
echo "E2E-JOB-BEGIN items: $E2E_ITEMS"
for item in $E2E_ITEMS; do
    VMM=${item%%:*}
    SCENARIO=${item#*:}
    ITEM_DIR="$E2E_OUT/$VMM/$SCENARIO"
    WORK="$E2E_WORK/$VMM-$SCENARIO"
    export E2E_WORK_ITEM=$WORK
    mkdir -p "$ITEM_DIR" "$WORK"
    : >"$ITEM_DIR/checks.txt"
    FAILED=""
    DOM="pmemvm-e2e-$VMM"
    echo "E2E-ITEM-BEGIN $item"
    if [ ! -e /dev/kvm ] && [ "${LV_VIRT_TYPE:-kvm}" = kvm ]; then
        write_result "SKIP $E2E_NO_KVM_REASON"
        continue
    fi
    if ! command -v libvirtd >/dev/null || ! command -v virsh >/dev/null; then
        write_result "SKIP no libvirtd/virsh (install libvirt-daemon-system, libvirt-clients)"
        continue
    fi
    emu=$E2E_PMEMVM
    [ "$VMM" = qemu ] && emu=$E2E_QEMU
    missing=$(lv_missing_qmp "$emu")
    if [ -n "$missing" ]; then
        # libvirt cannot keep a domain running without them
        write_result "SKIP $VMM lacks QMP commands libvirt 9.0 needs to run a domain: $missing"
        echo "E2E-ITEM-END $item $(cat "$ITEM_DIR/result")"
        continue
    fi
    t0=$(e2e_now)
    if lv_start "$WORK/libvirt" 2>>"$ITEM_DIR/steps.log"; then
        record PASS libvirtd "started"
        case $SCENARIO in
        libvirt-paused) libvirt_paused "$emu" ;;
        libvirt-guest) libvirt_guest "$emu" ;;
        *) record FAIL scenario "no libvirt scenario $SCENARIO" ;;
        esac
        virsh destroy "$DOM" >/dev/null 2>&1
        virsh undefine "$DOM" >/dev/null 2>&1
        lv_stop
    else
        record FAIL libvirtd "did not start"
    fi
    cp "$WORK/libvirt/log/libvirtd.log" "$ITEM_DIR/" 2>/dev/null &&
        "$E2E_DIR/qmp-summary.py" "$ITEM_DIR/libvirtd.log" \
            >"$ITEM_DIR/qmp-commands.txt"
    echo "run: $(e2e_elapsed "$t0") s" >"$ITEM_DIR/timings.txt"
    if [ -z "$FAILED" ]; then
        write_result PASS
    else
        write_result "FAIL$FAILED"
    fi
    echo "E2E-ITEM-END $item $(cat "$ITEM_DIR/result")"
done
echo "E2E-JOB-END"
