/* Widget-list building helpers and the frame pieces every screen shares (banner, nav bar). */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void view_reset(view_t *v, int w, int h, double dpi, bool rtl)
{
    v->w = w;
    v->h = h;
    v->s = (w < h ? w : h) / 1080.0;
    /* 15 mm at the assumed density is the smallest thing a finger must hit. */
    v->touch = (int)(15.0 / 25.4 * dpi + 0.5);
    v->rtl = rtl;
    v->n = 0;
    v->used = 0;
    v->full = false;
    v->modal_from = 0;
}

int U(const view_t *v, int design_px)
{
    int px = (int)(design_px * v->s + 0.5);
    return px < 1 ? 1 : px;
}

const char *view_str(view_t *v, const char *s)
{
    size_t n = strlen(s) + 1;
    if (v->used + n > sizeof v->arena) {
        v->full = true;
        return "";
    }
    char *dst = v->arena + v->used;
    memcpy(dst, s, n);
    v->used += n;
    return dst;
}

const char *view_fmt(view_t *v, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    return view_str(v, tmp);
}

widget_t *view_add(view_t *v, wkind_t kind, rect_t r, const char *text, wstyle_t style)
{
    static widget_t sink; /* absorbs writes when the list is full; never drawn */
    if (v->n >= VIEW_MAX_WIDGETS) {
        v->full = true;
        memset(&sink, 0, sizeof sink);
        return &sink;
    }
    widget_t *w = &v->wd[v->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->r = r;
    w->text = text ? view_str(v, text) : NULL;
    w->style = style;
    w->align = AL_CENTER;
    w->size = U(v, 46);
    return w;
}

widget_t *view_button(view_t *v, rect_t r, const char *text, wstyle_t style, int action, int arg)
{
    widget_t *w = view_add(v, W_BUTTON, r, text, style);
    w->action = action;
    w->arg = arg;
    w->size = U(v, 48);
    w->bold = style == S_PRIMARY;
    return w;
}

widget_t *view_text(view_t *v, rect_t r, const char *text, int size, bool bold, wstyle_t style, walign_t al)
{
    widget_t *w = view_add(v, W_TEXT, r, text, style);
    w->size = size;
    w->bold = bold;
    w->align = al;
    return w;
}

void view_mirror(view_t *v)
{
    for (int i = 0; i < v->n; i++) {
        widget_t *w = &v->wd[i];
        /* Keypads and the Latin keyboard keep their order (1 2 3, q w e), as on phones. */
        if (w->fixed) continue;
        w->r.x = v->w - w->r.x - w->r.w;
        if (w->align == AL_LEFT) w->align = AL_RIGHT;
        else if (w->align == AL_RIGHT) w->align = AL_LEFT;
        if (w->kind == W_BAR) w->arg = 1; /* fill from the right */
    }
}

const widget_t *view_hit(const view_t *v, int x, int y)
{
    for (int i = v->n - 1; i >= v->modal_from; i--) {
        const widget_t *w = &v->wd[i];
        if (w->action && x >= w->r.x && x < w->r.x + w->r.w && y >= w->r.y && y < w->r.y + w->r.h)
            return w;
    }
    return NULL;
}

int layout_margin(const view_t *v) { return U(v, 56); }

int layout_button_h(const view_t *v)
{
    int h = U(v, 150);
    return h < v->touch ? v->touch : h;
}

int layout_top(ui_t *ui, view_t *v)
{
    return layout_top_inline(ui, v, NULL);
}

int layout_top_inline(ui_t *ui, view_t *v, int *reserve_w)
{
    int m = layout_margin(v), gap = U(v, 20);
    /* "Hulp vragen" on every citizen screen: it calls someone without leaving the screen or
     * wiping anything (not on the sign-in, help and staff screens, which are about that). */
    bool help = ui->screen != SCR_LOGIN && ui->screen != SCR_HELP && ui->screen != SCR_STAFF;
    if (!ui->volunteer[0] && !help) return m;
    int hb = U(v, 100) < v->touch ? v->touch : U(v, 100);
    int hw = U(v, 340) < v->touch * 3 ? v->touch * 3 : U(v, 340);
    int bar = hb + 2 * (m / 3);
    if (reserve_w && !ui->volunteer[0] && help) {
        /* Short screens: the button shares the first lines' row, which leave its width free. */
        view_button(v, (rect_t){ v->w - m - hw, m / 3, hw, hb }, T(ui, "Hulp vragen"), S_SECONDARY, A_HELP_REQUEST, 0)->size = U(v, 40);
        *reserve_w = hw + gap;
        return m;
    }
    if (reserve_w) *reserve_w = 0;
    if (ui->volunteer[0]) {
        view_add(v, W_PANEL, (rect_t){ 0, 0, v->w, bar }, NULL, S_BANNER);
        char line[160];
        ui_subst(line, sizeof line, T(ui, "Met hulp van %s"), ui->volunteer);
        view_text(v, (rect_t){ m, 0, v->w - 2 * m - (help ? hw + gap : 0), bar }, line, U(v, 40), true, S_BANNER,
                  help ? AL_LEFT : AL_CENTER);
    }
    if (help) view_button(v, (rect_t){ v->w - m - hw, m / 3, hw, hb }, T(ui, "Hulp vragen"), S_SECONDARY, A_HELP_REQUEST, 0)->size = U(v, 40);
    return bar + m / 3;
}

int layout_nav(ui_t *ui, view_t *v, const char *back, int back_action, const char *stop,
               int stop_action, const char *next, int next_action)
{
    int m = layout_margin(v), gap = U(v, 28), bh = layout_button_h(v);
    int top = v->h - m - bh;
    int cw = v->w - 2 * m;
    int bw = (cw - 2 * gap) / 3;
    if (back) view_button(v, (rect_t){ m, top, bw, bh }, T(ui, back), S_SECONDARY, back_action, 0);
    if (stop) view_button(v, (rect_t){ m + bw + gap, top, bw, bh }, T(ui, stop), S_SECONDARY, stop_action, 0);
    if (next && !back && !stop) view_button(v, (rect_t){ m, top, cw, bh }, T(ui, next), S_PRIMARY, next_action, 0);
    else if (next) view_button(v, (rect_t){ m + 2 * (bw + gap), top, cw - 2 * (bw + gap), bh }, T(ui, next), S_PRIMARY, next_action, 0);
    return top;
}
