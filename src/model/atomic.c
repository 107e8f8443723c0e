/*
 * src/model/atomic.c - atomic read-modify-writes (FEAT_LSE: SWP,
 * LD<op>/ST<op>, CAS), exclusives (LDXR/STXR, CLREX) and the Exclusives
 * monitors, on the model's sequentially consistent memory.
 *
 * Each instruction is translated like any access (access_translate():
 * a fault goes to its handler and the instruction is retried), then
 * performed in one step, so that an RMW's read and write have no other
 * write between them (single-copy atomicity, B2.2.1). With the feature
 * relaxed (order.c) each read and write is also a read and a message of
 * the ordering model with the instruction's ordering: an RMW (and a
 * successful CAS) reads a message its write can follow at once, before
 * the word's next message (it is atomic: order_read_rmw; a descriptor's
 * newest), a CAS any the views allow as a failing CAS, a LDXR any the
 * CPU's views allow (one that is no longer the newest clears its mark:
 * a STXR after it could not be atomic).
 *
 * The monitors (B2.12). Each CPU has a local monitor and a state machine
 * in the global monitor, marking one granule (EXCL_GRANULE bytes). The
 * model treats all memory as shareable and monitored by the global
 * monitor (the architecture guarantees one for Inner/Outer Shareable
 * Write-Back memory; elsewhere it is system-defined).
 *  - LDXR marks the granule of its PA: local and global set.
 *  - STXR passes when both are set, on its granule, by a LDXR of the
 *    same size (a different VA or size is CONSTRAINED UNPREDICTABLE,
 *    B2.12.5: the model fails it); it then clears both, and its store
 *    clears the other CPUs' marks on the granule.
 *  - A store by another CPU (any store path: monitor_clear()) clears the
 *    global mark; a failing CAS may (a choice).
 *  - CLREX and exception return clear the local monitor.
 */
#include <inttypes.h>
#include <string.h>

#include "atomic.h"
#include "footprint.h"
#include "order.h"
#include "spe.h"
#include "translate.h"
#include "validate.h"
#include "write.h"

