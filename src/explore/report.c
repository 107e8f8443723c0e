/*
 * src/explore/report.c - reports of `vmsa check` and `vmsa replay`: the
 * text table, JSON Lines, the HTML page, the text of a replay, and the
 * trace recorder they draw on. One function per format; nothing here
 * parses arguments or decides exit statuses (src/cli/cli.c does).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsa/desc.h"
#include "report.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

/* An HTML page shows at most this many rows of one execution (the last
 * ones: they lead to the violation); `vmsa replay` prints them all. */
#define HTML_MAX_ROWS 3000

/* ------------------------------------------------------------------ */
/* A growable string                                                   */
/* ------------------------------------------------------------------ */

struct sb {
	char *p;
	size_t n, cap;
	bool oom;
};

/* Append printf-style text to b; on out of memory, b->oom is set and b
 * keeps what it had. */
static void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || b->oom)
		return;
	if (b->n + (size_t)k + 1 > b->cap) {
		size_t cap = 2 * b->cap + (size_t)k + 64;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

/* ------------------------------------------------------------------ */
/* Held TLB entries                                                    */
/* ------------------------------------------------------------------ */

/* "4K", "2M", "1G", or bytes: the size an entry covers. */
static void size_name(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "KMGT";
	unsigned u = 0;

	if (!bytes || bytes % 1024) {
		snprintf(buf, size, "%" PRIu64, bytes);
		return;
	}
	bytes /= 1024;
	while (u + 1 < sizeof(units) - 1 && bytes % 1024 == 0 && bytes >= 1024) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 "%c", bytes, units[u]);
}

/*
 * One line for a TLB entry a CPU may hold: what it translates (regime,
 * VA or IPA, size, ASID/VMID), the descriptor it was made from decoded
 * with its tag's level, and where that descriptor was. The model makes
 * combined stage 1+2 entries only from stage-2 values (for every VA that
 * maps to the IPA range of the tag), so those are decoded as stage 2.
 */
static void format_entry(struct sb *b, const vmsa_violation_entry_t *e)
{
	const vmsa_tlb_tag_t *t = &e->tag;
	bool s1 = t->stage == VMSA_TLB_S1;
	char desc[200], sz[24];

	vmsa_desc_format(desc, sizeof(desc), e->desc,
			 s1 ? VMSA_STAGE1 : VMSA_STAGE2, t->level, t->granule);
	size_name(sz, sizeof(sz), t->size);
	sb_printf(b, "%s %s%s 0x%" PRIx64 "/%s", vmsa_regime_name(t->regime),
		  t->stage == VMSA_TLB_S12 ? "stage 1+2, any VA to " : "",
		  s1 ? "va" : "ipa", t->ia, sz);
	if (s1)
		sb_printf(b, t->global ? " global" : " asid %u", t->asid);
	else
		sb_printf(b, " vmid %u", t->vmid);
	sb_printf(b, "%s: %s (descriptor at 0x%" PRIx64 ")",
		  t->leaf ? "" : " (walk cache)", desc, (uint64_t)e->loc);
}

/* ------------------------------------------------------------------ */
/* The trace recorder                                                  */
/* ------------------------------------------------------------------ */

/* Add a snapshot; returns its index, or 0 (the empty one) when out of
 * memory (t->oom set). Takes s. */
static unsigned add_snap(struct report_trace *t, char *s)
{
	if (t->n_snap == t->cap_snap) {
		size_t cap = t->cap_snap ? 2 * t->cap_snap : 64;
		char **p = realloc(t->snap, cap * sizeof(*p));

		if (!p) {
			free(s);
			t->oom = true;
			return 0;
		}
		t->snap = p;
		t->cap_snap = cap;
	}
	t->snap[t->n_snap] = s;
	return (unsigned)t->n_snap++;
}

