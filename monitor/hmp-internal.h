/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the human monitor's files share: the command table
 * (monitor/hmp-cmds.c), the info commands (monitor/hmp-info.c,
 * monitor/hmp-qtree.c) and the chardev monitor (monitor/hmp.c).
 */
#ifndef MONITOR_HMP_INTERNAL_H
#define MONITOR_HMP_INTERNAL_H

#include <json-glib/json-glib.h>
#include "monitor/monitor-internal.h"

/*
 * A command's arguments, as QEMU's args_type letters: 's' one word
 * (quotes allowed), 'S' the rest of the line, 'O' one word of
 * key=value options (may be absent); a '?' after a letter makes it
 * optional.  The handler gets them in @argv (NULL for an absent one).
 */
typedef struct HMPCommand {
    const char *name;           /* "stop|s": the name and its aliases */
    const char *args;
    const char *params;         /* for help: "path property" */
    const char *help;
    void (*handler)(Monitor *mon, char **argv);
    const struct HMPCommand *sub;   /* "info": its subcommands */
} HMPCommand;

/* The "info" subcommands, NULL-name terminated (hmp-info.c). */
extern const HMPCommand hmp_info_cmds[];

/*
 * Parse and run one command line on @mon.  True when the monitor must
 * stop taking input (quit).
 */
bool hmp_handle_command(Monitor *mon, const char *line);

/* Call the QMP command @name with @args (NULL: none), as QMP would. */
JsonNode *hmp_qmp_call(const char *name, JsonObject *args, Error **errp);
/* QEMU's hmp_handle_error(): "Error: MSG\n" and the hint, then free. */
void hmp_handle_error(Monitor *mon, Error *err);

/* info qtree (hmp-qtree.c). */
void hmp_info_qtree(Monitor *mon, char **argv);

#endif
