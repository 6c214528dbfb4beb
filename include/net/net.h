/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network backends (-netdev, -net, -nic) and what a NIC sees of them.
 *
 * A backend ("netdev") carries Ethernet frames between one NIC and the
 * outside: pmemvm has QEMU's user-mode network (-netdev user: libslirp,
 * net/slirp.c).  A NIC model (hw/virtio/virtio-net.c) knows only this
 * interface: it attaches to the backend named by its "netdev" property,
 * sends the guest's frames with net_client_send() and gets the network's
 * through NetPeer.receive.
 *
 * Threads: each backend has its own thread and GMainContext
 * (net_client_context()); send, receive and the NIC's queue work all run
 * there, so a backend needs no lock of its own and a vCPU never waits for
 * the network.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qapi/error.h"

#define NET_ETH_ALEN            6
/* QEMU's first default MAC, 52:54:00:12:34:56; later NICs count up. */
#define NET_DEFAULT_MAC_BASE    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }

typedef struct NetClient NetClient;

typedef struct NetPeer {
    /*
     * A frame from the network for the guest, on the backend's thread.
     * False when the NIC has no room now; the backend keeps a few and
     * offers them again after net_client_flush_queued().
     */
    bool (*receive)(void *opaque, const uint8_t *frame, size_t len);
    void *opaque;
} NetPeer;

/* The backend ops a type (user) fills. */
typedef struct NetClientOps {
    /* The frame the guest sent; backend thread. */
    void (*send)(NetClient *nc, const uint8_t *frame, size_t len);
    void (*cleanup)(NetClient *nc);
} NetClientOps;

struct NetClient {
    const NetClientOps *ops;
    char *id;
    void *opaque;                   /* the backend's state */
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    NetPeer peer;                   /* .receive NULL: no NIC attached */
    GQueue queued;                  /* frames the NIC had no room for */
};

/*
 * -netdev TYPE,id=ID,... (also -net user and -nic's backend half).
 * QEMU's messages for a missing or repeated id.
 */
NetClient *net_client_new(QemuOpts *opts, Error **errp);
NetClient *net_client_find(const char *id);
/* The @i-th backend created, or NULL past the last. */
NetClient *net_client_nth(unsigned i);
const char *net_client_id(NetClient *nc);
/* A NIC takes the backend: one NIC per backend, and the NIC checks
 * net_client_in_use() first (QEMU's "it's in use" names its property). */
void net_client_attach(NetClient *nc, const NetPeer *peer);
/* Off again: waits until the backend's thread is not calling the NIC. */
void net_client_detach(NetClient *nc);
bool net_client_in_use(NetClient *nc);
/* Where the NIC runs its queue work: the backend's thread. */
GMainContext *net_client_context(NetClient *nc);
/* The guest sent a frame (backend thread). */
void net_client_send(NetClient *nc, const uint8_t *frame, size_t len);
/* The backend's side: a frame for the NIC, kept if it has no room. */
void net_client_deliver(NetClient *nc, const uint8_t *frame, size_t len);
/* The NIC has room again (backend thread): offer what was kept. */
void net_client_flush_queued(NetClient *nc);
/* Run @fn(@opaque) on the backend's thread and wait for it. */
void net_client_run_sync(NetClient *nc, void (*fn)(void *), void *opaque);
/* Every backend stops (exit). */
void net_cleanup(void);

/* A hostfwd= rule, [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
 * (addresses in network order; 0: any / the DHCP address). */
typedef struct NetHostFwd {
    bool udp;
    uint32_t host_addr, guest_addr;
    uint16_t host_port, guest_port;
} NetHostFwd;

/* Parse @rule with QEMU's checks, order and messages ("Invalid host
 * forwarding rule 'R' (Bad host port)"). */
bool net_hostfwd_parse(const char *rule, NetHostFwd *fwd, Error **errp);

/* "52:54:00:12:34:56" into @mac; false for anything else. */
bool net_parse_mac(const char *s, uint8_t mac[NET_ETH_ALEN]);
/* The next default MAC (QEMU: 52:54:00:12:34:56, :57, ...). */
void net_default_mac(uint8_t mac[NET_ETH_ALEN]);

/*
 * Backend types register here (net/slirp.c).  A create function sets up
 * @nc (nc->ctx exists, the thread does not run yet): its ops, its state
 * in nc->opaque, its sources attached to nc->ctx.
 */
typedef bool (*NetClientCreateFn)(NetClient *nc, QemuOpts *opts,
                                  Error **errp);
void net_register_type(const char *type, NetClientCreateFn create);

#endif
