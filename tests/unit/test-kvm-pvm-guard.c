/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kvm_pvm guard's decision (accel/kvm/kvm-pvm-guard.c) with the facts
 * injected: a clock, whether the VM runs, whether the guest reached a
 * device, and each vCPU's KVM_RUN start and busy time.  What a kvm_pvm
 * host would show (a vCPU spinning inside KVM_RUN, a guest that stalls
 * before any device) cannot be run on hosts without kvm_pvm; these are
 * the same decisions, second by second.
 */
#include "qemu/osdep.h"
#include "accel/kvm/kvm-pvm-guard.h"

#define S(x) ((gint64)(x) * G_USEC_PER_SEC)
/* An arbitrary monotonic origin, as g_get_monotonic_time() gives. */
#define T0 S(1000)

typedef struct Run {
    KVMPvmGuard g;
    KVMPvmVcpuFacts f[2];
    gint64 now;
    unsigned stuck;
} Run;

static void run_init(Run *r, unsigned nr_vcpus)
{
    memset(r, 0, sizeof(*r));
    r->now = T0;
    kvm_pvm_guard_init(&r->g, nr_vcpus, r->now);
}

/* One check a second after the previous one, the vCPUs' facts as set. */
static KVMPvmVerdict tick(Run *r, bool running, bool reached)
{
    r->now += S(1);
    return kvm_pvm_guard_check(&r->g, r->now, running, reached, r->f,
                               &r->stuck);
}

/* The same, with vCPU @i inside the KVM_RUN that began at @since and busy
 * @pct % of the time since then. */
static KVMPvmVerdict tick_in_run(Run *r, unsigned i, gint64 since, int pct,
                                 bool reached)
{
    r->f[i].run_since = since;
    r->f[i].busy_us = (r->now + S(1) - since) * pct / 100;
    return tick(r, true, reached);
}

/*
 * Check every second for up to @secs with vCPU 0 in the KVM_RUN that
 * began at @since, busy @pct %: the first verdict other than WATCHING,
 * and in *@at the check (1, 2, ...) that gave it.
 */
static KVMPvmVerdict watch(Run *r, int secs, gint64 since, int pct,
                           int *at)
{
    for (*at = 1; *at <= secs; (*at)++) {
        KVMPvmVerdict v = tick_in_run(r, 0, since, pct, true);

        if (v != KVM_PVM_WATCHING) {
            return v;
        }
    }
    *at = 0;
    return KVM_PVM_WATCHING;
}

/*
 * A vCPU spinning inside one KVM_RUN: first seen at the first check, stuck
 * KVM_PVM_STUCK_SECONDS later, not a check sooner.
 */
static void test_spinning_vcpu(void)
{
    Run r;
    int at;

    run_init(&r, 1);
    g_assert_cmpint(watch(&r, 60, T0, 100, &at), ==, KVM_PVM_VCPU_STUCK);
    g_assert_cmpint(at, ==, KVM_PVM_STUCK_SECONDS + 1);
    g_assert_cmpuint(r.stuck, ==, 0);
    kvm_pvm_guard_destroy(&r.g);
}

/*
 * Busy counts time waiting for a CPU: on a loaded host the spinning vCPU
 * is on a CPU 30 % of the time and runnable the rest; it is still stuck
 * (kvm-vcpu.c measures busy as both).  90 % is enough, 80 % is not.
 */
static void test_busy_threshold(void)
{
    Run r;
    int at;

    run_init(&r, 1);
    g_assert_cmpint(watch(&r, 30, T0, 95, &at), ==, KVM_PVM_VCPU_STUCK);
    g_assert_cmpint(at, ==, KVM_PVM_STUCK_SECONDS + 1);
    kvm_pvm_guard_destroy(&r.g);

    run_init(&r, 1);
    g_assert_cmpint(watch(&r, 30, T0, 80, &at), ==, KVM_PVM_WATCHING);
    kvm_pvm_guard_destroy(&r.g);
}

/*
 * A guest halted inside KVM_RUN (HLT handled by the in-kernel LAPIC, no
 * exit for a minute) sleeps: never stuck; the watch ends after 60 s.
 */
static void test_halted_vcpu(void)
{
    Run r;
    int at;

    run_init(&r, 1);
    g_assert_cmpint(watch(&r, 120, T0, 1, &at), ==, KVM_PVM_DONE);
    g_assert_cmpint(at, ==, KVM_PVM_WATCH_SECONDS);
    kvm_pvm_guard_destroy(&r.g);
}

/* A vCPU that leaves KVM_RUN now and then is never stuck, however busy. */
static void test_new_runs_are_watched_anew(void)
{
    Run r;
    int t;

    run_init(&r, 1);
    for (t = 0; t < KVM_PVM_WATCH_SECONDS - 1; t++) {
        /* A new KVM_RUN every 9 s, busy all the time. */
        g_assert_cmpint(tick_in_run(&r, 0, T0 + S(t / 9 * 9), 100, true),
                        ==, KVM_PVM_WATCHING);
    }
    g_assert_cmpint(tick(&r, true, true), ==, KVM_PVM_DONE);
    kvm_pvm_guard_destroy(&r.g);
}

/* Busy time that cannot be read: never called stuck on a guess. */
static void test_busy_unknown(void)
{
    Run r;
    int t;

    run_init(&r, 1);
    r.f[0].run_since = T0;
    r.f[0].busy_us = -1;
    for (t = 1; t < KVM_PVM_WATCH_SECONDS; t++) {
        g_assert_cmpint(tick(&r, true, true), ==, KVM_PVM_WATCHING);
    }
    kvm_pvm_guard_destroy(&r.g);
}

