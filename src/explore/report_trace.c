/*
 * src/explore/report_trace.c - the trace recorder: every event of one
 * execution and, after each, the stale TLB entries each CPU may hold.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"


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
		report_format_entry(&b, &e);
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
