/*
 * src/cli/json_read.h - a small JSON reader for `vmsa merge`, which
 * reads back the JSON Lines that `vmsa check --json` writes. Private.
 *
 * One value is parsed at a time into a tree of struct jv. Numbers keep
 * their text (executions are 64-bit integers, beyond a double's exact
 * range); every value keeps the span of its source text, so that a
 * value can be written out again exactly as it came.
 */
#ifndef VMSA_CLI_JSON_READ_H
#define VMSA_CLI_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type t;
	const char *src;        /* the value's text in the parsed string */
	size_t len;
	bool b;                 /* JV_BOOL */
	char *str;              /* JV_STR: decoded, malloc'd */
	unsigned n;             /* JV_ARR, JV_OBJ: elements */
	struct jv *items;
	char **keys;            /* JV_OBJ: decoded keys */
};

/* Parse s (all of it, but whitespace) into *v. Returns 0, or -EINVAL
 * with *why naming the problem (or -ENOMEM); *v is freed then. */
int json_parse(const char *s, struct jv *v, const char **why);
void json_free(struct jv *v);

/* Member `key` of object o (NULL when absent or o is not an object). */
const struct jv *json_get(const struct jv *o, const char *key);

/* v as an unsigned integer: 0, or -EINVAL when it is not one. */
int json_u64(const struct jv *v, uint64_t *out);

#endif
