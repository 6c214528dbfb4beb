/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-pci modern transport: see include/hw/virtio/virtio-pci.h.
 */
#include "qemu/osdep.h"
#include <linux/virtio_pci.h>
#include <sys/eventfd.h>
#include <glib-unix.h>
#include "hw/virtio/virtio-pci.h"
#include "hw/pci/msix.h"
#include "sysemu/accel.h"

#define VPCI_BAR                4
#define VPCI_BAR_SIZE           0x4000
#define VPCI_REGION_SIZE        0x1000
#define VPCI_COMMON_OFF         0x0000
#define VPCI_ISR_OFF            0x1000
#define VPCI_DEVICE_OFF         0x2000
#define VPCI_NOTIFY_OFF         0x3000
#define VPCI_NOTIFY_MULTIPLIER  4
#define VPCI_MSIX_BAR           1
#define VPCI_MSIX_PBA_OFF       0x800
#define VPCI_CAP_LEN            16      /* struct virtio_pci_cap */
#define VPCI_NOTIFY_CAP_LEN     20      /* + notify_off_multiplier */
#define VPCI_CFG_CAP_LEN        20      /* + pci_cfg_data */
#define VPCI_CFG_CAP_DATA       16
/* The common configuration's registers, 0x00-0x3B (virtio 1.2). */
#define VPCI_COMMON_Q_RESET     58
#define VPCI_COMMON_SIZE        60

static void vpci_add_cap(VirtIOPCIProxy *p, uint8_t type, uint8_t len,
                         uint32_t off, uint32_t size, uint8_t **at)
{
    PCIDevice *d = &p->pci_dev;
    uint8_t c = pci_add_capability(d, PCI_CAP_ID_VNDR, len);

    d->config[c + VIRTIO_PCI_CAP_LEN] = len;
    d->config[c + VIRTIO_PCI_CAP_CFG_TYPE] = type;
    d->config[c + VIRTIO_PCI_CAP_BAR] = type == VIRTIO_PCI_CAP_PCI_CFG ?
                                        0 : VPCI_BAR;
    pci_set_long(d->config + c + VIRTIO_PCI_CAP_OFFSET, off);
    pci_set_long(d->config + c + VIRTIO_PCI_CAP_LENGTH, size);
    if (at) {
        *at = d->config + c;
    }
    if (type == VIRTIO_PCI_CAP_PCI_CFG) {
        p->cfg_cap = c;
    }
}

/* ---- Interrupts ---- */

static void vpci_notify(void *opaque, uint16_t vector)
{
    VirtIOPCIProxy *p = opaque;

    if (msix_enabled(&p->pci_dev)) {
        if (vector != VIRTIO_NO_VECTOR) {
            msix_notify(&p->pci_dev, vector);
        }
    } else {
        pci_set_irq(&p->pci_dev, 1);    /* lowered when ISR is read */
    }
}

static const VirtioTransportOps vpci_transport = {
    .notify = vpci_notify,
};

/* ---- The common configuration ---- */

/* The registers as the driver reads them, little-endian (lock held). */
static void vpci_common_image(VirtIOPCIProxy *p, uint8_t img[64])
{
    VirtIODevice *v = p->vdev;
    unsigned q = p->queue_select;
    uint16_t nvec = p->msix_vectors;
    uint64_t a;
    uint16_t vec;

    memset(img, 0, 64);
    pci_set_long(img + VIRTIO_PCI_COMMON_DFSELECT, p->dfselect);
    pci_set_long(img + VIRTIO_PCI_COMMON_DF, p->dfselect > 1 ? 0 :
                 virtio_get_device_features(v, p->dfselect));
    pci_set_long(img + VIRTIO_PCI_COMMON_GFSELECT, p->gfselect);
    pci_set_long(img + VIRTIO_PCI_COMMON_GF, p->gfselect > 1 ? 0 :
                 virtio_get_driver_features(v, p->gfselect));
    vec = v->config_vector;
    pci_set_word(img + VIRTIO_PCI_COMMON_MSIX, vec < nvec ? vec :
                 VIRTIO_NO_VECTOR);
    pci_set_word(img + VIRTIO_PCI_COMMON_NUMQ, v->ops->num_queues);
    img[VIRTIO_PCI_COMMON_STATUS] = virtio_get_status(v);
    img[VIRTIO_PCI_COMMON_CFGGENERATION] = v->config_generation;
    pci_set_word(img + VIRTIO_PCI_COMMON_Q_SELECT, q);
    pci_set_word(img + VIRTIO_PCI_COMMON_Q_SIZE, virtio_queue_get_size(v, q));
    vec = virtio_queue_get_vector(v, q);
    pci_set_word(img + VIRTIO_PCI_COMMON_Q_MSIX, vec < nvec ? vec :
                 VIRTIO_NO_VECTOR);
    pci_set_word(img + VIRTIO_PCI_COMMON_Q_ENABLE,
                 virtio_queue_get_enabled(v, q));
    pci_set_word(img + VIRTIO_PCI_COMMON_Q_NOFF, q);
    a = virtio_queue_get_addr(v, q, VIRTIO_QUEUE_DESC);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_DESCLO, a);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_DESCHI, a >> 32);
    a = virtio_queue_get_addr(v, q, VIRTIO_QUEUE_AVAIL);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_AVAILLO, a);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_AVAILHI, a >> 32);
    a = virtio_queue_get_addr(v, q, VIRTIO_QUEUE_USED);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_USEDLO, a);
    pci_set_long(img + VIRTIO_PCI_COMMON_Q_USEDHI, a >> 32);
}

