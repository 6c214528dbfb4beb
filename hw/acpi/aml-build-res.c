/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AML resource descriptors a host bridge's _CRS needs: the Word, DWord
 * and QWord Address Space Descriptors (ACPI 6.4 §6.4.3.5.1-3), always as
 * a bridge declares its windows: produced for its children, fixed
 * minimum and maximum, positive decode, no translation.
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "aml-build-internal.h"

#define ACPI_RES_QWORD_ADDR         0x8A    /* length 43 after the header */
#define ACPI_RES_DWORD_ADDR         0x87    /* 23 */
#define ACPI_RES_WORD_ADDR          0x88    /* 13 */
/* Resource Type (byte 3) */
#define ACPI_RES_TYPE_MEMORY        0
#define ACPI_RES_TYPE_IO            1
#define ACPI_RES_TYPE_BUS           2
/* General Flags (byte 4): _MAF, _MIF; producer, positive decode = 0. */
#define ACPI_RES_FLAG_MAX_FIXED     (1u << 3)
#define ACPI_RES_FLAG_MIN_FIXED     (1u << 2)
/* Type Specific Flags (byte 5) */
#define ACPI_RES_MEM_READ_WRITE     (1u << 0)   /* _RW; non-cacheable */
#define ACPI_RES_IO_RANGE_ENTIRE    3           /* _RNG: ISA and non-ISA */

/* One descriptor: tag, length, type, flags, then five fields of @width. */
static Aml *addr_space(uint8_t tag, unsigned width, uint8_t type,
                       uint8_t type_flags, uint64_t min, uint64_t max)
{
    Aml *a = aml_node_op(tag);

    acpi_push_le(a->buf, 3 + 5 * width, 2);
    aml_push_byte(a->buf, type);
    aml_push_byte(a->buf, ACPI_RES_FLAG_MAX_FIXED | ACPI_RES_FLAG_MIN_FIXED);
    aml_push_byte(a->buf, type_flags);
    acpi_push_le(a->buf, 0, width);             /* granularity */
    acpi_push_le(a->buf, min, width);
    acpi_push_le(a->buf, max, width);
    acpi_push_le(a->buf, 0, width);             /* translation offset */
    acpi_push_le(a->buf, max - min + 1, width); /* length */
    return a;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return addr_space(ACPI_RES_WORD_ADDR, 2, ACPI_RES_TYPE_BUS, 0, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    return addr_space(ACPI_RES_WORD_ADDR, 2, ACPI_RES_TYPE_IO,
                      ACPI_RES_IO_RANGE_ENTIRE, min, max);
}

Aml *aml_dword_memory(uint32_t min, uint32_t max)
{
    return addr_space(ACPI_RES_DWORD_ADDR, 4, ACPI_RES_TYPE_MEMORY,
                      ACPI_RES_MEM_READ_WRITE, min, max);
}

Aml *aml_qword_memory(uint64_t min, uint64_t max)
{
    return addr_space(ACPI_RES_QWORD_ADDR, 8, ACPI_RES_TYPE_MEMORY,
                      ACPI_RES_MEM_READ_WRITE, min, max);
}
