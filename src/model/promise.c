/*
 * src/model/promise.c - promises (feature `relaxed`): load buffering.
 *
 * Promising-ARM (Pulte, Pichon-Pharabod, Kang, Lee, Hur, PLDI 2019)
 * lets a thread promise a write before it runs it: the write becomes a
 * message of memory at once, other threads may read it, and the thread
 * must later fulfil it with a store of the same location and value
 * whose views stay below the promise's timestamp. That is how a read
 * sees a write its CPU has not made yet in program order (LB: each CPU
 * reads the other's po-later write; B2.3 allows it when nothing orders
 * the read before the write).
 *
 * The model runs CPU code in program order and cannot know a CPU's
 * future writes: the caller offers them (vmsa_promise; the litmus
 * interpreter knows its whole program). Promising-ARM certifies each
 * step (the thread, running alone, can still fulfil its promises);
 * an explorer that runs every execution to its end can instead drop
 * the executions that end with a promise not fulfilled (the caller
 * does, vmsa_promises_pending), which leaves the same complete
 * executions; vmsa_promises_doomed drops them as soon as a promise can
 * no longer be fulfilled (the CPU's views only grow).
 *
 * A promise is appended to memory (Promising-ARM's memory is a list
 * and a promise goes at its end); writes placed earlier (order.c) cover
 * the promises nobody reads. Descriptor stores are never promised: they
 * are only appended (rule 4 decides what walks see).
 *
 * A hardware update (Access flag, dirty state: D8.5) may be promised
 * too: Barrier-ordered-before ends at Explicit Memory and MMU Fault
 * Effects and DSB-ordered-before, without ETS2, leaves out Implicit TTD
 * Memory Effects (B2.3.7), so an update may be seen by another CPU
 * before its CPU's earlier acquire, or a read before its DMB or DSB, is
 * done (herd's LB+dmb.sy+acq-HU: the update is the write of the load
 * buffering cycle). The promise writes the descriptor at once, as a
 * speculative update does (hwspec.c: walks may read the old value or
 * the new one); a later walk of the CPU that reads the old value and
 * makes exactly that update fulfils it, in place of its own write
 * (order_fulfil_hw), when nothing that orders the update
 * (order_hw_pre) is at or after the promise's place.
 */
#include <inttypes.h>

#include "atomic.h"
#include "footprint.h"
#include "hwspec.h"
#include "machine.h"
#include "order.h"
#include "validate.h"
#include "write.h"

static uint64_t part_of(uint64_t v, unsigned size)
{
	return size >= 8 ? v : v & ((1ull << (size * 8)) - 1);
}

/* Is `after` what a hardware update of `before` writes: AF set, or the
 * dirty state (AP[2] cleared at stage 1, S2AP[1] set at stage 2, bit 7
 * either way) where DBM is set, or both (D8.5.3, D8.5.4)? */
static bool hw_update_of(uint64_t before, uint64_t after)
{
	uint64_t d = before ^ after, ap = 1ull << (VMSA_D_AP_SHIFT + 1);

	return d && !(d & ~(VMSA_D_AF | ap)) && !(before & d & VMSA_D_AF) &&
	       (!(d & ap) || (before & VMSA_D_DBM));
}

/* Word w with the size bytes at pa's offset replaced by v. */
static uint64_t merge_part(uint64_t w, uint64_t pa, unsigned size,
			   uint64_t v)
{
	unsigned sh = (unsigned)(pa & 7) * 8;
	uint64_t mask = part_of(~0ull, size) << sh;

	return (w & ~mask) | ((v << sh) & mask);
}

/* The message promise p made (NULL: none, out of memory then). */
static struct ord_msg *promise_msg(struct order *o,
				   const struct ord_promise *p)
{
	uint64_t word = p->pa & ~7ull;

	for (unsigned i = 0; i < o->msgs.n; i++)
		if (o->msgs.p[i].word == word && o->msgs.p[i].ts == p->ts)
			return &o->msgs.p[i];
	return NULL;
}

/* A promise p fulfilled: its CPU's store now (a descriptor store's
 * value then goes to walks with the CPU's next DSB: order_publish() and
 * the word's history); rmw: the write of an atomic (msg_ts_of). */
