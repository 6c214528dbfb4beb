/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt-probe: libvirt 9.0's capability probe, as it talks to pmemvm.
 *
 * pmemvm starts as libvirt starts it for the probe (-S -no-user-config
 * -nodefaults -nographic -machine none,accel=kvm:tcg; here under qtest)
 * and gets the QMP commands libvirt 9.0 sent it, in the same order (seen
 * in libvirtd's monitor log).  Each answer must be either an error libvirt
 * takes as "not there" (DeviceNotFound for a device pmemvm lacks) or a
 * value that matches the ret-type pmemvm's own query-qmp-schema gives for
 * the command: the schema is checked against what the commands return.
 * Then the facts libvirt decides by: the types that are there and those
 * that are not, KVM, the default machine and its RAM id, the schema paths
 * libvirt looks up.  Then the commands libvirt 9.0 sends to start,
 * hot-plug and shut down a domain, on its command line: again each answer
 * must match pmemvm's schema.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "libqtest.h"
#include "qtest-util.h"

#define PROBE_ARGS "-S -no-user-config -nodefaults -nographic " \
                   "-machine none,accel=kvm:tcg"

/* ---- Checking a value against SchemaInfo ---- */

typedef struct Schema {
    GHashTable *types;              /* SchemaInfo name -> JsonObject */
    JsonNode *root;
} Schema;

static JsonObject *schema_entry(Schema *s, const char *name)
{
    JsonObject *e = g_hash_table_lookup(s->types, name);

    if (!e) {
        g_error("schema: type '%s' is used but not defined", name);
    }
    return e;
}

static bool check_value(Schema *s, JsonNode *v, const char *type,
                        GString *why);

static bool check_builtin(JsonNode *v, const char *json_type, GString *why)
{
    GType t = JSON_NODE_HOLDS_VALUE(v) ? json_node_get_value_type(v) :
              G_TYPE_INVALID;
    bool ok;

    if (!strcmp(json_type, "value")) {
        return true;
    } else if (!strcmp(json_type, "string")) {
        ok = t == G_TYPE_STRING;
    } else if (!strcmp(json_type, "int")) {
        ok = t == G_TYPE_INT64;
    } else if (!strcmp(json_type, "number")) {
        ok = t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
    } else if (!strcmp(json_type, "boolean")) {
        ok = t == G_TYPE_BOOLEAN;
    } else if (!strcmp(json_type, "null")) {
        ok = JSON_NODE_HOLDS_NULL(v);
    } else {
        ok = false;
    }
    if (!ok) {
        g_string_append_printf(why, "not a %s; ", json_type);
    }
    return ok;
}

/* Members of @type (an object) that @obj may have; checks each one. */
static bool check_members(Schema *s, JsonObject *obj, JsonArray *members,
                          GHashTable *seen, GString *why)
{
    for (guint i = 0; i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);
        const char *name = json_object_get_string_member(m, "name");
        JsonNode *v = json_object_get_member(obj, name);

        g_hash_table_add(seen, (gpointer)name);
        if (!v) {
            if (!json_object_has_member(m, "default")) {
                g_string_append_printf(why, "member '%s' missing; ", name);
                return false;
            }
            continue;
        }
        if (!check_value(s, v, json_object_get_string_member(m, "type"),
                         why)) {
            g_string_append_printf(why, "in member '%s'; ", name);
            return false;
        }
    }
    return true;
}

