/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine's hotplug handler and the device life cycle, with a fake
 * accelerator whose RAM listener can be told to fail (as a KVM memory
 * slot that cannot be mapped would):
 *
 * - QMP device_add of an NVDIMM whose region cannot be mapped answers an
 *   error with the accelerator's message, and leaves the slot, the
 *   address range and the backend free: the same DIMM then plugs at that
 *   slot and address;
 * - a hot-added virtio-pmem-pci is taken away only after the guest
 *   ejected its slot, through the accelerator's memory listener (its
 *   memory slot goes) before DEVICE_DELETED; then its backend can be
 *   deleted, and the same backend plugs again at the same address and
 *   PCI slot;
 * - qdev's plug / unplug path runs pre_plug, realize, plug, then
 *   unplug_request, unplug, unrealize, in that order, and a refused
 *   unplug leaves the device as it was.
 */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"
#include "hw/i386/layout.h"
#include "hw/acpi/pci-hotplug.h"
#include "sysemu/runstate.h"
#include "sysemu/vl.h"
#include "hw/mem/memory-device.h"
#include "hw/qdev-core.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "sysemu/qdev-monitor.h"

#define FAKE_MAP_ERROR "fake accelerator: no memory slot for this region"

static bool fail_maps;
static unsigned maps, unmaps;
static uint64_t last_unmapped;

static bool fake_listener(GuestRamRegion *r, bool add, Error **errp)
{
    if (add && fail_maps) {
        error_setg(errp, FAKE_MAP_ERROR);
        return false;
    }
    maps += add;
    if (!add) {
        unmaps++;
        last_unmapped = r->gpa;
    }
    return true;
}

static bool fake_init(const AccelInitArgs *args, Error **errp)
{
    return guest_ram_set_listener(fake_listener, errp);
}

static const AccelOps fake_accel_ops = {
    .name = "fake",
    .init = fake_init,
};

static QmpSession session;
static char *tmp_dir;

