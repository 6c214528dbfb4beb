/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -daemonize and -pidfile (QEMU's os-posix.c).
 */
#ifndef SYSEMU_OS_POSIX_H
#define SYSEMU_OS_POSIX_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/*
 * Fork: the parent waits until os_daemonize_finish() (or the child's
 * exit) and exits with the child's start-up result; the child goes on in
 * a new session.  Exits with status 1 if it cannot fork.
 */
void os_daemonize_start(void);
/* Start-up succeeded: detach from the terminal and release the parent. */
void os_daemonize_finish(void);

/*
 * Create and lock @path and write our pid into it; the lock is held for
 * as long as pmemvm runs.  os_remove_pidfile() removes it again.
 */
bool os_write_pidfile(const char *path, Error **errp);
void os_remove_pidfile(void);

#endif
