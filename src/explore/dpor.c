/*
 * src/explore/dpor.c - dynamic partial-order reduction (dpor.h): source
 * sets with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal
 * dynamic partial order reduction", POPL 2014, Algorithm 1), and, under a
 * preemption bound, the conservative extra backtrack points of bounded
 * POR (Coons, Musuvathi, McKinley, OOPSLA 2013) without sleep sets.
 * docs/explorer.md says why this is sound for the model.
 *
 * Events are numbered in execution order. e ->hb f (happens before)
 * when e is before f and a chain of events, each of the same CPU as the
 * next or dependent with it (fp_dependent), leads from e to f; vector
 * clocks give it: e ->hb f iff f.vc[cpu(e)] >= e.lidx (e's number among
 * its CPU's events, from 1).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpor.h"
#include "model/footprint.h"
#include "util/htab.h"
#include "util/vec.h"

struct event {
	unsigned cpu;
	int node;		/* its scheduling decision, or -1 (no choice) */
	/* A wait's check that failed (dpor_wait_check): not a step, and
	 * nothing happens after it. Only a race's later event: it is no
	 * access that later events depend on, no event of the sequence v a
	 * race's reversal starts with. */
	bool check;
	bool pending;		/* never run (dpor_add_pending) */
	/* A pending event of an execution the scenario ended (explore_end)
	 * in an unbounded search: the event that ended it, the only one it
	 * is dependent with (dpor_add_pending); -1 for any other pending
	 * event (dependent with every event that ran). */
	int on;
	/* A wait's read (dpor_wait_read): its word, condition and the
	 * value it read. */
	bool wait;
	bool w_eq;
	/* An interrupt its CPU could take was pending at the read: blocked
	 * at the wait before, the CPU would have taken it (no skip). */
	bool w_irq;
	uint64_t w_pa, w_mask, w_val, w_v;
	/* The parts of its CPU's window its write of it is observed in
	 * (window_observed(): WIN_ALL for the whole window, 0 when nobody
	 * observes it): the analysis takes the write as the write of those
	 * parts alone, or leaves it out. */
	uint32_t win_obs;
	/* Its footprint writes its CPU's window whole, reads it for a
	 * walk whole (under relaxed), reads parts of it for a walk: bit k
	 * for part FP_WINDOW_PART0 + k (window_use()). */
	bool win_w, win_walk;
	uint32_t win_parts;
	/* Its write of data memory (footprint.h, dw_*). */
	unsigned dw_state;
	uint64_t dw_word, dw_old, dw_delta;
	unsigned flags;		/* footprint.h */
	unsigned line0, nlines;	/* its lines: d->pool.p[line0 ..] */
	/* flags and lines are the recorded footprint's, whole (no
	 * recording or copy ran out of memory): what its node's union got. */
	bool exact;
	/* It is the previous execution's event at its index, as far as
	 * known when it ended (same_as_prev(): all but win_obs). */
	bool replayed;
	/* The generation of its decision's node (node.gen) when it ran. */
	uint32_t node_gen;
	uint32_t lidx;
	uint32_t vc[VMSA_MAX_CPUS];
	/* The analysis's undo log and records before it (prefix_reuse()). */
	uint32_t undo0, acc0;
	/* How many decisions the execution had made when it ended. */
	uint32_t dec_end;
	/* The sleep set after it (dpor_event_end()). */
	unsigned sleep_after;
};

VEC_DEFINE(event_vec, struct event)

/* A new event's fields before dpor_event_begin() sets them. */
static const struct event zero_event;

/* event.win_obs: the write is observed in the whole window. */
#define WIN_ALL UINT32_MAX

/* A scheduling decision of the current execution (masks of CPUs). */
struct node {
	unsigned opt[VMSA_MAX_CPUS], n;	/* CPU of each option */
	unsigned enabled;		/* the CPUs that could run */
	unsigned backtrack;		/* must be explored here */
	unsigned done;			/* explored (their subtrees finished) */
	unsigned sleep;			/* asleep on arrival */
	bool free_;			/* the bound allows other options */
	uint32_t gen;			/* a new one at every node_init() */
	/* Per CPU: everything its event here touched, over every
	 * execution that went through here with it (the model's choices in
	 * the step change what the step touches). */
	struct footprint fp[VMSA_MAX_CPUS];
};

VEC_DEFINE(node_vec, struct node)

/* What a parallel search's unit knows of a prefix decision
 * (dpor_seed): its mask, and the footprints of its done CPUs. */
struct seed {
	struct dpor_mask m;
	struct footprint fp[VMSA_MAX_CPUS];
};

/* The latest accesses to one line (footprint.h items): as a whole, its
 * last writer and, per CPU, the latest reader since (earlier ones
 * happen before it); per word the same; and per CPU the latest write and
 * read of any of its words (a whole-line access is dependent with
 * each). Every event noted from here is dependent with the access that
 * looks: noting one that is not would hide the real race behind it.
 * -1: none.
 *
 * Commuting adds (FP_SUB_ADD) of word i: per CPU its latest add since
 * the word's last write (add[i][c], of split add_split[i][c]) and its
 * latest add of a split other than that one (add_other[i][c]), so that
 * an add of split s finds CPU c's latest add it is dependent with (of a
 * split other than s) in one of the two: add[i][c] when its split is
 * not s, else add_other[i][c]. An add counts as a write of the word for
 * every other access (it notes the readers, they note it), but does not
 * end the word's readers or adds: a later add of the same split is
 * independent of it and must still meet them. An add is also a write of
 * the line's PoC copy (FP_SUB_POC: fp_subs_conflict), which the
 * accesses of that copy note and which notes them; only a whole-line
 * write ends a word's adds.
 *
 * TLB removals (FP_SUB_DEL) of part s: per CPU its latest removal
 * (del_w[s - 1][c]) and latest look at the part to choose what to
 * remove (del_r[s - 1][c]) since the part's last plain write, and its
 * latest look at the whole TLB (sel_whole[c]): set when the part's
 * first one is noted (dels: the parts with any), ended by a plain write
 * of the part (dependent with all of them). A removal counts as a
 * write of its part for plain reads, a look as a read for plain writes,
 * but neither meets another removal or look, so neither ends the part's
 * readers (nor is either the part's sub_w, nor a whole look a reader).
 */
#define ACCESS_WORDS 8u
/*
 * The parts' records (sub_w, sub_r) are set only for the parts in
 * `parts` (bit s - 1 for sub-item s): a part not in it has none (-1
 * everywhere), so clearing a record (a new line, a whole-line write)
 * touches only its first lines, not the 1 KiB of sub_r (access_clear was
 * a twentieth of a litmus search's time). The adds and removals are
 * kept the same way, in `adds` and `dels`. The hot fields come first.
 */
struct access {
	uint64_t line;			/* its key (memory: pa >> 6) */
	int last_w;
	uint8_t adds;			/* words with an add noted (bits) */
	uint64_t parts;			/* parts with sub_w, sub_r set (bits) */
	uint64_t dels;			/* parts with removals noted (bits) */
	int reader[VMSA_MAX_CPUS];
	int wwriter[VMSA_MAX_CPUS];
	int wreader[VMSA_MAX_CPUS];
	int sel_whole[VMSA_MAX_CPUS];
	/* Up to here: what access_clear() sets. */
	int sub_w[FP_NSUB];
	int sub_r[FP_NSUB][VMSA_MAX_CPUS];
	int add[ACCESS_WORDS][VMSA_MAX_CPUS];
	int add_other[ACCESS_WORDS][VMSA_MAX_CPUS];
	uint8_t add_split[ACCESS_WORDS][VMSA_MAX_CPUS];
	int del_w[FP_NSUB][VMSA_MAX_CPUS];
	int del_r[FP_NSUB][VMSA_MAX_CPUS];
};

VEC_DEFINE(access_vec, struct access)

/*
 * The lines' records are found through a table of small slots that
 * hold each line's index in a dense array (d->acc), not in the table
 * itself: a probe of a table of 4 KiB records touched a page of its own
 * per slot, and those cache and TLB misses were most of the analysis's
 * time. Indices stay valid when either grows.
 */
struct access_slot {
	uint64_t key;
	uint32_t gen;
	uint32_t idx;
};

static inline uint64_t line_hash(uint64_t line)
{
	return line * 0x9e3779b97f4a7c15ull;
}

HTAB_DEFINE(access_tab, struct access_slot, line_hash)

/* The record of the contexts (FP_DESC_R, FP_DESC_W): acc.p[ACC_DESC],
 * in no slot. */
#define ACC_DESC 0u

VEC_DEFINE(undo_vec, uint8_t)

struct dpor {
	unsigned ncpus;
	bool bounded;
	struct footprint rec;		/* the model records the event here */
	struct event_vec ev;
	struct fp_line_vec pool;
	int open;			/* the event in progress, or -1 */
	int ended;			/* the latest event that ended, or -1 */
	/* Every write of a window counts as observed (window_observed()):
	 * the relation dpor_wplace_redundant() computes ancestors with. */
	bool all_windows;
	/* dpor_wplace_redundant()'s scratch: the write's footprint
	 * without the order of writes, marks and ancestors per event. */
	struct fp_line_vec wp_lines;
	unsigned char *wp_mark;
	unsigned *wp_anc;
	size_t wp_cap;
	struct node_vec nodes;		/* by decision index */
	unsigned nodes_init;		/* nodes.p[0 .. nodes_init) initialised */
	/* The sleep set now: CPU c sleeps with the footprint
	 * nodes[sleep_node[c]].fp[c]. */
	unsigned sleep;
	int sleep_node[VMSA_MAX_CPUS];
	/* Race analysis. */
	struct access_tab lines;	/* line -> index in acc */
	struct access_vec acc;		/* the lines' records */
	/* What the records were before each change the analysis made to
	 * them since the execution's first event, newest last: entries of
	 * the old bytes, then their offset in acc.p and length (two
	 * uint32_t). lost: an entry could not be kept (out of memory),
	 * so the next analysis starts from scratch. */
	struct undo_vec undo;
	bool undo_lost;
	/* The analysis of the previous execution, for the next one's
	 * common prefix (prefix_reuse()): its events and their lines
	 * (swapped with ev and pool when the next execution begins), and
	 * whether the records and the undo log are theirs. */
	struct event_vec prev;
	struct fp_line_vec prev_pool;
	bool analysed;			/* ev, pool: analysed */
	bool prev_ok;
	/* prev is the execution that ran last, whose decisions
	 * [0, replays) this one makes again (dpor_exec_replays()). */
	bool prev_last;
	unsigned replays;
	/* VMSA_DPOR_NOREUSE set and not "0": nothing is taken from the
	 * previous execution (no muted step, no replayed event, every
	 * analysis from scratch), as before these were made; to check
	 * that they change nothing (tests/litmus/test_litmus_run.c). */
	bool no_reuse;
	uint32_t node_gen;		/* the latest node.gen given */
	int last_all;
	/* The event being analysed: its CPU's latest step before it, or
	 * -1 (stood_for_check()). */
	int prev_step;
	/* A wait's check as a footprint (stood_for_check()). */
	struct footprint chk;
	/* The execution ended before its CPUs did (a violation, or pruned
	 * by the sleep sets): what they would have done next is unknown
	 * (window_observed()). */
	bool truncated;
	struct race_why *why;		/* NULL unless VMSA_DPOR_RACES */
	/* A parallel search's subtree (dpor_set_floor): its prefix's
	 * decisions, the seeds of their masks, and where races there go. */
	unsigned floor;
	dpor_above_fn *above;
	void *above_ctx;
	struct seed *seed;
	unsigned nseed;
};

/*
 * The race diagnostic (VMSA_DPOR_RACES set and not "0"; docs/explorer.md,
 * "Which dependencies cost"): per search, how many races added a
 * backtrack point, by the pair of kinds of objects that made the two
 * events dependent (a race counts once under each pair it has; `sole`:
 * the pair was its only reason). Printed on stderr by dpor_free(). Off,
 * it costs one test per race.
 */
/*
 * With VMSA_DPOR_RACES=steps it also names the two events of each race
 * by the first operation each traced ("P2:dsb ish", "P1:read": the
 * explorer turns the machine's trace on for it, dpor_note_op()) and
 * counts, per pair of kinds, the pairs of operations: which steps race,
 * not only through what.
 *
 * With VMSA_DPOR_RACES=objects, also the objects themselves: for the
 * races one pair of objects alone made, which pair (the two items
 * without their write bits, the write bits of each, and which event of
 * each CPU, numbered from 1 among its events): the most frequent
 * WHY_NOBJ of them.
 */
