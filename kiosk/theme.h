/* The colour theme as data (assets/theme/theme.json) and the WCAG contrast check over it. */
#ifndef WLK_THEME_H
#define WLK_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { uint8_t r, g, b; } rgb_t;

/* Every colour the kiosk paints, by role. Text roles are always drawn on their own
 * background role; theme_pairs() lists exactly those pairs so a test can check them all. */
typedef enum {
    TC_BACKGROUND, TC_TEXT, TC_MUTED, TC_ERROR,
    TC_PRIMARY, TC_PRIMARY_TEXT,
    TC_SECONDARY, TC_SECONDARY_TEXT,
    TC_OPTION, TC_OPTION_TEXT, TC_OPTION_BORDER,
    TC_SELECTED, TC_SELECTED_TEXT,
    TC_DISABLED, TC_DISABLED_TEXT,
    TC_KEY, TC_KEY_TEXT,
    TC_BANNER, TC_BANNER_TEXT,
    TC_PANEL, TC_PANEL_TEXT,
    TC_FIELD, TC_FIELD_TEXT,
    TC_PROGRESS, TC_PROGRESS_TRACK,
    TC_PICTOGRAM, /* a question's pictogram on the page (choices draw theirs in their text colour) */
    TC_COUNT
} tcolor_t;

typedef struct { rgb_t c[TC_COUNT]; } theme_t;

typedef struct { tcolor_t fg, bg; } tpair_t;

/* The JSON key of a colour role ("primary_text"). */
const char *theme_name(tcolor_t t);
/* Every foreground/background pair the renderer uses for text; *n gets the count. */
const tpair_t *theme_pairs(size_t *n);

/* Loads path (an object "colors": {role: "#RRGGBB"} with every role present and no others).
 * False with msg naming file, line and key on any problem. */
bool theme_load(theme_t *t, const char *path, char *msg, size_t msgsz);

/* WCAG 2.x relative luminance and contrast ratio (1..21). */
double theme_luminance(rgb_t c);
double theme_contrast(rgb_t a, rgb_t b);

#endif
