/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line processing and the main loop (QEMU's vl.c job).
 *
 * Options are collected in order, then applied: machine and its options,
 * -object, chardevs and monitors, machine init (RAM, GED, COM1), -device,
 * machine done (ACPI), accelerator start, main loop.  Errors are printed
 * once, prefixed with the option as the user typed it, and exit with
 * status 1.  What the options do lives elsewhere: the machine's options
 * in hw/i386/pc-opts.c, device_add in system/qdev-monitor.c, object
 * creation in qom/object_interfaces.c, -daemonize/-pidfile in
 * system/os-posix.c.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "config-host.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "sysemu/os-posix.h"
#include "sysemu/qdev-monitor.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"
#include "sysemu/vl.h"
#include "hw/i386/pc.h"
#include "hw/i386/boot.h"

/* One option as typed, kept for messages ("-device nvdimm,...: msg"). */
typedef struct CmdOpt {
    char *name;         /* "device", "object", ... */
    char *arg;          /* as typed; NULL for flags */
} CmdOpt;

typedef struct VLConfig {
    GPtrArray *opts;                /* CmdOpt*, command-line order */
    const char *machine_arg;
    GPtrArray *machine_args;        /* every -machine, merged in order */
    const char *accel;              /* from -accel / -enable-kvm */
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
} VLConfig;

static VLConfig vl;
PCMachineState *current_machine;

/* Print "pmemvm: -OPT ARG: message" and exit 1. */
static void G_GNUC_NORETURN die_at(const CmdOpt *o, Error *err)
{
    if (o) {
        g_autofree char *loc = o->arg ?
            g_strdup_printf("-%s %s: ", o->name, o->arg) :
            g_strdup_printf("-%s: ", o->name);
        error_prepend(&err, "%s", loc);
    }
    error_report_err(err);
    exit(1);
}

static void G_GNUC_NORETURN die(Error *err)
{
    die_at(NULL, err);
}

static const char usage_text[] =
"usage: pmemvm [options]\n"
"\n"
"pmemvm runs Linux guests with persistent memory (vNVDIMM), accepting\n"
"QEMU's command line for this job.  Options (QEMU syntax, also --opt):\n"
"\n"
"-machine [type=]pc|q35[,nvdimm=on|off][,nvdimm-persistence=cpu|mem-ctrl]\n"
"         [,nvdimm-cap=N][,accel=kvm|qtest][,acpi=on|off|auto]\n"
"         [,memory-backend=ID]           machine (pc-i440fx-*, pc-q35-* alias)\n"
"         [,kernel-unpack=host|guest]    pmemvm: who decompresses a bzImage\n"
"-M ...                                 same as -machine\n"
"-accel kvm|qtest                       accelerator\n"
"-enable-kvm                            same as -accel kvm\n"
"-m [size=]N[,slots=N,maxmem=M]         RAM (default unit MiB), memory slots\n"
"-smp [cpus=]N[,sockets=,dies=,clusters=,cores=,threads=,maxcpus=]\n"
"-cpu host|max|qemu64|kvm64[,+flag,...]\n"
"-object TYPE,id=ID[,prop=value...]     memory-backend-file, memory-backend-ram\n"
"-object '{\"qom-type\":...}'             JSON form\n"
"-device nvdimm,memdev=ID[,...]         devices (-device help lists them)\n"
"-device '{\"driver\":...}'               JSON form\n"
"-numa node[,nodeid=0][,memdev=ID]      one NUMA node (its memdev is RAM)\n"
"-chardev socket,id=ID,path=P|host=H,port=N|fd=N[,server=on|off][,wait=on|off]\n"
"-chardev stdio|file|null,id=ID[,path=P]\n"
"-mon chardev=ID,mode=control[,pretty=on]  QMP monitor on a chardev\n"
"-qmp unix:PATH[,server=on,wait=off]     QMP monitor (tcp:H:P also)\n"
"-qmp-pretty ...                        QMP with pretty-printed JSON\n"
"-qtest CHARDEV                         qtest protocol (implies -accel qtest)\n"
"-qtest-log FILE                        log qtest traffic\n"
"-kernel FILE -initrd FILE -append TEXT  direct Linux boot (a bzImage, or an\n"
"                                       ELF vmlinux with a PVH entry note)\n"
"                                       a bzImage is unpacked on the host,\n"
"                                       with KASLR, and cached in\n"
"                                       $PMEMVM_CACHE_DIR or ~/.cache/pmemvm\n"
"-display none  -nographic  -nodefaults  -no-user-config\n"
"-S                                     start with the CPUs stopped\n"
"-name NAME[,debug-threads=on]  -uuid UUID\n"
"-daemonize  -pidfile FILE\n"
"-no-reboot  -no-shutdown  -no-acpi\n"
"-rtc base=utc  -boot ...  -msg timestamp=on|off  -overcommit mem-lock=off\n"
"                                       accepted as libvirt passes them\n"
"-sandbox on|off[,...]                  accepted with a warning: no seccomp filter\n"
"-serial stdio|file:PATH|unix:PATH[,server=on,wait=off]|chardev:ID|none\n"
"                                       COM1 (-nographic: on stdio)\n"
"-monitor none  -vga none  -net none  -nic none\n"
"                                       accepted with 'none' only\n"
"-D FILE  -d ITEMS  -trace ...  -smbios ...  -k LANG  -action ...\n"
"-watchdog-action ...  -no-hpet  -no-fd-bootchk  -no-graphic\n"
"-old-param  -only-migratable           accepted and ignored\n"
"-version  -help|-h  -device help  -device nvdimm,help  -object help\n"
"\n"
"Anything else is refused with a message naming it.\n";

/* Options that take an argument, and flags that do not. */
static const char *const opts_with_arg[] = {
    "machine", "M", "accel", "m", "smp", "cpu", "object", "device", "numa",
    "chardev", "mon", "qmp", "qmp-pretty", "monitor", "qtest", "qtest-log",
    "kernel", "initrd", "append", "display", "name", "uuid", "pidfile",
    "rtc", "boot", "msg", "overcommit", "sandbox", "serial", "vga", "net",
    "nic", "global", "drive", "blockdev", "netdev", "audiodev", "vnc", "L",
    "bios", "D", "d", "trace", "smbios", "incoming", "loadvm", "icount",
    "parallel", "usbdevice", "fsdev", "virtfs", "spice", "k", "watchdog",
    "watchdog-action", "action", "chroot", "runas", "semihosting-config",
    "add-fd", "plugin", "fw_cfg", "mem-path", "hda", "cdrom",
    NULL,
};

static const char *const opts_flag[] = {
    "enable-kvm", "S", "nographic", "nodefaults", "no-user-config",
    "daemonize", "version", "help", "h", "no-reboot", "no-shutdown",
    "no-acpi", "no-hpet", "mem-prealloc", "enable-fips", "full-screen",
    "snapshot", "s", "no-fd-bootchk", "old-param", "only-migratable",
    "preconfig", "no-graphic",
    NULL,
};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (!strcmp(*list, s)) {
            return true;
        }
    }
    return false;
}

