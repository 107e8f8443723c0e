/*
 * src/arch/walk.c - the translation table walk as a pure function.
 *
 * One walker translates an input address through one stage: select the
 * table (TTBR0/TTBR1, with TBI and EPD for stage 1; the IPA size check
 * for stage 2), then read one descriptor per level through the caller's
 * callback until a leaf, then check the Access flag and the permissions.
 * A two-stage walk runs the same walker for stage 1 with a hook that
 * sends every stage-1 table address through a stage-2 walker first, then
 * runs stage 2 on the output IPA.
 *
 * The order of the checks is the fault priority of D8.15.5 (RXCHFJ) and
 * the fault-checking sequence of D8.15.4: for each level, a stage-2 fault
 * on fetching the descriptor, then an External abort on the read, then a
 * Translation fault, then an Address size fault; after the leaf, the
 * Access flag fault, then the Permission fault, then (two stages) any
 * stage-2 fault on the output address.
 *
 * Hardware Access flag and dirty state management (FEAT_HAFDBS, D8.5):
 * with HA a leaf with AF = 0 gives no Access flag fault but needs an
 * update setting AF (RHDTRB); with HD a write through a writable-clean
 * leaf (DBM = 1, and AP[2] = 1 / S2AP[1] = 0 the only reason for a
 * Permission fault: RXZFQH) needs an update to writable-dirty (RNSXRD).
 * The walk never writes memory: it lists the updates in out->updates
 * and translates as if they were made; the caller makes them.
 *
 * Only VMSAv8-64 with 48-bit addresses and Direct permissions; see
 * docs/arch.md for what is left out.
 */
#include <assert.h>
#include <string.h>

#include "perms.h"
#include "walk.h"

/* Descriptors are 8 bytes (RYKQTS). */
#define DESC_BYTES 8u

static bool addr_fits(uint64_t addr, unsigned bits)
{
	return bits >= 64 || (addr >> bits) == 0;
}

/* Bits [hi:lo] of v, right-aligned (hi >= lo, hi <= 63). */
static uint64_t bits_of(uint64_t v, unsigned hi, unsigned lo)
{
	unsigned n = hi - lo + 1;

	v >>= lo;
	return n >= 64 ? v : v & ((1ull << n) - 1);
}

/*
 * Record a fault and return false, so that a failing step is one line:
 * `return walk_fault(w, kind, level, ia);`. Stage-2 faults carry the IPA
 * being translated (HPFAR_EL2); for a fault on a stage-1 table fetch that
 * is the IPA of the stage-1 descriptor. va and acc always describe the
 * access that started the walk (FAR_ELx, and Data or Instruction Abort).
 */
static bool walk_fault(const struct walker *w, vmsa_fault_kind_t kind,
		       int level, uint64_t ia)
{
	vmsa_fault_t *f = &w->out->fault;

	f->kind = kind;
	f->stage = w->cfg->stage;
	f->level = level;
	f->s1ptw = w->s1ptw;
	f->acc = w->orig->kind;
	f->va = w->orig->addr;
	f->ipa_valid = w->cfg->stage == VMSA_STAGE2;
	f->ipa = f->ipa_valid ? ia : 0;
	f->fsc = vmsa_fault_fsc(kind, level);
	return false;
}

/* What vmsa_walk_read_fault() needs of the walk under way: the stage
 * and access (w), its table configuration and the table attributes met
 * so far. */
struct vmsa_walk_state {
	const struct walker *w;
	const vmsa_tt_cfg_t *t;
	const struct vmsa_hier *hier;
};

/*
 * Read one descriptor through the callback and log it in out->reads. A
 * read the callback refuses is logged too (with value 0): the walk did
 * touch that address.
 */
