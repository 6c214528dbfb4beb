/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmemvm's own reads and writes of a backend's memory (label areas), and
 * what to say when the host cannot provide a page of it.
 *
 * Every access is a guarded copy (include/qemu/guarded-mem.h): a page the
 * host cannot provide - a hole on a full file system, a page past the end
 * of a file truncated under us, a poisoned page - makes the access fail
 * with a description instead of killing pmemvm with SIGBUS.  Reads that
 * fault fall back to pread() of the file, which is the guest's view of a
 * page that faults (a private copy of it would be mapped, not fault) and
 * gives zeros for a hole without allocating it.  Writes never use
 * pwrite(): wrong for share=off, and past the end of a truncated file it
 * would extend the file.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "sysemu/hostmem.h"
#include "hostmem-internal.h"
#include "qemu/guarded-mem.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#if CONFIG_LIBPMEM
#include <libpmem.h>
#endif

/* "memory-backend-file 'mem0' (/path)", for messages (g_free). */
static char *hostmem_describe(HostMemoryBackend *b)
{
    if (object_is_memory_backend_file(OBJECT(b))) {
        return g_strdup_printf("%s '%s' (%s)", TYPE_MEMORY_BACKEND_FILE,
                               hostmem_name(b),
                               MEMORY_BACKEND_FILE(b)->mem_path);
    }
    return g_strdup_printf("%s '%s'", OBJECT(b)->type->name,
                           hostmem_name(b));
}