static bool check_object(Schema *s, JsonNode *v, JsonObject *e, GString *why)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GList) keys = NULL;
    JsonObject *obj;

    if (!JSON_NODE_HOLDS_OBJECT(v)) {
        g_string_append(why, "not an object; ");
        return false;
    }
    obj = json_node_get_object(v);
    if (!check_members(s, obj, json_object_get_array_member(e, "members"),
                       seen, why)) {
        return false;
    }
    if (json_object_has_member(e, "variants")) {
        const char *tag = json_object_get_string_member(e, "tag");
        const char *val = json_object_get_string_member(obj, tag);
        JsonArray *vars = json_object_get_array_member(e, "variants");

        for (guint i = 0; i < json_array_get_length(vars); i++) {
            JsonObject *var = json_array_get_object_element(vars, i);
            JsonObject *branch;

            if (strcmp(json_object_get_string_member(var, "case"), val)) {
                continue;
            }
            branch = schema_entry(s, json_object_get_string_member(var,
                                                                   "type"));
            if (!check_members(s, obj, json_object_get_array_member(
                                   branch, "members"), seen, why)) {
                return false;
            }
        }
    }
    keys = json_object_get_members(obj);
    for (GList *l = keys; l; l = l->next) {
        if (!g_hash_table_contains(seen, l->data)) {
            g_string_append_printf(why, "member '%s' is not in the schema; ",
                                   (char *)l->data);
            return false;
        }
    }
    return true;
}

static bool check_value(Schema *s, JsonNode *v, const char *type,
                        GString *why)
{
    JsonObject *e = schema_entry(s, type);
    const char *meta = json_object_get_string_member(e, "meta-type");

    if (!strcmp(meta, "builtin")) {
        return check_builtin(v, json_object_get_string_member(e, "json-type"),
                             why);
    }
    if (!strcmp(meta, "array")) {
        JsonArray *a;
        const char *elem = json_object_get_string_member(e, "element-type");

        if (!JSON_NODE_HOLDS_ARRAY(v)) {
            g_string_append(why, "not an array; ");
            return false;
        }
        a = json_node_get_array(v);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            if (!check_value(s, json_array_get_element(a, i), elem, why)) {
                g_string_append_printf(why, "in element %u; ", i);
                return false;
            }
        }
        return true;
    }
    if (!strcmp(meta, "enum")) {
        JsonArray *vals = json_object_get_array_member(e, "values");

        if (JSON_NODE_HOLDS_VALUE(v) &&
            json_node_get_value_type(v) == G_TYPE_STRING) {
            for (guint i = 0; i < json_array_get_length(vals); i++) {
                if (!strcmp(json_array_get_string_element(vals, i),
                            json_node_get_string(v))) {
                    return true;
                }
            }
        }
        g_string_append(why, "not one of the enum's values; ");
        return false;
    }
    if (!strcmp(meta, "alternate")) {
        JsonArray *m = json_object_get_array_member(e, "members");

        for (guint i = 0; i < json_array_get_length(m); i++) {
            g_autoptr(GString) ignored = g_string_new(NULL);

            if (check_value(s, v, json_object_get_string_member(
                    json_array_get_object_element(m, i), "type"), ignored)) {
                return true;
            }
        }
        g_string_append(why, "no branch of the alternate; ");
        return false;
    }
    g_assert_cmpstr(meta, ==, "object");
    return check_object(s, v, e, why);
}

static void schema_load(Schema *s, QTestState *qts)
{
    JsonArray *list;

    s->root = qtest_qmp_assert_success_ref(qts,
                                           "{'execute': 'query-qmp-schema'}");
    s->types = g_hash_table_new(g_str_hash, g_str_equal);
    list = json_node_get_array(s->root);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);

        g_assert_null(g_hash_table_lookup(
            s->types, json_object_get_string_member(e, "name")));
        g_hash_table_insert(s->types,
                            (gpointer)json_object_get_string_member(e, "name"),
                            e);
    }
}

static void schema_free(Schema *s)
{
    g_hash_table_destroy(s->types);
    json_node_unref(s->root);
}

/* ---- The probe ---- */

