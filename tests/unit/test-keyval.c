/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for option lists in key=value and JSON form (util/keyval.c).
 */
#include "qemu/osdep.h"
#include "qemu/option.h"

/*
 * Check that @opts holds exactly the pairs in @expected, in order:
 * a NULL-terminated array of alternating keys and values.
 */
static void check_opts(const QemuOpts *opts, const char *const *expected)
{
    guint n = 0;

    g_assert_nonnull(opts);
    while (expected[2 * n]) {
        const QemuOpt *opt;

        g_assert_cmpuint(n, <, opts->list->len);
        opt = g_ptr_array_index(opts->list, n);
        g_assert_cmpstr(opt->key, ==, expected[2 * n]);
        g_assert_cmpstr(opt->value, ==, expected[2 * n + 1]);
        n++;
    }
    g_assert_cmpuint(opts->list->len, ==, n);
}

static void check_keyval(const char *params, const char *implied,
                         const char *const *expected)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) opts = keyval_parse(params, implied, &err);

    if (err) {
        g_error("keyval_parse(\"%s\") failed: %s", params,
                error_get_pretty(err));
    }
    check_opts(opts, expected);
}

/* Expect failure; the message must contain @needle. */
static void check_keyval_bad(const char *params, const char *implied,
                             const char *needle)
{
    Error *err = NULL;
    QemuOpts *opts = keyval_parse(params, implied, &err);

    if (opts) {
        g_autofree char *str = qemu_opts_to_string(opts);

        g_error("keyval_parse(\"%s\") accepted: %s", params, str);
    }
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), needle));
    error_free(err);
}

static void check_json(const char *json, const char *const *expected)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) opts = json_opts_parse(json, &err);

    if (err) {
        g_error("json_opts_parse(%s) failed: %s", json,
                error_get_pretty(err));
    }
    check_opts(opts, expected);
}

/* @json parses; its member @key has @value and @kind. */
static void check_json_kind(const char *json, const char *key,
                            const char *value, QemuOptKind kind)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) opts = json_opts_parse(json, &err);
    guint i;

    if (err) {
        g_error("json_opts_parse(%s) failed: %s", json,
                error_get_pretty(err));
    }
    for (i = 0; i < opts->list->len; i++) {
        const QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->key, key)) {
            g_assert_cmpstr(o->value, ==, value);
            g_assert_cmpint(o->kind, ==, kind);
            return;
        }
    }
    g_error("json_opts_parse(%s): no member '%s'", json, key);
}

static void check_json_bad(const char *json, const char *needle)
{
    Error *err = NULL;
    QemuOpts *opts = json_opts_parse(json, &err);

    if (opts) {
        g_autofree char *str = qemu_opts_to_string(opts);

        g_error("json_opts_parse(%s) accepted: %s", json, str);
    }
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), needle)) {
        g_error("json_opts_parse(%s): message \"%s\" lacks \"%s\"", json,
                error_get_pretty(err), needle);
    }
    error_free(err);
}

#define PAIRS(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define NO_PAIRS ((const char *const[]) { NULL })

static void test_opts_api(void)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    g_autofree char *str = NULL;

    g_assert_cmpuint(opts->list->len, ==, 0);
    g_assert_null(qemu_opts_get(opts, "a"));
    g_assert_false(qemu_opts_del(opts, "a"));

    qemu_opts_set(opts, "a", "1");
    qemu_opts_set(opts, "b", "2");
    qemu_opts_set(opts, "a", "3");
    g_assert_cmpuint(opts->list->len, ==, 3);
    g_assert_cmpstr(qemu_opts_get(opts, "a"), ==, "3");
    g_assert_cmpstr(qemu_opts_get(opts, "b"), ==, "2");
    g_assert_null(qemu_opts_get(opts, "A"));
    check_opts(opts, PAIRS("a", "1", "b", "2", "a", "3"));

    g_assert_true(qemu_opts_del(opts, "a"));
    check_opts(opts, PAIRS("b", "2"));
    g_assert_null(qemu_opts_get(opts, "a"));
    g_assert_false(qemu_opts_del(opts, "a"));

    qemu_opts_set(opts, "c", "");
    g_assert_cmpstr(qemu_opts_get(opts, "c"), ==, "");
    str = qemu_opts_to_string(opts);
    g_assert_cmpstr(str, ==, "b=2,c=");

    /* Freeing NULL is harmless. */
    qemu_opts_free(NULL);
}

