/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the AML encoder (aml-build.c, aml-build-expr.c): the opcode
 * values and the node type.  Everything else uses include/hw/acpi/aml-build.h.
 */
#ifndef HW_ACPI_AML_BUILD_INTERNAL_H
#define HW_ACPI_AML_BUILD_INTERNAL_H

#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"

/*
 * AML byte values: ACPI 6.4 §20.3, "AML Byte Stream Byte Values".  The
 * grammar that arranges them is §20.2 (subsections cited where used).
 */
#define AML_ZERO_OP                 0x00
#define AML_ONE_OP                  0x01
#define AML_NAME_OP                 0x08
#define AML_BYTE_PREFIX             0x0A
#define AML_WORD_PREFIX             0x0B
#define AML_DWORD_PREFIX            0x0C
#define AML_STRING_PREFIX           0x0D
#define AML_QWORD_PREFIX            0x0E
#define AML_SCOPE_OP                0x10
#define AML_BUFFER_OP               0x11
#define AML_PACKAGE_OP              0x12
#define AML_VAR_PACKAGE_OP          0x13
#define AML_METHOD_OP               0x14
#define AML_DUAL_NAME_PREFIX        0x2E
#define AML_MULTI_NAME_PREFIX       0x2F
#define AML_EXT_OP_PREFIX           0x5B
#define AML_ROOT_CHAR               0x5C
#define AML_PARENT_PREFIX_CHAR      0x5E
#define AML_NULL_NAME               0x00
#define AML_LOCAL0_OP               0x60
#define AML_ARG0_OP                 0x68
#define AML_STORE_OP                0x70
#define AML_ADD_OP                  0x72
#define AML_CONCAT_OP               0x73
#define AML_SUBTRACT_OP             0x74
#define AML_SHIFT_LEFT_OP           0x79
#define AML_SHIFT_RIGHT_OP          0x7A
#define AML_AND_OP                  0x7B
#define AML_OR_OP                   0x7D
#define AML_DEREF_OF_OP             0x83
#define AML_NOTIFY_OP               0x86
#define AML_SIZE_OF_OP              0x87
#define AML_INDEX_OP                0x88
#define AML_CREATE_DWORD_FIELD_OP   0x8A
#define AML_OBJECT_TYPE_OP          0x8E
#define AML_LAND_OP                 0x90
#define AML_LOR_OP                  0x91
#define AML_LNOT_OP                 0x92
#define AML_LEQUAL_OP               0x93
#define AML_LLESS_OP                0x95
#define AML_MID_OP                  0x9E
#define AML_IF_OP                   0xA0
#define AML_ELSE_OP                 0xA1
#define AML_WHILE_OP                0xA2
#define AML_RETURN_OP               0xA4
#define AML_BREAK_OP                0xA5
#define AML_ONES_OP                 0xFF
/* Second byte after AML_EXT_OP_PREFIX. */
#define AML_EXT_MUTEX_OP            0x01
#define AML_EXT_CREATE_FIELD_OP     0x13
#define AML_EXT_ACQUIRE_OP          0x23
#define AML_EXT_RELEASE_OP          0x27
#define AML_EXT_REGION_OP           0x80
#define AML_EXT_FIELD_OP            0x81
#define AML_EXT_DEVICE_OP           0x82
/* FieldElement := NamedField | ReservedField (§20.2.5.2). */
#define AML_RESERVED_FIELD          0x00

/* PkgLength (§20.2.4): one byte up to 63, else 2-4 bytes, 28 bits in all. */
#define AML_PKGLEN_1BYTE_MAX        0x3F
#define AML_PKGLEN_MAX_BYTES        4

/* NameSeg (§20.2.2): four characters, '_' pads a shorter name. */
#define AML_NAMESEG_LEN             4
#define AML_NAMESEG_PAD             '_'

/* MethodFlags (§20.2.5.2): ArgCount bits 0-2, SerializeFlag bit 3. */
#define AML_METHOD_ARGS_MAX         7
#define AML_METHOD_SERIALIZED_SHIFT 3
/* FieldFlags (§20.2.5.2): AccessType 0-3, LockRule 4, UpdateRule 5-6. */
#define AML_FIELD_LOCK_SHIFT        4
#define AML_FIELD_UPDATE_SHIFT      5
#define AML_MUTEX_SYNC_LEVEL_MASK   0x0F

#define AML_ARG_MAX                 6
#define AML_LOCAL_MAX               7
#define AML_PACKAGE_SHORT_MAX       255

/* Resource template End Tag (ACPI 6.4 §6.4.2.9), added by aml_encode(). */
#define ACPI_RES_END_TAG            0x79

typedef enum AmlKind {
    AML_KIND_BYTES,         /* finished encoding, copied as is */
    AML_KIND_BLOCK,         /* opcode, PkgLength, contents */
    AML_KIND_FIELD,         /* a block whose elements are field units */
    AML_KIND_PACKAGE,       /* PackageOp, PkgLength, NumElements, elements */
    AML_KIND_BUFFER,        /* BufferOp, PkgLength, BufferSize, bytes */
    AML_KIND_RESOURCES,     /* a buffer that gets an End Tag */
} AmlKind;

struct Aml {
    AmlKind kind;
    uint8_t op[2];
    unsigned oplen;
    GByteArray *buf;        /* contents after the PkgLength */
    unsigned count;         /* package: elements; field: bit position */
};

void aml_push_byte(GByteArray *out, uint8_t b);
Aml *aml_node_new(AmlKind kind);
/* A finished node holding @op (after ExtOpPrefix for the _ext_ variant). */
Aml *aml_node_op(uint8_t op);
Aml *aml_node_ext_op(uint8_t op);
/* A node that aml_encode() wraps as @op, PkgLength, contents. */
Aml *aml_node_block(AmlKind kind, uint8_t op, bool ext);
/* Encode @child (consumed) into @a's contents; NULL is a NullName target. */
void aml_node_put(Aml *a, Aml *child);

#endif
