/* Renders widgets: flat calm boxes, a clear border on choices, text wrapped inside each box. */
#include "render.h"

#include <string.h>

/* Each style is one text colour on one background colour (all listed in theme_pairs). */
static const struct { tcolor_t fg, bg; bool box; bool border; } STYLE[] = {
    [S_BODY] = { TC_TEXT, TC_BACKGROUND, false, false },
    [S_TITLE] = { TC_TEXT, TC_BACKGROUND, false, false },
    [S_MUTED] = { TC_MUTED, TC_BACKGROUND, false, false },
    [S_ERROR] = { TC_ERROR, TC_BACKGROUND, false, false },
    [S_PRIMARY] = { TC_PRIMARY_TEXT, TC_PRIMARY, true, false },
    /* The light secondary fill is 1.2:1 against the page: its border is what makes it a control. */
    [S_SECONDARY] = { TC_SECONDARY_TEXT, TC_SECONDARY, true, true },
    [S_OPTION] = { TC_OPTION_TEXT, TC_OPTION, true, true },
    [S_SELECTED] = { TC_SELECTED_TEXT, TC_SELECTED, true, false },
    [S_DISABLED] = { TC_DISABLED_TEXT, TC_DISABLED, true, false },
    [S_KEY] = { TC_KEY_TEXT, TC_KEY, true, true },
    [S_BANNER] = { TC_BANNER_TEXT, TC_BANNER, true, false },
    [S_PANEL] = { TC_PANEL_TEXT, TC_PANEL, true, false },
    [S_FIELD] = { TC_FIELD_TEXT, TC_FIELD, true, true },
    [S_PANEL_ERROR] = { TC_ERROR, TC_PANEL, false, false },
    [S_PICTOGRAM] = { TC_PICTOGRAM, TC_BACKGROUND, false, false },
};

void render_style_roles(wstyle_t s, tcolor_t *fg, tcolor_t *bg, bool *box, bool *border)
{
    unsigned st = (unsigned)s < sizeof STYLE / sizeof STYLE[0] ? (unsigned)s : 0;
    *fg = STYLE[st].fg;
    *bg = STYLE[st].bg;
    *box = STYLE[st].box;
    *border = STYLE[st].border;
}

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
    SDL_Rect rs[4] = { { r.x, r.y, r.w, t }, { r.x, r.y + r.h - t, r.w, t }, { r.x, r.y, t, r.h }, { r.x + r.w - t, r.y, t, r.h } };
    set_color(ren, c);
    SDL_RenderFillRects(ren, rs, 4);
}

/* Softens a box's corners by painting the background into them: one batched call per box,
 * because every separate draw call costs the software renderer a command. */
static void round_corners(SDL_Renderer *ren, rect_t r, int rad, rgb_t bg)
{
    static const int inset[6] = { 6, 4, 3, 2, 1, 1 };
    SDL_Rect rs[24];
    int n = 0, steps = rad < 6 ? rad : 6;
    for (int i = 0; i < steps; i++) {
        int d = inset[i] * rad / 6;
        if (d <= 0) continue;
        rs[n++] = (SDL_Rect){ r.x, r.y + i, d, 1 };
        rs[n++] = (SDL_Rect){ r.x + r.w - d, r.y + i, d, 1 };
        rs[n++] = (SDL_Rect){ r.x, r.y + r.h - 1 - i, d, 1 };
        rs[n++] = (SDL_Rect){ r.x + r.w - d, r.y + r.h - 1 - i, d, 1 };
    }
    if (!n) return;
    set_color(ren, bg);
    SDL_RenderFillRects(ren, rs, n);
}

static talign_t talign(walign_t a)
{
    return a == AL_LEFT ? TA_LEFT : a == AL_RIGHT ? TA_RIGHT : TA_CENTER;
}

