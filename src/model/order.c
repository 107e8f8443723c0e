/*
 * src/model/order.c - Arm's ordering of data accesses (feature `relaxed`).
 *
 * The operational formulation of Promising-ARM (C. Pulte, J. Pichon-
 * Pharabod, J. Kang, S.-H. Lee, C.-K. Hur, "Promising-ARM/RISC-V: a
 * simpler and faster operational concurrency model", PLDI 2019), which
 * is equivalent to the axiomatic model of the Arm ARM's B2.3 (the one
 * herd7's aarch64.cat executes) for the accesses modelled here:
 *
 *  - memory is the list of every write of the execution, each with a
 *    timestamp (0: the initial values). Coherence order is timestamp
 *    order per location (the writes to one location are totally
 *    ordered, B2.3.1 "Coherence order");
 *  - each CPU has views (timestamps): per location its coherence view,
 *    and vrOld/vwOld (its newest read and write), vrNew/vwNew (lower
 *    bounds that barriers and acquires impose on later reads and writes),
 *    vCAP (addresses and branches so far, for ISB) and vRel (its release
 *    writes, for RCsc acquires);
 *  - a read may return the message at timestamp t when no other write to
 *    its location lies in (t, max(pre-view, coherence view)]: the
 *    newest, or an older one that the CPU's ordering does not yet
 *    forbid. Its post-view (the pre-view joined with t, or with the view
 *    of its own forwarded write) is what depends on it.
 *
 * A write takes the next timestamp, or (a choice) an earlier one that
 * its views allow and that no read already made would have had to see:
 * the write promised at that time and read by nobody before it was
 * made, which gives the reordered writes of 2+2W, S, R and MP+po+dmb.
 * Promises that another CPU reads before the write runs (load
 * buffering) are promise.c's: the caller offers them.
 *
 * Granularity: a location is an aligned 8-byte word; a message holds the
 * whole word after its write, so writes of parts of a word are ordered
 * with each other as writes of the word (stronger than the architecture's
 * per-byte coherence for mixed-size accesses to one word).
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "footprint.h"
#include "machine.h"
#include "order.h"
#include "util/sort.h"
#include "write.h"

int order_init(struct order *o)
{
	memset(o, 0, sizeof(*o));
	o->cur_ev = -1;
	return ord_slots_init(&o->slots, 64);
}

void order_destroy(struct order *o)
{
	ord_slots_destroy(&o->slots);
	ord_locs_free(&o->locs);
	ord_msgs_free(&o->msgs);
	ord_tsv_free(&o->cand);
	ord_reads_free(&o->reads);
	ord_reads_free(&o->walks);
	ord_reads_free(&o->twalks);
	ord_tlbis_free(&o->tlbis);
	ord_tlbis_free(&o->ltlbis);
	ord_xwrites_free(&o->xwrites);
	ord_tsv_free(&o->spec_seen);
	ord_proms_free(&o->proms);
}

void order_reset(struct order *o)
{
	ord_slots_reset(&o->slots);
	o->locs.n = 0;
	o->msgs.n = 0;
	o->reads.n = 0;
	o->walks.n = 0;
	o->twalks.n = 0;
	o->max_ts = 0;
	o->tlbis.n = 0;
	o->ltlbis.n = 0;
	o->xwrites.n = 0;
	o->proms.n = 0;
	memset(o->pending, 0, sizeof(o->pending));
	memset(o->read_pick, 0, sizeof(o->read_pick));
	o->infeasible = false;
	memset(o->walk_addr, 0, sizeof(o->walk_addr));
	memset(o->acc, 0, sizeof(o->acc));
	o->bound = 0;
	memset(o->v, 0, sizeof(o->v));
	o->newest = false;
	o->rmw_read = o->rmw_set = false;
	o->spec_seen.n = 0;
	order_event(o, -1);
}

bool order_untouched(const struct order *o)
{
	static const struct ord_views zero_v[VMSA_MAX_CPUS];
	static const uint64_t zero_addr[VMSA_MAX_CPUS];
	static const unsigned zero_pending[VMSA_MAX_CPUS];

	return !o->locs.n && !o->msgs.n && !o->reads.n && !o->walks.n &&
	       !o->twalks.n &&
	       !o->max_ts && !o->tlbis.n && !o->ltlbis.n && !o->xwrites.n &&
	       !o->proms.n &&
	       !o->spec_seen.n && !o->infeasible && !o->bound &&
	       !o->newest && !o->rmw_read && !o->rmw_set &&
	       !memcmp(o->v, zero_v, sizeof(zero_v)) &&
	       !memcmp(o->walk_addr, zero_addr, sizeof(zero_addr)) &&
	       !memcmp(o->pending, zero_pending, sizeof(zero_pending));
}

void order_event(struct order *o, int32_t ev)
{
	o->cur_ev = ev;
	o->wp_n = 0;
	o->free_place = false;
	o->rt_n = 0;
	o->rt_ok = false;
	o->rd_n = 0;
	o->rd_ok = false;
	o->rd_msgs0 = (uint32_t)o->msgs.n;
}

void order_read_newest(vmsa_machine_t *m)
{
	m->ord.newest = true;
}

void order_read_rmw(vmsa_machine_t *m)
{
	order_read_rmw_of(m, VMSA_PROMISE_STORE, VMSA_RMW_SWP, 0, 0, false);
}

void order_read_rmw_of(vmsa_machine_t *m, vmsa_promise_kind_t kind,
		       vmsa_rmw_op_t op, uint64_t arg, vmsa_view_t data,
		       bool noret)
{
	m->ord.rmw_noret = noret;
	m->ord.rmw_read = true;
	m->ord.rmw_kind = kind;
	m->ord.rmw_op = op;
	m->ord.rmw_arg = arg;
	m->ord.rmw_data = data;
}

static const struct ord_tlbi *tlbi_at(const struct order *o, uint64_t ts);
static bool read_fits(vmsa_machine_t *m, const struct ord_tlbi *t,
		      uint64_t pre, uint64_t ts);
static bool seen_by_a_read(const struct order *o, uint64_t word, uint64_t lo,
			   uint64_t hi, const struct ord_tlbi *t);

static struct ord_loc *find_loc(struct order *o, uint64_t word)
{
	struct ord_slot *s = ord_slots_find(&o->slots, word);

	return s ? &o->locs.p[s->idx] : NULL;
}

static inline uint64_t vmax(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static bool acquires(vmsa_order_t ord)
{
	return ord == VMSA_ORD_ACQ || ord == VMSA_ORD_ACQ_PC ||
	       ord == VMSA_ORD_ACQ_REL;
}

static bool releases(vmsa_order_t ord)
{
	return ord == VMSA_ORD_REL || ord == VMSA_ORD_ACQ_REL;
}

/* The size bytes at pa's offset in word value w. */
static uint64_t part(uint64_t w, uint64_t pa, unsigned size)
{
	w >>= (pa & 7) * 8;
	return size >= 8 ? w : w & ((1ull << (size * 8)) - 1);
}

/* The candidates a read may take, newest first, as timestamps (0: the
 * initial value): every message newer than `lo`, and the newest one at
 * or before it. Returns how many; cand has room for n_msgs + 1. */
static unsigned candidates(const struct order *o, const struct ord_loc *l,
			   uint64_t lo, uint64_t *cand)
{
	unsigned n = 0;

	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev) {
		cand[n++] = i;
		if (o->msgs.p[i - 1].ts <= lo)
			return n;
	}
	cand[n++] = 0;
	return n;
}

/* An atomic's read, which takes the newest message (o->cand.p[0]),
 * with a retired entry: order_retired_ok found that message one it may
 * read going before the TLBI, with the pre-view it knew then. Should
 * the read's own pre-view (its translation's view joined) exclude it,
 * the atomic cannot both be atomic and go before the TLBI: the
 * execution is not one of the architecture's (vmsa_infeasible). */
static void bound_newest(vmsa_machine_t *m, uint64_t pre)
{
	struct order *o = &m->ord;
	const struct ord_tlbi *bt = tlbi_at(o, o->bound);
	uint32_t mi = (uint32_t)o->cand.p[0];

	if (bt && !read_fits(m, bt, pre, mi ? o->msgs.p[mi - 1].ts : 0))
		o->infeasible = true;
}

/* The timestamp of the message of l just newer than message index+1 mi
 * (0: the initial value); UINT64_MAX when mi is the newest. */
static uint64_t next_in_loc(const struct order *o, const struct ord_loc *l,
			    uint32_t mi)
{
	uint64_t hi = UINT64_MAX;

	for (uint32_t i = l->last; i && i != mi; i = o->msgs.p[i - 1].prev)
		hi = o->msgs.p[i - 1].ts;
	return hi;
}

uint32_t order_msg_below(const struct order *o, uint64_t word, uint64_t ts,
			 uint64_t *value)
{
	const struct ord_slot *sl = ord_slots_find(&o->slots, word);
	const struct ord_loc *l = sl ? &o->locs.p[sl->idx] : NULL;
	uint32_t i = l ? l->last : 0;

	while (i && o->msgs.p[i - 1].ts >= ts)
		i = o->msgs.p[i - 1].prev;
	*value = i ? o->msgs.p[i - 1].value : l ? l->init : 0;
	return i;
}

/* The smallest timestamp of a message above a (UINT64_MAX: none). */
static uint64_t next_ts(const struct order *o, uint64_t a)
{
	uint64_t b = UINT64_MAX;

	for (unsigned i = 0; i < o->msgs.n; i++)
		if (o->msgs.p[i].ts > a && o->msgs.p[i].ts < b)
			b = o->msgs.p[i].ts;
	return b;
}

/*
 * May an atomic whose write is ordered after lo read the message of
 * word just below hi (UINT64_MAX: the newest, after which its write is
 * appended)? Its write must then take a place above lo and at or below
 * hi, between two timestamps with room between them that no read saw
 * (write_places() offers the same places).
 */
static bool rmw_room(const struct order *o, uint64_t word, uint64_t lo,
		     uint64_t hi)
{
	if (hi == UINT64_MAX)
		return true;
	for (uint64_t a = lo, b; a < hi; a = b) {
		b = next_ts(o, a);
		if (b - a >= 2 && !seen_by_a_read(o, word, a, b, NULL))
			return true;
	}
	return false;
}

/* The message (index + 1; 0: none) of r's word right after the one r
 * read, in the word's order. */
static uint32_t msg_after_read(const struct order *o, const struct ord_read *r)
{
	const struct ord_slot *sl = ord_slots_find(&o->slots, r->word);
	uint32_t i, next = 0;
	uint64_t w;

	if (!sl)
		return 0;
	i = order_msg_below(o, r->word, r->t + 1, &w);
	for (uint32_t k = o->locs.p[sl->idx].last; k && k != i;
	     k = o->msgs.p[k - 1].prev)
		next = k;
	return next;
}

bool order_stxr_blocked(const vmsa_machine_t *m, int cpu, uint32_t read,
			uint64_t pre)
{
	const struct order *o = &m->ord;
	uint32_t next;

	if (read >= o->reads.n)
		return false;
	/* None: the read took the newest, and the STXR's write is
	 * appended after it. */
	next = msg_after_read(o, &o->reads.p[read]);
	if (!next || o->msgs.p[next - 1].cpu == cpu)
		return false;
	return !rmw_room(o, o->reads.p[read].word,
			 vmax(pre, o->reads.p[read].t), o->msgs.p[next - 1].ts);
}

void order_stxr_place(vmsa_machine_t *m, uint32_t read, uint64_t pre)
{
	struct order *o = &m->ord;
	const struct ord_read *r;
	uint32_t next;

	if (read >= o->reads.n)
		return;
	r = &o->reads.p[read];
	next = msg_after_read(o, r);
	o->rmw_hi = next ? o->msgs.p[next - 1].ts : UINT64_MAX;
	/* No room right after its read (a store of the CPU's own came
	 * between: it leaves the mark): the pair is not atomic, and its
	 * write is appended as before. */
	o->rmw_set = rmw_room(o, r->word, vmax(pre, r->t), o->rmw_hi);
	o->rmw_prom = 0;
	o->rmw_lo = r->t;
}

/* Remember a read of word that read the message at t, no earlier than
 * lo: later writes are not placed where it would have had to see them
 * (order_write_ts). */
