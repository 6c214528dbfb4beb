/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 vCPU setup for KVM: CPUID (-cpu), MSRs, LAPIC, FPU and the boot
 * CPU's registers for the 64-bit Linux entry.
 *
 * -cpu models: pmemvm does not emulate QEMU's named CPU models.  "host"
 * and "max" give the guest everything KVM_GET_SUPPORTED_CPUID offers;
 * "qemu64" and "kvm64" (QEMU's defaults, which libvirt passes) are
 * accepted and get the same set, so that clflushopt/clwb reach the guest
 * when the host has them.  "+flag"/"-flag"/"flag=on|off" adjust the flags
 * in kvm_cpu_flags[]; other properties QEMU takes are ignored with a
 * warning.  Topology: one vCPU per package (QEMU's default for -smp N),
 * APIC id = vCPU index.
 */
#include "qemu/osdep.h"
#include <sys/ioctl.h>
#include "accel/kvm/kvm-internal.h"
#include "hw/i386/boot-cpu.h"
#include "hw/core/memory.h"

/* CPUID leaves and bits (Intel SDM vol. 2A "CPUID"; AMD APM vol. 3). */
#define CPUID_LEAF_FEATURES         0x1
#define CPUID_LEAF_CACHE_PARAMS     0x4     /* Intel deterministic cache */
#define CPUID_LEAF_EXT_TOPOLOGY     0xB
#define CPUID_LEAF_V2_EXT_TOPOLOGY  0x1F
#define CPUID_LEAF_EXT_FEATURES     0x80000001
#define CPUID_LEAF_AMD_SIZES        0x80000008
#define CPUID_LEAF_AMD_TOPOLOGY     0x8000001E
#define CPUID_1_EDX_MTRR            (1U << 12)
#define CPUID_1_EDX_HTT             (1U << 28)
#define CPUID_1_ECX_TSC_DEADLINE    (1U << 24)
#define CPUID_1_ECX_HYPERVISOR      (1U << 31)
#define CPUID_1_EBX_CLFLUSH_MASK    0x0000FF00U
#define CPUID_1_EBX_CLFLUSH_64B     (8U << 8)   /* in 8-byte units */
#define CPUID_4_EAX_TOPO_MASK       0xFFFFC000U /* bits 31:14 */
#define CPUID_TOPO_LEVEL_SMT        1
#define CPUID_TOPO_LEVEL_CORE       2

/* MSRs (Intel SDM vol. 4). */
#define MSR_IA32_SYSENTER_CS        0x174
#define MSR_IA32_SYSENTER_ESP       0x175
#define MSR_IA32_SYSENTER_EIP       0x176
#define MSR_IA32_MISC_ENABLE        0x1A0
#define MSR_MISC_ENABLE_FAST_STRING (1ULL << 0)
#define MSR_MTRR_DEF_TYPE           0x2FF
#define MSR_MTRR_ENABLE             (1ULL << 11)
#define MSR_MTRR_TYPE_WB            6ULL
#define MSR_STAR                    0xC0000081
#define MSR_LSTAR                   0xC0000082
#define MSR_CSTAR                   0xC0000083
#define MSR_SYSCALL_MASK            0xC0000084
#define MSR_KERNEL_GS_BASE          0xC0000102
#define MSR_IA32_TSC_DEADLINE       0x6E0
/* KVM paravirtual MSRs a guest points at its memory (Linux's
 * Documentation/virt/kvm/x86/msr.rst); 0 turns each off. */
#define MSR_KVM_SYSTEM_TIME         0x12
#define MSR_KVM_SYSTEM_TIME_NEW     0x4B564D01
#define MSR_KVM_ASYNC_PF_EN         0x4B564D02
#define MSR_KVM_STEAL_TIME          0x4B564D03
#define MSR_KVM_PV_EOI_EN           0x4B564D04
#define XCR0_X87                    1ULL    /* XCR0 at reset (SDM 13.3) */

/* Local APIC registers and LVT delivery modes (SDM vol. 3A §11.5.1). */
#define APIC_LVT_LINT0              0x350
#define APIC_LVT_LINT1              0x360
#define APIC_LVT_DM_MASK            (7U << 8)
#define APIC_LVT_DM_NMI             (4U << 8)
#define APIC_LVT_DM_EXTINT          (7U << 8)

/* Power-on x87/SSE control words (SDM vol. 1 §8.1.5, §10.2.3). */
#define FPU_FCW_RESET               0x37F
#define FPU_MXCSR_RESET             0x1F80

/* Control registers for the 64-bit entry (SDM vol. 3A §2.5). */
#define X86_CR0_PE                  (1ULL << 0)
#define X86_CR0_ET                  (1ULL << 4)
#define X86_CR0_NE                  (1ULL << 5)
#define X86_CR0_PG                  (1ULL << 31)
#define X86_CR4_PAE                 (1ULL << 5)
#define X86_EFER_LME                (1ULL << 8)
#define X86_EFER_LMA                (1ULL << 10)
#define X86_RFLAGS_RESERVED1        (1ULL << 1)

/* Segment descriptor types (SDM vol. 3A §3.4.5.1, §7.2.2). */
#define SEG_TYPE_CODE_XR_ACCESSED   0xB
#define SEG_TYPE_DATA_RW_ACCESSED   0x3
#define SEG_TYPE_TSS64_BUSY         0xB
#define TSS64_LIMIT                 0x67

enum { R_EAX, R_EBX, R_ECX, R_EDX };

typedef struct KVMCpuFlag {
    const char *name;
    uint32_t function;
    uint32_t index;
    int reg;
    int bit;
} KVMCpuFlag;

static const KVMCpuFlag kvm_cpu_flags[] = {
    { "clflushopt", 7, 0, R_EBX, 23 },
    { "clwb", 7, 0, R_EBX, 24 },
    { "avx2", 7, 0, R_EBX, 5 },
    { "invpcid", 7, 0, R_EBX, 10 },
    { "avx512f", 7, 0, R_EBX, 16 },
    { "rdseed", 7, 0, R_EBX, 18 },
    { "pku", 7, 0, R_ECX, 3 },
    { "la57", 7, 0, R_ECX, 16 },
    { "vmx", 1, 0, R_ECX, 5 },
    { "pcid", 1, 0, R_ECX, 17 },
    { "x2apic", 1, 0, R_ECX, 21 },
    { "tsc-deadline", 1, 0, R_ECX, 24 },
    { "xsave", 1, 0, R_ECX, 26 },
    { "avx", 1, 0, R_ECX, 28 },
    { "rdrand", 1, 0, R_ECX, 30 },
    { "hypervisor", 1, 0, R_ECX, 31 },
    { "svm", CPUID_LEAF_EXT_FEATURES, 0, R_ECX, 2 },
    { "pdpe1gb", CPUID_LEAF_EXT_FEATURES, 0, R_EDX, 26 },
};

const char *const kvm_cpu_models[] = {
    "host", "max", "qemu64", "kvm64", NULL,
};

/* QEMU -cpu properties that make no difference here. */
static const char *const kvm_cpu_ignored_props[] = {
    "migratable", "check", "enforce", "host-phys-bits", "host-cache-info",
    "l3-cache", "kvm", "pmu", "kvmclock", "kvm-pv-eoi", "kvm_pv_eoi",
    "kvm-pv-unhalt", "kvm_pv_unhalt", NULL,
};

static uint32_t *cpuid_reg(struct kvm_cpuid_entry2 *e, int reg)
{
    switch (reg) {
    case R_EAX:
        return &e->eax;
    case R_EBX:
        return &e->ebx;
    case R_ECX:
        return &e->ecx;
    default:
        return &e->edx;
    }
}

static struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c,
                                           uint32_t function, uint32_t index)
{
    uint32_t i;

    for (i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];

        if (e->function == function &&
            (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
             e->index == index)) {
            return e;
        }
    }
    return NULL;
}

