/*
 * src/litmus/promise.c - the writes a litmus thread may promise (load
 * buffering, docs/litmus.md "Load buffering").
 *
 * The model cannot know a CPU's future writes; the interpreter knows
 * the thread's whole program. A promise is needed only for a store that
 * may become visible before an earlier read of its thread is done: a
 * plain STR after a read that nothing orders before it, to a location
 * another thread reads. A DMB or DSB that orders reads (any kind but
 * ST) orders every earlier read before it; an acquire read orders
 * itself; the store's address and data dependencies and the branches
 * before it order the reads they depend on (B2.3.2, B2.3.7); STLR is
 * ordered after everything before it and is never promised. The model
 * checks all of this again when the store fulfils the promise (its
 * views); the scan only keeps from offering what cannot be fulfilled.
 *
 * The stores' addresses and values, and whether each needs a promise,
 * come from following every path through the thread's code (and its
 * fault handler's) as the interpreter would run it, from its initial
 * registers: scan.c says what each instruction does to a path's
 * register values and dependencies, the walker below forks at branches
 * on loaded values and at accesses that may fault, and cuts loops as
 * herd7's unrolling does. A store whose address or value is not known
 * on some path cannot be offered, and the test is then unsupported
 * (never a verdict that could miss its executions); so is a thread
 * whose paths pass the walker's budget.
 */
#include <string.h>

#include "scan.h"

/* The register an instruction that may be promised writes from (a
 * STR's or STXR's data, an atomic's operand, a CAS's new value), and for
 * a CAS the one it compares with (else ZR); false for any other
 * instruction, and for a release (STLR, SWPL, CASL, STLXR...: ordered
 * after everything before it, never promised). */
static bool promised_regs(const struct lit_insn *in, struct lit_reg *data,
			  struct lit_reg *cmp)
{
	*cmp = (struct lit_reg){.zr = true};
	switch (in->op) {
	case OP_STR:
		*data = in->rd;
		return true;
	case OP_RMW:
		*data = in->rs;
		return !in->release;
	case OP_CAS:
		*data = in->rd;
		*cmp = in->rs;
		return !in->release;
	case OP_STXR:
		*data = in->rd;
		return !in->release;
	default:
		return false;
	}
}

/* Is this STR, atomic, CAS or STXR a site: after a read that neither a
 * barrier, nor its address, data or an earlier branch orders before it?
 * (An atomic's own read is no such read: the scan adds it after; nor
 * is a STXR's LDXR: struct scan, ldxr.) A store to a PTE is one after
 * a store no barrier orders before it, too: a descriptor store stays
 * its word's newest message (order_write_ts), so going first in its
 * word's coherence order while that earlier store goes after another
 * thread's needs a promise (herd7's D15347-2+2WExpExp with a DSB LD
 * for its DSB ISH: Allowed). */
static bool site_of(const struct scan *sc, const struct lit_insn *in,
		    int thread, struct lit_site *s)
{
	struct lit_reg data, cmp;
	uint64_t dep;
	bool pte, lb;

	if (!promised_regs(in, &data, &cmp))
		return false;
	/* A STXR's data dependency orders nothing in herd7 (its LB with
	 * a data dependency into both store-exclusives is Allowed; an
	 * address or control dependency, or a STLXR, Forbidden). */
	dep = lit_scan_dep(sc, in->rn) | lit_scan_opnd_dep(sc, &in->src) |
	      (in->op == OP_STXR ? sc->ldxr : lit_scan_dep(sc, data)) |
	      lit_scan_dep(sc, cmp) | sc->ctrl;
	lb = sc->pending & ~dep;
	if (!lb && !sc->st_pending)
		return false;
	s->line = in->line;
	s->size = in->size;
	s->known = lit_scan_known(sc, in->rn) &&
		   lit_scan_opnd_known(sc, &in->src);
	s->va = lit_scan_val(sc, in->rn) + lit_opnd_value(sc->x, &in->src);
	/* A store to a PTE is a descriptor store: promised too, which
	 * other threads' walks may read (lit_site_observed). */
	s->pte = s->known && lit_va_sym(s->va, &pte) >= 0 && pte;
	if (!lb && !s->pte && !sc->pte_st_pending)
		return false;
	s->addr_known = s->known;
	s->known = s->known && lit_scan_known(sc, data);
	s->value = lit_scan_val(sc, data);
	s->expect_known = lit_scan_known(sc, cmp);
	s->expect = s->expect_known ? lit_scan_val(sc, cmp) : 0;
	s->kind = in->op == OP_RMW ? VMSA_PROMISE_RMW :
		  in->op == OP_CAS ? VMSA_PROMISE_CAS :
		  in->op == OP_STXR ? VMSA_PROMISE_STXR : VMSA_PROMISE_STORE;
	s->op = in->rmw;
	(void)thread;
	return true;
}


