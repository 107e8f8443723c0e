/*
 * tests/litmus/test_litmus_tlbi.c - what a completed TLBI keeps a later
 * walk from reading (B2.3.7, TLBI-coherence-after; docs/model.md,
 * "Values a DSB published"): the hand-written tests of tests/litmus/tlbi/
 * with their exact final states and witness counts. Every observation
 * and every final state is herd7's (`herd7 -variant vmsa,fatal[,ets2]`,
 * herdtools7 5feffe4e8, compared state by state with
 * tests/litmus/tools/herd-states.sh). The witness counts grew on
 * 2026-12-07, same states, when a completed TLBI and a DSB that
 * publishes stores took a choice of places in memory's order (order.c,
 * fence_place).
 */

#include "litmus_run.h"

#define ETS2 "vmsa,fatal,ets2"
#define NOETS2 "vmsa,fatal"

/* tests/litmus/tlbi/NAME.litmus under variant: its observation, states
 * (n of want), witnesses and the executions dropped for a promise left
 * unfulfilled (P1's store to x may be promised). */
static void expect(const char *name, const char *variant,
		   vmsa_litmus_outcome_t obs, const char *const *want,
		   unsigned n, uint64_t pos, uint64_t neg, uint64_t dropped)
{
	lit_expect_in("tlbi", name, variant, false, obs, want, n, pos, neg,
		      dropped);
}

/* Artem3's final states: P0's read of x's descriptor (dirty or not),
 * P2's read of z, and whether P2's access to y faulted. */
#define A3_CLEAN "0:X2=(oa:PA(x), db:0, dbm:1); "
#define A3_DIRTY "0:X2=(oa:PA(x), dbm:1); "
static const char *const a3_all[] = {
	A3_CLEAN "2:X0=0; Fault(P2:L2,y);", A3_CLEAN "2:X0=0; ~Fault(P2:L2,y);",
	A3_CLEAN "2:X0=1; Fault(P2:L2,y);", A3_CLEAN "2:X0=1; ~Fault(P2:L2,y);",
	A3_DIRTY "2:X0=0; Fault(P2:L2,y);", A3_DIRTY "2:X0=0; ~Fault(P2:L2,y);",
	A3_DIRTY "2:X0=1; Fault(P2:L2,y);", A3_DIRTY "2:X0=1; ~Fault(P2:L2,y);"};

/*
 * P1 invalidates y's descriptor, DSB ST, then stores to x, which sets
 * x's dirty state (hardware DBM). P0 reads that update, issues a
 * broadcast TLBI of y and stores z after its DSB; P2 reads z, DMB LD,
 * then y. With ETS2 and P0's DSB ISH before the TLBI, P1's store is
 * ordered before the TLBI (through P0's read of the update), P2's walk
 * is after the TLBI (through z), so it cannot read y's old descriptor:
 * Never. With a DMB ISHST there nothing orders P1's store before the
 * TLBI, and the walk may read the old (valid) descriptor although P1's
 * DSB made the new one visible earlier in the model's steps: Sometimes
 * (vmsa said Never before the model let a walk read such a value).
 */
TEST(litmus_tlbi_artem3_unordered)
{
	expect("Artem3+dmb.ishst", ETS2, VMSA_LITMUS_SOMETIMES, a3_all, 8,
	       15, 2428, 0);
	expect("Artem3+dmb.ishst", NOETS2, VMSA_LITMUS_SOMETIMES, a3_all, 8,
	       166, 4793, 1936);
}

TEST(litmus_tlbi_artem3_ordered)
{
	/* All but the witness (dirty, z = 1, no fault). */
	expect("Artem3", ETS2, VMSA_LITMUS_NEVER, a3_all, 7, 0, 3394, 0);
	/* Without ETS2 P1's store to x may be translated (and its update
	 * made) before its DSB ST: Sometimes, as in herd7. */
	expect("Artem3", NOETS2, VMSA_LITMUS_SOMETIMES, a3_all, 8, 158, 4743,
	       1936);
}

