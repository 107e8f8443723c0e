/*
 * src/arch/tlbi.c - TLB maintenance operations: names, where they may be
 * executed, which regime and shareability domain they apply to, and the
 * register operand (Xt) layout.
 *
 * Which cached entries an operation must remove is in tlbi_match.c.
 * References are to the Arm ARM (DDI 0487 M.a.a): D8.17.5 and the
 * per-instruction pages in C5.5 (TLBI VAE1, TLBI RVAE1, TLBI IPAS2E1 ...).
 *
 * Assumptions (features vmsa does not model):
 * - FEAT_TLBIOS is implemented: the OS forms are never UNDEFINED here.
 *   ID_AA64ISAR0_EL1.TLB = 0b0010 (FEAT_TLBIRANGE) implies it anyway.
 * - EL2 is implemented and enabled, Non-secure state, no FEAT_LPA2, no
 *   FEAT_D128, no FEAT_NV (ALLE1 & co. are UNDEFINED at EL1, not trapped),
 *   no HCR_EL2.TTLB/FGT traps.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vmsa/arch.h"

/* Static facts, one row per type, indexed by vmsa_tlbi_type_t. */
static const vmsa_tlbi_info_t tlbi_table[VMSA_TLBI_N_TYPES] = {
	/* { name, scope, el, last_level, range, has_operand } */
	[VMSA_TLBI_VMALLE1] = { "VMALLE1", VMSA_TLBI_SCOPE_VMALL, 1, false, false, false },
	[VMSA_TLBI_VAE1] = { "VAE1", VMSA_TLBI_SCOPE_VA, 1, false, false, true },
	[VMSA_TLBI_ASIDE1] = { "ASIDE1", VMSA_TLBI_SCOPE_ASID, 1, false, false, true },
	[VMSA_TLBI_VAAE1] = { "VAAE1", VMSA_TLBI_SCOPE_VAA, 1, false, false, true },
	[VMSA_TLBI_VALE1] = { "VALE1", VMSA_TLBI_SCOPE_VA, 1, true, false, true },
	[VMSA_TLBI_VAALE1] = { "VAALE1", VMSA_TLBI_SCOPE_VAA, 1, true, false, true },
	[VMSA_TLBI_RVAE1] = { "RVAE1", VMSA_TLBI_SCOPE_VA, 1, false, true, true },
	[VMSA_TLBI_RVAAE1] = { "RVAAE1", VMSA_TLBI_SCOPE_VAA, 1, false, true, true },
	[VMSA_TLBI_RVALE1] = { "RVALE1", VMSA_TLBI_SCOPE_VA, 1, true, true, true },
	[VMSA_TLBI_RVAALE1] = { "RVAALE1", VMSA_TLBI_SCOPE_VAA, 1, true, true, true },
	[VMSA_TLBI_IPAS2E1] = { "IPAS2E1", VMSA_TLBI_SCOPE_IPAS2, 1, false, false, true },
	[VMSA_TLBI_IPAS2LE1] = { "IPAS2LE1", VMSA_TLBI_SCOPE_IPAS2, 1, true, false, true },
	[VMSA_TLBI_RIPAS2E1] = { "RIPAS2E1", VMSA_TLBI_SCOPE_IPAS2, 1, false, true, true },
	[VMSA_TLBI_RIPAS2LE1] = { "RIPAS2LE1", VMSA_TLBI_SCOPE_IPAS2, 1, true, true, true },
	[VMSA_TLBI_VMALLS12E1] = { "VMALLS12E1", VMSA_TLBI_SCOPE_VMALLS12, 1, false, false, false },
	[VMSA_TLBI_ALLE1] = { "ALLE1", VMSA_TLBI_SCOPE_ALL, 1, false, false, false },
	[VMSA_TLBI_ALLE2] = { "ALLE2", VMSA_TLBI_SCOPE_ALL, 2, false, false, false },
	[VMSA_TLBI_VAE2] = { "VAE2", VMSA_TLBI_SCOPE_VA, 2, false, false, true },
	[VMSA_TLBI_VALE2] = { "VALE2", VMSA_TLBI_SCOPE_VA, 2, true, false, true },
	[VMSA_TLBI_RVAE2] = { "RVAE2", VMSA_TLBI_SCOPE_VA, 2, false, true, true },
	[VMSA_TLBI_RVALE2] = { "RVALE2", VMSA_TLBI_SCOPE_VA, 2, true, true, true },
};

const vmsa_tlbi_info_t *vmsa_tlbi_info(vmsa_tlbi_type_t t)
{
	if ((unsigned)t >= VMSA_TLBI_N_TYPES)
		return NULL;
	return &tlbi_table[t];
}

