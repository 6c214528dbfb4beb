/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest: spawn the VMM, talk qtest and QMP to it, with deadlines.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "libqtest.h"
#include "monitor/monitor.h"
#include "qobject/qjson.h"

#define QTEST_DEFAULT_TIMEOUT 60
#define QTEST_MAX_IRQ 256
/*
 * Requests qtest_cmd_repeat() sends before it reads their replies: few
 * enough that neither side's socket buffer fills (a request line is
 * short, a reply "OK\n").
 */
#define QTEST_REPEAT_BATCH 1024

struct QTestState {
    pid_t pid;                  /* -1 once reaped */
    int wstatus;
    int expected_status;
    bool status_checked;
    int fd;                     /* qtest */
    int qmp_fd;
    char *dir;                  /* from mkdtemp, holds the files below */
    char *qtest_path;
    char *qmp_path;
    char *stderr_path;          /* NULL with $QTEST_LOG */
    GString *rx;                /* qtest bytes not yet split into lines */
    JsonStreamer *js;
    GQueue qmp_in;              /* JsonObject*: received, not yet taken */
    GList *pending_events;      /* JsonObject* */
    bool big_endian;
    bool irq_level[QTEST_MAX_IRQ];
};

static GList *live_states;

/* ---- Binary, deadlines, failure ---- */

const char *qtest_binary(void)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");

    if (!bin || !*bin) {
        bin = g_getenv("QTEST_PMEMVM_BINARY");
    }
    if (!bin || !*bin) {
        g_printerr("libqtest: set QTEST_PMEMVM_BINARY (or "
                   "QTEST_QEMU_BINARY)\n");
        exit(1);
    }
    return bin;
}

bool qtest_binary_is_qemu(void)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");

    return bin && *bin;
}

unsigned qtest_timeout(void)
{
    const char *env = g_getenv("QTEST_TIMEOUT");
    unsigned secs = env ? (unsigned)strtoul(env, NULL, 10) : 0;

    return secs ? secs : QTEST_DEFAULT_TIMEOUT;
}

static gint64 qtest_deadline(void)
{
    return g_get_monotonic_time() + (gint64)qtest_timeout() * G_USEC_PER_SEC;
}

static int qtest_ms_left(gint64 deadline)
{
    gint64 left = deadline - g_get_monotonic_time();

    return left <= 0 ? 0 : (int)MIN(left / 1000 + 1, INT_MAX);
}

/* Remove the directory; async-signal-safe (the abort handler uses it). */
static void qtest_remove_files(QTestState *s)
{
    unlink(s->qtest_path);
    unlink(s->qmp_path);
    if (s->stderr_path) {
        unlink(s->stderr_path);
    }
    rmdir(s->dir);
}

static void qtest_sigabrt(int signo)
{
    for (GList *l = live_states; l; l = l->next) {
        QTestState *s = l->data;

        if (s->pid > 0) {
            kill(s->pid, SIGKILL);
        }
        qtest_remove_files(s);
    }
    signal(SIGABRT, SIG_DFL);
}

