/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM interrupts: GSI levels of the in-kernel IOAPIC/PIC, MSIs, and the
 * two fast paths a virtio-pci transport wants: ioeventfds (a guest write
 * signals an eventfd instead of exiting) and irqfds (an eventfd write
 * injects an MSI without a round trip through pmemvm).
 *
 * irqfds need GSI routes (api.rst §4.52 KVM_SET_GSI_ROUTING): setting the
 * table replaces the kernel's default one, so the table always starts
 * with the default PIC/IOAPIC entries for GSIs 0-23 (Linux's
 * arch/x86/kvm/irq_comm.c default_routing) and MSI routes get GSIs from
 * KVM_MSI_GSI_BASE up.  Routes change on any thread (a vector's route is
 * set up at its first delivery: on a vCPU, or on a device's worker
 * thread), so the table is behind routes_lock.
 *
 * Interfaces: Documentation/virt/kvm/api.rst (Linux): KVM_IRQ_LINE §4.25,
 * KVM_SIGNAL_MSI §4.71, KVM_IOEVENTFD §4.59, KVM_IRQFD §4.75.
 */
#include "qemu/osdep.h"
#include <sys/ioctl.h>
#include "accel/kvm/kvm-internal.h"

/* IOAPIC inputs; GSIs 0-15 also reach the two 8259 PICs. */
#define KVM_IOAPIC_PINS         24
#define KVM_PIC_PINS            16
#define KVM_PIC_PINS_PER_CHIP   8
/* First GSI for MSI routes, after the irqchip's pins. */
#define KVM_MSI_GSI_BASE        KVM_IOAPIC_PINS

typedef struct KVMMsiRoute {
    bool used;
    uint32_t gsi;
    int fd;
    uint64_t addr;
    uint32_t data;
} KVMMsiRoute;

static GArray *msi_routes;          /* KVMMsiRoute; index = handle */
static GMutex routes_lock;          /* msi_routes and KVM's routing table */