static struct kvm_cpuid2 *kvm_get_supported_cpuid(KVMState *s, Error **errp)
{
    uint32_t nent = 64;

    for (;;) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                         nent * sizeof(c->entries[0]));

        c->nent = nent;
        if (kvm_ioctl(s->fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
            return c;
        }
        g_free(c);
        if (errno != E2BIG || nent >= 4096) {
            error_setg_errno(errp, errno, "KVM_GET_SUPPORTED_CPUID");
            return NULL;
        }
        nent *= 2;
    }
}

static const KVMCpuFlag *kvm_cpu_flag_find(const char *name)
{
    g_autofree char *norm = g_strdelimit(g_strdup(name), "_", '-');
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(kvm_cpu_flags); i++) {
        if (!strcmp(kvm_cpu_flags[i].name, norm)) {
            return &kvm_cpu_flags[i];
        }
    }
    return NULL;
}

/* Apply "+flag", "-flag", "flag=on|off" or an ignored property. */
static bool kvm_cpu_apply_option(struct kvm_cpuid2 *c,
                                 struct kvm_cpuid2 *supported,
                                 const char *model, const char *opt,
                                 Error **errp)
{
    static const char *const reg_names[] = { "EAX", "EBX", "ECX", "EDX" };
    g_autofree char *name = NULL;
    const char *eq = strchr(opt, '=');
    const KVMCpuFlag *f;
    struct kvm_cpuid_entry2 *e, *host;
    bool on = true;

    if (opt[0] == '+' || opt[0] == '-') {
        on = opt[0] == '+';
        name = g_strdup(opt + 1);
    } else if (eq) {
        const char *v = eq + 1;

        name = g_strndup(opt, eq - opt);
        if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) {
            on = false;
        } else if (strcmp(v, "on") && strcmp(v, "true") && strcmp(v, "yes") &&
                   kvm_cpu_flag_find(name)) {
            error_setg(errp, "-cpu %s: property '%s' expects on or off",
                       model, name);
            return false;
        }
    } else {
        name = g_strdup(opt);
    }
    f = kvm_cpu_flag_find(name);
    if (!f) {
        if (!g_strv_contains(kvm_cpu_ignored_props, name)) {
            warn_report("-cpu %s: ignoring '%s' (pmemvm passes the host's "
                        "KVM-supported CPUID and knows no such flag)", model,
                        opt);
        }
        return true;
    }
    e = cpuid_find(c, f->function, f->index);
    if (!on) {
        if (e) {
            *cpuid_reg(e, f->reg) &= ~(1U << f->bit);
        }
        return true;
    }
    host = cpuid_find(supported, f->function, f->index);
    if (!e || !host || !(*cpuid_reg(host, f->reg) & (1U << f->bit))) {
        warn_report("host doesn't support requested feature: CPUID.%02XH:"
                    "%s.%s [bit %d]", f->function, reg_names[f->reg],
                    f->name, f->bit);
        return true;
    }
    *cpuid_reg(e, f->reg) |= 1U << f->bit;
    return true;
}