/* ---------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------- */

static const char *const sh_suffix[] = {
	[VMSA_TLBI_NSH] = "", [VMSA_TLBI_IS] = "IS", [VMSA_TLBI_OS] = "OS",
};

/* Longest accepted operation name: "RIPAS2LE1OSNXS" is 14 characters. */
#define TLBI_NAME_MAX 24

static bool strip_suffix(char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	if (n <= k || strcmp(name + n - k, suffix) != 0)
		return false;
	name[n - k] = '\0';
	return true;
}

/* Split an upper-case name into {R}<type><regime>, <IS|OS|> and {NXS}
 * (the operation structure of D8.17.5, IDMCXY) and look the base up. */
static int parse_name(char *name, vmsa_tlbi_op_t *op)
{
	op->nxs = strip_suffix(name, "NXS");
	if (strip_suffix(name, "IS"))
		op->sh = VMSA_TLBI_IS;
	else if (strip_suffix(name, "OS"))
		op->sh = VMSA_TLBI_OS;
	else
		op->sh = VMSA_TLBI_NSH;

	for (unsigned t = 0; t < VMSA_TLBI_N_TYPES; t++) {
		if (strcmp(name, tlbi_table[t].name) == 0) {
			op->type = (vmsa_tlbi_type_t)t;
			return 0;
		}
	}
	return -1;
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Parse "xN" (N = 0..30) or "xzr", case-insensitive. Returns the
 * character after it, or NULL. */
static const char *parse_xreg(const char *s)
{
	unsigned n = 0, digits = 0;

	if (tolower((unsigned char)*s) != 'x')
		return NULL;
	s++;
	if (tolower((unsigned char)s[0]) == 'z' &&
	    tolower((unsigned char)s[1]) == 'r')
		return s + 2;
	while (isdigit((unsigned char)*s) && digits < 3) {
		n = n * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || n > 30 || isalnum((unsigned char)*s))
		return NULL;
	return s;
}

int vmsa_tlbi_parse(const char *s, vmsa_tlbi_op_t *op)
{
	char name[TLBI_NAME_MAX + 1];
	vmsa_tlbi_op_t out;
	bool has_reg = false;
	size_t n = 0;

	if (!s || !op)
		return -EINVAL;
	s = skip_space(s);
	if (strncasecmp(s, "tlbi", 4) == 0 && isspace((unsigned char)s[4]))
		s = skip_space(s + 4);

	while (isalnum((unsigned char)*s)) {
		if (n == TLBI_NAME_MAX)
			return -EINVAL;
		name[n++] = (char)toupper((unsigned char)*s++);
	}
	name[n] = '\0';
	if (n == 0)
		return -EINVAL;

	s = skip_space(s);
	if (*s == ',') {
		s = parse_xreg(skip_space(s + 1));
		if (!s)
			return -EINVAL;
		s = skip_space(s);
		has_reg = true;
	}
	if (*s != '\0' || parse_name(name, &out) != 0)
		return -EINVAL;
	/* Assemblers reject a register for the operations without one (the
	 * manual makes a non-XZR Rt CONSTRAINED UNPREDICTABLE). */
	if (has_reg && !tlbi_table[out.type].has_operand)
		return -EINVAL;
	*op = out;
	return 0;
}

int vmsa_tlbi_format(char *buf, size_t size, vmsa_tlbi_op_t op)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(op.type);
	char name[TLBI_NAME_MAX + 1];
	size_t i;

	if (!info || (unsigned)op.sh > VMSA_TLBI_OS)
		return snprintf(buf, size, "tlbi ?");
	snprintf(name, sizeof(name), "%s%s%s", info->name, sh_suffix[op.sh],
		 op.nxs ? "NXS" : "");
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	return snprintf(buf, size, "tlbi %s", name);
}

/* ---------------------------------------------------------------------
 * Where an operation may run, and what it applies to
 * ------------------------------------------------------------------- */

/* The *E1 operations that are really EL2 instructions: UNDEFINED at EL1
 * unless HCR_EL2.NV traps them (C5.5 TLBI ALLE1, IPAS2E1, RIPAS2E1,
 * VMALLS12E1 pseudocode), and always applied to EL1&0. */
static bool is_el2_only_e1(vmsa_tlbi_type_t t)
{
	switch (t) {
	case VMSA_TLBI_IPAS2E1:
	case VMSA_TLBI_IPAS2LE1:
	case VMSA_TLBI_RIPAS2E1:
	case VMSA_TLBI_RIPAS2LE1:
	case VMSA_TLBI_VMALLS12E1:
	case VMSA_TLBI_ALLE1:
		return true;
	default:
		return false;
	}
}

