/*
 * Block-size changes without a break, FEAT_BBM levels and TLB conflict
 * aborts (docs/model.md items 6 and 8; ARCH-RULES.md sections 2 and 3).
 *
 * CPU0 splits the 2M block of fixture_block.h into a level-3 table with
 * the same output addresses and attributes, writing the table descriptor
 * over the block with no invalid step in between, while CPU1 (whose TLB
 * may hold the block) keeps using the range. After that CPU1's lookups may
 * hit the held block and the new pages at once: entries of different
 * sizes, a TLB conflict.
 */
#include <stdio.h>
#include <string.h>

#include "chooser.h"
#include "fixture_block.h"
#include "fixture_s2.h"

#define CONFLICT "TLB conflict abort"
#define NT_FAULT "nT block: Translation fault"
#define TLB_CHOICE "stage-1 TLB entry"

#define PAGE 3u		/* the page of the block the tests use */
#define VA_PAGE (FXB_VA + PAGE * VMSA_PAGE_SIZE)

/* ESR_ELx of an abort taken from EL1 to EL1: Data Abort EC 0x25,
 * Instruction Abort EC 0x21, IL = 1, ISV = 0, WnR = 0 (a read), and the
 * fault status code: 0x30 for a TLB conflict (RZQNWZ), 0b0001LL for a
 * Translation fault at level LL. */
#define ESR_CUR(ec, fsc) (((uint64_t)(ec) << 26) | VMSA_ESR_IL | (fsc))
#define ESR_DABT_CONFLICT ESR_CUR(VMSA_EC_DABT_CUR, 0x30u)
#define ESR_IABT_CONFLICT ESR_CUR(VMSA_EC_IABT_CUR, 0x30u)
#define ESR_DABT_L2_TRANSLATION ESR_CUR(VMSA_EC_DABT_CUR, 0x06u)

/* What an EL1 handler saw, and whether it cleans the TLB. */
struct handled {
	unsigned n;
	uint64_t esr, far, esr_reg, far_reg;
	vmsa_exc_type_t type;
	vmsa_fault_kind_t kind;
	unsigned to_el;
	bool invalidate;	/* TLBI VMALLE1; DSB NSH; ISB before returning */
};

static void el1_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct handled *h = arg;

	h->n++;
	h->esr = e->esr;
	h->far = e->far;
	h->type = e->type;
	h->kind = e->fault.kind;
	h->to_el = e->to_el;
	h->esr_reg = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	h->far_reg = vmsa_mrs(m, cpu, VMSA_REG_FAR_EL1);
	if (h->invalidate) {
		vmsa_tlbi_op_t op;

		/* EL1&0 without stage 2: VMALLE1 removes every entry
		 * that can conflict (RBLRKC, IJCCRT). */
		if (vmsa_tlbi_parse("vmalle1", &op) == 0)
			vmsa_tlbi(m, cpu, op, 0);
		vmsa_dsb(m, cpu, VMSA_BAR_NSH);
		vmsa_isb(m, cpu);
	}
}

/* CPU1 uses the block; CPU0 fills the split table and writes it over the
 * block, then publishes it. */
static void split_without_break(struct fxb *b)
{
	CHECK_EQ(fxb_read(b, 1, PAGE), fxb_data(PAGE));
	fxb_fill_split(b, 0);
	vmsa_desc_write_pa(b->fx.m, 0, fxb_l2e(b), fxb_table_desc(b));
	vmsa_dsb(b->fx.m, 0, VMSA_BAR_ISH);
}

/*
 * RKFLJB: without FEAT_BBM level 1 or 2 a block-size change needs
 * break-before-make: writing the table over the block while TLBs may hold
 * the block is a "bbm" violation at that write.
 */
TEST(model_conflict_split_level0_is_bbm)
{
	const vmsa_violation_t *v;
	struct fxb b;
	uint64_t step;

	fxb_setup(&b, 2, 0, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	fxb_fill_split(&b, 0);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_table_desc(&b));
	step = vmsa_steps(b.fx.m);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RKFLJB");
		CHECK_EQ(v->cpu, 0);
		CHECK_EQ(v->step, step);
		CHECK_EQ(v->n_entries, 1);
		CHECK_EQ(v->entries[0].desc, fxb_block_desc(&b, false));
		CHECK_EQ(v->entries[0].loc, fxb_l2e(&b));
		CHECK(strstr(v->message, "block size changed") != NULL);
	}
	fxb_done(&b);
}

