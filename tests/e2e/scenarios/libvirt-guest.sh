# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt-guest: a real libvirtd starts the domain (a running guest), the
# host reads its console from the pty libvirt reports, waits for the guest
# to be up, then "virsh attach-device" hot-adds a second NVDIMM; the guest
# waits for it and shows "ndctl list"; a line typed into "virsh console"
# reaches the guest, and its answer comes back there.  Then "virsh shutdown" presses the
# ACPI power button (system_powerdown); the guest waits for the key press
# and powers off, which libvirt (on_poweroff=destroy, the VMM under
# -no-shutdown) turns into the end of the domain.  Run by
# tests/e2e/libvirt-job.sh, not by job.sh.
SC_BOOTS=1
SC_DESC="libvirtd runs a guest; attach-device of an NVDIMM; ndctl sees it; virsh shutdown"
SC_DEVICES="nvdimm"

sc_guest() {
    e2e_wait_for /sys/bus/nd/devices/nmem0 20
    e2e_report_nd
    # the host attaches the second NVDIMM when it reads this line
    echo "E2E-READY-FOR-ATTACH"
    if e2e_wait_for /sys/bus/nd/devices/nmem1 120; then
        e2e_result nmem1 present
    else
        e2e_result nmem1 absent
    fi
    e2e_section ndctl_list ndctl list -D -R
    # the host types a line into "virsh console" when it reads this one
    echo "E2E-READY-FOR-CONSOLE"
    if read -t 120 _line; then
        e2e_result console_input "$_line"
    else
        e2e_result console_input none
    fi
    e2e_power_button_arm
    # the host runs "virsh shutdown" when it reads this line
    echo "E2E-READY-FOR-SHUTDOWN"
    e2e_power_button_wait 120
}
