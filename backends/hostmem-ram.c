/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory-backend-ram: anonymous host memory, private to pmemvm (or
 * MAP_SHARED|MAP_ANONYMOUS with share=on, shared with child processes
 * only).  Volatile by nature.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "hostmem-internal.h"

#include <sys/mman.h>

static bool ram_backend_complete(Object *obj, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    uint64_t page = hostmem_host_page_size();
    uint64_t size;
    int flags;
    void *ptr;

    if (!hostmem_check_props(b, errp)) {
        return false;
    }
    size = QEMU_ALIGN_UP(b->size, page);
    flags = MAP_ANONYMOUS | (b->share ? MAP_SHARED : MAP_PRIVATE) |
            (b->reserve ? 0 : MAP_NORESERVE);
    /* Aligned like the file backend's mapping; see HOSTMEM_RAM_ALIGN. */
    ptr = hostmem_map_aligned(size, host_memory_backend_get_align(b),
                              PROT_READ | PROT_WRITE, flags, -1);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'",
                         hostmem_name(b));
        return false;
    }
    b->ptr = ptr;
    b->mapped_size = size;
    b->page_size = page;
    b->mapped = true;
    if (!hostmem_finish_map(b, -1, errp)) {
        munmap(ptr, size);
        b->ptr = NULL;
        b->mapped_size = 0;
        b->mapped = false;
        return false;
    }
    return true;
}

static const TypeInfo hostmem_ram_type_info = {
    .name = TYPE_MEMORY_BACKEND_RAM,
    .parent = TYPE_MEMORY_BACKEND,
    .kind = OBJECT_KIND_OBJECT,
    .instance_size = sizeof(HostMemoryBackend),
    .desc = "anonymous guest memory",
    .complete = ram_backend_complete,
};

static void hostmem_ram_register_types(void)
{
    type_register(&hostmem_ram_type_info);
}

type_init(hostmem_ram_register_types)