/* An instruction that makes an explicit read. */
static bool is_read(const struct lit_insn *in)
{
	return in->op == OP_LDR || in->op == OP_LDAR || in->op == OP_LDG ||
	       in->op == OP_CAS ||
	       in->op == OP_RMW || in->op == OP_LDXR;
}

/* Is a branch (of any kind) at in? */
static bool is_branch(const struct lit_insn *in)
{
	return in->op == OP_B || in->op == OP_BCOND || in->op == OP_CBZ ||
	       in->op == OP_CBNZ;
}

bool lit_site_ahead(const struct lit_code *c, int from, int insn)
{
	bool seen[LIT_MAX_CODE] = {false};
	int stack[LIT_MAX_CODE], n = 0;

	/* A handler's store (LIT_MAX_CODE + i): any fault may run it. */
	if (insn >= from)
		return true;
	/* Only a loop leads back: the instructions reachable from `from`
	 * along fall-throughs and branches. */
	if (from < 0 || (unsigned)from >= c->n)
		return false;
	seen[from] = true;
	stack[n++] = from;
	while (n) {
		int i = stack[--n], next[2], k = 0;
		const struct lit_insn *in = &c->insn[i];

		if (i == insn)
			return true;
		if (in->op != OP_B)
			next[k++] = i + 1;
		if (is_branch(in))
			next[k++] = in->target;
		while (k--)
			if (next[k] >= 0 && (unsigned)next[k] < c->n &&
			    !seen[next[k]]) {
				seen[next[k]] = true;
				stack[n++] = next[k];
			}
	}
	return false;
}

/* What an access scan looks for (touches()). */
enum touch {
	READS_PAGE,	/* an explicit read of va's page */
	ACCESSES_PAGE,	/* a load or a store of it: its walk reads va's
			   PTE */
	WRITES_WORD,	/* a write of va's word (a store, an exclusive, an
			   atomic) */
};

/* Does in, with the scan's registers, make an access `how` looks for,
 * or one whose address the scan cannot tell? */
static bool touch_insn(const struct scan *sc, const struct lit_insn *in,
		       uint64_t va, enum touch how)
{
	bool st = in->op == OP_STR || in->op == OP_STLR;
	bool ld = in->op == OP_LDR || in->op == OP_LDAR || in->op == OP_LDG;
	bool off, acc, hit;
	uint64_t a;

	if (how == WRITES_WORD) {
		off = st;
		acc = st || in->op == OP_STXR || in->op == OP_RMW ||
		      in->op == OP_CAS;
	} else {
		st = st || in->op == OP_STG;
		off = ld || (how == ACCESSES_PAGE && st);
		acc = is_read(in) || (how == ACCESSES_PAGE &&
				      (st || in->op == OP_STXR));
	}
	a = lit_scan_val(sc, in->rn) +
	    (off ? lit_opnd_value(sc->x, &in->src) : 0);
	hit = how == WRITES_WORD ? (a & ~7ull) == (va & ~7ull) :
				   (a >> 12) == (va >> 12);
	return acc && (!lit_scan_known(sc, in->rn) ||
		       (off && !lit_scan_opnd_known(sc, &in->src)) || hit);
}

/* The VA an access instruction names, when the scan knows it. */
static bool access_va(const struct scan *sc, const struct lit_insn *in,
		      uint64_t *va)
{
	bool off = in->op == OP_LDR || in->op == OP_STR ||
		   in->op == OP_LDAR || in->op == OP_STLR;

	if (!lit_scan_known(sc, in->rn) ||
	    (off && !lit_scan_opnd_known(sc, &in->src)))
		return false;
	*va = lit_scan_val(sc, in->rn) +
	      (off ? lit_opnd_value(sc->x, &in->src) : 0);
	return true;
}

/* Does in access a location (by an address the scan knows) in a size
 * other than the location's: a W register on a 64-bit location, an X one
 * on a 32-bit (int) one, LDRB on anything but a byte, anything but 64
 * bits on a PTE? */
static bool size_mismatch(const struct lit_test *t, const struct scan *sc,
			  const struct lit_insn *in)
{
	uint64_t va;
	bool pte;
	int sym;

	switch (in->op) {
	case OP_LDR: case OP_STR: case OP_LDAR: case OP_STLR: case OP_CAS:
	case OP_RMW: case OP_LDXR: case OP_STXR:
		break;
	default:
		return false;
	}
	if (!access_va(sc, in, &va) || (sym = lit_va_sym(va, &pte)) < 0)
		return false;
	return in->size != (pte ? 8u : t->sym[sym].size);
}

/*
 * The sites along every path. A store's value and whether it needs a
 * promise depend on the path that reaches it: a loop's counter, a
 * register a branch skipped setting, a handler's resumption. So the
 * scan follows the code as the interpreter runs it (interp.c): a
 * branch whose condition it knows goes that way, one whose condition
 * comes from a load goes both ways; a backward branch taken more than
 * LIT_UNROLL times to one instruction ends the path (herd7 drops the
 * execution); each access may fault, and then (a thread with a fault
 * handler) the handler's code runs on the same registers and returns
 * to the access or to the label it set in ELR_EL1, or (faults skipped)
 * the access is not made. A fault that re-runs the access with nothing
 * else changed (`handled`) or ends the thread (`fatal`) adds no path.
 * Each dynamic store is a site: the same store twice on one path (a
 * loop) is two, a store reached along two paths with the same address
 * and value is one.
 */

