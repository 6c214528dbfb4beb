/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -device isa-serial: COM1 on a chardev, as libvirt adds it for
 * <serial type='pty'> (-chardev pty,id=X -device isa-serial,chardev=X).
 * The device only names the chardev; the machine creates the UART at
 * COM1's port and IRQ when it plugs it (hw/i386/pc.c).
 */
#ifndef HW_CHAR_ISA_SERIAL_H
#define HW_CHAR_ISA_SERIAL_H

#include "qom/object.h"

#define TYPE_ISA_SERIAL         "isa-serial"
#define ISA_SERIAL_PROP_CHARDEV "chardev"
#define ISA_SERIAL_PROP_INDEX   "index"

typedef struct ISASerialState {
    Object parent_obj;
    char *chardev;              /* chardev id, or NULL: output dropped */
    uint32_t index;             /* 0 = COM1, the only one pmemvm has */
} ISASerialState;

#define ISA_SERIAL(obj) ((ISASerialState *)(obj))

#endif
