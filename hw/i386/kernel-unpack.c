/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The payload of a bzImage, decompressed on the host.
 *
 * Since boot protocol 2.08 the setup header locates the compressed kernel
 * inside the protected-mode part (payload_offset, payload_length); the
 * payload is the stripped vmlinux ELF followed, on relocatable 64-bit
 * kernels with KASLR, by its relocation table, compressed with the method
 * the kernel was built with, and then the uncompressed length as 4 little-
 * endian bytes (Documentation/arch/x86/boot.rst, fields payload_offset and
 * payload_length; arch/x86/boot/compressed/Makefile and the *_with_size
 * rules of scripts/Makefile.lib).  The methods are told apart by their
 * magic bytes, as the kernel's lib/decompress.c does.  (gzip gets no
 * extra length: its own trailer ends with the same 4 bytes, ISIZE.)
 *
 * pmemvm decompresses gzip (zlib), xz and lzma (liblzma) and zstd
 * (libzstd): the kernels of Debian, Fedora, Ubuntu and Arch use one of
 * them.  For any other method the guest's own decompressor runs.
 *
 * Unpacked kernels are cached on disk, so that booting the same bzImage
 * again costs a read of the page cache instead of a decompression: one
 * file per payload named by the SHA-256 of the payload's bytes, holding
 * exactly the unpacked bytes, written under a temporary name and renamed
 * (a reader sees a whole file or none), checked for its length when read,
 * at most KERNEL_CACHE_KEEP of them, the least recently used removed.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "hw/i386/boot.h"

#define BZIMAGE_VERSION_PAYLOAD     0x0208  /* payload_offset/_length */
#define PAYLOAD_SIZE_TRAILER        4       /* le32 uncompressed length */
/* No kernel image is larger than the 1 GiB kernel mapping (x86_64
 * KERNEL_IMAGE_SIZE with KASLR, asm/page_64_types.h). */
#define PAYLOAD_MAX_OUTPUT          (1ULL << 30)

#define KERNEL_CACHE_PREFIX         "vmlinux-v1-"
#define KERNEL_CACHE_KEEP           4

typedef enum PayloadFormat {
    PAYLOAD_UNKNOWN,
    PAYLOAD_GZIP,
    PAYLOAD_XZ,
    PAYLOAD_LZMA,
    PAYLOAD_ZSTD,
    PAYLOAD_BZIP2,
    PAYLOAD_LZO,
    PAYLOAD_LZ4,
} PayloadFormat;

static const struct {
    PayloadFormat format;
    const char *name;
    uint8_t magic_len;
    uint8_t magic[6];
    bool host;                  /* decompressed by pmemvm */
} payload_formats[] = {
    { PAYLOAD_GZIP, "gzip", 2, { 0x1F, 0x8B }, true },
    { PAYLOAD_XZ, "xz", 6, { 0xFD, '7', 'z', 'X', 'Z', 0x00 }, true },
    { PAYLOAD_LZMA, "lzma", 3, { 0x5D, 0x00, 0x00 }, true },
    { PAYLOAD_ZSTD, "zstd", 4, { 0x28, 0xB5, 0x2F, 0xFD }, true },
    { PAYLOAD_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' }, false },
    { PAYLOAD_LZO, "lzo", 3, { 0x89, 'L', 'Z' }, false },
    { PAYLOAD_LZ4, "lz4", 2, { 0x02, 0x21 }, false },
};

static unsigned payload_format(const uint8_t *p, size_t len)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(payload_formats); i++) {
        if (len >= payload_formats[i].magic_len &&
            memcmp(p, payload_formats[i].magic,
                   payload_formats[i].magic_len) == 0) {
            return i;
        }
    }
    return ARRAY_SIZE(payload_formats);
}

const char *bzimage_payload_format(const uint8_t *p, size_t len)
{
    unsigned i = payload_format(p, len);

    return i < ARRAY_SIZE(payload_formats) ? payload_formats[i].name : NULL;
}

