/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -device isa-serial: see include/hw/char/isa-serial.h.
 */
#include "qemu/osdep.h"
#include "hw/char/isa-serial.h"

static const PropDef isa_serial_props[] = {
    DEFINE_PROP(ISA_SERIAL_PROP_CHARDEV, ISASerialState, chardev,
                PROP_TYPE_STRING, NULL, "ID of a chardev to use as a backend"),
    DEFINE_PROP(ISA_SERIAL_PROP_INDEX, ISASerialState, index,
                PROP_TYPE_UINT32, "0", "serial port number (0 = COM1, the "
                "only one pmemvm has)"),
    PROP_END,
};

static const TypeInfo isa_serial_type = {
    .name = TYPE_ISA_SERIAL,
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(ISASerialState),
    .props = isa_serial_props,
    .desc = "16550A UART at COM1 (port 0x3f8, IRQ 4)",
};

static void isa_serial_register_types(void)
{
    type_register(&isa_serial_type);
}

type_init(isa_serial_register_types)
