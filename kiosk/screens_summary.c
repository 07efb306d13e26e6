/* The summary (check and change answers, then submit and store) and the result screen. */
#include "ui.h"
#include "screen_minima.h"
#include "screen_appointments.h"

#include <stdio.h>
#include <string.h>


enum { A_EDIT = A_SCREEN_BASE, A_PREV_PAGE, A_NEXT_PAGE, A_SUBMIT, A_BACK, A_STOP, A_DONE, A_APPOINTMENT, A_MINIMA };

/* Relevant questions in order; returns the count. */
static size_t relevant_list(const ui_t *ui, size_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < ui->q->n_questions && n < cap; i++)
        if (wl_intake_relevant(ui->intake, i)) out[n++] = i;
    return n;
}

static int rows_per_page(int top, int bottom, int row_h)
{
    int r = (bottom - top) / row_h;
    return r < 1 ? 1 : r;
}

static void summary_build(ui_t *ui, view_t *v)
{
    if (!ui->intake) {
        ui->screen = SCR_WELCOME;
        SCREEN_WELCOME.build(ui, v);
        return;
    }
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 24);
    bool land = v->w > v->h;
    int reserve = 0;
    int y = land ? layout_top_inline(ui, v, &reserve) : layout_top(ui, v);
    int cw = v->w - 2 * m;
    /* Landscape has width, not height: the hint (or a message) goes beside the title, so two
     * rows of answers per column still fit. */
    int tw = land ? cw / 2 - gap : cw;
    view_text(v, (rect_t){ m, y, tw, U(v, 110) }, T(ui, "Kloppen uw antwoorden?"), U(v, 68), true, S_TITLE, AL_LEFT);
    rect_t slot = land ? (rect_t){ m + cw / 2, y, cw / 2 - reserve, U(v, 130) } : (rect_t){ m, y + U(v, 120), cw, U(v, 130) };
    /* The hint and a message share one slot of fixed height: the rows never move. */
    if (ui->msg.id) {
        view_add(v, W_PANEL, slot, NULL, S_PANEL);
        view_text(v, (rect_t){ slot.x + gap, slot.y, slot.w - 2 * gap, slot.h }, ui_msg_text(ui, v), U(v, 42), true, S_PANEL_ERROR,
                  AL_LEFT);
    } else {
        view_text(v, (rect_t){ slot.x, slot.y, slot.w, U(v, 70) }, T(ui, "Tik op Wijzigen als iets niet klopt."), U(v, 40), false,
                  S_MUTED, AL_LEFT);
    }
    y = slot.y + slot.h + U(v, 20);
    size_t idx[512];
    size_t n = relevant_list(ui, idx, 512);
    int nav_top = v->h - m - bh;
    int pager_h = bh;
    int row_h = U(v, 200) > bh + gap ? U(v, 200) : bh + gap;
    int cols = v->w > v->h ? 2 : 1;
    int colw = (cw - (cols - 1) * gap) / cols;
    int per_col = rows_per_page(y, nav_top - pager_h - 2 * gap, row_h);
    int per = per_col * cols;
    int pages = (int)((n + (size_t)per - 1) / (size_t)per);
    if (pages < 1) pages = 1;
    if (ui->page >= pages) ui->page = pages - 1;
    if (ui->page < 0) ui->page = 0;
    int ew = colw / 4 > U(v, 300) ? U(v, 300) : colw / 4;
    for (int r = 0; r < per; r++) {
        size_t k = (size_t)ui->page * (size_t)per + (size_t)r;
        if (k >= n) break;
        const wl_question_t *qq = &ui->q->questions[idx[k]];
        int rx = m + (r / per_col) * (colw + gap);
        int ry = y + (r % per_col) * row_h;
        view_add(v, W_PANEL, (rect_t){ rx, ry, colw, row_h - gap }, NULL, S_PANEL);
        int tw = colw - ew - 3 * gap;
        view_text(v, (rect_t){ rx + gap, ry + gap / 2, tw, (row_h - gap) / 2 - gap / 2 }, T(ui, qq->text), U(v, 34),
                  false, S_MUTED, AL_LEFT)->style = S_PANEL;
        view_text(v, (rect_t){ rx + gap, ry + (row_h - gap) / 2, tw, (row_h - gap) / 2 - gap / 2 },
                  ui_answer_text(ui, v, idx[k]), U(v, 42), true, S_PANEL, AL_LEFT);
        int eh = bh < row_h - 2 * gap ? bh : row_h - 2 * gap;
        widget_t *b = view_button(v, (rect_t){ rx + colw - ew - gap, ry + (row_h - gap - eh) / 2, ew, eh }, T(ui, "Wijzigen"),
                                  S_SECONDARY, A_EDIT, (int)idx[k]);
        b->size = U(v, 40);
    }
    if (pages > 1) {
        int py = nav_top - gap - pager_h;
        int pw = cw / 3;
        char a[16], b[16], tmpl[128], line[128];
        snprintf(a, sizeof a, "%d", ui->page + 1);
        snprintf(b, sizeof b, "%d", pages);
        ui_subst(tmpl, sizeof tmpl, T(ui, "Pagina %s van %s"), a);
        ui_subst(line, sizeof line, tmpl, b);
        if (ui->page > 0)
            view_button(v, (rect_t){ m, py, pw - gap, pager_h }, T(ui, "Vorige pagina"), S_OPTION, A_PREV_PAGE, 0)->size = U(v, 40);
        view_text(v, (rect_t){ m + pw, py, pw, pager_h }, line, U(v, 38), false, S_MUTED, AL_CENTER);
        if (ui->page < pages - 1)
            view_button(v, (rect_t){ m + 2 * pw + gap, py, cw - 2 * pw - gap, pager_h }, T(ui, "Volgende pagina"), S_OPTION,
                        A_NEXT_PAGE, 0)->size = U(v, 40);
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, N_("Stoppen"), A_STOP, N_("Versturen"), A_SUBMIT);
}

