/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host memory backends: memory-backend-file against real files in a
 * temporary directory, memory-backend-ram, and the persistence report.
 * Each case checks QEMU 7.2's behaviour and message, and that a refused
 * backend leaves its file exactly as it was.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "sysemu/hostmem.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mempolicy.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>

/* A temporary directory per test case, removed with everything in it. */
typedef struct Fixture {
    char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->dir = g_dir_make_tmp("pmemvm-hostmem-XXXXXX", &err);
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    GDir *d = g_dir_open(f->dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(f->dir, name, NULL);
        g_assert_cmpint(unlink(path), ==, 0);
    }
    if (d) {
        g_dir_close(d);
    }
    g_assert_cmpint(rmdir(f->dir), ==, 0);
    g_free(f->dir);
}

static char *fixture_path(Fixture *f, const char *name)
{
    return g_build_filename(f->dir, name, NULL);
}

/* Byte @i of the test pattern number @seed. */
static uint8_t pattern_byte(size_t i, unsigned seed)
{
    return (uint8_t)(i * 7 + seed + (i >> 12));
}

static void write_pattern_file(const char *path, size_t size, unsigned seed)
{
    g_autofree uint8_t *buf = g_malloc(size ? size : 1);
    g_autoptr(GError) err = NULL;
    size_t i;

    for (i = 0; i < size; i++) {
        buf[i] = pattern_byte(i, seed);
    }
    g_file_set_contents(path, (const char *)buf, size, &err);
    g_assert_no_error(err);
}

