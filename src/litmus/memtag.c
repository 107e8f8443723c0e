/*
 * src/litmus/memtag.c - herd7's variant `memtag` (FEAT_MTE2) in litmus
 * tests: which tests it can run, and the Tagged memory of a test's
 * locations (docs/litmus.md, "Memory tagging").
 *
 * The tags themselves are the model's (vmsa_mte_tagged, vmsa_tag_store,
 * Tag Checked vmsa_read_v/vmsa_write_v): each location's page is Tagged
 * memory, every granule's Allocation Tag starts green (0, herd's
 * default_tag) but the first one's of x when the init says [tag(x)]=:c,
 * a pointer's Logical Address Tag is its x:colour, and the
 * threads run with TCR_EL1.TBI0 (Logical Address Tagging) and
 * SCTLR_EL1.TCF = TCF0 = 0b01 (synchronous Tag Check Faults: herd's
 * default, its `sync` mode).
 */
#include <stdio.h>

#include "litmus_int.h"
#include "run_int.h"

/* Has code c a read that nothing orders before a later STG of c? A DMB
 * or DSB of any kind but ST orders it (bob, DSB-ob); an LDAR/LDAPR is an
 * acquire, which orders later accesses; an address or data dependency
 * would too, but is not looked for (such a test is refused: fewer tests
 * run, none wrongly). A backward branch makes every read count. */
static int stg_after_read(const struct lit_code *c)
{
	bool loop = false, read = false;

	for (unsigned i = 0; i < c->n; i++)
		if (c->insn[i].target >= 0 && (unsigned)c->insn[i].target <= i)
			loop = true;
	for (unsigned i = 0; i < c->n; i++) {
		const struct lit_insn *in = &c->insn[i];

		if (in->op == OP_LDR || in->op == OP_LDG)
			read = true;
		else if (lit_orders_reads(in) && !loop)
			read = false;
		else if (in->op == OP_STG && read)
			return in->line;
	}
	if (!loop)
		return 0;
	for (unsigned i = 0; i < c->n; i++)
		if (c->insn[i].op == OP_LDR || c->insn[i].op == OP_LDG)
			for (unsigned k = 0; k < c->n; k++)
				if (c->insn[k].op == OP_STG)
					return c->insn[k].line;
	return 0;
}

/* The first instruction of c the model does not Tag Check (atomics,
 * exclusives, CAS: vmsa_rmw and the others are never Tag Checked), or
 * an STG in a fault handler; 0 when none. */
static int unchecked(const struct lit_code *c, bool handler)
{
	for (unsigned i = 0; i < c->n; i++) {
		enum lit_op op = c->insn[i].op;

		if (op == OP_RMW || op == OP_CAS || op == OP_LDXR ||
		    op == OP_STXR || (handler && op == OP_STG))
			return c->insn[i].line;
	}
	return 0;
}

int lit_memtag_check(const struct lit_test *t, bool memtag, char *why,
		     size_t n)
{
	int line;

	if (!memtag) {
		if (t->tag_line)
			snprintf(why, n, "%s:%d: unsupported: a tagged address "
				 "(x:colour) or STG without the variant memtag "
				 "(herd7 gives them no meaning then)", t->file,
				 t->tag_line);
		return t->tag_line ? -1 : 0;
	}
	for (unsigned i = 0; i < t->nthreads; i++) {
		line = unchecked(&t->code[i], false);
		if (!line && t->has_handler[i])
			line = unchecked(&t->handler[i], true);
		if (line) {
			snprintf(why, n, "%s:%d: unsupported: with memtag, an "
				 "atomic, exclusive or CAS (not Tag Checked "
				 "in the model) or an STG in a fault handler",
				 t->file, line);
			return -1;
		}
		line = stg_after_read(&t->code[i]);
		if (line) {
			snprintf(why, n, "%s:%d: unsupported: an STG after a "
				 "load that nothing orders before it may need "
				 "a promise (load buffering), which STG does "
				 "not get", t->file, line);
			return -1;
		}
	}
	return 0;
}

void lit_memtag_setup(vmsa_machine_t *m, const struct lit_exec *lx,
		      const struct lit_test *t)
{
	/* One 8-byte word per 16-byte granule: half a page of tags per
	 * location page, two locations per tag page. */
	unsigned per = VMSA_PAGE_SIZE / 2048;
	vmsa_pa_t tags = 0;

	for (unsigned i = 0; i < t->nsym && !vmsa_stopped(m); i++) {
		if (i % per == 0)
			tags = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
		vmsa_mte_tagged(m, VMSA_SETUP, lx->pa[i], 1,
				tags + (i % per) * 2048);
		/* [tag(x)]=:colour: the tag of x's first granule. */
		if (t->sym[i].tag)
			vmsa_phys_write(m, VMSA_SETUP, tags + (i % per) * 2048,
					8, t->sym[i].tag, true);
	}
}