/*
 * RKFLJB, RPVTFW: at level 1 a size change is legal only with the nT
 * sequence; the plain split is still a violation.
 */
TEST(model_conflict_split_level1_without_nt_is_bbm)
{
	const vmsa_violation_t *v;
	struct fxb b;

	fxb_setup(&b, 2, 1, true);
	split_without_break(&b);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RKFLJB");
		CHECK(strstr(v->message, "without nT") != NULL);
	}
	fxb_done(&b);
}

/*
 * RKFLJB, IHYQMB: at level 2 an implementation that never raises TLB
 * conflict aborts (BBML2_NOABORT) makes the split safe: no violation, and
 * CPU1's lookups are offered the held block or the table, never an abort.
 * Both give the same data.
 */
TEST(model_conflict_split_level2_noabort)
{
	static const unsigned old_block[] = {1};
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, false);
	split_without_break(&b);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	/* The held block is a TLB hit of its own: walk (the table) or it.
	 * The walk through the table cannot see the table's entries as they
	 * were before CPU0 filled and published them (walk reads are
	 * ordered, and the link was written after the DSB): CPU1 needs no
	 * ISB for that. */
	CHECK_EQ(ch.n_calls, 1);
	CHECK_STR(ch.calls[0].what, TLB_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);
	CHECK_EQ(ch_count(&ch, CONFLICT), 0);

	/* The held block: the same output address. */
	ch_init(&ch, old_block, 1);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK_EQ(ch_count(&ch, CONFLICT), 0);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	fxb_done(&b);
}

/*
 * RZQNWZ, IHYQMB: at level 2 on an implementation that may abort, a
 * lookup that may hit both sizes is offered a TLB conflict abort. Taken,
 * with no handler at EL1, it is "conflict-abort-unhandled".
 */
TEST(model_conflict_level2_abort_unhandled)
{
	static const unsigned abort_it[] = {1};
	const vmsa_violation_t *v;
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	split_without_break(&b);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), ~0ull);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	if (ch_find(&ch, CONFLICT))
		CHECK_EQ(ch_find(&ch, CONFLICT)->n, 2);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_CONFLICT_UNHANDLED);
		CHECK_STR(v->rule, "RZQNWZ");
		CHECK_EQ(v->cpu, 1);
		CHECK(strstr(v->message, "ESR 0x96000030") != NULL);
	}
	fxb_done(&b);
}

/*
 * RZQNWZ, RWJMZJ, RQWTKL, RZMVZT, RBLRKC: a Data Abort with FSC 0x30. With
 * stage 1 only it goes to EL1: ESR_EL1 = EC 0x25 (Data Abort from the
 * same EL) | IL | 0x30 = 0x96000030, FAR_EL1 = the VA looked up
 * (IJYDXJ). A handler that does TLBI VMALLE1; DSB; ISB removes the stale
 * block: the retried read has no conflict left and completes.
 */
TEST(model_conflict_level2_abort_handled)
{
	static const unsigned abort_it[] = {1};
	struct handled h = {.invalidate = true};
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	vmsa_set_handler(b.fx.m, 1, 1, el1_handler, &h);
	split_without_break(&b);
	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	CHECK_EQ(h.n, 1);
	CHECK_EQ(h.type, VMSA_EXC_DATA_ABORT);
	CHECK_EQ(h.kind, VMSA_FAULT_TLB_CONFLICT);
	CHECK_EQ(h.to_el, 1);
	CHECK_EQ(h.esr, ESR_DABT_CONFLICT);
	CHECK_EQ(h.esr, 0x96000030);
	CHECK_EQ(h.esr_reg, 0x96000030);
	CHECK_EQ(VMSA_ESR_FSC(h.esr), 0x30);
	CHECK_EQ(h.far, VA_PAGE);
	CHECK_EQ(h.far_reg, VA_PAGE);
	CHECK_EQ(vmsa_current_el(b.fx.m, 1), 1);
	fxb_done(&b);
}

/*
 * ICFFVK: the conflict persists until TLB maintenance removes the extra
 * entries. A handler that just returns leaves them: the retried access may
 * abort again, and again (the explorer reports the livelock); here it
 * aborts twice, then (option 0) completes.
 */
