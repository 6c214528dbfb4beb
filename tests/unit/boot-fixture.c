/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "boot-fixture.h"
#include <glob.h>

void boot_fixture_setup_header(uint8_t *buf, uint8_t setup_sects,
                               uint16_t version)
{
    struct setup_header *h = (void *)(buf + BZIMAGE_HDR_OFFSET);

    h->setup_sects = setup_sects;
    h->boot_flag = BZIMAGE_BOOT_FLAG;
    h->header = BZIMAGE_MAGIC;
    h->version = version;
    h->loadflags = LOADED_HIGH;
    h->initrd_addr_max = 0x7FFFFFFF;
    h->cmdline_size = 2047;
    h->xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
    /* The short jump at 0x200 ends the header at 0x202 + buf[0x201]. */
    buf[BZIMAGE_JUMP_OFFSET] = 0x6A;
}

char *boot_fixture_write_tmp(const void *data, size_t len)
{
    char *path = NULL;
    int fd = g_file_open_tmp("pmemvm-test-boot-XXXXXX", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_true(write(fd, data, len) == (ssize_t)len);
    close(fd);
    return path;
}

void boot_fixture_init(BootFixture *f, uint64_t ram_size, const void *kernel,
                       size_t kernel_len, const void *initrd,
                       size_t initrd_len, const char *append)
{
    memset(f, 0, sizeof(*f));
    f->ram = g_malloc0(ram_size);
    f->kernel_path = boot_fixture_write_tmp(kernel, kernel_len);
    f->initrd_path = initrd ? boot_fixture_write_tmp(initrd, initrd_len)
                            : NULL;
    f->pcms = (PCMachineState) {
        .kernel = f->kernel_path,
        .initrd = f->initrd_path,
        .append = (char *)append,
        .ram = f->ram,
        .ram_size = ram_size,
        .below_4g_mem_size = ram_size,
    };
    f->region = guest_ram_add("test.ram", 0, ram_size, f->ram, false,
                              &error_abort);
    g_assert_nonnull(f->region);
}

void boot_fixture_free(BootFixture *f)
{
    guest_ram_del(f->region);
    unlink(f->kernel_path);
    if (f->initrd_path) {
        unlink(f->initrd_path);
    }
    g_free(f->kernel_path);
    g_free(f->initrd_path);
    g_free(f->ram);
}

unsigned boot_fixture_host_kernels(HostKernelFn fn)
{
    unsigned n = 0;
    glob_t g;
    size_t i;

    if (glob("/boot/vmlinuz-*", 0, NULL, &g)) {
        return 0;
    }
    for (i = 0; i < g.gl_pathc; i++) {
        g_autofree gchar *buf = NULL;
        gsize len;
        BzImageInfo k;

        if (!g_file_get_contents(g.gl_pathv[i], &buf, &len, NULL)) {
            continue;
        }
        g_test_message("%s", g.gl_pathv[i]);
        g_assert_true(bzimage_parse((uint8_t *)buf, len, &k, &error_abort));
        n += fn(g.gl_pathv[i], (uint8_t *)buf, len, &k);
    }
    globfree(&g);
    return n;
}
