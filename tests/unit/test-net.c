/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for net/hostfwd.c (hostfwd= rules, with the reasons QEMU
 * 7.2 gives for the same rules: each expected message below is what
 * `qemu-system-x86_64 -netdev user,id=n,hostfwd=RULE` printed) and the
 * MAC parser of net/net.c.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include "net/net.h"

static void check_bad(const char *rule, const char *reason)
{
    g_autofree char *want = g_strdup_printf("Invalid host forwarding rule "
                                            "'%s' (%s)", rule, reason);
    NetHostFwd f;
    Error *err = NULL;

    g_assert_false(net_hostfwd_parse(rule, &f, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, want);
    error_free(err);
}

static void test_hostfwd_bad(void)
{
    check_bad("xx", "No : separators");
    check_bad("sctp::1-:2", "Bad protocol name");
    check_bad("tcp:22", "Missing : separator");
    check_bad(":7000-:7", "Bad host address");
    check_bad("tcp::1:2", "Bad host port separator");
    check_bad("tcp::x-:2", "Bad host port");
    check_bad("tcp::70000-:22", "Bad host port");
    check_bad("tcp::1-2", "Missing guest address");
    check_bad("tcp::1-1.2.x:2", "Bad guest address");
    check_bad("tcp::1-:x", "Bad guest port");
    check_bad("tcp::7001-:0", "Bad guest port");
    check_bad("tcp::7001-:", "Bad guest port");
}

static void test_hostfwd_good(void)
{
    NetHostFwd f;

    g_assert_true(net_hostfwd_parse("tcp::2222-:22", &f, &error_abort));
    g_assert_false(f.udp);
    g_assert_cmpuint(f.host_addr, ==, 0);
    g_assert_cmpuint(f.host_port, ==, 2222);
    g_assert_cmpuint(f.guest_addr, ==, 0);
    g_assert_cmpuint(f.guest_port, ==, 22);

    g_assert_true(net_hostfwd_parse("udp:127.0.0.1:5555-10.0.2.15:0x35",
                                    &f, &error_abort));
    g_assert_true(f.udp);
    g_assert_cmphex(ntohl(f.host_addr), ==, 0x7f000001);
    g_assert_cmpuint(f.host_port, ==, 5555);
    g_assert_cmphex(ntohl(f.guest_addr), ==, 0x0a00020f);
    g_assert_cmpuint(f.guest_port, ==, 53);

    /* QEMU takes an empty protocol as tcp and host port 0 (any). */
    g_assert_true(net_hostfwd_parse("::0-:22", &f, &error_abort));
    g_assert_false(f.udp);
    g_assert_cmpuint(f.host_port, ==, 0);
    g_assert_true(net_hostfwd_parse("tcp::-:22", &f, &error_abort));
    g_assert_cmpuint(f.host_port, ==, 0);
    /* inet_aton's short forms, as QEMU: 1.2.3 is 1.2.0.3. */
    g_assert_true(net_hostfwd_parse("tcp::1-1.2.3:2", &f, &error_abort));
    g_assert_cmphex(ntohl(f.guest_addr), ==, 0x01020003);
}

static void test_mac(void)
{
    uint8_t mac[6];
    static const uint8_t want[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

    g_assert_true(net_parse_mac("52:54:00:ab:cd:ef", mac));
    g_assert_cmpmem(mac, 6, want, 6);
    g_assert_true(net_parse_mac("52-54-00-AB-CD-EF", mac));
    g_assert_cmpmem(mac, 6, want, 6);
    g_assert_false(net_parse_mac("zz", mac));
    g_assert_false(net_parse_mac("52:54:00:ab:cd", mac));
    g_assert_false(net_parse_mac("52:54:00:ab:cd:ef:01", mac));
    g_assert_false(net_parse_mac("52:54:00:ab:cd:eff", mac));
    g_assert_false(net_parse_mac("52:54:00:ab:cd:", mac));
    g_assert_false(net_parse_mac("", mac));
    g_assert_false(net_parse_mac("152:54:00:ab:cd:ef", mac));
    g_assert_false(net_parse_mac("+2:54:00:ab:cd:ef", mac));
}

static void test_default_mac(void)
{
    uint8_t a[6], b[6];

    net_default_mac(a);
    net_default_mac(b);
    g_assert_cmpmem(a, 5, ((uint8_t[5]){ 0x52, 0x54, 0x00, 0x12, 0x34 }),
                    5);
    g_assert_cmphex(a[5], ==, 0x56);
    g_assert_cmphex(b[5], ==, 0x57);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net/hostfwd/bad", test_hostfwd_bad);
    g_test_add_func("/net/hostfwd/good", test_hostfwd_good);
    g_test_add_func("/net/mac", test_mac);
    g_test_add_func("/net/default-mac", test_default_mac);
    return g_test_run();
}
