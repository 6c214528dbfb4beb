/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nvdimm-options: every option of an NVDIMM command line, accepted with a
 * good value and refused with a bad one, with QEMU 7.2's own words.
 *
 * Accepted: the VM starts and query-memory-devices shows what was asked
 * for (slot, addr, node, size, memdev).  Refused: pmemvm exits with status
 * 1, prints "pmemvm: -OPT ARG: MESSAGE", and leaves every backing file as
 * it was (nothing a user types may lose data).  Where qemu-system-x86_64
 * is installed, the same command line goes to it too and its message
 * (after "PROG: " and the "-OPT ARG: " location, which QEMU sometimes
 * omits) must be the same text.  Cases where pmemvm deliberately differs
 * say why in their 'differs' field and are not compared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"
#include "qtest-util.h"

/* RAM 512M, two slots, 4G maxmem: device window [0x100000000, +0x160000000) */
#define MACHINE "-machine pc,nvdimm=on -m 512M,slots=2,maxmem=4G"
#define BACKEND_SIZE (4 * 1024 * 1024)

/* ---- Running pmemvm and QEMU ---- */

/*
 * Start the binary under libqtest with @args: QEMU if @qemu (then with
 * its own -nodefaults, and the qtest accelerator that -qtest selects).
 * Returns NULL if it exited, with its status and stderr.
 */
static QTestState *start_may_fail(bool qemu, const char *args, int *status,
                                  char **err)
{
    g_autofree char *qemu_bin = qemu ? qemu_path() : NULL;
    g_autofree char *full = g_strdup_printf("%s%s", qemu ? "-nodefaults " :
                                            "", args);
    QTestState *s;

    if (qemu) {
        g_assert_nonnull(qemu_bin);
        g_setenv("QTEST_QEMU_BINARY", qemu_bin, TRUE);
    }
    s = qtest_init_may_fail(full, status, err);
    if (qemu) {
        g_unsetenv("QTEST_QEMU_BINARY");
    }
    return s;
}

/* Run "BIN ARGS" (no sockets) to its end: exit status, stdout, stderr. */
static int run_capture(const char *bin, const char *args, char **out,
                       char **err)
{
    g_autofree char *cmd = g_strdup_printf("%s %s", bin, args);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) gerr = NULL;
    int wstatus = 0;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &gerr));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &wstatus, &gerr));
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128;
}

/* @line without a leading "@loc: " (QEMU prints the location or not). */
static const char *strip_location(const char *line, const char *loc)
{
    if (loc && g_str_has_prefix(line, loc) &&
        g_str_has_prefix(line + strlen(loc), ": ")) {
        return line + strlen(loc) + 2;
    }
    return line;
}

/* ---- Backing files ---- */

typedef struct Snapshot {
    char *path;
    bool existed;
    char *data;
    gsize len;
} Snapshot;

static void snapshot_take(Snapshot *s, const char *path)
{
    s->path = g_strdup(path);
    s->existed = g_file_get_contents(path, &s->data, &s->len, NULL);
}

/* The file is exactly as it was: absent, or the same size and bytes. */
static void snapshot_check(Snapshot *s)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    bool exists = g_file_get_contents(s->path, &data, &len, NULL);

    if (!s->existed) {
        g_assert_false(g_file_test(s->path, G_FILE_TEST_EXISTS));
    } else {
        g_assert_true(exists);
        g_assert_cmpuint(len, ==, s->len);
        g_assert_true(memcmp(data, s->data, len) == 0);
    }
    g_free(s->path);
    g_free(s->data);
}

static void write_random_file(const char *path, gsize len)
{
    g_autofree guint32 *buf = g_new(guint32, len / 4);
    gsize i;

    for (i = 0; i < len / 4; i++) {
        buf[i] = g_random_int();
    }
    g_assert_true(g_file_set_contents(path, (char *)buf, len, NULL));
}

static char *make_dir(void)
{
    g_autoptr(GError) gerr = NULL;
    char *dir = g_dir_make_tmp("nvdimm-options-XXXXXX", &gerr);

    g_assert_nonnull(dir);
    return dir;
}

/* @tmpl with @D@ -> @dir, @F1@/@F2@ -> files in it, @M@ -> MACHINE. */
static char *expand(const char *tmpl, const char *dir)
{
    g_autofree char *f1 = g_build_filename(dir, "f1.img", NULL);
    g_autofree char *f2 = g_build_filename(dir, "f2.img", NULL);
    GString *s = g_string_new(tmpl);

    g_string_replace(s, "@M@", MACHINE, 0);
    g_string_replace(s, "@F1@", f1, 0);
    g_string_replace(s, "@F2@", f2, 0);
    g_string_replace(s, "@D@", dir, 0);
    return g_string_free(s, FALSE);
}

/* ---- Refused command lines ---- */

typedef enum Files {
    FILES_4M,       /* f1.img and f2.img exist, BACKEND_SIZE random bytes */
    FILES_NONE,     /* neither exists (and must not be created) */
    FILES_2M,       /* f1.img exists with 2M random bytes */
    FILES_8M,       /* f1.img exists with 8M random bytes */
    FILES_EMPTY,    /* f1.img exists and is empty */
} Files;

typedef struct FailCase {
    const char *name;
    Files files;
    const char *args;       /* placeholders as in expand() */
    const char *loc;        /* the option as pmemvm names it, or NULL */
    const char *msg;        /* the message after the location */
    const char *differs;    /* why QEMU is not compared, or NULL */
    bool last;              /* @args must end the command line */
} FailCase;

static void prepare_files(const char *dir, Files files)
{
    g_autofree char *f1 = g_build_filename(dir, "f1.img", NULL);
    g_autofree char *f2 = g_build_filename(dir, "f2.img", NULL);

    switch (files) {
    case FILES_4M:
        write_random_file(f1, BACKEND_SIZE);
        write_random_file(f2, BACKEND_SIZE);
        break;
    case FILES_2M:
        write_random_file(f1, BACKEND_SIZE / 2);
        break;
    case FILES_8M:
        write_random_file(f1, BACKEND_SIZE * 2);
        break;
    case FILES_EMPTY:
        g_assert_true(g_file_set_contents(f1, "", 0, NULL));
        break;
    case FILES_NONE:
        break;
    }
}

/*
 * Run pmemvm (or QEMU) on the case's command line in a fresh directory
 * (*dir_out: its name, for expanding the expected texts; the directory
 * itself is gone).  Returns the error line.
 */
static char *run_refused(const FailCase *c, bool qemu, char **dir_out)
{
    g_autofree char *dir = make_dir();
    g_autofree char *args = expand(c->args, dir);
    g_autofree char *f1 = g_build_filename(dir, "f1.img", NULL);
    g_autofree char *f2 = g_build_filename(dir, "f2.img", NULL);
    g_autofree char *err = NULL;
    Snapshot s1, s2;
    QTestState *qts;
    int status = 0;
    char *line;

    prepare_files(dir, c->files);
    snapshot_take(&s1, f1);
    snapshot_take(&s2, f2);
    if (qemu) {
        bool started;

        status = qemu_probe(args, &started, &err, NULL);
        if (started) {
            g_error(QEMU_NAME " accepted '%s'", args);
        }
    } else if (c->last) {
        /* libqtest appends "-accel qtest"; this runs BIN -display none ARGS */
        status = qtest_run_expect_fail(args, &err);
    } else {
        qts = start_may_fail(false, args, &status, &err);
        if (qts) {
            qtest_quit(qts);
            g_error("pmemvm accepted '%s'", args);
        }
    }
    g_assert_cmpint(status, ==, 1);
    /* nothing a user types may lose data */
    snapshot_check(&s1);
    snapshot_check(&s2);
    line = error_line(err, qemu ? QEMU_NAME : "pmemvm");
    if (!line) {
        g_error("no error message from %s; stderr:\n%s",
                qemu ? QEMU_NAME : "pmemvm", err);
    }
    remove_dir(dir);
    *dir_out = g_steal_pointer(&dir);
    return line;
}

static void test_refused(gconstpointer data)
{
    const FailCase *c = data;
    g_autofree char *qemu = qemu_path();
    g_autofree char *dir = NULL, *qdir = NULL;
    g_autofree char *line = run_refused(c, false, &dir);
    g_autofree char *loc = c->loc ? expand(c->loc, dir) : NULL;
    g_autofree char *msg = expand(c->msg, dir);
    g_autofree char *want = NULL;
    g_autofree char *qline = NULL, *qloc = NULL, *qmsg = NULL;

    /* pmemvm: the location as typed, then the message. */
    want = loc ? g_strdup_printf("%s: %s", loc, msg) : g_strdup(msg);
    g_assert_cmpstr(line, ==, want);

    if (c->differs) {
        g_test_message("not compared with QEMU: %s", c->differs);
        return;
    }
    if (!qemu) {
        g_test_skip(QEMU_NAME " is not installed: message checked against "
                    "the recorded QEMU 7.2 text only");
        return;
    }
    qline = run_refused(c, true, &qdir);
    qloc = c->loc ? expand(c->loc, qdir) : NULL;
    qmsg = expand(c->msg, qdir);
    g_assert_cmpstr(strip_location(qline, qloc), ==, qmsg);
}

