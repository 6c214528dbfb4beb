/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nvdimm-compare: pmemvm against QEMU 7.2, byte for byte, where the guest
 * can see it.
 *
 * The same command line runs on both VMMs (QEMU gets "-accel tcg
 * -nodefaults" and its SeaBIOS places the tables; pmemvm writes them at
 * init).  For each configuration the NFIT sub-structures (offset 40 to the
 * end) must be identical.  Then, with two DIMMs (one with labels), a
 * sequence of _DSM requests goes through each VMM's DSM page (MEMA, read
 * from its NVDIMM SSDT) and port 0x0A18: every reply, RLEN bytes, must be
 * identical, and so must the label areas of the backing files afterwards.
 *
 * QEMU is $QTEST_QEMU_BINARY if set, else qemu-system-x86_64 on $PATH;
 * without it every test is skipped.
 */
#include "qemu/osdep.h"

#include <fcntl.h>

#include "acpi-utils.h"
#include "libqtest.h"
#include "qtest-util.h"

#define NFIT_HEADER_LEN         40
#define DSM_PORT                0x0A18
#define DSM_PAGE_SIZE           4096
#define DSM_IN_ARG3             12
#define DSM_MAX_LABEL_XFER      4076
#define RSVD_HANDLE             0x10000u
#define QEMU_TABLES_TIMEOUT_MS  30000

static const char *pmemvm_bin;
static char *qemu_bin;
static char *tmp_dir;

/* ---- Starting either VMM ---- */

typedef struct Vmm {
    const char *name;           /* "pmemvm" or "qemu" */
    bool qemu;
    char *dir;                  /* its backing files */
    QTestState *qts;
    AcpiTestTables *tables;
    uint64_t mema;
} Vmm;

static bool need_qemu(void)
{
    if (!qemu_bin) {
        g_test_skip("QEMU not found: set QTEST_QEMU_BINARY or install "
                    "qemu-system-x86_64 (Debian qemu-system-x86)");
        return false;
    }
    return true;
}

typedef struct BackingFile {
    const char *name;
    uint64_t size;
} BackingFile;

/*
 * Start @v (already named) with "-machine pc,nvdimm=on@machine -m ...
 * @devices" after creating @files in a fresh directory; read its tables.
 */
static void vmm_start(Vmm *v, const char *tag, const char *machine,
                      const char *devices, const BackingFile *files)
{
    g_autofree char *dev = NULL, *args = NULL;

    v->dir = g_strdup_printf("%s/%s-%s", tmp_dir, tag, v->name);
    g_assert_cmpint(g_mkdir_with_parents(v->dir, 0700), ==, 0);
    for (; files && files->name; files++) {
        make_sized_file(v->dir, files->name, files->size);
    }
    dev = expand_dir(devices, v->dir);
    args = g_strdup_printf("%s-machine pc,nvdimm=on%s "
                           "-m 128M,slots=4,maxmem=4G %s",
                           v->qemu ? "-accel tcg -nodefaults " : "",
                           machine, dev);
    if (v->qemu) {
        g_setenv("QTEST_QEMU_BINARY", qemu_bin, TRUE);
    } else {
        g_unsetenv("QTEST_QEMU_BINARY");
    }
    v->qts = qtest_init(args);
    g_unsetenv("QTEST_QEMU_BINARY");

    /* QEMU's firmware needs a moment; pmemvm's tables are there at once. */
    v->tables = acpi_read_tables(v->qts, v->qemu ? QEMU_TABLES_TIMEOUT_MS :
                                                   2000);
    g_assert_nonnull(v->tables);
    g_test_message("%s: RSDP at 0x%" PRIx64 " revision %u, %u tables",
                   v->name, v->tables->rsdp_addr, v->tables->rsdp[15],
                   v->tables->tables->len);
}

static void vmm_quit(Vmm *v)
{
    if (v->qts) {
        qtest_quit(v->qts);
        v->qts = NULL;
    }
}

