/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exit-cleanup: what pmemvm leaves behind when it exits.
 *
 * - discard-data=on: every orderly exit (QMP quit, the guest's power-off,
 *   SIGTERM, SIGINT, SIGHUP) releases the backing file's blocks and keeps
 *   its size, as QEMU 7.2 does when it unparents its backends at exit; a
 *   killed VMM (SIGKILL) cannot, and a start-up failure does not.
 * - -pidfile: removed at exit and when start-up fails, as in QEMU 7.2; a
 *   pidfile another instance holds is never touched.
 * - a start-up failure gives back what this run did to backing files: a
 *   file it created is removed, an empty file it extended is empty again,
 *   a file that held data is not touched.  QEMU 7.2 leaves created and
 *   extended files behind; that difference is pmemvm's on purpose.
 *
 * Where qemu-system-x86_64 is installed the cases QEMU shares run on it
 * too (docs/system/nvdimm.md, "When pmemvm exits").
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "libqtest.h"
#include "qtest-util.h"
#include "hw/i386/layout.h"

/* One NVDIMM at the start of the device-memory window (4 GiB). */
#define MACHINE         "-machine pc,nvdimm=on -m 128M,slots=2,maxmem=1G "
#define NVDIMM_GPA      0x100000000ULL
#define BACKEND_SIZE    (16 * MiB)
#define WRITTEN         (8 * MiB)

/* ---- Helpers ---- */

static char *make_dir(void)
{
    char *dir = g_dir_make_tmp("exit-cleanup-XXXXXX", NULL);

    g_assert_nonnull(dir);
    return dir;
}

/* Start pmemvm, or QEMU 7.2 (NULL and skipped if it is not installed). */
static QTestState *vmm_start(bool qemu, const char *args)
{
    return qemu ? qemu_qtest_init(args) : qtest_init(args);
}

/* Run pmemvm or QEMU to its (failing) end: exit status, stderr. */
static int vmm_run_fail(bool qemu, const char *args, char **err)
{
    g_autofree char *bin = qemu ? qemu_path() : NULL;
    g_autofree char *full = g_strdup_printf("%s%s", qemu ? "-nodefaults " :
                                            "", args);
    int status;

    if (qemu) {
        g_setenv("QTEST_QEMU_BINARY", bin, TRUE);
    }
    status = qtest_run_expect_fail(full, err);
    if (qemu) {
        g_unsetenv("QTEST_QEMU_BINARY");
    }
    return status;
}

static const char *vmm_name(bool qemu)
{
    return qemu ? "QEMU 7.2" : "pmemvm";
}

static struct stat stat_of(const char *path)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st;
}

/*
 * Can this file system free a file's blocks (what MADV_REMOVE does to a
 * shared file mapping)?  If not, discard-data cannot be seen to work.
 */
static bool can_punch_holes(const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "probe", NULL);
    g_autofree char *buf = g_malloc(64 * KiB);
    struct stat st;
    bool ok;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);

    g_assert_cmpint(fd, >=, 0);
    memset(buf, 0x5a, 64 * KiB);
    g_assert_cmpint(write(fd, buf, 64 * KiB), ==, 64 * KiB);
    g_assert_cmpint(fsync(fd), ==, 0);
    ok = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                   64 * KiB) == 0 && fstat(fd, &st) == 0 && st.st_blocks == 0;
    close(fd);
    unlink(path);
    return ok;
}

/* ---- discard-data=on at exit ---- */

typedef enum ExitWay {
    EXIT_QMP_QUIT,
    EXIT_SIGTERM,
    EXIT_SIGINT,
    EXIT_SIGHUP,
    EXIT_GUEST_POWEROFF,
    EXIT_SIGKILL,
} ExitWay;

typedef struct ExitCase {
    const char *name;
    ExitWay way;
    bool discards;          /* the file's blocks are released */
} ExitCase;

