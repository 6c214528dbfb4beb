/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guarded access to memory the host may take away.
 *
 * Guest memory is mapped from files.  When a page of such a mapping
 * cannot be had - a hole on a full file system (tmpfs allocates even for
 * a read), a page past the end of a file truncated under us, a page the
 * host's memory-failure handling poisoned - the access raises SIGBUS,
 * which would end the process.  Every access pmemvm itself makes to
 * guest-backed memory goes through guarded_run() or guarded_memcpy():
 * a per-thread sigsetjmp frame that the SIGBUS handler jumps back to, so
 * the access fails and its caller answers an error (a DSM status, a
 * virtio error, a start-up message).  QEMU guards its preallocation the
 * same way (util/oslib-posix.c, per-thread, sigsetjmp/siglongjmp).
 *
 * Why not pread()/pwrite() of the backing file instead: they are wrong
 * for share=off (the guest's view is the private copy, not the file), do
 * not exist for device DAX or anonymous memory, and pwrite() past the end
 * of a truncated file would extend it; the guarded copy sees exactly what
 * the guest sees for every kind of mapping and never changes the file.
 * (backends/hostmem.c still falls back to pread() for a *read* that
 * faults, where that gives the same bytes: see host_memory_backend_read.)
 *
 * A SIGBUS outside any guard is reported (which mapping, which file) and
 * then ends the process as the default action would: it is a bug.  Two
 * exceptions: BUS_MCEERR_AO ("action optional": a page was poisoned but
 * nobody touched it) is logged and ignored, and a thread that asked for
 * it (a vCPU thread around KVM_RUN, where KVM sends BUS_MCEERR_AR for a
 * poisoned guest page) gets the error recorded for guarded_mem_take_error.
 *
 * Mappings are registered with a name and an "explain" callback so that
 * a fault can be described in words: "memory-backend-file 'mem0'
 * (/path), offset 0x1000: ... truncated to 0 bytes".
 */
#ifndef QEMU_GUARDED_MEM_H
#define QEMU_GUARDED_MEM_H

#include "qemu/osdep.h"

typedef struct MemFault {
    void *addr;                 /* the faulting host address */
    int code;                   /* si_code: BUS_ADRERR, BUS_MCEERR_AR, ... */
} MemFault;

/* Install the SIGBUS handler (once; the guards below do it too). */
void guarded_mem_init(void);

/*
 * Run @fn(@opaque) with SIGBUS guarded on this thread.  False, with
 * *@fault filled in (if not NULL), when it faulted: @fn is then abandoned
 * where it was, so it must not allocate, take locks or leave other state
 * half-changed.  Guards nest; each thread has its own.
 */
typedef void (*GuardedFn)(void *opaque);
bool guarded_run(GuardedFn fn, void *opaque, MemFault *fault);
/* memcpy/memset under a guard; false (part may be done) on a fault. */
bool guarded_memcpy(void *dst, const void *src, size_t len, MemFault *fault);
bool guarded_memset(void *dst, int c, size_t len, MemFault *fault);

/*
 * While on (per thread), a BUS_MCEERR_AR/AO SIGBUS outside a guard is
 * recorded instead of ending the process; guarded_mem_take_error() then
 * returns it once.  For vCPU threads around KVM_RUN only.
 */
void guarded_mem_defer_errors(bool on);
bool guarded_mem_take_error(MemFault *fault);

/*
 * Says what is wrong at @offset of a registered mapping (g_free), or -
 * with @offset MAPPED_RANGE_ANYWHERE - what is wrong with it at all (NULL
 * if nothing is seen).  Called with the registry's lock held: no
 * registering from inside.
 */
#define MAPPED_RANGE_ANYWHERE UINT64_MAX
typedef char *(*MappedRangeExplainFn)(void *opaque, uint64_t offset,
                                      int code);

/*
 * Register [@start, @start + @len) as @name (copied, e.g.
 * "memory-backend-file 'mem0' (/path)") with @explain (may be NULL).
 * Remove it before unmapping.
 */
void mapped_range_add(void *start, uint64_t len, const char *name,
                      MappedRangeExplainFn explain, void *opaque);
void mapped_range_remove(void *start);
/*
 * @f in words (g_free): "NAME, offset 0x...: WHY", or the host address
 * and the kind of fault when no registered mapping holds it.
 */
char *mem_fault_describe(const MemFault *f);
/*
 * For a fault whose address is unknown (KVM_RUN's EFAULT): every
 * registered mapping whose explain callback sees a problem, "; "-joined
 * as "NAME: WHY" (g_free), or NULL when none does.
 */
char *mapped_range_diagnose(void);

#endif
