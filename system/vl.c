/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line processing and the main loop (QEMU's vl.c job).
 *
 * Options are collected in order, then applied: machine and its options,
 * -object, chardevs and monitors, machine init (RAM, GED, COM1), -device,
 * machine done (ACPI), accelerator start, main loop.  Errors are printed
 * once, prefixed with the option as the user typed it, and exit with
 * status 1.  What the options do lives elsewhere: the machine's options
 * in hw/i386/pc-opts.c, chardevs and monitors in system/vl-chardev.c,
 * device_add in system/qdev-monitor.c, object
 * creation in qom/object_interfaces.c, -daemonize/-pidfile in
 * system/os-posix.c.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <sys/prctl.h>
#include "qemu/cutils.h"
#include "qemu/startup-undo.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "qom/qom-path.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "sysemu/hostmem.h"
#include "sysemu/os-posix.h"
#include "sysemu/qdev-monitor.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"
#include "sysemu/seccomp.h"
#include "sysemu/vl.h"
#include "hw/i386/pc.h"
#include "hw/i386/boot.h"
#include "hw/core/reset.h"
#include "system/cmdline.h"
#include "system/vl-chardev.h"
#include "system/vl-net.h"
#include "net/net.h"

typedef struct VLConfig {
    GPtrArray *opts;                /* CmdOpt*, command-line order */
    char *accel;                    /* from -accel / -enable-kvm; owned */
    char **accel_list;              /* "kvm:tcg" as given, split */
    bool machine_none;              /* -machine none: QMP only */
    const char *qtest_chrdev;
    const char *qtest_log;
    bool start_paused;
    bool daemonize;
    const char *pidfile;
    bool no_reboot;
    bool no_shutdown;
    bool no_acpi;
    bool nodefaults;
    bool nographic;
    const char *cpu_model;
    const CmdOpt *sandbox;          /* the last -sandbox */
} VLConfig;

static VLConfig vl;
PCMachineState *current_machine;
const char *qemu_name;
/* Start-up is over (what it made stays): see qemu_main(). */
static bool vl_started;

static void setup_machine(PCMachineState **out)
{
    const char *type = TYPE_PC_MACHINE;
    PCMachineState *pcms;
    Error *err = NULL;
    int i, j;

    /* The machine type: the last -machine type=... wins, as in QEMU. */
    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;
        const char *t;

        if (strcmp(o->name, "machine") && strcmp(o->name, "M")) {
            continue;
        }
        opts = opts_or_die(o, "type");
        t = qemu_opts_get(opts, "type");
        if (t) {
            vl.machine_none = !strcmp(t, "none");
            type = pc_machine_resolve_type(t);
            if (!type) {
                error_setg(&err, "unsupported machine type");
                error_append_hint(&err, "Use -machine help to list supported "
                                  "machines\n");
                die(err);
            }
        }
    }
    pcms = PC_MACHINE(object_new(type, &error_abort));
    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;

        if (strcmp(o->name, "machine") && strcmp(o->name, "M")) {
            continue;
        }
        opts = opts_or_die(o, "type");
        for (j = 0; j < opts->list->len; j++) {
            QemuOpt *opt = g_ptr_array_index(opts->list, j);
            if (!strcmp(opt->key, "type")) {
                continue;
            }
            if (!object_property_parse(OBJECT(pcms), opt->key, opt->value,
                                       &err)) {
                die(err);
            }
        }
    }
    *out = pcms;
}

/* -m, -smp, -numa: the machine parses them (hw/i386/pc-opts.c). */
static void parse_machine_option(PCMachineState *pcms, const CmdOpt *o,
                                 const char *implied,
                                 bool (*parse)(PCMachineState *,
                                               const QemuOpts *, Error **))
{
    g_autoptr(QemuOpts) opts = opts_or_die(o, implied);
    Error *err = NULL;

    if (!parse(pcms, opts, &err)) {
        die_at(o, err);
    }
}

/* Options given as key=value rather than JSON (QEMU's QemuOpts). */
static bool opt_is_keyval(const CmdOpt *o)
{
    const char *p = o->arg;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    return *p != '{';
}

/*
 * QEMU checks the ids of key=value -object and -device options among
 * themselves as it reads them, with QemuOpts' message; a clash that
 * involves a JSON option is found later, by the object or device layer,
 * in its own words.
 */