/* Evaluation steps for one thread's paths: past it the test is
 * unsupported (a limit, never a promise left out). */
#define LIT_SCAN_BUDGET (1u << 16)
/* Nested two-way branches and faults on one path. */
#define LIT_SCAN_DEPTH 48

struct path {
	struct scan sc;
	int pc;
	int fault_pc;		/* in the handler: the access that faulted */
	bool elr_set, elr_known;
	uint64_t elr;
	unsigned faults;
	uint8_t back[2 * LIT_MAX_CODE];	/* backward branches taken to
					   each instruction (struct
					   lit_cpu's seen) */
	unsigned nmine;
	uint8_t mine[LIT_MAX_SCAN_SITES];	/* the sites met on it */
	/* Hardware updates (hu_step): the pages the path accessed, after
	 * an explicit read, after a DSB no ISB followed (without ETS2),
	 * after a read of a PTE (here or in another thread). */
	uint64_t hu_seen;	/* the pages written */
	bool after_read, after_dsb, pte_read;
};

struct paths {
	const struct lit_test *t;
	enum lit_handling h;
	int thread;
	struct lit_site *site;
	unsigned n, steps, depth;
	bool too_many;		/* budget, depth or LIT_MAX_SCAN_SITES */
	bool unknown_elr;	/* a handler returns where the scan cannot
				   tell */
	/* Hardware update sites, when rt is set (lit_hu_sites). */
	const struct lit_rt *rt;
	struct lit_hu_site *hu;
	unsigned nhu, maxhu;
	uint64_t hu_syms;	/* the pages of the sites found */
	bool unknown_hu;	/* a write whose page the scan cannot tell
				   may make an update early */
	/* An access scan (touches()): whether some path makes an access
	 * qhow looks for at qva. */
	bool query, hit;
	uint64_t qva;
	enum touch qhow;
	/* A size scan (lit_mixed_size_line()): the first access whose
	 * size is not its location's. */
	bool sizes;
	int mixed_line;
	/* The symbols whose PTE another thread may write (a store of the
	 * word; with hardware updates, an access of its page): a store
	 * after a store to one is a site (shared_pte_store). Found before
	 * the walk (walk_all), not in it: each query is a walk of its
	 * own. */
	uint64_t shared_ptes;
};

static void hu_step(struct paths *P, struct path *p,
		    const struct lit_insn *in);

/* The same dynamic store but for rep. */
static bool same_store(const struct lit_site *a, const struct lit_site *b)
{
	return a->insn == b->insn && a->va == b->va && a->value == b->value &&
	       a->expect == b->expect && a->size == b->size &&
	       a->kind == b->kind && a->op == b->op && a->known == b->known &&
	       a->addr_known == b->addr_known &&
	       a->expect_known == b->expect_known;
}

/* Site s met on path p: its rep is how often p met the same store
 * before; a site already found (another path) is not added again. */
static void record(struct paths *P, struct path *p, struct lit_site *s)
{
	unsigned g;

	s->rep = 0;
	for (unsigned k = 0; k < p->nmine; k++)
		s->rep += same_store(&P->site[p->mine[k]], s);
	for (g = 0; g < P->n; g++)
		if (same_store(&P->site[g], s) && P->site[g].rep == s->rep)
			break;
	if (g == P->n) {
		if (P->n == LIT_MAX_SCAN_SITES) {
			P->too_many = true;
			return;
		}
		P->site[P->n++] = *s;
	}
	if (p->nmine < LIT_MAX_SCAN_SITES)
		p->mine[p->nmine++] = (uint8_t)g;
	else
		P->too_many = true;
}

/* An instruction that accesses memory (and so may fault). */
static bool is_access(const struct lit_insn *in)
{
	return is_read(in) || lit_is_write(in);
}

/* Which way a branch goes: 1 taken, 0 not, -1 the scan cannot tell. */
static int branch_way(const struct scan *sc, const struct lit_insn *in)
{
	switch (in->op) {
	case OP_B:
		return 1;
	case OP_BCOND:
		return sc->fknown ? lit_cond_holds(sc->fl, in->cc) : -1;
	case OP_CBZ:
	case OP_CBNZ:
		if (!lit_scan_known(sc, in->rn))
			return -1;
		return (lit_scan_val(sc, in->rn) == 0) == (in->op == OP_CBZ);
	default:
		return 0;
	}
}

/* Does a backward branch count towards LIT_UNROLL (interp.c's jump()):
 * an unconditional one, or one on an undetermined value? */
