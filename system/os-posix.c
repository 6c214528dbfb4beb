/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -daemonize and -pidfile: see include/sysemu/os-posix.h.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/file.h>
#include "qemu/startup-undo.h"
#include "sysemu/os-posix.h"

static char *pidfile_written;
static int daemon_ready_fd = -1;

bool os_write_pidfile(const char *path, Error **errp)
{
    g_autofree char *text = NULL;
    int fd;

    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create PID file '%s'", path);
        return false;
    }
    if (flock(fd, LOCK_EX | LOCK_NB)) {
        error_setg(errp, "cannot create PID file: Cannot lock pid file: %s",
                   g_strerror(errno));
        close(fd);
        return false;
    }
    text = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(fd, 0) || write(fd, text, strlen(text)) !=
        (ssize_t)strlen(text)) {
        error_setg_errno(errp, errno, "cannot write PID file '%s'", path);
        close(fd);
        return false;
    }
    /* Keep fd open: the lock lasts as long as we run. */
    pidfile_written = g_strdup(path);
    /* Gone again if start-up does not complete, as in QEMU. */
    startup_undo_created(path, fd);
    return true;
}

void os_remove_pidfile(void)
{
    if (pidfile_written) {
        unlink(pidfile_written);
        g_clear_pointer(&pidfile_written, g_free);
    }
}

void os_daemonize_start(void)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds)) {
        error_report("-daemonize: pipe: %s", g_strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("-daemonize: fork: %s", g_strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        char status = 1;
        close(fds[1]);
        /* The parent exits with the child's start-up result. */
        if (read(fds[0], &status, 1) != 1) {
            status = 1;
        }
        _exit(status);
    }
    close(fds[0]);
    daemon_ready_fd = fds[1];
    setsid();
}

void os_daemonize_finish(void)
{
    char ok = 0;
    int null;

    if (daemon_ready_fd < 0) {
        return;
    }
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
    if (write(daemon_ready_fd, &ok, 1) != 1) {
        /* The parent is gone; nothing to tell. */
    }
    close(daemon_ready_fd);
    daemon_ready_fd = -1;
}
