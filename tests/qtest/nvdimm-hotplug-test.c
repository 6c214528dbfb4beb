/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: NVDIMM hotplug from QMP (object-add + device_add), as in QEMU's
 * documentation: the new DIMM takes a slot, counts against maxmem, the
 * FIT is rebuilt and marked changed, and the GED raises its interrupt
 * (the SCI, IRQ 9, seen through "irq_intercept_in ioapic") with the NVDIMM
 * event that makes the guest's AML notify \_SB.NVDR.  The same QMP story
 * runs on QEMU 7.2 and the answers are compared.
 */
#include "qemu/osdep.h"

#include "libqtest.h"
#include "hw/acpi/nvdimm.h"
#include "hw/acpi/ged.h"
#include "hw/i386/layout.h"

#define MEMA            LAYOUT_NVDIMM_DSM_PAGE
#define DIMM_SIZE       (16 * MiB)
/* SPA (56) + memdev map (48) + control region (80) per DIMM. */
#define FIT_PER_DIMM    (56 + 48 + 80)

static char *tmp_dir;

static char *backing(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

static QTestState *start(const char *binary_env_qemu)
{
    g_autofree char *f0 = backing("cold.img");

    unlink(f0);
    return qtest_initf("-machine pc,nvdimm=on -m 512M,slots=3,maxmem=1G "
                       "-object memory-backend-file,id=mem0,share=on,"
                       "mem-path=%s,size=16M "
                       "-device nvdimm,id=nv0,memdev=mem0,label-size=128K%s",
                       f0, binary_env_qemu ? " -S -nodefaults" : "");
}

static JsonObject *hotplug(QTestState *qts, const char *id, const char *file)
{
    g_autofree char *path = backing(file);
    JsonObject *rsp;

    unlink(path);
    rsp = qtest_qmp(qts, "{'execute': 'object-add', 'arguments': {"
                    "'qom-type': 'memory-backend-file', 'id': %s, "
                    "'share': true, 'mem-path': %s, 'size': %lld}}",
                    id, path, (long long)DIMM_SIZE);
    g_assert_nonnull(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);
    return NULL;
}

static JsonObject *device_add(QTestState *qts, const char *id,
                              const char *memdev)
{
    return qtest_qmp(qts, "{'execute': 'device_add', 'arguments': {"
                     "'driver': 'nvdimm', 'id': %s, 'memdev': %s}}",
                     id, memdev);
}

/* DSM request on the VMM-private root handle: Read FIT at @offset. */
static uint32_t read_fit(QTestState *qts, uint32_t offset, uint32_t *rlen)
{
    uint8_t req[16];
    uint8_t rsp[8];

    *(uint32_t *)&req[0] = GUINT32_TO_LE(NVDIMM_QEMU_RSVD_HANDLE_ROOT);
    *(uint32_t *)&req[4] = GUINT32_TO_LE(1);
    *(uint32_t *)&req[8] = GUINT32_TO_LE(1);
    *(uint32_t *)&req[12] = GUINT32_TO_LE(offset);
    qtest_memwrite(qts, MEMA, req, sizeof(req));
    qtest_outl(qts, LAYOUT_PORT_NVDIMM_DSM, MEMA);
    qtest_memread(qts, MEMA, rsp, sizeof(rsp));
    *rlen = GUINT32_FROM_LE(*(uint32_t *)&rsp[0]);
    return GUINT32_FROM_LE(*(uint32_t *)&rsp[4]);
}

static JsonArray *memory_devices(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memory-devices'}");
    JsonArray *a = json_array_ref(json_node_get_array(ret));

    json_node_unref(ret);
    return a;
}

static JsonObject *device_data(JsonArray *devs, guint i)
{
    return json_object_get_object_member(
        json_array_get_object_element(devs, i), "data");
}

/*
 * The story: a guest with one NVDIMM gets a second from the monitor.  The
 * FIT grows by one DIMM, the guest is told (GED bit 4), and a Read FIT at
 * a non-zero offset before re-reading from 0 answers "FIT changed".
 */
static void test_hotplug_nvdimm(void)
{
    QTestState *qts = start(NULL);
    g_autoptr(JsonArray) devs = NULL;
    JsonObject *rsp, *d;
    uint32_t rlen;

    qtest_irq_intercept_in(qts, "ioapic");
    /* Cold plug settled: read the FIT from 0 to clear "changed". */
    g_assert_cmpuint(read_fit(qts, 0, &rlen), ==, 0);
    g_assert_cmpuint(rlen, ==, 8 + FIT_PER_DIMM);
    /* Nothing pending: the GED's interrupt is low. */
    g_assert_false(qtest_get_irq(qts, LAYOUT_IRQ_SCI));

    hotplug(qts, "mem1", "hot1.img");
    rsp = device_add(qts, "nv1", "mem1");
    g_assert_nonnull(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);

    /* The GED interrupts the guest ... */
    g_assert_true(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    /* ... whose _EVT finds the NVDIMM bit; reading clears it and the
     * interrupt with it. */
    g_assert_cmpuint(qtest_readl(qts, LAYOUT_GED_BASE) &
                     GED_EVENT_NVDIMM_HOTPLUG, ==, GED_EVENT_NVDIMM_HOTPLUG);
    g_assert_false(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    g_assert_cmpuint(qtest_readl(qts, LAYOUT_GED_BASE) &
                     GED_EVENT_NVDIMM_HOTPLUG, ==, 0);

    /* A read in the middle first: the FIT changed under the reader. */
    g_assert_cmpuint(read_fit(qts, 8, &rlen), ==,
                     NVDIMM_DSM_RET_STATUS_FIT_CHANGED);
    g_assert_cmpuint(read_fit(qts, 0, &rlen), ==, 0);
    g_assert_cmpuint(rlen, ==, 8 + 2 * FIT_PER_DIMM);

    devs = memory_devices(qts);
    g_assert_cmpuint(json_array_get_length(devs), ==, 2);
    d = device_data(devs, 1);
    g_assert_cmpstr(json_object_get_string_member(d, "id"), ==, "nv1");
    g_assert_cmpint(json_object_get_int_member(d, "slot"), ==, 1);
    g_assert_true(json_object_get_boolean_member(d, "hotplugged"));
    g_assert_cmpint(json_object_get_int_member(d, "size"), ==, DIMM_SIZE);
    g_assert_cmpstr(json_object_get_string_member(d, "memdev"), ==,
                    "/objects/mem1");
    /* Placed after the cold-plugged DIMM, inside the window. */
    g_assert_cmpint(json_object_get_int_member(d, "addr"), >,
                    json_object_get_int_member(device_data(devs, 0), "addr"));
    qtest_quit(qts);
}

/* Each hot-added DIMM takes a slot and counts against maxmem. */
static void test_hotplug_limits(void)
{
    QTestState *qts = start(NULL);
    JsonObject *rsp;

    hotplug(qts, "mem1", "lim1.img");
    rsp = device_add(qts, "nv1", "mem1");
    json_object_unref(rsp);
    /* The backend is taken now. */
    rsp = device_add(qts, "nv1b", "mem1");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "can't use already busy memdev: mem1");
    json_object_unref(rsp);
    rsp = qtest_qmp(qts, "{'execute': 'object-del', "
                    "'arguments': {'id': 'mem1'}}");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "object 'mem1' is in use, can not be deleted");
    json_object_unref(rsp);
    /* A duplicate id. */
    hotplug(qts, "mem2", "lim2.img");
    rsp = device_add(qts, "nv1", "mem2");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "Duplicate device ID 'nv1'");
    json_object_unref(rsp);
    /* Third slot of three. */
    rsp = device_add(qts, "nv2", "mem2");
    g_assert_nonnull(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);
    hotplug(qts, "mem3", "lim3.img");
    rsp = device_add(qts, "nv3", "mem3");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, "no free slots available");
    json_object_unref(rsp);
    /* The failed device left nothing behind: mem3 is free to delete. */
    qtest_qmp_assert_success(qts, "{'execute': 'object-del', "
                             "'arguments': {'id': 'mem3'}}");
    qtest_quit(qts);
}

