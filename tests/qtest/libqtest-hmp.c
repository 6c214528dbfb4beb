/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtests' human monitor client: see libqtest-hmp.h.
 */
#include "qemu/osdep.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "libqtest-hmp.h"

struct QTestHMP {
    int fd;
    GString *rx;                /* received, not yet returned */
    char *banner;
};

static gint64 hmp_deadline(void)
{
    return g_get_monotonic_time() + (gint64)qtest_timeout() * G_USEC_PER_SEC;
}

QTestHMP *qtest_hmp_connect(const char *path, bool wait_prompt)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    QTestHMP *h = g_new0(QTestHMP, 1);
    gint64 deadline = hmp_deadline();

    g_assert_cmpuint(strlen(path), <, sizeof(un.sun_path));
    strcpy(un.sun_path, path);
    h->rx = g_string_new(NULL);
    for (;;) {
        h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_assert_cmpint(h->fd, >=, 0);
        if (connect(h->fd, (struct sockaddr *)&un, sizeof(un)) == 0) {
            break;
        }
        close(h->fd);
        if (g_get_monotonic_time() > deadline) {
            g_error("cannot connect to the monitor at %s: %s", path,
                    g_strerror(errno));
        }
        g_usleep(20 * 1000);
    }
    if (wait_prompt) {
        h->banner = qtest_hmp_read_until(h, QTEST_HMP_PROMPT);
    }
    return h;
}

void qtest_hmp_close(QTestHMP *h)
{
    close(h->fd);
    g_string_free(h->rx, TRUE);
    g_free(h->banner);
    g_free(h);
}

int qtest_hmp_fd(QTestHMP *h)
{
    return h->fd;
}

const char *qtest_hmp_banner(QTestHMP *h)
{
    return h->banner;
}

void qtest_hmp_send(QTestHMP *h, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = send(h->fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/* Wait up to @ms for bytes: 1 when some came, 0 if none, -1 at EOF. */
static int hmp_recv(QTestHMP *h, int ms)
{
    struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
    char buf[65536];
    ssize_t n;

    if (poll(&pfd, 1, ms) <= 0) {
        return 0;
    }
    n = recv(h->fd, buf, sizeof(buf), 0);
    if (n <= 0) {
        return -1;
    }
    g_string_append_len(h->rx, buf, n);
    return 1;
}

char *qtest_hmp_read_until(QTestHMP *h, const char *text)
{
    gint64 deadline = hmp_deadline();
    char *end, *out;

    while (!(end = strstr(h->rx->str, text))) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int r = left > 0 ? hmp_recv(h, left) : 0;

        if (r < 0 || (r == 0 && g_get_monotonic_time() >= deadline)) {
            g_error("no '%s' from the monitor (%s); got '%s'", text,
                    r < 0 ? "it closed the connection" : "deadline passed",
                    g_strescape(h->rx->str, NULL));
        }
    }
    end += strlen(text);
    out = g_strndup(h->rx->str, end - h->rx->str);
    g_string_erase(h->rx, 0, end - h->rx->str);
    return out;
}

char *qtest_hmp_read_for(QTestHMP *h, int ms)
{
    gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;
    char *out;

    for (;;) {
        gint64 left = (until - g_get_monotonic_time()) / 1000;

        if (left <= 0 || hmp_recv(h, left) <= 0) {
            break;
        }
    }
    out = g_strdup(h->rx->str);
    g_string_truncate(h->rx, 0);
    return out;
}

static char *hmp_vcmd_raw(QTestHMP *h, const char *fmt, va_list ap)
{
    g_autofree char *line = g_strdup_vprintf(fmt, ap);
    g_autofree char *req = g_strconcat(line, "\n", NULL);

    qtest_hmp_send(h, req, strlen(req));
    return qtest_hmp_read_until(h, QTEST_HMP_PROMPT);
}

char *qtest_hmp_cmd_raw(QTestHMP *h, const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = hmp_vcmd_raw(h, fmt, ap);
    va_end(ap);
    return out;
}

char *qtest_hmp_cmd(QTestHMP *h, const char *fmt, ...)
{
    g_autofree char *raw = NULL;
    g_auto(GStrv) lines = NULL;
    char *body;
    va_list ap;

    va_start(ap, fmt);
    raw = hmp_vcmd_raw(h, fmt, ap);
    va_end(ap);
    body = strstr(raw, "\r\n");
    g_assert_nonnull(body);
    body += 2;
    g_assert_true(g_str_has_suffix(body, QTEST_HMP_PROMPT));
    body[strlen(body) - strlen(QTEST_HMP_PROMPT)] = '\0';
    lines = g_strsplit(body, "\r\n", -1);
    return g_strjoinv("\n", lines);
}

char *qtest_hmp(QTestState *s, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    g_autoptr(JsonNode) ret = NULL;
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ret = qtest_qmp_assert_success_ref(s, "{'execute': "
                                       "'human-monitor-command', "
                                       "'arguments': {'command-line': %s}}",
                                       line);
    return g_strdup(json_node_get_string(ret));
}