static void test_keyval_implied(void)
{
    check_keyval("pc", "type", PAIRS("type", "pc"));
    check_keyval("pc,accel=kvm", "type", PAIRS("type", "pc", "accel", "kvm"));
    check_keyval("512M", "size", PAIRS("size", "512M"));
    /* The implied value may contain ",," and, after that, '=' */
    check_keyval("a,,b", "type", PAIRS("type", "a,b"));
    check_keyval("a,,b=c,d=e", "type", PAIRS("type", "a,b=c", "d", "e"));
    check_keyval("/x/y.img,if=none", "file",
                 PAIRS("file", "/x/y.img", "if", "none"));
    /* A first item with '=' is not the implied key */
    check_keyval("type=q35,accel=tcg", "type",
                 PAIRS("type", "q35", "accel", "tcg"));
    check_keyval("accel=kvm", "type", PAIRS("accel", "kvm"));
    /* Only the first item can be implied */
    check_keyval("pc,share", "type", PAIRS("type", "pc", "share", "on"));
    /* Without an implied key the first bare item is a flag */
    check_keyval("share,a=1", NULL, PAIRS("share", "on", "a", "1"));
    /* An empty leading item gives the implied key an empty value */
    check_keyval(",a=1", "type", PAIRS("type", "", "a", "1"));
    /* Later items never use the implied key */
    check_keyval_bad("pc,q/35", "type", "'q/35'");
}

static void test_keyval_escapes(void)
{
    check_keyval("mem-path=/a,,b", NULL, PAIRS("mem-path", "/a,b"));
    check_keyval("mem-path=/a,,b,size=1G", NULL,
                 PAIRS("mem-path", "/a,b", "size", "1G"));
    check_keyval("a=,,", NULL, PAIRS("a", ","));
    check_keyval("a=,,,,", NULL, PAIRS("a", ",,"));
    check_keyval("a=x,,,b=y", NULL, PAIRS("a", "x,", "b", "y"));
    check_keyval("a=,,x,,,,y", NULL, PAIRS("a", ",x,,y"));
    check_keyval("a=1,,,,b", NULL, PAIRS("a", "1,,b"));
    /* '=' in a value after the first one */
    check_keyval("append=console=ttyS0 root=/dev/vda", NULL,
                 PAIRS("append", "console=ttyS0 root=/dev/vda"));
    check_keyval("a==", NULL, PAIRS("a", "="));
    check_keyval("a=b=c=d,e=f", NULL, PAIRS("a", "b=c=d", "e", "f"));
    /* Empty values */
    check_keyval("a=", NULL, PAIRS("a", ""));
    check_keyval("a=,b=", NULL, PAIRS("a", "", "b", ""));
    /* Other punctuation is kept verbatim */
    check_keyval("p=a b;c\"d'e", NULL, PAIRS("p", "a b;c\"d'e"));
}

static void test_keyval_flags(void)
{
    check_keyval("share", NULL, PAIRS("share", "on"));
    check_keyval("a=1,share", NULL, PAIRS("a", "1", "share", "on"));
    check_keyval("a=1,share,b=2", NULL,
                 PAIRS("a", "1", "share", "on", "b", "2"));
    /* No "no" prefix magic: "noshare" is a flag of its own */
    check_keyval("noshare", NULL, PAIRS("noshare", "on"));
    /* Explicit booleans are kept as written */
    check_keyval("share=off,pmem=on,x=yes,y=false", NULL,
                 PAIRS("share", "off", "pmem", "on", "x", "yes",
                       "y", "false"));
}

static void test_keyval_empty(void)
{
    check_keyval("", NULL, NO_PAIRS);
    check_keyval("", "type", NO_PAIRS);
    check_keyval(NULL, NULL, NO_PAIRS);
    /* A single trailing comma is ignored, as QemuOpts does */
    check_keyval("a=1,", NULL, PAIRS("a", "1"));
    check_keyval("pc,", "type", PAIRS("type", "pc"));
    check_keyval("share,", NULL, PAIRS("share", "on"));
    /* ... but ",," at the end is an escaped comma */
    check_keyval("a=1,,", NULL, PAIRS("a", "1,"));
    /* Empty items elsewhere have no name */
    check_keyval_bad(",", NULL, "Empty parameter name");
    check_keyval_bad(",a=1", NULL, "Empty parameter name");
    check_keyval_bad("a=1,,,=2", NULL, "Empty parameter name");
    check_keyval_bad("share,,b=1", NULL, "Empty parameter name");
    check_keyval_bad("=1", NULL, "Empty parameter name");
    check_keyval_bad("a=1,=2", NULL, "Empty parameter name");
    check_keyval("pc,,", "type", PAIRS("type", "pc,"));
}

