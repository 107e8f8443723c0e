/*
 * tests/model/test_model_cache.c - cache maintenance for stage 2, through
 * the whole machine (ARCH-RULES section 7; Arm ARM D8.2.12, D7.5.8,
 * D7.5.9.2, D8.6.6).
 *
 * CPU0 is a hypervisor at EL2 with its MMU off that reaches memory
 * through a cacheable linear map (vmsa_phys_*() with cacheable = true).
 * CPU1 is a guest at EL1 whose stage 2 maps FG_GUEST_IPA(0) to the page
 * the hypervisor writes. With its own MMU off and HCR_EL2.DC = 0, the
 * guest makes Device-nGnRnE accesses that bypass the cache (RWFZPW), so
 * it sees the Point of Coherency: the hypervisor must clean what it wrote
 * (DC CVAC/CIVAC), unless stage 2 forces Write-Back (FEAT_S2FWB) or
 * HCR_EL2.DC = 1 makes the guest's accesses Normal Write-Back.
 */
#include <stdio.h>
#include <string.h>

#include "fixture_guest.h"
#include "harness.h"

#define HOST 0
#define GUEST 1
#define IPA FG_GUEST_IPA(0)
#define HOST_DATA 0x1122334455667788ull
#define GUEST_DATA 0x5a5a0000a5a5ffffull

struct cfx {
	struct fg g;
	vmsa_pa_t page;		/* the guest's page, zeroed, in sync */
	unsigned n_violations;	/* calls of the violation hook */
};

static void count_violation(void *ctx, vmsa_machine_t *m,
			    const vmsa_violation_t *v)
{
	struct cfx *f = ctx;

	(void)m;
	(void)v;
	f->n_violations++;
}

/*
 * The machine: stage-2 tables mapping IPA -> page with `memattr`, and
 * CPU1 entered as the guest with `hcr_extra` and stage 1 off. CPU0 stays
 * at EL2 with every SCTLR_EL2 bit 0 (MMU off).
 */
static void cfx_setup(struct cfx *f, bool s2fwb, unsigned memattr,
		      uint64_t hcr_extra)
{
	memset(f, 0, sizeof(*f));
	f->g.m = fg_machine(2, s2fwb);
	CHECK(f->g.m != NULL);
	if (!f->g.m)
		return;
	CHECK(fg_tables(&f->g));
	f->page = vmsa_page_alloc(f->g.m, VMSA_SETUP, 1, 1);
	CHECK_NE(f->page, VMSA_BAD_PA);
	fg_s2_map(&f->g, IPA, f->page, memattr);
	vmsa_set_violation_hook(f->g.m, count_violation, f);
	fg_enter_guest(&f->g, GUEST, hcr_extra, 0);
	CHECK_EQ(vmsa_current_el(f->g.m, GUEST), 1);
	CHECK_EQ(vmsa_current_el(f->g.m, HOST), 2);
	CHECK(vmsa_violation(f->g.m) == NULL);
}

static void cfx_done(struct cfx *f)
{
	vmsa_machine_free(f->g.m);
}

/* The guest's 8-byte read of IPA + off: the value and whether the access
 * completed. */
static bool guest_read(struct cfx *f, uint64_t off, uint64_t *v)
{
	return vmsa_read(f->g.m, GUEST, IPA + off, 8, v);
}

/* Check that the execution stopped with a `coherency` violation by cpu
 * at exactly `step`, about PA pa, reported once to the hook. */
static void check_coherency(struct cfx *f, int cpu, uint64_t step,
			    vmsa_pa_t pa)
{
	const vmsa_violation_t *v = vmsa_violation(f->g.m);
	char where[48];

	CHECK(v != NULL);
	if (!v)
		return;
	snprintf(where, sizeof(where), "at PA 0x%llx:",
		 (unsigned long long)pa);
	CHECK_EQ(v->kind, VMSA_V_COHERENCY);
	CHECK_STR(vmsa_violation_kind_name(v->kind), "coherency");
	CHECK_EQ(v->cpu, cpu);
	CHECK_EQ(v->step, step);
	CHECK(strstr(v->message, where) != NULL);
	CHECK(vmsa_stopped(f->g.m));
	CHECK_EQ(f->n_violations, 1);
}

/*
 * No clean: the guest's MMU-off read goes to the PoC, which still has
 * the zeroes of the freshly allocated page while the hypervisor's data
 * is dirty in the cache (Linux commit 694556d54f35). The violation is at
 * the read's step, and the value the read returns is the PoC's.
 */
