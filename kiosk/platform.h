/* The only place that talks to SDL video and input: window or headless surface, event translation. */
#ifndef WLK_PLATFORM_H
#define WLK_PLATFORM_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "input.h"

typedef struct {
    SDL_Window *win;       /* NULL when headless */
    SDL_Renderer *ren;
    SDL_Surface *surf;     /* headless target (RGBA32) */
    int w, h;
    bool headless;
    bool finger_down;      /* one finger at a time: the first one down owns the touch */
    SDL_FingerID finger;
} plat_t;

/* Headless: SDL's dummy video driver and a software renderer drawing into a w*h surface.
 * Window: a real window (fullscreen when asked). When there is no display, msg says so and
 * names --headless. software: the software renderer, with no GL driver loaded at all. */
bool plat_open(plat_t *p, bool headless, int w, int h, bool fullscreen, bool software, char *msg, size_t msgsz);
void plat_close(plat_t *p);
/* Turns an SDL event into a UI event. Mouse events that SDL made up from a touch are dropped,
 * so a touch counts once. Returns false when the event means nothing to the UI; sets *resized
 * when the window changed size. */
bool plat_translate(plat_t *p, const SDL_Event *e, ui_event_t *out, bool *resized);
void plat_present(plat_t *p);
/* What one wait brought. */
typedef struct {
    ui_event_t ev[32];
    int n;          /* UI events in ev */
    bool resized;   /* the window changed size (p->w, p->h are new) */
    bool exposed;   /* the window system may have lost the pixels: draw everything */
} plat_input_t;

/* Milliseconds on a monotonic clock (the event loop's time base). */
int64_t plat_ticks_ms(void);
/* Sleeps until input arrives or timeout_ms passes (-1: no timeout), then takes every pending
 * event (up to 32) into *in. Returns false when the time ran out with no event at all. */
bool plat_wait(plat_t *p, int64_t timeout_ms, plat_input_t *in);
/* Whether the renderer keeps its pixels between frames (the software renderer does), so a
 * frame may redraw only what changed. */
bool plat_keeps_pixels(const plat_t *p);
/* The frame as RGBA32 in a new buffer (caller frees), rows of w*4 bytes. */
uint8_t *plat_read_rgba(plat_t *p);
/* The surface the software renderer draws on (headless or the window's); NULL for a GPU one. */
SDL_Surface *plat_soft_surface(plat_t *p);

#endif
