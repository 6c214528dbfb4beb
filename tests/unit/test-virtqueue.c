/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for split virtqueues (hw/virtio/virtqueue.c) in fake guest
 * memory: one test per malformed descriptor chain a guest can build (each
 * refused with its reason, nothing read outside guest RAM), well-formed
 * chains (direct, indirect, readable then writable), and the rings: pop,
 * push, the index checks, EVENT_IDX and NO_INTERRUPT.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtqueue.h"

/* Guest RAM: [RAM_BASE, RAM_BASE + RAM_SIZE); below and above: nothing. */
#define RAM_BASE    0x100000ULL
#define RAM_SIZE    0x100000ULL
#define QSIZE       16
#define DESC        (RAM_BASE + 0x0000)
#define AVAIL       (RAM_BASE + 0x1000)
#define USED        (RAM_BASE + 0x2000)
#define INDIRECT    (RAM_BASE + 0x3000)
#define BUF         (RAM_BASE + 0x8000)

static uint8_t ram[RAM_SIZE];
static uint64_t reads_outside;  /* reads that would have left RAM */

static bool in_ram(uint64_t gpa, uint64_t len)
{
    return gpa >= RAM_BASE && len <= RAM_SIZE &&
           gpa - RAM_BASE <= RAM_SIZE - len;
}

/* 8 GiB of "RAM" that reads as zeros, for lengths no buffer here has. */
#define HUGE_BASE   0x100000000ULL
#define HUGE_SIZE   0x200000000ULL

static bool fake_read(void *opaque, uint64_t gpa, void *buf, uint64_t len)
{
    if (gpa >= HUGE_BASE && len <= HUGE_SIZE &&
        gpa - HUGE_BASE <= HUGE_SIZE - len) {
        memset(buf, 0, len);
        return true;
    }
    if (!in_ram(gpa, len)) {
        reads_outside++;
        return false;
    }
    memcpy(buf, ram + (gpa - RAM_BASE), len);
    return true;
}

static bool fake_write(void *opaque, uint64_t gpa, const void *buf,
                       uint64_t len)
{
    if (!in_ram(gpa, len)) {
        return false;
    }
    memcpy(ram + (gpa - RAM_BASE), buf, len);
    return true;
}

static const VirtqMem mem = { fake_read, fake_write, NULL };

static void st16(uint64_t gpa, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(ram + (gpa - RAM_BASE), &v, 2);
}

static uint16_t ld16(uint64_t gpa)
{
    uint16_t v;

    memcpy(&v, ram + (gpa - RAM_BASE), 2);
    return GUINT16_FROM_LE(v);
}

static uint32_t ld32(uint64_t gpa)
{
    uint32_t v;

    memcpy(&v, ram + (gpa - RAM_BASE), 4);
    return GUINT32_FROM_LE(v);
}

/* Descriptor @i of the table at @table. */
static void desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                 uint16_t flags, uint16_t next)
{
    uint8_t *d = ram + (table - RAM_BASE) + i * VIRTQ_DESC_SIZE;
    uint64_t a = GUINT64_TO_LE(addr);
    uint32_t l = GUINT32_TO_LE(len);
    uint16_t f = GUINT16_TO_LE(flags), n = GUINT16_TO_LE(next);

    memcpy(d, &a, 8);
    memcpy(d + 8, &l, 4);
    memcpy(d + 12, &f, 2);
    memcpy(d + 14, &n, 2);
}

static VirtqChain *chain;

static void setup(void)
{
    memset(ram, 0, sizeof(ram));
    reads_outside = 0;
    if (!chain) {
        chain = g_new0(VirtqChain, 1);
    }
}

/* Walk @head; expect failure with a reason containing @want. */
static void expect_bad(uint16_t head, bool indirect_ok, const char *want)
{
    const char *why = NULL;

    g_assert_false(virtq_walk_chain(&mem, DESC, QSIZE, head, indirect_ok,
                                    chain, &why));
    g_assert_nonnull(why);
    if (!strstr(why, want)) {
        g_error("reason '%s' does not say '%s'", why, want);
    }
}