static uint64_t granule(uint64_t pa)
{
	return pa & ~(uint64_t)(EXCL_GRANULE - 1);
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

const char *vmsa_order_name(vmsa_order_t o)
{
	static const char *const n[] = {
		[VMSA_ORD_PLAIN] = "plain", [VMSA_ORD_ACQ] = "acq",
		[VMSA_ORD_ACQ_PC] = "acq-pc", [VMSA_ORD_REL] = "rel",
		[VMSA_ORD_ACQ_REL] = "acq-rel",
	};

	return (unsigned)o <= VMSA_ORD_ACQ_REL ? n[o] : "?";
}

const char *order_suffix(vmsa_order_t o)
{
	static const char *const s[] = {
		[VMSA_ORD_PLAIN] = "", [VMSA_ORD_ACQ] = " acq",
		[VMSA_ORD_ACQ_PC] = " acq-pc", [VMSA_ORD_REL] = " rel",
		[VMSA_ORD_ACQ_REL] = " acq-rel",
	};

	return (unsigned)o <= VMSA_ORD_ACQ_REL ? s[o] : "";
}

const char *vmsa_rmw_op_name(vmsa_rmw_op_t op)
{
	static const char *const n[] = {
		[VMSA_RMW_SWP] = "swp", [VMSA_RMW_ADD] = "add",
		[VMSA_RMW_SET] = "set", [VMSA_RMW_CLR] = "clr",
		[VMSA_RMW_EOR] = "eor", [VMSA_RMW_SMAX] = "smax",
		[VMSA_RMW_SMIN] = "smin", [VMSA_RMW_UMAX] = "umax",
		[VMSA_RMW_UMIN] = "umin",
	};

	return (unsigned)op <= VMSA_RMW_UMIN ? n[op] : "?";
}

/* ------------------------------------------------------------------ */
/* Monitors                                                            */
/* ------------------------------------------------------------------ */

/* Does a CPU other than `cpu` mark the granule of pa? */
static bool marked_by_other(const vmsa_machine_t *m, int cpu, uint64_t pa)
{
	for (unsigned k = 0; k < m->f.ncpus; k++)
		if ((m->excl_mask >> k & 1) && (int)k != cpu &&
		    m->cpu[k].excl.pa == granule(pa))
			return true;
	return false;
}

/*
 * Feature relaxed: does e's mark stay through writer's store of
 * [pa, pa + size)? A store of the very word e's LDXR read (a data word,
 * which has messages in memory's order) need not come between the
 * pair's read and write: it may take a place after the STXR's write in
 * the word's coherence order, and the STXR decides at its turn
 * (order_stxr_blocked; herd7's MP with a DMB between another CPU's
 * store and a flag the pair's CPU reads in between: Allowed). Other
 * words of the granule, descriptors and hardware updates clear it when
 * made, as without the feature.
 */
static bool mark_survives(vmsa_machine_t *m, const struct excl_monitor *e,
			  int writer, uint64_t pa, unsigned size)
{
	uint64_t word;

	if (!m->f.relaxed || writer < 0 || e->read >= m->ord.reads.n)
		return false;
	word = m->ord.reads.p[e->read].word;
	return pa >= word && pa + size <= word + 8 && !is_table_slot(m, word);
}

void monitor_clear_marks(vmsa_machine_t *m, int writer, uint64_t pa,
			 unsigned size)
{
	uint64_t first = granule(pa), last = granule(pa + size - 1);

	for (unsigned k = 0; k < m->f.ncpus; k++) {
		struct excl_monitor *e = &m->cpu[k].excl;

		if (!(m->excl_mask >> k & 1) || (int)k == writer ||
		    e->pa < first || e->pa > last ||
		    mark_survives(m, e, writer, pa, size))
			continue;
		e->global = false;
		m->excl_mask &= ~(1u << k);
		if (writer >= 0)
			trace(m, writer, "monitor", "CPU%u's exclusive mark of "
			      "PA 0x%" PRIx64 " cleared", k, e->pa);
	}
}

void monitor_clear_local(struct cpu *c)
{
	c->excl.local = false;
}

/* The CPU's own monitors after its STXR: clear (B2.12.1: the local
 * monitor goes to Open Access; the global one's final state is
 * IMPLEMENTATION DEFINED, B2.12.2.1: the model clears it too). */
static void monitor_release(vmsa_machine_t *m, int cpu)
{
	m->cpu[cpu].excl.local = false;
	m->cpu[cpu].excl.global = false;
	m->excl_mask &= ~(1u << cpu);
}

/*
 * A CAS whose comparison failed writes nothing, but "the architecture
 * permits that the data read clears any exclusive monitors associated
 * with that location, even if the compare subsequently fails" (C6.2.51;
 * MemAtomic does ClearExclusiveByAddress before comparing). herd7 makes
 * it a choice too (a failing CAS with or without its write-back). So
 * when another CPU marks the granule: option 0 clears, as the
 * pseudocode does; option 1 leaves it. The footprint reads every CPU's
 * monitor: a LDXR or STXR elsewhere does not commute with it.
 */
static void cas_failed(vmsa_machine_t *m, int cpu, uint64_t pa,
		       unsigned size)
{
	fp_obj_all(m, FP_OBJ_MON, false);
	if (marked_by_other(m, cpu, pa) &&
	    choose(m, 2, "failed CAS clears monitors") == 0)
		monitor_clear(m, cpu, pa, size);
}

/* ------------------------------------------------------------------ */
/* Atomic read-modify-writes                                           */
/* ------------------------------------------------------------------ */

/* How an atomic's read may pick among the ordering model's messages. */
enum atomic_read_kind {
	AR_RMW,		/* an RMW: atomic, a message its write can follow
			   at once (order_read_rmw) */
	AR_CAS,		/* a CAS: the same, or any as a failing CAS */
	AR_ANY,		/* a LDXR: any the CPU's views allow */
};

/* An atomic's operation and its operand (a CAS: its new value), of the
 * access's size, and its data dependency. */
struct rmw_insn {
	vmsa_rmw_op_t op;
	uint64_t arg;
	vmsa_view_t data;	/* the view its write's data depends on */
	bool noret;		/* its read returns nothing (ST<op>, a CAS
				   into the zero register) */
};

/*
 * The read of an atomic or exclusive at pa: memory's value and, with the
 * feature relaxed, the ordering model's choice. *stale (when not NULL)
 * tells whether the value is not memory's newest; *view is the read's
 * post-view (0 without the feature).
 */
static uint64_t atomic_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			    unsigned size, bool cacheable, vmsa_order_t ord,
			    vmsa_view_t addr, enum atomic_read_kind k,
			    uint64_t expect, const struct rmw_insn *insn,
			    bool *stale, vmsa_view_t *view)
{
	uint64_t now = data_read(m, cpu, pa, size, cacheable), v = now;

	*view = 0;
	if (m->f.relaxed && !m->stopped) {
		/* The instruction, for the promise it may fulfil. */
		if (k == AR_RMW)
			order_read_rmw_of(m, VMSA_PROMISE_RMW, insn->op,
					  insn->arg, insn->data, insn->noret);
		else if (k == AR_CAS)
			order_read_rmw_of(m, VMSA_PROMISE_CAS, VMSA_RMW_SWP,
					  insn->arg, insn->data, insn->noret);
		v = order_read(m, cpu, pa, size, now, ord, addr,
			       k == AR_CAS ? &expect : NULL, view);
		/* The read rule moves plain reads only
		 * (dpor_read_redundant). */
		m->ord.rd_ok = false;
	}
	if (stale)
		*stale = v != now;
	return v;
}