static void note_read(vmsa_machine_t *m, int cpu, uint64_t word,
		      uint64_t t, uint64_t lo)
{
	if (ord_reads_push(&m->ord.reads, (struct ord_read){word, t, lo, cpu,
							     m->step}))
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the reads made");
}

/*
 * The message (index + 1; 0: the initial value) a read of l's word with
 * lower bound lo and pre-view pre takes: an explorer choice among the
 * candidates (option 0 the newest; only the newest when `newest`). An
 * atomic (rmw: its write ordered after wpre) takes an older one only
 * where its write has room right after it, before the word's next
 * message (B2.3.1, rmw_room); a CAS (rmw_old) any as a failed CAS (a
 * value that differs: no write). An access using a retired entry reads
 * what it may read going before the TLBI (read_fits; order_retired_ok
 * made sure there is one: else the oldest candidate).
 */
static uint32_t choose_msg(vmsa_machine_t *m, const struct ord_loc *l,
			   uint64_t pa, unsigned size, uint64_t lo,
			   uint64_t pre, bool newest, bool rmw, uint64_t wpre,
			   const uint64_t *rmw_old)
{
	struct order *o = &m->ord;
	uint64_t word = pa & ~7ull, *cand = o->cand.p;
	unsigned n, k = 0, keep = 0;

	n = candidates(o, l, lo, cand);
	for (unsigned i = 0; i < n; i++) {
		uint32_t ci = (uint32_t)cand[i];
		uint64_t w = ci ? o->msgs.p[ci - 1].value : l->init;
		bool fails = rmw_old && part(w, pa, size) != *rmw_old;

		if (i == 0 || (!rmw_old && !rmw) || fails ||
		    (rmw && rmw_room(o, word, vmax(wpre, ci ?
				     o->msgs.p[ci - 1].ts : 0),
				     next_in_loc(o, l, ci))))
			cand[keep++] = cand[i];
	}
	n = keep;
	if (o->bound && newest)
		bound_newest(m, pre);
	else if (o->bound) {
		const struct ord_tlbi *bt = tlbi_at(o, o->bound);

		for (unsigned i = keep = 0; bt && i < n; i++)
			if (read_fits(m, bt, pre, cand[i] ?
				      o->msgs.p[cand[i] - 1].ts : 0))
				cand[keep++] = cand[i];
		if (!keep)
			cand[keep++] = cand[n - 1];
		n = keep;
	}
	if (!newest)
		k = choose(m, n, "read: which write");
	return (uint32_t)cand[k];
}

/*
 * What a read by cpu of the message at timestamp t of location l depends
 * on: t, or for the CPU's own last write there (forwarding: Promising-
 * ARM's read-view) that write's forwarding view, joined for an acquire
 * (A or Q) with the view of the read of the atomic or store-exclusive
 * that made it (Atomic-ordered-before, [Exp & M]; rmw; lmrs; [(Exp & R
 * & A) | (Exp & R & Q)], B2.3.7). The read's pick view (vmsa_read_pick)
 * is the write's fwd_pick then, else 0.
 */
static uint64_t forwarded(struct order *o, const struct ord_loc *l, int cpu,
			  uint64_t t, vmsa_order_t ord)
{
	bool fwd = l && t && l->fwd_ts[cpu] == t;

	o->read_pick[cpu] = fwd ? l->fwd_pick[cpu] : 0;
	if (!fwd)
		return t;
	return acquires(ord) ? vmax(l->fwd_view[cpu], l->fwd_acq[cpu]) :
			       l->fwd_view[cpu];
}

/*
 * A read with a pick dependency (pick: the one it took by forwarding) is
 * ordered after it only for writes (B2.3.7, "Pick-locally-ordered-
 * before": pick-dep; lob; [Exp & W]): the writes its acquire orders, and
 * those a later DMB or DSB that orders it (rpk, rpk_ld) or a release
 * orders.
 */
static void read_picked(struct ord_views *v, uint64_t pick, vmsa_order_t ord,
			bool noret)
{
	if (!pick)
		return;
	v->rpk = vmax(v->rpk, pick);
	if (!noret)
		v->rpk_ld = vmax(v->rpk_ld, pick);
	if (acquires(ord))
		v->wnew = vmax(v->wnew, pick);
}

uint64_t order_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t now, vmsa_order_t ord, vmsa_view_t addr,
		    const uint64_t *rmw_old, vmsa_view_t *view)
{
	struct order *o = &m->ord;
	struct ord_views *v = &o->v[cpu];
	uint64_t word = pa & ~7ull;
	uint64_t pre = vmax(addr, v->rnew), t, lo, post, val = now, wpre = 0;
	int64_t pm = -1;
	uint32_t prom = 0;
	struct ord_loc *l;
	bool newest = o->newest, atomic = o->rmw_read, rmw = atomic;
	bool noret = atomic && o->rmw_noret;

	o->newest = o->rmw_read = o->rmw_set = false;
	o->rmw_prom = 0;
	/* An RCsc acquire is ordered after the CPU's release writes
	 * (B2.3.7, "Barrier-ordered-before": [L]; po; [A]). */
	if (ord == VMSA_ORD_ACQ || ord == VMSA_ORD_ACQ_REL)
		pre = vmax(pre, v->rel);
	l = find_loc(o, word);
	lo = vmax(pre, l ? l->coh[cpu] : 0);
	/* Where the atomic's write may go at the earliest: after what
	 * orders it and after its read's pre-view (rmw_room, a promise it
	 * fulfils). */
	if (rmw && !o->bound)
		wpre = vmax(order_write_pre(m, cpu, word, ord, addr,
					    o->rmw_data), pre);
	/* One that fulfils a promise of its CPU reads the write just
	 * before it (promise.c), also of a descriptor. */
	if (rmw && !o->bound && l && o->pending[cpu] &&
	    o->rmw_kind != VMSA_PROMISE_STORE)
		pm = order_rmw_promise(m, cpu, pa, size, lo, wpre, rmw_old,
				       &prom);
	/* Else an atomic of a descriptor reads the newest message (its
	 * write is a descriptor store, which stays its word's newest:
	 * rule 4), and so does one through a retired entry
	 * (bound_newest). */
	if (rmw && pm < 0 && (o->bound || is_table_slot(m, word))) {
		rmw = false;
		newest = newest || !rmw_old;
	}
	if (!l) {
		t = 0; /* only the initial value: no choice */
		/* (its write is appended: rmw_write_ts) */
		if (rmw) {
			o->rmw_set = true;
			o->rmw_lo = 0;
			o->rmw_hi = UINT64_MAX;
		}
	} else {
		uint32_t mi;

		mi = pm >= 0 ? (uint32_t)pm :
			       choose_msg(m, l, pa, size, lo, pre, newest, rmw,
					  wpre, rmw_old);
		t = mi ? o->msgs.p[mi - 1].ts : 0;
		/* The read rule's record (dpor_read_redundant): a read
		 * of an older message than the newest (else there is
		 * nothing to move it before); its caller clears rd_ok for
		 * a non-cacheable read or an atomic's. No line stale so
		 * far: a cacheable read of the word, when its message is
		 * the newest, returns memory. */
		o->rd_n++;
		o->rd_ok = mi != l->last && !newest && !rmw_old &&
			   !atomic && !o->bound && !m->cache.stale_seen;
		o->rd_word = word;
		o->rd_ts = t;
		/* Memory (now) holds the newest message's value only: any
		 * other message read gives its own value, also when a
		 * retired entry's filter above left an older one first
		 * (else the read would return the newest value with an
		 * older timestamp, and the CPU's coherence view would stay
		 * behind what it read: CoRR broken). */
		if (mi != l->last)
			val = part(mi ? o->msgs.p[mi - 1].value : l->init, pa,
				   size);
		if ((rmw || pm >= 0) && !(rmw_old && val != *rmw_old)) {
			o->rmw_set = true;
			o->rmw_lo = t;
			o->rmw_hi = next_in_loc(o, l, mi);
			o->rmw_prom = prom;
		}
	}
	/* Later writes must not be placed where this read would have had
	 * to see them. */
	note_read(m, cpu, word, t, lo);
	post = vmax(pre, forwarded(o, l, cpu, t, ord));
	if (l) {
		l->coh[cpu] = vmax(l->coh[cpu], post);
		l->rd_ts[cpu] = vmax(l->rd_ts[cpu], t);
	}
	v->rold = vmax(v->rold, post);
	if (!noret)
		v->rld = vmax(v->rld, post);
	v->cap = vmax(v->cap, addr);
	if (acquires(ord)) {
		v->rnew = vmax(v->rnew, post);
		v->wnew = vmax(v->wnew, post);
		v->wrnew = vmax(v->wrnew, post);
	}
	read_picked(v, o->read_pick[cpu], ord, noret);
	if (view)
		*view = post;
	return val;
}

/* How many of the n candidates (newest first) remain when the read is
 * ordered after `floor` too: those newer than floor and the newest one at
 * or before it. */
static unsigned newer_than(const struct order *o, const uint64_t *cand,
			   unsigned n, uint64_t floor)
{
	unsigned k = 0;

	while (k < n && cand[k] && o->msgs.p[cand[k] - 1].ts > floor)
		k++;
	return k < n ? k + 1 : n;
}

/*
 * A Tag Check's read of an Allocation Tag (order.h). B2.3 (herd7's
 * aarch64hwreqs.cat) orders an Implicit Tag Memory Read Effect after:
 * its address dependency (addr reaches Imp & Tag & R), DMB FULL and DMB
 * LD after reads, DSBs, acquires and IFBs after addresses and branches:
 * vrNew; its CPU's earlier tag stores of the granule (coWR-MTE), not its
 * earlier reads of it (this read leaves the coherence view alone: no
 * coRR between tag reads, herd's MTE-CoRR+READS is Allowed). With ETS3,
 * ETS-ordered-before adds [Exp & M]; po; [TagCheck & EXC-ENTRY];
 * tc-ib^-1; [Imp & Tag & R]: a read whose tag differs from the Logical
 * Address Tag (it faults) is also ordered after every earlier explicit
 * access (order_ets_floor): the candidates older than that are kept only
 * when their tag matches.
 */
uint64_t order_tag_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			uint64_t now, vmsa_view_t addr, unsigned logical,
			vmsa_view_t *view)
{
	struct order *o = &m->ord;
	struct ord_views *v = &o->v[cpu];
	uint64_t word = pa & ~7ull, pre = vmax(addr, v->rnew), lo, t = 0;
	uint64_t val = now, post;
	struct ord_loc *l = find_loc(o, word);
	bool fault = (now & 0xf) != (logical & 0xf);

	/* (o->newest, a wait's read, is the data read's, made next.)
	 * coWR-MTE: at or after the CPU's own last tag store there (its
	 * forwarding bank: its writes of a word are in coherence order),
	 * not the coherence view, which an LDG (an explicit read of the
	 * word, vmsa_tag_load) raises too: herd orders no explicit tag read
	 * before a later implicit one. */
	lo = vmax(pre, l ? l->fwd_ts[cpu] : 0);
	if (l) {
		uint64_t *cand = o->cand.p, ets = order_ets_floor(m, cpu);
		unsigned n = candidates(o, l, lo, cand), keep = 0, k, after;
		uint32_t mi;

		after = m->f.ets3 ? newer_than(o, cand, n, ets) : n;
		for (unsigned i = 0; i < n; i++) {
			uint64_t w = cand[i] ? o->msgs.p[cand[i] - 1].value :
					       l->init;

			if (i < after || (part(w, pa, 8) & 0xf) ==
						 (logical & 0xf))
				cand[keep++] = cand[i];
		}
		k = choose(m, keep, "tag check: which Allocation Tag write");
		mi = (uint32_t)cand[k];
		t = mi ? o->msgs.p[mi - 1].ts : 0;
		val = part(mi ? o->msgs.p[mi - 1].value : l->init, pa, 8);
		fault = (val & 0xf) != (logical & 0xf);
		/* A faulting read is ordered after the floor too. */
		if (m->f.ets3 && fault)
			pre = vmax(pre, ets), lo = vmax(lo, ets);
	} else if (m->f.ets3 && fault) {
		pre = vmax(pre, order_ets_floor(m, cpu));
	}
	/* Later writes must not be placed where it would have had to see
	 * them (as order_read). */
	note_read(m, cpu, word, t, lo);
	post = l && t && l->fwd_ts[cpu] == t ? l->fwd_view[cpu] : t;
	post = vmax(pre, post);
	/* Tag-Check-before: the checked access's later writes, and after
	 * an IFB (the fault's exception entry among them) every later
	 * Effect, are ordered after the read (dob, IFB-ob): vCAP. A DMB
	 * FULL or LD, a DSB or a release orders it before later accesses
	 * (bob, DSB-ob): v->tag, joined where rold is. */
	v->cap = vmax(v->cap, post);
	v->tag = vmax(v->tag, post);
	if (view)
		*view = post;
	return val;
}