static int read_desc(const struct walker *w, const vmsa_tt_cfg_t *t,
		     const struct vmsa_hier *hier, int level, vmsa_pa_t pa,
		     uint64_t ia, uint64_t *value)
{
	struct vmsa_walk_state st = {w, t, hier};
	vmsa_walk_read_t r = {
		.stage = w->cfg->stage, .level = level, .pa = pa, .ia = ia,
		.va = w->orig->addr, .s1ptw = w->s1ptw, .state = &st,
	};
	vmsa_walk_t *out = w->out;
	int err;

	*value = 0;
	err = w->read(w->ctx, &r, value);
	if (err)
		*value = 0;
	/* At most (5+1) * (5+1) - 1 = 35 reads, with five levels a stage
	 * (D8.2.1). */
	assert(out->n_reads < VMSA_WALK_MAX_READS);
	if (out->n_reads < VMSA_WALK_MAX_READS) {
		vmsa_walk_step_t *s = &out->reads[out->n_reads++];

		s->stage = r.stage;
		s->level = level;
		s->s1ptw = w->s1ptw;
		s->pa = pa;
		s->value = *value;
	}
	return err;
}

/*
 * Stage 1: pick the table for va. With two ranges, VA[55] selects TTBR0
 * or TTBR1; the bits above the range size up to bit 63 (bit 55 with TBI)
 * must then all be 0 (TTBR0) or all 1 (TTBR1), else a level 0 Translation
 * fault (RVZZSZ; D8.2.4). A disabled walk (EPDn = 1) gives the same
 * fault (RVZZSZ, IZFSYQ). With one range the bits must be 0 (D8.1.9).
 */
static bool s1_select(const struct walker *w, uint64_t va, int *tt)
{
	const vmsa_stage_cfg_t *cfg = w->cfg;
	int i = (int)vmsa_s1_tt_index(cfg, va);
	const vmsa_tt_cfg_t *t = &cfg->tt[i];
	unsigned top = t->tbi ? 55 : 63;

	if (t->ia_bits <= top) {
		uint64_t above = bits_of(va, top, t->ia_bits);
		uint64_t ones = bits_of(~0ull, top, t->ia_bits);

		if (above != (i ? ones : 0))
			return walk_fault(w, VMSA_FAULT_TRANSLATION, 0, va);
	}
	if (t->epd)
		return walk_fault(w, VMSA_FAULT_TRANSLATION, 0, va);
	*tt = i;
	return true;
}

/* Stage 2: an IPA above the configured IPA size (VTCR_EL2.T0SZ) is a
 * stage 2 level 0 Translation fault (D8.1.10). */
static bool s2_check_range(const struct walker *w, uint64_t ipa)
{
	if (!addr_fits(ipa, w->cfg->tt[0].ia_bits))
		return walk_fault(w, VMSA_FAULT_TRANSLATION, 0, ipa);
	return true;
}

/*
 * Base of the start-level table(s): the TTBR address aligned to the size
 * of the (possibly concatenated) root, as the descriptor address formulas
 * of D8.2.8.3 use only BaseAddr[PAsize-1:x].
 */
static uint64_t root_base(const vmsa_tt_cfg_t *t)
{
	unsigned shift = vmsa_level_shift(t->granule, t->start_level);
	unsigned bits = t->ia_bits > shift ? t->ia_bits - shift : 0;
	unsigned x = bits + 3;

	return x >= 64 ? 0 : t->root & ~((1ull << x) - 1);
}

static bool ptw_translate(const struct walker *w, vmsa_ipa_t ipa,
			  vmsa_pa_t *pa, struct s2_of_table *t);

/*
 * The output or next-level table address of a valid descriptor must fit
 * the stage's OA size, else an Address size fault at this level (RCVSBH,
 * RBFHQH). With the 64K granule and no 52-bit PAs, bits [15:12] hold
 * OA[51:48] on FEAT_LPA parts; whether a non-zero value faults is
 * IMPLEMENTATION DEFINED and not faulting is deprecated (RWDZFC): fault.
 */
static bool desc_addr_ok(const struct walker *w, vmsa_granule_t g,
			 uint64_t raw, uint64_t addr)
{
	if (g == VMSA_GRANULE_64K && bits_of(raw, 15, 12) != 0)
		return false;
	return addr_fits(addr, w->oa_bits);
}

