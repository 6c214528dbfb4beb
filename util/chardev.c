/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character devices: socket (unix, tcp, inherited fd), stdio, file, null.
 *
 * The main thread owns the read and listen sources, accepts clients and
 * closes peers.  Writers on any thread hand their bytes to the chardev's
 * output queue under chr->lock and never wait for the peer: what the fd
 * does not take at once waits in the queue, and a G_IO_OUT source
 * (attached by whichever thread queued first) flushes it from the main
 * loop.  A writer that finds the connection broken shuts the socket down
 * and leaves the closing to that source, on the main thread.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <glib-unix.h>

#include "chardev-internal.h"
#include "qemu/cutils.h"
#include "qemu/sockets.h"
#include "sysemu/runstate.h"

#define CHR_READ_CHUNK 4096

static GHashTable *chardevs;    /* label -> Chardev* */

static const char *const socket_keys[] = {
    "path", "host", "port", "fd", "server", "wait", "nowait", "to", "ipv4",
    "ipv6", "nodelay", "reconnect", "telnet", "tight", "abstract", NULL
};
static const char *const file_keys[] = { "path", "append", NULL };
static const char *const pty_keys[] = { NULL };
static const char *const null_keys[] = { NULL };

Chardev *qemu_chr_find(const char *id)
{
    return chardevs && id ? g_hash_table_lookup(chardevs, id) : NULL;
}

const char *qemu_chr_label(const Chardev *chr)
{
    return chr->label;
}

GPtrArray *qemu_chr_list(void)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (chardevs) {
        g_hash_table_iter_init(&it, chardevs);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            g_ptr_array_add(list, value);
        }
    }
    return list;
}

bool qemu_chr_has_frontend(const Chardev *chr)
{
    return chr->fd_read || chr->fd_event;
}

const char *qemu_chr_describe(const Chardev *chr)
{
    return chr->desc;
}

void chr_drop_source(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}

static GSource *chr_add_fd_source(int fd, GUnixFDSourceFunc fn, Chardev *chr)
{
    GSource *src = g_unix_fd_source_new(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);

    g_source_set_callback(src, G_SOURCE_FUNC(fn), chr, NULL);
    g_source_attach(src, qemu_main_context());
    return src;
}

static void chr_emit(Chardev *chr, QEMUChrEvent event)
{
    if (chr->fd_event) {
        chr->fd_event(chr->opaque, event);
    }
}

static gboolean chr_accept_cb(int fd, GIOCondition cond, gpointer opaque);
static gboolean chr_read_cb(int fd, GIOCondition cond, gpointer opaque);

/*
 * Forget the peer: close its fd (not stdio's), tell the frontend.  A
 * socket's queued output goes with it; stdio's stdout outlives stdin.
 */
void chr_close_peer(Chardev *chr)
{
    int fd;

    chr_drop_source(&chr->read_src);
    chr->input_paused = false;
    g_mutex_lock(&chr->lock);
    fd = chr->in_fd;
    chr->in_fd = -1;
    if (chr->kind == CHR_KIND_SOCKET) {
        chr->out_fd = -1;
        chr_drop_source(&chr->write_src);
        chr_outbuf_clear(&chr->out);
        chr->out_broken = false;
    }
    g_mutex_unlock(&chr->lock);
    if (chr->kind == CHR_KIND_SOCKET && fd >= 0) {
        close(fd);
    }
    if (!chr->connected) {
        return;
    }
    chr->connected = false;
    if (chr->listen_fd >= 0 && !chr->listen_src) {
        chr->listen_src = chr_add_fd_source(chr->listen_fd, chr_accept_cb,
                                            chr);
    }
    chr_emit(chr, CHR_EVENT_CLOSED);
}

/*
 * Main thread: stop reading the peer while more than CHR_IN_PAUSE_BYTES
 * of output wait for it, read again once it has taken them all.  So a
 * monitor whose client does not read its replies stops taking requests.
 */
void chr_update_input(Chardev *chr)
{
    size_t pending;

    g_mutex_lock(&chr->lock);
    pending = chr_outbuf_pending(&chr->out);
    g_mutex_unlock(&chr->lock);
    if (chr->read_src && pending > CHR_IN_PAUSE_BYTES) {
        chr_drop_source(&chr->read_src);
        chr->input_paused = true;
    } else if (chr->input_paused && !pending) {
        chr->input_paused = false;
        if (chr->in_fd >= 0) {
            chr->read_src = chr_add_fd_source(chr->in_fd, chr_read_cb, chr);
        }
    }
}

