/*
 * src/explore/report_html.c - the self-contained HTML page: a summary of
 * every configuration and each violating execution with one lane per CPU.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* An HTML page shows at most this many rows of one execution (the last
 * ones: they lead to the violation); `vmsa replay` prints them all. */
#define HTML_MAX_ROWS 3000

/* Write s with the characters HTML gives a meaning escaped. */
static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: putc(*s, f);
		}
	}
}

/* The page's style: lanes side by side, held entries in amber boxes
 * (those unchanged since the row before hidden unless the section's
 * checkbox is ticked: pure CSS, no script), the violation in red. */
static const char html_css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
	"margin:1.5em;color:#1d1d1f;background:#fff}\n"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}\n"
	"code,.mono,td.lane,td.step{font-family:ui-monospace,'DejaVu Sans Mono',"
	"Menlo,Consolas,monospace;font-size:12px}\n"
	"table{border-collapse:collapse}\n"
	"table.summary td,table.summary th{padding:2px 10px;text-align:left;"
	"border-bottom:1px solid #ddd}\n"
	".ok{color:#176f2c}.bad{color:#b00020;font-weight:bold}\n"
	"table.lanes{width:100%;table-layout:fixed;margin-top:.5em}\n"
	"table.lanes th{background:#f0f0f3;padding:4px;border:1px solid #ccc;"
	"position:sticky;top:0}\n"
	"table.lanes td{border:1px solid #e3e3e8;padding:3px 5px;"
	"vertical-align:top;word-wrap:break-word;overflow-wrap:anywhere}\n"
	"table.lanes col.step{width:4.5em}\n"
	"td.step{color:#666;text-align:right}\n"
	".ev .op{font-weight:bold;margin-right:.5em}\n"
	".ev.choice .op{color:#8a5a00}\n"
	".held{margin:3px 0 0 0;padding:2px 4px;background:#fff4d6;"
	"border-left:3px solid #e0a800;font-size:11px}\n"
	".held.none{background:#eef7ee;border-left-color:#5a9e5a}\n"
	".held.same{display:none}\n"
	".showheld:checked~table .held.same{display:block}\n"
	"tr.violation td{background:#fde2e2}\n"
	"tr.violation .ev .op{color:#b00020}\n"
	".msg{background:#fde2e2;border-left:4px solid #b00020;padding:6px;"
	"font-weight:bold}\n"
	".involved{background:#ffd6d6;border-left-color:#b00020}\n"
	"details{color:#555}\n";

/* The summary table: every row, linked to its execution when it has one. */
static void html_summary(FILE *f, const struct report_row *rows, unsigned n)
{
	fputs("<table class=\"summary\">\n<tr><th>scenario</th><th>config</th>"
	      "<th>expected</th><th>verdict</th><th>executions</th>"
	      "<th>seconds</th><th></th></tr>\n", f);
	for (unsigned i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];

		fputs("<tr><td>", f);
		if (r->trace)
			fprintf(f, "<a href=\"#v%u\">", i);
		html_text(f, r->scenario->name);
		fputs(r->trace ? "</a></td><td>" : "</td><td>", f);
		html_text(f, r->config);
		fputs("</td><td>", f);
		html_text(f, r->expect);
		fprintf(f, "</td><td class=\"%s\">", r->as_expected ? "ok" : "bad");
		html_text(f, report_verdict(r));
		fprintf(f, "</td><td>%" PRIu64 "</td><td>%.3f</td><td class=\"%s\">%s"
			"</td></tr>\n", r->res.stats.executions,
			r->res.stats.seconds, r->as_expected ? "ok" : "bad",
			r->as_expected ? "as expected" : "NOT AS EXPECTED");
	}
	fputs("</table>\n", f);
}

/* The held box of one lane cell: snapshot s, "same" when unchanged since
 * the previous row (hidden unless asked for), entries involved in the
 * violation marked. */
static void html_held(FILE *f, const char *s, bool same, bool final,
		      const vmsa_violation_t *v, unsigned cpu)
{
	if (!*s) {
		if (!same || final)
			fprintf(f, "<div class=\"held none%s\">holds no stale "
				"entry</div>", same && !final ? " same" : "");
		return;
	}
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		bool involved = false;
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)len, s);
		for (unsigned i = 0; final && v && i < v->n_entries; i++) {
			struct sb b = {0};

			report_format_entry(&b, &v->entries[i]);
			if (v->entries[i].cpu == (int)cpu && b.s.p &&
			    !strcmp(b.s.p, line))
				involved = true;
			free(b.s.p);
		}
		fprintf(f, "<div class=\"held%s%s\">may hold: ",
			same && !final ? " same" : "",
			involved ? " involved" : "");
		html_text(f, line);
		fputs("</div>", f);
		s += len + (nl ? 1 : 0);
	}
}

