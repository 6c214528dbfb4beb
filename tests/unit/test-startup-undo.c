/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the start-up undo list (util/startup-undo.c): what a start
 * that does not complete gives back, and what it must leave alone.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "qemu/startup-undo.h"

static char *dir;

static int open_file(const char *name, const char *data, char **path)
{
    int fd;

    *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(*path, data, -1, NULL));
    fd = open(*path, O_RDWR);
    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static off_t size_of(const char *path)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

static void test_undo(void)
{
    g_autofree char *created = NULL, *extended = NULL, *forgotten = NULL;
    g_autofree char *replaced = NULL, *other = NULL;
    int fd_created = open_file("created", "", &created);
    int fd_extended = open_file("extended", "", &extended);
    int fd_forgotten = open_file("forgotten", "", &forgotten);
    int fd_replaced = open_file("replaced", "", &replaced);
    int fd_other = open_file("other", "someone else's", &other);

    g_assert_cmpint(ftruncate(fd_extended, 4096), ==, 0);
    g_assert_nonnull(startup_undo_created(created, fd_created));
    g_assert_nonnull(startup_undo_extended(extended, fd_extended));
    startup_undo_forget(startup_undo_created(forgotten, fd_forgotten));
    g_assert_nonnull(startup_undo_created(replaced, fd_replaced));
    /* someone else's file now has the name of the one this run made */
    g_assert_cmpint(rename(other, replaced), ==, 0);

    startup_undo_run(false);
    g_assert_false(g_file_test(created, G_FILE_TEST_EXISTS));
    g_assert_cmpint(size_of(extended), ==, 0);
    g_assert_true(g_file_test(forgotten, G_FILE_TEST_EXISTS));
    g_assert_cmpint(size_of(replaced), ==, strlen("someone else's"));

    /* each entry is undone once: a new file of that name stays */
    g_assert_true(g_file_set_contents(created, "new", -1, NULL));
    g_assert_cmpint(ftruncate(fd_extended, 4096), ==, 0);
    startup_undo_run(true);
    g_assert_true(g_file_test(created, G_FILE_TEST_EXISTS));
    g_assert_cmpint(size_of(extended), ==, 4096);

    /* once start-up is over there is nothing to undo */
    startup_undo_done();
    g_assert_null(startup_undo_created(created, fd_created));
    g_assert_null(startup_undo_extended(extended, fd_extended));
    close(fd_created);
    close(fd_extended);
    close(fd_forgotten);
    close(fd_replaced);
    close(fd_other);
}

int main(int argc, char **argv)
{
    g_autofree char *cmd = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("startup-undo-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_test_add_func("/startup-undo/created-extended-forgotten-replaced",
                    test_undo);
    ret = g_test_run();
    cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(dir);
    return ret;
}
