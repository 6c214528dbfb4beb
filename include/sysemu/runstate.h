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
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_QTEST,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,   /* system_reset */
} ShutdownCause;

/* QEMU's ShutdownCause names ("host-qmp-quit", "guest-reset", ...). */
const char *shutdown_cause_name(ShutdownCause cause);
/* Whether the guest asked (QEMU's shutdown_caused_by_guest()). */
bool shutdown_cause_is_guest(ShutdownCause cause);

RunState runstate_get(void);
void runstate_set(RunState s);
/* QMP names: "prelaunch", "paused", "running", "shutdown". */
const char *runstate_name(RunState s);
bool runstate_is_running(void);

/* Ask the main loop to stop; thread-safe, callable from signal context
 * via the self-pipe the main loop owns. */
void qemu_system_shutdown_request(ShutdownCause cause);
/* A reset the guest asked for (SHUTDOWN_CAUSE_GUEST_RESET). */
void qemu_system_reset_request(void);
/*
 * A reset someone else asked for (system_reset); thread-safe.  Under
 * -no-reboot (qemu_set_reboot_shuts_down()) every reset request is a
 * shutdown request with the same cause, at once, as in QEMU.
 */
void qemu_system_reset_request_cause(ShutdownCause cause);
void qemu_set_reboot_shuts_down(bool on);

/*
 * The main loop's handler of pending reset and powerdown requests
 * (system/vl.c sets it).  A monitor calls qemu_handle_pending_requests()
 * after each command, before its reply, so that the events of a reset or
 * powerdown come first, as in QEMU 7.2.
 */
void qemu_set_pending_requests_handler(void (*fn)(void));
void qemu_handle_pending_requests(void);
ShutdownCause qemu_shutdown_requested(void);
/* A reset undoes a guest shutdown that -no-shutdown kept (main loop). */
void qemu_system_shutdown_cancel_guest(void);
/* Start / stop the vCPUs (QMP cont / stop). */
void vm_start(void);
void vm_stop(void);

/*
 * The cause of a pending reset request, once (SHUTDOWN_CAUSE_NONE when
 * there is none); the main loop performs it.
 */
ShutdownCause qemu_reset_requested_clear(void);

/*
 * system_powerdown (QEMU's qemu_system_powerdown_request()): the main
 * loop, once the request's reply is out, sends POWERDOWN and calls the
 * powerdown handler, which presses the guest's ACPI power button.
 * Thread-safe.
 */
void qemu_system_powerdown_request(void);
/* True (once) after qemu_system_powerdown_request(). */
bool qemu_powerdown_requested_clear(void);
/* The machine's power button (one handler; NULL: none). */
void qemu_set_powerdown_handler(void (*fn)(void *opaque), void *opaque);
/* Main loop: the event, then the handler. */
void qemu_system_powerdown(void);

/* The main loop's context (GLib default context). */
GMainContext *qemu_main_context(void);

#endif
