/*
 * src/litmus/lex.h - the scanner the litmus parser reads text with: a
 * cursor over NUL-terminated text that counts lines and makes
 * "FILE:LINE: expected X, found Y" messages. Private.
 */
#ifndef VMSA_LITMUS_LEX_H
#define VMSA_LITMUS_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lex {
	const char *p;		/* next character */
	int line;		/* of p */
	const char *file;
	char *err;		/* the first error, "FILE:LINE: ..." */
	size_t errsz;
	bool failed;
};

void lex_init(struct lex *l, const char *text, int line, const char *file,
	      char *err, size_t errsz);
/* Skip blanks and newlines. */
void lex_ws(struct lex *l);
/* At the end of the text (after blanks)? */
bool lex_eof(struct lex *l);
/* Consume s (after blanks) when it comes next. */
bool lex_accept(struct lex *l, const char *s);
/* The same for a word: s not followed by an identifier character. */
bool lex_accept_word(struct lex *l, const char *s);
/* Read an identifier [A-Za-z_][A-Za-z0-9_]* (after blanks) into buf. */
bool lex_ident(struct lex *l, char *buf, size_t size);
/* Read a number: decimal or 0x hexadecimal, optionally negative. */
bool lex_number(struct lex *l, int64_t *v);
/* Record "FILE:LINE: expected WHAT, found TOKEN" (the first error only);
 * returns -1. */
int lex_expected(struct lex *l, const char *what);
/* Record "FILE:LINE: MESSAGE" (printf-like); returns -1. */
int lex_error(struct lex *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The next token as text for messages: "'foo'" or "end of file". */
void lex_found(struct lex *l, char *buf, size_t size);

/* Replace every (* comment *) of text with blanks, newlines kept (so
 * that line numbers stay right). Returns 0, or the line where an
 * unterminated comment starts. */
int lex_strip_comments(char *text);

#endif