static void walk_ok(uint16_t head)
{
    const char *why = NULL;

    if (!virtq_walk_chain(&mem, DESC, QSIZE, head, true, chain, &why)) {
        g_error("refused: %s", why);
    }
}

/* ---- Well-formed chains ---- */

static void test_chain_request_and_status(void)
{
    setup();
    desc(DESC, 3, BUF, 4, VIRTQ_DESC_F_NEXT, 7);
    desc(DESC, 7, BUF + 64, 4, VIRTQ_DESC_F_WRITE, 0);
    walk_ok(3);
    g_assert_cmpuint(chain->head, ==, 3);
    g_assert_cmpuint(chain->n_out, ==, 1);
    g_assert_cmpuint(chain->n_in, ==, 1);
    g_assert_cmphex(chain->out[0].gpa, ==, BUF);
    g_assert_cmphex(chain->in[0].gpa, ==, BUF + 64);
    g_assert_cmpuint(chain->out_len, ==, 4);
    g_assert_cmpuint(chain->in_len, ==, 4);
}

static void test_chain_indirect(void)
{
    setup();
    desc(DESC, 0, INDIRECT, 3 * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    desc(INDIRECT, 0, BUF, 100, VIRTQ_DESC_F_NEXT, 2);
    desc(INDIRECT, 2, BUF + 100, 50, VIRTQ_DESC_F_NEXT, 1);
    desc(INDIRECT, 1, BUF + 200, 8, VIRTQ_DESC_F_WRITE, 0);
    walk_ok(0);
    g_assert_cmpuint(chain->n_out, ==, 2);
    g_assert_cmpuint(chain->n_in, ==, 1);
    g_assert_cmpuint(chain->out_len, ==, 150);
}

/* A zero-length buffer is legal and costs nothing. */
static void test_chain_zero_length(void)
{
    setup();
    desc(DESC, 0, 0, 0, VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, BUF, 4, VIRTQ_DESC_F_WRITE, 0);
    walk_ok(0);
    g_assert_cmpuint(chain->n_out, ==, 1);
    g_assert_cmpuint(chain->out_len, ==, 0);
}

/* ---- Malformed chains, one each ---- */

static void test_bad_head(void)
{
    setup();
    expect_bad(QSIZE, true, "head index");
}

static void test_bad_next(void)
{
    setup();
    desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, QSIZE);
    expect_bad(0, true, "next index");
}

static void test_bad_loop(void)
{
    setup();
    desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, BUF, 4, VIRTQ_DESC_F_NEXT, 0);
    expect_bad(0, true, "loops");
}

static void test_bad_self_loop(void)
{
    setup();
    desc(DESC, 5, BUF, 4, VIRTQ_DESC_F_NEXT, 5);
    expect_bad(5, true, "loops");
}

static void test_bad_buffer_outside_ram(void)
{
    setup();
    desc(DESC, 0, RAM_BASE + RAM_SIZE - 2, 4, 0, 0);
    expect_bad(0, true, "buffer outside guest RAM");
    desc(DESC, 0, 0x1000, 4, 0, 0);
    expect_bad(0, true, "buffer outside guest RAM");
}

static void test_bad_buffer_wraps(void)
{
    setup();
    desc(DESC, 0, UINT64_MAX - 1, 16, VIRTQ_DESC_F_WRITE, 0);
    expect_bad(0, true, "buffer outside guest RAM");
}

static void test_bad_table_outside_ram(void)
{
    const char *why = NULL;

    setup();
    g_assert_false(virtq_walk_chain(&mem, RAM_BASE + RAM_SIZE - 8, QSIZE, 0,
                                    true, chain, &why));
    g_assert_nonnull(strstr(why, "descriptor table is outside"));
}

