/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI-X: see include/hw/pci/msix.h.
 *
 * Table entry (PCI 3.0 §6.8.2.6): le32 address low, le32 address high,
 * le32 data, le32 vector control (bit 0: masked).  PBA: one bit a vector.
 * Message Control (§6.8.2.3): table size - 1 in bits 10:0, function mask
 * bit 14, enable bit 15.  The table and PBA are read and written by
 * vCPU threads; delivery comes from any thread: the MSIXState lock
 * guards it all, and the control word is mirrored there under it.
 */
#include "qemu/osdep.h"
#include <sys/eventfd.h>
#include "hw/pci/msix.h"
#include "sysemu/accel.h"

#define MSIX_CAP_LEN            12
#define MSIX_BAR_SIZE           4096
#define MSIX_ENTRY_ADDR_LO      0
#define MSIX_ENTRY_ADDR_HI      4
#define MSIX_ENTRY_DATA         8
#define MSIX_ENTRY_CTRL         12
#define MSIX_ENTRY_MASKED       1u
#define MSIX_MAX_VECTORS        64      /* fits the 4 KiB BAR with the PBA */

typedef struct MSIXVector {
    int irqfd;                  /* eventfd, -1 if none */
    int route;                  /* accelerator route handle */
    uint64_t route_addr;        /* the message the route carries */
    uint32_t route_data;
} MSIXVector;

struct MSIXState {
    GMutex lock;
    PCIDevice *dev;
    unsigned nvectors;
    uint8_t cap;
    uint32_t pba_offset;
    uint8_t table[MSIX_MAX_VECTORS * PCI_MSIX_ENTRY_SIZE];
    uint64_t pending;           /* one bit per vector */
    uint16_t control;           /* Message Control, as last written */
    bool bus_master;            /* the command register's, mirrored */
    MSIXVector vec[MSIX_MAX_VECTORS];
};

static bool msix_vector_masked_locked(MSIXState *m, unsigned v)
{
    return !(m->control & PCI_MSIX_FLAGS_ENABLE) ||
           (m->control & PCI_MSIX_FLAGS_MASKALL) ||
           (pci_get_long(m->table + v * PCI_MSIX_ENTRY_SIZE +
                         MSIX_ENTRY_CTRL) & MSIX_ENTRY_MASKED);
}

/* Send vector @v's message now (lock held). */
static void msix_send_locked(MSIXState *m, unsigned v)
{
    const uint8_t *e = m->table + v * PCI_MSIX_ENTRY_SIZE;
    uint64_t addr = pci_get_long(e + MSIX_ENTRY_ADDR_LO) |
                    (uint64_t)pci_get_long(e + MSIX_ENTRY_ADDR_HI) << 32;
    uint32_t data = pci_get_long(e + MSIX_ENTRY_DATA);
    MSIXVector *vec = &m->vec[v];
    uint64_t one = 1;

    if (!m->bus_master) {
        return;                 /* no bus master, no memory write */
    }
    if (accel_has_irqfd()) {
        if (vec->irqfd < 0) {
            vec->irqfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            vec->route = -1;
        }
        if (vec->irqfd >= 0 && vec->route < 0) {
            vec->route = accel_irqfd_add(vec->irqfd, addr, data, NULL);
        } else if (vec->route >= 0 &&
                   (vec->route_addr != addr || vec->route_data != data) &&
                   !accel_irqfd_update(vec->route, addr, data, NULL)) {
            accel_irqfd_del(vec->route);
            vec->route = -1;
        }
        if (vec->route >= 0) {
            vec->route_addr = addr;
            vec->route_data = data;
            if (write(vec->irqfd, &one, sizeof(one)) == sizeof(one)) {
                return;
            }
        }
    }
    accel_deliver_msi(addr, data);
}

/* Deliver what is pending and no longer masked (lock held). */
static void msix_flush_pending_locked(MSIXState *m)
{
    unsigned v;

    for (v = 0; v < m->nvectors; v++) {
        if ((m->pending & (1ULL << v)) && !msix_vector_masked_locked(m, v)) {
            m->pending &= ~(1ULL << v);
            msix_send_locked(m, v);
        }
    }
}

void msix_notify(PCIDevice *d, unsigned vector)
{
    MSIXState *m = d->msix;

    if (!m || vector >= m->nvectors) {
        return;
    }
    g_mutex_lock(&m->lock);
    if (msix_vector_masked_locked(m, vector)) {
        m->pending |= 1ULL << vector;
    } else {
        msix_send_locked(m, vector);
    }
    g_mutex_unlock(&m->lock);
}

bool msix_enabled(PCIDevice *d)
{
    MSIXState *m = d->msix;
    bool on;

    if (!m) {
        return false;
    }
    g_mutex_lock(&m->lock);
    on = m->control & PCI_MSIX_FLAGS_ENABLE;
    g_mutex_unlock(&m->lock);
    return on;
}