/* Fill the leaf of a stage from the descriptor that ended the walk. */
static void set_leaf(struct stage_out *so, int level, vmsa_granule_t g,
		     uint64_t raw, vmsa_pa_t desc_pa, uint64_t ia)
{
	uint64_t size = vmsa_level_size(g, level);

	so->leaf.present = true;
	so->leaf.level = level;
	so->leaf.size = size;
	so->leaf.desc = raw;
	so->leaf.desc_pa = desc_pa;
	so->leaf.ia = ia & ~(size - 1);
	so->leaf.oa = so->d.oa;
	so->oa = so->d.oa | (ia & (size - 1));
}

/*
 * Walk the tables of one enabled stage for ia, down to a leaf that
 * passes the Access flag check. On success so->leaf and so->d describe
 * the leaf and hier holds the table attributes met on the way; the
 * permission check is left to the caller.
 */
static bool walk_tables(const struct walker *w, uint64_t ia,
			const vmsa_tt_cfg_t *t, struct vmsa_hier *hier,
			struct stage_out *so)
{
	bool two_el = vmsa_regime_two_el(w->cfg->regime);
	vmsa_granule_t g = t->granule;
	uint64_t table = root_base(t);
	vmsa_pa_t desc_pa = 0;
	uint64_t raw = 0;
	int level;

	/* A TTBR above the OA size faults at level 0, whatever the start
	 * level (D8.2.3, RBFHQH). */
	if (!addr_fits(t->root, w->oa_bits))
		return walk_fault(w, VMSA_FAULT_ADDRESS_SIZE, 0, ia);

	for (level = t->start_level; level <= VMSA_LEVEL_MAX; level++) {
		uint64_t idx = vmsa_table_index(g, t->start_level, level,
						t->ia_bits, ia);
		vmsa_desc_kind_t kind;

		desc_pa = table + idx * DESC_BYTES;
		/* Stage-1 tables under stage 2 are IPAs (RPNHHK): a stage-2
		 * fault here comes before anything at this level (RXCHFJ).
		 * The last one is the leaf's: so->s2t. */
		if (w->s2 && !ptw_translate(w, desc_pa, &desc_pa, &so->s2t))
			return false;
		if (read_desc(w, t, hier, level, desc_pa, ia, &raw))
			return walk_fault(w, VMSA_FAULT_EXTERNAL, level, ia);

		/* Invalid (RDYNYQ), or reserved: a block where blocks are
		 * not allowed, 0b01 at level 3 (RKRMJZ). */
		kind = vmsa_desc_kind(raw, level, g);
		if (kind == VMSA_DESC_INVALID || kind == VMSA_DESC_RESERVED)
			return walk_fault(w, VMSA_FAULT_TRANSLATION, level, ia);
		if (!desc_addr_ok(w, g, raw, vmsa_desc_oa(raw, level, g)))
			return walk_fault(w, VMSA_FAULT_ADDRESS_SIZE, level, ia);

		desc_decode_into(&so->d, raw, w->cfg->stage, level, g);
		if (kind != VMSA_DESC_TABLE)
			break;
		/* Stage-2 table attributes are RES0 (ISRRJF): skip them. */
		if (w->cfg->stage == VMSA_STAGE1)
			vmsa_hier_add(hier, &so->d, t->hpd, two_el);
		table = so->d.oa;
	}
	/* vmsa_desc_kind() never calls a level-3 entry a table. */
	assert(level <= VMSA_LEVEL_MAX);

	so->raw = raw;
	/* Without hardware AF management AF = 0 faults (D8.15.4 step 9,
	 * RSWTYY). Such an entry is never cached, so no leaf is reported.
	 * With it (TCR_ELx.HA / VTCR_EL2.HA, RHDTRB) the hardware sets AF
	 * instead: the translation goes on with AF = 1, the value a TLB may
	 * then cache (the update itself is made by the caller). */
	if (!so->d.af) {
		if (!w->cfg->ha)
			return walk_fault(w, VMSA_FAULT_ACCESS_FLAG, level, ia);
		raw |= VMSA_D_AF;
		so->d.af = true;
	}

