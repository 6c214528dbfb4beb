/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-pci on -netdev user, as a guest driver meets it: the
 * function at addr=5 with modern virtio-net ids, the MAC and link status
 * in its config space; an ARP request for the gateway (10.0.2.2) sent on
 * the transmit queue comes back as libslirp's reply on the receive queue;
 * a connection to a hostfwd port on the host reaches the guest as a TCP
 * SYN to the forwarded port; a transmit request without its header
 * breaks the device and pmemvm lives on; bad options get QEMU's messages
 * (compared) or name what pmemvm lacks.  The exchanges run on QEMU 7.2
 * too (disable-legacy=on: its modern virtio-net-pci) and must give the
 * same frames: both use libslirp.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/virtio.h"
#include "qtest-util.h"

#define DEVFN       QPCI_DEVFN(5, 0)
#define RXQ_MEM     0x1000000ULL     /* rings in guest RAM */
#define TXQ_MEM     0x1010000ULL
#define RX_BUFS     0x1100000ULL     /* receive buffers, RX_BUF_LEN each */
#define TX_BUF      0x1200000ULL
#define N_RX        8
#define HDR_LEN     12
#define RX_BUF_LEN  (HDR_LEN + 1518)
#define BAR_BASE    0xfe000000ULL
#define FEATURES    ((1ULL << VIRTIO_F_VERSION_1) | \
                     (1ULL << VIRTIO_NET_F_MAC) | \
                     (1ULL << VIRTIO_NET_F_STATUS))
#define TIMEOUT_US  (10 * G_USEC_PER_SEC)

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

typedef struct Nic {
    QTestState *qts;
    QVirtioDev v;
    QVirtQueue rx, tx;
    uint16_t rx_head[N_RX];
    bool qemu;
} Nic;

static char *args_for(unsigned port, bool qemu)
{
    return g_strdup_printf("-machine pc -m 512M "
                           "-netdev user,id=n0,hostfwd=tcp:127.0.0.1:%u-:22 "
                           "-device virtio-net-pci,netdev=n0,id=nic0,"
                           "mac=52:54:00:ab:cd:ef,addr=0x5%s", port,
                           qemu ? ",disable-legacy=on" : "");
}

/* A TCP port nobody listens on now. */
static unsigned free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&a, &len), ==, 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Driver up: features, both queues, N_RX receive buffers posted. */
static void nic_up(Nic *n, QTestState *qts)
{
    unsigned i;

    n->qts = qts;
    qvirtio_init(&n->v, qts, DEVFN, BAR_BASE);
    g_assert_cmphex(qvirtio_negotiate(&n->v, FEATURES) &
                    VIRTIO_CONFIG_S_FEATURES_OK, ==,
                    VIRTIO_CONFIG_S_FEATURES_OK);
    qvirtqueue_setup(&n->rx, &n->v, 0, RXQ_MEM);
    qvirtqueue_setup(&n->tx, &n->v, 1, TXQ_MEM);
    qvirtio_set_status(&n->v, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                              VIRTIO_CONFIG_S_DRIVER |
                              VIRTIO_CONFIG_S_FEATURES_OK |
                              VIRTIO_CONFIG_S_DRIVER_OK);
    for (i = 0; i < N_RX; i++) {
        QVirtioBuf b = { RX_BUFS + i * 0x1000, RX_BUF_LEN, true };

        n->rx_head[i] = qvirtqueue_add(&n->rx, &b, 1);
    }
    qvirtqueue_kick(&n->rx);
}

/* Send @frame (the header in front); wait until the device took it. */
static void nic_send(Nic *n, const uint8_t *frame, size_t len)
{
    QVirtioBuf b = { TX_BUF, HDR_LEN + len, false };
    uint32_t id, used_len;
    uint16_t head;

    qtest_memset(n->qts, TX_BUF, 0, HDR_LEN);
    qtest_memwrite(n->qts, TX_BUF + HDR_LEN, frame, len);
    head = qvirtqueue_add(&n->tx, &b, 1);
    qvirtqueue_kick(&n->tx);
    g_assert_true(qvirtqueue_wait_used(&n->tx, &id, &used_len, TIMEOUT_US));
    g_assert_cmpuint(id, ==, head);
}