struct kvm_cpuid2 *kvm_cpu_build_cpuid(KVMState *s, const char *cpu_model,
                                       Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(cpu_model, ",", -1);
    g_autofree struct kvm_cpuid2 *supported = NULL;
    struct kvm_cpuid2 *c;
    struct kvm_cpuid_entry2 *e;
    size_t size;
    int i;

    if (!parts[0] || !g_strv_contains(kvm_cpu_models, parts[0])) {
        error_setg(errp, "unable to find CPU model '%s'",
                   parts[0] ? parts[0] : "");
        error_append_hint(errp, "pmemvm accepts -cpu host, max, qemu64 and "
                          "kvm64 (all give the KVM-supported CPUID).\n");
        return NULL;
    }
    supported = kvm_get_supported_cpuid(s, errp);
    if (!supported) {
        return NULL;
    }
    size = sizeof(*c) + supported->nent * sizeof(c->entries[0]);
    c = g_memdup2(supported, size);

    /*
     * KVM emulates the TSC deadline timer but may not list it; the
     * hypervisor bit is ours to set, and Linux looks for KVM's leaves
     * (kvmclock, PV features) only when it is.
     */
    for (i = 0; i < 2; i++) {
        e = cpuid_find(i ? supported : c, CPUID_LEAF_FEATURES, 0);
        if (e) {
            e->ecx |= CPUID_1_ECX_HYPERVISOR |
                      (s->tsc_deadline ? CPUID_1_ECX_TSC_DEADLINE : 0);
        }
    }
    for (i = 1; parts[i]; i++) {
        if (parts[i][0] &&
            !kvm_cpu_apply_option(c, supported, cpu_model, parts[i], errp)) {
            g_free(c);
            return NULL;
        }
    }
    return c;
}