static bool counted(const struct scan *sc, const struct lit_insn *in)
{
	switch (in->op) {
	case OP_BCOND:
		return sc->fund;
	case OP_CBZ:
	case OP_CBNZ:
		return lit_scan_und(sc, in->rn);
	default:
		return true;
	}
}

/* Path p takes the branch at pc (interp.c's jump()): false when herd7
 * would cut the execution off there. `count`: counted() before the
 * branch ran. */
static bool take(struct path *p, const struct lit_insn *in, bool count)
{
	int at = p->sc.handler ? LIT_MAX_CODE + in->target : in->target;

	if (in->target > p->pc || !count) {
		p->pc = in->target;
		return true;
	}
	if (in->target < 0 || in->target >= LIT_MAX_CODE ||
	    ++p->back[at] > LIT_UNROLL)
		return false;
	p->pc = in->target;
	return true;
}

static void walk(struct paths *P, struct path *p);

/*
 * Does in store a descriptor that another thread may write too (a store
 * of its word; with hardware updates, a walk of the page it maps: the
 * bits of P->shared_ptes, shared_ptes()), or a word the scan cannot
 * tell? A later store of the thread that no barrier orders after it is
 * then a site (site_of): the descriptor store stays its word's newest
 * message when it runs (order_write_ts), so an execution where the
 * other thread's write of the word, made after it read that later
 * store, comes first in the word's coherence order needs the later
 * store made first (herd7's S+pte-po+addr Allowed: tests/litmus/lb).
 * When no other thread writes the word, the order of the two stores is
 * seen by nobody through it.
 */
static bool shared_pte_store(const struct paths *P, const struct path *p,
			     const struct lit_insn *in)
{
	bool pte;
	int sym;

	if (!lit_is_write(in))
		return false;
	if (!lit_scan_known(&p->sc, in->rn) ||
	    !lit_scan_opnd_known(&p->sc, &in->src))
		return true;
	sym = lit_va_sym(lit_scan_val(&p->sc, in->rn) +
			 lit_opnd_value(p->sc.x, &in->src), &pte);
	return sym >= 0 && pte && (P->shared_ptes >> sym & 1);
}

/* Follow a copy of p changed by `how` (so that p goes on as it was). */
static void fork_path(struct paths *P, const struct path *p,
		      void (*how)(struct paths *, struct path *,
				  const struct lit_insn *),
		      const struct lit_insn *in)
{
	struct path q = *p;

	if (++P->depth > LIT_SCAN_DEPTH)
		P->too_many = true;
	else
		how(P, &q, in);
	P->depth--;
}

static void branch_taken(struct paths *P, struct path *q,
			 const struct lit_insn *in)
{
	bool count = counted(&q->sc, in);

	lit_scan_eval(&q->sc, in, P->thread);
	if (take(q, in, count))
		walk(P, q);
}

/* The access at q->pc faults: the handler runs, or it is skipped. */
static void faulted(struct paths *P, struct path *q,
		    const struct lit_insn *in)
{
	(void)in;
	q->faults++;
	if (P->t->has_handler[P->thread]) {
		q->fault_pc = q->pc;
		q->sc.handler = true;
		q->elr_set = false;
		q->pc = 0;
	} else {
		q->pc++;
	}
	walk(P, q);
}

/* A store-exclusive's status register after it ran: known (the path
 * says whether it passed), still undetermined for herd7. */
static void stxr_status(struct scan *sc, const struct lit_insn *in,
			uint64_t st)
{
	if (in->rs.zr)
		return;
	sc->x[in->rs.n] = st;
	sc->known[in->rs.n] = true;
	sc->und[in->rs.n] = true;
}

/* The store-exclusive at q->pc fails: no write, status 1. */
static void stxr_failed(struct paths *P, struct path *q,
			const struct lit_insn *in)
{
	lit_scan_eval(&q->sc, in, P->thread);
	stxr_status(&q->sc, in, 1);
	q->pc++;
	walk(P, q);
}

/* The handler's ERET: back to the access, or to ELR_EL1's label; false
 * when the path ends (an address that is no label of this thread: the
 * interpreter reports the test unsupported there). */
static bool eret(struct paths *P, struct path *p)
{
	uint64_t e = p->elr;

	p->sc.handler = false;
	if (!p->elr_set) {
		p->pc = p->fault_pc;
	} else if (!p->elr_known) {
		P->unknown_elr = true;
		return false;
	} else if ((e & ~0xffffffull) != LIT_LABEL_BASE ||
		   ((e >> 16) & 0xff) != (unsigned)P->thread) {
		return false;
	} else {
		p->pc = (int)(e & 0xffff);
	}
	/* A backward jump for herd7's unrolling (interp.c,
	 * handler_return_cut()). */
	return p->pc >= 0 && p->pc < LIT_MAX_CODE &&
	       ++p->back[p->pc] <= LIT_UNROLL;
}

