/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NVDIMM SSDT and the NFIT (docs/specs/acpi_nvdimm.md; ACPI 6.4 §5.2.25,
 * ch. 9 "NVDIMM Devices", §6.5.10 "NVDIMM Label Methods").
 *
 * The guest sees what QEMU 7.2 gives it, written out here in ASL:
 *
 *   Name (MEMA, 0x000DF000)                // DSM page, always a DWord
 *   Scope (\_SB) {
 *     Device (NVDR) {
 *       Name (_HID, "ACPI0012")
 *       OperationRegion (NPIO, SystemIO, 0x0A18, 4)   // { NTFI, 32 }
 *       OperationRegion (NRAM, SystemMemory, \MEMA, 0x1000)
 *       Field (NRAM, ...) { HDLE,32, REVS,32, FUNC,32, FARG,32672 } // in
 *       Field (NRAM, ...) { RLEN,32, ODAT,32736 }                 // out
 *       Name (RSTA, Zero)                  // status of the last RFIT
 *       Method (NCAL, 5, Serialized)       // (uuid, rev, func, pkg, handle)
 *       Method (_DSM, 4)                   // NCAL (..., 0)
 *       Method (RFIT, 1, Serialized)       // one Read FIT chunk
 *       Method (_FIT, 0, Serialized)       // the whole FIT
 *       Method (LSIH/LSRH/LSWH, ...)       // label methods of a handle
 *       Device (NV00) {                    // one per slot: NV00..NVFF
 *         Name (_ADR, 1)                   // slot + 1 = NFIT handle
 *         Method (_DSM, 4)  Method (_LSI, 0)
 *         Method (_LSR, 2)  Method (_LSW, 3)
 *       }
 *     }
 *   }
 *
 * Each NVxx label method calls one shared helper in NVDR rather than
 * repeating QEMU's per-device bodies, which keeps 256 slots inside the
 * ACPI area.  The values they return have QEMU's types (Linux 6.1
 * drivers/acpi/nfit/core.c: _LSI and _LSR a Package of Integers and a
 * Buffer, _LSW an Integer); a short reply from the VMM reads as zeros
 * instead of raising an AML error as QEMU's does.
 */
#include "qemu/osdep.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/nvdimm.h"
#include "hw/i386/layout.h"

/* As QEMU 7.2: revision 1 (32-bit AML integers), OEM table id "NVDIMM". */
#define NVDIMM_SSDT_REVISION        1
#define NVDIMM_SSDT_OEM_TABLE_ID    "NVDIMM"
/* NFIT (ACPI 6.4 §5.2.25): revision 1, 4 reserved bytes after the header. */
#define NVDIMM_NFIT_REVISION        1
#define NVDIMM_NFIT_RESERVED_LEN    4

/* "NV" + two hex digits of the slot. */
#define NVDIMM_MAX_SLOTS            256

/* _DSM UUIDs per handle (docs/specs/acpi_nvdimm.md, "_DSM protocol"). */
#define NVDIMM_UUID_ROOT            "2F10E7A4-9E91-11E4-89D3-123B93F75CBA"
#define NVDIMM_UUID_VMM             "648B9CF2-CDA1-4312-8AD9-49C4AF32BD62"
#define NVDIMM_UUID_DIMM            "4309AC30-0D11-11E4-9191-0800200C9A66"