static const char *const mp_3[] = {
	"0:X0=0; Fault(P0:L0,x);", "0:X0=0; ~Fault(P0:L0,x);",
	"0:X0=1; Fault(P0:L0,x);"};
static const char *const mp_4[] = {
	"0:X0=0; Fault(P0:L0,x);", "0:X0=0; ~Fault(P0:L0,x);",
	"0:X0=1; Fault(P0:L0,x);", "0:X0=1; ~Fault(P0:L0,x);"};

/*
 * P1 invalidates x's descriptor, then sets z; P0 reads z = 1, DSB ISH,
 * a *local* TLBI of x, DSB ISH, ISB, then reads x. P1's store is
 * ordered before the TLBI (DSB or DMB ST on P1's side, then P0's read
 * and DSB), so P0's walk after it cannot read the old descriptor
 * (TLBI-coherence-after). With only a DMB ST the new descriptor was
 * never made visible by a DSB: the walk is kept from the old one by the
 * order alone (vmsa said Sometimes before local TLBIs were recorded).
 */
TEST(litmus_tlbi_local_ordered)
{
	expect("MP.pte+dsb+local-tlbi", NOETS2, VMSA_LITMUS_NEVER, mp_3, 3,
	       0, 13, 0);
	expect("MP.pte+dsb+local-tlbi", ETS2, VMSA_LITMUS_NEVER, mp_3, 3, 0,
	       17, 0);
	expect("MP.pte+dmb.st+local-tlbi", NOETS2, VMSA_LITMUS_NEVER, mp_3,
	       3, 0, 6, 0);
	expect("MP.pte+dmb.st+local-tlbi", ETS2, VMSA_LITMUS_NEVER, mp_3, 3,
	       0, 6, 0);
}

TEST(litmus_tlbi_local_no_isb)
{
	/* Without the ISB the walk is ordered after the TLBI only with
	 * ETS2 (the DSB orders walks). */
	expect("MP.pte+dsb+local-tlbi-noisb", NOETS2, VMSA_LITMUS_SOMETIMES,
	       mp_4, 4, 2, 10, 0);
	expect("MP.pte+dsb+local-tlbi-noisb", ETS2, VMSA_LITMUS_NEVER, mp_3,
	       3, 0, 13, 0);
}

static const char *const cold_4[] = {
	"0:X0=0; Fault(P0:L0,y);", "0:X0=0; ~Fault(P0:L0,y);",
	"0:X0=1; Fault(P0:L0,y);", "0:X0=1; ~Fault(P0:L0,y);"};

TEST(litmus_tlbi_none_cold)
{
	/* No TLBI: the walk ordered after z (address dependency) may
	 * still read the old valid descriptor, which P0's TLB may hold. */
	expect("MP.pte+dsb+addr-cold", NOETS2, VMSA_LITMUS_SOMETIMES,
	       cold_4, 4, 1, 5, 0);
	expect("MP.pte+dsb+addr-cold", ETS2, VMSA_LITMUS_SOMETIMES, cold_4,
	       4, 1, 5, 0);
}

/*
 * herd's S+dmb.st+dsb.st-tlbi-dsb-isb with a last-level TLBI (VALE1IS)
 * for its VAAE1IS: P0 invalidates x's descriptor, then (DMB ST) writes
 * y = 1; P1 writes y = 2, DSB ST, the TLBI, DSB ISH, ISB, reads x. With
 * y = 2 in the end P0's invalidation is ordered before the TLBI, so the
 * walk after it cannot read the old (valid, leaf) descriptor: Never, as
 * in herd7. The TLBI's match was tested against the tag of the word's
 * newest value, an invalid descriptor, which is no leaf: a last-level
 * TLBI did not match and the walk could read the old page (Sometimes).
 * Now each older value is bounded by the TLBIs that remove its own
 * entry (tlbi_coh_of in translate.c).
 */
