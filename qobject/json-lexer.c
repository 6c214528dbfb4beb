/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON lexer: bytes in, tokens out, with QEMU 7.2's token rules
 * (docs/specs/json.md, "Tokens"): RFC 8259 numbers and literal names,
 * strings in double or single quotes whose bytes the parser decodes, no
 * comments, no interpolation.  A byte that cannot continue a token is a
 * lexical error (JSON_TOK_ERROR with the text read so far, that byte
 * included); the lexer then skips to the next structural character or
 * ASCII control character other than tab, or byte FE/FF, and starts over
 * there, so that a client can always resynchronize.
 */
#include "qemu/osdep.h"
#include "json-internal.h"

enum {
    LX_START,
    LX_RECOVER,         /* after an error */
    LX_STRING,
    LX_ESCAPE,          /* after a backslash in a string */
    LX_SIGN,            /* "-" */
    LX_ZERO,            /* "0", "-0" */
    LX_INT,             /* "-"? [1-9] [0-9]* */
    LX_POINT,           /* an integer and "." */
    LX_FRAC,            /* ... "." [0-9]+ */
    LX_EXP,             /* ... "e" or "E" */
    LX_EXP_SIGN,        /* ... "e" and "+" or "-" */
    LX_EXP_DIGITS,      /* ... "e" [+-]? [0-9]+ */
    LX_WORD,            /* [a-z]+ */
};

#define LX_EOF (-1)

void json_lexer_init(JsonLexer *lx, JsonLexerFunc *emit, void *opaque)
{
    lx->emit = emit;
    lx->opaque = opaque;
    lx->state = LX_START;
    lx->quote = 0;
    lx->token = g_string_new(NULL);
}

void json_lexer_reset(JsonLexer *lx)
{
    lx->state = LX_START;
    g_string_truncate(lx->token, 0);
}

void json_lexer_destroy(JsonLexer *lx)
{
    g_string_free(lx->token, TRUE);
    lx->token = NULL;
}

static void lexer_emit(JsonLexer *lx, JsonTokenType type)
{
    lx->emit(lx->opaque, type, lx->token);
    g_string_truncate(lx->token, 0);
    lx->state = type == JSON_TOK_ERROR ? LX_RECOVER : LX_START;
}

/* Append @c (a byte) to the token and go to @state; consumed. */
static bool lexer_take(JsonLexer *lx, int c, int state)
{
    g_string_append_c(lx->token, c);
    lx->state = state;
    return true;
}

/* @c (unless it is the end) belongs to the bad token; consumed. */
static bool lexer_error(JsonLexer *lx, int c)
{
    if (c != LX_EOF) {
        g_string_append_c(lx->token, c);
    }
    lexer_emit(lx, JSON_TOK_ERROR);
    return true;
}

