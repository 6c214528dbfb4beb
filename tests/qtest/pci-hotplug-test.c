/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: PCI hotplug and unplug of virtio-pmem-pci, with the test as the
 * guest's ACPI (docs/specs/pci-hotplug.md): it takes the GED interrupt,
 * reads the event selector and the slot registers as the DSDT's PSCN
 * does, and writes B0EJ and the _OST registers as _EJ0 and _OST do.
 *
 * - hot-add: GED bit 5, the slot's PCIU bit, the device in config space;
 * - device_del is a request: PCID gets the slot's bit; the device, its
 *   region and its backend stay (object-del refused with QEMU's text)
 *   until the guest ejects the slot; then DEVICE_DELETED (QEMU's pair:
 *   virtio-backend, then the device), no memory device, an empty slot,
 *   and object-del works; the same backend plugs again at the same
 *   address and slot; a second device_del while the VM is stopped gets
 *   QEMU's "already in the process of unplug", once it runs it repeats
 *   the request; a guest may eject a device by itself; ejects of an
 *   empty slot or slot 0 change nothing;
 * - _OST reports become ACPI_DEVICE_OST and query-acpi-ospm-status;
 * - a flush in flight is answered before the device goes;
 * - the device-memory window frees and reuses ranges (maxmem).
 * QEMU 7.2's answers are compared where it has them.
 */
#include "qemu/osdep.h"
#include <linux/virtio_config.h>

#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/virtio.h"
#include "qtest-util.h"
#include "hw/acpi/ged.h"
#include "hw/acpi/pci-hotplug.h"
#include "hw/i386/layout.h"

#define SIZE        (128 * MiB)
#define SLOT        6
#define DEVFN       QPCI_DEVFN(SLOT, 0)
#define RING_MEM    0x1000000ULL
#define BUF_MEM     0x1100000ULL
#define BAR_BASE    0xfe000000ULL
#define HP_REG(r)   (LAYOUT_PCI_HOTPLUG_BASE + PCI_HOTPLUG_REG_##r)
#define TIMEOUT_US  (10 * G_USEC_PER_SEC)
/* INTA of slot S is GSI 16 + S % 4 (docs/specs/pci.md). */
#define PCI_HOTPLUG_INTX_LINES  4

static char *tmp_dir;

static char *backing(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

/* 256 MiB of device memory: two of our 128 MiB devices fit. */
static char *machine_args(void)
{
    return g_strdup("-machine pc -m 1G,slots=2,maxmem=1280M");
}

static QTestState *start(void)
{
    g_autofree char *args = machine_args();
    QTestState *qts = qtest_init(args);

    qtest_irq_intercept_in(qts, "ioapic");
    return qts;
}

static void object_add(QTestState *qts, const char *id, const char *file)
{
    g_autofree char *path = backing(file);

    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': {"
                             "'qom-type': 'memory-backend-file', 'id': %s, "
                             "'share': true, 'mem-path': %s, 'size': %lld}}",
                             id, path, (long long)SIZE);
}

static JsonObject *device_add(QTestState *qts, const char *id,
                              const char *memdev, int slot)
{
    g_autofree char *addr = g_strdup_printf("%d", slot);

    return qtest_qmp(qts, "{'execute': 'device_add', 'arguments': {"
                     "'driver': 'virtio-pmem-pci', 'id': %s, "
                     "'memdev': %s, 'addr': %s}}", id, memdev, addr);
}

static JsonObject *device_del(QTestState *qts, const char *id)
{
    return qtest_qmp(qts, "{'execute': 'device_del', 'arguments': {"
                     "'id': %s}}", id);
}

static JsonObject *object_del(QTestState *qts, const char *id)
{
    return qtest_qmp(qts, "{'execute': 'object-del', 'arguments': {"
                     "'id': %s}}", id);
}

static void assert_ok(JsonObject *rsp)
{
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, NULL);
    json_object_unref(rsp);
}

static void assert_error(JsonObject *rsp, const char *desc)
{
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, desc);
    json_object_unref(rsp);
}

