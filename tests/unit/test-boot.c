/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct kernel boot: the e820 map, bzImage header parsing, initrd
 * placement, and pc_boot_linux() into a RAM buffer (no KVM); the same for
 * an ELF kernel with a PVH entry note.
 */
#include "qemu/osdep.h"
#include <elf.h>
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"
#include "hw/core/memory.h"
#include "boot-fixture.h"

#define TEST_KERNEL_SIZE    (64 * KiB)
#define TEST_SETUP_SECTS    3
#define TEST_INIT_SIZE      (4 * MiB)
#define TEST_PD_ENTRIES     (512 * LAYOUT_BOOT_PD_COUNT)
#define TEST_SENTINEL       0x1EF   /* boot_params.sentinel, 0xFF in files */

/* A bzImage header with protocol @version and a recognisable payload. */
static uint8_t *make_bzimage(uint16_t version, size_t *len)
{
    uint8_t *buf = g_malloc0(TEST_KERNEL_SIZE);
    struct setup_header *h = (void *)(buf + BZIMAGE_HDR_OFFSET);
    size_t i;

    boot_fixture_setup_header(buf, TEST_SETUP_SECTS, version);
    h->init_size = TEST_INIT_SIZE;
    h->vid_mode = 0x1234;
    buf[TEST_SENTINEL] = 0xFF;
    for (i = (TEST_SETUP_SECTS + 1) * 512; i < TEST_KERNEL_SIZE; i++) {
        buf[i] = i * 7;
    }
    *len = TEST_KERNEL_SIZE;
    return buf;
}

static void test_e820_512m(void)
{
    E820Table t;
    const struct boot_e820_entry *e = t.entries;

    pc_e820_build(&t, 512 * MiB, 0);
    g_assert_cmpuint(t.count, ==, 5);
    g_assert_cmphex(e[0].addr, ==, 0);
    g_assert_cmphex(e[0].size, ==, 0x9FC00);
    g_assert_cmpuint(e[0].type, ==, E820_TYPE_RAM);
    g_assert_cmphex(e[1].addr, ==, 0x9FC00);
    g_assert_cmphex(e[1].addr + e[1].size, ==, 0x100000);
    g_assert_cmpuint(e[1].type, ==, E820_TYPE_RESERVED);
    g_assert_cmphex(e[2].addr, ==, 1 * MiB);
    g_assert_cmphex(e[2].size, ==, 511 * MiB);
    g_assert_cmpuint(e[2].type, ==, E820_TYPE_RAM);
    g_assert_cmphex(e[3].addr, ==, LAYOUT_PCI_ECAM_BASE);
    g_assert_cmphex(e[3].size, ==, LAYOUT_PCI_ECAM_SIZE);
    g_assert_cmpuint(e[3].type, ==, E820_TYPE_RESERVED);
    g_assert_cmphex(e[4].addr, ==, LAYOUT_KVM_IDENTITY_MAP);
    g_assert_cmpuint(e[4].type, ==, E820_TYPE_RESERVED);
}

/* The _DSM page and the ACPI tables lie in a reserved range, no RAM. */
static void test_e820_reserved_areas(void)
{
    static const uint64_t must_reserve[] = {
        LAYOUT_NVDIMM_DSM_PAGE, LAYOUT_ACPI_RSDP, LAYOUT_ACPI_TABLES,
        LAYOUT_ACPI_TABLES_END - 1, LAYOUT_EBDA_START,
    };
    E820Table t;
    unsigned i, j;

    pc_e820_build(&t, 3 * GiB, 1 * GiB);
    for (i = 0; i < ARRAY_SIZE(must_reserve); i++) {
        unsigned hits = 0;

        for (j = 0; j < t.count; j++) {
            const struct boot_e820_entry *e = &t.entries[j];

            if (must_reserve[i] >= e->addr &&
                must_reserve[i] < e->addr + e->size) {
                g_assert_cmpuint(e->type, ==, E820_TYPE_RESERVED);
                hits++;
            }
        }
        g_assert_cmpuint(hits, ==, 1);
    }
}

