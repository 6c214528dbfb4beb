/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line as typed: which options exist and take an argument,
 * which QEMU options pmemvm refuses and why, the values it accepts for
 * options it does not model, and the help and version output.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "qom/object.h"
#include "hw/i386/pc.h"
#include "system/cmdline.h"
#include "qemu/cutils.h"

/* Print "pmemvm: -OPT ARG: message" and exit 1. */
void die_at(const CmdOpt *o, Error *err)
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

void die(Error *err)
{
    die_at(NULL, err);
}

static const char usage_text[] =
"usage: pmemvm [options]\n"
"\n"
"pmemvm runs Linux guests with persistent memory (vNVDIMM), accepting\n"
"QEMU's command line for this job.  Options (QEMU syntax, also --opt):\n"
"\n"
"-machine [type=]pc|q35|none[,nvdimm=on|off][,nvdimm-persistence=...]\n"
"         none: no guest, QMP only (a management tool's probe)\n"
"         [,nvdimm-persistence=cpu|mem-ctrl]\n"
"         [,nvdimm-cap=N][,accel=kvm|qtest][,acpi=on|off|auto]\n"
"         [,memory-backend=ID]           machine (pc-i440fx-*, pc-q35-* alias)\n"
"         [,kernel-unpack=host|guest]    pmemvm: who decompresses a bzImage\n"
"-M ...                                 same as -machine\n"
"-accel kvm|qtest                       accelerator\n"
"-enable-kvm                            same as -accel kvm\n"
"-m [size=]N[,slots=N,maxmem=M]         RAM (MiB if N ends in a digit; any\n"
"                                       size, rounded up to 8 KiB), memory\n"
"                                       slots (<= 256), maxmem (4 KiB aligned)\n"
"-smp [cpus=]N[,sockets=,dies=,clusters=,cores=,threads=,maxcpus=]\n"
"-cpu host|max|qemu64|kvm64[,+flag,...]\n"
"-object TYPE,id=ID[,prop=value...]     memory-backend-file, memory-backend-ram,\n"
"                                       secret (-object help lists them)\n"
"                                       (file: discard-data=on frees the file's\n"
"                                       blocks when pmemvm exits in order)\n"
"-object '{\"qom-type\":...}'             JSON form\n"
"-device nvdimm,memdev=ID[,...]         devices (-device help lists them)\n"
"-device '{\"driver\":...}'               JSON form\n"
"-numa node[,nodeid=0][,memdev=ID]      one NUMA node (its memdev is RAM)\n"
"-chardev socket,id=ID,path=P|host=H,port=N|fd=N[,server=on|off][,wait=on|off]\n"
"-chardev stdio|file|null|pty,id=ID[,path=P][,signal=on|off]\n"
"         [,mux=on]                     mux=on: shared by COM1 and a monitor\n"
"-mon chardev=ID[,mode=readline|control][,pretty=on]\n"
"                                       monitor on a chardev: readline (the\n"
"                                       default) is HMP, control is QMP\n"
"-monitor stdio|unix:PATH[,server=on,wait=off]|tcp:H:P[,...]|chardev:ID|none\n"
"                                       human monitor (HMP), \"(qemu) \" prompt\n"
"-qmp unix:PATH[,server=on,wait=off]     QMP monitor (tcp:H:P, stdio also)\n"
"-device isa-serial,chardev=ID            COM1 on a chardev\n"
"-qmp-pretty ...                        QMP with pretty-printed JSON\n"
"-qtest CHARDEV                         qtest protocol (implies -accel qtest)\n"
"-qtest-log FILE                        log qtest traffic\n"
"-kernel FILE -initrd FILE -append TEXT  direct Linux boot (a bzImage, or an\n"
"                                       ELF vmlinux with a PVH entry note)\n"
"                                       a bzImage is unpacked on the host,\n"
"                                       with KASLR, and cached in\n"
"                                       $PMEMVM_CACHE_DIR or ~/.cache/pmemvm\n"
"-display none  -nodefaults  -no-user-config\n"
"-nographic                             COM1 and the human monitor share the\n"
"                                       terminal (C-a c switches, C-a x quits)\n"
"-S                                     start with the CPUs stopped\n"
"-name [guest=]NAME[,debug-threads=on]  -uuid UUID\n"
"-daemonize  -pidfile FILE              FILE is removed at exit, and when\n"
"                                       start-up fails (which also removes the\n"
"                                       backing files that run created)\n"
"-no-reboot  -no-shutdown  -no-acpi\n"
"-rtc base=utc  -boot ...  -msg timestamp=on|off  -overcommit mem-lock=off\n"
"                                       accepted as libvirt passes them\n"
"-sandbox on|off[,obsolete=,elevateprivileges=,spawn=,resourcecontrol=]\n"
"                                       seccomp filter, as QEMU's\n"
"-serial stdio|file:PATH|unix:PATH[,server=on,wait=off]|chardev:ID|none\n"
"                                       COM1 (-nographic: on stdio)\n"
"-serial mon:SPEC                       COM1 and the human monitor on SPEC\n"
"-netdev user,id=ID[,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]\n"
"        [,net=ADDR[/MASK]][,host=ADDR][,dhcpstart=ADDR][,dns=ADDR]\n"
"        [,restrict=on|off][,hostname=H][,domainname=D][,dnssearch=D]\n"
"        [,ipv4=on|off][,ipv6=on|off][,tftp=DIR][,bootfile=F]\n"
"                                       user-mode network (libslirp): guest\n"
"                                       10.0.2.15 by DHCP, host 10.0.2.2\n"
"-device virtio-net-pci,netdev=ID[,mac=MAC]  the NIC (the only model)\n"
"-nic user[,model=virtio][,mac=MAC][,user options]  both in one\n"
"-net nic[,model=virtio][,macaddr=MAC] -net user[,...]  both, older form\n"
"-nic none  -net none                   no NIC (pmemvm makes none by default)\n"
"-vga none                              accepted with 'none' only\n"
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