static int64_t sext(uint64_t v, unsigned size)
{
	unsigned sh = 64 - 8 * size;

	return (int64_t)(v << sh) >> sh;
}

/* The value an RMW writes: op(old, operand), of size bytes (C6.2.179
 * and its siblings; MemAtomic's modop). */
uint64_t rmw_apply(vmsa_rmw_op_t op, unsigned size, uint64_t old,
		   uint64_t operand)
{
	uint64_t mask = size_mask(size), a = old & mask, b = operand & mask;
	uint64_t r = 0;

	switch (op) {
	case VMSA_RMW_SWP:
		r = b;
		break;
	case VMSA_RMW_ADD:
		r = a + b;
		break;
	case VMSA_RMW_SET:
		r = a | b;
		break;
	case VMSA_RMW_CLR:
		r = a & ~b;
		break;
	case VMSA_RMW_EOR:
		r = a ^ b;
		break;
	case VMSA_RMW_SMAX:
		r = sext(a, size) >= sext(b, size) ? a : b;
		break;
	case VMSA_RMW_SMIN:
		r = sext(a, size) <= sext(b, size) ? a : b;
		break;
	case VMSA_RMW_UMAX:
		r = a >= b ? a : b;
		break;
	case VMSA_RMW_UMIN:
		r = a <= b ? a : b;
		break;
	}
	return r & mask;
}

/*
 * The translation of an atomic (rmw) or a STXR: for writing, an atomic
 * with read permission checked too, no instruction syndrome (ISV = 0
 * for atomics and exclusives: ESR_EL2 ISV). Faults are taken and the
 * instruction retried before anything is read: a faulting atomic has no
 * effect (its Ws/Xs is restored, C6.2.51). ord is its ordering, for the
 * retired entries it may use (a faulting release is ordered as herd7
 * orders it: order_fault_floor). The walk obeys what every explicit
 * access's does (access_xlat: retired entries, and with
 * access_xlat_done the TLBIs its entry is ordered with). True with the
 * translation in x; *cacheable its memory type.
 */
static bool atomic_translate(vmsa_machine_t *m, int cpu, uint64_t va,
			     const char *op, bool rmw, vmsa_order_t ord,
			     const vmsa_access_deps_t *deps, struct xlat *x,
			     bool *cacheable)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_WRITE};
	struct exc_abort_info info = {.write = true};

	if (!access_xlat(m, cpu, &acc, &info, x, op,
			 &(struct ord_acc){.ord = ord, .rmw = rmw,
					   .addr = deps ? deps->addr : 0,
					   .data = deps ? deps->data : 0}))
		return false;
	*cacheable = vmsa_memattr_cacheable(&x->walk.attr);
	return true;
}

