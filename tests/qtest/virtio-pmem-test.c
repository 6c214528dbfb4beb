/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem-pci as a guest driver meets it, QEMU's documented command
 * line at addr=5: the device is enumerated there with QEMU's ids and
 * capabilities, features negotiate, the config space says where the
 * region is, a FLUSH is answered 0 only after the host's fdatasync
 * returned (proved with a shim that makes it slow), every malformed
 * request is answered 1 or breaks the device (NEEDS_RESET) and pmemvm
 * lives on, a reset brings it back, and MSI-X delivers to the address the
 * driver chose.  Config space, features and the config are compared with
 * QEMU 7.2 for the same command line.
 */
#include "qemu/osdep.h"
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/virtio.h"
#include "qtest-util.h"

#define DEVFN       QPCI_DEVFN(5, 0)
#define SIZE        (128 * MiB)
#define RING_MEM    0x1000000ULL     /* guest RAM for rings and buffers */
#define BUF_MEM     0x1100000ULL
#define BAR_BASE    0xfe000000ULL    /* where QEMU's BAR 4 gets mapped */
#define FEATURES    ((1ULL << VIRTIO_F_VERSION_1) | \
                     (1ULL << VIRTIO_RING_F_EVENT_IDX) | \
                     (1ULL << VIRTIO_RING_F_INDIRECT_DESC))
#define TIMEOUT_US  (10 * G_USEC_PER_SEC)

static char *tmp_dir;

static char *args_for(const char *file_name)
{
    g_autofree char *path = g_build_filename(tmp_dir, file_name, NULL);

    unlink(path);
    return g_strdup_printf("-machine pc -m 2G,slots=2,maxmem=8G "
                           "-object memory-backend-file,id=mem1,share=on,"
                           "mem-path=%s,size=128M "
                           "-device virtio-pmem-pci,memdev=mem1,id=nv1,"
                           "addr=0x5", path);
}

static QTestState *start_pmemvm(const char *file_name)
{
    g_autofree char *args = args_for(file_name);

    return qtest_init(args);
}

/* A device ready for requests: @features accepted, queue 0 live. */
static void driver_up_with(QVirtioDev *v, QVirtQueue *q, QTestState *qts,
                           uint64_t features)
{
    qvirtio_init(v, qts, DEVFN, BAR_BASE);
    g_assert_cmphex(qvirtio_negotiate(v, features) &
                    VIRTIO_CONFIG_S_FEATURES_OK, ==,
                    VIRTIO_CONFIG_S_FEATURES_OK);
    qvirtqueue_setup(q, v, 0, RING_MEM);
    qvirtio_set_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                          VIRTIO_CONFIG_S_DRIVER |
                          VIRTIO_CONFIG_S_FEATURES_OK |
                          VIRTIO_CONFIG_S_DRIVER_OK);
}

static void driver_up(QVirtioDev *v, QVirtQueue *q, QTestState *qts)
{
    driver_up_with(v, q, qts, FEATURES);
}

/* A request {le32 type} at BUF_MEM, the answer {le32 ret} after it. */
static uint32_t request(QVirtQueue *q, uint32_t type, int64_t *took_us)
{
    QVirtioBuf bufs[2] = {
        { BUF_MEM, 4, false },
        { BUF_MEM + 64, 4, true },
    };
    int64_t t0 = g_get_monotonic_time();
    uint32_t id, len;
    uint16_t head;

    qtest_writel(q->dev->qts, BUF_MEM, type);
    qtest_writel(q->dev->qts, BUF_MEM + 64, 0xdeadbeef);
    head = qvirtqueue_add(q, bufs, 2);
    qvirtqueue_kick(q);
    g_assert_true(qvirtqueue_wait_used(q, &id, &len, TIMEOUT_US));
    if (took_us) {
        *took_us = g_get_monotonic_time() - t0;
    }
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 4);
    return qtest_readl(q->dev->qts, BUF_MEM + 64);
}

/* ---- The device as enumerated ---- */

