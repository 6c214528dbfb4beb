/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSPM status store: see include/hw/acpi/ospm.h.
 */
#include "qemu/osdep.h"
#include "hw/acpi/ospm.h"

static GPtrArray *reports;          /* AcpiOstInfo* */
static AcpiOstListener listener;

static void ost_info_free(gpointer p)
{
    AcpiOstInfo *info = p;

    g_free(info->device);
    g_free(info->slot);
    g_free(info);
}

void acpi_ost_set_listener(AcpiOstListener fn)
{
    listener = fn;
}

GPtrArray *acpi_ost_list(void)
{
    if (!reports) {
        reports = g_ptr_array_new_with_free_func(ost_info_free);
    }
    return reports;
}

void acpi_ost_report(const char *slot_type, const char *slot,
                     const char *device, uint32_t source, uint32_t status)
{
    GPtrArray *list = acpi_ost_list();
    AcpiOstInfo *info = NULL;
    guint i;

    for (i = 0; i < list->len; i++) {
        AcpiOstInfo *o = g_ptr_array_index(list, i);

        if (!strcmp(o->slot_type, slot_type) && !strcmp(o->slot, slot)) {
            info = o;
            break;
        }
    }
    if (!info) {
        info = g_new0(AcpiOstInfo, 1);
        info->slot = g_strdup(slot);
        info->slot_type = slot_type;
        g_ptr_array_add(list, info);
    }
    g_free(info->device);
    info->device = g_strdup(device);
    info->source = source;
    info->status = status;
    if (listener) {
        listener(info);
    }
}
