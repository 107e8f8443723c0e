/*
 * src/litmus/insn.c - parsing one AArch64 instruction of a litmus
 * program: the mnemonics the corpus uses, their operands (registers,
 * immediates with or without '#', [Xn], [Xn,#imm], [Xn,Rm{,LSL #n |
 * SXTW | UXTW}], labels, conditions, barrier options, TLBI operations).
 * Instructions the model cannot run yet parse to OP_UNSUPPORTED with
 * the reason, so that the test is reported unsupported, not wrong.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lex.h"
#include "litmus_int.h"
#include "value.h"

/* Mnemonics of instructions that parse but do not run yet, with why. */
static const struct {
	const char *prefix;
	const char *why;
} later[] = {
	{"STGP", "STGP (of the tag instructions only STG and LDG are run)"},
	{"STZG", "STZG (of the tag instructions only STG and LDG are run)"},
	{"STZ2G", "STZ2G (of the tag instructions only STG and LDG are run)"},
	{"ST2G", "ST2G (of the tag instructions only STG and LDG are run)"},
	{"IRG", "IRG (of the tag instructions only STG and LDG are run)"},
	{"UDF", "UDF (undefined-instruction faults are not run)"},
	{"SVC", "SVC in litmus tests"},
	{"DC", "DC in litmus tests"},
	{"IC", "IC in litmus tests"},
	{"AT", "AT in litmus tests"},
	{"MRS", "MRS in litmus tests"},
};

static const char *const ccnames[] = {"EQ", "NE", "HS", "LO", "MI", "PL",
				      "VS", "VC", "HI", "LS", "GE", "LT",
				      "GT", "LE", "AL"};

static int parse_cc(const char *s, enum lit_cond *cc)
{
	if (!strcasecmp(s, "CS")) {
		*cc = CC_HS;
		return 0;
	}
	if (!strcasecmp(s, "CC")) {
		*cc = CC_LO;
		return 0;
	}
	for (unsigned i = 0; i < sizeof(ccnames) / sizeof(ccnames[0]); i++)
		if (!strcasecmp(s, ccnames[i])) {
			*cc = (enum lit_cond)i;
			return 0;
		}
	return -1;
}

static int reg(struct lex *l, struct lit_reg *r, const char *what)
{
	char name[LIT_MAX_NAME];
	char found[40];

	lex_found(l, found, sizeof(found));
	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, what);
	if (val_reg(name, r))
		return lex_error(l, "bad register '%s' (expected %s: X0-X30, "
				 "W0-W30, XZR or WZR)", name, what);
	return 0;
}

static int xreg(struct lex *l, struct lit_reg *r, const char *what)
{
	if (reg(l, r, what))
		return -1;
	if (r->w)
		return lex_error(l, "%s must be an X register", what);
	return 0;
}

static bool comma(struct lex *l)
{
	return lex_accept(l, ",");
}

static int need_comma(struct lex *l)
{
	return comma(l) ? 0 : lex_expected(l, "','");
}

static bool imm(struct lex *l, int64_t *v)
{
	const char *p = l->p;
	int line = l->line;

	lex_accept(l, "#");
	if (lex_number(l, v))
		return true;
	l->p = p;
	l->line = line;
	return false;
}

/* A register or an immediate, then an optional shift or extend. */
static int operand(struct lex *l, struct lit_opnd *o)
{
	char w[16];

	memset(o, 0, sizeof(*o));
	if (imm(l, &o->imm)) {
		o->is_imm = true;
		return 0;
	}
	if (reg(l, &o->r, "a register or an immediate"))
		return -1;
	if (!comma(l))
		return 0;
	if (!lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "LSL, SXTW or UXTW");
	if (!strcasecmp(w, "LSL"))
		o->ext = EXT_LSL;
	else if (!strcasecmp(w, "SXTW"))
		o->ext = EXT_SXTW;
	else if (!strcasecmp(w, "UXTW"))
		o->ext = EXT_UXTW;
	else
		return lex_error(l, "expected LSL, SXTW or UXTW, found '%s'", w);
	int64_t n = 0;

	if (imm(l, &n) && (n < 0 || n > 63))
		return lex_error(l, "shift amount %lld out of range",
				 (long long)n);
	if (o->ext == EXT_LSL && n == 0 && l->failed)
		return -1;
	o->amount = (unsigned)n;
	return 0;
}

