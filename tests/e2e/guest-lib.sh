# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# Helpers for scenario code running inside the inner guest (busybox sh).
# Installed in the inner initramfs as /lib/e2e/guest-lib.sh.

# e2e_result KEY VALUE : one result line for the host to parse.
e2e_result() {
    echo "E2E-RESULT $1=$2"
}

# e2e_wait_for PATH [SECONDS] : wait for PATH to exist (devices and sysfs
# nodes appear asynchronously after insmod).
e2e_wait_for() {
    _n=$(( ${2:-10} * 10 ))
    while [ ! -e "$1" ] && [ "$_n" -gt 0 ]; do
        usleep 100000
        _n=$((_n - 1))
    done
    [ -e "$1" ]
}

# e2e_power_button_event : /dev/input/eventN of the input device Linux's
# ACPI button driver calls "Power Button" (modules button and evdev), or
# status 1 when there is none after 5 s.
e2e_power_button_event() {
    _pb_n=50
    while [ "$_pb_n" -gt 0 ]; do
        for _d in /sys/class/input/input*; do
            [ "$(cat "$_d/name" 2>/dev/null)" = "Power Button" ] || continue
            for _e in "$_d"/event*; do
                [ -e "$_e" ] || continue
                _e="/dev/input/${_e##*/}"
                e2e_wait_for "$_e" 5 && { echo "$_e"; return 0; }
            done
        done
        usleep 100000
        _pb_n=$((_pb_n - 1))
    done
    return 1
}

# e2e_power_button_arm : start reading the power button's input device,
# so that a press from now on is seen (power_button=none when there is no
# such device).
e2e_power_button_arm() {
    if ! _e2e_pb_dev=$(e2e_power_button_event); then
        e2e_result power_button none
        return 1
    fi
    # one input event (24 bytes on x86_64): the key press
    dd if="$_e2e_pb_dev" of=/dev/null bs=24 count=1 2>/dev/null &
    _e2e_pb_pid=$!
}

# e2e_power_button_wait SECONDS : after e2e_power_button_arm, wait for the
# key press as systemd-logind or acpid would: power_button=pressed (and an
# E2E-POWER-BUTTON line) or absent (none in time).
e2e_power_button_wait() {
    [ -n "${_e2e_pb_pid:-}" ] || return 1
    _n=$(($1 * 10))
    while kill -0 "$_e2e_pb_pid" 2>/dev/null && [ "$_n" -gt 0 ]; do
        usleep 100000
        _n=$((_n - 1))
    done
    if kill -0 "$_e2e_pb_pid" 2>/dev/null; then
        kill "$_e2e_pb_pid"
        e2e_result power_button absent
        return 1
    fi
    if ! wait "$_e2e_pb_pid"; then
        e2e_result power_button "read-failed"
        return 1
    fi
    echo "E2E-POWER-BUTTON"
    e2e_result power_button pressed
}

# e2e_sysfs KEY FILE : report the contents of a sysfs file (or "missing").
e2e_sysfs() {
    if [ -r "$2" ]; then
        e2e_result "$1" "$(cat "$2")"
    else
        e2e_result "$1" missing
    fi
}

# e2e_section NAME COMMAND... : run COMMAND with its output framed by
# E2E-OUTPUT-BEGIN/END lines; reports NAME.rc.
e2e_section() {
    _sec=$1
    shift
    echo "E2E-OUTPUT-BEGIN $_sec"
    "$@" 2>&1
    _rc=$?
    echo "E2E-OUTPUT-END $_sec"
    e2e_result "$_sec.rc" "$_rc"
    return $_rc
}

# e2e_json_field FIELD : first "FIELD":"value" (or number) in JSON on stdin.
e2e_json_field() {
    sed -n "s/.*\"$1\" *: *\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" | head -n 1
}

# e2e_report_nd : size, read-only flag, persistence domain and mappings of
# every nd region, size/mode/block device of every namespace, and the DIMMs
# (keys like region0.size, namespace0.0.mode, nmem0).
e2e_report_nd() {
    for r in /sys/bus/nd/devices/region*; do
        [ -e "$r" ] || continue
        n=$(basename "$r")
        e2e_sysfs "$n.size" "$r/size"
        e2e_sysfs "$n.read_only" "$r/read_only"
        e2e_sysfs "$n.persistence_domain" "$r/persistence_domain"
        e2e_sysfs "$n.mappings" "$r/mappings"
    done
    for ns in /sys/bus/nd/devices/namespace*; do
        [ -e "$ns" ] || continue
        n=$(basename "$ns")
        e2e_sysfs "$n.size" "$ns/size"
        e2e_sysfs "$n.mode" "$ns/mode"
        if [ -d "$ns/block" ]; then
            e2e_result "$n.blockdev" "$(ls "$ns/block" | head -n 1)"
        fi
    done
    for d in /sys/bus/nd/devices/nmem*; do
        [ -e "$d" ] || continue
        e2e_result "$(basename "$d")" present
    done
}