static void submit(ui_t *ui)
{
    size_t missing = SIZE_MAX;
    wl_err_t err = { { 0 } };
    /* Core does the rest: merge, classify, reference code, seal, durable save. */
    wl_journey_set_language(ui->journey, ui->cfg->languages[ui->lang]);
    screen_minima_remember(ui, wl_journey_intake(ui->journey)); /* the answers go after this */
    wl_rc rc = wl_journey_submit(ui->journey, &missing, &ui->msg, &err);
    if (rc == WL_ERR_STATE && missing != SIZE_MAX) {
        wl_msg_t why = ui->msg;
        ui_enter_question(ui, missing);
        ui->msg = why;
        return;
    }
    if (rc != WL_OK) { /* the journey keeps the answers: a retry is possible */
        fprintf(stderr, "wijkloket: %s\n", err.msg);
        return;
    }
    fprintf(stderr, "wijkloket: intake saved%s\n", ui->volunteer[0] ? " (assisted)" : "");
    snprintf(ui->ref, sizeof ui->ref, "%s", wl_journey_ref(ui->journey));
    ui->result = json_incref((json_t *)wl_journey_result(ui->journey));
    ui->saved++;
    ui->intake = NULL; /* the journey forgot the answers when they were stored */
    ui_go(ui, SCR_RESULT);
}

static void summary_act(ui_t *ui, const widget_t *w)
{
    if (!ui->intake) return;
    switch (w->action) {
    case A_EDIT:
        if (w->arg >= 0 && (size_t)w->arg < ui->q->n_questions) {
            ui_enter_question(ui, (size_t)w->arg);
            ui->editing_from_summary = true;
        }
        break;
    case A_PREV_PAGE: ui->page--; break;
    case A_NEXT_PAGE: ui->page++; break;
    case A_SUBMIT: submit(ui); break;
    case A_BACK: {
        size_t last = wl_intake_prev(ui->intake, ui->q->n_questions);
        if (last != SIZE_MAX) ui_enter_question(ui, last);
        break;
    }
    case A_STOP:
        ui->stop_return = SCR_SUMMARY;
        ui_go(ui, SCR_STOP);
        break;
    }
}

const screen_t SCREEN_SUMMARY = { "summary", summary_build, summary_act, NULL, true, NULL, NULL };

