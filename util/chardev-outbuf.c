/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A chardev's output queue (include/chardev/char-outbuf.h).
 */
#include "qemu/osdep.h"

#include "chardev/char-outbuf.h"

/* Written bytes at the front are dropped once there are this many... */
#define CHR_OUTBUF_COMPACT (64 * KiB)
/* ...and an emptied queue that had grown past this gives its memory back. */
#define CHR_OUTBUF_KEEP (1 * MiB)

void chr_outbuf_init(ChrOutBuf *q)
{
    q->data = g_byte_array_new();
    q->head = 0;
}

void chr_outbuf_destroy(ChrOutBuf *q)
{
    if (q->data) {
        g_byte_array_unref(q->data);
        q->data = NULL;
    }
    q->head = 0;
}

size_t chr_outbuf_pending(const ChrOutBuf *q)
{
    return q->data->len - q->head;
}

void chr_outbuf_clear(ChrOutBuf *q)
{
    if (q->data->len > CHR_OUTBUF_KEEP) {
        g_byte_array_unref(q->data);
        q->data = g_byte_array_new();
    } else {
        g_byte_array_set_size(q->data, 0);
    }
    q->head = 0;
}

/* @n more bytes from the front are written. */
static void chr_outbuf_consume(ChrOutBuf *q, size_t n)
{
    q->head += n;
    if (q->head == q->data->len) {
        chr_outbuf_clear(q);
    } else if (q->head >= CHR_OUTBUF_COMPACT && q->head >= q->data->len / 2) {
        g_byte_array_remove_range(q->data, 0, q->head);
        q->head = 0;
    }
}

/* One call of @write; EINTR is retried. */
static ssize_t chr_outbuf_write_once(ChrOutWriteFunc *write, void *opaque,
                                     const void *buf, size_t len)
{
    ssize_t n;

    do {
        n = write(opaque, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

static bool chr_outbuf_would_block(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK;
}

ChrOutResult chr_outbuf_flush(ChrOutBuf *q, ChrOutWriteFunc *write,
                              void *opaque)
{
    while (chr_outbuf_pending(q)) {
        ssize_t n = chr_outbuf_write_once(write, opaque,
                                          q->data->data + q->head,
                                          chr_outbuf_pending(q));

        if (n < 0 && chr_outbuf_would_block()) {
            break;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = EPIPE;  /* a write that takes nothing: broken */
            }
            chr_outbuf_clear(q);
            return CHR_OUT_ERROR;
        }
        chr_outbuf_consume(q, n);
    }
    return CHR_OUT_DONE;
}

ChrOutResult chr_outbuf_write(ChrOutBuf *q, const void *buf, size_t len,
                              size_t limit, ChrOutWriteFunc *write,
                              void *opaque)
{
    const uint8_t *p = buf;
    size_t pending = chr_outbuf_pending(q);

    if (!len) {
        return CHR_OUT_DONE;
    }
    if (len > limit || pending > limit - len ||
        len > G_MAXUINT - q->data->len) {
        return CHR_OUT_DROPPED;
    }
    if (!pending) {
        /* Nothing ahead of us: straight to the peer, queue the rest. */
        ssize_t n = chr_outbuf_write_once(write, opaque, p, len);

        if (n < 0 && !chr_outbuf_would_block()) {
            return CHR_OUT_ERROR;
        }
        if (n == 0) {
            errno = EPIPE;
            return CHR_OUT_ERROR;
        }
        if (n > 0) {
            p += n;
            len -= n;
        }
    }
    g_byte_array_append(q->data, p, len);
    return CHR_OUT_DONE;
}
