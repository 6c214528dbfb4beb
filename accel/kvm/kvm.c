/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The KVM accelerator: the VM, its in-kernel irqchip and PIT, one memory
 * slot per guest RAM region, and the AccelOps table that the rest of
 * pmemvm reaches it through (include/sysemu/accel.h).  The vCPU threads
 * are in kvm-vcpu.c, interrupts in kvm-irq.c, x86 vCPU setup in
 * kvm-cpu.c.
 *
 * Interfaces: Documentation/virt/kvm/api.rst (Linux).
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "accel/kvm/kvm-internal.h"
#include "hw/core/memory.h"
#include "hw/i386/layout.h"

#define KVM_DEV_PATH            "/dev/kvm"
/* api.rst §4.1: the only stable API version. */
#define KVM_EXPECTED_API        12
/* Used when KVM_CAP_NR_MEMSLOTS answers 0 (api.rst §4.35). */
#define KVM_DEFAULT_MEMSLOTS    32

KVMState *kvm_state;

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
 * guest_ram_set_listener() callback: one KVM slot per RAM region.  A
 * region that cannot be mapped fails its guest_ram_add() (a hot-plug then
 * fails with this message); removal only reports.
 */
static bool kvm_ram_listener(GuestRamRegion *r, bool add, Error **errp)
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
        return true;
    }
    if ((r->gpa | r->size | (uintptr_t)r->host) & (page - 1)) {
        error_setg(errp, "KVM: cannot map '%s' at 0x%" PRIx64 " (size 0x%"
                   PRIx64 "): not page aligned", r->name, r->gpa, r->size);
    } else if (r->readonly && !s->readonly_mem) {
        error_setg(errp, "KVM: cannot map '%s' read-only: this host's KVM "
                   "lacks KVM_CAP_READONLY_MEM", r->name);
    } else if ((slot = kvm_slot_alloc(s)) < 0) {
        error_setg(errp, "KVM: cannot map '%s': all %u memory slots are in "
                   "use", r->name, s->nr_slots);
    } else if (!kvm_set_slot(s, slot, r, r->size)) {
        error_setg_errno(errp, errno, "KVM: cannot map '%s' at 0x%" PRIx64
                         " (size 0x%" PRIx64 ")", r->name, r->gpa, r->size);
        kvm_slot_free(s, slot);
    } else {
        r->slot_id = slot;
    }
    g_mutex_unlock(&slot_lock);
    return r->slot_id >= 0;
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
    /* The virtio fast paths (kvm-irq.c) say so when these are missing. */
    s->signal_msi = kvm_check_extension(KVM_CAP_SIGNAL_MSI);
    s->ioeventfd = kvm_check_extension(KVM_CAP_IOEVENTFD);
    s->irqfd = kvm_check_extension(KVM_CAP_IRQFD) &&
               kvm_check_extension(KVM_CAP_IRQ_ROUTING);
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

static bool kvm_accel_init(const AccelInitArgs *args, Error **errp)
{
    KVMState *s = g_new0(KVMState, 1);
    unsigned ncpus = args->ncpus ? args->ncpus : 1;

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
                    "after it starts, or if a vCPU spins inside KVM for %d s "
                    "without one exit", KVM_DEV_PATH,
                    KVM_PVM_PROGRESS_SECONDS, KVM_PVM_STUCK_SECONDS);
    }
    s->cpuid = kvm_cpu_build_cpuid(s, args->cpu_model ? args->cpu_model
                                                      : KVM_CPU_MODEL_DEFAULT,
                                   errp);
    if (!s->cpuid || !kvm_create_vcpus(s, ncpus, errp) ||
        !guest_ram_set_listener(kvm_ram_listener, errp)) {
        goto fail;
    }
    return true;

fail:
    guest_ram_set_listener(NULL, NULL);
    kvm_state = NULL;
    kvm_state_free(s);
    return false;
}

/* QEMU's kvm_init() up to the VM: the device opens, the API and the
 * capabilities pmemvm needs are there, a VM can be created. */
static bool kvm_accel_available(Error **errp)
{
    KVMState *s = g_new0(KVMState, 1);
    bool ok;

    s->fd = -1;
    s->vm_fd = -1;
    kvm_state = s;
    ok = kvm_open_device(s, errp) && kvm_create_vm(s, errp);
    kvm_state = NULL;
    kvm_state_free(s);
    return ok;
}

static bool kvm_accel_ioeventfd_add(const AccelIoeventfd *e, Error **errp)
{
    return kvm_irq_ioeventfd(e, true, errp);
}

static void kvm_accel_ioeventfd_del(const AccelIoeventfd *e)
{
    Error *err = NULL;

    if (!kvm_irq_ioeventfd(e, false, &err)) {
        error_report_err(err);
    }
}

static const AccelOps kvm_accel_ops = {
    .name = "kvm",
    .cpu_models = kvm_cpu_models,
    .available = kvm_accel_available,
    .init = kvm_accel_init,
    .start_vcpus = kvm_vcpus_start,
    .resume_vcpus = kvm_vcpus_resume,
    .pause_vcpus = kvm_vcpus_pause,
    .reset_vcpus = kvm_vcpus_reset,
    .stop_vcpus = kvm_vcpus_stop,
    .guest_failed = kvm_vcpus_failed,
    .vcpu_thread_id = kvm_vcpu_thread_id,
    .set_boot_cpu_state = kvm_cpu_set_boot_state,
    .set_irq = kvm_irq_set_level,
    .deliver_msi = kvm_irq_deliver_msi,
    .ioeventfd_add = kvm_accel_ioeventfd_add,
    .ioeventfd_del = kvm_accel_ioeventfd_del,
    .irqfd_add = kvm_irq_irqfd_add,
    .irqfd_update = kvm_irq_irqfd_update,
    .irqfd_del = kvm_irq_irqfd_del,
};

accel_type_init(kvm_accel_ops)
