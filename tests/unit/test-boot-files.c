/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pc_boot_linux() with -kernel and -initrd files that are not what a
 * loader expects: a 1 TiB sparse file (once read into a 1 TiB g_malloc:
 * GLib-ERROR, SIGTRAP), a FIFO (once a read that waited for ever), a
 * directory, /dev/zero.  Each runs in a subprocess with a deadline, so an
 * abort or a hang fails the case instead of the whole run.  And guest RAM
 * whose backing file was truncated: the loader fails with the file named
 * instead of dying of SIGBUS.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "hw/i386/boot.h"
#include "hw/core/memory.h"
#include "qemu/guarded-mem.h"
#include "boot-fixture.h"

#define RAM_SIZE        (64 * MiB)
#define KERNEL_SIZE     (64 * KiB)
#define DEADLINE_US     (20 * G_USEC_PER_SEC)
#define BOOT_FILES_DIR_ENV "PMEMVM_TEST_BOOT_FILES_DIR"

static char *tmp_dir;

/* A bzImage the loader accepts (the guest would decompress it). */
static uint8_t *make_kernel(void)
{
    uint8_t *buf = g_malloc0(KERNEL_SIZE);
    struct setup_header *h = (void *)(buf + BZIMAGE_HDR_OFFSET);

    boot_fixture_setup_header(buf, 3, 0x020F);
    h->init_size = 4 * MiB;
    return buf;
}

typedef enum Special {
    SPECIAL_SPARSE_1T,
    SPECIAL_FIFO,
    SPECIAL_DIR,
    SPECIAL_DEV_ZERO,
} Special;

static char *special_path(Special kind, const char *name)
{
    if (kind == SPECIAL_DEV_ZERO) {
        return g_strdup("/dev/zero");
    }
    return g_build_filename(tmp_dir, name, NULL);
}

/* Make the odd file; false (and the case skipped) if this host cannot. */
static bool make_special(Special kind, const char *path)
{
    int fd;

    switch (kind) {
    case SPECIAL_SPARSE_1T:
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        g_assert_cmpint(fd, >=, 0);
        if (ftruncate(fd, 1 * TiB) < 0) {
            g_autofree char *why = g_strdup_printf(
                "no 1 TiB sparse file in %s: %s", tmp_dir, g_strerror(errno));
            close(fd);
            unlink(path);
            g_test_skip(why);
            return false;
        }
        close(fd);
        break;
    case SPECIAL_FIFO:
        g_assert_cmpint(mkfifo(path, 0600), ==, 0);
        break;
    case SPECIAL_DIR:
        g_assert_cmpint(mkdir(path, 0700), ==, 0);
        break;
    case SPECIAL_DEV_ZERO:
        break;
    }
    return true;
}

static void remove_special(Special kind, const char *path)
{
    if (kind == SPECIAL_DIR) {
        rmdir(path);
    } else if (kind != SPECIAL_DEV_ZERO) {
        unlink(path);
    }
}

typedef struct Case {
    const char *name;
    Special kind;
    bool initrd;                /* the odd file is the initrd */
    const char *why;            /* after "could not load WHAT 'PATH': " */
} Case;

static const Case cases[] = {
    { "kernel/sparse-1t", SPECIAL_SPARSE_1T, false,
      "kernel is too large (1099511627776 bytes; the guest has 67108864 "
      "bytes of RAM below 4 GiB)" },
    { "kernel/fifo", SPECIAL_FIFO, false,
      "it is a FIFO, not a regular file" },
    { "kernel/directory", SPECIAL_DIR, false, "Is a directory" },
    { "kernel/dev-zero", SPECIAL_DEV_ZERO, false,
      "it is a character device, not a regular file" },
    { "initrd/sparse-1t", SPECIAL_SPARSE_1T, true,
      "initrd is too large (1099511627776 bytes; the guest has 67108864 "
      "bytes of RAM below 4 GiB)" },
    { "initrd/fifo", SPECIAL_FIFO, true,
      "it is a FIFO, not a regular file" },
    { "initrd/directory", SPECIAL_DIR, true, "Is a directory" },
    { "initrd/dev-zero", SPECIAL_DEV_ZERO, true,
      "it is a character device, not a regular file" },
};

