/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AML encoder and ACPI table helpers.
 *
 * AML (ACPI 6.4 chapter 20) is built as a tree of Aml nodes: constructors
 * return a node, aml_append() moves a child into a parent, and aml_encode()
 * writes a finished node into a GByteArray.  Ownership is simple: every
 * Aml * given to a function of this API is consumed by it (freed or moved
 * into the result), so each node is used exactly once.  Build a fresh
 * aml_local(0) or aml_name("X") for every use.
 *
 * Names take a printf format: aml_name("NV%02X", slot).  A name path is
 * one or more 1-4 character segments separated by '.', optionally after a
 * root prefix '\' or any number of parent prefixes '^'; short segments
 * are padded with '_' ("_SB" is "_SB_").
 */
#ifndef HW_ACPI_AML_BUILD_H
#define HW_ACPI_AML_BUILD_H

#include "qemu/osdep.h"

typedef struct Aml Aml;

/* Method flags (ACPI 6.4 §20.2.5.2, MethodFlags bit 3). */
typedef enum AmlSerializeFlag {
    AML_NOTSERIALIZED = 0,
    AML_SERIALIZED = 1,
} AmlSerializeFlag;

/* OperationRegion spaces (ACPI 6.4 §20.2.5.2, RegionSpace). */
typedef enum AmlRegionSpace {
    AML_SYSTEM_MEMORY = 0x00,
    AML_SYSTEM_IO = 0x01,
} AmlRegionSpace;

/* Field flags (ACPI 6.4 §20.2.5.2, FieldFlags bits 0-3, 4, 5-6). */
typedef enum AmlAccessType {
    AML_ANY_ACC = 0,
    AML_BYTE_ACC = 1,
    AML_WORD_ACC = 2,
    AML_DWORD_ACC = 3,
    AML_QWORD_ACC = 4,
    AML_BUFFER_ACC = 5,
} AmlAccessType;

typedef enum AmlLockRule {
    AML_NOLOCK = 0,
    AML_LOCK = 1,
} AmlLockRule;

typedef enum AmlUpdateRule {
    AML_PRESERVE = 0,
    AML_WRITE_AS_ONES = 1,
    AML_WRITE_AS_ZEROS = 2,
} AmlUpdateRule;

/* Extended Interrupt descriptor flags (ACPI 6.4 §6.4.3.6). */
typedef enum AmlTrigger {
    AML_LEVEL = 0,
    AML_EDGE = 1,
} AmlTrigger;

typedef enum AmlPolarity {
    AML_ACTIVE_HIGH = 0,
    AML_ACTIVE_LOW = 1,
} AmlPolarity;

typedef enum AmlShare {
    AML_EXCLUSIVE = 0,
    AML_SHARED = 1,
} AmlShare;

/* ObjectType() results (ACPI 6.4 §19.6, the ObjectType operator). */
#define AML_OBJTYPE_INTEGER     1
#define AML_OBJTYPE_BUFFER      3
#define AML_OBJTYPE_PACKAGE     4

/* ---- Low-level encodings (also used by the unit tests) ---- */

/* PkgLength of exactly @value (a field width or an already final length). */
void aml_pkglen_encode(GByteArray *out, uint32_t value);
/* PkgLength of a package whose contents after the PkgLength are @len bytes. */
void aml_pkglen_encode_block(GByteArray *out, size_t len);
/* NameString for @path (see the top of this file). */
void aml_namestring_encode(GByteArray *out, const char *path);
/* Smallest ComputationalData for @v: Zero, One, Byte/Word/DWord/QWord. */
void aml_int_encode(GByteArray *out, uint64_t v);

/* ---- Tree ---- */

/* Move @child to the end of @parent's contents (or package elements). */
void aml_append(Aml *parent, Aml *child);
/* Append @node's encoding to @out and free @node. */
void aml_encode(GByteArray *out, Aml *node);
void aml_free(Aml *node);

/* ---- Data objects (§20.2.3) ---- */

