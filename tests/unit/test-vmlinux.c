/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bzImage unpacked on the host: each payload compression, the vmlinux
 * checks, the relocation table, the KASLR slot choices, pc_boot_linux()
 * into a RAM buffer with and without "nokaslr" and kernel-unpack=guest,
 * and the host's own /boot kernel.
 */
#include "qemu/osdep.h"
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"
#include "hw/core/memory.h"
#include "boot-fixture.h"

#define T_LINK          0x1000000ULL            /* LOAD_PHYSICAL_ADDR */
#define T_MAP           0xFFFFFFFF80000000ULL   /* __START_KERNEL_map */
#define T_ALIGN         (2 * MiB)
#define T_TEXT_OFF      0x1000
#define T_TEXT_SIZE     0x3000
#define T_DATA          (T_LINK + 2 * MiB)
#define T_DATA_OFF      (T_TEXT_OFF + T_TEXT_SIZE)
#define T_DATA_FILE     0x1000
#define T_DATA_MEM      0x4000                  /* with .bss */
#define T_PERCPU        (T_DATA + T_DATA_MEM)   /* linked at vaddr 0 */
#define T_PERCPU_OFF    (T_DATA_OFF + T_DATA_FILE)
#define T_PERCPU_SIZE   0x800
#define T_FILE_END      (T_PERCPU_OFF + T_PERCPU_SIZE)
#define T_SETUP_SECTS   3
#define T_PAYLOAD_OFF   0x100

/* The relocated fields, as physical addresses at link time. */
#define F32_A           (T_LINK + 0x100)
#define F32_B           (T_DATA + 0x10)
#define FINV            (T_LINK + 0x200)
#define F64_A           (T_LINK + 0x300)
#define F64_B           (T_DATA + 0x20)
#define V32             0x81234560U
#define VINV            0x00001000U
#define V64             0xFFFFFFFF81ABCDEFULL

static uint32_t reloc_entry(uint64_t phys)
{
    return (uint32_t)(T_MAP + phys);
}

static void put32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_LE(v);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

/*
 * A vmlinux as the kernel's build leaves it in the payload: text, data
 * with .bss, a per-cpu segment linked at 0, entry = LOAD_PHYSICAL_ADDR,
 * then (@relocs) the table: 0, 64-bit, 0, inverse 32-bit, 0, 32-bit.
 */
static uint8_t *make_vmlinux(bool relocs, size_t *len)
{
    static const uint32_t table[] = {
        0, 0 /* F64_A */, 0 /* F64_B */, 0, 0 /* FINV */, 0,
        0 /* F32_A */, 0 /* F32_B */,
    };
    size_t total = T_FILE_END + (relocs ? sizeof(table) : 0);
    uint8_t *buf = g_malloc0(total);
    struct { uint64_t off, paddr, vaddr, filesz, memsz; } ph[3] = {
        { T_TEXT_OFF, T_LINK, T_MAP + T_LINK, T_TEXT_SIZE, T_TEXT_SIZE },
        { T_DATA_OFF, T_DATA, T_MAP + T_DATA, T_DATA_FILE, T_DATA_MEM },
        { T_PERCPU_OFF, T_PERCPU, 0, T_PERCPU_SIZE, T_PERCPU_SIZE },
    };
    Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_X86_64,
                      .e_entry = T_LINK, .e_phoff = sizeof(Elf64_Ehdr),
                      .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 3,
                      .e_ehsize = sizeof(Elf64_Ehdr) };
    size_t i;

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    memcpy(buf, &eh, sizeof(eh));
    for (i = 0; i < 3; i++) {
        Elf64_Phdr p = { .p_type = PT_LOAD, .p_offset = ph[i].off,
                         .p_vaddr = ph[i].vaddr, .p_paddr = ph[i].paddr,
                         .p_filesz = ph[i].filesz, .p_memsz = ph[i].memsz };

        memcpy(buf + sizeof(eh) + i * sizeof(p), &p, sizeof(p));
    }
    for (i = T_TEXT_OFF; i < T_FILE_END; i++) {
        buf[i] = i * 11 + 3;
    }
    put32(buf + T_TEXT_OFF + (F32_A - T_LINK), V32);
    put32(buf + T_DATA_OFF + (F32_B - T_DATA), V32 + 8);
    put32(buf + T_TEXT_OFF + (FINV - T_LINK), VINV);
    put64(buf + T_TEXT_OFF + (F64_A - T_LINK), V64);
    put64(buf + T_DATA_OFF + (F64_B - T_DATA), V64 + 16);
    if (relocs) {
        uint32_t t[G_N_ELEMENTS(table)];

        memcpy(t, table, sizeof(t));
        t[1] = reloc_entry(F64_A);
        t[2] = reloc_entry(F64_B);
        t[4] = reloc_entry(FINV);
        t[6] = reloc_entry(F32_A);
        t[7] = reloc_entry(F32_B);
        for (i = 0; i < G_N_ELEMENTS(t); i++) {
            put32(buf + T_FILE_END + 4 * i, t[i]);
        }
    }
    *len = total;
    return buf;
}

