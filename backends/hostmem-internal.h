/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the host memory backends (hostmem.c, hostmem-file.c,
 * hostmem-ram.c): the helpers hostmem.c implements for the concrete
 * types' complete() hooks.  Everything else uses include/sysemu/hostmem.h.
 */
#ifndef BACKENDS_HOSTMEM_INTERNAL_H
#define BACKENDS_HOSTMEM_INTERNAL_H

#include "qemu/osdep.h"
#include "sysemu/hostmem.h"

bool hostmem_check_props(HostMemoryBackend *b, Error **errp);

/* policy=, in the order of the kernel's MPOL_* modes. */
enum {
    HOSTMEM_POLICY_DEFAULT,
    HOSTMEM_POLICY_PREFERRED,
    HOSTMEM_POLICY_BIND,
    HOSTMEM_POLICY_INTERLEAVE,
};
const char *hostmem_policy_name(int policy);
/*
 * hostmem-numa.c: host-nodes= and policy= checked as QEMU does (before
 * anything is created), then the mapping bound with mbind(2) before it
 * is preallocated.
 */
bool hostmem_numa_check(HostMemoryBackend *b, Error **errp);
bool hostmem_numa_bind(HostMemoryBackend *b, Error **errp);
void *hostmem_map_aligned(uint64_t len, uint64_t align, int prot, int flags,
                          int fd);
bool hostmem_finish_map(HostMemoryBackend *b, int fd, Error **errp);
uint64_t hostmem_host_page_size(void);
const char *hostmem_name(HostMemoryBackend *b);
/* Shared, writable file mappings: their writes reach the file. */
bool hostmem_writes_reach_file(HostMemoryBackend *b);
/* msync(MS_SYNC) of the pages holding [offset, offset + len); errno. */
bool hostmem_msync(HostMemoryBackend *b, uint64_t offset, uint64_t len);
/*
 * hostmem-access.c: make faults in the mapping describable and have the
 * backing file watched (hostmem-watch.c); undo it before munmap.
 */
void hostmem_register_mapping(HostMemoryBackend *b);
void hostmem_unregister_mapping(HostMemoryBackend *b);
/* hostmem-watch.c: look at a file backend's file once a second. */
void hostmem_watch_add(HostMemoryBackend *b);
void hostmem_watch_remove(HostMemoryBackend *b);
/* Free bytes of @fd's file system for us (root may use the blocks
 * reserved for it); UINT64_MAX if unknown. */
uint64_t hostmem_fs_free(int fd);
/* hostmem-file.c: discard-data=on's discard. */
void hostmem_file_discard(HostMemoryBackendFile *fb);

#endif
