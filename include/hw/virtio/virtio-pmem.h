/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem (virtio 1.2 §5.19): a region of a memory backend that the
 * guest maps as persistent memory, and one queue whose only request,
 * FLUSH, makes the backend's file durable before it is answered.  The
 * region's placement is the machine's (the device-memory window); this
 * device knows its backend, its region's address and size, and answers
 * requests.  No transport: hw/virtio/virtio-pmem-pci.c puts it on PCI.
 *
 * Requests: le32 type out, le32 ret in (Linux's uapi virtio_pmem.h).
 * FLUSH: fdatasync() of the backing file on the device's own flush
 * thread, never on a vCPU thread or the main loop; the answer is written
 * only after it returned: 0, or 1 if it failed (the guest sees -EIO),
 * logged.  The flush thread takes queue notifications straight from the
 * transport's ioeventfd (one thread between the guest's kick and the
 * sync), and every FLUSH waiting in the ring when it looks shares one
 * fdatasync that starts after all of them were made.  Another
 * type, or a request shorter than 4 bytes, is answered 1; a request
 * without a 4-byte writable buffer cannot be answered and breaks the
 * device (NEEDS_RESET).  A backend without a file (memory-backend-ram)
 * has nothing to make durable: FLUSH answers 0.
 */
#ifndef HW_VIRTIO_VIRTIO_PMEM_H
#define HW_VIRTIO_VIRTIO_PMEM_H

#include "hw/virtio/virtio.h"
#include "sysemu/hostmem.h"

#define VIRTIO_ID_PMEM                  27
#define VIRTIO_PMEM_PROP_MEMDEV         "memdev"
#define VIRTIO_PMEM_PROP_MEMADDR        "memaddr"
#define VIRTIO_PMEM_QUEUE_SIZE          128     /* QEMU's */
#define VIRTIO_PMEM_RESP_OK             0
#define VIRTIO_PMEM_RESP_EIO            1
/*
 * What Linux's nd_pmem needs of the region's start and size to map it
 * (memremap_compat_align(), a memory subsection on x86).
 */
#define VIRTIO_PMEM_GUEST_ALIGN         (2 * MiB)

typedef struct VirtIOPMEM {
    VirtIODevice vdev;
    /* properties */
    char *memdev;
    uint64_t memaddr;               /* 0: the machine picks */
    /* state */
    const char *id;                 /* for messages */
    HostMemoryBackend *hostmem;
    uint64_t start, size;           /* what the config space says */
    GThread *thread;                /* the flush thread */
    GMainContext *ctx;              /* its context: kicks, ioeventfd */
    GMainLoop *loop;
    gint kick_pending;              /* atomic: a kick waits in ctx */
} VirtIOPMEM;

/*
 * Resolve and take the backend (QEMU's messages); the device then offers
 * virtio-pmem with these transport features.
 */
bool virtio_pmem_realize(VirtIOPMEM *pmem, const char *id,
                         bool indirect_desc, bool event_idx, bool ring_reset,
                         Error **errp);
/* Wait for every flush to be answered; release the backend. */
void virtio_pmem_unrealize(VirtIOPMEM *pmem);
/* The machine placed the region at @start (a warning when Linux guests
 * could not map it there). */
void virtio_pmem_set_start(VirtIOPMEM *pmem, uint64_t start);

#endif
