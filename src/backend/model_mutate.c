/*
 * src/backend/model_mutate.c - the model backend's mutation wrapper: the
 * library's key lines deliberately broken, so that scenarios can show
 * that the checker notices each one (issue 9, "checked on the model").
 *
 * The wrapper sits between the library and the plain operations of
 * model.c. It counts, per CPU, the operations its mutation matches and
 * breaks the nth (or every) one. The counts and what it holds back live
 * in the CPU's state in model memory (model_int.h), so that every
 * execution starts with none.
 *
 * Two mutations need to see what follows an operation:
 *  - SWAP_IPAS2_VMALLE1 holds an IPAS2 TLBI (and the DSB after it) back
 *    until the VMALLE1 that follows and that VMALLE1's DSB have been
 *    issued, then lets them through: "VMALLE1IS; DSB; IPAS2E1IS; DSB".
 *    Any other operation in between lets what it holds through first, in
 *    the library's order (then there was nothing to reverse).
 *  - SKIP_BREAK drops the write of an invalid value over a valid entry
 *    (the break), then every TLBI until the CPU writes that entry again
 *    (the make, which then replaces the valid entry directly). The
 *    library breaks with a store of 0 in exclusive walks and a CAS to
 *    VMSA_PGT_LOCKED in shared ones, and an exclusive unmap also stores
 *    0: in exclusive walks `nth` must select a break, not an unmap (a
 *    write to another entry before the make is reported as the
 *    mutation's misuse).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "model_int.h"

/* Does the mutation apply to cpu's operations? Never to set-up. */
static bool applies(const vmsa_pgt_model_t *bk, vmsa_cpu_t cpu)
{
	return cpu >= 0 && (bk->mut.cpu == VMSA_PGT_MUT_ALL_CPUS ||
			    bk->mut.cpu == cpu);
}

/* Count one matching operation of cpu: is it one to break? */
static bool hit(const vmsa_pgt_model_t *bk, struct model_cpu_state *st)
{
	st->seen++;
	return bk->mut.nth == 0 || st->seen == bk->mut.nth;
}

/* ------------------------------------------------------------------ */
/* SWAP_IPAS2_VMALLE1: holding IPAS2 back                              */
/* ------------------------------------------------------------------ */

enum swap_phase {
	SWAP_IDLE,
	SWAP_HOLD,      /* holding IPAS2 TLBIs (and a DSB after them) */
	SWAP_WAIT_DSB,  /* VMALLE1 issued: its DSB releases what is held */
};

/* Let everything held through, in the order the library issued it. */
static void release(vmsa_pgt_model_t *bk, struct model_cpu_state *st)
{
	unsigned n = st->n_held;

	st->n_held = 0;
	st->phase = SWAP_IDLE;
	for (unsigned i = 0; i < n; i++) {
		if (st->held[i].kind == HELD_DSB)
			model_dsb(bk, (vmsa_pgt_dsb_t)st->held[i].dsb);
		else
			model_tlbi(bk, &st->held[i].tlbi);
	}
}

static bool hold(struct model_cpu_state *st, const struct held_op *op)
{
	if (st->n_held == MUT_HELD_MAX)
		return false;
	st->held[st->n_held++] = *op;
	return true;
}

static bool is_ipas2(vmsa_tlbi_type_t t)
{
	return t == VMSA_TLBI_IPAS2E1 || t == VMSA_TLBI_IPAS2LE1 ||
	       t == VMSA_TLBI_RIPAS2E1 || t == VMSA_TLBI_RIPAS2LE1;
}

/* Before any operation other than a DSB or TLBI: nothing stays held. */
static void swap_flush(vmsa_pgt_model_t *bk)
{
	vmsa_cpu_t cpu = model_cpu(bk);

	if (bk->mut.kind == VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1 && cpu >= 0 &&
	    model_cpu_state(bk, cpu)->n_held)
		release(bk, model_cpu_state(bk, cpu));
}

static void swap_tlbi(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
		      const vmsa_pgt_tlbi_t *t)
{
	struct model_cpu_state *st = model_cpu_state(bk, cpu);
	struct held_op op = {.kind = HELD_TLBI, .tlbi = *t};

	if (is_ipas2(t->op.type) && st->phase != SWAP_WAIT_DSB) {
		/* The first of a batch is the one counted. */
		if ((st->phase == SWAP_HOLD || hit(bk, st)) && hold(st, &op)) {
			st->phase = SWAP_HOLD;
			return;
		}
	} else if (t->op.type == VMSA_TLBI_VMALLE1 && st->phase == SWAP_HOLD) {
		/* Reversed: VMALLE1 first; its DSB releases the rest. */
		model_tlbi(bk, t);
		st->phase = SWAP_WAIT_DSB;
		return;
	}
	release(bk, st);
	model_tlbi(bk, t);
}