/* Would a write to word at a timestamp between lo and hi (exclusive,
 * no message in between) have had to be read by a read already made?
 * With t (the write goes before TLBI t, order_retired_ok), the reads
 * t's issuer made after t too: TLBI-ordered-before orders the write
 * before everything after t's DSB (B2.3.7), where the issuer's views
 * hold only what order_retired_write adds. */
static bool seen_by_a_read(const struct order *o, uint64_t word, uint64_t lo,
			   uint64_t hi, const struct ord_tlbi *t)
{
	for (unsigned i = 0; i < o->reads.n; i++) {
		const struct ord_read *r = &o->reads.p[i];

		if (r->word == word && r->t <= lo &&
		    (r->lo >= hi ||
		     (t && r->cpu == t->cpu && r->step > t->step)))
			return true;
	}
	return false;
}

/* Did a walk of another CPU than cpu read word at or before lo and was
 * it ordered after hi (its floor: ttd, with ETS2 or ETS3 the CPU's
 * explicit accesses, order_walk_read)? A hardware update of word placed
 * in (lo, hi] would then have had to be what it read (herd's
 * TLBuncacheable-ca and TTD-observed-by: NT-07-af with a DSB SY for
 * P0's DMB ST, ETS2, Forbidden). */
static bool seen_by_a_walk(const struct order *o, uint64_t word, uint64_t lo,
			   uint64_t hi, int cpu)
{
	for (unsigned i = 0; i < o->walks.n; i++) {
		const struct ord_read *r = &o->walks.p[i];

		if (r->word == word && r->cpu != cpu && r->t <= lo &&
		    r->lo >= hi)
			return true;
	}
	return false;
}

/* The completed TLBI at place ts (NULL: none). */
static const struct ord_tlbi *tlbi_at(const struct order *o, uint64_t ts)
{
	for (unsigned i = 0; ts && i < o->tlbis.n; i++)
		if (o->tlbis.p[i].ts == ts)
			return &o->tlbis.p[i];
	return NULL;
}

/* Is there a write (to word; ORD_FENCE: to any location) in (lo, hi]? */
static bool msg_between(const struct order *o, uint64_t word, uint64_t lo,
			uint64_t hi)
{
	for (unsigned i = 0; lo < hi && i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->word != ORD_FENCE && (word == ORD_FENCE || g->word == word) &&
		    g->ts > lo && g->ts <= hi)
			return true;
	}
	return false;
}

/*
 * May an access whose view (what is ordered before it, itself included)
 * is p go before TLBI t, which completed already? TLBI-ordered-before
 * orders it, and so p, before everything after t's DSB (B2.3.7): the
 * reads t's issuer made since must not have read anything older than p
 * holds, and the TLBIs it issued since must be ordered after p (their
 * views, which decide what later walks must see: order_tlbi_coh_step;
 * herd's Artem3+TLBIx-TLBIy+dmb.sy+dmb.ld Forbidden). What comes after
 * the access is ordered after p by order_retired_access.
 *
 * The answer depends on the issuer's steps since t and on the messages
 * between their views and p, which the step must record for the
 * reduction: the issuer's later read, TLBI or DSB made in the other
 * order (after the access) would find the access joined into its views
 * (order_retired_access), a dependency; made before, it is what makes
 * the answer "no", and without a record the access would be
 * independent of it and the order where it fits never tried. So the
 * step writes the issuer's views (every step of the issuer reads them)
 * when a step of the issuer since t is looked at, and reads the lines
 * of the words (a store records its line or its word) or, for a TLBI's
 * view, the order of all writes, whose messages the check compares: as
 * issuer_reads_fp() (tlbi_late.c) for a walk TLBI-before such a TLBI.
 */
static void issuer_looked(vmsa_machine_t *m, const struct ord_tlbi *t)
{
	if (t->cpu != m->step_cpu)
		fp_obj(m, FP_OBJ_VIEWS + (unsigned)t->cpu, true);
}

static bool fits_before(vmsa_machine_t *m, const struct ord_tlbi *t,
			uint64_t p)
{
	const struct order *o = &m->ord;
	const struct tlbi_vec *pend = &m->cpu[t->cpu].pending_tlbi;
	bool looked = false, fences = false, ok = true;

	for (unsigned i = 0; ok && i < o->reads.n; i++) {
		const struct ord_read *r = &o->reads.p[i];

		if (r->cpu != t->cpu || r->step <= t->step)
			continue;
		looked = true;
		fp_line(m, r->word, false);
		ok = !msg_between(o, r->word, r->t, p);
	}
	for (unsigned i = 0; ok && i < o->tlbis.n; i++) {
		const struct ord_tlbi *u = &o->tlbis.p[i];

		if (u->cpu != t->cpu || u->step <= t->step)
			continue;
		looked = fences = true;
		ok = !msg_between(o, ORD_FENCE, u->view, p);
	}
	for (unsigned i = 0; ok && i < pend->n; i++) {
		if (pend->p[i].step <= t->step)
			continue;
		looked = fences = true;
		ok = !msg_between(o, ORD_FENCE, pend->p[i].view, p);
	}
	/* Its walks ordered after t's DSB, which the join orders after p
	 * too (join_after_tlbi): as its reads. */
	if (ok && order_walks_missed(m, t->cpu, t->step, p, &looked))
		ok = false;
	if (looked)
		issuer_looked(m, t);
	if (fences)
		fp_obj(m, FP_OBJ_ORDER, false);
	return ok;
}

/* May a read with pre-view pre going before TLBI t read the message at
 * ts? */
static bool read_fits(vmsa_machine_t *m, const struct ord_tlbi *t,
		      uint64_t pre, uint64_t ts)
{
	return ts < t->ts && fits_before(m, t, vmax(pre, ts));
}

/* The timestamps of the messages in (lo, hi], oldest first, into g
 * (o->cand, which holds one for every message); returns how many. */
static unsigned ts_between(const struct order *o, uint64_t lo, uint64_t hi,
			   uint64_t *g)
{
	unsigned k = 0;

	for (unsigned i = 0; i < o->msgs.n; i++)
		if (o->msgs.p[i].ts > lo && o->msgs.p[i].ts <= hi)
			g[k++] = o->msgs.p[i].ts;
	u64_sort(g, k);
	return k;
}

/* The first of the k sorted timestamps g that is at least ts (k when
 * none): a message's predecessor among them, found once per message
 * kept, not by a scan (fence_place: quadratic in the messages). */
static unsigned ts_lower_bound(const uint64_t *g, unsigned k, uint64_t ts)
{
	unsigned lo = 0, hi = k;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (g[mid] < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The places a write of word after pre may take before a newer message
 * (at or before top, and with t at or before t's place), newest first, into o->cand
 * after the k timestamps they are bounded by. Returns how many; *tight
 * when two timestamps left no room between them. */
static unsigned write_places(vmsa_machine_t *m, uint64_t word, uint64_t pre,
			     const struct ord_tlbi *t, uint64_t top,
			     unsigned *kp, bool *tight)
{
	struct order *o = &m->ord;
	uint64_t *g = o->cand.p;

	if (t && t->ts < top)
		top = t->ts;
	unsigned k = 0, n = 0;

	*tight = false;
	/* seen_by_a_read() looks at t's issuer's reads of word since t
	 * (fits_before() says why that is recorded). */
	for (unsigned i = 0; t && i < o->reads.n; i++)
		if (o->reads.p[i].cpu == t->cpu && o->reads.p[i].word == word &&
		    o->reads.p[i].step > t->step) {
			issuer_looked(m, t);
			break;
		}
	/* The timestamps after pre, oldest first: a new one may go just
	 * before each of them. */
	k = ts_between(o, pre, top, g);
	/* Keep, newest first, the places no read saw; written over g from
	 * the end (each keeps its upper bound). */
	for (unsigned i = k; i-- > 0;) {
		uint64_t lo = i ? g[i - 1] : pre, hi = g[i];

		if (seen_by_a_read(o, word, lo, hi, t))
			continue;
		if (hi - lo < 2) {
			*tight = true;
			continue;
		}
		if (t && !fits_before(m, t, lo + (hi - lo) / 2))
			continue;
		g[k + n++] = lo + (hi - lo) / 2;
	}
	*kp = k;
	return n;
}

/* Is there a message of l newer than ts? */
static bool newer_in_loc(const struct order *o, const struct ord_loc *l,
			 uint64_t ts)
{
	return l && l->last && o->msgs.p[l->last - 1].ts > ts;
}

uint64_t order_write_pre(const vmsa_machine_t *m, int cpu, uint64_t word,
			 vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data)
{
	const struct ord_views *v = &m->ord.v[cpu];
	const struct ord_slot *s = ord_slots_find(&m->ord.slots, word);
	const struct ord_loc *l = s ? &m->ord.locs.p[s->idx] : NULL;
	uint64_t pre;

	/* The write orders after its dependencies, barriers, earlier
	 * addresses and branches, and (release) everything before it
	 * (B2.3.7); after every write or read of its location it saw. */
	pre = vmax(vmax(addr, data), vmax(v->cap, v->wnew));
	if (releases(ord))
		pre = vmax(pre, vmax(vmax(v->rold, v->tag),
				     vmax(v->wold, v->rpk)));
	if (l)
		pre = vmax(pre, l->coh[cpu]);
	return pre;
}

/*
 * Where a descriptor store may go at the earliest: after what orders an
 * explicit write (pre), and where it stays its word's newest message,
 * so memory, the walks' histories (rule 4), the TLBs and the
 * break-before-make checks see what an appended store gives; only its
 * order against other locations' messages moves (B2.3.7 orders two
 * stores of one CPU to different locations only by barriers,
 * dependencies and release: herd's 2+2WNExpExp+NExpExp). Not before a
 * walk that read the word and was ordered after that place (ttd: its
 * TLBUncacheable-coherence, order_newest_step, would have had to see
 * it), nor before a completed TLBI's view (TLBI-coherence-after would
 * then order the TLBI after a store it was issued before).
 */
static uint64_t desc_store_floor(const struct order *o,
				 const struct ord_loc *l, uint64_t word,
				 uint64_t pre)
{
	if (l && l->last)
		pre = vmax(pre, o->msgs.p[l->last - 1].ts);
	for (unsigned i = 0; i < o->walks.n; i++)
		if (o->walks.p[i].word == word)
			pre = vmax(pre, o->walks.p[i].lo);
	for (unsigned i = 0; i < o->tlbis.n; i++)
		pre = vmax(pre, o->tlbis.p[i].view);
	return pre;
}

/*
 * Does a write or fence of cpu made now need a place just below message
 * g (one made before it in step order), rather than leaving that order
 * to the interleavings where g's step comes after its own? Not when g's
 * CPU made nothing after it: the search also runs the order where g's
 * step comes later (both write the order of writes, FP_OBJ_ORDER: they
 * are dependent), and there the write or fence, appended, is below g.
 * When g's CPU went on to make another message, g's step is an ancestor
 * of this one whenever that later message is (read by this CPU, or
 * through another CPU), and only a place below g gives this CPU that
 * order (diy7's S003: P0's second store, read by P1 before its TLBI).
 * g is cpu's own by program order. Not below a message of no CPU (-1: a
 * speculative AF update, made at the step of the write it follows,
 * when the model offers it): left open, see docs/model.md, "A fence's
 * place in memory's order".
 */
static bool may_precede(const uint64_t *newest, int cpu,
			const struct ord_msg *g)
{
	if (g->cpu == cpu)
		return true;
	return g->cpu >= 0 && newest[g->cpu] > g->step;
}

/* The step of each CPU's newest message (0: none), what may_precede()
 * compares with: one pass, not one per message looked at. */
static void newest_steps(const struct order *o, uint64_t *newest)
{
	memset(newest, 0, VMSA_MAX_CPUS * sizeof(*newest));
	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->cpu >= 0 && g->step > newest[g->cpu])
			newest[g->cpu] = g->step;
	}
}

/*
 * Is there a message after ts that a descriptor store of cpu may need to
 * precede (may_precede)? Only then is its earliest place offered: other
 * messages are left to the interleavings where it runs before them
 * (fewer places, each one more choice per store). Two stores in the
 * other order than program order, or a store before another CPU's write
 * that this CPU observed a later write of (diy7's S003 with a descriptor
 * store and DSB in place of the TLBI).
 */
static bool msg_to_precede(const struct order *o, int cpu, uint64_t ts)
{
	uint64_t newest[VMSA_MAX_CPUS];

	newest_steps(o, newest);
	for (unsigned i = 0; i < o->msgs.n; i++)
		if (o->msgs.p[i].ts > ts &&
		    may_precede(newest, cpu, &o->msgs.p[i]))
			return true;
	return false;
}

/*
 * The place of an atomic's write, whose read took the message just below
 * hi (order_read; UINT64_MAX: the newest) and whose pre-view pre holds
 * that message: option 0 the newest place it may take (appended after
 * the newest message), the others each earlier place up to right after
 * pre, as a plain write's (Promising-ARM promises an RMW's write like
 * any other; B2.3.1 only keeps other writes of the word from coming
 * between its read and its write). Such a place is not one the event
 * could take again (ord_msg.fixed: not a free place).
 */
static uint64_t rmw_write_ts(vmsa_machine_t *m, int cpu, uint64_t word,
			     const struct ord_loc *l, uint64_t pre,
			     uint64_t hi, bool *newest)
{
	struct order *o = &m->ord;
	bool append = hi == UINT64_MAX, tight;
	unsigned k, n, pick;
	uint64_t ts;

	if (append && o->max_ts <= pre)
		return o->max_ts + ORD_GAP;
	n = write_places(m, word, pre, NULL, hi, &k, &tight);
	if (tight || (!append && !n)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: no timestamp left between "
			  "two writes (ORD_GAP in src/model/order.h)");
		return o->max_ts + ORD_GAP;
	}
	pick = choose(m, n + append, "atomic write: which place in "
		      "memory's order");
	if (append && !pick)
		return o->max_ts + ORD_GAP;
	ts = o->cand.p[k + pick - append];
	*newest = !newer_in_loc(o, l, ts);
	return ts;
}

