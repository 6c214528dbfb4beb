# SPDX-License-Identifier: GPL-2.0-or-later
# sigkill: the guest writes a pattern to /dev/pmem0 with conv=fsync and
# says so on the console; the host then kills the VMM with SIGKILL. The
# pattern must be in the backing file: no clean shutdown is needed for
# data the guest has flushed to reach it.
SC_BOOTS=1
SC_DESC="flushed data survives SIGKILL of the VMM"
SC_NO_END="1"
OFFSET=$((4096 * 4321))

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_pattern sigkill >/tmp/pattern
    dd if=/tmp/pattern of=/dev/pmem0 bs=4096 seek=$((OFFSET / 4096)) \
        count=1 conv=fsync 2>/dev/null
    e2e_result dd_rc $?
    echo "E2E-KILL-ME"
    # The host kills the VMM now; never reach E2E-END.
    sleep 3600
}

# Called by job.sh every half second while the VMM runs.
sc_watch() {
    if [ -z "${KILLED:-}" ] && tr -d '\r' <"$2" | grep -q '^E2E-KILL-ME'; then
        kill -KILL "$3"
        KILLED=1
        echo "sent SIGKILL to $3" >>"$ITEM_DIR/checks.log"
    fi
}

sc_check() {
    expect_eq dd_rc 0
    expect_eq vmm_rc 137
    expect_eq guest_end missing
    expect backing_has_pattern backing_has_pattern "$NV0" $OFFSET sigkill
}
