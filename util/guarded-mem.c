/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guarded access to memory the host may take away: see
 * include/qemu/guarded-mem.h.
 *
 * The handler is installed with SA_NODEFER and an empty sa_mask, so that
 * SIGBUS is never blocked while it runs: siglongjmp() back into the guard
 * then leaves the signal mask as it was, and sigsetjmp() need not save it
 * (a system call per guard otherwise; guest_memory_read/write use one for
 * every access).
 */
#include "qemu/osdep.h"
#include "qemu/guarded-mem.h"
#include "qapi/error.h"

#include <setjmp.h>
#include <signal.h>

/* Registered mappings: a fixed table the signal handler can read. */
#define MAPPED_RANGE_MAX    512

typedef struct MappedRange {
    uintptr_t start;            /* atomic; 0: free slot */
    uint64_t len;
    char *name;                 /* kept until the slot is reused */
    MappedRangeExplainFn explain;
    void *opaque;
} MappedRange;

typedef struct GuardFrame {
    sigjmp_buf jmp;
    struct GuardFrame *prev;
    MemFault fault;
} GuardFrame;

static MappedRange ranges[MAPPED_RANGE_MAX];
static GMutex ranges_lock;

static __thread GuardFrame *guard_top;
static __thread bool defer_errors;
static __thread bool error_pending;
static __thread MemFault pending_error;

/* ---- The handler (async-signal-safe from here to the next line) ---- */

typedef struct SigBuf {
    char text[512];
    size_t len;
} SigBuf;

static void sb_str(SigBuf *b, const char *s)
{
    while (s && *s && b->len < sizeof(b->text) - 1) {
        b->text[b->len++] = *s++;
    }
}

static void sb_hex(SigBuf *b, uint64_t v)
{
    char digits[19];
    int i = sizeof(digits);

    digits[--i] = 0;
    do {
        digits[--i] = "0123456789abcdef"[v & 0xF];
        v >>= 4;
    } while (v);
    digits[--i] = 'x';
    digits[--i] = '0';
    sb_str(b, digits + i);
}

static const char *sigbus_code_name(int code)
{
    switch (code) {
    case BUS_ADRERR:
        return "BUS_ADRERR: the page could not be provided";
    case BUS_MCEERR_AR:
        return "BUS_MCEERR_AR: hardware memory error";
    case BUS_MCEERR_AO:
        return "BUS_MCEERR_AO: hardware memory error (not consumed)";
    default:
        return "not from a memory access";
    }
}

/* Start of a line about @addr: "... at host address 0x.. (NAME, offset
 * 0x..)" using the table without its lock. */
static void sb_fault(SigBuf *b, const char *what, void *addr, int code)
{
    uintptr_t a = (uintptr_t)addr;
    unsigned i;

    sb_str(b, "pmemvm: ");
    sb_str(b, what);
    sb_str(b, " at host address ");
    sb_hex(b, a);
    sb_str(b, " (");
    sb_str(b, sigbus_code_name(code));
    sb_str(b, ")");
    for (i = 0; i < MAPPED_RANGE_MAX; i++) {
        uintptr_t start = __atomic_load_n(&ranges[i].start, __ATOMIC_ACQUIRE);

        if (start && a >= start && a - start < ranges[i].len) {
            sb_str(b, " in ");
            sb_str(b, ranges[i].name);
            sb_str(b, " at offset ");
            sb_hex(b, a - start);
            break;
        }
    }
}

static void sb_write(SigBuf *b)
{
    ssize_t n;

    b->text[b->len++] = '\n';
    do {
        n = write(STDERR_FILENO, b->text, b->len);
    } while (n < 0 && errno == EINTR);
}

static void sigbus_handler(int sig, siginfo_t *si, void *uctx)
{
    GuardFrame *frame = guard_top;
    int saved_errno = errno;
    SigBuf b = { .len = 0 };

    /* "Action optional": nothing touched the page; never a fault here. */
    if (si->si_code == BUS_MCEERR_AO && !defer_errors) {
        sb_fault(&b, "SIGBUS ignored", si->si_addr, si->si_code);
        sb_write(&b);
        errno = saved_errno;
        return;
    }
    /* Faults have positive codes; a kill(SIGBUS) is no reason to jump. */
    if (frame && si->si_code > 0 && si->si_code != BUS_MCEERR_AO) {
        frame->fault.addr = si->si_addr;
        frame->fault.code = si->si_code;
        siglongjmp(frame->jmp, 1);
    }
    if (defer_errors &&
        (si->si_code == BUS_MCEERR_AR || si->si_code == BUS_MCEERR_AO)) {
        pending_error.addr = si->si_addr;
        pending_error.code = si->si_code;
        error_pending = true;
        errno = saved_errno;
        return;
    }
    sb_fault(&b, "fatal: SIGBUS", si->si_addr, si->si_code);
    sb_str(&b, " in an access pmemvm does not guard: a backing file was "
           "probably truncated, or its file system is full");
    sb_write(&b);
    /* The default action, as if we had not been here. */
    signal(SIGBUS, SIG_DFL);
    raise(SIGBUS);
}

/* ---- Guards ------------------------------------------------------------ */