uint64_t order_write_ts(vmsa_machine_t *m, int cpu, uint64_t word,
			vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data,
			enum ord_place place, bool *newest)
{
	struct order *o = &m->ord;
	struct ord_loc *l = find_loc(o, word);
	uint64_t pre = order_write_pre(m, cpu, word, ord, addr, data);
	const struct ord_tlbi *t = tlbi_at(o, o->bound);
	unsigned k = 0, n = 0, pick;
	bool tight = false;
	uint64_t ts;
	bool rmw = o->rmw_set && place == ORD_PLACE_APPEND;

	o->rmw_set = false;
	*newest = true;
	if (rmw)
		return rmw_write_ts(m, cpu, word, l, pre, o->rmw_hi, newest);
	/* A write using a retired entry goes before the TLBI that removed
	 * it (order_retired_ok found a place: none is left only for a
	 * descriptor store or a word it did not know, which then go as any
	 * write). An atomic's write too: its pre-view holds the newest
	 * message of the word, which its read took, so every such place
	 * follows that read with no write of the word between. */
	if (t && (place == ORD_PLACE_NEWEST ||
		  !(n = write_places(m, word, pre, t, UINT64_MAX, &k,
				     &tight))))
		t = NULL;
	if (t) {
		ts = o->cand.p[k + choose(m, n, "write: which place before "
					       "the TLBI")];
		*newest = !newer_in_loc(o, l, ts);
		return ts;
	}
	if (place == ORD_PLACE_NEWEST)
		pre = desc_store_floor(o, l, word, pre);
	if (place == ORD_PLACE_APPEND || o->max_ts <= pre ||
	    (place == ORD_PLACE_NEWEST && !msg_to_precede(o, cpu, pre)))
		return o->max_ts + ORD_GAP;
	n = write_places(m, word, pre, NULL, UINT64_MAX, &k, &tight);
	if (tight) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: no timestamp left between "
			  "two writes (ORD_GAP in src/model/order.h)");
		return o->max_ts + ORD_GAP;
	}
	/* A descriptor store: appended or its earliest place only, as a
	 * hardware update (hw_write_ts): each place in between costs
	 * executions (one more choice per store) and gives walks a view
	 * between those two. Option 0 appends. */
	if (place == ORD_PLACE_NEWEST && n > 1) {
		o->cand.p[k] = o->cand.p[k + n - 1];
		n = 1;
	}
	pick = choose(m, n + 1, place == ORD_PLACE_NEWEST ?
			  "descriptor store: appended or at its earliest "
			  "place in memory's order" :
			  "write: which place in memory's order");
	if (!pick)
		return o->max_ts + ORD_GAP;
	ts = o->cand.p[k + pick - 1];
	*newest = !newer_in_loc(o, l, ts);
	if (place == ORD_PLACE_ANY)
		o->free_place = true;
	return ts;
}

bool order_retired_ok(vmsa_machine_t *m, int cpu, uint64_t word,
		      bool write, uint64_t bound)
{
	struct order *o = &m->ord;
	const struct ord_tlbi *t = tlbi_at(o, bound);
	const struct ord_loc *l = word == UINT64_MAX ? NULL : find_loc(o, word);
	const struct ord_acc *a = &o->acc[cpu];
	unsigned k;
	bool tight;
	uint64_t pre;

	if (!a->retire || !t)
		return false;
	/* The answer looks at the word's messages and reads, and for a
	 * write at the order of all writes: whether the translation may use
	 * the retired entry depends on them even when the access, sent
	 * elsewhere by a newer entry, then never touches the word. */
	if (word != UINT64_MAX)
		fp_word(m, word, false);
	if (write)
		fp_obj(m, FP_OBJ_ORDER, false);
	/* An atomic: its read takes the word's newest message (it is
	 * atomic: B2.3.1), which must be one it may read going before the
	 * TLBI; then a place for its write, as any write's. */
	if (a->rmw) {
		uint64_t newest = l && l->last ? o->msgs.p[l->last - 1].ts : 0;

		pre = vmax(a->addr, o->v[cpu].rnew);
		if (a->ord == VMSA_ORD_ACQ || a->ord == VMSA_ORD_ACQ_REL)
			pre = vmax(pre, o->v[cpu].rel);
		if (word == UINT64_MAX || !read_fits(m, t, pre, newest))
			return false;
	}
	/* A read: a message it may read going before the TLBI (order_read's
	 * candidates). */
	if (!write) {
		uint64_t *cand = o->cand.p;
		unsigned n;

		pre = vmax(a->addr, o->v[cpu].rnew);
		if (a->ord == VMSA_ORD_ACQ || a->ord == VMSA_ORD_ACQ_REL)
			pre = vmax(pre, o->v[cpu].rel);
		if (!l)
			return read_fits(m, t, pre, 0);
		n = candidates(o, l, vmax(pre, l->coh[cpu]), cand);
		for (unsigned i = 0; i < n; i++)
			if (read_fits(m, t, pre, cand[i] ?
				      o->msgs.p[cand[i] - 1].ts : 0))
				return true;
		return false;
	}
	pre = order_write_pre(m, cpu, word, a->ord, a->addr, a->data);
	if (pre >= bound)
		return false;
	return word == UINT64_MAX ||
	       write_places(m, word, pre, t, UINT64_MAX, &k, &tight) > 0;
}

bool order_retired_access(vmsa_machine_t *m, uint64_t ts)
{
	const struct ord_tlbi *t = tlbi_at(&m->ord, m->ord.bound);

	if (!t || ts >= t->ts)
		return false;
	/* TLBI-ordered-before: the access is ordered before everything
	 * after the issuer's DSB, as xlat_before orders the accesses
	 * translated before the TLBI completed. */
	order_tlbi_ob_join(m, t->cpu, t->step, ts);
	return true;
}

uint64_t order_word_before(vmsa_machine_t *m, uint64_t word, uint64_t ts,
			   uint64_t mem)
{
	const struct order *o = &m->ord;
	const struct ord_loc *l = find_loc(&m->ord, word);

	if (!l)
		return mem;
	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].ts < ts)
			return o->msgs.p[i - 1].value;
	return l->init;
}

/* What a write of cpu at timestamp t changes in the CPU's views: its
 * coherence view and forwarding bank there, vwOld, vCAP (its address),
 * vRel for a release. */
static void cpu_wrote(struct ord_views *v, struct ord_loc *l, int cpu,
		      uint64_t t, vmsa_order_t ord, vmsa_view_t addr,
		      vmsa_view_t data)
{
	l->coh[cpu] = vmax(l->coh[cpu], t);
	l->fwd_ts[cpu] = t;
	l->fwd_view[cpu] = vmax(addr, data);
	l->fwd_pick[cpu] = 0;
	l->fwd_acq[cpu] = 0;
	v->wold = vmax(v->wold, t);
	v->cap = vmax(v->cap, addr);
	if (releases(ord))
		v->rel = vmax(v->rel, t);
}

void order_fwd_set(vmsa_machine_t *m, int cpu, uint64_t word,
		   vmsa_view_t view, vmsa_view_t pick, vmsa_view_t acq)
{
	struct ord_loc *l;

	if (!m->f.relaxed || m->stopped || cpu < 0)
		return;
	l = find_loc(&m->ord, word);
	if (!l)
		return;
	l->fwd_view[cpu] = view;
	l->fwd_pick[cpu] = pick;
	l->fwd_acq[cpu] = acq;
}

void order_wrote(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t t,
		 vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data)
{
	struct ord_loc *l = find_loc(&m->ord, word);

	fp_obj(m, FP_OBJ_ORDER, false);
	if (l)
		cpu_wrote(&m->ord.v[cpu], l, cpu, t, ord, addr, data);
}

/* Link message index+1 `mi` into l's chain, newest first. */
static void link_msg(struct order *o, struct ord_loc *l, uint32_t mi)
{
	uint64_t ts = o->msgs.p[mi - 1].ts;
	uint32_t *at = &l->last;

	while (*at && o->msgs.p[*at - 1].ts > ts)
		at = &o->msgs.p[*at - 1].prev;
	o->msgs.p[mi - 1].prev = *at;
	*at = mi;
}

void order_write(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t before,
		 uint64_t after, uint64_t t, vmsa_order_t ord,
		 vmsa_view_t addr, vmsa_view_t data, bool rmw)
{
	struct order *o = &m->ord;
	struct ord_views *v = cpu >= 0 ? &o->v[cpu] : NULL;
	struct ord_slot *s;
	struct ord_loc *l;
	bool free_place;

	/* The timestamp order of writes to different locations is what
	 * reads compare views with: two writes never commute (the mutant
	 * "order-ww" of a VMSA_FP_MUTANTS build, footprint.c, makes them
	 * commute: tests/litmus/test_litmus_reduce_order.c catches it). */
	fp_obj(m, FP_OBJ_ORDER, !fp_mutant_is("order-ww"));
	free_place = o->free_place;
	o->free_place = false;
	s = ord_slots_find(&o->slots, word);
	if (!s) {
		struct ord_loc nl;

		memset(&nl, 0, sizeof(nl));
		nl.init = before;
		if (ord_locs_push(&o->locs, nl) ||
		    !(s = ord_slots_insert(&o->slots, word)))
			goto oom;
		s->idx = (uint32_t)(o->locs.n - 1);
	}
	l = &o->locs.p[s->idx];
	/* Room for a read's or a write's candidates first: every message
	 * is one, and a write has one more. */
	if (ord_tsv_reserve(&o->cand, 2 * (o->msgs.n + 2)) ||
	    ord_msgs_push(&o->msgs, (struct ord_msg){word, after, t, m->step,
						     0, cpu, 0, false, 0,
						     o->cur_ev,
						     t <= o->max_ts &&
						     !free_place, rmw}))
		goto oom;
	if (free_place && v) {
		o->wp_n++;
		o->wp_ts = t;
	}
	link_msg(o, l, (uint32_t)o->msgs.n);
	o->max_ts = vmax(o->max_ts, t);
	if (!v) {
		/* set-up, host code or a promise: no CPU's views */
		if (rmw)
			order_rmw_wrote(m, cpu, word, t, ord);
		return;
	}
	cpu_wrote(v, l, cpu, t, ord, addr, data);
	if (rmw)
		order_rmw_wrote(m, cpu, word, t, ord);
	return;
oom:
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: out of memory for the messages of memory");
}