/* _DSM functions and replies (docs/specs/acpi_nvdimm.md, "_DSM protocol"). */
#define NVDIMM_DSM_REVISION         1
#define NVDIMM_FUNC_QUERY           0
#define NVDIMM_FUNC_READ_FIT        1   /* handle 0x10000 */
#define NVDIMM_FUNC_GET_LABEL_SIZE  4
#define NVDIMM_FUNC_GET_LABEL_DATA  5
#define NVDIMM_FUNC_SET_LABEL_DATA  6
#define NVDIMM_REPLY_STATUS         0   /* payload offsets */
#define NVDIMM_REPLY_DATA           4
#define NVDIMM_REPLY_LABEL_SIZE     4
#define NVDIMM_REPLY_MAX_XFER       8
#define NVDIMM_REPLY_LSI_LEN        12
/* Arg3 of functions 5 and 6: u32 offset, u32 length (, data). */
#define NVDIMM_LABEL_ARG_LEN        8
#define NVDIMM_LABEL_ARG_OFFSET     0
#define NVDIMM_LABEL_ARG_LENGTH     4
/* _DSM's Arg3 is a Package of one Buffer. */
#define NVDIMM_ARG3_ELEMENTS        1
/* Not-supported answers of a _DSM called with the wrong UUID (QEMU 7.2). */
static const uint8_t nvdimm_no_functions = 0;
static const uint8_t nvdimm_unsupported = NVDIMM_DSM_RET_STATUS_UNSUPPORT;

/* Names. */
#define NVDIMM_MEMA     "MEMA"
#define NVDIMM_MEMA_ABS "\\MEMA"
#define NVDIMM_NCAL     "NCAL"
#define NVDIMM_RFIT     "RFIT"
#define NVDIMM_RSTA     "RSTA"
#define NVDIMM_LSIH     "LSIH"
#define NVDIMM_LSRH     "LSRH"
#define NVDIMM_LSWH     "LSWH"

#define BITS(bytes)     ((bytes) * 8)

static void build_regions(Aml *dev)
{
    Aml *f;

    aml_append(dev, aml_operation_region("NPIO", AML_SYSTEM_IO,
                                         aml_int(LAYOUT_PORT_NVDIMM_DSM),
                                         aml_int(LAYOUT_PORT_NVDIMM_DSM_LEN)));
    f = aml_field("NPIO", AML_DWORD_ACC, AML_NOLOCK, AML_PRESERVE);
    aml_field_named(f, "NTFI", BITS(LAYOUT_PORT_NVDIMM_DSM_LEN));
    aml_append(dev, f);

    aml_append(dev, aml_operation_region("NRAM", AML_SYSTEM_MEMORY,
                                         aml_name(NVDIMM_MEMA_ABS),
                                         aml_int(NVDIMM_DSM_MEMORY_SIZE)));
    /* The page as the method writes it... */
    f = aml_field("NRAM", AML_DWORD_ACC, AML_NOLOCK, AML_PRESERVE);
    aml_field_offset(f, NVDIMM_DSM_IN_HANDLE);
    aml_field_named(f, "HDLE", BITS(sizeof(uint32_t)));
    aml_field_offset(f, NVDIMM_DSM_IN_REVISION);
    aml_field_named(f, "REVS", BITS(sizeof(uint32_t)));
    aml_field_offset(f, NVDIMM_DSM_IN_FUNCTION);
    aml_field_named(f, "FUNC", BITS(sizeof(uint32_t)));
    aml_field_offset(f, NVDIMM_DSM_IN_ARG3);
    aml_field_named(f, "FARG", BITS(NVDIMM_DSM_ARG3_SIZE));
    aml_append(dev, f);
    /* ...and as the VMM answers in it. */
    f = aml_field("NRAM", AML_DWORD_ACC, AML_NOLOCK, AML_PRESERVE);
    aml_field_offset(f, NVDIMM_DSM_OUT_RLEN);
    aml_field_named(f, "RLEN", BITS(sizeof(uint32_t)));
    aml_field_offset(f, NVDIMM_DSM_OUT_PAYLOAD);
    aml_field_named(f, "ODAT",
                    BITS(NVDIMM_DSM_MEMORY_SIZE - NVDIMM_DSM_OUT_PAYLOAD));
    aml_append(dev, f);
}

/*
 * NCAL (Arg0 UUID, Arg1 revision, Arg2 function, Arg3 Package{Buffer},
 * Arg4 handle): one request through the DSM page; returns the payload.
 */
