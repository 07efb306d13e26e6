/* The frame pieces every screen shares: the volunteer banner, Hulp vragen, Voorlezen and the
 * bottom navigation bar. */
#include "ui.h"
#include "speech.h"

#include <stdio.h>
#include <string.h>

int layout_top(ui_t *ui, view_t *v)
{
    return layout_top_inline(ui, v, NULL);
}

/* Voorlezen: the same place on every screen and in every language, the top right corner (the
 * staff corner is the top left). A language without a voice says so on the button rather than
 * staying silent (docs/languages.md). */
static void voorlezen_button(ui_t *ui, view_t *v, int vw, int bh)
{
    const char *lang = wl_i18n_lang(ui->i18n[ui->lang]);
    widget_t *b = view_button(v, (rect_t){ v->w - vw, 0, vw, bh }, T(ui, "Voorlezen"),
                              ui->speaking ? S_SELECTED : S_SECONDARY, A_VOORLEZEN, 0);
    b->size = U(v, 40);
    b->bold = true;
    b->fixed = true; /* top right in every language, clear of the staff corner */
    if (!speech_voice(lang)) b->sub = view_str(v, T(ui, "nog zonder stem"));
    layout_button_picto(ui, v, b, "voorlezen", bh * 2 / 5 < U(v, 44) ? bh * 2 / 5 : U(v, 44), false);
}

/* "Hulp vragen": a raised hand at its start, in every place it is drawn. */
static void help_button(ui_t *ui, view_t *v, rect_t r)
{
    widget_t *b = view_button(v, r, T(ui, "Hulp vragen"), S_SECONDARY, A_HELP_REQUEST, 0);
    b->size = U(v, 40);
    layout_button_picto(ui, v, b, "hulp_vragen", r.h * 2 / 5 < U(v, 44) ? r.h * 2 / 5 : U(v, 44), false);
}

/* Screens that show the citizen's own data: a typed answer, or the summary of them all. */
static bool shows_personal(const ui_t *ui)
{
    if (ui->screen == SCR_SUMMARY) return true;
    if (ui->screen != SCR_QUESTION || !ui->intake) return false;
    wl_qtype_t t = ui->q->questions[ui->cur].type;
    return t == WL_Q_TEXT || t == WL_Q_NUMBER || t == WL_Q_DATE;
}

/* With a headphone (speech_output = headphone) and only there: "Mijn antwoorden" left of
 * Voorlezen, where the citizen asks for their own answers to be read too. */
static void personal_button(ui_t *ui, view_t *v, int x, int pw, int bh)
{
    bool on = ui->speak_personal;
    widget_t *b = view_button(v, (rect_t){ x, 0, pw, bh }, T(ui, "Mijn antwoorden"), on ? S_SELECTED : S_SECONDARY,
                              A_SPEAK_PERSONAL, 0);
    b->size = U(v, 36);
    b->bold = true;
    b->fixed = true; /* beside Voorlezen in every language */
    b->sub = view_str(v, T(ui, on ? N_("worden voorgelezen") : N_("niet voorlezen")));
}

int layout_top_inline(ui_t *ui, view_t *v, int *reserve_w)
{
    int m = layout_margin(v), gap = U(v, 20);
    bool speak = ui->cfg->voorlezen;
    bool mine = speak && ui->cfg->speech_headphone && shows_personal(ui);
    int pw = !mine ? 0 : U(v, 280) < v->touch * 3 ? v->touch * 3 : U(v, 280), px = 0;
    /* "Hulp vragen" on every citizen screen: it calls someone without leaving the screen or
     * wiping anything (not on the sign-in, help and staff screens, which are about that). */
    bool help = ui->screen != SCR_LOGIN && ui->screen != SCR_HELP && ui->screen != SCR_STAFF;
    if (reserve_w) *reserve_w = 0;
    if (!ui->volunteer[0] && !help && !speak) return m;
    int vb = U(v, 96) < v->touch ? v->touch : U(v, 96), vw = speak ? U(v, 300) : 0;
    int hb = U(v, 100) < v->touch ? v->touch : U(v, 100);
    int hw = U(v, 340) < v->touch * 3 ? v->touch * 3 : U(v, 340);
    int bar = hb + 2 * (m / 3);
    if (speak && bar < vb) bar = vb;
    /* "Hulp vragen" sits left of Voorlezen (or in the corner when there is no Voorlezen). */
    int hx = speak ? v->w - vw - gap - hw : v->w - m - hw;
    int right = (help ? hw + gap : 0) + (speak ? vw + gap : m); /* width the top-right buttons take */
    if (mine) {
        px = v->w - vw - gap - pw;
        hx -= pw + gap;
        right += pw + gap;
    }
    if (reserve_w && !ui->volunteer[0] && help) {
        /* Short screens: the buttons share the first lines' row, which leave their width free. */
        help_button(ui, v, (rect_t){ hx, m / 3, hw, hb });
        if (speak) voorlezen_button(ui, v, vw, vb);
        if (mine) personal_button(ui, v, px, pw, vb);
        *reserve_w = right - (speak ? 0 : m);
        return m;
    }
    if (ui->volunteer[0]) {
        view_add(v, W_PANEL, (rect_t){ 0, 0, v->w - vw, bar }, NULL, S_BANNER);
        char line[160];
        ui_subst(line, sizeof line, T(ui, "Met hulp van %s"), ui->volunteer);
        bool side = help || speak;
        view_text(v, (rect_t){ m, 0, v->w - m - right, bar }, line, U(v, 40), true, S_BANNER,
                  side ? AL_LEFT : AL_CENTER);
    }
    if (help) help_button(ui, v, (rect_t){ hx, m / 3, hw, hb });
    if (speak) voorlezen_button(ui, v, vw, vb);
    if (mine) personal_button(ui, v, px, pw, vb);
    return bar + m / 3;
}

