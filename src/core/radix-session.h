/* The page-table engine's part of a session (section "RADX"). */
#ifndef MMU_RADIX_SESSION_H
#define MMU_RADIX_SESSION_H

#include "session.h"

extern const struct session_section radix_session_section;

#endif
