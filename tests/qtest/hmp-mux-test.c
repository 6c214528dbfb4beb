/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the serial console and the human monitor on one chardev, as
 * QEMU's "-serial mon:stdio" and "mux=on" give them, pmemvm against QEMU
 * 7.2 over the same keystrokes:
 *
 * - on a multiplexed socket: the console has the focus first, input
 *   reaches COM1 (read back through its registers), COM1's output
 *   reaches the socket whichever frontend has the focus, C-a c switches
 *   (the banner waits for the first switch), C-a C-a sends a C-a to the
 *   console, C-a x ends the VMM with status 0;
 * - on a terminal (a pty as stdin and stdout) with -nographic's default
 *   mon:stdio: the same keys, and the terminal in raw mode while the VMM
 *   runs (Ctrl-C for the guest, as QEMU's mon:stdio has it) and restored
 *   when it exits.
 *
 * Normalized: the banner (pmemvm names itself; and QEMU 7.2 prints it
 * twice on a multiplexed socket, once for its mux opening at start and
 * once for the client connecting, where pmemvm prints it once) and the
 * C-a x farewell (pmemvm says who terminates).
 */
#include "qemu/osdep.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>

#include "libqtest.h"
#include "libqtest-hmp.h"
#include "qtest-util.h"

#define COM1_RBR    0x3f8
#define COM1_LSR    0x3fd
#define LSR_DR      0x01

static char *tmp_dir;

/* The banner line of either VMM, as one token. */
static char *normalize(const char *text)
{
    g_autoptr(GRegex) banner = g_regex_new(
        "(QEMU 7\\.2\\.[0-9]+|pmemvm [0-9.]+) monitor( \\(QEMU 7\\.2\\.0 "
        "compatible\\))? - type 'help' for more information", 0, 0, NULL);
    g_autoptr(GRegex) bye = g_regex_new("(QEMU|pmemvm): Terminated", 0, 0,
                                        NULL);
    g_autoptr(GRegex) twice = g_regex_new("(BANNER(?:\\\\r)+\\\\n)\\1+",
                                          0, 0, NULL);
    g_autofree char *a = g_regex_replace_literal(banner, text, -1, 0,
                                                 "BANNER", 0, NULL);
    g_autofree char *b = g_regex_replace(twice, a, -1, 0, "\\1", 0, NULL);

    return g_regex_replace_literal(bye, b, -1, 0, "TERMINATED", 0, NULL);
}

/* ---- A multiplexed socket ---- */

typedef struct MuxRun {
    GString *transcript;
    int status;
} MuxRun;

static void step(MuxRun *r, QTestHMP *h, const char *label, const char *keys,
                 int ms)
{
    g_autofree char *got = NULL, *esc = NULL;

    if (keys) {
        qtest_hmp_send(h, keys, strlen(keys));
    }
    got = qtest_hmp_read_for(h, ms);
    esc = g_strescape(got, NULL);
    g_string_append_printf(r->transcript, "%s: %s\n", label, esc);
}

static bool run_mux_socket(bool qemu, MuxRun *r)
{
    g_autofree char *sock = g_strdup_printf("%s/mux-%s.sock", tmp_dir,
                                            qemu ? "qemu" : "pmemvm");
    g_autofree char *args = g_strdup_printf(
        "-machine pc -chardev socket,id=c0,path=%s,server=on,wait=off,"
        "mux=on -serial chardev:c0 -mon chardev=c0,mode=readline", sock);
    QTestState *qts = qemu ? qemu_qtest_init(args) :
                             qtest_initf("-S %s", args);
    QTestHMP *h;
    uint8_t lsr;

    if (!qts) {
        return false;
    }
    r->transcript = g_string_new(NULL);
    h = qtest_hmp_connect(sock, false);
    step(r, h, "connected", NULL, 300);
    /* The console has the focus: the key reaches COM1's receiver. */
    step(r, h, "key x", "x", 300);
    lsr = qtest_inb(qts, COM1_LSR);
    g_string_append_printf(r->transcript, "COM1 LSR.DR %d RBR %c\n",
                           lsr & LSR_DR, qtest_inb(qts, COM1_RBR));
    qtest_outb(qts, COM1_RBR, 'Z');
    step(r, h, "COM1 sends Z", NULL, 300);
    step(r, h, "C-a c", "\001c", 300);
    step(r, h, "info status", "info status\n", 300);
    /* The console's output still goes out while the monitor has it. */
    qtest_outb(qts, COM1_RBR, 'Y');
    step(r, h, "COM1 sends Y", NULL, 300);
    step(r, h, "C-a c", "\001c", 300);
    /* C-a C-a: one C-a for the console. */
    step(r, h, "C-a C-a", "\001\001", 300);
    lsr = qtest_inb(qts, COM1_LSR);
    g_string_append_printf(r->transcript, "COM1 LSR.DR %d RBR 0x%02x\n",
                           lsr & LSR_DR, qtest_inb(qts, COM1_RBR));
    step(r, h, "C-a c", "\001c", 300);
    step(r, h, "C-a c", "\001c", 300);
    qtest_hmp_send(h, "\001x", 2);
    r->status = qtest_wait_exit(qts);
    step(r, h, "C-a x", NULL, 300);
    qtest_hmp_close(h);
    qtest_quit(qts);
    return true;
}

static void test_mux_socket(void)
{
    MuxRun ours = { 0 }, theirs = { 0 };
    g_autofree char *o = NULL, *t = NULL;

    g_assert_true(run_mux_socket(false, &ours));
    o = normalize(ours.transcript->str);
    g_test_message("pmemvm:\n%s", o);
    g_assert_cmpstr(o, ==,
        "connected: \n"
        "key x: \n"
        "COM1 LSR.DR 1 RBR x\n"
        "COM1 sends Z: Z\n"
        "C-a c: BANNER\\r\\n(qemu) \n"
        "info status: i\\033[K\\033[Din\\033[K\\033[D\\033[Dinf\\033[K"
        "\\033[D\\033[D\\033[Dinfo\\033[K\\033[D\\033[D\\033[D\\033[Dinfo "
        "\\033[K\\033[D\\033[D\\033[D\\033[D\\033[Dinfo s\\033[K\\033[D"
        "\\033[D\\033[D\\033[D\\033[D\\033[Dinfo st\\033[K\\033[D\\033[D"
        "\\033[D\\033[D\\033[D\\033[D\\033[Dinfo sta\\033[K\\033[D\\033[D"
        "\\033[D\\033[D\\033[D\\033[D\\033[D\\033[Dinfo stat\\033[K\\033[D"
        "\\033[D\\033[D\\033[D\\033[D\\033[D\\033[D\\033[D\\033[Dinfo statu"
        "\\033[K\\033[D\\033[D\\033[D\\033[D\\033[D\\033[D\\033[D\\033[D"
        "\\033[D\\033[Dinfo status\\033[K\\r\\nVM status: paused "
        "(prelaunch)\\r\\n(qemu) \n"
        "COM1 sends Y: Y\n"
        "C-a c: \\r\\n\n"
        "C-a C-a: \n"
        "COM1 LSR.DR 1 RBR 0x01\n"
        "C-a c: (qemu) \n"
        "C-a c: \\r\\n\n"
        "C-a x: TERMINATED\\n\\r\n");
    g_assert_cmpint(ours.status, ==, 0);
    if (run_mux_socket(true, &theirs)) {
        t = normalize(theirs.transcript->str);
        g_test_message("QEMU:\n%s", t);
        g_assert_cmpstr(o, ==, t);
        g_assert_cmpint(theirs.status, ==, 0);
        g_string_free(theirs.transcript, TRUE);
    }
    g_string_free(ours.transcript, TRUE);
}

/* ---- A terminal ---- */

/* Everything the pty says within @ms (g_free). */
static char *pty_read(int fd, int ms)
{
    GString *s = g_string_new(NULL);
    gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char buf[4096];

    for (;;) {
        gint64 left = (until - g_get_monotonic_time()) / 1000;
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            break;
        }
        n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            break;
        }
        g_string_append_len(s, buf, n);
    }
    return g_string_free(s, FALSE);
}