static void walk(struct paths *P, struct path *p)
{
	const struct lit_code *main = &P->t->code[P->thread];
	bool forks = P->t->has_handler[P->thread] || P->h == LIT_SKIP;

	while (!P->too_many && !P->unknown_elr && !P->hit) {
		const struct lit_code *c = p->sc.handler ?
			&P->t->handler[P->thread] : main;
		const struct lit_insn *in;
		struct lit_site s;
		bool count;
		int way;

		if (p->pc < 0 || (unsigned)p->pc >= c->n)
			return;	/* the thread (or its handler) ends */
		if (++P->steps > LIT_SCAN_BUDGET) {
			P->too_many = true;
			return;
		}
		in = &c->insn[p->pc];
		if (P->query && touch_insn(&p->sc, in, P->qva, P->qhow)) {
			P->hit = true;
			return;
		}
		if (P->sizes && !P->mixed_line &&
		    size_mismatch(P->t, &p->sc, in))
			P->mixed_line = in->line;
		/* A fault in the handler ends the thread: nothing new. */
		if (forks && !p->sc.handler && is_access(in) &&
		    p->faults < LIT_MAX_FAULTS)
			fork_path(P, p, faulted, in);
		/* A store-exclusive writes only when it passes: the path
		 * where it fails has no site and knows its status. */
		if (in->op == OP_STXR)
			fork_path(P, p, stxr_failed, in);
		if (P->rt)
			hu_step(P, p, in);
		if (site_of(&p->sc, in, P->thread, &s)) {
			s.insn = p->sc.handler ? LIT_MAX_CODE + p->pc : p->pc;
			record(P, p, &s);
		}
		if (!P->query && !P->sizes && shared_pte_store(P, p, in))
			p->sc.pte_st_pending = true;
		switch (in->op) {
		case OP_STXR:
			lit_scan_eval(&p->sc, in, P->thread);
			stxr_status(&p->sc, in, 0);
			p->pc++;
			continue;
		case OP_MSR_ELR:
			p->elr_set = true;
			p->elr_known = lit_scan_known(&p->sc, in->rn);
			p->elr = lit_scan_val(&p->sc, in->rn);
			p->pc++;
			continue;
		case OP_ERET:
			if (!p->sc.handler || !eret(P, p))
				return;
			continue;
		default:
			break;
		}
		way = branch_way(&p->sc, in);
		count = counted(&p->sc, in);
		if (way < 0)
			fork_path(P, p, branch_taken, in);
		lit_scan_eval(&p->sc, in, P->thread);
		if (way > 0) {
			if (!take(p, in, count))
				return;
		} else {
			p->pc++;
		}
	}
}

static bool elsewhere(const struct lit_test *t, int thread, uint64_t va,
		      enum touch how);

/* P->shared_ptes for P's thread. */
static void shared_ptes(struct paths *P)
{
	const struct lit_test *t = P->t;

	_Static_assert(LIT_MAX_SYMS <= 64, "a bit of shared_ptes each");
	P->shared_ptes = 0;
	for (unsigned s = 0; s < t->nsym; s++)
		if (elsewhere(t, P->thread, lit_pte_va((int)s), WRITES_WORD) ||
		    (t->tthm[0] && elsewhere(t, P->thread, lit_sym_va((int)s),
					     ACCESSES_PAGE)))
			P->shared_ptes |= 1ull << s;
}

/* Follow every path of P's thread from its initial registers x0. */
static void walk_all(struct paths *P, const uint64_t *x0)
{
	struct path p;

	/* A query's or a size scan's walk looks for no site. */
	if (!P->query && !P->sizes)
		shared_ptes(P);
	memset(&p, 0, sizeof(p));
	lit_scan_start(&p.sc, x0);
	if (P->rt)
		p.pte_read = lit_read_elsewhere(P->t, P->thread,
						lit_pte_va(0));
	walk(P, &p);
}

int lit_promise_sites(const struct lit_test *t, enum lit_handling h,
		      int thread, const uint64_t *x0, struct lit_site *site,
		      unsigned max)
{
	struct lit_site all[LIT_MAX_SCAN_SITES];
	struct paths P = {.t = t, .h = h, .thread = thread, .site = all};

	walk_all(&P, x0);
	if (P.unknown_elr)
		return -2;
	if (P.too_many)
		return -1;
	memcpy(site, all, (P.n < max ? P.n : max) * sizeof(*site));
	return (int)P.n;
}

/* Does thread j (its code and, on a fault, its handler's), from
 * registers x0, make an access `how` looks for along some path (or
 * one the scan cannot tell, or are its paths too many to follow)? */
static bool touches(const struct lit_test *t, int j, const uint64_t *x0,
		    uint64_t va, enum touch how)
{
	struct lit_site all[LIT_MAX_SCAN_SITES];
	struct paths P = {.t = t, .h = LIT_FATAL, .thread = j, .site = all,
			  .query = true, .qva = va, .qhow = how};

	/* LIT_FATAL: a skipped access (faultToNext) reaches nothing a
	 * path where it is made does not (its register is unknown there,
	 * and so is what follows from it). */
	walk_all(&P, x0);
	return P.hit || P.too_many || P.unknown_elr;
}