static void build_ncal(Aml *dev)
{
    Aml *m = aml_method(NVDIMM_NCAL, 5, AML_SERIALIZED);
    Aml *ifc, *elc, *inner;

    /* Local0 = the UUID that goes with the handle. */
    ifc = aml_if(aml_lequal(aml_arg(4), aml_int(NVDIMM_ROOT_HANDLE)));
    aml_append(ifc, aml_store(aml_touuid(NVDIMM_UUID_ROOT), aml_local(0)));
    aml_append(m, ifc);
    elc = aml_else();
    ifc = aml_if(aml_lequal(aml_arg(4),
                            aml_int(NVDIMM_QEMU_RSVD_HANDLE_ROOT)));
    aml_append(ifc, aml_store(aml_touuid(NVDIMM_UUID_VMM), aml_local(0)));
    aml_append(elc, ifc);
    inner = aml_else();
    aml_append(inner, aml_store(aml_touuid(NVDIMM_UUID_DIMM), aml_local(0)));
    aml_append(elc, inner);
    aml_append(m, elc);

    /* No page, or a UUID that does not match: nothing is supported. */
    ifc = aml_if(aml_lor(aml_lequal(aml_name(NVDIMM_MEMA_ABS), aml_zero()),
                         aml_lnot(aml_lequal(aml_arg(0), aml_local(0)))));
    inner = aml_if(aml_lequal(aml_arg(2), aml_int(NVDIMM_FUNC_QUERY)));
    aml_append(inner, aml_return(aml_buffer(&nvdimm_no_functions, 1)));
    aml_append(ifc, inner);
    aml_append(ifc, aml_return(aml_buffer(&nvdimm_unsupported, 1)));
    aml_append(m, ifc);

    aml_append(m, aml_store(aml_arg(4), aml_name("HDLE")));
    aml_append(m, aml_store(aml_arg(1), aml_name("REVS")));
    aml_append(m, aml_store(aml_arg(2), aml_name("FUNC")));

    /* Arg3 is Package () { Buffer }: the buffer goes to the page. */
    ifc = aml_if(aml_land(
        aml_lequal(aml_object_type(aml_arg(3)), aml_int(AML_OBJTYPE_PACKAGE)),
        aml_lequal(aml_sizeof(aml_arg(3)), aml_int(NVDIMM_ARG3_ELEMENTS))));
    aml_append(ifc, aml_store(aml_derefof(aml_index(aml_arg(3), aml_zero(),
                                                    NULL)),
                              aml_name("FARG")));
    aml_append(m, ifc);

    /* The port write hands the page to the VMM, which answers in it. */
    aml_append(m, aml_store(aml_name(NVDIMM_MEMA_ABS), aml_name("NTFI")));

    /* RLEN counts itself: return the NVDIMM_DSM_OUT_PAYLOAD.. bytes. */
    aml_append(m, aml_subtract(aml_name("RLEN"),
                               aml_int(NVDIMM_DSM_OUT_PAYLOAD),
                               aml_local(1)));
    aml_append(m, aml_return(aml_mid(aml_name("ODAT"), aml_zero(),
                                     aml_local(1), NULL)));
    aml_append(dev, m);
}

static Aml *call_ncal(const char *uuid, unsigned func, Aml *arg3,
                      Aml *handle)
{
    return aml_call(NVDIMM_NCAL, 5, aml_touuid(uuid),
                    aml_int(NVDIMM_DSM_REVISION), aml_int(func), arg3, handle);
}

/* Store(Package (@n) { Zero... }, Local@local) */
static Aml *new_package(unsigned n, unsigned local)
{
    Aml *pkg = aml_package();
    unsigned i;

    for (i = 0; i < n; i++) {
        aml_append(pkg, aml_zero());
    }
    return aml_store(pkg, aml_local(local));
}

/* Store(@value, Index(Local@local, @i)) */
static Aml *package_set(unsigned local, unsigned i, Aml *value)
{
    return aml_store(value, aml_index(aml_local(local), aml_int(i), NULL));
}