void order_rmw_wrote(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t t,
		     vmsa_order_t ord)
{
	struct order *o = &m->ord;
	struct ord_views *v;

	/* A successful RMW: no write may come between its read and its
	 * write (B2.3.1, "Atomicity of Successful Read-Modify-Write"). */
	if (o->reads.n && o->reads.p[o->reads.n - 1].word == word)
		o->reads.p[o->reads.n - 1].lo = t;
	if (cpu < 0)
		return;
	/* The release write of an atomic whose read acquires (SWPAL,
	 * LDADDAL, CASAL) is ordered before everything after it (B2.3.7,
	 * Barrier-ordered-before: "E3 and E1 are generated by an atomic
	 * instruction, E3 is an Explicit Memory Read Effect with Acquire
	 * semantics"); not a LDAXR/STLXR pair (two instructions). */
	v = &o->v[cpu];
	if (ord == VMSA_ORD_ACQ_REL) {
		v->rnew = vmax(v->rnew, t);
		v->wnew = vmax(v->wnew, t);
		v->wrnew = vmax(v->wrnew, t);
	}
}

/*
 * The place in memory's order of a hardware update of word. It is
 * atomic with the walk's read of the value memory holds now, word's
 * newest message (herd's `atomic` axiom: no write of word between), so
 * it goes after that message. What orders it is what B2.3.7 orders an
 * Implicit TTD write after, nothing more: its walk and what orders the
 * walk (ttd: addresses and branches before an ISB, DSBs before an ISB,
 * and DSBs themselves with ETS2 only, DSB-ordered-before's second
 * case), the descriptors earlier accesses' walks read and the CPU's
 * earlier updates (v->hu; herd's dob: [Imp & TTD & R]; tr-ib;
 * [Exp & M]; po; [HU]), addresses and branches (v->cap: addr; po; [HU],
 * ctrl; [HU]). Barrier-ordered-before (DMBs, acquires, releases) ends at
 * Explicit Memory Effects and MMU Faults, and without ETS2 a DSB orders
 * no Implicit TTD Memory Effect: the update may come before another
 * location's write the CPU made earlier (RPLLLM; herd's
 * Artem3+HDx-TLBIy+dmb.st+dmb.ld and, without ETS2,
 * Artem3+HDx-TLBIy+dsb.st+dmb.ld Allowed). Appended (option 0, the
 * order used before) or the earliest free place after that is an
 * explorer choice, as for a reordered explicit write (order_write_ts).
 */
/* What orders cpu's next hardware update (hw_write_ts says why). */
static uint64_t hw_floor(const vmsa_machine_t *m, int cpu)
{
	const struct ord_views *v = &m->ord.v[cpu];

	return vmax(vmax(vmax(order_ttd_floor(m, cpu, false), v->hu), v->cap),
		    v->hwt);
}

uint64_t order_hw_pre(const vmsa_machine_t *m, int cpu, bool in_walk)
{
	const struct ord_views *v = &m->ord.v[cpu];

	/* hw_floor, with the address of the access being translated only
	 * when a walk is the caller's. */
	return in_walk ? hw_floor(m, cpu) :
		vmax(vmax(vmax(order_ttd_floor(m, cpu, true), v->hu), v->cap),
		     v->hwt);
}

static uint64_t hw_write_ts(vmsa_machine_t *m, int cpu, uint64_t word)
{
	struct order *o = &m->ord;
	const struct ord_loc *l = find_loc(o, word);
	uint64_t pre = hw_floor(m, cpu);
	uint64_t *g = o->cand.p, lo;
	unsigned k = 0;

	if (l && l->last)
		pre = vmax(pre, o->msgs.p[l->last - 1].ts);
	if (l)
		pre = vmax(pre, l->coh[cpu]);
	if (o->max_ts <= pre)
		return o->max_ts + ORD_GAP;
	k = ts_between(o, pre, UINT64_MAX, g);
	/* The earliest free place, the other end of what may be offered:
	 * the places in between are left out (fewer behaviours, never
	 * more; each costs executions). */
	lo = pre;
	for (unsigned i = 0; i < k; lo = g[i++])
		if (!seen_by_a_read(o, word, lo, g[i], NULL) &&
		    !seen_by_a_walk(o, word, lo, g[i], cpu) &&
		    g[i] - lo >= 2)
			return choose(m, 2, "hardware update: appended or "
				      "at its earliest place in memory's "
				      "order") ? lo + (g[i] - lo) / 2 :
						 o->max_ts + ORD_GAP;
	return o->max_ts + ORD_GAP;
}

/* The message of cpu's hardware update at ts. The CPU's message all the
 * same: its DSB publishes it to walks (order_publish), and its view of
 * its updates (hu) moves. */
static void hw_message(vmsa_machine_t *m, int cpu, uint64_t word,
		       uint64_t before, uint64_t after, uint64_t ts)
{
	struct order *o = &m->ord;
	size_t n = o->msgs.n;

	order_write(m, -1, word, before, after, ts, VMSA_ORD_PLAIN, 0, 0,
		    false);
	if (o->msgs.n == n)
		return; /* out of memory: reported */
	o->msgs.p[o->msgs.n - 1].cpu = cpu;
	o->msgs.p[o->msgs.n - 1].hw = true;
	o->v[cpu].hu = vmax(o->v[cpu].hu, ts);
}

uint64_t order_hw_write(vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t before, uint64_t after)
{
	struct order *o = &m->ord;
	uint64_t ts;

	/* Right after the value memory holds now, where nothing orders it
	 * later (hw_write_ts). */
	if (ord_tsv_reserve(&o->cand, 2 * (o->msgs.n + 2))) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the messages of "
			  "memory");
		return o->max_ts;
	}
	ts = hw_write_ts(m, cpu, word);
	if (!m->stopped)
		hw_message(m, cpu, word, before, after, ts);
	return ts;
}

/*
 * The message of word a walk read when it holds `value` and is not the
 * newest: its index+1 (0: the initial value), and in *next the timestamp
 * of the word's message right after it. The newest such message (a value
 * written twice, ABA: the older copy is not offered). False when value is
 * the newest message's, no message holds it, or the next message is a
 * hardware update.
 */
static bool overwritten_msg(const struct order *o, const struct ord_loc *l,
			    uint64_t value, uint32_t *mi, uint64_t *next)
{
	uint64_t after = UINT64_MAX;
	bool after_hw = false;

	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev) {
		if (o->msgs.p[i - 1].value == value && after != UINT64_MAX) {
			*mi = i;
			*next = after;
			return !after_hw;
		}
		after = o->msgs.p[i - 1].ts;
		after_hw = o->msgs.p[i - 1].hw;
	}
	/* The next write is another hardware update: atomic with its own
	 * read of this value, nothing may come between (an explicit RMW is
	 * guarded by its read's record, seen_by_a_read). */
	if (l->init != value || after == UINT64_MAX || after_hw)
		return false;
	*mi = 0;
	*next = after;
	return true;
}

bool order_hw_insert_ts(vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t old, uint64_t *ts)
{
	struct order *o = &m->ord;
	const struct ord_loc *l = find_loc(o, word);
	uint64_t lo, hi;
	uint32_t mi;

	if (!l || !overwritten_msg(o, l, old, &mi, &hi))
		return false;
	/* After the value read (rmw) and what orders an update (hw_floor:
	 * its walk, DSBs with ETS2 only, earlier walks' reads and updates,
	 * addresses and branches). No coherence with the CPU's own
	 * explicit accesses (coWW and coWR are Explicit-only internal
	 * rules; herd's coWWExp-TLBI-NExp). */
	lo = vmax(hw_floor(m, cpu), mi ? o->msgs.p[mi - 1].ts : 0);
	if (lo >= hi)
		return false;
	/* The earliest free place before the next write of the word: any
	 * message of another word in between may come first. */
	for (;;) {
		uint64_t g = hi;

		for (unsigned i = 0; i < o->msgs.n; i++)
			if (o->msgs.p[i].ts > lo && o->msgs.p[i].ts < g)
				g = o->msgs.p[i].ts;
		if (!seen_by_a_read(o, word, lo, g, NULL) &&
		    !seen_by_a_walk(o, word, lo, g, cpu) && g - lo >= 2) {
			*ts = lo + (g - lo) / 2;
			return true;
		}
		if (g == hi)
			return false;
		lo = g;
	}
}

void order_hw_insert(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t before, uint64_t after, uint64_t ts)
{
	hw_message(m, cpu, word, before, after, ts);
}

/*
 * The place of a speculative AF update of word in memory's order. It is
 * ordered with no instruction (hwspec.c): only coherence puts it after
 * the value it updates (the word's newest message), so it may go right
 * after that message, below writes of other locations made since (herd7
 * MP-HU with no barrier between P0's two stores: P0's store of x made
 * first, its descriptor store placed below it, and P1, reading the
 * update, then x = 0: Allowed). Appended (option 0) or at that earliest
 * place, as a descriptor store's and an access's update are
 * (order_write_ts, hw_write_ts): each place in between would cost a
 * choice and give observers a view between those two.
 */
static uint64_t spec_write_ts(vmsa_machine_t *m, uint64_t word)
{
	struct order *o = &m->ord;
	const struct ord_loc *l = find_loc(o, word);
	uint64_t pre = l && l->last ? o->msgs.p[l->last - 1].ts : 0;
	unsigned k, n;
	bool tight;

	if (o->max_ts <= pre)
		return o->max_ts + ORD_GAP;
	n = write_places(m, word, pre, NULL, UINT64_MAX, &k, &tight);
	if (!n || !choose(m, 2, "speculative AF update: appended or right "
			  "after the value it updates"))
		return o->max_ts + ORD_GAP;
	return o->cand.p[k + n - 1];
}

void order_spec_write(vmsa_machine_t *m, int cpu, uint64_t word,
		      uint64_t before, uint64_t after)
{
	struct order *o = &m->ord;
	size_t n = o->msgs.n;

	order_write(m, -1, word, before, after, spec_write_ts(m, word),
		    VMSA_ORD_PLAIN, 0, 0, false);
	if (o->msgs.n == n)
		return; /* out of memory: reported */
	o->msgs.p[o->msgs.n - 1].cpu = cpu;
	o->msgs.p[o->msgs.n - 1].hw = true;
}

bool order_spec_first(vmsa_machine_t *m, uint64_t word)
{
	struct order *o = &m->ord;

	for (unsigned i = 0; i < o->spec_seen.n; i++)
		if (o->spec_seen.p[i] == word)
			return false;
	if (ord_tsv_push(&o->spec_seen, word)) {
		violation(m, m->step_cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for speculative "
			  "updates");
		return false;
	}
	return !find_loc(o, word);
}

/* Has cpu issued a TLBI that completed in this execution? */
static bool completed_a_tlbi(const struct order *o, int cpu)
{
	for (unsigned i = 0; i < o->tlbis.n; i++)
		if (o->tlbis.p[i].cpu == cpu)
			return true;
	return false;
}

uint64_t order_newest_ts(const struct order *o, uint64_t word, uint64_t v)
{
	const struct ord_slot *s = ord_slots_find(&o->slots, word);
	const struct ord_loc *l;

	if (!s)
		return 0;
	l = &o->locs.p[s->idx];
	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].value == v)
			return o->msgs.p[i - 1].ts;
	return l->init == v ? 0 : UINT64_MAX;
}

bool order_overwritten(const struct order *o, uint64_t word, uint64_t lo,
		       uint64_t hi)
{
	const struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s || hi <= lo)
		return false;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev) {
		const struct ord_msg *g = &o->msgs.p[i - 1];

		if (g->ts <= lo)
			return false;
		if (g->ts <= hi && !g->hw)
			return true;
	}
	return false;
}

/*
 * A walk of a CPU after one of its TLBIs completed, kept for the
 * accesses of other CPUs that are later found TLBI-ordered-before that
 * TLBI (order_walks_missed): the message it read (the newest with its
 * value, the least constraint), its step, and the CPU's last context
 * synchronisation event, which decides whether the walk is ordered after
 * the TLBI's DSB without ETS2.
 */
