/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI-X (PCI 3.0 §6.8.2): the capability, the vector table and the
 * pending bit array in a memory BAR, and delivery of a vector's message
 * through the accelerator (accel_deliver_msi(), or an irqfd where the
 * accelerator has them: an eventfd write from any thread, no ioctl).
 * A masked vector, or all of them while the function mask is set or
 * MSI-X is disabled, only sets its pending bit; unmasking delivers it.
 */
#ifndef HW_PCI_MSIX_H
#define HW_PCI_MSIX_H

#include "hw/pci/pci.h"

#define MSIX_NO_VECTOR          0xFFFF

/*
 * Give @d @nvectors vectors: the capability, and BAR @bar (4 KiB, 32-bit)
 * with the table at 0 and the PBA at @pba_offset.  Once, before plug.
 */
bool msix_init(PCIDevice *d, unsigned nvectors, unsigned bar,
               uint32_t pba_offset, Error **errp);
void msix_uninit(PCIDevice *d);
/* Deliver (or make pending) @vector; any thread. */
void msix_notify(PCIDevice *d, unsigned vector);
/* MSI-X is enabled in the capability (the function may be masked). */
bool msix_enabled(PCIDevice *d);
/* For the device's config_written hook (every write, lock held). */
void msix_config_written(PCIDevice *d, uint32_t addr, uint32_t val,
                         unsigned len);
/* Power-on state: disabled, every vector masked, nothing pending. */
void msix_reset(PCIDevice *d);

#endif