static void pty_step(GString *t, int fd, const char *label, const char *keys)
{
    g_autofree char *got = NULL, *esc = NULL;

    if (keys) {
        g_assert_cmpint(write(fd, keys, strlen(keys)), ==, strlen(keys));
    }
    got = pty_read(fd, 500);
    esc = g_strescape(got, NULL);
    g_string_append_printf(t, "%s: %s\n", label, esc);
}

/* Wait until the terminal's echo is off (the VMM is up), or fail. */
static void pty_wait_raw(int fd)
{
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)qtest_timeout() * G_USEC_PER_SEC;
    struct termios tio;

    do {
        g_assert_cmpint(tcgetattr(fd, &tio), ==, 0);
        if (!(tio.c_lflag & ECHO)) {
            return;
        }
        g_usleep(10 * 1000);
    } while (g_get_monotonic_time() < deadline);
    g_error("the VMM did not put the terminal in raw mode within %u s",
            qtest_timeout());
}

typedef struct PtyKey {
    const char *label;
    const char *keys;
} PtyKey;

/*
 * Run "@bin -machine pc -S @args" on a pty (-accel qtest for pmemvm),
 * type @keys, expect it to exit after the last; NULL if @bin is NULL.
 */
static char *run_on_pty(const char *bin, bool qemu, const char *args,
                        const PtyKey *keys, int *status)
{
    g_autofree char *cmd = NULL;
    g_auto(GStrv) argv = NULL;
    struct termios tio;
    GString *t;
    pid_t pid;
    int fd, wstatus;

    if (!bin) {
        return NULL;
    }
    cmd = g_strdup_printf("%s -machine pc -display none -S -qtest null "
                          "-qtest-log /dev/null %s%s", bin, args,
                          qemu ? "" : " -accel qtest");
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    pid = forkpty(&fd, NULL, NULL, NULL);
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    t = g_string_new(NULL);
    /* The VMM puts the terminal in raw mode once it starts (a slow start,
     * under a sanitizer, must not see our keys echoed by the terminal). */
    pty_wait_raw(fd);
    pty_step(t, fd, "started", NULL);
    g_assert_cmpint(tcgetattr(fd, &tio), ==, 0);
    g_string_append_printf(t, "raw: echo %d icanon %d isig %d\n",
                           !!(tio.c_lflag & ECHO), !!(tio.c_lflag & ICANON),
                           !!(tio.c_lflag & ISIG));
    for (; keys->label; keys++) {
        pty_step(t, fd, keys->label, keys->keys);
    }
    g_assert_cmpint(waitpid(pid, &wstatus, 0), ==, pid);
    *status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    /* ... and gave it back as it was when it exited. */
    g_assert_cmpint(tcgetattr(fd, &tio), ==, 0);
    g_string_append_printf(t, "after: echo %d icanon %d\n",
                           !!(tio.c_lflag & ECHO), !!(tio.c_lflag & ICANON));
    close(fd);
    return g_string_free(t, FALSE);
}

