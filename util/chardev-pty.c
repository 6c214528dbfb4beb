/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -chardev pty: a pseudo-terminal pair.  The guest side is the master;
 * whoever opens the slave (virsh console, screen) is the peer.  As QEMU,
 * the slave is put in raw mode, its path is printed ("char device
 * redirected to /dev/pts/N (label ID)") and reported as "pty:/dev/pts/N"
 * by query-chardev, where libvirt finds it.
 *
 * pmemvm keeps a slave fd of its own open, so that the master never sees
 * a hang-up between two peers (reads would fail with EIO): output written
 * while nobody is connected waits in the terminal's buffer and, once that
 * is full, is dropped by the chardev's output queue (char.h).
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include "chardev-internal.h"

bool chr_open_pty(Chardev *chr, Error **errp)
{
    int master, slave;
    char name[PATH_MAX];
    struct termios tio;

    if (openpty(&master, &slave, name, NULL, NULL) < 0) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        return false;
    }
    if (tcgetattr(slave, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(slave, TCSAFLUSH, &tio);
    }
    fcntl(master, F_SETFD, FD_CLOEXEC);
    fcntl(slave, F_SETFD, FD_CLOEXEC);
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    /* held for the chardev's life; see the top of this file */
    chr->pty_slave_fd = slave;
    chr->desc = g_strdup_printf("pty:%s", name);
    fprintf(stderr, "char device redirected to %s (label %s)\n", name,
            chr->label);
    chr_set_peer(chr, master, master);
    return true;
}