# e2e_report_ns REGION : mode, uuid and block device of REGION's
# namespace (ns.mode, ns.uuid, ns.blockdev), from ndctl list.
e2e_report_ns() {
    ndctl list -N -r "$1" >/tmp/ns.json 2>&1
    e2e_result ns.uuid "$(e2e_json_field uuid </tmp/ns.json)"
    e2e_result ns.mode "$(e2e_json_field mode </tmp/ns.json)"
    e2e_result ns.blockdev "$(e2e_json_field blockdev </tmp/ns.json)"
}

# e2e_fsdax_mount NMEM REGION : fresh labels on NMEM (REGION disabled
# meanwhile), an fsdax namespace in REGION, ext4 on it mounted -o dax at
# /mnt (results: init_labels.rc, create_ns.rc, ns.*, mkfs.rc, mount.rc,
# dax_mount).  For a DIMM with a label area; its block device is pmem0.
e2e_fsdax_mount() {
    e2e_section disable_region ndctl disable-region "$2"
    e2e_section init_labels ndctl init-labels "$1"
    e2e_section enable_region ndctl enable-region "$2"
    e2e_section create_ns ndctl create-namespace -m fsdax -r "$2"
    e2e_report_ns "$2"
    e2e_wait_for /dev/pmem0 10
    e2e_section mkfs mkfs.ext4 -q -F -b 4096 /dev/pmem0
    e2e_section mount mount -o dax /dev/pmem0 /mnt
    e2e_result dax_mount "$(grep -c ' /mnt .*dax' /proc/mounts)"
}

# e2e_pattern TAG : 4096 bytes of a recognizable pattern on stdout. The
# host side generates the same bytes to compare with the backing file.
e2e_pattern() {
    yes "pmemvm-e2e $1 0123456789abcdef" | head -c 4096
}

# e2e_block_has_pattern DEV OFFSET TAG : the 4 KiB at byte OFFSET of the
# block device DEV, read with O_DIRECT, are e2e_pattern TAG.
e2e_block_has_pattern() {
    e2e_pattern "$3" >/tmp/.e2e-expected
    dd if="$1" bs=4096 skip=$(($2 / 4096)) count=1 iflag=direct 2>/dev/null |
        cmp -s - /tmp/.e2e-expected
}

# ---- for scenarios that poke at the machine (guest-garbage) ------------

# e2e_rand32 [N] : N (default 1) random 32-bit unsigned numbers, one line.
e2e_rand32() {
    # shellcheck disable=SC2046  # word splitting joins od's lines
    echo $(od -An -N$((4 * ${1:-1})) -tu4 /dev/urandom)
}

# e2e_le32 VALUE... : the 4 bytes of each VALUE, little-endian, on stdout
# (no forks: octal escapes by shell arithmetic, one printf).
e2e_le32() {
    _esc=""
    for _v in "$@"; do
        for _sh in 0 8 16 24; do
            _b=$(( (_v >> _sh) & 255 ))
            _esc="$_esc\\$((_b >> 6 & 7))$((_b >> 3 & 7))$((_b & 7))"
        done
    done
    # shellcheck disable=SC2059  # the format is the octal escapes built here
    printf "$_esc"
}

# e2e_acpi_name_dword NAME : the value of "Name (NAME, 0xXXXXXXXX)" at the
# top of an SSDT or the DSDT (AML NameOp, NAME, DWordPrefix, 4 bytes), as
# 0x%08x; nothing (status 1) when no table has it. The NVDIMM SSDT of
# QEMU and pmemvm declares the _DSM page this way: MEMA.
e2e_acpi_name_dword() {
    _pat="08$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')0c"
    for _t in /sys/firmware/acpi/tables/SSDT* /sys/firmware/acpi/tables/DSDT; do
        [ -r "$_t" ] || continue
        _v=$(od -An -v -tx1 "$_t" | tr -d ' \n' | awk -v pat="$_pat" '{
            s = $0; off = 0
            while ((i = index(s, pat)) > 0) {
                if ((off + i) % 2 == 1) {          # on a byte boundary
                    v = substr(s, i + length(pat), 8)
                    print "0x" substr(v, 7, 2) substr(v, 5, 2) substr(v, 3, 2) substr(v, 1, 2)
                    exit
                }
                s = substr(s, i + 1); off += i
            }
        }')
        if [ -n "$_v" ]; then
            echo "$_v"
            return 0
        fi
    done
    return 1
}

# e2e_iomem_owners ADDR : the /proc/iomem entries that contain ADDR, other
# than PCI bus windows (one per line; nothing when ADDR is unclaimed).
e2e_iomem_owners() {
    awk -v a="$1" '{
        split($1, r, "-")
        name = $0; sub(/^[^:]*: /, "", name)
        if (("0x" r[1]) + 0 <= a + 0 && a + 0 <= ("0x" r[2]) + 0 && name !~ /^PCI Bus/)
            print name
    }' /proc/iomem
}

# ---- monitor steps (scenarios with sc_steps; tests/e2e/monitor-driver.py) --

