/*
 * yamlfile: a YAML file read into a libyaml document within the bounds a
 * hostile file needs.  Its size is capped, and so is its nesting: libyaml's
 * scanner does work per token in proportion to the nesting depth, so a
 * file of a few hundred KiB of '[' or '{a: ' takes minutes to load.  An
 * event pass stops at the depth limit before the document is built.
 */
#ifndef MMU_YAMLFILE_H
#define MMU_YAMLFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "util.h"

/* Far deeper than any of mmushell's formats (3 to 5 levels). */
#define YAMLFILE_MAX_DEPTH 64

/*
 * Loads path (what: "a machine description", for the size message) into
 * doc.  On error doc needs no yaml_document_delete and e holds one of
 *   PATH: cannot open: REASON / PATH: cannot read: REASON
 *   PATH: too large for WHAT (more than M MiB)
 *   PATH:LINE:COL: malformed YAML: PROBLEM[ CONTEXT]   (context when with_context)
 *   PATH:LINE:COL: YAML nested deeper than 64 levels
 */
int yamlfile_load(const char *path, const char *what, uint64_t max_bytes, bool with_context, yaml_document_t *doc,
		  struct err *e);

#endif
