/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watching backing files for what the host does to them behind pmemvm's
 * back: a file truncated while mapped, or a sparse file whose file system
 * fills up.  pmemvm's own accesses to such pages fail softly and say why
 * (hostmem-access.c), but the guest's own accesses under KVM meet a page
 * the kernel cannot provide: KVM_RUN then fails with EFAULT, which stops
 * the VM with a message (accel/kvm/kvm-vcpu.c), or - seen with Linux 6.1's
 * KVM, and QEMU 7.2 the same - the vCPU retries for ever and the guest
 * hangs with nothing said.  So once a second the main loop looks at every
 * mapped backing file and says, once per change, when one is cut short or
 * has no room left for its holes, and when that is over.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "hostmem-internal.h"

#include <sys/stat.h>
#include <sys/vfs.h>

#define HOSTMEM_WATCH_INTERVAL_MS   1000

typedef struct HostMemWatch {
    HostMemoryBackend *b;
    bool truncated;             /* as last seen */
    bool no_room;
} HostMemWatch;

static GMutex watch_lock;
static GPtrArray *watched;          /* HostMemWatch* */
static guint watch_source;

uint64_t hostmem_fs_free(int fd)
{
    struct statfs fs;

    if (fstatfs(fd, &fs) < 0) {
        return UINT64_MAX;
    }
    return (uint64_t)(geteuid() ? fs.f_bavail : fs.f_bfree) * fs.f_bsize;
}

static void hostmem_watch_one(HostMemWatch *w)
{
    HostMemoryBackend *b = w->b;
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(b);
    uint64_t size, allocated;
    bool truncated, no_room;
    struct stat st;

    if (fb->fd < 0 || fstat(fb->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        return;
    }
    size = st.st_size;
    allocated = (uint64_t)st.st_blocks * 512;
    truncated = size < b->mapped_size;
    no_room = !truncated && allocated < MIN(size, b->mapped_size) &&
              hostmem_fs_free(fb->fd) < b->page_size;
    if (truncated && !w->truncated) {
        warn_report("backend '%s': %s was truncated to %" PRIu64 " bytes "
                    "while mapped (%" PRIu64 " bytes): guest accesses to "
                    "the lost part cannot be served (the guest hangs there, "
                    "or the VM stops) until the file has its size back",
                    hostmem_name(b), fb->mem_path, size, b->mapped_size);
    } else if (!truncated && w->truncated) {
        info_report("backend '%s': %s has its size back (%" PRIu64 " bytes); "
                    "what was in the lost part now reads as zeros",
                    hostmem_name(b), fb->mem_path, size);
    }
    if (no_room && !w->no_room) {
        warn_report("backend '%s': the file system of %s is full and the "
                    "file is sparse (%" PRIu64 " of %" PRIu64 " bytes "
                    "allocated): guest accesses to its holes cannot be "
                    "served (the guest hangs there, or the VM stops) until "
                    "there is room", hostmem_name(b), fb->mem_path,
                    allocated, size);
    } else if (!no_room && w->no_room && !truncated) {
        info_report("backend '%s': the file system of %s has room again",
                    hostmem_name(b), fb->mem_path);
    }
    w->truncated = truncated;
    w->no_room = no_room;
}

void host_memory_backend_watch_check(void)
{
    guint i;

    g_mutex_lock(&watch_lock);
    for (i = 0; watched && i < watched->len; i++) {
        hostmem_watch_one(g_ptr_array_index(watched, i));
    }
    g_mutex_unlock(&watch_lock);
}

static gboolean hostmem_watch_tick(gpointer opaque)
{
    host_memory_backend_watch_check();
    return G_SOURCE_CONTINUE;
}

void hostmem_watch_add(HostMemoryBackend *b)
{
    HostMemWatch *w;

    if (!object_is_memory_backend_file(OBJECT(b))) {
        return;
    }
    w = g_new0(HostMemWatch, 1);
    w->b = b;
    g_mutex_lock(&watch_lock);
    if (!watched) {
        watched = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(watched, w);
    if (!watch_source) {
        watch_source = g_timeout_add(HOSTMEM_WATCH_INTERVAL_MS,
                                     hostmem_watch_tick, NULL);
    }
    g_mutex_unlock(&watch_lock);
}

void hostmem_watch_remove(HostMemoryBackend *b)
{
    guint i;

    g_mutex_lock(&watch_lock);
    for (i = 0; watched && i < watched->len; i++) {
        HostMemWatch *w = g_ptr_array_index(watched, i);

        if (w->b == b) {
            g_ptr_array_remove_index(watched, i);
            break;
        }
    }
    g_mutex_unlock(&watch_lock);
}
