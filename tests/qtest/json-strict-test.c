/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json-strict: JSON from outside is read as strictly as QEMU 7.2 reads
 * it, through QMP and through the JSON forms of -object and -device
 * (docs/specs/json.md, which tables the same cases).
 *
 * QMP stories send raw bytes on a second QMP monitor and compare every
 * reply line with the one written here (QEMU 7.2's answer, recorded) and,
 * where QEMU 7.2 is installed, with what it answers to the same bytes in
 * this run (/json-strict/qemu/...).  Command-line stories do the same with
 * the error message of a refused -object or -device.
 *
 * On purpose pmemvm differs in one point: a JSON option string holding
 * U+0000 is refused, where QEMU keeps it as the bytes C0 80 and so opens
 * a file whose name the user never wrote (/json-strict/pmemvm/nul/...).
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "libqtest.h"
#include "qtest-util.h"

typedef enum Vmm { PMEMVM, QEMU } Vmm;

/* The machine of the -device stories. */
#define NVDIMM_MACHINE "-machine pc,nvdimm=on -m 512M,slots=2,maxmem=4G " \
                       "-object memory-backend-ram,id=m,size=4M"

/* ---- A raw QMP monitor next to libqtest's ---- */

typedef struct RawMon {
    QTestState *qts;
    char *dir;
    int fd;
    GString *rx;
    unsigned syncs;
} RawMon;

/* Start @vmm with a second QMP monitor and negotiate on it; false: skip. */
static bool rawmon_start(RawMon *m, Vmm vmm, const char *extra)
{
    g_autofree char *path = NULL;
    g_autofree char *args = NULL;
    g_autofree char *greeting = NULL;
    g_autofree char *caps = NULL;
    const char *hello = "{\"execute\": \"qmp_capabilities\"}\n";
    gint64 deadline = peer_deadline_in(qtest_timeout());

    *m = (RawMon) { .fd = -1 };
    m->dir = g_dir_make_tmp("json-strict-XXXXXX", NULL);
    g_assert_nonnull(m->dir);
    path = g_build_filename(m->dir, "raw.sock", NULL);
    args = g_strdup_printf("-chardev socket,id=raw,path=%s,server=on,"
                           "wait=off -mon chardev=raw,mode=control %s",
                           path, extra ? extra : "");
    m->qts = vmm == QEMU ? qemu_qtest_init(args) : qtest_init(args);
    if (!m->qts) {
        remove_dir(m->dir);
        g_free(m->dir);
        return false;
    }
    m->rx = g_string_new(NULL);
    m->fd = peer_connect(path);
    greeting = peer_line(m->fd, m->rx, deadline);
    g_assert_nonnull(greeting);
    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\": "));
    peer_send_all(m->fd, hello, strlen(hello), deadline);
    caps = peer_line(m->fd, m->rx, deadline);
    g_assert_cmpstr(caps, ==, "{\"return\": {}}");
    return true;
}

static void rawmon_stop(RawMon *m)
{
    close(m->fd);
    qtest_quit(m->qts);
    g_string_free(m->rx, TRUE);
    remove_dir(m->dir);
    g_free(m->dir);
}

/*
 * Send @len bytes, then a request that cannot fail to parse; the reply
 * lines before the latter's, '\n'-joined (g_free).
 */