#define DEV_NV "-device nvdimm,memdev=m1"
#define OBJ_F1 "-object memory-backend-file,id=m1,mem-path=@F1@,size=4M"
#define OBJ_F2 "-object memory-backend-file,id=m2,mem-path=@F2@,size=4M"

static const FailCase refused[] = {
    /* -device nvdimm against the machine */
    { "machine-without-nvdimm", FILES_4M,
      "-machine pc -m 512M,slots=2,maxmem=4G " OBJ_F1 " " DEV_NV,
      DEV_NV, "nvdimm is not enabled: missing 'nvdimm' in '-M'" },
    { "acpi-off", FILES_4M,
      "-machine pc,nvdimm=on,acpi=off -m 512M,slots=2,maxmem=4G " OBJ_F1
      " " DEV_NV, DEV_NV, "memory hotplug is not enabled: missing acpi "
      "device or acpi disabled" },
    /* QEMU checks ACPI first, so this is the message without nvdimm=on too */
    { "acpi-off-without-nvdimm", FILES_4M,
      "-machine pc,acpi=off -m 512M,slots=2,maxmem=4G " OBJ_F1 " " DEV_NV,
      DEV_NV, "memory hotplug is not enabled: missing acpi device or acpi "
      "disabled" },
    { "no-slots", FILES_4M, "-machine pc,nvdimm=on -m 512M " OBJ_F1 " "
      DEV_NV, DEV_NV, "no slots where allocated, please specify the 'slots' "
      "option" },
    { "no-slots-with-maxmem", FILES_4M, "-machine pc,nvdimm=on "
      "-m 512M,maxmem=4G " OBJ_F1 " " DEV_NV, DEV_NV, "no slots where "
      "allocated, please specify the 'slots' option" },
    { "not-enough-maxmem", FILES_4M, "-machine pc,nvdimm=on "
      "-m 512M,slots=2,maxmem=514M " OBJ_F1 " " DEV_NV, DEV_NV,
      "not enough space, currently 0x0 in use of total space for memory "
      "devices 0x200000" },
    /* -device nvdimm's own properties */
    { "memdev-missing", FILES_4M, "@M@ -device nvdimm", "-device nvdimm",
      "'memdev' property must be set" },
    { "memdev-not-found", FILES_4M, "@M@ -device nvdimm,memdev=zz",
      "-device nvdimm,memdev=zz", "Device 'zz' not found" },
    { "memdev-busy", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV " " DEV_NV, DEV_NV,
      "can't use already busy memdev: m1" },
    { "node-out-of-range", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",node=1",
      DEV_NV ",node=1", "'DIMM property node has value 1' which exceeds "
      "the number of numa nodes: 1" },
    { "node-negative", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",node=-1",
      DEV_NV ",node=-1", "Parameter 'node' expects uint32_t" },
    { "node-not-a-number", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",node=x",
      DEV_NV ",node=x", "Parameter 'node' expects integer" },
    { "label-size-too-small", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",label-size=4096", DEV_NV ",label-size=4096", "Property "
      "'nvdimm.label-size' (0x1000) is required at least 0x20000" },
    /* unset means no labels, but QEMU refuses an explicit 0 */
    { "label-size-zero", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",label-size=0", DEV_NV ",label-size=0", "Property "
      "'nvdimm.label-size' (0x0) is required at least 0x20000" },
    { "label-size-fills-backend", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",label-size=4M", DEV_NV ",label-size=4M", "the size of memdev m1 "
      "(0x400000) is too small to contain nvdimm label (0x400000) and "
      "aligned PMEM (0x1000)" },
    { "label-size-not-a-size", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",label-size=x", DEV_NV ",label-size=x",
      "Parameter 'label-size' expects size" },
    { "readonly-backend-armed", FILES_4M, "@M@ " OBJ_F1 ",readonly=on "
      DEV_NV, DEV_NV, "'unarmed' property must be 'on' since memdev m1 is "
      "read-only" },
    { "unarmed-not-bool", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",unarmed=x",
      DEV_NV ",unarmed=x", "Parameter 'unarmed' expects 'on' or 'off'" },
    { "uuid-invalid", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",uuid=xyz",
      DEV_NV ",uuid=xyz", "Property 'nvdimm.uuid' has invalid value" },
    { "size-read-only", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",size=4096",
      DEV_NV ",size=4096", "Property 'nvdimm.size' is not writable" },
    { "unknown-property", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",foo=1",
      DEV_NV ",foo=1", "Property 'nvdimm.foo' not found" },
    { "slot-out-of-range", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",slot=2",
      DEV_NV ",slot=2", "invalid slot number 2, valid range is [0-1]" },
    { "slot-negative", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",slot=-2",
      DEV_NV ",slot=-2", "invalid slot number -2, valid range is [0-1]" },
    { "slot-not-a-number", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",slot=x",
      DEV_NV ",slot=x", "Parameter 'slot' expects integer" },
    { "slot-not-int32", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",slot=4294967296", DEV_NV ",slot=4294967296",
      "Parameter 'slot' expects int32_t" },
    { "slot-busy", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2 " " DEV_NV ",slot=1 "
      "-device nvdimm,memdev=m2,slot=1", "-device nvdimm,memdev=m2,slot=1",
      "slot 1 is busy" },
    { "no-free-slot", FILES_4M, "-machine pc,nvdimm=on "
      "-m 512M,slots=1,maxmem=4G " OBJ_F1 " " OBJ_F2 " " DEV_NV " "
      "-device nvdimm,memdev=m2", "-device nvdimm,memdev=m2",
      "no free slots available" },
    { "addr-not-a-number", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV ",addr=x",
      DEV_NV ",addr=x", "Parameter 'addr' expects integer" },
    { "addr-unaligned", FILES_4M, "@M@ " OBJ_F1 ",align=2M " DEV_NV
      ",addr=0x100001000", DEV_NV ",addr=0x100001000",
      "address must be aligned to 0x200000 bytes" },
    { "addr-outside-window", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      ",addr=0x1000000000", DEV_NV ",addr=0x1000000000",
      "can't add memory device [0x1000000000:0x400000], usable range for "
      "memory devices [0x100000000:0x160000000]" },
    { "addr-overlap", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2 " " DEV_NV
      ",id=nv1,addr=0x100000000 -device nvdimm,memdev=m2,addr=0x100200000",
      "-device nvdimm,memdev=m2,addr=0x100200000",
      "address range conflicts with memory device id='nv1'" },
    { "device-unknown", FILES_4M, "@M@ -device foo", "-device foo",
      "'foo' is not a valid device model name" },
    /* JSON -device: QEMU's typed checks */
    { "json-slot-string", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"slot\":\"0\"}'",
      "-device {\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"slot\":\"0\"}",
      "Invalid parameter type for 'slot', expected: integer" },
    { "json-unarmed-string", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"unarmed\":\"on\"}'",
      "-device {\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"unarmed\":\"on\"}",
      "Invalid parameter type for 'unarmed', expected: boolean" },
    { "json-memdev-integer", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"nvdimm\",\"memdev\":1}'",
      "-device {\"driver\":\"nvdimm\",\"memdev\":1}",
      "Invalid parameter type for 'memdev', expected: string" },
    { "json-label-size-string", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"label-size\":\"128K\"}'",
      "-device {\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"label-size\":"
      "\"128K\"}", "Parameter 'label-size' expects uint64" },
    { "json-node-string", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"node\":\"0\"}'",
      "-device {\"driver\":\"nvdimm\",\"memdev\":\"m1\",\"node\":\"0\"}",
      "Parameter 'node' expects uint64" },
    { "json-driver-integer", FILES_4M, "@M@ -device '{\"driver\":5}'",
      "-device {\"driver\":5}", "Parameter 'driver' is missing" },
    /* -object memory-backend-file */
    { "file-mem-path-missing", FILES_NONE,
      "-object memory-backend-file,id=m1,size=4M",
      "-object memory-backend-file,id=m1,size=4M",
      "Parameter 'mem-path' is missing" },
    { "file-size-missing", FILES_NONE,
      "-object memory-backend-file,id=m1,mem-path=@F1@",
      "-object memory-backend-file,id=m1,mem-path=@F1@",
      "Parameter 'size' is missing" },
    { "file-size-zero", FILES_NONE, OBJ_F1 ",size=0", OBJ_F1 ",size=0",
      "property 'size' of memory-backend-file doesn't take value '0'" },
    { "file-size-not-a-size", FILES_NONE, OBJ_F1 ",size=x", OBJ_F1 ",size=x",
      "Parameter 'size' expects a size value" },
    { "file-id-missing", FILES_NONE,
      "-object memory-backend-file,mem-path=@F1@,size=4M",
      "-object memory-backend-file,mem-path=@F1@,size=4M",
      "Parameter 'id' is missing" },
    { "file-id-invalid", FILES_NONE,
      "-object memory-backend-file,id=1m,mem-path=@F1@,size=4M",
      "-object memory-backend-file,id=1m,mem-path=@F1@,size=4M",
      "Parameter 'id' expects an identifier" },
    { "file-id-duplicate", FILES_4M, OBJ_F1 " -object memory-backend-file,"
      "id=m1,mem-path=@F2@,size=4M", "-object memory-backend-file,id=m1,"
      "mem-path=@F2@,size=4M", "Duplicate ID 'm1' for object" },
    { "file-share-not-bool", FILES_NONE, OBJ_F1 ",share=x", OBJ_F1
      ",share=x", "Parameter 'share' expects 'on' or 'off'" },
    { "file-readonly-not-bool", FILES_NONE, OBJ_F1 ",readonly=2", OBJ_F1
      ",readonly=2", "Parameter 'readonly' expects 'on' or 'off'" },
    { "file-pmem-not-bool", FILES_NONE, OBJ_F1 ",pmem=x", OBJ_F1 ",pmem=x",
      "Parameter 'pmem' expects 'on' or 'off'" },
    { "file-discard-data-not-bool", FILES_NONE, OBJ_F1 ",discard-data=x",
      OBJ_F1 ",discard-data=x",
      "Parameter 'discard-data' expects 'on' or 'off'" },
    { "file-prealloc-not-bool", FILES_NONE, OBJ_F1 ",prealloc=x", OBJ_F1
      ",prealloc=x", "Parameter 'prealloc' expects 'on' or 'off'" },
    { "file-reserve-not-bool", FILES_NONE, OBJ_F1 ",reserve=x", OBJ_F1
      ",reserve=x", "Parameter 'reserve' expects 'on' or 'off'" },
    { "file-align-not-a-size", FILES_NONE, OBJ_F1 ",align=x", OBJ_F1
      ",align=x", "Parameter 'align' expects a size value" },
    { "file-align-not-power-of-two", FILES_NONE, OBJ_F1 ",align=3M", OBJ_F1
      ",align=3M", "alignment 0x300000 must be a power of two" },
    { "file-align-below-page", FILES_NONE, OBJ_F1 ",align=2K", OBJ_F1
      ",align=2K", "alignment 0x800 must be multiples of page size 0x1000" },
    { "file-align-not-power-of-two-pages", FILES_4M, OBJ_F1 ",align=12K",
      OBJ_F1 ",align=12K", "alignment 0x3000 must be a power of two" },
    { "file-prealloc-without-reserve", FILES_NONE, OBJ_F1
      ",prealloc=on,reserve=off", OBJ_F1 ",prealloc=on,reserve=off",
      "'prealloc=on' and 'reserve=off' are incompatible" },
    { "file-unknown-property", FILES_NONE, OBJ_F1 ",bogus=1", OBJ_F1
      ",bogus=1", "Invalid parameter 'bogus'" },
    { "file-policy-unknown", FILES_NONE, OBJ_F1 ",policy=foo", OBJ_F1
      ",policy=foo", "Parameter 'policy' does not accept value 'foo'" },
    { "file-smaller-than-size", FILES_2M, OBJ_F1, OBJ_F1,
      "backing store size 0x200000 does not match 'size' option 0x400000" },
    { "file-directory-missing", FILES_NONE,
      "-object memory-backend-file,id=m1,mem-path=@D@/none/f.img,size=4M",
      "-object memory-backend-file,id=m1,mem-path=@D@/none/f.img,size=4M",
      "can't open backing store @D@/none/f.img for guest RAM: No such file "
      "or directory" },
    { "file-larger-than-size", FILES_8M, OBJ_F1, OBJ_F1,
      "backing store size 0x800000 does not match 'size' option 0x400000",
      "QEMU 7.2 maps the first 'size' bytes of a larger file; pmemvm "
      "refuses, because a label area would then sit in the middle of the "
      "user's data (docs/system/nvdimm.md)" },
    { "file-readonly-missing", FILES_NONE, OBJ_F1 ",readonly=on", OBJ_F1
      ",readonly=on", "can't open backing store @F1@ for guest RAM: No such "
      "file or directory", "QEMU 7.2 creates a file that readonly=on was "
      "meant to protect; pmemvm opens read-only and refuses" },
    { "file-readonly-empty", FILES_EMPTY, OBJ_F1 ",readonly=on", OBJ_F1
      ",readonly=on", "backing store @F1@ is empty and cannot be extended "
      "to 'size' 0x400000 with readonly=on", "QEMU 7.2 fails to ftruncate "
      "and runs on with an empty mapping (SIGBUS on access)" },
    { "file-policy-bind", FILES_NONE, OBJ_F1 ",policy=bind", OBJ_F1
      ",policy=bind", "host-nodes must be set for policy bind",
      "QEMU 7.2 gives the same message, but only after it created the "
      "backing file, which it leaves behind; pmemvm checks first" },
    { "ram-host-nodes-without-policy", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=0",
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=0",
      "host-nodes must be empty for policy default, or you should "
      "explicitly specify a policy other than default" },
    { "ram-host-nodes-invalid", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=128,policy=bind",
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=128,policy=bind",
      "Invalid host-nodes value: 128" },
    { "ram-host-nodes-absent", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=127,policy=bind",
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=127,policy=bind",
      "cannot bind memory to host NUMA nodes: Invalid argument" },
    { "ram-host-nodes-reversed", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=1-0,policy=bind",
      "-object memory-backend-ram,id=m1,size=4M,host-nodes=1-0,policy=bind",
      "Parameter 'host-nodes' expects a uint64 value or range" },
    { "object-unknown-type", FILES_NONE, "-object memory-backend-foo,id=m1",
      "-object memory-backend-foo,id=m1",
      "Parameter 'qom-type' does not accept value 'memory-backend-foo'" },
    /* JSON -object: QEMU's typed checks */
    { "json-share-string", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"@F1@\","
      "\"size\":4194304,\"share\":\"on\"}'", "-object {\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"@F1@\","
      "\"size\":4194304,\"share\":\"on\"}",
      "Invalid parameter type for 'share', expected: boolean" },
    { "json-size-string", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"@F1@\","
      "\"size\":\"256M\"}'", "-object {\"qom-type\":\"memory-backend-file\","
      "\"id\":\"m1\",\"mem-path\":\"@F1@\",\"size\":\"256M\"}",
      "Parameter 'size' expects uint64" },
    { "json-mem-path-integer", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":1,\"size\":4096}'",
      "-object {\"qom-type\":\"memory-backend-file\",\"id\":\"m1\","
      "\"mem-path\":1,\"size\":4096}",
      "Invalid parameter type for 'mem-path', expected: string" },
    { "json-unknown-member", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"@F1@\","
      "\"size\":4096,\"bogus\":1}'", "-object {\"qom-type\":"
      "\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"@F1@\","
      "\"size\":4096,\"bogus\":1}", "Parameter 'bogus' is unexpected" },
    { "json-id-integer", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-ram\",\"id\":5,\"size\":4096}'", "-object "
      "{\"qom-type\":\"memory-backend-ram\",\"id\":5,\"size\":4096}",
      "Invalid parameter type for 'id', expected: string" },
    { "json-qom-type-integer", FILES_NONE, "-object '{\"qom-type\":5,"
      "\"id\":\"m1\"}'", "-object {\"qom-type\":5,\"id\":\"m1\"}",
      "Invalid parameter type for 'qom-type', expected: string" },
    { "json-prealloc-threads-negative", FILES_NONE, "-object '{\"qom-type\":"
      "\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,"
      "\"prealloc-threads\":-1}'", "-object {\"qom-type\":"
      "\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,"
      "\"prealloc-threads\":-1}",
      "Parameter 'prealloc-threads' expects uint32_t" },
    /* JSON values no property takes (a fraction, null, an array, an
     * object): each property's own words, as QEMU's visitor */
    { "json-share-float", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"share\":1.5}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"share\":1.5}",
      "Invalid parameter type for 'share', expected: boolean" },
    { "json-share-null", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"share\":null}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"share\":null}",
      "Invalid parameter type for 'share', expected: boolean" },
    { "json-size-float", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096.5}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096.5}",
      "Parameter 'size' expects uint64" },
    { "json-size-array", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":[4096]}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":[4096]}",
      "Parameter 'size' expects uint64" },
    { "json-mem-path-object", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"size\":4096,\"mem-path\":{\"a\":1}}'",
      "-object {\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"size\":4096,\"mem-path\":{\"a\":1}}",
      "Invalid parameter type for 'mem-path', expected: string" },
    { "json-id-float", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":1.5,\"size\":4096}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":1.5,\"size\":4096}",
      "Invalid parameter type for 'id', expected: string" },
    { "json-host-nodes-string", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":\"0\"}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":\"0\"}",
      "Invalid parameter type for 'host-nodes', expected: array" },
    { "json-host-nodes-float-item", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":[0,1.5]}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":[0,1.5]}",
      "Parameter 'host-nodes[1]' expects uint64" },
    { "json-host-nodes-out-of-range", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":[70000]}'",
      "-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"m1\",\"size\":4096,\"host-nodes\":[70000]}",
      "Parameter 'null' expects uint16_t" },
    /* QEMU checks members in its schema's order (qapi/qom.json), a
     * missing mandatory one where it stands, unknown keys last */
    { "json-unknown-before-missing-size", FILES_NONE,
      "-object '{\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"bogus\":[1]}'",
      "-object {\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"bogus\":[1]}",
      "Parameter 'size' is missing" },
    { "order-dump-before-share", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=1M,share=x,dump=x",
      "-object memory-backend-ram,id=m1,size=1M,share=x,dump=x",
      "Parameter 'dump' expects 'on' or 'off'" },
    { "order-prealloc-before-threads", FILES_NONE,
      "-object memory-backend-ram,id=m1,size=1M,prealloc-threads=x,prealloc=x",
      "-object memory-backend-ram,id=m1,size=1M,prealloc-threads=x,prealloc=x",
      "Parameter 'prealloc' expects 'on' or 'off'" },
    { "order-size-before-x-use", FILES_NONE,
      "-object memory-backend-ram,id=m1,x-use-canonical-path-for-ramblock-id=x,size=x",
      "-object memory-backend-ram,id=m1,x-use-canonical-path-for-ramblock-id=x,size=x",
      "Parameter 'size' expects a size value" },
    { "order-unknown-after-missing-size", FILES_NONE,
      "-object memory-backend-ram,id=m1,bogus=1",
      "-object memory-backend-ram,id=m1,bogus=1",
      "Parameter 'size' is missing" },
    { "order-missing-mem-path-before-readonly", FILES_NONE,
      "-object memory-backend-file,id=m1,size=1M,readonly=x,pmem=x",
      "-object memory-backend-file,id=m1,size=1M,readonly=x,pmem=x",
      "Parameter 'mem-path' is missing" },
    { "order-align-before-readonly", FILES_NONE,
      "-object memory-backend-file,id=m1,size=1M,readonly=x,mem-path=@F1@,align=x",
      "-object memory-backend-file,id=m1,size=1M,readonly=x,mem-path=@F1@,align=x",
      "Parameter 'align' expects a size value" },
    /* -object memory-backend-ram */
    { "ram-size-missing", FILES_NONE, "-object memory-backend-ram,id=r1",
      "-object memory-backend-ram,id=r1", "Parameter 'size' is missing" },
    { "ram-size-not-a-size", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=x",
      "-object memory-backend-ram,id=r1,size=x",
      "Parameter 'size' expects a size value" },
    { "ram-share-not-bool", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=1M,share=x",
      "-object memory-backend-ram,id=r1,size=1M,share=x",
      "Parameter 'share' expects 'on' or 'off'" },
    { "ram-mem-path", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=1M,mem-path=@F1@",
      "-object memory-backend-ram,id=r1,size=1M,mem-path=@F1@",
      "Invalid parameter 'mem-path'" },
    { "ram-prealloc-threads-zero", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=0",
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=0",
      "property 'prealloc-threads' of memory-backend-ram doesn't take "
      "value '0'" },
    { "ram-prealloc-threads-not-a-number", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=x",
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=x",
      "Parameter 'prealloc-threads' expects a uint64 value" },
    { "ram-prealloc-threads-too-big", FILES_NONE,
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=4294967296",
      "-object memory-backend-ram,id=r1,size=1M,prealloc-threads=4294967296",
      "Parameter 'prealloc-threads' expects uint32_t" },
    /* -machine */
    { "machine-nvdimm-not-bool", FILES_NONE, "-machine pc,nvdimm=x", NULL,
      "Parameter 'nvdimm' expects 'on' or 'off'" },
    { "machine-nvdimm-persistence-unknown", FILES_NONE,
      "-machine pc,nvdimm=on,nvdimm-persistence=foo", NULL,
      "-machine nvdimm-persistence=foo: unsupported option" },
    { "machine-acpi-unknown", FILES_NONE, "-machine pc,acpi=x", NULL,
      "Parameter 'acpi' does not accept value 'x'" },
    { "machine-unknown-property", FILES_NONE, "-machine pc,foo=1", NULL,
      "Property 'pc-i440fx-7.2-machine.foo' not found" },
    { "machine-unknown-type", FILES_NONE, "-machine foo", NULL,
      "unsupported machine type" },
    { "machine-nvdimm-cap-zero", FILES_NONE, "-machine pc,nvdimm-cap=0",
      NULL, "-machine nvdimm-cap=0: unsupported capabilities",
      "QEMU 7.2 has no nvdimm-cap (an older spelling pmemvm accepts)" },
    { "machine-nvdimm-cap-conflict", FILES_NONE,
      "-machine pc,nvdimm-persistence=cpu,nvdimm-cap=2", NULL,
      "-machine nvdimm-cap=2 conflicts with nvdimm-persistence=cpu",
      "QEMU 7.2 has no nvdimm-cap (an older spelling pmemvm accepts)" },
    /* -m */
    { "m-slots-without-maxmem", FILES_NONE, "-m 512M,slots=2", NULL,
      "slots specified but no max-size" },
    { "m-maxmem-below-size", FILES_NONE, "-m 1G,maxmem=512M", NULL,
      "invalid value of maxmem: maximum memory size (0x20000000) must be at "
      "least the initial memory size (0x40000000)" },
    { "m-maxmem-equal-with-slots", FILES_NONE, "-m 1G,maxmem=1G,slots=2",
      NULL, "invalid value of maxmem: memory slots were specified but "
      "maximum memory size (0x40000000) is equal to the initial memory size "
      "(0x40000000)" },
    { "m-too-many-slots", FILES_NONE, "-m 1G,slots=300,maxmem=4G", NULL,
      "unsupported amount of memory slots: 300" },
    { "m-size-not-a-size", FILES_NONE, "-m x", "-m x",
      "Parameter 'size' expects a non-negative number below 2^64" },
    { "m-slots-not-a-number", FILES_NONE, "-m 1G,slots=x,maxmem=4G",
      "-m 1G,slots=x,maxmem=4G", "Parameter 'slots' expects a number" },
    { "m-maxmem-not-a-size", FILES_NONE, "-m 1G,slots=2,maxmem=x",
      "-m 1G,slots=2,maxmem=x",
      "Parameter 'maxmem' expects a non-negative number below 2^64" },
    { "m-unknown-key", FILES_NONE, "-m 1G,foo=1", "-m 1G,foo=1",
      "Invalid parameter 'foo'" },
    /* the command line itself */
    { "unknown-option", FILES_NONE, "-bogus", "-bogus", "invalid option" },
    { "missing-argument", FILES_NONE, "-m", "-m", "requires an argument",
      NULL, true },
    { "drive-unsupported", FILES_NONE, "-drive file=@F1@",
      "-drive file=@F1@", "not supported: pmemvm has no block devices; use "
      "an NVDIMM or initrd", "pmemvm has no block devices; QEMU opens the "
      "image" },
    /* virtio-pmem-pci */
    { "virtio-pmem-no-memdev", FILES_NONE, "@M@ -device virtio-pmem-pci",
      "-device virtio-pmem-pci", "'memdev' property must be set" },
    { "virtio-pmem-memdev-unknown", FILES_NONE,
      "@M@ -device virtio-pmem-pci,memdev=nope",
      "-device virtio-pmem-pci,memdev=nope", "Device 'nope' not found" },
    { "virtio-pmem-memdev-busy", FILES_4M, "@M@ " OBJ_F1 " " DEV_NV
      " -device virtio-pmem-pci,memdev=m1", "-device virtio-pmem-pci,memdev=m1",
      "can't use already busy memdev: m1" },
    { "virtio-pmem-no-maxmem", FILES_4M, "-machine pc -m 512M " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1", "-device virtio-pmem-pci,memdev=m1",
      "memory devices (e.g. for memory hotplug) are not enabled, please "
      "specify the maxmem option" },
    { "virtio-pmem-memaddr-outside", FILES_4M, "@M@ " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1,memaddr=0x1000",
      "-device virtio-pmem-pci,memdev=m1,memaddr=0x1000",
      "can't add memory device [0x1000:0x400000], usable range for memory "
      "devices [0x100000000:0x160000000]" },
    { "virtio-pmem-memaddr-unaligned", FILES_4M, "@M@ " OBJ_F1 ",align=2M"
      " -device virtio-pmem-pci,memdev=m1,memaddr=0x100001000",
      "-device virtio-pmem-pci,memdev=m1,memaddr=0x100001000",
      "address must be aligned to 0x200000 bytes" },
    { "virtio-pmem-size-unaligned", FILES_2M, "@M@ -object "
      "memory-backend-file,id=m1,mem-path=@F1@,size=2M,align=4M"
      " -device virtio-pmem-pci,memdev=m1",
      "-device virtio-pmem-pci,memdev=m1",
      "backend memory size must be multiple of 0x400000" },
    { "virtio-pmem-maxmem-full", FILES_4M, "-machine pc -m 512M,maxmem=518M "
      OBJ_F1 " " OBJ_F2 " -device virtio-pmem-pci,memdev=m1"
      " -device virtio-pmem-pci,memdev=m2", "-device virtio-pmem-pci,memdev=m2",
      "not enough space, currently 0x400000 in use of total space for memory "
      "devices 0x600000" },
    { "virtio-pmem-memaddr-overlap", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2
      " -device virtio-pmem-pci,memdev=m1,memaddr=0x100000000"
      " -device virtio-pmem-pci,memdev=m2,memaddr=0x100200000",
      "-device virtio-pmem-pci,memdev=m2,memaddr=0x100200000",
      "address range conflicts with memory device id='(unnamed)'" },
    { "virtio-pmem-bus-unknown", FILES_4M, "@M@ " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1,bus=pci.1",
      "-device virtio-pmem-pci,memdev=m1,bus=pci.1", "Bus 'pci.1' not found" },
    { "virtio-pmem-addr-invalid", FILES_4M, "@M@ " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1,addr=0x20",
      "-device virtio-pmem-pci,memdev=m1,addr=0x20",
      "Property 'virtio-pmem-pci.addr' doesn't take value '0x20'" },
    { "virtio-pmem-addr-busy", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2
      " -device virtio-pmem-pci,memdev=m1,addr=5,id=a"
      " -device virtio-pmem-pci,memdev=m2,addr=5",
      "-device virtio-pmem-pci,memdev=m2,addr=5",
      "PCI: slot 5 function 0 not available for virtio-pmem-pci, in use by "
      "virtio-pmem-pci,id=a" },
    { "virtio-pmem-addr-host-bridge", FILES_4M, "@M@ " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1,addr=0",
      "-device virtio-pmem-pci,memdev=m1,addr=0",
      "PCI: slot 0 function 0 not available for virtio-pmem-pci, in use by "
      "pci-host-bridge,id=(null)", "QEMU's pc has an i440FX at 00.0, "
      "pmemvm a generic host bridge (docs/specs/pci.md)" },
    { "virtio-pmem-addr-single-function", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2
      " -device virtio-pmem-pci,memdev=m1,addr=6"
      " -device virtio-pmem-pci,memdev=m2,addr=6.1",
      "-device virtio-pmem-pci,memdev=m2,addr=6.1",
      "PCI: single function device can't be populated in function 6.1" },
    { "virtio-pmem-addr-function0-single", FILES_4M, "@M@ " OBJ_F1 " " OBJ_F2
      " -device virtio-pmem-pci,memdev=m1,addr=0x1a.2"
      " -device virtio-pmem-pci,memdev=m2,addr=0x1a",
      "-device virtio-pmem-pci,memdev=m2,addr=0x1a",
      "PCI: 1a.0 indicates single function, but 1a.2 is already populated." },
    { "virtio-pmem-json-addr-range", FILES_4M, "@M@ " OBJ_F1 " -device "
      "'{\"driver\":\"virtio-pmem-pci\",\"memdev\":\"m1\",\"addr\":300}'",
      "-device {\"driver\":\"virtio-pmem-pci\",\"memdev\":\"m1\","
      "\"addr\":300}", "Parameter 'addr' expects a value between -1 and 255" },
    { "virtio-pmem-packed", FILES_4M, "@M@ " OBJ_F1
      " -device virtio-pmem-pci,memdev=m1,packed=on",
      "-device virtio-pmem-pci,memdev=m1,packed=on",
      "packed=on: pmemvm has no vIOMMU and only split virtqueues",
      "QEMU offers packed virtqueues; pmemvm has only split ones" },
};

