#include "autoconfig.h"

#include "iomem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/iomem is a few KiB; anything much bigger is not one. */
#define IOMEM_MAX (16u << 20)

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses up to 16 hex digits at *p; -1 if there are none or too many. */
static int parse_hex(const char **p, const char *end, uint64_t *v)
{
	int n = 0;
	*v = 0;
	while (*p < end && hexval(**p) >= 0) {
		if (++n > 16)
			return -1;
		*v = *v << 4 | (uint64_t)hexval(**p);
		(*p)++;
	}
	return n ? 0 : -1;
}

static void free_ranges(struct iomem_range *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* "System RAM", or a variant the kernel names after who added it: "System RAM (kmem)", "(virtio_mem)". */
static bool ram_name(const char *s, size_t n)
{
	static const char sr[] = "System RAM";
	size_t k = sizeof(sr) - 1;
	return n >= k && !memcmp(s, sr, k) && (n == k || (n > k + 1 && s[k] == ' ' && s[k + 1] == '('));
}

/*
 * Splits every non-RAM top-level range that holds RAM lines (hotplugged
 * memory under its device: virtio-mem under "virtio0", dax kmem under
 * "Persistent Memory") into those RAM ranges and the non-RAM rest.
 */
static void splice_nested_ram(struct iomem_map *m, size_t *cap, struct iomem_range *kids, size_t nkids)
{
	struct iomem_range *v = NULL;
	size_t n = 0, vcap = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct iomem_range *t = &m->v[i];
		uint64_t at = t->start;
		bool any = false;
		for (size_t k = 0; k < nkids && !t->ram; k++) {
			struct iomem_range *c = &kids[k];
			if (c->start < at || c->end > t->end)
				continue; /* another parent's, or inside a RAM line already taken */
			if (c->start > at) {
				struct iomem_range gap = {at, c->start - 1, false, xstrdup(t->name)};
				VEC_PUSH(v, n, vcap, gap);
			}
			struct iomem_range r = {c->start, c->end, true, c->name};
			c->name = NULL;
			VEC_PUSH(v, n, vcap, r);
			any = true;
			if (c->end == t->end) {
				at = 0;
				break;
			}
			at = c->end + 1;
		}
		if (!any) {
			VEC_PUSH(v, n, vcap, *t);
			continue;
		}
		if (at)
			VEC_PUSH(v, n, vcap, ((struct iomem_range){at, t->end, false, t->name}));
		else
			free(t->name);
	}
	free(m->v);
	m->v = v;
	m->n = n;
	*cap = vcap;
}

static int cmp_range(const void *a, const void *b)
{
	const struct iomem_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int iomem_parse(const char *text, size_t len, const char *name, struct iomem_map *m, struct err *e)
{
	const char *p = text, *end = text + len;
	size_t cap = 0, nkids = 0, kcap = 0;
	struct iomem_range *kids = NULL; /* RAM lines nested in a non-RAM top-level range */
	int line = 0;
	bool nonzero = false;
	memset(m, 0, sizeof(*m));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		const char *q = p;
		while (q < eol && *q == ' ')
			q++;
		bool top = q == p;
		uint64_t a, b;
		if (q == eol) {
			p = eol + 1;
			continue;
		}
		if (parse_hex(&q, eol, &a) || q >= eol || *q++ != '-' || parse_hex(&q, eol, &b) || eol - q < 3 ||
		    memcmp(q, " : ", 3)) {
			iomem_free(m);
			free_ranges(kids, nkids);
			return err_set(e, "%s:%d: not a /proc/iomem line (START-END : NAME): '%.*s'", name, line,
				       (int)MMU_MIN(eol - p, 80), p);
		}
		q += 3;
		if (b < a) {
			iomem_free(m);
			free_ranges(kids, nkids);
			return err_set(e, "%s:%d: range end 0x%llx is below its start 0x%llx", name, line,
				       (unsigned long long)b, (unsigned long long)a);
		}
		nonzero |= a || b;
		/* Nested lines refine a top-level range (kernel code inside RAM, devices inside a bus)... */
		if (top) {
			struct iomem_range r = {a, b, ram_name(q, (size_t)(eol - q)), xstrndup(q, (size_t)(eol - q))};
			VEC_PUSH(m->v, m->n, cap, r);
		} else if (m->n && !m->v[m->n - 1].ram && ram_name(q, (size_t)(eol - q)) &&
			   a >= m->v[m->n - 1].start && b <= m->v[m->n - 1].end) {
			/* ...except RAM added under a device, which is RAM (in the listing's order: siblings ascend) */
			struct iomem_range r = {a, b, true, xstrndup(q, (size_t)(eol - q))};
			VEC_PUSH(kids, nkids, kcap, r);
		}
		p = eol + 1;
	}
	if (nkids)
		splice_nested_ram(m, &cap, kids, nkids);
	free_ranges(kids, nkids);
	if (m->n && !nonzero) {
		iomem_free(m);
		return err_set(e, "%s: every range reads 0-0: the kernel hides the addresses from users without root", name);
	}
	if (m->n) /* a listing of blank lines leaves v NULL, which qsort must not get */
		qsort(m->v, m->n, sizeof(*m->v), cmp_range);
	for (size_t i = 0; i < m->n; i++) {
		if (i && m->v[i].start <= m->v[i - 1].end) {
			err_set(e, "%s: top-level ranges 0x%llx-0x%llx (%s) and 0x%llx-0x%llx (%s) overlap", name,
				(unsigned long long)m->v[i - 1].start, (unsigned long long)m->v[i - 1].end, m->v[i - 1].name,
				(unsigned long long)m->v[i].start, (unsigned long long)m->v[i].end, m->v[i].name);
			iomem_free(m);
			return -1;
		}
		if (m->v[i].ram) {
			m->nram++;
			m->ram_bytes += m->v[i].end - m->v[i].start + 1;
		}
	}
	if (!m->nram) {
		iomem_free(m);
		return err_set(e, "%s: no \"System RAM\" range", name);
	}
	return 0;
}

int iomem_read(const char *path, struct iomem_map *m, struct err *e)
{
	memset(m, 0, sizeof(*m));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "%s: cannot open: %s", path, strerror(errno));
	struct sbuf b = {0};
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			sbuf_free(&b);
			return err_set(e, "%s: read failed: %s", path, strerror(saved));
		}
		if (n == 0)
			break;
		/* procfs files report size 0: read to the end, within reason. */
		if (b.len + (size_t)n > IOMEM_MAX) {
			close(fd);
			sbuf_free(&b);
			return err_set(e, "%s: more than %u MiB: not a memory map", path, IOMEM_MAX >> 20);
		}
		sbuf_append(&b, buf, (size_t)n);
	}
	close(fd);
	int rc = iomem_parse(b.s ? b.s : "", b.len, path, m, e);
	sbuf_free(&b);
	return rc;
}

void iomem_free(struct iomem_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
