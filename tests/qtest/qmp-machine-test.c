/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: QMP about the machine and its objects, pmemvm against QEMU 7.2
 * where QEMU has the same answer to give:
 *
 * - system_powerdown and system_reset: the replies and the events
 *   (POWERDOWN, RESET, SHUTDOWN under -no-reboot) in the same order;
 *   on pmemvm the power button reaches the GED (its SCI and event bit);
 * - a guest that shut down under -no-shutdown comes back with
 *   system_reset + cont (pmemvm only: QEMU's ACPI ports need firmware);
 * - query-name, query-cpus-fast for several -smp and -m lines;
 * - qom-list and qom-get on backends, devices and the machine: every
 *   property pmemvm lists is one QEMU lists, with the same type, and
 *   qom-get gives the same values;
 * - query-acpi-ospm-status: the records start empty (QEMU lists a 0/0
 *   record for each DIMM slot of its ACPI memory hotplug controller,
 *   which pmemvm does not have: see docs/system/monitor.md).
 */
#include "qemu/osdep.h"

#include <fcntl.h>

#include "libqtest.h"
#include "qtest-util.h"
#include "hw/acpi/ged.h"
#include "hw/i386/layout.h"

static char *tmp_dir;

/* -S on both, so that both start in "prelaunch". */
static QTestState *start(bool qemu, const char *args)
{
    g_autofree char *full = g_strdup_printf("-S %s", args);

    return qemu ? qemu_qtest_init(args) : qtest_init(full);
}

/* ---- system_powerdown, system_reset ---- */

static const char *const power_cmds[] = {
    "{'execute': 'system_powerdown'}",
    "{'execute': 'system_reset'}",
    "{'execute': 'query-status'}",
    "{'execute': 'cont'}",
    "{'execute': 'system_reset'}",
    "{'execute': 'query-status'}",
    "{'execute': 'system_powerdown', 'arguments': {'x': 1}}",
    "{'execute': 'system_reset', 'arguments': {'x': 1}}",
    NULL,
};

static char *power_transcript(bool qemu)
{
    QTestState *qts = start(qemu, "-machine pc");
    GString *t = g_string_new(NULL);

    if (!qts) {
        return NULL;
    }
    for (int i = 0; power_cmds[i]; i++) {
        qmp_transcribe(qts, t, power_cmds[i]);
    }
    qtest_quit(qts);
    return g_string_free(t, FALSE);
}

static void test_power_both(void)
{
    g_autofree char *ours = power_transcript(false);
    g_autofree char *theirs = power_transcript(true);

    g_test_message("pmemvm:\n%s", ours);
    g_assert_cmpstr(ours, ==,
        "{\"event\": \"POWERDOWN\"}\n"
        "{\"return\": {}}\n"
        "{\"data\": {\"guest\": false, \"reason\": "
        "\"host-qmp-system-reset\"}, \"event\": \"RESET\"}\n"
        "{\"return\": {}}\n"
        "{\"return\": {\"running\": false, \"singlestep\": false, "
        "\"status\": \"prelaunch\"}}\n"
        "{\"event\": \"RESUME\"}\n"
        "{\"return\": {}}\n"
        "{\"data\": {\"guest\": false, \"reason\": "
        "\"host-qmp-system-reset\"}, \"event\": \"RESET\"}\n"
        "{\"return\": {}}\n"
        "{\"return\": {\"running\": true, \"singlestep\": false, "
        "\"status\": \"running\"}}\n"
        "{\"error\": {\"class\": \"GenericError\", \"desc\": "
        "\"Parameter 'x' is unexpected\"}}\n"
        "{\"error\": {\"class\": \"GenericError\", \"desc\": "
        "\"Parameter 'x' is unexpected\"}}\n");
    if (theirs) {
        g_assert_cmpstr(ours, ==, theirs);
    }
}

/* The power button: the GED latches its event and raises the SCI. */
static void test_powerdown_ged(void)
{
    QTestState *qts = qtest_init("-machine pc");

    qtest_irq_intercept_in(qts, "ioapic");
    g_assert_false(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    /* a qtest round trip, so that the "IRQ raise" line has been read */
    qtest_inb(qts, LAYOUT_PORT_ACPI_SLEEP_STS);
    g_assert_true(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    /* the guest's _EVT reads the selector, which clears it */
    g_assert_cmphex(qtest_readl(qts, LAYOUT_GED_BASE), ==,
                    GED_EVENT_POWER_DOWN);
    g_assert_false(qtest_get_irq(qts, LAYOUT_IRQ_SCI));
    g_assert_cmphex(qtest_readl(qts, LAYOUT_GED_BASE), ==, 0);
    qtest_quit(qts);
}

static char *no_reboot_transcript(bool qemu, int *status)
{
    QTestState *qts = start(qemu, "-machine pc -no-reboot");
    GString *t = g_string_new(NULL);

    if (!qts) {
        return NULL;
    }
    qmp_transcribe(qts, t, "{'execute': 'system_reset'}");
    *status = qtest_wait_exit(qts);
    qtest_quit(qts);
    return g_string_free(t, FALSE);
}

/* -no-reboot: system_reset is a shutdown, announced before its reply. */
static void test_no_reboot_both(void)
{
    int ours_status = -1, theirs_status = -1;
    g_autofree char *ours = no_reboot_transcript(false, &ours_status);
    g_autofree char *theirs = no_reboot_transcript(true, &theirs_status);

    g_assert_cmpstr(ours, ==,
        "{\"data\": {\"guest\": false, \"reason\": "
        "\"host-qmp-system-reset\"}, \"event\": \"SHUTDOWN\"}\n"
        "{\"return\": {}}\n");
    g_assert_cmpint(ours_status, ==, 0);
    if (theirs) {
        g_assert_cmpstr(ours, ==, theirs);
        g_assert_cmpint(theirs_status, ==, 0);
    }
}

/* -no-shutdown: after the guest's S5, system_reset and cont start over. */
static void test_reset_after_guest_shutdown(void)
{
    QTestState *qts = qtest_init("-machine pc -no-shutdown");
    GString *t = g_string_new(NULL);
    g_autofree char *text = NULL;
    JsonObject *ev;

    /* SLP_TYP = \_S5 (5) | SLP_EN, as Linux writes it to power off */
    qtest_outw(qts, LAYOUT_PORT_ACPI_SLEEP_CTL, 5 << 2 | 1 << 5);
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    json_object_unref(ev);
    qmp_transcribe(qts, t, "{'execute': 'query-status'}");
    qmp_transcribe(qts, t, "{'execute': 'cont'}");
    qmp_transcribe(qts, t, "{'execute': 'system_reset'}");
    qmp_transcribe(qts, t, "{'execute': 'query-status'}");
    qmp_transcribe(qts, t, "{'execute': 'cont'}");
    qmp_transcribe(qts, t, "{'execute': 'query-status'}");
    text = g_string_free(t, FALSE);
    /* SHUTDOWN, then STOP (the guest is paused), as QEMU 7.2 sends them */
    g_assert_cmpstr(text, ==,
        "{\"event\": \"STOP\"}\n"
        "{\"return\": {\"running\": false, \"singlestep\": false, "
        "\"status\": \"shutdown\"}}\n"
        "{\"error\": {\"class\": \"GenericError\", \"desc\": "
        "\"Resetting the Virtual Machine is required\"}}\n"
        "{\"data\": {\"guest\": false, \"reason\": "
        "\"host-qmp-system-reset\"}, \"event\": \"RESET\"}\n"
        "{\"return\": {}}\n"
        "{\"return\": {\"running\": false, \"singlestep\": false, "
        "\"status\": \"prelaunch\"}}\n"
        "{\"event\": \"RESUME\"}\n"
        "{\"return\": {}}\n"
        "{\"return\": {\"running\": true, \"singlestep\": false, "
        "\"status\": \"running\"}}\n");
    /* Still alive: quit ends it normally. */
    qtest_qmp_assert_success(qts, "{'execute': 'quit'}");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);
}

/* ---- query-name, query-cpus-fast ---- */

static char *answer(bool qemu, const char *args, const char *cmd,
                    int *pid)
{
    QTestState *qts = start(qemu, args);
    g_autoptr(JsonNode) ret = NULL;
    char *text;

    if (!qts) {
        return NULL;
    }
    ret = qtest_qmp_assert_success_ref(qts, cmd);
    text = json_canonical(ret);
    if (pid) {
        *pid = qtest_pid(qts);
    }
    qtest_quit(qts);
    return text;
}

static void test_query_name(void)
{
    static const char *const lines[] = {
        "-machine pc", "-machine pc -name guest1",
        "-machine pc -name guest=g2,debug-threads=on", NULL,
    };

    for (int i = 0; lines[i]; i++) {
        g_autofree char *ours = answer(false, lines[i],
                                       "{'execute': 'query-name'}", NULL);
        g_autofree char *theirs = answer(true, lines[i],
                                         "{'execute': 'query-name'}", NULL);

        g_test_message("%s: %s", lines[i], ours);
        g_assert_cmpstr(ours, ==, i == 0 ? "{}" : i == 1 ?
                        "{\"name\": \"guest1\"}" : "{\"name\": \"g2\"}");
        if (theirs) {
            g_assert_cmpstr(ours, ==, theirs);
        }
    }
}

/* Everything but the host thread ids, which differ by nature. */
static char *cpus_without_thread_ids(const char *text, int expect_tid)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonArray *cpus;

    g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
    cpus = json_node_get_array(json_parser_get_root(parser));
    for (guint i = 0; i < json_array_get_length(cpus); i++) {
        JsonObject *cpu = json_array_get_object_element(cpus, i);

        g_assert_true(json_object_has_member(cpu, "thread-id"));
        if (expect_tid) {
            /* pmemvm under qtest: the main thread (the test is the CPU) */
            g_assert_cmpint(json_object_get_int_member(cpu, "thread-id"),
                            ==, expect_tid);
        }
        json_object_remove_member(cpu, "thread-id");
    }
    return json_canonical(json_parser_get_root(parser));
}

static void test_query_cpus_fast(void)
{
    static const char *const lines[] = {
        "-machine pc",
        "-machine pc -smp 4",
        "-machine pc -smp 4,sockets=2",
        "-machine pc -smp 4,cores=2,threads=2",
        "-machine pc -smp 2,sockets=2,dies=1,cores=1,threads=1",
        "-machine pc -smp 4,dies=2,sockets=1,cores=2",
        "-machine pc -m 128M,slots=2,maxmem=1G -smp 2",
        NULL,
    };

    for (int i = 0; lines[i]; i++) {
        int pid = 0;
        g_autofree char *ours = answer(false, lines[i],
                                       "{'execute': 'query-cpus-fast'}",
                                       &pid);
        g_autofree char *theirs = answer(true, lines[i],
                                         "{'execute': 'query-cpus-fast'}",
                                         NULL);
        g_autofree char *o = cpus_without_thread_ids(ours, pid);

        g_test_message("%s: %s", lines[i], o);
        if (theirs) {
            g_autofree char *t = cpus_without_thread_ids(theirs, 0);

            g_assert_cmpstr(o, ==, t);
        }
    }
    /* Without QEMU, at least one known answer. */
    {
        g_autofree char *ours = answer(false, "-machine pc -smp 2,sockets=2",
                                       "{'execute': 'query-cpus-fast'}",
                                       NULL);
        g_autofree char *o = cpus_without_thread_ids(ours, 0);

        g_assert_cmpstr(o, ==,
            "[{\"cpu-index\": 0, \"props\": {\"core-id\": 0, \"socket-id\": "
            "0, \"thread-id\": 0}, \"qom-path\": "
            "\"/machine/unattached/device[0]\", \"target\": \"x86_64\"}, "
            "{\"cpu-index\": 1, \"props\": {\"core-id\": 0, \"socket-id\": "
            "1, \"thread-id\": 0}, \"qom-path\": "
            "\"/machine/unattached/device[2]\", \"target\": \"x86_64\"}]");
    }
}

/* ---- qom-list, qom-get ---- */

static char *qom_args(const char *dir)
{
    return g_strdup_printf(
        "-machine pc,nvdimm=on -m 128M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=m0,share=on,mem-path=%s/a.img,"
        "size=16M -device nvdimm,id=nv0,memdev=m0,label-size=128K "
        "-object memory-backend-file,id=m1,mem-path=%s/b.img,size=16M "
        "-device virtio-pmem-pci,id=vp0,memdev=m1 "
        "-object memory-backend-ram,id=m2,size=16M,host-nodes=0-0,"
        "host-nodes=0,policy=preferred -device nvdimm,memdev=m2",
        dir, dir);
}

/* name -> type of a qom-list answer */
static GHashTable *qom_list_types(QTestState *qts, const char *path)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': %s}}", path);
    JsonArray *list = json_node_get_array(ret);
    GHashTable *types = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, g_free);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *p = json_array_get_object_element(list, i);

        g_hash_table_insert(types,
            g_strdup(json_object_get_string_member(p, "name")),
            g_strdup(json_object_get_string_member(p, "type")));
    }
    return types;
}