char *qtest_get_stderr(QTestState *s)
{
    char *text = NULL;

    if (!s->stderr_path ||
        !g_file_get_contents(s->stderr_path, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

static void G_GNUC_PRINTF(2, 3) G_GNUC_NORETURN
qtest_fatal(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_printerr("libqtest: %s\n", msg);
    if (s) {
        g_autofree char *err = NULL;

        if (s->pid > 0) {
            kill(s->pid, SIGKILL);
        }
        err = qtest_get_stderr(s);
        if (*err) {
            g_printerr("libqtest: the VMM's stderr:\n%s", err);
        }
    }
    abort();
}

static int qtest_decode_status(int wstatus)
{
    if (WIFEXITED(wstatus)) {
        return WEXITSTATUS(wstatus);
    }
    return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : -1;
}

int qtest_pid(QTestState *s)
{
    return s->pid;
}

/* Reap the child if it exited; true while it runs. */
bool qtest_probe_child(QTestState *s)
{
    if (s->pid > 0 && waitpid(s->pid, &s->wstatus, WNOHANG) == s->pid) {
        s->pid = -1;
    }
    return s->pid > 0;
}

/* Wait until @deadline for the child; false if it is still running. */
static bool qtest_wait_child(QTestState *s, gint64 deadline)
{
    while (qtest_probe_child(s)) {
        if (g_get_monotonic_time() >= deadline) {
            return false;
        }
        g_usleep(10 * 1000);
    }
    return true;
}

/* ---- Spawning ---- */

static int qtest_listen(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert(fd >= 0 && strlen(path) < sizeof(un.sun_path));
    strcpy(un.sun_path, path);
    if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(fd, 1)) {
        g_printerr("libqtest: cannot listen on %s: %s\n", path,
                   g_strerror(errno));
        abort();
    }
    return fd;
}

static char *qtest_make_dir(void)
{
    g_autoptr(GError) gerr = NULL;
    char *dir = g_dir_make_tmp("qtest-XXXXXX", &gerr);

    if (!dir) {
        qtest_fatal(NULL, "mkdtemp: %s", gerr->message);
    }
    return dir;
}

/* Fork and exec "BIN ARGS"; @dir (taken) holds the sockets and logs. */
static QTestState *qtest_spawn(char *dir, const char *args)
{
    QTestState *s = g_new0(QTestState, 1);
    g_autofree char *cmdline = g_strdup_printf("%s %s", qtest_binary(),
                                               args);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) gerr = NULL;
    int err_fd = -1, null_fd;

    s->fd = s->qmp_fd = -1;
    s->rx = g_string_new(NULL);
    g_queue_init(&s->qmp_in);
    s->dir = dir;
    s->qtest_path = g_build_filename(dir, "qtest.sock", NULL);
    s->qmp_path = g_build_filename(dir, "qmp.sock", NULL);
    if (!g_shell_parse_argv(cmdline, NULL, &argv, &gerr)) {
        qtest_fatal(NULL, "cannot split '%s': %s", cmdline, gerr->message);
    }
    if (!g_getenv("QTEST_LOG")) {
        s->stderr_path = g_build_filename(s->dir, "stderr.log", NULL);
        err_fd = open(s->stderr_path, O_WRONLY | O_CREAT | O_TRUNC |
                      O_CLOEXEC, 0600);
        g_assert(err_fd >= 0);
    }
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    g_assert(null_fd >= 0);
    g_test_message("starting: %s", cmdline);

    if (!live_states) {
        signal(SIGABRT, qtest_sigabrt);
    }
    s->pid = fork();
    g_assert(s->pid >= 0);
    if (s->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(null_fd, STDIN_FILENO);
        if (err_fd >= 0) {
            dup2(err_fd, STDERR_FILENO);
        }
        /* stdout is the test's TAP stream: the VMM's goes to its stderr
         * (QEMU 7.2 prints some HMP parse errors there, printf()) */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    live_states = g_list_prepend(live_states, s);
    close(null_fd);
    if (err_fd >= 0) {
        close(err_fd);
    }
    return s;
}

/* Accept on @lfd unless the child exits or the deadline passes first. */
static int qtest_accept(QTestState *s, int lfd, gint64 deadline)
{
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };

    while (g_get_monotonic_time() < deadline) {
        if (poll(&pfd, 1, 100) > 0) {
            return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        }
        if (!qtest_probe_child(s)) {
            return -1;
        }
    }
    return -1;
}

static void qtest_free(QTestState *s)
{
    live_states = g_list_remove(live_states, s);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    qtest_remove_files(s);
    g_free(s->dir);
    g_free(s->qtest_path);
    g_free(s->qmp_path);
    g_free(s->stderr_path);
    g_string_free(s->rx, TRUE);
    json_streamer_free(s->js);
    g_queue_clear_full(&s->qmp_in, (GDestroyNotify)json_object_unref);
    g_list_free_full(s->pending_events, (GDestroyNotify)json_object_unref);
    g_free(s);
}

static void qtest_qmp_collect(void *opaque, JsonNode *value,
                              const char *error);

/*
 * Start the VMM with both sockets.  Returns NULL if it did not connect
 * (*status: its exit status, or -1 if it hung and was killed).
 */
static QTestState *qtest_start(const char *extra_args, int *status,
                               char **stderr_text)
{
    char *dir = qtest_make_dir();
    g_autofree char *args = NULL;
    g_autofree char *qtest_sock = g_build_filename(dir, "qtest.sock", NULL);
    g_autofree char *qmp_sock = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *reply = NULL;
    QTestState *s;
    int lfd, qmp_lfd;
    gint64 deadline = qtest_deadline();

    lfd = qtest_listen(qtest_sock);
    qmp_lfd = qtest_listen(qmp_sock);
    args = g_strdup_printf("-qtest unix:%s -qtest-log %s "
                           "-chardev socket,path=%s,id=char0 "
                           "-mon chardev=char0,mode=control "
                           "-display none %s%s",
                           qtest_sock,
                           g_getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null",
                           qmp_sock, extra_args ? extra_args : "",
                           qtest_binary_is_qemu() ? "" : " -accel qtest");
    s = qtest_spawn(dir, args);

    s->fd = qtest_accept(s, lfd, deadline);
    if (s->fd >= 0) {
        s->qmp_fd = qtest_accept(s, qmp_lfd, deadline);
    }
    close(lfd);
    close(qmp_lfd);
    if (s->fd < 0 || s->qmp_fd < 0) {
        bool hung = !qtest_wait_child(s, g_get_monotonic_time());

        if (hung) {
            kill(s->pid, SIGKILL);
            qtest_wait_child(s, qtest_deadline());
        }
        *status = hung ? -1 : qtest_decode_status(s->wstatus);
        if (stderr_text) {
            *stderr_text = qtest_get_stderr(s);
        }
        qtest_free(s);
        return NULL;
    }
    s->js = json_streamer_new(qtest_qmp_collect, s);
    reply = qtest_cmd_raw(s, "endianness");
    s->big_endian = !strcmp(reply, "OK big");
    return s;
}

static QTestState *qtest_handshake(QTestState *s)
{
    JsonObject *greeting = qtest_qmp_receive(s);

    if (!json_object_has_member(greeting, "QMP")) {
        qtest_fatal(s, "no QMP greeting");
    }
    json_object_unref(greeting);
    qtest_qmp_assert_success(s, "{'execute': 'qmp_capabilities'}");
    return s;
}

QTestState *qtest_init_may_fail(const char *extra_args, int *exit_status,
                                char **stderr_text)
{
    int status = 0;
    QTestState *s = qtest_start(extra_args, &status, stderr_text);

    if (exit_status) {
        *exit_status = status;
    }
    return s ? qtest_handshake(s) : NULL;
}

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    g_autofree char *err = NULL;
    int status;
    QTestState *s = qtest_start(extra_args, &status, &err);

    if (!s) {
        g_printerr("libqtest: the VMM did not connect (%s %d); stderr:\n%s",
                   status < 0 ? "hung, killed at the deadline;" :
                   "exit status", status, err);
        abort();
    }
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    return qtest_handshake(qtest_init_without_qmp_handshake(extra_args));
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *args = NULL;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qtest_init(args);
}

