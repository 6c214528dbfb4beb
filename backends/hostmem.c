/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The abstract "memory-backend" type: the properties every host memory
 * backend shares, the checks QEMU makes when they are set, the host
 * mapping helpers (aligned mmap, madvise, preallocation) and the queries
 * devices use (alignment, persistence, durable writes).
 *
 * The concrete types live in hostmem-file.c and hostmem-ram.c; their
 * complete() hooks call hostmem_check_props() first and
 * hostmem_finish_map() once the memory is mapped.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "sysemu/hostmem.h"
#include "hostmem-internal.h"
#include "qemu/guarded-mem.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#if CONFIG_LIBPMEM
#include <libpmem.h>
#endif

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Below this size preallocation is not worth a second thread. */
#define HOSTMEM_PREALLOC_MIN_PER_THREAD (64 * MiB)

static const char *const hostmem_policy_names[] = {
    [HOSTMEM_POLICY_DEFAULT] = "default",
    [HOSTMEM_POLICY_PREFERRED] = "preferred",
    [HOSTMEM_POLICY_BIND] = "bind",
    [HOSTMEM_POLICY_INTERLEAVE] = "interleave",
    NULL,
};

const char *hostmem_policy_name(int policy)
{
    return hostmem_policy_names[policy];
}

uint64_t hostmem_host_page_size(void)
{
    static uint64_t page_size;

    if (!page_size) {
        long v = sysconf(_SC_PAGESIZE);
        page_size = v > 0 ? (uint64_t)v : 4 * KiB;
    }
    return page_size;
}

const char *hostmem_name(HostMemoryBackend *b)
{
    const char *id = OBJECT(b)->id;

    return id ? id : "(anonymous)";
}

bool object_is_memory_backend(Object *obj)
{
    return obj && type_is_a(obj->type, TYPE_MEMORY_BACKEND);
}

bool object_is_memory_backend_file(Object *obj)
{
    return obj && type_is_a(obj->type, TYPE_MEMORY_BACKEND_FILE);
}

/*
 * What QEMU checks when the properties are set (its setters run before
 * the memory is allocated), then the size check every allocator makes.
 */
bool hostmem_check_props(HostMemoryBackend *b, Error **errp)
{
    Object *obj = OBJECT(b);
    const char *tname = obj->type->name;

    /* 'size' is mandatory in QEMU's QAPI schema (MemoryBackendProperties). */
    if (!object_property_is_set(obj, HOSTMEM_PROP_SIZE)) {
        error_setg(errp, "Parameter '%s' is missing", HOSTMEM_PROP_SIZE);
        return false;
    }
    if (!b->size) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'",
                   HOSTMEM_PROP_SIZE, tname);
        return false;
    }
    if (!b->prealloc_threads) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'",
                   HOSTMEM_PROP_PREALLOC_THREADS, tname);
        return false;
    }
    if (!hostmem_numa_check(b, errp)) {
        return false;
    }
    if (b->prealloc && !b->reserve) {
        error_setg(errp, "'%s=on' and '%s=off' are incompatible",
                   HOSTMEM_PROP_PREALLOC, HOSTMEM_PROP_RESERVE);
        return false;
    }
    if (!b->size) {
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    if (b->size > (uint64_t)SSIZE_MAX / 2) {
        error_setg(errp, "property '%s' of %s doesn't take value '%" PRIu64
                   "'", HOSTMEM_PROP_SIZE, tname, b->size);
        return false;
    }
    return true;
}

/*
 * mmap @len bytes at a host address aligned to @align (a power of two),
 * as QEMU does: reserve len + align of address space, map over the aligned
 * part with MAP_FIXED, give the rest back.  Returns MAP_FAILED with errno
 * set on failure.
 */
