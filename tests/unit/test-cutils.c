/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for size, number and boolean parsing (util/cutils.c).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

#define EiB (UINT64_C(1) << 60)
#define PiB (UINT64_C(1) << 50)

/* Sentinel that no test expects as a result. */
#define UNTOUCHED UINT64_C(0xbaadf00d)

static void check_size(const char *str, uint64_t expected)
{
    uint64_t res = UNTOUCHED;
    bool hex_suffix = true;
    int r = parse_size_full(str, &res, &hex_suffix);

    if (r) {
        g_error("parse_size_full(\"%s\") failed: %d", str, r);
    }
    g_assert_cmpuint(res, ==, expected);
    g_assert_false(hex_suffix);
}

/* Hexadecimal with a suffix: taken, and the caller must warn. */
static void check_size_hex_suffix(const char *str, uint64_t expected)
{
    uint64_t res = UNTOUCHED;
    bool hex_suffix = false;

    g_assert_cmpint(parse_size_full(str, &res, &hex_suffix), ==, 0);
    g_assert_cmpuint(res, ==, expected);
    g_assert_true(hex_suffix);
}

static void check_size_fails(const char *str, int expected)
{
    uint64_t res = UNTOUCHED;
    int r = parse_size_full(str, &res, NULL);

    if (r != expected) {
        g_error("parse_size_full(\"%s\") = %d (result %" PRIu64 "), "
                "expected %d", str, r, res, expected);
    }
    /* Failure leaves the result alone. */
    g_assert_cmphex(res, ==, UNTOUCHED);
    g_assert_false(parse_size(str, &res));
}

/* Not a size: QEMU's "expects a non-negative number below 2^64". */
static void check_size_bad(const char *str)
{
    check_size_fails(str, -EINVAL);
}

/* A size past 2^64 - 1: QEMU's "is out of range". */
static void check_size_range(const char *str)
{
    check_size_fails(str, -ERANGE);
}

static void test_size_plain(void)
{
    check_size("0", 0);
    check_size("1", 1);
    check_size("4096", 4096);
    check_size("536870912", 536870912);
    /* Leading zeros are decimal, not octal. */
    check_size("08", 8);
    check_size("010", 10);
    /* strtoull()'s leading white space and '+' sign, as in QEMU 7.2. */
    check_size("+12345", 12345);
    check_size(" 1k", KiB);
    check_size("\t1", 1);
    check_size(" +512M", 512 * MiB);
    /* Large values beyond double precision stay exact. */
    check_size("9007199254740993", UINT64_C(9007199254740993));
    check_size("18446744073709550591", UINT64_C(0xfffffffffffffbff));
    check_size("18446744073709551615", UINT64_MAX);
}

static void test_size_suffixes(void)
{
    check_size("1B", 1);
    check_size("1b", 1);
    check_size("1K", KiB);
    check_size("1k", KiB);
    check_size("1M", MiB);
    check_size("1m", MiB);
    check_size("1G", GiB);
    check_size("1g", GiB);
    check_size("1T", TiB);
    check_size("1t", TiB);
    check_size("1P", PiB);
    check_size("1p", PiB);
    check_size("1E", EiB);
    check_size("1e", EiB);
    check_size("4G", 4 * GiB);
    check_size("2M", 2 * MiB);
    check_size("512M", 512 * MiB);
    check_size("128k", 128 * KiB);
    check_size("15E", 15 * EiB);
    check_size("16777215T", UINT64_C(16777215) * TiB);
    /* -m size=219136k,slots=16,maxmem=1099511627776k */
    check_size("219136k", UINT64_C(219136) * 1024);
    check_size("1099511627776k", UINT64_C(1) << 50);
}

static void test_size_fraction(void)
{
    check_size("1.5G", 3 * GiB / 2);
    check_size("1.5g", 3 * GiB / 2);
    check_size("0.5E", EiB / 2);
    check_size("0.125G", GiB / 8);
    check_size("1.5M", 3 * MiB / 2);
    check_size("2.25k", 2304);
    check_size("5.G", 5 * GiB);
    /* A fraction of zero is tolerated even on bytes. */
    check_size("1.0B", 1);
    check_size("1.000", 1);
    check_size("1.", 1);
    /* An empty tail of the fraction; never an empty head (QEMU 7.2). */
    check_size("1.k", KiB);
    check_size_bad(".5k");
    check_size_bad("+.5k");
    check_size_bad(".5G");
    /* Rounded to the nearest byte. */
    check_size("12.345M", 12944671);       /* 12944670.72, as QEMU */
    check_size("0.1k", 102);               /* 102.4 */
    check_size("0.0005k", 1);              /* 0.512 */
    check_size("0.0004k", 0);              /* 0.4096 */
    check_size("1.9999k", 2048);           /* 2047.8976 */
    /* exact here; QEMU 7.2's double rounds these fractions to 1.0 and
     * then loses them (1024) */
    check_size("1.9999999999999999999999999999999999999999k", 2048);
    check_size("1.0000000000000000000000000000000000000001k", KiB);
    check_size("15.5E", 15 * EiB + EiB / 2);
}

