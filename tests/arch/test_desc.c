/*
 * tests/arch/test_desc.c - VMSAv8-64 descriptor kind, decode, encode,
 * constructors and format (src/arch/desc.c).
 *
 * Bit patterns are written out by hand from D8.3 Tables D8-50 to D8-53
 * so that a wrong VMSA_D_* constant would also show up here.
 */
#include <stdio.h>

#include "../harness.h"
#include "vmsa/desc.h"

static const vmsa_granule_t granules[3] = {
	VMSA_GRANULE_4K, VMSA_GRANULE_16K, VMSA_GRANULE_64K,
};

/* ------------------------------------------------------------------ */
/* Kinds                                                               */
/* ------------------------------------------------------------------ */

TEST(desc_kind_every_level)
{
	/* [granule][level + 1] for bits[1:0] = 0b01 and 0b11 (Table D8-48,
	 * blocks only where the 48-bit granule allows them, levels below
	 * the granule's first level reserved). */
	static const vmsa_desc_kind_t k01[3][5] = {
		{ VMSA_DESC_RESERVED, VMSA_DESC_RESERVED, VMSA_DESC_BLOCK,
		  VMSA_DESC_BLOCK, VMSA_DESC_RESERVED },
		{ VMSA_DESC_RESERVED, VMSA_DESC_RESERVED, VMSA_DESC_RESERVED,
		  VMSA_DESC_BLOCK, VMSA_DESC_RESERVED },
		{ VMSA_DESC_RESERVED, VMSA_DESC_RESERVED, VMSA_DESC_RESERVED,
		  VMSA_DESC_BLOCK, VMSA_DESC_RESERVED },
	};
	static const vmsa_desc_kind_t k11[3][5] = {
		{ VMSA_DESC_RESERVED, VMSA_DESC_TABLE, VMSA_DESC_TABLE,
		  VMSA_DESC_TABLE, VMSA_DESC_PAGE },
		{ VMSA_DESC_RESERVED, VMSA_DESC_TABLE, VMSA_DESC_TABLE,
		  VMSA_DESC_TABLE, VMSA_DESC_PAGE },
		{ VMSA_DESC_RESERVED, VMSA_DESC_RESERVED, VMSA_DESC_TABLE,
		  VMSA_DESC_TABLE, VMSA_DESC_PAGE },
	};

	for (int g = 0; g < 3; g++) {
		for (int l = -1; l <= 3; l++) {
			vmsa_granule_t gr = granules[g];

			CHECK_EQ(vmsa_desc_kind(0, l, gr), VMSA_DESC_INVALID);
			CHECK_EQ(vmsa_desc_kind(2, l, gr), VMSA_DESC_INVALID);
			CHECK_EQ(vmsa_desc_kind(~1ull, l, gr),
				 VMSA_DESC_INVALID);
			CHECK_EQ(vmsa_desc_kind(1, l, gr), k01[g][l + 1]);
			CHECK_EQ(vmsa_desc_kind(3, l, gr), k11[g][l + 1]);
			/* Only bits [1:0] choose the kind. */
			CHECK_EQ(vmsa_desc_kind(~2ull, l, gr), k01[g][l + 1]);
			CHECK_EQ(vmsa_desc_kind(~0ull, l, gr), k11[g][l + 1]);
		}
		/* Levels that do not exist at all. */
		CHECK_EQ(vmsa_desc_kind(3, 4, granules[g]), VMSA_DESC_RESERVED);
		CHECK_EQ(vmsa_desc_kind(3, -2, granules[g]),
			 VMSA_DESC_RESERVED);
	}
}

TEST(desc_names)
{
	CHECK_STR(vmsa_granule_name(VMSA_GRANULE_4K), "4K");
	CHECK_STR(vmsa_granule_name(VMSA_GRANULE_16K), "16K");
	CHECK_STR(vmsa_granule_name(VMSA_GRANULE_64K), "64K");
	CHECK_STR(vmsa_granule_name((vmsa_granule_t)7), "?");
	CHECK_STR(vmsa_desc_kind_name(VMSA_DESC_INVALID), "INVALID");
	CHECK_STR(vmsa_desc_kind_name(VMSA_DESC_TABLE), "TABLE");
	CHECK_STR(vmsa_desc_kind_name(VMSA_DESC_BLOCK), "BLOCK");
	CHECK_STR(vmsa_desc_kind_name(VMSA_DESC_PAGE), "PAGE");
	CHECK_STR(vmsa_desc_kind_name(VMSA_DESC_RESERVED), "RESERVED");
	CHECK_STR(vmsa_desc_kind_name((vmsa_desc_kind_t)9), "?");
}

/* ------------------------------------------------------------------ */
/* Encoding one field at a time                                        */
/* ------------------------------------------------------------------ */

/* Encode `base` with one statement applied to the copy d_, and check the
 * raw value; then decode that raw value back and check it re-encodes. */
