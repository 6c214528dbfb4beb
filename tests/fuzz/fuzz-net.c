/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the network option values a user types (net/hostfwd.c's
 * hostfwd= rules, net/net.c's MAC addresses).  The first byte picks the
 * parser, the rest is the text.  A rule that parses has a guest port of
 * at least 1; a refused one has a message naming the rule.
 */
#include "qemu/osdep.h"
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = NULL;
    uint8_t mac[NET_ETH_ALEN];
    NetHostFwd fwd;
    Error *err = NULL;

    if (!size) {
        return 0;
    }
    text = g_strndup((const char *)data + 1, size - 1);
    if (data[0] & 1) {
        (void)net_parse_mac(text, mac);
        return 0;
    }
    if (net_hostfwd_parse(text, &fwd, &err)) {
        assert(!err && fwd.guest_port >= 1);
    } else {
        assert(err && strstr(error_get_pretty(err), text));
        error_free(err);
    }
    return 0;
}
