/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem: see include/hw/virtio/virtio-pmem.h.
 */
#include "qemu/osdep.h"
#include <linux/virtio_pmem.h>
#include "hw/virtio/virtio-pmem.h"

/* Requests taken from the ring before one sync answers them all. */
#define VIRTIO_PMEM_BATCH       VIRTIO_PMEM_QUEUE_SIZE

typedef struct PMEMFlush {
    unsigned gen;
    VirtqChain chain;
} PMEMFlush;

static void virtio_pmem_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOPMEM *pmem = vdev->opaque;
    struct virtio_pmem_config c = {
        .start = GUINT64_TO_LE(pmem->start),
        .size = GUINT64_TO_LE(pmem->size),
    };

    memcpy(config, &c, sizeof(c));
}

static void virtio_pmem_answer(VirtIOPMEM *pmem, PMEMFlush *req,
                               uint32_t ret)
{
    uint32_t le = GUINT32_TO_LE(ret);

    virtio_queue_complete(&pmem->vdev, 0, req->gen, &req->chain, &le,
                          sizeof(le));
}

/*
 * A request just taken: true for a FLUSH, which waits for the sync; any
 * other is answered (1) or breaks the device here.
 */
static bool virtio_pmem_is_flush(VirtIOPMEM *pmem, PMEMFlush *req)
{
    VirtqChain *c = &req->chain;
    uint32_t type = 0;

    if (c->in_len < sizeof(uint32_t)) {
        virtio_error(&pmem->vdev, "virtio-pmem '%s': a request without a "
                     "4-byte response buffer", pmem->id);
        return false;
    }
    if (!virtio_chain_read(c, 0, &type, sizeof(type)) ||
        GUINT32_FROM_LE(type) != VIRTIO_PMEM_REQ_TYPE_FLUSH) {
        guest_error("virtio-pmem '%s': %s; answered 1 (error)", pmem->id,
                    c->out_len < sizeof(type) ? "a request shorter than 4 "
                    "bytes" : "a request type other than FLUSH (0)");
        virtio_pmem_answer(pmem, req, VIRTIO_PMEM_RESP_EIO);
        return false;
    }
    return true;
}

/*
 * On the flush thread: take every request there is, make the file
 * durable once for all the FLUSHes among them (each was made before the
 * sync started), answer them, and again until the ring is empty.
 */
static void virtio_pmem_process(VirtIOPMEM *pmem)
{
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func(g_free);
    uint32_t ret;
    Error *err = NULL;
    guint i;

    do {
        g_ptr_array_set_size(batch, 0);
        while (batch->len < VIRTIO_PMEM_BATCH) {
            PMEMFlush *req = g_new(PMEMFlush, 1);

            if (virtio_queue_pop(&pmem->vdev, 0, &req->chain, &req->gen) !=
                VIRTQ_POP_OK) {
                g_free(req);
                break;
            }
            if (!virtio_pmem_is_flush(pmem, req)) {
                g_free(req);
                continue;
            }
            g_ptr_array_add(batch, req);
        }
        if (!batch->len) {
            return;
        }
        ret = VIRTIO_PMEM_RESP_OK;
        if (!host_memory_backend_sync(pmem->hostmem, &err)) {
            error_report("virtio-pmem '%s': %s; the guest's flush fails "
                         "(EIO)", pmem->id, error_get_pretty(err));
            error_free(err);
            err = NULL;
            ret = VIRTIO_PMEM_RESP_EIO;
        }
        for (i = 0; i < batch->len; i++) {
            virtio_pmem_answer(pmem, g_ptr_array_index(batch, i), ret);
        }
    } while (batch->len == VIRTIO_PMEM_BATCH);
}

static gboolean virtio_pmem_kicked(gpointer opaque)
{
    VirtIOPMEM *pmem = opaque;

    g_atomic_int_set(&pmem->kick_pending, 0);
    virtio_pmem_process(pmem);
    return G_SOURCE_REMOVE;
}

/*
 * The driver kicked the queue.  Through an ioeventfd the transport calls
 * this on the flush thread (virtio_pmem_notify_context), which does the
 * work at once; from anywhere else (a vCPU's MMIO write, a qtest) the
 * flush thread is woken to do it: a vCPU never waits for a sync.
 */
