/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for a chardev's output queue (util/chardev-outbuf.c), with
 * a fake peer that takes as many bytes as it has room for.
 */
#include "qemu/osdep.h"
#include "chardev/char-outbuf.h"

typedef struct FakePeer {
    GString *got;           /* everything the peer took, in order */
    size_t room;            /* bytes it takes before EAGAIN */
    int fail;               /* errno of every write, 0: none */
    int eintr;              /* writes interrupted before one goes through */
    unsigned calls;
} FakePeer;

static ssize_t fake_write(void *opaque, const void *buf, size_t len)
{
    FakePeer *p = opaque;
    size_t n = MIN(len, p->room);

    p->calls++;
    if (p->eintr) {
        p->eintr--;
        errno = EINTR;
        return -1;
    }
    if (p->fail) {
        errno = p->fail;
        return -1;
    }
    if (!n) {
        errno = EAGAIN;
        return -1;
    }
    g_string_append_len(p->got, buf, n);
    p->room -= n;
    return n;
}

static void fake_init(FakePeer *p, size_t room)
{
    *p = (FakePeer) { .got = g_string_new(NULL), .room = room };
}

static void fake_free(FakePeer *p)
{
    g_string_free(p->got, TRUE);
}

static ChrOutResult put(ChrOutBuf *q, FakePeer *p, const char *s,
                        size_t limit)
{
    return chr_outbuf_write(q, s, strlen(s), limit, fake_write, p);
}

/* A peer with room takes the bytes at once; nothing is queued. */
static void test_straight_through(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 100);
    g_assert_cmpint(put(&q, &p, "hello", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "hello");
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 0);
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/* What the peer cannot take waits, and leaves first once it can. */
static void test_rest_is_queued_in_order(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 3);
    g_assert_cmpint(put(&q, &p, "abcdef", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "abc");
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 3);

    /* Behind queued bytes a writer does not try the peer itself. */
    p.room = 100;
    p.calls = 0;
    g_assert_cmpint(put(&q, &p, "gh", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpuint(p.calls, ==, 0);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 5);

    g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "abcdefgh");
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 0);
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/* A full peer: the flush stops without error and keeps the bytes. */
static void test_flush_stops_when_full(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 0);
    g_assert_cmpint(put(&q, &p, "0123456789", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 10);
    p.room = 4;
    g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "0123");
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 6);
    p.room = 100;
    g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "0123456789");
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/* Over the limit a write is dropped whole; up to it, taken whole. */
static void test_limit_drops_whole_writes(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 0);
    g_assert_cmpint(put(&q, &p, "12345678", 10), ==, CHR_OUT_DONE);
    g_assert_cmpint(put(&q, &p, "abc", 10), ==, CHR_OUT_DROPPED);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 8);
    g_assert_cmpint(put(&q, &p, "ab", 10), ==, CHR_OUT_DONE);
    g_assert_cmpint(put(&q, &p, "x", 10), ==, CHR_OUT_DROPPED);
    /* Larger than the limit: dropped even into an empty queue. */
    chr_outbuf_clear(&q);
    p.room = 100;
    p.calls = 0;
    g_assert_cmpint(put(&q, &p, "0123456789A", 10), ==, CHR_OUT_DROPPED);
    g_assert_cmpuint(p.calls, ==, 0);
    g_assert_cmpstr(p.got->str, ==, "");
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/* An error is reported, and a failed flush forgets the queue. */
static void test_errors(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 0);
    p.fail = EPIPE;
    errno = 0;
    g_assert_cmpint(put(&q, &p, "abc", SIZE_MAX), ==, CHR_OUT_ERROR);
    g_assert_cmpint(errno, ==, EPIPE);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 0);

    p.fail = 0;
    g_assert_cmpint(put(&q, &p, "abc", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 3);
    p.fail = ECONNRESET;
    g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==, CHR_OUT_ERROR);
    g_assert_cmpint(errno, ==, ECONNRESET);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 0);
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/* EINTR is not an error: the write is retried. */
static void test_eintr_is_retried(void)
{
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 100);
    p.eintr = 2;
    g_assert_cmpint(put(&q, &p, "abc", SIZE_MAX), ==, CHR_OUT_DONE);
    g_assert_cmpstr(p.got->str, ==, "abc");
    g_assert_cmpuint(p.calls, ==, 3);
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

/*
 * Much traffic through a slow peer (the queue compacts and regrows on
 * the way): every byte arrives once, in order.
 */
static void test_slow_peer_gets_everything(void)
{
    g_autoptr(GString) sent = g_string_new(NULL);
    ChrOutBuf q;
    FakePeer p;

    chr_outbuf_init(&q);
    fake_init(&p, 0);
    for (int i = 0; i < 50000; i++) {
        g_autofree char *msg = g_strdup_printf("{\"id\": %d}\r\n", i);

        g_string_append(sent, msg);
        g_assert_cmpint(put(&q, &p, msg, SIZE_MAX), ==, CHR_OUT_DONE);
        if (i % 7 == 0) {
            p.room += 61;
            g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==,
                            CHR_OUT_DONE);
        }
    }
    g_assert_cmpuint(chr_outbuf_pending(&q), >, 64 * KiB);
    p.room = SIZE_MAX;
    g_assert_cmpint(chr_outbuf_flush(&q, fake_write, &p), ==, CHR_OUT_DONE);
    g_assert_cmpuint(chr_outbuf_pending(&q), ==, 0);
    g_assert_cmpuint(p.got->len, ==, sent->len);
    g_assert_true(memcmp(p.got->str, sent->str, sent->len) == 0);
    chr_outbuf_destroy(&q);
    fake_free(&p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/chardev-outbuf/straight-through",
                    test_straight_through);
    g_test_add_func("/chardev-outbuf/rest-is-queued-in-order",
                    test_rest_is_queued_in_order);
    g_test_add_func("/chardev-outbuf/flush-stops-when-full",
                    test_flush_stops_when_full);
    g_test_add_func("/chardev-outbuf/limit-drops-whole-writes",
                    test_limit_drops_whole_writes);
    g_test_add_func("/chardev-outbuf/errors", test_errors);
    g_test_add_func("/chardev-outbuf/eintr-is-retried",
                    test_eintr_is_retried);
    g_test_add_func("/chardev-outbuf/slow-peer-gets-everything",
                    test_slow_peer_gets_everything);
    return g_test_run();
}
