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
 * qemu_chr_write_all() and qemu_chr_write() may be called from any thread
 * (a vCPU thread holding a device lock included): they never wait for the
 * peer, and each call's bytes stay together, in the order of the calls.
 *
 * Output never blocks, as in QEMU.  What the peer does not take at once
 * is queued and written from the main loop when the fd can take more.
 * The queue is bounded in two ways, one per kind of frontend:
 *  - a console (the serial port, qemu_chr_write()) drops a write that
 *    would leave more than 64 KiB queued, like a line nobody listens to;
 *  - a request/reply frontend (QMP, qtest: qemu_chr_write_all()) loses
 *    nothing; instead the chardev stops reading its peer's input while
 *    more than 64 KiB of output wait and reads again once the peer has
 *    taken it all.  A client that sends requests and reads no replies
 *    thus stalls only itself; every request that was read gets its
 *    reply, in order.  The queue can still pass 64 KiB by the replies to
 *    one read's worth of requests (4 KiB) and by events, which a
 *    monitor sends unasked.
 * When a socket's peer goes away its queue is dropped with it.
 *
 * Stdio and files never block the VMM either.  A file we open is made
 * O_NONBLOCK (a regular file ignores that; a FIFO or a terminal named by
 * path= is then bounded like a socket).  stdout is shared with the
 * parent, and often with stderr, so its flags are left alone: a pipe or
 * terminal on stdout is opened again through /proc/self/fd/1 and only
 * that private description is non-blocking; a socket on stdout gets
 * MSG_DONTWAIT; a regular file is written as it is.  Without /proc, an
 * unusual stdout (neither of those) is written as it is and may block.
 * stdin is only read when poll says it is readable.
 *
 * At exit, queued output gets up to 0.5 s in all to reach its peers.
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
    CHR_EVENT_MUX_IN,   /* a multiplexer gave this frontend the focus */
    CHR_EVENT_MUX_OUT,  /* ... and took it away */
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
 *   stdio:  [signal=on|off]; a terminal on stdin is put in raw mode
 *           (no echo, no line editing, as QEMU does; with signal=on, the
 *           default, Ctrl-C still interrupts) and restored at exit.
 * Any backend takes mux=on: the chardev ID is then a multiplexer
 * (util/chardev-mux.c) of up to four frontends over a backend named
 * "ID-base".
 * Errors use QEMU's text where QEMU has one.
 */
Chardev *qemu_chr_new_from_opts(const QemuOpts *opts, Error **errp);

/*
 * The legacy strings of -qmp, -qtest, -serial and -monitor, registered
 * under @label: "unix:PATH[,server[=on]][,wait=off|,nowait]",
 * "tcp:[HOST]:PORT[,server...]", "stdio", "null", "file:PATH", and
 * "chardev:ID" (returns the existing chardev ID).  "mon:SPEC" makes a
 * multiplexer over SPEC (the caller adds the monitor); "mon:stdio" is
 * signal=off, as in QEMU.
 */
Chardev *qemu_chr_new_legacy(const char *label, const char *spec,
                             Error **errp);

/* NULL when no chardev has that id. */
Chardev *qemu_chr_find(const char *id);
const char *qemu_chr_label(const Chardev *chr);
/* "unix:/path,server=on" style description for messages. */
const char *qemu_chr_describe(const Chardev *chr);
/* Every chardev (any order; g_ptr_array_unref). */
GPtrArray *qemu_chr_list(void);
/* A frontend (serial port, monitor) has set its handlers. */
bool qemu_chr_has_frontend(const Chardev *chr);

/*
 * Attach the frontend (one per chardev).  If a peer is already connected
 * @fd_event gets CHR_EVENT_OPENED at once.  Pass NULLs to detach.
 */
void qemu_chr_set_handlers(Chardev *chr, IOReadHandler *fd_read,
                           IOEventHandler *fd_event, void *opaque);

/*
 * Write all of @buf, or queue what the peer cannot take now (see above);
 * never blocks, never drops while a peer is connected.  Returns @len,
 * also when no peer is connected (the bytes are dropped, as in QEMU), or
 * -1 on a write error (a socket's peer is then closed from the main
 * loop, and its queued output dropped).
 */
ssize_t qemu_chr_write_all(Chardev *chr, const void *buf, size_t len);

/*
 * For consoles: as qemu_chr_write_all(), but when 64 KiB already wait for
 * the peer @buf is dropped whole and 0 returned.  Never a part of @buf.
 */
ssize_t qemu_chr_write(Chardev *chr, const void *buf, size_t len);

bool qemu_chr_is_connected(Chardev *chr);
/* Drop the current peer (main thread); a server waits for the next one. */
void qemu_chr_disconnect(Chardev *chr);

/* -daemonize: a stdio chardev is refused, with QEMU's message. */
void qemu_chr_forbid_stdio(void);

/* Close every chardev and remove the unix sockets we created (at exit). */
void qemu_chr_cleanup(void);

#endif
