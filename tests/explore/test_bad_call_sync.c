/*
 * The explorer's synchronisation helpers (src/explore/scenario.c) and
 * its scheduler check their CPU and address arguments: a mistake is a
 * "bad-call" violation with an exact message, found by the search like
 * any other, never a wait on another CPU's stack or an access outside
 * memory. The scenarios here are not registered (they are not bundled).
 */
#include "harness.h"
#include "vmsa/explore.h"

#define LOCK_PA 0x40000000ull

/* Explore s (bbm0) and check the verdict is this exact bad call. */
static void check_bad(const vmsa_scenario_t *s, vmsa_cpu_t cpu,
		      const char *msg)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(s, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "bad-call");
	CHECK_EQ(res.violation.kind, VMSA_V_BAD_CALL);
	CHECK_EQ(res.violation.cpu, cpu);
	CHECK_STR(res.violation.message, msg);
	vmsa_explore_result_free(&res);
}

static void alloc_lock_page(vmsa_run_t *r)
{
	vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
}

static void wait_cpu7(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	(void)cpu;
	vmsa_wait_eq(r, 7, LOCK_PA, ~0ull, 0);
}

TEST(bad_call_wait_cpu_out_of_range)
{
	static const vmsa_scenario_t s = {
		.name = "test/wait-cpu7", .setup = alloc_lock_page,
		.cpu = {wait_cpu7},
	};

	check_bad(&s, VMSA_SETUP, "scenario error: vmsa_wait_eq: cpu 7 out "
		  "of range, the machine has 1 CPU");
}

/* CPU 1 waits as CPU 0: it would block CPU 0 and switch stacks. */
static void idle(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_isb(vmsa_run_machine(r), cpu);
}

static void wait_as_cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	(void)cpu;
	vmsa_wait_ne(r, 0, LOCK_PA, ~0ull, 0);
}

TEST(bad_call_wait_as_another_cpu)
{
	static const vmsa_scenario_t s = {
		.name = "test/wait-as-cpu0", .setup = alloc_lock_page,
		.cpu = {idle, wait_as_cpu0},
	};

	check_bad(&s, 1, "scenario error: vmsa_wait_ne: cpu 0 is not the CPU "
		  "running this code (CPU1)");
}

static void lock_outside(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_lock(r, cpu, 0x10);
}

TEST(bad_call_lock_outside_memory)
{
	static const vmsa_scenario_t s = {
		.name = "test/lock-outside", .cpu = {lock_outside},
	};

	check_bad(&s, 0, "scenario error: vmsa_lock: PA 0x10 (size 8) is "
		  "outside memory [0x40000000, 0x41000000)");
}

static void unlock_misaligned(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_unlock(r, cpu, LOCK_PA + 4);
}

TEST(bad_call_unlock_misaligned)
{
	static const vmsa_scenario_t s = {
		.name = "test/unlock-misaligned", .setup = alloc_lock_page,
		.cpu = {unlock_misaligned},
	};

	check_bad(&s, 0, "scenario error: vmsa_unlock: PA 0x40000004 is not "
		  "aligned to its size 8");
}

static void assert_cpu_minus2(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	(void)cpu;
	vmsa_assert(r, -2, true, "never reported");
}

TEST(bad_call_assert_cpu_out_of_range)
{
	static const vmsa_scenario_t s = {
		.name = "test/assert-cpu", .cpu = {assert_cpu_minus2},
	};

	check_bad(&s, VMSA_SETUP, "scenario error: vmsa_assert: cpu -2 out of "
		  "range, the machine has 1 CPU");
}

/* A model operation with another (existing) CPU's number: the scheduler
 * refuses the step rather than run CPU 1's step on CPU 0's stack. */
static void dsb_as_cpu1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	(void)cpu;
	vmsa_dsb(vmsa_run_machine(r), 1, VMSA_BAR_ISH);
}

TEST(bad_call_step_as_another_cpu)
{
	static const vmsa_scenario_t s = {
		.name = "test/dsb-as-cpu1", .cpu = {dsb_as_cpu1, idle},
	};

	check_bad(&s, 0, "scenario error: CPU0's code made a step as cpu 1");
}

/* A lock is data: taking and releasing it leaves no descriptor history,
 * so the search over two CPUs contending for it stays small and safe. */
static void lock_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_lock(r, cpu, LOCK_PA);
	vmsa_assert(r, cpu, vmsa_phys_read(vmsa_run_machine(r), cpu, LOCK_PA,
					   8, true) == (uint64_t)cpu + 1,
		    "the lock word holds cpu + 1 while held");
	vmsa_unlock(r, cpu, LOCK_PA);
}

struct ops_seen {
	unsigned cas_pa, cas_desc;
};

static void count_cas(void *ctx, const vmsa_trace_event_t *e)
{
	struct ops_seen *seen = ctx;

	seen->cas_pa += !strcmp(e->op, "cas-pa");
	seen->cas_desc += !strcmp(e->op, "cas-desc");
}

TEST(lock_is_a_data_cas)
{
	static const vmsa_scenario_t s = {
		.name = "test/lock", .setup = alloc_lock_page,
		.cpu = {lock_unlock, lock_unlock},
	};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	struct ops_seen seen = {0, 0};

	o.trace = count_cas;
	o.trace_ctx = &seen;
	CHECK_EQ(vmsa_explore(&s, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK(seen.cas_pa > 0);
	CHECK_EQ(seen.cas_desc, 0);
	vmsa_explore_result_free(&res);
}

/* A mistake in set-up is an error of the configuration, with the
 * bad-call message, not a verdict. */
static void setup_outside(vmsa_run_t *r)
{
	vmsa_phys_write(vmsa_run_machine(r), VMSA_SETUP, 0x41000000, 8, 1,
			true);
}

TEST(bad_call_in_setup_is_an_error)
{
	static const vmsa_scenario_t s = {
		.name = "test/setup-outside", .setup = setup_outside,
		.cpu = {idle},
	};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK(vmsa_explore(&s, "bbm0", &o, &res) < 0);
	CHECK_STR(res.error, "set-up: scenario error: vmsa_phys_write: PA "
		  "0x41000000 (size 8) is outside memory [0x40000000, "
		  "0x41000000)");
	vmsa_explore_result_free(&res);
}