static gboolean chr_read_cb(int fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[CHR_READ_CHUNK];
    ssize_t n;

    /* Output queued by another thread since the last read counts too. */
    chr_update_input(chr);
    if (chr->input_paused) {
        return G_SOURCE_CONTINUE;   /* the source is destroyed already */
    }
    do {
        n = read(fd, buf, sizeof(buf));
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        chr_close_peer(chr);
        return G_SOURCE_CONTINUE;   /* the source is destroyed already */
    }
    if (chr->fd_read) {
        chr->fd_read(chr->opaque, buf, n);
    }
    chr_update_input(chr);
    return G_SOURCE_CONTINUE;
}

void chr_set_peer(Chardev *chr, int in_fd, int out_fd)
{
    struct stat st;

    g_mutex_lock(&chr->lock);
    chr->in_fd = in_fd;
    chr->out_fd = out_fd;
    chr->out_socket = out_fd >= 0 && fstat(out_fd, &st) == 0 &&
                      S_ISSOCK(st.st_mode);
    g_mutex_unlock(&chr->lock);
    chr->connected = true;
    if (in_fd >= 0) {
        chr->read_src = chr_add_fd_source(in_fd, chr_read_cb, chr);
    }
    chr_emit(chr, CHR_EVENT_OPENED);
}

/* Accept one pending client; false if none was pending. */
static bool chr_accept(Chardev *chr)
{
    int fd;
    int one = 1;

    do {
        fd = accept4(chr->listen_fd, NULL, NULL,
                     SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return false;
    }
    if (chr->nodelay) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    chr_drop_source(&chr->listen_src);
    chr_set_peer(chr, fd, fd);
    return true;
}

static gboolean chr_accept_cb(int fd, GIOCondition cond, gpointer opaque)
{
    chr_accept(opaque);
    return G_SOURCE_CONTINUE;
}

void qemu_chr_set_handlers(Chardev *chr, IOReadHandler *fd_read,
                           IOEventHandler *fd_event, void *opaque)
{
    if (chr->kind == CHR_KIND_MUX) {
        chr_mux_set_handlers(chr->mux, fd_read, fd_event, opaque);
        return;
    }
    chr->fd_read = fd_read;
    chr->fd_event = fd_event;
    chr->opaque = opaque;
    if (chr->connected) {
        chr_emit(chr, CHR_EVENT_OPENED);
    }
}

bool qemu_chr_is_connected(Chardev *chr)
{
    if (chr->kind == CHR_KIND_MUX) {
        chr = chr_mux_backend(chr->mux);
    }
    return chr->connected;
}

void qemu_chr_disconnect(Chardev *chr)
{
    if (chr->kind == CHR_KIND_MUX) {
        chr = chr_mux_backend(chr->mux);
    }
    if (chr->kind == CHR_KIND_SOCKET) {
        chr_close_peer(chr);
    }
}

/* ---- Creation ---- */

static Chardev *chr_alloc(const char *label, ChardevKind kind)
{
    Chardev *chr = g_new0(Chardev, 1);

    chr->label = g_strdup(label);
    chr->kind = kind;
    chr->listen_fd = -1;
    chr->in_fd = -1;
    chr->out_fd = -1;
    chr->own_out_fd = -1;
    chr->pty_slave_fd = -1;
    g_mutex_init(&chr->lock);
    chr_outbuf_init(&chr->out);
    return chr;
}

static void chr_free(Chardev *chr)
{
    if (chr->mux) {
        chr_mux_free(chr->mux);
    }
    chr_drop_source(&chr->listen_src);
    chr_drop_source(&chr->read_src);
    if ((chr->kind == CHR_KIND_SOCKET || chr->kind == CHR_KIND_PTY) &&
        chr->in_fd >= 0) {
        close(chr->in_fd);
    }
    if (chr->pty_slave_fd >= 0) {
        close(chr->pty_slave_fd);
    }
    chr_drop_source(&chr->write_src);
    chr_outbuf_destroy(&chr->out);
    if (chr->kind == CHR_KIND_FILE && chr->out_fd >= 0) {
        close(chr->out_fd);
    }
    if (chr->own_out_fd >= 0) {
        close(chr->own_out_fd);
    }
    if (chr->listen_fd >= 0) {
        close(chr->listen_fd);
    }
    if (chr->unlink_path) {
        unlink(chr->unlink_path);
    }
    g_mutex_clear(&chr->lock);
    g_free(chr->unlink_path);
    g_free(chr->desc);
    g_free(chr->label);
    g_free(chr);
}

bool chr_opt_bool(const QemuOpts *opts, const char *key, bool def,
                  bool *val, Error **errp)
{
    const char *s = qemu_opts_get(opts, key);

    *val = def;
    if (s && !parse_bool(s, val)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

static bool check_keys(const QemuOpts *opts, const char *const *allowed,
                       Error **errp)
{
    for (guint i = 0; i < opts->list->len; i++) {
        const QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!strcmp(opt->key, "backend") || !strcmp(opt->key, "id") ||
            g_strv_contains(allowed, opt->key)) {
            continue;
        }
        if (!strcmp(opt->key, "mux")) {
            continue;
        }
        error_setg(errp, "Invalid parameter '%s'", opt->key);
        return false;
    }
    return true;
}

/* Block until the first client of a wait=on server connects. */
static bool chr_wait_first_client(Chardev *chr, Error **errp)
{
    struct pollfd pfd = { .fd = chr->listen_fd, .events = POLLIN };

    info_report("waiting for connection on: disconnected:%s", chr->desc);
    for (;;) {
        pfd.revents = 0;
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            error_setg_errno(errp, errno, "waiting for a connection on %s",
                             chr->desc);
            return false;
        }
        if (qemu_shutdown_requested() != SHUTDOWN_CAUSE_NONE) {
            error_setg(errp, "interrupted while waiting for a connection "
                       "on %s", chr->desc);
            return false;
        }
        if (pfd.revents && chr_accept(chr)) {
            return true;
        }
    }
}

static bool chr_open_fd(Chardev *chr, const char *fdstr, bool server,
                        Error **errp)
{
    int64_t fd;
    struct stat st;
    int listening = 0;
    socklen_t len = sizeof(listening);

    if (!parse_int64(fdstr, &fd) || fd < 0 || fd > INT_MAX) {
        error_setg(errp, "Unable to parse FD number %s", fdstr);
        return false;
    }
    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
        error_setg(errp, "File descriptor '%s' is not a socket", fdstr);
        return false;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0) {
        listening = 0;
    }
    chr->desc = g_strdup_printf("fd:%s%s", fdstr,
                                server ? ",server=on" : "");
    if (listening) {
        chr->listen_fd = fd;
    } else {
        chr_set_peer(chr, fd, fd);
    }
    return true;
}