/* NVDIMMs cannot be unplugged (QEMU and Linux's NFIT driver agree). */
static void test_unplug_refused(void)
{
    QTestState *qts = start(NULL);
    JsonObject *rsp;

    rsp = qtest_qmp(qts, "{'execute': 'device_del', "
                    "'arguments': {'id': 'nv0'}}");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "nvdimm device hot unplug is not supported yet.");
    json_object_unref(rsp);
    rsp = qtest_qmp(qts, "{'execute': 'device_del', "
                    "'arguments': {'id': 'nope'}}");
    g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "DeviceNotFound");
    json_object_unref(rsp);
    qtest_quit(qts);
}

/* The same QMP story on QEMU 7.2 gives the same answers. */
static void test_compare_qemu(void)
{
    const char *qemu = g_find_program_in_path("qemu-system-x86_64");
    g_autofree char *answers[2] = { NULL, NULL };
    const char *saved = g_getenv("QTEST_QEMU_BINARY");
    int i;

    if (!qemu) {
        g_test_skip("qemu-system-x86_64 (QEMU 7.2) is not installed");
        return;
    }
    for (i = 0; i < 2; i++) {
        QTestState *qts;
        g_autoptr(JsonArray) devs = NULL;
        GString *s = g_string_new(NULL);
        JsonObject *rsp;
        guint j;

        if (i == 1) {
            g_setenv("QTEST_QEMU_BINARY", qemu, TRUE);
        }
        qts = start(i == 1 ? qemu : NULL);
        hotplug(qts, "mem1", i ? "q1.img" : "p1.img");
        rsp = device_add(qts, "nv1", "mem1");
        json_object_unref(rsp);
        rsp = device_add(qts, "nv9", "mem1");
        g_string_append_printf(s, "busy: %s\n", qmp_rsp_error_desc(rsp));
        json_object_unref(rsp);
        rsp = qtest_qmp(qts, "{'execute': 'device_del', "
                        "'arguments': {'id': 'nv1'}}");
        g_string_append_printf(s, "unplug: %s\n", qmp_rsp_error_desc(rsp));
        json_object_unref(rsp);
        devs = memory_devices(qts);
        for (j = 0; j < json_array_get_length(devs); j++) {
            JsonObject *d = device_data(devs, j);
            g_string_append_printf(s, "%s slot=%" PRId64 " addr=0x%" PRIx64
                " size=0x%" PRIx64 " hotplugged=%d memdev=%s\n",
                json_object_get_string_member(d, "id"),
                json_object_get_int_member(d, "slot"),
                json_object_get_int_member(d, "addr"),
                json_object_get_int_member(d, "size"),
                json_object_get_boolean_member(d, "hotplugged"),
                json_object_get_string_member(d, "memdev"));
        }
        qtest_quit(qts);
        answers[i] = g_string_free(s, FALSE);
        if (i == 1) {
            if (saved) {
                g_setenv("QTEST_QEMU_BINARY", saved, TRUE);
            } else {
                g_unsetenv("QTEST_QEMU_BINARY");
            }
        }
    }
    g_assert_cmpstr(answers[0], ==, answers[1]);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-hotplug-XXXXXX", NULL);
    g_test_add_func("/nvdimm-hotplug/add", test_hotplug_nvdimm);
    g_test_add_func("/nvdimm-hotplug/limits", test_hotplug_limits);
    g_test_add_func("/nvdimm-hotplug/unplug-refused", test_unplug_refused);
    g_test_add_func("/nvdimm-hotplug/compare-qemu", test_compare_qemu);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp_dir);
    (void)!system(cmd);
    return ret;
}
