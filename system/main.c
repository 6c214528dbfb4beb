/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmemvm: a small virtual machine monitor for persistent memory.
 */
#include "qemu/osdep.h"
#include "sysemu/vl.h"

int main(int argc, char **argv)
{
    return qemu_main(argc, argv);
}
