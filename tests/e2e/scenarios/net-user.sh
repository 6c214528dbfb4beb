# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# net-user: user-mode networking (libslirp), with QEMU's options:
# -netdev user with a hostfwd rule and a virtio-net-pci NIC on it.  The
# guest's virtio_net finds eth0 with the MAC of the command line, busybox
# udhcpc gets slirp's lease (10.0.2.15, router 10.0.2.2), and TCP goes
# both ways:
#  guest -> host:  the guest connects to 10.0.2.2:HOST_PORT, which slirp
#                  turns into a connection to the host's 127.0.0.1; the
#                  host's listener (started by sc_setup) reads the guest's
#                  token and answers "host-saw TOKEN"
#  host -> guest:  the guest listens on port 7 and prints
#                  E2E-NET-LISTENING; sc_watch then connects to the
#                  hostfwd port on 127.0.0.1, sends its token, reads the
#                  answer "guest-saw TOKEN" and closes.  The close is the
#                  guest's cue to power off (the guest gives up by itself
#                  after HOSTFWD_WAIT seconds): the monitor driver's
#                  E2E-GO only follows monitor commands, and the host
#                  has read the answer by the time it closes.
# Both tokens are new in every run, so nothing left over can pass.
# shellcheck disable=SC2034  # SC_* are read by job.sh and runner.sh
SC_BOOTS=1
# shellcheck disable=SC2034
SC_DESC="-netdev user with hostfwd and virtio-net-pci: DHCP, guest->host and host->guest TCP"
# shellcheck disable=SC2034
SC_DEVICES="virtio-net-pci"
MAC=52:54:00:12:34:56
# Fixed, unusual ports on the host's loopback: the job runs alone in the
# outer VM (or on the host in direct mode), nothing else binds them.
HOSTFWD_PORT=15507              # the VMM listens here, for the guest's port 7
HOST_PORT=15508                 # the host's listener, 10.0.2.2 in the guest
HOSTFWD_WAIT=90                 # guest: seconds to wait for the host's connection

sc_setup() {
    # $RANDOM is bash's: sc_setup runs on the host only.
    # shellcheck disable=SC3028
    H2G_TOKEN="h2g-$RANDOM$RANDOM"
    rm -f "$ITEM_DIR/g2h.txt" "$ITEM_DIR/hostfwd.txt"
    # Listening before the VMM starts, for as long as a boot may last.
    python3 "$E2E_DIR/net-host.py" serve "$HOST_PORT" "$ITEM_DIR/g2h.txt" $((E2E_BOOT_TIMEOUT + 30)) &
    NET_LISTENER=$!
    _n=0
    while ! grep -q '^listening=' "$ITEM_DIR/g2h.txt" 2>/dev/null; do
        _n=$((_n + 1))
        if [ "$_n" -gt 100 ] || ! kill -0 "$NET_LISTENER" 2>/dev/null; then
            echo "the host's listener on 127.0.0.1:$HOST_PORT did not start"
            cat "$ITEM_DIR/g2h.txt" 2>/dev/null
            return 1
        fi
        sleep 0.1
    done
}

sc_vm_args() {
    VM_ARGS="-m 1G
        -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$HOSTFWD_PORT-:7
        -device virtio-net-pci,netdev=net0,mac=$MAC,id=nic0"
}

# The guest's side of one hostfwd connection (busybox nc -l -e): the
# host's line in, "guest-saw LINE" out, then wait for the host to close,
# which it does once it has read the answer.
net_answer_script() {
    cat >/tmp/answer <<'EOS'
#!/bin/sh
read -r line
echo "$line" >/tmp/h2g.got
echo "guest-saw $line"
cat >/dev/null
EOS
    chmod 755 /tmp/answer
}