static void keep_twalk(vmsa_machine_t *m, int cpu, uint64_t word,
		       uint64_t value)
{
	struct order *o = &m->ord;
	uint64_t ts;

	if (!completed_a_tlbi(o, cpu))
		return;
	ts = order_newest_ts(o, word, value);
	if (ts == UINT64_MAX)
		return;
	if (ord_reads_push(&o->twalks,
			   (struct ord_read){word, ts, m->cpu[cpu].last_cse,
					     cpu, m->step}))
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the walks made");
}

bool order_walks_missed(vmsa_machine_t *m, int cpu, uint64_t step,
			uint64_t view, bool *looked)
{
	const struct order *o = &m->ord;
	bool ets = m->f.ets2 || m->f.ets3;

	for (unsigned i = 0; i < o->twalks.n; i++) {
		const struct ord_read *r = &o->twalks.p[i];

		if (r->cpu != cpu || r->step <= step || (!ets && r->lo <= step))
			continue;
		if (looked)
			*looked = true;
		/* The descriptor stores of the word, which are its messages:
		 * made in the other order they change the answer. */
		fp_word(m, r->word, false);
		if (order_overwritten(o, r->word, r->t, view))
			return true;
	}
	return false;
}

void order_walk_read(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t value)
{
	struct order *o = &m->ord;
	struct ord_loc *l = find_loc(o, word);
	uint64_t ts = 0;
	uint32_t mi = 0;

	uint64_t floor;

	/* What the walk is ordered after: what orders its TTD reads
	 * (ttd: addresses, IFBs, DSBs with ETS2) and, with ETS2 or ETS3,
	 * the CPU's earlier explicit accesses (a walk whose value faults;
	 * ets2_excludes in translate.c). A DMB or an acquire orders its
	 * fault but not its TTD reads, which may be done before them. */
	floor = order_ttd_floor(m, cpu, false);
	if (m->f.ets2 || m->f.ets3)
		floor = vmax(floor, order_ets_floor(m, cpu));
	if (l) {
		for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev)
			if (o->msgs.p[i - 1].value == value)
				mi = i;
		if (l->init == value)
			mi = 0;
	}
	if (mi) {
		ts = o->msgs.p[mi - 1].ts;
		if (o->msgs.p[mi - 1].hw && o->msgs.p[mi - 1].cpu < 0)
			o->msgs.p[mi - 1].walked |= 1u << cpu;
	}
	o->v[cpu].hu = vmax(o->v[cpu].hu, ts);
	keep_twalk(m, cpu, word, value);
	/* A later descriptor store of word goes after the walk's place
	 * (desc_store_floor). */
	if (floor > ts &&
	    ord_reads_push(&o->walks, (struct ord_read){word, ts, floor,
							     cpu, m->step}))
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the walks made");
}

uint64_t order_value_ts(const vmsa_machine_t *m, uint64_t word,
			uint64_t value)
{
	const struct order *o = &m->ord;
	struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s)
		return UINT64_MAX;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].value == value)
			return o->msgs.p[i - 1].ts;
	return UINT64_MAX;
}

uint64_t order_explicit_view(const vmsa_machine_t *m, int cpu)
{
	return vmax(m->ord.v[cpu].rold, m->ord.v[cpu].wold);
}

void order_hw_dsb(vmsa_machine_t *m, int cpu)
{
	struct ord_views *v = &m->ord.v[cpu];

	/* DSB-ordered-before (B2.3.7): [M]; po; [DSB SY/ISH/...]; po;
	 * [everything but walks] covers the updates, DSB LD and DSB ST
	 * only explicit reads or writes. */
	v->rnew = vmax(v->rnew, v->hu);
	v->wnew = vmax(v->wnew, v->hu);
	/* and so later TLBIs (a TLBI's view) and, through a context
	 * synchronisation event (or with ETS2 at once), later walks. */
	v->dsb = vmax(v->dsb, v->hu);
	/* A speculative update a walk of this CPU read is visible to the
	 * walks ordered after this DSB (herd: rf from the update to the walk,
	 * DSB-ob, then e.g. TLBI-ob: NT-10-tlbi), from its own place. */
	for (unsigned i = 0; i < m->ord.msgs.n; i++) {
		struct ord_msg *g = &m->ord.msgs.p[i];

		if ((g->walked & (1u << cpu)) && !g->pub)
			g->pub = g->ts;
	}
}

/*
 * B2.3.7 "Barrier-ordered-before" as views: DMB LD orders earlier reads
 * before later reads and writes; DMB ST earlier writes before later
 * writes; DMB SY (any domain: herd ignores shareability for ordering,
 * and every CPU of the machine is in the Inner Shareable domain) both.
 * A DSB orders at least what the DMB of its kind does; a DSB ST more
 * (B2.3.7, DSB-ordered-before).
 */
void order_barrier(vmsa_machine_t *m, int cpu, vmsa_barrier_t b, bool dsb)
{
	struct ord_views *v = &m->ord.v[cpu];
	/* Reads include the Tag Checks' (bob and DSB-ob start at
	 * Imp & Tag & R too; 0 without tag checks). */
	uint64_t rd = vmax(v->rold, v->tag), ld = vmax(v->rld, v->tag);
	uint64_t both = vmax(rd, v->wold);

	switch (b) {
	case VMSA_BAR_LD:
	case VMSA_BAR_ISHLD:
	case VMSA_BAR_NSHLD:
	case VMSA_BAR_OSHLD:
		/* Not the reads of atomics that return nothing (herd's
		 * [Exp & (R \ NoRet)]; po; [dmb.ld]). */
		v->rnew = vmax(v->rnew, ld);
		v->wnew = vmax(v->wnew, vmax(ld, v->rpk_ld));
		v->wrnew = vmax(v->wrnew, ld);
		if (dsb)
			v->dsb = vmax(v->dsb, ld);
		break;
	case VMSA_BAR_ST:
	case VMSA_BAR_ISHST:
	case VMSA_BAR_NSHST:
	case VMSA_BAR_OSHST:
		v->wnew = vmax(v->wnew, v->wold);
		/* A DSB ST orders earlier writes before every later Effect
		 * but walks (DSB-ordered-before), reads included: a DMB ST
		 * only before writes. */
		if (dsb) {
			v->rnew = vmax(v->rnew, v->wold);
			v->dsb = vmax(v->dsb, v->wold);
		}
		break;
	default:
		v->rnew = vmax(v->rnew, both);
		v->wnew = vmax(v->wnew, vmax(both, v->rpk));
		v->wrnew = vmax(v->wrnew, rd);
		if (dsb)
			v->dsb = vmax(v->dsb, both);
		break;
	}
	/* With ETS2 a DSB orders walks itself (DSB-ordered-before reaches
	 * Implicit TTD Memory Effects). */
	if (dsb && m->f.ets2)
		v->ttd = vmax(v->ttd, v->dsb);
}

/* An ISB orders later reads after what decided earlier addresses and
 * branches (B2.3.7: ctrl-isb and addr-po-isb, "Instruction-fetch-
 * barrier-ordered-before"). */
void order_isb(vmsa_machine_t *m, int cpu)
{
	struct ord_views *v = &m->ord.v[cpu];

	v->rnew = vmax(v->rnew, v->cap);
	/* Walks too, and after what DSBs ordered before it (IFB-ordered-
	 * before: DSB-ordered-before, then an IFB, reaches Implicit TTD
	 * reads; herd's D15347-SB-DSB+DSB-ISB). */
	v->wrnew = vmax(v->wrnew, vmax(v->cap, v->dsb));
	v->ttd = vmax(v->ttd, vmax(v->cap, v->dsb));
	/* What a walk done early is ordered after: not the DMBs and
	 * acquires in wrnew, which order no TTD read (B2.3.7). */
	v->cse = v->ttd;
	/* The CPU's completed TLBIs, before its later hardware updates
	 * (IFB-ordered-before: DSB-ordered-before, then an IFB). */
	v->hwt = vmax(v->hwt, v->tdone);
}

uint64_t order_tlbi_view(const vmsa_machine_t *m, int cpu)
{
	/* DSB-ordered-before and IFB-ordered-before reach any later
	 * Effect, a TLBI's included (B2.3.7; herd's
	 * V2I-W+R-CTRL-ISB-TLBI-DSB.ISH-ISB-R: ctrl; ISB orders the load
	 * before the TLBI), and so does a control dependency without the
	 * ISB (dob: ctrl; [TLBI], pob: pick-ctrl-dep; [TLBI]; herd's
	 * MP+dmb.st+ctrl-tlbi-dsb.ish-isb Forbidden); barrier-ordered-
	 * before (DMBs, acquires) only Explicit Memory Effects and MMU
	 * Faults, an access's address only later writes. */
	return vmax(vmax(m->ord.v[cpu].dsb, m->ord.v[cpu].ttd),
		    m->ord.v[cpu].br);
}

bool order_tlbi_covers(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *tag)
{
	return tag->stage == VMSA_TLB_S12 ? vmsa_tlbi_matches_any_va(t, tag) :
					    vmsa_tlbi_matches(t, tag);
}

/*
 * The newest explicit write of another CPU that TLBI t, completing on
 * cpu now, is ordered after: one translated by an entry t removes, from
 * a descriptor memory no longer holds. Its walk read a value a later
 * store overwrote, so it is TLBI-before t (otherwise TLBI-coherence-
 * after would order t before that store), and B2.3.7's TLBI-ordered-
 * before orders the write (Translation-intrinsically-after the walk,
 * on another PE) before everything after t's DSB (herd's TLBI-ob:
 * tr-ib^-1; TTD-read-ordered-before & ext; G1, G2, miniMarc03).
 */
static uint64_t xlat_before(const vmsa_machine_t *m, int cpu,
			    const vmsa_tlbi_t *t)
{
	const struct order *o = &m->ord;
	uint64_t ts = 0;

	for (unsigned i = 0; i < o->xwrites.n; i++) {
		const struct ord_xwrite *x = &o->xwrites.p[i];

		if (x->cpu != cpu && x->view > ts &&
		    order_tlbi_covers(t, &x->tag) &&
		    mem_read(&m->mem, x->desc_pa, 8) != x->desc)
			ts = x->view;
	}
	return ts;
}

/*
 * The place in memory's order of a fence of cpu made now (a completed
 * TLBI, a DSB that publishes descriptor stores), ordered after floor:
 * what B2.3.7 orders before it. Option 0 appends it after every message;
 * the others put it just below each message above floor that
 * may_precede() keeps, which is then after it. No rule orders the fence
 * after a write its CPU did not observe, so one made before it in step
 * order may follow it all the same, and with it what that write is ordered before (herd's ob; diy7's
 * S003, PodWW Rfe Amo.Swp TLBI-sync.ISHdWW Coe: the issuer's store after
 * the DSB comes before the other CPU's first store, which a store it read
 * follows in program order only). Each place is consistent: a message
 * above it orders its readers after the fence (for a TLBI
 * order_tlbi_coh_step, order_walk_obs_floor, keep_unordered_retired; for
 * a publication the walks that see the stores, order_walk_view), one
 * below it is what the CPU's writes after the fence may still precede.
 * The lowest place is not enough alone: it orders every reader of those
 * messages after the fence, which nothing in herd's ob does. A place
 * below messages is one the fence can take again once they are remade
 * (a free place, ord_msg.fixed clear), and is recorded for the
 * write-placement rule (wp_n, wp_ts: docs/model.md, "A write's place
 * below messages it could precede"), which drops it where the order in
 * which the fence's CPU runs first gives the same.
 */
static uint64_t fence_place(vmsa_machine_t *m, int cpu, uint64_t floor,
			    const char *what)
{
	struct order *o = &m->ord;
	uint64_t *g = o->cand.p, newest[VMSA_MAX_CPUS];
	unsigned k = 0, n = 0, pick;

	if (o->max_ts <= floor)
		return o->max_ts + ORD_GAP;
	newest_steps(o, newest);
	/* The timestamps above floor, then the places kept, each just
	 * below one (o->cand holds 2 * (msgs + 2)). */
	k = ts_between(o, floor, UINT64_MAX, g);
	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *h = &o->msgs.p[i];
		unsigned j;
		uint64_t lo;

		if (h->ts <= floor || !may_precede(newest, cpu, h))
			continue;
		j = ts_lower_bound(g, k, h->ts);
		lo = j ? g[j - 1] : floor;
		if (h->ts - lo < 2) {
			violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: no timestamp left between "
				  "two writes (ORD_GAP in src/model/order.h)");
			return o->max_ts + ORD_GAP;
		}
		g[k + n++] = lo + (h->ts - lo) / 2;
	}
	pick = choose(m, n + 1, what);
	if (!pick)
		return o->max_ts + ORD_GAP;
	o->wp_n++;
	o->wp_ts = g[k + pick - 1];
	return o->wp_ts;
}