/* [Xn] [Xn,#imm] [Xn,Rm{,ext}] */
static int address(struct lex *l, struct lit_insn *in)
{
	if (!lex_accept(l, "["))
		return lex_expected(l, "'[' (an address)");
	if (xreg(l, &in->rn, "the base register"))
		return -1;
	memset(&in->src, 0, sizeof(in->src));
	in->src.is_imm = true;
	if (comma(l) && operand(l, &in->src))
		return -1;
	if (!lex_accept(l, "]"))
		return lex_expected(l, "']'");
	return 0;
}

/* After LDR/STR's address: a pre-index `!` ([Xn,#imm]!) or a post-index
 * `,#imm` ([Xn],#imm), which write Xn + imm back to Xn. Writing back to
 * the register a load loads, or a store stores, is CONSTRAINED
 * UNPREDICTABLE (C6.2): refused. */
static int writeback(struct lex *l, struct lit_insn *in, const char *mn)
{
	if (lex_accept(l, "!")) {
		if (!in->src.is_imm)
			return lex_error(l, "%s pre-index takes [Xn,#imm]!",
					 mn);
		in->wb = true;
		in->wb_imm = in->src.imm;
	} else if (comma(l)) {
		if (!in->src.is_imm || in->src.imm)
			return lex_error(l, "%s post-index takes [Xn],#imm",
					 mn);
		if (!imm(l, &in->wb_imm))
			return lex_expected(l, "an immediate");
		in->wb = true;
	}
	if (in->wb && !in->rd.zr && in->rd.n == in->rn.n)
		return lex_error(l, "%s writes back to X%u, the register it "
				 "transfers (CONSTRAINED UNPREDICTABLE)", mn,
				 in->rn.n);
	return 0;
}

/* STG Xt, [Xn] or [Xn,#imm], LDG Xt, [Xn] or [Xn,#imm]: the tag register
 * (X, not XZR: the tag is its bits [59:56]), a base register and a
 * signed offset that is a multiple of the 16-byte Tag Granule in
 * -4096..4080 (C6.2, simm9 scaled by 16). STG's pre- and post-index
 * forms are not taken. */
static int stg(struct lex *l, struct lit_insn *in)
{
	if (xreg(l, &in->rd, "the tag register (Xt)") || need_comma(l))
		return -1;
	const char *mn = in->op == OP_STG ? "STG" : "LDG";

	if (in->rd.zr)
		return lex_error(l, "%s takes its tag in an X register, not "
				 "XZR", mn);
	if (address(l, in))
		return -1;
	if (!in->src.is_imm)
		return lex_error(l, "%s takes [Xn] or [Xn,#imm] only", mn);
	if (in->src.imm % 16 || in->src.imm < -4096 || in->src.imm > 4080)
		return lex_error(l, "%s offset %lld is not a multiple of 16 "
				 "in -4096..4080", mn, (long long)in->src.imm);
	if (lex_accept(l, "!"))
		return lex_error(l, "%s pre-index form is not supported", mn);
	in->size = 16;
	return 0;
}

static int label_ref(struct lex *l, struct lit_insn *in)
{
	if (!lex_ident(l, in->target_label, sizeof(in->target_label)))
		return lex_expected(l, "a label");
	in->target = -1;
	return 0;
}

static int barrier(struct lex *l, struct lit_insn *in)
{
	static const char *const names[] = {"SY", "ST", "LD", "ISH", "ISHST",
					    "ISHLD", "NSH", "NSHST", "NSHLD",
					    "OSH", "OSHST", "OSHLD"};
	char w[16];

	if (!lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "a barrier option (SY, ISH, LD, ...)");
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(w, names[i])) {
			in->bar = (vmsa_barrier_t)i;
			return 0;
		}
	return lex_error(l, "unknown barrier option '%s'", w);
}

