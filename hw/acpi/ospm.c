/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's _OST records: see include/hw/acpi/ospm.h.
 */
#include "qemu/osdep.h"
#include "hw/acpi/ospm.h"

struct AcpiOspmStatus {
    GMutex lock;
    GArray *records;            /* AcpiOstInfo, sorted */
};

static void (*ospm_listener)(const AcpiOstInfo *info);

void acpi_ospm_set_listener(void (*fn)(const AcpiOstInfo *info))
{
    ospm_listener = fn;
}

void acpi_ost_info_clear(AcpiOstInfo *info)
{
    g_free(info->device);
    g_free(info->slot);
    g_free(info->slot_type);
    *info = (AcpiOstInfo) { 0 };
}

static void clear_element(gpointer p)
{
    acpi_ost_info_clear(p);
}

static void copy_info(AcpiOstInfo *to, const AcpiOstInfo *from)
{
    to->device = g_strdup(from->device);
    to->slot = g_strdup(from->slot);
    to->slot_type = g_strdup(from->slot_type);
    to->source = from->source;
    to->status = from->status;
}

AcpiOspmStatus *acpi_ospm_new(void)
{
    AcpiOspmStatus *s = g_new0(AcpiOspmStatus, 1);

    g_mutex_init(&s->lock);
    s->records = g_array_new(FALSE, TRUE, sizeof(AcpiOstInfo));
    g_array_set_clear_func(s->records, clear_element);
    return s;
}

void acpi_ospm_free(AcpiOspmStatus *s)
{
    if (s) {
        g_array_unref(s->records);
        g_mutex_clear(&s->lock);
        g_free(s);
    }
}

/* Slot types by name, slots by number ("10" after "9"), then as text. */
static gint compare_slots(const AcpiOstInfo *a, const AcpiOstInfo *b)
{
    gint c = g_strcmp0(a->slot_type, b->slot_type);
    guint64 na, nb;

    if (c) {
        return c;
    }
    na = g_ascii_strtoull(a->slot ? a->slot : "", NULL, 10);
    nb = g_ascii_strtoull(b->slot ? b->slot : "", NULL, 10);
    if (na != nb) {
        return na < nb ? -1 : 1;
    }
    return g_strcmp0(a->slot, b->slot);
}

void acpi_ospm_record(AcpiOspmStatus *s, const AcpiOstInfo *info)
{
    AcpiOstInfo rec = { 0 };
    guint i;

    copy_info(&rec, info);
    g_mutex_lock(&s->lock);
    for (i = 0; i < s->records->len; i++) {
        gint c = compare_slots(&g_array_index(s->records, AcpiOstInfo, i),
                               &rec);

        if (c == 0) {
            g_array_remove_index(s->records, i);
            break;
        }
        if (c > 0) {
            break;
        }
    }
    g_array_insert_val(s->records, i, rec);
    g_mutex_unlock(&s->lock);
    if (ospm_listener) {
        ospm_listener(info);
    }
}

GArray *acpi_ospm_list(AcpiOspmStatus *s)
{
    GArray *copy = g_array_new(FALSE, TRUE, sizeof(AcpiOstInfo));

    g_array_set_clear_func(copy, clear_element);
    g_mutex_lock(&s->lock);
    for (guint i = 0; i < s->records->len; i++) {
        AcpiOstInfo rec = { 0 };

        copy_info(&rec, &g_array_index(s->records, AcpiOstInfo, i));
        g_array_append_val(copy, rec);
    }
    g_mutex_unlock(&s->lock);
    return copy;
}
