/*
 * qtest (without the qtest accelerator): pmemvm with -accel kvm on hosts
 * where /dev/kvm cannot run the guest.  On kvm_pvm (a paravirtual KVM) a
 * stock kernel stalls before it touches any device; pmemvm must end with
 * an error that says so, not run silently for ever.  Elsewhere the case is
 * skipped with the reason (real guests are tested by tests/e2e).
 */
#include "qemu/osdep.h"

#include "libqtest.h"

#define KVM_PVM_MODULE "/sys/module/kvm_pvm"

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

static void test_pvm_stall_is_an_error(void)
{
    g_autofree char *kernel = find_kernel();
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    gint64 start;
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
    args = g_strdup_printf("-machine pc,accel=kvm -m 256M -serial none "
                           "-kernel %s -append console=ttyS0", kernel);
    start = g_get_monotonic_time();
    status = qtest_run_expect_fail(args, &err);
    g_test_message("exit %d after %.1f s; stderr: %s", status,
                   (g_get_monotonic_time() - start) / 1e6, err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "warning: /dev/kvm is kvm_pvm"));
    g_assert_nonnull(strstr(err, "the guest made no progress in 20 s "
                                 "(not one port or MMIO access)"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kvm-accel/pvm-stall-is-an-error",
                    test_pvm_stall_is_an_error);
    return g_test_run();
}