/* ---- Option parameters (query-command-line-options) ---- */

#define PARAM_END { NULL, NULL }

static const CmdlineParam memory_params[] = {
    { "size", "size" }, { "slots", "number" }, { "maxmem", "size" },
    PARAM_END,
};
static const CmdlineParam smp_params[] = {
    { "cpus", "number" }, { "sockets", "number" }, { "dies", "number" },
    { "clusters", "number" }, { "cores", "number" }, { "threads", "number" },
    { "maxcpus", "number" },
    PARAM_END,
};
static const CmdlineParam name_params[] = {
    { "guest", "string" }, { "process", "string" },
    { "debug-threads", "boolean" },
    PARAM_END,
};
static const CmdlineParam msg_params[] = {
    { "timestamp", "boolean" }, { "guest-name", "boolean" },
    PARAM_END,
};
static const CmdlineParam rtc_params[] = {
    { "base", "string" }, { "clock", "string" }, { "driftfix", "string" },
    PARAM_END,
};
/* pmemvm boots the kernel itself: no firmware reads these */
static const CmdlineParam boot_params[] = {
    { "order", "string" }, { "once", "string" }, { "menu", "boolean" },
    { "splash", "string" }, { "splash-time", "number" },
    { "reboot-timeout", "number" }, { "strict", "boolean" },
    PARAM_END,
};
static const CmdlineParam overcommit_params[] = {
    { "mem-lock", "boolean" }, { "cpu-pm", "boolean" },
    PARAM_END,
};
static const CmdlineParam sandbox_params[] = {
    { "enable", "boolean" }, { "obsolete", "string" },
    { "elevateprivileges", "string" }, { "spawn", "string" },
    { "resourcecontrol", "string" },
    PARAM_END,
};
static const CmdlineParam mon_params[] = {
    { "chardev", "string" }, { "mode", "string" }, { "pretty", "boolean" },
    PARAM_END,
};
static const CmdlineParam chardev_params[] = {
    { "backend", "string" }, { "path", "string" }, { "host", "string" },
    { "port", "string" }, { "fd", "string" }, { "server", "boolean" },
    { "wait", "boolean" }, { "to", "number" }, { "ipv4", "boolean" },
    { "ipv6", "boolean" }, { "nodelay", "boolean" },
    { "reconnect", "number" }, { "telnet", "boolean" },
    { "tight", "boolean" }, { "abstract", "boolean" },
    { "append", "boolean" }, { "signal", "boolean" },
    PARAM_END,
};

/* Option groups whose parameters QEMU lists as free-form (none). */
static const CmdlineOptionInfo cmdline_infos[] = {
    { "memory", memory_params },
    { "smp-opts", smp_params },
    { "name", name_params },
    { "msg", msg_params },
    { "rtc", rtc_params },
    { "boot-opts", boot_params },
    { "overcommit", overcommit_params },
    { "sandbox", sandbox_params },
    { "mon", mon_params },
    { "chardev", chardev_params },
    { "numa", NULL },
    { "object", NULL },
    { "device", NULL },
    { "accel", NULL },
};

/* The -opt each checked group belongs to, and its implied key. */
static const struct {
    const char *cli;
    const char *option;
    const char *implied;
} checked_opts[] = {
    { "name", "name", "guest" },
    { "msg", "msg", NULL },
    { "rtc", "rtc", NULL },
    { "boot", "boot-opts", "order" },
    { "overcommit", "overcommit", NULL },
    { "sandbox", "sandbox", "enable" },
};

