/*
 * src/litmus/value.h - parsing values, descriptor records and registers
 * (value.c). Private.
 */
#ifndef VMSA_LITMUS_VALUE_H
#define VMSA_LITMUS_VALUE_H

#include "lex.h"
#include "litmus_int.h"

/* A value (number, symbol, PTE(x), PA(x), (record), label:"P:L"). */
/* A tag colour's name (herd's: green, red, ... magenta) into *tag;
 * remembers the test uses tags (t->tag_line). */
int val_colour_name(struct lex *l, struct lit_test *t, unsigned *tag);
int val_parse(struct lex *l, struct lit_test *t, struct lit_value *v);
/* A descriptor record after its '('. */
int val_desc(struct lex *l, struct lit_test *t, struct lit_desc *d);
/* The symbol `name` (created if new), or -1 with an error. */
int val_sym(struct lex *l, struct lit_test *t, const char *name);
/* A register name: 0, or -1 when it is not one. */
int val_reg(const char *name, struct lit_reg *r);

#endif