TEST(model_cache_guest_mmu_off_without_clean)
{
	struct cfx f;
	uint64_t v = ~0ull, step;
	bool ok;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	CHECK(vmsa_violation(f.g.m) == NULL);
	step = vmsa_steps(f.g.m);
	ok = guest_read(&f, 0, &v);
	CHECK(!ok);
	CHECK_EQ(v, 0);
	CHECK_EQ(vmsa_steps(f.g.m), step + 1);
	check_coherency(&f, GUEST, step + 1, f.page);
	cfx_done(&f);
}

/* Only the bytes the guest reads decide: another line of the page, never
 * written by the host, reads correctly (a line is 64 bytes). */
TEST(model_cache_guest_reads_other_line)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	vmsa_phys_write(f.g.m, HOST, f.page + 64, 8, 7, false);
	CHECK(guest_read(&f, 64, &v));
	CHECK_EQ(v, 7);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/* DC CVAC by the hypervisor (MMU off: by PA) before the guest reads:
 * the data is at the PoC and the guest sees it. */
TEST(model_cache_clean_before_guest_read)
{
	struct cfx f;
	uint64_t v = ~0ull, step;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	step = vmsa_steps(f.g.m);
	vmsa_dc(f.g.m, HOST, VMSA_DC_CVAC, f.page);
	CHECK_EQ(vmsa_steps(f.g.m), step + 1);
	CHECK(guest_read(&f, 0, &v));
	CHECK_EQ(v, HOST_DATA);
	/* The hypervisor's own cacheable view is unchanged. */
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page, 8, true), HOST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	CHECK_EQ(f.n_violations, 0);
	cfx_done(&f);
}

/* DC CIVAC works as well (clean, then invalidate). */
TEST(model_cache_clean_invalidate_before_guest_read)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page + 8, 8, HOST_DATA, true);
	vmsa_dc(f.g.m, HOST, VMSA_DC_CIVAC, f.page + 8);
	CHECK(guest_read(&f, 8, &v));
	CHECK_EQ(v, HOST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/* A clean of another line does not help: DC is by line (64 bytes). */
TEST(model_cache_clean_of_the_wrong_line)
{
	struct cfx f;
	uint64_t v = ~0ull, step;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	vmsa_dc(f.g.m, HOST, VMSA_DC_CVAC, f.page + 64);
	step = vmsa_steps(f.g.m);
	CHECK(!guest_read(&f, 0, &v));
	CHECK_EQ(v, 0);
	check_coherency(&f, GUEST, step + 1, f.page);
	cfx_done(&f);
}

/*
 * FEAT_S2FWB with HCR_EL2.FWB = 1 and stage-2 MemAttr 0b0110: the guest's
 * accesses are Normal Write-Back whatever stage 1 says (D8.6.6, RRHWZM),
 * so they go through the cache and no clean is needed.
 */
TEST(model_cache_s2fwb_needs_no_clean)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, true, FG_S2_FWB_FORCE_WB, VMSA_HCR_FWB);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	CHECK(guest_read(&f, 0, &v));
	CHECK_EQ(v, HOST_DATA);
	/* And a guest write is seen by the host's cacheable reads. */
	CHECK(vmsa_write(f.g.m, GUEST, IPA + 16, 8, GUEST_DATA));
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page + 16, 8, true),
		 GUEST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/*
 * Without FEAT_S2FWB, HCR_EL2.FWB is RES0 and MemAttr 0b0110 keeps its
 * ordinary meaning (outer Non-cacheable, inner Write-Through): combined
 * with the guest's Device accesses it is Device, and the clean is needed
 * again.
 */
TEST(model_cache_fwb_bit_without_feature)
{
	struct cfx f;
	uint64_t v = ~0ull, step;

	cfx_setup(&f, false, FG_S2_FWB_FORCE_WB, VMSA_HCR_FWB);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	step = vmsa_steps(f.g.m);
	CHECK(!guest_read(&f, 0, &v));
	CHECK_EQ(v, 0);
	check_coherency(&f, GUEST, step + 1, f.page);
	cfx_done(&f);
}

/*
 * With S2FWB, MemAttr 0b0111 ("stage 1 decides") does not force
 * Write-Back: the guest's MMU-off accesses stay Device and need the
 * clean.
 */
TEST(model_cache_s2fwb_stage1_decides)
{
	struct cfx f;
	uint64_t v = ~0ull, step;

	cfx_setup(&f, true, 0x7, VMSA_HCR_FWB);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	step = vmsa_steps(f.g.m);
	CHECK(!guest_read(&f, 0, &v));
	CHECK_EQ(v, 0);
	check_coherency(&f, GUEST, step + 1, f.page);
	cfx_done(&f);
}

