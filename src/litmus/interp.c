/*
 * src/litmus/interp.c - the litmus CPU: interprets a thread's
 * instructions on the model. Register and ALU instructions are local
 * (no model step); every memory access, barrier, TLBI and the entry to
 * EL1 is a model operation, so the explorer interleaves exactly those.
 *
 * Faults follow herd7's conventions (herd/mem.ml, add_fault): a thread
 * with a Pn.F column runs that handler on the fault; its ERET resumes
 * at ELR_EL1 (set with ADR + MSR ELR_EL1, else the faulting instruction
 * runs again); a handler that ends without ERET ends the thread; a
 * fault inside the handler ends the thread. Without a handler, the
 * variant's fault handling applies (run_int.h, enum lit_handling).
 * Skipping an instruction uses vmsa_skip_insn() in the abort handler:
 * the access returns false without being performed.
 */
#include <string.h>

#include "explore/explore_int.h"
#include "run_int.h"
#include "vmsa/sysreg.h"

/* MAIR_EL1 attribute indexes of layout.c's records (enum lit_attr). */
#define LIT_MAIR (0xffull | 0x0cull << 8 | 0x00ull << 16 | 0x44ull << 24)

static uint64_t rd(const struct lit_cpu *s, struct lit_reg r)
{
	uint64_t v = r.zr ? 0 : s->x[r.n];

	return r.w ? (uint32_t)v : v;
}

static void wr(struct lit_cpu *s, struct lit_reg r, uint64_t v)
{
	if (!r.zr)
		s->x[r.n] = r.w ? (uint32_t)v : v;
}

static vmsa_view_t rv(const struct lit_cpu *s, struct lit_reg r)
{
	return r.zr ? 0 : s->xv[r.n];
}

static void wv(struct lit_cpu *s, struct lit_reg r, vmsa_view_t v)
{
	if (!r.zr)
		s->xv[r.n] = v;
}

/* The view of an operand: an immediate depends on nothing. */
static vmsa_view_t opv(const struct lit_cpu *s, const struct lit_opnd *o)
{
	return o->is_imm ? 0 : rv(s, o->r);
}

/* Pick views (struct lit_cpu): the same accessors. */
static vmsa_view_t rp(const struct lit_cpu *s, struct lit_reg r)
{
	return r.zr ? 0 : s->xp[r.n];
}

static void wp(struct lit_cpu *s, struct lit_reg r, vmsa_view_t v)
{
	if (!r.zr)
		s->xp[r.n] = v;
}

static vmsa_view_t opp(const struct lit_cpu *s, const struct lit_opnd *o)
{
	return o->is_imm ? 0 : rp(s, o->r);
}

/* herd7's undetermined values (struct lit_cpu, und): the accessors. */
static bool ru(const struct lit_cpu *s, struct lit_reg r)
{
	return !r.zr && (s->und >> r.n & 1);
}

static void wu(struct lit_cpu *s, struct lit_reg r, bool und)
{
	if (!r.zr)
		s->und = (s->und & ~(1u << r.n)) | (uint32_t)und << r.n;
}

static bool opu(const struct lit_cpu *s, const struct lit_opnd *o)
{
	return !o->is_imm && ru(s, o->r);
}

uint64_t lit_opnd_value(const uint64_t *x, const struct lit_opnd *o)
{
	uint64_t v;

	if (o->is_imm)
		return (uint64_t)o->imm;
	v = o->r.zr ? 0 : o->r.w ? (uint32_t)x[o->r.n] : x[o->r.n];
	switch (o->ext) {
	case EXT_SXTW:
		v = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
		break;
	case EXT_UXTW:
		v = (uint32_t)v;
		break;
	default:
		break;
	}
	return o->amount < 64 ? v << o->amount : 0;
}

static uint64_t opnd(const struct lit_cpu *s, const struct lit_opnd *o)
{
	return lit_opnd_value(s->x, o);
}

uint64_t lit_alu(const struct lit_insn *in, uint64_t a, uint64_t b)
{
	switch (in->op) {
	case OP_ADD: return a + b;
	case OP_SUB: return a - b;
	case OP_AND: return a & b;
	case OP_ORR: return a | b;
	case OP_EOR: return a ^ b;
	case OP_BIC: return a & ~b;
	case OP_LSR:
		b &= in->rd.w ? 31 : 63;
		return (in->rd.w ? (uint32_t)a : a) >> b;
	default:
		b &= in->rd.w ? 31 : 63;
		return a << b;
	}
}

