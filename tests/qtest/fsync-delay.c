/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LD_PRELOAD shim for virtio-pmem-test: every fdatasync() and fsync()
 * of the VMM takes $FSYNC_DELAY_MS longer (default 300), so that a test
 * can tell "answered after the sync" from "answered, then synced".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void delay(void)
{
    const char *env = getenv("FSYNC_DELAY_MS");
    long ms = env ? atol(env) : 300;
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts)) {
    }
}

int fdatasync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");

    delay();
    return real(fd);
}

int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

    delay();
    return real(fd);
}