/* The thread's initial registers as far as the test says them without
 * the run's physical pages (addresses are VAs: enough to compare). */
void lit_static_regs(const struct lit_test *t, int thread, uint64_t *x)
{
	static const vmsa_pa_t pa0[LIT_MAX_SYMS];

	memset(x, 0, LIT_NREGS * sizeof(*x));
	for (unsigned i = 0; i < t->nreginit; i++)
		if (t->reginit[i].thread == thread)
			x[t->reginit[i].reg] =
				lit_value_runtime(&t->reginit[i].v, pa0);
}

int lit_mixed_size_line(const struct lit_test *t, int thread,
			const uint64_t *x0)
{
	struct lit_site all[LIT_MAX_SCAN_SITES];
	struct paths P = {.t = t, .h = LIT_FATAL, .thread = thread,
			  .site = all, .sizes = true};

	walk_all(&P, x0);
	return P.mixed_line;
}

/* Does a thread other than `thread` make an access `how` looks for
 * (touches())? */
static bool elsewhere(const struct lit_test *t, int thread, uint64_t va,
		      enum touch how)
{
	uint64_t x0[LIT_NREGS];

	for (unsigned j = 0; j < t->nthreads; j++) {
		if ((int)j == thread)
			continue;
		lit_static_regs(t, (int)j, x0);
		if (touches(t, (int)j, x0, va, how))
			return true;
	}
	return false;
}

bool lit_site_observed(const struct lit_test *t, int thread,
		       const struct lit_site *s)
{
	bool pte;
	int sym;

	if (!s->pte)
		return lit_read_elsewhere(t, thread, s->va);
	/* A PTE's store: another thread's walk of its page reads it, or
	 * an explicit read of the PTEs' page; or another thread writes
	 * the PTE: a descriptor store stays its word's newest message
	 * (order_write_ts), so only a promise made before the other's
	 * store puts it first in the word's coherence order (herd7's
	 * D15347-2+2WExpExp with P1's DSB ISH for DSB LD, two stores of
	 * one PTE in either order). */
	sym = lit_va_sym(s->va, &pte);
	return lit_read_elsewhere(t, thread, s->va) ||
	       elsewhere(t, thread, s->va, WRITES_WORD) ||
	       elsewhere(t, thread, lit_sym_va(sym), ACCESSES_PAGE);
}

bool lit_read_elsewhere(const struct lit_test *t, int thread, uint64_t va)
{
	return elsewhere(t, thread, va, READS_PAGE);
}

/* The update the walk of a first access to sym's page makes of its
 * initial PTE when it sets the dirty state (D8.5: with HD, DBM and a
 * write; AF too with HA), in *d; false when it sets none. An update of
 * AF alone is not offered: the model makes it speculatively whenever it
 * may (hwspec.c: ordered with nothing, a superset of what a promise
 * gives). */
static bool hu_of_access(const struct lit_test *t, uint64_t tcr, int sym,
			 bool write, struct lit_desc *d)
{
	*d = t->sym[sym].pte;
	if (!d->valid || !(tcr & 1ull << 40) || !write || !d->dbm || d->db)
		return false;
	d->db = 1;
	d->af = 1;
	return true;
}

/* Does in, from the scan's registers, read the PTEs' page (or a page
 * the scan cannot tell)? */
static bool reads_pte(const struct scan *sc, const struct lit_insn *in)
{
	uint64_t va;

	return is_read(in) &&
	       (!access_va(sc, in, &va) || (va >> 12) == (lit_pte_va(0) >> 12));
}

/*
 * Hardware updates a thread may promise. Nothing but what orders its
 * walk (an address dependency, an IFB, with ETS2 a DSB) and earlier
 * addresses, branches and walks orders an update (B2.3.7; model.h's
 * order_hw_pre): not a DMB, an acquire or a release, and not the
 * thread's own explicit accesses of the descriptor (coherence is
 * Explicit-only). So the first access to a page after an explicit read
 * may make its update visible before that read is done; and without
 * ETS2 the first access to a page after a DSB may make it visible
 * before the DSB completes, before the stores it waits for reach the
 * walks of other CPUs and before the TLBI it completes takes effect
 * (herd's DSB-ob leaves out Implicit TTD effects without ETS2:
 * Artem3+HDx-TLBIy+dsb.st+dmb.ld, coRR+W-DSB-TLBI-DSB-HU+rfe-W). An ISB
 * after the DSB orders the walk (IFB-ob) and so ends that. The model
 * checks the ordering when the walk fulfils the promise, the scan only
 * offers what can be read early: by another thread, or by an earlier
 * read of the thread itself (a SWP of the descriptor that reads the
 * update its later store's walk makes: herd's coRmwWExpNExp), an
 * explicit read of a PTE (the PTEs share one page). A write whose
 * page the scan does not know, where one could be early, makes the
 * test unsupported (run.c).
 */
