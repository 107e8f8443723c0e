/*
 * src/litmus/layout.c - where a litmus test's locations live in the
 * model, and herd's descriptor records as descriptor bits.
 *
 * Stage 1 of EL1&0, 4K granule, 39-bit VA: one L1, one L2 and one L3
 * table. Symbol i has the VA page LIT_TBL_VA + (i + 1) * 4K and its own
 * physical page; its PTE (pte_x) is entry i + 1 of the L3 table. Entry
 * 0 maps the L3 table itself at LIT_TBL_VA (EL1 only, as herd's
 * of_pte: el0 = 0), so that a thread can store to pte_x through a VA:
 * the model treats such a store as a descriptor write.
 *
 * A record (oa:PA(x), valid, af, db, dbm, el0, attrs) is the page
 * descriptor with OA = PA(x), bit 0 = valid, AP[1] (bit 6) = el0,
 * AP[2] (bit 7) = !db (herd's db: "dirty", i.e. writable), AF = af,
 * DBM = dbm, AttrIndx from attrs (MAIR_EL1 of run.c), SH = ISH.
 */
#include <stdio.h>
#include <string.h>

#include "litmus_int.h"
#include "vmsa/desc.h"

uint64_t lit_sym_va(int sym)
{
	return LIT_TBL_VA + ((uint64_t)sym + 1) * VMSA_PAGE_SIZE;
}

uint64_t lit_pte_va(int sym)
{
	return LIT_TBL_VA + 8 * ((uint64_t)sym + 1);
}

int lit_va_sym(uint64_t va, bool *is_pte)
{
	*is_pte = false;
	if (va < LIT_TBL_VA)
		return -1;
	if (va < LIT_TBL_VA + VMSA_PAGE_SIZE) {
		unsigned i = (unsigned)((va - LIT_TBL_VA) / 8);

		*is_pte = true;
		return i >= 1 && i <= LIT_MAX_SYMS ? (int)i - 1 : -1;
	}
	uint64_t i = (va - LIT_TBL_VA) / VMSA_PAGE_SIZE;

	return i >= 1 && i <= LIT_MAX_SYMS ? (int)i - 1 : -1;
}

uint64_t lit_desc_encode(const struct lit_desc *d, vmsa_pa_t oa)
{
	unsigned sh = d->attr == LIT_ATTR_NORMAL ? VMSA_SH_ISH : VMSA_SH_OSH;
	uint64_t v = (oa & 0x0000fffffffff000ull) | VMSA_D_TYPE |
		     (uint64_t)d->attr << VMSA_D_ATTRINDX_SHIFT |
		     (uint64_t)sh << VMSA_D_SH_SHIFT;

	if (d->valid)
		v |= VMSA_D_VALID;
	if (d->el0)
		v |= 1ull << VMSA_D_AP_SHIFT;
	if (!d->db)
		v |= 2ull << VMSA_D_AP_SHIFT;
	if (d->af)
		v |= VMSA_D_AF;
	if (d->dbm)
		v |= VMSA_D_DBM;
	return v;
}

void lit_desc_decode(uint64_t v, const vmsa_pa_t *pa_of, unsigned nsym,
		     struct lit_desc *d, uint64_t *oa)
{
	unsigned attr = (unsigned)(v >> VMSA_D_ATTRINDX_SHIFT) & 7;

	memset(d, 0, sizeof(*d));
	*oa = v & 0x0000fffffffff000ull;
	d->oa_sym = -1;
	for (unsigned i = 0; i < nsym; i++)
		if (pa_of[i] == *oa)
			d->oa_sym = (int)i;
	d->valid = v & VMSA_D_VALID ? 1 : 0;
	d->el0 = (v >> VMSA_D_AP_SHIFT) & 1 ? 1 : 0;
	d->db = (v >> VMSA_D_AP_SHIFT) & 2 ? 0 : 1;
	d->af = v & VMSA_D_AF ? 1 : 0;
	d->dbm = v & VMSA_D_DBM ? 1 : 0;
	d->attr = attr < LIT_ATTR_N ? (enum lit_attr)attr : LIT_ATTR_NORMAL;
}

/* Does v look like one of our descriptors (for printing a register)? */
static bool looks_like_desc(uint64_t v, const vmsa_pa_t *pa_of,
			    unsigned nsym)
{
	uint64_t oa = v & 0x0000fffffffff000ull;

	if (!(v & VMSA_D_TYPE) || (v >> 52) || (v & 0x0007fffffffff000ull) == 0)
		return false;
	for (unsigned i = 0; i < nsym; i++)
		if (pa_of[i] == oa)
			return true;
	return false;
}

