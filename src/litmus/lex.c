/*
 * src/litmus/lex.c - the litmus scanner (lex.h): blanks, words, numbers
 * and the error messages every part of the parser makes the same way.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

void lex_init(struct lex *l, const char *text, int line, const char *file,
	      char *err, size_t errsz)
{
	l->p = text;
	l->line = line;
	l->file = file;
	l->err = err;
	l->errsz = errsz;
	l->failed = false;
}

void lex_ws(struct lex *l)
{
	while (*l->p && isspace((unsigned char)*l->p)) {
		if (*l->p == '\n')
			l->line++;
		l->p++;
	}
}

bool lex_eof(struct lex *l)
{
	lex_ws(l);
	return !*l->p;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool lex_accept(struct lex *l, const char *s)
{
	size_t n = strlen(s);

	lex_ws(l);
	if (strncmp(l->p, s, n))
		return false;
	l->p += n;
	return true;
}

bool lex_accept_word(struct lex *l, const char *s)
{
	size_t n = strlen(s);

	lex_ws(l);
	if (strncmp(l->p, s, n) || ident_char(l->p[n]))
		return false;
	l->p += n;
	return true;
}

bool lex_ident(struct lex *l, char *buf, size_t size)
{
	size_t n = 0;

	lex_ws(l);
	if (!isalpha((unsigned char)*l->p) && *l->p != '_')
		return false;
	while (ident_char(l->p[n]))
		n++;
	if (n >= size)
		return false;
	memcpy(buf, l->p, n);
	buf[n] = 0;
	l->p += n;
	return true;
}

bool lex_number(struct lex *l, int64_t *v)
{
	const char *s;
	char *end;
	bool neg = false;

	lex_ws(l);
	s = l->p;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	unsigned long long u = strtoull(s, &end, 0);
	if (errno || ident_char(*end))
		return false;
	*v = neg ? -(int64_t)u : (int64_t)u;
	l->p = end;
	return true;
}

void lex_found(struct lex *l, char *buf, size_t size)
{
	size_t n = 0;

	lex_ws(l);
	if (!*l->p) {
		snprintf(buf, size, "end of file");
		return;
	}
	if (ident_char(*l->p))
		while (ident_char(l->p[n]) && n < 24)
			n++;
	else
		n = 1;
	snprintf(buf, size, "'%.*s'", (int)n, l->p);
}

int lex_error(struct lex *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (l->failed)
		return -1;
	l->failed = true;
	k = snprintf(l->err, l->errsz, "%s:%d: ", l->file, l->line);
	if (k < 0 || (size_t)k >= l->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->err + k, l->errsz - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

int lex_expected(struct lex *l, const char *what)
{
	char found[40];

	lex_found(l, found, sizeof(found));
	return lex_error(l, "expected %s, found %s", what, found);
}

int lex_strip_comments(char *text)
{
	int line = 1;

	for (char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (p[0] != '(' || p[1] != '*')
			continue;
		int start = line;
		char *q = p + 2;

		while (*q && !(q[0] == '*' && q[1] == ')'))
			q++;
		if (!*q)
			return start;
		for (; p < q + 2; p++) {
			if (*p == '\n')
				line++;
			else
				*p = ' ';
		}
		p--;
		if (*p == '\n')
			line--; /* counted again by the loop */
	}
	return 0;
}