static bool chr_open_socket(Chardev *chr, const QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opts_get(opts, "path");
    const char *host = qemu_opts_get(opts, "host");
    const char *port = qemu_opts_get(opts, "port");
    const char *fdstr = qemu_opts_get(opts, "fd");
    const char *reconnect = qemu_opts_get(opts, "reconnect");
    bool server, wait, nowait, ipv4, ipv6, flag;
    int family = AF_UNSPEC;

    if (!chr_opt_bool(opts, "server", false, &server, errp) ||
        !chr_opt_bool(opts, "wait", true, &wait, errp) ||
        !chr_opt_bool(opts, "nowait", false, &nowait, errp) ||
        !chr_opt_bool(opts, "nodelay", false, &chr->nodelay, errp) ||
        !chr_opt_bool(opts, "ipv4", false, &ipv4, errp) ||
        !chr_opt_bool(opts, "ipv6", false, &ipv6, errp) ||
        !chr_opt_bool(opts, "tight", true, &flag, errp)) {
        return false;
    }
    wait = wait && !nowait;
    if (!chr_opt_bool(opts, "telnet", false, &flag, errp)) {
        return false;
    }
    if (!flag && !chr_opt_bool(opts, "abstract", false, &flag, errp)) {
        return false;
    }
    if (flag) {
        error_setg(errp, "chardev: socket: telnet and abstract sockets "
                   "are not supported");
        return false;
    }
    if (reconnect && strcmp(reconnect, "0") != 0) {
        error_setg(errp, "chardev: socket: 'reconnect' is not supported");
        return false;
    }
    if (!!path + !!host + !!fdstr != 1) {
        error_setg(errp, (path || host || fdstr) ?
                   "None or one of 'path', 'fd' or 'host' option required." :
                   "chardev: socket: no address given "
                   "(path=, host= and port=, or fd=)");
        return false;
    }
    if (!server && (qemu_opts_get(opts, "wait") ||
                    qemu_opts_get(opts, "nowait"))) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                   "client connect mode");
        return false;
    }
    if (fdstr) {
        if (!chr_open_fd(chr, fdstr, server, errp)) {
            return false;
        }
    } else if (path) {
        chr->desc = g_strdup_printf("unix:%s%s", path,
                                    server ? ",server=on" : "");
        if (server) {
            chr->listen_fd = qemu_unix_listen(path, errp);
            if (chr->listen_fd < 0) {
                return false;
            }
            chr->unlink_path = g_strdup(path);
        } else {
            int fd = qemu_unix_connect(path, errp);

            if (fd < 0) {
                return false;
            }
            chr_set_peer(chr, fd, fd);
        }
    } else {
        int fd;

        if (!port) {
            error_setg(errp, "chardev: socket: no port given");
            return false;
        }
        if (ipv4 != ipv6) {
            family = ipv4 ? AF_INET : AF_INET6;
        }
        chr->desc = g_strdup_printf("tcp:%s:%s%s", host, port,
                                    server ? ",server=on" : "");
        fd = qemu_inet_socket(host, port, family, server, errp);
        if (fd < 0) {
            return false;
        }
        if (server) {
            chr->listen_fd = fd;
        } else {
            int one = 1;

            if (chr->nodelay) {
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            }
            chr_set_peer(chr, fd, fd);
        }
    }
    if (chr->listen_fd < 0) {
        return true;
    }
    fcntl(chr->listen_fd, F_SETFL,
          fcntl(chr->listen_fd, F_GETFL) | O_NONBLOCK);
    if (server && wait && !chr_wait_first_client(chr, errp)) {
        return false;
    }
    if (!chr->connected) {
        chr->listen_src = chr_add_fd_source(chr->listen_fd, chr_accept_cb,
                                            chr);
    }
    return true;
}