/* MappedRangeExplainFn of a backend's mapping. */
static char *hostmem_explain(void *opaque, uint64_t offset, int code)
{
    HostMemoryBackend *b = opaque;
    bool anywhere = offset == MAPPED_RANGE_ANYWHERE;
    HostMemoryBackendFile *fb;
    struct stat st;

    if (code == BUS_MCEERR_AR || code == BUS_MCEERR_AO) {
        return g_strdup("a hardware memory error: the host has taken the "
                        "page away (memory failure)");
    }
    if (!object_is_memory_backend_file(OBJECT(b)) ||
        MEMORY_BACKEND_FILE(b)->fd < 0) {
        return anywhere ? NULL :
               g_strdup("the host could not provide the memory");
    }
    fb = MEMORY_BACKEND_FILE(b);
    if (fstat(fb->fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (anywhere ? (uint64_t)st.st_size < b->mapped_size
                  : offset >= (uint64_t)st.st_size)) {
        return g_strdup_printf("the file was truncated to %" PRIu64 " bytes "
                               "while mapped (0x%" PRIx64 " bytes)%s",
                               (uint64_t)st.st_size, b->mapped_size,
                               anywhere ? "" : ": the offset is past its end");
    }
    if (hostmem_fs_free(fb->fd) < b->page_size) {
        return g_strdup("no space left on its file system: the page is a "
                        "hole in the sparse file and needs a new block");
    }
    return anywhere ? NULL :
           g_strdup("the page could not be read or allocated (an I/O "
                    "error, a quota, or the file system ran out of space)");
}

void hostmem_register_mapping(HostMemoryBackend *b)
{
    g_autofree char *name = hostmem_describe(b);

    mapped_range_add(b->ptr, b->mapped_size, name, hostmem_explain, b);
    hostmem_watch_add(b);
}

void hostmem_unregister_mapping(HostMemoryBackend *b)
{
    hostmem_watch_remove(b);
    mapped_range_remove(b->ptr);
}

static bool hostmem_range_ok(HostMemoryBackend *b, uint64_t offset,
                             uint64_t len, Error **errp)
{
    if (!b->mapped || offset > b->mapped_size ||
        len > b->mapped_size - offset) {
        error_setg(errp, "backend '%s': 0x%" PRIx64 " bytes at offset 0x%"
                   PRIx64 " are not mapped", hostmem_name(b), len, offset);
        return false;
    }
    return true;
}

static void hostmem_fault_error(const MemFault *f, Error **errp)
{
    g_autofree char *why = mem_fault_describe(f);

    error_setg(errp, "%s", why);
}

/* pread() all of [@offset, @offset + @len) of the backing file. */
static bool hostmem_pread(HostMemoryBackend *b, uint64_t offset, void *buf,
                          uint64_t len)
{
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(b);
    uint64_t done = 0;

    while (done < len) {
        ssize_t n = pread(fb->fd, (char *)buf + done, len - done,
                          offset + done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += n;
    }
    return true;
}

bool host_memory_backend_read(HostMemoryBackend *b, uint64_t offset,
                              void *buf, uint64_t len, Error **errp)
{
    uint64_t page = hostmem_host_page_size();
    const char *src = (const char *)b->ptr;
    uint64_t at;
    MemFault f;

    if (!hostmem_range_ok(b, offset, len, errp)) {
        return false;
    }
    if (guarded_memcpy(buf, src + offset, len, &f)) {
        return true;
    }
    if (!object_is_memory_backend_file(OBJECT(b)) ||
        MEMORY_BACKEND_FILE(b)->fd < 0) {
        hostmem_fault_error(&f, errp);
        return false;
    }
    /* Page by page: the mapping where it works, else the file. */
    for (at = offset; at < offset + len;) {
        uint64_t n = MIN(QEMU_ALIGN_DOWN(at, page) + page, offset + len) -
                     at;
        char *dst = (char *)buf + (at - offset);

        if (!guarded_memcpy(dst, src + at, n, &f) &&
            !hostmem_pread(b, at, dst, n)) {
            hostmem_fault_error(&f, errp);
            return false;
        }
        at += n;
    }
    return true;
}

#if CONFIG_LIBPMEM
typedef struct PmemCopy {
    void *dst;
    const void *src;
    uint64_t len;
} PmemCopy;

static void hostmem_pmem_copy(void *opaque)
{
    PmemCopy *c = opaque;

    pmem_memcpy_persist(c->dst, c->src, c->len);
}
#endif

bool host_memory_backend_write_persist(HostMemoryBackend *b, uint64_t offset,
                                       const void *buf, uint64_t len,
                                       Error **errp)
{
    char *dst;
    MemFault f;

    if (!len) {
        return true;
    }
    if (!hostmem_range_ok(b, offset, len, errp)) {
        return false;
    }
    if (host_memory_backend_is_readonly(b)) {
        error_setg(errp, "backend '%s' is read-only", hostmem_name(b));
        return false;
    }
    dst = (char *)b->ptr + offset;
#if CONFIG_LIBPMEM
    if (object_is_memory_backend_file(OBJECT(b)) &&
        MEMORY_BACKEND_FILE(b)->is_pmem) {
        PmemCopy c = { .dst = dst, .src = buf, .len = len };

        if (!guarded_run(hostmem_pmem_copy, &c, &f)) {
            hostmem_fault_error(&f, errp);
            return false;
        }
        return true;
    }
#endif
    if (!guarded_memcpy(dst, buf, len, &f)) {
        hostmem_fault_error(&f, errp);
        return false;
    }
    if (hostmem_writes_reach_file(b) && !hostmem_msync(b, offset, len)) {
        g_autofree char *name = hostmem_describe(b);

        error_setg_errno(errp, errno, "%s: msync of 0x%" PRIx64 " bytes at "
                         "offset 0x%" PRIx64 " failed", name, len, offset);
        return false;
    }
    return true;
}

bool host_memory_backend_reserve(HostMemoryBackend *b, uint64_t offset,
                                 uint64_t len, Error **errp)
{
    HostMemoryBackendFile *fb;
    struct stat st;
    int r;

    if (!len || !hostmem_writes_reach_file(b) ||
        MEMORY_BACKEND_FILE(b)->fd < 0) {
        return true;
    }
    fb = MEMORY_BACKEND_FILE(b);
    if (fstat(fb->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        return true;            /* devices have all their blocks */
    }
    /* KEEP_SIZE: never the file's size; holes become zeroed blocks,
     * existing data is not touched. */
    do {
        r = fallocate(fb->fd, FALLOC_FL_KEEP_SIZE, offset, len);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && errno != EOPNOTSUPP) {
        error_setg_errno(errp, errno, "fallocate of bytes 0x%" PRIx64
                         "-0x%" PRIx64 " of %s failed", offset,
                         offset + len - 1, fb->mem_path);
        return false;
    }
    /* A file system without fallocate: blocks come when first written. */
    return true;
}