static void check_keyval_id(const CmdOpt *o, const QemuOpts *opts,
                            GHashTable *seen, const char *what)
{
    const char *id = qemu_opts_get(opts, "id");
    Error *err = NULL;

    if (!id || !opt_is_keyval(o)) {
        return;
    }
    if (!g_hash_table_add(seen, g_strdup(id))) {
        error_setg(&err, "Duplicate ID '%s' for %s", id, what);
        die_at(o, err);
    }
}

static void create_objects(void)
{
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash,
                                                      g_str_equal, g_free,
                                                      NULL);
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;

        if (strcmp(o->name, "object")) {
            continue;
        }
        opts = opts_or_die(o, "qom-type");
        check_keyval_id(o, opts, ids, "object");
        if (!user_creatable_add_opts(opts, &err)) {
            die_at(o, err);
        }
    }
}

static void create_devices(void)
{
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash,
                                                      g_str_equal, g_free,
                                                      NULL);
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;

        if (strcmp(o->name, "device")) {
            continue;
        }
        opts = opts_or_die(o, "driver");
        check_keyval_id(o, opts, ids, "device");
        if (!qdev_device_add(opts, &err)) {
            die_at(o, err);
        }
    }
}

/*
 * QEMU's check: -nographic would put a default serial, parallel port or
 * monitor on the terminal that -daemonize leaves.
 */
static void check_daemonize(void)
{
    bool serial = false, monitor = false, parallel = false;
    Error *err = NULL;

    if (!vl.daemonize) {
        return;
    }
    qemu_chr_forbid_stdio();
    for (guint i = 0; i < vl.opts->len; i++) {
        const char *n = ((CmdOpt *)g_ptr_array_index(vl.opts, i))->name;

        serial |= !strcmp(n, "serial");
        parallel |= !strcmp(n, "parallel");
        monitor |= !strcmp(n, "monitor") || !strcmp(n, "mon") ||
                   !strcmp(n, "qmp") || !strcmp(n, "qmp-pretty");
    }
    if (vl.nographic && !vl.nodefaults && (!serial || !monitor ||
                                            !parallel)) {
        error_setg(&err, "-nographic cannot be used with -daemonize");
        die(err);
    }
}

