/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: query-block and query-named-block-nodes, which libvirt 9.0 sends
 * while it starts a domain.  pmemvm has no block layer: a machine with an
 * NVDIMM on a file backend has no block device and no block node, as QEMU
 * 7.2 has none for the same command line (memory backends are not block
 * nodes).  Each request's answer is in the table, the arguments checked
 * as QEMU checks them; when qemu-system-x86_64 is installed the same
 * requests run on it too and must give the same answers.
 */
#include "qemu/osdep.h"

#include "libqtest.h"
#include "qtest-util.h"

static char *tmp_dir;

#define MACHINE "-machine pc,nvdimm=on -m 256M,slots=2,maxmem=2G " \
                "-object memory-backend-file,id=m0,share=on," \
                "mem-path=@D@/nv0.img,size=16M -device nvdimm,id=nv0,memdev=m0"

typedef struct BlockCase {
    const char *request;
    const char *answer;         /* the return value, canonical JSON */
    const char *error;          /* else QEMU 7.2's GenericError text */
} BlockCase;

static const BlockCase cases[] = {
    { "{'execute': 'query-block'}", "[]" },
    { "{'execute': 'query-block', 'arguments': {'x': 1}}", NULL,
      "Parameter 'x' is unexpected" },
    { "{'execute': 'query-named-block-nodes'}", "[]" },
    /* libvirt 9.0 asks for the flat list */
    { "{'execute': 'query-named-block-nodes', 'arguments': "
      "{'flat': true}}", "[]" },
    { "{'execute': 'query-named-block-nodes', 'arguments': "
      "{'flat': false}}", "[]" },
    { "{'execute': 'query-named-block-nodes', 'arguments': "
      "{'flat': 'x'}}", NULL,
      "Invalid parameter type for 'flat', expected: boolean" },
    { "{'execute': 'query-named-block-nodes', 'arguments': {'x': 1}}",
      NULL, "Parameter 'x' is unexpected" },
};

static void run_cases(bool qemu)
{
    g_autofree char *args = expand_dir(MACHINE, tmp_dir);
    g_autofree char *full = g_strdup_printf("-S %s", args);
    QTestState *qts = qemu ? qemu_qtest_init(args) : qtest_init(full);

    if (!qts) {
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const BlockCase *c = &cases[i];
        JsonObject *rsp = qtest_qmp(qts, c->request);
        g_autofree char *text = qmp_to_string(rsp);

        g_test_message("%s %s -> %s", qemu ? "qemu" : "pmemvm", c->request,
                       text);
        if (c->answer) {
            g_autofree char *got = NULL;

            g_assert_true(json_object_has_member(rsp, "return"));
            got = json_canonical(json_object_get_member(rsp, "return"));
            g_assert_cmpstr(got, ==, c->answer);
        } else {
            g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "GenericError");
            g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, c->error);
        }
        json_object_unref(rsp);
    }
    qtest_quit(qts);
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
    tmp_dir = g_dir_make_tmp("qmp-block-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    make_sized_file(tmp_dir, "nv0.img", 16 << 20);
    g_test_add_func("/qmp-block/pmemvm", test_pmemvm);
    g_test_add_func("/qmp-block/qemu", test_qemu);
    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