static void draw_widget(SDL_Renderer *ren, text_t *txt, icons_t *ic, const theme_t *th, const view_t *v, const widget_t *w)
{
    int border = U(v, 4) < 2 ? 2 : U(v, 4);
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
    case W_ICON: {
        SDL_Rect box = { w->r.x, w->r.y, w->r.w, w->r.h };
        if (ic) icons_draw(ic, w->icon, box, sdl_color(fg), w->flip);
        break;
    }
    case W_TEXT: {
        SDL_Rect box = { w->r.x, w->r.y, w->r.w, w->r.h };
        text_draw(txt, w->text, box, w->size, w->bold, sdl_color(fg), talign(w->align), w->top);
        break;
    }
    case W_BUTTON:
    case W_FIELD: {
        fill(ren, w->r, bg);
        if (STYLE[st].border) frame(ren, w->r, w->kind == W_FIELD ? border * 3 / 2 : border, th->c[TC_OPTION_BORDER]);
        round_corners(ren, w->r, U(v, 14), th->c[TC_BACKGROUND]);
        int pad = w->style == S_KEY ? U(v, 6) : U(v, 28);
        SDL_Rect box = { w->r.x + pad, w->r.y + pad / 3, w->r.w - 2 * pad, w->r.h - 2 * pad / 3 };
        if (box.w < 4 || box.h < 4) box = (SDL_Rect){ w->r.x + 2, w->r.y + 2, w->r.w - 4, w->r.h - 4 };
        /* Room for a tick box or pictogram at the text's starting side (negative: its ending
         * side). A mirrored centred button keeps its pictogram on the right. */
        int ind = w->indent < 0 ? -w->indent : w->indent;
        if (ind > 0 && ind < box.w / 2) {
            bool start_right = w->align == AL_RIGHT || (w->align == AL_CENTER && v->rtl && !w->fixed);
            if (start_right == (w->indent < 0)) box.x += ind;
            box.w -= ind;
        }
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

static bool str_differs(const char *a, const char *b)
{
    if (!a || !b) return a != b;
    return strcmp(a, b) != 0;
}

static bool widget_differs(const widget_t *a, const widget_t *b)
{
    return a->kind != b->kind || memcmp(&a->r, &b->r, sizeof a->r) || a->style != b->style || a->size != b->size ||
           a->bold != b->bold || a->align != b->align || a->top != b->top || a->value != b->value ||
           a->arg != b->arg || a->indent != b->indent || a->icon != b->icon || a->flip != b->flip || str_differs(a->text, b->text) || str_differs(a->sub, b->sub);
}

static bool overlaps(rect_t a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static SDL_Rect unite(rect_t a, rect_t b)
{
    int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w, y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (SDL_Rect){ x0, y0, x1 - x0, y1 - y0 };
}

#define MAX_DAMAGE 16

bool render_view(SDL_Renderer *ren, text_t *txt, icons_t *ic, const theme_t *th, const view_t *v, const view_t *prev)
{
    SDL_Rect dmg[MAX_DAMAGE];
    int nd = 0;
    bool full = !prev || prev->n != v->n || prev->w != v->w || prev->h != v->h;
    long area = 0;
    for (int i = 0; !full && i < v->n; i++) {
        if (!widget_differs(&prev->wd[i], &v->wd[i])) continue;
        if (nd == MAX_DAMAGE) { full = true; break; }
        dmg[nd] = unite(prev->wd[i].r, v->wd[i].r);
        area += (long)dmg[nd].w * dmg[nd].h;
        nd++;
    }
    if (!full && area * 3 > (long)v->w * v->h) full = true; /* most of the screen: just redraw */
    text_set_rtl(txt, v->rtl);
    if (full) {
        set_color(ren, th->c[TC_BACKGROUND]);
        SDL_RenderClear(ren);
        for (int i = 0; i < v->n; i++) draw_widget(ren, txt, ic, th, v, &v->wd[i]);
        return true;
    }
    if (nd == 0) return false;
    for (int d = 0; d < nd; d++) {
        /* Repaint the box and everything that overlaps it, in order, clipped to the box. */
        SDL_RenderSetClipRect(ren, &dmg[d]);
        set_color(ren, th->c[TC_BACKGROUND]);
        SDL_RenderFillRect(ren, &dmg[d]);
        for (int i = 0; i < v->n; i++)
            if (overlaps(v->wd[i].r, dmg[d])) draw_widget(ren, txt, ic, th, v, &v->wd[i]);
    }
    SDL_RenderSetClipRect(ren, NULL);
    return true;
}

void render_copy_view(view_t *dst, const view_t *src)
{
    memcpy(dst, src, sizeof *dst);
    for (int i = 0; i < dst->n; i++) {
        widget_t *w = &dst->wd[i];
        if (w->text) w->text = dst->arena + (w->text - src->arena);
        if (w->sub) w->sub = dst->arena + (w->sub - src->arena);
    }
}
