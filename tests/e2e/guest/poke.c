/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e2e-poke: raw port and physical-memory access from the inner guest's
 * shell, for scenarios that throw garbage at the VMM (guest-garbage).
 *
 *   e2e-poke io PORT WIDTH              read once, print the value (0x...)
 *   e2e-poke io PORT WIDTH VALUE...     write each VALUE in turn
 *   e2e-poke mem ADDR LEN               copy LEN bytes from stdin to
 *                                       guest-physical ADDR
 *   e2e-poke memread ADDR LEN           copy LEN bytes from ADDR to stdout
 *   e2e-poke drain                      wait until the terminal on stdout
 *                                       has sent everything (tcdrain)
 *   e2e-poke cpuid LEAF[.SUB]...        print "LEAF.SUB EAX EBX ECX EDX"
 *                                       (hex) for each, as the CPU says
 *
 * WIDTH is 1, 2 or 4; numbers are decimal or 0x-prefixed hex.
 *
 * Why not busybox: /dev/port cannot make a wide access (the kernel's
 * write_port() issues one outb per byte, so a 4-byte write to the NVDIMM
 * _DSM port 0x0A18 arrives as four 1-byte writes), and read()/write() on
 * /dev/mem fail with EFAULT for pages above 1 MiB that are not RAM (the
 * kernel maps them with memremap(MEMREMAP_WB), which refuses them), where
 * QEMU puts its _DSM page. mem/memread mmap /dev/mem instead, as busybox
 * devmem does, and copy 8 bytes at a time when ADDR and LEN allow it.
 *
 * Built by mkinitramfs-inner.sh without any C library (x86-64 Linux
 * system calls only), so the initramfs needs no extra shared objects.
 */

#include "nolibc.h"

#define SYS_MMAP 9
#define SYS_IOCTL 16
#define SYS_IOPL 172
#define SYS_IOPERM 173

#define O_RDWR 02
#define O_SYNC 04010000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define PAGE 4096UL
#define MAX_LEN (1UL << 20)

static int usage(void)
{
    put(2, "usage: e2e-poke io PORT 1|2|4 [VALUE...]\n"
           "       e2e-poke mem|memread ADDR LEN\n"
           "       e2e-poke drain\n"
           "       e2e-poke cpuid LEAF[.SUBLEAF]...\n");
    return 2;
}

/* @digits hex digits of @v (most significant first) at @p; the end. */
static char *put_hex(char *p, unsigned int v, int digits)
{
    static const char hex[] = "0123456789abcdef";

    while (digits-- > 0) {
        *p++ = hex[(v >> (4 * digits)) & 0xF];
    }
    return p;
}

/* ---- ports ------------------------------------------------------------ */

static void out_port(unsigned short port, ulong width, unsigned int v)
{
    if (width == 1) {
        __asm__ volatile ("outb %b0, %w1" : : "a" (v), "Nd" (port));
    } else if (width == 2) {
        __asm__ volatile ("outw %w0, %w1" : : "a" (v), "Nd" (port));
    } else {
        __asm__ volatile ("outl %0, %w1" : : "a" (v), "Nd" (port));
    }
}

static unsigned int in_port(unsigned short port, ulong width)
{
    unsigned int v;

    if (width == 1) {
        unsigned char b;
        __asm__ volatile ("inb %w1, %b0" : "=a" (b) : "Nd" (port));
        v = b;
    } else if (width == 2) {
        unsigned short w;
        __asm__ volatile ("inw %w1, %w0" : "=a" (w) : "Nd" (port));
        v = w;
    } else {
        __asm__ volatile ("inl %w1, %0" : "=a" (v) : "Nd" (port));
    }
    return v;
}

static int cmd_io(int argc, char **argv)
{
    ulong port, width, v;
    int i;

    if (argc < 4 || !parse_ulong(argv[2], &port, 0) || port > 0xFFFF ||
        !parse_ulong(argv[3], &width, 0) ||
        (width != 1 && width != 2 && width != 4) || port + width > 0x10000) {
        return usage();
    }
    /* The ports needed only (the task's own I/O bitmap); iopl(3), which
     * Linux emulates with an all-ports bitmap, only where that fails. */
    if (syscall3(SYS_IOPERM, (long)port, (long)width, 1) < 0 &&
        syscall3(SYS_IOPL, 3, 0, 0) < 0) {
        put(2, "e2e-poke: ioperm() and iopl(3) failed (needs root and "
               "X86_IOPL_IOPERM)\n");
        return 1;
    }
    if (argc == 4) {
        char buf[12], *p = buf;

        v = in_port((unsigned short)port, width);
        *p++ = '0';
        *p++ = 'x';
        p = put_hex(p, (unsigned int)v, (int)width * 2);
        *p++ = '\n';
        *p = '\0';
        put(1, buf);
        return 0;
    }
    for (i = 4; i < argc; i++) {
        if (!parse_ulong(argv[i], &v, 0) || v > 0xFFFFFFFFUL) {
            return usage();
        }
        out_port((unsigned short)port, width, (unsigned int)v);
    }
    return 0;
}

/* ---- physical memory ---------------------------------------------------- */

static unsigned char buf[MAX_LEN];

