/*
 * tests/model/test_regime_cache.c - the decoded regimes remembered by
 * src/model/regime_cache.c: after every register write and exception
 * return the CPU's context is exactly the one the registers select when
 * decoded afresh, across resets of the machine's contexts, and a context
 * index found in one execution is not reused in the next.
 */
#include "fixture.h"
#include "model/fixture_guest.h"
#include "model/context.h"
#include "model/machine.h"
#include "model/sysreg.h"

/* The context CPU cpu's registers select, decoded without the cache:
 * its index, found without adding one (-1 when there is none). */
static int fresh_ctx(vmsa_machine_t *m, int cpu)
{
	struct cpu *c = &m->cpu[cpu];
	vmsa_regime_cfg_t cfg;
	const char *why = NULL;
	unsigned n = m->n_ctx;
	int i;

	if (sysreg_regime(&c->regs, c->el, m->f.pa_bits, m->f.s2fwb,
			  m->f.hafdbs, &cfg,
			  &why))
		return -2;
	i = ctx_lookup(m, &cfg);
	return m->n_ctx == n ? i : -1;
}

/* A small deterministic generator (xorshift64). */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

TEST(regime_cache_matches_decoder)
{
	vmsa_machine_t *m = fg_machine(2, true);
	/* Values of the translation registers that are all valid (at EL2,
	 * so that EL1 and EL2 registers can both be written): two TCRs, the
	 * MMU on and off, two ASIDs and two VMIDs, stage 2 on and off. */
	static const struct {
		enum vmsa_sysreg reg;
		uint64_t v[2];
	} w[] = {
		{VMSA_REG_TCR_EL1, {FX_TCR | 2ull << 30, (FX_TCR + 1) | 2ull << 30}},
		{VMSA_REG_SCTLR_EL1, {0, 1}},
		{VMSA_REG_TTBR0_EL1, {0x40000000ull | 1ull << 48,
				      0x40000000ull | 2ull << 48}},
		{VMSA_REG_MAIR_EL1, {0xff, 0x44}},
		{VMSA_REG_VTCR_EL2, {FG_VTCR, FG_VTCR}},
		{VMSA_REG_VTTBR_EL2, {0x40001000ull | 1ull << 48,
				      0x40001000ull | 3ull << 48}},
		{VMSA_REG_HCR_EL2, {FG_HCR_RW, FG_HCR_RW | VMSA_HCR_VM}},
		{VMSA_REG_SCTLR_EL2, {0, 0}},
	};
	uint64_t seed = 0x2545f4914f6cdd1dull;
	unsigned checked = 0;

	if (!m)
		return;
	for (unsigned round = 0; round < 200; round++) {
		vmsa_machine_reset(m);
		for (int cpu = 0; cpu < 2; cpu++)
			vmsa_msr(m, cpu, w[0].reg, w[0].v[0]);
		for (unsigned k = 0; k < 12 && !vmsa_violation(m); k++) {
			uint64_t r = next(&seed);
			int cpu = (int)(r & 1);
			unsigned i = (unsigned)(r >> 8) %
				     (sizeof(w) / sizeof(w[0]));

			if (m->cpu[cpu].el != 2)
				continue;
			if ((r >> 20) % 8 == 0)
				vmsa_eret(m, cpu, 1);
			else
				vmsa_msr(m, cpu, w[i].reg, w[i].v[(r >> 16) & 1]);
			if (vmsa_violation(m))
				break;
			CHECK_EQ(m->cpu[cpu].cur_ctx, fresh_ctx(m, cpu));
			checked++;
		}
		CHECK_MSG(!vmsa_violation(m), "%s",
			  vmsa_violation(m) ? vmsa_violation(m)->message : "");
	}
	CHECK(checked > 1000);
	vmsa_machine_free(m);
}

/* Contexts are numbered afresh after a reset: the cache must not hand
 * back the index the same registers had in the previous execution. */
TEST(regime_cache_ctx_index_after_reset)
{
	vmsa_machine_t *m = fx_machine(1, 0, false);

	/* First execution: EL1&0 (all registers 0) is context 0, and the
	 * cache learns that. */
	vmsa_eret(m, 0, 1);
	CHECK_EQ(m->cpu[0].cur_ctx, 0);
	vmsa_machine_reset(m);
	CHECK_EQ(m->cpu[0].cur_ctx, -1);
	/* Second: EL2 comes first, so the same EL1&0 is context 1. */
	vmsa_msr(m, 0, VMSA_REG_HCR_EL2, 0);
	CHECK_EQ(m->cpu[0].cur_ctx, 0);
	vmsa_eret(m, 0, 1);
	CHECK_EQ(m->cpu[0].cur_ctx, 1);
	CHECK_EQ(m->n_ctx, 2);
	CHECK(!vmsa_violation(m));
	vmsa_machine_free(m);
}