#define CHECK_FIELD(base, stmt, want)                                    \
	do {                                                             \
		vmsa_desc_t d_ = (base);                                 \
		uint64_t raw_;                                           \
		stmt;                                                    \
		raw_ = vmsa_desc_encode(&d_);                            \
		CHECK_EQ(raw_, (want));                                  \
		d_ = vmsa_desc_decode(raw_, (base).stage, (base).level,  \
				      (base).granule);                   \
		CHECK_EQ(vmsa_desc_encode(&d_), raw_);                   \
	} while (0)

static void check_leaf_common(vmsa_stage_t st, vmsa_granule_t g, int level)
{
	uint64_t t = level == 3 ? 0x3 : 0x1;
	vmsa_desc_t b = vmsa_desc_decode(t, st, level, g);
	bool block = level != 3;

	CHECK_EQ(b.kind, block ? VMSA_DESC_BLOCK : VMSA_DESC_PAGE);
	CHECK_EQ(b.other, 0);
	CHECK_FIELD(b, (void)0, t);
	CHECK_FIELD(b, d_.sh = VMSA_SH_ISH, t | 0x300);
	CHECK_FIELD(b, d_.sh = VMSA_SH_OSH, t | 0x200);
	CHECK_FIELD(b, d_.sh = 7, t | 0x300); /* truncated to 2 bits */
	CHECK_FIELD(b, d_.af = true, t | 0x400);
	/* nT exists only in blocks. */
	CHECK_FIELD(b, d_.nt = true, block ? t | 0x10000 : t);
	CHECK_FIELD(b, d_.dbm = true, t | 0x0008000000000000ull);
	CHECK_FIELD(b, d_.contig = true, t | 0x0010000000000000ull);
	CHECK_FIELD(b, d_.sw = 0xf, t | 0x0780000000000000ull);
	CHECK_FIELD(b, d_.sw = 0x5, t | 0x0280000000000000ull);
	CHECK_FIELD(b, d_.pbha = 0xf, t | 0x7800000000000000ull);
	CHECK_FIELD(b, d_.pbha = 0x9, t | 0x4800000000000000ull);
	/* Table-only and invalid-only fields are not encoded in a leaf. */
	CHECK_FIELD(b, d_.ns_table = true, t);
	CHECK_FIELD(b, d_.ap_table = 3, t);
	CHECK_FIELD(b, d_.ignored = ~0ull, t);
	/* `other` goes back as it is. */
	CHECK_FIELD(b, d_.other = 1ull << 63, t | (1ull << 63));
}

TEST(desc_encode_s1_leaf_each_field)
{
	for (int g = 0; g < 3; g++) {
		for (int l = 1; l <= 3; l++) {
			uint64_t t = l == 3 ? 0x3 : 0x1;
			vmsa_desc_t b;

			if (l != 3 && !vmsa_block_allowed(granules[g], l))
				continue;
			check_leaf_common(VMSA_STAGE1, granules[g], l);
			b = vmsa_desc_decode(t, VMSA_STAGE1, l, granules[g]);
			CHECK_FIELD(b, d_.attr_indx = 5, t | 0x14);
			CHECK_FIELD(b, d_.attr_indx = 7, t | 0x1c);
			CHECK_FIELD(b, d_.attr_indx = 8, t);
			CHECK_FIELD(b, d_.ns = true, t | 0x20);
			CHECK_FIELD(b, d_.ap = VMSA_AP_RW_ALL, t | 0x40);
			CHECK_FIELD(b, d_.ap = VMSA_AP_RO_EL1, t | 0x80);
			CHECK_FIELD(b, d_.ap = VMSA_AP_RO_ALL, t | 0xc0);
			CHECK_FIELD(b, d_.ng = true, t | 0x800);
			CHECK_FIELD(b, d_.gp = true, t | (1ull << 50));
			CHECK_FIELD(b, d_.pxn = true, t | (1ull << 53));
			CHECK_FIELD(b, d_.uxn = true, t | (1ull << 54));
			/* Stage-2 fields are not stage-1 bits. */
			CHECK_FIELD(b, d_.memattr = 0xf, t);
			CHECK_FIELD(b, d_.s2ap = 3, t);
			CHECK_FIELD(b, d_.xn = 3, t);
		}
	}
}