static void assert_file_has_pattern(const char *path, size_t size,
                                    unsigned seed)
{
    g_autofree char *buf = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;
    size_t i;

    g_file_get_contents(path, &buf, &len, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(len, ==, size);
    for (i = 0; i < size; i++) {
        if ((uint8_t)buf[i] != pattern_byte(i, seed)) {
            g_error("%s: byte %zu is 0x%02x, expected 0x%02x", path, i,
                    (uint8_t)buf[i], pattern_byte(i, seed));
        }
    }
}

static bool mem_has_pattern(const void *mem, size_t size, unsigned seed)
{
    const uint8_t *p = mem;
    size_t i;

    for (i = 0; i < size; i++) {
        if (p[i] != pattern_byte(i, seed)) {
            return false;
        }
    }
    return true;
}

static void fill_pattern(void *mem, size_t size, unsigned seed)
{
    uint8_t *p = mem;
    size_t i;

    for (i = 0; i < size; i++) {
        p[i] = pattern_byte(i, seed);
    }
}

static uint64_t file_size(const char *path)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

/* tmpfs and ramfs keep files in host RAM: the report says volatile. */
static bool dir_in_ram(const char *dir)
{
    struct statfs fs;

    g_assert_cmpint(statfs(dir, &fs), ==, 0);
    return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
}

#define PERSISTENCE_IN_RAM \
    "volatile: share=on on tmpfs/hugetlbfs; guest writes reach the file, " \
    "but it lives in host RAM"

/*
 * object_new + object_property_parse for each "key", "value" pair of
 * @props (NULL ends them) + object_complete.  Returns the completed
 * object, or NULL with *errp set.
 */
static Object *backend_create_props(Error **errp, const char *type,
                                    const char *const *props)
{
    Object *obj = object_new(type, &error_abort);

    obj->id = g_strdup("mem0");
    for (; *props; props += 2) {
        object_property_parse(obj, props[0], props[1], &error_abort);
    }
    if (!object_complete(obj, errp)) {
        object_destroy(obj);
        return NULL;
    }
    return obj;
}

/* backend_create_props() with the pairs as arguments. */
static Object *G_GNUC_NULL_TERMINATED
backend_create(Error **errp, const char *type, ...)
{
    g_autoptr(GPtrArray) props = g_ptr_array_new();
    const char *key;
    va_list ap;

    va_start(ap, type);
    while ((key = va_arg(ap, const char *))) {
        g_ptr_array_add(props, (gpointer)key);
        g_ptr_array_add(props, (gpointer)va_arg(ap, const char *));
    }
    va_end(ap);
    g_ptr_array_add(props, NULL);
    return backend_create_props(errp, type,
                                (const char *const *)props->pdata);
}

/* Expect creation to fail with exactly @msg. */
static void assert_error(Error *err, const char *msg)
{
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

/* The permissions column of /proc/self/maps for the mapping at @ptr. */
static char *mapping_perms(const void *ptr)
{
    g_autofree char *maps = NULL;
    g_auto(GStrv) lines = NULL;
    char *perms = NULL;
    int i;

    g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
    lines = g_strsplit(maps, "\n", -1);
    for (i = 0; lines[i] && !perms; i++) {
        unsigned long start, end;
        char p[5];

        if (sscanf(lines[i], "%lx-%lx %4s", &start, &end, p) == 3 &&
            start == (uintptr_t)ptr) {
            perms = g_strdup(p);
        }
    }
    return perms;
}

/* Creation, sizes and refusals */

/*
 * Refused on the options alone, with QEMU's message, before any file is
 * opened: the one mem-path names is never created.
 */
typedef struct Refusal {
    const char *name;       /* the test path, after "/hostmem/" */
    const char *type;
    const char *file;       /* mem-path, in the test's directory; or NULL */
    const char *props[7];   /* the other "key", "value" pairs; NULL ends */
    const char *msg;
} Refusal;

static const Refusal refusals[] = {
    { "file/size-zero", TYPE_MEMORY_BACKEND_FILE, "zero.img",
      { HOSTMEM_PROP_SIZE, "0", NULL },
      "property 'size' of memory-backend-file doesn't take value '0'" },
    { "file/size-missing", TYPE_MEMORY_BACKEND_FILE, "nosize.img",
      { NULL },
      "Parameter 'size' is missing" },
    { "file/mem-path-missing", TYPE_MEMORY_BACKEND_FILE, NULL,
      { HOSTMEM_PROP_SIZE, "64K", NULL },
      "Parameter 'mem-path' is missing" },
    { "prealloc-reserve-off", TYPE_MEMORY_BACKEND_FILE, "noreserve.img",
      { HOSTMEM_PROP_PREALLOC, "on", HOSTMEM_PROP_RESERVE, "off",
        HOSTMEM_PROP_SIZE, "64K", NULL },
      "'prealloc=on' and 'reserve=off' are incompatible" },
    { "prealloc-threads-zero", TYPE_MEMORY_BACKEND_RAM, NULL,
      { HOSTMEM_PROP_PREALLOC_THREADS, "0", HOSTMEM_PROP_SIZE, "64K", NULL },
      "property 'prealloc-threads' of memory-backend-ram doesn't take "
      "value '0'" },
    /* Host NUMA placement: QEMU's checks, before any file is made. */
    { "numa/policy-without-nodes", TYPE_MEMORY_BACKEND_RAM, NULL,
      { HOSTMEM_PROP_POLICY, "bind", HOSTMEM_PROP_SIZE, "64K", NULL },
      "host-nodes must be set for policy bind" },
    { "numa/nodes-without-policy", TYPE_MEMORY_BACKEND_RAM, NULL,
      { HOSTMEM_PROP_HOST_NODES, "0-1", HOSTMEM_PROP_SIZE, "64K", NULL },
      "host-nodes must be empty for policy default, or you should "
      "explicitly specify a policy other than default" },
    { "numa/node-out-of-range", TYPE_MEMORY_BACKEND_RAM, NULL,
      { HOSTMEM_PROP_HOST_NODES, "128", HOSTMEM_PROP_POLICY, "interleave",
        HOSTMEM_PROP_SIZE, "64K", NULL },
      "Invalid host-nodes value: 128" },
    { "numa/file-not-created", TYPE_MEMORY_BACKEND_FILE, "numa.img",
      { HOSTMEM_PROP_POLICY, "preferred", HOSTMEM_PROP_SIZE, "64K", NULL },
      "host-nodes must be set for policy preferred" },
    /* A node no host has (mbind's EINVAL): the created file is removed. */
    { "numa/node-absent", TYPE_MEMORY_BACKEND_FILE, "absent.img",
      { HOSTMEM_PROP_HOST_NODES, "127", HOSTMEM_PROP_POLICY, "bind",
        HOSTMEM_PROP_SIZE, "64K", NULL },
      "cannot bind memory to host NUMA nodes: Invalid argument" },
    { "ram/size-missing", TYPE_MEMORY_BACKEND_RAM, NULL,
      { NULL },
      "Parameter 'size' is missing" },
};

static void test_refused(Fixture *f, gconstpointer data)
{
    const Refusal *c = data;
    g_autofree char *path = c->file ? fixture_path(f, c->file) : NULL;
    g_autoptr(GPtrArray) props = g_ptr_array_new();
    Error *err = NULL;
    int i;

    if (path) {
        g_ptr_array_add(props, (gpointer)HOSTMEM_FILE_PROP_MEM_PATH);
        g_ptr_array_add(props, path);
    }
    for (i = 0; c->props[i]; i++) {
        g_ptr_array_add(props, (gpointer)c->props[i]);
    }
    g_ptr_array_add(props, NULL);
    g_assert_null(backend_create_props(&err, c->type,
                                       (const char *const *)props->pdata));
    assert_error(err, c->msg);
    if (path) {
        g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    }
}

static void test_file_create_new(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "new.img");
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_PROP_SIZE, "1M", NULL);
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    g_assert_true(object_is_memory_backend(obj));
    g_assert_true(object_is_memory_backend_file(obj));
    g_assert_true(host_memory_backend_is_mapped(b));
    g_assert_nonnull(b->ptr);
    g_assert_cmpuint(b->size, ==, 1 * MiB);
    g_assert_cmpuint(b->mapped_size, ==, 1 * MiB);
    g_assert_cmpuint(b->page_size, ==, 4 * KiB);
    g_assert_cmpuint(file_size(path), ==, 1 * MiB);
    g_assert_cmpuint(((uint8_t *)b->ptr)[1 * MiB - 1], ==, 0);
    g_assert_false(host_memory_backend_is_readonly(b));
    g_assert_false(host_memory_backend_is_used(b));
    host_memory_backend_set_used(b, true);
    g_assert_true(host_memory_backend_is_used(b));
    object_destroy(obj);
    g_assert_cmpuint(file_size(path), ==, 1 * MiB);
}

