/* Fuzz target: the /proc/iomem parser (iomem_parse), on the bytes as given. */
#include "autoconfig.h"

#include "fz.h"
#include "iomem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iomem_map m;
	struct err e = {{0}};
	if (iomem_parse((const char *)data, size, "iomem", &m, &e)) {
		FZ_CHECK(e.msg[0] != '\0' && m.n == 0 && m.v == NULL);
		return 0;
	}
	uint64_t ram = 0;
	size_t nram = 0;
	FZ_CHECK(m.n > 0);
	for (size_t i = 0; i < m.n; i++) {
		FZ_CHECK(m.v[i].start <= m.v[i].end);
		FZ_CHECK(i == 0 || m.v[i - 1].end < m.v[i].start);
		if (m.v[i].ram) {
			nram++;
			ram += m.v[i].end - m.v[i].start + 1;
		}
	}
	FZ_CHECK(nram == m.nram && nram > 0 && ram == m.ram_bytes);
	iomem_free(&m);
	return 0;
}