TEST(litmus_tlbi_last_level)
{
	static const char *const st[] = {
		"[y]=1; Fault(P1:L0,x);", "[y]=1; ~Fault(P1:L0,x);",
		"[y]=2; Fault(P1:L0,x);"};

	expect("S+dmb.st+dsb.st-tlbi.vale1is-dsb-isb", NOETS2,
	       VMSA_LITMUS_NEVER, st, 3, 0, 19, 0);
	expect("S+dmb.st+dsb.st-tlbi.vale1is-dsb-isb", ETS2,
	       VMSA_LITMUS_NEVER, st, 3, 0, 19, 0);
}

/*
 * TLBI-ordered-before for two accesses in program order with the same
 * low-order address bits (B2.3.7; herd7's aarch64.cat: the third clause
 * of TLBI-ob, same-low-order-bits): once P0's first read has used the
 * new mapping, its second read cannot use an entry the TLBI removed when
 * the two could be to one location through aliases (the same bits below
 * the granule: va1 and va2 both at offset 0), and may when they cannot
 * (x and x+4). vmsa compared the 8-byte word of the VA until
 * 2026-12-07: CoRR.alias+bbm-both was Sometimes and CoRR.offset+bbm
 * Never, each the other way round from herd7 (herd7's own
 * catalogue/aarch64-oban tests of these shapes found it).
 */
TEST(litmus_tlbi_same_low_order_bits)
{
	static const char *const alias[] = {
		"0:X0=0; 0:X3=0; Fault(P0:L2,va2);",
		"0:X0=0; 0:X3=0; ~Fault(P0:L2,va2);",
		"0:X0=0; 0:X3=1; ~Fault(P0:L2,va2);",
		"0:X0=1; 0:X3=0; Fault(P0:L2,va2);",
		"0:X0=1; 0:X3=1; ~Fault(P0:L2,va2);"};
	static const char *const offset[] = {
		"0:X0=0; 0:X2=0; Fault(P0:L2);",
		"0:X0=0; 0:X2=0; ~Fault(P0:L2);",
		"0:X0=0; 0:X2=1; ~Fault(P0:L2);",
		"0:X0=1; 0:X2=0; Fault(P0:L2);",
		"0:X0=1; 0:X2=0; ~Fault(P0:L2);",
		"0:X0=1; 0:X2=1; ~Fault(P0:L2);"};

	/* Only when the earlier translation is ordered after the TLBI:
	 * one that read a descriptor nobody changed may come before it
	 * (herd's MP+shoot+po+VMALL shape: Sometimes). */
	static const char *const flag[] = {
		"1:X4=0; 1:X7=0;", "1:X4=0; 1:X7=1;", "1:X4=1; 1:X7=0;",
		"1:X4=1; 1:X7=1;"};

	expect("CoRR.alias+bbm-both", NOETS2, VMSA_LITMUS_NEVER, alias, 5, 0,
	       555, 113);
	expect("MP.remap+flag-same-offset", NOETS2, VMSA_LITMUS_SOMETIMES,
	       flag, 4, 1, 9, 0);
	expect("CoRR.offset+bbm", NOETS2, VMSA_LITMUS_SOMETIMES, offset, 6, 1,
	       24, 0);
}

/*
 * A TLBI is ordered after the reads its operand depends on (B2.3.7: dob's
 * addr and ctrl reach a TLBI, and pob's pick-addr-dep and pick-ctrl-dep):
 * P1 reads the flag P0 wrote after invalidating x (DMB ST), then
 * invalidates x by an operand that depends on the flag (an address
 * dependency, a CSEL on it) or after a branch on it; after DSB and ISB
 * its walk cannot see x valid (Never). An address dependency of an
 * earlier read, or none, orders no TLBI (Sometimes). Until 2026-12-07
 * vmsa ordered a TLBI only by DSBs and ISBs: herd7's own
 * catalogue/aarch64-VMSA MP+dmb.st+addr-tlbi-dsb.ish-isb was Sometimes,
 * herd7 Forbidden.
 */