static char *rawmon_exchange(RawMon *m, const char *in, size_t len)
{
    g_autofree char *sync = g_strdup_printf(
        "{\"execute\": \"x-json-sync\", \"id\": \"sync-%u\"}\n", ++m->syncs);
    g_autofree char *mark = g_strdup_printf("\"sync-%u\"", m->syncs);
    gint64 deadline = peer_deadline_in(qtest_timeout());
    g_autoptr(GString) out = g_string_new(NULL);

    peer_send_all(m->fd, in, len, deadline);
    peer_send_all(m->fd, sync, strlen(sync), deadline);
    for (;;) {
        g_autofree char *line = peer_line(m->fd, m->rx, deadline);

        if (!line) {
            g_error("no reply to the request after %zu bytes of input "
                    "(%.80s...): replies so far:\n%s", len, in, out->str);
        }
        if (strstr(line, mark)) {
            break;
        }
        g_string_append_printf(out, "%s%s", out->len ? "\n" : "", line);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- QMP stories ---- */

typedef struct QmpCase {
    const char *name;
    const char *in;
    size_t len;             /* of @in, which may hold NUL bytes */
    const char *out;        /* reply lines, '\n'-joined */
} QmpCase;

#define IN(s) s, sizeof(s) - 1
#define NOT_FOUND(cmd) "\"error\": {\"class\": \"CommandNotFound\", " \
    "\"desc\": \"The command " cmd " has not been found\"}}"
#define ID_NOT_FOUND(id) "{\"id\": " id ", " NOT_FOUND("x-nope")
#define PARSE_ERROR(what) "{\"error\": {\"class\": \"GenericError\", " \
    "\"desc\": \"JSON parse error, " what "\"}}"
#define EXPECTING_VALUE PARSE_ERROR("expecting value")
#define NOT_AN_OBJECT "{\"error\": {\"class\": \"GenericError\", " \
    "\"desc\": \"QMP input must be a JSON object\"}}"
#define LIMIT(what) "{\"error\": {\"class\": \"GenericError\", " \
    "\"desc\": \"JSON " what " limit exceeded\"}}"

static const QmpCase qmp_cases[] = {
    /* a \u0000 is part of the name, not its end: nothing quits */
    { "nul-in-command", IN("{\"execute\": \"quit\\u0000-not-really\"}\n"),
      "{" NOT_FOUND("quit\\u0000-not-really") },
    { "nul-raw-c0-80", IN("{\"execute\": \"x-nope\", \"id\": \"\xc0\x80\"}"),
      ID_NOT_FOUND("\"\\u0000\"") },
    { "duplicate-key", IN("{\"execute\": \"x-nope\", \"id\": 1, \"id\": 2}"),
      PARSE_ERROR("duplicate key") },
    { "duplicate-key-nested", IN("{\"execute\": \"x-nope\", \"arguments\": "
                                 "{\"a\": {\"b\": 1, \"b\": 1}}}"),
      PARSE_ERROR("duplicate key") },
    { "int64-max", IN("{\"execute\": \"x-nope\", \"id\": "
                      "9223372036854775807}"),
      ID_NOT_FOUND("9223372036854775807") },
    { "uint64-min", IN("{\"execute\": \"x-nope\", \"id\": "
                       "9223372036854775808}"),
      ID_NOT_FOUND("9223372036854775808") },
    { "uint64-max", IN("{\"execute\": \"x-nope\", \"id\": "
                       "18446744073709551615}"),
      ID_NOT_FOUND("18446744073709551615") },
    { "beyond-uint64", IN("{\"execute\": \"x-nope\", \"id\": "
                          "18446744073709551616}"),
      ID_NOT_FOUND("1.8446744073709552e+19") },
    { "below-int64", IN("{\"execute\": \"x-nope\", \"id\": "
                        "-9223372036854775809}"),
      ID_NOT_FOUND("-9.2233720368547758e+18") },
    { "double-overflow", IN("{\"execute\": \"x-nope\", \"id\": 1e400}"),
      ID_NOT_FOUND("inf") },
    { "minus-zero", IN("{\"execute\": \"x-nope\", \"id\": [-0, -0.0]}"),
      ID_NOT_FOUND("[0, -0]") },
    { "doubles", IN("{\"execute\": \"x-nope\", \"id\": [1.5e3, 0.1, 1e17]}"),
      ID_NOT_FOUND("[1500, 0.10000000000000001, 1e+17]") },
    { "leading-zero", IN("{\"execute\": \"x-nope\", \"id\": 01}"),
      PARSE_ERROR("stray '01'") "\n" EXPECTING_VALUE },
    { "nan", IN("{\"execute\": \"x-nope\", \"id\": NaN}"),
      PARSE_ERROR("stray 'N'") "\n" EXPECTING_VALUE },
    { "hex", IN("{\"execute\": \"x-nope\", \"id\": 0x10}"),
      PARSE_ERROR("expected separator in dict") },
    { "bad-exponent", IN("{\"execute\": \"x-nope\", \"id\": 1e+}"),
      PARSE_ERROR("stray '1e+}'") },
    { "invalid-escape", IN("{\"execute\": \"quer\\y\"}"),
      PARSE_ERROR("invalid escape sequence in string") },
    { "escapes", IN("{\"execute\": \"x-nope\", \"id\": "
                    "\"\\/\\b\\f\\n\\r\\t\\'\\\"\\\\\\u0041\"}"),
      ID_NOT_FOUND("\"/\\b\\f\\n\\r\\t'\\\"\\\\A\"") },
    { "surrogate-pair", IN("{\"execute\": \"x-nope\", \"id\": "
                           "\"\\uD83D\\uDE00\"}"),
      ID_NOT_FOUND("\"\\uD83D\\uDE00\"") },
    { "lone-surrogate", IN("{\"execute\": \"x-nope\", \"id\": \"\\ud83d\"}"),
      PARSE_ERROR("\\\\ud83d is not a valid Unicode character") },
    { "noncharacter", IN("{\"execute\": \"x-nope\", \"id\": \"\\uFFFF\"}"),
      PARSE_ERROR("\\\\uFFFF is not a valid Unicode character") },
    { "short-unicode-escape", IN("{\"execute\": \"x-nope\", \"id\": "
                                 "\"\\u12\"}"),
      PARSE_ERROR("\\\\u12\\\" is not a valid Unicode character") },
    { "invalid-utf8", IN("{\"execute\": \"x-nope\", \"id\": \"\xc3\x28\"}"),
      PARSE_ERROR("invalid UTF-8 sequence in string") },
    { "encoded-surrogate", IN("{\"execute\": \"x-nope\", \"id\": "
                              "\"\xed\xa0\x80\"}"),
      PARSE_ERROR("invalid UTF-8 sequence in string") },
    { "utf8", IN("{\"execute\": \"x-nope\", \"id\": "
                 "\"\xc3\xa9\xf0\x9f\x98\x80\x7f\"}"),
      ID_NOT_FOUND("\"\\u00E9\\uD83D\\uDE00\\u007F\"") },
    { "control-character", IN("{\"execute\": \"x-nope\", \"id\": \"a\x01"
                              "b\"}"),
      PARSE_ERROR("stray '\\\"a\\u0001'") "\n" EXPECTING_VALUE },
    { "unterminated-line", IN("{\"execute\": \"x-nope\", \"id\": \"abc\n"
                              "{\"execute\": \"x-nope\", \"id\": 6}"),
      PARSE_ERROR("stray '\\\"abc\\n'") "\n" ID_NOT_FOUND("6") },
    { "single-quotes", IN("{'execute': 'x-nope', 'id': 'it\\'s \"q\"'}"),
      ID_NOT_FOUND("\"it's \\\"q\\\"\"") },
    { "percent", IN("{\"execute\": \"x-nope\", \"id\": [\"%d\", %d]}"),
      PARSE_ERROR("stray '%'") "\n" EXPECTING_VALUE "\n" EXPECTING_VALUE },
    { "comment", IN("{\"execute\": \"x-nope\", \"id\": /* c */ 1}"),
      PARSE_ERROR("stray '/'") "\n" EXPECTING_VALUE },
    { "keyword", IN("{\"execute\": \"x-nope\", \"id\": truex}"),
      PARSE_ERROR("invalid keyword 'truex'") },
    { "trailing-garbage", IN("{\"execute\": \"x-nope\"} garbage\n"),
      "{" NOT_FOUND("x-nope") "\n" PARSE_ERROR("invalid keyword 'garbage'") },
    { "scalars", IN("1 [2] \"s\" null\n"),
      NOT_AN_OBJECT "\n" NOT_AN_OBJECT "\n" NOT_AN_OBJECT "\n"
      NOT_AN_OBJECT },
    { "stray-closers", IN("} ] : ,\n"),
      EXPECTING_VALUE "\n" EXPECTING_VALUE "\n" EXPECTING_VALUE "\n"
      EXPECTING_VALUE },
    { "mismatched-brackets", IN("[}{]"),
      EXPECTING_VALUE "\n" EXPECTING_VALUE },
    { "trailing-comma", IN("{\"execute\": \"x-nope\", \"id\": [1,]}"),
      EXPECTING_VALUE },
    { "missing-colon", IN("{\"execute\" \"x-nope\"}"),
      PARSE_ERROR("missing : in object pair") },
    { "key-not-string", IN("{1: 2}"),
      PARSE_ERROR("key is not a string in object") },
    /* bytes that resynchronize the stream (docs/specs/json.md) */
    { "resync-ff", IN("\xff{\"execute\": \"x-nope\", \"id\": 5}"),
      PARSE_ERROR("stray '\\uFFFD'") "\n" ID_NOT_FOUND("5") },
    { "resync-nul", IN("\0{\"execute\": \"x-nope\", \"id\": 7}"),
      PARSE_ERROR("stray ''") "\n" ID_NOT_FOUND("7") },
    { "ff-in-string", IN("{\"execute\": \"x-nope\", \"id\": \"a\xff"
                         "b\"}"),
      PARSE_ERROR("stray '\\\"a\\uFFFD'") "\n" EXPECTING_VALUE },
    { "two-in-one-write", IN("{\"execute\": \"x-nope\", \"id\": 9}"
                             "{\"execute\": \"x-nope\", \"id\": 10}"),
      ID_NOT_FOUND("9") "\n" ID_NOT_FOUND("10") },
};

/* @out must be @expect; else say where they part (both may be long). */
static void check_replies(const char *name, const char *out,
                          const char *expect)
{
    g_auto(GStrv) got = g_strsplit(out, "\n", -1);
    g_auto(GStrv) want = g_strsplit(expect, "\n", -1);
    guint i;

    for (i = 0; got[i] && want[i]; i++) {
        if (strcmp(got[i], want[i])) {
            g_error("%s: reply %u is\n%.300s\nnot\n%.300s", name, i + 1,
                    got[i], want[i]);
        }
    }
    if (got[i] || want[i]) {
        g_error("%s: %u replies, not %u", name, g_strv_length(got),
                g_strv_length(want));
    }
}

/* Send @len bytes of @in; the replies must be @expect. */
static void expect_replies(RawMon *m, const char *name, const char *in,
                           size_t len, const char *expect)
{
    g_autofree char *out = rawmon_exchange(m, in, len);

    check_replies(name, out, expect);
}

static void check_qmp_case(RawMon *m, const QmpCase *c)
{
    expect_replies(m, c->name, c->in, c->len, c->out);
}

static void story_qmp_cases(Vmm vmm)
{
    RawMon m;

    if (!rawmon_start(&m, vmm, NULL)) {
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_cases); i++) {
        check_qmp_case(&m, &qmp_cases[i]);
    }
    /* the first case would have quit a lax VMM */
    g_assert_true(qtest_probe_child(m.qts));
    rawmon_stop(&m);
}

/* @n copies of @s. */
static char *repeat(const char *s, size_t n)
{
    GString *out = g_string_sized_new(strlen(s) * n);

    for (size_t i = 0; i < n; i++) {
        g_string_append(out, s);
    }
    return g_string_free(out, FALSE);
}

/* At most 1024 brackets and braces open at once. */
static void story_qmp_nesting(Vmm vmm)
{
    /* with the request's '{': 1024 open, then 1025 */
    g_autofree char *open_ok = repeat("[", 1023);
    g_autofree char *close_ok = repeat("]", 1023);
    g_autofree char *id_ok = g_strdup_printf("%s%s", open_ok, close_ok);
    g_autofree char *deep = g_strdup_printf(
        "{\"execute\": \"x-nope\", \"id\": %s}", id_ok);
    g_autofree char *deep_out = g_strdup_printf(ID_NOT_FOUND("%s"), id_ok);
    g_autofree char *too_deep = g_strdup_printf(
        "{\"execute\": \"x-nope\", \"id\": [%s]}", id_ok);
    g_autoptr(GString) expect = g_string_new(LIMIT("nesting depth"));
    RawMon m;

    if (!rawmon_start(&m, vmm, NULL)) {
        return;
    }
    expect_replies(&m, "1024 deep", deep, strlen(deep), deep_out);
    /* the 1025th opener ends the value; each closer left is an error */
    for (int i = 0; i < 1024 + 1; i++) {
        g_string_append(expect, "\n" EXPECTING_VALUE);
    }
    expect_replies(&m, "1025 deep", too_deep, strlen(too_deep), expect->str);
    rawmon_stop(&m);
}

/*
 * QEMU 7.2's QMP monitor reads one byte per main loop turn, so megabytes
 * of input take it minutes: the limit stories run on pmemvm only, with
 * the answers QEMU gave by hand (token count) or its source implies
 * (token size), docs/specs/json.md.
 */
static bool skip_big_input(Vmm vmm)
{
    if (vmm == QEMU) {
        g_test_skip("QEMU 7.2 reads QMP a byte at a time: too slow for "
                    "megabytes of input");
        return true;
    }
    return false;
}

/* At most 2 Mi tokens per value. */
static void story_qmp_token_count(Vmm vmm)
{
    g_autofree char *ones = repeat("1,", 1048574);
    /* 1 + 2 * 1048574 + 3 = 2097152 tokens */
    g_autofree char *most = g_strdup_printf("[%s{}]", ones);
    /* 2097153 tokens: the last ']' breaks the limit */
    g_autofree char *over = g_strdup_printf("[%s1,1]", ones);
    RawMon m;

    if (skip_big_input(vmm) || !rawmon_start(&m, vmm, NULL)) {
        return;
    }
    expect_replies(&m, "most", most, strlen(most), NOT_AN_OBJECT);
    expect_replies(&m, "over", over, strlen(over), LIMIT("token count"));
    rawmon_stop(&m);
}

/* "s" of @len bytes, quotes included, then @tail. */
static char *long_string(size_t len, const char *tail)
{
    GString *s = g_string_sized_new(len + strlen(tail) + 1);

    g_string_append_c(s, '"');
    for (size_t i = 2; i < len; i++) {
        g_string_append_c(s, 'a');
    }
    g_string_append_c(s, '"');
    g_string_append(s, tail);
    return g_string_free(s, FALSE);
}

/* At most 64 MiB of tokens per value; a longer token is cut. */
static void story_qmp_token_size(Vmm vmm)
{
    g_autofree char *most = long_string(64 * MiB - 1, "\n");
    g_autofree char *over = long_string(64 * MiB, "\n");
    /* the lexer gives up 64 MiB + 1 bytes in, then reads on */
    g_autofree char *huge = long_string(64 * MiB + 12, "\n");
    RawMon m;

    if (skip_big_input(vmm) || !rawmon_start(&m, vmm, NULL)) {
        return;
    }
    expect_replies(&m, "most", most, strlen(most), NOT_AN_OBJECT);
    expect_replies(&m, "over", over, strlen(over), LIMIT("token size"));
    expect_replies(&m, "huge", huge, strlen(huge),
                   LIMIT("token size") "\n"
                   PARSE_ERROR("invalid keyword 'aaaaaaaaaa'") "\n"
                   PARSE_ERROR("stray '\\\"\\n'"));
    rawmon_stop(&m);
}

/* ---- Command-line stories ---- */

typedef struct CliCase {
    const char *name;
    const char *machine;    /* options before it, or NULL */
    const char *opt;        /* "-object", "-device" */
    const char *json;
    const char *msg;        /* after "PROG: OPT JSON: " */
} CliCase;

static const CliCase cli_cases[] = {
    { "duplicate-key", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":1,"
      "\"size\":2}", "JSON parse error, duplicate key" },
    { "invalid-escape", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":\"\\y\"}",
      "JSON parse error, invalid escape sequence in string" },
    { "leading-zero", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":01}",
      "JSON parse error, stray '01'" },
    { "lone-surrogate", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"\\uDC00\","
      "\"size\":4096}",
      "JSON parse error, \\uDC00 is not a valid Unicode character" },
    { "percent", NULL, "-object",
      "{'qom-type':'memory-backend-ram','id':'m','size':%d}",
      "JSON parse error, stray '%'" },
    { "unterminated", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":4096",
      "JSON parse error, premature EOI" },
    { "unterminated-string", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m",
      "JSON parse error, stray '\"m'" },
    { "second-value", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":4096} x",
      "Expecting at most one JSON value" },
    { "stray-closer", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":4096}}",
      "Expecting at most one JSON value" },
    { "size-beyond-uint64", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\","
      "\"size\":18446744073709551616}", "Parameter 'size' expects uint64" },
    { "size-double", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":4096.0}",
      "Parameter 'size' expects uint64" },
    { "uint32-from-uint64", NULL, "-object",
      "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m\",\"size\":4096,"
      "\"prealloc-threads\":9223372036854775808}",
      "Parameter 'prealloc-threads' expects uint32_t" },
    { "int32-from-uint64", NVDIMM_MACHINE, "-device",
      "{\"driver\":\"nvdimm\",\"id\":\"nv\",\"memdev\":\"m\","
      "\"slot\":9223372036854775808}",
      "Invalid parameter type for 'slot', expected: integer" },
    { "uint64-exact", NVDIMM_MACHINE, "-device",
      "{\"driver\":\"nvdimm\",\"id\":\"nv\",\"memdev\":\"m\","
      "\"label-size\":18446744073709551615}",
      "the size of memdev m (0x400000) is too small to contain nvdimm label "
      "(0xffffffffffffffff) and aligned PMEM (0x200000)" },
};

/* Run @vmm on the case; its message after "PROG: OPT JSON: " (g_free). */
static char *run_refused(Vmm vmm, const CliCase *c)
{
    g_autofree char *quoted = g_shell_quote(c->json);
    g_autofree char *args = g_strdup_printf("%s %s %s", c->machine ?: "",
                                            c->opt, quoted);
    g_autofree char *loc = g_strdup_printf("%s %s: ", c->opt, c->json);
    g_autofree char *err = NULL;
    g_autofree char *line = NULL;
    bool started = false;
    int status;

    if (vmm == QEMU) {
        status = qemu_probe(args, &started, &err, NULL);
        line = error_line(err, QEMU_NAME);
    } else {
        g_autofree char *full = g_strdup_printf("-accel qtest -qtest null %s",
                                                args);

        status = qtest_run_expect_fail(full, &err);
        line = error_line(err, "pmemvm");
    }
    if (status != 1 || !line || !g_str_has_prefix(line, loc)) {
        g_error("%s: exit status %d (started: %d), stderr:\n%s", c->name,
                status, started, err);
    }
    return g_strdup(line + strlen(loc));
}

static void story_cli_cases(Vmm vmm)
{
    g_autofree char *qemu = qemu_path();

    if (vmm == QEMU && !qemu) {
        g_test_skip(QEMU_NAME " (QEMU 7.2) is not installed");
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cli_cases); i++) {
        g_autofree char *msg = run_refused(vmm, &cli_cases[i]);

        if (strcmp(msg, cli_cases[i].msg)) {
            g_error("%s: says \"%s\", expected \"%s\"", cli_cases[i].name,
                    msg, cli_cases[i].msg);
        }
    }
}

