/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-memory: -m size=,slots=,maxmem= as QEMU 7.2 takes them.
 *
 * Each command line either starts, and QMP query-memory-size-summary
 * reports the RAM QEMU 7.2 would give, or is refused with QEMU 7.2's
 * error line (its typo "must by aligned" included).  The same command
 * line runs on qemu-system-x86_64 where it is installed, and must give
 * the same answer, but for the cases whose 'differs' says why pmemvm
 * deliberately differs (docs/system/nvdimm.md, "-m").
 *
 * The rules, learnt from QEMU 7.2: sizes are parsed as qemu_strtosz()
 * does (hex with a suffix is deprecated but taken, a fraction needs a
 * digit before the point and a unit above bytes, a value past 2^64 - 1 is
 * "out of range"); a size= ending in a digit then gets "M" appended;
 * RAM is rounded up to 8 KiB, any size of it starts; slots is a number
 * as strtoull() reads it ("-1" is 2^64 - 1); several -m merge; maxmem
 * must be 4 KiB aligned and slots at most 256 once maxmem exceeds RAM.
 */
#include "qemu/osdep.h"

#include "acpi-utils.h"
#include "libqtest.h"
#include "qtest-util.h"
#include "hw/i386/layout.h"

typedef struct MemCase {
    const char *args;
    uint64_t ram;           /* started: base-memory; 0: refused */
    const char *error;      /* refused: the error line */
    bool prefix;            /* ... or only its start (numbers differ) */
    const char *differs;    /* why QEMU is not compared, or NULL */
    bool warns;             /* hex with a suffix: a deprecation warning */
} MemCase;

#define HEX_SUFFIX_WARNING "warning: Using a multiplier suffix on hex " \
                           "numbers is deprecated: "