/* The entries CPU cpu may hold now, one per line ("" for none). */
static char *held_now(const vmsa_machine_t *m, unsigned cpu)
{
	struct sb b = {0};
	vmsa_violation_entry_t e;

	for (unsigned i = 0; vmsa_held_get(m, cpu, i, &e); i++) {
		format_entry(&b, &e);
		sb_printf(&b, "\n");
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}

/* Forget the recorded events and snapshots (keeping the empty one). */
static void free_events(struct report_trace *t)
{
	for (size_t i = 0; i < t->n_ev; i++) {
		free(t->ev[i].op);
		free(t->ev[i].text);
	}
	for (size_t i = 1; i < t->n_snap; i++)
		free(t->snap[i]);
	t->n_ev = 0;
	t->n_snap = t->snap ? 1 : 0;
	memset(t->cur, 0, sizeof(t->cur));
}

/* trace_machine: a new execution begins on m; forget the previous one. */
static void rec_machine(void *ctx, const vmsa_machine_t *m)
{
	struct report_trace *t = ctx;

	free_events(t);
	t->m = m;
	t->ncpus = vmsa_machine_features(m)->ncpus;
	if (t->ncpus > VMSA_MAX_CPUS)
		t->ncpus = VMSA_MAX_CPUS;
}

/* Refresh t->cur[] from the machine: a new snapshot for each CPU whose
 * held entries changed since its last one. */
static void rec_held(struct report_trace *t)
{
	for (unsigned c = 0; c < t->ncpus; c++) {
		char *s = held_now(t->m, c);

		if (!s) {
			t->oom = true;
			return;
		}
		if (!strcmp(s, t->snap[t->cur[c]])) {
			free(s);
		} else if (!*s) {
			free(s);
			t->cur[c] = 0;
		} else {
			t->cur[c] = add_snap(t, s);
		}
	}
}

/* trace: keep the event and what each CPU holds after it. */
static void rec_event(void *ctx, const vmsa_trace_event_t *e)
{
	struct report_trace *t = ctx;
	struct report_event *ev;

	if (t->oom || !t->m)
		return;
	if (t->n_ev == t->cap_ev) {
		size_t cap = t->cap_ev ? 2 * t->cap_ev : 256;
		struct report_event *p = realloc(t->ev, cap * sizeof(*p));

		if (!p) {
			t->oom = true;
			return;
		}
		t->ev = p;
		t->cap_ev = cap;
	}
	ev = &t->ev[t->n_ev];
	memset(ev, 0, sizeof(*ev));
	ev->step = e->step;
	ev->cpu = e->cpu;
	ev->op = strdup(e->op ? e->op : "?");
	ev->text = strdup(e->text ? e->text : "");
	if (!ev->op || !ev->text) {
		free(ev->op);
		free(ev->text);
		t->oom = true;
		return;
	}
	t->n_ev++;
	rec_held(t);
	memcpy(ev->held, t->cur, sizeof(ev->held));
}

int report_trace_init(struct report_trace *t, vmsa_explore_opts_t *o)
{
	memset(t, 0, sizeof(*t));
	if (add_snap(t, strdup("")) != 0 || t->oom || !t->snap[0])
		return -1;
	o->trace = rec_event;
	o->trace_ctx = t;
	o->trace_machine = rec_machine;
	return 0;
}

void report_trace_free(struct report_trace *t)
{
	if (!t)
		return;
	free_events(t);
	if (t->snap)
		free(t->snap[0]);
	free(t->snap);
	free(t->ev);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* Shared pieces                                                       */
/* ------------------------------------------------------------------ */

const char *report_verdict(const struct report_row *r)
{
	return r->ran && r->res.verdict ? r->res.verdict : "error";
}

/* Does s need quoting for a POSIX shell? */
static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789/@+-_.,:=", *s))
			return true;
	return false;
}

/* Append s to b as one shell word. */
static void sb_shell_word(struct sb *b, const char *s)
{
	if (!needs_quotes(s)) {
		sb_printf(b, "%s", s);
		return;
	}
	sb_printf(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_printf(b, "'\\''");
		else
			sb_printf(b, "%c", *s);
	}
	sb_printf(b, "'");
}

void report_replay_cmd(char *buf, size_t size, const struct report_style *st,
		       const struct report_row *r)
{
	struct sb b = {0};
	char target[256];

	if (size)
		buf[0] = 0;
	if (!r->ran || !r->res.violated || !r->res.decisions)
		return;
	snprintf(target, sizeof(target), "%s@%s", r->scenario->name,
		 r->config);
	sb_shell_word(&b, st->prog ? st->prog : "vmsa");
	sb_printf(&b, " replay ");
	sb_shell_word(&b, target);
	if (st->step_budget &&
	    st->step_budget != vmsa_explore_defaults().step_budget)
		sb_printf(&b, " --steps %u", st->step_budget);
	sb_printf(&b, " --decisions ");
	sb_shell_word(&b, r->res.decisions);
	if (!b.oom && size)
		snprintf(buf, size, "%s", b.p);
	free(b.p);
}

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

/* ------------------------------------------------------------------ */
/* Text table                                                          */
/* ------------------------------------------------------------------ */

void report_table_header(FILE *f, const struct report_style *st)
{
	fprintf(f, "%s%-*s  %-*s  %-*s  %-*s  %10s  %8s%s\n",
		st->color ? C_BOLD : "", st->name_width, "scenario",
		st->config_width, "config", st->expect_width, "expected",
		st->expect_width, "verdict", "executions", "time",
		st->color ? C_OFF : "");
}

void report_table_row(FILE *f, const struct report_style *st,
		      const struct report_row *r)
{
	const char *verdict = report_verdict(r);
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
	fprintf(f, "%-*s  %-*s  %-*s  %s%-*s%s  %10" PRIu64 "  %8s%s%s%s\n",
		st->name_width, r->scenario->name, st->config_width, r->config,
		st->expect_width, r->expect, on, st->expect_width, verdict, off,
		r->res.stats.executions, secs, mark_on, mark, *mark ? off : "");
}

void report_unexpected(FILE *f, const struct report_style *st,
		       const struct report_row *r)
{
	const vmsa_violation_t *v = &r->res.violation;
	char cmd[1024];

	fprintf(f, "  %s@%s: expected %s, verdict %s\n", r->scenario->name,
		r->config, r->expect, report_verdict(r));
	if (!r->ran) {
		fprintf(f, "    error: %s\n", r->res.error);
		return;
	}
	if (r->res.violated) {
		fprintf(f, "    %s", vmsa_violation_kind_name(v->kind));
		if (v->rule)
			fprintf(f, " (rule %s)", v->rule);
		fprintf(f, " on CPU%d at step %" PRIu64 ": %s\n", v->cpu,
			v->step, v->message);
		report_replay_cmd(cmd, sizeof(cmd), st, r);
		fprintf(f, "    replay: %s\n", cmd);
	} else {
		fprintf(f, "    no execution of %" PRIu64 " violated anything%s\n",
			r->res.stats.executions,
			r->res.complete ? "" :
			" (the search was incomplete: try a larger "
			"--preemptions, --steps or --random)");
	}
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

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */
/* ------------------------------------------------------------------ */

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
	fprintf(f, ", \"executions\": %" PRIu64 ", \"seconds\": %.3f",
		r->res.stats.executions, r->res.stats.seconds);
	fputs(", \"violation\": ", f);
	json_violation(f, r);
	json_kv_str(f, false, "error", error);
	fputs("}\n", f);
}

/* ------------------------------------------------------------------ */
/* Replay text                                                         */
/* ------------------------------------------------------------------ */

/* Print, indented, the entries of snapshot s for cpu (a line saying it
 * holds none when s is empty). */
static void text_held(FILE *f, unsigned cpu, const char *s)
{
	if (!*s) {
		fprintf(f, "%22sCPU%u holds no stale entry now\n", "", cpu);
		return;
	}
	while (*s) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);

		fprintf(f, "%22sCPU%u may hold: %.*s\n", "", cpu, len, s);
		s += len + (nl ? 1 : 0);
	}
}