/* A hardware update site found on a path: one per page (the update a
 * first write access makes is the PTE's initial value updated, whatever
 * the path), counted past max. */
static void hu_record(struct paths *P, const struct lit_hu_site *hs)
{
	if (P->hu_syms >> hs->sym & 1)
		return;
	P->hu_syms |= 1ull << hs->sym;
	if (P->nhu < P->maxhu)
		P->hu[P->nhu] = *hs;
	P->nhu++;
}

/* Could a write to a page the scan cannot tell set the dirty state of
 * some page path p has not written yet? */
static bool hu_unknown_page(const struct paths *P, const struct path *p,
			    uint64_t tcr)
{
	struct lit_desc d;

	for (unsigned sym = 0; sym < P->t->nsym && sym < 64; sym++)
		if (!(p->hu_seen >> sym & 1) &&
		    hu_of_access(P->t, tcr, (int)sym, true, &d))
			return true;
	return false;
}

static void hu_step(struct paths *P, struct path *p,
		    const struct lit_insn *in)
{
	uint64_t tcr = P->rt->tcr_ha_hd[P->thread], va;
	bool rd = is_read(in);
	bool wr = in->op == OP_STR || in->op == OP_STLR || in->op == OP_CAS ||
		  in->op == OP_RMW || in->op == OP_STXR;
	bool early = (p->after_read || p->after_dsb) && p->pte_read;
	struct lit_hu_site hs;
	bool pte;

	/* The dirty state is set by the page's first write (a read sets
	 * AF alone, which the model updates speculatively): hu_seen has
	 * the pages this path wrote. */
	if (wr && !access_va(&p->sc, in, &va)) {
		if (early && hu_unknown_page(P, p, tcr))
			P->unknown_hu = true;
	} else if (wr && (hs.sym = lit_va_sym(va, &pte)) >= 0 && !pte &&
		   hs.sym < 64 && !(p->hu_seen >> hs.sym & 1)) {
		p->hu_seen |= 1ull << hs.sym;
		if (early && hu_of_access(P->t, tcr, hs.sym, true, &hs.d))
			hu_record(P, &hs);
	}
	p->after_read |= rd;
	p->pte_read |= reads_pte(&p->sc, in);
	if (in->op == OP_DSB)
		p->after_dsb = !P->rt->dsb_orders_hu;
	else if (in->op == OP_ISB)
		p->after_dsb = false;
}

int lit_hu_sites(const struct lit_test *t, const struct lit_rt *rt,
		 int thread, const uint64_t *x0, struct lit_hu_site *site,
		 unsigned max)
{
	struct lit_site all[LIT_MAX_SCAN_SITES];
	struct paths P = {.t = t, .h = rt->handling, .thread = thread,
			  .site = all, .rt = rt, .hu = site, .maxhu = max};

	if (!rt->tcr_ha_hd[thread])
		return 0;
	walk_all(&P, x0);
	/* Paths too many: lit_promise_sites() said so first (run.c). */
	return P.unknown_hu ? -1 : (int)P.nhu;
}

/* The hardware update candidates of sites site[0 .. n) not in done:
 * the PTE's PA (layout.c: the L3 table's entry sym + 1) and its value
 * after the update. */
static unsigned hu_cands(const struct lit_exec *lx,
			 const struct lit_hu_site *site, unsigned n,
			 uint64_t done, vmsa_promise_t *out, int *which)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		int oa = site[i].d.oa_sym >= 0 ? site[i].d.oa_sym :
						 site[i].sym;

		if (done >> (LIT_MAX_SCAN_SITES + i) & 1)
			continue;
		out[k] = (vmsa_promise_t){
			.pa = lx->l3 + 8ull * (unsigned)(site[i].sym + 1),
			.size = 8,
			.value = lit_desc_encode(&site[i].d, lx->pa[oa]),
			.cacheable = true,
			.hw_update = true,
		};
		which[k++] = LIT_MAX_SCAN_SITES + (int)i;
	}
	return k;
}

/* May the thread at `from` still reach instruction insn: along its code
 * (lit_site_ahead), or from a label its fault handler resumes at (ADR
 * of a label of the thread's code: a fault at any later access may run
 * the handler)? */
static bool site_ahead(const struct lit_test *t, int thread, int from,
		       int insn)
{
	const struct lit_code *c = &t->code[thread];
	const struct lit_code *h = &t->handler[thread];

	if (lit_site_ahead(c, from, insn))
		return true;
	if (!t->has_handler[thread])
		return false;
	for (unsigned i = 0; i < h->n; i++)
		if (h->insn[i].op == OP_ADR && h->insn[i].target_main &&
		    lit_site_ahead(c, h->insn[i].target, insn))
			return true;
	return false;
}

/* A site whose same store with a lower rep is not promised yet: the
 * two promises would be the same, so only the first is offered (else
 * each order of the two would be searched). */
static bool earlier_rep_open(const struct lit_site *site, unsigned i,
			     uint64_t done)
{
	for (unsigned j = 0; j < i; j++)
		if (!(done >> j & 1) && same_store(&site[j], &site[i]))
			return true;
	return false;
}