/* RFIT (Arg0 offset): the FIT bytes from the offset, or an empty Buffer. */
static void build_rfit(Aml *dev)
{
    Aml *m = aml_method(NVDIMM_RFIT, 1, AML_SERIALIZED);
    Aml *ifc;

    aml_append(m, new_package(1, 2));
    aml_append(m, package_set(2, 0, aml_arg(0)));
    aml_append(m, aml_store(call_ncal(NVDIMM_UUID_VMM, NVDIMM_FUNC_READ_FIT,
                                      aml_local(2),
                                      aml_int(NVDIMM_QEMU_RSVD_HANDLE_ROOT)),
                            aml_local(0)));
    aml_append(m, aml_create_dword_field(aml_local(0),
                                         aml_int(NVDIMM_REPLY_STATUS),
                                         "STAU"));
    aml_append(m, aml_store(aml_name("STAU"), aml_name(NVDIMM_RSTA)));

    ifc = aml_if(aml_lnot(aml_lequal(aml_name("STAU"),
                                     aml_int(NVDIMM_DSM_RET_STATUS_SUCCESS))));
    aml_append(ifc, aml_return(aml_buffer(NULL, 0)));
    aml_append(m, ifc);

    aml_append(m, aml_subtract(aml_sizeof(aml_local(0)),
                               aml_int(NVDIMM_REPLY_DATA), aml_local(1)));
    ifc = aml_if(aml_lequal(aml_local(1), aml_zero()));
    aml_append(ifc, aml_return(aml_buffer(NULL, 0)));
    aml_append(m, ifc);
    aml_append(m, aml_return(aml_mid(aml_local(0),
                                     aml_int(NVDIMM_REPLY_DATA),
                                     aml_local(1), NULL)));
    aml_append(dev, m);
}

/*
 * _FIT: read chunks until an empty one; start over when the VMM says the
 * FIT changed meanwhile (status 0x100).  As QEMU 7.2, an error status ends
 * the read with what was read so far.
 */
static void build_fit(Aml *dev)
{
    Aml *m = aml_method("_FIT", 0, AML_SERIALIZED);
    Aml *loop, *ifc, *elc;

    aml_append(m, aml_store(aml_buffer(NULL, 0), aml_local(2)));
    aml_append(m, aml_store(aml_zero(), aml_local(3)));

    loop = aml_while(aml_one());
    aml_append(loop, aml_store(aml_call(NVDIMM_RFIT, 1, aml_local(3)),
                               aml_local(0)));
    aml_append(loop, aml_store(aml_sizeof(aml_local(0)), aml_local(1)));

    ifc = aml_if(aml_lequal(aml_name(NVDIMM_RSTA),
                            aml_int(NVDIMM_DSM_RET_STATUS_FIT_CHANGED)));
    aml_append(ifc, aml_store(aml_buffer(NULL, 0), aml_local(2)));
    aml_append(ifc, aml_store(aml_zero(), aml_local(3)));
    aml_append(loop, ifc);

    elc = aml_else();
    ifc = aml_if(aml_lequal(aml_local(1), aml_zero()));
    aml_append(ifc, aml_return(aml_local(2)));
    aml_append(elc, ifc);
    aml_append(elc, aml_add(aml_local(3), aml_local(1), aml_local(3)));
    aml_append(elc, aml_concatenate(aml_local(2), aml_local(0),
                                    aml_local(2)));
    aml_append(loop, elc);
    aml_append(m, loop);
    /* Not reached; keeps the ASL of every path returning a Buffer. */
    aml_append(m, aml_return(aml_local(2)));
    aml_append(dev, m);
}

/*
 * Status of the reply in @reply_local, as the DWord STTS, padding the
 * reply (into Local@pad_local) so that a short one reads as zeros.
 */
