/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A chardev's output queue: bytes a writer handed over that the peer has
 * not taken yet, in order.  Pure logic over a write callback, so that it
 * can be tested without sockets (tests/unit/test-chardev-outbuf.c); the
 * locking and the fds are util/chardev.c's.
 */
#ifndef CHARDEV_CHAR_OUTBUF_H
#define CHARDEV_CHAR_OUTBUF_H

#include "qemu/osdep.h"

typedef struct ChrOutBuf {
    GByteArray *data;
    size_t head;                /* data->data[0..head) is written already */
} ChrOutBuf;

/*
 * Write up to @len bytes of @buf without blocking.  Returns the count
 * written, or -1 with errno: EAGAIN (nothing fits now) or the error.
 */
typedef ssize_t ChrOutWriteFunc(void *opaque, const void *buf, size_t len);

typedef enum ChrOutResult {
    CHR_OUT_DONE,       /* all of it written or queued; nothing dropped */
    CHR_OUT_DROPPED,    /* over the limit: nothing written or queued */
    CHR_OUT_ERROR,      /* the write failed (errno); the queue is cleared */
} ChrOutResult;

void chr_outbuf_init(ChrOutBuf *q);
void chr_outbuf_destroy(ChrOutBuf *q);
/* Bytes queued and not yet written. */
size_t chr_outbuf_pending(const ChrOutBuf *q);
void chr_outbuf_clear(ChrOutBuf *q);

/*
 * Hand over @buf: all of it or, if the queue would then hold more than
 * @limit bytes, none of it (CHR_OUT_DROPPED); SIZE_MAX means no limit.
 * An empty queue first tries @write directly; what it does not take is
 * queued behind everything handed over before, so bytes leave in the
 * order they came and one call's bytes are never split by another's.
 */
ChrOutResult chr_outbuf_write(ChrOutBuf *q, const void *buf, size_t len,
                              size_t limit, ChrOutWriteFunc *write,
                              void *opaque);

/*
 * Write queued bytes through @write until the queue is empty or @write
 * takes nothing more (EAGAIN).  CHR_OUT_DONE either way (see pending);
 * CHR_OUT_ERROR when @write failed.
 */
ChrOutResult chr_outbuf_flush(ChrOutBuf *q, ChrOutWriteFunc *write,
                              void *opaque);

#endif