/* pmem=on needs libpmem; a pmemvm built without it must say so. */
static void test_pmem_without_libpmem(void)
{
    g_autofree char *out = NULL, *err = NULL;
    FailCase c = {
        "pmem-without-libpmem", FILES_4M, OBJ_F1 ",share=on,pmem=on",
        OBJ_F1 ",share=on,pmem=on", "pmem=on cannot be honoured: pmemvm "
        "was built without libpmem, so it cannot make its own writes to "
        "backend 'm1' persistent", "QEMU without libpmem accepts pmem=on "
        "and silently gives no persistence for its own writes",
    };

    g_assert_cmpint(run_capture(qtest_binary(), "-version", &out, &err),
                    ==, 0);
    if (strstr(out, "libpmem support: yes")) {
        g_test_skip("pmemvm is built with libpmem: pmem=on is accepted "
                    "(see /nvdimm-options/accepted/pmem)");
        return;
    }
    test_refused(&c);
}

/* ---- Accepted command lines ---- */

/* The one "nvdimm" item of query-memory-devices whose id is @id. */
static JsonObject *find_nvdimm(JsonArray *list, const char *id)
{
    guint i;

    for (i = 0; i < json_array_get_length(list); i++) {
        JsonObject *item = json_array_get_object_element(list, i);
        JsonObject *data = json_object_get_object_member(item, "data");

        if (!g_strcmp0(json_object_get_string_member(item, "type"),
                       "nvdimm") &&
            !g_strcmp0(json_object_get_string_member_with_default(
                           data, "id", ""), id)) {
            return data;
        }
    }
    g_error("no nvdimm '%s' in query-memory-devices", id);
}

