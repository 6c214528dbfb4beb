/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt-compat: the command lines libvirt generates for domains with
 * <memory model='nvdimm'> and <memory model='virtio-pmem'> (libvirt's own
 * test vectors, ../shared/compat/libvirt/NAME.args, read in place).
 *
 * For every x86_64 file:
 *   - as-written: its -machine, -m, -no-acpi, -object memory-backend-*
 *     and -device nvdimm/virtio-pmem-pci options, as written (mem-path
 *     moved to a temporary file), give the same result on pmemvm as on
 *     QEMU 7.2: both start (and query-memory-devices agrees), or both
 *     refuse with the same message;
 *   - acpi-on: the same with ACPI left on (libvirt's vectors all turn it
 *     off, which QEMU refuses for NVDIMMs) and maxmem lowered to 64G, so
 *     that the accepted path is compared too;
 *   - whole-argv: the whole command line on pmemvm, with what QEMU 7.2
 *     itself needs to start it here (as-written shows that QEMU refuses
 *     it otherwise): ACPI on and maxmem 64G, as acpi-on; and the master
 *     key, backing files and monitor socket ours, prealloc dropped
 *     (as-written preallocates already, and here pmemvm starts once per
 *     refused option).  It starts as written, or each refusal names a
 *     device pmemvm does not model (piix3-usb-uhci, ide-hd and its
 *     -blockdev, virtio-balloon-pci, ...), and nothing else: the test
 *     drops each refused option in turn until pmemvm starts, then checks
 *     that every NVDIMM and virtio-pmem device of the file is there.
 *     Host NUMA nodes the file binds memory to (host-nodes) that this
 *     host lacks become node 0, as the paths become ours: as-written
 *     shows that QEMU and pmemvm both refuse the nodes the host lacks
 *     (mbind's EINVAL), here the binding itself runs.  libvirt's vectors are
 *     TCG domains (-accel tcg); under -qtest the qtest accelerator runs
 *     them (libvirt itself offers pmemvm for type='kvm' only).
 *
 * libvirt's maxmem=1099511627776k is 1 PiB: no vCPU reaches that, and
 * both QEMU and pmemvm refuse it ("Address space limit 0x... < 0x...
 * phys-bits too low (N)"); the numbers differ, as QEMU's qemu64 vCPU has
 * 40 bits and an AMD 1T hole while pmemvm's has the host's width.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "libqtest.h"
#include "qtest-util.h"
#include "qemu/option.h"

#define VIRTIO_PMEM "virtio-pmem-pci"
/* A maxmem both a 40-bit qemu64 and any host can address */
#define FIT_MAXMEM "maxmem=64G"
#define ADDRESS_SPACE_ERROR "Address space limit "
/* libvirt's per-domain secret: -object secret,file=.../master-key.aes */
#define MASTER_KEY "master-key.aes"
/* How pmemvm names a device it does not model, and a block device. */
#define UNMODELLED_DEVICE "' is not a valid device model name"
#define NO_BLOCK_DEVICES "pmemvm has no block devices"

typedef struct Opt {
    char *name;     /* "-device" */
    char *arg;      /* its argument, NULL for a flag */
} Opt;

typedef struct Vector {
    char *name;
    char *path;
} Vector;

/* shared/ beside the checkout (CI), or beside its parent (a worktree). */
static char *compat_dir(void)
{
    const char *src = g_getenv("QTEST_SRCDIR");
    char *dir;

    if (!src) {
        return NULL;
    }
    dir = g_build_filename(src, "..", "shared", "compat", "libvirt", NULL);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        g_free(dir);
        dir = g_build_filename(src, "..", "..", "shared", "compat",
                               "libvirt", NULL);
    }
    return dir;
}

/* ---- Reading an .args file ---- */

static void opt_free(gpointer p)
{
    Opt *o = p;

    g_free(o->name);
    g_free(o->arg);
    g_free(o);
}

/*
 * The options of @path after the environment and the emulator, as
 * (name, argument) pairs; *emulator gets the emulator's path.
 */
static GPtrArray *read_args(const char *path, char **emulator)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) words = NULL;
    g_autoptr(GError) gerr = NULL;
    GPtrArray *opts = g_ptr_array_new_with_free_func(opt_free);
    int i = 0;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    if (!g_shell_parse_argv(text, NULL, &words, &gerr)) {
        g_error("%s: %s", path, gerr->message);
    }
    /* VAR=value words, then the emulator */
    while (words[i] && words[i][0] != '/' && strchr(words[i], '=')) {
        i++;
    }
    g_assert_nonnull(words[i]);
    *emulator = g_strdup(words[i++]);
    while (words[i]) {
        Opt *o = g_new0(Opt, 1);

        g_assert_true(words[i][0] == '-');
        o->name = g_strdup(words[i++]);
        if (words[i] && words[i][0] != '-') {
            o->arg = g_strdup(words[i++]);
        }
        g_ptr_array_add(opts, o);
    }
    return opts;
}

