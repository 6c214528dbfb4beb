# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The host side of tests/e2e, shared by run-scenario.sh and run-all.sh
# (sourced by bash). e2e_run_batch runs a list of VMM:SCENARIO items in one
# go: directly on the host when its /dev/kvm boots a stock kernel, else in
# one boot of the outer VM (nested KVM under TCG-emulated AMD SVM).
#
# Environment (all optional):
#   PMEMVM            pmemvm binary (default: REPO/build/pmemvm)
#   QEMU              qemu-system-x86_64 to use (inner reference and outer)
#   E2E_KERNEL        guest kernel (default: newest /boot/vmlinuz-*)
#   E2E_MODE          auto | direct | nested | tcg (tcg: QEMU only, no KVM,
#                     for debugging scenarios)          (default auto)
#   E2E_INNER_CPU     -cpu of the inner VM              (default qemu64)
#   E2E_BOOT_TIMEOUT  seconds per inner boot            (default 300)
#   E2E_SILENT_TIMEOUT seconds without console output from the guest (not
#                     firmware banners) before a boot is stopped and its
#                     item run once more (default 120)
#   E2E_HEARTBEAT, E2E_QUIET_LIMIT  nested mode: the job prints a line
#                     every E2E_HEARTBEAT s (default 20); an outer console
#                     quiet for E2E_QUIET_LIMIT s (default 150) is a wedged
#                     outer VM, handled as a stall
#   E2E_STALL_GRACE   after a lockup message of the outer kernel, seconds
#                     to wait for an item to finish before the outer VM is
#                     taken as stalled (default 240)
#   E2E_OUTER_RETRIES new outer VMs for what a stalled or reset one left
#                     (default 2)
#   E2E_PROBE_TIMEOUT seconds for the direct-KVM probe  (default 45)
#   E2E_OUTER_MEM, E2E_OUTER_SMP  outer VM size         (default 3G, 2)
#   E2E_KEEP_BACKING  0: do not copy backing files out  (default 1)
#   E2E_EXTRA_ARGS_qemu, E2E_EXTRA_ARGS_pmemvm: extra inner VMM arguments
#   E2E_GUEST_ARGS    inner kernel arguments instead of "quiet" (say
#                     "printk.time=1 initcall_debug" to see where boot
#                     time goes)                        (default quiet)
#   E2E_JOB           another job script to run instead of job.sh, with the
#                     same CONFIG argument (tests/bench/boot.sh)
#   E2E_JOB_FILES     files that job needs, staged next to it

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_REPO=$(cd "$E2E_DIR/../.." && pwd)

# Scenarios run by default, in order (probe is a tool, not a test).
# shellcheck disable=SC2034  # used by run-all.sh and run-scenario.sh
E2E_ALL_SCENARIOS="nvdimm-basic labels readonly persistence-cpu
    persistence-memctrl two-nvdimms smp2 sigkill reboot virtio-pmem virtio-pmem-sigkill
    virtio-pmem-nvdimm virtio-pmem-private virtio-pmem-readonly virtio-pmem-libvirt
    guest-garbage pvh kaslr backing-truncated nvdimm-hotplug virtio-pmem-unplug
    virtio-pmem-unplug-busy powerdown net-user"

e2e_scenario_exists() {
    [ -r "$E2E_DIR/scenarios/$1.sh" ]
}

e2e_scenario_boots() {
    local n
    n=$(sed -n 's/^SC_BOOTS=\([0-9]*\).*/\1/p' "$E2E_DIR/scenarios/$1.sh")
    echo "${n:-1}"
}

# e2e_write_result OUTDIR ITEM "PASS|FAIL ...|SKIP ..."
e2e_write_result() {
    mkdir -p "$1/${2%%:*}/${2#*:}"
    echo "$3" >"$1/${2%%:*}/${2#*:}/result"
}