TEST(desc_encode_s2_leaf_each_field)
{
	for (int g = 0; g < 3; g++) {
		for (int l = 1; l <= 3; l++) {
			uint64_t t = l == 3 ? 0x3 : 0x1;
			vmsa_desc_t b;

			if (l != 3 && !vmsa_block_allowed(granules[g], l))
				continue;
			check_leaf_common(VMSA_STAGE2, granules[g], l);
			b = vmsa_desc_decode(t, VMSA_STAGE2, l, granules[g]);
			CHECK_FIELD(b, d_.memattr = 0xf, t | 0x3c);
			CHECK_FIELD(b, d_.memattr = 0x5, t | 0x14);
			CHECK_FIELD(b, d_.memattr = 0x1, t | 0x04);
			CHECK_FIELD(b, d_.s2ap = VMSA_S2AP_RO, t | 0x40);
			CHECK_FIELD(b, d_.s2ap = VMSA_S2AP_WO, t | 0x80);
			CHECK_FIELD(b, d_.s2ap = VMSA_S2AP_RW, t | 0xc0);
			CHECK_FIELD(b, d_.xn = 1, t | (1ull << 53));
			CHECK_FIELD(b, d_.xn = 2, t | (1ull << 54));
			CHECK_FIELD(b, d_.xn = 3, t | (3ull << 53));
			/* Stage-1 fields are not stage-2 bits. */
			CHECK_FIELD(b, d_.ns = true, t);
			CHECK_FIELD(b, d_.ng = true, t);
			CHECK_FIELD(b, d_.gp = true, t);
			CHECK_FIELD(b, d_.pxn = true, t);
			CHECK_FIELD(b, d_.uxn = true, t);
			CHECK_FIELD(b, d_.attr_indx = 7, t);
		}
	}
}

TEST(desc_encode_table_each_field)
{
	for (int g = 0; g < 3; g++) {
		for (int l = vmsa_granule_min_level(granules[g]); l <= 2; l++) {
			vmsa_desc_t b1 = vmsa_desc_decode(3, VMSA_STAGE1, l,
							  granules[g]);
			vmsa_desc_t b2 = vmsa_desc_decode(3, VMSA_STAGE2, l,
							  granules[g]);

			CHECK_EQ(b1.kind, VMSA_DESC_TABLE);
			CHECK_FIELD(b1, d_.pxn_table = true, 3 | (1ull << 59));
			CHECK_FIELD(b1, d_.uxn_table = true, 3 | (1ull << 60));
			CHECK_FIELD(b1, d_.ap_table = 1, 3 | (1ull << 61));
			CHECK_FIELD(b1, d_.ap_table = 2, 3 | (1ull << 62));
			CHECK_FIELD(b1, d_.ns_table = true, 3 | (1ull << 63));
			CHECK_FIELD(b1, d_.sw = 0xf, 3 | 0x0780000000000000ull);
			/* Leaf fields have no place in a table. */
			CHECK_FIELD(b1, d_.af = true, 3);
			CHECK_FIELD(b1, d_.contig = true, 3);
			CHECK_FIELD(b1, d_.pbha = 0xf, 3);
			CHECK_FIELD(b1, d_.attr_indx = 7, 3);

			/* Stage 2: [63:59] are RES0 (Table D8-51), so the
			 * table attributes are not encoded; sw is. */
			CHECK_EQ(b2.kind, VMSA_DESC_TABLE);
			CHECK_FIELD(b2, d_.pxn_table = true, 3);
			CHECK_FIELD(b2, d_.ns_table = true, 3);
			CHECK_FIELD(b2, d_.ap_table = 3, 3);
			CHECK_FIELD(b2, d_.sw = 0x3, 3 | 0x0180000000000000ull);
		}
	}
}

TEST(desc_encode_invalid_and_reserved)
{
	vmsa_desc_t d = vmsa_desc_decode(0x1234, VMSA_STAGE1, 3,
					 VMSA_GRANULE_4K);

	CHECK_EQ(d.kind, VMSA_DESC_INVALID);
	CHECK_EQ(d.ignored, 0x91a);
	CHECK_EQ(d.other, 0);
	CHECK_EQ(vmsa_desc_encode(&d), 0x1234);
	d.ignored = 0x7fffffffffffffffull;
	CHECK_EQ(vmsa_desc_encode(&d), 0xfffffffffffffffeull);

	/* Reserved: everything is kept raw in `other`. */
	d = vmsa_desc_decode(0x0040000012345001ull, VMSA_STAGE1, 3,
			     VMSA_GRANULE_4K);
	CHECK_EQ(d.kind, VMSA_DESC_RESERVED);
	CHECK_EQ(d.other, 0x0040000012345001ull);
	CHECK_EQ(d.oa, 0);
	CHECK(!d.uxn);
	CHECK_EQ(vmsa_desc_encode(&d), 0x0040000012345001ull);
	/* A 16K level-1 block needs DS = 1: reserved here. */
	d = vmsa_desc_decode(0x1000000401ull, VMSA_STAGE2, 1,
			     VMSA_GRANULE_16K);
	CHECK_EQ(d.kind, VMSA_DESC_RESERVED);
	CHECK_EQ(d.other, 0x1000000401ull);
}

TEST(desc_encode_truncates_oa)
{
	vmsa_desc_t d = vmsa_desc_decode(0x1, VMSA_STAGE2, 2, VMSA_GRANULE_4K);

	/* Bits below the 2M block and above bit 47 are dropped. */
	d.oa = 0x0001000040201234ull;
	CHECK_EQ(vmsa_desc_encode(&d), 0x40200001ull);
	d = vmsa_desc_decode(0x3, VMSA_STAGE1, 3, VMSA_GRANULE_64K);
	d.oa = 0x4000ffffull;
	CHECK_EQ(vmsa_desc_encode(&d), 0x40000003ull);
	d = vmsa_desc_decode(0x3, VMSA_STAGE1, 1, VMSA_GRANULE_16K);
	d.oa = 0x80007000ull; /* table: [13:12] are RES0 for 16K */
	CHECK_EQ(vmsa_desc_encode(&d), 0x80004003ull);
}