/*
 * liblzma allocates the dictionary a stream's header claims before it
 * decodes a byte; a file can claim 4 GiB.  Kernels are packed with at most
 * 32 MiB (Linux's scripts/xz_wrap.sh), so this bounds the decoder with
 * room to spare; a payload that wants more is left to the guest.
 */
#define UNPACK_LZMA_MEMLIMIT    (256 * MiB)

/* xz and lzma through liblzma: exactly @out_len bytes, then the end. */
static bool unpack_lzma(bool xz, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t out_len, Error **errp)
{
    lzma_stream strm = LZMA_STREAM_INIT;
    lzma_ret ret;

    ret = xz ? lzma_stream_decoder(&strm, UNPACK_LZMA_MEMLIMIT, 0)
             : lzma_alone_decoder(&strm, UNPACK_LZMA_MEMLIMIT);
    if (ret != LZMA_OK) {
        error_setg(errp, "liblzma cannot start a decoder (error %d)", ret);
        return false;
    }
    strm.next_in = in;
    strm.avail_in = in_len;
    strm.next_out = out;
    strm.avail_out = out_len;
    ret = lzma_code(&strm, LZMA_FINISH);
    /* A full buffer before the end marker means the trailer lied. */
    if (ret == LZMA_OK || ret == LZMA_BUF_ERROR) {
        uint8_t probe;

        if (strm.avail_out == 0) {
            strm.next_out = &probe;
            strm.avail_out = 1;
            ret = lzma_code(&strm, LZMA_FINISH);
        }
    }
    lzma_end(&strm);
    if (ret == LZMA_MEMLIMIT_ERROR) {
        error_setg(errp, "the %s payload needs more than %" PRIu64 " MiB to "
                   "unpack (its header claims a larger dictionary)",
                   xz ? "xz" : "lzma", (uint64_t)UNPACK_LZMA_MEMLIMIT / MiB);
        return false;
    }
    if (ret != LZMA_STREAM_END || strm.total_out != out_len) {
        error_setg(errp, "the %s payload is corrupt or not %zu bytes long "
                   "(liblzma: %d after %" PRIu64 " bytes)",
                   xz ? "xz" : "lzma", out_len, ret,
                   (uint64_t)strm.total_out);
        return false;
    }
    return true;
}

static bool unpack_gzip(const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t out_len, Error **errp)
{
    z_stream zs = { 0 };
    uint8_t probe;
    int ret;

    /* 16 + window bits: a gzip header and trailer around the deflate data. */
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        error_setg(errp, "zlib cannot start a decoder");
        return false;
    }
    zs.next_in = (Bytef *)in;
    zs.avail_in = MIN(in_len, (size_t)UINT_MAX);
    zs.next_out = out;
    zs.avail_out = out_len;
    ret = inflate(&zs, Z_FINISH);
    if (ret == Z_BUF_ERROR && zs.avail_out == 0) {
        zs.next_out = &probe;
        zs.avail_out = 1;
        ret = inflate(&zs, Z_FINISH);
    }
    if (ret != Z_STREAM_END || zs.total_out != out_len) {
        error_setg(errp, "the gzip payload is corrupt or not %zu bytes long "
                   "(zlib: %d after %lu bytes)", out_len, ret,
                   (unsigned long)zs.total_out);
        inflateEnd(&zs);
        return false;
    }
    inflateEnd(&zs);
    return true;
}

