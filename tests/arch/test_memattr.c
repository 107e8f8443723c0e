/*
 * tests/arch/test_memattr.c - memory attribute decoding and combining
 * (src/arch/memattr.c; Arm ARM D8.6, D24.2.127 MAIR_EL1).
 */
#include "harness.h"
#include "vmsa/arch.h"

/* MAIR with `attr` in slot `n` and garbage (0xee) elsewhere, so that a
 * wrong index shows up as a wrong result. */
static uint64_t mair_with(unsigned n, unsigned attr)
{
	uint64_t mair = 0xeeeeeeeeeeeeeeeeull;

	mair &= ~(0xffull << (8 * n));
	return mair | ((uint64_t)attr << (8 * n));
}

static const char *fmt(const vmsa_memattr_t *a)
{
	static char buf[64];

	vmsa_memattr_format(buf, sizeof(buf), a);
	return buf;
}

static const char *s1_fmt(unsigned attr, unsigned sh)
{
	vmsa_memattr_t a = vmsa_memattr_s1(mair_with(5, attr), 5, sh);

	return fmt(&a);
}

#define CHECK_ATTR(a, t, o, i, s)                  \
	do {                                       \
		vmsa_memattr_t ca_ = (a);          \
		CHECK_EQ(ca_.type, (t));           \
		CHECK_EQ(ca_.outer, (o));          \
		CHECK_EQ(ca_.inner, (i));          \
		CHECK_EQ(ca_.sh, (s));             \
	} while (0)

#define NC VMSA_CACHE_NC
#define WT VMSA_CACHE_WT
#define WB VMSA_CACHE_WB
#define NORMAL VMSA_MT_NORMAL

TEST(mair_device_encodings)
{
	/* 0b0000dd00, every dd; SH is ignored: Device is Outer Shareable. */
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0x00), 0, VMSA_SH_ISH),
		   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(1, 0x04), 1, VMSA_SH_NSH),
		   VMSA_MT_DEVICE_nGnRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(2, 0x08), 2, VMSA_SH_ISH),
		   VMSA_MT_DEVICE_nGRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(7, 0x0c), 7, VMSA_SH_ISH),
		   VMSA_MT_DEVICE_GRE, NC, NC, VMSA_SH_OSH);
	/* 0b0000dd01: FEAT_XS Device with XS = 0: same Device type. */
	CHECK_ATTR(vmsa_memattr_s1(mair_with(3, 0x01), 3, 0),
		   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(3, 0x05), 3, 0),
		   VMSA_MT_DEVICE_nGnRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(3, 0x0d), 3, 0),
		   VMSA_MT_DEVICE_GRE, NC, NC, VMSA_SH_OSH);
	CHECK_STR(s1_fmt(0x00, VMSA_SH_ISH), "Device-nGnRnE");
	CHECK_STR(s1_fmt(0x04, VMSA_SH_ISH), "Device-nGnRE");
	CHECK_STR(s1_fmt(0x08, VMSA_SH_ISH), "Device-nGRE");
	CHECK_STR(s1_fmt(0x0c, VMSA_SH_ISH), "Device-GRE");
}

TEST(mair_unpredictable_is_device_ngnrne)
{
	/* 0b0000dd1x and 0bxxxx0000 outside {0x40, 0xa0, 0xf0}. */
	static const unsigned bad[] = { 0x02, 0x03, 0x06, 0x07, 0x0a, 0x0b,
					0x0e, 0x0f, 0x10, 0x30, 0x50, 0x80,
					0x90, 0xb0, 0xc0, 0xe0 };

	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		CHECK_ATTR(vmsa_memattr_s1(mair_with(4, bad[k]), 4,
					   VMSA_SH_ISH),
			   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
}

TEST(mair_xs_and_mte_aliases)
{
	/* FEAT_XS 0x40 / 0xa0 and FEAT_MTE2 0xf0 name Normal types. */
	CHECK_ATTR(vmsa_memattr_s1(mair_with(6, 0x40), 6, VMSA_SH_ISH),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(6, 0xa0), 6, VMSA_SH_ISH),
		   NORMAL, WT, WT, VMSA_SH_ISH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(6, 0xf0), 6, VMSA_SH_ISH),
		   NORMAL, WB, WB, VMSA_SH_ISH);
	CHECK_STR(s1_fmt(0xf0, VMSA_SH_NSH), "NormalWB NSH");
}