/* The guest's _EVT: the GED interrupt is up, the PCI bit is set. */
static void guest_takes_event(QTestState *qts)
{
    g_assert_true(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    g_assert_cmphex(qtest_readl(qts, LAYOUT_GED_BASE) &
                    GED_EVENT_PCI_HOTPLUG, ==, GED_EVENT_PCI_HOTPLUG);
    g_assert_false(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
}

/* A running machine with vp1 (on @file) hot-added at SLOT, and the
 * guest past the hot-add event. */
static QTestState *start_with_vp1(const char *file)
{
    QTestState *qts = start();

    object_add(qts, "mem1", file);
    assert_ok(device_add(qts, "vp1", "mem1", SLOT));
    guest_takes_event(qts);
    g_assert_cmphex(qtest_readl(qts, HP_REG(UP)), ==, 1u << SLOT);
    return qts;
}

static void guest_ejects(QTestState *qts, unsigned slot)
{
    qtest_writel(qts, HP_REG(EJECT), 1u << slot);
}

/* query-memory-devices as "id@addr" words ("" when there is none). */
static char *memory_devices(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memory-devices'}");
    JsonArray *a = json_node_get_array(ret);
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < json_array_get_length(a); i++) {
        JsonObject *d = json_object_get_object_member(
            json_array_get_object_element(a, i), "data");

        g_string_append_printf(s, "%s%s@0x%" PRIx64, i ? " " : "",
                               json_object_get_string_member(d, "id"),
                               json_object_get_int_member(d, "memaddr"));
    }
    json_node_unref(ret);
    return g_string_free(s, FALSE);
}

/* The next DEVICE_DELETED's data, compact. */
static char *next_deleted(QTestState *qts)
{
    JsonObject *ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    JsonObject *data = json_object_get_object_member(ev, "data");
    g_autoptr(JsonObject) copy = json_object_ref(data);
    char *text = qmp_to_string(copy);

    json_object_unref(ev);
    return text;
}

static void test_add_del_readd(void)
{
    QTestState *qts = start();
    g_autofree char *before = NULL, *after = NULL, *ev = NULL;

    object_add(qts, "mem1", "vp1.img");
    assert_ok(device_add(qts, "vp1", "mem1", SLOT));
    /* Hot-add: the guest hears of the slot, and finds the device. */
    guest_takes_event(qts);
    g_assert_cmphex(qtest_readl(qts, HP_REG(UP)), ==, 1u << SLOT);
    g_assert_cmphex(qtest_readl(qts, HP_REG(UP)), ==, 0);
    g_assert_cmphex(qtest_readl(qts, HP_REG(DOWN)), ==, 0);
    g_assert_cmphex(qpci_config_readl(qts, DEVFN, 0), ==, 0x105b1af4);
    before = memory_devices(qts);

    /* device_del asks the guest; nothing is taken away yet. */
    assert_ok(device_del(qts, "vp1"));
    guest_takes_event(qts);
    g_assert_cmphex(qtest_readl(qts, HP_REG(DOWN)), ==, 1u << SLOT);
    assert_error(object_del(qts, "mem1"),
                 "object 'mem1' is in use, can not be deleted");
    after = memory_devices(qts);
    g_assert_cmpstr(after, ==, before);
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    g_assert_cmphex(qpci_config_readl(qts, DEVFN, 0), ==, 0x105b1af4);

    /* _EJ0: now it goes, with QEMU's two events. */
    guest_ejects(qts, SLOT);
    ev = next_deleted(qts);
    g_assert_cmpstr(ev, ==,
                    "{\"path\": \"/machine/peripheral/vp1/virtio-backend\"}");
    g_free(ev);
    ev = next_deleted(qts);
    g_assert_cmpstr(ev, ==,
                    "{\"device\": \"vp1\", \"path\": \"/machine/peripheral/vp1\"}");
    g_free(after);
    after = memory_devices(qts);
    g_assert_cmpstr(after, ==, "");
    g_assert_cmphex(qpci_config_readl(qts, DEVFN, 0), ==, 0xffffffff);
    assert_ok(object_del(qts, "mem1"));
    /* Gone from the device list: the id is free, device_del finds none. */
    assert_error(device_del(qts, "vp1"), "Device 'vp1' not found");

    /* The same file again: same window address, same slot. */
    object_add(qts, "mem1", "vp1.img");
    assert_ok(device_add(qts, "vp1", "mem1", SLOT));
    g_free(after);
    after = memory_devices(qts);
    g_assert_cmpstr(after, ==, before);
    g_assert_true(qtest_probe_child(qts));
    qtest_quit(qts);
}

/* Stopped, a second request is refused as QEMU 7.2 refuses it. */
static char *double_del_error(QTestState *qts, const char *id)
{
    JsonObject *rsp = device_del(qts, id);
    char *desc;

    g_assert_null(qmp_rsp_error_desc(rsp));
    json_object_unref(rsp);
    rsp = device_del(qts, id);
    desc = g_strdup(qmp_rsp_error_desc(rsp));
    json_object_unref(rsp);
    return desc;
}

static void test_double_del(void)
{
    QTestState *qts = start_with_vp1("dd.img");
    g_autofree char *mine = NULL, *theirs = NULL;

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    mine = double_del_error(qts, "vp1");
    g_assert_cmpstr(mine, ==, "Device vp1 is already in the process of "
                              "unplug");
    /* Running, the request is made again (a guest may have missed it). */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    guest_takes_event(qts);
    g_assert_cmphex(qtest_readl(qts, HP_REG(DOWN)), ==, 1u << SLOT);
    assert_ok(device_del(qts, "vp1"));
    guest_takes_event(qts);
    g_assert_cmphex(qtest_readl(qts, HP_REG(DOWN)), ==, 1u << SLOT);
    qtest_quit(qts);

    /* QEMU 7.2, stopped, with a PCI device it can unplug. */
    qts = qemu_qtest_init("-machine pc -m 512M -device virtio-rng-pci,id=vp1");
    if (!qts) {
        return;
    }
    theirs = double_del_error(qts, "vp1");
    qtest_quit(qts);
    g_assert_cmpstr(mine, ==, theirs);
}

/* What QEMU 7.2 says where pmemvm does more, and where both refuse. */
static void test_compare_qemu(void)
{
    g_autofree char *args = NULL;
    g_autofree char *path = backing("q.img");
    QTestState *qts;
    JsonObject *rsp;

    /* Unknown id: the same class and text on both. */
    qts = start();
    rsp = device_del(qts, "nope");
    g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "DeviceNotFound");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, "Device 'nope' not found");
    json_object_unref(rsp);
    qtest_quit(qts);

    unlink(path);
    args = g_strdup_printf("-machine pc -m 1G,slots=2,maxmem=1280M "
                           "-object memory-backend-file,id=mem1,share=on,"
                           "mem-path=%s,size=128M "
                           "-device virtio-pmem-pci,id=vp1,memdev=mem1", path);
    qts = qemu_qtest_init(args);
    if (!qts) {
        return;
    }
    rsp = device_del(qts, "nope");
    g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "DeviceNotFound");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, "Device 'nope' not found");
    json_object_unref(rsp);
    /* QEMU 7.2 cannot unplug virtio-pmem at all; pmemvm can. */
    assert_error(device_del(qts, "vp1"),
                 "virtio based memory devices cannot be unplugged.");
    assert_error(object_del(qts, "mem1"),
                 "object 'mem1' is in use, can not be deleted");
    qtest_quit(qts);
}