/* Leaf 0xB/0x1F sub-leaf for one package per vCPU (SDM "CPUID", 0BH). */
static void cpuid_set_ext_topology(struct kvm_cpuid_entry2 *e, uint32_t apic)
{
    e->eax = 0;         /* no id bits below the next level */
    e->ebx = e->index <= 1 ? 1 : 0;
    e->ecx = e->index;
    if (e->index == 0) {
        e->ecx |= CPUID_TOPO_LEVEL_SMT << 8;
    } else if (e->index == 1) {
        e->ecx |= CPUID_TOPO_LEVEL_CORE << 8;
    }
    e->edx = apic;
}

/* The template with this vCPU's APIC id and topology filled in. */
static struct kvm_cpuid2 *kvm_cpu_cpuid_for(KVMState *s, uint32_t apic)
{
    size_t size = sizeof(*s->cpuid) +
                  s->cpuid->nent * sizeof(s->cpuid->entries[0]);
    struct kvm_cpuid2 *c = g_memdup2(s->cpuid, size);
    uint32_t i;

    for (i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];

        switch (e->function) {
        case CPUID_LEAF_FEATURES:
            if (!(e->ebx & CPUID_1_EBX_CLFLUSH_MASK)) {
                e->ebx |= CPUID_1_EBX_CLFLUSH_64B;
            }
            /* APIC id 31:24; one logical processor per package 23:16. */
            e->ebx = (e->ebx & CPUID_1_EBX_CLFLUSH_MASK) | (apic << 24) |
                     (1U << 16);
            e->edx &= ~CPUID_1_EDX_HTT;
            break;
        case CPUID_LEAF_CACHE_PARAMS:
            /* Cores per package - 1 (31:26), sharing threads - 1 (25:14). */
            e->eax &= ~CPUID_4_EAX_TOPO_MASK;
            break;
        case CPUID_LEAF_EXT_TOPOLOGY:
        case CPUID_LEAF_V2_EXT_TOPOLOGY:
            cpuid_set_ext_topology(e, apic);
            break;
        case CPUID_LEAF_AMD_SIZES:
            e->ecx &= ~0xF0FFU;     /* NC = 0, ApicIdCoreIdSize = 0 */
            break;
        case CPUID_LEAF_AMD_TOPOLOGY:
            e->eax = apic;          /* extended APIC id */
            e->ebx = 0;             /* core 0, one thread per core */
            e->ecx = 0;             /* node 0, one node per package */
            break;
        }
    }
    return c;
}

typedef struct KVMMsrValue {
    uint32_t index;
    uint64_t value;
} KVMMsrValue;

