/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SIGBUS guard (util/guarded-mem.c) on real faults: a shared mapping
 * of a file that is then truncated faults on every page, as a backing
 * file truncated under a running VMM does.  Guarded copies fail with the
 * address and the reason, on any number of threads at once; a fault
 * outside any guard ends the process with a line naming the mapping; a
 * hardware memory error sent while a vCPU thread is in KVM_RUN is kept
 * for that thread instead.
 */
#include "qemu/osdep.h"
#include "qemu/guarded-mem.h"
#include "hw/core/memory.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGES           8
#define THREADS         4
#define ROUNDS          2000

typedef struct Mapping {
    char *path;
    int fd;
    uint8_t *ptr;
    size_t len;
} Mapping;

/* A shared mapping of a new @pages-page file, truncated to @keep pages. */
static void mapping_init(Mapping *m, unsigned pages, unsigned keep)
{
    m->len = pages * 4096;
    m->fd = g_file_open_tmp("pmemvm-guard-XXXXXX", &m->path, NULL);
    g_assert_cmpint(m->fd, >=, 0);
    g_assert_cmpint(ftruncate(m->fd, m->len), ==, 0);
    m->ptr = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
    g_assert_true(m->ptr != MAP_FAILED);
    memset(m->ptr, 0x5A, m->len);
    g_assert_cmpint(ftruncate(m->fd, keep * 4096), ==, 0);
}

static void mapping_free(Mapping *m)
{
    mapped_range_remove(m->ptr);
    munmap(m->ptr, m->len);
    close(m->fd);
    unlink(m->path);
    g_free(m->path);
}

/* A MappedRangeExplainFn that says where it was asked. */
static char *explain_offset(void *opaque, uint64_t offset, int code)
{
    if (offset == MAPPED_RANGE_ANYWHERE) {
        return g_strdup_printf("%s is broken", (char *)opaque);
    }
    return g_strdup_printf("explained at 0x%" PRIx64 ", code %d", offset,
                           code);
}

static void assert_in_page(const MemFault *f, const uint8_t *page)
{
    g_assert_true((const uint8_t *)f->addr >= page &&
                  (const uint8_t *)f->addr < page + 4096);
}

static void test_copy_fails(void)
{
    Mapping m;
    uint8_t buf[2 * 4096];
    MemFault f = { 0 };

    mapping_init(&m, PAGES, 2);
    /* The kept pages work both ways. */
    g_assert_true(guarded_memcpy(buf, m.ptr, 4096, &f));
    g_assert_cmphex(buf[100], ==, 0x5A);
    g_assert_true(guarded_memset(m.ptr + 4096, 0x11, 4096, &f));
    /*
     * A copy that runs into the cut fails in the lost page (memcpy may
     * copy in any order: which bytes were copied is not said).
     */
    g_assert_false(guarded_memcpy(buf, m.ptr + 4096, sizeof(buf), &f));
    assert_in_page(&f, m.ptr + 2 * 4096);
    g_assert_cmpint(f.code, ==, BUS_ADRERR);
    g_assert_false(guarded_memcpy(m.ptr + 5 * 4096, buf, 16, &f));
    assert_in_page(&f, m.ptr + 5 * 4096);
    g_assert_false(guarded_memset(m.ptr + 7 * 4096 + 8, 0, 8, &f));
    assert_in_page(&f, m.ptr + 7 * 4096);
    /* The guard is gone afterwards, and nests. */
    g_assert_true(guarded_memcpy(buf, m.ptr, 16, NULL));
    mapping_free(&m);
}

static void test_describe(void)
{
    Mapping m;
    MemFault f;
    uint32_t word;
    g_autofree char *text = NULL;
    g_autofree char *unknown = NULL;
    g_autofree char *diag = NULL;

    mapping_init(&m, PAGES, 0);
    mapped_range_add(m.ptr, m.len, "memory-backend-file 'x' (/x.img)",
                     explain_offset, "the x file");
    g_assert_false(guarded_memcpy(&word, m.ptr + 3 * 4096 + 4, 4, &f));
    g_assert_true(f.addr == m.ptr + 3 * 4096 + 4);     /* one access */
    text = mem_fault_describe(&f);
    g_assert_cmpstr(text, ==, "memory-backend-file 'x' (/x.img), offset "
                    "0x3004: explained at 0x3004, code 2");
    diag = mapped_range_diagnose();
    g_assert_nonnull(strstr(diag, "memory-backend-file 'x' (/x.img): the x "
                            "file is broken"));
    mapped_range_remove(m.ptr);
    unknown = mem_fault_describe(&f);
    g_assert_true(g_str_has_prefix(unknown, "host address 0x"));
    g_assert_nonnull(strstr(unknown, "BUS_ADRERR"));
    mapping_free(&m);
}

/* Faults on several threads at once: each thread's guard is its own. */
static gpointer fault_thread(gpointer opaque)
{
    Mapping *m = opaque;
    uint8_t buf[64];
    unsigned i, ok = 0;

    for (i = 0; i < ROUNDS; i++) {
        MemFault f;
        unsigned page = 1 + i % (PAGES - 1);

        g_assert_false(guarded_memcpy(buf, m->ptr + page * 4096, 64, &f));
        assert_in_page(&f, m->ptr + page * 4096);
        ok += guarded_memcpy(buf, m->ptr + 64, 64, &f);
    }
    g_assert_cmpuint(ok, ==, ROUNDS);
    return NULL;
}

static void test_threads(void)
{
    GThread *t[THREADS];
    Mapping m;
    unsigned i;

    mapping_init(&m, PAGES, 1);
    for (i = 0; i < THREADS; i++) {
        t[i] = g_thread_new("guard", fault_thread, &m);
    }
    for (i = 0; i < THREADS; i++) {
        g_thread_join(t[i]);
    }
    mapping_free(&m);
}