static const MemCase cases[] = {
    /* RAM below 1 MiB starts, rounded up to 8 KiB (docs/specs/pc-machine.md) */
    { "-m 513K", 532480 },
    { "-m 1K", 8 * KiB },
    { "-m 8K", 8 * KiB },
    { "-m 1B", 8 * KiB },
    { "-m 1b", 8 * KiB },
    { "-m 1.0B", 8 * KiB },
    { "-m 1.5k", 8 * KiB },
    { "-m 1.k", 8 * KiB },
    { "-m 1023K", MiB },
    { "-m 513K,slots=1,maxmem=1G", 532480 },
    { "-m 0", 128 * MiB },
    { "-m size=0,slots=1,maxmem=1G", 128 * MiB },
    { "-m 8193", 8193 * MiB },
    /* without a suffix: MiB if it ends in a digit, else as written */
    { "-m 0xA", 8 * KiB },
    { "-m 0x1B", 8 * KiB },
    { "-m 0x10", 16 * MiB, .warns = true },
    { "-m 0x10M", 16 * MiB, .warns = true },
    { "-m 0x10k", 16 * KiB, .warns = true },
    { "-m ' 512'", 512 * MiB },
    { "-m +512", 512 * MiB },
    { "-m 1.0", MiB },
    { "-m 5.G", 5 * GiB },
    { "-m 0.5G", 512 * MiB },
    /* several -m merge, key by key */
    { "-m 1G,size=2G", 2 * GiB },
    { "-m 512M -m 1G", GiB },
    { "-m 512M,slots=2 -m maxmem=1G", 512 * MiB },
    { "-m maxmem=1G", 128 * MiB },
    { "-m 512M,maxmem=512M", 512 * MiB },
    { "-m 512M,slots=0,maxmem=1G", 512 * MiB },
    { "-m 512M,slots=256,maxmem=1G", 512 * MiB },
    { "-m 512M,slots=0x10,maxmem=1G", 512 * MiB },
    { "-m 512M,slots=+3,maxmem=1G", 512 * MiB },
    { "-m 512M,slots=2,maxmem=0x40000000", 512 * MiB },
    { "-m 512M,slots=2,maxmem=4194304K", 512 * MiB },

    /* maxmem */
    { "-m 512M,slots=2,maxmem=4194305K", 0,
      "maximum memory size must by aligned to multiple of 4096 bytes" },
    { "-m maxmem=4194305K", 0,
      "maximum memory size must by aligned to multiple of 4096 bytes" },
    { "-m 512M,slots=0,maxmem=2147483649", 0,
      "maximum memory size must by aligned to multiple of 4096 bytes" },
    /* the window's end wraps past 2^64 */
    { "-m 512M,maxmem=0xfffffffffffff000", 0,
      "unsupported amount of maximum memory: fffffffffffff000" },
    { "-m 512M,slots=300,maxmem=4194305K", 0,
      "unsupported amount of memory slots: 300" },
    { "-m 512M,maxmem=16E", 0,
      "-m 512M,maxmem=16E: Value '16E' is out of range for parameter "
      "'maxmem'" },
    { "-m 512M,maxmem=18446744073709551616", 0,
      "-m 512M,maxmem=18446744073709551616: Value '18446744073709551616' "
      "is out of range for parameter 'maxmem'" },
    { "-m 512M,maxmem=-1", 0, "-m 512M,maxmem=-1: Parameter 'maxmem' "
      "expects a non-negative number below 2^64" },
    { "-m 512M,maxmem=0", 0, "invalid value of maxmem: maximum memory size "
      "(0x0) must be at least the initial memory size (0x20000000)" },
    { "-m 513K,maxmem=513K", 0, "invalid value of maxmem: maximum memory "
      "size (0x80400) must be at least the initial memory size (0x82000)" },

    /* slots */
    { "-m 512M,slots=-1,maxmem=1G", 0,
      "unsupported amount of memory slots: 18446744073709551615" },
    { "-m 512M,slots=-2,maxmem=1G", 0,
      "unsupported amount of memory slots: 18446744073709551614" },
    { "-m 512M,slots=99999999999999999999,maxmem=1G", 0,
      "-m 512M,slots=99999999999999999999,maxmem=1G: Value "
      "'99999999999999999999' is too large for parameter 'slots'" },
    { "-m 512M,slots=1e2,maxmem=1G", 0, "-m 512M,slots=1e2,maxmem=1G: "
      "Parameter 'slots' expects a number" },
    { "-m 512M,slots=0", 0, "slots specified but no max-size" },
    /* 2^32 slots of 1 GiB each: more than the vCPUs can address */
    { "-m 512M,slots=4294967296,maxmem=4G", 0, "Address space limit 0x",
      true, "QEMU's qemu64 vCPU has 40 physical address bits, pmemvm's "
      "the host's; the numbers differ" },

    /* size */
    { "-m 1.5", 0, "-m 1.5: Parameter 'size' expects a non-negative "
      "number below 2^64" },
    { "-m .5G", 0, "-m .5G: Parameter 'size' expects a non-negative "
      "number below 2^64" },
    { "-m 0x1.8G", 0, "-m 0x1.8G: Parameter 'size' expects a "
      "non-negative number below 2^64" },
    { "-m 1e3", 0, "-m 1e3: Parameter 'size' expects a non-negative "
      "number below 2^64" },
    { "-m 16E", 0, "-m 16E: Value '16E' is out of range for parameter "
      "'size'" },
    { "-m 18446744073709551616", 0, "-m 18446744073709551616: Value "
      "'18446744073709551616' is out of range for parameter 'size'" },
    /* in range as bytes, not once "M" is appended */
    { "-m 18446744073709551615", 0,
      "Parameter 'memory.size' expects size" },
    { "-m 17592186044416", 0, "Parameter 'memory.size' expects size" },
    { "-m 7E", 0, "cannot set up guest memory 'pc.ram': Cannot allocate "
      "memory" },
    /* RAM from a backend: its size, unless -m gives one (not 0) */
    { "-machine pc,memory-backend=m1 -object memory-backend-ram,id=m1,"
      "size=64M", 64 * MiB },
    { "-machine pc,memory-backend=m1 -m 0 -object memory-backend-ram,"
      "id=m1,size=64M", 64 * MiB },
    { "-machine pc,memory-backend=m1 -m maxmem=1G,slots=1 -object "
      "memory-backend-ram,id=m1,size=64M", 64 * MiB },
    { "-machine pc,memory-backend=m1 -object memory-backend-ram,id=m1,"
      "size=4097K", 4097 * KiB },
    { "-machine pc,memory-backend=m1 -m 128M -object memory-backend-ram,"
      "id=m1,size=64M", 0, "Machine memory size does not match the size of "
      "the memory backend" },
    /* ... checked against the default size, as QEMU does */
    { "-machine pc,memory-backend=m1 -m maxmem=100M -object "
      "memory-backend-ram,id=m1,size=64M", 0, "invalid value of maxmem: "
      "maximum memory size (0x6400000) must be at least the initial memory "
      "size (0x8000000)" },
    /* a NUMA node's memdev must have the RAM's size */
    { "-numa node,memdev=m1 -m 64M -object memory-backend-ram,id=m1,"
      "size=64M", 64 * MiB },
    { "-numa node,memdev=m1 -object memory-backend-ram,id=m1,size=64M", 0,
      "total memory for NUMA nodes (0x4000000) should equal RAM size "
      "(0x8000000)" },
    { "-numa node,memdev=m1 -m 513K -object memory-backend-ram,id=m1,"
      "size=513K", 0, "total memory for NUMA nodes (0x80400) should equal "
      "RAM size (0x82000)" },
    /* rounding up to 8 KiB wraps to 0 */
    { "-m 18446744073709551615B", 0, "ram size too large", false,
      "QEMU 7.2 starts a machine with 0 bytes of RAM" },
};

