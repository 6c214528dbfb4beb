/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * system/vl-chardev.c: chardevs, monitors and COM1 from the command line.
 */
#ifndef SYSTEM_VL_CHARDEV_H
#define SYSTEM_VL_CHARDEV_H

#include "hw/i386/pc.h"

/*
 * Create every -chardev of @opts (CmdOpt*, command-line order), then the
 * monitors (-mon, -qmp, -qmp-pretty, -monitor) and COM1's chardev
 * (-serial) in order, then QEMU's defaults: under @nographic and without
 * @nodefaults, COM1 and a human monitor on stdio.  Dies naming the option
 * on an error.
 */
void vl_create_chardevs_and_monitors(PCMachineState *pcms, GPtrArray *opts,
                                     bool nographic, bool nodefaults);

#endif
