/*
 * src/model/hist.c - recent values of descriptor locations (see hist.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define HIST_MIN_CAP 256u

int hist_init(struct hist_table *t)
{
	t->cap = HIST_MIN_CAP;
	t->used = 0;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	return t->slots ? 0 : -ENOMEM;
}

void hist_destroy(struct hist_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->used = 0;
}

void hist_reset(struct hist_table *t)
{
	/* Only the keys mark slots in use: clearing them is enough. */
	for (unsigned i = 0; i < t->cap && t->used; i++) {
		if (t->slots[i].pa) {
			t->slots[i].pa = 0;
			t->used--;
		}
	}
}

static unsigned slot_of(uint64_t pa, unsigned cap)
{
	uint64_t h = (pa >> 3) * 0x9e3779b97f4a7c15ull;

	return (unsigned)(h >> 32) & (cap - 1);
}

/* Key stored in a slot: PA 0 is a valid address, so keys are pa | 1
 * (descriptor addresses are 8-byte aligned). */
static uint64_t key_of(uint64_t pa)
{
	return pa | 1;
}

struct hist *hist_find(const struct hist_table *t, uint64_t pa)
{
	uint64_t key = key_of(pa);

	for (unsigned i = slot_of(pa, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].pa == key)
			return &t->slots[i];
		if (!t->slots[i].pa)
			return NULL;
	}
}

/* Double the table when it is half full, so that probes stay short. */
static int grow(struct hist_table *t)
{
	struct hist_table bigger = {
		.cap = t->cap * 2,
		.used = t->used,
	};

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (unsigned i = 0; i < t->cap; i++) {
		unsigned j;

		if (!t->slots[i].pa)
			continue;
		j = slot_of(t->slots[i].pa & ~1ull, bigger.cap);
		while (bigger.slots[j].pa)
			j = (j + 1) & (bigger.cap - 1);
		bigger.slots[j] = t->slots[i];
	}
	free(t->slots);
	*t = bigger;
	return 0;
}

static struct hist *insert(struct hist_table *t, uint64_t pa, uint64_t prev)
{
	unsigned i;

	if (2 * (t->used + 1) > t->cap && grow(t))
		return NULL;
	i = slot_of(pa, t->cap);
	while (t->slots[i].pa)
		i = (i + 1) & (t->cap - 1);
	t->used++;
	t->slots[i].pa = key_of(pa);
	/* The value before the first recorded write has been visible since
	 * the beginning. */
	t->slots[i].n = 1;
	t->slots[i].v[0] = (struct hist_val){prev, 0, 0, -1};
	return &t->slots[i];
}

/*
 * Drop the oldest value to make room. The newest visible value and every
 * pending one must stay (walks may still read them), so the oldest value is
 * dropped only when it is older than the newest visible one; with
 * HIST_DEPTH pending values from one location that cannot happen often,
 * and then the oldest pending value is folded into the visible past.
 */
static void make_room(struct hist *h)
{
	memmove(&h->v[0], &h->v[1], (h->n - 1) * sizeof(h->v[0]));
	h->n--;
}

struct hist *hist_write(struct hist_table *t, uint64_t pa, uint64_t prev,
			uint64_t value, int cpu, uint64_t step)
{
	struct hist *h = hist_find(t, pa);

	if (!h)
		h = insert(t, pa, prev);
	if (!h)
		return NULL;
	if (h->n == HIST_DEPTH)
		make_room(h);
	h->v[h->n++] = (struct hist_val){
		.value = value,
		.write_step = step,
		.vis_step = cpu < 0 ? step : HIST_PENDING,
		.cpu = cpu,
	};
	return h;
}

void hist_publish(struct hist *h, int cpu, uint64_t step)
{
	for (unsigned i = 0; i < h->n; i++)
		if (h->v[i].cpu == cpu && h->v[i].vis_step == HIST_PENDING)
			h->v[i].vis_step = step;
}

unsigned hist_visible(const struct hist *h)
{
	for (unsigned i = h->n; i-- > 0;)
		if (h->v[i].vis_step != HIST_PENDING)
			return i;
	/* make_room() can drop the last visible value only when HIST_DEPTH
	 * values are pending at once; the oldest kept one stands in. */
	return 0;
}

bool hist_current_since(const struct hist *h, unsigned i, uint64_t since)
{
	uint64_t start = h->v[i].vis_step, end = HIST_PENDING;

	if (start == HIST_PENDING)
		return false;
	/* Value i stops being the visible one when a newer write becomes
	 * visible. */
	for (unsigned j = i + 1; j < h->n; j++)
		if (h->v[j].vis_step < end)
			end = h->v[j].vis_step;
	if (end <= start)
		return false;
	return end == HIST_PENDING || end > since;
}

void hist_forget_page(struct hist_table *t, uint64_t pa, uint64_t size,
		      uint64_t step)
{
	/* Visit whichever is smaller: the table's slots or the page's
	 * descriptor locations. Appending may move slots (a table grows),
	 * so the slot walk only collects first. */
	if (!t->used)
		return;
	if (t->cap < size / 8) {
		uint64_t found[64];
		unsigned n = 0;

		for (unsigned i = 0; i < t->cap && n < 64; i++) {
			uint64_t a = t->slots[i].pa & ~1ull;

			if (t->slots[i].pa && a - pa < size)
				found[n++] = a;
		}
		if (n < 64) {
			for (unsigned i = 0; i < n; i++)
				hist_write(t, found[i], 0, 0, -1, step);
			return;
		}
	}
	for (uint64_t a = pa; a < pa + size; a += 8)
		if (hist_find(t, a))
			hist_write(t, a, 0, 0, -1, step);
}

int hist_copy(struct hist_table *dst, const struct hist_table *src)
{
	size_t bytes = (size_t)src->cap * sizeof(*src->slots);

	/* The usual case (set-up makes no histories) costs nothing. */
	if (!src->used) {
		hist_reset(dst);
		return 0;
	}
	if (dst->cap != src->cap) {
		struct hist *slots = malloc(bytes);

		if (!slots)
			return -ENOMEM;
		free(dst->slots);
		dst->slots = slots;
	}
	memcpy(dst->slots, src->slots, bytes);
	dst->cap = src->cap;
	dst->used = src->used;
	return 0;
}
