/*
 * src/arch/walk_regime.c - walks of whole translation regimes.
 *
 * The public entry points. vmsa_walk_stage() walks one stage on its own;
 * vmsa_walk() composes stage 1 and stage 2 for EL1&0: each stage-1 table
 * address goes through stage 2 (the walker's hook, see walk.c), then the
 * output IPA does, with the access's own kind. Disabled stages are
 * flat-mapped here with the attributes D8.2.12 gives them, and the two
 * stages' permissions and memory attributes are combined.
 */
#include <stddef.h>
#include <string.h>

#include "perms.h"
#include "walk.h"

/* Normal Write-Back, Non-shareable: what combining with it leaves as it
 * was, and what HCR_EL2.DC = 1 gives (RWFZPW). */
static vmsa_memattr_t normal_wb_nsh(void)
{
	vmsa_memattr_t a = {
		VMSA_MT_NORMAL, VMSA_CACHE_WB, VMSA_CACHE_WB, VMSA_SH_NSH,
	};

	return a;
}

/*
 * Attributes with stage 1 disabled (RWFZPW): Normal Write-Back
 * Non-shareable for EL1&0 with HCR_EL2.DC = 1; otherwise Device-nGnRnE
 * for data, and Normal for instruction fetches - Non-cacheable Outer
 * Shareable, as with SCTLR_ELx.I = 0 (the configuration has no I bit).
 */
static vmsa_memattr_t s1_off_attr(const vmsa_stage_cfg_t *cfg,
				  vmsa_acc_kind_t kind)
{
	vmsa_memattr_t a = {
		VMSA_MT_DEVICE_nGnRnE, VMSA_CACHE_NC, VMSA_CACHE_NC, VMSA_SH_OSH,
	};

	if (cfg->regime == VMSA_REGIME_EL10 && cfg->dc)
		return normal_wb_nsh();
	if (kind == VMSA_ACC_EXEC)
		a.type = VMSA_MT_NORMAL;
	return a;
}

/*
 * Run stage 1 (enabled or not) for the original access and fill the
 * stage-1 parts of out: leaf[0], ipa, perms, ng, asid, and *attr.
 */
static bool run_s1(const struct walker *w, vmsa_memattr_t *attr)
{
	const vmsa_stage_cfg_t *cfg = w->cfg;
	vmsa_walk_t *out = w->out;
	struct stage_out so;

	if (!cfg->enabled) {
		if (!vmsa_s1_flat(w, w->orig->addr, &out->ipa))
			return false;
		out->perms = vmsa_perms_all();
		*attr = s1_off_attr(cfg, w->orig->kind);
		return true;
	}
	if (!vmsa_stage_walk(w, w->orig->addr, &so)) {
		out->leaf[0] = so.leaf;
		return false;
	}
	out->leaf[0] = so.leaf;
	out->ipa = so.oa;
	out->perms = so.perms;
	*attr = vmsa_memattr_s1(cfg->mair, so.d.attr_indx, so.d.sh);
	/* Only two-range regimes have ASIDs; EL2 entries are all global. */
	if (cfg->two_ranges) {
		out->ng = so.d.ng;
		out->asid = cfg->tt[so.tt].asid;
	}
	return true;
}

/* The OA size a stage can use: TCR.{I}PS capped by the PA size (RCLPQT). */
static unsigned eff_oa_bits(unsigned oa_bits, unsigned pa_bits)
{
	return pa_bits && pa_bits < oa_bits ? pa_bits : oa_bits;
}

/* Start a walk's result: everything zero but the logs of reads and
 * updates past their counts (1.4 KB of the 1.6 KB), which nothing reads:
 * every walk of the model zeroes its result, so this is on the hot path. */
static void walk_clear(vmsa_walk_t *out)
{
	memset(out, 0, offsetof(vmsa_walk_t, reads));
	out->n_updates = 0;
}