/* A guest may give a device up unasked; empty slots and slot 0 not. */
static void test_guest_initiated_eject(void)
{
    QTestState *qts = start_with_vp1("gi.img");
    g_autofree char *ev = NULL, *devs = NULL;

    /* Empty slot 7, the host bridge's slot 0: nothing happens. */
    guest_ejects(qts, 7);
    guest_ejects(qts, 0);
    g_assert_cmphex(qpci_config_readl(qts, QPCI_DEVFN(0, 0), 0), !=,
                    0xffffffff);
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    /* Slot 6, no device_del before: taken away all the same. */
    guest_ejects(qts, SLOT);
    g_free(next_deleted(qts));
    ev = next_deleted(qts);
    g_assert_cmpstr(ev, ==,
                    "{\"device\": \"vp1\", \"path\": \"/machine/peripheral/vp1\"}");
    devs = memory_devices(qts);
    g_assert_cmpstr(devs, ==, "");
    assert_ok(object_del(qts, "mem1"));
    qtest_quit(qts);
}

static void test_ost(void)
{
    QTestState *qts = start_with_vp1("ost.img");
    JsonObject *ev, *info;
    JsonNode *ret;
    g_autofree char *list = NULL;

    assert_ok(device_del(qts, "vp1"));
    /* _OST (eject request, 0x82 "device busy") for slot 6. */
    qtest_writel(qts, HP_REG(OST_SLOT), SLOT);
    qtest_writel(qts, HP_REG(OST_EVENT), 3);
    qtest_writel(qts, HP_REG(OST_STATUS), 0x82);
    ev = qtest_qmp_eventwait_ref(qts, "ACPI_DEVICE_OST");
    info = json_object_get_object_member(json_object_get_object_member(
                                             ev, "data"), "info");
    g_assert_cmpstr(json_object_get_string_member(info, "device"), ==, "vp1");
    g_assert_cmpstr(json_object_get_string_member(info, "slot"), ==, "6");
    g_assert_cmpstr(json_object_get_string_member(info, "slot-type"), ==,
                    "PCI");
    g_assert_cmpint(json_object_get_int_member(info, "source"), ==, 3);
    g_assert_cmpint(json_object_get_int_member(info, "status"), ==, 0x82);
    json_object_unref(ev);
    ret = qtest_qmp_assert_success_ref(qts,
                                       "{'execute': 'query-acpi-ospm-status'}");
    list = json_to_string(ret, FALSE);
    g_assert_cmpstr(list, ==, "[{\"device\":\"vp1\",\"slot\":\"6\","
                              "\"slot-type\":\"PCI\",\"source\":3,"
                              "\"status\":130}]");
    json_node_unref(ret);
    /* The device stays: _OST is a report, not an eject. */
    g_assert_cmphex(qpci_config_readl(qts, DEVFN, 0), ==, 0x105b1af4);
    qtest_quit(qts);
}