static char *qom_get(QTestState *qts, const char *path, const char *prop)
{
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                                "{'path': %s, 'property': %s}}", path, prop);
    char *text;

    if (json_object_has_member(rsp, "return")) {
        text = json_canonical(json_object_get_member(rsp, "return"));
    } else {
        text = g_strdup_printf("%s: %s", qmp_rsp_error_class(rsp),
                               qmp_rsp_error_desc(rsp));
    }
    json_object_unref(rsp);
    return text;
}

/* What pmemvm has that QEMU 7.2 does not (docs/system/monitor.md). */
static const char *const pmemvm_only_props[] = { "label-check", NULL };

static const char *const qom_paths[] = {
    "/", "/objects", "/objects/m0", "/objects/m2", "/machine/peripheral",
    "/machine/peripheral-anon", "/machine/peripheral/nv0",
    "/machine/peripheral/vp0", "/machine/peripheral-anon/device[0]",
    "nv0", "m1", NULL,
};

static const char *const qom_gets[][2] = {
    { "/objects/m0", "size" }, { "/objects/m0", "mem-path" },
    { "/objects/m0", "share" }, { "/objects/m0", "policy" },
    { "/objects/m0", "host-nodes" }, { "/objects/m0", "type" },
    { "/objects/m0", "prealloc" }, { "/objects/m0", "readonly" },
    { "/objects/m0", "pmem" }, { "/objects/m1", "share" },
    { "/objects/m2", "size" }, { "/objects/m2", "type" },
    { "/objects/m2", "host-nodes" }, { "/objects/m2", "policy" },
    { "/objects/m0", "nope" }, { "/objects/zz", "size" },
    { "/machine/peripheral/nv0", "memdev" },
    { "/machine/peripheral/nv0", "slot" },
    { "/machine/peripheral/nv0", "size" },
    { "/machine/peripheral/nv0", "label-size" },
    { "/machine/peripheral/nv0", "uuid" },
    { "/machine/peripheral/nv0", "addr" },
    { "/machine/peripheral/nv0", "node" },
    { "/machine/peripheral/nv0", "unarmed" },
    { "/machine/peripheral/nv0", "realized" },
    { "/machine/peripheral/nv0", "hotplugged" },
    { "/machine/peripheral/nv0", "hotpluggable" },
    { "/machine/peripheral/nv0", "type" },
    { "/machine/peripheral/vp0", "memdev" },
    { "/machine/peripheral/vp0", "memaddr" },
    { "/machine/peripheral-anon/device[0]", "memdev" },
    { "/machine/peripheral-anon/device[0]", "slot" },
    { "nv0", "slot" }, { "m1", "mem-path" },
    { "/machine", "nvdimm" }, { "/machine", "type" },
    { "/", "machine" }, { "/objects", "type" },
    { NULL, NULL },
};

