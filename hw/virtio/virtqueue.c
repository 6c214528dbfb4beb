/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Split virtqueues: see include/hw/virtio/virtqueue.h.
 *
 * Layout (virtio 1.2 §2.7): the descriptor table is @size 16-byte
 * entries; the available ring is le16 flags, le16 idx, le16 ring[size],
 * le16 used_event; the used ring is le16 flags, le16 idx, {le32 id,
 * le32 len} ring[size], le16 avail_event.  Everything is little-endian
 * (VIRTIO_F_VERSION_1).  The driver changes these under us: each field
 * is read once and checked after the copy.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtqueue.h"

#define AVAIL_FLAGS     0
#define AVAIL_IDX       2
#define AVAIL_RING      4
#define USED_FLAGS      0
#define USED_IDX        2
#define USED_RING       4

typedef struct VirtqDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VirtqDesc;

static bool read_desc(const VirtqMem *mem, uint64_t table, uint32_t i,
                      VirtqDesc *d)
{
    uint8_t raw[VIRTQ_DESC_SIZE];

    if (!mem->read(mem->opaque, table + (uint64_t)i * VIRTQ_DESC_SIZE, raw,
                   sizeof(raw))) {
        return false;
    }
    memcpy(&d->addr, raw, 8);
    memcpy(&d->len, raw + 8, 4);
    memcpy(&d->flags, raw + 12, 2);
    memcpy(&d->next, raw + 14, 2);
    d->addr = GUINT64_FROM_LE(d->addr);
    d->len = GUINT32_FROM_LE(d->len);
    d->flags = GUINT16_FROM_LE(d->flags);
    d->next = GUINT16_FROM_LE(d->next);
    return true;
}

static bool read16(const VirtqMem *mem, uint64_t gpa, uint16_t *v)
{
    uint16_t le;

    if (!mem->read(mem->opaque, gpa, &le, sizeof(le))) {
        return false;
    }
    *v = GUINT16_FROM_LE(le);
    return true;
}

static bool write16(const VirtqMem *mem, uint64_t gpa, uint16_t v)
{
    uint16_t le = GUINT16_TO_LE(v);

    return mem->write(mem->opaque, gpa, &le, sizeof(le));
}

/* [gpa, gpa+len) is guest RAM (checked at both ends; the device copies
 * through guest_memory_* anyway, which never leaves registered RAM). */
static bool buffer_ok(const VirtqMem *mem, uint64_t gpa, uint32_t len)
{
    uint8_t b;

    if (!len) {
        return true;
    }
    return gpa + len - 1 >= gpa && mem->read(mem->opaque, gpa, &b, 1) &&
           mem->read(mem->opaque, gpa + len - 1, &b, 1);
}

/* Add one buffer to @c; false with *why on an order or count error. */
static bool chain_add(VirtqChain *c, const VirtqDesc *d, const char **why)
{
    if (d->flags & VIRTQ_DESC_F_WRITE) {
        if (c->n_in == VIRTQ_MAX_SEGS) {
            *why = "too many buffers in one request";
            return false;
        }
        c->in[c->n_in++] = (VirtqSeg) { d->addr, d->len };
        c->in_len += d->len;
    } else {
        if (c->n_in) {
            *why = "a device-readable buffer after a writable one";
            return false;
        }
        if (c->n_out == VIRTQ_MAX_SEGS) {
            *why = "too many buffers in one request";
            return false;
        }
        c->out[c->n_out++] = (VirtqSeg) { d->addr, d->len };
        c->out_len += d->len;
    }
    return true;
}