static uint64_t vpci_common_read(VirtIOPCIProxy *p, uint64_t off,
                                 unsigned size)
{
    uint8_t img[64];
    uint64_t v = 0;
    unsigned i;

    if (off >= VPCI_COMMON_SIZE || size > VPCI_COMMON_SIZE - off) {
        return 0;
    }
    g_mutex_lock(&p->lock);
    vpci_common_image(p, img);
    g_mutex_unlock(&p->lock);
    for (i = 0; i < size; i++) {
        v |= (uint64_t)img[off + i] << (8 * i);
    }
    return v;
}

/* A queue address register: the low or high half of one of three. */
static void vpci_set_queue_half(VirtIOPCIProxy *p, int which, bool hi,
                                uint32_t val)
{
    VirtIODevice *v = p->vdev;
    uint64_t a = virtio_queue_get_addr(v, p->queue_select, which);

    a = hi ? (a & UINT32_MAX) | (uint64_t)val << 32
           : (a & ~(uint64_t)UINT32_MAX) | val;
    virtio_queue_set_addr(v, p->queue_select, which, a);
}

static void vpci_common_write(VirtIOPCIProxy *p, uint64_t off, uint64_t val,
                              unsigned size)
{
    VirtIODevice *v = p->vdev;
    unsigned q;

    /* A 64-bit write of an address pair: two 32-bit writes. */
    if (size == 8 && off >= VIRTIO_PCI_COMMON_Q_DESCLO &&
        off <= VIRTIO_PCI_COMMON_Q_USEDLO && !(off % 8)) {
        vpci_common_write(p, off, (uint32_t)val, 4);
        vpci_common_write(p, off + 4, val >> 32, 4);
        return;
    }
    g_mutex_lock(&p->lock);
    q = p->queue_select;
    switch (off) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        p->dfselect = val;
        break;
    case VIRTIO_PCI_COMMON_GFSELECT:
        p->gfselect = val;
        break;
    case VIRTIO_PCI_COMMON_GF:
        if (p->gfselect <= 1) {
            virtio_set_driver_features(v, p->gfselect, val);
        }
        break;
    case VIRTIO_PCI_COMMON_MSIX:
        v->config_vector = val;
        break;
    case VIRTIO_PCI_COMMON_STATUS:
        g_mutex_unlock(&p->lock);
        virtio_set_status(v, val);
        if (!(val & 0xFF)) {
            pci_set_irq(&p->pci_dev, 0);
        }
        return;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        p->queue_select = val;
        break;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        virtio_queue_set_size(v, q, val);
        break;
    case VIRTIO_PCI_COMMON_Q_MSIX:
        virtio_queue_set_vector(v, q, val);
        break;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        virtio_queue_set_enabled(v, q, val == 1);
        break;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        vpci_set_queue_half(p, VIRTIO_QUEUE_DESC,
                            off == VIRTIO_PCI_COMMON_Q_DESCHI, val);
        break;
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        vpci_set_queue_half(p, VIRTIO_QUEUE_AVAIL,
                            off == VIRTIO_PCI_COMMON_Q_AVAILHI, val);
        break;
    case VIRTIO_PCI_COMMON_Q_USEDLO:
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        vpci_set_queue_half(p, VIRTIO_QUEUE_USED,
                            off == VIRTIO_PCI_COMMON_Q_USEDHI, val);
        break;
    case VPCI_COMMON_Q_RESET:
        if (val == 1) {
            virtio_queue_reset(v, q);
        }
        break;
    default:
        /* Read-only registers (device_feature, num_queues, ...). */
        break;
    }
    g_mutex_unlock(&p->lock);
}

/* ---- BAR 4 ---- */