static uint64_t vjoin(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The view of an atomic's address: its translation's (order_walk_view)
 * and its address dependency. */
static vmsa_view_t atomic_addr_view(const vmsa_machine_t *m, int cpu,
				    const struct xlat *x,
				    const vmsa_access_deps_t *deps)
{
	return vjoin(order_walk_view(m, cpu, &x->walk), deps ? deps->addr : 0);
}

/*
 * The ordering of the read of an atomic that returns nothing (ST<op>,
 * and LD<op>, SWP or CAS with the zero register as destination): no
 * acquire. C6.2's LDADD, SWP and CAS: "If the destination register is
 * not one of WZR or XZR, LDADDA and LDADDAL load from memory with
 * acquire semantics" (and so SWPA/SWPAL, CASA/CASAL); herd7 gives such a
 * read the NoRet annotation instead of A. Its write keeps its release.
 */
static vmsa_order_t noret_read_order(vmsa_order_t ord)
{
	switch (ord) {
	case VMSA_ORD_ACQ:
	case VMSA_ORD_ACQ_PC:
		return VMSA_ORD_PLAIN;
	case VMSA_ORD_ACQ_REL:
		return VMSA_ORD_REL;
	default:
		return ord;
	}
}

/*
 * The forwarding bank of an atomic's write (order_fwd_set), B2.3.2's
 * dependencies through it: a read that takes its value depends on its
 * address (av) and its operand (deps->data), and through a pick
 * dependency on deps->pick; on the atomic's read (rv) as data when the
 * value written is computed from the value read (LD<op>; not SWP, whose
 * value is the register's) and as a pick dependency for a CAS (its
 * comparison decides the write); an acquire that takes it is ordered
 * after that read (Atomic-ordered-before).
 */
static void atomic_fwd(vmsa_machine_t *m, int cpu, uint64_t pa, bool cas,
		       vmsa_rmw_op_t op, vmsa_view_t av,
		       const vmsa_access_deps_t *deps, vmsa_view_t rv)
{
	vmsa_view_t view = vjoin(av, deps ? deps->data : 0);
	vmsa_view_t pick = deps ? deps->pick : 0;

	if (cas && deps)
		pick = vjoin(pick, vjoin(deps->cmp, deps->cmp_pick));
	if (cas)
		pick = vjoin(pick, rv);
	else if (op != VMSA_RMW_SWP)
		view = vjoin(view, rv);
	order_fwd_set(m, cpu, pa & ~7ull, view, pick, rv);
}

/*
 * The view of the value a successful CAS returns (vmsa_cas_v), rv the
 * read's: the value read is also the compared value, and herd7's
 * aarch64_cas offers both as its source (DataFromRx: a data dependency
 * on the read; DataFromRRs: one on the compared register and, through
 * the comparison, a pick dependency on it and on the read). The weaker
 * of the two when one is (the read's when the compared value's view is
 * not older; the compared value's when its pick views add nothing for
 * writes), else a choice. The pick view goes to read_pick
 * (vmsa_read_pick).
 */
static vmsa_view_t cas_result(vmsa_machine_t *m, int cpu,
			      const vmsa_access_deps_t *deps, vmsa_view_t rv)
{
	vmsa_view_t rp, cv, cp;

	if (!m->f.relaxed || !deps || deps->cmp >= rv)
		return rv;
	rp = m->ord.read_pick[cpu];
	cv = deps->cmp;
	cp = vjoin(deps->cmp_pick, vjoin(rv, rp));
	if (deps->cmp_pick > vjoin(rv, rp) &&
	    !choose(m, 2, "CAS result: read or compared value"))
		return rv;
	m->ord.read_pick[cpu] = cp;
	return cv;
}

static bool rmw_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		  vmsa_rmw_op_t op, uint64_t operand, vmsa_order_t ord,
		  const vmsa_access_deps_t *deps, uint64_t *old,
		  vmsa_view_t *view, const char *fn)
{
	uint64_t cur, nv, wv, rv;
	vmsa_view_t data = order_deps_data(deps);
	struct xlat x;
	bool cacheable;
	size_t n_msgs;

	if (old)
		*old = 0;
	if (view)
		*view = 0;
	if (!check_cpu(m, fn, cpu) || !check_va_access(m, fn, cpu, va, size) ||
	    !check_rmw_op(m, fn, cpu, op) ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_RMW) ||
	    !atomic_translate(m, cpu, va, "rmw", true, ord, deps, &x,
			      &cacheable))
		return false;
	wv = atomic_addr_view(m, cpu, &x, deps);
	cur = atomic_read(m, cpu, x.walk.pa, size, cacheable,
			  old ? ord : noret_read_order(ord), wv,
			  AR_RMW, 0, &(struct rmw_insn){op, operand &
							size_mask(size), data,
							!old},
			  NULL, &rv);
	nv = rmw_apply(op, size, cur, operand);
	trace(m, cpu, "rmw", "%s [0x%" PRIx64 "] 0x%" PRIx64 ": 0x%" PRIx64
	      " -> 0x%" PRIx64 "%s", vmsa_rmw_op_name(op), va,
	      operand & size_mask(size), cur, nv, order_suffix(ord));
	/* It always writes, also the value it read (LDADD of 0). */
	n_msgs = m->ord.msgs.n;
	if (!m->stopped) {
		ord_store(m, cpu, x.walk.pa, size, nv, cacheable, ord, wv, data,
			  true);
		atomic_fwd(m, cpu, x.walk.pa, false, op, wv, deps, rv);
	}
	access_xlat_done(m, cpu, &x, true,
			 vjoin(rv, access_store_ts(m, cpu, n_msgs)));
	access_explicit(m, cpu);
	spe_sample(m, cpu, va, true);
	if (old)
		*old = cur;
	if (view)
		*view = rv;
	return !m->stopped;
}

