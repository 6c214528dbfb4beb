/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What system/vl.c offers the rest of the VMM.
 */
#ifndef SYSEMU_VL_H
#define SYSEMU_VL_H

#include "hw/i386/pc.h"

/* The whole program; main() calls it. */
int qemu_main(int argc, char **argv);

/*
 * The machine this run built.  For system/ and monitor/ only: the machine
 * and devices under hw/ are handed what they need instead.
 */
extern PCMachineState *current_machine;

/* -name [guest=]NAME: the VM's name (query-name), NULL if not given. */
extern const char *qemu_name;

#endif