static void test_keyval_names(void)
{
    check_keyval("A-z_0.9=x", NULL, PAIRS("A-z_0.9", "x"));
    check_keyval("node.0.id=a", NULL, PAIRS("node.0.id", "a"));
    check_keyval_bad("a b=1", NULL, "'a b'");
    check_keyval_bad("a=1,b c=2", NULL, "'b c'");
    check_keyval_bad("a=1,b/c", NULL, "'b/c'");
    check_keyval_bad("a=1,é=2", NULL, "Invalid parameter name");
    check_keyval_bad("a:b=1", NULL, "'a:b'");
    check_keyval_bad("{a=1", NULL, "'{a'");
    /* The message names the offending text */
    check_keyval_bad("x=1,b@d=2", NULL, "x=1,b@d=2");
}

static void test_keyval_duplicates(void)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) opts = keyval_parse("a=1,b=2,a=3", NULL, &err);

    g_assert_null(err);
    check_opts(opts, PAIRS("a", "1", "b", "2", "a", "3"));
    g_assert_cmpstr(qemu_opts_get(opts, "a"), ==, "3");
    g_assert_cmpstr(qemu_opts_get(opts, "b"), ==, "2");
}

/* Fragments of real command lines that put NVDIMMs into a guest. */
static void test_keyval_real(void)
{
    check_keyval("memory-backend-file,id=mem1,share,mem-path=/vm/f27nvdimm0,"
                 "size=4G", "qom-type",
                 PAIRS("qom-type", "memory-backend-file", "id", "mem1",
                       "share", "on", "mem-path", "/vm/f27nvdimm0",
                       "size", "4G"));
    check_keyval("nvdimm,memdev=mem1,id=nv1,label-size=2M", "driver",
                 PAIRS("driver", "nvdimm", "memdev", "mem1", "id", "nv1",
                       "label-size", "2M"));
    check_keyval("pc,accel=kvm,nvdimm=on,nvdimm-persistence=cpu", "type",
                 PAIRS("type", "pc", "accel", "kvm", "nvdimm", "on",
                       "nvdimm-persistence", "cpu"));
    check_keyval("size=219136k,slots=16,maxmem=1099511627776k", "size",
                 PAIRS("size", "219136k", "slots", "16",
                       "maxmem", "1099511627776k"));
    check_keyval("4G,slots=4,maxmem=32G", "size",
                 PAIRS("size", "4G", "slots", "4", "maxmem", "32G"));
    check_keyval("memory-backend-file,id=m,mem-path=/dev/dax0.0,size=4G,"
                 "align=2M,pmem=on", "qom-type",
                 PAIRS("qom-type", "memory-backend-file", "id", "m",
                       "mem-path", "/dev/dax0.0", "size", "4G",
                       "align", "2M", "pmem", "on"));
}

static void test_json_values(void)
{
    check_json("{}", NO_PAIRS);
    check_json(" { } ", NO_PAIRS);
    check_json("{\"s\": \"text\", \"t\": true, \"f\": false, \"i\": 42}",
               PAIRS("s", "text", "t", "on", "f", "off", "i", "42"));
    check_json("{\"neg\": -5, \"zero\": 0, \"nz\": -0}",
               PAIRS("neg", "-5", "zero", "0", "nz", "0"));
    check_json("{\"max\": 9223372036854775807, "
               "\"min\": -9223372036854775808}",
               PAIRS("max", "9223372036854775807",
                     "min", "-9223372036854775808"));
    /* Strings are kept verbatim, escapes decoded, commas included */
    check_json("{\"p\": \"/a,b=c\", \"q\": \"x\\\"y\\\\z\\u0041\"}",
               PAIRS("p", "/a,b=c", "q", "x\"y\\zA"));
    check_json("{\"e\": \"\"}", PAIRS("e", ""));
    /* Strings that look like other types stay strings */
    check_json("{\"n\": \"010\", \"b\": \"true\", \"z\": \"0x10\"}",
               PAIRS("n", "010", "b", "true", "z", "0x10"));
    /* Numbers inside strings are not checked as numbers */
    check_json("{\"big\": \"99999999999999999999\"}",
               PAIRS("big", "99999999999999999999"));
    /* Member order is kept */
    check_json("{\"z\": 1, \"a\": 2, \"m\": 3}",
               PAIRS("z", "1", "a", "2", "m", "3"));
    /* Whitespace and newlines */
    check_json("\n{\n\t\"a\" :\n1 ,\"b\":\"c\"\n}\n",
               PAIRS("a", "1", "b", "c"));
}

