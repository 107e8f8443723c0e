/*
 * src/arch/memattr.c - memory types, cacheability and shareability.
 *
 * Decodes stage-1 attributes (MAIR_ELx byte + descriptor SH) and stage-2
 * attributes (MemAttr[3:0] + SH), and combines the two stages with and
 * without FEAT_S2FWB. vmsa models no allocation hints, transient hints,
 * XS or Tagged attributes: only what the cache model and the
 * break-before-make rule need (type, inner/outer cacheability, SH).
 *
 * References: Arm ARM (DDI 0487) D8.6 (memory region attributes),
 * D24.2.127 (MAIR_EL1), K1.2.19 (reserved values).
 *
 * Choices where the manual leaves freedom (all documented in docs/arch.md):
 *  - UNPREDICTABLE MAIR encodings and reserved stage-2 MemAttr encodings
 *    decode as Device-nGnRnE. K1.2.19 lets a reserved value behave as any
 *    allocated value; the most restrictive type is the one that exposes
 *    the most (no caching, no gathering), so a scenario that relies on a
 *    reserved encoding cannot pass by luck.
 *  - A reserved SH value (0b01) is taken as Outer Shareable (K1.2.19).
 *  - For Device and Normal Non-cacheable stage-1 mappings, the
 *    shareability input to stage 2 is the normalised Outer Shareable
 *    (the IMPLEMENTATION DEFINED choice of RNSCNC).
 *  - FEAT_MTE_PERM is not modelled: with FWB, MemAttr[3] is ignored
 *    (RES0), and MemAttr 0b0100 without FWB is reserved.
 */
#include <stdio.h>

#include "vmsa/arch.h"

static vmsa_memattr_t device_attr(vmsa_mem_type_t type)
{
	vmsa_memattr_t a = {
		.type = type,
		.inner = VMSA_CACHE_NC,
		.outer = VMSA_CACHE_NC,
		.sh = VMSA_SH_OSH,
	};
	return a;
}

/*
 * RPYFVQ / RYHCTP: Device and Normal Inner+Outer Non-cacheable are Outer
 * Shareable whatever SH says. SH = 0b01 is reserved (RZWYSH, RDNZJQ);
 * K1.2.19 lets it behave as an allocated value: we pick Outer Shareable.
 */
static unsigned sh_field(unsigned sh)
{
	sh &= 3;
	return sh == 1 ? VMSA_SH_OSH : sh;
}

static unsigned normalise_sh(const vmsa_memattr_t *a, unsigned sh)
{
	if (a->type != VMSA_MT_NORMAL)
		return VMSA_SH_OSH;
	if (a->inner == VMSA_CACHE_NC && a->outer == VMSA_CACHE_NC)
		return VMSA_SH_OSH;
	return sh_field(sh);
}

static vmsa_memattr_t normal_attr(vmsa_cacheability_t outer,
				  vmsa_cacheability_t inner, unsigned sh)
{
	vmsa_memattr_t a = {
		.type = VMSA_MT_NORMAL,
		.inner = inner,
		.outer = outer,
	};
	a.sh = normalise_sh(&a, sh);
	return a;
}

bool vmsa_memattr_cacheable(const vmsa_memattr_t *a)
{
	return a->type == VMSA_MT_NORMAL && a->inner == VMSA_CACHE_WB &&
	       a->outer == VMSA_CACHE_WB;
}

/*
 * One MAIR 'oooo' or 'iiii' nibble, known to be non-zero (D24.2.127):
 * 0b00RW (RW != 00) Write-Through transient, 0b0100 Non-cacheable,
 * 0b01RW (RW != 00) Write-Back transient, 0b10RW Write-Through,
 * 0b11RW Write-Back. Allocation and transient hints do not matter to
 * vmsa: only the cacheability is kept.
 */
static vmsa_cacheability_t mair_nibble(unsigned nib)
{
	if (nib == 0x4)
		return VMSA_CACHE_NC;
	switch (nib >> 2) {
	case 0: /* 0b00RW */
	case 2: /* 0b10RW */
		return VMSA_CACHE_WT;
	default: /* 0b01RW, 0b11RW */
		return VMSA_CACHE_WB;
	}
}