/* ---- result ------------------------------------------------------------------------------- */
/* "Waarom dit advies?": the two or three reasons that mattered most (the result's "reasons",
 * picked by core), each in the rules' own B1 words through the translation layer. Returns
 * the new y; draws nothing when there is no room or no reason. */
static int result_reasons(ui_t *ui, view_t *v, int y, int bottom)
{
    const json_t *reasons = json_object_get(ui->result, "reasons");
    int m = layout_margin(v), cw = v->w - 2 * m, line = U(v, 165);
    if (!json_array_size(reasons) || y + U(v, 60) + line > bottom) return y;
    view_text(v, (rect_t){ m, y, cw, U(v, 60) }, T(ui, "Waarom dit advies?"), U(v, 40), true, S_BODY, AL_LEFT);
    y += U(v, 64);
    size_t i;
    json_t *r;
    json_array_foreach(reasons, i, r) {
        const char *txt = json_string_value(json_object_get(r, "text"));
        if (!txt || y + line > bottom) break;
        char item[600];
        snprintf(item, sizeof item, "• %s", T(ui, txt));
        view_text(v, (rect_t){ m, y, cw, line }, item, U(v, 38), false, S_BODY, AL_LEFT)->top = true;
        y += line;
    }
    return y + U(v, 10);
}

static bool any_urgent(const json_t *sig)
{
    size_t i;
    json_t *s;
    json_array_foreach(sig, i, s)
        if (json_is_true(json_object_get(s, "urgent")) && json_string_value(json_object_get(s, "text"))) return true;
    return false;
}

