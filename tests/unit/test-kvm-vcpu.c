/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The KVM vCPU threads of accel/kvm/kvm-vcpu.c without /dev/kvm: KVM_RUN
 * is a fake that behaves as the kernel's does for what matters here
 * (api.rst, KVM_RUN): it returns EINTR at once if immediate_exit is set,
 * and otherwise stays inside until a signal is pending for its thread.
 * vCPU 0 spins on the CPU meanwhile (kvm_pvm emulating what it cannot
 * run), vCPU 1 sleeps (a guest halted inside KVM).
 *
 * Shown: the facts the kvm_pvm guard samples tell the two apart (the
 * spinner is busy nearly all the time, the sleeper almost never); and
 * vm_stop() and the exit path kick both out of KVM_RUN and get them
 * parked and joined, the spinner included.  Not shown: the real
 * kvm_pvm module, which this machine may not have (tests/qtest/
 * kvm-accel-test.c runs it where it is).
 */
#include "qemu/osdep.h"
#include <signal.h>
#include "accel/kvm/kvm-internal.h"

#define NR_VCPUS 2
#define VCPU_SPINS 0
#define VCPU_SLEEPS 1
/* Long enough to measure busy time, short enough for a unit test. */
#define SAMPLE_US (1500 * 1000)
/* A kicked vCPU is out of KVM_RUN and parked within this. */
#define KICK_DEADLINE_US (5 * G_USEC_PER_SEC)

static gint entries[NR_VCPUS];          /* atomic: KVM_RUNs entered */
static gint kicked[NR_VCPUS];           /* atomic: left on a signal */

static bool kick_pending(void)
{
    sigset_t pending;

    sigpending(&pending);
    return sigismember(&pending, KVM_SIG_KICK);
}

static int fake_kvm_run(KVMVCpu *cpu)
{
    sigset_t kick, old;
    int sig;

    /* Hold the kick pending, as the kernel sees it while in KVM_RUN. */
    sigemptyset(&kick);
    sigaddset(&kick, KVM_SIG_KICK);
    pthread_sigmask(SIG_BLOCK, &kick, &old);
    if (!cpu->run->immediate_exit) {
        /* Inside: from here only a signal gets it out. */
        g_atomic_int_inc(&entries[cpu->index]);
        if (cpu->index == VCPU_SPINS) {
            while (!kick_pending()) {
                /* the guest's instructions, emulated forever */
            }
        } else {
            g_assert_cmpint(sigwait(&kick, &sig), ==, 0);
        }
        g_atomic_int_inc(&kicked[cpu->index]);
    }
    /* A kick still pending goes to kvm-vcpu.c's handler here. */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = EINTR;
    return -1;
}

static KVMState *fake_state(void)
{
    KVMState *s = g_new0(KVMState, 1);
    unsigned i;

    s->fd = s->vm_fd = -1;
    s->nr_vcpus = NR_VCPUS;
    s->vcpus = g_new0(KVMVCpu, NR_VCPUS);
    for (i = 0; i < NR_VCPUS; i++) {
        s->vcpus[i].index = i;
        s->vcpus[i].fd = -1;
        s->vcpus[i].run = g_new0(struct kvm_run, 1);
    }
    s->vcpu_run = fake_kvm_run;
    return s;
}

static void fake_state_free(KVMState *s)
{
    unsigned i;

    for (i = 0; i < s->nr_vcpus; i++) {
        g_free(s->vcpus[i].run);
    }
    g_free(s->vcpus);
    g_free(s);
}