static void test_e820_above_4g(void)
{
    E820Table t;
    const struct boot_e820_entry *last;

    pc_e820_build(&t, 3 * GiB, 5 * GiB);
    last = &t.entries[t.count - 1];
    g_assert_cmphex(last->addr, ==, LAYOUT_4G);
    g_assert_cmphex(last->size, ==, 5 * GiB);
    g_assert_cmpuint(last->type, ==, E820_TYPE_RAM);
    /* Entries are sorted and do not overlap. */
    for (unsigned i = 1; i < t.count; i++) {
        g_assert_cmphex(t.entries[i - 1].addr + t.entries[i - 1].size, <=,
                        t.entries[i].addr);
    }
}

static void test_e820_tiny_and_full(void)
{
    E820Table t;
    unsigned i;

    pc_e820_build(&t, 256 * KiB, 0);
    g_assert_cmphex(t.entries[0].size, ==, 256 * KiB);
    g_assert_cmphex(t.entries[1].addr, ==, LAYOUT_EBDA_START);
    g_assert_cmphex(t.entries[2].addr, ==, LAYOUT_PCI_ECAM_BASE);
    g_assert_cmphex(t.entries[3].addr, ==, LAYOUT_KVM_IDENTITY_MAP);
    g_assert_cmpuint(t.count, ==, 4);

    g_assert_false(e820_add(&t, 0x1000, 0, E820_TYPE_RAM));
    for (i = t.count; i < E820_MAX_ENTRIES_ZEROPAGE; i++) {
        g_assert_true(e820_add(&t, i * 0x1000ULL << 20, 0x1000,
                               E820_TYPE_RAM));
    }
    g_assert_false(e820_add(&t, 0, 0x1000, E820_TYPE_RAM));
    g_assert_cmpuint(t.count, ==, E820_MAX_ENTRIES_ZEROPAGE);
}

static void test_bzimage_parse_ok(void)
{
    size_t len;
    g_autofree uint8_t *buf = make_bzimage(0x020F, &len);
    BzImageInfo k;
    Error *err = NULL;

    g_assert_true(bzimage_parse(buf, len, &k, &err));
    g_assert_null(err);
    g_assert_cmphex(k.version, ==, 0x020F);
    g_assert_cmpuint(k.setup_size, ==, (TEST_SETUP_SECTS + 1) * 512);
    g_assert_cmpuint(k.kernel_size, ==, len - k.setup_size);
    g_assert_cmpuint(k.hdr_len, ==, 0x202 + 0x6A - 0x1F1);
    g_assert_cmpuint(k.init_size, ==, TEST_INIT_SIZE);
    g_assert_cmphex(k.hdr.cmdline_size, ==, 2047);

    /* setup_sects 0 means 4. */
    buf[BZIMAGE_HDR_OFFSET] = 0;
    g_assert_true(bzimage_parse(buf, len, &k, &error_abort));
    g_assert_cmpuint(k.setup_size, ==, 5 * 512);
}

