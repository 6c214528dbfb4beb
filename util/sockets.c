/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sockets for chardevs: a listening or connected unix or TCP socket.
 */
#include "qemu/osdep.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "qemu/sockets.h"

#define SOCKET_LISTEN_BACKLOG 8

int qemu_unix_listen(const char *path, Error **errp)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    struct stat st;
    int fd;

    if (strlen(path) >= sizeof(un.sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    strcpy(un.sun_path, path);
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            error_setg(errp, "Refusing to replace '%s' with a socket: "
                       "it exists and is not a socket", path);
            return -1;
        }
        /* A socket left over by an earlier run: replace it, as QEMU. */
        unlink(path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create Unix socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        close(fd);
        return -1;
    }
    if (listen(fd, SOCKET_LISTEN_BACKLOG) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket %s", path);
        unlink(path);
        close(fd);
        return -1;
    }
    return fd;
}

int qemu_unix_connect(const char *path, Error **errp)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(un.sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    strcpy(un.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create Unix socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

int qemu_inet_socket(const char *host, const char *port, int family,
                       bool server, Error **errp)
{
    struct addrinfo hints = {
        .ai_family = family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = server ? AI_PASSIVE : 0,
    };
    struct addrinfo *res, *ai;
    int err, fd = -1, saved_errno = 0;

    if (!*host) {
        host = server ? NULL : "localhost";
    }
    err = getaddrinfo(host, port, &hints, &res);
    if (err) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   host ? host : "", port, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int one = 1, zero = 0;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            saved_errno = errno;
            continue;
        }
        if (server) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (ai->ai_family == AF_INET6) {
                setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
                           sizeof(zero));
            }
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
                listen(fd, SOCKET_LISTEN_BACKLOG) == 0) {
                break;
            }
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        saved_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (server) {
            error_setg_errno(errp, saved_errno,
                             "Failed to bind socket to %s:%s",
                             host ? host : "", port);
        } else {
            error_setg_errno(errp, saved_errno,
                             "Failed to connect to '%s:%s'", host, port);
        }
    }
    return fd;
}