/* The "qom-type" of an -object or "driver" of a -device, or "". */
static char *opt_type(const Opt *o)
{
    const char *key = !strcmp(o->name, "-object") ? "qom-type" : "driver";
    g_autoptr(QemuOpts) opts = NULL;
    Error *err = NULL;

    opts = qemu_opts_parse_any(o->arg, key, &err);
    if (!opts) {
        error_free(err);
        return g_strdup("");
    }
    return g_strdup(qemu_opts_get(opts, key) ? qemu_opts_get(opts, key) : "");
}

/* The options this test is about, as written. */
static bool is_memory_option(const Opt *o)
{
    g_autofree char *type = NULL;

    if (!strcmp(o->name, "-machine") || !strcmp(o->name, "-M") ||
        !strcmp(o->name, "-m") || !strcmp(o->name, "-no-acpi")) {
        return true;
    }
    if (!o->arg) {
        return false;
    }
    if (!strcmp(o->name, "-object")) {
        type = opt_type(o);
        return g_str_has_prefix(type, "memory-backend-");
    }
    if (!strcmp(o->name, "-device")) {
        type = opt_type(o);
        return !strcmp(type, "nvdimm") || !strcmp(type, VIRTIO_PMEM);
    }
    return false;
}

/* ---- Adapting: backing files, monitor fd, ACPI ---- */

typedef struct Adapt {
    const char *dir;
    GHashTable *paths;      /* original mem-path -> temporary file */
} Adapt;

static gboolean replace_path(const GMatchInfo *m, GString *out, gpointer p)
{
    Adapt *a = p;
    g_autofree char *key = g_match_info_fetch(m, 1);
    g_autofree char *value = g_match_info_fetch(m, 2);
    g_autofree char *end = g_match_info_fetch(m, 3);
    const char *to = g_hash_table_lookup(a->paths, value);

    if (!to) {
        char *file = g_strdup_printf("%s/mem%u.img", a->dir,
                                     g_hash_table_size(a->paths));

        g_hash_table_insert(a->paths, g_strdup(value), file);
        to = file;
    }
    g_string_append_printf(out, "%s%s%s", key, to, end);
    return FALSE;
}

/* @arg with every mem-path (JSON or key=value) moved into @a->dir. */
static char *adapt_mem_path(Adapt *a, const char *arg)
{
    g_autoptr(GRegex) re = g_regex_new(
        "(\"mem-path\":\"|mem-path=)([^\",]*)(\"|,|$)", 0, 0, NULL);

    return g_regex_replace_eval(re, arg, -1, 0, 0, replace_path, a, NULL);
}

/* True if the host has every node of the JSON list "N,N,...". */
static bool host_has_nodes(const char *list)
{
    g_auto(GStrv) nodes = g_strsplit(list, ",", -1);

    for (int i = 0; nodes[i]; i++) {
        g_autofree char *dir = g_strdup_printf(
            "/sys/devices/system/node/node%s", g_strstrip(nodes[i]));

        if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
            return false;
        }
    }
    return true;
}

