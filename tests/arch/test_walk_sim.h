/*
 * tests/arch/test_walk_sim.h - a small simulated physical memory and
 * hand-built descriptors for the walk tests (test_walk*.c).
 *
 * Memory is a static array of 64-bit words covering PA [0, SIM_BYTES).
 * The read callback counts reads, remembers what the walk passed it, and
 * returns an External abort for one chosen PA or any PA outside memory.
 * Descriptors are built from raw bits here, not with desc.c's
 * constructors, so that the tests check the walk against the manual's
 * encodings rather than against another part of vmsa.
 */
#ifndef VMSA_TEST_WALK_SIM_H
#define VMSA_TEST_WALK_SIM_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../harness.h"
#include "vmsa/arch.h"

#define SIM_BYTES (8ull << 20)
#define SIM_MAX_SEEN 64

struct sim {
	uint64_t mem[SIM_BYTES / 8];
	unsigned n_reads;
	bool abort_set;
	vmsa_pa_t abort_pa;
	vmsa_walk_read_t seen[SIM_MAX_SEEN];
};

static struct sim sim;

static inline void sim_reset(void)
{
	memset(&sim, 0, sizeof(sim));
}

static inline void sim_set(vmsa_pa_t pa, uint64_t value)
{
	if (pa >= SIM_BYTES || (pa & 7)) {
		vt_fail(__FILE__, __LINE__, "sim_set(0x%llx): bad PA",
			(unsigned long long)pa);
		return;
	}
	sim.mem[pa / 8] = value;
}

static inline void sim_abort_at(vmsa_pa_t pa)
{
	sim.abort_set = true;
	sim.abort_pa = pa;
}

static inline int sim_read(void *ctx, const vmsa_walk_read_t *r,
			   uint64_t *value)
{
	(void)ctx;
	if (sim.n_reads < SIM_MAX_SEEN)
		sim.seen[sim.n_reads] = *r;
	sim.n_reads++;
	if ((sim.abort_set && r->pa == sim.abort_pa) || r->pa >= SIM_BYTES ||
	    (r->pa & 7))
		return -EFAULT;
	*value = sim.mem[r->pa / 8];
	return 0;
}

/* Index of `ia` at a level that resolves bits [shift + bits - 1 : shift]. */
static inline uint64_t idx_of(uint64_t ia, unsigned shift, unsigned bits)
{
	return (ia >> shift) & ((1ull << bits) - 1);
}

/* Address of the descriptor for `ia` in the table at `table`. */
static inline vmsa_pa_t slot(vmsa_pa_t table, uint64_t ia, unsigned shift,
			     unsigned bits)
{
	return table + 8 * idx_of(ia, shift, bits);
}

/* ---- descriptors (D8.3) ---- */

#define D_AF (1ull << 10)
#define D_NG (1ull << 11)
#define D_CONT (1ull << 52)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)	/* XN for EL2; stage 2 XN[1] */
#define D_S2XN0 (1ull << 53)	/* stage 2 XN[0] */
#define D_PXNTABLE (1ull << 59)
#define D_UXNTABLE (1ull << 60)
#define D_APTABLE(v) ((uint64_t)(v) << 61)
#define D_SH_ISH (3ull << 8)
#define D_ATTR(i) ((uint64_t)(i) << 2)

/* AP[2:1] */
#define AP_RW_EL1 0u
#define AP_RW_ALL 1u
#define AP_RO_EL1 2u
#define AP_RO_ALL 3u

static inline uint64_t d_table(vmsa_pa_t next)
{
	return next | 3;
}

/* Stage-1 block (level < 3) or page (level 3): AF, ISH, AttrIndx 0. */
static inline uint64_t s1_leaf(vmsa_pa_t oa, int level, unsigned ap,
			       uint64_t extra)
{
	return oa | (level == 3 ? 3u : 1u) | D_AF | D_SH_ISH |
	       ((uint64_t)ap << 6) | extra;
}

