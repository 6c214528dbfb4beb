/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host NUMA placement of a memory backend: policy= and host-nodes=, as
 * QEMU 7.2 applies them.  The nodes are checked when the properties are
 * complete, before any file is created; the mapping is bound with mbind(2)
 * once it exists and before it is preallocated, so that preallocated
 * pages land on the chosen nodes.  No libnuma: one system call.
 */
#include "qemu/osdep.h"
#include <linux/mempolicy.h>
#include <sys/syscall.h>
#include "hostmem-internal.h"

G_STATIC_ASSERT((int)HOSTMEM_POLICY_DEFAULT == (int)MPOL_DEFAULT &&
                (int)HOSTMEM_POLICY_PREFERRED == (int)MPOL_PREFERRED &&
                (int)HOSTMEM_POLICY_BIND == (int)MPOL_BIND &&
                (int)HOSTMEM_POLICY_INTERLEAVE == (int)MPOL_INTERLEAVE);

/* QEMU's MAX_NODES: node numbers 0..127. */
#define HOSTMEM_MAX_NODES 128
#define NODE_LONGS ((HOSTMEM_MAX_NODES + 1 + 63) / 64)

/*
 * The nodes of host-nodes= as an mbind(2) node mask; returns the highest
 * + 1.  *@bad: the first node out of range (refused by
 * hostmem_numa_check()), or -1.
 */
static unsigned hostmem_node_mask(HostMemoryBackend *b,
                                  unsigned long mask[NODE_LONGS], int *bad)
{
    g_auto(GStrv) items = g_strsplit(b->host_nodes ? b->host_nodes : "",
                                     ",", -1);
    unsigned top = 0;

    memset(mask, 0, NODE_LONGS * sizeof(mask[0]));
    *bad = -1;
    for (int i = 0; items[i]; i++) {
        unsigned n;

        if (!*items[i]) {
            continue;
        }
        n = g_ascii_strtoull(items[i], NULL, 10);   /* a uint16 */
        if (n >= HOSTMEM_MAX_NODES) {
            if (*bad < 0) {
                *bad = n;
            }
            continue;
        }
        mask[n / 64] |= 1UL << (n % 64);
        top = MAX(top, n + 1);
    }
    return top;
}

bool hostmem_numa_check(HostMemoryBackend *b, Error **errp)
{
    unsigned long mask[NODE_LONGS];
    int bad;
    unsigned top = hostmem_node_mask(b, mask, &bad);

    if (bad >= 0) {
        error_setg(errp, "Invalid host-nodes value: %d", bad);
        return false;
    }
    if (top && b->policy == HOSTMEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be empty for policy default, or "
                   "you should explicitly specify a policy other than "
                   "default");
        return false;
    }
    if (!top && b->policy != HOSTMEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be set for policy %s",
                   hostmem_policy_name(b->policy));
        return false;
    }
    return true;
}

bool hostmem_numa_bind(HostMemoryBackend *b, Error **errp)
{
    unsigned long mask[NODE_LONGS];
    int bad;
    unsigned top = hostmem_node_mask(b, mask, &bad);
    /* The policy enum is in MPOL_* order: default, preferred, bind,
     * interleave. */
    int mode = b->policy;

    if (!top) {
        return true;
    }
    /*
     * maxnode is one more than the highest node, as QEMU passes it (old
     * kernels drop the last node of the mask); MPOL_MF_STRICT|MOVE: pages
     * already there (a file's page cache) are moved or the call fails.
     */
    if (syscall(SYS_mbind, b->ptr, b->mapped_size, mode, mask,
                (unsigned long)top + 1, MPOL_MF_STRICT | MPOL_MF_MOVE) < 0) {
        error_setg_errno(errp, errno,
                         "cannot bind memory to host NUMA nodes");
        return false;
    }
    return true;
}
