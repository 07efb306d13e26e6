/* Question screens generated from the questionnaire: options, yes/no, keypad, keyboard, date. */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/common.h"

enum {
    A_BACK = A_SCREEN_BASE, A_NEXT, A_STOP, A_OPTION, A_YES, A_NO, A_CHAR, A_BKSP, A_SHIFT,
    A_SPACE, A_DATE_FIELD, A_KBD_PAGE, A_CLEAR
};

/* On a screen of several yes/no questions: which one is still open is marked in its row. */
#define MSG_GROUP_MISSING N_("Kies bij elke vraag Ja of Nee. Dan kunt u verder.")


void ui_begin_session(ui_t *ui)
{
    ui_end_journey(ui);
    wl_journey_deps_t deps = { .q = ui->q, .rules = ui->rules, .store = ui->store, .env = &ui->env };
    wl_journey_start_t how = { WL_CHANNEL_KIOSK, ui->cfg->location, ui->cfg->kiosk_id, ui->cfg->languages[ui->lang],
                               ui->volunteer[0] ? ui->volunteer : NULL };
    wl_err_t err = { { 0 } };
    if (wl_journey_start(&deps, &how, &ui->journey, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: starting a session: %s\n", err.msg);
        ui_go(ui, SCR_MENU);
        return;
    }
    ui->intake = wl_journey_intake(ui->journey);
    ui->editing_from_summary = false;
    size_t first = wl_intake_next(ui->intake, SIZE_MAX);
    if (first == SIZE_MAX) ui_go(ui, SCR_SUMMARY);
    else ui_enter_question(ui, first);
}


void ui_enter_question(ui_t *ui, size_t idx)
{
    /* A question asked in a group is shown on the group's screen, from its first asked member. */
    if (ui->intake) idx = wl_intake_screen_start(ui->intake, idx);
    const wl_question_t *qq = &ui->q->questions[idx];
    const json_t *a = ui->intake ? wl_intake_get(ui->intake, qq->id) : NULL;
    ui->cur = idx;
    explicit_bzero(ui->buf, sizeof ui->buf);
    explicit_bzero(ui->date, sizeof ui->date);
    ui->date_field = 0;
    ui->date_replace = false;
    ui->shift = false;
    ui->kbd_page = 0;
    if (a && qq->type == WL_Q_TEXT && json_is_string(a)) snprintf(ui->buf, sizeof ui->buf, "%s", json_string_value(a));
    if (a && qq->type == WL_Q_NUMBER) wl_journey_number_text(a, ui->buf, sizeof ui->buf);
    if (a && qq->type == WL_Q_DATE && json_is_string(a)) {
        int y, m, d;
        if (wl_date_parse(json_string_value(a), &y, &m, &d)) {
            snprintf(ui->date[0], sizeof ui->date[0], "%d", d);
            snprintf(ui->date[1], sizeof ui->date[1], "%d", m);
            snprintf(ui->date[2], sizeof ui->date[2], "%04d", y);
        }
    }
    ui_go(ui, SCR_QUESTION);
}

/* ---- reading answers ---------------------------------------------------------------------- */
const char *ui_answer_text(ui_t *ui, view_t *v, size_t idx)
{
    char out[600];
    if (wl_journey_answer_text(ui->q, ui->intake, idx, ui->i18n[ui->lang], out, sizeof out)) return view_str(v, out);
    /* An optional question left empty is fine, and the summary says so in those words. */
    return view_str(v, wl_intake_required(ui->intake, idx) ? T(ui, "Nog niet ingevuld")
                                                            : T(ui, "Niet ingevuld (mag leeg blijven)"));
}

/* ---- building ----------------------------------------------------------------------------- */
static size_t section_of(const ui_t *ui, size_t qidx)
{
    for (size_t s = 0; s < ui->q->n_sections; s++) {
        const wl_section_t *sec = &ui->q->sections[s];
        if (qidx >= sec->first && qidx < sec->first + sec->count) return s;
    }
    return 0;
}

static bool chosen(const json_t *a, const char *value)
{
    if (json_is_string(a)) return !strcmp(json_string_value(a), value);
    if (json_is_array(a)) {
        size_t i;
        json_t *it;
        json_array_foreach(a, i, it)
            if (json_is_string(it) && !strcmp(json_string_value(it), value)) return true;
    }
    return false;
}

/* Lays n buttons in a grid inside area, as large as fits (at most `tall` tenths of a button
 * height). */
static void grid(view_t *v, rect_t area, int n, int cols, int tall, rect_t *out)
{
    int gap = U(v, 24);
    if (cols < 1) cols = 1;
    int rows = (n + cols - 1) / cols;
    if (rows < 1) rows = 1;
    int bw = (area.w - (cols - 1) * gap) / cols;
    int bh = (area.h - (rows - 1) * gap) / rows;
    int maxh = layout_button_h(v) * tall / 10;
    if (bh > maxh) bh = maxh;
    for (int i = 0; i < n; i++)
        out[i] = (rect_t){ area.x + (i % cols) * (bw + gap), area.y + (i / cols) * (bh + gap), bw, bh };
}

static void add_keys(view_t *v, rect_t area, const char *const *rows, int nrows, int *consumed)
{
    int gap = U(v, 12);
    int maxkeys = 0;
    for (int r = 0; r < nrows; r++) {
        int k = 0;
        for (const char *p = rows[r]; *p; p++) k += *p == ' ';
        if (k + 1 > maxkeys) maxkeys = k + 1;
    }
    int kw = (area.w - (maxkeys - 1) * gap) / maxkeys;
    int kh = (area.h - (nrows - 1) * gap) / nrows;
    int maxh = layout_button_h(v);
    if (kh > maxh) kh = maxh;
    for (int r = 0; r < nrows; r++) {
        char row[256];
        snprintf(row, sizeof row, "%s", rows[r]);
        int nk = 1;
        for (const char *p = rows[r]; *p; p++) nk += *p == ' ';
        int x = area.x + (area.w - (nk * kw + (nk - 1) * gap)) / 2, y = area.y + r * (kh + gap);
        for (char *save = NULL, *k = strtok_r(row, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            widget_t *w = view_button(v, (rect_t){ x, y, kw, kh }, k, S_KEY, A_CHAR, 0);
            w->size = U(v, 46);
            w->fixed = true;
            x += kw + gap;
        }
    }
    *consumed = nrows * (kh + gap);
}

static void build_keyboard(ui_t *ui, view_t *v, rect_t area)
{
    static const char *const LOWER[] = { "1 2 3 4 5 6 7 8 9 0", "q w e r t y u i o p", "a s d f g h j k l",
                                         "z x c v b n m", "é ë è ï ö ü á ó ç" };
    static const char *const UPPER[] = { "1 2 3 4 5 6 7 8 9 0", "Q W E R T Y U I O P", "A S D F G H J K L",
                                         "Z X C V B N M", "É Ë È Ï Ö Ü Á Ó Ç" };
    static const char *const SYM_LOWER[] = { "1 2 3 4 5 6 7 8 9 0", "é ë è ï ö ü á ó ç" };
    static const char *const SYM_UPPER[] = { "1 2 3 4 5 6 7 8 9 0", "É Ë È Ï Ö Ü Á Ó Ç" };
    int gap = U(v, 12);
    /* Six rows of keys fit a portrait or landscape kiosk; on a short screen (800x480) they would
     * be a few millimetres tall, so the keyboard goes compact: letters on one page, digits and
     * accented letters on a second, each row half as tall again. */
    bool compact = (area.h - 5 * gap) / 6 < v->touch * 3 / 4;
    const char *const *rows = ui->shift ? UPPER : LOWER;
    int nrows = 5;
    rect_t keys = area;
    keys.h = area.h * 5 / 6;
    if (compact) {
        rows = ui->kbd_page ? (ui->shift ? SYM_UPPER : SYM_LOWER) : (ui->shift ? UPPER + 1 : LOWER + 1);
        nrows = ui->kbd_page ? 2 : 3;
        keys.h = area.h * 3 / 4;
    }
    int used = 0;
    add_keys(v, keys, rows, nrows, &used);
    int kh = (used - nrows * gap) / nrows > 0 ? (used - nrows * gap) / nrows : layout_button_h(v);
    if (compact) kh = (area.h - 3 * gap) / 4;
    int y = compact ? area.y + area.h - kh : area.y + used;
    int units = compact ? 12 : 10, unit = (area.w - (compact ? 6 : 5) * gap) / units;
    int x = area.x;
    widget_t *w;
    w = view_button(v, (rect_t){ x, y, unit * 2 + gap, kh }, T(ui, "Hoofdletter"), ui->shift ? S_SELECTED : S_KEY, A_SHIFT, 0);
    w->size = U(v, 36);
    w->fixed = true;
    x += unit * 2 + 2 * gap;
    if (compact) {
        w = view_button(v, (rect_t){ x, y, unit * 2, kh }, ui->kbd_page ? T(ui, "abc") : T(ui, "123 éë"), S_KEY, A_KBD_PAGE, 0);
        w->size = U(v, 40);
        w->fixed = true;
        x += unit * 2 + gap;
    }
    /* The apostrophe is in Dutch names ('t Hart, D'Souza). */
    const char *sym[] = { "'", "-", ".", "@" };
    for (int i = 0; i < 4; i++) {
        w = view_button(v, (rect_t){ x, y, unit, kh }, sym[i], S_KEY, A_CHAR, 0);
        w->size = U(v, 46);
        w->fixed = true;
        x += unit + gap;
    }
    w = view_button(v, (rect_t){ x, y, unit * 2, kh }, T(ui, "Spatie"), S_KEY, A_SPACE, 0);
    w->size = U(v, 36);
    w->fixed = true;
    x += unit * 2 + gap;
    w = view_button(v, (rect_t){ x, y, area.x + area.w - x, kh }, T(ui, "Wissen"), S_KEY, A_BKSP, 0);
    w->size = U(v, 36);
    w->fixed = true;
}

static void build_keypad(ui_t *ui, view_t *v, rect_t area, const char *extra)
{
    const char *labels[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", extra, "0", NULL };
    int w = area.w;
    int maxw = U(v, 900);
    if (w > maxw) w = maxw;
    rect_t pad = { area.x + (area.w - w) / 2, area.y, w, area.h };
    rect_t r[12];
    grid(v, pad, 12, 3, 13, r);
    for (int i = 0; i < 12; i++) {
        widget_t *b;
        if (i == 11) b = view_button(v, r[i], T(ui, "Wissen"), S_KEY, A_BKSP, 0);
        else if (labels[i]) b = view_button(v, r[i], labels[i], S_KEY, A_CHAR, 0);
        else continue;
        b->size = i == 11 ? U(v, 40) : U(v, 60);
        b->fixed = true;
    }
}

/* Whether the group screen's message is about this unanswered required member. */
static bool group_missing(ui_t *ui, size_t i)
{
    return ui->msg.id && !strcmp(ui->msg.id, MSG_GROUP_MISSING) && wl_intake_required(ui->intake, i) &&
           !wl_intake_get(ui->intake, ui->q->questions[i].id);
}

/* Several yes/no questions of one topic on one screen (a "group" in the questionnaire): one
 * row each, its text then Ja and Nee, read out in that order by Voorlezen. Rows have a fixed
 * height and only questions already known to apply are shown, so nothing moves while answering. */
static void group_build(ui_t *ui, view_t *v, rect_t area)
{
    size_t rows[8], n = 0;
    for (size_t i = ui->cur; i <= wl_intake_screen_end(ui->intake, ui->cur) && n < 8; i++)
        if (wl_intake_relevant(ui->intake, i)) rows[n++] = i;
    if (!n) return;
    int gap = U(v, 28);
    int rh = (area.h - gap * ((int)n - 1)) / (int)n;
    if (rh > U(v, 330)) rh = U(v, 330);
    bool land = v->w > v->h;
    for (size_t r = 0; r < n; r++) {
        const wl_question_t *qq = &ui->q->questions[rows[r]];
        const json_t *a = wl_intake_get(ui->intake, qq->id);
        int y = area.y + (int)r * (rh + gap);
        /* The text left, Ja and Nee right; on a tall screen the buttons go under the text. */
        rect_t tr, br;
        if (land) {
            int tw = area.w * 11 / 20;
            tr = (rect_t){ area.x, y, tw, rh };
            br = (rect_t){ area.x + tw + gap, y, area.w - tw - gap, rh };
        } else {
            int th = rh * 9 / 20;
            tr = (rect_t){ area.x, y, area.w, th };
            br = (rect_t){ area.x, y + th + U(v, 10), area.w, rh - th - U(v, 10) };
        }
        int ps = tr.h * 2 / 5 < U(v, 80) ? tr.h * 2 / 5 : U(v, 80), pg = 0;
        if (layout_picto(ui, v, (rect_t){ tr.x, tr.y, ps, ps }, qq->pictogram, S_PICTOGRAM)) pg = ps + U(v, 20);
        /* A required question left open is marked in the text's own colour and place. */
        view_text(v, (rect_t){ tr.x + pg, tr.y, tr.w - pg, tr.h }, T(ui, qq->text), U(v, 46), true,
                  group_missing(ui, rows[r]) ? S_ERROR : S_TITLE, AL_LEFT)->top = true;
        int bw = (br.w - gap) / 2;
        for (int i = 0; i < 2; i++) {
            bool on = a && (i == 0 ? json_is_true(a) : json_is_false(a));
            rect_t b1 = { br.x + i * (bw + gap), br.y, bw, br.h };
            widget_t *b = view_button(v, b1, T(ui, i == 0 ? "Ja" : "Nee"), on ? S_SELECTED : S_OPTION,
                                      i == 0 ? A_YES : A_NO, (int)rows[r]);
            b->size = U(v, 52);
            b->bold = on;
            int bs = b1.h * 2 / 5 < U(v, 64) ? b1.h * 2 / 5 : U(v, 64);
            layout_button_picto(ui, v, b, on ? "gekozen" : i == 0 ? "ja" : "nee", bs, false);
        }
    }
}

static void question_build(ui_t *ui, view_t *v)
{
    if (!ui->intake) { /* cannot happen after a wipe, which leaves this screen; be safe */
        ui->screen = SCR_WELCOME;
        SCREEN_WELCOME.build(ui, v);
        return;
    }
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    size_t sidx = section_of(ui, ui->cur);
    const wl_section_t *sec = &ui->q->sections[sidx];
    int m = layout_margin(v), gap = U(v, 28);
    bool land = v->w > v->h;
    int reserve = 0;
    int y = land ? layout_top_inline(ui, v, &reserve) : layout_top(ui, v);
    int cw = v->w - 2 * m;

    /* Header: which part, how far. */
    char num[32], den[32], line[600], part[600];
    snprintf(num, sizeof num, "%zu", sidx + 1);
    snprintf(den, sizeof den, "%zu", ui->q->n_sections);
    ui_subst(part, sizeof part, T(ui, "Deel %s van %s"), num);
    ui_subst(line, sizeof line, part, den);
    size_t ll = strlen(line);
    snprintf(line + ll, sizeof line - ll, ": %s", T(ui, sec->title));
    int head_y = y;
    view_text(v, (rect_t){ m, y, cw - reserve, U(v, 64) }, line, U(v, 40), true, S_MUTED, AL_LEFT);
    y += U(v, 72);
    /* "Vraag k van n" counts every screen of the part, so n never changes while the person
     * answers (an answer can make a later question relevant); skipped ones just advance k. A
     * group of yes/no questions is one screen, so k does not jump past its members. */
    size_t n = 0, k = 0;
    for (size_t i = sec->first; i < sec->first + sec->count; i++) {
        const wl_question_t *qi = &ui->q->questions[i];
        if (qi->group && qi->group_first != i) continue;
        n++;
        if (i <= ui->cur) k++;
    }
    bool first_asked = true; /* the first question of the part this person sees */
    for (size_t i = sec->first; i < ui->cur; i++)
        if (wl_intake_relevant(ui->intake, i)) first_asked = false;
    widget_t *bar = view_add(v, W_BAR, (rect_t){ m, y, cw - reserve, U(v, 18) }, NULL, S_BODY);
    bar->value = n ? (int)(1000 * (k - 1) / n) : 0;
    y += U(v, 30);
    snprintf(num, sizeof num, "%zu", k);
    snprintf(den, sizeof den, "%zu", n);
    ui_subst(part, sizeof part, T(ui, "Vraag %s van %s"), num);
    ui_subst(line, sizeof line, part, den);
    view_text(v, (rect_t){ m, y, cw, U(v, 56) }, line, U(v, 36), false, S_MUTED, AL_LEFT);
    y += U(v, 76);

    int nav_top = v->h - m - layout_button_h(v);
    rect_t qa, aa; /* question area and answer area */
    /* A keyboard needs the full width; on a landscape screen the question then goes on top. */
    bool keyboard = qq->type == WL_Q_TEXT && qq->format != WL_TEXT_BSN && qq->format != WL_TEXT_PHONE;
    if (land && !keyboard) {
        int lw = cw * 2 / 5;
        qa = (rect_t){ m, y, lw, nav_top - gap - y };
        aa = (rect_t){ m + lw + gap * 2, y, cw - lw - gap * 2, nav_top - gap - y };
    } else {
        qa = (rect_t){ m, y, cw, 0 };
        aa = (rect_t){ m, 0, cw, 0 };
    }
    int qy = qa.y;
    int qh = land && keyboard ? U(v, 90) : U(v, 250);
    bool room = !(land && keyboard); /* intro and help only when there is room */
    if (room && first_asked && sec->intro) {
        /* The first question of a part says in one line what the part is about. */
        view_text(v, (rect_t){ qa.x, qy, qa.w, U(v, 130) }, T(ui, sec->intro), U(v, 38), false, S_MUTED, AL_LEFT)->top = true;
        qy += U(v, 140);
    }
    /* The question's pictogram at the start of its text: what the question is about, before a
     * word is read. */
    bool group = qq->group_count > 1;
    if (group) {
        /* One line says what to do; each question has its own row below. The rows use the
         * whole width, on a landscape screen too. */
        qa = (rect_t){ m, qy, cw, 0 };
        aa = (rect_t){ m, 0, cw, 0 };
        view_text(v, (rect_t){ qa.x, qy, qa.w, U(v, 70) }, T(ui, "Kies bij elke vraag Ja of Nee."), U(v, 44), true,
                  S_BODY, AL_LEFT)->top = true;
        qy += U(v, 80);
        land = false;
    } else {
        int ps = qh < U(v, 120) ? qh : U(v, 120), pg = 0;
        if (layout_picto(ui, v, (rect_t){ qa.x, qy, ps, ps }, qq->pictogram, S_PICTOGRAM)) pg = ps + U(v, 24);
        view_text(v, (rect_t){ qa.x + pg, qy, qa.w - pg, qh }, T(ui, qq->text), U(v, 58), true, S_TITLE, AL_LEFT)->top = true;
        qy += qh + U(v, 10);
    }
    if (qq->help && room && !group) {
        view_text(v, (rect_t){ qa.x, qy, qa.w, U(v, 120) }, T(ui, qq->help), U(v, 38), false, S_MUTED, AL_LEFT)->top = true;
        qy += U(v, 130);
    }
    if (room) {
        /* The message slot is always there, empty or not: a message that appears must never
         * move the keypad or the options under a finger (issue 12: the 8 that landed on 0). */
        int mh = U(v, 130);
        if (ui->msg.id)
            view_text(v, (rect_t){ qa.x, qy, qa.w, mh }, ui_msg_text(ui, v), U(v, 42), true, S_ERROR, AL_LEFT)->top = true;
        qy += mh + U(v, 10);
    } else if (ui->msg.id) {
        /* No height to spare (a keyboard on a landscape screen): the message covers the part,
         * progress and count lines, which nobody taps, so still nothing moves. */
        int hh = U(v, 178);
        view_add(v, W_PANEL, (rect_t){ m, head_y, cw - reserve, hh }, NULL, S_PANEL);
        view_text(v, (rect_t){ m + U(v, 16), head_y, cw - reserve - U(v, 32), hh }, ui_msg_text(ui, v), U(v, 42), true,
                  S_PANEL_ERROR, AL_LEFT);
    }
    if (!land || keyboard) {
        qy += U(v, 10);
        aa.y = qy;
        aa.h = nav_top - gap - qy;
    }

    const json_t *a = wl_intake_get(ui->intake, qq->id);
    if (group) {
        group_build(ui, v, aa);
        layout_nav(ui, v, N_("Terug"), A_BACK, N_("Stoppen"), A_STOP, N_("Volgende"), A_NEXT);
        return;
    }
    switch (qq->type) {
    case WL_Q_SINGLE:
    case WL_Q_MULTIPLE: {
        rect_t r[64];
        int no = (int)(qq->n_options > 64 ? 64 : qq->n_options);
        int cols = 1;
        int fit1 = (aa.h + U(v, 24)) / (layout_button_h(v) + U(v, 24));
        if (no > fit1) cols = 2;
        /* Two columns of options wrap their text over more lines (beside a pictogram): they
         * may grow taller when there is room. */
        grid(v, aa, no, cols, cols > 1 ? 16 : 13, r);
        for (int i = 0; i < no; i++) {
            const wl_option_t *o = &qq->options[i];
            bool on = chosen(a, o->value);
            widget_t *b = view_button(v, r[i], T(ui, o->text), on ? S_SELECTED : S_OPTION, A_OPTION, i);
            b->align = AL_LEFT;
            b->bold = on;
            int pmax = cols > 1 ? U(v, 52) : U(v, 60);
            int ps = r[i].h * 2 / 5 < pmax ? r[i].h * 2 / 5 : pmax;
            if (qq->type == WL_Q_MULTIPLE) {
                /* Several choices: each option has a box to tick, so it looks unlike a single
                 * choice; its pictogram and text follow (the padding is the renderer's). */
                int bs = r[i].h / 2 < U(v, 64) ? r[i].h / 2 : U(v, 64);
                rect_t cb = { r[i].x + U(v, 24), r[i].y + (r[i].h - bs) / 2, bs, bs };
                b->indent = bs + U(v, 8); /* the renderer pads 28: the pictogram starts 12 past the box */
                view_add(v, W_FIELD, cb, NULL, S_FIELD);
                if (on) view_add(v, W_PANEL, (rect_t){ cb.x + bs / 4, cb.y + bs / 4, bs - bs / 2, bs - bs / 2 }, NULL, S_SELECTED);
                layout_button_picto(ui, v, b, o->pictogram, ps, false);
            } else {
                /* One choice: its pictogram at the start; the chosen one is filled and its
                 * pictogram becomes a tick, a mark that does not rely on colour, in the same
                 * place so nothing moves (and no "Gekozen" line squeezing the text). */
                const char *pic = on ? "gekozen" : o->pictogram;
                if (pic) layout_button_picto(ui, v, b, pic, ps, false);
                if (!b->indent) b->indent = ps + U(v, 16); /* the same room without one */
            }
        }
        break;
    }
    case WL_Q_YESNO: {
        rect_t r[2];
        grid(v, aa, 2, 2, 13, r);
        for (int i = 0; i < 2; i++) {
            bool on = a && (i == 0 ? json_is_true(a) : json_is_false(a));
            widget_t *b = view_button(v, r[i], T(ui, i == 0 ? "Ja" : "Nee"), on ? S_SELECTED : S_OPTION,
                                      i == 0 ? A_YES : A_NO, (int)ui->cur);
            b->size = U(v, 60);
            b->bold = on;
            if (on) b->sub = view_str(v, T(ui, "Gekozen"));
            int ps = r[i].h * 2 / 5 < U(v, 72) ? r[i].h * 2 / 5 : U(v, 72);
            layout_button_picto(ui, v, b, on ? "gekozen" : i == 0 ? "ja" : "nee", ps, false);
        }
        break;
    }
    case WL_Q_NUMBER:
    case WL_Q_TEXT: {
        int fh = land ? U(v, 110) : layout_button_h(v);
        if (fh > aa.h / 5) fh = aa.h / 5;
        rect_t fr = { aa.x, aa.y, aa.w, fh };
        char shown[UI_BUF + 64];
        snprintf(shown, sizeof shown, "%s%s%s", ui->buf,
                 qq->type == WL_Q_NUMBER && qq->unit && ui->buf[0] ? " " : "",
                 qq->type == WL_Q_NUMBER && qq->unit && ui->buf[0] ? T(ui, qq->unit) : "");
        /* "Leegmaken" empties the field in one tap (a BSN took nine Wissen taps). */
        int clw = ui->buf[0] ? (aa.w / 4 > v->touch * 2 ? aa.w / 4 : v->touch * 2) : 0;
        rect_t ff = fr;
        ff.w -= clw ? clw + gap / 2 : 0;
        widget_t *f = view_add(v, W_FIELD, ff, shown, S_FIELD);
        f->align = AL_LEFT;
        f->size = U(v, 54);
        if (clw) view_button(v, (rect_t){ fr.x + fr.w - clw, fr.y, clw, fr.h }, T(ui, "Leegmaken"), S_SECONDARY, A_CLEAR, 0)->size = U(v, 38);
        rect_t kr = { aa.x, aa.y + fh + gap, aa.w, aa.h - fh - gap };
        if (qq->type == WL_Q_NUMBER) {
            if (qq->unit && !ui->buf[0]) {
                widget_t *u = view_text(v, fr, T(ui, qq->unit), U(v, 42), false, S_MUTED, AL_RIGHT);
                u->r.w -= U(v, 24);
            }
            build_keypad(ui, v, kr, qq->integer ? NULL : ",");
        } else if (qq->format == WL_TEXT_BSN) {
            build_keypad(ui, v, kr, NULL); /* nine digits: a keypad is simpler than a keyboard */
        } else if (qq->format == WL_TEXT_PHONE) {
            build_keypad(ui, v, kr, "+");
        } else {
            build_keyboard(ui, v, kr);
        }
        break;
    }
    case WL_Q_DATE: {
        static const char *const LBL[3] = { N_("Dag"), N_("Maand"), N_("Jaar") };
        int fh = layout_button_h(v) * 13 / 10;
        if (fh > aa.h / 4) fh = aa.h / 4;
        int fw[3] = { aa.w * 25 / 100, aa.w * 40 / 100, 0 };
        fw[2] = aa.w - fw[0] - fw[1] - 2 * gap;
        int x = aa.x;
        for (int i = 0; i < 3; i++) {
            char val[32];
            int mo = atoi(ui->date[1]);
            if (i == 1 && mo >= 1 && mo <= 12 && ui->date_field != 1) snprintf(val, sizeof val, "%s", T(ui, wl_msg_months[mo - 1]));
            else snprintf(val, sizeof val, "%s", ui->date[i][0] ? ui->date[i] : " ");
            widget_t *b = view_button(v, (rect_t){ x, aa.y, fw[i], fh }, val,
                                      ui->date_field == i ? S_SELECTED : S_FIELD, A_DATE_FIELD, i);
            b->sub = view_str(v, T(ui, LBL[i]));
            b->personal = true; /* the birth date being typed */
            b->size = U(v, 54);
            b->bold = true;
            x += fw[i] + gap;
        }
        rect_t kr = { aa.x, aa.y + fh + gap, aa.w, aa.h - fh - gap };
        build_keypad(ui, v, kr, NULL);
        break;
    }
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, N_("Stoppen"), A_STOP, N_("Volgende"), A_NEXT);
}

/* ---- acting -------------------------------------------------------------------------------- */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void buf_backspace(char *b)
{
    size_t l = strlen(b);
    while (l > 0 && ((unsigned char)b[l - 1] & 0xC0) == 0x80) b[--l] = 0;
    if (l > 0) b[--l] = 0;
}

static void set_answer_at(ui_t *ui, size_t idx, json_t *val)
{
    wl_err_t err = { { 0 } };
    const wl_question_t *qq = &ui->q->questions[idx];
    if (!val) return;
    /* The journey checks the answer; a refusal comes back as msgid + arguments. */
    if (wl_journey_answer(ui->journey, qq->id, val, &ui->msg, &err) != WL_OK) {
        if (!ui->msg.id) {
            fprintf(stderr, "wijkloket: answer %s: %s\n", qq->id, err.msg);
            ui_say(ui, N_("Dit antwoord past niet. Probeer het opnieuw."));
        }
    } else {
        wl_msg_clear(&ui->msg);
    }
    json_decref(val);
}

static void set_answer(ui_t *ui, json_t *val)
{
    set_answer_at(ui, ui->cur, val);
}

/* Ja or Nee on a yes/no row: the question is the row's own (arg), one of this screen's. */
static void answer_yesno(ui_t *ui, int arg, bool yes)
{
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    size_t idx = (size_t)arg;
    if (arg < 0 || idx < qq->group_first || idx >= qq->group_first + qq->group_count) return;
    bool was_group_msg = ui->msg.id && !strcmp(ui->msg.id, MSG_GROUP_MISSING);
    set_answer_at(ui, idx, yes ? json_true() : json_false());
    /* The message stays (in its reserved place) while another row is still open. */
    if (was_group_msg && !ui->msg.id && wl_intake_screen_open(ui->intake, ui->cur)) ui_say(ui, MSG_GROUP_MISSING);
}

static void type_text(ui_t *ui, const char *s)
{
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    if (qq->type == WL_Q_TEXT) {
        size_t max = qq->max_length ? qq->max_length : 200;
        if (utf8_len(ui->buf) + utf8_len(s) > max || strlen(ui->buf) + strlen(s) >= sizeof ui->buf) {
            /* Say so rather than stopping silently. */
            ui_say(ui, N_("Hier passen niet meer letters. Korter mag ook."));
            return;
        }
        strcat(ui->buf, s);
        wl_msg_clear(&ui->msg);
        return;
    }
    for (; *s; s++) {
        char c = *s;
        if (qq->type == WL_Q_NUMBER) {
            bool ok = (c >= '0' && c <= '9') || ((c == ',' || c == '.') && !qq->integer && !strchr(ui->buf, ',')) ||
                      (c == '-' && !ui->buf[0] && qq->min < 0);
            if (!ok || strlen(ui->buf) >= 15) continue;
            size_t l = strlen(ui->buf);
            ui->buf[l] = c == '.' ? ',' : c;
            ui->buf[l + 1] = 0;
            wl_msg_clear(&ui->msg);
        } else if (qq->type == WL_Q_DATE) {
            if (c == '-' || c == '/' || c == ' ') {
                if (ui->date_field < 2) ui->date_field++;
                continue;
            }
            if (c < '0' || c > '9') continue;
            int f = ui->date_field;
            size_t cap = f == 2 ? 4 : 2;
            char *d = ui->date[f];
            /* A filled field that is typed into starts again (as a phone's field does), rather
             * than ignoring the digit until Wissen. */
            if (ui->date_replace || strlen(d) >= cap) d[0] = 0;
            ui->date_replace = false;
            size_t l = strlen(d);
            d[l] = c;
            d[l + 1] = 0;
            if (strlen(d) == cap && f < 2) ui->date_field++;
            wl_msg_clear(&ui->msg);
        }
    }
}

static void backspace(ui_t *ui)
{
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    if (qq->type == WL_Q_DATE) {
        ui->date_replace = false;
        int f = ui->date_field;
        if (!ui->date[f][0] && f > 0) f = --ui->date_field;
        buf_backspace(ui->date[f]);
    } else {
        buf_backspace(ui->buf);
    }
}

static void advance(ui_t *ui)
{
    /* Something that cannot wait goes first: its own screen, before any other question. */
    size_t last = wl_intake_screen_end(ui->intake, ui->cur);
    for (size_t i = ui->cur; i <= last; i++)
        if (ui_urgent_after(ui, ui->q->questions[i].id)) return;
    if (ui->editing_from_summary) {
        /* Back to the summary page the person came from (ui->page is kept). */
        ui->editing_from_summary = false;
        ui_go(ui, SCR_SUMMARY);
        return;
    }
    size_t next = wl_intake_next(ui->intake, last);
    if (next == SIZE_MAX) {
        ui->page = 0;
        ui_go(ui, SCR_SUMMARY);
    } else {
        ui_enter_question(ui, next);
    }
}

static void go_next(ui_t *ui)
{
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    bool required = wl_intake_required(ui->intake, ui->cur);
    switch (qq->type) {
    case WL_Q_TEXT:
        if (!ui->buf[0]) {
            if (required) { ui_say(ui, N_("Vul hier iets in. Dan kunt u verder.")); return; }
            wl_journey_clear(ui->journey, qq->id);
            break;
        }
        set_answer(ui, json_string(ui->buf));
        if (ui->msg.id) return;
        break;
    case WL_Q_NUMBER: {
        if (!ui->buf[0]) {
            if (required) { ui_say(ui, N_("Vul een getal in. Dan kunt u verder.")); return; }
            wl_journey_clear(ui->journey, qq->id);
            break;
        }
        char tmp[UI_BUF];
        snprintf(tmp, sizeof tmp, "%s", ui->buf);
        for (char *p = tmp; *p; p++)
            if (*p == ',') *p = '.';
        char *end;
        double d = strtod(tmp, &end);
        if (end == tmp || *end || !isfinite(d)) {
            ui_say(ui, N_("Vul een getal in, bijvoorbeeld 12."));
            return;
        }
        set_answer(ui, qq->integer || d == floor(d) ? json_integer((json_int_t)d) : json_real(d));
        if (ui->msg.id) return;
        break;
    }
    case WL_Q_DATE: {
        bool empty = !ui->date[0][0] && !ui->date[1][0] && !ui->date[2][0];
        if (empty && !required) {
            wl_journey_clear(ui->journey, qq->id);
            break;
        }
        if (!ui->date[0][0] || !ui->date[1][0] || strlen(ui->date[2]) != 4) {
            ui_say(ui, N_("Vul de dag, de maand en het jaar in. Het jaar heeft 4 cijfers."));
            return;
        }
        char iso[16];
        snprintf(iso, sizeof iso, "%s-%02d-%02d", ui->date[2], atoi(ui->date[1]), atoi(ui->date[0]));
        /* The intake checks that the date exists and gives the citizen's message. */
        set_answer(ui, json_string(iso));
        if (ui->msg.id) return;
        break;
    }
    default:
        if (qq->group_count > 1) {
            if (wl_intake_screen_open(ui->intake, ui->cur)) {
                ui_say(ui, MSG_GROUP_MISSING);
                return;
            }
            break;
        }
        if (required && !wl_intake_get(ui->intake, qq->id)) {
            ui_say(ui, N_("Kies een antwoord. Dan kunt u verder."));
            return;
        }
        break;
    }
    advance(ui);
}

static void go_back(ui_t *ui)
{
    if (ui->editing_from_summary) {
        ui->editing_from_summary = false;
        ui_go(ui, SCR_SUMMARY);
        return;
    }
    size_t prev = wl_intake_prev(ui->intake, ui->cur);
    if (prev == SIZE_MAX) ui_go(ui, SCR_CONSENT);
    else ui_enter_question(ui, prev);
}

static void toggle(ui_t *ui, int i)
{
    const wl_question_t *qq = &ui->q->questions[ui->cur];
    if (i < 0 || (size_t)i >= qq->n_options) return;
    const wl_option_t *o = &qq->options[i];
    if (qq->type == WL_Q_SINGLE) {
        set_answer(ui, json_string(o->value));
        return;
    }
    const json_t *cur = wl_intake_get(ui->intake, qq->id);
    json_t *arr = json_array();
    bool was = chosen(cur, o->value);
    if (!was && !o->exclusive && json_is_array(cur)) {
        /* Choosing a normal option drops an exclusive one ("Geen van deze"). */
        size_t k;
        json_t *it;
        json_array_foreach(cur, k, it) {
            const wl_option_t *oo = json_is_string(it) ? wl_question_option(qq, json_string_value(it)) : NULL;
            if (oo && !oo->exclusive) json_array_append(arr, it);
        }
    } else if (was && json_is_array(cur)) {
        size_t k;
        json_t *it;
        json_array_foreach(cur, k, it)
            if (!(json_is_string(it) && !strcmp(json_string_value(it), o->value))) json_array_append(arr, it);
    }
    if (!was) json_array_append_new(arr, json_string(o->value));
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        wl_journey_clear(ui->journey, qq->id);
        wl_msg_clear(&ui->msg);
        return;
    }
    set_answer(ui, arr);
}

static void question_act(ui_t *ui, const widget_t *w)
{
    if (!ui->intake) return;
    switch (w->action) {
    case A_BACK: go_back(ui); break;
    case A_NEXT: go_next(ui); break;
    case A_STOP:
        ui->stop_return = SCR_QUESTION;
        ui_go(ui, SCR_STOP);
        break;
    case A_OPTION: toggle(ui, w->arg); break;
    case A_YES: answer_yesno(ui, w->arg, true); break;
    case A_NO: answer_yesno(ui, w->arg, false); break;
    case A_CHAR:
        type_text(ui, w->text);
        if (ui->shift) ui->shift = false;
        break;
    case A_SPACE: type_text(ui, " "); break;
    case A_BKSP: backspace(ui); break;
    case A_CLEAR:
        explicit_bzero(ui->buf, sizeof ui->buf);
        wl_msg_clear(&ui->msg);
        break;
    case A_SHIFT: ui->shift = !ui->shift; break;
    case A_KBD_PAGE: ui->kbd_page = !ui->kbd_page; break;
    case A_DATE_FIELD:
        if (w->arg >= 0 && w->arg < 3) {
            ui->date_field = w->arg;
            ui->date_replace = ui->date[w->arg][0] != 0;
        }
        break;
    }
}

static void question_input(ui_t *ui, const ui_event_t *ev)
{
    if (!ui->intake) return;
    if (ev->type == UI_EV_TEXT) type_text(ui, ev->text);
    else if (ev->key == UI_KEY_BACKSPACE) backspace(ui);
    else if (ev->key == UI_KEY_RETURN) go_next(ui);
}

const screen_t SCREEN_QUESTION = { "question", question_build, question_act, question_input, true, NULL, NULL };
