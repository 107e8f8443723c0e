/*
 * src/pgtable/init.c - a table's geometry and root: the start level for
 * the regime, granule and input size, and the (possibly concatenated)
 * stage-2 root. Also the argument checks every operation shares.
 *
 * References: Arm ARM (DDI 0487) D8.2.8 - D8.2.10 (start levels, input
 * sizes, stage-2 concatenation: ITDMHR, RJKZFY, RVCLZN).
 */
#include "pgt_int.h"

/* Input sizes without FEAT_TTST (25 bits) or FEAT_LVA/LPA2 (48). */
#define IA_BITS_MIN 25u
#define IA_BITS_MAX 48u
/* Up to 16 concatenated stage-2 root tables: 4 more index bits. */
#define CONCAT_BITS_MAX 4u

/* Stage 1: the level whose one table covers the top input bit (RYXNYW):
 * levels needed = ceil((ia_bits - gshift) / stride). */
static int s1_start_level(vmsa_granule_t g, unsigned ia_bits)
{
	unsigned gs = pgt_gshift(g), st = pgt_stride(g);

	return 4 - (int)((ia_bits - gs + st - 1) / st);
}

/* Stage 2: VTCR_EL2.SL0 can name 4K L0-L2 and 16K/64K L1-L3 without
 * FEAT_TTST or VTCR_EL2.DS (Tables D8-19, D8-29, D8-38). */
static bool s2_level_encodable(vmsa_granule_t g, int level)
{
	if (g == VMSA_GRANULE_4K)
		return level >= 0 && level <= 2;
	return level >= 1 && level <= 3;
}

/* The number of concatenated roots a stage-2 walk starting at level
 * needs for ia_bits, or 0 when it cannot start there: it must resolve at
 * least one bit, and at most a table plus 4 bits. */
static unsigned s2_concat(vmsa_granule_t g, int level, unsigned ia_bits)
{
	unsigned s = pgt_lshift(g, level), st = pgt_stride(g);

	if (!s2_level_encodable(g, level) || ia_bits < s + 1 ||
	    ia_bits > s + st + CONCAT_BITS_MAX)
		return 0;
	return ia_bits > s + st ? 1u << (ia_bits - s - st) : 1u;
}

static bool ops_ok(const vmsa_pgt_ops_t *o)
{
	return o->read && o->write && o->cas && o->dsb && o->isb && o->tlbi &&
	       o->cmo && o->zalloc_page && o->free_page && o->get_page &&
	       o->put_page && o->page_count && o->virt_to_phys &&
	       o->phys_to_virt && o->features.bbm_level <= 2;
}

/* Start level and root count for cfg, or -EINVAL. */
static int geometry(const vmsa_pgt_cfg_t *cfg, int *start, unsigned *n)
{
	vmsa_granule_t g = cfg->granule;
	int l;

	if (g != VMSA_GRANULE_4K && g != VMSA_GRANULE_16K &&
	    g != VMSA_GRANULE_64K)
		return -EINVAL;
	if (cfg->ia_bits < IA_BITS_MIN || cfg->ia_bits > IA_BITS_MAX)
		return -EINVAL;
	if (cfg->regime != VMSA_PGT_S2) {
		l = s1_start_level(g, cfg->ia_bits);
		if (cfg->start_level != VMSA_PGT_LEVEL_AUTO &&
		    cfg->start_level != l)
			return -EINVAL;
		*start = l;
		*n = 1;
		return 0;
	}
	if (cfg->start_level != VMSA_PGT_LEVEL_AUTO) {
		if (cfg->start_level < 0 || cfg->start_level > 3)
			return -EINVAL;
		*n = s2_concat(g, cfg->start_level, cfg->ia_bits);
		*start = cfg->start_level;
		return *n ? 0 : -EINVAL;
	}
	/* The shallowest start level that works has the fewest root pages
	 * (a deeper one needs 2^stride times as many entries). */
	for (l = 0; l <= 3; l++) {
		*n = s2_concat(g, l, cfg->ia_bits);
		if (*n) {
			*start = l;
			return 0;
		}
	}
	return -EINVAL;
}

/* The attributes and cache maintenance of every prot value, so that a
 * map looks them up instead of working them out each call. */
static void prot_table(vmsa_pgt_t *pgt)
{
	pgt_ctx_t x;
	unsigned prot;
	uint64_t a;

	pgt_ctx_init(&x, pgt, 0);
	for (prot = 0; prot < 64; prot++) {
		if (pgt_prot_attrs(pgt, prot, &a)) {
			pgt->prot_attrs[prot] = 0;
			pgt->prot_cmo[prot] = 0;
			continue;
		}
		pgt->prot_attrs[prot] = a;
		pgt->prot_cmo[prot] = (uint8_t)pgt_cmo_kind(&x, a);
	}
}

int vmsa_pgt_init(vmsa_pgt_t *pgt, const vmsa_pgt_cfg_t *cfg,
		  const vmsa_pgt_ops_t *ops)
{
	int start, err, l;
	unsigned n;
	void *root;

	if (!pgt || !cfg || !ops || !ops_ok(ops))
		return -EINVAL;
	if (cfg->regime != VMSA_PGT_S2 && cfg->regime != VMSA_PGT_S1_EL2 &&
	    cfg->regime != VMSA_PGT_S1_EL20 && cfg->regime != VMSA_PGT_S1_EL1)
		return -EINVAL;
	if (cfg->attr_normal > 7 || cfg->attr_normal_nc > 7 ||
	    cfg->attr_device > 7)
		return -EINVAL;
	err = geometry(cfg, &start, &n);
	if (err)
		return err;
	if (n > 1 && !ops->zalloc_pages)
		return -EINVAL;
	root = n > 1 ? ops->zalloc_pages(ops->ctx, n)
		     : ops->zalloc_page(ops->ctx);
	if (!root)
		return -ENOMEM;
	pgt->cfg = *cfg;
	pgt->cfg.start_level = start;
	pgt->ops = ops;
	pgt->start_level = start;
	pgt->n_roots = n;
	pgt->root = root;
	pgt->root_pa = ops->virt_to_phys(ops->ctx, root);
	for (l = 0; l <= 3; l++) {
		pgt->level_shift[l] = (uint8_t)pgt_lshift(cfg->granule, l);
		pgt->level_entries[l] = 1u << pgt_stride(cfg->granule);
	}
	pgt->level_entries[start] = 1u << (cfg->ia_bits -
					   pgt->level_shift[start]);
	prot_table(pgt);
	return 0;
}

void vmsa_pgt_destroy(vmsa_pgt_t *pgt)
{
	pgt_ctx_t x;

	if (!pgt || !pgt->root)
		return;
	pgt_ctx_init(&x, pgt, 0);
	pgt_free_tree(&x, pgt->root, pgt->start_level);
	pgt->root = NULL;
}