static void add_machine_param(const PropDef *p, void *opaque)
{
    GArray *params = opaque;
    CmdlineParam param = { p->name, "string" };

    if (p->type == PROP_TYPE_BOOL) {
        param.type = "boolean";
    } else if (p->type == PROP_TYPE_SIZE) {
        param.type = "size";
    } else if (p->type == PROP_TYPE_INT32 || p->type == PROP_TYPE_UINT32 ||
               p->type == PROP_TYPE_UINT64) {
        param.type = "number";
    }
    if (!p->hidden) {
        g_array_append_val(params, param);
    }
}

GPtrArray *cmdline_option_infos(void)
{
    static CmdlineOptionInfo machine = { "machine", NULL };
    GPtrArray *list = g_ptr_array_new();

    if (!machine.params) {
        /* -machine: "type" and the pc machine's properties */
        GArray *params = g_array_new(TRUE, TRUE, sizeof(CmdlineParam));
        CmdlineParam type = { "type", "string" };

        g_array_append_val(params, type);
        type_foreach_prop(type_lookup(TYPE_PC_MACHINE), add_machine_param,
                          params);
        machine.params = (CmdlineParam *)g_array_free(params, FALSE);
    }
    g_ptr_array_add(list, &machine);
    for (size_t i = 0; i < ARRAY_SIZE(cmdline_infos); i++) {
        g_ptr_array_add(list, (gpointer)&cmdline_infos[i]);
    }
    return list;
}

static const CmdlineParam *option_params(const char *option)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmdline_infos); i++) {
        if (!strcmp(cmdline_infos[i].option, option)) {
            return cmdline_infos[i].params;
        }
    }
    return NULL;
}

/*
 * The parsed options of -@o->name if it is one of checked_opts: every key
 * in its table (QEMU's "Invalid parameter 'x'"), every boolean a boolean.
 * NULL for other options.
 */
QemuOpts *cmdline_checked_opts(const CmdOpt *o)
{
    const CmdlineParam *params = NULL;
    const char *implied = NULL;
    QemuOpts *opts;
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(checked_opts); i++) {
        if (!strcmp(checked_opts[i].cli, o->name)) {
            params = option_params(checked_opts[i].option);
            implied = checked_opts[i].implied;
            break;
        }
    }
    if (!params) {
        return NULL;
    }
    opts = opts_or_die(o, implied);
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        const CmdlineParam *p = params;
        bool b;

        while (p->name && strcmp(p->name, opt->key)) {
            p++;
        }
        if (!p->name) {
            error_setg(&err, "Invalid parameter '%s'", opt->key);
        } else if (!strcmp(p->type, "boolean") &&
                   !parse_bool(opt->value, &b)) {
            error_setg(&err, "Parameter '%s' expects 'on' or 'off'",
                       opt->key);
        }
        if (err) {
            qemu_opts_free(opts);
            die_at(o, err);
        }
    }
    return opts;
}

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

GPtrArray *cmdline_parse(int argc, char **argv)
{
    GPtrArray *opts = g_ptr_array_new();
    int i;

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
        g_ptr_array_add(opts, o);
    }
    return opts;
}

QemuOpts *opts_or_die(const CmdOpt *o, const char *implied)
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
    printf("none                 empty machine\n");
    exit(0);
}

void cmdline_handle_help(GPtrArray *opts)
{
    guint i;

    for (i = 0; i < opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(opts, i);

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
             * know, QEMU lists the machines instead.  The name is freed
             * before either exit (the type is a static string). */
            char *name = g_strndup(o->arg, strcspn(o->arg, ","));
            const char *type = pc_machine_resolve_type(
                g_str_has_prefix(name, "type=") ? name + 5 : name);

            g_free(name);
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

void cmdline_check_accepted(const CmdOpt *o)
{
    Error *err = NULL;
    const char *why = unsupported_reason(o->name);
    g_autoptr(QemuOpts) checked = cmdline_checked_opts(o);

    if (!strcmp(o->name, "display")) {
        if (strcmp(o->arg, "none") && !g_str_has_prefix(o->arg, "none,")) {
            error_setg(&err, "pmemvm has no display; only -display none is "
                       "accepted");
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "vga") || !strcmp(o->name, "parallel")) {
        if (strcmp(o->arg, "none")) {
            error_setg(&err, "pmemvm does not model it; only 'none' is "
                       "accepted");
            die_at(o, err);
        }
        return;
    }
    if (!strcmp(o->name, "net") || !strcmp(o->name, "nic") ||
        !strcmp(o->name, "netdev")) {
        return;                     /* system/vl-net.c */
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
}
