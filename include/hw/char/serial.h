/*
 * 16550A UART at LAYOUT_PORT_COM1, IRQ LAYOUT_IRQ_COM1 (COM1/ttyS0).
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "chardev/char.h"

/*
 * Create COM1 with output to and input from @chr (NULL: the UART exists,
 * output is dropped, nothing comes in).  Once per machine.
 */
bool serial_hw_init(Chardev *chr, Error **errp);
/* Power-on register state (guest reset); input received so far is lost. */
void serial_reset(void);

#endif
