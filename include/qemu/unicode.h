/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modified UTF-8: UTF-8 in which U+0000 is written as the two bytes
 * C0 80, so that a C string can hold it without being cut there.  This
 * is how QEMU's JSON parser stores the strings it reads and how its JSON
 * writer reads the strings it prints (docs/specs/json.md).
 */
#ifndef QEMU_UNICODE_H
#define QEMU_UNICODE_H

#include "qemu/osdep.h"

/* The two bytes that stand for U+0000 inside a string. */
#define UTF8M_NUL "\xC0\x80"

/*
 * True for a Unicode scalar value that is not a noncharacter: at most
 * U+10FFFF, not a surrogate (U+D800..U+DFFF), not U+FDD0..U+FDEF and not
 * U+xxFFFE/U+xxFFFF.
 */
bool utf8m_codepoint_valid(int32_t cp);

/*
 * Decode one character of @s (at most @n bytes are looked at, and a NUL
 * byte ends the input).  Returns the code point, or -1 if the bytes are
 * not a valid character; *@used is how many bytes to skip either way:
 * 0 at the end of the input, 1 for a byte that cannot start a character
 * (a continuation byte, FE, FF), 1 plus the continuation bytes present
 * for a sequence cut short, else the whole sequence (also when it is
 * well-formed but overlong, a surrogate, a noncharacter or beyond
 * U+10FFFF).  Overlong forms are invalid except C0 80, which is U+0000.
 */
int32_t utf8m_decode(const char *s, size_t n, size_t *used);

/*
 * Write @cp into @buf (U+0000 as C0 80, no terminating NUL).  Returns the
 * number of bytes (1 to 4), or -1 if !utf8m_codepoint_valid(@cp).
 */
int utf8m_encode(char buf[4], int32_t cp);

#endif
