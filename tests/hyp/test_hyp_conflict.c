/*
 * tests/hyp/test_hyp_conflict.c - the TLB conflict abort handler and
 * dirty logging of a block slot (src/hyp/fault.c, dirty.c): at BBM level
 * 2 the eager split replaces the live 2M block by a table without a
 * break (RKFLJB), so a vCPU that holds the block and walks the table may
 * take a TLB conflict abort (IHYQMB), resolved at EL2 by either handler
 * (RBLRKC); at BBM level 0 the split is break-before-make and the vCPU
 * takes Translation faults instead.
 */
#include "hyp_fixture.h"

static unsigned variants;
static bool split_only;            /* the host splits, no logging */
static unsigned long conflicts;    /* conflict exits, every execution */
static vmsa_hyp_exit_t abort_prev; /* the default abort handler */

/* Counts conflict aborts (host memory: the test's own tally across
 * executions), then passes every abort on to the core's handler. */
static void counting_abort(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
			   const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	if (vmsa_hyp_is_s2(e, VMSA_FAULT_TLB_CONFLICT))
		conflicts++;
	abort_prev.fn(vm, cpu, e, abort_prev.arg);
}

static void setup(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm;

	c.slot_block = true;
	c.slot_ipa = 0x200000;
	c.slot_map = 1;
	c.variants = variants;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (vm)
		CHECK_EQ(vmsa_hyp_set_exit(vm, VMSA_EC_DABT_LOW,
					   counting_abort, NULL, &abort_prev),
			 0);
}

/* The guest (stage 1 on) reads page 1 of the block (its TLB may now hold
 * the block), writes page 0 (which tells the host), waits until the host
 * is about to split, and reads page 1 again: during the split its TLB may
 * hold the block and the new page entries at once. */
static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;

	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	for (unsigned i = 0; i < 3; i++) {
		if (!vmsa_read(vm->m, cpu, vm->cfg.slot_ipa + 0x1000, 8, &v))
			return;
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(1), "page 1 reads wrong");
		if (i == 0) {
			if (!vmsa_write(vm->m, cpu, vm->cfg.slot_ipa, 8, 0x99))
				return;
			vmsa_wait_eq(r, cpu, vmsa_hyp_word(vm, 0), ~0ull, 1);
		}
	}
}

/* The host waits for the guest's write, tells the guest, then splits the
 * block (alone, or enabling dirty logging: split and write-protect). */
static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_wait_eq(r, cpu, vm->block, ~0ull, 0x99);
	vmsa_phys_write(vm->m, cpu, vmsa_hyp_word(vm, 0), 8, 1, true);
	if (split_only) {
		vmsa_hyp_write_lock(vm, cpu);
		err = vmsa_pgt_split(&vm->pgt, VMSA_IA(vm->cfg.slot_ipa),
				     VMSA_HYP_BLOCK, 0);
		vmsa_hyp_write_unlock(vm, cpu);
	} else {
		err = vmsa_hyp_dirty_enable(vm, cpu);
	}
	vmsa_assert(r, cpu, err == 0, "the split failed");
}

/* The block is split into pages, both read-only; page 0 holds the
 * guest's write, made before the logging: not dirty. */
static void check(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t d0 = 0, d1 = 0;
	int l0 = 0, l1 = 0;

	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0x200000), &d0, &l0), 0);
	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0x201000), &d1, &l1), 0);
	CHECK_EQ(l0, 3);
	CHECK_EQ(l1, 3);
	/* Read-only (S2AP 0b01) with logging, else read-write. */
	CHECK_EQ(d0, vm->block | (1ull << 54) | (split_only ? 0x7ffull
							      : 0x77full));
	CHECK_EQ(d1, (vm->block + 0x1000) | (1ull << 54) |
			     (split_only ? 0x7ffull : 0x77full));
	CHECK_EQ(vmsa_hyp_dirty_peek(vm), 0);
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(vm->m, vm->block), 0x99);
}