uint64_t lit_csel_value(const struct lit_insn *in, bool holds, uint64_t n,
			uint64_t m)
{
	if (holds)
		return n;
	switch (in->csop) {
	case CS_INC: return m + 1;
	case CS_INV: return ~m;
	case CS_NEG: return 0 - m;
	default: return m;
	}
}

bool lit_cond_holds(struct lit_flags f, enum lit_cond cc)
{
	switch (cc) {
	case CC_EQ: return f.z;
	case CC_NE: return !f.z;
	case CC_HS: return f.c;
	case CC_LO: return !f.c;
	case CC_MI: return f.n;
	case CC_PL: return !f.n;
	case CC_VS: return f.v;
	case CC_VC: return !f.v;
	case CC_HI: return f.c && !f.z;
	case CC_LS: return !f.c || f.z;
	case CC_GE: return f.n == f.v;
	case CC_LT: return f.n != f.v;
	case CC_GT: return !f.z && f.n == f.v;
	case CC_LE: return f.z || f.n != f.v;
	default: return true;
	}
}

static bool cond_holds(const struct lit_cpu *s, enum lit_cond cc)
{
	return lit_cond_holds(s->fl, cc);
}

/* CMP a, b: the flags of a - b at the operand size. */
struct lit_flags lit_compare(uint64_t a, uint64_t b, bool w)
{
	struct lit_flags f;

	if (w) {
		uint32_t x = (uint32_t)a, y = (uint32_t)b, r = x - y;

		f.n = r >> 31;
		f.z = r == 0;
		f.c = x >= y;
		f.v = ((x ^ y) & (x ^ r)) >> 31;
	} else {
		uint64_t r = a - b;

		f.n = r >> 63;
		f.z = r == 0;
		f.c = a >= b;
		f.v = ((a ^ b) & (a ^ r)) >> 63;
	}
	return f;
}

/* herd7 drops this execution whatever its CPUs do next: the explorer
 * ends it at the next scheduling point (explore_end; docs/litmus.md,
 * "Executions ended when they are dropped"). */
static void drop(vmsa_run_t *r, struct lit_exec *lx)
{
	lx->discard = true;
	if (lx->rt->end_dropped)
		explore_end(r);
}

/* A taken branch from pc to target: a backward one counts towards
 * herd7's loop unrolling (LIT_UNROLL) when it is unconditional or its
 * condition is undetermined (`counted`: it comes from a load; herd's
 * mem.ml checks back jumps only then, so a loop a constant counts runs
 * to its end); past it the execution is cut off and dropped, as herd7
 * drops it. A fault handler's loops count as the thread's (herd7 places
 * the handler's code after the thread's, one count per instruction over
 * the whole execution: the handler runs again with the counts its
 * earlier runs left). */
static int jump(vmsa_run_t *r, struct lit_cpu *s, int pc, int target,
		bool counted)
{
	int at = s->in_handler ? LIT_MAX_CODE + target : target;

	if (target > pc || target < 0 || target >= LIT_MAX_CODE || !counted)
		return target;
	if (++s->seen[at] > LIT_UNROLL) {
		struct lit_exec *lx = lit_exec_of(r);

		lx->cutoff = true;
		drop(r, lx);
		s->stop = true;
		return -2;
	}
	return target;
}

/* A fault handler's ERET to instruction target of the thread's code:
 * herd7 counts it as a backward jump to target (the handler's code comes
 * after the thread's: herd/mem.ml, FaultRet with check_back), so past
 * LIT_UNROLL returns to one instruction (with the branches back to it)
 * the execution is cut off and dropped. True then. */
static bool handler_return_cut(vmsa_run_t *r, struct lit_cpu *s, int target)
{
	struct lit_exec *lx;

	if (target < 0 || target >= LIT_MAX_CODE ||
	    ++s->seen[target] <= LIT_UNROLL)
		return false;
	lx = lit_exec_of(r);
	lx->cutoff = true;
	drop(r, lx);
	return true;
}

/* Does an access of size bytes at va reach past its location (x+4 of
 * an int x, x+12 of an int x[3])? herd7 has no execution with such an
 * access (its location is x's, at an offset x does not have), where
 * the model would read the page's other bytes: the test is unsupported
 * rather than answered. Descriptors and addresses of no location are
 * not this check's. */
