/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State shared by the KVM accelerator's files: kvm.c (VM, memory slots,
 * the AccelOps table), kvm-vcpu.c (vCPU threads, exits, the kvm_pvm
 * guard), kvm-irq.c (GSIs, MSIs, ioeventfd, irqfd) and kvm-cpu.c (x86
 * vCPU setup: CPUID, MSRs, LAPIC, registers).
 */
#ifndef ACCEL_KVM_INTERNAL_H
#define ACCEL_KVM_INTERNAL_H

#include "qemu/osdep.h"
#include <pthread.h>
#include <linux/kvm.h>
#include "qapi/error.h"
#include "sysemu/accel.h"

/* The -cpu model when none is given (QEMU's default). */
#define KVM_CPU_MODEL_DEFAULT   "qemu64"
/* The -cpu models pmemvm takes (kvm-cpu.c), NULL-terminated. */
extern const char *const kvm_cpu_models[];

/* A vCPU's registers right after setup, restored on reset. */
typedef struct KVMVCpuResetState {
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
    struct kvm_lapic_state lapic;
} KVMVCpuResetState;

typedef struct KVMVCpu {
    unsigned index;             /* also the APIC id */
    int fd;
    struct kvm_run *run;
    pthread_t thread;
    bool thread_started;
    int tid;                    /* atomic: its Linux thread id, 0 before */
    bool parked;                /* waiting in the park loop (under lock) */
    bool guest_stopped;         /* stopped itself: reset/shutdown/failure */
    bool exit_incomplete;       /* last exit was I/O or MMIO (vCPU thread) */
    gint64 run_since;           /* atomic: when KVM_RUN was entered, 0 out */
    /* The kvm_pvm guard's view of the current KVM_RUN (main thread). */
    gint64 watch_since;         /* the run_since it is watching */
    gint64 watch_wall;          /* when it first saw it, monotonic us */
    gint64 watch_cpu;           /* the thread's CPU time then, us */
    KVMVCpuResetState *reset;
} KVMVCpu;

typedef struct KVMState {
    int fd;                     /* /dev/kvm */
    int vm_fd;
    size_t run_size;
    unsigned nr_vcpus;
    KVMVCpu *vcpus;
    unsigned nr_slots;
    unsigned long *slot_used;   /* bitmap of KVM memory slots */
    bool readonly_mem;
    bool tsc_deadline;
    bool pvm;                   /* /dev/kvm is kvm_pvm (paravirtual) */
    struct kvm_cpuid2 *cpuid;   /* filtered template, before per-CPU ids */
    bool has_xcrs;
    bool signal_msi;            /* KVM_CAP_SIGNAL_MSI */
    bool ioeventfd;             /* KVM_CAP_IOEVENTFD */
    bool irqfd;                 /* KVM_CAP_IRQFD and KVM_CAP_IRQ_ROUTING */
    /* In-kernel PIC master/slave and IOAPIC, PIT: power-on state. */
    struct kvm_irqchip reset_irqchip[KVM_IRQCHIP_IOAPIC + 1];
    struct kvm_pit_state2 reset_pit;
} KVMState;

extern KVMState *kvm_state;

/* Present when /dev/kvm is the paravirtual kvm_pvm module. */
#define KVM_PVM_MODULE_PATH     "/sys/module/kvm_pvm"
/*
 * The kvm_pvm guard (kvm-vcpu.c): a stock kernel cannot run there; it
 * stalls before its first device access, or spins inside KVM_RUN for
 * many seconds emulating what it cannot run.  A guest that has made no
 * port or MMIO access KVM_PVM_PROGRESS_SECONDS after it started running,
 * or a vCPU that stayed inside one KVM_RUN on the CPU for
 * KVM_PVM_STUCK_SECONDS within the first KVM_PVM_WATCH_SECONDS, ends
 * pmemvm with an error.  On any working KVM a Linux kernel touches the
 * UART, PIT or PCI ports within its first second and never computes for
 * seconds without an exit while booting.
 */
#define KVM_PVM_PROGRESS_SECONDS 20
#define KVM_PVM_STUCK_SECONDS   10
#define KVM_PVM_WATCH_SECONDS   60

/* kvm.c */
int kvm_ioctl(int fd, unsigned long req, void *arg);
int kvm_check_extension(int cap);

/* kvm-vcpu.c: the vCPU threads (AccelOps entries). */
void kvm_vcpus_start(void);
void kvm_vcpus_resume(void);
void kvm_vcpus_pause(void);
bool kvm_vcpus_reset(Error **errp);
void kvm_vcpus_stop(void);
bool kvm_vcpus_failed(void);
int kvm_vcpu_thread_id(unsigned index);

/* kvm-irq.c (AccelOps entries). */
void kvm_irq_set_level(unsigned gsi, bool level);
void kvm_irq_deliver_msi(uint64_t addr, uint32_t data);
bool kvm_irq_ioeventfd(const AccelIoeventfd *e, bool assign, Error **errp);
int kvm_irq_irqfd_add(int fd, uint64_t addr, uint32_t data, Error **errp);
bool kvm_irq_irqfd_update(int handle, uint64_t addr, uint32_t data,
                          Error **errp);
void kvm_irq_irqfd_del(int handle);

/* kvm-cpu.c */
/* Build the CPUID template for -cpu @model; error names unknown models. */
struct kvm_cpuid2 *kvm_cpu_build_cpuid(KVMState *s, const char *model,
                                       Error **errp);
/* CPUID, MSRs, LAPIC and FPU of one vCPU, at creation; saves the
 * power-on state for kvm_cpu_reset(). */
bool kvm_cpu_setup(KVMState *s, KVMVCpu *cpu, Error **errp);
/* Back to the state kvm_cpu_setup() left (the vCPU must be stopped). */
bool kvm_cpu_reset(KVMState *s, KVMVCpu *cpu, Error **errp);
/* Print the registers of @cpu to stderr (after a fatal exit). */
void kvm_cpu_dump_state(KVMVCpu *cpu);
/* Load the boot CPU's registers (AccelOps.set_boot_cpu_state). */
bool kvm_cpu_set_boot_state(const X86BootCPUState *s, Error **errp);

#endif