/* Options QEMU has that pmemvm does not model: refused, with the reason. */
static const struct {
    const char *name;
    const char *why;
} unsupported_opts[] = {
    { "drive", "pmemvm has no block devices; use an NVDIMM or initrd" },
    { "blockdev", "pmemvm has no block devices; use an NVDIMM or initrd" },
    { "hda", "pmemvm has no block devices" },
    { "cdrom", "pmemvm has no block devices" },
    { "netdev", "pmemvm has no network devices" },
    { "vnc", "pmemvm has no display" },
    { "spice", "pmemvm has no display" },
    { "bios", "pmemvm boots Linux directly (-kernel); it has no firmware" },
    { "L", "pmemvm boots Linux directly (-kernel); it has no firmware" },
    { "incoming", "pmemvm does not support migration" },
    { "loadvm", "pmemvm does not support snapshots" },
    { "snapshot", "pmemvm does not support snapshots" },
    { "s", "pmemvm has no gdb stub" },
    { "icount", "pmemvm has no TCG" },
    { "fsdev", "pmemvm has no 9p devices" },
    { "virtfs", "pmemvm has no 9p devices" },
    { "usbdevice", "pmemvm has no USB" },
    { "global", "pmemvm has no -global properties" },
    { "plugin", "pmemvm has no TCG plugins" },
    { "semihosting-config", "pmemvm has no semihosting" },
    { "fw_cfg", "pmemvm has no fw_cfg" },
    { "mem-path", "use -object memory-backend-file,mem-path=... instead" },
    { "mem-prealloc", "use -object memory-backend-*,prealloc=on instead" },
    { "preconfig", "pmemvm has no preconfig state" },
    { "chroot", "not supported by pmemvm" },
    { "runas", "not supported by pmemvm" },
    { "add-fd", "not supported by pmemvm" },
    { "parallel", "pmemvm has no parallel port (only 'none' is accepted)" },
    { "watchdog", "pmemvm has no watchdog" },
    { "enable-fips", "not supported by pmemvm" },
    { "full-screen", "pmemvm has no display" },
    { "audiodev", "pmemvm has no audio (only driver none is accepted)" },
};

