/*
 * tests/arch/test_tlbi.c - TLB maintenance operations: names, where they
 * may run, regimes, operand decoding and the matching rules (ARCH-RULES.md
 * section 4; Arm ARM D8.17.5, C5.5).
 */
#include "../harness.h"

#include <errno.h>
#include <stdio.h>

#include "vmsa/arch.h"

#define K4 VMSA_GRANULE_4K
#define K16 VMSA_GRANULE_16K
#define K64 VMSA_GRANULE_64K

static vmsa_tlbi_op_t op_of(vmsa_tlbi_type_t t, vmsa_tlbi_shareability_t sh,
			    bool nxs)
{
	vmsa_tlbi_op_t op = { .type = t, .sh = sh, .nxs = nxs };

	return op;
}

/* ---------------------------------------------------------------------
 * Static information
 * ------------------------------------------------------------------- */

TEST(tlbi_info_table)
{
	const vmsa_tlbi_info_t *i;

	for (unsigned t = 0; t < VMSA_TLBI_N_TYPES; t++) {
		i = vmsa_tlbi_info((vmsa_tlbi_type_t)t);
		CHECK(i != NULL && i->name != NULL);
		for (unsigned u = 0; u < t; u++)
			CHECK(strcmp(i->name,
				     vmsa_tlbi_info((vmsa_tlbi_type_t)u)->name) != 0);
	}
	CHECK(vmsa_tlbi_info(VMSA_TLBI_N_TYPES) == NULL);

	i = vmsa_tlbi_info(VMSA_TLBI_VALE1);
	CHECK_STR(i->name, "VALE1");
	CHECK_EQ(i->scope, VMSA_TLBI_SCOPE_VA);
	CHECK_EQ(i->el, 1);
	CHECK(i->last_level && !i->range && i->has_operand);

	i = vmsa_tlbi_info(VMSA_TLBI_RIPAS2LE1);
	CHECK_STR(i->name, "RIPAS2LE1");
	CHECK_EQ(i->scope, VMSA_TLBI_SCOPE_IPAS2);
	CHECK(i->last_level && i->range && i->has_operand);

	i = vmsa_tlbi_info(VMSA_TLBI_VMALLS12E1);
	CHECK_EQ(i->scope, VMSA_TLBI_SCOPE_VMALLS12);
	CHECK(!i->has_operand && !i->last_level);

	i = vmsa_tlbi_info(VMSA_TLBI_ALLE2);
	CHECK_EQ(i->scope, VMSA_TLBI_SCOPE_ALL);
	CHECK_EQ(i->el, 2);
	CHECK(!i->has_operand);

	CHECK_EQ(vmsa_tlbi_info(VMSA_TLBI_VAAE1)->scope, VMSA_TLBI_SCOPE_VAA);
	CHECK_EQ(vmsa_tlbi_info(VMSA_TLBI_ASIDE1)->scope, VMSA_TLBI_SCOPE_ASID);
	CHECK(vmsa_tlbi_info(VMSA_TLBI_ASIDE1)->has_operand);
	CHECK(vmsa_tlbi_info(VMSA_TLBI_RVALE2)->range);
	CHECK_EQ(vmsa_tlbi_info(VMSA_TLBI_RVALE2)->el, 2);
}

/* ---------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------- */

TEST(tlbi_format_exact)
{
	char buf[64];

	CHECK_EQ(vmsa_tlbi_format(buf, sizeof(buf),
				  op_of(VMSA_TLBI_VALE1, VMSA_TLBI_IS, false)), 12);
	CHECK_STR(buf, "tlbi vale1is");
	vmsa_tlbi_format(buf, sizeof(buf), op_of(VMSA_TLBI_RVAE1, VMSA_TLBI_OS, true));
	CHECK_STR(buf, "tlbi rvae1osnxs");
	vmsa_tlbi_format(buf, sizeof(buf), op_of(VMSA_TLBI_VMALLE1, VMSA_TLBI_NSH, false));
	CHECK_STR(buf, "tlbi vmalle1");
	vmsa_tlbi_format(buf, sizeof(buf), op_of(VMSA_TLBI_VMALLS12E1, VMSA_TLBI_IS, false));
	CHECK_STR(buf, "tlbi vmalls12e1is");
	vmsa_tlbi_format(buf, sizeof(buf), op_of(VMSA_TLBI_IPAS2LE1, VMSA_TLBI_NSH, true));
	CHECK_STR(buf, "tlbi ipas2le1nxs");
	/* snprintf-like: truncated, NUL-terminated, full length returned. */
	CHECK_EQ(vmsa_tlbi_format(buf, 6, op_of(VMSA_TLBI_ALLE2, VMSA_TLBI_IS, false)),
		 12);
	CHECK_STR(buf, "tlbi ");
}

TEST(tlbi_parse_format_round_trip)
{
	static const char *const sfx[] = { "", "IS", "OS" };
	char buf[64], up[80];
	vmsa_tlbi_op_t op, back;

	for (unsigned t = 0; t < VMSA_TLBI_N_TYPES; t++) {
		const vmsa_tlbi_info_t *i = vmsa_tlbi_info((vmsa_tlbi_type_t)t);

		for (unsigned sh = 0; sh < 3; sh++) {
			for (int nxs = 0; nxs < 2; nxs++) {
				op = op_of((vmsa_tlbi_type_t)t,
					   (vmsa_tlbi_shareability_t)sh, nxs);
				vmsa_tlbi_format(buf, sizeof(buf), op);
				CHECK_EQ(vmsa_tlbi_parse(buf, &back), 0);
				CHECK_EQ(back.type, t);
				CHECK_EQ(back.sh, sh);
				CHECK_EQ(back.nxs, nxs);

				/* Bare upper-case name, as in the manual. */
				snprintf(up, sizeof(up), "%s%s%s", i->name,
					 sfx[sh], nxs ? "NXS" : "");
				CHECK_EQ(vmsa_tlbi_parse(up, &back), 0);
				CHECK_EQ(back.type, t);
				CHECK_EQ(back.sh, sh);
				CHECK_EQ(back.nxs, nxs);

				/* With a register operand when it takes one. */
				snprintf(up, sizeof(up), "%s, x7", buf);
				CHECK_EQ(vmsa_tlbi_parse(up, &back),
					 i->has_operand ? 0 : -EINVAL);
			}
		}
	}
}

