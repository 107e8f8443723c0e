/*
 * src/arch/desc.c - VMSAv8-64 descriptors: kind, decode, encode, format.
 *
 * The layout follows D8.3.1 (VMSAv8-64 descriptor formats) with 48-bit
 * output addresses. decode() splits a raw value into named fields and puts
 * every bit it does not name into `other`; encode() puts them back, so
 * encode(decode(x)) == x for any x, stage, level and granule. That lets
 * the model and the tests treat decoded descriptors as exact values.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "geom.h"

/* Bits [hi:lo] set. */
static uint64_t bits(unsigned hi, unsigned lo)
{
	uint64_t top = hi >= 63 ? ~0ull : (1ull << (hi + 1)) - 1;

	return top & ~((1ull << lo) - 1);
}

static unsigned field(uint64_t raw, unsigned shift, unsigned width)
{
	return (unsigned)((raw >> shift) & ((1ull << width) - 1));
}

static uint64_t put(unsigned v, unsigned shift, unsigned width)
{
	return ((uint64_t)v & ((1ull << width) - 1)) << shift;
}

static uint64_t flag(bool b, uint64_t bit)
{
	return b ? bit : 0;
}


/* Field widths. */
#define ATTRINDX_W 3u
#define MEMATTR_W 4u
#define AP_W 2u
#define SH_W 2u
#define S2XN_W 2u
#define SW_W 4u
#define PBHA_W 4u
#define APTABLE_W 2u

/* Bits [1:0] of each valid kind. */
#define TYPE_TABLE_PAGE 0x3ull
#define TYPE_BLOCK 0x1ull

/* 48-bit OA: the address field ends at bit 47 (no FEAT_LPA/LPA2). The
 * bodies of these and of vmsa_desc_kind() and vmsa_desc_oa() are in
 * geom.h, inline for the model; the names in parentheses are the public
 * functions, not geom.h's macros. */
uint64_t (vmsa_oa_mask)(unsigned lo)
{
	return geom_oa_mask(lo);
}

uint64_t (vmsa_desc_oa_mask)(vmsa_granule_t g, int level)
{
	return geom_desc_oa_mask(g, level);
}

/* A table descriptor holds the next-level table address, aligned to the
 * granule: bits [47:granule shift] (D8.3.1, Table D8-50). */
static uint64_t table_oa_mask(vmsa_granule_t g)
{
	return vmsa_oa_mask(vmsa_granule_shift(g));
}

/*
 * D8.3 Table D8-48: bit[0] = 0 is invalid; at level 3, bits[1:0] = 0b01
 * is reserved (treated as invalid) and 0b11 a page; at levels 0-2, 0b11 is
 * a table and 0b01 a block. A block at a level where the granule does not
 * allow one with a 48-bit OA is reserved too (the walk gives a level
 * Translation fault), and so is any valid descriptor read at a level the
 * granule cannot have in a 48-bit configuration.
 */
vmsa_desc_kind_t (vmsa_desc_kind)(uint64_t raw, int level, vmsa_granule_t g)
{
	return geom_desc_kind(raw, level, g);
}

vmsa_pa_t (vmsa_desc_oa)(uint64_t raw, int level, vmsa_granule_t g)
{
	return geom_desc_oa(raw, level, g);
}

/*
 * Table descriptor (D8.3.1.1, Table D8-50, ILZSBS):
 *   [47:m]  next-level table address (m = granule shift); [m-1:12] RES0
 *   [58:55] decoded as `sw`: within the IGNORED [58:51], these are the
 *           bits software conventionally uses, as in leaves
 *   stage 1: PXNTable[59], UXNTable/XNTable[60], APTable[62:61],
 *            NSTable[63] (RES0 outside Secure state; decoded anyway)
 *   stage 2: [63:59] are RES0 (or IGNORED with indirect permissions):
 *            left in `other`
 * Everything else (the IGNORED [11:2], [54:51], RES0 [50:48]) is `other`.
 */
static void decode_table(vmsa_desc_t *d, uint64_t raw)
{
	uint64_t named = TYPE_TABLE_PAGE | table_oa_mask(d->granule) |
			 bits(58, 55);

	d->oa = raw & table_oa_mask(d->granule);
	d->sw = field(raw, VMSA_D_SW_SHIFT, SW_W);
	if (d->stage == VMSA_STAGE1) {
		d->pxn_table = raw & VMSA_D_PXNTABLE;
		d->uxn_table = raw & VMSA_D_UXNTABLE;
		d->ap_table = field(raw, VMSA_D_APTABLE_SHIFT, APTABLE_W);
		d->ns_table = raw & VMSA_D_NSTABLE;
		named |= bits(63, 59);
	}
	d->other = raw & ~named;
}