bool vmsa_rmw(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
	      vmsa_rmw_op_t op, uint64_t operand, vmsa_order_t ord,
	      uint64_t *old)
{
	return rmw_v(m, cpu, va, size, op, operand, ord, NULL, old, NULL,
		     "vmsa_rmw");
}

bool vmsa_rmw_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		vmsa_rmw_op_t op, uint64_t operand, vmsa_order_t ord,
		const vmsa_access_deps_t *deps, uint64_t *old,
		vmsa_view_t *view)
{
	return rmw_v(m, cpu, va, size, op, operand, ord, deps, old, view,
		     "vmsa_rmw_v");
}

static bool cas_ord(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		    uint64_t expect, uint64_t val, vmsa_order_t ord,
		    const vmsa_access_deps_t *deps, uint64_t *prev,
		    vmsa_view_t *view, const char *fn)
{
	uint64_t want = expect & size_mask(size), got;
	vmsa_view_t wv, rv, res, data = order_deps_data(deps);
	struct xlat x;
	bool cacheable, swapped;
	size_t n_msgs;

	if (prev)
		*prev = 0;
	if (view)
		*view = 0;
	if (!check_cpu(m, fn, cpu) || !check_va_access(m, fn, cpu, va, size) ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_RMW) ||
	    !atomic_translate(m, cpu, va, "cas", true, ord, deps, &x,
			      &cacheable))
		return false;
	wv = atomic_addr_view(m, cpu, &x, deps);
	got = atomic_read(m, cpu, x.walk.pa, size, cacheable,
			  prev ? ord : noret_read_order(ord), wv, AR_CAS, want,
			  &(struct rmw_insn){VMSA_RMW_SWP, val & size_mask(size),
					     data, !prev},
			  NULL, &rv);
	swapped = got == want;
	res = swapped && !m->stopped ? cas_result(m, cpu, deps, rv) : rv;
	trace(m, cpu, "cas", "[0x%" PRIx64 "] 0x%" PRIx64 " -> 0x%" PRIx64
	      ": %s%s", va, expect, val, swapped ? "swapped" : "failed",
	      order_suffix(ord));
	n_msgs = m->ord.msgs.n;
	if (swapped && !m->stopped) {
		ord_store(m, cpu, x.walk.pa, size, val, cacheable, ord, wv,
			  data, true);
		atomic_fwd(m, cpu, x.walk.pa, true, VMSA_RMW_SWP, wv, deps, rv);
	} else if (!m->stopped)
		cas_failed(m, cpu, x.walk.pa, size);
	/* A failing CAS is a read: its view alone. */
	access_xlat_done(m, cpu, &x, true,
			 vjoin(rv, access_store_ts(m, cpu, n_msgs)));
	access_explicit(m, cpu);
	spe_sample(m, cpu, va, true);
	if (prev)
		*prev = got;
	if (view)
		*view = res;
	return !m->stopped;
}

