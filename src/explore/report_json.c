/*
 * src/explore/report_json.c - JSON Lines: one object per configuration.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "report_int.h"

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

void report_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	while (*s) {
		size_t n = utf8_len(s);

		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
		} else if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
		}
		s += n ? n : 1;
	}
	putc('"', f);
}

/* "key": "string" (or null), with a leading ", " unless first. */
static void json_kv_str(FILE *f, bool first, const char *key, const char *v)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
	report_json_string(f, v);
}

/* The "violation" value of a row: null, or its object. */
static void json_violation(FILE *f, const struct report_row *r)
{
	const vmsa_violation_t *v = &r->res.violation;

	if (!r->ran || !r->res.violated) {
		fputs("null", f);
		return;
	}
	putc('{', f);
	json_kv_str(f, true, "kind", vmsa_violation_kind_name(v->kind));
	json_kv_str(f, false, "rule", v->rule);
	fprintf(f, ", \"cpu\": %d, \"step\": %" PRIu64, v->cpu, v->step);
	json_kv_str(f, false, "message", v->message);
	json_kv_str(f, false, "decisions", r->res.decisions);
	putc('}', f);
}

/* ', "shard": {...}': what `vmsa merge` needs of a shard's result. */
static void json_shard(FILE *f, const struct par_shard *sh)
{
	fprintf(f, ", \"shard\": {\"index\": %u, \"count\": %u, "
		"\"units\": %u, \"plan\": \"%08" PRIx32 "\", ", sh->index,
		sh->count, sh->units, sh->plan);
	if (sh->preemptions == VMSA_UNBOUNDED)
		fputs("\"preemptions\": \"unbounded\"", f);
	else
		fprintf(f, "\"preemptions\": %d", sh->preemptions);
	fprintf(f, ", \"steps\": %u, \"ran\": [", sh->steps);
	for (unsigned i = 0; i < sh->n_ran; i++)
		fprintf(f, "%s[%u, %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %"
			PRIu64 "]", i ? ", " : "", sh->ran[i].unit,
			sh->ran[i].executions, sh->ran[i].blocked,
			sh->ran[i].ruled, sh->ran[i].ended);
	if (sh->stop >= 0)
		fprintf(f, "], \"stop\": %ld}", sh->stop);
	else
		fputs("], \"stop\": null}", f);
}

void report_json_row(FILE *f, const struct report_row *r)
{
	const char *error = !r->ran ? r->res.error : r->note[0] ? r->note :
				       NULL;

	putc('{', f);
	json_kv_str(f, true, "scenario", r->scenario->name);
	json_kv_str(f, false, "config", r->config);
	json_kv_str(f, false, "expect", r->expect);
	json_kv_str(f, false, "verdict", report_verdict(r));
	fprintf(f, ", \"as_expected\": %s, \"complete\": %s",
		r->as_expected ? "true" : "false",
		r->ran && r->res.complete ? "true" : "false");
	fprintf(f, ", \"executions\": %" PRIu64 ", \"blocked\": %" PRIu64
		", \"ruled\": %" PRIu64 ", \"ended\": %" PRIu64
		", \"seconds\": %.3f", r->res.stats.executions,
		r->res.stats.blocked, r->res.stats.ruled, r->res.stats.ended,
		r->res.stats.seconds);
	if (r->res.stats.bbm_warnings)
		fprintf(f, ", \"bbm_warnings\": %" PRIu64,
			r->res.stats.bbm_warnings);
	fputs(", \"violation\": ", f);
	json_violation(f, r);
	json_kv_str(f, false, "error", error);
	if (r->shard)
		json_shard(f, r->shard);
	fputs("}\n", f);
}