/* The newest place of cpu's fences made before step `issued` (its DSBs
 * that published stores, order_publish; its TLBIs completed by them):
 * DSB-ordered-before puts them before a TLBI issued or a DSB made after
 * them (B2.3.7), which the views, made of what orders accesses, do not
 * hold. */
static uint64_t own_fences_before(const struct order *o, int cpu,
				  uint64_t issued)
{
	uint64_t ts = 0;

	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->word == ORD_FENCE && g->cpu == cpu && g->step < issued)
			ts = vmax(ts, g->ts);
	}
	return ts;
}

uint64_t order_tlbi_done(vmsa_machine_t *m, int cpu, const vmsa_tlbi_t *t,
			 uint64_t view, uint64_t issued)
{
	struct order *o = &m->ord;
	uint64_t ts;

	/* A place in memory's order (no location's message: reads never
	 * see it, writes may still be placed before it), which the
	 * issuer's later writes follow: a DSB completes the TLBI before
	 * any later instruction (B2.3.7, TLBI-ob in herd's aarch64.cat). */
	fp_obj(m, FP_OBJ_ORDER, true);
	/* Its record, which later walks and accesses of what it matches
	 * compare themselves with (order_tlbi_late, order_tlbi_coh_step,
	 * order_tlbi_step, order_walk_obs_floor), and the accesses' records
	 * it reads (xlat_before). */
	fp_tlbis_done(m, t);
	if (ord_tsv_reserve(&o->cand, 2 * (o->msgs.n + 2)))
		goto oom;
	ts = fence_place(m, cpu, vmax(vmax(view, o->v[cpu].tdone),
				      own_fences_before(o, cpu, issued)),
			 "TLBI completion: which place in memory's order");
	if (ord_msgs_push(&o->msgs, (struct ord_msg){ORD_FENCE, 0, ts,
						     m->step, 0, cpu, 0, false, 0,
						     o->cur_ev, false, false}) ||
	    ord_tlbis_push(&o->tlbis, (struct ord_tlbi){ts, m->step, *t, cpu,
							view}))
		goto oom;
	o->max_ts = vmax(o->max_ts, ts);
	o->v[cpu].wnew = vmax(o->v[cpu].wnew, ts);
	/* The completing DSB orders the TLBI before the CPU's later
	 * hardware updates too: with ETS2 at once (DSB-ordered-before
	 * reaches Implicit TTD Memory Effects), otherwise from its next
	 * IFB on (order_isb). A promised update made after them then has
	 * no place before the TLBI (herd's HU+TLBI-writer with an ISB,
	 * tests/model/test_hwdb_dsb_promise.c). */
	o->v[cpu].tdone = vmax(o->v[cpu].tdone, ts);
	if (m->f.ets2)
		o->v[cpu].hwt = vmax(o->v[cpu].hwt, ts);
	order_tlbi_ob_join(m, cpu, m->step, xlat_before(m, cpu, t));
	return ts;
oom:
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: out of memory for completed TLBIs");
	return 0;
}

bool order_tlbi_now(const vmsa_machine_t *m, uint64_t ts)
{
	const struct ord_tlbi *t = tlbi_at(&m->ord, ts);

	return t && t->step == m->step;
}

void order_tlbi_ob_join(vmsa_machine_t *m, int cpu, uint64_t since,
			uint64_t view)
{
	struct ord_views *v = &m->ord.v[cpu];

	/* Another CPU's step (order_tlbi_late, order_retired_access)
	 * changes the issuer's views, which every step of the issuer reads
	 * (FP_OBJ_VIEWS). */
	if (cpu != m->step_cpu)
		fp_obj(m, FP_OBJ_VIEWS + (unsigned)cpu, true);
	/* Everything after the DSB: later DSBs, and so later TLBIs, are
	 * ordered after it too. */
	v->rnew = vmax(v->rnew, view);
	v->wnew = vmax(v->wnew, view);
	v->dsb = vmax(v->dsb, view);
	if (m->f.ets2)
		v->ttd = vmax(v->ttd, v->dsb);
	/* And what a context synchronisation event the issuer made since
	 * the DSB orders after it: its later walks (IFB-ordered-before:
	 * DSB-ordered-before, then an IFB; herd's TLBI-ob reaches
	 * TTD-read-ordered-before's [IFB]; po case), as order_isb() would
	 * have had the join come before that event. */
	if (m->cpu[cpu].last_cse > since) {
		v->wrnew = vmax(v->wrnew, view);
		v->ttd = vmax(v->ttd, view);
		v->cse = vmax(v->cse, view);
	}
}

void order_xlat_access(vmsa_machine_t *m, int cpu, uint64_t view,
		       const vmsa_tlb_tag_t *tag, uint64_t desc_pa,
		       uint64_t desc)
{
	/* Its record, which a later TLBI completion that matches its tag
	 * reads (xlat_before), and the completed TLBIs that match it, which
	 * it reads (order_tlbi_late). */
	fp_tlbis_entry(m, tag, desc);
	if (ord_xwrites_push(&m->ord.xwrites, (struct ord_xwrite){
				     view, cpu, desc_pa, desc, *tag}))
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for translated accesses");
	order_tlbi_late(m, cpu, view, tag, desc_pa, desc);
}

/* Has cpu an unpublished message at one of words that is not a
 * hardware update? */
static bool explicit_pending(const struct order *o, int cpu,
			     const uint64_t *words, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		struct ord_slot *s = ord_slots_find(&o->slots, words[k]);

		if (!s)
			continue;
		for (uint32_t i = o->locs.p[s->idx].last; i;
		     i = o->msgs.p[i - 1].prev) {
			const struct ord_msg *g = &o->msgs.p[i - 1];

			if (g->cpu == cpu && !g->pub && !g->hw)
				return true;
		}
	}
	return false;
}

/* Publish cpu's hardware updates at words, each at its own place. */
static void publish_hu(struct order *o, int cpu, const uint64_t *words,
		       unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		struct ord_slot *s = ord_slots_find(&o->slots, words[k]);

		if (!s)
			continue;
		for (uint32_t i = o->locs.p[s->idx].last; i;
		     i = o->msgs.p[i - 1].prev) {
			struct ord_msg *g = &o->msgs.p[i - 1];

			if (g->cpu == cpu && !g->pub)
				g->pub = g->ts;
		}
	}
}

void order_publish(vmsa_machine_t *m, int cpu, const uint64_t *words,
		   unsigned n)
{
	struct order *o = &m->ord;
	uint64_t ts;

	fp_obj(m, FP_OBJ_ORDER, true);
	/* Only explicit stores make the DSB a place the CPU's later writes
	 * follow: a DSB ST or DSB LD does not order the CPU's hardware
	 * updates (herd's DSB-ob: [Exp & W]; po; [dsb.st]); a DSB SY
	 * does, by order_hw_dsb. Those are visible to walks from their
	 * own place. */
	if (!explicit_pending(o, cpu, words, n)) {
		publish_hu(o, cpu, words, n);
		return;
	}
	if (ord_tsv_reserve(&o->cand, 2 * (o->msgs.n + 2)))
		goto oom;
	/* After what the DSB orders (order_barrier ran: its dsb view holds
	 * the CPU's earlier writes, the stores published included) and the
	 * CPU's earlier fences. */
	ts = fence_place(m, cpu, vmax(vmax(o->v[cpu].dsb, o->v[cpu].wold),
				      own_fences_before(o, cpu, m->step)),
			 "DSB publishing stores: which place in memory's "
			 "order");
	if (ord_msgs_push(&o->msgs, (struct ord_msg){ORD_FENCE, 0, ts,
						     m->step, 0, cpu, 0, false, 0,
						     o->cur_ev, false, false}))
		goto oom;
	o->max_ts = vmax(o->max_ts, ts);
	o->v[cpu].wnew = vmax(o->v[cpu].wnew, ts);
	for (unsigned k = 0; k < n; k++) {
		struct ord_slot *s = ord_slots_find(&o->slots, words[k]);

		if (!s)
			continue;
		for (uint32_t i = o->locs.p[s->idx].last; i;
		     i = o->msgs.p[i - 1].prev)
			if (o->msgs.p[i - 1].cpu == cpu && !o->msgs.p[i - 1].pub)
				o->msgs.p[i - 1].pub = ts;
	}
	return;
oom:
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: out of memory for the messages of memory");
}

uint64_t order_walk_begin(vmsa_machine_t *m, int cpu, uint64_t addr)
{
	uint64_t outer = m->ord.walk_addr[cpu];

	m->ord.walk_addr[cpu] = addr;
	return outer;
}

void order_walk_end(vmsa_machine_t *m, int cpu, uint64_t outer)
{
	m->ord.walk_addr[cpu] = outer;
}

uint64_t order_walk_floor(const vmsa_machine_t *m, int cpu)
{
	return vmax(m->ord.walk_addr[cpu], m->ord.v[cpu].wrnew);
}

uint64_t order_fault_floor(const vmsa_machine_t *m, int cpu)
{
	const struct ord_views *v = &m->ord.v[cpu];
	uint64_t f = vmax(order_walk_floor(m, cpu), vmax(v->rnew, v->wnew));

	/* vrNew and vwNew hold what DMB FULL, DMB LD, DMB ST, acquires,
	 * DSBs and ISBs order later accesses after: each of those orders an
	 * MMU Fault Effect too (Barrier-ordered-before lists it with the
	 * Explicit Memory Effects; DSB- and IFB-ordered-before order any
	 * Effect).
	 *
	 * Not applied: B2.3.7 Barrier-ordered-before also orders every
	 * earlier explicit access before a Fault Effect with Release
	 * semantics (a faulting STLR, SWPL, CASL, STLXR); herd7's bob ends
	 * at [Exp & W & L], not at the fault, and allows
	 * 2+2W+shoot+rel_mmufault_db, which the rule forbids. The model
	 * allows what herd7 allows (docs/litmus.md, "The walk's
	 * dependency per CPU"). */
	return f;
}

/* The descriptor bits a walk may see change without a different
 * result: software and PBHA bits, and with hardware updates on, the
 * Access flag and the dirty state (AP[2] / S2AP[1]), which a walk
 * reading the older value updates itself. */
static uint64_t same_result_bits(const vmsa_stage_cfg_t *c)
{
	uint64_t b = 0xfull << VMSA_D_SW_SHIFT | 0xfull << VMSA_D_PBHA_SHIFT;

	if (c->ha)
		b |= VMSA_D_AF;
	if (c->hd)
		b |= 1ull << (VMSA_D_AP_SHIFT + 1);
	return b;
}

/*
 * The timestamp of the store that left value v in word (0: none): the
 * oldest one. Only a store whose value gives the walk another result
 * than the value it replaced counts. The model's walks read no older
 * value than the one visible to them (rule 4) where herd's may read any
 * older one that does not fault; ordering after a store whose older
 * value would have given the same translation would order more than
 * B2.3 does. For the same reason a hardware update's own place never
 * counts (herd's NT-12-*, MP+HA-DSB.LD Allowed): a value it left counts
 * as the store under it. When a value was stored more than once
 * the oldest may not be the one read: the view is then smaller, which
 * orders less, never more.
 */
/*
 * Could not the older value `before` stand in for store g after all?
 * A walk that reads before with AF = 0 under hardware Access flag
 * management needs its own update of the descriptor between before and
 * g in coherence order, and there is no room for one when g is the write
 * of a successful read-modify-write that read before (B2.3.1 atomicity;
 * herd's `atomic` axiom: no write between an RMW's read and its write).
 * The walk then read g itself (or an update on top of g), which orders
 * it and what follows it (herd's NT-11-dsbld-allha with an ISB for its
 * DSB LD, Forbidden: P1's SWP read AF = 0, so P0's walk read the SWP's
 * value and its later store is ordered after the SWP). Only the Access
 * flag: a walk for a read takes a writable-clean value without an
 * update, so the dirty state would need the access's kind, which this
 * view does not have.
 */