static void test_file_extend_empty(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "empty.img");
    Object *obj;

    write_pattern_file(path, 0, 0);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    g_assert_cmpuint(file_size(path), ==, 64 * KiB);
    object_destroy(obj);
}

/* QEMU rounds the size up to the page size for the mapping and the file. */
static void test_file_unaligned_size(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "odd.img");
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_PROP_SIZE, "5000", NULL);

    g_assert_cmpuint(MEMORY_BACKEND(obj)->size, ==, 5000);
    g_assert_cmpuint(MEMORY_BACKEND(obj)->mapped_size, ==, 8 * KiB);
    g_assert_cmpuint(file_size(path), ==, 8 * KiB);
    object_destroy(obj);
}

static void test_file_smaller_refused(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "small.img");
    Error *err = NULL;

    write_pattern_file(path, 8 * KiB, 1);
    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    assert_error(err, "backing store size 0x2000 does not match 'size' "
                 "option 0x10000");
    /* Neither extended nor touched. */
    assert_file_has_pattern(path, 8 * KiB, 1);
}

/*
 * pmemvm refuses a larger regular file too (QEMU 7.2 would map its first
 * 'size' bytes): a size mismatch is almost always a typo, and a label area
 * would land in the middle of the user's data.  The file is not touched.
 */
static void test_file_larger_refused(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "large.img");
    Error *err = NULL;

    write_pattern_file(path, 128 * KiB, 2);
    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    assert_error(err, "backing store size 0x20000 does not match 'size' "
                 "option 0x10000");
    assert_file_has_pattern(path, 128 * KiB, 2);
}

static void test_file_same_size_contents(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "same.img");
    Object *obj;

    write_pattern_file(path, 64 * KiB, 3);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    g_assert_true(mem_has_pattern(MEMORY_BACKEND(obj)->ptr, 64 * KiB, 3));
    object_destroy(obj);
    assert_file_has_pattern(path, 64 * KiB, 3);
}

/* A directory: an unlinked temporary file in it, as QEMU does. */
static void test_file_directory(Fixture *f, gconstpointer data)
{
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, f->dir,
                                 HOSTMEM_PROP_SHARE, "on",
                                 HOSTMEM_PROP_SIZE, "64K", NULL);
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    GDir *d;

    fill_pattern(b->ptr, 64 * KiB, 4);
    g_assert_true(mem_has_pattern(b->ptr, 64 * KiB, 4));
    d = g_dir_open(f->dir, 0, NULL);
    g_assert_nonnull(d);
    g_assert_null(g_dir_read_name(d));
    g_dir_close(d);
    object_destroy(obj);
}

/* share and readonly */

static void test_file_share_on(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "shared.img");
    HostMemoryBackend *b;
    Object *obj;

    write_pattern_file(path, 64 * KiB, 5);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    b = MEMORY_BACKEND(obj);
    fill_pattern(b->ptr, 64 * KiB, 6);
    host_memory_backend_flush(b);
    assert_file_has_pattern(path, 64 * KiB, 6);
    if (dir_in_ram(f->dir)) {
        g_assert_cmpstr(host_memory_backend_persistence(b), ==,
                        PERSISTENCE_IN_RAM);
    } else {
        g_assert_cmpstr(host_memory_backend_persistence(b), ==,
                        "not persistent across host crash: share=on "
                        "without MAP_SYNC (pmem=off); guest writes reach "
                        "the file but are durable only after msync/fsync "
                        "(pmemvm msyncs on exit and on label writes)");
    }
    object_destroy(obj);
    assert_file_has_pattern(path, 64 * KiB, 6);
}

