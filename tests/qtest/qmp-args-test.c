/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the arguments object-add, device_add, device_del and object-del
 * take, as a new user tries them, in QMP and through the human monitor.
 *
 * One machine (an NVDIMM and a virtio-pmem-pci cold-plugged) receives a
 * batch of requests in order; each answer must be QEMU 7.2's, recorded in
 * the table: success, or the error text (and, for QMP, its class).  When
 * qemu-system-x86_64 is installed the same batch runs on it too and must
 * give the table's answers, which keeps the table honest.  The memory
 * devices present afterwards are compared as well.
 *
 * QEMU 7.2 types object-add strictly (its QAPI schema), like -object's
 * JSON form, but converts device_add's values to text, like -device's
 * key=value form: {"slot": "2"} and {"slot": 2} both work.
 */
#include "qemu/osdep.h"

#include <fcntl.h>

#include "libqtest.h"
#include "qtest-util.h"

static char *tmp_dir;

typedef struct ArgCase {
    const char *request;        /* QMP, '@D@' = the VMM's directory */
    const char *error;          /* QEMU 7.2's error, NULL for success */
    const char *error_class;    /* NULL: GenericError */
} ArgCase;

#define OK NULL
#define NOT_FOUND "DeviceNotFound"
#define BACKEND_A "'qom-type': 'memory-backend-file', 'id': 'a', " \
                  "'mem-path': '@D@/c.img', 'size': 16777216"
#define RAM(id)   "{'execute': 'object-add', 'arguments': {" \
                  "'qom-type': 'memory-backend-ram', 'id': '" id "', " \
                  "'size': 16777216}}"

static const ArgCase cases[] = {
    { "{'execute': 'object-add', 'arguments': {" BACKEND_A ", "
      "'share': true}}", OK },
    /* The example: every value a string, as keyval has them. */
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n1', 'memdev': 'a', 'slot': '2', 'unarmed': 'on', "
      "'label-size': '131072'}}", OK },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n1', 'memdev': 'a'}}", "Duplicate device ID 'n1'" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'nv0', 'memdev': 'a'}}", "Duplicate device ID 'nv0'" },
    /* QEMU looks at the id before the properties. */
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'nv0', 'memdev': 'a', 'slot': 'x', 'bogus': '1'}}",
      "Duplicate device ID 'nv0'" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'virtio-pmem-pci', "
      "'id': 'vp0', 'memdev': 'a', 'memaddr': 'x'}}",
      "Duplicate device ID 'vp0'" },
    { "{'execute': 'object-add', 'arguments': {" BACKEND_A "}}",
      "attempt to add duplicate property 'a' to object (type "
      "'container')" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'm0', 'size': 16777216}}",
      "attempt to add duplicate property 'm0' to object (type "
      "'container')" },
    /* object-add is typed. */
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'b', 'size': '16M'}}",
      "Parameter 'size' expects uint64" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'b', 'size': '16777216'}}",
      "Parameter 'size' expects uint64" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'b', 'size': 16777216, 'share': 'on'}}",
      "Invalid parameter type for 'share', expected: boolean" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-file', 'id': 'b', 'mem-path': 5, "
      "'size': 16777216}}",
      "Invalid parameter type for 'mem-path', expected: string" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 5, 'size': 16777216}}",
      "Invalid parameter type for 'id', expected: string" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'size': 16777216}}",
      "Parameter 'id' is missing" },
    { "{'execute': 'object-add', 'arguments': {'id': 'b'}}",
      "Parameter 'qom-type' is missing" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-foo', 'id': 'b'}}",
      "Parameter 'qom-type' does not accept value 'memory-backend-foo'" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'b', 'size': 16777216, 'bogus': 1}}",
      "Parameter 'bogus' is unexpected" },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': '1b', 'size': 16777216}}",
      "Parameter 'id' expects an identifier" },
    { RAM("b"), OK },
    { RAM("c"), OK },
    { RAM("d"), OK },
    /* device_add: every value is text, whatever its JSON type. */
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 5}}", "Device '5' not found", NOT_FOUND },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'slot': 2.5}}",
      "Parameter 'slot' expects integer" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'slot': 'x'}}",
      "Parameter 'slot' expects integer" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'slot': 2.0}}", "slot 2 is busy" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'unarmed': 'maybe'}}",
      "Parameter 'unarmed' expects 'on' or 'off'" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'node': -1}}",
      "Parameter 'node' expects uint32_t" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'bogus': '1'}}",
      "Property 'nvdimm.bogus' not found" },
    { "{'execute': 'device_add', 'arguments': {'driver': 5}}",
      "'5' is not a valid device model name" },
    { "{'execute': 'device_add', 'arguments': {}}",
      "Parameter 'driver' is missing" },
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': '', 'memdev': 'b'}}", "Parameter 'id' expects an identifier" },
    /* Objects and arrays are skipped; a boolean is "on"/"off". */
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 'n3', 'memdev': 'b', 'bogus': {'x': 1}, 'unarmed': true, "
      "'label-size': '128K'}}", OK },
    /* An id that is not a string is no id. */
    { "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', "
      "'id': 5, 'memdev': 'c'}}", OK },
    /* device_del: ids and QOM paths. */
    { "{'execute': 'device_del', 'arguments': {'id': 'nv0'}}",
      "nvdimm device hot unplug is not supported yet." },
    { "{'execute': 'device_del', 'arguments': {'id': "
      "'/machine/peripheral/n1'}}",
      "nvdimm device hot unplug is not supported yet." },
    { "{'execute': 'device_del', 'arguments': {'id': "
      "'/machine/peripheral-anon/device[0]'}}",
      "nvdimm device hot unplug is not supported yet." },
    { "{'execute': 'device_del', 'arguments': {'id': 'zz'}}",
      "Device 'zz' not found", NOT_FOUND },
    { "{'execute': 'device_del', 'arguments': {'id': "
      "'/machine/peripheral/zz'}}",
      "Device '/machine/peripheral/zz' not found", NOT_FOUND },
    { "{'execute': 'device_del', 'arguments': {'id': 'peripheral/nv0'}}",
      "Device 'peripheral/nv0' not found", NOT_FOUND },
    { "{'execute': 'device_del', 'arguments': {'id': '/machine'}}",
      "/machine is not a hotpluggable device" },
    { "{'execute': 'device_del', 'arguments': {'id': '/objects/b'}}",
      "/objects/b is not a hotpluggable device" },
    { "{'execute': 'device_del', 'arguments': {'id': 5}}",
      "Invalid parameter type for 'id', expected: string" },
    { "{'execute': 'device_del', 'arguments': {}}",
      "Parameter 'id' is missing" },
    { "{'execute': 'device_del', 'arguments': {'id': 'nv0', 'x': 1}}",
      "Parameter 'x' is unexpected" },
    /* object-del */
    { "{'execute': 'object-del', 'arguments': {'id': 'a'}}",
      "object 'a' is in use, can not be deleted" },
    { "{'execute': 'object-del', 'arguments': {'id': 'zz'}}",
      "object 'zz' not found" },
    { "{'execute': 'object-del', 'arguments': {'id': 5}}",
      "Invalid parameter type for 'id', expected: string" },
    { "{'execute': 'object-del', 'arguments': {}}",
      "Parameter 'id' is missing" },
    { "{'execute': 'object-del', 'arguments': {'id': 'd', 'x': 1}}",
      "Parameter 'x' is unexpected" },
    { "{'execute': 'object-del', 'arguments': {'id': 'd'}}", OK },
};