TEST(mair_normal_every_nibble)
{
	/* Each nibble value: 0b00RW (RW != 0) WT transient, 0b0100 NC,
	 * 0b01RW (RW != 0) WB transient, 0b10RW WT, 0b11RW WB. */
	static const vmsa_cacheability_t want[16] = {
		[0x1] = WT, [0x2] = WT, [0x3] = WT, [0x4] = NC,
		[0x5] = WB, [0x6] = WB, [0x7] = WB, [0x8] = WT,
		[0x9] = WT, [0xa] = WT, [0xb] = WT, [0xc] = WB,
		[0xd] = WB, [0xe] = WB, [0xf] = WB,
	};

	for (unsigned o = 1; o < 16; o++) {
		for (unsigned i = 1; i < 16; i++) {
			vmsa_memattr_t a = vmsa_memattr_s1(
				mair_with(2, (o << 4) | i), 2, VMSA_SH_ISH);
			bool nc = want[o] == NC && want[i] == NC;

			CHECK_ATTR(a, NORMAL, want[o], want[i],
				   nc ? VMSA_SH_OSH : VMSA_SH_ISH);
		}
	}
}

TEST(mair_common_values)
{
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0xff), 0, VMSA_SH_ISH),
		   NORMAL, WB, WB, VMSA_SH_ISH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0x44), 0, VMSA_SH_ISH),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0xbb), 0, VMSA_SH_NSH),
		   NORMAL, WT, WT, VMSA_SH_NSH);
	/* Outer WB, inner NC: not both NC, so SH is kept. */
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0xf4), 0, VMSA_SH_NSH),
		   NORMAL, WB, NC, VMSA_SH_NSH);
	CHECK_ATTR(vmsa_memattr_s1(mair_with(0, 0x4f), 0, VMSA_SH_ISH),
		   NORMAL, NC, WB, VMSA_SH_ISH);
	CHECK_STR(s1_fmt(0xff, VMSA_SH_ISH), "NormalWB ISH");
	CHECK_STR(s1_fmt(0x44, VMSA_SH_ISH), "NormalNC OSH");
	CHECK_STR(s1_fmt(0xaa, VMSA_SH_OSH), "NormalWT OSH");
	CHECK_STR(s1_fmt(0xf4, VMSA_SH_OSH), "Normal(o=WB,i=NC) OSH");
	CHECK_STR(s1_fmt(0x4f, VMSA_SH_NSH), "Normal(o=NC,i=WB) NSH");
	CHECK_STR(s1_fmt(0xaf, VMSA_SH_ISH), "Normal(o=WT,i=WB) ISH");
}

TEST(mair_index_and_reserved_sh)
{
	uint64_t mair = 0x0004440cbbff4400ull; /* Attr0..7 */

	CHECK_ATTR(vmsa_memattr_s1(mair, 0, 3), VMSA_MT_DEVICE_nGnRnE, NC, NC,
		   VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair, 1, 3), NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair, 2, 3), NORMAL, WB, WB, VMSA_SH_ISH);
	CHECK_ATTR(vmsa_memattr_s1(mair, 3, 0), NORMAL, WT, WT, VMSA_SH_NSH);
	CHECK_ATTR(vmsa_memattr_s1(mair, 4, 3), VMSA_MT_DEVICE_GRE, NC, NC,
		   VMSA_SH_OSH);
	CHECK_ATTR(vmsa_memattr_s1(mair, 6, 3), VMSA_MT_DEVICE_nGnRE, NC, NC,
		   VMSA_SH_OSH);
	/* AttrIndx is three bits. */
	CHECK_ATTR(vmsa_memattr_s1(mair, 8 + 2, 3), NORMAL, WB, WB,
		   VMSA_SH_ISH);
	/* SH = 0b01 is reserved: taken as Outer Shareable (K1.2.19). */
	CHECK_ATTR(vmsa_memattr_s1(mair, 2, 1), NORMAL, WB, WB, VMSA_SH_OSH);
}

