/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine's -m, -smp and -numa options, with QEMU 7.2's checks and
 * messages.  Each parse function refuses what is wrong in the option's own
 * text (system/vl.c prefixes the error with the option as typed);
 * pc_machine_check_memory() refuses combinations, which QEMU reports
 * without the option's location.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/i386/pc.h"

/* Max memory slots the ACPI tables can describe (QEMU's ACPI_MAX_RAM_SLOTS). */
#define ACPI_MAX_RAM_SLOTS 256
/* vCPUs the MADT and KVM setup support. */
#define PMEMVM_MAX_CPUS 255
/* QEMU's default and minimum -m: 128 MiB; sizes round up to 8 KiB. */
#define PC_DEFAULT_RAM_SIZE (128 * MiB)
#define PC_RAM_SIZE_ALIGN   8192
/* -smp counts QEMU's parser takes. */
#define PC_SMP_MAX_COUNT    4096

static void size_hint(Error **errp)
{
    error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
                      "kilo-, mega-, giga-, tera-, peta-\n"
                      "and exabytes, respectively.\n");
}

bool pc_machine_parse_memory(PCMachineState *pcms, const QemuOpts *opts,
                             Error **errp)
{
    static const char *const keys[] = { "size", "slots", "maxmem", NULL };
    const char *size = qemu_opts_get(opts, "size");
    const char *slots = qemu_opts_get(opts, "slots");
    const char *maxmem = qemu_opts_get(opts, "maxmem");
    uint64_t v;

    if (!qemu_opts_check_keys(opts, keys, errp)) {
        return false;
    }
    if (size) {
        if (!parse_size_unit(size, MiB, &v)) {
            error_setg(errp, "Parameter 'size' expects a non-negative number "
                       "below 2^64");
            size_hint(errp);
            return false;
        }
        if (v == 0) {
            v = PC_DEFAULT_RAM_SIZE;
        }
        pcms->ram_size = QEMU_ALIGN_UP(v, PC_RAM_SIZE_ALIGN);
    }
    if (!pcms->ram_size) {
        pcms->ram_size = PC_DEFAULT_RAM_SIZE;
    }
    pcms->mem_slots_given = slots != NULL;
    pcms->maxmem_given = maxmem != NULL;
    if (slots) {
        if (!parse_uint64(slots, &v)) {
            /* QemuOpts' QEMU_OPT_NUMBER wording */
            error_setg(errp, "Parameter 'slots' expects a number");
            return false;
        }
        pcms->ram_slots = MIN(v, (uint64_t)UINT32_MAX);
    }
    if (maxmem) {
        if (!parse_size(maxmem, &v)) {
            /* QemuOpts' QEMU_OPT_SIZE wording, as for 'size' */
            error_setg(errp, "Parameter 'maxmem' expects a non-negative "
                       "number below 2^64");
            size_hint(errp);
            return false;
        }
        pcms->maxram_size = v;
    }
    return true;
}

bool pc_machine_check_memory(PCMachineState *pcms, Error **errp)
{
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
    }
    if (pcms->ram_slots > ACPI_MAX_RAM_SLOTS) {
        error_setg(errp, "unsupported amount of memory slots: %" PRIu32,
                   pcms->ram_slots);
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
    if (cpus > PMEMVM_MAX_CPUS) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The max CPUs "
                   "supported by machine 'pc' is %d", cpus, PMEMVM_MAX_CPUS);
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
    }
    pcms->numa_node = true;
    return true;
}
