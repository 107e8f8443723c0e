/*
 * src/litmus/cond.c - the final condition: `locations[...]`, then
 * `exists`, `~exists` or `forall` over a proposition of atoms joined
 * with /\, \/, ~ (or `not`) and parentheses. An atom compares an
 * observable (N:Xr, PN:Xr, x, [x], pte_x, [PTE(x)]) with a value, or is
 * a fault atom fault(Pn[:L], x[, MMU:Type]) (also spelt Fault).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "lex.h"
#include "value.h"

static struct lit_node *node(struct lex *l, struct lit_test *t,
			     enum lit_node_kind k)
{
	struct lit_node *n;

	if (t->nnodes == t->capnodes) {
		/* Nodes point at each other: allocate once, big enough. */
		lex_error(l, "condition too long");
		return NULL;
	}
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->label_insn = -1;
	n->sym = -1;
	return n;
}

static int obs_add(struct lex *l, struct lit_test *t, const struct lit_loc *o)
{
	for (unsigned i = 0; i < t->nobs; i++) {
		const struct lit_loc *p = &t->obs[i];

		if (p->kind == o->kind && p->thread == o->thread &&
		    p->reg == o->reg && p->sym == o->sym &&
		    p->indexed == o->indexed && p->elem == o->elem)
			return (int)i;
	}
	if (t->nobs >= LIT_MAX_OBS)
		return lex_error(l, "too many observed locations");
	t->obs[t->nobs] = *o;
	return (int)t->nobs++;
}

static int find_label(const struct lit_code *c, const char *name)
{
	for (unsigned i = 0; i < c->nlabel; i++)
		if (!strcmp(c->label[i].name, name))
			return c->label[i].insn;
	return -1;
}

static int resolve_label_value(struct lex *l, struct lit_test *t,
			       struct lit_value *v)
{
	if (v->kind != LV_LABEL)
		return 0;
	if ((unsigned)v->thread >= t->nthreads)
		return lex_error(l, "no thread P%d", v->thread);
	v->insn = find_label(&t->code[v->thread], v->label);
	if (v->insn < 0)
		return lex_error(l, "unknown label '%s' in P%d", v->label,
				 v->thread);
	return 0;
}

/* After location x (o->sym): x[i], an element of array x, which herd7
 * prints as x[i]=v. The whole of an array is a value of its own in herd7
 * (x={0,1,0}: x=0 never holds), which vmsa does not compare: such a
 * test is refused rather than answered with element 0. */
static int array_elem(struct lex *l, struct lit_test *t, struct lit_loc *o,
		      bool bracket)
{
	const struct lit_sym *s = &t->sym[o->sym];
	int64_t i;

	if (bracket || *l->p != '[') {
		if (s->nelem)
			return lex_error(l, "'%s' is an array: name one of its "
					 "elements, %s[0] to %s[%u] (herd7 "
					 "compares the whole array as one "
					 "value, which vmsa does not)",
					 s->name, s->name, s->name,
					 s->nelem - 1);
		return 0;
	}
	l->p++;
	if (!lex_number(l, &i) || !lex_accept(l, "]"))
		return lex_expected(l, "an element number and ']'");
	if (!s->nelem)
		return lex_error(l, "'%s' is not an array", s->name);
	if (i < 0 || (uint64_t)i >= s->nelem)
		return lex_error(l, "%s[%lld] is out of bounds: '%s' has %u "
				 "elements", s->name, (long long)i, s->name,
				 s->nelem);
	o->indexed = true;
	o->elem = (unsigned)i;
	return 0;
}