/* Events [i, j) of t are one row: the same step of the same CPU. */
static size_t row_end(const struct report_trace *t, size_t i)
{
	size_t j = i + 1;

	while (j < t->ev.n && t->ev.p[j].step == t->ev.p[i].step &&
	       t->ev.p[j].cpu == t->ev.p[i].cpu &&
	       strcmp(t->ev.p[j].op, "violation") &&
	       strcmp(t->ev.p[i].op, "violation"))
		j++;
	return j;
}

/* Events [i, j) of t, one line each: operation, then details. */
static void html_events(FILE *f, const struct report_trace *t, size_t i,
			size_t j)
{
	for (; i < j; i++) {
		fprintf(f, "<div class=\"ev%s\"><span class=\"op\">",
			!strcmp(t->ev.p[i].op, "choice") ? " choice" : "");
		html_text(f, t->ev.p[i].op);
		fputs("</span>", f);
		html_text(f, t->ev.p[i].text);
		fputs("</div>", f);
	}
}

/* One row: the step, then each CPU's lane: the events when they are its
 * own, and the entries it may hold after them. */
static void html_row(FILE *f, const struct report_trace *t, size_t i,
		     size_t j, const size_t *prev, const vmsa_violation_t *v)
{
	const struct report_event *last = &t->ev.p[j - 1];
	bool final = !strcmp(t->ev.p[i].op, "violation");

	fprintf(f, "<tr class=\"%s\"><td class=\"step\">%" PRIu64 "</td>",
		final ? "violation" : "s", t->ev.p[i].step);
	for (unsigned c = 0; c < t->ncpus; c++) {
		const char *now = t->snap.p[last->held[c]];
		bool same = prev[c] != (size_t)-1 &&
			    !strcmp(now, t->snap.p[t->ev.p[prev[c]].held[c]]);

		fprintf(f, "<td class=\"lane\" data-cpu=\"%u\">", c);
		if (t->ev.p[i].cpu == (int)c || (final && t->ev.p[i].cpu < 0 && c == 0))
			html_events(f, t, i, j);
		html_held(f, now, same, final, v, c);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

/* Set-up events (no CPU) before the first step: one folded row. */
static size_t html_setup(FILE *f, const struct report_trace *t)
{
	size_t j = 0;

	while (j < t->ev.n && t->ev.p[j].cpu < 0 &&
	       strcmp(t->ev.p[j].op, "violation"))
		j++;
	if (!j)
		return 0;
	fprintf(f, "<tr class=\"setup\"><td class=\"step\">0</td><td colspan=\"%u\">"
		"<details><summary>set-up (%zu events)</summary>", t->ncpus, j);
	html_events(f, t, 0, j);
	fputs("</details></td></tr>\n", f);
	return j;
}

/* The violation of r, or a line saying the execution had none (a replay
 * of an execution that ends safely). */
static void html_violation(FILE *f, const struct report_row *r)
{
	const vmsa_violation_t *v = &r->res.violation;
	char where[32];

	if (!r->res.violated) {
		fputs("<p>safe: the execution ended without a violation</p>\n",
		      f);
		return;
	}
	fputs("<p class=\"msg\">", f);
	html_text(f, vmsa_violation_kind_name(v->kind));
	if (v->rule) {
		fputs(" (rule ", f);
		html_text(f, v->rule);
		fputs(")", f);
	}
	report_violation_where(where, sizeof(where), v);
	fprintf(f, " %s at step %" PRIu64 ": ", where, v->step);
	html_text(f, v->message);
	fputs("</p>\n", f);
}

/* How to see the execution again: the vmsa replay command cmd (NULL
 * when r has no decision string, or out of memory), or the style's
 * command that makes the page again. */
static void html_replay(FILE *f, const struct report_style *st,
			const struct report_row *r, const char *cmd)
{
	const char *what = "replay";

	if (st->rerun) {
		what = "made by";
		cmd = st->rerun;
	} else if (!r->res.decisions) {
		return;
	}
	fprintf(f, "<p>%s: <code>", what);
	html_text(f, cmd ? cmd : "(out of memory)");
	fputs("</code></p>\n", f);
}

/* One violating configuration: heading, violation, replay command, and
 * the execution with one lane per CPU (its last HTML_MAX_ROWS rows). */
static void html_trace(FILE *f, const struct report_style *st,
		       const struct report_row *r, unsigned id)
{
	const struct report_trace *t = r->trace;
	const vmsa_violation_t *v = &r->res.violation;
	size_t prev[VMSA_MAX_CPUS], i, rows = 0, skip = 0;
	char *cmd = report_replay_cmd(st, r);

	fprintf(f, "<section class=\"execution\" id=\"v%u\">\n<h2>", id);
	html_text(f, r->scenario->name);
	fputs(" @ ", f);
	html_text(f, r->config);
	fprintf(f, ": <span class=\"%s\">", r->as_expected ? "ok" : "bad");
	html_text(f, report_verdict(r));
	fputs("</span>", f);
	if (!st->replay) {
		fputs(" (expected ", f);
		html_text(f, r->expect);
		fputs(")", f);
	}
	fputs("</h2>\n<p>", f);
	html_text(f, r->scenario->doc);
	fputs("</p>\n", f);
	html_violation(f, r);
	html_replay(f, st, r, cmd);
	free(cmd);
	if (r->note[0]) {
		fputs("<p class=\"bad\">", f);
		html_text(f, r->note);
		fputs("</p>\n", f);
	}
	fprintf(f, "<input type=\"checkbox\" class=\"showheld\" id=\"h%u\">"
		"<label for=\"h%u\"> show the entries each CPU may hold at "
		"every step (by default: only when they change)</label>\n",
		id, id);
	for (i = 0; i < t->ev.n; i = row_end(t, i))
		rows++;
	if (rows > HTML_MAX_ROWS)
		skip = rows - HTML_MAX_ROWS;
	if (skip)
		fprintf(f, "<p>The first %zu steps are not shown; "
			"<code>vmsa replay</code> prints them all.</p>\n", skip);
	if (t->oom)
		fputs("<p class=\"bad\">Out of memory while recording: the "
		      "trace is incomplete.</p>\n", f);
	fputs("<table class=\"lanes\"><colgroup><col class=\"step\">", f);
	for (unsigned c = 0; c < t->ncpus; c++)
		fputs("<col>", f);
	fputs("</colgroup>\n<thead><tr><th>step</th>", f);
	for (unsigned c = 0; c < t->ncpus; c++)
		fprintf(f, "<th class=\"lane\" data-cpu=\"%u\">CPU%u</th>", c, c);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
		prev[c] = (size_t)-1;
	i = skip ? 0 : html_setup(f, t);
	for (size_t row = 0; i < t->ev.n; row++) {
		size_t j = row_end(t, i);

		if (row >= skip) {
			html_row(f, t, i, j, prev, v);
			for (unsigned c = 0; c < t->ncpus; c++)
				prev[c] = j - 1;
		}
		i = j;
	}
	fputs("</tbody></table>\n</section>\n", f);
}

/* The page's head and title: `vmsa check`, or the replayed execution. */
static void html_head(FILE *f, const struct report_style *st,
		      const struct report_row *rows)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", f);
	if (st->replay) {
		fputs(st->rerun ? "vmsa litmus " : "vmsa replay ", f);
		html_text(f, rows[0].scenario->name);
		fputs("@", f);
		html_text(f, rows[0].config);
	} else {
		fputs("vmsa check", f);
	}
	fputs("</title>\n<style>\n", f);
	fputs(html_css, f);
	fputs("</style>\n</head>\n<body>\n<h1>", f);
	if (st->replay) {
		fputs(st->rerun ? "An execution of " : "Replay of ", f);
		html_text(f, rows[0].scenario->name);
		fputs("@", f);
		html_text(f, rows[0].config);
	} else {
		fputs("vmsa check", f);
	}
	fputs("</h1>\n", f);
}

/* What the page shows, after the title: the summary of a check. */
static void html_intro(FILE *f, const struct report_row *rows, unsigned n)
{
	unsigned ok = 0, traced = 0;

	for (unsigned i = 0; i < n; i++) {
		ok += rows[i].as_expected;
		traced += rows[i].trace != NULL;
	}
	fprintf(f, "<p>%u configuration%s, %u as expected, %u not. ", n,
		n == 1 ? "" : "s", ok, n - ok);
	fprintf(f, "%u violating execution%s shown below, one lane per CPU, "
		"each step in its CPU's lane in step order, with the stale "
		"TLB entries each CPU may still hold.</p>\n", traced,
		traced == 1 ? "" : "s");
	html_summary(f, rows, n);
}

int report_html(FILE *f, const struct report_style *st,
		const struct report_row *rows, unsigned n)
{
	html_head(f, st, rows);
	if (st->replay)
		fputs("<p>One execution replayed from its decisions, one lane "
		      "per CPU, each step in its CPU's lane in step order, with "
		      "the stale TLB entries each CPU may still hold.</p>\n", f);
	else
		html_intro(f, rows, n);
	for (unsigned i = 0; i < n; i++)
		if (rows[i].trace)
			html_trace(f, st, &rows[i], i);
	fputs("</body>\n</html>\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