static void test_bad_readable_after_writable(void)
{
    setup();
    desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, BUF + 8, 4, 0, 0);
    expect_bad(0, true, "readable buffer after a writable");
}

static void test_bad_indirect_not_negotiated(void)
{
    setup();
    desc(DESC, 0, INDIRECT, VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    desc(INDIRECT, 0, BUF, 4, 0, 0);
    expect_bad(0, false, "without VIRTIO_F_INDIRECT_DESC");
}

static void test_bad_indirect_with_next(void)
{
    setup();
    desc(DESC, 0, INDIRECT, VIRTQ_DESC_SIZE,
         VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
    desc(INDIRECT, 0, BUF, 4, 0, 0);
    expect_bad(0, true, "NEXT set");
}

static void test_bad_indirect_nested(void)
{
    setup();
    desc(DESC, 0, INDIRECT, VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    desc(INDIRECT, 0, INDIRECT, VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "inside an indirect table");
}

static void test_bad_indirect_not_head(void)
{
    setup();
    desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, INDIRECT, VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "not the chain's head");
}

static void test_bad_indirect_sizes(void)
{
    setup();
    desc(DESC, 0, INDIRECT, 0, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "indirect table that is empty");
    desc(DESC, 0, INDIRECT, VIRTQ_DESC_SIZE + 3, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "indirect table that is empty");
    desc(DESC, 0, INDIRECT, (VIRTQ_MAX_SIZE + 1) * VIRTQ_DESC_SIZE,
         VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "too big");
}

static void test_bad_indirect_outside_ram(void)
{
    setup();
    desc(DESC, 0, RAM_BASE + RAM_SIZE - VIRTQ_DESC_SIZE,
         2 * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(0, true, "indirect table outside guest RAM");
}

static void test_bad_indirect_loop(void)
{
    setup();
    desc(DESC, 0, INDIRECT, 2 * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    desc(INDIRECT, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    desc(INDIRECT, 1, BUF, 4, VIRTQ_DESC_F_NEXT, 0);
    expect_bad(0, true, "loops");
}

static void test_bad_indirect_next_outside(void)
{
    setup();
    desc(DESC, 0, INDIRECT, 2 * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    desc(INDIRECT, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 2);
    expect_bad(0, true, "next index");
}

/* Many buffers, long in all: fine. */
static void test_chain_long_lengths(void)
{
    unsigned i;

    setup();
    /* Not RAM-sized: the sum check comes from many descriptors. */
    for (i = 0; i < QSIZE; i++) {
        desc(DESC, i, BUF, 0x10000, VIRTQ_DESC_F_NEXT, i + 1);
    }
    desc(DESC, QSIZE - 1, BUF, 0x10000, 0, 0);
    walk_ok(0);
    g_assert_cmpuint(chain->out_len, ==, QSIZE * 0x10000ULL);
}

/* 4 GiB - 1 in one buffer is fine; a second buffer overflows the sum. */
static void test_bad_length_overflow(void)
{
    setup();
    desc(DESC, 0, HUGE_BASE, UINT32_MAX, VIRTQ_DESC_F_WRITE, 0);
    walk_ok(0);
    g_assert_cmpuint(chain->in_len, ==, UINT32_MAX);
    desc(DESC, 0, HUGE_BASE, UINT32_MAX,
         VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, HUGE_BASE, 1, VIRTQ_DESC_F_WRITE, 0);
    expect_bad(0, true, "more than 4 GiB");
}

static void test_bad_too_many_buffers(void)
{
    const uint32_t n = VIRTQ_MAX_SEGS + 1;
    uint64_t table = RAM_BASE + 0x40000;
    const char *why = NULL;
    uint32_t i;

    setup();
    desc(DESC, 0, table, n * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
    for (i = 0; i < n; i++) {
        desc(table, i, BUF, 1, i + 1 < n ? VIRTQ_DESC_F_NEXT : 0, i + 1);
    }
    g_assert_false(virtq_walk_chain(&mem, DESC, QSIZE, 0, true, chain,
                                    &why));
    g_assert_nonnull(strstr(why, "too many buffers"));
}

/* ---- Rings ---- */

static VirtQueueState queue(bool event_idx)
{
    return (VirtQueueState) {
        .ring = { .size = QSIZE, .desc = DESC, .avail = AVAIL, .used = USED },
        .event_idx = event_idx,
        .indirect = true,
    };
}

static void make_available(uint16_t slot, uint16_t head, uint16_t idx)
{
    st16(AVAIL + 4 + 2 * slot, head);
    st16(AVAIL + 2, idx);
}

static void test_pop_push(void)
{
    VirtQueueState q = queue(false);
    const char *why = NULL;

    setup();
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_EMPTY);
    desc(DESC, 2, BUF, 4, VIRTQ_DESC_F_NEXT, 3);
    desc(DESC, 3, BUF + 4, 4, VIRTQ_DESC_F_WRITE, 0);
    make_available(0, 2, 1);
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_OK);
    g_assert_cmpuint(chain->head, ==, 2);
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_EMPTY);
    g_assert_true(virtq_push(&q, &mem, 2, 4));
    g_assert_cmpuint(ld16(USED + 2), ==, 1);
    g_assert_cmpuint(ld32(USED + 4), ==, 2);
    g_assert_cmpuint(ld32(USED + 8), ==, 4);
    g_assert_true(virtq_should_notify(&q, &mem));
    /* NO_INTERRUPT */
    st16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
    g_assert_true(virtq_push(&q, &mem, 2, 4));
    g_assert_false(virtq_should_notify(&q, &mem));
}

/* The ring wraps at the queue size; indices at 16 bits. */
static void test_wrap(void)
{
    VirtQueueState q = queue(false);
    const char *why = NULL;
    unsigned i;

    setup();
    desc(DESC, 0, BUF, 4, 0, 0);
    q.last_avail = q.used_idx = 65530;
    for (i = 0; i < 12; i++) {
        make_available((65530 + i) % QSIZE, 0, 65531 + i);
        g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_OK);
        g_assert_true(virtq_push(&q, &mem, 0, 0));
    }
    g_assert_cmpuint(q.last_avail, ==, (uint16_t)(65530 + 12));
    g_assert_cmpuint(ld16(USED + 2), ==, (uint16_t)(65530 + 12));
}

static void test_avail_index_jumps(void)
{
    VirtQueueState q = queue(false);
    const char *why = NULL;

    setup();
    st16(AVAIL + 2, QSIZE + 1);
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_BROKEN);
    g_assert_nonnull(strstr(why, "more than the queue size"));
}

static void test_rings_outside_ram(void)
{
    VirtQueueState q = queue(false);
    const char *why = NULL;

    setup();
    q.ring.avail = 0x10;
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_BROKEN);
    g_assert_nonnull(strstr(why, "available ring is outside"));
    q.ring.used = 0x10;
    g_assert_false(virtq_push(&q, &mem, 0, 0));
}

static void test_event_idx(void)
{
    VirtQueueState q = queue(true);
    const char *why = NULL;

    setup();
    desc(DESC, 0, BUF, 4, 0, 0);
    make_available(0, 0, 1);
    g_assert_cmpint(virtq_pop(&q, &mem, chain, &why), ==, VIRTQ_POP_OK);
    /* avail_event = the next one we want to be told about */
    g_assert_cmpuint(ld16(USED + 4 + 8 * QSIZE), ==, 1);
    /* The first push always notifies; then used_event rules. */
    g_assert_true(virtq_push(&q, &mem, 0, 0));
    g_assert_true(virtq_should_notify(&q, &mem));
    st16(AVAIL + 4 + 2 * QSIZE, 5);          /* used_event: after #6 */
    g_assert_true(virtq_push(&q, &mem, 0, 0));
    g_assert_false(virtq_should_notify(&q, &mem));
    while (q.used_idx < 6) {
        g_assert_true(virtq_push(&q, &mem, 0, 0));
    }
    g_assert_true(virtq_should_notify(&q, &mem));
}

static void test_need_event(void)
{
    g_assert_true(virtq_need_event(0, 1, 0));
    g_assert_false(virtq_need_event(1, 1, 0));
    g_assert_true(virtq_need_event(65535, 0, 65535));
    g_assert_true(virtq_need_event(3, 10, 2));
    g_assert_false(virtq_need_event(12, 10, 2));
}

/* No malformed chain made the walker read outside RAM on its own. */
static void test_no_wild_reads(void)
{
    setup();
    desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    desc(DESC, 1, BUF, 4, VIRTQ_DESC_F_NEXT, 0);
    expect_bad(0, true, "loops");
    g_assert_cmpuint(reads_outside, ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtqueue/chain/request-and-status",
                    test_chain_request_and_status);
    g_test_add_func("/virtqueue/chain/indirect", test_chain_indirect);
    g_test_add_func("/virtqueue/chain/zero-length", test_chain_zero_length);
    g_test_add_func("/virtqueue/bad/head", test_bad_head);
    g_test_add_func("/virtqueue/bad/next", test_bad_next);
    g_test_add_func("/virtqueue/bad/loop", test_bad_loop);
    g_test_add_func("/virtqueue/bad/self-loop", test_bad_self_loop);
    g_test_add_func("/virtqueue/bad/buffer-outside-ram",
                    test_bad_buffer_outside_ram);
    g_test_add_func("/virtqueue/bad/buffer-wraps", test_bad_buffer_wraps);
    g_test_add_func("/virtqueue/bad/table-outside-ram",
                    test_bad_table_outside_ram);
    g_test_add_func("/virtqueue/bad/readable-after-writable",
                    test_bad_readable_after_writable);
    g_test_add_func("/virtqueue/bad/indirect-not-negotiated",
                    test_bad_indirect_not_negotiated);
    g_test_add_func("/virtqueue/bad/indirect-with-next",
                    test_bad_indirect_with_next);
    g_test_add_func("/virtqueue/bad/indirect-nested",
                    test_bad_indirect_nested);
    g_test_add_func("/virtqueue/bad/indirect-not-head",
                    test_bad_indirect_not_head);
    g_test_add_func("/virtqueue/bad/indirect-sizes", test_bad_indirect_sizes);
    g_test_add_func("/virtqueue/bad/indirect-outside-ram",
                    test_bad_indirect_outside_ram);
    g_test_add_func("/virtqueue/bad/indirect-loop", test_bad_indirect_loop);
    g_test_add_func("/virtqueue/bad/indirect-next-outside",
                    test_bad_indirect_next_outside);
    g_test_add_func("/virtqueue/chain/long-lengths", test_chain_long_lengths);
    g_test_add_func("/virtqueue/bad/length-overflow",
                    test_bad_length_overflow);
    g_test_add_func("/virtqueue/bad/too-many-buffers",
                    test_bad_too_many_buffers);
    g_test_add_func("/virtqueue/ring/pop-push", test_pop_push);
    g_test_add_func("/virtqueue/ring/wrap", test_wrap);
    g_test_add_func("/virtqueue/ring/avail-index-jumps",
                    test_avail_index_jumps);
    g_test_add_func("/virtqueue/ring/outside-ram", test_rings_outside_ram);
    g_test_add_func("/virtqueue/ring/event-idx", test_event_idx);
    g_test_add_func("/virtqueue/need-event", test_need_event);
    g_test_add_func("/virtqueue/no-wild-reads", test_no_wild_reads);
    return g_test_run();
}