	set_leaf(so, level, g, raw, desc_pa, ia);
	return true;
}

/*
 * A TLB hit on a held stage-1 leaf: no tables are read. The entry must be
 * a block or page that covers ia; its Access flag is checked as for a walk
 * (an AF = 0 entry is never cached, RXCLRD, so a held one has AF = 1).
 * Table attributes of the walk that filled the entry are not kept: the
 * entry's permissions are the leaf's own.
 */
static bool use_held(const struct walker *w, uint64_t ia,
		     const vmsa_tt_cfg_t *t, struct stage_out *so)
{
	const vmsa_walk_leaf_t *h = w->held;
	vmsa_desc_kind_t kind = vmsa_desc_kind(h->desc, h->level, t->granule);
	uint64_t size = vmsa_level_size(t->granule, h->level);

	if ((kind != VMSA_DESC_BLOCK && kind != VMSA_DESC_PAGE) ||
	    (ia & ~(size - 1)) != (h->ia & ~(size - 1)))
		return walk_fault(w, VMSA_FAULT_TRANSLATION, h->level, ia);
	so->d = vmsa_desc_decode(h->desc, VMSA_STAGE1, h->level, t->granule);
	if (!so->d.af)
		return walk_fault(w, VMSA_FAULT_ACCESS_FLAG, h->level, ia);
	so->raw = h->desc;
	set_leaf(so, h->level, t->granule, h->desc, h->desc_pa, ia);
	return true;
}

/*
 * Bit 7 of a leaf: AP[2] at stage 1 (1 = no write), S2AP[1] at stage 2
 * (1 = write). Writable-dirty is AP[2] = 0 / S2AP[1] = 1 (RBRFGY).
 */
#define DIRTY_BIT (1ull << 7)

static uint64_t make_dirty(vmsa_stage_t st, uint64_t d)
{
	return st == VMSA_STAGE1 ? d & ~DIRTY_BIT : d | DIRTY_BIT;
}

/* Is the leaf writable-clean at this stage (RXZFQH: HD, DBM = 1, and not
 * yet dirty)? Whether AP[2] is the only reason for a Permission fault is
 * checked by translating with the dirty value. */
static bool writable_clean(const vmsa_stage_cfg_t *cfg, uint64_t d)
{
	return cfg->hd && (d & VMSA_D_DBM) &&
	       make_dirty(cfg->stage, d) != d;
}

/* The permissions of decoded leaf dd at this stage. */
static vmsa_perms_t leaf_perms(const struct walker *w, const vmsa_desc_t *dd,
			       const struct vmsa_hier *hier)
{
	const vmsa_stage_cfg_t *cfg = w->cfg;

	if (cfg->stage == VMSA_STAGE2)
		return vmsa_s2_perms(dd);
	return vmsa_s1_perms(dd, hier, vmsa_regime_two_el(cfg->regime),
			     cfg->wxn);
}

static bool perms_ok(const struct walker *w, const vmsa_perms_t *p)
{
	if (w->cfg->stage == VMSA_STAGE2)
		return vmsa_s2_allows(p, w->acc);
	return vmsa_s1_allows(p, w->acc, vmsa_regime_two_el(w->cfg->regime));
}

/*
 * List a hardware update of the descriptor at pa. The stage-2 leaf that
 * maps several stage-1 tables (or a stage-1 table and the stage-1 leaf's
 * write) is one update: stage-2 updates only set bits (AF, S2AP[1]).
 */
static void add_update(const struct walker *w, int level, vmsa_pa_t pa,
		       uint64_t old, uint64_t new_desc)
{
	vmsa_walk_t *out = w->out;
	vmsa_walk_update_t *u;

	for (unsigned i = 0; i < out->n_updates; i++) {
		u = &out->updates[i];
		if (u->pa == pa && (u->old == old || u->new_desc == old)) {
			u->new_desc |= new_desc;
			return;
		}
	}
	assert(out->n_updates < VMSA_WALK_MAX_UPDATES);
	if (out->n_updates >= VMSA_WALK_MAX_UPDATES)
		return;
	u = &out->updates[out->n_updates++];
	u->stage = w->cfg->stage;
	u->level = level;
	u->s1ptw = w->s1ptw;
	u->pa = pa;
	u->old = old;
	u->new_desc = new_desc;
}

