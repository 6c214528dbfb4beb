/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine's -m, -smp and -numa options, with QEMU 7.2's checks and
 * messages.  Each parse function refuses what is wrong in the option's own
 * text (system/vl.c prefixes the error with the option as typed);
 * pc_machine_check_memory() refuses combinations once every -m is read,
 * and pc_machine_check_device_memory() what QEMU's pc_memory_init()
 * refuses, both without the option's location, as QEMU.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/i386/pc.h"

/* Max memory slots the ACPI tables can describe (QEMU's ACPI_MAX_RAM_SLOTS). */
#define ACPI_MAX_RAM_SLOTS 256
/* vCPUs the MADT and KVM setup support. */
/* QEMU's default -m: 128 MiB; sizes round up to 8 KiB, any size starts. */
#define PC_DEFAULT_RAM_SIZE (128 * MiB)
#define PC_RAM_SIZE_ALIGN   8192
/* maxmem: a multiple of QEMU's TARGET_PAGE_SIZE once it exceeds RAM. */
#define PC_MAXMEM_ALIGN     4096
/* -smp counts QEMU's parser takes. */
#define PC_SMP_MAX_COUNT    4096

static void size_hint(Error **errp)
{
    error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
                      "kilo-, mega-, giga-, tera-, peta-\n"
                      "and exabytes, respectively.\n");
}

/* QemuOpts' QEMU_OPT_SIZE: @value in bytes, or QEMU 7.2's error. */
static bool memory_opt_size(const char *key, const char *value,
                            uint64_t *v, Error **errp)
{
    bool hex_suffix;
    int r = parse_size_full(value, v, &hex_suffix);

    if (hex_suffix) {
        warn_report(SIZE_HEX_SUFFIX_WARNING, value);
    }
    if (r == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   value, key);
        return false;
    }
    if (r) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", key);
        size_hint(errp);
        return false;
    }
    return true;
}

/*
 * QemuOpts' QEMU_OPT_NUMBER: strtoull() with base 0, so "0x10" and "010"
 * are numbers and "-1" is 2^64 - 1 (QEMU's qemu_strtou64()).
 */
static bool memory_opt_number(const char *key, const char *value,
                              uint64_t *v, Error **errp)
{
    char *end;

    errno = 0;
    *v = strtoull(value, &end, 0);
    if (end == value || *end) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    if (errno == ERANGE) {
        error_setg(errp, "Value '%s' is too large for parameter '%s'",
                   value, key);
        return false;
    }
    return true;
}

bool pc_machine_parse_memory(PCMachineState *pcms, const QemuOpts *opts,
                             Error **errp)
{
    static const char *const keys[] = { "size", "slots", "maxmem", NULL };
    uint64_t v;
    guint i;

    if (!qemu_opts_check_keys(opts, keys, errp)) {
        return false;
    }
    /* Each value in order; a later -m or key overrides an earlier one. */
    for (i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!strcmp(opt->key, "size")) {
            if (!memory_opt_size(opt->key, opt->value, &v, errp)) {
                return false;
            }
            g_free(pcms->ram_size_arg);
            pcms->ram_size_arg = g_strdup(opt->value);
        } else if (!strcmp(opt->key, "slots")) {
            if (!memory_opt_number(opt->key, opt->value, &v, errp)) {
                return false;
            }
            pcms->ram_slots = v;
            pcms->mem_slots_given = true;
        } else {
            if (!memory_opt_size(opt->key, opt->value, &v, errp)) {
                return false;
            }
            pcms->maxram_size = v;
            pcms->maxmem_given = true;
        }
    }
    return true;
}

/*
 * RAM from size=: QEMU 7.2 appends "M" to a size that ends in a digit
 * (the legacy unit) and parses it again as the machine's memory.size; 0
 * means the default.
 */
static bool memory_ram_size(PCMachineState *pcms, Error **errp)
{
    const char *arg = pcms->ram_size_arg;
    uint64_t size = 0;

    if (arg && *arg && g_ascii_isdigit(arg[strlen(arg) - 1])) {
        g_autofree char *mib = g_strconcat(arg, "M", NULL);
        bool hex_suffix;
        int r = parse_size_full(mib, &size, &hex_suffix);

        if (hex_suffix) {
            warn_report(SIZE_HEX_SUFFIX_WARNING, mib);
        }
        if (r) {
            error_setg(errp, "Parameter 'memory.size' expects size");
            return false;
        }
    } else if (arg && parse_size_full(arg, &size, NULL)) {
        /* pc_machine_parse_memory() took it */
        g_assert_not_reached();
    }
    pcms->ram_size_given = size != 0;
    if (size == 0) {
        size = PC_DEFAULT_RAM_SIZE;
    }
    /* QEMU 7.2 rounds this up to 0 bytes of RAM and starts. */
    if (size > UINT64_MAX - (PC_RAM_SIZE_ALIGN - 1)) {
        error_setg(errp, "ram size too large");
        return false;
    }
    pcms->ram_size = QEMU_ALIGN_UP(size, PC_RAM_SIZE_ALIGN);
    return true;
}