static bool past_location(const struct lit_test *t, uint64_t va,
			  unsigned size)
{
	uint64_t v = va & LIT_VA_MASK, extent;
	bool pte;
	int sym = lit_va_sym(v, &pte);

	if (sym < 0 || pte || (unsigned)sym >= t->nsym)
		return false;
	extent = (uint64_t)t->sym[sym].size *
		 (t->sym[sym].nelem ? t->sym[sym].nelem : 1);
	return v - lit_sym_va(sym) + size > extent;
}

/* Is in's access at va past its location (past_location())? Then the
 * access is not made: the test is unsupported at in's line, and exec()
 * ends the thread (-2); the search stops at this execution. */
static bool past(vmsa_run_t *r, const struct lit_insn *in, uint64_t va)
{
	struct lit_exec *lx = lit_exec_of(r);

	if (!past_location(lx->rt->t, va, in->size))
		return false;
	lx->unsup_line = in->line;
	lx->unsup_past = true;
	return true;
}

/* The ordering of a memory instruction (LDAR, STLR, SWPAL ...). */
static vmsa_order_t insn_order(const struct lit_insn *in)
{
	if (in->acq_pc)
		return VMSA_ORD_ACQ_PC;
	if (in->acquire && in->release)
		return VMSA_ORD_ACQ_REL;
	if (in->acquire)
		return VMSA_ORD_ACQ;
	return in->release ? VMSA_ORD_REL : VMSA_ORD_PLAIN;
}

/* The call site of a store-exclusive for vmsa_stxr_at: its instruction,
 * in the thread's code or in its fault handler's. */
static uint64_t stxr_site(const struct lit_cpu *s, int pc)
{
	return ((uint64_t)s->in_handler << 32) + (uint64_t)pc + 1;
}

/* After an access that did not complete: the execution stopped (-2),
 * the thread ends (-1), or it goes on where the handler said. */
static int after_abort(vmsa_machine_t *m, struct lit_cpu *s, int pc)
{
	if (vmsa_stopped(m) || s->stop)
		return -2;
	if (s->resume_set) {
		s->resume_set = false;
		return s->resume_pc;
	}
	return pc + 1;
}

/* Run instruction pc of code c; returns the next pc, -1 at ERET (in a
 * handler), -2 when the thread (or the execution) ends. */