TEST(model_conflict_handler_without_tlbi_aborts_again)
{
	static const unsigned twice[] = {1, 1};
	struct handled h = {.invalidate = false};
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	vmsa_set_handler(b.fx.m, 1, 1, el1_handler, &h);
	split_without_break(&b);
	ch_init(&ch, twice, 2);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(h.n, 2);
	CHECK_EQ(h.esr, 0x96000030);
	CHECK_EQ(ch_count(&ch, CONFLICT), 3);
	fxb_done(&b);
}

/* The full clean-up after the split (TLBI VAE1IS; DSB ISH) removes the
 * block from every TLB: no conflict can be offered afterwards. */
TEST(model_conflict_gone_after_tlbi)
{
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	split_without_break(&b);
	fx_tlbi_va(&b.fx, 0, "vae1is", FXB_VA);
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	vmsa_isb(b.fx.m, 1);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK_EQ(ch.n_calls, 0);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	fxb_done(&b);
}

/* RWJMZJ: for an instruction fetch the conflict is an Instruction Abort:
 * ESR_EL1 = EC 0x21 | IL | 0x30 = 0x86000030. */
TEST(model_conflict_fetch_is_instruction_abort)
{
	static const unsigned abort_it[] = {1};
	struct handled h = {.invalidate = true};
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	vmsa_set_handler(b.fx.m, 1, 1, el1_handler, &h);
	split_without_break(&b);
	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	CHECK(vmsa_fetch(b.fx.m, 1, VA_PAGE));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(h.n, 1);
	CHECK_EQ(h.type, VMSA_EXC_INSN_ABORT);
	CHECK_EQ(h.esr, ESR_IABT_CONFLICT);
	CHECK_EQ(h.esr, 0x86000030);
	CHECK_EQ(h.far, VA_PAGE);
	fxb_done(&b);
}

/*
 * RKFLJB, RMRRPW: at level 1, rewriting the block with nT = 1 (same size)
 * is legal. An access through a block with nT = 1 may take an
 * IMPLEMENTATION DEFINED Translation fault, at the block's level (2):
 * ESR_EL1 = 0x96000006.
 */
TEST(model_conflict_level1_nt_translation_fault)
{
	static const unsigned fault_it[] = {1};
	struct handled h = {.invalidate = false};
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 1, true);
	vmsa_set_handler(b.fx.m, 1, 1, el1_handler, &h);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, true));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	ch_init(&ch, fault_it, 1);
	ch_only(&ch, NT_FAULT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	/* Offered on the first attempt (taken) and on the retry. */
	CHECK_EQ(ch_count(&ch, NT_FAULT), 2);
	if (ch_find(&ch, NT_FAULT))
		CHECK_EQ(ch_find(&ch, NT_FAULT)->n, 2);
	CHECK_EQ(ch_count(&ch, CONFLICT), 0);
	CHECK_EQ(h.n, 1);
	CHECK_EQ(h.kind, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(h.esr, ESR_DABT_L2_TRANSLATION);
	CHECK_EQ(h.esr, 0x96000006);
	CHECK_EQ(h.far, VA_PAGE);
	fxb_done(&b);
}

/* Without a handler the nT Translation fault is an unhandled abort. */
TEST(model_conflict_level1_nt_fault_unhandled)
{
	static const unsigned fault_it[] = {1};
	const vmsa_violation_t *v;
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 1, true);
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, true));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, fault_it, 1);
	ch_only(&ch, NT_FAULT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), ~0ull);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK(strstr(v->message, "ESR 0x96000006") != NULL);
		CHECK(strstr(v->message, "(translation, stage 1, level 2)") !=
		      NULL);
	}
	fxb_done(&b);
}

/* RDFJNG: nT exists with FEAT_BBML1 (levels 1 and 2). At level 0 bit 16
 * of a block is RES0: a block with it set never offers the nT fault; at
 * level 2 it does (RMRRPW). */
TEST(model_conflict_nt_fault_needs_bbml1)
{
	static const unsigned levels[] = {0, 2};

	for (unsigned i = 0; i < 2; i++) {
		struct fxb b;
		struct ch ch;

		fxb_setup(&b, 2, levels[i], true);
		/* Set-up write: no TLB holds anything yet to compare. */
		vmsa_desc_write_pa(b.fx.m, VMSA_SETUP, fxb_l2e(&b),
				   fxb_block_desc(&b, true));
		vmsa_isb(b.fx.m, 1);
		ch_init(&ch, NULL, 0);
		ch_attach(&ch, b.fx.m);
		CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
		CHECK_EQ(ch_count(&ch, NT_FAULT), levels[i] ? 1 : 0);
		CHECK(vmsa_violation(b.fx.m) == NULL);
		fxb_done(&b);
	}
}