typedef enum { C_GZIP, C_XZ, C_LZMA, C_ZSTD } Compression;

static uint8_t *pack(Compression c, const uint8_t *in, size_t len,
                         size_t *out_len)
{
    size_t cap = len + len / 2 + 4096;
    uint8_t *out = g_malloc(cap);

    switch (c) {
    case C_GZIP: {
        z_stream zs = { 0 };

        g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                     Z_DEFAULT_STRATEGY), ==, Z_OK);
        zs.next_in = (Bytef *)in;
        zs.avail_in = len;
        zs.next_out = out;
        zs.avail_out = cap;
        g_assert_cmpint(deflate(&zs, Z_FINISH), ==, Z_STREAM_END);
        *out_len = zs.total_out;
        deflateEnd(&zs);
        return out;   /* gzip's trailer already ends with ISIZE */
    }
    case C_XZ:
        *out_len = 0;
        g_assert_cmpint(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL,
                                                in, len, out, out_len, cap),
                        ==, LZMA_OK);
        break;
    case C_LZMA: {
        lzma_stream s = LZMA_STREAM_INIT;
        lzma_options_lzma opt;

        g_assert_false(lzma_lzma_preset(&opt, 6));
        g_assert_cmpint(lzma_alone_encoder(&s, &opt), ==, LZMA_OK);
        s.next_in = in;
        s.avail_in = len;
        s.next_out = out;
        s.avail_out = cap;
        g_assert_cmpint(lzma_code(&s, LZMA_FINISH), ==, LZMA_STREAM_END);
        *out_len = s.total_out;
        lzma_end(&s);
        break;
    }
    case C_ZSTD: {
        ZSTD_CCtx *cc = ZSTD_createCCtx();

        /* With a checksum, as the zstd tool writes by default. */
        g_assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(
            cc, ZSTD_c_checksumFlag, 1)));
        *out_len = ZSTD_compress2(cc, out, cap, in, len);
        g_assert_false(ZSTD_isError(*out_len));
        ZSTD_freeCCtx(cc);
        break;
    }
    }
    /* The *_with_size rules append the length, le32. */
    put32(out + *out_len, len);
    *out_len += 4;
    return out;
}

/* A bzImage whose protected-mode part holds @payload at T_PAYLOAD_OFF. */
static uint8_t *make_bzimage(const uint8_t *payload, size_t plen,
                             size_t *len)
{
    size_t setup = (T_SETUP_SECTS + 1) * 512;
    size_t total = setup + T_PAYLOAD_OFF + plen + 64;
    uint8_t *buf = g_malloc0(total);
    struct setup_header *h = (void *)(buf + BZIMAGE_HDR_OFFSET);

    boot_fixture_setup_header(buf, T_SETUP_SECTS, 0x020F);
    h->kernel_alignment = T_ALIGN;
    h->relocatable_kernel = 1;
    h->pref_address = T_LINK;
    h->init_size = 8 * MiB;
    h->payload_offset = T_PAYLOAD_OFF;
    h->payload_length = plen;
    memcpy(buf + setup + T_PAYLOAD_OFF, payload, plen);
    *len = total;
    return buf;
}

static uint8_t *make_packed_kernel(Compression c, bool relocs, size_t *len)
{
    size_t vlen, plen;
    g_autofree uint8_t *vm = make_vmlinux(relocs, &vlen);
    g_autofree uint8_t *payload = pack(c, vm, vlen, &plen);

    return make_bzimage(payload, plen, len);
}

static void test_unpack_formats(void)
{
    static const char *const names[] = { "gzip", "xz", "lzma", "zstd" };
    size_t vlen;
    g_autofree uint8_t *vm = make_vmlinux(true, &vlen);
    Compression c;

    for (c = C_GZIP; c <= C_ZSTD; c++) {
        size_t len, out_len = 0;
        g_autofree uint8_t *bz = make_packed_kernel(c, true, &len);
        g_autofree uint8_t *out = NULL;
        BzImageInfo k;

        g_test_message("%s", names[c]);
        g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
        g_assert_cmpstr(bzimage_payload_format(bz + k.setup_size +
                                               T_PAYLOAD_OFF, 8), ==,
                        names[c]);
        out = bzimage_unpack(bz, len, &k, &out_len, &error_abort);
        g_assert_nonnull(out);
        g_assert_cmpmem(out, out_len, vm, vlen);
    }
}

