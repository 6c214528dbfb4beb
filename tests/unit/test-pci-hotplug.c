/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ACPI PCI hotplug registers (hw/acpi/pci-hotplug.c,
 * docs/specs/pci-hotplug.md) as the DSDT's methods use them, driven
 * through the MMIO dispatcher as a vCPU would: PCIU and PCID latch slot
 * bits until read and a read clears them; B0EJ turns each slot bit into
 * one eject callback (never slot 0); an _OST report is recorded when
 * OSTS is written, with the slot and event written before; accesses that
 * are not 32-bit and aligned, writes to read-only registers and reports
 * for impossible slots are refused; a reset forgets what is pending.
 */
#include "qemu/osdep.h"
#include "hw/acpi/pci-hotplug.h"
#include "hw/core/memory.h"
#include "hw/core/reset.h"
#include "hw/i386/layout.h"

static PciHotplugState *hp;
static unsigned notifies;
static GString *calls;              /* "ej 3;ost 5 3 0;" */

static void fake_notify(void *opaque)
{
    notifies++;
}

static void fake_eject(void *opaque, unsigned slot)
{
    g_string_append_printf(calls, "ej %u;", slot);
}

static void fake_ost(void *opaque, unsigned slot, uint32_t event,
                     uint32_t status)
{
    g_string_append_printf(calls, "ost %u %" PRIu32 " %" PRIu32 ";", slot,
                           event, status);
}

static const PciHotplugOps fake_ops = {
    .notify = fake_notify,
    .eject = fake_eject,
    .ost = fake_ost,
};

static uint32_t reg_read(unsigned off)
{
    uint32_t v;

    g_assert_true(mmio_read(LAYOUT_PCI_HOTPLUG_BASE + off, &v, 4));
    return v;
}

static void reg_write(unsigned off, uint32_t v)
{
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE + off, &v, 4));
}

static void reset_calls(void)
{
    g_string_truncate(calls, 0);
    notifies = 0;
}

static void test_up_down_read_clears(void)
{
    uint32_t up, down;

    reset_calls();
    pci_hotplug_device_check(hp, 3);
    pci_hotplug_device_check(hp, 31);
    pci_hotplug_eject_request(hp, 5);
    g_assert_cmpuint(notifies, ==, 3);
    pci_hotplug_pending(hp, &up, &down);
    g_assert_cmphex(up, ==, 1u << 3 | 1u << 31);
    g_assert_cmphex(down, ==, 1u << 5);
    /* Each register is read once by PCNT: the bits go with the read. */
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_UP), ==, 1u << 3 | 1u << 31);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_UP), ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_DOWN), ==, 1u << 5);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_DOWN), ==, 0);
    /* Write-only registers read 0; nothing was called. */
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_EJECT), ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_OST_STATUS), ==, 0);
    g_assert_cmpstr(calls->str, ==, "");
}

/* Slot 0 (the host bridge) and slots past 31 are nobody's to plug. */
static void test_bad_slots_ignored(void)
{
    uint32_t up, down;

    reset_calls();
    pci_hotplug_device_check(hp, 0);
    pci_hotplug_eject_request(hp, 32);
    g_assert_cmpuint(notifies, ==, 0);
    pci_hotplug_pending(hp, &up, &down);
    g_assert_cmphex(up | down, ==, 0);
}

static void test_eject_bits(void)
{
    reset_calls();
    reg_write(PCI_HOTPLUG_REG_EJECT, 1u << 7);
    g_assert_cmpstr(calls->str, ==, "ej 7;");
    reset_calls();
    /* Several slots at once, in slot order; slot 0 never. */
    reg_write(PCI_HOTPLUG_REG_EJECT, 1u << 31 | 1u << 2 | 1u << 0);
    g_assert_cmpstr(calls->str, ==, "ej 2;ej 31;");
    reset_calls();
    reg_write(PCI_HOTPLUG_REG_EJECT, 0);
    g_assert_cmpstr(calls->str, ==, "");
    g_assert_cmpuint(notifies, ==, 0);
}

