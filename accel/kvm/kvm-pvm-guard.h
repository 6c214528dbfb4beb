/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kvm_pvm guard's decision, apart from the threads and clocks that
 * feed it (accel/kvm/kvm-vcpu.c samples the facts once a second), so that
 * tests/unit/test-kvm-pvm-guard.c can give it any facts it likes.
 *
 * /dev/kvm may be kvm_pvm, a paravirtual KVM on which a stock Linux kernel
 * cannot run: it stalls before its first device access, or spins inside
 * KVM_RUN for many seconds emulating what it cannot run (and may end
 * with KVM_EXIT_INTERNAL_ERROR, reported by kvm-vcpu.c).  Within the
 * first KVM_PVM_WATCH_SECONDS of running, the guard gives up when
 *   - the guest has made no port or MMIO access after
 *     KVM_PVM_PROGRESS_SECONDS of running (time paused does not count), or
 *   - a vCPU has stayed inside one KVM_RUN for KVM_PVM_STUCK_SECONDS and
 *     its thread was busy (on a CPU, or runnable and waiting for one) for
 *     KVM_PVM_BUSY_PERCENT of that time.  A guest halted inside KVM (the
 *     in-kernel LAPIC handles HLT) sleeps and is not busy.  Counting the
 *     time spent waiting for a CPU keeps a loaded host from hiding a
 *     spinning vCPU.
 * On any working KVM a booting Linux touches the UART, PIT or PCI ports
 * within its first second and never computes for seconds without an exit.
 */
#ifndef ACCEL_KVM_PVM_GUARD_H
#define ACCEL_KVM_PVM_GUARD_H

#include "qemu/osdep.h"

#define KVM_PVM_PROGRESS_SECONDS 20
#define KVM_PVM_STUCK_SECONDS   10
#define KVM_PVM_WATCH_SECONDS   60
#define KVM_PVM_BUSY_PERCENT    90

/* What the guard knows of one vCPU at one check. */
typedef struct KVMPvmVcpuFacts {
    gint64 run_since;   /* monotonic us its KVM_RUN began; 0: not inside */
    gint64 busy_us;     /* its thread's time on a CPU or waiting for one,
                         * us since any fixed origin; -1: unknown */
} KVMPvmVcpuFacts;

/* The guard's view of one vCPU's current KVM_RUN. */
typedef struct KVMPvmVcpuWatch {
    gint64 since;       /* the run_since it is watching, 0: none */
    gint64 wall;        /* when it first saw it, monotonic us */
    gint64 busy;        /* busy_us then */
} KVMPvmVcpuWatch;

typedef struct KVMPvmGuard {
    gint64 armed;       /* monotonic us when the guest first ran */
    gint64 last;        /* the previous check (or the arming) */
    gint64 running_us;  /* time spent running since armed */
    unsigned nr_vcpus;
    KVMPvmVcpuWatch *watch;
} KVMPvmGuard;

typedef enum KVMPvmVerdict {
    KVM_PVM_WATCHING,       /* look again later */
    KVM_PVM_DONE,           /* the watch is over: the guest runs */
    KVM_PVM_VCPU_STUCK,     /* a vCPU spins inside KVM_RUN */
    KVM_PVM_NO_PROGRESS,    /* no device access */
} KVMPvmVerdict;

void kvm_pvm_guard_init(KVMPvmGuard *g, unsigned nr_vcpus, gint64 now);
void kvm_pvm_guard_destroy(KVMPvmGuard *g);

/*
 * One check at monotonic time @now (us): @running is whether the VM ran
 * since the previous check, @reached_device whether the guest has made a
 * port or MMIO access yet, @vcpus the facts of each vCPU.  A
 * KVM_PVM_VCPU_STUCK verdict sets *@stuck_vcpu.
 */
KVMPvmVerdict kvm_pvm_guard_check(KVMPvmGuard *g, gint64 now, bool running,
                                  bool reached_device,
                                  const KVMPvmVcpuFacts *vcpus,
                                  unsigned *stuck_vcpu);

/* The error message for a verdict that gives up; it names kvm_pvm. */
char *kvm_pvm_guard_message(KVMPvmVerdict v, unsigned stuck_vcpu);

#endif
