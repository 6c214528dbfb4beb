/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AML encoder, part 2: statements, expressions and resource descriptors
 * (ACPI 6.4 §20.2.5.3, §20.2.5.4, §6.4).
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/aml-build-internal.h"

/* Resource descriptors, ACPI 6.4 §6.4.2 (small) and §6.4.3 (large). */
#define ACPI_RES_IRQ_NO_FLAGS       0x22    /* §6.4.2.1, length 2 */
#define ACPI_RES_IO                 0x47    /* §6.4.2.5, length 7 */
#define ACPI_RES_IO_DECODE16        0x01
#define ACPI_RES_MEMORY32_FIXED     0x86    /* §6.4.3.4 */
#define ACPI_RES_MEMORY32_FIXED_LEN 9
#define ACPI_RES_MEMORY_RW          0x01
#define ACPI_RES_EXT_IRQ            0x89    /* §6.4.3.6 */
#define ACPI_RES_EXT_IRQ_CONSUMER   (1u << 0)
#define ACPI_RES_EXT_IRQ_EDGE       (1u << 1)
#define ACPI_RES_EXT_IRQ_LOW        (1u << 2)
#define ACPI_RES_EXT_IRQ_SHARED     (1u << 3)

/* ---- Statements ---- */

Aml *aml_if(Aml *predicate)
{
    Aml *a = aml_node_block(AML_KIND_BLOCK, AML_IF_OP, false);

    aml_node_put(a, predicate);
    return a;
}

Aml *aml_else(void)
{
    return aml_node_block(AML_KIND_BLOCK, AML_ELSE_OP, false);
}

Aml *aml_while(Aml *predicate)
{
    Aml *a = aml_node_block(AML_KIND_BLOCK, AML_WHILE_OP, false);

    aml_node_put(a, predicate);
    return a;
}

Aml *aml_break(void)
{
    return aml_node_op(AML_BREAK_OP);
}

Aml *aml_return(Aml *value)
{
    Aml *a = aml_node_op(AML_RETURN_OP);

    aml_node_put(a, value);
    return a;
}

Aml *aml_notify(Aml *object, Aml *value)
{
    Aml *a = aml_node_op(AML_NOTIFY_OP);

    aml_node_put(a, object);
    aml_node_put(a, value);
    return a;
}

Aml *aml_release(Aml *mutex)
{
    Aml *a = aml_node_ext_op(AML_EXT_RELEASE_OP);

    aml_node_put(a, mutex);
    return a;
}

/* ---- Expressions ---- */

static Aml *aml_op1(uint8_t op, Aml *a1)
{
    Aml *a = aml_node_op(op);

    aml_node_put(a, a1);
    return a;
}

static Aml *aml_op2(uint8_t op, Aml *a1, Aml *a2)
{
    Aml *a = aml_op1(op, a1);

    aml_node_put(a, a2);
    return a;
}

static Aml *aml_op3(uint8_t op, Aml *a1, Aml *a2, Aml *a3)
{
    Aml *a = aml_op2(op, a1, a2);

    aml_node_put(a, a3);
    return a;
}

Aml *aml_store(Aml *value, Aml *target)
{
    g_assert(target);
    return aml_op2(AML_STORE_OP, value, target);
}

Aml *aml_add(Aml *a, Aml *b, Aml *target)
{
    return aml_op3(AML_ADD_OP, a, b, target);
}

Aml *aml_subtract(Aml *a, Aml *b, Aml *target)
{
    return aml_op3(AML_SUBTRACT_OP, a, b, target);
}

Aml *aml_shiftleft(Aml *a, Aml *count, Aml *target)
{
    return aml_op3(AML_SHIFT_LEFT_OP, a, count, target);
}

Aml *aml_shiftright(Aml *a, Aml *count, Aml *target)
{
    return aml_op3(AML_SHIFT_RIGHT_OP, a, count, target);
}

Aml *aml_and(Aml *a, Aml *b, Aml *target)
{
    return aml_op3(AML_AND_OP, a, b, target);
}

Aml *aml_or(Aml *a, Aml *b, Aml *target)
{
    return aml_op3(AML_OR_OP, a, b, target);
}

Aml *aml_lequal(Aml *a, Aml *b)
{
    return aml_op2(AML_LEQUAL_OP, a, b);
}

Aml *aml_lless(Aml *a, Aml *b)
{
    return aml_op2(AML_LLESS_OP, a, b);
}