TEST(litmus_tlbi_operand_dependency)
{
	static const char *const never[] = {
		"1:X2=0; Fault(P1:L0,x);", "1:X2=0; ~Fault(P1:L0,x);",
		"1:X2=1; Fault(P1:L0,x);"};
	static const char *const all[] = {
		"1:X2=0; Fault(P1:L0,x);", "1:X2=0; ~Fault(P1:L0,x);",
		"1:X2=1; Fault(P1:L0,x);", "1:X2=1; ~Fault(P1:L0,x);"};

	expect("MP+dmb.st+addr-tlbi-dsb.ish-isb", NOETS2, VMSA_LITMUS_NEVER,
	       never, 3, 0, 10, 0);
	expect("MP+dmb.st+ctrl-tlbi-dsb.ish-isb", NOETS2, VMSA_LITMUS_NEVER,
	       never, 3, 0, 10, 0);
	expect("MP+dmb.st+pickaddr-tlbi-dsb.ish-isb", NOETS2,
	       VMSA_LITMUS_NEVER, never, 3, 0, 10, 0);
	expect("MP+dmb.st+addrpo-tlbi-dsb.ish-isb", NOETS2,
	       VMSA_LITMUS_SOMETIMES, all, 4, 2, 15, 0);
	expect("MP+dmb.st+po-tlbi-dsb.ish-isb", NOETS2, VMSA_LITMUS_SOMETIMES,
	       all, 4, 2, 11, 0);
	/* A TLBI without an operand reads no register: the flag loaded
	 * into X0 orders nothing (the first version of the rule took X0
	 * as its operand: tools/tlbi-shapes.sh's VMALLE1IS shapes became
	 * Never, herd7 Sometimes). */
	{
		static const char *const x0[] = {
			"1:X0=0; Fault(P1:L0,x);", "1:X0=0; ~Fault(P1:L0,x);",
			"1:X0=1; Fault(P1:L0,x);", "1:X0=1; ~Fault(P1:L0,x);"};

		expect("MP+dmb.st+po-vmalle1is-dsb.ish-isb", NOETS2,
		       VMSA_LITMUS_SOMETIMES, x0, 4, 2, 13, 0);
	}
}

/*
 * A Permission fault from an entry the TLB holds is ordered, as a fault
 * from a walk is, before everything after the DSB of another CPU's TLBI
 * that removes the entry (B2.3.7 TLBI-ordered-before: tr-ib^-1;
 * TTD-read-ordered-before), and DMB ST orders P1's flag store before the
 * fault: P0, after its TLBI, cannot miss the flag when P1's store
 * faults (Never). vmsa recorded only faults from walks until
 * 2026-12-07: herd7's catalogue/aarch64-VMSA F4 was Sometimes, herd7
 * Forbidden.
 */
TEST(litmus_tlbi_fault_from_held_entry)
{
	static const char *const st[] = {
		"0:X7=0; ~Fault(P1:L0,x);", "0:X7=1; Fault(P1:L0,x);",
		"0:X7=1; ~Fault(P1:L0,x);"};

	expect("S.ro+tlbi+dmb.st-fault", NOETS2, VMSA_LITMUS_NEVER, st, 3, 0,
	       57, 4);
}

/*
 * A descriptor store of one CPU (the break, which its writer never
 * publishes by a DSB) that another CPU observed before its TLBI's DSB is
 * ordered before that TLBI: a walk after the TLBI that reads the value
 * the break overwrote, or an entry of it cached after the TLBI, is
 * TLBI-before the TLBI, which the earlier access of P0 with the same
 * low-order bits, translated through the new mapping written after the
 * TLBI, rules out (B2.3.7 TLBI-ordered-before; write.c hold_retired,
 * translate.c stale_after_fresh). vmsa had P0's second read use x's
 * old entry until 2026-12-07 (Sometimes; herd7's own
 * catalogue/aarch64-VMSA coRR-pte15 and coRR-pte9-ob, Forbidden).
 */
