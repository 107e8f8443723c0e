/*
 * src/model/order.c - Arm's ordering of data accesses (feature `relaxed`).
 *
 * The operational formulation of Promising-ARM (C. Pulte, J. Pichon-
 * Pharabod, J. Kang, S.-H. Lee, C.-K. Hur, "Promising-ARM/RISC-V: a
 * simpler and faster operational concurrency model", PLDI 2019), which
 * is equivalent to the axiomatic model of the Arm ARM's B2.3 (the one
 * herd7's aarch64.cat executes) for the accesses modelled here:
 *
 *  - memory is the list of every write of the execution, in the order the
 *    explorer ran them; a write's timestamp is its place in that list
 *    (timestamp 0: the initial values). Coherence order is timestamp
 *    order per location (RXFLGQ: the writes to one location are totally
 *    ordered);
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
 * Writes are appended: promises (which let a write take a timestamp
 * before po-earlier accesses) are not modelled, so load buffering and the
 * shapes that need a write to be ordered before po-earlier accesses of
 * its CPU (2+2W, S, R) are not reached: docs/model.md lists them.
 *
 * Granularity: a location is an aligned 8-byte word; a message holds the
 * whole word after its write, so writes of parts of a word are ordered
 * with each other as writes of the word (stronger than the architecture's
 * per-byte coherence for mixed-size accesses to one word).
 */
#include <string.h>

#include "footprint.h"
#include "machine.h"
#include "order.h"

int order_init(struct order *o)
{
	memset(o, 0, sizeof(*o));
	return ord_slots_init(&o->slots, 64);
}

void order_destroy(struct order *o)
{
	ord_slots_destroy(&o->slots);
	ord_locs_free(&o->locs);
	ord_msgs_free(&o->msgs);
	ord_tsv_free(&o->cand);
}

void order_reset(struct order *o)
{
	ord_slots_reset(&o->slots);
	o->locs.n = 0;
	o->msgs.n = 0;
	memset(o->v, 0, sizeof(o->v));
	o->newest = false;
}

void order_read_newest(vmsa_machine_t *m)
{
	m->ord.newest = true;
}

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
		if (i <= lo)
			return n;
	}
	cand[n++] = 0;
	return n;
}

uint64_t order_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t now, vmsa_order_t ord, vmsa_view_t addr,
		    const uint64_t *rmw_old, vmsa_view_t *view)
{
	struct order *o = &m->ord;
	struct ord_views *v = &o->v[cpu];
	uint64_t word = pa & ~7ull;
	uint64_t pre = vmax(addr, v->rnew), t, post, val = now;
	struct ord_loc *l;
	bool newest = o->newest;

	o->newest = false;
	/* An RCsc acquire is ordered after the CPU's release writes
	 * (B2.3.7, "Barrier-ordered-before": [L]; po; [A]). */
	if (ord == VMSA_ORD_ACQ || ord == VMSA_ORD_ACQ_REL)
		pre = vmax(pre, v->rel);
	l = find_loc(o, word);
	if (!l) {
		t = 0; /* only the initial value: no choice */
	} else {
		uint64_t *cand = o->cand.p;
		unsigned n, k = 0, keep = 0;

		n = candidates(o, l, vmax(pre, l->coh[cpu]), cand);
		/* A successful CAS is atomic: it reads the newest message;
		 * an older one only as a failed CAS (a value that differs). */
		for (unsigned i = 0; i < n; i++) {
			uint64_t w = cand[i] ? o->msgs.p[cand[i] - 1].value :
					       l->init;

			if (i == 0 || !rmw_old ||
			    part(w, pa, size) != *rmw_old)
				cand[keep++] = cand[i];
		}
		n = keep;
		if (!newest)
			k = choose(m, n, "read: which write");
		t = cand[k];
		if (k)
			val = part(t ? o->msgs.p[t - 1].value : l->init, pa,
				   size);
	}
	/* A read of the CPU's own last write there gets that write's view,
	 * not its timestamp (forwarding: Promising-ARM's read-view). */
	post = l && t && l->fwd_ts[cpu] == t ? l->fwd_view[cpu] : t;
	post = vmax(pre, post);
	if (l)
		l->coh[cpu] = vmax(l->coh[cpu], post);
	v->rold = vmax(v->rold, post);
	v->cap = vmax(v->cap, addr);
	if (acquires(ord)) {
		v->rnew = vmax(v->rnew, post);
		v->wnew = vmax(v->wnew, post);
	}
	if (view)
		*view = post;
	return val;
}

void order_write(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t before,
		 uint64_t after, vmsa_order_t ord, vmsa_view_t addr,
		 vmsa_view_t data)
{
	struct order *o = &m->ord;
	struct ord_views *v = &o->v[cpu];
	struct ord_slot *s;
	struct ord_loc *l;
	uint64_t t;

	/* The timestamp order of writes to different locations is what
	 * reads compare views with: two writes never commute. */
	fp_obj(m, FP_OBJ_ORDER, true);
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
	/* Room for a read's candidates first: every message is one. */
	if (ord_tsv_reserve(&o->cand, o->msgs.n + 2) ||
	    ord_msgs_push(&o->msgs, (struct ord_msg){word, after, cpu,
						     l->last}))
		goto oom;
	t = o->msgs.n;
	l->last = (uint32_t)t;
	if (cpu < 0)
		return; /* set-up or host code: no CPU's views */
	l->coh[cpu] = t;
	l->fwd_ts[cpu] = t;
	l->fwd_view[cpu] = vmax(addr, data);
	v->wold = vmax(v->wold, t);
	v->cap = vmax(v->cap, addr);
	if (releases(ord))
		v->rel = vmax(v->rel, t);
	return;
oom:
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: out of memory for the messages of memory");
}

/*
 * B2.3.7 "Barrier-ordered-before" as views: DMB LD orders earlier reads
 * before later reads and writes; DMB ST earlier writes before later
 * writes; DMB SY (any domain: herd ignores shareability for ordering,
 * and every CPU of the machine is in the Inner Shareable domain) both.
 * A DSB orders at least what the DMB of its kind does.
 */
void order_barrier(vmsa_machine_t *m, int cpu, vmsa_barrier_t b)
{
	struct ord_views *v = &m->ord.v[cpu];
	uint64_t both = vmax(v->rold, v->wold);

	switch (b) {
	case VMSA_BAR_LD:
	case VMSA_BAR_ISHLD:
	case VMSA_BAR_NSHLD:
	case VMSA_BAR_OSHLD:
		v->rnew = vmax(v->rnew, v->rold);
		v->wnew = vmax(v->wnew, v->rold);
		break;
	case VMSA_BAR_ST:
	case VMSA_BAR_ISHST:
	case VMSA_BAR_NSHST:
	case VMSA_BAR_OSHST:
		v->wnew = vmax(v->wnew, v->wold);
		break;
	default:
		v->rnew = vmax(v->rnew, both);
		v->wnew = vmax(v->wnew, both);
		break;
	}
}

/* An ISB orders later reads after what decided earlier addresses and
 * branches (B2.3.7: ctrl-isb and addr-po-isb, "Dependency-ordered-
 * before"). */
void order_isb(vmsa_machine_t *m, int cpu)
{
	struct ord_views *v = &m->ord.v[cpu];

	v->rnew = vmax(v->rnew, v->cap);
}
