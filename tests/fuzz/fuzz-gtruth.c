/* Fuzz target: the ground-truth YAML loader (gtruth_load) and its lookups. */
#include "autoconfig.h"

#include "fz.h"
#include "gtruth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file("gt.yaml", data, size);
	struct gtruth gt;
	struct err e = {{0}};
	if (gtruth_load(path, &gt, &e)) {
		FZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	const struct gt_value *v[4];
	for (size_t i = 0; i < gt.nvalues; i++) {
		FZ_CHECK(gt.values[i].last_seen <= gt.last_time || gt.values[i].last_seen != gt.values[i].last_seen);
		FZ_CHECK(gtruth_values(&gt, gt.values[i].name, v, 4) >= 1);
		FZ_CHECK(gtruth_latest(&gt, gt.values[i].name) != NULL);
	}
	gtruth_values(&gt, "cr3", v, 4);
	gtruth_free(&gt);
	return 0;
}
