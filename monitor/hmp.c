/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor on a chardev: see include/monitor/hmp.h.
 *
 * The echo is QEMU's readline redraw, so that a client that compares
 * bytes sees what QEMU 7.2 sends: after each change the cursor goes back
 * over what was shown ("ESC [ D" each), the whole line is written again,
 * and the rest of the screen line is cleared ("ESC [ K").  Enter ("\r" or
 * "\n", each one) sends "\r\n" and runs the line.  Backspace (DEL or ^H)
 * removes the last character; other control characters and escape
 * sequences (cursor keys) are ignored.
 *
 * On a multiplexed chardev (-serial mon:stdio) the monitor follows QEMU:
 * the banner waits until the monitor first has the focus (C-a c), losing
 * the focus prints a newline, and getting it back shows the prompt.
 */
#include "qemu/osdep.h"

#include "config-host.h"
#include "monitor/hmp.h"
#include "monitor/monitor-internal.h"
#include "hmp-internal.h"
#include "sysemu/runstate.h"

/* QEMU's READLINE_CMD_BUF_SIZE - 1: longer input is dropped. */
#define HMP_LINE_MAX    4095

#define KEY_BS          8
#define KEY_LF          10
#define KEY_CR          13
#define KEY_ESC         27
#define KEY_DEL         127

typedef enum HmpEscState {
    HMP_ESC_NONE,
    HMP_ESC_ESC,                /* after ESC */
    HMP_ESC_CSI,                /* after ESC [ : until the final byte */
    HMP_ESC_SS3,                /* after ESC O : one more byte */
} HmpEscState;

typedef struct MonitorHMP {
    Monitor common;             /* first: a MonitorHMP is a Monitor */
    GString *line;              /* what is typed so far */
    size_t shown;               /* characters of it the echo shows */
    HmpEscState esc;
    bool reset_seen;            /* the banner went out for this peer */
    bool suspended;             /* after quit: no prompt, no input */
} MonitorHMP;

static void hmp_show_prompt(MonitorHMP *mon)
{
    g_string_truncate(mon->line, 0);
    mon->shown = 0;
    monitor_puts(&mon->common, HMP_PROMPT);
}

/* QEMU's readline_update() for a cursor that stays at the end. */
static void hmp_redraw(MonitorHMP *mon)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (size_t i = 0; i < mon->shown; i++) {
        g_string_append(out, "\033[D");
    }
    g_string_append_len(out, mon->line->str, mon->line->len);
    g_string_append(out, "\033[K");
    mon->shown = mon->line->len;
    monitor_puts(&mon->common, out->str);
}

static void hmp_enter(MonitorHMP *mon)
{
    g_autofree char *line = g_strdup(mon->line->str);

    monitor_puts(&mon->common, "\n");
    g_string_truncate(mon->line, 0);
    mon->shown = 0;
    mon->suspended = hmp_handle_command(&mon->common, line);
    /* A reset or powerdown it asked for happens before the next prompt. */
    qemu_handle_pending_requests();
    if (!mon->suspended) {
        hmp_show_prompt(mon);
    }
}

static void hmp_handle_byte(MonitorHMP *mon, uint8_t ch)
{
    switch (mon->esc) {
    case HMP_ESC_ESC:
        mon->esc = ch == '[' ? HMP_ESC_CSI :
                   ch == 'O' ? HMP_ESC_SS3 : HMP_ESC_NONE;
        return;
    case HMP_ESC_CSI:
        if (ch < '0' || ch > '9') {
            mon->esc = HMP_ESC_NONE;
        }
        return;
    case HMP_ESC_SS3:
        mon->esc = HMP_ESC_NONE;
        return;
    case HMP_ESC_NONE:
        break;
    }
    switch (ch) {
    case KEY_ESC:
        mon->esc = HMP_ESC_ESC;
        break;
    case KEY_CR:
    case KEY_LF:
        hmp_enter(mon);
        break;
    case KEY_BS:
    case KEY_DEL:
        if (mon->line->len) {
            g_string_truncate(mon->line, mon->line->len - 1);
            hmp_redraw(mon);
        }
        break;
    default:
        if (ch >= ' ' && mon->line->len < HMP_LINE_MAX) {
            g_string_append_c(mon->line, ch);
            hmp_redraw(mon);
        }
        break;
    }
}

static void hmp_read(void *opaque, const uint8_t *buf, size_t len)
{
    MonitorHMP *mon = opaque;

    for (size_t i = 0; i < len && !mon->suspended; i++) {
        hmp_handle_byte(mon, buf[i]);
    }
}

static void hmp_event(void *opaque, QEMUChrEvent event)
{
    MonitorHMP *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        monitor_printf(&mon->common, HMP_BANNER_FMT, PMEMVM_VERSION,
                       QEMU_COMPAT_VERSION);
        mon->esc = HMP_ESC_NONE;
        if (!mon->common.out_held) {
            hmp_show_prompt(mon);
        }
        mon->reset_seen = true;
        break;
    case CHR_EVENT_CLOSED:
        g_string_truncate(mon->line, 0);
        mon->shown = 0;
        break;
    case CHR_EVENT_MUX_IN:
        mon->common.out_held = false;
        if (mon->reset_seen) {
            monitor_flush_held(&mon->common);
            if (!mon->suspended) {
                hmp_show_prompt(mon);
            }
        }
        break;
    case CHR_EVENT_MUX_OUT:
        if (mon->reset_seen && !mon->common.out_held && !mon->suspended) {
            monitor_puts(&mon->common, "\n");
        }
        mon->common.out_held = true;
        break;
    }
}

bool monitor_init_hmp(Chardev *chr, Error **errp)
{
    MonitorHMP *mon = g_new0(MonitorHMP, 1);

    mon->common.chr = chr;
    mon->line = g_string_new(NULL);
    qmp_table_ensure();
    monitor_list_append(&mon->common);
    qemu_chr_set_handlers(chr, hmp_read, hmp_event, mon);
    return true;
}

char *hmp_run_command_line(const char *line)
{
    Monitor mon = { .out = g_string_new(NULL) };

    hmp_handle_command(&mon, line);
    return g_string_free(mon.out, FALSE);
}