typedef struct Expected {
    const char *id;
    int64_t slot;
    uint64_t addr;          /* 0: not checked (auto) */
    uint64_t size;
    int64_t node;
    const char *memdev;
} Expected;

static void check_nvdimm(JsonArray *list, const Expected *e)
{
    JsonObject *d = find_nvdimm(list, e->id);

    g_assert_cmpint(json_object_get_int_member(d, "slot"), ==, e->slot);
    if (e->addr) {
        g_assert_cmphex(json_object_get_int_member(d, "addr"), ==, e->addr);
    }
    g_assert_cmphex(json_object_get_int_member(d, "size"), ==, e->size);
    g_assert_cmpint(json_object_get_int_member(d, "node"), ==, e->node);
    g_assert_cmpstr(json_object_get_string_member(d, "memdev"), ==,
                    e->memdev);
    g_assert_false(json_object_get_boolean_member(d, "hotplugged"));
}

/*
 * Zero the last 128 KiB of f1.img and f2.img: the label area the accepted
 * cases ask for holds nothing then, as pmemvm's label-area guard wants
 * (docs/system/nvdimm.md; its refusals are tested in label-guard-test).
 */
static void free_label_areas(const char *dir)
{
    static const char *const names[] = { "f1.img", "f2.img" };
    g_autofree uint8_t *zero = g_malloc0(128 * 1024);
    int i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(dir, names[i], NULL);
        FILE *f = fopen(path, "r+");

        g_assert_nonnull(f);
        g_assert_cmpint(fseek(f, -128 * 1024, SEEK_END), ==, 0);
        g_assert_cmpuint(fwrite(zero, 1, 128 * 1024, f), ==, 128 * 1024);
        g_assert_cmpint(fclose(f), ==, 0);
    }
}

