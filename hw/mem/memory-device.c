/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Slots and address ranges of the device-memory window, with QEMU 7.2's
 * rules and messages (hw/mem/memory-device.c, hw/mem/pc-dimm.c there).
 */
#include "qemu/osdep.h"
#include "hw/mem/memory-device.h"

typedef struct PluggedDevice {
    void *dev;
    uint64_t addr;
    uint64_t size;
    MemoryDeviceFillInfo fill_info;
} PluggedDevice;

typedef struct ClaimedRange {
    uint64_t addr;
    uint64_t size;
    char *owner;
} ClaimedRange;

static uint64_t window_base;
static uint64_t window_size;
static uint32_t window_slots;
static uint64_t window_max_plugged;
static GArray *slot_used;           /* gboolean per slot */
static GPtrArray *plugged;          /* PluggedDevice*, plug order */
static GPtrArray *ranges;           /* ClaimedRange*, sorted by addr */
static uint64_t base_memory;

void memory_device_window_init(uint64_t base, uint64_t size, uint32_t slots,
                               uint64_t max_plugged)
{
    window_base = base;
    window_size = size;
    window_slots = slots;
    window_max_plugged = max_plugged;
    slot_used = g_array_new(FALSE, TRUE, sizeof(gboolean));
    g_array_set_size(slot_used, slots);
    plugged = g_ptr_array_new_with_free_func(g_free);
    ranges = g_ptr_array_new();
}

void memory_device_set_base_memory(uint64_t bytes)
{
    base_memory = bytes;
}

uint64_t memory_device_base_memory(void)
{
    return base_memory;
}

static uint64_t used_region_size(void)
{
    uint64_t used = 0;
    int i;

    for (i = 0; ranges && i < ranges->len; i++) {
        used += ((ClaimedRange *)g_ptr_array_index(ranges, i))->size;
    }
    return used;
}

uint64_t memory_device_plugged_memory(void)
{
    uint64_t sum = 0;
    int i;

    for (i = 0; plugged && i < plugged->len; i++) {
        sum += ((PluggedDevice *)g_ptr_array_index(plugged, i))->size;
    }
    return sum;
}

bool memory_device_claim_slot(int64_t *slot, Error **errp)
{
    uint32_t i;

    if (!window_slots) {
        error_setg(errp, "no slots where allocated, please specify "
                   "the 'slots' option");
        return false;
    }
    if (*slot >= 0 || *slot < -1) {
        if (*slot < 0 || *slot >= window_slots) {
            error_setg(errp, "invalid slot number %" PRId64 ", valid range "
                       "is [0-%u]", *slot, window_slots - 1);
            return false;
        }
        if (g_array_index(slot_used, gboolean, *slot)) {
            error_setg(errp, "slot %" PRId64 " is busy", *slot);
            return false;
        }
    } else {
        for (i = 0; i < window_slots; i++) {
            if (!g_array_index(slot_used, gboolean, i)) {
                break;
            }
        }
        if (i == window_slots) {
            error_setg(errp, "no free slots available");
            return false;
        }
        *slot = i;
    }
    g_array_index(slot_used, gboolean, *slot) = TRUE;
    return true;
}

void memory_device_release_slot(int64_t slot)
{
    if (slot >= 0 && slot < window_slots) {
        g_array_index(slot_used, gboolean, slot) = FALSE;
    }
}

static gint range_cmp(gconstpointer a, gconstpointer b)
{
    const ClaimedRange *ra = *(ClaimedRange * const *)a;
    const ClaimedRange *rb = *(ClaimedRange * const *)b;

    return ra->addr < rb->addr ? -1 : ra->addr > rb->addr;
}

bool memory_device_check_enabled(Error **errp)
{
    if (!window_size) {
        error_setg(errp, "memory devices (e.g. for memory hotplug) are not "
                   "enabled, please specify the maxmem option");
        return false;
    }
    return true;
}

