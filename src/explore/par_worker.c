/*
 * src/explore/par_worker.c - a worker of a parallel search: the ordinary
 * search of one unit (a decision prefix and everything below it) in a
 * child process, handing part of its remaining work away when asked.
 *
 * Between two executions the remaining work of a depth-first search is,
 * for each decision from the deepest up, its untried options. Handing
 * away those of the shallowest decision that has any, and never
 * backtracking to it again (raising the floor past it), splits the unit
 * into two contiguous runs of the depth-first order: what the worker
 * keeps (everything it ran and everything deeper) comes first, the
 * handed-away options after it. The coordinator relies on that order.
 *
 * A reduced search's worker runs the reduction below its floor with a
 * reducer of its own; the options of a scheduling decision it can hand
 * away are the rest of that decision's backtrack set, and what the race
 * analysis wants above the floor it reports (REC_RACE) instead of
 * exploring. Unbounded, it first probes the steps of the siblings its
 * unit sleeps on at its last prefix decision (probe_siblings()).
 * docs/explorer.md, "Parallel search", says why that is sound.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isolate.h"
#include "par_int.h"

struct worker {
	int fd;
	atomic_int *ask;
	atomic_ulong *probes;
	bool expand;
	struct explorer *x;
};

/* d with its padding zeroed: the pipe carries whole structs (valgrind
 * rightly reports uninitialised padding written out). */
static struct dec clean_dec(const struct dec *d)
{
	struct dec c;

	memset(&c, 0, sizeof(c));
	c.chosen = d->chosen;
	c.n = d->n;
	c.free_ = d->free_;
	/* A string literal of the library (DECIDE_CPU or the model's name
	 * of its choice): the same address in every fork of the
	 * coordinator, where the unit is replayed and checked. */
	c.what = d->what;
	return c;
}

/* The footprints of decision i's done CPUs (par_int.h). */
static void send_done_fps(int fd, const struct dpor *dp, unsigned i)
{
	uint32_t done = dpor_mask_of(dp, i).done;

	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		const uint64_t *lines;
		unsigned flags;
		uint32_t hdr[2];

		if (!(done >> c & 1))
			continue;
		hdr[1] = dpor_done_fp(dp, i, c, &flags, &lines);
		hdr[0] = flags;
		iso_write_all(fd, hdr, sizeof(hdr));
		if (hdr[1])
			iso_write_all(fd, lines, hdr[1] * sizeof(*lines));
	}
}

/* A record of par_int.h's layout: x's decisions 0..k (decision k taking
 * option `chosen`) and their masks. */
static void send_record(int fd, char kind, const struct explorer *x,
			unsigned k, unsigned chosen, uint32_t arg)
{
	uint32_t depth = k;

	iso_write_all(fd, &kind, 1);
	iso_write_all(fd, &depth, sizeof(depth));
	iso_write_all(fd, &arg, sizeof(arg));
	for (unsigned i = 0; i <= k; i++) {
		struct dec c = clean_dec(&x->dec.p[i]);

		if (i == k)
			c.chosen = chosen;
		iso_write_all(fd, &c, sizeof(c));
	}
	for (unsigned i = 0; i <= k; i++) {
		struct dpor_mask m = {0, 0};

		if (x->dp)
			m = dpor_mask_of(x->dp, i);
		iso_write_all(fd, &m, sizeof(m));
	}
	for (unsigned i = 0; x->dp && i <= k; i++)
		send_done_fps(fd, x->dp, i);
}

static void send_donation(int fd, const struct explorer *x, unsigned k,
			  uint32_t opts)
{
	send_record(fd, REC_DONATE, x, k, x->dec.p[k].chosen, opts);
}

/* dpor_above_fn: the race analysis wants `cpu` (option `option`) at
 * prefix decision `node`: the coordinator's to explore. */
static void report_race(void *ctx, unsigned node, unsigned option,
			unsigned cpu)
{
	struct worker *w = ctx;

	send_record(w->fd, REC_RACE, w->x, node, option, cpu);
}

/* The raised floor, for the reducer too (races above it are the
 * coordinator's from now on). */
static void set_floor(struct explorer *x, struct worker *w, unsigned floor)
{
	x->floor = floor;
	if (x->dp)
		dpor_set_floor(x->dp, floor, report_race, w);
}