static void expect_unpack_error(const uint8_t *bz, size_t len,
                                const char *want)
{
    BzImageInfo k;
    Error *err = NULL;
    size_t out_len;

    g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
    g_assert_null(bzimage_unpack(bz, len, &k, &out_len, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_error("error '%s' does not say '%s'", error_get_pretty(err), want);
    }
    error_free(err);
}

static void test_unpack_errors(void)
{
    size_t setup = (T_SETUP_SECTS + 1) * 512;
    Compression c;

    for (c = C_GZIP; c <= C_ZSTD; c++) {
        size_t len;
        g_autofree uint8_t *bz = make_packed_kernel(c, true, &len);
        struct setup_header *h = (void *)(bz + BZIMAGE_HDR_OFFSET);
        uint8_t *p = bz + setup + T_PAYLOAD_OFF;
        uint32_t n = get32(p + h->payload_length - 4);
        uint8_t keep;

        /* A length that is not the data's, either way. */
        put32(p + h->payload_length - 4, n + 1);
        expect_unpack_error(bz, len, "corrupt or not");
        put32(p + h->payload_length - 4, n - 1);
        expect_unpack_error(bz, len, "corrupt or not");
        put32(p + h->payload_length - 4, n);
        /* Damaged data in the middle. */
        keep = p[h->payload_length / 2];
        p[h->payload_length / 2] ^= 0x55;
        expect_unpack_error(bz, len, "corrupt or not");
        p[h->payload_length / 2] = keep;
        /* Absurd lengths and a payload outside the file. */
        put32(p + h->payload_length - 4, 0);
        expect_unpack_error(bz, len, "claims to unpack to 0 bytes");
        put32(p + h->payload_length - 4, n);
        h->payload_length = len;
        expect_unpack_error(bz, len, "is not inside the kernel's");
    }
}

/*
 * An lzma payload whose header claims a 4 GiB dictionary (0xFFFF0000: the
 * low half stays 0, as the "5D 00 00" magic wants): liblzma would
 * allocate that much before decoding a byte (found by fuzz-kernel).  The
 * unpacking refuses it with a bounded decoder, and the guest gets to
 * decompress it (if it can) instead.
 */
static void test_unpack_memory_bound(void)
{
    size_t setup = (T_SETUP_SECTS + 1) * 512;
    size_t len;
    g_autofree uint8_t *bz = make_packed_kernel(C_LZMA, true, &len);
    uint8_t *p = bz + setup + T_PAYLOAD_OFF;

    /*
     * .lzma: properties byte, dictionary size (le32), uncompressed size
     * (le64, all ones: unknown, so liblzma cannot shrink the dictionary
     * to it).
     */
    put32(p + 1, 0xFFFF0000);
    put64(p + 5, UINT64_MAX);
    expect_unpack_error(bz, len, "needs more than 256 MiB");
}

/* bzip2, lzo, lz4, unknown bytes, old protocols: the guest unpacks. */
static void test_unpack_left_to_guest(void)
{
    static const uint8_t magics[][6] = {
        { 'B', 'Z', 'h', '9' }, { 0x89, 'L', 'Z', 'O' }, { 0x02, 0x21 },
        { 0x12, 0x34, 0x56 },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(magics); i++) {
        uint8_t payload[64] = { 0 };
        size_t len, out_len;
        g_autofree uint8_t *bz = NULL;
        BzImageInfo k;
        Error *err = NULL;

        memcpy(payload, magics[i], sizeof(magics[i]));
        put32(payload + sizeof(payload) - 4, 4096);
        bz = make_bzimage(payload, sizeof(payload), &len);
        g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
        g_assert_null(bzimage_unpack(bz, len, &k, &out_len, &err));
        g_assert_null(err);
        /* Before 2.08 there is no payload field at all. */
        k.version = 0x0207;
        k.hdr.payload_length = 0;
        g_assert_null(bzimage_unpack(bz, len, &k, &out_len, &err));
        g_assert_null(err);
    }
}

static void parse_packed(Compression c, bool relocs, uint8_t **out,
                         VmlinuxImage *v)
{
    size_t len, out_len;
    g_autofree uint8_t *bz = make_packed_kernel(c, relocs, &len);
    BzImageInfo k;

    g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
    *out = bzimage_unpack(bz, len, &k, &out_len, &error_abort);
    g_assert_true(vmlinux_parse(*out, out_len, &k, v, &error_abort));
}

static void test_vmlinux_parse(void)
{
    g_autofree uint8_t *out = NULL;
    VmlinuxImage v;

    parse_packed(C_XZ, true, &out, &v);
    g_assert_cmphex(v.link_phys, ==, T_LINK);
    g_assert_cmphex(v.kernel_map, ==, T_MAP);
    g_assert_cmphex(v.align, ==, T_ALIGN);
    g_assert_cmphex(v.entry_off, ==, 0);
    g_assert_true(v.relocatable);
    g_assert_true(v.has_relocs);
    g_assert_cmphex(v.elf.file_end, ==, T_FILE_END);
    /* Room for _text.._end, rounded up to the alignment. */
    g_assert_cmphex(v.size, ==, QEMU_ALIGN_UP(T_PERCPU + T_PERCPU_SIZE -
                                              T_LINK, T_ALIGN));
    /* The three runs, 32-bit one last in the file: two, one, two. */
    g_assert_cmpuint(v.reloc_end[0] - v.reloc_start[0], ==, 8);
    g_assert_cmpuint(v.reloc_end[1] - v.reloc_start[1], ==, 4);
    g_assert_cmpuint(v.reloc_end[2] - v.reloc_start[2], ==, 8);
    g_assert_cmpuint(v.reloc_start[2], ==, T_FILE_END + 4);

    g_clear_pointer(&out, g_free);
    parse_packed(C_GZIP, false, &out, &v);
    g_assert_false(v.has_relocs);
}

static void expect_vmlinux_error(uint8_t *vm, size_t vlen, const char *want)
{
    size_t len;
    g_autofree uint8_t *payload = NULL;
    g_autofree uint8_t *bz = NULL;
    VmlinuxImage v;
    BzImageInfo k;
    Error *err = NULL;

    payload = pack(C_GZIP, vm, vlen, &len);
    bz = make_bzimage(payload, len, &len);
    g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
    g_assert_false(vmlinux_parse(vm, vlen, &k, &v, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_error("error '%s' does not say '%s'", error_get_pretty(err), want);
    }
    error_free(err);
}

static void test_vmlinux_errors(void)
{
    size_t len;
    g_autofree uint8_t *ok = make_vmlinux(true, &len);
    g_autofree uint8_t *b = g_malloc(len);
    Elf64_Ehdr *eh = (void *)b;
    Elf64_Phdr *ph = (void *)(b + sizeof(Elf64_Ehdr));

    /* A relocation pointing past the image, each kind. */
    memcpy(b, ok, len);
    put32(b + len - 4, reloc_entry(T_PERCPU + T_PERCPU_SIZE));
    expect_vmlinux_error(b, len, "relocation 0x81204800 (32-bit) points "
                         "outside the kernel");
    memcpy(b, ok, len);
    put32(b + T_FILE_END + 16, reloc_entry(T_LINK - 4));
    expect_vmlinux_error(b, len, "(inverse 32-bit) points outside");
    memcpy(b, ok, len);
    /* A 64-bit field must fit whole: 4 bytes before the end is not. */
    put32(b + T_FILE_END + 4, reloc_entry(T_PERCPU + T_PERCPU_SIZE - 4));
    expect_vmlinux_error(b, len, "(64-bit) points outside");
    /* A table with no terminator for its last run. */
    memcpy(b, ok, len);
    put32(b + T_FILE_END, 0x81000000);
    expect_vmlinux_error(b, len, "has no end of its 64-bit run");
    /* Entry outside the segments; image not at pref_address; 32-bit. */
    memcpy(b, ok, len);
    eh->e_entry = 0x42;
    expect_vmlinux_error(b, len, "entry point 0x42 is not in");
    memcpy(b, ok, len);
    ph[0].p_paddr = T_LINK + 0x1000;
    ph[1].p_paddr += 0x1000;
    ph[2].p_paddr += 0x1000;
    eh->e_entry += 0x1000;
    expect_vmlinux_error(b, len, "starts at 0x1001000, not at the header's "
                         "pref_address 0x1000000");
    memcpy(b, ok, len);
    b[EI_CLASS] = ELFCLASS32;
    expect_vmlinux_error(b, len, "the unpacked payload:");
    expect_vmlinux_error(ok, 40, "the unpacked payload: not an ELF file");
}

static void test_nokaslr(void)
{
    g_assert_true(vmlinux_cmdline_has_nokaslr("nokaslr"));
    g_assert_true(vmlinux_cmdline_has_nokaslr("console=ttyS0 nokaslr"));
    g_assert_true(vmlinux_cmdline_has_nokaslr("a\tnokaslr quiet"));
    g_assert_false(vmlinux_cmdline_has_nokaslr(NULL));
    g_assert_false(vmlinux_cmdline_has_nokaslr(""));
    g_assert_false(vmlinux_cmdline_has_nokaslr("nokaslrx"));
    g_assert_false(vmlinux_cmdline_has_nokaslr("xnokaslr kaslr"));
    g_assert_false(vmlinux_cmdline_has_nokaslr("nokaslr=1"));
}

static void test_kaslr_phys(void)
{
    const uint64_t lo = 16 * MiB, hi = 256 * MiB, size = 20 * MiB;
    const uint64_t ilo = 200 * MiB + 4096, ihi = 230 * MiB;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_int64_hash,
                                                       g_int64_equal,
                                                       g_free, NULL);
    /* Below the initrd: starts 16..180 MiB; above it: 230..236 MiB. */
    const uint64_t below = (ilo - lo - size) / T_ALIGN + 1;
    const uint64_t above = (hi - ihi - size) / T_ALIGN + 1;
    uint64_t r, n = below + above;

    for (r = 0; r < 2 * n; r++) {
        uint64_t a = kaslr_phys_addr(lo, hi, size, T_ALIGN, ilo, ihi, r);

        g_assert_cmphex(a % T_ALIGN, ==, 0);
        g_assert_cmphex(a, >=, lo);
        g_assert_cmphex(a + size, <=, hi);
        g_assert_true(a + size <= ilo || a >= ihi);
        g_hash_table_add(seen, g_memdup2(&a, sizeof(a)));
    }
    /* Every slot can come out, and only those. */
    g_assert_cmpuint(g_hash_table_size(seen), ==, n);
    g_assert_cmphex(kaslr_phys_addr(lo, hi, size, T_ALIGN, ilo, ihi, 0), ==,
                    lo);
    g_assert_cmphex(kaslr_phys_addr(lo, hi, size, T_ALIGN, ilo, ihi,
                                    n - 1), ==, hi - size);
    /* An unaligned low end rounds up; no initrd; no room at all. */
    g_assert_cmphex(kaslr_phys_addr(lo + 1, hi, size, T_ALIGN, 0, 0, 0),
                    ==, lo + T_ALIGN);
    g_assert_cmphex(kaslr_phys_addr(lo, lo + size - 1, size, T_ALIGN, 0, 0,
                                    7), ==, 0);
    g_assert_cmphex(kaslr_phys_addr(lo, hi, size, T_ALIGN, lo, hi, 7), ==,
                    0);
}

static void test_kaslr_virt(void)
{
    const uint64_t size = 60 * MiB + 1;
    const uint64_t top = 1 * GiB - QEMU_ALIGN_UP(size, T_ALIGN);
    const uint64_t slots = (top - T_LINK) / T_ALIGN + 1;
    uint64_t r;

    g_assert_cmphex(kaslr_virt_addr(T_LINK, size, T_ALIGN, 0), ==, T_LINK);
    g_assert_cmphex(kaslr_virt_addr(T_LINK, size, T_ALIGN, slots - 1), ==,
                    top);
    g_assert_cmphex(kaslr_virt_addr(T_LINK, size, T_ALIGN, slots), ==,
                    T_LINK);
    for (r = 0; r < 1000; r++) {
        uint64_t v = kaslr_virt_addr(T_LINK, size, T_ALIGN,
                                     g_test_rand_int());

        g_assert_cmphex(v % T_ALIGN, ==, 0);
        g_assert_cmphex(v, >=, T_LINK);
        g_assert_cmphex(v + size, <=, 1 * GiB);
    }
    /* An image that cannot move stays where it is linked. */
    g_assert_cmphex(kaslr_virt_addr(T_LINK, 1 * GiB, T_ALIGN, 5), ==,
                    T_LINK);
}

/* The fields the table names, after loading at @phys for @virt. */
static void check_relocated(const uint8_t *ram, uint64_t phys, uint64_t virt)
{
    uint64_t d = virt - T_LINK;
    const uint8_t *img = ram + phys - T_LINK;

    g_assert_cmphex(get32(img + F32_A), ==, (uint32_t)(V32 + d));
    g_assert_cmphex(get32(img + F32_B), ==, (uint32_t)(V32 + 8 + d));
    g_assert_cmphex(get32(img + FINV), ==, (uint32_t)(VINV - d));
    g_assert_cmphex(get64(img + F64_A), ==, V64 + d);
    g_assert_cmphex(get64(img + F64_B), ==, V64 + 16 + d);
    /* Bytes no entry names stay as linked; .bss is zero. */
    g_assert_cmphex(img[F32_A + 4 - 0], ==,
                    (uint8_t)((T_TEXT_OFF + F32_A + 4 - T_LINK) * 11 + 3));
    g_assert_cmphex(img[T_DATA + T_DATA_FILE], ==, 0);
}

static void test_boot_into_ram(void)
{
    const uint64_t ram_size = 256 * MiB;
    size_t len;
    g_autofree uint8_t *bz = make_packed_kernel(C_XZ, true, &len);
    static const char initrd[] = "unpacked-initrd";
    BootFixture f;
    PCMachineState *pcms = &f.pcms;
    uint8_t *ram;
    struct boot_params *bp;
    uint64_t phys_seen = 0, virt_seen = 0;
    unsigned i;

    boot_fixture_init(&f, ram_size, bz, len, initrd, sizeof(initrd),
                      "console=ttyS0");
    ram = f.ram;
    bp = (void *)(ram + LAYOUT_BOOT_PARAMS);
    /* KASLR: aligned slots clear of the initrd, relocated for the
     * offset, KASLR_FLAG for the kernel; over 20 boots both move. */
    for (i = 0; i < 20; i++) {
        memset(ram, 0xAA, ram_size);
        g_assert_true(pc_boot_linux(pcms, &error_abort));
        g_assert_cmphex(pcms->kernel_phys % T_ALIGN, ==, 0);
        g_assert_cmphex(pcms->kernel_phys, >=, T_LINK);
        g_assert_cmphex(pcms->kernel_phys + T_PERCPU + T_PERCPU_SIZE -
                        T_LINK, <=, bp->hdr.ramdisk_image);
        g_assert_cmphex(pcms->kernel_virt_offset % T_ALIGN, ==, 0);
        g_assert_cmphex(pcms->kernel_virt_offset, >=, T_LINK);
        g_assert_cmphex(pcms->kernel_virt_offset, <, 1 * GiB);
        g_assert_cmphex(pcms->boot_entry, ==, pcms->kernel_phys);
        g_assert_true(bp->hdr.loadflags & KASLR_FLAG);
        g_assert_cmphex(bp->hdr.ramdisk_image, ==, ram_size - 4096);
        g_assert_cmpmem(ram + bp->hdr.ramdisk_image, sizeof(initrd),
                        initrd, sizeof(initrd));
        check_relocated(ram, pcms->kernel_phys, pcms->kernel_virt_offset);
        /* The compressed image is not put at 1 MiB. */
        g_assert_cmphex(ram[LAYOUT_KERNEL_LOAD], ==, 0xAA);
        phys_seen |= pcms->kernel_phys ^ T_LINK;
        virt_seen |= pcms->kernel_virt_offset ^ T_LINK;
    }
    g_assert_cmphex(phys_seen, !=, 0);
    g_assert_cmphex(virt_seen, !=, 0);

    /* nokaslr: at pref_address, as linked, no flag. */
    pcms->append = (char *)"console=ttyS0 nokaslr";
    memset(ram, 0xAA, ram_size);
    g_assert_true(pc_boot_linux(pcms, &error_abort));
    g_assert_cmphex(pcms->kernel_phys, ==, T_LINK);
    g_assert_cmphex(pcms->kernel_virt_offset, ==, T_LINK);
    g_assert_false(bp->hdr.loadflags & KASLR_FLAG);
    check_relocated(ram, T_LINK, T_LINK);

    /* kernel-unpack=guest: the old way, the image at 1 MiB. */
    pcms->kernel_unpack = KERNEL_UNPACK_GUEST;
    pcms->append = (char *)"console=ttyS0";
    memset(ram, 0xAA, ram_size);
    g_assert_true(pc_boot_linux(pcms, &error_abort));
    g_assert_cmphex(pcms->kernel_phys, ==, 0);
    g_assert_cmphex(pcms->boot_entry, ==, LAYOUT_KERNEL_LOAD + 0x200);
    g_assert_cmpmem(ram + LAYOUT_KERNEL_LOAD, len - (T_SETUP_SECTS + 1) * 512,
                    bz + (T_SETUP_SECTS + 1) * 512,
                    len - (T_SETUP_SECTS + 1) * 512);
    g_assert_false(bp->hdr.loadflags & KASLR_FLAG);
    boot_fixture_free(&f);
}

/* A kernel without a relocation table (no KASLR) stays where linked. */
static void test_boot_without_relocs(void)
{
    size_t len;
    g_autofree uint8_t *bz = make_packed_kernel(C_ZSTD, false, &len);
    BootFixture f;
    PCMachineState *pcms = &f.pcms;
    struct boot_params *bp;

    boot_fixture_init(&f, 64 * MiB, bz, len, NULL, 0, NULL);
    bp = (void *)(f.ram + LAYOUT_BOOT_PARAMS);

    g_assert_true(pc_boot_linux(pcms, &error_abort));
    g_assert_cmphex(pcms->kernel_phys, ==, T_LINK);
    g_assert_false(bp->hdr.loadflags & KASLR_FLAG);
    check_relocated(f.ram, T_LINK, T_LINK);
    /* Too little RAM for the image from its link address. */
    {
        Error *err = NULL;
        g_autofree char *want = g_strdup_printf(
            "could not load kernel '%s': it needs RAM from 16 MiB to 20 MiB, "
            "the guest has 18 MiB below 4 GiB", f.kernel_path);

        pcms->below_4g_mem_size = 18 * MiB;
        g_assert_false(pc_boot_linux(pcms, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, want);
        error_free(err);
    }
    boot_fixture_free(&f);
}

static char *cache_file(const char *dir, const uint8_t *bz, size_t len)
{
    BzImageInfo k;
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *name = NULL;

    g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
    g_checksum_update(sum, bz + k.setup_size + k.hdr.payload_offset,
                      k.hdr.payload_length);
    name = g_strdup_printf("vmlinux-v1-%s", g_checksum_get_string(sum));
    return g_build_filename(dir, name, NULL);
}

static GBytes *unpack_cached(const uint8_t *bz, size_t len)
{
    BzImageInfo k;

    g_assert_true(bzimage_parse(bz, len, &k, &error_abort));
    return bzimage_unpack_cached(bz, len, &k, &error_abort);
}

static unsigned count_entries(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    unsigned n = 0;

    while (d && g_dir_read_name(d)) {
        n++;
    }
    if (d) {
        g_dir_close(d);
    }
    return n;
}

/*
 * The cache: an entry per payload with exactly the unpacked bytes, read
 * back instead of unpacking, replaced when its length is wrong, the
 * least recently used of five dropped, and off when the variable is "".
 */
static void test_cache(void)
{
    g_autofree char *dir = g_dir_make_tmp("pmemvm-cache-XXXXXX", NULL);
    size_t vlen, len[5];
    g_autofree uint8_t *vm = make_vmlinux(true, &vlen);
    uint8_t *bz[5];
    g_autofree char *path = NULL;
    g_autofree gchar *stored = NULL;
    gsize stored_len;
    g_autoptr(GBytes) fresh = NULL;
    GBytes *b;
    unsigned i;

    g_assert_nonnull(dir);
    g_setenv(KERNEL_CACHE_ENV, dir, true);
    for (i = 0; i < 5; i++) {
        g_autofree uint8_t *v = g_memdup2(vm, vlen);
        g_autofree uint8_t *payload = NULL;
        size_t plen;

        v[T_TEXT_OFF + 0x40] = i;   /* five different kernels */
        payload = pack(C_XZ, v, vlen, &plen);
        bz[i] = make_bzimage(payload, plen, &len[i]);
    }
    path = cache_file(dir, bz[0], len[0]);

    /* The first boot stores exactly what it unpacked. */
    fresh = unpack_cached(bz[0], len[0]);
    vm[T_TEXT_OFF + 0x40] = 0;
    g_assert_cmpmem(g_bytes_get_data(fresh, NULL), g_bytes_get_size(fresh),
                    vm, vlen);
    g_assert_true(g_file_get_contents(path, &stored, &stored_len, NULL));
    g_assert_cmpmem(stored, stored_len, vm, vlen);

    /* The next one reads the entry: a changed byte shows it. */
    stored[T_TEXT_OFF + 0x41] ^= 0xFF;
    g_assert_true(g_file_set_contents(path, stored, stored_len, NULL));
    b = unpack_cached(bz[0], len[0]);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), stored,
                    stored_len);
    g_bytes_unref(b);

    /* An entry of the wrong length is unpacked again and replaced. */
    g_assert_true(g_file_set_contents(path, stored, stored_len - 1, NULL));
    b = unpack_cached(bz[0], len[0]);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), vm,
                    vlen);
    g_bytes_unref(b);
    g_clear_pointer(&stored, g_free);
    g_assert_true(g_file_get_contents(path, &stored, &stored_len, NULL));
    g_assert_cmpuint(stored_len, ==, vlen);

    /* Four kept: the least recently used goes when a fifth comes. */
    for (i = 1; i < 4; i++) {
        g_autofree char *p = cache_file(dir, bz[i], len[i]);
        struct timespec t[2] = { { 1000 + i, 0 }, { 1000 + i, 0 } };

        g_bytes_unref(unpack_cached(bz[i], len[i]));
        g_assert_cmpint(utimensat(AT_FDCWD, p, t, 0), ==, 0);
    }
    g_assert_cmpuint(count_entries(dir), ==, 4);
    g_bytes_unref(unpack_cached(bz[4], len[4]));
    g_assert_cmpuint(count_entries(dir), ==, 4);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    {
        g_autofree char *oldest = cache_file(dir, bz[1], len[1]);

        g_assert_false(g_file_test(oldest, G_FILE_TEST_EXISTS));
    }

    /* Off: nothing written.  Unwritable: still unpacked. */
    g_setenv(KERNEL_CACHE_ENV, "", true);
    g_assert_cmpint(unlink(path), ==, 0);
    b = unpack_cached(bz[0], len[0]);
    g_assert_cmpuint(g_bytes_get_size(b), ==, vlen);
    g_bytes_unref(b);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_setenv(KERNEL_CACHE_ENV, "/dev/null/cache", true);
    b = unpack_cached(bz[0], len[0]);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), vm,
                    vlen);
    g_bytes_unref(b);

    for (i = 0; i < 5; i++) {
        g_autofree char *p = cache_file(dir, bz[i], len[i]);

        unlink(p);
        g_free(bz[i]);
    }
    g_assert_cmpint(rmdir(dir), ==, 0);
}

