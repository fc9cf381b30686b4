#include "autoconfig.h"

#include "export.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "dumpfmt.h"
#include "elfcore.h"
#include "fdout.h"
#include "json.h"
#include "radix.h"

struct segment {
	uint64_t va, size, pa;
	uint32_t flags;         /* PF_R | PF_W | PF_X */
	size_t first, last;     /* vranges it covers */
};

/* ELF flags of a range: its user permissions, or its kernel ones for a supervisor page. */
static uint32_t elf_flags(unsigned perms)
{
	unsigned p = perms & PERM_USER ? perms & PERM_USER : (perms & PERM_KERNEL) >> 3;
	return (p & 4 ? PF_R : 0) | (p & 2 ? PF_W : 0) | (p & 1 ? PF_X : 0);
}

static size_t build_segments(const struct vas *v, bool kernel, struct segment **out)
{
	struct segment *s = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct vrange *r = &v->r[i];
		if (!kernel && !(r->perms & PERM_USER))
			continue;
		uint32_t f = elf_flags(r->perms);
		if (n && s[n - 1].va + s[n - 1].size == r->va && s[n - 1].flags == f) {
			s[n - 1].size += r->size;
			s[n - 1].last = i;
			continue;
		}
		struct segment seg = {r->va, r->size, r->pa, f, i, i};
		VEC_PUSH(s, n, cap, seg);
	}
	*out = s;
	return n;
}

/* Streams one physical range: dump bytes where RAM, zeros elsewhere. */
static int copy_range(struct analysis *a, struct elfw *w, uint64_t pa, uint64_t size, uint8_t *buf, size_t bufsz,
		      struct err *e)
{
	while (size) {
		size_t n = (size_t)MMU_MIN((uint64_t)bufsz, size);
		size_t got = physmem_read(&a->pm, pa, buf, n);
		if (got < n) {
			/* Absent from here to the next RAM byte (or the end of this piece). */
			size_t ram_at = got;
			while (ram_at < n && !physmem_is_ram(&a->pm, pa + ram_at))
				ram_at += (size_t)MMU_MIN((uint64_t)4096 - ((pa + ram_at) & 4095), (uint64_t)(n - ram_at));
			memset(buf + got, 0, ram_at - got);
			n = ram_at;
		}
		if (elfw_write(w, buf, n, e))
			return -1;
		pa += n;
		size -= n;
	}
	return 0;
}

static void absent_list(struct analysis *a, const struct vas *v, const struct segment *s, size_t ns, bool kernel,
			struct json *j, struct export_stats *st)
{
	json_arr_begin(j, "absent");
	for (size_t k = 0; k < ns; k++)
		for (size_t i = s[k].first; i <= s[k].last; i++) {
			const struct vrange *r = &v->r[i];
			if (!kernel && !(r->perms & PERM_USER))
				continue;
			struct ivset want, miss;
			ivset_init(&want);
			ivset_init(&miss);
			ivset_add(&want, r->pa, r->pa + r->size - 1);
			ivset_difference(&miss, &want, &a->pm.ram);
			for (size_t m = 0; m < miss.n; m++) {
				uint64_t len = miss.v[m].last - miss.v[m].start + 1;
				st->absent_bytes += len;
				st->absent_ranges++;
				if (st->absent_ranges <= EXPORT_ABSENT_LISTED) {
					json_arr_begin(j, NULL);
					json_hex(j, NULL, r->va + (miss.v[m].start - r->pa));
					json_u64(j, NULL, len);
					json_arr_end(j);
				}
			}
			ivset_free(&want);
			ivset_free(&miss);
		}
	json_arr_end(j);
	/* The whole count, so that a reader knows when the list stopped. */
	json_u64(j, "absent_ranges", st->absent_ranges);
	json_u64(j, "absent_bytes", st->absent_bytes);
}

uint64_t export_min_bytes = 1ULL << 30;

int export_vas(struct analysis *a, unsigned space, uint64_t root, const char *path, bool kernel,
	       struct export_stats *st, struct err *e)
{
	const struct radix_space *sp = &a->radix->space[space];
	struct vas v;
	struct segment *seg;
	memset(st, 0, sizeof(*st));
	st->kernel = kernel;
	radix_vas(a, sp, root, &v);
	size_t ns = build_segments(&v, kernel, &seg);
	uint64_t total = 0, limit = MMU_MAX(export_min_bytes, a->pm.ram_bytes * EXPORT_RAM_MULTIPLE);
	for (size_t k = 0; k < ns; k++)
		total += seg[k].size;
	if (total > limit) {
		char t1[32], t2[32], t3[32];
		free(seg);
		vas_free(&v);
		return err_set(e, "%s not written: the address space maps %s, more than the %s an export may hold (%d times "
				  "the dump's RAM, at least %s): its tables map the same pages over and over",
			       path, fmt_size(total, t1, sizeof(t1)), fmt_size(limit, t2, sizeof(t2)), EXPORT_RAM_MULTIPLE,
			       fmt_size(export_min_bytes, t3, sizeof(t3)));
	}
	if (v.truncated) { /* a part exported as if it were the whole would mislead */
		int rc = err_set(e, "%s not written: the walk of the address space stopped at a limit (%s): its tables map "
				    "the same pages over and over", path, v.why);
		free(seg);
		vas_free(&v);
		return rc;
	}
	bool wide = false;
	for (size_t k = 0; k < ns; k++)
		wide |= seg[k].va + seg[k].size - 1 > UINT32_MAX || seg[k].pa + seg[k].size - 1 > UINT32_MAX;

	/* The note first: what this file is, and which ranges are zero-filled. */
	struct json j;
	json_init(&j);
	json_obj_begin(&j, NULL);
	json_hex(&j, "root", root);
	json_str(&j, "architecture", a->cfg.arch->name);
	json_str(&j, "mode", config_mode_name(&a->cfg));
	json_str(&j, "tree", *sp->shape.name ? sp->shape.name : "all");
	json_bool(&j, "kernel_pages", kernel);
	absent_list(a, &v, seg, ns, kernel, &j, st);
	json_obj_end(&j);

	struct elfw_opts o = {.elfclass = wide || a->cfg.bits == 64 ? 64 : 32,
			      .big_endian = a->cfg.endian == ENDIAN_BIG,
			      .machine = dumpfmt_elf_machine(a->cfg.arch->name, a->cfg.bits)};
	struct elfw *w = elfw_new(&o);
	elfw_add_note(w, EXPORT_NOTE_OWNER, EXPORT_NT_VAS, j.b.s, j.b.len + 1);
	json_free(&j);
	for (size_t k = 0; k < ns; k++) {
		elfw_add_load(w, seg[k].pa, seg[k].va, seg[k].size, seg[k].size, seg[k].flags);
		st->bytes += seg[k].size;
	}
	st->segments = ns;

	struct outfile f;
	int rc = outfile_open(&f, path, e);
	if (!rc) {
		rc = elfw_start(w, f.fd, path, e);
		size_t bufsz = 1 << 20;
		uint8_t *buf = xmalloc(bufsz);
		for (size_t k = 0; k < ns && !rc; k++)
			for (size_t i = seg[k].first; i <= seg[k].last && !rc; i++)
				if (kernel || (v.r[i].perms & PERM_USER))
					rc = copy_range(a, w, v.r[i].pa, v.r[i].size, buf, bufsz, e);
		free(buf);
		if (!rc)
			rc = elfw_finish(w, e);
		if (rc)
			outfile_abort(&f);
		else
			rc = outfile_commit(&f, path, e);
	}
	elfw_free(w);
	free(seg);
	vas_free(&v);
	return rc;
}
