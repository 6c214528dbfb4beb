/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the guest tools (poke.c, pmbench.c) use instead of a C library:
 * x86-64 Linux system calls, a few string helpers, and the process entry,
 * which calls the tool's
 *
 *     int tool_main(int argc, char **argv);
 *
 * and exits with its return value.  Built with -nostdlib -ffreestanding
 * (e2e_build_nolibc in tests/e2e/lib.sh).
 */
#ifndef E2E_GUEST_NOLIBC_H
#define E2E_GUEST_NOLIBC_H

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_OPEN 2
#define SYS_CLOSE 3

typedef unsigned long ulong;

static inline long syscall6(long nr, long a, long b, long c, long d, long e,
                            long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;

    __asm__ volatile ("syscall"
                      : "=a" (ret)
                      : "a" (nr), "D" (a), "S" (b), "d" (c), "r" (r10),
                        "r" (r8), "r" (r9)
                      : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall4(long nr, long a, long b, long c, long d)
{
    return syscall6(nr, a, b, c, d, 0, 0);
}

static inline long syscall3(long nr, long a, long b, long c)
{
    return syscall6(nr, a, b, c, 0, 0, 0);
}

static inline ulong str_len(const char *s)
{
    ulong n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

static inline void put(int fd, const char *s)
{
    syscall3(SYS_WRITE, fd, (long)s, (long)str_len(s));
}

static inline int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int tool_main(int argc, char **argv);
int nolibc_start(long *sp);

/* argc at (%rsp), argv after it. */
int nolibc_start(long *sp)
{
    return tool_main((int)sp[0], (char **)(sp + 1));
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xor %ebp, %ebp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call nolibc_start\n"
        "    mov %eax, %edi\n"
        "    mov $231, %eax\n"             /* exit_group */
        "    syscall\n"
        "    hlt\n");

/*
 * Decimal or 0x hex (either case), with a K or M suffix (KiB, MiB) if
 * @suffix allows it; 0 when malformed or too large, else 1 and *out.
 */
static inline int parse_ulong(const char *s, ulong *out, int suffix)
{
    ulong v = 0, mult = 1;
    int base = 10, digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (; *s; s++, digits++) {
        int d;

        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
        } else if (base == 16 && *s >= 'a' && *s <= 'f') {
            d = *s - 'a' + 10;
        } else if (base == 16 && *s >= 'A' && *s <= 'F') {
            d = *s - 'A' + 10;
        } else if (suffix && (*s == 'K' || *s == 'M') && s[1] == '\0' &&
                   digits) {
            mult = *s == 'K' ? 1024 : 1024 * 1024;
            break;
        } else {
            return 0;
        }
        if (v > (~0UL - d) / base) {
            return 0;
        }
        v = v * base + d;
    }
    if (!digits || v > ~0UL / mult) {
        return 0;
    }
    *out = v * mult;
    return 1;
}

#endif
