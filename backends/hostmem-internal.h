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
void *hostmem_map_aligned(uint64_t len, uint64_t align, int prot, int flags,
                          int fd);
bool hostmem_finish_map(HostMemoryBackend *b, int fd, Error **errp);
uint64_t hostmem_host_page_size(void);
const char *hostmem_name(HostMemoryBackend *b);
/* hostmem-file.c: discard-data=on's discard. */
void hostmem_file_discard(HostMemoryBackendFile *fb);

#endif
