/*
 * src/arch/walk_format.c - one-line summaries of walk results, for
 * traces and test failures:
 *
 *   va 0x1000 -> pa 0x40001000 L3 4K NormalWB ISH r w x
 *   va 0x1000 -> ipa 0x80001000 -> pa 0x40001000 L3 4K s2 L2 2M NormalWB ISH r w - el0 r w -
 *   translation fault stage 2 L1 s1ptw fsc=0x05 read va=0x1000 ipa=0x80000000
 */
#include <stdarg.h>
#include <stdio.h>

#include "vmsa/arch.h"

/* snprintf into a buffer piece by piece, counting what was wanted. */
struct out_buf {
	char *buf;
	size_t size;
	size_t len;	/* wanted so far; may exceed size */
};

static void put(struct out_buf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out_buf *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* "4K", "2M", "1G": sizes are powers of two, at least 4K. */
static void put_size(struct out_buf *o, uint64_t size)
{
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
		put(o, "%lluG", (unsigned long long)(size >> 30));
	else if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1)))
		put(o, "%lluM", (unsigned long long)(size >> 20));
	else
		put(o, "%lluK", (unsigned long long)(size >> 10));
}

static void put_rwx(struct out_buf *o, bool r, bool w, bool x)
{
	put(o, "%c %c %c", r ? 'r' : '-', w ? 'w' : '-', x ? 'x' : '-');
}

static const char *acc_name(vmsa_acc_kind_t k)
{
	switch (k) {
	case VMSA_ACC_READ:
		return "read";
	case VMSA_ACC_WRITE:
		return "write";
	case VMSA_ACC_EXEC:
		return "exec";
	}
	return "?";
}

static void put_fault(struct out_buf *o, const vmsa_fault_t *f)
{
	switch (f->kind) {
	case VMSA_FAULT_EXTERNAL:
		put(o, "external abort on walk");
		break;
	case VMSA_FAULT_TLB_CONFLICT:
		put(o, "TLB conflict abort");
		break;
	case VMSA_FAULT_EXTERNAL_ACCESS:
		put(o, "external abort on access");
		break;
	case VMSA_FAULT_TAG_CHECK:
		put(o, "tag check fault");
		break;
	default:
		put(o, "%s fault", vmsa_fault_kind_name(f->kind));
		break;
	}
	/* The External abort on the access belongs to no stage or level,
	 * and a TLB conflict to no level. */
	if (f->kind != VMSA_FAULT_EXTERNAL_ACCESS &&
	    f->kind != VMSA_FAULT_TAG_CHECK)
		put(o, " stage %d", (int)f->stage);
	if (f->kind != VMSA_FAULT_TLB_CONFLICT &&
	    f->kind != VMSA_FAULT_EXTERNAL_ACCESS &&
	    f->kind != VMSA_FAULT_TAG_CHECK)
		put(o, " L%d", f->level);
	if (f->s1ptw)
		put(o, " s1ptw");
	put(o, " fsc=0x%02x %s va=0x%llx", f->fsc, acc_name(f->acc),
	    (unsigned long long)f->va);
	if (f->ipa_valid)
		put(o, " ipa=0x%llx", (unsigned long long)f->ipa);
}

static void put_translation(struct out_buf *o, const vmsa_walk_t *w)
{
	const vmsa_walk_leaf_t *s1 = &w->leaf[0], *s2 = &w->leaf[1];
	const vmsa_perms_t *p = &w->perms;
	char attr[48];

	/* Without a stage-1 leaf but with a stage-2 one, the input is (or
	 * equals) an IPA. */
	put(o, "%s 0x%llx", !s1->present && s2->present ? "ipa" : "va",
	    (unsigned long long)w->ia);
	if (s1->present && s2->present)
		put(o, " -> ipa 0x%llx", (unsigned long long)w->ipa);
	put(o, " -> pa 0x%llx", (unsigned long long)w->pa);
	if (s1->present) {
		put(o, " L%d ", s1->level);
		put_size(o, s1->size);
	}
	if (s2->present) {
		put(o, " s2 L%d ", s2->level);
		put_size(o, s2->size);
	}
	if (!s1->present && !s2->present)
		put(o, " flat");
	vmsa_memattr_format(attr, sizeof(attr), &w->attr);
	put(o, " %s ", attr);
	put_rwx(o, p->r, p->w, p->x);
	if (p->r0 || p->w0 || p->x0) {
		put(o, " el0 ");
		put_rwx(o, p->r0, p->w0, p->x0);
	}
}

int vmsa_walk_format(char *buf, size_t size, const vmsa_walk_t *w)
{
	struct out_buf o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	if (w->fault.kind != VMSA_FAULT_NONE)
		put_fault(&o, &w->fault);
	else
		put_translation(&o, w);
	return (int)o.len;
}