static uint64_t encode_table(const vmsa_desc_t *d)
{
	uint64_t raw = TYPE_TABLE_PAGE | (d->oa & table_oa_mask(d->granule)) |
		       put(d->sw, VMSA_D_SW_SHIFT, SW_W);

	if (d->stage == VMSA_STAGE1)
		raw |= flag(d->pxn_table, VMSA_D_PXNTABLE) |
		       flag(d->uxn_table, VMSA_D_UXNTABLE) |
		       put(d->ap_table, VMSA_D_APTABLE_SHIFT, APTABLE_W) |
		       flag(d->ns_table, VMSA_D_NSTABLE);
	return raw;
}

/*
 * Bits named in a leaf of either stage: type, SH, AF, the address, DBM,
 * Contiguous, software bits, PBHA; nT only in blocks (in pages bit 16 is
 * an address bit of 4K and 16K, and RES0 below the 64K address).
 */
static uint64_t leaf_common_mask(const vmsa_desc_t *d)
{
	uint64_t m = bits(1, 0) | bits(9, 8) | VMSA_D_AF |
		     vmsa_desc_oa_mask(d->granule, d->level) | VMSA_D_DBM |
		     VMSA_D_CONT | bits(58, 55) | bits(62, 59);

	if (d->kind == VMSA_DESC_BLOCK)
		m |= VMSA_D_NT;
	return m;
}

/*
 * Block and page descriptors (D8.3.1.2, D8.3.1.3). Stage 1: AttrIndx[4:2],
 * NS[5], AP[7:6], nG[11], GP[50], PXN[53], UXN/XN[54]. Stage 2:
 * MemAttr[5:2], S2AP[7:6], XN[54:53]. Bits [49:48] (LPA2 address), bit 63,
 * stage-2 bits 11 and 50 and the RES0 bits below a block's address stay
 * in `other`.
 */
static void decode_leaf(vmsa_desc_t *d, uint64_t raw)
{
	uint64_t named = leaf_common_mask(d);

	d->oa = raw & vmsa_desc_oa_mask(d->granule, d->level);
	d->sh = field(raw, VMSA_D_SH_SHIFT, SH_W);
	d->af = raw & VMSA_D_AF;
	d->nt = d->kind == VMSA_DESC_BLOCK && (raw & VMSA_D_NT);
	d->dbm = raw & VMSA_D_DBM;
	d->contig = raw & VMSA_D_CONT;
	d->sw = field(raw, VMSA_D_SW_SHIFT, SW_W);
	d->pbha = field(raw, VMSA_D_PBHA_SHIFT, PBHA_W);

	if (d->stage == VMSA_STAGE1) {
		d->attr_indx = field(raw, VMSA_D_ATTRINDX_SHIFT, ATTRINDX_W);
		d->ns = raw & VMSA_D_NS;
		d->ap = field(raw, VMSA_D_AP_SHIFT, AP_W);
		d->ng = raw & VMSA_D_NG;
		d->gp = raw & VMSA_D_GP;
		d->pxn = raw & VMSA_D_PXN;
		d->uxn = raw & VMSA_D_UXN;
		named |= bits(7, 2) | VMSA_D_NG | VMSA_D_GP | VMSA_D_PXN |
			 VMSA_D_UXN;
	} else {
		d->memattr = field(raw, VMSA_D_MEMATTR_SHIFT, MEMATTR_W);
		d->s2ap = field(raw, VMSA_D_AP_SHIFT, AP_W);
		d->xn = field(raw, VMSA_D_S2XN_SHIFT, S2XN_W);
		named |= bits(7, 2) | bits(54, 53);
	}
	d->other = raw & ~named;
}

static uint64_t encode_leaf(const vmsa_desc_t *d)
{
	uint64_t raw = d->kind == VMSA_DESC_PAGE ? TYPE_TABLE_PAGE : TYPE_BLOCK;

	raw |= d->oa & vmsa_desc_oa_mask(d->granule, d->level);
	raw |= put(d->sh, VMSA_D_SH_SHIFT, SH_W) | flag(d->af, VMSA_D_AF) |
	       flag(d->dbm, VMSA_D_DBM) | flag(d->contig, VMSA_D_CONT) |
	       put(d->sw, VMSA_D_SW_SHIFT, SW_W) |
	       put(d->pbha, VMSA_D_PBHA_SHIFT, PBHA_W);
	if (d->kind == VMSA_DESC_BLOCK)
		raw |= flag(d->nt, VMSA_D_NT);

	if (d->stage == VMSA_STAGE1)
		raw |= put(d->attr_indx, VMSA_D_ATTRINDX_SHIFT, ATTRINDX_W) |
		       flag(d->ns, VMSA_D_NS) |
		       put(d->ap, VMSA_D_AP_SHIFT, AP_W) |
		       flag(d->ng, VMSA_D_NG) | flag(d->gp, VMSA_D_GP) |
		       flag(d->pxn, VMSA_D_PXN) | flag(d->uxn, VMSA_D_UXN);
	else
		raw |= put(d->memattr, VMSA_D_MEMATTR_SHIFT, MEMATTR_W) |
		       put(d->s2ap, VMSA_D_AP_SHIFT, AP_W) |
		       put(d->xn, VMSA_D_S2XN_SHIFT, S2XN_W);
	return raw;
}

