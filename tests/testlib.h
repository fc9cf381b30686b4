/*
 * Helpers the unit suites share to drive an analysis: open a dump, run
 * command lines as the batch mode does, compare address-space ranges.
 */
#ifndef MMU_TEST_TESTLIB_H
#define MMU_TEST_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

struct analysis;
struct vas;

/* Opens yaml (gt, session may be NULL) with 2 threads; prints the error and returns -1 on failure. */
int tl_open(struct analysis *a, const char *yaml, const char *gt, const char *session);
/*
 * Runs one command line.  *json and *error (when not NULL) get copies of
 * the JSON result and the error message; without error a failure is printed.
 */
int tl_run(struct analysis *a, const char *line, char **json, char **error);
/* The JSON result of a command (allocated; "" on failure, which is printed). */
char *tl_json(struct analysis *a, const char *line);
/* The text a command prints in batch mode without --json (allocated; "" on failure, which is printed). */
char *tl_text(struct analysis *a, const char *line);
/* The whole answer of a command, ok or not: "ok <json>" or "error <message>" (allocated). */
char *tl_answer(struct analysis *a, const char *line);
/* Asserts range i of v is [va, va+size) -> pa with perms "RWXrwx" (prints both sides when not). */
void tl_expect_range(const struct vas *v, size_t i, uint64_t va, uint64_t size, uint64_t pa, const char *perms);

#endif