/* Run @args; *ram: base-memory if it started, else *line: its error. */
static bool run(bool qemu, const char *args, uint64_t *ram, char **line,
                char **err_out)
{
    g_autofree char *err = NULL;
    JsonNode *reply = NULL;
    bool started = false;
    int status = 0;

    if (qemu) {
        status = qemu_probe_query(args, &started, &err,
                                  "query-memory-size-summary", &reply);
    } else {
        QTestState *qts = qtest_init_may_fail(args, &status, &err);

        if (qts) {
            started = true;
            reply = qtest_qmp_assert_success_ref(
                qts, "{'execute': 'query-memory-size-summary'}");
            g_free(err);
            err = qtest_get_stderr(qts);
            qtest_quit(qts);
        }
    }
    if (started) {
        JsonObject *o = json_node_get_object(reply);

        *ram = json_object_get_int_member(o, "base-memory");
        json_node_unref(reply);
    } else {
        g_assert_cmpint(status, ==, 1);
        *line = error_line(err, qemu ? QEMU_NAME : "pmemvm");
        g_assert_nonnull(*line);
    }
    *err_out = g_steal_pointer(&err);
    return started;
}

static void check(bool qemu, const MemCase *c)
{
    const char *vmm = qemu ? QEMU_NAME : "pmemvm";
    g_autofree char *line = NULL, *err = NULL;
    uint64_t ram = 0;
    bool started = run(qemu, c->args, &ram, &line, &err);

    if (c->ram) {
        if (!started) {
            g_error("%s refused '%s': %s", vmm, c->args, line);
        }
        if (ram != c->ram) {
            g_error("%s '%s': base-memory %" PRIu64 ", expected %" PRIu64,
                    vmm, c->args, ram, c->ram);
        }
    } else if (started) {
        g_error("%s started with '%s' (base-memory %" PRIu64 ")", vmm,
                c->args, ram);
    } else if (c->prefix ? !g_str_has_prefix(line, c->error) :
               strcmp(line, c->error)) {
        g_error("%s '%s': \"%s\", expected \"%s\"%s", vmm, c->args, line,
                c->error, c->prefix ? "..." : "");
    }
    /* QEMU 7.2 warns about hex with a suffix, and so does pmemvm */
    if (!!strstr(err, HEX_SUFFIX_WARNING) != c->warns) {
        g_error("%s '%s': %s deprecation warning:\n%s", vmm, c->args,
                c->warns ? "no" : "an unexpected", err);
    }
}