/*
 * RKFLJB, RHHCXC: the level-1 split with the nT sequence is legal: the
 * block is rewritten with nT = 1, the nT = 0 copy invalidated (TLBI
 * VAE1IS; DSB ISH), then the table written over the nT block. CPU1 keeps
 * working throughout.
 */
TEST(model_conflict_level1_nt_split_sequence)
{
	struct fxb b;

	fxb_setup(&b, 2, 1, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	fxb_fill_split(&b, 0);
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, true));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&b.fx, 0, "vae1is", FXB_VA);
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_table_desc(&b));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	fx_tlbi_va(&b.fx, 0, "vae1is", FXB_VA);
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	fxb_done(&b);
}

/*
 * The nT sequence needs the TLBI between the two writes: a CPU that may
 * still hold the nT = 0 block when the table is written makes the split a
 * violation (RKFLJB).
 */
TEST(model_conflict_level1_nt_split_missing_tlbi)
{
	const vmsa_violation_t *v;
	struct fxb b;

	fxb_setup(&b, 2, 1, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	fxb_fill_split(&b, 0);
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, true));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(b.fx.m) == NULL);
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_table_desc(&b));
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RKFLJB");
		CHECK_EQ(v->entries[0].desc, fxb_block_desc(&b, false));
	}
	fxb_done(&b);
}

/*
 * A collapse at level 1 (RKFLJB, RMRRPW): the table is replaced by the
 * block written with nT = 1: legal; without nT it is a violation. While
 * CPU1 may hold the old pages, its lookups may be offered a conflict
 * abort (RMRRPW: if no Translation fault, a TLB conflict abort can be
 * generated).
 */
TEST(model_conflict_level1_collapse)
{
	for (int nt = 0; nt < 2; nt++) {
		const vmsa_violation_t *v;
		struct fxb b;
		struct ch ch;

		fxb_setup_ex(&b, 2, 1, true, true);
		CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
		vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b),
				   fxb_block_desc(&b, nt));
		v = vmsa_violation(b.fx.m);
		if (!nt) {
			CHECK(v != NULL);
			if (v) {
				CHECK_EQ(v->kind, VMSA_V_BBM);
				CHECK_STR(v->rule, "RKFLJB");
			}
			fxb_done(&b);
			continue;
		}
		CHECK(v == NULL);
		vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
		ch_init(&ch, NULL, 0);
		ch_attach(&ch, b.fx.m);
		CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
		CHECK_EQ(ch_count(&ch, CONFLICT), 1);
		CHECK(vmsa_violation(b.fx.m) == NULL);
		fxb_done(&b);
	}
}

/* ------------------------------------------------------------------ */
/* A guest with both stages enabled (fixture_s2.h)                     */
/* ------------------------------------------------------------------ */

#define G_SPLIT_IPA (FX2_IPA_TABLES + 0x3000ull) /* guest's split table */
#define G_BLOCK_VA 0x200000ull	/* guest L2 entry 1: VA 2M..4M */
#define G_BLOCK_IPA FX2_IPA_TABLES	/* 2M aligned */
/* The guest VA of data page 0 through the block. */
#define G_VA (G_BLOCK_VA + (FX2_IPA_DATA - G_BLOCK_IPA))

/* ESR_EL2 of a Data Abort from EL1 (a lower EL: EC 0x24), IL = 1, TLB
 * conflict (0x30), a read. */
#define ESR_DABT_LOW_CONFLICT ESR_CUR(VMSA_EC_DABT_LOW, 0x30u)

