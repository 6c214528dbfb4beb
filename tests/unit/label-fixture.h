/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Namespace label areas as Linux writes them (the layout of its struct
 * nd_namespace_index), built independently of hw/mem/nvdimm-label.c.
 */
#ifndef TESTS_LABEL_FIXTURE_H
#define TESTS_LABEL_FIXTURE_H

#include <stdint.h>

/* Store @v little-endian in @n bytes at @p. */
void label_fixture_st(uint8_t *p, uint64_t v, int n);
/* Fletcher-64 as Linux defines it: 32-bit words, 32-bit low sum. */
uint64_t label_fixture_fletcher(const uint8_t *p, uint64_t len);
/*
 * An index block of @size bytes at @off of @area (other block at @other,
 * sequence number @seq), checksummed.
 */
void label_fixture_put_index(uint8_t *area, uint64_t off, uint64_t size,
                             uint64_t other, uint32_t seq);

#endif