/* What libvirt 9.0 sent pmemvm, in order (after query-qmp-schema). */
static const char *const probe_commands[] = {
    "{'execute': 'query-version'}",
    "{'execute': 'query-target'}",
    "{'execute': 'query-commands'}",
    "{'execute': 'query-kvm'}",
    "{'execute': 'qom-list-types'}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'virtio-blk-pci'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'scsi-hd'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'ide-hd'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'PIIX4_PM'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'kvm-pit'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'ICH9-LPC'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'virtio-balloon-pci'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'virtio-balloon-ccw'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'virtio-balloon-device'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'nvdimm'}}",
    "{'execute': 'device-list-properties', 'arguments': "
    "{'typename': 'usb-host'}}",
    "{'execute': 'qom-list-properties', 'arguments': "
    "{'typename': 'memory-backend-file'}}",
    "{'execute': 'query-machines'}",
    "{'execute': 'qom-list-properties', 'arguments': "
    "{'typename': 'none-machine'}}",
    "{'execute': 'query-cpu-definitions'}",
    "{'execute': 'query-tpm-models'}",
    "{'execute': 'query-command-line-options'}",
    "{'execute': 'query-migrate-capabilities'}",
};

static char *command_name(const char *request)
{
    g_autoptr(GRegex) re = g_regex_new("'execute': '([^']*)'", 0, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;

    g_assert_true(g_regex_match(re, request, 0, &m));
    return g_match_info_fetch(m, 1);
}

static const char *command_ret_type(Schema *s, const char *name)
{
    JsonObject *e = g_hash_table_lookup(s->types, name);

    g_assert_nonnull(e);
    g_assert_cmpstr(json_object_get_string_member(e, "meta-type"), ==,
                    "command");
    return json_object_get_string_member(e, "ret-type");
}

static void test_probe_sequence(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    Schema s;

    schema_load(&s, qts);
    for (size_t i = 0; i < G_N_ELEMENTS(probe_commands); i++) {
        g_autofree char *name = command_name(probe_commands[i]);
        JsonObject *rsp = qtest_qmp(qts, probe_commands[i]);
        g_autoptr(GString) why = g_string_new(NULL);

        if (json_object_has_member(rsp, "error")) {
            /* only a device pmemvm does not have */
            g_assert_cmpstr(name, ==, "device-list-properties");
            g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "DeviceNotFound");
            g_test_message("%s: %s", probe_commands[i],
                           qmp_rsp_error_desc(rsp));
        } else if (!check_value(&s, json_object_get_member(rsp, "return"),
                                command_ret_type(&s, name), why)) {
            g_error("%s: the answer does not match pmemvm's schema: %s",
                    probe_commands[i], why->str);
        }
        json_object_unref(rsp);
    }
    schema_free(&s);
    qtest_quit(qts);
}

/* ---- The domain start ---- */

/*
 * libvirt 9.0's command line for the e2e domain (tests/e2e/libvirt-lib.sh;
 * its secret, pty, fd monitor, -sandbox and -msg are left out: other
 * tests have them), under qtest.
 */
#define DOMAIN_ARGS \
    "-S -no-user-config -nodefaults -nographic -name guest=g,debug-threads=on " \
    "-machine pc-i440fx-7.2,usb=off,dump-guest-core=off,nvdimm=on " \
    "-cpu qemu64 -m size=524288k,slots=4,maxmem=8388608k " \
    "-overcommit mem-lock=off -smp 1,sockets=1,cores=1,threads=1 " \
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\"," \
    "\"size\":536870912}' -numa node,nodeid=0,cpus=0,memdev=ram-node0 " \
    "-rtc base=utc -no-shutdown -boot strict=on " \
    "-object '{\"qom-type\":\"memory-backend-file\",\"id\":\"memnvdimm0\"," \
    "\"mem-path\":\"@D@/nv0.img\",\"share\":true,\"prealloc\":true," \
    "\"size\":16777216}' " \
    "-device '{\"driver\":\"nvdimm\",\"node\":0,\"label-size\":131072," \
    "\"memdev\":\"memnvdimm0\",\"id\":\"nvdimm0\",\"slot\":0}'"

/*
 * What libvirt 9.0 sent pmemvm after qmp_capabilities to start that
 * domain, resume it, attach an NVDIMM and a virtio-pmem device, detach
 * the latter and shut the guest down (libvirtd.log of the e2e items
 * libvirt-paused and libvirt-guest, in order).  @CPU@ is the vCPU's QOM
 * path from query-cpus-fast.
 */