static void expect_parse_error(const uint8_t *buf, size_t len,
                               const char *msg)
{
    BzImageInfo k;
    Error *err = NULL;

    g_assert_false(bzimage_parse(buf, len, &k, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_bzimage_parse_errors(void)
{
    size_t len;
    g_autofree uint8_t *buf = make_bzimage(0x020F, &len);
    struct setup_header *h = (void *)(buf + BZIMAGE_HDR_OFFSET);

    expect_parse_error(buf, 600, "not a Linux bzImage (only 600 bytes)");

    h->header = 0x12345678;
    expect_parse_error(buf, len,
                       "not a Linux bzImage (no 'HdrS' boot header)");
    h->header = BZIMAGE_MAGIC;

    h->version = 0x0205;
    expect_parse_error(buf, len, "Linux boot protocol 2.05 is too old "
                       "(pmemvm needs 2.06 or later)");
    h->version = 0x020F;

    h->loadflags = 0;
    expect_parse_error(buf, len, "a zImage, not a bzImage (the kernel is "
                       "not loaded high)");
    h->loadflags = LOADED_HIGH;

    h->xloadflags = 0;
    expect_parse_error(buf, len, "not a 64-bit kernel (no 64-bit entry "
                       "point)");
    /* Before 2.12 xloadflags did not exist: not checked. */
    h->version = 0x0206;
    g_assert_true(bzimage_parse(buf, len, &(BzImageInfo){ 0 }, NULL));
    h->version = 0x020F;
    h->xloadflags = XLF_KERNEL_64;

    h->setup_sects = 200;
    expect_parse_error(buf, len, "truncated bzImage (65536 bytes, setup "
                       "alone is 102912)");
}

static bool check_host_kernel(const char *path, const uint8_t *buf,
                              size_t len, const BzImageInfo *k)
{
    g_assert_cmphex(k->version, >=, BZIMAGE_VERSION_RSDP);
    g_assert_true(k->hdr.xloadflags & XLF_KERNEL_64);
    g_assert_cmpuint(k->init_size, >=, k->kernel_size);
    g_assert_cmpuint(k->hdr_len, <=, sizeof(struct setup_header));
    return true;
}

static void test_bzimage_host_kernel(void)
{
    if (!boot_fixture_host_kernels(check_host_kernel)) {
        g_test_skip("no readable /boot/vmlinuz-*");
    }
}

static void test_initrd_place(void)
{
    Error *err = NULL;
    uint64_t addr;

    /* As high as it goes, 4 KiB aligned. */
    g_assert_true(pc_initrd_place(1 * MiB + TEST_INIT_SIZE, 512 * MiB,
                                  10 * MiB + 1, &addr, &error_abort));
    g_assert_cmphex(addr, ==, 512 * MiB - 10 * MiB - 4096);
    g_assert_cmphex(addr % 4096, ==, 0);
    g_assert_cmphex(addr + 10 * MiB + 1, <=, 512 * MiB);

    /* Exactly up to the kernel's end is fine, one byte more is not. */
    g_assert_true(pc_initrd_place(4 * MiB, 8 * MiB, 4 * MiB, &addr,
                                  &error_abort));
    g_assert_cmphex(addr, ==, 4 * MiB);
    g_assert_false(pc_initrd_place(1 * MiB + TEST_INIT_SIZE, 8 * MiB,
                                   4 * MiB, &addr, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "initrd of 4194304 bytes "
                    "does not fit between the kernel's end (0x500000) and "
                    "0x800000");
    error_free(err);
    err = NULL;
    g_assert_false(pc_initrd_place(0, 8 * MiB, 9 * MiB, &addr, &err));
    error_free(err);
}

/* pc_boot_linux() into a 64 MiB RAM buffer: zero page, tables, images. */
static void test_boot_linux_memory(void)
{
    const uint64_t ram_size = 64 * MiB;
    size_t len;
    g_autofree uint8_t *kernel = make_bzimage(0x020F, &len);
    static const char initrd[] = "initrd-bytes";
    BootFixture f;
    PCMachineState *pcms = &f.pcms;
    uint8_t *ram;
    struct boot_params *bp;
    uint64_t *pml4, *pd, *gdt;
    size_t setup = (TEST_SETUP_SECTS + 1) * 512;

    boot_fixture_init(&f, ram_size, kernel, len, initrd, sizeof(initrd),
                      "console=ttyS0 panic=-1");
    ram = f.ram;
    bp = (void *)(ram + LAYOUT_BOOT_PARAMS);
    pml4 = (void *)(ram + LAYOUT_BOOT_PML4);
    pd = (void *)(ram + LAYOUT_BOOT_PD);
    gdt = (void *)(ram + LAYOUT_BOOT_GDT);
    g_assert_true(pc_boot_linux(pcms, &error_abort));

    g_assert_cmpmem(ram + LAYOUT_KERNEL_LOAD, len - setup, kernel + setup,
                    len - setup);
    g_assert_cmphex(bp->hdr.header, ==, BZIMAGE_MAGIC);
    /* The loader fields QEMU writes: id 0xB0, heap end, vid_mode kept. */
    g_assert_cmphex(bp->hdr.type_of_loader, ==, 0xB0);
    g_assert_cmphex(bp->hdr.loadflags, ==, LOADED_HIGH | CAN_USE_HEAP);
    g_assert_cmphex(bp->hdr.heap_end_ptr, ==, 0xFE00);
    g_assert_cmphex(bp->hdr.vid_mode, ==, 0x1234);
    g_assert_cmphex(bp->hdr.cmd_line_ptr, ==, LAYOUT_BOOT_CMDLINE);
    g_assert_cmpstr((char *)ram + LAYOUT_BOOT_CMDLINE, ==,
                    "console=ttyS0 panic=-1");
    g_assert_cmphex(bp->hdr.ramdisk_size, ==, sizeof(initrd));
    g_assert_cmphex(bp->hdr.ramdisk_image, ==, ram_size - 4096);
    g_assert_cmpmem(ram + bp->hdr.ramdisk_image, sizeof(initrd), initrd,
                    sizeof(initrd));
    g_assert_cmphex(bp->acpi_rsdp_addr, ==, LAYOUT_ACPI_RSDP);
    g_assert_cmpuint(bp->e820_entries, ==, 5);
    g_assert_cmphex(bp->e820_table[2].addr + bp->e820_table[2].size, ==,
                    ram_size);
    /* Only the setup header comes from the file, not its sentinel. */
    g_assert_cmpuint(bp->sentinel, ==, 0);

    /* Identity map: PML4 -> PDPT -> 2 MiB pages; GDT code/data. */
    g_assert_cmphex(pml4[0], ==, LAYOUT_BOOT_PDPT | 0x3);
    g_assert_cmphex(pd[0], ==, 0x83);
    g_assert_cmphex(pd[TEST_PD_ENTRIES - 1], ==,
                    (TEST_PD_ENTRIES - 1) * 2 * MiB + 0x83);
    g_assert_cmphex(gdt[BOOT_GDT_CS / 8], ==, 0x00AF9B000000FFFFULL);
    g_assert_cmphex(gdt[BOOT_GDT_DS / 8], ==, 0x00CF93000000FFFFULL);

    /* Reset vector: mov al, 1; mov dx, 0x3c2; out dx, al; cli; hlt... */
    g_assert_cmphex(ram[LAYOUT_RESET_VECTOR], ==, 0xB0);
    g_assert_cmphex(ram[LAYOUT_RESET_VECTOR + 1], ==,
                    LAYOUT_ACPI_RESET_VALUE);
    g_assert_cmphex(ram[LAYOUT_RESET_VECTOR + 3] |
                    ram[LAYOUT_RESET_VECTOR + 4] << 8, ==,
                    LAYOUT_PORT_ACPI_RESET);
    g_assert_cmphex(ram[LAYOUT_RESET_VECTOR + 5], ==, 0xEE);

    /* vga= on the command line sets vid_mode, as QEMU does. */
    {
        static const struct { const char *append; uint16_t mode; } v[] = {
            { "quiet vga=ext", 0xFFFE }, { "vga=ask", 0xFFFD },
            { "vga=normal console=ttyS0", 0xFFFF }, { "vga=0x317", 0x317 },
            { "vga=791 quiet", 791 },
        };
        unsigned i;

        for (i = 0; i < G_N_ELEMENTS(v); i++) {
            pcms->append = (char *)v[i].append;
            g_assert_true(pc_boot_linux(pcms, &error_abort));
            g_assert_cmphex(bp->hdr.vid_mode, ==, v[i].mode);
        }
    }

    /* initrd_addr_max (inclusive) caps the initrd below RAM's end. */
    {
        struct setup_header *h = (void *)(kernel + BZIMAGE_HDR_OFFSET);

        h->initrd_addr_max = 0x2FFFFFF;
        g_assert_true(g_file_set_contents(f.kernel_path, (char *)kernel, len, NULL));
        g_assert_true(pc_boot_linux(pcms, &error_abort));
        g_assert_cmphex(bp->hdr.ramdisk_image, ==, 0x3000000 - 4096);
    }

    /* Errors name the file. */
    {
        Error *err = NULL;
        g_autofree char *msg = g_strdup_printf(
            "could not load kernel '%s': not a Linux bzImage (only %zu "
            "bytes)", f.initrd_path, sizeof(initrd));

        pcms->kernel = (char *)"/nonexistent/bzImage";
        g_assert_false(pc_boot_linux(pcms, &err));
        g_assert_true(g_str_has_prefix(error_get_pretty(err),
                      "could not load kernel '/nonexistent/bzImage': "));
        error_free(err);
        err = NULL;
        pcms->kernel = f.initrd_path;
        g_assert_false(pc_boot_linux(pcms, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, msg);
        error_free(err);
    }
    boot_fixture_free(&f);
}

/*
 * RAM below 1 MiB (-m 513K) starts a machine, as in QEMU 7.2, but cannot
 * hold a kernel, which loads at 1 MiB: refused with the reason, nothing
 * written past RAM.
 */
static void test_boot_linux_small_ram(void)
{
    const uint64_t ram_size = 520 * KiB;    /* -m 513K, rounded to 8 KiB */
    size_t len;
    g_autofree uint8_t *kernel = make_bzimage(0x020F, &len);
    g_autofree char *msg = NULL;
    BootFixture f;
    Error *err = NULL;

    boot_fixture_init(&f, ram_size, kernel, len, NULL, 0, "console=ttyS0");
    g_assert_false(pc_boot_linux(&f.pcms, &err));
    msg = g_strdup_printf("could not load kernel '%s': it needs RAM from 1 "
                          "MiB to ", f.kernel_path);
    if (!g_str_has_prefix(error_get_pretty(err), msg)) {
        g_error("unexpected error: %s", error_get_pretty(err));
    }
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "the guest has 0 MiB below 4 GiB"));
    error_free(err);
    boot_fixture_free(&f);
}

/* ---- PVH: an ELF kernel --------------------------------------------- */

#define TEST_PVH_TEXT       0x1000000ULL    /* 16 MiB, as Linux links */
#define TEST_PVH_TEXT_SIZE  0x3000
#define TEST_PVH_DATA       0x1200000ULL
#define TEST_PVH_DATA_FILE  0x800
#define TEST_PVH_DATA_MEM   0x5000          /* .bss after the file part */
#define TEST_PVH_ENTRY      0x1000400ULL

typedef struct TestElfNote {
    Elf32_Nhdr nh;
    char name[4];           /* "Xen\0" */
    uint8_t desc[8];
} TestElfNote;

/*
 * An x86 ELF kernel: text and data PT_LOADs with recognisable bytes and a
 * PT_NOTE holding the PVH entry note (@note_size 4 or 8 bytes, 0: none).
 */
static uint8_t *make_pvh_elf(bool is64, unsigned note_size, size_t *len)
{
    size_t ehsz = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    size_t phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    size_t note_off = 0x200, text_off = 0x1000;
    size_t data_off = text_off + TEST_PVH_TEXT_SIZE;
    size_t total = data_off + TEST_PVH_DATA_FILE;
    uint8_t *buf = g_malloc0(total);
    TestElfNote note = {
        .nh = { .n_namesz = 4, .n_descsz = note_size,
                .n_type = 18 /* XEN_ELFNOTE_PHYS32_ENTRY */ },
        .name = "Xen",
    };
    struct {
        uint32_t type;
        uint64_t off, paddr, filesz, memsz;
    } ph[3] = {
        { PT_LOAD, text_off, TEST_PVH_TEXT, TEST_PVH_TEXT_SIZE,
          TEST_PVH_TEXT_SIZE },
        { PT_LOAD, data_off, TEST_PVH_DATA, TEST_PVH_DATA_FILE,
          TEST_PVH_DATA_MEM },
        { PT_NOTE, note_off, 0, sizeof(Elf32_Nhdr) + 4 + note_size,
          sizeof(Elf32_Nhdr) + 4 + note_size },
    };
    uint64_t entry = TEST_PVH_ENTRY;
    unsigned i, nph = note_size ? 3 : 2;
    size_t k;

    memcpy(note.desc, &entry, sizeof(note.desc));
    memcpy(buf + note_off, &note, sizeof(note));
    if (is64) {
        Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_X86_64,
                          .e_phoff = ehsz, .e_phentsize = phsz,
                          .e_phnum = nph, .e_ehsize = ehsz };

        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS64;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        memcpy(buf, &eh, sizeof(eh));
        for (i = 0; i < nph; i++) {
            Elf64_Phdr p = { .p_type = ph[i].type, .p_offset = ph[i].off,
                             .p_vaddr = 0xFFFFFFFF80000000ULL + ph[i].paddr,
                             .p_paddr = ph[i].paddr,
                             .p_filesz = ph[i].filesz,
                             .p_memsz = ph[i].memsz };

            memcpy(buf + ehsz + i * phsz, &p, sizeof(p));
        }
    } else {
        Elf32_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_386,
                          .e_phoff = ehsz, .e_phentsize = phsz,
                          .e_phnum = nph, .e_ehsize = ehsz };

        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS32;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        memcpy(buf, &eh, sizeof(eh));
        for (i = 0; i < nph; i++) {
            Elf32_Phdr p = { .p_type = ph[i].type, .p_offset = ph[i].off,
                             .p_vaddr = ph[i].paddr, .p_paddr = ph[i].paddr,
                             .p_filesz = ph[i].filesz,
                             .p_memsz = ph[i].memsz };

            memcpy(buf + ehsz + i * phsz, &p, sizeof(p));
        }
    }
    for (k = text_off; k < total; k++) {
        buf[k] = k * 13 + 1;
    }
    *len = total;
    return buf;
}

static uint64_t ldq_at(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_LE(v);
}

static uint32_t ldl_at(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static void test_pvh_parse_ok(void)
{
    static const struct { bool is64; unsigned note; } cases[] = {
        { true, 8 }, { true, 4 }, { false, 4 }, { false, 8 },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t len;
        g_autofree uint8_t *elf = make_pvh_elf(cases[i].is64, cases[i].note,
                                               &len);
        ElfKernelInfo k;

        g_assert_true(elf_kernel_is_elf(elf, len));
        g_assert_true(pvh_elf_parse(elf, len, &k, &error_abort));
        g_assert_cmphex(k.pvh_entry, ==, TEST_PVH_ENTRY);
        g_assert_cmpuint(k.nsegs, ==, 2);
        g_assert_cmphex(k.segs[0].paddr, ==, TEST_PVH_TEXT);
        g_assert_cmphex(k.segs[1].filesz, ==, TEST_PVH_DATA_FILE);
        g_assert_cmphex(k.segs[1].memsz, ==, TEST_PVH_DATA_MEM);
        g_assert_cmphex(k.start, ==, TEST_PVH_TEXT);
        g_assert_cmphex(k.end, ==, TEST_PVH_DATA + TEST_PVH_DATA_MEM);
    }
}

static void expect_pvh_error(const uint8_t *buf, size_t len,
                             const char *want)
{
    Error *err = NULL;
    ElfKernelInfo k;

    g_assert_false(pvh_elf_parse(buf, len, &k, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_error("error '%s' does not say '%s'", error_get_pretty(err), want);
    }
    error_free(err);
}

static void test_pvh_parse_errors(void)
{
    size_t len, ehsz = sizeof(Elf64_Ehdr);
    g_autofree uint8_t *ok = make_pvh_elf(true, 8, &len);
    g_autofree uint8_t *b = g_malloc(len);
    g_autofree uint8_t *nonote = NULL;
    Elf64_Ehdr *eh = (void *)b;
    Elf64_Phdr *ph = (void *)(b + ehsz);
    size_t nlen;

    nonote = make_pvh_elf(true, 0, &nlen);
    expect_pvh_error(nonote, nlen, "without a PVH entry point");

    memcpy(b, ok, len);
    b[EI_DATA] = ELFDATA2MSB;
    expect_pvh_error(b, len, "not a little-endian");

    memcpy(b, ok, len);
    eh->e_machine = EM_AARCH64;
    expect_pvh_error(b, len, "not x86");

    memcpy(b, ok, len);
    eh->e_phoff = len - 8;
    expect_pvh_error(b, len, "program header 0 is outside the file");

    memcpy(b, ok, len);
    eh->e_phnum = 0xFFFF;
    expect_pvh_error(b, len, "is outside the file");

    memcpy(b, ok, len);
    ph[1].p_offset = len - 16;
    expect_pvh_error(b, len, "segment 1 is outside the file");

    memcpy(b, ok, len);
    ph[0].p_filesz = ph[0].p_memsz + 1;
    expect_pvh_error(b, len, "segment 0 is outside the file");

    memcpy(b, ok, len);
    ph[0].p_paddr = UINT64_MAX - 0x100;
    expect_pvh_error(b, len, "wraps around");

    memcpy(b, ok, len);
    ph[2].p_filesz = len;    /* the note runs off the end */
    expect_pvh_error(b, len, "note segment 2 is outside the file");

    /* A note whose name size runs past its segment is not the entry. */
    memcpy(b, ok, len);
    ((Elf32_Nhdr *)(b + 0x200))->n_namesz = 0x7FFFFFF0;
    expect_pvh_error(b, len, "without a PVH entry point");

    expect_pvh_error(ok, 40, "not an ELF file");
    expect_pvh_error(ok, sizeof(Elf32_Ehdr) + 1, "truncated ELF header");
}

/* pc_boot_linux() with an ELF -kernel: segments, start info, CS32. */
static void test_pvh_boot_memory(void)
{
    const uint64_t ram_size = 64 * MiB;
    size_t len;
    g_autofree uint8_t *elf = make_pvh_elf(true, 8, &len);
    static const char initrd[] = "pvh-initrd-bytes";
    BootFixture f;
    PCMachineState *pcms = &f.pcms;
    uint8_t *ram, *si;
    uint64_t *gdt;
    uint64_t mod[4], map[3];
    uint32_t w[4];
    E820Table e820;
    ElfKernelInfo k;
    unsigned i;

    boot_fixture_init(&f, ram_size, elf, len, initrd, sizeof(initrd),
                      "console=ttyS0 pvh");
    ram = f.ram;
    si = ram + LAYOUT_PVH_START_INFO;
    gdt = (void *)(ram + LAYOUT_BOOT_GDT);
    /* A reboot finds the last kernel's bytes: .bss must be cleared. */
    memset(ram, 0xAA, ram_size);
    g_assert_true(pvh_elf_parse(elf, len, &k, &error_abort));
    g_assert_true(pc_boot_linux(pcms, &error_abort));

    g_assert_cmpmem(ram + TEST_PVH_TEXT, TEST_PVH_TEXT_SIZE,
                    elf + k.segs[0].offset, TEST_PVH_TEXT_SIZE);
    g_assert_cmpmem(ram + TEST_PVH_DATA, TEST_PVH_DATA_FILE,
                    elf + k.segs[1].offset, TEST_PVH_DATA_FILE);
    for (i = TEST_PVH_DATA_FILE; i < TEST_PVH_DATA_MEM; i++) {
        g_assert_cmphex(ram[TEST_PVH_DATA + i], ==, 0);
    }
    g_assert_cmphex(ram[TEST_PVH_DATA + TEST_PVH_DATA_MEM], ==, 0xAA);

    /* hvm_start_info v1: magic, version, flags, nr_modules; addresses. */
    memcpy(w, si, sizeof(w));
    g_assert_cmphex(w[0], ==, 0x336EC578);
    g_assert_cmpuint(w[1], ==, 1);
    g_assert_cmpuint(w[2], ==, 0);
    g_assert_cmpuint(w[3], ==, 1);
    g_assert_cmphex(ldq_at(si + 16), ==, LAYOUT_PVH_MODLIST);
    g_assert_cmphex(ldq_at(si + 24), ==, LAYOUT_BOOT_CMDLINE);
    g_assert_cmpstr((char *)ram + LAYOUT_BOOT_CMDLINE, ==,
                    "console=ttyS0 pvh");
    g_assert_cmphex(ldq_at(si + 32), ==, LAYOUT_ACPI_RSDP);
    g_assert_cmphex(ldq_at(si + 40), ==, LAYOUT_PVH_MEMMAP);
    pc_e820_build(&e820, ram_size, 0);
    g_assert_cmpuint(ldl_at(si + 48), ==, e820.count);

    /* Module 0 is the initrd, at the top of RAM; no module command line. */
    memcpy(mod, ram + LAYOUT_PVH_MODLIST, sizeof(mod));
    g_assert_cmphex(mod[0], ==, ram_size - 4096);
    g_assert_cmpuint(mod[1], ==, sizeof(initrd));
    g_assert_cmphex(mod[2], ==, 0);
    g_assert_cmpmem(ram + mod[0], sizeof(initrd), initrd, sizeof(initrd));

    /* The memory map is the e820 map, 24 bytes an entry. */
    for (i = 0; i < e820.count; i++) {
        memcpy(map, ram + LAYOUT_PVH_MEMMAP + i * 24, sizeof(map));
        g_assert_cmphex(map[0], ==, e820.entries[i].addr);
        g_assert_cmphex(map[1], ==, e820.entries[i].size);
        g_assert_cmphex((uint32_t)map[2], ==, e820.entries[i].type);
    }
    /* A flat 32-bit code segment for the entry. */
    g_assert_cmphex(gdt[BOOT_GDT_CS32 / 8], ==, 0x00CF9B000000FFFFULL);

    /* Without -initrd: no module; a kernel too big for RAM is refused. */
    pcms->initrd = NULL;
    g_assert_true(pc_boot_linux(pcms, &error_abort));
    g_assert_cmpuint(ldl_at(si + 12), ==, 0);
    g_assert_cmphex(ldq_at(si + 16), ==, 0);
    {
        Error *err = NULL;

        pcms->below_4g_mem_size = TEST_PVH_DATA;
        g_assert_false(pc_boot_linux(pcms, &err));
        g_assert_true(g_str_has_prefix(error_get_pretty(err),
                      "could not load kernel '"));
        g_assert_nonnull(strstr(error_get_pretty(err),
                                "are not inside guest RAM"));
        error_free(err);
    }
    boot_fixture_free(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/boot/e820/512m", test_e820_512m);
    g_test_add_func("/boot/e820/reserved-areas", test_e820_reserved_areas);
    g_test_add_func("/boot/e820/above-4g", test_e820_above_4g);
    g_test_add_func("/boot/e820/tiny-and-full", test_e820_tiny_and_full);
    g_test_add_func("/boot/bzimage/parse", test_bzimage_parse_ok);
    g_test_add_func("/boot/bzimage/errors", test_bzimage_parse_errors);
    g_test_add_func("/boot/bzimage/host-kernel", test_bzimage_host_kernel);
    g_test_add_func("/boot/initrd-place", test_initrd_place);
    g_test_add_func("/boot/linux-into-ram", test_boot_linux_memory);
    g_test_add_func("/boot/linux-small-ram", test_boot_linux_small_ram);
    g_test_add_func("/boot/pvh/parse", test_pvh_parse_ok);
    g_test_add_func("/boot/pvh/errors", test_pvh_parse_errors);
    g_test_add_func("/boot/pvh/into-ram", test_pvh_boot_memory);
    return g_test_run();
}
