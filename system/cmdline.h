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

/* Print "pmemvm: -OPT ARG: message" (without @o: "pmemvm: message"),
 * exit 1. */
void G_GNUC_NORETURN die_at(const CmdOpt *o, Error *err);
void G_GNUC_NORETURN die(Error *err);
/* @o's argument as options (key=value or JSON), or die_at(). */
QemuOpts *opts_or_die(const CmdOpt *o, const char *implied);

#endif