const char *const UI_PICTOGRAMS[] = { "terug", "volgende", "stoppen", "ja", "nee", "gekozen", "vragenlijst",
                                      "regelingen", "afspraak", "vrijwilliger", "voorlezen",
                                      "hulp_vragen", NULL };

bool ui_pictograms_complete(const wl_pictograms_t *m, wl_err_t *err)
{
    for (int i = 0; UI_PICTOGRAMS[i]; i++)
        if (!wl_pictograms_find(m, UI_PICTOGRAMS[i])) {
            wl_err_set(err, "%s: no pictogram '%s' (the kiosk's screens draw it)", wl_pictograms_path(m), UI_PICTOGRAMS[i]);
            return false;
        }
    return true;
}

widget_t *layout_picto(ui_t *ui, view_t *v, rect_t r, const char *name, wstyle_t style)
{
    const wl_pictogram_t *p = wl_pictograms_find(ui->pictos, name);
    if (!p) return NULL;
    /* An arrow points the way the reader goes; a house or a phone is the same either way. */
    return view_icon(v, r, p->codepoint, p->mirror && v->rtl, style);
}

void layout_button_picto(ui_t *ui, view_t *v, widget_t *b, const char *name, int side, bool at_end)
{
    if (!wl_pictograms_find(ui->pictos, name) || side <= 0) return;
    rect_t br = b->r;
    /* A little closer to the edge than the text's padding, so the text keeps its room. */
    int pad = U(v, 20), gap = U(v, 12);
    int lead = b->indent > 0 ? b->indent : 0; /* something already there (a tick box) */
    int x = at_end ? br.x + br.w - pad - side : br.x + pad + lead;
    /* Drawn after the button, over its fill, in its text colour (widgets never move in v->wd). */
    widget_t *ic = layout_picto(ui, v, (rect_t){ x, br.y + (br.h - side) / 2, side, side }, name, b->style);
    if (ic) ic->fixed = b->fixed; /* a button that stays put in a mirrored layout keeps its picture */
    b->indent = at_end ? -(side + gap) : lead + side + gap;
}

int layout_nav(ui_t *ui, view_t *v, const char *back, int back_action, const char *stop,
               int stop_action, const char *next, int next_action)
{
    int m = layout_margin(v), gap = U(v, 28), bh = layout_button_h(v);
    int top = v->h - m - bh;
    int cw = v->w - 2 * m;
    int bw = (cw - 2 * gap) / 3;
    /* Arrows beside Terug and Volgende, a cross beside Stoppen: the way on without reading. */
    int ps = bh * 2 / 5 < U(v, 44) ? bh * 2 / 5 : U(v, 44);
    if (back) layout_button_picto(ui, v, view_button(v, (rect_t){ m, top, bw, bh }, T(ui, back), S_SECONDARY, back_action, 0),
                                  "terug", ps, false);
    if (stop) layout_button_picto(ui, v, view_button(v, (rect_t){ m + bw + gap, top, bw, bh }, T(ui, stop), S_SECONDARY, stop_action, 0),
                                  "stoppen", ps, false);
    widget_t *nb = NULL;
    if (next && !back && !stop) nb = view_button(v, (rect_t){ m, top, cw, bh }, T(ui, next), S_PRIMARY, next_action, 0);
    else if (next) nb = view_button(v, (rect_t){ m + 2 * (bw + gap), top, cw - 2 * (bw + gap), bh }, T(ui, next), S_PRIMARY, next_action, 0);
    /* The forward arrow only where the button goes on (not on Versturen, Klaar or Aanmelden). */
    if (nb && (!strcmp(next, "Volgende") || !strncmp(next, "Meer", 4))) layout_button_picto(ui, v, nb, "volgende", ps, true);
    return top;
}
