/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct Linux boot (no firmware).  A bzImage's payload is unpacked on
 * the host and its vmlinux placed and relocated as the kernel's own
 * decompressor would (kernel-unpack.c, vmlinux.c), the boot CPU starting
 * at the kernel's 64-bit entry; with -machine kernel-unpack=guest, or a
 * payload pmemvm does not unpack, the protected-mode part goes to 1 MiB
 * and the guest decompresses it, entered at 1 MiB + 0x200.  Either way
 * the initrd goes as high as the kernel allows below 4 GiB and RSI points
 * to the zero page (Documentation/arch/x86/boot.rst, "64-bit Boot
 * Protocol").  An ELF -kernel boots through its PVH entry instead
 * (pvh.c).  Every address is in hw/i386/layout.h.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"
#include "hw/i386/boot-cpu.h"
#include "sysemu/accel.h"
#include "qemu/guarded-mem.h"

/* Page-table entry bits (Intel SDM vol. 3A §4.5). */
#define PTE_PRESENT         (1ULL << 0)
#define PTE_WRITE           (1ULL << 1)
#define PTE_LARGE           (1ULL << 7)     /* 2 MiB page in a PD */
#define PT_ENTRIES          512
#define PAGE_2M             (2 * MiB)

/*
 * GDT descriptor "flags" as G|D/B|L|AVL (15:12) and the access byte
 * (7:0) (SDM vol. 3A §3.4.5).
 */
#define GDT_CODE64          0xA09B      /* G, L, present, exec/read, acc. */
#define GDT_CODE32          0xC09B      /* G, D/B, present, exec/read, acc. */
#define GDT_DATA            0xC093      /* G, D/B, present, read/write, acc. */
#define GDT_TSS64           0x008B      /* present, busy 64-bit TSS */
#define GDT_FLAT_LIMIT      0xFFFFF
#define GDT_TSS_LIMIT       0x67

bool bzimage_parse(const uint8_t *buf, size_t len, BzImageInfo *info,
                   Error **errp)
{
    struct setup_header *h = &info->hdr;
    size_t setup_sects;

    memset(info, 0, sizeof(*info));
    if (len < BZIMAGE_MIN_SIZE) {
        error_setg(errp, "not a Linux bzImage (only %zu bytes)", len);
        return false;
    }
    memcpy(h, buf + BZIMAGE_HDR_OFFSET, sizeof(*h));
    if (h->header != BZIMAGE_MAGIC || h->boot_flag != BZIMAGE_BOOT_FLAG) {
        error_setg(errp, "not a Linux bzImage (no 'HdrS' boot header)");
        return false;
    }
    info->version = h->version;
    if (h->version < BZIMAGE_MIN_VERSION) {
        error_setg(errp, "Linux boot protocol %u.%02u is too old (pmemvm "
                   "needs 2.06 or later)", h->version >> 8,
                   h->version & 0xFF);
        return false;
    }
    if (!(h->loadflags & LOADED_HIGH)) {
        error_setg(errp, "a zImage, not a bzImage (the kernel is not "
                   "loaded high)");
        return false;
    }
    if (h->version >= BZIMAGE_VERSION_XLOADFLAGS &&
        !(h->xloadflags & XLF_KERNEL_64)) {
        error_setg(errp, "not a 64-bit kernel (no 64-bit entry point)");
        return false;
    }
    setup_sects = h->setup_sects ? h->setup_sects
                                 : BZIMAGE_DEFAULT_SETUP_SECTS;
    info->setup_size = (setup_sects + 1) * BZIMAGE_SECTOR_SIZE;
    if (info->setup_size >= len) {
        error_setg(errp, "truncated bzImage (%zu bytes, setup alone is "
                   "%zu)", len, info->setup_size);
        return false;
    }
    info->kernel_size = len - info->setup_size;
    info->hdr_len = BZIMAGE_HDR_END_BASE + buf[BZIMAGE_JUMP_OFFSET] -
                    BZIMAGE_HDR_OFFSET;
    info->hdr_len = MIN(info->hdr_len, sizeof(*h));
    info->init_size = info->kernel_size;
    if (h->version >= BZIMAGE_VERSION_INIT_SIZE) {
        info->init_size = MAX(info->init_size, h->init_size);
    }
    return true;
}

bool pc_initrd_place(uint64_t kernel_end, uint64_t limit, uint64_t size,
                     uint64_t *addr, Error **errp)
{
    if (size > limit ||
        QEMU_ALIGN_DOWN(limit - size, LAYOUT_INITRD_ALIGN) < kernel_end) {
        error_setg(errp, "initrd of %" PRIu64 " bytes does not fit between "
                   "the kernel's end (0x%" PRIx64 ") and 0x%" PRIx64,
                   size, kernel_end, limit);
        error_append_hint(errp, "Give the guest more memory (-m).\n");
        return false;
    }
    *addr = QEMU_ALIGN_DOWN(limit - size, LAYOUT_INITRD_ALIGN);
    return true;
}

/*
 * Read exactly @size bytes; false with errno set (0 at early EOF) and
 * *@done bytes read.
 */
static bool read_full(int fd, uint8_t *dst, uint64_t size, uint64_t *done_out)
{
    uint64_t done = 0;

    *done_out = 0;
    while (done < size) {
        ssize_t n = read(fd, dst + done, MIN(size - done, 64 * MiB));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = 0;
            }
            return false;
        }
        done += n;
        *done_out = done;
    }
    return true;
}