/* The next received frame (header checked and cut off); its length. */
static size_t nic_receive(Nic *n, uint8_t *frame)
{
    struct virtio_net_hdr_v1 hdr;
    uint32_t id, len;
    unsigned i;

    g_assert_true(qvirtqueue_wait_used(&n->rx, &id, &len, TIMEOUT_US));
    for (i = 0; i < N_RX && n->rx_head[i] != id; i++) {
    }
    g_assert_cmpuint(i, <, N_RX);
    g_assert_cmpuint(len, >=, HDR_LEN);
    g_assert_cmpuint(len, <=, RX_BUF_LEN);
    qtest_memread(n->qts, RX_BUFS + i * 0x1000, &hdr, HDR_LEN);
    g_assert_cmpuint(hdr.flags, ==, 0);
    g_assert_cmpuint(hdr.gso_type, ==, VIRTIO_NET_HDR_GSO_NONE);
    /*
     * virtio 1.2 §5.1.6.4: 1 without VIRTIO_NET_F_MRG_RXBUF.  QEMU 7.2
     * leaves it 0 (Linux ignores it then); only logged for QEMU.
     */
    if (!n->qemu) {
        g_assert_cmpuint(GUINT16_FROM_LE(hdr.num_buffers), ==, 1);
    } else if (GUINT16_FROM_LE(hdr.num_buffers) != 1) {
        g_test_message("QEMU: num_buffers %u",
                       GUINT16_FROM_LE(hdr.num_buffers));
    }
    qtest_memread(n->qts, RX_BUFS + i * 0x1000 + HDR_LEN, frame,
                  len - HDR_LEN);
    return len - HDR_LEN;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static uint16_t get16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

/* An ARP packet from the guest (10.0.2.15) about 10.0.2.2. */
static size_t arp_frame(uint8_t *f, uint16_t op, const uint8_t *dst_mac,
                        const uint8_t *tpa)
{
    static const uint8_t spa[4] = { 10, 0, 2, 15 };

    memcpy(f, dst_mac, 6);
    memcpy(f + 6, guest_mac, 6);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);               /* Ethernet */
    put16(f + 16, 0x0800);          /* IPv4 */
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, op);
    memcpy(f + 22, guest_mac, 6);
    memcpy(f + 28, spa, 4);
    memcpy(f + 32, op == 1 ? (const uint8_t[6]){ 0 } : dst_mac, 6);
    memcpy(f + 38, tpa, 4);
    return 42;
}

/*
 * Who has 10.0.2.2?  The reply, as text for the comparison with QEMU.
 * A frame nobody answers (an unknown EtherType) goes first, so that the
 * request's transmit chain and the reply's receive chain have different
 * heads: the device must answer each queue with its own.
 */
static char *arp_exchange(Nic *n)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t gw[4] = { 10, 0, 2, 2 };
    uint8_t f[1600];
    size_t len;

    memset(f, 0, 60);
    memcpy(f, bcast, 6);
    memcpy(f + 6, guest_mac, 6);
    put16(f + 12, 0x88b5);          /* IEEE 802 local experimental */
    nic_send(n, f, 60);
    nic_send(n, f, arp_frame(f, 1, bcast, gw));
    len = nic_receive(n, f);
    g_assert_cmpuint(len, >=, 42);
    g_assert_cmpmem(f, 6, guest_mac, 6);            /* to us */
    g_assert_cmphex(get16(f + 12), ==, 0x0806);
    g_assert_cmphex(get16(f + 20), ==, 2);          /* a reply */
    g_assert_cmpmem(f + 28, 4, gw, 4);              /* from 10.0.2.2 */
    g_assert_cmpmem(f + 32, 6, guest_mac, 6);
    return g_strdup_printf("arp reply len %zu from %02x:%02x:%02x:%02x:"
                           "%02x:%02x", len, f[22], f[23], f[24], f[25],
                           f[26], f[27]);
}

/*
 * A host connection to the hostfwd port: libslirp asks who has
 * 10.0.2.15 (answered) unless it knows, then sends the guest a SYN for
 * port 22.  The SYN's facts as text.
 */
static char *hostfwd_exchange(Nic *n, unsigned port)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    uint8_t f[1600];
    size_t len;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned tries;

    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    for (tries = 0; tries < 4; tries++) {
        len = nic_receive(n, f);
        if (get16(f + 12) == 0x0806 && get16(f + 20) == 1) {
            uint8_t r[64];

            g_assert_cmpmem(f + 38, 4, ((uint8_t[4]){ 10, 0, 2, 15 }), 4);
            nic_send(n, r, arp_frame(r, 2, f + 6, f + 28));
            continue;
        }
        break;
    }
    g_assert_cmpuint(len, >=, 14 + 20 + 20);
    /*
     * Unanswered, the SYN comes again after libslirp's retransmission
     * timeout (a few seconds), with nothing else happening on any socket:
     * its timers run by themselves.  Not on QEMU under qtest: its slirp
     * keeps the virtual clock, which stands still there.
     */
    if (!n->qemu) {
        uint8_t again[1600];
        size_t alen = nic_receive(n, again);

        g_assert_cmpuint(alen, ==, len);
        g_assert_cmpmem(again + 34, 20, f + 34, 20);    /* same TCP header */
    }
    close(fd);
    g_assert_cmphex(get16(f + 12), ==, 0x0800);     /* IPv4 */
    g_assert_cmpuint(f[14 + 9], ==, 6);             /* TCP */
    g_assert_cmpmem(f + 14 + 16, 4, ((uint8_t[4]){ 10, 0, 2, 15 }), 4);
    g_assert_cmpuint(get16(f + 34 + 2), ==, 22);    /* to port 22 */
    g_assert_cmphex(f[34 + 13] & 0x12, ==, 0x02);   /* SYN, not ACK */
    return g_strdup_printf("syn from %u.%u.%u.%u to %u.%u.%u.%u:%u",
                           f[26], f[27], f[28], f[29], f[30], f[31], f[32],
                           f[33], get16(f + 36));
}