static const char *unsupported_reason(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(unsupported_opts); i++) {
        if (!strcmp(unsupported_opts[i].name, name)) {
            return unsupported_opts[i].why;
        }
    }
    return NULL;
}

static void parse_argv(int argc, char **argv)
{
    int i;

    vl.opts = g_ptr_array_new();
    vl.machine_args = g_ptr_array_new();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        CmdOpt *o;

        if (a[0] != '-') {
            /* QEMU treats a bare argument as a disk image (-hda). */
            error_report("%s: pmemvm has no disk devices; bare arguments "
                         "are not accepted", a);
            exit(1);
        }
        a++;
        if (a[0] == '-') {
            a++;
        }
        o = g_new0(CmdOpt, 1);
        o->name = g_strdup(a);
        if (in_list(opts_with_arg, a)) {
            if (i + 1 >= argc) {
                error_report("-%s: requires an argument", a);
                exit(1);
            }
            o->arg = g_strdup(argv[++i]);
        } else if (!in_list(opts_flag, a)) {
            error_report("-%s: invalid option", a);
            exit(1);
        }
        g_ptr_array_add(vl.opts, o);
    }
}

static QemuOpts *opts_or_die(const CmdOpt *o, const char *implied)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse_any(o->arg, implied, &err);

    if (!opts) {
        die_at(o, err);
    }
    return opts;
}

static void print_and_exit(char *text)
{
    fputs(text, stdout);
    g_free(text);
    exit(0);
}

static void G_GNUC_NORETURN print_machines_and_exit(void)
{
    printf("Supported machines are:\n");
    printf("pc                   Standard PC (alias of pc-i440fx-7.2)\n");
    printf("pc-i440fx-7.2        Standard PC, firmware-less, "
           "hardware-reduced ACPI (default)\n");
    printf("q35                  Standard PC (alias of pc-q35-7.2; same "
           "machine in pmemvm)\n");
    printf("pc-q35-7.2           Standard PC (same machine as pc)\n");
    exit(0);
}