int qtest_run_expect_fail(const char *args, char **stderr_text)
{
    g_autofree char *full = g_strdup_printf("-display none %s", args);
    QTestState *s = qtest_spawn(qtest_make_dir(), full);
    int status;

    if (!qtest_wait_child(s, qtest_deadline())) {
        kill(s->pid, SIGKILL);
        qtest_wait_child(s, qtest_deadline());
        status = -1;
    } else {
        status = qtest_decode_status(s->wstatus);
    }
    if (stderr_text) {
        *stderr_text = qtest_get_stderr(s);
    }
    qtest_free(s);
    return status;
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

int qtest_wait_exit(QTestState *s)
{
    if (!qtest_wait_child(s, qtest_deadline())) {
        qtest_fatal(s, "the VMM did not exit within %u s", qtest_timeout());
    }
    s->status_checked = true;
    return qtest_decode_status(s->wstatus);
}

void qtest_quit(QTestState *s)
{
    if (qtest_probe_child(s)) {
        kill(s->pid, SIGTERM);
        if (!qtest_wait_child(s, qtest_deadline())) {
            qtest_fatal(s, "the VMM ignored SIGTERM for %u s",
                        qtest_timeout());
        }
    }
    if (!s->status_checked &&
        qtest_decode_status(s->wstatus) != s->expected_status) {
        qtest_fatal(s, "the VMM exited with status %d, expected %d",
                    qtest_decode_status(s->wstatus), s->expected_status);
    }
    qtest_free(s);
}

/* ---- Socket I/O ---- */

static void qtest_send_all(QTestState *s, int fd, const char *buf,
                           size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            qtest_fatal(s, "send to the VMM failed: %s", g_strerror(errno));
        }
        buf += n;
        len -= n;
    }
}