static void test_file_share_off(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "private.img");
    HostMemoryBackend *b;
    Object *obj;

    write_pattern_file(path, 64 * KiB, 7);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "off",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    b = MEMORY_BACKEND(obj);
    g_assert_true(mem_has_pattern(b->ptr, 64 * KiB, 7));
    fill_pattern(b->ptr, 64 * KiB, 8);
    host_memory_backend_flush(b);
    assert_file_has_pattern(path, 64 * KiB, 7);
    g_assert_cmpstr(host_memory_backend_persistence(b), ==,
                    "volatile: share=off maps the file privately; "
                    "guest writes never reach the file");
    object_destroy(obj);
    assert_file_has_pattern(path, 64 * KiB, 7);
}

static void test_file_readonly(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "ro.img");
    g_autofree char *perms = NULL;
    HostMemoryBackend *b;
    Error *err = NULL;
    Object *obj;

    write_pattern_file(path, 64 * KiB, 9);
    g_assert_cmpint(chmod(path, 0444), ==, 0);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_FILE_PROP_READONLY, "on",
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    b = MEMORY_BACKEND(obj);
    g_assert_true(host_memory_backend_is_readonly(b));
    g_assert_true(mem_has_pattern(b->ptr, 64 * KiB, 9));
    /* Writing would fault: check the protection instead. */
    perms = mapping_perms(b->ptr);
    g_assert_cmpstr(perms, ==, "r--s");
    g_assert_true(g_str_has_prefix(host_memory_backend_persistence(b),
                                   "read-only: "));
    /* Refused with a reason, never a fault. */
    host_memory_backend_write_persist(b, 0, "x", 1, &err);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "backend 'mem0' is read-only");
    error_free(err);
    host_memory_backend_flush(b);
    object_destroy(obj);
    assert_file_has_pattern(path, 64 * KiB, 9);
}

static void test_file_readonly_missing(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "absent.img");
    g_autofree char *msg = NULL;
    Error *err = NULL;

    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_FILE_PROP_READONLY, "on",
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    msg = g_strdup_printf("can't open backing store %s for guest RAM: %s",
                          path, g_strerror(ENOENT));
    assert_error(err, msg);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_file_readonly_empty(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "ro-empty.img");
    g_autofree char *msg = NULL;
    Error *err = NULL;

    write_pattern_file(path, 0, 0);
    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_FILE_PROP_READONLY, "on",
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    msg = g_strdup_printf("backing store %s is empty and cannot be extended "
                          "to 'size' 0x10000 with readonly=on", path);
    assert_error(err, msg);
    g_assert_cmpuint(file_size(path), ==, 0);
}

/* align */

static void test_file_align_not_page_multiple(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "align3.img");
    Error *err = NULL;

    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_FILE_PROP_ALIGN, "3",
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    assert_error(err, "alignment 0x3 must be multiples of page size 0x1000");
    /* The file it created is removed again. */
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_file_align_not_power_of_2(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "align12k.img");
    Error *err = NULL;

    write_pattern_file(path, 64 * KiB, 10);
    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_FILE_PROP_ALIGN, "12K",
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    assert_error(err, "alignment 0x3000 must be a power of two");
    /* An existing file is never removed. */
    assert_file_has_pattern(path, 64 * KiB, 10);
}

static void test_file_align_2m(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "align2m.img");
    HostMemoryBackend *b;
    Object *obj;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_FILE_PROP_ALIGN, "2M",
                         HOSTMEM_PROP_SIZE, "4M", NULL);
    b = MEMORY_BACKEND(obj);
    g_assert_cmpuint(host_memory_backend_get_align(b), ==, 2 * MiB);
    g_assert_cmpuint((uintptr_t)b->ptr % (2 * MiB), ==, 0);
    object_destroy(obj);
}

static void test_file_align_default(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "align0.img");
    Object *obj;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    g_assert_cmpuint(host_memory_backend_get_align(MEMORY_BACKEND(obj)), ==,
                     4 * KiB);
    object_destroy(obj);
}

/* pmem */