/* An observable: N:Xr, PN:Xr, x, [x], pte_x, [PTE(x)], PTE(x), x[i]. */
static int location(struct lex *l, struct lit_test *t, struct lit_loc *o)
{
	char w[LIT_MAX_NAME];
	int64_t th;
	bool bracket;

	memset(o, 0, sizeof(*o));
	lex_ws(l);
	if (l->p[0] == 'P' && l->p[1] >= '0' && l->p[1] <= '9')
		l->p++;
	if (lex_number(l, &th)) {
		struct lit_reg r;

		if (th < 0 || (unsigned)th >= t->nthreads)
			return lex_error(l, "no thread %lld", (long long)th);
		if (!lex_accept(l, ":"))
			return lex_expected(l, "':' after the thread number");
		if (!lex_ident(l, w, sizeof(w)))
			return lex_expected(l, "a register");
		if (val_reg(w, &r) || r.zr)
			return lex_error(l, "bad register '%s' (expected X0-X30 "
					 "or W0-W30)", w);
		/* herd7 names registers as X here ("W0 is not a
		 * register"): the observed width is the register's type
		 * (lit_reg_final), not the name's. */
		if (r.w)
			return lex_error(l, "%lld:%s: name the register as X%u "
					 "in the final condition and the "
					 "locations list (herd7 rejects W "
					 "registers there; its type, int by "
					 "default, gives the width)",
					 (long long)th, w, r.n);
		o->kind = LOC_REG;
		o->thread = (int)th;
		o->reg = r.n;
		return 0;
	}
	bracket = lex_accept(l, "[");
	if (!lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "a location (N:Xr, x, [x], pte_x, "
				    "[PTE(x)]) or fault(...)");
	o->kind = LOC_MEM;
	if (bracket && !strcmp(w, "tag") && *l->p == '(') {
		/* [tag(x)]: x's Allocation Tag (memtag). */
		o->kind = LOC_TAG;
		if (!lex_accept(l, "(") || !lex_ident(l, w, sizeof(w)) ||
		    !lex_accept(l, ")"))
			return lex_expected(l, "tag(location)");
		if (!t->tag_line)
			t->tag_line = l->line;
	} else if (!strcmp(w, "PTE") || !strcmp(w, "TTD")) {
		o->kind = LOC_PTE;
		if (!lex_accept(l, "(") || !lex_ident(l, w, sizeof(w)) ||
		    !lex_accept(l, ")"))
			return lex_expected(l, "PTE(location)");
	} else if (!strncmp(w, "pte_", 4) && w[4]) {
		o->kind = LOC_PTE;
		memmove(w, w + 4, strlen(w + 4) + 1);
	}
	if (bracket && !lex_accept(l, "]"))
		return lex_expected(l, "']'");
	o->sym = val_sym(l, t, w);
	if (o->sym < 0)
		return -1;
	return o->kind == LOC_MEM ? array_elem(l, t, o, bracket) : 0;
}

static const char *ftype_name(enum lit_fault_type f)
{
	static const char *const n[] = {"", "MMU:Translation",
					"MMU:AccessFlag", "MMU:Permission",
					"", "TagCheck"};
	return n[f];
}

/* Does a fault type come next (MMU:..., D-MMU:..., TagCheck)? */
static bool fault_type_next(struct lex *l)
{
	lex_ws(l);
	return !strncmp(l->p, "MMU:", 4) || !strncmp(l->p, "D-MMU:", 6) ||
	       (!strncmp(l->p, "TagCheck", 8) && !isalnum((unsigned char)l->p[8]) &&
		l->p[8] != '_');
}

/* A fault type into n->ftype: MMU:Translation, MMU:AccessFlag,
 * MMU:Permission (also D-MMU:, as herd7 prints them) or TagCheck. */
static int fault_type(struct lex *l, struct lit_node *n)
{
	char w[LIT_MAX_NAME];

	if (lex_accept_word(l, "TagCheck")) {
		/* herd's TagCheck (lib/faultType.ml): a Tag Check Fault
		 * (FEAT_MTE2, variant memtag). */
		n->ftype = FT_TAG_CHECK;
		return 0;
	}
	if (!lex_accept_word(l, "MMU") && !lex_accept(l, "D-MMU"))
		return lex_expected(l, "MMU:Translation, MMU:AccessFlag, "
				    "MMU:Permission or TagCheck");
	if (!lex_accept(l, ":") || !lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "a fault type after MMU:");
	if (!strcmp(w, "Translation"))
		n->ftype = FT_TRANSLATION;
	else if (!strcmp(w, "AccessFlag"))
		n->ftype = FT_ACCESS_FLAG;
	else if (!strcmp(w, "Permission"))
		n->ftype = FT_PERMISSION;
	else
		return lex_error(l, "unknown fault type 'MMU:%s' (expected "
				 "Translation, AccessFlag or Permission)", w);
	return 0;
}

/* fault(Pn[:L][, x][, MMU:Type]) after "fault". */
static struct lit_node *fault_atom(struct lex *l, struct lit_test *t)
{
	struct lit_node *n = node(l, t, N_FAULT);
	char w[LIT_MAX_NAME], lbl[LIT_MAX_NAME] = "";
	int64_t th;
	struct lit_fatom *fa;

