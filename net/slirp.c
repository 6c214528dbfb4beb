/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev user: QEMU's user-mode network, through libslirp (Debian's
 * libslirp0, the library QEMU 7.2 uses).  The guest gets 10.0.2.15 by
 * DHCP, the host is 10.0.2.2 (and the host's loopback through it), DNS
 * 10.0.2.3; hostfwd=tcp:ADDR:PORT-:GPORT forwards a host port into the
 * guest.  Every libslirp call runs on the backend's thread: its sockets
 * and timers are a GSource there.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include "net/net.h"
#include "qom/object.h"          /* type_init */

typedef struct SlirpTimer {
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms;              /* -1: not armed */
} SlirpTimer;

typedef struct NetSlirp {
    NetClient *nc;
    Slirp *slirp;
    GSource *src;
    GArray *pfds;                   /* of GPollFD: registered with GLib */
    GArray *fill;                   /* of GPollFD: what libslirp wants */
    GPtrArray *timers;              /* of SlirpTimer * */
    /*
     * When libslirp wants slirp_pollfds_poll() again even if no socket
     * stirs (its TCP timers: delayed ACKs, retransmits), -1: never.
     */
    int64_t poll_deadline_ms;
    char *hostname, *domainname, *tftp, *bootfile;
    char **dnssearch;
} NetSlirp;

typedef struct SlirpSource {
    GSource src;
    NetSlirp *s;
} SlirpSource;

static const char *const slirp_keys[] = {
    "type", "id", "ipv4", "ipv6", "net", "host", "dhcpstart", "dns",
    "restrict", "hostname", "domainname", "dnssearch", "hostfwd", "tftp",
    "bootfile", NULL,
};

/* QEMU's options for this backend that pmemvm does not have. */
static const char *const slirp_keys_unsupported[] = {
    "ipv6-net", "ipv6-prefix", "ipv6-prefixlen", "ipv6-host", "ipv6-dns",
    "smb", "smbserver", "guestfwd", "tftp-server-name", NULL,
};

static int64_t slirp_now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

/* ---- libslirp's callbacks (backend thread) ---- */

static ssize_t slirp_cb_send(const void *buf, size_t len, void *opaque)
{
    NetSlirp *s = opaque;

    net_client_deliver(s->nc, buf, len);
    return len;
}

static void slirp_cb_guest_error(const char *msg, void *opaque)
{
    guest_error("-netdev user: %s", msg);
}

static int64_t slirp_cb_clock_ns(void *opaque)
{
    return g_get_monotonic_time() * 1000;
}

static void *slirp_cb_timer_new(SlirpTimerId id, void *cb_opaque,
                                void *opaque)
{
    NetSlirp *s = opaque;
    SlirpTimer *t = g_new(SlirpTimer, 1);

    t->id = id;
    t->cb_opaque = cb_opaque;
    t->expire_ms = -1;
    g_ptr_array_add(s->timers, t);
    return t;
}

static void slirp_cb_timer_free(void *timer, void *opaque)
{
    NetSlirp *s = opaque;

    g_ptr_array_remove(s->timers, timer);
    g_free(timer);
}

static void slirp_cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    ((SlirpTimer *)timer)->expire_ms = expire_ms;
}

static void slirp_cb_poll_fd(int fd, void *opaque)
{
    /* Sockets are polled through slirp_pollfds_fill() each round. */
}

static void slirp_cb_notify(void *opaque)
{
    NetSlirp *s = opaque;

    g_main_context_wakeup(s->nc->ctx);
}

static const SlirpCb slirp_cbs = {
    .send_packet = slirp_cb_send,
    .guest_error = slirp_cb_guest_error,
    .clock_get_ns = slirp_cb_clock_ns,
    .timer_free = slirp_cb_timer_free,
    .timer_mod = slirp_cb_timer_mod,
    .register_poll_fd = slirp_cb_poll_fd,
    .unregister_poll_fd = slirp_cb_poll_fd,
    .notify = slirp_cb_notify,
    .timer_new_opaque = slirp_cb_timer_new,
};

/* ---- Its sockets and timers as a GSource ---- */

