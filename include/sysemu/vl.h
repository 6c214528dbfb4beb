/*
 * What system/vl.c offers the rest of the VMM.
 */
#ifndef SYSEMU_VL_H
#define SYSEMU_VL_H

#include "qom/object.h"

/* The whole program; main() calls it. */
int qemu_main(int argc, char **argv);
/* Create and realize a device from options (-device, device_add). */
Object *vl_device_add(const QemuOpts *opts, Error **errp);
/* "kvm" or "qtest". */
const char *vl_accel_name(void);

#endif
