/* The frame pieces every screen shares: the volunteer banner and the bottom navigation bar. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

int layout_top(ui_t *ui, view_t *v)
{
    int m = layout_margin(v);
    if (!ui->volunteer[0]) return m;
    int bh = U(v, 96);
    widget_t *b = view_add(v, W_PANEL, (rect_t){ 0, 0, v->w, bh }, NULL, S_BANNER);
    (void)b;
    char line[160];
    ui_subst(line, sizeof line, T(ui, "Met hulp van %s"), ui->volunteer);
    view_text(v, (rect_t){ m, 0, v->w - 2 * m, bh }, line, U(v, 40), true, S_BANNER, AL_CENTER);
    return bh + m / 2;
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
