/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character devices: the byte streams behind the monitor, qtest and the
 * serial console, created from QEMU's -chardev options or legacy strings.
 *
 * Backends: socket (unix path, tcp host/port, or an inherited fd; client
 * or server), stdio, file, null.  A server socket serves one client at a
 * time and accepts the next one after the previous one disconnects.
 *
 * Threads: creation, qemu_chr_find() and qemu_chr_set_handlers() belong to
 * the main thread.  Handlers run on qemu_main_context().
 * qemu_chr_write_all() may be called from any thread; each call is written
 * as one unit, never interleaved with another writer's bytes.
 *
 * Creating the first chardev sets SIGPIPE to SIG_IGN, as QEMU does at
 * start-up, so that a vanished reader gives EPIPE instead of killing us.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/option.h"

typedef struct Chardev Chardev;

typedef enum QEMUChrEvent {
    CHR_EVENT_OPENED,   /* a peer connected (or the backend is ready) */
    CHR_EVENT_CLOSED,   /* the peer went away (or input reached EOF) */
} QEMUChrEvent;

typedef void IOReadHandler(void *opaque, const uint8_t *buf, size_t len);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

/*
 * -chardev: @opts holds "backend" (the implied first item: socket, stdio,
 * file, null), "id" and the backend's options:
 *   socket: path=P | host=H,port=N[,to=,ipv4=,ipv6=,nodelay=] | fd=N,
 *           server=on|off (default off), wait=on|off (servers, default
 *           on: block here until the first client connects); the legacy
 *           bare flag "nowait" is wait=off.  A client connects now and
 *           fails with "Failed to connect to 'P': REASON".  An fd is
 *           used as it is: a listening socket serves clients, a
 *           connected one is the peer.
 *   file:   path=P[,append=on]
 *   stdio:  [signal=on|off]
 * Errors use QEMU's text where QEMU has one.
 */
Chardev *qemu_chr_new_from_opts(const QemuOpts *opts, Error **errp);

/*
 * The legacy strings of -qmp, -qtest, -serial and -monitor, registered
 * under @label: "unix:PATH[,server[=on]][,wait=off|,nowait]",
 * "tcp:[HOST]:PORT[,server...]", "stdio", "null", "file:PATH", and
 * "chardev:ID" (returns the existing chardev ID).
 */
Chardev *qemu_chr_new_legacy(const char *label, const char *spec,
                             Error **errp);

/* NULL when no chardev has that id. */
Chardev *qemu_chr_find(const char *id);
const char *qemu_chr_label(const Chardev *chr);
/* "unix:/path,server=on" style description for messages. */
const char *qemu_chr_describe(const Chardev *chr);

/*
 * Attach the frontend (one per chardev).  If a peer is already connected
 * @fd_event gets CHR_EVENT_OPENED at once.  Pass NULLs to detach.
 */
void qemu_chr_set_handlers(Chardev *chr, IOReadHandler *fd_read,
                           IOEventHandler *fd_event, void *opaque);

/*
 * Write all of @buf, blocking until the peer took it.  Returns @len, also
 * when no peer is connected (the bytes are dropped, as in QEMU), or -1 on
 * a write error (the connection is then closed from the main loop).
 */
ssize_t qemu_chr_write_all(Chardev *chr, const void *buf, size_t len);

bool qemu_chr_is_connected(Chardev *chr);
/* Drop the current peer (main thread); a server waits for the next one. */
void qemu_chr_disconnect(Chardev *chr);

/* Close every chardev and remove the unix sockets we created (at exit). */
void qemu_chr_cleanup(void);

#endif
