/*
 * The KVM accelerator: the VM, its memory slots and the vCPU threads.
 *
 * Each vCPU thread loops on KVM_RUN and hands port and MMIO exits to
 * hw/core/memory.c.  vm_stop() parks every thread (kicked out of KVM_RUN
 * with a signal and kvm_run.immediate_exit); vm_start() releases them.
 * Nothing the guest does ends the process: a triple fault asks the main
 * loop for a reset, and errors KVM cannot continue from are reported once
 * and turned into a shutdown request (kvm_guest_failed() then says so).
 *
 * Interfaces: Documentation/virt/kvm/api.rst (Linux).
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "accel/kvm/kvm-internal.h"
#include "sysemu/kvm.h"
#include "sysemu/runstate.h"
#include "hw/core/memory.h"
#include "hw/i386/layout.h"

#define KVM_DEV_PATH            "/dev/kvm"
/* api.rst §4.1: the only stable API version. */
#define KVM_EXPECTED_API        12
/* Used when KVM_CAP_NR_MEMSLOTS answers 0 (api.rst §4.35). */
#define KVM_DEFAULT_MEMSLOTS    32
/* Present when /dev/kvm is the paravirtual kvm_pvm module. */
#define KVM_PVM_MODULE_PATH     "/sys/module/kvm_pvm"
/*
 * On kvm_pvm, a guest that has not made one port or MMIO access this many
 * seconds after it started running is taken as stalled: a Linux kernel
 * touches the UART, PIT or PIC within its first second on any working
 * KVM, and a stock kernel on kvm_pvm never gets that far.
 */
#define KVM_PVM_PROGRESS_SECONDS 20
/* Signal that kicks a vCPU thread out of KVM_RUN. */
#define KVM_SIG_KICK            SIGUSR1

KVMState *kvm_state;

/* Protects the park/quit protocol below and every vCPU's parked flag. */
static GMutex vcpu_lock;
static GCond vcpu_cond;
static bool vcpus_stop = true;      /* park requested (vm_stop, prelaunch) */
static bool vcpus_quit;             /* threads must exit (kvm_stop_vcpus) */
static gint guest_failed;           /* atomic */
static gint guest_reached_device;   /* atomic: a port or MMIO exit seen */
static gint triple_fault_dumped;    /* atomic: registers printed once */
static bool pvm_watchdog_armed;     /* main thread only */

int kvm_ioctl(int fd, unsigned long req, void *arg)
{
    int ret;

    do {
        ret = ioctl(fd, req, arg);
    } while (ret < 0 && errno == EINTR);
    return ret;
}

int kvm_check_extension(int cap)
{
    KVMState *s = kvm_state;
    int ret = ioctl(s->vm_fd >= 0 ? s->vm_fd : s->fd, KVM_CHECK_EXTENSION,
                    (unsigned long)cap);

    return ret < 0 ? 0 : ret;
}

bool kvm_enabled(void)
{
    return kvm_state != NULL;
}

bool kvm_guest_failed(void)
{
    return g_atomic_int_get(&guest_failed);
}

/* ---- interrupts ------------------------------------------------------ */