static void test_size_hex(void)
{
    check_size("0x0", 0);
    check_size("0x1000", 4096);
    check_size("0X1000", 4096);
    check_size("0xab", 0xab);
    check_size("0xAB", 0xab);
    /* B and E are hex digits here, not suffixes. */
    check_size("0x1b", 0x1b);
    check_size("0x1E", 0x1e);
    check_size("+0xae", 0xae);
    check_size(" 0x10", 16);
    check_size("0xffffffffffffffff", UINT64_MAX);
    /* A suffix: taken by QEMU 7.2, with a deprecation warning. */
    check_size_hex_suffix("0x18M", 24 * MiB);
    check_size_hex_suffix("0x1k", KiB);
    check_size_hex_suffix("0X10k", 16 * KiB);
    check_size_hex_suffix("0x10M", 16 * MiB);
    check_size_range("0x10000000000000000");
    check_size_range("0x10000P");           /* 2^66 */
    check_size_bad("0x");
    check_size_bad("0x1.8k");
    check_size_bad("0x1.");
    check_size_bad("0x10.5");
    /* 'p' is the peta suffix, then "1" is left over */
    check_size_bad("0x1p1");
    check_size_bad("0xg");
    check_size_bad("00x1");
    check_size_bad("0x10000000000000000k");
}

static void test_size_invalid(void)
{
    check_size_bad(NULL);
    check_size_bad("");
    check_size_bad(" ");
    check_size_bad(".");
    check_size_bad(".k");
    check_size_bad("k");
    check_size_bad("M");
    check_size_bad("inf");
    check_size_bad("NaN");
    check_size_bad("crap");
    check_size_bad("12foo");
    check_size_bad("1kiB");
    check_size_bad("1KB");
    check_size_bad("4GB");
    check_size_bad("1X");
    check_size_bad("1 k");
    check_size_bad("1k ");
    check_size_bad("123-45");
    check_size_bad("0b1000");
    check_size_bad("0.NaN");
    check_size_bad("1.1.k");
    check_size_bad("1.1.");
    check_size_bad("1..5k");
    check_size_bad("1,5G");
    /* No floating-point exponents: 'e' is the exbibyte suffix. */
    check_size_bad("1e3");
    check_size_bad("1.5e3");
    check_size_bad("1.5e1k");
    check_size_bad("1.5E+0k");
    check_size("1.5e", EiB + EiB / 2);
    /* Fractions need a unit larger than a byte. */
    check_size_bad("1.5B");
    check_size_bad("1.5b");
    check_size_bad("1.5");
    check_size_bad("1.1");
    check_size_bad("0.5");
    check_size_bad("1.00001B");
    check_size_bad("1.000000000000000000000000000000001B");
}

static void test_size_negative(void)
{
    check_size_bad("-1");
    check_size_bad("-0");
    check_size_bad(" -1");
    check_size_bad("-2M");
    check_size_bad("-.5k");
    check_size_bad("-0x10");
    check_size_bad("+-1");
    check_size_bad("--1");
}

static void test_size_overflow(void)
{
    check_size_range("18446744073709551616");            /* 2^64 */
    check_size_range("99999999999999999999999999");
    check_size_range("16E");
    check_size_range("20E");
    check_size_range("16384P");
    check_size_range("17179869184G");                    /* 2^64 */
    check_size("17179869183G", UINT64_MAX - GiB + 1);
    check_size_range("16.0E");
    /* The fraction alone can push past 2^64. */
    check_size_range("15.9999999999999999999999999999999999999999999E");
    /* Anything after the number makes it no size at all. */
    check_size_bad("100000Pjunk");
    check_size_bad("18446744073709551616k");
    check_size_bad("99999999999999999999x");
}

static void test_parse_bool(void)
{
    static const char *const yes[] = { "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };
    static const char *const bad[] = {
        "", "ON", "On", "Yes", "TRUE", "1", "0", "y", "n", "enable",
        "on ", " on", "of", "truee",
    };
    bool b;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        b = false;
        g_assert_true(parse_bool(yes[i], &b));
        g_assert_true(b);
    }
    for (i = 0; i < ARRAY_SIZE(no); i++) {
        b = true;
        g_assert_true(parse_bool(no[i], &b));
        g_assert_false(b);
    }
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        b = true;
        if (parse_bool(bad[i], &b)) {
            g_error("parse_bool accepted \"%s\"", bad[i]);
        }
        /* Untouched on failure. */
        g_assert_true(b);
        b = false;
        g_assert_false(parse_bool(bad[i], &b));
        g_assert_false(b);
    }
    g_assert_false(parse_bool(NULL, &b));
}