/* Set at creation and again on reset. */
static const KVMMsrValue kvm_boot_msrs[] = {
    { MSR_IA32_SYSENTER_CS, 0 },
    { MSR_IA32_SYSENTER_ESP, 0 },
    { MSR_IA32_SYSENTER_EIP, 0 },
    { MSR_STAR, 0 },
    { MSR_LSTAR, 0 },
    { MSR_CSTAR, 0 },
    { MSR_SYSCALL_MASK, 0 },
    { MSR_KERNEL_GS_BASE, 0 },
    { MSR_IA32_MISC_ENABLE, MSR_MISC_ENABLE_FAST_STRING },
    /* Write-back by default; without it memory is uncacheable. */
    { MSR_MTRR_DEF_TYPE, MSR_MTRR_ENABLE | MSR_MTRR_TYPE_WB },
};

/* Only on reset: stop KVM writing into the old kernel's memory. */
static const KVMMsrValue kvm_reset_msrs[] = {
    { MSR_KVM_SYSTEM_TIME_NEW, 0 },
    { MSR_KVM_SYSTEM_TIME, 0 },
    { MSR_KVM_ASYNC_PF_EN, 0 },
    { MSR_KVM_STEAL_TIME, 0 },
    { MSR_KVM_PV_EOI_EN, 0 },
    { MSR_IA32_TSC_DEADLINE, 0 },
};

static void kvm_cpu_set_msrs(KVMVCpu *cpu, const KVMMsrValue *msrs,
                             unsigned n, bool has_mtrr)
{
    g_autofree struct kvm_msrs *one =
        g_malloc0(sizeof(*one) + sizeof(one->entries[0]));
    unsigned i;

    for (i = 0; i < n; i++) {
        if (msrs[i].index == MSR_MTRR_DEF_TYPE && !has_mtrr) {
            continue;
        }
        one->nmsrs = 1;
        one->entries[0].index = msrs[i].index;
        one->entries[0].data = msrs[i].value;
        /* KVM_SET_MSRS returns how many it set; a host without one of
         * these MSRs is not fatal for a Linux guest (and the reset list
         * may name PV MSRs the host lacks: no warning for those). */
        if (kvm_ioctl(cpu->fd, KVM_SET_MSRS, one) != 1 && cpu->index == 0 &&
            msrs == kvm_boot_msrs) {
            warn_report("KVM: cannot set MSR 0x%x", msrs[i].index);
        }
    }
}

static bool kvm_cpu_has_mtrr(KVMState *s)
{
    struct kvm_cpuid_entry2 *leaf1 = cpuid_find(s->cpuid,
                                                CPUID_LEAF_FEATURES, 0);

    return leaf1 && (leaf1->edx & CPUID_1_EDX_MTRR);
}

static uint32_t lapic_get(const struct kvm_lapic_state *l, unsigned reg)
{
    uint32_t v;

    memcpy(&v, &l->regs[reg], sizeof(v));
    return GUINT32_FROM_LE(v);
}

static void lapic_set(struct kvm_lapic_state *l, unsigned reg, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(&l->regs[reg], &v, sizeof(v));
}

static bool kvm_cpu_save_reset_state(KVMVCpu *cpu, Error **errp)
{
    KVMVCpuResetState *r = g_new0(KVMVCpuResetState, 1);

    cpu->reset = r;
    if (kvm_ioctl(cpu->fd, KVM_GET_REGS, &r->regs) < 0 ||
        kvm_ioctl(cpu->fd, KVM_GET_SREGS, &r->sregs) < 0 ||
        kvm_ioctl(cpu->fd, KVM_GET_FPU, &r->fpu) < 0 ||
        kvm_ioctl(cpu->fd, KVM_GET_LAPIC, &r->lapic) < 0) {
        error_setg_errno(errp, errno, "cannot read the vCPU's initial state");
        return false;
    }
    return true;
}

