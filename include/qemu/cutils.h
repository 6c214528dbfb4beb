/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Number, size and boolean parsing with QEMU's rules.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"

/*
 * Sizes, as QEMU 7.2's qemu_strtosz() reads them: after optional white
 * space and a '+', a decimal number with an optional fraction ("1.5",
 * "1.", never ".5") or a "0x" hexadecimal one, then an optional suffix B,
 * K, M, G, T, P, E in either case (powers of 1024).  A fraction needs a
 * suffix above B ("1.0B" is fine: its fraction is zero) and is rounded to
 * the nearest byte (exactly: QEMU 7.2 computes it in double precision).
 * "0x1B" is 27 (B is a hex digit); "0x10M" is 16 MiB, which QEMU 7.2
 * accepts with a deprecation warning: *@hex_suffix (if not NULL) tells
 * the caller to print it, whatever the result.  Returns 0, -ERANGE for a
 * size past 2^64 - 1 with nothing after it, else -EINVAL; *@result is
 * only written on success.
 */
int parse_size_full(const char *str, uint64_t *result, bool *hex_suffix);
static inline bool parse_size(const char *str, uint64_t *result)
{
    return parse_size_full(str, result, NULL) == 0;
}
/* QEMU 7.2's warning for *hex_suffix (after "warning: "). */
#define SIZE_HEX_SUFFIX_WARNING \
    "Using a multiplier suffix on hex numbers is deprecated: %s"

/* on/off, yes/no, true/false (exact lower case, as QEMU). */
bool parse_bool(const char *str, bool *result);

/* Decimal, 0x hex or leading-0 octal as strtoll with base 0; no garbage. */
bool parse_int64(const char *str, int64_t *result);
bool parse_uint64(const char *str, uint64_t *result);

/* "4 GiB"-style text for messages (g_free the result). */
char *size_to_str(uint64_t val);

#endif
