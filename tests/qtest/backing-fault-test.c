/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the host takes a backing file's pages away and pmemvm lives on.
 *
 * A shared mapping of a file faults with SIGBUS when the page cannot be
 * had: a hole on a full file system (tmpfs allocates even for a read), or
 * a page past the end of a file truncated under the running VMM.  pmemvm's
 * own accesses to such memory - label reads and writes through the _DSM,
 * qtest reads and writes of guest memory - must answer an error (DSM
 * status 4, "hardware error"), log which file failed and why, and go on;
 * and the label area is reserved with fallocate() at realize so that label
 * writes cannot meet a full file system at all.
 *
 * The small file systems are tmpfs mounts made in a private mount
 * namespace of this test (unshare), so they vanish with the test process
 * even when it fails; without the privilege to do that the tests that need
 * them are skipped with the reason.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "libqtest.h"
#include "libqos/nvdimm-dsm.h"
#include "qtest-util.h"
#include "hw/i386/layout.h"

#define FILE_SIZE       (16 * MiB)
#define LABELS          (128 * KiB)
#define SMALL_FS        "size=1M"
#define MACHINE         "-machine pc,nvdimm=on -m 256M,slots=2,maxmem=1G "
#define HANDLE          1               /* slot 0 */

static char *tmp_dir;
static const char *no_mounts;           /* why we cannot mount, or NULL */

/* ---- Files and small file systems ---- */

/* A sparse file of @size bytes: every page a hole. */
static char *make_sparse(const char *dir, const char *name, uint64_t size)
{
    char *path = g_build_filename(dir, name, NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, size), ==, 0);
    close(fd);
    return path;
}

/*
 * A fresh tmpfs of @opts at a new directory in tmp_dir (NULL and the test
 * skipped when this process cannot mount).
 */
static char *small_fs(const char *name, const char *opts)
{
    char *dir;

    if (no_mounts) {
        g_test_skip(no_mounts);
        return NULL;
    }
    dir = g_build_filename(tmp_dir, name, NULL);
    g_assert_cmpint(mkdir(dir, 0700), ==, 0);
    if (mount("pmemvm-test", dir, "tmpfs", 0, opts) < 0) {
        g_autofree char *why = g_strdup_printf("cannot mount a tmpfs at %s: "
                                               "%s", dir, g_strerror(errno));
        rmdir(dir);
        g_free(dir);
        g_test_skip(why);
        return NULL;
    }
    return dir;
}

static void small_fs_remove(char *dir)
{
    g_assert_cmpint(umount2(dir, MNT_DETACH), ==, 0);
    g_assert_cmpint(rmdir(dir), ==, 0);
    g_free(dir);
}

/* Fill the file system of @dir with a file until it has no room left. */
static char *fill_fs(const char *dir)
{
    char *path = g_build_filename(dir, "filler", NULL);
    g_autofree uint8_t *buf = g_malloc(64 * KiB);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ssize_t n;

    g_assert_cmpint(fd, >=, 0);
    memset(buf, 0xF1, 64 * KiB);
    do {
        n = write(fd, buf, 64 * KiB);
    } while (n > 0);
    /* Then page by page, for the last bytes. */
    do {
        n = write(fd, buf, 4 * KiB);
    } while (n > 0);
    g_assert_cmpint(errno, ==, ENOSPC);
    close(fd);
    return path;
}

static void pattern(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = seed + i * 13;
    }
}

/* The bytes at @offset of the file, read with pread. */
static uint8_t *file_bytes(const char *path, uint64_t offset, size_t len)
{
    uint8_t *buf = g_malloc(len);
    int fd = open(path, O_RDONLY);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, buf, len, offset), ==, len);
    close(fd);
    return buf;
}

/* ---- The VMM ---- */

static QTestState *start_nvdimm(const char *path, const char *dev_extra)
{
    return qtest_initf(MACHINE "-object memory-backend-file,id=mem0,"
                       "share=on,mem-path=%s,size=16M -device nvdimm,id=nv0,"
                       "memdev=mem0,label-size=128K%s", path, dev_extra);
}

/* pmemvm still answers QMP: it lives, and the machine is as it was. */
static void assert_alive(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-status'}");

    g_assert_true(qtest_probe_child(qts));
    json_node_unref(ret);
}

