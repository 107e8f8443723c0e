/*
 * src/explore/decisions.c - decision strings (format in decisions.h):
 * the compact, printable form of an execution that `vmsa replay
 * --decisions` takes back, with a check of what it belongs to.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decisions.h"

static const char digits[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* Largest N accepted in "(N)": far more options than any choice has, and
 * small enough that parsing cannot overflow. */
#define MAX_PAREN 1000000u

/* FNV-1a, folded to 16 bits: the check only has to tell strings of other
 * scenarios apart, not resist anyone forging one. */
static uint32_t fnv1a(uint32_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

unsigned decisions_check(const char *name, const char *config,
			 unsigned steps)
{
	char budget[16];
	uint32_t h = 2166136261u;

	snprintf(budget, sizeof(budget), "/%u", steps);
	h = fnv1a(h, name);
	h = fnv1a(h, "@");
	h = fnv1a(h, config);
	h = fnv1a(h, budget);
	return (h ^ (h >> 16)) & 0xffffu;
}

/* Append decision c to s (len so far, cap allocated); 0, or -1. */
static int append(char **s, size_t *len, size_t *cap, unsigned c)
{
	char buf[16];
	size_t k;

	if (c < sizeof(digits) - 1) {
		buf[0] = digits[c];
		buf[1] = 0;
	} else {
		snprintf(buf, sizeof(buf), "(%u)", c);
	}
	k = strlen(buf);
	if (*len + k + 1 > *cap) {
		size_t ncap = 2 * *cap + k;
		char *t = realloc(*s, ncap);

		if (!t)
			return -1;
		*s = t;
		*cap = ncap;
	}
	memcpy(*s + *len, buf, k + 1);
	*len += k;
	return 0;
}

char *decisions_encode(unsigned check, const struct dec *d, unsigned n)
{
	size_t len = 5, cap = (size_t)n + 6;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	snprintf(s, cap, "%04x:", check & 0xffffu);
	/* Trailing zeros are what a replay assumes anyway. */
	while (n > 0 && d[n - 1].chosen == 0)
		n--;
	for (unsigned i = 0; i < n; i++) {
		if (append(&s, &len, &cap, d[i].chosen)) {
			free(s);
			return NULL;
		}
	}
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

/* Read "HHHH:" at the start of s, if it is there: the check. Returns the
 * decisions that follow, or NULL with *why set. */
static const char *read_check(const char *s, bool *has_check,
			      unsigned *check, const char **why)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long v;

	*has_check = false;
	if (!colon)
		return s;
	if (colon - s != 4 || strspn(s, "0123456789abcdefABCDEF") != 4) {
		*why = "the check before ':' must be 4 hexadecimal digits";
		return NULL;
	}
	v = strtoul(s, &end, 16);
	*has_check = true;
	*check = (unsigned)v;
	return colon + 1;
}

int decisions_decode(const char *s, bool *has_check, unsigned *check,
		     struct dec **d, unsigned *n, unsigned *cap,
		     const char **why)
{
	s = read_check(s, has_check, check, why);
	if (!s)
		return -EINVAL;
	if (d)
		*n = 0;
	for (; *s; s++) {
		const char *p = strchr(digits, *s);
		unsigned v;

		if (*s == '(') {
			size_t k = strspn(s + 1, "0123456789");

			if (!k || k > 7 || s[1 + k] != ')' ||
			    strtoul(s + 1, NULL, 10) > MAX_PAREN) {
				*why = "'(' must be followed by a number "
				       "(at most 1000000) and ')'";
				return -EINVAL;
			}
			v = (unsigned)strtoul(s + 1, NULL, 10);
			s += k + 1;
		} else if (p && *s) {
			v = (unsigned)(p - digits);
		} else {
			*why = "only 0-9, a-z, A-Z and (N) may follow the "
			       "check";
			return -EINVAL;
		}
		if (d && push(d, n, cap, v)) {
			*why = "out of memory";
			return -ENOMEM;
		}
	}
	return 0;
}