/* What must match QEMU: the header (BARs and command apart) and the
 * vendor capabilities at 0x40-0x97, features, config. */
static char *device_facts(QTestState *qts)
{
    uint8_t cfg[256];
    QVirtioDev v;
    GString *s = g_string_new(NULL);
    unsigned i;

    qpci_config_dump(qts, DEVFN, cfg);
    g_string_append_printf(s, "ids %02x%02x:%02x%02x rev %02x class "
                           "%02x%02x%02x sub %02x%02x:%02x%02x pin %u "
                           "status %04x\n", cfg[1], cfg[0], cfg[3], cfg[2],
                           cfg[8], cfg[11], cfg[10], cfg[9], cfg[0x2d],
                           cfg[0x2c], cfg[0x2f], cfg[0x2e], cfg[0x3d],
                           cfg[6] | cfg[7] << 8);
    g_string_append(s, "caps");
    for (i = 0x40; i < 0x98; i++) {
        g_string_append_printf(s, " %02x", cfg[i]);
    }
    qvirtio_init(&v, qts, DEVFN, BAR_BASE);
    g_string_append_printf(s, "\nfeatures %016" PRIx64 " queues %u size %u "
                           "status %u\n", qvirtio_device_features(&v),
                           qtest_readw(qts, v.common +
                                       VIRTIO_PCI_COMMON_NUMQ),
                           qtest_readw(qts, v.common +
                                       VIRTIO_PCI_COMMON_Q_SIZE),
                           qvirtio_get_status(&v));
    g_string_append_printf(s, "config start %" PRIx64 " size %" PRIx64
                           " past-end %08x\n", qvirtio_config_readq(&v, 0),
                           qvirtio_config_readq(&v, 8),
                           qvirtio_config_readl(&v, 16));
    return g_string_free(s, FALSE);
}

static void test_enumerated_like_qemu(void)
{
    QTestState *qts = start_pmemvm("enum.img");
    g_autofree char *mine = device_facts(qts);
    g_autofree char *args = NULL, *theirs = NULL;

    /* pmemvm's own additions: an MSI-X capability (in front) and BARs. */
    g_assert_cmpuint(qpci_find_capability(qts, DEVFN, PCI_CAP_ID_MSIX, 0),
                     ==, 0x98);
    g_assert_cmphex(qpci_bar_addr(qts, DEVFN, 4), !=, 0);
    qtest_quit(qts);
    g_test_message("pmemvm: %s", mine);
    g_assert_nonnull(strstr(mine, "ids 1af4:105b rev 01 class 00ff00 "
                                  "sub 1af4:1100 pin 1"));
    g_assert_nonnull(strstr(mine, "features 0000010130000000 queues 1 "
                                  "size 128"));
    g_assert_nonnull(strstr(mine, "config start 100000000 size 8000000 "
                                  "past-end ffffffff"));
    args = args_for("enum-qemu.img");
    qts = qemu_qtest_init(args);
    if (!qts) {
        return;
    }
    theirs = device_facts(qts);
    qtest_quit(qts);
    g_test_message("QEMU:   %s", theirs);
    g_assert_cmpstr(mine, ==, theirs);
}

/* ---- Requests ---- */

static void test_flush(void)
{
    QTestState *qts = start_pmemvm("flush.img");
    QVirtioDev v;
    QVirtQueue q;

    driver_up(&v, &q, qts);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    g_assert_true(qtest_probe_child(qts));
    qtest_quit(qts);
}

/* The syncs of memdev mem1 so far (query-memdev's x-persistence). */
static int64_t syncs(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memdev'}");
    JsonArray *a = json_node_get_array(ret);
    int64_t n = -1;
    guint i;

    for (i = 0; i < json_array_get_length(a); i++) {
        JsonObject *m = json_array_get_object_element(a, i);

        if (!g_strcmp0(json_object_get_string_member(m, "id"), "mem1")) {
            n = json_object_get_int_member(
                json_object_get_object_member(m, "x-persistence"), "syncs");
        }
    }
    json_node_unref(ret);
    return n;
}