static int exec(vmsa_run_t *r, vmsa_cpu_t cpu, struct lit_cpu *s,
		const struct lit_code *c, int pc)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct lit_insn *in = &c->insn[pc];
	uint64_t a, b, v = 0;
	vmsa_view_t view = 0, pick;
	vmsa_access_deps_t deps = {0};
	bool ok = true;

	if (!s->in_handler)
		s->cur = pc;
	if (++s->insns > LIT_MAX_INSNS) {
		lit_exec_of(r)->runaway = true;
		return -2;
	}
	switch (in->op) {
	case OP_NOP:
		break;
	case OP_MOV:
		wu(s, in->rd, opu(s, &in->src));
		wr(s, in->rd, opnd(s, &in->src));
		wv(s, in->rd, opv(s, &in->src));
		wp(s, in->rd, opp(s, &in->src));
		break;
	case OP_ADD: case OP_SUB: case OP_AND: case OP_ORR: case OP_EOR:
	case OP_BIC: case OP_LSR: case OP_LSL:
		a = rd(s, in->rn);
		b = opnd(s, &in->src);
		v = lit_alu(in, a, b);
		wu(s, in->rd, !lit_xor_self(in) &&
			      (ru(s, in->rn) || opu(s, &in->src)));
		wr(s, in->rd, v);
		wv(s, in->rd, vmsa_view_join(rv(s, in->rn), opv(s, &in->src)));
		wp(s, in->rd, vmsa_view_join(rp(s, in->rn), opp(s, &in->src)));
		break;
	case OP_CMP:
		s->fl = lit_compare(rd(s, in->rn), opnd(s, &in->src), in->rn.w);
		s->fund = ru(s, in->rn) || opu(s, &in->src);
		s->fv = vmsa_view_join(rv(s, in->rn), opv(s, &in->src));
		s->fp = vmsa_view_join(rp(s, in->rn), opp(s, &in->src));
		break;
	case OP_CSEL: {
		/* The selected register is a data dependency; the flags
		 * only a pick one (B2.3.2.1: an Intrinsic Control
		 * Dependency from the condition to the register read). */
		bool holds = cond_holds(s, in->cc);
		struct lit_reg sel = holds ? in->rn : in->rm;
		vmsa_view_t sv = rv(s, sel);
		vmsa_view_t sp = vmsa_view_join(rp(s, sel),
						vmsa_view_join(s->fv, s->fp));

		wu(s, in->rd, s->fund || ru(s, sel));
		wr(s, in->rd, lit_csel_value(in, holds, rd(s, in->rn),
					     rd(s, in->rm)));
		wv(s, in->rd, sv);
		wp(s, in->rd, sp);
		break;
	}
	case OP_CSET:
		/* CSINC Rd, ZR, ZR: its value comes from the condition
		 * alone, a pick dependency. */
		wu(s, in->rd, s->fund);
		wr(s, in->rd, cond_holds(s, in->cc));
		wv(s, in->rd, 0);
		wp(s, in->rd, vmsa_view_join(s->fv, s->fp));
		break;
	case OP_B:
		return jump(r, s, pc, in->target, true);
	case OP_BCOND:
		/* A conditional branch is a control dependency on the
		 * flags' inputs (not a step). */
		vmsa_ctrl_dep(m, cpu, vmsa_view_join(s->fv, s->fp));
		return cond_holds(s, in->cc) ? jump(r, s, pc, in->target,
						    s->fund) : pc + 1;
	case OP_CBZ:
		vmsa_ctrl_dep(m, cpu, vmsa_view_join(rv(s, in->rn),
						     rp(s, in->rn)));
		return rd(s, in->rn) == 0 ?
			jump(r, s, pc, in->target, ru(s, in->rn)) : pc + 1;
	case OP_CBNZ:
		vmsa_ctrl_dep(m, cpu, vmsa_view_join(rv(s, in->rn),
						     rp(s, in->rn)));
		return rd(s, in->rn) != 0 ?
			jump(r, s, pc, in->target, ru(s, in->rn)) : pc + 1;
	case OP_ADR:
		wu(s, in->rd, false);
		wr(s, in->rd, lit_label_value(in->target_main || !s->in_handler ?
					      cpu : -1, in->target));
		wv(s, in->rd, 0);
		wp(s, in->rd, 0);
		break;
	case OP_LDR:
	case OP_LDAR:
		/* LDAR and LDAPR carry their ordering (it matters with the
		 * `relaxed` feature). */
		a = rd(s, in->rn) + opnd(s, &in->src);
		if (past(r, in, a))
			return -2;
		deps.addr = vmsa_view_join(rv(s, in->rn), opv(s, &in->src));
		deps.data = 0;
		/* A pick address dependency does not order the read nor its
		 * walk; it orders later writes and what follows an IFB
		 * (Pick-ordered-before, IFB-ordered-before): vCAP. */
		pick = vmsa_view_join(rp(s, in->rn), opp(s, &in->src));
		vmsa_pick_addr_dep(m, cpu, pick);
		ok = vmsa_read_v(m, cpu, a, in->size, insn_order(in), &deps,
				 &v, &view);
		if (ok) {
			wu(s, in->rd, true);
			wr(s, in->rd, v);
			wv(s, in->rd, view);
			/* Through it a write is still pick-ordered
			 * (Pick-locally-ordered-before), and through a
			 * pick dependency of the write it took its value
			 * from. */
			wp(s, in->rd, vmsa_view_join(pick,
						     vmsa_read_pick(m, cpu)));
		}
		break;
	case OP_STR:
	case OP_STLR:
		a = rd(s, in->rn) + opnd(s, &in->src);
		if (past(r, in, a))
			return -2;
		deps.addr = vmsa_view_join(rv(s, in->rn), opv(s, &in->src));
		/* Pick dependencies order the write (Pick-ordered-before),
		 * not its walk: the address's through vCAP (it orders
		 * later writes too), the data's as data, but a read of
		 * this write gets it as a pick dependency. */
		deps.data = rv(s, in->rd);
		deps.pick = rp(s, in->rd);
		vmsa_pick_addr_dep(m, cpu, vmsa_view_join(rp(s, in->rn),
							  opp(s, &in->src)));
		ok = vmsa_write_v(m, cpu, a, in->size, rd(s, in->rd),
				  insn_order(in), &deps);
		break;
	case OP_STG:
		/* An Explicit Memory Write Effect of the granule's tag
		 * (herd's Exp & Tag & W), ordered as a plain store: its
		 * address and tag register are its dependencies. */
		a = rd(s, in->rn) + opnd(s, &in->src);
		deps.addr = vmsa_view_join(rv(s, in->rn), opv(s, &in->src));
		deps.data = rv(s, in->rd);
		deps.pick = rp(s, in->rd);
		vmsa_pick_addr_dep(m, cpu, vmsa_view_join(rp(s, in->rn),
							  opp(s, &in->src)));
		ok = vmsa_tag_store(m, cpu, a,
				    (unsigned)(rd(s, in->rd) >> 56) & 0xf,
				    &deps);
		break;
	case OP_LDG: {
		/* An Explicit Memory Read Effect of the granule's tag (herd's
		 * ldg: Exp & Tag & R, as a plain load): Xt keeps its address
		 * bits and gets the tag; its view joins Xt's and the read's. */
		unsigned tg = 0;

		a = rd(s, in->rn) + opnd(s, &in->src);
		deps.addr = vmsa_view_join(rv(s, in->rn), opv(s, &in->src));
		deps.data = 0;
		pick = vmsa_view_join(rp(s, in->rn), opp(s, &in->src));
		vmsa_pick_addr_dep(m, cpu, pick);
		ok = vmsa_tag_load(m, cpu, a, &deps, &tg, &view);
		if (ok) {
			wu(s, in->rd, true);
			wr(s, in->rd, (rd(s, in->rd) & ~(0xfull << 56)) |
				      (uint64_t)tg << 56);
			wv(s, in->rd, vmsa_view_join(rv(s, in->rd), view));
			wp(s, in->rd, vmsa_view_join(rp(s, in->rd), pick));
		}
		break;
	}
	case OP_CAS:
		/* CAS Rs, Rt, [Xn]: the write's data depends on Rt and,
		 * through the comparison (an Intrinsic Control
		 * Dependency: herd7's iico_ctrl), on Rs: a pick
		 * dependency. Rs = ZR returns nothing (not an acquire,
		 * vmsa_cas_v). */
		a = rd(s, in->rn);
		if (past(r, in, a))
			return -2;
		deps.addr = rv(s, in->rn);
		deps.data = rv(s, in->rd);
		deps.pick = rp(s, in->rd);
		deps.cmp = rv(s, in->rs);
		deps.cmp_pick = rp(s, in->rs);
		vmsa_pick_addr_dep(m, cpu, rp(s, in->rn));
		ok = vmsa_cas_v(m, cpu, a, in->size, rd(s, in->rs),
				rd(s, in->rd), insn_order(in), &deps,
				in->rs.zr ? NULL : &v, &view);
		if (ok) {
			wu(s, in->rs, true);
			wr(s, in->rs, v);
			wv(s, in->rs, view);
			wp(s, in->rs, vmsa_read_pick(m, cpu));
		}
		break;
	case OP_RMW:
		/* SWP/LD<op> Rs, Rt: memory gets op(old, Rs), Rt the old
		 * value (ST<op>: Rt is ZR); the write's data depends on
		 * Rs. */
		if (past(r, in, rd(s, in->rn)))
			return -2;
		deps.addr = rv(s, in->rn);
		deps.data = rv(s, in->rs);
		deps.pick = rp(s, in->rs);
		vmsa_pick_addr_dep(m, cpu, rp(s, in->rn));
		/* ST<op> (Rt = ZR) returns nothing: its read is not
		 * one DMB LD orders (vmsa_rmw's old == NULL). */
		v = 0;
		ok = vmsa_rmw_v(m, cpu, rd(s, in->rn), in->size, in->rmw,
				rd(s, in->rs), insn_order(in), &deps,
				in->rd.zr ? NULL : &v, &view);
		if (ok) {
			wu(s, in->rd, true);
			wr(s, in->rd, v);
			wv(s, in->rd, view);
			wp(s, in->rd, vmsa_read_pick(m, cpu));
		}
		break;
	case OP_LDXR:
		if (past(r, in, rd(s, in->rn)))
			return -2;
		deps.addr = rv(s, in->rn);
		deps.data = 0;
		vmsa_pick_addr_dep(m, cpu, rp(s, in->rn));
		ok = vmsa_ldxr_v(m, cpu, rd(s, in->rn), in->size,
				 insn_order(in), &deps, &v, &view);
		if (ok) {
			wu(s, in->rd, true);
			wr(s, in->rd, v);
			wv(s, in->rd, view);
			wp(s, in->rd, vmsa_read_pick(m, cpu));
		}
		break;
	case OP_STXR: {
		unsigned st = 1;

		if (past(r, in, rd(s, in->rn)))
			return -2;
		deps.addr = rv(s, in->rn);
		deps.data = rv(s, in->rd);
		deps.pick = rp(s, in->rd);
		vmsa_pick_addr_dep(m, cpu, rp(s, in->rn));
		/* Each instruction is a site of its own: a retry loop
		 * repeats one, straight-line pairs are distinct. */
		ok = vmsa_stxr_at(m, cpu, rd(s, in->rn), in->size,
				  rd(s, in->rd), insn_order(in), &deps,
				  stxr_site(s, pc), &st);
		if (ok) {
			wu(s, in->rs, true);
			wr(s, in->rs, st);
			wv(s, in->rs, 0);
			wp(s, in->rs, 0);
		}
		break;
	}
	case OP_DMB:
		vmsa_dmb(m, cpu, in->bar);
		break;
	case OP_DSB:
		vmsa_dsb(m, cpu, in->bar);
		break;
	case OP_ISB:
		vmsa_isb(m, cpu);
		break;
	case OP_TLBI:
		/* Its operand's dependencies order it (B2.3.7: addr and
		 * pick-addr-dep reach a TLBI); one without an operand
		 * (VMALLE1IS) reads no register. */
		vmsa_tlbi_v(m, cpu, in->tlbi, rd(s, in->rd),
			    vmsa_tlbi_info(in->tlbi.type)->has_operand ?
			    vmsa_view_join(rv(s, in->rd), rp(s, in->rd)) : 0);
		break;
	case OP_MSR_ELR:
		s->elr = rd(s, in->rn);
		s->elr_set = true;
		break;
	case OP_ERET:
		if (s->in_handler)
			return -1;
		lit_exec_of(r)->unsup_line = in->line; /* outside one */
		return -2;
	default:
		lit_exec_of(r)->unsup_line = in->line;
		return -2;
	}
	if (!ok)
		return after_abort(m, s, pc);
	/* Pre- or post-index: the base register written back once the
	 * access is made (a faulting one writes nothing); its value's
	 * views and dependencies stay the base register's. */
	if (in->wb)
		s->x[in->rn.n] += (uint64_t)in->wb_imm;
	return vmsa_stopped(m) ? -2 : pc + 1;
}