static void test_json_real(void)
{
    check_json("{\"qom-type\":\"memory-backend-file\",\"id\":\"memnvdimm0\","
               "\"mem-path\":\"/tmp/nvdimm\",\"share\":false,"
               "\"prealloc\":true,\"size\":536870912}",
               PAIRS("qom-type", "memory-backend-file", "id", "memnvdimm0",
                     "mem-path", "/tmp/nvdimm", "share", "off",
                     "prealloc", "on", "size", "536870912"));
    check_json("{\"driver\":\"nvdimm\",\"node\":0,\"label-size\":131072,"
               "\"memdev\":\"memnvdimm0\",\"id\":\"nvdimm0\",\"slot\":0}",
               PAIRS("driver", "nvdimm", "node", "0", "label-size", "131072",
                     "memdev", "memnvdimm0", "id", "nvdimm0", "slot", "0"));
}

static void test_json_errors(void)
{
    /* QEMU 7.2's messages (docs/specs/json.md) */
    check_json_bad("{", "JSON parse error, premature EOI");
    check_json_bad("{\"a\":}", "JSON parse error, expecting value");
    check_json_bad("{\"a\": 1,}", "JSON parse error, expecting value");
    check_json_bad("{\"a\" 1}", "JSON parse error, missing : in object pair");
    check_json_bad("{\"a\": tru}", "JSON parse error, invalid keyword 'tru'");
    check_json_bad("{\"a\": 1} x", "Expecting at most one JSON value");
    check_json_bad("", "empty");
    check_json_bad("   ", "empty");
    check_json_bad(NULL, "empty");
    /* A second value after the object, even a broken one */
    check_json_bad("{\"a\": 1} {\"b\": 2}", "Expecting at most one JSON value");
    check_json_bad("{\"a\": 1}{}", "Expecting at most one JSON value");
    check_json_bad("{\"a\": 1}}", "Expecting at most one JSON value");
    check_json_bad("{\"a\": 1} -", "Expecting at most one JSON value");
    /* The root must be an object */
    check_json_bad("[1, 2]", "must be an object, not an array");
    check_json_bad("\"str\"", "must be an object, not a string");
    check_json_bad("42", "must be an object, not an integer");
    check_json_bad("true", "must be an object, not a boolean");
    check_json_bad("null", "must be an object, not null");
    /* Key names follow the key=value rules (below); other values are
     * kept with their kind, for the property to refuse in QEMU's words. */
    check_json_kind("{\"a\": 1, \"nest\": {\"b\": 2}}", "nest",
                    "{\"b\": 2}", QEMU_OPT_OTHER);
    check_json_kind("{\"arr\": [1, 2]}", "arr", "1,2", QEMU_OPT_INT_LIST);
    check_json_kind("{\"arr\": [-3]}", "arr", "-3", QEMU_OPT_INT_LIST);
    check_json_kind("{\"arr\": []}", "arr", "", QEMU_OPT_INT_LIST);
    check_json_kind("{\"arr\": [1, \"a\"]}", "arr", "[1, \"a\"]",
                    QEMU_OPT_OTHER);
    check_json_kind("{\"nul\": null}", "nul", "null", QEMU_OPT_OTHER);
    check_json_kind("{\"f\": 1.5}", "f", "1.5", QEMU_OPT_OTHER);
    check_json_kind("{\"s\": \"x\"}", "s", "x", QEMU_OPT_STRING);
    check_json_kind("{\"b\": true}", "b", "on", QEMU_OPT_BOOL);
    check_json_kind("{\"i\": -7}", "i", "-7", QEMU_OPT_INT);
    /* Key names follow the key=value rules */
    check_json_bad("{\"a b\": 1}", "Invalid parameter name 'a b'");
    check_json_bad("{\"\": 1}", "Invalid parameter name ''");
}