static bool unpack_zstd(const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t out_len, Error **errp)
{
    size_t n = ZSTD_decompress(out, out_len, in, in_len);

    if (ZSTD_isError(n) || n != out_len) {
        error_setg(errp, "the zstd payload is corrupt or not %zu bytes long "
                   "(zstd: %s)", out_len,
                   ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
        return false;
    }
    return true;
}

/* A payload pmemvm can unpack: where it is and what it unpacks to. */
typedef struct Payload {
    const uint8_t *in;          /* the compressed bytes */
    size_t in_len;              /* without the length trailer */
    uint32_t out_len;
    unsigned format;            /* index in payload_formats */
} Payload;

/* 1: @p is set; 0: the guest's decompressor's job; -1: @errp is set. */
static int payload_find(const uint8_t *image, const BzImageInfo *k,
                        Payload *p, Error **errp)
{
    const struct setup_header *h = &k->hdr;
    uint32_t olen;

    if (k->version < BZIMAGE_VERSION_PAYLOAD || h->payload_length == 0) {
        return 0;           /* no payload fields */
    }
    if (h->payload_offset > k->kernel_size ||
        h->payload_length > k->kernel_size - h->payload_offset ||
        h->payload_length <= PAYLOAD_SIZE_TRAILER) {
        error_setg(errp, "the payload (offset 0x%x, %u bytes) is not "
                   "inside the kernel's %zu bytes", h->payload_offset,
                   h->payload_length, k->kernel_size);
        return -1;
    }
    p->in = image + k->setup_size + h->payload_offset;
    p->in_len = h->payload_length - PAYLOAD_SIZE_TRAILER;
    memcpy(&olen, p->in + p->in_len, sizeof(olen));
    p->out_len = GUINT32_FROM_LE(olen);
    p->format = payload_format(p->in, p->in_len);
    if (p->format == ARRAY_SIZE(payload_formats) ||
        !payload_formats[p->format].host) {
        return 0;           /* a compression left to the guest */
    }
    if (p->out_len == 0 || p->out_len > PAYLOAD_MAX_OUTPUT) {
        error_setg(errp, "the payload claims to unpack to %u bytes",
                   p->out_len);
        return -1;
    }
    return 1;
}

static uint8_t *payload_unpack(const Payload *p, Error **errp)
{
    g_autofree uint8_t *out = g_try_malloc(p->out_len);
    bool ok;

    if (!out) {
        error_setg(errp, "no host memory to unpack %u bytes", p->out_len);
        return NULL;
    }
    switch (payload_formats[p->format].format) {
    case PAYLOAD_GZIP:
        /* The length is gzip's own ISIZE, the last field of its trailer. */
        ok = unpack_gzip(p->in, p->in_len + PAYLOAD_SIZE_TRAILER, out,
                         p->out_len, errp);
        break;
    case PAYLOAD_XZ:
    case PAYLOAD_LZMA:
        ok = unpack_lzma(payload_formats[p->format].format == PAYLOAD_XZ,
                         p->in, p->in_len, out, p->out_len, errp);
        break;
    case PAYLOAD_ZSTD:
        ok = unpack_zstd(p->in, p->in_len, out, p->out_len, errp);
        break;
    default:
        g_assert_not_reached();
    }
    return ok ? g_steal_pointer(&out) : NULL;
}

uint8_t *bzimage_unpack(const uint8_t *image, size_t len,
                        const BzImageInfo *k, size_t *out_len, Error **errp)
{
    Payload p;
    uint8_t *out;

    if (payload_find(image, k, &p, errp) <= 0) {
        return NULL;
    }
    out = payload_unpack(&p, errp);
    if (out) {
        *out_len = p.out_len;
    }
    return out;
}

/* ---- The cache of unpacked kernels ---------------------------------- */

/* The cache directory, or NULL when there is none. */
static char *kernel_cache_dir(void)
{
    const char *env = g_getenv(KERNEL_CACHE_ENV);

    if (env) {
        return *env ? g_strdup(env) : NULL;
    }
    return g_build_filename(g_get_user_cache_dir(), "pmemvm", NULL);
}

/* The entry for @p: the version and the SHA-256 of the payload bytes. */
static char *kernel_cache_path(const char *dir, const Payload *p)
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *name = NULL;

    g_checksum_update(sum, p->in, p->in_len + PAYLOAD_SIZE_TRAILER);
    name = g_strdup_printf(KERNEL_CACHE_PREFIX "%s",
                           g_checksum_get_string(sum));
    return g_build_filename(dir, name, NULL);
}

