/*
 * src/litmus/scan.c - the static evaluation of a litmus thread's code
 * along one path (scan.h): register values known when they do not come
 * from a load (EOR, SUB and BIC of a register with itself are 0 even
 * when it does: herd7's false dependencies), the reads each register
 * and the flags depend on (address, data and control dependencies,
 * B2.3.2), and the reads no barrier, acquire or dependency orders
 * before later stores yet (B2.3.7). promise.c walks the paths; this
 * file says what one instruction does to a path's knowledge.
 */
#include <string.h>

#include "scan.h"

/* A read that nothing orders before later stores: a plain or
 * release-only read (LDR, a CAS, RMW or LDXR without acquire). */
static bool unordered_read(const struct lit_insn *in)
{
	switch (in->op) {
	case OP_LDR:
	case OP_LDG:	/* an explicit read of a tag (memtag) */
	case OP_LDAR:
	case OP_CAS:
	case OP_RMW:
	case OP_LDXR:
		return !in->acquire && !in->acq_pc;
	default:
		return false;
	}
}

/* A barrier that orders every earlier access, not only reads (a
 * DMB or DSB of any kind but LD and ST: DMB LD leaves the reads of
 * atomics that return nothing unordered, B2.3.7). */
bool lit_orders_all(const struct lit_insn *in)
{
	switch (in->bar) {
	case VMSA_BAR_LD:
	case VMSA_BAR_ISHLD:
	case VMSA_BAR_NSHLD:
	case VMSA_BAR_OSHLD:
		return false;
	default:
		return lit_orders_reads(in);
	}
}

/* A barrier that orders every earlier read before later stores. */
bool lit_orders_reads(const struct lit_insn *in)
{
	if (in->op != OP_DMB && in->op != OP_DSB)
		return false;
	switch (in->bar) {
	case VMSA_BAR_ST:
	case VMSA_BAR_ISHST:
	case VMSA_BAR_NSHST:
	case VMSA_BAR_OSHST:
		return false;
	default:
		return true;
	}
}

bool lit_scan_known(const struct scan *sc, struct lit_reg r)
{
	return r.zr || sc->known[r.n];
}

uint64_t lit_scan_val(const struct scan *sc, struct lit_reg r)
{
	return r.zr ? 0 : r.w ? (uint32_t)sc->x[r.n] : sc->x[r.n];
}

uint64_t lit_scan_dep(const struct scan *sc, struct lit_reg r)
{
	return r.zr ? 0 : sc->dep[r.n];
}

bool lit_scan_opnd_known(const struct scan *sc, const struct lit_opnd *o)
{
	return o->is_imm || lit_scan_known(sc, o->r);
}

uint64_t lit_scan_opnd_dep(const struct scan *sc, const struct lit_opnd *o)
{
	return o->is_imm ? 0 : lit_scan_dep(sc, o->r);
}

static void set(struct scan *sc, struct lit_reg r, uint64_t v, bool k,
		uint64_t dep)
{
	if (r.zr)
		return;
	sc->x[r.n] = r.w ? (uint32_t)v : v;
	sc->known[r.n] = k;
	sc->und[r.n] = !k;
	sc->dep[r.n] = dep;
}

bool lit_scan_und(const struct scan *sc, struct lit_reg r)
{
	return !r.zr && sc->und[r.n];
}

static bool opnd_und(const struct scan *sc, const struct lit_opnd *o)
{
	return !o->is_imm && lit_scan_und(sc, o->r);
}

/* Register r's undetermined flag, where it is not !known. */
static void set_und(struct scan *sc, struct lit_reg r, bool und)
{
	if (!r.zr)
		sc->und[r.n] = und;
}

/* rd OP rn, rn with no shift (no extend, the same register view). */
static bool same_operands(const struct lit_insn *in)
{
	return !in->src.is_imm && in->src.ext == EXT_NONE &&
	       !in->src.amount && !in->rn.zr && !in->src.r.zr &&
	       in->rn.n == in->src.r.n && in->rn.w == in->src.r.w;
}

/* rd OP rn, rn with no shift: 0 whatever rn holds (still a dependency:
 * herd's false dependencies order as real ones, B2.3.2). */
static bool self_cancels(const struct lit_insn *in)
{
	return (in->op == OP_EOR || in->op == OP_SUB || in->op == OP_BIC) &&
	       same_operands(in);
}

bool lit_xor_self(const struct lit_insn *in)
{
	return in->op == OP_EOR && same_operands(in);
}

/* A read: its bit, which its value depends on with its address's. */
static uint64_t read_bit(struct scan *sc, const struct lit_insn *in)
{
	uint64_t bit = 1ull << (sc->nreads < 63 ? sc->nreads : 63);

	sc->nreads++;
	if (unordered_read(in))
		sc->pending |= bit;
	if (in->op == OP_LDXR)
		sc->ldxr = bit;
	if (in->op == OP_RMW && in->rd.zr)
		sc->noret |= bit;
	return bit | lit_scan_dep(sc, in->rn) | lit_scan_opnd_dep(sc, &in->src);
}

/* An instruction that writes memory. */
bool lit_is_write(const struct lit_insn *in)
{
	return in->op == OP_STR || in->op == OP_STLR || in->op == OP_STXR ||
	       in->op == OP_RMW || in->op == OP_CAS || in->op == OP_STG;
}

/* The scan after instruction in. */
/* Pre- or post-index writeback (lit_insn's wb): Xn += imm, as known,
 * as dependent and as undetermined as Xn was. */