static void result_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = layout_top(ui, v);
    int cw = v->w - 2 * m;
    bool small = v->h < 700;
    const char *route = json_string_value(json_object_get(ui->result, "route"));
    const char *regie = json_string_value(json_object_get(ui->result, "regie"));
    json_t *sig = json_object_get(ui->result, "signals");
    bool urgent = any_urgent(sig) || ui->urgent;
    int top = v->h - m - bh;
    view_text(v, (rect_t){ m, y, cw, U(v, 100) }, T(ui, "Dank u wel. Uw antwoorden zijn bewaard."), U(v, 56), true, S_TITLE, AL_LEFT);
    y += U(v, 110);
    int shown = 0;
    if (urgent) {
        /* What cannot wait comes first, on every screen size, with who helps: before the code,
         * before the work advice, in the rules' own words. */
        int th = small ? U(v, 56) : U(v, 40), lh = small ? U(v, 130) : U(v, 120);
        int n = 0;
        size_t i;
        json_t *s;
        json_array_foreach(sig, i, s)
            if (json_is_true(json_object_get(s, "urgent")) && json_string_value(json_object_get(s, "text")) && n < 2) n++;
        int ph = U(v, 90) + (n ? n : 1) * lh + lh + gap;
        view_add(v, W_PANEL, (rect_t){ m, y, cw, ph }, NULL, S_PANEL);
        int yy = y + gap / 2;
        view_text(v, (rect_t){ m + gap, yy, cw - 2 * gap, U(v, 80) }, T(ui, "Dit kan niet wachten"), U(v, 60), true,
                  S_PANEL_ERROR, AL_LEFT);
        yy += U(v, 90);
        json_array_foreach(sig, i, s) {
            const char *txt = json_string_value(json_object_get(s, "text"));
            if (!json_is_true(json_object_get(s, "urgent")) || !txt || shown >= 2) continue;
            view_text(v, (rect_t){ m + gap, yy, cw - 2 * gap, lh }, T(ui, txt), th, true, S_PANEL, AL_LEFT)->top = true;
            yy += lh;
            shown++;
        }
        const char *who = ui->urgent_talk ? N_("Het WIJ-team weet het al. Er komt zo iemand naar u toe. Blijf hier.")
                          : ui->urgent    ? N_("Het WIJ-team helpt u vandaag nog. Vraag het aan de balie.")
                                          : N_("Het WIJ-team helpt u hier snel mee. Vraag het aan de balie.");
        view_text(v, (rect_t){ m + gap, yy, cw - 2 * gap, lh }, T(ui, who), th, true, S_PANEL, AL_LEFT)->top = true;
        y += ph + gap / 2;
    }
    /* The reference: what the person needs to keep. */
    int ch = small ? U(v, 110) : U(v, 170);
    view_add(v, W_PANEL, (rect_t){ m, y, cw, ch }, NULL, S_PANEL);
    char line[128];
    ui_subst(line, sizeof line, T(ui, "Uw code: %s"), ui->ref);
    view_text(v, (rect_t){ m + gap, y + U(v, 10), cw - 2 * gap, U(v, 90) }, line, U(v, 54), true, S_PANEL, AL_LEFT);
    if (!small)
        view_text(v, (rect_t){ m + gap, y + U(v, 100), cw - 2 * gap, U(v, 60) },
                  T(ui, "Noem deze code als u belt of langskomt."), U(v, 38), false, S_PANEL, AL_LEFT);
    y += ch + gap;
    if (y + U(v, 150) < top - gap) {
        view_text(v, (rect_t){ m, y, cw, U(v, 70) }, T(ui, "Wat gebeurt er nu?"), U(v, 50), true, S_BODY, AL_LEFT);
        y += U(v, 80);
        int rh = top - gap - y < U(v, 300) ? top - gap - y : U(v, 300);
        view_text(v, (rect_t){ m, y, cw, rh }, T(ui, wl_journey_route_text(route)), U(v, 44), false, S_BODY, AL_LEFT)->top = true;
        y += rh + U(v, 10);
    }
    const char *rt = wl_journey_regie_text(regie);
    if (rt && !urgent && y + U(v, 150) < top - gap) {
        view_text(v, (rect_t){ m, y, cw, U(v, 150) }, T(ui, rt), U(v, 44), false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 160);
    }
    /* "Waarom dit advies?" below what cannot wait (that comes first, above), before the other
     * signals. */
    y = result_reasons(ui, v, y, top - gap);
    /* The other signals, while there is room (urgent ones are above). */
    size_t i;
    json_t *s;
    json_array_foreach(sig, i, s) {
        const char *txt = json_string_value(json_object_get(s, "text"));
        bool u = json_is_true(json_object_get(s, "urgent"));
        if (!txt || (u && urgent) || shown >= 3 || y + U(v, 130) > top - gap) continue;
        view_text(v, (rect_t){ m, y, cw, U(v, 130) }, T(ui, txt), U(v, 40), u, u ? S_ERROR : S_BODY, AL_LEFT)->top = true;
        y += U(v, 140);
        shown++;
    }
    int bw = (cw - 2 * gap) / 3;
    view_button(v, (rect_t){ m, top, bw, bh }, T(ui, "Afspraak maken"), S_SECONDARY, A_APPOINTMENT, 0);
    /* The minima check from here takes over what the answers already told (the age). */
    view_button(v, (rect_t){ m + bw + gap, top, bw, bh }, T(ui, "Regelingen checken"), S_SECONDARY, A_MINIMA, 0);
    /* With something urgent, "Klaar" is not the thing to do next: it is not the main button. */
    view_button(v, (rect_t){ m + 2 * (bw + gap), top, cw - 2 * (bw + gap), bh }, T(ui, "Klaar"),
                urgent ? S_SECONDARY : S_PRIMARY, A_DONE, 0);
}

static void result_act(ui_t *ui, const widget_t *w)
{
    if (w->action == A_APPOINTMENT) {
        screen_appointments_begin(ui, SCR_RESULT);
        ui_go(ui, SCR_APPOINTMENTS);
        return;
    }
    if (w->action == A_MINIMA) {
        screen_minima_begin(ui);
        ui_go(ui, SCR_MINIMA);
        return;
    }
    if (w->action == A_DONE) {
        char vol[64];
        snprintf(vol, sizeof vol, "%s", ui->volunteer);
        ui_session_wipe(ui);
        /* The volunteer stays signed in for the next person they help. */
        snprintf(ui->volunteer, sizeof ui->volunteer, "%s", vol);
    }
}

const screen_t SCREEN_RESULT = { "result", result_build, result_act, NULL, true, NULL, NULL };