static void test_parse_int64(void)
{
    int64_t v;

    g_assert_true(parse_int64("0", &v));
    g_assert_cmpint(v, ==, 0);
    g_assert_true(parse_int64("42", &v));
    g_assert_cmpint(v, ==, 42);
    g_assert_true(parse_int64("-42", &v));
    g_assert_cmpint(v, ==, -42);
    g_assert_true(parse_int64("+7", &v));
    g_assert_cmpint(v, ==, 7);
    g_assert_true(parse_int64("0x10", &v));
    g_assert_cmpint(v, ==, 16);
    g_assert_true(parse_int64("-0x10", &v));
    g_assert_cmpint(v, ==, -16);
    g_assert_true(parse_int64("010", &v));
    g_assert_cmpint(v, ==, 8);
    g_assert_true(parse_int64("9223372036854775807", &v));
    g_assert_cmpint(v, ==, INT64_MAX);
    g_assert_true(parse_int64("-9223372036854775808", &v));
    g_assert_cmpint(v, ==, INT64_MIN);

    v = 1234;
    g_assert_false(parse_int64("9223372036854775808", &v));
    g_assert_false(parse_int64("-9223372036854775809", &v));
    g_assert_false(parse_int64(NULL, &v));
    g_assert_false(parse_int64("", &v));
    g_assert_false(parse_int64("-", &v));
    g_assert_false(parse_int64("abc", &v));
    g_assert_false(parse_int64("12abc", &v));
    g_assert_false(parse_int64("1.5", &v));
    g_assert_false(parse_int64("08", &v));
    g_assert_false(parse_int64("0x", &v));
    g_assert_false(parse_int64("1k", &v));
    g_assert_false(parse_int64(" 1", &v));
    g_assert_false(parse_int64("1 ", &v));
    g_assert_cmpint(v, ==, 1234);
}

static void test_parse_uint64(void)
{
    uint64_t v;

    g_assert_true(parse_uint64("0", &v));
    g_assert_cmpuint(v, ==, 0);
    g_assert_true(parse_uint64("131072", &v));
    g_assert_cmpuint(v, ==, 131072);
    g_assert_true(parse_uint64("0x1000", &v));
    g_assert_cmpuint(v, ==, 4096);
    g_assert_true(parse_uint64("0777", &v));
    g_assert_cmpuint(v, ==, 511);
    g_assert_true(parse_uint64("18446744073709551615", &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    g_assert_true(parse_uint64("0xffffffffffffffff", &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);

    v = 1234;
    g_assert_false(parse_uint64("18446744073709551616", &v));
    g_assert_false(parse_uint64("-1", &v));
    g_assert_false(parse_uint64("-0", &v));
    g_assert_false(parse_uint64(NULL, &v));
    g_assert_false(parse_uint64("", &v));
    g_assert_false(parse_uint64("x", &v));
    g_assert_false(parse_uint64("4G", &v));
    g_assert_false(parse_uint64("09", &v));
    g_assert_false(parse_uint64(" 1", &v));
    g_assert_false(parse_uint64("1\n", &v));
    g_assert_cmpuint(v, ==, 1234);
}

static void check_size_to_str(uint64_t val, const char *expected)
{
    g_autofree char *str = size_to_str(val);

    g_assert_cmpstr(str, ==, expected);
}

static void test_size_to_str(void)
{
    check_size_to_str(0, "0 B");
    check_size_to_str(1, "1 B");
    check_size_to_str(999, "999 B");
    check_size_to_str(1000, "0.977 KiB");
    check_size_to_str(1016, "0.992 KiB");
    check_size_to_str(1024, "1 KiB");
    check_size_to_str(1536, "1.5 KiB");
    check_size_to_str(128 * KiB, "128 KiB");
    check_size_to_str(131072, "128 KiB");
    check_size_to_str(3 * MiB / 2, "1.5 MiB");
    check_size_to_str(2 * MiB, "2 MiB");
    check_size_to_str(512 * MiB, "512 MiB");
    check_size_to_str(4 * GiB, "4 GiB");
    check_size_to_str(12944671, "12.3 MiB");
    check_size_to_str(TiB, "1 TiB");
    check_size_to_str(PiB, "1 PiB");
    check_size_to_str(EiB, "1 EiB");
    check_size_to_str(UINT64_MAX, "16 EiB");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/cutils/parse_size/plain", test_size_plain);
    g_test_add_func("/cutils/parse_size/suffixes", test_size_suffixes);
    g_test_add_func("/cutils/parse_size/fraction", test_size_fraction);
    g_test_add_func("/cutils/parse_size/hex", test_size_hex);
    g_test_add_func("/cutils/parse_size/invalid", test_size_invalid);
    g_test_add_func("/cutils/parse_size/negative", test_size_negative);
    g_test_add_func("/cutils/parse_size/overflow", test_size_overflow);
    g_test_add_func("/cutils/parse_bool", test_parse_bool);
    g_test_add_func("/cutils/parse_int64", test_parse_int64);
    g_test_add_func("/cutils/parse_uint64", test_parse_uint64);
    g_test_add_func("/cutils/size_to_str", test_size_to_str);

    return g_test_run();
}