#if CONFIG_LIBPMEM
/* On ext4/tmpfs MAP_SYNC is refused: a plain warning, is_dax false. */
static void test_file_pmem_not_dax(Fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_autofree char *path = fixture_path(f, "pmem.img");
        HostMemoryBackendFile *fb;
        Object *obj;
        char buf[4] = { 0 };
        int fd;

        obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                             HOSTMEM_FILE_PROP_MEM_PATH, path,
                             HOSTMEM_FILE_PROP_PMEM, "on",
                             HOSTMEM_PROP_SHARE, "on",
                             HOSTMEM_PROP_SIZE, "64K", NULL);
        fb = MEMORY_BACKEND_FILE(obj);
        g_assert_false(fb->is_dax);
        g_assert_false(fb->is_pmem);
        if (dir_in_ram(f->dir)) {
            g_assert_cmpstr(
                host_memory_backend_persistence(MEMORY_BACKEND(obj)), ==,
                PERSISTENCE_IN_RAM);
        } else {
            g_assert_cmpstr(
                host_memory_backend_persistence(MEMORY_BACKEND(obj)), ==,
                "not persistent across host crash: pmem=on,share=on but the "
                "file is not on DAX (MAP_SYNC refused); guest writes reach "
                "the page cache and are durable only after msync/fsync "
                "(pmemvm msyncs on exit and on label writes)");
        }
        /* Label-style writes still reach the file at once. */
        host_memory_backend_write_persist(MEMORY_BACKEND(obj), 100, "abc", 3,
                                          &error_abort);
        fd = open(path, O_RDONLY);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(pread(fd, buf, 3, 100), ==, 3);
        close(fd);
        g_assert_cmpstr(buf, ==, "abc");
        object_destroy(obj);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: backend 'mem0': *pmem.img is not "
                              "on DAX (MAP_SYNC refused: *), so it is mapped "
                              "without MAP_SYNC and guest writes are not "
                              "guaranteed to be persistent across a host "
                              "crash despite pmem=on*");
}

static void test_file_pmem_share_off(Fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_autofree char *path = fixture_path(f, "pmem-private.img");
        Object *obj;

        obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                             HOSTMEM_FILE_PROP_MEM_PATH, path,
                             HOSTMEM_FILE_PROP_PMEM, "on",
                             HOSTMEM_PROP_SIZE, "64K", NULL);
        g_assert_false(MEMORY_BACKEND_FILE(obj)->is_dax);
        g_assert_false(MEMORY_BACKEND_FILE(obj)->is_pmem);
        g_assert_true(g_str_has_prefix(
            host_memory_backend_persistence(MEMORY_BACKEND(obj)),
            "volatile: share=off"));
        object_destroy(obj);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*pmem=on has no effect with share=off*");
}
#else
static void test_file_pmem_without_libpmem(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "pmem.img");
    Error *err = NULL;

    g_assert_null(backend_create(&err, TYPE_MEMORY_BACKEND_FILE,
                                 HOSTMEM_FILE_PROP_MEM_PATH, path,
                                 HOSTMEM_FILE_PROP_PMEM, "on",
                                 HOSTMEM_PROP_SHARE, "on",
                                 HOSTMEM_PROP_SIZE, "64K", NULL));
    assert_error(err, "pmem=on cannot be honoured: pmemvm was built without "
                 "libpmem, so it cannot make its own writes to backend "
                 "'mem0' persistent");
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}
#endif

/* The DAX case cannot be produced here: check its report by its flags. */
static void test_persistence_dax(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "dax.img");
    HostMemoryBackendFile *fb;
    Object *obj;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    fb = MEMORY_BACKEND_FILE(obj);
    fb->pmem = true;
    fb->is_dax = true;
    g_assert_cmpstr(host_memory_backend_persistence(MEMORY_BACKEND(obj)), ==,
                    "persistent: DAX file mapped with MAP_SYNC "
                    "(pmem=on,share=on); durable once the guest flushes "
                    "its CPU caches");
    object_destroy(obj);
}

/*
 * The decision itself, with the facts injected: every kind of backend a
 * user can have, DAX included, and what survives what.
 */
