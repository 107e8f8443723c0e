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
	if (report_snap_vec_push(&t->snap, s)) {
		free(s);
		t->oom = true;
		return 0;
	}
	return t->snap.n - 1;
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
		free(b.s.p);
		return NULL;
	}
	return b.s.p ? b.s.p : strdup("");
}

/* Forget the recorded events and snapshots (keeping the empty one). */
static void free_events(struct report_trace *t)
{
	for (size_t i = 0; i < t->ev.n; i++) {
		free(t->ev.p[i].op);
		free(t->ev.p[i].text);
	}
	for (size_t i = 1; i < t->snap.n; i++)
		free(t->snap.p[i]);
	t->ev.n = 0;
	t->snap.n = t->snap.p ? 1 : 0;
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
		if (!strcmp(s, t->snap.p[t->cur[c]])) {
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
	if (report_event_vec_reserve(&t->ev, (size_t)t->ev.n + 1)) {
		t->oom = true;
		return;
	}
	ev = &t->ev.p[t->ev.n];
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
	t->ev.n++;
	rec_held(t);
	memcpy(ev->held, t->cur, sizeof(ev->held));
}

int report_trace_init(struct report_trace *t, vmsa_explore_opts_t *o)
{
	memset(t, 0, sizeof(*t));
	if (add_snap(t, strdup("")) != 0 || t->oom || !t->snap.p[0])
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
	if (t->snap.p)
		free(t->snap.p[0]);
	report_snap_vec_free(&t->snap);
	report_event_vec_free(&t->ev);
	memset(t, 0, sizeof(*t));
}