static int tlbi(struct lex *l, struct lit_insn *in)
{
	char w[32];

	if (!lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "a TLBI operation");
	if (vmsa_tlbi_parse(w, &in->tlbi))
		return lex_error(l, "unknown TLBI operation '%s'", w);
	if (vmsa_tlbi_info(in->tlbi.type)->has_operand) {
		if (need_comma(l) || xreg(l, &in->rd, "the TLBI operand"))
			return -1;
	}
	return 0;
}

/* [Xn] (or [Xn,#0]): the only address atomics and exclusives take. */
static int atomic_address(struct lex *l, struct lit_insn *in, const char *mn)
{
	if (address(l, in))
		return -1;
	if (!(in->src.is_imm && in->src.imm == 0))
		return lex_error(l, "%s takes [Xn] only", mn);
	return 0;
}

static int alu3(struct lex *l, struct lit_insn *in)
{
	if (reg(l, &in->rd, "a destination register") || need_comma(l) ||
	    reg(l, &in->rn, "a source register") || need_comma(l))
		return -1;
	return operand(l, &in->src);
}

/* MOVZ Rd, #imm16{, LSL #0|16|32|48}: MOV of the shifted immediate. */
static int movz(struct lex *l, struct lit_insn *in)
{
	char w[16];
	int64_t sh = 0;

	if (reg(l, &in->rd, "a destination register") || need_comma(l))
		return -1;
	if (!imm(l, &in->src.imm))
		return lex_expected(l, "an immediate");
	if (in->src.imm < 0 || in->src.imm > 0xffff)
		return lex_error(l, "MOVZ immediate %lld out of range (0 to "
				 "65535)", (long long)in->src.imm);
	in->src.is_imm = true;
	if (!comma(l))
		return 0;
	if (!lex_ident(l, w, sizeof(w)) || strcasecmp(w, "LSL") ||
	    !imm(l, &sh))
		return lex_expected(l, "LSL #shift");
	if (sh % 16 || sh < 0 || sh > (in->rd.w ? 16 : 48))
		return lex_error(l, "MOVZ shift %lld is not 0, 16%s",
				 (long long)sh, in->rd.w ? "" : ", 32 or 48");
	in->src.imm = (int64_t)((uint64_t)in->src.imm << sh);
	return 0;
}

/* The aliases the interpreter runs as another instruction: NEG Rd, Rm
 * as SUB Rd, ZR, Rm; MVN Rd, Rm as EOR Rd, Rm, #-1 (all ones at Rd's
 * width); SXTW Xd, Wn (SBFM Xd, Xn, #0, #31) as ADD Xd, XZR, Wn, SXTW;
 * MOVZ as MOV (movz()). 1 when mn is none of them. */
static int alias(struct lex *l, struct lit_insn *in, const char *mn)
{
	if (!strcmp(mn, "SXTW")) {
		if (reg(l, &in->rd, "a destination register") ||
		    need_comma(l) || reg(l, &in->src.r, "a W register"))
			return -1;
		if (in->rd.w || !in->src.r.w)
			return lex_error(l, "SXTW takes Xd, Wn");
		in->rn = (struct lit_reg){.zr = true};
		in->src.ext = EXT_SXTW;
		return 0;
	}
	if (!strcmp(mn, "NEG")) {
		if (reg(l, &in->rd, "a destination register") ||
		    need_comma(l) || operand(l, &in->src))
			return -1;
		if (in->src.is_imm)
			return lex_expected(l, "a register");
		in->rn = (struct lit_reg){.zr = true, .w = in->rd.w};
		return 0;
	}
	if (!strcmp(mn, "MVN")) {
		if (reg(l, &in->rd, "a destination register") ||
		    need_comma(l) || reg(l, &in->rn, "a register"))
			return -1;
		in->src = (struct lit_opnd){.is_imm = true, .imm = -1};
		return 0;
	}
	if (!strcmp(mn, "MOVZ"))
		return movz(l, in);
	/* The CSEL family: parsed as CSEL, its csop set. */
	in->csop = !strcmp(mn, "CSINC") ? CS_INC : !strcmp(mn, "CSINV") ?
		   CS_INV : !strcmp(mn, "CSNEG") ? CS_NEG : CS_SEL;
	return 1;
}

