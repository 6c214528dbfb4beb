/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The accelerator seam: one AccelOps table that each accelerator fills
 * (accel/kvm, accel/qtest) and one set of accel_*() calls through which
 * system/, the machine and devices reach whichever was chosen.  Nothing
 * outside accel/ calls an accelerator's own functions.
 *
 * Order of use (system/vl.c):
 *   accel_init()          after the machine's RAM exists: the VM, its
 *                         vCPUs (-smp, -cpu) and the RAM listener
 *   accel_set_boot_cpu_state()   from the boot loader (hw/i386/boot.c)
 *   accel_start_vcpus()   threads start, parked until accel_resume_vcpus()
 *   accel_resume_vcpus() / accel_pause_vcpus()   vm_start() / vm_stop()
 *   accel_reset_vcpus()   guest reset, VM stopped
 *   accel_stop_vcpus()    at exit: stop and join
 *
 * Interrupts: accel_set_irq() sets a GSI level (the pc machine's GSI lines
 * call it); accel_deliver_msi() delivers one MSI.  The fast paths a
 * virtio-pci transport wants (an ioeventfd for queue notifications, an
 * irqfd for MSI-X) exist only where the accelerator says so: without them
 * the device handles the MMIO write itself and calls accel_deliver_msi().
 *
 * Every call is a no-op (true, where it returns bool) before accel_init()
 * or when the accelerator lacks that operation, so that unit tests can
 * run machine code with no accelerator at all.
 */
#ifndef SYSEMU_ACCEL_H
#define SYSEMU_ACCEL_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* hw/i386/boot-cpu.h: the boot CPU's registers at the kernel's entry. */
typedef struct X86BootCPUState X86BootCPUState;

typedef struct AccelInitArgs {
    unsigned ncpus;             /* -smp */
    const char *cpu_model;      /* -cpu, NULL for the default */
} AccelInitArgs;

/*
 * A guest write the accelerator turns into a signal on @fd (an eventfd)
 * instead of an exit to the device: @size bytes at @addr, in the port
 * space when @pio, else MMIO; with @match_data only when the value
 * written is @data.
 */
typedef struct AccelIoeventfd {
    int fd;
    uint64_t addr;
    unsigned size;
    bool pio;
    bool match_data;
    uint64_t data;
} AccelIoeventfd;

typedef struct AccelOps {
    const char *name;                   /* "kvm", "qtest" */
    /* -cpu models it takes (NULL-terminated), or NULL: no vCPUs. */
    const char *const *cpu_models;
    /* Could it start a VM on this host?  Creates nothing that stays. */
    bool (*available)(Error **errp);
    bool (*init)(const AccelInitArgs *args, Error **errp);
    void (*start_vcpus)(void);
    void (*resume_vcpus)(void);
    void (*pause_vcpus)(void);
    bool (*reset_vcpus)(Error **errp);
    void (*stop_vcpus)(void);
    /* A vCPU stopped on an error it cannot continue from. */
    bool (*guest_failed)(void);
    /* The host thread id of vCPU @index, 0 if it has none (yet). */
    int (*vcpu_thread_id)(unsigned index);
    bool (*set_boot_cpu_state)(const X86BootCPUState *s, Error **errp);
    void (*set_irq)(unsigned gsi, bool level);
    void (*deliver_msi)(uint64_t addr, uint32_t data);
    /* Optional fast paths; NULL when the accelerator has none. */
    bool (*ioeventfd_add)(const AccelIoeventfd *e, Error **errp);
    void (*ioeventfd_del)(const AccelIoeventfd *e);
    /* Returns a handle >= 0 for the route, or -1 with *errp set. */
    int (*irqfd_add)(int fd, uint64_t msi_addr, uint32_t msi_data,
                     Error **errp);
    bool (*irqfd_update)(int handle, uint64_t msi_addr, uint32_t msi_data,
                         Error **errp);
    void (*irqfd_del)(int handle);
} AccelOps;

/* Called by each accelerator's constructor (accel_type_init below). */
void accel_register(const AccelOps *ops);
#define accel_type_init(ops)                                            \
    static void __attribute__((constructor)) accel_register_##ops(void) \
    {                                                                   \
        accel_register(&(ops));                                         \
    }

/* The registered accelerator called @name, or NULL. */
const AccelOps *accel_find(const char *name);
/* Choose the accelerator @name and initialize it. */
bool accel_init(const char *name, const AccelInitArgs *args, Error **errp);
/* The chosen accelerator's name, NULL before accel_init(). */
const char *accel_name(void);
/*
 * -machine none: choose @name if it could run here (its available()
 * hook), without creating a VM, as nothing will run.  False with *errp
 * set if it is not built in or cannot run.
 */
bool accel_choose(const char *name, Error **errp);
/* The -cpu models of the accelerator @name (NULL-terminated), or NULL. */
const char *const *accel_cpu_models(const char *name);

void accel_start_vcpus(void);
void accel_resume_vcpus(void);
void accel_pause_vcpus(void);
bool accel_reset_vcpus(Error **errp);
void accel_stop_vcpus(void);
bool accel_guest_failed(void);
/*
 * The host thread (Linux tid) that runs vCPU @index, for query-cpus-fast:
 * KVM's vCPU thread; without vCPU threads (qtest, where the test is the
 * CPU) the VMM's main thread.
 */
int accel_vcpu_thread_id(unsigned index);
bool accel_set_boot_cpu_state(const X86BootCPUState *s, Error **errp);

/* Thread-safe: vCPU threads and the main loop raise interrupts. */
void accel_set_irq(unsigned gsi, bool level);
void accel_deliver_msi(uint64_t addr, uint32_t data);

bool accel_has_ioeventfd(void);
bool accel_ioeventfd_add(const AccelIoeventfd *e, Error **errp);
void accel_ioeventfd_del(const AccelIoeventfd *e);
bool accel_has_irqfd(void);
int accel_irqfd_add(int fd, uint64_t msi_addr, uint32_t msi_data,
                    Error **errp);
bool accel_irqfd_update(int handle, uint64_t msi_addr, uint32_t msi_data,
                        Error **errp);
void accel_irqfd_del(int handle);

#endif
