/*
 * src/explore/repeat.c - a livelock seen as a repeated state.
 *
 * A handler that does not remove the cause of a fault makes the retried
 * access fault again, and may do so forever. The step budget finds that
 * only after the CPU made budget steps, and the search tries the choice
 * that lets a retry succeed first, so the execution that runs out the
 * budget is about the budget / (steps of one fault)-th one. This file
 * finds it at the second retry that repeats.
 *
 * At each retry of a faulting access (translate_retry(), before the
 * retry's step) the explorer notes, per CPU and exception depth, whether
 * the CPU ran alone since the previous retry of the same access (the
 * same call: its first retry has none): no other CPU's code ran, no
 * switch of coroutines (the others were blocked, waiting, done, or not
 * chosen). Only then does it take a digest of the state (model/digest.h;
 * the usual handler waits for another CPU, and costs nothing). When the
 * retry after one with a digest also follows a lone run, and finds
 * - the same state: the machine's digest, the run data, every CPU's
 *   scheduling state (ready, waiting for what, at the start gate), the
 *   preemptions made so far, the same fault, and the host memory each
 *   CPU's code declared with vmsa_run_state() (the litmus interpreter's
 *   registers, which its fault handler changes),
 * then what the CPU did from one retry to the next can be done again
 * from the second one: its code is the same (the retried access, whose
 * caller's frames have not run since; the handlers that ran in between
 * have returned), the state it reads is the same, so the same choices
 * are offered and making them again (none of them a preemption: the CPU
 * ran alone) leads back to the same state, forever. That is a livelock,
 * reported at once; the step budget would report the same execution
 * (with the loop repeated until it runs out) later.
 *
 * Left out of the comparison, because nothing the CPUs do depends on
 * them: the step counts of the budget (a bound of the search: the loop
 * repeated runs out any budget), the decisions made so far and their
 * number (the record of the execution, not its state), and the
 * reduction's state (which executions the search still explores, not
 * what this one does). Scenario code keeps its state in model memory, in
 * the run data and in what it declared (vmsa/scenario.h); a handler with
 * static state would break the determinism every search already assumes
 * (re-runs that decide differently are reported as nondeterministic),
 * and one that writes undeclared host memory (a suspended frame through
 * a pointer) the contract of vmsa_run_state().
 *
 * A digest match is confirmed byte by byte (digest_equal): a hash
 * collision cannot make a livelock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/digest.h"
#include "model/machine.h"
#include "explore_int.h"
#include "repeat.h"

struct repeat_slot {
	struct digest d;	/* the state at that retry, when has_digest */
	uint64_t switches;	/* explorer's, at the retry recorded */
	bool valid;		/* a retry of the call under way is recorded */
	bool has_digest;
};

struct repeat {
	/* The latest retry recorded, per CPU and exception depth: the
	 * access retried at a depth is the only one running there. */
	struct repeat_slot slot[VMSA_MAX_CPUS][MAX_DEPTH + 1];
	/* The slots that may be valid, a bit per depth for each CPU (the
	 * others are not): most executions retry nothing or at one depth,
	 * and a reset, a save and a load look only at these. */
	uint16_t live[VMSA_MAX_CPUS];
	bool any;		/* some live bit is set */
	struct digest now;	/* scratch: this retry's */
};

static void fault_state(struct digest *d, const vmsa_fault_t *f)
{
	digest_u64(d, f->kind);
	digest_u64(d, f->stage);
	digest_u64(d, (uint64_t)(int64_t)f->level);
	digest_u64(d, f->s1ptw);
	digest_u64(d, f->acc);
	digest_u64(d, f->va);
	digest_u64(d, f->ipa);
	digest_u64(d, f->ipa_valid);
}

/* What the explorer keeps that a later step depends on. */
static void explorer_state(struct digest *d, const struct explorer *x)
{
	digest_bytes(d, x->run.data, sizeof(x->run.data));
	for (unsigned i = 0; i < x->ncpus; i++) {
		const struct xcpu *c = &x->cpu[i];

		digest_u64(d, c->state);
		digest_u64(d, c->w.pa);
		digest_u64(d, c->w.mask);
		digest_u64(d, c->w.val);
		digest_u64(d, c->w.eq);
		digest_u64(d, c->w.pending);
		digest_u64(d, c->w.depth);
		digest_u64(d, c->wait_arrived);
		digest_u64(d, c->gate_passed);
		digest_u64(d, c->at_gate);
		digest_u64(d, c->state_size);
		digest_bytes(d, c->state_p, c->state_size);
	}
	digest_u64(d, x->preemptions);
}

/* The digest of this retry into d: 0, or not comparable (feature
 * relaxed, out of memory). */
static int take(struct digest *d, const vmsa_machine_t *m,
		const struct explorer *x, const vmsa_fault_t *f)
{
	digest_clear(d);
	if (digest_machine(d, m))
		return -1;
	explorer_state(d, x);
	fault_state(d, f);
	return digest_finish(d);
}