#define WHY_LABELS 256u		/* distinct operation names kept */
#define WHY_OPS 4096u		/* distinct (kinds, operations) kept */
#define WHY_LABEL_LEN 24u

struct why_ops {
	uint8_t x, y;		/* the pair of kinds */
	uint16_t a, b;		/* the labels of the earlier, later event */
	uint64_t n, sole;
};

#define WHY_NOBJ 512u

struct why_obj {
	uint64_t x, y;		/* items: x of the earlier event */
	unsigned cx, cy;	/* their CPUs */
	uint32_t lx, ly;	/* their events' numbers on those CPUs */
	uint64_t n;
};

struct race_why {
	uint64_t races, added;
	uint64_t checks, checks_added;	/* races with a wait's failed check */
	uint64_t fixed;			/* wait reads that cannot move */
	uint64_t stood;			/* races of the checks they stand for */
	uint64_t stood_over;		/* skips the work allowed ran out on */
	uint64_t pair[FP_NKINDS][FP_NKINDS];
	uint64_t sole[FP_NKINDS][FP_NKINDS];
	bool steps;			/* VMSA_DPOR_RACES=steps */
	char label[WHY_LABELS][WHY_LABEL_LEN];	/* [0]: "?" (none) */
	unsigned nlabels;
	uint16_t *ev_label;		/* per event of the execution */
	size_t ev_cap;
	struct why_ops ops[WHY_OPS];
	unsigned nops;
	bool objects;
	unsigned nobj;
	uint64_t obj_lost;	/* sole races whose pair found no room */
	struct why_obj obj[WHY_NOBJ];
};

static struct race_why *why_new(void)
{
	const char *env = getenv("VMSA_DPOR_RACES");
	struct race_why *w;

	if (!env || !*env || !strcmp(env, "0"))
		return NULL;
	w = calloc(1, sizeof(struct race_why));
	if (w)
		w->objects = !strcmp(env, "objects");
	if (w && !strcmp(env, "steps")) {
		w->steps = true;
		strcpy(w->label[0], "?");
		w->nlabels = 1;
	}
	return w;
}

/* The event just pushed has no label yet ("?"); under "steps" only. */
static void why_label_event(struct dpor *d)
{
	struct race_why *w = d->why;

	if (!w || !w->steps)
		return;
	if (d->ev.n > w->ev_cap) {
		size_t cap = d->ev.n * 2;
		uint16_t *p = realloc(w->ev_label, cap * sizeof(*p));

		if (!p)
			return;
		w->ev_label = p;
		w->ev_cap = cap;
	}
	w->ev_label[d->ev.n - 1] = 0;
}

/* Count a race of events i and n (labels) under the kinds (x, y). */
static void why_count_ops(struct race_why *w, unsigned x, unsigned y,
			  unsigned i, unsigned n, bool sole)
{
	uint16_t a = 0, b = 0;

	if (w->ev_label && i < w->ev_cap && n < w->ev_cap) {
		a = w->ev_label[i];
		b = w->ev_label[n];
	}
	for (unsigned k = 0; k < w->nops; k++)
		if (w->ops[k].x == x && w->ops[k].y == y &&
		    w->ops[k].a == a && w->ops[k].b == b) {
			w->ops[k].n++;
			w->ops[k].sole += sole;
			return;
		}
	if (w->nops == WHY_OPS)
		return;
	w->ops[w->nops++] = (struct why_ops){(uint8_t)x, (uint8_t)y, a, b,
					      1, sole};
}

struct dpor *dpor_new(unsigned ncpus, bool bounded)
{
	struct dpor *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->ncpus = ncpus;
	d->bounded = bounded;
	d->open = -1;
	d->ended = -1;
	/* Both pools (swapped at each execution) have memory from the
	 * start: view() and the copies take pool.p + line0 even for an
	 * event of no line, which on a null pointer is undefined (C11
	 * 6.5.6). */
	if (access_tab_init(&d->lines, 256) ||
	    fp_line_vec_reserve(&d->pool, 64) ||
	    fp_line_vec_reserve(&d->prev_pool, 64)) {
		fp_line_vec_free(&d->pool);
		fp_line_vec_free(&d->prev_pool);
		access_tab_destroy(&d->lines);
		free(d);
		return NULL;
	}
	d->why = why_new();
	d->no_reuse = getenv("VMSA_DPOR_NOREUSE") &&
		      strcmp(getenv("VMSA_DPOR_NOREUSE"), "0");
	return d;
}

/* Under the pair of kinds (x, y): its pairs of operations, most
 * frequent first (up to 12). */
struct dpor *dpor_new_steps(unsigned ncpus)
{
	struct dpor *d = dpor_new(ncpus, false);

	/* Its executions are never analysed: a histogram of no race
	 * would only be noise on stderr. */
	if (d && d->why) {
		free(d->why->ev_label);
		free(d->why);
		d->why = NULL;
	}
	return d;
}

static void why_print_ops(const struct race_why *w, unsigned x, unsigned y)
{
	bool shown[WHY_OPS] = {false};

	for (unsigned k = 0; k < 12; k++) {
		unsigned best = WHY_OPS;

		for (unsigned i = 0; i < w->nops; i++)
			if (!shown[i] && w->ops[i].x == x && w->ops[i].y == y &&
			    (best == WHY_OPS || w->ops[i].n > w->ops[best].n))
				best = i;
		if (best == WHY_OPS)
			return;
		shown[best] = true;
		fprintf(stderr, "      %s then %s: %llu, sole %llu\n",
			w->label[w->ops[best].a], w->label[w->ops[best].b],
			(unsigned long long)w->ops[best].n,
			(unsigned long long)w->ops[best].sole);
	}
}

/* An item as text: a word or line of memory by address, an object by
 * kind, number and sub-item; w or r. */
static void item_text(char *buf, size_t n, uint64_t it)
{
	uint64_t line = FP_ITEM_LINE(it);
	unsigned sub = FP_ITEM_SUB(it);
	const char *rw = it & 1 ? "w" : "r";

	if (line < FP_OBJ_LINE) {
		if (fp_sub_is_add(sub))
			snprintf(buf, n, "add 0x%llx split %u",
				 (unsigned long long)(line << 6 |
						      (fp_sub_add_word(sub) - 1)
						      << 3),
				 fp_sub_add_split(sub));
		else if (sub)
			snprintf(buf, n, "word 0x%llx %s",
				 (unsigned long long)(line << 6 | (sub - 1) << 3),
				 rw);
		else
			snprintf(buf, n, "line 0x%llx %s",
				 (unsigned long long)(line << 6), rw);
		return;
	}
	if (fp_sub_is_del(sub)) {
		snprintf(buf, n, "obj %llu.%u (%s) %s",
			 (unsigned long long)(line - FP_OBJ_LINE),
			 fp_sub_del_part(sub), fp_kind_name(fp_item_kind(it)),
			 it & 1 ? "remove" : "look");
		return;
	}
	snprintf(buf, n, "obj %llu.%u (%s) %s",
		 (unsigned long long)(line - FP_OBJ_LINE), sub,
		 fp_kind_name(fp_item_kind(it)), rw);
}

/* The objects of sole races, most frequent first (at most 40). */
static void why_print_objects(struct race_why *w)
{
	fprintf(stderr, "dpor races made by one pair of objects alone "
		"(earlier event: CPU#event item; later; races)%s:\n",
		w->obj_lost ? " (some lost: table full)" : "");
	for (unsigned k = 0; k < 40 && k < w->nobj; k++) {
		unsigned best = k;
		struct why_obj t;
		char a[64], b[64];

		for (unsigned i = k + 1; i < w->nobj; i++)
			if (w->obj[i].n > w->obj[best].n)
				best = i;
		t = w->obj[k];
		w->obj[k] = w->obj[best];
		w->obj[best] = t;
		item_text(a, sizeof(a), w->obj[k].x);
		item_text(b, sizeof(b), w->obj[k].y);
		fprintf(stderr, "  CPU%u#%u %s / CPU%u#%u %s: %llu\n",
			w->obj[k].cx, w->obj[k].lx, a, w->obj[k].cy,
			w->obj[k].ly, b, (unsigned long long)w->obj[k].n);
	}
}

/* One line per pair of kinds, most frequent first. */
static void why_print(struct race_why *w)
{
	bool shown[FP_NKINDS][FP_NKINDS] = {{false}};

	fprintf(stderr, "dpor races: %llu races, %llu added a backtrack "
		"point; by kinds of objects (pair: races, sole reason):\n",
		(unsigned long long)w->races, (unsigned long long)w->added);
	fprintf(stderr, "  (of them with a wait's failed check: %llu races, "
		"%llu added a point, %llu of them of a check a wait's read "
		"stood for; not counted: %llu races of a write with a wait's "
		"read that cannot move; %llu such races reversed all the same, "
		"the work allowed to find the check's races run out)\n",
		(unsigned long long)w->checks,
		(unsigned long long)w->checks_added,
		(unsigned long long)w->stood,
		(unsigned long long)w->fixed,
		(unsigned long long)w->stood_over);
	for (;;) {
		unsigned bx = 0, by = 0;
		uint64_t best = 0;

		for (unsigned x = 0; x < FP_NKINDS; x++)
			for (unsigned y = x; y < FP_NKINDS; y++)
				if (!shown[x][y] && w->pair[x][y] > best) {
					best = w->pair[x][y];
					bx = x;
					by = y;
				}
		if (!best)
			break;
		shown[bx][by] = true;
		fprintf(stderr, "  %s/%s: %llu, sole %llu\n",
			fp_kind_name(bx), fp_kind_name(by),
			(unsigned long long)best,
			(unsigned long long)w->sole[bx][by]);
		if (w->steps)
			why_print_ops(w, bx, by);
	}
	if (w->objects)
		why_print_objects(w);
}

void dpor_free(struct dpor *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < d->nodes_init; i++)
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			fp_free(&d->nodes.p[i].fp[c]);
	node_vec_free(&d->nodes);
	event_vec_free(&d->ev);
	fp_line_vec_free(&d->pool);
	fp_line_vec_free(&d->wp_lines);
	free(d->wp_mark);
	free(d->wp_anc);
	fp_free(&d->rec);
	fp_free(&d->chk);
	access_tab_destroy(&d->lines);
	access_vec_free(&d->acc);
	undo_vec_free(&d->undo);
	event_vec_free(&d->prev);
	fp_line_vec_free(&d->prev_pool);
	if (d->why) {
		why_print(d->why);
		free(d->why->ev_label);
		free(d->why);
	}
	for (unsigned i = 0; i < d->nseed; i++)
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			fp_free(&d->seed[i].fp[c]);
	free(d->seed);
	free(d);
}

void dpor_exec_begin(struct dpor *d, vmsa_machine_t *m)
{
	/* Keep the analysed execution's events for the next analysis
	 * (an execution that was not analysed leaves the previous one). */
	if (d->analysed) {
		struct event_vec ev = d->prev;
		struct fp_line_vec pool = d->prev_pool;

		d->prev = d->ev;
		d->prev_pool = d->pool;
		d->ev = ev;
		d->pool = pool;
		d->prev_ok = true;
		d->analysed = false;
	}
	d->prev_last = d->prev_ok;
	d->replays = 0;
	d->ev.n = 0;
	d->pool.n = 0;
	d->open = -1;
	d->ended = -1;
	d->sleep = 0;
	d->truncated = false;
	order_event(&m->ord, -1);
	fp_attach(m, &d->rec);
}

void dpor_exec_truncated(struct dpor *d)
{
	d->truncated = true;
}

void dpor_exec_replays(struct dpor *d, unsigned n)
{
	d->replays = n;
}

struct dpor_cursor dpor_cursor(const struct dpor *d)
{
	struct dpor_cursor c = {.events = d->ev.n, .sleep = d->sleep,
				.ended = d->ended, .ok = d->open < 0};

	memcpy(c.sleep_node, d->sleep_node, sizeof(c.sleep_node));
	return c;
}

/*
 * The events before the cursor are the previous execution's first ones
 * (dpor_exec_begin() made them prev): it made the decisions [0, replays)
 * this one replays, and every one of those events ended within them, so
 * they are the events a replay would make again, footprints and all
 * (keep_prev(), same_wait(); an event without lines, never exact, a
 * replay records anew with the same flags); copied whole, each is
 * replayed, as a replay leaves it. A replay would also add each
 * recorded one's footprint to its node's union again, which changes
 * nothing. The sleep set is the cursor's: the done sets of
 * the decisions before it have not changed since it was taken (a
 * backtrack there would have dropped the checkpoint), so a replay would
 * compute it again.
 */