/* ------------------------------------------------------------------ */
/* Decoding known values                                               */
/* ------------------------------------------------------------------ */

TEST(desc_decode_s1_page)
{
	/* AttrIndx=2, AP=RW (EL0 too), ISH, AF, nG, PXN, UXN, sw bit 55. */
	vmsa_desc_t d = vmsa_desc_decode(0x00e0000041234f4bull, VMSA_STAGE1, 3,
					 VMSA_GRANULE_4K);

	CHECK_EQ(d.kind, VMSA_DESC_PAGE);
	CHECK_EQ(d.stage, VMSA_STAGE1);
	CHECK_EQ(d.granule, VMSA_GRANULE_4K);
	CHECK_EQ(d.level, 3);
	CHECK_EQ(d.oa, 0x41234000ull);
	CHECK_EQ(d.attr_indx, 2);
	CHECK(!d.ns);
	CHECK_EQ(d.ap, VMSA_AP_RW_ALL);
	CHECK_EQ(d.sh, VMSA_SH_ISH);
	CHECK(d.af);
	CHECK(d.ng);
	CHECK(d.pxn);
	CHECK(d.uxn);
	CHECK(!d.gp);
	CHECK(!d.dbm);
	CHECK(!d.contig);
	CHECK(!d.nt);
	CHECK_EQ(d.sw, 1);
	CHECK_EQ(d.pbha, 0);
	CHECK_EQ(d.other, 0);
	/* Stage-2 and table fields stay zero. */
	CHECK_EQ(d.memattr, 0);
	CHECK_EQ(d.s2ap, 0);
	CHECK_EQ(d.xn, 0);
	CHECK_EQ(d.ap_table, 0);
	CHECK_EQ(d.ignored, 0);
}

TEST(desc_decode_s1_block_all_flags)
{
	/* 4K L1 1G block: every stage-1 field non-zero. */
	uint64_t raw = 0x1ull | (7ull << 2) | (1ull << 5) | (3ull << 6) |
		       (2ull << 8) | (1ull << 10) | (1ull << 11) |
		       (1ull << 16) | 0x0000ffffc0000000ull | (1ull << 50) |
		       (1ull << 51) | (1ull << 52) | (1ull << 53) |
		       (1ull << 54) | (0xaull << 55) | (0x5ull << 59);
	vmsa_desc_t d = vmsa_desc_decode(raw, VMSA_STAGE1, 1, VMSA_GRANULE_4K);

	CHECK_EQ(d.kind, VMSA_DESC_BLOCK);
	CHECK_EQ(d.oa, 0x0000ffffc0000000ull);
	CHECK_EQ(d.attr_indx, 7);
	CHECK(d.ns);
	CHECK_EQ(d.ap, VMSA_AP_RO_ALL);
	CHECK_EQ(d.sh, VMSA_SH_OSH);
	CHECK(d.af);
	CHECK(d.ng);
	CHECK(d.nt);
	CHECK(d.gp);
	CHECK(d.dbm);
	CHECK(d.contig);
	CHECK(d.pxn);
	CHECK(d.uxn);
	CHECK_EQ(d.sw, 0xa);
	CHECK_EQ(d.pbha, 0x5);
	CHECK_EQ(d.other, 0);
	CHECK_EQ(vmsa_desc_encode(&d), raw);
}

TEST(desc_decode_s2_leaves)
{
	/* 2M block: MemAttr=0xF, S2AP=RW, AF. */
	vmsa_desc_t d = vmsa_desc_decode(0x402004fdull, VMSA_STAGE2, 2,
					 VMSA_GRANULE_4K);

	CHECK_EQ(d.kind, VMSA_DESC_BLOCK);
	CHECK_EQ(d.oa, 0x40200000ull);
	CHECK_EQ(d.memattr, VMSA_S2_MEMATTR_NORMAL_WB);
	CHECK_EQ(d.s2ap, VMSA_S2AP_RW);
	CHECK_EQ(d.sh, 0);
	CHECK(d.af);
	CHECK_EQ(d.xn, 0);
	CHECK_EQ(d.other, 0);
	CHECK_EQ(d.attr_indx, 0);
	CHECK(!d.ns);

	/* 4K page: XN=0b10 (bit 54), S2AP=RO, Device-nGnRE, AF. */
	d = vmsa_desc_decode(0x0040000080000447ull, VMSA_STAGE2, 3,
			     VMSA_GRANULE_4K);
	CHECK_EQ(d.kind, VMSA_DESC_PAGE);
	CHECK_EQ(d.oa, 0x80000000ull);
	CHECK_EQ(d.xn, 2);
	CHECK(!d.uxn);
	CHECK_EQ(d.s2ap, VMSA_S2AP_RO);
	CHECK_EQ(d.memattr, VMSA_S2_MEMATTR_DEVICE_nGnRE);
	CHECK(d.af);
	CHECK_EQ(d.other, 0);

	/* Stage-2 bits 11 and 50 have no field: `other`. */
	d = vmsa_desc_decode(0x3 | (1ull << 11) | (1ull << 50), VMSA_STAGE2, 3,
			     VMSA_GRANULE_16K);
	CHECK(!d.ng);
	CHECK(!d.gp);
	CHECK_EQ(d.other, (1ull << 11) | (1ull << 50));
}