TEST(tlbi_parse_examples)
{
	vmsa_tlbi_op_t op;

	CHECK_EQ(vmsa_tlbi_parse("tlbi vale1is", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_VALE1);
	CHECK_EQ(op.sh, VMSA_TLBI_IS);
	CHECK(!op.nxs);

	CHECK_EQ(vmsa_tlbi_parse("VALE1IS", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_VALE1);
	CHECK_EQ(op.sh, VMSA_TLBI_IS);

	CHECK_EQ(vmsa_tlbi_parse("tlbi rvae1osnxs, x1", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_RVAE1);
	CHECK_EQ(op.sh, VMSA_TLBI_OS);
	CHECK(op.nxs);

	CHECK_EQ(vmsa_tlbi_parse("VMALLS12E1IS", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_VMALLS12E1);
	CHECK_EQ(op.sh, VMSA_TLBI_IS);

	CHECK_EQ(vmsa_tlbi_parse("  TLBI\tVaE1 ,X30  ", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_VAE1);
	CHECK_EQ(op.sh, VMSA_TLBI_NSH);

	CHECK_EQ(vmsa_tlbi_parse("tlbi ipas2e1is, xzr", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_IPAS2E1);

	CHECK_EQ(vmsa_tlbi_parse("tlbi alle1os", &op), 0);
	CHECK_EQ(op.type, VMSA_TLBI_ALLE1);
	CHECK_EQ(op.sh, VMSA_TLBI_OS);
}

TEST(tlbi_parse_rejects)
{
	vmsa_tlbi_op_t op = op_of(VMSA_TLBI_VAE2, VMSA_TLBI_OS, true);

	CHECK_EQ(vmsa_tlbi_parse("tlbi foo", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("vae3", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("   ", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("vae1xs", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbivae1", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("vae1nxsis", &op), -EINVAL);   /* suffix order */
	CHECK_EQ(vmsa_tlbi_parse("vae1isis", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("vmallws2e1", &op), -EINVAL);  /* not supported */
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1,", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1, x31", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1, w1", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1 x1", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1, x1 x2", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1, x1a", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vmalle1, x0", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi vae1-is", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("tlbi aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse(NULL, &op), -EINVAL);
	CHECK_EQ(vmsa_tlbi_parse("vae1", NULL), -EINVAL);
	/* A rejected parse leaves *op alone. */
	CHECK_EQ(op.type, VMSA_TLBI_VAE2);
	CHECK_EQ(op.sh, VMSA_TLBI_OS);
	CHECK(op.nxs);
}

/* ---------------------------------------------------------------------
 * Where an operation may run
 * ------------------------------------------------------------------- */

/* The types EL1 may execute: the stage-1 EL1&0 operations. */
static bool el1_ok(vmsa_tlbi_type_t t)
{
	switch (t) {
	case VMSA_TLBI_VMALLE1:
	case VMSA_TLBI_VAE1:
	case VMSA_TLBI_ASIDE1:
	case VMSA_TLBI_VAAE1:
	case VMSA_TLBI_VALE1:
	case VMSA_TLBI_VAALE1:
	case VMSA_TLBI_RVAE1:
	case VMSA_TLBI_RVAAE1:
	case VMSA_TLBI_RVALE1:
	case VMSA_TLBI_RVAALE1:
		return true;
	default:
		return false;
	}
}

TEST(tlbi_allowed_every_type)
{
	for (unsigned t = 0; t < VMSA_TLBI_N_TYPES; t++) {
		bool range = vmsa_tlbi_info((vmsa_tlbi_type_t)t)->range;

		for (unsigned sh = 0; sh < 3; sh++) {
			vmsa_tlbi_op_t op = op_of((vmsa_tlbi_type_t)t,
						  (vmsa_tlbi_shareability_t)sh, false);
			vmsa_tlbi_op_t nx = op_of((vmsa_tlbi_type_t)t,
						  (vmsa_tlbi_shareability_t)sh, true);

			/* EL0: always UNDEFINED. */
			CHECK(!vmsa_tlbi_allowed(op, 0, true, true));
			CHECK(!vmsa_tlbi_allowed(nx, 0, true, true));
			/* EL1 and EL2 with every feature. */
			CHECK_EQ(vmsa_tlbi_allowed(op, 1, true, true),
				 el1_ok((vmsa_tlbi_type_t)t));
			CHECK(vmsa_tlbi_allowed(op, 2, true, true));
			CHECK_EQ(vmsa_tlbi_allowed(nx, 1, true, true),
				 el1_ok((vmsa_tlbi_type_t)t));
			CHECK(vmsa_tlbi_allowed(nx, 2, true, true));
			/* Without FEAT_TLBIRANGE the R forms are UNDEFINED. */
			CHECK_EQ(vmsa_tlbi_allowed(op, 2, false, true), !range);
			CHECK_EQ(vmsa_tlbi_allowed(op, 1, false, true),
				 !range && el1_ok((vmsa_tlbi_type_t)t));
			/* Without FEAT_XS the nXS forms are UNDEFINED. */
			CHECK(vmsa_tlbi_allowed(op, 2, true, false));
			CHECK(!vmsa_tlbi_allowed(nx, 2, true, false));
			CHECK(!vmsa_tlbi_allowed(nx, 1, true, false));
			/* No EL3 in vmsa. */
			CHECK(!vmsa_tlbi_allowed(op, 3, true, true));
		}
	}
	/* Spot checks of the EL1 list. */
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_ALLE1, VMSA_TLBI_IS, false), 1, true, true));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_VMALLS12E1, VMSA_TLBI_IS, false), 1, true, true));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_IPAS2E1, VMSA_TLBI_IS, false), 1, true, true));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_RIPAS2LE1, VMSA_TLBI_NSH, false), 1, true, true));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_VAE2, VMSA_TLBI_IS, false), 1, true, true));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_ALLE2, VMSA_TLBI_NSH, false), 1, true, true));
	CHECK(vmsa_tlbi_allowed(op_of(VMSA_TLBI_VMALLE1, VMSA_TLBI_IS, false), 1, false, false));
	CHECK(vmsa_tlbi_allowed(op_of(VMSA_TLBI_RVAAE1, VMSA_TLBI_OS, false), 1, true, false));
	CHECK(!vmsa_tlbi_allowed(op_of(VMSA_TLBI_RVAAE1, VMSA_TLBI_OS, false), 1, false, true));
}

