/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: -kernel and -initrd files a loader cannot take, on the real
 * binary.  pmemvm refuses them at start-up, whatever the accelerator,
 * with a message that names the option and the file and says why - and
 * never blocks on a FIFO (QEMU 7.2 waits for ever there) nor tries to
 * read a 1 TiB sparse file into memory.  Where QEMU 7.2 has words for
 * the case, pmemvm's message ends with them.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/stat.h>

#include "libqtest.h"
#include "qtest-util.h"

#define MACHINE         "-machine pc -m 512M -nodefaults "
#define RAM_BYTES       "536870912"

static char *tmp_dir;
static char *kernel;        /* a regular file: passes the checks */

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

/* pmemvm with @args must exit 1 at once, saying @want on stderr. */
static void assert_refused(const char *args, const char *want)
{
    g_autofree char *full = g_strdup_printf(MACHINE "%s", args);
    g_autofree char *err = NULL;
    int status = qtest_run_expect_fail(full, &err);

    if (!strstr(err, want)) {
        g_test_message("stderr lacks \"%s\":\n%s", want, err);
    }
    g_assert_cmpint(status, ==, 1);         /* -1: it hung */
    g_assert_nonnull(strstr(err, want));
}

static void test_sparse_1t(void)
{
    g_autofree char *big = tmp_path("big.img");
    g_autofree char *args = NULL;
    g_autofree char *want = NULL;
    int fd = open(big, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    if (ftruncate(fd, 1 * TiB) < 0) {
        g_autofree char *why = g_strdup_printf("no 1 TiB sparse file in %s: "
                                               "%s", tmp_dir,
                                               g_strerror(errno));
        close(fd);
        unlink(big);
        g_test_skip(why);
        return;
    }
    close(fd);
    args = g_strdup_printf("-kernel %s", big);
    want = g_strdup_printf("pmemvm: -kernel %s: could not load kernel '%s': "
                           "kernel is too large (1099511627776 bytes; the "
                           "guest has " RAM_BYTES " bytes of RAM below 4 "
                           "GiB)", big, big);
    assert_refused(args, want);
    g_free(args);
    g_free(want);
    /* QEMU 7.2: "initrd is too large, cannot support.(max: ..., need
     * 1099511627776)". */
    args = g_strdup_printf("-kernel %s -initrd %s", kernel, big);
    want = g_strdup_printf("pmemvm: -initrd %s: could not load initial ram "
                           "disk '%s': initrd is too large (1099511627776 "
                           "bytes; the guest has " RAM_BYTES " bytes of RAM "
                           "below 4 GiB)", big, big);
    assert_refused(args, want);
    unlink(big);
}

static void test_fifo(void)
{
    g_autofree char *fifo = tmp_path("fifo");
    g_autofree char *args = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    args = g_strdup_printf("-kernel %s", fifo);
    want = g_strdup_printf("pmemvm: -kernel %s: could not load kernel '%s': "
                           "it is a FIFO, not a regular file", fifo, fifo);
    assert_refused(args, want);
    g_free(args);
    g_free(want);
    args = g_strdup_printf("-kernel %s -initrd %s", kernel, fifo);
    want = g_strdup_printf("pmemvm: -initrd %s: could not load initial ram "
                           "disk '%s': it is a FIFO, not a regular file",
                           fifo, fifo);
    assert_refused(args, want);
    g_free(args);
    g_free(want);
    /* -machine kernel= is the same property, without an option to name. */
    args = g_strdup_printf("-machine kernel=%s", fifo);
    want = g_strdup_printf("pmemvm: could not load kernel '%s': it is a "
                           "FIFO, not a regular file", fifo);
    assert_refused(args, want);
    unlink(fifo);
}

/* QEMU 7.2's error line for @args, or NULL when it is not installed. */
static char *qemu_error(const char *args)
{
    g_autofree char *qemu = qemu_path();
    g_autofree char *err = NULL;
    bool started;

    if (!qemu) {
        return NULL;
    }
    g_assert_cmpint(qemu_probe(args, &started, &err, NULL), ==, 1);
    return error_line(err, "qemu");
}

static void test_directory(void)
{
    g_autofree char *dir = tmp_path("a-directory");
    g_autofree char *args = NULL;
    g_autofree char *want = NULL;
    g_autofree char *qemu = NULL;

    g_assert_cmpint(mkdir(dir, 0700), ==, 0);
    args = g_strdup_printf("-kernel %s", dir);
    want = g_strdup_printf("pmemvm: -kernel %s: could not load kernel '%s': "
                           "Is a directory\n", dir, dir);
    assert_refused(args, want);
    qemu = qemu_error(args);
    if (qemu) {
        g_autofree char *line = g_strdup_printf("%s\n", qemu);

        /* The same words as QEMU 7.2, after the option. */
        g_assert_true(g_str_has_suffix(want, line));
    }
    g_free(args);
    g_free(want);
    args = g_strdup_printf("-kernel %s -initrd %s", kernel, dir);
    want = g_strdup_printf("pmemvm: -initrd %s: could not load initial ram "
                           "disk '%s': Is a directory", dir, dir);
    assert_refused(args, want);
    rmdir(dir);
}

static void test_dev_zero(void)
{
    g_autofree char *args = NULL;

    /* QEMU 7.2 says "No such file or directory" for the kernel. */
    assert_refused("-kernel /dev/zero", "pmemvm: -kernel /dev/zero: could "
                   "not load kernel '/dev/zero': it is a character device, "
                   "not a regular file");
    args = g_strdup_printf("-kernel %s -initrd /dev/zero", kernel);
    assert_refused(args, "pmemvm: -initrd /dev/zero: could not load initial "
                   "ram disk '/dev/zero': it is a character device, not a "
                   "regular file");
}

/* Regular files pass the checks (the qtest accelerator loads nothing). */
static void test_regular_files_start(void)
{
    QTestState *qts = qtest_initf(MACHINE "-kernel %s -initrd %s", kernel,
                                  kernel);

    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-boot-files-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    kernel = tmp_path("bzImage");
    g_assert_true(g_file_set_contents(kernel, "not really a kernel", -1,
                                      NULL));
    g_test_add_func("/boot-files/sparse-1t", test_sparse_1t);
    g_test_add_func("/boot-files/fifo", test_fifo);
    g_test_add_func("/boot-files/directory", test_directory);
    g_test_add_func("/boot-files/dev-zero", test_dev_zero);
    g_test_add_func("/boot-files/regular-files-start",
                    test_regular_files_start);
    ret = g_test_run();
    unlink(kernel);
    remove_dir(tmp_dir);
    return ret;
}