TEST(desc_decode_tables)
{
	uint64_t raw = 0xd800000080001003ull;
	vmsa_desc_t d = vmsa_desc_decode(raw, VMSA_STAGE1, 0, VMSA_GRANULE_4K);

	CHECK_EQ(d.kind, VMSA_DESC_TABLE);
	CHECK_EQ(d.oa, 0x80001000ull);
	CHECK(d.ns_table);
	CHECK_EQ(d.ap_table, 2);
	CHECK(d.uxn_table);
	CHECK(d.pxn_table);
	CHECK_EQ(d.sw, 0);
	CHECK_EQ(d.other, 0);

	d = vmsa_desc_decode(raw, VMSA_STAGE2, 0, VMSA_GRANULE_4K);
	CHECK_EQ(d.kind, VMSA_DESC_TABLE);
	CHECK_EQ(d.oa, 0x80001000ull);
	CHECK(!d.ns_table);
	CHECK_EQ(d.ap_table, 0);
	CHECK(!d.uxn_table);
	CHECK(!d.pxn_table);
	CHECK_EQ(d.other, 0xd800000000000000ull);
	CHECK_EQ(vmsa_desc_encode(&d), raw);

	/* IGNORED [11:2] and [54:51], RES0 [50:48]: `other`; [58:55]: sw. */
	raw = 0x3 | 0xffcull | (0xfull << 51) | (7ull << 48) | (0xfull << 55);
	d = vmsa_desc_decode(raw, VMSA_STAGE1, 2, VMSA_GRANULE_4K);
	CHECK_EQ(d.sw, 0xf);
	CHECK_EQ(d.oa, 0);
	CHECK_EQ(d.other, 0xffcull | (0xfull << 51) | (7ull << 48));
	CHECK(!d.af);
	CHECK_EQ(d.attr_indx, 0);
	CHECK_EQ(vmsa_desc_encode(&d), raw);
}

TEST(desc_decode_low_bits_under_oa)
{
	vmsa_desc_t d;

	/* 4K L2 block: [20:17] and [15:12] RES0 (other), [16] nT. */
	d = vmsa_desc_decode(0x1 | 0x1ff000ull, VMSA_STAGE1, 2,
			     VMSA_GRANULE_4K);
	CHECK_EQ(d.oa, 0);
	CHECK(d.nt);
	CHECK_EQ(d.other, 0x1ef000ull);
	/* 4K L1 block: [29:17] RES0. */
	d = vmsa_desc_decode(0x1 | 0x3ffe0000ull | 0x40000000ull, VMSA_STAGE2,
			     1, VMSA_GRANULE_4K);
	CHECK_EQ(d.oa, 0x40000000ull);
	CHECK_EQ(d.other, 0x3ffe0000ull);
	/* 4K page: bit 16 is an address bit, not nT. */
	d = vmsa_desc_decode(0x3 | 0x10000ull, VMSA_STAGE1, 3, VMSA_GRANULE_4K);
	CHECK_EQ(d.oa, 0x10000ull);
	CHECK(!d.nt);
	CHECK_EQ(d.other, 0);
	/* 16K page: [13:12] RES0. */
	d = vmsa_desc_decode(0x3 | 0x7000ull, VMSA_STAGE1, 3, VMSA_GRANULE_16K);
	CHECK_EQ(d.oa, 0x4000ull);
	CHECK_EQ(d.other, 0x3000ull);
	/* 64K page: [15:12] (LPA's OA[51:48]) are `other`, bit 16 is OA. */
	d = vmsa_desc_decode(0x3 | 0x1f000ull, VMSA_STAGE2, 3, VMSA_GRANULE_64K);
	CHECK_EQ(d.oa, 0x10000ull);
	CHECK_EQ(d.other, 0xf000ull);
	/* 64K L2 block: [28:17] RES0. */
	d = vmsa_desc_decode(0x1 | 0x3ffff000ull, VMSA_STAGE1, 2,
			     VMSA_GRANULE_64K);
	CHECK_EQ(d.oa, 0x20000000ull);
	CHECK(d.nt);
	CHECK_EQ(d.other, 0x1ffef000ull);
	/* 64K table: [15:12] RES0. */
	d = vmsa_desc_decode(0x3 | 0x1f000ull, VMSA_STAGE1, 1,
			     VMSA_GRANULE_64K);
	CHECK_EQ(d.oa, 0x10000ull);
	CHECK_EQ(d.other, 0xf000ull);
	/* [49:48] (LPA2 address bits) and bit 63 of a leaf: `other`. */
	d = vmsa_desc_decode(0x3 | (3ull << 48) | (1ull << 63), VMSA_STAGE1, 3,
			     VMSA_GRANULE_4K);
	CHECK_EQ(d.oa, 0);
	CHECK_EQ(d.other, (3ull << 48) | (1ull << 63));
}