static void vmm_free(Vmm *v)
{
    vmm_quit(v);
    acpi_test_tables_free(v->tables);
    g_free(v->dir);
}

static void init_pair(Vmm *pm, Vmm *qm)
{
    *pm = (Vmm) { .name = "pmemvm", .qemu = false };
    *qm = (Vmm) { .name = "qemu", .qemu = true };
}

/* Say where two byte strings first differ, then compare them. */
static void assert_same_bytes(const char *what, const uint8_t *pm,
                              size_t pm_len, const uint8_t *qm, size_t qm_len)
{
    for (size_t i = 0; i < MIN(pm_len, qm_len); i++) {
        if (pm[i] != qm[i]) {
            g_test_message("%s: first difference at byte %zu: pmemvm 0x%02x,"
                           " QEMU 0x%02x", what, i, pm[i], qm[i]);
            break;
        }
    }
    if (pm_len != qm_len) {
        g_test_message("%s: pmemvm %zu bytes, QEMU %zu", what, pm_len,
                       qm_len);
    }
    g_assert_cmpmem(pm, pm_len, qm, qm_len);
}

/* ---- NFIT ---- */

typedef struct NfitCase {
    const char *name;
    const char *machine;        /* after "pc,nvdimm=on" */
    const char *devices;        /* "@D@" = the VMM's directory */
    BackingFile files[3];
} NfitCase;

#define MB(n)       ((uint64_t)(n) << 20)
#define KB(n)       ((uint64_t)(n) << 10)
#define BACKEND(id, file, size, extra)                                  \
    "-object memory-backend-file,id=" id ",mem-path=@D@/" file          \
    ",size=" size extra " "

static const NfitCase nfit_cases[] = {
    {
        .name = "one-dimm",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "64M", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0",
        .files = { { "a.img", MB(64) } },
    }, {
        .name = "label-size",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "67211264", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0,label-size=128K",
        .files = { { "a.img", MB(64) + KB(100) } },
    }, {
        .name = "two-dimms",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "64M", ",share=on")
                   BACKEND("m1", "b.img", "32M", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0 "
                   "-device nvdimm,id=nv1,memdev=m1",
        .files = { { "a.img", MB(64) }, { "b.img", MB(32) } },
    }, {
        .name = "unarmed-readonly",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "64M", ",readonly=on")
                   "-device nvdimm,id=nv0,memdev=m0,unarmed=on",
        .files = { { "a.img", MB(64) } },
    }, {
        .name = "persistence-cpu",
        .machine = ",nvdimm-persistence=cpu",
        .devices = BACKEND("m0", "a.img", "64M", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0",
        .files = { { "a.img", MB(64) } },
    }, {
        .name = "persistence-mem-ctrl",
        .machine = ",nvdimm-persistence=mem-ctrl",
        .devices = BACKEND("m0", "a.img", "64M", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0",
        .files = { { "a.img", MB(64) } },
    }, {
        .name = "slot-and-addr",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "64M", ",share=on")
                   BACKEND("m1", "b.img", "32M", ",share=on")
                   "-device nvdimm,id=nv0,memdev=m0,slot=2,"
                   "addr=0x140000000 "
                   "-device nvdimm,id=nv1,memdev=m1",
        .files = { { "a.img", MB(64) }, { "b.img", MB(32) } },
    }, {
        .name = "align-2m",
        .machine = "",
        .devices = BACKEND("m0", "a.img", "70385664", ",share=on,align=2M")
                   BACKEND("m1", "b.img", "5M", ",share=on,align=2M")
                   "-device nvdimm,id=nv0,memdev=m0,label-size=128K "
                   "-device nvdimm,id=nv1,memdev=m1",
        .files = { { "a.img", MB(67) + KB(128) }, { "b.img", MB(5) } },
    },
};

