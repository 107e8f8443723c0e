/*
 * tests/cli/test_json_read.c - the JSON reader of `vmsa merge`: string
 * escapes, surrogate pairs included.
 */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "cli/json_read.h"

/* s parsed as one JSON string, decoded (or NULL when it did not parse). */
static char *decoded(const char *s)
{
	struct jv v;
	const char *why;
	char *out = NULL;

	if (json_parse(s, &v, &why) == 0) {
		if (v.t == JV_STR) {
			out = v.str;
			v.str = NULL;
		}
		json_free(&v);
	}
	return out;
}

static void check_decoded(const char *json, const char *want)
{
	char *got = decoded(json);

	CHECK(got != NULL);
	if (got)
		CHECK_STR(got, want);
	free(got);
}

TEST(json_read_simple_escapes)
{
	check_decoded("\"a\\\"b\\\\c\\/d\\n\\t\"", "a\"b\\c/d\n\t");
	check_decoded("\"\\u0001\\u00e9\\u20ac\"", "\x01\xc3\xa9\xe2\x82\xac");
}

/* U+1F600 is \ud83d\ude00: four bytes of UTF-8. */
TEST(json_read_surrogate_pair)
{
	check_decoded("\"x\\ud83d\\ude00y\"", "x\xf0\x9f\x98\x80y");
	check_decoded("\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80");   /* U+10000 */
	check_decoded("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf");   /* U+10FFFF */
}

/* A lone surrogate of either kind becomes U+FFFD; what follows it is
 * read as itself. */
TEST(json_read_lone_surrogates)
{
	check_decoded("\"\\ud83d\"", "\xef\xbf\xbd");
	check_decoded("\"\\ude00\"", "\xef\xbf\xbd");
	check_decoded("\"\\ud83dA\"", "\xef\xbf\xbd" "A");
	check_decoded("\"\\ud83d\\u0041\"", "\xef\xbf\xbd" "A");
	check_decoded("\"\\ud83d\\ud83d\\ude00\"",
		      "\xef\xbf\xbd\xf0\x9f\x98\x80");
}

TEST(json_read_bad_escape)
{
	struct jv v;
	const char *why = NULL;

	CHECK_EQ(json_parse("\"\\ud83d\\uzzzz\"", &v, &why), -EINVAL);
	CHECK(why != NULL);
	CHECK_EQ(json_parse("\"\\x\"", &v, &why), -EINVAL);
}