static void test_qom_both(void)
{
    g_autofree char *pdir = g_build_filename(tmp_dir, "qom-pmemvm", NULL);
    g_autofree char *qdir = g_build_filename(tmp_dir, "qom-qemu", NULL);
    g_autofree char *pargs = qom_args(pdir);
    g_autofree char *qargs = qom_args(qdir);
    QTestState *ours, *theirs;

    g_assert_cmpint(g_mkdir_with_parents(pdir, 0700), ==, 0);
    g_assert_cmpint(g_mkdir_with_parents(qdir, 0700), ==, 0);
    for (int i = 0; i < 2; i++) {
        make_sized_file(i ? qdir : pdir, "a.img", 16 * MiB);
        make_sized_file(i ? qdir : pdir, "b.img", 16 * MiB);
    }
    ours = start(false, pargs);
    theirs = start(true, qargs);
    if (!theirs) {
        qtest_quit(ours);
        return;
    }
    for (int i = 0; qom_paths[i]; i++) {
        g_autoptr(GHashTable) o = qom_list_types(ours, qom_paths[i]);
        g_autoptr(GHashTable) t = qom_list_types(theirs, qom_paths[i]);
        GHashTableIter it;
        gpointer name, type;

        g_hash_table_iter_init(&it, o);
        while (g_hash_table_iter_next(&it, &name, &type)) {
            g_autofree char *want = NULL, *got = NULL;

            if (g_strv_contains(pmemvm_only_props, name)) {
                continue;
            }
            want = g_strdup_printf("%s %s: %s", qom_paths[i],
                                   (char *)name,
                                   (char *)g_hash_table_lookup(t, name));
            got = g_strdup_printf("%s %s: %s", qom_paths[i], (char *)name,
                                  (char *)type);
            g_assert_cmpstr(got, ==, want);
        }
    }
    for (int i = 0; qom_gets[i][0]; i++) {
        g_autofree char *o = qom_get(ours, qom_gets[i][0], qom_gets[i][1]);
        g_autofree char *t = qom_get(theirs, qom_gets[i][0], qom_gets[i][1]);
        g_autofree char *ow = NULL, *tw = NULL;

        /* the files differ by directory: compare the names */
        if (!strcmp(qom_gets[i][1], "mem-path")) {
            g_assert_true(strstr(o, pdir) && strstr(t, qdir));
            continue;
        }
        ow = g_strdup_printf("%s %s = %s", qom_gets[i][0], qom_gets[i][1],
                             o);
        tw = g_strdup_printf("%s %s = %s", qom_gets[i][0], qom_gets[i][1],
                             t);
        g_assert_cmpstr(ow, ==, tw);
    }
    qtest_quit(ours);
    qtest_quit(theirs);
}