static void writeback(struct scan *sc, const struct lit_insn *in)
{
	bool u = lit_scan_und(sc, in->rn);

	set(sc, in->rn, lit_scan_val(sc, in->rn) + (uint64_t)in->wb_imm,
	    lit_scan_known(sc, in->rn), lit_scan_dep(sc, in->rn));
	set_und(sc, in->rn, u);
}

/*
 * The reads a CSEL's result depends on: the flags' (a pick dependency,
 * which orders a write as a data one does) and the selected register's
 * only (herd7: only the selected register flows into the result, so
 * herd's LB+rel+CSEL, whose CSEL selects a constant, is Allowed). With
 * flags that come from a load the selection differs between executions:
 * only what both registers depend on is certain.
 */
static uint64_t csel_dep(const struct scan *sc, const struct lit_insn *in,
			 struct lit_reg sel)
{
	if (sc->fknown)
		return sc->fdep | lit_scan_dep(sc, sel);
	return sc->fdep | (lit_scan_dep(sc, in->rn) & lit_scan_dep(sc, in->rm));
}

void lit_scan_eval(struct scan *sc, const struct lit_insn *in, int thread)
{
	uint64_t a, b, d;
	bool u;

	if (lit_is_write(in))
		sc->st_pending = true;
	switch (in->op) {
	case OP_MOV:
		u = opnd_und(sc, &in->src);
		set(sc, in->rd, lit_opnd_value(sc->x, &in->src),
		    lit_scan_opnd_known(sc, &in->src),
		    lit_scan_opnd_dep(sc, &in->src));
		set_und(sc, in->rd, u);
		break;
	case OP_ADD: case OP_SUB: case OP_AND: case OP_ORR: case OP_EOR:
	case OP_BIC: case OP_LSR: case OP_LSL:
		d = lit_scan_dep(sc, in->rn) | lit_scan_opnd_dep(sc, &in->src);
		u = !lit_xor_self(in) &&
		    (lit_scan_und(sc, in->rn) || opnd_und(sc, &in->src));
		if (self_cancels(in)) {
			set(sc, in->rd, 0, true, d);
			set_und(sc, in->rd, u);
			break;
		}
		a = lit_scan_val(sc, in->rn);
		b = lit_opnd_value(sc->x, &in->src);
		set(sc, in->rd, lit_alu(in, a, b),
		    lit_scan_known(sc, in->rn) &&
		    lit_scan_opnd_known(sc, &in->src), d);
		set_und(sc, in->rd, u);
		break;
	case OP_CMP:
		sc->fdep = lit_scan_dep(sc, in->rn) |
			   lit_scan_opnd_dep(sc, &in->src);
		sc->fknown = lit_scan_known(sc, in->rn) &&
			     lit_scan_opnd_known(sc, &in->src);
		sc->fund = lit_scan_und(sc, in->rn) || opnd_und(sc, &in->src);
		sc->fl = lit_compare(lit_scan_val(sc, in->rn),
				     lit_opnd_value(sc->x, &in->src), in->rn.w);
		break;
	case OP_CSEL: {
		/* Known when the flags are and the selected register is, or
		 * when both choices are the same known value (herd's pick
		 * dependencies: CSEL W6,WZR,WZR,EQ). */
		bool holds = lit_cond_holds(sc->fl, in->cc);
		struct lit_reg sel = holds ? in->rn : in->rm;
		uint64_t n = lit_scan_val(sc, in->rn);
		uint64_t m = lit_scan_val(sc, in->rm);
		bool same = lit_scan_known(sc, in->rn) &&
			    lit_scan_known(sc, in->rm) &&
			    n == lit_csel_value(in, false, n, m);

		u = sc->fund || lit_scan_und(sc, sel);
		set(sc, in->rd, same ? n : lit_csel_value(in, holds, n, m),
		    same || (sc->fknown && lit_scan_known(sc, sel)),
		    csel_dep(sc, in, sel));
		set_und(sc, in->rd, u);
		break;
	}
	case OP_CSET:
		set(sc, in->rd, lit_cond_holds(sc->fl, in->cc), sc->fknown,
		    sc->fdep);
		set_und(sc, in->rd, sc->fund);
		break;
	case OP_BCOND:
		sc->ctrl |= sc->fdep;
		break;
	case OP_CBZ: case OP_CBNZ:
		sc->ctrl |= lit_scan_dep(sc, in->rn);
		break;
	case OP_ADR:
		set(sc, in->rd,
		    lit_label_value(in->target_main || !sc->handler ?
				    thread : -1, in->target),
		    true, 0);
		break;
	case OP_LDR: case OP_LDAR: case OP_RMW: case OP_LDXR: case OP_LDG:
		d = read_bit(sc, in);
		set(sc, in->rd, 0, false, d);
		break;
	case OP_CAS:
		d = read_bit(sc, in);
		set(sc, in->rs, 0, false, d);
		break;
	case OP_STXR:
		set(sc, in->rs, 0, false, 0);
		break;
	case OP_DMB: case OP_DSB:
		if (lit_orders_reads(in))
			sc->pending &= lit_orders_all(in) ? 0 : sc->noret;
		/* Every kind but the LD ones orders stores before stores
		 * (B2.3.7). */
		if (!lit_orders_reads(in) || lit_orders_all(in))
			sc->st_pending = sc->pte_st_pending = false;
		break;
	default:
		break;
	}
	if (in->wb)
		writeback(sc, in);
}

/* A scan's start: the thread's initial registers, all known. */
void lit_scan_start(struct scan *sc, const uint64_t *x0)
{
	memset(sc, 0, sizeof(*sc));
	memcpy(sc->x, x0, sizeof(sc->x));
	for (unsigned i = 0; i < LIT_NREGS; i++)
		sc->known[i] = true;
}
