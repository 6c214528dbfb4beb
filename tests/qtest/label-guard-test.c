/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The label-area guard, told as a user meets it: a 64 MiB file whose last
 * 128 KiB hold the user's data is refused with label-size=128K (naming the
 * file, the bytes and the option that overrides it), and nothing is
 * written; label-check=off gives those bytes to the guest on purpose; an
 * all-zero area and one holding Linux's namespace labels are fine; a file
 * with labels used with label-size=0 gets a warning; hot-plug refuses the
 * same way and leaves the backend free.  QEMU 7.2 starts silently in the
 * first case and lets the guest overwrite the data.  Looking for labels
 * at the end of a label-less backend reads only where index blocks can
 * be: the pages of its last 16 MiB stay where they were (not in memory).
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "libqtest.h"
#include "label-fixture.h"

#define FILE_SIZE   (64 * MiB)
#define LABELS      (128 * KiB)
#define MACHINE     "-machine pc,nvdimm=on -m 256M,slots=2,maxmem=1G "

static char *tmp_dir;

typedef enum Tail { TAIL_DATA, TAIL_ZERO, TAIL_LABELS } Tail;

/* A sparse 64 MiB file whose last 128 KiB are @tail; its path. */
static char *make_file(const char *name, Tail tail)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    g_autofree uint8_t *buf = g_malloc0(LABELS);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unsigned i;

    g_assert_cmpint(fd, >=, 0);
    if (tail == TAIL_DATA) {
        for (i = 0; i < LABELS; i++) {
            buf[i] = "the user's data "[i % 16];
        }
    } else if (tail == TAIL_LABELS) {
        label_fixture_put_index(buf, 0, 256, 256, 1);
        label_fixture_put_index(buf, 256, 256, 0, 2);
    }
    g_assert_cmpint(ftruncate(fd, FILE_SIZE), ==, 0);
    g_assert_cmpint(pwrite(fd, buf, LABELS, FILE_SIZE - LABELS), ==, LABELS);
    close(fd);
    return path;
}

static char *file_tail(const char *path)
{
    char *buf = g_malloc(LABELS);
    int fd = open(path, O_RDONLY);

    g_assert_cmpint(pread(fd, buf, LABELS, FILE_SIZE - LABELS), ==, LABELS);
    close(fd);
    return buf;
}

static char *args_for(const char *path, const char *dev_extra)
{
    return g_strdup_printf(MACHINE "-object memory-backend-file,id=mem0,"
                           "share=on,mem-path=%s,size=64M -device nvdimm,"
                           "id=nv0,memdev=mem0%s", path, dev_extra);
}

static void test_data_refused(void)
{
    g_autofree char *path = make_file("data.img", TAIL_DATA);
    g_autofree char *before = file_tail(path);
    g_autofree char *after = NULL;
    g_autofree char *args = args_for(path, ",label-size=128K");
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf(
        "nvdimm 'nv0': label-size=128K would make bytes 0x3fe0000-0x3ffffff "
        "of %s the label area, but they hold data", path);

    g_assert_cmpint(qtest_run_expect_fail(args, &err), ==, 1);
    g_assert_nonnull(strstr(err, want));
    g_assert_nonnull(strstr(err, "label-check=off"));
    after = file_tail(path);
    g_assert_true(memcmp(before, after, LABELS) == 0);
}

