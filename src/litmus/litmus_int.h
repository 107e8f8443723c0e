/*
 * src/litmus/litmus_int.h - the litmus front end's abstract syntax tree
 * and what its files share. Private.
 *
 * A test (struct lit_test) is what parse.c builds from herd7's AArch64
 * litmus text: symbols (the test's variables), the initial state, one
 * code sequence per thread (and per fault handler column `Pn.F`), and
 * the final condition. run.c turns it into a dynamic scenario whose CPU
 * functions interpret the code (interp.c); cond.c evaluates the
 * condition on the final state of every execution; output.c prints.
 */
#ifndef VMSA_LITMUS_INT_H
#define VMSA_LITMUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/litmus.h"
#include "vmsa/model.h"

#define LIT_MAX_THREADS VMSA_MAX_CPUS
#define LIT_MAX_SYMS 48
#define LIT_MAX_NAME 48
#define LIT_MAX_LABELS 32
#define LIT_MAX_OBS 64
#define LIT_NREGS 31
#define LIT_MAX_CODE 256	/* instructions in one column */
#define LIT_ERR 600

/* ---------------------------------------------------------------------
 * Values: a descriptor record (herd's pteval), and the values of the
 * init section and of the condition.
 * ------------------------------------------------------------------- */

/* Memory attributes a descriptor record can name (attrs:(...)); each
 * is one MAIR_EL1 index in run.c's layout. */
enum lit_attr {
	LIT_ATTR_NORMAL = 0,	/* Normal, Inner/Outer Write-Back, ISH */
	LIT_ATTR_DEVICE_GRE,
	LIT_ATTR_DEVICE_nGnRnE,
	LIT_ATTR_NORMAL_NC,	/* Normal, Inner/Outer Non-cacheable */
	LIT_ATTR_N
};

/* herd's pteval: (oa:PA(x), valid:0, af:1, db:1, dbm:0, el0:1, attrs:(..)).
 * Defaults as herd's prot_default: valid 1, af 1, db 1, dbm 0, el0 1. */
struct lit_desc {
	int oa_sym;		/* symbol whose physical page is the OA; -1:
				   the default (the symbol the PTE maps) */
	unsigned valid, af, db, dbm, el0;
	enum lit_attr attr;
};

enum lit_val_kind {
	LV_INT,			/* a number */
	LV_VA,			/* the VA of symbol `sym` (x, &x) */
	LV_PTE,			/* the VA of the PTE of `sym` (pte_x, PTE(x)) */
	LV_PA,			/* the PA of `sym` (phy_x, PA(x)) */
	LV_DESC,		/* a descriptor record */
	LV_LABEL,		/* label:"P1:L1": an instruction address */
};

struct lit_value {
	enum lit_val_kind kind;
	int64_t i;
	int sym;
	struct lit_desc d;
	int thread, insn;	/* LV_LABEL: where the label points */
	char label[LIT_MAX_NAME];
	unsigned tag;		/* LV_VA: the Logical Address Tag of x:colour
				   (herd's colours, LIT_TAG_*; 0: green, the
				   tag of a plain x too) */
};

/* herd's tag colours (lib/misc.ml): the Logical Address Tag of x:colour
 * and the Allocation Tag values; green (0) is every granule's initial
 * Allocation Tag and the tag of an untagged pointer. */
#define LIT_NCOLOURS 8
extern const char *const lit_colour[LIT_NCOLOURS];
/* VA bits below the Logical Address Tag's byte (FEAT_MTE: VA[59:56]). */
#define LIT_VA_MASK ((1ull << 56) - 1)

/* ---------------------------------------------------------------------
 * Instructions
 * ------------------------------------------------------------------- */

