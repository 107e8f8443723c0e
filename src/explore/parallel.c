/*
 * src/explore/parallel.c - the coordinator of a parallel search
 * (parallel.h): units in depth-first order per configuration, worker
 * processes that run them, hand-overs of work to idle workers, and the
 * merge that gives the serial search's result.
 *
 * Every worker is a fresh fork running one unit, as an isolated search
 * is (isolate.c): a crash ends that unit with "crashed" and nothing
 * else. The one exception: a worker that ended an outcomes search's
 * unit may run the first unit of another (reusable()), told so through
 * its socket, instead of a fresh fork for every litmus test. Units after a unit that stopped the search are cancelled (their
 * workers killed): the serial search never reaches them. Units before
 * it still run to the end, since one of them may stop it earlier.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolate.h"
#include "par_int.h"
#include "parallel.h"

/* How long a worker runs before it is asked to hand work away, and an
 * asked worker has before it is asked again (it may have had nothing
 * to split): short against a search worth splitting, long against a
 * fork. Tests set it to 0 to split as often as possible. */
double par_ask_seconds = 0.01;
unsigned long par_units_started, par_units_handed, par_units_raced;
unsigned long par_workers_forked;
unsigned long par_probe_runs;
double par_worker_seconds[PAR_MAX_JOBS];

enum unit_state { U_PENDING, U_RUNNING, U_DONE, U_CANCELLED };

struct unit {
	struct unit *next;              /* the next unit in depth-first order */
	struct dec *prefix;
	struct dpor_mask *mask;         /* a reduced search's: what is known
					   of each prefix decision, or NULL */
	char *fps;                      /* and the footprints (par_int.h) */
	size_t fps_size;
	unsigned len;
	uint32_t sib;                   /* par_seed.sib */
	struct dec *path;               /* the decisions its worker keeps
					   (a donor's: never backtracked
					   into), or NULL: its prefix */
	unsigned path_len;
	enum unit_state state;
	int rc;                         /* when done: as vmsa_explore() */
	vmsa_explore_result_t res;
	bool stop;                      /* it ended the search */
	bool crash;                     /* its worker died: sig, status, and
					   its crash record in `in` */
	int sig, status;
	struct inbox in;
	struct slot *slot;              /* while running */
	bool lost;                      /* out of memory for work it handed
					   away: its result cannot be exact */
	unsigned plan;                  /* the shard plan's unit it is part of */
	bool foreign;                   /* another shard's: not run here */
	char *out;                      /* an outcomes search's: its worker's */
	size_t out_size;                /* REC_OUTCOMES bytes */
	double ended;                   /* when it was done */
};

struct cfg_run {
	struct unit *head;
	double t0;
	bool started;
	unsigned units;                 /* in the shard plan */
	uint32_t plan;                  /* its hash */
};

struct slot {
	unsigned id;                    /* its index */
	pid_t pid;                      /* 0: free */
	int fd;
	int cmd;                        /* -1, or a worker that takes more
					   units: its socket (par_worker) */
	bool idle;                      /* that worker waits for a unit */
	unsigned cfg;
	struct unit *u;
	struct inbox in;
	bool final;                     /* the result or crash record began */
	double asked;
	atomic_int *ask;
};

struct par {
	const struct par_config *cfg;
	unsigned n, jobs, reported;
	unsigned shard, shards;         /* 0 0: no shards */
	vmsa_explore_opts_t o;
	struct cfg_run *run;
	struct slot *slot;
	struct par_shared *shared;      /* with the workers */
	size_t shared_size;
	par_done_fn *done;
	void *ctx;
};

/* Is c's search run whole in one worker (an outcomes search that asks
 * for it: parallel.h)? */
