/*
 * bench/model.c - how fast the machine model steps, on 2 CPUs.
 *
 * Three cases, each run for about BENCH_SECONDS:
 *  (a) data reads at EL1 of one mapped VA, stage 1 only, with nothing
 *      changing in between (the TLB-hit case of hardware: the model keeps
 *      no filled TLB, so each read is a stage-1 walk of three levels);
 *  (b) reads by a guest with stage 1 and stage 2 enabled: every read is
 *      a full two-stage walk (stage-1 table addresses through stage 2);
 *  (c) descriptor writes with break-before-make checking on a context
 *      both CPUs have cached, in the legal sequence: invalid, DSB ISH,
 *      TLBI VAE1IS, DSB ISH, valid, DSB ISH, ISB; the CPUs take turns.
 * The two CPUs alternate in every case. Times are the process's
 * processor time ("clock": "process-cpu"). Prints one JSON object on
 * stdout; exits 1 (with a message on stderr) when the model reports a
 * violation, which would make the numbers meaningless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/fixture_guest.h"
#include "vmsa/model.h"

#define BENCH_SECONDS 0.5
#define BATCH 256
#define VA 0x1000ull
#define DATA 0x600dda7aull
/* Stage 1 at EL1: T0SZ 25 (39-bit VA, start level 1), TG0 4K, EPD1,
 * IPS 40 bits; MAIR Attr0 Normal Write-Back. */
#define TCR (25ull | (1ull << 23) | (2ull << 32))
#define MAIR 0xffull

/* Processor time of this process: the cost of the model's work, which
 * other programs sharing the processors do not inflate (wall time on a
 * busy 2-core machine did, by up to 3x). */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, vmsa_machine_t *m)
{
	const vmsa_violation_t *v = m ? vmsa_violation(m) : NULL;

	fprintf(stderr, "bench/model: %s%s%s\n", what, v ? ": " : "",
		v ? v->message : "");
	exit(1);
}

/* Stage-1 tables mapping VA -> a data page holding DATA (set-up writes).
 * Returns the level-1 table; *pte gets the PA of VA's level-3 entry and
 * *page the data page. */
