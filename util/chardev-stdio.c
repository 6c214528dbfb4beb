/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The stdio backend: stdin for input, stdout for output that never
 * blocks the VMM (char.h), and a terminal on stdin in raw mode while we
 * run: the frontends (serial console, human monitor) see every key as it
 * is typed and do their own echo, as in QEMU.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>

#include "chardev-internal.h"

const char *const chr_stdio_keys[] = { "signal", NULL };

static bool stdio_in_use;
static bool stdio_forbidden;            /* -daemonize */

void qemu_chr_forbid_stdio(void)
{
    stdio_forbidden = true;
}
static bool tty_saved;
static struct termios tty_orig;

void chr_stdio_reset(void)
{
    stdio_in_use = false;
}

static void stdio_restore_tty(void)
{
    if (tty_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &tty_orig);
    }
}

/*
 * Raw input as QEMU's stdio chardev sets it: no echo, no line editing,
 * no CR/NL translation, 8 bits; output processing stays on.  With
 * @signals, Ctrl-C and friends still raise signals.
 */
static void stdio_raw_tty(bool signals)
{
    struct termios tty;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty) < 0) {
        return;
    }
    if (!tty_saved) {
        tty_orig = tty;
        tty_saved = true;
        atexit(stdio_restore_tty);
    }
    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!signals) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &tty);
}

/*
 * stdout for writes that must not block, without making the fd that we
 * share with our parent (and often with stderr) non-blocking: a pipe or a
 * terminal is opened again through /proc, which gives a description of
 * our own to set O_NONBLOCK on; a socket gets MSG_DONTWAIT; a regular
 * file never blocks for long.  Anything else, or no /proc: stdout as it
 * is, which may block (char.h).
 */
static int chr_stdout_fd(Chardev *chr)
{
    struct stat st;

    if (fstat(STDOUT_FILENO, &st) == 0 &&
        (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        chr->own_out_fd = open("/proc/self/fd/1", O_WRONLY | O_NOCTTY |
                               O_NONBLOCK | O_CLOEXEC);
    }
    return chr->own_out_fd >= 0 ? chr->own_out_fd : STDOUT_FILENO;
}

bool chr_open_stdio(Chardev *chr, const QemuOpts *opts, Error **errp)
{
    bool sig;

    if (!chr_opt_bool(opts, "signal", true, &sig, errp)) {
        return false;
    }
    if (stdio_forbidden) {
        error_setg(errp, "cannot use stdio with -daemonize");
        return false;
    }
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    chr->desc = g_strdup("stdio");
    stdio_raw_tty(sig);
    chr_set_peer(chr, STDIN_FILENO, chr_stdout_fd(chr));
    return true;
}