static const char *const domain_commands[] = {
    "{'execute': 'query-migrate-capabilities'}",
    "{'execute': 'migrate-set-capabilities', 'arguments': {'capabilities': "
    "[{'capability': 'events', 'state': true}]}}",
    "{'execute': 'query-chardev'}",
    "{'execute': 'query-cpus-fast'}",
    "{'execute': 'qom-list', 'arguments': {'path': '@CPU@'}}",
    "{'execute': 'query-named-block-nodes', 'arguments': {'flat': true}}",
    "{'execute': 'qom-list', 'arguments': {'path': '/machine/peripheral'}}",
    "{'execute': 'query-memory-devices'}",
    "{'execute': 'query-block'}",
    "{'execute': 'cont'}",
    "{'execute': 'object-add', 'arguments': {'qom-type': "
    "'memory-backend-file', 'id': 'memnvdimm1', 'mem-path': '@D@/nv1.img', "
    "'share': true, 'prealloc': true, 'size': 16777216}}",
    "{'execute': 'device_add', 'arguments': {'driver': 'nvdimm', 'node': 0, "
    "'label-size': 131072, 'memdev': 'memnvdimm1', 'id': 'nvdimm1', "
    "'slot': 1}}",
    "{'execute': 'query-memory-devices'}",
    "{'execute': 'object-add', 'arguments': {'qom-type': "
    "'memory-backend-file', 'id': 'memvirtiopmem0', "
    "'mem-path': '@D@/vp0.img', 'share': true, 'size': 16777216}}",
    "{'execute': 'device_add', 'arguments': {'driver': 'virtio-pmem-pci', "
    "'memdev': 'memvirtiopmem0', 'id': 'virtiopmem0', 'bus': 'pci.0', "
    "'addr': '0x2'}}",
    "{'execute': 'query-memory-devices'}",
    "{'execute': 'qom-list', 'arguments': {'path': '/machine/peripheral'}}",
    "{'execute': 'device_del', 'arguments': {'id': 'virtiopmem0'}}",
    "{'execute': 'system_powerdown'}",
};

/* The QOM path query-cpus-fast gives vCPU 0 (g_free). */
static char *cpu0_path(QTestState *qts)
{
    g_autoptr(JsonNode) cpus = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-cpus-fast'}");
    JsonObject *cpu = json_array_get_object_element(
        json_node_get_array(cpus), 0);

    return g_strdup(json_object_get_string_member(cpu, "qom-path"));
}

/*
 * Every answer matches pmemvm's own schema; the one error is qom-list of
 * the vCPU's path, DeviceNotFound (pmemvm has no QOM objects for its
 * vCPUs; libvirt goes on without the CPU features it would read there).
 */
static void test_domain_start(void)
{
    g_autofree char *dir = g_dir_make_tmp("libvirt-domain-XXXXXX", NULL);
    g_autofree char *args = NULL;
    g_autofree char *cpu = NULL;
    QTestState *qts;
    Schema s;

    g_assert_nonnull(dir);
    make_sized_file(dir, "nv0.img", 16 << 20);
    make_sized_file(dir, "nv1.img", 16 << 20);
    make_sized_file(dir, "vp0.img", 16 << 20);
    args = expand_dir(DOMAIN_ARGS, dir);
    qts = qtest_init(args);
    schema_load(&s, qts);
    cpu = cpu0_path(qts);
    for (size_t i = 0; i < G_N_ELEMENTS(domain_commands); i++) {
        g_autofree char *name = command_name(domain_commands[i]);
        g_autofree char *with_dir = expand_dir(domain_commands[i], dir);
        g_autoptr(GRegex) re = g_regex_new("@CPU@", 0, 0, NULL);
        g_autofree char *req = g_regex_replace_literal(re, with_dir, -1, 0,
                                                       cpu, 0, NULL);
        JsonObject *rsp = qtest_qmp(qts, req);
        g_autoptr(GString) why = g_string_new(NULL);

        if (json_object_has_member(rsp, "error")) {
            g_test_message("%s: %s", req, qmp_rsp_error_desc(rsp));
            if (!strstr(domain_commands[i], "@CPU@") ||
                strcmp(qmp_rsp_error_class(rsp), "DeviceNotFound")) {
                g_error("%s: libvirt cannot go on: %s", req,
                        qmp_rsp_error_desc(rsp));
            }
        } else if (!check_value(&s, json_object_get_member(rsp, "return"),
                                command_ret_type(&s, name), why)) {
            g_error("%s: the answer does not match pmemvm's schema: %s",
                    req, why->str);
        }
        json_object_unref(rsp);
    }
    schema_free(&s);
    qtest_quit(qts);
    remove_dir(dir);
}

