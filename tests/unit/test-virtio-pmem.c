/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the virtio-pmem request handler (hw/virtio/virtio-pmem.c)
 * on fake guest memory, with no transport and no machine: a driver here
 * sets the device up through the virtio core's calls, builds requests in
 * a RAM region of its own and kicks the queue.  Each request a guest can
 * send gets its answer: FLUSH 0 after the backing file's sync (counted),
 * 1 when that sync fails (the guest's -EIO), 1 for another type or a
 * short request, NEEDS_RESET when there is nowhere to answer; a request
 * split over several buffers is read whole; and a backend without a file
 * answers 0 with nothing to sync; FLUSHes taken together share one sync.
 */
#include "qemu/osdep.h"
#include <linux/virtio_pmem.h>
#include "hw/core/memory.h"
#include "hw/virtio/virtio-pmem.h"
#include "qom/object.h"

#define RAM_BASE    0x100000ULL
#define RAM_SIZE    0x100000ULL
#define QSIZE       16
#define DESC        (RAM_BASE + 0x0000)
#define AVAIL       (RAM_BASE + 0x1000)
#define USED        (RAM_BASE + 0x2000)
#define REQ         (RAM_BASE + 0x8000)
#define RESP        (RAM_BASE + 0x9000)
#define TIMEOUT_US  (10 * G_USEC_PER_SEC)

typedef struct Fixture {
    char *dir;
    uint8_t *ram;
    GuestRamRegion *region;
    Object *backend;
    VirtIOPMEM pmem;
    unsigned notified;          /* interrupts the transport was asked for */
    uint16_t avail_idx;         /* the driver's */
    uint16_t used_seen;
} Fixture;

static void fake_notify(void *opaque, uint16_t vector)
{
    Fixture *f = opaque;

    g_atomic_int_inc(&f->notified);
}

static const VirtioTransportOps fake_transport = {
    .notify = fake_notify,
};

static void st16(Fixture *f, uint64_t gpa, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(f->ram + (gpa - RAM_BASE), &v, sizeof(v));
}

static void st32(Fixture *f, uint64_t gpa, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(f->ram + (gpa - RAM_BASE), &v, sizeof(v));
}

static uint32_t ld32(Fixture *f, uint64_t gpa)
{
    uint32_t v;

    memcpy(&v, f->ram + (gpa - RAM_BASE), sizeof(v));
    return GUINT32_FROM_LE(v);
}

static uint16_t used_idx(Fixture *f)
{
    uint16_t v;

    /* The device writes it from a worker thread. */
    __atomic_load(
        (uint16_t *)(f->ram + (USED + 2 - RAM_BASE)), &v, __ATOMIC_ACQUIRE);
    return GUINT16_FROM_LE(v);
}

static void backend_new(Fixture *f, const char *type, bool file)
{
    g_autofree char *path = g_build_filename(f->dir, "pmem.img", NULL);

    f->backend = object_new(type, &error_abort);
    f->backend->id = g_strdup("mem1");
    if (file) {
        object_property_parse(f->backend, "mem-path", path, &error_abort);
        object_property_parse(f->backend, "share", "on", &error_abort);
    }
    object_property_parse(f->backend, "size", "2M", &error_abort);
    g_assert_true(object_complete(f->backend, &error_abort));
    g_assert_true(object_add_to_objects(f->backend, &error_abort));
}

/* The device realized on @type's backend, the driver up, queue 0 live. */
static void setup_with(Fixture *f, const char *type, bool file)
{
    VirtIODevice *vdev = &f->pmem.vdev;
    const uint8_t ok = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

    f->dir = g_dir_make_tmp("pmemvm-virtio-pmem-XXXXXX", NULL);
    f->ram = g_malloc0(RAM_SIZE);
    f->region = guest_ram_add("ram", RAM_BASE, RAM_SIZE, f->ram, false,
                              &error_abort);
    backend_new(f, type, file);
    f->pmem.memdev = g_strdup("mem1");
    g_assert_true(virtio_pmem_realize(&f->pmem, "vp0", true, true, false,
                                      &error_abort));
    virtio_bind_transport(vdev, &fake_transport, f);
    virtio_pmem_set_start(&f->pmem, 0x100000000ULL);

    virtio_set_status(vdev, ok);
    virtio_set_driver_features(vdev, false, 0);
    virtio_set_driver_features(vdev, true, 1);      /* VERSION_1 */
    virtio_set_status(vdev, ok | VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(virtio_get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK,
                    ==, VIRTIO_CONFIG_S_FEATURES_OK);
    virtio_queue_set_size(vdev, 0, QSIZE);
    virtio_queue_set_addr(vdev, 0, VIRTIO_QUEUE_DESC, DESC);
    virtio_queue_set_addr(vdev, 0, VIRTIO_QUEUE_AVAIL, AVAIL);
    virtio_queue_set_addr(vdev, 0, VIRTIO_QUEUE_USED, USED);
    virtio_queue_set_enabled(vdev, 0, true);
    virtio_set_status(vdev, ok | VIRTIO_CONFIG_S_FEATURES_OK |
                            VIRTIO_CONFIG_S_DRIVER_OK);
}

static void setup(Fixture *f, gconstpointer data)
{
    setup_with(f, TYPE_MEMORY_BACKEND_FILE, true);
}

static void setup_ram(Fixture *f, gconstpointer data)
{
    setup_with(f, TYPE_MEMORY_BACKEND_RAM, false);
}

static void teardown(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "pmem.img", NULL);

    virtio_pmem_unrealize(&f->pmem);
    g_free(f->pmem.memdev);
    object_remove_from_objects(f->backend);
    object_destroy(f->backend);
    guest_ram_del(f->region);
    g_free(f->ram);
    unlink(path);
    g_assert_cmpint(rmdir(f->dir), ==, 0);
    g_free(f->dir);
}

/* Descriptor @i: @addr, @len, @flags, @next. */
static void desc(Fixture *f, unsigned i, uint64_t addr, uint32_t len,
                 uint16_t flags, uint16_t next)
{
    uint64_t d = DESC + 16 * i;
    uint64_t a = GUINT64_TO_LE(addr);

    memcpy(f->ram + (d - RAM_BASE), &a, sizeof(a));
    st32(f, d + 8, len);
    st16(f, d + 12, flags);
    st16(f, d + 14, next);
}

/* Offer the chain at @head and kick; the number of answers so far. */
static void kick(Fixture *f, uint16_t head)
{
    st16(f, AVAIL + 4 + 2 * (f->avail_idx % QSIZE), head);
    f->avail_idx++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    st16(f, AVAIL + 2, f->avail_idx);
    virtio_queue_notify(&f->pmem.vdev, 0);
}

/* Wait for the next used entry; its id and length. */
static bool wait_used(Fixture *f, uint32_t *id, uint32_t *len)
{
    gint64 end = g_get_monotonic_time() + TIMEOUT_US;
    uint64_t e;

    while (used_idx(f) == f->used_seen) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    e = USED + 4 + 8 * (f->used_seen % QSIZE);
    *id = ld32(f, e);
    *len = ld32(f, e + 4);
    f->used_seen++;
    return true;
}

/* A request {le32 @type} and a 4-byte answer buffer; the answer. */
static uint32_t request(Fixture *f, uint32_t type)
{
    uint32_t id, len;

    st32(f, REQ, type);
    st32(f, RESP, 0xdeadbeef);
    desc(f, 0, REQ, 4, VRING_DESC_F_NEXT, 1);
    desc(f, 1, RESP, 4, VRING_DESC_F_WRITE, 0);
    kick(f, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, 4);
    return ld32(f, RESP);
}

static bool needs_reset(Fixture *f)
{
    return virtio_get_status(&f->pmem.vdev) & VIRTIO_CONFIG_S_NEEDS_RESET;
}

/* The device takes requests on its flush thread: wait for it to break. */
static bool wait_needs_reset(Fixture *f)
{
    gint64 end = g_get_monotonic_time() + TIMEOUT_US;

    while (!needs_reset(f)) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

/* ---- The cases ---- */

static void test_config(Fixture *f, gconstpointer data)
{
    VirtIODevice *vdev = &f->pmem.vdev;

    g_assert_cmphex(virtio_config_read(vdev, 0, 4), ==, 0);
    g_assert_cmphex(virtio_config_read(vdev, 4, 4), ==, 1);
    g_assert_cmphex(virtio_config_read(vdev, 8, 4), ==, 2 * MiB);
    g_assert_cmphex(virtio_config_read(vdev, 12, 4), ==, 0);
    g_assert_cmphex(virtio_config_read(vdev, 16, 4), ==, 0xffffffff);
}

static void test_flush(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = MEMORY_BACKEND(f->backend);
    unsigned before = host_memory_backend_sync_count(b);

    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 0);
    /* Answered after the sync: it is counted by then. */
    g_assert_cmpuint(host_memory_backend_sync_count(b), ==, before + 1);
    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 0);
    g_assert_cmpuint(host_memory_backend_sync_count(b), ==, before + 2);
    g_assert_cmpuint(g_atomic_int_get(&f->notified), >=, 1);
    g_assert_false(needs_reset(f));
}

