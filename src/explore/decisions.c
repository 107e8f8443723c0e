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
#include "strbuf.h"

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

char *decisions_encode(unsigned check, const struct dec *d, unsigned n)
{
	struct sb b = {0};

	sb_printf(&b, "%04x:", check & 0xffffu);
	/* Trailing zeros are what a replay assumes anyway. */
	while (n > 0 && d[n - 1].chosen == 0)
		n--;
	for (unsigned i = 0; i < n && !b.oom; i++) {
		if (d[i].chosen < sizeof(digits) - 1)
			sb_printf(&b, "%c", digits[d[i].chosen]);
		else
			sb_printf(&b, "(%u)", d[i].chosen);
	}
	if (b.oom) {
		free(b.s.p);
		return NULL;
	}
	return b.s.p;
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
		     struct dec_vec *d, const char **why)
{
	s = read_check(s, has_check, check, why);
	if (!s)
		return -EINVAL;
	if (d)
		d->n = 0;
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
		if (d && dec_vec_push(d, (struct dec){.chosen = v})) {
			*why = "out of memory";
			return -ENOMEM;
		}
	}
	return 0;
}