static void swap_dsb(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
		     vmsa_pgt_dsb_t kind)
{
	struct model_cpu_state *st = model_cpu_state(bk, cpu);
	struct held_op op = {.kind = HELD_DSB, .dsb = (uint32_t)kind};

	if (st->phase == SWAP_HOLD && hold(st, &op))
		return;
	if (st->phase == SWAP_WAIT_DSB) {
		model_dsb(bk, kind);
		release(bk, st);
		return;
	}
	release(bk, st);
	model_dsb(bk, kind);
}

/* ------------------------------------------------------------------ */
/* SKIP_BREAK                                                          */
/* ------------------------------------------------------------------ */

/* The PA of a descriptor pointer (VMSA_BAD_PA outside memory: the plain
 * operation then reports it). */
static vmsa_pa_t entry_pa(const vmsa_pgt_model_t *bk, const uint64_t *p)
{
	return vmsa_ptr_pa(bk->m, p);
}

/* Is storing v over the entry at p (a CAS: when it holds *expect) a
 * break (an invalid value over a valid entry) to drop? The entry's
 * current value is memory's newest, read without a step (the CPU's own
 * store or CAS would read it). */
static bool break_to_drop(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
			  struct model_cpu_state *st, const uint64_t *p,
			  uint64_t v, const uint64_t *expect)
{
	if (!applies(bk, cpu) || entry_pa(bk, p) == VMSA_BAD_PA ||
	    (v & VMSA_D_VALID) || !(*p & VMSA_D_VALID) ||
	    (expect && *p != *expect) || !hit(bk, st))
		return false;
	st->skipping = 1;
	st->break_pa = entry_pa(bk, p);
	st->break_val = v;
	return true;
}

/* A store or CAS to p while a break is dropped: the make of that entry
 * ends the dropping (true); a store to any other entry means the dropped
 * store was not a break (nth chose an unmap): a misuse of the mutation,
 * reported (false). */
static bool make_of_break(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
			  struct model_cpu_state *st, const uint64_t *p)
{
	char msg[200];

	st->skipping = 0;
	if (entry_pa(bk, p) == st->break_pa)
		return true;
	snprintf(msg, sizeof(msg), "pgtable model backend: mutation "
		 "skip-break: the store dropped at PA 0x%" PRIx64 " was not a "
		 "break (the next store is to PA 0x%" PRIx64 ")", st->break_pa,
		 entry_pa(bk, p));
	vmsa_report(bk->m, cpu, VMSA_V_ASSERT, msg);
	return false;
}

/* ------------------------------------------------------------------ */
/* The wrapped operations                                              */
/* ------------------------------------------------------------------ */

static uint64_t mut_read(void *ctx, uint64_t *ptep)
{
	swap_flush(ctx);
	return model_read(ctx, ptep);
}

static void mut_write(void *ctx, uint64_t *ptep, uint64_t v, bool rel)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	struct model_cpu_state *st;

	swap_flush(bk);
	if (bk->mut.kind == VMSA_PGT_MUT_SKIP_BREAK && cpu >= 0) {
		st = model_cpu_state(bk, cpu);
		if (st->skipping && !make_of_break(bk, cpu, st, ptep))
			return;
		if (break_to_drop(bk, cpu, st, ptep, v, NULL))
			return;
	}
	model_write(bk, ptep, v, rel);
}

/* A dropped break CAS "succeeds" when memory holds the expected value.
 * The make's CAS then expects the dropped value, which memory never got:
 * it is made against memory's (valid) value instead, and returns the
 * dropped value when that succeeds, as the library expects. */
static uint64_t mut_cas(void *ctx, uint64_t *ptep, uint64_t old, uint64_t v)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	struct model_cpu_state *st;
	uint64_t cur, got;

	swap_flush(bk);
	if (bk->mut.kind != VMSA_PGT_MUT_SKIP_BREAK || cpu < 0)
		return model_cas(bk, ptep, old, v);
	st = model_cpu_state(bk, cpu);
	if (st->skipping) {
		bool dropped = old == st->break_val;

		if (!make_of_break(bk, cpu, st, ptep))
			return 0;
		if (!dropped)
			return model_cas(bk, ptep, old, v);
		cur = *ptep;
		got = model_cas(bk, ptep, cur, v);
		return got == cur ? old : got;
	}
	if (break_to_drop(bk, cpu, st, ptep, v, &old))
		return old;
	return model_cas(bk, ptep, old, v);
}

