/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The start-up undo list: see include/qemu/startup-undo.h.
 *
 * Entries live in a fixed table and are never freed, so that a signal
 * handler can walk it at any moment: an entry is filled in, then
 * published by a release store of the count; forgetting or undoing it
 * only flips its state.
 */
#include "qemu/osdep.h"
#include <signal.h>
#include <sys/stat.h>
#include "qapi/error.h"
#include "qemu/startup-undo.h"

/* More files than any command line has; past it, entries are not kept. */
#define STARTUP_UNDO_MAX 1024

typedef enum UndoState {
    UNDO_PENDING,
    UNDO_FORGOTTEN,
    UNDO_DONE,
} UndoState;

struct StartupUndo {
    char *path;
    int fd;
    bool created;                   /* else extended from empty */
    volatile sig_atomic_t state;    /* UndoState */
};

static StartupUndo undo_table[STARTUP_UNDO_MAX];
static int undo_count;              /* published entries */
static volatile sig_atomic_t undo_closed;   /* start-up is over */

static StartupUndo *startup_undo_add(const char *path, int fd, bool created)
{
    int n = __atomic_load_n(&undo_count, __ATOMIC_RELAXED);
    StartupUndo *u;

    if (undo_closed || n == STARTUP_UNDO_MAX) {
        return NULL;
    }
    u = &undo_table[n];
    u->path = g_strdup(path);
    u->fd = fd;
    u->created = created;
    u->state = UNDO_PENDING;
    __atomic_store_n(&undo_count, n + 1, __ATOMIC_RELEASE);
    return u;
}

StartupUndo *startup_undo_created(const char *path, int fd)
{
    return startup_undo_add(path, fd, true);
}

StartupUndo *startup_undo_extended(const char *path, int fd)
{
    return startup_undo_add(path, fd, false);
}

void startup_undo_forget(StartupUndo *u)
{
    if (u && u->state == UNDO_PENDING) {
        u->state = UNDO_FORGOTTEN;
    }
}

/* Is @path still the file open as @fd (not one that replaced it)? */
static bool same_file(const char *path, int fd)
{
    struct stat fd_st, path_st;

    return fstat(fd, &fd_st) == 0 && stat(path, &path_st) == 0 &&
           fd_st.st_dev == path_st.st_dev && fd_st.st_ino == path_st.st_ino;
}

void startup_undo_run(bool in_signal)
{
    int n = __atomic_load_n(&undo_count, __ATOMIC_ACQUIRE);
    int i;

    if (undo_closed) {
        return;
    }
    for (i = n - 1; i >= 0; i--) {
        StartupUndo *u = &undo_table[i];
        bool failed = false;

        if (u->state != UNDO_PENDING) {
            continue;
        }
        u->state = UNDO_DONE;
        if (u->created) {
            failed = same_file(u->path, u->fd) && unlink(u->path) < 0;
        } else {
            failed = ftruncate(u->fd, 0) < 0;
        }
        if (failed && !in_signal) {
            warn_report("start-up failed, but %s could not be %s: %s",
                        u->path, u->created ? "removed" : "made empty again",
                        g_strerror(errno));
        }
    }
}

void startup_undo_done(void)
{
    undo_closed = true;
}