/* The token ended before @c, which the next state must read again. */
static bool lexer_done_before(JsonLexer *lx, JsonTokenType type)
{
    lexer_emit(lx, type);
    return false;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Where an error's skipping stops (the byte is then read as new input). */
static bool is_resync_point(int c)
{
    return (c >= 0 && c < 0x20 && c != '\t') || c >= 0xfe ||
           (c != LX_EOF && strchr("[]{}:,", c));
}

static bool lexer_start(JsonLexer *lx, int c)
{
    static const struct {
        char c;
        JsonTokenType type;
    } punct[] = {
        { '{', JSON_TOK_LCURLY }, { '}', JSON_TOK_RCURLY },
        { '[', JSON_TOK_LSQUARE }, { ']', JSON_TOK_RSQUARE },
        { ':', JSON_TOK_COLON }, { ',', JSON_TOK_COMMA },
    };

    if (c == LX_EOF || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(punct); i++) {
        if (c == punct[i].c) {
            g_string_append_c(lx->token, c);
            lexer_emit(lx, punct[i].type);
            return true;
        }
    }
    if (c == '"' || c == '\'') {
        lx->quote = c;
        return lexer_take(lx, c, LX_STRING);
    }
    if (c == '-') {
        return lexer_take(lx, c, LX_SIGN);
    }
    if (c == '0') {
        return lexer_take(lx, c, LX_ZERO);
    }
    if (is_digit(c)) {
        return lexer_take(lx, c, LX_INT);
    }
    if (c >= 'a' && c <= 'z') {
        return lexer_take(lx, c, LX_WORD);
    }
    return lexer_error(lx, c);
}

/* Handle @c in the current state; false if it must be read again. */
static bool lexer_step(JsonLexer *lx, int c)
{
    bool in_string = c >= 0x20 && c <= 0xfd;

    switch (lx->state) {
    case LX_START:
        return lexer_start(lx, c);
    case LX_RECOVER:
        if (c == LX_EOF || is_resync_point(c)) {
            lx->state = LX_START;
            return c == LX_EOF;
        }
        return true;
    case LX_STRING:
        if (!in_string) {
            return lexer_error(lx, c);
        }
        g_string_append_c(lx->token, c);
        if (c == '\\') {
            lx->state = LX_ESCAPE;
        } else if (c == lx->quote) {
            lexer_emit(lx, JSON_TOK_STRING);
        }
        return true;
    case LX_ESCAPE:
        /* the parser judges the escape */
        return in_string ? lexer_take(lx, c, LX_STRING) : lexer_error(lx, c);
    case LX_SIGN:
        if (c == '0') {
            return lexer_take(lx, c, LX_ZERO);
        }
        return is_digit(c) ? lexer_take(lx, c, LX_INT) : lexer_error(lx, c);
    case LX_ZERO:
        if (is_digit(c)) {
            return lexer_error(lx, c);      /* a leading zero */
        }
        if (c == '.') {
            return lexer_take(lx, c, LX_POINT);
        }
        return lexer_done_before(lx, JSON_TOK_INTEGER);
    case LX_INT:
        if (is_digit(c)) {
            return lexer_take(lx, c, LX_INT);
        }
        if (c == '.') {
            return lexer_take(lx, c, LX_POINT);
        }
        if (c == 'e' || c == 'E') {
            return lexer_take(lx, c, LX_EXP);
        }
        return lexer_done_before(lx, JSON_TOK_INTEGER);
    case LX_POINT:
        return is_digit(c) ? lexer_take(lx, c, LX_FRAC) : lexer_error(lx, c);
    case LX_FRAC:
        if (is_digit(c)) {
            return lexer_take(lx, c, LX_FRAC);
        }
        if (c == 'e' || c == 'E') {
            return lexer_take(lx, c, LX_EXP);
        }
        return lexer_done_before(lx, JSON_TOK_FLOAT);
    case LX_EXP:
        if (c == '+' || c == '-') {
            return lexer_take(lx, c, LX_EXP_SIGN);
        }
        /* fall through */
    case LX_EXP_SIGN:
        return is_digit(c) ? lexer_take(lx, c, LX_EXP_DIGITS) :
                             lexer_error(lx, c);
    case LX_EXP_DIGITS:
        if (is_digit(c)) {
            return lexer_take(lx, c, LX_EXP_DIGITS);
        }
        return lexer_done_before(lx, JSON_TOK_FLOAT);
    case LX_WORD:
        if (c >= 'a' && c <= 'z') {
            return lexer_take(lx, c, LX_WORD);
        }
        return lexer_done_before(lx, JSON_TOK_KEYWORD);
    }
    g_assert_not_reached();
}

static void lexer_char(JsonLexer *lx, int c)
{
    while (!lexer_step(lx, c)) {
        continue;
    }
    if (lx->token->len > JSON_MAX_TOKEN_SIZE) {
        lexer_emit(lx, JSON_TOK_TOO_BIG);
    }
}

void json_lexer_feed(JsonLexer *lx, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        lexer_char(lx, (unsigned char)buf[i]);
    }
}

void json_lexer_flush(JsonLexer *lx)
{
    while (lx->state != LX_START) {
        lexer_char(lx, LX_EOF);
    }
    lexer_emit(lx, JSON_TOK_END);
}
