# SPDX-License-Identifier: GPL-2.0-or-later
# guest-garbage: the guest (root, busybox) throws garbage at everything a
# guest can reach without a driver, and the VMM must survive it:
#   a) random bytes over the NVDIMM _DSM page (MEMA from the SSDT; 0xDF000
#      on pmemvm) with dd on /dev/mem, then _DSM calls on that page: 4-byte
#      writes of the page address to port 0x0A18 (e2e-poke io), mostly with
#      a plausible header (revision 1, root/DIMM/reserved handles, functions
#      0-7, label offsets and lengths near the edges) so the handlers get
#      past the first checks; the reply must be sane (RLEN 4..4096). Then
#      the page address through /dev/port with dd bs=4: the kernel's
#      write_port() does one outb per byte, so that is four 1-byte writes
#      the VMM must refuse; and 1-, 2- and (pmemvm only) 4-byte writes of
#      random values to the port.
#   b) random bytes written to, and read from, I/O ports nobody claims,
#      through /dev/port (byte by byte) and e2e-poke (2 and 4 bytes);
#   c) random bytes written to, and read from, unclaimed MMIO (where
#      /proc/iomem shows no device) through an mmap of /dev/mem (e2e-poke
#      mem, 4 KiB) and busybox devmem (8/16/32/64-bit);
#   d) prints E2E-GARBAGE-DONE, starts a 100 MiB O_DIRECT dd to /dev/pmem0
#      and powers off (poweroff -f) once it is writing.
# The host checks that the VMM exited by itself with status 0, that the
# guest got through, that pmemvm's "guest error" lines stayed rate-limited,
# and that the backing files kept their size.
#
# /dev/mem on Debian's kernel (STRICT_DEVMEM, IO_STRICT_DEVMEM): root may
# use pages that are not RAM and that no driver claimed; below 1 MiB (the
# ISA range, pmemvm's 0xDF000) read() and write() work too, but above it
# they fail with EFAULT (the kernel's memremap(MEMREMAP_WB) of a non-RAM
# page fails), so QEMU's page (e820 reserved, below 4 GiB) and MMIO are
# reached through mmap: dsm_page_access says which was used.
# QEMU 7.2 takes whatever is written to 0x0A18 as the page address and
# writes its reply there, so random 4-byte values would make QEMU scribble
# over the guest's own RAM: on QEMU (e2e_vmm=qemu) those are left out.
SC_BOOTS=1
SC_DESC="garbage in the DSM page, ports and MMIO, power-off mid-write: the VMM survives"
SC_NO_END="1"                      # the guest powers off from sc_guest
NV0_BYTES=268435456                # 256 MiB, raw namespace: pmem0
NV1_BYTES=134217728                # 128 MiB with a 128 KiB label area
DSM_ROUNDS=32
PORT_ROUNDS=1
BURST=200                          # refused port writes in one go
DSM_PORT=$((0x0A18))
# Unclaimed on pmemvm; on QEMU 0x500-0x5ff holds fw_cfg and 0xa00-0xa17
# memory hotplug, which shrug off what is written here. Not 0x3c0-0x3c2
# (ACPI sleep/reset), 0xcf9, 0x64, 0x92 (resets), 0x3f8-0x3ff (console),
# 0x20/0xa0/0x40-0x43 (PIC/PIT).
GARBAGE_PORTS="0x200:256 0x500:256 0xa00:24 0xa1c:228"
GARBAGE_MMIO="0xfeb00000 0xfed10000"

sc_setup() {
    NV0=$(e2e_backing nv0.img 256M)
    NV1=$(e2e_backing nv1.img 128M)
}

sc_vm_args() {
    SC_SMP=2              # the dd runs on one vCPU while the other powers off
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=256M
        -device nvdimm,id=nvdimm0,memdev=mem0
        -object memory-backend-file,id=mem1,share=on,mem-path=$NV1,size=128M
        -device nvdimm,id=nvdimm1,memdev=mem1,label-size=128K"
}

# ---- guest side -------------------------------------------------------

# Accesses that pmemvm must refuse with a guest error.
GARBAGE_BAD=0

