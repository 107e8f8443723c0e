/*
 * src/litmus/value.c - values of the init section and of the final
 * condition: numbers, symbols (x, &x, pte_x, PTE(x), phy_x, PA(x)),
 * descriptor records (herd's pteval) and label:"P1:L1".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "litmus_int.h"
#include "value.h"

void lit_desc_default(struct lit_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->oa_sym = -1;
	d->valid = d->af = d->db = d->el0 = 1;
	d->attr = LIT_ATTR_NORMAL;
}

int lit_sym_find(const struct lit_test *t, const char *name)
{
	for (unsigned i = 0; i < t->nsym; i++)
		if (!strcmp(t->sym[i].name, name))
			return (int)i;
	return -1;
}

/* The symbol `name`, created (int, 0, default PTE) if new; -1 when the
 * test has too many. */
int lit_sym_get(struct lit_test *t, const char *name)
{
	int i = lit_sym_find(t, name);
	struct lit_sym *s;

	if (i >= 0)
		return i;
	if (t->nsym >= LIT_MAX_SYMS)
		return -1;
	s = &t->sym[t->nsym];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->size = 4;
	s->init.kind = LV_INT;
	lit_desc_default(&s->pte);
	return (int)t->nsym++;
}

int val_sym(struct lex *l, struct lit_test *t, const char *name)
{
	int s = lit_sym_get(t, name);

	if (s < 0)
		return lex_error(l, "too many locations (at most %d)",
				 LIT_MAX_SYMS);
	if (t->in_cond && (unsigned)s >= t->decl_nsym)
		return lex_error(l, "the final condition names location '%s', "
				 "which the init section does not (herd7 "
				 "rejects it: \"Post-condition introduces new "
				 "symbolic location(s)\")", name);
	return s;
}

/* "(" NAME ")" after PTE / PA: the symbol. */
static int paren_sym(struct lex *l, struct lit_test *t)
{
	char name[LIT_MAX_NAME];

	if (!lex_accept(l, "("))
		return lex_expected(l, "'('");
	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, "a location name");
	if (!lex_accept(l, ")"))
		return lex_expected(l, "')'");
	return val_sym(l, t, name);
}

static int attrs(struct lex *l, struct lit_desc *d)
{
	bool normal = false, nc = false, dev = false;
	char w[32];

	if (!lex_accept(l, "("))
		return lex_expected(l, "'(' after attrs:");
	do {
		lex_ws(l);
		size_t n = strcspn(l->p, ",)\n");

		if (n == 0 || n >= sizeof(w))
			return lex_expected(l, "a memory attribute");
		memcpy(w, l->p, n);
		w[n] = 0;
		while (n && w[n - 1] == ' ')
			w[--n] = 0;
		if (!strcmp(w, "Normal") || !strcmp(w, "iWB") ||
		    !strcmp(w, "oWB") || !strcmp(w, "ISH") ||
		    !strcmp(w, "Inner-shareable"))
			normal = true;
		else if (!strcmp(w, "iNC") || !strcmp(w, "oNC"))
			nc = true;
		else if (!strcmp(w, "Device-GRE")) {
			dev = true;
			d->attr = LIT_ATTR_DEVICE_GRE;
		} else if (!strcmp(w, "Device-nGnRnE")) {
			dev = true;
			d->attr = LIT_ATTR_DEVICE_nGnRnE;
		} else {
			return lex_error(l, "unknown memory attribute '%s' "
					 "(expected Normal, iWB, oWB, iNC, oNC, "
					 "ISH, Device-GRE or Device-nGnRnE)", w);
		}
		l->p += strcspn(l->p, ",)\n");
	} while (lex_accept(l, ","));
	if (!lex_accept(l, ")"))
		return lex_expected(l, "')' after the attributes");
	if (dev && (normal || nc))
		return lex_error(l, "conflicting memory attributes");
	if (nc)
		d->attr = LIT_ATTR_NORMAL_NC;
	return 0;
}

/* The OA of a record: PA(x), phy_x. */
static int oa(struct lex *l, struct lit_test *t, struct lit_desc *d)
{
	char name[LIT_MAX_NAME];

	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, "an output address (PA(x) or phy_x)");
	if (!strcmp(name, "PA")) {
		d->oa_sym = paren_sym(l, t);
		return d->oa_sym < 0 ? -1 : 0;
	}
	if (!strncmp(name, "phy_", 4) && name[4]) {
		d->oa_sym = val_sym(l, t, name + 4);
		return d->oa_sym < 0 ? -1 : 0;
	}
	return lex_error(l, "expected an output address (PA(x) or phy_x), "
			 "found '%s'", name);
}

