/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM vCPU threads: each loops on KVM_RUN and hands port and MMIO exits
 * to hw/core/memory.c.  Pausing (vm_stop) parks every thread, kicked out
 * of KVM_RUN with a signal and kvm_run.immediate_exit; resuming releases
 * them.  Nothing the guest does ends the process: a triple fault asks the
 * main loop for a reset, and errors KVM cannot continue from are
 * reported once and turned into a shutdown request (kvm_vcpus_failed()
 * then says so, and pmemvm exits with status 1).
 *
 * On kvm_pvm the guard of kvm-pvm-guard.h watches the first minute of
 * running; this file samples its facts once a second and acts on its
 * verdict.
 *
 * Interfaces: Documentation/virt/kvm/api.rst (Linux).
 */
#include "qemu/osdep.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include "accel/kvm/kvm-internal.h"
#include "sysemu/runstate.h"
#include "hw/core/memory.h"
#include "qemu/guarded-mem.h"

/*
 * KVM_RUN fails with EFAULT (or EHWPOISON) when a guest page's host
 * memory cannot be had; kernels with KVM_CAP_MEMORY_FAULT_INFO then say
 * which guest-physical range in kvm_run (api.rst, KVM_EXIT_MEMORY_FAULT).
 * Older headers lack both.
 */
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT   39
#endif
#ifndef EHWPOISON
#define EHWPOISON               133
#endif

/* kvm_run's memory_fault member (Linux 6.8+), at the start of the union. */
typedef struct KVMMemoryFault {
    uint64_t flags;
    uint64_t gpa;
    uint64_t size;
} KVMMemoryFault;

/* How often the kvm_pvm guard looks. */
#define KVM_PVM_CHECK_MS        1000

/* Protects the park/quit protocol below and every vCPU's parked flag. */
static GMutex vcpu_lock;
static GCond vcpu_cond;
static bool vcpus_stop = true;      /* park requested (vm_stop, prelaunch) */
static bool vcpus_quit;             /* threads must exit (kvm_vcpus_stop) */
static gint guest_failed;           /* atomic */
static gint guest_reached_device;   /* atomic: a port or MMIO exit seen */
static gint triple_fault_dumped;    /* atomic: registers printed once */
static bool pvm_guard_armed;        /* main thread only */
static KVMPvmGuard pvm_guard;       /* main thread only */

bool kvm_vcpus_failed(void)
{
    return g_atomic_int_get(&guest_failed);
}

/* ---- exits ------------------------------------------------------------ */

