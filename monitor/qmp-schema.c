/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP introspection: see include/monitor/qmp-schema.h.  The text form is
 * parsed into a small tree; the builder turns trees into QEMU's
 * SchemaInfo entries (qapi/introspect.json in QEMU 7.2), naming each
 * distinct type once.
 */
#include "qemu/osdep.h"

#include "monitor/qmp-schema.h"

#define QMP_SCHEMA_MAX_DEPTH 32

typedef enum QmpSchemaKind {
    QST_BUILTIN,
    QST_ARRAY,
    QST_OBJECT,         /* with tag/variants: a flat union */
    QST_ENUM,
    QST_ALTERNATE,
} QmpSchemaKind;

typedef struct QmpSchemaMember {
    char *name;                 /* member name, or a union's case */
    bool optional;
    QmpSchemaType *type;
} QmpSchemaMember;

struct QmpSchemaType {
    QmpSchemaKind kind;
    const char *builtin;        /* QST_BUILTIN: "str", "int", ... */
    QmpSchemaType *element;     /* QST_ARRAY */
    GPtrArray *members;         /* QST_OBJECT, QST_ALTERNATE (name NULL) */
    GPtrArray *values;          /* QST_ENUM: char * */
    char *tag;                  /* flat union: the tag member */
    GPtrArray *variants;        /* flat union: QmpSchemaMember, by case */
};

/* ---- Named types ---- */

typedef struct QmpSchemaNamed {
    const char *text;
    char *(*fn)(void);
} QmpSchemaNamed;

static GHashTable *qmp_schema_named;    /* name -> QmpSchemaNamed */

static void qmp_schema_define_entry(const char *name, const char *text,
                                    char *(*fn)(void))
{
    QmpSchemaNamed *n = g_new0(QmpSchemaNamed, 1);

    if (!qmp_schema_named) {
        qmp_schema_named = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 NULL, g_free);
    }
    n->text = text;
    n->fn = fn;
    g_hash_table_insert(qmp_schema_named, (gpointer)name, n);
}

void qmp_schema_define(const char *name, const char *text)
{
    qmp_schema_define_entry(name, text, NULL);
}

void qmp_schema_define_fn(const char *name, char *(*fn)(void))
{
    qmp_schema_define_entry(name, NULL, fn);
}

/* ---- Parsing ---- */

typedef struct QmpSchemaParser {
    const char *text;
    const char *p;
    int depth;
    Error **errp;
    bool failed;
} QmpSchemaParser;

static const char *const qmp_schema_builtins[][2] = {
    /* name, JSON type (SchemaInfoBuiltin's json-type) */
    { "str", "string" },
    { "int", "int" },
    { "number", "number" },
    { "bool", "boolean" },
    { "null", "null" },
    { "any", "value" },
};

static void parser_fail(QmpSchemaParser *ps, const char *what)
{
    if (!ps->failed) {
        error_setg(ps->errp, "QMP schema \"%s\": %s at offset %td",
                   ps->text, what, ps->p - ps->text);
        ps->failed = true;
    }
}

static void skip_ws(QmpSchemaParser *ps)
{
    while (g_ascii_isspace(*ps->p)) {
        ps->p++;
    }
}

static bool is_word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

static char *parse_word(QmpSchemaParser *ps)
{
    const char *start;

    skip_ws(ps);
    start = ps->p;
    while (is_word_char(*ps->p)) {
        ps->p++;
    }
    if (ps->p == start) {
        parser_fail(ps, "a name was expected");
        return NULL;
    }
    return g_strndup(start, ps->p - start);
}

static bool accept(QmpSchemaParser *ps, char c)
{
    skip_ws(ps);
    if (*ps->p == c) {
        ps->p++;
        return true;
    }
    return false;
}

static bool expect(QmpSchemaParser *ps, char c)
{
    if (!accept(ps, c)) {
        g_autofree char *what = g_strdup_printf("'%c' was expected", c);

        parser_fail(ps, what);
        return false;
    }
    return true;
}

static void member_free(gpointer p)
{
    QmpSchemaMember *m = p;

    g_free(m->name);
    qmp_schema_type_free(m->type);
    g_free(m);
}