static void reply_fields(Aml *m, unsigned reply_local, unsigned pad_local,
                         unsigned pad_len)
{
    aml_append(m, aml_concatenate(aml_local(reply_local),
                                  aml_buffer(NULL, pad_len),
                                  aml_local(pad_local)));
    aml_append(m, aml_create_dword_field(aml_local(pad_local),
                                         aml_int(NVDIMM_REPLY_STATUS),
                                         "STTS"));
}

/* Local0 = Buffer { u32 Arg1 (offset), u32 Arg2 (length) } */
static void label_args(Aml *m)
{
    aml_append(m, aml_store(aml_buffer(NULL, NVDIMM_LABEL_ARG_LEN),
                            aml_local(0)));
    aml_append(m, aml_create_dword_field(aml_local(0),
                                         aml_int(NVDIMM_LABEL_ARG_OFFSET),
                                         "OFST"));
    aml_append(m, aml_create_dword_field(aml_local(0),
                                         aml_int(NVDIMM_LABEL_ARG_LENGTH),
                                         "TLEN"));
    aml_append(m, aml_store(aml_arg(1), aml_name("OFST")));
    aml_append(m, aml_store(aml_arg(2), aml_name("TLEN")));
}

/*
 * Label function @func of the DIMM with handle Arg0, Package { Local0 }
 * its argument: the reply in Local2, its status STTS (Local3 padded).
 */
static void call_label_func(Aml *m, unsigned func)
{
    aml_append(m, new_package(1, 1));
    aml_append(m, package_set(1, 0, aml_local(0)));
    aml_append(m, aml_store(call_ncal(NVDIMM_UUID_DIMM, func, aml_local(1),
                                      aml_arg(0)),
                            aml_local(2)));
    reply_fields(m, 2, 3, NVDIMM_REPLY_DATA);
}

/* LSIH (Arg0 handle) for _LSI: Package { status, label size, max xfer } */
static void build_lsi_helper(Aml *dev)
{
    Aml *m = aml_method(NVDIMM_LSIH, 1, AML_SERIALIZED);

    aml_append(m, aml_store(call_ncal(NVDIMM_UUID_DIMM,
                                      NVDIMM_FUNC_GET_LABEL_SIZE,
                                      aml_zero(), aml_arg(0)),
                            aml_local(0)));
    reply_fields(m, 0, 1, NVDIMM_REPLY_LSI_LEN);
    aml_append(m, aml_create_dword_field(aml_local(1),
                                         aml_int(NVDIMM_REPLY_LABEL_SIZE),
                                         "SLSA"));
    aml_append(m, aml_create_dword_field(aml_local(1),
                                         aml_int(NVDIMM_REPLY_MAX_XFER),
                                         "MAXT"));
    aml_append(m, new_package(3, 2));
    aml_append(m, package_set(2, 0, aml_name("STTS")));
    aml_append(m, package_set(2, 1, aml_name("SLSA")));
    aml_append(m, package_set(2, 2, aml_name("MAXT")));
    aml_append(m, aml_return(aml_local(2)));
    aml_append(dev, m);
}

/* LSRH (Arg0 handle, Arg1 offset, Arg2 length) for _LSR. */
static void build_lsr_helper(Aml *dev)
{
    Aml *m = aml_method(NVDIMM_LSRH, 3, AML_SERIALIZED);

    label_args(m);
    call_label_func(m, NVDIMM_FUNC_GET_LABEL_DATA);
    /* Package { status, Buffer { the label bytes } } */
    aml_append(m, new_package(2, 4));
    aml_append(m, package_set(4, 0, aml_name("STTS")));
    aml_append(m, package_set(4, 1, aml_mid(aml_local(2),
                                            aml_int(NVDIMM_REPLY_DATA),
                                            aml_arg(2), NULL)));
    aml_append(m, aml_return(aml_local(4)));
    aml_append(dev, m);
}

