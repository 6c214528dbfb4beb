/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Split virtqueues (virtio 1.2 §2.7), without a device or a transport:
 * the descriptor chain walker, a pure function over guest memory that
 * checks every bound a guest can get wrong, and the queue operations a
 * device uses (pop a request, push its answer, decide whether to notify).
 * hw/virtio/virtio.c puts these behind the device model.
 *
 * Guest memory is reached only through a VirtqMem, so that unit tests
 * and the fuzz target can hand in fake memory.
 */
#ifndef HW_VIRTIO_VIRTQUEUE_H
#define HW_VIRTIO_VIRTQUEUE_H

#include "qemu/osdep.h"

/* Descriptor flags (virtio 1.2 §2.7.5). */
#define VIRTQ_DESC_F_NEXT           1
#define VIRTQ_DESC_F_WRITE          2
#define VIRTQ_DESC_F_INDIRECT       4
/* Ring flags (§2.7.6, §2.7.8). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT  1
#define VIRTQ_USED_F_NO_NOTIFY      1

#define VIRTQ_DESC_SIZE             16      /* le64 addr, le32 len, le16 x2 */
#define VIRTQ_USED_ELEM_SIZE        8       /* le32 id, le32 len */
/* Largest split queue (§2.7: 32768) and the size of an indirect table. */
#define VIRTQ_MAX_SIZE              32768
/* Buffers one request may have, readable and writable together. */
#define VIRTQ_MAX_SEGS              1024

typedef struct VirtqMem {
    /* Copy guest-physical [gpa, gpa+len) to @buf; false if not all RAM. */
    bool (*read)(void *opaque, uint64_t gpa, void *buf, uint64_t len);
    bool (*write)(void *opaque, uint64_t gpa, const void *buf, uint64_t len);
    void *opaque;
} VirtqMem;

/* One buffer of a request. */
typedef struct VirtqSeg {
    uint64_t gpa;
    uint32_t len;
} VirtqSeg;

/* A walked descriptor chain: device-readable buffers, then writable. */
typedef struct VirtqChain {
    uint16_t head;
    unsigned n_out, n_in;
    VirtqSeg out[VIRTQ_MAX_SEGS];
    VirtqSeg in[VIRTQ_MAX_SEGS];
    uint64_t out_len, in_len;       /* sums */
} VirtqChain;

/*
 * Walk the chain starting at descriptor @head of the @qsize-entry table
 * at @desc_gpa.  With @indirect_ok, the head may be an indirect table
 * (VIRTIO_F_INDIRECT_DESC).  Every buffer must be guest RAM (@mem->read
 * of its first and last byte).  False, with *@why a fixed message, on:
 * a head or next index outside the table, a table outside RAM, a loop
 * (more descriptors than the table has), an indirect table that is empty,
 * not a multiple of 16 bytes, too big, nested, not at the head, or has
 * NEXT too; a readable buffer after a writable one; a buffer that wraps
 * or is not RAM; too many buffers; lengths that overflow.
 */
bool virtq_walk_chain(const VirtqMem *mem, uint64_t desc_gpa, uint16_t qsize,
                      uint16_t head, bool indirect_ok, VirtqChain *chain,
                      const char **why);

/* Where the parts of a split queue are (the driver's addresses). */
typedef struct VirtQueueRing {
    uint16_t size;                  /* 0: the queue is not set up */
    uint64_t desc, avail, used;
} VirtQueueRing;

typedef struct VirtQueueState {
    VirtQueueRing ring;
    bool event_idx;                 /* VIRTIO_F_EVENT_IDX negotiated */
    bool indirect;                  /* VIRTIO_F_INDIRECT_DESC negotiated */
    uint16_t last_avail;            /* next avail entry to take */
    uint16_t used_idx;              /* next used entry to fill */
    uint16_t signalled_used;        /* used_idx at the last notification */
    bool signalled_valid;
} VirtQueueState;

typedef enum VirtqPopResult {
    VIRTQ_POP_EMPTY,                /* nothing new */
    VIRTQ_POP_OK,                   /* *chain is the next request */
    VIRTQ_POP_BROKEN,               /* the ring is wrong: *why says how */
} VirtqPopResult;

/* The next available chain, walked; the queue's avail_event is updated. */
VirtqPopResult virtq_pop(VirtQueueState *q, const VirtqMem *mem,
                         VirtqChain *chain, const char **why);
/*
 * Put @head's answer (@len bytes written) in the used ring and publish
 * it.  False if the used ring is not writable guest RAM.
 */
bool virtq_push(VirtQueueState *q, const VirtqMem *mem, uint16_t head,
                uint32_t len);
/* Whether the driver wants an interrupt for what was pushed since the
 * last one (EVENT_IDX's used_event, else NO_INTERRUPT). */
bool virtq_should_notify(VirtQueueState *q, const VirtqMem *mem);
/* virtio 1.2 §2.7.10: vring_need_event(). */
bool virtq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx);

#endif
