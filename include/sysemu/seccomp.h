/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -sandbox: a seccomp filter with QEMU 7.2's sets and actions.
 */
#ifndef SYSEMU_SECCOMP_H
#define SYSEMU_SECCOMP_H

#include "qemu/osdep.h"
#include "qemu/option.h"

/*
 * Install the filter -sandbox @opts asks for (nothing for enable=off),
 * in every thread of the process.  False with *errp set on a bad value
 * or if the kernel refuses the filter.
 */
bool seccomp_install(const QemuOpts *opts, Error **errp);

#endif
