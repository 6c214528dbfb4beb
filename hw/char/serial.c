/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART (COM1): what Linux's 8250 driver and earlycon use.
 *
 * Registers (National Semiconductor PC16550D datasheet; names from
 * <linux/serial_reg.h>): RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR,
 * and DLL/DLM behind LCR.DLAB.  Transmission is instant: THR is always
 * empty again by the time the guest looks, so LSR.THRE and TEMT stay set
 * and a THRE interrupt is pending after every write (until IIR is read).
 * Received bytes come from the chardev, which has no flow control, so
 * the receive FIFO holds SERIAL_RX_BUFFER_SIZE bytes (the 16550A's 16 plus
 * a host-side backlog); beyond that input is dropped and LSR.OE set.
 * No baud-rate timing, no modem-status changes (CTS, DSR and DCD are
 * asserted), loopback as the datasheet says.
 *
 * The interrupt is the qemu_irq its creator (the machine) gives it; the
 * device knows nothing of what listens.  Guest accesses come from vCPU
 * threads and input from the main loop, so every register access holds
 * the device lock.
 */
#include "qemu/osdep.h"
#include <linux/serial_reg.h>
#include "hw/char/serial.h"
#include "hw/core/memory.h"
#include "hw/core/reset.h"

#define SERIAL_IO_LEN           8
#define SERIAL_IIR_FIFO_16550A  0xC0    /* IIR 7:6 with FIFOs enabled */
#define SERIAL_IER_MASK         0x0F
#define SERIAL_MCR_MASK         0x1F
/* Modem lines seen without loopback: a connected, ready terminal. */
#define SERIAL_MSR_DEFAULT      (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)
#define SERIAL_RX_BUFFER_SIZE   (16 * KiB)

struct SerialState {
    GMutex lock;
    Chardev *chr;
    uint16_t base;
    qemu_irq irq;
    uint8_t ier;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;
    uint8_t scr;
    uint8_t fcr;
    uint8_t dll;
    uint8_t dlm;
    bool thr_ipending;
    bool irq_level;
    uint8_t rx[SERIAL_RX_BUFFER_SIZE];
    unsigned rx_head;
    unsigned rx_count;
};

static uint8_t serial_iir_locked(SerialState *s)
{
    uint8_t id;

    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_BRK_ERROR_BITS)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR)) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else {
        /* No modem-status changes are ever latched (UART_IIR_MSI). */
        id = UART_IIR_NO_INT;
    }
    return id | ((s->fcr & UART_FCR_ENABLE_FIFO) ? SERIAL_IIR_FIFO_16550A
                                                 : 0);
}

static void serial_update_irq_locked(SerialState *s)
{
    bool level = !(serial_iir_locked(s) & UART_IIR_NO_INT);

    /* INTR reaches the ISA IRQ line only through OUT2 (PC wiring), which
     * Linux sets; the line does not follow it in loopback. */
    level = level && (s->mcr & UART_MCR_OUT2) && !(s->mcr & UART_MCR_LOOP);
    if (level != s->irq_level) {
        s->irq_level = level;
        qemu_set_irq(s->irq, level);
    }
}

static void serial_rx_push_locked(SerialState *s, uint8_t byte)
{
    if (s->rx_count == SERIAL_RX_BUFFER_SIZE) {
        s->lsr |= UART_LSR_OE;
        return;
    }
    s->rx[(s->rx_head + s->rx_count) % SERIAL_RX_BUFFER_SIZE] = byte;
    s->rx_count++;
    s->lsr |= UART_LSR_DR;
}

static uint8_t serial_rx_pop_locked(SerialState *s)
{
    uint8_t byte = 0;

    if (s->rx_count) {
        byte = s->rx[s->rx_head];
        s->rx_head = (s->rx_head + 1) % SERIAL_RX_BUFFER_SIZE;
        s->rx_count--;
    }
    if (!s->rx_count) {
        s->lsr &= ~UART_LSR_DR;
    }
    return byte;
}

static void serial_rx_clear_locked(SerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->lsr &= ~UART_LSR_DR;
}

