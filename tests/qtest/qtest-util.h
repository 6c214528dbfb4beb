/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-util: helpers for qtests that run a real QEMU next to pmemvm and
 * compare what each says.
 */
#ifndef QTEST_UTIL_H
#define QTEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/* The QEMU binary compared against, looked up in $PATH. */
#define QEMU_NAME "qemu-system-x86_64"

/* The path of QEMU_NAME (g_free), or NULL if it is not installed. */
char *qemu_path(void);

/*
 * Run QEMU on @args until it either exits or reaches its main loop, i.e.
 * answers a QMP command (only the main loop runs commands, after machine
 * init and every -object and -device; the greeting comes earlier, from
 * the monitor's I/O thread).  libqtest cannot tell: QEMU connects its
 * qtest socket before machine init, then may still exit with an error.
 * Returns the exit status, or 0 with *started set (QEMU is then killed,
 * after answering query-memory-devices into *devices if @devices is not
 * NULL); *err gets its stderr.
 */
int qemu_probe(const char *args, bool *started, char **err,
               JsonNode **devices);
/* The same with the QMP command @command (no arguments) instead. */
int qemu_probe_query(const char *args, bool *started, char **err,
                     const char *command, JsonNode **reply);

/*
 * The error line of @text: the first "PROG: " line that is not a warning
 * or an info line, with "PROG: " removed; NULL if there is none.
 */
char *error_line(const char *text, const char *prog);

/*
 * Start QEMU 7.2 under libqtest (-nodefaults, paused; -qtest selects the
 * qtest accelerator)
 * with @args, as qtest_init() starts pmemvm; NULL (and the test marked
 * skipped) when QEMU is not installed.
 */
typedef struct QTestState QTestState;
QTestState *qemu_qtest_init(const char *args);

/*
 * Start pmemvm (qtest_init) with every fsync/fdatasync it makes slowed
 * by @ms milliseconds: the LD_PRELOAD shim $QTEST_FSYNC_DELAY
 * (fsync-delay.c).  NULL, and the test marked skipped, without the shim
 * or when the binary is QEMU.
 */
QTestState *qtest_init_fsync_delay(const char *args, unsigned ms);

/* ---- A raw peer of a VMM's server socket (QMP bytes, serial) ---- */

/* The monotonic time @secs seconds from now, and ms until @deadline. */
gint64 peer_deadline_in(int secs);
int peer_ms_left(gint64 deadline);
/* Connect to the server socket @path; the fd is non-blocking. */
int peer_connect(const char *path);
/*
 * Append what @fd has to @rx, waiting at most until @deadline for it.
 * False on timeout; EOF fails the test.
 */
bool peer_recv(int fd, GString *rx, gint64 deadline);
/* The next "\n"-terminated line of @rx without "\r\n" (g_free), or NULL. */
char *peer_take_line(GString *rx);
/* The next line from @fd by @deadline, or NULL. */
char *peer_line(int fd, GString *rx, gint64 deadline);
/* Send all @len bytes of @data by @deadline (else the test fails). */
void peer_send_all(int fd, const char *data, size_t len, gint64 deadline);

/* "rm -rf @dir", which must succeed. */
void remove_dir(const char *dir);

/* @tmpl with every "@D@" replaced by @dir (g_free). */
char *expand_dir(const char *tmpl, const char *dir);
/* Create (or truncate) @dir/@name as a sparse file of @size bytes. */
void make_sized_file(const char *dir, const char *name, uint64_t size);

#endif

/*
 * @node as compact JSON with the members of every object sorted by name,
 * so that two VMMs' answers compare as text whatever order each prints
 * members in (g_free).
 */
char *json_canonical(JsonNode *node);
char *json_object_canonical(JsonObject *obj);

/*
 * Send the QMP command @cmd (libqtest's JSON syntax, no arguments
 * interpolated) and append to @transcript every message up to and
 * including its reply, one canonical line each, events without their
 * "timestamp" (QEMU and pmemvm send them at different times).
 */
void qmp_transcribe(QTestState *qts, GString *transcript, const char *cmd);
