/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the qtest line protocol (accel/qtest/qtest.c) as a client
 * sends it, against 1 MiB of guest RAM at address 0 and nothing else
 * (other addresses and every port are unbacked).  Replies are dropped.
 */
#include "qemu/osdep.h"
#include "hw/core/memory.h"
#include "sysemu/qtest.h"

#define RAM_SIZE (1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;

    if (!ram) {
        ram = g_malloc0(RAM_SIZE);
        guest_ram_add("fuzz.ram", 0, RAM_SIZE, ram, false, &error_abort);
    }
    qtest_server_feed(data, size);
    /* End a line left open, so that every input is one whole session. */
    qtest_server_feed((const uint8_t *)"\n", 1);
    return 0;
}