int dpor_exec_resume(struct dpor *d, const struct dpor_cursor *c)
{
	size_t lines = 0;

	if (!c->ok || d->no_reuse || d->why || !d->prev_last ||
	    d->ev.n || d->open >= 0 || c->events > d->prev.n)
		return -EINVAL;
	for (unsigned i = 0; i < c->events; i++) {
		const struct event *o = &d->prev.p[i];

		/* An event with lines but not exact lost some (out of
		 * memory): a replay would record it anew, perhaps whole. */
		if ((!o->exact && o->nlines) || o->pending ||
		    o->dec_end > d->replays)
			return -EINVAL;
		lines += o->nlines;
	}
	if (event_vec_reserve(&d->ev, c->events) ||
	    fp_line_vec_reserve(&d->pool, lines))
		return -ENOMEM;
	for (unsigned i = 0; i < c->events; i++) {
		struct event *e = &d->ev.p[i];
		const struct event *o = &d->prev.p[i];

		*e = *o;
		e->line0 = d->pool.n;
		e->replayed = true;
		if (o->nlines)
			memcpy(d->pool.p + d->pool.n,
			       d->prev_pool.p + o->line0,
			       o->nlines * sizeof(uint64_t));
		d->pool.n += o->nlines;
	}
	d->ev.n = c->events;
	d->ended = c->ended;
	d->sleep = c->sleep;
	memcpy(d->sleep_node, c->sleep_node, sizeof(d->sleep_node));
	return 0;
}

void dpor_exec_end(struct dpor *d, vmsa_machine_t *m, unsigned pos)
{
	dpor_event_end(d, m, pos);
	fp_attach(m, NULL);
}

unsigned dpor_sleeping(const struct dpor *d)
{
	return d->sleep;
}

/* A footprint that views event e's lines (no copy). */
static struct footprint view(const struct dpor *d, const struct event *e)
{
	struct footprint f = {.flags = e->flags};

	f.lines.p = d->pool.p + e->line0;
	f.lines.n = f.lines.cap = e->nlines;
	return f;
}

/* What event e's lines do with its CPU's window (window_observed()),
 * found once when it ends: the analysis's backward pass then reads two
 * flags per event, not every item (a replayed event copies them). */
static void window_use(const struct dpor *d, struct event *e)
{
	uint64_t wline = FP_OBJ_LINE + FP_OBJ_WINDOW + e->cpu;

	e->win_w = e->win_walk = false;
	e->win_parts = 0;
	for (unsigned k = 0; k < e->nlines; k++) {
		uint64_t l = d->pool.p[e->line0 + k];

		if (FP_ITEM_LINE(l) != wline)
			continue;
		if (FP_ITEM_SUB(l) == FP_WINDOW_WALK)
			e->win_walk = true;
		else if (FP_ITEM_SUB(l) == 0 && (l & 1))
			e->win_w = true;
		else if (FP_ITEM_SUB(l) >= FP_WINDOW_PART0 &&
			 FP_ITEM_SUB(l) < FP_WINDOW_PART0 + FP_WINDOW_PARTS)
			e->win_parts |= 1u << (FP_ITEM_SUB(l) -
					       FP_WINDOW_PART0);
	}
}

/* Event e's footprint is f: its flags, its lines copied to the pool. */
static void keep_fp(struct dpor *d, struct event *e, const struct footprint *f)
{
	e->flags = f->flags | (f->oom ? FP_ALL : 0);
	e->exact = false;
	e->win_w = e->win_walk = false;
	e->win_parts = 0;
	e->dw_state = f->dw_state;
	/* Only FP_DW_ONE (word, old value) and FP_DW_ADD (word, delta)
	 * give them a meaning: else none, so that a replayed event
	 * compares equal (same_as_prev()). */
	e->dw_word = f->dw_state == FP_DW_ONE || f->dw_state == FP_DW_ADD ?
		     f->dw_word : 0;
	e->dw_old = f->dw_state == FP_DW_ONE ? f->dw_old : 0;
	e->dw_delta = f->dw_state == FP_DW_ADD ? f->dw_delta : 0;
	e->line0 = d->pool.n;
	e->nlines = 0;
	if (!f->lines.n)
		return;
	if (fp_line_vec_reserve(&d->pool, (size_t)d->pool.n + f->lines.n)) {
		/* Without its lines the event must count as touching
		 * everything. */
		e->flags |= FP_ALL;
		return;
	}
	memcpy(d->pool.p + d->pool.n, f->lines.p,
	       f->lines.n * sizeof(uint64_t));
	d->pool.n += f->lines.n;
	e->nlines = f->lines.n;
	e->exact = !f->oom;
	window_use(d, e);
}

/*
 * Is event k, complete, the previous execution's event k for everything
 * the analysis reads of it but win_obs (which depends on the events
 * after it): its CPU, its decision's node (the same node, not one made
 * anew at that index since: node_gen), its kind, wait and data write,
 * its footprint whole and the same? Most events of an execution are
 * (the search replays the previous one's decisions up to the one it
 * changes), which the analysis (prefix_reuse()) and the nodes' unions
 * (dpor_event_end()) use.
 */
/* Do events a and b make the same wait's read, or none? */
static bool same_wait(const struct event *a, const struct event *b)
{
	return a->wait == b->wait && a->w_eq == b->w_eq &&
	       a->w_irq == b->w_irq && a->w_pa == b->w_pa &&
	       a->w_mask == b->w_mask && a->w_val == b->w_val &&
	       a->w_v == b->w_v;
}

static bool same_as_prev(const struct dpor *d, unsigned k)
{
	const struct event *a = &d->ev.p[k], *b;

	if (d->no_reuse || k >= d->prev.n)
		return false;
	b = &d->prev.p[k];
	return a->cpu == b->cpu && a->node == b->node &&
	       a->node_gen == b->node_gen && a->check == b->check &&
	       a->pending == b->pending && a->on == b->on &&
	       same_wait(a, b) &&
	       a->dw_state == b->dw_state &&
	       a->dw_word == b->dw_word && a->dw_old == b->dw_old &&
	       a->dw_delta == b->dw_delta && a->flags == b->flags &&
	       a->exact == b->exact && a->nlines == b->nlines &&
	       /* (An empty pool may have no memory at all.) */
	       (!a->nlines ||
		!memcmp(d->pool.p + a->line0, d->prev_pool.p + b->line0,
			a->nlines * sizeof(uint64_t)));
}

/*
 * Does event k, beginning, replay the previous execution's event k:
 * every decision that one had made when it ended is one this execution
 * makes again (the search replays the previous execution's decisions
 * up to the one it changes), and it is the same CPU's at the same node
 * (not made anew since)? Then the model does the same step from the
 * same state, and its footprint is that event's (which must be whole):
 * the step is not recorded (footprint.muted) but takes it (keep_prev()).
 */
static bool replays_step(const struct dpor *d, unsigned k)
{
	const struct event *e = &d->ev.p[k], *o;

	if (d->no_reuse || !d->prev_last || k >= d->prev.n)
		return false;
	o = &d->prev.p[k];
	return o->dec_end <= d->replays && o->exact && !o->check &&
	       !o->pending && o->cpu == e->cpu && o->node == e->node &&
	       o->node_gen == e->node_gen;
}

/* Event e (index k) replayed the previous execution's event k: its
 * footprint is that one's, copied. */
static void keep_prev(struct dpor *d, struct event *e, unsigned k)
{
	const struct event *o = &d->prev.p[k];

	e->flags = o->flags;
	e->dw_state = o->dw_state;
	e->dw_word = o->dw_word;
	e->dw_old = o->dw_old;
	e->dw_delta = o->dw_delta;
	e->line0 = d->pool.n;
	e->nlines = 0;
	e->exact = false;
	e->win_w = e->win_walk = false;
	e->win_parts = 0;
	if (fp_line_vec_reserve(&d->pool, (size_t)d->pool.n + o->nlines)) {
		e->flags |= FP_ALL;
		return;
	}
	if (o->nlines)
		memcpy(d->pool.p + d->pool.n, d->prev_pool.p + o->line0,
		       o->nlines * sizeof(uint64_t));
	d->pool.n += o->nlines;
	e->nlines = o->nlines;
	e->exact = true;
	e->win_w = o->win_w;
	e->win_walk = o->win_walk;
	e->win_parts = o->win_parts;
}

void dpor_event_end(struct dpor *d, vmsa_machine_t *m, unsigned pos)
{
	struct event *e;
	struct footprint f;

	if (d->open < 0)
		return;
	fp_end(m);
	e = &d->ev.p[d->open];
	d->ended = d->open;
	d->open = -1;
	e->dec_end = pos;
	if (d->rec.muted) {
		/* The rest of same_as_prev() holds by replays_step() and
		 * the copy (or the copy ran out of memory: not exact). */
		keep_prev(d, e, (unsigned)d->ended);
		e->replayed = e->exact &&
			      same_wait(e, &d->prev.p[d->ended]);
	} else {
		keep_fp(d, e, &d->rec);
		e->replayed = same_as_prev(d, (unsigned)d->ended);
	}
	/* A replayed event's union put its footprint, whole, in its node
	 * (the same node) already. (A muted one's is replayed: its
	 * footprint is the previous one's, copied, and its wait the same.) */
	if (e->node >= 0 && !(e->replayed && e->exact))
		fp_union(&d->nodes.p[e->node].fp[e->cpu], &d->rec);
	/* A sleeping CPU wakes up when something dependent with its next
	 * step happens. After a muted step that replayed its event, the
	 * sleep set is the previous execution's after it: the same before
	 * it (the same decisions, events and done sets so far), the same
	 * footprint, and each sleeping CPU's footprint at its node
	 * unchanged since (only a step of that CPU there adds to it, and
	 * since the previous execution's step none ran there: the
	 * decisions replayed choose another). */
	if (d->rec.muted && e->replayed) {
		d->sleep = d->prev.p[d->ended].sleep_after;
	} else {
		f = view(d, e);
		d->sleep &= ~(1u << e->cpu);
		for (unsigned c = 0; c < d->ncpus; c++)
			if ((d->sleep >> c & 1) &&
			    fp_dependent(&d->nodes.p[d->sleep_node[c]].fp[c],
					 &f))
				d->sleep &= ~(1u << c);
	}
	e->sleep_after = d->sleep;
	d->rec.muted = false;
}

static void node_init(struct dpor *d, struct node *nd, const unsigned *opt,
		      unsigned n, unsigned chosen, bool free_)
{
	nd->n = n;
	nd->enabled = 0;
	for (unsigned i = 0; i < n; i++) {
		nd->opt[i] = opt[i];
		nd->enabled |= 1u << opt[i];
	}
	nd->backtrack = 1u << opt[chosen];
	nd->done = 0;
	nd->sleep = d->sleep;
	nd->free_ = free_;
	nd->gen = ++d->node_gen;
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		nd->fp[c].flags = 0;
		nd->fp[c].oom = false;
		nd->fp[c].lines.n = 0;
	}
}

/* A prefix decision of a parallel search's subtree starts with what
 * the rest of the search knows of it (dpor_seed): its done CPUs then
 * sleep below it as they would in the serial search. */
static void node_seed(struct dpor *d, struct node *nd, unsigned node)
{
	const struct seed *sd;

	if (node >= d->nseed)
		return;
	sd = &d->seed[node];
	nd->backtrack |= sd->m.cover & nd->enabled;
	nd->done = sd->m.done & nd->enabled;
	for (unsigned c = 0; c < d->ncpus; c++)
		if (nd->done >> c & 1)
			fp_union(&nd->fp[c], &sd->fp[c]);
}