/* label-check=off: the guest gets the user's bytes as labels. */
static void test_override(void)
{
    g_autofree char *path = make_file("override.img", TAIL_DATA);
    g_autofree char *args = args_for(path, ",label-size=128K,"
                                     "label-check=off");
    QTestState *qts = qtest_init(args);
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-memory-devices'}");

    g_assert_true(json_object_has_member(rsp, "return"));
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void test_zero_and_labels_accepted(void)
{
    const Tail tails[] = { TAIL_ZERO, TAIL_LABELS };
    int i;

    for (i = 0; i < G_N_ELEMENTS(tails); i++) {
        g_autofree char *path = make_file("ok.img", tails[i]);
        g_autofree char *args = args_for(path, ",label-size=128K");
        g_autofree char *err = NULL;
        QTestState *qts = qtest_init(args);

        err = qtest_get_stderr(qts);
        g_assert_null(strstr(err, "warning:"));
        qtest_quit(qts);
    }
}

/* Labels at the end of a backend used without labels: a warning. */
static void test_labels_without_label_size(void)
{
    g_autofree char *path = make_file("nolabels.img", TAIL_LABELS);
    g_autofree char *args = args_for(path, "");
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf(
        "warning: nvdimm 'nv0': the last 128 KiB of %s (bytes "
        "0x3fe0000-0x3ffffff) hold namespace labels, but label-size is 0: "
        "the guest sees them as data; pass label-size=128K", path);
    QTestState *qts = qtest_init(args);

    err = qtest_get_stderr(qts);
    g_assert_nonnull(strstr(err, want));
    qtest_quit(qts);
}

/* Pages of @path's last @len bytes in the page cache (mincore). */
static size_t cached_pages(const char *path, size_t len)
{
    size_t page = sysconf(_SC_PAGESIZE), n = 0;
    g_autofree unsigned char *vec = g_malloc(len / page);
    int fd = open(path, O_RDONLY);
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, FILE_SIZE - len);

    g_assert_true(p != MAP_FAILED);
    g_assert_cmpint(mincore(p, len, vec), ==, 0);
    for (size_t i = 0; i < len / page; i++) {
        n += vec[i] & 1;
    }
    munmap(p, len);
    close(fd);
    return n;
}

/*
 * A label-less NVDIMM on a sparse file in tmpfs: the search for a label
 * area reads some 70 KiB of index-block windows, not the last 16 MiB
 * (which used to cost 50 ms of device_add and, on tmpfs, 16 MiB of host
 * memory for every such NVDIMM).  tmpfs, because there a page read is a
 * page allocated, and nothing more (no readahead).
 */
static void test_no_labels_reads_little(void)
{
    g_autofree char *dir = g_dir_make_tmp("label-guard-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sparse.img", NULL);
    g_autofree char *args = args_for(path, "");
    struct statfs fs;
    QTestState *qts;
    int fd;

    g_assert_nonnull(dir);
    g_assert_cmpint(statfs(dir, &fs), ==, 0);
    if (fs.f_type != TMPFS_MAGIC) {
        g_free(dir);
        dir = g_strdup("/dev/shm/label-guard-XXXXXX");
        if (!g_mkdtemp(dir)) {
            g_test_skip("no tmpfs at /dev/shm to count allocated pages in");
            return;
        }
        g_free(path);
        g_free(args);
        path = g_build_filename(dir, "sparse.img", NULL);
        args = args_for(path, "");
    }
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint(ftruncate(fd, FILE_SIZE), ==, 0);
    close(fd);
    qts = qtest_init(args);
    g_assert_cmpuint(cached_pages(path, 16 * MiB), <, 64);
    qtest_quit(qts);
    unlink(path);
    rmdir(dir);
}

/* device_add refuses the same way; the backend stays free. */
static void test_hotplug_refused(void)
{
    g_autofree char *path = make_file("hot.img", TAIL_DATA);
    QTestState *qts = qtest_init(MACHINE);
    JsonObject *rsp;

    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': {"
                             "'qom-type': 'memory-backend-file', 'id': "
                             "'mem1', 'share': true, 'mem-path': %s, "
                             "'size': %lld}}", path, (long long)FILE_SIZE);
    rsp = qtest_qmp(qts, "{'execute': 'device_add', 'arguments': {"
                    "'driver': 'nvdimm', 'id': 'nv1', 'memdev': 'mem1', "
                    "'label-size': 131072}}");
    g_assert_nonnull(strstr(qmp_rsp_error_desc(rsp), "hold data"));
    json_object_unref(rsp);
    qtest_qmp_assert_success(qts, "{'execute': 'device_add', 'arguments': {"
                             "'driver': 'nvdimm', 'id': 'nv1', "
                             "'memdev': 'mem1'}}");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-label-guard-XXXXXX", NULL);
    g_test_add_func("/label-guard/data-refused", test_data_refused);
    g_test_add_func("/label-guard/override", test_override);
    g_test_add_func("/label-guard/zero-and-labels",
                    test_zero_and_labels_accepted);
    g_test_add_func("/label-guard/labels-without-label-size",
                    test_labels_without_label_size);
    g_test_add_func("/label-guard/hotplug-refused", test_hotplug_refused);
    g_test_add_func("/label-guard/no-labels-reads-little",
                    test_no_labels_reads_little);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp_dir);
    (void)!system(cmd);
    return ret;
}