/* A descriptor record after its '(': fields until ')'. */
int val_desc(struct lex *l, struct lit_test *t, struct lit_desc *d)
{
	static const char *const names[] = {"valid", "af", "db", "dbm", "el0",
					    "x"};
	lit_desc_default(d);
	if (lex_accept(l, ")"))
		return 0;
	do {
		char f[LIT_MAX_NAME];
		int64_t v;
		unsigned *field[] = {&d->valid, &d->af, &d->db, &d->dbm,
				     &d->el0, NULL};
		unsigned i;

		if (!lex_ident(l, f, sizeof(f)))
			return lex_expected(l, "a descriptor field (oa, valid, "
					    "af, db, dbm, el0, attrs)");
		if (!lex_accept(l, ":"))
			return lex_expected(l, "':' after the field name");
		if (!strcmp(f, "oa")) {
			if (oa(l, t, d))
				return -1;
			continue;
		}
		if (!strcmp(f, "attrs")) {
			if (attrs(l, d))
				return -1;
			continue;
		}
		for (i = 0; i < 6 && strcmp(f, names[i]); i++)
			;
		if (i == 6)
			return lex_error(l, "unknown descriptor field '%s' "
					 "(expected oa, valid, af, db, dbm, el0, "
					 "x or attrs)", f);
		const char *at = l->p;

		if (!lex_number(l, &v) || (v != 0 && v != 1)) {
			l->p = at;
			return lex_expected(l, "0 or 1");
		}
		if (field[i])
			*field[i] = (unsigned)v;
		else if (v == 0 && !t->unsupported[0])
			snprintf(t->unsupported, sizeof(t->unsupported),
				 "%s:%d: unsupported: descriptor field x:0 "
				 "(instruction fetches are not run)",
				 l->file, l->line);
	} while (lex_accept(l, ","));
	if (!lex_accept(l, ")"))
		return lex_expected(l, "',' or ')' in the descriptor");
	return 0;
}

/* label:"P1:L1" after "label:". */
static int label_value(struct lex *l, struct lit_test *t,
		       struct lit_value *v)
{
	int64_t th;
	char name[LIT_MAX_NAME];

	if (!lex_accept(l, "\"") || !lex_accept(l, "P") || !lex_number(l, &th)
	    || !lex_accept(l, ":") || !lex_ident(l, name, sizeof(name)) ||
	    !lex_accept(l, "\""))
		return lex_expected(l, "a label as \"P1:L1\"");
	if (th < 0 || th >= LIT_MAX_THREADS)
		return lex_error(l, "no thread P%lld", (long long)th);
	v->kind = LV_LABEL;
	v->thread = (int)th;
	v->insn = -1;
	snprintf(v->label, sizeof(v->label), "%s", name);
	(void)t;
	return 0;
}

const char *const lit_colour[LIT_NCOLOURS] = {
	"green", "red", "blue", "black", "white", "cyan", "yellow", "magenta",
};

int val_colour_name(struct lex *l, struct lit_test *t, unsigned *tag)
{
	char name[LIT_MAX_NAME];

	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, "a memory tag colour");
	for (unsigned i = 0; i < LIT_NCOLOURS; i++)
		if (!strcmp(name, lit_colour[i])) {
			*tag = i;
			if (!t->tag_line)
				t->tag_line = l->line;
			return 0;
		}
	return lex_error(l, "unknown memory tag colour '%s' (herd's colours: "
			 "green, red, blue, black, white, cyan, yellow, "
			 "magenta)", name);
}

/* x:colour after a location's name: its Logical Address Tag. */
static int val_colour(struct lex *l, struct lit_test *t, struct lit_value *v)
{
	if (l->p[0] != ':' || !isalpha((unsigned char)l->p[1]))
		return 0;
	l->p++;
	return val_colour_name(l, t, &v->tag);
}

int val_parse(struct lex *l, struct lit_test *t, struct lit_value *v)
{
	char name[LIT_MAX_NAME];

	memset(v, 0, sizeof(*v));
	v->kind = LV_INT;
	if (lex_number(l, &v->i))
		return 0;
	if (lex_accept(l, "(")) {
		v->kind = LV_DESC;
		return val_desc(l, t, &v->d);
	}
	if (lex_accept(l, "&")) {
		if (!lex_ident(l, name, sizeof(name)))
			return lex_expected(l, "a location after '&'");
		v->kind = LV_VA;
		v->sym = val_sym(l, t, name);
		return v->sym < 0 ? -1 : 0;
	}
	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, "a value");
	if (!strcmp(name, "label") && lex_accept(l, ":"))
		return label_value(l, t, v);
	/* herd7 reads TTD(x) as PTE(x). */
	if (!strcmp(name, "PTE") || !strcmp(name, "TTD") ||
	    !strcmp(name, "PA")) {
		v->kind = name[1] == 'T' ? LV_PTE : LV_PA;
		v->sym = paren_sym(l, t);
		return v->sym < 0 ? -1 : 0;
	}
	v->kind = LV_VA;
	if (!strncmp(name, "pte_", 4) && name[4]) {
		v->kind = LV_PTE;
		v->sym = val_sym(l, t, name + 4);
	} else if (!strncmp(name, "phy_", 4) && name[4]) {
		v->kind = LV_PA;
		v->sym = val_sym(l, t, name + 4);
	} else {
		v->sym = val_sym(l, t, name);
		if (v->sym >= 0)
			return val_colour(l, t, v);
	}
	return v->sym < 0 ? -1 : 0;
}

/* X0..X30, W0..W30, XZR, WZR (either case). */
int val_reg(const char *name, struct lit_reg *r)
{
	char c = name[0];
	char *end;
	long n;

	memset(r, 0, sizeof(*r));
	if (c != 'X' && c != 'W' && c != 'x' && c != 'w')
		return -1;
	r->w = c == 'W' || c == 'w';
	if (!strcmp(name + 1, "ZR") || !strcmp(name + 1, "zr")) {
		r->zr = true;
		return 0;
	}
	if (name[1] < '0' || name[1] > '9')
		return -1;
	n = strtol(name + 1, &end, 10);
	if (*end || n < 0 || n > 30 || (name[1] == '0' && name[2]))
		return -1;
	r->n = (unsigned)n;
	return 0;
}
