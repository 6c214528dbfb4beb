/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accelerator registry and dispatch: see include/sysemu/accel.h.
 */
#include "qemu/osdep.h"
#include "sysemu/accel.h"

#define ACCEL_MAX 4

static const AccelOps *accels[ACCEL_MAX];
static unsigned naccels;
static const AccelOps *current;
static const AccelOps *chosen;      /* -machine none: named, not started */

void accel_register(const AccelOps *ops)
{
    assert(naccels < ACCEL_MAX);
    accels[naccels++] = ops;
}

const AccelOps *accel_find(const char *name)
{
    unsigned i;

    for (i = 0; i < naccels; i++) {
        if (!strcmp(accels[i]->name, name)) {
            return accels[i];
        }
    }
    return NULL;
}

bool accel_init(const char *name, const AccelInitArgs *args, Error **errp)
{
    const AccelOps *ops = accel_find(name);

    if (!ops) {
        error_setg(errp, "accelerator '%s' is not built into pmemvm", name);
        return false;
    }
    current = ops;
    if (ops->init && !ops->init(args, errp)) {
        current = NULL;
        return false;
    }
    return true;
}

const char *accel_name(void)
{
    if (current) {
        return current->name;
    }
    return chosen ? chosen->name : NULL;
}

bool accel_choose(const char *name, Error **errp)
{
    const AccelOps *ops = accel_find(name);

    if (!ops) {
        error_setg(errp, "accelerator '%s' is not built into pmemvm", name);
        return false;
    }
    if (ops->available && !ops->available(errp)) {
        return false;
    }
    chosen = ops;
    return true;
}

const char *const *accel_cpu_models(const char *name)
{
    const AccelOps *ops = accel_find(name);

    return ops ? ops->cpu_models : NULL;
}

void accel_start_vcpus(void)
{
    if (current && current->start_vcpus) {
        current->start_vcpus();
    }
}

void accel_resume_vcpus(void)
{
    if (current && current->resume_vcpus) {
        current->resume_vcpus();
    }
}

void accel_pause_vcpus(void)
{
    if (current && current->pause_vcpus) {
        current->pause_vcpus();
    }
}

bool accel_reset_vcpus(Error **errp)
{
    return !current || !current->reset_vcpus || current->reset_vcpus(errp);
}

void accel_stop_vcpus(void)
{
    if (current && current->stop_vcpus) {
        current->stop_vcpus();
    }
}

bool accel_guest_failed(void)
{
    return current && current->guest_failed && current->guest_failed();
}

int accel_vcpu_thread_id(unsigned index)
{
    int tid = current && current->vcpu_thread_id ?
              current->vcpu_thread_id(index) : 0;

    return tid ? tid : (int)getpid();
}

bool accel_set_boot_cpu_state(const X86BootCPUState *s, Error **errp)
{
    return !current || !current->set_boot_cpu_state ||
           current->set_boot_cpu_state(s, errp);
}

void accel_set_irq(unsigned gsi, bool level)
{
    if (current && current->set_irq) {
        current->set_irq(gsi, level);
    }
}

void accel_deliver_msi(uint64_t addr, uint32_t data)
{
    if (current && current->deliver_msi) {
        current->deliver_msi(addr, data);
    }
}

bool accel_has_ioeventfd(void)
{
    return current && current->ioeventfd_add;
}

bool accel_ioeventfd_add(const AccelIoeventfd *e, Error **errp)
{
    if (!accel_has_ioeventfd()) {
        error_setg(errp, "the %s accelerator has no ioeventfd",
                   current ? current->name : "(none)");
        return false;
    }
    return current->ioeventfd_add(e, errp);
}

void accel_ioeventfd_del(const AccelIoeventfd *e)
{
    if (accel_has_ioeventfd() && current->ioeventfd_del) {
        current->ioeventfd_del(e);
    }
}

bool accel_has_irqfd(void)
{
    return current && current->irqfd_add;
}

int accel_irqfd_add(int fd, uint64_t msi_addr, uint32_t msi_data,
                    Error **errp)
{
    if (!accel_has_irqfd()) {
        error_setg(errp, "the %s accelerator has no irqfd",
                   current ? current->name : "(none)");
        return -1;
    }
    return current->irqfd_add(fd, msi_addr, msi_data, errp);
}

bool accel_irqfd_update(int handle, uint64_t msi_addr, uint32_t msi_data,
                        Error **errp)
{
    if (!accel_has_irqfd() || !current->irqfd_update) {
        error_setg(errp, "the %s accelerator has no irqfd",
                   current ? current->name : "(none)");
        return false;
    }
    return current->irqfd_update(handle, msi_addr, msi_data, errp);
}

void accel_irqfd_del(int handle)
{
    if (accel_has_irqfd() && current->irqfd_del) {
        current->irqfd_del(handle);
    }
}