enum lit_op {
	OP_NOP, OP_MOV, OP_ADD, OP_SUB, OP_AND, OP_ORR, OP_EOR, OP_BIC,
	OP_LSR, OP_LSL, OP_CMP, OP_CSEL, OP_CSET, OP_B, OP_BCOND, OP_CBZ,
	OP_CBNZ, OP_ADR, OP_LDR, OP_STR, OP_LDAR, OP_STLR, OP_CAS, OP_DMB,
	OP_DSB, OP_ISB, OP_TLBI, OP_MSR_ELR, OP_ERET,
	/* Atomics and exclusives (vmsa_rmw, vmsa_ldxr, vmsa_stxr): SWP,
	 * LD<op> and ST<op> (rmw says which), LDXR/LDAXR, STXR/STLXR. */
	OP_RMW, OP_LDXR, OP_STXR,
	/* STG Xt, [Xn{,#imm}]: store the Allocation Tag of Xt[59:56] for
	 * the Tag Granule at Xn + imm (vmsa_tag_store; FEAT_MTE2). */
	OP_STG,
	/* LDG Xt, [Xn{,#imm}]: Xt[59:56] gets the Allocation Tag of the
	 * granule at Xn + imm (vmsa_tag_load). */
	OP_LDG,
	/* Parsed but not run: an "unsupported" test (the reason is the
	 * instruction's `why`). */
	OP_UNSUPPORTED,
};

/* A register operand: X0..X30 (w: the W view), or XZR/WZR (zr). */
struct lit_reg {
	unsigned n;
	bool w, zr;
};

enum lit_ext { EXT_NONE, EXT_LSL, EXT_SXTW, EXT_UXTW };

/* A second ALU or address operand: register (with an extend or a
 * shift) or immediate. */
struct lit_opnd {
	bool is_imm;
	int64_t imm;
	struct lit_reg r;
	enum lit_ext ext;
	unsigned amount;
};

enum lit_cond { CC_EQ, CC_NE, CC_HS, CC_LO, CC_MI, CC_PL, CC_VS, CC_VC,
		CC_HI, CC_LS, CC_GE, CC_LT, CC_GT, CC_LE, CC_AL };

struct lit_insn {
	enum lit_op op;
	int line;
	struct lit_reg rd, rn, rs;	/* rs: CAS's compare register */
	struct lit_opnd src;		/* second operand / address offset */
	struct lit_reg rm;		/* CSEL's second register */
	enum lit_cond cc;
	/* OP_CSEL: what the second register's value becomes when the
	 * condition fails: CSEL itself, CSINC (+1), CSINV (~), CSNEG
	 * (-) (lit_csel_value). */
	enum lit_csop { CS_SEL, CS_INC, CS_INV, CS_NEG } csop;
	int target;			/* branch/ADR target: insn index */
	bool target_main;		/* in a handler: the target is in the
					   thread's code, not the handler's */
	char target_label[LIT_MAX_NAME];
	unsigned size;			/* access size in bytes */
	/* LDR/STR with writeback: pre-index [Xn,#imm]! (the access at
	 * Xn + imm) or post-index [Xn],#imm (at Xn); either way Xn +=
	 * wb_imm once the access is made. */
	bool wb;
	int64_t wb_imm;
	bool acquire, release;
	bool acq_pc;			/* LDAPR: RCpc acquire */
	vmsa_rmw_op_t rmw;		/* OP_RMW: the operation */
	vmsa_barrier_t bar;
	vmsa_tlbi_op_t tlbi;
	char text[64];			/* the instruction as written */
	char why[128];			/* OP_UNSUPPORTED: the reason */
};

struct lit_label {
	char name[LIT_MAX_NAME];
	int insn;
};

/* One column of the program: a thread's code or its fault handler. */
struct lit_code {
	struct lit_insn *insn;
	unsigned n, cap;
	struct lit_label label[LIT_MAX_LABELS];
	unsigned nlabel;
};

/* ---------------------------------------------------------------------
 * Symbols, initial state, condition
 * ------------------------------------------------------------------- */

#define LIT_MAX_ELEMS 64	/* of an array location (int x[3]) */