static enum lit_fault_type fault_type(const struct vmsa_exception *e)
{
	switch (e->fault.kind) {
	case VMSA_FAULT_TRANSLATION:
		return FT_TRANSLATION;
	case VMSA_FAULT_ACCESS_FLAG:
		return FT_ACCESS_FLAG;
	case VMSA_FAULT_PERMISSION:
		return FT_PERMISSION;
	case VMSA_FAULT_TLB_CONFLICT:
		return FT_TLB_CONFLICT;
	case VMSA_FAULT_TAG_CHECK:
		return FT_TAG_CHECK;
	default:
		return FT_ANY;
	}
}

static void record(struct lit_exec *lx, vmsa_cpu_t cpu,
		   const struct lit_cpu *s, const struct vmsa_exception *e)
{
	struct lit_fault *f;
	bool pte;

	if (lx->nfault[cpu] >= LIT_MAX_FAULTS) {
		lx->fault_overflow = true;
		return;
	}
	f = &lx->fault[cpu][lx->nfault[cpu]++];
	f->insn = (int16_t)(s->in_handler ? -1 : s->cur);
	/* FAR holds the Logical Address Tag in bits [59:56] (a Tag Check
	 * Fault's VA as the access used it): the location is below. */
	f->sym = (int8_t)(e->far_valid ? lit_va_sym(e->far & LIT_VA_MASK,
						    &pte) : -1);
	f->type = (uint8_t)fault_type(e);
}