static void promise_done(vmsa_machine_t *m, struct ord_promise *p, bool rmw)
{
	struct order *o = &m->ord;
	struct ord_msg *g = promise_msg(o, p);

	p->done = true;
	o->pending[p->cpu]--;
	if (!g)
		return;
	g->rmw = rmw;
	if (p->desc) {
		g->cpu = p->cpu;
		desc_promise_own(m, p->cpu, g->word, g->value);
	}
}

/* The size bytes at pa in memory now (the newest message's value). */
static uint64_t mem_part(vmsa_machine_t *m, uint64_t pa, unsigned size)
{
	return part_of(mem_read(&m->mem, pa & ~7ull, 8) >> (pa & 7) * 8, size);
}

/* Can the candidate be a promise: a store (for a CAS, of a word that
 * holds the value it compares with now, or any value when that is not
 * known in advance: its write goes right after the newest message); or
 * a hardware update of the descriptor memory holds now? */
static bool promisable(vmsa_machine_t *m, const vmsa_promise_t *c)
{
	if (!c->hw_update)
		return c->kind != VMSA_PROMISE_CAS || c->expect_any ||
		       mem_part(m, c->pa, c->size) ==
			       part_of(c->expect, c->size);
	return c->kind == VMSA_PROMISE_STORE && m->f.hafdbs &&
	       c->size == 8 && is_table_slot(m, c->pa) &&
	       hw_update_of(mem_read(&m->mem, c->pa, 8), c->value);
}

/* The value the candidate's write stores: an atomic's op applied to
 * the newest value, right after which the promise goes. */
static uint64_t promised_value(vmsa_machine_t *m, const vmsa_promise_t *c)
{
	if (c->kind == VMSA_PROMISE_RMW)
		return rmw_apply(c->op, c->size, mem_part(m, c->pa, c->size),
				 c->value);
	return part_of(c->value, c->size);
}

/* The promise of a hardware update: the descriptor store now, a message
 * no CPU's DSB publishes to walks (hwspec.c). Returns its timestamp, 0
 * when the machine stopped. */
static uint64_t promise_hw(vmsa_machine_t *m, int cpu, uint64_t word,
			   uint64_t before, uint64_t after)
{
	size_t n = m->ord.msgs.n;

	desc_store(m, cpu, word, after);
	if (m->stopped)
		return 0;
	order_spec_write(m, -1, word, before, after);
	if (m->ord.msgs.n == n)
		return 0; /* out of memory: reported */
	spec_hist(m, word, before, after);
	return m->stopped ? 0 : m->ord.msgs.p[n].ts;
}

unsigned vmsa_promise(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const vmsa_promise_t *cands, unsigned n)
{
	struct order *o = &m->ord;
	const vmsa_promise_t *c;
	uint64_t word, before, after, ts, value, now;
	bool desc = false;
	unsigned k;

	if (!check_cpu(m, "vmsa_promise", cpu))
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (!check_pa(m, "vmsa_promise", cpu, cands[i].pa,
			      cands[i].size))
			return 0;
		if (!check_promise_kind(m, "vmsa_promise", cpu,
					cands[i].kind) ||
		    (cands[i].kind == VMSA_PROMISE_RMW &&
		     !check_rmw_op(m, "vmsa_promise", cpu, cands[i].op)))
			return 0;
	}
	if (!m->f.relaxed || !n || !step_begin(m, cpu))
		return 0;
	k = choose(m, n + 1, "promise: which write (0: none)");
	if (!k)
		return 0;
	c = &cands[k - 1];
	if (!promisable(m, c))
		return 0;
	word = c->pa & ~7ull;
	before = mem_read(&m->mem, word, 8);
	/* The value a CAS that fulfils it must compare with: the one its
	 * write goes right after (expect_any: whatever that is). */
	now = mem_part(m, c->pa, c->size);
	value = promised_value(m, c);
	ts = o->max_ts + ORD_GAP;
	if (c->hw_update) {
		after = c->value;
		if (!(ts = promise_hw(m, cpu, word, before, after)))
			return 0;
	} else if ((desc = is_table_slot(m, word))) {
		/* A descriptor store: made now, as its CPU's (its checks,
		 * the TLBs, the word's history), but no DSB of the CPU
		 * publishes it before the store that fulfils it runs. */
		after = merge_part(before, c->pa, c->size, value);
		desc_store(m, cpu, word, after);
		if (m->stopped)
			return 0;
		desc_promise_hide(m, cpu, word, after);
		order_write(m, -1, word, before, after, ts, VMSA_ORD_PLAIN,
			    0, 0, false);
	} else {
		/* The message is the newest: memory holds its value (the
		 * store path clears other CPUs' exclusive marks, as the
		 * write will). */
		data_write(m, cpu, c->pa, c->size, value, c->cacheable);
		if (m->stopped)
			return 0;
		after = mem_read(&m->mem, word, 8);
		order_write(m, -1, word, before, after, ts, VMSA_ORD_PLAIN,
			    0, 0, false);
	}
	if (ord_proms_push(&o->proms, (struct ord_promise){
			c->pa, c->size, value, ts, cpu, false, c->hw_update,
			before, c->kind, c->op,
			part_of(c->kind != VMSA_PROMISE_CAS ? c->value :
				c->expect_any ? now :
				c->expect, c->size), desc})) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for promises");
		return 0;
	}
	o->pending[cpu]++;
	trace(m, cpu, "promise", "[PA 0x%" PRIx64 "] := 0x%" PRIx64
	      " (%u bytes)%s", c->pa, c->hw_update ? c->value : value,
	      c->size, c->hw_update ? ": hardware update" :
	      c->kind == VMSA_PROMISE_RMW ? ": atomic" :
	      c->kind == VMSA_PROMISE_CAS ? ": compare-and-swap" : "");
	return k;
}

