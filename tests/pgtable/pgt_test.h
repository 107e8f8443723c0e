/*
 * tests/pgtable/pgt_test.h - fixtures for the page-table library's tests
 * (test_pgt_*.c): a host backend with a pool at a fixed PA, a table on
 * it, the recorded maintenance as text, and a translation of an address
 * through the tables by the architecture core's walk (vmsa_walk_stage),
 * to check the library against an independent reading of the manual.
 *
 * The pool starts at POOL_PA and hands out pages lowest first, so the
 * tables of a test are at predictable addresses: the root first, then
 * each table in the order the operation needs them.
 */
#ifndef VMSA_PGT_TEST_H
#define VMSA_PGT_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../harness.h"
#include "vmsa/arch.h"
#include "vmsa/backend.h"
#include "vmsa/pgtable.h"

#define POOL_PA 0x80000000ull
#define TRACE_CAP 4096
/* MAIR: Attr0 Normal WB, Attr1 Normal NC, Attr2 Device-nGnRE. */
#define PT_MAIR 0x0444ffull

typedef struct pt {
	vmsa_host_t *h;
	vmsa_pgt_t pgt;
	char trace[8192];
} pt_t;

static inline vmsa_pgt_features_t pt_features(unsigned bbm)
{
	vmsa_pgt_features_t f;

	memset(&f, 0, sizeof(f));
	f.bbm_level = bbm;
	f.bbm2_noabort = true;
	return f;
}

/* A table of `regime` with the given features; start_level may be
 * VMSA_PGT_LEVEL_AUTO. Returns vmsa_pgt_init's result. */
static inline int pt_init_f(pt_t *t, vmsa_pgt_regime_t regime,
			    vmsa_granule_t g, unsigned ia_bits, int start_level,
			    vmsa_pgt_features_t f, size_t pages)
{
	vmsa_host_cfg_t hc;
	vmsa_pgt_cfg_t c;

	memset(t, 0, sizeof(*t));
	memset(&hc, 0, sizeof(hc));
	hc.granule = g;
	hc.pool_pages = pages;
	hc.pool_pa = POOL_PA;
	hc.features = f;
	hc.trace_cap = TRACE_CAP;
	t->h = vmsa_host_new(&hc);
	if (!t->h)
		return -ENOMEM;
	memset(&c, 0, sizeof(c));
	c.regime = regime;
	c.granule = g;
	c.ia_bits = ia_bits;
	c.start_level = start_level;
	c.vmid = 5;
	c.asid = regime == VMSA_PGT_S1_EL1 || regime == VMSA_PGT_S1_EL20 ? 9
									 : 0;
	c.attr_normal = 0;
	c.attr_normal_nc = 1;
	c.attr_device = 2;
	return vmsa_pgt_init(&t->pgt, &c, vmsa_host_ops(t->h));
}

static inline int pt_init(pt_t *t, vmsa_pgt_regime_t regime,
			  vmsa_granule_t g, unsigned ia_bits, unsigned bbm)
{
	return pt_init_f(t, regime, g, ia_bits, VMSA_PGT_LEVEL_AUTO,
			 pt_features(bbm), 256);
}

/* Destroy the table; every page must come back with no misuse. */
static inline void pt_fini(pt_t *t)
{
	if (t->pgt.root)
		vmsa_pgt_destroy(&t->pgt);
	if (!t->h)
		return;
	CHECK_EQ(vmsa_host_pages_in_use(t->h), 0);
	CHECK_EQ(vmsa_host_stats(t->h)->errors, 0);
	vmsa_host_free(t->h);
	t->h = NULL;
}

/* Forget what was recorded so far. */
static inline void pt_reset(pt_t *t)
{
	vmsa_host_reset(t->h);
}

/* The maintenance recorded since the last pt_reset (with stores when
 * asked), as vmsa_host_format writes it. */
static inline const char *pt_trace(pt_t *t, bool stores)
{
	vmsa_host_format(t->h, t->trace, sizeof(t->trace), stores);
	return t->trace;
}

/* The descriptor at PA pa (a table entry). */
static inline uint64_t pt_at(pt_t *t, uint64_t pa)
{
	uint64_t *p = vmsa_host_ops(t->h)->phys_to_virt(t->h, VMSA_PGT_PA(pa));

	return *p;
}

/* Reference count of the table page at pa (-1: not allocated). */
static inline int pt_count(pt_t *t, uint64_t pa)
{
	return vmsa_host_page_count(t->h, VMSA_PGT_PA(pa));
}

static inline uint64_t pt_leaf(pt_t *t, uint64_t ia, int *level)
{
	uint64_t d = 0;

	if (vmsa_pgt_get_leaf(&t->pgt, VMSA_IA(ia), &d, level))
		return ~0ull;
	return d;
}

/* ---- translation by the architecture core ---- */

static inline int pt_read_cb(void *ctx, const vmsa_walk_read_t *r,
			     uint64_t *value)
{
	pt_t *t = ctx;

	*value = pt_at(t, r->pa);
	return 0;
}

/* Translate ia (an access of kind at el) through the table with
 * vmsa_walk_stage: true with *w filled when it translates. */
static inline bool pt_xlate(pt_t *t, uint64_t ia, vmsa_acc_kind_t kind,
			    unsigned el, vmsa_walk_t *w)
{
	vmsa_stage_cfg_t c;
	vmsa_access_t a = {.addr = ia, .kind = kind, .el = el, .pan = false};
	const vmsa_pgt_t *p = &t->pgt;

	memset(&c, 0, sizeof(c));
	c.enabled = true;
	c.oa_bits = 48;
	c.tt[0].root = p->root_pa.pa;
	c.tt[0].granule = p->cfg.granule;
	c.tt[0].ia_bits = p->cfg.ia_bits;
	c.tt[0].start_level = p->start_level;
	c.tt[0].concat = p->n_roots;
	c.tt[0].asid = p->cfg.asid;
	if (p->cfg.regime == VMSA_PGT_S2) {
		c.stage = VMSA_STAGE2;
		c.regime = VMSA_REGIME_EL10;
		c.vmid = p->cfg.vmid;
		c.fwb = p->ops->features.s2fwb;
	} else {
		c.stage = VMSA_STAGE1;
		c.regime = p->cfg.regime == VMSA_PGT_S1_EL2    ? VMSA_REGIME_EL2
			   : p->cfg.regime == VMSA_PGT_S1_EL20 ? VMSA_REGIME_EL20
							       : VMSA_REGIME_EL10;
		c.two_ranges = c.regime != VMSA_REGIME_EL2;
		c.tt[1] = c.tt[0];
		c.tt[1].epd = true;
		c.mair = PT_MAIR;
	}
	return vmsa_walk_stage(&c, pt_read_cb, t, &a, w);
}

/* The output address ia translates to for a read at EL1 (or EL2 for the
 * EL2 regimes), or ~0 when it faults. */
static inline uint64_t pt_pa(pt_t *t, uint64_t ia)
{
	vmsa_walk_t w;
	unsigned el = t->pgt.cfg.regime == VMSA_PGT_S1_EL2 ||
				      t->pgt.cfg.regime == VMSA_PGT_S1_EL20
			      ? 2
			      : 1;

	if (!pt_xlate(t, ia, VMSA_ACC_READ, el, &w))
		return ~0ull;
	return w.pa;
}

#endif