static uint64_t vpci_bar_read(void *opaque, uint64_t off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint32_t region = off / VPCI_REGION_SIZE, in = off % VPCI_REGION_SIZE;
    uint8_t isr;

    switch (region * VPCI_REGION_SIZE) {
    case VPCI_COMMON_OFF:
        return vpci_common_read(p, in, size);
    case VPCI_ISR_OFF:
        if (in) {
            return 0;
        }
        isr = virtio_isr_read_clear(p->vdev);
        pci_set_irq(&p->pci_dev, 0);
        return isr;
    case VPCI_DEVICE_OFF:
        return size <= 4 ? virtio_config_read(p->vdev, in, size)
                         : virtio_config_read(p->vdev, in, 4) |
                           (uint64_t)virtio_config_read(p->vdev, in + 4,
                                                        4) << 32;
    default:
        return 0;               /* the notify region reads as 0 */
    }
}

static void vpci_bar_write(void *opaque, uint64_t off, uint64_t val,
                           unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint32_t region = off / VPCI_REGION_SIZE, in = off % VPCI_REGION_SIZE;

    switch (region * VPCI_REGION_SIZE) {
    case VPCI_COMMON_OFF:
        vpci_common_write(p, in, val, size);
        break;
    case VPCI_NOTIFY_OFF:
        virtio_queue_notify(p->vdev, in / VPCI_NOTIFY_MULTIPLIER);
        break;
    default:
        break;                  /* ISR and device config are read-only */
    }
}

static const MMIOOps vpci_bar_ops = {
    .read = vpci_bar_read,
    .write = vpci_bar_write,
};

/* ---- Queue notifications through an ioeventfd per queue ---- */

static gboolean vpci_notify_fd_ready(gint fd, GIOCondition cond,
                                     gpointer opaque)
{
    VirtIOPCINotify *n = opaque;
    uint64_t v;

    if (read(fd, &v, sizeof(v)) == sizeof(v)) {
        virtio_queue_notify(n->proxy->vdev, n->queue);
    }
    return G_SOURCE_CONTINUE;
}

static void vpci_ioeventfd_del(VirtIOPCINotify *n)
{
    AccelIoeventfd e = { .fd = n->fd, .addr = n->gpa, .size = 2 };

    if (n->gpa) {
        accel_ioeventfd_del(&e);
        n->gpa = 0;
    }
}

/* Queue @n's ioeventfd at @gpa (made, and its source attached, once). */
static void vpci_ioeventfd_add(VirtIOPCINotify *n, uint64_t gpa)
{
    AccelIoeventfd e = { .size = 2 };

    if (n->fd < 0) {
        n->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (n->fd < 0) {
            return;
        }
        n->src = g_unix_fd_source_new(n->fd, G_IO_IN);
        g_source_set_callback(n->src, G_SOURCE_FUNC(vpci_notify_fd_ready),
                              n, NULL);
        g_source_attach(n->src, virtio_notify_context(n->proxy->vdev));
    }
    e.fd = n->fd;
    e.addr = gpa;
    if (accel_ioeventfd_add(&e, NULL)) {
        n->gpa = gpa;
    }
}

/*
 * BAR 4 moved (device lock held): every queue's notification moves with
 * it.  Where the accelerator has no ioeventfd, the MMIO write does the
 * work.
 */
static void vpci_bar_moved(PCIDevice *d, unsigned bar, uint64_t addr)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    unsigned q;

    if (bar != VPCI_BAR || !accel_has_ioeventfd()) {
        return;
    }
    for (q = 0; q < p->vdev->ops->num_queues; q++) {
        vpci_ioeventfd_del(&p->notify[q]);
        if (addr != PCI_BAR_UNMAPPED) {
            vpci_ioeventfd_add(&p->notify[q], addr + VPCI_NOTIFY_OFF +
                               q * VPCI_NOTIFY_MULTIPLIER);
        }
    }
}

/* ---- The PCI config access capability (VIRTIO_PCI_CAP_PCI_CFG) ---- */

/* Its window: BAR, offset, length as the driver set them (lock held). */
static bool vpci_cfg_window(VirtIOPCIProxy *p, uint32_t *off, unsigned *len)
{
    const uint8_t *c = p->pci_dev.config + p->cfg_cap;

    *off = pci_get_long(c + VIRTIO_PCI_CAP_OFFSET);
    *len = pci_get_long(c + VIRTIO_PCI_CAP_LENGTH);
    return c[VIRTIO_PCI_CAP_BAR] == VPCI_BAR &&
           (*len == 1 || *len == 2 || *len == 4) && *off % *len == 0 &&
           *off < VPCI_BAR_SIZE && *len <= VPCI_BAR_SIZE - *off;
}

static void vpci_config_reading(PCIDevice *d, uint32_t addr, unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    uint32_t data = p->cfg_cap + VPCI_CFG_CAP_DATA, off;
    unsigned wlen;

    if (addr < data + 4 && addr + len > data && vpci_cfg_window(p, &off,
                                                                &wlen)) {
        pci_set_long(d->config + data, vpci_bar_read(p, off, wlen));
    }
}

