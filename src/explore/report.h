/*
 * src/explore/report.h - what `vmsa check` and `vmsa replay` print: the
 * text table, JSON Lines, the HTML page with one lane per CPU, and the
 * step-by-step text of a replayed execution (src/explore/report_*.c, one
 * file per format). Private to libvmsa (the command line in src/cli/ is
 * its only user).
 *
 * A trace recorder (struct report_trace) plugs into the explorer's trace
 * options; it keeps every event of one execution and, after each event,
 * the stale TLB entries each CPU may still hold, so that a report can show
 * how they came to be held.
 */
#ifndef VMSA_EXPLORE_REPORT_H
#define VMSA_EXPLORE_REPORT_H

#include <stdio.h>

#include "vmsa/explore.h"
#include "util/vec.h"

/* One event of a recorded execution. held[c] indexes the recorder's
 * snapshots: what CPU c may hold after the event (0: nothing). */
struct report_event {
	uint64_t step;
	int cpu;                       /* VMSA_SETUP (-1) for set-up */
	char *op;
	char *text;
	unsigned held[VMSA_MAX_CPUS];
};

VEC_DEFINE(report_event_vec, struct report_event)
VEC_DEFINE(report_snap_vec, char *)

struct report_trace {
	const vmsa_machine_t *m;       /* the execution's machine */
	unsigned ncpus;
	struct report_event_vec ev;
	struct report_snap_vec snap;   /* held snapshots: one line per entry;
					  snap.p[0] is "" */
	unsigned cur[VMSA_MAX_CPUS];   /* the latest snapshot of each CPU */
	bool oom;                      /* events were lost */
};

/* Make o record into t (which this zeroes): sets o->trace, o->trace_ctx
 * and o->trace_machine. One recorder records one execution (a replay).
 * Returns 0, or -1 when out of memory. */
int report_trace_init(struct report_trace *t, vmsa_explore_opts_t *o);
void report_trace_free(struct report_trace *t);

struct par_shard;

/* One scenario configuration as `vmsa check` saw it. */
struct report_row {
	const vmsa_scenario_t *scenario;
	const char *config;
	const char *expect;
	bool ran;                      /* vmsa_explore returned 0 (else
					  res.error says why) */
	vmsa_explore_result_t res;
	bool as_expected;
	char note[800];                /* why not as expected, beyond the
					  verdict ("" when nothing to add) */
	struct report_trace *trace;    /* the violating execution replayed
					  with a recorder, or NULL */
	const struct par_shard *shard; /* with --shard: the shard's account
					  (JSON only; parallel.h) */
};

/* How to print: colour (ANSI escapes) or not, the program name and the
 * per-CPU step budget for replay command lines, column widths, and
 * whether the report is of one replay. */
struct report_style {
	bool color;
	const char *prog;
	unsigned step_budget;          /* 0 or the default: not printed */
	bool continue_after_bbm;       /* the replay needs the option too */
	uint64_t max_executions;       /* check's --max-executions (0: none):
					  a search that made that many was
					  stopped by it */
	bool replay;                   /* the page of one replayed execution
					  (vmsa replay), not of a check */
	const char *rerun;             /* when not NULL (vmsa litmus): the
					  command that makes the page again,
					  shown instead of a vmsa replay
					  command (the execution belongs to
					  no bundled scenario) */
	int name_width, config_width, expect_width;
	int verdict_width;             /* the verdict column of the table:
					  longer verdicts are cut to it */
};

/* The verdict a row shows: res.verdict, or "error" when the search
 * could not run and has no verdict of its own. */
const char *report_verdict(const struct report_row *r);

/* The command line that replays r's execution ("vmsa replay
 * NAME@CONFIG --decisions D", each word quoted for a POSIX shell when
 * needed), malloc'd; NULL when r has no decision string (or out of
 * memory). */
char *report_replay_cmd(const struct report_style *st,
			const struct report_row *r);

/* words[0..n) joined by spaces, each quoted for a POSIX shell when
 * needed, malloc'd; NULL when out of memory. */
char *report_shell_cmd(const char *const *words, unsigned n);

/* Text: the table's header, one row, what follows a row that is not as
 * expected (its violation or error and the replay command), and the
 * final summary line "N configurations, N as expected, N not". */
void report_table_header(FILE *f, const struct report_style *st);
void report_table_row(FILE *f, const struct report_style *st,
		      const struct report_row *r);
void report_unexpected(FILE *f, const struct report_style *st,
		       const struct report_row *r);
/* "    replay: COMMAND" for a row with a decision string (nothing
 * without one). */
void report_replay_line(FILE *f, const struct report_style *st,
			const struct report_row *r);
void report_summary(FILE *f, const struct report_style *st, unsigned total,
		    unsigned as_expected);

/* JSON Lines: one object per configuration, on one line. */
void report_json_row(FILE *f, const struct report_row *r);

/* Write a JSON string literal of s (quotes, escapes; invalid UTF-8 bytes
 * become U+FFFD) to f. */
void report_json_string(FILE *f, const char *s);

/* HTML: a self-contained page (inline CSS only, no URL) with a summary
 * of every row and, for every row with a recorded trace, the execution
 * with one lane per CPU and the held entries of each CPU, ending at the
 * highlighted violation. Returns 0, or -1 when writing failed. */
int report_html(FILE *f, const struct report_style *st,
		const struct report_row *rows, unsigned n);

/* Text of a replayed execution: one line per event (step, CPU,
 * operation, details), the entries each CPU may hold whenever they
 * change, and, last, "KIND: MESSAGE" for the violation (or a line saying
 * the execution ended without one). */
void report_replay_text(FILE *f, const struct report_style *st,
			const struct report_row *r);

#endif