static QmpSchemaType *type_new(QmpSchemaKind kind)
{
    QmpSchemaType *t = g_new0(QmpSchemaType, 1);

    t->kind = kind;
    if (kind == QST_OBJECT || kind == QST_ALTERNATE) {
        t->members = g_ptr_array_new_with_free_func(member_free);
    }
    return t;
}

void qmp_schema_type_free(QmpSchemaType *t)
{
    if (!t) {
        return;
    }
    qmp_schema_type_free(t->element);
    if (t->members) {
        g_ptr_array_free(t->members, TRUE);
    }
    if (t->values) {
        g_ptr_array_free(t->values, TRUE);
    }
    if (t->variants) {
        g_ptr_array_free(t->variants, TRUE);
    }
    g_free(t->tag);
    g_free(t);
}

static QmpSchemaType *parse_type(QmpSchemaParser *ps);

/* "{" already read: members up to "}". */
static QmpSchemaType *parse_object(QmpSchemaParser *ps)
{
    QmpSchemaType *t = type_new(QST_OBJECT);

    if (accept(ps, '}')) {
        return t;
    }
    do {
        QmpSchemaMember *m = g_new0(QmpSchemaMember, 1);

        g_ptr_array_add(t->members, m);
        m->name = parse_word(ps);
        m->optional = accept(ps, '?');
        if (!m->name || !expect(ps, ':') || !(m->type = parse_type(ps))) {
            break;
        }
    } while (accept(ps, ','));
    if (ps->failed || !expect(ps, '}')) {
        qmp_schema_type_free(t);
        return NULL;
    }
    return t;
}

/* "enum(" already read. */
static QmpSchemaType *parse_enum(QmpSchemaParser *ps)
{
    QmpSchemaType *t = type_new(QST_ENUM);

    t->values = g_ptr_array_new_with_free_func(g_free);
    if (accept(ps, ')')) {
        return t;           /* no values: nothing of this kind exists */
    }
    do {
        char *v = parse_word(ps);

        if (!v) {
            break;
        }
        g_ptr_array_add(t->values, v);
    } while (accept(ps, '|'));
    if (ps->failed || !expect(ps, ')')) {
        qmp_schema_type_free(t);
        return NULL;
    }
    return t;
}

/* "alt(" already read. */
static QmpSchemaType *parse_alternate(QmpSchemaParser *ps)
{
    QmpSchemaType *t = type_new(QST_ALTERNATE);

    do {
        QmpSchemaMember *m = g_new0(QmpSchemaMember, 1);

        g_ptr_array_add(t->members, m);
        if (!(m->type = parse_type(ps))) {
            break;
        }
    } while (accept(ps, '|'));
    if (ps->failed || !expect(ps, ')')) {
        qmp_schema_type_free(t);
        return NULL;
    }
    return t;
}

static bool object_has_member(const QmpSchemaType *t, const char *name)
{
    for (guint i = 0; i < t->members->len; i++) {
        QmpSchemaMember *m = g_ptr_array_index(t->members, i);

        if (!strcmp(m->name, name)) {
            return true;
        }
    }
    return false;
}

/* "union(" already read: tag, base object, then "case: type" branches. */
static QmpSchemaType *parse_union(QmpSchemaParser *ps)
{
    g_autofree char *tag = parse_word(ps);
    QmpSchemaType *t;

    if (!tag || !expect(ps, ',') || !(t = parse_type(ps))) {
        return NULL;
    }
    if (t->kind != QST_OBJECT || t->variants ||
        !object_has_member(t, tag)) {
        parser_fail(ps, "a union's base must be an object with the tag");
        qmp_schema_type_free(t);
        return NULL;
    }
    t->tag = g_steal_pointer(&tag);
    t->variants = g_ptr_array_new_with_free_func(member_free);
    while (accept(ps, ',')) {
        QmpSchemaMember *m = g_new0(QmpSchemaMember, 1);

        g_ptr_array_add(t->variants, m);
        m->name = parse_word(ps);
        if (!m->name || !expect(ps, ':') || !(m->type = parse_type(ps))) {
            break;
        }
        if (m->type->kind != QST_OBJECT) {
            parser_fail(ps, "a union's branch must be an object");
            break;
        }
    }
    if (ps->failed || !expect(ps, ')')) {
        qmp_schema_type_free(t);
        return NULL;
    }
    return t;
}

