# SPDX-License-Identifier: GPL-2.0-or-later
# backing-truncated: the host truncates the NVDIMM's backing file to 0
# while the guest reads /dev/pmem0.  The guest's next access to a lost page
# cannot be served.  Where KVM_RUN then fails with EFAULT, the VMM must say
# so and stop the VM (QEMU 7.2: "kvm run failed Bad address", registers,
# "internal-error"); with Linux 6.1's KVM the vCPU retries for ever and the
# guest hangs (soft lockups), on QEMU 7.2 as on pmemvm.  Either way the
# VMM must not die, and pmemvm must say at once that the file was cut
# short, naming it.  30 s after the truncation the host asks QMP for the
# status, checks the VMM is alive and ends it with SIGTERM.
SC_BOOTS=1
SC_DESC="a backing file truncated under the guest: reported, the VMM lives"
SC_NO_END="1"
WAIT_AFTER=30

sc_setup() {
    e2e_one_nvdimm_setup 64M
}

sc_vm_args() {
    e2e_one_nvdimm_args
    VM_ARGS="$VM_ARGS -qmp unix:$WORK/qmp.sock,server=on,wait=off"
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    # Every page once while the file is whole.
    dd if=/dev/pmem0 of=/dev/null bs=1M 2>/dev/null
    e2e_result first_read_rc $?
    echo "E2E-TRUNCATE-ME"
    # The host truncates the file now; read until the VMM is ended.
    while :; do
        dd if=/dev/pmem0 of=/dev/null bs=1M iflag=direct 2>/dev/null
    done
}

# qmp_status SOCKET : the VM's status from QMP query-status, or "none".
qmp_status() {
    /usr/bin/python3 - "$1" <<'PY' 2>/dev/null || echo none
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
for cmd in ("qmp_capabilities", "query-status"):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    while True:
        msg = json.loads(f.readline())
        if "return" in msg or "error" in msg:
            break
print(msg.get("return", {}).get("status", "error"))
PY
}

# Called by job.sh every half second while the VMM runs.
sc_watch() {
    if [ -z "${TRUNCATED:-}" ] && grep -a -q '^E2E-TRUNCATE-ME' "$2"; then
        truncate -s 0 "$NV0"
        TRUNCATED=$SECONDS
        echo "truncated $NV0" >>"$ITEM_DIR/checks.log"
    elif [ -n "${TRUNCATED:-}" ] && [ -z "${ENDED:-}" ] &&
        [ $((SECONDS - TRUNCATED)) -ge $WAIT_AFTER ]; then
        ENDED=1
        {
            echo "status=$(qmp_status "$WORK/qmp.sock")"
            kill -0 "$3" 2>/dev/null && echo "alive=1"
            echo "lockups=$(grep -a -c 'soft lockup' "$2")"
        } >"$ITEM_DIR/after.txt"
        kill -TERM "$3"
    fi
}

sc_check() {
    log="$ITEM_DIR/boot1.log" after="$ITEM_DIR/after.txt"
    expect_eq first_read_rc 0
    expect_eq guest_end missing
    expect vmm_alive grep -qx alive=1 "$after"
    expect_eq vmm_rc 0
    note after "$(tr '\n' ' ' <"$after" 2>/dev/null)"
    note vmm_says "$(tr -d '\r' <"$log" | grep -a -m2 -e 'kvm run failed' \
        -e 'KVM_RUN failed' -e 'was truncated to' | tr '\n' ' ')"
    if [ "$VMM" = pmemvm ]; then
        expect says_truncated grep -qF "warning: backend 'mem0': $NV0 was \
truncated to 0 bytes while mapped (67108864 bytes)" "$log"
        if grep -qx status=internal-error "$after"; then
            expect names_the_file grep -qF "KVM_RUN failed: Bad address: \
the guest accessed memory the host cannot provide: memory-backend-file \
'mem0' ($NV0): the file was truncated to 0 bytes while mapped" "$log"
        fi
    fi
}
