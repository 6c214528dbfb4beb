/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART (COM1/ttyS0 on the pc machine).
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "chardev/char.h"
#include "hw/irq.h"

typedef struct SerialState SerialState;

/*
 * A UART with its 8 registers at port @base, its interrupt on @irq, output
 * to and input from @chr (NULL: the UART exists, output is dropped,
 * nothing comes in).  Registers its reset in the reset list.
 */
SerialState *serial_init(uint16_t base, qemu_irq irq, Chardev *chr,
                         Error **errp);

#endif