/* Every command has a schema entry; every type used is defined. */
static void test_schema_complete(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    g_autoptr(JsonNode) cmds = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-commands'}");
    JsonArray *list = json_node_get_array(cmds);
    JsonArray *all;
    Schema s;

    schema_load(&s, qts);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(list, i), "name");

        command_ret_type(&s, name);
    }
    all = json_node_get_array(s.root);
    for (guint i = 0; i < json_array_get_length(all); i++) {
        JsonObject *e = json_array_get_object_element(all, i);
        const char *keys[] = { "arg-type", "ret-type", "element-type" };

        for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
            if (json_object_has_member(e, keys[k])) {
                schema_entry(&s, json_object_get_string_member(e, keys[k]));
            }
        }
    }
    schema_free(&s);
    qtest_quit(qts);
}

static bool list_has_name(JsonNode *list, const char *name)
{
    JsonArray *a = json_node_get_array(list);

    for (guint i = 0; i < json_array_get_length(a); i++) {
        if (!strcmp(json_object_get_string_member(
                json_array_get_object_element(a, i), "name"), name)) {
            return true;
        }
    }
    return false;
}

/* The types libvirt looks for: present where pmemvm models them. */
static void test_types(void)
{
    static const char *const present[] = {
        "nvdimm", "virtio-pmem-pci", "memory-backend-file",
        "memory-backend-ram", "secret", "isa-serial", "kvm-accel",
    };
    /* libvirt emits these when present; pmemvm does not model them */
    static const char *const absent[] = {
        "tcg-accel", "piix3-usb-uhci", "virtio-balloon-pci", "pc-dimm",
        "virtio-blk-pci", "ide-hd", "pci-bridge", "memory-backend-memfd",
        "sev-guest", "sgx-epc", "VGA",
    };
    QTestState *qts = qtest_init(PROBE_ARGS);
    g_autoptr(JsonNode) types = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-types'}");

    for (size_t i = 0; i < G_N_ELEMENTS(present); i++) {
        g_assert_true(list_has_name(types, present[i]));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(absent); i++) {
        g_assert_false(list_has_name(types, absent[i]));
    }
    qtest_quit(qts);
}

/* KVM compiled in, not this VM's accelerator (qtest); pc is default. */
static void test_kvm_and_machines(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    g_autoptr(JsonNode) kvm = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-kvm'}");
    g_autoptr(JsonNode) machines = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-machines'}");
    JsonArray *a = json_node_get_array(machines);
    bool found = false;

    g_assert_true(json_object_get_boolean_member(
        json_node_get_object(kvm), "present"));
    g_assert_false(json_object_get_boolean_member(
        json_node_get_object(kvm), "enabled"));
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *m = json_array_get_object_element(a, i);

        if (strcmp(json_object_get_string_member(m, "name"),
                   "pc-i440fx-7.2")) {
            continue;
        }
        found = true;
        g_assert_cmpstr(json_object_get_string_member(m, "alias"), ==, "pc");
        g_assert_true(json_object_get_boolean_member(m, "is-default"));
        g_assert_cmpstr(json_object_get_string_member(m, "default-ram-id"),
                        ==, "pc.ram");
    }
    g_assert_true(found);
    qtest_quit(qts);
}