/* What decision k can hand away: 0 for nothing; ~0u for every option
 * after the one taken (the plain search, a model's choice); else the
 * mask of options (a reduced search's scheduling decision: the rest of
 * its backtrack set). */
static uint32_t untried(const struct explorer *x, unsigned k)
{
	const struct dec *d = &x->dec.p[k];

	if (x->dp && d->what && !strcmp(d->what, DECIDE_CPU))
		return dpor_untried(x->dp, k, d->chosen);
	return d->free_ && d->chosen + 1u < d->n ? ~0u : 0;
}

/* explorer.between of an expanding worker (a shard's plan): after the
 * first execution, hand away every untried option, shallowest decision
 * first, so that the unit keeps that one execution. */
static void donate_all(struct explorer *x)
{
	struct worker *w = x->between_ctx;

	for (unsigned k = x->floor; k < x->dec.n; k++) {
		uint32_t opts = untried(x, k);

		if (opts)
			send_donation(w->fd, x, k, opts == ~0u ? 0 : opts);
	}
	set_floor(x, w, x->dec.n);
}

/* explorer.between: when asked, hand away the untried options of the
 * shallowest decision that has any (none: the unit has nothing left to
 * split; the coordinator asks again later). */
static void maybe_donate(struct explorer *x)
{
	struct worker *w = x->between_ctx;

	if (w->expand) {
		donate_all(x);
		return;
	}
	if (!atomic_load_explicit(w->ask, memory_order_relaxed) ||
	    !atomic_exchange(w->ask, 0))
		return;
	for (unsigned k = x->floor; k < x->dec.n; k++) {
		uint32_t opts = untried(x, k);

		if (opts) {
			send_donation(w->fd, x, k, opts == ~0u ? 0 : opts);
			set_floor(x, w, k + 1);
			return;
		}
	}
}

/* x replays d[0 .. len) and never backtracks into it. */
static int load_prefix(struct explorer *x, const struct dec *d, unsigned len,
		       vmsa_explore_result_t *res)
{
	if (dec_vec_reserve(&x->dec, len)) {
		snprintf(res->error, sizeof(res->error),
			 "out of memory for decisions");
		return -ENOMEM;
	}
	if (len)
		memcpy(x->dec.p, d, len * sizeof(*d));
	x->dec.n = x->n_prefix = x->floor = len;
	return 0;
}

/* Seed the reducer with the footprints of fps[0 .. size) (par_int.h),
 * those of the done CPUs of each of the len decisions of mask. */
static int seed_fps(struct dpor *dp, const struct dpor_mask *mask,
		    unsigned len, const char *fps, size_t size)
{
	size_t at = 0;
	int rc = 0;

	for (unsigned i = 0; !rc && i < len; i++)
		for (unsigned c = 0; !rc && c < VMSA_MAX_CPUS; c++) {
			uint32_t hdr[2];
			uint64_t *lines = NULL;

			if (!(mask[i].done >> c & 1))
				continue;
			if (size - at < sizeof(hdr))
				return -EPROTO;
			memcpy(hdr, fps + at, sizeof(hdr));
			at += sizeof(hdr);
			if ((size - at) / sizeof(*lines) < hdr[1])
				return -EPROTO;
			if (hdr[1] && !(lines = malloc(hdr[1] * sizeof(*lines))))
				return -ENOMEM;
			if (hdr[1])
				memcpy(lines, fps + at, hdr[1] * sizeof(*lines));
			at += hdr[1] * sizeof(*lines);
			rc = dpor_seed_fp(dp, i, c, hdr[0], lines, hdr[1]);
			free(lines);
		}
	return rc;
}

/* After a probe execution: the next combination of options of the
 * model's choices made after decision floor - 1 (deepest first); false
 * when every one has run. */
static bool next_choice(struct explorer *x, unsigned floor)
{
	while (x->dec.n > floor) {
		struct dec *d = &x->dec.p[x->dec.n - 1];

		if (d->free_ && d->chosen + 1u < d->n) {
			d->chosen++;
			x->n_prefix = x->dec.n;
			return true;
		}
		x->dec.n--;
	}
	return false;
}

