/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Number, size and boolean parsing with QEMU's rules.
 *
 * Sizes follow QEMU 7.2's qemu_strtosz(): decimal with an optional
 * fraction, or hexadecimal, and an optional binary scaling suffix; the
 * whole string must be consumed.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

/*
 * Fraction digits beyond this many are ignored when scaling (they can only
 * move the result by less than one byte for any 64-bit multiplier).
 */
#define SIZE_FRAC_DIGITS 19

/* Multiplier for a size suffix letter, or 0 if @c is not a suffix. */
static uint64_t size_suffix_mul(char c)
{
    static const char letters[] = "BKMGTPE";
    const char *hit;

    if (c == '\0') {
        return 0;
    }
    hit = strchr(letters, g_ascii_toupper(c));
    if (!hit) {
        return 0;
    }
    return UINT64_C(1) << (10 * (hit - letters));
}

/*
 * The digits of one base from *@pp on, into *@val; *@overflow if they do
 * not fit in 64 bits.  Returns how many there were.
 */
static int size_digits(const char **pp, unsigned base, uint64_t *val,
                       bool *overflow)
{
    const char *p = *pp;
    int n = 0;

    *val = 0;
    *overflow = false;
    for (; base == 16 ? g_ascii_isxdigit(*p) : g_ascii_isdigit(*p); p++) {
        unsigned d = g_ascii_xdigit_value(*p);

        if (*val > (UINT64_MAX - d) / base) {
            *overflow = true;
        } else {
            *val = *val * base + d;
        }
        n++;
    }
    *pp = p;
    return n;
}

/* A floating-point exponent ("e3", "E+0") that strtod() would take. */
static bool size_exponent(const char *p)
{
    if (*p != 'e' && *p != 'E') {
        return false;
    }
    p++;
    if (*p == '+' || *p == '-') {
        p++;
    }
    return g_ascii_isdigit(*p);
}

int parse_size_full(const char *str, uint64_t *result, bool *hex_suffix)
{
    const char *p = str;
    uint64_t ival, fdigits = 0, fscale = 1, mul;
    bool overflow, hex = false, frac_nonzero = false;
    int nfrac = 0;
    unsigned __int128 total;

    if (hex_suffix) {
        *hex_suffix = false;
    }
    if (!p) {
        return -EINVAL;
    }
    /* What strtoull() skips and takes: white space, then one sign. */
    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p == '+') {
        p++;
    }
    if (!g_ascii_isdigit(*p)) {
        /* no digits (".5k"), or a '-', which no size has */
        return -EINVAL;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        g_ascii_isxdigit(p[2])) {
        p += 2;
        hex = true;
        size_digits(&p, 16, &ival, &overflow);
    } else {
        size_digits(&p, 10, &ival, &overflow);
    }
    if (overflow) {
        /* QEMU stops at the number: out of range only if nothing follows */
        return *p ? -EINVAL : -ERANGE;
    }

    /* A fraction, decimal only: "1.5G", "1.k" (no digits) too. */
    if (*p == '.') {
        if (hex) {
            return -EINVAL;
        }
        p++;
        while (g_ascii_isdigit(*p)) {
            if (*p != '0') {
                frac_nonzero = true;
            }
            if (nfrac < SIZE_FRAC_DIGITS) {
                fdigits = fdigits * 10 + (*p - '0');
                fscale *= 10;
            }
            nfrac++;
            p++;
        }
        /* "1.5e3": a floating-point exponent, not the exbibyte suffix */
        if (nfrac && size_exponent(p)) {
            return -EINVAL;
        }
        nfrac = MIN(nfrac, SIZE_FRAC_DIGITS);
    }

    mul = size_suffix_mul(*p);
    if (mul) {
        p++;
        if (hex_suffix && hex) {
            /* QEMU 7.2 takes it, with a deprecation warning */
            *hex_suffix = true;
        }
    } else {
        mul = 1;
    }
    if (*p != '\0') {
        return -EINVAL;
    }
    /* A fraction of a byte makes no sense ("1.5B", "1.5"); "1.0B" is fine. */
    if (frac_nonzero && mul == 1) {
        return -EINVAL;
    }

    /* Exact in 128 bits; the fraction is rounded to the nearest byte. */
    total = (unsigned __int128)ival * mul;
    if (nfrac) {
        total += ((unsigned __int128)fdigits * mul + fscale / 2) / fscale;
    }
    if (total > UINT64_MAX) {
        return -ERANGE;
    }
    *result = (uint64_t)total;
    return 0;
}

bool parse_bool(const char *str, bool *result)
{
    if (!str) {
        return false;
    }
    if (!strcmp(str, "on") || !strcmp(str, "yes") || !strcmp(str, "true")) {
        *result = true;
        return true;
    }
    if (!strcmp(str, "off") || !strcmp(str, "no") || !strcmp(str, "false")) {
        *result = false;
        return true;
    }
    return false;
}

/* strtoll() and friends skip leading blanks; we want none. */
static bool number_start_ok(const char *str)
{
    return str && *str && !g_ascii_isspace(*str);
}

bool parse_int64(const char *str, int64_t *result)
{
    char *end;
    long long val;

    if (!number_start_ok(str)) {
        return false;
    }
    errno = 0;
    val = strtoll(str, &end, 0);
    if (errno || end == str || *end != '\0') {
        return false;
    }
    *result = val;
    return true;
}

bool parse_uint64(const char *str, uint64_t *result)
{
    char *end;
    unsigned long long val;

    /* strtoull() would silently negate "-1" into UINT64_MAX. */
    if (!number_start_ok(str) || *str == '-') {
        return false;
    }
    errno = 0;
    val = strtoull(str, &end, 0);
    if (errno || end == str || *end != '\0') {
        return false;
    }
    *result = val;
    return true;
}

char *size_to_str(uint64_t val)
{
    static const char *const prefixes[] = {
        "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    };
    unsigned i = 0;

    /*
     * Move to the next unit once the number would need four digits in the
     * current one, so 1000 bytes print as "0.977 KiB", not "1e+03 B".
     */
    while (i < ARRAY_SIZE(prefixes) - 1 &&
           val >= 1000 * (UINT64_C(1) << (10 * i))) {
        i++;
    }
    return g_strdup_printf("%.3g %sB",
                           (double)val / (double)(UINT64_C(1) << (10 * i)),
                           prefixes[i]);
}