/* A flush the guest queued is answered before the device goes. */
static void test_flush_in_flight(void)
{
    g_autofree char *path = backing("inflight.img");
    g_autofree char *m = machine_args();
    g_autofree char *args = NULL;
    QVirtioBuf bufs[2] = {
        { BUF_MEM, 4, false },
        { BUF_MEM + 64, 4, true },
    };
    QTestState *qts;
    QVirtioDev v;
    QVirtQueue q;

    unlink(path);
    args = g_strdup_printf("%s -object memory-backend-file,id=mem1,"
                           "share=on,mem-path=%s,size=128M -device "
                           "virtio-pmem-pci,id=vp1,memdev=mem1,addr=%d", m,
                           path, SLOT);
    qts = qtest_init_fsync_delay(args, 500);
    if (!qts) {
        return;
    }
    qtest_irq_intercept_in(qts, "ioapic");
    qvirtio_init(&v, qts, DEVFN, BAR_BASE);
    qvirtio_negotiate(&v, 1ULL << VIRTIO_F_VERSION_1);
    qvirtqueue_setup(&q, &v, 0, RING_MEM);
    qvirtio_set_status(&v, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                           VIRTIO_CONFIG_S_DRIVER |
                           VIRTIO_CONFIG_S_FEATURES_OK |
                           VIRTIO_CONFIG_S_DRIVER_OK);
    qtest_writel(qts, BUF_MEM, 0);                  /* FLUSH */
    qtest_writel(qts, BUF_MEM + 64, 0xdeadbeef);
    qvirtqueue_add(&q, bufs, 2);
    qvirtqueue_kick(&q);
    /* The sync takes 500 ms; the guest ejects meanwhile. */
    assert_ok(device_del(qts, "vp1"));
    guest_ejects(qts, SLOT);
    g_free(next_deleted(qts));
    g_free(next_deleted(qts));
    /* The answer was written before: used index 1, status 0. */
    g_assert_cmpuint(qtest_readw(qts, q.used + 2), ==, 1);
    g_assert_cmphex(qtest_readl(qts, BUF_MEM + 64), ==, 0);
    /* And its interrupt (INTx: no MSI-X here) did not outlive the
     * device: the slot's line is low. */
    g_assert_false(qtest_get_irq(qts, LAYOUT_GSI_PCI_INTX +
                                 SLOT % PCI_HOTPLUG_INTX_LINES));
    qtest_quit(qts);
}

/* Ranges of the window come back: maxmem counts what is plugged. */
static void test_window_reuse(void)
{
    QTestState *qts = start();
    g_autofree char *two = NULL, *one = NULL, *again = NULL;
    g_autofree char *want = NULL;
    g_auto(GStrv) words = NULL;

    object_add(qts, "mem1", "w1.img");
    object_add(qts, "mem2", "w2.img");
    object_add(qts, "mem3", "w3.img");
    assert_ok(device_add(qts, "vp1", "mem1", 5));
    assert_ok(device_add(qts, "vp2", "mem2", 6));
    two = memory_devices(qts);
    assert_error(device_add(qts, "vp3", "mem3", 7),
                 "not enough space, currently 0x10000000 in use of total "
                 "space for memory devices 0x10000000");
    assert_ok(device_del(qts, "vp1"));
    guest_ejects(qts, 5);
    g_free(next_deleted(qts));
    g_free(next_deleted(qts));
    one = memory_devices(qts);
    words = g_strsplit(two, " ", -1);
    g_assert_cmpstr(one, ==, words[1]);
    /* vp3 fits now, where vp1 was, and in vp1's PCI slot (the list is
     * by address, as QEMU's, and vp1 was below vp2). */
    assert_ok(device_add(qts, "vp3", "mem3", 5));
    again = memory_devices(qts);
    want = g_strdup_printf("vp3@%s %s", strchr(words[0], '@') + 1, words[1]);
    g_assert_cmpstr(again, ==, want);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-pcihp-XXXXXX", NULL);
    g_test_add_func("/pci-hotplug/add-del-readd", test_add_del_readd);
    g_test_add_func("/pci-hotplug/double-del", test_double_del);
    g_test_add_func("/pci-hotplug/compare-qemu", test_compare_qemu);
    g_test_add_func("/pci-hotplug/guest-initiated-eject",
                    test_guest_initiated_eject);
    g_test_add_func("/pci-hotplug/ost", test_ost);
    g_test_add_func("/pci-hotplug/flush-in-flight", test_flush_in_flight);
    g_test_add_func("/pci-hotplug/window-reuse", test_window_reuse);
    ret = g_test_run();
    remove_dir(tmp_dir);
    return ret;
}