static void test_persistence_decide(Fixture *f, gconstpointer data)
{
    static const struct {
        HostMemPersistFacts facts;
        const char *name;
        bool exit, reboot, crash;
    } cases[] = {
        { { .mapped = false, .is_file = true, .share = true },
          "unknown", false, false, false },
        { { .mapped = true }, "volatile", false, false, false },
        { { .mapped = true, .is_file = true }, "volatile", false, false,
          false },
        { { .mapped = true, .is_file = true, .share = true,
            .readonly = true }, "read-only", false, false, false },
        { { .mapped = true, .is_file = true, .share = true,
            .in_host_ram = true }, "host-ram", true, false, false },
        { { .mapped = true, .is_file = true, .share = true },
          "page-cache", true, true, false },
        { { .mapped = true, .is_file = true, .share = true, .pmem = true },
          "page-cache", true, true, false },
        /* MAP_SYNC without pmem=on is never asked for; stays page cache */
        { { .mapped = true, .is_file = true, .share = true,
            .map_sync = true }, "page-cache", true, true, false },
        { { .mapped = true, .is_file = true, .share = true, .pmem = true,
            .map_sync = true }, "persistent", true, true, true },
        /* share=off wins over everything but read-only */
        { { .mapped = true, .is_file = true, .pmem = true,
            .map_sync = true }, "volatile", false, false, false },
        /* discard-data=on: the blocks are freed when pmemvm exits */
        { { .mapped = true, .is_file = true, .share = true,
            .discard_data = true }, "discarded", false, false, false },
        { { .mapped = true, .is_file = true, .share = true, .pmem = true,
            .map_sync = true, .discard_data = true }, "discarded", false,
          false, false },
        /* ... which touches neither a private nor a read-only mapping */
        { { .mapped = true, .is_file = true, .discard_data = true },
          "volatile", false, false, false },
        { { .mapped = true, .is_file = true, .share = true, .readonly = true,
            .discard_data = true }, "read-only", false, false, false },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        HostMemPersistence p;

        hostmem_persistence_decide(&cases[i].facts, &p);
        g_assert_cmpstr(p.name, ==, cases[i].name);
        g_assert_cmpint(p.survives_exit, ==, cases[i].exit);
        g_assert_cmpint(p.survives_host_reboot, ==, cases[i].reboot);
        g_assert_cmpint(p.survives_host_crash, ==, cases[i].crash);
        g_assert_nonnull(p.detail);
        g_assert_nonnull(hostmem_persistence_survival(&p));
    }
}

/* A shared file on tmpfs (here: a temporary file in /dev/shm). */
static void test_persistence_tmpfs(Fixture *f, gconstpointer data)
{
    Object *obj;

    if (!g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ||
        !dir_in_ram("/dev/shm")) {
        g_test_skip("no tmpfs at /dev/shm");
        return;
    }
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, "/dev/shm",
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    g_assert_cmpstr(host_memory_backend_persistence(MEMORY_BACKEND(obj)), ==,
                    PERSISTENCE_IN_RAM);
    object_destroy(obj);
}

/* Durable writes, discard-data, prealloc */

static void test_file_write_persist(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "label.img");
    char buf[16] = { 0 };
    Object *obj;
    int fd;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    host_memory_backend_write_persist(MEMORY_BACKEND(obj), 64 * KiB - 5,
                                      "label", 5, &error_abort);
    g_assert_cmpmem((char *)MEMORY_BACKEND(obj)->ptr + 64 * KiB - 5, 5,
                    "label", 5);
    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, buf, 5, 64 * KiB - 5), ==, 5);
    close(fd);
    g_assert_cmpstr(buf, ==, "label");
    object_destroy(obj);
}

static void test_file_discard_data(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "discard.img");
    g_autofree char *contents = NULL;
    gsize len, i;
    Object *obj;

    write_pattern_file(path, 64 * KiB, 11);
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_FILE_PROP_DISCARD_DATA, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    object_destroy(obj);
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, 64 * KiB);
    for (i = 0; i < len; i++) {
        g_assert_cmpint(contents[i], ==, 0);
    }
}

static void test_file_prealloc(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "prealloc.img");
    struct stat st;
    Object *obj;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_PREALLOC, "on",
                         HOSTMEM_PROP_PREALLOC_THREADS, "4",
                         HOSTMEM_PROP_SIZE, "256M", NULL);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpuint(st.st_size, ==, 256 * MiB);
    g_assert_cmpuint((uint64_t)st.st_blocks * 512, >=, 256 * MiB);
    object_destroy(obj);
}

/* Host NUMA placement */

static void test_numa_defaults_accepted(Fixture *f, gconstpointer data)
{
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                                 HOSTMEM_PROP_POLICY, "default",
                                 HOSTMEM_PROP_X_USE_CANONICAL_PATH, "on",
                                 HOSTMEM_PROP_DUMP, "off",
                                 HOSTMEM_PROP_MERGE, "off",
                                 HOSTMEM_PROP_SIZE, "64K", NULL);

    object_destroy(obj);
}

/* The kernel's policy for the page at @addr: its mode and node mask. */
static int mempolicy_at(void *addr, unsigned long *mask)
{
    int mode = -1;

    *mask = 0;
    g_assert_cmpint(syscall(SYS_get_mempolicy, &mode, mask,
                            sizeof(*mask) * 8, addr, MPOL_F_ADDR), ==, 0);
    return mode;
}