/* @arg with a "host-nodes":[...] this host lacks bound to node 0. */
static char *adapt_host_nodes(const char *arg)
{
    g_autoptr(GRegex) re = g_regex_new("\"host-nodes\":\\[([0-9, ]*)\\]",
                                       0, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;
    g_autofree char *list = NULL;

    if (!g_regex_match(re, arg, 0, &m)) {
        return g_strdup(arg);
    }
    list = g_match_info_fetch(m, 1);
    if (host_has_nodes(list)) {
        return g_strdup(arg);
    }
    g_test_message("host-nodes [%s]: this host lacks one; bound to [0]",
                   list);
    return g_regex_replace_literal(re, arg, -1, 0, "\"host-nodes\":[0]", 0,
                                   NULL);
}

/*
 * Shell-quoted command line of @opts, adapted; @locs (if not NULL) gets,
 * for each of @opts, the location pmemvm prints for it ("-OPT ARG: ").
 * With @maxmem, -m's maxmem becomes FIT_MAXMEM.
 */
static char *build_args_re(GPtrArray *opts, Adapt *a, bool acpi_on,
                           bool memory_only, int mon_fd, GPtrArray *locs,
                           GRegex *maxmem)
{
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < opts->len; i++) {
        Opt *o = g_ptr_array_index(opts, i);
        g_autofree char *arg = NULL;

        if ((memory_only && !is_memory_option(o)) ||
            (acpi_on && !strcmp(o->name, "-no-acpi"))) {
            if (locs) {
                /* left out: keeps @locs in step with @opts, matches none */
                g_ptr_array_add(locs, g_strdup("\n"));
            }
            continue;
        }
        g_string_append_printf(s, " %s", o->name);
        if (!o->arg) {
            if (locs) {
                g_ptr_array_add(locs, g_strdup_printf("%s: ", o->name));
            }
            continue;
        }
        arg = adapt_mem_path(a, o->arg);
        if (!strcmp(o->name, "-object") && strstr(arg, MASTER_KEY)) {
            /* the domain's master key: a file of ours */
            g_autoptr(GRegex) re = g_regex_new("/[^\",]*/" MASTER_KEY, 0, 0,
                                               NULL);
            g_autofree char *key = g_build_filename(a->dir, MASTER_KEY,
                                                    NULL);
            char *m = g_regex_replace_literal(re, arg, -1, 0, key, 0, NULL);

            g_free(arg);
            arg = m;
        }
        if (mon_fd >= 0 && !strcmp(o->name, "-object")) {
            g_autoptr(GRegex) re = g_regex_new(
                "\"prealloc\":true,|,prealloc=on", 0, 0, NULL);
            char *m = g_regex_replace_literal(re, arg, -1, 0, "", 0, NULL);

            g_free(arg);
            arg = m;
        }
        if (mon_fd >= 0 && !strcmp(o->name, "-object")) {
            char *m = adapt_host_nodes(arg);

            g_free(arg);
            arg = m;
        }
        if (maxmem && !strcmp(o->name, "-m")) {
            char *fit = g_regex_replace_literal(maxmem, arg, -1, 0,
                                                FIT_MAXMEM, 0, NULL);

            g_free(arg);
            arg = fit;
        }
        if (acpi_on && (!strcmp(o->name, "-machine") ||
                        !strcmp(o->name, "-M"))) {
            GString *m = g_string_new(arg);

            g_string_replace(m, ",acpi=off", "", 0);
            g_free(arg);
            arg = g_string_free(m, FALSE);
        }
        if (mon_fd >= 0 && !strcmp(o->name, "-chardev")) {
            /* fd=@mon-fd@ (or an old vector's fd=1729): our socket */
            g_autoptr(GRegex) re = g_regex_new("fd=[^,]*", 0, 0, NULL);
            g_autofree char *fd = g_strdup_printf("fd=%d", mon_fd);
            char *m = g_regex_replace_literal(re, arg, -1, 0, fd, 0, NULL);

            g_free(arg);
            arg = m;
        }
        g_autofree char *quoted = g_shell_quote(arg);
        g_string_append_printf(s, " %s", quoted);
        if (locs) {
            g_ptr_array_add(locs, g_strdup_printf("%s %s: ", o->name, arg));
        }
    }
    return g_string_free(s, FALSE);
}