/* LSWH (Arg0 handle, Arg1 offset, Arg2 length, Arg3 data) for _LSW. */
static void build_lsw_helper(Aml *dev)
{
    Aml *m = aml_method(NVDIMM_LSWH, 4, AML_SERIALIZED);

    label_args(m);
    aml_append(m, aml_concatenate(aml_local(0), aml_arg(3), aml_local(0)));
    call_label_func(m, NVDIMM_FUNC_SET_LABEL_DATA);
    aml_append(m, aml_return(aml_name("STTS")));
    aml_append(dev, m);
}

static void build_dimm_device(Aml *root, uint32_t slot)
{
    uint32_t handle = slot + 1;     /* = NFIT device handle */
    Aml *dev = aml_device("NV%02X", slot);
    Aml *m;

    aml_append(dev, aml_name_decl("_ADR", aml_int(handle)));

    m = aml_method("_DSM", 4, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call(NVDIMM_NCAL, 5, aml_arg(0), aml_arg(1),
                                      aml_arg(2), aml_arg(3),
                                      aml_int(handle))));
    aml_append(dev, m);

    m = aml_method("_LSI", 0, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call(NVDIMM_LSIH, 1, aml_int(handle))));
    aml_append(dev, m);

    m = aml_method("_LSR", 2, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call(NVDIMM_LSRH, 3, aml_int(handle),
                                      aml_arg(0), aml_arg(1))));
    aml_append(dev, m);

    m = aml_method("_LSW", 3, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call(NVDIMM_LSWH, 4, aml_int(handle),
                                      aml_arg(0), aml_arg(1), aml_arg(2))));
    aml_append(dev, m);

    aml_append(root, dev);
}

void nvdimm_build_ssdt(GByteArray *table_data, uint32_t nvdimm_slots,
                       uint64_t dsm_page_gpa)
{
    AcpiTable t = {
        .sig = "SSDT",
        .rev = NVDIMM_SSDT_REVISION,
        .oem_table_id = NVDIMM_SSDT_OEM_TABLE_ID,
    };
    Aml *sb, *dev, *m;
    uint32_t slot;

    /* The machine limits slots; MEMA is a DWord. */
    g_assert(nvdimm_slots <= NVDIMM_MAX_SLOTS);
    g_assert(dsm_page_gpa <= UINT32_MAX);

    acpi_table_begin(&t, table_data);
    aml_encode(table_data, aml_name_decl(NVDIMM_MEMA,
                                         aml_dword(dsm_page_gpa)));

    sb = aml_scope("\\_SB");
    dev = aml_device("NVDR");
    aml_append(dev, aml_name_decl("_HID", aml_string("ACPI0012")));
    build_regions(dev);
    aml_append(dev, aml_name_decl(NVDIMM_RSTA, aml_zero()));
    build_ncal(dev);

    /* The root device's _DSM uses handle 0. */
    m = aml_method("_DSM", 4, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call(NVDIMM_NCAL, 5, aml_arg(0), aml_arg(1),
                                      aml_arg(2), aml_arg(3),
                                      aml_int(NVDIMM_ROOT_HANDLE))));
    aml_append(dev, m);

    build_rfit(dev);
    build_fit(dev);
    build_lsi_helper(dev);
    build_lsr_helper(dev);
    build_lsw_helper(dev);
    for (slot = 0; slot < nvdimm_slots; slot++) {
        build_dimm_device(dev, slot);
    }
    aml_append(sb, dev);
    aml_encode(table_data, sb);
    acpi_table_end(&t);
}

void nvdimm_build_nfit(GByteArray *table_data, const GByteArray *fit)
{
    AcpiTable t = { .sig = "NFIT", .rev = NVDIMM_NFIT_REVISION };

    acpi_table_begin(&t, table_data);
    acpi_push_zeros(table_data, NVDIMM_NFIT_RESERVED_LEN);
    if (fit) {
        g_byte_array_append(table_data, fit->data, fit->len);
    }
    acpi_table_end(&t);
}
