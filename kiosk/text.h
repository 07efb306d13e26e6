/* Text rendering with SDL_ttf: fonts via fontconfig, an LRU cache of rendered lines, wrapping. */
#ifndef WLK_TEXT_H
#define WLK_TEXT_H

#include <SDL.h>
#include <stdbool.h>

typedef struct text text_t;

/* Opens the regular and bold fonts: the given files, or fontconfig's "Noto Sans" when a path
 * is empty. NULL with msg on failure. */
text_t *text_new(SDL_Renderer *ren, const char *regular, const char *bold, char *msg, size_t msgsz);
void text_free(text_t *t);
/* Ends the font library once no text_t is left (at program end). */
void text_shutdown(void);

/* Width and height in pixels of one line. */
void text_size(text_t *t, const char *s, int size, bool bold, int *w, int *h);

typedef enum { TA_LEFT, TA_CENTER, TA_RIGHT } talign_t;

/* Draws s wrapped inside box (vertically centred), never past its edges: words break at
 * spaces; a word wider than the box (a long Dutch compound) is split with a hyphen; when the
 * lines still do not fit, or a split would leave a stub of under 4 letters, the size shrinks
 * step by step (to 55% at most, then lines are cut). top: align to the box's top, not its middle. */
void text_draw(text_t *t, const char *s, SDL_Rect box, int size, bool bold, SDL_Color c, talign_t al, bool top);

/* Cache figures for the benchmark: hits, misses, entries, pixels held. */
void text_stats(const text_t *t, long *hits, long *misses, int *entries, long *pixels);

#endif