/* Report an exit KVM cannot continue from, stop this vCPU, shut down. */
static void kvm_vcpu_fail(KVMVCpu *cpu, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void kvm_vcpu_fail(KVMVCpu *cpu, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Only the first failure is worth the whole dump. */
    if (g_atomic_int_compare_and_exchange(&guest_failed, 0, 1)) {
        error_report("vCPU %u: %s", cpu->index, msg);
        kvm_cpu_dump_state(cpu);
    }
    cpu->guest_stopped = true;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

/*
 * Stop the VM in "internal-error" with @msg, as QEMU does when KVM_RUN
 * fails ("kvm run failed", registers, vm_stop(RUN_STATE_INTERNAL_ERROR)):
 * pmemvm and its monitor stay up, 'cont' is refused, 'quit' ends it.
 */
static void kvm_vcpu_stop_vm(KVMVCpu *cpu, const char *msg)
{
    error_report("vCPU %u: %s; the VM is stopped (status internal-error)",
                 cpu->index, msg);
    kvm_cpu_dump_state(cpu);
    cpu->guest_stopped = true;
    qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
}

/*
 * KVM_RUN failed with EFAULT/EHWPOISON: a guest access to memory whose
 * host pages cannot be had (a backing file truncated, a hole on a full
 * file system, a poisoned page).  Say which file, where we can.
 */
static void kvm_vcpu_memory_fault(KVMVCpu *cpu, int err)
{
    struct kvm_run *run = cpu->run;
    const KVMMemoryFault *mf = (const KVMMemoryFault *)&run->mmio;
    bool gpa_known = run->exit_reason == KVM_EXIT_MEMORY_FAULT;
    g_autofree char *why = guest_memory_explain_fault(gpa_known,
                                                      gpa_known ? mf->gpa : 0);
    g_autofree char *msg = g_strdup_printf(
        "KVM_RUN failed: %s: the guest accessed memory the host cannot "
        "provide: %s", g_strerror(err), why);

    kvm_vcpu_stop_vm(cpu, msg);
}

/* A hardware memory error (BUS_MCEERR_AR) KVM sent for a guest page. */
static void kvm_vcpu_memory_error(KVMVCpu *cpu, const MemFault *f)
{
    g_autofree char *why = mem_fault_describe(f);
    g_autofree char *msg = g_strdup_printf(
        "hardware memory error in guest memory (%s); pmemvm does not "
        "inject machine checks", why);

    kvm_vcpu_stop_vm(cpu, msg);
}

static void kvm_handle_io(struct kvm_run *run)
{
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    unsigned size = run->io.size;
    uint32_t i;

    /* String I/O (INS/OUTS, REP) comes as @count items in one exit. */
    for (i = 0; i < run->io.count; i++, data += size) {
        uint32_t val = 0;

        if (run->io.direction == KVM_EXIT_IO_OUT) {
            memcpy(&val, data, size);
            ioport_write(run->io.port, GUINT32_FROM_LE(val), size);
        } else {
            val = GUINT32_TO_LE(ioport_read(run->io.port, size));
            memcpy(data, &val, size);
        }
    }
}

char *kvm_emulation_failure_message(bool pvm, const char *data)
{
    return g_strdup_printf("KVM could not emulate an instruction of the "
                           "guest (KVM_EXIT_INTERNAL_ERROR, emulation "
                           "failure; data:%s).  This host's KVM%s cannot run"
                           " this guest; use a host with hardware "
                           "virtualization (VT-x/AMD-V) or a nested VM that "
                           "has it", data,
                           pvm ? " (kvm_pvm, paravirtual)" : "");
}

static void kvm_handle_internal_error(KVMVCpu *cpu)
{
    struct kvm_run *run = cpu->run;
    GString *data = g_string_new(NULL);
    uint32_t i;

    for (i = 0; i < run->internal.ndata && i < ARRAY_SIZE(run->internal.data);
         i++) {
        g_string_append_printf(data, " 0x%" PRIx64,
                               (uint64_t)run->internal.data[i]);
    }
    if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION) {
        g_autofree char *msg = kvm_emulation_failure_message(kvm_state->pvm,
                                                             data->str);

        kvm_vcpu_fail(cpu, "%s", msg);
    } else {
        kvm_vcpu_fail(cpu, "KVM internal error, suberror %u (data:%s)",
                      run->internal.suberror, data->str);
    }
    g_string_free(data, TRUE);
}

/* Handle one exit; a vCPU that must not run on sets guest_stopped. */
static void kvm_handle_exit(KVMVCpu *cpu)
{
    struct kvm_run *run = cpu->run;

    if ((run->exit_reason == KVM_EXIT_IO ||
         run->exit_reason == KVM_EXIT_MMIO) &&
        !g_atomic_int_get(&guest_reached_device)) {
        g_atomic_int_set(&guest_reached_device, 1);
    }
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        kvm_handle_io(run);
        cpu->exit_incomplete = true;
        break;
    case KVM_EXIT_MMIO:
        if (run->mmio.is_write) {
            mmio_write(run->mmio.phys_addr, run->mmio.data, run->mmio.len);
        } else {
            mmio_read(run->mmio.phys_addr, run->mmio.data, run->mmio.len);
        }
        cpu->exit_incomplete = true;
        break;
    case KVM_EXIT_HLT:
        /* The in-kernel LAPIC handles HLT; nothing to do if one comes. */
    case KVM_EXIT_IRQ_WINDOW_OPEN:
    case KVM_EXIT_INTR:
        break;
    case KVM_EXIT_SHUTDOWN:
        /*
         * A triple fault: a reset, as on hardware (Linux's last reboot
         * method).  QEMU says nothing; say so, with the registers the
         * first time, since with -no-reboot it ends pmemvm with status 0
         * and the reason would otherwise be invisible.
         */
        guest_error("vCPU %u: triple fault (KVM_EXIT_SHUTDOWN): the "
                    "machine resets", cpu->index);
        if (g_atomic_int_compare_and_exchange(&triple_fault_dumped, 0, 1)) {
            kvm_cpu_dump_state(cpu);
        }
        cpu->guest_stopped = true;
        qemu_system_reset_request();
        break;
    case KVM_EXIT_SYSTEM_EVENT:
        cpu->guest_stopped = true;
        if (run->system_event.type == KVM_SYSTEM_EVENT_RESET) {
            qemu_system_reset_request();
        } else if (run->system_event.type == KVM_SYSTEM_EVENT_CRASH) {
            kvm_vcpu_fail(cpu, "the guest crashed (KVM_SYSTEM_EVENT_CRASH)");
        } else {
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        }
        break;
    case KVM_EXIT_FAIL_ENTRY:
        kvm_vcpu_fail(cpu, "KVM could not enter the guest (KVM_EXIT_FAIL_"
                      "ENTRY, hardware reason 0x%" PRIx64 ")",
                      (uint64_t)run->fail_entry.hardware_entry_failure_reason);
        break;
    case KVM_EXIT_INTERNAL_ERROR:
        kvm_handle_internal_error(cpu);
        break;
    default:
        kvm_vcpu_fail(cpu, "unexpected KVM exit reason %u",
                      run->exit_reason);
        break;
    }
}

