/*
 * src/explore/strbuf.c - a growable string for the reports, which build
 * lines of unknown length (entries, command lines) before printing them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "strbuf.h"

void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || b->oom)
		return;
	if (char_vec_reserve(&b->s, (size_t)b->s.n + (size_t)k + 1)) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s.p + b->s.n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->s.n += (unsigned)k;
}