/*
 * No port or MMIO access after 20 s of running: no progress, whatever the
 * vCPUs do (here: out of KVM_RUN at every check).  Time paused does not
 * count.
 */
static void test_no_progress(void)
{
    Run r;
    int t;

    /* Counted from the arming: the check 20 s later fires, not one
     * sooner. */
    run_init(&r, 1);
    for (t = 1; t < KVM_PVM_PROGRESS_SECONDS; t++) {
        g_assert_cmpint(tick(&r, true, false), ==, KVM_PVM_WATCHING);
    }
    g_assert_cmpint(tick(&r, true, false), ==, KVM_PVM_NO_PROGRESS);
    kvm_pvm_guard_destroy(&r.g);

    /* 10 s running, 30 s paused, then the 10 s that are missing (the
     * check that sees it running again counts its whole second). */
    run_init(&r, 1);
    for (t = 0; t < 10; t++) {
        g_assert_cmpint(tick(&r, true, false), ==, KVM_PVM_WATCHING);
    }
    for (t = 0; t < 30; t++) {
        g_assert_cmpint(tick(&r, false, false), ==, KVM_PVM_WATCHING);
    }
    for (t = 1; t < 10; t++) {
        g_assert_cmpint(tick(&r, true, false), ==, KVM_PVM_WATCHING);
    }
    g_assert_cmpint(tick(&r, true, false), ==, KVM_PVM_NO_PROGRESS);
    kvm_pvm_guard_destroy(&r.g);

    /* A guest that reached a device is never "no progress". */
    run_init(&r, 1);
    for (t = 1; t < KVM_PVM_WATCH_SECONDS; t++) {
        g_assert_cmpint(tick(&r, true, true), ==, KVM_PVM_WATCHING);
    }
    g_assert_cmpint(tick(&r, true, true), ==, KVM_PVM_DONE);
    kvm_pvm_guard_destroy(&r.g);
}

/* A pause forgets what the guard saw of each KVM_RUN. */
static void test_pause_restarts_the_watch(void)
{
    Run r;
    int at;

    run_init(&r, 1);
    g_assert_cmpint(watch(&r, KVM_PVM_STUCK_SECONDS, T0, 100, &at), ==,
                    KVM_PVM_WATCHING);
    g_assert_cmpint(tick(&r, false, true), ==, KVM_PVM_WATCHING);
    /* The same KVM_RUN after the pause: watched from the next check. */
    g_assert_cmpint(watch(&r, 60, T0, 100, &at), ==, KVM_PVM_VCPU_STUCK);
    g_assert_cmpint(at, ==, KVM_PVM_STUCK_SECONDS + 1);
    kvm_pvm_guard_destroy(&r.g);
}

/* Which vCPU: the second of two, the first halted. */
static void test_second_vcpu(void)
{
    Run r;
    int t;

    run_init(&r, 2);
    r.f[0].run_since = T0;
    r.f[0].busy_us = 0;
    for (t = 1; t <= KVM_PVM_STUCK_SECONDS; t++) {
        g_assert_cmpint(tick_in_run(&r, 1, T0, 100, true), ==,
                        KVM_PVM_WATCHING);
    }
    g_assert_cmpint(tick_in_run(&r, 1, T0, 100, true), ==,
                    KVM_PVM_VCPU_STUCK);
    g_assert_cmpuint(r.stuck, ==, 1);
    kvm_pvm_guard_destroy(&r.g);
}

/* Both messages name kvm_pvm and say what was seen. */
static void test_messages(void)
{
    g_autofree char *stuck = kvm_pvm_guard_message(KVM_PVM_VCPU_STUCK, 1);
    g_autofree char *stall = kvm_pvm_guard_message(KVM_PVM_NO_PROGRESS, 0);

    g_assert_cmpstr(stuck, ==, "vCPU 1 has run inside KVM for 10 s without "
                    "one exit, busy on the CPU all that time: /dev/kvm is "
                    "kvm_pvm, which cannot run this kernel; use hardware "
                    "virtualization (VT-x/AMD-V) or a nested VM that has "
                    "it");
    g_assert_cmpstr(stall, ==, "the guest made no progress in 20 s (not one "
                    "port or MMIO access): /dev/kvm is kvm_pvm, which cannot"
                    " run this kernel; use hardware virtualization "
                    "(VT-x/AMD-V) or a nested VM that has it");
    g_assert_null(kvm_pvm_guard_message(KVM_PVM_WATCHING, 0));
    g_assert_null(kvm_pvm_guard_message(KVM_PVM_DONE, 0));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kvm-pvm-guard/spinning-vcpu", test_spinning_vcpu);
    g_test_add_func("/kvm-pvm-guard/busy-threshold", test_busy_threshold);
    g_test_add_func("/kvm-pvm-guard/halted-vcpu", test_halted_vcpu);
    g_test_add_func("/kvm-pvm-guard/new-runs-are-watched-anew",
                    test_new_runs_are_watched_anew);
    g_test_add_func("/kvm-pvm-guard/busy-unknown", test_busy_unknown);
    g_test_add_func("/kvm-pvm-guard/no-progress", test_no_progress);
    g_test_add_func("/kvm-pvm-guard/pause-restarts-the-watch",
                    test_pause_restarts_the_watch);
    g_test_add_func("/kvm-pvm-guard/second-vcpu", test_second_vcpu);
    g_test_add_func("/kvm-pvm-guard/messages", test_messages);
    return g_test_run();
}