/* QEMU's single quotes are accepted, mixed with double ones. */
static void story_cli_accepted(Vmm vmm)
{
    static const char json[] =
        "{'qom-type': 'memory\\u002dbackend-ram', \"id\": 'm', 'size': 4096}";
    g_autofree char *quoted = g_shell_quote(json);
    g_autofree char *args = g_strdup_printf("-object %s", quoted);
    g_autofree char *err = NULL;
    bool started = false;
    QTestState *qts;

    if (vmm == QEMU) {
        g_autofree char *qemu = qemu_path();

        if (!qemu) {
            g_test_skip(QEMU_NAME " (QEMU 7.2) is not installed");
            return;
        }
        g_assert_cmpint(qemu_probe(args, &started, &err, NULL), ==, 0);
        g_assert_true(started);
        return;
    }
    qts = qtest_init(args);
    qtest_quit(qts);
}

/* ---- U+0000 in an option string: refused, nothing opened ---- */

/* A 4 MiB file of random bytes and its contents. */
static char *make_victim(const char *dir, GBytes **contents)
{
    char *path = g_build_filename(dir, "victim", NULL);
    g_autofree guint32 *buf = g_new(guint32, MiB);

    for (size_t i = 0; i < MiB; i++) {
        buf[i] = g_random_int();
    }
    g_assert_true(g_file_set_contents(path, (char *)buf, 4 * MiB, NULL));
    *contents = g_bytes_new(buf, 4 * MiB);
    return path;
}

