/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host memory backends: memory-backend-file and memory-backend-ram
 * (-object / object_add), which NVDIMMs and guest RAM map.
 */
#ifndef SYSEMU_HOSTMEM_H
#define SYSEMU_HOSTMEM_H

#include "qom/object.h"
#include "qemu/startup-undo.h"

#define TYPE_MEMORY_BACKEND         "memory-backend"
#define TYPE_MEMORY_BACKEND_FILE    "memory-backend-file"
#define TYPE_MEMORY_BACKEND_RAM     "memory-backend-ram"

/* Property names (the user-visible interface). */
#define HOSTMEM_PROP_SIZE           "size"
#define HOSTMEM_PROP_SHARE          "share"
#define HOSTMEM_PROP_PREALLOC       "prealloc"
#define HOSTMEM_PROP_RESERVE        "reserve"
#define HOSTMEM_PROP_DUMP           "dump"
#define HOSTMEM_PROP_MERGE          "merge"
#define HOSTMEM_PROP_POLICY         "policy"
#define HOSTMEM_PROP_HOST_NODES     "host-nodes"
#define HOSTMEM_PROP_PREALLOC_THREADS "prealloc-threads"
#define HOSTMEM_PROP_X_USE_CANONICAL_PATH "x-use-canonical-path-for-ramblock-id"
#define HOSTMEM_FILE_PROP_MEM_PATH  "mem-path"
#define HOSTMEM_FILE_PROP_ALIGN     "align"
#define HOSTMEM_FILE_PROP_PMEM      "pmem"
#define HOSTMEM_FILE_PROP_READONLY  "readonly"
#define HOSTMEM_FILE_PROP_DISCARD_DATA "discard-data"

typedef struct HostMemoryBackend {
    Object parent_obj;
    /* properties */
    uint64_t size;
    bool share;
    bool prealloc;
    bool reserve;
    bool dump;
    bool merge;
    int policy;                 /* default | preferred | bind | interleave */
    char *host_nodes;
    uint32_t prealloc_threads;
    bool x_use_canonical_path;
    /* state */
    void *ptr;                  /* host mapping of [0, size) */
    uint64_t mapped_size;       /* == size once complete */
    bool mapped;
    bool is_used;               /* taken by a device (memdev) */
    /* Page size of the mapping (4 KiB, or the huge page size). */
    uint64_t page_size;
    gint syncs;                 /* atomic: host_memory_backend_sync()s */
} HostMemoryBackend;

typedef struct HostMemoryBackendFile {
    HostMemoryBackend parent_obj;
    char *mem_path;
    uint64_t align;             /* 0: the mapping's page size */
    bool pmem;
    bool readonly;
    bool discard_data;
    int fd;
    /* This run created the file or extended it from empty: undone if
     * start-up does not complete (include/qemu/startup-undo.h). */
    StartupUndo *undo;
    /* What the mapping really guarantees, for "are my writes persistent?" */
    bool is_dax;                /* mapped with MAP_SYNC on a DAX file */
    bool is_pmem;               /* libpmem says the range is real pmem */
} HostMemoryBackendFile;

#define MEMORY_BACKEND(obj) ((HostMemoryBackend *)(obj))
#define MEMORY_BACKEND_FILE(obj) ((HostMemoryBackendFile *)(obj))

bool object_is_memory_backend(Object *obj);
bool object_is_memory_backend_file(Object *obj);

/*
 * Alignment of anonymous guest RAM: QEMU maps it at QEMU_VMALLOC_ALIGN,
 * 2 MiB on x86-64 so that KVM can use transparent huge pages, and reports
 * that as the memory region's alignment.
 */
#define HOSTMEM_RAM_ALIGN (2 * MiB)

/*
 * The machine's own RAM when no memory-backend is named (-m alone):
 * private anonymous memory at a HOSTMEM_RAM_ALIGN-aligned address,
 * reserved as QEMU reserves it (no MAP_NORESERVE: the kernel refuses RAM
 * it could never provide at start-up, not when the guest touches it), with
 * THP requested and KSM merging and core dumps as given (merge=false
 * leaves KSM off, as it is for memory never marked mergeable).  NULL with errno
 * set on failure; munmap(ptr, size) frees it.
 */
void *host_ram_alloc(uint64_t size, bool merge, bool dump);

/* Alignment a device must use for this backend (QEMU: the RAM block's
 * alignment: max(page size, align)). */