/* Stage-2 block or page: AF, ISH, MemAttr, S2AP. */
static inline uint64_t s2_leaf(vmsa_pa_t oa, int level, unsigned memattr,
			       unsigned s2ap, uint64_t extra)
{
	return oa | (level == 3 ? 3u : 1u) | D_AF | D_SH_ISH |
	       ((uint64_t)s2ap << 6) | ((uint64_t)memattr << 2) | extra;
}

/* MAIR: Attr0 Normal WB, Attr1 Device-nGnRnE, Attr2 Normal NC,
 * Attr3 Device-nGnRE. */
#define TEST_MAIR 0x044400ffull

/* ---- configurations ---- */

static inline vmsa_stage_cfg_t s1_cfg(vmsa_regime_t regime, vmsa_granule_t g,
				      unsigned ia_bits, int start_level,
				      vmsa_pa_t root0, vmsa_pa_t root1)
{
	vmsa_stage_cfg_t c;

	memset(&c, 0, sizeof(c));
	c.stage = VMSA_STAGE1;
	c.regime = regime;
	c.enabled = true;
	c.two_ranges = regime != VMSA_REGIME_EL2;
	c.oa_bits = 48;
	c.mair = TEST_MAIR;
	for (int i = 0; i < 2; i++) {
		c.tt[i].root = i ? root1 : root0;
		c.tt[i].granule = g;
		c.tt[i].ia_bits = ia_bits;
		c.tt[i].start_level = start_level;
		c.tt[i].concat = 1;
		c.tt[i].asid = (uint16_t)(i ? 0 : 42);
	}
	return c;
}

static inline vmsa_stage_cfg_t s2_cfg(vmsa_granule_t g, unsigned ia_bits,
				      int start_level, unsigned concat,
				      vmsa_pa_t root)
{
	vmsa_stage_cfg_t c;

	memset(&c, 0, sizeof(c));
	c.stage = VMSA_STAGE2;
	c.regime = VMSA_REGIME_EL10;
	c.enabled = true;
	c.oa_bits = 48;
	c.vmid = 7;
	c.tt[0].root = root;
	c.tt[0].granule = g;
	c.tt[0].ia_bits = ia_bits;
	c.tt[0].start_level = start_level;
	c.tt[0].concat = concat;
	return c;
}

static inline vmsa_access_t acc_of(uint64_t addr, vmsa_acc_kind_t kind,
				   unsigned el)
{
	vmsa_access_t a = { .addr = addr, .kind = kind, .el = el, .pan = false };

	return a;
}

/* Walk one stage for a read at EL1; the result is in *w. */
static inline bool walk1(const vmsa_stage_cfg_t *c, uint64_t addr,
			 vmsa_acc_kind_t kind, unsigned el, vmsa_walk_t *w)
{
	vmsa_access_t a = acc_of(addr, kind, el);

	return vmsa_walk_stage(c, sim_read, NULL, &a, w);
}

#define CHECK_FAULT(w, kind_, stage_, level_, fsc_)                       \
	do {                                                              \
		CHECK_EQ((w)->fault.kind, (kind_));                       \
		CHECK_EQ((w)->fault.stage, (stage_));                     \
		CHECK_EQ((w)->fault.level, (level_));                     \
		CHECK_EQ((w)->fault.fsc, (fsc_));                         \
	} while (0)

#define CHECK_STEP(w, i, stage_, level_, pa_, s1ptw_)                     \
	do {                                                              \
		CHECK_EQ((w)->reads[i].stage, (stage_));                  \
		CHECK_EQ((w)->reads[i].level, (level_));                  \
		CHECK_EQ((w)->reads[i].pa, (pa_));                        \
		CHECK_EQ((w)->reads[i].s1ptw, (s1ptw_));                  \
	} while (0)

#define CHECK_PERMS(p, r_, w_, x_, r0_, w0_, x0_)                         \
	do {                                                              \
		CHECK_EQ((p).r, (r_));                                    \
		CHECK_EQ((p).w, (w_));                                    \
		CHECK_EQ((p).x, (x_));                                    \
		CHECK_EQ((p).r0, (r0_));                                  \
		CHECK_EQ((p).w0, (w0_));                                  \
		CHECK_EQ((p).x0, (x0_));                                  \
	} while (0)

#endif