/* policy= and host-nodes= reach the kernel (node 0 exists everywhere). */
static void test_numa_bind(Fixture *f, gconstpointer data)
{
    g_autofree char *path = fixture_path(f, "bound.img");
    unsigned long mask;
    Object *obj;

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                         HOSTMEM_PROP_HOST_NODES, "0",
                         HOSTMEM_PROP_POLICY, "bind",
                         HOSTMEM_PROP_PREALLOC, "on",
                         HOSTMEM_PROP_SIZE, "4M", NULL);
    g_assert_cmpint(mempolicy_at(MEMORY_BACKEND(obj)->ptr, &mask), ==,
                    MPOL_BIND);
    g_assert_cmphex(mask, ==, 1);
    object_destroy(obj);

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_FILE,
                         HOSTMEM_FILE_PROP_MEM_PATH, path,
                         HOSTMEM_PROP_SHARE, "on",
                         HOSTMEM_PROP_HOST_NODES, "0",
                         HOSTMEM_PROP_POLICY, "preferred",
                         HOSTMEM_PROP_SIZE, "2M", NULL);
    g_assert_cmpint(mempolicy_at((char *)MEMORY_BACKEND(obj)->ptr + 4096,
                                 &mask), ==, MPOL_PREFERRED);
    g_assert_cmphex(mask, ==, 1);
    object_destroy(obj);

    /* Without host-nodes the mapping keeps the process's policy. */
    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                         HOSTMEM_PROP_SIZE, "2M", NULL);
    g_assert_cmpint(mempolicy_at(MEMORY_BACKEND(obj)->ptr, &mask), ==,
                    MPOL_DEFAULT);
    object_destroy(obj);
}

/* host-nodes as QEMU takes it: ranges, repeated keys, one sorted set. */
static void test_numa_host_nodes_text(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *old, *value;
        bool keyval;
        const char *out;        /* NULL: refused with @msg */
        const char *msg;
    } cases[] = {
        { NULL, "0", true, "0" },
        { NULL, "0-2", true, "0,1,2" },
        { "0,1", "0", true, "0,1" },                /* host-nodes=0-1,host-nodes=0 */
        { "3", "1-1", true, "1,3" },
        { NULL, "0x10", true, "16" },
        { NULL, "0,,2", true, NULL, "expects a uint64 value or range" },
        { NULL, "2-1", true, NULL, "expects a uint64 value or range" },
        { NULL, "", true, NULL, "expects a uint64 value or range" },
        { NULL, "-1", true, NULL, "expects a uint64 value or range" },
        { NULL, "x", true, NULL, "expects a uint64 value or range" },
        { NULL, "1-70000", true, NULL, "Parameter 'null' expects uint16_t" },
        { "5", "2,2,0", false, "0,2" },             /* JSON: replaces */
        { NULL, "", false, "" },                    /* JSON [] */
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;
        g_autofree char *out = uint16_list_merge("host-nodes", cases[i].old,
                                                 cases[i].value,
                                                 cases[i].keyval, &err);

        if (cases[i].out) {
            g_assert_null(err);
            g_assert_cmpstr(out, ==, cases[i].out);
        } else {
            g_assert_null(out);
            g_assert_nonnull(strstr(error_get_pretty(err), cases[i].msg));
            error_free(err);
        }
    }
}

/* memory-backend-ram */

static void test_ram_basic(Fixture *f, gconstpointer data)
{
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                                 HOSTMEM_PROP_SIZE, "4M", NULL);
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    g_assert_true(object_is_memory_backend(obj));
    g_assert_false(object_is_memory_backend_file(obj));
    g_assert_true(host_memory_backend_is_mapped(b));
    g_assert_false(host_memory_backend_is_readonly(b));
    /* QEMU aligns anonymous RAM to QEMU_VMALLOC_ALIGN (2 MiB on x86-64). */
    g_assert_cmpuint(host_memory_backend_get_align(b), ==, 2 * MiB);
    g_assert_cmpuint((uintptr_t)b->ptr % (2 * MiB), ==, 0);
    fill_pattern(b->ptr, 4 * MiB, 12);
    g_assert_true(mem_has_pattern(b->ptr, 4 * MiB, 12));
    host_memory_backend_write_persist(b, 10, "ram", 3, &error_abort);
    g_assert_cmpmem((char *)b->ptr + 10, 3, "ram", 3);
    host_memory_backend_flush(b);
    g_assert_cmpstr(host_memory_backend_persistence(b), ==,
                    "volatile: memory-backend-ram is anonymous memory, "
                    "lost when pmemvm exits");
    object_destroy(obj);
}