/* What a non-regular file is, for messages. */
static const char *boot_file_kind(mode_t mode)
{
    if (S_ISFIFO(mode)) {
        return "a FIFO";
    } else if (S_ISCHR(mode)) {
        return "a character device";
    } else if (S_ISBLK(mode)) {
        return "a block device";
    } else if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

int pc_boot_open_file(PCMachineState *pcms, const char *what,
                      const char *path, uint64_t *size, Error **errp)
{
    uint64_t max = pcms->below_4g_mem_size;
    struct stat st;
    int fd;

    /* Non-blocking: opening a FIFO must not wait for a writer. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "could not load %s '%s'", what, path);
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        /* QEMU 7.2's words. */
        error_setg_errno(errp, EISDIR, "could not load %s '%s'", what, path);
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        error_setg(errp, "could not load %s '%s': it is %s, not a regular "
                   "file", what, path, boot_file_kind(st.st_mode));
        goto fail;
    }
    /* Nothing larger than the RAM it must fit in can be loaded. */
    if ((uint64_t)st.st_size > max) {
        error_setg(errp, "could not load %s '%s': %s is too large (%" PRIu64
                   " bytes; the guest has %" PRIu64 " bytes of RAM below "
                   "4 GiB)", what, path,
                   strcmp(what, PC_BOOT_KERNEL) ? "initrd" : "kernel",
                   (uint64_t)st.st_size, max);
        goto fail;
    }
    *size = st.st_size;
    return fd;

fail:
    if (fd >= 0) {
        close(fd);
    }
    return -1;
}