/*
 * A hardware update of a stage-1 leaf under stage 2 writes the stage-1
 * table: the stage-2 translation of that location must grant write
 * permission, or be writable-clean and be made writable-dirty with it;
 * otherwise a stage-2 Permission fault on the stage-1 walk (RBDJJL; the
 * "stage 2 translation of a stage 1 translation table walk" of RJCXVS).
 */
static bool s1_update_s2_write(const struct walker *w,
			       const struct stage_out *so)
{
	const struct s2_of_table *t = &so->s2t;
	const struct walker *w2 = w->s2;
	vmsa_access_t wr = {
		.addr = t->ipa, .kind = VMSA_ACC_WRITE, .el = 1, .pan = false,
	};
	struct walker s2;
	uint64_t old = t->leaf.desc;

	if (!w2 || !t->valid || vmsa_s2_allows(&t->perms, &wr))
		return true;
	s2 = *w2;
	s2.acc = &wr;
	s2.s1ptw = true;
	if (writable_clean(w2->cfg, old)) {
		vmsa_desc_t dd = vmsa_desc_decode(make_dirty(VMSA_STAGE2, old),
						  VMSA_STAGE2, t->leaf.level,
						  w2->cfg->tt[0].granule);
		vmsa_perms_t p = vmsa_s2_perms(&dd);

		if (vmsa_s2_allows(&p, &wr)) {
			add_update(&s2, t->leaf.level, t->leaf.desc_pa, old,
				   make_dirty(VMSA_STAGE2, old));
			return true;
		}
	}
	return walk_fault(&s2, VMSA_FAULT_PERMISSION, t->leaf.level, t->ipa);
}

/*
 * The checks walk_tables() and vmsa_stage_walk() make on a descriptor, in
 * their order (RXCHFJ): Translation, Address size, then for a leaf the
 * Access flag (none with hardware AF management: the hardware sets it,
 * RHDTRB) and the permissions (none for a write the hardware makes
 * writable-dirty, RNSXRD). The model asks it of values an early walk may
 * have read (spurious faults, docs/model.md rule 9).
 */
vmsa_fault_kind_t vmsa_walk_read_fault(const vmsa_walk_read_t *r,
				       uint64_t desc)
{
	const struct vmsa_walk_state *st = r ? r->state : NULL;
	const struct walker *w;
	vmsa_granule_t g;
	vmsa_desc_kind_t kind;
	vmsa_desc_t d;
	vmsa_perms_t p;
	bool two_el;

	if (!st)
		return VMSA_FAULT_NONE;
	w = st->w;
	g = st->t->granule;
	kind = vmsa_desc_kind(desc, r->level, g);
	if (kind == VMSA_DESC_INVALID || kind == VMSA_DESC_RESERVED)
		return VMSA_FAULT_TRANSLATION;
	if (!desc_addr_ok(w, g, desc, vmsa_desc_oa(desc, r->level, g)))
		return VMSA_FAULT_ADDRESS_SIZE;
	if (kind == VMSA_DESC_TABLE)
		return VMSA_FAULT_NONE;
	d = vmsa_desc_decode(desc, w->cfg->stage, r->level, g);
	if (!d.af && !w->cfg->ha)
		return VMSA_FAULT_ACCESS_FLAG;
	two_el = vmsa_regime_two_el(w->cfg->regime);
	if (w->cfg->stage == VMSA_STAGE1)
		p = vmsa_s1_perms(&d, st->hier, two_el, w->cfg->wxn);
	else
		p = vmsa_s2_perms(&d);
	if (perms_ok(w, &p))
		return VMSA_FAULT_NONE;
	if (w->acc->kind == VMSA_ACC_WRITE && writable_clean(w->cfg, desc)) {
		d = vmsa_desc_decode(make_dirty(w->cfg->stage, desc),
				     w->cfg->stage, r->level, g);
		p = w->cfg->stage == VMSA_STAGE1 ?
			    vmsa_s1_perms(&d, st->hier, two_el, w->cfg->wxn) :
			    vmsa_s2_perms(&d);
		if (perms_ok(w, &p))
			return VMSA_FAULT_NONE;
	}
	return VMSA_FAULT_PERMISSION;
}