TEST(tlbi_fb_upgrade)
{
	uint64_t fb = VMSA_HCR_FB;

	for (unsigned t = 0; t < VMSA_TLBI_N_TYPES; t++) {
		vmsa_tlbi_type_t ty = (vmsa_tlbi_type_t)t;
		vmsa_tlbi_op_t nsh = op_of(ty, VMSA_TLBI_NSH, false);
		vmsa_tlbi_op_t is = op_of(ty, VMSA_TLBI_IS, false);
		vmsa_tlbi_op_t os = op_of(ty, VMSA_TLBI_OS, true);

		/* Local EL1 operations at EL1 with FB = 1 become IS. */
		CHECK_EQ(vmsa_tlbi_effective_sh(nsh, 1, fb),
			 el1_ok(ty) ? VMSA_TLBI_IS : VMSA_TLBI_NSH);
		/* Without FB, or at EL2, nothing changes. */
		CHECK_EQ(vmsa_tlbi_effective_sh(nsh, 1, 0), VMSA_TLBI_NSH);
		CHECK_EQ(vmsa_tlbi_effective_sh(nsh, 2, fb), VMSA_TLBI_NSH);
		CHECK_EQ(vmsa_tlbi_effective_sh(nsh, 2, ~0ull), VMSA_TLBI_NSH);
		/* IS stays IS, OS stays OS (not narrowed to IS). */
		CHECK_EQ(vmsa_tlbi_effective_sh(is, 1, fb), VMSA_TLBI_IS);
		CHECK_EQ(vmsa_tlbi_effective_sh(os, 1, fb), VMSA_TLBI_OS);
		CHECK_EQ(vmsa_tlbi_effective_sh(os, 2, 0), VMSA_TLBI_OS);
	}
	/* The nXS form is upgraded too. */
	CHECK_EQ(vmsa_tlbi_effective_sh(op_of(VMSA_TLBI_VALE1, VMSA_TLBI_NSH, true),
					1, fb | VMSA_HCR_VM), VMSA_TLBI_IS);
	/* Other HCR bits do not upgrade. */
	CHECK_EQ(vmsa_tlbi_effective_sh(op_of(VMSA_TLBI_VAE1, VMSA_TLBI_NSH, false),
					1, ~VMSA_HCR_FB), VMSA_TLBI_NSH);
}

TEST(tlbi_regime_selection)
{
	uint64_t e2h = VMSA_HCR_E2H, tge = VMSA_HCR_TGE, host = e2h | tge;
	static const vmsa_tlbi_type_t host_ops[] = {
		VMSA_TLBI_VMALLE1, VMSA_TLBI_VAE1, VMSA_TLBI_ASIDE1,
		VMSA_TLBI_VAAE1, VMSA_TLBI_VALE1, VMSA_TLBI_VAALE1,
		VMSA_TLBI_RVAE1, VMSA_TLBI_RVAAE1, VMSA_TLBI_RVALE1,
		VMSA_TLBI_RVAALE1,
	};
	static const vmsa_tlbi_type_t el10_ops[] = {
		VMSA_TLBI_IPAS2E1, VMSA_TLBI_IPAS2LE1, VMSA_TLBI_RIPAS2E1,
		VMSA_TLBI_RIPAS2LE1, VMSA_TLBI_VMALLS12E1, VMSA_TLBI_ALLE1,
	};
	static const vmsa_tlbi_type_t e2_ops[] = {
		VMSA_TLBI_ALLE2, VMSA_TLBI_VAE2, VMSA_TLBI_VALE2,
		VMSA_TLBI_RVAE2, VMSA_TLBI_RVALE2,
	};

	for (size_t i = 0; i < sizeof(host_ops) / sizeof(host_ops[0]); i++) {
		vmsa_tlbi_type_t t = host_ops[i];

		CHECK_EQ(vmsa_tlbi_regime(t, 1, 0), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(t, 1, e2h), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(t, 2, 0), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(t, 2, e2h), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(t, 2, tge), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(t, 2, host), VMSA_REGIME_EL20);
	}
	for (size_t i = 0; i < sizeof(el10_ops) / sizeof(el10_ops[0]); i++) {
		CHECK_EQ(vmsa_tlbi_regime(el10_ops[i], 2, 0), VMSA_REGIME_EL10);
		CHECK_EQ(vmsa_tlbi_regime(el10_ops[i], 2, host), VMSA_REGIME_EL10);
	}
	for (size_t i = 0; i < sizeof(e2_ops) / sizeof(e2_ops[0]); i++) {
		CHECK_EQ(vmsa_tlbi_regime(e2_ops[i], 2, 0), VMSA_REGIME_EL2);
		CHECK_EQ(vmsa_tlbi_regime(e2_ops[i], 2, tge), VMSA_REGIME_EL2);
		CHECK_EQ(vmsa_tlbi_regime(e2_ops[i], 2, e2h), VMSA_REGIME_EL20);
		CHECK_EQ(vmsa_tlbi_regime(e2_ops[i], 2, host), VMSA_REGIME_EL20);
	}
}

/* ---------------------------------------------------------------------
 * Operand decoding
 * ------------------------------------------------------------------- */

TEST(tlbi_decode_va)
{
	vmsa_tlbi_arg_t a;

	/* ASID 0x42, TTL 0b0111 (4K, level 3), VA 0xffff800012345000. */
	a = vmsa_tlbi_decode(VMSA_TLBI_VAE1, 0x00427ff800012345ull);
	CHECK_EQ(a.asid, 0x42);
	CHECK_EQ(a.addr, 0xffff800012345000ull);
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 3);
	CHECK_EQ(a.ttl_granule, K4);
	CHECK_EQ(a.size, 0);
	CHECK(!a.range_valid);

	/* VA[55] = 0: a TTBR0 address, upper bits zero. */
	a = vmsa_tlbi_decode(VMSA_TLBI_VALE1, 0xffff000000000400ull);
	CHECK_EQ(a.asid, 0xffff);
	CHECK_EQ(a.addr, 0x400000ull);
	CHECK(!a.ttl_valid);
	CHECK_EQ(a.ttl_level, -1);

	/* VA[55] = 1 with VA[54:12] = 0: sign-extended from bit 55. */
	a = vmsa_tlbi_decode(VMSA_TLBI_VAE2, 0x0000080000000000ull);
	CHECK_EQ(a.addr, 0xff80000000000000ull);
	CHECK_EQ(a.asid, 0);

	/* VAA: bits [63:48] are not an ASID. */
	a = vmsa_tlbi_decode(VMSA_TLBI_VAAE1, 0x1234000000000001ull);
	CHECK_EQ(a.asid, 0);
	CHECK_EQ(a.addr, 0x1000);

	/* ASIDE1: only the ASID. */
	a = vmsa_tlbi_decode(VMSA_TLBI_ASIDE1, 0xbeef00000000ffffull);
	CHECK_EQ(a.asid, 0xbeef);
	CHECK_EQ(a.addr, 0);
	CHECK(!a.ttl_valid);

	/* Operand-less types decode to nothing. */
	a = vmsa_tlbi_decode(VMSA_TLBI_VMALLE1, ~0ull);
	CHECK_EQ(a.addr, 0);
	CHECK_EQ(a.asid, 0);
	CHECK(!a.ttl_valid && !a.range_valid && !a.ns);
}