Aml *aml_int(uint64_t v);
Aml *aml_byte(uint8_t v);           /* BytePrefix, whatever the value */
Aml *aml_word(uint16_t v);          /* WordPrefix */
Aml *aml_dword(uint32_t v);         /* DWordPrefix */
Aml *aml_qword(uint64_t v);         /* QWordPrefix */
Aml *aml_zero(void);
Aml *aml_one(void);
Aml *aml_ones(void);
Aml *aml_string(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Buffer of @len bytes from @data, or zero-filled when @data is NULL. */
Aml *aml_buffer(const uint8_t *data, size_t len);
/* Package; aml_append() adds elements. */
Aml *aml_package(void);
/* ToUUID("aabbccdd-eeff-gghh-iijj-kkllmmnnoopp") as a 16-byte Buffer. */
Aml *aml_touuid(const char *uuid);
/* Compressed EISA id ("PNP0501") as a DWord. */
Aml *aml_eisaid(const char *id);
uint32_t aml_eisaid_value(const char *id);

/* ---- Names, arguments and locals (§20.2.2, §20.2.6) ---- */

Aml *aml_name(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
Aml *aml_arg(unsigned n);           /* Arg0-Arg6 */
Aml *aml_local(unsigned n);         /* Local0-Local7 */

/* ---- Namespace modifiers and named objects (§20.2.5.1, §20.2.5.2) ---- */

Aml *aml_scope(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
Aml *aml_device(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
Aml *aml_method(const char *name, unsigned nargs, AmlSerializeFlag flag);
Aml *aml_name_decl(const char *name, Aml *value);
Aml *aml_operation_region(const char *name, AmlRegionSpace space,
                          Aml *offset, Aml *len);
/* Field; add its elements with the aml_field_* functions below. */
Aml *aml_field(const char *region, AmlAccessType access, AmlLockRule lock,
               AmlUpdateRule update);
void aml_field_named(Aml *field, const char *name, unsigned bits);
void aml_field_reserved(Aml *field, unsigned bits);
/* Skip to @byte_offset from the region start (ASL Offset()). */
void aml_field_offset(Aml *field, unsigned byte_offset);
Aml *aml_mutex(const char *name, uint8_t sync_level);
Aml *aml_create_dword_field(Aml *buf, Aml *byte_index, const char *name);
Aml *aml_create_field(Aml *buf, Aml *bit_index, Aml *num_bits,
                      const char *name);

/* ---- Statements (§20.2.5.3) ---- */

Aml *aml_if(Aml *predicate);
Aml *aml_else(void);                /* append right after its If */
Aml *aml_while(Aml *predicate);
Aml *aml_break(void);
Aml *aml_return(Aml *value);
Aml *aml_notify(Aml *object, Aml *value);
Aml *aml_release(Aml *mutex);

/* ---- Expressions (§20.2.5.4); a NULL target encodes NullName ---- */

Aml *aml_store(Aml *value, Aml *target);
Aml *aml_add(Aml *a, Aml *b, Aml *target);
Aml *aml_subtract(Aml *a, Aml *b, Aml *target);
Aml *aml_shiftleft(Aml *a, Aml *count, Aml *target);
Aml *aml_shiftright(Aml *a, Aml *count, Aml *target);
Aml *aml_and(Aml *a, Aml *b, Aml *target);
Aml *aml_or(Aml *a, Aml *b, Aml *target);
Aml *aml_lequal(Aml *a, Aml *b);
Aml *aml_lless(Aml *a, Aml *b);
Aml *aml_lnot(Aml *a);
Aml *aml_land(Aml *a, Aml *b);
Aml *aml_lor(Aml *a, Aml *b);
Aml *aml_derefof(Aml *ref);
Aml *aml_index(Aml *obj, Aml *index, Aml *target);
Aml *aml_sizeof(Aml *obj);
Aml *aml_object_type(Aml *obj);
Aml *aml_concatenate(Aml *a, Aml *b, Aml *target);
Aml *aml_mid(Aml *obj, Aml *index, Aml *len, Aml *target);
Aml *aml_acquire(Aml *mutex, uint16_t timeout);
/* Method call: @nargs Aml * arguments follow. */
Aml *aml_call(const char *method, unsigned nargs, ...);

/* ---- Resource templates (ACPI 6.4 §6.4) ---- */

/* A Buffer of resource descriptors; the End Tag is added when encoded. */
Aml *aml_resource_template(void);
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);
Aml *aml_irq_no_flags(uint8_t irq);
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool read_write);
Aml *aml_interrupt(AmlTrigger trigger, AmlPolarity polarity, AmlShare share,
                   const uint32_t *irqs, unsigned nirqs);
/*
 * A bridge's windows (hw/acpi/aml-build-res.c): WordBusNumber, WordIO,
 * DWordMemory, QWordMemory, each ResourceProducer, MinFixed, MaxFixed,
 * PosDecode, granularity and translation 0, [min, max] inclusive; the
 * memory ones NonCacheable, ReadWrite.
 */
Aml *aml_word_bus_number(uint16_t min, uint16_t max);
Aml *aml_word_io(uint16_t min, uint16_t max);
Aml *aml_dword_memory(uint32_t min, uint32_t max);
Aml *aml_qword_memory(uint64_t min, uint64_t max);

/* ---- ACPI tables (ACPI 6.4 §5.2) ---- */

#define ACPI_TABLE_HEADER_SIZE  36

/*
 * A table being written into @data: acpi_table_begin() appends the header
 * (length and checksum zero), acpi_table_end() fills both in.  The OEM
 * fields default to the ACPI_BUILD_* macros of hw/acpi/acpi-build.h.
 */
typedef struct AcpiTable {
    const char *sig;                /* 4 characters */
    uint8_t rev;
    const char *oem_table_id;       /* NULL: ACPI_BUILD_OEM_TABLE_ID */
    /* private */
    GByteArray *data;
    guint start;
} AcpiTable;

void acpi_table_begin(AcpiTable *t, GByteArray *data);
void acpi_table_end(AcpiTable *t);

/* The byte that makes the sum of @len bytes (with it) zero. */
uint8_t acpi_checksum(const uint8_t *data, size_t len);

/* Little-endian fields. */
void acpi_push_le(GByteArray *a, uint64_t v, unsigned size);
void acpi_push_zeros(GByteArray *a, unsigned n);
void acpi_push_padded_str(GByteArray *a, const char *s, unsigned width,
                          char pad);
void acpi_patch_le(GByteArray *a, guint offset, uint64_t v, unsigned size);

/* Generic Address Structure (ACPI 6.4 §5.2.3.2, Table 5.1). */
#define ACPI_GAS_SYSTEM_MEMORY  0
#define ACPI_GAS_SYSTEM_IO      1
#define ACPI_GAS_ACCESS_BYTE    1
#define ACPI_GAS_ACCESS_DWORD   3
#define ACPI_GAS_SIZE           12
void acpi_push_gas(GByteArray *a, uint8_t space, uint8_t bit_width,
                   uint8_t bit_offset, uint8_t access_size, uint64_t address);

#endif
