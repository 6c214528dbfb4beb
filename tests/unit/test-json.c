/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the strict JSON front end (qobject/json-*.c, util/unicode.c)
 * against the table of docs/specs/json.md: one test per rule, each with
 * QEMU 7.2's answer.
 */
#include "qemu/osdep.h"

#include <math.h>

#include "qemu/unicode.h"
#include "qobject/json-streamer.h"
#include "qobject/json-writer.h"
#include "qobject/qjson.h"

/* ---- Helpers ---- */

/* @text parses; its value printed back (QEMU's compact format). */
static char *reprint(const char *text)
{
    Error *err = NULL;
    g_autoptr(JsonNode) node = qjson_parse(text, &err);

    if (!node) {
        g_error("%s: %s", text, error_get_pretty(err));
    }
    return qmp_json_to_string(node, false);
}

static void check_reprint(const char *text, const char *expect)
{
    g_autofree char *out = reprint(text);

    if (strcmp(out, expect)) {
        g_error("%s printed back as %s, not %s", text, out, expect);
    }
}

/* @text is refused with exactly @msg. */
static void check_refused(const char *text, const char *msg)
{
    Error *err = NULL;
    g_autoptr(JsonNode) node = qjson_parse(text, &err);

    if (node) {
        g_autofree char *out = qmp_json_to_string(node, false);

        g_error("%s accepted as %s", text, out);
    }
    if (strcmp(error_get_pretty(err), msg)) {
        g_error("%s: \"%s\", not \"%s\"", text, error_get_pretty(err), msg);
    }
    error_free(err);
}

typedef struct Stream {
    GPtrArray *out;             /* printed values, "E:" errors */
} Stream;

static void stream_collect(void *opaque, JsonNode *value, const char *error)
{
    Stream *st = opaque;

    g_ptr_array_add(st->out, error ? g_strdup_printf("E:%s", error) :
                    qmp_json_to_string(value, false));
}

/* What a stream of @len bytes gives, '|'-joined; @flush: end of input. */
static char *stream(const char *in, size_t len, bool flush)
{
    Stream st = { .out = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(stream_collect, &st);
    char *joined;

    json_streamer_feed(js, in, len);
    if (flush) {
        json_streamer_flush(js);
    }
    json_streamer_free(js);
    g_ptr_array_add(st.out, NULL);
    joined = g_strjoinv("|", (char **)st.out->pdata);
    g_ptr_array_free(st.out, TRUE);
    return joined;
}

#define check_stream(in, expect) \
    do {                                                            \
        g_autofree char *out_ = stream(in, sizeof(in) - 1, false);  \
        g_assert_cmpstr(out_, ==, expect);                          \
    } while (0)

static char *repeat(const char *s, size_t n)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < n; i++) {
        g_string_append(out, s);
    }
    return g_string_free(out, FALSE);
}

/* ---- Modified UTF-8 ---- */

