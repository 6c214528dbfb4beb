/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest-physical address space and the I/O port space.
 *
 * RAM-like regions map guest-physical ranges to host memory (guest RAM,
 * NVDIMM regions).  MMIO regions and I/O ports dispatch to device
 * callbacks.  Everything that reads or writes guest memory on behalf of a
 * device goes through guest_memory_read/write, which never touch host
 * memory outside a registered region.  Safe to call from any thread.
 */
#ifndef HW_CORE_MEMORY_H
#define HW_CORE_MEMORY_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct GuestRamRegion {
    const char *name;
    uint64_t gpa;
    uint64_t size;
    void *host;
    bool readonly;
    int slot_id;          /* accelerator's slot number, -1 if none */
} GuestRamRegion;

/*
 * Register a RAM-like region and map it into the VM (the listener below).
 * Fails, with nothing registered, when the range is empty, wraps,
 * overlaps a registered region, or the accelerator cannot map it.
 */
GuestRamRegion *guest_ram_add(const char *name, uint64_t gpa, uint64_t size,
                              void *host, bool readonly, Error **errp);
/* Unmap and unregister; the guest can no longer reach it on return. */
void guest_ram_del(GuestRamRegion *r);
/* Call @fn for each RAM region in address order. */
void guest_ram_foreach(void (*fn)(GuestRamRegion *r, void *opaque),
                       void *opaque);

/*
 * The accelerator's listener: called (outside the table lock) after a RAM
 * region is added and before one is removed, so that it can map it into
 * the VM (KVM memory slots).  A failed add fails guest_ram_add(), which
 * then drops the region again; removal cannot fail.  Regions added before
 * the listener was set are replayed to it, and the first that cannot be
 * mapped fails guest_ram_set_listener().
 */
typedef bool (*GuestRamListener)(GuestRamRegion *r, bool add, Error **errp);
bool guest_ram_set_listener(GuestRamListener fn, Error **errp);

/*
 * Host pointer for [gpa, gpa+len) if it lies wholly inside one RAM region
 * (and that region is writable when @write), else NULL.  Overflow-safe.
 */
void *guest_ram_ptr(uint64_t gpa, uint64_t len, bool write);

/*
 * Copy between guest-physical memory and a host buffer.  Crosses region
 * boundaries and dispatches MMIO.  Unbacked bytes read as 0xFF and writes
 * to them are dropped (as on real hardware); returns false if any byte was
 * unbacked or read-only.  RAM is copied under a SIGBUS guard
 * (qemu/guarded-mem.h): a page the host cannot provide (a truncated
 * backing file, a full file system) fails the access like an unbacked
 * one, logged as a rate-limited guest error naming the file.
 */
bool guest_memory_read(uint64_t gpa, void *buf, uint64_t len);
bool guest_memory_write(uint64_t gpa, const void *buf, uint64_t len);

/*
 * A guest access the host could not serve (KVM_RUN's EFAULT): what is
 * known, in words (g_free).  With @gpa_known, the region at @gpa and what
 * is wrong with its backing there; otherwise every registered mapping
 * with a visible problem (a file truncated while mapped, a full file
 * system), or a list of the usual causes.
 */
char *guest_memory_explain_fault(bool gpa_known, uint64_t gpa);

typedef struct MMIOOps {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t val, unsigned size);
} MMIOOps;

typedef struct IOPortOps {
    uint32_t (*read)(void *opaque, uint16_t offset, unsigned size);
    void (*write)(void *opaque, uint16_t offset, uint32_t val, unsigned size);
} IOPortOps;

/* Ranges must not overlap existing ones; returns false if they do. */
bool mmio_register(const char *name, uint64_t gpa, uint64_t size,
                   const MMIOOps *ops, void *opaque);
void mmio_unregister(uint64_t gpa);
/* Returns false if no region claims @gpa (read data is then all ones). */
bool mmio_read(uint64_t gpa, void *data, unsigned size);
bool mmio_write(uint64_t gpa, const void *data, unsigned size);

bool ioport_register(const char *name, uint16_t base, uint16_t len,
                     const IOPortOps *ops, void *opaque);
void ioport_unregister(uint16_t base);
/* Unclaimed ports read as all ones; writes to them are dropped. */
uint32_t ioport_read(uint16_t port, unsigned size);
void ioport_write(uint16_t port, uint32_t val, unsigned size);

#endif
