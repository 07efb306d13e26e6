/* Draws a view (the widget list of one frame) with the theme colours through SDL_Renderer. */
#ifndef WLK_RENDER_H
#define WLK_RENDER_H

#include <SDL.h>

#include "text.h"
#include "theme.h"
#include "ui.h"

/* Clears to the background and draws every widget of v in order. */
void render_view(SDL_Renderer *ren, text_t *txt, const theme_t *th, const view_t *v);

#endif