int lit_desc_format(char *buf, size_t size, const struct lit_test *t,
		    uint64_t v, const vmsa_pa_t *pa_of)
{
	static const char *const an[] = {"", "Device-GRE", "Device-nGnRnE",
					 "Normal,iNC,oNC"};
	struct lit_desc d;
	uint64_t oa;
	int k;

	lit_desc_decode(v, pa_of, t->nsym, &d, &oa);
	if (d.oa_sym >= 0)
		k = snprintf(buf, size, "(oa:PA(%s)", t->sym[d.oa_sym].name);
	else
		k = snprintf(buf, size, "(oa:0x%llx", (unsigned long long)oa);
#define ADD(...)                                                            \
	do {                                                                \
		if (k >= 0 && (size_t)k < size)                             \
			k += snprintf(buf + k, size - (size_t)k, __VA_ARGS__); \
	} while (0)
	if (!d.af)
		ADD(", af:0");
	if (!d.db)
		ADD(", db:0");
	if (d.dbm)
		ADD(", dbm:1");
	if (!d.valid)
		ADD(", valid:0");
	if (!d.el0)
		ADD(", el0:0");
	if (d.attr != LIT_ATTR_NORMAL)
		ADD(", attrs:(%s)", an[d.attr]);
	ADD(")");
#undef ADD
	return k;
}

uint64_t lit_label_value(int thread, int insn)
{
	return LIT_LABEL_BASE | (uint64_t)thread << 16 | (uint64_t)insn;
}

uint64_t lit_value_runtime(const struct lit_value *v, const vmsa_pa_t *pa_of)
{
	switch (v->kind) {
	case LV_INT:
		return (uint64_t)v->i;
	case LV_VA:
		return lit_sym_va(v->sym) | (uint64_t)v->tag << 56;
	case LV_PTE:
		return lit_pte_va(v->sym);
	case LV_PA:
		return pa_of[v->sym];
	case LV_DESC:
		return lit_desc_encode(&v->d, pa_of[v->d.oa_sym >= 0 ?
						     v->d.oa_sym : 0]);
	case LV_LABEL:
		return lit_label_value(v->thread, v->insn);
	}
	return 0;
}

/* v printed as one of herd7's symbolic values (a descriptor, a label, a
 * location's or a PTE's address, a tagged pointer), or -1 when it is a
 * plain number. */
static int symbol_text(char *buf, size_t size, const struct lit_test *t,
		       uint64_t v, const vmsa_pa_t *pa_of)
{
	bool pte;
	int s;

	if (looks_like_desc(v, pa_of, t->nsym))
		return lit_desc_format(buf, size, t, v, pa_of);
	if ((v & ~0xffffffull) == LIT_LABEL_BASE) {
		unsigned th = (unsigned)(v >> 16) & 0xff, insn = v & 0xffff;

		if (th < t->nthreads)
			for (unsigned i = 0; i < t->code[th].nlabel; i++)
				if (t->code[th].label[i].insn == (int)insn)
					return snprintf(buf, size,
						"label:\"P%u:%s\"", th,
						t->code[th].label[i].name);
	}
	s = lit_va_sym(v, &pte);
	if (s >= 0 && (unsigned)s < t->nsym &&
	    v == (pte ? lit_pte_va(s) : lit_sym_va(s)))
		return pte ? snprintf(buf, size, "PTE(%s)", t->sym[s].name)
			   : snprintf(buf, size, "%s", t->sym[s].name);
	/* An address inside x's page, as herd7 prints it: x+4. */
	if (s >= 0 && (unsigned)s < t->nsym && !pte)
		return snprintf(buf, size, "%s+%llu", t->sym[s].name,
				(unsigned long long)(v - lit_sym_va(s)));
	/* A tagged pointer (memtag): x:colour, as herd prints it. */
	s = lit_va_sym(v & LIT_VA_MASK, &pte);
	if (s >= 0 && (unsigned)s < t->nsym && !pte &&
	    (v >> 60) == 0 && ((v >> 56) & 0xf) < LIT_NCOLOURS &&
	    (v & LIT_VA_MASK) == lit_sym_va(s))
		return snprintf(buf, size, "%s:%s", t->sym[s].name,
				lit_colour[(v >> 56) & 0xf]);
	return -1;
}

int lit_value_format(char *buf, size_t size, const struct lit_test *t,
		     uint64_t v, const vmsa_pa_t *pa_of, bool is_pte)
{
	if (is_pte)
		return lit_desc_format(buf, size, t, v, pa_of);
	return lit_number_format(buf, size, t, v, pa_of, false);
}

int lit_number_format(char *buf, size_t size, const struct lit_test *t,
		      uint64_t v, const vmsa_pa_t *pa_of, bool uns)
{
	int k = symbol_text(buf, size, t, v, pa_of);

	if (k >= 0)
		return k;
	return uns ? snprintf(buf, size, "%llu", (unsigned long long)v)
		   : snprintf(buf, size, "%lld", (long long)v);
}

uint64_t lit_typed(uint64_t v, unsigned size, bool uns)
{
	unsigned sh = 64 - 8 * size;

	if (size >= 8)
		return v;
	return uns ? v << sh >> sh : (uint64_t)((int64_t)(v << sh) >> sh);
}

uint64_t lit_reg_final(const struct lit_test *t, int thread, unsigned reg,
		       uint64_t v, const vmsa_pa_t *pa_of)
{
	if (t->reg_size[thread][reg] == 8 ||
	    symbol_text(NULL, 0, t, v, pa_of) >= 0)
		return v;
	return lit_typed(v, 4, t->reg_unsigned[thread][reg]);
}