static void handle_help_requests(void)
{
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);

        if (!strcmp(o->name, "version")) {
            printf("pmemvm version %s (QEMU %s compatible command line, "
                   "QMP and qtest)\n", PMEMVM_VERSION, QEMU_COMPAT_VERSION);
            printf("libpmem support: %s\n", CONFIG_LIBPMEM ? "yes" : "no");
            exit(0);
        }
        if (!strcmp(o->name, "help") || !strcmp(o->name, "h")) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if ((!strcmp(o->name, "machine") || !strcmp(o->name, "M")) &&
            (!strcmp(o->arg, "help") || !strcmp(o->arg, "?"))) {
            print_machines_and_exit();
        }
        if ((!strcmp(o->name, "machine") || !strcmp(o->name, "M")) &&
            (g_str_has_suffix(o->arg, ",help") ||
             g_str_has_suffix(o->arg, ",?"))) {
            /* -machine TYPE,help: its properties; for a type it does not
             * know, QEMU lists the machines instead. */
            g_autofree char *name = g_strndup(o->arg, strcspn(o->arg, ","));
            const char *type = pc_machine_resolve_type(
                g_str_has_prefix(name, "type=") ? name + 5 : name);

            if (!type) {
                print_machines_and_exit();
            }
            print_and_exit(type_help_props(type_lookup(type)));
        }
        if (!strcmp(o->name, "object") || !strcmp(o->name, "device")) {
            ObjectKind kind = !strcmp(o->name, "object") ?
                              OBJECT_KIND_OBJECT : OBJECT_KIND_DEVICE;
            g_auto(GStrv) parts = NULL;
            const TypeInfo *t;

            if (!strcmp(o->arg, "help") || !strcmp(o->arg, "?")) {
                print_and_exit(type_help_list(kind));
            }
            parts = g_strsplit(o->arg, ",", -1);
            if (g_strv_length(parts) >= 2 &&
                (!strcmp(parts[g_strv_length(parts) - 1], "help") ||
                 !strcmp(parts[g_strv_length(parts) - 1], "?"))) {
                Error *err = NULL;

                t = type_lookup_user(kind, parts[0], &err);
                if (!t) {
                    die_at(o, err);
                }
                print_and_exit(type_help_props(t));
            }
        }
    }
}

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

static void check_accepted_values(const CmdOpt *o)
{
    Error *err = NULL;
    const char *why = unsupported_reason(o->name);

    if (!strcmp(o->name, "display")) {
        if (strcmp(o->arg, "none") && !g_str_has_prefix(o->arg, "none,")) {
            error_setg(&err, "pmemvm has no display; only -display none is "
                       "accepted");
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "vga") || !strcmp(o->name, "nic") ||
        !strcmp(o->name, "parallel")) {
        if (strcmp(o->arg, "none")) {
            error_setg(&err, "pmemvm does not model it; only 'none' is "
                       "accepted");
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "net")) {
        if (strcmp(o->arg, "none")) {
            error_setg(&err, "pmemvm has no network devices; only -net none "
                       "is accepted");
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "audiodev")) {
        g_autoptr(QemuOpts) opts = opts_or_die(o, "driver");
        if (g_strcmp0(qemu_opts_get(opts, "driver"), "none")) {
            error_setg(&err, "%s", why);
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "overcommit")) {
        g_autoptr(QemuOpts) opts = opts_or_die(o, NULL);
        const char *lock = qemu_opts_get(opts, "mem-lock");
        if (lock && strcmp(lock, "off")) {
            error_setg(&err, "mem-lock=%s is not supported by pmemvm", lock);
            die_at(o, err);
        }
        return;
    }
    if (why) {
        error_setg(&err, "not supported: %s", why);
        die_at(o, err);
    }
    if (!strcmp(o->name, "sandbox") && !g_str_has_prefix(o->arg, "off")) {
        warn_report("-sandbox %s: pmemvm has no seccomp filter; it runs "
                    "without a sandbox", o->arg);
    }
}

static void create_objects(void)
{
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;

        if (strcmp(o->name, "object")) {
            continue;
        }
        opts = opts_or_die(o, "qom-type");
        if (!user_creatable_add_opts(opts, &err)) {
            die_at(o, err);
        }
    }
}

static void create_devices(void)
{
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        g_autoptr(QemuOpts) opts = NULL;

        if (strcmp(o->name, "device")) {
            continue;
        }
        opts = opts_or_die(o, "driver");
        if (!qdev_device_add(opts, &err)) {
            die_at(o, err);
        }
    }
}

/* ---- COM1 (hw/char/serial.c): -serial, and QEMU's defaults ---- */

/*
 * -serial SPEC: pmemvm has one UART (COM1); "none" means no UART.  The
 * machine creates the UART (pc_machine_init()) on the chardev chosen here.
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
    /* "mon:" multiplexes the human monitor, which pmemvm does not have. */
    if (g_str_has_prefix(spec, "mon:")) {
        spec += strlen("mon:");
    }
    pcms->serial_chr = qemu_chr_new_legacy("serial0", spec, &err);
    if (!pcms->serial_chr) {
        die_at(o, err);
    }
    pcms->serial_enabled = true;
}