/*
 * With every fdatasync slowed by 300 ms: the answer comes no sooner, and
 * when it is there the sync is already counted (counted when it returned).
 * An answer written before the sync would show the old count.
 */
static void test_sync_before_answer(void)
{
    g_autofree char *args = args_for("order.img");
    QTestState *qts;
    QVirtioDev v;
    QVirtQueue q;
    int64_t before, took;
    int i;

    qts = qtest_init_fsync_delay(args, 300);
    if (!qts) {
        return;
    }
    driver_up(&v, &q, qts);
    for (i = 0; i < 3; i++) {
        before = syncs(qts);
        g_assert_cmpint(before, ==, i);
        g_assert_cmphex(request(&q, 0, &took), ==, 0);
        g_assert_cmpint(syncs(qts), ==, before + 1);
        g_assert_cmpint(took, >=, 300 * 1000);
    }
    qtest_quit(qts);
}

/* Each malformed request: an answer of 1, or NEEDS_RESET; pmemvm lives. */
static void test_bad_requests(void)
{
    QTestState *qts = start_pmemvm("bad.img");
    QVirtioDev v;
    QVirtQueue q;
    QVirtioBuf short_req[2] = {
        { BUF_MEM, 2, false },
        { BUF_MEM + 64, 4, true },
    };
    QVirtioBuf no_answer[1] = { { BUF_MEM, 4, false } };
    uint32_t id, len;

    driver_up(&v, &q, qts);
    /* An unknown type: 1. */
    g_assert_cmphex(request(&q, 7, NULL), ==, 1);
    /* A 2-byte request: 1. */
    qtest_writel(qts, BUF_MEM + 64, 0xdeadbeef);
    qvirtqueue_add(&q, short_req, 2);
    qvirtqueue_kick(&q);
    g_assert_true(qvirtqueue_wait_used(&q, &id, &len, TIMEOUT_US));
    g_assert_cmphex(qtest_readl(qts, BUF_MEM + 64), ==, 1);
    /* Still fine for a real flush. */
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    /* Nowhere to answer: the device is broken until reset. */
    qvirtqueue_add(&q, no_answer, 1);
    qvirtqueue_kick(&q);
    g_assert_true(qvirtio_wait_status(&v, VIRTIO_CONFIG_S_NEEDS_RESET,
                                      TIMEOUT_US));
    g_assert_false(qvirtqueue_wait_used(&q, &id, &len, 200 * 1000));
    g_assert_true(qtest_probe_child(qts));
    /* A reset, and it works again. */
    driver_up(&v, &q, qts);
    g_assert_cmphex(qvirtio_get_status(&v) & VIRTIO_CONFIG_S_NEEDS_RESET,
                    ==, 0);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    qtest_quit(qts);
}

/* Broken rings: NEEDS_RESET each time, never a crash. */
static void test_bad_chains(void)
{
    static const struct {
        const char *what;
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
    } bad[] = {
        { "loop", BUF_MEM, 4, VRING_DESC_F_NEXT, 0 },
        { "next outside the table", BUF_MEM, 4, VRING_DESC_F_NEXT, 999 },
        { "buffer outside RAM", 0xF00000000ULL, 4, 0, 0 },
        { "indirect table of 3 bytes", BUF_MEM, 3, VRING_DESC_F_INDIRECT, 0 },
        { "a buffer that wraps", UINT64_MAX - 1, 8, VRING_DESC_F_WRITE, 0 },
    };
    QTestState *qts = start_pmemvm("chains.img");
    QVirtioDev v;
    QVirtQueue q;
    uint32_t id, len;
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_test_message("%s", bad[i].what);
        driver_up(&v, &q, qts);
        qvirtqueue_set_desc(&q, 0, bad[i].addr, bad[i].len, bad[i].flags,
                            bad[i].next);
        qvirtqueue_publish(&q, 0);
        qvirtqueue_kick(&q);
        g_assert_true(qvirtio_wait_status(&v, VIRTIO_CONFIG_S_NEEDS_RESET,
                                          TIMEOUT_US));
        g_assert_false(qvirtqueue_wait_used(&q, &id, &len, 100 * 1000));
        g_assert_true(qtest_probe_child(qts));
    }
    /* An available index that jumps past the queue size. */
    driver_up(&v, &q, qts);
    qtest_writew(qts, q.avail + 2, q.size + 5);
    qvirtqueue_kick(&q);
    g_assert_true(qvirtio_wait_status(&v, VIRTIO_CONFIG_S_NEEDS_RESET,
                                      TIMEOUT_US));
    driver_up(&v, &q, qts);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    qtest_quit(qts);
}

