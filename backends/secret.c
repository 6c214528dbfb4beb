/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object secret (QEMU's crypto/secret.c): a named secret given inline
 * (data=) or read from a file (file=), raw or base64.  libvirt passes its
 * per-domain master key this way on every command line.  pmemvm has no
 * consumer of secrets (no encrypted disks, no TLS), so it only checks and
 * holds the value; encrypted secrets (keyid=, iv=) would need AES-256-CBC,
 * which pmemvm does not implement: they are refused.
 */
#include "qemu/osdep.h"
#include "qom/object.h"

#define TYPE_SECRET "secret"

typedef enum SecretFormat {
    SECRET_FORMAT_RAW,
    SECRET_FORMAT_BASE64,
} SecretFormat;

typedef struct SecretObject {
    Object parent_obj;
    char *data;
    char *file;
    int format;                 /* SecretFormat */
    char *keyid;
    char *iv;
    guint8 *value;              /* the secret, decoded */
    gsize value_len;
} SecretObject;

static const char *const secret_format_names[] = { "raw", "base64", NULL };

static const PropDef secret_props[] = {
    DEFINE_PROP("data", SecretObject, data, PROP_TYPE_STRING, NULL,
                "the secret, inline"),
    DEFINE_PROP("file", SecretObject, file, PROP_TYPE_STRING, NULL,
                "file holding the secret"),
    DEFINE_PROP_ENUM("format", SecretObject, format, secret_format_names,
                     "raw", "encoding of data= or of the file"),
    DEFINE_PROP("keyid", SecretObject, keyid, PROP_TYPE_STRING, NULL,
                "id of the secret that encrypts this one (not supported)"),
    DEFINE_PROP("iv", SecretObject, iv, PROP_TYPE_STRING, NULL,
                "initialization vector of an encrypted secret "
                "(not supported)"),
    PROP_END,
};

static bool secret_complete(Object *obj, Error **errp)
{
    SecretObject *s = (SecretObject *)obj;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *text = NULL;
    gsize len;

    if (s->data && s->file) {
        error_setg(errp, "'data' and 'file' are mutually exclusive");
        return false;
    }
    if (!s->data && !s->file) {
        error_setg(errp, "Either 'data' or 'file' must be provided");
        return false;
    }
    if (s->keyid || s->iv) {
        error_setg(errp, "secret '%s': encrypted secrets (keyid, iv) are "
                   "not supported by pmemvm", obj->id);
        return false;
    }
    if (s->file) {
        if (!g_file_get_contents(s->file, &text, &len, &gerr)) {
            error_setg(errp, "Unable to read %s: %s", s->file,
                       gerr->message);
            return false;
        }
    } else {
        text = g_strdup(s->data);
        len = strlen(text);
    }
    if (s->format == SECRET_FORMAT_BASE64) {
        g_strstrip(text);
        for (const char *p = text; *p; p++) {
            if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' && *p != '=') {
                error_setg(errp, "secret '%s': the data is not valid "
                           "base64", obj->id);
                return false;
            }
        }
        s->value = g_base64_decode(text, &s->value_len);
    } else {
        s->value = (guint8 *)g_steal_pointer(&text);
        s->value_len = len;
    }
    return true;
}

static void secret_finalize(Object *obj)
{
    SecretObject *s = (SecretObject *)obj;

    if (s->value) {
        memset(s->value, 0, s->value_len);
        g_free(s->value);
    }
}

static const char *const secret_qapi_members[] = {
    "format", "data", "file", "keyid", "iv", NULL,
};

static const TypeInfo secret_type_info = {
    .name = TYPE_SECRET,
    .kind = OBJECT_KIND_OBJECT,
    .instance_size = sizeof(SecretObject),
    .props = secret_props,
    .desc = "a secret, inline or from a file (raw or base64)",
    .qapi_members = secret_qapi_members,
    .complete = secret_complete,
    .finalize = secret_finalize,
};

static void secret_register_types(void)
{
    type_register(&secret_type_info);
}

type_init(secret_register_types)
