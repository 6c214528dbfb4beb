/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI host bridge as a guest finds it: bus 0 through ports 0xCF8/0xCFC
 * and through ECAM (the MCFG's base), the same bytes both ways; the host
 * bridge at 00.0; empty functions read all ones; only a 32-bit access
 * latches the address, so the reset control register at 0xCF9 keeps its
 * byte; and extended config space of a conventional function reads 0.
 */
#include "qemu/osdep.h"
#include <linux/pci_regs.h>

#include "libqtest.h"
#include "libqos/pci.h"
#include "hw/i386/layout.h"
#include "hw/pci/pci-host.h"

#define ECAM(devfn, off) (LAYOUT_PCI_ECAM_BASE + ((devfn) << 12) + (off))

static void test_host_bridge(void)
{
    QTestState *qts = qtest_init("-machine pc");
    unsigned off;

    g_assert_cmphex(qpci_config_readw(qts, 0, PCI_VENDOR_ID), ==,
                    PCI_HOST_VENDOR_ID);
    g_assert_cmphex(qpci_config_readw(qts, 0, PCI_DEVICE_ID), ==,
                    PCI_HOST_DEVICE_ID);
    g_assert_cmphex(qpci_config_readl(qts, 0, PCI_CLASS_REVISION) >> 8, ==,
                    PCI_HOST_CLASS);
    /* ECAM says the same, byte for byte. */
    for (off = 0; off < 64; off += 4) {
        g_assert_cmphex(qtest_readl(qts, ECAM(0, off)), ==,
                        qpci_config_readl(qts, 0, off));
    }
    g_assert_cmphex(qtest_readl(qts, ECAM(0, 0x100)), ==, 0);
    g_assert_cmphex(qtest_readw(qts, ECAM(0, 2)), ==, PCI_HOST_DEVICE_ID);
    qtest_quit(qts);
}

static void test_empty_slots(void)
{
    QTestState *qts = qtest_init("-machine pc");
    int slot;

    for (slot = 1; slot < 32; slot++) {
        g_assert_cmphex(qpci_config_readl(qts, QPCI_DEVFN(slot, 0), 0), ==,
                        0xffffffff);
        g_assert_cmphex(qtest_readl(qts, ECAM(QPCI_DEVFN(slot, 0), 0)), ==,
                        0xffffffff);
    }
    /* Functions 1-7 of the host bridge's slot are empty too. */
    g_assert_cmphex(qpci_config_readw(qts, QPCI_DEVFN(0, 1), 0), ==, 0xffff);
    /* A bus other than 0, and a disabled address, read all ones. */
    qtest_outl(qts, 0xCF8, 0x80010000);
    g_assert_cmphex(qtest_inl(qts, 0xCFC), ==, 0xffffffff);
    qtest_outl(qts, 0xCF8, 0x00000000);
    g_assert_cmphex(qtest_inl(qts, 0xCFC), ==, 0xffffffff);
    qtest_quit(qts);
}

static void test_config_address_latch(void)
{
    QTestState *qts = qtest_init("-machine pc");

    qtest_outl(qts, 0xCF8, 0x80000008);
    g_assert_cmphex(qtest_inl(qts, 0xCF8), ==, 0x80000008);
    /* A byte to 0xCF9 is reset control (bit 1 alone does not reset). */
    qtest_outb(qts, 0xCF9, 0x02);
    g_assert_cmphex(qtest_inb(qts, 0xCF9), ==, 0x02);
    g_assert_cmphex(qtest_inl(qts, 0xCF8), ==, 0x80000008);
    /* 16-bit writes do not latch either. */
    qtest_outw(qts, 0xCF8, 0x1234);
    g_assert_cmphex(qtest_inl(qts, 0xCF8), ==, 0x80000008);
    /* Read-only header fields stay as they are. */
    qpci_config_writel(qts, 0, PCI_VENDOR_ID, 0);
    g_assert_cmphex(qpci_config_readw(qts, 0, PCI_VENDOR_ID), ==,
                    PCI_HOST_VENDOR_ID);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/host-bridge", test_host_bridge);
    g_test_add_func("/pci/empty-slots", test_empty_slots);
    g_test_add_func("/pci/config-address-latch", test_config_address_latch);
    return g_test_run();
}
