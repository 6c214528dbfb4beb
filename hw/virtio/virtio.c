/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio device core: see include/hw/virtio/virtio.h.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"
#include "hw/core/memory.h"

#define VIRTIO_TRANSPORT_FEATURES_SHIFT 24      /* §6: bits 24-40 */

static bool virtio_guest_read(void *opaque, uint64_t gpa, void *buf,
                              uint64_t len)
{
    return guest_memory_read(gpa, buf, len);
}

static bool virtio_guest_write(void *opaque, uint64_t gpa, const void *buf,
                               uint64_t len)
{
    return guest_memory_write(gpa, buf, len);
}

static const VirtqMem virtio_guest_mem = {
    .read = virtio_guest_read,
    .write = virtio_guest_write,
};

void virtio_init(VirtIODevice *vdev, const VirtioDeviceOps *ops,
                 void *opaque, bool indirect_desc, bool event_idx,
                 bool ring_reset)
{
    unsigned q;

    memset(vdev, 0, sizeof(*vdev));
    g_mutex_init(&vdev->lock);
    vdev->ops = ops;
    vdev->opaque = opaque;
    vdev->host_features = ops->device_features |
                          (1ULL << VIRTIO_F_VERSION_1) |
                          (indirect_desc ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC
                                         : 0) |
                          (event_idx ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
                          (ring_reset ? 1ULL << VIRTIO_F_RING_RESET : 0);
    vdev->config_vector = VIRTIO_NO_VECTOR;
    for (q = 0; q < VIRTIO_QUEUE_MAX; q++) {
        vdev->vq[q].vector = VIRTIO_NO_VECTOR;
        vdev->vq[q].size = q < ops->num_queues ? ops->queue_max_size : 0;
    }
}

void virtio_bind_transport(VirtIODevice *vdev, const VirtioTransportOps *t,
                           void *opaque)
{
    vdev->transport = t;
    vdev->transport_opaque = opaque;
}

/* Interrupt for @vector with ISR bits @isr (lock held). */
static void virtio_raise_locked(VirtIODevice *vdev, uint8_t isr,
                                uint16_t vector)
{
    vdev->isr |= isr;
    if (vdev->transport) {
        vdev->transport->notify(vdev->transport_opaque, vector);
    }
}

static void virtio_reset_locked(VirtIODevice *vdev)
{
    unsigned q;

    vdev->status = 0;
    vdev->guest_features = 0;
    vdev->isr = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    vdev->broken = false;
    vdev->generation++;
    for (q = 0; q < VIRTIO_QUEUE_MAX; q++) {
        VirtQueue *vq = &vdev->vq[q];

        memset(&vq->st, 0, sizeof(vq->st));
        vq->size = q < vdev->ops->num_queues ? vdev->ops->queue_max_size : 0;
        vq->vector = VIRTIO_NO_VECTOR;
        vq->enabled = false;
    }
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    bool reset;

    g_mutex_lock(&vdev->lock);
    reset = status == 0;
    if (reset) {
        virtio_reset_locked(vdev);
    } else {
        /* FEATURES_OK sticks only for features we offered (§3.1.1). */
        if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
            (vdev->guest_features & ~vdev->host_features)) {
            status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
        }
        /* NEEDS_RESET is the device's, the driver cannot clear it. */
        vdev->status = status | (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET);
    }
    g_mutex_unlock(&vdev->lock);
    if (reset && vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
}

uint8_t virtio_get_status(VirtIODevice *vdev)
{
    uint8_t s;

    g_mutex_lock(&vdev->lock);
    s = vdev->status;
    g_mutex_unlock(&vdev->lock);
    return s;
}

void virtio_set_driver_features(VirtIODevice *vdev, bool hi, uint32_t val)
{
    g_mutex_lock(&vdev->lock);
    /* Only before FEATURES_OK (§3.1.1 step 5). */
    if (!(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
        if (hi) {
            vdev->guest_features = (vdev->guest_features & UINT32_MAX) |
                                   (uint64_t)val << 32;
        } else {
            vdev->guest_features = (vdev->guest_features &
                                    ~(uint64_t)UINT32_MAX) | val;
        }
    }
    g_mutex_unlock(&vdev->lock);
}

uint32_t virtio_get_driver_features(VirtIODevice *vdev, bool hi)
{
    uint64_t f;

    g_mutex_lock(&vdev->lock);
    f = vdev->guest_features;
    g_mutex_unlock(&vdev->lock);
    return hi ? f >> 32 : (uint32_t)f;
}

uint32_t virtio_get_device_features(VirtIODevice *vdev, bool hi)
{
    return hi ? vdev->host_features >> 32 : (uint32_t)vdev->host_features;
}

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t off, unsigned len)
{
    uint8_t cfg[256] = { 0 };
    uint32_t v = 0;
    unsigned i;

    if (off >= vdev->ops->config_size ||
        len > vdev->ops->config_size - off || len > 4) {
        return UINT32_MAX >> (32 - 8 * MIN(len, 4));
    }
    g_assert(vdev->ops->config_size <= sizeof(cfg));
    vdev->ops->get_config(vdev, cfg);
    for (i = 0; i < len; i++) {
        v |= (uint32_t)cfg[off + i] << (8 * i);
    }
    return v;
}

uint8_t virtio_isr_read_clear(VirtIODevice *vdev)
{
    uint8_t isr;

    g_mutex_lock(&vdev->lock);
    isr = vdev->isr;
    vdev->isr = 0;
    g_mutex_unlock(&vdev->lock);
    return isr;
}

/* ---- Queues ---- */

static VirtQueue *virtio_vq(VirtIODevice *vdev, unsigned q)
{
    return q < vdev->ops->num_queues ? &vdev->vq[q] : NULL;
}

uint16_t virtio_queue_get_size(VirtIODevice *vdev, unsigned q)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    uint16_t size;

    if (!vq) {
        return 0;
    }
    g_mutex_lock(&vdev->lock);
    size = vq->size;
    g_mutex_unlock(&vdev->lock);
    return size;
}

