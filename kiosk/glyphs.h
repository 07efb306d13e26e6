/* Glyph images from FreeType: one face per font file at any size, each glyph rasterised once
 * per size and kept in a bounded cache that outlives the screen that first drew it; lines of
 * glyphs drawn onto a surface. */
#ifndef WLK_GLYPHS_H
#define WLK_GLYPHS_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct glyphs glyphs_t;

/* A glyph's coverage (0-255 per pixel), placed relative to the pen on the baseline: its
 * top-left pixel is at (pen x + left, baseline - top). */
typedef struct {
    int left, top, w, h, pitch;
    const uint8_t *bits;
} glyph_img_t;

/* NULL when FreeType cannot start. */
glyphs_t *glyphs_new(void);
void glyphs_free(glyphs_t *g);

/* Adds a font file already in memory (it must outlive g). Returns its number, or -1 with msg
 * when FreeType cannot read it. */
int glyphs_add_font(glyphs_t *g, const void *data, size_t size, char *msg, size_t msgsz);

/* Line metrics at a pixel size, rounded as SDL_ttf rounds them. False when the font is unusable. */
bool glyphs_metrics(glyphs_t *g, int font, int size, int *ascent, int *height);

/* Glyph gid of font at size (light hinting, anti-aliased), rasterised on first use. NULL when it
 * cannot be drawn. Valid until the next call. */
const glyph_img_t *glyphs_get(glyphs_t *g, int font, int size, unsigned gid);

/* One glyph of a shaped line: font and glyph, its pen's x from the line's left edge and how far
 * below the baseline it sits (marks are moved up or down). */
typedef struct {
    int font, x, down;
    unsigned gid;
} glyph_pos_t;

/* Draws n glyphs of a line at size onto dst (a 32-bit surface), the line's left edge at x and
 * its baseline at y, in colour c, only inside clip. Each glyph is blended over what is there.
 * into_alpha: dst is the line's own ARGB surface, already filled with c at alpha 0, and the
 * glyphs' coverage is OR-ed into its alpha, as SDL_ttf's blended lines were made. */
void glyphs_draw(glyphs_t *g, const glyph_pos_t *gl, int n, int size, SDL_Surface *dst, int x, int y, SDL_Color c,
                 SDL_Rect clip, bool into_alpha);

/* Cache figures for the benchmark: glyphs rasterised, glyphs found cached, bytes held. */
void glyphs_stats(const glyphs_t *g, long *rendered, long *hits, long *bytes);

#endif
