/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem: see include/hw/virtio/virtio-pmem.h.
 */
#include "qemu/osdep.h"
#include <linux/virtio_pmem.h>
#include "hw/virtio/virtio-pmem.h"

#define VIRTIO_PMEM_WORKERS     4

typedef struct PMEMFlush {
    VirtIOPMEM *pmem;
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

static void virtio_pmem_done(VirtIOPMEM *pmem)
{
    if (g_atomic_int_dec_and_test(&pmem->inflight)) {
        g_mutex_lock(&pmem->drain_lock);
        g_cond_broadcast(&pmem->drained);
        g_mutex_unlock(&pmem->drain_lock);
    }
}

/* A worker thread: make the file durable, then answer. */
static void virtio_pmem_flush_job(gpointer data, gpointer user)
{
    PMEMFlush *job = data;
    VirtIOPMEM *pmem = job->pmem;
    uint32_t ret = VIRTIO_PMEM_RESP_OK, le;
    Error *err = NULL;

    if (!host_memory_backend_sync(pmem->hostmem, &err)) {
        error_report("virtio-pmem '%s': %s; the guest's flush fails (EIO)",
                     pmem->id, error_get_pretty(err));
        error_free(err);
        ret = VIRTIO_PMEM_RESP_EIO;
    }
    le = GUINT32_TO_LE(ret);
    virtio_queue_complete(&pmem->vdev, 0, job->gen, &job->chain, &le,
                          sizeof(le));
    g_free(job);
    virtio_pmem_done(pmem);
}

/* One request: answered at once (bad ones), or given to a worker. */
static void virtio_pmem_request(VirtIOPMEM *pmem, PMEMFlush *job)
{
    VirtqChain *c = &job->chain;
    uint32_t type = 0, le = GUINT32_TO_LE(VIRTIO_PMEM_RESP_EIO);

    if (c->in_len < sizeof(uint32_t)) {
        virtio_error(&pmem->vdev, "virtio-pmem '%s': a request without a "
                     "4-byte response buffer", pmem->id);
        g_free(job);
        return;
    }
    if (!virtio_chain_read(c, 0, &type, sizeof(type)) ||
        GUINT32_FROM_LE(type) != VIRTIO_PMEM_REQ_TYPE_FLUSH) {
        guest_error("virtio-pmem '%s': %s; answered 1 (error)", pmem->id,
                    c->out_len < sizeof(type) ? "a request shorter than 4 "
                    "bytes" : "a request type other than FLUSH (0)");
        virtio_queue_complete(&pmem->vdev, 0, job->gen, c, &le, sizeof(le));
        g_free(job);
        return;
    }
    g_atomic_int_inc(&pmem->inflight);
    g_thread_pool_push(pmem->pool, job, NULL);
}

/* The driver kicked the queue: take every request there is. */
static void virtio_pmem_queue_notify(VirtIODevice *vdev, unsigned q)
{
    VirtIOPMEM *pmem = vdev->opaque;

    for (;;) {
        PMEMFlush *job = g_new(PMEMFlush, 1);

        job->pmem = pmem;
        if (virtio_queue_pop(vdev, q, &job->chain, &job->gen) !=
            VIRTQ_POP_OK) {
            g_free(job);
            return;
        }
        virtio_pmem_request(pmem, job);
    }
}

static const VirtioDeviceOps virtio_pmem_ops = {
    .device_id = VIRTIO_ID_PMEM,
    .num_queues = 1,
    .queue_max_size = VIRTIO_PMEM_QUEUE_SIZE,
    .config_size = sizeof(struct virtio_pmem_config),
    .get_config = virtio_pmem_get_config,
    .queue_notify = virtio_pmem_queue_notify,
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
    pmem->pool = g_thread_pool_new(virtio_pmem_flush_job, NULL,
                                   VIRTIO_PMEM_WORKERS, FALSE, NULL);
    g_mutex_init(&pmem->drain_lock);
    g_cond_init(&pmem->drained);
    virtio_init(&pmem->vdev, &virtio_pmem_ops, pmem, indirect_desc,
                event_idx, ring_reset);
    host_memory_backend_set_used(pmem->hostmem, true);
    return true;
}

void virtio_pmem_unrealize(VirtIOPMEM *pmem)
{
    /* Every flush the guest saw accepted gets its answer first. */
    g_mutex_lock(&pmem->drain_lock);
    while (g_atomic_int_get(&pmem->inflight)) {
        g_cond_wait(&pmem->drained, &pmem->drain_lock);
    }
    g_mutex_unlock(&pmem->drain_lock);
    g_thread_pool_free(pmem->pool, FALSE, TRUE);
    pmem->pool = NULL;
    host_memory_backend_set_used(pmem->hostmem, false);
}

void virtio_pmem_set_start(VirtIOPMEM *pmem, uint64_t start)
{
    pmem->start = start;
}

