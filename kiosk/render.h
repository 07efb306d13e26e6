/* Draws a view (the widget list of one frame) with the theme colours through SDL_Renderer. */
#ifndef WLK_RENDER_H
#define WLK_RENDER_H

#include <SDL.h>

#include "icons.h"
#include "text.h"
#include "theme.h"
#include "view.h"

/* Draws v. With prev (the frame now on the target; NULL forces a full frame) only the widgets
 * that changed since prev are redrawn, clipped to their boxes: typing a letter repaints the
 * field, not the 2 million pixels of a portrait screen. Only for targets that keep their pixels
 * between frames (the software renderer); returns false when nothing changed. Pictograms are
 * drawn from ic (NULL: none). */
bool render_view(SDL_Renderer *ren, text_t *txt, icons_t *ic, const theme_t *th, const view_t *v, const view_t *prev);
/* The colour roles a style paints with: text, fill, whether it is a filled box, and whether it
 * gets a TC_OPTION_BORDER frame (for the contrast check of every frame in replays). */
void render_style_roles(wstyle_t s, tcolor_t *fg, tcolor_t *bg, bool *box, bool *border);
/* Copies a view, moving its string pointers to the copy's own arena. */
void render_copy_view(view_t *dst, const view_t *src);

#endif