bool pc_machine_check_memory(PCMachineState *pcms, Error **errp)
{
    if (!memory_ram_size(pcms, errp)) {
        return false;
    }
    if (pcms->maxmem_given) {
        if (pcms->maxram_size < pcms->ram_size) {
            error_setg(errp, "invalid value of maxmem: maximum memory size "
                       "(0x%" PRIx64 ") must be at least the initial memory "
                       "size (0x%" PRIx64 ")", pcms->maxram_size,
                       pcms->ram_size);
            return false;
        }
        if (pcms->ram_slots && pcms->maxram_size == pcms->ram_size) {
            error_setg(errp, "invalid value of maxmem: memory slots were "
                       "specified but maximum memory size (0x%" PRIx64 ") is "
                       "equal to the initial memory size (0x%" PRIx64 ")",
                       pcms->maxram_size, pcms->ram_size);
            return false;
        }
    } else if (pcms->mem_slots_given) {
        error_setg(errp, "slots specified but no max-size");
        return false;
    } else {
        pcms->maxram_size = pcms->ram_size;
    }
    return true;
}

bool pc_machine_check_device_memory(PCMachineState *pcms, Error **errp)
{
    if (pcms->maxram_size <= pcms->ram_size) {
        return true;
    }
    if (pcms->ram_slots > ACPI_MAX_RAM_SLOTS) {
        error_setg(errp, "unsupported amount of memory slots: %" PRIu64,
                   pcms->ram_slots);
        return false;
    }
    /* QEMU 7.2's words, typo included (TARGET_PAGE_SIZE is 4 KiB). */
    if (!QEMU_IS_ALIGNED(pcms->maxram_size, PC_MAXMEM_ALIGN)) {
        error_setg(errp, "maximum memory size must by aligned to multiple "
                   "of %d bytes", PC_MAXMEM_ALIGN);
        return false;
    }
    return true;
}

bool pc_machine_parse_smp(PCMachineState *pcms, const QemuOpts *opts,
                          Error **errp)
{
    static const char *const keys[] = {
        "cpus", "sockets", "dies", "clusters", "cores", "threads",
        "maxcpus", NULL,
    };
    uint64_t cpus = 0, product = 1, v;
    uint64_t sockets = 0, dies = 1, clusters = 1, cores = 0, threads = 0;
    uint64_t maxcpus = 0;
    guint i;

    if (!qemu_opts_check_keys(opts, keys, errp)) {
        return false;
    }
    for (i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!parse_uint64(opt->value, &v) || v == 0 ||
            v > PC_SMP_MAX_COUNT) {
            error_setg(errp, "Parameter '%s' expects a positive number",
                       opt->key);
            return false;
        }
        if (!strcmp(opt->key, "cpus")) {
            cpus = v;
        } else if (!strcmp(opt->key, "maxcpus")) {
            maxcpus = v;
        } else {
            product *= v;
            if (!strcmp(opt->key, "sockets")) {
                sockets = v;
            } else if (!strcmp(opt->key, "dies")) {
                dies = v;
            } else if (!strcmp(opt->key, "clusters")) {
                clusters = v;
            } else if (!strcmp(opt->key, "cores")) {
                cores = v;
            } else {
                threads = v;
            }
        }
    }
    if (!cpus) {
        cpus = product;
    }
    if (cpus > PC_MAX_CPUS) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The max CPUs "
                   "supported by machine 'pc' is %d", cpus, PC_MAX_CPUS);
        return false;
    }
    pcms->smp_cpus = cpus;
    /* QEMU 7.2's machine_parse_smp_config() for a 7.2 machine: missing
     * counts are 1, except cores, which take what is left. */
    maxcpus = maxcpus ? maxcpus : cpus;
    sockets = sockets ? sockets : 1;
    threads = threads ? threads : 1;
    if (!cores) {
        cores = MAX(maxcpus / (sockets * dies * clusters * threads), 1);
    }
    pcms->smp_sockets = sockets;
    pcms->smp_dies = dies;
    pcms->smp_cores = cores;
    pcms->smp_threads = threads;
    return true;
}

bool pc_machine_parse_numa(PCMachineState *pcms, const QemuOpts *opts,
                           Error **errp)
{
    static const char *const keys[] = {
        "type", "nodeid", "cpus", "memdev", "mem", "initiator", NULL,
    };
    const char *type = qemu_opts_get(opts, "type");
    const char *nodeid = qemu_opts_get(opts, "nodeid");
    const char *memdev = qemu_opts_get(opts, "memdev");

    if (!qemu_opts_check_keys(opts, keys, errp)) {
        return false;
    }
    if (!type || strcmp(type, "node")) {
        error_setg(errp, "pmemvm supports only '-numa node'");
        return false;
    }
    if (nodeid && strcmp(nodeid, "0")) {
        error_setg(errp, "pmemvm supports one NUMA node (nodeid=0)");
        return false;
    }
    if (qemu_opts_get(opts, "mem")) {
        error_setg(errp, "Parameter -numa node,mem is not supported by this "
                   "machine type");
        error_append_hint(errp, "Use -numa node,memdev instead\n");
        return false;
    }
    if (memdev) {
        g_free(pcms->memory_backend);
        pcms->memory_backend = g_strdup(memdev);
        pcms->numa_memdev = true;
    }
    pcms->numa_node = true;
    return true;
}
