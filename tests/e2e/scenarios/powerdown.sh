# SPDX-License-Identifier: GPL-2.0-or-later
# powerdown: QMP system_powerdown while the guest runs.  The VMM presses
# the ACPI power button (pmemvm: GED -> Notify (\_SB.PWRB, 0x80); QEMU:
# the fixed power button); Linux's button driver turns it into KEY_POWER
# on the "Power Button" input device, which the guest waits for (as
# systemd-logind or acpid would) before it powers off.  The VMM sends
# POWERDOWN, then SHUTDOWN (guest, guest-shutdown) and exits 0.
SC_BOOTS=1
SC_DESC="system_powerdown: the guest sees the power button and shuts down cleanly"

sc_setup() {
    e2e_one_nvdimm_setup 64M
}

sc_vm_args() {
    e2e_one_nvdimm_args
}

sc_steps() {
    cat <<EOS
step press
qmp pd {"execute": "system_powerdown"}
wait-event powerdown POWERDOWN 10
wait-console button ^E2E-POWER-BUTTON 60
EOS
}

sc_guest() {
    _ev=$(e2e_power_button_event)
    e2e_result power_button "${_ev:-none}"
    e2e_step_start press
    # One input event (24 bytes on x86_64): the key press.
    if [ -n "$_ev" ] && dd if="$_ev" of=/dev/null bs=24 count=1 2>/dev/null; then
        echo "E2E-POWER-BUTTON"
        e2e_result pressed yes
    fi
    e2e_step_wait press
    # As an init would: sync, then power off (inner-init does it next).
    sync
}

sc_check() {
    expect_ne power_button none
    expect_eq pd.rc ok
    expect_eq powerdown ok
    expect_eq button ok
    expect_eq pressed yes
    expect_eq guest_end ok
    expect_eq vmm_rc 0
    expect_eq event.SHUTDOWN.last '{"guest":true,"reason":"guest-shutdown"}'
    note latency "system_powerdown -> the guest's KEY_POWER $(res button.ms) ms"
}
