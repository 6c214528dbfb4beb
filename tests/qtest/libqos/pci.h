/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI configuration space from a qtest (QEMU's libqos/pci.h, small):
 * mechanism #1 through ports 0xCF8/0xCFC, which pmemvm and QEMU's pc
 * both have, and a BAR's address.  Bus 0 only.
 */
#ifndef LIBQOS_PCI_H
#define LIBQOS_PCI_H

#include <stdint.h>
#include "../libqtest.h"

#define QPCI_DEVFN(slot, fn)    (((slot) << 3) | (fn))

uint32_t qpci_config_readl(QTestState *qts, int devfn, uint8_t off);
uint16_t qpci_config_readw(QTestState *qts, int devfn, uint8_t off);
uint8_t qpci_config_readb(QTestState *qts, int devfn, uint8_t off);
void qpci_config_writel(QTestState *qts, int devfn, uint8_t off,
                        uint32_t val);
void qpci_config_writew(QTestState *qts, int devfn, uint8_t off,
                        uint16_t val);
void qpci_config_writeb(QTestState *qts, int devfn, uint8_t off,
                        uint8_t val);
/* The 256 bytes of a function's configuration space. */
void qpci_config_dump(QTestState *qts, int devfn, uint8_t out[256]);
/* The address a (32- or 64-bit) memory BAR holds, flag bits cleared. */
uint64_t qpci_bar_addr(QTestState *qts, int devfn, int bar);
/* Give a memory BAR @addr and enable memory decoding and bus mastering
 * (what firmware does on QEMU; pmemvm has done it already). */
void qpci_bar_map(QTestState *qts, int devfn, int bar, uint64_t addr);
/* The offset of the first capability @id at or after @start, or 0. */
uint8_t qpci_find_capability(QTestState *qts, int devfn, uint8_t id,
                             uint8_t start);

#endif
