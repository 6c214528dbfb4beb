/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Number, size and boolean parsing with QEMU's rules.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"

/*
 * Sizes: a non-negative decimal (or 0x hex) number, optionally with a
 * fraction ("1.5G"), and an optional suffix B, K, M, G, T, P, E in either
 * case (powers of 1024).  Without a suffix the number is multiplied by
 * @default_unit (1 for bytes, MiB for -m).  Rejects empty strings,
 * trailing garbage, negative numbers and overflow past 2^64 - 1.
 */
bool parse_size_unit(const char *str, uint64_t default_unit,
                     uint64_t *result);
static inline bool parse_size(const char *str, uint64_t *result)
{
    return parse_size_unit(str, 1, result);
}

/* on/off, yes/no, true/false (exact lower case, as QEMU). */
bool parse_bool(const char *str, bool *result);

/* Decimal, 0x hex or leading-0 octal as strtoll with base 0; no garbage. */
bool parse_int64(const char *str, int64_t *result);
bool parse_uint64(const char *str, uint64_t *result);

/* "4 GiB"-style text for messages (g_free the result). */
char *size_to_str(uint64_t val);

#endif