struct lit_sym {
	char name[LIT_MAX_NAME];
	unsigned size;			/* 4 (int) or 8: of each element */
	bool is_unsigned;		/* uint32_t, uint64_t: its value
					   printed unsigned, as herd7 does */
	struct lit_value init;		/* initial contents (LV_INT 0) */
	/* An array (int x[3]={1,2,3}): nelem elements of size bytes from
	 * the start of its page, element 0 is `init`; 0 for a scalar. */
	unsigned nelem;
	int64_t elem[LIT_MAX_ELEMS];
	struct lit_desc pte;		/* its PTE's initial value */
	unsigned tag;			/* the initial Allocation Tag of its
					   first granule ([tag(x)]=:colour;
					   0: green, herd's default) */
	/* The init section's lines that gave it, its PTE and its tag
	 * their values (0: none yet): herd7 rejects a second one. */
	int init_line, pte_line, tag_line;
};

struct lit_reginit {
	int thread;
	unsigned reg;
	struct lit_value v;
	int line;			/* in the init section */
};

/* An observable: a register, a memory location or a PTE. */
/* LOC_TAG: the Allocation Tag of x's first Tag Granule, [tag(x)]
 * (variant memtag). */
enum lit_loc_kind { LOC_REG, LOC_MEM, LOC_PTE, LOC_TAG };

struct lit_loc {
	enum lit_loc_kind kind;
	int thread;
	unsigned reg;
	int sym;
	/* LOC_MEM of an array's element x[elem] (indexed), printed as
	 * herd7 prints it, x[1]=2; else the location itself, [x]. */
	bool indexed;
	unsigned elem;
};

/* FT_TLB_CONFLICT: a TLB conflict abort after a break-before-make
 * failure (only with vmsa_litmus_opts_t.conflict_aborts); no typed atom
 * names it, an untyped fault(P1,x) matches it. */
enum lit_fault_type { FT_ANY, FT_TRANSLATION, FT_ACCESS_FLAG,
		      FT_PERMISSION, FT_TLB_CONFLICT, FT_TAG_CHECK };

enum lit_node_kind { N_TRUE, N_FALSE, N_NOT, N_AND, N_OR, N_EQ, N_FAULT,
		     N_IMPL };

struct lit_node {
	enum lit_node_kind kind;
	struct lit_node *a, *b;
	/* N_EQ */
	int obs;			/* index into test->obs */
	struct lit_value v;
	/* N_FAULT */
	int thread, label_insn, sym;	/* label_insn, sym: -1 any */
	enum lit_fault_type ftype;
	int fatom;			/* index into test->fatom */
};

enum lit_quant { Q_EXISTS, Q_NOT_EXISTS, Q_FORALL };

/* A fault atom of the condition, as the state shows it. */
struct lit_fatom {
	int thread, label_insn, sym;
	enum lit_fault_type ftype;
	char text[96];			/* "Fault(P1:L0,x,MMU:Translation)" */
};

struct lit_test {
	char file[256];
	char name[128];
	char variant[128];		/* the Variant= line */
	char tthm[64];			/* the TTHM= line */
	int tag_line;			/* the first x:colour or STG (0: none):
					   needs the variant memtag */
	bool el0[LIT_MAX_THREADS];	/* EL0=P0,... */
	/* Each register's type for the final state (herd7's): 0, int,
	 * the default (its value observed as a signed 32-bit one), 4 a
	 * declared 32-bit type, 8 a declared 64-bit one (int64_t,
	 * uint64_t, pteval_t, a pointer...) or a register initialised
	 * with an address, a descriptor or a label. */
	uint8_t reg_size[LIT_MAX_THREADS][LIT_NREGS];
	/* Declared uint32_t or uint64_t: its number printed unsigned, as
	 * herd7 prints it. */
	bool reg_unsigned[LIT_MAX_THREADS][LIT_NREGS];
	unsigned nthreads;
	unsigned nthreads_code;		/* threads seen in the column names */
	struct lit_code code[LIT_MAX_THREADS];
	struct lit_code handler[LIT_MAX_THREADS];
	bool has_handler[LIT_MAX_THREADS];
	struct lit_sym sym[LIT_MAX_SYMS];
	unsigned nsym;
	/* While the final condition is parsed (in_cond), the locations
	 * the test named before it (decl_nsym: the init's; the locations
	 * list's come after): any other is an error (val_sym), as herd7
	 * rejects a condition that introduces a location. */
	bool in_cond;
	unsigned decl_nsym;
	struct lit_reginit *reginit;
	unsigned nreginit, capreginit;
	/* Observables: the condition's and locations[]'s, in order. */
	struct lit_loc obs[LIT_MAX_OBS];
	unsigned nobs;
	struct lit_fatom fatom[LIT_MAX_OBS];
	unsigned nfatom;
	enum lit_quant quant;
	struct lit_node *cond;
	char cond_text[1024];		/* normalised, for "Condition ..." */
	/* The first construct the runner cannot run (set by the parser),
	 * "FILE:LINE: unsupported: ...". */
	char unsupported[LIT_ERR];
	/* Node storage. */
	struct lit_node *nodes;
	unsigned nnodes, capnodes;
};