bool order_fulfil(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		  uint64_t v, vmsa_order_t ord, vmsa_view_t addr,
		  vmsa_view_t data)
{
	struct order *o = &m->ord;
	uint64_t word = pa & ~7ull, pre;

	if (!o->pending[cpu])
		return false;
	pre = order_write_pre(m, cpu, word, ord, addr, data);
	/* The oldest matching promise first: a store fulfils the first
	 * promise it can (a later identical store gets a new message). */
	for (unsigned i = 0; i < o->proms.n; i++) {
		struct ord_promise *p = &o->proms.p[i];

		if (p->cpu != cpu || p->done || p->hw ||
		    p->kind != VMSA_PROMISE_STORE || p->pa != pa ||
		    p->size != size || p->value != part_of(v, size) ||
		    pre >= p->ts)
			continue;
		promise_done(m, p, false);
		order_wrote(m, cpu, word, p->ts, ord, addr, data);
		trace(m, cpu, "fulfil", "the promise of [PA 0x%" PRIx64 "]",
		      pa);
		return true;
	}
	return false;
}

/*
 * An atomic's read (order_read) of a promise of its CPU's: the same
 * instruction (order_read_rmw_of: the operation and operand, or the
 * CAS's compared and new values), size and PA, whose place its views
 * allow: the read may take the write just below it (nothing of the word
 * in between, lo below the promise) and the write's pre-view wpre is
 * below it; the value read must give the promised one (an RMW's op) or
 * be the compared one (a CAS). The oldest such promise first, as a
 * store's.
 */
int64_t order_rmw_promise(vmsa_machine_t *m, int cpu, uint64_t pa,
			  unsigned size, uint64_t lo, uint64_t wpre,
			  const uint64_t *rmw_old, uint32_t *prom)
{
	struct order *o = &m->ord;
	uint64_t word = pa & ~7ull, w, val;
	uint32_t mi;

	for (unsigned i = 0; i < o->proms.n; i++) {
		const struct ord_promise *p = &o->proms.p[i];

		if (p->cpu != cpu || p->done || p->hw ||
		    p->kind != o->rmw_kind || p->pa != pa ||
		    p->size != size || lo >= p->ts || wpre >= p->ts)
			continue;
		if (p->kind == VMSA_PROMISE_RMW ?
			    p->op != o->rmw_op || p->arg != o->rmw_arg :
			    !rmw_old || p->arg != *rmw_old ||
			    p->value != o->rmw_arg)
			continue;
		mi = order_msg_below(o, word, p->ts, &w);
		val = part_of(w >> (pa & 7) * 8, size);
		if (p->kind == VMSA_PROMISE_RMW ?
			    rmw_apply(p->op, size, val, p->arg) != p->value :
			    val != p->arg)
			continue;
		*prom = i + 1;
		return mi;
	}
	return -1;
}