bool vmsa_cas(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
	      uint64_t old, uint64_t val, uint64_t *prev)
{
	return cas_ord(m, cpu, va, size, old, val, VMSA_ORD_PLAIN, NULL, prev,
		       NULL, "vmsa_cas");
}

bool vmsa_cas_ord(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		  uint64_t expect, uint64_t val, vmsa_order_t ord,
		  uint64_t *prev)
{
	return cas_ord(m, cpu, va, size, expect, val, ord, NULL, prev, NULL,
		       "vmsa_cas_ord");
}

bool vmsa_cas_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		uint64_t expect, uint64_t val, vmsa_order_t ord,
		const vmsa_access_deps_t *deps, uint64_t *prev,
		vmsa_view_t *view)
{
	return cas_ord(m, cpu, va, size, expect, val, ord, deps, prev, view,
		       "vmsa_cas_v");
}

/* ------------------------------------------------------------------ */
/* Exclusives                                                          */
/* ------------------------------------------------------------------ */

static bool ldxr_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		   vmsa_order_t ord, const vmsa_access_deps_t *deps,
		   uint64_t *val, vmsa_view_t *view, const char *fn)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_READ};
	struct exc_abort_info info = {.write = false};
	struct excl_monitor *e;
	struct xlat x;
	vmsa_view_t rv;
	bool stale;

	*val = 0;
	if (view)
		*view = 0;
	if (!check_cpu(m, fn, cpu) || !check_va_access(m, fn, cpu, va, size) ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_LDX) ||
	    !access_xlat(m, cpu, &acc, &info, &x, "ldxr",
			 &(struct ord_acc){.ord = ord,
					   .addr = deps ? deps->addr : 0}))
		return false;
	*val = atomic_read(m, cpu, x.walk.pa, size,
			   vmsa_memattr_cacheable(&x.walk.attr), ord,
			   atomic_addr_view(m, cpu, &x, deps), AR_ANY, 0, NULL,
			   &stale, &rv);
	if (view)
		*view = rv;
	access_xlat_done(m, cpu, &x, true, rv);
	/* One mark per CPU: a new one replaces the old (B2.12.2.1). */
	e = &m->cpu[cpu].excl;
	e->local = true;
	/* A value older than memory's (feature relaxed) was overwritten
	 * by another CPU already: its STXR cannot pass (atomicity); but
	 * for the CPU's own promise of that STXR right after it. */
	e->prom = 0;
	if (m->f.relaxed && !m->stopped) {
		e->prom = order_ldxr_promise(m, cpu, x.walk.pa, size);
		e->read = (uint32_t)m->ord.reads.n - 1;
		e->rview = rv;
	}
	e->global = !stale || e->prom;
	e->pa = granule(x.walk.pa);
	e->size = size;
	if (e->global)
		m->excl_mask |= 1u << cpu;
	fp_obj(m, FP_OBJ_MON + (unsigned)cpu, true);
	access_explicit(m, cpu);
	trace(m, cpu, "ldxr", "[0x%" PRIx64 "] = 0x%" PRIx64 ", marks PA 0x%"
	      PRIx64 "%s", va, *val, e->pa, order_suffix(ord));
	spe_sample(m, cpu, va, false);
	return !m->stopped;
}

