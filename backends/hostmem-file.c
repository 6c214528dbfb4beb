/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory-backend-file: guest memory mapped from a file, a directory (an
 * unlinked temporary file in it), a hugetlbfs file or a device-DAX
 * character device.  Checks and messages follow QEMU 7.2
 * (backends/hostmem-file.c, softmmu/physmem.c, util/mmap-alloc.c);
 * unlike QEMU, a non-empty file is never resized and pmem=on without
 * libpmem is refused with a message that says why.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "sysemu/hostmem.h"
#include "hostmem-internal.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#if CONFIG_LIBPMEM
#include <libpmem.h>
#endif

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

/* Prefix of the temporary file made when mem-path names a directory. */
#define FILE_BACKEND_TMP_PREFIX "pmemvm_back_mem."

/*
 * Open mem-path as QEMU does: an existing file or device is used as is; a
 * missing one is created (never with readonly=on); in a directory an
 * unlinked temporary file is made.  *created says whether to unlink the
 * file again if the backend fails.
 */
static int file_backend_open(HostMemoryBackendFile *fb, bool *created,
                             Error **errp)
{
    const char *path = fb->mem_path;
    bool readonly = fb->readonly;
    struct stat st;
    int fd;

    *created = false;
    for (;;) {
        fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd >= 0) {
            if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
                /* O_RDONLY opens a directory: treat it like EISDIR. */
                close(fd);
                errno = EISDIR;
            } else {
                return fd;
            }
        }
        if (errno == ENOENT && !readonly) {
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd >= 0) {
                *created = true;
                return fd;
            }
        } else if (errno == EISDIR && !readonly) {
            g_autofree char *name = g_strdup(OBJECT(fb)->id ?
                                             OBJECT(fb)->id : "anon");
            g_autofree char *tmpl = NULL;
            char *c;

            for (c = name; *c; c++) {
                if (*c == '/') {
                    *c = '_';
                }
            }
            tmpl = g_strdup_printf("%s/" FILE_BACKEND_TMP_PREFIX "%s.XXXXXX",
                                   path, name);
            fd = mkostemp(tmpl, O_CLOEXEC);
            if (fd >= 0) {
                unlink(tmpl);
                return fd;
            }
        }
        if (errno != EEXIST && errno != EINTR) {
            error_setg_errno(errp, errno,
                             "can't open backing store %s for guest RAM",
                             path);
            return -1;
        }
        /* Raced with someone creating or removing the file: try again. */
    }
}

/* The mapping's page size: the huge page size on hugetlbfs. */
static uint64_t file_backend_page_size(int fd)
{
    struct statfs fs;
    int ret;

    do {
        ret = fstatfs(fd, &fs);
    } while (ret < 0 && errno == EINTR);
    if (ret == 0 && fs.f_type == HUGETLBFS_MAGIC) {
        return fs.f_bsize;
    }
    return hostmem_host_page_size();
}

static bool file_backend_is_hugetlbfs(int fd)
{
    struct statfs fs;

    return fstatfs(fd, &fs) == 0 && fs.f_type == HUGETLBFS_MAGIC;
}

/* Read a number from a sysfs attribute of a character device. */
static int64_t chardev_sysfs_number(const struct stat *st, const char *attr)
{
    g_autofree char *path = g_strdup_printf("/sys/dev/char/%u:%u/%s",
                                            major(st->st_rdev),
                                            minor(st->st_rdev), attr);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    return g_ascii_strtoll(text, NULL, 0);
}

static bool chardev_is_devdax(const struct stat *st)
{
    g_autofree char *link = g_strdup_printf("/sys/dev/char/%u:%u/subsystem",
                                            major(st->st_rdev),
                                            minor(st->st_rdev));
    g_autofree char *target = g_file_read_link(link, NULL);

    return target && g_str_has_suffix(target, "/dax");
}

/*
 * Size of the backing store: the device size for device DAX (whose
 * st_size is 0), else the end of the file.  Negative errno on failure.
 */
static int64_t file_backend_file_size(int fd)
{
    struct stat st;
    off_t end;

    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    if (S_ISCHR(st.st_mode) && chardev_is_devdax(&st)) {
        int64_t size = chardev_sysfs_number(&st, "size");

        if (size >= 0) {
            return size;
        }
    }
    end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
        return -errno;
    }
    return end;
}

