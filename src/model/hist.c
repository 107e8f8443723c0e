/*
 * src/model/hist.c - recent values of descriptor locations (see hist.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define HIST_MIN_SLOTS 256u

int hist_init(struct hist_table *t)
{
	memset(&t->vals, 0, sizeof(t->vals));
	return hist_slots_init(&t->slots, HIST_MIN_SLOTS);
}

void hist_destroy(struct hist_table *t)
{
	hist_slots_destroy(&t->slots);
	hist_vals_free(&t->vals);
}

void hist_reset(struct hist_table *t)
{
	hist_slots_reset(&t->slots);
	t->vals.n = 0;
}

struct hist *hist_find(const struct hist_table *t, uint64_t pa)
{
	return hist_slots_find(&t->slots, pa);
}

/* The pool moved: point every history at its values again. */
static void rebase(struct hist_table *t)
{
	for (uint32_t i = 0; i <= t->slots.mask; i++) {
		struct hist *h = &t->slots.slot[i];

		if (hist_slots_used(&t->slots, h))
			h->v = t->vals.p + h->off;
	}
}

/* Room for `cap` values at the end of the pool for h (keeping its values).
 * The room it had stays unused until the next reset: the pool grows by
 * doubling, so that waste is bounded by what the histories use. */
static int move_values(struct hist_table *t, struct hist *h, unsigned cap)
{
	unsigned old_cap = t->vals.cap, off = t->vals.n;

	if (hist_vals_reserve(&t->vals, (size_t)off + cap))
		return -ENOMEM;
	if (t->vals.cap != old_cap)
		rebase(t);
	if (h->n)
		memcpy(t->vals.p + off, h->v, h->n * sizeof(*h->v));
	t->vals.n += cap;
	h->off = off;
	h->cap = cap;
	h->v = t->vals.p + off;
	return 0;
}

static struct hist *insert(struct hist_table *t, uint64_t pa, uint64_t prev)
{
	struct hist *h = hist_slots_insert(&t->slots, pa);

	if (!h)
		return NULL;
	/* A slot's fields are stale until set: rebase() may see this one. */
	h->n = h->cap = h->off = 0;
	h->pubs = 0;
	if (move_values(t, h, HIST_FIRST_CAP)) {
		hist_slots_remove(&t->slots, h);
		return NULL;
	}
	/* The value before the first recorded write has been visible since
	 * the beginning. */
	h->n = 1;
	h->v[0] = (struct hist_val){prev, 0, 0, -1, false};
	return h;
}

/*
 * Drop the oldest values, those no walk can use any more: a value that
 * stopped being visible (a newer one became visible) at or before
 * `dead_before` is not offered to a walk whose window starts later
 * (hist_current_between), and walks that could still be in such a window
 * (spurious faults) begin no earlier than dead_before. The time at which
 * value i stopped being visible is the earliest vis_step of the values
 * newer than it, which does not decrease with i: the dead values are a
 * prefix. The newest visible value never stopped being visible: it stays.
 */
static void prune(struct hist *h, uint64_t dead_before)
{
	uint64_t end = HIST_PENDING;
	unsigned k = 0;

	for (unsigned i = h->n; i-- > 0;) {
		if (end != HIST_PENDING && end <= dead_before) {
			k = i + 1;
			break;
		}
		if (h->v[i].vis_step < end)
			end = h->v[i].vis_step;
	}
	if (k) {
		memmove(h->v, h->v + k, (h->n - k) * sizeof(*h->v));
		h->n -= k;
	}
}

struct hist *hist_write(struct hist_table *t, uint64_t pa, uint64_t prev,
			uint64_t value, int cpu, uint64_t step,
			uint64_t dead_before)
{
	struct hist *h = hist_find(t, pa);

	if (!h)
		h = insert(t, pa, prev);
	if (!h)
		return NULL;
	/* Full: drop what is dead, and grow unless that made room for as
	 * many values again (so that each write costs O(1) on average). */
	if (h->n == h->cap) {
		prune(h, dead_before);
		if (h->n > h->cap / 2 &&
		    (h->cap > UINT_MAX / 2 || move_values(t, h, 2 * h->cap)))
			return NULL;
	}
	h->v[h->n++] = (struct hist_val){
		.value = value,
		.write_step = step,
		.vis_step = cpu < 0 ? step : HIST_PENDING,
		.cpu = cpu,
	};
	return h;
}

bool hist_publish(struct hist *h, int cpu, uint64_t step)
{
	bool any = false;

	for (unsigned i = 0; i < h->n; i++)
		if (h->v[i].cpu == cpu && h->v[i].vis_step == HIST_PENDING) {
			h->v[i].vis_step = step;
			any = true;
		}
	h->pubs += any;
	return any;
}

unsigned hist_visible(const struct hist *h)
{
	/* The first value (memory before the first recorded write) is
	 * visible from the start, so the search always ends. */
	for (unsigned i = h->n; i-- > 0;)
		if (h->v[i].vis_step != HIST_PENDING)
			return i;
	return 0;
}

bool hist_current_since(const struct hist *h, unsigned i, uint64_t since)
{
	uint64_t end = HIST_PENDING;

	/* Value i stops being the visible one when a newer write becomes
	 * visible. */
	for (unsigned j = i + 1; j < h->n; j++)
		if (h->v[j].vis_step < end)
			end = h->v[j].vis_step;
	return hist_current_between(h->v[i].vis_step, end, since);
}

int hist_forget_page(struct hist_table *t, uint64_t pa, uint64_t size,
		     uint64_t step, uint64_t dead_before)
{
	/* Visit whichever is smaller: the table's slots or the page's
	 * descriptor locations. hist_write on a location that has a
	 * history never moves a slot (only the value pool), so the slot
	 * walk may write as it goes. */
	if (!t->slots.count)
		return 0;
	if (t->slots.mask + 1ull < size / 8) {
		for (uint32_t i = 0; i <= t->slots.mask; i++) {
			struct hist *h = &t->slots.slot[i];

			if (hist_slots_used(&t->slots, h) &&
			    h->key - pa < size &&
			    !hist_write(t, h->key, 0, 0, -1, step, dead_before))
				return -ENOMEM;
		}
		return 0;
	}
	for (uint64_t a = pa; a < pa + size; a += 8)
		if (hist_find(t, a) &&
		    !hist_write(t, a, 0, 0, -1, step, dead_before))
			return -ENOMEM;
	return 0;
}

bool hist_page_any(const struct hist_table *t, uint64_t pa, uint64_t size)
{
	/* The smaller side, as hist_forget_page(). */
	if (!t->slots.count)
		return false;
	if (t->slots.mask + 1ull < size / 8) {
		for (uint32_t i = 0; i <= t->slots.mask; i++) {
			const struct hist *h = &t->slots.slot[i];

			if (hist_slots_used(&t->slots, h) && h->key - pa < size)
				return true;
		}
		return false;
	}
	for (uint64_t a = pa; a < pa + size; a += 8)
		if (hist_find(t, a))
			return true;
	return false;
}

int hist_copy(struct hist_table *dst, const struct hist_table *src)
{
	/* The usual case (set-up makes no histories) costs nothing. */
	if (!src->slots.count) {
		hist_reset(dst);
		return 0;
	}
	if (hist_vals_reserve(&dst->vals, src->vals.n) ||
	    hist_slots_copy(&dst->slots, &src->slots))
		return -ENOMEM;
	memcpy(dst->vals.p, src->vals.p, src->vals.n * sizeof(*src->vals.p));
	dst->vals.n = src->vals.n;
	rebase(dst);
	return 0;
}