static bool chr_open_file(Chardev *chr, const QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opts_get(opts, "path");
    bool append;
    int fd;

    if (!path) {
        error_setg(errp, "chardev: file: no filename given");
        return false;
    }
    if (!chr_opt_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
              (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    /*
     * We opened this description, so its flag is nobody else's.  Set
     * after open(), which thus still waits for a FIFO's reader, as in
     * QEMU.  A regular file ignores the flag.
     */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    chr->desc = g_strdup_printf("file:%s", path);
    chr_set_peer(chr, -1, fd);
    return true;
}

static void chr_atexit(void)
{
    gint64 deadline = g_get_monotonic_time() + CHR_EXIT_FLUSH_MS * 1000;
    GHashTableIter it;
    gpointer value;

    if (!chardevs) {
        return;
    }
    g_hash_table_iter_init(&it, chardevs);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        Chardev *chr = value;

        chr_flush_at_exit(chr, deadline);
        if (chr->unlink_path) {
            unlink(chr->unlink_path);
        }
    }
}

static void chr_register(Chardev *chr)
{
    if (!chardevs) {
        chardevs = g_hash_table_new(g_str_hash, g_str_equal);
        atexit(chr_atexit);
        /* As QEMU at start-up: a reader that went away (stdout pipe,
         * FIFO) must not kill the VMM; writes fail with EPIPE instead. */
        signal(SIGPIPE, SIG_IGN);
    }
    g_hash_table_insert(chardevs, chr->label, chr);
}

/* Open the backend @kind under @label, or NULL. */
static Chardev *chr_open(const char *label, ChardevKind kind,
                         const QemuOpts *opts, Error **errp)
{
    Chardev *chr = chr_alloc(label, kind);
    bool ok = false;

    switch (kind) {
    case CHR_KIND_SOCKET:
        ok = chr_open_socket(chr, opts, errp);
        break;
    case CHR_KIND_FILE:
        ok = chr_open_file(chr, opts, errp);
        break;
    case CHR_KIND_STDIO:
        ok = chr_open_stdio(chr, opts, errp);
        break;
    case CHR_KIND_PTY:
        ok = chr_open_pty(chr, errp);
        break;
    case CHR_KIND_NULL:
        chr->desc = g_strdup("null");
        chr_set_peer(chr, -1, -1);
        ok = true;
        break;
    case CHR_KIND_MUX:
        g_assert_not_reached();
    }
    if (!ok) {
        chr_free(chr);
        return NULL;
    }
    chr_register(chr);
    return chr;
}

Chardev *qemu_chr_new_from_opts(const QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opts_get(opts, "id");
    const char *backend = qemu_opts_get(opts, "backend");
    static const struct {
        const char *name;
        ChardevKind kind;
        const char *const *keys;
    } backends[] = {
        { "socket", CHR_KIND_SOCKET, socket_keys },
        { "file", CHR_KIND_FILE, file_keys },
        { "stdio", CHR_KIND_STDIO, chr_stdio_keys },
        { "null", CHR_KIND_NULL, null_keys },
        { "pty", CHR_KIND_PTY, pty_keys },
    };
    g_autofree char *be_label = NULL;
    Chardev *chr, *be;
    bool mux;
    guint i;

    if (!id) {
        error_setg(errp, "chardev: no id specified");
        return NULL;
    }
    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", id);
        return NULL;
    }
    for (i = 0; i < ARRAY_SIZE(backends); i++) {
        if (!strcmp(backend, backends[i].name)) {
            break;
        }
    }
    if (i == ARRAY_SIZE(backends)) {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", id);
        return NULL;
    }
    if (!check_keys(opts, backends[i].keys, errp) ||
        !chr_opt_bool(opts, "mux", false, &mux, errp)) {
        return NULL;
    }
    if (!mux) {
        return chr_open(id, backends[i].kind, opts, errp);
    }
    /* As QEMU: the backend is "ID-base", the multiplexer "ID". */
    be_label = g_strdup_printf("%s-base", id);
    if (qemu_chr_find(be_label)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", be_label);
        return NULL;
    }
    be = chr_open(be_label, backends[i].kind, opts, errp);
    if (!be) {
        return NULL;
    }
    chr = chr_alloc(id, CHR_KIND_MUX);
    chr->desc = g_strdup_printf("mux:%s", be->desc);
    chr_mux_new(chr, be);
    chr_register(chr);
    return chr;
}