static char *build_args(GPtrArray *opts, Adapt *a, bool acpi_on,
                        bool memory_only, int mon_fd, GPtrArray *locs)
{
    g_autoptr(GRegex) maxmem = g_regex_new("maxmem=[^,]*", 0, 0, NULL);

    return build_args_re(opts, a, acpi_on, memory_only, mon_fd, locs,
                         acpi_on || mon_fd >= 0 ? maxmem : NULL);
}

/* ---- Running ---- */

typedef struct Outcome {
    bool accepted;
    char *error;            /* the error line, "PROG: " removed */
    JsonNode *devices;      /* query-memory-devices, if accepted */
} Outcome;

static void outcome_clear(Outcome *o)
{
    g_free(o->error);
    if (o->devices) {
        json_node_unref(o->devices);
    }
}

/* The error line of @text (see error_line()), or all of @text. */
static char *error_or_text(const char *text, const char *prog)
{
    char *line = error_line(text, prog);

    return line ? line : g_strdup(text ? text : "");
}

static void run(bool qemu, const char *args, Outcome *out)
{
    g_autofree char *err = NULL;
    QTestState *qts;
    int status = 0;

    memset(out, 0, sizeof(*out));
    if (qemu) {
        bool started;

        /* libqtest would abort on a QEMU that dies after connecting */
        status = qemu_probe(args, &started, &err, &out->devices);
        if (!started) {
            g_assert_cmpint(status, ==, 1);
            out->error = error_or_text(err, QEMU_NAME);
        }
        out->accepted = started;
        return;
    }
    qts = qtest_init_may_fail(args, &status, &err);
    if (!qts) {
        g_assert_cmpint(status, ==, 1);
        out->error = error_or_text(err, "pmemvm");
        return;
    }
    out->accepted = true;
    out->devices = qtest_qmp_assert_success_ref(qts, "{'execute': "
                                                "'query-memory-devices'}");
    qtest_quit(qts);
}

/* The message after the "-OPT ARG: " location (one of @locs), if any. */
static const char *message_part(const char *line, GPtrArray *locs)
{
    guint i;

    for (i = 0; i < locs->len; i++) {
        const char *loc = g_ptr_array_index(locs, i);

        if (g_str_has_prefix(line, loc)) {
            return line + strlen(loc);
        }
    }
    return line;
}

/* Compare the memory devices (QEMU and pmemvm report the same fields). */
static void compare_devices(JsonNode *mine, JsonNode *theirs)
{
    static const char *const fields[] = { "slot", "addr", "size", "node",
                                          "memaddr" };
    JsonArray *a = json_node_get_array(mine);
    JsonArray *b = json_node_get_array(theirs);
    guint i, j;

    g_assert_cmpuint(json_array_get_length(a), ==, json_array_get_length(b));
    for (i = 0; i < json_array_get_length(a); i++) {
        JsonObject *x = json_array_get_object_element(a, i);
        JsonObject *y = json_array_get_object_element(b, i);
        JsonObject *dx = json_object_get_object_member(x, "data");
        JsonObject *dy = json_object_get_object_member(y, "data");

        g_assert_cmpstr(json_object_get_string_member(x, "type"), ==,
                        json_object_get_string_member(y, "type"));
        g_assert_cmpstr(json_object_get_string_member(dx, "memdev"), ==,
                        json_object_get_string_member(dy, "memdev"));
        g_assert_cmpstr(json_object_get_string_member(dx, "id"), ==,
                        json_object_get_string_member(dy, "id"));
        for (j = 0; j < G_N_ELEMENTS(fields); j++) {
            if (json_object_has_member(dy, fields[j])) {
                g_assert_cmphex(json_object_get_int_member(dx, fields[j]),
                                ==, json_object_get_int_member(dy,
                                                               fields[j]));
            }
        }
    }
}