vmsa_fault_kind_t vmsa_walk_next_fault(const vmsa_walk_read_t *r,
				       uint64_t table, uint64_t next)
{
	const struct vmsa_walk_state *st = r ? r->state : NULL;
	struct vmsa_hier hier;
	struct vmsa_walk_state below;
	vmsa_walk_read_t nr;
	vmsa_desc_t d;

	if (!st || r->level >= VMSA_LEVEL_MAX ||
	    vmsa_desc_kind(table, r->level, st->t->granule) !=
		    VMSA_DESC_TABLE)
		return VMSA_FAULT_NONE;
	hier = *st->hier;
	/* As walk_tables() adds them once it has read the table: stage-2
	 * table attributes are RES0 (ISRRJF). */
	if (st->w->cfg->stage == VMSA_STAGE1) {
		desc_decode_into(&d, table, VMSA_STAGE1, r->level,
				 st->t->granule);
		vmsa_hier_add(&hier, &d, st->t->hpd,
			      vmsa_regime_two_el(st->w->cfg->regime));
	}
	below = (struct vmsa_walk_state){st->w, st->t, &hier};
	nr = *r;
	nr.level = r->level + 1;
	nr.state = &below;
	return vmsa_walk_read_fault(&nr, next);
}

/*
 * Translate ia through one enabled stage and check the permissions of
 * w->acc. On a Permission fault so->leaf is still filled: such an entry
 * may be cached (RJVXRH).
 */
bool vmsa_stage_walk(const struct walker *w, uint64_t ia,
		     struct stage_out *so)
{
	const vmsa_stage_cfg_t *cfg = w->cfg;
	struct vmsa_hier hier = { 0 };
	const vmsa_tt_cfg_t *t;
	bool ok;

	memset(so, 0, sizeof(*so));
	if (cfg->stage == VMSA_STAGE1) {
		if (!s1_select(w, ia, &so->tt))
			return false;
		t = &cfg->tt[so->tt];
		/* With TBI, VA[63:56] are ignored: entries of one range get
		 * one input address whatever tag the access carried. Without
		 * it s1_select() has checked that the bits above the range
		 * copy bit 55, so this changes nothing. */
		ia = vmsa_va_canonical(ia);
	} else {
		if (!s2_check_range(w, ia))
			return false;
		t = &cfg->tt[0];
	}

	/*
	 * concat == 0 marks a VTCR_EL2.SL0 inconsistent with T0SZ (or
	 * reserved): a level 0 Translation fault on every walk (RXCHFJ item
	 * 2, D8.2.8.2). A start level outside the walkable range is treated
	 * the same way, at either stage.
	 */
	if (t->concat == 0 || t->start_level < VMSA_LEVEL_MIN ||
	    t->start_level > VMSA_LEVEL_MAX)
		return walk_fault(w, VMSA_FAULT_TRANSLATION, 0, ia);

	if (w->held && cfg->stage == VMSA_STAGE1) {
		if (!use_held(w, ia, t, so))
			return false;
		/* A dirty state update checks the descriptor in memory, not
		 * the TLB's copy (RSGJBL): the hardware walks again
		 * (IHQBGN), unless the caller makes the update of the held
		 * value, atomic with the read that filled the entry. */
		if (w->acc->kind == VMSA_ACC_WRITE && !w->update_held &&
		    writable_clean(cfg, so->leaf.desc)) {
			int tt = so->tt;

			memset(so, 0, sizeof(*so));
			so->tt = tt;
			if (!walk_tables(w, ia, t, &hier, so))
				return false;
		}
	} else if (!walk_tables(w, ia, t, &hier, so)) {
		return false;
	}