static bool whole(const struct par_config *c)
{
	return c->out && c->out->whole;
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

static void unit_free(struct unit *u)
{
	vmsa_explore_result_free(&u->res);
	free(u->in.p);
	free(u->prefix);
	free(u->mask);
	free(u->fps);
	free(u->path);
	free(u->out);
	free(u);
}

/* A record of a worker (par_int.h), copied out of its inbox. */
struct rec {
	char kind;
	uint32_t k, arg;
	struct dec *d;                  /* d[0 .. k] */
	struct dpor_mask *m;            /* m[0 .. k], or NULL (plain) */
	char *fps;
	size_t fps_size;
};

/* A unit of prefix[0 .. len), with what is known of its decisions (r's,
 * NULL: the plain search or the first unit). */
static struct unit *unit_new(const struct dec *prefix, const struct rec *r,
			     unsigned len)
{
	struct unit *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->len = len;
	if (len && !(u->prefix = malloc(len * sizeof(*prefix))))
		goto fail;
	if (len)
		memcpy(u->prefix, prefix, len * sizeof(*prefix));
	if (r && r->m) {
		if (!(u->mask = malloc(len * sizeof(*u->mask))) ||
		    (r->fps_size && !(u->fps = malloc(r->fps_size))))
			goto fail;
		memcpy(u->mask, r->m, len * sizeof(*u->mask));
		if (r->fps_size)
			memcpy(u->fps, r->fps, r->fps_size);
		u->fps_size = r->fps_size;
	}
	return u;
fail:
	unit_free(u);
	return NULL;
}

static void cancel_after(struct unit *u);

/* A unit that ended without running: rc and the reason. */
static void unit_fail(struct unit *u, int rc, const char *why)
{
	u->state = U_DONE;
	u->ended = now_seconds();
	u->stop = true;
	u->rc = rc;
	snprintf(u->res.error, sizeof(u->res.error), "%s", why);
	cancel_after(u);
}

/* Cancel every unit after u: the serial search never reaches them. */
static void cancel_after(struct unit *u)
{
	for (struct unit *v = u->next; v; v = v->next) {
		if (v->state == U_RUNNING)
			kill(v->slot->pid, SIGKILL);
		if (v->state == U_RUNNING || v->state == U_PENDING)
			v->state = U_CANCELLED;
	}
}

/* Has c's search a result: every unit up to the first that stopped (or
 * every unit) done? */
static bool cfg_done(const struct cfg_run *c)
{
	for (const struct unit *u = c->head; u; u = u->next) {
		if (u->state == U_PENDING || u->state == U_RUNNING)
			return false;
		if (u->state == U_DONE && u->stop)
			return true;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Workers                                                             */
/* ------------------------------------------------------------------ */

/* sl's worker runs unit u of configuration ci from now on. */
static void slot_began(struct slot *sl, unsigned ci, struct unit *u)
{
	sl->cfg = ci;
	sl->u = u;
	sl->idle = false;
	sl->final = false;
	sl->asked = now_seconds();
	sl->in.n = sl->in.at = 0;
	u->state = U_RUNNING;
	u->slot = sl;
	par_units_started++;
}

/* Can unit u of configuration ci run in a worker that ran other units
 * before? Only an outcomes search's (the litmus front end's) first
 * unit. Its code is the library's interpreter, not a user's C code that
 * could corrupt the worker's memory for the units after it (one process
 * runs every test with --jobs 1 as well). And the worker's copy of the
 * configuration is as the fork left it, untouched: a worker runs the
 * first unit of a configuration, so no other unit of it before it. */
static bool reusable(const struct par *p, unsigned ci, const struct unit *u)
{
	return p->cfg[ci].out && !u->len && !p->shards;
}

/* Close, in a new worker, what it inherited of the other workers. */
static void close_others(const struct par *p)
{
	for (unsigned i = 0; i < p->jobs; i++)
		if (p->slot[i].pid) {
			close(p->slot[i].fd);
			if (p->slot[i].cmd >= 0)
				close(p->slot[i].cmd);
		}
}

/* The pipe of a new worker's records and, for a worker that takes
 * more units (keep), the socket of their indices (else cmd[] -1). */
static int worker_fds(int fds[2], int cmd[2], bool keep, char *why,
		      size_t size)
{
	cmd[0] = cmd[1] = -1;
	if (pipe(fds)) {
		int e = errno;

		snprintf(why, size, "cannot start a worker process: pipe: %s",
			 strerror(e));
		return -e;
	}
	if (keep && socketpair(AF_UNIX, SOCK_STREAM, 0, cmd)) {
		int e = errno;

		snprintf(why, size, "cannot start a worker process: "
			 "socketpair: %s", strerror(e));
		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	return 0;
}

static void slot_start(struct par *p, struct slot *sl, unsigned ci,
		       struct unit *u, bool expand)
{
	bool keep = reusable(p, ci, u);
	char why[160];
	int fds[2], cmd[2], rc;
	pid_t pid;

	/* Output buffered now would be written again by the child. */
	fflush(NULL);
	/* With par_ask_seconds 0, a worker is asked before it starts: it
	 * hands work over right after its first execution (tests rely on
	 * it). */
	atomic_store(sl->ask, !whole(&p->cfg[ci]) && par_ask_seconds <= 0);
	if ((rc = worker_fds(fds, cmd, keep, why, sizeof(why)))) {
		unit_fail(u, rc, why);
		return;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		snprintf(why, sizeof(why), "cannot start a worker process: "
			 "fork: %s", strerror(e));
		close(fds[0]);
		close(fds[1]);
		if (keep) {
			close(cmd[0]);
			close(cmd[1]);
		}
		unit_fail(u, -e, why);
		return;
	}
	if (pid == 0) {
		struct par_seed seed = {u->mask, u->fps, u->fps_size,
					u->sib};

		close_others(p);
		close(fds[0]);
		if (keep)
			close(cmd[0]);
		par_worker(fds[1], cmd[1], sl->ask, &p->shared->probes,
			   expand, p->cfg, p->n, ci, &p->o, u->prefix, &seed,
			   u->len);
	}
	close(fds[1]);
	if (keep)
		close(cmd[1]);
	par_workers_forked++;
	sl->pid = pid;
	sl->fd = fds[0];
	sl->cmd = cmd[0];
	slot_began(sl, ci, u);
}

/* Hand unit u of configuration ci to sl's idle worker; false when it
 * cannot take it (it is gone: a fresh one is started instead). */
static bool slot_give(struct par *p, struct slot *sl, unsigned ci,
		      struct unit *u)
{
	uint32_t i = ci;

	atomic_store(sl->ask, !whole(&p->cfg[ci]) && par_ask_seconds <= 0);
	if (send(sl->cmd, &i, sizeof(i), MSG_NOSIGNAL) != (ssize_t)sizeof(i))
		return false;
	slot_began(sl, ci, u);
	return true;
}

/* The decisions unit u's worker never backtracks into: its prefix, or
 * more once it handed work away (*len of them). */
static const struct dec *unit_path(const struct unit *u, unsigned *len)
{
	*len = u->path ? u->path_len : u->len;
	return u->path ? u->path : u->prefix;
}

/* Do prefixes a and b make the same decisions [0, k)? */
static bool same_until(const struct dec *a, const struct dec *b, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		if (a[i].chosen != b[i].chosen)
			return false;
	return true;
}

/*
 * The options of decision k, the last of new unit nu's prefix, that
 * other units of c explore (their own or what their worker keeps):
 * they sleep below nu's option (par_int.h, sib). Each unit gets the
 * siblings made before it, the donor's own option first, so that no two
 * sleep below each other; a unit that stopped the search or was
 * cancelled explores nothing for sure and is left out. Only for a
 * scheduling decision of an unbounded reduced search (under a bound the
 * reduction has no sleep sets). docs/explorer.md, "The reduced search in parallel", says why
 * this is sound.
 */
static uint32_t siblings(const struct par *p, const struct cfg_run *c,
			 const struct unit *nu)
{
	unsigned k = nu->len - 1;
	uint32_t sib = 0;

	if (!p->o.reduction || p->o.preemptions != VMSA_UNBOUNDED ||
	    p->o.random_runs || !nu->len || !nu->prefix[k].what ||
	    strcmp(nu->prefix[k].what, DECIDE_CPU))
		return 0;       /* (a model's choice has no sleep set) */
	for (const struct unit *u = c->head; u; u = u->next) {
		const struct dec *d;
		unsigned len;

		if (u == nu || u->state == U_CANCELLED ||
		    (u->state == U_DONE && u->stop))
			continue;
		d = unit_path(u, &len);
		if (len > k && d[k].chosen != nu->prefix[k].chosen &&
		    d[k].chosen < 32 && same_until(d, nu->prefix, k))
			sib |= 1u << d[k].chosen;
	}
	return sib;
}

/* The donor keeps decisions r->d[0 .. k] (it never backtracks into
 * them again): its path. Out of memory leaves it shorter: later units
 * then sleep on fewer siblings, which is still sound. */
static void keep_path(struct unit *donor, const struct rec *r)
{
	struct dec *d = realloc(donor->path, ((size_t)r->k + 1) *
				sizeof(*d));

	if (!d)
		return;
	memcpy(d, r->d, ((size_t)r->k + 1) * sizeof(*d));
	donor->path = d;
	donor->path_len = r->k + 1;
}

/* One unit of a donation: option c of decision k. */
static bool donated_unit(const struct par *p, const struct cfg_run *cr,
			 struct unit *donor, const struct rec *r, unsigned c)
{
	struct unit *u = unit_new(r->d, r, r->k + 1);

	if (!u) {
		donor->lost = true;
		return false;
	}
	u->prefix[r->k].chosen = c;
	u->plan = donor->plan;
	u->next = donor->next;
	donor->next = u;
	u->sib = siblings(p, cr, u);
	par_units_handed++;
	return true;
}

/* The units of decision k's options after the donor's (those of the
 * option mask r->arg, or all of them when it is 0), just after the donor
 * in depth-first order. */
static void take_donation(const struct par *p, const struct cfg_run *cr,
			  struct unit *donor, const struct rec *r)
{
	const struct dec *d = r->d;
	unsigned k = r->k;
	uint32_t opts = r->arg;

	if (donor->state != U_RUNNING)
		return;
	keep_path(donor, r);
	for (unsigned c = d[k].n; c-- > d[k].chosen + 1u;)
		if ((!opts || (c < 32 && (opts >> c & 1))) &&
		    !donated_unit(p, cr, donor, r, c))
			return;
	/* A reduced search hands away options before the one it took
	 * too (its backtrack set is not in option order): those come
	 * before the donor's in depth-first order, but the donor has run
	 * executions already, so they go after it as well. */
	for (unsigned c = d[k].chosen; opts && c-- > 0;)
		if ((opts >> c & 1) && !donated_unit(p, cr, donor, r, c))
			return;
}

/* Does unit u explore option `opt` (CPU cpu) at decision k of path d,
 * or know that some unit explores that CPU there (its mask: every CPU
 * of a mask's cover is explored there by some unit, or asleep there)? */
static bool unit_covers(const struct unit *u, const struct dec *d,
			unsigned k, unsigned opt, unsigned cpu)
{
	if (u->len <= k)
		return false;
	for (unsigned i = 0; i < k; i++)
		if (u->prefix[i].chosen != d[i].chosen)
			return false;
	return u->prefix[k].chosen == opt ||
	       (u->mask && (u->mask[k].cover >> cpu & 1));
}

/* Depth-first order of two prefixes (a prefix before its extensions). */
static int prefix_cmp(const struct dec *a, unsigned la, const struct dec *b,
		      unsigned lb)
{
	for (unsigned i = 0; i < la && i < lb; i++)
		if (a[i].chosen != b[i].chosen)
			return a[i].chosen < b[i].chosen ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

/*
 * A race record of a reduced search: CPU r->arg must be explored at
 * decision k of the reporter's prefix d[0 .. k] (d[k].chosen is its
 * option). Unless some unit of the configuration explores it there, it
 * becomes a unit, in depth-first place; none after a unit that stopped
 * the search (it would be cancelled at once, the search being over).
 */
static void race_record(const struct par *p, struct cfg_run *c,
			struct unit *reporter, const struct rec *r)
{
	struct unit **at = &c->head, *u;
	unsigned k = r->k;

	if (reporter->state != U_RUNNING)
		return;
	for (u = c->head; u; u = u->next)
		if (unit_covers(u, r->d, k, r->d[k].chosen, r->arg))
			return;
	while (*at && prefix_cmp((*at)->prefix, (*at)->len, r->d, k + 1) < 0) {
		if ((*at)->state == U_DONE && (*at)->stop)
			return;
		at = &(*at)->next;
	}
	if (!(u = unit_new(r->d, r, k + 1))) {
		reporter->lost = true;
		return;
	}
	u->plan = reporter->plan;
	u->next = *at;
	*at = u;
	u->sib = siblings(p, c, u);
	par_units_raced++;
}

/* The size of the record at q[0 .. n) (par_int.h), or 0 when it is not
 * all there yet; its masks copied into m (k + 1 of them). */
static size_t rec_size(const char *q, size_t n, uint32_t k,
		       struct dpor_mask *m)
{
	const size_t head = 1 + 2 * sizeof(uint32_t);
	size_t at = head + ((size_t)k + 1) * sizeof(struct dec);

	if (n < at + ((size_t)k + 1) * sizeof(*m))
		return 0;
	memcpy(m, q + at, ((size_t)k + 1) * sizeof(*m));
	at += ((size_t)k + 1) * sizeof(*m);
	for (uint32_t i = 0; i <= k; i++)
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
			uint32_t hdr[2];

			if (!(m[i].done >> c & 1))
				continue;
			if (n < at + sizeof(hdr))
				return 0;
			memcpy(hdr, q + at, sizeof(hdr));
			at += sizeof(hdr) + (size_t)hdr[1] * sizeof(uint64_t);
			if (n < at)
				return 0;
		}
	return at;
}

/*
 * The record at the start of in's unread bytes, taken in from sl's
 * worker: 1 when it was complete (in->at moved past it), 0 when more
 * bytes are needed, -1 out of memory (the unit's result is then lost).
 */
static int take_record(struct par *p, struct slot *sl, struct inbox *in)
{
	const size_t head = 1 + 2 * sizeof(uint32_t);
	const char *q = in->p + in->at;
	size_t n = in->n - in->at, size;
	struct rec r = {.kind = q[0]};

	if (n < head)
		return 0;
	memcpy(&r.k, q + 1, sizeof(r.k));
	memcpy(&r.arg, q + 1 + sizeof(r.k), sizeof(r.arg));
	r.d = malloc(((size_t)r.k + 1) * sizeof(*r.d));
	r.m = malloc(((size_t)r.k + 1) * sizeof(*r.m));
	if (!r.d || !r.m) {
		free(r.d);
		free(r.m);
		return -1;
	}
	if ((size = rec_size(q, n, r.k, r.m))) {
		size_t fps = head + ((size_t)r.k + 1) *
			     (sizeof(*r.d) + sizeof(*r.m));

		memcpy(r.d, q + head, ((size_t)r.k + 1) * sizeof(*r.d));
		r.fps = (char *)q + fps;
		r.fps_size = size - fps;
		if (!p->o.reduction) {
			free(r.m);
			r.m = NULL;
		}
		if (r.kind == REC_DONATE)
			take_donation(p, &p->run[sl->cfg], sl->u, &r);
		else
			race_record(p, &p->run[sl->cfg], sl->u, &r);
		in->at += size;
	}
	free(r.d);
	free(r.m);
	return size ? 1 : 0;
}

/* Donation and race records complete in sl's inbox, applied; stops at
 * the result or crash record (read at end of file). */
static void slot_donations(struct par *p, struct slot *sl)
{
	struct inbox *in = &sl->in;

	while (!sl->final && in->n > in->at) {
		int got;

		if (in->p[in->at] != REC_DONATE && in->p[in->at] != REC_RACE) {
			sl->final = true;
			break;
		}
		got = take_record(p, sl, in);
		if (got < 0) {
			/* The record stays unread: the unit cannot be
			 * exact, and the result record behind it is read
			 * as cut short. */
			sl->u->lost = true;
			sl->final = true;
		}
		if (got <= 0)
			break;
	}
}

/* An outcomes search's record (par_int.h) at the head of in, if that is
 * what is there, into u->out; then the kind of the record after it.
 * False when the record is cut short (or out of memory for it). */
static bool take_outcomes(struct unit *u, struct inbox *in, char *kind)
{
	uint64_t size;

	if (!iso_take(in, kind, 1))
		return false;
	if (*kind != REC_OUTCOMES)
		return true;
	if (!iso_take(in, &size, sizeof(size)) || in->n - in->at < size ||
	    !(u->out = malloc(size ? size : 1)))
		return false;
	iso_take(in, u->out, size);
	u->out_size = size;
	return iso_take(in, kind, 1);
}

/* u's worker ended cleanly with its result record in `in`, or died. */
static void unit_result(struct unit *u, struct inbox *in, int status)
{
	char kind = 0;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    take_outcomes(u, in, &kind) && kind == REC_RESULT) {
		u->rc = iso_take_result(in, &u->res);
		if (u->rc == -EIO) {
			vmsa_explore_result_free(&u->res);
			memset(&u->res, 0, sizeof(u->res));
			snprintf(u->res.error, sizeof(u->res.error),
				 "the worker process's result was cut short");
		}
	} else {
		/* The crash record is formatted at the merge, when the
		 * executions before this unit are known. */
		u->crash = true;
		u->rc = -EFAULT;
		u->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		u->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		u->in = *in;
		memset(in, 0, sizeof(*in));
	}
	if (u->lost && !u->rc && !u->res.violated) {
		u->rc = -ENOMEM;
		snprintf(u->res.error, sizeof(u->res.error), "out of memory "
			 "for the work a worker process handed over");
	}
	u->stop = u->rc || u->res.violated;
	u->state = U_DONE;
	u->ended = now_seconds();
	if (u->stop)
		cancel_after(u);
}

/* Has a worker that takes more units (slot.cmd) written all of its
 * unit's last records: the outcomes record, if any, and the result
 * record (par_int.h)? */
static bool unit_complete(const struct inbox *in)
{
	size_t at = in->at;
	uint64_t size;

	if (at < in->n && in->p[at] == REC_OUTCOMES) {
		if (in->n - at < 1 + sizeof(size))
			return false;
		memcpy(&size, in->p + at + 1, sizeof(size));
		at += 1 + sizeof(size);
		if (in->n - at < size)
			return false;
		at += size;
	}
	return iso_result_complete(in, at);
}

/* sl's worker has sent its unit's result and waits for another unit:
 * the unit is settled as if the worker had ended cleanly. */
static void slot_idle(struct slot *sl)
{
	struct unit *u = sl->u;

	u->slot = NULL;
	unit_result(u, &sl->in, 0);
	sl->u = NULL;
	sl->idle = true;
	sl->in.n = sl->in.at = 0;
}

/* Read what sl's worker wrote; true at end of file. */
static bool slot_read(struct par *p, struct slot *sl)
{
	struct inbox *in = &sl->in;
	ssize_t k;

	if (!sl->u) {
		/* Cancelled and forgotten: drain to the end of file. */
		char sink[4096];

		k = read(sl->fd, sink, sizeof(sink));
		return k == 0 || (k < 0 && errno != EINTR);
	}
	if (in->n == in->cap) {
		size_t cap = in->cap ? 2 * in->cap : 4096;
		char *q = realloc(in->p, cap);

		if (!q)
			return true;    /* read as a cut-short record */
		in->p = q;
		in->cap = cap;
	}
	k = read(sl->fd, in->p + in->n, in->cap - in->n);
	if (k < 0 && errno == EINTR)
		return false;
	if (k <= 0)
		return true;
	in->n += (size_t)k;
	slot_donations(p, sl);
	if (sl->cmd >= 0 && sl->final && sl->u->state == U_RUNNING &&
	    unit_complete(in))
		slot_idle(sl);
	return false;
}

/* Wait for sl's worker to end: its status, and its processor time
 * into par_worker_seconds (how evenly the work was spread, whatever
 * else the machine was doing). */
static void reap(struct slot *sl, int *status)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	while (wait4(sl->pid, status, 0, &ru) < 0 && errno == EINTR)
		;
	par_worker_seconds[sl->id] +=
		(double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) *
		1e-6;
	sl->pid = 0;
}

/* sl's worker is done: reap it and settle its unit. */
static void slot_end(struct slot *sl)
{
	struct unit *u = sl->u;
	int status = 0;

	close(sl->fd);
	if (sl->cmd >= 0)
		close(sl->cmd);
	sl->cmd = -1;
	sl->idle = false;
	reap(sl, &status);
	/* A cancelled unit may be gone already (its configuration was
	 * reported): nothing of its worker matters. */
	if (u) {
		u->slot = NULL;
		if (u->state == U_RUNNING)
			unit_result(u, &sl->in, status);
	}
	sl->in.n = sl->in.at = 0;
}

/* ------------------------------------------------------------------ */
/* The merge                                                           */
/* ------------------------------------------------------------------ */

/* A worker numbers executions from the start of its unit; a message
 * about the nondeterminism it found ("... execution N ...") gets the
 * number the serial search gives, `base` more. */
void par_renumber(char *err, size_t size, uint64_t base)
{
	static const char key[] = "execution ";
	char *at = strstr(err, key), *num, *end, rest[640];
	unsigned long long e;

	if (!at || !base)
		return;
	num = at + strlen(key);
	e = strtoull(num, &end, 10);
	if (end == num)
		return;
	snprintf(rest, sizeof(rest), "%s", end);
	snprintf(num, size - (size_t)(num - err), "%llu%s",
		 e + (unsigned long long)base, rest);
}

/* Count st's executions of plan unit `plan`, and those of them cut
 * short, into the shard's account (a new entry when the unit is not the
 * latest one). Out of memory loses the entry: `vmsa merge` then says
 * the unit is missing. */
static void shard_count(struct par_shard *sh, unsigned plan,
			const vmsa_explore_stats_t *st)
{
	struct par_shard_unit *u;

	if (!sh->n_ran || sh->ran[sh->n_ran - 1].unit != plan) {
		struct par_shard_unit *r = realloc(sh->ran, (sh->n_ran + 1) *
						   sizeof(*r));

		if (!r)
			return;
		sh->ran = r;
		sh->ran[sh->n_ran++] = (struct par_shard_unit){.unit = plan};
	}
	u = &sh->ran[sh->n_ran - 1];
	u->executions += st->executions;
	u->blocked += st->blocked;
	u->ruled += st->ruled;
	u->ended += st->ended;
}

/* The counts of a unit's executions (all but executions and seconds,
 * which cfg_merge() keeps apart) added to *to. */
static void add_counts(vmsa_explore_stats_t *to, const vmsa_explore_stats_t *s)
{
	to->steps += s->steps;
	to->bbm_warnings += s->bbm_warnings;
	to->blocked += s->blocked;
	to->ruled += s->ruled;
	to->ended += s->ended;
}

/* The result of stop unit u, after `execs` executions (and the counts
 * `before`) of the units before it, its messages numbering executions
 * after `msg_base`. Returns its status; *own: its executions. A crashed
 * unit's counts are not known: only its executions (from its messages)
 * are added. */
static int stop_result(struct unit *u, uint64_t execs,
		       const vmsa_explore_stats_t *before, uint64_t msg_base,
		       vmsa_explore_result_t *res, uint64_t *own)
{
	int rc = u->rc;

	if (u->crash) {
		rc = iso_crashed(&u->in, u->sig, u->status, msg_base, res);
		*own = res->stats.executions - msg_base;
	} else {
		*res = u->res;
		memset(&u->res, 0, sizeof(u->res));
		*own = res->stats.executions;
		add_counts(&res->stats, before);
		if (rc == -EPROTO)
			par_renumber(res->error, sizeof(res->error), msg_base);
	}
	res->stats.executions = execs + *own;
	return rc;
}

/* The seconds of configuration c's search: until it is reported (the
 * time `vmsa check` shows), or for an outcomes search (a litmus test's
 * time) until its last unit was done, not counting the wait for the
 * configurations before it to be reported. */
static double cfg_seconds(const struct cfg_run *c,
			  const struct par_outcomes *out)
{
	double end = c->t0;

	if (!out)
		return now_seconds() - c->t0;
	for (const struct unit *u = c->head; u; u = u->next)
		if (u->state == U_DONE && !u->foreign && u->ended > end)
			end = u->ended;
	return end - c->t0;
}

/* The result of configuration c, from its units in depth-first order:
 * the first unit that stopped decides, after every execution of the
 * units before it. With sh (a shard), only this shard's units count,
 * each plan unit's executions go into its account, and messages number
 * executions from the start of their plan unit. */
static int cfg_merge(struct cfg_run *c, const struct par_outcomes *out,
		     struct par_shard *sh, vmsa_explore_result_t *res)
{
	uint64_t execs = 0, in_plan = 0, own;
	vmsa_explore_stats_t counts = {0}, stop_own;
	bool complete = true;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	for (struct unit *u = c->head; u; u = u->next) {
		if (u->foreign && u->state == U_DONE && u->stop) {
			complete = false;       /* another shard's stop */
			break;
		}
		if (u->state != U_DONE || u->foreign)
			continue;       /* cancelled, after the stop */
		if (sh && (!sh->n_ran || sh->ran[sh->n_ran - 1].unit != u->plan))
			in_plan = 0;
		if (!u->stop && out && out->merge(out->ctx, u->out,
						     u->out_size)) {
			/* Not the serial result: an error, as a unit that
			 * stopped the search with one. */
			u->rc = -EPROTO;
			u->stop = true;
			snprintf(u->res.error, sizeof(u->res.error), "the "
				 "outcomes of a worker process could not be "
				 "merged (out of memory or cut short)");
		}
		if (!u->stop) {
			execs += u->res.stats.executions;
			add_counts(&counts, &u->res.stats);
			in_plan += u->res.stats.executions;
			complete = complete && u->res.complete;
			if (sh)
				shard_count(sh, u->plan, &u->res.stats);
			continue;
		}
		/* The stop unit's own counts (of a crash, only its
		 * executions are known: stop_result()). */
		stop_own = u->crash ? (vmsa_explore_stats_t){0} : u->res.stats;
		rc = stop_result(u, execs, &counts, sh ? in_plan : execs,
				 res, &own);
		stop_own.executions = own;
		if (sh) {
			shard_count(sh, u->plan, &stop_own);
			sh->stop = u->plan;
		}
		res->stats.seconds = cfg_seconds(c, out);
		return rc;
	}
	res->verdict = "safe";
	res->complete = complete;
	res->stats = counts;
	res->stats.executions = execs;
	res->stats.seconds = cfg_seconds(c, out);
	return 0;
}

static void cfg_free(struct cfg_run *c)
{
	while (c->head) {
		struct unit *u = c->head;

		c->head = u->next;
		if (u->slot)
			u->slot->u = NULL;
		unit_free(u);
	}
}

/* Hand every configuration whose result is known, in list order. */
static void report_ready(struct par *p)
{
	while (p->reported < p->n && cfg_done(&p->run[p->reported])) {
		struct cfg_run *c = &p->run[p->reported];
		vmsa_explore_result_t res;
		struct par_shard sh = {
			.index = p->shard, .count = p->shards,
			.units = c->units, .plan = c->plan,
			.preemptions = p->o.preemptions,
			.steps = p->o.step_budget, .stop = -1,
		};
		int rc = cfg_merge(c, p->cfg[p->reported].out,
				   p->shards ? &sh : NULL, &res);

		cfg_free(c);
		p->done(p->ctx, p->reported++, rc, &res,
			p->shards ? &sh : NULL);
		free(sh.ran);
	}
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                          */
/* ------------------------------------------------------------------ */

/* The first pending unit in the order of configurations and units. */
static struct unit *next_pending(struct par *p, unsigned *ci)
{
	for (unsigned i = p->reported; i < p->n; i++)
		for (struct unit *u = p->run[i].head; u; u = u->next)
			if (u->state == U_PENDING) {
				*ci = i;
				return u;
			}
	return NULL;
}

/* Start pending units on free slots; true when a slot stays idle with
 * nothing to run. */
static bool fill_slots(struct par *p)
{
	for (unsigned i = 0; i < p->jobs; i++) {
		struct slot *sl = &p->slot[i];
		struct unit *u;
		unsigned ci = 0;

		while (!sl->pid || sl->idle) {
			if (!(u = next_pending(p, &ci)))
				return true;
			if (!p->run[ci].started) {
				p->run[ci].started = true;
				p->run[ci].t0 = now_seconds();
			}
			if (sl->idle && reusable(p, ci, u) &&
			    slot_give(p, sl, ci, u))
				break;
			if (sl->idle) {
				/* It cannot run u: a fresh worker will. */
				kill(sl->pid, SIGKILL);
				slot_end(sl);
			}
			slot_start(p, sl, ci, u, false);
		}
	}
	return false;
}

/* Ask running workers (again, after a while) to hand work away. */
static void ask_split(struct par *p)
{
	double t = now_seconds();

	for (unsigned i = 0; i < p->jobs; i++) {
		struct slot *sl = &p->slot[i];

		if (sl->pid && sl->u && sl->u->state == U_RUNNING &&
		    !whole(&p->cfg[sl->cfg]) &&
		    t - sl->asked >= par_ask_seconds) {
			atomic_store(sl->ask, 1);
			sl->asked = t;
		}
	}
}

/* Wait for workers' records (at most par_ask_seconds, at least a
 * millisecond, when a slot is idle, to ask again) and take them in. */
static void wait_workers(struct par *p, bool idle)
{
	struct pollfd fds[PAR_MAX_JOBS];
	struct slot *who[PAR_MAX_JOBS];
	nfds_t n = 0;

	for (unsigned i = 0; i < p->jobs; i++)
		if (p->slot[i].pid) {
			fds[n].fd = p->slot[i].fd;
			fds[n].events = POLLIN;
			who[n++] = &p->slot[i];
		}
	if (!n || poll(fds, n, idle ? 1 + (int)(par_ask_seconds * 1000) :
			 -1) <= 0)
		return;
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].revents && slot_read(p, who[i]))
			slot_end(who[i]);
}

/* ------------------------------------------------------------------ */
/* Shard plans                                                         */
/* ------------------------------------------------------------------ */

/* The unit a plan expands next: the first of those with the shortest
 * prefix (the largest, as a rule); *pending: how many are left to run. */
static struct unit *plan_next(struct cfg_run *c, unsigned *pending)
{
	struct unit *best = NULL;

	*pending = 0;
	for (struct unit *u = c->head; u; u = u->next)
		if (u->state == U_PENDING) {
			(*pending)++;
			if (!best || u->len < best->len)
				best = u;
		}
	return best;
}

/* Expand unit u: its first execution, every untried option after it a
 * unit of its own (slot 0, waited for). */
static void plan_expand(struct par *p, unsigned ci, struct unit *u)
{
	struct slot *sl = &p->slot[0];

	slot_start(p, sl, ci, u, true);
	if (!sl->pid)
		return;         /* could not start: u failed */
	while (!slot_read(p, sl))
		;
	slot_end(sl);
}

static uint32_t fnv(uint32_t h, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		h = (h ^ ((v >> (8 * i)) & 0xff)) * 16777619u;
	return h;
}

/* Cut configuration ci's search into its plan (parallel.h) and keep
 * this shard's units; the others are marked foreign. */
static void plan_cfg(struct par *p, unsigned ci)
{
	struct cfg_run *c = &p->run[ci];
	uint32_t h = 2166136261u;
	unsigned pending, i = 0;
	struct unit *u;

	c->started = true;
	c->t0 = now_seconds();
	while ((u = plan_next(c, &pending)) &&
	       pending < PAR_PLAN_UNITS * p->shards) {
		plan_expand(p, ci, u);
		if (u->stop)
			break;
	}
	for (u = c->head; u; u = u->next, i++) {
		u->plan = i;
		h = fnv(h, u->len);
		for (unsigned k = 0; k < u->len; k++)
			h = fnv(h, u->prefix[k].chosen);
		if (i % p->shards != p->shard - 1) {
			u->foreign = true;
			if (u->state == U_PENDING)
				u->state = U_DONE;      /* not here */
		}
	}
	c->units = i;
	c->plan = h;
}

/* Workers still running when every result is known run cancelled
 * units (killed already): reap them, so that none is left a zombie. */
static void reap_workers(struct par *p)
{
	for (unsigned i = 0; p->slot && i < p->jobs; i++) {
		struct slot *sl = &p->slot[i];
		int status;

		if (!sl->pid)
			continue;
		kill(sl->pid, SIGKILL);
		close(sl->fd);
		if (sl->cmd >= 0)
			close(sl->cmd);
		reap(sl, &status);
	}
}

static void par_free(struct par *p)
{
	reap_workers(p);
	for (unsigned i = 0; p->run && i < p->n; i++)
		cfg_free(&p->run[i]);
	for (unsigned i = 0; p->slot && i < p->jobs; i++)
		free(p->slot[i].in.p);
	free(p->run);
	free(p->slot);
	if (p->shared) {
		par_probe_runs = atomic_load(&p->shared->probes);
		munmap(p->shared, p->shared_size);
	}
}

int explore_parallel(const struct par_config *cfg, unsigned n,
		     const vmsa_explore_opts_t *o, unsigned jobs,
		     unsigned shard, unsigned shards,
		     par_done_fn *done, void *ctx)
{
	struct par p = {.cfg = cfg, .n = n, .jobs = jobs, .o = *o,
			.shard = shard, .shards = shards,
			.done = done, .ctx = ctx};
	bool all_whole = true, outcomes = false;
	void *shared;

	for (unsigned i = 0; i < n; i++) {
		all_whole = all_whole && whole(&cfg[i]);
		outcomes = outcomes || cfg[i].out;
	}
	/* A cap counts the executions of a search in depth-first order:
	 * only a search that is not split has them. */
	if (jobs < 1 || jobs > PAR_MAX_JOBS ||
	    (o->max_executions && !all_whole) || o->max_seconds > 0 ||
	    (shards && (shard < 1 || shard > shards ||
			shards > PAR_MAX_SHARDS || o->random_runs ||
			o->reduction || outcomes)))
		return -EINVAL;

	p.o.isolate = false;
	p.o.progress = NULL;
	par_units_started = par_units_handed = par_units_raced = 0;
	par_workers_forked = 0;
	par_probe_runs = 0;
	/* The flags a coordinator sets and workers read, and the workers'
	 * count of probe runs: memory both sides of every fork share. */
	p.shared_size = sizeof(struct par_shared) + jobs * sizeof(atomic_int);
	shared = mmap(NULL, p.shared_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -errno;
	p.shared = shared;
	p.run = calloc(n ? n : 1, sizeof(*p.run));
	p.slot = calloc(jobs, sizeof(*p.slot));
	for (unsigned i = 0; p.run && i < n; i++)
		if (!(p.run[i].head = unit_new(NULL, NULL, 0)))
			break;
	if (!p.run || !p.slot || (n && !p.run[n - 1].head)) {
		par_free(&p);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < jobs; i++) {
		p.slot[i].ask = &p.shared->ask[i];
		p.slot[i].id = i;
		p.slot[i].cmd = -1;
		par_worker_seconds[i] = 0;
	}
	for (unsigned i = 0; shards && i < n; i++)
		plan_cfg(&p, i);
	while (p.reported < n) {
		bool idle = fill_slots(&p);

		report_ready(&p);
		if (p.reported == n)
			break;
		if (idle)
			ask_split(&p);
		wait_workers(&p, idle);
	}
	par_free(&p);
	return 0;
}
