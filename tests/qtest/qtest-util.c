/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-util: running a real QEMU next to pmemvm, and reading what it says.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libqtest.h"
#include "qtest-util.h"

char *qemu_path(void)
{
    return g_find_program_in_path(QEMU_NAME);
}

QTestState *qemu_qtest_init(const char *args)
{
    g_autofree char *qemu = qemu_path();
    g_autofree char *saved = g_strdup(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *full = NULL;
    QTestState *qts;

    if (!qemu) {
        g_test_skip(QEMU_NAME " (QEMU 7.2) is not installed");
        return NULL;
    }
    full = g_strdup_printf("-nodefaults -S %s", args);
    g_setenv("QTEST_QEMU_BINARY", qemu, TRUE);
    qts = qtest_init(full);
    if (saved) {
        g_setenv("QTEST_QEMU_BINARY", saved, TRUE);
    } else {
        g_unsetenv("QTEST_QEMU_BINARY");
    }
    return qts;
}

QTestState *qtest_init_fsync_delay(const char *args, unsigned ms)
{
    const char *shim = g_getenv("QTEST_FSYNC_DELAY");
    g_autofree char *old_preload = g_strdup(g_getenv("LD_PRELOAD"));
    g_autofree char *old_asan = g_strdup(g_getenv("ASAN_OPTIONS"));
    g_autofree char *asan = NULL;
    g_autofree char *delay = g_strdup_printf("%u", ms);
    QTestState *qts;

    if (!shim || qtest_binary_is_qemu()) {
        g_test_skip("no fsync-delay shim ($QTEST_FSYNC_DELAY)");
        return NULL;
    }
    g_setenv("LD_PRELOAD", shim, TRUE);
    g_setenv("FSYNC_DELAY_MS", delay, TRUE);
    /* An ASan build wants its runtime first; the shim is harmless. */
    asan = g_strdup_printf("%s%sverify_asan_link_order=0",
                           old_asan ? old_asan : "", old_asan ? ":" : "");
    g_setenv("ASAN_OPTIONS", asan, TRUE);
    qts = qtest_init(args);
    if (old_preload) {
        g_setenv("LD_PRELOAD", old_preload, TRUE);
    } else {
        g_unsetenv("LD_PRELOAD");
    }
    if (old_asan) {
        g_setenv("ASAN_OPTIONS", old_asan, TRUE);
    } else {
        g_unsetenv("ASAN_OPTIONS");
    }
    g_unsetenv("FSYNC_DELAY_MS");
    return qts;
}

/* The "return" member of the QMP reply @text (copied). */
static JsonNode *reply_return(const char *text)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *reply;

    g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
    reply = json_node_get_object(json_parser_get_root(parser));
    return json_node_copy(json_object_get_member(reply, "return"));
}

int qemu_probe(const char *args, bool *started, char **err,
               JsonNode **devices)
{
    return qemu_probe_query(args, started, err, "query-memory-devices",
                            devices);
}

int qemu_probe_query(const char *args, bool *started, char **err,
                     const char *command, JsonNode **devices)
{
    static const char cmd_caps[] = "{\"execute\": \"qmp_capabilities\"}\n";
    g_autofree char *cmd_query = g_strdup_printf("{\"execute\": \"%s\"}\n",
                                                 command);
    g_autofree char *qemu = qemu_path();
    g_autofree char *dir = g_dir_make_tmp("qemu-probe-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *errpath = g_build_filename(dir, "stderr", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "%s -display none -nodefaults -S %s -qmp unix:%s,server=on,"
        "wait=off %s", qemu, strstr(args, "accel=") ? "" : "-qtest null",
        sock, args);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GString) rx = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)qtest_timeout() * G_USEC_PER_SEC;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int errfd, fd = -1, wstatus = 0, status = -1;
    GPid pid;

    g_assert_nonnull(qemu);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    g_assert_cmpint(errfd, >=, 0);
    g_assert_true(g_spawn_async_with_fds(NULL, argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &pid, -1, -1, errfd, NULL));
    close(errfd);
    g_snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
    *started = false;
    while (g_get_monotonic_time() < deadline) {
        char buf[256];
        ssize_t n;

        if (waitpid(pid, &wstatus, WNOHANG) == pid) {
            status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128;
            break;
        }
        if (fd < 0) {
            fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
                write(fd, cmd_caps, strlen(cmd_caps)) < 0) {
                close(fd);
                fd = -1;
                g_usleep(20 * 1000);
                continue;
            }
        }
        struct pollfd pfd = { .fd = fd, .events = POLLIN };

        if (poll(&pfd, 1, 50) <= 0) {
            continue;
        }
        n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            /* closed: QEMU is on its way out */
            close(fd);
            fd = -1;
            g_usleep(20 * 1000);
            continue;
        }
        g_string_append_len(rx, buf, n);
        if (!*started && strstr(rx->str, "\"return\"")) {
            /* capabilities done: the main loop runs */
            *started = true;
            if (devices) {
                /* ask for them; the answer ends the run */
                g_string_truncate(rx, 0);
                g_assert_cmpint(write(fd, cmd_query, strlen(cmd_query)), ==,
                                strlen(cmd_query));
                continue;
            }
        } else if (*started && strchr(rx->str, '\n')) {
            /* the answer to query-memory-devices */
            *devices = reply_return(rx->str);
        } else {
            continue;
        }
        /* in the main loop, and done with it */
        kill(pid, SIGKILL);
        waitpid(pid, &wstatus, 0);
        status = 0;
        break;
    }
    if (status < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &wstatus, 0);
    }
    if (fd >= 0) {
        close(fd);
    }
    g_spawn_close_pid(pid);
    g_assert_true(g_file_get_contents(errpath, err, NULL, NULL));
    unlink(errpath);
    unlink(sock);
    rmdir(dir);
    return status;
}