/*
 * Without -serial QEMU puts COM1 on stdio under -nographic (else on a
 * graphical console, which pmemvm lacks: COM1 then has no backend);
 * -nodefaults means no COM1.
 */
static void serial_default(PCMachineState *pcms, bool seen)
{
    if (seen || vl.nodefaults) {
        return;
    }
    pcms->serial_enabled = true;
    if (vl.nographic) {
        /* stdio may already serve a monitor: then COM1 stays unplugged. */
        pcms->serial_chr = qemu_chr_new_legacy("serial0", "stdio", NULL);
    }
}

static void create_chardevs_and_monitors(PCMachineState *pcms)
{
    Error *err = NULL;
    bool serial_seen = false;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);

        if (!strcmp(o->name, "chardev")) {
            g_autoptr(QemuOpts) opts = opts_or_die(o, "backend");
            if (!qemu_chr_new_from_opts(opts, &err)) {
                die_at(o, err);
            }
        }
    }
    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);

        if (!strcmp(o->name, "mon")) {
            static const char *const keys[] = {
                "chardev", "mode", "pretty", "id", NULL,
            };
            g_autoptr(QemuOpts) opts = opts_or_die(o, "chardev");
            const char *id = qemu_opts_get(opts, "chardev");
            const char *mode = qemu_opts_get(opts, "mode");
            const char *pretty = qemu_opts_get(opts, "pretty");
            bool pretty_on = false;
            Chardev *chr;

            if (!qemu_opts_check_keys(opts, keys, &err)) {
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
            if (mode && strcmp(mode, "control")) {
                error_setg(&err, "mode=%s: pmemvm offers only QMP monitors "
                           "(mode=control)", mode);
                die_at(o, err);
            }
            if (!mode) {
                error_setg(&err, "mode=readline: pmemvm offers only QMP "
                           "monitors; add mode=control");
                die_at(o, err);
            }
            if (pretty && !parse_bool(pretty, &pretty_on)) {
                error_setg(&err, "Parameter 'pretty' expects 'on' or 'off'");
                die_at(o, err);
            }
            if (!monitor_init_qmp(chr, pretty_on, &err)) {
                die_at(o, err);
            }
        } else if (!strcmp(o->name, "qmp") || !strcmp(o->name, "qmp-pretty")) {
            g_autofree char *label = g_strdup_printf("compat_monitor%d", i);
            Chardev *chr = qemu_chr_new_legacy(label, o->arg, &err);
            if (!chr || !monitor_init_qmp(chr, !strcmp(o->name, "qmp-pretty"),
                                          &err)) {
                die_at(o, err);
            }
        } else if (!strcmp(o->name, "monitor")) {
            if (strcmp(o->arg, "none")) {
                error_setg(&err, "pmemvm offers QMP monitors (-qmp, -mon "
                           "mode=control); the human monitor is not "
                           "available");
                die_at(o, err);
            }
        } else if (!strcmp(o->name, "serial")) {
            serial_from_option(pcms, o, &serial_seen);
        }
    }
    serial_default(pcms, serial_seen);
}