/* The victim is as it was and is the only file in @dir. */
static void check_victim(const char *dir, const char *victim,
                         GBytes *contents)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autofree char *data = NULL;
    const char *name;
    gsize len;

    g_assert_true(g_file_get_contents(victim, &data, &len, NULL));
    g_assert_cmpuint(len, ==, g_bytes_get_size(contents));
    g_assert_true(memcmp(data, g_bytes_get_data(contents, NULL), len) == 0);
    while ((name = g_dir_read_name(d))) {
        g_assert_cmpstr(name, ==, "victim");
    }
}

static char *victim_object_json(const char *dir)
{
    return g_strdup_printf("{\"qom-type\":\"memory-backend-file\","
                           "\"id\":\"m\",\"size\":4194304,\"share\":true,"
                           "\"mem-path\":\"%s/victim\\u0000.img\"}", dir);
}

/* -object with mem-path ".../victim\u0000.img": refused at start-up. */
static void test_nul_object_cli(void)
{
    g_autofree char *dir = g_dir_make_tmp("json-strict-XXXXXX", NULL);
    g_autoptr(GBytes) contents = NULL;
    g_autofree char *victim = make_victim(dir, &contents);
    g_autofree char *json = victim_object_json(dir);
    g_autofree char *quoted = g_shell_quote(json);
    g_autofree char *args = g_strdup_printf(
        "-accel qtest -qtest null -machine pc,nvdimm=on "
        "-m 512M,slots=2,maxmem=4G -object %s -device nvdimm,id=nv,memdev=m",
        quoted);
    g_autofree char *expect = g_strdup_printf(
        "-object %s: Parameter 'mem-path' must not contain a NUL character "
        "(\\u0000)", json);
    g_autofree char *err = NULL;
    g_autofree char *line = NULL;

    g_assert_cmpint(qtest_run_expect_fail(args, &err), ==, 1);
    line = error_line(err, "pmemvm");
    g_assert_cmpstr(line, ==, expect);
    check_victim(dir, victim, contents);
    remove_dir(dir);
}