static int slirp_add_poll(int fd, int events, void *opaque)
{
    NetSlirp *s = opaque;
    GPollFD pfd = { .fd = fd };

    if (events & SLIRP_POLL_IN) {
        pfd.events |= G_IO_IN;
    }
    if (events & SLIRP_POLL_OUT) {
        pfd.events |= G_IO_OUT;
    }
    if (events & SLIRP_POLL_PRI) {
        pfd.events |= G_IO_PRI;
    }
    if (events & SLIRP_POLL_ERR) {
        pfd.events |= G_IO_ERR;
    }
    if (events & SLIRP_POLL_HUP) {
        pfd.events |= G_IO_HUP;
    }
    g_array_append_val(s->fill, pfd);
    return s->fill->len - 1;
}

static int slirp_get_revents(int idx, void *opaque)
{
    NetSlirp *s = opaque;
    GPollFD *pfd = &g_array_index(s->pfds, GPollFD, idx);
    int ev = 0;

    if (pfd->revents & G_IO_IN) {
        ev |= SLIRP_POLL_IN;
    }
    if (pfd->revents & G_IO_OUT) {
        ev |= SLIRP_POLL_OUT;
    }
    if (pfd->revents & G_IO_PRI) {
        ev |= SLIRP_POLL_PRI;
    }
    if (pfd->revents & G_IO_ERR) {
        ev |= SLIRP_POLL_ERR;
    }
    if (pfd->revents & G_IO_HUP) {
        ev |= SLIRP_POLL_HUP;
    }
    return ev;
}

static int64_t slirp_next_timer(NetSlirp *s)
{
    int64_t next = -1;
    guint i;

    for (i = 0; i < s->timers->len; i++) {
        SlirpTimer *t = g_ptr_array_index(s->timers, i);

        if (t->expire_ms >= 0 && (next < 0 || t->expire_ms < next)) {
            next = t->expire_ms;
        }
    }
    return next;
}

static bool slirp_same_polls(GArray *a, GArray *b)
{
    guint i;

    if (a->len != b->len) {
        return false;
    }
    for (i = 0; i < a->len; i++) {
        GPollFD *x = &g_array_index(a, GPollFD, i);
        GPollFD *y = &g_array_index(b, GPollFD, i);

        if (x->fd != y->fd || x->events != y->events) {
            return false;
        }
    }
    return true;
}

static gboolean slirp_src_prepare(GSource *src, gint *timeout)
{
    NetSlirp *s = ((SlirpSource *)src)->s;
    uint32_t t = UINT32_MAX;
    int64_t next = slirp_next_timer(s), now = slirp_now_ms();
    guint i;

    g_array_set_size(s->fill, 0);
    slirp_pollfds_fill(s->slirp, &t, slirp_add_poll, s);
    /*
     * GLib's poll set changes only when libslirp's does: a change wakes
     * the context up again at once, so redoing it in every prepare would
     * spin.  Added once the array is complete (it moves while it grows).
     */
    if (!slirp_same_polls(s->pfds, s->fill)) {
        GArray *old = s->pfds;

        for (i = 0; i < old->len; i++) {
            g_source_remove_poll(src, &g_array_index(old, GPollFD, i));
        }
        s->pfds = s->fill;
        s->fill = old;
        for (i = 0; i < s->pfds->len; i++) {
            g_source_add_poll(src, &g_array_index(s->pfds, GPollFD, i));
        }
    }
    s->poll_deadline_ms = t == UINT32_MAX ? -1 : now + t;
    if (next >= 0 && next <= now) {
        *timeout = 0;
        return TRUE;
    }
    if (next >= 0 && (uint64_t)(next - now) < t) {
        t = next - now;
    }
    *timeout = t == UINT32_MAX ? -1 : (gint)MIN(t, (uint32_t)G_MAXINT);
    return t == 0;
}