/* stderr must hold every one of the NULL-terminated strings. */
static void assert_stderr_has(QTestState *qts, ...)
{
    g_autofree char *err = qtest_get_stderr(qts);
    const char *want;
    va_list ap;

    va_start(ap, qts);
    while ((want = va_arg(ap, const char *))) {
        if (!strstr(err, want)) {
            g_test_message("stderr lacks \"%s\":\n%s", want, err);
            g_assert_nonnull(strstr(err, want));
        }
    }
    va_end(ap);
}

/* Wait (a few seconds at most) until stderr holds @want. */
static void wait_stderr(QTestState *qts, const char *want)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    for (;;) {
        g_autofree char *err = qtest_get_stderr(qts);

        if (strstr(err, want)) {
            return;
        }
        if (g_get_monotonic_time() > deadline) {
            g_test_message("stderr lacks \"%s\":\n%s", want, err);
            g_assert_nonnull(strstr(err, want));
        }
        g_usleep(100 * 1000);
    }
}

/* Write the whole label area in pieces, read it back: every status @st. */
static void label_area_roundtrip(QTestState *qts, uint32_t want)
{
    g_autofree uint8_t *data = g_malloc(QDSM_MAX_LABEL_XFER);
    QDsmReply r;

    for (uint32_t off = 0; off < LABELS; off += QDSM_MAX_LABEL_XFER) {
        uint32_t len = MIN(QDSM_MAX_LABEL_XFER, LABELS - off);

        pattern(data, len, off / QDSM_MAX_LABEL_XFER);
        g_assert_cmpuint(qdsm_label_write(qts, HANDLE, off, len, data), ==,
                         want);
        g_assert_cmpuint(qdsm_label_read(qts, HANDLE, off, len, &r), ==,
                         want);
        if (want == QDSM_ST_OK) {
            g_assert_cmpmem(r.page + 8, len, data, len);
        }
    }
}

/* ---- Stories ---- */

/* The same NVDIMM as start_nvdimm(), hot-plugged into an empty machine. */
static QTestState *hotplug_nvdimm(const char *path, const char *dev_extra)
{
    QTestState *qts = qtest_init(MACHINE);
    g_autofree char *dev = g_strdup_printf(
        "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
        "'id': 'nv0', 'memdev': 'mem0', 'label-size': 131072%s}}",
        dev_extra);

    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'memory-backend-file', 'id': "
                             "'mem0', 'share': true, 'mem-path': %s, "
                             "'size': 16777216}}", path);
    qtest_qmp_assert_success(qts, dev);
    return qts;
}

/*
 * The label area is reserved at realize, cold- or hot-plugged: with the
 * file system full after that, every label write still lands.
 * (label-check=off, because on tmpfs the check's reading of the area
 * would allocate its pages too.)
 */
static void test_full_fs_label_area_reserved(const void *data)
{
    bool hotplug = GPOINTER_TO_INT(data);
    g_autofree char *fs = small_fs("reserved", SMALL_FS);
    g_autofree char *path = NULL;
    g_autofree char *filler = NULL;
    g_autofree uint8_t *tail = NULL;
    g_autofree uint8_t *expect = g_malloc(QDSM_MAX_LABEL_XFER);
    QTestState *qts;
    struct stat st;

    if (!fs) {
        return;
    }
    path = make_sparse(fs, "nv.img", FILE_SIZE);
    qts = hotplug ? hotplug_nvdimm(path, ", 'label-check': false")
                  : start_nvdimm(path, ",label-check=off");
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpuint(st.st_size, ==, FILE_SIZE);       /* size untouched */
    g_assert_cmpuint((uint64_t)st.st_blocks * 512, >=, LABELS);
    filler = fill_fs(fs);

    label_area_roundtrip(qts, QDSM_ST_OK);
    assert_alive(qts);
    qtest_quit(qts);

    pattern(expect, QDSM_MAX_LABEL_XFER, 0);
    tail = file_bytes(path, FILE_SIZE - LABELS, QDSM_MAX_LABEL_XFER);
    g_assert_cmpmem(tail, QDSM_MAX_LABEL_XFER, expect, QDSM_MAX_LABEL_XFER);
    unlink(filler);
    unlink(path);
    small_fs_remove(g_steal_pointer(&fs));
}

/*
 * Full before start-up: the reservation fails (a warning naming the file),
 * a read of the never-written area gives zeros, a write answers status 4
 * and is logged with the file and the reason, and the watch says the file
 * system is full; once there is room again (said too), writes land.
 */
