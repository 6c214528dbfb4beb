/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine's PCI host bridge: configuration mechanism #1 (ports
 * 0xCF8/0xCFC) and ECAM for bus 0, and the bridge's own function at 00.0
 * (1b36:0008, a generic host bridge: pmemvm has no i440FX or Q35
 * chipset).  docs/specs/pci.md tables what the guest sees.
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/pci/pci.h"

#define PCI_HOST_VENDOR_ID          0x1b36      /* Red Hat, as QEMU's gpex */
#define PCI_HOST_DEVICE_ID          0x0008      /* PCIe host bridge */
#define PCI_HOST_CLASS              0x060000    /* bridge, host */
/* QEMU's subsystem ids for a device that sets none (Red Hat, QEMU) */
#define PCI_HOST_SUBSYSTEM_VENDOR_ID 0x1af4
#define PCI_HOST_SUBSYSTEM_ID       0x1100

/*
 * Create bus pci.0 with its INTx lines @intx, the config ports at
 * @config_addr_port / @config_data_port and ECAM at @ecam (@ecam_size
 * bytes: bus 0 only).
 */
PCIBus *pci_host_init(const qemu_irq intx[PCI_NUM_INTX],
                      uint16_t config_addr_port, uint16_t config_data_port,
                      uint64_t ecam, uint64_t ecam_size, Error **errp);

#endif
