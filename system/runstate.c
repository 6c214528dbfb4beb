/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run state, and shutdown/reset requests handed to the main loop.
 */
#include "qemu/osdep.h"
#include "sysemu/runstate.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"

static RunState current_state = RUN_STATE_PRELAUNCH;
static gint shutdown_cause;         /* ShutdownCause, atomic */
static gint reset_cause;            /* ShutdownCause, atomic */
static gint powerdown_requested;    /* atomic */
static bool reboot_shuts_down;
static void (*pending_requests_handler)(void);
static void (*powerdown_handler)(void *opaque);
static void *powerdown_opaque;

static const char *const runstate_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_SHUTDOWN] = "shutdown",
};

RunState runstate_get(void)
{
    return current_state;
}

void runstate_set(RunState s)
{
    current_state = s;
}

const char *runstate_name(RunState s)
{
    return runstate_names[s];
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

GMainContext *qemu_main_context(void)
{
    return g_main_context_default();
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
           cause == SHUTDOWN_CAUSE_GUEST_RESET;
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    switch (cause) {
    case SHUTDOWN_CAUSE_HOST_QMP_QUIT:
        return "host-qmp-quit";
    case SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET:
        return "host-qmp-system-reset";
    case SHUTDOWN_CAUSE_HOST_SIGNAL:
    case SHUTDOWN_CAUSE_HOST_QTEST:
        return "host-signal";
    case SHUTDOWN_CAUSE_GUEST_SHUTDOWN:
        return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET:
        return "guest-reset";
    case SHUTDOWN_CAUSE_NONE:
    default:
        return "none";
    }
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    gint old;
    bool taken = false;

    /*
     * Keep the first cause, except that a host request (quit, signal)
     * still ends a guest shutdown that -no-shutdown kept running.
     */
    do {
        old = g_atomic_int_get(&shutdown_cause);
        if (old != SHUTDOWN_CAUSE_NONE &&
            !(old == SHUTDOWN_CAUSE_GUEST_SHUTDOWN &&
              !shutdown_cause_is_guest(cause))) {
            break;
        }
        taken = g_atomic_int_compare_and_exchange(&shutdown_cause, old,
                                                  cause);
    } while (!taken);
    /*
     * As QEMU, every shutdown is announced, whoever asked for it (QEMU
     * 7.2 sends SHUTDOWN for quit, signals and the guest alike).  Safe
     * from any thread: monitor output is serialised per chardev.
     */
    if (taken) {
        qapi_event_send_shutdown(shutdown_cause_is_guest(cause), cause);
    }
    g_main_context_wakeup(qemu_main_context());
}

void qemu_system_shutdown_cancel_guest(void)
{
    g_atomic_int_compare_and_exchange(&shutdown_cause,
                                      SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
                                      SHUTDOWN_CAUSE_NONE);
}

void qemu_set_reboot_shuts_down(bool on)
{
    reboot_shuts_down = on;
}

void qemu_system_reset_request_cause(ShutdownCause cause)
{
    if (reboot_shuts_down) {
        qemu_system_shutdown_request(cause);
        return;
    }
    g_atomic_int_set(&reset_cause, cause);
    g_main_context_wakeup(qemu_main_context());
}

void qemu_set_pending_requests_handler(void (*fn)(void))
{
    pending_requests_handler = fn;
}

void qemu_handle_pending_requests(void)
{
    if (pending_requests_handler) {
        pending_requests_handler();
    }
}

void qemu_system_reset_request(void)
{
    qemu_system_reset_request_cause(SHUTDOWN_CAUSE_GUEST_RESET);
}

ShutdownCause qemu_shutdown_requested(void)
{
    return g_atomic_int_get(&shutdown_cause);
}

ShutdownCause qemu_reset_requested_clear(void)
{
    return g_atomic_int_exchange(&reset_cause, SHUTDOWN_CAUSE_NONE);
}

void qemu_system_powerdown_request(void)
{
    g_atomic_int_set(&powerdown_requested, 1);
    g_main_context_wakeup(qemu_main_context());
}

bool qemu_powerdown_requested_clear(void)
{
    return g_atomic_int_compare_and_exchange(&powerdown_requested, 1, 0);
}

void qemu_set_powerdown_handler(void (*fn)(void *opaque), void *opaque)
{
    powerdown_handler = fn;
    powerdown_opaque = opaque;
}

void qemu_system_powerdown(void)
{
    qapi_event_send_powerdown();
    if (powerdown_handler) {
        powerdown_handler(powerdown_opaque);
    }
}

void vm_start(void)
{
    if (current_state == RUN_STATE_RUNNING ||
        current_state == RUN_STATE_SHUTDOWN) {
        return;
    }
    accel_resume_vcpus();
    current_state = RUN_STATE_RUNNING;
}

void vm_stop(void)
{
    if (current_state != RUN_STATE_RUNNING) {
        return;
    }
    accel_pause_vcpus();
    current_state = RUN_STATE_PAUSED;
}
