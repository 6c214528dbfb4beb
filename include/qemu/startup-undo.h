/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a start-up that does not complete gives back: files it created
 * (removed) and files it extended from empty (made empty again), its
 * pidfile among them.  pmemvm runs the list when it exits before its main
 * loop, on an error or on a signal (system/vl.c); a file that held data
 * is never on it.  Running it is async-signal-safe.
 */
#ifndef QEMU_STARTUP_UNDO_H
#define QEMU_STARTUP_UNDO_H

#include "qemu/osdep.h"

typedef struct StartupUndo StartupUndo;

/*
 * This run created @path, open as @fd: remove it, if @path still names
 * that file.  Returns NULL once start-up is over (nothing to undo then).
 */
StartupUndo *startup_undo_created(const char *path, int fd);
/* This run extended @path (open as @fd) from empty: truncate it to 0. */
StartupUndo *startup_undo_extended(const char *path, int fd);
/* @u's file is done with (e.g. its fd is about to close): leave it be. */
void startup_undo_forget(StartupUndo *u);

/*
 * Undo every entry not forgotten.  Async-signal-safe with @in_signal
 * (only fstat, stat, unlink, ftruncate); otherwise failures are warned
 * about.  Each entry is undone once.
 */
void startup_undo_run(bool in_signal);
/* Start-up completed: nothing is undone from now on. */
void startup_undo_done(void);

#endif