/* ---- vCPU threads ---------------------------------------------------- */

static void kvm_kick_handler(int sig)
{
    /* Only interrupts KVM_RUN (immediate_exit does the rest). */
}

/* With vcpu_lock held: make @cpu leave KVM_RUN soon. */
static void kvm_vcpu_kick_locked(KVMVCpu *cpu)
{
    if (!cpu->thread_started) {
        return;
    }
    cpu->run->immediate_exit = 1;
    pthread_kill(cpu->thread, KVM_SIG_KICK);
}

static bool kvm_vcpu_must_wait_locked(KVMVCpu *cpu)
{
    return !vcpus_quit && (vcpus_stop || cpu->guest_stopped);
}

/* Wait while stopped; false once the thread must exit. */
static bool kvm_vcpu_wait_runnable(KVMVCpu *cpu)
{
    bool run;

    g_mutex_lock(&vcpu_lock);
    if (cpu->exit_incomplete && kvm_vcpu_must_wait_locked(cpu)) {
        /*
         * An I/O or MMIO exit completes (RIP, RAX) only at the next
         * KVM_RUN; do that now, without running the guest, so that the
         * state a reset or a reader sees is whole (api.rst, KVM_RUN).
         */
        cpu->run->immediate_exit = 1;
        g_mutex_unlock(&vcpu_lock);
        ioctl(cpu->fd, KVM_RUN, 0);
        g_mutex_lock(&vcpu_lock);
    }
    cpu->exit_incomplete = false;
    cpu->run->immediate_exit = 0;
    while (kvm_vcpu_must_wait_locked(cpu)) {
        if (!cpu->parked) {
            cpu->parked = true;
            g_cond_broadcast(&vcpu_cond);
        }
        g_cond_wait(&vcpu_cond, &vcpu_lock);
    }
    cpu->parked = false;
    run = !vcpus_quit;
    g_mutex_unlock(&vcpu_lock);
    return run;
}

int kvm_vcpu_thread_id(unsigned index)
{
    KVMState *s = kvm_state;

    if (!s || index >= s->nr_vcpus) {
        return 0;
    }
    return __atomic_load_n(&s->vcpus[index].tid, __ATOMIC_RELAXED);
}

static void *kvm_vcpu_thread(void *opaque)
{
    KVMVCpu *cpu = opaque;
    char name[16];

    /* QEMU's name for a vCPU thread (-name debug-threads=on) */
    snprintf(name, sizeof(name), "CPU %u/KVM", cpu->index);
    pthread_setname_np(pthread_self(), name);

    __atomic_store_n(&cpu->tid, gettid(), __ATOMIC_RELAXED);
    while (kvm_vcpu_wait_runnable(cpu)) {
        MemFault mce;
        int ret, err;

        __atomic_store_n(&cpu->run_since, g_get_monotonic_time(),
                         __ATOMIC_RELAXED);
        /* KVM sends SIGBUS (BUS_MCEERR_AR) for a poisoned guest page. */
        guarded_mem_defer_errors(true);
        ret = kvm_state->vcpu_run ? kvm_state->vcpu_run(cpu)
                                  : ioctl(cpu->fd, KVM_RUN, 0);
        err = errno;
        guarded_mem_defer_errors(false);
        __atomic_store_n(&cpu->run_since, 0, __ATOMIC_RELAXED);
        if (guarded_mem_take_error(&mce)) {
            kvm_vcpu_memory_error(cpu, &mce);
            continue;
        }
        if (ret < 0) {
            if (err == EINTR || err == EAGAIN) {
                continue;
            }
            if (err == EFAULT || err == EHWPOISON) {
                kvm_vcpu_memory_fault(cpu, err);
                continue;
            }
            kvm_vcpu_fail(cpu, "KVM_RUN failed: %s", g_strerror(err));
            continue;
        }
        kvm_handle_exit(cpu);
    }
    return NULL;
}

