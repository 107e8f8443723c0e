/*
 * src/explore/report_table.c - the text table of `vmsa check`: header,
 * one row per configuration, the details of unexpected ones, summary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* "0.004s", "12.3s", "2m05s". */
static void format_seconds(char *buf, size_t size, double s)
{
	if (s < 10)
		snprintf(buf, size, "%.3fs", s);
	else if (s < 60)
		snprintf(buf, size, "%.1fs", s);
	else
		snprintf(buf, size, "%um%02us", (unsigned)(s / 60),
			 (unsigned)s % 60);
}


/*
 * s in exactly `width` columns: padded, or cut with a final '~' when it
 * is longer, so that a value wider than its column never pushes the
 * rest of the row out of line. The caller sizes columns to the widest
 * value it knows (cmd_check.c), so this only catches what it did not.
 */
static void put_col(FILE *f, const char *s, int width)
{
	int len = (int)strnlen(s, (size_t)width + 1);

	if (len <= width)
		fprintf(f, "%-*s", width, s);
	else
		fprintf(f, "%.*s~", width - 1, s);
}

/* The verdict column: at least as wide as the expected one. */
static int verdict_width(const struct report_style *st)
{
	return st->verdict_width > st->expect_width ? st->verdict_width :
						      st->expect_width;
}

void report_table_header(FILE *f, const struct report_style *st)
{
	fprintf(f, "%s%-*s  %-*s  %-*s  %-*s  %10s  %8s%s\n",
		st->color ? C_BOLD : "", st->name_width, "scenario",
		st->config_width, "config", st->expect_width, "expected",
		verdict_width(st), "verdict", "executions", "time",
		st->color ? C_OFF : "");
}

void report_table_row(FILE *f, const struct report_style *st,
		      const struct report_row *r)
{
	const char *on = "", *off = "", *mark = "", *mark_on = "";
	char secs[32];

	if (st->color) {
		on = r->as_expected ? C_GREEN : C_RED;
		off = C_OFF;
	}
	if (!r->as_expected) {
		mark = "  NOT AS EXPECTED";
		mark_on = on;
	} else if (r->ran && !r->res.violated && !r->res.complete) {
		/* Safe so far, but not every execution was explored. */
		mark = "  (search incomplete)";
		mark_on = st->color ? C_DIM : "";
	}
	format_seconds(secs, sizeof(secs), r->res.stats.seconds);
	/* Every column in its width, whatever the value (put_col()). */
	put_col(f, r->scenario->name, st->name_width);
	fputs("  ", f);
	put_col(f, r->config, st->config_width);
	fputs("  ", f);
	put_col(f, r->expect, st->expect_width);
	fprintf(f, "  %s", on);
	put_col(f, report_verdict(r), verdict_width(st));
	fprintf(f, "%s  %10" PRIu64 "  %8s%s%s%s\n", off,
		r->res.stats.executions, secs, mark_on, mark, *mark ? off : "");
	/* --continue-after-bbm: how many executions went on after a
	 * break-before-make violation (vmsa_bbm_warning). */
	if (r->res.stats.bbm_warnings)
		fprintf(f, "    bbm warning: %" PRIu64 " of the executions "
			"continued after a break-before-make violation\n",
			r->res.stats.bbm_warnings);
}

void report_replay_line(FILE *f, const struct report_style *st,
			const struct report_row *r)
{
	char *cmd = report_replay_cmd(st, r);

	if (cmd)
		fprintf(f, "    replay: %s\n", cmd);
	free(cmd);
}

void report_unexpected(FILE *f, const struct report_style *st,
		       const struct report_row *r)
{
	const vmsa_violation_t *v = &r->res.violation;
	char where[32];

	fprintf(f, "  %s@%s: expected %s, verdict %s\n", r->scenario->name,
		r->config, r->expect, report_verdict(r));
	if (!r->ran) {
		fprintf(f, "    error: %s\n", r->res.error);
	} else if (r->res.violated) {
		fprintf(f, "    %s", vmsa_violation_kind_name(v->kind));
		if (v->rule)
			fprintf(f, " (rule %s)", v->rule);
		report_violation_where(where, sizeof(where), v);
		fprintf(f, " %s at step %" PRIu64 ": %s\n", where, v->step,
			v->message);
	} else {
		bool capped = st->max_executions && !r->res.complete &&
			      r->res.stats.executions >= st->max_executions;

		fprintf(f, "    no execution of %" PRIu64 " violated anything%s\n",
			r->res.stats.executions,
			r->res.complete ? "" : capped ?
			" (the search stopped at --max-executions: it was "
			"incomplete)" :
			" (the search was incomplete: try a larger "
			"--preemptions, --steps or --random)");
	}
	report_replay_line(f, st, r);
	if (r->note[0])
		fprintf(f, "    %s\n", r->note);
}

void report_summary(FILE *f, const struct report_style *st, unsigned total,
		    unsigned as_expected)
{
	bool bad = as_expected != total;

	fprintf(f, "%s%u configuration%s, %u as expected, %u not%s\n",
		st->color ? (bad ? C_RED C_BOLD : C_GREEN C_BOLD) : "", total,
		total == 1 ? "" : "s", as_expected, total - as_expected,
		st->color ? C_OFF : "");
}