static char *run_adapted(bool qemu, GPtrArray *opts, bool acpi_on,
                         Outcome *out, GPtrArray *locs)
{
    g_autofree char *dir = g_dir_make_tmp("libvirt-compat-XXXXXX", NULL);
    Adapt a = { dir, g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           g_free) };
    char *args = build_args(opts, &a, acpi_on, true, -1, locs);

    run(qemu, args, out);
    g_hash_table_destroy(a.paths);
    remove_dir(dir);
    return args;
}

/* Same result on pmemvm and QEMU for the file's memory options. */
static void check_same_as_qemu(const Vector *v, bool acpi_on)
{
    g_autofree char *emulator = NULL;
    g_autoptr(GPtrArray) opts = read_args(v->path, &emulator);
    g_autofree char *qemu = qemu_path();
    g_autofree char *args = NULL, *qargs = NULL;
    g_autoptr(GPtrArray) locs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) qlocs = g_ptr_array_new_with_free_func(g_free);
    Outcome mine, theirs;

    args = run_adapted(false, opts, acpi_on, &mine, locs);
    if (!qemu) {
        outcome_clear(&mine);
        g_test_skip(QEMU_NAME " is not installed: nothing to compare with");
        return;
    }
    qargs = run_adapted(true, opts, acpi_on, &theirs, qlocs);
    if (mine.accepted != theirs.accepted) {
        g_error("%s: pmemvm %s, QEMU %s\n  args:%s", v->name,
                mine.accepted ? "accepts" : mine.error,
                theirs.accepted ? "accepts" : theirs.error, args);
    }
    if (mine.accepted) {
        compare_devices(mine.devices, theirs.devices);
    } else if (g_str_has_prefix(mine.error, ADDRESS_SPACE_ERROR) &&
               g_str_has_prefix(theirs.error, ADDRESS_SPACE_ERROR)) {
        /* the same refusal; the numbers depend on the vCPU (see top) */
        g_test_message("both: %s / %s", mine.error, theirs.error);
    } else {
        g_assert_cmpstr(message_part(mine.error, locs), ==,
                        message_part(theirs.error, qlocs));
    }
    outcome_clear(&mine);
    outcome_clear(&theirs);
}

static void test_as_written(gconstpointer data)
{
    check_same_as_qemu(data, false);
}

static void test_acpi_on(gconstpointer data)
{
    check_same_as_qemu(data, true);
}

/* A listening socket the VMM inherits, for "fd=@mon-fd@". */
static int monitor_fd(const char *dir)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/mon.sock", dir);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

/* Why pmemvm refused an option of a whole command line. */
typedef enum Refusal {
    REFUSED_UNMODELLED,     /* a device (or block backend) pmemvm lacks */
    REFUSED_OTHER,
} Refusal;

static Refusal classify(const char *msg)
{
    if (g_str_has_suffix(msg, UNMODELLED_DEVICE) ||
        strstr(msg, NO_BLOCK_DEVICES)) {
        return REFUSED_UNMODELLED;
    }
    return REFUSED_OTHER;
}

/* The NVDIMMs and virtio-pmem devices among @opts. */
static guint count_memory_devices(GPtrArray *opts)
{
    guint n = 0;

    for (guint i = 0; i < opts->len; i++) {
        Opt *o = g_ptr_array_index(opts, i);
        g_autofree char *type = NULL;

        if (!strcmp(o->name, "-device") && o->arg) {
            type = opt_type(o);
            n += !strcmp(type, "nvdimm") || !strcmp(type, VIRTIO_PMEM);
        }
    }
    return n;
}

/*
 * The whole command line, adapted as at the top: it starts as written, or
 * every refusal names a device pmemvm does not model (or its block
 * backend), and nothing else.  Each refused option is dropped in turn until pmemvm starts; the file's
 * memory devices are all there then.
 */