static const ExitCase exit_cases[] = {
    { "qmp-quit", EXIT_QMP_QUIT, true },
    { "sigterm", EXIT_SIGTERM, true },
    { "sigint", EXIT_SIGINT, true },
    { "sighup", EXIT_SIGHUP, true },
    { "guest-poweroff", EXIT_GUEST_POWEROFF, true },
    /* a killed VMM runs no code: the data stays in the file */
    { "sigkill", EXIT_SIGKILL, false },
};

/*
 * The guest powers the machine off.  pmemvm: ACPI S5 in the
 * hardware-reduced sleep control register (docs/specs/pc-machine.md).
 * QEMU's i440fx: PM1a_CNT of the PIIX4 power management function
 * (00:01.3), whose I/O space a firmware would have enabled first: PMBA
 * (config 0x40) = 0x600, PMIOSE (bit 0 of config 0x80); then SLP_EN with
 * SLP_TYP 0, QEMU's \_S5.
 */
static void guest_poweroff(QTestState *qts, bool qemu)
{
    if (!qemu) {
        /* SLP_TYP = S5 (5 << 2) | SLP_EN (1 << 5) */
        qtest_outb(qts, LAYOUT_PORT_ACPI_SLEEP_CTL, 0x34);
        return;
    }
    qtest_outl(qts, 0xcf8, 0x80000b40);
    qtest_outl(qts, 0xcfc, 0x601);
    qtest_outl(qts, 0xcf8, 0x80000b80);
    qtest_outb(qts, 0xcfc, 0x01);
    qtest_outw(qts, 0x604, 0x2000);
}

/* End the VMM @way; returns its exit status. */
static int vmm_exit(QTestState *qts, bool qemu, ExitWay way)
{
    static const int sig[] = {
        [EXIT_SIGTERM] = SIGTERM, [EXIT_SIGINT] = SIGINT,
        [EXIT_SIGHUP] = SIGHUP, [EXIT_SIGKILL] = SIGKILL,
    };

    switch (way) {
    case EXIT_QMP_QUIT:
        qtest_qmp_send(qts, "{'execute': 'quit'}");
        break;
    case EXIT_GUEST_POWEROFF:
        guest_poweroff(qts, qemu);
        break;
    default:
        g_assert_cmpint(kill(qtest_pid(qts), sig[way]), ==, 0);
    }
    return qtest_wait_exit(qts);
}

/*
 * A directory for the NVDIMM's backing file *@file, and the command line
 * (@extra first) of a VMM whose NVDIMM maps it with discard-data=on; NULL
 * (and the test skipped) if the file system cannot free blocks.
 */
static char *discard_args(const char *extra, char **dir, char **file)
{
    *dir = make_dir();
    *file = g_build_filename(*dir, "nv.img", NULL);
    if (!can_punch_holes(*dir)) {
        g_test_skip("the file system of the test directory cannot free a "
                    "file's blocks (no hole punching)");
        return NULL;
    }
    return g_strdup_printf(
        MACHINE "%s -object memory-backend-file,id=m1,share=on,"
        "discard-data=on,mem-path=%s,size=16M -device nvdimm,memdev=m1",
        extra, *file);
}

