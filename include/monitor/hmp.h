/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor (HMP), as QEMU 7.2's readline monitor behaves on a
 * chardev: a banner, the "(qemu) " prompt, typed characters echoed with
 * QEMU's terminal sequences, one command per line.  Line editing is
 * Backspace only (no cursor keys, history or completion).  Each command
 * calls the same C function as its QMP twin and prints QEMU's text
 * (docs/system/monitor.md lists them).
 *
 * Main thread only.
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "chardev/char.h"

/*
 * The first line a client sees.  pmemvm's own name, not QEMU's: tools
 * wait for the prompt, "(qemu) ", which is QEMU's.
 */
#define HMP_BANNER_FMT  "pmemvm %s monitor (QEMU %s compatible) - " \
                        "type 'help' for more information\n"
#define HMP_PROMPT      "(qemu) "

/* Serve HMP on @chr (-monitor, -mon mode=readline, -serial mon:...). */
bool monitor_init_hmp(Chardev *chr, Error **errp);

/*
 * Run one command line as the human monitor does and return what it
 * printed, "\n" sent as "\r\n" (QMP human-monitor-command).  g_free.
 */
char *hmp_run_command_line(const char *line);

#endif
