/* The emergency screen: right after the acute questions, before anything else is asked. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

enum { A_CONTINUE = A_SCREEN_BASE, A_STOP };

/* The questionnaire's acute questions (assets/questionnaires/entreevragenlijst.json): which
 * things cannot wait, and whether the person wants to speak the WIJ-team today. */
#define Q_ACUTE "acuut"
#define Q_ACUTE_TALK "acuut_gesprek"

static bool has_value(const json_t *a, const char *value)
{
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
        if (json_is_string(it) && !strcmp(json_string_value(it), value)) return true;
    return false;
}

bool ui_urgent_after(ui_t *ui, const char *qid)
{
    if (strcmp(qid, Q_ACUTE_TALK) || !ui->intake) return false;
    const json_t *talk = wl_intake_get(ui->intake, Q_ACUTE_TALK);
    if (!json_is_boolean(talk)) return false;
    ui->urgent = true;
    ui->urgent_talk = json_is_true(talk);
    if (ui->urgent_talk && !ui->urgent_raised) {
        /* Raised at once, not at Versturen: the person may never get that far. No personal
         * data: staff come to the kiosk. */
        wl_err_t err = { { 0 } };
        ui->urgent_raised = true;
        fprintf(stderr, "wijkloket: urgent_request location=%s kiosk=%s\n", ui->cfg->location, ui->cfg->kiosk_id);
        if (wl_store_log_event(ui->store, "urgent_request", ui->cfg->location, ui->cfg->kiosk_id,
                               "Iemand aan de kiosk heeft iets dat niet kan wachten en wil vandaag iemand van het "
                               "WIJ-team spreken. Ga nu naar de kiosk.",
                               ui_unix_now(ui), &err) != WL_OK)
            fprintf(stderr, "wijkloket: urgent_request not stored: %s\n", err.msg);
    }
    ui_go(ui, SCR_URGENT);
    return true;
}

/* What to say for each acute answer: where help is today, in plain words. */
static const struct { const char *value, *text; } WHERE[] = {
    { "niet_veilig", N_("Voelt u zich thuis niet veilig? Bel Veilig Thuis: 0800 2000 (gratis, dag en nacht).") },
    { "slecht_voelen", N_("Denkt u aan zelfdoding? Bel 113: 0800 0113 (gratis, dag en nacht).") },
    { "geen_slaapplek", N_("Het WIJ-team zoekt vandaag met u een veilige slaapplek.") },
    { "geen_eten", N_("Het WIJ-team helpt u vandaag aan eten, bijvoorbeeld via de voedselbank.") },
};

static void urgent_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = layout_top(ui, v);
    int cw = v->w - 2 * m;
    int top = v->h - m - bh;
    view_text(v, (rect_t){ m, y, cw, U(v, 130) }, T(ui, "Dit kan niet wachten"), U(v, 76), true, S_TITLE, AL_LEFT);
    y += U(v, 140);
    const char *lead = ui->urgent_talk
                           ? N_("Er komt zo iemand van het WIJ-team naar u toe. Blijf hier. U hoeft niets meer in te vullen.")
                           : N_("Het WIJ-team helpt u vandaag nog. Loop naar de balie of vraag een medewerker.");
    int lh = U(v, 230);
    view_add(v, W_PANEL, (rect_t){ m, y, cw, lh }, NULL, S_PANEL);
    view_text(v, (rect_t){ m + gap, y + gap / 2, cw - 2 * gap, lh - gap }, T(ui, lead), U(v, 50), true, S_PANEL_ERROR,
              AL_LEFT)->top = true;
    y += lh + gap;
    const json_t *acute = ui->intake ? wl_intake_get(ui->intake, "acuut") : NULL;
    for (size_t i = 0; i < sizeof WHERE / sizeof WHERE[0]; i++) {
        if (!has_value(acute, WHERE[i].value) || y + U(v, 130) > top - gap) continue;
        view_text(v, (rect_t){ m, y, cw, U(v, 130) }, T(ui, WHERE[i].text), U(v, 44), true, S_BODY, AL_LEFT)->top = true;
        y += U(v, 140);
    }
    if (y + U(v, 130) <= top - gap)
        view_text(v, (rect_t){ m, y, cw, U(v, 130) },
                  T(ui, "Bij gevaar bel 112. Wilt u intussen verder met de vragen? Dat mag, het hoeft niet."), U(v, 40),
                  false, S_BODY, AL_LEFT)->top = true;
    int bw = (cw - gap) / 2;
    view_button(v, (rect_t){ m, top, bw, bh }, T(ui, "Stoppen"), S_SECONDARY, A_STOP, 0);
    view_button(v, (rect_t){ m + bw + gap, top, cw - bw - gap, bh }, T(ui, "Verder met de vragen"), S_PRIMARY, A_CONTINUE, 0);
}

static void urgent_act(ui_t *ui, const widget_t *w)
{
    if (!ui->intake) return;
    if (w->action == A_STOP) {
        ui->stop_return = SCR_URGENT;
        ui_go(ui, SCR_STOP);
    } else if (w->action == A_CONTINUE) {
        if (ui->editing_from_summary) {
            ui->editing_from_summary = false;
            ui_go(ui, SCR_SUMMARY);
            return;
        }
        size_t next = wl_intake_next(ui->intake, ui->cur);
        if (next == SIZE_MAX) ui_go(ui, SCR_SUMMARY);
        else ui_enter_question(ui, next);
    }
}

const screen_t SCREEN_URGENT = { "urgent", urgent_build, urgent_act, NULL, true, NULL, NULL };