static void test_utf8m_decode(void)
{
    static const struct {
        const char *in;
        int32_t cp;
        size_t used;
    } cases[] = {
        { "A", 'A', 1 },
        { "\x7f", 0x7f, 1 },
        { "\xc0\x80", 0, 2 },                   /* U+0000, modified */
        { "\xc3\xa9", 0xe9, 2 },
        { "\xe2\x82\xac", 0x20ac, 3 },
        { "\xf0\x9f\x98\x80", 0x1f600, 4 },
        { "\xf4\x8f\xbf\xbd", 0x10fffd, 4 },
        { "\x80", -1, 1 },                      /* continuation byte */
        { "\xfe", -1, 1 },
        { "\xff", -1, 1 },
        { "\xc3(", -1, 1 },                     /* cut short */
        { "\xe2\x82(", -1, 2 },
        { "\xc1\xbf", -1, 2 },                  /* overlong */
        { "\xe0\x80\x80", -1, 3 },
        { "\xed\xa0\x80", -1, 3 },              /* surrogate */
        { "\xef\xbf\xbe", -1, 3 },              /* U+FFFE */
        { "\xef\xb7\x90", -1, 3 },              /* U+FDD0 */
        { "\xf4\x90\x80\x80", -1, 4 },          /* beyond U+10FFFF */
        { "\xf8\x88\x80\x80\x80", -1, 5 },
        { "\xfc\x84\x80\x80\x80\x80", -1, 6 },
        { "", -1, 0 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t used = 99;
        int32_t cp = utf8m_decode(cases[i].in, 6, &used);

        g_assert_cmpint(cp, ==, cases[i].cp);
        g_assert_cmpuint(used, ==, cases[i].used);
    }
    /* never past @n */
    {
        size_t used;

        g_assert_cmpint(utf8m_decode("\xc3\xa9", 1, &used), ==, -1);
        g_assert_cmpuint(used, ==, 1);
    }
}

static void test_utf8m_encode(void)
{
    static const struct {
        int32_t cp;
        const char *out;
    } cases[] = {
        { 0, "\xc0\x80" }, { 'A', "A" }, { 0xe9, "\xc3\xa9" },
        { 0x20ac, "\xe2\x82\xac" }, { 0x1f600, "\xf0\x9f\x98\x80" },
        { 0xd800, NULL }, { 0xdfff, NULL }, { 0xfffe, NULL },
        { 0x1ffff, NULL }, { 0xfdef, NULL }, { 0x110000, NULL }, { -1, NULL },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char buf[4];
        int len = utf8m_encode(buf, cases[i].cp);

        if (!cases[i].out) {
            g_assert_cmpint(len, ==, -1);
        } else {
            g_assert_cmpint(len, ==, strlen(cases[i].out));
            g_assert_true(memcmp(buf, cases[i].out, len) == 0);
        }
    }
}

/* ---- Values ---- */

/* \u0000 is a character of the string: C0 80 inside, never its end. */
static void test_nul(void)
{
    g_autoptr(JsonNode) node = qjson_parse("\"quit\\u0000-not-really\"",
                                           &error_abort);

    g_assert_cmpstr(json_node_get_string(node), ==,
                    "quit" UTF8M_NUL "-not-really");
    check_reprint("\"a\\u0000b\"", "\"a\\u0000b\"");
    check_reprint("\"\xc0\x80\"", "\"\\u0000\"");
    check_reprint("{\"\\u0000\": 1}", "{\"\\u0000\": 1}");
}

static void test_duplicate_key(void)
{
    check_refused("{\"a\": 1, \"a\": 2}", "JSON parse error, duplicate key");
    check_refused("{\"a\": {\"b\": 1, \"b\": 1}}",
                  "JSON parse error, duplicate key");
    /* the same key after decoding */
    check_refused("{\"a\": 1, \"\\u0061\": 2}",
                  "JSON parse error, duplicate key");
    check_refused("{\"a\": 1, 'a': 2}", "JSON parse error, duplicate key");
    /* keys at different levels do not clash */
    check_reprint("{\"a\": {\"a\": 1}}", "{\"a\": {\"a\": 1}}");
}

static void test_integers(void)
{
    g_autoptr(JsonNode) i64 = qjson_parse("9223372036854775807",
                                          &error_abort);
    g_autoptr(JsonNode) u64 = qjson_parse("18446744073709551615",
                                          &error_abort);
    g_autoptr(JsonNode) neg = qjson_parse("-1", &error_abort);
    g_autoptr(JsonNode) dbl = qjson_parse("18446744073709551616",
                                          &error_abort);
    int64_t i;
    uint64_t u;

    g_assert_false(qjson_is_uint64(i64));
    g_assert_true(qjson_get_int(i64, &i));
    g_assert_cmpint(i, ==, INT64_MAX);
    g_assert_true(qjson_get_uint(i64, &u));
    g_assert_cmpuint(u, ==, INT64_MAX);

    g_assert_true(qjson_is_uint64(u64));
    g_assert_true(qjson_is_integer(u64));
    g_assert_false(qjson_get_int(u64, &i));
    g_assert_true(qjson_get_uint(u64, &u));
    g_assert_cmpuint(u, ==, UINT64_MAX);

    g_assert_true(qjson_get_int(neg, &i));
    g_assert_false(qjson_get_uint(neg, &u));
    g_assert_false(qjson_is_uint64(neg));

    g_assert_false(qjson_is_integer(dbl));
    g_assert_cmpint(json_node_get_value_type(dbl), ==, G_TYPE_DOUBLE);

    check_reprint("[0, -0, 9223372036854775807, -9223372036854775808]",
                  "[0, 0, 9223372036854775807, -9223372036854775808]");
    check_reprint("[9223372036854775808, 18446744073709551615]",
                  "[9223372036854775808, 18446744073709551615]");
    check_reprint("[18446744073709551616, -9223372036854775809]",
                  "[1.8446744073709552e+19, -9.2233720368547758e+18]");
    check_reprint("123456789012345678901234567890",
                  "1.2345678901234568e+29");
}

static void test_floats(void)
{
    g_autoptr(JsonNode) mzero = qjson_parse("-0.0", &error_abort);

    g_assert_cmpint(json_node_get_value_type(mzero), ==, G_TYPE_DOUBLE);
    g_assert_true(signbit(json_node_get_double(mzero)));
    check_reprint("[1.0, 1.5E3, 1e17, 1e16, 0.1, 1e-7, 2.5e+2]",
                  "[1, 1500, 1e+17, 10000000000000000, 0.10000000000000001, "
                  "9.9999999999999995e-08, 250]");
    /* out of range: what strtod gives, printed as QEMU prints it */
    check_reprint("[1e400, -1e400, 1.5e-400, -0.0]",
                  "[inf, -inf, 0, -0]");
}

static void test_bad_numbers(void)
{
    check_refused("01", "JSON parse error, stray '01'");
    check_refused("00", "JSON parse error, stray '00'");
    check_refused("-01", "JSON parse error, stray '-01'");
    check_refused("[NaN]", "JSON parse error, stray 'N'");
    check_refused("[Infinity]", "JSON parse error, stray 'I'");
    check_refused("+1", "JSON parse error, stray '+'");
    check_refused(".5", "JSON parse error, stray '.'");
    check_refused("[1.]", "JSON parse error, stray '1.]'");
    check_refused("[1.e5]", "JSON parse error, stray '1.e'");
    check_refused("[1e]", "JSON parse error, stray '1e]'");
    check_refused("[1e+]", "JSON parse error, stray '1e+]'");
    check_refused("[-]", "JSON parse error, stray '-]'");
    check_refused("[0x10]", "JSON parse error, expected separator in list");
    /* at the end of the input */
    check_refused("1.", "JSON parse error, stray '1.'");
    check_refused("-", "JSON parse error, stray '-'");
}

static void test_escapes(void)
{
    check_reprint("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\'\"",
                  "\"\\\"\\\\/\\b\\f\\n\\r\\t'\"");
    check_reprint("\"\\u0041\\u00e9\\u00E9\\u001f\\u007f\"",
                  "\"A\\u00E9\\u00E9\\u001F\\u007F\"");
    check_refused("\"quer\\y\"",
                  "JSON parse error, invalid escape sequence in string");
    check_refused("\"\\x41\"",
                  "JSON parse error, invalid escape sequence in string");
    check_refused("\"\\U0041\"",
                  "JSON parse error, invalid escape sequence in string");
    check_refused("\"\\\xc3\xa9\"",
                  "JSON parse error, invalid escape sequence in string");
    check_refused("\"\\u00G0\"",
                  "JSON parse error, \\u00G0 is not a valid Unicode "
                  "character");
    check_refused("\"\\u12\"",
                  "JSON parse error, \\u12\" is not a valid Unicode "
                  "character");
    check_refused("\"\\uFFFE\"",
                  "JSON parse error, \\uFFFE is not a valid Unicode "
                  "character");
    check_refused("\"\\uFDD0\"",
                  "JSON parse error, \\uFDD0 is not a valid Unicode "
                  "character");
}

static void test_surrogates(void)
{
    check_reprint("\"\\uD83D\\uDE00\\ud83d\\ude00\"",
                  "\"\\uD83D\\uDE00\\uD83D\\uDE00\"");
    check_reprint("\"\\uDBFF\\uDFFD\"", "\"\\uDBFF\\uDFFD\"");
    check_refused("\"\\uD83D\"",
                  "JSON parse error, \\uD83D is not a valid Unicode "
                  "character");
    check_refused("\"\\uDE00\"",
                  "JSON parse error, \\uDE00 is not a valid Unicode "
                  "character");
    check_refused("\"\\uD83D\\u0041\"",
                  "JSON parse error, \\uD83D is not a valid Unicode "
                  "character");
    check_refused("\"\\uD83Dx\"",
                  "JSON parse error, \\uD83D is not a valid Unicode "
                  "character");
    /* a valid pair that makes a noncharacter */
    check_refused("\"\\uDBFF\\uDFFF\"",
                  "JSON parse error, \\uDBFF\\uDFFF is not a valid Unicode "
                  "character");
}

static void test_raw_utf8(void)
{
    check_reprint("\"\xc3\xa9\xf0\x9f\x98\x80\x7f\"",
                  "\"\\u00E9\\uD83D\\uDE00\\u007F\"");
    check_refused("\"\xc3\x28\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    check_refused("\"\x80\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    check_refused("\"\xc1\xbf\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    check_refused("\"\xed\xa0\x80\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    check_refused("\"\xef\xbf\xbf\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    check_refused("\"\xf4\x90\x80\x80\"",
                  "JSON parse error, invalid UTF-8 sequence in string");
    /* FE and FF cannot be in a string at all: a lexical error */
    check_refused("\"a\xfe" "b\"", "JSON parse error, stray '\"a\xfe'");
}

static void test_control_characters(void)
{
    check_refused("\"a\x01" "b\"", "JSON parse error, stray '\"a\x01'");
    check_refused("\"a\tb\"", "JSON parse error, stray '\"a\t'");
    check_refused("\"a\nb\"", "JSON parse error, stray '\"a\n'");
    check_refused("'a\rb'", "JSON parse error, stray ''a\r'");
    check_reprint("\"\\t\"", "\"\\t\"");
}

/* QEMU's extensions: 'single quotes', \' in both kinds of string. */
static void test_single_quotes(void)
{
    check_reprint("{'a': 'it\\'s \"q\"'}", "{\"a\": \"it's \\\"q\\\"\"}");
    check_reprint("\"it\\'s\"", "\"it's\"");
    check_reprint("['\\u0041', \"'\"]", "[\"A\", \"'\"]");
    check_refused("'a", "JSON parse error, stray ''a'");
}

/* No interpolation: '%' is a stray character, in strings just a '%'. */
static void test_percent(void)
{
    check_refused("%d", "JSON parse error, stray '%'");
    check_refused("[%s]", "JSON parse error, stray '%'");
    check_reprint("\"%d %s %%\"", "\"%d %s %%\"");
}

static void test_grammar(void)
{
    check_reprint(" {\"a\" : [ 1 , { } , [ ] , null , true , false ] } ",
                  "{\"a\": [1, {}, [], null, true, false]}");
    check_refused("{", "JSON parse error, premature EOI");
    check_refused("[1", "JSON parse error, premature EOI");
    check_refused("{\"a\"", "JSON parse error, premature EOI");
    check_refused("{\"a\":", "JSON parse error, premature EOI");
    check_refused("{\"a\": 1,", "JSON parse error, premature EOI");
    check_refused("{\"a\" 1}", "JSON parse error, missing : in object pair");
    check_refused("{\"a\": 1 \"b\": 2}",
                  "JSON parse error, expected separator in dict");
    check_refused("{\"a\": 1,}", "JSON parse error, expecting value");
    check_refused("{,}", "JSON parse error, expecting value");
    check_refused("{1: 2}", "JSON parse error, key is not a string in object");
    check_refused("{[]: 2}",
                  "JSON parse error, key is not a string in object");
    check_refused("[1 2]", "JSON parse error, expected separator in list");
    check_refused("[1,]", "JSON parse error, expecting value");
    check_refused("[,]", "JSON parse error, expecting value");
    check_refused("}", "JSON parse error, expecting value");
    check_refused("[}", "JSON parse error, expecting value");
    check_refused("{]", "JSON parse error, expecting value");
    check_refused("[tru]", "JSON parse error, invalid keyword 'tru'");
    check_refused("[nul]", "JSON parse error, invalid keyword 'nul'");
    check_refused("[True]", "JSON parse error, stray 'T'");
    check_refused("/* c */ 1", "JSON parse error, stray '/'");
}

/* One value per text: the first error stands, a second value is one. */
static void test_one_value(void)
{
    check_refused("{} {}", "Expecting at most one JSON value");
    check_refused("1 2", "Expecting at most one JSON value");
    check_refused("{} x", "Expecting at most one JSON value");
    check_refused("{}}", "Expecting at most one JSON value");
    check_refused("{} -", "Expecting at most one JSON value");
    check_refused("[tru] {}", "JSON parse error, invalid keyword 'tru'");
    check_refused("", "Expecting a JSON value");
    check_refused(" \n\t", "Expecting a JSON value");
    check_reprint(" \r\n{}\n", "{}");
}

static void test_nesting(void)
{
    g_autofree char *open_ok = repeat("[", 1024);
    g_autofree char *close_ok = repeat("]", 1024);
    g_autofree char *ok = g_strdup_printf("%s%s", open_ok, close_ok);
    g_autofree char *deep = g_strdup_printf("{\"a\": %s}", ok);
    g_autofree char *out = reprint(ok);

    g_assert_cmpstr(out, ==, ok);
    check_refused(deep, "JSON nesting depth limit exceeded");
}

/* ---- The stream ---- */

static void test_stream_values(void)
{
    check_stream("{\"a\": 1}{\"b\": 2} [3] 4 \"5\" null true ",
                 "{\"a\": 1}|{\"b\": 2}|[3]|4|\"5\"|null|true");
    /* a number or keyword ends at the next byte that cannot continue it */
    check_stream("12[", "12");
    check_stream("true[", "true");
}

/* After a lexical error the stream resynchronizes where QEMU's does. */
static void test_stream_recovery(void)
{
    /* skip to a structural character, which is read again */
    check_stream("{\"a\": 01}",
                 "E:JSON parse error, stray '01'|"
                 "E:JSON parse error, expecting value");
    check_stream("[N, 2]", "E:JSON parse error, stray 'N'|"
                 "E:JSON parse error, expecting value|2|"
                 "E:JSON parse error, expecting value");
    /* ... or to a control character other than tab, or FE/FF */
    check_stream("XY\tZ\n{}", "E:JSON parse error, stray 'X'|{}");
    check_stream("XY\xff{}", "E:JSON parse error, stray 'X'|"
                 "E:JSON parse error, stray '\xff'|{}");
    check_stream("\xff{}", "E:JSON parse error, stray '\xff'|{}");
    /* a NUL byte is a stray character (printed as nothing) */
    check_stream("\0{}", "E:JSON parse error, stray ''|{}");
    /* the byte that ends a bad string belongs to the error */
    check_stream("\"abc\n{}", "E:JSON parse error, stray '\"abc\n'|{}");
    check_stream("[-}", "E:JSON parse error, stray '-}'");
    /* a parse error drops the value, nothing else */
    check_stream("{\"a\" 1}{}", "E:JSON parse error, missing : in object "
                 "pair|{}");
}

static void test_stream_closers(void)
{
    check_stream("} ] : ,", "E:JSON parse error, expecting value|"
                 "E:JSON parse error, expecting value|"
                 "E:JSON parse error, expecting value|"
                 "E:JSON parse error, expecting value");
    check_stream("[}{]", "E:JSON parse error, expecting value|"
                 "E:JSON parse error, expecting value");
    check_stream("{\"a\": 1]}", "E:JSON parse error, expected separator in "
                 "dict|E:JSON parse error, expecting value");
}

static void test_stream_nesting(void)
{
    g_autofree char *opens = repeat("[", 1025);
    g_autofree char *closes = repeat("]", 2);
    g_autofree char *in = g_strdup_printf("%s%s", opens, closes);
    g_autofree char *out = stream(in, strlen(in), false);

    /* the 1025th '[' ends the value, dropped; 2 closers are left */
    g_assert_cmpstr(out, ==, "E:JSON nesting depth limit exceeded|"
                    "E:JSON parse error, expecting value|"
                    "E:JSON parse error, expecting value");
}

static void test_stream_token_count(void)
{
    g_autofree char *ones = repeat("1,", 1048574);
    g_autofree char *most = g_strdup_printf("[%s{}]", ones);
    g_autofree char *over = g_strdup_printf("[%s1,1]", ones);
    g_autofree char *out_most = stream(most, strlen(most), false);
    g_autofree char *out_over = stream(over, strlen(over), false);

    /* "[" + 1048574 * "1, " + "{}]" */
    g_assert_cmpuint(strlen(out_most), ==, 3 * 1048574 + 4);
    g_assert_cmpstr(out_over, ==, "E:JSON token count limit exceeded");
}

static void test_stream_token_size(void)
{
    GString *in = g_string_new("[\"");
    g_autofree char *out = NULL;

    /* '[' + a string of 64 MiB - 1 bytes: 64 MiB in all, one too many */
    for (size_t i = 0; i < 64 * MiB - 3; i++) {
        g_string_append_c(in, 'a');
    }
    g_string_append(in, "\"]");
    out = stream(in->str, in->len, false);
    g_assert_cmpstr(out, ==, "E:JSON token size limit exceeded|"
                    "E:JSON parse error, expecting value");
    g_string_free(in, TRUE);
}

static void test_stream_flush(void)
{
    g_autofree char *num = stream("12", 2, true);
    g_autofree char *word = stream("null", 4, true);
    g_autofree char *str = stream("\"ab", 3, true);
    g_autofree char *open = stream("{\"a\": [", 7, true);
    g_autofree char *none = stream("  ", 2, true);
    g_autofree char *unflushed = stream("12", 2, false);

    g_assert_cmpstr(num, ==, "12");
    g_assert_cmpstr(word, ==, "null");
    g_assert_cmpstr(str, ==, "E:JSON parse error, stray '\"ab'");
    g_assert_cmpstr(open, ==, "E:JSON parse error, premature EOI");
    g_assert_cmpstr(none, ==, "");
    g_assert_cmpstr(unflushed, ==, "");
}

static void test_stream_chunks(void)
{
    const char *text = "{'a': \"\\u00e9\\\"\", "
                       "\"b\": [-1.5e3, 18446744073709551615]}";
    Stream st = { .out = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(stream_collect, &st);

    for (size_t i = 0; text[i]; i++) {
        g_assert_cmpuint(st.out->len, ==, 0);
        json_streamer_feed(js, text + i, 1);
    }
    g_assert_cmpuint(st.out->len, ==, 1);
    g_assert_cmpstr(st.out->pdata[0], ==, "{\"a\": \"\\u00E9\\\"\", \"b\": "
                    "[-1500, 18446744073709551615]}");
    /* a reset drops a partial value and a partial token */
    json_streamer_feed(js, "[\"ab", 4);
    json_streamer_reset(js);
    json_streamer_feed(js, "{}", 2);
    g_assert_cmpuint(st.out->len, ==, 2);
    g_assert_cmpstr(st.out->pdata[1], ==, "{}");
    json_streamer_free(js);
    g_ptr_array_free(st.out, TRUE);
}

/* ---- The writer ---- */

static void test_write_strings(void)
{
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_VALUE);
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "a" UTF8M_NUL "b", "\"a\\u0000b\"" },
        /* bad bytes as QEMU's writer skips them: one U+FFFD each run */
        { "\xc3(", "\"\\uFFFD(\"" },
        { "\xe2\x82(", "\"\\uFFFD(\"" },
        { "\xff\xfe", "\"\\uFFFD\\uFFFD\"" },
        { "\xed\xa0\x80", "\"\\uFFFD\"" },
        { "\xef\xbf\xbf", "\"\\uFFFD\"" },
        { "\x01\x1f\x7f", "\"\\u0001\\u001F\\u007F\"" },
        { "\xf0\x9f\x98\x80", "\"\\uD83D\\uDE00\"" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *out = NULL;

        json_node_set_string(node, cases[i].in);
        out = qmp_json_to_string(node, false);
        g_assert_cmpstr(out, ==, cases[i].out);
    }
}