bool vmsa_tlbi_allowed(vmsa_tlbi_op_t op, unsigned el, bool feat_tlbirange,
		       bool feat_xs)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(op.type);

	if (!info || (unsigned)op.sh > VMSA_TLBI_OS)
		return false;
	/* All TLBIs are UNDEFINED at EL0; vmsa has no EL3. */
	if (el != 1 && el != 2)
		return false;
	if (info->range && !feat_tlbirange)
		return false;
	if (op.nxs && !feat_xs)
		return false;
	/* A <regime> above the current EL is UNDEFINED (IYKBMJ). */
	if (el == 1 && (info->el == 2 || is_el2_only_e1(op.type)))
		return false;
	return true;
}

vmsa_tlbi_shareability_t vmsa_tlbi_effective_sh(vmsa_tlbi_op_t op,
						unsigned el, uint64_t hcr)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(op.type);

	/* HCR_EL2.FB turns the local *E1 operations executed at EL1 into
	 * Inner Shareable ones ("Broadcast_ForcedISH" in the pseudocode of
	 * TLBI VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 and RVA*E1). The
	 * OS forms stay OS; the others are UNDEFINED at EL1. */
	if (info && el == 1 && info->el == 1 && op.sh == VMSA_TLBI_NSH &&
	    !is_el2_only_e1(op.type) && (hcr & VMSA_HCR_FB))
		return VMSA_TLBI_IS;
	return op.sh;
}

vmsa_regime_t vmsa_tlbi_regime(vmsa_tlbi_type_t t, unsigned el, uint64_t hcr)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t);
	bool e2h = (hcr & VMSA_HCR_E2H) != 0;
	bool tge = (hcr & VMSA_HCR_TGE) != 0;

	if (!info)
		return VMSA_REGIME_EL10;
	/* *E2: EL2&0 or EL2 by the Effective value of E2H (RVMSWQ). */
	if (info->el == 2)
		return e2h ? VMSA_REGIME_EL20 : VMSA_REGIME_EL2;
	if (is_el2_only_e1(t))
		return VMSA_REGIME_EL10;
	/* VMALL, ASID, VA, VAA with E1: EL2&0 when executed at EL2 with
	 * {E2H, TGE} = {1, 1} (D8.17.5.4, RZSXRQ; ELIsInHost(EL0)). */
	if (el == 2 && e2h && tge)
		return VMSA_REGIME_EL20;
	return VMSA_REGIME_EL10;
}

/* ---------------------------------------------------------------------
 * The register operand
 * ------------------------------------------------------------------- */

#define BITS(x, hi, lo) (((x) >> (lo)) & ((1ull << ((hi) - (lo) + 1)) - 1))

static unsigned granule_shift(vmsa_granule_t g)
{
	return 12 + 2 * (unsigned)g;
}

/* Sign-extend x from bit `top`. */
static uint64_t sext(uint64_t x, unsigned top)
{
	unsigned sh = 63 - top;

	return (uint64_t)((int64_t)(x << sh) >> sh);
}

/* The 4-bit TTL of the single-address forms (Table D8-123, C5.5 TLBI
 * VAE1 TTL field). TTL[3:2] is the granule, TTL[1:0] the leaf level.
 * Reserved values mean "no hint": 4K level 0 and 16K level 1 exist only
 * with FEAT_LPA2, which vmsa does not implement; 16K and 64K level 0
 * are reserved. */
static void decode_ttl4(unsigned ttl, vmsa_tlbi_arg_t *a)
{
	unsigned tg = ttl >> 2, lvl = ttl & 3;

	if (tg == 0 || lvl == 0 || (tg == 2 && lvl == 1))
		return;
	a->ttl_valid = true;
	a->ttl_level = (int)lvl;
	a->ttl_granule = (vmsa_granule_t)(tg - 1);
}

/* The 2-bit TTL of the range forms (Table D8-124): 0b00 no hint, else
 * the leaf level; 16K level 1 is reserved without FEAT_LPA2. */
static void decode_ttl2(unsigned ttl, vmsa_tlbi_arg_t *a)
{
	if (ttl == 0 || (a->ttl_granule == VMSA_GRANULE_16K && ttl == 1))
		return;
	a->ttl_valid = true;
	a->ttl_level = (int)ttl;
}

/* Range forms: TG [47:46], SCALE [45:44], NUM [43:39], TTL [38:37],
 * BaseADDR [36:0] (IQPHNP; D8.17.5.2). BaseADDR holds address bits
 * [36+shift:shift] for the granule (4K: [48:12], 16K: [50:14], 64K:
 * [52:16]). For VAs its top bit is taken as the sign, the way the
 * VMSAv9-128 form extends BaseADDR[52] upwards (ILHQBV), so a TTBR1
 * base decodes to its 64-bit address; IPAs are not extended. */
