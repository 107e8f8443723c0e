/*
 * src/explore/scenario.c - the scenario registry, configuration names,
 * and the synchronisation scenario CPUs use (waits, a lock, asserts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore_int.h"
#include "model/write.h"
#include "util/vec.h"

VEC_DEFINE(scenario_vec, const vmsa_scenario_t *)

/* Every registered scenario: any number of them. */
static struct scenario_vec registry;
static bool sorted;

void vmsa_scenario_register(const vmsa_scenario_t *s)
{
	/* Only running out of memory before main() can lose one; say so. */
	if (scenario_vec_push(&registry, s)) {
		fprintf(stderr, "vmsa: out of memory: scenario %s is not "
			"registered\n", s->name);
		return;
	}
	sorted = false;
}

static int by_name(const void *a, const void *b)
{
	const vmsa_scenario_t *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static void sort_registry(void)
{
	if (!sorted)
		qsort(registry.p, registry.n, sizeof(registry.p[0]), by_name);
	sorted = true;
}

unsigned vmsa_scenario_count(void)
{
	return registry.n;
}

const vmsa_scenario_t *vmsa_scenario_get(unsigned i)
{
	sort_registry();
	return i < registry.n ? registry.p[i] : NULL;
}

const vmsa_scenario_t *vmsa_scenario_find(const char *name)
{
	sort_registry();
	for (unsigned i = 0; i < registry.n; i++)
		if (!strcmp(registry.p[i]->name, name))
			return registry.p[i];
	return NULL;
}

#define UNKNOWN_FEATURE                                                     \
	"unknown feature (expected default, bbm0, bbm1, bbm2, bbm2-noabort, " \
	"ets2, ets3, s2fwb, hafdbs, fb, fgt, exs, relaxed, norange or cpusN, " \
	"joined by '+')"

/* ID_AA64MMFR2_EL1.BBM, bits [55:52] (D24.2.90; D8.17.2, RKFLJB) defines
 * 0b0000, 0b0001 (FEAT_BBML1) and 0b0010 (FEAT_BBML2); every other value
 * is reserved. Linux's BBML3 (2026) is a name for level 2 without TLB
 * conflict aborts, which the manual does not define as a level. */
#define NO_BBM3                                                              \
	"bbm3: there is no FEAT_BBM level 3: ID_AA64MMFR2_EL1.BBM (Arm ARM "  \
	"DDI 0487 M.a.a, D24.2.90, bits [55:52]) defines only 0b0000, 0b0001 " \
	"and 0b0010, all other values are reserved (bbm2-noabort is level 2 "  \
	"without TLB conflict aborts)"

/* Apply one '+'-separated part of a configuration name: NULL, or why it
 * is refused. */
static const char *apply_part(const char *p, size_t len, vmsa_features_t *f)
{
	char part[32];

	if (len == 0 || len >= sizeof(part))
		return UNKNOWN_FEATURE;
	memcpy(part, p, len);
	part[len] = 0;
	if (!strcmp(part, "default"))
		return NULL;
	if (!strcmp(part, "bbm3"))
		return NO_BBM3;
	if (!strcmp(part, "bbm0")) {
		f->bbm_level = 0;
	} else if (!strcmp(part, "bbm1")) {
		f->bbm_level = 1;
		f->bbm_may_abort = true;
	} else if (!strcmp(part, "bbm2")) {
		f->bbm_level = 2;
		f->bbm_may_abort = true;
	} else if (!strcmp(part, "bbm2-noabort")) {
		f->bbm_level = 2;
		f->bbm_may_abort = false;
	} else if (!strcmp(part, "ets2")) {
		f->ets2 = true;
	} else if (!strcmp(part, "ets3")) {
		f->ets2 = f->ets3 = true;
	} else if (!strcmp(part, "s2fwb")) {
		f->s2fwb = true;
	} else if (!strcmp(part, "hafdbs")) {
		f->hafdbs = true;
	} else if (!strcmp(part, "fb")) {
		f->hcr_fb = true;
	} else if (!strcmp(part, "fgt")) {
		f->fgt = true;
	} else if (!strcmp(part, "exs")) {
		f->exs = true;
	} else if (!strcmp(part, "relaxed")) {
		f->relaxed = true;
	} else if (!strcmp(part, "norange")) {
		f->tlbirange = false;
	} else if (!strncmp(part, "cpus", 4) && part[4] >= '1' &&
		   part[4] <= '8' && !part[5]) {
		f->ncpus = (unsigned)(part[4] - '0');
	} else {
		return UNKNOWN_FEATURE;
	}
	return NULL;
}

int vmsa_config_parse(const char *name, unsigned ncpus, vmsa_features_t *f,
		      const char **why)
{
	const char *p = name;

	*f = vmsa_features_default();
	f->ncpus = ncpus ? ncpus : f->ncpus;
	if (!name || !*name) {
		*why = "empty configuration name";
		return -EINVAL;
	}
	for (;;) {
		const char *plus = strchr(p, '+');
		size_t len = plus ? (size_t)(plus - p) : strlen(p);

		const char *bad = apply_part(p, len, f);

		if (bad) {
			*why = bad;
			return -EINVAL;
		}
		if (!plus)
			break;
		p = plus + 1;
	}
	return vmsa_features_check(f, why);
}

vmsa_machine_t *vmsa_run_machine(vmsa_run_t *r)
{
	return r->m;
}

void *vmsa_run_data(vmsa_run_t *r)
{
	return r->data;
}

int vmsa_run_state(vmsa_run_t *r, vmsa_cpu_t cpu, const void *p,
		   size_t size)
{
	struct xcpu *c;

	if (!r || !r->x || cpu < 0 || r->x->cur != cpu || (!p && size))
		return -EINVAL;
	c = &r->x->cpu[cpu];
	c->state_p = size ? p : NULL;
	c->state_size = size;
	return 0;
}

const vmsa_features_t *vmsa_run_features(const vmsa_run_t *r)
{
	return &r->f;
}

/* The explorer switches coroutines only at steps and always records the
 * CPU it switched to (x->cur, -1 for its own context: set-up, check). */
vmsa_cpu_t vmsa_run_cpu(const vmsa_run_t *r)
{
	if (!r || !r->x || r->x->cur < 0)
		return VMSA_SETUP;
	return r->x->cur;
}

/*
 * The checks of a synchronisation helper's arguments: the CPU exists
 * (vmsa_check_cpu; VMSA_SETUP too when setup_ok), it is the CPU whose
 * code is running (the waits block and switch that CPU: naming another
 * one, or waiting outside CPU code, would switch stacks under it), and
 * the word is a valid 8-byte physical access (vmsa_check_pa). A bad one
 * is a "bad-call" violation.
 */
static bool sync_args_ok(vmsa_run_t *r, const char *fn, vmsa_cpu_t cpu,
			 const vmsa_pa_t *pa, bool setup_ok)
{
	int cur = r->x->cur;
	char msg[200];

	if (!(setup_ok && cpu == VMSA_SETUP) && !vmsa_check_cpu(r->m, fn, cpu))
		return false;
	if (cpu != cur && (cur >= 0 || !setup_ok)) {
		if (cur >= 0)
			snprintf(msg, sizeof(msg), "scenario error: %s: cpu %d "
				 "is not the CPU running this code (CPU%d)", fn,
				 cpu, cur);
		else
			snprintf(msg, sizeof(msg), "scenario error: %s: called "
				 "outside CPU code (set-up or check)", fn);
		vmsa_report(r->m, cur, VMSA_V_BAD_CALL, msg);
		return false;
	}
	return !pa || vmsa_check_pa(r->m, fn, cpu, *pa, 8);
}

/* A wait (docs/explorer.md, "Waits"): one read, made when the word
 * holds what the CPU waits for (wait_read: until then the CPU is not
 * runnable, so a check that would fail is no step). */
static uint64_t wait(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		     uint64_t mask, uint64_t value, bool eq)
{
	for (;;) {
		uint64_t v = wait_read(r->x, cpu, pa, mask, value, eq);

		if (vmsa_stopped(r->m) || ((v & mask) == value) == eq)
			return v;
		/* The scheduler's test (wait_ok) is what the read does, so
		 * this does not happen; were they ever to disagree, the CPU
		 * waits again rather than return a value that does not
		 * hold. */
	}
}

uint64_t vmsa_wait_eq(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		      uint64_t mask, uint64_t value)
{
	if (!sync_args_ok(r, "vmsa_wait_eq", cpu, &pa, false))
		return 0;
	return wait(r, cpu, pa, mask, value, true);
}

uint64_t vmsa_wait_ne(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		      uint64_t mask, uint64_t value)
{
	if (!sync_args_ok(r, "vmsa_wait_ne", cpu, &pa, false))
		return 0;
	return wait(r, cpu, pa, mask, value, false);
}

void vmsa_start_gate(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	char msg[160];

	if (!sync_args_ok(r, "vmsa_start_gate", cpu, NULL, false) ||
	    !r->x->opts.serial_start || vmsa_stopped(r->m))
		return;
	if (r->x->cpu[cpu].gate_passed) {
		snprintf(msg, sizeof(msg), "scenario error: vmsa_start_gate: "
			 "CPU%d passed the start gate already", cpu);
		vmsa_report(r->m, cpu, VMSA_V_BAD_CALL, msg);
		return;
	}
	gate_pass(r->x, cpu);
}

/* A data CAS (vmsa_phys_cas_ord), not a descriptor one: the lock word
 * is data, and must not grow descriptor history or be checked as a
 * translation table entry. An acquire (CASA), and the unlock's store a
 * release (STLR), as a spinlock's are: under the feature relaxed a lock
 * of plain accesses orders nothing inside it (B2.3.7). */
void vmsa_lock(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa)
{
	if (!sync_args_ok(r, "vmsa_lock", cpu, &pa, false))
		return;
	while (!vmsa_stopped(r->m)) {
		wait(r, cpu, pa, ~0ull, 0, true);
		if (vmsa_phys_cas_ord(r->m, cpu, pa, 8, 0, (uint64_t)cpu + 1,
				      true, VMSA_ORD_ACQ) == 0 &&
		    !vmsa_stopped(r->m))
			return;
	}
}

void vmsa_unlock(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa)
{
	if (sync_args_ok(r, "vmsa_unlock", cpu, &pa, true))
		access_phys_write_rel(r->m, cpu, pa, 8, 0, true);
}

void vmsa_assert(vmsa_run_t *r, vmsa_cpu_t cpu, bool cond, const char *message)
{
	if (!sync_args_ok(r, "vmsa_assert", cpu, NULL, true))
		return;
	if (!cond)
		vmsa_report(r->m, cpu, VMSA_V_ASSERT, message);
}
