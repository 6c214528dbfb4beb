/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt lines (QEMU's include/hw/irq.h, small): a device raises and
 * lowers a qemu_irq that its creator gave it, without knowing who listens.
 * The listener is a handler with an opaque pointer and a line number; the
 * pc machine owns its GSI lines and forwards them to the accelerator.
 *
 * A NULL qemu_irq is a line that goes nowhere: setting it does nothing.
 * Handlers run on the caller's thread (a vCPU or the main loop) and must
 * be thread-safe.
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "qemu/osdep.h"

typedef struct IRQState *qemu_irq;

typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

/* Set the line's level: 0 low, anything else high. */
void qemu_set_irq(qemu_irq irq, int level);

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

/* An edge: raise, then lower. */
static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

/* @n lines numbered 0..n-1 that call @handler(@opaque, line, level). */
qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n);
/* One line, numbered @n. */
qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irqs(qemu_irq *irqs, int n);
void qemu_free_irq(qemu_irq irq);

#endif