/*
 * MSI-X: the queue's vector is written where the driver pointed it.
 * Without EVENT_IDX, so that every answer interrupts.
 */
static void test_msix(void)
{
    QTestState *qts = start_pmemvm("msix.img");
    uint8_t cap = qpci_find_capability(qts, DEVFN, PCI_CAP_ID_MSIX, 0);
    uint64_t table = qpci_bar_addr(qts, DEVFN, 1);
    uint64_t msg = BUF_MEM + 0x1000;
    QVirtioDev v;
    QVirtQueue q;

    driver_up_with(&v, &q, qts, 1ULL << VIRTIO_F_VERSION_1);
    /* Vector 1: address, data, unmasked; MSI-X on. */
    qtest_writel(qts, table + 16, (uint32_t)msg);
    qtest_writel(qts, table + 20, msg >> 32);
    qtest_writel(qts, table + 24, 0x4321);
    qtest_writel(qts, table + 28, 0);
    qpci_config_writew(qts, DEVFN, cap + PCI_MSIX_FLAGS,
                       PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmpuint(qvirtqueue_set_vector(&q, 1), ==, 1);
    qtest_writel(qts, msg, 0);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    g_assert_cmphex(qtest_readl(qts, msg), ==, 0x4321);
    /* Masked: nothing written, the PBA bit set; unmasking delivers. */
    qtest_writel(qts, msg, 0);
    qtest_writel(qts, table + 28, 1);
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    g_assert_cmphex(qtest_readl(qts, msg), ==, 0);
    g_assert_cmphex(qtest_readl(qts, table + 0x800) & 2, ==, 2);
    qtest_writel(qts, table + 28, 0);
    g_assert_cmphex(qtest_readl(qts, msg), ==, 0x4321);
    g_assert_cmphex(qtest_readl(qts, table + 0x800) & 2, ==, 0);
    /* A vector past the table is refused (reads back NO_VECTOR). */
    g_assert_cmphex(qvirtqueue_set_vector(&q, 7), ==, 0xffff);
    qtest_quit(qts);
}

/* Without MSI-X: INTx (GSI 16 + (5 + 0) % 4 = 17) and the ISR. */
static void test_intx(void)
{
    QTestState *qts = start_pmemvm("intx.img");
    QVirtioDev v;
    QVirtQueue q;

    qtest_irq_intercept_in(qts, "ioapic");
    driver_up(&v, &q, qts);
    g_assert_false(qtest_get_irq(qts, 17));
    g_assert_cmphex(request(&q, 0, NULL), ==, 0);
    g_assert_true(qtest_get_irq(qts, 17));
    g_assert_cmphex(qvirtio_isr(&v), ==, 1);
    g_assert_false(qtest_get_irq(qts, 17));
    qtest_quit(qts);
}

/*
 * QEMU's placement puts a virtio-pmem region right after an NVDIMM's
 * region, which ends before the label area: 4 KiB aligned, where Linux's
 * nd_pmem wants 2 MiB ("misaligned, unable to map", no /dev/pmem).  Same
 * place as QEMU, and pmemvm says so; align=2M on the backend fixes it.
 */
static void test_misaligned_warning(void)
{
    static const char *const aligns[] = { "", ",align=2M" };
    static const char *const addrs[] = { "0x10ffe0000", "0x110000000" };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(aligns); i++) {
        g_autofree char *nv = g_build_filename(tmp_dir, "nv.img", NULL);
        g_autofree char *vp = g_build_filename(tmp_dir, "vp.img", NULL);
        g_autofree char *args = NULL, *err = NULL, *want = NULL;
        g_autofree char *qemu = qemu_path();
        g_autoptr(JsonNode) devs = NULL;
        g_autofree char *text = NULL;
        QTestState *qts;

        unlink(nv);
        unlink(vp);
        args = g_strdup_printf("-machine pc,nvdimm=on -m 1G,slots=2,"
                               "maxmem=8G -object memory-backend-file,"
                               "id=mem0,share=on,mem-path=%s,size=256M "
                               "-device nvdimm,memdev=mem0,label-size=128K "
                               "-object memory-backend-file,"
                               "id=mem1,share=on,mem-path=%s,size=128M%s "
                               "-device virtio-pmem-pci,memdev=mem1,id=vp0",
                               nv, vp, aligns[i]);
        qts = qtest_init(args);
        devs = qtest_qmp_assert_success_ref(qts,
                   "{'execute': 'query-memory-devices'}");
        text = json_to_string(devs, FALSE);
        want = g_strdup_printf("\"memaddr\":%" PRIu64,
                               g_ascii_strtoull(addrs[i], NULL, 16));
        g_assert_nonnull(strstr(text, want));
        err = qtest_get_stderr(qts);
        qtest_quit(qts);
        if (qemu) {
            g_autoptr(JsonNode) qdevs = NULL;
            g_autofree char *qerr = NULL, *qtext = NULL;
            bool started;

            unlink(nv);
            unlink(vp);
            qemu_probe(args, &started, &qerr, &qdevs);
            g_assert_true(started);
            qtext = json_to_string(qdevs, FALSE);
            g_assert_nonnull(strstr(qtext, want));
        }
        if (i == 0) {
            g_assert_nonnull(strstr(err, "warning: virtio-pmem 'vp0': its "
                                 "region at 0x10ffe0000 (0x8000000 bytes) is "
                                 "not 2 MiB aligned"));
        } else {
            g_assert_null(strstr(err, "not 2 MiB aligned"));
        }
    }
}

