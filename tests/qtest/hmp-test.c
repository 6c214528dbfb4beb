/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the human monitor, pmemvm against QEMU 7.2, command by command.
 *
 * Both VMMs start with the same command line (an NVDIMM and a
 * virtio-pmem-pci, -S) and a monitor on a unix socket.  The same lines
 * are typed into both, in order, and what comes back (the echo of the
 * line, the output, the prompt) is compared:
 *
 *   SAME     byte for byte with QEMU; the table holds QEMU 7.2's output,
 *            so that pmemvm is checked even without QEMU installed, and
 *            the echo is QEMU's readline redraw;
 *   SORTED   the same lines in any order (QEMU lists backends and QOM
 *            children in the order of its hash tables);
 *   SUBSET   every line pmemvm prints is one QEMU prints for the same
 *            command (help: QEMU has many more commands);
 *   FORMAT   the values differ by nature (QEMU's version, its PCI
 *            devices, thread ids): each VMM's text must be what
 *            pmemvm's formatter (monitor/hmp-info.c) makes of that VMM's
 *            own QMP answer, so the format is QEMU's for QEMU's data;
 *   OWN      pmemvm's text differs on purpose (the reason is given);
 *   QTREE    the lines describing vp0 in "info qtree" are QEMU's.
 *
 * The banner is the one line normalized away: pmemvm names itself there
 * (include/monitor/hmp.h).  Then "quit" ends both.  Other stories: QMP
 * human-monitor-command gives the same text; a client that never reads
 * does not stall the VMM.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <sys/socket.h>

#include "libqtest.h"
#include "libqtest-hmp.h"
#include "qtest-util.h"
#include "monitor/hmp-format.h"

typedef enum HmpCheck {
    SAME, SORTED, SUBSET, FORMAT, OWN, QTREE,
} HmpCheck;

typedef struct HmpCase {
    const char *line;           /* "@D@" = the VMM's directory */
    HmpCheck check;
    const char *qemu;           /* QEMU 7.2's output; FORMAT: QMP command */
    const char *pmemvm;         /* OWN: pmemvm's output */
    const char *why;            /* OWN: why */
} HmpCase;

#define MEMORY_DEVICES_COLD                                             \
    "Memory device [nvdimm]: \"nv0\"\n"                                 \
    "  addr: 0x100000000\n"                                             \
    "  slot: 0\n"                                                       \
    "  node: 0\n"                                                       \
    "  size: 16777216\n"                                                \
    "  memdev: /objects/m0\n"                                           \
    "  hotplugged: false\n"                                             \
    "  hotpluggable: true\n"                                            \
    "Memory device [virtio-pmem]: \"vp0\"\n"                            \
    "  memaddr: 0x101000000\n"                                          \
    "  size: 16777216\n"                                                \
    "  memdev: /objects/m1\n"

#define MEMDEV(id, size, share)                                         \
    "memory backend: " id "\n"                                          \
    "  size:  " size "\n"                                               \
    "  merge: true\n"                                                   \
    "  dump: true\n"                                                    \
    "  prealloc: false\n"                                               \
    "  share: " share "\n"                                              \
    "  reserve: true\n"                                                 \
    "  policy: default\n"                                               \
    "  host nodes: \n"

#define HINT_DEVICES \
    "pmemvm models only the devices and objects listed by '-device help'.\n"