TEST(tlbi_decode_ttl_per_granule)
{
	/* TTL[3:0] -> (valid, granule, level), no FEAT_LPA2 (Table D8-123). */
	static const struct {
		unsigned ttl;
		bool valid;
		vmsa_granule_t g;
		int level;
	} cases[] = {
		{ 0x0, false, K4, -1 },  { 0x1, false, K4, -1 },
		{ 0x2, false, K4, -1 },  { 0x3, false, K4, -1 },
		{ 0x4, false, K4, -1 },  /* 4K level 0: needs LPA2 */
		{ 0x5, true, K4, 1 },    { 0x6, true, K4, 2 },
		{ 0x7, true, K4, 3 },
		{ 0x8, false, K4, -1 },  /* 16K 0b00: reserved */
		{ 0x9, false, K4, -1 },  /* 16K level 1: needs LPA2 */
		{ 0xa, true, K16, 2 },   { 0xb, true, K16, 3 },
		{ 0xc, false, K4, -1 },  /* 64K 0b00: reserved */
		{ 0xd, true, K64, 1 },   { 0xe, true, K64, 2 },
		{ 0xf, true, K64, 3 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t xt = ((uint64_t)cases[i].ttl << 44) | 0x10;
		vmsa_tlbi_arg_t va = vmsa_tlbi_decode(VMSA_TLBI_VAE1, xt);
		vmsa_tlbi_arg_t ipa = vmsa_tlbi_decode(VMSA_TLBI_IPAS2E1, xt);

		CHECK_EQ(va.ttl_valid, cases[i].valid);
		CHECK_EQ(va.ttl_level, cases[i].level);
		CHECK_EQ(va.ttl_granule, cases[i].g);
		CHECK_EQ(ipa.ttl_valid, cases[i].valid);
		CHECK_EQ(ipa.ttl_level, cases[i].level);
		CHECK_EQ(ipa.ttl_granule, cases[i].g);
		CHECK_EQ(va.addr, 0x10000);
	}
}

TEST(tlbi_decode_ipa)
{
	vmsa_tlbi_arg_t a;

	/* NS = 1, TTL 0b1110 (64K, level 2), IPA[51:12] = 0xf_1234_5678. */
	a = vmsa_tlbi_decode(VMSA_TLBI_IPAS2E1, 0x8000e0f123456780ull);
	CHECK(a.ns);
	CHECK_EQ(a.addr, 0xf123456780000ull);
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 2);
	CHECK_EQ(a.ttl_granule, K64);
	CHECK_EQ(a.asid, 0);

	/* IPA[51] set: no sign extension for IPAs; bits [43:40] RES0. */
	a = vmsa_tlbi_decode(VMSA_TLBI_IPAS2LE1, 0x00000f8000000000ull);
	CHECK(!a.ns);
	CHECK_EQ(a.addr, 0x8000000000000ull);
	CHECK(!a.ttl_valid);
}

TEST(tlbi_decode_range)
{
	vmsa_tlbi_arg_t a;

	/* ASID 7, TG 4K, SCALE 0, NUM 0, no TTL, BaseADDR 0x100. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, 0x0007400000000100ull);
	CHECK(a.range_valid);
	CHECK_EQ(a.asid, 7);
	CHECK_EQ(a.ttl_granule, K4);
	CHECK_EQ(a.addr, 0x100000);
	CHECK_EQ(a.size, 0x2000);       /* (0+1) * 2^1 * 4K */
	CHECK(!a.ttl_valid);

	/* SCALE 1, NUM 3: 4 * 2^6 * 4K = 1M. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAAE1,
			     (1ull << 46) | (1ull << 44) | (3ull << 39) | 0x200);
	CHECK_EQ(a.addr, 0x200000);
	CHECK_EQ(a.size, 0x100000);
	CHECK_EQ(a.asid, 0);

	/* SCALE 3, NUM 31, 4K: 32 * 2^16 * 4K = 8G. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVALE1,
			     (1ull << 46) | (3ull << 44) | (31ull << 39));
	CHECK_EQ(a.size, 0x200000000ull);

	/* 64K, SCALE 2, NUM 1, TTL 0b11: 2 * 2^11 * 64K = 256M; base <<16. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE2,
			     (3ull << 46) | (2ull << 44) | (1ull << 39) |
			     (3ull << 37) | 0x3);
	CHECK_EQ(a.ttl_granule, K64);
	CHECK_EQ(a.addr, 0x30000);
	CHECK_EQ(a.size, 0x10000000ull);
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 3);

	/* 16K: base << 14; TTL 0b01 is reserved for 16K without LPA2. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, (2ull << 46) | (1ull << 37) | 0x5);
	CHECK_EQ(a.ttl_granule, K16);
	CHECK_EQ(a.addr, 0x14000);
	CHECK_EQ(a.size, 0x8000);
	CHECK(!a.ttl_valid);
	/* ... but level 1 for 4K and 64K, level 2 for 16K. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, (1ull << 46) | (1ull << 37));
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 1);
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, (3ull << 46) | (1ull << 37));
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 1);
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, (2ull << 46) | (2ull << 37));
	CHECK(a.ttl_valid);
	CHECK_EQ(a.ttl_level, 2);

	/* TTBR1 base: BaseADDR[48] (4K) is the sign. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, (1ull << 46) | 0x1ffffffe00ull);
	CHECK_EQ(a.addr, 0xffffffffffe00000ull);
	/* 64K: BaseADDR[52] is the sign. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAAE1, (3ull << 46) | 0x1f80000000ull);
	CHECK_EQ(a.addr, 0xffff800000000000ull);

	/* IPA ranges are not sign-extended; NS from bit 63. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RIPAS2E1,
			     (1ull << 63) | (1ull << 46) | (1ull << 36));
	CHECK(a.ns);
	CHECK_EQ(a.addr, 1ull << 48);
	CHECK_EQ(a.size, 0x2000);

	/* TG = 0b00: reserved, the range is not valid. */
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, 0x0007000000000100ull | (3ull << 37));
	CHECK(!a.range_valid);
	CHECK_EQ(a.size, 0);
	CHECK(!a.ttl_valid);
	CHECK_EQ(a.asid, 7);
}