static char *exchanges(QTestState *qts, unsigned port, bool qemu)
{
    Nic n = { .qemu = qemu };
    g_autofree char *arp = NULL, *syn = NULL;

    nic_up(&n, qts);
    /* QEMU's starts paused (-S), and its NIC moves no frames until then. */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    arp = arp_exchange(&n);
    syn = hostfwd_exchange(&n, port);
    return g_strdup_printf("%s; %s", arp, syn);
}

static void test_traffic_like_qemu(void)
{
    unsigned port = free_port();
    g_autofree char *args = args_for(port, false);
    QTestState *qts = qtest_init(args);
    g_autofree char *mine = exchanges(qts, port, false), *theirs = NULL;

    g_assert_true(qtest_probe_child(qts));
    qtest_quit(qts);
    g_test_message("pmemvm: %s", mine);
    g_free(args);
    port = free_port();
    args = args_for(port, true);
    qts = qemu_qtest_init(args);
    if (!qts) {
        return;
    }
    theirs = exchanges(qts, port, true);
    qtest_quit(qts);
    g_test_message("QEMU:   %s", theirs);
    g_assert_cmpstr(mine, ==, theirs);
}

static void test_enumerated(void)
{
    g_autofree char *args = args_for(free_port(), false);
    QTestState *qts = qtest_init(args);
    uint8_t cfg[256];
    QVirtioDev v;
    uint32_t w0, w1;

    qpci_config_dump(qts, DEVFN, cfg);
    g_assert_cmphex(cfg[0] | cfg[1] << 8, ==, 0x1af4);
    g_assert_cmphex(cfg[2] | cfg[3] << 8, ==, 0x1041);
    g_assert_cmphex(cfg[9] | cfg[10] << 8 | cfg[11] << 16, ==, 0x020000);
    g_assert_cmphex(cfg[0x2e] | cfg[0x2f] << 8, ==, 0x1100);
    qvirtio_init(&v, qts, DEVFN, BAR_BASE);
    g_assert_cmphex(qvirtio_device_features(&v) & FEATURES, ==, FEATURES);
    g_assert_cmpuint(qtest_readw(qts, v.common + VIRTIO_PCI_COMMON_NUMQ),
                     ==, 2);
    w0 = qvirtio_config_readl(&v, 0);
    w1 = qvirtio_config_readl(&v, 4);
    g_assert_cmphex(w0, ==, 0xab005452);            /* 52:54:00:ab */
    g_assert_cmphex(w1 & 0xffff, ==, 0xefcd);       /* :cd:ef */
    g_assert_cmphex(w1 >> 16, ==, VIRTIO_NET_S_LINK_UP);
    qtest_quit(qts);
}

/* CPU seconds (user + system) process @pid has used so far. */
static double cpu_seconds(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *text = NULL;
    unsigned long utime, stime;
    char *p;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    p = strrchr(text, ')');
    g_assert_nonnull(p);
    /* Fields 14 and 15, counted from the state (field 3) after "comm)". */
    g_assert_cmpint(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
                           "%*u %lu %lu", &utime, &stime), ==, 2);
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

/*
 * An idle network costs nothing: with a connection open through hostfwd
 * (a socket libslirp polls) and the driver up, pmemvm's threads sleep.
 * (Its poll loop once woke itself up for ever: a full CPU.)
 */
static void test_idle(void)
{
    unsigned port = free_port();
    g_autofree char *args = args_for(port, false);
    QTestState *qts = qtest_init(args);
    struct sockaddr_in a = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    double before, used;
    Nic n = { .qemu = false };

    nic_up(&n, qts);
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    before = cpu_seconds(qtest_pid(qts));
    g_usleep(2 * G_USEC_PER_SEC);
    used = cpu_seconds(qtest_pid(qts)) - before;
    g_test_message("pmemvm used %.2f s of CPU in 2 s idle", used);
    g_assert_cmpfloat(used, <, 0.5);
    close(fd);
    qtest_quit(qts);
}