bool vmsa_ldxr(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
	       vmsa_order_t ord, uint64_t *val)
{
	return ldxr_v(m, cpu, va, size, ord, NULL, val, NULL, "vmsa_ldxr");
}

bool vmsa_ldxr_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		 vmsa_order_t ord, const vmsa_access_deps_t *deps,
		 uint64_t *val, vmsa_view_t *view)
{
	return ldxr_v(m, cpu, va, size, ord, deps, val, view, "vmsa_ldxr_v");
}

/* Why a STXR fails ("" when it passes), before the spurious choice. */
static const char *stxr_check(const struct excl_monitor *e, uint64_t pa,
			      unsigned size)
{
	if (!e->local)
		return "local monitor clear";
	if (!e->global)
		return "mark cleared";
	if (e->pa != granule(pa))
		return "another granule is marked";
	if (e->size != size)
		return "size differs from the LDXR's";
	return "";
}

/*
 * May a STXR at call site `site` of granule pa that could pass fail
 * spuriously (B2.12.1.1: the local monitor may clear for no
 * architectural reason; herd7's store-conditional always may fail)? Not
 * if the same site of the same granule already did since the CPU's last
 * STXR that could pass and passed: a retry loop (one site) then passes,
 * the forward progress B2.12.5 wants, so its search ends; distinct
 * store-exclusives of straight-line code (distinct sites; herd7's
 * litmus tests) each may fail. Site 0 (vmsa_stxr, vmsa_stxr_v) is one
 * site: the rule is then per granule.
 */
static bool spurious_allowed(const struct excl_monitor *e, uint64_t pa,
			     uint64_t site)
{
	for (unsigned i = 0; i < e->n_spurious; i++)
		if (e->spurious[i].pa == pa && e->spurious[i].site == site)
			return false;
	return true;
}

/* Record a spurious failure at (pa, site): false (a model limit
 * reported) when EXCL_SPURIOUS_MAX sites already failed in a row. */
static bool spurious_note(vmsa_machine_t *m, int cpu, uint64_t pa,
			  uint64_t site)
{
	struct excl_monitor *e = &m->cpu[cpu].excl;

	if (e->n_spurious == EXCL_SPURIOUS_MAX) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: more than %d store-exclusive sites "
			  "failed spuriously in a row", EXCL_SPURIOUS_MAX);
		return false;
	}
	e->spurious[e->n_spurious++] = (struct excl_site){pa, site};
	return true;
}