static QmpSchemaType *parse_named(QmpSchemaParser *ps, const char *name)
{
    QmpSchemaNamed *n = qmp_schema_named ?
        g_hash_table_lookup(qmp_schema_named, name) : NULL;
    g_autofree char *generated = NULL;
    QmpSchemaParser sub;
    QmpSchemaType *t;

    if (!n) {
        g_autofree char *what = g_strdup_printf("unknown type '%s'", name);

        parser_fail(ps, what);
        return NULL;
    }
    if (n->fn) {
        generated = n->fn();
    }
    sub = (QmpSchemaParser) {
        .text = n->fn ? generated : n->text,
        .depth = ps->depth,
        .errp = ps->errp,
    };
    sub.p = sub.text;
    t = parse_type(&sub);
    if (t && (skip_ws(&sub), *sub.p)) {
        parser_fail(&sub, "text after the type");
    }
    if (sub.failed) {
        qmp_schema_type_free(t);
        ps->failed = true;
        return NULL;
    }
    return t;
}

static QmpSchemaType *parse_type(QmpSchemaParser *ps)
{
    g_autofree char *word = NULL;
    QmpSchemaType *t = NULL;

    if (++ps->depth > QMP_SCHEMA_MAX_DEPTH) {
        parser_fail(ps, "types nest too deep");
        return NULL;
    }
    if (accept(ps, '[')) {
        QmpSchemaType *elem = parse_type(ps);

        if (elem && expect(ps, ']')) {
            t = type_new(QST_ARRAY);
            t->element = elem;
        } else {
            qmp_schema_type_free(elem);
        }
    } else if (accept(ps, '{')) {
        t = parse_object(ps);
    } else if ((word = parse_word(ps))) {
        if (!strcmp(word, "enum") && accept(ps, '(')) {
            t = parse_enum(ps);
        } else if (!strcmp(word, "union") && accept(ps, '(')) {
            t = parse_union(ps);
        } else if (!strcmp(word, "alt") && accept(ps, '(')) {
            t = parse_alternate(ps);
        } else {
            for (size_t i = 0; i < G_N_ELEMENTS(qmp_schema_builtins); i++) {
                if (!strcmp(word, qmp_schema_builtins[i][0])) {
                    t = type_new(QST_BUILTIN);
                    t->builtin = qmp_schema_builtins[i][0];
                }
            }
            if (!t) {
                t = parse_named(ps, word);
            }
        }
    }
    ps->depth--;
    return t;
}

QmpSchemaType *qmp_schema_parse(const char *text, Error **errp)
{
    QmpSchemaParser ps = { .text = text, .p = text, .errp = errp };
    QmpSchemaType *t = parse_type(&ps);

    if (t && (skip_ws(&ps), *ps.p)) {
        parser_fail(&ps, "text after the type");
    }
    if (ps.failed) {
        qmp_schema_type_free(t);
        return NULL;
    }
    return t;
}

/* ---- Canonical text ---- */

static void type_text(GString *s, const QmpSchemaType *t);

static void members_text(GString *s, GPtrArray *members)
{
    g_string_append_c(s, '{');
    for (guint i = 0; i < members->len; i++) {
        QmpSchemaMember *m = g_ptr_array_index(members, i);

        g_string_append_printf(s, "%s%s%s: ", i ? ", " : "", m->name,
                               m->optional ? "?" : "");
        type_text(s, m->type);
    }
    g_string_append_c(s, '}');
}