void virtio_queue_set_size(VirtIODevice *vdev, unsigned q, uint16_t size)
{
    VirtQueue *vq = virtio_vq(vdev, q);

    if (!vq) {
        return;
    }
    g_mutex_lock(&vdev->lock);
    /* A power of two no larger than ours (§2.7); else it is ignored. */
    if (!vq->enabled && size && !(size & (size - 1)) &&
        size <= vdev->ops->queue_max_size) {
        vq->size = size;
    }
    g_mutex_unlock(&vdev->lock);
}

void virtio_queue_set_addr(VirtIODevice *vdev, unsigned q, int which,
                           uint64_t addr)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    uint64_t *field;

    if (!vq) {
        return;
    }
    g_mutex_lock(&vdev->lock);
    field = which == VIRTIO_QUEUE_DESC ? &vq->st.ring.desc :
            which == VIRTIO_QUEUE_AVAIL ? &vq->st.ring.avail :
                                          &vq->st.ring.used;
    if (!vq->enabled) {
        *field = addr;
    }
    g_mutex_unlock(&vdev->lock);
}

uint64_t virtio_queue_get_addr(VirtIODevice *vdev, unsigned q, int which)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    uint64_t v;

    if (!vq) {
        return 0;
    }
    g_mutex_lock(&vdev->lock);
    v = which == VIRTIO_QUEUE_DESC ? vq->st.ring.desc :
        which == VIRTIO_QUEUE_AVAIL ? vq->st.ring.avail : vq->st.ring.used;
    g_mutex_unlock(&vdev->lock);
    return v;
}

void virtio_queue_set_vector(VirtIODevice *vdev, unsigned q, uint16_t v)
{
    VirtQueue *vq = virtio_vq(vdev, q);

    if (vq) {
        g_mutex_lock(&vdev->lock);
        vq->vector = v;
        g_mutex_unlock(&vdev->lock);
    }
}

uint16_t virtio_queue_get_vector(VirtIODevice *vdev, unsigned q)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    uint16_t v;

    if (!vq) {
        return VIRTIO_NO_VECTOR;
    }
    g_mutex_lock(&vdev->lock);
    v = vq->vector;
    g_mutex_unlock(&vdev->lock);
    return v;
}

void virtio_queue_set_enabled(VirtIODevice *vdev, unsigned q, bool on)
{
    VirtQueue *vq = virtio_vq(vdev, q);

    if (!vq || !on) {
        return;                 /* only 1 may be written (§4.1.4.3.2) */
    }
    g_mutex_lock(&vdev->lock);
    vq->enabled = true;
    vq->st.ring.size = vq->size;
    vq->st.event_idx = vdev->guest_features & (1ULL << VIRTIO_RING_F_EVENT_IDX);
    vq->st.indirect = vdev->guest_features &
                      (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    g_mutex_unlock(&vdev->lock);
}

bool virtio_queue_get_enabled(VirtIODevice *vdev, unsigned q)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    bool on;

    if (!vq) {
        return false;
    }
    g_mutex_lock(&vdev->lock);
    on = vq->enabled;
    g_mutex_unlock(&vdev->lock);
    return on;
}