static bool file_backend_is_regular(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Alignment a device-DAX device requires of its mappings, or 0. */
static uint64_t file_backend_devdax_align(int fd)
{
    struct stat st;
    int64_t align;

    if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
        !chardev_is_devdax(&st)) {
        return 0;
    }
    align = chardev_sysfs_number(&st, "align");
    return align > 0 ? align : 0;
}

/* Give an empty (new) backing file its size.  Never called otherwise. */
static bool file_backend_extend(HostMemoryBackendFile *fb, int fd,
                                uint64_t size, Error **errp)
{
    struct stat st;

    if (fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "can't stat backing store %s",
                         fb->mem_path);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        /* Devices have the size they have; mmap will tell. */
        return true;
    }
    if (ftruncate(fd, size) < 0 && !file_backend_is_hugetlbfs(fd)) {
        /* (Old hugetlbfs cannot ftruncate; QEMU ignores that too.) */
        error_setg_errno(errp, errno,
                         "can't extend backing store %s to 0x%" PRIx64
                         " bytes", fb->mem_path, size);
        return false;
    }
    return true;
}

/*
 * Map the file.  pmem=on,share=on asks for MAP_SYNC, which only DAX
 * files grant; otherwise map it plainly and say that guest writes are
 * not guaranteed to be persistent.
 */
static void *file_backend_map(HostMemoryBackendFile *fb, int fd,
                              uint64_t size, uint64_t align)
{
    HostMemoryBackend *b = MEMORY_BACKEND(fb);
    int prot = PROT_READ | (fb->readonly ? 0 : PROT_WRITE);
    int flags = (b->share ? MAP_SHARED : MAP_PRIVATE) |
                (b->reserve ? 0 : MAP_NORESERVE);
    void *ptr;
    int sync_errno;

    fb->is_dax = false;
    if (!(fb->pmem && b->share && !fb->readonly)) {
        return hostmem_map_aligned(size, align, prot, flags, fd);
    }
    ptr = hostmem_map_aligned(size, align, prot,
                              flags | MAP_SHARED_VALIDATE | MAP_SYNC, fd);
    if (ptr != MAP_FAILED) {
        fb->is_dax = true;
        return ptr;
    }
    sync_errno = errno;
    ptr = hostmem_map_aligned(size, align, prot, flags, fd);
    if (ptr != MAP_FAILED) {
        warn_report("backend '%s': %s is not on DAX (MAP_SYNC refused: %s), "
                    "so it is mapped without MAP_SYNC and guest writes are "
                    "not guaranteed to be persistent across a host crash "
                    "despite pmem=on", hostmem_name(b), fb->mem_path,
                    g_strerror(sync_errno));
    }
    return ptr;
}