static gboolean on_signal(gpointer data)
{
    int sig = GPOINTER_TO_INT(data);

    error_report("terminating on signal %d", sig);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

const char *qemu_name;

/* -msg timestamp=on|off; -name guest=NAME,process=P,debug-threads=on. */
static void apply_msg_or_name(const CmdOpt *o)
{
    g_autoptr(QemuOpts) opts = cmdline_checked_opts(o);
    const char *v;
    bool on = false;

    if (!strcmp(o->name, "msg")) {
        v = qemu_opts_get(opts, "timestamp");
        if (v && parse_bool(v, &on)) {
            error_set_timestamps(on);
        }
        return;
    }
    v = qemu_opts_get(opts, "guest");
    if (v) {
        qemu_name = g_strdup(v);
    }
    v = qemu_opts_get(opts, "process");
    if (v) {
        /* what ps and top show (at most 15 characters) */
        prctl(PR_SET_NAME, v, 0, 0, 0);
    }
    /* debug-threads: pmemvm's threads carry their names always */
}

/* The accelerator to use: the last one given wins. */
static void set_accel(const char *name)
{
    g_free(vl.accel);
    vl.accel = g_strdup(name);
}

static void setup_options_pass(PCMachineState *pcms)
{
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        const char *n = o->name;

        cmdline_check_accepted(o);
        if (!strcmp(n, "m")) {
            parse_machine_option(pcms, o, "size", pc_machine_parse_memory);
        } else if (!strcmp(n, "smp")) {
            parse_machine_option(pcms, o, "cpus", pc_machine_parse_smp);
        } else if (!strcmp(n, "numa")) {
            parse_machine_option(pcms, o, "type", pc_machine_parse_numa);
        } else if (!strcmp(n, "accel")) {
            g_autoptr(QemuOpts) opts = opts_or_die(o, "accel");
            set_accel(qemu_opts_get(opts, "accel"));
        } else if (!strcmp(n, "enable-kvm")) {
            set_accel("kvm");
        } else if (!strcmp(n, "qtest")) {
            vl.qtest_chrdev = o->arg;
        } else if (!strcmp(n, "qtest-log")) {
            vl.qtest_log = o->arg;
        } else if (!strcmp(n, "S")) {
            vl.start_paused = true;
        } else if (!strcmp(n, "daemonize")) {
            vl.daemonize = true;
        } else if (!strcmp(n, "pidfile")) {
            vl.pidfile = o->arg;
        } else if (!strcmp(n, "no-reboot")) {
            vl.no_reboot = true;
            qemu_set_reboot_shuts_down(true);
        } else if (!strcmp(n, "no-shutdown")) {
            vl.no_shutdown = true;
        } else if (!strcmp(n, "no-acpi")) {
            pcms->acpi = ON_OFF_AUTO_OFF;
        } else if (!strcmp(n, "nographic")) {
            vl.nographic = true;
        } else if (!strcmp(n, "nodefaults")) {
            vl.nodefaults = true;
        } else if (!strcmp(n, "name")) {
            g_autoptr(QemuOpts) opts = opts_or_die(o, "guest");
            const char *guest = qemu_opts_get(opts, "guest");

            qemu_name = guest ? g_strdup(guest) : NULL;
        } else if (!strcmp(n, "cpu")) {
            vl.cpu_model = o->arg;
        } else if (!strcmp(n, "sandbox")) {
            vl.sandbox = o;
        } else if (!strcmp(n, "msg") || !strcmp(n, "name")) {
            apply_msg_or_name(o);
        } else if (!strcmp(n, "kernel")) {
            object_property_parse(OBJECT(pcms), "kernel", o->arg, &err);
        } else if (!strcmp(n, "initrd")) {
            object_property_parse(OBJECT(pcms), "initrd", o->arg, &err);
        } else if (!strcmp(n, "append")) {
            object_property_parse(OBJECT(pcms), "append", o->arg, &err);
        }
        if (err) {
            die_at(o, err);
        }
    }
    /* Every -m merged, as QEMU applies its "memory" options. */
    if (!pc_machine_check_memory(pcms, &err)) {
        die(err);
    }
    if (pcms->accel && !vl.accel) {
        set_accel(pcms->accel);
    }
    if (!vl.accel && vl.qtest_chrdev) {
        set_accel("qtest");
    }
    if (!vl.accel) {
        set_accel("kvm");
    }
    vl.accel_list = g_strsplit(vl.accel, ":", -1);
    if (vl.machine_none) {
        /* no guest: the accelerator is chosen later, if one can run */
        return;
    }
    /* "kvm:tcg"-style lists: take the first we have. */
    set_accel(vl.accel_list[0]);
    if (strcmp(vl.accel, "qtest") && strcmp(vl.accel, "kvm")) {
        error_setg(&err, "-accel %s: pmemvm offers the kvm and qtest "
                   "accelerators only", vl.accel);
        die(err);
    }
    if (!strcmp(vl.accel, "qtest") && !vl.qtest_chrdev) {
        error_setg(&err, "-accel qtest needs -qtest CHARDEV");
        die(err);
    }
}

/*
 * -kernel or -initrd (@opt) naming @path: a regular file no larger than
 * the RAM it goes to (hw/i386/boot.c), checked once the machine has its
 * RAM, whatever the accelerator.  The error names the option as given
 * (without it for -machine kernel=...).
 */
static void check_boot_file(PCMachineState *pcms, const char *opt,
                            const char *what, const char *path)
{
    CmdOpt *given = NULL;
    Error *err = NULL;
    int i;

    if (!path || pc_boot_check_file(pcms, what, path, &err)) {
        return;
    }
    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);

        if (!strcmp(o->name, opt) && o->arg && !strcmp(o->arg, path)) {
            given = o;
        }
    }
    if (given) {
        die_at(given, err);
    }
    die(err);
}

static void start_accel(PCMachineState *pcms)
{
    AccelInitArgs args = {
        .ncpus = pcms->smp_cpus,
        .cpu_model = vl.cpu_model,
    };
    Error *err = NULL;

    if (!accel_init(vl.accel, &args, &err)) {
        die(err);
    }
    if (!strcmp(vl.accel, "qtest")) {
        /* The test is the CPU: no kernel to load. */
        if (!qtest_server_init(vl.qtest_chrdev, vl.qtest_log, &err)) {
            die(err);
        }
        return;
    }
    /* KVM: the kernel and the boot CPU (hw/i386/boot.c); the vCPU threads
     * wait for vm_start(). */
    if (!pc_boot_linux(pcms, &err)) {
        die(err);
    }
    accel_start_vcpus();
}