static uint64_t g_block_desc(void)
{
	return vmsa_desc_make_s1_leaf(G_BLOCK_IPA, 2, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

/* VM 0 on a machine at BBM level 2 that may abort, with a guest stage-1
 * block mapping IPA 0x80000000.. at VA 2M, and a page at G_SPLIT_IPA
 * (stage 2 maps it) for the guest's split table. Returns its PA. */
static vmsa_pa_t g_setup(struct fx2 *f)
{
	struct fx2_vm *vm = &f->vm[0];
	vmsa_pa_t split;

	memset(f, 0, sizeof(*f));
	f->m = fx_machine(2, 2, true);
	fx2_vm_build(f, 0, 1);
	split = vmsa_page_alloc(f->m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx2_s2_pte(vm, G_SPLIT_IPA),
			   fx2_s2_page_desc(split));
	vmsa_desc_write_pa(f->m, VMSA_SETUP, vm->g_tab[1] + 8, g_block_desc());
	return split;
}

struct el2_seen {
	unsigned n;
	uint64_t esr, far, esr_reg;
	bool hpfar_valid;
	unsigned to_el;
	vmsa_fault_kind_t kind;
};

/* The hypervisor's handler: record, then TLBI VMALLS12E1; DSB NSH; ISB,
 * what removes a conflict of EL1&0 with stage 2 for certain (RBLRKC). */
static void el2_conflict_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
				 const struct vmsa_exception *e, void *arg)
{
	struct el2_seen *s = arg;
	vmsa_tlbi_op_t op;

	s->n++;
	s->esr = e->esr;
	s->far = e->far;
	s->hpfar_valid = e->hpfar_valid;
	s->to_el = e->to_el;
	s->kind = e->fault.kind;
	s->esr_reg = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	if (vmsa_tlbi_parse("vmalls12e1", &op) == 0)
		vmsa_tlbi(m, cpu, op, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_NSH);
	vmsa_isb(m, cpu);
}

/*
 * RQWTKL, RWJMZJ, IJYDXJ: the guest splits a stage-1 block (level 2: no
 * violation) while its other vCPU uses it; with both stages enabled and
 * FEAT_BBML1 the conflict goes to EL2: ESR_EL2 = EC 0x24 | IL | 0x30 =
 * 0x92000030, FAR_EL2 = the VA, HPFAR_EL2 UNKNOWN. The hypervisor's
 * VMALLS12E1 clears it and the guest's access completes.
 */
TEST(model_conflict_guest_stage1_goes_to_el2)
{
	static const unsigned abort_it[] = {1};
	struct el2_seen seen = {0};
	struct fx2 f;
	struct ch ch;
	vmsa_pa_t split;

	split = g_setup(&f);
	fx2_enter_guest(&f, 1, 0);
	CHECK_EQ(fx2_read(&f, 1, G_VA), 0xa0);
	vmsa_set_handler(f.m, 1, 2, el2_conflict_handler, &seen);
	/* The guest on CPU0 (its page-table code writes by PA). */
	fx2_enter_guest(&f, 0, 0);
	for (unsigned i = 0; i < 512; i++)
		vmsa_desc_write_pa(f.m, 0, split + 8 * i,
				   vmsa_desc_make_s1_leaf(
					   G_BLOCK_IPA + 0x1000ull * i, 3,
					   VMSA_GRANULE_4K, 0, VMSA_AP_RW_EL1,
					   VMSA_SH_ISH, true));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, f.vm[0].g_tab[1] + 8,
			   vmsa_desc_make_table(G_SPLIT_IPA, VMSA_GRANULE_4K));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);

	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx2_read(&f, 1, G_VA), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen.to_el, 2);
	CHECK_EQ(seen.kind, VMSA_FAULT_TLB_CONFLICT);
	CHECK_EQ(seen.esr, ESR_DABT_LOW_CONFLICT);
	CHECK_EQ(seen.esr, 0x92000030);
	CHECK_EQ(seen.esr_reg, 0x92000030);
	CHECK_EQ(seen.far, G_VA);
	CHECK(!seen.hpfar_valid);
	CHECK_EQ(vmsa_current_el(f.m, 1), 1);
	fx2_done(&f);
}

/* The trace lines of one operation. */
struct op_lines {
	const char *op;
	unsigned n;
	char text[4][200];
};

static void collect_op(void *ctx, const vmsa_trace_event_t *e)
{
	struct op_lines *l = ctx;

	if (strcmp(e->op, l->op))
		return;
	if (l->n < 4)
		snprintf(l->text[l->n], sizeof(l->text[0]), "CPU%d %s", e->cpu,
			 e->text);
	l->n++;
}

/*
 * An unhandled TLB conflict abort's report lists the entries of
 * different sizes CPU1's TLB may hold for the VA: the new level-3 page
 * its walk reads from the split table, and the held level-2 block. The
 * message has no level for FSC 0x30, and the trace shows the same
 * entries.
 */