static const vmsa_scenario_t split = {
	.name = "test/hyp-conflict", .setup = setup, .cpu = {vcpu, host},
	.check = check,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_conflict_handlers)
{
	static const unsigned v[] = {0, VMSA_HYP_V_CONFLICT_IPA};

	/* The eager split alone, at bound 1: the guest's second read may
	 * run between the split's compare-and-swap and its invalidation of
	 * the block. */
	split_only = true;
	for (unsigned i = 0; i < 2; i++) {
		variants = v[i];
		conflicts = 0;
		CHECK_EQ(hx_run(&split, "bbm2", 1, 0, "safe", 0, NULL), 0);
		CHECK_MSG(conflicts > 0, "variants %#x: no conflict abort",
			  v[i]);
	}
	/* No conflicts where the level forbids them. */
	variants = 0;
	conflicts = 0;
	CHECK_EQ(hx_run(&split, "bbm0", 1, 0, "safe", 0, NULL), 0);
	CHECK_EQ(hx_run(&split, "bbm2-noabort", 1, 0, "safe", 0, NULL), 0);
	CHECK_EQ(conflicts, 0);
	split_only = false;
}

/* Dirty logging of a block slot: split, then write-protected (one
 * schedule per order: 512 pages to write-protect make every preemption
 * costly). */
TEST(hyp_dirty_block_slot)
{
	split_only = false;
	variants = 0;
	CHECK_EQ(hx_run(&split, "bbm0", 0, 0, "safe", 0, NULL), 0);
	CHECK_EQ(hx_run(&split, "bbm2", 0, 0, "safe", 0, NULL), 0);
}

/* ---------------------------------------------------------------------
 * What each handler issues: the steps CPU0 makes at EL2 from its first
 * conflict abort to the return to the guest, as trace lines
 * ------------------------------------------------------------------- */

static char seq[1024];
static int in_handler; /* 0: waiting, 1: recording, 2: done */

static void record(void *ctx, const vmsa_trace_event_t *e)
{
	size_t n = strlen(seq);

	(void)ctx;
	if (e->cpu != 0 || in_handler == 2)
		return;
	if (!in_handler) {
		if (!strcmp(e->op, "exception") && e->text &&
		    strstr(e->text, "conflict"))
			in_handler = 1;
		return;
	}
	if (!strcmp(e->op, "eret")) {
		in_handler = 2;
		return;
	}
	snprintf(seq + n, sizeof(seq) - n, "%s%s %s", n ? "; " : "", e->op,
		 e->text ? e->text : "");
}

static void handler_steps(unsigned v, const char *expect)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	variants = v;
	split_only = true;
	seq[0] = 0;
	in_handler = 0;
	o.preemptions = 1;
	o.trace = record;
	CHECK_EQ(vmsa_explore(&split, "bbm2", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	vmsa_explore_result_free(&res);
	CHECK_STR(seq, expect);
	split_only = false;
	variants = 0;
}

TEST(hyp_conflict_handler_steps)
{
	/* Both end waiting for the host's write lock (its word at
	 * 0x40006000) to be released: one read, made once it is (a check
	 * of the word while the host holds it is no step). */
	handler_steps(0, "tlbi vmalls12e1, 0x0; dsb nsh; "
			 "read-pa [0x40006000]/8 = 0x0");
	/* Gunyah's: the guest's stage 1 is on, so the IPA comes from AT
	 * S1E1R (PAR_EL1: IPA 0x201000, Normal WB); TLBI IPAS2E1 with no
	 * level hint, then VMALLE1, each completed by DSB NSH, then ISB. */
	handler_steps(VMSA_HYP_V_CONFLICT_IPA,
		      "mrs SCTLR_EL1 = 0x1; "
		      "choice stage-2 descriptor value: option 0 of 2; "
		      "at s1e1r, 0x201000: PAR_EL1 = 0xff00000000201980; "
		      "mrs PAR_EL1 = 0xff00000000201980; "
		      "tlbi ipas2e1, 0x201; dsb nsh; tlbi vmalle1, 0x0; "
		      "dsb nsh; isb ; "
		      "read-pa [0x40006000]/8 = 0x0");
}