static gboolean slirp_src_check(GSource *src)
{
    NetSlirp *s = ((SlirpSource *)src)->s;
    int64_t next = slirp_next_timer(s), now = slirp_now_ms();
    guint i;

    /* Its own timeouts as well as its sockets: see poll_deadline_ms. */
    if ((next >= 0 && next <= now) ||
        (s->poll_deadline_ms >= 0 && s->poll_deadline_ms <= now)) {
        return TRUE;
    }
    for (i = 0; i < s->pfds->len; i++) {
        if (g_array_index(s->pfds, GPollFD, i).revents) {
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean slirp_src_dispatch(GSource *src, GSourceFunc cb,
                                   gpointer data)
{
    NetSlirp *s = ((SlirpSource *)src)->s;
    int64_t now = slirp_now_ms();
    guint i;

    slirp_pollfds_poll(s->slirp, 0, slirp_get_revents, s);
    for (i = 0; i < s->timers->len; i++) {
        SlirpTimer *t = g_ptr_array_index(s->timers, i);

        if (t->expire_ms >= 0 && t->expire_ms <= now) {
            t->expire_ms = -1;
            slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
        }
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs slirp_src_funcs = {
    .prepare = slirp_src_prepare,
    .check = slirp_src_check,
    .dispatch = slirp_src_dispatch,
};

/* ---- The backend ---- */

static void net_slirp_send(NetClient *nc, const uint8_t *frame, size_t len)
{
    NetSlirp *s = nc->opaque;

    if (len <= INT_MAX) {
        slirp_input(s->slirp, frame, len);
    }
}

/* What net_slirp_create() allocated around the Slirp itself. */
static void net_slirp_free(NetSlirp *s)
{
    g_array_free(s->pfds, TRUE);
    g_array_free(s->fill, TRUE);
    g_ptr_array_free(s->timers, TRUE);
    g_free(s->hostname);
    g_free(s->domainname);
    g_free(s->tftp);
    g_free(s->bootfile);
    g_strfreev(s->dnssearch);
    g_free(s);
}

static void net_slirp_cleanup(NetClient *nc)
{
    NetSlirp *s = nc->opaque;

    g_source_destroy(s->src);
    g_source_unref(s->src);
    slirp_cleanup(s->slirp);
    net_slirp_free(s);
}

static const NetClientOps net_slirp_ops = {
    .send = net_slirp_send,
    .cleanup = net_slirp_cleanup,
};

/* ---- Options ---- */

static bool slirp_opt_bool(QemuOpts *opts, const char *key, bool def,
                           bool *out, Error **errp)
{
    const char *v = qemu_opts_get(opts, key);

    if (!v) {
        *out = def;
    } else if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "y")) {
        *out = true;
    } else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "n")) {
        *out = false;
    } else {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

/* "net=ADDR[/BITS|/MASK]" (QEMU's words for a bad prefix). */
static bool slirp_parse_net(const char *v, struct in_addr *net,
                            struct in_addr *mask, Error **errp)
{
    g_autofree char *addr = g_strdup(v);
    char *slash = strchr(addr, '/');

    mask->s_addr = htonl(0xFFFFFF00);
    if (slash) {
        char *end;
        long bits;

        *slash++ = '\0';
        bits = strtol(slash, &end, 10);
        if (*end == '\0' && end != slash) {
            if (bits < 4 || bits > 32) {
                error_setg(errp, "Invalid netmask provided (must be in "
                           "range 4-32)");
                return false;
            }
            mask->s_addr = htonl(bits == 32 ? 0xFFFFFFFF :
                                 ~(0xFFFFFFFFu >> bits));
        } else if (!inet_aton(slash, mask)) {
            error_setg(errp, "Invalid netmask provided (must be in range "
                       "4-32)");
            return false;
        }
    }
    if (!inet_aton(addr, net)) {
        error_setg(errp, "Invalid net address provided");
        return false;
    }
    net->s_addr &= mask->s_addr;
    return true;
}

static bool slirp_hostfwd(NetSlirp *s, const char *rule, Error **errp)
{
    NetHostFwd f;
    struct in_addr host, guest;

    if (!net_hostfwd_parse(rule, &f, errp)) {
        return false;
    }
    host.s_addr = f.host_addr;
    guest.s_addr = f.guest_addr;
    if (slirp_add_hostfwd(s->slirp, f.udp, host, f.host_port, guest,
                          f.guest_port) < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;
}

static bool slirp_addr_opt(QemuOpts *opts, const char *key,
                           struct in_addr *out, Error **errp)
{
    const char *v = qemu_opts_get(opts, key);

    if (v && !inet_aton(v, out)) {
        error_setg(errp, "Parameter '%s' expects an IPv4 address: '%s'",
                   key, v);
        return false;
    }
    return true;
}

static bool net_slirp_create(NetClient *nc, QemuOpts *opts, Error **errp)
{
    SlirpConfig cfg = { .version = 4 };
    struct in_addr net, mask, host, dhcp, dns;
    g_autoptr(GPtrArray) search = g_ptr_array_new();
    NetSlirp *s;
    bool ipv4, ipv6, restricted;
    guint i;

    if (!qemu_opts_check_keys(opts, slirp_keys, errp)) {
        for (i = 0; slirp_keys_unsupported[i]; i++) {
            if (qemu_opts_get(opts, slirp_keys_unsupported[i])) {
                error_free(*errp);
                *errp = NULL;
                error_setg(errp, "'%s' is not supported by pmemvm",
                           slirp_keys_unsupported[i]);
                break;
            }
        }
        return false;
    }
    if (!slirp_opt_bool(opts, "ipv4", true, &ipv4, errp) ||
        !slirp_opt_bool(opts, "ipv6", true, &ipv6, errp) ||
        !slirp_opt_bool(opts, "restrict", false, &restricted, errp)) {
        return false;
    }
    if (!ipv4 && !ipv6) {
        error_setg(errp, "IPv4 and IPv6 cannot both be disabled");
        return false;
    }
    if (!slirp_parse_net(qemu_opts_get(opts, "net") ?: "10.0.2.0/24", &net,
                         &mask, errp)) {
        return false;
    }
    host.s_addr = net.s_addr | htonl(2);
    dhcp.s_addr = net.s_addr | htonl(15);
    dns.s_addr = net.s_addr | htonl(3);
    if (!slirp_addr_opt(opts, "host", &host, errp) ||
        !slirp_addr_opt(opts, "dhcpstart", &dhcp, errp) ||
        !slirp_addr_opt(opts, "dns", &dns, errp)) {
        return false;
    }
    if ((host.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "The host address is not in the network");
        return false;
    }
    if ((dhcp.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "DHCP server address is not in the network");
        return false;
    }
    if ((dns.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "DNS server address is not in the network");
        return false;
    }

    s = g_new0(NetSlirp, 1);
    s->nc = nc;
    s->pfds = g_array_new(FALSE, TRUE, sizeof(GPollFD));
    s->fill = g_array_new(FALSE, TRUE, sizeof(GPollFD));
    s->timers = g_ptr_array_new();
    s->poll_deadline_ms = -1;
    s->hostname = g_strdup(qemu_opts_get(opts, "hostname"));
    s->domainname = g_strdup(qemu_opts_get(opts, "domainname"));
    s->tftp = g_strdup(qemu_opts_get(opts, "tftp"));
    s->bootfile = g_strdup(qemu_opts_get(opts, "bootfile"));
    for (i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->key, "dnssearch")) {
            g_ptr_array_add(search, g_strdup(o->value));
        }
    }
    g_ptr_array_add(search, NULL);
    s->dnssearch = (char **)g_ptr_array_steal(search, NULL);

    cfg.restricted = restricted;
    cfg.in_enabled = ipv4;
    cfg.vnetwork = net;
    cfg.vnetmask = mask;
    cfg.vhost = host;
    cfg.vdhcp_start = dhcp;
    cfg.vnameserver = dns;
    cfg.in6_enabled = ipv6;
    /* QEMU's IPv6 defaults: fec0::/64, host ::2, DNS ::3. */
    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    cfg.vprefix_len = 64;
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    cfg.vhostname = s->hostname;
    cfg.vdomainname = s->domainname;
    cfg.tftp_path = s->tftp;
    cfg.bootfile = s->bootfile;
    cfg.vdnssearch = s->dnssearch[0] ? (const char **)s->dnssearch : NULL;
    s->slirp = slirp_new(&cfg, &slirp_cbs, s);
    if (!s->slirp) {
        error_setg(errp, "-netdev user: libslirp refused the configuration");
        goto fail;
    }
    nc->ops = &net_slirp_ops;
    nc->opaque = s;
    for (i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->key, "hostfwd") && !slirp_hostfwd(s, o->value, errp)) {
            slirp_cleanup(s->slirp);
            goto fail;
        }
    }
    s->src = g_source_new(&slirp_src_funcs, sizeof(SlirpSource));
    ((SlirpSource *)s->src)->s = s;
    g_source_attach(s->src, nc->ctx);
    return true;

fail:
    net_slirp_free(s);
    nc->ops = NULL;
    nc->opaque = NULL;
    return false;
}

static void net_slirp_register(void)
{
    net_register_type("user", net_slirp_create);
}

type_init(net_slirp_register)
