/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest (without the qtest accelerator): pmemvm with -accel kvm on hosts
 * where /dev/kvm cannot run the guest.  On kvm_pvm (a paravirtual KVM) a
 * stock kernel stalls before it touches any device, or spins inside
 * KVM_RUN emulating what it cannot run, and then fails on an instruction
 * KVM cannot emulate.  Each is a right diagnosis; pmemvm must end with
 * status 1 and a message that names kvm_pvm, and soon (within 30 s), not
 * run silently or grind for a minute.  Elsewhere the case is skipped with
 * the reason (real guests are tested by tests/e2e).  The guard's decision
 * and the kick that gets a spinning vCPU out of KVM_RUN are also tested
 * without kvm_pvm: tests/unit/test-kvm-pvm-guard.c, test-kvm-vcpu.c.
 */
#include "qemu/osdep.h"

#include "libqtest.h"
#include "accel/kvm/kvm-internal.h"

#define KVM_PVM_MODULE "/sys/module/kvm_pvm"
/* The guard fires at 10 s (a vCPU stuck in KVM_RUN) or 20 s (no access). */
#define PVM_DEADLINE_SECONDS 30

/* The newest /boot/vmlinuz-*, or NULL. */
static char *find_kernel(void)
{
    g_autoptr(GDir) dir = g_dir_open("/boot", 0, NULL);
    g_autofree char *best = NULL;
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        if (g_str_has_prefix(name, "vmlinuz-") &&
            (!best || strverscmp(name, best) > 0)) {
            g_free(best);
            best = g_strdup(name);
        }
    }
    return best ? g_build_filename("/boot", best, NULL) : NULL;
}

/*
 * The right diagnoses, each an error line of pmemvm's that names kvm_pvm:
 * the guard's two (accel/kvm/kvm-pvm-guard.c) and KVM's own emulation
 * failure (accel/kvm/kvm-vcpu.c).
 */
static const char *const pvm_diagnoses[] = {
    "the guest made no progress in",
    "has run inside KVM for",
    "KVM_EXIT_INTERNAL_ERROR",
};

/* Which of pvm_diagnoses @err gives, or NULL. */
static const char *pvm_diagnosis(const char *err)
{
    g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
    unsigned i, j;

    for (i = 0; lines[i]; i++) {
        if (!g_str_has_prefix(lines[i], "pmemvm: ") ||
            g_str_has_prefix(lines[i], "pmemvm: warning: ") ||
            !strstr(lines[i], "kvm_pvm")) {
            continue;
        }
        for (j = 0; j < G_N_ELEMENTS(pvm_diagnoses); j++) {
            if (strstr(lines[i], pvm_diagnoses[j])) {
                return pvm_diagnoses[j];
            }
        }
    }
    return NULL;
}

/* @machine_opts: the guest decompresses itself, or pmemvm unpacked it. */
static void pvm_stall_is_an_error(const char *machine_opts)
{
    g_autofree char *kernel = find_kernel();
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    const char *diagnosis;
    gint64 start;
    double took;
    int status;

    if (access("/dev/kvm", F_OK) != 0) {
        g_test_skip(g_file_test(KVM_PVM_MODULE, G_FILE_TEST_EXISTS) ?
                    "no /dev/kvm (kvm_pvm is loaded, but there is no "
                    "device node)" : "no /dev/kvm");
        return;
    }
    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("no read-write /dev/kvm");
        return;
    }
    if (!g_file_test(KVM_PVM_MODULE, G_FILE_TEST_EXISTS)) {
        g_test_skip("/dev/kvm here is not kvm_pvm: the stall check runs "
                    "only there");
        return;
    }
    if (!kernel) {
        g_test_skip("no /boot/vmlinuz-* (install linux-image-amd64)");
        return;
    }
    args = g_strdup_printf("-machine pc,accel=kvm%s -m 256M -serial none "
                           "-kernel %s -append console=ttyS0", machine_opts,
                           kernel);
    start = g_get_monotonic_time();
    status = qtest_run_expect_fail(args, &err);
    took = (g_get_monotonic_time() - start) / 1e6;
    g_test_message("exit %d after %.1f s; stderr: %s", status, took, err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "warning: /dev/kvm is kvm_pvm"));
    diagnosis = pvm_diagnosis(err);
    g_assert_nonnull(diagnosis);
    g_test_message("diagnosis: \"%s\"", diagnosis);
    g_assert_cmpfloat(took, <, PVM_DEADLINE_SECONDS);
}

/*
 * Runs everywhere: the test above knows each right diagnosis as pmemvm
 * words it (the messages come from the code that prints them, with the
 * "vCPU N: " that precedes KVM's own), and no other line.
 */
static void test_diagnoses_recognised(void)
{
    g_autofree char *stuck = kvm_pvm_guard_message(KVM_PVM_VCPU_STUCK, 0);
    g_autofree char *stall = kvm_pvm_guard_message(KVM_PVM_NO_PROGRESS, 0);
    g_autofree char *emul = kvm_emulation_failure_message(true, " 0x2 0x1");
    g_autofree char *emul_other = kvm_emulation_failure_message(false, "");
    const char *warning = "pmemvm: warning: /dev/kvm is kvm_pvm, a "
                          "paravirtual KVM: stock Linux kernels do not boot "
                          "on it\n";
    g_autofree char *err = NULL;

    err = g_strdup_printf("%spmemvm: %s\n", warning, stuck);
    g_assert_cmpstr(pvm_diagnosis(err), ==, "has run inside KVM for");
    g_free(err);
    err = g_strdup_printf("%spmemvm: %s\n", warning, stall);
    g_assert_cmpstr(pvm_diagnosis(err), ==, "the guest made no progress in");
    g_free(err);
    err = g_strdup_printf("%spmemvm: vCPU 0: %s\nRAX=0 RBX=0\n", warning,
                          emul);
    g_assert_cmpstr(pvm_diagnosis(err), ==, "KVM_EXIT_INTERNAL_ERROR");
    g_free(err);
    /* Not right: only the warning; KVM's failure not naming kvm_pvm. */
    g_assert_null(pvm_diagnosis(warning));
    err = g_strdup_printf("%spmemvm: vCPU 0: %s\n", warning, emul_other);
    g_assert_null(pvm_diagnosis(err));
}

static void test_pvm_stall_is_an_error(void)
{
    pvm_stall_is_an_error("");
}

static void test_pvm_stall_in_decompressor(void)
{
    pvm_stall_is_an_error(",kernel-unpack=guest");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kvm-accel/diagnoses-recognised",
                    test_diagnoses_recognised);
    g_test_add_func("/kvm-accel/pvm-stall-is-an-error",
                    test_pvm_stall_is_an_error);
    g_test_add_func("/kvm-accel/pvm-stall-in-decompressor",
                    test_pvm_stall_in_decompressor);
    return g_test_run();
}
