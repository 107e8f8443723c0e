/*
 * src/explore/report_text.c - the text of a replayed execution, one line
 * per event, with the entries each CPU may hold whenever they change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

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
	char cpu[16], where[32];

	fprintf(f, "%s%s@%s%s: %s\n", st->color ? C_BOLD : "",
		r->scenario->name, r->config, st->color ? C_OFF : "",
		r->scenario->doc ? r->scenario->doc : "");
	fprintf(f, "%6s  %-6s  %-12s  %s\n", "step", "cpu", "operation",
		"details");
	for (size_t i = 0; t && i < t->ev.n; i++) {
		const struct report_event *e = &t->ev.p[i];
		bool viol = !strcmp(e->op, "violation");
		const char *on = st->color ? (viol ? C_RED C_BOLD :
					      !strcmp(e->op, "choice") ?
					      C_YELLOW : "") : "";

		text_cpu(cpu, sizeof(cpu), e->cpu);
		/* An operation without details (isb) ends the line. */
		fprintf(f, "%6" PRIu64 "  %-6s  %s%-*s%s%s%s\n", e->step, cpu,
			on, *e->text ? 12 : 0, e->op, *e->text ? "  " : "",
			e->text, st->color ? C_OFF : "");
		for (unsigned c = 0; c < t->ncpus; c++) {
			if (!strcmp(t->snap.p[e->held[c]], t->snap.p[shown[c]]))
				continue;
			if (st->color)
				fputs(C_DIM, f);
			text_held(f, c, t->snap.p[e->held[c]]);
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
	report_violation_where(where, sizeof(where), v);
	fprintf(f, "violation at step %" PRIu64 " %s", v->step, where);
	if (v->rule)
		fprintf(f, ", rule %s", v->rule);
	fprintf(f, "%s\n", v->n_entries ? "; entries involved:" : "");
	for (unsigned i = 0; i < v->n_entries; i++) {
		struct sb b = {0};

		report_format_entry(&b, &v->entries[i]);
		fprintf(f, "  CPU%d: %s\n", v->entries[i].cpu,
			b.s.p ? b.s.p : "?");
		free(b.s.p);
	}
	fprintf(f, "%s%s: %s%s\n", st->color ? C_RED C_BOLD : "",
		vmsa_violation_kind_name(v->kind), v->message,
		st->color ? C_OFF : "");
}
