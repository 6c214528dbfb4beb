/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Are my guest's writes persistent?", answered: at start-up pmemvm
 * prints one line per memory backend a pmem device maps, saying where
 * guest writes go and what survives what, and QMP query-memdev returns
 * QEMU 7.2's fields plus the same answer as data (x-persistence).  One
 * machine has every kind of backend this host can make: share=off, a
 * file on tmpfs, a file on disk, a read-only file, anonymous RAM and a
 * file whose contents discard-data=on throws away at exit.
 * query-memdev's QEMU fields are compared with QEMU 7.2's.  (DAX, which
 * no test host has, is covered by the decision's unit test.)
 */
#include "qemu/osdep.h"

#include "libqtest.h"
#include "qtest-util.h"

#define MACHINE "-machine pc,nvdimm=on -m 256M,slots=7,maxmem=2G "

static char *disk_dir, *shm_dir;

static char *backends_args(void)
{
    g_autofree char *ro = g_build_filename(disk_dir, "ro.img", NULL);
    GString *s = g_string_new(MACHINE);

    g_assert_true(g_file_set_contents(ro, "", 0, NULL));
    g_assert_cmpint(truncate(ro, 16 * MiB), ==, 0);
    g_string_append_printf(s,
        "-object memory-backend-file,id=private,share=off,"
        "mem-path=%s/private.img,size=16M "
        "-device nvdimm,id=nv-private,memdev=private "
        "-object memory-backend-file,id=shm,share=on,"
        "mem-path=%s/shm.img,size=16M "
        "-device nvdimm,id=nv-shm,memdev=shm "
        "-object memory-backend-file,id=disk,share=on,"
        "mem-path=%s/disk.img,size=16M "
        "-device nvdimm,id=nv-disk,memdev=disk "
        "-object memory-backend-file,id=ro,share=on,readonly=on,"
        "mem-path=%s,size=16M "
        "-device nvdimm,id=nv-ro,memdev=ro,unarmed=on "
        "-object memory-backend-ram,id=ram,size=16M "
        "-device nvdimm,id=nv-ram,memdev=ram "
        "-object memory-backend-file,id=discard,share=on,discard-data=on,"
        "mem-path=%s/discard.img,size=16M "
        "-device nvdimm,id=nv-discard,memdev=discard",
        disk_dir, shm_dir, disk_dir, ro, disk_dir);
    return g_string_free(s, FALSE);
}

static JsonObject *find_memdev(JsonArray *list, const char *id)
{
    guint i;

    for (i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_array_get_object_element(list, i);

        if (!g_strcmp0(json_object_get_string_member(m, "id"), id)) {
            return m;
        }
    }
    g_error("query-memdev has no '%s'", id);
}

static const struct {
    const char *id, *level;
    bool exit, reboot, crash;
    const char *says;           /* in the start-up line */
} expected[] = {
    { "private", "volatile", false, false, false,
      "guest writes are lost when pmemvm exits" },
    { "shm", "host-ram", true, false, false,
      "guest writes survive pmemvm's exit, not a host reboot or crash" },
    { "disk", "page-cache", true, true, false,
      "guest writes survive pmemvm's exit and a host reboot, not a host "
      "crash" },
    { "ro", "read-only", false, false, false, "the guest cannot write" },
    { "ram", "volatile", false, false, false,
      "guest writes are lost when pmemvm exits" },
    { "discard", "discarded", false, false, false,
      "guest writes are discarded when pmemvm exits" },
};

static void test_report_and_query(void)
{
    g_autofree char *args = backends_args();
    QTestState *qts = qtest_init(args);
    g_autofree char *err = qtest_get_stderr(qts);
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memdev'}");
    JsonArray *list = json_node_get_array(ret);
    JsonObject *m, *p;
    guint i;

    for (i = 0; i < G_N_ELEMENTS(expected); i++) {
        g_autofree char *line = g_strdup_printf(
            "pmemvm: info: nvdimm 'nv-%s' on memory backend '%s'",
            expected[i].id, expected[i].id);
        const char *at = strstr(err, line);

        g_assert_nonnull(at);
        g_assert_nonnull(strstr(at, expected[i].says));
        m = find_memdev(list, expected[i].id);
        p = json_object_get_object_member(m, "x-persistence");
        g_assert_cmpstr(json_object_get_string_member(p, "level"), ==,
                        expected[i].level);
        g_assert_cmpint(json_object_get_boolean_member(p, "survives-exit"),
                        ==, expected[i].exit);
        g_assert_cmpint(json_object_get_boolean_member(
                            p, "survives-host-reboot"), ==,
                        expected[i].reboot);
        g_assert_cmpint(json_object_get_boolean_member(
                            p, "survives-host-crash"), ==,
                        expected[i].crash);
        g_assert_nonnull(json_object_get_string_member(p, "detail"));
    }
    /* The machine's own RAM, as QEMU names it. */
    m = find_memdev(list, "pc.ram");
    g_assert_cmpint(json_object_get_int_member(m, "size"), ==, 256 * MiB);
    json_node_unref(ret);
    qtest_quit(qts);
}

static gint cmp_lines(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each memdev's QEMU fields, sorted by id, as text. */
static char *qemu_fields(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memdev'}");
    JsonArray *list = json_node_get_array(ret);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    guint i;

    for (i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_object_ref(json_array_get_object_element(list,
                                                                      i));
        JsonObject *copy = json_object_new();
        GList *members = json_object_get_members(m), *l;

        for (l = members; l; l = l->next) {
            if (strcmp(l->data, "x-persistence")) {
                json_object_set_member(copy, l->data, json_node_copy(
                    json_object_get_member(m, l->data)));
            }
        }
        g_list_free(members);
        {
            g_autofree char *text = qmp_to_string(copy);

            /* the id first, so that sorting sorts by id */
            g_ptr_array_add(lines, g_strdup_printf("%s %s",
                json_object_get_string_member(m, "id"), text));
        }
        json_object_unref(copy);
        json_object_unref(m);
    }
    g_ptr_array_sort(lines, cmp_lines);
    json_node_unref(ret);
    g_ptr_array_add(lines, NULL);
    return g_strjoinv("\n", (char **)lines->pdata);
}

static void test_query_memdev_like_qemu(void)
{
    g_autofree char *args = backends_args();
    QTestState *qts = qtest_init(args);
    g_autofree char *mine = qemu_fields(qts);
    g_autofree char *theirs = NULL;

    qtest_quit(qts);
    qts = qemu_qtest_init(args);
    if (!qts) {
        return;
    }
    theirs = qemu_fields(qts);
    qtest_quit(qts);
    g_assert_cmpstr(mine, ==, theirs);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    disk_dir = g_dir_make_tmp("pmemvm-persist-XXXXXX", NULL);
    shm_dir = g_build_filename("/dev/shm", "pmemvm-persist-XXXXXX", NULL);
    if (!g_mkdtemp(shm_dir)) {
        g_printerr("no /dev/shm\n");
        return 77;
    }
    g_test_add_func("/persistence/report-and-query", test_report_and_query);
    g_test_add_func("/persistence/query-memdev-like-qemu",
                    test_query_memdev_like_qemu);
    ret = g_test_run();
    remove_dir(disk_dir);
    remove_dir(shm_dir);
    return ret;
}