/*
 * An 8-bit MAIR Attr<n> field (D24.2.127, IFVLFZ):
 *   0b0000dd00  Device, dd = nGnRnE / nGnRE / nGRE / GRE
 *   0b0000dd01  Device with XS = 0 (FEAT_XS); vmsa has no XS attribute,
 *               so it decodes as the same Device type
 *   0b0000dd1x  UNPREDICTABLE
 *   0booooiiii  Normal, oooo and iiii both non-zero
 *   0b01000000  Normal Inner+Outer Non-cacheable, XS = 0 (FEAT_XS)
 *   0b10100000  Normal Inner+Outer Write-Through, XS = 0 (FEAT_XS)
 *   0b11110000  Tagged Normal Inner+Outer Write-Back (FEAT_MTE2)
 *   0bxxxx0000  any other xxxx != 0: UNPREDICTABLE
 * The three FEAT_XS / FEAT_MTE2 forms decode as the Normal type they
 * name (vmsa has neither XS nor tags); UNPREDICTABLE values decode as
 * Device-nGnRnE.
 */
static vmsa_memattr_t mair_decode(unsigned attr, unsigned sh)
{
	unsigned hi = (attr >> 4) & 0xf, lo = attr & 0xf;

	if (hi == 0) {
		if (lo & 0x2)
			return device_attr(VMSA_MT_DEVICE_nGnRnE);
		return device_attr((vmsa_mem_type_t)(lo >> 2));
	}
	if (lo == 0) {
		switch (hi) {
		case 0x4:
			return normal_attr(VMSA_CACHE_NC, VMSA_CACHE_NC, sh);
		case 0xa:
			return normal_attr(VMSA_CACHE_WT, VMSA_CACHE_WT, sh);
		case 0xf:
			return normal_attr(VMSA_CACHE_WB, VMSA_CACHE_WB, sh);
		default:
			return device_attr(VMSA_MT_DEVICE_nGnRnE);
		}
	}
	return normal_attr(mair_nibble(hi), mair_nibble(lo), sh);
}

/* RHHGNL: without FEAT_AIE, AttrIndx[2:0] selects MAIR_ELx.Attr<n>. */
vmsa_memattr_t vmsa_memattr_s1(uint64_t mair, unsigned attr_indx, unsigned sh)
{
	unsigned n = attr_indx & 7;

	return mair_decode((unsigned)(mair >> (8 * n)) & 0xff, sh);
}

/*
 * A 2-bit stage-2 cacheability field (Table D8-96): MemAttr[3:2] is the
 * outer and MemAttr[1:0] the inner cacheability of Normal memory, both
 * encoded 0b01 NC, 0b10 WT, 0b11 WB. 0b00 as the inner half is reserved.
 */
static vmsa_cacheability_t s2_cache_field(unsigned f)
{
	switch (f & 3) {
	case 1:
		return VMSA_CACHE_NC;
	case 2:
		return VMSA_CACHE_WT;
	default:
		return VMSA_CACHE_WB;
	}
}

/*
 * RHMNDG, Table D8-96 (FWB = 0). MemAttr[3:2] = 0b00 is Device with
 * MemAttr[1:0] = dd, except 0b0100 (Normal NoTagAccess with FEAT_MTE_PERM,
 * which vmsa does not model: reserved). 0b1000 and 0b1100 are reserved.
 * Reserved encodings decode as Device-nGnRnE (K1.2.19).
 */
vmsa_memattr_t vmsa_memattr_s2(unsigned memattr, unsigned sh)
{
	unsigned outer = (memattr >> 2) & 3, inner = memattr & 3;

	if (outer == 0)
		return device_attr((vmsa_mem_type_t)inner);
	if (inner == 0)
		return device_attr(VMSA_MT_DEVICE_nGnRnE);
	return normal_attr(s2_cache_field(outer), s2_cache_field(inner), sh);
}

/*
 * Table D8-103: the more shareable of the two stages (OSH > ISH > NSH).
 */
static unsigned combine_sh(unsigned s1, unsigned s2)
{
	s1 = sh_field(s1);
	s2 = sh_field(s2);
	if (s1 == VMSA_SH_OSH || s2 == VMSA_SH_OSH)
		return VMSA_SH_OSH;
	if (s1 == VMSA_SH_ISH || s2 == VMSA_SH_ISH)
		return VMSA_SH_ISH;
	return VMSA_SH_NSH;
}

/*
 * Combine two decoded attributes without FWB. The enums are ordered from
 * most to least restrictive, so "the stronger one" is the smaller value:
 * Table D8-97 (Device beats Normal; nG beats G, nR beats R, nE beats E)
 * and Table D8-98 (NC beats WT beats WB, inner and outer separately).
 * A stage-2 Normal WB/WB therefore leaves stage 1's type and cacheability
 * as they are (IMCQKW).
 */