/* Thread's paths from x0 (walk_all), with its hardware update sites
 * when hu, into mm. */
static void cand_walk(const struct lit_rt *rt, int thread,
		      const uint64_t *x0, bool hu, struct lit_cand_memo *mm)
{
	struct paths P = {.t = rt->t, .h = rt->handling, .thread = thread,
			  .site = mm->site};

	if (hu) {
		P.rt = rt;
		P.hu = mm->hu;
		P.maxhu = LIT_MAX_HU_SITES;
	}
	walk_all(&P, x0);
	mm->n = P.n;
	mm->nhu = P.nhu;
	mm->too_many = P.too_many;
	mm->unknown_elr = P.unknown_elr;
	mm->unknown_hu = P.unknown_hu;
	memcpy(mm->x0, x0, sizeof(mm->x0));
	mm->valid = true;
}

/* The scan of thread's paths from x0 that lit_promise_cands() reads.
 * It depends on nothing but the test, rt's constants and x0, and is
 * asked for at every promise point of every execution (the walk of a
 * looping thread's paths took a tenth of Sc08+BIS's time): made once
 * into rt's memo, made again only for other registers; into *local
 * when rt has no memo. */
static const struct lit_cand_memo *cand_paths(const struct lit_rt *rt,
					      int thread, const uint64_t *x0,
					      bool hu,
					      struct lit_cand_memo *local)
{
	struct lit_cand_memo *mm =
		rt->cand_memo ? &rt->cand_memo[2 * thread + hu] : local;

	if (mm == local || !mm->valid ||
	    memcmp(mm->x0, x0, sizeof(mm->x0)))
		cand_walk(rt, thread, x0, hu, mm);
	return mm;
}

unsigned lit_promise_cands(const struct lit_exec *lx, int thread,
			   const uint64_t *x0, int from, uint64_t done,
			   vmsa_promise_t *out, int *which)
{
	const struct lit_rt *rt = lx->rt;
	const struct lit_test *t = rt->t;
	struct lit_cand_memo local;
	const struct lit_cand_memo *scan;
	const struct lit_site *site;
	unsigned n, nhu, k = 0;

	/* One walk for the stores and, at the start, the hardware
	 * updates (lit_promise_sites() and lit_hu_sites() as run.c
	 * checked them). */
	scan = cand_paths(rt, thread, x0, !from && rt->tcr_ha_hd[thread],
			  &local);
	site = scan->site;
	/* Paths, pages or updates too many made the test unsupported
	 * (run.c). */
	n = scan->too_many || scan->unknown_elr ? 0 : scan->n;
	nhu = scan->unknown_hu ? 0 :
	      scan->nhu < LIT_MAX_HU_SITES ? scan->nhu : LIT_MAX_HU_SITES;
	for (unsigned i = 0; i < n; i++) {
		bool pte;
		int sym = lit_va_sym(site[i].va, &pte);
		int oa;

		/* Unknown ones made the test unsupported (run.c); an
		 * address outside the test's pages faults: no store. */
		if (!site[i].known || sym < 0 ||
		    !site_ahead(t, thread, from, site[i].insn) ||
		    (done >> i & 1) || earlier_rep_open(site, i, done) ||
		    !lit_site_observed(t, thread, &site[i]))
			continue;
		which[k] = (int)i;
		if (pte) {
			/* A descriptor store: the PTE's PA (layout.c: the
			 * L3 table's entry sym + 1), its value as the
			 * register holds it. */
			out[k++] = (vmsa_promise_t){
				.pa = lx->l3 + 8ull * (unsigned)(sym + 1),
				.size = site[i].size,
				.value = site[i].value,
				.cacheable = true,
				.kind = site[i].kind,
				.op = site[i].op,
				.expect = site[i].expect,
				.expect_any = !site[i].expect_known,
			};
			if (out[k - 1].pa % out[k - 1].size)
				k--;
			continue;
		}
		oa = t->sym[sym].pte.oa_sym >= 0 ? t->sym[sym].pte.oa_sym :
						   sym;
		/* Every field: hw_update was left to whatever the stack
		 * held (a fresh stack's zero, until stacks were reused). The
		 * layout maps data Normal Write-Back unless the record says
		 * otherwise (attrs:). */
		out[k] = (vmsa_promise_t){
			.pa = lx->pa[oa] + (site[i].va & (VMSA_PAGE_SIZE - 1)),
			.size = site[i].size,
			.value = site[i].value,
			.cacheable = t->sym[sym].pte.attr == LIT_ATTR_NORMAL,
			.kind = site[i].kind,
			.op = site[i].op,
			.expect = site[i].expect,
			.expect_any = !site[i].expect_known,
		};
		if (out[k].pa % out[k].size)
			continue; /* it would fault (alignment): no store */
		k++;
	}
	return k + hu_cands(lx, scan->hu, nhu, done, out + k, which + k);
}
