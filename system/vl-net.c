/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev, -nic and -net: see system/vl-net.h.
 *
 * pmemvm has one NIC model, virtio-net-pci, and one backend, user.
 * Where QEMU's pc machine would make its default NIC model (e1000: -nic
 * without model=, -net nic without model=) pmemvm makes a virtio-net-pci
 * and says so; a model it lacks is refused.  QEMU's -net joins every
 * -net on hub 0; pmemvm has no hub, so -net takes one backend and one
 * NIC, which it connects.
 */
#include "qemu/osdep.h"
#include "net/net.h"
#include "sysemu/qdev-monitor.h"
#include "system/vl-net.h"

/* What -net nic and -nic leave for vl_create_nics(). */
typedef struct VlNic {
    const CmdOpt *o;
    char *netdev;                   /* NULL: no backend */
    char *mac, *id;
    bool model_given;
} VlNic;

static GPtrArray *vl_nics;          /* of VlNic * */
static char *vl_net_hub_backend;    /* the -net backend's netdev id */
static const CmdOpt *vl_net_hub_nic;

static void vl_nic_add(const CmdOpt *o, const char *netdev, const char *mac,
                       const char *id, bool model_given)
{
    VlNic *n = g_new0(VlNic, 1);

    n->o = o;
    n->netdev = g_strdup(netdev);
    n->mac = g_strdup(mac);
    n->id = g_strdup(id);
    n->model_given = model_given;
    if (!vl_nics) {
        vl_nics = g_ptr_array_new();
    }
    g_ptr_array_add(vl_nics, n);
}

/* model=: virtio-net-pci (or QEMU's short name virtio), help, or none. */
static bool vl_nic_model(const CmdOpt *o, const char *model)
{
    Error *err = NULL;

    if (!model || !strcmp(model, "virtio") ||
        !strcmp(model, "virtio-net-pci")) {
        return model != NULL;
    }
    if (!strcmp(model, "help") || !strcmp(model, "?")) {
        printf("Available NIC models:\nvirtio-net-pci\n");
        exit(0);
    }
    error_setg(&err, "Unsupported NIC model: %s (pmemvm has virtio-net-pci "
               "only: model=virtio)", model);
    die_at(o, err);
}

static void vl_netdev_new(const CmdOpt *o, QemuOpts *opts)
{
    Error *err = NULL;

    if (!net_client_new(opts, &err)) {
        die_at(o, err);
    }
}

/* -nic TYPE[,model=M][,mac=MAC][,backend options]: a backend and a NIC. */
static void vl_nic_option(const CmdOpt *o, unsigned idx)
{
    g_autoptr(QemuOpts) opts = opts_or_die(o, "type");
    g_autofree char *id = g_strdup_printf("__org.qemu.nic%u", idx);
    g_autofree char *mac = g_strdup(qemu_opts_get(opts, "mac"));
    const char *type = qemu_opts_get(opts, "type");
    bool model = vl_nic_model(o, qemu_opts_get(opts, "model"));

    if (type && !strcmp(type, "none")) {
        return;
    }
    qemu_opts_del(opts, "model");
    qemu_opts_del(opts, "mac");
    if (qemu_opts_get(opts, "id")) {
        Error *err = NULL;

        error_setg(&err, "Invalid parameter 'id'");
        die_at(o, err);
    }
    qemu_opts_set(opts, "id", id);
    vl_netdev_new(o, opts);
    vl_nic_add(o, id, mac, NULL, model);
}

/* -net nic[,model=M][,macaddr=MAC][,netdev=ID][,name=N][,id=ID]. */
static void vl_net_nic(const CmdOpt *o, QemuOpts *opts)
{
    static const char *const keys[] = {
        "type", "model", "macaddr", "netdev", "name", "id", "vectors", NULL,
    };
    Error *err = NULL;
    bool model;

    if (!qemu_opts_check_keys(opts, keys, &err)) {
        die_at(o, err);
    }
    model = vl_nic_model(o, qemu_opts_get(opts, "model"));
    if (!qemu_opts_get(opts, "netdev")) {
        if (vl_net_hub_nic) {
            error_setg(&err, "pmemvm connects one -net nic to one -net "
                       "backend (it has no hub for more)");
            die_at(o, err);
        }
        vl_net_hub_nic = o;
    }
    vl_nic_add(o, qemu_opts_get(opts, "netdev"),
               qemu_opts_get(opts, "macaddr"), qemu_opts_get(opts, "id"),
               model);
}

void vl_create_netdevs(GPtrArray *opts)
{
    unsigned i, nic_idx = 0;

    for (i = 0; i < opts->len; i++) {
        const CmdOpt *o = g_ptr_array_index(opts, i);
        g_autoptr(QemuOpts) qo = NULL;
        const char *type;

        if (!strcmp(o->name, "netdev")) {
            qo = opts_or_die(o, "type");
            vl_netdev_new(o, qo);
        } else if (!strcmp(o->name, "nic")) {
            vl_nic_option(o, nic_idx++);
        } else if (!strcmp(o->name, "net")) {
            qo = opts_or_die(o, "type");
            type = qemu_opts_get(qo, "type");
            if (!type || !strcmp(type, "none")) {
                continue;
            }
            if (!strcmp(type, "nic")) {
                vl_net_nic(o, qo);
                continue;
            }
            if (vl_net_hub_backend) {
                Error *err = NULL;

                error_setg(&err, "pmemvm takes one -net backend (it has no "
                           "hub to join several)");
                die_at(o, err);
            }
            if (!qemu_opts_get(qo, "id")) {
                qemu_opts_set(qo, "id", "__net.hub0port0");
            }
            qemu_opts_del(qo, "name");
            vl_net_hub_backend = g_strdup(qemu_opts_get(qo, "id"));
            vl_netdev_new(o, qo);
        }
    }
}

void vl_create_nics(void)
{
    guint i;

    for (i = 0; vl_nics && i < vl_nics->len; i++) {
        VlNic *n = g_ptr_array_index(vl_nics, i);
        g_autoptr(QemuOpts) dev = qemu_opts_new();
        Error *err = NULL;
        const char *netdev = n->netdev;

        if (!netdev && n->o == vl_net_hub_nic) {
            netdev = vl_net_hub_backend;
        }
        if (!n->model_given) {
            info_report("-%s %s: a virtio-net-pci NIC (QEMU's default model "
                        "on pc is e1000, which pmemvm does not have; "
                        "model=virtio says this)", n->o->name, n->o->arg);
        }
        qemu_opts_set(dev, "driver", "virtio-net-pci");
        if (netdev) {
            qemu_opts_set(dev, "netdev", netdev);
        }
        if (n->mac) {
            qemu_opts_set(dev, "mac", n->mac);
        }
        if (n->id) {
            qemu_opts_set(dev, "id", n->id);
        }
        if (!qdev_device_add(dev, &err)) {
            die_at(n->o, err);
        }
    }
}

void vl_check_netdevs(void)
{
    NetClient *nc;
    unsigned i;

    for (i = 0; (nc = net_client_nth(i)); i++) {
        if (!net_client_in_use(nc)) {
            warn_report("netdev %s has no peer", net_client_id(nc));
        }
    }
}
