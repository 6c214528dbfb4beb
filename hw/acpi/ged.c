/*
 * Power and event hardware of the hardware-reduced ACPI pc machine.
 *
 * - GED (ACPI 6.4 §5.6.9, QEMU's acpi-ged): a 32-bit event selector at
 *   LAYOUT_GED_BASE; reading it returns the pending events and clears
 *   them.  The interrupt (LAYOUT_IRQ_SCI) is level-triggered in the DSDT,
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
#include "hw/i386/layout.h"
#include "sysemu/kvm.h"
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

typedef struct GEDState {
    GMutex lock;
    uint32_t sel;
    uint8_t rcr;
} GEDState;

static GEDState ged;

void ged_raise_event(uint32_t bits)
{
    g_mutex_lock(&ged.lock);
    ged.sel |= bits;
    kvm_set_irq(LAYOUT_IRQ_SCI, true);
    g_mutex_unlock(&ged.lock);
}

static uint64_t ged_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    uint32_t val = 0;

    if (offset != GED_EVT_SEL_OFFSET || size != GED_EVT_SEL_SIZE) {
        guest_error("GED: %u-byte read at offset 0x%" PRIx64 " (only the "
                    "32-bit event selector at 0 exists)", size, offset);
        return 0;
    }
    g_mutex_lock(&ged.lock);
    val = ged.sel;
    ged.sel = 0;
    kvm_set_irq(LAYOUT_IRQ_SCI, false);
    g_mutex_unlock(&ged.lock);
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
    uint32_t val;

    g_mutex_lock(&ged.lock);
    val = ged.rcr;
    g_mutex_unlock(&ged.lock);
    return val;
}

static void rcr_write(void *opaque, uint16_t offset, uint32_t val,
                      unsigned size)
{
    g_mutex_lock(&ged.lock);
    ged.rcr = val & RCR_MASK;
    g_mutex_unlock(&ged.lock);
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

void ged_reset(void)
{
    g_mutex_lock(&ged.lock);
    ged.sel = 0;
    ged.rcr = 0;
    kvm_set_irq(LAYOUT_IRQ_SCI, false);
    g_mutex_unlock(&ged.lock);
}

bool ged_init(Error **errp)
{
    if (!mmio_register("acpi-ged", LAYOUT_GED_BASE, LAYOUT_GED_SIZE,
                       &ged_mmio_ops, NULL)) {
        error_setg(errp, "GED: MMIO 0x%" PRIx64 " is already in use",
                   (uint64_t)LAYOUT_GED_BASE);
        return false;
    }
    if (!ioport_register("acpi-power", LAYOUT_PORT_ACPI_SLEEP_CTL,
                         ACPI_POWER_PORTS, &acpi_power_ops, NULL)) {
        error_setg(errp, "ACPI: I/O ports 0x%x-0x%x are already in use",
                   LAYOUT_PORT_ACPI_SLEEP_CTL,
                   LAYOUT_PORT_ACPI_SLEEP_CTL + ACPI_POWER_PORTS - 1);
        return false;
    }
    G_STATIC_ASSERT(LAYOUT_PORT_ACPI_SLEEP_STS ==
                    LAYOUT_PORT_ACPI_SLEEP_CTL + 1);
    G_STATIC_ASSERT(LAYOUT_PORT_ACPI_RESET == LAYOUT_PORT_ACPI_SLEEP_CTL + 2);
    /* Fallbacks only: a device that claims these ports first wins. */
    if (!ioport_register("reset-control", LAYOUT_PORT_RESET_CTRL, 1,
                         &rcr_ops, NULL)) {
        warn_report("port 0x%x is taken: no reset through it",
                    LAYOUT_PORT_RESET_CTRL);
    }
    if (!ioport_register("i8042-reset", LAYOUT_PORT_KBD_CTRL, 1, &kbd_ops,
                         NULL)) {
        warn_report("port 0x%x is taken: no keyboard-controller reset",
                    LAYOUT_PORT_KBD_CTRL);
    }
    return true;
}