static vmsa_pa_t s1_tables(vmsa_machine_t *m, vmsa_pa_t *pte,
			   vmsa_pa_t *page)
{
	vmsa_pa_t l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_pa_t l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_pa_t l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	*page = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	if (l1 == VMSA_BAD_PA || l2 == VMSA_BAD_PA || l3 == VMSA_BAD_PA ||
	    *page == VMSA_BAD_PA)
		die("out of model memory", NULL);
	*pte = l3 + 8 * ((VA >> 12) & 511);
	vmsa_desc_write_pa(m, VMSA_SETUP, l1,
			   vmsa_desc_make_table(l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, l2,
			   vmsa_desc_make_table(l3, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, *pte, vmsa_desc_make_s1_leaf(
				   *page, 3, VMSA_GRANULE_4K, 0, VMSA_AP_RW_EL1,
				   VMSA_SH_ISH, true));
	vmsa_phys_write(m, VMSA_SETUP, *page, 8, DATA, true);
	return l1;
}

/* The EL1 stage-1 registers of cpu (at EL2). */
static void s1_regs(vmsa_machine_t *m, int cpu, vmsa_pa_t l1)
{
	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1, l1 | 1ull << 48);
}

static vmsa_machine_t *new_machine(bool s2fwb)
{
	vmsa_machine_t *m = fg_machine(2, s2fwb);

	if (!m)
		die("vmsa_machine_new failed", NULL);
	return m;
}

/* Read VA on both CPUs in turn for BENCH_SECONDS; returns reads per
 * second, *steps_per_s the model's steps per second. */
static double read_loop(vmsa_machine_t *m, double *steps_per_s)
{
	uint64_t n = 0, steps0 = vmsa_steps(m), v;
	double t0 = now(), t;

	do {
		for (unsigned i = 0; i < BATCH; i++) {
			if (!vmsa_read(m, (int)(i & 1), VA, 8, &v) ||
			    v != DATA)
				die("read failed", m);
		}
		n += BATCH;
		t = now() - t0;
	} while (t < BENCH_SECONDS);
	*steps_per_s = (double)(vmsa_steps(m) - steps0) / t;
	return (double)n / t;
}

/* (a) Stage 1 only, both CPUs at EL1. */
static double bench_s1_reads(double *steps_per_s)
{
	vmsa_machine_t *m = new_machine(false);
	vmsa_pa_t pte, page, l1 = s1_tables(m, &pte, &page);
	double r;

	for (int c = 0; c < 2; c++) {
		s1_regs(m, c, l1);
		vmsa_msr(m, c, VMSA_REG_SCTLR_EL1, 1);
		vmsa_eret(m, c, 1);
	}
	r = read_loop(m, steps_per_s);
	vmsa_machine_free(m);
	return r;
}

/* (b) A guest with both stages: stage 2 maps the stage-1 tables and the
 * data page at their own addresses (IPA == PA). */
static double bench_two_stage_reads(double *steps_per_s)
{
	struct fg g = {.m = new_machine(false)};
	vmsa_pa_t pte, page, l1;
	double r;

	if (!fg_tables(&g))
		die("out of model memory", NULL);
	l1 = s1_tables(g.m, &pte, &page);
	/* The stage-1 tables are the three pages below the data page. */
	for (vmsa_pa_t pa = l1; pa <= page; pa += VMSA_PAGE_SIZE)
		fg_s2_map(&g, pa, pa, FG_S2_WB);
	for (int c = 0; c < 2; c++) {
		s1_regs(g.m, c, l1);
		fg_enter_guest(&g, c, 0, 1);
	}
	r = read_loop(g.m, steps_per_s);
	vmsa_machine_free(g.m);
	return r;
}

/* (c) Break-before-make cycles on VA's entry, CPUs in turn. Returns
 * descriptor writes per second. */
static double bench_desc_writes(double *steps_per_s)
{
	vmsa_machine_t *m = new_machine(false);
	vmsa_pa_t pte, page, l1 = s1_tables(m, &pte, &page);
	uint64_t valid = vmsa_desc_make_s1_leaf(page, 3, VMSA_GRANULE_4K, 0,
						VMSA_AP_RW_EL1, VMSA_SH_ISH,
						true);
	uint64_t xt = vmsa_tlbi_va(VA, 1, VMSA_GRANULE_4K, 3);
	uint64_t n = 0, steps0, v;
	vmsa_tlbi_op_t op;
	double t0, t;

	if (vmsa_tlbi_parse("vae1is", &op))
		die("vmsa_tlbi_parse", NULL);
	for (int c = 0; c < 2; c++) {
		s1_regs(m, c, l1);
		vmsa_msr(m, c, VMSA_REG_SCTLR_EL1, 1);
		vmsa_eret(m, c, 1);
		/* Use the mapping: the context is cached on both CPUs. */
		if (!vmsa_read(m, c, VA, 8, &v))
			die("read failed", m);
	}
	steps0 = vmsa_steps(m);
	t0 = now();
	do {
		for (unsigned i = 0; i < BATCH; i++) {
			int c = (int)(i & 1);

			vmsa_desc_write_pa(m, c, pte, 0);
			vmsa_dsb(m, c, VMSA_BAR_ISH);
			vmsa_tlbi(m, c, op, xt);
			vmsa_dsb(m, c, VMSA_BAR_ISH);
			vmsa_desc_write_pa(m, c, pte, valid);
			vmsa_dsb(m, c, VMSA_BAR_ISH);
			vmsa_isb(m, c);
		}
		if (vmsa_violation(m))
			die("violation", m);
		n += 2 * BATCH;
		t = now() - t0;
	} while (t < BENCH_SECONDS);
	*steps_per_s = (double)(vmsa_steps(m) - steps0) / t;
	/* The checks were live: a valid-to-valid change of output address
	 * now is a break-before-make violation. */
	vmsa_desc_write_pa(m, 0, pte, valid + VMSA_PAGE_SIZE);
	if (!vmsa_violation(m) || vmsa_violation(m)->kind != VMSA_V_BBM)
		die("break-before-make checking was not active", m);
	vmsa_machine_free(m);
	return (double)n / t;
}

int main(void)
{
	double s1_steps, s2_steps, wr_steps;
	double s1 = bench_s1_reads(&s1_steps);
	double s2 = bench_two_stage_reads(&s2_steps);
	double wr = bench_desc_writes(&wr_steps);

	printf("{\"benchmark\":\"model\",\"cpus\":2,\"clock\":\"process-cpu\","
	       "\"seconds_per_case\":%.1f,"
	       "\"tlb_hit_reads_per_s\":%.0f,\"tlb_hit_steps_per_s\":%.0f,"
	       "\"two_stage_reads_per_s\":%.0f,"
	       "\"two_stage_steps_per_s\":%.0f,"
	       "\"desc_writes_per_s\":%.0f,\"desc_steps_per_s\":%.0f}\n",
	       BENCH_SECONDS, s1, s1_steps, s2, s2_steps, wr, wr_steps);
	return 0;
}
