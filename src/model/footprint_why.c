/*
 * src/model/footprint_why.c - why two footprints are dependent
 * (fp_dependent_why, footprint.h): the kinds of objects they share, for
 * the explorer's race diagnostic (VMSA_DPOR_RACES, docs/explorer.md).
 * It mirrors fp_dependent() but looks at every pair instead of stopping
 * at the first, and only runs when the diagnostic is on.
 */
#include "footprint.h"

static const char *const kind_names[FP_NKINDS] = {
	[FP_K_ALL] = "all",	  [FP_K_DESC] = "contexts",
	[FP_K_LINE] = "line",	  [FP_K_WORD] = "word",
	[FP_K_TLB] = "tlb",	  [FP_K_WINDOW] = "window",
	[FP_K_STORES] = "stores", [FP_K_CONT] = "cont",
	[FP_K_CACHED] = "cached", [FP_K_IRQ] = "irq",
	[FP_K_ORDER] = "order",	  [FP_K_MON] = "monitor",
	[FP_K_TLBCTX] = "tlbctx",
	[FP_K_TLBIS] = "tlbis",	  [FP_K_VIEWS] = "views",
	[FP_K_ALLOC] = "alloc",	  [FP_K_TLBUSE] = "tlbuse",
	[FP_K_RETIRED] = "retired", [FP_K_STRUCT] = "structure",
	[FP_K_PAGE] = "page",
	[FP_K_ADD] = "add",
	[FP_K_VIS] = "visibility",
};

const char *fp_kind_name(unsigned k)
{
	return k < FP_NKINDS ? kind_names[k] : "?";
}

unsigned fp_item_kind(uint64_t it)
{
	uint64_t line = FP_ITEM_LINE(it), obj;

	if (line < FP_OBJ_LINE)
		return !FP_ITEM_SUB(it) ? FP_K_LINE :
		       fp_sub_is_add(FP_ITEM_SUB(it)) ? FP_K_ADD :
		       FP_ITEM_SUB(it) >= FP_SUB_VIS ? FP_K_VIS : FP_K_WORD;
	obj = line - FP_OBJ_LINE;
	if (obj < FP_OBJ_WINDOW)
		return FP_K_TLB;
	if (obj < FP_OBJ_STORES)
		return FP_K_WINDOW;
	if (obj == FP_OBJ_STORES)
		return FP_K_STORES;
	if (obj == FP_OBJ_CONT)
		return FP_K_CONT;
	if (obj == FP_OBJ_CACHED)
		return FP_K_CACHED;
	if (obj < FP_OBJ_ORDER)
		return FP_K_IRQ;
	if (obj == FP_OBJ_ORDER)
		return FP_K_ORDER;
	if (obj < FP_OBJ_TLBCTX)
		return FP_K_MON;
	if (obj < FP_OBJ_TLBIS)
		return FP_K_TLBCTX;
	if (obj == FP_OBJ_TLBIS)
		return FP_K_TLBIS;
	if (obj < FP_OBJ_ALLOC)
		return FP_K_VIEWS;
	if (obj == FP_OBJ_ALLOC)
		return FP_K_ALLOC;
	if (obj < FP_OBJ_RETIRED)
		return FP_K_TLBUSE;
	if (obj < FP_OBJ_STRUCT)
		return FP_K_RETIRED;
	if (obj == FP_OBJ_STRUCT)
		return FP_K_STRUCT;
	return FP_K_PAGE;
}

static unsigned mark(bool why[FP_NKINDS][FP_NKINDS], unsigned x, unsigned y)
{
	unsigned lo = x < y ? x : y, hi = x < y ? y : x;

	if (why[lo][hi])
		return 0;
	why[lo][hi] = true;
	return 1;
}

/* The same test as items_conflict() in footprint.c. */
bool fp_items_conflict(uint64_t x, uint64_t y)
{
	return FP_ITEM_LINE(x) == FP_ITEM_LINE(y) && ((x | y) & 1) &&
	       fp_subs_conflict(FP_ITEM_SUB(x), FP_ITEM_SUB(y));
}

unsigned fp_dependent_why(const struct footprint *a,
			  const struct footprint *b,
			  bool why[FP_NKINDS][FP_NKINDS])
{
	unsigned n = 0;

	if ((a->flags | b->flags) & FP_ALL)
		return mark(why, FP_K_ALL, FP_K_ALL);
	if (((a->flags & FP_DESC_W) && (b->flags & (FP_DESC_R | FP_DESC_W))) ||
	    ((b->flags & FP_DESC_W) && (a->flags & (FP_DESC_R | FP_DESC_W))))
		n += mark(why, FP_K_DESC, FP_K_DESC);
	/* Quadratic, but only for the diagnostic. */
	for (unsigned i = 0; i < a->lines.n; i++)
		for (unsigned j = 0; j < b->lines.n; j++)
			if (fp_items_conflict(a->lines.p[i], b->lines.p[j]))
				n += mark(why, fp_item_kind(a->lines.p[i]),
					  fp_item_kind(b->lines.p[j]));
	return n;
}
