/*
 * src/litmus/choice_stats.h - what a litmus search decided, by kind of
 * decision: a diagnostic of the search's size (docs/litmus.md,
 * "Diagnostics"), on when VMSA_LITMUS_STATS is set. Private to libvmsa.
 */
#ifndef VMSA_LITMUS_CHOICE_STATS_H
#define VMSA_LITMUS_CHOICE_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "explore/decisions.h"

#define CHOICE_STATS_KINDS 64u

struct choice_stats {
	bool on;
	unsigned n;
	const char *what[CHOICE_STATS_KINDS];	/* the model's names */
	uint64_t made[CHOICE_STATS_KINDS];	/* decisions of two options
						   or more */
	uint64_t other[CHOICE_STATS_KINDS];	/* of them, not the first */
	uint64_t dropped;			/* of kinds past the table */
	bool owned[CHOICE_STATS_KINDS];		/* what[k] malloc'd by
						   choice_stats_merge() */
	bool dump;		/* VMSA_LITMUS_DECISIONS: each execution's
				   decisions and final state (choice_dump) */
};

/* Starts s: on when the environment asks for it. */
void choice_stats_init(struct choice_stats *s);

/* Counts one execution's decisions d[0 .. n) (nothing when off). */
void choice_stats_add(struct choice_stats *s, const struct dec *d,
		      unsigned n);

/*
 * Prints one execution's decisions d[0 .. n) and its final state to f
 * (nothing unless s->dump): "decisions\tWHAT|CHOSEN|N;...\tSTATE", every
 * decision of the execution in order, those of one option too, so that
 * the lines of a plain search (VMSA_LITMUS_NOREDUCE) form its decision
 * tree: tests/litmus/tools/choice-equiv.sh tells from them which
 * options of a decision lead to the same final states.
 */
void choice_dump(const struct choice_stats *s, FILE *f, const struct dec *d,
		 unsigned n, const char *state);

/*
 * Adds another process's row to s: `what` (malloc'd, taken by s: kept as
 * the row's name when the row is new, else freed) made `made` decisions,
 * `other` of them not the first option. Rows keep the order in which
 * they are first added, so merging the units of a parallel search in
 * depth-first order gives the serial search's order. Nothing when off.
 */
void choice_stats_merge(struct choice_stats *s, char *what, uint64_t made,
			uint64_t other);

/* Frees the names choice_stats_merge() kept. */
void choice_stats_free(struct choice_stats *s);

/* Prints the counts of the search of `test` to f (nothing when off). */
void choice_stats_print(const struct choice_stats *s, FILE *f,
			const char *test);

#endif