/* Copy with volatile accesses, 8 bytes at a time when aligned (MMIO). */
static void copy_io(volatile unsigned char *dst, volatile unsigned char *src,
                    ulong len)
{
    ulong i = 0;

    if ((((ulong)dst | (ulong)src | len) & 7) == 0) {
        for (; i < len; i += 8) {
            *(volatile ulong *)(dst + i) = *(volatile ulong *)(src + i);
        }
        return;
    }
    for (; i < len; i++) {
        dst[i] = src[i];
    }
}

static int cmd_mem(int argc, char **argv, int write)
{
    ulong addr, len, base, maplen, got = 0;
    long fd, map;

    if (argc != 4 || !parse_ulong(argv[2], &addr, 0) ||
        !parse_ulong(argv[3], &len, 0) || len == 0 || len > MAX_LEN) {
        return usage();
    }
    if (write) {
        while (got < len) {
            long n = syscall3(SYS_READ, 0, (long)(buf + got), (long)(len - got));
            if (n <= 0) {
                put(2, "e2e-poke: short input\n");
                return 1;
            }
            got += (ulong)n;
        }
    }
    base = addr & ~(PAGE - 1);
    maplen = (addr - base + len + PAGE - 1) & ~(PAGE - 1);
    /* Write-back first (the kernel's mapping of RAM-like pages); where the
     * kernel insists on uncached (MMIO), O_SYNC as devmem. */
    fd = syscall3(SYS_OPEN, (long)"/dev/mem", O_RDWR, 0);
    if (fd < 0) {
        put(2, "e2e-poke: cannot open /dev/mem\n");
        return 1;
    }
    map = syscall6(SYS_MMAP, 0, (long)maplen, PROT_READ | PROT_WRITE,
                   MAP_SHARED, fd, (long)base);
    if (map < 0 && map > -4096) {
        syscall3(SYS_CLOSE, fd, 0, 0);
        fd = syscall3(SYS_OPEN, (long)"/dev/mem", O_RDWR | O_SYNC, 0);
        map = fd < 0 ? -1 : syscall6(SYS_MMAP, 0, (long)maplen,
                                     PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                     (long)base);
    }
    if (map < 0 && map > -4096) {
        put(2, "e2e-poke: cannot mmap /dev/mem there\n");
        return 1;
    }
    if (write) {
        copy_io((unsigned char *)map + (addr - base), buf, len);
        return 0;
    }
    copy_io(buf, (unsigned char *)map + (addr - base), len);
    while (got < len) {
        long n = syscall3(SYS_WRITE, 1, (long)(buf + got), (long)(len - got));
        if (n <= 0) {
            return 1;
        }
        got += (ulong)n;
    }
    return 0;
}

/*
 * tcdrain(1): TCSBRK with a non-zero argument waits for the tty's output
 * buffer and the UART to empty, without sending a break.  The inner init
 * needs it before "poweroff -f", which does not wait for the console: the
 * tail of a long output still queued in the tty would be lost.
 */
#define TCSBRK 0x5409

static int cmd_drain(void)
{
    return syscall3(SYS_IOCTL, 1, TCSBRK, 1) < 0;
}

/* ---- CPUID ------------------------------------------------------------ */

static int cmd_cpuid(int argc, char **argv)
{
    int i;

    if (argc < 3) {
        return usage();
    }
    for (i = 2; i < argc; i++) {
        char leaf_text[24], *dot, *p, line[64];
        ulong leaf, sub = 0;
        unsigned int r[4];
        int k;

        for (k = 0; argv[i][k] && k < 23; k++) {
            leaf_text[k] = argv[i][k];
        }
        leaf_text[k] = '\0';
        for (dot = leaf_text; *dot && *dot != '.'; dot++) {
        }
        if (*dot) {
            *dot = '\0';
            if (!parse_ulong(dot + 1, &sub, 0) || sub > 0xFFFFFFFFUL) {
                return usage();
            }
        }
        if (!parse_ulong(leaf_text, &leaf, 0) || leaf > 0xFFFFFFFFUL) {
            return usage();
        }
        __asm__ volatile ("cpuid"
                          : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
                          : "a" ((unsigned int)leaf), "c" ((unsigned int)sub));
        p = put_hex(line, (unsigned int)leaf, 8);
        *p++ = '.';
        p = put_hex(p, (unsigned int)sub, 8);
        for (k = 0; k < 4; k++) {
            *p++ = ' ';
            p = put_hex(p, r[k], 8);
        }
        *p++ = '\n';
        *p = '\0';
        put(1, line);
    }
    return 0;
}

int tool_main(int argc, char **argv)
{
    if (argc >= 2 && streq(argv[1], "io")) {
        return cmd_io(argc, argv);
    } else if (argc >= 2 && streq(argv[1], "mem")) {
        return cmd_mem(argc, argv, 1);
    } else if (argc >= 2 && streq(argv[1], "cpuid")) {
        return cmd_cpuid(argc, argv);
    } else if (argc == 2 && streq(argv[1], "drain")) {
        return cmd_drain();
    } else if (argc >= 2 && streq(argv[1], "memread")) {
        return cmd_mem(argc, argv, 0);
    }
    return usage();
}