static JsonObject *qmp(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static JsonObject *qmp(const char *fmt, ...)
{
    g_autofree char *json = NULL;
    va_list ap;

    va_start(ap, fmt);
    json = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qmp_dispatch(&session, json, NULL);
}

static const char *error_desc(JsonObject *rsp)
{
    JsonObject *err = json_object_has_member(rsp, "error") ?
                      json_object_get_object_member(rsp, "error") : NULL;

    return err ? json_object_get_string_member(err, "desc") : NULL;
}

static void assert_ok(JsonObject *rsp)
{
    g_assert_cmpstr(error_desc(rsp), ==, NULL);
    json_object_unref(rsp);
}

/* A machine as "-machine pc,nvdimm=on -m 512M,slots=2,maxmem=4G" makes. */
static PCMachineState *machine_up(void)
{
    PCMachineState *pcms = PC_MACHINE(object_new(TYPE_PC_MACHINE,
                                                 &error_abort));
    AccelInitArgs args = { .ncpus = 1 };

    g_assert_true(object_property_parse(OBJECT(pcms), "nvdimm", "on",
                                        &error_abort));
    pcms->ram_size = 512 * MiB;
    pcms->maxram_size = 4 * GiB;
    pcms->ram_slots = 2;
    current_machine = pcms;
    g_assert_true(pc_machine_init(pcms, &error_abort));
    g_assert_true(pc_machine_done(pcms, &error_abort));
    accel_register(&fake_accel_ops);
    g_assert_true(accel_init("fake", &args, &error_abort));
    assert_ok(qmp("{\"execute\": \"qmp_capabilities\"}"));
    return pcms;
}

static void test_map_failure_frees_everything(void)
{
    g_autofree char *path = g_build_filename(tmp_dir, "nv.img", NULL);
    GArray *devs;
    JsonObject *rsp;
    uint64_t base = 4 * GiB;    /* the window starts at 4 GiB here */

    assert_ok(qmp("{\"execute\": \"object-add\", \"arguments\": {"
                  "\"qom-type\": \"memory-backend-file\", \"id\": \"mem1\", "
                  "\"share\": true, \"mem-path\": \"%s\", "
                  "\"size\": 16777216}}", path));
    fail_maps = true;
    rsp = qmp("{\"execute\": \"device_add\", \"arguments\": {"
              "\"driver\": \"nvdimm\", \"id\": \"nv1\", \"memdev\": \"mem1\", "
              "\"slot\": 0, \"addr\": %" PRIu64 "}}", base);
    g_assert_cmpstr(error_desc(rsp), ==, FAKE_MAP_ERROR);
    json_object_unref(rsp);
    fail_maps = false;

    /* Nothing left behind: no device, no plugged bytes, backend free. */
    devs = memory_device_info_list();
    g_assert_cmpuint(devs->len, ==, 0);
    g_array_unref(devs);
    g_assert_cmpuint(memory_device_plugged_memory(), ==, 0);
    g_assert_null(device_find_by_id("nv1"));

    /* The same slot, address, backend and id plug now. */
    assert_ok(qmp("{\"execute\": \"device_add\", \"arguments\": {"
                  "\"driver\": \"nvdimm\", \"id\": \"nv1\", "
                  "\"memdev\": \"mem1\", \"slot\": 0, "
                  "\"addr\": %" PRIu64 "}}", base));
    devs = memory_device_info_list();
    g_assert_cmpuint(devs->len, ==, 1);
    g_assert_cmpint(g_array_index(devs, MemoryDeviceInfo, 0).slot, ==, 0);
    g_assert_cmphex(g_array_index(devs, MemoryDeviceInfo, 0).addr, ==, base);
    g_assert_true(g_array_index(devs, MemoryDeviceInfo, 0).hotplugged);
    g_array_unref(devs);
    g_assert_nonnull(guest_ram_ptr(base, 4096, true));
    g_assert_cmpuint(maps, >=, 2);  /* pc.ram replayed, then the DIMM */
}

/* The one virtio-pmem device (the NVDIMM of the test above stays). */
static MemoryDeviceInfo only_virtio_pmem(void)
{
    GArray *devs = memory_device_info_list();
    MemoryDeviceInfo info = { 0 };
    unsigned i, n = 0;

    for (i = 0; i < devs->len; i++) {
        if (!strcmp(g_array_index(devs, MemoryDeviceInfo, i).type,
                    "virtio-pmem")) {
            info = g_array_index(devs, MemoryDeviceInfo, i);
            n++;
        }
    }
    g_assert_cmpuint(n, ==, 1);
    g_array_unref(devs);
    return info;
}

static uint64_t virtio_pmem_bytes(void)
{
    GArray *devs = memory_device_info_list();
    uint64_t sum = 0;
    unsigned i;

    for (i = 0; i < devs->len; i++) {
        if (!strcmp(g_array_index(devs, MemoryDeviceInfo, i).type,
                    "virtio-pmem")) {
            sum += g_array_index(devs, MemoryDeviceInfo, i).size;
        }
    }
    g_array_unref(devs);
    return sum;
}

static void add_virtio_pmem(const char *path)
{
    assert_ok(qmp("{\"execute\": \"object-add\", \"arguments\": {"
                  "\"qom-type\": \"memory-backend-file\", \"id\": \"vm1\", "
                  "\"share\": true, \"mem-path\": \"%s\", "
                  "\"size\": 16777216}}", path));
    assert_ok(qmp("{\"execute\": \"device_add\", \"arguments\": {"
                  "\"driver\": \"virtio-pmem-pci\", \"id\": \"vp1\", "
                  "\"memdev\": \"vm1\"}}"));
}

static void test_virtio_pmem_unplug(void)
{
    g_autofree char *path = g_build_filename(tmp_dir, "vp.img", NULL);
    PCMachineState *pcms = current_machine;
    MemoryDeviceInfo info;
    uint64_t addr;
    uint32_t bits, up, down;
    unsigned slot, n;
    JsonObject *rsp;

    add_virtio_pmem(path);
    info = only_virtio_pmem();
    addr = info.addr;
    slot = PCI_DEVFN_SLOT(PCI_DEVICE(device_find_by_id("vp1"))->devfn);
    g_assert_nonnull(guest_ram_ptr(addr, 4096, true));
    /* The guest is told: the GED's PCI event and the slot's PCIU bit. */
    g_assert_true(mmio_read(LAYOUT_GED_BASE, &bits, 4));
    g_assert_cmphex(bits & GED_EVENT_PCI_HOTPLUG, ==, GED_EVENT_PCI_HOTPLUG);
    g_assert_true(mmio_read(LAYOUT_PCI_HOTPLUG_BASE, &bits, 4));
    g_assert_cmphex(bits, ==, 1u << slot);

    /* device_del asks; nothing goes until the guest ejects. */
    assert_ok(qmp("{\"execute\": \"device_del\", \"arguments\": {"
                  "\"id\": \"vp1\"}}"));
    pci_hotplug_pending(pcms->pci_hotplug, &up, &down);
    g_assert_cmphex(down, ==, 1u << slot);
    rsp = qmp("{\"execute\": \"object-del\", \"arguments\": {"
              "\"id\": \"vm1\"}}");
    g_assert_cmpstr(error_desc(rsp), ==,
                    "object 'vm1' is in use, can not be deleted");
    json_object_unref(rsp);
    while (g_main_context_iteration(qemu_main_context(), FALSE)) {
    }
    g_assert_nonnull(device_find_by_id("vp1"));

    /* _EJ0: on the main loop the region is unmapped, slot and range free. */
    n = unmaps;
    bits = 1u << slot;
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE +
                             PCI_HOTPLUG_REG_EJECT, &bits, 4));
    g_assert_nonnull(device_find_by_id("vp1"));
    while (g_main_context_iteration(qemu_main_context(), FALSE)) {
    }
    g_assert_null(device_find_by_id("vp1"));
    g_assert_cmpuint(unmaps, ==, n + 1);
    g_assert_cmphex(last_unmapped, ==, addr);
    g_assert_null(guest_ram_ptr(addr, 4096, false));
    g_assert_null(pci_bus_find(pcms->pci_bus, PCI_DEVFN(slot, 0)));
    g_assert_cmpuint(virtio_pmem_bytes(), ==, 0);
    assert_ok(qmp("{\"execute\": \"object-del\", \"arguments\": {"
                  "\"id\": \"vm1\"}}"));

    /* The same file plugs again, at the same address and slot. */
    add_virtio_pmem(path);
    info = only_virtio_pmem();
    g_assert_cmphex(info.addr, ==, addr);
    g_assert_cmpuint(PCI_DEVFN_SLOT(PCI_DEVICE(device_find_by_id("vp1"))->
                                    devfn), ==, slot);
    /* An eject the guest makes by itself is honoured too. */
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE +
                             PCI_HOTPLUG_REG_EJECT, &bits, 4));
    while (g_main_context_iteration(qemu_main_context(), FALSE)) {
    }
    g_assert_null(device_find_by_id("vp1"));
    assert_ok(qmp("{\"execute\": \"object-del\", \"arguments\": {"
                  "\"id\": \"vm1\"}}"));

    /*
     * An eject written for the empty slot, then a device plugged there
     * before the main loop got to it: the new device stays.
     */
    g_assert_true(mmio_write(LAYOUT_PCI_HOTPLUG_BASE +
                             PCI_HOTPLUG_REG_EJECT, &bits, 4));
    add_virtio_pmem(path);
    while (g_main_context_iteration(qemu_main_context(), FALSE)) {
    }
    g_assert_nonnull(device_find_by_id("vp1"));
    g_assert_cmpuint(PCI_DEVFN_SLOT(PCI_DEVICE(device_find_by_id("vp1"))->
                                    devfn), ==, slot);
}

