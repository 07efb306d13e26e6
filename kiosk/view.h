/* The widget list one frame is made of, and the helpers that build it: no UI state, no SDL. */
#ifndef WLK_VIEW_H
#define WLK_VIEW_H

#include <stdbool.h>
#include <stddef.h>

typedef struct { int x, y, w, h; } rect_t;

/* W_ICON: one pictogram glyph (icon) centred in r, in its style's text colour, no box. */
typedef enum { W_TEXT, W_BUTTON, W_PANEL, W_BAR, W_FIELD, W_ICON } wkind_t;
/* Looks; render.c maps each to theme colours (one text/background pair each). */
typedef enum {
    S_BODY, S_TITLE, S_MUTED, S_ERROR, S_PRIMARY, S_SECONDARY, S_OPTION, S_SELECTED,
    S_DISABLED, S_KEY, S_BANNER, S_PANEL, S_FIELD, S_PANEL_ERROR, S_PICTOGRAM
} wstyle_t;
typedef enum { AL_LEFT, AL_CENTER, AL_RIGHT } walign_t;

typedef struct {
    wkind_t kind;
    rect_t r;
    const char *text;  /* in the view's arena; NULL for panels */
    const char *sub;   /* optional second, smaller line (buttons) */
    int size;          /* font pixel size */
    bool bold;
    wstyle_t style;
    walign_t align;
    bool top;          /* text starts at the top of its box (else centred) */
    bool fixed;        /* keeps its place when a right-to-left layout is mirrored (keys) */
    int action;        /* what a tap does (0: nothing) */
    int arg;
    int value;         /* W_BAR: fill per mille */
    int indent;        /* buttons: room kept clear at the text's starting side (a tick box) */
    unsigned icon;     /* W_ICON: the glyph's code point in the icon font */
    bool flip;         /* W_ICON: drawn mirrored (a directional pictogram in a right-to-left layout) */
    bool personal;     /* shows the citizen's own data (a typed date): never read on a speaker */
} widget_t;

#define VIEW_MAX_WIDGETS 160
#define VIEW_ARENA 24576

typedef struct {
    int w, h;
    double s;          /* scale: short side / 1080 */
    int touch;         /* minimum touch target in pixels (15 mm at the assumed dpi) */
    bool rtl;
    widget_t wd[VIEW_MAX_WIDGETS];
    int n;
    char arena[VIEW_ARENA];
    size_t used;
    bool full;         /* ran out of room: a bug, reported once */
    int modal_from;    /* taps reach only widgets from this index on (a dialog on top) */
} view_t;

void view_reset(view_t *v, int w, int h, double dpi, bool rtl);
/* Copies a string into the view's arena; returns "" when full. */
const char *view_str(view_t *v, const char *s);
const char *view_fmt(view_t *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
widget_t *view_add(view_t *v, wkind_t kind, rect_t r, const char *text, wstyle_t style);
widget_t *view_button(view_t *v, rect_t r, const char *text, wstyle_t style, int action, int arg);
widget_t *view_text(view_t *v, rect_t r, const char *text, int size, bool bold, wstyle_t style, walign_t al);
/* A pictogram: glyph cp of the icon font centred in r, in style's text colour; flip draws it
 * mirrored. Not tappable: a tap falls through to the button under it. */
widget_t *view_icon(view_t *v, rect_t r, unsigned cp, bool flip, wstyle_t style);
/* Mirrors every widget horizontally for right-to-left languages. */
void view_mirror(view_t *v);
/* The top-most widget with an action at (x, y), or NULL. */
const widget_t *view_hit(const view_t *v, int x, int y);
/* Scaled pixel size of a design value given for a 1080 px short side. */
int U(const view_t *v, int design_px);

/* The standard margin and button height, scaled (view.c). */
int layout_margin(const view_t *v);
int layout_button_h(const view_t *v);

#endif
