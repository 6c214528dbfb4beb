/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI configuration space from a qtest: see pci.h.
 */
#include <linux/pci_regs.h>
#include "pci.h"

#define CONFIG_ADDR     0xCF8
#define CONFIG_DATA     0xCFC
#define CONFIG_ENABLE   0x80000000u

static void qpci_select(QTestState *qts, int devfn, uint8_t off)
{
    qtest_outl(qts, CONFIG_ADDR, CONFIG_ENABLE | devfn << 8 | (off & 0xFC));
}

uint32_t qpci_config_readl(QTestState *qts, int devfn, uint8_t off)
{
    qpci_select(qts, devfn, off);
    return qtest_inl(qts, CONFIG_DATA);
}

uint16_t qpci_config_readw(QTestState *qts, int devfn, uint8_t off)
{
    qpci_select(qts, devfn, off);
    return qtest_inw(qts, CONFIG_DATA + (off & 2));
}

uint8_t qpci_config_readb(QTestState *qts, int devfn, uint8_t off)
{
    qpci_select(qts, devfn, off);
    return qtest_inb(qts, CONFIG_DATA + (off & 3));
}

void qpci_config_writel(QTestState *qts, int devfn, uint8_t off,
                        uint32_t val)
{
    qpci_select(qts, devfn, off);
    qtest_outl(qts, CONFIG_DATA, val);
}

void qpci_config_writew(QTestState *qts, int devfn, uint8_t off,
                        uint16_t val)
{
    qpci_select(qts, devfn, off);
    qtest_outw(qts, CONFIG_DATA + (off & 2), val);
}

void qpci_config_writeb(QTestState *qts, int devfn, uint8_t off,
                        uint8_t val)
{
    qpci_select(qts, devfn, off);
    qtest_outb(qts, CONFIG_DATA + (off & 3), val);
}

void qpci_config_dump(QTestState *qts, int devfn, uint8_t out[256])
{
    unsigned i;

    for (i = 0; i < 256; i += 4) {
        uint32_t v = qpci_config_readl(qts, devfn, i);

        out[i] = v;
        out[i + 1] = v >> 8;
        out[i + 2] = v >> 16;
        out[i + 3] = v >> 24;
    }
}

uint64_t qpci_bar_addr(QTestState *qts, int devfn, int bar)
{
    uint8_t off = PCI_BASE_ADDRESS_0 + 4 * bar;
    uint32_t lo = qpci_config_readl(qts, devfn, off);
    uint64_t addr = lo & PCI_BASE_ADDRESS_MEM_MASK;

    if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
        PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (uint64_t)qpci_config_readl(qts, devfn, off + 4) << 32;
    }
    return addr;
}

void qpci_bar_map(QTestState *qts, int devfn, int bar, uint64_t addr)
{
    uint8_t off = PCI_BASE_ADDRESS_0 + 4 * bar;
    uint32_t lo = qpci_config_readl(qts, devfn, off);

    qpci_config_writel(qts, devfn, off, (uint32_t)addr);
    if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
        PCI_BASE_ADDRESS_MEM_TYPE_64) {
        qpci_config_writel(qts, devfn, off + 4, addr >> 32);
    }
    qpci_config_writew(qts, devfn, PCI_COMMAND,
                       qpci_config_readw(qts, devfn, PCI_COMMAND) |
                       PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

uint8_t qpci_find_capability(QTestState *qts, int devfn, uint8_t id,
                             uint8_t start)
{
    uint8_t at = start ? qpci_config_readb(qts, devfn, start + 1)
                       : qpci_config_readb(qts, devfn, PCI_CAPABILITY_LIST);
    unsigned guard = 0;

    while (at && guard++ < 48) {
        if (qpci_config_readb(qts, devfn, at) == id) {
            return at;
        }
        at = qpci_config_readb(qts, devfn, at + 1);
    }
    return 0;
}