static void test_whole_argv(gconstpointer data)
{
    const Vector *v = data;
    g_autofree char *emulator = NULL;
    g_autoptr(GPtrArray) opts = read_args(v->path, &emulator);
    g_autofree char *dir = g_dir_make_tmp("libvirt-compat-XXXXXX", NULL);
    g_autofree char *key = g_build_filename(dir, MASTER_KEY, NULL);
    int fd = monitor_fd(dir);
    unsigned counts[REFUSED_OTHER + 1] = { 0 };
    int rounds = 0;

    /* libvirt writes 32 random bytes there */
    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef",
                                      32, NULL));
    for (;;) {
        Adapt a = { dir, g_hash_table_new_full(g_str_hash, g_str_equal,
                                               g_free, g_free) };
        g_autoptr(GPtrArray) locs = g_ptr_array_new_with_free_func(g_free);
        g_autofree char *args = build_args(opts, &a, true, false, fd, locs);
        Outcome out;
        Refusal why;
        guint i;

        g_hash_table_destroy(a.paths);
        run(false, args, &out);
        if (out.accepted) {
            g_assert_cmpuint(json_array_get_length(
                                 json_node_get_array(out.devices)), ==,
                             count_memory_devices(opts));
            outcome_clear(&out);
            break;
        }
        g_assert_cmpint(++rounds, <, 40);
        /* the option the message names, as it was typed */
        for (i = 0; i < locs->len; i++) {
            if (g_str_has_prefix(out.error, g_ptr_array_index(locs, i))) {
                break;
            }
        }
        if (i == locs->len) {
            g_error("%s: pmemvm refused with a message that names no "
                    "option of the command line: %s", v->name, out.error);
        }
        why = classify(message_part(out.error, locs));
        if (why == REFUSED_OTHER) {
            g_error("%s: refused an option that is not an unmodelled "
                    "device: %s", v->name, out.error);
        }
        counts[why]++;
        g_test_message("%s: refused (not modelled) %s", v->name, out.error);
        g_ptr_array_remove_index(opts, i);
        outcome_clear(&out);
    }
    g_test_message("%s: starts after dropping %u unmodelled devices",
                   v->name, counts[REFUSED_UNMODELLED]);
    close(fd);
    remove_dir(dir);
}

/* ---- The vectors ---- */

static bool is_x86_64(const char *path)
{
    g_autofree char *emulator = NULL;
    g_autoptr(GPtrArray) opts = read_args(path, &emulator);

    /* one older vector names qemu-system-i386 for an x86_64 machine */
    return g_str_has_suffix(emulator, "qemu-system-x86_64") ||
           strstr(path, "x86_64");
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_vectors(const char *dir, const char *sub)
{
    g_autofree char *path = sub ? g_build_filename(dir, sub, NULL) :
                                  g_strdup(dir);
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint i;

    if (!d) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".args")) {
            g_ptr_array_add(names, g_strdup(name));
        }
    }
    g_ptr_array_sort(names, compare_names);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        Vector *v = g_new0(Vector, 1);
        g_autofree char *base = g_strndup(n, strlen(n) - strlen(".args"));
        g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;

        v->path = g_build_filename(path, n, NULL);
        if (!is_x86_64(v->path)) {
            g_free(v->path);
            g_free(v);
            continue;
        }
        v->name = g_strdup_printf("%s%s%s", sub ? sub : "", sub ? "/" : "",
                                  base);
        p1 = g_strdup_printf("/libvirt-compat/as-written/%s", v->name);
        p2 = g_strdup_printf("/libvirt-compat/acpi-on/%s", v->name);
        p3 = g_strdup_printf("/libvirt-compat/whole-argv/%s", v->name);
        g_test_add_data_func(p1, v, test_as_written);
        g_test_add_data_func(p2, v, test_acpi_on);
        g_test_add_data_func(p3, v, test_whole_argv);
    }
}

static void test_no_vectors(void)
{
    g_test_skip("libvirt's test vectors are not there "
                "($QTEST_SRCDIR/../shared/compat/libvirt)");
}

int main(int argc, char **argv)
{
    g_autofree char *dir = compat_dir();

    g_test_init(&argc, &argv, NULL);
    if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        g_test_add_func("/libvirt-compat/vectors", test_no_vectors);
    } else {
        add_vectors(dir, NULL);
        add_vectors(dir, "older");
    }
    return g_test_run();
}