/* Run the thread's Pn.F code; true when it ended with ERET. */
static bool run_handler(vmsa_run_t *r, vmsa_cpu_t cpu, struct lit_cpu *s,
			const struct lit_code *h)
{
	int pc = 0;

	s->in_handler = true;
	s->elr_set = false;
	while (pc >= 0 && (unsigned)pc < h->n) {
		pc = exec(r, cpu, s, h, pc);
		if (s->stop)
			break;
	}
	if (pc == -2 && !vmsa_stopped(vmsa_run_machine(r)))
		s->stop = true; /* a runaway loop or an unsupported insn */
	s->in_handler = false;
	return pc == -1;
}

void lit_fault_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	struct lit_exec *lx = lit_exec_of(r);
	const struct lit_rt *rt = lx->rt;
	struct lit_cpu *s = lx->cpu[cpu];

	if (!s || e->type != VMSA_EXC_DATA_ABORT || fault_type(e) == FT_ANY ||
	    (fault_type(e) == FT_TLB_CONFLICT && !rt->conflict_aborts)) {
		vmsa_unhandled(m, cpu, e);
		return;
	}
	record(lx, cpu, s, e);
	if (s->in_handler) {
		/* herd: "Fault inside a fault handler", the thread ends. */
		s->stop = true;
		vmsa_skip_insn(m, cpu);
		return;
	}
	if (rt->t->has_handler[cpu]) {
		if (!run_handler(r, cpu, s, &rt->t->handler[cpu])) {
			if (!vmsa_stopped(m)) {
				s->stop = true;
				vmsa_skip_insn(m, cpu);
			}
			return;
		}
		if (!s->elr_set) {
			/* ELR_EL1 is the faulting instruction: the model
			 * runs it again, unless herd7 cuts it off. */
			if (handler_return_cut(r, s, s->cur)) {
				s->stop = true;
				vmsa_skip_insn(m, cpu);
			}
			return;
		}
		if ((s->elr & ~0xffffffull) != LIT_LABEL_BASE ||
		    ((s->elr >> 16) & 0xff) != (unsigned)cpu) {
			lx->unsup_line = s->cur >= 0 ?
				rt->t->code[cpu].insn[s->cur].line : 1;
			s->stop = true;
			vmsa_skip_insn(m, cpu);
			return;
		}
		s->resume_set = true;
		s->resume_pc = (int)(s->elr & 0xffff);
		if (handler_return_cut(r, s, s->resume_pc))
			s->stop = true;
		vmsa_skip_insn(m, cpu);
		return;
	}
	if (s->reexec) {
		/* herd: a fault while re-executing drops the execution. */
		drop(r, lx);
		s->stop = true;
		vmsa_skip_insn(m, cpu);
		return;
	}
	switch (rt->handling) {
	case LIT_FATAL:
		s->stop = true;
		vmsa_skip_insn(m, cpu);
		break;
	case LIT_SKIP:
		vmsa_skip_insn(m, cpu);
		break;
	case LIT_HANDLED:
		s->reexec = true; /* retried when the handler returns */
		break;
	}
}