static bool no_update_between(const struct ord_msg *g, uint64_t before,
			      uint64_t same)
{
	return g->rmw && (same & VMSA_D_AF) && !(before & VMSA_D_AF);
}

static uint64_t msg_ts_of(const struct order *o, uint64_t word, uint64_t v,
			  uint64_t same)
{
	const struct ord_slot *s = ord_slots_find(&o->slots, word);
	const struct ord_loc *l;
	uint64_t ts = 0;

	if (!s)
		return 0;
	l = &o->locs.p[s->idx];
	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev) {
		const struct ord_msg *g = &o->msgs.p[i - 1];
		uint64_t before;

		if (g->value != v)
			continue;
		/* A hardware update: the store it (and the updates before
		 * it) changed the Access flag or dirty state of. That store
		 * is Coherence-before the update, which the walk read from
		 * ([W]; ca; [HU] and rf from an Implicit TTD write are
		 * TTD-observed-by, B2.3.8): herd's LDRx+STRx-STRptex+af. */
		while (g && g->hw)
			g = g->prev ? &o->msgs.p[g->prev - 1] : NULL;
		if (!g || ((g->value ^ v) & ~same))
			continue;
		before = g->prev ? o->msgs.p[g->prev - 1].value : l->init;
		if (((before ^ g->value) & ~same) ||
		    no_update_between(g, before, same))
			ts = g->ts;
	}
	return ts;
}

uint64_t order_walk_view(const vmsa_machine_t *m, int cpu,
			 const vmsa_walk_t *w)
{
	const struct order *o = &m->ord;
	const vmsa_regime_cfg_t *cfg = &m->ctx.p[m->cpu[cpu].cur_ctx].cfg;
	uint64_t view = 0, same[2];

	if (!m->f.relaxed || !o->msgs.n)
		return 0;
	same[0] = same_result_bits(&cfg->s1);
	same[1] = same_result_bits(&cfg->s2);
	for (unsigned i = 0; i < w->n_reads; i++) {
		const vmsa_walk_step_t *r = &w->reads[i];

		view = vmax(view, msg_ts_of(o, r->pa & ~7ull, r->value,
					    same[r->stage == VMSA_STAGE2]));
	}
	/* A TLB hit reads no descriptor: its entry's values. */
	for (unsigned k = 0; k < 2; k++)
		if (w->leaf[k].present)
			view = vmax(view,
				    msg_ts_of(o, w->leaf[k].desc_pa & ~7ull,
					      w->leaf[k].desc, same[k]));
	return view;
}

void order_fault(vmsa_machine_t *m, int cpu, const vmsa_walk_t *w)
{
	struct ord_views *v = &m->ord.v[cpu];
	vmsa_fault_kind_t k = w->fault.kind;
	uint64_t f = vmax(m->ord.walk_addr[cpu], order_walk_view(m, cpu, w));
	bool uncacheable = k == VMSA_FAULT_TRANSLATION ||
			   k == VMSA_FAULT_ACCESS_FLAG ||
			   k == VMSA_FAULT_ADDRESS_SIZE;

	/* The walk's reads are ordered after the access's address
	 * (Address dependency to an Implicit TTD Memory Read Effect) and
	 * the writes they read from (order_walk_view), and before the fault (Translation-intrinsically-before); the entry,
	 * an IFB, orders them before every later Effect. vrNew, which the
	 * walk is ordered after too, later reads hold already. */
	if (m->f.ets3 || (m->f.ets2 && uncacheable))
		f = vmax(f, vmax(v->rold, v->wold));
	/* As the address of an access: the entry's context
	 * synchronisation (order_isb) moves it into vrNew, and later
	 * writes are ordered after vCAP. */
	v->cap = vmax(v->cap, f);
}

uint64_t order_ttd_floor(const vmsa_machine_t *m, int cpu, bool early)
{
	return vmax(early ? 0 : m->ord.walk_addr[cpu], m->ord.v[cpu].ttd);
}

uint64_t order_ets_floor(const vmsa_machine_t *m, int cpu)
{
	return vmax(m->ord.v[cpu].rold, m->ord.v[cpu].wold);
}

uint64_t order_step_at(const vmsa_machine_t *m, uint64_t word, uint64_t ts)
{
	const struct order *o = &m->ord;
	struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s)
		return 0;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].ts <= ts)
			return o->msgs.p[i - 1].step;
	return 0;
}

void order_walk_seen(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t step)
{
	struct order *o = &m->ord;
	struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s || !step)
		return;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].step == step) {
			/* A hardware update orders nothing but through its
			 * CPU's DSB (order_walk_read). */
			const struct ord_msg *g = &o->msgs.p[i - 1];

			if (g->cpu != cpu && g->cpu >= 0 && !g->hw)
				o->v[cpu].rold = vmax(o->v[cpu].rold,
						      o->msgs.p[i - 1].ts);
			return;
		}
}

uint64_t order_cse_floor(const vmsa_machine_t *m, int cpu)
{
	return m->ord.v[cpu].cse;
}

uint64_t order_obs_step(const vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t floor)
{
	const struct order *o = &m->ord;
	struct ord_slot *s = floor ? ord_slots_find(&o->slots, word) : NULL;
	const struct ord_loc *l;
	uint64_t direct;

	if (!s)
		return 0;
	l = &o->locs.p[s->idx];
	direct = vmax(0, l->rd_ts[cpu] < floor ? l->rd_ts[cpu] : floor);
	for (uint32_t i = l->last; i; i = o->msgs.p[i - 1].prev) {
		const struct ord_msg *g = &o->msgs.p[i - 1];

		if (g->ts <= direct || (g->pub && g->pub <= floor))
			return g->step;
	}
	return 0;
}

/* The step of the newest store to word with a timestamp at or before
 * ts (0: none, or the initial value). Not a hardware update's: the model
 * makes one visible at once, where the manual lets it become visible
 * later (its place in memory's order says nothing about what is ordered
 * before it; herd's NT-10-dmb+dsb-isb Allowed). */
static uint64_t newest_step_at(const struct order *o, uint64_t word,
			       uint64_t ts)
{
	const struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s)
		return 0;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].ts <= ts && !o->msgs.p[i - 1].hw)
			return o->msgs.p[i - 1].step;
	return 0;
}

uint64_t order_newest_step(const vmsa_machine_t *m, uint64_t word,
			   uint64_t ts)
{
	return ts ? newest_step_at(&m->ord, word, ts) : 0;
}

/* Is t, issued by cpu, a TLBI cpu's walks are ordered after: once a
 * context synchronisation event followed its completing DSB, or with
 * ETS2 at once (the DSB orders walks)? */
static bool own_tlbi_before(const vmsa_machine_t *m, const struct ord_tlbi *t,
			    uint64_t last_cse)
{
	return m->f.ets2 || t->step < last_cse;
}

/*
 * The newest view of a completed TLBI that removes an entry tagged
 * `tag` and that cpu's walk is ordered after (0: none): cpu's own,
 * broadcast or local, once own_tlbi_before(); another CPU's when it
 * completed at or before floor (UINT64_MAX: every one completed).
 */
static uint64_t tlbi_before_view(const vmsa_machine_t *m, int cpu,
				 uint64_t floor, const vmsa_tlb_tag_t *tag,
				 uint64_t last_cse)
{
	const struct order *o = &m->ord;
	uint64_t view = 0;

	for (unsigned i = 0; i < o->tlbis.n; i++) {
		const struct ord_tlbi *t = &o->tlbis.p[i];
		bool after = t->cpu == cpu ? own_tlbi_before(m, t, last_cse) :
					     t->ts <= floor;

		if (after && t->view > view && order_tlbi_covers(&t->t, tag))
			view = t->view;
	}
	for (unsigned i = 0; i < o->ltlbis.n; i++) {
		const struct ord_tlbi *t = &o->ltlbis.p[i];

		if (t->cpu == cpu && own_tlbi_before(m, t, last_cse) &&
		    t->view > view && order_tlbi_covers(&t->t, tag))
			view = t->view;
	}
	return view;
}

uint64_t order_tlbi_removed_ts(const vmsa_machine_t *m, int cpu,
			       uint64_t word, const vmsa_tlb_tag_t *tag,
			       uint64_t over_step)
{
	const struct order *o = &m->ord;
	uint64_t ts = 0;

	for (unsigned i = 0; i < o->tlbis.n; i++) {
		const struct ord_tlbi *t = &o->tlbis.p[i];

		if (t->cpu != cpu && (!ts || t->ts < ts) &&
		    order_tlbi_covers(&t->t, tag) &&
		    newest_step_at(o, word, t->view) >= over_step)
			ts = t->ts;
	}
	return ts;
}

uint64_t order_tlbi_coh_step(const vmsa_machine_t *m, int cpu,
			     uint64_t word, uint64_t floor,
			     const vmsa_tlb_tag_t *tag, uint64_t last_cse)
{
	uint64_t view = tlbi_before_view(m, cpu, floor, tag, last_cse);

	return view ? newest_step_at(&m->ord, word, view) : 0;
}

uint64_t order_tlbi_ca_step(const vmsa_machine_t *m, int cpu, uint64_t word,
			    const vmsa_tlb_tag_t *tag, uint64_t last_cse)
{
	uint64_t view = tlbi_before_view(m, cpu, UINT64_MAX, tag, last_cse);

	return view ? newest_step_at(&m->ord, word, view) : 0;
}

void order_tlbi_local_done(vmsa_machine_t *m, int cpu, const vmsa_tlbi_t *t,
			   uint64_t view)
{
	/* Read only by cpu's own walks, which follow this step in program
	 * order: no footprint. */
	if (ord_tlbis_push(&m->ord.ltlbis,
			   (struct ord_tlbi){0, m->step, *t, cpu, view}))
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for completed TLBIs");
}

uint64_t order_tlbi_step(const vmsa_machine_t *m, uint64_t floor,
			 const vmsa_tlb_tag_t *tag, int skip, uint64_t over)
{
	const struct order *o = &m->ord;
	uint64_t step = 0;

	for (unsigned i = 0; i < o->tlbis.n; i++) {
		const struct ord_tlbi *t = &o->tlbis.p[i];

		if (t->ts <= floor && t->step > step && t->cpu != skip &&
		    over <= t->view && order_tlbi_covers(&t->t, tag))
			step = t->step;
	}
	return step;
}

uint64_t order_tlbi_done_step(const vmsa_machine_t *m, uint64_t ts)
{
	const struct order *o = &m->ord;

	for (unsigned i = 0; i < o->tlbis.n; i++)
		if (o->tlbis.p[i].ts == ts)
			return o->tlbis.p[i].step;
	return 0;
}

uint64_t order_ts_of_step(const vmsa_machine_t *m, uint64_t word,
			  uint64_t step, uint64_t value)
{
	const struct order *o = &m->ord;
	const struct ord_slot *s = ord_slots_find(&o->slots, word);

	if (!s)
		return UINT64_MAX;
	for (uint32_t i = o->locs.p[s->idx].last; i; i = o->msgs.p[i - 1].prev)
		if (o->msgs.p[i - 1].step == step &&
		    o->msgs.p[i - 1].value == value)
			return o->msgs.p[i - 1].ts;
	return UINT64_MAX;
}

uint64_t order_walk_obs_floor(const vmsa_machine_t *m, int cpu,
			      const vmsa_tlb_tag_t *tag)
{
	const struct order *o = &m->ord;
	uint64_t floor = order_ttd_floor(m, cpu, false);
	uint64_t acc = order_walk_floor(m, cpu);

	/* An access ordered after another CPU's completed TLBI that covers
	 * its entry (by a DMB or an acquire too: TLBI-ordered-before ends
	 * at any Effect of the access) takes a translation from a walk
	 * after that TLBI, and TLBI-coherence-after (TTD-observed-by) orders
	 * the TLBI before every write that overwrote what the walk reads:
	 * the walk reads nothing published before the TLBI (herd's
	 * NT-10-tlbi, Forbidden). */
	for (unsigned i = 0; i < o->tlbis.n; i++) {
		const struct ord_tlbi *t = &o->tlbis.p[i];

		if (t->ts <= acc && t->ts > floor && t->cpu != cpu &&
		    order_tlbi_covers(&t->t, tag))
			floor = t->ts;
	}
	return floor;
}