static void assert_qom_get(QTestState *qts, const char *path,
                           const char *prop, const char *want)
{
    g_autofree char *got = qom_get(qts, path, prop);

    g_assert_cmpstr(got, ==, want);
}

/* The same without QEMU: what libvirt and hotplug tools read. */
static void test_qom_pmemvm(void)
{
    g_autofree char *dir = g_build_filename(tmp_dir, "qom-alone", NULL);
    g_autofree char *args = qom_args(dir);
    g_autofree char *a = g_build_filename(dir, "a.img", NULL);
    g_autofree char *path = g_strdup_printf("\"%s\"", a);
    g_autoptr(GHashTable) objs = NULL;
    QTestState *qts;

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    make_sized_file(dir, "a.img", 16 * MiB);
    make_sized_file(dir, "b.img", 16 * MiB);
    qts = start(false, args);
    objs = qom_list_types(qts, "/objects");
    g_assert_cmpstr(g_hash_table_lookup(objs, "m0"), ==,
                    "child<memory-backend-file>");
    g_assert_cmpstr(g_hash_table_lookup(objs, "m2"), ==,
                    "child<memory-backend-ram>");
    g_assert_cmpuint(g_hash_table_size(objs), ==, 4);   /* type, m0-m2 */
    assert_qom_get(qts, "/objects/m0", "size", "16777216");
    assert_qom_get(qts, "/objects/m0", "mem-path", path);
    assert_qom_get(qts, "/objects/m0", "share", "true");
    assert_qom_get(qts, "/objects/m1", "share", "false");
    assert_qom_get(qts, "nv0", "memdev", "\"/objects/m0\"");
    assert_qom_get(qts, "nv0", "label-size", "131072");
    assert_qom_get(qts, "/machine/peripheral-anon/device[0]", "memdev",
                   "\"/objects/m2\"");
    assert_qom_get(qts, "/objects/zz", "size",
                   "DeviceNotFound: Device '/objects/zz' not found");
    assert_qom_get(qts, "/objects/m0", "nope",
                   "GenericError: Property 'memory-backend-file.nope' not "
                   "found");
    qtest_quit(qts);
}

