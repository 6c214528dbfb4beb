/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e2e-pmbench: timing loops for the virtio-pmem benchmark
 * (tests/bench/virtio-pmem.sh), run in the inner guest and, for the
 * reference, on the machine that holds the backing file.
 *
 *   e2e-pmbench flush FILE COUNT SIZE fsync|fdatasync
 *       COUNT times: write SIZE bytes at offset 0 of FILE (created if
 *       needed; SIZE 0: no write), then fsync() or fdatasync() it; each
 *       iteration is timed from before the write to after the sync
 *       returned.  Prints
 *       "n=COUNT p50_us=... p99_us=... min_us=... max_us=... mean_us=..."
 *   e2e-pmbench bw write|read DEV OFFSET SIZE BS
 *       SIZE bytes from OFFSET of DEV (a block device), in BS-byte
 *       O_DIRECT pwrite()s or pread()s, timed as a whole.  Prints
 *       "bytes=SIZE us=... mib_s=..."
 *
 * Numbers are decimal or 0x-prefixed hex; SIZE and BS take a K or M
 * suffix.  Times come from clock_gettime(CLOCK_MONOTONIC).
 *
 * Why not busybox: it has no fio, no per-iteration timing and no
 * percentiles.  Built, like poke.c, without any C library (x86-64 Linux
 * system calls only), so it needs no shared objects in the guest and runs
 * as it is on the host.
 */

#include "nolibc.h"

#define SYS_PREAD64 17
#define SYS_PWRITE64 18
#define SYS_FSYNC 74
#define SYS_FDATASYNC 75
#define SYS_CLOCK_GETTIME 228

#define O_RDONLY 0
#define O_RDWR 02
#define O_CREAT 0100
#define O_DIRECT 040000
#define CLOCK_MONOTONIC 1

#define MAX_COUNT 100000
#define MAX_BS (4UL << 20)

struct timespec_k {
    long sec;
    long nsec;
};

/* " KEY=VALUE" with VALUE in decimal, at @p; the end. */
static char *put_num(char *p, const char *key, ulong v)
{
    char digits[24];
    int n = 0;

    *p++ = ' ';
    while (*key) {
        *p++ = *key++;
    }
    *p++ = '=';
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        *p++ = digits[--n];
    }
    return p;
}

/* Like put_num, with one decimal place of @tenths (a value times 10). */
static char *put_tenths(char *p, const char *key, ulong tenths)
{
    p = put_num(p, key, tenths / 10);
    *p++ = '.';
    *p++ = (char)('0' + tenths % 10);
    return p;
}

static ulong now_ns(void)
{
    struct timespec_k ts;

    syscall4(SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, (long)&ts, 0, 0);
    return (ulong)ts.sec * 1000000000UL + (ulong)ts.nsec;
}

static int usage(void)
{
    put(2, "usage: e2e-pmbench flush FILE COUNT SIZE fsync|fdatasync\n"
           "       e2e-pmbench bw write|read DEV OFFSET SIZE BS\n");
    return 2;
}

static int fail(const char *what)
{
    put(2, "e2e-pmbench: ");
    put(2, what);
    put(2, " failed\n");
    return 1;
}

/* Page-aligned for O_DIRECT; filled with a pattern, not zeros. */
static unsigned char buf[MAX_BS] __attribute__((aligned(4096)));
static ulong lat[MAX_COUNT];

static void fill(ulong len)
{
    ulong i;

    for (i = 0; i < len; i++) {
        buf[i] = (unsigned char)(i * 131 + 7);
    }
}

/* Shell sort: no recursion, no library. */
static void sort(ulong *v, ulong n)
{
    ulong gap, i, j;

    for (gap = n / 2; gap; gap /= 2) {
        for (i = gap; i < n; i++) {
            ulong x = v[i];

            for (j = i; j >= gap && v[j - gap] > x; j -= gap) {
                v[j] = v[j - gap];
            }
            v[j] = x;
        }
    }
}