	if (!n)
		return NULL;
	if (!lex_accept(l, "(") || !lex_accept(l, "P") || !lex_number(l, &th)) {
		lex_expected(l, "fault(Pn:Label,location)");
		return NULL;
	}
	if (th < 0 || (unsigned)th >= t->nthreads) {
		lex_error(l, "no thread P%lld", (long long)th);
		return NULL;
	}
	n->thread = (int)th;
	if (lex_accept(l, ":")) {
		if (!lex_ident(l, lbl, sizeof(lbl))) {
			lex_expected(l, "a label");
			return NULL;
		}
		n->label_insn = find_label(&t->code[th], lbl);
		if (n->label_insn < 0) {
			lex_error(l, "unknown label '%s' in P%lld", lbl,
				  (long long)th);
			return NULL;
		}
	}
	n->ftype = FT_ANY;
	if (lex_accept(l, ",")) {
		/* A type without a location (herd7: fault(P1:L0,
		 * MMU:Translation) matches a fault at any location). */
		if (fault_type_next(l)) {
			if (fault_type(l, n))
				return NULL;
		} else {
			if (!lex_ident(l, w, sizeof(w))) {
				lex_expected(l, "a location");
				return NULL;
			}
			if (!strcmp(w, "UndefinedInstruction")) {
				lex_error(l, "unsupported fault type "
					  "'UndefinedInstruction' "
					  "(undefined-instruction faults are "
					  "not run)");
				return NULL;
			}
			n->sym = val_sym(l, t, w);
			if (n->sym < 0)
				return NULL;
			if (lex_accept(l, ",") && fault_type(l, n))
				return NULL;
		}
	}
	if (!lex_accept(l, ")")) {
		lex_expected(l, "')' closing fault(...)");
		return NULL;
	}
	for (unsigned i = 0; i < t->nfatom; i++) {
		fa = &t->fatom[i];
		if (fa->thread == n->thread && fa->label_insn == n->label_insn &&
		    fa->sym == n->sym && fa->ftype == n->ftype) {
			n->fatom = (int)i;
			return n;
		}
	}
	if (t->nfatom >= LIT_MAX_OBS) {
		lex_error(l, "too many fault atoms");
		return NULL;
	}
	fa = &t->fatom[t->nfatom];
	fa->thread = n->thread;
	fa->label_insn = n->label_insn;
	fa->sym = n->sym;
	fa->ftype = n->ftype;
	snprintf(fa->text, sizeof(fa->text), "Fault(P%d%s%s%s%s%s%s)",
		 n->thread, lbl[0] ? ":" : "", lbl, n->sym >= 0 ? "," : "",
		 n->sym >= 0 ? t->sym[n->sym].name : "",
		 n->ftype != FT_ANY ? "," : "", ftype_name(n->ftype));
	n->fatom = (int)t->nfatom++;
	return n;
}

static struct lit_node *disjunction(struct lex *l, struct lit_test *t);

static struct lit_node *unary(struct lex *l, struct lit_test *t)
{
	struct lit_node *n;
	struct lit_loc o;

	if (lex_accept(l, "~") || lex_accept_word(l, "not")) {
		struct lit_node *a = unary(l, t);

		if (!a || !(n = node(l, t, N_NOT)))
			return NULL;
		n->a = a;
		return n;
	}
	if (lex_accept(l, "(")) {
		n = disjunction(l, t);
		if (n && !lex_accept(l, ")")) {
			lex_expected(l, "')'");
			return NULL;
		}
		return n;
	}
	if (lex_accept_word(l, "true"))
		return node(l, t, N_TRUE);
	if (lex_accept_word(l, "false"))
		return node(l, t, N_FALSE);
	if (lex_accept_word(l, "fault") || lex_accept_word(l, "Fault"))
		return fault_atom(l, t);
	if (location(l, t, &o))
		return NULL;
	if (!(n = node(l, t, N_EQ)))
		return NULL;
	if ((n->obs = obs_add(l, t, &o)) < 0)
		return NULL;
	bool ne = lex_accept(l, "<>") || lex_accept(l, "!=");

