/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line's chardevs, monitors and COM1 (part of QEMU's vl.c
 * job, system/vl.c): -chardev first, then -mon, -qmp, -monitor and
 * -serial in the order given, then QEMU's defaults for what is missing.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "chardev/char.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "hw/i386/pc.h"
#include "system/cmdline.h"
#include "system/vl-chardev.h"

/* Start a human monitor on @chr, or die naming @o. */
static void hmp_on(const CmdOpt *o, Chardev *chr)
{
    Error *err = NULL;

    if (!monitor_init_hmp(chr, &err)) {
        die_at(o, err);
    }
}

/*
 * -serial SPEC: pmemvm has one UART (COM1); "none" means no UART.  The
 * machine creates the UART (pc_machine_init()) on the chardev chosen here.
 * "mon:SPEC" puts a human monitor on the same chardev, multiplexed
 * (C-a c switches, util/chardev-mux.c).
 */
static void serial_from_option(PCMachineState *pcms, const CmdOpt *o,
                               bool *seen)
{
    Error *err = NULL;
    const char *spec = o->arg;

    if (*seen) {
        error_setg(&err, "pmemvm has one serial port (COM1); a second "
                   "-serial is not supported");
        die_at(o, err);
    }
    *seen = true;
    if (!strcmp(spec, "none")) {
        return;
    }
    pcms->serial_chr = qemu_chr_new_legacy("serial0", spec, &err);
    if (!pcms->serial_chr) {
        die_at(o, err);
    }
    if (g_str_has_prefix(spec, "mon:")) {
        hmp_on(o, pcms->serial_chr);
    }
    pcms->serial_enabled = true;
}

/*
 * QEMU's defaults when neither -serial nor a monitor option (-monitor,
 * -mon, -qmp) is given, and -nodefaults is not: under -nographic COM1
 * and a human monitor share stdio ("mon:stdio"); with only one of them
 * missing, that one goes on stdio.  Without -nographic QEMU puts them on
 * graphical consoles, which pmemvm lacks: COM1 then has no backend and
 * there is no default monitor.
 */
static void defaults_from_options(PCMachineState *pcms, bool nographic,
                                  bool want_serial, bool want_monitor)
{
    Error *err = NULL;
    Chardev *chr;

    if (want_serial) {
        pcms->serial_enabled = true;
    }
    if (!nographic) {
        return;
    }
    if (want_serial && want_monitor) {
        pcms->serial_chr = qemu_chr_new_legacy("serial0", "mon:stdio", &err);
        if (!pcms->serial_chr) {
            die(err);
        }
        hmp_on(NULL, pcms->serial_chr);
        return;
    }
    if (want_monitor) {
        chr = qemu_chr_new_legacy("compat_monitor0", "stdio", &err);
        if (!chr) {
            die(err);
        }
        hmp_on(NULL, chr);
    }
    if (want_serial) {
        /* stdio may already serve a monitor: then COM1 stays unplugged. */
        pcms->serial_chr = qemu_chr_new_legacy("serial0", "stdio", NULL);
    }
}

/* -mon chardev=ID[,mode=readline|control][,pretty=on|off] */
static void mon_from_option(const CmdOpt *o)
{
    static const char *const keys[] = {
        "chardev", "mode", "pretty", "id", NULL,
    };
    g_autoptr(QemuOpts) opts = opts_or_die(o, "chardev");
    const char *id = qemu_opts_get(opts, "chardev");
    const char *mode = qemu_opts_get(opts, "mode");
    const char *pretty = qemu_opts_get(opts, "pretty");
    bool pretty_on = false, control;
    Error *err = NULL;
    Chardev *chr;

    if (!qemu_opts_check_keys(opts, keys, &err)) {
        die_at(o, err);
    }
    if (mode && strcmp(mode, "readline") && strcmp(mode, "control")) {
        error_setg(&err, "Parameter 'mode' does not accept value '%s'",
                   mode);
        die_at(o, err);
    }
    control = mode && !strcmp(mode, "control");
    if (pretty && !parse_bool(pretty, &pretty_on)) {
        error_setg(&err, "Parameter 'pretty' expects 'on' or 'off'");
        die_at(o, err);
    }
    if (pretty_on && !control) {
        error_setg(&err, "'pretty' is not compatible with HMP monitors");
        die_at(o, err);
    }
    if (!id) {
        error_setg(&err, "Parameter 'chardev' is missing");
        die_at(o, err);
    }
    chr = qemu_chr_find(id);
    if (!chr) {
        error_setg(&err, "chardev \"%s\" not found", id);
        die_at(o, err);
    }
    if (!control) {
        hmp_on(o, chr);
    } else if (!monitor_init_qmp(chr, pretty_on, &err)) {
        die_at(o, err);
    }
}

void vl_create_chardevs_and_monitors(PCMachineState *pcms, GPtrArray *opts,
                                     bool nographic, bool nodefaults)
{
    Error *err = NULL;
    bool serial_seen = false, monitor_seen = false;
    int i;

    for (i = 0; i < opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(opts, i);

        if (!strcmp(o->name, "chardev")) {
            g_autoptr(QemuOpts) chr_opts = opts_or_die(o, "backend");
            if (!qemu_chr_new_from_opts(chr_opts, &err)) {
                die_at(o, err);
            }
        }
    }
    for (i = 0; i < opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(opts, i);

        if (!strcmp(o->name, "mon")) {
            monitor_seen = true;
            mon_from_option(o);
        } else if (!strcmp(o->name, "qmp") || !strcmp(o->name, "qmp-pretty")) {
            g_autofree char *label = g_strdup_printf("compat_monitor%d", i);
            Chardev *chr = qemu_chr_new_legacy(label, o->arg, &err);

            monitor_seen = true;
            if (!chr || !monitor_init_qmp(chr, !strcmp(o->name, "qmp-pretty"),
                                          &err)) {
                die_at(o, err);
            }
        } else if (!strcmp(o->name, "monitor")) {
            g_autofree char *label = g_strdup_printf("compat_monitor%d", i);
            Chardev *chr;

            monitor_seen = true;
            if (!strcmp(o->arg, "none")) {
                continue;
            }
            chr = qemu_chr_new_legacy(label, o->arg, &err);
            if (!chr) {
                die_at(o, err);
            }
            hmp_on(o, chr);
        } else if (!strcmp(o->name, "serial")) {
            serial_from_option(pcms, o, &serial_seen);
        }
    }
    defaults_from_options(pcms, nographic, !serial_seen && !nodefaults,
                          !monitor_seen && !nodefaults);
}