# poke ARGS... : e2e-poke ARGS. A failure (a refused mmap, a crash) would
# leave the VMM untested without failing anything: each is counted in
# /tmp/poke.failed, and the first one reported with the kernel's last lines.
poke() {
    e2e-poke "$@"
    _prc=$?
    if [ "$_prc" -ne 0 ]; then
        if [ ! -s /tmp/poke.failed ]; then
            echo "e2e-poke $* failed: status $_prc" | cut -c 1-120
            dmesg | tail -n 3
        fi
        echo "$_prc $*" | cut -c 1-80 >>/tmp/poke.failed
    fi
    return "$_prc"
}

# dsm_page_put LEN : LEN (4096, or a multiple of 4) bytes from stdin to the
# start of the _DSM page, with dd on /dev/mem, or e2e-poke's mmap where the
# kernel refuses read()/write() of /dev/mem there (QEMU's page, above 1 MiB).
dsm_page_put() {
    if [ "$_via" = mmap ]; then
        poke mem "$_mema" "$1"
    elif [ "$1" = 4096 ]; then
        dd of=/dev/mem bs=4096 count=1 seek=$((_mema / 4096)) conv=notrunc \
            iflag=fullblock 2>/dev/null
    else
        dd of=/dev/mem bs=4 count=$(($1 / 4)) seek=$((_mema / 4)) conv=notrunc \
            iflag=fullblock 2>/dev/null
    fi
}

# dsm_page_rlen : the first 32-bit word of the page (the reply's RLEN).
dsm_page_rlen() {
    if [ "$_via" = mmap ]; then
        poke memread "$_mema" 4
    else
        dd if=/dev/mem bs=4 count=1 skip=$((_mema / 4)) 2>/dev/null
    fi | od -An -tu4 | tr -d ' '
}

# garbage_dsm MEMA VMM
garbage_dsm() {
    _mema=$(($1))
    _vmm_is=$2
    _wfail=0 _pfail=0 _calls=0 _badreply=0 _i=0 _via=dd
    e2e_result dsm_page_iomem "$(e2e_iomem_owners "$_mema" | tr '\n' ',' | sed 's/,$//')"
    # dd first, as a shell user would; its error, if any, is reported.
    if ! dd if=/dev/urandom of=/dev/mem bs=4096 count=1 seek=$((_mema / 4096)) \
            conv=notrunc 2>/tmp/dd.err; then
        e2e_result dsm_page_dd_error "$(grep -v records /tmp/dd.err | head -n 1)"
        _via=mmap
    fi
    e2e_result dsm_page_access "$_via"
    while [ "$_i" -lt "$DSM_ROUNDS" ]; do
        # shellcheck disable=SC2046
        set -- $(e2e_rand32 8)
        head -c 4096 /dev/urandom | dsm_page_put 4096 || _wfail=$((_wfail + 1))
        if [ $((_i % 4)) -ne 0 ]; then
            # Handle: root, DIMM 1 (no labels), DIMM 2 (labels), QEMU's
            # reserved root (FIT reads), or anything.
            case $(($1 % 5)) in
            0) _h=0 ;; 1) _h=1 ;; 2) _h=2 ;; 3) _h=$((0x10000)) ;; *) _h=$2 ;;
            esac
            # Offset and length around the 128 KiB label area and the
            # 4 KiB page (for reads of the FIT the offset is what counts).
            e2e_le32 "$_h" 1 $(($3 % 8)) $(($4 % 132000)) $(($5 % 4200)) |
                dsm_page_put 20 || _wfail=$((_wfail + 1))
        fi
        if [ "$USER_IO" = ok ]; then
            # The call proper: a 4-byte write of the page address.
            poke io "$DSM_PORT" 4 "$_mema" && _calls=$((_calls + 1))
            # The reply starts with RLEN, 4..4096: the VMM answered, sanely.
            _rlen=$(dsm_page_rlen)
            if [ -z "$_rlen" ] || [ "$_rlen" -lt 4 ] || [ "$_rlen" -gt 4096 ]; then
                _badreply=$((_badreply + 1))
                echo "bad DSM reply: RLEN '$_rlen' (round $_i)"
            fi
        fi
        # The page address through /dev/port: four outb.
        e2e_le32 "$_mema" | dd of=/dev/port bs=4 count=1 \
            seek=$((DSM_PORT / 4)) conv=notrunc 2>/dev/null ||
            _pfail=$((_pfail + 1))
        GARBAGE_BAD=$((GARBAGE_BAD + 4))
        if [ "$USER_IO" = ok ]; then
            # Random values: 1 and 2 bytes wide, and 4 bytes but not on QEMU.
            poke io $((DSM_PORT + $6 % 4)) 1 $(($7 & 255))
            poke io "$DSM_PORT" 2 $(($8 & 0xffff))
            GARBAGE_BAD=$((GARBAGE_BAD + 2))
            if [ "$_vmm_is" != qemu ] && [ $(($7 & 0xFFFFFFFF)) -ne "$_mema" ]; then
                poke io "$DSM_PORT" 4 $(($7 & 0xFFFFFFFF))
                GARBAGE_BAD=$((GARBAGE_BAD + 1))
            fi
        fi
        _i=$((_i + 1))
    done
    # A burst of 2-byte writes, all refused, within microseconds: more
    # than the VMM should print in its rate-limit window.
    if [ "$USER_IO" = ok ]; then
        # shellcheck disable=SC2046
        poke io "$DSM_PORT" 2 $(seq 1 "$BURST")
        # One more after the window: pmemvm reports the suppressed count then.
        usleep 1100000
        poke io "$DSM_PORT" 2 0
        GARBAGE_BAD=$((GARBAGE_BAD + BURST + 1))
    fi
    e2e_result dsm_rounds "$DSM_ROUNDS"
    e2e_result dsm_calls "$_calls"
    e2e_result dsm_bad_replies "$_badreply"
    e2e_result dsm_page_write_failed "$_wfail"
    e2e_result dev_port_write_failed "$_pfail"
}