TEST(tlbi_encoders_round_trip)
{
	vmsa_tlbi_arg_t a;
	uint64_t xt;

	xt = vmsa_tlbi_va(0xffff800012345000ull, 0x42, K4, 3);
	CHECK_EQ(xt, 0x00427ff800012345ull);
	a = vmsa_tlbi_decode(VMSA_TLBI_VAE1, xt);
	CHECK_EQ(a.addr, 0xffff800012345000ull);
	CHECK_EQ(a.asid, 0x42);
	CHECK_EQ(a.ttl_level, 3);

	/* No hint; tag bits in VA[63:56] are dropped. */
	CHECK_EQ(vmsa_tlbi_va(0x5a00000000401000ull, 1, K4, -1),
		 0x0001000000000401ull);
	/* 16K: VA[13:12] are RES0 in the operand. */
	CHECK_EQ(vmsa_tlbi_va(0x7000, 0, K16, -1), 0x4);
	CHECK_EQ(vmsa_tlbi_va(0x7000, 0, K16, 2), (0xaull << 44) | 0x4);
	/* 64K, level 1. */
	CHECK_EQ(vmsa_tlbi_va(0x40000000, 0, K64, 1), (0xdull << 44) | 0x40000);

	for (unsigned g = 0; g < 3; g++) {
		for (int lvl = -1; lvl <= 3; lvl++) {
			uint64_t va = 0xffffc00000000000ull;
			bool hint = lvl >= 1 && !(g == K16 && lvl == 1);

			a = vmsa_tlbi_decode(VMSA_TLBI_VALE2,
					     vmsa_tlbi_va(va, 9, (vmsa_granule_t)g, lvl));
			CHECK_EQ(a.addr, va);
			CHECK_EQ(a.asid, 9);
			CHECK_EQ(a.ttl_valid, hint);
			if (hint) {
				CHECK_EQ(a.ttl_level, lvl);
				CHECK_EQ(a.ttl_granule, g);
			}

			a = vmsa_tlbi_decode(VMSA_TLBI_IPAS2E1,
					     vmsa_tlbi_ipa(0xf12340000ull,
							   (vmsa_granule_t)g, lvl));
			CHECK_EQ(a.addr, 0xf12340000ull);
			CHECK_EQ(a.ttl_valid, hint);
		}
	}
	CHECK_EQ(vmsa_tlbi_ipa(0x80001000ull, K4, 3), (0x7ull << 44) | 0x80001);

	/* Range encoder. */
	xt = vmsa_tlbi_range(0x100000, 7, K4, 0, 0, -1);
	CHECK_EQ(xt, 0x0007400000000100ull);
	xt = vmsa_tlbi_range(0xffffffffffe00000ull, 3, K4, 1, 4, 3);
	a = vmsa_tlbi_decode(VMSA_TLBI_RVAE1, xt);
	CHECK(a.range_valid);
	CHECK_EQ(a.addr, 0xffffffffffe00000ull);
	CHECK_EQ(a.asid, 3);
	CHECK_EQ(a.size, 5ull * 64 * 4096);
	CHECK_EQ(a.ttl_level, 3);
	for (unsigned g = 0; g < 3; g++) {
		uint64_t base = 0x40000000ull;

		xt = vmsa_tlbi_range(base, 0, (vmsa_granule_t)g, 2, 17, 2);
		a = vmsa_tlbi_decode(VMSA_TLBI_RIPAS2LE1, xt);
		CHECK_EQ(a.addr, base);
		CHECK_EQ(a.ttl_granule, g);
		CHECK_EQ(a.size, 18ull << (11 + 12 + 2 * g));
		CHECK(a.ttl_valid);
		CHECK_EQ(a.ttl_level, 2);
	}
}

/* ---------------------------------------------------------------------
 * Matching (ARCH-RULES.md section 4)
 * ------------------------------------------------------------------- */

static vmsa_tlbi_t mk_op(vmsa_tlbi_type_t type, uint64_t xt,
			 vmsa_regime_t regime, uint16_t vmid)
{
	vmsa_tlbi_t t = {
		.op = op_of(type, VMSA_TLBI_IS, false),
		.arg = vmsa_tlbi_decode(type, xt),
		.regime = regime,
		.vmid = vmid,
	};

	return t;
}

/* A final-level 4K page of the EL1&0 regime, VMID 1. */
static vmsa_tlb_tag_t page(uint64_t ia, uint16_t asid, bool global,
			   vmsa_tlb_stage_t stage)
{
	vmsa_tlb_tag_t e = {
		.regime = VMSA_REGIME_EL10, .vmid = 1, .asid = asid,
		.global = global, .stage = stage, .leaf = true, .level = 3,
		.granule = K4, .ia = ia, .size = 0x1000,
	};

	return e;
}

static vmsa_tlb_tag_t block2m(uint64_t ia, uint16_t asid, bool global,
			      vmsa_tlb_stage_t stage)
{
	vmsa_tlb_tag_t e = page(ia, asid, global, stage);

	e.level = 2;
	e.size = 0x200000;
	return e;
}

/* A walk-cache entry: a table descriptor at `level` (4K granule). */
static vmsa_tlb_tag_t table(uint64_t ia, int level, uint16_t asid,
			    vmsa_tlb_stage_t stage)
{
	vmsa_tlb_tag_t e = page(ia, asid, false, stage);

	e.leaf = false;
	e.level = level;
	e.size = 1ull << (12 + 9 * (4 - level));
	return e;
}