/*
 * HCR_EL2.DC = 1: with its MMU off the guest's data accesses are Normal
 * Write-Back (RWFZPW), so they see the hypervisor's cached data.
 */
TEST(model_cache_hcr_dc_needs_no_clean)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, false, FG_S2_WB, VMSA_HCR_DC);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	CHECK(guest_read(&f, 0, &v));
	CHECK_EQ(v, HOST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/*
 * The other direction: the guest writes with its MMU off (to the PoC);
 * the hypervisor's cacheable read may hit a stale copy of the line (a
 * line of a cacheable mapping may be allocated at any time, D7.5.1), so
 * it loses coherency and returns the stale bytes.
 */
TEST(model_cache_guest_write_host_read_stale)
{
	struct cfx f;
	uint64_t step, v;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	vmsa_dc(f.g.m, HOST, VMSA_DC_CVAC, f.page);
	CHECK(vmsa_write(f.g.m, GUEST, IPA, 8, GUEST_DATA));
	CHECK(vmsa_violation(f.g.m) == NULL);
	step = vmsa_steps(f.g.m);
	v = vmsa_phys_read(f.g.m, HOST, f.page, 8, true);
	CHECK_EQ(v, HOST_DATA);
	CHECK_EQ(vmsa_steps(f.g.m), step + 1);
	check_coherency(&f, HOST, step + 1, f.page);
	cfx_done(&f);
}

/* DC IVAC by the hypervisor before its cacheable read drops the stale
 * line: it reads the guest's data. */
TEST(model_cache_invalidate_before_host_read)
{
	struct cfx f;

	cfx_setup(&f, false, FG_S2_WB, 0);
	CHECK(vmsa_write(f.g.m, GUEST, IPA, 8, GUEST_DATA));
	vmsa_dc(f.g.m, HOST, VMSA_DC_IVAC, f.page);
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page, 8, true), GUEST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/* DC CIVAC as well. */
TEST(model_cache_clean_invalidate_before_host_read)
{
	struct cfx f;

	cfx_setup(&f, false, FG_S2_WB, 0);
	CHECK(vmsa_write(f.g.m, GUEST, IPA + 24, 8, GUEST_DATA));
	vmsa_dc(f.g.m, HOST, VMSA_DC_CIVAC, f.page + 24);
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page + 24, 8, true),
		 GUEST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/* A clean alone (DC CVAC) does not drop the stale copy: the cached line
 * is clean already, so the read still hits it. */
TEST(model_cache_clean_does_not_drop_stale_line)
{
	struct cfx f;
	uint64_t step, v;

	cfx_setup(&f, false, FG_S2_WB, 0);
	CHECK(vmsa_write(f.g.m, GUEST, IPA, 8, GUEST_DATA));
	vmsa_dc(f.g.m, HOST, VMSA_DC_CVAC, f.page);
	step = vmsa_steps(f.g.m);
	v = vmsa_phys_read(f.g.m, HOST, f.page, 8, true);
	CHECK_EQ(v, 0);
	check_coherency(&f, HOST, step + 1, f.page);
	cfx_done(&f);
}

/*
 * DC IVAC executed by the guest at EL1 with stage 2 enabled cleans as
 * well as invalidates (D7.5.9.2: a guest must not be able to discard the
 * hypervisor's data): after it, the guest's MMU-off read sees the
 * hypervisor's data instead of losing it.
 */
TEST(model_cache_guest_ivac_is_clean_and_invalidate)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	vmsa_dc(f.g.m, GUEST, VMSA_DC_IVAC, IPA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	CHECK(guest_read(&f, 0, &v));
	CHECK_EQ(v, HOST_DATA);
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page, 8, true), HOST_DATA);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}

/* The same DC IVAC by the hypervisor at EL2 does discard its dirty data:
 * the PoC's zeroes come back for everyone. */
TEST(model_cache_host_ivac_discards)
{
	struct cfx f;
	uint64_t v = ~0ull;

	cfx_setup(&f, false, FG_S2_WB, 0);
	vmsa_phys_write(f.g.m, HOST, f.page, 8, HOST_DATA, true);
	vmsa_dc(f.g.m, HOST, VMSA_DC_IVAC, f.page);
	CHECK_EQ(vmsa_phys_read(f.g.m, HOST, f.page, 8, true), 0);
	CHECK(guest_read(&f, 0, &v));
	CHECK_EQ(v, 0);
	CHECK(vmsa_violation(f.g.m) == NULL);
	cfx_done(&f);
}