static const HmpCase cases[] = {
    { "info status", SAME, "VM status: paused (prelaunch)\n" },
    { "info name", SAME, "pmem-guest\n" },
    { "info memory-devices", SAME, MEMORY_DEVICES_COLD },
    { "info memdev", SORTED,
      MEMDEV("m1", "16777216", "false") MEMDEV("m0", "16777216", "true")
      MEMDEV("pc.ram", "134217728", "false") "\n" },
    { "info memory_size_summary", SAME,
      "base memory: 134217728\nplugged memory: 33554432\n" },
    { "info version", FORMAT, "query-version" },
    { "info pci", FORMAT, "query-pci" },
    { "info cpus", FORMAT, "query-cpus-fast" },
    { "info qtree", QTREE },
    { "info", SUBSET },
    { "help", SUBSET },
    { "help info", SUBSET },
    { "info foo", SAME, "unknown command: 'info foo'\n" },
    { "foo", SAME, "unknown command: 'foo'\n" },
    { "", SAME, "" },
    { "  info   status  ", SAME, "VM status: paused (prelaunch)\n" },
    { "stop x", SAME, "stop|s: extraneous characters at the end of line\n"
      "Try \"help stop\" for more information\n" },
    { "info status x", SAME,
      "status: extraneous characters at the end of line\n"
      "Try \"help info status\" for more information\n" },
    { "q x", SAME, "quit|q: extraneous characters at the end of line\n"
      "Try \"help q\" for more information\n" },
    { "help info status", SAME,
      "info status  -- show the current VM status (running|paused)\n" },
    { "help stop", SAME, "stop|s  -- stop emulation\n" },
    { "help cont", SAME, "cont|c  -- resume emulation\n" },
    { "help quit", SAME, "quit|q  -- quit the emulator\n" },
    { "help device_add", SAME, "device_add driver[,prop=value][,...] -- "
      "add device, like -device on the command line\n" },
    { "help device_del", SAME, "device_del device -- remove device\n" },
    { "help object_add", SAME, "object_add [qom-type=]type,id=str"
      "[,prop=value][,...] -- create QOM object\n" },
    { "help object_del", SAME, "object_del id -- destroy QOM object\n" },
    { "help system_powerdown", SAME,
      "system_powerdown  -- send system power down event\n" },
    { "help system_reset", SAME, "system_reset  -- reset the system\n" },
    { "help help", SAME, "help|? [cmd] -- show the help\n" },
    { "help qom-get", SAME, "qom-get path property -- print QOM property\n" },
    { "help qom-list", SAME, "qom-list path -- list QOM properties\n" },
    { "help info memdev", SAME, "info memdev  -- show memory backends\n" },
    { "help info memory-devices", SAME,
      "info memory-devices  -- show memory devices\n" },
    { "help info pci", SAME, "info pci  -- show PCI info\n" },
    { "help info qtree", SAME, "info qtree  -- show device tree\n" },
    { "help info version", SAME,
      "info version  -- show the version of QEMU\n" },
    { "help info name", SAME, "info name  -- show the current VM name\n" },
    { "help info cpus", SAME, "info cpus  -- show infos for each CPU\n" },
    { "help info foo", SAME, "unknown command: 'info foo'\n" },
    /* QEMU's NVDIMM documentation, hot-add from the monitor. */
    { "object_add memory-backend-file,id=mem3,share=on,"
      "mem-path=@D@/c.img,size=16M", SAME, "" },
    { "device_add nvdimm,id=nvdimm2,memdev=mem3", SAME, "" },
    { "info memory-devices", SAME, MEMORY_DEVICES_COLD
      "Memory device [nvdimm]: \"nvdimm2\"\n"
      "  addr: 0x102000000\n"
      "  slot: 1\n"
      "  node: 0\n"
      "  size: 16777216\n"
      "  memdev: /objects/mem3\n"
      "  hotplugged: true\n"
      "  hotpluggable: true\n" },
    { "qom-list /machine/peripheral", SORTED, "type (string)\n"
      "nvdimm2 (child<nvdimm>)\nvp0 (child<virtio-pmem-pci>)\n"
      "nv0 (child<nvdimm>)\n" },
    { "qom-get /objects/m0 size", SAME, "16777216\n" },
    { "qom-get /objects/m0 share", SAME, "true\n" },
    { "qom-get nv0 memdev", SAME, "\"/objects/m0\"\n" },
    { "qom-get /objects/m0 nope", SAME,
      "Error: Property 'memory-backend-file.nope' not found\n" },
    { "qom-get /objects/m0", SAME, "qom-get: string expected\n"
      "Try \"help qom-get\" for more information\n" },
    { "qom-list", SAME, "/\n" },
    /* Errors, as QEMU words them. */
    { "object_add memory-backend-file,id=mem3,share=on,"
      "mem-path=@D@/c.img,size=16M", SAME, "Error: attempt to add "
      "duplicate property 'mem3' to object (type 'container')\n" },
    { "device_add nvdimm,id=nvdimm2,memdev=m0", SAME,
      "Error: Duplicate device ID 'nvdimm2'\n" },
    { "device_add nvdimm,id=n3,memdev=mem3", SAME,
      "Error: can't use already busy memdev: mem3\n" },
    { "device_add nvdimm,id=n3,memdev=zz", SAME,
      "Error: Device 'zz' not found\n" },
    { "device_add \"nvdimm,id=n3,memdev=zz\"", SAME,
      "Error: Device 'zz' not found\n" },
    { "device_add nvdimm,memdev", SAME, "Error: Device 'on' not found\n" },
    { "device_add nvdimm,id=3x,memdev=m0", SAME,
      "Try \"help device_add\" for more information\n" },
    { "device_add nvdimm,id=a b", SAME,
      "device_add: extraneous characters at the end of line\n"
      "Try \"help device_add\" for more information\n" },
    { "device_add id=x", SAME, "Error: Parameter 'driver' is missing\n" },
    { "device_add", SAME, "Error: Parameter 'driver' is missing\n" },
    { "device_add foo", OWN, "Error: 'foo' is not a valid device model "
      "name\n", "Error: 'foo' is not a valid device model name\n"
      HINT_DEVICES, "pmemvm adds a hint naming the list of its devices" },
    { "device_add nvdimm,help", OWN, NULL, NULL,
      "pmemvm prints its own property help, as its -device nvdimm,help" },
    { "device_del nv0", SAME,
      "Error: nvdimm device hot unplug is not supported yet.\n" },
    { "device_del zz", SAME, "Error: Device 'zz' not found\n" },
    { "device_del /machine", SAME,
      "Error: /machine is not a hotpluggable device\n" },
    { "device_del", SAME, "device_del: string expected\n"
      "Try \"help device_del\" for more information\n" },
    { "device_del nv0 x", SAME,
      "device_del: extraneous characters at the end of line\n"
      "Try \"help device_del\" for more information\n" },
    { "object_add", SAME, "object_add: string expected\n"
      "Try \"help object_add\" for more information\n" },
    { "object_add memory-backend-ram,id=r1,size=16M", SAME, "" },
    { "object_add memory-backend-ram,id=1r,size=16M", SAME,
      "Error: Parameter 'id' expects an identifier\n"
      "Identifiers consist of letters, digits, '-', '.', '_', starting "
      "with a letter.\n" },
    { "object_add memory-backend-ram,size=16M", SAME,
      "Error: Parameter 'id' is missing\n" },
    { "object_add memory-backend-ram,id=r2,size=x", SAME,
      "Error: Parameter 'size' expects size\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,bogus=1", SAME,
      "Error: Parameter 'bogus' is unexpected\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,share=x", SAME,
      "Error: Parameter 'share' expects 'on' or 'off'\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,share", SAME,
      "Error: Expected '=' after parameter 'share'\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,prealloc-threads=x",
      SAME, "Error: Parameter 'prealloc-threads' expects integer\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,policy=x", SAME,
      "Error: Parameter 'policy' does not accept value 'x'\n" },
    { "object_add memory-backend-ram,id=r2,size=16M,host-nodes=x", SAME,
      "Error: Invalid parameter type for 'host-nodes', expected: array\n" },
    { "object_add memory-backend-file,id=r2,size=16M", SAME,
      "Error: Parameter 'mem-path' is missing\n" },
    { "object_add memory-backend-ram,id=r2,size=0", SAME,
      "Error: property 'size' of memory-backend-ram doesn't take value "
      "'0'\n" },
    { "object_add id=r3", SAME, "Error: Parameter 'qom-type' is missing\n" },
    { "object_add memory-backend-ram,id=r2,size=16M extra words", SAME,
      "Error: Parameter 'size' expects size\n" },
    { "object_add qom-type=memory-backend-ram,id=r2,size=16M", SAME, "" },
    { "object_del r1", SAME, "" },
    { "object_del r1", SAME, "Error: object 'r1' not found\n" },
    { "object_del mem3", SAME,
      "Error: object 'mem3' is in use, can not be deleted\n" },
    { "object_del \"r2", SAME, "object_del: string expected\n"
      "Try \"help object_del\" for more information\n" },
    { "object_del a b", SAME,
      "object_del: extraneous characters at the end of line\n"
      "Try \"help object_del\" for more information\n" },
    /* Run state. */
    { "cont", SAME, "" },
    { "info status", SAME, "VM status: running\n" },
    { "stop", SAME, "" },
    { "info status", SAME, "VM status: paused\n" },
    { "c", SAME, "" },
    { "s", SAME, "" },
    { "system_powerdown", SAME, "" },
    { "system_reset", SAME, "" },
    { "info status", SAME, "VM status: paused (prelaunch)\n" },
};