/* The same through QMP object-add: refused, pmemvm maps nothing. */
static void test_nul_object_add(void)
{
    g_autofree char *dir = g_dir_make_tmp("json-strict-XXXXXX", NULL);
    g_autoptr(GBytes) contents = NULL;
    g_autofree char *victim = make_victim(dir, &contents);
    g_autofree char *json = victim_object_json(dir);
    g_autofree char *request = g_strdup_printf(
        "{\"execute\": \"object-add\", \"arguments\": %s}\n", json);
    g_autofree char *maps_path = NULL;
    g_autofree char *maps = NULL;
    RawMon m;

    rawmon_start(&m, PMEMVM, NULL);
    expect_replies(&m, "object-add", request, strlen(request),
                   "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                   "\"Parameter 'mem-path' must not contain a NUL character "
                   "(\\\\u0000)\"}}");
    maps_path = g_strdup_printf("/proc/%d/maps", qtest_pid(m.qts));
    g_assert_true(g_file_get_contents(maps_path, &maps, NULL, NULL));
    g_assert_null(strstr(maps, victim));
    rawmon_stop(&m);
    check_victim(dir, victim, contents);
    remove_dir(dir);
}

/* ---- Registration ---- */

typedef struct Story {
    const char *name;
    void (*run)(Vmm vmm);
} Story;

