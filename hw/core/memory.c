/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest-physical address space, MMIO and I/O port dispatch.
 *
 * Tables are small sorted arrays behind a read-write lock: vCPU threads
 * and the qtest/monitor thread read them; plug and unplug write them.
 */
#include "qemu/osdep.h"
#include "hw/core/memory.h"
#include "qemu/guarded-mem.h"

#include <signal.h>

typedef struct MMIORegion {
    char *name;
    uint64_t gpa;
    uint64_t size;
    const MMIOOps *ops;
    void *opaque;
} MMIORegion;

typedef struct IOPortRange {
    char *name;
    uint16_t base;
    uint16_t len;
    const IOPortOps *ops;
    void *opaque;
} IOPortRange;

static GRWLock lock;
static GPtrArray *ram_regions;      /* GuestRamRegion*, sorted by gpa */
static GPtrArray *mmio_regions;     /* MMIORegion*, sorted by gpa */
static GPtrArray *ioport_ranges;    /* IOPortRange* */
static GuestRamListener ram_listener;

static void tables_init(void)
{
    if (!ram_regions) {
        ram_regions = g_ptr_array_new();
        mmio_regions = g_ptr_array_new();
        ioport_ranges = g_ptr_array_new();
    }
}

/* [a, a+alen) and [b, b+blen) intersect; lengths are non-zero. */
static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
                           uint64_t blen)
{
    return a <= b + (blen - 1) && b <= a + (alen - 1);
}

static bool range_is_free_locked(uint64_t gpa, uint64_t size)
{
    int i;

    for (i = 0; i < ram_regions->len; i++) {
        GuestRamRegion *r = g_ptr_array_index(ram_regions, i);
        if (ranges_overlap(gpa, size, r->gpa, r->size)) {
            return false;
        }
    }
    for (i = 0; i < mmio_regions->len; i++) {
        MMIORegion *m = g_ptr_array_index(mmio_regions, i);
        if (ranges_overlap(gpa, size, m->gpa, m->size)) {
            return false;
        }
    }
    return true;
}

static gint ram_cmp(gconstpointer a, gconstpointer b)
{
    const GuestRamRegion *ra = *(GuestRamRegion * const *)a;
    const GuestRamRegion *rb = *(GuestRamRegion * const *)b;

    return ra->gpa < rb->gpa ? -1 : ra->gpa > rb->gpa;
}

GuestRamRegion *guest_ram_add(const char *name, uint64_t gpa, uint64_t size,
                              void *host, bool readonly, Error **errp)
{
    GuestRamRegion *r;

    if (!size || gpa + size - 1 < gpa) {
        error_setg(errp, "guest memory '%s': invalid range 0x%" PRIx64
                   " (size 0x%" PRIx64 ")", name, gpa, size);
        return NULL;
    }
    g_rw_lock_writer_lock(&lock);
    tables_init();
    if (!range_is_free_locked(gpa, size)) {
        g_rw_lock_writer_unlock(&lock);
        error_setg(errp, "guest memory '%s' [0x%" PRIx64 ", +0x%" PRIx64
                   ") overlaps memory already mapped", name, gpa, size);
        return NULL;
    }
    r = g_new0(GuestRamRegion, 1);
    r->name = g_strdup(name);
    r->gpa = gpa;
    r->size = size;
    r->host = host;
    r->readonly = readonly;
    r->slot_id = -1;
    g_ptr_array_add(ram_regions, r);
    g_ptr_array_sort(ram_regions, ram_cmp);
    g_rw_lock_writer_unlock(&lock);
    if (ram_listener && !ram_listener(r, true, errp)) {
        g_rw_lock_writer_lock(&lock);
        g_ptr_array_remove(ram_regions, r);
        g_rw_lock_writer_unlock(&lock);
        g_free((char *)r->name);
        g_free(r);
        return NULL;
    }
    return r;
}

bool guest_ram_set_listener(GuestRamListener fn, Error **errp)
{
    g_autoptr(GPtrArray) copy = NULL;
    guint i;

    ram_listener = fn;
    if (!fn) {
        return true;
    }
    g_rw_lock_reader_lock(&lock);
    tables_init();
    copy = g_ptr_array_copy(ram_regions, NULL, NULL);
    g_rw_lock_reader_unlock(&lock);
    for (i = 0; i < copy->len; i++) {
        if (!fn(g_ptr_array_index(copy, i), true, errp)) {
            return false;
        }
    }
    return true;
}

