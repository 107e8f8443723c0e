/*
 * tests/cli/prog/bad.c - a vmsa command over scenarios that are wrong on
 * purpose, for tests/cli/test_isolate.sh: scenario code that crashes
 * (SIGSEGV, abort() in CPU code or set-up, a stack overflow, exit()), a
 * scenario that is not deterministic, an expectation with a typo, a
 * final check that fails (a violation with no CPU), and one correct
 * scenario to show that a run goes on after a crash.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "vmsa/cli.h"
#include "vmsa/scenario.h"

static void one_dsb(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_dsb(vmsa_run_machine(r), cpu, VMSA_BAR_ISH);
}

/* A flag in a page of model memory that set-up allocates: CPU0 sets it. */
static void flag_setup(vmsa_run_t *r)
{
	vmsa_pa_t *flag = vmsa_run_data(r);

	*flag = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
}

static vmsa_pa_t flag_pa(vmsa_run_t *r)
{
	return *(const vmsa_pa_t *)vmsa_run_data(r);
}

static void set_flag(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, flag_pa(r), 8, 1, true);
}

/* When CPU1 finds the flag clear (it ran first: not in the first
 * execution), a write to a page that allows no access: a real SIGSEGV (a
 * write through NULL is undefined behaviour that compilers may drop). */
static void segv_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	volatile int *p;

	if (vmsa_phys_read(vmsa_run_machine(r), cpu, flag_pa(r), 8, true))
		return;
	p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		*p = 1;
	abort();
}

static void abort_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	one_dsb(r, cpu);
	one_dsb(r, cpu);
	abort();
}

static void exit_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	one_dsb(r, cpu);
	exit(3);
}

/* Deeper and deeper until the coroutine stack's guard page, long before
 * the (volatile, so not provably reached) limit. */
static volatile unsigned depth_limit = 1u << 30;

static unsigned recurse(unsigned n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	if (n >= depth_limit)
		return 0;
	return recurse(n + 1) + frame[0];
}

static void overflow_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	one_dsb(r, cpu);
	recurse(0);
}

/* Counts its runs across executions: one step fewer after the first. */
static unsigned runs;

static void counting_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	one_dsb(r, cpu);
	if (runs++ == 0)
		one_dsb(r, cpu);
}

VMSA_SCENARIO(bad_segv,
	.name = "bad/segv",
	.doc = "CPU1 crashes when it runs before CPU0",
	.setup = flag_setup,
	.cpu = {set_flag, segv_cpu},
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(bad_abort,
	.name = "bad/abort",
	.doc = "CPU0 calls abort()",
	.cpu = {abort_cpu, one_dsb},
	.configs = {{.name = "default", .expect = "safe"}});

static void abort_setup(vmsa_run_t *r)
{
	(void)r;
	abort();
}

VMSA_SCENARIO(bad_setup,
	.name = "bad/setup-abort",
	.doc = "set-up calls abort()",
	.setup = abort_setup,
	.cpu = {one_dsb, one_dsb},
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(bad_exit,
	.name = "bad/exit",
	.doc = "CPU0 calls exit(3)",
	.cpu = {exit_cpu, one_dsb},
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(bad_overflow,
	.name = "bad/stack-overflow",
	.doc = "CPU0 recurses until its stack overflows",
	.cpu = {overflow_cpu, one_dsb},
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(bad_nondeterministic,
	.name = "bad/nondeterministic",
	.doc = "CPU0 counts its runs in a static variable",
	.cpu = {counting_cpu, one_dsb, one_dsb},
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(bad_ok,
	.name = "bad/then-ok",
	.doc = "two CPUs, one DSB each",
	.cpu = {one_dsb, one_dsb},
	.configs = {{.name = "default", .expect = "safe"},
		    {.name = "bbm2", .expect = "safe"}});

VMSA_SCENARIO(typo,
	.name = "typo/expect",
	.doc = "an expectation with a typo",
	.cpu = {one_dsb, one_dsb},
	.configs = {{.name = "default", .expect = "safe"},
		    {.name = "bbm2", .expect = "sfae"}});

int main(int argc, char **argv)
{
	return vmsa_main(argc, argv);
}

/* A final check that fails: its violation has no CPU (VMSA_SETUP). */
static void failing_check(vmsa_run_t *r)
{
	vmsa_assert(r, VMSA_SETUP, false, "the final check fails");
}

VMSA_SCENARIO(check_fails,
	.name = "check/fails",
	.doc = "the final check reports a violation",
	.cpu = {one_dsb},
	.check = failing_check,
	.configs = {{.name = "default", .expect = "safe"}});