static int operands(struct lex *l, struct lit_insn *in, const char *mn)
{
	char w[16];
	int a = alias(l, in, mn);

	if (a <= 0)
		return a;
	switch (in->op) {
	case OP_NOP:
	case OP_ISB:
	case OP_ERET:
		return 0;
	case OP_MOV:
		if (reg(l, &in->rd, "a destination register") || need_comma(l))
			return -1;
		return operand(l, &in->src);
	case OP_ADD: case OP_SUB: case OP_AND: case OP_ORR: case OP_EOR:
	case OP_BIC: case OP_LSR: case OP_LSL:
		return alu3(l, in);
	case OP_CMP:
		if (reg(l, &in->rn, "a register") || need_comma(l))
			return -1;
		return operand(l, &in->src);
	case OP_CSEL:
		if (reg(l, &in->rd, "a destination register") ||
		    need_comma(l) || reg(l, &in->rn, "a register") ||
		    need_comma(l) || reg(l, &in->rm, "a register") ||
		    need_comma(l))
			return -1;
		if (!lex_ident(l, w, sizeof(w)) || parse_cc(w, &in->cc))
			return lex_expected(l, "a condition (EQ, NE, ...)");
		return 0;
	case OP_CSET:
		if (in->op == OP_CSET &&
		    (reg(l, &in->rd, "a destination register") ||
		     need_comma(l)))
			return -1;
		if (!lex_ident(l, w, sizeof(w)) || parse_cc(w, &in->cc))
			return lex_expected(l, "a condition (EQ, NE, ...)");
		return 0;
	case OP_B:
	case OP_BCOND:
		return label_ref(l, in);
	case OP_CBZ:
	case OP_CBNZ:
		if (reg(l, &in->rn, "a register") || need_comma(l))
			return -1;
		return label_ref(l, in);
	case OP_ADR:
		if (xreg(l, &in->rd, "a destination register") ||
		    need_comma(l))
			return -1;
		return label_ref(l, in);
	case OP_LDR: case OP_STR: case OP_LDAR: case OP_STLR:
		if (reg(l, &in->rd, "the data register") || need_comma(l))
			return -1;
		if (!in->size) /* LDRB, LDAPRH... set it */
			in->size = in->rd.w ? 4 : 8;
		else if (in->size < 4 && !in->rd.w)
			return lex_error(l, "%s takes a W register", mn);
		if (address(l, in))
			return -1;
		if ((in->op == OP_LDAR || in->op == OP_STLR) &&
		    !(in->src.is_imm && in->src.imm == 0))
			return lex_error(l, "%s takes [Xn] only", mn);
		if ((in->op == OP_LDR || in->op == OP_STR) &&
		    writeback(l, in, mn))
			return -1;
		if (in->op == OP_LDR && in->rd.zr)
			in->rd.zr = true; /* a load to XZR discards it */
		return 0;
	case OP_RMW:
		/* SWP/LD<op> Rs, Rt, [Xn]; ST<op> Rs, [Xn] (Rt = ZR, and
		 * ST<op> has no acquire form). */
		if (reg(l, &in->rs, "the source register") || need_comma(l))
			return -1;
		if (!strncmp(mn, "ST", 2)) {
			in->rd.zr = true;
			in->rd.w = in->rs.w;
		} else if (reg(l, &in->rd, "the destination register") ||
			   need_comma(l)) {
			return -1;
		}
		if (atomic_address(l, in, mn))
			return -1;
		if (!in->size)
			in->size = in->rs.w ? 4 : 8;
		/* No acquire when the result is discarded (C6.2.466:
		 * acquire = A == '1' && t != 31). */
		if (in->rd.zr)
			in->acquire = false;
		return 0;
	case OP_LDXR:
		if (reg(l, &in->rd, "the data register") || need_comma(l) ||
		    atomic_address(l, in, mn))
			return -1;
		if (!in->size)
			in->size = in->rd.w ? 4 : 8;
		return 0;
	case OP_STXR:
		if (reg(l, &in->rs, "the status register") || need_comma(l) ||
		    reg(l, &in->rd, "the data register") || need_comma(l) ||
		    atomic_address(l, in, mn))
			return -1;
		if (!in->size)
			in->size = in->rd.w ? 4 : 8;
		return 0;
	case OP_CAS:
		if (reg(l, &in->rs, "the compare register") || need_comma(l) ||
		    reg(l, &in->rd, "the data register") || need_comma(l) ||
		    address(l, in))
			return -1;
		if (in->rs.w != in->rd.w)
			return lex_error(l, "CAS registers must have the same "
					 "size");
		if (!(in->src.is_imm && in->src.imm == 0))
			return lex_error(l, "%s takes [Xn] only", mn);
		if (!in->size)
			in->size = in->rd.w ? 4 : 8;
		return 0;
	case OP_STG:
	case OP_LDG:
		return stg(l, in);
	case OP_DMB:
	case OP_DSB:
		return barrier(l, in);
	case OP_TLBI:
		return tlbi(l, in);
	case OP_MSR_ELR:
		if (!lex_ident(l, w, sizeof(w)))
			return lex_expected(l, "a system register");
		if (strcasecmp(w, "ELR_EL1")) {
			snprintf(in->why, sizeof(in->why), "MSR %s (only MSR "
				 "ELR_EL1 in fault handlers is run)", w);
			in->op = OP_UNSUPPORTED;
			l->p += strlen(l->p);
			return 0;
		}
		if (need_comma(l))
			return -1;
		return xreg(l, &in->rn, "the source register");
	default:
		return 0;
	}
}