/* The nearest-rank percentile @pct of sorted @v. */
static ulong percentile(const ulong *v, ulong n, ulong pct)
{
    ulong rank = (pct * n + 99) / 100;

    return v[rank ? rank - 1 : 0];
}

static int cmd_flush(int argc, char **argv)
{
    ulong count, size, i, sum = 0;
    long fd, sync_nr;
    char line[256], *p = line;

    if (argc != 6 || !parse_ulong(argv[3], &count, 1) || !count ||
        count > MAX_COUNT || !parse_ulong(argv[4], &size, 1) ||
        size > MAX_BS) {
        return usage();
    }
    if (streq(argv[5], "fsync")) {
        sync_nr = SYS_FSYNC;
    } else if (streq(argv[5], "fdatasync")) {
        sync_nr = SYS_FDATASYNC;
    } else {
        return usage();
    }
    fd = syscall4(SYS_OPEN, (long)argv[2], O_RDWR | O_CREAT, 0644, 0);
    if (fd < 0) {
        return fail("open");
    }
    fill(size);
    for (i = 0; i < count; i++) {
        ulong t0 = now_ns();

        buf[0] = (unsigned char)i;      /* a change every time */
        if (size && syscall4(SYS_PWRITE64, fd, (long)buf, (long)size, 0) !=
            (long)size) {
            return fail("write");
        }
        if (syscall4(sync_nr, fd, 0, 0, 0) < 0) {
            return fail(argv[5]);
        }
        lat[i] = now_ns() - t0;
        sum += lat[i];
    }
    syscall4(SYS_CLOSE, fd, 0, 0, 0);
    sort(lat, count);
    p = put_num(p, "n", count);
    p = put_tenths(p, "p50_us", percentile(lat, count, 50) / 100);
    p = put_tenths(p, "p99_us", percentile(lat, count, 99) / 100);
    p = put_tenths(p, "min_us", lat[0] / 100);
    p = put_tenths(p, "max_us", lat[count - 1] / 100);
    p = put_tenths(p, "mean_us", sum / count / 100);
    *p++ = '\n';
    *p = '\0';
    put(1, line + 1);
    return 0;
}

static int cmd_bw(int argc, char **argv)
{
    ulong offset, size, bs, done = 0, t0, us;
    int write;
    long fd;
    char line[128], *p = line;

    if (argc != 7 || !parse_ulong(argv[4], &offset, 1) ||
        !parse_ulong(argv[5], &size, 1) || !parse_ulong(argv[6], &bs, 1) ||
        !bs || bs > MAX_BS || bs % 4096 || offset % 4096 || size % bs) {
        return usage();
    }
    if (streq(argv[2], "write")) {
        write = 1;
    } else if (streq(argv[2], "read")) {
        write = 0;
    } else {
        return usage();
    }
    fd = syscall4(SYS_OPEN, (long)argv[3],
                  (write ? O_RDWR : O_RDONLY) | O_DIRECT, 0, 0);
    if (fd < 0) {
        return fail("open");
    }
    fill(bs);
    t0 = now_ns();
    while (done < size) {
        long n = syscall4(write ? SYS_PWRITE64 : SYS_PREAD64, fd, (long)buf,
                          (long)bs, (long)(offset + done));
        if (n != (long)bs) {
            return fail(write ? "write" : "read");
        }
        done += bs;
    }
    us = (now_ns() - t0) / 1000;
    syscall4(SYS_CLOSE, fd, 0, 0, 0);
    if (!us) {
        us = 1;
    }
    p = put_num(p, "bytes", size);
    p = put_num(p, "us", us);
    /* MiB/s with one decimal (tenths of MiB/s; no overflow below 1 TiB) */
    p = put_tenths(p, "mib_s", size * 10000000UL / us >> 20);
    *p++ = '\n';
    *p = '\0';
    put(1, line + 1);
    return 0;
}

int tool_main(int argc, char **argv)
{
    if (argc >= 2 && streq(argv[1], "flush")) {
        return cmd_flush(argc, argv);
    } else if (argc >= 2 && streq(argv[1], "bw")) {
        return cmd_bw(argc, argv);
    }
    return usage();
}