static uint64_t msix_bar_read(void *opaque, uint64_t off, unsigned size)
{
    MSIXState *m = opaque;
    uint64_t val = 0;
    unsigned i;

    g_mutex_lock(&m->lock);
    for (i = 0; i < size; i++, off++) {
        uint8_t b = 0;

        if (off < m->nvectors * PCI_MSIX_ENTRY_SIZE) {
            b = m->table[off];
        } else if (off >= m->pba_offset && off - m->pba_offset < 8) {
            b = m->pending >> (8 * (off - m->pba_offset));
        }
        val |= (uint64_t)b << (8 * i);
    }
    g_mutex_unlock(&m->lock);
    return val;
}

static void msix_bar_write(void *opaque, uint64_t off, uint64_t val,
                           unsigned size)
{
    MSIXState *m = opaque;
    unsigned i;

    g_mutex_lock(&m->lock);
    for (i = 0; i < size; i++, off++) {
        /* The table is writable (vector control: the mask bit only). */
        if (off < m->nvectors * PCI_MSIX_ENTRY_SIZE) {
            uint8_t b = val >> (8 * i);

            if (off % PCI_MSIX_ENTRY_SIZE == MSIX_ENTRY_CTRL) {
                b &= MSIX_ENTRY_MASKED;
            } else if (off % PCI_MSIX_ENTRY_SIZE > MSIX_ENTRY_CTRL) {
                b = 0;
            }
            m->table[off] = b;
        }
        /* The PBA is read-only. */
    }
    msix_flush_pending_locked(m);
    g_mutex_unlock(&m->lock);
}

static const MMIOOps msix_bar_ops = {
    .read = msix_bar_read,
    .write = msix_bar_write,
};

/*
 * The device's config_written hook calls this for every write, with the
 * device lock held: the control word and the bus master bit are mirrored
 * here, so that delivery never needs the device lock.
 */
void msix_config_written(PCIDevice *d, uint32_t addr, uint32_t val,
                         unsigned len)
{
    MSIXState *m = d->msix;

    if (!m) {
        return;
    }
    g_mutex_lock(&m->lock);
    m->control = pci_get_word(d->config + m->cap + PCI_MSIX_FLAGS);
    m->bus_master = pci_get_word(d->config + PCI_COMMAND) &
                    PCI_COMMAND_MASTER;
    msix_flush_pending_locked(m);
    g_mutex_unlock(&m->lock);
}

void msix_reset(PCIDevice *d)
{
    MSIXState *m = d->msix;
    unsigned v;

    if (!m) {
        return;
    }
    g_mutex_lock(&m->lock);
    memset(m->table, 0, sizeof(m->table));
    for (v = 0; v < m->nvectors; v++) {
        pci_set_long(m->table + v * PCI_MSIX_ENTRY_SIZE + MSIX_ENTRY_CTRL,
                     MSIX_ENTRY_MASKED);
    }
    m->pending = 0;
    m->control = 0;
    m->bus_master = false;
    pci_set_word(d->config + m->cap + PCI_MSIX_FLAGS, m->nvectors - 1);
    g_mutex_unlock(&m->lock);
}

bool msix_init(PCIDevice *d, unsigned nvectors, unsigned bar,
               uint32_t pba_offset, Error **errp)
{
    MSIXState *m;

    if (!nvectors || nvectors > MSIX_MAX_VECTORS ||
        pba_offset < nvectors * PCI_MSIX_ENTRY_SIZE ||
        pba_offset + 8 > MSIX_BAR_SIZE) {
        error_setg(errp, "MSI-X: %u vectors do not fit", nvectors);
        return false;
    }
    m = g_new0(MSIXState, 1);
    g_mutex_init(&m->lock);
    m->dev = d;
    m->nvectors = nvectors;
    m->pba_offset = pba_offset;
    for (unsigned v = 0; v < MSIX_MAX_VECTORS; v++) {
        m->vec[v].irqfd = -1;
        m->vec[v].route = -1;
    }
    d->msix = m;
    m->cap = pci_add_capability(d, PCI_CAP_ID_MSIX, MSIX_CAP_LEN);
    pci_set_long(d->config + m->cap + PCI_MSIX_TABLE, bar);
    pci_set_long(d->config + m->cap + PCI_MSIX_PBA, pba_offset | bar);
    pci_set_word(d->wmask + m->cap + PCI_MSIX_FLAGS,
                 PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    msix_reset(d);
    pci_register_bar(d, bar, MSIX_BAR_SIZE, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &msix_bar_ops, m);
    return true;
}

void msix_uninit(PCIDevice *d)
{
    MSIXState *m = d->msix;
    unsigned v;

    if (!m) {
        return;
    }
    for (v = 0; v < m->nvectors; v++) {
        if (m->vec[v].route >= 0) {
            accel_irqfd_del(m->vec[v].route);
        }
        if (m->vec[v].irqfd >= 0) {
            close(m->vec[v].irqfd);
        }
    }
    g_mutex_clear(&m->lock);
    g_free(m);
    d->msix = NULL;
}