static char *tmp_dir;

typedef struct Vmm {
    bool qemu;
    char *dir;
    QTestState *qts;
    QTestHMP *hmp;
} Vmm;

/* False (test skipped) when @qemu and QEMU is not installed. */
static bool vmm_start(Vmm *v, bool qemu, const char *tag)
{
    g_autofree char *args = NULL, *sock = NULL;

    v->qemu = qemu;
    v->dir = g_strdup_printf("%s/%s-%s", tmp_dir, tag,
                             qemu ? "qemu" : "pmemvm");
    g_assert_cmpint(g_mkdir_with_parents(v->dir, 0700), ==, 0);
    for (const char *f = "a.img\0b.img\0c.img\0"; *f; f += strlen(f) + 1) {
        make_sized_file(v->dir, f, 16 * MiB);
    }
    sock = g_build_filename(v->dir, "hmp.sock", NULL);
    args = g_strdup_printf(
        "-machine pc,nvdimm=on -m 128M,slots=8,maxmem=4G -name pmem-guest "
        "-object memory-backend-file,id=m0,share=on,mem-path=%s/a.img,"
        "size=16M -device nvdimm,id=nv0,memdev=m0 "
        "-object memory-backend-file,id=m1,mem-path=%s/b.img,size=16M "
        "-device virtio-pmem-pci,id=vp0,memdev=m1,addr=05.0 "
        "-monitor unix:%s,server=on,wait=off", v->dir, v->dir, sock);
    v->qts = qemu ? qemu_qtest_init(args) : qtest_initf("-S %s", args);
    if (!v->qts) {
        return false;
    }
    v->hmp = qtest_hmp_connect(sock, true);
    return true;
}

