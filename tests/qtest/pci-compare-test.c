/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI side of pmemvm against QEMU 7.2, for the same command line:
 * virtio-pmem-pci devices at addr=5, addr=6.0 (multifunction=on) and
 * addr=6.1 on bus=pci.0, one with memaddr.
 *
 * QEMU under qtest runs no firmware, so its BARs are unassigned; pmemvm
 * assigns them itself (docs/specs/pci.md).  Each test first writes into
 * QEMU's config space what pmemvm's "firmware" wrote (BAR addresses,
 * the command register, the Interrupt Line), then compares.  What is left
 * are pmemvm's deliberate differences, each checked for what it is:
 *
 *  - the host bridge at 00.0 is QEMU's generic one (1b36:0008, which QEMU
 *    has on microvm,pcie=on), not the pc's i440FX, and there is no PIIX3
 *    (QEMU's slot 1: ISA bridge, IDE, ACPI);
 *  - virtio-pmem-pci has an MSI-X capability (first in the list, next
 *    pointing at QEMU's first) whose table and PBA live in a 4 KiB BAR 1;
 *    QEMU's virtio-pmem-pci has no MSI-X and interrupts with INTx only.
 */
#include "qemu/osdep.h"
#include <linux/pci_regs.h>

#include "libqtest.h"
#include "libqos/pci.h"
#include "hw/i386/layout.h"
#include "qtest-util.h"

#define DEV_5       QPCI_DEVFN(5, 0)
#define DEV_6_0     QPCI_DEVFN(6, 0)
#define DEV_6_1     QPCI_DEVFN(6, 1)
#define MSIX_SIZE   12          /* PCI 3.0 §6.8.2: id, next, control, 2 dwords */

static char *tmp_dir;

static uint32_t le32_at(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static void set_le32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static void set_le16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static char *machine_args(void)
{
    g_autoptr(GString) s = g_string_new("-machine pc -m 2G,slots=2,maxmem=8G");
    static const struct {
        const char *id, *size, *dev;
    } devs[] = {
        { "mem1", "128M", "id=nv1,bus=pci.0,addr=0x5" },
        { "mem2", "64M", "id=nv2,addr=6.0,multifunction=on,"
                         "memaddr=0x180000000" },
        { "mem3", "64M", "bus=pci.0,addr=06.1" },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(devs); i++) {
        g_autofree char *path = g_strdup_printf("%s/%s.img", tmp_dir,
                                                devs[i].id);

        unlink(path);
        g_string_append_printf(s, " -object memory-backend-file,id=%s,"
                               "share=on,mem-path=%s,size=%s -device "
                               "virtio-pmem-pci,memdev=%s,%s", devs[i].id,
                               path, devs[i].size, devs[i].id, devs[i].dev);
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

/* Copy what pmemvm's firmware wrote for @devfn into QEMU's @devfn. */
static void set_up_like(QTestState *qemu, const uint8_t cfg[256], int devfn)
{
    int off;

    for (off = PCI_BASE_ADDRESS_0; off <= PCI_BASE_ADDRESS_5; off += 4) {
        qpci_config_writel(qemu, devfn, off, le32_at(cfg + off));
    }
    qpci_config_writeb(qemu, devfn, PCI_INTERRUPT_LINE,
                       cfg[PCI_INTERRUPT_LINE]);
    qpci_config_writew(qemu, devfn, PCI_COMMAND,
                       cfg[PCI_COMMAND] | cfg[PCI_COMMAND + 1] << 8);
}

static void print_diff(const uint8_t *mine, const uint8_t *theirs,
                       unsigned len)
{
    unsigned i;

    for (i = 0; i < len; i++) {
        if (mine[i] != theirs[i]) {
            g_test_message("0x%02x: pmemvm %02x, expected %02x", i, mine[i],
                           theirs[i]);
        }
    }
}

/*
 * pmemvm's host bridge, 256 bytes through ECAM, is QEMU's generic host
 * bridge (gpex-root on microvm,pcie=on, whose ECAM is at the same
 * address), byte for byte.
 */
static void test_host_bridge(void)
{
    QTestState *qts = qtest_init("-machine pc");
    uint8_t mine[256], theirs[256];
    unsigned off;

    for (off = 0; off < 256; off += 4) {
        set_le32(mine + off, qtest_readl(qts, LAYOUT_PCI_ECAM_BASE + off));
    }
    qtest_quit(qts);
    qts = qemu_qtest_init("-machine microvm,pcie=on");
    if (!qts) {
        return;
    }
    for (off = 0; off < 256; off += 4) {
        set_le32(theirs + off, qtest_readl(qts, 0xe0000000ULL + off));
    }
    qtest_quit(qts);
    print_diff(mine, theirs, 256);
    g_assert_cmpmem(mine, 256, theirs, 256);
    /* QEMU's pc has the i440FX there instead (deliberate, see top). */
    qts = qemu_qtest_init("-machine pc");
    g_assert_cmphex(qpci_config_readl(qts, 0, PCI_VENDOR_ID), ==,
                    0x12378086);
    qtest_quit(qts);
}

/*
 * A virtio-pmem-pci function's 256 bytes: QEMU's, set up as pmemvm's
 * firmware did, plus the MSI-X capability and its BAR.
 */
static void compare_function(QTestState *mine_qts, QTestState *qemu, int devfn)
{
    uint8_t mine[256], theirs[256], expect[256];
    uint8_t msix;

    qpci_config_dump(mine_qts, devfn, mine);
    set_up_like(qemu, mine, devfn);
    qpci_config_dump(qemu, devfn, theirs);
    memcpy(expect, theirs, sizeof(expect));

    /* BAR 1: 4 KiB of 32-bit non-prefetchable memory, unused by QEMU. */
    g_assert_cmphex(le32_at(theirs + PCI_BASE_ADDRESS_1), ==, 0);
    g_assert_cmphex(le32_at(mine + PCI_BASE_ADDRESS_1) & 0xfff, ==, 0);
    set_le32(expect + PCI_BASE_ADDRESS_1,
                 le32_at(mine + PCI_BASE_ADDRESS_1));
    /* MSI-X first, then QEMU's list as it is. */
    msix = mine[PCI_CAPABILITY_LIST];
    g_assert_cmpuint(msix, >=, 0x40);
    g_assert_cmpuint(msix + MSIX_SIZE, <=, 256);
    g_assert_cmpmem(theirs + msix, MSIX_SIZE, (uint8_t[MSIX_SIZE]){ 0 },
                    MSIX_SIZE);
    expect[PCI_CAPABILITY_LIST] = msix;
    expect[msix + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
    expect[msix + PCI_CAP_LIST_NEXT] = theirs[PCI_CAPABILITY_LIST];
    /* Two vectors (config changes, the queue), disabled, unmasked. */
    set_le16(expect + msix + PCI_MSIX_FLAGS, 2 - 1);
    /* Table at offset 0 of BAR 1, PBA at 0x800 of BAR 1. */
    set_le32(expect + msix + PCI_MSIX_TABLE, 1);
    set_le32(expect + msix + PCI_MSIX_PBA, 0x800 | 1);
    print_diff(mine, expect, 256);
    g_assert_cmpmem(mine, 256, expect, 256);
}

static void test_config_space(void)
{
    g_autofree char *args = machine_args();
    QTestState *mine = qtest_init(args);
    QTestState *qemu = qemu_qtest_init(args);

    if (!qemu) {
        qtest_quit(mine);
        return;
    }
    compare_function(mine, qemu, DEV_5);
    compare_function(mine, qemu, DEV_6_0);
    compare_function(mine, qemu, DEV_6_1);
    /* Function 0 of slot 6 says it has others; slot 5's does not. */
    g_assert_cmphex(qpci_config_readb(mine, DEV_6_0, PCI_HEADER_TYPE), ==,
                    0x80);
    g_assert_cmphex(qpci_config_readb(mine, DEV_5, PCI_HEADER_TYPE), ==, 0);
    qtest_quit(mine);
    qtest_quit(qemu);
}

/* The device of @list (a query-pci answer) at @slot.@fn, or NULL. */
static JsonObject *find_function(JsonNode *list, int slot, int fn)
{
    JsonArray *buses = json_node_get_array(list);
    JsonArray *devs;
    guint i;

    g_assert_cmpuint(json_array_get_length(buses), ==, 1);
    devs = json_object_get_array_member(
        json_array_get_object_element(buses, 0), "devices");
    for (i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (json_object_get_int_member(d, "slot") == slot &&
            json_object_get_int_member(d, "function") == fn) {
            return d;
        }
    }
    return NULL;
}

/* Where query-pci lists each function, as "slot.fn:device-id ...". */
static char *functions(JsonNode *list)
{
    JsonArray *devs = json_object_get_array_member(
        json_array_get_object_element(json_node_get_array(list), 0),
        "devices");
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        g_string_append_printf(s, "%s%" PRId64 ".%" PRId64 ":%04" PRIx64,
                               i ? " " : "",
                               json_object_get_int_member(d, "slot"),
                               json_object_get_int_member(d, "function"),
                               json_object_get_int_member(
                                   json_object_get_object_member(d, "id"),
                                   "device"));
    }
    return g_string_free(s, FALSE);
}

static void log_json(const char *who, JsonNode *n)
{
    g_autofree char *text = json_to_string(n, FALSE);

    g_test_message("%s %s", who, text);
}

static char *to_text(JsonObject *o)
{
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);

    json_node_set_object(n, o);
    return json_to_string(n, FALSE);
}

/*
 * pmemvm's query-pci entry for @slot.@fn is QEMU's (QEMU set up as pmemvm's
 * firmware did) but for the MSI-X BAR 1 region, checked and taken out.
 */
static void compare_entry(JsonNode *mine, JsonNode *theirs, int slot, int fn)
{
    JsonObject *m = find_function(mine, slot, fn);
    JsonObject *t = find_function(theirs, slot, fn);
    JsonArray *regions;
    JsonObject *bar1;
    g_autofree char *mt = NULL, *tt = NULL;

    g_assert_nonnull(m);
    g_assert_nonnull(t);
    regions = json_object_get_array_member(m, "regions");
    g_assert_cmpuint(json_array_get_length(regions), ==, 2);
    bar1 = json_array_get_object_element(regions, 0);
    g_assert_cmpint(json_object_get_int_member(bar1, "bar"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(bar1, "size"), ==, 4096);
    g_assert_cmpstr(json_object_get_string_member(bar1, "type"), ==,
                    "memory");
    g_assert_false(json_object_get_boolean_member(bar1, "mem_type_64"));
    g_assert_false(json_object_get_boolean_member(bar1, "prefetch"));
    json_array_remove_element(regions, 0);
    mt = to_text(m);
    tt = to_text(t);
    g_test_message("%d.%d pmemvm: %s", slot, fn, mt);
    g_test_message("%d.%d QEMU:   %s", slot, fn, tt);
    g_assert_true(json_node_equal(json_object_get_member(m, "regions"),
                                  json_object_get_member(t, "regions")));
    json_object_remove_member(m, "regions");
    json_object_remove_member(t, "regions");
    g_assert_true(json_object_equal(m, t));
}

static void test_query_pci(void)
{
    g_autofree char *args = machine_args();
    QTestState *mine = qtest_init(args);
    QTestState *qemu = qemu_qtest_init(args);
    const int devfns[] = { DEV_5, DEV_6_0, DEV_6_1 };
    g_autoptr(JsonNode) mine_pci = NULL, qemu_pci = NULL;
    g_autoptr(JsonNode) mine_mem = NULL, qemu_mem = NULL;
    g_autofree char *mine_fns = NULL, *qemu_fns = NULL;
    unsigned i;

    if (!qemu) {
        qtest_quit(mine);
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(devfns); i++) {
        uint8_t cfg[256];

        qpci_config_dump(mine, devfns[i], cfg);
        set_up_like(qemu, cfg, devfns[i]);
    }
    mine_pci = qtest_qmp_assert_success_ref(mine, "{'execute': 'query-pci'}");
    qemu_pci = qtest_qmp_assert_success_ref(qemu, "{'execute': 'query-pci'}");
    mine_fns = functions(mine_pci);
    qemu_fns = functions(qemu_pci);
    /* The same functions where the command line put them; QEMU's host
     * bridge is the i440FX and its PIIX3 is at slot 1 (see top). */
    g_assert_cmpstr(mine_fns, ==, "0.0:0008 5.0:105b 6.0:105b 6.1:105b");
    g_assert_cmpstr(qemu_fns, ==, "0.0:1237 1.0:7000 1.1:7010 1.3:7113 "
                    "5.0:105b 6.0:105b 6.1:105b");
    compare_entry(mine_pci, qemu_pci, 5, 0);
    compare_entry(mine_pci, qemu_pci, 6, 0);
    compare_entry(mine_pci, qemu_pci, 6, 1);

    /* The same command line's memory devices, the whole answer. */
    mine_mem = qtest_qmp_assert_success_ref(mine,
                   "{'execute': 'query-memory-devices'}");
    qemu_mem = qtest_qmp_assert_success_ref(qemu,
                   "{'execute': 'query-memory-devices'}");
    log_json("pmemvm:", mine_mem);
    log_json("QEMU:  ", qemu_mem);
    g_assert_true(json_node_equal(mine_mem, qemu_mem));
    qtest_quit(mine);
    qtest_quit(qemu);
}

/* The host bridge's query-pci entry is QEMU's for its generic bridge. */
static void test_query_pci_host_bridge(void)
{
    QTestState *qts = qtest_init("-machine pc");
    g_autoptr(JsonNode) mine = NULL, theirs = NULL;

    mine = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-pci'}");
    qtest_quit(qts);
    qts = qemu_qtest_init("-machine microvm,pcie=on");
    if (!qts) {
        return;
    }
    theirs = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-pci'}");
    qtest_quit(qts);
    log_json("pmemvm:", mine);
    log_json("QEMU:  ", theirs);
    g_assert_true(json_node_equal(mine, theirs));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("pmemvm-pci-compare-XXXXXX", NULL);
    g_test_add_func("/pci-compare/host-bridge", test_host_bridge);
    g_test_add_func("/pci-compare/config-space", test_config_space);
    g_test_add_func("/pci-compare/query-pci", test_query_pci);
    g_test_add_func("/pci-compare/query-pci-host-bridge",
                    test_query_pci_host_bridge);
    ret = g_test_run();
    remove_dir(tmp_dir);
    return ret;
}
