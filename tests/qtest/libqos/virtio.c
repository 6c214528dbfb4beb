/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A virtio-pci modern device from a qtest: see virtio.h.
 */
#include <glib.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include "pci.h"
#include "virtio.h"

#define DESC_SIZE   16

/* The BAR 4 address of capability type @type, mapping BAR 4 if needed. */
static uint64_t cap_addr(QVirtioDev *v, uint8_t type, uint8_t *cap_out,
                         uint64_t bar_base)
{
    uint8_t at = 0;

    while ((at = qpci_find_capability(v->qts, v->devfn, PCI_CAP_ID_VNDR,
                                      at))) {
        if (qpci_config_readb(v->qts, v->devfn,
                              at + VIRTIO_PCI_CAP_CFG_TYPE) == type) {
            uint8_t bar = qpci_config_readb(v->qts, v->devfn,
                                            at + VIRTIO_PCI_CAP_BAR);
            uint32_t off = qpci_config_readl(v->qts, v->devfn,
                                             at + VIRTIO_PCI_CAP_OFFSET);
            uint64_t base = qpci_bar_addr(v->qts, v->devfn, bar);

            if (!base) {
                qpci_bar_map(v->qts, v->devfn, bar, bar_base);
                base = bar_base;
            }
            *cap_out = at;
            return base + off;
        }
    }
    g_error("no virtio capability of type %u", type);
}

void qvirtio_init(QVirtioDev *v, QTestState *qts, int devfn,
                  uint64_t bar_base)
{
    uint8_t cap;

    v->qts = qts;
    v->devfn = devfn;
    v->common = cap_addr(v, VIRTIO_PCI_CAP_COMMON_CFG, &cap, bar_base);
    v->isr = cap_addr(v, VIRTIO_PCI_CAP_ISR_CFG, &cap, bar_base);
    v->device = cap_addr(v, VIRTIO_PCI_CAP_DEVICE_CFG, &cap, bar_base);
    v->notify = cap_addr(v, VIRTIO_PCI_CAP_NOTIFY_CFG, &cap, bar_base);
    v->notify_mult = qpci_config_readl(qts, devfn, cap + 16);
    /* Bus mastering, for the device's writes and MSIs. */
    qpci_config_writew(qts, devfn, PCI_COMMAND,
                       qpci_config_readw(qts, devfn, PCI_COMMAND) |
                       PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

uint8_t qvirtio_get_status(QVirtioDev *v)
{
    return qtest_readb(v->qts, v->common + VIRTIO_PCI_COMMON_STATUS);
}

void qvirtio_set_status(QVirtioDev *v, uint8_t status)
{
    qtest_writeb(v->qts, v->common + VIRTIO_PCI_COMMON_STATUS, status);
}

uint64_t qvirtio_device_features(QVirtioDev *v)
{
    uint64_t f;

    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_DFSELECT, 0);
    f = qtest_readl(v->qts, v->common + VIRTIO_PCI_COMMON_DF);
    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_DFSELECT, 1);
    f |= (uint64_t)qtest_readl(v->qts, v->common + VIRTIO_PCI_COMMON_DF)
         << 32;
    return f;
}

uint8_t qvirtio_negotiate(QVirtioDev *v, uint64_t features)
{
    qvirtio_set_status(v, 0);
    qvirtio_set_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    qvirtio_set_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                          VIRTIO_CONFIG_S_DRIVER);
    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_GFSELECT, 0);
    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_GF, features);
    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_GFSELECT, 1);
    qtest_writel(v->qts, v->common + VIRTIO_PCI_COMMON_GF, features >> 32);
    qvirtio_set_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                          VIRTIO_CONFIG_S_DRIVER |
                          VIRTIO_CONFIG_S_FEATURES_OK);
    return qvirtio_get_status(v);
}

uint32_t qvirtio_config_readl(QVirtioDev *v, unsigned off)
{
    return qtest_readl(v->qts, v->device + off);
}

uint64_t qvirtio_config_readq(QVirtioDev *v, unsigned off)
{
    return qvirtio_config_readl(v, off) |
           (uint64_t)qvirtio_config_readl(v, off + 4) << 32;
}

uint8_t qvirtio_isr(QVirtioDev *v)
{
    return qtest_readb(v->qts, v->isr);
}