/*
 * The schema paths libvirt 9.0 checks that pmemvm has: JSON -object
 * ("object-add/arg-type/qom-type/^secret") and JSON -device
 * ("device_add/$json-cli-hotplug").
 */
static void test_schema_paths(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    Schema s;
    JsonObject *cmd, *args, *qom_type = NULL, *e;
    JsonArray *members, *features;
    bool secret = false, hotplug = false;

    schema_load(&s, qts);
    cmd = schema_entry(&s, "object-add");
    args = schema_entry(&s, json_object_get_string_member(cmd, "arg-type"));
    members = json_object_get_array_member(args, "members");
    for (guint i = 0; i < json_array_get_length(members); i++) {
        e = json_array_get_object_element(members, i);
        if (!strcmp(json_object_get_string_member(e, "name"), "qom-type")) {
            qom_type = schema_entry(&s, json_object_get_string_member(e,
                                                                      "type"));
        }
    }
    g_assert_nonnull(qom_type);
    members = json_object_get_array_member(qom_type, "values");
    for (guint i = 0; i < json_array_get_length(members); i++) {
        secret |= !strcmp(json_array_get_string_element(members, i),
                          "secret");
    }
    g_assert_true(secret);
    cmd = schema_entry(&s, "device_add");
    features = json_object_get_array_member(cmd, "features");
    for (guint i = 0; features && i < json_array_get_length(features); i++) {
        hotplug |= !strcmp(json_array_get_string_element(features, i),
                           "json-cli-hotplug");
    }
    g_assert_true(hotplug);
    schema_free(&s);
    qtest_quit(qts);
}

/* -sandbox is there (libvirt then passes it), with QEMU's parameters. */
static void test_command_line_options(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    g_autoptr(JsonNode) opts = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-command-line-options', "
        "'arguments': {'option': 'sandbox'}}");
    JsonArray *a = json_node_get_array(opts);
    JsonObject *rsp;
    JsonNode *params;

    g_assert_cmpuint(json_array_get_length(a), ==, 1);
    params = json_object_get_member(json_array_get_object_element(a, 0),
                                    "parameters");
    g_assert_true(list_has_name(params, "enable"));
    g_assert_true(list_has_name(params, "spawn"));
    g_assert_true(list_has_name(params, "elevateprivileges"));
    rsp = qtest_qmp(qts, "{'execute': 'query-command-line-options', "
                    "'arguments': {'option': 'spice'}}");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, "invalid option name: spice");
    json_object_unref(rsp);
    qtest_quit(qts);
}

/*
 * libvirt 9.0 turns the "events" migration capability on for every domain
 * it starts; it is the only one pmemvm has (it cannot migrate).
 */
static void test_migrate_events(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    g_autoptr(JsonNode) caps = NULL;
    JsonObject *rsp;

    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-capabilities', "
                             "'arguments': {'capabilities': [{'capability': "
                             "'events', 'state': true}]}}");
    caps = qtest_qmp_assert_success_ref(qts, "{'execute': "
                                        "'query-migrate-capabilities'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(caps)), ==, 1);
    g_assert_true(json_object_get_boolean_member(
        json_array_get_object_element(json_node_get_array(caps), 0),
        "state"));
    rsp = qtest_qmp(qts, "{'execute': 'migrate-set-capabilities', "
                    "'arguments': {'capabilities': [{'capability': "
                    "'xbzrle', 'state': true}]}}");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "Parameter 'capability' does not accept value 'xbzrle'");
    json_object_unref(rsp);
    qtest_quit(qts);
}

/* No guest: a device cannot go in; an object can. */
static void test_machine_none_has_no_devices(void)
{
    QTestState *qts = qtest_init(PROBE_ARGS);
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'device_add', "
                                "'arguments': {'driver': 'isa-serial'}}");

    g_assert_nonnull(strstr(qmp_rsp_error_desc(rsp), "no buses"));
    json_object_unref(rsp);
    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'secret', 'id': 's0', "
                             "'data': 'a2V5', 'format': 'base64'}}");
    qtest_quit(qts);
}

