/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network backends: see include/net/net.h.
 */
#include "qemu/osdep.h"
#include "net/net.h"

/* Frames kept for a NIC without room (TCP resends what is dropped). */
#define NET_QUEUE_MAX       64

typedef struct NetType {
    const char *type;
    NetClientCreateFn create;
} NetType;

typedef struct NetFrame {
    size_t len;
    uint8_t data[];
} NetFrame;

static GPtrArray *net_types;        /* of NetType * */
static GPtrArray *net_clients;      /* of NetClient * */
static unsigned net_mac_next;       /* default MACs handed out */

void net_register_type(const char *type, NetClientCreateFn create)
{
    NetType *t = g_new(NetType, 1);

    if (!net_types) {
        net_types = g_ptr_array_new();
    }
    t->type = type;
    t->create = create;
    g_ptr_array_add(net_types, t);
}

static NetType *net_type_find(const char *type)
{
    guint i;

    for (i = 0; net_types && i < net_types->len; i++) {
        NetType *t = g_ptr_array_index(net_types, i);

        if (!strcmp(t->type, type)) {
            return t;
        }
    }
    return NULL;
}

NetClient *net_client_find(const char *id)
{
    guint i;

    for (i = 0; id && net_clients && i < net_clients->len; i++) {
        NetClient *nc = g_ptr_array_index(net_clients, i);

        if (!strcmp(nc->id, id)) {
            return nc;
        }
    }
    return NULL;
}

NetClient *net_client_nth(unsigned i)
{
    return net_clients && i < net_clients->len ?
           g_ptr_array_index(net_clients, i) : NULL;
}

const char *net_client_id(NetClient *nc)
{
    return nc->id;
}

static gpointer net_client_thread(gpointer opaque)
{
    NetClient *nc = opaque;

    g_main_context_push_thread_default(nc->ctx);
    g_main_loop_run(nc->loop);
    g_main_context_pop_thread_default(nc->ctx);
    return NULL;
}

/* QEMU's backend types that pmemvm does not have, for a clear refusal. */
static const char *const net_types_qemu[] = {
    "tap", "bridge", "socket", "stream", "dgram", "vde", "l2tpv3",
    "vhost-user", "vhost-vdpa", "hubport", "netmap", "af-xdp", NULL,
};

NetClient *net_client_new(QemuOpts *opts, Error **errp)
{
    const char *type = qemu_opts_get(opts, "type");
    const char *id = qemu_opts_get(opts, "id");
    NetType *t;
    NetClient *nc;
    guint i;

    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return NULL;
    }
    t = net_type_find(type);
    if (!t) {
        for (i = 0; net_types_qemu[i]; i++) {
            if (!strcmp(net_types_qemu[i], type)) {
                error_setg(errp, "network backend '%s' is not supported "
                           "by pmemvm: it has user-mode networking only "
                           "(-netdev user)", type);
                return NULL;
            }
        }
        error_setg(errp, "Parameter 'type' does not accept value '%s'",
                   type);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (net_client_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", id);
        return NULL;
    }
    nc = g_new0(NetClient, 1);
    nc->id = g_strdup(id);
    nc->ctx = g_main_context_new();
    nc->loop = g_main_loop_new(nc->ctx, FALSE);
    g_queue_init(&nc->queued);
    if (!t->create(nc, opts, errp)) {
        g_main_loop_unref(nc->loop);
        g_main_context_unref(nc->ctx);
        g_free(nc->id);
        g_free(nc);
        return NULL;
    }
    nc->thread = g_thread_new("net", net_client_thread, nc);
    if (!net_clients) {
        net_clients = g_ptr_array_new();
    }
    g_ptr_array_add(net_clients, nc);
    return nc;
}

GMainContext *net_client_context(NetClient *nc)
{
    return nc->ctx;
}

/* ---- Running something on the backend's thread ---- */

typedef struct NetSyncCall {
    void (*fn)(void *);
    void *opaque;
    GMutex lock;
    GCond cond;
    bool done;
} NetSyncCall;

static gboolean net_sync_call(gpointer opaque)
{
    NetSyncCall *c = opaque;

    c->fn(c->opaque);
    g_mutex_lock(&c->lock);
    c->done = true;
    g_cond_signal(&c->cond);
    g_mutex_unlock(&c->lock);
    return G_SOURCE_REMOVE;
}

