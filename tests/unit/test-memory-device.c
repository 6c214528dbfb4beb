/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device-memory window's slots and ranges (hw/mem/memory-device.c)
 * through plug and unplug: a released range is found again by the next
 * device that fits (first fit, aligned), what is released no longer
 * counts against maxmem, a released slot is the next automatic one, and
 * releasing what was never claimed changes nothing.
 */
#include "qemu/osdep.h"
#include "hw/mem/memory-device.h"

#define BASE        (4 * GiB)
#define WINDOW      (4 * GiB)
#define MAX_PLUGGED (1 * GiB)
#define SLOTS       2

static void claim(uint64_t *addr, uint64_t size, uint64_t align)
{
    g_assert_true(memory_device_claim_range(addr, size, align, "d",
                                            &error_abort));
}

static void test_ranges_reused(void)
{
    uint64_t a = 0, b = 0, c = 0, d = 0, e = 0;
    Error *err = NULL;

    claim(&a, 256 * MiB, 2 * MiB);
    claim(&b, 256 * MiB, 2 * MiB);
    claim(&c, 256 * MiB, 2 * MiB);
    g_assert_cmphex(a, ==, BASE);
    g_assert_cmphex(b, ==, BASE + 256 * MiB);
    g_assert_cmphex(c, ==, BASE + 512 * MiB);
    /* 768 MiB of 1 GiB in use: 512 MiB more does not fit under maxmem. */
    g_assert_false(memory_device_claim_range(&d, 512 * MiB, 2 * MiB, "d",
                                             &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "not enough space, currently "
                    "0x30000000 in use of total space for memory devices "
                    "0x40000000");
    error_free(err);
    err = NULL;

    /* b goes: its hole is the first fit for the next 256 MiB device ... */
    memory_device_release_range(b, 256 * MiB);
    d = 0;
    claim(&d, 128 * MiB, 2 * MiB);
    g_assert_cmphex(d, ==, b);
    /* ... and a device that does not fit in the rest of it goes after c. */
    claim(&e, 256 * MiB, 256 * MiB);
    g_assert_cmphex(e, ==, BASE + 768 * MiB);
    /* Everything released: the window is empty again. */
    memory_device_release_range(a, 256 * MiB);
    memory_device_release_range(c, 256 * MiB);
    memory_device_release_range(d, 128 * MiB);
    memory_device_release_range(e, 256 * MiB);
    a = 0;
    claim(&a, MAX_PLUGGED, 2 * MiB);
    g_assert_cmphex(a, ==, BASE);
    memory_device_release_range(a, MAX_PLUGGED);
}

static void test_release_unknown(void)
{
    uint64_t a = 0, b = 0;

    claim(&a, 64 * MiB, 2 * MiB);
    /* Not a claimed range: nothing changes. */
    memory_device_release_range(a, 32 * MiB);
    memory_device_release_range(a + 64 * MiB, 64 * MiB);
    claim(&b, 64 * MiB, 2 * MiB);
    g_assert_cmphex(b, ==, a + 64 * MiB);
    memory_device_release_range(a, 64 * MiB);
    memory_device_release_range(b, 64 * MiB);
}

static void test_fixed_address_after_release(void)
{
    uint64_t a = BASE + 1 * GiB, b = BASE + 1 * GiB;
    Error *err = NULL;

    claim(&a, 64 * MiB, 2 * MiB);
    g_assert_false(memory_device_claim_range(&b, 64 * MiB, 2 * MiB, "b",
                                             &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "address range conflicts "
                    "with memory device id='d'");
    error_free(err);
    memory_device_release_range(a, 64 * MiB);
    claim(&b, 64 * MiB, 2 * MiB);
    g_assert_cmphex(b, ==, BASE + 1 * GiB);
    memory_device_release_range(b, 64 * MiB);
}

static void test_slots_reused(void)
{
    int64_t s0 = -1, s1 = -1, s2 = -1;
    Error *err = NULL;

    g_assert_true(memory_device_claim_slot(&s0, &error_abort));
    g_assert_true(memory_device_claim_slot(&s1, &error_abort));
    g_assert_cmpint(s0, ==, 0);
    g_assert_cmpint(s1, ==, 1);
    g_assert_false(memory_device_claim_slot(&s2, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "no free slots available");
    error_free(err);
    memory_device_release_slot(s0);
    s2 = -1;
    g_assert_true(memory_device_claim_slot(&s2, &error_abort));
    g_assert_cmpint(s2, ==, 0);
    /* Out of range: ignored. */
    memory_device_release_slot(SLOTS);
    memory_device_release_slot(-1);
    memory_device_release_slot(s1);
    memory_device_release_slot(s2);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_device_window_init(BASE, WINDOW, SLOTS, MAX_PLUGGED);
    g_test_add_func("/memory-device/ranges-reused", test_ranges_reused);
    g_test_add_func("/memory-device/release-unknown", test_release_unknown);
    g_test_add_func("/memory-device/fixed-address-after-release",
                    test_fixed_address_after_release);
    g_test_add_func("/memory-device/slots-reused", test_slots_reused);
    return g_test_run();
}
