#include "autoconfig.h"

#include "analysis.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "radix.h"
#include "session.h"
#include "regrec.h"

int analysis_open(struct analysis *a, const char *config_path, const struct analysis_opts *opts, struct err *e)
{
	memset(a, 0, sizeof(*a));
	if (dumpfmt_load(config_path, opts ? &opts->input : NULL, &a->cfg, e))
		goto fail;
	if (physmem_open(&a->pm, &a->cfg, e))
		goto fail;
	a->threads = opts && opts->threads > 0 ? opts->threads : online_cpus();
	a->debug = opts && opts->debug;
	if (opts && opts->gtruth_path) {
		if (gtruth_load(opts->gtruth_path, &a->gt, e))
			goto fail;
		a->has_gt = true;
	}
	if (opts && opts->session_path && session_load(a, opts->session_path, e))
		goto fail;
	return 0;
fail:
	analysis_close(a);
	return -1;
}

const char *analysis_table_step(const struct analysis *a)
{
	const struct arch_ops *arch = a->cfg.arch;
	if (!arch || !arch->radix)
		return NULL;
	return arch->find_tables ? "find_tables" : "parse_memory";
}

void analysis_close(struct analysis *a)
{
	if (a->radix) {
		radix_state_free(a->radix);
		free(a->radix);
	}
	reg_results_free(a->regs);
	if (a->arch_state_free)
		a->arch_state_free(a->arch_state);
	physmem_close(&a->pm);
	config_free(&a->cfg);
	if (a->has_gt)
		gtruth_free(&a->gt);
	memset(a, 0, sizeof(*a));
}