static bool file_backend_complete(Object *obj, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(obj);
    uint64_t page, size, align, dev_align;
    int64_t file_size;
    bool created, extended = false;
    void *ptr;
    int fd;

    /* Mandatory members of QEMU's QAPI schema, checked in its order. */
    if (!object_property_is_set(obj, HOSTMEM_PROP_SIZE)) {
        error_setg(errp, "Parameter '%s' is missing", HOSTMEM_PROP_SIZE);
        return false;
    }
    if (!fb->mem_path) {
        error_setg(errp, "Parameter '%s' is missing",
                   HOSTMEM_FILE_PROP_MEM_PATH);
        return false;
    }
#if !CONFIG_LIBPMEM
    if (fb->pmem) {
        error_setg(errp, "%s=on cannot be honoured: pmemvm was built "
                   "without libpmem, so it cannot make its own writes to "
                   "backend '%s' persistent", HOSTMEM_FILE_PROP_PMEM,
                   hostmem_name(b));
        error_append_hint(errp, "Rebuild pmemvm with libpmem "
                          "(meson -Dlibpmem=enabled), or drop %s=on.\n",
                          HOSTMEM_FILE_PROP_PMEM);
        return false;
    }
#endif
    if (!hostmem_check_props(b, errp)) {
        return false;
    }

    fd = file_backend_open(fb, &created, errp);
    if (fd < 0) {
        return false;
    }
    page = file_backend_page_size(fd);
    size = QEMU_ALIGN_UP(b->size, hostmem_host_page_size());

    file_size = file_backend_file_size(fd);
    if (file_size < 0) {
        error_setg_errno(errp, -file_size,
                         "can't get the size of backing store %s",
                         fb->mem_path);
        goto fail;
    }
    /*
     * A non-empty regular file is never truncated nor extended, and must
     * have exactly the requested size: a larger file would otherwise have
     * its tail silently ignored (and a label area placed in the middle of
     * the user's data).  QEMU 7.2 refuses only smaller files; a device
     * (device DAX) may still be larger than 'size', as in QEMU.
     */
    if (file_size > 0 &&
        ((uint64_t)file_size < size ||
         ((uint64_t)file_size != size && file_backend_is_regular(fd)))) {
        error_setg(errp, "backing store size 0x%" PRIx64
                   " does not match 'size' option 0x%" PRIx64,
                   (uint64_t)file_size, size);
        error_append_hint(errp, "pmemvm never truncates nor extends a "
                          "non-empty backing file; %s is left as it is.\n",
                          fb->mem_path);
        goto fail;
    }
    dev_align = file_backend_devdax_align(fd);
    if (dev_align > fb->align) {
        error_setg(errp, "backing store align 0x%" PRIx64
                   " is larger than 'align' option 0x%" PRIx64,
                   dev_align, fb->align);
        error_append_hint(errp, "Set %s=0x%" PRIx64 " for this device-DAX "
                          "device.\n", HOSTMEM_FILE_PROP_ALIGN, dev_align);
        goto fail;
    }
    if (fb->align % page) {
        error_setg(errp, "alignment 0x%" PRIx64
                   " must be multiples of page size 0x%" PRIx64,
                   fb->align, page);
        goto fail;
    } else if (fb->align && !is_power_of_2(fb->align)) {
        error_setg(errp, "alignment 0x%" PRIx64 " must be a power of two",
                   fb->align);
        goto fail;
    }
    align = MAX(page, fb->align);
    if (size < page) {
        error_setg(errp, "memory size 0x%" PRIx64 " must be equal to "
                   "or larger than page size 0x%" PRIx64, size, page);
        goto fail;
    }
    size = QEMU_ALIGN_UP(size, page);

    if (file_size == 0) {
        if (fb->readonly) {
            error_setg(errp, "backing store %s is empty and cannot be "
                       "extended to 'size' 0x%" PRIx64 " with readonly=on",
                       fb->mem_path, size);
            goto fail;
        }
        if (!file_backend_extend(fb, fd, size, errp)) {
            goto fail;
        }
        extended = true;
    }

    if (fb->pmem && !b->share) {
        warn_report("backend '%s': pmem=on has no effect with share=off: "
                    "guest writes stay in private memory and never reach %s",
                    hostmem_name(b), fb->mem_path);
    }
    ptr = file_backend_map(fb, fd, size, align);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno,
                         "unable to map backing store for guest RAM");
        goto fail;
    }

    b->ptr = ptr;
    b->mapped_size = size;
    b->page_size = page;
    b->mapped = true;
    fb->fd = fd;
#if CONFIG_LIBPMEM
    fb->is_pmem = fb->pmem && b->share && !fb->readonly &&
                  (fb->is_dax || pmem_is_pmem(ptr, size));
#endif
    if (!hostmem_finish_map(b, fd, errp)) {
        munmap(ptr, size);
        b->ptr = NULL;
        b->mapped_size = 0;
        b->mapped = false;
        fb->fd = -1;
        fb->is_dax = false;
        fb->is_pmem = false;
        goto fail;
    }
    /* What a start-up that does not complete gives back. */
    if (created) {
        fb->undo = startup_undo_created(fb->mem_path, fd);
    } else if (extended) {
        fb->undo = startup_undo_extended(fb->mem_path, fd);
    }
    return true;

fail:
    if (created) {
        unlink(fb->mem_path);
    } else if (extended && ftruncate(fd, 0) < 0) {
        /* It was empty: leave it so.  Nothing to add if that fails. */
    }
    close(fd);
    return false;
}

/*
 * discard-data=on: free the file's blocks, keep its size.  MADV_REMOVE on
 * the shared mapping is what QEMU 7.2 does; a hole punched through the
 * descriptor is the same where madvise cannot.  Private and read-only
 * mappings never wrote to the file: nothing to discard.
 */