static void type_text(GString *s, const QmpSchemaType *t)
{
    switch (t->kind) {
    case QST_BUILTIN:
        g_string_append(s, t->builtin);
        break;
    case QST_ARRAY:
        g_string_append_c(s, '[');
        type_text(s, t->element);
        g_string_append_c(s, ']');
        break;
    case QST_ENUM:
        g_string_append(s, "enum(");
        for (guint i = 0; i < t->values->len; i++) {
            g_string_append_printf(s, "%s%s", i ? "|" : "",
                                   (char *)g_ptr_array_index(t->values, i));
        }
        g_string_append_c(s, ')');
        break;
    case QST_ALTERNATE:
        g_string_append(s, "alt(");
        for (guint i = 0; i < t->members->len; i++) {
            QmpSchemaMember *m = g_ptr_array_index(t->members, i);

            if (i) {
                g_string_append_c(s, '|');
            }
            type_text(s, m->type);
        }
        g_string_append_c(s, ')');
        break;
    case QST_OBJECT:
        if (!t->variants) {
            members_text(s, t->members);
            break;
        }
        g_string_append_printf(s, "union(%s, ", t->tag);
        members_text(s, t->members);
        for (guint i = 0; i < t->variants->len; i++) {
            QmpSchemaMember *v = g_ptr_array_index(t->variants, i);

            g_string_append_printf(s, ", %s: ", v->name);
            type_text(s, v->type);
        }
        g_string_append_c(s, ')');
        break;
    }
}

char *qmp_schema_type_text(const QmpSchemaType *t)
{
    GString *s = g_string_new(NULL);

    type_text(s, t);
    return g_string_free(s, FALSE);
}

/* ---- SchemaInfo ---- */

struct QmpSchemaBuilder {
    JsonArray *entries;
    GHashTable *names;          /* canonical text -> SchemaInfo name */
    unsigned next;              /* next number for a type name */
};

QmpSchemaBuilder *qmp_schema_builder_new(void)
{
    QmpSchemaBuilder *b = g_new0(QmpSchemaBuilder, 1);

    b->entries = json_array_new();
    b->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     g_free);
    return b;
}

void qmp_schema_builder_free(QmpSchemaBuilder *b)
{
    if (b) {
        json_array_unref(b->entries);
        g_hash_table_destroy(b->names);
        g_free(b);
    }
}

static JsonObject *entry_new(const char *name, const char *meta)
{
    JsonObject *e = json_object_new();

    json_object_set_string_member(e, "name", name);
    json_object_set_string_member(e, "meta-type", meta);
    return e;
}

static const char *builtin_json_type(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_schema_builtins); i++) {
        if (!strcmp(name, qmp_schema_builtins[i][0])) {
            return qmp_schema_builtins[i][1];
        }
    }
    g_assert_not_reached();
}

static JsonArray *members_json(QmpSchemaBuilder *b, GPtrArray *members);

/* The SchemaInfo name of @t, adding its entry (and its parts') once. */
static const char *builder_use(QmpSchemaBuilder *b, const QmpSchemaType *t)
{
    g_autofree char *text = qmp_schema_type_text(t);
    const char *known = g_hash_table_lookup(b->names, text);
    JsonObject *e;
    char *name;

    if (known) {
        return known;
    }
    if (t->kind == QST_BUILTIN) {
        name = g_strdup(t->builtin);
        e = entry_new(name, "builtin");
        json_object_set_string_member(e, "json-type",
                                      builtin_json_type(t->builtin));
    } else if (t->kind == QST_ARRAY) {
        const char *elem = builder_use(b, t->element);

        name = g_strdup_printf("[%s]", elem);
        e = entry_new(name, "array");
        json_object_set_string_member(e, "element-type", elem);
    } else {
        name = g_strdup_printf("%u", b->next++);
        /* named before its parts, so that numbers follow first use */
        g_hash_table_insert(b->names, g_strdup(text), name);
        e = entry_new(name, t->kind == QST_ENUM ? "enum" :
                      t->kind == QST_ALTERNATE ? "alternate" : "object");
        if (t->kind == QST_ENUM) {
            JsonArray *members = json_array_new();
            JsonArray *values = json_array_new();

            for (guint i = 0; i < t->values->len; i++) {
                const char *v = g_ptr_array_index(t->values, i);
                JsonObject *m = json_object_new();

                json_object_set_string_member(m, "name", v);
                json_array_add_object_element(members, m);
                json_array_add_string_element(values, v);
            }
            json_object_set_array_member(e, "members", members);
            json_object_set_array_member(e, "values", values);
        } else if (t->kind == QST_ALTERNATE) {
            JsonArray *members = json_array_new();

            for (guint i = 0; i < t->members->len; i++) {
                QmpSchemaMember *m = g_ptr_array_index(t->members, i);
                JsonObject *o = json_object_new();

                json_object_set_string_member(o, "type",
                                              builder_use(b, m->type));
                json_array_add_object_element(members, o);
            }
            json_object_set_array_member(e, "members", members);
        } else {
            json_object_set_array_member(e, "members",
                                         members_json(b, t->members));
            if (t->variants) {
                JsonArray *variants = json_array_new();

                json_object_set_string_member(e, "tag", t->tag);
                for (guint i = 0; i < t->variants->len; i++) {
                    QmpSchemaMember *v = g_ptr_array_index(t->variants, i);
                    JsonObject *o = json_object_new();

                    json_object_set_string_member(o, "case", v->name);
                    json_object_set_string_member(o, "type",
                                                  builder_use(b, v->type));
                    json_array_add_object_element(variants, o);
                }
                json_object_set_array_member(e, "variants", variants);
            }
        }
        json_array_add_object_element(b->entries, e);
        return name;
    }
    g_hash_table_insert(b->names, g_strdup(text), name);
    json_array_add_object_element(b->entries, e);
    return name;
}