TEST(model_conflict_report_lists_entries)
{
	static const unsigned abort_it[] = {1};
	struct op_lines lines = {.op = "conflict"};
	const vmsa_violation_t *v;
	char want[512], page[160], block[160];
	vmsa_pa_t pte;
	struct fxb b;
	struct ch ch;

	fxb_setup(&b, 2, 2, true);
	split_without_break(&b);
	pte = (fxb_table_desc(&b) & 0x0000fffffffff000ull) + 8 * PAGE;
	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	vmsa_set_trace(b.fx.m, collect_op, &lines);
	CHECK_EQ(fxb_read(&b, 1, PAGE), ~0ull);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (!v) {
		fxb_done(&b);
		return;
	}
	CHECK_EQ(v->kind, VMSA_V_CONFLICT_UNHANDLED);
	snprintf(want, sizeof(want), "CPU1: no handler at EL1 for data abort "
		 "EL1->EL1 ESR 0x96000030 FAR 0x%llx (TLB conflict, stage 1); "
		 "CPU1's TLB may hold 2 entries of different sizes for it",
		 (unsigned long long)VA_PAGE);
	CHECK_STR(v->message, want);
	CHECK(strstr(v->message, "level") == NULL);
	CHECK_EQ(v->n_entries, 2);
	if (v->n_entries == 2) {
		CHECK_EQ(v->entries[0].cpu, 1);
		CHECK_EQ(v->entries[0].desc, fxb_page_desc(&b, PAGE));
		CHECK_EQ(v->entries[0].loc, pte);
		CHECK_EQ(v->entries[0].tag.level, 3);
		CHECK(v->entries[0].tag.leaf);
		CHECK_EQ(v->entries[1].cpu, 1);
		CHECK_EQ(v->entries[1].desc, fxb_block_desc(&b, false));
		CHECK_EQ(v->entries[1].loc, fxb_l2e(&b));
		CHECK_EQ(v->entries[1].tag.level, 2);
		CHECK(v->entries[1].tag.leaf);
	}
	vmsa_desc_format(page, sizeof(page), fxb_page_desc(&b, PAGE),
			 VMSA_STAGE1, 3, VMSA_GRANULE_4K);
	vmsa_desc_format(block, sizeof(block), fxb_block_desc(&b, false),
			 VMSA_STAGE1, 2, VMSA_GRANULE_4K);
	CHECK_EQ(lines.n, 2);
	snprintf(want, sizeof(want), "CPU1 CPU1 may hold [%s] from PA 0x%llx",
		 page, (unsigned long long)pte);
	CHECK_STR(lines.text[0], want);
	snprintf(want, sizeof(want), "CPU1 CPU1 may hold [%s] from PA 0x%llx",
		 block, (unsigned long long)fxb_l2e(&b));
	CHECK_STR(lines.text[1], want);
	fxb_done(&b);
}

/*
 * After a legal collapse at level 1 (nT = 1), CPU1's lookup may hit the
 * new block, the held walk-cache entry for the old table and the held
 * page under it: all three are listed, in that order.
 */
TEST(model_conflict_report_lists_walk_cache_entry)
{
	static const unsigned abort_it[] = {1};
	const vmsa_violation_t *v;
	struct fxb b;
	struct ch ch;

	fxb_setup_ex(&b, 2, 1, true, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, true));
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, abort_it, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, b.fx.m);
	CHECK_EQ(fxb_read(&b, 1, PAGE), ~0ull);
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (!v) {
		fxb_done(&b);
		return;
	}
	CHECK_EQ(v->kind, VMSA_V_CONFLICT_UNHANDLED);
	CHECK(strstr(v->message, "CPU1's TLB may hold 3 entries of different "
		     "sizes for it") != NULL);
	CHECK_EQ(v->n_entries, 3);
	if (v->n_entries == 3) {
		CHECK_EQ(v->entries[0].desc, fxb_block_desc(&b, true));
		CHECK_EQ(v->entries[0].loc, fxb_l2e(&b));
		CHECK(v->entries[0].tag.leaf);
		CHECK_EQ(v->entries[1].desc, fxb_table_desc(&b));
		CHECK_EQ(v->entries[1].loc, fxb_l2e(&b));
		CHECK(!v->entries[1].tag.leaf);
		CHECK_EQ(v->entries[2].desc, fxb_page_desc(&b, PAGE));
		CHECK_EQ(v->entries[2].tag.level, 3);
		for (unsigned i = 0; i < 3; i++)
			CHECK_EQ(v->entries[i].cpu, 1);
	}
	fxb_done(&b);
}