static const struct {
	const char *name;
	enum lit_op op;
	bool acq, rel;
} mnemonics[] = {
	{"NOP", OP_NOP, 0, 0}, {"MOV", OP_MOV, 0, 0}, {"ADD", OP_ADD, 0, 0},
	{"SUB", OP_SUB, 0, 0}, {"AND", OP_AND, 0, 0}, {"ORR", OP_ORR, 0, 0},
	{"EOR", OP_EOR, 0, 0}, {"BIC", OP_BIC, 0, 0}, {"LSR", OP_LSR, 0, 0},
	{"LSL", OP_LSL, 0, 0}, {"CMP", OP_CMP, 0, 0},
	{"CSEL", OP_CSEL, 0, 0}, {"CSET", OP_CSET, 0, 0}, {"B", OP_B, 0, 0},
	{"CBZ", OP_CBZ, 0, 0}, {"CBNZ", OP_CBNZ, 0, 0}, {"ADR", OP_ADR, 0, 0},
	{"LDR", OP_LDR, 0, 0}, {"STR", OP_STR, 0, 0},
	{"LDAR", OP_LDAR, 1, 0}, {"STLR", OP_STLR, 0, 1},
	{"DMB", OP_DMB, 0, 0}, {"DSB", OP_DSB, 0, 0}, {"ISB", OP_ISB, 0, 0},
	{"TLBI", OP_TLBI, 0, 0}, {"MSR", OP_MSR_ELR, 0, 0},
	{"ERET", OP_ERET, 0, 0}, {"STG", OP_STG, 0, 0},
	{"LDG", OP_LDG, 0, 0},
	/* Aliases (alias()). */
	{"NEG", OP_SUB, 0, 0}, {"MVN", OP_EOR, 0, 0}, {"MOVZ", OP_MOV, 0, 0},
	{"SXTW", OP_ADD, 0, 0},
	{"CSINC", OP_CSEL, 0, 0}, {"CSINV", OP_CSEL, 0, 0},
	{"CSNEG", OP_CSEL, 0, 0},
};