static JsonArray *members_json(QmpSchemaBuilder *b, GPtrArray *members)
{
    JsonArray *arr = json_array_new();

    for (guint i = 0; i < members->len; i++) {
        QmpSchemaMember *m = g_ptr_array_index(members, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", m->name);
        json_object_set_string_member(o, "type", builder_use(b, m->type));
        if (m->optional) {
            /* QEMU 7.2: an optional member's default is null */
            json_object_set_null_member(o, "default");
        }
        json_array_add_object_element(arr, o);
    }
    return arr;
}

/* The SchemaInfo name of the object type @text ("{}" when NULL). */
static const char *builder_use_object(QmpSchemaBuilder *b, const char *what,
                                      const char *text, Error **errp)
{
    QmpSchemaType *t = qmp_schema_parse(text ? text : "{}", errp);
    const char *name;

    if (!t) {
        error_prepend(errp, "%s: ", what);
        return NULL;
    }
    if (t->kind != QST_OBJECT) {
        error_setg(errp, "%s: arguments must be an object type, not %s",
                   what, text);
        qmp_schema_type_free(t);
        return NULL;
    }
    name = builder_use(b, t);
    qmp_schema_type_free(t);
    return name;
}

bool qmp_schema_add_command(QmpSchemaBuilder *b, const char *name,
                            const char *args, const char *ret,
                            const char *features, Error **errp)
{
    const char *arg_type, *ret_type;
    QmpSchemaType *rt;
    JsonObject *e;

    arg_type = builder_use_object(b, name, args, errp);
    if (!arg_type) {
        return false;
    }
    rt = qmp_schema_parse(ret ? ret : "{}", errp);
    if (!rt) {
        error_prepend(errp, "%s: ", name);
        return false;
    }
    ret_type = builder_use(b, rt);
    qmp_schema_type_free(rt);
    e = entry_new(name, "command");
    json_object_set_string_member(e, "arg-type", arg_type);
    json_object_set_string_member(e, "ret-type", ret_type);
    if (features && *features) {
        g_auto(GStrv) list = g_strsplit(features, " ", -1);
        JsonArray *arr = json_array_new();

        for (int i = 0; list[i]; i++) {
            if (*list[i]) {
                json_array_add_string_element(arr, list[i]);
            }
        }
        json_object_set_array_member(e, "features", arr);
    }
    json_array_add_object_element(b->entries, e);
    return true;
}

bool qmp_schema_add_event(QmpSchemaBuilder *b, const char *name,
                          const char *data, Error **errp)
{
    const char *arg_type = builder_use_object(b, name, data, errp);
    JsonObject *e;

    if (!arg_type) {
        return false;
    }
    e = entry_new(name, "event");
    json_object_set_string_member(e, "arg-type", arg_type);
    json_array_add_object_element(b->entries, e);
    return true;
}

JsonNode *qmp_schema_builder_finish(QmpSchemaBuilder *b)
{
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    json_node_set_array(node, b->entries);
    qmp_schema_builder_free(b);
    return node;
}
