/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modified UTF-8 decoding and encoding: see include/qemu/unicode.h and
 * docs/specs/json.md ("Strings").
 */
#include "qemu/osdep.h"
#include "qemu/unicode.h"

bool utf8m_codepoint_valid(int32_t cp)
{
    if (cp < 0 || cp > 0x10ffff) {
        return false;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
        return false;               /* surrogate */
    }
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe) {
        return false;               /* noncharacter */
    }
    return true;
}

int32_t utf8m_decode(const char *s, size_t n, size_t *used)
{
    /* The smallest code point each sequence length may encode. */
    static const int32_t shortest[7] = {
        0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000,
    };
    const unsigned char *p = (const unsigned char *)s;
    unsigned len, i;
    int32_t cp;

    if (n == 0 || p[0] == 0) {
        *used = 0;
        return -1;
    }
    if (p[0] < 0x80) {
        *used = 1;
        return p[0];
    }
    if (p[0] >= 0xfe || (p[0] & 0xc0) == 0x80) {
        *used = 1;                  /* FE, FF or a continuation byte */
        return -1;
    }
    /* 110xxxxx .. 1111110x: as many bytes as leading one bits */
    for (len = 0; p[0] & (0x80 >> len); len++) {
        continue;
    }
    cp = p[0] & (0x7f >> len);
    for (i = 1; i < len; i++) {
        if (i >= n || (p[i] & 0xc0) != 0x80) {
            *used = i;              /* cut short */
            return -1;
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    *used = len;
    if (len == 2 && cp == 0) {
        return 0;                   /* C0 80 */
    }
    if (cp < shortest[len] || !utf8m_codepoint_valid(cp)) {
        return -1;
    }
    return cp;
}

int utf8m_encode(char buf[4], int32_t cp)
{
    if (!utf8m_codepoint_valid(cp)) {
        return -1;
    }
    if (cp == 0) {
        buf[0] = (char)0xc0;
        buf[1] = (char)0x80;
        return 2;
    }
    if (cp < 0x80) {
        buf[0] = cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = 0xc0 | (cp >> 6);
        buf[1] = 0x80 | (cp & 0x3f);
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = 0xe0 | (cp >> 12);
        buf[1] = 0x80 | ((cp >> 6) & 0x3f);
        buf[2] = 0x80 | (cp & 0x3f);
        return 3;
    }
    buf[0] = 0xf0 | (cp >> 18);
    buf[1] = 0x80 | ((cp >> 12) & 0x3f);
    buf[2] = 0x80 | ((cp >> 6) & 0x3f);
    buf[3] = 0x80 | (cp & 0x3f);
    return 4;
}