static void test_full_fs_no_room(void)
{
    g_autofree char *fs = small_fs("no-room", SMALL_FS);
    g_autofree char *path = NULL;
    g_autofree char *filler = NULL;
    g_autofree char *want = NULL;
    g_autofree uint8_t *data = g_malloc(QDSM_MAX_LABEL_XFER);
    g_autofree uint8_t *tail = NULL;
    QTestState *qts;
    QDsmReply r;

    if (!fs) {
        return;
    }
    path = make_sparse(fs, "nv.img", FILE_SIZE);
    filler = fill_fs(fs);
    qts = start_nvdimm(path, "");
    assert_stderr_has(qts, "nvdimm 'nv0': cannot reserve", path,
                      "No space left on device", NULL);

    g_assert_cmpuint(qdsm_label_read(qts, HANDLE, 0, 256, &r), ==,
                     QDSM_ST_OK);
    for (unsigned i = 0; i < 256; i++) {
        g_assert_cmphex(r.page[8 + i], ==, 0);
    }
    pattern(data, QDSM_MAX_LABEL_XFER, 7);
    g_assert_cmpuint(qdsm_label_write(qts, HANDLE, 0, QDSM_MAX_LABEL_XFER,
                                      data), ==, QDSM_ST_HW_ERROR);
    assert_alive(qts);
    assert_stderr_has(qts, "guest error: nvdimm 'nv0': Set Label Data",
                      path, "no space left on its file system", NULL);

    /* The watch says so too, and when it is over. */
    want = g_strdup_printf("warning: backend 'mem0': the file system of %s "
                           "is full and the file is sparse", path);
    wait_stderr(qts, want);

    g_assert_cmpint(unlink(filler), ==, 0);
    g_free(want);
    want = g_strdup_printf("info: backend 'mem0': the file system of %s has "
                           "room again", path);
    wait_stderr(qts, want);
    g_assert_cmpuint(qdsm_label_write(qts, HANDLE, 0, QDSM_MAX_LABEL_XFER,
                                      data), ==, QDSM_ST_OK);
    qtest_quit(qts);
    tail = file_bytes(path, FILE_SIZE - LABELS, QDSM_MAX_LABEL_XFER);
    g_assert_cmpmem(tail, QDSM_MAX_LABEL_XFER, data, QDSM_MAX_LABEL_XFER);
    unlink(path);
    small_fs_remove(g_steal_pointer(&fs));
}

/* The NVDIMM's guest-physical address, from query-memory-devices. */
static uint64_t nvdimm_addr(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-memory-devices'}");
    JsonObject *data = json_object_get_object_member(
        json_array_get_object_element(json_node_get_array(ret), 0), "data");
    uint64_t addr = json_object_get_int_member(data, "addr");

    json_node_unref(ret);
    return addr;
}

/*
 * The backing file truncated under the running VMM: pmemvm says so within
 * a second; label reads and writes answer status 4 naming the file and
 * saying it was truncated; a qtest read of the region reads as unbacked
 * (all ones) and is logged; once the file has its size back (said too),
 * all works again.
 */
static void test_truncated_nvdimm(void)
{
    g_autofree char *path = make_sparse(tmp_dir, "trunc.img", FILE_SIZE);
    g_autofree char *want = NULL;
    g_autofree uint8_t *data = g_malloc(QDSM_MAX_LABEL_XFER);
    QTestState *qts = start_nvdimm(path, "");
    uint64_t addr = nvdimm_addr(qts);
    QDsmReply r;

    pattern(data, QDSM_MAX_LABEL_XFER, 3);
    g_assert_cmpuint(qdsm_label_write(qts, HANDLE, 0, 512, data), ==,
                     QDSM_ST_OK);
    qtest_writel(qts, addr + 8 * MiB, 0x12345678);

    g_assert_cmpint(truncate(path, 4 * MiB), ==, 0);
    /* Said at once, whether or not anyone touches the lost part. */
    want = g_strdup_printf("warning: backend 'mem0': %s was truncated to "
                           "4194304 bytes while mapped (16777216 bytes)",
                           path);
    wait_stderr(qts, want);
    g_assert_cmpuint(qdsm_label_read(qts, HANDLE, 0, 512, &r), ==,
                     QDSM_ST_HW_ERROR);
    g_assert_cmpuint(qdsm_label_write(qts, HANDLE, 0, 512, data), ==,
                     QDSM_ST_HW_ERROR);
    assert_alive(qts);
    assert_stderr_has(qts, "guest error: nvdimm 'nv0': Get Label Data",
                      "guest error: nvdimm 'nv0': Set Label Data", path,
                      "truncated to 4194304 bytes", NULL);

    g_assert_cmphex(qtest_readl(qts, addr + 8 * MiB), ==, 0xFFFFFFFF);
    qtest_writel(qts, addr + 8 * MiB, 0x9abcdef0);
    g_assert_cmphex(qtest_readl(qts, addr + MiB), ==, 0);   /* still there */
    assert_alive(qts);
    assert_stderr_has(qts, "memory-backend-file 'mem0'", NULL);

    g_assert_cmpint(truncate(path, FILE_SIZE), ==, 0);
    g_free(want);
    want = g_strdup_printf("info: backend 'mem0': %s has its size back", path);
    wait_stderr(qts, want);
    g_assert_cmpuint(qdsm_label_read(qts, HANDLE, 0, 512, &r), ==,
                     QDSM_ST_OK);
    g_assert_cmpuint(qdsm_label_write(qts, HANDLE, 0, 512, data), ==,
                     QDSM_ST_OK);
    qtest_quit(qts);
    unlink(path);
}