Aml *aml_lnot(Aml *a)
{
    return aml_op1(AML_LNOT_OP, a);
}

Aml *aml_land(Aml *a, Aml *b)
{
    return aml_op2(AML_LAND_OP, a, b);
}

Aml *aml_lor(Aml *a, Aml *b)
{
    return aml_op2(AML_LOR_OP, a, b);
}

Aml *aml_derefof(Aml *ref)
{
    return aml_op1(AML_DEREF_OF_OP, ref);
}

Aml *aml_index(Aml *obj, Aml *index, Aml *target)
{
    return aml_op3(AML_INDEX_OP, obj, index, target);
}

Aml *aml_sizeof(Aml *obj)
{
    return aml_op1(AML_SIZE_OF_OP, obj);
}

Aml *aml_object_type(Aml *obj)
{
    return aml_op1(AML_OBJECT_TYPE_OP, obj);
}

Aml *aml_concatenate(Aml *a, Aml *b, Aml *target)
{
    return aml_op3(AML_CONCAT_OP, a, b, target);
}

Aml *aml_mid(Aml *obj, Aml *index, Aml *len, Aml *target)
{
    Aml *a = aml_op3(AML_MID_OP, obj, index, len);

    aml_node_put(a, target);
    return a;
}

Aml *aml_acquire(Aml *mutex, uint16_t timeout)
{
    Aml *a = aml_node_ext_op(AML_EXT_ACQUIRE_OP);

    aml_node_put(a, mutex);
    acpi_push_le(a->buf, timeout, 2);
    return a;
}

Aml *aml_call(const char *method, unsigned nargs, ...)
{
    Aml *a = aml_node_new(AML_KIND_BYTES);
    va_list ap;
    unsigned i;

    g_assert(nargs <= AML_METHOD_ARGS_MAX);
    aml_namestring_encode(a->buf, method);
    va_start(ap, nargs);
    for (i = 0; i < nargs; i++) {
        Aml *arg = va_arg(ap, Aml *);

        g_assert(arg);
        aml_node_put(a, arg);
    }
    va_end(ap);
    return a;
}

/* ---- Resource templates ---- */

Aml *aml_resource_template(void)
{
    return aml_node_new(AML_KIND_RESOURCES);
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *a = aml_node_op(ACPI_RES_IO);

    aml_push_byte(a->buf, ACPI_RES_IO_DECODE16);
    acpi_push_le(a->buf, min, 2);
    acpi_push_le(a->buf, max, 2);
    aml_push_byte(a->buf, align);
    aml_push_byte(a->buf, len);
    return a;
}

Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *a = aml_node_op(ACPI_RES_IRQ_NO_FLAGS);

    g_assert(irq < 16);
    acpi_push_le(a->buf, 1u << irq, 2);
    return a;
}

Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool read_write)
{
    Aml *a = aml_node_op(ACPI_RES_MEMORY32_FIXED);

    acpi_push_le(a->buf, ACPI_RES_MEMORY32_FIXED_LEN, 2);
    aml_push_byte(a->buf, read_write ? ACPI_RES_MEMORY_RW : 0);
    acpi_push_le(a->buf, base, 4);
    acpi_push_le(a->buf, len, 4);
    return a;
}

Aml *aml_interrupt(AmlTrigger trigger, AmlPolarity polarity, AmlShare share,
                   const uint32_t *irqs, unsigned nirqs)
{
    Aml *a = aml_node_op(ACPI_RES_EXT_IRQ);
    uint8_t flags = ACPI_RES_EXT_IRQ_CONSUMER;
    unsigned i;

    g_assert(nirqs >= 1 && nirqs <= UINT8_MAX);
    if (trigger == AML_EDGE) {
        flags |= ACPI_RES_EXT_IRQ_EDGE;
    }
    if (polarity == AML_ACTIVE_LOW) {
        flags |= ACPI_RES_EXT_IRQ_LOW;
    }
    if (share == AML_SHARED) {
        flags |= ACPI_RES_EXT_IRQ_SHARED;
    }
    /* Length after the 3-byte header: flags, count, then the numbers. */
    acpi_push_le(a->buf, 2 + 4 * nirqs, 2);
    aml_push_byte(a->buf, flags);
    aml_push_byte(a->buf, nirqs);
    for (i = 0; i < nirqs; i++) {
        acpi_push_le(a->buf, irqs[i], 4);
    }
    return a;
}