bool kvm_cpu_setup(KVMState *s, KVMVCpu *cpu, Error **errp)
{
    g_autofree struct kvm_cpuid2 *cpuid = kvm_cpu_cpuid_for(s, cpu->index);
    struct kvm_lapic_state lapic;
    struct kvm_fpu fpu = { .fcw = FPU_FCW_RESET, .mxcsr = FPU_MXCSR_RESET };

    if (kvm_ioctl(cpu->fd, KVM_SET_CPUID2, cpuid) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_CPUID2");
        return false;
    }
    kvm_cpu_set_msrs(cpu, kvm_boot_msrs, ARRAY_SIZE(kvm_boot_msrs),
                     kvm_cpu_has_mtrr(s));

    /* Virtual-wire mode as a PC BIOS leaves it: LINT0 takes the PIC's
     * ExtINT, LINT1 is NMI (MP spec 1.4 §3.6.2.2). */
    if (kvm_ioctl(cpu->fd, KVM_GET_LAPIC, &lapic) < 0) {
        error_setg_errno(errp, errno, "KVM_GET_LAPIC");
        return false;
    }
    lapic_set(&lapic, APIC_LVT_LINT0,
              (lapic_get(&lapic, APIC_LVT_LINT0) & ~APIC_LVT_DM_MASK) |
              APIC_LVT_DM_EXTINT);
    lapic_set(&lapic, APIC_LVT_LINT1,
              (lapic_get(&lapic, APIC_LVT_LINT1) & ~APIC_LVT_DM_MASK) |
              APIC_LVT_DM_NMI);
    if (kvm_ioctl(cpu->fd, KVM_SET_LAPIC, &lapic) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_LAPIC");
        return false;
    }
    if (kvm_ioctl(cpu->fd, KVM_SET_FPU, &fpu) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_FPU");
        return false;
    }
    return kvm_cpu_save_reset_state(cpu, errp);
}

bool kvm_cpu_reset(KVMState *s, KVMVCpu *cpu, Error **errp)
{
    KVMVCpuResetState *r = cpu->reset;
    /* The BSP runs at once, the others wait for INIT/SIPI (SDM 8.4). */
    struct kvm_mp_state mp = {
        .mp_state = cpu->index ? KVM_MP_STATE_UNINITIALIZED
                               : KVM_MP_STATE_RUNNABLE,
    };
    struct kvm_vcpu_events events = {
        .flags = KVM_VCPUEVENT_VALID_NMI_PENDING,
    };
    struct kvm_xcrs xcrs = {
        .nr_xcrs = 1,
        .xcrs[0] = { .xcr = 0, .value = XCR0_X87 },
    };

    /* SREGS first: it takes the APIC out of x2APIC mode before the LAPIC
     * registers are written in xAPIC format. */
    if (kvm_ioctl(cpu->fd, KVM_SET_SREGS, &r->sregs) < 0 ||
        kvm_ioctl(cpu->fd, KVM_SET_REGS, &r->regs) < 0 ||
        kvm_ioctl(cpu->fd, KVM_SET_FPU, &r->fpu) < 0 ||
        kvm_ioctl(cpu->fd, KVM_SET_LAPIC, &r->lapic) < 0 ||
        kvm_ioctl(cpu->fd, KVM_SET_VCPU_EVENTS, &events) < 0 ||
        (s->has_xcrs && kvm_ioctl(cpu->fd, KVM_SET_XCRS, &xcrs) < 0) ||
        kvm_ioctl(cpu->fd, KVM_SET_MP_STATE, &mp) < 0) {
        error_setg_errno(errp, errno, "cannot reset vCPU %u", cpu->index);
        return false;
    }
    kvm_cpu_set_msrs(cpu, kvm_boot_msrs, ARRAY_SIZE(kvm_boot_msrs),
                     kvm_cpu_has_mtrr(s));
    kvm_cpu_set_msrs(cpu, kvm_reset_msrs, ARRAY_SIZE(kvm_reset_msrs), false);
    return true;
}

/* A flat 4 GiB segment; @code64: a 64-bit code segment (L), else D/B. */
static void kvm_segment_flat(struct kvm_segment *seg, uint16_t selector,
                             uint8_t type, bool code64)
{
    memset(seg, 0, sizeof(*seg));
    seg->base = 0;
    seg->limit = 0xFFFFFFFF;
    seg->selector = selector;
    seg->type = type;
    seg->present = 1;
    seg->s = 1;         /* code or data, not system */
    seg->g = 1;
    seg->l = code64;
    seg->db = !code64;  /* L and D/B may not both be set */
}