/* Run option `option` of scheduling decision k (after x's decisions
 * [0, k)) for every combination of the options of the model's choices
 * in the step it starts, each run ending with that step (probe_end);
 * x->dp gathers the step's footprints at k. 0; 1 when a run could not
 * replay the prefix (the search itself will say why); -ENOMEM. */
static int probe_option(struct explorer *x, unsigned k, unsigned option,
			unsigned long *runs)
{
	x->dec.p[k].chosen = option;
	x->dec.n = x->n_prefix = k + 1;
	x->probe_end = k + 1;
	for (;;) {
		run_once(x);
		++*runs;
		if (x->oom)
			return -ENOMEM;
		if (x->setup_failed || x->div != DIV_NONE)
			return 1;
		if (!next_choice(x, k + 1))
			return 0;
	}
}

/* Hand each probed option's footprint at decision k, gathered in `from`,
 * to the unit's reducer as a sleeper there. */
static int seed_probed(struct dpor *into, const struct dpor *from,
		       unsigned k, uint32_t options)
{
	int rc = 0;

	for (unsigned o = 0; !rc && o < 32; o++) {
		int cpu = options >> o & 1 ? dpor_option_cpu(from, k, o) : -1;
		const uint64_t *lines;
		unsigned flags, n;

		if (cpu < 0)
			continue;
		n = dpor_done_fp(from, k, (unsigned)cpu, &flags, &lines);
		rc = dpor_seed_sleeper(into, k, (unsigned)cpu, flags, lines,
				       n);
	}
	return rc;
}

/*
 * The siblings `options` of the unit's last prefix decision k sleep
 * below it (par_int.h, sib). A sleeping CPU's footprint at a decision is
 * the union of its step's footprints there over every execution
 * explored with it; the step is deterministic given the options of the
 * model's choices made in it, so running it alone from k's state for
 * every combination of them gives that union without waiting for the
 * sibling's subtree to finish (docs/explorer.md, "The reduced search in
 * parallel"). The probe runs are counted in *runs, not as executions
 * (nor their steps); with a prefix that does not replay, the unit does
 * without these sleepers.
 */
static int probe_siblings(struct explorer *x, unsigned len, uint32_t options,
			  unsigned long *runs)
{
	struct dpor *main_dp = x->dp, *steps;
	unsigned k = len - 1, own = x->dec.p[k].chosen;
	uint64_t execs = x->executions, made = x->steps;
	uint64_t warned = x->bbm_warnings, blocked = x->blocked;
	uint64_t ruled = x->ruled, ended = x->ended_by_scenario;
	int rc = 0;

	if (!(steps = dpor_new_steps(x->ncpus)))
		return -ENOMEM;
	/* A crash in a probe is reported with its decisions. */
	explore_running = x;
	x->dp = steps;
	for (unsigned o = 0; rc <= 0 && o < 32 && o < x->dec.p[k].n; o++)
		if (options >> o & 1)
			rc = probe_option(x, k, o, runs);
	x->dp = main_dp;
	x->probe_end = 0;
	x->dec.p[k].chosen = own;
	x->dec.n = x->n_prefix = len;
	x->executions = execs;
	x->steps = made;
	x->bbm_warnings = warned;
	x->blocked = blocked;
	x->ruled = ruled;
	x->ended_by_scenario = ended;
	if (!rc)
		rc = seed_probed(main_dp, steps, k, options);
	dpor_free(steps);
	return rc < 0 ? rc : 0;
}

/* A reduced worker's reducer: its prefix decisions seeded with what the
 * coordinator knows of them (and, unbounded, its siblings probed),
 * races above the floor reported. */