void desc_decode_into(vmsa_desc_t *d, uint64_t raw, vmsa_stage_t stage,
		      int level, vmsa_granule_t granule)
{
	*d = (vmsa_desc_t){
		.kind = vmsa_desc_kind(raw, level, granule),
		.stage = stage,
		.granule = granule,
		.level = level,
	};
	switch (d->kind) {
	case VMSA_DESC_INVALID:
		/* Bits [63:1] are ignored by the walk: software's to use. */
		d->ignored = raw >> 1;
		break;
	case VMSA_DESC_TABLE:
		decode_table(d, raw);
		break;
	case VMSA_DESC_BLOCK:
	case VMSA_DESC_PAGE:
		decode_leaf(d, raw);
		break;
	case VMSA_DESC_RESERVED:
	default:
		/* Nothing in it has a meaning: keep the raw value whole. */
		d->other = raw;
		break;
	}
}

vmsa_desc_t vmsa_desc_decode(uint64_t raw, vmsa_stage_t stage, int level,
			     vmsa_granule_t granule)
{
	vmsa_desc_t d;

	desc_decode_into(&d, raw, stage, level, granule);
	return d;
}

/*
 * `other` is ORed in last so that a decoded value comes back exactly.
 * For a hand-built value, `other` bits that overlap named fields are the
 * caller's business.
 */
uint64_t vmsa_desc_encode(const vmsa_desc_t *d)
{
	switch (d->kind) {
	case VMSA_DESC_INVALID:
		return (d->ignored << 1) | (d->other & ~VMSA_D_VALID);
	case VMSA_DESC_TABLE:
		return encode_table(d) | d->other;
	case VMSA_DESC_BLOCK:
	case VMSA_DESC_PAGE:
		return encode_leaf(d) | d->other;
	case VMSA_DESC_RESERVED:
	default:
		return d->other;
	}
}

uint64_t vmsa_desc_make_table(vmsa_pa_t next_table, vmsa_granule_t granule)
{
	return TYPE_TABLE_PAGE | (next_table & table_oa_mask(granule));
}

static uint64_t leaf_type(int level)
{
	return level == VMSA_LEVEL_MAX ? TYPE_TABLE_PAGE : TYPE_BLOCK;
}

uint64_t vmsa_desc_make_s1_leaf(vmsa_pa_t oa, int level, vmsa_granule_t granule,
				unsigned attr_indx, unsigned ap, unsigned sh,
				bool af)
{
	return leaf_type(level) | (oa & vmsa_desc_oa_mask(granule, level)) |
	       put(attr_indx, VMSA_D_ATTRINDX_SHIFT, ATTRINDX_W) |
	       put(ap, VMSA_D_AP_SHIFT, AP_W) | put(sh, VMSA_D_SH_SHIFT, SH_W) |
	       flag(af, VMSA_D_AF);
}