/* A transmit request shorter than its header: NEEDS_RESET, no crash. */
static void test_short_tx(void)
{
    g_autofree char *args = args_for(free_port(), false);
    QTestState *qts = qtest_init(args);
    QVirtioBuf b = { TX_BUF, 4, false };
    Nic n = { .qemu = false };

    nic_up(&n, qts);
    qvirtqueue_add(&n.tx, &b, 1);
    qvirtqueue_kick(&n.tx);
    g_assert_true(qvirtio_wait_status(&n.v, VIRTIO_CONFIG_S_NEEDS_RESET,
                                      TIMEOUT_US));
    g_assert_true(qtest_probe_child(qts));
    /* A reset brings it back: the gateway answers again. */
    g_free(arp_exchange((nic_up(&n, qts), &n)));
    qtest_quit(qts);
}

/* ---- Refused command lines: QEMU's words, or pmemvm's own ---- */

typedef struct BadArgs {
    const char *args;
    const char *msg;    /* NULL: the same line as QEMU 7.2's */
} BadArgs;

static const BadArgs bad_args[] = {
    { "-netdev user", NULL },
    { "-netdev id=n0", NULL },
    { "-netdev foo,id=n0", NULL },
    { "-netdev user,id=n0 -netdev user,id=n0", NULL },
    { "-netdev user,id=n0,bogus=1", NULL },
    { "-netdev user,id=n0,restrict=maybe", NULL },
    { "-netdev user,id=n0,net=10.0.2.0/33", NULL },
    { "-netdev user,id=n0,hostfwd=tcp::1-2", NULL },
    { "-netdev user,id=n0,hostfwd=sctp::1-:2", NULL },
    { "-netdev user,id=n0,hostfwd=tcp:1.2.3:1-:2", NULL },
    { "-device virtio-net-pci,netdev=zz", NULL },
    { "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=zz", NULL },
    { "-netdev user,id=n0 -device virtio-net-pci,netdev=n0 "
      "-device virtio-net-pci,netdev=n0", NULL },
    { "-netdev tap,id=n0", "-netdev tap,id=n0: network backend 'tap' is "
      "not supported by pmemvm: it has user-mode networking only (-netdev "
      "user)" },
    { "-netdev user,id=n0,smb=/tmp", "-netdev user,id=n0,smb=/tmp: 'smb' "
      "is not supported by pmemvm" },
    { "-nic user,model=e1000", "-nic user,model=e1000: Unsupported NIC "
      "model: e1000 (pmemvm has virtio-net-pci only: model=virtio)" },
    { "-net nic -net nic -net user", "-net nic: pmemvm connects one -net "
      "nic to one -net backend (it has no hub for more)" },
};

static void test_bad_args(void)
{
    g_autofree char *qemu = qemu_path();
    unsigned i, compared = 0;

    for (i = 0; i < G_N_ELEMENTS(bad_args); i++) {
        const BadArgs *c = &bad_args[i];
        g_autofree char *args = g_strdup_printf("-machine pc %s", c->args);
        g_autofree char *err = NULL, *line = NULL, *qerr = NULL;
        g_autofree char *qline = NULL;
        int status = 0;
        bool started = false;
        QTestState *qts = qtest_init_may_fail(args, &status, &err);

        if (qts) {
            qtest_quit(qts);
            g_error("pmemvm accepted '%s'", args);
        }
        g_assert_cmpint(status, ==, 1);
        line = error_line(err, "pmemvm");
        g_assert_nonnull(line);
        if (c->msg) {
            g_assert_cmpstr(line, ==, c->msg);
            continue;
        }
        if (!qemu) {
            g_test_skip(QEMU_NAME " (QEMU 7.2) is not installed");
            continue;
        }
        g_assert_cmpint(qemu_probe(args, &started, &qerr, NULL), ==, 1);
        g_assert_false(started);
        qline = error_line(qerr, QEMU_NAME);
        g_assert_cmpstr(line, ==, qline);
        compared++;
    }
    g_test_message("%u refusals the same as QEMU 7.2's", compared);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-net/bad-args", test_bad_args);
    g_test_add_func("/virtio-net/enumerated", test_enumerated);
    g_test_add_func("/virtio-net/traffic-like-qemu", test_traffic_like_qemu);
    g_test_add_func("/virtio-net/short-tx", test_short_tx);
    g_test_add_func("/virtio-net/idle", test_idle);
    return g_test_run();
}
