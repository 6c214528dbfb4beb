/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A human monitor (HMP) client for qtests, for either VMM: connect to a
 * monitor socket (-monitor unix:PATH,server=on,wait=off, or a socket
 * chardev with -mon mode=readline), send lines, read what comes back up
 * to the next "(qemu) " prompt.  Every wait has libqtest's deadline
 * ($QTEST_TIMEOUT); a missing prompt fails the test.
 *
 * qtest_hmp() runs a line through QMP human-monitor-command instead.
 */
#ifndef LIBQTEST_HMP_H
#define LIBQTEST_HMP_H

#include "libqtest.h"

#define QTEST_HMP_PROMPT "(qemu) "

typedef struct QTestHMP QTestHMP;

/*
 * Connect to the unix socket @path, retrying until the deadline, and
 * read the banner up to the first prompt (qtest_hmp_banner()).  With
 * @wait_prompt false, nothing is read (a multiplexed monitor says nothing
 * until it has the focus).
 */
QTestHMP *qtest_hmp_connect(const char *path, bool wait_prompt);
void qtest_hmp_close(QTestHMP *h);
int qtest_hmp_fd(QTestHMP *h);
/* What came before the first prompt (banner line included). */
const char *qtest_hmp_banner(QTestHMP *h);

/* Send @len bytes as they are. */
void qtest_hmp_send(QTestHMP *h, const void *buf, size_t len);
/* Read until @text has come (it is included); returns all read (g_free). */
char *qtest_hmp_read_until(QTestHMP *h, const char *text);
/* Everything that arrives within @ms milliseconds (g_free). */
char *qtest_hmp_read_for(QTestHMP *h, int ms);

/*
 * Send the line (no newline in @fmt; "\n" is added) and return what came
 * back up to and including the next prompt: the monitor's echo of the
 * line, its output, the prompt (g_free).
 */
char *qtest_hmp_cmd_raw(QTestHMP *h, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * As qtest_hmp_cmd_raw(), without the echo (up to its "\r\n") and the
 * prompt, "\r\n" turned into "\n": the command's output (g_free).
 */
char *qtest_hmp_cmd(QTestHMP *h, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* QMP human-monitor-command: the output string, as it is (g_free). */
char *qtest_hmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