static vmsa_memattr_t combine_attrs(const vmsa_memattr_t *s1,
				    const vmsa_memattr_t *s2)
{
	vmsa_memattr_t r;
	unsigned sh = combine_sh(s1->sh, s2->sh);

	if (s1->type != VMSA_MT_NORMAL || s2->type != VMSA_MT_NORMAL)
		return device_attr(s1->type < s2->type ? s1->type : s2->type);

	r.type = VMSA_MT_NORMAL;
	r.inner = s1->inner < s2->inner ? s1->inner : s2->inner;
	r.outer = s1->outer < s2->outer ? s1->outer : s2->outer;
	r.sh = normalise_sh(&r, sh);
	return r;
}

/*
 * FEAT_S2FWB (D8.6.6, RRHWZM, Table D8-101; Table D8-100 for Device).
 * MemAttr[3] is RES0 without FEAT_MTE_PERM and is ignored here.
 *   MemAttr[2] = 0: Device<MemAttr[1:0]>, combined with stage 1 as
 *                   without FWB (RGSDKZ).
 *   0b100: reserved -> Device-nGnRnE, combined likewise (K1.2.19).
 *   0b101: Normal Non-cacheable, unless stage 1 is Device (kept).
 *   0b110: Normal Write-Back, whatever stage 1 says (even Device).
 *   0b111: stage 1's type and cacheability.
 * Shareability is combined as without FWB (ICGGBV). For a Device or NC
 * stage 1 forced to Write-Back, stage 1 contributes Outer Shareable: the
 * normalised value is the one input to stage 2 (our RNSCNC choice).
 */
static vmsa_memattr_t combine_fwb(const vmsa_memattr_t *s1,
				  unsigned s2_memattr, unsigned s2_sh)
{
	unsigned m = s2_memattr & 7;
	vmsa_memattr_t s2;

	switch (m) {
	case 4:
		s2 = device_attr(VMSA_MT_DEVICE_nGnRnE);
		break;
	case 5:
		if (s1->type != VMSA_MT_NORMAL)
			return device_attr(s1->type);
		return normal_attr(VMSA_CACHE_NC, VMSA_CACHE_NC, s2_sh);
	case 6:
		return normal_attr(VMSA_CACHE_WB, VMSA_CACHE_WB,
				   combine_sh(normalise_sh(s1, s1->sh), s2_sh));
	case 7:
		/* A stage-2 WB/WB never weakens stage 1 (as IMCQKW). */
		s2 = normal_attr(VMSA_CACHE_WB, VMSA_CACHE_WB, s2_sh);
		break;
	default:
		s2 = device_attr((vmsa_mem_type_t)(m & 3));
		break;
	}
	return combine_attrs(s1, &s2);
}

vmsa_memattr_t vmsa_memattr_combine(const vmsa_memattr_t *s1,
				    unsigned s2_memattr, unsigned s2_sh,
				    bool fwb)
{
	vmsa_memattr_t s2;

	if (fwb)
		return combine_fwb(s1, s2_memattr, s2_sh);
	/* RQPHXK: FWB = 0, the two stages are combined. */
	s2 = vmsa_memattr_s2(s2_memattr, s2_sh);
	return combine_attrs(s1, &s2);
}

static const char *cache_name(vmsa_cacheability_t c)
{
	switch (c) {
	case VMSA_CACHE_NC:
		return "NC";
	case VMSA_CACHE_WT:
		return "WT";
	case VMSA_CACHE_WB:
		return "WB";
	}
	return "??";
}

static const char *sh_name(unsigned sh)
{
	static const char *const names[4] = { "NSH", "SH=01", "OSH", "ISH" };

	return names[sh & 3];
}

static const char *device_name(vmsa_mem_type_t t)
{
	switch (t) {
	case VMSA_MT_DEVICE_nGnRnE:
		return "Device-nGnRnE";
	case VMSA_MT_DEVICE_nGnRE:
		return "Device-nGnRE";
	case VMSA_MT_DEVICE_nGRE:
		return "Device-nGRE";
	case VMSA_MT_DEVICE_GRE:
		return "Device-GRE";
	default:
		return "Device-?";
	}
}

/*
 * "Device-nGnRE" (Device is always Outer Shareable: no SH shown),
 * "NormalWB ISH" when inner and outer agree, else
 * "Normal(o=WB,i=NC) OSH".
 */
int vmsa_memattr_format(char *buf, size_t size, const vmsa_memattr_t *a)
{
	if (a->type != VMSA_MT_NORMAL)
		return snprintf(buf, size, "%s", device_name(a->type));
	if (a->inner == a->outer)
		return snprintf(buf, size, "Normal%s %s", cache_name(a->inner),
				sh_name(a->sh));
	return snprintf(buf, size, "Normal(o=%s,i=%s) %s", cache_name(a->outer),
			cache_name(a->inner), sh_name(a->sh));
}
