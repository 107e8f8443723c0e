/*
 * Entries that fault are never cached (RXCLRD, D8.16; IWZCBG, D8.17):
 * a leaf with AF = 0 gives an Access flag fault (no hardware AF updates
 * here), so a TLB never holds it, and replacing it needs no
 * break-before-make. Issue 11, model error 4: the herd7 tests
 * aarch64-BBM/MP+tlbi-sync.ishspteaf0pteoa.af1+pos and
 * MP+tlbi-sync.ishsptev0pteoa.v1+pos (herd7: Never, no BBM warning),
 * encoded as model steps:
 *
 *	P0                              | P1
 *	STR (oa:PA(x), af:0),[PTE(x)]   | LDR W4,[x]
 *	DSB ISH                         | LDR W5,[x]
 *	TLBI VAAE1IS, x                 |
 *	DSB ISH                         |
 *	STR (oa:PA(y)),[PTE(x)]         |
 *
 * The fixture maps VA 0x1000 -> page[0] (x, data 0xa0); page[1] is y
 * (0xa1).
 */
#include "chooser.h"
#include "fixture.h"

#define X 0x1000ull

/* P0's sequence; `v0` writes an invalid entry instead of AF = 0. */
static void p0(struct fx *f, bool v0)
{
	uint64_t mid = v0 ? 0 : fx_page_desc(f->page[0]) & ~VMSA_D_AF;

	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), mid);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vaae1is", X);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), fx_page_desc(f->page[1]));
}

/* P1 has used x before P0 starts (its TLB may hold the AF = 1 entry);
 * then P0 runs: the TLBI removes that entry and the AF = 0 value was
 * never cached, so the final write is no break-before-make violation
 * (RXCLRD), and P1 then reads y. */
static void run(bool v0)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, X), 0xa0);
	p0(&f, v0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(fx_read(&f, 1, X), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

TEST(model_af0_entry_never_held_rxclrd)
{
	run(false);
}

TEST(model_af0_invalid_entry_never_held_rxclrd)
{
	run(true);
}
