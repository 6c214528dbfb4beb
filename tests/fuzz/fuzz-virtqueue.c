/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the split virtqueue (hw/virtio/virtqueue.c) as a guest
 * driver lays it out.  The input is 64 KiB of guest RAM at 0x10000 (the
 * descriptor table, the rings and indirect tables are wherever the bytes
 * say); the first bytes also pick the queue size and features.  Every
 * available chain is popped and answered.  Nothing may be read or written
 * outside that RAM, and the walker must end.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtqueue.h"

#define RAM_BASE 0x10000ULL
#define RAM_SIZE 0x10000ULL

static uint8_t ram[RAM_SIZE];

static bool in_ram(uint64_t gpa, uint64_t len)
{
    return gpa >= RAM_BASE && len <= RAM_SIZE &&
           gpa - RAM_BASE <= RAM_SIZE - len;
}

static bool fz_read(void *opaque, uint64_t gpa, void *buf, uint64_t len)
{
    if (!in_ram(gpa, len)) {
        return false;
    }
    memcpy(buf, ram + (gpa - RAM_BASE), len);
    return true;
}

static bool fz_write(void *opaque, uint64_t gpa, const void *buf,
                     uint64_t len)
{
    if (!in_ram(gpa, len)) {
        return false;
    }
    memcpy(ram + (gpa - RAM_BASE), buf, len);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const VirtqMem mem = { fz_read, fz_write, NULL };
    static VirtqChain *chain;
    VirtQueueState q = { 0 };
    const char *why;
    unsigned n;

    if (size < 8) {
        return 0;
    }
    if (!chain) {
        chain = g_new0(VirtqChain, 1);
    }
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data, MIN(size, sizeof(ram)));
    q.ring.size = 1u << (data[0] % 16);             /* 1 .. 32768 */
    q.ring.desc = RAM_BASE + (data[1] << 8);
    q.ring.avail = RAM_BASE + (data[2] << 8);
    q.ring.used = RAM_BASE + (data[3] << 8);
    q.event_idx = data[4] & 1;
    q.indirect = data[4] & 2;
    q.last_avail = data[5] | data[6] << 8;
    q.used_idx = q.last_avail;
    for (n = 0; n < 64; n++) {
        VirtqPopResult r = virtq_pop(&q, &mem, chain, &why);

        if (r != VIRTQ_POP_OK) {
            break;
        }
        assert(chain->n_out <= VIRTQ_MAX_SEGS && chain->n_in <= VIRTQ_MAX_SEGS);
        assert(chain->out_len <= UINT32_MAX && chain->in_len <= UINT32_MAX);
        virtq_push(&q, &mem, chain->head, chain->in_len);
        virtq_should_notify(&q, &mem);
    }
    return 0;
}
