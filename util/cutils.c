/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Number, size and boolean parsing with QEMU's rules.
 *
 * Sizes follow qemu_strtosz(): decimal with an optional fraction and a
 * binary scaling suffix, or plain hexadecimal; the whole string must be
 * consumed.
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

/* Hexadecimal size: "0x" and at least one digit; no fraction, no suffix. */
static bool parse_size_hex(const char *p, uint64_t default_unit,
                           uint64_t *result)
{
    uint64_t val = 0;
    const char *start = p;

    while (g_ascii_isxdigit(*p)) {
        if (val > (UINT64_MAX >> 4)) {
            return false;
        }
        val = (val << 4) | g_ascii_xdigit_value(*p);
        p++;
    }
    if (p == start || *p != '\0') {
        return false;
    }
    if (default_unit && val > UINT64_MAX / default_unit) {
        return false;
    }
    *result = val * default_unit;
    return true;
}

bool parse_size_unit(const char *str, uint64_t default_unit,
                     uint64_t *result)
{
    const char *p = str;
    uint64_t ival = 0, fdigits = 0, fscale = 1, mul;
    bool int_overflow = false, frac_nonzero = false;
    int ndigits = 0, nfrac = 0;
    unsigned __int128 total;

    if (!p) {
        return false;
    }
    /* A leading '+' is tolerated (as by strtoull); '-' never is. */
    if (*p == '+') {
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        return parse_size_hex(p + 2, default_unit, result);
    }

    /* Integral part, always decimal ("08" is eight). */
    while (g_ascii_isdigit(*p)) {
        unsigned d = *p - '0';

        if (ival > (UINT64_MAX - d) / 10) {
            int_overflow = true;
        } else {
            ival = ival * 10 + d;
        }
        ndigits++;
        p++;
    }

    /* Optional fraction; either side of the point may be empty. */
    if (*p == '.') {
        p++;
        while (g_ascii_isdigit(*p)) {
            if (*p != '0') {
                frac_nonzero = true;
            }
            if (nfrac < SIZE_FRAC_DIGITS) {
                fdigits = fdigits * 10 + (*p - '0');
                fscale *= 10;
                nfrac++;
            }
            ndigits++;
            p++;
        }
    }
    if (ndigits == 0) {
        return false;
    }

    mul = size_suffix_mul(*p);
    if (mul) {
        p++;
    } else {
        mul = default_unit;
    }
    if (*p != '\0' || int_overflow) {
        return false;
    }
    /* A fraction of a byte makes no sense ("1.5B"); "1.0B" is fine. */
    if (frac_nonzero && mul == 1) {
        return false;
    }

    /* Exact in 128 bits; the fraction is rounded to the nearest byte. */
    total = (unsigned __int128)ival * mul;
    if (nfrac) {
        total += ((unsigned __int128)fdigits * mul + fscale / 2) / fscale;
    }
    if (total > UINT64_MAX) {
        return false;
    }
    *result = (uint64_t)total;
    return true;
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
