# SPDX-License-Identifier: GPL-2.0-or-later
# backing-truncated: the host truncates the NVDIMM's backing file to 0
# while the guest reads /dev/pmem0.  The guest's next access to a lost page
# cannot be served: KVM_RUN fails with EFAULT.  The VMM must say so and
# stop the VM, not die: QEMU 7.2 prints "kvm run failed Bad address" and
# the registers and pauses in "internal-error"; pmemvm must do the same and
# name the file and the truncation.  The host then checks, over QMP, that
# the VMM is alive and stopped, and quits it.
SC_BOOTS=1
SC_DESC="a backing file truncated under the guest stops the VM, the VMM lives"
SC_NO_END="1"

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
    # The host truncates the file now; read until the VMM stops us.
    while :; do
        dd if=/dev/pmem0 of=/dev/null bs=1M iflag=direct 2>/dev/null
    done
}

# qmp_status SOCKET : the VM's status from QMP query-status, or "none".
qmp_status() {
    /usr/bin/python3 - "$1" <<'EOF' 2>/dev/null || echo none
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
EOF
}

# Called by job.sh every half second while the VMM runs.
sc_watch() {
    if [ -z "${TRUNCATED:-}" ] && grep -a -q '^E2E-TRUNCATE-ME' "$2"; then
        truncate -s 0 "$NV0"
        TRUNCATED=1
        echo "truncated $NV0" >>"$ITEM_DIR/checks.log"
    elif [ -n "${TRUNCATED:-}" ] && [ -z "${STOPPED:-}" ] &&
        grep -a -q -e 'status internal-error' -e 'kvm run failed' "$2"; then
        STOPPED=1
        sleep 2
        echo "status=$(qmp_status "$WORK/qmp.sock")" >"$ITEM_DIR/after-stop.txt"
        kill -0 "$3" 2>/dev/null && echo "alive=1" >>"$ITEM_DIR/after-stop.txt"
        kill -TERM "$3"
    fi
}

sc_check() {
    log="$ITEM_DIR/boot1.log" after="$ITEM_DIR/after-stop.txt"
    expect_eq first_read_rc 0
    expect_eq guest_end missing
    expect vmm_alive_when_stopped grep -qx alive=1 "$after"
    expect_eq vmm_rc 0
    if [ "$VMM" = pmemvm ]; then
        expect status_internal_error grep -qx status=internal-error "$after"
        expect names_the_file grep -qF "KVM_RUN failed: Bad address: the \
guest accessed memory the host cannot provide: memory-backend-file 'mem0' \
($NV0): the file was truncated to 0 bytes while mapped" "$log"
        expect says_stopped grep -qF "the VM is stopped (status \
internal-error)" "$log"
    else
        note qemu_status "$(cat "$after" 2>/dev/null | tr '\n' ' ')"
        note qemu_says "$(grep -m1 -e 'kvm run failed' "$log")"
    fi
}