/* "CPU1", or "set-up" for events outside the CPUs. */
static void text_cpu(char *buf, size_t size, int cpu)
{
	if (cpu < 0)
		snprintf(buf, size, "set-up");
	else
		snprintf(buf, size, "CPU%d", cpu);
}

void report_replay_text(FILE *f, const struct report_style *st,
			const struct report_row *r)
{
	const struct report_trace *t = r->trace;
	const vmsa_violation_t *v = &r->res.violation;
	unsigned shown[VMSA_MAX_CPUS] = {0};
	char cmd[1024], cpu[16];

	report_replay_cmd(cmd, sizeof(cmd), st, r);
	fprintf(f, "%s%s@%s%s: %s\n", st->color ? C_BOLD : "",
		r->scenario->name, r->config, st->color ? C_OFF : "",
		r->scenario->doc ? r->scenario->doc : "");
	fprintf(f, "%6s  %-6s  %-12s  %s\n", "step", "cpu", "operation",
		"details");
	for (size_t i = 0; t && i < t->n_ev; i++) {
		const struct report_event *e = &t->ev[i];
		bool viol = !strcmp(e->op, "violation");
		const char *on = st->color ? (viol ? C_RED C_BOLD :
					      !strcmp(e->op, "choice") ?
					      C_YELLOW : "") : "";

		text_cpu(cpu, sizeof(cpu), e->cpu);
		fprintf(f, "%6" PRIu64 "  %-6s  %s%-12s  %s%s\n", e->step, cpu,
			on, e->op, e->text, st->color ? C_OFF : "");
		for (unsigned c = 0; c < t->ncpus; c++) {
			if (!strcmp(t->snap[e->held[c]], t->snap[shown[c]]))
				continue;
			if (st->color)
				fputs(C_DIM, f);
			text_held(f, c, t->snap[e->held[c]]);
			if (st->color)
				fputs(C_OFF, f);
			shown[c] = e->held[c];
		}
	}
	if (t && t->oom)
		fprintf(f, "(out of memory: the trace above is incomplete)\n");
	if (!r->res.violated) {
		fprintf(f, "safe: the execution ended without a violation "
			"(%" PRIu64 " steps)\n", r->res.stats.steps);
		return;
	}
	fprintf(f, "violation at step %" PRIu64 " on CPU%d", v->step, v->cpu);
	if (v->rule)
		fprintf(f, ", rule %s", v->rule);
	fprintf(f, "%s\n", v->n_entries ? "; entries involved:" : "");
	for (unsigned i = 0; i < v->n_entries && i < VMSA_VIOLATION_ENTRIES;
	     i++) {
		struct sb b = {0};

		format_entry(&b, &v->entries[i]);
		fprintf(f, "  CPU%d: %s\n", v->entries[i].cpu,
			b.p ? b.p : "?");
		free(b.p);
	}
	fprintf(f, "%s%s: %s%s\n", st->color ? C_RED C_BOLD : "",
		vmsa_violation_kind_name(v->kind), v->message,
		st->color ? C_OFF : "");
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */
/* ------------------------------------------------------------------ */

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
		for (unsigned i = 0; final && v && i < v->n_entries &&
				     i < VMSA_VIOLATION_ENTRIES; i++) {
			struct sb b = {0};

			format_entry(&b, &v->entries[i]);
			if (v->entries[i].cpu == (int)cpu && b.p &&
			    !strcmp(b.p, line))
				involved = true;
			free(b.p);
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

	while (j < t->n_ev && t->ev[j].step == t->ev[i].step &&
	       t->ev[j].cpu == t->ev[i].cpu &&
	       strcmp(t->ev[j].op, "violation") && strcmp(t->ev[i].op, "violation"))
		j++;
	return j;
}

/* Events [i, j) of t, one line each: operation, then details. */
static void html_events(FILE *f, const struct report_trace *t, size_t i,
			size_t j)
{
	for (; i < j; i++) {
		fprintf(f, "<div class=\"ev%s\"><span class=\"op\">",
			!strcmp(t->ev[i].op, "choice") ? " choice" : "");
		html_text(f, t->ev[i].op);
		fputs("</span>", f);
		html_text(f, t->ev[i].text);
		fputs("</div>", f);
	}
}

/* One row: the step, then each CPU's lane: the events when they are its
 * own, and the entries it may hold after them. */
static void html_row(FILE *f, const struct report_trace *t, size_t i,
		     size_t j, const size_t *prev, const vmsa_violation_t *v)
{
	const struct report_event *last = &t->ev[j - 1];
	bool final = !strcmp(t->ev[i].op, "violation");

	fprintf(f, "<tr class=\"%s\"><td class=\"step\">%" PRIu64 "</td>",
		final ? "violation" : "s", t->ev[i].step);
	for (unsigned c = 0; c < t->ncpus; c++) {
		const char *now = t->snap[last->held[c]];
		bool same = prev[c] != (size_t)-1 &&
			    !strcmp(now, t->snap[t->ev[prev[c]].held[c]]);

		fprintf(f, "<td class=\"lane\" data-cpu=\"%u\">", c);
		if (t->ev[i].cpu == (int)c || (final && t->ev[i].cpu < 0 && c == 0))
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

	while (j < t->n_ev && t->ev[j].cpu < 0 &&
	       strcmp(t->ev[j].op, "violation"))
		j++;
	if (!j)
		return 0;
	fprintf(f, "<tr class=\"setup\"><td class=\"step\">0</td><td colspan=\"%u\">"
		"<details><summary>set-up (%zu events)</summary>", t->ncpus, j);
	html_events(f, t, 0, j);
	fputs("</details></td></tr>\n", f);
	return j;
}

/* One violating configuration: heading, violation, replay command, and
 * the execution with one lane per CPU (its last HTML_MAX_ROWS rows). */
static void html_trace(FILE *f, const struct report_style *st,
		       const struct report_row *r, unsigned id)
{
	const struct report_trace *t = r->trace;
	const vmsa_violation_t *v = &r->res.violation;
	size_t prev[VMSA_MAX_CPUS], i, rows = 0, skip = 0;
	char cmd[1024];

	fprintf(f, "<section class=\"execution\" id=\"v%u\">\n<h2>", id);
	html_text(f, r->scenario->name);
	fputs(" @ ", f);
	html_text(f, r->config);
	fprintf(f, ": <span class=\"%s\">", r->as_expected ? "ok" : "bad");
	html_text(f, report_verdict(r));
	fprintf(f, "</span> (expected ");
	html_text(f, r->expect);
	fputs(")</h2>\n<p>", f);
	html_text(f, r->scenario->doc);
	fputs("</p>\n<p class=\"msg\">", f);
	html_text(f, vmsa_violation_kind_name(v->kind));
	if (v->rule) {
		fputs(" (rule ", f);
		html_text(f, v->rule);
		fputs(")", f);
	}
	fprintf(f, " on CPU%d at step %" PRIu64 ": ", v->cpu, v->step);
	html_text(f, v->message);
	report_replay_cmd(cmd, sizeof(cmd), st, r);
	fputs("</p>\n<p>replay: <code>", f);
	html_text(f, cmd);
	fputs("</code></p>\n", f);
	if (r->note[0]) {
		fputs("<p class=\"bad\">", f);
		html_text(f, r->note);
		fputs("</p>\n", f);
	}
	fprintf(f, "<input type=\"checkbox\" class=\"showheld\" id=\"h%u\">"
		"<label for=\"h%u\"> show the entries each CPU may hold at "
		"every step (by default: only when they change)</label>\n",
		id, id);
	for (i = 0; i < t->n_ev; i = row_end(t, i))
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
	for (size_t row = 0; i < t->n_ev; row++) {
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

int report_html(FILE *f, const struct report_style *st,
		const struct report_row *rows, unsigned n)
{
	unsigned ok = 0, traced = 0;

	for (unsigned i = 0; i < n; i++) {
		ok += rows[i].as_expected;
		traced += rows[i].trace != NULL;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>vmsa check</title>\n<style>\n", f);
	fputs(html_css, f);
	fputs("</style>\n</head>\n<body>\n<h1>vmsa check</h1>\n", f);
	fprintf(f, "<p>%u configuration%s, %u as expected, %u not. ", n,
		n == 1 ? "" : "s", ok, n - ok);
	fprintf(f, "%u violating execution%s shown below, one lane per CPU, "
		"each step in its CPU's lane in step order, with the stale "
		"TLB entries each CPU may still hold.</p>\n", traced,
		traced == 1 ? "" : "s");
	html_summary(f, rows, n);
	for (unsigned i = 0; i < n; i++)
		if (rows[i].trace)
			html_trace(f, st, &rows[i], i);
	fputs("</body>\n</html>\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