TEST(s2_memattr_every_value)
{
	static const struct {
		vmsa_mem_type_t type;
		vmsa_cacheability_t outer, inner;
	} want[16] = {
		[0x0] = { VMSA_MT_DEVICE_nGnRnE, NC, NC },
		[0x1] = { VMSA_MT_DEVICE_nGnRE, NC, NC },
		[0x2] = { VMSA_MT_DEVICE_nGRE, NC, NC },
		[0x3] = { VMSA_MT_DEVICE_GRE, NC, NC },
		[0x4] = { VMSA_MT_DEVICE_nGnRnE, NC, NC }, /* reserved */
		[0x5] = { NORMAL, NC, NC },
		[0x6] = { NORMAL, NC, WT },
		[0x7] = { NORMAL, NC, WB },
		[0x8] = { VMSA_MT_DEVICE_nGnRnE, NC, NC }, /* reserved */
		[0x9] = { NORMAL, WT, NC },
		[0xa] = { NORMAL, WT, WT },
		[0xb] = { NORMAL, WT, WB },
		[0xc] = { VMSA_MT_DEVICE_nGnRnE, NC, NC }, /* reserved */
		[0xd] = { NORMAL, WB, NC },
		[0xe] = { NORMAL, WB, WT },
		[0xf] = { NORMAL, WB, WB },
	};

	for (unsigned m = 0; m < 16; m++) {
		bool osh = want[m].type != NORMAL ||
			   (want[m].outer == NC && want[m].inner == NC);

		CHECK_ATTR(vmsa_memattr_s2(m, VMSA_SH_ISH), want[m].type,
			   want[m].outer, want[m].inner,
			   osh ? VMSA_SH_OSH : VMSA_SH_ISH);
	}
	CHECK_ATTR(vmsa_memattr_s2(0xf, VMSA_SH_NSH), NORMAL, WB, WB,
		   VMSA_SH_NSH);
	CHECK_ATTR(vmsa_memattr_s2(0xf, 1), NORMAL, WB, WB, VMSA_SH_OSH);
}