static void vmm_stop(Vmm *v)
{
    if (v->hmp) {
        qtest_hmp_close(v->hmp);
    }
    if (v->qts) {
        qtest_quit(v->qts);
    }
    remove_dir(v->dir);
    g_free(v->dir);
}

/* QEMU's readline echo of @line typed at once, then its "\r\n". */
static char *echo_of(const char *line)
{
    GString *s = g_string_new(NULL);
    size_t len = strlen(line);

    for (size_t i = 1; i <= len; i++) {
        for (size_t j = 0; j < i - 1; j++) {
            g_string_append(s, "\033[D");
        }
        g_string_append_len(s, line, i);
        g_string_append(s, "\033[K");
    }
    g_string_append(s, "\r\n");
    return g_string_free(s, FALSE);
}

/* The output part of a raw answer to @line, "\n" line ends. */
static char *output_of(const char *raw, const char *line)
{
    g_autofree char *echo = echo_of(line);
    g_autofree char *body = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true(g_str_has_prefix(raw, echo));
    g_assert_true(g_str_has_suffix(raw, QTEST_HMP_PROMPT));
    body = g_strndup(raw + strlen(echo),
                     strlen(raw) - strlen(echo) - strlen(QTEST_HMP_PROMPT));
    lines = g_strsplit(body, "\r\n", -1);
    return g_strjoinv("\n", lines);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_lines(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    qsort(lines, g_strv_length(lines), sizeof(char *), compare_strings);
    return g_strjoinv("\n", lines);
}

static void assert_subset(const char *ours, const char *theirs,
                          const char *what)
{
    g_auto(GStrv) lines = g_strsplit(ours, "\n", -1);
    g_autofree char *padded = g_strdup_printf("\n%s", theirs);

    for (int i = 0; lines[i]; i++) {
        g_autofree char *needle = g_strdup_printf("\n%s\n", lines[i]);

        if (*lines[i] && !strstr(padded, needle)) {
            g_error("%s: QEMU 7.2 does not print '%s'", what, lines[i]);
        }
    }
}

/* What pmemvm's formatter makes of @v's own answer to @qmp_cmd. */
static char *format_own_answer(Vmm *v, const char *qmp_cmd)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        v->qts, "{'execute': %s}", qmp_cmd);

    if (!strcmp(qmp_cmd, "query-version")) {
        return hmp_format_version(ret);
    }
    if (!strcmp(qmp_cmd, "query-pci")) {
        return hmp_format_pci(ret);
    }
    g_assert_cmpstr(qmp_cmd, ==, "query-cpus-fast");
    return hmp_format_cpus(ret);
}

/* The lines of "info qtree" from "dev: ..., id \"vp0\"" to the next dev
 * at the same depth, without the BAR lines (pmemvm's firmware-less
 * machine assigns BARs at plug, QEMU's firmware later). */