static void test_ram_options(Fixture *f, gconstpointer data)
{
    Object *obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                                 HOSTMEM_PROP_SHARE, "on",
                                 HOSTMEM_PROP_RESERVE, "off",
                                 HOSTMEM_PROP_SIZE, "64K", NULL);
    g_autofree char *perms = mapping_perms(MEMORY_BACKEND(obj)->ptr);

    g_assert_cmpstr(perms, ==, "rw-s");
    object_destroy(obj);

    obj = backend_create(&error_abort, TYPE_MEMORY_BACKEND_RAM,
                         HOSTMEM_PROP_PREALLOC, "on",
                         HOSTMEM_PROP_SIZE, "64K", NULL);
    object_destroy(obj);
}

static void test_types(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    Object *obj;
    char *s;

    g_assert_null(object_new(TYPE_MEMORY_BACKEND, &err));
    error_free(err);
    /* Defaults as in QEMU. */
    obj = object_new(TYPE_MEMORY_BACKEND_FILE, &error_abort);
    g_assert_true(MEMORY_BACKEND(obj)->reserve);
    g_assert_true(MEMORY_BACKEND(obj)->dump);
    g_assert_true(MEMORY_BACKEND(obj)->merge);
    g_assert_false(MEMORY_BACKEND(obj)->share);
    g_assert_cmpuint(MEMORY_BACKEND(obj)->prealloc_threads, ==, 1);
    s = object_property_print(obj, HOSTMEM_PROP_POLICY);
    g_assert_cmpstr(s, ==, "default");
    g_free(s);
    g_assert_false(host_memory_backend_is_mapped(MEMORY_BACKEND(obj)));
    g_assert_true(g_str_has_prefix(
        host_memory_backend_persistence(MEMORY_BACKEND(obj)), "unknown:"));
    /* Never completed: no descriptor to close (fd 0 is not ours). */
    g_assert_cmpint(MEMORY_BACKEND_FILE(obj)->fd, ==, -1);
    object_destroy(obj);
}

#define ADD(path, fn) \
    g_test_add("/hostmem/" path, Fixture, NULL, fixture_setup, fn, \
               fixture_teardown)

int main(int argc, char **argv)
{
    guint i;

    g_test_init(&argc, &argv, NULL);

    for (i = 0; i < G_N_ELEMENTS(refusals); i++) {
        g_autofree char *path = g_strdup_printf("/hostmem/%s",
                                                refusals[i].name);

        g_test_add(path, Fixture, &refusals[i], fixture_setup,
                   test_refused, fixture_teardown);
    }

    ADD("file/create-new", test_file_create_new);
    ADD("file/extend-empty", test_file_extend_empty);
    ADD("file/unaligned-size", test_file_unaligned_size);
    ADD("file/smaller-refused", test_file_smaller_refused);
    ADD("file/larger-refused", test_file_larger_refused);
    ADD("file/same-size-contents", test_file_same_size_contents);
    ADD("file/directory", test_file_directory);
    ADD("file/share-on", test_file_share_on);
    ADD("file/share-off", test_file_share_off);
    ADD("file/readonly", test_file_readonly);
    ADD("file/readonly-missing", test_file_readonly_missing);
    ADD("file/readonly-empty", test_file_readonly_empty);
    ADD("file/align-not-page-multiple", test_file_align_not_page_multiple);
    ADD("file/align-not-power-of-2", test_file_align_not_power_of_2);
    ADD("file/align-2m", test_file_align_2m);
    ADD("file/align-default", test_file_align_default);
#if CONFIG_LIBPMEM
    ADD("file/pmem-not-dax", test_file_pmem_not_dax);
    ADD("file/pmem-share-off", test_file_pmem_share_off);
#else
    ADD("file/pmem-without-libpmem", test_file_pmem_without_libpmem);
#endif
    ADD("file/persistence-dax", test_persistence_dax);
    ADD("file/persistence-tmpfs", test_persistence_tmpfs);
    ADD("file/persistence-decide", test_persistence_decide);
    ADD("file/write-persist", test_file_write_persist);
    ADD("file/discard-data", test_file_discard_data);
    ADD("file/prealloc", test_file_prealloc);
    ADD("numa/defaults-accepted", test_numa_defaults_accepted);
    ADD("numa/bind", test_numa_bind);
    ADD("numa/host-nodes-text", test_numa_host_nodes_text);
    ADD("ram/basic", test_ram_basic);
    ADD("ram/options", test_ram_options);
    ADD("types", test_types);

    return g_test_run();
}