bool kvm_cpu_set_boot_state(const X86BootCPUState *b, Error **errp)
{
    KVMVCpu *cpu;
    struct kvm_sregs sregs;
    struct kvm_regs regs = {
        .rflags = X86_RFLAGS_RESERVED1,     /* IF clear */
        .rip = b->rip,
        .rsi = b->rsi,
        .rbx = b->rbx,
        .rsp = b->rsp,
        .rbp = b->rsp,
    };

    if (!kvm_state) {
        return true;
    }
    cpu = &kvm_state->vcpus[0];
    if (kvm_ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0) {
        error_setg_errno(errp, errno, "KVM_GET_SREGS");
        return false;
    }
    kvm_segment_flat(&sregs.cs, b->code_selector, SEG_TYPE_CODE_XR_ACCESSED,
                     !b->pvh32);
    kvm_segment_flat(&sregs.ds, b->data_selector, SEG_TYPE_DATA_RW_ACCESSED,
                     false);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    memset(&sregs.tr, 0, sizeof(sregs.tr));
    sregs.tr.selector = b->tss_selector;
    sregs.tr.limit = TSS64_LIMIT;
    sregs.tr.type = SEG_TYPE_TSS64_BUSY;  /* = busy 32-bit TSS (PVH) */
    sregs.tr.present = 1;
    sregs.gdt.base = b->gdt_base;
    sregs.gdt.limit = b->gdt_limit;
    sregs.idt.base = b->idt_base;
    sregs.idt.limit = b->idt_limit;
    if (b->pvh32) {
        /* PVH: CR0.PE (ET is fixed to 1), all else clear. */
        sregs.cr0 = X86_CR0_PE | X86_CR0_ET;
        sregs.cr3 = 0;
        sregs.cr4 = 0;
        sregs.efer = 0;
    } else {
        sregs.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
        sregs.cr3 = b->cr3;
        sregs.cr4 = X86_CR4_PAE;
        sregs.efer = X86_EFER_LME | X86_EFER_LMA;
    }
    if (kvm_ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_SREGS (%s boot state)",
                         b->pvh32 ? "32-bit PVH" : "64-bit");
        return false;
    }
    if (kvm_ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_REGS");
        return false;
    }
    return true;
}

void kvm_cpu_dump_state(KVMVCpu *cpu)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_translation tr = { 0 };
    uint8_t code[16];
    GString *bytes = g_string_new(NULL);
    unsigned i;

    if (kvm_ioctl(cpu->fd, KVM_GET_REGS, &r) < 0 ||
        kvm_ioctl(cpu->fd, KVM_GET_SREGS, &s) < 0) {
        g_string_free(bytes, TRUE);
        return;
    }
    tr.linear_address = s.cs.base + r.rip;
    if (kvm_ioctl(cpu->fd, KVM_TRANSLATE, &tr) == 0 && tr.valid &&
        guest_memory_read(tr.physical_address, code, sizeof(code))) {
        for (i = 0; i < sizeof(code); i++) {
            g_string_append_printf(bytes, " %02x", code[i]);
        }
    }
    fprintf(stderr,
            "RIP=%016llx RSP=%016llx RFLAGS=%08llx CS=%04x\n"
            "RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n"
            "RSI=%016llx RDI=%016llx RBP=%016llx\n"
            "CR0=%08llx CR2=%016llx CR3=%016llx CR4=%08llx EFER=%llx\n"
            "code at RIP:%s\n",
            r.rip, r.rsp, r.rflags, s.cs.selector, r.rax, r.rbx, r.rcx, r.rdx,
            r.rsi, r.rdi, r.rbp, s.cr0, s.cr2, s.cr3, s.cr4, s.efer,
            bytes->len ? bytes->str : " (unavailable)");
    g_string_free(bytes, TRUE);
}