/*
 * A reset, asked by the guest or by system_reset: -no-reboot turns it
 * into a shutdown (as QEMU).  As QEMU's main loop, RESET is sent once it
 * is done, and a VM that was not running is left in "prelaunch" (so that
 * "cont" starts a guest that had shut down under -no-shutdown).  Under
 * qtest the test is the CPU: only the devices are reset.
 */
static void handle_reset_request(ShutdownCause cause)
{
    Error *err = NULL;
    bool running = runstate_is_running();

    if (vl.no_reboot) {
        qemu_system_shutdown_request(cause);
        return;
    }
    vm_stop();
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        qemu_system_shutdown_cancel_guest();
    }
    if (!strcmp(vl.accel, "qtest")) {
        qemu_devices_reset();
    } else {
        /* Linux tries several reset methods in a row: requests the old
         * kernel made before the vCPUs stopped are this same reset. */
        qemu_reset_requested_clear();
        if (!pc_machine_reset(current_machine, &err)) {
            error_report_err(err);
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_RESET);
            return;
        }
    }
    qapi_event_send_reset(shutdown_cause_is_guest(cause), cause);
    if (running) {
        vm_start();
    } else {
        runstate_set(RUN_STATE_PRELAUNCH);
    }
}

/* A guest shutdown that -no-shutdown keeps the VMM (and QMP) up for. */
static bool shutdown_kept(void)
{
    return vl.no_shutdown &&
           qemu_shutdown_requested() == SHUTDOWN_CAUSE_GUEST_SHUTDOWN;
}

/* A vCPU asked to stop the VM (an error it cannot continue from). */
static void handle_vmstop_request(void)
{
    RunState state;

    if (!qemu_vmstop_requested(&state)) {
        return;
    }
    vm_stop();
    runstate_set(state);
    qapi_event_send_stop();
}

/* Stop, reset and powerdown requests, from the main loop or after a
 * command. */
static void handle_pending_requests(void)
{
    ShutdownCause reset;

    handle_vmstop_request();
    reset = qemu_reset_requested_clear();

    if (reset != SHUTDOWN_CAUSE_NONE) {
        handle_reset_request(reset);
    }
    if (qemu_powerdown_requested_clear()) {
        qemu_system_powerdown();
    }
}

static void main_loop(void)
{
    GMainContext *ctx = qemu_main_context();

    qemu_set_pending_requests_handler(handle_pending_requests);
    while (!qemu_shutdown_requested() || shutdown_kept()) {
        g_main_context_iteration(ctx, TRUE);
        handle_pending_requests();
        if (shutdown_kept() && runstate_get() != RUN_STATE_SHUTDOWN) {
            /* -no-shutdown: stop the guest until a reset or quit; QEMU
             * 7.2 follows the SHUTDOWN event with STOP (libvirt's cue
             * that the guest is paused). */
            vm_stop();
            runstate_set(RUN_STATE_SHUTDOWN);
            qapi_event_send_stop();
        }
    }
}

/*
 * -machine none (QEMU's null machine): no RAM, no CPUs, no devices; the
 * monitors answer questions about the binary and the host.  libvirt's
 * capability probe runs it with accel=kvm:tcg.  The first accelerator of
 * the list that could run here is the one query-kvm reports; pmemvm has
 * no TCG, and where KVM cannot run there is no accelerator at all, which
 * is harmless as nothing runs.  Under -qtest the qtest accelerator serves
 * the protocol as usual.
 */
static void setup_machine_none(PCMachineState *pcms)
{
    Error *err = NULL;

    for (int i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);

        if (!strcmp(o->name, "device")) {
            error_setg(&err, "machine 'none' has no buses or memory for "
                       "devices");
            die_at(o, err);
        }
    }
    if (vl.qtest_chrdev) {
        AccelInitArgs args = { .ncpus = 0 };

        if (!accel_init("qtest", &args, &err) ||
            !qtest_server_init(vl.qtest_chrdev, vl.qtest_log, &err)) {
            die(err);
        }
        return;
    }
    for (int i = 0; vl.accel_list[i]; i++) {
        if (accel_choose(vl.accel_list[i], NULL)) {
            break;
        }
    }
}

