/* Widget-list building helpers: arena strings, widgets, mirroring, hit testing, scaling. */
#include "view.h"

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

widget_t *view_icon(view_t *v, rect_t r, unsigned cp, bool flip, wstyle_t style)
{
    widget_t *w = view_add(v, W_ICON, r, NULL, style);
    w->icon = cp;
    w->flip = flip;
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