static void run_exit_case(const ExitCase *c, bool qemu)
{
    g_autofree char *dir = NULL, *file = NULL;
    g_autofree char *args = discard_args("", &dir, &file);
    QTestState *qts;
    struct stat st;
    int status;

    if (!args) {
        remove_dir(dir);
        return;
    }
    qts = vmm_start(qemu, args);
    if (!qts) {
        remove_dir(dir);
        return;
    }
    qtest_memset(qts, NVDIMM_GPA, 0x5a, WRITTEN);
    g_assert_cmphex(qtest_readq(qts, NVDIMM_GPA + WRITTEN - 8), ==,
                    0x5a5a5a5a5a5a5a5aULL);
    /* the guest's writes are in the file's pages */
    st = stat_of(file);
    g_assert_cmpuint((uint64_t)st.st_blocks * 512, >=, WRITTEN);

    status = vmm_exit(qts, qemu, c->way);
    g_assert_cmpint(status, ==, c->way == EXIT_SIGKILL ? 128 + SIGKILL : 0);
    qtest_quit(qts);

    st = stat_of(file);
    g_assert_cmpuint(st.st_size, ==, BACKEND_SIZE);
    if (c->discards) {
        if (st.st_blocks) {
            g_error("%s: after %s, %s still has %" PRIu64 " bytes of "
                    "blocks (discard-data=on)", vmm_name(qemu), c->name,
                    file, (uint64_t)st.st_blocks * 512);
        }
    } else {
        g_assert_cmpuint((uint64_t)st.st_blocks * 512, >=, WRITTEN);
    }
    remove_dir(dir);
}

static void test_discard_at_exit(gconstpointer data)
{
    const ExitCase *c = data;

    run_exit_case(c, false);
    run_exit_case(c, true);
}

/*
 * -no-shutdown: the guest's power-off stops the guest, not pmemvm, so
 * the data is still there; the host's quit then ends pmemvm, and
 * discards.  (QEMU's PIIX4 power-off differs; pmemvm only.)
 */
static void test_discard_no_shutdown(void)
{
    g_autofree char *dir = NULL, *file = NULL;
    g_autofree char *args = discard_args("-no-shutdown", &dir, &file);
    QTestState *qts;

    if (!args) {
        remove_dir(dir);
        return;
    }
    qts = qtest_init(args);
    qtest_memset(qts, NVDIMM_GPA, 0x5a, WRITTEN);
    guest_poweroff(qts, false);
    qtest_qmp_eventwait(qts, "SHUTDOWN");
    g_assert_true(qtest_probe_child(qts));
    g_assert_cmpuint((uint64_t)stat_of(file).st_blocks * 512, >=, WRITTEN);
    g_assert_cmpint(vmm_exit(qts, false, EXIT_QMP_QUIT), ==, 0);
    qtest_quit(qts);
    g_assert_cmpuint(stat_of(file).st_blocks, ==, 0);
    g_assert_cmpuint(stat_of(file).st_size, ==, BACKEND_SIZE);
    remove_dir(dir);
}

/* ---- -pidfile ---- */

/* A start-up failure after the pidfile was written removes it. */
static void run_pidfile_startup_failure(bool qemu, bool daemonize)
{
    g_autofree char *dir = make_dir();
    g_autofree char *pidfile = g_build_filename(dir, "vmm.pid", NULL);
    g_autofree char *args = g_strdup_printf(
        "%s-pidfile %s " MACHINE "-device nvdimm,memdev=nope",
        daemonize ? "-daemonize " : "", pidfile);
    g_autofree char *err = NULL, *line = NULL;

    g_assert_cmpint(vmm_run_fail(qemu, args, &err), ==, 1);
    line = error_line(err, qemu ? QEMU_NAME : "pmemvm");
    g_assert_nonnull(line);
    g_assert_nonnull(strstr(line, "Device 'nope' not found"));
    if (g_file_test(pidfile, G_FILE_TEST_EXISTS)) {
        g_error("%s left the pidfile %s behind after a start-up failure%s",
                vmm_name(qemu), pidfile, daemonize ? " (-daemonize)" : "");
    }
    remove_dir(dir);
}

static void test_pidfile_startup_failure(gconstpointer data)
{
    bool daemonize = GPOINTER_TO_INT(data);
    g_autofree char *qemu = qemu_path();

    run_pidfile_startup_failure(false, daemonize);
    if (qemu) {
        run_pidfile_startup_failure(true, daemonize);
    } else {
        g_test_message(QEMU_NAME " is not installed: pmemvm checked alone");
    }
}

