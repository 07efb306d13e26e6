/* Pictograms drawn from an icon font: found through fontconfig on first use, one cached texture
 * per glyph, size and colour. */
#ifndef WLK_ICONS_H
#define WLK_ICONS_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct icons icons_t;

/* An icon set drawn on ren from the fontconfig family (e.g. "Material Icons"); nothing is opened
 * until the first icon is drawn. NULL only when out of memory. */
icons_t *icons_new(SDL_Renderer *ren, const char *family);
void icons_free(icons_t *ic);
/* Ends SDL_ttf (the icon font's renderer) once no icons_t is left, at program end. */
void icons_shutdown(void);

/* Draws glyph cp as large as fits the square centred in box, in colour c, mirrored when flip.
 * False when the font or the glyph is missing (nothing drawn). */
bool icons_draw(icons_t *ic, uint32_t cp, SDL_Rect box, SDL_Color c, bool flip);
/* Looks up and opens the icon font now (at start: the welcome screen draws pictograms), so the
 * first frame does not. False when there is none (pictograms are then not drawn). */
bool icons_prepare(icons_t *ic);
/* Whether the icon font has a glyph for cp (opens the font; for the checks). */
bool icons_has(icons_t *ic, uint32_t cp);
/* The font file in use, "" before the first draw or when fontconfig found none. */
const char *icons_font_path(const icons_t *ic);

#endif