void kvm_set_irq(unsigned gsi, bool level)
{
    struct kvm_irq_level irq = { .irq = gsi, .level = level };

    if (!kvm_state) {
        return;
    }
    if (kvm_ioctl(kvm_state->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
        error_report("KVM_IRQ_LINE (GSI %u, level %d) failed: %s", gsi,
                     level, g_strerror(errno));
    }
}

void kvm_pulse_irq(unsigned gsi)
{
    kvm_set_irq(gsi, true);
    kvm_set_irq(gsi, false);
}

/* ---- memory slots ---------------------------------------------------- */

static int kvm_slot_alloc(KVMState *s)
{
    unsigned i;

    for (i = 0; i < s->nr_slots; i++) {
        unsigned long bit = 1UL << (i % (8 * sizeof(long)));
        unsigned long *word = &s->slot_used[i / (8 * sizeof(long))];

        if (!(*word & bit)) {
            *word |= bit;
            return i;
        }
    }
    return -1;
}

static void kvm_slot_free(KVMState *s, unsigned slot)
{
    s->slot_used[slot / (8 * sizeof(long))] &=
        ~(1UL << (slot % (8 * sizeof(long))));
}

static bool kvm_set_slot(KVMState *s, unsigned slot, GuestRamRegion *r,
                         uint64_t size)
{
    struct kvm_userspace_memory_region mr = {
        .slot = slot,
        .flags = r->readonly ? KVM_MEM_READONLY : 0,
        .guest_phys_addr = r->gpa,
        .memory_size = size,
        .userspace_addr = (uintptr_t)r->host,
    };

    return kvm_ioctl(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) == 0;
}

/*
 * guest_ram_set_listener() callback: one KVM slot per RAM region.  There
 * is no caller to hand an error to (hot-plug runs this from the region's
 * creation), so failures are reported here.
 */
static void kvm_ram_listener(GuestRamRegion *r, bool add)
{
    static GMutex slot_lock;
    KVMState *s = kvm_state;
    uint64_t page = getpagesize();
    int slot;

    g_mutex_lock(&slot_lock);
    if (!add) {
        if (r->slot_id >= 0) {
            if (!kvm_set_slot(s, r->slot_id, r, 0)) {
                error_report("KVM: cannot remove memory slot %d (%s): %s",
                             r->slot_id, r->name, g_strerror(errno));
            }
            kvm_slot_free(s, r->slot_id);
            r->slot_id = -1;
        }
        g_mutex_unlock(&slot_lock);
        return;
    }
    if ((r->gpa | r->size | (uintptr_t)r->host) & (page - 1)) {
        error_report("KVM: cannot map '%s' at 0x%" PRIx64 " (size 0x%" PRIx64
                     "): not page aligned", r->name, r->gpa, r->size);
    } else if (r->readonly && !s->readonly_mem) {
        error_report("KVM: cannot map '%s' read-only: this host's KVM lacks "
                     "KVM_CAP_READONLY_MEM", r->name);
    } else if ((slot = kvm_slot_alloc(s)) < 0) {
        error_report("KVM: cannot map '%s': all %u memory slots are in use",
                     r->name, s->nr_slots);
    } else if (!kvm_set_slot(s, slot, r, r->size)) {
        error_report("KVM: cannot map '%s' at 0x%" PRIx64 " (size 0x%"
                     PRIx64 "): %s", r->name, r->gpa, r->size,
                     g_strerror(errno));
        kvm_slot_free(s, slot);
    } else {
        r->slot_id = slot;
    }
    g_mutex_unlock(&slot_lock);
}

/* ---- VM creation ----------------------------------------------------- */

static bool kvm_open_device(KVMState *s, Error **errp)
{
    int version;

    s->fd = open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);
    if (s->fd < 0) {
        int err = errno;

        error_setg_errno(errp, err, "Could not access KVM kernel module");
        if (err == ENOENT) {
            error_append_hint(errp, "%s does not exist: load kvm_intel or "
                              "kvm_amd, or enable virtualization in the "
                              "firmware; -accel qtest runs without KVM.\n",
                              KVM_DEV_PATH);
        } else if (err == EACCES || err == EPERM) {
            error_append_hint(errp, "No permission to open %s read-write: "
                              "add the user to the group that owns it "
                              "(usually 'kvm').\n", KVM_DEV_PATH);
        } else {
            error_append_hint(errp, "Opening %s failed.\n", KVM_DEV_PATH);
        }
        return false;
    }
    version = ioctl(s->fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_EXPECTED_API) {
        error_setg(errp, "%s: KVM API version %d, expected %d", KVM_DEV_PATH,
                   version, KVM_EXPECTED_API);
        return false;
    }
    return true;
}