/* The host's own kernels: unpacked, checked, relocatable. */
static bool check_host_kernel(const char *path, const uint8_t *buf,
                              size_t len, const BzImageInfo *k)
{
    g_autofree uint8_t *out = NULL;
    size_t out_len = 0;
    VmlinuxImage v;
    unsigned run;

    out = bzimage_unpack(buf, len, k, &out_len, &error_abort);
    if (!out) {
        g_test_message("%s: a compression left to the guest", path);
        return false;
    }
    g_assert_true(vmlinux_parse(out, out_len, k, &v, &error_abort));
    g_assert_cmphex(v.link_phys, ==, k->hdr.pref_address);
    g_assert_cmphex(v.kernel_map, ==, T_MAP);
    g_assert_true(v.relocatable);
    /* It needs no more room than the decompressor asks for. */
    g_assert_cmphex(v.size, <=, QEMU_ALIGN_UP(k->hdr.init_size, v.align));
    if (v.has_relocs) {
        for (run = 0; run < VMLINUX_RELOC_RUNS; run++) {
            g_assert_cmpuint(v.reloc_end[run], >, v.reloc_start[run]);
        }
        /* The table fills the payload from the ELF's end. */
        g_assert_cmpuint(v.reloc_start[2], ==, v.elf.file_end + 4);
    }
    return true;
}