static void test_case(gconstpointer data)
{
    const MemCase *c = data;
    g_autofree char *qemu = qemu_path();

    check(false, c);
    if (c->differs) {
        g_test_message("not compared with QEMU: %s", c->differs);
    } else if (!qemu) {
        g_test_skip(QEMU_NAME " is not installed: pmemvm checked against "
                    "the recorded QEMU 7.2 answers");
    } else {
        check(true, c);
    }
}

/* A /proc/meminfo field, in bytes. */
static uint64_t meminfo(const char *field)
{
    g_autofree char *text = NULL;
    const char *at;

    g_assert_true(g_file_get_contents("/proc/meminfo", &text, NULL, NULL));
    at = strstr(text, field);
    g_assert_nonnull(at);
    return g_ascii_strtoull(at + strlen(field) + 1, NULL, 10) * KiB;
}

/*
 * More RAM than the host has: refused at start-up, as QEMU reserves its
 * RAM (no MAP_NORESERVE) and the kernel's overcommit heuristic refuses a
 * mapping larger than RAM and swap together.
 */
static void test_more_than_the_host(void)
{
    g_autofree char *mode = NULL;
    MemCase c = {
        "-m 1T", 0, "cannot set up guest memory 'pc.ram': Cannot allocate "
        "memory",
    };

    g_assert_true(g_file_get_contents("/proc/sys/vm/overcommit_memory",
                                      &mode, NULL, NULL));
    if (atoi(mode) != 0 || meminfo("MemTotal:") + meminfo("SwapTotal:") >=
        (uint64_t)1 << 40) {
        g_test_skip("the kernel would let 1 TiB of RAM be reserved here "
                    "(vm.overcommit_memory is not 0, or the host has 1 TiB)");
        return;
    }
    test_case(&c);
}

/*
 * RAM below 1 MiB: the machine's own tables are still there, in memory of
 * their own from the _DSM page to 1 MiB (docs/specs/pc-machine.md): the
 * ACPI tables with the NFIT, a writable _DSM page, nothing between the
 * end of RAM and the _DSM page.
 */
static void test_small_ram_tables(void)
{
    QTestState *qts = qtest_init(
        "-machine pc,nvdimm=on -m 513K,slots=1,maxmem=1G "
        "-object memory-backend-ram,id=r1,size=4M "
        "-device nvdimm,id=nv1,memdev=r1");
    g_autoptr(AcpiTestTables) t = acpi_read_tables(qts, 1000);

    g_assert_nonnull(t);
    g_assert_cmphex(t->rsdp_addr, ==, LAYOUT_ACPI_RSDP);
    g_assert_nonnull(acpi_find_table(t, "NFIT", NULL));
    qtest_writeq(qts, LAYOUT_NVDIMM_DSM_PAGE, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readq(qts, LAYOUT_NVDIMM_DSM_PAGE), ==,
                    0x1122334455667788ULL);
    /* RAM: 520 KiB (513K rounded up to 8 KiB), then a hole */
    qtest_writeb(qts, 520 * KiB - 1, 0x5a);
    g_assert_cmphex(qtest_readb(qts, 520 * KiB - 1), ==, 0x5a);
    g_assert_cmphex(qtest_readb(qts, 520 * KiB), ==, 0xff);
    g_assert_cmphex(qtest_readb(qts, LAYOUT_NVDIMM_DSM_PAGE - 1), ==, 0xff);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    guint i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/machine-memory/%s",
                                                cases[i].args);

        g_strdelimit(path + 1, " '", '_');
        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_func("/machine-memory/more-than-the-host",
                    test_more_than_the_host);
    g_test_add_func("/machine-memory/small-ram-tables",
                    test_small_ram_tables);
    return g_test_run();
}
