/*
 * src/cli/json_read.c - a small recursive-descent JSON reader (see
 * json_read.h): enough for what vmsa writes, strict about the rest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

/* Nesting deeper than this is not something vmsa wrote. */
#define MAX_DEPTH 32

struct reader {
	const char *p;
	const char *why;
	int err;
};

static void skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int fail(struct reader *r, const char *why)
{
	if (!r->err) {
		r->why = why;
		r->err = -EINVAL;
	}
	return r->err;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	*out = v;
	return 0;
}

/* Append code point c as UTF-8 at *o. */
static void put_utf8(char **o, unsigned c)
{
	if (c < 0x80) {
		*(*o)++ = (char)c;
	} else if (c < 0x800) {
		*(*o)++ = (char)(0xc0 | (c >> 6));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*(*o)++ = (char)(0xe0 | (c >> 12));
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else {
		*(*o)++ = (char)(0xf0 | (c >> 18));
		*(*o)++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	}
}

/* A surrogate c read from \uXXXX (r->p at its 'u'): joined with the low
 * surrogate escape that follows a high one (RFC 8259, section 7) into
 * one code point, r->p then moved on to the second escape's 'u'; U+FFFD
 * for a lone surrogate of either kind. */
static unsigned join_surrogates(struct reader *r, unsigned c)
{
	const char *q = r->p + 5;
	unsigned lo;

	if (c > 0xdbff || q[0] != '\\' || q[1] != 'u' || hex4(q + 2, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return 0xfffd;
	r->p += 6;
	return 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
}

/* One escape after the backslash at r->p[-1], decoded into *o. */
static int unescape(struct reader *r, char **o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = strchr(from, *r->p);
	unsigned c;

	if (*r->p && e) {
		*(*o)++ = to[e - from];
		r->p++;
		return 0;
	}
	if (*r->p != 'u' || hex4(r->p + 1, &c))
		return fail(r, "a bad escape in a string");
	/* vmsa writes \uXXXX for control characters only, but a file a
	 * person or another tool wrote may escape any character. */
	if (c >= 0xd800 && c <= 0xdfff)
		c = join_surrogates(r, c);
	put_utf8(o, c);
	r->p += 5;
	return 0;
}

/* A string at r->p (its opening quote), decoded and malloc'd. */
static char *read_string(struct reader *r)
{
	const char *q = r->p + 1;
	char *s, *o;

	/* Decoded, a string is never longer than its source. */
	while (*q && *q != '"')
		q += *q == '\\' && q[1] ? 2 : 1;
	if (!*q) {
		fail(r, "a string without its closing quote");
		return NULL;
	}
	if (!(s = malloc((size_t)(q - r->p) + 1))) {
		r->err = -ENOMEM;
		return NULL;
	}
	o = s;
	r->p++;
	while (*r->p != '"') {
		if ((unsigned char)*r->p < 0x20) {
			free(s);
			fail(r, "a control character in a string");
			return NULL;
		}
		if (*r->p == '\\') {
			r->p++;
			if (unescape(r, &o)) {
				free(s);
				return NULL;
			}
		} else {
			*o++ = *r->p++;
		}
	}
	r->p++;
	*o = 0;
	return s;
}

static int parse_value(struct reader *r, struct jv *v, int depth);

/* The elements of an array or the members of an object (r->p after its
 * opening bracket). */
static int parse_items(struct reader *r, struct jv *v, int depth, bool obj)
{
	char close = obj ? '}' : ']';
	unsigned cap = 0;

	skip_ws(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(r);
		if (obj) {
			if (*r->p != '"')
				return fail(r, "an object key that is not a string");
			if (!(key = read_string(r)))
				return r->err;
			skip_ws(r);
			if (*r->p != ':') {
				free(key);
				return fail(r, "a key without ':'");
			}
			r->p++;
		}
		if (v->n == cap) {
			unsigned nc = cap ? 2 * cap : 8;
			struct jv *it = realloc(v->items, nc * sizeof(*it));
			char **ks = obj ? realloc(v->keys, nc * sizeof(*ks)) : NULL;

			if (it)
				v->items = it;
			if (ks)
				v->keys = ks;
			if (!it || (obj && !ks)) {
				free(key);
				r->err = -ENOMEM;
				return r->err;
			}
			cap = nc;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (parse_value(r, &v->items[v->n - 1], depth + 1))
			return r->err;
		skip_ws(r);
		if (*r->p == close) {
			r->p++;
			return 0;
		}
		if (*r->p != ',')
			return fail(r, obj ? "an object member without ',' or '}'" :
				    "an array element without ',' or ']'");
		r->p++;
	}
}

/* A number: -?digits[.digits][e[+-]digits], kept as text. */
static int parse_number(struct reader *r)
{
	const char *p = r->p;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return fail(r, "not a JSON value");
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return fail(r, "a number without digits after '.'");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return fail(r, "a number without an exponent");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	r->p = p;
	return 0;
}

static int parse_value(struct reader *r, struct jv *v, int depth)
{
	skip_ws(r);
	v->src = r->p;
	if (depth > MAX_DEPTH)
		return fail(r, "nested too deeply");
	if (*r->p == '{' || *r->p == '[') {
		bool obj = *r->p == '{';

		v->t = obj ? JV_OBJ : JV_ARR;
		r->p++;
		if (parse_items(r, v, depth, obj))
			return r->err;
	} else if (*r->p == '"') {
		v->t = JV_STR;
		if (!(v->str = read_string(r)))
			return r->err;
	} else if (!strncmp(r->p, "true", 4) || !strncmp(r->p, "false", 5)) {
		v->t = JV_BOOL;
		v->b = *r->p == 't';
		r->p += v->b ? 4 : 5;
	} else if (!strncmp(r->p, "null", 4)) {
		v->t = JV_NULL;
		r->p += 4;
	} else {
		v->t = JV_NUM;
		if (parse_number(r))
			return r->err;
	}
	v->len = (size_t)(r->p - v->src);
	return 0;
}

void json_free(struct jv *v)
{
	for (unsigned i = 0; i < v->n; i++) {
		json_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

int json_parse(const char *s, struct jv *v, const char **why)
{
	struct reader r = {s, NULL, 0};

	memset(v, 0, sizeof(*v));
	if (!parse_value(&r, v, 0)) {
		skip_ws(&r);
		if (*r.p)
			fail(&r, "text after the JSON value");
	}
	if (r.err) {
		json_free(v);
		*why = r.err == -ENOMEM ? "out of memory" : r.why;
	}
	return r.err;
}

const struct jv *json_get(const struct jv *o, const char *key)
{
	if (o->t != JV_OBJ)
		return NULL;
	for (unsigned i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	return NULL;
}

int json_u64(const struct jv *v, uint64_t *out)
{
	uint64_t x = 0;

	if (!v || v->t != JV_NUM || v->src[0] == '-')
		return -EINVAL;
	for (size_t i = 0; i < v->len; i++) {
		unsigned d = (unsigned)(v->src[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = 10 * x + d;
	}
	*out = x;
	return 0;
}