/* ------------------------------------------------------------------ */
/* Output addresses                                                    */
/* ------------------------------------------------------------------ */

TEST(desc_oa_per_granule_and_level)
{
	const uint64_t a = 0x0000fffffffff000ull | (0xfull << 48);

	/* 4K */
	CHECK_EQ(vmsa_desc_oa(a | 3, 0, VMSA_GRANULE_4K), 0xfffffffff000ull);
	CHECK_EQ(vmsa_desc_oa(a | 3, 2, VMSA_GRANULE_4K), 0xfffffffff000ull);
	CHECK_EQ(vmsa_desc_oa(a | 1, 1, VMSA_GRANULE_4K), 0xffffc0000000ull);
	CHECK_EQ(vmsa_desc_oa(a | 1, 2, VMSA_GRANULE_4K), 0xffffffe00000ull);
	CHECK_EQ(vmsa_desc_oa(a | 3, 3, VMSA_GRANULE_4K), 0xfffffffff000ull);
	/* 16K */
	CHECK_EQ(vmsa_desc_oa(a | 3, 0, VMSA_GRANULE_16K), 0xffffffffc000ull);
	CHECK_EQ(vmsa_desc_oa(a | 3, 1, VMSA_GRANULE_16K), 0xffffffffc000ull);
	CHECK_EQ(vmsa_desc_oa(a | 1, 2, VMSA_GRANULE_16K), 0xfffffe000000ull);
	CHECK_EQ(vmsa_desc_oa(a | 3, 3, VMSA_GRANULE_16K), 0xffffffffc000ull);
	/* 64K */
	CHECK_EQ(vmsa_desc_oa(a | 3, 1, VMSA_GRANULE_64K), 0xffffffff0000ull);
	CHECK_EQ(vmsa_desc_oa(a | 1, 2, VMSA_GRANULE_64K), 0xffffe0000000ull);
	CHECK_EQ(vmsa_desc_oa(a | 3, 3, VMSA_GRANULE_64K), 0xffffffff0000ull);
	/* No address in invalid or reserved descriptors. */
	CHECK_EQ(vmsa_desc_oa(a, 3, VMSA_GRANULE_4K), 0);
	CHECK_EQ(vmsa_desc_oa(a | 1, 3, VMSA_GRANULE_4K), 0);
	CHECK_EQ(vmsa_desc_oa(a | 1, 1, VMSA_GRANULE_64K), 0);

	/* decode agrees, and the dropped low bits are in `other`. */
	vmsa_desc_t d = vmsa_desc_decode(a | 1, VMSA_STAGE1, 2,
					 VMSA_GRANULE_16K);
	CHECK_EQ(d.oa, 0xfffffe000000ull);
	CHECK_EQ(d.other & 0x1fff000ull, 0x1fef000ull); /* [24:12] - nT */
	CHECK(d.nt);
}

/* ------------------------------------------------------------------ */
/* Constructors                                                        */
/* ------------------------------------------------------------------ */