static void test_nfit(gconstpointer data)
{
    const NfitCase *c = data;
    Vmm pm, qm;
    const AcpiTestTable *pn, *qn;

    if (!need_qemu()) {
        return;
    }
    init_pair(&pm, &qm);
    vmm_start(&pm, c->name, c->machine, c->devices, c->files);
    vmm_start(&qm, c->name, c->machine, c->devices, c->files);
    pn = acpi_find_table(pm.tables, "NFIT", NULL);
    qn = acpi_find_table(qm.tables, "NFIT", NULL);
    g_assert_nonnull(pn);
    g_assert_nonnull(qn);
    g_test_message("NFIT: pmemvm %u bytes, QEMU %u bytes", pn->len, qn->len);
    assert_same_bytes("NFIT body", pn->data + NFIT_HEADER_LEN,
                      pn->len - NFIT_HEADER_LEN, qn->data + NFIT_HEADER_LEN,
                      qn->len - NFIT_HEADER_LEN);
    vmm_free(&pm);
    vmm_free(&qm);
}

/* ---- _DSM ---- */

#define LABEL_SIZE      KB(128)
#define DSM_DEVICES                                                     \
    BACKEND("m0", "a.img", "65M", ",share=on")                          \
    BACKEND("m1", "b.img", "32M", ",share=on")                          \
    "-device nvdimm,id=nv0,memdev=m0,label-size=128K "                  \
    "-device nvdimm,id=nv1,memdev=m1"
static const BackingFile dsm_files[] = {
    { "a.img", MB(65) }, { "b.img", MB(32) }, { NULL, 0 },
};
#define HANDLE_LABELS   1u      /* nv0, slot 0 */
#define HANDLE_PLAIN    2u      /* nv1, slot 1 */
#define HANDLE_NONE     3u      /* slot 2: empty */

/* MEMA from the NVDIMM SSDT: "Name (MEMA, DWord)". */
static void find_mema(Vmm *v)
{
    const AcpiTestTable *ssdt = acpi_find_table(v->tables, "SSDT", "NVDIMM");

    g_assert_nonnull(ssdt);
    g_assert_true(acpi_aml_find_name_int(ssdt, "MEMA", &v->mema));
    g_test_message("%s: MEMA 0x%" PRIx64, v->name, v->mema);
    g_assert_cmphex(v->mema, !=, 0);
    g_assert_cmphex(v->mema & 0xFFF, ==, 0);
    g_assert_cmphex(v->mema, <, 1ULL << 32);
}

/* One request: the page as the AML would write it, and the reply. */
static GByteArray *dsm_call(Vmm *v, uint32_t handle, uint32_t rev,
                            uint32_t func, const uint8_t *arg3,
                            size_t arg3_len)
{
    uint8_t page[DSM_PAGE_SIZE] = { 0 };
    GByteArray *reply;
    uint32_t rlen;

    g_assert_cmpuint(arg3_len, <=, DSM_PAGE_SIZE - DSM_IN_ARG3);
    memcpy(page, &(uint32_t){ GUINT32_TO_LE(handle) }, 4);
    memcpy(page + 4, &(uint32_t){ GUINT32_TO_LE(rev) }, 4);
    memcpy(page + 8, &(uint32_t){ GUINT32_TO_LE(func) }, 4);
    if (arg3_len) {
        memcpy(page + DSM_IN_ARG3, arg3, arg3_len);
    }
    qtest_bufwrite(v->qts, v->mema, page, sizeof(page));
    qtest_outl(v->qts, DSM_PORT, (uint32_t)v->mema);
    rlen = qtest_readl(v->qts, v->mema);
    g_assert_cmpuint(rlen, >=, 8);
    g_assert_cmpuint(rlen, <=, DSM_PAGE_SIZE);
    reply = g_byte_array_sized_new(rlen);
    g_byte_array_set_size(reply, rlen);
    qtest_bufread(v->qts, v->mema, reply->data, rlen);
    return reply;
}

typedef struct DsmStep {
    const char *what;
    uint32_t handle, rev, func;
    uint8_t arg3[DSM_PAGE_SIZE - DSM_IN_ARG3];
    size_t arg3_len;
    /* RLEN and status (first payload word) both VMMs must give; the
     * status is not checked for function 0 (a bitmap). */
    uint32_t want_rlen, want_status;
} DsmStep;