int dpor_event_begin(struct dpor *d, vmsa_machine_t *m, const unsigned *opt,
		     unsigned n, unsigned chosen, int node, bool fresh,
		     bool free_)
{
	unsigned cpu = opt[chosen];
	uint32_t node_gen = 0;
	struct event *e;

	if (node >= 0) {
		struct node *nd;

		if ((unsigned)node >= d->nodes_init) {
			if (node_vec_reserve(&d->nodes, (size_t)node + 1))
				return -ENOMEM;
			memset(d->nodes.p + d->nodes_init, 0,
			       ((size_t)node + 1 - d->nodes_init) *
			       sizeof(struct node));
			d->nodes_init = (unsigned)node + 1;
			d->nodes.n = d->nodes_init;
			fresh = true;
		}
		nd = &d->nodes.p[node];
		if (fresh) {
			node_init(d, nd, opt, n, chosen, free_);
			node_seed(d, nd, (unsigned)node);
		}
		/* Below this choice, the CPUs already explored here sleep
		 * (their subtrees covered every execution that starts with
		 * them), until something dependent with them happens. */
		if (!d->bounded)
			for (unsigned c = 0; c < d->ncpus; c++)
				if ((nd->done >> c & 1) && c != cpu) {
					d->sleep |= 1u << c;
					d->sleep_node[c] = node;
				}
		node_gen = nd->gen;
	}
	/* Made in place from a zero event: a struct initialiser pushed
	 * (a rep stos on the stack, whose start-up cost was a twentieth of
	 * a litmus search's cycles, and a copy of the whole event) at every
	 * step. */
	if (d->ev.n == d->ev.cap &&
	    event_vec_reserve(&d->ev, (size_t)d->ev.n + 1))
		return -ENOMEM;
	e = &d->ev.p[d->ev.n++];
	*e = zero_event;
	e->cpu = cpu;
	e->node = node;
	e->node_gen = node_gen;
	d->open = (int)d->ev.n - 1;
	order_event(&m->ord, d->open);
	why_label_event(d);
	fp_begin(m);
	d->rec.muted = replays_step(d, (unsigned)d->open);
	return 0;
}

int dpor_wait_check(struct dpor *d, unsigned cpu,
		    const struct footprint *check, bool arrived)
{
	struct event e = {.cpu = cpu, .node = -1, .check = true};
	struct footprint f;

	/* What the check depends on changed only when the event that just
	 * ended is dependent with it: else an earlier check stands for
	 * this one (the latest event it races with is the same). */
	if (!arrived) {
		if (d->ended < 0)
			return 0;
		f = view(d, &d->ev.p[d->ended]);
		if (!fp_dependent(&f, check))
			return 0;
	}
	keep_fp(d, &e, check);
	if (event_vec_push(&d->ev, e))
		return -ENOMEM;
	d->ev.p[d->ev.n - 1].replayed = same_as_prev(d, d->ev.n - 1);
	why_label_event(d);
	return 0;
}

void dpor_wait_read(struct dpor *d, uint64_t pa, uint64_t mask,
		    uint64_t val, bool eq, uint64_t v, bool irq)
{
	struct event *e;

	if (d->open < 0)
		return;
	e = &d->ev.p[d->open];
	e->wait = true;
	e->w_pa = pa;
	e->w_mask = mask;
	e->w_val = val;
	e->w_eq = eq;
	e->w_v = v;
	e->w_irq = irq;
}

bool dpor_wants_ops(const struct dpor *d)
{
	return d->why && d->why->steps;
}

/* The label of "P<cpu>:<op>[ <first word of text>]" (0 when the table
 * is full). */
static uint16_t why_intern(struct race_why *w, unsigned cpu, const char *op,
			   const char *text)
{
	char l[WHY_LABEL_LEN];
	size_t n = strcspn(text, " ,[");

	if (!strcmp(op, "dsb") || !strcmp(op, "dmb") || !strcmp(op, "tlbi"))
		snprintf(l, sizeof(l), "P%u:%s %.*s", cpu, op, (int)n, text);
	else
		snprintf(l, sizeof(l), "P%u:%s", cpu, op);
	for (unsigned i = 0; i < w->nlabels; i++)
		if (!strcmp(w->label[i], l))
			return (uint16_t)i;
	if (w->nlabels == WHY_LABELS)
		return 0;
	strcpy(w->label[w->nlabels], l);
	return (uint16_t)w->nlabels++;
}

void dpor_note_op(struct dpor *d, const char *op, const char *text)
{
	struct race_why *w = d->why;

	/* A choice is traced before the operation that makes it. */
	if (!w || !w->steps || d->open < 0 || !w->ev_label ||
	    w->ev_label[d->open] || !strcmp(op, "choice"))
		return;
	w->ev_label[d->open] = why_intern(w, d->ev.p[d->open].cpu, op, text);
}

int dpor_add_pending(struct dpor *d, unsigned cpu, bool ended)
{
	struct event e = {.cpu = cpu, .node = -1, .flags = FP_ALL,
			  .pending = true, .on = -1};

	/* docs/explorer.md, "Pending events": the step that ended the
	 * execution disabled this one; tried before it, the step runs with
	 * its own footprint and its races are found as any step's. Under a
	 * bound a reversal may not be tried where it is found (BPOR): there
	 * the pending step stays dependent with everything. */
	if (ended && !d->bounded && d->ended >= 0)
		e.on = d->ended;
	if (event_vec_push(&d->ev, e))
		return -ENOMEM;
	d->ev.p[d->ev.n - 1].replayed = same_as_prev(d, d->ev.n - 1);
	why_label_event(d);
	return 0;
}

/* Lowest set bit's index. */
static unsigned lowest(unsigned mask)
{
	return (unsigned)__builtin_ctz(mask);
}

/*
 * add_backtrack() above the floor (a parallel search's prefix), where
 * this search cannot explore: the same choice, but each CPU that joins
 * the backtrack set goes to the coordinator, which has it explored there
 * unless some unit explores that very CPU there already. Remembered
 * here, so that it is passed once; a CPU in the backtrack set is thus
 * always explored by some unit, which the rule "nothing to do when an
 * initial is in the backtrack set" relies on.
 */
static void add_above(struct dpor *d, struct node *nd, unsigned k,
		      unsigned init, unsigned p)
{
	unsigned avail = nd->enabled & ~nd->sleep, cand = init & avail;
	unsigned add = 0;

	if (cand)
		add = 1u << ((cand >> p & 1) ? p : lowest(cand));
	else if (!(init & nd->sleep))
		add = avail & ~nd->backtrack;
	nd->backtrack |= add;
	for (unsigned o = 0; o < nd->n; o++)
		if (add >> nd->opt[o] & 1)
			d->above(d->above_ctx, k, o, nd->opt[o]);
}

/*
 * A race must be reversed from decision k: make sure one of the CPUs of
 * `init` (which can start the reversed execution) is explored there,
 * CPU p preferably. Source sets: nothing to do when one of them is
 * already in the backtrack set, or asleep (a sleeping CPU's executions
 * were explored from an earlier choice); when none can run there, every
 * CPU that can.
 */
static bool add_backtrack(struct dpor *d, int k, unsigned init, unsigned p)
{
	struct node *nd;
	unsigned avail, cand, before;

	if (k < 0)
		return false; /* one CPU could run: nothing else to try */
	nd = &d->nodes.p[k];
	if (!nd->free_ || (init & nd->backtrack))
		return false;
	if ((unsigned)k < d->floor && d->above) {
		add_above(d, nd, (unsigned)k, init, p);
		return true; /* reported to the coordinator */
	}
	before = nd->backtrack;
	avail = nd->enabled & ~nd->sleep;
	cand = init & avail;
	if (cand)
		nd->backtrack |= 1u << ((cand >> p & 1) ? p : lowest(cand));
	else if (!(init & nd->sleep))
		nd->backtrack |= avail;
	return nd->backtrack != before;
}

/* Count the conflicting pairs of items of a race that one pair of kinds
 * alone made (VMSA_DPOR_RACES=objects). */
static void why_objects(struct race_why *w, const struct event *ex,
			const struct footprint *a, const struct event *ey,
			const struct footprint *b)
{
	for (unsigned i = 0; i < a->lines.n; i++)
		for (unsigned j = 0; j < b->lines.n; j++) {
			uint64_t x = a->lines.p[i], y = b->lines.p[j];
			struct why_obj o = {x, y, ex->cpu, ey->cpu, ex->lidx,
					    ey->lidx, 1};
			unsigned t = 0;

			if (!fp_items_conflict(x, y))
				continue;
			while (t < w->nobj &&
			       (w->obj[t].x != x || w->obj[t].y != y ||
				w->obj[t].cx != o.cx || w->obj[t].cy != o.cy ||
				w->obj[t].lx != o.lx || w->obj[t].ly != o.ly))
				t++;
			if (t < w->nobj)
				w->obj[t].n++;
			else if (w->nobj < WHY_NOBJ)
				w->obj[w->nobj++] = o;
			else
				w->obj_lost++;
		}
}

/* The diagnostic: events i and n raced (n, or with `check` the failed
 * check n stands for when `stood`), and `added` says whether that added
 * a backtrack point; count it under the kinds that made them dependent. */
static void why_count(struct dpor *d, unsigned i, unsigned n, bool check,
		      bool stood, bool added)
{
	bool pairs[FP_NKINDS][FP_NKINDS] = {{false}};
	struct footprint a = view(d, &d->ev.p[i]), b = view(d, &d->ev.p[n]);
	unsigned k;

	d->why->races++;
	d->why->checks += check;
	if (!added)
		return;
	d->why->added++;
	d->why->checks_added += check;
	d->why->stood += stood;
	k = fp_dependent_why(&a, &b, pairs);
	for (unsigned x = 0; x < FP_NKINDS; x++)
		for (unsigned y = x; y < FP_NKINDS; y++)
			if (pairs[x][y]) {
				d->why->pair[x][y]++;
				d->why->sole[x][y] += k == 1;
				if (d->why->steps)
					why_count_ops(d->why, x, y, i, n,
						      k == 1);
			}
	if (k == 1 && d->why->objects)
		why_objects(d->why, &d->ev.p[i], &a, &d->ev.p[n], &b);
}

/*
 * The later event of a race: an event n of the execution, or the failed
 * check of a wait that the wait's read n stands for (stood_for_check()):
 * then check and stood are set, vc is the check's vector clock, and the
 * check stands before the writes lims[0 .. nlims), so that the
 * reversal's sequence takes only events that happen after none of them.
 */
struct later {
	unsigned n;		/* where it is: the events before it */
	unsigned cpu;
	bool check;		/* a failed check (dpor_wait_check) */
	bool stood;		/* one a wait's read stands for */
	const uint32_t *vc;
	const unsigned *lims;
	unsigned nlims;
};

/* Does event e happen after (or is it) one of the events lims[0 ..
 * nlims)? */
static bool after_any(const struct dpor *d, const struct event *e,
		      const unsigned *lims, unsigned nlims)
{
	for (unsigned k = 0; k < nlims; k++) {
		const struct event *el = &d->ev.p[lims[k]];

		if (e->vc[el->cpu] >= el->lidx)
			return true;
	}
	return false;
}

/* The vector clock of event j, the later event's at its place. */
static const uint32_t *vc_at(const struct dpor *d, const struct later *l,
			     int j)
{
	return (unsigned)j == l->n ? l->vc : d->ev.p[j].vc;
}

/*
 * The later event l is a failed wait check of CPU p, which the reversal
 * of a race would start at decision k (init: the reversal's initials),
 * p's check the first thing p does there (alone: p has no step in
 * between). When p could not run at k (its check failed there too:
 * nothing the events between k and l do changes what it reads, else
 * they would happen before l and p would not be an initial) or slept
 * there (its executions were explored from an earlier choice), there is
 * nothing to reverse: moving a check that fails, which changes nothing,
 * changes nothing. The write that made it fail before k was followed by
 * a check of its own (dpor_wait_check), which raced with it. So no
 * backtrack point then, where a step of p would have every CPU that can
 * run added (add_backtrack).
 */
static bool check_cannot_start(const struct dpor *d, const struct later *l,
			       bool alone, unsigned init, int k)
{
	const struct node *nd;

	if (!l->check || !alone || !(init >> l->cpu & 1) || k < 0)
		return false;
	nd = &d->nodes.p[k];
	return !(nd->enabled >> l->cpu & 1) || (nd->sleep >> l->cpu & 1);
}

/*
 * Under a bound: make the CPUs of `set` that can run at decision k
 * backtrack CPUs there, or every CPU that can when p (the race's later
 * CPU) cannot (BPOR's fallback). All of them, not one: the source-set
 * argument that any one initial of the reversed sequence will do
 * assumes every order of the rest is explored after it, which the
 * bound may forbid (docs/explorer.md, "With a preemption bound").
 */
static bool add_bounded(struct dpor *d, int k, unsigned set, unsigned p)
{
	struct node *nd;
	unsigned add;

	if (k < 0)
		return false; /* one CPU could run: nothing else to try */
	nd = &d->nodes.p[k];
	if (!nd->free_)
		return false; /* re-placed at the block's start (race_bounded) */
	add = (nd->enabled >> p & 1) ? (set | 1u << p) & nd->enabled :
				       nd->enabled;
	add &= ~nd->backtrack;
	if (!add)
		return false;
	nd->backtrack |= add;
	if ((unsigned)k < d->floor && d->above)
		for (unsigned o = 0; o < nd->n; o++)
			if (add >> nd->opt[o] & 1)
				d->above(d->above_ctx, (unsigned)k, o,
					 nd->opt[o]);
	return true;
}