static int prepare_dp(struct explorer *x, struct worker *w,
		      const struct par_seed *seed, unsigned len,
		      vmsa_explore_result_t *res)
{
	int rc = explore_make_dp(x);

	for (unsigned i = 0; !rc && seed->mask && i < len; i++)
		rc = dpor_seed(x->dp, i, seed->mask[i]);
	if (!rc && seed->mask)
		rc = seed_fps(x->dp, seed->mask, len, seed->fps,
			      seed->fps_size);
	/* Under a preemption bound the reduction has no sleep sets. */
	if (!rc && seed->mask && seed->sib && len &&
	    x->opts.preemptions == VMSA_UNBOUNDED &&
	    x->dec.p[len - 1].what &&
	    !strcmp(x->dec.p[len - 1].what, DECIDE_CPU)) {
		unsigned long runs = 0;

		rc = probe_siblings(x, len, seed->sib, &runs);
		atomic_fetch_add(w->probes, runs);
	}
	if (rc) {
		snprintf(res->error, sizeof(res->error), "%s",
			 rc == -ENOMEM ? "out of memory" :
			 "a unit's footprints were cut short");
		return rc;
	}
	dpor_set_floor(x->dp, len, report_race, w);
	return 0;
}

/* An outcomes search's unit (parallel.h): the search, then what its
 * callback gathered (REC_OUTCOMES), its result filled as explore_search()
 * fills one that found no violation. */
static int run_outcomes(int fd, struct explorer *x,
			const struct par_outcomes *out,
			vmsa_explore_result_t *res)
{
	char *p = NULL, kind = REC_OUTCOMES;
	size_t n = 0;
	uint64_t size;
	double t0 = now_seconds();
	int rc;

	rc = explore_outcomes_on(x, out->fn, out->ctx, &res->complete,
				 res->error, sizeof(res->error));
	res->verdict = "safe";
	res->stats = explore_stats(x, now_seconds() - t0);
	if (rc)
		return rc;
	if (out->save(out->ctx, &p, &n)) {
		snprintf(res->error, sizeof(res->error), "out of memory for "
			 "the outcomes of a worker process");
		return -ENOMEM;
	}
	size = n;
	iso_write_all(fd, &kind, 1);
	iso_write_all(fd, &size, sizeof(size));
	iso_write_all(fd, p, n);
	free(p);
	return 0;
}

/* Run one unit (par_worker's arguments) and send its result. */
static void run_unit(struct worker *w, const struct par_config *cfg,
		     const vmsa_explore_opts_t *o, const struct dec *d,
		     const struct par_seed *seed, unsigned len)
{
	vmsa_explore_opts_t wo = *o;
	vmsa_explore_result_t res;
	struct explorer *x;
	int rc;

	wo.isolate = false;
	wo.progress = NULL;
	memset(&res, 0, sizeof(res));
	x = explorer_new(cfg->s, cfg->config, &wo, res.error,
			 sizeof(res.error), &rc);
	if (x) {
		w->x = x;
		rc = load_prefix(x, d, len, &res);
		if (!rc && o->reduction && !o->random_runs)
			rc = prepare_dp(x, w, seed, len, &res);
		x->between = maybe_donate;
		x->between_ctx = w;
		if (!rc && cfg->out)
			rc = run_outcomes(w->fd, x, cfg->out, &res);
		else if (!rc)
			rc = explore_search(x, &res);
		explorer_free(x);
		w->x = NULL;
	}
	iso_send_result(w->fd, rc, &res);
	vmsa_explore_result_free(&res);
	/* Whatever scenario code printed; the coordinator flushed its own. */
	fflush(NULL);
}

/* The next configuration cmd names (par_int.h); false at its end of
 * file (or an error: the coordinator is gone or done with us). */
static bool next_config(int cmd, uint32_t *ci)
{
	char *p = (char *)ci;
	size_t got = 0;

	while (got < sizeof(*ci)) {
		ssize_t k = read(cmd, p + got, sizeof(*ci) - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		got += (size_t)k;
	}
	return true;
}

_Noreturn void par_worker(int fd, int cmd, atomic_int *ask,
			  atomic_ulong *probes, bool expand,
			  const struct par_config *cfg, unsigned n,
			  unsigned ci, const vmsa_explore_opts_t *o,
			  const struct dec *d, const struct par_seed *seed,
			  unsigned len)
{
	const struct par_seed none = {NULL, NULL, 0, 0};
	struct worker w = {fd, ask, probes, expand, NULL};
	uint32_t next;

	iso_catch_crashes(fd);
	run_unit(&w, &cfg[ci], o, d, seed, len);
	while (cmd >= 0 && next_config(cmd, &next) && next < n) {
		w.expand = false;
		run_unit(&w, &cfg[next], o, NULL, &none, 0);
	}
	_exit(0);
}