static void test_host_kernel(void)
{
    if (!boot_fixture_host_kernels(check_host_kernel)) {
        g_test_skip("no host kernel that pmemvm unpacks");
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* pc_boot_linux() unpacks through the cache: none here. */
    g_setenv(KERNEL_CACHE_ENV, "", true);
    g_test_add_func("/vmlinux/unpack/formats", test_unpack_formats);
    g_test_add_func("/vmlinux/unpack/errors", test_unpack_errors);
    g_test_add_func("/vmlinux/unpack/memory-bound", test_unpack_memory_bound);
    g_test_add_func("/vmlinux/unpack/left-to-guest",
                    test_unpack_left_to_guest);
    g_test_add_func("/vmlinux/parse", test_vmlinux_parse);
    g_test_add_func("/vmlinux/errors", test_vmlinux_errors);
    g_test_add_func("/vmlinux/nokaslr", test_nokaslr);
    g_test_add_func("/vmlinux/kaslr/phys", test_kaslr_phys);
    g_test_add_func("/vmlinux/kaslr/virt", test_kaslr_virt);
    g_test_add_func("/vmlinux/boot-into-ram", test_boot_into_ram);
    g_test_add_func("/vmlinux/boot-without-relocs", test_boot_without_relocs);
    g_test_add_func("/vmlinux/cache", test_cache);
    g_test_add_func("/vmlinux/host-kernel", test_host_kernel);
    return g_test_run();
}