/* -device virtio-pmem-pci,help lists what it takes; bus is QEMU's too,
 * and not listed, as in QEMU. */
static void test_help(void)
{
    g_autofree char *cmd = g_strdup_printf("%s -device virtio-pmem-pci,help",
                                           qtest_binary());
    g_autofree char *out = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_assert_true(g_str_has_prefix(out, "virtio-pmem-pci options:"));
    g_assert_nonnull(strstr(out, "  memdev=<str>"));
    g_assert_nonnull(strstr(out, "  memaddr=<uint64>"));
    g_assert_nonnull(strstr(out, "  addr=<int32>"));
    g_assert_nonnull(strstr(out, "  event_idx=<bool>"));
    g_assert_null(strstr(out, "  bus="));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-virtio-pmem-XXXXXX", NULL);
    g_test_add_func("/virtio-pmem/enumerated-like-qemu",
                    test_enumerated_like_qemu);
    g_test_add_func("/virtio-pmem/flush", test_flush);
    g_test_add_func("/virtio-pmem/sync-before-answer",
                    test_sync_before_answer);
    g_test_add_func("/virtio-pmem/bad-requests", test_bad_requests);
    g_test_add_func("/virtio-pmem/bad-chains", test_bad_chains);
    g_test_add_func("/virtio-pmem/msix", test_msix);
    g_test_add_func("/virtio-pmem/intx", test_intx);
    g_test_add_func("/virtio-pmem/help", test_help);
    g_test_add_func("/virtio-pmem/misaligned-warning",
                    test_misaligned_warning);
    ret = g_test_run();
    remove_dir(tmp_dir);
    return ret;
}