static const Story stories[] = {
    { "qmp/cases", story_qmp_cases },
    { "qmp/nesting", story_qmp_nesting },
    { "qmp/token-count", story_qmp_token_count },
    { "qmp/token-size", story_qmp_token_size },
    { "cli/refused", story_cli_cases },
    { "cli/accepted", story_cli_accepted },
};

static void run_pmemvm(gconstpointer data)
{
    ((const Story *)data)->run(PMEMVM);
}

static void run_qemu(gconstpointer data)
{
    ((const Story *)data)->run(QEMU);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_unsetenv("QTEST_QEMU_BINARY");
    for (size_t i = 0; i < G_N_ELEMENTS(stories); i++) {
        g_autofree char *ours = g_strdup_printf("/json-strict/pmemvm/%s",
                                                stories[i].name);
        g_autofree char *theirs = g_strdup_printf("/json-strict/qemu/%s",
                                                  stories[i].name);

        g_test_add_data_func(ours, &stories[i], run_pmemvm);
        g_test_add_data_func(theirs, &stories[i], run_qemu);
    }
    g_test_add_func("/json-strict/pmemvm/nul/object-cli",
                    test_nul_object_cli);
    g_test_add_func("/json-strict/pmemvm/nul/object-add",
                    test_nul_object_add);
    return g_test_run();
}