/*
 * Start @args (placeholders as in expand(), files created 4M random but
 * for a free label area unless @fresh), check every nvdimm in @expect,
 * then the same on QEMU unless @differs says why not.
 */
static void run_accepted(bool qemu, const char *tmpl, bool fresh,
                         const Expected *expect, int n)
{
    g_autofree char *dir = make_dir();
    g_autofree char *args = expand(tmpl, dir);
    g_autofree char *err = NULL;
    JsonNode *ret;
    QTestState *qts;
    int status = 0, i;

    if (!fresh) {
        prepare_files(dir, FILES_4M);
        free_label_areas(dir);
    }
    if (qemu) {
        bool started;

        /* libqtest would abort on a QEMU that dies after connecting */
        status = qemu_probe(args, &started, &err, NULL);
        if (!started) {
            g_error(QEMU_NAME " refused '%s' (status %d):\n%s", args,
                    status, err);
        }
        g_clear_pointer(&err, g_free);
    }
    qts = start_may_fail(qemu, args, &status, &err);
    if (!qts) {
        g_error("%s refused '%s' (status %d):\n%s",
                qemu ? QEMU_NAME : "pmemvm", args, status, err);
    }
    ret = qtest_qmp_assert_success_ref(qts, "{'execute': "
                                       "'query-memory-devices'}");
    for (i = 0; i < n; i++) {
        check_nvdimm(json_node_get_array(ret), &expect[i]);
    }
    json_node_unref(ret);
    qtest_quit(qts);
    remove_dir(dir);
}