static void step_u32(DsmStep *s, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(s->arg3 + s->arg3_len, &v, 4);
    s->arg3_len += 4;
}

static void run_step(Vmm *pm, Vmm *qm, const DsmStep *s)
{
    g_autoptr(GByteArray) pr = dsm_call(pm, s->handle, s->rev, s->func,
                                        s->arg3, s->arg3_len);
    g_autoptr(GByteArray) qr = dsm_call(qm, s->handle, s->rev, s->func,
                                        s->arg3, s->arg3_len);

    g_test_message("%s: handle 0x%x rev %u fn %u: pmemvm RLEN %u status "
                   "0x%x, QEMU RLEN %u status 0x%x", s->what, s->handle,
                   s->rev, s->func, pr->len, acpi_get32(pr->data + 4),
                   qr->len, acpi_get32(qr->data + 4));
    assert_same_bytes(s->what, pr->data, pr->len, qr->data, qr->len);
    /* Both agree; make sure they agree on what the ABI says. */
    if (s->want_rlen) {
        g_assert_cmpuint(pr->len, ==, s->want_rlen);
        g_assert_cmphex(acpi_get32(pr->data + 4), ==, s->want_status);
    }
}

/* Build and run one step; (rlen, status) 0 = not checked on its own. */
static void step(Vmm *pm, Vmm *qm, const char *what, uint32_t handle,
                 uint32_t rev, uint32_t func, const uint32_t *args,
                 unsigned nargs, const uint8_t *data, size_t data_len,
                 uint32_t want_rlen, uint32_t want_status)
{
    g_autofree DsmStep *s = g_new0(DsmStep, 1);

    s->what = what;
    s->handle = handle;
    s->rev = rev;
    s->func = func;
    for (unsigned i = 0; i < nargs; i++) {
        step_u32(s, args[i]);
    }
    g_assert_cmpuint(s->arg3_len + data_len, <=, sizeof(s->arg3));
    if (data_len) {
        memcpy(s->arg3 + s->arg3_len, data, data_len);
        s->arg3_len += data_len;
    }
    s->want_rlen = want_rlen;
    s->want_status = want_status;
    run_step(pm, qm, s);
}

#define ARGS(...)   (const uint32_t[]){ __VA_ARGS__ }, \
                    G_N_ELEMENTS(((const uint32_t[]){ __VA_ARGS__ }))
#define NOARGS      NULL, 0

/* The label area of backing file @name of @v. */
static uint8_t *read_label_area(Vmm *v, const char *name, uint64_t size)
{
    g_autofree char *path = g_build_filename(v->dir, name, NULL);
    uint8_t *buf = g_malloc(LABEL_SIZE);
    int fd = open(path, O_RDONLY);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, buf, LABEL_SIZE, size - LABEL_SIZE), ==,
                    LABEL_SIZE);
    close(fd);
    return buf;
}