static char *qtree_vp0(const char *qtree)
{
    g_auto(GStrv) lines = g_strsplit(qtree, "\n", -1);
    GString *s = g_string_new(NULL);
    int depth = -1;

    for (int i = 0; lines[i]; i++) {
        int indent = strspn(lines[i], " ");

        if (depth < 0 && strstr(lines[i], "dev: virtio-pmem-pci, id \"vp0\"")) {
            depth = indent;
        } else if (depth >= 0 && indent <= depth) {
            break;
        }
        if (depth >= 0 && !g_str_has_prefix(lines[i] + indent, "bar ")) {
            g_string_append_printf(s, "%s\n", lines[i] + indent);
        }
    }
    return g_string_free(s, FALSE);
}

/* Type @line into @v; check the echo and prompt; return the output. */
static char *type_line(Vmm *v, const char *line, char **raw_out)
{
    g_autofree char *raw = qtest_hmp_cmd_raw(v->hmp, "%s", line);
    char *out = output_of(raw, line);

    if (raw_out) {
        *raw_out = g_steal_pointer(&raw);
    }
    return out;
}

static void check_case(const HmpCase *c, Vmm *ours, Vmm *theirs)
{
    g_autofree char *pline = expand_dir(c->line, ours->dir);
    g_autofree char *praw = NULL, *qraw = NULL, *qline = NULL;
    g_autofree char *pout = type_line(ours, pline, &praw);
    g_autofree char *qout = NULL, *qesc = NULL;
    g_autofree char *pesc = g_strescape(pout, NULL);

    if (theirs) {
        qline = expand_dir(c->line, theirs->dir);
        qout = type_line(theirs, qline, &qraw);
        qesc = g_strescape(qout, NULL);
    }
    g_test_message("%s\n  pmemvm: %s\n  QEMU:   %s", pline, pesc,
                   qesc ? qesc : "(not run)");
    switch (c->check) {
    case SAME:
        g_assert_cmpstr(pout, ==, c->qemu);
        if (theirs) {
            g_assert_cmpstr(qout, ==, c->qemu);
            /* every byte, echo and prompt included, when the line and
             * the output do not name the VMM's own directory */
            if (!strstr(c->line, "@D@")) {
                g_assert_cmpstr(praw, ==, qraw);
            }
        }
        break;
    case SORTED: {
        g_autofree char *p = sorted_lines(pout);
        g_autofree char *want = sorted_lines(c->qemu);

        g_assert_cmpstr(p, ==, want);
        if (theirs) {
            g_autofree char *q = sorted_lines(qout);

            g_assert_cmpstr(q, ==, want);
        }
        break;
    }
    case SUBSET:
        g_assert_cmpstr(pout, !=, "");
        if (theirs) {
            assert_subset(pout, qout, c->line);
        }
        break;
    case FORMAT: {
        g_autofree char *p = format_own_answer(ours, c->qemu);

        g_assert_cmpstr(pout, ==, p);
        if (theirs) {
            g_autofree char *q = format_own_answer(theirs, c->qemu);

            g_assert_cmpstr(qout, ==, q);
        }
        break;
    }
    case OWN:
        g_test_message("differs from QEMU on purpose: %s", c->why);
        if (c->pmemvm) {
            g_assert_cmpstr(pout, ==, c->pmemvm);
        }
        if (theirs && c->qemu) {
            g_assert_cmpstr(qout, ==, c->qemu);
        }
        break;
    case QTREE:
        if (theirs) {
            g_autofree char *p = qtree_vp0(pout);
            g_autofree char *q = qtree_vp0(qout);

            g_assert_cmpstr(p, !=, "");
            assert_subset(p, q, "info qtree, vp0");
        }
        break;
    }
}