static void accepted(const char *tmpl, bool fresh, const Expected *expect,
                     int n, const char *differs)
{
    g_autofree char *qemu = qemu_path();

    run_accepted(false, tmpl, fresh, expect, n);
    if (differs) {
        g_test_message("not run on QEMU: %s", differs);
    } else if (!qemu) {
        g_test_skip(QEMU_NAME " is not installed");
    } else {
        run_accepted(true, tmpl, fresh, expect, n);
    }
}

/* Command lines started as written, on pmemvm and on QEMU. */
typedef struct AcceptCase {
    const char *name;
    const char *args;       /* placeholders as in expand(); files 4M random */
    Expected expect[2];     /* the NVDIMMs to check; id NULL ends them */
} AcceptCase;

static const AcceptCase accepted_cases[] = {
    /* A user's NVDIMM with every property set: what QMP reports back. */
    { "all-nvdimm-properties",
      "@M@ -object memory-backend-file,id=m1,mem-path=@F1@,size=4M,"
      "share=on,readonly=off,align=2M,pmem=off,discard-data=off,"
      "prealloc=on,reserve=on,dump=on,merge=off,prealloc-threads=2,"
      "policy=default,x-use-canonical-path-for-ramblock-id=off "
      "-device nvdimm,id=nv1,memdev=m1,slot=1,addr=0x140000000,"
      "node=0,label-size=128K,unarmed=off,"
      "uuid=6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      {
          /*
           * label-size takes 128K off the end of the 4M backend, and
           * align=2M rounds what is left down to 2M
           */
          { "nv1", 1, 0x140000000, 0x200000, 0, "/objects/m1" },
      } },
    /* Slots and addresses left to the machine: first free slot, first fit. */
    { "auto-slot-and-addr",
      "@M@ " OBJ_F1 " " OBJ_F2 " -device nvdimm,id=nv1,memdev=m1 "
      "-device nvdimm,id=nv2,memdev=m2",
      {
          { "nv1", 0, 0x100000000, 0x400000, 0, "/objects/m1" },
          { "nv2", 1, 0x100400000, 0x400000, 0, "/objects/m2" },
      } },
    /* A read-only backend is fine for an unarmed NVDIMM. */
    { "readonly-unarmed",
      "@M@ " OBJ_F1 ",readonly=on -device nvdimm,id=nv1,memdev=m1,"
      "unarmed=on",
      {
          { "nv1", 0, 0, 0x400000, 0, "/objects/m1" },
      } },
    /* memory-backend-ram with all of its properties, sizes with suffixes. */
    { "ram-backend",
      "@M@ -object memory-backend-ram,id=r1,size=4096k,share=on,"
      "prealloc=on,reserve=on,dump=off,merge=off,prealloc-threads=1,"
      "policy=default -object memory-backend-ram,id=r2,size=1g,"
      "reserve=off -device nvdimm,id=nv1,memdev=r1 "
      "-device nvdimm,id=nv2,memdev=r2",
      {
          { "nv1", 0, 0, 0x400000, 0, "/objects/r1" },
          { "nv2", 1, 0, 0x40000000, 0, "/objects/r2" },
      } },
    /* The JSON forms libvirt writes. */
    { "json-forms",
      "@M@ -object '{\"qom-type\":\"memory-backend-file\","
      "\"id\":\"memnvdimm0\",\"mem-path\":\"@F1@\",\"share\":true,"
      "\"prealloc\":true,\"size\":4194304,\"align\":2097152}' "
      "-device '{\"driver\":\"nvdimm\",\"node\":0,"
      "\"label-size\":131072,\"unarmed\":false,"
      "\"memdev\":\"memnvdimm0\",\"id\":\"nvdimm0\",\"slot\":0}'",
      {
          /* (4M - 128K) rounded down to the 2M alignment */
          { "nvdimm0", 0, 0, 0x200000, 0, "/objects/memnvdimm0" },
      } },
    /* libvirt's "-accel tcg", then libqtest's "-accel qtest": the last
     * one counts (make check-asan: the first is not leaked). */
    { "accel-twice",
      "@M@ -accel tcg " OBJ_F1 " -device nvdimm,id=nv1,memdev=m1",
      {
          { "nv1", 0, 0, 0x400000, 0, "/objects/m1" },
      } },
};

static void test_accepted(gconstpointer data)
{
    const AcceptCase *c = data;
    int n = 0;

    while (n < G_N_ELEMENTS(c->expect) && c->expect[n].id) {
        n++;
    }
    accepted(c->args, false, c->expect, n, NULL);
}

/* k, K, m, M, g, G and plain bytes all mean what they say. */
static void test_size_suffixes(void)
{
    static const struct {
        const char *size, *label;
        uint64_t region;
    } sizes[] = {
        /* a RAM backend's region is 2M-aligned: 4M - 128K gives 2M */
        { "4M", "128K", 0x200000 },
        { "4m", "128k", 0x200000 },
        { "4096K", "131072", 0x200000 },
        { "4096k", NULL, 0x400000 },
        { "4194304", NULL, 0x400000 },
        { "1G", "2M", 0x40000000 - 0x200000 },
        { "1g", "2m", 0x40000000 - 0x200000 },
    };
    int i;

    for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *args = g_strdup_printf(
            "@M@ -object memory-backend-ram,id=r1,size=%s,reserve=off "
            "-device nvdimm,id=nv1,memdev=r1%s%s",
            sizes[i].size, sizes[i].label ? ",label-size=" : "",
            sizes[i].label ? sizes[i].label : "");
        Expected e = { "nv1", 0, 0, sizes[i].region, 0, "/objects/r1" };

        accepted(args, true, &e, 1, NULL);
    }
}

/*
 * "a,,b" in mem-path is the file "a,b"; a bare "share" is share=on, so
 * what the guest writes to the NVDIMM is in that file at once.
 */
static void test_comma_and_bare_flag(void)
{
    g_autofree char *dir = make_dir();
    g_autofree char *args = g_strdup_printf(
        MACHINE " -object memory-backend-file,id=m1,share,"
        "mem-path=%s/a,,b.img,size=4M -device nvdimm,id=nv1,memdev=m1", dir);
    g_autofree char *file = g_build_filename(dir, "a,b.img", NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    QTestState *qts = qtest_init(args);

    g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
    /* the only NVDIMM sits at the start of the device window */
    qtest_writeq(qts, 0x100000000ULL, 0x1122334455667788ULL);
    g_assert_true(g_file_get_contents(file, &data, &len, NULL));
    g_assert_cmpuint(len, ==, BACKEND_SIZE);
    g_assert_cmphex(GUINT64_FROM_LE(*(guint64 *)data), ==,
                    0x1122334455667788ULL);
    qtest_quit(qts);
    remove_dir(dir);
}

/* Each -machine @machines[i] with one NVDIMM, as accepted() does it. */
static void accepted_machines(const char *const *machines, int n,
                              const char *differs)
{
    static const Expected e = { "nv1", 0, 0, 0x400000, 0, "/objects/m1" };
    int i;

    for (i = 0; i < n; i++) {
        g_autofree char *args = g_strdup_printf(
            "-machine %s -m 512M,slots=2,maxmem=4G " OBJ_F1
            " -device nvdimm,id=nv1,memdev=m1", machines[i]);

        accepted(args, false, &e, 1, differs);
    }
}

/* -machine: each NVDIMM-related property with each good value. */
static void test_machine_properties(void)
{
    static const char *const machines[] = {
        "pc,nvdimm=on,nvdimm-persistence=cpu",
        "pc,nvdimm=on,nvdimm-persistence=mem-ctrl",
        "pc,nvdimm=on,acpi=on",
        "pc,nvdimm=on,acpi=auto",
        "q35,nvdimm=on",
        "pc-i440fx-7.2,nvdimm=on",
        "type=pc,nvdimm=on",
    };

    accepted_machines(machines, G_N_ELEMENTS(machines), NULL);
}

/*
 * Deliberate differences: the older nvdimm-cap and the bare "nvdimm" flag
 * of QEMU's own NVDIMM documentation (user-stories.md 6).  QEMU 7.2 has no
 * nvdimm-cap and its -machine parser wants "nvdimm=on".
 */
static void test_machine_pmemvm_only(void)
{
    static const char *const machines[] = {
        "pc,nvdimm=on,nvdimm-cap=2",
        "pc,nvdimm=on,nvdimm-persistence=cpu,nvdimm-cap=3",
        "pc,nvdimm,nvdimm-persistence=cpu",
    };

    accepted_machines(machines, G_N_ELEMENTS(machines),
                      "nvdimm-cap and a bare 'nvdimm' are pmemvm's (QEMU "
                      "docs') forms; QEMU 7.2 refuses them");
}

/* pmem=on with libpmem: accepted (with a warning off DAX). */
static void test_pmem(void)
{
    static const Expected e = { "nv1", 0, 0, 0x400000, 0, "/objects/m1" };
    g_autofree char *out = NULL, *err = NULL;

    run_capture(qtest_binary(), "-version", &out, &err);
    if (!strstr(out, "libpmem support: yes")) {
        g_test_skip("pmemvm is built without libpmem: pmem=on is refused "
                    "(see /nvdimm-options/refused/pmem-without-libpmem)");
        return;
    }
    accepted("@M@ " OBJ_F1 ",share=on,pmem=on -device nvdimm,id=nv1,"
             "memdev=m1", false, &e, 1, NULL);
}

/* ---- how guest memory is mapped ---- */

/*
 * In /proc/PID/smaps, the mapping of exactly @kib KiB: its start address
 * and its VmFlags line; false if there is none.
 */
static bool find_mapping(int pid, uint64_t kib, uint64_t *start,
                         char **flags)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps", pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    uint64_t cur = 0, size = 0;
    int i;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return false;
    }
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        unsigned long long a, b;

        if (sscanf(lines[i], "%llx-%llx ", &a, &b) == 2 &&
            strchr(lines[i], '-') < strchr(lines[i], ' ')) {
            cur = a;
            size = (b - a) / 1024;
        } else if (g_str_has_prefix(lines[i], "VmFlags:") && size == kib) {
            *start = cur;
            *flags = g_strconcat(lines[i] + strlen("VmFlags:"), " ", NULL);
            return true;
        }
    }
    return false;
}

