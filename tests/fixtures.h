/* Test fixtures written at test time into temporary folders, removed at exit. */
#ifndef MMU_TEST_FIXTURES_H
#define MMU_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

/* A fresh temporary folder (removed by fx_cleanup). */
char *fx_tmpdir(void);
/* Writes a file in dir; returns its path (owned by the fixture list). */
const char *fx_write(const char *dir, const char *name, const char *text);
const char *fx_write_bytes(const char *dir, const char *name, const void *data, size_t len);
/* A file of len bytes where byte i is pattern(i) = (i * 7 + seed) & 0xff. */
const char *fx_pattern_file(const char *dir, const char *name, size_t len, unsigned seed);
uint8_t fx_pattern_byte(uint64_t i, unsigned seed);
void fx_cleanup(void);

#endif
