/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the option parsers of -object, -device, -machine and the
 * other key=value options (util/keyval.c), both forms, and the object
 * model's typed property parsing behind them: the first byte picks the
 * implied key, the rest is the option text.  An object that parses is
 * created and destroyed again, never completed (no file is touched).
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qom/object.h"

static const char *const implied[] = {
    NULL, "qom-type", "driver", "type", "size", "cpus", "backend",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = NULL;
    Error *err = NULL;
    QemuOpts *opts;
    Object *obj;
    unsigned pick;

    if (!size) {
        return 0;
    }
    pick = data[0] % G_N_ELEMENTS(implied);
    text = g_strndup((const char *)data + 1, size - 1);
    opts = qemu_opts_parse_any(text, implied[pick], &err);
    if (!opts) {
        assert(err && error_get_pretty(err)[0]);
        error_free(err);
        return 0;
    }
    g_free(qemu_opts_to_string(opts));
    obj = object_create_from_opts(pick == 2 ? OBJECT_KIND_DEVICE :
                                  OBJECT_KIND_OBJECT,
                                  pick == 2 ? "driver" : "qom-type", opts,
                                  &err);
    if (obj) {
        object_destroy(obj);
    } else {
        error_free(err);
    }
    qemu_opts_free(opts);
    return 0;
}