TEST(litmus_tlbi_break_observed_by_the_issuer)
{
#define OLD "2:X6=(oa:PA(x)); "
#define BRK "2:X6=(oa:PA(x), valid:0); "
	static const char *const st[] = {
		"0:X2=0; 0:X4=0; " OLD "Fault(P0:L0,x);",
		"0:X2=0; 0:X4=0; " OLD "~Fault(P0:L0,x);",
		"0:X2=0; 0:X4=0; " BRK "Fault(P0:L0,x);",
		"0:X2=0; 0:X4=0; " BRK "~Fault(P0:L0,x);",
		"0:X2=0; 0:X4=1; " OLD "~Fault(P0:L0,x);",
		"0:X2=0; 0:X4=1; " BRK "~Fault(P0:L0,x);",
		"0:X2=1; 0:X4=0; " OLD "Fault(P0:L0,x);",
		"0:X2=1; 0:X4=0; " OLD "~Fault(P0:L0,x);",
		"0:X2=1; 0:X4=0; " BRK "Fault(P0:L0,x);",
		"0:X2=1; 0:X4=1; " OLD "~Fault(P0:L0,x);",
		"0:X2=1; 0:X4=1; " BRK "~Fault(P0:L0,x);"};
#undef OLD
#undef BRK

	expect("CoRR+break-observed-tlbi", NOETS2, VMSA_LITMUS_NEVER, st, 11,
	       0, 131, 0);
}

/*
 * A fence's place in memory's order (docs/model.md, "A fence's place in
 * memory's order"): P0 stores x = 3, then y = 6, with nothing ordering
 * the two; P1 reads y = 6 (SWP or LDR), then a DSB, a TLBI and a DSB (or
 * a descriptor store and a DSB), then stores x = 2. Nothing orders P1's
 * TLBI or DSB after P0's store of x, so P1's store may come before it in
 * x's coherence order: [x]=3 at the end, herd7 Allowed in both columns
 * with these four states (diy7's S003, S034 and S065: PodWW Rfe
 * Amo.Swp|Cas|LdAdd TLBI-sync.ISHdWW Coe). vmsa said Never until
 * 2026-12-07: the TLBI and the DSB that published the descriptor store
 * took the newest place, after P0's store made earlier in the model's
 * steps, and the descriptor store was appended after it.
 */
TEST(litmus_tlbi_fence_below_unobserved_store)
{
	static const char *const swp[] = {
		"1:X0=5; [x]=2; [y]=6;", "1:X0=5; [x]=3; [y]=6;",
		"1:X0=6; [x]=2; [y]=7;", "1:X0=6; [x]=3; [y]=7;"};
	static const char *const ldr[] = {
		"1:X0=5; [x]=2;", "1:X0=5; [x]=3;", "1:X0=6; [x]=2;",
		"1:X0=6; [x]=3;"};

	expect("PodWW-Rfe-Swp-TLBI-Coe", NOETS2, VMSA_LITMUS_SOMETIMES, swp,
	       4, 1, 72, 0);
	expect("PodWW-Rfe-Swp-TLBI-Coe", ETS2, VMSA_LITMUS_SOMETIMES, swp, 4,
	       1, 72, 0);
	expect("PodWW-Rfe-Ldr-TLBI-Coe", NOETS2, VMSA_LITMUS_SOMETIMES, ldr,
	       4, 1, 42, 0);
	expect("PodWW-Rfe-Swp-PTE-DSB-Coe", NOETS2, VMSA_LITMUS_SOMETIMES,
	       swp, 4, 1, 187, 0);
	expect("PodWW-Rfe-Ldr-PTE-DSB-Coe", NOETS2, VMSA_LITMUS_SOMETIMES,
	       ldr, 4, 1, 71, 0);
	expect("PodWW-Rfe-Ldr-PTE-DSB-Coe", ETS2, VMSA_LITMUS_SOMETIMES, ldr,
	       4, 1, 71, 0);
}
