/*
 * src/model/regime_cache.c - remembering which translation regime a
 * CPU's registers select.
 *
 * Every MSR of a translation register and every exception entry or
 * return recomputes the CPU's regime (sysreg_regime: four register
 * decoders) and then finds its context. An exploration re-runs the same
 * few register values thousands of times, so the decoded regimes are kept
 * in a small direct-mapped table. sysreg_regime() is a pure function of
 * the key below, so a hit returns exactly what it would compute; only
 * successes are kept (a failure is a violation, rare and reported once).
 */
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "regime_cache.h"

#define REGIME_CACHE_BITS 7u	/* 128 entries, 64 sets of two */

/* Every register sysreg_regime() reads (sysreg.c: regime_el2, s1_el2,
 * s1_el10, s2_el10); translation_reg() in cpu.c lists the same ones, as
 * a write to any other register cannot change the regime. */
static const enum vmsa_sysreg key_regs[] = {
	VMSA_REG_TTBR0_EL1, VMSA_REG_TTBR1_EL1, VMSA_REG_TCR_EL1,
	VMSA_REG_SCTLR_EL1, VMSA_REG_MAIR_EL1, VMSA_REG_VTTBR_EL2,
	VMSA_REG_VTCR_EL2, VMSA_REG_HCR_EL2, VMSA_REG_TTBR0_EL2,
	VMSA_REG_TTBR1_EL2, VMSA_REG_TCR_EL2, VMSA_REG_SCTLR_EL2,
	VMSA_REG_MAIR_EL2,
};

#define KEY_WORDS (sizeof(key_regs) / sizeof(key_regs[0]) + 1)

struct regime_entry {
	bool valid;
	bool last_used;			/* of the two ways (even entries) */
	uint64_t ctx_epoch;		/* ctx is the context's index while
					   m->ctx_epoch has this value */
	int ctx;
	uint64_t key[KEY_WORDS];	/* the registers, then EL, PA size and
					   S2FWB in one word */
	vmsa_regime_cfg_t cfg;
};

struct regime_cache {
	struct regime_entry e[1u << REGIME_CACHE_BITS];
};

/* memcmp() of two keys, inline (a call and its set-up cost as much). */
static bool same_key(const uint64_t *a, const uint64_t *b)
{
	uint64_t d = 0;

#pragma GCC unroll 16
	for (unsigned i = 0; i < KEY_WORDS; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

int regime_cached(vmsa_machine_t *m, const struct cpu *c,
		  vmsa_regime_t *regime, int *ctx, const char **why)
{
	vmsa_regime_cfg_t cfg, *out = &cfg;
	uint64_t key[KEY_WORDS], h = 0;
	struct regime_entry *set, *e;
	unsigned way;
	int ret;

	/* Unrolled: a regime look-up follows every translation register
	 * write and exception entry or return. */
#pragma GCC unroll 16
	for (unsigned i = 0; i + 1 < KEY_WORDS; i++) {
		key[i] = c->regs.r[key_regs[i]];
		h = (h ^ key[i]) * 0x9e3779b97f4a7c15ull;
	}
	key[KEY_WORDS - 1] = (uint64_t)c->el | (uint64_t)m->f.pa_bits << 8 |
			     (uint64_t)(m->f.s2fwb != 0) << 16 |
			     (uint64_t)(m->f.hafdbs != 0) << 17;
	h = (h ^ key[KEY_WORDS - 1]) * 0x9e3779b97f4a7c15ull;
	/* Keys that differ in one low bit of two words (SCTLR.M and the EL
	 * of an exception return) must not collide: mix the high bits down
	 * (the finaliser of SplitMix64) before taking the index. */
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	h ^= h >> 31;
	if (!m->rc)
		m->rc = calloc(1, sizeof(*m->rc));
	if (!m->rc) { /* no room to remember: compute every time */
		ret = sysreg_regime(&c->regs, c->el, m->f.pa_bits, m->f.s2fwb,
				    m->f.hafdbs, out, why);
		if (!ret) {
			*regime = out->regime;
			*ctx = ctx_lookup(m, out);
		}
		return ret;
	}
	/* Two ways: the even entry at the index and the odd one after it.
	 * A new key replaces the way that was not used last. */
	set = &m->rc->e[h & ((1u << REGIME_CACHE_BITS) - 2)];
	for (way = 0; way < 2; way++)
		if (set[way].valid && same_key(set[way].key, key))
			break;
	if (way == 2) {
		way = !set[0].valid ? 0 : !set[1].valid ? 1 :
		      set[0].last_used ? 1 : 0;
		e = &set[way];
		ret = sysreg_regime(&c->regs, c->el, m->f.pa_bits, m->f.s2fwb,
				    m->f.hafdbs, out, why);
		if (ret)
			return ret;
		e->valid = true;
		memcpy(e->key, key, sizeof(key));
		e->cfg = *out;
		e->ctx_epoch = m->ctx_epoch - 1;
	}
	e = &set[way];
	set[0].last_used = way == 0;
	*regime = e->cfg.regime;
	/* Contexts are only appended between two resets of the machine's
	 * contexts (each bumps ctx_epoch), so an index found since the last
	 * one is still the context of this regime. */
	if (e->ctx_epoch != m->ctx_epoch) {
		*ctx = ctx_lookup(m, &e->cfg);
		if (*ctx < 0)
			return 0;
		e->ctx = *ctx;
		e->ctx_epoch = m->ctx_epoch;
	}
	*ctx = e->ctx;
	return 0;
}

void regime_cache_free(vmsa_machine_t *m)
{
	free(m->rc);
	m->rc = NULL;
}