	if (!ne && !lex_accept(l, "=")) {
		lex_expected(l, "'=' after the location");
		return NULL;
	}
	if (o.kind == LOC_TAG) {
		/* A tag's value is :colour (herd's syntax). */
		n->v.kind = LV_INT;
		if (!lex_accept(l, ":")) {
			lex_expected(l, "':colour' (a tag's value)");
			return NULL;
		}
		if (val_colour_name(l, t, &n->v.tag))
			return NULL;
		n->v.i = n->v.tag;
	} else if (val_parse(l, t, &n->v) ||
		   resolve_label_value(l, t, &n->v)) {
		return NULL;
	}
	if (ne) {
		struct lit_node *not = node(l, t, N_NOT);

		if (!not)
			return NULL;
		not->a = n;
		return not;
	}
	return n;
}

/* a => b: herd7's implication, binding tighter than /\ and \/ and
 * looser than ~, right-associative (lib/stateParser.mly's precedences). */
static struct lit_node *implication(struct lex *l, struct lit_test *t)
{
	struct lit_node *a = unary(l, t), *b, *n;

	if (!a || !lex_accept(l, "=>"))
		return a;
	b = implication(l, t);
	if (!b || !(n = node(l, t, N_IMPL)))
		return NULL;
	n->a = a;
	n->b = b;
	return n;
}

static struct lit_node *conjunction(struct lex *l, struct lit_test *t)
{
	struct lit_node *a = implication(l, t);