/* ---- Both VMMs in the same state ---- */

/* pmemvm, or QEMU 7.2 (NULL, test skipped, if it is not installed). */
static QTestState *start(bool qemu, char **dir)
{
    g_autofree char *args = NULL;

    *dir = g_strdup_printf("%s/%s", tmp_dir, qemu ? "qemu" : "pmemvm");
    g_assert_cmpint(g_mkdir_with_parents(*dir, 0700), ==, 0);
    make_sized_file(*dir, "a.img", 16 * MiB);
    make_sized_file(*dir, "b.img", 16 * MiB);
    make_sized_file(*dir, "c.img", 16 * MiB);
    args = g_strdup_printf(
        "-machine pc,nvdimm=on -m 128M,slots=8,maxmem=4G "
        "-object memory-backend-file,id=m0,share=on,mem-path=%s/a.img,"
        "size=16M -device nvdimm,id=nv0,memdev=m0 "
        "-object memory-backend-file,id=m1,mem-path=%s/b.img,size=16M "
        "-device virtio-pmem-pci,id=vp0,memdev=m1", *dir, *dir);
    return qemu ? qemu_qtest_init(args) : qtest_init(args);
}

/* "ok" or "CLASS: desc" */
static char *answer(JsonObject *rsp)
{
    if (json_object_has_member(rsp, "return")) {
        return g_strdup("ok");
    }
    return g_strdup_printf("%s: %s", qmp_rsp_error_class(rsp),
                           qmp_rsp_error_desc(rsp));
}

/* "type id" of every memory device, one per line. */
static char *memory_devices(QTestState *qts)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-memory-devices'}");
    JsonArray *list = json_node_get_array(ret);
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *dev = json_array_get_object_element(list, i);
        JsonObject *data = json_object_get_object_member(dev, "data");

        g_string_append_printf(s, "%s %s %s\n",
                               json_object_get_string_member(dev, "type"),
                               json_object_has_member(data, "id") ?
                               json_object_get_string_member(data, "id") :
                               "(no id)",
                               json_object_get_string_member(data,
                                                             "memdev"));
    }
    return g_string_free(s, FALSE);
}

static void run_cases(bool qemu)
{
    g_autofree char *dir = NULL;
    g_autofree char *devs = NULL;
    QTestState *qts = start(qemu, &dir);

    if (!qts) {
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const ArgCase *c = &cases[i];
        g_autofree char *req = expand_dir(c->request, dir);
        g_autofree char *want = c->error ?
            g_strdup_printf("%s: %s", c->error_class ?: "GenericError",
                            c->error) : g_strdup("ok");
        JsonObject *rsp = qtest_qmp(qts, req);
        g_autofree char *got = answer(rsp);

        g_test_message("%s\n  -> %s", req, got);
        g_assert_cmpstr(got, ==, want);
        json_object_unref(rsp);
    }
    devs = memory_devices(qts);
    g_assert_cmpstr(devs, ==,
                    "nvdimm nv0 /objects/m0\n"
                    "virtio-pmem vp0 /objects/m1\n"
                    "nvdimm n1 /objects/a\n"
                    "nvdimm n3 /objects/b\n"
                    "nvdimm (no id) /objects/c\n");
    qtest_quit(qts);
    remove_dir(dir);
}

static void test_pmemvm(void)
{
    run_cases(false);
}

static void test_qemu(void)
{
    run_cases(true);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("qmp-args-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    g_test_add_func("/qmp-args/pmemvm", test_pmemvm);
    g_test_add_func("/qmp-args/qemu", test_qemu);
    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