void virtio_queue_reset(VirtIODevice *vdev, unsigned q)
{
    VirtQueue *vq = virtio_vq(vdev, q);

    if (!vq) {
        return;
    }
    g_mutex_lock(&vdev->lock);
    memset(&vq->st, 0, sizeof(vq->st));
    vq->enabled = false;
    vq->size = vdev->ops->queue_max_size;
    vq->vector = VIRTIO_NO_VECTOR;
    vdev->generation++;
    g_mutex_unlock(&vdev->lock);
}

GMainContext *virtio_notify_context(VirtIODevice *vdev)
{
    GMainContext *ctx = vdev->ops->notify_context ?
                        vdev->ops->notify_context(vdev) : NULL;

    return ctx ? ctx : g_main_context_default();
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned q)
{
    bool ready;

    g_mutex_lock(&vdev->lock);
    ready = q < vdev->ops->num_queues && vdev->vq[q].enabled &&
            (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken;
    g_mutex_unlock(&vdev->lock);
    if (ready && vdev->ops->queue_notify) {
        vdev->ops->queue_notify(vdev, q);
    }
}

static void virtio_error_locked(VirtIODevice *vdev, const char *why)
{
    guest_error("virtio device %u: %s; the device needs a reset",
                vdev->ops->device_id, why);
    if (!vdev->broken) {
        vdev->broken = true;
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) {
            vdev->config_generation++;
            virtio_raise_locked(vdev, VIRTIO_ISR_CONFIG, vdev->config_vector);
        }
    }
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    g_autofree char *why = NULL;
    va_list ap;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_mutex_lock(&vdev->lock);
    virtio_error_locked(vdev, why);
    g_mutex_unlock(&vdev->lock);
}

VirtqPopResult virtio_queue_pop(VirtIODevice *vdev, unsigned q,
                                VirtqChain *chain, unsigned *gen)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    VirtqPopResult r = VIRTQ_POP_EMPTY;
    const char *why = NULL;

    if (!vq) {
        return r;
    }
    g_mutex_lock(&vdev->lock);
    if (vq->enabled && !vdev->broken) {
        r = virtq_pop(&vq->st, &virtio_guest_mem, chain, &why);
        if (r == VIRTQ_POP_BROKEN) {
            virtio_error_locked(vdev, why);
        }
    }
    *gen = vdev->generation;
    g_mutex_unlock(&vdev->lock);
    return r;
}

/* Copy into the writable buffers of @c, from offset 0 (lock held). */
static bool virtio_chain_write(const VirtqChain *c, const void *buf,
                               uint64_t len)
{
    const uint8_t *p = buf;
    unsigned i;

    for (i = 0; i < c->n_in && len; i++) {
        uint64_t n = MIN(len, c->in[i].len);

        if (!guest_memory_write(c->in[i].gpa, p, n)) {
            return false;
        }
        p += n;
        len -= n;
    }
    return !len;
}

bool virtio_chain_read(const VirtqChain *c, uint64_t off, void *buf,
                       uint64_t len)
{
    uint8_t *p = buf;
    unsigned i;

    for (i = 0; i < c->n_out && len; i++) {
        uint64_t n;

        if (off >= c->out[i].len) {
            off -= c->out[i].len;
            continue;
        }
        n = MIN(len, c->out[i].len - off);
        if (!guest_memory_read(c->out[i].gpa + off, p, n)) {
            return false;
        }
        p += n;
        len -= n;
        off = 0;
    }
    return !len;
}

void virtio_queue_complete(VirtIODevice *vdev, unsigned q, unsigned gen,
                           const VirtqChain *chain, const void *resp,
                           uint32_t len)
{
    VirtQueue *vq = virtio_vq(vdev, q);
    bool notify = false;
    uint16_t vector = VIRTIO_NO_VECTOR;

    if (!vq) {
        return;
    }
    g_mutex_lock(&vdev->lock);
    if (gen != vdev->generation || !vq->enabled || vdev->broken) {
        g_mutex_unlock(&vdev->lock);
        return;
    }
    if (!virtio_chain_write(chain, resp, len) ||
        !virtq_push(&vq->st, &virtio_guest_mem, chain->head, len)) {
        virtio_error_locked(vdev, "a writable buffer or the used ring is "
                            "outside guest RAM");
    } else if (virtq_should_notify(&vq->st, &virtio_guest_mem)) {
        vdev->isr |= VIRTIO_ISR_QUEUE;
        vector = vq->vector;
        notify = true;
    }
    g_mutex_unlock(&vdev->lock);
    /*
     * The interrupt after the unlock: the guest runs as soon as it comes,
     * and a vCPU that then reads the device (the ISR, with INTx) would
     * wait for this lock while this thread may not run.
     */
    if (notify && vdev->transport) {
        vdev->transport->notify(vdev->transport_opaque, vector);
    }
}