/* Read what is there (waiting up to the deadline) and append it. */
static void qtest_recv_some(QTestState *s, int fd, GString *into,
                            gint64 deadline, const char *what)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char buf[65536];
    ssize_t n;
    int r;

    do {
        r = poll(&pfd, 1, qtest_ms_left(deadline));
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        qtest_fatal(s, "no %s reply within %u s", what, qtest_timeout());
    }
    n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
        qtest_probe_child(s);
        qtest_fatal(s, "the VMM closed the %s socket%s", what,
                    s->pid > 0 ? "" : " and exited");
    }
    g_string_append_len(into, buf, n);
}

static char *qtest_recv_line(QTestState *s)
{
    gint64 deadline = qtest_deadline();
    char *nl, *line;

    for (;;) {
        nl = memchr(s->rx->str, '\n', s->rx->len);
        if (nl) {
            line = g_strndup(s->rx->str, nl - s->rx->str);
            g_string_erase(s->rx, 0, nl - s->rx->str + 1);
            if (g_str_has_prefix(line, "IRQ raise ") ||
                g_str_has_prefix(line, "IRQ lower ")) {
                int irq = atoi(line + strlen("IRQ raise "));

                if (irq >= 0 && irq < QTEST_MAX_IRQ) {
                    s->irq_level[irq] = line[4] == 'r';
                }
                g_free(line);
                continue;
            }
            return line;
        }
        qtest_recv_some(s, s->fd, s->rx, deadline, "qtest");
    }
}

char *qtest_cmd_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *line = NULL;
    g_autofree char *req = NULL;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    req = g_strconcat(line, "\n", NULL);
    qtest_send_all(s, s->fd, req, strlen(req));
    return qtest_recv_line(s);
}

/* Send a request and insist on "OK"; returns what follows "OK ". */
static char * G_GNUC_PRINTF(2, 3) qtest_cmd_ok(QTestState *s,
                                              const char *fmt, ...)
{
    va_list ap;
    g_autofree char *line = NULL;
    g_autofree char *rsp = NULL;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rsp = qtest_cmd_raw(s, "%s", line);
    if (strcmp(rsp, "OK") != 0 && !g_str_has_prefix(rsp, "OK ")) {
        qtest_fatal(s, "qtest '%.80s' got '%.200s'", line, rsp);
    }
    return g_strdup(rsp[2] ? rsp + 3 : "");
}

void qtest_cmd_repeat(QTestState *s, const char *line, size_t count)
{
    g_autoptr(GString) batch = g_string_new(NULL);

    while (count) {
        size_t n = MIN(count, QTEST_REPEAT_BATCH);

        g_string_truncate(batch, 0);
        for (size_t i = 0; i < n; i++) {
            g_string_append(batch, line);
            g_string_append_c(batch, '\n');
        }
        qtest_send_all(s, s->fd, batch->str, batch->len);
        for (size_t i = 0; i < n; i++) {
            g_autofree char *rsp = qtest_recv_line(s);

            if (strcmp(rsp, "OK") != 0 && !g_str_has_prefix(rsp, "OK ")) {
                qtest_fatal(s, "qtest '%.80s' got '%.200s'", line, rsp);
            }
        }
        count -= n;
    }
}