/* Enter EL1 (or EL0) with the test's translation regime: four MSRs
 * and an ERET, as vmsa_kernel_enter() does. */
void lit_enter(vmsa_machine_t *m, vmsa_cpu_t cpu, const struct lit_rt *rt,
	       vmsa_pa_t l1)
{
	uint64_t tcr = VMSA_TCR_T0SZ(25) | VMSA_TCR_TG0_4K | VMSA_TCR_EPD1 |
		       VMSA_TCR_IPS(VMSA_PS_40) | rt->tcr_ha_hd[cpu];
	/* memtag: Logical Address Tagging (TBI0) and synchronous Tag
	 * Check Faults at EL1 and EL0 (memtag.c). */
	uint64_t mte = rt->memtag ? VMSA_SCTLR_TCF_SYNC | VMSA_SCTLR_TCF0_SYNC
				  : 0;

	if (rt->memtag)
		tcr |= VMSA_TCR_TBI0;

	/* With FEAT_ExS (run.c, exc_sync()) this entry stays a context
	 * synchronisation event (SCTLR_EL2.EOS). */
	if (rt->exs)
		vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL2, VMSA_SCTLR_EOS);
	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, LIT_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, tcr);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1, VMSA_TTBR(l1, 0));
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M | rt->sctlr_exs[cpu] |
		 mte);
	vmsa_eret(m, cpu, rt->t->el0[cpu] ? 0 : 1);
}

