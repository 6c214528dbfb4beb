/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the JSON front end: tokens, the lexer that makes them and the
 * parser that turns a complete list of them into a value.  The rules are
 * QEMU 7.2's, tabled in docs/specs/json.md.
 */
#ifndef QOBJECT_JSON_INTERNAL_H
#define QOBJECT_JSON_INTERNAL_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

/* QEMU's limits per JSON value (docs/specs/json.md, "Limits"). */
#define JSON_MAX_TOKEN_SIZE (64 * MiB)      /* bytes of all its tokens */
#define JSON_MAX_TOKEN_COUNT (2 * MiB)      /* tokens */
#define JSON_MAX_NESTING 1024               /* open { and [ */

typedef enum JsonTokenType {
    JSON_TOK_ERROR,         /* a lexical error; the text read so far */
    JSON_TOK_TOO_BIG,       /* a token longer than JSON_MAX_TOKEN_SIZE */
    JSON_TOK_END,           /* end of input (json_lexer_flush) */
    JSON_TOK_LCURLY,
    JSON_TOK_RCURLY,
    JSON_TOK_LSQUARE,
    JSON_TOK_RSQUARE,
    JSON_TOK_COLON,
    JSON_TOK_COMMA,
    JSON_TOK_STRING,        /* with its quotes, escapes undecoded */
    JSON_TOK_INTEGER,       /* -?(0|[1-9][0-9]*) */
    JSON_TOK_FLOAT,         /* with a fraction, an exponent or both */
    JSON_TOK_KEYWORD,       /* [a-z]+: the parser knows true/false/null */
} JsonTokenType;

typedef struct JsonToken {
    JsonTokenType type;
    size_t len;
    char text[];            /* NUL-terminated */
} JsonToken;

/* Called for every token; @text is only valid during the call. */
typedef void JsonLexerFunc(void *opaque, JsonTokenType type,
                           const GString *text);

typedef struct JsonLexer {
    JsonLexerFunc *emit;
    void *opaque;
    int state;
    char quote;             /* the quote of the string being read */
    GString *token;
} JsonLexer;

void json_lexer_init(JsonLexer *lx, JsonLexerFunc *emit, void *opaque);
void json_lexer_feed(JsonLexer *lx, const char *buf, size_t len);
/* End of input: finish or refuse the token being read, then JSON_TOK_END. */
void json_lexer_flush(JsonLexer *lx);
/* Forget the token being read. */
void json_lexer_reset(JsonLexer *lx);
void json_lexer_destroy(JsonLexer *lx);

/*
 * The value that the @n tokens make (a reference for the caller), or NULL
 * with *@error set (g_free) to QEMU's "JSON parse error, ..." text.
 */
JsonNode *json_parse_tokens(JsonToken *const *tokens, size_t n,
                            char **error);

#endif