uint64_t vmsa_desc_make_s2_leaf(vmsa_pa_t oa, int level, vmsa_granule_t granule,
				unsigned memattr, unsigned s2ap, unsigned sh,
				bool af)
{
	return leaf_type(level) | (oa & vmsa_desc_oa_mask(granule, level)) |
	       put(memattr, VMSA_D_MEMATTR_SHIFT, MEMATTR_W) |
	       put(s2ap, VMSA_D_AP_SHIFT, AP_W) | put(sh, VMSA_D_SH_SHIFT, SH_W) |
	       flag(af, VMSA_D_AF);
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

const char *vmsa_granule_name(vmsa_granule_t g)
{
	switch (g) {
	case VMSA_GRANULE_4K:
		return "4K";
	case VMSA_GRANULE_16K:
		return "16K";
	case VMSA_GRANULE_64K:
		return "64K";
	default:
		return "?";
	}
}

const char *vmsa_desc_kind_name(vmsa_desc_kind_t k)
{
	switch (k) {
	case VMSA_DESC_INVALID:
		return "INVALID";
	case VMSA_DESC_TABLE:
		return "TABLE";
	case VMSA_DESC_BLOCK:
		return "BLOCK";
	case VMSA_DESC_PAGE:
		return "PAGE";
	case VMSA_DESC_RESERVED:
		return "RESERVED";
	default:
		return "?";
	}
}

/* An snprintf that appends to buf and keeps counting past its end. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *at = o->len < o->size ? o->buf + o->len : NULL;
	size_t room = o->len < o->size ? o->size - o->len : 0;

	va_start(ap, fmt);
	n = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *const s1_ap_names[4] = { "RW_EL1", "RW", "RO_EL1", "RO" };
static const char *const s2ap_names[4] = { "NONE", "RO", "WO", "RW" };
static const char *const sh_names[4] = { "NSH", "SH?", "OSH", "ISH" };

/* Normal memory cacheability of one MemAttr half (outer [3:2] or inner
 * [1:0]); NULL for 0b00, which is not a Normal encoding. */
static const char *s2_cache_name(unsigned v)
{
	static const char *const names[4] = { NULL, "NC", "WT", "WB" };

	return names[v & 3];
}

/*
 * Stage-2 MemAttr[3:0] without FEAT_S2FWB (D8.6): [3:2] = 0b00 is Device
 * with [1:0] selecting the type; otherwise [3:2] is the outer and [1:0]
 * the inner cacheability, with 0b00 in [1:0] reserved.
 */
static void format_s2_memattr(struct out *o, unsigned m)
{
	static const char *const dev[4] = { "Device-nGnRnE", "Device-nGnRE",
					    "Device-nGRE", "Device-GRE" };
	const char *outer = s2_cache_name(m >> 2);
	const char *inner = s2_cache_name(m);

	if (!outer)
		outf(o, " MemAttr=%s", dev[m & 3]);
	else if (!inner)
		outf(o, " MemAttr=0x%x", m);
	else if (outer == inner)
		outf(o, " MemAttr=Normal%s", outer);
	else
		outf(o, " MemAttr=Normal(o=%s,i=%s)", outer, inner);
}

static void format_leaf(struct out *o, const vmsa_desc_t *d)
{
	outf(o, " oa=0x%" PRIx64, d->oa);
	if (d->stage == VMSA_STAGE1) {
		outf(o, " AttrIndx=%u AP=%s", d->attr_indx, s1_ap_names[d->ap]);
		if (d->ns)
			outf(o, " NS");
	} else {
		outf(o, " S2AP=%s", s2ap_names[d->s2ap]);
		format_s2_memattr(o, d->memattr);
	}
	if (d->sh)
		outf(o, " SH=%s", sh_names[d->sh]);
	if (d->af)
		outf(o, " AF");
	if (d->ng)
		outf(o, " nG");
	if (d->stage == VMSA_STAGE1) {
		if (d->pxn)
			outf(o, " PXN");
		if (d->uxn)
			outf(o, " UXN");
		if (d->gp)
			outf(o, " GP");
	} else if (d->xn) {
		outf(o, " XN=%u", d->xn);
	}
	if (d->contig)
		outf(o, " CONT");
	if (d->dbm)
		outf(o, " DBM");
	if (d->nt)
		outf(o, " nT");
	if (d->sw)
		outf(o, " sw=0x%x", d->sw);
	if (d->pbha)
		outf(o, " pbha=0x%x", d->pbha);
}

static void format_table(struct out *o, const vmsa_desc_t *d)
{
	outf(o, " next=0x%" PRIx64, d->oa);
	if (d->ns_table)
		outf(o, " NSTable");
	if (d->ap_table)
		outf(o, " APTable=%u", d->ap_table);
	if (d->uxn_table)
		outf(o, " UXNTable");
	if (d->pxn_table)
		outf(o, " PXNTable");
	if (d->sw)
		outf(o, " sw=0x%x", d->sw);
}

/*
 * One line, fields in a fixed order. Leaves always show the address and
 * the permission/type fields (stage 1 AttrIndx and AP, stage 2 S2AP and
 * MemAttr), because their zero values mean something; every other field
 * is shown only when non-zero. `other` is shown when non-zero so that
 * nothing in the descriptor is hidden.
 */
int vmsa_desc_format(char *buf, size_t size, uint64_t raw, vmsa_stage_t stage,
		     int level, vmsa_granule_t granule)
{
	vmsa_desc_t d = vmsa_desc_decode(raw, stage, level, granule);
	struct out o = { .buf = buf, .size = size, .len = 0 };

	if (buf && size)
		buf[0] = '\0';
	if (!buf)
		o.size = 0;

	outf(&o, "%s", vmsa_desc_kind_name(d.kind));
	switch (d.kind) {
	case VMSA_DESC_INVALID:
		if (d.ignored)
			outf(&o, " ignored=0x%" PRIx64, d.ignored);
		return (int)o.len;
	case VMSA_DESC_RESERVED:
		outf(&o, " L%d raw=0x%" PRIx64, level, raw);
		return (int)o.len;
	case VMSA_DESC_TABLE:
		outf(&o, " L%d", level);
		format_table(&o, &d);
		break;
	default:
		outf(&o, " L%d", level);
		format_leaf(&o, &d);
		break;
	}
	if (d.other)
		outf(&o, " other=0x%" PRIx64, d.other);
	return (int)o.len;
}