/* One line from @fd (a QMP reply or greeting), parsed. */
static JsonObject *read_json_line(int fd)
{
    GString *line = g_string_new(NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n') {
        g_string_append_c(line, c);
    }
    g_assert_true(json_parser_load_from_data(parser, line->str, -1, NULL));
    g_string_free(line, TRUE);
    return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

static void send_line(int fd, const char *text)
{
    g_autofree char *line = g_strconcat(text, "\n", NULL);

    g_assert_cmpint(write(fd, line, strlen(line)), ==, strlen(line));
}

/*
 * The probe exactly as libvirt starts it, without qtest: -daemonize
 * returns once the monitor listens, the pid file names the daemon, and
 * query-kvm tells whether KVM can run here (a VM could be created).
 */
static void test_real_probe(void)
{
    g_autofree char *dir = g_dir_make_tmp("libvirt-probe-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "qmp.monitor", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "qmp.pid", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "%s " PROBE_ARGS " -qmp unix:%s,server=on,wait=off -pidfile %s "
        "-daemonize", qtest_binary(), sock, pidfile);
    g_autofree char *pidtext = NULL, *text = NULL;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    JsonObject *msg, *kvm;
    int fd, status, kvm_fd;
    bool kvm_usable;
    pid_t pid;

    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL));
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    g_assert_true(g_file_get_contents(pidfile, &pidtext, NULL, NULL));
    pid = atoi(pidtext);
    g_assert_cmpint(pid, >, 0);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==,
                    0);
    json_object_unref(read_json_line(fd));           /* the greeting */
    send_line(fd, "{\"execute\": \"qmp_capabilities\"}");
    json_object_unref(read_json_line(fd));
    send_line(fd, "{\"execute\": \"query-kvm\"}");
    msg = read_json_line(fd);
    kvm = json_object_get_object_member(msg, "return");
    kvm_fd = open("/dev/kvm", O_RDWR);
    kvm_usable = kvm_fd >= 0;
    if (kvm_fd >= 0) {
        close(kvm_fd);
    }
    text = qmp_to_string(kvm);
    g_test_message("/dev/kvm %s; query-kvm: %s", kvm_usable ? "opens" :
                   "does not open", text);
    g_assert_true(json_object_get_boolean_member(kvm, "present"));
    if (!kvm_usable) {
        g_assert_false(json_object_get_boolean_member(kvm, "enabled"));
    }
    json_object_unref(msg);
    send_line(fd, "{\"execute\": \"quit\"}");
    close(fd);
    /* up to 20 s: under ASan, LeakSanitizer's pass at exit can take
     * seconds on a loaded machine (2 s was too short in a CI run) */
    for (int i = 0; i < 1000 && kill(pid, 0) == 0; i++) {
        g_usleep(20 * 1000);
    }
    g_assert_cmpint(kill(pid, 0), !=, 0);
    /* the pid file goes with the daemon */
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    remove_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/libvirt-probe/sequence", test_probe_sequence);
    g_test_add_func("/libvirt-probe/domain-start", test_domain_start);
    g_test_add_func("/libvirt-probe/real-probe", test_real_probe);
    g_test_add_func("/libvirt-probe/schema-complete", test_schema_complete);
    g_test_add_func("/libvirt-probe/types", test_types);
    g_test_add_func("/libvirt-probe/kvm-machines", test_kvm_and_machines);
    g_test_add_func("/libvirt-probe/schema-paths", test_schema_paths);
    g_test_add_func("/libvirt-probe/command-line-options",
                    test_command_line_options);
    g_test_add_func("/libvirt-probe/migrate-events", test_migrate_events);
    g_test_add_func("/libvirt-probe/machine-none",
                    test_machine_none_has_no_devices);
    return g_test_run();
}