/* Load buffering: before its first instruction (from 0) the thread may
 * promise any of its candidate stores, one step each, in any order (the
 * explorer places each step anywhere among the other CPUs' steps); and
 * again after a barrier that orders its earlier stores before later
 * ones, the sites not reached nor promised yet (from: the next
 * instruction), whose promise made at the start would take a place
 * below what that barrier orders before them (Promising-ARM promises
 * at any step: docs/litmus.md, "A promise after the thread's own
 * barrier"). */
static void promise(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct lit_exec *lx, const uint64_t *x0, int from,
		    struct lit_cpu *s)
{
	vmsa_promise_t cand[LIT_MAX_PROMISE_SITES + LIT_MAX_HU_SITES];
	int site[LIT_MAX_PROMISE_SITES + LIT_MAX_HU_SITES];
	unsigned n, k;

	/* The candidates again after each promise: a repeat of a store
	 * (a loop's second write of the same value) is one once the
	 * first is promised. */
	while (!vmsa_stopped(m) &&
	       (n = lit_promise_cands(lx, cpu, x0, from, s->promised, cand,
				      site))) {
		k = vmsa_promise(m, cpu, cand, n);
		if (!k)
			return;
		s->promised |= 1ull << site[k - 1];
	}
}

/* A barrier after which the thread may promise again (promise()): one
 * that orders earlier stores before later ones (every DMB and DSB kind
 * but the LD ones, B2.3.7). */
static bool orders_stores(const struct lit_insn *in)
{
	return (in->op == OP_DMB || in->op == OP_DSB) &&
	       (!lit_orders_reads(in) || lit_orders_all(in));
}

void lit_cpu_fn(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct lit_exec *lx = lit_exec_of(r);
	const struct lit_rt *rt = lx->rt;
	const struct lit_test *t = rt->t;
	const struct lit_code *c = &t->code[cpu];
	struct lit_cpu s;
	uint64_t x0[LIT_NREGS];	/* the initial registers: the promise
				   scan's start (promise.c) */
	int pc = 0;

	memset(&s, 0, sizeof(s));
	s.cur = -1;
	for (unsigned i = 0; i < t->nreginit; i++)
		if (t->reginit[i].thread == cpu)
			s.x[t->reginit[i].reg] =
				lit_value_runtime(&t->reginit[i].v, lx->pa);
	memcpy(x0, s.x, sizeof(x0));
	lx->cpu[cpu] = &s;
	/* The fault handler runs the thread's handler code on s: the
	 * explorer's repeated-state check must see it. */
	vmsa_run_state(r, cpu, &s, sizeof(s));
	/* Every thread entered its translation regime in set-up (run.c),
	 * before any runs its code, as in herd7; the gate (serial_start)
	 * lets the last thread go on first, as when the entries were the
	 * threads' own first steps. Without it they are. */
	if (!rt->setup_entries)
		lit_enter(m, cpu, rt, lx->l1);
	vmsa_start_gate(r, cpu);
	if (rt->promise_sites[cpu])
		promise(m, cpu, lx, x0, 0, &s);
	while (!vmsa_stopped(m) && pc >= 0 && (unsigned)pc < c->n) {
		int at = pc;

		pc = exec(r, cpu, &s, c, pc);
		if (s.stop)
			break;
		if (rt->promise_sites[cpu] && pc > at &&
		    orders_stores(&c->insn[at]) && !vmsa_stopped(m))
			promise(m, cpu, lx, x0, pc, &s);
		/* A promise the thread can no longer fulfil: the
		 * execution is not one of the architecture's. */
		if (rt->promise_sites[cpu] && vmsa_promises_doomed(m, cpu))
			break;
		/* Known not to be an execution of the architecture. */
		if (vmsa_infeasible(m))
			break;
	}
	/* Every promise must have been fulfilled (promise.c). */
	if ((rt->promise_sites[cpu] && vmsa_promises_pending(m, cpu)) ||
	    vmsa_infeasible(m))
		drop(r, lx);
	memcpy(lx->regs[cpu], s.x, sizeof(s.x));
	lx->cpu[cpu] = NULL;
	vmsa_run_state(r, cpu, NULL, 0);
}
