/*
 * tests/litmus/test_litmus_choice_stats.c - the counts of a litmus
 * search's decisions by kind (VMSA_LITMUS_STATS, src/litmus/
 * choice_stats.c): one-option decisions are not counted, a kind is one
 * row however its name is stored, and kinds past the table are counted
 * as dropped, not lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "litmus/choice_stats.h"

TEST(litmus_choice_stats_counts_by_kind)
{
	/* The same name at two addresses: one row. */
	static char twin[] = "read: which write";
	struct dec d[] = {
		{.chosen = 1, .n = 2, .what = DECIDE_CPU},
		{.chosen = 0, .n = 1, .what = DECIDE_CPU},
		{.chosen = 0, .n = 3, .what = "read: which write"},
		{.chosen = 2, .n = 3, .what = twin},
		{.chosen = 0, .n = 2, .what = DECIDE_CPU},
		{.chosen = 0, .n = 0, .what = NULL},
	};
	struct choice_stats s;

	choice_stats_init(&s);
	s.on = true;
	choice_stats_add(&s, d, 6);
	choice_stats_add(&s, d, 1);
	CHECK_EQ(s.n, 2);
	CHECK(strcmp(s.what[0], DECIDE_CPU) == 0);
	CHECK_EQ(s.made[0], 3);
	CHECK_EQ(s.other[0], 2);
	CHECK(strcmp(s.what[1], "read: which write") == 0);
	CHECK_EQ(s.made[1], 2);
	CHECK_EQ(s.other[1], 1);
	CHECK_EQ(s.dropped, 0);
}

TEST(litmus_choice_stats_off_counts_nothing)
{
	struct dec d = {.chosen = 1, .n = 2, .what = DECIDE_CPU};
	struct choice_stats s;

	choice_stats_init(&s);
	s.on = false;
	choice_stats_add(&s, &d, 1);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(s.made[0], 0);
}

TEST(litmus_choice_stats_full_table_drops_counted)
{
	static char names[CHOICE_STATS_KINDS + 2][16];
	struct dec d[CHOICE_STATS_KINDS + 2];
	struct choice_stats s;

	for (unsigned i = 0; i < CHOICE_STATS_KINDS + 2; i++) {
		snprintf(names[i], sizeof(names[i]), "kind %u", i);
		d[i] = (struct dec){.chosen = 0, .n = 2, .what = names[i]};
	}
	choice_stats_init(&s);
	s.on = true;
	choice_stats_add(&s, d, CHOICE_STATS_KINDS + 2);
	CHECK_EQ(s.n, CHOICE_STATS_KINDS);
	CHECK_EQ(s.made[CHOICE_STATS_KINDS - 1], 1);
	CHECK_EQ(s.dropped, 2);
}