#define S1 VMSA_TLB_S1
#define S2 VMSA_TLB_S2
#define S12 VMSA_TLB_S12
#define EL10 VMSA_REGIME_EL10

TEST(tlbi_match_vae1_asid_and_global)
{
	vmsa_tlbi_t t = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x400000, 5, K4, -1),
			      EL10, 1);
	vmsa_tlb_tag_t e;

	CHECK(vmsa_tlbi_matches(&t, (e = page(0x400000, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = page(0x400000, 5, false, S12), &e)));
	/* Another ASID, non-global: kept. */
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x400000, 6, false, S1), &e)));
	/* Global final-level entry: removed whatever its ASID. */
	CHECK(vmsa_tlbi_matches(&t, (e = page(0x400000, 6, true, S1), &e)));
	/* Walk-cache entries are non-global (RCHVGJ): by ASID only. */
	CHECK(vmsa_tlbi_matches(&t, (e = table(0x400000, 2, 5, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = table(0, 0, 5, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = table(0x400000, 2, 6, S1), &e)));
	e = table(0x400000, 2, 6, S1);
	e.global = true;        /* a table's tag is never global */
	CHECK(!vmsa_tlbi_matches(&t, &e));
	/* Other address. */
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x401000, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x3ff000, 5, true, S1), &e)));
	/* Other VMID, other regime. */
	e = page(0x400000, 5, false, S1);
	e.vmid = 2;
	CHECK(!vmsa_tlbi_matches(&t, &e));
	e = page(0x400000, 5, false, S1);
	e.regime = VMSA_REGIME_EL20;
	CHECK(!vmsa_tlbi_matches(&t, &e));
	/* Stage-2-only entry at the same (IPA) number: not stage 1. */
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x400000, 5, false, S2), &e)));
}