typedef struct CacheMapping {
    void *addr;
    size_t len;
} CacheMapping;

static void kernel_cache_unmap(gpointer opaque)
{
    CacheMapping *m = opaque;

    munmap(m->addr, m->len);
    g_free(m);
}

/* The entry at @path when it is there and whole; its use time renewed. */
static GBytes *kernel_cache_read(const char *path, const Payload *p)
{
    struct stat st;
    CacheMapping *m;
    void *addr;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        return NULL;
    }
    if (fstat(fd, &st) < 0 || st.st_size != p->out_len) {
        close(fd);
        return NULL;
    }
    addr = mmap(NULL, p->out_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                0);
    /* Its modification time is its last use, for the eviction. */
    futimens(fd, NULL);
    close(fd);
    if (addr == MAP_FAILED) {
        return NULL;
    }
    m = g_new(CacheMapping, 1);
    *m = (CacheMapping) { addr, p->out_len };
    return g_bytes_new_with_free_func(addr, p->out_len, kernel_cache_unmap,
                                      m);
}

typedef struct CacheEntry {
    char *path;
    struct timespec t;          /* last use */
} CacheEntry;

static gint by_mtime(gconstpointer a, gconstpointer b)
{
    const CacheEntry *x = a, *y = b;

    if (x->t.tv_sec != y->t.tv_sec) {
        return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
    }
    return x->t.tv_nsec < y->t.tv_nsec ? -1 : x->t.tv_nsec > y->t.tv_nsec;
}

/* Keep the KERNEL_CACHE_KEEP entries used last. */
static void kernel_cache_evict(const char *dir)
{
    g_autoptr(GArray) all = g_array_new(false, false, sizeof(CacheEntry));
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    guint i;

    if (!d) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        CacheEntry e = { g_build_filename(dir, name, NULL) };
        struct stat st;

        if (!g_str_has_prefix(name, KERNEL_CACHE_PREFIX) ||
            stat(e.path, &st) < 0) {
            g_free(e.path);
            continue;
        }
        e.t = st.st_mtim;
        g_array_append_val(all, e);
    }
    g_dir_close(d);
    g_array_sort(all, by_mtime);
    for (i = 0; i < all->len; i++) {
        CacheEntry *e = &g_array_index(all, CacheEntry, i);

        if (i + KERNEL_CACHE_KEEP < all->len) {
            unlink(e->path);
        }
        g_free(e->path);
    }
}

/* Store @out as the entry at @path: a whole file or none. */
static void kernel_cache_write(const char *dir, const char *path,
                               const uint8_t *out, size_t len)
{
    /* CONSISTENT: a temporary file in @dir renamed over @path. */
    if (g_mkdir_with_parents(dir, 0700) == 0 &&
        g_file_set_contents_full(path, (const char *)out, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 NULL)) {
        kernel_cache_evict(dir);
    }
}

GBytes *bzimage_unpack_cached(const uint8_t *image, size_t len,
                              const BzImageInfo *k, Error **errp)
{
    g_autofree char *dir = kernel_cache_dir();
    g_autofree char *path = NULL;
    uint8_t *out;
    Payload p;
    GBytes *hit;

    if (payload_find(image, k, &p, errp) <= 0) {
        return NULL;
    }
    if (dir) {
        path = kernel_cache_path(dir, &p);
        hit = kernel_cache_read(path, &p);
        if (hit) {
            return hit;
        }
    }
    out = payload_unpack(&p, errp);
    if (out && path) {
        kernel_cache_write(dir, path, out, p.out_len);
    }
    return out ? g_bytes_new_take(out, p.out_len) : NULL;
}
