# SPDX-License-Identifier: GPL-2.0-or-later
# reboot: the VMM runs without -no-reboot (SC_REBOOT=1). The guest's first
# kernel writes a marker to /dev/pmem0 and reboots itself (reboot -f); the
# VMM must start the machine again, whose second kernel finds the marker,
# reports it and powers off, which ends the VMM with status 0. The host
# also checks that both kernels printed their E2E-BEGIN (one VMM process,
# two boots) and that the marker is in the backing file.
SC_BOOTS=1
SC_REBOOT=1
SC_DESC="guest reboot restarts the machine (no -no-reboot)"
MARK="E2E-REBOOT-MARK"

sc_setup() {
    e2e_one_nvdimm_setup
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    _mark=$(dd if=/dev/pmem0 bs=${#MARK} count=1 2>/dev/null)
    if [ "$_mark" = "$MARK" ]; then
        e2e_result after_reboot 1
        return 0
    fi
    e2e_result before_reboot 1
    printf '%s' "$MARK" | dd of=/dev/pmem0 conv=fsync 2>/dev/null
    echo "E2E-REBOOTING"
    e2e-poke drain
    reboot -f
    sleep 60          # not reached: reboot -f does not return
}

sc_check() {
    local begins
    expect_eq before_reboot 1
    expect_eq after_reboot 1
    expect_eq vmm_rc 0
    begins=$(tr -d '\r' <"$ITEM_DIR/boot1.log" | grep -c '^E2E-BEGIN reboot ')
    if [ "$begins" = 2 ]; then
        record PASS two_kernels "E2E-BEGIN twice in one VMM run"
    else
        record FAIL two_kernels "E2E-BEGIN $begins times (want 2)"
    fi
    if head -c ${#MARK} "$NV0" | grep -qx "$MARK"; then
        record PASS marker "in the backing file"
    else
        record FAIL marker "not in the backing file"
    fi
}
