/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest (without the qtest accelerator): pmemvm with -accel kvm on hosts
 * where /dev/kvm cannot run the guest.  On kvm_pvm (a paravirtual KVM) a
 * stock kernel stalls before it touches any device, or spins inside
 * KVM_RUN emulating what it cannot run, and then fails on an instruction
 * KVM cannot emulate.  Each is a right diagnosis; pmemvm must end with
 * status 1 and a message that names kvm_pvm, and soon (within 30 s), not
 * run silently or grind for a minute.  Elsewhere the case is skipped with
 * the reason (real guests are tested by tests/e2e).
 */
#include "qemu/osdep.h"

#include "libqtest.h"

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

/* A line of @err other than the warning that is an error naming kvm_pvm. */
static bool error_line_names_pvm(const char *err)
{
    g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
    int i;

    for (i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "pmemvm: ") &&
            !g_str_has_prefix(lines[i], "pmemvm: warning: ") &&
            strstr(lines[i], "kvm_pvm")) {
            return true;
        }
    }
    return false;
}

/* @machine_opts: the guest decompresses itself, or pmemvm unpacked it. */
static void pvm_stall_is_an_error(const char *machine_opts)
{
    g_autofree char *kernel = find_kernel();
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    gint64 start;
    double took;
    int status;

    if (!g_file_test(KVM_PVM_MODULE, G_FILE_TEST_EXISTS)) {
        g_test_skip("/dev/kvm here is not kvm_pvm: the stall check runs "
                    "only there");
        return;
    }
    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("no read-write /dev/kvm");
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
    g_assert_true(error_line_names_pvm(err));
    g_assert_cmpfloat(took, <, PVM_DEADLINE_SECONDS);
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
    g_test_add_func("/kvm-accel/pvm-stall-is-an-error",
                    test_pvm_stall_is_an_error);
    g_test_add_func("/kvm-accel/pvm-stall-in-decompressor",
                    test_pvm_stall_in_decompressor);
    return g_test_run();
}