void *hostmem_map_aligned(uint64_t len, uint64_t align, int prot, int flags,
                          int fd)
{
    uint64_t total = len + align;
    uintptr_t start, end;
    char *area;
    void *ptr;
    int saved;

    assert(is_power_of_2(align));
    if (len > SIZE_MAX - align) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    area = mmap(NULL, total, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (area == MAP_FAILED) {
        return MAP_FAILED;
    }
    start = QEMU_ALIGN_UP((uintptr_t)area, align);
    ptr = mmap((void *)start, len, prot, flags | MAP_FIXED, fd, 0);
    if (ptr == MAP_FAILED) {
        saved = errno;
        munmap(area, total);
        errno = saved;
        return MAP_FAILED;
    }
    if (start > (uintptr_t)area) {
        munmap(area, start - (uintptr_t)area);
    }
    end = (uintptr_t)area + total;
    if (end > start + len) {
        munmap((void *)(start + len), end - (start + len));
    }
    return ptr;
}

/*
 * What QEMU asks of the kernel for every block of guest RAM: transparent
 * huge pages where the host allows them ("madvise" mode needs this call;
 * with the guest-physical and host-virtual 2 MiB frames congruent, KVM
 * maps the guest with 2 MiB nested pages, which saves thousands of nested
 * page faults per boot), KSM merging as mem-merge= says and no core dump
 * when dump-guest-core=off (QEMU's defaults: both on).  Each call fails
 * harmlessly on a host without THP or KSM; QEMU ignores the results too.
 */
static void hostmem_advise(void *ptr, uint64_t len, bool merge, bool dump)
{
    madvise(ptr, len, MADV_HUGEPAGE);
    if (merge) {
        madvise(ptr, len, MADV_MERGEABLE);
    }
    if (!dump) {
        madvise(ptr, len, MADV_DONTDUMP);
    }
}

void *host_ram_alloc(uint64_t size, bool merge, bool dump)
{
    void *ptr = hostmem_map_aligned(size, HOSTMEM_RAM_ALIGN,
                                    PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1);

    if (ptr == MAP_FAILED) {
        return NULL;
    }
    hostmem_advise(ptr, size, merge, dump);
    return ptr;
}

typedef struct PreallocJob {
    char *addr;
    uint64_t len;
    uint64_t page_size;
    bool write;
    int err;            /* 0 or an errno */
} PreallocJob;

/* Fault in [addr, addr + len) the old way, one access per page. */
static void prealloc_touch(void *opaque)
{
    PreallocJob *job = opaque;
    uint64_t off;

    for (off = 0; off < job->len; off += job->page_size) {
        volatile char *p = job->addr + off;
        char c = *p;

        if (job->write) {
            *p = c;
        }
    }
}

static gpointer prealloc_run(gpointer opaque)
{
    PreallocJob *job = opaque;
    int advice = job->write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ;

    if (madvise(job->addr, job->len, advice) == 0) {
        return NULL;
    }
    if (errno == EINVAL) {
        /* Kernel older than 5.14: no MADV_POPULATE_*.  A page that
         * cannot be had raises SIGBUS here; madvise says EFAULT. */
        if (!guarded_run(prealloc_touch, job, NULL)) {
            job->err = EFAULT;
        }
        return NULL;
    }
    job->err = errno;
    return NULL;
}

/* Fault in every page of the mapping, with up to prealloc-threads threads. */
static bool hostmem_prealloc(HostMemoryBackend *b, bool write, Error **errp)
{
    uint64_t page = b->page_size;
    uint64_t npages = b->mapped_size / page;
    uint64_t nthreads = b->prealloc_threads;
    uint64_t per_thread, done = 0;
    PreallocJob *jobs;
    GThread **threads;
    bool ok = true;
    uint64_t i;

    nthreads = MIN(nthreads, b->mapped_size / HOSTMEM_PREALLOC_MIN_PER_THREAD);
    nthreads = MAX(nthreads, 1);
    per_thread = QEMU_ALIGN_UP(npages, nthreads) / nthreads;

    jobs = g_new0(PreallocJob, nthreads);
    threads = g_new0(GThread *, nthreads);
    for (i = 0; i < nthreads && done < npages; i++) {
        uint64_t n = MIN(per_thread, npages - done);

        jobs[i].addr = (char *)b->ptr + done * page;
        jobs[i].len = n * page;
        jobs[i].page_size = page;
        jobs[i].write = write;
        done += n;
        if (i > 0) {
            threads[i] = g_thread_new("hostmem-prealloc", prealloc_run,
                                      &jobs[i]);
        }
    }
    prealloc_run(&jobs[0]);
    for (i = 1; i < nthreads; i++) {
        if (threads[i]) {
            g_thread_join(threads[i]);
        }
    }
    for (i = 0; i < nthreads; i++) {
        if (jobs[i].err) {
            error_setg_errno(errp, jobs[i].err,
                             "preallocating memory for backend '%s' failed",
                             hostmem_name(b));
            ok = false;
            break;
        }
    }
    g_free(jobs);
    g_free(threads);
    return ok;
}

/*
 * After the memory is mapped: the advice QEMU gives the kernel (merge,
 * dump), then preallocation.  For a shared writable file, blocks are
 * allocated first so that running out of space is an error here rather
 * than a SIGBUS when the guest first touches the page.
 */
bool hostmem_finish_map(HostMemoryBackend *b, int fd, Error **errp)
{
    bool readonly = host_memory_backend_is_readonly(b);

    hostmem_advise(b->ptr, b->mapped_size, b->merge, b->dump);
    if (!hostmem_numa_bind(b, errp)) {
        return false;
    }
    if (!b->prealloc) {
        hostmem_register_mapping(b);
        return true;
    }
    if (fd >= 0 && b->share && !readonly &&
        fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, b->mapped_size) < 0 &&
        errno != EOPNOTSUPP && errno != ENODEV && errno != ESPIPE &&
        errno != EINVAL) {
        /* Devices and some file systems cannot fallocate: just fault in. */
        error_setg_errno(errp, errno,
                         "preallocating memory for backend '%s' failed",
                         hostmem_name(b));
        return false;
    }
    if (!hostmem_prealloc(b, !readonly, errp)) {
        return false;
    }
    hostmem_register_mapping(b);
    return true;
}

