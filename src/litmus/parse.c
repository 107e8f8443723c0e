/*
 * src/litmus/parse.c - herd7's AArch64 litmus format: the header
 * (`AArch64 NAME`, `Key=Value` lines: Variant, TTHM, EL0, Hash ...), the
 * init section `{ ... }`, the program (one column per thread, `|`
 * between columns, `;` ending each row, labels, `Pn.F` fault handler
 * columns) and, through cond.c, `locations[...]` and the final
 * condition. Every error is "FILE:LINE: message".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cond.h"
#include "lex.h"
#include "litmus_int.h"
#include "value.h"

/* ---------------------------------------------------------------------
 * Lines
 * ------------------------------------------------------------------- */

struct lines {
	char **s;
	unsigned n;
};

static int split_lines(char *text, struct lines *ls)
{
	unsigned cap = 64;

	ls->n = 0;
	ls->s = malloc(cap * sizeof(*ls->s));
	if (!ls->s)
		return -ENOMEM;
	for (char *p = text;;) {
		char *nl = strchr(p, '\n');

		if (ls->n == cap) {
			char **s = realloc(ls->s, 2 * cap * sizeof(*s));

			if (!s)
				return -ENOMEM;
			ls->s = s;
			cap *= 2;
		}
		ls->s[ls->n++] = p;
		if (!nl)
			break;
		*nl = 0;
		if (nl > p && nl[-1] == '\r')
			nl[-1] = 0;
		p = nl + 1;
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static bool blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

static int fail(char *err, size_t errsz, const char *file, unsigned line,
		const char *msg, const char *found)
{
	if (found)
		snprintf(err, errsz, "%s:%u: %s, found '%.40s'", file, line, msg,
			 found);
	else
		snprintf(err, errsz, "%s:%u: %s", file, line, msg);
	return -EINVAL;
}

/* ---------------------------------------------------------------------
 * Header
 * ------------------------------------------------------------------- */

static int header_key(struct lit_test *t, const char *key, const char *val,
		      const char *file, unsigned line, char *err, size_t errsz)
{
	if (!strcasecmp(key, "Variant")) {
		snprintf(t->variant, sizeof(t->variant), "%s", val);
		return 0;
	}
	if (!strcasecmp(key, "TTHM")) {
		snprintf(t->tthm, sizeof(t->tthm), "%s", val);
		return 0;
	}
	if (!strcasecmp(key, "EL0")) {
		char buf[64], *save = NULL;

		snprintf(buf, sizeof(buf), "%s", val);
		for (char *w = strtok_r(buf, ", \t", &save); w;
		     w = strtok_r(NULL, ", \t", &save)) {
			char *end;
			long n = w[0] == 'P' ? strtol(w + 1, &end, 10) : -1;

			if (n < 0 || n >= LIT_MAX_THREADS || *end)
				return fail(err, errsz, file, line,
					    "expected a thread (P0, P1, ...) "
					    "in EL0=", w);
			t->el0[n] = true;
		}
		return 0;
	}
	/* Hash, Generator, Prefetch, Com, Orig, ...: informative. */
	return 0;
}

/* ---------------------------------------------------------------------
 * Init section
 * ------------------------------------------------------------------- */

/* A type of the init section: its size, whether it is pteval_t, and
 * whether herd7 prints its values unsigned (uint32_t, uint64_t). */
static bool type_word(const char *w, unsigned *size, bool *pteval,
		      bool *uns)
{
	static const struct {
		const char *n;
		unsigned size;
		bool uns;
	} types[] = {{"char", 1, 0}, {"int8_t", 1, 0}, {"uint8_t", 1, 1},
		     {"short", 2, 0}, {"int16_t", 2, 0}, {"uint16_t", 2, 1},
		     {"int", 4, 0}, {"int32_t", 4, 0}, {"uint32_t", 4, 1},
		     {"int64_t", 8, 0}, {"uint64_t", 8, 1},
		     {"pteval_t", 8, 0}, {"intptr_t", 8, 0}, {"long", 8, 0}};

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(w, types[i].n)) {
			*size = types[i].size;
			*pteval = !strcmp(w, "pteval_t");
			*uns = types[i].uns;
			return true;
		}
	return false;
}

static int add_reginit(struct lit_test *t, int thread, unsigned reg, int line,
		       const struct lit_value *v)
{
	if (t->nreginit == t->capreginit) {
		unsigned cap = t->capreginit ? 2 * t->capreginit : 16;
		struct lit_reginit *r = realloc(t->reginit, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		t->reginit = r;
		t->capreginit = cap;
	}
	t->reginit[t->nreginit].thread = thread;
	t->reginit[t->nreginit].reg = reg;
	t->reginit[t->nreginit].v = *v;
	t->reginit[t->nreginit].line = line;
	t->nreginit++;
	return 0;
}

/* N:Xr or PN:Xr, after the thread number was seen. */
static int thread_reg(struct lex *l, int64_t th, struct lit_reg *r)
{
	char name[LIT_MAX_NAME];

	if (th < 0 || th >= LIT_MAX_THREADS)
		return lex_error(l, "no thread %lld (at most %d threads)",
				 (long long)th, LIT_MAX_THREADS);
	if (!lex_accept(l, ":"))
		return lex_expected(l, "':' after the thread number");
	if (!lex_ident(l, name, sizeof(name)))
		return lex_expected(l, "a register");
	if (val_reg(name, r) || r->zr)
		return lex_error(l, "bad register '%s' (expected X0-X30 or "
				 "W0-W30)", name);
	return 0;
}

/* An array location, after "x[": N] and an optional ={v, ...} (herd7's
 * `int x[3]={0,0,0}`): N elements of its type, one after the other at
 * the start of x's page, all 0 without the initialiser. An initialiser
 * gives all N values: herd7 rejects one with fewer ("Declared size of
 * array x does not match initial value size"). */
static int array_decl(struct lex *l, struct lit_test *t, int s, unsigned size,
		      bool not_plain)
{
	struct lit_sym *y = &t->sym[s];
	int64_t n, v;
	unsigned k = 0;

	if (not_plain)
		return lex_error(l, "only a location can be an array, not "
				 "'%s'", y->name);
	if (!lex_number(l, &n) || !lex_accept(l, "]"))
		return lex_expected(l, "an array size and ']'");
	if (n < 1 || n > LIT_MAX_ELEMS)
		return lex_error(l, "array '%s' has %lld elements (1 to %d "
				 "supported)", y->name, (long long)n,
				 LIT_MAX_ELEMS);
	if (size)
		y->size = size;
	y->nelem = (unsigned)n;
	memset(y->elem, 0, sizeof(y->elem));
	if (!lex_accept(l, "="))
		return 0;
	if (!lex_accept(l, "{"))
		return lex_expected(l, "'{' and the array's values");
	do {
		if (!lex_number(l, &v))
			return lex_expected(l, "a number (an array element)");
		if (k == y->nelem)
			return lex_error(l, "more values than the %u elements "
					 "of '%s'", y->nelem, y->name);
		y->elem[k++] = v;
	} while (lex_accept(l, ","));
	if (!lex_accept(l, "}"))
		return lex_expected(l, "'}' after the array's values");
	if (k < y->nelem)
		return lex_error(l, "%u values for the %u elements of '%s' "
				 "(herd7 rejects the test: \"Declared size of "
				 "array %s does not match initial value "
				 "size\")", k, y->nelem, y->name, y->name);
	y->init.kind = LV_INT;
	y->init.i = y->elem[0];
	return 0;
}

/* A location's init statement at the lexer's line: an error when one
 * came before (*seen: its line), as herd7 rejects such a test ("Location
 * x is initialized more than once"); a declaration (int x;) is one. */
static int once(struct lex *l, int *seen, const char *pre, const char *name,
		const char *post)
{
	if (*seen)
		return lex_error(l, "location %s%s%s is initialised more than "
				 "once (line %d already; herd7 rejects the "
				 "test)", pre, name, post, *seen);
	*seen = l->line;
	return 0;
}

/* [tag(x)]=:colour after "[tag": the initial Allocation Tag of x's
 * (first) Tag Granule, herd's syntax for a tag location's value. */
static int tag_init(struct lex *l, struct lit_test *t)
{
	char w[LIT_MAX_NAME];
	struct lit_value v;
	int s;

	if (!lex_accept(l, "(") || !lex_ident(l, w, sizeof(w)) ||
	    !lex_accept(l, ")") || !lex_accept(l, "]"))
		return lex_expected(l, "[tag(location)]");
	s = val_sym(l, t, w);
	if (s < 0)
		return -1;
	if (once(l, &t->sym[s].tag_line, "tag(", w, ")"))
		return -1;
	if (!lex_accept(l, "="))
		return lex_expected(l, "'=' after [tag(location)]");
	memset(&v, 0, sizeof(v));
	if (!lex_accept(l, ":"))
		return lex_expected(l, "':colour'");
	if (val_colour_name(l, t, &v.tag))
		return -1;
	t->sym[s].tag = v.tag;
	return 0;
}

static int init_stmt(struct lex *l, struct lit_test *t)
{
	char w[LIT_MAX_NAME];
	unsigned size = 0;
	bool pteval = false, typed = false, pointer = false, uns = false;
	struct lit_value v;
	int64_t th;
	const char *save;

	save = l->p;
	if (lex_ident(l, w, sizeof(w))) {
		if (type_word(w, &size, &pteval, &uns))
			typed = true;
		else
			l->p = save;
	}
	if (typed && lex_accept(l, "*")) {
		pointer = true;
		size = 8;
	}
	/* A register: N:Xr or PN:Xr. */
	save = l->p;
	lex_ws(l);
	if (*l->p == 'P' && isdigit((unsigned char)l->p[1]))
		l->p++;
	if (lex_number(l, &th)) {
		struct lit_reg r;

		if (thread_reg(l, th, &r))
			return -1;
		/* A typed declaration without a value (int64_t 0:X2) is
		 * 0, and an initialisation as herd7 counts them: a later
		 * 0:X2=... is a second one. */
		bool decl = typed && !lex_accept(l, "=");

		if (typed) {
			t->reg_size[th][r.n] = (uint8_t)size;
			t->reg_unsigned[th][r.n] = uns && !pointer;
		}
		memset(&v, 0, sizeof(v));
		v.kind = LV_INT;
		if (decl) {
			lex_ws(l);
			if (*l->p != ';' && *l->p)
				return lex_expected(l, "'=' after the "
						    "register");
		} else if (!typed && !lex_accept(l, "=")) {
			return lex_expected(l, "'=' after the register");
		} else if (val_parse(l, t, &v)) {
			return -1;
		}
		/* herd7 takes a number too (diy7 writes pteval_t 0:X7=0
		 * for a register a load of a PTE fills): the register
		 * holds it, and prints it, as a number. */
		if (pteval && !decl && v.kind != LV_DESC && v.kind != LV_INT)
			return lex_expected(l, "a descriptor record or a "
					    "number for pteval_t");
		/* An address, a descriptor or a label: herd7's symbolic
		 * values, whole whatever the register's type. */
		if (v.kind != LV_INT)
			t->reg_size[th][r.n] = 8;
		if (th + 1 > (int64_t)t->nthreads)
			t->nthreads = (unsigned)th + 1; /* checked later */
		for (unsigned k = 0; k < t->nreginit; k++)
			if (t->reginit[k].thread == (int)th &&
			    t->reginit[k].reg == r.n)
				return lex_error(l, "%lld:X%u is initialised "
						 "more than once (line %d "
						 "already; herd7 rejects the "
						 "test)", (long long)th, r.n,
						 t->reginit[k].line);
		return add_reginit(t, (int)th, r.n, l->line, &v) ?
			lex_error(l, "out of memory") : 0;
	}
	l->p = save;
	/* A location: x, [x], pte_x, [PTE(x)], PTE(x), *p. */
	bool bracket = lex_accept(l, "[");
	bool is_pte = false;
	int s;

	if (!lex_ident(l, w, sizeof(w)))
		return lex_expected(l, "a location or a register");
	if (bracket && !strcmp(w, "tag") && *l->p == '(')
		return tag_init(l, t);
	if (!strcmp(w, "PTE") || !strcmp(w, "TTD")) {
		/* herd7 reads TTD(x) as PTE(x). */
		is_pte = true;
		if (!lex_accept(l, "(") || !lex_ident(l, w, sizeof(w)) ||
		    !lex_accept(l, ")"))
			return lex_expected(l, "PTE(location)");
	} else if (!strncmp(w, "pte_", 4) && w[4]) {
		is_pte = true;
		memmove(w, w + 4, strlen(w + 4) + 1);
	} else if (!strncmp(w, "phy_", 4) && w[4]) {
		return lex_error(l, "cannot initialise physical location "
				 "'%s'", w);
	}
	if (bracket && !lex_accept(l, "]"))
		return lex_expected(l, "']'");
	s = val_sym(l, t, w);
	if (s < 0)
		return -1;
	if (once(l, is_pte ? &t->sym[s].pte_line : &t->sym[s].init_line,
		 is_pte ? "PTE(" : "", w, is_pte ? ")" : ""))
		return -1;
	if (typed && !is_pte)
		t->sym[s].is_unsigned = uns && !pointer;
	if (lex_accept(l, "["))
		return array_decl(l, t, s, typed ? size : 0, is_pte || bracket);
	if (typed && !is_pte)
		t->sym[s].size = size;
	if (!lex_accept(l, "="))
		return 0; /* a declaration: the location holds 0 */
	if (val_parse(l, t, &v))
		return -1;
	if (is_pte) {
		if (v.kind != LV_DESC)
			return lex_error(l, "the PTE of '%s' takes a descriptor "
					 "record such as (oa:PA(%s), valid:0)",
					 w, w);
		t->sym[s].pte = v.d;
		return 0;
	}
	if (v.kind == LV_DESC || v.kind == LV_LABEL)
		return lex_error(l, "location '%s' takes a number or an "
				 "address", w);
	if (v.kind != LV_INT && !pointer)
		t->sym[s].size = 8;
	t->sym[s].init = v;
	return 0;
}

static int parse_init(struct lit_test *t, const char *text, int line,
		      char *err, size_t errsz)
{
	struct lex l;

	lex_init(&l, text, line, t->file, err, errsz);
	while (!lex_eof(&l)) {
		if (lex_accept(&l, ";"))
			continue;
		if (init_stmt(&l, t))
			return -EINVAL;
		if (!lex_accept(&l, ";") && !lex_eof(&l))
			return lex_expected(&l, "';' between initial values"),
			       -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Program
 * ------------------------------------------------------------------- */

struct column {
	int thread;
	bool handler;
};

static int parse_columns(struct lit_test *t, char *row, unsigned line,
			 struct column *col, unsigned *ncol, char *err,
			 size_t errsz)
{
	char *s = trim(row);
	size_t n = strlen(s);
	unsigned k = 0;

	if (!n || s[n - 1] != ';')
		return fail(err, errsz, t->file, line,
			    "expected the thread names ending with ';' "
			    "(P0 | P1 ;)", s);
	s[n - 1] = 0;
	for (char *c = s;; k++) {
		char *bar = strchr(c, '|');
		char *name, *end;
		long th;

		if (bar)
			*bar = 0;
		name = trim(c);
		if (k >= 2 * LIT_MAX_THREADS)
			return fail(err, errsz, t->file, line, "too many "
				    "columns", NULL);
		if (name[0] != 'P' || !isdigit((unsigned char)name[1]))
			return fail(err, errsz, t->file, line,
				    "expected a thread name (P0, P1.F ...)",
				    name);
		th = strtol(name + 1, &end, 10);
		col[k].handler = !strcmp(end, ".F");
		if ((*end && !col[k].handler) || th >= LIT_MAX_THREADS)
			return fail(err, errsz, t->file, line,
				    "expected a thread name (P0, P1.F ...)",
				    name);
		col[k].thread = (int)th;
		if (!col[k].handler) {
			if ((unsigned)th != t->nthreads_code)
				return fail(err, errsz, t->file, line,
					    "threads must be P0, P1, ... in "
					    "order", name);
			t->nthreads_code++;
		} else {
			if (t->has_handler[th])
				return fail(err, errsz, t->file, line,
					    "a second fault handler column",
					    name);
			t->has_handler[th] = true;
		}
		if (!bar)
			break;
		c = bar + 1;
	}
	*ncol = k + 1;
	for (unsigned i = 0; i < *ncol; i++)
		if (col[i].handler &&
		    (unsigned)col[i].thread >= t->nthreads_code)
			return fail(err, errsz, t->file, line,
				    "a fault handler column for a thread "
				    "that does not exist", NULL);
	return 0;
}

static int code_add(struct lit_code *c, const struct lit_insn *in)
{
	if (c->n == c->cap) {
		unsigned cap = c->cap ? 2 * c->cap : 16;
		struct lit_insn *p = realloc(c->insn, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->insn = p;
		c->cap = cap;
	}
	c->insn[c->n++] = *in;
	return 0;
}

static bool label_start(const char *s, size_t *len)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return false;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	if (s[n] != ':')
		return false;
	*len = n;
	return true;
}

/* Is the label s (n characters) defined in code c? */
static bool has_label(const struct lit_code *c, const char *s, size_t n)
{
	for (unsigned i = 0; i < c->nlabel; i++)
		if (!strncmp(c->label[i].name, s, n) && !c->label[i].name[n])
			return true;
	return false;
}

/* Does code other than c (a thread's or a handler's) define the label
 * s already? Its column's name goes to where. herd7 rejects a test
 * whose label occurs more than once, in one thread or in two ("Label L0
 * occurs more than once", a user error): the same test must not run
 * here and there not. */
static bool label_elsewhere(const struct lit_test *t,
			    const struct lit_code *c, const char *s,
			    size_t n, char *where, size_t wsz)
{
	for (unsigned k = 0; k < LIT_MAX_THREADS; k++) {
		if (&t->code[k] != c && has_label(&t->code[k], s, n)) {
			snprintf(where, wsz, "P%u", k);
			return true;
		}
		if (&t->handler[k] != c && has_label(&t->handler[k], s, n)) {
			snprintf(where, wsz, "P%u.F", k);
			return true;
		}
	}
	return false;
}

static int parse_cell(struct lit_test *t, struct lit_code *c, int thread,
		      char *cell, unsigned line, char *err, size_t errsz)
{
	char *s = trim(cell);
	size_t n;
	char where[16];

	while (label_start(s, &n)) {
		if (c->nlabel >= LIT_MAX_LABELS)
			return fail(err, errsz, t->file, line, "too many labels",
				    NULL);
		if (has_label(c, s, n))
			return fail(err, errsz, t->file, line,
				    "label defined twice", s);
		if (label_elsewhere(t, c, s, n, where, sizeof(where))) {
			snprintf(err, errsz, "%s:%u: label '%.*s' is defined "
				 "in %s already (herd7 rejects a label that "
				 "occurs more than once in a test)", t->file,
				 line, (int)(n < 40 ? n : 40), s, where);
			return -EINVAL;
		}
		if (n >= LIT_MAX_NAME)
			return fail(err, errsz, t->file, line, "label too long",
				    s);
		memcpy(c->label[c->nlabel].name, s, n);
		c->label[c->nlabel].name[n] = 0;
		c->label[c->nlabel].insn = (int)c->n;
		c->nlabel++;
		s = trim(s + n + 1);
	}
	if (!*s)
		return 0;
	struct lit_insn in;

	if (c->n >= LIT_MAX_CODE)
		return fail(err, errsz, t->file, line, "too many instructions "
			    "in one thread", NULL);
	if (lit_parse_insn(t, t->file, (int)line, s, &in, err, errsz))
		return -EINVAL;
	if (in.op == OP_UNSUPPORTED && !t->unsupported[0])
		snprintf(t->unsupported, sizeof(t->unsupported),
			 "%s:%u: unsupported: %s", t->file, line, in.why);
	if ((in.op == OP_STG || in.op == OP_LDG) && !t->tag_line)
		t->tag_line = (int)line;
	(void)thread;
	return code_add(c, &in);
}

static bool cond_start(const char *s)
{
	static const char *const kw[] = {"exists", "~exists", "forall",
					 "locations", "filter", "~"};

	for (unsigned i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strncmp(s, kw[i], strlen(kw[i])))
			return true;
	return false;
}

/* ---------------------------------------------------------------------
 * The whole test
 * ------------------------------------------------------------------- */

static int parse_text(struct lit_test *t, char *text, char *err,
		      size_t errsz)
{
	struct lines ls;
	unsigned i = 0, ncol = 0;
	struct column col[2 * LIT_MAX_THREADS];
	int rc, bad;
	char *s;

	bad = lex_strip_comments(text);
	if (bad)
		return fail(err, errsz, t->file, (unsigned)bad,
			    "unterminated comment '(*'", NULL);
	rc = split_lines(text, &ls);
	if (rc)
		return rc;
	/* "End of file" is reported at the last line with text. */
	while (ls.n > 1 && blank(ls.s[ls.n - 1]))
		ls.n--;
	rc = -EINVAL;
	while (i < ls.n && blank(ls.s[i]))
		i++;
	if (i == ls.n) {
		fail(err, errsz, t->file, 1, "expected 'AArch64 NAME', found "
		     "end of file", NULL);
		goto out;
	}
	s = trim(ls.s[i]);
	if (strncmp(s, "AArch64", 7) || !isspace((unsigned char)s[7])) {
		fail(err, errsz, t->file, i + 1,
		     "expected 'AArch64 NAME' (only AArch64 tests are "
		     "supported)", s);
		goto out;
	}
	snprintf(t->name, sizeof(t->name), "%s", trim(s + 7));
	/* Header lines up to the '{' of the init section. */
	for (i++; i < ls.n; i++) {
		char *eq;

		s = trim(ls.s[i]);
		if (!*s)
			continue;
		if (*s == '{')
			break;
		if (*s == '"')
			continue; /* diy's cycle, informative */
		eq = strchr(s, '=');
		if (!eq) {
			fail(err, errsz, t->file, i + 1,
			     "expected 'Key=Value' or '{'", s);
			goto out;
		}
		*eq = 0;
		if (header_key(t, trim(s), trim(eq + 1), t->file, i + 1, err,
			       errsz))
			goto out;
	}
	if (i == ls.n) {
		fail(err, errsz, t->file, ls.n, "expected '{' (the initial state), "
		     "found end of file", NULL);
		goto out;
	}
	/* The init section: from after '{' to the matching '}'. */
	{
		unsigned start = i;
		char *open = strchr(ls.s[i], '{');
		char *close = NULL;
		size_t len = 0;
		char *buf;

		int depth = 1;

		/* The matching '}': arrays have braces of their own. */
		for (unsigned j = i; j < ls.n && !close; j++) {
			for (char *p = j == i ? open + 1 : ls.s[j]; *p; p++) {
				depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
				if (!depth) {
					close = p;
					i = j;
					break;
				}
			}
		}
		if (!close) {
			fail(err, errsz, t->file, ls.n, "expected '}' (the end "
			     "of the initial state), found end of file", NULL);
			goto out;
		}
		for (unsigned j = start; j <= i; j++)
			len += strlen(ls.s[j]) + 1;
		buf = malloc(len + 1);
		if (!buf) {
			rc = -ENOMEM;
			goto out;
		}
		buf[0] = 0;
		for (unsigned j = start; j <= i; j++) {
			const char *from = j == start ? open + 1 : ls.s[j];
			size_t k = strlen(buf);

			if (j == i) {
				size_t m = (size_t)(close - from);

				memcpy(buf + k, from, m);
				buf[k + m] = 0;
			} else {
				strcpy(buf + k, from);
				strcat(buf, "\n");
			}
		}
		rc = parse_init(t, buf, (int)start + 1, err, errsz);
		free(buf);
		if (rc)
			goto out;
		rc = -EINVAL;
		s = trim(close + 1);
		if (*s) {
			fail(err, errsz, t->file, i + 1,
			     "expected nothing after '}'", s);
			goto out;
		}
	}
	/* The thread names. */
	for (i++; i < ls.n && blank(ls.s[i]); i++)
		;
	if (i == ls.n) {
		fail(err, errsz, t->file, ls.n, "expected the thread names "
		     "(P0 | P1 ;), found end of file", NULL);
		goto out;
	}
	if (parse_columns(t, ls.s[i], i + 1, col, &ncol, err, errsz))
		goto out;
	/* Program rows until the condition. */
	for (i++; i < ls.n; i++) {
		unsigned k = 0;

		s = trim(ls.s[i]);
		if (!*s)
			continue;
		if (cond_start(s))
			break;
		size_t n = strlen(s);

		if (s[n - 1] != ';') {
			fail(err, errsz, t->file, i + 1,
			     "expected ';' at the end of the program row", s);
			goto out;
		}
		s[n - 1] = 0;
		for (char *c = s;; k++) {
			char *bar = strchr(c, '|');
			struct lit_code *code;

			if (bar)
				*bar = 0;
			if (k >= ncol) {
				fail(err, errsz, t->file, i + 1,
				     "more columns than threads", NULL);
				goto out;
			}
			code = col[k].handler ? &t->handler[col[k].thread] :
						&t->code[col[k].thread];
			rc = parse_cell(t, code, col[k].thread, c, i + 1, err,
					errsz);
			if (rc)
				goto out;
			rc = -EINVAL;
			if (!bar)
				break;
			c = bar + 1;
		}
	}
	t->nthreads = t->nthreads_code;
	for (unsigned k = 0; k < t->nreginit; k++)
		if ((unsigned)t->reginit[k].thread >= t->nthreads) {
			fail(err, errsz, t->file, 1, "an initial register value "
			     "for a thread that does not exist", NULL);
			goto out;
		}
	for (unsigned th = 0; th < t->nthreads; th++) {
		if (lit_resolve_labels(t, &t->code[th], (int)th, err, errsz) ||
		    lit_resolve_labels(t, &t->handler[th], (int)th, err,
				       errsz))
			goto out;
	}
	if (i == ls.n) {
		fail(err, errsz, t->file, ls.n, "expected a final condition "
		     "(exists, ~exists or forall), found end of file", NULL);
		goto out;
	}
	{
		/* The rest of the text, lines joined back. */
		size_t len = 0;
		char *buf;

		for (unsigned j = i; j < ls.n; j++)
			len += strlen(ls.s[j]) + 1;
		buf = malloc(len + 1);
		if (!buf) {
			rc = -ENOMEM;
			goto out;
		}
		buf[0] = 0;
		for (unsigned j = i; j < ls.n; j++) {
			strcat(buf, ls.s[j]);
			if (j + 1 < ls.n)
				strcat(buf, "\n");
		}
		rc = lit_parse_cond(t, buf, (int)i + 1, err, errsz);
		free(buf);
	}
out:
	free(ls.s);
	return rc;
}

int vmsa_litmus_parse(const char *file, const char *text,
		      vmsa_litmus_t **out, char *err, size_t errsz)
{
	struct lit_test *t;
	char *copy;
	int rc;

	*out = NULL;
	if (!file)
		file = "<text>";
	if (!text) {
		snprintf(err, errsz, "%s: no text", file);
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	copy = strdup(text);
	if (!t || !copy) {
		free(t);
		free(copy);
		snprintf(err, errsz, "%s: out of memory", file);
		return -ENOMEM;
	}
	snprintf(t->file, sizeof(t->file), "%s", file);
	rc = parse_text(t, copy, err, errsz);
	free(copy);
	if (rc) {
		if (rc == -ENOMEM)
			snprintf(err, errsz, "%s: out of memory", file);
		vmsa_litmus_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int vmsa_litmus_parse_file(const char *path, vmsa_litmus_t **out,
			   char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	int rc;

	*out = NULL;
	if (!f) {
		rc = -errno;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1 << 22) ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		snprintf(err, errsz, "%s: cannot read it (or over 4 MiB)", path);
		return -EINVAL;
	}
	buf = malloc((size_t)n + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errsz, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		snprintf(err, errsz, "%s: read error", path);
		return -EIO;
	}
	fclose(f);
	buf[n] = 0;
	if (strlen(buf) != (size_t)n) {
		free(buf);
		snprintf(err, errsz, "%s: not a text file (NUL byte)", path);
		return -EINVAL;
	}
	rc = vmsa_litmus_parse(path, buf, out, err, errsz);
	free(buf);
	return rc;
}

void vmsa_litmus_free(vmsa_litmus_t *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < LIT_MAX_THREADS; i++) {
		free(t->code[i].insn);
		free(t->handler[i].insn);
	}
	free(t->reginit);
	free(t->nodes);
	free(t);
}

const char *vmsa_litmus_name(const vmsa_litmus_t *t)
{
	return t ? t->name : "";
}

const char *vmsa_litmus_variant(const vmsa_litmus_t *t)
{
	return t ? t->variant : "";
}