uint64_t host_memory_backend_get_align(HostMemoryBackend *b);
bool host_memory_backend_is_mapped(HostMemoryBackend *b);
void host_memory_backend_set_used(HostMemoryBackend *b, bool used);
bool host_memory_backend_is_used(HostMemoryBackend *b);
/* True for readonly=on file backends. */
bool host_memory_backend_is_readonly(HostMemoryBackend *b);

/*
 * Copy into the backend at @offset and make it durable as far as the
 * backend can: pmem_memcpy_persist on real pmem, else memcpy + msync of
 * the touched pages for shared file mappings.  Bounds are the caller's.
 */
void host_memory_backend_write_persist(HostMemoryBackend *b, uint64_t offset,
                                       const void *buf, uint64_t len);
/*
 * Make the backing file durable: fdatasync() of a file backend (from a
 * worker thread: it may take long); nothing to do for the others.
 * Counted when it returned; false with the reason on failure.
 */
bool host_memory_backend_sync(HostMemoryBackend *b, Error **errp);
unsigned host_memory_backend_sync_count(HostMemoryBackend *b);
/* Flush everything the VMM wrote (msync of shared file mappings). */
void host_memory_backend_flush(HostMemoryBackend *b);

/*
 * The backend's last act, when it is deleted (object-del) or pmemvm exits
 * in an orderly way (QMP quit, the guest's power-off, a handled SIGTERM,
 * SIGINT or SIGHUP): a file backend with discard-data=on frees the file's
 * blocks and keeps its size (QEMU 7.2 does the same when it unparents its
 * backends at exit); any other backend flushes what the VMM wrote.
 */
void host_memory_backend_release(HostMemoryBackend *b);
/* host_memory_backend_release() for every backend: pmemvm exits. */
void host_memory_backends_release_all(void);

/*
 * "Are my guest's writes persistent?" (backends/hostmem-persist.c): what
 * survives what, decided from facts about the mapping.
 */
typedef enum HostMemPersistLevel {
    HOSTMEM_PERSIST_UNKNOWN,        /* not mapped yet */
    HOSTMEM_PERSIST_READ_ONLY,      /* the guest cannot write */
    HOSTMEM_PERSIST_VOLATILE,       /* lost when pmemvm exits */
    HOSTMEM_PERSIST_HOST_RAM,       /* in a file in host RAM: lost at reboot */
    HOSTMEM_PERSIST_PAGE_CACHE,     /* in the file; a host crash loses what
                                       was not written back */
    HOSTMEM_PERSIST_PERSISTENT,     /* DAX + MAP_SYNC */
    HOSTMEM_PERSIST_DISCARDED,      /* discard-data=on: freed at exit */
} HostMemPersistLevel;

typedef struct HostMemPersistFacts {
    bool mapped;
    bool is_file;                   /* memory-backend-file */
    bool readonly;
    bool share;
    bool pmem;                      /* pmem=on */
    bool map_sync;                  /* mapped with MAP_SYNC (a DAX file) */
    bool in_host_ram;               /* tmpfs, ramfs or hugetlbfs */
    bool discard_data;              /* discard-data=on */
} HostMemPersistFacts;

typedef struct HostMemPersistence {
    HostMemPersistLevel level;
    const char *name;               /* "persistent", "page-cache", ... */
    /* Do the guest's writes survive ... (false when it cannot write) */
    bool survives_exit;             /* pmemvm exiting or being killed */
    bool survives_host_reboot;      /* a clean reboot of the host */
    bool survives_host_crash;       /* power loss, kernel panic */
    const char *detail;             /* one line for people */
} HostMemPersistence;

/* The decision, from @f alone (unit-testable with any facts). */
void hostmem_persistence_decide(const HostMemPersistFacts *f,
                                HostMemPersistence *out);
/* What survives what, in words ("guest writes survive pmemvm's exit..."). */
const char *hostmem_persistence_survival(const HostMemPersistence *p);
/* The facts of @b's mapping, and the decision for them. */
void host_memory_backend_get_persistence(HostMemoryBackend *b,
                                         HostMemPersistence *out);
/*
 * The detail line of that decision, e.g. "persistent: DAX file mapped
 * with MAP_SYNC (pmem=on,share=on); ..." or "volatile: share=off ...".
 */
const char *host_memory_backend_persistence(HostMemoryBackend *b);

#endif