void kvm_vcpus_start(void)
{
    KVMState *s = kvm_state;
    struct sigaction sa = { .sa_handler = kvm_kick_handler,
                            .sa_flags = SA_RESTART };
    sigset_t set, old;
    unsigned i;

    if (!s) {
        return;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(KVM_SIG_KICK, &sa, NULL);
    /* The threads inherit a mask with the kick signal unblocked. */
    sigemptyset(&set);
    sigaddset(&set, KVM_SIG_KICK);
    pthread_sigmask(SIG_UNBLOCK, &set, &old);
    for (i = 0; i < s->nr_vcpus; i++) {
        KVMVCpu *cpu = &s->vcpus[i];
        int err;

        g_mutex_lock(&vcpu_lock);
        err = pthread_create(&cpu->thread, NULL, kvm_vcpu_thread, cpu);
        cpu->thread_started = !err;
        g_mutex_unlock(&vcpu_lock);
        if (err) {
            error_report("cannot start the thread of vCPU %u: %s", i,
                         g_strerror(err));
            g_atomic_int_set(&guest_failed, 1);
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
            break;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static bool kvm_all_parked_locked(void)
{
    KVMState *s = kvm_state;
    unsigned i;

    for (i = 0; i < s->nr_vcpus; i++) {
        if (s->vcpus[i].thread_started && !s->vcpus[i].parked) {
            return false;
        }
    }
    return true;
}

/* vm_stop(): park every vCPU and wait until they are out of KVM_RUN. */
void kvm_vcpus_pause(void)
{
    KVMState *s = kvm_state;
    unsigned i;

    g_mutex_lock(&vcpu_lock);
    vcpus_stop = true;
    for (i = 0; i < s->nr_vcpus; i++) {
        kvm_vcpu_kick_locked(&s->vcpus[i]);
    }
    while (!kvm_all_parked_locked()) {
        g_cond_wait(&vcpu_cond, &vcpu_lock);
    }
    g_mutex_unlock(&vcpu_lock);
}

/*
 * The thread's time on a CPU or waiting for one, in microseconds: the
 * first two fields of /proc/self/task/TID/schedstat (Linux's
 * Documentation/scheduler/sched-stats.rst, ns).  Where that file is
 * missing, its CPU time alone; -1 if neither can be read.
 */
static gint64 kvm_vcpu_busy_us(KVMVCpu *cpu)
{
    pid_t tid = __atomic_load_n(&cpu->tid, __ATOMIC_RELAXED);
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    unsigned long long on_cpu, waiting;
    clockid_t clk;
    struct timespec ts;

    if (tid) {
        path = g_strdup_printf("/proc/self/task/%d/schedstat", (int)tid);
        if (g_file_get_contents(path, &text, NULL, NULL) &&
            sscanf(text, "%llu %llu", &on_cpu, &waiting) == 2) {
            return (gint64)((on_cpu + waiting) / 1000);
        }
    }
    if (pthread_getcpuclockid(cpu->thread, &clk) ||
        clock_gettime(clk, &ts)) {
        return -1;
    }
    return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

void kvm_vcpus_sample(KVMPvmVcpuFacts *facts)
{
    KVMState *s = kvm_state;
    unsigned i;

    for (i = 0; i < s->nr_vcpus; i++) {
        KVMVCpu *cpu = &s->vcpus[i];

        facts[i].run_since = cpu->thread_started ?
            __atomic_load_n(&cpu->run_since, __ATOMIC_RELAXED) : 0;
        facts[i].busy_us = facts[i].run_since ? kvm_vcpu_busy_us(cpu) : -1;
    }
}

/*
 * kvm_pvm only: once a second, the guard's verdict on the facts now.  A
 * stuck guest ends pmemvm with an error (and vm_stop() kicks every vCPU
 * out of KVM_RUN) instead of leaving it running silently or grinding for
 * a minute.
 */
static gboolean kvm_pvm_guard_tick(gpointer opaque)
{
    KVMState *s = kvm_state;
    g_autofree KVMPvmVcpuFacts *facts = NULL;
    g_autofree char *msg = NULL;
    KVMPvmVerdict v;
    unsigned stuck = 0;

    if (!s || kvm_vcpus_failed()) {
        kvm_pvm_guard_destroy(&pvm_guard);
        return G_SOURCE_REMOVE;
    }
    facts = g_new0(KVMPvmVcpuFacts, s->nr_vcpus);
    kvm_vcpus_sample(facts);
    v = kvm_pvm_guard_check(&pvm_guard, g_get_monotonic_time(),
                            runstate_is_running(),
                            g_atomic_int_get(&guest_reached_device), facts,
                            &stuck);
    switch (v) {
    case KVM_PVM_WATCHING:
        return G_SOURCE_CONTINUE;
    case KVM_PVM_VCPU_STUCK:
    case KVM_PVM_NO_PROGRESS:
        msg = kvm_pvm_guard_message(v, stuck);
        if (g_atomic_int_compare_and_exchange(&guest_failed, 0, 1)) {
            error_report("%s", msg);
        }
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        break;
    case KVM_PVM_DONE:
        break;
    }
    kvm_pvm_guard_destroy(&pvm_guard);
    return G_SOURCE_REMOVE;
}

/* vm_start(): release the vCPUs (and, on kvm_pvm, arm the guard). */
void kvm_vcpus_resume(void)
{
    g_mutex_lock(&vcpu_lock);
    vcpus_stop = false;
    g_cond_broadcast(&vcpu_cond);
    g_mutex_unlock(&vcpu_lock);
    if (kvm_state->pvm && !pvm_guard_armed) {
        GSource *src = g_timeout_source_new(KVM_PVM_CHECK_MS);

        pvm_guard_armed = true;
        kvm_pvm_guard_init(&pvm_guard, kvm_state->nr_vcpus,
                           g_get_monotonic_time());
        g_source_set_callback(src, kvm_pvm_guard_tick, NULL, NULL);
        g_source_attach(src, qemu_main_context());
        g_source_unref(src);
    }
}

bool kvm_vcpus_reset(Error **errp)
{
    KVMState *s = kvm_state;
    unsigned i;

    if (!s) {
        return true;
    }
    for (i = 0; i < ARRAY_SIZE(s->reset_irqchip); i++) {
        if (kvm_ioctl(s->vm_fd, KVM_SET_IRQCHIP, &s->reset_irqchip[i]) < 0) {
            error_setg_errno(errp, errno, "KVM_SET_IRQCHIP %u", i);
            return false;
        }
    }
    if (kvm_ioctl(s->vm_fd, KVM_SET_PIT2, &s->reset_pit) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_PIT2");
        return false;
    }
    for (i = 0; i < s->nr_vcpus; i++) {
        if (!kvm_cpu_reset(s, &s->vcpus[i], errp)) {
            return false;
        }
    }
    g_mutex_lock(&vcpu_lock);
    for (i = 0; i < s->nr_vcpus; i++) {
        s->vcpus[i].guest_stopped = false;
    }
    g_mutex_unlock(&vcpu_lock);
    return true;
}

void kvm_vcpus_stop(void)
{
    KVMState *s = kvm_state;
    unsigned i;

    if (!s) {
        return;
    }
    g_mutex_lock(&vcpu_lock);
    vcpus_quit = true;
    for (i = 0; i < s->nr_vcpus; i++) {
        kvm_vcpu_kick_locked(&s->vcpus[i]);
    }
    g_cond_broadcast(&vcpu_cond);
    g_mutex_unlock(&vcpu_lock);
    for (i = 0; i < s->nr_vcpus; i++) {
        if (s->vcpus[i].thread_started) {
            pthread_join(s->vcpus[i].thread, NULL);
            s->vcpus[i].thread_started = false;
        }
    }
}
