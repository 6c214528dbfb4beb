/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A multiplexer: several frontends (the serial port and a human monitor,
 * as "-serial mon:stdio" or "-chardev ...,mux=on" makes) share one
 * backend chardev.  Output from every frontend goes to the backend; input
 * goes to the frontend that has the focus.  The escape character Ctrl-A
 * starts a command (QEMU's keys):
 *
 *   C-a c    give the focus to the next frontend (console <-> monitor)
 *   C-a x    end pmemvm (a clean shutdown)
 *   C-a h    (or C-a ?) print the keys
 *   C-a C-a  send a C-a to the frontend
 *
 * Any other key after C-a is dropped.  The frontend that attaches last
 * takes the focus (the serial port, attached after the monitor), and a
 * frontend hears CHR_EVENT_MUX_IN / CHR_EVENT_MUX_OUT when it gains or
 * loses it.  CHR_EVENT_OPENED reaches every frontend once the main loop
 * runs (all frontends attached by then), or when the backend's peer
 * connects later; CHR_EVENT_CLOSED when it goes.
 *
 * Main thread only, except writes (see char.h), which go straight to the
 * backend.
 */
#include "qemu/osdep.h"

#include "chardev-internal.h"
#include "sysemu/runstate.h"

#define MUX_MAX_FRONTENDS   4
#define MUX_ESCAPE_CHAR     0x01        /* Ctrl-A */

typedef struct MuxFrontend {
    IOReadHandler *fd_read;
    IOEventHandler *fd_event;
    void *opaque;
    bool opened;                /* has had CHR_EVENT_OPENED */
} MuxFrontend;

struct ChrMux {
    Chardev *be;
    MuxFrontend fe[MUX_MAX_FRONTENDS];
    int count;
    int focus;                  /* -1 before the first frontend */
    bool got_escape;
    guint open_src;             /* idle source sending OPENED, or 0 */
};

static void mux_send_event(ChrMux *mux, int i, QEMUChrEvent event)
{
    if (i >= 0 && i < mux->count && mux->fe[i].fd_event) {
        mux->fe[i].fd_event(mux->fe[i].opaque, event);
    }
}

static void mux_set_focus(ChrMux *mux, int focus)
{
    mux_send_event(mux, mux->focus, CHR_EVENT_MUX_OUT);
    mux->focus = focus;
    mux_send_event(mux, mux->focus, CHR_EVENT_MUX_IN);
}

/* OPENED to each frontend that has not had it, while the peer is there. */
static void mux_open_frontends(ChrMux *mux)
{
    for (int i = 0; i < mux->count && mux->be->connected; i++) {
        if (!mux->fe[i].opened) {
            mux->fe[i].opened = true;
            mux_send_event(mux, i, CHR_EVENT_OPENED);
        }
    }
}

static gboolean mux_open_idle(gpointer opaque)
{
    ChrMux *mux = opaque;

    mux->open_src = 0;
    mux_open_frontends(mux);
    return G_SOURCE_REMOVE;
}

static void mux_print_help(ChrMux *mux)
{
    static const char help[] =
        "\n\r"
        "C-a h    print this help\n\r"
        "C-a x    exit pmemvm\n\r"
        "C-a c    switch between console and monitor\n\r"
        "C-a C-a  sends C-a\n\r";

    qemu_chr_write_all(mux->be, help, strlen(help));
}

/* One byte of input: true if it goes to the focused frontend. */
static bool mux_proc_byte(ChrMux *mux, uint8_t ch)
{
    static const char bye[] = "pmemvm: Terminated\n\r";

    if (!mux->got_escape) {
        if (ch == MUX_ESCAPE_CHAR) {
            mux->got_escape = true;
            return false;
        }
        return true;
    }
    mux->got_escape = false;
    switch (ch) {
    case MUX_ESCAPE_CHAR:
        return true;
    case 'h':
    case '?':
        mux_print_help(mux);
        break;
    case 'x':
        qemu_chr_write_all(mux->be, bye, strlen(bye));
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
        break;
    case 'c':
        if (mux->count) {
            mux_set_focus(mux, (mux->focus + 1) % mux->count);
        }
        break;
    default:
        break;
    }
    return false;
}

static void mux_deliver(ChrMux *mux, int focus, const uint8_t *buf,
                        size_t len)
{
    MuxFrontend *fe = focus >= 0 ? &mux->fe[focus] : NULL;

    if (fe && fe->fd_read && len) {
        fe->fd_read(fe->opaque, buf, len);
    }
}

/* The backend's input: runs of bytes for the focus, escapes handled. */
static void mux_read(void *opaque, const uint8_t *buf, size_t len)
{
    ChrMux *mux = opaque;
    size_t start = 0;

    for (size_t i = 0; i < len; i++) {
        int focus = mux->focus;

        if (!mux_proc_byte(mux, buf[i])) {
            /* the bytes before it were for the focus of their time */
            mux_deliver(mux, focus, buf + start, i - start);
            start = i + 1;
        }
    }
    mux_deliver(mux, mux->focus, buf + start, len - start);
}

static void mux_event(void *opaque, QEMUChrEvent event)
{
    ChrMux *mux = opaque;

    if (event == CHR_EVENT_OPENED) {
        /* Frontends attached before the main loop hear it from there. */
        if (!mux->open_src) {
            mux_open_frontends(mux);
        }
        return;
    }
    for (int i = 0; i < mux->count; i++) {
        mux->fe[i].opened = false;
        mux_send_event(mux, i, event);
    }
}

ChrMux *chr_mux_new(Chardev *chr, Chardev *be)
{
    ChrMux *mux = g_new0(ChrMux, 1);

    mux->be = be;
    mux->focus = -1;
    chr->mux = mux;
    qemu_chr_set_handlers(be, mux_read, mux_event, mux);
    return mux;
}

void chr_mux_free(ChrMux *mux)
{
    if (mux->open_src) {
        g_source_remove(mux->open_src);
    }
    g_free(mux);
}

Chardev *chr_mux_backend(const ChrMux *mux)
{
    return mux->be;
}

void chr_mux_set_handlers(ChrMux *mux, IOReadHandler *fd_read,
                          IOEventHandler *fd_event, void *opaque)
{
    int i;

    for (i = 0; i < mux->count; i++) {
        if (mux->fe[i].opaque == opaque) {
            break;
        }
    }
    if (i == mux->count) {
        if (!fd_read && !fd_event) {
            return;
        }
        if (mux->count == MUX_MAX_FRONTENDS) {
            warn_report("chardev '%s': more than %d frontends; the extra "
                        "one gets no input", qemu_chr_label(mux->be),
                        MUX_MAX_FRONTENDS);
            return;
        }
        mux->count++;
    }
    mux->fe[i] = (MuxFrontend) {
        .fd_read = fd_read, .fd_event = fd_event, .opaque = opaque,
    };
    mux_set_focus(mux, i);
    if (mux->be->connected && !mux->open_src) {
        mux->open_src = g_idle_add_full(G_PRIORITY_HIGH, mux_open_idle, mux,
                                        NULL);
    }
}