/* In the subprocess: boot, which must fail at once; print the error. */
static void boot_expect_error(const Case *c, const char *path)
{
    g_autofree uint8_t *kernel = make_kernel();
    Error *err = NULL;
    BootFixture f;

    boot_fixture_init(&f, RAM_SIZE, kernel, KERNEL_SIZE, "initrd", 6, NULL);
    if (c->initrd) {
        f.pcms.initrd = (char *)path;
    } else {
        f.pcms.kernel = (char *)path;
    }
    /* The loader, and the start-up check: they say the same. */
    g_assert_false(pc_boot_linux(&f.pcms, &err));
    g_print("boot: %s\n", error_get_pretty(err));
    error_free(err);
    err = NULL;
    g_assert_false(pc_boot_check_file(&f.pcms, c->initrd ? PC_BOOT_INITRD
                                                         : PC_BOOT_KERNEL,
                                      path, &err));
    g_print("check: %s\n", error_get_pretty(err));
    error_free(err);
    f.pcms.kernel = f.kernel_path;
    f.pcms.initrd = f.initrd_path;
    boot_fixture_free(&f);
}

static void test_odd_file(const void *data)
{
    const Case *c = data;
    g_autofree char *name = g_strdelimit(g_strdup(c->name), "/", '-');
    g_autofree char *path = special_path(c->kind, name);
    g_autofree char *want = NULL;

    if (g_test_subprocess()) {
        boot_expect_error(c, path);
        return;
    }
    if (!make_special(c->kind, path)) {
        return;
    }
    g_test_trap_subprocess(NULL, DEADLINE_US, G_TEST_SUBPROCESS_DEFAULT);
    remove_special(c->kind, path);
    g_test_trap_assert_passed();
    want = g_strdup_printf("*boot: could not load %s '*%s': %s\n"
                           "check: could not load %s '*%s': %s\n*",
                           c->initrd ? PC_BOOT_INITRD : PC_BOOT_KERNEL,
                           c->kind == SPECIAL_DEV_ZERO ? "/dev/zero" : name,
                           c->why,
                           c->initrd ? PC_BOOT_INITRD : PC_BOOT_KERNEL,
                           c->kind == SPECIAL_DEV_ZERO ? "/dev/zero" : name,
                           c->why);
    g_test_trap_assert_stdout(want);
}

/*
 * Guest RAM mapped from a file that was truncated: loading the kernel
 * into it fails with a message (and a log line naming the file), no
 * SIGBUS.
 */
static void test_ram_truncated(void)
{
    g_autofree uint8_t *kernel = make_kernel();
    g_autofree char *ram_path = g_build_filename(tmp_dir, "ram.img", NULL);
    unsigned long errors = guest_error_count();
    Error *err = NULL;
    BootFixture f;
    uint8_t *ram;
    int fd;

    boot_fixture_init(&f, RAM_SIZE, kernel, KERNEL_SIZE, NULL, 0, NULL);
    /* Swap the fixture's RAM for a shared file mapping, then cut it. */
    guest_ram_del(f.region);
    fd = open(ram_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, RAM_SIZE), ==, 0);
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    g_assert_true(ram != MAP_FAILED);
    mapped_range_add(ram, RAM_SIZE, "memory-backend-file 'ram0' (ram.img)",
                     NULL, NULL);
    f.region = guest_ram_add("pc.ram", 0, RAM_SIZE, ram, false,
                             &error_abort);
    f.pcms.ram = ram;
    g_assert_cmpint(ftruncate(fd, 0), ==, 0);

    g_assert_false(pc_boot_linux(&f.pcms, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "into guest RAM"));
    g_assert_cmpuint(guest_error_count(), >, errors);
    error_free(err);

    mapped_range_remove(ram);
    boot_fixture_free(&f);
    munmap(ram, RAM_SIZE);
    close(fd);
    unlink(ram_path);
}

int main(int argc, char **argv)
{
    unsigned i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* Subprocesses (g_test_trap_subprocess) use their parent's files. */
    if (g_test_subprocess() && getenv(BOOT_FILES_DIR_ENV)) {
        tmp_dir = g_strdup(getenv(BOOT_FILES_DIR_ENV));
    } else {
        tmp_dir = g_dir_make_tmp("pmemvm-boot-files-XXXXXX", NULL);
        g_assert_nonnull(tmp_dir);
        g_setenv(BOOT_FILES_DIR_ENV, tmp_dir, true);
    }
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *path = g_strdup_printf("/boot-files/%s",
                                                cases[i].name);

        g_test_add_data_func(path, &cases[i], test_odd_file);
    }
    g_test_add_func("/boot-files/ram-truncated", test_ram_truncated);
    ret = g_test_run();
    if (!g_test_subprocess()) {
        rmdir(tmp_dir);
    }
    return ret;
}