/* Removed at every orderly exit; left by SIGKILL (nothing can run). */
static void run_pidfile_exit(bool qemu, ExitWay way)
{
    g_autofree char *dir = make_dir();
    g_autofree char *pidfile = g_build_filename(dir, "vmm.pid", NULL);
    g_autofree char *args = g_strdup_printf("-pidfile %s", pidfile);
    g_autofree char *text = NULL;
    QTestState *qts = vmm_start(qemu, args);

    if (!qts) {
        remove_dir(dir);
        return;
    }
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    g_assert_cmpint(atoi(text), ==, qtest_pid(qts));
    vmm_exit(qts, qemu, way);
    qtest_quit(qts);
    g_assert_cmpint(g_file_test(pidfile, G_FILE_TEST_EXISTS), ==,
                    way == EXIT_SIGKILL);
    remove_dir(dir);
}

static void test_pidfile_exit(void)
{
    static const ExitWay ways[] = {
        EXIT_QMP_QUIT, EXIT_SIGTERM, EXIT_SIGINT, EXIT_SIGHUP, EXIT_SIGKILL,
    };
    int i, qemu;

    for (qemu = 0; qemu < 2; qemu++) {
        for (i = 0; i < G_N_ELEMENTS(ways); i++) {
            run_pidfile_exit(qemu, ways[i]);
        }
    }
}

/*
 * A second instance refused because the first holds the pidfile's lock
 * leaves the first one's pidfile alone.
 */
static void run_pidfile_locked(bool qemu)
{
    g_autofree char *dir = make_dir();
    g_autofree char *pidfile = g_build_filename(dir, "vmm.pid", NULL);
    g_autofree char *args = g_strdup_printf("-pidfile %s", pidfile);
    g_autofree char *err = NULL, *line = NULL, *text = NULL;
    QTestState *first = vmm_start(qemu, args);

    if (!first) {
        remove_dir(dir);
        return;
    }
    g_assert_cmpint(vmm_run_fail(qemu, args, &err), ==, 1);
    line = error_line(err, qemu ? QEMU_NAME : "pmemvm");
    g_assert_cmpstr(line, ==, "cannot create PID file: Cannot lock pid "
                    "file: Resource temporarily unavailable");
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    g_assert_cmpint(atoi(text), ==, qtest_pid(first));
    qtest_quit(first);
    remove_dir(dir);
}

static void test_pidfile_locked(void)
{
    run_pidfile_locked(false);
    run_pidfile_locked(true);
}

/* ---- backing files after a start-up failure (pmemvm only) ---- */

typedef enum Before {
    BEFORE_ABSENT,          /* the file does not exist */
    BEFORE_EMPTY,           /* it exists, 0 bytes */
    BEFORE_DATA,            /* it holds BACKEND_SIZE bytes of data */
} Before;

typedef struct FailCase {
    const char *name;
    Before before;
    const char *args;       /* "@F@": the file; "@D@": its directory */
    const char *error;      /* in pmemvm's error line */
    bool qtest;             /* run under -accel qtest (else the default) */
} FailCase;

#define OBJ_F "-object memory-backend-file,id=m1,share=on,mem-path=@F@," \
              "size=16M"

static const FailCase fail_cases[] = {
    /* a later -device fails */
    { "created-then-device-fails", BEFORE_ABSENT,
      MACHINE OBJ_F " -device nvdimm,memdev=m1,slot=9",
      "invalid slot number 9", true },
    /* a later -object fails in its own creation */
    { "created-then-object-fails", BEFORE_ABSENT,
      MACHINE OBJ_F " -object memory-backend-file,id=m2,"
      "mem-path=@D@/missing/m2.img,size=1M",
      "can't open backing store @D@/missing/m2.img for guest RAM", true },
    /* the machine cannot start (no KVM here, or no -kernel where KVM is) */
    { "created-then-accelerator-fails", BEFORE_ABSENT,
      MACHINE OBJ_F " -device nvdimm,memdev=m1", NULL, false },
    { "empty-extended-then-device-fails", BEFORE_EMPTY,
      MACHINE OBJ_F " -device nvdimm,memdev=m1,slot=9",
      "invalid slot number 9", true },
    /* data, and even discard-data=on: a failed start touches nothing */
    { "data-untouched", BEFORE_DATA,
      MACHINE OBJ_F ",discard-data=on -device nvdimm,memdev=m1,slot=9",
      "invalid slot number 9", true },
};