/* ---- The qdev life cycle, with a handler that records its calls ---- */

static GString *calls;
static bool refuse_unplug;

static bool rec_pre_plug(void *opaque, Object *dev, Error **errp)
{
    g_string_append(calls, "pre_plug ");
    return true;
}

static bool rec_plug(void *opaque, Object *dev, Error **errp)
{
    g_string_append(calls, "plug ");
    return true;
}

static bool rec_unplug_request(void *opaque, Object *dev, Error **errp)
{
    g_string_append(calls, "unplug_request ");
    if (refuse_unplug) {
        error_setg(errp, "refused");
        return false;
    }
    qdev_unplug_complete(dev);
    return true;
}

static void rec_unplug(void *opaque, Object *dev)
{
    g_string_append(calls, "unplug ");
}

static const HotplugHandlerOps rec_ops = {
    .pre_plug = rec_pre_plug,
    .plug = rec_plug,
    .unplug_request = rec_unplug_request,
    .unplug = rec_unplug,
};

static bool rec_realize(Object *obj, Error **errp)
{
    g_string_append(calls, "realize ");
    return true;
}

static void rec_unrealize(Object *obj)
{
    g_string_append(calls, "unrealize ");
}

static GPtrArray *deleted;

static void rec_deleted(Object *dev)
{
    g_ptr_array_add(deleted, g_strdup(dev->id));
}

static const TypeInfo rec_device_type = {
    .name = "test-recorder",
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(Object),
    .hotpluggable = true,
    .complete = rec_realize,
    .unrealize = rec_unrealize,
};

static void test_life_cycle(void)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    Error *err = NULL;
    Object *dev;

    calls = g_string_new(NULL);
    deleted = g_ptr_array_new_with_free_func(g_free);
    qdev_set_hotplug_handler(&rec_ops, NULL);
    qdev_set_deleted_listener(rec_deleted);
    qemu_opts_set(opts, "driver", "test-recorder");
    qemu_opts_set(opts, "id", "rec0");
    dev = qdev_device_add(opts, &error_abort);
    g_assert_true(dev->realized);
    g_assert_cmpstr(calls->str, ==, "pre_plug realize plug ");

    g_string_truncate(calls, 0);
    refuse_unplug = true;
    g_assert_false(qdev_device_del("rec0", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "refused");
    error_free(err);
    err = NULL;
    g_assert_true(device_find_by_id("rec0") == dev && dev->realized);

    g_string_truncate(calls, 0);
    refuse_unplug = false;
    g_assert_true(qdev_device_del("rec0", &error_abort));
    g_assert_cmpstr(calls->str, ==, "unplug_request unplug unrealize ");
    g_assert_null(device_find_by_id("rec0"));
    g_assert_cmpuint(deleted->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(deleted, 0), ==, "rec0");

    g_assert_false(qdev_device_del("rec0", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'rec0' not found");
    error_free(err);
    g_string_free(calls, TRUE);
    g_ptr_array_unref(deleted);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-hotplug-XXXXXX", NULL);
    type_register(&rec_device_type);
    machine_up();
    g_test_add_func("/hotplug/map-failure-frees-everything",
                    test_map_failure_frees_everything);
    g_test_add_func("/hotplug/virtio-pmem-unplug", test_virtio_pmem_unplug);
    g_test_add_func("/hotplug/life-cycle", test_life_cycle);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp_dir);
    (void)!system(cmd);
    return ret;
}
