/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line as typed (system/cmdline.c), for system/vl.c.
 */
#ifndef SYSTEM_CMDLINE_H
#define SYSTEM_CMDLINE_H

#include "qemu/osdep.h"
#include "qemu/option.h"

/* One option as typed, kept for messages ("-device nvdimm,...: msg"). */
typedef struct CmdOpt {
    char *name;         /* "device", "object", ... */
    char *arg;          /* as typed; NULL for flags */
} CmdOpt;

/* Split argv into CmdOpts; an unknown option exits with status 1. */
GPtrArray *cmdline_parse(int argc, char **argv);
/* -version, -help, -machine help, -device/-object help: print, exit 0. */
void cmdline_handle_help(GPtrArray *opts);
/* Refuse what pmemvm does not model, by name; warn where QEMU would act. */
void cmdline_check_accepted(const CmdOpt *o);

/*
 * The parameters pmemvm takes for an option, as QEMU's
 * query-command-line-options lists them: @option is QEMU's name for the
 * option group ("boot-opts" for -boot), @params its keys with QEMU's
 * type names ("string", "boolean", "number", "size").  For -name, -msg,
 * -rtc, -boot, -overcommit and -sandbox these tables are also what the
 * option is checked against.
 */
typedef struct CmdlineParam {
    const char *name;
    const char *type;
} CmdlineParam;

typedef struct CmdlineOptionInfo {
    const char *option;
    const CmdlineParam *params;     /* up to a NULL name; NULL: none */
} CmdlineOptionInfo;

/* Every option group pmemvm takes (the array and entries are static). */
GPtrArray *cmdline_option_infos(void);
/*
 * -name, -msg, -rtc, -boot, -overcommit, -sandbox parsed and checked
 * against their table (an unknown key or a bad boolean dies naming the
 * option); NULL for any other option.
 */
QemuOpts *cmdline_checked_opts(const CmdOpt *o);

/* Print "pmemvm: -OPT ARG: message" (without @o: "pmemvm: message"),
 * exit 1. */
void G_GNUC_NORETURN die_at(const CmdOpt *o, Error *err);
void G_GNUC_NORETURN die(Error *err);
/* @o's argument as options (key=value or JSON), or die_at(). */
QemuOpts *opts_or_die(const CmdOpt *o, const char *implied);

#endif