static void test_write_uint(void)
{
    g_autoptr(JsonNode) big = qjson_new_uint(UINT64_MAX);
    g_autoptr(JsonNode) small = qjson_new_uint(42);
    g_autofree char *big_out = qmp_json_to_string(big, false);
    g_autofree char *small_out = qmp_json_to_string(small, false);

    g_assert_cmpstr(big_out, ==, "18446744073709551615");
    g_assert_cmpstr(small_out, ==, "42");
    g_assert_true(qjson_is_uint64(big));
    g_assert_false(qjson_is_uint64(small));
}

/* What the writer prints, the parser reads back to the same value. */
static void test_round_trip(void)
{
    static const char *const texts[] = {
        "{\"a\": [1, -2, 3.5, \"x\\u0000y\", null, true, false, {}]}",
        "[9223372036854775808, 18446744073709551615, -9223372036854775808]",
        "\"\\uD83D\\uDE00\\u00E9\\b\\f\\n\\r\\t\\\"\\\\/\"",
        "[1e-300, 1.7976931348623157e+308, 0.10000000000000001]",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        g_autofree char *once = reprint(texts[i]);
        g_autofree char *twice = reprint(once);

        g_assert_cmpstr(once, ==, twice);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/json/utf8m/decode", test_utf8m_decode);
    g_test_add_func("/json/utf8m/encode", test_utf8m_encode);
    g_test_add_func("/json/value/nul", test_nul);
    g_test_add_func("/json/value/duplicate-key", test_duplicate_key);
    g_test_add_func("/json/value/integers", test_integers);
    g_test_add_func("/json/value/floats", test_floats);
    g_test_add_func("/json/value/bad-numbers", test_bad_numbers);
    g_test_add_func("/json/value/escapes", test_escapes);
    g_test_add_func("/json/value/surrogates", test_surrogates);
    g_test_add_func("/json/value/raw-utf8", test_raw_utf8);
    g_test_add_func("/json/value/control-characters",
                    test_control_characters);
    g_test_add_func("/json/value/single-quotes", test_single_quotes);
    g_test_add_func("/json/value/percent", test_percent);
    g_test_add_func("/json/value/grammar", test_grammar);
    g_test_add_func("/json/value/one-value", test_one_value);
    g_test_add_func("/json/value/nesting", test_nesting);
    g_test_add_func("/json/stream/values", test_stream_values);
    g_test_add_func("/json/stream/recovery", test_stream_recovery);
    g_test_add_func("/json/stream/closers", test_stream_closers);
    g_test_add_func("/json/stream/nesting", test_stream_nesting);
    g_test_add_func("/json/stream/token-count", test_stream_token_count);
    g_test_add_func("/json/stream/token-size", test_stream_token_size);
    g_test_add_func("/json/stream/flush", test_stream_flush);
    g_test_add_func("/json/stream/chunks", test_stream_chunks);
    g_test_add_func("/json/write/strings", test_write_strings);
    g_test_add_func("/json/write/uint", test_write_uint);
    g_test_add_func("/json/write/round-trip", test_round_trip);
    return g_test_run();
}
