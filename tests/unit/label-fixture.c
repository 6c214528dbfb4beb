/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Namespace label areas as Linux writes them, for the label-area guard's
 * tests (unit and qtest): see label-fixture.h.
 */
#include <stdint.h>
#include <string.h>
#include "label-fixture.h"

void label_fixture_st(uint8_t *p, uint64_t v, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

/* Fletcher-64 as Linux defines it: 32-bit words, 32-bit low sum. */
uint64_t label_fixture_fletcher(const uint8_t *p, uint64_t len)
{
    uint64_t lo = 0, hi = 0, i;

    for (i = 0; i < len; i += 4) {
        lo = (lo + (p[i] | p[i + 1] << 8 | p[i + 2] << 16 |
                    (uint64_t)p[i + 3] << 24)) & 0xffffffffu;
        hi += lo;
    }
    return hi << 32 | lo;
}

/* An index block of @size bytes at @off, as Linux writes one. */
void label_fixture_put_index(uint8_t *area, uint64_t off, uint64_t size,
                      uint64_t other, uint32_t seq)
{
    uint8_t *b = area + off;

    memset(b, 0, size);
    memcpy(b, "NAMESPACE_INDEX", 16);       /* the NUL is the 16th byte */
    label_fixture_st(b + 20, seq, 4);
    label_fixture_st(b + 24, off, 8);
    label_fixture_st(b + 32, size, 8);
    label_fixture_st(b + 40, other, 8);
    label_fixture_st(b + 48, 2 * size, 8);
    label_fixture_st(b + 56, 1020, 4);
    label_fixture_st(b + 60, 1, 2);
    label_fixture_st(b + 62, 2, 2);
    b[72] = 0xfe;                           /* the free bitmap */
    label_fixture_st(b + 64, label_fixture_fletcher(b, size), 8);
}
