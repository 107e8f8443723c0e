/*
 * src/litmus/choice_stats.c - counts of a litmus search's decisions by
 * kind (choice_stats.h): which of the model's choices multiply the
 * executions of a test that does not finish.
 */
#include "choice_stats.h"

#include <stdlib.h>
#include <string.h>

void choice_stats_init(struct choice_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->on = getenv("VMSA_LITMUS_STATS") != NULL;
	s->dump = getenv("VMSA_LITMUS_DECISIONS") != NULL;
}

void choice_dump(const struct choice_stats *s, FILE *f, const struct dec *d,
		 unsigned n, const char *state)
{
	if (!s->dump)
		return;
	fputs("decisions\t", f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s|%u|%u;", d[i].what ? d[i].what : "?",
			d[i].chosen, d[i].n);
	fprintf(f, "\t%s\n", state);
}

/* The row of kind `what`, added if new; -1 when the table is full. */
static int row_of(struct choice_stats *s, const char *what)
{
	for (unsigned k = 0; k < s->n; k++)
		if (s->what[k] == what || strcmp(s->what[k], what) == 0)
			return (int)k;
	if (s->n == CHOICE_STATS_KINDS)
		return -1;
	s->what[s->n] = what;
	return (int)s->n++;
}

void choice_stats_add(struct choice_stats *s, const struct dec *d,
		      unsigned n)
{
	if (!s->on)
		return;
	for (unsigned i = 0; i < n; i++) {
		int k;

		/* A decision with one option chose nothing. */
		if (d[i].n < 2 || !d[i].what)
			continue;
		k = row_of(s, d[i].what);
		if (k < 0) {
			s->dropped++;
			continue;
		}
		s->made[k]++;
		if (d[i].chosen)
			s->other[k]++;
	}
}

void choice_stats_merge(struct choice_stats *s, char *what, uint64_t made,
			uint64_t other)
{
	int k;

	if (!s->on) {
		free(what);
		return;
	}
	k = row_of(s, what);
	if (k < 0) {
		s->dropped += made;
		free(what);
		return;
	}
	if (s->what[k] != what)
		free(what);
	else
		s->owned[k] = true;
	s->made[k] += made;
	s->other[k] += other;
}

void choice_stats_free(struct choice_stats *s)
{
	for (unsigned k = 0; k < s->n; k++)
		if (s->owned[k]) {
			free((char *)s->what[k]);
			s->owned[k] = false;
		}
}

void choice_stats_print(const struct choice_stats *s, FILE *f,
			const char *test)
{
	if (!s->on)
		return;
	fprintf(f, "%s: decisions of two options or more (made, of them "
		"not the first option, kind):\n", test);
	for (unsigned k = 0; k < s->n; k++)
		fprintf(f, "%12llu %12llu  %s\n",
			(unsigned long long)s->made[k],
			(unsigned long long)s->other[k], s->what[k]);
	if (s->dropped)
		fprintf(f, "%12llu decisions of kinds past the first %u\n",
			(unsigned long long)s->dropped, CHOICE_STATS_KINDS);
}