/* Capabilities pmemvm cannot run without (api.rst §8). */
static bool kvm_check_required_caps(Error **errp)
{
    static const struct {
        int cap;
        const char *name;
    } required[] = {
        { KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
        { KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
        { KVM_CAP_PIT2, "KVM_CAP_PIT2" },
        { KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
        { KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(required); i++) {
        if (!kvm_check_extension(required[i].cap)) {
            error_setg(errp, "%s: the host's KVM lacks %s", KVM_DEV_PATH,
                       required[i].name);
            return false;
        }
    }
    return true;
}

/* Power-on state of the in-kernel PICs, IOAPIC and PIT, for resets. */
static bool kvm_save_irqchip_state(KVMState *s, Error **errp)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(s->reset_irqchip); i++) {
        s->reset_irqchip[i].chip_id = i;
        if (kvm_ioctl(s->vm_fd, KVM_GET_IRQCHIP, &s->reset_irqchip[i]) < 0) {
            error_setg_errno(errp, errno, "KVM_GET_IRQCHIP %u", i);
            return false;
        }
    }
    if (kvm_ioctl(s->vm_fd, KVM_GET_PIT2, &s->reset_pit) < 0) {
        error_setg_errno(errp, errno, "KVM_GET_PIT2");
        return false;
    }
    return true;
}

static bool kvm_create_vm(KVMState *s, Error **errp)
{
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    uint64_t ident = LAYOUT_KVM_IDENTITY_MAP;

    do {
        s->vm_fd = ioctl(s->fd, KVM_CREATE_VM, 0);
    } while (s->vm_fd < 0 && errno == EINTR);
    if (s->vm_fd < 0) {
        error_setg_errno(errp, errno, "%s: cannot create a VM (KVM_CREATE_VM)",
                         KVM_DEV_PATH);
        return false;
    }
    if (!kvm_check_required_caps(errp)) {
        return false;
    }
    s->readonly_mem = kvm_check_extension(KVM_CAP_READONLY_MEM);
    s->tsc_deadline = kvm_check_extension(KVM_CAP_TSC_DEADLINE_TIMER);
    s->has_xcrs = kvm_check_extension(KVM_CAP_XCRS);
    s->nr_slots = kvm_check_extension(KVM_CAP_NR_MEMSLOTS);
    if (!s->nr_slots) {
        s->nr_slots = KVM_DEFAULT_MEMSLOTS;
    }
    s->slot_used = g_new0(unsigned long,
                          (s->nr_slots + 8 * sizeof(long) - 1) /
                          (8 * sizeof(long)));

    /* VMX needs both pages for real mode and unpaged guests; harmless
     * elsewhere (api.rst §4.44, §4.77). */
    if (kvm_check_extension(KVM_CAP_SET_IDENTITY_MAP_ADDR) &&
        kvm_ioctl(s->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &ident) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_IDENTITY_MAP_ADDR");
        return false;
    }
    if (ioctl(s->vm_fd, KVM_SET_TSS_ADDR,
              (unsigned long)LAYOUT_KVM_TSS) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_TSS_ADDR");
        return false;
    }
    if (kvm_ioctl(s->vm_fd, KVM_CREATE_IRQCHIP, NULL) < 0) {
        error_setg_errno(errp, errno, "cannot create the in-kernel irqchip "
                         "(KVM_CREATE_IRQCHIP)");
        return false;
    }
    if (kvm_ioctl(s->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
        error_setg_errno(errp, errno, "cannot create the in-kernel PIT "
                         "(KVM_CREATE_PIT2)");
        return false;
    }
    return kvm_save_irqchip_state(s, errp);
}

static bool kvm_create_vcpus(KVMState *s, unsigned n, Error **errp)
{
    int max = kvm_check_extension(KVM_CAP_MAX_VCPUS);
    unsigned i;

    if (!max) {
        max = kvm_check_extension(KVM_CAP_NR_VCPUS);
    }
    if (max > 0 && n > (unsigned)max) {
        error_setg(errp, "-smp %u: the host's KVM supports at most %d vCPUs",
                   n, max);
        return false;
    }
    s->run_size = ioctl(s->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if ((ssize_t)s->run_size < (ssize_t)sizeof(struct kvm_run)) {
        error_setg_errno(errp, errno, "KVM_GET_VCPU_MMAP_SIZE");
        return false;
    }
    s->vcpus = g_new0(KVMVCpu, n);
    for (i = 0; i < n; i++) {
        KVMVCpu *cpu = &s->vcpus[i];

        cpu->index = i;
        cpu->fd = ioctl(s->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
        if (cpu->fd < 0) {
            error_setg_errno(errp, errno, "cannot create vCPU %u", i);
            return false;
        }
        s->nr_vcpus = i + 1;
        cpu->run = mmap(NULL, s->run_size, PROT_READ | PROT_WRITE,
                        MAP_SHARED, cpu->fd, 0);
        if (cpu->run == MAP_FAILED) {
            cpu->run = NULL;
            error_setg_errno(errp, errno, "cannot map vCPU %u's kvm_run", i);
            return false;
        }
        if (!kvm_cpu_setup(s, cpu, errp)) {
            error_prepend(errp, "vCPU %u: ", i);
            return false;
        }
    }
    return true;
}

static void kvm_state_free(KVMState *s)
{
    unsigned i;

    for (i = 0; i < s->nr_vcpus; i++) {
        if (s->vcpus[i].run) {
            munmap(s->vcpus[i].run, s->run_size);
        }
        close(s->vcpus[i].fd);
        g_free(s->vcpus[i].reset);
    }
    if (s->vm_fd >= 0) {
        close(s->vm_fd);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    g_free(s->vcpus);
    g_free(s->slot_used);
    g_free(s->cpuid);
    g_free(s);
}

static void kvm_vm_start_hook(void);
static void kvm_vm_stop_hook(void);

bool kvm_accel_init(PCMachineState *pcms, const char *cpu_model,
                    Error **errp)
{
    KVMState *s = g_new0(KVMState, 1);
    unsigned ncpus = pcms->smp_cpus ? pcms->smp_cpus : 1;

    s->fd = -1;
    s->vm_fd = -1;
    kvm_state = s;
    if (!kvm_open_device(s, errp) || !kvm_create_vm(s, errp)) {
        goto fail;
    }
    s->pvm = g_file_test(KVM_PVM_MODULE_PATH, G_FILE_TEST_EXISTS);
    if (s->pvm) {
        warn_report("%s is kvm_pvm, a paravirtual KVM: stock Linux kernels "
                    "do not boot on it (they stall while decompressing or "
                    "stop on instructions it cannot emulate); use hardware "
                    "virtualization (VT-x/AMD-V) or a nested VM that has it. "
                    "pmemvm stops if the guest has touched no device %d s "
                    "after it starts", KVM_DEV_PATH,
                    KVM_PVM_PROGRESS_SECONDS);
    }
    s->cpuid = kvm_cpu_build_cpuid(s, cpu_model ? cpu_model
                                                : KVM_CPU_MODEL_DEFAULT,
                                   errp);
    if (!s->cpuid || !kvm_create_vcpus(s, ncpus, errp)) {
        goto fail;
    }
    guest_ram_set_listener(kvm_ram_listener);
    runstate_set_vm_hooks(kvm_vm_start_hook, kvm_vm_stop_hook);
    return true;

fail:
    kvm_state = NULL;
    kvm_state_free(s);
    return false;
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
        bool pvm = g_file_test(KVM_PVM_MODULE_PATH, G_FILE_TEST_EXISTS);

        kvm_vcpu_fail(cpu, "KVM could not emulate an instruction of the "
                      "guest (KVM_EXIT_INTERNAL_ERROR, emulation failure;"
                      " data:%s).  This host's KVM%s cannot run this guest; "
                      "use a host with hardware virtualization (VT-x/AMD-V)"
                      " or a nested VM that has it", data->str,
                      pvm ? " (kvm_pvm, paravirtual)" : "");
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

static void *kvm_vcpu_thread(void *opaque)
{
    KVMVCpu *cpu = opaque;

    while (kvm_vcpu_wait_runnable(cpu)) {
        if (ioctl(cpu->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            kvm_vcpu_fail(cpu, "KVM_RUN failed: %s", g_strerror(errno));
            continue;
        }
        kvm_handle_exit(cpu);
    }
    return NULL;
}

void kvm_start_vcpus(void)
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
static void kvm_vm_stop_hook(void)
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
 * kvm_pvm only (see KVM_PVM_PROGRESS_SECONDS): a stalled guest ends pmemvm
 * with an error instead of leaving it running silently.  Time spent paused
 * does not count: the check waits for the guest to be running.
 */
static gboolean kvm_pvm_progress_check(gpointer opaque)
{
    if (g_atomic_int_get(&guest_reached_device)) {
        return G_SOURCE_REMOVE;
    }
    if (!runstate_is_running()) {
        return G_SOURCE_CONTINUE;
    }
    if (g_atomic_int_compare_and_exchange(&guest_failed, 0, 1)) {
        error_report("the guest made no progress in %d s (not one port or "
                     "MMIO access): %s is kvm_pvm, which cannot run this "
                     "kernel; use hardware virtualization (VT-x/AMD-V) or a "
                     "nested VM that has it", KVM_PVM_PROGRESS_SECONDS,
                     KVM_DEV_PATH);
    }
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    return G_SOURCE_REMOVE;
}

/* vm_start(): release the vCPUs (and, on kvm_pvm, arm the check above). */
static void kvm_vm_start_hook(void)
{
    g_mutex_lock(&vcpu_lock);
    vcpus_stop = false;
    g_cond_broadcast(&vcpu_cond);
    g_mutex_unlock(&vcpu_lock);
    if (kvm_state->pvm && !pvm_watchdog_armed) {
        GSource *src = g_timeout_source_new_seconds(KVM_PVM_PROGRESS_SECONDS);

        pvm_watchdog_armed = true;
        g_source_set_callback(src, kvm_pvm_progress_check, NULL, NULL);
        g_source_attach(src, qemu_main_context());
        g_source_unref(src);
    }
}

bool kvm_reset_vcpus(Error **errp)
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

void kvm_stop_vcpus(void)
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
