/* Text rendering with HarfBuzz + FriBidi + FreeType: a font per script via fontconfig, an LRU
 * cache of drawn lines, wrapping. */
#ifndef WLK_TEXT_H
#define WLK_TEXT_H

#include <SDL.h>
#include <stdbool.h>

typedef struct text text_t;

/* Opens the regular and bold fonts: the given files, or fontconfig's "Noto Sans" when a path
 * is empty. NULL with msg on failure. */
text_t *text_new(SDL_Renderer *ren, const char *regular, const char *bold, char *msg, size_t msgsz);
void text_free(text_t *t);

/* Looks up (fontconfig) and reads the faces s needs, now: at start, for the names of the
 * languages the kiosk offers, so the first frame does not pay for the search. A kiosk that
 * offers no Arabic never looks for an Arabic font. */
void text_prepare(text_t *t, const char *s);

/* The interface language's direction: a line that mixes scripts is then laid out right to left
 * when it has any right-to-left letter. */
void text_set_rtl(text_t *t, bool rtl);

/* The software renderer's own surface (NULL for a GPU renderer): lines are then kept as
 * surfaces and blitted onto it, not copied into textures first. */
void text_set_target(text_t *t, SDL_Surface *target);

/* Width and height in pixels of one line. */
void text_size(text_t *t, const char *s, int size, bool bold, int *w, int *h);

typedef enum { TA_LEFT, TA_CENTER, TA_RIGHT } talign_t;

/* Draws s wrapped inside box (vertically centred), never past its edges: words break at
 * spaces; a word wider than the box (a long Dutch compound) is split with a hyphen; when the
 * lines still do not fit, or a split would leave a stub of under 4 letters, the size shrinks
 * step by step (to 55% at most, then lines are cut). top: align to the box's top, not its middle. */
void text_draw(text_t *t, const char *s, SDL_Rect box, int size, bool bold, SDL_Color c, talign_t al, bool top);

/* One direction run of a line as drawn: bytes [start, end) of the string, at x (pixels from the
 * line's left edge) with width w, right to left or not, in face number `face` (0 the main font). */
typedef struct { int start, end, x, w; bool rtl; int face; } text_run_t;
/* Lays out one line as text_draw would, for tests: the runs in visual order (at most max);
 * *missing (if not NULL) gets the number of characters that no installed font can draw. */
int text_layout_runs(text_t *t, const char *s, int size, bool bold, text_run_t *out, int max, int *missing);
/* How many font faces have been looked up and found so far (lazy loading: Dutch needs one). */
int text_faces_open(const text_t *t);

/* Widths of words measured (for wrapping) found in the width cache, and shaped anew. */
void text_width_stats(const text_t *t, long *hits, long *misses);
/* Glyph cache figures for the benchmark: glyphs rasterised, found cached, bytes held. */
void text_glyph_stats(const text_t *t, long *rendered, long *hits, long *bytes);
/* Line cache figures for the benchmark: hits, misses, entries, pixels held in textures. */
void text_stats(const text_t *t, long *hits, long *misses, int *entries, long *pixels);

#endif