char *error_line(const char *text, const char *prog)
{
    g_autofree char *prefix = g_strdup_printf("%s: ", prog);
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
    int i;

    for (i = 0; lines[i]; i++) {
        const char *l = lines[i];

        /* -msg timestamp=on: "2026-01-01T00:00:00.000000Z " first */
        if (g_regex_match_simple("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z ", l,
                                 0, 0)) {
            l = strchr(l, ' ') + 1;
        }
        if (g_str_has_prefix(l, prefix) &&
            !g_str_has_prefix(l + strlen(prefix), "warning:") &&
            !g_str_has_prefix(l + strlen(prefix), "info:")) {
            return g_strdup(l + strlen(prefix));
        }
    }
    return NULL;
}

char *expand_dir(const char *tmpl, const char *dir)
{
    g_auto(GStrv) parts = g_strsplit(tmpl, "@D@", -1);

    return g_strjoinv(dir, parts);
}

void make_sized_file(const char *dir, const char *name, uint64_t size)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, size), ==, 0);
    close(fd);
}

gint64 peer_deadline_in(int secs)
{
    return g_get_monotonic_time() + (gint64)secs * G_USEC_PER_SEC;
}

int peer_ms_left(gint64 deadline)
{
    gint64 left = deadline - g_get_monotonic_time();

    return left <= 0 ? 0 : (int)(left / 1000 + 1);
}

int peer_connect(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(un.sun_path));
    strcpy(un.sun_path, path);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    return fd;
}

bool peer_recv(int fd, GString *rx, gint64 deadline)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char buf[65536];
    ssize_t n;

    if (poll(&pfd, 1, peer_ms_left(deadline)) <= 0) {
        return false;
    }
    n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EAGAIN) {
        return true;
    }
    g_assert_cmpint(n, >, 0);
    g_string_append_len(rx, buf, n);
    return true;
}

char *peer_take_line(GString *rx)
{
    char *nl = memchr(rx->str, '\n', rx->len);
    char *line;

    if (!nl) {
        return NULL;
    }
    line = g_strndup(rx->str, nl - rx->str);
    g_string_erase(rx, 0, nl - rx->str + 1);
    g_strchomp(line);
    return line;
}

char *peer_line(int fd, GString *rx, gint64 deadline)
{
    char *line;

    while (!(line = peer_take_line(rx))) {
        if (!peer_recv(fd, rx, deadline)) {
            return NULL;
        }
    }
    return line;
}

void peer_send_all(int fd, const char *data, size_t len, gint64 deadline)
{
    while (len) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        ssize_t n;

        g_assert_cmpint(poll(&pfd, 1, peer_ms_left(deadline)), ==, 1);
        n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        data += n;
        len -= n;
    }
}

void remove_dir(const char *dir)
{
    g_autofree char *quoted = g_shell_quote(dir);
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", quoted);

    g_assert_cmpint(system(cmd), ==, 0);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(a, b);
}

static void json_canonical_append(GString *out, JsonNode *node)
{
    if (JSON_NODE_HOLDS_OBJECT(node)) {
        JsonObject *obj = json_node_get_object(node);
        GList *names = g_list_sort(json_object_get_members(obj),
                                   compare_names);

        g_string_append_c(out, '{');
        for (GList *l = names; l; l = l->next) {
            g_autofree char *key = g_strescape(l->data, NULL);

            g_string_append_printf(out, "%s\"%s\": ", l == names ? "" : ", ",
                                   key);
            json_canonical_append(out, json_object_get_member(obj, l->data));
        }
        g_string_append_c(out, '}');
        g_list_free(names);
    } else if (JSON_NODE_HOLDS_ARRAY(node)) {
        JsonArray *arr = json_node_get_array(node);

        g_string_append_c(out, '[');
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            g_string_append(out, i ? ", " : "");
            json_canonical_append(out, json_array_get_element(arr, i));
        }
        g_string_append_c(out, ']');
    } else {
        g_autofree char *text = json_to_string(node, FALSE);

        g_string_append(out, text);
    }
}

char *json_canonical(JsonNode *node)
{
    GString *out = g_string_new(NULL);

    json_canonical_append(out, node);
    return g_string_free(out, FALSE);
}

char *json_object_canonical(JsonObject *obj)
{
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);

    return json_canonical(node);
}

void qmp_transcribe(QTestState *qts, GString *transcript, const char *cmd)
{
    bool reply = false;

    qtest_qmp_send(qts, cmd);
    while (!reply) {
        JsonObject *msg = qtest_qmp_receive_dict(qts);
        g_autofree char *text = NULL;

        reply = !json_object_has_member(msg, "event");
        if (!reply) {
            json_object_remove_member(msg, "timestamp");
        }
        text = json_object_canonical(msg);
        g_string_append_printf(transcript, "%s\n", text);
        json_object_unref(msg);
    }
}