static void test_json_integers(void)
{
    /* int64, then uint64 (kept exactly, for unsigned properties), then
     * double (no property takes it); never wrapped around */
    check_json_kind("{\"size\": 9223372036854775807}", "size",
                    "9223372036854775807", QEMU_OPT_INT);
    check_json_kind("{\"size\": 9223372036854775808}", "size",
                    "9223372036854775808", QEMU_OPT_UINT);
    check_json_kind("{\"size\": 18446744073709551615}", "size",
                    "18446744073709551615", QEMU_OPT_UINT);
    check_json_kind("{\"size\": 18446744073709551616}", "size",
                    "1.8446744073709552e+19", QEMU_OPT_OTHER);
    check_json_kind("{\"a\": 1, \"b\": -9223372036854775809}", "b",
                    "-9.2233720368547758e+18", QEMU_OPT_OTHER);
    check_json_kind("{\"a\": [1, 18446744073709551615, -2]}", "a",
                    "1,18446744073709551615,-2", QEMU_OPT_INT_LIST);
    check_json_kind("{\"nz\": -0}", "nz", "0", QEMU_OPT_INT);
    check_json_kind("{\"f\": 1e400}", "f", "inf", QEMU_OPT_OTHER);
    /* no octal, hex, binary or leading zeros */
    check_json_bad("{\"n\": 010}", "JSON parse error, stray '01'");
    check_json_bad("{\"n\": 00}", "JSON parse error, stray '00'");
    check_json_bad("{\"n\": 0x10}",
                   "JSON parse error, expected separator in dict");
    check_json_bad("{\"n\": -0x10}",
                   "JSON parse error, expected separator in dict");
    check_json_bad("{\"n\": 0b1}",
                   "JSON parse error, expected separator in dict");
}

/* Where json-glib was lax and QEMU 7.2 is strict (issue 9, item 4). */
static void test_json_strict(void)
{
    check_json_bad("{\"qom-type\": \"memory-backend-ram\", \"size\": 1, "
                   "\"size\": 2}", "JSON parse error, duplicate key");
    check_json_bad("{\"mem-path\": \"/tmp/victim\\u0000.img\"}",
                   "Parameter 'mem-path' must not contain a NUL character "
                   "(\\u0000)");
    check_json_bad("{\"id\": \"m\xc0\x80\"}",
                   "Parameter 'id' must not contain a NUL character");
    check_json_bad("{\"size\": \"\\y\"}",
                   "JSON parse error, invalid escape sequence in string");
    check_json_bad("{\"id\": \"\\uD800\"}",
                   "JSON parse error, \\uD800 is not a valid Unicode "
                   "character");
    check_json_bad("{\"id\": \"\xff\"}", "JSON parse error, stray '\"\xff'");
    check_json_bad("{\"id\": \"\xc3\"}",
                   "JSON parse error, invalid UTF-8 sequence in string");
    check_json_bad("{\"id\": \"a\tb\"}", "JSON parse error, stray '\"a\t'");
    check_json_bad("{\"share\": %d}", "JSON parse error, stray '%'");
    check_json_bad("{\"a\": 1 /* c */}", "JSON parse error, stray '/'");
    /* QEMU's extensions: single quotes, \' */
    check_json("{'qom-type': 'memory-backend-ram', 'id': 'it\\'s\"'}",
               PAIRS("qom-type", "memory-backend-ram", "id", "it's\""));
    check_json("{\"p\": \"\\u00e9\\uD83D\\uDE00\"}",
               PAIRS("p", "\xc3\xa9\xf0\x9f\x98\x80"));
}

