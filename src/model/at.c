/*
 * src/model/at.c - address translation instructions (AT), which report in
 * PAR_EL1 instead of faulting.
 *
 * AT walks like an access (with every choice the architecture allows, and
 * it may fill the TLB), in the regime the operation names rather than the
 * current one. Stage-1 operations (S1E1*, S1E0*) report the IPA; a
 * stage-2 fault on a stage-1 table walk is not reported in PAR_EL1 when
 * executed at EL1 but taken to EL2 as an exception, after which the
 * instruction is retried.
 */
#include <inttypes.h>
#include <string.h>

#include "barrier.h"
#include "context.h"
#include "cpu.h"
#include "footprint.h"
#include "translate.h"
#include "validate.h"

#define PAR_F (1ull << 0)
#define PAR_PTW (1ull << 8)
#define PAR_S (1ull << 9)
#define PAR_RES1 (1ull << 11)

struct at_info {
	const char *name;
	unsigned regime_el;	/* EL whose regime is used: 0/1 EL1&0, 2 */
	unsigned perm_el;	/* EL the permissions are checked for */
	bool write;
	bool two_stage;		/* S12: the PA; else (EL1&0) the IPA */
	unsigned min_el;	/* UNDEFINED below */
};

static const struct at_info at_ops[] = {
	[VMSA_AT_S1E1R] = {"at s1e1r", 1, 1, false, false, 1},
	[VMSA_AT_S1E1W] = {"at s1e1w", 1, 1, true, false, 1},
	[VMSA_AT_S1E0R] = {"at s1e0r", 1, 0, false, false, 1},
	[VMSA_AT_S1E0W] = {"at s1e0w", 1, 0, true, false, 1},
	[VMSA_AT_S12E1R] = {"at s12e1r", 1, 1, false, true, 2},
	[VMSA_AT_S12E1W] = {"at s12e1w", 1, 1, true, true, 2},
	[VMSA_AT_S12E0R] = {"at s12e0r", 1, 0, false, true, 2},
	[VMSA_AT_S12E0W] = {"at s12e0w", 1, 0, true, true, 2},
	[VMSA_AT_S1E2R] = {"at s1e2r", 2, 2, false, true, 2},
	[VMSA_AT_S1E2W] = {"at s1e2w", 2, 2, true, true, 2},
};

/* MAIR-style encoding of resulting attributes, for PAR_EL1.ATTR. */
static uint64_t attr_byte(const vmsa_memattr_t *a)
{
	static const uint8_t nibble[] = {
		[VMSA_CACHE_NC] = 0x4, [VMSA_CACHE_WT] = 0xb,
		[VMSA_CACHE_WB] = 0xf,
	};

	if (a->type != VMSA_MT_NORMAL)
		return (uint64_t)a->type << 2; /* 0b0000dd00 */
	return (uint64_t)(nibble[a->outer] << 4 | nibble[a->inner]);
}

static uint64_t par_ok(uint64_t pa, const vmsa_memattr_t *a)
{
	/* PAR_EL1.PA: PA[47:12] in bits [47:12] (no FEAT_LPA). */
	return attr_byte(a) << 56 | (pa & vmsa_oa_mask(12)) |
	       PAR_RES1 | (uint64_t)(a->sh & 3) << 7;
}

static uint64_t par_fault(const vmsa_fault_t *f)
{
	return PAR_F | PAR_RES1 | (uint64_t)(f->fsc & 0x3f) << 1 |
	       (f->s1ptw ? PAR_PTW : 0) |
	       (f->stage == VMSA_STAGE2 ? PAR_S : 0);
}

/* Stage 1 of an EL1&0 regime reports the IPA with stage-1 attributes: a
 * fault on the output IPA (stage 2, not on a table walk) is not one. */