static void virtio_pmem_queue_notify(VirtIODevice *vdev, unsigned q)
{
    VirtIOPMEM *pmem = vdev->opaque;
    GSource *src;

    if (g_main_context_is_owner(pmem->ctx)) {
        virtio_pmem_process(pmem);
        return;
    }
    if (!g_atomic_int_compare_and_exchange(&pmem->kick_pending, 0, 1)) {
        return;                 /* the thread has yet to run the last one */
    }
    src = g_idle_source_new();
    g_source_set_callback(src, virtio_pmem_kicked, pmem, NULL);
    g_source_attach(src, pmem->ctx);
    g_source_unref(src);
}

static GMainContext *virtio_pmem_notify_context(VirtIODevice *vdev)
{
    VirtIOPMEM *pmem = vdev->opaque;

    return pmem->ctx;
}

static gpointer virtio_pmem_thread(gpointer opaque)
{
    VirtIOPMEM *pmem = opaque;

    g_main_loop_run(pmem->loop);
    return NULL;
}

static gboolean virtio_pmem_stop(gpointer opaque)
{
    VirtIOPMEM *pmem = opaque;

    g_main_loop_quit(pmem->loop);
    return G_SOURCE_REMOVE;
}

static const VirtioDeviceOps virtio_pmem_ops = {
    .device_id = VIRTIO_ID_PMEM,
    .num_queues = 1,
    .queue_max_size = VIRTIO_PMEM_QUEUE_SIZE,
    .config_size = sizeof(struct virtio_pmem_config),
    .get_config = virtio_pmem_get_config,
    .queue_notify = virtio_pmem_queue_notify,
    .notify_context = virtio_pmem_notify_context,
};

bool virtio_pmem_realize(VirtIOPMEM *pmem, const char *id,
                         bool indirect_desc, bool event_idx, bool ring_reset,
                         Error **errp)
{
    Object *backend;

    if (!pmem->memdev) {
        error_setg(errp, "'" VIRTIO_PMEM_PROP_MEMDEV "' property must be set");
        return false;
    }
    backend = object_find_by_id(pmem->memdev);
    if (!backend || !object_is_memory_backend(backend)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", pmem->memdev);
        return false;
    }
    pmem->hostmem = MEMORY_BACKEND(backend);
    if (host_memory_backend_is_used(pmem->hostmem)) {
        error_setg(errp, "can't use already busy memdev: %s", pmem->memdev);
        return false;
    }
    pmem->id = id ? id : "(anonymous)";
    pmem->size = pmem->hostmem->size;
    pmem->ctx = g_main_context_new();
    pmem->loop = g_main_loop_new(pmem->ctx, FALSE);
    pmem->thread = g_thread_new("virtio-pmem", virtio_pmem_thread, pmem);
    virtio_init(&pmem->vdev, &virtio_pmem_ops, pmem, indirect_desc,
                event_idx, ring_reset);
    host_memory_backend_set_used(pmem->hostmem, true);
    return true;
}

void virtio_pmem_unrealize(VirtIOPMEM *pmem)
{
    GSource *src = g_idle_source_new();

    /*
     * Every flush the guest saw accepted gets its answer first: taken
     * requests are answered within one dispatch, and the stop comes
     * after whatever kick is already queued.
     */
    g_source_set_callback(src, virtio_pmem_stop, pmem, NULL);
    g_source_attach(src, pmem->ctx);
    g_source_unref(src);
    g_thread_join(pmem->thread);
    g_main_loop_unref(pmem->loop);
    g_main_context_unref(pmem->ctx);
    pmem->thread = NULL;
    pmem->loop = NULL;
    pmem->ctx = NULL;
    host_memory_backend_set_used(pmem->hostmem, false);
}

void virtio_pmem_set_start(VirtIOPMEM *pmem, uint64_t start)
{
    pmem->start = start;
    /*
     * QEMU's placement only aligns to the backend's page size, e.g. right
     * after an NVDIMM's region, which ends where its label area begins;
     * Linux then refuses the region ("misaligned, unable to map").
     */
    if ((start | pmem->size) & (VIRTIO_PMEM_GUEST_ALIGN - 1)) {
        warn_report("virtio-pmem '%s': its region at 0x%" PRIx64 " (0x%"
                    PRIx64 " bytes) is not 2 MiB aligned: Linux guests "
                    "cannot map it and get no /dev/pmem device; give "
                    "memory backend '%s' align=2M or the device a "
                    "2 MiB-aligned memaddr", pmem->id, start, pmem->size,
                    OBJECT(pmem->hostmem)->id);
    }
}