static void test_compare(void)
{
    Vmm ours = { 0 }, theirs = { 0 };
    bool have_qemu;
    g_autofree char *praw = NULL, *qraw = NULL;

    g_assert_true(vmm_start(&ours, false, "compare"));
    have_qemu = vmm_start(&theirs, true, "compare");
    /* The banner: pmemvm's name, then QEMU's prompt. */
    g_assert_true(g_str_has_prefix(qtest_hmp_banner(ours.hmp), "pmemvm "));
    g_assert_true(g_str_has_suffix(qtest_hmp_banner(ours.hmp),
                                   " monitor (QEMU 7.2.0 compatible) - type "
                                   "'help' for more information\r\n"
                                   QTEST_HMP_PROMPT));
    if (have_qemu) {
        g_assert_true(g_str_has_prefix(qtest_hmp_banner(theirs.hmp),
                                       "QEMU 7.2."));
        g_assert_true(g_str_has_suffix(qtest_hmp_banner(theirs.hmp),
                                       " monitor - type 'help' for more "
                                       "information\r\n" QTEST_HMP_PROMPT));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_case(&cases[i], &ours, have_qemu ? &theirs : NULL);
    }
    /* quit: the echo, no prompt, and both end well. */
    qtest_hmp_send(ours.hmp, "quit\n", 5);
    praw = qtest_hmp_read_for(ours.hmp, 2000);
    g_assert_cmpint(qtest_wait_exit(ours.qts), ==, 0);
    g_assert_cmpstr(praw, ==, "q\033[K\033[Dqu\033[K\033[D\033[Dqui\033[K"
                    "\033[D\033[D\033[Dquit\033[K\r\n");
    if (have_qemu) {
        qtest_hmp_send(theirs.hmp, "quit\n", 5);
        qraw = qtest_hmp_read_for(theirs.hmp, 2000);
        g_assert_cmpint(qtest_wait_exit(theirs.qts), ==, 0);
        g_assert_cmpstr(praw, ==, qraw);
        vmm_stop(&theirs);
    }
    vmm_stop(&ours);
}

/*
 * QMP human-monitor-command runs the same commands and gives the same
 * text as the monitor socket ("\r\n" line ends, as QEMU's), on QEMU too.
 */
static const char *const hmc_lines[] = {
    "info status", "info memory-devices", "info name", "foo",
    "help info memdev", "device_add nvdimm,id=zz,memdev=nothere",
    "object_del nothere", "stop x", "", NULL,
};

static void test_human_monitor_command(void)
{
    Vmm ours = { 0 }, theirs = { 0 };
    bool have_qemu;
    JsonObject *rsp;

    g_assert_true(vmm_start(&ours, false, "hmc"));
    have_qemu = vmm_start(&theirs, true, "hmc");
    for (int i = 0; hmc_lines[i]; i++) {
        g_autofree char *via_qmp = qtest_hmp(ours.qts, "%s", hmc_lines[i]);
        g_autofree char *raw = qtest_hmp_cmd_raw(ours.hmp, "%s",
                                                 hmc_lines[i]);
        g_autofree char *echo = echo_of(hmc_lines[i]);
        g_autofree char *body = g_strndup(raw + strlen(echo),
                                          strlen(raw) - strlen(echo) -
                                          strlen(QTEST_HMP_PROMPT));

        g_autofree char *esc = g_strescape(via_qmp, NULL);

        g_test_message("%s: %s", hmc_lines[i], esc);
        g_assert_cmpstr(via_qmp, ==, body);
        if (have_qemu) {
            g_autofree char *q = qtest_hmp(theirs.qts, "%s", hmc_lines[i]);

            g_assert_cmpstr(via_qmp, ==, q);
        }
    }
    /* Its own arguments, as QEMU checks them. */
    for (int v = 0; v < 1 + have_qemu; v++) {
        QTestState *qts = v ? theirs.qts : ours.qts;

        rsp = qtest_qmp(qts, "{'execute': 'human-monitor-command', "
                        "'arguments': {'command-line': 'info status', "
                        "'cpu-index': 5}}");
        g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                        "Parameter 'cpu-index' expects a CPU number");
        json_object_unref(rsp);
        rsp = qtest_qmp(qts, "{'execute': 'human-monitor-command', "
                        "'arguments': {}}");
        g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                        "Parameter 'command-line' is missing");
        json_object_unref(rsp);
        rsp = qtest_qmp(qts, "{'execute': 'human-monitor-command', "
                        "'arguments': {'command-line': 'info status', "
                        "'cpu-index': 0}}");
        g_assert_cmpstr(json_object_get_string_member(rsp, "return"), ==,
                        "VM status: paused (prelaunch)\r\n");
        json_object_unref(rsp);
    }
    if (have_qemu) {
        vmm_stop(&theirs);
    }
    vmm_stop(&ours);
}

/*
 * A monitor client that types and never reads what comes back stalls
 * nothing but itself: QMP and qtest keep answering, and once it reads,
 * every answer is there, in order.
 */
#define FLOOD_LINES 400

