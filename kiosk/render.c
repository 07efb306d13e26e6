/* Renders widgets: flat calm boxes, a clear border on choices, text wrapped inside each box. */
#include "render.h"

/* Each style is one text colour on one background colour (all listed in theme_pairs). */
static const struct { tcolor_t fg, bg; bool box; bool border; } STYLE[] = {
    [S_BODY] = { TC_TEXT, TC_BACKGROUND, false, false },
    [S_TITLE] = { TC_TEXT, TC_BACKGROUND, false, false },
    [S_MUTED] = { TC_MUTED, TC_BACKGROUND, false, false },
    [S_ERROR] = { TC_ERROR, TC_BACKGROUND, false, false },
    [S_PRIMARY] = { TC_PRIMARY_TEXT, TC_PRIMARY, true, false },
    [S_SECONDARY] = { TC_SECONDARY_TEXT, TC_SECONDARY, true, false },
    [S_OPTION] = { TC_OPTION_TEXT, TC_OPTION, true, true },
    [S_SELECTED] = { TC_SELECTED_TEXT, TC_SELECTED, true, false },
    [S_DISABLED] = { TC_DISABLED_TEXT, TC_DISABLED, true, false },
    [S_KEY] = { TC_KEY_TEXT, TC_KEY, true, true },
    [S_BANNER] = { TC_BANNER_TEXT, TC_BANNER, true, false },
    [S_PANEL] = { TC_PANEL_TEXT, TC_PANEL, true, false },
    [S_FIELD] = { TC_FIELD_TEXT, TC_FIELD, true, true },
    [S_PANEL_ERROR] = { TC_ERROR, TC_PANEL, false, false },
};

static void set_color(SDL_Renderer *ren, rgb_t c)
{
    SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, 255);
}

static SDL_Color sdl_color(rgb_t c)
{
    return (SDL_Color){ c.r, c.g, c.b, 255 };
}

static void fill(SDL_Renderer *ren, rect_t r, rgb_t c)
{
    SDL_Rect rr = { r.x, r.y, r.w, r.h };
    set_color(ren, c);
    SDL_RenderFillRect(ren, &rr);
}

static void frame(SDL_Renderer *ren, rect_t r, int t, rgb_t c)
{
    fill(ren, (rect_t){ r.x, r.y, r.w, t }, c);
    fill(ren, (rect_t){ r.x, r.y + r.h - t, r.w, t }, c);
    fill(ren, (rect_t){ r.x, r.y, t, r.h }, c);
    fill(ren, (rect_t){ r.x + r.w - t, r.y, t, r.h }, c);
}

/* Softens a box's corners by painting the background into them (cheap: a few rects). */
static void round_corners(SDL_Renderer *ren, rect_t r, int rad, rgb_t bg)
{
    static const int inset[6] = { 6, 4, 3, 2, 1, 1 };
    int steps = rad < 6 ? rad : 6;
    for (int i = 0; i < steps; i++) {
        int d = inset[i] * rad / 6;
        if (d <= 0) continue;
        fill(ren, (rect_t){ r.x, r.y + i, d, 1 }, bg);
        fill(ren, (rect_t){ r.x + r.w - d, r.y + i, d, 1 }, bg);
        fill(ren, (rect_t){ r.x, r.y + r.h - 1 - i, d, 1 }, bg);
        fill(ren, (rect_t){ r.x + r.w - d, r.y + r.h - 1 - i, d, 1 }, bg);
    }
}

static talign_t talign(walign_t a)
{
    return a == AL_LEFT ? TA_LEFT : a == AL_RIGHT ? TA_RIGHT : TA_CENTER;
}

void render_view(SDL_Renderer *ren, text_t *txt, const theme_t *th, const view_t *v)
{
    set_color(ren, th->c[TC_BACKGROUND]);
    SDL_RenderClear(ren);
    int border = U(v, 4) < 2 ? 2 : U(v, 4);
    for (int i = 0; i < v->n; i++) {
        const widget_t *w = &v->wd[i];
        unsigned st = (unsigned)w->style < sizeof STYLE / sizeof STYLE[0] ? (unsigned)w->style : 0;
        rgb_t fg = th->c[STYLE[st].fg], bg = th->c[STYLE[st].bg];
        switch (w->kind) {
        case W_PANEL:
            fill(ren, w->r, bg);
            break;
        case W_BAR: {
            fill(ren, w->r, th->c[TC_PROGRESS_TRACK]);
            int fw = (int)((long)w->r.w * (w->value < 0 ? 0 : w->value > 1000 ? 1000 : w->value) / 1000);
            rect_t f = { w->arg ? w->r.x + w->r.w - fw : w->r.x, w->r.y, fw, w->r.h };
            if (fw > 0) fill(ren, f, th->c[TC_PROGRESS]);
            break;
        }
        case W_TEXT: {
            SDL_Rect box = { w->r.x, w->r.y, w->r.w, w->r.h };
            text_draw(txt, w->text, box, w->size, w->bold, sdl_color(fg), talign(w->align), w->top);
            break;
        }
        case W_BUTTON:
        case W_FIELD: {
            rgb_t under = th->c[TC_BACKGROUND];
            fill(ren, w->r, bg);
            if (STYLE[st].border) frame(ren, w->r, w->kind == W_FIELD ? border * 3 / 2 : border, th->c[TC_OPTION_BORDER]);
            round_corners(ren, w->r, U(v, 14), under);
            int pad = w->style == S_KEY ? U(v, 6) : U(v, 28);
            SDL_Rect box = { w->r.x + pad, w->r.y + pad / 3, w->r.w - 2 * pad, w->r.h - 2 * pad / 3 };
            if (box.w < 4 || box.h < 4) box = (SDL_Rect){ w->r.x + 2, w->r.y + 2, w->r.w - 4, w->r.h - 4 };
            if (w->sub && *w->sub) {
                SDL_Rect top = box, bot = box;
                top.h = box.h * 58 / 100;
                bot.y = box.y + top.h;
                bot.h = box.h - top.h;
                text_draw(txt, w->text, top, w->size, w->bold, sdl_color(fg), talign(w->align), false);
                text_draw(txt, w->sub, bot, w->size * 7 / 10, false, sdl_color(fg), talign(w->align), false);
            } else {
                text_draw(txt, w->text, box, w->size, w->bold, sdl_color(fg), talign(w->align), false);
            }
            break;
        }
        }
    }
}
