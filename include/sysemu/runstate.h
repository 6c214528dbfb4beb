/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VM run state and shutdown requests (QEMU's runstate.c, small).
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "qemu/osdep.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,    /* machine built, -S given, not started yet */
    RUN_STATE_PAUSED,
    RUN_STATE_RUNNING,
    RUN_STATE_SHUTDOWN,
    /* stopped on an error the guest cannot continue from (QEMU's name) */
    RUN_STATE_INTERNAL_ERROR,
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_QTEST,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
} ShutdownCause;

RunState runstate_get(void);
void runstate_set(RunState s);
/* QMP names: "prelaunch", "paused", "running", "shutdown",
 * "internal-error". */
const char *runstate_name(RunState s);
bool runstate_is_running(void);

/* Ask the main loop to stop; thread-safe, callable from signal context
 * via the self-pipe the main loop owns. */
void qemu_system_shutdown_request(ShutdownCause cause);
void qemu_system_reset_request(void);
ShutdownCause qemu_shutdown_requested(void);
/* Start / stop the vCPUs (QMP cont / stop). */
void vm_start(void);
void vm_stop(void);

/*
 * Ask the main loop to stop the VM and enter @state (from any thread: a
 * vCPU thread cannot stop the others itself); it then sends the STOP
 * event.  The first request wins until it is handled.
 */
void qemu_system_vmstop_request(RunState state);
/* The requested state (once), or false when none was asked for. */
bool qemu_vmstop_requested(RunState *state);
/* States from which only a reset or quit goes on (QEMU's
 * runstate_needs_reset()): 'cont' is refused. */
bool runstate_needs_reset(void);

/* True (once) after qemu_system_reset_request(). */
bool qemu_reset_requested_clear(void);

/* The main loop's context (GLib default context). */
GMainContext *qemu_main_context(void);

#endif
