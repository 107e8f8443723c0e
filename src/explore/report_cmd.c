/*
 * src/explore/report_cmd.c - what every report shows of a row: its
 * verdict and the command line that replays its violation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/expect.h"
#include "report_int.h"

const char *report_verdict(const struct report_row *r)
{
	/* A search that could not finish may still have a verdict of its
	 * own (nondeterministic, crashed). */
	return r->res.verdict ? r->res.verdict : VERDICT_ERROR;
}

/* Does s need quoting for a POSIX shell? */
static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789/@+-_.,:=", *s))
			return true;
	return false;
}

/* Append s to b as one shell word. */
static void sb_shell_word(struct sb *b, const char *s)
{
	if (!needs_quotes(s)) {
		sb_printf(b, "%s", s);
		return;
	}
	sb_printf(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_printf(b, "'\\''");
		else
			sb_printf(b, "%c", *s);
	}
	sb_printf(b, "'");
}

char *report_replay_cmd(const struct report_style *st,
			const struct report_row *r)
{
	struct sb b = {0};

	if (!r->res.decisions)
		return NULL;
	sb_shell_word(&b, st->prog ? st->prog : "vmsa");
	sb_printf(&b, " replay ");
	sb_shell_word(&b, r->scenario->name);
	sb_printf(&b, "@");
	sb_shell_word(&b, r->config);
	if (st->step_budget &&
	    st->step_budget != vmsa_explore_defaults().step_budget)
		sb_printf(&b, " --steps %u", st->step_budget);
	if (st->continue_after_bbm)
		sb_printf(&b, " --continue-after-bbm");
	sb_printf(&b, " --decisions ");
	sb_shell_word(&b, r->res.decisions);
	if (b.oom) {
		free(b.s.p);
		return NULL;
	}
	return b.s.p;
}

char *report_shell_cmd(const char *const *words, unsigned n)
{
	struct sb b = {0};

	for (unsigned i = 0; i < n; i++) {
		if (i)
			sb_printf(&b, " ");
		sb_shell_word(&b, words[i]);
	}
	if (b.oom || !b.s.p) {
		free(b.s.p);
		return NULL;
	}
	return b.s.p;
}