static uint8_t serial_msr_locked(SerialState *s)
{
    uint8_t m = s->mcr;

    if (!(s->mcr & UART_MCR_LOOP)) {
        return SERIAL_MSR_DEFAULT;
    }
    /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
    return ((m & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
           ((m & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
           ((m & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
           ((m & UART_MCR_OUT2) ? UART_MSR_DCD : 0);
}

static void serial_transmit_locked(SerialState *s, uint8_t byte)
{
    if (s->mcr & UART_MCR_LOOP) {
        serial_rx_push_locked(s, byte);
    } else if (s->chr) {
        /* A host that cannot take the byte loses it, as a real line. */
        qemu_chr_write(s->chr, &byte, 1);
    }
    s->thr_ipending = true;
}

static uint32_t serial_ioport_read(void *opaque, uint16_t offset,
                                   unsigned size)
{
    SerialState *s = opaque;
    bool dlab;
    uint8_t val = 0;

    g_mutex_lock(&s->lock);
    dlab = s->lcr & UART_LCR_DLAB;
    switch (offset) {
    case UART_RX:
        if (dlab) {
            val = s->dll;
            break;
        }
        val = serial_rx_pop_locked(s);
        break;
    case UART_IER:
        val = dlab ? s->dlm : s->ier;
        break;
    case UART_IIR:
        val = serial_iir_locked(s);
        /* Reading IIR acknowledges a THRE interrupt. */
        if ((val & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = false;
        }
        break;
    case UART_LCR:
        val = s->lcr;
        break;
    case UART_MCR:
        val = s->mcr;
        break;
    case UART_LSR:
        val = s->lsr;
        s->lsr &= ~UART_LSR_BRK_ERROR_BITS;
        break;
    case UART_MSR:
        val = serial_msr_locked(s);
        break;
    case UART_SCR:
        val = s->scr;
        break;
    }
    serial_update_irq_locked(s);
    g_mutex_unlock(&s->lock);
    return val;
}

static void serial_ioport_write(void *opaque, uint16_t offset, uint32_t val,
                                unsigned size)
{
    SerialState *s = opaque;
    bool dlab;
    uint8_t old;

    val &= 0xFF;
    g_mutex_lock(&s->lock);
    dlab = s->lcr & UART_LCR_DLAB;
    switch (offset) {
    case UART_TX:
        if (dlab) {
            s->dll = val;
        } else {
            serial_transmit_locked(s, val);
        }
        break;
    case UART_IER:
        if (dlab) {
            s->dlm = val;
            break;
        }
        old = s->ier;
        s->ier = val & SERIAL_IER_MASK;
        /* Enabling THRI with THR empty raises it at once. */
        if ((s->ier & UART_IER_THRI) && !(old & UART_IER_THRI)) {
            s->thr_ipending = true;
        } else if (!(s->ier & UART_IER_THRI)) {
            s->thr_ipending = false;
        }
        break;
    case UART_FCR:
        if ((val ^ s->fcr) & UART_FCR_ENABLE_FIFO) {
            serial_rx_clear_locked(s);
        }
        if (val & UART_FCR_CLEAR_RCVR) {
            serial_rx_clear_locked(s);
        }
        s->fcr = val & (UART_FCR_ENABLE_FIFO | UART_FCR_R_TRIG_11);
        break;
    case UART_LCR:
        s->lcr = val;
        break;
    case UART_MCR:
        s->mcr = val & SERIAL_MCR_MASK;
        break;
    case UART_LSR:
    case UART_MSR:
        break;      /* read-only (factory test only) */
    case UART_SCR:
        s->scr = val;
        break;
    }
    serial_update_irq_locked(s);
    g_mutex_unlock(&s->lock);
}

static const IOPortOps serial_ops = {
    .read = serial_ioport_read,
    .write = serial_ioport_write,
};

/* Chardev input (main loop).  In loopback the line is disconnected. */
static void serial_receive(void *opaque, const uint8_t *buf, size_t size)
{
    SerialState *s = opaque;
    size_t i;

    g_mutex_lock(&s->lock);
    for (i = 0; i < size && !(s->mcr & UART_MCR_LOOP); i++) {
        serial_rx_push_locked(s, buf[i]);
    }
    serial_update_irq_locked(s);
    g_mutex_unlock(&s->lock);
}

/* Power-on register state (the reset list); input received is lost. */
static void serial_reset(void *opaque)
{
    SerialState *s = opaque;

    g_mutex_lock(&s->lock);
    s->ier = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->scr = 0;
    s->fcr = 0;
    s->dll = 0;
    s->dlm = 0;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    s->thr_ipending = false;
    serial_rx_clear_locked(s);
    serial_update_irq_locked(s);
    g_mutex_unlock(&s->lock);
}

SerialState *serial_init(uint16_t base, qemu_irq irq, Chardev *chr,
                         Error **errp)
{
    SerialState *s = g_new0(SerialState, 1);

    g_mutex_init(&s->lock);
    s->base = base;
    s->irq = irq;
    s->chr = chr;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    if (!ioport_register("serial", base, SERIAL_IO_LEN, &serial_ops, s)) {
        error_setg(errp, "serial: I/O ports 0x%x-0x%x are already in use",
                   base, base + SERIAL_IO_LEN - 1);
        g_mutex_clear(&s->lock);
        g_free(s);
        return NULL;
    }
    if (chr) {
        qemu_chr_set_handlers(chr, serial_receive, NULL, s);
    }
    qemu_register_reset(serial_reset, s);
    return s;
}