bool vmsa_walk_stage(const vmsa_stage_cfg_t *cfg, vmsa_read_fn read,
		     void *ctx, const vmsa_access_t *acc, vmsa_walk_t *out)
{
	struct walker w = {
		.cfg = cfg, .oa_bits = cfg->oa_bits, .pa_bits = cfg->oa_bits,
		.read = read, .ctx = ctx, .acc = acc, .orig = acc, .out = out,
	};
	struct stage_out so;
	vmsa_memattr_t neutral = normal_wb_nsh();

	walk_clear(out);
	out->ia = acc->addr;

	if (cfg->stage == VMSA_STAGE1) {
		if (!run_s1(&w, &out->attr))
			return false;
		out->pa = out->ipa;
		return true;
	}

	/* Stage 2 alone: the input is an IPA. */
	out->ipa = acc->addr;
	if (!cfg->enabled) {
		/* IPA == PA, no stage-2 restriction (RQVLSD, RBBLJH). */
		out->pa = acc->addr;
		out->perms = vmsa_perms_all();
		out->attr = neutral;
		return true;
	}
	if (!vmsa_stage_walk(&w, acc->addr, &so)) {
		out->leaf[1] = so.leaf;
		return false;
	}
	out->leaf[1] = so.leaf;
	out->pa = so.oa;
	out->perms = so.perms;
	/* Stage 2's own attributes: combined with a stage 1 that adds no
	 * restriction, which also applies the FWB encoding when set. */
	out->attr = vmsa_memattr_combine(&neutral, so.d.memattr, so.d.sh,
					 cfg->fwb);
	return true;
}

bool vmsa_walk(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read, void *ctx,
	       const vmsa_access_t *acc, vmsa_walk_t *out)
{
	return vmsa_walk_held(cfg, read, ctx, acc, NULL, out);
}

static bool walk_held(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
		      void *ctx, const vmsa_access_t *acc,
		      const vmsa_walk_leaf_t *held, bool update_held,
		      vmsa_walk_t *out);

bool vmsa_walk_held(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
		    void *ctx, const vmsa_access_t *acc,
		    const vmsa_walk_leaf_t *held, vmsa_walk_t *out)
{
	return walk_held(cfg, read, ctx, acc, held, false, out);
}

bool vmsa_walk_held_update(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
			   void *ctx, const vmsa_access_t *acc,
			   const vmsa_walk_leaf_t *held, vmsa_walk_t *out)
{
	return walk_held(cfg, read, ctx, acc, held, true, out);
}

static bool walk_held(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
		      void *ctx, const vmsa_access_t *acc,
		      const vmsa_walk_leaf_t *held, bool update_held,
		      vmsa_walk_t *out)
{
	vmsa_stage_cfg_t s1 = cfg->s1, s2 = cfg->s2;
	bool el10 = cfg->regime == VMSA_REGIME_EL10;
	struct walker w2 = {
		.cfg = &s2, .oa_bits = eff_oa_bits(s2.oa_bits, cfg->pa_bits),
		.pa_bits = cfg->pa_bits, .read = read, .ctx = ctx, .acc = acc,
		.orig = acc, .out = out,
	};
	struct walker w1 = {
		.cfg = &s1, .oa_bits = eff_oa_bits(s1.oa_bits, cfg->pa_bits),
		.pa_bits = cfg->pa_bits, .read = read, .ctx = ctx, .acc = acc,
		.orig = acc, .out = out,
	};
	vmsa_memattr_t s1_attr;
	struct stage_out so;

	walk_clear(out);
	out->ia = acc->addr;
	s1.stage = VMSA_STAGE1;
	s1.regime = cfg->regime;
	s2.stage = VMSA_STAGE2;

	/* HCR_EL2.DC = 1 makes SCTLR_EL1.M behave as 0 and HCR_EL2.VM as 1
	 * (RLBPTY). Only EL1&0 has a stage 2 (RTSFYG). */
	if (el10 && s1.dc) {
		s1.enabled = false;
		s2.enabled = true;
	}
	if (!el10)
		s2.enabled = false;
	if (s2.enabled)
		w1.s2 = &w2;
	if (s1.enabled) {
		w1.held = held;
		w1.update_held = update_held;
	}

	if (!run_s1(&w1, &s1_attr))
		return false;
	if (!s2.enabled) {
		/* IPA == PA, stage-1 attributes and permissions (RQVLSD). */
		out->pa = out->ipa;
		out->attr = s1_attr;
		return true;
	}

	/* The output IPA, with the access's own kind: after every stage-1
	 * fault, Permission included (RXCHFJ item 37). */
	if (!vmsa_stage_walk(&w2, out->ipa, &so)) {
		out->leaf[1] = so.leaf;
		return false;
	}
	out->leaf[1] = so.leaf;
	out->pa = so.oa;
	out->perms = vmsa_perms_and(&out->perms, &so.perms);
	out->attr = vmsa_memattr_combine(&s1_attr, so.d.memattr, so.d.sh,
					 s2.fwb);
	return true;
}