static void report(vmsa_machine_t *m, int cpu, const vmsa_fault_t *f)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "CPU%d retried its access after a %s fault (stage %d, VA "
		 "0x%" PRIx64 ") with the machine state unchanged since its "
		 "previous retry and no other CPU run: it can repeat forever",
		 cpu, vmsa_fault_kind_name(f->kind), (int)f->stage, f->va);
	vmsa_report(m, cpu, VMSA_V_LIVELOCK, msg);
}

void repeat_retry(void *ctx, vmsa_machine_t *m, int cpu,
		  const vmsa_fault_t *f, bool first)
{
	struct explorer *x = ctx;
	struct repeat *r = x->rep;
	unsigned depth = m->cpu[cpu].depth;
	struct repeat_slot *s;
	struct digest t;
	bool alone;

	if (!r || depth > MAX_DEPTH)
		return;
	s = &r->slot[cpu][depth];
	/* Did the CPU run alone since the previous retry of this call? */
	alone = s->valid && !first && s->switches == x->switches;
	s->valid = true;
	r->live[cpu] |= (uint16_t)(1u << depth);
	r->any = true;
	s->switches = x->switches;
	if (!alone) {
		/* The usual case (a handler that waits for another CPU): no
		 * digest. The next retry, if the CPU runs alone until then,
		 * takes the first one; the one after compares. */
		s->has_digest = false;
		return;
	}
	if (take(&r->now, m, x, f)) {
		s->has_digest = false;
		return;
	}
	if (s->has_digest && digest_equal(&s->d, &r->now)) {
		report(m, cpu, f);
		return;
	}
	/* Keep this one (and its memory) for the next retry. */
	t = s->d;
	s->d = r->now;
	r->now = t;
	s->has_digest = true;
}

void repeat_reset(struct repeat *r)
{
	if (!r || !r->any)
		return;
	r->any = false;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++) {
		for (unsigned k = 0; r->live[i] >> k; k++)
			if (r->live[i] >> k & 1)
				r->slot[i][k].valid = r->slot[i][k].has_digest =
					false;
		r->live[i] = 0;
	}
}

/* A slot as saved: its flags and switch count, and a copy of its
 * digest's bytes (all digest_equal() reads of a finished digest). */
struct slot_image {
	bool valid, has_digest;
	uint64_t switches;
	struct digest d;
};

struct repeat_image {
	struct slot_image slot[VMSA_MAX_CPUS][MAX_DEPTH + 1];
	uint16_t live[VMSA_MAX_CPUS];	/* the slots saved (struct repeat) */
	bool any;		/* some slot is valid */
};

struct repeat_image *repeat_image_new(void)
{
	return calloc(1, sizeof(struct repeat_image));
}

void repeat_image_free(struct repeat_image *img)
{
	if (!img)
		return;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		for (unsigned k = 0; k <= MAX_DEPTH; k++)
			digest_free(&img->slot[i][k].d);
	free(img);
}

/* Digest `to` becomes a copy of the bytes of `from` (its memory kept
 * from copy to copy): 0, or -ENOMEM. */
static int copy_digest(struct digest *to, const struct digest *from)
{
	digest_clear(to);
	digest_bytes(to, from->p, from->n);
	return to->oom ? -ENOMEM : 0;
}

int repeat_save(const struct repeat *r, struct repeat_image *img)
{
	img->any = false;
	if (!r || !r->any)
		return 0;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++) {
		img->live[i] = r->live[i];
		for (unsigned k = 0; r->live[i] >> k; k++) {
			const struct repeat_slot *s = &r->slot[i][k];
			struct slot_image *t = &img->slot[i][k];

			if (!(r->live[i] >> k & 1))
				continue;
			t->valid = s->valid;
			t->has_digest = s->valid && s->has_digest;
			t->switches = s->switches;
			img->any |= s->valid;
			if (t->has_digest && copy_digest(&t->d, &s->d))
				return -ENOMEM;
		}
	}
	return 0;
}

int repeat_load(struct repeat *r, const struct repeat_image *img)
{
	repeat_reset(r);
	if (!r || !img->any)
		return 0;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		for (unsigned k = 0; img->live[i] >> k; k++) {
			const struct slot_image *t = &img->slot[i][k];
			struct repeat_slot *s = &r->slot[i][k];

			if (!(img->live[i] >> k & 1) || !t->valid)
				continue;
			s->switches = t->switches;
			if (t->has_digest && copy_digest(&s->d, &t->d))
				return -ENOMEM;
			s->valid = true;
			s->has_digest = t->has_digest;
			r->live[i] |= (uint16_t)(1u << k);
			r->any = true;
		}
	return 0;
}

void repeat_free(struct repeat *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		for (unsigned k = 0; k <= MAX_DEPTH; k++)
			digest_free(&r->slot[i][k].d);
	digest_free(&r->now);
	free(r);
}

struct repeat *repeat_new(void)
{
	return calloc(1, sizeof(struct repeat));
}