static void test_dsm(void)
{
    Vmm pm, qm;
    const AcpiTestTable *nfit;
    uint32_t fit_len, end = LABEL_SIZE;
    uint8_t big[DSM_MAX_LABEL_XFER], small[16];
    g_autofree uint8_t *pl = NULL, *ql = NULL;

    if (!need_qemu()) {
        return;
    }
    init_pair(&pm, &qm);
    vmm_start(&pm, "dsm", "", DSM_DEVICES, dsm_files);
    vmm_start(&qm, "dsm", "", DSM_DEVICES, dsm_files);
    find_mema(&pm);
    find_mema(&qm);
    nfit = acpi_find_table(pm.tables, "NFIT", NULL);
    g_assert_nonnull(nfit);
    fit_len = nfit->len - NFIT_HEADER_LEN;
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 7 + 3);
    }
    memset(small, 0xA5, sizeof(small));

    /* The cold-plugged FIT starts "changed": a read not at 0 says so. */
    step(&pm, &qm, "Read FIT at 4 before 0", RSVD_HANDLE, 1, 1, ARGS(4),
         NULL, 0, 8, 0x100);
    step(&pm, &qm, "root fn 0", 0, 1, 0, NOARGS, NULL, 0, 8, 0);
    step(&pm, &qm, "root fn 1", 0, 1, 1, NOARGS, NULL, 0, 8, 1);
    step(&pm, &qm, "VMM root fn 0", RSVD_HANDLE, 1, 0, NOARGS, NULL, 0,
         8, 3);
    step(&pm, &qm, "Read FIT at 0", RSVD_HANDLE, 1, 1, ARGS(0), NULL, 0,
         8 + fit_len, 0);
    step(&pm, &qm, "Read FIT at 4", RSVD_HANDLE, 1, 1, ARGS(4), NULL, 0,
         8 + fit_len - 4, 0);
    step(&pm, &qm, "Read FIT at len", RSVD_HANDLE, 1, 1, ARGS(fit_len),
         NULL, 0, 8, 0);
    step(&pm, &qm, "Read FIT at len + 1", RSVD_HANDLE, 1, 1,
         ARGS(fit_len + 1), NULL, 0, 8, 3);
    step(&pm, &qm, "VMM root fn 2", RSVD_HANDLE, 1, 2, NOARGS, NULL, 0, 8, 1);

    step(&pm, &qm, "DIMM with labels fn 0", HANDLE_LABELS, 1, 0, NOARGS,
         NULL, 0, 8, 0x71);
    step(&pm, &qm, "DIMM without labels fn 0", HANDLE_PLAIN, 1, 0, NOARGS,
         NULL, 0, 8, 0);
    step(&pm, &qm, "no DIMM fn 0", HANDLE_NONE, 1, 0, NOARGS, NULL, 0, 8, 0);
    step(&pm, &qm, "no DIMM fn 4", HANDLE_NONE, 1, 4, NOARGS, NULL, 0, 8, 2);
    step(&pm, &qm, "DIMM without labels fn 4", HANDLE_PLAIN, 1, 4, NOARGS,
         NULL, 0, 8, 1);
    step(&pm, &qm, "DIMM without labels fn 5", HANDLE_PLAIN, 1, 5,
         ARGS(0, 16), NULL, 0, 8, 1);
    step(&pm, &qm, "fn 4 Get Label Size", HANDLE_LABELS, 1, 4, NOARGS,
         NULL, 0, 16, 0);

    step(&pm, &qm, "fn 5 at 0", HANDLE_LABELS, 1, 5,
         ARGS(0, DSM_MAX_LABEL_XFER), NULL, 0, 8 + DSM_MAX_LABEL_XFER, 0);
    step(&pm, &qm, "fn 5 at 4076", HANDLE_LABELS, 1, 5,
         ARGS(DSM_MAX_LABEL_XFER, DSM_MAX_LABEL_XFER), NULL, 0,
         8 + DSM_MAX_LABEL_XFER, 0);
    step(&pm, &qm, "fn 5 at the end", HANDLE_LABELS, 1, 5,
         ARGS(end - DSM_MAX_LABEL_XFER, DSM_MAX_LABEL_XFER), NULL, 0,
         8 + DSM_MAX_LABEL_XFER, 0);
    step(&pm, &qm, "fn 5 past the end", HANDLE_LABELS, 1, 5,
         ARGS(end - 4, 8), NULL, 0, 8, 3);
    /* Not length 0: QEMU 7.2 passes its checks, then fails an assertion
     * in nvdimm_validate_rw_label_data() and aborts. */
    step(&pm, &qm, "fn 5 len 4077", HANDLE_LABELS, 1, 5,
         ARGS(0, DSM_MAX_LABEL_XFER + 1), NULL, 0, 8, 3);
    step(&pm, &qm, "fn 5 offset + len overflows", HANDLE_LABELS, 1, 5,
         ARGS(0xFFFFFFF0u, 0x20), NULL, 0, 8, 3);

    step(&pm, &qm, "fn 6 write 4076 at 100", HANDLE_LABELS, 1, 6,
         ARGS(100, sizeof(big)), big, sizeof(big), 8, 0);
    step(&pm, &qm, "fn 5 read back at 100", HANDLE_LABELS, 1, 5,
         ARGS(100, sizeof(big)), NULL, 0, 8 + sizeof(big), 0);
    step(&pm, &qm, "fn 6 write 16 at the end", HANDLE_LABELS, 1, 6,
         ARGS(end - sizeof(small), sizeof(small)), small, sizeof(small),
         8, 0);
    step(&pm, &qm, "fn 5 read back at the end", HANDLE_LABELS, 1, 5,
         ARGS(end - sizeof(small), sizeof(small)), NULL, 0,
         8 + sizeof(small), 0);
    step(&pm, &qm, "fn 6 past the end", HANDLE_LABELS, 1, 6,
         ARGS(end - 8, sizeof(small)), small, sizeof(small), 8, 3);
    step(&pm, &qm, "fn 6 len 4077", HANDLE_LABELS, 1, 6,
         ARGS(0, DSM_MAX_LABEL_XFER + 1), NULL, 0, 8, 3);
    step(&pm, &qm, "fn 6 offset + len overflows", HANDLE_LABELS, 1, 6,
         ARGS(0xFFFFFFF0u, 0x20), NULL, 0, 8, 3);

    step(&pm, &qm, "revision 2, root fn 0", 0, 2, 0, NOARGS, NULL, 0, 8, 1);
    step(&pm, &qm, "revision 2, fn 4", HANDLE_LABELS, 2, 4, NOARGS, NULL, 0,
         8, 1);
    step(&pm, &qm, "revision 2, Read FIT", RSVD_HANDLE, 2, 1, ARGS(0),
         NULL, 0, 8, 1);
    step(&pm, &qm, "DIMM fn 9", HANDLE_LABELS, 1, 9, NOARGS, NULL, 0, 8, 1);
    step(&pm, &qm, "root fn 9", 0, 1, 9, NOARGS, NULL, 0, 8, 1);

    /* The writes reached both backing files, the same way. */
    vmm_quit(&pm);
    vmm_quit(&qm);
    pl = read_label_area(&pm, "a.img", MB(65));
    ql = read_label_area(&qm, "a.img", MB(65));
    assert_same_bytes("label area", pl, LABEL_SIZE, ql, LABEL_SIZE);
    g_assert_cmpmem(pl + 100, sizeof(big), big, sizeof(big));
    g_assert_cmpmem(pl + end - sizeof(small), sizeof(small), small,
                    sizeof(small));
    vmm_free(&pm);
    vmm_free(&qm);
}

int main(int argc, char **argv)
{
    const char *env_qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    pmemvm_bin = g_getenv("QTEST_PMEMVM_BINARY");
    if (!pmemvm_bin || !*pmemvm_bin) {
        g_printerr("set QTEST_PMEMVM_BINARY\n");
        return 1;
    }
    qemu_bin = env_qemu && *env_qemu ?
        g_find_program_in_path(env_qemu) :
        g_find_program_in_path("qemu-system-x86_64");
    g_unsetenv("QTEST_QEMU_BINARY");
    tmp_dir = g_dir_make_tmp("nvdimm-compare-XXXXXX", &err);
    g_assert_nonnull(tmp_dir);

    for (guint i = 0; i < G_N_ELEMENTS(nfit_cases); i++) {
        g_autofree char *path = g_strdup_printf("/nvdimm-compare/nfit/%s",
                                                nfit_cases[i].name);

        g_test_add_data_func(path, &nfit_cases[i], test_nfit);
    }
    g_test_add_func("/nvdimm-compare/dsm", test_dsm);

    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    g_free(qemu_bin);
    return ret;
}