/* The atomic and exclusive families: a base name, then A, L or AL
 * (those the family has), then B or H for a byte or halfword. */
static const struct {
	const char *base;
	enum lit_op op;
	vmsa_rmw_op_t rmw;
	bool a, l, bh;		/* has A/AL, L/AL, B/H forms */
} families[] = {
	{"SWP", OP_RMW, VMSA_RMW_SWP, 1, 1, 1},
	{"LDADD", OP_RMW, VMSA_RMW_ADD, 1, 1, 1},
	{"LDSET", OP_RMW, VMSA_RMW_SET, 1, 1, 1},
	{"LDCLR", OP_RMW, VMSA_RMW_CLR, 1, 1, 1},
	{"LDEOR", OP_RMW, VMSA_RMW_EOR, 1, 1, 1},
	{"LDSMAX", OP_RMW, VMSA_RMW_SMAX, 1, 1, 1},
	{"LDSMIN", OP_RMW, VMSA_RMW_SMIN, 1, 1, 1},
	{"LDUMAX", OP_RMW, VMSA_RMW_UMAX, 1, 1, 1},
	{"LDUMIN", OP_RMW, VMSA_RMW_UMIN, 1, 1, 1},
	{"STADD", OP_RMW, VMSA_RMW_ADD, 0, 1, 1},
	{"STSET", OP_RMW, VMSA_RMW_SET, 0, 1, 1},
	{"STCLR", OP_RMW, VMSA_RMW_CLR, 0, 1, 1},
	{"STEOR", OP_RMW, VMSA_RMW_EOR, 0, 1, 1},
	{"STSMAX", OP_RMW, VMSA_RMW_SMAX, 0, 1, 1},
	{"STSMIN", OP_RMW, VMSA_RMW_SMIN, 0, 1, 1},
	{"STUMAX", OP_RMW, VMSA_RMW_UMAX, 0, 1, 1},
	{"STUMIN", OP_RMW, VMSA_RMW_UMIN, 0, 1, 1},
	{"CAS", OP_CAS, VMSA_RMW_SWP, 1, 1, 1},
	{"LDXR", OP_LDXR, VMSA_RMW_SWP, 0, 0, 1},
	{"LDAXR", OP_LDXR, VMSA_RMW_SWP, 0, 0, 1},
	{"STXR", OP_STXR, VMSA_RMW_SWP, 0, 0, 1},
	{"STLXR", OP_STXR, VMSA_RMW_SWP, 0, 0, 1},
	{"LDAPR", OP_LDAR, VMSA_RMW_SWP, 0, 0, 1},
	/* Their B and H forms only: LDR, STR, LDAR and STLR themselves
	 * are `mnemonics`. */
	{"LDR", OP_LDR, VMSA_RMW_SWP, 0, 0, 1},
	{"STR", OP_STR, VMSA_RMW_SWP, 0, 0, 1},
	{"LDAR", OP_LDAR, VMSA_RMW_SWP, 0, 0, 1},
	{"STLR", OP_STLR, VMSA_RMW_SWP, 0, 0, 1},
};

/* Decode mn as one of `families`: true with in's op, ordering and (B/H)
 * size set. */
static bool atomic_mnemonic(const char *mn, struct lit_insn *in)
{
	for (unsigned i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		size_t n = strlen(families[i].base);
		const char *p = mn + n;
		bool a = false, rel = false;

		if (strncmp(mn, families[i].base, n))
			continue;
		if (families[i].a && *p == 'A') {
			a = true;
			p++;
		}
		if (families[i].l && *p == 'L') {
			rel = true;
			p++;
		}
		in->size = 0;
		if (families[i].bh && (*p == 'B' || *p == 'H'))
			in->size = *p++ == 'B' ? 1 : 2;
		if (*p)
			continue;
		in->op = families[i].op;
		in->rmw = families[i].rmw;
		in->acquire = a || !strcmp(families[i].base, "LDAXR") ||
			      !strcmp(families[i].base, "LDAPR") ||
			      !strcmp(families[i].base, "LDAR");
		in->acq_pc = !strcmp(families[i].base, "LDAPR");
		in->release = rel || !strcmp(families[i].base, "STLXR") ||
			      !strcmp(families[i].base, "STLR");
		return true;
	}
	return false;
}