/*
 * Guest RAM, the machine's own (-m) and a memory-backend-ram's, is mapped
 * as QEMU maps it: at a 2 MiB-aligned host address with MADV_HUGEPAGE
 * ("hg"), so that KVM can give the guest 2 MiB pages (each 4 KiB page
 * instead costs KVM a nested page fault, thousands per boot).  Checked on
 * QEMU 7.2 too, where installed.
 */
static void test_ram_mapping(void)
{
    static const struct {
        const char *what;
        uint64_t kib;
    } maps[] = {
        { "-m 512M", 512 * 1024 },
        { "memory-backend-ram size=128M", 128 * 1024 },
    };
    g_autofree char *qemu = qemu_path();
    int v, i;

    for (v = 0; v < (qemu ? 2 : 1); v++) {
        int status = 0;
        g_autofree char *err = NULL;
        QTestState *s = start_may_fail(v == 1, MACHINE " -object "
                                       "memory-backend-ram,id=r1,size=128M",
                                       &status, &err);
        const char *vmm = v ? "QEMU" : "pmemvm";

        g_assert_nonnull(s);
        for (i = 0; i < (int)G_N_ELEMENTS(maps); i++) {
            g_autofree char *flags = NULL;
            uint64_t start = 0;

            if (!find_mapping(qtest_pid(s), maps[i].kib, &start, &flags)) {
                g_error("%s: no %" PRIu64 " KiB mapping for %s in "
                        "/proc/%d/smaps", vmm, maps[i].kib, maps[i].what,
                        qtest_pid(s));
            }
            if (start % (2 * 1024 * 1024)) {
                g_error("%s: %s is mapped at 0x%" PRIx64 ", not 2 MiB "
                        "aligned", vmm, maps[i].what, start);
            }
            if (!strstr(flags, " hg ")) {
                g_error("%s: %s is mapped without MADV_HUGEPAGE (VmFlags:%s)",
                        vmm, maps[i].what, flags);
            }
        }
        qtest_quit(s);
    }
    if (!qemu) {
        g_test_message("QEMU 7.2 is not installed: pmemvm checked alone");
    }
}

/* ---- help, version, options ---- */

/* The "NAME=" words of a "TYPE options:" help text. */
static GHashTable *help_props(const char *text)
{
    GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    int i;

    for (i = 0; lines[i]; i++) {
        const char *l = lines[i];
        const char *eq = strchr(l, '=');

        if (g_str_has_prefix(l, "  ") && eq) {
            g_hash_table_add(set, g_strstrip(g_strndup(l, eq - l)));
        }
    }
    return set;
}

/*
 * Properties pmemvm has and QEMU 7.2 does not, each on purpose.  Nothing
 * else may differ (but QEMU's in qemu_only_props above).
 */
static const struct {
    const char *help;           /* the help request */
    const char *prop;
} pmemvm_only_props[] = {
    /* the label-area guard (docs/system/nvdimm.md) */
    { "-device nvdimm,help", "label-check" },
};

/*
 * Properties QEMU 7.2 lists and pmemvm does not take (refused as unknown,
 * "Property '...' not found"), each with the reason.
 */
#define VPMEM_HELP "-device virtio-pmem-pci,help"
#define NO_PCIE "PCI Express only; pmemvm's pci.0 is conventional PCI (no " \
                "effect on QEMU's pc either)"
#define NO_MIGRATION "a migration compatibility knob; pmemvm has no " \
                     "migration"
#define NO_LEGACY "a legacy (virtio 0.9) feature bit; virtio-pmem-pci is " \
                  "modern-only"
static const struct {
    const char *help, *prop, *why;
} qemu_only_props[] = {
    { VPMEM_HELP, "virtio-backend", "a read-only child link, not an option" },
    { VPMEM_HELP, "modern-pio-notify", "an extra I/O BAR for notifications; "
      "pmemvm notifies through memory (with an ioeventfd)" },
    { VPMEM_HELP, "page-per-vq", "a page per queue notify layout (QEMU's "
      "default is off, as pmemvm's fixed layout)" },
    { VPMEM_HELP, "any_layout", NO_LEGACY },
    { VPMEM_HELP, "notify_on_empty", NO_LEGACY },
    { VPMEM_HELP, "aer", NO_PCIE },
    { VPMEM_HELP, "ats", NO_PCIE },
    { VPMEM_HELP, "x-ats-page-aligned", NO_PCIE },
    { VPMEM_HELP, "x-disable-pcie", NO_PCIE },
    { VPMEM_HELP, "x-pcie-deverr-init", NO_PCIE },
    { VPMEM_HELP, "x-pcie-extcap-init", NO_PCIE },
    { VPMEM_HELP, "x-pcie-flr-init", NO_PCIE },
    { VPMEM_HELP, "x-pcie-lnkctl-init", NO_PCIE },
    { VPMEM_HELP, "x-pcie-lnksta-dllla", NO_PCIE },
    { VPMEM_HELP, "x-pcie-pm-init", NO_PCIE },
    { VPMEM_HELP, "migrate-extra", NO_MIGRATION },
    { VPMEM_HELP, "virtio-pci-bus-master-bug-migration", NO_MIGRATION },
    { VPMEM_HELP, "x-disable-legacy-check", NO_MIGRATION },
    { VPMEM_HELP, "x-ignore-backend-features", NO_MIGRATION },
    { VPMEM_HELP, "use-started", NO_MIGRATION },
    { VPMEM_HELP, "use-disabled-flag", NO_MIGRATION },
};

static const char *qemu_only_prop(const char *help, const char *prop)
{
    int i;

    for (i = 0; i < G_N_ELEMENTS(qemu_only_props); i++) {
        if (!strcmp(qemu_only_props[i].help, help) &&
            !strcmp(qemu_only_props[i].prop, prop)) {
            return qemu_only_props[i].why;
        }
    }
    return NULL;
}

static bool pmemvm_only_prop(const char *help, const char *prop)
{
    int i;

    for (i = 0; i < G_N_ELEMENTS(pmemvm_only_props); i++) {
        if (!strcmp(pmemvm_only_props[i].help, help) &&
            !strcmp(pmemvm_only_props[i].prop, prop)) {
            return true;
        }
    }
    return false;
}

/*
 * "@data" (a help request) lists the same properties as on QEMU, but for
 * the pmemvm-only ones above.
 */