/*
 * The race (i, l) under a bound (bounded POR, Coons, Musuvathi,
 * McKinley, OOPSLA 2013). The reversal is tried where i ran, with every
 * initial of v.l (init, first: race_with()) and l's CPU p. Starting it
 * there is a preemption when i's CPU q ran just before, which the bound
 * may forbid (decision not free) or which may leave too few for the
 * rest: so it is tried too at the start j of q's block (the latest
 * switch to q before i, failed wait checks skipped: they are not
 * steps), where switching to another CPU costs what switching to q did.
 * There the sequence starts before q's events j .. i-1: its initials
 * are those of init whose first event does not happen after one of
 * them (the others must wait for q and are reached from the races with
 * those events).
 */
static bool race_bounded(struct dpor *d, unsigned i, const struct later *l,
			 unsigned init, const int *first)
{
	const struct event *ei = &d->ev.p[i];
	unsigned q = ei->cpu, p = l->cpu, j = i, init_j = 0;
	bool added = add_bounded(d, ei->node, init, p);

	for (unsigned k = i; k > 0 && (d->ev.p[k - 1].cpu == q ||
				       d->ev.p[k - 1].check); k--)
		if (!d->ev.p[k - 1].check)
			j = k - 1;
	if (j == i)
		return added;
	for (unsigned c = 0; c < d->ncpus; c++)
		if ((init >> c & 1) &&
		    vc_at(d, l, first[c])[q] < d->ev.p[j].lidx)
			init_j |= 1u << c;
	if (check_cannot_start(d, l, true, 1u << p, d->ev.p[j].node))
		return added;
	return add_bounded(d, d->ev.p[j].node, init_j, p) || added;
}

/* i races with l (i before it, of another CPU, dependent, no event
 * between them in happens-before): the reversal's backtrack point. */
static void race_with(struct dpor *d, unsigned i, const struct later *l)
{
	const struct event *ei = &d->ev.p[i];
	unsigned q = ei->cpu, p = l->cpu, init = 0;
	int first[VMSA_MAX_CPUS];

	/* v: the events after i that do not happen after it (nor after
	 * lims: a stood-for check is before them), then l. Its initials
	 * are the CPUs whose first event in v has no happens-before
	 * predecessor in v. A CPU's events that do not happen after i (and
	 * lims) are a prefix of its events after i. */
	for (unsigned c = 0; c < d->ncpus; c++)
		first[c] = -1;
	for (unsigned j = i + 1; j < l->n; j++) {
		const struct event *ej = &d->ev.p[j];

		if (ej->check || first[ej->cpu] >= 0 || ej->vc[q] >= ei->lidx ||
		    after_any(d, ej, l->lims, l->nlims))
			continue;
		first[ej->cpu] = (int)j;
	}
	if (first[p] < 0)
		first[p] = (int)l->n;
	for (unsigned c = 0; c < d->ncpus; c++) {
		bool initial = first[c] >= 0;

		for (unsigned c2 = 0; initial && c2 < d->ncpus; c2++)
			if (c2 != c && first[c2] >= 0 &&
			    vc_at(d, l, first[c])[c2] >=
			    d->ev.p[first[c2]].lidx)
				initial = false;
		if (initial)
			init |= 1u << c;
	}
	if (check_cannot_start(d, l, first[p] == (int)l->n, init, ei->node)) {
		if (d->why)
			why_count(d, i, l->n, l->check, l->stood, false);
		return;
	}
	bool added = d->bounded ? race_bounded(d, i, l, init, first) :
				  add_backtrack(d, ei->node, init, p);

	if (d->why)
		why_count(d, i, l->n, l->check, l->stood, added);
}

/*
 * Is i's write one that n's wait would fail before, when the wait's word
 * holds `val` after it (at the read, or where a check stands)? i's only
 * change of data memory was to n's word, whose line was not stale: a
 * plain write (footprint.h, FP_DW_ONE), so that a cacheable read just
 * before i returned dw_old, or a commuting add (FP_DW_ADD), so that it
 * returned val less the add's delta (the other adds of its split that
 * came between do not happen after i and stay before the read in the
 * reversal; any other write of the word between would be dependent
 * with i and the race would be with it). Does that value fail?
 */
static bool write_fails_wait(const struct event *i, const struct event *n,
			     uint64_t val)
{
	uint64_t before;

	if (i->dw_word != (n->w_pa & ~7ull))
		return false;
	if (i->dw_state == FP_DW_ONE)
		before = i->dw_old;
	else if (i->dw_state == FP_DW_ADD)
		before = val - i->dw_delta;
	else
		return false;
	return ((before & n->w_mask) == n->w_val) != n->w_eq;
}

/* The value of n's word just before i (write_fails_wait() is true). */
static uint64_t value_before(const struct event *i, uint64_t val)
{
	return i->dw_state == FP_DW_ONE ? i->dw_old : val - i->dw_delta;
}

/*
 * Under a bound, a reversal does more than put the events of the same
 * execution in another order: started at i's block (race_bounded()), it
 * runs the waiting CPU's steps between i and its read earlier, which may
 * save a preemption and so reach executions the bound forbids after
 * this one. So a race with a wait's read (or a check standing for one)
 * that cannot move is skipped there only when the waiting CPU has no
 * step between (its previous step, d->prev_step, is before i): the
 * reversal would only add its failed check (as main's rule that it was
 * blocked at the wait across i; unbounded, the order of independent
 * events changes nothing).
 */
static bool nothing_moves(const struct dpor *d, unsigned i)
{
	return !d->bounded || d->prev_step < (int)i;
}

/*
 * A check stood for (stood_for_check()): the wait's read n, the writes
 * it stands before (lims: the events before n that happen after none of
 * them are those before it), and what is left of the work allowed for
 * one skipped race (commuting adds of one split met in turn, which
 * happen before none of the others, may be passed in many orders).
 */
#define STOOD_LIMS 16u
#define STOOD_BUDGET 64u

struct stood {
	unsigned n;
	unsigned lims[STOOD_LIMS], nlims;
	unsigned budget;
};

/*
 * The wait's read n (of CPU p) cannot move before the write i
 * (write_fails_wait()): the reversal of their race would run the events
 * after i that do not happen after it, then leave p blocked at the
 * wait (no interrupt it could take was pending at n, e->w_irq, so none
 * was before: only p's own steps take one or change its masks), then i
 * and the rest as before: the same execution with one
 * more event, p's failed check f just before i, whose races are the
 * only new ones (a check is no access later events depend on: "Waits"
 * in docs/explorer.md). So rather than explore that execution, find
 * f's races here (docs/explorer.md, "Wait reads that cannot move"):
 * f's candidates are, per other CPU, its latest event before n that
 * happens after none of the writes f stands before (s->lims) and is
 * dependent with the wait's check (d->chk: fp_wait_check()); f comes
 * after p's previous step (d->prev_step), so candidates that happen
 * before that step are none of f's races. A direct candidate is a race
 * of f, reversed as a check's (race_with(), check_cannot_start()),
 * except when it is itself a write the wait fails before (with the
 * word's value val where f stands): then the check stands before that
 * write too. False when the work allowed ran out (the caller then
 * reverses the race as any other).
 */
static bool stood_for_check(struct dpor *d, struct stood *s, uint64_t val)
{
	const struct event *en = &d->ev.p[s->n];
	const struct event *pe = d->prev_step >= 0 ?
				 &d->ev.p[d->prev_step] : NULL;
	unsigned p = en->cpu, open = 0;
	int cand[VMSA_MAX_CPUS];
	uint32_t vc[VMSA_MAX_CPUS];

	if (!s->budget)
		return false;
	s->budget--;
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		cand[c] = -1;
		vc[c] = pe ? pe->vc[c] : 0;
		if (c < d->ncpus && c != p)
			open |= 1u << c;
	}
	for (unsigned j = s->n; j-- > 0 && open;) {
		const struct event *e = &d->ev.p[j];
		struct footprint f;

		if (!(open >> e->cpu & 1) || e->check || e->pending)
			continue;
		if (pe && pe->vc[e->cpu] >= e->lidx) {
			/* It and its CPU's earlier events happen before p's
			 * previous step. */
			open &= ~(1u << e->cpu);
			continue;
		}
		if (after_any(d, e, s->lims, s->nlims))
			continue;
		f = view(d, e);
		if (fp_dependent(&f, &d->chk)) {
			cand[e->cpu] = (int)j;
			open &= ~(1u << e->cpu);
		}
	}
	for (unsigned c = 0; c < d->ncpus; c++)
		if (cand[c] >= 0)
			for (unsigned c2 = 0; c2 < d->ncpus; c2++)
				if (d->ev.p[cand[c]].vc[c2] > vc[c2])
					vc[c2] = d->ev.p[cand[c]].vc[c2];
	vc[p] = en->lidx;
	for (unsigned c = 0; c < d->ncpus; c++) {
		const struct event *x;
		bool direct = cand[c] >= 0;

		for (unsigned c2 = 0; direct && c2 < d->ncpus; c2++)
			if (c2 != c && cand[c2] >= 0 &&
			    d->ev.p[cand[c2]].vc[c] >= d->ev.p[cand[c]].lidx)
				direct = false;
		if (!direct)
			continue;
		x = &d->ev.p[cand[c]];
		if (write_fails_wait(x, en, val) &&
		    nothing_moves(d, (unsigned)cand[c])) {
			bool ok;

			if (s->nlims == STOOD_LIMS)
				return false;
			if (d->why)
				d->why->fixed++;
			s->lims[s->nlims++] = (unsigned)cand[c];
			ok = stood_for_check(d, s, value_before(x, val));
			s->nlims--;
			if (!ok)
				return false;
		} else {
			struct later l = {s->n, p, true, true, vc, s->lims,
					  s->nlims};

			race_with(d, (unsigned)cand[c], &l);
		}
	}
	return true;
}

/* i races with n (i before n, different CPUs, dependent, no event
 * between them in happens-before). */
static void race(struct dpor *d, unsigned i, unsigned n)
{
	const struct event *ei = &d->ev.p[i], *en = &d->ev.p[n];
	struct later l = {n, en->cpu, en->check, false, en->vc, NULL, 0};

	if (en->wait && !en->check && !en->w_irq &&
	    write_fails_wait(ei, en, en->w_v) && nothing_moves(d, i)) {
		struct stood s = {.n = n, .lims = {i}, .nlims = 1,
				  .budget = STOOD_BUDGET};

		if (d->why)
			d->why->fixed++;
		fp_wait_check(&d->chk, en->cpu, en->w_pa);
		if (stood_for_check(d, &s, value_before(ei, en->w_v)))
			return;
		if (d->why)
			d->why->stood_over++;
	}
	race_with(d, i, &l);
}

/* Remember that event j of CPU c is a candidate predecessor. */
static void note(const struct dpor *d, int *best, unsigned p, int j)
{
	if (j >= 0 && d->ev.p[j].cpu != p && j > best[d->ev.p[j].cpu])
		best[d->ev.p[j].cpu] = j;
}

static void access_clear(struct access *a)
{
	a->last_w = -1;
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
		a->reader[c] = a->wwriter[c] = a->wreader[c] =
			a->sel_whole[c] = -1;
	/* The parts' records of a part are set when its first access is
	 * noted, the add arrays of a word when its first add is, the
	 * removal arrays of a part when its first removal or look is. */
	a->parts = 0;
	a->adds = 0;
	a->dels = 0;
}

/* Log the len bytes at p, in d->acc.p, before they change. Inline in
 * every caller, where len is a constant: the analysis of an execution
 * logs thousands of records (a 2 MiB split's steps note hundreds of
 * words), and the call with its two copies of unknown length cost more
 * than the records' changes themselves. */
static inline __attribute__((always_inline)) void
undo_keep(struct dpor *d, const void *p, uint32_t len)
{
	uint32_t hdr[2] = {(uint32_t)((const uint8_t *)p -
				      (const uint8_t *)d->acc.p), len};
	size_t n = d->undo.n;

	if (d->undo_lost ||
	    undo_vec_reserve(&d->undo, n + len + sizeof(hdr))) {
		d->undo_lost = true;
		return;
	}
	memcpy(d->undo.p + n, p, len);
	memcpy(d->undo.p + n + len, hdr, sizeof(hdr));
	d->undo.n = (unsigned)(n + len + sizeof(hdr));
}