	/* so->d is the decoded so->leaf.desc (walk_tables, use_held). */
	so->perms = leaf_perms(w, &so->d, &hier);
	ok = perms_ok(w, &so->perms);
	if (writable_clean(cfg, so->leaf.desc)) {
		uint64_t dirty = make_dirty(cfg->stage, so->leaf.desc);
		vmsa_desc_t dd = vmsa_desc_decode(dirty, cfg->stage,
						  so->leaf.level, t->granule);
		vmsa_perms_t p = leaf_perms(w, &dd, &hier);

		/* A writable-clean leaf counts as writable for WXN (RTTLCV,
		 * INSYYW, RNKLQN): execute permission as if dirty. */
		if (cfg->stage == VMSA_STAGE1) {
			so->perms.x = p.x;
			so->perms.x0 = p.x0;
			ok = perms_ok(w, &so->perms);
		}
		/* A write whose only reason to fault is the clean state:
		 * the hardware makes the leaf writable-dirty (RNSXRD,
		 * RTYCNM), AF too if it was 0 (RPRHKD). */
		if (!ok && w->acc->kind == VMSA_ACC_WRITE && perms_ok(w, &p)) {
			so->leaf.desc = dirty;
			so->d = dd;
			so->perms = p;
			ok = true;
		}
	}
	/* Reported at the leaf's level, even when a table attribute took
	 * the permission away (RCSRQR, IGQYCH). No hardware update is made
	 * for an access that faults: for AF that is allowed (RQSPMS,
	 * ICVNQR, IMYQJN), for the dirty state required (RDYCFD). */
	if (!ok)
		return walk_fault(w, VMSA_FAULT_PERMISSION, so->leaf.level, ia);
	if (so->leaf.desc != so->raw) {
		if (cfg->stage == VMSA_STAGE1 && !s1_update_s2_write(w, so))
			return false;
		add_update(w, so->leaf.level, so->leaf.desc_pa, so->raw,
			   so->leaf.desc);
	}
	return true;
}

/*
 * A stage-1 table access under stage 2: translate its IPA with a
 * stage-2 walk. The fetch is a read by the MMU, so stage 2 must grant
 * read permission; any fault is a stage-2 fault with S1PTW set
 * (D8.15.4.1). HCR_EL2.PTW (Device memory for tables) is not modelled.
 */
static bool ptw_translate(const struct walker *w, vmsa_ipa_t ipa,
			  vmsa_pa_t *pa, struct s2_of_table *t)
{
	vmsa_access_t fetch = {
		.addr = ipa, .kind = VMSA_ACC_READ, .el = 1, .pan = false,
	};
	struct walker s2 = *w->s2;
	struct stage_out so;

	s2.acc = &fetch;
	s2.s1ptw = true;
	if (!vmsa_stage_walk(&s2, ipa, &so))
		return false;
	*pa = so.oa;
	if (t) {
		t->valid = true;
		t->ipa = ipa;
		t->leaf = so.leaf;
		t->d = so.d;
		t->perms = so.perms;
	}
	return true;
}

/*
 * Stage 1 disabled: the VA is flat-mapped and every access is allowed
 * (RVBBBJ), but a VA with bits set above the PA size is a stage 1 level 0
 * Address size fault (RVCDSW). TBI still hides the top byte.
 */
bool vmsa_s1_flat(const struct walker *w, uint64_t va, vmsa_pa_t *oa)
{
	const vmsa_stage_cfg_t *cfg = w->cfg;
	unsigned top = cfg->tt[vmsa_s1_tt_index(cfg, va)].tbi ? 55 : 63;

	if (w->pa_bits <= top && bits_of(va, top, w->pa_bits) != 0)
		return walk_fault(w, VMSA_FAULT_ADDRESS_SIZE, 0, va);
	*oa = w->pa_bits >= 64 ? va : va & ((1ull << w->pa_bits) - 1);
	return true;
}