TEST(desc_constructors)
{
	CHECK_EQ(vmsa_desc_make_table(0x80001000ull, VMSA_GRANULE_4K),
		 0x80001003ull);
	CHECK_EQ(vmsa_desc_make_table(0x80001fffull, VMSA_GRANULE_4K),
		 0x80001003ull);
	CHECK_EQ(vmsa_desc_make_table(0x80006000ull, VMSA_GRANULE_16K),
		 0x80004003ull);
	CHECK_EQ(vmsa_desc_make_table(0x8001f000ull, VMSA_GRANULE_64K),
		 0x80010003ull);

	CHECK_EQ(vmsa_desc_make_s1_leaf(0x40000000ull, 1, VMSA_GRANULE_4K, 4,
					VMSA_AP_RO_ALL, VMSA_SH_ISH, true),
		 0x400007d1ull);
	CHECK_EQ(vmsa_desc_make_s1_leaf(0x41234000ull, 3, VMSA_GRANULE_4K, 0,
					VMSA_AP_RW_EL1, VMSA_SH_NSH, false),
		 0x41234003ull);
	CHECK_EQ(vmsa_desc_make_s1_leaf(0x2000000ull, 2, VMSA_GRANULE_16K, 1,
					VMSA_AP_RO_EL1, VMSA_SH_OSH, true),
		 0x2000685ull);

	CHECK_EQ(vmsa_desc_make_s2_leaf(0x40200000ull, 2, VMSA_GRANULE_4K,
					VMSA_S2_MEMATTR_NORMAL_WB, VMSA_S2AP_RW,
					VMSA_SH_NSH, true),
		 0x402004fdull);
	CHECK_EQ(vmsa_desc_make_s2_leaf(0x20000000ull, 2, VMSA_GRANULE_64K,
					VMSA_S2_MEMATTR_NORMAL_NC, VMSA_S2AP_RO,
					VMSA_SH_OSH, true),
		 0x20000655ull);
	CHECK_EQ(vmsa_desc_make_s2_leaf(0x9000ull, 3, VMSA_GRANULE_4K,
					VMSA_S2_MEMATTR_DEVICE_nGnRnE,
					VMSA_S2AP_NONE, VMSA_SH_NSH, false),
		 0x9003ull);

	/* Each constructor's output decodes to what it was given. */
	vmsa_desc_t d = vmsa_desc_decode(
		vmsa_desc_make_s1_leaf(0x40000000ull, 1, VMSA_GRANULE_4K, 4,
				       VMSA_AP_RO_ALL, VMSA_SH_ISH, true),
		VMSA_STAGE1, 1, VMSA_GRANULE_4K);
	CHECK_EQ(d.kind, VMSA_DESC_BLOCK);
	CHECK_EQ(d.oa, 0x40000000ull);
	CHECK_EQ(d.attr_indx, 4);
	CHECK_EQ(d.ap, VMSA_AP_RO_ALL);
	CHECK_EQ(d.sh, VMSA_SH_ISH);
	CHECK(d.af);
	CHECK_EQ(d.other, 0);
}

/* ------------------------------------------------------------------ */
/* Randomized round trip                                               */
/* ------------------------------------------------------------------ */

/* splitmix64: a fixed-seed generator, so failures reproduce. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void check_round_trip(uint64_t raw, vmsa_stage_t st, int level,
			     vmsa_granule_t g)
{
	vmsa_desc_t d = vmsa_desc_decode(raw, st, level, g);
	vmsa_desc_t bare = d;
	uint64_t enc = vmsa_desc_encode(&d);

	if (enc != raw) {
		CHECK_EQ(enc, raw);
		fprintf(stderr, "  stage %d level %d granule %s\n", (int)st,
			level, vmsa_granule_name(g));
		return;
	}
	CHECK_EQ(d.kind, vmsa_desc_kind(raw, level, g));
	CHECK_EQ(d.oa, vmsa_desc_oa(raw, level, g));
	/* `other` holds only bits that no named field holds. */
	bare.other = 0;
	CHECK_EQ(vmsa_desc_encode(&bare) & d.other, 0);
	if (d.kind == VMSA_DESC_INVALID)
		CHECK_EQ(d.ignored, raw >> 1);
	else
		CHECK_EQ(d.ignored, 0);
}

TEST(desc_round_trip_random)
{
	uint64_t seed = 0x5eed0f7e57d35cull;

	for (int i = 0; i < 4096; i++) {
		uint64_t raw = rng_next(&seed);
		/* Mostly valid values, with each bits[1:0] pattern. */
		uint64_t variants[4] = { raw, raw | 1, raw | 3,
					 (raw & ~3ull) | 1 };

		for (int v = 0; v < 4; v++)
			for (int g = 0; g < 3; g++)
				for (int l = -2; l <= 4; l++) {
					check_round_trip(variants[v],
							 VMSA_STAGE1, l,
							 granules[g]);
					check_round_trip(variants[v],
							 VMSA_STAGE2, l,
							 granules[g]);
				}
	}
	/* Corner values. */
	for (int g = 0; g < 3; g++)
		for (int l = -2; l <= 4; l++) {
			check_round_trip(0, VMSA_STAGE1, l, granules[g]);
			check_round_trip(~0ull, VMSA_STAGE1, l, granules[g]);
			check_round_trip(~0ull, VMSA_STAGE2, l, granules[g]);
			check_round_trip(~2ull, VMSA_STAGE2, l, granules[g]);
		}
}

/* ------------------------------------------------------------------ */
/* Format                                                              */
/* ------------------------------------------------------------------ */

#define CHECK_FMT(raw, st, level, g, want)                               \
	do {                                                             \
		char buf_[200];                                          \
		int n_ = vmsa_desc_format(buf_, sizeof(buf_), (raw), (st), \
					  (level), (g));                 \
		CHECK_STR(buf_, (want));                                 \
		CHECK_EQ(n_, strlen(want));                              \
	} while (0)