static void vpci_config_written(PCIDevice *d, uint32_t addr, uint32_t val,
                                unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    uint32_t data = p->cfg_cap + VPCI_CFG_CAP_DATA, off;
    unsigned wlen;

    msix_config_written(d, addr, val, len);
    if (addr < data + 4 && addr + len > data && vpci_cfg_window(p, &off,
                                                                &wlen)) {
        vpci_bar_write(p, off, pci_get_long(d->config + data), wlen);
    }
}

/* ---- Realize ---- */

bool virtio_pci_realize(VirtIOPCIProxy *p, VirtIODevice *vdev,
                        const PCIDeviceIds *ids, Error **errp)
{
    PCIDevice *d = &p->pci_dev;
    uint8_t *notify;
    unsigned q;

    if (p->disable_modern) {
        error_setg(errp, "device is modern-only, set disable-legacy to on");
        return false;
    }
    /* As QEMU: for a modern-only device "auto" is "on" (qom-get and info
     * qtree show the value in force). */
    if (p->disable_legacy == VIRTIO_PCI_DISABLE_LEGACY_AUTO) {
        p->disable_legacy = VIRTIO_PCI_DISABLE_LEGACY_ON;
    }
    if (p->iommu_platform || p->packed) {
        error_setg(errp, "%s: pmemvm has no vIOMMU and only split "
                   "virtqueues", p->iommu_platform ? "iommu_platform=on" :
                   "packed=on");
        return false;
    }
    if (!pci_device_attach(d, ids, errp)) {
        return false;
    }
    g_mutex_init(&p->lock);
    p->vdev = vdev;
    p->msix_vectors = vdev->ops->num_queues + 1;
    for (q = 0; q < VIRTIO_QUEUE_MAX; q++) {
        p->notify[q] = (VirtIOPCINotify){ .proxy = p, .queue = q, .fd = -1 };
    }
    virtio_bind_transport(vdev, &vpci_transport, p);
    vpci_add_cap(p, VIRTIO_PCI_CAP_COMMON_CFG, VPCI_CAP_LEN, VPCI_COMMON_OFF,
                 VPCI_REGION_SIZE, NULL);
    vpci_add_cap(p, VIRTIO_PCI_CAP_ISR_CFG, VPCI_CAP_LEN, VPCI_ISR_OFF,
                 VPCI_REGION_SIZE, NULL);
    vpci_add_cap(p, VIRTIO_PCI_CAP_DEVICE_CFG, VPCI_CAP_LEN, VPCI_DEVICE_OFF,
                 VPCI_REGION_SIZE, NULL);
    vpci_add_cap(p, VIRTIO_PCI_CAP_NOTIFY_CFG, VPCI_NOTIFY_CAP_LEN,
                 VPCI_NOTIFY_OFF, VPCI_REGION_SIZE, &notify);
    pci_set_long(notify + VPCI_CAP_LEN, VPCI_NOTIFY_MULTIPLIER);
    vpci_add_cap(p, VIRTIO_PCI_CAP_PCI_CFG, VPCI_CFG_CAP_LEN, 0, 0, NULL);
    /* The access capability's bar, offset, length and data are the
     * driver's to write. */
    d->wmask[p->cfg_cap + VIRTIO_PCI_CAP_BAR] = 0xFF;
    pci_set_long(d->wmask + p->cfg_cap + VIRTIO_PCI_CAP_OFFSET, UINT32_MAX);
    pci_set_long(d->wmask + p->cfg_cap + VIRTIO_PCI_CAP_LENGTH, UINT32_MAX);
    pci_set_long(d->wmask + p->cfg_cap + VPCI_CFG_CAP_DATA, UINT32_MAX);
    pci_register_bar(d, VPCI_BAR, VPCI_BAR_SIZE,
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &vpci_bar_ops, p);
    if (!msix_init(d, p->msix_vectors, VPCI_MSIX_BAR,
                   VPCI_MSIX_PBA_OFF, errp)) {
        pci_device_detach(d);
        return false;
    }
    d->config_written = vpci_config_written;
    d->config_reading = vpci_config_reading;
    d->bar_moved = vpci_bar_moved;
    return true;
}

void virtio_pci_unrealize(VirtIOPCIProxy *p)
{
    PCIDevice *d = &p->pci_dev;
    unsigned q;

    pci_device_detach(d);           /* unmaps BARs: the ioeventfds go */
    msix_uninit(d);
    for (q = 0; q < VIRTIO_QUEUE_MAX; q++) {
        VirtIOPCINotify *n = &p->notify[q];

        if (n->src) {
            g_source_destroy(n->src);
            g_source_unref(n->src);
            n->src = NULL;
        }
        if (n->fd >= 0) {
            close(n->fd);
            n->fd = -1;
        }
    }
    g_mutex_clear(&p->lock);
}