void guest_ram_del(GuestRamRegion *r)
{
    if (!r) {
        return;
    }
    if (ram_listener) {
        ram_listener(r, false, NULL);
    }
    g_rw_lock_writer_lock(&lock);
    g_ptr_array_remove(ram_regions, r);
    g_rw_lock_writer_unlock(&lock);
    g_free((char *)r->name);
    g_free(r);
}

void guest_ram_foreach(void (*fn)(GuestRamRegion *r, void *opaque),
                       void *opaque)
{
    g_autoptr(GPtrArray) copy = NULL;
    int i;

    g_rw_lock_reader_lock(&lock);
    tables_init();
    copy = g_ptr_array_copy(ram_regions, NULL, NULL);
    g_rw_lock_reader_unlock(&lock);
    for (i = 0; i < copy->len; i++) {
        fn(g_ptr_array_index(copy, i), opaque);
    }
}

static GuestRamRegion *ram_find_locked(uint64_t gpa)
{
    int lo = 0, hi = ram_regions ? (int)ram_regions->len - 1 : -1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        GuestRamRegion *r = g_ptr_array_index(ram_regions, mid);
        if (gpa < r->gpa) {
            hi = mid - 1;
        } else if (gpa - r->gpa >= r->size) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

static MMIORegion *mmio_find_locked(uint64_t gpa)
{
    int i;

    if (!mmio_regions) {
        return NULL;
    }
    for (i = 0; i < mmio_regions->len; i++) {
        MMIORegion *m = g_ptr_array_index(mmio_regions, i);
        if (gpa >= m->gpa && gpa - m->gpa < m->size) {
            return m;
        }
    }
    return NULL;
}

void *guest_ram_ptr(uint64_t gpa, uint64_t len, bool write)
{
    GuestRamRegion *r;
    void *p = NULL;

    g_rw_lock_reader_lock(&lock);
    r = ram_find_locked(gpa);
    if (r && len <= r->size - (gpa - r->gpa) && !(write && r->readonly)) {
        p = (uint8_t *)r->host + (gpa - r->gpa);
    }
    g_rw_lock_reader_unlock(&lock);
    return p;
}

/*
 * One step of a guest memory access: the number of bytes from @gpa that
 * lie in the same RAM region (setting *ram), or in the same MMIO region
 * (setting *mmio), or in a hole (neither).
 */
static uint64_t access_chunk_locked(uint64_t gpa, uint64_t len,
                                    GuestRamRegion **ram, MMIORegion **mmio)
{
    uint64_t chunk = len;
    int i;

    *ram = ram_find_locked(gpa);
    *mmio = NULL;
    if (*ram) {
        return MIN(len, (*ram)->size - (gpa - (*ram)->gpa));
    }
    *mmio = mmio_find_locked(gpa);
    if (*mmio) {
        return MIN(len, (*mmio)->size - (gpa - (*mmio)->gpa));
    }
    /* A hole: stop at the next region. */
    for (i = 0; ram_regions && i < ram_regions->len; i++) {
        GuestRamRegion *r = g_ptr_array_index(ram_regions, i);
        if (r->gpa > gpa) {
            chunk = MIN(chunk, r->gpa - gpa);
            break;
        }
    }
    for (i = 0; mmio_regions && i < mmio_regions->len; i++) {
        MMIORegion *m = g_ptr_array_index(mmio_regions, i);
        if (m->gpa > gpa) {
            chunk = MIN(chunk, m->gpa - gpa);
        }
    }
    return chunk;
}

/* MMIO accesses are split into naturally sized pieces of up to 8 bytes. */
static void mmio_access(MMIORegion *m, uint64_t gpa, uint8_t *buf,
                        uint64_t len, bool write)
{
    while (len) {
        unsigned size = len >= 8 && !(gpa & 7) ? 8 :
                        len >= 4 && !(gpa & 3) ? 4 :
                        len >= 2 && !(gpa & 1) ? 2 : 1;
        uint64_t val = 0;

        if (write) {
            memcpy(&val, buf, size);
            val = GUINT64_FROM_LE(val);
            if (m->ops->write) {
                m->ops->write(m->opaque, gpa - m->gpa, val, size);
            }
        } else {
            val = m->ops->read ? m->ops->read(m->opaque, gpa - m->gpa, size)
                               : UINT64_MAX;
            val = GUINT64_TO_LE(val);
            memcpy(buf, &val, size);
        }
        gpa += size;
        buf += size;
        len -= size;
    }
}

/*
 * A RAM copy that faulted: the host could not provide a page of the
 * region (its backing file truncated, its file system full).  Rate-limited:
 * the guest (a virtio queue, the DSM page) or a qtest asked for it.
 */
static void ram_fault_report(const GuestRamRegion *r, uint64_t gpa,
                             uint64_t len, bool write, const MemFault *f)
{
    g_autofree char *why = mem_fault_describe(f);

    guest_error("guest memory: pmemvm's %s of %" PRIu64 " bytes at 0x%"
                PRIx64 " (%s) failed: %s", write ? "write" : "read", len,
                gpa, r->name, why);
}

static bool guest_memory_rw(uint64_t gpa, uint8_t *buf, uint64_t len,
                            bool write)
{
    bool ok = true;

    while (len) {
        GuestRamRegion *ram;
        MMIORegion *mmio, mmio_copy;
        uint64_t chunk;

        g_rw_lock_reader_lock(&lock);
        tables_init();
        chunk = access_chunk_locked(gpa, len, &ram, &mmio);
        if (mmio) {
            mmio_copy = *mmio;
        }
        if (ram) {
            uint8_t *host = (uint8_t *)ram->host + (gpa - ram->gpa);
            MemFault f;

            if (!write) {
                if (!guarded_memcpy(buf, host, chunk, &f)) {
                    /* Unreadable bytes read as unbacked ones. */
                    memset(buf, 0xff, chunk);
                    ram_fault_report(ram, gpa, chunk, write, &f);
                    ok = false;
                }
            } else if (ram->readonly) {
                ok = false;
            } else if (!guarded_memcpy(host, buf, chunk, &f)) {
                ram_fault_report(ram, gpa, chunk, write, &f);
                ok = false;
            }
        } else if (!mmio) {
            if (!write) {
                memset(buf, 0xff, chunk);
            }
            ok = false;
        }
        g_rw_lock_reader_unlock(&lock);
        if (mmio) {
            /* Without the lock: the handler may access guest memory. */
            mmio_access(&mmio_copy, gpa, buf, chunk, write);
        }
        buf += chunk;
        len -= chunk;
        if (len && gpa + chunk < gpa) {
            /* Wrapped past the top of the address space. */
            if (!write) {
                memset(buf, 0xff, len);
            }
            ok = false;
            break;
        }
        gpa += chunk;
    }
    return ok;
}

char *guest_memory_explain_fault(bool gpa_known, uint64_t gpa)
{
    g_autofree char *where = NULL;
    g_autofree char *why = NULL;

    if (gpa_known) {
        GuestRamRegion *r;
        MemFault f = { .code = BUS_ADRERR };

        g_rw_lock_reader_lock(&lock);
        r = ram_regions ? ram_find_locked(gpa) : NULL;
        if (r) {
            f.addr = (uint8_t *)r->host + (gpa - r->gpa);
            where = g_strdup_printf("guest address 0x%" PRIx64 " (%s)", gpa,
                                    r->name);
        } else {
            where = g_strdup_printf("guest address 0x%" PRIx64, gpa);
        }
        g_rw_lock_reader_unlock(&lock);
        if (f.addr) {
            why = mem_fault_describe(&f);
        }
    }
    if (!why) {
        why = mapped_range_diagnose();
    }
    if (!why) {
        why = g_strdup("a backing file truncated while mapped, a hole in a "
                       "sparse backing file on a full file system, or an "
                       "I/O error");
    }
    return where ? g_strdup_printf("%s: %s", where, why)
                 : g_steal_pointer(&why);
}

bool guest_memory_read(uint64_t gpa, void *buf, uint64_t len)
{
    return guest_memory_rw(gpa, buf, len, false);
}

bool guest_memory_write(uint64_t gpa, const void *buf, uint64_t len)
{
    return guest_memory_rw(gpa, (uint8_t *)buf, len, true);
}

bool mmio_register(const char *name, uint64_t gpa, uint64_t size,
                   const MMIOOps *ops, void *opaque)
{
    MMIORegion *m;

    if (!size || gpa + size - 1 < gpa) {
        return false;
    }
    g_rw_lock_writer_lock(&lock);
    tables_init();
    if (!range_is_free_locked(gpa, size)) {
        g_rw_lock_writer_unlock(&lock);
        return false;
    }
    m = g_new0(MMIORegion, 1);
    m->name = g_strdup(name);
    m->gpa = gpa;
    m->size = size;
    m->ops = ops;
    m->opaque = opaque;
    g_ptr_array_add(mmio_regions, m);
    g_rw_lock_writer_unlock(&lock);
    return true;
}

void mmio_unregister(uint64_t gpa)
{
    int i;

    g_rw_lock_writer_lock(&lock);
    for (i = 0; mmio_regions && i < mmio_regions->len; i++) {
        MMIORegion *m = g_ptr_array_index(mmio_regions, i);
        if (m->gpa == gpa) {
            g_ptr_array_remove_index(mmio_regions, i);
            g_free(m->name);
            g_free(m);
            break;
        }
    }
    g_rw_lock_writer_unlock(&lock);
}

/*
 * Device callbacks run without the table lock held, so that a handler may
 * itself read or write guest memory (the DSM port, virtio notifications).
 * A region is unregistered only once its device can no longer be reached
 * by the guest.
 */
static bool mmio_lookup(uint64_t gpa, unsigned size, MMIORegion *out)
{
    MMIORegion *m;

    g_rw_lock_reader_lock(&lock);
    m = mmio_find_locked(gpa);
    if (m && size <= 8 && size <= m->size - (gpa - m->gpa)) {
        *out = *m;
    } else {
        m = NULL;
    }
    g_rw_lock_reader_unlock(&lock);
    return m != NULL;
}

bool mmio_read(uint64_t gpa, void *data, unsigned size)
{
    MMIORegion m;

    if (!mmio_lookup(gpa, size, &m)) {
        memset(data, 0xff, size);
        return false;
    }
    mmio_access(&m, gpa, data, size, false);
    return true;
}

bool mmio_write(uint64_t gpa, const void *data, unsigned size)
{
    MMIORegion m;

    if (!mmio_lookup(gpa, size, &m)) {
        return false;
    }
    mmio_access(&m, gpa, (uint8_t *)data, size, true);
    return true;
}

static IOPortRange *ioport_find_locked(uint16_t port)
{
    int i;

    for (i = 0; ioport_ranges && i < ioport_ranges->len; i++) {
        IOPortRange *r = g_ptr_array_index(ioport_ranges, i);
        if (port >= r->base && port - r->base < r->len) {
            return r;
        }
    }
    return NULL;
}

bool ioport_register(const char *name, uint16_t base, uint16_t len,
                     const IOPortOps *ops, void *opaque)
{
    IOPortRange *r;
    int i;

    if (!len || (uint32_t)base + len > 0x10000) {
        return false;
    }
    g_rw_lock_writer_lock(&lock);
    tables_init();
    for (i = 0; i < ioport_ranges->len; i++) {
        r = g_ptr_array_index(ioport_ranges, i);
        if (ranges_overlap(base, len, r->base, r->len)) {
            g_rw_lock_writer_unlock(&lock);
            return false;
        }
    }
    r = g_new0(IOPortRange, 1);
    r->name = g_strdup(name);
    r->base = base;
    r->len = len;
    r->ops = ops;
    r->opaque = opaque;
    g_ptr_array_add(ioport_ranges, r);
    g_rw_lock_writer_unlock(&lock);
    return true;
}

void ioport_unregister(uint16_t base)
{
    int i;

    g_rw_lock_writer_lock(&lock);
    for (i = 0; ioport_ranges && i < ioport_ranges->len; i++) {
        IOPortRange *r = g_ptr_array_index(ioport_ranges, i);
        if (r->base == base) {
            g_ptr_array_remove_index(ioport_ranges, i);
            g_free(r->name);
            g_free(r);
            break;
        }
    }
    g_rw_lock_writer_unlock(&lock);
}

static bool ioport_lookup(uint16_t port, IOPortRange *out)
{
    IOPortRange *r;

    g_rw_lock_reader_lock(&lock);
    r = ioport_find_locked(port);
    if (r) {
        *out = *r;
    }
    g_rw_lock_reader_unlock(&lock);
    return r != NULL;
}

uint32_t ioport_read(uint16_t port, unsigned size)
{
    uint32_t val = size >= 4 ? UINT32_MAX : (1u << (size * 8)) - 1;
    IOPortRange r;

    if (ioport_lookup(port, &r) && r.ops->read) {
        val = r.ops->read(r.opaque, port - r.base, size);
    }
    return val;
}

void ioport_write(uint16_t port, uint32_t val, unsigned size)
{
    IOPortRange r;

    if (ioport_lookup(port, &r) && r.ops->write) {
        r.ops->write(r.opaque, port - r.base, val, size);
    }
}
