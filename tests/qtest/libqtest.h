/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest: start the VMM under test with a qtest and a QMP socket and
 * drive it, QEMU style.
 *
 * The binary is $QTEST_QEMU_BINARY if set (a real QEMU 7.2, so that the
 * same scenario can run against it; the test passes its own accelerator,
 * e.g. "-accel tcg -S", see qtest_binary_is_qemu()), else
 * $QTEST_PMEMVM_BINARY (then "-accel qtest" is appended).  It is started
 * as
 *
 *   BIN -qtest unix:DIR/qtest.sock -qtest-log /dev/null
 *       -chardev socket,path=DIR/qmp.sock,id=char0
 *       -mon chardev=char0,mode=control -display none EXTRA_ARGS
 *
 * with DIR from mkdtemp; EXTRA_ARGS is split like a shell would (quotes
 * for JSON -object/-device work).  Its stderr goes to a file that
 * qtest_get_stderr() returns and that is printed when something fails;
 * with $QTEST_LOG set it is inherited and the qtest log goes there too.
 *
 * Every wait has a deadline, $QTEST_TIMEOUT seconds (default 60): a hung
 * or dead VMM fails the test (abort, after killing the VMM), never hangs
 * it.  Protocol errors ("FAIL" where "OK" was due) fail the same way; use
 * qtest_cmd_raw() and the QMP functions to look at failures on purpose.
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct QTestState QTestState;

/* ---- The binary ---- */

const char *qtest_binary(void);
/* True when the binary came from $QTEST_QEMU_BINARY. */
bool qtest_binary_is_qemu(void);
/* Deadline of every wait, in seconds. */
unsigned qtest_timeout(void);

/* ---- Life cycle ---- */

/* Start, connect both sockets, read the greeting, send qmp_capabilities. */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* As qtest_init() but the QMP greeting is left unread. */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);
/*
 * As qtest_init(), but if the VMM exits before it connects, return NULL
 * with its exit status (see qtest_run_expect_fail()) and stderr text
 * (g_free; either pointer may be NULL).
 */
QTestState *qtest_init_may_fail(const char *extra_args, int *exit_status,
                                char **stderr_text);
/*
 * Run "BIN -display none ARGS" without sockets and wait for it to exit.
 * Returns the exit code, 128 + N if signal N killed it, or -1 if it was
 * still running at the deadline (it is then killed).  *stderr_text gets
 * what it printed there.
 */
int qtest_run_expect_fail(const char *args, char **stderr_text);

/*
 * Stop the VMM with SIGTERM (QEMU exits 0 then) unless it already exited,
 * check its exit status (default expectation 0), free everything.
 */
void qtest_quit(QTestState *s);
void qtest_set_expected_status(QTestState *s, int status);
/* Wait for the VMM to exit by itself (e.g. after "quit"); its status. */
int qtest_wait_exit(QTestState *s);
/* True while the VMM process is alive. */
bool qtest_probe_child(QTestState *s);
/* The VMM's process id, -1 once it has been reaped. */
int qtest_pid(QTestState *s);
/* What the VMM printed on stderr so far (g_free). */
char *qtest_get_stderr(QTestState *s);

/* ---- qtest protocol ---- */

/* Send one request line (no newline in @fmt); return the reply line. */
char *qtest_cmd_raw(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * Send the request @line (no newline) @count times, in batches, without
 * waiting for each reply (the protocol answers in order), and insist that
 * every reply is "OK".  Client-side pipelining of ordinary requests, for
 * stories that need many accesses fast: qtest has no bulk port write.
 */
void qtest_cmd_repeat(QTestState *s, const char *line, size_t count);

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);
uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);

/* Bulk access: hex ("read"/"write") and base64 ("b64read"/"b64write"). */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern,
                  size_t size);

int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_step_next(QTestState *s);
int64_t qtest_clock_set(QTestState *s, int64_t val);
bool qtest_big_endian(QTestState *s);

void qtest_irq_intercept_in(QTestState *s, const char *qom_path);
/* Level of intercepted IRQ @num as last reported. */
bool qtest_get_irq(QTestState *s, int num);

/* ---- QMP ---- */

/*
 * @fmt is JSON in QEMU's extended syntax: 'single-quoted' strings, and
 * outside strings %s (a C string, sent as a JSON string), %d %i %u %ld
 * %li %lu %lld %lli %llu (PRId64 and friends), %f, %p (a JsonNode*, not
 * consumed) and %%.  Replies are JsonObjects (json_object_unref); events
 * met while waiting are queued for the event functions.
 */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...);
JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap);
void qtest_qmp_send(QTestState *s, const char *fmt, ...);
/* Send @text verbatim (for malformed-input tests). */
void qtest_qmp_send_raw(QTestState *s, const char *text);
/* Next reply, events queued. */
JsonObject *qtest_qmp_receive(QTestState *s);
/* Next message of any kind (events included, queued ones first). */
JsonObject *qtest_qmp_receive_dict(QTestState *s);
/* A queued event called @event (removed from the queue), or NULL. */
JsonObject *qtest_qmp_event_ref(QTestState *s, const char *event);
/* Wait for @event (a queued one counts). */
JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *event);
void qtest_qmp_eventwait(QTestState *s, const char *event);

/* Fail the test unless the reply has "return"; that value (copied). */
JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...);
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...);

/* "class" / "desc" of an error reply, NULL for other messages. */
const char *qmp_rsp_error_class(JsonObject *rsp);
const char *qmp_rsp_error_desc(JsonObject *rsp);
/* Compact JSON text of @obj (g_free), for messages and comparisons. */
char *qmp_to_string(JsonObject *obj);

#endif