static void test_ost(void)
{
    reset_calls();
    /* POST (slot, event, status): the status write records. */
    reg_write(PCI_HOTPLUG_REG_OST_SLOT, 5);
    reg_write(PCI_HOTPLUG_REG_OST_EVENT, 3);
    g_assert_cmpstr(calls->str, ==, "");
    reg_write(PCI_HOTPLUG_REG_OST_STATUS, 0x82);
    g_assert_cmpstr(calls->str, ==, "ost 5 3 130;");
    reset_calls();
    reg_write(PCI_HOTPLUG_REG_OST_STATUS, 0);
    g_assert_cmpstr(calls->str, ==, "ost 5 3 0;");
    /* A report for slot 0 or 32 is refused. */
    reset_calls();
    reg_write(PCI_HOTPLUG_REG_OST_SLOT, 0);
    reg_write(PCI_HOTPLUG_REG_OST_STATUS, 0);
    reg_write(PCI_HOTPLUG_REG_OST_SLOT, 32);
    reg_write(PCI_HOTPLUG_REG_OST_STATUS, 0);
    g_assert_cmpstr(calls->str, ==, "");
}

static void test_bad_accesses(void)
{
    unsigned errors = guest_error_count();
    uint16_t w = 0xffff;
    uint64_t q = UINT64_MAX;
    uint8_t b;

    reset_calls();
    pci_hotplug_device_check(hp, 9);
    /* Byte, word and misaligned reads: 0, and the bits stay. */
    g_assert_true(mmio_read(LAYOUT_PCI_HOTPLUG_BASE, &b, 1));
    g_assert_cmpuint(b, ==, 0);
    g_assert_true(mmio_read(LAYOUT_PCI_HOTPLUG_BASE + 2, &w, 2));
    g_assert_cmpuint(w, ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_UP), ==, 1u << 9);
    /* 2- and 8-byte writes to B0EJ eject nothing. */
    w = 0xffff;
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE +
                             PCI_HOTPLUG_REG_EJECT, &w, 2));
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE +
                             PCI_HOTPLUG_REG_EJECT, &q, 8));
    /* The guest cannot set PCIU or PCID. */
    reg_write(PCI_HOTPLUG_REG_UP, UINT32_MAX);
    reg_write(PCI_HOTPLUG_REG_DOWN, UINT32_MAX);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_UP), ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_DOWN), ==, 0);
    g_assert_cmpstr(calls->str, ==, "");
    g_assert_cmpuint(guest_error_count(), >=, errors + 6);
}

static void test_reset(void)
{
    uint32_t up, down;

    reset_calls();
    pci_hotplug_device_check(hp, 4);
    pci_hotplug_eject_request(hp, 6);
    qemu_devices_reset();
    pci_hotplug_pending(hp, &up, &down);
    g_assert_cmphex(up | down, ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_UP), ==, 0);
    g_assert_cmphex(reg_read(PCI_HOTPLUG_REG_DOWN), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    calls = g_string_new(NULL);
    hp = pci_hotplug_init(LAYOUT_PCI_HOTPLUG_BASE, &fake_ops, NULL,
                          &error_abort);
    /* A second block at the same place is refused. */
    g_assert_null(pci_hotplug_init(LAYOUT_PCI_HOTPLUG_BASE, &fake_ops, NULL,
                                   NULL));
    g_test_add_func("/pci-hotplug/up-down-read-clears",
                    test_up_down_read_clears);
    g_test_add_func("/pci-hotplug/bad-slots", test_bad_slots_ignored);
    g_test_add_func("/pci-hotplug/eject-bits", test_eject_bits);
    g_test_add_func("/pci-hotplug/ost", test_ost);
    g_test_add_func("/pci-hotplug/bad-accesses", test_bad_accesses);
    g_test_add_func("/pci-hotplug/reset", test_reset);
    return g_test_run();
}