static uint64_t qtest_cmd_value(QTestState *s, const char *cmd,
                                uint64_t addr)
{
    g_autofree char *val = qtest_cmd_ok(s, "%s 0x%" PRIx64, cmd, addr);

    return g_ascii_strtoull(val, NULL, 0);
}

#define QTEST_OUT(name, type)                                          \
    void qtest_##name(QTestState *s, uint16_t addr, type value)        \
    {                                                                  \
        g_free(qtest_cmd_ok(s, #name " 0x%x 0x%x", addr,               \
                            (unsigned)value));                         \
    }
QTEST_OUT(outb, uint8_t)
QTEST_OUT(outw, uint16_t)
QTEST_OUT(outl, uint32_t)

#define QTEST_VALUE(name, type, addr_type)                             \
    type qtest_##name(QTestState *s, addr_type addr)                   \
    {                                                                  \
        return qtest_cmd_value(s, #name, addr);                        \
    }
QTEST_VALUE(inb, uint8_t, uint16_t)
QTEST_VALUE(inw, uint16_t, uint16_t)
QTEST_VALUE(inl, uint32_t, uint16_t)
QTEST_VALUE(readb, uint8_t, uint64_t)
QTEST_VALUE(readw, uint16_t, uint64_t)
QTEST_VALUE(readl, uint32_t, uint64_t)
QTEST_VALUE(readq, uint64_t, uint64_t)

#define QTEST_WRITE(name, type)                                        \
    void qtest_##name(QTestState *s, uint64_t addr, type value)        \
    {                                                                  \
        g_free(qtest_cmd_ok(s, #name " 0x%" PRIx64 " 0x%" PRIx64,       \
                            addr, (uint64_t)value));                   \
    }
QTEST_WRITE(writeb, uint8_t)
QTEST_WRITE(writew, uint16_t)
QTEST_WRITE(writel, uint32_t)
QTEST_WRITE(writeq, uint64_t)

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_autofree char *hex = NULL;
    uint8_t *out = data;

    if (!size) {
        return;
    }
    hex = qtest_cmd_ok(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    if (strlen(hex) != 2 + 2 * size || strncmp(hex, "0x", 2) != 0) {
        qtest_fatal(s, "read of %zu bytes got %zu characters", size,
                    strlen(hex));
    }
    for (size_t i = 0; i < size; i++) {
        out[i] = g_ascii_xdigit_value(hex[2 + 2 * i]) << 4 |
                 g_ascii_xdigit_value(hex[3 + 2 * i]);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *in = data;
    g_autofree char *hex = NULL;

    if (!size) {
        return;
    }
    hex = g_malloc(2 * size + 1);
    for (size_t i = 0; i < size; i++) {
        hex[2 * i] = digits[in[i] >> 4];
        hex[2 * i + 1] = digits[in[i] & 0xf];
    }
    hex[2 * size] = '\0';
    g_free(qtest_cmd_ok(s, "write 0x%" PRIx64 " 0x%zx 0x%s", addr, size,
                        hex));
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_autofree char *b64 = qtest_cmd_ok(s, "b64read 0x%" PRIx64 " 0x%zx",
                                        addr, size);
    g_autofree guchar *bytes = NULL;
    gsize len;

    bytes = g_base64_decode(b64, &len);
    if (len != size) {
        qtest_fatal(s, "b64read of %zu bytes got %zu", size, (size_t)len);
    }
    memcpy(data, bytes, size);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    g_autofree char *b64 = NULL;

    if (!size) {
        return;
    }
    b64 = g_base64_encode(data, size);
    g_free(qtest_cmd_ok(s, "b64write 0x%" PRIx64 " 0x%zx %s", addr, size,
                        b64));
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size)
{
    g_free(qtest_cmd_ok(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x", addr, size,
                        pattern));
}

static int64_t qtest_clock_reply(QTestState *s, char *val)
{
    int64_t ns = g_ascii_strtoll(val, NULL, 0);

    g_free(val);
    return ns;
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    return qtest_clock_reply(s, qtest_cmd_ok(s, "clock_step %" PRIi64,
                                             step));
}

int64_t qtest_clock_step_next(QTestState *s)
{
    return qtest_clock_reply(s, qtest_cmd_ok(s, "clock_step"));
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    return qtest_clock_reply(s, qtest_cmd_ok(s, "clock_set %" PRIi64, val));
}

bool qtest_big_endian(QTestState *s)
{
    return s->big_endian;
}

void qtest_irq_intercept_in(QTestState *s, const char *qom_path)
{
    g_free(qtest_cmd_ok(s, "irq_intercept_in %s", qom_path));
}

bool qtest_get_irq(QTestState *s, int num)
{
    g_assert(num >= 0 && num < QTEST_MAX_IRQ);
    /* A harmless round trip picks up IRQ lines sent before its reply. */
    g_free(qtest_cmd_raw(s, "endianness"));
    return s->irq_level[num];
}

/* ---- QMP ---- */

static void qtest_qmp_collect(void *opaque, JsonNode *value,
                              const char *error)
{
    QTestState *s = opaque;

    if (error || !JSON_NODE_HOLDS_OBJECT(value)) {
        g_autofree char *text = value ? qmp_json_to_string(value, false) :
                                        NULL;

        qtest_fatal(s, "bad QMP output from the VMM: %s",
                    error ? error : text);
    }
    g_queue_push_tail(&s->qmp_in, json_object_ref(json_node_get_object(
        value)));
}

static JsonObject *qtest_qmp_next(QTestState *s)
{
    gint64 deadline = qtest_deadline();
    GString *chunk = g_string_new(NULL);

    while (g_queue_is_empty(&s->qmp_in)) {
        g_string_truncate(chunk, 0);
        qtest_recv_some(s, s->qmp_fd, chunk, deadline, "QMP");
        json_streamer_feed(s->js, chunk->str, chunk->len);
    }
    g_string_free(chunk, TRUE);
    return g_queue_pop_head(&s->qmp_in);
}

JsonObject *qtest_qmp_receive_dict(QTestState *s)
{
    if (s->pending_events) {
        JsonObject *ev = s->pending_events->data;

        s->pending_events = g_list_delete_link(s->pending_events,
                                               s->pending_events);
        return ev;
    }
    return qtest_qmp_next(s);
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    for (;;) {
        JsonObject *msg = qtest_qmp_next(s);

        if (!json_object_has_member(msg, "event")) {
            return msg;
        }
        s->pending_events = g_list_append(s->pending_events, msg);
    }
}

/* Expand QEMU-style interpolation; the result is JSON with ' strings. */
static char *qtest_jsonf(const char *fmt, va_list ap)
{
    GString *out = g_string_new(NULL);
    char quote = 0;

    for (const char *p = fmt; *p; p++) {
        if (quote) {
            g_string_append_c(out, *p);
            if (*p == '\\' && p[1]) {
                g_string_append_c(out, *++p);
            } else if (*p == quote) {
                quote = 0;
            }
            continue;
        }
        if (*p == '"' || *p == '\'') {
            quote = *p;
            g_string_append_c(out, *p);
            continue;
        }
        if (*p != '%') {
            g_string_append_c(out, *p);
            continue;
        }
        p++;
        if (*p == '%') {
            g_string_append_c(out, '%');
        } else if (*p == 's') {
            JsonNode *str = json_node_new(JSON_NODE_VALUE);
            g_autofree char *text = NULL;

            json_node_set_string(str, va_arg(ap, const char *));
            text = qmp_json_to_string(str, false);
            g_string_append(out, text);
            json_node_unref(str);
        } else if (*p == 'p') {
            g_autofree char *text = qmp_json_to_string(va_arg(ap, JsonNode *),
                                                       false);
            g_string_append(out, text);
        } else if (*p == 'f') {
            char num[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append(out, g_ascii_formatd(num, sizeof(num), "%.17g",
                                                 va_arg(ap, double)));
        } else {
            int longs = 0;

            while (*p == 'l' && longs < 2) {
                longs++;
                p++;
            }
            if (*p == 'd' || *p == 'i') {
                g_string_append_printf(out, "%lld", longs == 2 ?
                                       va_arg(ap, long long) : longs ?
                                       va_arg(ap, long) : va_arg(ap, int));
            } else if (*p == 'u') {
                g_string_append_printf(out, "%llu", longs == 2 ?
                    va_arg(ap, unsigned long long) : longs ?
                    va_arg(ap, unsigned long) : va_arg(ap, unsigned));
            } else {
                g_printerr("libqtest: unsupported %%%c in '%s'\n", *p, fmt);
                abort();
            }
        }
    }
    return g_string_free(out, FALSE);
}

static void qtest_vqmp_send(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *raw = qtest_jsonf(fmt, ap);
    g_autoptr(JsonNode) req = NULL;
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;
    Error *err = NULL;

    /* QEMU's syntax ('single quotes') in, plain JSON out */
    req = qjson_parse(raw, &err);
    if (!req) {
        qtest_fatal(s, "bad QMP request '%s': %s", raw,
                    error_get_pretty(err));
    }
    /* One write: after "quit" the VMM may be gone before a second one. */
    text = qmp_json_to_string(req, false);
    line = g_strconcat(text, "\n", NULL);
    qtest_qmp_send_raw(s, line);
}

void qtest_qmp_send_raw(QTestState *s, const char *text)
{
    qtest_send_all(s, s->qmp_fd, text, strlen(text));
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_vqmp_send(s, fmt, ap);
    va_end(ap);
}

JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    qtest_vqmp_send(s, fmt, ap);
    return qtest_qmp_receive(s);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return rsp;
}

static bool qtest_is_event(JsonObject *msg, const char *event)
{
    return json_object_has_member(msg, "event") &&
        !g_strcmp0(json_object_get_string_member(msg, "event"), event);
}

JsonObject *qtest_qmp_event_ref(QTestState *s, const char *event)
{
    for (GList *l = s->pending_events; l; l = l->next) {
        if (qtest_is_event(l->data, event)) {
            JsonObject *ev = l->data;

            s->pending_events = g_list_delete_link(s->pending_events, l);
            return ev;
        }
    }
    return NULL;
}

JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *event)
{
    JsonObject *ev = qtest_qmp_event_ref(s, event);

    while (!ev) {
        JsonObject *msg = qtest_qmp_next(s);

        if (qtest_is_event(msg, event)) {
            return msg;
        }
        if (!json_object_has_member(msg, "event")) {
            g_autofree char *text = qmp_to_string(msg);

            qtest_fatal(s, "unexpected QMP reply while waiting for event "
                        "%s: %s", event, text);
        }
        s->pending_events = g_list_append(s->pending_events, msg);
    }
    return ev;
}

void qtest_qmp_eventwait(QTestState *s, const char *event)
{
    json_object_unref(qtest_qmp_eventwait_ref(s, event));
}

static JsonNode *qtest_vqmp_assert_success(QTestState *s, const char *fmt,
                                           va_list ap)
{
    JsonObject *rsp = qtest_vqmp(s, fmt, ap);
    JsonNode *ret;

    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qmp_to_string(rsp);

        qtest_fatal(s, "QMP command failed: %s", text);
    }
    ret = json_node_copy(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);
    return ret;
}

JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonNode *ret;

    va_start(ap, fmt);
    ret = qtest_vqmp_assert_success(s, fmt, ap);
    va_end(ap);
    return ret;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    json_node_unref(qtest_vqmp_assert_success(s, fmt, ap));
    va_end(ap);
}

static const char *qmp_rsp_error_member(JsonObject *rsp, const char *name)
{
    JsonObject *err;

    if (!rsp || !json_object_has_member(rsp, "error")) {
        return NULL;
    }
    err = json_object_get_object_member(rsp, "error");
    return err && json_object_has_member(err, name) ?
        json_object_get_string_member(err, name) : NULL;
}

const char *qmp_rsp_error_class(JsonObject *rsp)
{
    return qmp_rsp_error_member(rsp, "class");
}

const char *qmp_rsp_error_desc(JsonObject *rsp)
{
    return qmp_rsp_error_member(rsp, "desc");
}

char *qmp_to_string(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);
    char *text = qmp_json_to_string(node, false);

    json_node_unref(node);
    return text;
}