/* Undo the changes logged since the log held n bytes. */
static void undo_to(struct dpor *d, unsigned n)
{
	while (d->undo.n > n) {
		uint32_t hdr[2];

		d->undo.n -= sizeof(hdr);
		memcpy(hdr, d->undo.p + d->undo.n, sizeof(hdr));
		d->undo.n -= hdr[1];
		memcpy((uint8_t *)d->acc.p + hdr[0], d->undo.p + d->undo.n,
		       hdr[1]);
	}
}

/* *p = v, logged. */
static void set_int(struct dpor *d, int *p, int v)
{
	undo_keep(d, p, sizeof(*p));
	*p = v;
}

/* access_clear(), logged. */
static void clear_logged(struct dpor *d, struct access *a)
{
	undo_keep(d, a, offsetof(struct access, sub_w));
	access_clear(a);
}

/* The latest write of part k (sub-item k + 1) since the line's last
 * whole write, and CPU c's latest read of it since: -1 for none. */
static int part_w(const struct access *a, unsigned k)
{
	return a->parts >> k & 1 ? a->sub_w[k] : -1;
}

static int part_r(const struct access *a, unsigned k, unsigned c)
{
	return a->parts >> k & 1 ? a->sub_r[k][c] : -1;
}

/* Part k's records, set to none (logged: what a part not in `parts`
 * holds is never read, but a part cleared from `parts` since the point
 * the log may return to held records then). */
static void part_reset(struct dpor *d, struct access *a, unsigned k)
{
	undo_keep(d, &a->sub_w[k], sizeof(a->sub_w[k]));
	undo_keep(d, a->sub_r[k], sizeof(a->sub_r[k]));
	a->sub_w[k] = -1;
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
		a->sub_r[k][c] = -1;
	if (!(a->parts >> k & 1)) {
		undo_keep(d, &a->parts, sizeof(a->parts));
		a->parts |= 1ull << k;
	}
}

/* Part k's records, set to none if they were not set. */
static void part_start(struct dpor *d, struct access *a, unsigned k)
{
	if (!(a->parts >> k & 1))
		part_reset(d, a, k);
}

/* Note every CPU's latest removals of part s (1 .. FP_NSUB) since its
 * last plain write, and with looks too their looks (of the part and of
 * the whole TLB): what a plain read (removals) or a plain write (both)
 * of the part is dependent with. */
static void note_dels(const struct dpor *d, int *best, unsigned p,
		      const struct access *a, unsigned s, bool looks)
{
	/* Most items meet no removal: a read of a part none was noted in. */
	if (!looks && !(a->dels >> s & 1))
		return;
	for (unsigned c = 0; c < d->ncpus; c++) {
		if (a->dels >> s & 1) {
			note(d, best, p, a->del_w[s - 1][c]);
			if (looks)
				note(d, best, p, a->del_r[s - 1][c]);
		}
		if (looks)
			note(d, best, p, a->sel_whole[c]);
	}
}

/* Note what a removal (written) or a look at part s (0: the whole TLB)
 * is dependent with: the plain writes of the part (of any part for the
 * whole), and for a removal the plain readers. */
static void note_del_item(const struct dpor *d, int *best, unsigned p,
			  const struct access *a, unsigned s, bool w)
{
	note(d, best, p, a->last_w);
	if (!s) {
		/* Only looks are of the whole TLB (fp_tlb_select). */
		for (uint64_t m = a->parts; m; m &= m - 1)
			note(d, best, p, a->sub_w[__builtin_ctzll(m)]);
		return;
	}
	note(d, best, p, part_w(a, s - 1));
	if (w)
		for (unsigned c = 0; c < d->ncpus; c++) {
			note(d, best, p, a->reader[c]);
			note(d, best, p, part_r(a, s - 1, c));
		}
}

/* Event n of CPU p is now the latest removal (w) or look at part s of
 * a's line (0: a look at the whole TLB). */
static void record_del(struct dpor *d, struct access *a, unsigned s,
		       bool w, unsigned p, int n)
{
	if (!s) {
		set_int(d, &a->sel_whole[p], n);
		return;
	}
	if (!(a->dels >> s & 1)) {
		/* Logged as in part_reset(). */
		undo_keep(d, a->del_w[s - 1], sizeof(a->del_w[s - 1]));
		undo_keep(d, a->del_r[s - 1], sizeof(a->del_r[s - 1]));
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			a->del_w[s - 1][c] = a->del_r[s - 1][c] = -1;
		undo_keep(d, &a->dels, sizeof(a->dels));
		a->dels |= 1ull << s;
	}
	if (w) {
		set_int(d, &a->del_w[s - 1][p], n);
		/* for whole accesses: a write */
		set_int(d, &a->wwriter[p], n);
	} else {
		set_int(d, &a->del_r[s - 1][p], n);
		set_int(d, &a->wreader[p], n);
	}
}

/* Note CPU c's latest adds of word i that an access is dependent with:
 * every add (split > 64: the access is no add), or those of a split
 * other than `split`. */
static void note_adds(const struct dpor *d, int *best, unsigned p,
		      const struct access *a, unsigned i, unsigned split)
{
	if (!(a->adds >> i & 1))
		return;
	for (unsigned c = 0; c < d->ncpus; c++)
		note(d, best, p, a->add_split[i][c] != split ?
					 a->add[i][c] : a->add_other[i][c]);
}

/* Note the latest earlier accesses that item l of an event of CPU p is
 * dependent with. */
static void note_item(const struct dpor *d, int *best, unsigned p,
		      const struct access *a, uint64_t l)
{
	unsigned sub = FP_ITEM_SUB(l);
	bool w = l & 1;

	if (fp_sub_is_del(sub)) {
		note_del_item(d, best, p, a, fp_sub_del_part(sub), w);
		return;
	}
	note(d, best, p, a->last_w);
	if (!sub) {
		for (unsigned c = 0; c < d->ncpus; c++) {
			note(d, best, p, a->wwriter[c]);
			if (w) {
				note(d, best, p, a->reader[c]);
				note(d, best, p, a->wreader[c]);
				note(d, best, p, a->sel_whole[c]);
			}
		}
		return;
	}
	if (fp_sub_is_add(sub)) {
		/* A write of the word, but of adds of its own split. */
		unsigned i = fp_sub_add_word(sub) - 1;

		note(d, best, p, part_w(a, i));
		/* And of the line's PoC copy (fp_subs_conflict). */
		note(d, best, p, part_w(a, FP_SUB_POC - 1));
		for (unsigned c = 0; c < d->ncpus; c++) {
			note(d, best, p, a->reader[c]);
			note(d, best, p, part_r(a, i, c));
			note(d, best, p, part_r(a, FP_SUB_POC - 1, c));
		}
		note_adds(d, best, p, a, i, fp_sub_add_split(sub));
		return;
	}
	note(d, best, p, part_w(a, sub - 1));
	if (w)
		for (unsigned c = 0; c < d->ncpus; c++) {
			note(d, best, p, a->reader[c]);
			note(d, best, p, part_r(a, sub - 1, c));
		}
	if (sub <= ACCESS_WORDS)
		note_adds(d, best, p, a, sub - 1, ~0u);
	else if (sub == FP_SUB_POC)
		for (unsigned i = 0; i < ACCESS_WORDS; i++)
			note_adds(d, best, p, a, i, ~0u);
	note_dels(d, best, p, a, sub, w);
}

/* Event n of CPU p is now the latest add of split `split` to word i of
 * a's line (note_adds). */
static void record_add(struct dpor *d, struct access *a, unsigned i,
		       unsigned split, unsigned p, int n)
{
	if (!(a->adds >> i & 1)) {
		/* Logged as in part_reset(). */
		undo_keep(d, a->add[i], sizeof(a->add[i]));
		undo_keep(d, a->add_other[i], sizeof(a->add_other[i]));
		undo_keep(d, a->add_split[i], sizeof(a->add_split[i]));
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
			a->add[i][c] = a->add_other[i][c] = -1;
			a->add_split[i][c] = 0;
		}
		undo_keep(d, &a->adds, sizeof(a->adds));
		a->adds |= (uint8_t)(1u << i);
	}
	if (a->add[i][p] >= 0 && a->add_split[i][p] != split)
		set_int(d, &a->add_other[i][p], a->add[i][p]);
	set_int(d, &a->add[i][p], n);
	undo_keep(d, &a->add_split[i][p], sizeof(a->add_split[i][p]));
	a->add_split[i][p] = (uint8_t)split;
	/* A write of a word, for whole-line accesses. */
	set_int(d, &a->wwriter[p], n);
}

/* Event n of CPU p is now the latest access of item l (every change
 * logged). */
static void record_item(struct dpor *d, struct access *a, uint64_t l,
			unsigned p, int n)
{
	unsigned sub = FP_ITEM_SUB(l);

	if (!sub) {
		if (l & 1) {
			/* Everything before is dependent with it, and
			 * whatever is dependent with one of those is with
			 * it too: they need not be noted again. (The log
			 * entry of the clear covers last_w.) */
			clear_logged(d, a);
			a->last_w = n;
		} else {
			set_int(d, &a->reader[p], n);
		}
		return;
	}
	if (fp_sub_is_add(sub)) {
		record_add(d, a, fp_sub_add_word(sub) - 1,
			   fp_sub_add_split(sub), p, n);
		return;
	}
	if (fp_sub_is_del(sub)) {
		record_del(d, a, fp_sub_del_part(sub), l & 1, p, n);
		return;
	}
	if (l & 1) {
		/* The part's earlier accesses are dependent with it. */
		part_reset(d, a, sub - 1);
		a->sub_w[sub - 1] = n;	/* logged by part_reset */
		/* It is dependent with the word's adds and the part's
		 * removals too. It ends the part's removals (each is
		 * dependent with it), but not the word's adds: an access of
		 * the line's PoC copy is dependent with an add
		 * (fp_subs_conflict) and need not be with a write of its
		 * word (a DSB that publishes it). */
		if (a->dels >> sub & 1) {
			undo_keep(d, &a->dels, sizeof(a->dels));
			a->dels &= ~(1ull << sub);
		}
		set_int(d, &a->wwriter[p], n);
	} else {
		part_start(d, a, sub - 1);
		set_int(d, &a->sub_r[sub - 1][p], n);
		set_int(d, &a->wreader[p], n);
	}
}

/* Is item l event e's write of its own CPU's window, observed in part
 * of it or by nobody (window_observed())? The analysis then takes it as
 * the write of the parts observed (window_part_items()), or leaves it
 * out. */
static bool narrowed_window_item(const struct event *e, uint64_t l)
{
	return e->win_obs != WIN_ALL && (l & 1) && FP_ITEM_SUB(l) == 0 &&
	       FP_ITEM_LINE(l) == FP_OBJ_LINE + FP_OBJ_WINDOW + e->cpu;
}

/* The items event e's write l of its window stands for: the writes of
 * the parts observed (narrowed_window_item()), at most FP_WINDOW_PARTS
 * in items[]; how many. */
static unsigned window_part_items(const struct event *e, uint64_t l,
				  uint64_t *items)
{
	unsigned n = 0;

	for (unsigned k = 0; k < FP_WINDOW_PARTS; k++)
		if (e->win_obs >> k & 1)
			items[n++] = FP_ITEM(FP_ITEM_LINE(l),
					     FP_WINDOW_PART0 + k, true);
	return n;
}

/*
 * Windows nobody observes (docs/explorer.md). A CPU's window (where its
 * spurious-fault and ETS2 windows start, FP_OBJ_WINDOW + cpu) is read
 * for what it is only by the CPU's own walks (fp_window_walk: sub-item
 * 1); the other steps that read it (publishing DSBs, stores with ETS2,
 * allocations of pages with a history) stand for the comparisons those
 * walks make of their steps with it. The order of a step that writes
 * the window and such a step of another CPU is therefore seen only by
 * a walk of the CPU after the write and before the CPU's next write of
 * it (later walks compare with the newer window, and the window only
 * moves forward; pruning of history, oldest_window(), drops only what
 * no walk can read in either order). When there is none, the write is
 * observed by nobody and the race analysis leaves it out (the optimal
 * DPOR's "observers", Aronis, Jonsson, Lång, Sagonas, TACAS 2018:
 * writes that conflict only through what a later read observes). An
 * execution that ended before its CPUs did (truncated: a violation, a
 * sleep-set prune) may lack the walk that would have observed its last
 * writes: those count as observed. A pending event (FP_ALL) observes
 * everything before it.
 *
 * Windows observed by word (docs/explorer.md): outside relaxed a walk
 * compares the window only with the history of each word it reads, and
 * the stand-in readers change the history of particular words; each
 * records the word's part of the window (fp_window_word(),
 * fp_window_word_all()). So the order of a write and a stand-in read of
 * the window is seen only when one of the write's observers reads a part
 * the stand-in reads: the write counts as the write of the parts its
 * observers read (win_obs; WIN_ALL when one reads the whole window,
 * FP_WINDOW_WALK: a walk under relaxed, a pending event, a truncated
 * end), none: dead.
 */