sc_guest() {
    # The NIC: eth0, its virtio device (driver virtio_net) and the PCI
    # function that device sits on.
    if ! e2e_wait_for /sys/class/net/eth0 10; then
        e2e_result eth0 missing
        e2e_section links ip link
        return 1
    fi
    e2e_result eth0 present
    e2e_sysfs mac /sys/class/net/eth0/address
    e2e_result driver "$(basename "$(readlink /sys/class/net/eth0/device/driver)")"
    _pci=$(readlink -f /sys/class/net/eth0/device/..)
    e2e_result pci_slot "${_pci##*/}"
    e2e_result pci_driver "$(basename "$(readlink "$_pci/driver")")"
    e2e_sysfs pci_vendor "$_pci/vendor"
    e2e_sysfs pci_device "$_pci/device"
    e2e_sysfs pci_revision "$_pci/revision"
    e2e_sysfs pci_subsystem_device "$_pci/subsystem_device"
    e2e_sysfs pci_class "$_pci/class"

    # An address from slirp's DHCP server.
    e2e_net_dhcp eth0
    # What eth0 has now, not what the hook was told.
    e2e_result ipv4 "$(ip -4 -o addr show dev eth0 |
        awk '{ for (i = 1; i < NF; i++) if ($i == "inet") print $(i + 1) }')"
    e2e_result gateway "$(ip route | awk '$1 == "default" { print $3; exit }')"

    # Guest -> host: a token to 10.0.2.2, the host's answer back.  A few
    # tries: the guest gets a refusal, not a hang, while nothing listens.
    _tok="g2h-$(e2e_rand32 2 | tr ' ' -)"
    e2e_result g2h.sent "$_tok"
    _reply="" _try=0
    while [ -z "$_reply" ] && [ "$_try" -lt 5 ]; do
        _try=$((_try + 1))
        _reply=$(echo "$_tok" |
            timeout 20 nc -w 10 10.0.2.2 "$HOST_PORT" 2>/tmp/nc.err)
        [ -n "$_reply" ] || sleep 1
    done
    e2e_result g2h.reply "$_reply"
    e2e_result g2h.tries "$_try"
    [ -s /tmp/nc.err ] && e2e_result g2h.error "$(tr '\n' ' ' </tmp/nc.err)"

    # Host -> guest through hostfwd: listen on port 7, say so once the
    # socket is there, and wait for the host's one connection to end.
    net_answer_script
    e2e_tcp_listen 7 /tmp/answer
    _listening=$?
    _nc=$!
    if [ "$_listening" != 0 ]; then
        e2e_result h2g.listening no
        kill "$_nc" 2>/dev/null
        return 1
    fi
    e2e_result h2g.listening yes
    echo "E2E-NET-LISTENING"
    # The guest's own seconds (/proc/uptime): sleeps run long when nested.
    read -r _up _ </proc/uptime
    _end=$((${_up%.*} + HOSTFWD_WAIT))
    while kill -0 "$_nc" 2>/dev/null && [ "${_up%.*}" -lt "$_end" ]; do
        usleep 200000
        read -r _up _ </proc/uptime
    done
    if kill -0 "$_nc" 2>/dev/null; then
        kill "$_nc" 2>/dev/null
        e2e_result h2g.connection timeout
    else
        e2e_result h2g.connection closed
    fi
    e2e_result h2g.got "$(cat /tmp/h2g.got 2>/dev/null)"
}

# Called by job.sh every half second while the VMM runs.
sc_watch() {
    if [ -z "${ASKED:-}" ] && grep -a -q '^E2E-NET-LISTENING' "$2"; then
        ASKED=1
        python3 "$E2E_DIR/net-host.py" ask "$HOSTFWD_PORT" "$H2G_TOKEN" "$ITEM_DIR/hostfwd.txt" 30
    fi
}

# host_said FILE KEY EXPECTED : the host side wrote KEY=EXPECTED to FILE
# (and EXPECTED is not empty).
host_said() {
    _got=$(sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1)
    echo "$(basename "$1"): $2='$_got', expected '$3'"
    [ -n "$3" ] && [ "$_got" = "$3" ]
}

# pci_is_virtio_net : the PCI ids are virtio-net's, one of the two ways
# the virtio spec (4.1.2.1) allows: transitional 0x1000, revision 0,
# with the device type (1, network) in the subsystem id; or modern-only
# 0x1040 + 1, revision 1 or more.  The command line does not set
# disable-legacy: QEMU 7.2 makes the NIC on the pc machine's conventional
# PCI bus transitional, pmemvm's virtio-pci is modern-only (as for
# virtio-pmem), and Linux's virtio_pci drives either.
pci_is_virtio_net() {
    _ids="$(res pci_vendor) $(res pci_device) $(res pci_revision) $(res pci_subsystem_device)"
    echo "pci ids: $_ids"
    case $_ids in
    "0x1af4 0x1000 0x00 0x0001") return 0 ;;
    "0x1af4 0x1041 0x00 "*) return 1 ;;
    "0x1af4 0x1041 0x"*) return 0 ;;
    esac
    return 1
}

sc_check() {
    # the NIC
    expect_eq eth0 present
    expect_eq mac "$MAC"
    expect_eq pci_vendor 0x1af4
    expect virtio_net_ids pci_is_virtio_net
    expect_eq pci_class 0x020000
    expect_eq pci_driver virtio-pci
    expect_eq driver virtio_net
    note nic "$(res pci_slot) $(res pci_vendor):$(res pci_device) rev $(res pci_revision) subsystem $(res pci_subsystem_device)"
    # slirp's DHCP
    expect_eq link_rc 0
    expect_eq udhcpc.rc 0
    expect_eq lease.ip 10.0.2.15
    expect_eq lease.mask 24
    expect_eq lease.router 10.0.2.2
    expect_eq ipv4 10.0.2.15/24
    expect_eq gateway 10.0.2.2
    note lease "dns $(res lease.dns), server $(res lease.serverid)"
    # guest -> host
    expect_ne g2h.sent ""
    expect g2h_host_got host_said "$ITEM_DIR/g2h.txt" got "$(res g2h.sent)"
    expect_eq g2h.reply "host-saw $(res g2h.sent)"
    note g2h "tries $(res g2h.tries); $(tr '\n' ' ' <"$ITEM_DIR/g2h.txt" 2>/dev/null)"
    # host -> guest (hostfwd)
    expect_eq h2g.listening yes
    expect_eq h2g.got "$H2G_TOKEN"
    expect h2g_host_got host_said "$ITEM_DIR/hostfwd.txt" reply "guest-saw $H2G_TOKEN"
    expect_eq h2g.connection closed
    note h2g "$(tr '\n' ' ' <"$ITEM_DIR/hostfwd.txt" 2>/dev/null)"
    expect_eq vmm_rc 0
    kill "$NET_LISTENER" 2>/dev/null
}
