/*
 * src/explore/report_cmd.c - what every report shows of a row: its
 * verdict and the command line that replays its violation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

const char *report_verdict(const struct report_row *r)
{
	return r->ran && r->res.verdict ? r->res.verdict : "error";
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

void report_replay_cmd(char *buf, size_t size, const struct report_style *st,
		       const struct report_row *r)
{
	struct sb b = {0};
	char target[256];

	if (size)
		buf[0] = 0;
	if (!r->ran || !r->res.violated || !r->res.decisions)
		return;
	snprintf(target, sizeof(target), "%s@%s", r->scenario->name,
		 r->config);
	sb_shell_word(&b, st->prog ? st->prog : "vmsa");
	sb_printf(&b, " replay ");
	sb_shell_word(&b, target);
	if (st->step_budget &&
	    st->step_budget != vmsa_explore_defaults().step_budget)
		sb_printf(&b, " --steps %u", st->step_budget);
	sb_printf(&b, " --decisions ");
	sb_shell_word(&b, r->res.decisions);
	if (!b.oom && size)
		snprintf(buf, size, "%s", b.p);
	free(b.p);
}
