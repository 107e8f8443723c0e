/*
 * src/explore/strbuf.h - a growable string. Private to libvmsa.
 */
#ifndef VMSA_EXPLORE_STRBUF_H
#define VMSA_EXPLORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/vec.h"

VEC_DEFINE(char_vec, char)

/* Zero-initialise. The text is s.p, NUL-terminated, s.n characters; s.p
 * is NULL until something is appended (free(s.p) after, or keep it). */
struct sb {
	struct char_vec s;
	bool oom;
};

/* Append printf-style text to b; on out of memory, b->oom is set and b
 * keeps what it had. */
void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
