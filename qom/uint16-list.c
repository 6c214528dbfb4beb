/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values of a uint16 list property (host-nodes), as QEMU takes them.
 *
 * From key=value text each occurrence of the key is one item, "N" or a
 * range "N-M" (numbers in C notation: 0x10 and 010 too), and repeated
 * keys add up: host-nodes=0-1,host-nodes=3 is [0, 1, 3].  From JSON the
 * value is the array, already checked to hold integers ("N,N,...").  The
 * stored text is the set of values, ascending and without repeats, which
 * is what QEMU reports back (it keeps them as a bitmap).
 */
#include "qemu/osdep.h"
#include "qom/object.h"

#define UINT16_LIST_VALUES (UINT16_MAX + 1)

static bool parse_item(const char *s, const char **end, uint64_t *v)
{
    char *e;

    if (!g_ascii_isdigit(*s)) {
        return false;
    }
    errno = 0;
    *v = g_ascii_strtoull(s, &e, 0);
    if (errno || e == s) {
        return false;
    }
    *end = e;
    return true;
}

/* Mark the items of @text (comma-separated "N" or "N-M") in @set. */
static bool mark_items(const char *name, const char *text, bool ranges,
                       uint8_t *set, Error **errp)
{
    const char *s = text, *end;
    uint64_t lo, hi;

    for (;;) {
        if (!parse_item(s, &end, &lo)) {
            goto bad;
        }
        hi = lo;
        if (ranges && *end == '-') {
            if (!parse_item(end + 1, &end, &hi) || hi < lo) {
                goto bad;
            }
        }
        if (hi > UINT16_MAX) {
            /* QEMU's visitor names the item of a list 'null' */
            error_setg(errp, "Parameter 'null' expects uint16_t");
            return false;
        }
        for (uint64_t v = lo; v <= hi; v++) {
            set[v] = 1;
        }
        if (*end == '\0') {
            return true;
        }
        if (*end != ',') {
            goto bad;
        }
        s = end + 1;
    }
bad:
    error_setg(errp, "Parameter '%s' expects a uint64 value or range", name);
    return false;
}

char *uint16_list_merge(const char *name, const char *old, const char *value,
                        bool keyval, Error **errp)
{
    g_autofree uint8_t *set = g_new0(uint8_t, UINT16_LIST_VALUES);
    GString *out = g_string_new(NULL);

    if (keyval && old && *old && !mark_items(name, old, false, set, errp)) {
        goto fail;
    }
    /* An empty JSON array is an empty list; empty key=value text is not. */
    if ((keyval || *value) && !mark_items(name, value, keyval, set, errp)) {
        goto fail;
    }
    for (unsigned v = 0; v < UINT16_LIST_VALUES; v++) {
        if (set[v]) {
            g_string_append_printf(out, "%s%u", out->len ? "," : "", v);
        }
    }
    return g_string_free(out, false);
fail:
    g_string_free(out, true);
    return NULL;
}