/*
 * Guest RAM from a file that is truncated: qtest reads and writes of RAM
 * and a _DSM call (its page is in RAM) fail softly, logged with the file.
 */
static void test_truncated_ram(void)
{
    g_autofree char *path = make_sparse(tmp_dir, "ram.img", 256 * MiB);
    g_autofree char *nv = make_sparse(tmp_dir, "ram-nv.img", FILE_SIZE);
    g_autofree char *want = NULL;
    QTestState *qts = qtest_initf(
        MACHINE "-object memory-backend-file,id=ram0,share=on,mem-path=%s,"
        "size=256M -machine memory-backend=ram0 -object memory-backend-file,"
        "id=mem0,share=on,mem-path=%s,size=16M -device nvdimm,id=nv0,"
        "memdev=mem0,label-size=128K", path, nv);
    uint8_t buf[64];

    qtest_writeq(qts, 1 * MiB, 0x1122334455667788ULL);
    g_assert_cmpint(truncate(path, 0), ==, 0);
    want = g_strdup_printf("warning: backend 'ram0': %s was truncated to 0 "
                           "bytes while mapped", path);
    wait_stderr(qts, want);
    g_assert_cmphex(qtest_readq(qts, 1 * MiB), ==, UINT64_MAX);
    memset(buf, 0x5A, sizeof(buf));
    qtest_memwrite(qts, 2 * MiB, buf, sizeof(buf));
    qtest_memread(qts, 2 * MiB, buf, sizeof(buf));
    for (unsigned i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, 0xFF);
    }
    /* The DSM page is unreadable: the request is dropped, logged. */
    qtest_outl(qts, LAYOUT_PORT_NVDIMM_DSM, LAYOUT_NVDIMM_DSM_PAGE);
    assert_alive(qts);
    assert_stderr_has(qts, "memory-backend-file 'ram0'", path,
                      "truncated to 0 bytes", "DSM page", NULL);
    qtest_quit(qts);
    unlink(path);
    unlink(nv);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-backing-fault-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    /* Mounts in our own namespace die with us, whatever happens. */
    if (unshare(CLONE_NEWNS) < 0) {
        no_mounts = g_strdup_printf("cannot make a private mount namespace "
                                    "(unshare: %s); run as root",
                                    g_strerror(errno));
    } else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        no_mounts = g_strdup_printf("cannot make the mounts private: %s",
                                    g_strerror(errno));
    }
    g_test_add_data_func("/backing-fault/full-fs/label-area-reserved",
                         GINT_TO_POINTER(false),
                         test_full_fs_label_area_reserved);
    g_test_add_data_func("/backing-fault/full-fs/label-area-reserved-hotplug",
                         GINT_TO_POINTER(true),
                         test_full_fs_label_area_reserved);
    g_test_add_func("/backing-fault/full-fs/no-room",
                   test_full_fs_no_room);
    g_test_add_func("/backing-fault/truncated/nvdimm", test_truncated_nvdimm);
    g_test_add_func("/backing-fault/truncated/ram", test_truncated_ram);
    ret = g_test_run();
    remove_dir(tmp_dir);
    return ret;
}