static void window_observed(struct dpor *d)
{
	bool all[VMSA_MAX_CPUS];
	uint32_t parts[VMSA_MAX_CPUS];

	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		all[c] = d->truncated;
		parts[c] = 0;
	}
	for (unsigned n = d->ev.n; n-- > 0;) {
		struct event *e = &d->ev.p[n];

		e->win_obs = WIN_ALL;
		if (e->check || d->all_windows)
			continue;
		if (e->flags & FP_ALL) {
			all[e->cpu] = true;
			continue;
		}
		/* A step's walks come before its own write of the window
		 * (an explicit access with ETS2: the walk, then the access
		 * that starts the window): they observe the previous one. */
		if (e->win_w) {
			e->win_obs = all[e->cpu] ? WIN_ALL : parts[e->cpu];
			all[e->cpu] = false;
			parts[e->cpu] = 0;
		}
		if (e->win_walk)
			all[e->cpu] = true;
		parts[e->cpu] |= e->win_parts;
	}
}

/* The record of a line, or NULL when none is noted. */
static struct access *access_find(const struct dpor *d, uint64_t line)
{
	const struct access_slot *s = access_tab_find(&d->lines, line);

	return s ? &d->acc.p[s->idx] : NULL;
}

/* The record of a line, a new empty one if it had none; NULL when out
 * of memory (nothing changed). */
static struct access *access_get(struct dpor *d, uint64_t line)
{
	struct access_slot *s = access_tab_find(&d->lines, line);

	if (s)
		return &d->acc.p[s->idx];
	if (access_vec_reserve(&d->acc, (size_t)d->acc.n + 1))
		return NULL;
	s = access_tab_insert(&d->lines, line);
	if (!s)
		return NULL;
	s->idx = d->acc.n++;
	access_clear(&d->acc.p[s->idx]);
	d->acc.p[s->idx].line = line;
	return &d->acc.p[s->idx];
}

/* Event n wrote the contexts (or everything). */
static void record_desc_write(struct dpor *d, unsigned n)
{
	clear_logged(d, &d->acc.p[ACC_DESC]);
	d->acc.p[ACC_DESC].last_w = (int)n;	/* logged by the clear */
}

/* Drop the records of index n and above (made since), with their
 * slots. */
static void access_truncate(struct dpor *d, unsigned n)
{
	while (d->acc.n > n) {
		struct access_slot *s =
			access_tab_find(&d->lines, d->acc.p[--d->acc.n].line);

		access_tab_remove(&d->lines, s);
	}
}

/* No record: the contexts' alone (ACC_DESC), empty. */
static int access_reset(struct dpor *d)
{
	access_tab_reset(&d->lines);
	d->undo.n = 0;
	d->undo_lost = false;
	d->acc.n = 0;
	if (access_vec_reserve(&d->acc, 1))
		return -ENOMEM;
	d->acc.n = 1;
	access_clear(&d->acc.p[ACC_DESC]);
	return 0;
}

/* Is event k of this execution the previous execution's event k, for
 * everything the analysis reads of it (same_as_prev(), and its window
 * observed alike)? */
static bool same_event(const struct dpor *d, unsigned k)
{
	return d->ev.p[k].replayed &&
	       d->ev.p[k].win_obs == d->prev.p[k].win_obs;
}

/*
 * The analysis from the common prefix (docs/explorer.md, "The analysis
 * of a prefix analysed before"). The next execution replays most of the
 * previous one's events: where the n first are the same events (same
 * footprints, CPUs and nodes, and their windows observed alike), the
 * records after them are the same and each race among them was reversed
 * already (adding a backtrack point is idempotent: a node's backtrack
 * set only grows, and its enabled and sleep sets and the bound's
 * freedom are fixed when it is made). So the records are rolled back
 * to what they were before event n, the n events take their clocks
 * from the previous analysis, and the analysis goes on from n: the
 * same races, the same backtrack points. *start: n (0: from scratch).
 * The race diagnostic counts every race of every execution: with it,
 * always from scratch.
 */
static int prefix_reuse(struct dpor *d, unsigned *start)
{
	unsigned n = 0;

	if (d->prev_ok && !d->undo_lost && !d->why && !d->no_reuse)
		while (n < d->ev.n && n < d->prev.n && same_event(d, n))
			n++;
	*start = n;
	d->prev_ok = false;
	if (!n)
		return access_reset(d);
	if (n < d->prev.n) {
		undo_to(d, d->prev.p[n].undo0);
		access_truncate(d, d->prev.p[n].acc0);
	}
	for (unsigned k = 0; k < n; k++) {
		struct event *e = &d->ev.p[k];
		const struct event *o = &d->prev.p[k];

		e->lidx = o->lidx;
		memcpy(e->vc, o->vc, sizeof(e->vc));
		e->undo0 = o->undo0;
		e->acc0 = o->acc0;
	}
	return 0;
}

/* Note the latest earlier accesses that event e's items are dependent
 * with. A footprint's items are sorted (fp_end), so grouped by line:
 * one look-up per line. */
static void note_items(const struct dpor *d, const struct event *e,
		       int *best)
{
	uint64_t line = UINT64_MAX;	/* no item's line */
	const struct access *a = NULL;

	for (unsigned k = 0; k < e->nlines; k++) {
		uint64_t l = d->pool.p[e->line0 + k];
		uint64_t parts[FP_WINDOW_PARTS];
		unsigned np;

		if (FP_ITEM_LINE(l) != line) {
			line = FP_ITEM_LINE(l);
			a = access_find(d, line);
		}
		if (!a)
			continue;
		if (!narrowed_window_item(e, l)) {
			note_item(d, best, e->cpu, a, l);
			continue;
		}
		np = window_part_items(e, l, parts);
		for (unsigned i = 0; i < np; i++)
			note_item(d, best, e->cpu, a, parts[i]);
	}
}

/* Event n, e, is now the latest access of its items: 0 or -ENOMEM. */
static int record_items(struct dpor *d, const struct event *e, unsigned n)
{
	uint64_t line = UINT64_MAX;
	struct access *a = NULL;

	for (unsigned k = 0; k < e->nlines; k++) {
		uint64_t l = d->pool.p[e->line0 + k];
		uint64_t parts[FP_WINDOW_PARTS];
		unsigned np;

		if (narrowed_window_item(e, l) && !e->win_obs)
			continue;
		/* Only a new line inserts (and may move the records). */
		if (FP_ITEM_LINE(l) != line) {
			line = FP_ITEM_LINE(l);
			a = access_get(d, line);
			if (!a)
				return -ENOMEM;
		}
		if (!narrowed_window_item(e, l)) {
			record_item(d, a, l, e->cpu, (int)n);
			continue;
		}
		np = window_part_items(e, l, parts);
		for (unsigned i = 0; i < np; i++)
			record_item(d, a, parts[i], e->cpu, (int)n);
	}
	return 0;
}

int dpor_analyse(struct dpor *d)
{
	int last[VMSA_MAX_CPUS], last_run[VMSA_MAX_CPUS];
	uint32_t count[VMSA_MAX_CPUS] = {0};
	unsigned start;
	int rc;

	window_observed(d);
	rc = prefix_reuse(d, &start);
	if (rc)
		return rc;
	d->last_all = -1;
	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
		last[c] = last_run[c] = -1;
	/* The latest events and counts of the prefix analysed before (as
	 * the loop below leaves them). */
	for (unsigned n = 0; n < start; n++) {
		const struct event *e = &d->ev.p[n];

		if (e->check)
			continue;
		count[e->cpu] = e->lidx;
		if (!e->pending && (e->flags & FP_ALL))
			d->last_all = (int)n;
		last[e->cpu] = (int)n;
		if (!e->pending)
			last_run[e->cpu] = (int)n;
	}
	for (unsigned n = start; n < d->ev.n; n++) {
		struct event *e = &d->ev.p[n];
		unsigned p = e->cpu;
		int best[VMSA_MAX_CPUS];
		const uint32_t *prev = last[p] >= 0 ? d->ev.p[last[p]].vc : NULL;
		const struct access *desc = &d->acc.p[ACC_DESC];

		e->undo0 = d->undo.n;
		e->acc0 = d->acc.n;
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			best[c] = -1;
		/* The candidates: the latest earlier event of each other CPU
		 * that is dependent with e (earlier dependent events of that
		 * CPU happen before it). */
		if (e->pending && e->on >= 0) {
			note(d, best, p, e->on);
		} else if (e->flags & FP_ALL) {
			for (unsigned c = 0; c < d->ncpus; c++)
				note(d, best, p, e->pending ? last_run[c] :
					  last[c]);
		} else {
			note(d, best, p, d->last_all);
			if (e->flags & (FP_DESC_R | FP_DESC_W))
				note(d, best, p, desc->last_w);
			if (e->flags & FP_DESC_W)
				for (unsigned c = 0; c < d->ncpus; c++)
					note(d, best, p, desc->reader[c]);
			note_items(d, e, best);
		}
		/* Its vector clock. */
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			e->vc[c] = prev ? prev[c] : 0;
		for (unsigned c = 0; c < d->ncpus; c++) {
			if (best[c] < 0)
				continue;
			for (unsigned c2 = 0; c2 < d->ncpus; c2++)
				if (d->ev.p[best[c]].vc[c2] > e->vc[c2])
					e->vc[c2] = d->ev.p[best[c]].vc[c2];
		}
		/* A check is no step of its CPU: the next one takes its
		 * place in the count. */
		e->lidx = e->check ? count[p] + 1 : ++count[p];
		e->vc[p] = e->lidx;
		/* Races: candidates that happen before no other predecessor
		 * of e (else the race is with that one). */
		d->prev_step = last[p];
		for (unsigned c = 0; c < d->ncpus; c++) {
			int j = best[c];
			bool direct;

			if (j < 0)
				continue;
			direct = !prev || prev[c] < d->ev.p[j].lidx;
			for (unsigned c2 = 0; direct && c2 < d->ncpus; c2++)
				if (c2 != c && best[c2] >= 0 &&
				    d->ev.p[best[c2]].vc[c] >= d->ev.p[j].lidx)
					direct = false;
			if (direct)
				race(d, (unsigned)j, n);
		}
		/* A check accesses nothing later events see. */
		if (e->check)
			continue;
		/* e is now the latest access to what it touched (a pending
		 * event touched nothing that later pending events see). */
		if (e->pending) {
			/* nothing */
		} else if (e->flags & FP_ALL) {
			d->last_all = (int)n;
			record_desc_write(d, n);
		} else {
			if (e->flags & FP_DESC_W)
				record_desc_write(d, n);
			else if (e->flags & FP_DESC_R)
				set_int(d, &d->acc.p[ACC_DESC].reader[p],
					(int)n);
			if (record_items(d, e, n))
				return -ENOMEM;
		}
		last[p] = (int)n;
		if (!e->pending)
			last_run[p] = (int)n;
	}
	d->analysed = true;
	return 0;
}

int dpor_next_option(struct dpor *d, unsigned node, unsigned chosen)
{
	struct node *nd = &d->nodes.p[node];

	nd->done |= 1u << nd->opt[chosen];
	if (!nd->free_)
		return -1;
	for (unsigned o = 0; o < nd->n; o++) {
		unsigned c = nd->opt[o];

		if ((nd->backtrack >> c & 1) && !(nd->done >> c & 1) &&
		    !(nd->sleep >> c & 1))
			return (int)o;
	}
	return -1;
}

void dpor_set_floor(struct dpor *d, unsigned floor, dpor_above_fn *above,
		    void *ctx)
{
	/* Where a race goes changes: analyse the next execution whole. */
	d->prev_ok = d->prev_last = false;
	d->floor = floor;
	d->above = above;
	d->above_ctx = ctx;
}