/* Wait until each vCPU has entered (fake) KVM_RUN @n times. */
static void wait_inside(int n)
{
    gint64 deadline = g_get_monotonic_time() + KICK_DEADLINE_US;
    KVMPvmVcpuFacts f[NR_VCPUS];

    for (;;) {
        kvm_vcpus_sample(f);
        if (g_atomic_int_get(&entries[VCPU_SPINS]) >= n &&
            g_atomic_int_get(&entries[VCPU_SLEEPS]) >= n &&
            f[VCPU_SPINS].run_since && f[VCPU_SLEEPS].run_since) {
            return;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(10 * 1000);
    }
}

/*
 * The facts over SAMPLE_US: each vCPU stays in the same KVM_RUN; the
 * spinner is busy for 90 % of the time or more (what the guard calls
 * stuck), the sleeper for 10 % or less.
 */
static void check_samples(void)
{
    KVMPvmVcpuFacts a[NR_VCPUS], b[NR_VCPUS];
    gint64 t0, t1;
    unsigned i;

    t0 = g_get_monotonic_time();
    kvm_vcpus_sample(a);
    g_usleep(SAMPLE_US);
    t1 = g_get_monotonic_time();
    kvm_vcpus_sample(b);
    for (i = 0; i < NR_VCPUS; i++) {
        g_test_message("vCPU %u: busy %" PRId64 " us of %" PRId64, i,
                       b[i].busy_us - a[i].busy_us, t1 - t0);
        g_assert_cmpint(a[i].run_since, !=, 0);
        g_assert_cmpint(b[i].run_since, ==, a[i].run_since);
        g_assert_cmpint(a[i].busy_us, >=, 0);
        g_assert_cmpint(b[i].busy_us, >=, a[i].busy_us);
    }
    if (g_file_test("/proc/self/schedstat", G_FILE_TEST_EXISTS)) {
        g_assert_cmpint((b[VCPU_SPINS].busy_us - a[VCPU_SPINS].busy_us) *
                        100, >=, (t1 - t0) * KVM_PVM_BUSY_PERCENT);
    } else {
        /* CPU time alone: on a loaded host the spinner gets less. */
        g_test_message("no /proc/self/schedstat: busy is CPU time only");
        g_assert_cmpint(b[VCPU_SPINS].busy_us - a[VCPU_SPINS].busy_us, >,
                        b[VCPU_SLEEPS].busy_us - a[VCPU_SLEEPS].busy_us);
    }
    g_assert_cmpint((b[VCPU_SLEEPS].busy_us - a[VCPU_SLEEPS].busy_us) * 100,
                    <=, (t1 - t0) * 10);
}

static void test_kick_spinning_and_sleeping(void)
{
    KVMState *s = fake_state();
    KVMPvmVcpuFacts f[NR_VCPUS];
    gint64 t;
    unsigned i;

    kvm_state = s;
    kvm_vcpus_start();
    /* Parked until resumed: nobody inside KVM_RUN yet. */
    kvm_vcpus_sample(f);
    g_assert_cmpint(f[VCPU_SPINS].run_since, ==, 0);
    g_assert_cmpint(f[VCPU_SLEEPS].run_since, ==, 0);

    kvm_vcpus_resume();
    wait_inside(1);
    check_samples();

    /* vm_stop(): both kicked out by the signal, parked. */
    t = g_get_monotonic_time();
    kvm_vcpus_pause();
    g_test_message("pause took %" PRId64 " us", g_get_monotonic_time() - t);
    g_assert_cmpint(g_get_monotonic_time() - t, <, KICK_DEADLINE_US);
    kvm_vcpus_sample(f);
    for (i = 0; i < NR_VCPUS; i++) {
        g_assert_cmpint(g_atomic_int_get(&kicked[i]), ==, 1);
        g_assert_cmpint(f[i].run_since, ==, 0);
    }

    /* Running again, then the exit path: kicked, joined. */
    kvm_vcpus_resume();
    wait_inside(2);
    t = g_get_monotonic_time();
    kvm_vcpus_stop();
    g_test_message("stop took %" PRId64 " us", g_get_monotonic_time() - t);
    g_assert_cmpint(g_get_monotonic_time() - t, <, KICK_DEADLINE_US);
    for (i = 0; i < NR_VCPUS; i++) {
        g_assert_false(s->vcpus[i].thread_started);
        g_assert_cmpint(g_atomic_int_get(&kicked[i]), ==, 2);
    }
    g_assert_false(kvm_vcpus_failed());
    kvm_state = NULL;
    fake_state_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* One life cycle per process: kvm-vcpu.c's threads do not restart. */
    g_test_add_func("/kvm-vcpu/kick-spinning-and-sleeping",
                    test_kick_spinning_and_sleeping);
    return g_test_run();
}
