/* draw: colour set-up and style lookup behind the app.h helpers. */
#ifndef MMU_UI_DRAW_H
#define MMU_UI_DRAW_H

#include <stdbool.h>

#include "app.h"

/* Starts colours and defines one pair per coloured style (when on). */
void draw_init_colors(bool on);
attr_t draw_style(bool color, enum ui_style s);
const char *draw_class_label(bool color, enum ui_class c);

#endif