static gpointer guarded_mem_install(gpointer unused)
{
    struct sigaction sa = {
        .sa_sigaction = sigbus_handler,
        .sa_flags = SA_SIGINFO | SA_NODEFER,
    };

    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, NULL) < 0) {
        error_report("cannot install the SIGBUS handler: %s",
                     g_strerror(errno));
        abort();
    }
    return NULL;
}

void guarded_mem_init(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, guarded_mem_install, NULL);
}

bool guarded_run(GuardedFn fn, void *opaque, MemFault *fault)
{
    GuardFrame frame;

    guarded_mem_init();
    frame.prev = guard_top;
    if (sigsetjmp(frame.jmp, 0)) {
        guard_top = frame.prev;
        if (fault) {
            *fault = frame.fault;
        }
        return false;
    }
    guard_top = &frame;
    /* The frame is in place before the first access, gone after the last. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    fn(opaque);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    guard_top = frame.prev;
    return true;
}

typedef struct GuardedCopy {
    void *dst;
    const void *src;
    size_t len;
    int c;
} GuardedCopy;

static void guarded_copy_fn(void *opaque)
{
    GuardedCopy *g = opaque;

    memcpy(g->dst, g->src, g->len);
}

static void guarded_set_fn(void *opaque)
{
    GuardedCopy *g = opaque;

    memset(g->dst, g->c, g->len);
}

bool guarded_memcpy(void *dst, const void *src, size_t len, MemFault *fault)
{
    GuardedCopy g = { .dst = dst, .src = src, .len = len };

    return guarded_run(guarded_copy_fn, &g, fault);
}

bool guarded_memset(void *dst, int c, size_t len, MemFault *fault)
{
    GuardedCopy g = { .dst = dst, .len = len, .c = c };

    return guarded_run(guarded_set_fn, &g, fault);
}

void guarded_mem_defer_errors(bool on)
{
    guarded_mem_init();
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    defer_errors = on;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

bool guarded_mem_take_error(MemFault *fault)
{
    bool pending;

    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    pending = error_pending;
    if (pending) {
        *fault = pending_error;
        error_pending = false;
    }
    return pending;
}

/* ---- The registry -------------------------------------------------- */

void mapped_range_add(void *start, uint64_t len, const char *name,
                      MappedRangeExplainFn explain, void *opaque)
{
    unsigned i;

    guarded_mem_init();
    g_mutex_lock(&ranges_lock);
    for (i = 0; i < MAPPED_RANGE_MAX; i++) {
        MappedRange *r = &ranges[i];

        if (!__atomic_load_n(&r->start, __ATOMIC_RELAXED)) {
            g_free(r->name);
            r->name = g_strdup(name);
            r->len = len;
            r->explain = explain;
            r->opaque = opaque;
            __atomic_store_n(&r->start, (uintptr_t)start, __ATOMIC_RELEASE);
            break;
        }
    }
    g_mutex_unlock(&ranges_lock);
    /* A full table only costs the name in fault reports. */
}

void mapped_range_remove(void *start)
{
    unsigned i;

    if (!start) {
        return;
    }
    g_mutex_lock(&ranges_lock);
    for (i = 0; i < MAPPED_RANGE_MAX; i++) {
        if (__atomic_load_n(&ranges[i].start, __ATOMIC_RELAXED) ==
            (uintptr_t)start) {
            __atomic_store_n(&ranges[i].start, 0, __ATOMIC_RELEASE);
            break;
        }
    }
    g_mutex_unlock(&ranges_lock);
}

char *mem_fault_describe(const MemFault *f)
{
    uintptr_t a = (uintptr_t)f->addr;
    char *text = NULL;
    unsigned i;

    g_mutex_lock(&ranges_lock);
    for (i = 0; i < MAPPED_RANGE_MAX && !text; i++) {
        MappedRange *r = &ranges[i];
        uintptr_t start = r->start;
        g_autofree char *why = NULL;

        if (!start || a < start || a - start >= r->len) {
            continue;
        }
        why = r->explain ? r->explain(r->opaque, a - start, f->code) : NULL;
        text = g_strdup_printf("%s, offset 0x%" PRIx64 ": %s", r->name,
                               (uint64_t)(a - start),
                               why ? why : sigbus_code_name(f->code));
    }
    g_mutex_unlock(&ranges_lock);
    if (!text) {
        text = g_strdup_printf("host address %p (%s)", f->addr,
                               sigbus_code_name(f->code));
    }
    return text;
}

char *mapped_range_diagnose(void)
{
    GString *out = g_string_new(NULL);
    unsigned i;

    g_mutex_lock(&ranges_lock);
    for (i = 0; i < MAPPED_RANGE_MAX; i++) {
        MappedRange *r = &ranges[i];
        g_autofree char *why = NULL;

        if (!r->start || !r->explain) {
            continue;
        }
        why = r->explain(r->opaque, MAPPED_RANGE_ANYWHERE, 0);
        if (why) {
            g_string_append_printf(out, "%s%s: %s", out->len ? "; " : "",
                                   r->name, why);
        }
    }
    g_mutex_unlock(&ranges_lock);
    return g_string_free(out, out->len == 0);
}