TEST(desc_format_leaves)
{
	CHECK_FMT(0x402004fdull, VMSA_STAGE2, 2, VMSA_GRANULE_4K,
		  "BLOCK L2 oa=0x40200000 S2AP=RW MemAttr=NormalWB AF");
	CHECK_FMT(0x0040000080000447ull, VMSA_STAGE2, 3, VMSA_GRANULE_4K,
		  "PAGE L3 oa=0x80000000 S2AP=RO MemAttr=Device-nGnRE AF "
		  "XN=2");
	CHECK_FMT(0x00e0000041234f4bull, VMSA_STAGE1, 3, VMSA_GRANULE_4K,
		  "PAGE L3 oa=0x41234000 AttrIndx=2 AP=RW SH=ISH AF nG PXN "
		  "UXN sw=0x1");
	/* Zero-valued AttrIndx and AP are still shown. */
	CHECK_FMT(0x41234003ull, VMSA_STAGE1, 3, VMSA_GRANULE_4K,
		  "PAGE L3 oa=0x41234000 AttrIndx=0 AP=RW_EL1");
	CHECK_FMT(0x9003ull, VMSA_STAGE2, 3, VMSA_GRANULE_4K,
		  "PAGE L3 oa=0x9000 S2AP=NONE MemAttr=Device-nGnRnE");
	/* Every optional stage-1 flag, plus an `other` bit (63). */
	CHECK_FMT(0x1ull | 0xa0ull | 0x200ull | 0x400ull | 0x10000ull |
			  (1ull << 50) | (1ull << 51) | (1ull << 52) |
			  (3ull << 59) | (1ull << 63) | 0x80000000ull,
		  VMSA_STAGE1, 2, VMSA_GRANULE_4K,
		  "BLOCK L2 oa=0x80000000 AttrIndx=0 AP=RO_EL1 NS SH=OSH AF "
		  "GP CONT DBM nT pbha=0x3 other=0x8000000000000000");
	CHECK_FMT(0x3ull | 0xc0ull | (3ull << 53), VMSA_STAGE2, 3,
		  VMSA_GRANULE_64K,
		  "PAGE L3 oa=0x0 S2AP=RW MemAttr=Device-nGnRnE XN=3");
}

TEST(desc_format_s2_memattr_names)
{
	static const char *const want[16] = {
		"Device-nGnRnE", "Device-nGnRE", "Device-nGRE", "Device-GRE",
		"0x4", "NormalNC", "Normal(o=NC,i=WT)", "Normal(o=NC,i=WB)",
		"0x8", "Normal(o=WT,i=NC)", "NormalWT", "Normal(o=WT,i=WB)",
		"0xc", "Normal(o=WB,i=NC)", "Normal(o=WB,i=WT)", "NormalWB",
	};

	for (unsigned m = 0; m < 16; m++) {
		char expect[80];

		snprintf(expect, sizeof(expect),
			 "BLOCK L2 oa=0x0 S2AP=NONE MemAttr=%s", want[m]);
		CHECK_FMT(0x1ull | (m << 2), VMSA_STAGE2, 2, VMSA_GRANULE_16K,
			  expect);
	}
}

TEST(desc_format_tables_invalid_reserved)
{
	CHECK_FMT(0xd800000080001003ull, VMSA_STAGE1, 0, VMSA_GRANULE_4K,
		  "TABLE L0 next=0x80001000 NSTable APTable=2 UXNTable "
		  "PXNTable");
	CHECK_FMT(0xd800000080001003ull, VMSA_STAGE2, 0, VMSA_GRANULE_4K,
		  "TABLE L0 next=0x80001000 other=0xd800000000000000");
	CHECK_FMT(0x0080000000010003ull | (1ull << 51), VMSA_STAGE1, 1,
		  VMSA_GRANULE_64K,
		  "TABLE L1 next=0x10000 sw=0x1 other=0x8000000000000");
	CHECK_FMT(0, VMSA_STAGE1, 3, VMSA_GRANULE_4K, "INVALID");
	CHECK_FMT(0x1234, VMSA_STAGE2, 1, VMSA_GRANULE_4K,
		  "INVALID ignored=0x91a");
	CHECK_FMT(0x1, VMSA_STAGE1, 3, VMSA_GRANULE_4K, "RESERVED L3 raw=0x1");
	CHECK_FMT(0x40000401ull, VMSA_STAGE1, 1, VMSA_GRANULE_64K,
		  "RESERVED L1 raw=0x40000401");
}

TEST(desc_format_truncation)
{
	char buf[10];
	const char *full = "BLOCK L2 oa=0x40200000 S2AP=RW MemAttr=NormalWB AF";
	int n;

	memset(buf, 'x', sizeof(buf));
	n = vmsa_desc_format(buf, sizeof(buf), 0x402004fdull, VMSA_STAGE2, 2,
			     VMSA_GRANULE_4K);
	CHECK_EQ(n, strlen(full));
	CHECK_STR(buf, "BLOCK L2 ");
	n = vmsa_desc_format(NULL, 0, 0x402004fdull, VMSA_STAGE2, 2,
			     VMSA_GRANULE_4K);
	CHECK_EQ(n, strlen(full));
	buf[0] = 'x';
	n = vmsa_desc_format(buf, 1, 0, VMSA_STAGE2, 2, VMSA_GRANULE_4K);
	CHECK_EQ(n, 7);
	CHECK_EQ(buf[0], '\0');
}