static void test_startup_failure_files(gconstpointer data)
{
    const FailCase *c = data;
    g_autofree char *dir = make_dir();
    g_autofree char *file = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "vmm.pid", NULL);
    g_autofree char *data_before = NULL, *data_after = NULL;
    g_autofree char *err = NULL, *line = NULL;
    g_autofree char *want = NULL;
    GString *args = g_string_new("-pidfile @P@ ");
    gsize len = 0;
    int status;

    g_string_append(args, c->args);
    g_string_replace(args, "@F@", file, 0);
    g_string_replace(args, "@P@", pidfile, 0);
    g_string_replace(args, "@D@", dir, 0);
    if (c->error) {
        GString *w = g_string_new(c->error);

        g_string_replace(w, "@D@", dir, 0);
        want = g_string_free(w, FALSE);
    }
    if (c->before == BEFORE_EMPTY) {
        g_assert_true(g_file_set_contents(file, "", 0, NULL));
    } else if (c->before == BEFORE_DATA) {
        data_before = g_malloc(BACKEND_SIZE);
        memset(data_before, 0xa5, BACKEND_SIZE);
        g_assert_true(g_file_set_contents(file, data_before, BACKEND_SIZE,
                                          NULL));
    }
    if (c->qtest) {
        QTestState *qts = qtest_init_may_fail(args->str, &status, &err);

        if (qts) {
            qtest_quit(qts);
            g_error("pmemvm started with '%s'", args->str);
        }
    } else {
        status = qtest_run_expect_fail(args->str, &err);
    }
    g_string_free(args, TRUE);
    g_assert_cmpint(status, ==, 1);
    line = error_line(err, "pmemvm");
    g_assert_nonnull(line);
    if (want && !strstr(line, want)) {
        g_error("pmemvm failed for another reason: %s", line);
    }

    switch (c->before) {
    case BEFORE_ABSENT:
        if (g_file_test(file, G_FILE_TEST_EXISTS)) {
            g_error("the start-up failure left %s, which pmemvm created",
                    file);
        }
        break;
    case BEFORE_EMPTY:
        g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
        g_assert_cmpuint(stat_of(file).st_size, ==, 0);
        break;
    case BEFORE_DATA:
        g_assert_true(g_file_get_contents(file, &data_after, &len, NULL));
        g_assert_cmpuint(len, ==, BACKEND_SIZE);
        g_assert_true(memcmp(data_before, data_after, len) == 0);
        g_assert_cmpuint((uint64_t)stat_of(file).st_blocks * 512, >=,
                         BACKEND_SIZE);
        break;
    }
    /* and the pidfile written before the failure is gone */
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    g_test_message("QEMU 7.2 leaves a file it created, or extended from "
                   "empty, behind after a start-up failure");
    remove_dir(dir);
}

/*
 * A signal while start-up waits (here for the client of a QMP socket with
 * wait=on): pmemvm ends at once, killed by the signal as QEMU 7.2 is,
 * but first removes its pidfile and the backing file it created (QEMU
 * leaves both).
 */
