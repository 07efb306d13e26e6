/* SDL platform layer: window/renderer setup, headless software rendering, input translation. */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool plat_open(plat_t *p, bool headless, int w, int h, bool fullscreen, bool software, char *msg, size_t msgsz)
{
    memset(p, 0, sizeof *p);
    p->headless = headless;
    if (headless) SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
        if ((!disp || !*disp) && (!wl || !*wl))
            snprintf(msg, msgsz, "no display found (DISPLAY is not set), so no window can open. "
                     "Run with a screen, under xvfb-run, or without one: wijkloket --headless --script FILE --screenshots DIR");
        else
            snprintf(msg, msgsz, "cannot open the display (%s): %s. Without a screen use: wijkloket --headless --script FILE --screenshots DIR",
                     disp ? disp : wl, SDL_GetError());
        return false;
    }
    /* With no display at all SDL quietly falls back to its invisible "offscreen" driver;
     * a kiosk that nobody can see is worse than a clear refusal, unless asked for. */
    const char *driver = SDL_GetCurrentVideoDriver();
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (!headless && driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) && !(asked && *asked)) {
        snprintf(msg, msgsz, "no display found (DISPLAY is not set), so no window can open. "
                 "Run with a screen, under xvfb-run, or without one: wijkloket --headless --script FILE --screenshots DIR");
        SDL_Quit();
        return false;
    }
    if (headless) {
        p->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
        if (!p->surf || !(p->ren = SDL_CreateSoftwareRenderer(p->surf))) {
            snprintf(msg, msgsz, "cannot create the headless renderer: %s", SDL_GetError());
            plat_close(p);
            return false;
        }
        p->w = w;
        p->h = h;
        return true;
    }
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    else flags |= SDL_WINDOW_RESIZABLE;
    p->win = SDL_CreateWindow("Wijkloket", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!p->win) {
        snprintf(msg, msgsz, "cannot open a window: %s. Without a screen use: wijkloket --headless --script FILE", SDL_GetError());
        plat_close(p);
        return false;
    }
    /* Prefer a hardware renderer; the software one always works (Xvfb, old kiosk PCs). */
    const char *want = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    bool soft = software || (want && !strcmp(want, "software"));
    /* Without this SDL backs the software renderer's window surface with a GL texture, which
     * loads the GL driver (with Mesa's llvmpipe, some 70 MB) for nothing. */
    if (soft) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (!soft) p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED);
    if (!p->ren) p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
    if (!p->ren) {
        snprintf(msg, msgsz, "cannot create a renderer: %s", SDL_GetError());
        plat_close(p);
        return false;
    }
    SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
    SDL_StartTextInput();
    return true;
}

void plat_close(plat_t *p)
{
    if (p->ren) SDL_DestroyRenderer(p->ren);
    if (p->surf) SDL_FreeSurface(p->surf);
    if (p->win) SDL_DestroyWindow(p->win);
    p->ren = NULL;
    p->surf = NULL;
    p->win = NULL;
    SDL_Quit();
}

/* Window coordinates to renderer pixels (they differ on high-dpi screens). */
static void to_pixels(plat_t *p, int x, int y, int *ox, int *oy)
{
    int ww = p->w, wh = p->h;
    if (p->win) SDL_GetWindowSize(p->win, &ww, &wh);
    *ox = ww ? x * p->w / ww : x;
    *oy = wh ? y * p->h / wh : y;
}

bool plat_translate(plat_t *p, const SDL_Event *e, ui_event_t *out, bool *resized)
{
    memset(out, 0, sizeof *out);
    *resized = false;
    switch (e->type) {
    case SDL_QUIT:
        out->type = UI_EV_QUIT;
        return true;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
            *resized = true;
        }
        return false;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* SDL also reports a touch as a mouse click; the finger event already counted it. */
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT) return false;
        out->type = e->type == SDL_MOUSEBUTTONDOWN ? UI_EV_DOWN : UI_EV_UP;
        to_pixels(p, e->button.x, e->button.y, &out->x, &out->y);
        return true;
    case SDL_FINGERDOWN:
        if (p->finger_down) return false; /* a second finger is ignored */
        p->finger_down = true;
        p->finger = e->tfinger.fingerId;
        out->type = UI_EV_DOWN;
        out->x = (int)(e->tfinger.x * p->w);
        out->y = (int)(e->tfinger.y * p->h);
        return true;
    case SDL_FINGERUP:
        if (!p->finger_down || e->tfinger.fingerId != p->finger) return false;
        p->finger_down = false;
        out->type = UI_EV_UP;
        out->x = (int)(e->tfinger.x * p->w);
        out->y = (int)(e->tfinger.y * p->h);
        return true;
    case SDL_TEXTINPUT:
        out->type = UI_EV_TEXT;
        snprintf(out->text, sizeof out->text, "%s", e->text.text);
        return true;
    case SDL_KEYDOWN: {
        SDL_Keycode k = e->key.keysym.sym;
        out->type = UI_EV_KEY;
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER) out->key = UI_KEY_RETURN;
        else if (k == SDLK_BACKSPACE) out->key = UI_KEY_BACKSPACE;
        else if (k == SDLK_ESCAPE) out->key = UI_KEY_ESCAPE;
        else if (k == SDLK_F4 && (e->key.keysym.mod & KMOD_ALT)) out->key = UI_KEY_ALT_F4;
        else return false;
        return true;
    }
    default:
        return false;
    }
}

int64_t plat_ticks_ms(void)
{
    return (int64_t)SDL_GetTicks64();
}

bool plat_wait(plat_t *p, int64_t timeout_ms, plat_input_t *in)
{
    memset(in, 0, sizeof *in);
    SDL_Event e;
    int got = timeout_ms < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, (int)(timeout_ms > INT32_MAX ? INT32_MAX : timeout_ms));
    if (!got) return false;
    do {
        bool resized = false;
        if (in->n < (int)(sizeof in->ev / sizeof in->ev[0]) && plat_translate(p, &e, &in->ev[in->n], &resized)) in->n++;
        in->resized = in->resized || resized;
        if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_EXPOSED) in->exposed = true;
    } while (in->n < (int)(sizeof in->ev / sizeof in->ev[0]) && SDL_PollEvent(&e));
    return true;
}

bool plat_keeps_pixels(const plat_t *p)
{
    SDL_RendererInfo info;
    return p->ren && SDL_GetRendererInfo(p->ren, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
}

SDL_Surface *plat_soft_surface(plat_t *p)
{
    if (p->surf) return p->surf;
    return plat_keeps_pixels(p) && p->win ? SDL_GetWindowSurface(p->win) : NULL;
}

void plat_present(plat_t *p)
{
    if (p->win) SDL_RenderPresent(p->ren);
}

uint8_t *plat_read_rgba(plat_t *p)
{
    uint8_t *px = malloc((size_t)p->w * (size_t)p->h * 4);
    if (!px) return NULL;
    if (p->surf) {
        for (int y = 0; y < p->h; y++)
            memcpy(px + (size_t)y * (size_t)p->w * 4, (uint8_t *)p->surf->pixels + (size_t)y * (size_t)p->surf->pitch,
                   (size_t)p->w * 4);
        return px;
    }
    if (SDL_RenderReadPixels(p->ren, NULL, SDL_PIXELFORMAT_RGBA32, px, p->w * 4) != 0) {
        free(px);
        return NULL;
    }
    return px;
}