# e2e_item_line OUTDIR ITEM : "PASS vmm/scenario", "FAIL vmm/scenario: why"
# or "SKIP vmm/scenario: why".
e2e_item_line() {
    local name="${2%%:*}/${2#*:}" r verdict rest
    r=$(cat "$1/$name/result" 2>/dev/null)
    [ -n "$r" ] || r="FAIL no result (see $1/outer-console.log or job.log)"
    verdict=${r%% *}
    rest=""
    [ "$r" = "$verdict" ] || rest=${r#* }
    # An item run twice (outer VM stall, silent boot) says so and why.
    [ -e "$1/$name/rerun" ] && rest="${rest:+$rest }(run again; $(head -n 1 "$1/$name/rerun"))"
    if [ -n "$rest" ]; then
        echo "$verdict $name: $rest"
    else
        echo "$verdict $name"
    fi
}

# e2e_direct_kvm_works QEMU KERNEL INITRD : can this host's /dev/kvm boot
# the stock guest kernel? Cached per host kernel and guest kernel, since a
# failing probe costs its whole timeout.
e2e_direct_kvm_works() {
    local qemu=$1 kernel=$2 initrd=$3 cache key ans log
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    # A paravirtual KVM (kvm_pvm) runs tiny guests but not Linux.
    [ -d /sys/module/kvm_pvm ] && return 1
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/pmemvm-e2e/direct-kvm
    key="$(uname -r) $(basename "$kernel") $E2E_INNER_CPU"
    ans=$(awk -v k="$key" 'substr($0, 1, length(k) + 1) == k " " { print $NF }' \
          "$cache" 2>/dev/null | tail -n 1)
    if [ -z "$ans" ]; then
        log=$(mktemp)
        e2e_log "probing whether /dev/kvm boots $(basename "$kernel") (up to ${E2E_PROBE_TIMEOUT}s)"
        timeout -k 5 "$E2E_PROBE_TIMEOUT" "$qemu" -machine pc,accel=kvm \
            -cpu "$E2E_INNER_CPU" -m 512M -nographic -no-reboot \
            -kernel "$kernel" -initrd "$initrd" \
            -append "console=ttyS0 panic=-1 quiet e2e=probe" \
            </dev/null >"$log" 2>&1
        if tr -d '\r' <"$log" | grep -q 'E2E-RESULT probe=ok'; then
            ans=yes
        else
            ans=no
        fi
        rm -f "$log"
        mkdir -p "$(dirname "$cache")" && echo "$key $ans" >>"$cache"
    fi
    [ "$ans" = yes ]
}

# e2e_run_batch OUTDIR ITEM... : run the items, leaving OUTDIR/VMM/SCENARIO/
# result (and logs) for each. Returns nonzero only for a usage error.
e2e_run_batch() {
    local outdir=$1 item todo="" qemu kernel pmemvm mode stage t0
    shift
    mkdir -p "$outdir" || return 2
    outdir=$(cd "$outdir" && pwd)
    : "${E2E_MODE:=auto}" "${E2E_INNER_CPU:=qemu64}" "${E2E_BOOT_TIMEOUT:=300}"
    : "${E2E_PROBE_TIMEOUT:=45}" "${E2E_OUTER_MEM:=3G}" "${E2E_OUTER_SMP:=2}"
    : "${E2E_HEARTBEAT:=20}" "${E2E_QUIET_LIMIT:=150}" "${E2E_STALL_GRACE:=240}"
    : "${E2E_OUTER_RETRIES:=2}"
    : >"$outdir/timings.txt"

    skip_all() {
        for item in "$@"; do
            e2e_write_result "$outdir" "$item" "SKIP $reason"
        done
    }

    for item in "$@"; do
        rm -rf "${outdir:?}/${item%%:*}/${item#*:}"
    done

    # Host prerequisites: without them nothing can run.
    local reason=""
    qemu=${QEMU:-$(command -v qemu-system-x86_64 || true)}
    kernel=$(e2e_find_kernel)
    if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
        reason="no qemu-system-x86_64 (install qemu-system-x86)"
    elif [ -z "$kernel" ]; then
        reason="no /boot/vmlinuz-* with modules (install linux-image-amd64)"
    elif ! command -v busybox >/dev/null || ! command -v cpio >/dev/null ||
         ! command -v modprobe >/dev/null || ! command -v ndctl >/dev/null; then
        reason="missing busybox-static, cpio, kmod or ndctl"
    fi
    if [ -n "$reason" ]; then
        skip_all "$@"
        return 0
    fi
    qemu=$(readlink -f "$qemu")
    pmemvm=$(readlink -m "${PMEMVM:-$E2E_REPO/build/pmemvm}")

    local why bin
    for item in "$@"; do
        if ! e2e_scenario_exists "${item#*:}"; then
            e2e_write_result "$outdir" "$item" "FAIL no scenario ${item#*:}"
            continue
        elif [ "${item%%:*}" = pmemvm ] && [ ! -x "$pmemvm" ]; then
            e2e_write_result "$outdir" "$item" \
                "SKIP no pmemvm binary at ${PMEMVM:-$E2E_REPO/build/pmemvm} (build it or set PMEMVM=)"
            continue
        fi
        # Devices the VMM lacks (SC_DEVICES): SKIP now, before any boot.
        bin=$qemu
        [ "${item%%:*}" = pmemvm ] && bin=$pmemvm
        why=$(e2e_unsupported "${item%%:*}" "$bin" "$E2E_DIR/scenarios/${item#*:}.sh")
        if [ -n "$why" ]; then
            e2e_write_result "$outdir" "$item" "SKIP $why"
        else
            todo="$todo $item"
        fi
    done
    [ -n "$todo" ] || return 0

    stage="$outdir/stage"
    rm -rf "$stage"
    mkdir -p "$stage/e2e/scenarios" "$stage/e2e/init"
    cp "$E2E_DIR"/*.sh "$E2E_DIR"/*.py "$stage/e2e/"
    cp "$E2E_DIR"/scenarios/*.sh "$stage/e2e/scenarios/"
    cp "$E2E_DIR"/init/* "$stage/e2e/init/"
    local job=job.sh
    if [ -n "${E2E_JOB:-}" ]; then
        # shellcheck disable=SC2086  # a list of paths
        cp "$E2E_JOB" ${E2E_JOB_FILES:-} "$stage/e2e/" || return 2
        job=$(basename "$E2E_JOB")
    fi
    t0=$(e2e_now)
    E2E_KERNEL=$kernel "$E2E_DIR/mkinitramfs-inner.sh" "$stage/inner.cpio.gz" \
        >"$stage/mkinitramfs.log" 2>&1 || {
        reason="building the inner initramfs failed (see $stage/mkinitramfs.log)"
        skip_all $todo
        return 0
    }
    echo "build inner initramfs: $(e2e_elapsed "$t0") s" >>"$outdir/timings.txt"

    # Scenarios with SC_VMLINUX=1 boot the kernel's own ELF (PVH entry).
    local need_vmlinux="" vmlinux_why keep
    for item in $todo; do
        grep -q '^SC_VMLINUX=1' "$E2E_DIR/scenarios/${item#*:}.sh" && need_vmlinux=1
    done
    if [ -n "$need_vmlinux" ]; then
        t0=$(e2e_now)
        if ! vmlinux_why=$(e2e_extract_vmlinux "$kernel" "$stage/vmlinux"); then
            keep=""
            for item in $todo; do
                if grep -q '^SC_VMLINUX=1' "$E2E_DIR/scenarios/${item#*:}.sh"; then
                    e2e_write_result "$outdir" "$item" "SKIP no vmlinux: $vmlinux_why"
                else
                    keep="$keep $item"
                fi
            done
            todo=$keep
            [ -n "$todo" ] || return 0
        fi
        echo "extract vmlinux: $(e2e_elapsed "$t0") s" >>"$outdir/timings.txt"
    fi

    mode=$E2E_MODE
    if [ "$mode" = auto ]; then
        t0=$(e2e_now)
        if e2e_direct_kvm_works "$qemu" "$kernel" "$stage/inner.cpio.gz"; then
            mode=direct
        else
            mode=nested
        fi
        echo "mode detection: $mode, $(e2e_elapsed "$t0") s" >>"$outdir/timings.txt"
    fi
    e2e_log "mode: $mode; items:$todo"

    # Run a snapshot of pmemvm: a rebuild during the run must not change it
    # between items, and the outer VM does not see the host's /tmp. (Not
    # for a wrapper script outside /tmp, which may rely on its location.)
    if [ -x "$pmemvm" ] && { [ "$(head -c 4 "$pmemvm" | tr -d '\177')" = ELF ] ||
                             [[ $pmemvm == /tmp/* ]]; }; then
        mkdir -p "$stage/bin" && cp "$pmemvm" "$stage/bin/pmemvm"
    fi

    {
        echo "kernel: $kernel"
        echo "qemu: $qemu ($("$qemu" --version | head -n 1))"
        if [ -x "$pmemvm" ]; then
            echo "pmemvm: $pmemvm (sha256 $(sha256sum <"$pmemvm" | cut -c1-16), $(date -r "$pmemvm" '+%F %T'))"
        fi
    } >"$stage/versions.txt"

    # The job's configuration, with paths as the job will see them.
    local cfg="$stage/job.env" accel=kvm nokvm="no usable /dev/kvm on this host"
    local out work dir initrd vmm_pmemvm=$pmemvm k=$kernel
    case $mode in
    direct | tcg)
        out=$outdir; work=$outdir/work; dir=$stage/e2e
        [ -x "$stage/bin/pmemvm" ] && vmm_pmemvm=$stage/bin/pmemvm
        initrd=$stage/inner.cpio.gz
        if [ "$mode" = tcg ]; then
            accel=tcg
            local keep=""
            for item in $todo; do
                if [ "${item%%:*}" = pmemvm ]; then
                    e2e_write_result "$outdir" "$item" "SKIP pmemvm needs KVM (E2E_MODE=tcg)"
                else
                    keep="$keep $item"
                fi
            done
            todo=$keep
            [ -n "$todo" ] || return 0
        fi
        ;;
    nested)
        # Inside the outer VM the host root is at /, read-only, but /tmp is
        # the outer VM's tmpfs: OUTDIR is mounted at /tmp/out, and anything
        # of the host's own /tmp must be staged into OUTDIR.
        out=/tmp/out; work=/tmp/work; dir=/tmp/out/stage/e2e
        initrd=/tmp/out/stage/inner.cpio.gz
        nokvm="no /dev/kvm in the outer VM (kvm_amd did not load; see outer-console.log)"
        [ -x "$stage/bin/pmemvm" ] && vmm_pmemvm=/tmp/out/stage/bin/pmemvm
        case $kernel in
        /tmp/*) cp "$kernel" "$stage/vmlinuz"; k=/tmp/out/stage/vmlinuz ;;
        esac
        t0=$(e2e_now)
        E2E_KERNEL=$kernel "$E2E_DIR/mkinitramfs-outer.sh" "$stage/outer.cpio.gz" \
            >>"$stage/mkinitramfs.log" 2>&1 || {
            reason="building the outer initramfs failed (see $stage/mkinitramfs.log)"
            skip_all $todo
            return 0
        }
        echo "build outer initramfs: $(e2e_elapsed "$t0") s" >>"$outdir/timings.txt"
        ;;
    *)
        echo "e2e: bad E2E_MODE '$mode' (auto, direct, nested, tcg)" >&2
        return 2
        ;;
    esac
    {
        printf 'E2E_ITEMS=%q\n' "${todo# }"
        printf 'E2E_OUT=%q\nE2E_WORK=%q\nE2E_DIR=%q\n' "$out" "$work" "$dir"
        printf 'E2E_KERNEL=%q\nE2E_INITRD=%q\n' "$k" "$initrd"
        printf 'E2E_VMLINUX=%q\n' "${initrd%/*}/vmlinux"
        printf 'E2E_QEMU=%q\nE2E_PMEMVM=%q\n' "$qemu" "$vmm_pmemvm"
        printf 'E2E_ACCEL=%q\nE2E_INNER_CPU=%q\n' "$accel" "$E2E_INNER_CPU"
        printf 'E2E_BOOT_TIMEOUT=%q\nE2E_KEEP_BACKING=%q\n' \
            "$E2E_BOOT_TIMEOUT" "${E2E_KEEP_BACKING:-1}"
        printf 'E2E_SILENT_TIMEOUT=%q\n' "${E2E_SILENT_TIMEOUT:-120}"
        # nested only: the host watches the outer console for it
        [ "$mode" = nested ] && printf 'E2E_HEARTBEAT=%q\n' "$E2E_HEARTBEAT"
        printf 'E2E_NO_KVM_REASON=%q\n' "$nokvm"
        printf 'E2E_EXTRA_ARGS_qemu=%q\n' "${E2E_EXTRA_ARGS_qemu:-}"
        printf 'E2E_EXTRA_ARGS_pmemvm=%q\n' "${E2E_EXTRA_ARGS_pmemvm:-}"
        printf 'E2E_GUEST_ARGS=%q\n' "${E2E_GUEST_ARGS-quiet}"
    } >"$cfg"

    t0=$(e2e_now)
    if [ "$mode" = nested ]; then
        e2e_run_outer "$outdir" "$qemu" "$kernel" "$todo" "$job"
        local rest=$todo attempt=1
        # The outer machine, not a VMM, failed: run what it did not finish
        # once more, in a fresh outer VM (at most E2E_OUTER_RETRIES times).
        while [ "$E2E_OUTER_STALLED" = 1 ] && [ "$job" = job.sh ] &&
              [ "$attempt" -le "$E2E_OUTER_RETRIES" ]; do
            rest=$(e2e_unfinished_items "$outdir" $rest)
            # The item that was running when the outer VM failed goes last:
            # if it takes the next VM down too, the others have finished.
            local -a left
            read -r -a left <<<"$rest"
            [ "${#left[@]}" -lt 2 ] || rest=" ${left[*]:1} ${left[0]}"
            mv "$outdir/outer-console.log" "$outdir/outer-console.$attempt.log"
            echo "outer VM failed ($E2E_OUTER_STALL_LINE); rerun in a new outer VM:$rest" \
                >>"$outdir/timings.txt"
            e2e_log "outer VM failed; rerunning:$rest"
            [ -n "$rest" ] || break
            for item in $rest; do
                rm -rf "${outdir:?}/${item%%:*}/${item#*:}"
                mkdir -p "$outdir/${item%%:*}/${item#*:}"
                echo "outer VM $attempt failed: $E2E_OUTER_STALL_LINE" \
                    >"$outdir/${item%%:*}/${item#*:}/rerun"
            done
            { grep -v '^E2E_ITEMS=' "$cfg"; printf 'E2E_ITEMS=%q\n' "${rest# }"; } \
                >"$cfg.new" && mv "$cfg.new" "$cfg"
            attempt=$((attempt + 1))
            e2e_run_outer "$outdir" "$qemu" "$kernel" "$rest" "$job"
        done
    else
        bash "$stage/e2e/$job" "$cfg" 2>&1 | tee "$outdir/job.log" |
            grep --line-buffered '^E2E-ITEM' >&2
    fi
    echo "$mode run: $(e2e_elapsed "$t0") s" >>"$outdir/timings.txt"
    for item in $todo; do
        [ -r "$outdir/${item%%:*}/${item#*:}/timings.txt" ] || continue
        echo "  ${item%%:*}/${item#*:}: $(tr '\n' ';' <"$outdir/${item%%:*}/${item#*:}/timings.txt" | sed 's/;$//;s/;/; /g')"
    done >>"$outdir/timings.txt"
    return 0
}

# What the outer kernel prints when one of its CPUs is wedged. Seen here:
# the TCG-emulated SVM under nested KVM can leave a CPU spinning in
# KVM_RUN after the inner guest powers off (with either VMM inside), and
# nothing finishes after that.
E2E_OUTER_STALL_RE='watchdog: BUG: soft lockup|rcu: INFO: rcu_preempt (self-)?detected stall'

# e2e_unfinished_items OUTDIR ITEM... : the items without an E2E-ITEM line
# on the outer console (an item stuck in the stall has none: the VM was
# stopped before its boot timed out).
e2e_unfinished_items() {
    local outdir=$1 done_list item
    shift
    done_list=$(tr -d '\r' <"$outdir/outer-console.log" |
        sed -n 's/^E2E-ITEM \([^ ]*\) .*/\1/p')
    for item in "$@"; do
        grep -qxF "${item%%:*}/${item#*:}" <<<"$done_list" || printf ' %s' "$item"
    done
}

# e2e_run_outer OUTDIR QEMU KERNEL ITEMS [JOB] : one boot of the outer VM
# that runs JOB (default job.sh, in OUTDIR/stage/e2e) with
# OUTDIR/stage/job.env. Stops it as soon as its console shows a stalled
# CPU, and then sets E2E_OUTER_STALLED=1 and E2E_OUTER_STALL_LINE (as
# when the VM ends by itself before its job).
e2e_run_outer() {
    local outdir=$1 qemu=$2 kernel=$3 items=$4 job=${5:-job.sh} boots=0 item limit rc
    local log="$outdir/outer-console.log" qpid relay line
    E2E_OUTER_STALLED=0 E2E_OUTER_STALL_LINE=""
    for item in $items; do
        boots=$((boots + $(e2e_scenario_boots "${item#*:}")))
    done
    limit=$((180 + boots * (E2E_BOOT_TIMEOUT + 30)))
    cat >"$outdir/stage/job" <<JOB
#!/bin/sh
exec /bin/bash /tmp/out/stage/e2e/$job /tmp/out/stage/job.env
JOB
    chmod +x "$outdir/stage/job"
    e2e_log "outer VM: $boots inner boots, time limit ${limit}s, console in $log"
    : >"$log"
    timeout -k 10 "$limit" "$qemu" \
        -machine pc,accel=tcg -cpu qemu64,+svm,+npt \
        -m "$E2E_OUTER_MEM" -smp "$E2E_OUTER_SMP" \
        -nographic -no-reboot \
        -kernel "$kernel" -initrd "$outdir/stage/outer.cpio.gz" \
        -append "console=ttyS0 panic=-1 quiet job=/tmp/out/stage/job" \
        -virtfs local,path=/,mount_tag=hostfs,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$outdir,mount_tag=outfs,security_model=none" \
        </dev/null >"$log" 2>&1 &
    qpid=$!
    tail -n +1 -f --pid="$qpid" "$log" |
        grep -a --line-buffered -e '^E2E-ITEM' -e '^E2E-OUTER-ERROR' |
        sed -u 's/\r$//' >&2 &
    relay=$!
    local size last_size=-1 quiet_since=$SECONDS
    local items nlock nlock_seen=0 items_at_lock=-1 lock_since=0 lock_line=""
    while kill -0 "$qpid" 2>/dev/null; do
        sleep 2
        # The job prints a heartbeat every E2E_HEARTBEAT s once it runs; a
        # console that stays quiet much longer belongs to a wedged VM.
        size=$(stat -c %s "$log" 2>/dev/null || echo 0)
        if [ "$size" != "$last_size" ]; then
            last_size=$size quiet_since=$SECONDS
        elif grep -a -q '^E2E-HEARTBEAT' "$log" &&
             [ $((SECONDS - quiet_since)) -ge "$E2E_QUIET_LIMIT" ]; then
            E2E_OUTER_STALLED=1
            E2E_OUTER_STALL_LINE="no console output for ${E2E_QUIET_LIMIT}s"
            e2e_log "outer VM: $E2E_OUTER_STALL_LINE; stopping it"
            kill -TERM "$qpid" 2>/dev/null
            break
        fi
        # A lockup message alone is not the end (a starved host makes the
        # outer kernel say it too, and it recovers): the VM is stalled when
        # no item finishes within E2E_STALL_GRACE s after it.
        items=$(grep -a -c '^E2E-ITEM ' "$log")
        if [ "$items_at_lock" -lt 0 ]; then
            nlock=$(grep -a -c -E "$E2E_OUTER_STALL_RE" "$log")
            if [ "$nlock" -gt "$nlock_seen" ]; then
                nlock_seen=$nlock items_at_lock=$items lock_since=$SECONDS
                lock_line=$(grep -a -E "$E2E_OUTER_STALL_RE" "$log" |
                    tail -n 1 | tr -d '\r' | sed 's/^\[[ 0-9.]*\] //')
                e2e_log "outer VM: $lock_line; stopping it unless an item finishes within ${E2E_STALL_GRACE}s"
            fi
        elif [ "$items" -gt "$items_at_lock" ]; then
            items_at_lock=-1
            nlock_seen=$(grep -a -c -E "$E2E_OUTER_STALL_RE" "$log")
            e2e_log "outer VM: recovered (an item finished)"
        elif [ $((SECONDS - lock_since)) -ge "$E2E_STALL_GRACE" ]; then
            E2E_OUTER_STALLED=1
            E2E_OUTER_STALL_LINE="$lock_line, and no item finished in ${E2E_STALL_GRACE}s"
            e2e_log "outer VM: stalled; stopping it"
            kill -TERM "$qpid" 2>/dev/null
            break
        fi
    done
    wait "$qpid"
    rc=$?
    wait "$relay" 2>/dev/null
    # Ended by itself before the job did, without saying why: the outer
    # kernel reset or died (seen in CI: exit 0, 20-40 s into an item,
    # nothing on the console). Not its time limit (124): a rerun would not
    # fit in it either.
    if [ "$E2E_OUTER_STALLED" = 0 ] && [ "$rc" != 124 ] &&
       ! grep -a -q -e '^E2E-JOB-END' -e '^E2E-OUTER-ERROR' "$log"; then
        E2E_OUTER_STALLED=1
        E2E_OUTER_STALL_LINE="it ended (exit $rc) before its job did"
        e2e_log "outer VM: $E2E_OUTER_STALL_LINE"
    fi
    {
        echo "outer VM exit: $rc"
        tr -d '\r' <"$log" |
            sed -n 's/^E2E-OUTER-READY uptime=\([0-9.]*\).*/outer VM ready at guest uptime \1 s/p'
    } >>"$outdir/timings.txt"
    [ "$rc" = 124 ] && e2e_log "outer VM hit its time limit (${limit}s)"
    return 0
}