static void test_startup_signal(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    int i;

    for (i = 0; i < G_N_ELEMENTS(sigs); i++) {
        g_autofree char *dir = make_dir();
        g_autofree char *file = g_build_filename(dir, "nv.img", NULL);
        g_autofree char *pidfile = g_build_filename(dir, "vmm.pid", NULL);
        g_autofree char *sock = g_build_filename(dir, "qmp.sock", NULL);
        g_autofree char *cmd = g_strdup_printf(
            "%s -display none -accel qtest -qtest null -pidfile %s "
            MACHINE "-object memory-backend-file,id=m1,share=on,"
            "mem-path=%s,size=16M -device nvdimm,memdev=m1 "
            "-qmp unix:%s,server=on,wait=on", qtest_binary(), pidfile, file,
            sock);
        g_auto(GStrv) argv = NULL;
        gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
        int wstatus = 0;
        GPid pid;

        g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
        g_assert_true(g_spawn_async(NULL, argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD |
                                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                    &pid, NULL));
        /* the backing file and the pidfile exist: it waits for a client */
        while (!g_file_test(sock, G_FILE_TEST_EXISTS)) {
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
            g_assert_cmpint(waitpid(pid, &wstatus, WNOHANG), ==, 0);
            g_usleep(10 * 1000);
        }
        g_assert_true(g_file_test(file, G_FILE_TEST_EXISTS));
        g_assert_true(g_file_test(pidfile, G_FILE_TEST_EXISTS));
        g_assert_cmpint(kill(pid, sigs[i]), ==, 0);
        while (waitpid(pid, &wstatus, WNOHANG) == 0) {
            if (g_get_monotonic_time() > deadline) {
                kill(pid, SIGKILL);
                g_error("pmemvm ignored signal %d while starting", sigs[i]);
            }
            g_usleep(10 * 1000);
        }
        g_spawn_close_pid(pid);
        g_assert_true(WIFSIGNALED(wstatus));
        g_assert_cmpint(WTERMSIG(wstatus), ==, sigs[i]);
        g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
        g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
        remove_dir(dir);
    }
}

/* A run that started keeps the file it created, at its size. */
static void test_created_file_kept(void)
{
    g_autofree char *dir = make_dir();
    g_autofree char *file = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *args = g_strdup_printf(
        MACHINE "-object memory-backend-file,id=m1,share=on,mem-path=%s,"
        "size=16M -device nvdimm,memdev=m1", file);
    QTestState *qts = qtest_init(args);

    qtest_writeq(qts, NVDIMM_GPA, 0x1122334455667788ULL);
    g_assert_cmpint(vmm_exit(qts, false, EXIT_QMP_QUIT), ==, 0);
    qtest_quit(qts);
    g_assert_cmpuint(stat_of(file).st_size, ==, BACKEND_SIZE);
    g_assert_cmpuint(stat_of(file).st_blocks, >, 0);
    remove_dir(dir);
}

int main(int argc, char **argv)
{
    guint i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(exit_cases); i++) {
        g_autofree char *path = g_strdup_printf(
            "/exit-cleanup/discard-data/%s", exit_cases[i].name);

        g_test_add_data_func(path, &exit_cases[i], test_discard_at_exit);
    }
    g_test_add_func("/exit-cleanup/discard-data/no-shutdown",
                    test_discard_no_shutdown);
    g_test_add_data_func("/exit-cleanup/pidfile/startup-failure",
                         GINT_TO_POINTER(false),
                         test_pidfile_startup_failure);
    g_test_add_data_func("/exit-cleanup/pidfile/daemonize-startup-failure",
                         GINT_TO_POINTER(true),
                         test_pidfile_startup_failure);
    g_test_add_func("/exit-cleanup/pidfile/exit", test_pidfile_exit);
    g_test_add_func("/exit-cleanup/pidfile/locked", test_pidfile_locked);
    for (i = 0; i < G_N_ELEMENTS(fail_cases); i++) {
        g_autofree char *path = g_strdup_printf(
            "/exit-cleanup/startup-failure/%s", fail_cases[i].name);

        g_test_add_data_func(path, &fail_cases[i],
                             test_startup_failure_files);
    }
    g_test_add_func("/exit-cleanup/startup-failure/signal",
                    test_startup_signal);
    g_test_add_func("/exit-cleanup/created-file-kept",
                    test_created_file_kept);
    return g_test_run();
}