static void test_help_props(gconstpointer data)
{
    const char *args = data;
    g_autofree char *qemu = qemu_path();
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *qout = NULL, *qerr = NULL;
    g_autoptr(GHashTable) mine = NULL, theirs = NULL;
    GHashTableIter it;
    gpointer key;

    g_assert_cmpint(run_capture(qtest_binary(), args, &out, &err), ==, 0);
    mine = help_props(out);
    g_assert_cmpuint(g_hash_table_size(mine), >, 0);
    if (!qemu) {
        g_test_skip(QEMU_NAME " is not installed");
        return;
    }
    g_assert_cmpint(run_capture(qemu, args, &qout, &qerr), ==, 0);
    theirs = help_props(qout);
    g_hash_table_iter_init(&it, theirs);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        /* thread-context objects are QEMU 7.2's; pmemvm has none */
        if (!strcmp(key, "prealloc-context")) {
            continue;
        }
        if (qemu_only_prop(args, key)) {
            g_assert_false(g_hash_table_contains(mine, key));
            g_test_message("QEMU's '%s' is not pmemvm's: %s", (char *)key,
                           qemu_only_prop(args, key));
            continue;
        }
        if (!g_hash_table_contains(mine, key)) {
            g_error("'%s' lists QEMU's property '%s', pmemvm's does not",
                    args, (char *)key);
        }
    }
    g_hash_table_iter_init(&it, mine);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        if (pmemvm_only_prop(args, key)) {
            g_assert_false(g_hash_table_contains(theirs, key));
            continue;
        }
        if (!g_hash_table_contains(theirs, key)) {
            g_error("'%s': pmemvm lists '%s', QEMU does not", args,
                    (char *)key);
        }
    }
}

/*
 * -machine pc,help lists every machine property pmemvm takes (each is
 * accepted by -machine pc,NAME=...), pmemvm's kernel-unpack among them;
 * an unknown type lists the machines, exit 0, as QEMU does.
 */
static void test_machine_help(void)
{
    static const char *const props[] = {
        "nvdimm", "nvdimm-persistence", "nvdimm-cap", "accel", "acpi",
        "memory-backend", "kernel", "initrd", "append", "kernel-unpack",
    };
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GHashTable) mine = NULL;
    unsigned i;

    g_assert_cmpint(run_capture(qtest_binary(), "-machine pc,help", &out,
                                &err), ==, 0);
    g_assert_true(g_str_has_prefix(out, "pc-i440fx-7.2-machine options:"));
    mine = help_props(out);
    for (i = 0; i < G_N_ELEMENTS(props); i++) {
        if (!g_hash_table_contains(mine, props[i])) {
            g_error("-machine pc,help does not list '%s'", props[i]);
        }
    }
    g_assert_nonnull(strstr(out, "(host/guest) (default: host)"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(run_capture(qtest_binary(), "-M q35,?", &out, &err), ==,
                    0);
    g_assert_true(g_str_has_prefix(out, "pc-q35-7.2-machine options:"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(run_capture(qtest_binary(), "-machine foo,help", &out,
                                &err), ==, 0);
    g_assert_true(g_str_has_prefix(out, "Supported machines are:"));
}

static void test_type_lists(void)
{
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(run_capture(qtest_binary(), "-device help", &out, &err),
                    ==, 0);
    g_assert_nonnull(strstr(out, "name \"nvdimm\""));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(run_capture(qtest_binary(), "-object help", &out, &err),
                    ==, 0);
    g_assert_nonnull(strstr(out, "memory-backend-file"));
    g_assert_nonnull(strstr(out, "memory-backend-ram"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(run_capture(qtest_binary(), "-machine help", &out, &err),
                    ==, 0);
    g_assert_nonnull(strstr(out, "pc-i440fx-7.2"));
    g_assert_nonnull(strstr(out, "q35"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(run_capture(qtest_binary(), "-version", &out, &err),
                    ==, 0);
    g_assert_true(g_str_has_prefix(out, "pmemvm version "));
}

/* The quoted names between "@start" and the next "@end" in @src. */
static GPtrArray *source_names(const char *src, const char *start,
                               const char *end)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *p = strstr(src, start);
    const char *stop;

    g_assert_nonnull(p);
    stop = strstr(p, end);
    g_assert_nonnull(stop);
    while ((p = strchr(p, '"')) && p < stop) {
        const char *q = strchr(p + 1, '"');

        g_ptr_array_add(names, g_strndup(p + 1, q - p - 1));
        p = q + 1;
    }
    return names;
}

static bool word_in(const char *text, const char *opt)
{
    g_autofree char *pat = g_strdup_printf("(^|[^-a-z])-%s([^-a-z_]|$)",
                                           opt);

    return g_regex_match_simple(pat, text, G_REGEX_MULTILINE, 0);
}

/*
 * --help stays true: every option system/cmdline.c accepts is in the
 * text, and every option it knows but refuses is refused with a message
 * naming it.
 */
static void test_help_lists_every_option(void)
{
    const char *srcdir = g_getenv("QTEST_SRCDIR");
    g_autofree char *vl = NULL;
    g_autofree char *src = NULL;
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *out2 = NULL, *err2 = NULL;
    g_autoptr(GPtrArray) with_arg = NULL, flags = NULL, refused = NULL;
    guint i;

    if (!srcdir) {
        g_test_skip("QTEST_SRCDIR is not set: cannot read system/cmdline.c");
        return;
    }
    vl = g_build_filename(srcdir, "system", "cmdline.c", NULL);
    g_assert_true(g_file_get_contents(vl, &src, NULL, NULL));
    with_arg = source_names(src, "opts_with_arg[] = {", "NULL");
    flags = source_names(src, "opts_flag[] = {", "NULL");
    refused = source_names(src, "} unsupported_opts[] = {", "};");
    g_assert_cmpuint(with_arg->len, >, 10);
    g_assert_cmpuint(flags->len, >, 5);

    g_assert_cmpint(run_capture(qtest_binary(), "-help", &out, &err), ==, 0);
    g_assert_cmpint(run_capture(qtest_binary(), "--help", &out2, &err2), ==,
                    0);
    g_assert_cmpstr(out, ==, out2);
    for (i = 0; i < with_arg->len + flags->len; i++) {
        const char *opt = i < with_arg->len ?
            g_ptr_array_index(with_arg, i) :
            g_ptr_array_index(flags, i - with_arg->len);
        bool is_refused = false;
        guint j;

        for (j = 0; j < refused->len; j += 2) {
            is_refused |= !strcmp(g_ptr_array_index(refused, j), opt);
        }
        if (!is_refused && !word_in(out, opt)) {
            g_error("pmemvm accepts -%s but --help does not mention it", opt);
        }
    }
    /* unsupported_opts is { "name", "why" } pairs */
    for (i = 0; i < refused->len; i += 2) {
        const char *opt = g_ptr_array_index(refused, i);
        bool has_arg = false;
        g_autofree char *args = NULL, *serr = NULL, *line = NULL;
        g_autofree char *want = NULL;
        guint j;

        for (j = 0; j < with_arg->len; j++) {
            has_arg |= !strcmp(g_ptr_array_index(with_arg, j), opt);
        }
        args = g_strdup_printf("-%s%s", opt, has_arg ? " bogus" : "");
        g_assert_cmpint(qtest_run_expect_fail(args, &serr), ==, 1);
        line = error_line(serr, "pmemvm");
        want = g_strdup_printf("%s: ", args);
        if (!line || !g_str_has_prefix(line, want)) {
            g_error("'%s' is not refused with a message naming it: %s", args,
                    serr);
        }
    }
}

int main(int argc, char **argv)
{
    guint i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autofree char *path = g_strdup_printf("/nvdimm-options/refused/%s",
                                                refused[i].name);
        g_test_add_data_func(path, &refused[i], test_refused);
    }
    g_test_add_func("/nvdimm-options/refused/pmem-without-libpmem",
                   test_pmem_without_libpmem);
    for (i = 0; i < G_N_ELEMENTS(accepted_cases); i++) {
        g_autofree char *path = g_strdup_printf(
            "/nvdimm-options/accepted/%s", accepted_cases[i].name);
        g_test_add_data_func(path, &accepted_cases[i], test_accepted);
    }
    g_test_add_func("/nvdimm-options/accepted/size-suffixes",
                   test_size_suffixes);
    g_test_add_func("/nvdimm-options/accepted/comma-and-bare-flag",
                   test_comma_and_bare_flag);
    g_test_add_func("/nvdimm-options/accepted/machine-properties",
                   test_machine_properties);
    g_test_add_func("/nvdimm-options/accepted/machine-pmemvm-only",
                   test_machine_pmemvm_only);
    g_test_add_func("/nvdimm-options/accepted/pmem", test_pmem);
    g_test_add_func("/nvdimm-options/accepted/ram-mapping", test_ram_mapping);
    g_test_add_data_func("/nvdimm-options/help/device-nvdimm",
                         "-device nvdimm,help", test_help_props);
    g_test_add_data_func("/nvdimm-options/help/object-file",
                         "-object memory-backend-file,help", test_help_props);
    g_test_add_data_func("/nvdimm-options/help/device-virtio-pmem-pci",
                         VPMEM_HELP, test_help_props);
    g_test_add_data_func("/nvdimm-options/help/object-ram",
                         "-object memory-backend-ram,help", test_help_props);
    g_test_add_func("/nvdimm-options/help/type-lists", test_type_lists);
    g_test_add_func("/nvdimm-options/help/machine", test_machine_help);
    g_test_add_func("/nvdimm-options/help/every-option",
                   test_help_lists_every_option);
    return g_test_run();
}