static void mut_dsb(void *ctx, vmsa_pgt_dsb_t kind)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);

	if (!applies(bk, cpu) || (unsigned)kind > VMSA_PGT_DSB_NSH) {
		swap_flush(bk);
		model_dsb(bk, kind);
		return;
	}
	switch (bk->mut.kind) {
	case VMSA_PGT_MUT_DROP_DSB:
		if ((bk->mut.dsb_kinds >> kind & 1) &&
		    hit(bk, model_cpu_state(bk, cpu)))
			return;
		break;
	case VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1:
		swap_dsb(bk, cpu, kind);
		return;
	default:
		break;
	}
	model_dsb(bk, kind);
}

static void mut_isb(void *ctx)
{
	swap_flush(ctx);
	model_isb(ctx);
}

static void mut_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	vmsa_pgt_tlbi_t local;

	if (!applies(bk, cpu) || !t) {
		swap_flush(bk);
		model_tlbi(bk, t);
		return;
	}
	switch (bk->mut.kind) {
	case VMSA_PGT_MUT_TLBI_LOCAL:
		if (t->op.sh == VMSA_TLBI_IS &&
		    hit(bk, model_cpu_state(bk, cpu))) {
			local = *t;
			local.op.sh = VMSA_TLBI_NSH;
			model_tlbi(bk, &local);
			return;
		}
		break;
	case VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1:
		swap_tlbi(bk, cpu, t);
		return;
	case VMSA_PGT_MUT_SKIP_BREAK:
		if (model_cpu_state(bk, cpu)->skipping)
			return;
		break;
	default:
		break;
	}
	model_tlbi(bk, t);
}

static void mut_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);

	swap_flush(bk);
	if (bk->mut.kind == VMSA_PGT_MUT_SKIP_CMO && applies(bk, cpu) &&
	    (unsigned)op <= VMSA_PGT_IC_IALLUIS &&
	    (bk->mut.cmo_kinds >> op & 1) && hit(bk, model_cpu_state(bk, cpu)))
		return;
	model_cmo(bk, op, va);
}

static void *mut_zalloc_page(void *ctx)
{
	swap_flush(ctx);
	return model_zalloc_page(ctx);
}

static void *mut_zalloc_pages(void *ctx, unsigned n)
{
	swap_flush(ctx);
	return model_zalloc_pages(ctx, n);
}

static void mut_free_page(void *ctx, void *page)
{
	swap_flush(ctx);
	model_free_page(ctx, page);
}

void model_mutate_install(vmsa_pgt_model_t *bk)
{
	vmsa_pgt_ops_t *o = &bk->ops;

	model_ops_install(bk);
	if (bk->mut.kind == VMSA_PGT_MUT_NONE)
		return;
	o->read = mut_read;
	o->write = mut_write;
	o->cas = mut_cas;
	o->dsb = mut_dsb;
	o->isb = mut_isb;
	o->tlbi = mut_tlbi;
	o->cmo = mut_cmo;
	o->zalloc_page = mut_zalloc_page;
	o->zalloc_pages = mut_zalloc_pages;
	o->free_page = mut_free_page;
}

int vmsa_pgt_model_mutate(vmsa_pgt_model_t *bk, const vmsa_pgt_mutation_t *mu)
{
	static const vmsa_pgt_mutation_t none = {.kind = VMSA_PGT_MUT_NONE};
	unsigned ncpus;

	if (!bk || !bk->m || (bk->run && model_cpu(bk) != VMSA_SETUP))
		return -EINVAL;
	if (!mu)
		mu = &none;
	ncpus = vmsa_machine_features(bk->m)->ncpus;
	if ((unsigned)mu->kind >= VMSA_PGT_MUT_N_KINDS ||
	    (mu->kind == VMSA_PGT_MUT_DROP_DSB &&
	     (!mu->dsb_kinds || mu->dsb_kinds >> (VMSA_PGT_DSB_NSH + 1))) ||
	    (mu->kind == VMSA_PGT_MUT_SKIP_CMO &&
	     (!mu->cmo_kinds || mu->cmo_kinds >> (VMSA_PGT_IC_IALLUIS + 1))) ||
	    (mu->kind != VMSA_PGT_MUT_NONE &&
	     mu->cpu != VMSA_PGT_MUT_ALL_CPUS &&
	     (mu->cpu < 0 || (unsigned)mu->cpu >= ncpus)))
		return -EINVAL;
	bk->mut = *mu;
	model_mutate_install(bk);
	return 0;
}