uint64_t host_memory_backend_get_align(HostMemoryBackend *b)
{
    uint64_t page = b->page_size ? b->page_size : hostmem_host_page_size();

    if (object_is_memory_backend_file(OBJECT(b))) {
        return MAX(page, MEMORY_BACKEND_FILE(b)->align);
    }
    return MAX(page, HOSTMEM_RAM_ALIGN);
}

bool host_memory_backend_is_mapped(HostMemoryBackend *b)
{
    return b->mapped;
}

void host_memory_backend_set_used(HostMemoryBackend *b, bool used)
{
    b->is_used = used;
}

bool host_memory_backend_is_used(HostMemoryBackend *b)
{
    return b->is_used;
}

bool host_memory_backend_is_readonly(HostMemoryBackend *b)
{
    return object_is_memory_backend_file(OBJECT(b)) &&
           MEMORY_BACKEND_FILE(b)->readonly;
}

/* Shared, writable file mappings are the ones whose writes reach a file. */
bool hostmem_writes_reach_file(HostMemoryBackend *b)
{
    return object_is_memory_backend_file(OBJECT(b)) && b->share &&
           !MEMORY_BACKEND_FILE(b)->readonly;
}

bool hostmem_msync(HostMemoryBackend *b, uint64_t offset, uint64_t len)
{
    uint64_t page = hostmem_host_page_size();
    uint64_t start = QEMU_ALIGN_DOWN(offset, page);
    uint64_t end = MIN(QEMU_ALIGN_UP(offset + len, page), b->mapped_size);

    return end <= start ||
           msync((char *)b->ptr + start, end - start, MS_SYNC) == 0;
}

bool host_memory_backend_sync(HostMemoryBackend *b, Error **errp)
{
    HostMemoryBackendFile *fb;
    int r;

    if (!object_is_memory_backend_file(OBJECT(b)) ||
        MEMORY_BACKEND_FILE(b)->fd < 0) {
        return true;
    }
    fb = MEMORY_BACKEND_FILE(b);
    do {
        r = fdatasync(fb->fd);
    } while (r < 0 && errno == EINTR);
    g_atomic_int_inc(&b->syncs);
    if (r < 0) {
        error_setg_errno(errp, errno, "fdatasync of %s failed", fb->mem_path);
        return false;
    }
    return true;
}

unsigned host_memory_backend_sync_count(HostMemoryBackend *b)
{
    return g_atomic_int_get(&b->syncs);
}

void host_memory_backend_flush(HostMemoryBackend *b)
{
    if (b->mapped && hostmem_writes_reach_file(b) &&
        !hostmem_msync(b, 0, b->mapped_size)) {
        warn_report("backend '%s': msync of %s failed: %s", hostmem_name(b),
                    MEMORY_BACKEND_FILE(b)->mem_path, g_strerror(errno));
    }
}

void host_memory_backend_release(HostMemoryBackend *b)
{
    if (!b->mapped) {
        return;
    }
    if (object_is_memory_backend_file(OBJECT(b)) &&
        MEMORY_BACKEND_FILE(b)->discard_data) {
        hostmem_file_discard(MEMORY_BACKEND_FILE(b));
    } else {
        host_memory_backend_flush(b);
    }
}

void host_memory_backends_release_all(void)
{
    GPtrArray *objs = object_list_objects();
    guint i;

    for (i = 0; i < objs->len; i++) {
        Object *o = g_ptr_array_index(objs, i);

        if (object_is_memory_backend(o)) {
            host_memory_backend_release(MEMORY_BACKEND(o));
        }
    }
}