/* Both VMMs on a pty: pmemvm's transcript (normalized), checked. */
static char *pty_both(const char *args, const PtyKey *keys)
{
    g_autofree char *qemu = qemu_path();
    int ostatus = -1, tstatus = -1;
    g_autofree char *ours = run_on_pty(qtest_binary(), false, args, keys,
                                       &ostatus);
    g_autofree char *theirs = run_on_pty(qemu, true, args, keys, &tstatus);
    char *o = normalize(ours);
    g_autofree char *t = NULL;

    g_test_message("%s: pmemvm:\n%s", args, o);
    g_assert_cmpint(ostatus, ==, 0);
    g_assert_nonnull(strstr(o, "after: echo 1 icanon 1\n"));
    if (theirs) {
        t = normalize(theirs);
        g_test_message("%s: QEMU:\n%s", args, t);
        g_assert_cmpstr(o, ==, t);
        g_assert_cmpint(tstatus, ==, 0);
    } else {
        g_test_skip("QEMU 7.2 is not installed: pmemvm checked alone");
    }
    return o;
}

/* -nographic: COM1 and the monitor share the terminal (mon:stdio). */
static void test_nographic_pty(void)
{
    static const PtyKey keys[] = {
        { "C-a c", "\001c" }, { "info status", "info status\r" },
        { "C-a c", "\001c" }, { "C-a x", "\001x" }, { NULL },
    };
    g_autofree char *o = pty_both("-nographic", keys);

    /* A terminal's output processing turns "\n" into "\r\n". */
    g_assert_nonnull(strstr(o, "started: \n"));
    g_assert_nonnull(strstr(o, "C-a c: BANNER\\r\\r\\n(qemu) \n"));
    g_assert_nonnull(strstr(o, "\\r\\r\\nVM status: paused (prelaunch)"
                            "\\r\\r\\n(qemu) \n"));
    /* mon:stdio passes Ctrl-C to the guest, as QEMU's does */
    g_assert_nonnull(strstr(o, "raw: echo 0 icanon 0 isig 0\n"));
}

/* -monitor stdio: the monitor alone, banner at once, Ctrl-C kills. */
static void test_monitor_stdio_pty(void)
{
    static const PtyKey keys[] = {
        { "info status", "info status\r" }, { "quit", "quit\r" },
        { NULL },
    };
    g_autofree char *o = pty_both("-nodefaults -monitor stdio", keys);

    g_assert_nonnull(strstr(o, "started: BANNER\\r\\r\\n(qemu) \n"));
    g_assert_nonnull(strstr(o, "raw: echo 0 icanon 0 isig 1\n"));
    g_assert_nonnull(strstr(o, "VM status: paused (prelaunch)"));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("hmp-mux-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    g_test_add_func("/hmp-mux/socket", test_mux_socket);
    g_test_add_func("/hmp-mux/nographic-pty", test_nographic_pty);
    g_test_add_func("/hmp-mux/monitor-stdio-pty", test_monitor_stdio_pty);
    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