void net_client_run_sync(NetClient *nc, void (*fn)(void *), void *opaque)
{
    NetSyncCall c = { .fn = fn, .opaque = opaque };
    GSource *src;

    if (!nc->thread || g_main_context_is_owner(nc->ctx)) {
        fn(opaque);
        return;
    }
    g_mutex_init(&c.lock);
    g_cond_init(&c.cond);
    src = g_idle_source_new();
    g_source_set_priority(src, G_PRIORITY_HIGH);
    g_source_set_callback(src, net_sync_call, &c, NULL);
    g_source_attach(src, nc->ctx);
    g_source_unref(src);
    g_mutex_lock(&c.lock);
    while (!c.done) {
        g_cond_wait(&c.cond, &c.lock);
    }
    g_mutex_unlock(&c.lock);
    g_cond_clear(&c.cond);
    g_mutex_clear(&c.lock);
}

/* ---- The NIC's side ---- */

typedef struct NetAttach {
    NetClient *nc;
    const NetPeer *peer;
} NetAttach;

static void net_drop_queued(NetClient *nc)
{
    NetFrame *f;

    while ((f = g_queue_pop_head(&nc->queued))) {
        g_free(f);
    }
}

static void net_set_peer(void *opaque)
{
    NetAttach *a = opaque;

    net_drop_queued(a->nc);
    if (a->peer) {
        a->nc->peer = *a->peer;
    } else {
        memset(&a->nc->peer, 0, sizeof(a->nc->peer));
    }
}

bool net_client_in_use(NetClient *nc)
{
    return nc->peer.receive != NULL;
}

void net_client_attach(NetClient *nc, const NetPeer *peer)
{
    NetAttach a = { .nc = nc, .peer = peer };

    assert(!net_client_in_use(nc));
    net_client_run_sync(nc, net_set_peer, &a);
}

void net_client_detach(NetClient *nc)
{
    NetAttach a = { .nc = nc, .peer = NULL };

    net_client_run_sync(nc, net_set_peer, &a);
}

void net_client_send(NetClient *nc, const uint8_t *frame, size_t len)
{
    nc->ops->send(nc, frame, len);
}

void net_client_deliver(NetClient *nc, const uint8_t *frame, size_t len)
{
    NetFrame *f;

    if (!nc->peer.receive) {
        return;                     /* no NIC: the frame goes nowhere */
    }
    if (g_queue_is_empty(&nc->queued) &&
        nc->peer.receive(nc->peer.opaque, frame, len)) {
        return;
    }
    if (g_queue_get_length(&nc->queued) >= NET_QUEUE_MAX) {
        return;                     /* dropped, as a full NIC would */
    }
    f = g_malloc(sizeof(*f) + len);
    f->len = len;
    memcpy(f->data, frame, len);
    g_queue_push_tail(&nc->queued, f);
}

void net_client_flush_queued(NetClient *nc)
{
    NetFrame *f;

    while ((f = g_queue_peek_head(&nc->queued))) {
        if (!nc->peer.receive ||
            !nc->peer.receive(nc->peer.opaque, f->data, f->len)) {
            return;
        }
        g_queue_pop_head(&nc->queued);
        g_free(f);
    }
}

/* ---- Exit ---- */

static gboolean net_stop(gpointer opaque)
{
    NetClient *nc = opaque;

    g_main_loop_quit(nc->loop);
    return G_SOURCE_REMOVE;
}

void net_cleanup(void)
{
    guint i;

    for (i = 0; net_clients && i < net_clients->len; i++) {
        NetClient *nc = g_ptr_array_index(net_clients, i);
        GSource *src = g_idle_source_new();

        g_source_set_callback(src, net_stop, nc, NULL);
        g_source_attach(src, nc->ctx);
        g_source_unref(src);
        g_thread_join(nc->thread);
        nc->thread = NULL;
        net_drop_queued(nc);
        if (nc->ops->cleanup) {
            nc->ops->cleanup(nc);
        }
    }
}

/* ---- MAC addresses ---- */

bool net_parse_mac(const char *s, uint8_t mac[NET_ETH_ALEN])
{
    unsigned i;

    for (i = 0; i < NET_ETH_ALEN; i++) {
        char *end;
        unsigned long v;

        if (!g_ascii_isxdigit(s[0])) {
            return false;
        }
        v = strtoul(s, &end, 16);
        if (end - s > 2 || v > 0xFF) {
            return false;
        }
        if (i < NET_ETH_ALEN - 1 ? (*end != ':' && *end != '-') : *end) {
            return false;
        }
        mac[i] = v;
        s = end + 1;
    }
    return true;
}

void net_default_mac(uint8_t mac[NET_ETH_ALEN])
{
    static const uint8_t base[NET_ETH_ALEN] = NET_DEFAULT_MAC_BASE;

    memcpy(mac, base, NET_ETH_ALEN);
    mac[NET_ETH_ALEN - 1] += net_mac_next++;
}