	while (a && lex_accept(l, "/\\")) {
		struct lit_node *b = implication(l, t), *n;

		if (!b || !(n = node(l, t, N_AND)))
			return NULL;
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static struct lit_node *disjunction(struct lex *l, struct lit_test *t)
{
	struct lit_node *a = conjunction(l, t);

	while (a && lex_accept(l, "\\/")) {
		struct lit_node *b = conjunction(l, t), *n;

		if (!b || !(n = node(l, t, N_OR)))
			return NULL;
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static int locations(struct lex *l, struct lit_test *t)
{
	if (!lex_accept(l, "["))
		return lex_expected(l, "'[' after locations");
	while (!lex_accept(l, "]")) {
		struct lit_loc o;

		if (lex_eof(l))
			return lex_expected(l, "']' closing locations[...]");
		if (lex_accept_word(l, "fault") || lex_accept_word(l, "Fault")) {
			if (!fault_atom(l, t))
				return -1;
		} else if (location(l, t, &o) || obs_add(l, t, &o) < 0) {
			return -1;
		}
		if (!lex_accept(l, ";") && !lex_accept(l, ",")) {
			lex_ws(l);
			if (*l->p != ']')
				return lex_expected(l, "';' between locations");
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Printing
 * ------------------------------------------------------------------- */

int lit_obs_name(char *buf, size_t size, const struct lit_test *t,
		 unsigned i)
{
	const struct lit_loc *o = &t->obs[i];

	switch (o->kind) {
	case LOC_REG:
		return snprintf(buf, size, "%d:X%u", o->thread, o->reg);
	case LOC_MEM:
		if (o->indexed)
			return snprintf(buf, size, "%s[%u]",
					t->sym[o->sym].name, o->elem);
		return snprintf(buf, size, "[%s]", t->sym[o->sym].name);
	case LOC_TAG:
		return snprintf(buf, size, "[tag(%s)]", t->sym[o->sym].name);
	default:
		return snprintf(buf, size, "[PTE(%s)]", t->sym[o->sym].name);
	}
}

static void put(char *buf, size_t size, size_t *k, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static void put(char *buf, size_t size, size_t *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*k >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *k, size - *k, fmt, ap);
	va_end(ap);
	if (n > 0)
		*k += (size_t)n;
}

static void desc_text(char *buf, size_t size, size_t *k,
		      const struct lit_test *t, const struct lit_desc *d,
		      int default_sym)
{
	static const char *const an[] = {"", "Device-GRE", "Device-nGnRnE",
					 "Normal,iNC,oNC"};
	int s = d->oa_sym >= 0 ? d->oa_sym : default_sym;

	put(buf, size, k, "(oa:PA(%s)", s >= 0 ? t->sym[s].name : "?");
	if (!d->af)
		put(buf, size, k, ", af:0");
	if (!d->db)
		put(buf, size, k, ", db:0");
	if (d->dbm)
		put(buf, size, k, ", dbm:1");
	if (!d->valid)
		put(buf, size, k, ", valid:0");
	if (!d->el0)
		put(buf, size, k, ", el0:0");
	if (d->attr != LIT_ATTR_NORMAL)
		put(buf, size, k, ", attrs:(%s)", an[d->attr]);
	put(buf, size, k, ")");
}

static void value_text(char *buf, size_t size, size_t *k,
		       const struct lit_test *t, const struct lit_value *v,
		       int default_sym)
{
	switch (v->kind) {
	case LV_INT:
		put(buf, size, k, "%lld", (long long)v->i);
		break;
	case LV_VA:
		put(buf, size, k, "%s", t->sym[v->sym].name);
		if (v->tag)
			put(buf, size, k, ":%s", lit_colour[v->tag & 7]);
		break;
	case LV_PTE:
		put(buf, size, k, "PTE(%s)", t->sym[v->sym].name);
		break;
	case LV_PA:
		put(buf, size, k, "PA(%s)", t->sym[v->sym].name);
		break;
	case LV_DESC:
		desc_text(buf, size, k, t, &v->d, default_sym);
		break;
	case LV_LABEL:
		put(buf, size, k, "label:\"P%d:%s\"", v->thread, v->label);
		break;
	}
}

/* A node printed with an operator between its operands. */
static bool binary(const struct lit_node *n)
{
	return n->kind == N_AND || n->kind == N_OR || n->kind == N_IMPL;
}

/* Does operand c of binary node n (right: its second) need parentheses,
 * as herd7 prints a condition: chains of /\ and of \/ flat (a /\ b /\ c,
 * whatever the grouping written), /\ under \/ bare (a \/ b /\ c),
 * \/ under /\ and anything but a right-hand => under => in
 * parentheses, => under /\ or \/ too (herd7 prints
 * (a => b) /\ c for a => b /\ c, and a => b => c). */
static bool parens(const struct lit_node *n, const struct lit_node *c,
		   bool right)
{
	if (!binary(c))
		return false;
	if (c->kind == N_IMPL)
		return !(n->kind == N_IMPL && right);
	switch (n->kind) {
	case N_AND:
		return c->kind == N_OR;
	case N_OR:
		return false;
	default:
		return true;
	}
}

static void node_text(char *buf, size_t size, size_t *k,
		      const struct lit_test *t, const struct lit_node *n);

/* Operand c of n, in parentheses where herd7 puts them. */
static void operand_text(char *buf, size_t size, size_t *k,
			 const struct lit_test *t, const struct lit_node *n,
			 const struct lit_node *c, bool right)
{
	bool p = parens(n, c, right);

	if (p)
		put(buf, size, k, "(");
	node_text(buf, size, k, t, c);
	if (p)
		put(buf, size, k, ")");
}

static void node_text(char *buf, size_t size, size_t *k,
		      const struct lit_test *t, const struct lit_node *n)
{
	char name[64];

	switch (n->kind) {
	case N_TRUE:
		put(buf, size, k, "true");
		break;
	case N_FALSE:
		put(buf, size, k, "false");
		break;
	case N_NOT:
		put(buf, size, k, "not (");
		node_text(buf, size, k, t, n->a);
		put(buf, size, k, ")");
		break;
	case N_AND:
	case N_OR:
	case N_IMPL:
		operand_text(buf, size, k, t, n, n->a, false);
		put(buf, size, k, n->kind == N_AND ? " /\\ " :
				  n->kind == N_OR ? " \\/ " : " => ");
		operand_text(buf, size, k, t, n, n->b, true);
		break;
	case N_EQ:
		lit_obs_name(name, sizeof(name), t, (unsigned)n->obs);
		put(buf, size, k, "%s=", name);
		if (t->obs[n->obs].kind == LOC_TAG)
			put(buf, size, k, ":%s", lit_colour[n->v.i & 7]);
		else
			value_text(buf, size, k, t, &n->v,
				   t->obs[n->obs].kind == LOC_PTE ?
				   t->obs[n->obs].sym : -1);
		break;
	case N_FAULT:
		put(buf, size, k, "f%s", t->fatom[n->fatom].text + 1);
		break;
	}
}

int lit_parse_cond(struct lit_test *t, const char *text, int line,
		   char *err, size_t errsz)
{
	struct lex l;
	size_t k = 0;
	const char *q;
	unsigned nsym;

	lex_init(&l, text, line, t->file, err, errsz);
	t->capnodes = 256;
	t->nodes = calloc(t->capnodes, sizeof(*t->nodes));
	if (!t->nodes)
		return -ENOMEM;
	nsym = t->nsym;
	if (lex_accept_word(&l, "locations") && locations(&l, t))
		return -EINVAL;
	t->decl_nsym = nsym;
	t->in_cond = true;
	if (lex_accept_word(&l, "filter"))
		return lex_error(&l, "filter is not supported"), -EINVAL;
	/* No condition at all (a test that only lists locations): herd7's
	 * forall (true), whose states are the result. */
	if (lex_eof(&l)) {
		t->quant = Q_FORALL;
		t->cond = node(&l, t, N_TRUE);
		t->in_cond = false;
		if (!t->cond)
			return -EINVAL;
		snprintf(t->cond_text, sizeof(t->cond_text), "forall (true)");
		return 0;
	}
	if (lex_accept_word(&l, "exists"))
		t->quant = Q_EXISTS;
	else if (lex_accept(&l, "~") && lex_accept_word(&l, "exists"))
		t->quant = Q_NOT_EXISTS;
	else if (lex_accept_word(&l, "forall"))
		t->quant = Q_FORALL;
	else
		return lex_expected(&l, "a final condition (exists, ~exists "
				    "or forall)"), -EINVAL;
	t->cond = disjunction(&l, t);
	t->in_cond = false;
	if (!t->cond)
		return -EINVAL;
	/* herd7 takes a ';' after the condition. */
	lex_accept(&l, ";");
	if (!lex_eof(&l))
		return lex_expected(&l, "'/\\', '\\/' or the end of the "
				    "condition"), -EINVAL;
	q = t->quant == Q_EXISTS ? "exists" : t->quant == Q_FORALL ? "forall"
								   : "~exists";
	put(t->cond_text, sizeof(t->cond_text), &k, "%s (", q);
	node_text(t->cond_text, sizeof(t->cond_text), &k, t, t->cond);
	put(t->cond_text, sizeof(t->cond_text), &k, ")");
	return 0;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------- */

static bool eq_value(const struct lit_test *t, const struct lit_loc *o,
		     const struct lit_value *v, uint64_t have,
		     const vmsa_pa_t *pa_of)
{
	if (v->kind == LV_DESC) {
		struct lit_desc d;
		uint64_t oa;
		int want = v->d.oa_sym >= 0 ? v->d.oa_sym :
			   o->kind == LOC_PTE ? o->sym : -1;

		lit_desc_decode(have, pa_of, t->nsym, &d, &oa);
		if (want < 0 || oa != pa_of[want])
			return false;
		return d.valid == v->d.valid && d.af == v->d.af &&
		       d.db == v->d.db && d.dbm == v->d.dbm &&
		       d.el0 == v->d.el0 && d.attr == v->d.attr;
	}
	if (o->kind == LOC_TAG)
		return have == (uint64_t)v->i;
	/* A number against a location or register narrower than 64
	 * bits: at its size (-1 and 255 are the same uint8_t, -1 and
	 * 4294967295 the same int, herd7's default type of a register);
	 * its final value has that type already (check() in run.c,
	 * lit_reg_final). */
	if (o->kind == LOC_MEM && v->kind == LV_INT)
		return have == lit_typed((uint64_t)v->i, t->sym[o->sym].size,
					 t->sym[o->sym].is_unsigned);
	if (o->kind == LOC_REG && t->reg_size[o->thread][o->reg] != 8 &&
	    v->kind == LV_INT)
		return have == lit_typed((uint64_t)v->i, 4,
					 t->reg_unsigned[o->thread][o->reg]);
	return have == lit_value_runtime(v, pa_of);
}

bool lit_cond_eval(const struct lit_test *t, const struct lit_node *n,
		   const uint64_t *obsv, const uint8_t *fatomv,
		   const vmsa_pa_t *pa_of)
{
	switch (n->kind) {
	case N_TRUE:
		return true;
	case N_FALSE:
		return false;
	case N_NOT:
		return !lit_cond_eval(t, n->a, obsv, fatomv, pa_of);
	case N_AND:
		return lit_cond_eval(t, n->a, obsv, fatomv, pa_of) &&
		       lit_cond_eval(t, n->b, obsv, fatomv, pa_of);
	case N_OR:
		return lit_cond_eval(t, n->a, obsv, fatomv, pa_of) ||
		       lit_cond_eval(t, n->b, obsv, fatomv, pa_of);
	case N_IMPL:
		return !lit_cond_eval(t, n->a, obsv, fatomv, pa_of) ||
		       lit_cond_eval(t, n->b, obsv, fatomv, pa_of);
	case N_EQ:
		return eq_value(t, &t->obs[n->obs], &n->v, obsv[n->obs], pa_of);
	case N_FAULT:
		return fatomv[n->fatom] != 0;
	}
	return false;
}
