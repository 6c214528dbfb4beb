/*
 * State shared by accel/kvm/kvm.c (VM, slots, vCPU threads) and
 * accel/kvm/kvm-cpu.c (x86 vCPU setup: CPUID, MSRs, LAPIC, registers).
 */
#ifndef ACCEL_KVM_INTERNAL_H
#define ACCEL_KVM_INTERNAL_H

#include "qemu/osdep.h"
#include <pthread.h>
#include <linux/kvm.h>
#include "qapi/error.h"

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
    bool parked;                /* waiting in the park loop (under lock) */
    bool guest_stopped;         /* stopped itself: reset/shutdown/failure */
    bool exit_incomplete;       /* last exit was I/O or MMIO (vCPU thread) */
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
    /* In-kernel PIC master/slave and IOAPIC, PIT: power-on state. */
    struct kvm_irqchip reset_irqchip[KVM_IRQCHIP_IOAPIC + 1];
    struct kvm_pit_state2 reset_pit;
} KVMState;

extern KVMState *kvm_state;

/* kvm.c */
int kvm_ioctl(int fd, unsigned long req, void *arg);
int kvm_check_extension(int cap);

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

#endif
