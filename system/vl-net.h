/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network options of the command line, for system/vl.c: -netdev,
 * -nic, and the older -net nic / -net user pair (docs/system/net.md).
 */
#ifndef SYSTEM_VL_NET_H
#define SYSTEM_VL_NET_H

#include "system/cmdline.h"

/* Every -netdev, -nic's and -net's backends (before the machine). */
void vl_create_netdevs(GPtrArray *opts);
/* The NICs of -nic and -net nic (before the -device devices, as QEMU). */
void vl_create_nics(void);
/* QEMU's warning for a netdev no NIC took (after every device). */
void vl_check_netdevs(void);

#endif