bool order_fulfil_rmw(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		      uint64_t v, vmsa_order_t ord, vmsa_view_t addr,
		      vmsa_view_t data)
{
	struct order *o = &m->ord;
	struct ord_promise *p;
	uint64_t word = pa & ~7ull;

	if (!o->rmw_set || !o->rmw_prom)
		return false;
	p = &o->proms.p[o->rmw_prom - 1];
	o->rmw_set = false;
	o->rmw_prom = 0;
	promise_done(m, p, true);
	order_wrote(m, cpu, word, p->ts, ord, addr, data);
	order_rmw_wrote(m, cpu, word, p->ts, ord);
	trace(m, cpu, "fulfil", "the promise of [PA 0x%" PRIx64 "] := 0x%"
	      PRIx64, pa, part_of(v, size));
	return true;
}

uint32_t order_ldxr_promise(vmsa_machine_t *m, int cpu, uint64_t pa,
			    unsigned size)
{
	struct order *o = &m->ord;
	uint64_t w;

	if (!o->pending[cpu] || !o->rd_n || o->rd_word != (pa & ~7ull))
		return 0;
	for (unsigned i = 0; i < o->proms.n; i++) {
		const struct ord_promise *p = &o->proms.p[i];
		uint32_t mi;

		if (p->cpu != cpu || p->done || p->kind != VMSA_PROMISE_STXR ||
		    p->pa != pa || p->size != size)
			continue;
		mi = order_msg_below(o, pa & ~7ull, p->ts, &w);
		if ((mi ? o->msgs.p[mi - 1].ts : 0) == o->rd_ts)
			return i + 1;
	}
	return 0;
}

bool order_fulfil_stxr(vmsa_machine_t *m, int cpu, uint32_t prom,
		       uint32_t read, uint64_t pa, unsigned size, uint64_t v,
		       vmsa_order_t ord, vmsa_view_t addr)
{
	struct order *o = &m->ord;
	uint64_t word = pa & ~7ull, w;
	struct ord_promise *p;
	uint32_t mi;

	if (!prom || prom > o->proms.n || read >= o->reads.n)
		return false;
	p = &o->proms.p[prom - 1];
	mi = order_msg_below(o, word, p->ts, &w);
	/* Still right after the write the LDXR read (no write of another
	 * CPU took a place between since), the same store, and its views
	 * below the place. */
	if (p->done || p->cpu != cpu || p->pa != pa || p->size != size ||
	    p->value != part_of(v, size) ||
	    (mi ? o->msgs.p[mi - 1].ts : 0) != o->reads.p[read].t ||
	    order_write_pre(m, cpu, word, ord, addr, 0) >= p->ts)
		return false;
	promise_done(m, p, false);
	o->reads.p[read].lo = p->ts;
	order_wrote(m, cpu, word, p->ts, ord, addr, 0);
	trace(m, cpu, "fulfil", "the promise of [PA 0x%" PRIx64 "] := 0x%"
	      PRIx64 " (store-exclusive)", pa, part_of(v, size));
	return true;
}

bool order_fulfil_hw(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t before, uint64_t after)
{
	struct order *o = &m->ord;
	uint64_t pre;

	if (!o->pending[cpu])
		return false;
	pre = order_hw_pre(m, cpu, true);
	for (unsigned i = 0; i < o->proms.n; i++) {
		struct ord_promise *p = &o->proms.p[i];

		if (p->cpu != cpu || p->done || !p->hw || p->pa != word ||
		    p->before != before || p->value != after || pre >= p->ts)
			continue;
		p->done = true;
		o->pending[cpu]--;
		if (o->v[cpu].hu < p->ts)
			o->v[cpu].hu = p->ts;
		trace(m, cpu, "fulfil", "the promise of the hardware update "
		      "of [PA 0x%" PRIx64 "]", word);
		return true;
	}
	return false;
}

unsigned vmsa_promises_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus)
		return 0;
	return m->ord.pending[cpu];
}

bool vmsa_promises_doomed(const vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	const struct order *o = &m->ord;

	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus || !o->pending[cpu])
		return false;
	for (unsigned i = 0; i < o->proms.n; i++) {
		const struct ord_promise *p = &o->proms.p[i];

		/* A plain store with no dependency is the least ordered
		 * store the CPU can still make there. */
		if (p->cpu != cpu || p->done)
			continue;
		if (p->hw ? order_hw_pre(m, cpu, false) >= p->ts :
			    order_write_pre(m, cpu, p->pa & ~7ull,
					    VMSA_ORD_PLAIN, 0, 0) >= p->ts)
			return true;
	}
	return false;
}