bool pc_boot_check_file(PCMachineState *pcms, const char *what,
                        const char *path, Error **errp)
{
    uint64_t size;
    int fd = pc_boot_open_file(pcms, what, path, &size, errp);

    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

/*
 * Read @size bytes of @fd straight into guest RAM at @gpa.  A page of RAM
 * the host cannot provide (its backing file truncated, its file system
 * full) makes read() fail with EFAULT, not SIGBUS: say which file.
 */
static bool load_file_to_guest(int fd, uint64_t gpa, uint64_t size,
                               Error **errp)
{
    uint8_t *dst = guest_ram_ptr(gpa, size, true);
    uint64_t done;

    if (!dst && size) {
        error_setg(errp, "no guest RAM at 0x%" PRIx64, gpa);
        return false;
    }
    if (!read_full(fd, dst, size, &done)) {
        if (errno == EFAULT) {
            MemFault f = { .addr = dst + done, .code = BUS_ADRERR };
            g_autofree char *why = mem_fault_describe(&f);

            error_setg(errp, "cannot write guest RAM at 0x%" PRIx64 ": %s",
                       gpa + done, why);
        } else {
            error_setg_errno(errp, errno ? errno : EIO, "read error");
        }
        return false;
    }
    return true;
}

/*
 * -initrd as high as it goes below @limit and not below @kernel_end (see
 * pc_initrd_place()).
 */
static bool pc_load_initrd(PCMachineState *pcms, uint64_t kernel_end,
                           uint64_t limit, uint64_t *addr, uint64_t *size,
                           Error **errp)
{
    uint64_t len;
    bool ok;
    int fd;

    fd = pc_boot_open_file(pcms, PC_BOOT_INITRD, pcms->initrd, &len, errp);
    if (fd < 0) {
        return false;
    }
    ok = pc_initrd_place(kernel_end, MIN(limit, pcms->below_4g_mem_size),
                         len, addr, errp) &&
         load_file_to_guest(fd, *addr, len, errp);
    close(fd);
    if (!ok) {
        error_prepend(errp, "could not load " PC_BOOT_INITRD " '%s': ",
                      pcms->initrd);
        return false;
    }
    *size = len;
    return true;
}

static uint64_t gdt_entry(uint16_t flags, uint32_t base, uint32_t limit)
{
    return ((uint64_t)(base & 0xFF000000) << 32) |
           ((uint64_t)(flags & 0xF0FF) << 40) |
           ((uint64_t)(limit & 0x000F0000) << 32) |
           ((uint64_t)(base & 0x00FFFFFF) << 16) |
           (limit & 0x0000FFFF);
}

/* GDT, empty IDT and the identity map of the first 4 GiB. */
static bool pc_write_boot_tables(Error **errp)
{
    uint64_t gdt[LAYOUT_BOOT_GDT_SIZE / 8] = {
        [BOOT_GDT_CS32 / 8] = gdt_entry(GDT_CODE32, 0, GDT_FLAT_LIMIT),
        [BOOT_GDT_CS / 8] = gdt_entry(GDT_CODE64, 0, GDT_FLAT_LIMIT),
        [BOOT_GDT_DS / 8] = gdt_entry(GDT_DATA, 0, GDT_FLAT_LIMIT),
        /* A 64-bit TSS descriptor is 16 bytes; the upper half (base
         * 63:32) stays 0. */
        [BOOT_GDT_TSS / 8] = gdt_entry(GDT_TSS64, 0, GDT_TSS_LIMIT),
    };
    uint64_t idt[LAYOUT_BOOT_IDT_SIZE / 8] = { 0 };
    g_autofree uint64_t *pd = g_new0(uint64_t,
                                     PT_ENTRIES * LAYOUT_BOOT_PD_COUNT);
    uint64_t pdpt[PT_ENTRIES] = { 0 };
    uint64_t pml4[PT_ENTRIES] = { 0 };
    unsigned i;

    G_STATIC_ASSERT(BOOT_GDT_TSS + 16 <= LAYOUT_BOOT_GDT_SIZE);
    G_STATIC_ASSERT(LAYOUT_BOOT_GDT + LAYOUT_BOOT_GDT_SIZE <=
                    LAYOUT_BOOT_IDT);
    /* Every boot structure lies in usable RAM below the EBDA. */
    G_STATIC_ASSERT(LAYOUT_BOOT_PD + LAYOUT_BOOT_PD_COUNT * LAYOUT_PAGE_SIZE
                    <= LAYOUT_BOOT_CMDLINE);
    G_STATIC_ASSERT(LAYOUT_BOOT_CMDLINE + LAYOUT_BOOT_CMDLINE_MAX <=
                    LAYOUT_EBDA_START);
    pml4[0] = LAYOUT_BOOT_PDPT | PTE_PRESENT | PTE_WRITE;
    for (i = 0; i < LAYOUT_BOOT_PD_COUNT; i++) {
        pdpt[i] = (LAYOUT_BOOT_PD + i * LAYOUT_PAGE_SIZE) | PTE_PRESENT |
                  PTE_WRITE;
    }
    for (i = 0; i < PT_ENTRIES * LAYOUT_BOOT_PD_COUNT; i++) {
        pd[i] = (uint64_t)i * PAGE_2M | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    }
    if (!guest_memory_write(LAYOUT_BOOT_GDT, gdt, sizeof(gdt)) ||
        !guest_memory_write(LAYOUT_BOOT_IDT, idt, sizeof(idt)) ||
        !guest_memory_write(LAYOUT_BOOT_PML4, pml4, sizeof(pml4)) ||
        !guest_memory_write(LAYOUT_BOOT_PDPT, pdpt, sizeof(pdpt)) ||
        !guest_memory_write(LAYOUT_BOOT_PD, pd,
                            PT_ENTRIES * LAYOUT_BOOT_PD_COUNT * 8)) {
        error_setg(errp, "cannot write the boot page tables into guest RAM");
        return false;
    }
    return true;
}

/*
 * The "BIOS" at the reset vector (real mode, CS base 0xF0000): write the
 * ACPI reset value to the reset register, then halt.
 */
static bool pc_write_reset_stub(Error **errp)
{
    static const uint8_t stub[] = {
        0xB0, LAYOUT_ACPI_RESET_VALUE,              /* mov al, value */
        0xBA, LAYOUT_PORT_ACPI_RESET & 0xFF,        /* mov dx, port */
        LAYOUT_PORT_ACPI_RESET >> 8,
        0xEE,                                       /* out dx, al */
        0xFA,                                       /* cli */
        0xF4,                                       /* 1: hlt */
        0xEB, 0xFD,                                 /* jmp 1b */
    };

    G_STATIC_ASSERT(sizeof(stub) <= LAYOUT_RESET_VECTOR_SIZE);
    G_STATIC_ASSERT(LAYOUT_ACPI_TABLES_END <= LAYOUT_RESET_VECTOR);
    if (!guest_memory_write(LAYOUT_RESET_VECTOR, stub, sizeof(stub))) {
        error_setg(errp, "cannot write the reset vector into guest RAM");
        return false;
    }
    return true;
}

/* -append at LAYOUT_BOOT_CMDLINE; @limit excludes the NUL. */
static bool pc_set_cmdline(PCMachineState *pcms, size_t limit, Error **errp)
{
    const char *cmdline = pcms->append ? pcms->append : "";
    size_t len = strlen(cmdline);
    size_t max = MIN(limit, (size_t)LAYOUT_BOOT_CMDLINE_MAX - 1);

    if (len > max) {
        error_setg(errp, "-append: the kernel command line is %zu bytes; "
                   "this kernel accepts at most %zu", len, max);
        return false;
    }
    if (!guest_memory_write(LAYOUT_BOOT_CMDLINE, cmdline, len + 1)) {
        error_setg(errp, "cannot write the kernel command line");
        return false;
    }
    return true;
}

/* vid_mode as QEMU sets it: from the first "vga=" on the command line. */
static void pc_set_vid_mode(const char *cmdline, struct setup_header *h)
{
    const char *v = cmdline ? strstr(cmdline, "vga=") : NULL;

    if (!v) {
        return;
    }
    v += strlen("vga=");
    if (g_str_has_prefix(v, "normal")) {
        h->vid_mode = BZIMAGE_VID_MODE_NORMAL;
    } else if (g_str_has_prefix(v, "ext")) {
        h->vid_mode = BZIMAGE_VID_MODE_EXT;
    } else if (g_str_has_prefix(v, "ask")) {
        h->vid_mode = BZIMAGE_VID_MODE_ASK;
    } else {
        h->vid_mode = strtoul(v, NULL, 0);
    }
}

/* The whole -kernel file; NULL with @errp set. */
static uint8_t *pc_read_kernel(PCMachineState *pcms, size_t *len,
                               Error **errp)
{
    g_autofree uint8_t *image = NULL;
    uint64_t size, done;
    int fd;

    fd = pc_boot_open_file(pcms, PC_BOOT_KERNEL, pcms->kernel, &size,
                           errp);
    if (fd < 0) {
        return NULL;
    }
    /* At most the guest's RAM below 4 GiB: the host may not have it. */
    image = g_try_malloc(size ? size : 1);
    if (!image) {
        error_setg(errp, "could not load kernel '%s': cannot allocate %"
                   PRIu64 " bytes to read it", pcms->kernel, size);
        close(fd);
        return NULL;
    }
    *len = size;
    if (!read_full(fd, image, *len, &done)) {
        error_setg_errno(errp, errno ? errno : EIO,
                         "could not load kernel '%s'", pcms->kernel);
        close(fd);
        return NULL;
    }
    close(fd);
    return g_steal_pointer(&image);
}

/* The kernel needs @size bytes of RAM from @start, below 4 GiB. */
static bool pc_kernel_fits(PCMachineState *pcms, uint64_t start,
                           uint64_t size, Error **errp)
{
    if (start + size > pcms->below_4g_mem_size) {
        error_setg(errp, "could not load kernel '%s': it needs RAM from %"
                   PRIu64 " MiB to %" PRIu64 " MiB, the guest has %" PRIu64
                   " MiB below 4 GiB", pcms->kernel, start / MiB,
                   QEMU_ALIGN_UP(start + size, MiB) / MiB,
                   pcms->below_4g_mem_size / MiB);
        error_append_hint(errp, "Give the guest more memory (-m).\n");
        return false;
    }
    return true;
}

/*
 * The bzImage's protected-mode part at 1 MiB, for the guest's own
 * decompressor, and the initrd above its init_size.  Entry: 1 MiB + 0x200.
 */
static bool pc_load_compressed(PCMachineState *pcms, const uint8_t *image,
                               const BzImageInfo *k, uint64_t *entry,
                               uint64_t *initrd_addr, uint64_t *initrd_size,
                               Error **errp)
{
    if (!pc_kernel_fits(pcms, LAYOUT_KERNEL_LOAD, k->init_size, errp)) {
        return false;
    }
    if (!guest_memory_write(LAYOUT_KERNEL_LOAD, image + k->setup_size,
                            k->kernel_size)) {
        error_setg(errp, "could not load kernel '%s' into guest RAM",
                   pcms->kernel);
        return false;
    }
    *entry = LAYOUT_KERNEL_LOAD + BZIMAGE_ENTRY64_OFFSET;
    return !pcms->initrd ||
           pc_load_initrd(pcms, LAYOUT_KERNEL_LOAD + k->init_size,
                          (uint64_t)k->hdr.initrd_addr_max + 1, initrd_addr,
                          initrd_size, errp);
}

/*
 * The bzImage's payload unpacked (or found in the cache) and checked on
 * the host, or NULL when the guest has to decompress it (with a warning
 * when the host tried and failed).
 */
static GBytes *pc_unpack_kernel(PCMachineState *pcms, const uint8_t *image,
                                size_t len, const BzImageInfo *k,
                                VmlinuxImage *v)
{
    g_autoptr(GBytes) out = NULL;
    Error *err = NULL;

    if (pcms->kernel_unpack != KERNEL_UNPACK_HOST) {
        return NULL;
    }
    out = bzimage_unpack_cached(image, len, k, &err);
    if (out && !vmlinux_parse(g_bytes_get_data(out, NULL),
                              g_bytes_get_size(out), k, v, &err)) {
        g_clear_pointer(&out, g_bytes_unref);
    }
    if (err) {
        warn_report("kernel '%s': %s; the guest decompresses it instead",
                    pcms->kernel, error_get_pretty(err));
        error_free(err);
    }
    return g_steal_pointer(&out);
}

/*
 * The unpacked kernel (vmlinux.c): the initrd at the top of low RAM as
 * always, then the kernel where the decompressor would put it: at a
 * random slot clear of the initrd and with a random virtual offset
 * (KASLR_FLAG set), or at pref_address with "nokaslr" or without a
 * relocation table.
 */
static bool pc_load_unpacked(PCMachineState *pcms, const VmlinuxImage *v,
                             struct boot_params *bp, uint64_t *entry,
                             uint64_t *initrd_addr, uint64_t *initrd_size,
                             Error **errp)
{
    uint64_t below_4g = pcms->below_4g_mem_size;
    uint64_t phys = v->link_phys, virt = v->link_phys;
    /* CONFIG_RANDOMIZE_BASE: relocatable, with a relocation table. */
    bool kaslr = v->relocatable && v->has_relocs &&
                 !vmlinux_cmdline_has_nokaslr(pcms->append);

    if (!pc_kernel_fits(pcms, v->link_phys, v->size, errp)) {
        return false;
    }
    if (pcms->initrd &&
        !pc_load_initrd(pcms, v->link_phys + v->size,
                        (uint64_t)bp->hdr.initrd_addr_max + 1, initrd_addr,
                        initrd_size, errp)) {
        return false;
    }
    if (kaslr) {
        uint64_t slot = kaslr_phys_addr(vmlinux_kaslr_phys_min(v), below_4g,
                                        v->size, v->align, *initrd_addr,
                                        *initrd_addr + *initrd_size,
                                        g_random_int());

        if (slot) {
            phys = slot;
        }
        virt = kaslr_virt_addr(v->link_phys, v->size, v->align,
                               g_random_int());
        bp->hdr.loadflags |= KASLR_FLAG;
    }
    if (!vmlinux_load(v, phys, virt, errp)) {
        error_prepend(errp, "could not load kernel '%s': ", pcms->kernel);
        return false;
    }
    pcms->kernel_phys = phys;
    pcms->kernel_virt_offset = virt;
    *entry = phys + v->entry_off;
    return true;
}

/*
 * An ELF -kernel: its segments, the initrd as PVH module 0, the command
 * line, hvm_start_info, and the boot CPU at the PVH entry.
 */
static bool pc_boot_pvh(PCMachineState *pcms, const uint8_t *image,
                        size_t len, Error **errp)
{
    ElfKernelInfo k;
    E820Table e820;
    uint64_t initrd_addr = 0, initrd_size = 0;
    X86BootCPUState cpu = {
        .pvh32 = true,
        .rbx = LAYOUT_PVH_START_INFO,
        .rsp = LAYOUT_BOOT_STACK_TOP,
        .gdt_base = LAYOUT_BOOT_GDT,
        .gdt_limit = LAYOUT_BOOT_GDT_SIZE - 1,
        .idt_base = LAYOUT_BOOT_IDT,
        .idt_limit = LAYOUT_BOOT_IDT_SIZE - 1,
        .code_selector = BOOT_GDT_CS32,
        .data_selector = BOOT_GDT_DS,
        .tss_selector = BOOT_GDT_TSS,
    };

    if (!pvh_elf_parse(image, len, &k, errp) ||
        !pvh_load(&k, image, pcms->below_4g_mem_size, errp)) {
        error_prepend(errp, "could not load kernel '%s': ", pcms->kernel);
        return false;
    }
    cpu.rip = pcms->boot_entry = k.pvh_entry;
    /* Linux copies at most COMMAND_LINE_SIZE; the buffer is the limit. */
    if ((pcms->initrd &&
         !pc_load_initrd(pcms, k.end, UINT64_MAX, &initrd_addr,
                         &initrd_size, errp)) ||
        !pc_set_cmdline(pcms, LAYOUT_BOOT_CMDLINE_MAX - 1, errp)) {
        return false;
    }
    pc_e820_build(&e820, pcms->below_4g_mem_size, pcms->above_4g_mem_size);
    return pvh_write_start_info(&e820, LAYOUT_BOOT_CMDLINE, initrd_addr,
                                initrd_size,
                                pc_acpi_enabled(pcms) ? LAYOUT_ACPI_RSDP : 0,
                                errp) &&
           pc_write_boot_tables(errp) && pc_write_reset_stub(errp) &&
           accel_set_boot_cpu_state(&cpu, errp);
}

bool pc_boot_linux(PCMachineState *pcms, Error **errp)
{
    g_autofree struct boot_params *bp = g_new0(struct boot_params, 1);
    g_autofree uint8_t *image = NULL;
    g_autoptr(GBytes) payload = NULL;
    uint64_t initrd_addr = 0, initrd_size = 0;
    size_t len = 0;
    E820Table e820;
    BzImageInfo k;
    VmlinuxImage v;
    X86BootCPUState cpu = {
        .rsi = LAYOUT_BOOT_PARAMS,
        .rsp = LAYOUT_BOOT_STACK_TOP,
        .cr3 = LAYOUT_BOOT_PML4,
        .gdt_base = LAYOUT_BOOT_GDT,
        .gdt_limit = LAYOUT_BOOT_GDT_SIZE - 1,
        .idt_base = LAYOUT_BOOT_IDT,
        .idt_limit = LAYOUT_BOOT_IDT_SIZE - 1,
        .code_selector = BOOT_GDT_CS,
        .data_selector = BOOT_GDT_DS,
        .tss_selector = BOOT_GDT_TSS,
    };

    G_STATIC_ASSERT(sizeof(struct boot_params) == LAYOUT_PAGE_SIZE);
    G_STATIC_ASSERT(sizeof(struct boot_e820_entry) == 20);
    if (!pcms->kernel) {
        if (pcms->initrd || pcms->append) {
            error_setg(errp, "-%s only allowed with -kernel option",
                       pcms->initrd ? "initrd" : "append");
            return false;
        }
        error_setg(errp, "no -kernel given: pmemvm has no firmware and "
                   "boots Linux directly");
        error_append_hint(errp, "Pass -kernel bzImage (and -initrd, "
                          "-append as needed).\n");
        return false;
    }
    image = pc_read_kernel(pcms, &len, errp);
    if (!image) {
        return false;
    }
    pcms->kernel_phys = pcms->kernel_virt_offset = 0;
    if (elf_kernel_is_elf(image, len)) {
        return pc_boot_pvh(pcms, image, len, errp);
    }
    if (!bzimage_parse(image, len, &k, errp)) {
        error_prepend(errp, "could not load kernel '%s': ", pcms->kernel);
        return false;
    }
    /* The zero page starts as zeroes plus the file's setup header. */
    memset(bp, 0, sizeof(*bp));
    memcpy(&bp->hdr, image + BZIMAGE_HDR_OFFSET, k.hdr_len);
    payload = pc_unpack_kernel(pcms, image, len, &k, &v);
    /* cmdline_size excludes the NUL (boot.rst, field cmdline_size). */
    if (!(payload ? pc_load_unpacked(pcms, &v, bp, &cpu.rip, &initrd_addr,
                                     &initrd_size, errp)
                  : pc_load_compressed(pcms, image, &k, &cpu.rip,
                                       &initrd_addr, &initrd_size, errp)) ||
        !pc_set_cmdline(pcms, k.hdr.cmdline_size, errp)) {
        return false;
    }
    bp->hdr.cmd_line_ptr = LAYOUT_BOOT_CMDLINE;
    bp->hdr.ramdisk_image = initrd_addr;
    bp->hdr.ramdisk_size = initrd_size;
    bp->hdr.type_of_loader = BZIMAGE_LOADER_QEMU;
    bp->hdr.loadflags |= CAN_USE_HEAP;
    bp->hdr.heap_end_ptr = BZIMAGE_QEMU_HEAP_END_PTR;
    pc_set_vid_mode(pcms->append, &bp->hdr);
    if (pc_acpi_enabled(pcms)) {
        /* Read by kernels speaking 2.14+; older ones scan for the RSDP. */
        bp->acpi_rsdp_addr = LAYOUT_ACPI_RSDP;
    }
    pc_e820_build(&e820, pcms->below_4g_mem_size, pcms->above_4g_mem_size);
    memcpy(bp->e820_table, e820.entries,
           e820.count * sizeof(e820.entries[0]));
    bp->e820_entries = e820.count;
    if (!guest_memory_write(LAYOUT_BOOT_PARAMS, bp, sizeof(*bp))) {
        error_setg(errp, "cannot write the zero page into guest RAM");
        return false;
    }
    pcms->boot_entry = cpu.rip;
    return pc_write_boot_tables(errp) && pc_write_reset_stub(errp) &&
           accel_set_boot_cpu_state(&cpu, errp);
}
