/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sockets for chardevs (util/sockets.c).  Each returns a blocking,
 * close-on-exec fd, or -1 with @errp set in QEMU's words.
 */
#ifndef QEMU_SOCKETS_H
#define QEMU_SOCKETS_H

#include "qapi/error.h"

/* Listen on unix socket @path, replacing a socket left over there. */
int qemu_unix_listen(const char *path, Error **errp);
int qemu_unix_connect(const char *path, Error **errp);
/*
 * Listen on (@server) or connect to @host:@port; an empty @host is every
 * address for a server, localhost for a client.  @family: AF_UNSPEC,
 * AF_INET or AF_INET6.
 */
int qemu_inet_socket(const char *host, const char *port, int family,
                     bool server, Error **errp);

#endif