garbage_ports() {
    _wfail=0 _rfail=0 _notff=0 _round=0
    while [ "$_round" -lt "$PORT_ROUNDS" ]; do
        for _range in $GARBAGE_PORTS; do
            _start=$((${_range%:*}))
            _len=$((${_range#*:}))
            dd if=/dev/urandom of=/dev/port bs=1 count="$_len" seek="$_start" \
                conv=notrunc 2>/dev/null || _wfail=$((_wfail + 1))
            dd if=/dev/port of=/tmp/ports bs=1 count="$_len" skip="$_start" \
                2>/dev/null || _rfail=$((_rfail + 1))
            for _b in $(od -An -v -tx1 /tmp/ports); do
                [ "$_b" = ff ] || _notff=$((_notff + 1))
            done
            # Wider accesses every 16 ports.
            _p=$_start
            [ "$USER_IO" = ok ] || _p=$((_start + _len))
            while [ "$_p" -lt $((_start + _len)) ]; do
                # shellcheck disable=SC2046
                set -- $(e2e_rand32 2)
                poke io "$_p" 2 $(($1 & 0xffff))
                poke io "$_p" 4 "$2"
                poke io "$_p" 4 >/dev/null
                _p=$((_p + 16))
            done
        done
        _round=$((_round + 1))
    done
    e2e_result port_write_failed "$_wfail"
    e2e_result port_read_failed "$_rfail"
    e2e_result port_bytes_not_ff "$_notff"
}

# 4 KiB of random bytes written and read back through e2e-poke's mmap of
# /dev/mem (read()/write() of /dev/mem fail there: EFAULT, reported once),
# then busybox devmem at every width.
garbage_mmio() {
    _done=0 _skipped="" _fail=0
    : >/tmp/mmio.err
    for _a in $GARBAGE_MMIO; do
        _owner=$(e2e_iomem_owners "$_a" | head -n 1)
        if [ -n "$_owner" ]; then
            _skipped="$_skipped $_a($_owner)"
            continue
        fi
        if [ "$_done" = 0 ]; then
            dd if=/dev/urandom of=/dev/mem bs=4096 count=1 seek=$((_a / 4096)) \
                conv=notrunc 2>/tmp/dd.err
            e2e_result mmio_dd_rc "$?"
            e2e_result mmio_dd_error "$(grep -v records /tmp/dd.err | head -n 1)"
        fi
        head -c 4096 /dev/urandom | poke mem "$_a" 4096 2>>/tmp/mmio.err ||
            _fail=$((_fail + 1))
        poke memread "$_a" 4096 >/tmp/mmio.bin 2>>/tmp/mmio.err ||
            _fail=$((_fail + 1))
        for _w in 8 16 32 64; do
            # shellcheck disable=SC2046
            set -- $(e2e_rand32 2)
            devmem $((_a + ($1 % 512) * 8)) "$_w" "$2" 2>>/tmp/mmio.err ||
                _fail=$((_fail + 1))
            devmem $((_a + ($2 % 512) * 8)) "$_w" 2>>/tmp/mmio.err >/dev/null ||
                _fail=$((_fail + 1))
        done
        _done=$((_done + 1))
    done
    e2e_result mmio_pages "$_done"
    e2e_result mmio_skipped "$(echo $_skipped)"
    e2e_result mmio_failed "$_fail"
    [ ! -s /tmp/mmio.err ] || e2e_result mmio_error "$(head -n 1 /tmp/mmio.err)"
}

# How many DIMMs' label areas ndctl reads, through the kernel's _DSM calls
# (1: nvdimm1's): the same after the garbage when the VMM still answers.
read_labels() {
    _ok=0
    for _d in /sys/bus/nd/devices/nmem*; do
        [ -e "$_d" ] || continue
        ndctl read-labels "$(basename "$_d")" -o /tmp/labels 2>/dev/null &&
            _ok=$((_ok + 1))
    done
    echo "$_ok"
}

sc_guest() {
    _vmm=$(sed -n 's/.*e2e_vmm=\([^ ]*\).*/\1/p' /proc/cmdline)
    e2e_wait_for /dev/pmem0 10
    e2e_report_nd
    e2e_result labels_readable_before "$(read_labels)"
    _mema=$(e2e_acpi_name_dword MEMA)
    e2e_result dsm_page "$_mema"
    # Port I/O from user space (ioperm, e2e-poke). Where it faults (#GP:
    # seen with QEMU as the inner VMM in the nested setup, not with
    # pmemvm), only /dev/port's byte-wise writes reach the ports.
    if e2e-poke io 0x80 1 >/dev/null 2>&1; then
        USER_IO=ok
    else
        USER_IO=fault
        dmesg | grep traps | tail -n 1
    fi
    e2e_result user_port_io "$USER_IO"
    _t0=$(cut -d' ' -f1 /proc/uptime)
    if [ -n "$_mema" ]; then
        garbage_dsm "$_mema" "$_vmm"
    fi
    _t1=$(cut -d' ' -f1 /proc/uptime)
    garbage_ports
    _t2=$(cut -d' ' -f1 /proc/uptime)
    garbage_mmio
    _t3=$(cut -d' ' -f1 /proc/uptime)
    e2e_result seconds "dsm=$(echo "$_t1 $_t0" | awk '{ print $1 - $2 }'),ports=$(echo "$_t2 $_t1" | awk '{ print $1 - $2 }'),mmio=$(echo "$_t3 $_t2" | awk '{ print $1 - $2 }')"
    e2e_result bad_accesses "$GARBAGE_BAD"
    e2e_result poke_failed "$(cat /tmp/poke.failed 2>/dev/null | wc -l)"
    e2e_result labels_readable_after "$(read_labels)"
    ndctl list -NRD >/dev/null 2>&1
    e2e_result ndctl_list_after "$?"
    echo "E2E-GARBAGE-DONE"

    dd if=/dev/urandom of=/dev/pmem0 bs=1M count=100 oflag=direct 2>/dev/null &
    _dd=$!
    # Power off once the dd is really writing (at most 5 s from now).
    _n=50 _w=0
    while [ "$_n" -gt 0 ]; do
        _w=$(sed -n 's/^wchar: //p' "/proc/$_dd/io" 2>/dev/null)
        [ "${_w:-0}" -ge 1048576 ] && break
        usleep 100000
        _n=$((_n - 1))
    done
    e2e_result dd_bytes_at_poweroff "${_w:-0}"
    if kill -0 "$_dd" 2>/dev/null; then
        e2e_result dd_running_at_poweroff 1
    else
        e2e_result dd_running_at_poweroff 0
    fi
    echo "E2E-POWEROFF"
    e2e-poke drain    # the lines above must reach the host first
    poweroff -f
    sleep 60          # not reached: poweroff -f does not return
}

# ---- host side --------------------------------------------------------

CRASH_RE='^(pmemvm|qemu-system-x86_64): .*(Assertion|assertion|internal error|[Aa]bort)|AddressSanitizer|runtime error:'

sc_check() {
    local log="$ITEM_DIR/boot1.log" rc nerr bound secs f size want
    rc=$(res vmm_rc)
    # (No "tr | grep -q" under pipefail: an early grep exit fails tr.)
    if grep -a -q '^E2E-GARBAGE-DONE' "$log"; then
        record PASS marker "the guest got through the garbage"
    else
        record FAIL marker "no E2E-GARBAGE-DONE on the console (boot1.log)"
    fi
    if [ "$VMM" = pmemvm ]; then
        expect_eq vmm_rc 0
    elif [ "$rc" = 0 ]; then
        record PASS vmm_rc "= 0"
    else
        # QEMU is the reference: its exit is recorded, survival required.
        note vmm_rc "QEMU exited with $rc"
        if [ -n "$rc" ] && [ "$rc" -lt 128 ]; then
            record PASS vmm_survived "exit status $rc, not a signal"
        else
            record FAIL vmm_survived "exit status '$rc' (a signal or a crash)"
        fi
    fi
    # The VMM's own last words (its stderr shares the log with the guest's
    # console, whose messages do not count): an assertion, an abort, a
    # sanitizer report. A crash without words shows in vmm_rc.
    if grep -a -q -E "$CRASH_RE" "$log"; then
        record FAIL crash_message "$(grep -a -m 1 -E "$CRASH_RE" "$log")"
    else
        record PASS crash_message "none in boot1.log"
    fi
    if [ "$VMM" = pmemvm ]; then
        expect_eq dsm_page 0x000df000          # include/hw/i386/layout.h
    else
        expect_ne dsm_page ""
    fi
    if [ "$(res user_port_io)" = ok ]; then
        record PASS user_port_io "= ok"
        expect_eq dsm_calls "$(res dsm_rounds)"
        expect_eq dsm_bad_replies 0
    elif [ "$VMM" = pmemvm ]; then
        record FAIL user_port_io "'$(res user_port_io)': e2e-poke cannot reach the ports, so no _DSM call was made (boot1.log)"
    else
        note user_port_io "'$(res user_port_io)': user-space port I/O faults in QEMU's guest here, so no _DSM calls and no 2/4-byte port writes on QEMU"
    fi
    expect_eq dsm_page_write_failed 0
    expect_eq dev_port_write_failed 0
    expect_eq port_write_failed 0
    expect_eq port_read_failed 0
    expect_eq mmio_failed 0
    expect_eq poke_failed 0
    expect_ne mmio_pages 0
    expect_eq labels_readable_after "$(res labels_readable_before)"
    expect_eq ndctl_list_after 0
    note seconds "$(res seconds); boot $(res boot_seconds) s"
    note mmio_skipped "'$(res mmio_skipped)'"
    note port_bytes_not_ff "$(res port_bytes_not_ff)"
    note dd_at_poweroff "$(res dd_bytes_at_poweroff) bytes written, running=$(res dd_running_at_poweroff)"

    # Guest errors: pmemvm logs each refused access, at most 10 lines a
    # second plus one "N more suppressed" line per window.
    nerr=$(grep -a -c 'guest error' "$log")
    if [ "$VMM" = pmemvm ]; then
        secs=$(res boot_seconds)
        bound=$(( (${secs%.*} + 2) * 11 ))
        if [ "$nerr" -ge 1 ] && [ "$nerr" -le "$bound" ] &&
           [ "$nerr" -lt "$(res bad_accesses)" ] &&
           grep -a -q 'guest error: [0-9]* more suppressed' "$log"; then
            record PASS guest_errors "$nerr lines for $(res bad_accesses) refused accesses in $secs s (bound $bound)"
        else
            record FAIL guest_errors "$nerr lines for $(res bad_accesses) refused accesses in $secs s (want 1..$bound, fewer than the accesses, and a 'more suppressed' line)"
        fi
    else
        note guest_errors "$nerr lines (QEMU logs them only with -d guest_errors)"
    fi

    for f in "$NV0:$NV0_BYTES" "$NV1:$NV1_BYTES"; do
        size=$(stat -c %s "${f%:*}")
        want=${f##*:}
        if [ "$size" = "$want" ]; then
            record PASS "size:$(basename "${f%:*}")" "= $size"
        else
            record FAIL "size:$(basename "${f%:*}")" "expected $want, got $size"
        fi
    done
}