static void test_client_not_reading(void)
{
    Vmm ours = { 0 };
    GString *flood = g_string_new(NULL);
    int small = 4096, prompts = 0;
    gint64 t0;
    g_autofree char *all = NULL;

    g_assert_true(vmm_start(&ours, false, "stall"));
    setsockopt(qtest_hmp_fd(ours.hmp), SOL_SOCKET, SO_RCVBUF, &small,
               sizeof(small));
    for (int i = 0; i < FLOOD_LINES; i++) {
        g_string_append(flood, i % 2 ? "info qtree\n" : "help\n");
    }
    qtest_hmp_send(ours.hmp, flood->str, flood->len);
    g_string_free(flood, TRUE);
    /* Let the VMM work on it; the client reads nothing. */
    g_usleep(500 * 1000);
    for (int i = 0; i < 20; i++) {
        t0 = g_get_monotonic_time();
        qtest_qmp_assert_success(ours.qts, "{'execute': 'query-status'}");
        qtest_readl(ours.qts, 0);
        g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
    }
    /* Now read it all: one prompt per line, the last one complete. */
    while (prompts < FLOOD_LINES) {
        g_autofree char *part = qtest_hmp_read_until(ours.hmp,
                                                     QTEST_HMP_PROMPT);

        g_assert_nonnull(strstr(part, "\r\n"));
        prompts++;
    }
    all = qtest_hmp_read_for(ours.hmp, 200);
    g_assert_cmpstr(all, ==, "");
    g_free(all);
    all = qtest_hmp_cmd(ours.hmp, "info status");
    g_assert_cmpstr(all, ==, "VM status: paused (prelaunch)\n");
    vmm_stop(&ours);
}

/*
 * A monitor on the terminal cannot go with -daemonize: QEMU's refusals.
 * Every line here must fail on both (one that did not would leave a
 * daemon behind).
 */
static const char *const daemonize_refused[][2] = {
    { "-nodefaults -daemonize -monitor stdio",
      "-monitor stdio: cannot use stdio with -daemonize" },
    { "-nodefaults -daemonize -serial mon:stdio",
      "-serial mon:stdio: cannot use stdio with -daemonize" },
    { "-nodefaults -daemonize -chardev stdio,id=s0",
      "-chardev stdio,id=s0: cannot use stdio with -daemonize" },
    { "-daemonize -nographic",
      "-nographic cannot be used with -daemonize" },
};

static void test_daemonize_refused(void)
{
    g_autofree char *qemu = qemu_path();

    for (size_t i = 0; i < G_N_ELEMENTS(daemonize_refused); i++) {
        for (int v = 0; v < 1 + !!qemu; v++) {
            g_autofree char *args = g_strdup_printf(
                "-machine pc -S %s%s", daemonize_refused[i][0],
                v ? "" : " -accel qtest -qtest null");
            g_autofree char *err = NULL, *line = NULL;
            int status;

            if (v) {
                g_setenv("QTEST_QEMU_BINARY", qemu, TRUE);
            }
            status = qtest_run_expect_fail(args, &err);
            g_unsetenv("QTEST_QEMU_BINARY");
            line = error_line(err, v ? QEMU_NAME : "pmemvm");
            g_assert_cmpint(status, ==, 1);
            g_assert_cmpstr(line, ==, daemonize_refused[i][1]);
        }
    }
}

/* --help names the monitor options this test uses. */
static void test_help_lists_monitors(void)
{
    g_autofree char *out = NULL;
    const char *argv[] = { qtest_binary(), "--help", NULL };

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               &out, NULL, NULL, NULL));
    g_assert_nonnull(strstr(out, "-monitor stdio|unix:PATH[,server=on,"
                            "wait=off]|tcp:H:P[,...]|chardev:ID|none"));
    g_assert_nonnull(strstr(out, "-mon chardev=ID[,mode=readline|control]"));
    g_assert_nonnull(strstr(out, "-serial mon:SPEC"));
    g_assert_nonnull(strstr(out, "[,mux=on]"));
    g_assert_null(strstr(out, "accepted with 'none' only\n-monitor"));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("hmp-test-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    g_test_add_func("/hmp/compare", test_compare);
    g_test_add_func("/hmp/human-monitor-command", test_human_monitor_command);
    g_test_add_func("/hmp/client-not-reading", test_client_not_reading);
    g_test_add_func("/hmp/help-lists-monitors", test_help_lists_monitors);
    g_test_add_func("/hmp/daemonize-refused", test_daemonize_refused);
    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
