/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Are my guest's writes persistent?", the question QEMU's documentation
 * leaves open ("currently, no way is provided to test for them").  The
 * answer depends on where guest stores land and what makes them durable:
 *
 *   anonymous RAM, share=off      private pages: gone when pmemvm exits
 *   a file on tmpfs/hugetlbfs     the file outlives pmemvm, not the host
 *   share=on, page cache          the kernel writes dirty pages back
 *                                 (also after SIGKILL) and on a clean
 *                                 reboot; a crash loses what was not
 *                                 written back yet, unless it was flushed
 *                                 (pmemvm msyncs its own label writes and
 *                                 everything at exit)
 *   discard-data=on               share=on, but the file's blocks are
 *                                 freed at every orderly exit
 *   MAP_SYNC on DAX (pmem=on)     stores reach the media once the guest
 *                                 flushes its CPU caches (clwb/clflushopt),
 *                                 which the NFIT persistence domain asks
 *
 * The decision is a pure function of facts about the mapping, so that
 * the DAX case can be tested where no DAX file system exists.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"

static void set(HostMemPersistence *out, HostMemPersistLevel level,
                const char *name, bool exit, bool reboot, bool crash,
                const char *detail)
{
    *out = (HostMemPersistence) {
        .level = level,
        .name = name,
        .survives_exit = exit,
        .survives_host_reboot = reboot,
        .survives_host_crash = crash,
        .detail = detail,
    };
}

void hostmem_persistence_decide(const HostMemPersistFacts *f,
                                HostMemPersistence *out)
{
    if (!f->mapped) {
        set(out, HOSTMEM_PERSIST_UNKNOWN, "unknown", false, false, false,
            "unknown: the backend is not mapped yet");
    } else if (!f->is_file) {
        set(out, HOSTMEM_PERSIST_VOLATILE, "volatile", false, false, false,
            "volatile: memory-backend-ram is anonymous memory, "
            "lost when pmemvm exits");
    } else if (f->readonly) {
        set(out, HOSTMEM_PERSIST_READ_ONLY, "read-only", false, false, false,
            "read-only: readonly=on maps the file read-only; "
            "the guest cannot change it");
    } else if (!f->share) {
        set(out, HOSTMEM_PERSIST_VOLATILE, "volatile", false, false, false,
            "volatile: share=off maps the file privately; "
            "guest writes never reach the file");
    } else if (f->discard_data) {
        set(out, HOSTMEM_PERSIST_DISCARDED, "discarded", false, false, false,
            "discarded: discard-data=on frees the file's blocks when pmemvm "
            "exits (quit, guest power-off, SIGTERM/SIGINT/SIGHUP); only a "
            "pmemvm that is killed or crashes leaves guest writes in the "
            "file");
    } else if (f->pmem && f->map_sync) {
        set(out, HOSTMEM_PERSIST_PERSISTENT, "persistent", true, true, true,
            "persistent: DAX file mapped with MAP_SYNC (pmem=on,share=on); "
            "durable once the guest flushes its CPU caches");
    } else if (f->in_host_ram) {
        set(out, HOSTMEM_PERSIST_HOST_RAM, "host-ram", true, false, false,
            "volatile: share=on on tmpfs/hugetlbfs; guest writes reach "
            "the file, but it lives in host RAM");
    } else if (f->pmem) {
        set(out, HOSTMEM_PERSIST_PAGE_CACHE, "page-cache", true, true, false,
            "not persistent across host crash: pmem=on,share=on but the "
            "file is not on DAX (MAP_SYNC refused); guest writes reach "
            "the page cache and are durable only after msync/fsync "
            "(pmemvm msyncs on exit and on label writes)");
    } else {
        set(out, HOSTMEM_PERSIST_PAGE_CACHE, "page-cache", true, true, false,
            "not persistent across host crash: share=on without MAP_SYNC "
            "(pmem=off); guest writes reach the file but are durable only "
            "after msync/fsync (pmemvm msyncs on exit and on label writes)");
    }
}

const char *hostmem_persistence_survival(const HostMemPersistence *p)
{
    switch (p->level) {
    case HOSTMEM_PERSIST_PERSISTENT:
        return "guest writes survive pmemvm's exit, a host reboot and a "
               "host crash";
    case HOSTMEM_PERSIST_PAGE_CACHE:
        return "guest writes survive pmemvm's exit and a host reboot, not "
               "a host crash";
    case HOSTMEM_PERSIST_HOST_RAM:
        return "guest writes survive pmemvm's exit, not a host reboot or "
               "crash";
    case HOSTMEM_PERSIST_VOLATILE:
        return "guest writes are lost when pmemvm exits";
    case HOSTMEM_PERSIST_DISCARDED:
        return "guest writes are discarded when pmemvm exits";
    case HOSTMEM_PERSIST_READ_ONLY:
        return "the guest cannot write";
    case HOSTMEM_PERSIST_UNKNOWN:
    default:
        return "unknown";
    }
}