/* "k=v,flag,..." after a legacy address; a bare flag means flag=on. */
static void legacy_add_flags(QemuOpts *opts, const char *flags)
{
    g_auto(GStrv) items = g_strsplit(flags, ",", -1);

    for (int i = 0; items[i]; i++) {
        char *eq = strchr(items[i], '=');

        if (!*items[i]) {
            continue;
        }
        if (eq) {
            *eq = '\0';
            qemu_opts_set(opts, items[i], eq + 1);
        } else {
            qemu_opts_set(opts, items[i], "on");
        }
    }
}

Chardev *qemu_chr_new_legacy(const char *label, const char *spec,
                             Error **errp)
{
    g_autoptr(QemuOpts) opts = NULL;
    const char *rest;
    g_autofree char *addr = NULL;
    const char *comma;
    bool mux = g_str_has_prefix(spec, "mon:");

    if (mux) {
        spec += strlen("mon:");
    }
    if (g_str_has_prefix(spec, "chardev:")) {
        Chardev *chr = qemu_chr_find(spec + strlen("chardev:"));

        if (!chr) {
            error_setg(errp, "chardev \"%s\" not found",
                       spec + strlen("chardev:"));
        }
        return chr;
    }
    opts = qemu_opts_new();
    qemu_opts_set(opts, "id", label);
    if (mux) {
        qemu_opts_set(opts, "mux", "on");
        /* As QEMU: with the monitor on stdio, Ctrl-C goes to the guest
         * (C-a x ends the VMM), which is what -nographic users expect. */
        if (!strcmp(spec, "stdio")) {
            qemu_opts_set(opts, "signal", "off");
        }
    }
    if (!strcmp(spec, "null") || !strcmp(spec, "stdio")) {
        qemu_opts_set(opts, "backend", spec);
        return qemu_chr_new_from_opts(opts, errp);
    }
    if (g_str_has_prefix(spec, "file:")) {
        qemu_opts_set(opts, "backend", "file");
        qemu_opts_set(opts, "path", spec + strlen("file:"));
        return qemu_chr_new_from_opts(opts, errp);
    }
    if (g_str_has_prefix(spec, "unix:")) {
        rest = spec + strlen("unix:");
    } else if (g_str_has_prefix(spec, "tcp:")) {
        rest = spec + strlen("tcp:");
    } else {
        error_setg(errp, "'%s' is not a valid char driver", spec);
        return NULL;
    }
    comma = strchr(rest, ',');
    addr = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);
    qemu_opts_set(opts, "backend", "socket");
    if (spec[0] == 'u') {
        qemu_opts_set(opts, "path", addr);
    } else {
        char *colon = strrchr(addr, ':');
        char *host = addr;

        if (!colon) {
            error_setg(errp, "'%s': expected tcp:HOST:PORT", spec);
            return NULL;
        }
        *colon = '\0';
        if (host[0] == '[' && colon > host && colon[-1] == ']') {
            colon[-1] = '\0';
            host++;
        }
        qemu_opts_set(opts, "host", host);
        qemu_opts_set(opts, "port", colon + 1);
    }
    if (comma) {
        legacy_add_flags(opts, comma + 1);
    }
    return qemu_chr_new_from_opts(opts, errp);
}

void qemu_chr_cleanup(void)
{
    GHashTable *all = chardevs;
    GHashTableIter it;
    gpointer value;

    if (!all) {
        return;
    }
    chardevs = NULL;
    g_hash_table_iter_init(&it, all);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        chr_free(value);
    }
    g_hash_table_destroy(all);
    chr_stdio_reset();
}