static void test_parse_any(void)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) kv = NULL;
    g_autoptr(QemuOpts) js = NULL;
    g_autoptr(QemuOpts) js2 = NULL;
    QemuOpts *bad;

    kv = qemu_opts_parse_any("nvdimm,id=nv1", "driver", &err);
    g_assert_null(err);
    check_opts(kv, PAIRS("driver", "nvdimm", "id", "nv1"));

    js = qemu_opts_parse_any("{\"driver\": \"nvdimm\", \"id\": \"nv1\"}",
                             "driver", &err);
    g_assert_null(err);
    check_opts(js, PAIRS("driver", "nvdimm", "id", "nv1"));

    js2 = qemu_opts_parse_any("  \t{\"slot\": 0}", "driver", &err);
    g_assert_null(err);
    check_opts(js2, PAIRS("slot", "0"));

    /* Broken JSON is not retried as key=value */
    bad = qemu_opts_parse_any("{\"driver\": ", "driver", &err);
    g_assert_null(bad);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "JSON parse error, premature EOI"));
    error_free(err);
    err = NULL;

    /* Key=value errors come through too */
    bad = qemu_opts_parse_any("a=1,b c", NULL, &err);
    g_assert_null(bad);
    g_assert_nonnull(err);
    error_free(err);
}

static void check_round_trip(const char *params, const char *implied,
                             const char *expected_str)
{
    Error *err = NULL;
    g_autoptr(QemuOpts) opts = keyval_parse(params, implied, &err);
    g_autoptr(QemuOpts) again = NULL;
    g_autofree char *str = NULL;
    g_autofree char *str2 = NULL;
    guint i;

    g_assert_null(err);
    str = qemu_opts_to_string(opts);
    g_assert_cmpstr(str, ==, expected_str);

    again = keyval_parse(str, NULL, &err);
    g_assert_null(err);
    g_assert_cmpuint(again->list->len, ==, opts->list->len);
    for (i = 0; i < opts->list->len; i++) {
        const QemuOpt *a = g_ptr_array_index(opts->list, i);
        const QemuOpt *b = g_ptr_array_index(again->list, i);

        g_assert_cmpstr(a->key, ==, b->key);
        g_assert_cmpstr(a->value, ==, b->value);
    }
    str2 = qemu_opts_to_string(again);
    g_assert_cmpstr(str2, ==, str);
}

static void test_to_string(void)
{
    g_autoptr(QemuOpts) empty = qemu_opts_new();
    g_autoptr(QemuOpts) js = NULL;
    g_autofree char *s_empty = qemu_opts_to_string(empty);
    g_autofree char *s_js = NULL;

    g_assert_cmpstr(s_empty, ==, "");

    check_round_trip("a=1", NULL, "a=1");
    check_round_trip("pc,accel=kvm", "type", "type=pc,accel=kvm");
    check_round_trip("mem-path=/a,,b,size=4G", NULL,
                     "mem-path=/a,,b,size=4G");
    check_round_trip("x,,y,,,,z", "type", "type=x,,y,,,,z");
    check_round_trip("memory-backend-file,id=mem1,share,"
                     "mem-path=/vm/f27nvdimm0,size=4G", "qom-type",
                     "qom-type=memory-backend-file,id=mem1,share=on,"
                     "mem-path=/vm/f27nvdimm0,size=4G");
    check_round_trip("a=,b=,,", NULL, "a=,b=,,");
    check_round_trip("append=console=ttyS0,,x", NULL,
                     "append=console=ttyS0,,x");
    check_round_trip("a=1,a=2", NULL, "a=1,a=2");

    js = json_opts_parse("{\"p\": \"/x,y\", \"share\": true, \"n\": 7}",
                         &error_abort);
    s_js = qemu_opts_to_string(js);
    g_assert_cmpstr(s_js, ==, "p=/x,,y,share=on,n=7");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/keyval/opts/api", test_opts_api);
    g_test_add_func("/keyval/parse/implied", test_keyval_implied);
    g_test_add_func("/keyval/parse/escapes", test_keyval_escapes);
    g_test_add_func("/keyval/parse/flags", test_keyval_flags);
    g_test_add_func("/keyval/parse/empty", test_keyval_empty);
    g_test_add_func("/keyval/parse/names", test_keyval_names);
    g_test_add_func("/keyval/parse/duplicates", test_keyval_duplicates);
    g_test_add_func("/keyval/parse/real", test_keyval_real);
    g_test_add_func("/keyval/json/values", test_json_values);
    g_test_add_func("/keyval/json/real", test_json_real);
    g_test_add_func("/keyval/json/errors", test_json_errors);
    g_test_add_func("/keyval/json/integers", test_json_integers);
    g_test_add_func("/keyval/json/strict", test_json_strict);
    g_test_add_func("/keyval/parse_any", test_parse_any);
    g_test_add_func("/keyval/to_string", test_to_string);

    return g_test_run();
}