/* fdatasync fails (the file's descriptor is a pipe's now): 1, -EIO. */
static void test_flush_fails(Fixture *f, gconstpointer data)
{
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(f->backend);
    int pipe_fds[2], saved;

    g_assert_cmpint(pipe(pipe_fds), ==, 0);
    saved = dup(fb->fd);
    g_assert_cmpint(dup2(pipe_fds[0], fb->fd), ==, fb->fd);
    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 1);
    g_assert_false(needs_reset(f));
    /* The file back: flushes work again. */
    g_assert_cmpint(dup2(saved, fb->fd), ==, fb->fd);
    close(saved);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 0);
}

static void test_unknown_type(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = MEMORY_BACKEND(f->backend);
    unsigned before = host_memory_backend_sync_count(b);

    g_assert_cmphex(request(f, 1), ==, 1);
    g_assert_cmphex(request(f, 0xffffffff), ==, 1);
    g_assert_cmpuint(host_memory_backend_sync_count(b), ==, before);
    g_assert_false(needs_reset(f));
    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 0);
}

/* A 2-byte request: answered 1, not read past its end. */
static void test_short_request(Fixture *f, gconstpointer data)
{
    uint32_t id, len;

    st32(f, REQ, 0);
    st32(f, RESP, 0xdeadbeef);
    desc(f, 0, REQ, 2, VRING_DESC_F_NEXT, 1);
    desc(f, 1, RESP, 4, VRING_DESC_F_WRITE, 0);
    kick(f, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmphex(ld32(f, RESP), ==, 1);
    g_assert_false(needs_reset(f));
}

/* No readable buffer at all: answered 1. */
static void test_no_request(Fixture *f, gconstpointer data)
{
    uint32_t id, len;

    st32(f, RESP, 0xdeadbeef);
    desc(f, 0, RESP, 4, VRING_DESC_F_WRITE, 0);
    kick(f, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmphex(ld32(f, RESP), ==, 1);
    g_assert_false(needs_reset(f));
}

/* The request's 4 bytes in two buffers, the answer in two: read whole. */
static void test_split_buffers(Fixture *f, gconstpointer data)
{
    uint32_t id, len;

    st32(f, REQ, 0);
    st32(f, RESP, 0xdeadbeef);
    desc(f, 0, REQ, 2, VRING_DESC_F_NEXT, 1);
    desc(f, 1, REQ + 2, 2, VRING_DESC_F_NEXT, 2);
    desc(f, 2, RESP, 2, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 3);
    desc(f, 3, RESP + 2, 2, VRING_DESC_F_WRITE, 0);
    kick(f, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmpuint(len, ==, 4);
    g_assert_cmphex(ld32(f, RESP), ==, 0);
}

/* Nowhere to answer (no writable buffer, or one of 2 bytes): broken. */
static void test_no_answer_buffer(Fixture *f, gconstpointer data)
{
    st32(f, REQ, 0);
    desc(f, 0, REQ, 4, 0, 0);
    kick(f, 0);
    g_assert_true(wait_needs_reset(f));
    g_assert_cmpuint(used_idx(f), ==, 0);
}

static void test_short_answer_buffer(Fixture *f, gconstpointer data)
{
    st32(f, REQ, 0);
    st32(f, RESP, 0xdeadbeef);
    desc(f, 0, REQ, 4, VRING_DESC_F_NEXT, 1);
    desc(f, 1, RESP, 2, VRING_DESC_F_WRITE, 0);
    kick(f, 0);
    g_assert_true(wait_needs_reset(f));
    g_assert_cmpuint(used_idx(f), ==, 0);
    g_assert_cmphex(ld32(f, RESP), ==, 0xdeadbeef);
}

/*
 * Many requests in one kick: each answered, the FLUSHes by one sync that
 * started after all of them were made.
 */
static void test_many(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = MEMORY_BACKEND(f->backend);
    unsigned before = host_memory_backend_sync_count(b);
    unsigned i, n = 6, answered[6] = { 0 };
    uint32_t id, len;

    for (i = 0; i < n; i++) {
        st32(f, REQ + 16 * i, i % 2 ? 5 : VIRTIO_PMEM_REQ_TYPE_FLUSH);
        st32(f, RESP + 16 * i, 0xdeadbeef);
        desc(f, 2 * i, REQ + 16 * i, 4, VRING_DESC_F_NEXT, 2 * i + 1);
        desc(f, 2 * i + 1, RESP + 16 * i, 4, VRING_DESC_F_WRITE, 0);
        st16(f, AVAIL + 4 + 2 * ((f->avail_idx + i) % QSIZE), 2 * i);
    }
    f->avail_idx += n;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    st16(f, AVAIL + 2, f->avail_idx);
    virtio_queue_notify(&f->pmem.vdev, 0);
    for (i = 0; i < n; i++) {
        g_assert_true(wait_used(f, &id, &len));
        g_assert_cmpuint(id % 2, ==, 0);
        g_assert_cmpuint(id / 2, <, n);
        answered[id / 2]++;
    }
    for (i = 0; i < n; i++) {
        g_assert_cmpuint(answered[i], ==, 1);
        g_assert_cmphex(ld32(f, RESP + 16 * i), ==, i % 2 ? 1 : 0);
    }
    g_assert_cmpuint(host_memory_backend_sync_count(b), ==, before + 1);
}

/* memory-backend-ram: nothing to make durable, FLUSH answers 0. */
static void test_ram_backend(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(request(f, VIRTIO_PMEM_REQ_TYPE_FLUSH), ==, 0);
    g_assert_cmpuint(host_memory_backend_sync_count(
                         MEMORY_BACKEND(f->backend)), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) \
    g_test_add("/virtio-pmem/" path, Fixture, NULL, setup, fn, teardown)
    ADD("config", test_config);
    ADD("flush", test_flush);
    ADD("flush-fails", test_flush_fails);
    ADD("unknown-type", test_unknown_type);
    ADD("short-request", test_short_request);
    ADD("no-request", test_no_request);
    ADD("split-buffers", test_split_buffers);
    ADD("no-answer-buffer", test_no_answer_buffer);
    ADD("short-answer-buffer", test_short_answer_buffer);
    ADD("many", test_many);
#undef ADD
    g_test_add("/virtio-pmem/ram-backend", Fixture, NULL, setup_ram,
               test_ram_backend, teardown);
    return g_test_run();
}
