/*
 * What util/chardev.c (creation, peers, input) and util/chardev-write.c
 * (output) share.  Not for use outside util/chardev*.c.
 */
#ifndef UTIL_CHARDEV_INTERNAL_H
#define UTIL_CHARDEV_INTERNAL_H

#include "chardev/char.h"
#include "chardev/char-outbuf.h"

/*
 * Output bounds (char.h): qemu_chr_write() drops a write that would leave
 * more than CHR_OUT_DROP_BYTES queued; input is not read while more than
 * CHR_IN_PAUSE_BYTES are queued, and is read again once the queue is
 * empty.  Dropping starts no later than pausing, so a console whose peer
 * does not read still takes the input typed into it.
 */
#define CHR_OUT_DROP_BYTES (64 * KiB)
#define CHR_IN_PAUSE_BYTES (64 * KiB)
static_assert(CHR_OUT_DROP_BYTES <= CHR_IN_PAUSE_BYTES,
              "a console must drop output before it stops reading input");
/* At exit, queued output has this long (all chardevs together) to go. */
#define CHR_EXIT_FLUSH_MS 500

typedef enum ChardevKind {
    CHR_KIND_NULL,
    CHR_KIND_STDIO,
    CHR_KIND_FILE,
    CHR_KIND_SOCKET,
    CHR_KIND_PTY,
    CHR_KIND_MUX,
} ChardevKind;

typedef struct ChrMux ChrMux;

struct Chardev {
    char *label;
    char *desc;
    ChardevKind kind;
    bool nodelay;
    ChrMux *mux;                /* CHR_KIND_MUX: see chardev-mux.c */

    /* Main thread only. */
    int listen_fd;
    GSource *listen_src;
    GSource *read_src;
    IOReadHandler *fd_read;
    IOEventHandler *fd_event;
    void *opaque;
    bool connected;
    bool input_paused;          /* read_src dropped until output drains */
    char *unlink_path;          /* unix server socket we created */
    int own_out_fd;             /* stdio: our non-blocking stdout, or -1 */
    int pty_slave_fd;           /* pty: our own slave fd (chardev-pty.c) */

    /* The fds writers use; changed by the main thread under @lock. */
    GMutex lock;
    int in_fd;
    int out_fd;
    /* Under @lock. */
    bool out_socket;            /* out_fd takes send(MSG_DONTWAIT) */
    bool out_broken;            /* the peer is gone; main loop to close */
    ChrOutBuf out;
    GSource *write_src;         /* G_IO_OUT on out_fd while out is queued */
};

/* chardev.c */
void chr_drop_source(GSource **src);
/* The peer's fds (-1: none); tells the frontend it is there. */
void chr_set_peer(Chardev *chr, int in_fd, int out_fd);
/* Option @key as on/off (default @def), with QEMU's message. */
bool chr_opt_bool(const QemuOpts *opts, const char *key, bool def,
                  bool *val, Error **errp);

/* chardev-stdio.c */
extern const char *const chr_stdio_keys[];
bool chr_open_stdio(Chardev *chr, const QemuOpts *opts, Error **errp);
/* stdio may be opened again (qemu_chr_cleanup()). */
void chr_stdio_reset(void);
/* Main thread: forget the peer (see chardev.c). */
void chr_close_peer(Chardev *chr);
/* Main thread: pause or resume reading the peer by the output queued. */
void chr_update_input(Chardev *chr);


/* chardev-pty.c: a pseudo-terminal whose path query-chardev reports. */
bool chr_open_pty(Chardev *chr, Error **errp);
/* chardev-mux.c: a multiplexer's state, made by chr_mux_new(). */
ChrMux *chr_mux_new(Chardev *chr, Chardev *be);
void chr_mux_free(ChrMux *mux);
Chardev *chr_mux_backend(const ChrMux *mux);
void chr_mux_set_handlers(ChrMux *mux, IOReadHandler *fd_read,
                          IOEventHandler *fd_event, void *opaque);

/* chardev-write.c */
/* At exit: give queued output a last chance, until @deadline. */
void chr_flush_at_exit(Chardev *chr, gint64 deadline);

#endif