static gboolean on_signal(gpointer data)
{
    int sig = GPOINTER_TO_INT(data);

    error_report("terminating on signal %d", sig);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

static void setup_options_pass(PCMachineState *pcms)
{
    Error *err = NULL;
    int i;

    for (i = 0; i < vl.opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(vl.opts, i);
        const char *n = o->name;

        check_accepted_values(o);
        if (!strcmp(n, "m")) {
            parse_machine_option(pcms, o, "size", pc_machine_parse_memory);
            if (!pc_machine_check_memory(pcms, &err)) {
                die(err);
            }
        } else if (!strcmp(n, "smp")) {
            parse_machine_option(pcms, o, "cpus", pc_machine_parse_smp);
        } else if (!strcmp(n, "numa")) {
            parse_machine_option(pcms, o, "type", pc_machine_parse_numa);
        } else if (!strcmp(n, "accel")) {
            g_autoptr(QemuOpts) opts = opts_or_die(o, "accel");
            vl.accel = g_strdup(qemu_opts_get(opts, "accel"));
        } else if (!strcmp(n, "enable-kvm")) {
            vl.accel = "kvm";
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
        } else if (!strcmp(n, "no-shutdown")) {
            vl.no_shutdown = true;
        } else if (!strcmp(n, "no-acpi")) {
            pcms->acpi = ON_OFF_AUTO_OFF;
        } else if (!strcmp(n, "nographic")) {
            vl.nographic = true;
        } else if (!strcmp(n, "nodefaults")) {
            vl.nodefaults = true;
        } else if (!strcmp(n, "cpu")) {
            vl.cpu_model = o->arg;
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
    if (pcms->accel && !vl.accel) {
        vl.accel = pcms->accel;
    }
    if (!vl.accel && vl.qtest_chrdev) {
        vl.accel = "qtest";
    }
    if (!vl.accel) {
        vl.accel = "kvm";
    }
    /* "kvm:tcg"-style lists: take the first we have. */
    if (strchr(vl.accel, ':')) {
        g_auto(GStrv) list = g_strsplit(vl.accel, ":", -1);
        vl.accel = g_strdup(list[0]);
    }
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

/* A guest reset: -no-reboot turns it into a shutdown (as QEMU). */
static void handle_reset_request(void)
{
    Error *err = NULL;
    bool running = runstate_is_running();

    if (vl.no_reboot) {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    if (!strcmp(vl.accel, "qtest")) {
        return;
    }
    vm_stop();
    /* Linux tries several reset methods in a row: requests the old
     * kernel made before the vCPUs stopped are this same reset. */
    qemu_reset_requested_clear();
    if (!pc_machine_reset(current_machine, &err)) {
        error_report_err(err);
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    if (running) {
        vm_start();
    }
}

static void main_loop(void)
{
    GMainContext *ctx = qemu_main_context();

    while (!qemu_shutdown_requested()) {
        g_main_context_iteration(ctx, TRUE);
        if (qemu_reset_requested_clear()) {
            handle_reset_request();
        }
        if (qemu_shutdown_requested() == SHUTDOWN_CAUSE_GUEST_SHUTDOWN &&
            vl.no_shutdown) {
            /* -no-shutdown: stop the guest, keep the VMM (and QMP) up. */
            vm_stop();
            runstate_set(RUN_STATE_SHUTDOWN);
            break;
        }
    }
}

int qemu_main(int argc, char **argv)
{
    PCMachineState *pcms;
    Error *err = NULL;

    error_set_progname("pmemvm");
    parse_argv(argc, argv);
    handle_help_requests();

    setup_machine(&pcms);
    current_machine = pcms;
    setup_options_pass(pcms);
    if (vl.daemonize) {
        os_daemonize_start();
    }
    if (vl.pidfile && !os_write_pidfile(vl.pidfile, &err)) {
        die(err);
    }
    create_objects();
    /* Before the machine: COM1's chardev is the machine's to wire. */
    create_chardevs_and_monitors(pcms);
    if (!pc_machine_init(pcms, &err)) {
        die(err);
    }
    create_devices();
    if (!pc_machine_done(pcms, &err)) {
        die(err);
    }
    start_accel(pcms);

    g_unix_signal_add(SIGTERM, on_signal, GINT_TO_POINTER(SIGTERM));
    g_unix_signal_add(SIGINT, on_signal, GINT_TO_POINTER(SIGINT));
    g_unix_signal_add(SIGHUP, on_signal, GINT_TO_POINTER(SIGHUP));

    if (vl.start_paused) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
    os_daemonize_finish();
    main_loop();
    if (vl.no_shutdown && runstate_get() == RUN_STATE_SHUTDOWN) {
        /* Keep serving the monitor until quit. */
        while (qemu_shutdown_requested() == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
               !qemu_shutdown_requested()) {
            g_main_context_iteration(qemu_main_context(), TRUE);
        }
    }
    vm_stop();
    accel_stop_vcpus();
    guest_error_flush();
    pc_machine_flush(pcms);
    os_remove_pidfile();
    /* A vCPU that stopped on an error KVM cannot continue from. */
    return accel_guest_failed() ? 1 : 0;
}