/* A regular file on tmpfs, ramfs or hugetlbfs lives in host RAM. */
static bool hostmem_file_in_ram(HostMemoryBackendFile *fb)
{
    struct statfs fs;
    struct stat st;

    if (fb->fd < 0 || fstat(fb->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        fstatfs(fb->fd, &fs) < 0) {
        return false;
    }
    return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC ||
           fs.f_type == HUGETLBFS_MAGIC;
}

void host_memory_backend_get_persistence(HostMemoryBackend *b,
                                         HostMemPersistence *out)
{
    HostMemPersistFacts f = {
        .mapped = b->mapped,
        .is_file = object_is_memory_backend_file(OBJECT(b)),
        .share = b->share,
    };

    if (f.is_file) {
        HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(b);

        f.readonly = fb->readonly;
        f.pmem = fb->pmem;
        f.map_sync = fb->is_dax;
        f.in_host_ram = hostmem_file_in_ram(fb);
        f.discard_data = fb->discard_data;
    }
    hostmem_persistence_decide(&f, out);
}

const char *host_memory_backend_persistence(HostMemoryBackend *b)
{
    HostMemPersistence p;

    host_memory_backend_get_persistence(b, &p);
    return p.detail;
}

/* object-del: not while a device maps it. */
static bool hostmem_can_be_deleted(Object *obj)
{
    return !host_memory_backend_is_used(MEMORY_BACKEND(obj));
}

/* Runs after the subtype's finalize: unmap whatever is still mapped. */
static void hostmem_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->ptr) {
        hostmem_unregister_mapping(b);
        munmap(b->ptr, b->mapped_size);
        b->ptr = NULL;
    }
    b->mapped = false;
    b->mapped_size = 0;
}

static const PropDef hostmem_props[] = {
    DEFINE_PROP(HOSTMEM_PROP_SIZE, HostMemoryBackend, size, PROP_TYPE_SIZE,
                NULL, "size of the memory in bytes (K/M/G/T suffixes)"),
    DEFINE_PROP(HOSTMEM_PROP_SHARE, HostMemoryBackend, share,
                PROP_TYPE_BOOL, "off",
                "on: writes reach the file and other mappers (MAP_SHARED); "
                "off: private copy"),
    DEFINE_PROP(HOSTMEM_PROP_PREALLOC, HostMemoryBackend, prealloc,
                PROP_TYPE_BOOL, "off",
                "allocate and fault in all memory at start-up"),
    DEFINE_PROP(HOSTMEM_PROP_RESERVE, HostMemoryBackend, reserve,
                PROP_TYPE_BOOL, "on",
                "off: map with MAP_NORESERVE (no swap or huge page "
                "reservation)"),
    DEFINE_PROP(HOSTMEM_PROP_DUMP, HostMemoryBackend, dump, PROP_TYPE_BOOL,
                "on", "off: leave this memory out of core dumps"),
    DEFINE_PROP(HOSTMEM_PROP_MERGE, HostMemoryBackend, merge, PROP_TYPE_BOOL,
                "on", "let KSM merge identical pages"),
    { .name = HOSTMEM_PROP_POLICY, .type = PROP_TYPE_ENUM,
      .offset = offsetof(HostMemoryBackend, policy),
      .enum_names = hostmem_policy_names, .defval = "default",
      .desc = "host NUMA policy of the memory (mbind); needs host-nodes",
      .qom_type = "HostMemPolicy" },
    { .name = HOSTMEM_PROP_HOST_NODES, .type = PROP_TYPE_STRING,
      .offset = offsetof(HostMemoryBackend, host_nodes), .uint16_list = true,
      .desc = "host NUMA nodes for the policy: N or N-M, the key "
                "repeated for more (0-127)",
      .qom_type = "int" },
    DEFINE_PROP(HOSTMEM_PROP_PREALLOC_THREADS, HostMemoryBackend,
                prealloc_threads, PROP_TYPE_UINT32, "1",
                "threads used by prealloc=on"),
    DEFINE_PROP(HOSTMEM_PROP_X_USE_CANONICAL_PATH, HostMemoryBackend,
                x_use_canonical_path, PROP_TYPE_BOOL, "off",
                "accepted for compatibility; no effect"),
    PROP_END,
};

/* MemoryBackendProperties in QEMU 7.2's qapi/qom.json. */
static const char *const hostmem_qapi_members[] = {
    HOSTMEM_PROP_DUMP, HOSTMEM_PROP_HOST_NODES, HOSTMEM_PROP_MERGE,
    HOSTMEM_PROP_POLICY, HOSTMEM_PROP_PREALLOC, HOSTMEM_PROP_PREALLOC_THREADS,
    HOSTMEM_PROP_SHARE, HOSTMEM_PROP_RESERVE, HOSTMEM_PROP_SIZE,
    HOSTMEM_PROP_X_USE_CANONICAL_PATH, NULL,
};
static const char *const hostmem_qapi_required[] = {
    HOSTMEM_PROP_SIZE, NULL,
};

static const TypeInfo hostmem_type_info = {
    .name = TYPE_MEMORY_BACKEND,
    .kind = OBJECT_KIND_ABSTRACT,
    .instance_size = sizeof(HostMemoryBackend),
    .props = hostmem_props,
    .qapi_members = hostmem_qapi_members,
    .qapi_required = hostmem_qapi_required,
    .desc = "host memory a device maps into the guest",
    .can_be_deleted = hostmem_can_be_deleted,
    .finalize = hostmem_finalize,
};

static void hostmem_register_types(void)
{
    type_register(&hostmem_type_info);
}

type_init(hostmem_register_types)