void kvm_irq_set_level(unsigned gsi, bool level)
{
    struct kvm_irq_level irq = { .irq = gsi, .level = level };

    if (!kvm_state) {
        return;
    }
    if (kvm_ioctl(kvm_state->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
        error_report("KVM_IRQ_LINE (GSI %u, level %d) failed: %s", gsi,
                     level, g_strerror(errno));
    }
}

void kvm_irq_deliver_msi(uint64_t addr, uint32_t data)
{
    struct kvm_msi msi = {
        .address_lo = (uint32_t)addr,
        .address_hi = addr >> 32,
        .data = data,
    };

    if (!kvm_state) {
        return;
    }
    if (!kvm_state->signal_msi) {
        error_report("KVM: cannot deliver an MSI: this host's KVM lacks "
                     "KVM_CAP_SIGNAL_MSI");
        return;
    }
    /* 0: the guest blocked it (masked at the LAPIC), not an error. */
    if (kvm_ioctl(kvm_state->vm_fd, KVM_SIGNAL_MSI, &msi) < 0) {
        error_report("KVM_SIGNAL_MSI (address 0x%" PRIx64 ", data 0x%x) "
                     "failed: %s", addr, data, g_strerror(errno));
    }
}

bool kvm_irq_ioeventfd(const AccelIoeventfd *e, bool assign, Error **errp)
{
    struct kvm_ioeventfd io = {
        .datamatch = e->match_data ? e->data : 0,
        .addr = e->addr,
        .len = e->size,
        .fd = e->fd,
        .flags = (e->match_data ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0) |
                 (e->pio ? KVM_IOEVENTFD_FLAG_PIO : 0) |
                 (assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
    };

    if (!kvm_state->ioeventfd) {
        error_setg(errp, "this host's KVM lacks KVM_CAP_IOEVENTFD");
        return false;
    }
    if (kvm_ioctl(kvm_state->vm_fd, KVM_IOEVENTFD, &io) < 0) {
        error_setg_errno(errp, errno, "KVM_IOEVENTFD (%s 0x%" PRIx64
                         ", %u bytes)", e->pio ? "port" : "MMIO", e->addr,
                         e->size);
        return false;
    }
    return true;
}

/* Default PIC/IOAPIC routes, then one MSI route per used handle. */
static bool kvm_irq_commit_routes(Error **errp)
{
    unsigned nmsi = msi_routes ? msi_routes->len : 0;
    unsigned max = KVM_IOAPIC_PINS + KVM_PIC_PINS + nmsi;
    g_autofree struct kvm_irq_routing *table =
        g_malloc0(sizeof(*table) + max * sizeof(table->entries[0]));
    struct kvm_irq_routing_entry *e = table->entries;
    unsigned gsi, i;

    for (gsi = 0; gsi < KVM_IOAPIC_PINS; gsi++) {
        e->gsi = gsi;
        e->type = KVM_IRQ_ROUTING_IRQCHIP;
        e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
        e->u.irqchip.pin = gsi;
        e++;
        if (gsi < KVM_PIC_PINS) {
            e->gsi = gsi;
            e->type = KVM_IRQ_ROUTING_IRQCHIP;
            e->u.irqchip.irqchip = gsi < KVM_PIC_PINS_PER_CHIP ?
                KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE;
            e->u.irqchip.pin = gsi % KVM_PIC_PINS_PER_CHIP;
            e++;
        }
    }
    for (i = 0; i < nmsi; i++) {
        KVMMsiRoute *r = &g_array_index(msi_routes, KVMMsiRoute, i);

        if (!r->used) {
            continue;
        }
        e->gsi = r->gsi;
        e->type = KVM_IRQ_ROUTING_MSI;
        e->u.msi.address_lo = (uint32_t)r->addr;
        e->u.msi.address_hi = r->addr >> 32;
        e->u.msi.data = r->data;
        e++;
    }
    table->nr = e - table->entries;
    if (kvm_ioctl(kvm_state->vm_fd, KVM_SET_GSI_ROUTING, table) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_GSI_ROUTING (%u routes)",
                         table->nr);
        return false;
    }
    return true;
}

static bool kvm_irqfd_assign(int fd, uint32_t gsi, bool assign, Error **errp)
{
    struct kvm_irqfd irqfd = {
        .fd = fd,
        .gsi = gsi,
        .flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
    };

    if (kvm_ioctl(kvm_state->vm_fd, KVM_IRQFD, &irqfd) < 0) {
        error_setg_errno(errp, errno, "KVM_IRQFD (GSI %u)", gsi);
        return false;
    }
    return true;
}

int kvm_irq_irqfd_add(int fd, uint64_t addr, uint32_t data, Error **errp)
{
    KVMMsiRoute *r = NULL;
    guint i;
    int handle;

    if (!kvm_state->irqfd) {
        error_setg(errp, "this host's KVM lacks KVM_CAP_IRQFD or "
                   "KVM_CAP_IRQ_ROUTING");
        return -1;
    }
    g_mutex_lock(&routes_lock);
    if (!msi_routes) {
        msi_routes = g_array_new(FALSE, TRUE, sizeof(KVMMsiRoute));
    }
    for (i = 0; i < msi_routes->len; i++) {
        if (!g_array_index(msi_routes, KVMMsiRoute, i).used) {
            break;
        }
    }
    if (i == msi_routes->len) {
        g_array_set_size(msi_routes, i + 1);
    }
    r = &g_array_index(msi_routes, KVMMsiRoute, i);
    *r = (KVMMsiRoute) {
        .used = true, .gsi = KVM_MSI_GSI_BASE + i, .fd = fd,
        .addr = addr, .data = data,
    };
    handle = i;
    if (!kvm_irq_commit_routes(errp)) {
        r->used = false;
        handle = -1;
    } else if (!kvm_irqfd_assign(fd, r->gsi, true, errp)) {
        r->used = false;
        kvm_irq_commit_routes(NULL);
        handle = -1;
    }
    g_mutex_unlock(&routes_lock);
    return handle;
}

static KVMMsiRoute *kvm_irq_route(int handle)
{
    KVMMsiRoute *r;

    if (!msi_routes || handle < 0 || handle >= (int)msi_routes->len) {
        return NULL;
    }
    r = &g_array_index(msi_routes, KVMMsiRoute, handle);
    return r->used ? r : NULL;
}

bool kvm_irq_irqfd_update(int handle, uint64_t addr, uint32_t data,
                          Error **errp)
{
    KVMMsiRoute *r;
    bool ok = false;

    g_mutex_lock(&routes_lock);
    r = kvm_irq_route(handle);
    if (!r) {
        error_setg(errp, "no irqfd route %d", handle);
    } else {
        r->addr = addr;
        r->data = data;
        ok = kvm_irq_commit_routes(errp);
    }
    g_mutex_unlock(&routes_lock);
    return ok;
}

void kvm_irq_irqfd_del(int handle)
{
    KVMMsiRoute *r;
    Error *err = NULL;

    g_mutex_lock(&routes_lock);
    r = kvm_irq_route(handle);
    if (r) {
        if (!kvm_irqfd_assign(r->fd, r->gsi, false, &err)) {
            error_report_err(err);
            err = NULL;
        }
        r->used = false;
        if (!kvm_irq_commit_routes(&err)) {
            error_report_err(err);
        }
    }
    g_mutex_unlock(&routes_lock);
}
