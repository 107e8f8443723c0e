/*
 * src/explore/decisions.c - decision strings: the compact, printable form
 * of an execution that `vmsa replay --decisions` takes back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore_int.h"

static const char digits[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

char *decisions_encode(const struct dec *d, unsigned n)
{
	size_t len = 0, cap = (size_t)n + 1;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		char buf[16];
		size_t k;

		if (d[i].chosen < sizeof(digits) - 1) {
			buf[0] = digits[d[i].chosen];
			buf[1] = 0;
		} else {
			snprintf(buf, sizeof(buf), "(%u)", d[i].chosen);
		}
		k = strlen(buf);
		if (len + k + 1 > cap) {
			char *t;

			cap = 2 * cap + k;
			t = realloc(s, cap);
			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
		memcpy(s + len, buf, k + 1);
		len += k;
	}
	s[len] = 0;
	return s;
}

static int push(struct dec **d, unsigned *n, unsigned *cap, unsigned chosen)
{
	if (*n == *cap) {
		unsigned c = *cap ? 2 * *cap : 256;
		struct dec *p = realloc(*d, c * sizeof(*p));

		if (!p)
			return -1;
		*d = p;
		*cap = c;
	}
	(*d)[(*n)++] = (struct dec){.chosen = chosen, .n = 0, .free_ = false};
	return 0;
}

int decisions_decode(const char *s, struct dec **d, unsigned *n,
		     unsigned *cap, const char **why)
{
	*n = 0;
	for (; *s; s++) {
		const char *p = strchr(digits, *s);
		unsigned v;

		if (*s == '(') {
			char *end;
			unsigned long l = strtoul(s + 1, &end, 10);

			if (end == s + 1 || *end != ')' || l > 1000000) {
				*why = "'(' must be followed by a number and ')'";
				return -EINVAL;
			}
			v = (unsigned)l;
			s = end;
		} else if (p && *s) {
			v = (unsigned)(p - digits);
		} else {
			*why = "only 0-9, a-z, A-Z and (N) may appear";
			return -EINVAL;
		}
		if (push(d, n, cap, v)) {
			*why = "out of memory";
			return -ENOMEM;
		}
	}
	return 0;
}