# e2e_step_start NAME : ask the host to run the monitor commands of step
# NAME (from the scenario's sc_steps) now, while the guest goes on.
e2e_step_start() {
    if [ -z "${_e2e_noecho:-}" ]; then
        # The host's "E2E-GO" lines come in on the console: no echo.
        stty -echo 2>/dev/null
        _e2e_noecho=1
    fi
    echo "E2E-STEP $1"
}

# e2e_step_wait NAME [SECONDS] : wait until the host has run them (it
# writes "E2E-GO NAME" to the console's input); status 1 on a timeout
# (default 180 s), with an E2E-STEP-TIMEOUT line.
e2e_step_wait() {
    _end=$(( $(cut -d. -f1 /proc/uptime) + ${2:-180} ))
    while [ "$(cut -d. -f1 /proc/uptime)" -lt "$_end" ]; do
        if read -r -t 5 _line; then
            case $_line in
            *"E2E-GO $1"*) return 0 ;;
            esac
        fi
    done
    echo "E2E-STEP-TIMEOUT $1"
    return 1
}

# e2e_step NAME [SECONDS] : both, for steps the guest only waits for.
e2e_step() {
    e2e_step_start "$1"
    e2e_step_wait "$1" "${2:-180}"
}

# e2e_poll_seen PATH TAG [SECONDS] : poll every 10 ms until PATH exists,
# then print "E2E-SEEN TAG" (the host times hot-adds with it); status 1
# and "E2E-NOT-SEEN TAG" after SECONDS (default 60).
e2e_poll_seen() {
    _e2e_poll present "$1" SEEN "$2" "${3:-60}"
}

# e2e_poll_gone PATH TAG [SECONDS] : the same until PATH is gone
# ("E2E-GONE TAG", or "E2E-NOT-GONE TAG" and status 1).
e2e_poll_gone() {
    _e2e_poll absent "$1" GONE "$2" "${3:-60}"
}

# _e2e_poll present|absent PATH WORD TAG SECONDS : the two above.
# SECONDS are the guest's own (/proc/uptime, read without a fork): a
# count of 10 ms sleeps ran 2-3 times longer in a slow nested guest,
# where each usleep is a fork and an exec.
_e2e_poll() {
    _e2e_uptime
    _end=$((_e2e_up + $5 + 1))          # at least SECONDS: whole seconds
    while ! _e2e_polled "$1" "$2" && [ "$_e2e_up" -lt "$_end" ]; do
        usleep 10000
        _e2e_uptime
    done
    if _e2e_polled "$1" "$2"; then
        echo "E2E-$3 $4"
        return 0
    fi
    echo "E2E-NOT-$3 $4"
    return 1
}

# _e2e_uptime : whole seconds since boot in $_e2e_up (no fork).
_e2e_uptime() {
    read -r _e2e_up _ </proc/uptime
    _e2e_up=${_e2e_up%.*}
}

_e2e_polled() {
    if [ "$1" = present ]; then
        [ -e "$2" ]
    else
        [ ! -e "$2" ]
    fi
}

# e2e_net_dhcp IFACE : IFACE (and lo) up with an address from the DHCP
# server on its link (busybox udhcpc; slirp's under -netdev user), as an
# ifup hook would configure it.  Results udhcpc.rc (section udhcpc) and
# the lease's lease.ip, lease.mask, lease.router, lease.dns,
# lease.serverid.
e2e_net_dhcp() {
    cat >/tmp/udhcpc.script <<'EOS'
#!/bin/sh
case $1 in
deconfig)
    ip -4 addr flush dev "$interface"
    ;;
bound | renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    for r in $router; do
        ip route add default via "$r" dev "$interface"
        break
    done
    {
        echo "lease.ip=$ip"
        echo "lease.mask=$mask"
        echo "lease.router=$router"
        echo "lease.dns=$dns"
        echo "lease.serverid=$serverid"
    } >/tmp/lease
    ;;
esac
exit 0
EOS
    chmod 755 /tmp/udhcpc.script
    ip link set lo up
    ip link set "$1" up
    e2e_result link_rc $?
    e2e_section udhcpc udhcpc -i "$1" -f -q -n -t 5 -T 2 -s /tmp/udhcpc.script
    if [ -r /tmp/lease ]; then
        while IFS= read -r _kv; do
            e2e_result "${_kv%%=*}" "${_kv#*=}"
        done </tmp/lease
    fi
}

# e2e_tcp_listening PORT : a TCP socket listens on PORT (/proc/net/tcp, or
# tcp6 where busybox nc bound the dual-stack "::").
e2e_tcp_listening() {
    _hex=$(printf '%04X' "$1")
    grep -q -E ":$_hex [0]+:0000 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# e2e_tcp_listen PORT PROGRAM : busybox nc listens on PORT for one
# connection, PROGRAM's stdin and stdout (nc -e), in the background ($!
# afterwards is nc's pid).  Returns once the socket listens (up to 10 s);
# false if it never did.
e2e_tcp_listen() {
    nc -l -p "$1" -e "$2" &
    _n=0
    while ! e2e_tcp_listening "$1" && [ "$_n" -lt 100 ]; do
        usleep 100000
        _n=$((_n + 1))
    done
    e2e_tcp_listening "$1"
}