bool memory_device_claim_range(uint64_t *addr, uint64_t size, uint64_t align,
                               const char *devname, Error **errp)
{
    uint64_t used = used_region_size();
    uint64_t new_addr;
    ClaimedRange *r;
    int i;

    if (!size) {
        error_setg(errp, "memory device size must not be 0");
        return false;
    }
    if (used + size < used || used + size > window_max_plugged) {
        error_setg(errp, "not enough space, currently 0x%" PRIx64
                   " in use of total space for memory devices 0x%" PRIx64,
                   used, window_max_plugged);
        return false;
    }
    if (!window_size) {
        error_setg(errp, "memory devices (e.g. for memory hotplug) are not "
                   "enabled, please specify the maxmem option");
        return false;
    }
    if (!QEMU_IS_ALIGNED(window_base, align)) {
        warn_report("the alignment (0x%" PRIx64 ") exceeds the expected "
                    "maximum alignment, memory will get fragmented and not "
                    "all 'maxmem' might be usable for memory devices.",
                    align);
    }
    if (*addr && !QEMU_IS_ALIGNED(*addr, align)) {
        error_setg(errp, "address must be aligned to 0x%" PRIx64 " bytes",
                   align);
        return false;
    }
    if (!QEMU_IS_ALIGNED(size, align)) {
        error_setg(errp, "backend memory size must be multiple of 0x%"
                   PRIx64, align);
        return false;
    }
    if (*addr) {
        if (*addr < window_base || *addr + size < *addr ||
            *addr + size > window_base + window_size) {
            error_setg(errp, "can't add memory device [0x%" PRIx64 ":0x%"
                       PRIx64 "], usable range for memory devices [0x%"
                       PRIx64 ":0x%" PRIx64 "]", *addr, size, window_base,
                       window_size);
            return false;
        }
        new_addr = *addr;
    } else {
        new_addr = QEMU_ALIGN_UP(window_base, align);
        if (new_addr + size < new_addr) {
            error_setg(errp, "can't add memory device, device too big");
            return false;
        }
    }
    /* First fit, in address order. */
    for (i = 0; i < ranges->len; i++) {
        ClaimedRange *c = g_ptr_array_index(ranges, i);
        bool overlap = new_addr < c->addr + c->size &&
                       c->addr < new_addr + size;
        if (overlap) {
            if (*addr) {
                error_setg(errp, "address range conflicts with memory "
                           "device id='%s'", c->owner ? c->owner :
                           "(unnamed)");
                return false;
            }
            new_addr = QEMU_ALIGN_UP(c->addr + c->size, align);
            if (!new_addr || new_addr + size < new_addr) {
                new_addr = 0;
                break;
            }
        } else if (c->addr >= new_addr + size) {
            break;
        }
    }
    if (!new_addr || new_addr < window_base ||
        new_addr + size > window_base + window_size) {
        error_setg(errp, "could not find position in guest address space "
                   "for memory device - memory fragmented due to "
                   "alignments");
        return false;
    }
    r = g_new0(ClaimedRange, 1);
    r->addr = new_addr;
    r->size = size;
    r->owner = g_strdup(devname);
    g_ptr_array_add(ranges, r);
    g_ptr_array_sort(ranges, range_cmp);
    *addr = new_addr;
    return true;
}

void memory_device_release_range(uint64_t addr, uint64_t size)
{
    int i;

    for (i = 0; ranges && i < ranges->len; i++) {
        ClaimedRange *c = g_ptr_array_index(ranges, i);
        if (c->addr == addr && c->size == size) {
            g_ptr_array_remove_index(ranges, i);
            g_free(c->owner);
            g_free(c);
            return;
        }
    }
}

void memory_device_plug(void *dev, uint64_t addr, uint64_t size,
                        MemoryDeviceFillInfo fill_info)
{
    PluggedDevice *p = g_new0(PluggedDevice, 1);

    p->dev = dev;
    p->addr = addr;
    p->size = size;
    p->fill_info = fill_info;
    g_ptr_array_add(plugged, p);
}

void memory_device_unplug(void *dev)
{
    int i;

    for (i = 0; plugged && i < plugged->len; i++) {
        PluggedDevice *p = g_ptr_array_index(plugged, i);
        if (p->dev == dev) {
            g_ptr_array_remove_index(plugged, i);
            return;
        }
    }
}

static gint info_addr_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryDeviceInfo *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

GArray *memory_device_info_list(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(MemoryDeviceInfo));
    int i;

    for (i = 0; plugged && i < plugged->len; i++) {
        PluggedDevice *p = g_ptr_array_index(plugged, i);
        MemoryDeviceInfo info = { .slot = -1 };
        p->fill_info(p->dev, &info);
        g_array_append_val(list, info);
    }
    /* QEMU lists them by address (query-memory-devices). */
    g_array_sort(list, info_addr_cmp);
    return list;
}