/* ---------------------------------------------------------------------
 * Between the files
 * ------------------------------------------------------------------- */

/* parse.c / insn.c */
int lit_parse_insn(struct lit_test *t, const char *file, int line,
		   const char *text, struct lit_insn *out, char *err,
		   size_t errsz);
int lit_resolve_labels(struct lit_test *t, struct lit_code *c, int thread,
		       char *err, size_t errsz);
int lit_sym_find(const struct lit_test *t, const char *name);
int lit_sym_get(struct lit_test *t, const char *name);
void lit_desc_default(struct lit_desc *d);

/* layout.c: where things are in the model */
#define LIT_TBL_VA 0x200000ull		/* the L3 table, mapped at VA */
#define LIT_LABEL_BASE 0x7c00000000000000ull
uint64_t lit_sym_va(int sym);
uint64_t lit_pte_va(int sym);
int lit_va_sym(uint64_t va, bool *is_pte);
uint64_t lit_desc_encode(const struct lit_desc *d, vmsa_pa_t oa);
/* Decode a descriptor value for comparison and printing; oa_sym -1 when
 * its OA is no symbol's page (pa_of: the PA of every symbol). */
void lit_desc_decode(uint64_t v, const vmsa_pa_t *pa_of, unsigned nsym,
		     struct lit_desc *d, uint64_t *oa);
int lit_desc_format(char *buf, size_t size, const struct lit_test *t,
		    uint64_t v, const vmsa_pa_t *pa_of);
uint64_t lit_label_value(int thread, int insn);
/* A final value as herd prints it: a record, a label, a symbol, or a
 * signed decimal number. */
int lit_value_format(char *buf, size_t size, const struct lit_test *t,
		     uint64_t v, const vmsa_pa_t *pa_of, bool is_pte);

/* A final value as lit_value_format prints it, a number unsigned when
 * uns (a location or register of type uint32_t or uint64_t, as herd7
 * prints them). */
int lit_number_format(char *buf, size_t size, const struct lit_test *t,
		      uint64_t v, const vmsa_pa_t *pa_of, bool uns);

/* v as a value of a type of size bytes (1, 2, 4; 8 leaves it whole),
 * sign-extended, or zero-extended when uns: how herd7 observes a
 * location or register of that type. */
uint64_t lit_typed(uint64_t v, unsigned size, bool uns);

/* Register reg of thread's final value v as herd7 observes it, by the
 * register's type (struct lit_test's reg_size): whole for a 64-bit type
 * or a symbolic value (an address, a descriptor, a label), else its
 * low 32 bits as a signed int, herd7's default type (MOV W0,#-5 gives
 * -5; X2 = 0x100000000 gives 0, as herd7 prints them). */
uint64_t lit_reg_final(const struct lit_test *t, int thread, unsigned reg,
		       uint64_t v, const vmsa_pa_t *pa_of);

/* cond.c */
bool lit_cond_eval(const struct lit_test *t, const struct lit_node *n,
		   const uint64_t *obsv, const uint8_t *fatomv,
		   const vmsa_pa_t *pa_of);
uint64_t lit_value_runtime(const struct lit_value *v, const vmsa_pa_t *pa_of);

#endif