bool virtq_walk_chain(const VirtqMem *mem, uint64_t desc_gpa, uint16_t qsize,
                      uint16_t head, bool indirect_ok, VirtqChain *chain,
                      const char **why)
{
    uint64_t table = desc_gpa;
    uint32_t table_size = qsize, i = head, seen = 0;
    bool in_indirect = false;
    VirtqDesc d;

    chain->head = head;
    chain->n_out = chain->n_in = 0;
    chain->out_len = chain->in_len = 0;
    if (head >= qsize) {
        *why = "the head index is outside the descriptor table";
        return false;
    }
    for (;;) {
        if (++seen > table_size) {
            *why = "the descriptor chain loops (longer than its table)";
            return false;
        }
        if (!read_desc(mem, table, i, &d)) {
            *why = "a descriptor table is outside guest RAM";
            return false;
        }
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!indirect_ok) {
                *why = "an indirect descriptor without VIRTIO_F_INDIRECT_DESC";
                return false;
            }
            if (in_indirect) {
                *why = "an indirect descriptor inside an indirect table";
                return false;
            }
            if (seen != 1) {
                *why = "an indirect descriptor that is not the chain's head";
                return false;
            }
            if (d.flags & VIRTQ_DESC_F_NEXT) {
                *why = "an indirect descriptor with NEXT set";
                return false;
            }
            if (!d.len || d.len % VIRTQ_DESC_SIZE ||
                d.len / VIRTQ_DESC_SIZE > VIRTQ_MAX_SIZE) {
                *why = "an indirect table that is empty, too big or not a "
                       "whole number of descriptors";
                return false;
            }
            if (!buffer_ok(mem, d.addr, d.len)) {
                *why = "an indirect table outside guest RAM";
                return false;
            }
            table = d.addr;
            table_size = d.len / VIRTQ_DESC_SIZE;
            in_indirect = true;
            seen = 0;
            i = 0;
            continue;
        }
        if (!buffer_ok(mem, d.addr, d.len)) {
            *why = "a buffer outside guest RAM";
            return false;
        }
        if (!chain_add(chain, &d, why)) {
            return false;
        }
        if (chain->out_len > UINT32_MAX || chain->in_len > UINT32_MAX) {
            *why = "the buffers of one request add up to more than 4 GiB";
            return false;
        }
        if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
            return true;
        }
        if (d.next >= table_size) {
            *why = "a next index outside the descriptor table";
            return false;
        }
        i = d.next;
    }
}

VirtqPopResult virtq_pop(VirtQueueState *q, const VirtqMem *mem,
                         VirtqChain *chain, const char **why)
{
    const VirtQueueRing *r = &q->ring;
    uint16_t avail_idx, head;

    if (!r->size) {
        return VIRTQ_POP_EMPTY;
    }
    if (!read16(mem, r->avail + AVAIL_IDX, &avail_idx)) {
        *why = "the available ring is outside guest RAM";
        return VIRTQ_POP_BROKEN;
    }
    if ((uint16_t)(avail_idx - q->last_avail) > r->size) {
        *why = "the available index moved by more than the queue size";
        return VIRTQ_POP_BROKEN;
    }
    if (avail_idx == q->last_avail) {
        return VIRTQ_POP_EMPTY;
    }
    /* The ring entry and descriptors after the index (virtio §2.7.13). */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (!read16(mem, r->avail + AVAIL_RING +
                2 * (uint64_t)(q->last_avail % r->size), &head)) {
        *why = "the available ring is outside guest RAM";
        return VIRTQ_POP_BROKEN;
    }
    if (!virtq_walk_chain(mem, r->desc, r->size, head, q->indirect, chain,
                          why)) {
        return VIRTQ_POP_BROKEN;
    }
    q->last_avail++;
    if (q->event_idx) {
        /* avail_event: interrupt me (notify) when you pass this one. */
        write16(mem, r->used + USED_RING +
                (uint64_t)VIRTQ_USED_ELEM_SIZE * r->size, q->last_avail);
    }
    return VIRTQ_POP_OK;
}

bool virtq_push(VirtQueueState *q, const VirtqMem *mem, uint16_t head,
                uint32_t len)
{
    const VirtQueueRing *r = &q->ring;
    uint32_t elem[2] = { GUINT32_TO_LE(head), GUINT32_TO_LE(len) };
    uint64_t at = r->used + USED_RING +
                  (uint64_t)VIRTQ_USED_ELEM_SIZE * (q->used_idx % r->size);

    if (!mem->write(mem->opaque, at, elem, sizeof(elem))) {
        return false;
    }
    /* The element before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    q->used_idx++;
    return write16(mem, r->used + USED_IDX, q->used_idx);
}

bool virtq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

bool virtq_should_notify(VirtQueueState *q, const VirtqMem *mem)
{
    const VirtQueueRing *r = &q->ring;
    uint16_t old = q->signalled_used, v;
    bool valid = q->signalled_valid;

    /* The used index out before the driver's wishes are read back. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    q->signalled_used = q->used_idx;
    q->signalled_valid = true;
    if (!q->event_idx) {
        return !read16(mem, r->avail + AVAIL_FLAGS, &v) ||
               !(v & VIRTQ_AVAIL_F_NO_INTERRUPT);
    }
    /* used_event, after the available ring; unreadable: notify. */
    if (!valid || !read16(mem, r->avail + AVAIL_RING + 2 * (uint64_t)r->size,
                          &v)) {
        return true;
    }
    return virtq_need_event(v, q->used_idx, old);
}