/* An unguarded access: a line naming the mapping, then death by SIGBUS. */
static void test_unguarded_fatal(void)
{
    if (g_test_subprocess()) {
        Mapping m;

        mapping_init(&m, PAGES, 0);
        guarded_mem_init();
        mapped_range_add(m.ptr, m.len, "memory-backend-file 'y' (/y.img)",
                         NULL, NULL);
        *(volatile uint8_t *)(m.ptr + 0x1234) = 1;
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*pmemvm: fatal: SIGBUS at host address 0x* "
                              "(BUS_ADRERR: the page could not be provided) "
                              "in memory-backend-file 'y' (/y.img) at offset "
                              "0x1234 in an access pmemvm does not guard*");
}

/* Send this thread a SIGBUS as the kernel's memory-failure code does. */
static void send_mce(int code, void *addr)
{
    siginfo_t si = {
        .si_signo = SIGBUS,
        .si_code = code,
    };

    si.si_addr = addr;
    g_assert_cmpint(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(),
                            SIGBUS, &si), ==, 0);
}

static gpointer deferred_thread(gpointer opaque)
{
    MemFault f;

    g_assert_false(guarded_mem_take_error(&f));
    guarded_mem_defer_errors(true);
    send_mce(BUS_MCEERR_AR, (void *)0x12345000);
    guarded_mem_defer_errors(false);
    g_assert_true(guarded_mem_take_error(&f));
    g_assert_true(f.addr == (void *)0x12345000);
    g_assert_cmpint(f.code, ==, BUS_MCEERR_AR);
    g_assert_false(guarded_mem_take_error(&f));
    return NULL;
}

/* A vCPU thread in KVM_RUN keeps a hardware memory error for itself. */
static void test_memory_error_deferred(void)
{
    g_thread_join(g_thread_new("vcpu", deferred_thread, NULL));
}

/* Not deferred: fatal, but "action optional" is only logged. */
static void test_memory_error_fatal(void)
{
    if (g_test_subprocess()) {
        guarded_mem_init();
        send_mce(BUS_MCEERR_AO, (void *)0x7000);
        g_printerr("still alive\n");
        send_mce(BUS_MCEERR_AR, (void *)0x8000);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*SIGBUS ignored at host address 0x7000 "
                              "(BUS_MCEERR_AO: *still alive*fatal: SIGBUS at "
                              "host address 0x8000 (BUS_MCEERR_AR: hardware "
                              "memory error)*");
}

/*
 * Guest memory on such a mapping: pmemvm's own accesses fail softly (all
 * ones, a guest error); a KVM_RUN EFAULT is explained with the file, by
 * guest address when KVM gave one; the vCPU's request to stop the VM
 * reaches the main loop as "internal-error".  (The KVM path itself needs
 * a real /dev/kvm and a guest; see tests/e2e.)
 */
static void test_guest_memory(void)
{
    const uint64_t gpa = 0x100000000ULL;
    unsigned long errors = guest_error_count();
    g_autofree char *by_gpa = NULL;
    g_autofree char *anywhere = NULL;
    GuestRamRegion *r;
    uint8_t buf[16];
    RunState state;
    Mapping m;

    mapping_init(&m, PAGES, 1);
    mapped_range_add(m.ptr, m.len, "memory-backend-file 'z' (/z.img)",
                     explain_offset, "the z file");
    r = guest_ram_add("nvdimm 'nv0'", gpa, m.len, m.ptr, false,
                      &error_abort);
    g_assert_true(guest_memory_read(gpa, buf, 4));
    g_assert_false(guest_memory_read(gpa + 4096 - 8, buf, 16));
    g_assert_cmphex(buf[7], ==, 0xFF);
    g_assert_cmphex(buf[8], ==, 0xFF);
    g_assert_false(guest_memory_write(gpa + 2 * 4096, buf, 16));
    g_assert_cmpuint(guest_error_count(), ==, errors + 2);

    by_gpa = guest_memory_explain_fault(true, gpa + 0x2010);
    g_assert_cmpstr(by_gpa, ==, "guest address 0x100002010 (nvdimm 'nv0'): "
                    "memory-backend-file 'z' (/z.img), offset 0x2010: "
                    "explained at 0x2010, code 2");
    anywhere = guest_memory_explain_fault(false, 0);
    g_assert_nonnull(strstr(anywhere, "memory-backend-file 'z' (/z.img): "
                            "the z file is broken"));

    g_assert_false(qemu_vmstop_requested(&state));
    qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
    qemu_system_vmstop_request(RUN_STATE_PAUSED);   /* the first wins */
    g_assert_true(qemu_vmstop_requested(&state));
    g_assert_cmpint(state, ==, RUN_STATE_INTERNAL_ERROR);
    g_assert_cmpstr(runstate_name(state), ==, "internal-error");
    g_assert_false(qemu_vmstop_requested(&state));

    guest_ram_del(r);
    mapping_free(&m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/guarded-mem/copy-fails", test_copy_fails);
    g_test_add_func("/guarded-mem/describe", test_describe);
    g_test_add_func("/guarded-mem/threads", test_threads);
    g_test_add_func("/guarded-mem/unguarded-fatal", test_unguarded_fatal);
    g_test_add_func("/guarded-mem/memory-error-deferred",
                    test_memory_error_deferred);
    g_test_add_func("/guarded-mem/memory-error-fatal",
                    test_memory_error_fatal);
    g_test_add_func("/guarded-mem/guest-memory", test_guest_memory);
    return g_test_run();
}
