# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# net-bench: the guest of tests/bench/net.sh (not in run-all's lists).
# -netdev user with a hostfwd rule and a virtio-net-pci NIC, as net-user;
# after DHCP, NET_BENCH_ROUNDS rounds of bulk TCP over slirp, each way:
#  guest -> host:  the guest sends NET_BENCH_BYTES of zeros with nc to
#                  10.0.2.2:HOST_PORT; the host's sink (net-host.py)
#                  times them from the first byte to the last;
#  host -> guest:  the guest listens on port 7 (nc -l -e counting what it
#                  gets) and prints E2E-NET-BENCH-READY N; sc_watch pushes
#                  NET_BENCH_BYTES through the hostfwd port, shuts down
#                  its side and times from connect to the guest's count.
# Results in the item directory: g2h.txt and h2g.txt (mib_s= per round).
# shellcheck disable=SC2034  # SC_* are read by job.sh and runner.sh
SC_BOOTS=1
# shellcheck disable=SC2034
SC_DESC="bulk TCP over -netdev user and virtio-net-pci, both ways (the guest of the network benchmark)"
# shellcheck disable=SC2034
SC_DEVICES="virtio-net-pci"
HOSTFWD_PORT=15517
HOST_PORT=15518
NET_BENCH_BYTES=$((16 * 1024 * 1024))
NET_BENCH_ROUNDS=3

sc_setup() {
    rm -f "$ITEM_DIR/g2h.txt" "$ITEM_DIR/h2g.txt"
    PUSHED=0
    python3 "$E2E_DIR/net-host.py" sink "$HOST_PORT" "$NET_BENCH_BYTES" \
        "$NET_BENCH_ROUNDS" "$ITEM_DIR/g2h.txt" "$E2E_BOOT_TIMEOUT" &
    NET_SINK=$!
    _n=0
    while ! grep -q '^listening=' "$ITEM_DIR/g2h.txt" 2>/dev/null; do
        _n=$((_n + 1))
        [ "$_n" -le 100 ] && kill -0 "$NET_SINK" 2>/dev/null || return 1
        sleep 0.1
    done
}

sc_vm_args() {
    VM_ARGS="-m 1G
        -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$HOSTFWD_PORT-:7
        -device virtio-net-pci,netdev=net0,id=nic0"
}

sc_guest() {
    e2e_wait_for /sys/class/net/eth0 10 || return 1
    e2e_net_dhcp eth0
    cat >/tmp/count <<'EOS'
#!/bin/sh
echo "guest-got $(wc -c)"
EOS
    chmod 755 /tmp/count
    _blocks=$((NET_BENCH_BYTES / 65536))
    _r=0
    while [ "$_r" -lt "$NET_BENCH_ROUNDS" ]; do
        _r=$((_r + 1))
        dd if=/dev/zero bs=65536 count="$_blocks" 2>/dev/null |
            timeout 120 nc 10.0.2.2 "$HOST_PORT"
        e2e_result "g2h$_r.rc" $?
        e2e_tcp_listen 7 /tmp/count
        _nc=$!
        echo "E2E-NET-BENCH-READY $_r"
        _n=0
        while kill -0 "$_nc" 2>/dev/null && [ "$_n" -lt 1200 ]; do
            usleep 100000
            _n=$((_n + 1))
        done
        kill "$_nc" 2>/dev/null
    done
}

# Called by job.sh every half second while the VMM runs: one push per
# READY line.
sc_watch() {
    _ready=$(grep -a -c '^E2E-NET-BENCH-READY' "$2")
    while [ "$PUSHED" -lt "$_ready" ]; do
        PUSHED=$((PUSHED + 1))
        python3 "$E2E_DIR/net-host.py" push "$HOSTFWD_PORT" \
            "$NET_BENCH_BYTES" "$ITEM_DIR/h2g.txt" 120
    done
}

# rounds FILE : the number of complete rounds of NET_BENCH_BYTES in FILE.
rounds() {
    _n=$(grep -c "^bytes=$NET_BENCH_BYTES\$" "$1" 2>/dev/null)
    echo "$(basename "$1"): $_n complete rounds of $NET_BENCH_ROUNDS"
    [ "$_n" = "$NET_BENCH_ROUNDS" ]
}

sc_check() {
    kill "$NET_SINK" 2>/dev/null
    expect_eq lease.ip 10.0.2.15
    expect g2h_rounds rounds "$ITEM_DIR/g2h.txt"
    expect h2g_rounds rounds "$ITEM_DIR/h2g.txt"
    expect h2g_counted grep -q "^reply=guest-got $NET_BENCH_BYTES\$" "$ITEM_DIR/h2g.txt"
    note g2h_mib_s "$(sed -n 's/^mib_s=//p' "$ITEM_DIR/g2h.txt" | tr '\n' ' ')"
    note h2g_mib_s "$(sed -n 's/^mib_s=//p' "$ITEM_DIR/h2g.txt" | tr '\n' ' ')"
    expect_eq vmm_rc 0
}