static void decode_range(uint64_t xt, bool is_va, vmsa_tlbi_arg_t *a)
{
	unsigned tg = (unsigned)BITS(xt, 47, 46);
	unsigned scale = (unsigned)BITS(xt, 45, 44);
	unsigned num = (unsigned)BITS(xt, 43, 39);
	unsigned shift;

	/* TG = 0b00 is reserved (Table D8-122): no granule, no range. */
	if (tg == 0)
		return;
	a->range_valid = true;
	a->ttl_granule = (vmsa_granule_t)(tg - 1);
	shift = granule_shift(a->ttl_granule);
	a->addr = BITS(xt, 36, 0) << shift;
	if (is_va)
		a->addr = sext(a->addr, 36 + shift);
	a->size = ((uint64_t)num + 1) << (5 * scale + 1 + shift);
	decode_ttl2((unsigned)BITS(xt, 38, 37), a);
}

vmsa_tlbi_arg_t vmsa_tlbi_decode(vmsa_tlbi_type_t t, uint64_t xt)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t);
	vmsa_tlbi_arg_t a = { .ttl_level = -1, .ttl_granule = VMSA_GRANULE_4K };

	if (!info || !info->has_operand)
		return a;

	switch (info->scope) {
	case VMSA_TLBI_SCOPE_ASID:
		/* ASID [63:48]; [47:0] RES0. */
		a.asid = (uint16_t)BITS(xt, 63, 48);
		return a;
	case VMSA_TLBI_SCOPE_IPAS2:
		/* NS [63]; TTL [47:44]; IPA[51:12] in [39:0] (ICPNYZ). */
		a.ns = (xt >> 63) != 0;
		if (info->range) {
			decode_range(xt, false, &a);
		} else {
			a.addr = BITS(xt, 39, 0) << 12;
			decode_ttl4((unsigned)BITS(xt, 47, 44), &a);
		}
		return a;
	case VMSA_TLBI_SCOPE_VA:
		a.asid = (uint16_t)BITS(xt, 63, 48);
		/* fall through */
	case VMSA_TLBI_SCOPE_VAA:
		/* VAA: [63:48] RES0, not an ASID. */
		if (info->range) {
			decode_range(xt, true, &a);
		} else {
			/* VA[55:12] in [43:0], VA[63:56] taken as copies of
			 * VA[55] (IZVNJG, RJGGKN). The low bits of the field
			 * that a 16K or 64K granule ignores (IHQTLK) are kept:
			 * entries are granule-aligned, so they cannot change
			 * a match. */
			a.addr = vmsa_va_canonical(BITS(xt, 43, 0) << 12);
			decode_ttl4((unsigned)BITS(xt, 47, 44), &a);
		}
		return a;
	default:
		return a;
	}
}

/* TTL[3:2] for a granule, TTL[1:0] the level; anything not encodable
 * (a negative level or above 3) gives "no hint". */
static uint64_t encode_ttl4(vmsa_granule_t g, int level)
{
	if (level < 0 || level > 3)
		return 0;
	return ((uint64_t)((unsigned)g + 1) << 2) | (unsigned)level;
}

uint64_t vmsa_tlbi_va(uint64_t va, uint16_t asid, vmsa_granule_t g,
		      int ttl_level)
{
	/* Address bits below the granule are RES0 in the field (IHQTLK). */
	uint64_t field = BITS(va, 55, 12) & ~((1ull << (2 * (unsigned)g)) - 1);

	return ((uint64_t)asid << 48) | (encode_ttl4(g, ttl_level) << 44) | field;
}

uint64_t vmsa_tlbi_ipa(vmsa_ipa_t ipa, vmsa_granule_t g, int ttl_level)
{
	uint64_t field = BITS(ipa, 51, 12) & ~((1ull << (2 * (unsigned)g)) - 1);

	return (encode_ttl4(g, ttl_level) << 44) | field;
}

uint64_t vmsa_tlbi_range(uint64_t base, uint16_t asid, vmsa_granule_t g,
			 unsigned scale, unsigned num, int ttl_level)
{
	unsigned shift = granule_shift(g);
	uint64_t ttl = (ttl_level >= 1 && ttl_level <= 3) ? (unsigned)ttl_level : 0;

	return ((uint64_t)asid << 48) | ((uint64_t)((unsigned)g + 1) << 46) |
	       ((uint64_t)(scale & 3) << 44) | ((uint64_t)(num & 31) << 39) |
	       (ttl << 37) | BITS(base >> shift, 36, 0);
}
