/*
 * Fuzz target: the dataflow engine and every instruction-set front-end the
 * architectures register (arch->regrec: each of its df_isa, either byte
 * order the architecture runs) on arbitrary instruction words.  The first
 * 16 bytes choose, the rest is code at the RAM base:
 *
 *   0      architecture (among those with register recovery)
 *   1      instruction set of it
 *   2      flags: 0x01 big-endian machine, 0x02 zero runs do not stop the
 *          walk, 0x04 the whole pipeline (find_registers_values and what
 *          reads its results), 0x08 tight limits, 0x10 two registers
 *          queried, 0x20 registers seeded from the configuration
 *   3-4    registers queried
 *   5-6    the site (instruction index)
 *   8-15   RAM base, aligned to 64 KiB
 *
 * Every word is decoded (the front-end's micro-operations checked), then
 * the site is analysed; the engine's own bounds must hold.
 */
#include "autoconfig.h"

#include <string.h>

#include "arch.h"
#include "config.h"
#include "dataflow.h"
#include "fz.h"
#include "regrec.h"

#define HEADER 16

static void check_insn(const struct df_isa *isa, const struct df_insn *in)
{
	if (!(in->flags & DF_IF_VALID))
		return;
	FZ_CHECK(in->len >= isa->min_len && in->len <= isa->max_len);
	FZ_CHECK(in->nops <= DF_MAX_OPS && in->flow <= DF_FLOW_END && in->delay <= 1);
	FZ_CHECK(in->cc <= DF_CC_ALWAYS);
	for (unsigned i = 0; i < in->nops; i++) {
		const struct df_op *op = &in->ops[i];
		FZ_CHECK(op->opc <= DF_OP_UNKNOWN && op->width >= 1 && op->width <= 64);
		FZ_CHECK(op->dst < DF_MAX_REGS || op->dst == DF_REG_NONE);
		FZ_CHECK(op->a.kind != DF_ARG_REG || op->a.reg < DF_MAX_REGS);
		FZ_CHECK(op->b.kind != DF_ARG_REG || op->b.reg < DF_MAX_REGS);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct df_worker *wk;
	const struct arch_ops *with[16];
	size_t nwith = 0;
	for (size_t i = 0; i < arch_registry_len && nwith < ARRAY_LEN(with); i++)
		if (arch_registry[i]->regrec)
			with[nwith++] = arch_registry[i];
	if (size <= HEADER || !nwith)
		return 0;
	if (!wk)
		wk = df_worker_new();
	struct fz_in in = {data, HEADER};
	const struct arch_ops *arch = with[fz_u8(&in) % nwith];
	const struct regrec_ops *ops = arch->regrec;
	const struct df_isa *isa = ops->isas[fz_u8(&in) % ops->nisas];
	uint8_t flags = fz_u8(&in);
	uint8_t q[2] = {fz_u8(&in), fz_u8(&in)};
	uint64_t site = fz_u16(&in);
	fz_u8(&in);
	uint64_t base = fz_u64(&in) & 0xffff0000ULL;
	if (ops->max_addr && base >= ops->max_addr)
		base %= ops->max_addr;
	const uint8_t *code = data + HEADER;
	size_t len = size - HEADER;

	bool big = fz_pick_big(arch->name, flags & 0x01);
	struct fz_region r = {base, code, len};
	struct analysis a;
	fz_machine(&a, arch->name, 0, big, fz_pick_bits(arch->name, 0, true), &r, 1, 0, 0);
	struct df_env env = {.pm = &a.pm, .cfg = &a.cfg, .isa = isa, .data_big = big, .cross_zeros = flags & 0x02,
			     .lim = df_default_limits};
	if (flags & 0x08) {
		env.lim.walk_steps = 16;
		env.lim.max_insns = 16;
		env.lim.max_blocks = 4;
		env.lim.max_distance = 64;
		env.lim.budget = 32;
		env.lim.collapse_after = 1;
		env.lim.widen_after = 2;
	}
	if (flags & 0x20) {
		config_set_register(&a.cfg, isa->reg_names ? isa->reg_names[q[1] % isa->nregs] : "R1", 0x1234);
		df_env_seed_from_config(&env);
	}
	uint64_t (*code_addr)(uint64_t) = ops->code_addr;
	uint64_t at = code_addr ? code_addr(base) : base;

	/* Every word as an instruction. */
	for (size_t off = 0; off + isa->min_len <= len && off < 4096; off += isa->align) {
		struct df_insn insn;
		if (df_decode_at(wk, &env, at + off, &insn))
			check_insn(isa, &insn);
	}

	/* One site. */
	size_t ninsn = MMU_MAX(len / isa->align, (size_t)1);
	site = site % ninsn * isa->align;
	q[0] %= isa->nregs;
	q[1] %= isa->nregs;
	struct df_result res;
	memset(&res, 0, sizeof(res));
	enum df_status st = df_analyse(wk, &env, at + site, q, flags & 0x10 ? 2 : 1, &res);
	FZ_CHECK(st < DF_STATUS_COUNT && st == res.status);
	FZ_CHECK(res.walk_steps <= env.lim.walk_steps && res.insns <= env.lim.max_insns);
	FZ_CHECK(res.blocks <= env.lim.max_blocks && res.evals <= env.lim.budget);
	for (int i = 0; i < DF_MAX_QUERY; i++)
		FZ_CHECK(res.val[i].n <= VSET_MAX);
	df_status_name(st);

	if (flags & 0x04) {
		fz_command(&a, "find_registers_values%s", flags & 0x40 ? " --assume-reset --cross-zeros" : "");
		fz_command(&a, "show_registers --verbose");
		for (size_t i = 0; i < ops->nregs; i++)
			if (ops->regs[i].set_command)
				fz_command(&a, "%s #1", ops->regs[i].set_command);
		if (arch->find_tables && fz_command(&a, "find_tables") == 0)
			fz_command(&a, "find_radix_trees");
	}
	fz_machine_close(&a);
	return 0;
}
