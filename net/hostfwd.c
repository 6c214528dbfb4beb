/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostfwd= rules of -netdev user (net_hostfwd_parse(), include/net/net.h):
 * checked in QEMU 7.2's order, each failure with its reason.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include "net/net.h"

/* Cut @*p at the first @sep; false (and nothing cut) if there is none. */
static bool hostfwd_cut(char **p, char sep, char **field)
{
    char *at = strchr(*p, sep);

    if (!at) {
        return false;
    }
    *at = '\0';
    *field = *p;
    *p = at + 1;
    return true;
}

/* An empty port is 0, as strtol() reads it for QEMU. */
static bool hostfwd_port(const char *s, long min, uint16_t *port)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 0);
    if (*end || errno || v < min || v > 65535) {
        return false;
    }
    *port = v;
    return true;
}

bool net_hostfwd_parse(const char *rule, NetHostFwd *fwd, Error **errp)
{
    g_autofree char *copy = g_strdup(rule);
    char *p = copy, *field;
    struct in_addr a;
    const char *why = NULL;

    memset(fwd, 0, sizeof(*fwd));
    if (!hostfwd_cut(&p, ':', &field)) {
        why = "No : separators";
    } else if (*field && strcmp(field, "tcp") && strcmp(field, "udp")) {
        why = "Bad protocol name";
    } else if ((fwd->udp = !strcmp(field, "udp")),
               !hostfwd_cut(&p, ':', &field)) {
        why = "Missing : separator";
    } else if (*field && !inet_aton(field, &a)) {
        why = "Bad host address";
    } else if ((fwd->host_addr = *field ? a.s_addr : 0),
               !hostfwd_cut(&p, '-', &field)) {
        why = "Bad host port separator";
    } else if (!hostfwd_port(field, 0, &fwd->host_port)) {
        why = "Bad host port";
    } else if (!hostfwd_cut(&p, ':', &field)) {
        why = "Missing guest address";
    } else if (*field && !inet_aton(field, &a)) {
        why = "Bad guest address";
    } else if ((fwd->guest_addr = *field ? a.s_addr : 0),
               !hostfwd_port(p, 1, &fwd->guest_port)) {
        why = "Bad guest port";
    }
    if (why) {
        error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, why);
        return false;
    }
    return true;
}