TEST(cacheable_only_wb_wb)
{
	vmsa_memattr_t a;

	a = vmsa_memattr_s1(0xff, 0, VMSA_SH_ISH);
	CHECK(vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s1(0xaa, 0, VMSA_SH_ISH);
	CHECK(!vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s1(0x44, 0, VMSA_SH_ISH);
	CHECK(!vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s1(0xf4, 0, VMSA_SH_ISH);
	CHECK(!vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s1(0x4f, 0, VMSA_SH_ISH);
	CHECK(!vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s1(0x00, 0, VMSA_SH_ISH);
	CHECK(!vmsa_memattr_cacheable(&a));
	a = vmsa_memattr_s2(0xf, VMSA_SH_ISH);
	CHECK(vmsa_memattr_cacheable(&a));
}

static vmsa_memattr_t s1(unsigned attr, unsigned sh)
{
	return vmsa_memattr_s1(attr, 0, sh);
}

static vmsa_memattr_t comb(unsigned s1attr, unsigned s1sh, unsigned s2m,
			   unsigned s2sh, bool fwb)
{
	vmsa_memattr_t a = s1(s1attr, s1sh);

	return vmsa_memattr_combine(&a, s2m, s2sh, fwb);
}

TEST(combine_device_beats_normal)
{
	/* Table D8-97: either stage Device gives Device. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x1, VMSA_SH_ISH, false),
		   VMSA_MT_DEVICE_nGnRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x0c, VMSA_SH_ISH, 0xf, VMSA_SH_ISH, false),
		   VMSA_MT_DEVICE_GRE, NC, NC, VMSA_SH_OSH);
	/* The more restrictive Device type wins, in both directions. */
	CHECK_ATTR(comb(0x0c, 0, 0x0, 0, false), VMSA_MT_DEVICE_nGnRnE,
		   NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x00, 0, 0x3, 0, false), VMSA_MT_DEVICE_nGnRnE,
		   NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x08, 0, 0x1, 0, false), VMSA_MT_DEVICE_nGnRE,
		   NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x04, 0, 0x2, 0, false), VMSA_MT_DEVICE_nGnRE,
		   NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x0c, 0, 0x2, 0, false), VMSA_MT_DEVICE_nGRE,
		   NC, NC, VMSA_SH_OSH);
}

TEST(combine_cacheability_weaker_wins)
{
	/* Table D8-98: Normal WB + stage-2 NC -> NC (and OSH). */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x5, VMSA_SH_ISH, false),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	/* WB + WT -> WT; WT + WB -> WT. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0xa, VMSA_SH_ISH, false),
		   NORMAL, WT, WT, VMSA_SH_ISH);
	CHECK_ATTR(comb(0xaa, VMSA_SH_ISH, 0xf, VMSA_SH_ISH, false),
		   NORMAL, WT, WT, VMSA_SH_ISH);
	/* Inner and outer separately: s1 o=WB,i=WT + s2 o=WT,i=WB. */
	CHECK_ATTR(comb(0xfa, VMSA_SH_ISH, 0xb, VMSA_SH_ISH, false),
		   NORMAL, WT, WT, VMSA_SH_ISH);
	/* s1 WB + s2 o=WB,i=NC -> o=WB,i=NC keeps the combined SH. */
	CHECK_ATTR(comb(0xff, VMSA_SH_NSH, 0xd, VMSA_SH_ISH, false),
		   NORMAL, WB, NC, VMSA_SH_ISH);
	/* IMCQKW: stage 2 WB/WB leaves stage 1's attributes. */
	CHECK_ATTR(comb(0x4f, VMSA_SH_ISH, 0xf, VMSA_SH_NSH, false),
		   NORMAL, NC, WB, VMSA_SH_ISH);
	CHECK_ATTR(comb(0x44, VMSA_SH_NSH, 0xf, VMSA_SH_NSH, false),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	/* Reserved stage-2 encoding is Device-nGnRnE. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x8, VMSA_SH_ISH, false),
		   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
}

TEST(combine_shareability)
{
	/* Table D8-103 for a cacheable result: the more shareable. */
	CHECK_EQ(comb(0xff, VMSA_SH_NSH, 0xf, VMSA_SH_NSH, false).sh,
		 VMSA_SH_NSH);
	CHECK_EQ(comb(0xff, VMSA_SH_NSH, 0xf, VMSA_SH_ISH, false).sh,
		 VMSA_SH_ISH);
	CHECK_EQ(comb(0xff, VMSA_SH_ISH, 0xf, VMSA_SH_NSH, false).sh,
		 VMSA_SH_ISH);
	CHECK_EQ(comb(0xff, VMSA_SH_ISH, 0xf, VMSA_SH_OSH, false).sh,
		 VMSA_SH_OSH);
	CHECK_EQ(comb(0xff, VMSA_SH_OSH, 0xf, VMSA_SH_NSH, false).sh,
		 VMSA_SH_OSH);
	CHECK_EQ(comb(0xff, VMSA_SH_NSH, 0xf, VMSA_SH_OSH, false).sh,
		 VMSA_SH_OSH);
	CHECK_EQ(comb(0xff, VMSA_SH_ISH, 0xf, VMSA_SH_ISH, false).sh,
		 VMSA_SH_ISH);
	/* Reserved stage-2 SH counts as Outer Shareable. */
	CHECK_EQ(comb(0xff, VMSA_SH_NSH, 0xf, 1, false).sh, VMSA_SH_OSH);
	/* The same with FWB (ICGGBV: FWB does not change SH combining). */
	CHECK_EQ(comb(0xff, VMSA_SH_NSH, 0x7, VMSA_SH_ISH, true).sh,
		 VMSA_SH_ISH);
	CHECK_EQ(comb(0xff, VMSA_SH_ISH, 0x6, VMSA_SH_OSH, true).sh,
		 VMSA_SH_OSH);
}

TEST(combine_fwb_force_wb)
{
	/* MemAttr[2:0] = 0b110: Write-Back whatever stage 1 says. */
	CHECK_ATTR(comb(0x44, VMSA_SH_ISH, 0x6, VMSA_SH_ISH, true),
		   NORMAL, WB, WB, VMSA_SH_OSH);
	CHECK_ATTR(comb(0xaa, VMSA_SH_NSH, 0x6, VMSA_SH_ISH, true),
		   NORMAL, WB, WB, VMSA_SH_ISH);
	CHECK_ATTR(comb(0xff, VMSA_SH_NSH, 0x6, VMSA_SH_NSH, true),
		   NORMAL, WB, WB, VMSA_SH_NSH);
	/* Even over stage-1 Device (Device input shareability is OSH). */
	CHECK_ATTR(comb(0x00, VMSA_SH_NSH, 0x6, VMSA_SH_ISH, true),
		   NORMAL, WB, WB, VMSA_SH_OSH);
	/* MemAttr[3] is RES0 without FEAT_MTE_PERM: ignored. */
	CHECK_ATTR(comb(0x44, VMSA_SH_ISH, 0xe, VMSA_SH_ISH, true),
		   NORMAL, WB, WB, VMSA_SH_OSH);
	{
		vmsa_memattr_t a = comb(0x44, 0, 0x6, VMSA_SH_ISH, true);
		CHECK(vmsa_memattr_cacheable(&a));
	}
}

TEST(combine_fwb_force_device)
{
	/* MemAttr[2] = 0: Device<[1:0]>, combined with stage 1. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x0, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x1, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_nGnRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x44, VMSA_SH_ISH, 0x3, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_GRE, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x04, 0, 0x3, 0, true), VMSA_MT_DEVICE_nGnRE,
		   NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x0c, 0, 0x2, 0, true), VMSA_MT_DEVICE_nGRE,
		   NC, NC, VMSA_SH_OSH);
	/* 0b100 is reserved: Device-nGnRnE. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x4, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_nGnRnE, NC, NC, VMSA_SH_OSH);
}

TEST(combine_fwb_use_stage1_and_nc)
{
	/* 0b111: stage 1's attributes. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x7, VMSA_SH_NSH, true),
		   NORMAL, WB, WB, VMSA_SH_ISH);
	CHECK_ATTR(comb(0xaa, VMSA_SH_ISH, 0x7, VMSA_SH_ISH, true),
		   NORMAL, WT, WT, VMSA_SH_ISH);
	CHECK_ATTR(comb(0x44, VMSA_SH_ISH, 0x7, VMSA_SH_ISH, true),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0xf4, VMSA_SH_NSH, 0x7, VMSA_SH_NSH, true),
		   NORMAL, WB, NC, VMSA_SH_NSH);
	CHECK_ATTR(comb(0x08, VMSA_SH_ISH, 0x7, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_nGRE, NC, NC, VMSA_SH_OSH);
	/* 0b101: Non-cacheable for any Normal stage 1; Device stays. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x5, VMSA_SH_ISH, true),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0xaa, VMSA_SH_ISH, 0x5, VMSA_SH_ISH, true),
		   NORMAL, NC, NC, VMSA_SH_OSH);
	CHECK_ATTR(comb(0x04, VMSA_SH_ISH, 0x5, VMSA_SH_ISH, true),
		   VMSA_MT_DEVICE_nGnRE, NC, NC, VMSA_SH_OSH);
	/* Without FWB, 0b0110 is o=NC,i=WT: the same bits mean other
	 * things. */
	CHECK_ATTR(comb(0xff, VMSA_SH_ISH, 0x6, VMSA_SH_ISH, false),
		   NORMAL, NC, WT, VMSA_SH_ISH);
}

TEST(format_strings)
{
	char buf[64];
	vmsa_memattr_t a = { NORMAL, WB, WB, VMSA_SH_ISH };
	int n;

	n = vmsa_memattr_format(buf, sizeof(buf), &a);
	CHECK_STR(buf, "NormalWB ISH");
	CHECK_EQ(n, 12);
	a = (vmsa_memattr_t){ NORMAL, NC, WB, VMSA_SH_OSH };
	vmsa_memattr_format(buf, sizeof(buf), &a);
	CHECK_STR(buf, "Normal(o=WB,i=NC) OSH");
	a = (vmsa_memattr_t){ NORMAL, WT, WT, VMSA_SH_NSH };
	vmsa_memattr_format(buf, sizeof(buf), &a);
	CHECK_STR(buf, "NormalWT NSH");
	a = (vmsa_memattr_t){ VMSA_MT_DEVICE_nGRE, NC, NC, VMSA_SH_OSH };
	vmsa_memattr_format(buf, sizeof(buf), &a);
	CHECK_STR(buf, "Device-nGRE");
	/* snprintf-like truncation. */
	a = (vmsa_memattr_t){ NORMAL, WB, WB, VMSA_SH_ISH };
	n = vmsa_memattr_format(buf, 7, &a);
	CHECK_STR(buf, "Normal");
	CHECK_EQ(n, 12);
}