int dpor_seed(struct dpor *d, unsigned node, struct dpor_mask m)
{
	d->prev_ok = d->prev_last = false;
	if (node >= d->nseed) {
		struct seed *s = realloc(d->seed, ((size_t)node + 1) *
					 sizeof(*s));

		if (!s)
			return -ENOMEM;
		memset(s + d->nseed, 0, (node + 1 - d->nseed) * sizeof(*s));
		d->seed = s;
		d->nseed = node + 1;
	}
	d->seed[node].m = m;
	return 0;
}

int dpor_seed_fp(struct dpor *d, unsigned node, unsigned cpu, unsigned flags,
		 const uint64_t *lines, unsigned n)
{
	struct footprint f = {.flags = flags};

	if (node >= d->nseed || cpu >= VMSA_MAX_CPUS)
		return -EINVAL;
	f.lines.p = (uint64_t *)lines;
	f.lines.n = f.lines.cap = n;
	fp_union(&d->seed[node].fp[cpu], &f);
	return d->seed[node].fp[cpu].oom ? -ENOMEM : 0;
}

struct dpor_mask dpor_mask_of(const struct dpor *d, unsigned node)
{
	struct dpor_mask m = {0, 0};

	if (node < d->nodes_init && d->nodes.p[node].n) {
		const struct node *nd = &d->nodes.p[node];

		m.cover = nd->backtrack | nd->done;
		m.done = nd->done;
	}
	return m;
}

unsigned dpor_done_fp(const struct dpor *d, unsigned node, unsigned cpu,
		      unsigned *flags, const uint64_t **lines)
{
	const struct footprint *f = &d->nodes.p[node].fp[cpu];

	*flags = f->flags | (f->oom ? FP_ALL : 0);
	*lines = f->lines.p;
	return f->oom ? 0 : f->lines.n;
}

int dpor_option_cpu(const struct dpor *d, unsigned node, unsigned option)
{
	if (node >= d->nodes_init || option >= d->nodes.p[node].n)
		return -1;
	return (int)d->nodes.p[node].opt[option];
}

int dpor_seed_sleeper(struct dpor *d, unsigned node, unsigned cpu,
		      unsigned flags, const uint64_t *lines, unsigned n)
{
	if (node >= d->nseed || cpu >= d->ncpus)
		return -EINVAL;
	d->seed[node].m.done |= 1u << cpu;
	d->seed[node].m.cover |= 1u << cpu;
	return dpor_seed_fp(d, node, cpu, flags, lines, n);
}

uint32_t dpor_untried(const struct dpor *d, unsigned node, unsigned chosen)
{
	const struct node *nd;
	uint32_t opts = 0;

	if (node >= d->nodes_init || !d->nodes.p[node].free_)
		return 0;
	nd = &d->nodes.p[node];
	for (unsigned o = 0; o < nd->n; o++) {
		unsigned c = nd->opt[o];

		if (o != chosen && (nd->backtrack >> c & 1) &&
		    !(nd->done >> c & 1) && !(nd->sleep >> c & 1))
			opts |= 1u << o;
	}
	return opts;
}

/* Room for dpor_wplace_redundant()'s marks of n events. */
static int wp_reserve(struct dpor *d, size_t n)
{
	unsigned char *mark;
	unsigned *anc;

	if (n <= d->wp_cap)
		return 0;
	mark = realloc(d->wp_mark, n);
	if (mark)
		d->wp_mark = mark;
	anc = realloc(d->wp_anc, n * sizeof(*anc));
	if (anc)
		d->wp_anc = anc;
	if (!mark || !anc)
		return -ENOMEM;
	d->wp_cap = n;
	return 0;
}

/* f's items but those `drop` says to leave out (arg: its argument),
 * into d->wp_lines: the footprint a rule's reordering tests with. */
static int lines_without(struct dpor *d, const struct footprint *f,
			 bool (*drop)(uint64_t item, uint64_t arg), uint64_t arg,
			 struct footprint *out)
{
	d->wp_lines.n = 0;
	if (fp_line_vec_reserve(&d->wp_lines, f->lines.n + 1))
		return -ENOMEM;
	for (size_t k = 0; k < f->lines.n; k++)
		if (!drop(f->lines.p[k], arg))
			d->wp_lines.p[d->wp_lines.n++] = f->lines.p[k];
	*out = *f;
	out->lines.p = d->wp_lines.p;
	out->lines.n = out->lines.cap = d->wp_lines.n;
	return 0;
}

/* An item of the order of writes. */
static bool order_item(uint64_t item, uint64_t arg)
{
	(void)arg;
	return FP_ITEM_LINE(item) == FP_OBJ_LINE + FP_OBJ_ORDER;
}

/* f's items but those of the order of writes, into d->wp_lines. */
static int without_order(struct dpor *d, const struct footprint *f,
			 struct footprint *out)
{
	return lines_without(d, f, order_item, 0, out);
}

enum { WP_G = 1 };

/* Mark the event that made message g as one of G, the oldest so far
 * into *lo: false when it is no event of this execution before event w
 * or took a place it could not take again (ord_msg.fixed). */
static bool mark_g(struct dpor *d, const struct ord_msg *g, unsigned w,
		   unsigned *lo)
{
	if (g->ev < 0 || (unsigned)g->ev >= w || g->fixed)
		return false;
	d->wp_mark[g->ev] |= WP_G;
	if ((unsigned)g->ev < *lo)
		*lo = (unsigned)g->ev;
	return true;
}

/* Mark G, the events that made the messages above the write's place
 * (event w), the oldest into *lo: false when one of them is no event of
 * this execution before w (set-up) or took a place it could not take
 * again after the write (ord_msg.fixed). */
static bool wp_mark_g(struct dpor *d, const struct order *o, unsigned w,
		      unsigned *lo)
{
	bool any = false;

	*lo = w;
	memset(d->wp_mark, 0, (size_t)w + 1);
	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->ts <= o->wp_ts)
			continue;
		if (!mark_g(d, g, w, lo))
			return false;
		any = true;
	}
	return any;
}

/*
 * Is no event marked WP_G (the oldest of them: lo) an ancestor of event
 * w (whose footprint is fw)? Found forwards: the descendants of G (G,
 * their CPUs' later events, and every event dependent with a
 * descendant), kept in wp_anc; a G event is an ancestor of w when one
 * of them is an event of w's CPU (program order), or when w is
 * dependent with one, a G event's own conflicts with w tested against
 * fg instead (NULL: left out; the conflicts the rule's reordering of w
 * and G accounts for). The same relation as the search's, walked from
 * G rather than back from w: G's descendants are few next to the
 * ancestors of a late step, so far fewer footprints are compared, and
 * the walk stops at the first event of w's CPU among them.
 */
static bool g_not_ancestor(struct dpor *d, unsigned w, unsigned lo,
			   const struct footprint *fw,
			   const struct footprint *fg)
{
	unsigned nd = 0, cw = d->ev.p[w].cpu;
	bool desc_cpu[VMSA_MAX_CPUS] = {false};

	for (unsigned e = lo; e < w; e++) {
		const struct event *ev = &d->ev.p[e];
		bool in;

		if (ev->check || ev->pending)
			continue;
		in = (d->wp_mark[e] & WP_G) || desc_cpu[ev->cpu];
		if (!in) {
			struct footprint fe = view(d, ev);

			for (unsigned j = 0; !in && j < nd; j++) {
				struct footprint fa =
					view(d, &d->ev.p[d->wp_anc[j]]);

				in = fp_dependent(&fa, &fe);
			}
		}
		if (!in)
			continue;
		if (ev->cpu == cw)
			return false;
		desc_cpu[ev->cpu] = true;
		d->wp_anc[nd++] = e;
	}
	for (unsigned j = 0; j < nd; j++) {
		unsigned e = d->wp_anc[j];
		struct footprint fa = view(d, &d->ev.p[e]);
		bool g = d->wp_mark[e] & WP_G;

		if ((!g || fg) && fp_dependent(&fa, g ? fg : fw))
			return false;
	}
	return true;
}

/* The guards both rules share: the event that just ended, exact, no
 * wait's check, in an unbounded search that counts every window write
 * as observed; room for the marks. -1 when the rule cannot apply. */
static int ended_event(struct dpor *d)
{
	const struct event *we;

	if (d->ended < 0 || d->bounded || !d->all_windows)
		return -1;
	we = &d->ev.p[d->ended];
	if (!we->exact || we->check || wp_reserve(d, (size_t)d->ended + 1))
		return -1;
	return d->ended;
}

bool dpor_wplace_redundant(struct dpor *d, const vmsa_machine_t *m)
{
	const struct order *o = &m->ord;
	struct footprint fw, fwx;
	unsigned lo;
	int w;

	if (o->wp_n != 1 || (w = ended_event(d)) < 0 ||
	    !wp_mark_g(d, o, (unsigned)w, &lo))
		return false;
	fw = view(d, &d->ev.p[w]);
	if (without_order(d, &fw, &fwx))
		return false;
	/* None of G may be an ancestor of the write, whose conflicts with
	 * G's events through the order of writes are left out. */
	return g_not_ancestor(d, (unsigned)w, lo, &fw, &fwx);
}

bool dpor_retired_redundant(struct dpor *d, const vmsa_machine_t *m)
{
	const struct order *o = &m->ord;
	struct footprint fw;
	int w, g = -1;

	if (o->rt_n != 1 || !o->rt_ok || (w = ended_event(d)) < 0)
		return false;
	/* G: the event whose TLBI completion retired the entry (its place
	 * in memory's order is the entry's tlbi_ts). */
	for (unsigned i = 0; i < o->msgs.n && g < 0; i++)
		if (o->msgs.p[i].word == ORD_FENCE &&
		    o->msgs.p[i].ts == o->rt_ts)
			g = o->msgs.p[i].ev;
	if (g < 0 || g >= w)
		return false;
	/* g_not_ancestor() reads the marks of [g, w) only. */
	memset(d->wp_mark + g, 0, (size_t)(w - g));
	d->wp_mark[g] = WP_G;
	fw = view(d, &d->ev.p[w]);
	/* The access's own conflicts with G are left out: the
	 * reordering replaces the pair (docs/model.md). */
	return g_not_ancestor(d, (unsigned)w, (unsigned)g, &fw, NULL);
}

/* The read of word's whole line, which a data read under relaxed
 * records (fp_data_read; word: an 8-byte aligned address). */
static bool line_read_item(uint64_t item, uint64_t word)
{
	return item == FP_ITEM(word >> 6, 0, false);
}

/* f's items but its data read's (of word's whole line), into
 * d->wp_lines: the read rule's reordering replaces R's conflicts with
 * the writes of the word it did not read. A walk's read of a word of the
 * line, the word itself included, records that word and stays: a walk
 * of R's event that read the word keeps G's writes of it ancestors. */
static int without_data_read(struct dpor *d, const struct footprint *f,
			     uint64_t word, struct footprint *out)
{
	return lines_without(d, f, line_read_item, word, out);
}

/* Mark G for the read rule: the events that made the messages of
 * `word` newer than the one read (ts), the oldest into *lo; false when
 * there is none, or one of them is no event of this execution before r,
 * took a place it could not take again (ord_msg.fixed), or also made
 * the message read (the reordering would take it from the read). */
static bool rd_mark_g(struct dpor *d, const struct order *o, unsigned r,
		      uint64_t word, uint64_t ts, unsigned *lo)
{
	int32_t src = -1;	/* the event that made the message read */
	bool any = false;

	*lo = r;
	memset(d->wp_mark, 0, (size_t)r + 1);
	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->word != word || g->ts < ts)
			continue;
		if (g->ts == ts) {
			src = g->ev;
			continue;
		}
		if (!mark_g(d, g, r, lo))
			return false;
		any = true;
	}
	return any && !(src >= 0 && (d->wp_mark[src] & WP_G));
}

bool dpor_read_redundant(struct dpor *d, const vmsa_machine_t *m)
{
	const struct order *o = &m->ord;
	struct footprint fr, frx;
	unsigned lo;
	int r;

	if (o->rd_n != 1 || !o->rd_ok || o->msgs.n != o->rd_msgs0 ||
	    (r = ended_event(d)) < 0)
		return false;
	if (!rd_mark_g(d, o, (unsigned)r, o->rd_word, o->rd_ts, &lo))
		return false;
	fr = view(d, &d->ev.p[r]);
	if (without_data_read(d, &fr, o->rd_word, &frx))
		return false;
	return g_not_ancestor(d, (unsigned)r, lo, &fr, &frx);
}

void dpor_all_windows(struct dpor *d)
{
	d->all_windows = true;
}
