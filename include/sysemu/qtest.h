/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest server: QEMU 7.2's line-based test protocol on a chardev
 * (-qtest SPEC, -qtest-log FILE).  Tests drive port I/O and guest memory
 * through it; see accel/qtest/qtest.c for the commands.
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/*
 * Open the qtest chardev from @spec (a legacy chardev string such as
 * "unix:/tmp/qtest.sock", as -qtest takes it; connects at once) and start
 * serving it from the main loop.  @logfile: NULL logs the traffic to
 * stderr (QEMU's default), "none" disables the log, anything else is a
 * file to write it to.  When the client disconnects the VM shuts down
 * (SHUTDOWN_CAUSE_HOST_QTEST).
 */
bool qtest_server_init(const char *spec, const char *logfile, Error **errp);

/* True once qtest_server_init() has succeeded. */
bool qtest_enabled(void);

/*
 * Feed request bytes as if they came from the client, without a chardev
 * (replies are dropped): the fuzz target of the line parser uses it.
 */
void qtest_server_feed(const uint8_t *buf, size_t len);

/* The qtest virtual clock in ns, moved only by clock_step/clock_set. */
int64_t qtest_get_virtual_clock(void);

#endif
