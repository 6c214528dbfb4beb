/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Power and event hardware of the hardware-reduced ACPI pc machine.
 *
 * - GED (ACPI 6.4 §5.6.9, QEMU's acpi-ged): a 32-bit event selector at
 *   LAYOUT_GED_BASE; reading it returns the pending events and clears
 *   them.  The interrupt (the machine's SCI line) is level-triggered in
 *   the DSDT,
 *   so it stays asserted while events are pending: an edge could be lost
 *   while the guest still services the previous one.
 * - Sleep control (ACPI 6.4 §4.8.3.7): SLP_EN with SLP_TYP = \_S5 powers
 *   off.  Sleep status reads 0 (never "woken").
 * - Reset register (ACPI 6.4 §4.8.3.6): LAYOUT_ACPI_RESET_VALUE resets.
 * - Linux's fallbacks (arch/x86/kernel/reboot.c): the PIIX/ICH reset
 *   control register 0xCF9 (RST_CPU) and the i8042 "pulse reset" command.
 */
#include "qemu/osdep.h"
#include "hw/acpi/ged.h"
#include "hw/core/memory.h"
#include "hw/core/reset.h"
#include "hw/i386/layout.h"
#include "sysemu/runstate.h"

#define GED_EVT_SEL_OFFSET      0
#define GED_EVT_SEL_SIZE        4

/* Sleep control register fields (ACPI 6.4 Table 4.20). */
#define ACPI_SLP_EN             (1u << 5)
#define ACPI_SLP_TYP_SHIFT      2
#define ACPI_SLP_TYP_MASK       7u
#define ACPI_SLP_TYP_S5         5       /* the DSDT's \_S5 */
#define ACPI_POWER_PORTS        3       /* SLEEP_CTL, SLEEP_STS, RESET */

/* PIIX4 datasheet §4.1.17 "RC—Reset Control Register". */
#define RCR_SYS_RST             (1u << 1)
#define RCR_RST_CPU             (1u << 2)
#define RCR_MASK                (RCR_SYS_RST | RCR_RST_CPU)
/* i8042 command "pulse output port bit 0" = CPU reset. */
#define KBD_CMD_RESET           0xFE
#define KBD_STATUS_IDLE         0x00    /* both buffers empty */

struct GEDState {
    GMutex lock;
    qemu_irq irq;
    uint32_t sel;
    uint8_t rcr;
};

void ged_raise_event(GEDState *s, uint32_t bits)
{
    g_mutex_lock(&s->lock);
    s->sel |= bits;
    qemu_irq_raise(s->irq);
    g_mutex_unlock(&s->lock);
}

static uint64_t ged_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    GEDState *s = opaque;
    uint32_t val = 0;

    if (offset != GED_EVT_SEL_OFFSET || size != GED_EVT_SEL_SIZE) {
        guest_error("GED: %u-byte read at offset 0x%" PRIx64 " (only the "
                    "32-bit event selector at 0 exists)", size, offset);
        return 0;
    }
    g_mutex_lock(&s->lock);
    val = s->sel;
    s->sel = 0;
    qemu_irq_lower(s->irq);
    g_mutex_unlock(&s->lock);
    return val;
}

static void ged_mmio_write(void *opaque, uint64_t offset, uint64_t val,
                           unsigned size)
{
    /* The DSDT declares the field WriteAsZeros; nothing is writable. */
    if (val) {
        guest_error("GED: write of 0x%" PRIx64 " at offset 0x%" PRIx64
                    " ignored (read-only)", val, offset);
    }
}

static const MMIOOps ged_mmio_ops = {
    .read = ged_mmio_read,
    .write = ged_mmio_write,
};

static uint32_t acpi_power_read(void *opaque, uint16_t offset, unsigned size)
{
    return 0;
}

static void acpi_power_write(void *opaque, uint16_t offset, uint32_t val,
                             unsigned size)
{
    uint16_t port = LAYOUT_PORT_ACPI_SLEEP_CTL + offset;
    unsigned typ;

    if (port == LAYOUT_PORT_ACPI_SLEEP_CTL && (val & ACPI_SLP_EN)) {
        typ = (val >> ACPI_SLP_TYP_SHIFT) & ACPI_SLP_TYP_MASK;
        if (typ == ACPI_SLP_TYP_S5) {
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        } else {
            guest_error("ACPI: sleep type %u requested; only S5 (%u) is "
                        "supported", typ, ACPI_SLP_TYP_S5);
        }
    } else if (port == LAYOUT_PORT_ACPI_RESET &&
               (val & 0xFF) == LAYOUT_ACPI_RESET_VALUE) {
        qemu_system_reset_request();
    }
    /* SLEEP_STS is write-1-to-clear with nothing to clear. */
}

static const IOPortOps acpi_power_ops = {
    .read = acpi_power_read,
    .write = acpi_power_write,
};

static uint32_t rcr_read(void *opaque, uint16_t offset, unsigned size)
{
    GEDState *s = opaque;
    uint32_t val;

    g_mutex_lock(&s->lock);
    val = s->rcr;
    g_mutex_unlock(&s->lock);
    return val;
}

static void rcr_write(void *opaque, uint16_t offset, uint32_t val,
                      unsigned size)
{
    GEDState *s = opaque;

    g_mutex_lock(&s->lock);
    s->rcr = val & RCR_MASK;
    g_mutex_unlock(&s->lock);
    if (val & RCR_RST_CPU) {
        qemu_system_reset_request();
    }
}

static const IOPortOps rcr_ops = {
    .read = rcr_read,
    .write = rcr_write,
};

static uint32_t kbd_read(void *opaque, uint16_t offset, unsigned size)
{
    return KBD_STATUS_IDLE;
}

static void kbd_write(void *opaque, uint16_t offset, uint32_t val,
                      unsigned size)
{
    if ((val & 0xFF) == KBD_CMD_RESET) {
        qemu_system_reset_request();
    }
}

static const IOPortOps kbd_ops = {
    .read = kbd_read,
    .write = kbd_write,
};

/* Drop pending events and lower the interrupt (the reset list). */
static void ged_reset(void *opaque)
{
    GEDState *s = opaque;

    g_mutex_lock(&s->lock);
    s->sel = 0;
    s->rcr = 0;
    qemu_irq_lower(s->irq);
    g_mutex_unlock(&s->lock);
}

GEDState *ged_init(qemu_irq irq, Error **errp)
{
    GEDState *s = g_new0(GEDState, 1);

    g_mutex_init(&s->lock);
    s->irq = irq;
    if (!mmio_register("acpi-ged", LAYOUT_GED_BASE, LAYOUT_GED_SIZE,
                       &ged_mmio_ops, s)) {
        error_setg(errp, "GED: MMIO 0x%" PRIx64 " is already in use",
                   (uint64_t)LAYOUT_GED_BASE);
        goto fail;
    }
    if (!ioport_register("acpi-power", LAYOUT_PORT_ACPI_SLEEP_CTL,
                         ACPI_POWER_PORTS, &acpi_power_ops, s)) {
        error_setg(errp, "ACPI: I/O ports 0x%x-0x%x are already in use",
                   LAYOUT_PORT_ACPI_SLEEP_CTL,
                   LAYOUT_PORT_ACPI_SLEEP_CTL + ACPI_POWER_PORTS - 1);
        mmio_unregister(LAYOUT_GED_BASE);
        goto fail;
    }
    G_STATIC_ASSERT(LAYOUT_PORT_ACPI_SLEEP_STS ==
                    LAYOUT_PORT_ACPI_SLEEP_CTL + 1);
    G_STATIC_ASSERT(LAYOUT_PORT_ACPI_RESET == LAYOUT_PORT_ACPI_SLEEP_CTL + 2);
    /* Fallbacks only: a device that claims these ports first wins. */
    if (!ioport_register("reset-control", LAYOUT_PORT_RESET_CTRL, 1,
                         &rcr_ops, s)) {
        warn_report("port 0x%x is taken: no reset through it",
                    LAYOUT_PORT_RESET_CTRL);
    }
    if (!ioport_register("i8042-reset", LAYOUT_PORT_KBD_CTRL, 1, &kbd_ops,
                         s)) {
        warn_report("port 0x%x is taken: no keyboard-controller reset",
                    LAYOUT_PORT_KBD_CTRL);
    }
    qemu_register_reset(ged_reset, s);
    return s;

fail:
    g_mutex_clear(&s->lock);
    g_free(s);
    return NULL;
}