/* ---- query-acpi-ospm-status ---- */

static void test_ospm_empty(void)
{
    QTestState *qts = qtest_init("-machine pc,nvdimm=on "
                                 "-m 128M,slots=4,maxmem=1G");
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-acpi-ospm-status'}");
    g_autofree char *text = json_canonical(ret);

    /* No guest has evaluated _OST: nothing recorded. */
    g_assert_cmpstr(text, ==, "[]");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("qmp-machine-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    g_test_add_func("/qmp-machine/power/both", test_power_both);
    g_test_add_func("/qmp-machine/power/ged-event", test_powerdown_ged);
    g_test_add_func("/qmp-machine/power/no-reboot-both",
                    test_no_reboot_both);
    g_test_add_func("/qmp-machine/power/reset-after-guest-shutdown",
                    test_reset_after_guest_shutdown);
    g_test_add_func("/qmp-machine/query-name/both", test_query_name);
    g_test_add_func("/qmp-machine/query-cpus-fast/both",
                    test_query_cpus_fast);
    g_test_add_func("/qmp-machine/qom/both", test_qom_both);
    g_test_add_func("/qmp-machine/qom/pmemvm", test_qom_pmemvm);
    g_test_add_func("/qmp-machine/ospm/empty", test_ospm_empty);
    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