TEST(tlbi_match_last_level)
{
	vmsa_tlbi_t vale = mk_op(VMSA_TLBI_VALE1, vmsa_tlbi_va(0x400000, 5, K4, -1),
				 EL10, 1);
	vmsa_tlbi_t vaale = mk_op(VMSA_TLBI_VAALE1, vmsa_tlbi_va(0x400000, 0, K4, -1),
				  EL10, 1);
	vmsa_tlbi_t vaae = mk_op(VMSA_TLBI_VAAE1, vmsa_tlbi_va(0x400000, 0, K4, -1),
				 EL10, 1);
	vmsa_tlb_tag_t e;

	CHECK(vmsa_tlbi_matches(&vale, (e = page(0x400000, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&vale, (e = page(0x400000, 9, true, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&vale, (e = page(0x400000, 9, false, S1), &e)));
	/* Last-level forms leave walk caches alone. */
	CHECK(!vmsa_tlbi_matches(&vale, (e = table(0x400000, 2, 5, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&vaale, (e = table(0x400000, 2, 5, S1), &e)));
	/* VAA: any ASID, any level. */
	CHECK(vmsa_tlbi_matches(&vaale, (e = page(0x400000, 9, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&vaae, (e = page(0x400000, 9, false, S12), &e)));
	CHECK(vmsa_tlbi_matches(&vaae, (e = table(0x400000, 1, 9, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&vaae, (e = page(0x400000, 9, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&vaae, (e = page(0x500000, 9, false, S1), &e)));
	/* Last-level IPAS2 spares stage-2 walk caches. */
	vmsa_tlbi_t ipasl = mk_op(VMSA_TLBI_IPAS2LE1, vmsa_tlbi_ipa(0x80000000, K4, -1),
				  EL10, 1);
	CHECK(vmsa_tlbi_matches(&ipasl, (e = page(0x80000000, 0, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&ipasl, (e = table(0x80000000, 1, 0, S2), &e)));
}

TEST(tlbi_match_aside1)
{
	vmsa_tlbi_t t = mk_op(VMSA_TLBI_ASIDE1, 5ull << 48, EL10, 1);
	vmsa_tlb_tag_t e;

	CHECK(vmsa_tlbi_matches(&t, (e = page(0x123000, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = page(0xffff000000000000ull, 5, false, S12), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = table(0x400000, 1, 5, S1), &e)));
	/* Global entries are not selected by ASID. */
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x123000, 5, true, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x123000, 6, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = table(0x400000, 1, 6, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x123000, 5, false, S2), &e)));
	e = page(0x123000, 5, false, S1);
	e.vmid = 2;
	CHECK(!vmsa_tlbi_matches(&t, &e));
}

TEST(tlbi_match_vmall_vmalls12_all)
{
	vmsa_tlbi_t vmall = mk_op(VMSA_TLBI_VMALLE1, 0, EL10, 1);
	vmsa_tlbi_t s12 = mk_op(VMSA_TLBI_VMALLS12E1, 0, EL10, 1);
	vmsa_tlbi_t alle1 = mk_op(VMSA_TLBI_ALLE1, 0, EL10, 1);
	vmsa_tlb_tag_t e;

	/* VMALLE1: stage 1 and combined, any ASID, any level, this VMID. */
	CHECK(vmsa_tlbi_matches(&vmall, (e = page(0x1000, 3, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&vmall, (e = page(0x1000, 3, true, S12), &e)));
	CHECK(vmsa_tlbi_matches(&vmall, (e = table(0, 0, 3, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&vmall, (e = page(0x1000, 0, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&vmall, (e = table(0, 1, 0, S2), &e)));
	e = page(0x1000, 3, false, S1);
	e.vmid = 2;
	CHECK(!vmsa_tlbi_matches(&vmall, &e));

	/* VMALLS12E1: all three stages, this VMID. */
	CHECK(vmsa_tlbi_matches(&s12, (e = page(0x1000, 3, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&s12, (e = page(0x1000, 3, false, S12), &e)));
	CHECK(vmsa_tlbi_matches(&s12, (e = page(0x1000, 0, false, S2), &e)));
	CHECK(vmsa_tlbi_matches(&s12, (e = table(0, 1, 0, S2), &e)));
	e = page(0x1000, 0, false, S2);
	e.vmid = 2;
	CHECK(!vmsa_tlbi_matches(&s12, &e));

	/* ALLE1: every VMID, every stage, but only EL1&0. */
	e = page(0x1000, 0, false, S2);
	e.vmid = 77;
	CHECK(vmsa_tlbi_matches(&alle1, &e));
	e = table(0, 0, 4, S12);
	e.vmid = 0;
	CHECK(vmsa_tlbi_matches(&alle1, &e));
	e = page(0x1000, 0, true, S1);
	e.regime = VMSA_REGIME_EL2;
	CHECK(!vmsa_tlbi_matches(&alle1, &e));

	/* ALLE2 with E2H = 0: the EL2 regime only. */
	vmsa_tlbi_t alle2 = mk_op(VMSA_TLBI_ALLE2, 0,
				  vmsa_tlbi_regime(VMSA_TLBI_ALLE2, 2, 0), 0);
	CHECK(vmsa_tlbi_matches(&alle2, &e));
	e.regime = VMSA_REGIME_EL20;
	CHECK(!vmsa_tlbi_matches(&alle2, &e));
	CHECK(!vmsa_tlbi_matches(&alle2, (e = page(0x1000, 0, true, S1), &e)));
}

TEST(tlbi_match_ipas2)
{
	vmsa_tlbi_t t = mk_op(VMSA_TLBI_IPAS2E1, vmsa_tlbi_ipa(0x80000000, K4, -1),
			      EL10, 1);
	vmsa_tlb_tag_t e;

	CHECK(vmsa_tlbi_matches(&t, (e = page(0x80000000, 0, false, S2), &e)));
	/* Stage-2 walk cache covering the IPA: removed (not an L form). */
	CHECK(vmsa_tlbi_matches(&t, (e = table(0x40000000, 1, 0, S2), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = block2m(0x80000000, 0, false, S2), &e)));
	/* Combined stage 1+2 entries need not be removed (RVZZVZ). */
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x80000000, 0, false, S12), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x80000000, 0, true, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x80001000, 0, false, S2), &e)));
	e = page(0x80000000, 0, false, S2);
	e.vmid = 2;
	CHECK(!vmsa_tlbi_matches(&t, &e));
}

TEST(tlbi_match_block_and_contiguous)
{
	vmsa_tlb_tag_t blk = block2m(0x40000000, 5, false, S1), e;
	vmsa_tlbi_t in = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x401ff000, 5, K4, -1),
			       EL10, 1);
	vmsa_tlbi_t out = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x40200000, 5, K4, -1),
				EL10, 1);

	/* A VA anywhere inside a 2M block removes it. */
	CHECK(vmsa_tlbi_matches(&in, &blk));
	CHECK(!vmsa_tlbi_matches(&out, &blk));

	/* A page of a contiguous range is tagged with its own 4K: a TLBI
	 * for another page of the range does not remove it (RLQLSD). */
	e = page(0x10000, 5, false, S1);
	vmsa_tlbi_t other = mk_op(VMSA_TLBI_VALE1, vmsa_tlbi_va(0x11000, 5, K4, 3),
				  EL10, 1);
	vmsa_tlbi_t same = mk_op(VMSA_TLBI_VALE1, vmsa_tlbi_va(0x10000, 5, K4, 3),
				 EL10, 1);
	CHECK(!vmsa_tlbi_matches(&other, &e));
	CHECK(vmsa_tlbi_matches(&same, &e));
}

TEST(tlbi_match_ttl_hint)
{
	vmsa_tlb_tag_t blk = block2m(0x40000000, 5, false, S1), e;
	vmsa_tlbi_t l3 = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x40000000, 5, K4, 3),
			       EL10, 1);
	vmsa_tlbi_t l2 = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x40000000, 5, K4, 2),
			       EL10, 1);
	vmsa_tlbi_t g64 = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x40000000, 5, K64, 2),
				EL10, 1);
	vmsa_tlbi_t none = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x40000000, 5, K4, -1),
				 EL10, 1);

	/* Wrong level or granule: nothing need be removed (RSQXYZ). */
	CHECK(!vmsa_tlbi_matches(&l3, &blk));
	CHECK(vmsa_tlbi_matches(&l2, &blk));
	CHECK(!vmsa_tlbi_matches(&g64, &blk));
	CHECK(vmsa_tlbi_matches(&none, &blk));
	CHECK(vmsa_tlbi_matches(&l3, (e = page(0x40000000, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&l2, (e = page(0x40000000, 5, false, S1), &e)));

	/* Walk-cache entries above the hinted leaf level go; at or below it
	 * the hint is wrong for them. */
	CHECK(vmsa_tlbi_matches(&l3, (e = table(0x40000000, 2, 5, S1), &e)));
	CHECK(vmsa_tlbi_matches(&l2, (e = table(0x40000000, 1, 5, S1), &e)));
	CHECK(vmsa_tlbi_matches(&l2, (e = table(0, 0, 5, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&l2, (e = table(0x40000000, 2, 5, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&g64, (e = table(0, 0, 5, S1), &e)));

	/* A reserved TTL (4K level 0 without LPA2) is no hint at all. */
	vmsa_tlbi_t res = mk_op(VMSA_TLBI_VAE1, (5ull << 48) | (0x4ull << 44) | 0x40000,
				EL10, 1);
	CHECK(!res.arg.ttl_valid);
	CHECK(vmsa_tlbi_matches(&res, &blk));

	/* IPAS2 with a stage-2 hint. */
	vmsa_tlbi_t ipa3 = mk_op(VMSA_TLBI_IPAS2E1, vmsa_tlbi_ipa(0x80000000, K4, 3),
				 EL10, 1);
	CHECK(vmsa_tlbi_matches(&ipa3, (e = page(0x80000000, 0, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&ipa3, (e = block2m(0x80000000, 0, false, S2), &e)));
	e = page(0x80000000, 0, false, S2);
	e.granule = K16;
	e.size = 0x4000;
	CHECK(!vmsa_tlbi_matches(&ipa3, &e));
}

TEST(tlbi_match_range_boundaries)
{
	/* [0x200000, 0x200000 + 2 * 2 * 4K) = [0x200000, 0x204000). */
	vmsa_tlbi_t t = mk_op(VMSA_TLBI_RVAE1,
			      vmsa_tlbi_range(0x200000, 5, K4, 0, 1, -1), EL10, 1);
	vmsa_tlb_tag_t e;

	CHECK_EQ(t.arg.size, 0x4000);
	CHECK(vmsa_tlbi_matches(&t, (e = page(0x200000, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = page(0x203000, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x204000, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x1ff000, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = page(0x200000, 6, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = page(0x200000, 6, true, S1), &e)));
	/* Entries overlapping the range: a block and a table over it. */
	CHECK(vmsa_tlbi_matches(&t, (e = block2m(0x200000, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&t, (e = table(0, 1, 5, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&t, (e = block2m(0x400000, 5, false, S1), &e)));
	/* Another granule than TG: not required (RXKMMX). */
	e = page(0x200000, 5, false, S1);
	e.granule = K16;
	e.size = 0x4000;
	CHECK(!vmsa_tlbi_matches(&t, &e));

	/* TG = 0b00 removes nothing. */
	vmsa_tlbi_t bad = mk_op(VMSA_TLBI_RVAAE1, 0x200, EL10, 1);
	CHECK(!bad.arg.range_valid);
	CHECK(!vmsa_tlbi_matches(&bad, (e = page(0x200000, 5, true, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&bad, (e = page(0, 5, true, S1), &e)));

	/* Range with TTL level 3: pages yes, 2M blocks no, tables above. */
	vmsa_tlbi_t r3 = mk_op(VMSA_TLBI_RVAAE1,
			       vmsa_tlbi_range(0x200000, 0, K4, 0, 1, 3), EL10, 1);
	CHECK(vmsa_tlbi_matches(&r3, (e = page(0x202000, 9, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&r3, (e = block2m(0x200000, 9, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&r3, (e = table(0x200000, 2, 9, S1), &e)));
	/* Last-level range: no tables. */
	vmsa_tlbi_t rl = mk_op(VMSA_TLBI_RVALE1,
			       vmsa_tlbi_range(0x200000, 5, K4, 0, 1, -1), EL10, 1);
	CHECK(!vmsa_tlbi_matches(&rl, (e = table(0x200000, 2, 5, S1), &e)));
	CHECK(vmsa_tlbi_matches(&rl, (e = page(0x200000, 5, false, S1), &e)));

	/* RIPAS2E1: stage-2 entries in range, not combined ones. */
	vmsa_tlbi_t ri = mk_op(VMSA_TLBI_RIPAS2E1,
			       vmsa_tlbi_range(0x80000000, 0, K4, 1, 0, -1), EL10, 1);
	CHECK_EQ(ri.arg.size, 0x40000);
	CHECK(vmsa_tlbi_matches(&ri, (e = page(0x8003f000, 0, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&ri, (e = page(0x80040000, 0, false, S2), &e)));
	CHECK(!vmsa_tlbi_matches(&ri, (e = page(0x80000000, 0, false, S12), &e)));
}

TEST(tlbi_match_ttbr1_addresses)
{
	uint64_t va = 0xffff000000400000ull;
	vmsa_tlbi_t t = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(va, 5, K4, -1), EL10, 1);
	vmsa_tlb_tag_t e = page(va, 5, false, S1);

	CHECK(vmsa_tlbi_matches(&t, &e));
	/* An entry address carrying a TBI tag or only bits [55:0]. */
	e.ia = 0x00ff000000400000ull;
	CHECK(vmsa_tlbi_matches(&t, &e));
	e.ia = 0x3cff000000400000ull;
	CHECK(vmsa_tlbi_matches(&t, &e));
	/* The TTBR0 address with the same low bits is another address. */
	e.ia = 0x0000000000400000ull;
	CHECK(!vmsa_tlbi_matches(&t, &e));

	/* A range at the top of TTBR1 does not wrap into TTBR0. */
	vmsa_tlbi_t top = mk_op(VMSA_TLBI_RVAE1,
				vmsa_tlbi_range(0xffffffffffffe000ull, 5, K4, 0, 31, -1),
				EL10, 1);
	CHECK_EQ(top.arg.addr, 0xffffffffffffe000ull);
	CHECK(vmsa_tlbi_matches(&top, (e = page(0xfffffffffffff000ull, 5, false, S1), &e)));
	CHECK(vmsa_tlbi_matches(&top, (e = block2m(0xffffffffffe00000ull, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&top, (e = page(0, 5, false, S1), &e)));
	CHECK(!vmsa_tlbi_matches(&top, (e = page(0x1000, 5, true, S1), &e)));
}

TEST(tlbi_match_el2_regimes)
{
	vmsa_tlb_tag_t e = page(0x400000, 3, false, S1);
	vmsa_tlbi_t vae2, vale2, host;

	e.regime = VMSA_REGIME_EL2;
	e.vmid = 0;
	/* EL2 has no ASIDs: every entry is global (RSHVGC). */
	vae2 = mk_op(VMSA_TLBI_VAE2, vmsa_tlbi_va(0x400000, 9, K4, -1),
		     vmsa_tlbi_regime(VMSA_TLBI_VAE2, 2, 0), 7);
	CHECK_EQ(vae2.regime, VMSA_REGIME_EL2);
	CHECK(vmsa_tlbi_matches(&vae2, &e));
	e.leaf = false;
	e.level = 2;
	e.size = 0x200000;
	CHECK(vmsa_tlbi_matches(&vae2, &e));
	vale2 = mk_op(VMSA_TLBI_VALE2, vmsa_tlbi_va(0x400000, 9, K4, -1),
		      VMSA_REGIME_EL2, 0);
	CHECK(!vmsa_tlbi_matches(&vale2, &e));

	/* EL2&0 (E2H = 1) has ASIDs. */
	e = page(0x400000, 4, false, S1);
	e.regime = VMSA_REGIME_EL20;
	vae2 = mk_op(VMSA_TLBI_VAE2, vmsa_tlbi_va(0x400000, 3, K4, -1),
		     vmsa_tlbi_regime(VMSA_TLBI_VAE2, 2, VMSA_HCR_E2H), 0);
	CHECK_EQ(vae2.regime, VMSA_REGIME_EL20);
	CHECK(!vmsa_tlbi_matches(&vae2, &e));
	e.asid = 3;
	CHECK(vmsa_tlbi_matches(&vae2, &e));

	/* VAE1 at EL2 with E2H = TGE = 1 targets EL2&0, not EL1&0; the
	 * VMID does not apply there. */
	host = mk_op(VMSA_TLBI_VAE1, vmsa_tlbi_va(0x400000, 3, K4, -1),
		     vmsa_tlbi_regime(VMSA_TLBI_VAE1, 2,
				      VMSA_HCR_E2H | VMSA_HCR_TGE), 42);
	CHECK(vmsa_tlbi_matches(&host, &e));
	e.regime = EL10;
	CHECK(!vmsa_tlbi_matches(&host, &e));
}
