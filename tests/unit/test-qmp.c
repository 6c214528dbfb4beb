/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of QMP: the JSON stream splitter, QEMU-format output and
 * request dispatch (with a fake command), without a chardev.
 */
#include "qemu/osdep.h"

#include "monitor/monitor.h"
#include "monitor/qmp-schema.h"
#include "qobject/qjson.h"

/* ---- Splitter ---- */

typedef struct Collected {
    GPtrArray *texts;           /* "E:error" for errors */
} Collected;

static void collect(void *opaque, JsonNode *value, const char *error)
{
    Collected *c = opaque;

    g_ptr_array_add(c->texts, error ? g_strdup_printf("E:%s", error) :
                    qmp_json_to_string(value, false));
}

/* Feed @chunks (NULL-terminated) and return what came out, '|'-joined. */
static char *split_chunks(const char *const *chunks)
{
    Collected c = { .texts = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(collect, &c);
    char *joined;

    for (int i = 0; chunks[i]; i++) {
        json_streamer_feed(js, chunks[i], strlen(chunks[i]));
    }
    json_streamer_free(js);
    g_ptr_array_add(c.texts, NULL);
    joined = g_strjoinv("|", (char **)c.texts->pdata);
    g_ptr_array_free(c.texts, TRUE);
    return joined;
}

static char *split(const char *text)
{
    const char *chunks[] = { text, NULL };

    return split_chunks(chunks);
}

static void test_split_one(void)
{
    g_autofree char *out = split("{\"execute\": \"quit\"}\n");

    g_assert_cmpstr(out, ==, "{\"execute\": \"quit\"}");
}

static void test_split_byte_by_byte(void)
{
    const char *text = "{\"execute\": \"x\", \"arguments\": {\"a\": [1, {}]}}";
    Collected c = { .texts = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(collect, &c);

    for (size_t i = 0; i < strlen(text); i++) {
        g_assert_cmpuint(c.texts->len, ==, 0);
        json_streamer_feed(js, text + i, 1);
    }
    g_assert_cmpuint(c.texts->len, ==, 1);
    g_assert_cmpstr(c.texts->pdata[0], ==, text);
    json_streamer_free(js);
    g_ptr_array_free(c.texts, TRUE);
}

static void test_split_across_chunks(void)
{
    const char *chunks[] = { "{\"exec", "ute\": \"a\"", "}{\"execute\"",
                             ": \"b\"}\r\n  {", "}", NULL };
    g_autofree char *out = split_chunks(chunks);

    g_assert_cmpstr(out, ==, "{\"execute\": \"a\"}|{\"execute\": \"b\"}|{}");
}

static void test_split_several_per_chunk(void)
{
    g_autofree char *out = split("{\"a\":1}\n{\"b\":2}{\"c\":3} [4]\n");

    g_assert_cmpstr(out, ==, "{\"a\": 1}|{\"b\": 2}|{\"c\": 3}|[4]");
}

static void test_split_brackets_in_strings(void)
{
    g_autofree char *out = split("{\"a\": \"}{][\"} {\"b\": \"{{{\"}");

    g_assert_cmpstr(out, ==, "{\"a\": \"}{][\"}|{\"b\": \"{{{\"}");
}

static void test_split_escapes(void)
{
    /* An escaped quote does not end the string, an escaped backslash does
     * not escape the quote after it. */
    g_autofree char *out = split("{\"a\": \"\\\"}\"} {\"b\": \"x\\\\\"}");

    g_assert_cmpstr(out, ==, "{\"a\": \"\\\"}\"}|{\"b\": \"x\\\\\"}");
}

static void test_split_escape_across_chunks(void)
{
    const char *chunks[] = { "{\"a\": \"\\", "\"}\"}", NULL };
    g_autofree char *out = split_chunks(chunks);

    g_assert_cmpstr(out, ==, "{\"a\": \"\\\"}\"}");
}

static void test_split_single_quotes(void)
{
    g_autofree char *out = split("{'execute': 'it\\'s \"x\"'}");

    g_assert_cmpstr(out, ==, "{\"execute\": \"it's \\\"x\\\"\"}");
}

static void test_split_top_level_scalars(void)
{
    g_autofree char *out = split("1 true \"s\"{}garbage\n");

    g_assert_cmpstr(out, ==, "1|true|\"s\"|{}|E:JSON parse error, invalid "
                    "keyword 'garbage'");
}

static void test_split_stray_closer(void)
{
    g_autofree char *out = split("}{\"a\": 1}");

    g_assert_cmpstr(out, ==, "E:JSON parse error, expecting value|"
                    "{\"a\": 1}");
}

static void test_split_too_deep(void)
{
    GString *text = g_string_new(NULL);
    g_autofree char *out = NULL;

    for (int i = 0; i < 2000; i++) {
        g_string_append_c(text, '[');
    }
    out = split(text->str);
    g_assert_true(g_str_has_prefix(out, "E:JSON nesting depth limit "
                                   "exceeded"));
    g_string_free(text, TRUE);
}

static void test_split_reset(void)
{
    Collected c = { .texts = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(collect, &c);

    json_streamer_feed(js, "{\"a\": \"}", 8);
    json_streamer_reset(js);
    json_streamer_feed(js, "{}", 2);
    g_assert_cmpuint(c.texts->len, ==, 1);
    g_assert_cmpstr(c.texts->pdata[0], ==, "{}");
    json_streamer_free(js);
    g_ptr_array_free(c.texts, TRUE);
}

/* ---- Output ---- */

static char *to_text(const char *json, bool pretty)
{
    g_autoptr(JsonNode) node = qjson_parse(json, &error_abort);

    return qmp_json_to_string(node, pretty);
}

static void test_output_compact(void)
{
    g_autofree char *out = to_text("{\"a\":[1,true,null,{}],\"b\":\"x\"}",
                                   false);

    g_assert_cmpstr(out, ==, "{\"a\": [1, true, null, {}], \"b\": \"x\"}");
}

static void test_output_pretty(void)
{
    g_autofree char *out = to_text("{\"return\":{},\"l\":[1,2]}", true);

    g_assert_cmpstr(out, ==, "{\n    \"return\": {\n    },\n"
                    "    \"l\": [\n        1,\n        2\n    ]\n}");
}

static void test_output_escapes(void)
{
    g_autofree char *out = to_text("[\"q\\\"b\\\\n\\n\\u0001\\u00e9"
                                   "\\ud83d\\ude00/\"]", false);

    g_assert_cmpstr(out, ==, "[\"q\\\"b\\\\n\\n\\u0001\\u00E9"
                    "\\uD83D\\uDE00/\"]");
}

static void test_greeting(void)
{
    JsonObject *greeting = qmp_greeting();
    JsonNode *node = json_node_init_object(json_node_alloc(), greeting);
    g_autofree char *out = qmp_json_to_string(node, false);

    g_assert_true(g_str_has_prefix(out, "{\"QMP\": {\"version\": {\"qemu\": "
                                   "{\"micro\": 0, \"minor\": 2, "
                                   "\"major\": 7}, \"package\": "
                                   "\"pmemvm-"));
    g_assert_true(g_str_has_suffix(out, "\"}, \"capabilities\": "
                                   "[\"oob\"]}}"));
    json_node_unref(node);
    json_object_unref(greeting);
}

/* ---- Dispatch ---- */

static JsonNode *fake_echo(JsonObject *args, Error **errp)
{
    static const char *const allowed[] = { "text", "fail", "missing",
                                           NULL };
    const char *text = NULL;
    bool fail = false;
    JsonObject *ret;

    if (!qmp_args_check(args, allowed, errp) ||
        !qmp_arg_str(args, "text", false, &text, errp) ||
        !qmp_arg_bool(args, "fail", false, &fail, errp)) {
        return NULL;
    }
    if (fail) {
        qmp_error_set_class(QMP_ERROR_CLASS_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", text ? text : "?");
        return NULL;
    }
    if (!text) {
        return NULL;
    }
    ret = json_object_new();
    json_object_set_string_member(ret, "text", text);
    return json_node_init_object(json_node_alloc(), ret);
}

static JsonNode *fake_needs_int(JsonObject *args, Error **errp)
{
    int64_t val = 0;
    JsonNode *ret;

    if (!qmp_arg_int(args, "n", true, &val, errp)) {
        return NULL;
    }
    ret = json_node_new(JSON_NODE_VALUE);
    json_node_set_int(ret, val * 2);
    return ret;
}

/* Dispatch @json and return the reply as compact text. */
static char *dispatch(QmpSession *session, const char *json)
{
    JsonObject *rsp = qmp_dispatch(session, json, NULL);
    JsonNode *node = json_node_init_object(json_node_alloc(), rsp);
    char *text = qmp_json_to_string(node, false);

    json_node_unref(node);
    json_object_unref(rsp);
    return text;
}

#define assert_reply(session, request, expected)                       \
    do {                                                               \
        g_autofree char *reply_ = dispatch((session), (request));      \
        g_assert_cmpstr(reply_, ==, (expected));                       \
    } while (0)

static const QmpCommandDef fake_commands[] = {
    { "x-test-echo", fake_echo, .args = "{text?: str}", .ret = "any" },
    { "x-test-int", fake_needs_int, .args = "{n: int}", .ret = "any" },
    { NULL }
};

static void register_fakes(void)
{
    qmp_register_commands(fake_commands);
}

static void test_dispatch_negotiation(void)
{
    QmpSession session = { 0 };

    assert_reply(&session, "{\"execute\": \"x-test-echo\", \"id\": 1}",
                 "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", "
                 "\"desc\": \"Expecting capabilities negotiation with "
                 "'qmp_capabilities'\"}}");
    g_assert_false(session.command_mode);
    assert_reply(&session, "{\"execute\": \"qmp_capabilities\", "
                 "\"arguments\": {\"enable\": [\"foo\"]}}",
                 "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                 "\"Parameter 'enable' does not accept value 'foo'\"}}");
    g_assert_false(session.command_mode);
    assert_reply(&session, "{\"execute\": \"qmp_capabilities\", "
                 "\"id\": \"a\"}", "{\"return\": {}, \"id\": \"a\"}");
    g_assert_true(session.command_mode);
    g_assert_false(session.oob);
    assert_reply(&session, "{\"execute\": \"qmp_capabilities\"}",
                 "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                 "\"Capabilities negotiation is already complete, command "
                 "ignored\"}}");
}

static void test_dispatch_oob_capability(void)
{
    QmpSession session = { 0 };

    assert_reply(&session, "{\"execute\": \"qmp_capabilities\", "
                 "\"arguments\": {\"enable\": [\"oob\"]}}",
                 "{\"return\": {}}");
    g_assert_true(session.oob);
    assert_reply(&session, "{\"exec-oob\": \"x-test-echo\"}",
                 "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                 "\"The command x-test-echo does not support OOB\"}}");
}

static void test_dispatch_fake_command(void)
{
    QmpSession session = { .command_mode = true };

    assert_reply(&session, "{\"execute\": \"x-test-echo\"}",
                 "{\"return\": {}}");
    assert_reply(&session, "{\"execute\": \"x-test-echo\", \"arguments\": "
                 "{\"text\": \"hi\"}, \"id\": [1, {\"x\": null}]}",
                 "{\"return\": {\"text\": \"hi\"}, \"id\": [1, {\"x\": "
                 "null}]}");
    assert_reply(&session, "{\"execute\": \"x-test-int\", \"arguments\": "
                 "{\"n\": 21}}", "{\"return\": 42}");
}

static void test_dispatch_command_errors(void)
{
    QmpSession session = { .command_mode = true };

    assert_reply(&session, "{\"execute\": \"x-test-echo\", \"arguments\": "
                 "{\"text\": \"nv1\", \"fail\": true}, \"id\": 7}",
                 "{\"id\": 7, \"error\": {\"class\": \"DeviceNotFound\", "
                 "\"desc\": \"Device 'nv1' not found\"}}");
    /* The class does not stick to the next failure. */
    assert_reply(&session, "{\"execute\": \"x-test-echo\", \"arguments\": "
                 "{\"bogus\": 1}}",
                 "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                 "\"Parameter 'bogus' is unexpected\"}}");
    assert_reply(&session, "{\"execute\": \"x-test-echo\", \"arguments\": "
                 "{\"text\": 5}}",
                 "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                 "\"Invalid parameter type for 'text', expected: "
                 "string\"}}");
    assert_reply(&session, "{\"execute\": \"x-test-int\"}",
                 "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                 "\"Parameter 'n' is missing\"}}");
    assert_reply(&session, "{\"execute\": \"nosuch\", \"id\": \"x\"}",
                 "{\"id\": \"x\", \"error\": {\"class\": "
                 "\"CommandNotFound\", \"desc\": \"The command nosuch has "
                 "not been found\"}}");
}

static void test_dispatch_malformed(void)
{
    QmpSession session = { .command_mode = true };
    static const struct {
        const char *request;
        const char *desc;
    } cases[] = {
        { "[1]", "QMP input must be a JSON object" },
        { "\"str\"", "QMP input must be a JSON object" },
        { "{\"foo\": 1}", "QMP input member 'foo' is unexpected" },
        { "{\"execute\": 1}", "QMP input member 'execute' must be a string" },
        { "{\"execute\": \"x-test-echo\", \"arguments\": []}",
          "QMP input member 'arguments' must be an object" },
        { "{}", "QMP input lacks member 'execute'" },
        { "{\"execute\": \"a\", \"exec-oob\": \"b\"}",
          "QMP input must not contain both 'execute' and 'exec-oob'" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        JsonObject *rsp = qmp_dispatch(&session, cases[i].request, NULL);
        JsonObject *err = json_object_get_object_member(rsp, "error");

        g_assert_nonnull(err);
        g_assert_cmpstr(json_object_get_string_member(err, "class"), ==,
                        "GenericError");
        g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==,
                        cases[i].desc);
        json_object_unref(rsp);
    }
}

static void test_dispatch_parse_error(void)
{
    QmpSession session = { .command_mode = true };
    JsonObject *rsp = qmp_dispatch(&session, "garbage", NULL);
    JsonObject *err = json_object_get_object_member(rsp, "error");

    g_assert_true(g_str_has_prefix(json_object_get_string_member(err, "desc"),
                                   "JSON parse error, "));
    json_object_unref(rsp);
    rsp = qmp_dispatch(&session, NULL, "JSON parse error, expecting value");
    err = json_object_get_object_member(rsp, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==,
                    "JSON parse error, expecting value");
    json_object_unref(rsp);
}

static void test_dispatch_single_quotes(void)
{
    QmpSession session = { .command_mode = true };
    Collected c = { .texts = g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(collect, &c);
    const char *req = "{'execute': 'x-test-echo', "
                      "'arguments': {'text': 'it\\'s'}}";

    json_streamer_feed(js, req, strlen(req));
    g_assert_cmpuint(c.texts->len, ==, 1);
    assert_reply(&session, c.texts->pdata[0],
                 "{\"return\": {\"text\": \"it's\"}}");
    json_streamer_free(js);
    g_ptr_array_free(c.texts, TRUE);
}

/* ---- Strict JSON, QEMU 7.2's answers (docs/specs/json.md) ---- */

typedef struct StrictCase {
    const char *request;
    const char *reply;
} StrictCase;

static void check_strict_cases(const StrictCase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        QmpSession session = { .command_mode = true };
        g_autofree char *reply = dispatch(&session, cases[i].request);

        if (strcmp(reply, cases[i].reply)) {
            g_error("request %s\n  replied  %s\n  expected %s",
                    cases[i].request, reply, cases[i].reply);
        }
    }
}

#define PARSE_ERROR(what) \
    "{\"error\": {\"class\": \"GenericError\", \"desc\": " \
    "\"JSON parse error, " what "\"}}"
#define ECHO_ID(id) "{\"return\": {}, \"id\": " id "}"

/* A \u0000 is a character of the string, never its end. */
static void test_strict_nul(void)
{
    static const StrictCase cases[] = {
        { "{\"execute\": \"x-test-echo\\u0000-not-really\"}",
          "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The "
          "command x-test-echo\\u0000-not-really has not been found\"}}" },
        { "{\"execute\": \"x-test-echo\", \"arguments\": "
          "{\"text\": \"a\\u0000b\\u0000\"}}",
          "{\"return\": {\"text\": \"a\\u0000b\\u0000\"}}" },
        /* raw C0 80 is U+0000 too (modified UTF-8) */
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xc0\x80\"}",
          ECHO_ID("\"\\u0000\"") },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

static void test_strict_duplicate_keys(void)
{
    static const StrictCase cases[] = {
        { "{\"execute\": \"x-test-echo\", \"id\": 1, \"id\": 2}",
          PARSE_ERROR("duplicate key") },
        { "{\"execute\": \"x-test-echo\", \"arguments\": {\"text\": \"a\", "
          "\"text\": \"a\"}}", PARSE_ERROR("duplicate key") },
        { "{\"execute\": \"x-test-echo\", \"id\": {\"a\": 1, \"b\": "
          "{\"c\": 1, \"c\": 2}}}", PARSE_ERROR("duplicate key") },
        /* the value is parsed before the key is checked */
        { "{\"execute\": \"x-test-echo\", \"id\": 1, \"id\": tru}",
          PARSE_ERROR("invalid keyword 'tru'") },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

/* int64, else uint64, else double; doubles printed with %.17g. */
static void test_strict_numbers(void)
{
    static const StrictCase cases[] = {
        { "{\"execute\": \"x-test-echo\", \"id\": 9223372036854775807}",
          ECHO_ID("9223372036854775807") },
        { "{\"execute\": \"x-test-echo\", \"id\": 9223372036854775808}",
          ECHO_ID("9223372036854775808") },
        { "{\"execute\": \"x-test-echo\", \"id\": 18446744073709551615}",
          ECHO_ID("18446744073709551615") },
        { "{\"execute\": \"x-test-echo\", \"id\": 18446744073709551616}",
          ECHO_ID("1.8446744073709552e+19") },
        { "{\"execute\": \"x-test-echo\", \"id\": -9223372036854775808}",
          ECHO_ID("-9223372036854775808") },
        { "{\"execute\": \"x-test-echo\", \"id\": -9223372036854775809}",
          ECHO_ID("-9.2233720368547758e+18") },
        { "{\"execute\": \"x-test-echo\", \"id\": "
          "123456789012345678901234567890}",
          ECHO_ID("1.2345678901234568e+29") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1e400}", ECHO_ID("inf") },
        { "{\"execute\": \"x-test-echo\", \"id\": -1e400}",
          ECHO_ID("-inf") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1.5e-400}", ECHO_ID("0") },
        { "{\"execute\": \"x-test-echo\", \"id\": -0}", ECHO_ID("0") },
        { "{\"execute\": \"x-test-echo\", \"id\": -0.0}", ECHO_ID("-0") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1.0}", ECHO_ID("1") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1.5E3}", ECHO_ID("1500") },
        { "{\"execute\": \"x-test-echo\", \"id\": 0.1}",
          ECHO_ID("0.10000000000000001") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1e17}", ECHO_ID("1e+17") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1e-7}",
          ECHO_ID("9.9999999999999995e-08") },
        { "{\"execute\": \"x-test-echo\", \"id\": 01}",
          PARSE_ERROR("stray '01'") },
        { "{\"execute\": \"x-test-echo\", \"id\": -01}",
          PARSE_ERROR("stray '-01'") },
        { "{\"execute\": \"x-test-echo\", \"id\": NaN}",
          PARSE_ERROR("stray 'N'") },
        { "{\"execute\": \"x-test-echo\", \"id\": Infinity}",
          PARSE_ERROR("stray 'I'") },
        { "{\"execute\": \"x-test-echo\", \"id\": +1}",
          PARSE_ERROR("stray '+'") },
        { "{\"execute\": \"x-test-echo\", \"id\": .5}",
          PARSE_ERROR("stray '.'") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1.}",
          PARSE_ERROR("stray '1.}'") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1e+}",
          PARSE_ERROR("stray '1e+}'") },
        { "{\"execute\": \"x-test-echo\", \"id\": -}",
          PARSE_ERROR("stray '-}'") },
        { "{\"execute\": \"x-test-echo\", \"id\": 0x10}",
          PARSE_ERROR("expected separator in dict") },
        /* an int64 argument takes no integer beyond INT64_MAX */
        { "{\"execute\": \"x-test-int\", \"arguments\": "
          "{\"n\": 9223372036854775808}}",
          "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid "
          "parameter type for 'n', expected: integer\"}}" },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

static void test_strict_escapes(void)
{
    static const StrictCase cases[] = {
        { "{\"execute\": \"quer\\y\"}",
          PARSE_ERROR("invalid escape sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\x41\"}",
          PARSE_ERROR("invalid escape sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": "
          "\"\\/\\b\\f\\n\\r\\t\\'\\\"\\\\\"}",
          ECHO_ID("\"/\\b\\f\\n\\r\\t'\\\"\\\\\"") },
        { "{\"\\u0065xecute\": \"x-test-echo\", \"id\": "
          "\"\\u0041\\u00e9\\u001f\"}", ECHO_ID("\"A\\u00E9\\u001F\"") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uD83D\\uDE00\"}",
          ECHO_ID("\"\\uD83D\\uDE00\"") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\ud83d\"}",
          PARSE_ERROR("\\\\ud83d is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uDE00\"}",
          PARSE_ERROR("\\\\uDE00 is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uD83D\\u0041\"}",
          PARSE_ERROR("\\\\uD83D is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uD83Dx\"}",
          PARSE_ERROR("\\\\uD83D is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uFFFF\"}",
          PARSE_ERROR("\\\\uFFFF is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\uFDD0\"}",
          PARSE_ERROR("\\\\uFDD0 is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\u00G0\"}",
          PARSE_ERROR("\\\\u00G0 is not a valid Unicode character") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\\u12\"}",
          PARSE_ERROR("\\\\u12\\\" is not a valid Unicode character") },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

static void test_strict_utf8(void)
{
    static const StrictCase cases[] = {
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xc3\x28\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\x80\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xc1\xbf\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xf4\x90\x80\x80\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xed\xa0\x80\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xef\xbf\xbf\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"\xef\xb7\x90\"}",
          PARSE_ERROR("invalid UTF-8 sequence in string") },
        { "{\"execute\": \"x-test-echo\", \"id\": "
          "\"\xc3\xa9\xf0\x9f\x98\x80\x7f\"}",
          ECHO_ID("\"\\u00E9\\uD83D\\uDE00\\u007F\"") },
        /* a byte no UTF-8 has, or a control character: lexical errors */
        { "{\"execute\": \"x-test-echo\", \"id\": \"a\xfe" "b\"}",
          PARSE_ERROR("stray '\\\"a\\uFFFD'") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"a\x01" "b\"}",
          PARSE_ERROR("stray '\\\"a\\u0001'") },
        { "{\"execute\": \"x-test-echo\", \"id\": \"a\tb\"}",
          PARSE_ERROR("stray '\\\"a\\t'") },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

/* The grammar, QEMU's extensions (single quotes) and what it refuses. */
static void test_strict_syntax(void)
{
    static const StrictCase cases[] = {
        { "{'execute': 'x-test-echo', 'arguments': {'text': 'it\\'s "
          "\"q\"'}}", "{\"return\": {\"text\": \"it's \\\"q\\\"\"}}" },
        { "{\"execute\": \"x-test-echo\", \"id\": \"%d %s\"}",
          ECHO_ID("\"%d %s\"") },
        { "{\"execute\": \"x-test-echo\", \"id\": %d}",
          PARSE_ERROR("stray '%'") },
        { "{\"execute\": \"x-test-echo\", \"id\": null}", ECHO_ID("null") },
        { "{\"execute\": \"x-test-echo\", \"id\": truex}",
          PARSE_ERROR("invalid keyword 'truex'") },
        { "{\"execute\": \"x-test-echo\", \"id\": True}",
          PARSE_ERROR("stray 'T'") },
        { "{\"execute\": \"x-test-echo\", \"id\": 1,}",
          PARSE_ERROR("expecting value") },
        { "{\"execute\": \"x-test-echo\",, \"id\": 1}",
          PARSE_ERROR("expecting value") },
        { "{\"execute\" \"x-test-echo\"}",
          PARSE_ERROR("missing : in object pair") },
        { "{\"execute\": \"x-test-echo\" \"id\": 1}",
          PARSE_ERROR("expected separator in dict") },
        { "{1: 2}", PARSE_ERROR("key is not a string in object") },
        { "{{}: 2}", PARSE_ERROR("key is not a string in object") },
        { "{\"execute\": \"x-test-echo\", \"id\": [1,]}",
          PARSE_ERROR("expecting value") },
        { "{\"execute\": \"x-test-echo\", \"id\": [,1]}",
          PARSE_ERROR("expecting value") },
        { "{\"execute\": \"x-test-echo\", \"id\": [1 2]}",
          PARSE_ERROR("expected separator in list") },
        { "{\"execute\": \"x-test-echo\", \"id\": /*c*/ 1}",
          PARSE_ERROR("stray '/'") },
        { "{\"execute\": \"x-test-echo\"", PARSE_ERROR("premature EOI") },
        { "{\"execute\": \"x-test-echo\", \"id\": [1, {\"a\": []}, \"x\", "
          "true, null, -5]}",
          ECHO_ID("[1, {\"a\": []}, \"x\", true, null, -5]") },
    };

    check_strict_cases(cases, G_N_ELEMENTS(cases));
}

static void test_command_names(void)
{
    g_auto(GStrv) names = qmp_command_names();

    g_assert_true(g_strv_contains((const char *const *)names,
                                  "qmp_capabilities"));
    g_assert_true(g_strv_contains((const char *const *)names,
                                  "query-memory-devices"));
    g_assert_true(g_strv_contains((const char *const *)names,
                                  "x-test-echo"));
}

/* ---- Schemas ---- */

/* Every command carries its schema, and all of them build. */
static void test_schema_every_command(void)
{
    g_auto(GStrv) missing = qmp_commands_without_schema();
    g_autoptr(JsonNode) schema = NULL;
    Error *err = NULL;

    if (missing[0]) {
        g_autofree char *list = g_strjoinv(", ", missing);

        g_error("commands registered without a schema: %s", list);
    }
    schema = qmp_schema_build(&err);
    if (!schema) {
        g_error("%s", error_get_pretty(err));
    }
    g_assert_cmpuint(json_array_get_length(json_node_get_array(schema)), >,
                     20);
}

static void test_schema_text_round_trip(void)
{
    static const char *const texts[] = {
        "str", "[int]", "{a: bool, b?: [str]}", "enum(x|y-z|w.1)", "enum()",
        "alt(str|int)", "union(t, {t: enum(a|b), id: str}, a: {x?: int}, "
        "b: {})",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        QmpSchemaType *t = qmp_schema_parse(texts[i], &error_abort);
        g_autofree char *back = qmp_schema_type_text(t);

        g_assert_cmpstr(back, ==, texts[i]);
        qmp_schema_type_free(t);
    }
}

static void test_schema_errors(void)
{
    static const char *const bad[] = {
        "", "{a bool}", "[str", "NoSuchType", "union(t, {id: str})",
        "union(t, {t: str}, a: int)", "enum(a|)", "{a: str} extra",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        Error *err = NULL;

        g_assert_null(qmp_schema_parse(bad[i], &err));
        g_assert_nonnull(err);
        error_free(err);
    }
}

/* QEMU's SchemaInfo: a type once, arrays "[N]", optional = default null. */
static void test_schema_info(void)
{
    QmpSchemaBuilder *b = qmp_schema_builder_new();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    g_assert_true(qmp_schema_add_command(b, "c1", NULL, "[{a: int}]", NULL,
                                         &error_abort));
    g_assert_true(qmp_schema_add_command(b, "c2", "{x?: str}", "[{a: int}]",
                                         "f1 f2", &error_abort));
    g_assert_true(qmp_schema_add_event(b, "E", NULL, &error_abort));
    node = qmp_schema_builder_finish(b);
    text = json_to_string(node, FALSE);
    g_assert_cmpstr(text, ==,
        "[{\"name\":\"0\",\"meta-type\":\"object\",\"members\":[]},"
        "{\"name\":\"int\",\"meta-type\":\"builtin\","
        "\"json-type\":\"int\"},"
        "{\"name\":\"1\",\"meta-type\":\"object\",\"members\":"
        "[{\"name\":\"a\",\"type\":\"int\"}]},"
        "{\"name\":\"[1]\",\"meta-type\":\"array\","
        "\"element-type\":\"1\"},"
        "{\"name\":\"c1\",\"meta-type\":\"command\","
        "\"arg-type\":\"0\",\"ret-type\":\"[1]\"},"
        "{\"name\":\"str\",\"meta-type\":\"builtin\","
        "\"json-type\":\"string\"},"
        "{\"name\":\"2\",\"meta-type\":\"object\",\"members\":"
        "[{\"name\":\"x\",\"type\":\"str\",\"default\":null}]},"
        "{\"name\":\"c2\",\"meta-type\":\"command\","
        "\"arg-type\":\"2\",\"ret-type\":\"[1]\","
        "\"features\":[\"f1\",\"f2\"]},"
        "{\"name\":\"E\",\"meta-type\":\"event\","
        "\"arg-type\":\"0\"}]");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    register_fakes();

    g_test_add_func("/qmp/split/one", test_split_one);
    g_test_add_func("/qmp/split/byte-by-byte", test_split_byte_by_byte);
    g_test_add_func("/qmp/split/across-chunks", test_split_across_chunks);
    g_test_add_func("/qmp/split/several-per-chunk",
                    test_split_several_per_chunk);
    g_test_add_func("/qmp/split/brackets-in-strings",
                    test_split_brackets_in_strings);
    g_test_add_func("/qmp/split/escapes", test_split_escapes);
    g_test_add_func("/qmp/split/escape-across-chunks",
                    test_split_escape_across_chunks);
    g_test_add_func("/qmp/split/single-quotes", test_split_single_quotes);
    g_test_add_func("/qmp/split/top-level-scalars",
                    test_split_top_level_scalars);
    g_test_add_func("/qmp/split/stray-closer", test_split_stray_closer);
    g_test_add_func("/qmp/split/too-deep", test_split_too_deep);
    g_test_add_func("/qmp/split/reset", test_split_reset);
    g_test_add_func("/qmp/output/compact", test_output_compact);
    g_test_add_func("/qmp/output/pretty", test_output_pretty);
    g_test_add_func("/qmp/output/escapes", test_output_escapes);
    g_test_add_func("/qmp/output/greeting", test_greeting);
    g_test_add_func("/qmp/dispatch/negotiation", test_dispatch_negotiation);
    g_test_add_func("/qmp/dispatch/oob-capability",
                    test_dispatch_oob_capability);
    g_test_add_func("/qmp/dispatch/fake-command", test_dispatch_fake_command);
    g_test_add_func("/qmp/dispatch/command-errors",
                    test_dispatch_command_errors);
    g_test_add_func("/qmp/dispatch/malformed", test_dispatch_malformed);
    g_test_add_func("/qmp/dispatch/parse-error", test_dispatch_parse_error);
    g_test_add_func("/qmp/dispatch/single-quotes",
                    test_dispatch_single_quotes);
    g_test_add_func("/qmp/dispatch/command-names", test_command_names);
    g_test_add_func("/qmp/schema/every-command", test_schema_every_command);
    g_test_add_func("/qmp/schema/text-round-trip",
                    test_schema_text_round_trip);
    g_test_add_func("/qmp/schema/errors", test_schema_errors);
    g_test_add_func("/qmp/schema/schema-info", test_schema_info);
    g_test_add_func("/qmp/strict/nul", test_strict_nul);
    g_test_add_func("/qmp/strict/duplicate-keys", test_strict_duplicate_keys);
    g_test_add_func("/qmp/strict/numbers", test_strict_numbers);
    g_test_add_func("/qmp/strict/escapes", test_strict_escapes);
    g_test_add_func("/qmp/strict/utf8", test_strict_utf8);
    g_test_add_func("/qmp/strict/syntax", test_strict_syntax);
    return g_test_run();
}