int lit_parse_insn(struct lit_test *t, const char *file, int line,
		   const char *text, struct lit_insn *in, char *err,
		   size_t errsz)
{
	struct lex l;
	char mn[24];
	size_t n = 0;
	unsigned i;

	(void)t;
	memset(in, 0, sizeof(*in));
	in->line = line;
	in->target = -1;
	snprintf(in->text, sizeof(in->text), "%s", text);
	lex_init(&l, text, line, file, err, errsz);
	lex_ws(&l);
	while ((isalnum((unsigned char)l.p[n]) || l.p[n] == '.') &&
	       n + 1 < sizeof(mn))
		n++;
	memcpy(mn, l.p, n);
	mn[n] = 0;
	for (char *p = mn; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (!n)
		return lex_expected(&l, "an instruction");
	l.p += n;
	if (!strncmp(mn, "B.", 2)) {
		in->op = OP_BCOND;
		if (parse_cc(mn + 2, &in->cc))
			return lex_error(&l, "unknown condition in '%s'", mn);
	} else {
		for (i = 0; i < sizeof(mnemonics) / sizeof(mnemonics[0]); i++)
			if (!strcmp(mn, mnemonics[i].name))
				break;
		if (i == sizeof(mnemonics) / sizeof(mnemonics[0]) &&
		    atomic_mnemonic(mn, in)) {
			/* decoded: op, ordering and size are set */
		} else if (i == sizeof(mnemonics) / sizeof(mnemonics[0])) {
			for (unsigned k = 0; k < sizeof(later) / sizeof(later[0]);
			     k++)
				if (!strncmp(mn, later[k].prefix,
					     strlen(later[k].prefix))) {
					in->op = OP_UNSUPPORTED;
					snprintf(in->why, sizeof(in->why),
						 "%s: %s", mn, later[k].why);
					return 0;
				}
			return lex_error(&l, "unknown instruction '%s'", mn);
		} else {
			in->op = mnemonics[i].op;
			in->acquire = mnemonics[i].acq;
			in->release = mnemonics[i].rel;
		}
	}
	if (operands(&l, in, mn))
		return -1;
	if (!lex_eof(&l))
		return lex_expected(&l, "the end of the instruction");
	return 0;
}

static int find_label(const struct lit_code *c, const char *name)
{
	for (unsigned i = 0; i < c->nlabel; i++)
		if (!strcmp(c->label[i].name, name))
			return c->label[i].insn;
	return -1;
}

int lit_resolve_labels(struct lit_test *t, struct lit_code *c, int thread,
		       char *err, size_t errsz)
{
	bool handler = c == &t->handler[thread];

	for (unsigned i = 0; i < c->n; i++) {
		struct lit_insn *in = &c->insn[i];

		if (!in->target_label[0])
			continue;
		in->target = find_label(c, in->target_label);
		in->target_main = false;
		if (in->target < 0 && handler) {
			in->target = find_label(&t->code[thread],
						in->target_label);
			in->target_main = in->target >= 0;
		}
		if (in->target < 0) {
			snprintf(err, errsz, "%s:%d: unknown label '%s' in P%d%s",
				 t->file, in->line, in->target_label, thread,
				 handler ? ".F" : "");
			return -1;
		}
		if (handler && in->target_main && in->op != OP_ADR) {
			snprintf(t->unsupported, sizeof(t->unsupported),
				 "%s:%d: unsupported: a branch from a fault "
				 "handler into the thread's code", t->file,
				 in->line);
		}
	}
	return 0;
}