/*
 * Every exit() runs this.  Before the main loop a failed start gives back
 * what it made (include/qemu/startup-undo.h): the backing files this run
 * created or extended from empty, and the pidfile (QEMU 7.2 removes its
 * pidfile at any exit, and leaves backing files).  After, the main loop's
 * end did the backends' part; the pidfile goes in any case.
 */
static void vl_exit_cleanup(void)
{
    if (!vl_started) {
        startup_undo_run(false);
    }
    os_remove_pidfile();
}

/*
 * SIGTERM, SIGINT or SIGHUP during start-up (a long prealloc, a chardev
 * waiting for its client) ends pmemvm at once, by the signal, as in QEMU
 * 7.2; unlike QEMU, what start-up made goes first.
 */
static void vl_startup_signal(int sig)
{
    startup_undo_run(true);
    raise(sig);     /* the default action, once this handler returns */
}

static void vl_startup_signals(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction sa = {
        .sa_handler = vl_startup_signal,
        .sa_flags = SA_RESETHAND,
    };
    int i;

    sigemptyset(&sa.sa_mask);
    for (i = 0; i < G_N_ELEMENTS(sigs); i++) {
        sigaddset(&sa.sa_mask, sigs[i]);
    }
    for (i = 0; i < G_N_ELEMENTS(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
}

int qemu_main(int argc, char **argv)
{
    PCMachineState *pcms;
    Error *err = NULL;

    error_set_progname("pmemvm");
    vl.opts = cmdline_parse(argc, argv);
    cmdline_handle_help(vl.opts);

    setup_machine(&pcms);
    current_machine = vl.machine_none ? NULL : pcms;
    qom_set_machine(OBJECT(pcms));
    setup_options_pass(pcms);
    check_daemonize();
    if (vl.daemonize) {
        os_daemonize_start();
    }
    atexit(vl_exit_cleanup);
    vl_startup_signals();
    if (vl.pidfile && !os_write_pidfile(vl.pidfile, &err)) {
        die(err);
    }
    if (vl.sandbox) {
        g_autoptr(QemuOpts) opts = cmdline_checked_opts(vl.sandbox);

        if (!seccomp_install(opts, &err)) {
            die_at(vl.sandbox, err);
        }
    }
    create_objects();
    vl_create_netdevs(vl.opts);
    /* Before the machine: COM1's chardev is the machine's to wire. */
    vl_create_chardevs_and_monitors(pcms, vl.opts, vl.nographic,
                                    vl.nodefaults);
    if (vl.machine_none) {
        setup_machine_none(pcms);
    } else {
        if (!pc_machine_init(pcms, &err)) {
            die(err);
        }
        check_boot_file(pcms, "kernel", PC_BOOT_KERNEL, pcms->kernel);
        /* (-initrd without -kernel has its own error at boot.) */
        check_boot_file(pcms, "initrd", PC_BOOT_INITRD,
                        pcms->kernel ? pcms->initrd : NULL);
        vl_create_nics();
        create_devices();
        vl_check_netdevs();
        if (!pc_machine_done(pcms, &err)) {
            die(err);
        }
        start_accel(pcms);
    }

    /*
     * Start-up is over, before any guest code runs: from here a signal is
     * an orderly exit, through the main loop, and what start-up made stays.
     */
    g_unix_signal_add(SIGTERM, on_signal, GINT_TO_POINTER(SIGTERM));
    g_unix_signal_add(SIGINT, on_signal, GINT_TO_POINTER(SIGINT));
    g_unix_signal_add(SIGHUP, on_signal, GINT_TO_POINTER(SIGHUP));
    vl_started = true;
    startup_undo_done();
    if (vl.start_paused) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
    os_daemonize_finish();
    main_loop();
    vm_stop();
    accel_stop_vcpus();
    net_cleanup();
    guest_error_flush();
    /* An orderly exit: discard-data=on discards, the rest is flushed. */
    host_memory_backends_release_all();
    os_remove_pidfile();
    /* A vCPU that stopped on an error KVM cannot continue from. */
    return accel_guest_failed() ? 1 : 0;
}