static bool s1_result(const vmsa_regime_cfg_t *cfg, const struct xlat *x,
		      uint64_t *par)
{
	const vmsa_walk_t *w = &x->walk;
	vmsa_memattr_t a = {VMSA_MT_DEVICE_nGnRnE, VMSA_CACHE_NC,
			    VMSA_CACHE_NC, VMSA_SH_OSH};

	if (w->fault.kind != VMSA_FAULT_NONE &&
	    (w->fault.stage != VMSA_STAGE2 || w->fault.s1ptw))
		return false;
	if (w->leaf[0].present) {
		vmsa_desc_t d = vmsa_desc_decode(w->leaf[0].desc, VMSA_STAGE1,
						 w->leaf[0].level,
						 cfg->s1.tt[0].granule);

		a = vmsa_memattr_s1(cfg->s1.mair, d.attr_indx, d.sh);
	}
	*par = par_ok(w->ipa, &a);
	return true;
}

void vmsa_at(vmsa_machine_t *m, int cpu, vmsa_at_op_t op, uint64_t va)
{
	const struct at_info *ai;
	vmsa_regime_cfg_t cfg;
	const char *why = NULL;
	struct xlat x;

	if (!check_cpu(m, "vmsa_at", cpu) || !check_at_op(m, "vmsa_at", cpu, op))
		return;
	ai = &at_ops[op];
	for (;;) {
		vmsa_access_t acc = {
			.addr = va, .el = ai->perm_el,
			.kind = ai->write ? VMSA_ACC_WRITE : VMSA_ACC_READ,
		};
		struct cpu *c;
		uint64_t par;
		int saved, ctx;

		if (!step_begin(m, cpu))
			return;
		c = &m->cpu[cpu];
		if (c->el < ai->min_el) {
			undefined_instruction(m, cpu, ai->name);
			return;
		}
		if (sysreg_regime(&c->regs, ai->regime_el, m->f.pa_bits,
				  m->f.s2fwb, m->f.hafdbs, &cfg, &why)) {
			violation(m, cpu, VMSA_V_BAD_CONFIG, NULL,
				  "CPU%d: %s: %s", cpu, ai->name, why);
			return;
		}
		ctx = ctx_lookup(m, &cfg);
		/* AT may allocate TLB entries of the regime it walks. */
		if (ctx >= 0)
			fp_tlb_cache_ctx(m, (unsigned)cpu, (unsigned)ctx);
		if (ctx < 0 || cpu_cache_ctx(c, (unsigned)ctx)) {
			violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: out of memory for translation "
				  "contexts (%u in use)", m->n_ctx);
			return;
		}
		saved = c->cur_ctx;
		c->cur_ctx = ctx;
		/* Without hardware updates: AT may leave AF as it is and
		 * never updates the dirty state (RXQSMX, RZYGHJ, RRKMHW);
		 * the result is as if AF were 1 and writable-clean were
		 * writable. */
		translate_hw(m, (unsigned)cpu, &acc, true, false, &x);
		c->cur_ctx = saved;
		if (m->stopped)
			return;
		if (x.walk.fault.kind == VMSA_FAULT_NONE)
			par = par_ok(x.walk.pa, &x.walk.attr);
		else if (cfg.regime == VMSA_REGIME_EL10 && !ai->two_stage &&
			 s1_result(&cfg, &x, &par))
			;
		else if (x.walk.fault.stage == VMSA_STAGE2 &&
			 x.walk.fault.s1ptw && c->el == 1) {
			struct vmsa_exception e;
			struct exc_abort_info info = {.cm = true};

			exc_build_abort_ex(&e, &x.walk.fault, &info, 1, 2);
			/* The faulting attempt is a step: trace it. */
			trace(m, cpu, "at", "%s, 0x%" PRIx64 ": stage 2 fault on "
			      "the stage 1 walk", ai->name + strlen("at "), va);
			if (!take_exception(m, cpu, &e))
				return;
			continue;
		} else {
			par = par_fault(&x.walk.fault);
		}
		if (!ai->two_stage && cfg.regime == VMSA_REGIME_EL10 &&
		    x.walk.fault.kind == VMSA_FAULT_NONE)
			s1_result(&cfg, &x, &par);
		c->regs.r[VMSA_REG_PAR_EL1] = par;
		trace(m, cpu, "at", "%s, 0x%" PRIx64 ": PAR_EL1 = 0x%016" PRIx64,
		      ai->name + strlen("at "), va, par);
		return;
	}
}
