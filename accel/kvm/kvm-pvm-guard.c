/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kvm_pvm guard's decision over the facts kvm-vcpu.c samples (see
 * kvm-pvm-guard.h for what it decides and why).  No clocks, threads or
 * KVM here: every input is an argument.
 */
#include "qemu/osdep.h"
#include "accel/kvm/kvm-pvm-guard.h"

void kvm_pvm_guard_init(KVMPvmGuard *g, unsigned nr_vcpus, gint64 now)
{
    *g = (KVMPvmGuard) {
        .armed = now,
        .last = now,
        .nr_vcpus = nr_vcpus,
        .watch = g_new0(KVMPvmVcpuWatch, nr_vcpus),
    };
}

void kvm_pvm_guard_destroy(KVMPvmGuard *g)
{
    g_free(g->watch);
    g->watch = NULL;
}

/*
 * True if the vCPU has been inside the same KVM_RUN for
 * KVM_PVM_STUCK_SECONDS, busy for KVM_PVM_BUSY_PERCENT of that time.
 */
static bool kvm_pvm_vcpu_stuck(KVMPvmVcpuWatch *w, const KVMPvmVcpuFacts *f,
                               gint64 now)
{
    gint64 wall;

    if (!f->run_since) {
        w->since = 0;
        return false;
    }
    if (f->run_since != w->since || f->busy_us < 0 || w->busy < 0) {
        /* A new KVM_RUN (or no busy time to judge by): watch it anew. */
        w->since = f->run_since;
        w->wall = now;
        w->busy = f->busy_us;
        return false;
    }
    wall = now - w->wall;
    return wall >= KVM_PVM_STUCK_SECONDS * G_USEC_PER_SEC &&
           (f->busy_us - w->busy) * 100 >= wall * KVM_PVM_BUSY_PERCENT;
}

KVMPvmVerdict kvm_pvm_guard_check(KVMPvmGuard *g, gint64 now, bool running,
                                  bool reached_device,
                                  const KVMPvmVcpuFacts *vcpus,
                                  unsigned *stuck_vcpu)
{
    unsigned i;

    if (running) {
        g->running_us += now - g->last;
    }
    g->last = now;
    if (!running) {
        /* A paused vCPU is not stuck: watch each KVM_RUN afresh. */
        for (i = 0; i < g->nr_vcpus; i++) {
            g->watch[i].since = 0;
        }
        return KVM_PVM_WATCHING;
    }
    for (i = 0; i < g->nr_vcpus; i++) {
        if (kvm_pvm_vcpu_stuck(&g->watch[i], &vcpus[i], now)) {
            *stuck_vcpu = i;
            return KVM_PVM_VCPU_STUCK;
        }
    }
    if (!reached_device &&
        g->running_us >= KVM_PVM_PROGRESS_SECONDS * G_USEC_PER_SEC) {
        return KVM_PVM_NO_PROGRESS;
    }
    return now - g->armed < KVM_PVM_WATCH_SECONDS * G_USEC_PER_SEC ?
           KVM_PVM_WATCHING : KVM_PVM_DONE;
}

char *kvm_pvm_guard_message(KVMPvmVerdict v, unsigned stuck_vcpu)
{
    g_autofree char *why = NULL;

    switch (v) {
    case KVM_PVM_VCPU_STUCK:
        why = g_strdup_printf("vCPU %u has run inside KVM for %d s without "
                              "one exit, busy on the CPU all that time",
                              stuck_vcpu, KVM_PVM_STUCK_SECONDS);
        break;
    case KVM_PVM_NO_PROGRESS:
        why = g_strdup_printf("the guest made no progress in %d s (not one "
                              "port or MMIO access)",
                              KVM_PVM_PROGRESS_SECONDS);
        break;
    default:
        return NULL;
    }
    return g_strdup_printf("%s: /dev/kvm is kvm_pvm, which cannot run this "
                           "kernel; use hardware virtualization (VT-x/AMD-V)"
                           " or a nested VM that has it", why);
}