static void common_select(QVirtQueue *q)
{
    qtest_writew(q->dev->qts, q->dev->common + VIRTIO_PCI_COMMON_Q_SELECT,
                 q->index);
}

void qvirtqueue_setup(QVirtQueue *q, QVirtioDev *v, unsigned index,
                      uint64_t mem)
{
    QTestState *qts = v->qts;
    uint64_t c = v->common;

    q->dev = v;
    q->index = index;
    common_select(q);
    q->size = qtest_readw(qts, c + VIRTIO_PCI_COMMON_Q_SIZE);
    g_assert_cmpuint(q->size, >, 0);
    q->desc = mem;
    q->avail = mem + DESC_SIZE * q->size;
    q->used = (q->avail + 6 + 2 * q->size + 4095) & ~4095ULL;
    q->avail_idx = q->last_used = q->next_desc = 0;
    qtest_memset(qts, mem, 0, q->used + 6 + 8 * q->size - mem);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_DESCLO, (uint32_t)q->desc);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_DESCHI, q->desc >> 32);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_AVAILLO, (uint32_t)q->avail);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_AVAILHI, q->avail >> 32);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_USEDLO, (uint32_t)q->used);
    qtest_writel(qts, c + VIRTIO_PCI_COMMON_Q_USEDHI, q->used >> 32);
    qtest_writew(qts, c + VIRTIO_PCI_COMMON_Q_ENABLE, 1);
}

uint16_t qvirtqueue_set_vector(QVirtQueue *q, uint16_t vector)
{
    common_select(q);
    qtest_writew(q->dev->qts, q->dev->common + VIRTIO_PCI_COMMON_Q_MSIX,
                 vector);
    return qtest_readw(q->dev->qts, q->dev->common + VIRTIO_PCI_COMMON_Q_MSIX);
}

void qvirtqueue_set_desc(QVirtQueue *q, uint16_t i, uint64_t addr,
                         uint32_t len, uint16_t flags, uint16_t next)
{
    uint64_t d = q->desc + DESC_SIZE * (uint64_t)i;

    qtest_writeq(q->dev->qts, d, addr);
    qtest_writel(q->dev->qts, d + 8, len);
    qtest_writew(q->dev->qts, d + 12, flags);
    qtest_writew(q->dev->qts, d + 14, next);
}

void qvirtqueue_publish(QVirtQueue *q, uint16_t head)
{
    QTestState *qts = q->dev->qts;

    qtest_writew(qts, q->avail + 4 + 2 * (q->avail_idx % q->size), head);
    q->avail_idx++;
    qtest_writew(qts, q->avail + 2, q->avail_idx);
}

uint16_t qvirtqueue_add(QVirtQueue *q, const QVirtioBuf *bufs, unsigned n)
{
    uint16_t head = q->next_desc % q->size;
    unsigned i;

    for (i = 0; i < n; i++) {
        uint16_t me = (q->next_desc + i) % q->size;

        qvirtqueue_set_desc(q, me, bufs[i].gpa, bufs[i].len,
                            (bufs[i].write ? VRING_DESC_F_WRITE : 0) |
                            (i + 1 < n ? VRING_DESC_F_NEXT : 0),
                            (me + 1) % q->size);
    }
    q->next_desc += n;
    qvirtqueue_publish(q, head);
    return head;
}

void qvirtqueue_kick(QVirtQueue *q)
{
    uint16_t noff;

    common_select(q);
    noff = qtest_readw(q->dev->qts,
                       q->dev->common + VIRTIO_PCI_COMMON_Q_NOFF);
    qtest_writew(q->dev->qts, q->dev->notify + noff * q->dev->notify_mult,
                 q->index);
}

bool qvirtio_wait_status(QVirtioDev *v, uint8_t bits, int64_t timeout_us)
{
    int64_t end = g_get_monotonic_time() + timeout_us;

    while ((qvirtio_get_status(v) & bits) != bits) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

bool qvirtqueue_wait_used(QVirtQueue *q, uint32_t *id, uint32_t *len,
                          int64_t timeout_us)
{
    QTestState *qts = q->dev->qts;
    int64_t end = g_get_monotonic_time() + timeout_us;
    uint64_t e;

    while (qtest_readw(qts, q->used + 2) == q->last_used) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    e = q->used + 4 + 8 * (q->last_used % q->size);
    *id = qtest_readl(qts, e);
    *len = qtest_readl(qts, e + 4);
    q->last_used++;
    return true;
}