static bool stxr_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		   uint64_t val, vmsa_order_t ord,
		   const vmsa_access_deps_t *deps, uint64_t site,
		   unsigned *status, const char *fn)
{
	struct excl_monitor *e;
	const char *why;
	struct xlat x;
	bool cacheable;
	uint64_t ts = 0;
	uint32_t prom, read;
	uint64_t word, pre = 0;
	vmsa_view_t av, rview;
	size_t n_msgs;
	bool placed;

	*status = 1;
	if (!check_cpu(m, fn, cpu) || !check_va_access(m, fn, cpu, va, size) ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_WRITE) ||
	    !atomic_translate(m, cpu, va, "stxr", false, ord, deps, &x,
			      &cacheable))
		return false;
	/* Its address's view orders its write (a data dependency does not:
	 * herd7's LB with one into each STXR is Allowed). */
	av = atomic_addr_view(m, cpu, &x, deps);
	word = x.walk.pa & ~7ull;
	e = &m->cpu[cpu].excl;
	/* It reads and changes its monitor, and may write the line, also
	 * when it fails: dependent with every store there. */
	fp_obj(m, FP_OBJ_MON + (unsigned)cpu, true);
	fp_line(m, x.walk.pa, true);
	why = stxr_check(e, x.walk.pa, size);
	prom = e->prom;
	read = e->read;
	rview = e->rview;
	e->prom = 0;
	/* Feature relaxed, a data word and no promise: the write may go
	 * right after what its LDXR read (order_stxr_place, below), with
	 * its views at `pre`. */
	placed = m->f.relaxed && !prom && read < m->ord.reads.n &&
		 !is_table_slot(m, word);
	if (placed)
		pre = order_write_pre(m, cpu, word, ord, av, 0);
	/* Another CPU's store of the word the LDXR read left the mark
	 * (mark_survives): memory's order says whether it came between
	 * the pair's read and write. */
	if (!*why && placed && m->ord.reads.p[read].word == word &&
	    order_stxr_blocked(m, cpu, read, pre))
		why = "another CPU's write came between";
	if (!*why) {
		if (spurious_allowed(e, granule(x.walk.pa), site) &&
		    choose(m, 2, "STXR spurious failure")) {
			if (!spurious_note(m, cpu, granule(x.walk.pa), site))
				return false;
			why = "spurious";
		} else {
			e->n_spurious = 0;
		}
	}
	monitor_release(m, cpu);
	*status = *why ? 1 : 0;
	trace(m, cpu, "stxr", "[0x%" PRIx64 "] := 0x%" PRIx64 ": %s%s%s", va,
	      val & size_mask(size), *why ? "failed, " : "passed", why,
	      order_suffix(ord));
	if (!*why && prom &&
	    order_fulfil_stxr(m, cpu, prom, read, x.walk.pa, size, val, ord,
			      av)) {
		/* Its write is the promise, in memory already. */
		fp_line(m, x.walk.pa, true);
	} else if (!*why) {
		n_msgs = m->ord.msgs.n;
		/* Its write may go earlier in memory's order, right after
		 * what its LDXR read (a data word: a descriptor store is
		 * appended, ord_store). */
		if (placed)
			order_stxr_place(m, read, pre);
		ord_store(m, cpu, x.walk.pa, size, val, cacheable, ord, av, 0,
			  true);
		ts = access_store_ts(m, cpu, n_msgs);
		/* No write of the word between the pair's read and its
		 * write from now on. */
		if (ts && read < m->ord.reads.n &&
		    m->ord.reads.p[read].word == word)
			m->ord.reads.p[read].lo = ts;
	}
	/* A read that takes its value depends on its data too (B2.3.2's
	 * dependencies through memory: herd7's MP with a data dependency
	 * into a STXR, its value read back and an address dependency on
	 * that, is Forbidden), and an acquire one is ordered after the
	 * LDXR's read (Atomic-ordered-before: rmw includes the exclusive
	 * pair). */
	if (!*why)
		order_fwd_set(m, cpu, word, vjoin(av, deps ? deps->data : 0),
			      deps ? deps->pick : 0, rview);
	/* A failed STXR makes no access: only the bound is dropped. */
	access_xlat_done(m, cpu, &x, ts != 0, ts);
	if (!*why)
		access_explicit(m, cpu);
	spe_sample(m, cpu, va, true);
	return !m->stopped;
}

bool vmsa_stxr(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
	       uint64_t val, vmsa_order_t ord, unsigned *status)
{
	return stxr_v(m, cpu, va, size, val, ord, NULL, 0, status,
		      "vmsa_stxr");
}

bool vmsa_stxr_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		 uint64_t val, vmsa_order_t ord,
		 const vmsa_access_deps_t *deps, unsigned *status)
{
	return stxr_v(m, cpu, va, size, val, ord, deps, 0, status,
		      "vmsa_stxr_v");
}

bool vmsa_stxr_at(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		  uint64_t val, vmsa_order_t ord,
		  const vmsa_access_deps_t *deps, uint64_t site,
		  unsigned *status)
{
	return stxr_v(m, cpu, va, size, val, ord, deps, site, status,
		      "vmsa_stxr_at");
}

void vmsa_clrex(vmsa_machine_t *m, int cpu)
{
	if (!check_cpu(m, "vmsa_clrex", cpu) || !step_begin(m, cpu))
		return;
	monitor_clear_local(&m->cpu[cpu]);
	trace(m, cpu, "clrex", "local monitor cleared");
}
