/*
 * Chardev output (include/chardev/char.h has the contract): writers on
 * any thread queue under chr->lock and never wait; the main loop flushes
 * from a G_IO_OUT source.
 */
#include "qemu/osdep.h"

#include <poll.h>
#include <sys/socket.h>
#include <glib-unix.h>

#include "chardev-internal.h"
#include "sysemu/runstate.h"

/* ChrOutWriteFunc for out_fd, which never blocks (see char.h). */
static ssize_t chr_write_fd(void *opaque, const void *buf, size_t len)
{
    Chardev *chr = opaque;

    if (chr->out_socket) {
        return send(chr->out_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    return write(chr->out_fd, buf, len);
}

static gboolean chr_write_cb(int fd, GIOCondition cond, gpointer opaque);

/* Under @lock: have the main loop call chr_write_cb when out_fd can take
 * more (GLib's sources may be attached from any thread). */
static void chr_watch_output_locked(Chardev *chr)
{
    if (!chr->write_src) {
        chr->write_src = g_unix_fd_source_new(chr->out_fd, G_IO_OUT);
        g_source_set_callback(chr->write_src, G_SOURCE_FUNC(chr_write_cb),
                              chr, NULL);
        g_source_attach(chr->write_src, qemu_main_context());
    }
}

/*
 * Under @lock: a write failed and the queue is gone.  A socket's peer is
 * then closed by chr_write_cb, on the main thread; a file or stdout
 * stays, for the next writer to try.
 */
static void chr_write_failed_locked(Chardev *chr)
{
    if (chr->kind == CHR_KIND_SOCKET) {
        shutdown(chr->out_fd, SHUT_RDWR);
        chr->out_broken = true;
    }
    chr_watch_output_locked(chr);
}

/* Main loop: out_fd can take more, or has failed. */
static gboolean chr_write_cb(int fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    bool broken, drained;

    g_mutex_lock(&chr->lock);
    if (!chr->out_broken &&
        chr_outbuf_flush(&chr->out, chr_write_fd, chr) == CHR_OUT_ERROR) {
        chr_write_failed_locked(chr);
    }
    broken = chr->out_broken;
    drained = !chr_outbuf_pending(&chr->out);
    if (drained && !broken) {
        g_source_unref(chr->write_src);
        chr->write_src = NULL;
    }
    g_mutex_unlock(&chr->lock);
    if (broken) {
        chr_close_peer(chr);
        return G_SOURCE_CONTINUE;   /* the source is destroyed already */
    }
    chr_update_input(chr);
    return drained ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static ssize_t chr_write(Chardev *chr, const void *buf, size_t len,
                         size_t limit)
{
    ChrOutResult r = CHR_OUT_DONE;

    if (chr->kind == CHR_KIND_MUX) {
        /* Every frontend's output goes to the backend, as it is. */
        return chr_write(chr_mux_backend(chr->mux), buf, len, limit);
    }
    g_mutex_lock(&chr->lock);
    if (chr->out_broken) {
        r = CHR_OUT_ERROR;
    } else if (chr->out_fd >= 0) {
        r = chr_outbuf_write(&chr->out, buf, len, limit, chr_write_fd, chr);
        if (r == CHR_OUT_ERROR) {
            chr_write_failed_locked(chr);
        } else if (chr_outbuf_pending(&chr->out)) {
            chr_watch_output_locked(chr);
        }
    }
    g_mutex_unlock(&chr->lock);
    return r == CHR_OUT_DONE ? (ssize_t)len : r == CHR_OUT_DROPPED ? 0 : -1;
}

ssize_t qemu_chr_write_all(Chardev *chr, const void *buf, size_t len)
{
    return chr_write(chr, buf, len, SIZE_MAX);
}

ssize_t qemu_chr_write(Chardev *chr, const void *buf, size_t len)
{
    return chr_write(chr, buf, len, CHR_OUT_DROP_BYTES);
}

/* At exit: give queued output a last chance, until @deadline. */
void chr_flush_at_exit(Chardev *chr, gint64 deadline)
{
    /* A writer stopped half-way by exit() leaves its lock taken. */
    if (!g_mutex_trylock(&chr->lock)) {
        return;
    }
    while (chr->out_fd >= 0 && !chr->out_broken &&
           chr_outbuf_flush(&chr->out, chr_write_fd, chr) == CHR_OUT_DONE &&
           chr_outbuf_pending(&chr->out)) {
        struct pollfd pfd = { .fd = chr->out_fd, .events = POLLOUT };
        gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;

        if (left_ms <= 0 || poll(&pfd, 1, left_ms) <= 0) {
            break;
        }
    }
    g_mutex_unlock(&chr->lock);
}