void hostmem_file_discard(HostMemoryBackendFile *fb)
{
    HostMemoryBackend *b = MEMORY_BACKEND(fb);
    int err;

    if (!b->ptr || !b->share || fb->readonly) {
        return;
    }
    if (madvise(b->ptr, b->mapped_size, MADV_REMOVE) == 0) {
        return;
    }
    err = errno;
    if (fb->fd >= 0 &&
        fallocate(fb->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                  b->mapped_size) == 0) {
        return;
    }
    warn_report("backend '%s': discard-data=on, but the contents of %s "
                "could not be discarded: %s", hostmem_name(b), fb->mem_path,
                g_strerror(err));
}

static void file_backend_init(Object *obj)
{
    MEMORY_BACKEND_FILE(obj)->fd = -1;
}

/*
 * On object-del: discard-data=on throws the contents away, as QEMU does;
 * otherwise what the VMM wrote is flushed.  The base type's finalize
 * runs next.
 */
static void file_backend_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(obj);

    if (b->ptr) {
        host_memory_backend_release(b);
        munmap(b->ptr, b->mapped_size);
        b->ptr = NULL;
        b->mapped = false;
    }
    startup_undo_forget(fb->undo);
    fb->undo = NULL;
    if (fb->fd >= 0) {
        close(fb->fd);
        fb->fd = -1;
    }
}

static const PropDef file_backend_props[] = {
    DEFINE_PROP(HOSTMEM_FILE_PROP_MEM_PATH, HostMemoryBackendFile, mem_path,
                PROP_TYPE_STRING, NULL,
                "file, directory (for a temporary file) or device to map"),
    DEFINE_PROP(HOSTMEM_FILE_PROP_ALIGN, HostMemoryBackendFile, align,
                PROP_TYPE_SIZE, NULL,
                "alignment of the mapping (power of two, multiple of the "
                "page size; 0: page size)"),
    DEFINE_PROP(HOSTMEM_FILE_PROP_PMEM, HostMemoryBackendFile, pmem,
                PROP_TYPE_BOOL, "off",
                "the file is persistent memory: map with MAP_SYNC and make "
                "pmemvm's writes persistent (needs libpmem)"),
    DEFINE_PROP(HOSTMEM_FILE_PROP_READONLY, HostMemoryBackendFile, readonly,
                PROP_TYPE_BOOL, "off", "open and map the file read-only"),
    DEFINE_PROP(HOSTMEM_FILE_PROP_DISCARD_DATA, HostMemoryBackendFile,
                discard_data, PROP_TYPE_BOOL, "off",
                "free the file's blocks when pmemvm exits (quit, guest "
                "power-off, SIGTERM/SIGINT/SIGHUP) or on object-del; a "
                "killed pmemvm or a failed start leaves them"),
    PROP_END,
};

/* MemoryBackendFileProperties in QEMU 7.2's qapi/qom.json. */
static const char *const file_backend_qapi_members[] = {
    HOSTMEM_FILE_PROP_ALIGN, HOSTMEM_FILE_PROP_DISCARD_DATA,
    HOSTMEM_FILE_PROP_MEM_PATH, HOSTMEM_FILE_PROP_PMEM,
    HOSTMEM_FILE_PROP_READONLY, NULL,
};
static const char *const file_backend_qapi_required[] = {
    HOSTMEM_FILE_PROP_MEM_PATH, NULL,
};

static const TypeInfo hostmem_file_type_info = {
    .name = TYPE_MEMORY_BACKEND_FILE,
    .parent = TYPE_MEMORY_BACKEND,
    .kind = OBJECT_KIND_OBJECT,
    .instance_size = sizeof(HostMemoryBackendFile),
    .props = file_backend_props,
    .qapi_members = file_backend_qapi_members,
    .qapi_required = file_backend_qapi_required,
    .desc = "guest memory mapped from a file or device",
    .instance_init = file_backend_init,
    .complete = file_backend_complete,
    .finalize = file_backend_finalize,
};

static void hostmem_file_register_types(void)
{
    type_register(&hostmem_file_type_info);
}

type_init(hostmem_file_register_types)
