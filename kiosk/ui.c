/* The UI state machine: screen registry, press/tap handling, idle wipe, long-press staff exit. */
#include "ui.h"
#include "speech.h"
#include "screen_appointments.h"
#include "screen_minima.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The screen registry: one row per screen id. A new feature adds a screens_<name>.c file with
 * its screen_t, an id in screen_id_t and a row here (see docs/kiosk.md). */
static const screen_t *const SCREENS[SCR_COUNT] = {
    [SCR_WELCOME] = &SCREEN_WELCOME, [SCR_MENU] = &SCREEN_MENU,         [SCR_HELP] = &SCREEN_HELP,
    [SCR_CONSENT] = &SCREEN_CONSENT, [SCR_QUESTION] = &SCREEN_QUESTION, [SCR_SUMMARY] = &SCREEN_SUMMARY,
    [SCR_RESULT] = &SCREEN_RESULT,   [SCR_STOP] = &SCREEN_STOP,         [SCR_LOGIN] = &SCREEN_LOGIN,
    [SCR_STAFF] = &SCREEN_STAFF,     [SCR_MINIMA] = &SCREEN_MINIMA,     [SCR_APPOINTMENTS] = &SCREEN_APPOINTMENTS,
    [SCR_URGENT] = &SCREEN_URGENT,
};

#define LONG_PRESS_MS 2000

static void note_layout(ui_t *ui, const view_t *v, int64_t now);

/* Core's clock is this UI's clock: virtual in replays, the wall clock on a kiosk. */
static int64_t env_now(void *ctx)
{
    return ui_unix_now(ctx);
}

void ui_init(ui_t *ui, const kcfg_t *cfg, const wl_questionnaire_t *q, const wl_rules_t *rules,
             wl_store_t *store, wl_i18n_t **i18n, int w, int h, int64_t unix_base)
{
    memset(ui, 0, sizeof *ui);
    ui->cfg = cfg;
    ui->q = q;
    ui->rules = rules;
    ui->store = store;
    for (int i = 0; i < cfg->n_languages; i++) ui->i18n[i] = i18n[i];
    ui->w = w;
    ui->h = h;
    ui->unix_base = unix_base;
    ui->env.now = env_now;
    ui->env.ctx = ui;
    ui->screen = SCR_WELCOME;
    ui->login_pick = -1;
    ui->dirty = true;
    /* The first screen counts as settled: a tap may act at once. */
    view_t *v = malloc(sizeof *v);
    if (v) {
        ui_view(ui, v);
        note_layout(ui, v, -TAP_GUARD_MS);
        free(v);
    }
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

uint64_t ui_layout_sig(const ui_t *ui, const view_t *v)
{
    uint64_t h = 1469598103934665603ULL;
    int head[3] = { (int)ui->screen, v->modal_from, ui->idle_prompt };
    h = fnv(h, head, sizeof head);
    for (int i = 0; i < v->n; i++) {
        const widget_t *w = &v->wd[i];
        if (!w->action && w->style == S_TITLE && w->text)
            h = fnv(h, w->text, strlen(w->text)); /* the next question may have the same buttons */
    }
    return h;
}

uint64_t ui_control_key(const widget_t *w)
{
    int k[6] = { w->action, w->arg, w->r.x, w->r.y, w->r.w, w->r.h };
    return fnv(1469598103934665603ULL, k, sizeof k);
}

/* Since when the control with this key has been in place on the current page; INT64_MAX for a
 * control not seen yet (it counts from the next frame). */
static int64_t control_since(const ui_t *ui, uint64_t key)
{
    for (int i = 0; i < ui->n_seen; i++)
        if (ui->seen[i].key == key) return ui->seen[i].since;
    return INT64_MAX;
}

/* Records the frame's page and controls at now: a new page starts every control's guard; on
 * the same page a control keeps its time unless it is new or moved. */
static void note_layout(ui_t *ui, const view_t *v, int64_t now)
{
    uint64_t sig = ui_layout_sig(ui, v);
    bool same_page = sig == ui->layout_sig && ui->n_seen > 0;
    if (!same_page) {
        ui->layout_sig = sig;
        ui->layout_ms = now;
    }
    int n = 0;
    uint64_t keys[VIEW_MAX_WIDGETS];
    int64_t since[VIEW_MAX_WIDGETS];
    rect_t rects[VIEW_MAX_WIDGETS];
    for (int i = 0; i < v->n && n < VIEW_MAX_WIDGETS; i++) {
        if (!v->wd[i].action) continue;
        keys[n] = ui_control_key(&v->wd[i]);
        rects[n] = v->wd[i].r;
        /* Another control exactly where one was: the content was swapped in place, a new page
         * under the same title (the summary's next page); every control starts again. */
        for (int j = 0; same_page && j < ui->n_seen; j++)
            if (ui->seen[j].key != keys[n] && !memcmp(&ui->seen[j].r, &rects[n], sizeof rects[n]) &&
                control_since(ui, keys[n]) == INT64_MAX)
                same_page = false;
        n++;
    }
    if (!same_page) ui->layout_ms = now;
    for (int i = 0; i < n; i++) {
        int64_t s = same_page ? control_since(ui, keys[i]) : INT64_MAX;
        since[i] = s == INT64_MAX ? now : s;
    }
    for (int i = 0; i < n; i++) {
        ui->seen[i].key = keys[i];
        ui->seen[i].since = since[i];
        ui->seen[i].r = rects[i];
    }
    ui->n_seen = n;
}

int64_t ui_tap_wait_ms(ui_t *ui, int x, int y)
{
    view_t *v = malloc(sizeof *v);
    if (!v) return 0;
    ui_view(ui, v);
    const widget_t *a = view_hit(v, x, y);
    int64_t since = a ? control_since(ui, ui_control_key(a)) : INT64_MIN;
    free(v);
    if (since == INT64_MIN) return 0;
    if (since == INT64_MAX) return TAP_GUARD_MS;
    int64_t left = since + TAP_GUARD_MS - ui->now_ms;
    return left > 0 ? left : 0;
}

void ui_free(ui_t *ui)
{
    speech_player_free(ui->speech);
    ui->speech = NULL;
    speech_shutdown();
    ui_session_wipe(ui);
    for (int i = 0; i < SCR_COUNT; i++)
        if (SCREENS[i]->shutdown) SCREENS[i]->shutdown();
}

const char *T(const ui_t *ui, const char *msgid)
{
    return wl_i18n_get(ui->i18n[ui->lang], msgid);
}

void ui_subst(char *dst, size_t n, const char *tmpl, const char *value)
{
    const char *p = strstr(tmpl, "%s");
    if (!p) {
        snprintf(dst, n, "%s", tmpl);
        return;
    }
    snprintf(dst, n, "%.*s%s%s", (int)(p - tmpl), tmpl, value, p + 2);
}

int64_t ui_unix_now(const ui_t *ui)
{
    return ui->unix_base + ui->now_ms / 1000;
}

const char *ui_screen_name(screen_id_t s)
{
    return (unsigned)s < SCR_COUNT ? SCREENS[s]->name : "?";
}

void ui_say(ui_t *ui, const char *msgid)
{
    wl_msg_set(&ui->msg, msgid);
}

const char *ui_msg_text(const ui_t *ui, view_t *v)
{
    if (!ui->msg.id) return "";
    char out[UI_MSG];
    return view_str(v, wl_i18n_msg(ui->i18n[ui->lang], &ui->msg, out, sizeof out));
}

void ui_end_journey(ui_t *ui)
{
    wl_journey_free(ui->journey); /* wipes every answer string */
    ui->journey = NULL;
    ui->intake = NULL;
}

void ui_go(ui_t *ui, screen_id_t s)
{
    if (ui->speaking && s != ui->screen) { /* reading stops when the screen changes */
        speech_player_stop(ui->speech);
        ui->speaking = false;
    }
    ui->screen = s;
    ui->confirm.active = false;
    wl_msg_clear(&ui->msg);
    ui->dirty = true;
}

void ui_session_wipe(ui_t *ui)
{
    if (ui->speaking) speech_player_stop(ui->speech);
    ui->speaking = false;
    /* Screens with per-citizen state of their own wipe it through their hook. */
    for (int i = 0; i < SCR_COUNT; i++)
        if (SCREENS[i]->wipe) SCREENS[i]->wipe();
    wl_journey_free(ui->journey); /* wipes every answer string */
    json_decref(ui->result);
    explicit_bzero(&ui->session, sizeof ui->session); /* typed text, PIN, names, reference */
    ui->login_pick = -1;
    ui->idle_prompt = false;
    ui->idle_extra_ms = 0;
    ui->confirm.active = false;
    ui->help_shown = false;
    ui->screen = SCR_WELCOME;
    ui->dirty = true;
}

/* Idle rules apply whenever something of a person is on screen or in memory. */
static bool idle_applies(const ui_t *ui)
{
    return ui->screen != SCR_WELCOME || ui->lang != 0 || ui->volunteer[0] || ui->intake;
}

bool ui_confirm(ui_t *ui, const widget_t *w, const char *question, const char *detail, const char *yes)
{
    if (ui->confirming) return true;
    ui->confirm.active = true;
    ui->confirm.action = w->action;
    ui->confirm.arg = w->arg;
    ui->confirm.question = question;
    ui->confirm.detail = detail;
    ui->confirm.yes = yes;
    ui->dirty = true;
    return false;
}

/* A dialog over the screen: a panel, a title, a line, and two buttons. */
static void modal(ui_t *ui, view_t *v, const char *title, const char *body, const char *no, int no_action,
                  const char *yes, int yes_action)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    v->modal_from = v->n;
    view_add(v, W_PANEL, (rect_t){ 0, 0, v->w, v->h }, NULL, S_PANEL);
    int y = v->h / 6;
    view_text(v, (rect_t){ m, y, v->w - 2 * m, U(v, 200) }, T(ui, title), U(v, 72), true, S_PANEL, AL_CENTER);
    y += U(v, 220);
    if (body) view_text(v, (rect_t){ m, y, v->w - 2 * m, U(v, 260) }, T(ui, body), U(v, 46), false, S_PANEL, AL_CENTER);
    int top = v->h - m - bh, cw = v->w - 2 * m;
    if (!yes) {
        view_button(v, (rect_t){ m, top, cw, bh }, T(ui, no), S_PRIMARY, no_action, 0);
        return;
    }
    int bw = (cw - gap) / 2;
    /* The safe answer is the main button and sits where "Volgende" usually is. */
    view_button(v, (rect_t){ m, top, bw, bh }, T(ui, yes), S_SECONDARY, yes_action, 0);
    view_button(v, (rect_t){ m + bw + gap, top, cw - bw - gap, bh }, T(ui, no), S_PRIMARY, no_action, 0);
}

/* How long without a touch before "Bent u er nog?": question screens get three times as long
 * (someone may be looking for their ID card or a letter), plus what "Ik heb meer tijd nodig"
 * added. */
#define IDLE_MORE_MS (5 * 60 * 1000LL)
#define VOLUNTEER_IDLE_MS (30 * 60 * 1000LL)
static int64_t idle_limit_ms(const ui_t *ui)
{
    /* A volunteer waiting on the welcome screen for the next person stays signed in for half an
     * hour, not a minute. */
    if (ui->screen == SCR_WELCOME && ui->volunteer[0] && !ui->intake && ui->lang == 0) return VOLUNTEER_IDLE_MS;
    int64_t t = ui->cfg->idle_timeout * 1000LL;
    if (ui->screen == SCR_QUESTION || ui->screen == SCR_SUMMARY || ui->screen == SCR_URGENT) t *= 3;
    return t + ui->idle_extra_ms;
}

static bool in_staff_corner(const ui_t *ui, int x, int y)
{
    int c = (ui->w < ui->h ? ui->w : ui->h) / 10;
    return x < c && y < c;
}

void ui_view(ui_t *ui, view_t *v)
{
    view_reset(v, ui->w, ui->h, ui->cfg->dpi, wl_i18n_rtl(ui->i18n[ui->lang]));
    SCREENS[ui->screen]->build(ui, v);
    if (ui->confirm.active)
        modal(ui, v, ui->confirm.question, ui->confirm.detail, N_("Nee, terug"), A_CONFIRM_NO, ui->confirm.yes, A_CONFIRM_YES);
    else if (ui->help_shown)
        modal(ui, v, N_("Er komt iemand naar u toe"),
              N_("Blijf hier rustig zitten. Een vrijwilliger of medewerker komt zo bij u. Uw antwoorden blijven staan."),
              N_("Verder"), A_HELP_CLOSE, NULL, 0);
    if (ui->idle_prompt) {
        int m = layout_margin(v), bh = layout_button_h(v);
        v->modal_from = v->n;
        view_add(v, W_PANEL, (rect_t){ 0, 0, v->w, v->h }, NULL, S_PANEL);
        int y = v->h / 4;
        view_text(v, (rect_t){ m, y, v->w - 2 * m, U(v, 140) }, T(ui, "Bent u er nog?"), U(v, 84), true, S_PANEL, AL_CENTER);
        y += U(v, 160);
        int64_t left_ms = ui->cfg->idle_countdown * 1000LL - (ui->now_ms - ui->idle_prompt_ms);
        int left = (int)((left_ms + 999) / 1000);
        if (left < 0) left = 0;
        char num[16], line[256];
        snprintf(num, sizeof num, "%d", left);
        ui_subst(line, sizeof line, T(ui, "Over %s seconden beginnen we opnieuw. Uw antwoorden worden dan gewist."), num);
        view_text(v, (rect_t){ m, y, v->w - 2 * m, U(v, 200) }, line, U(v, 46), false, S_PANEL, AL_CENTER);
        y += U(v, 220);
        view_text(v, (rect_t){ m, y, v->w - 2 * m, U(v, 200) }, num, U(v, 150), true, S_PANEL, AL_CENTER);
        y += U(v, 240);
        int cw = v->w - 2 * m, gap = U(v, 28), bw = (cw - gap) / 2, by = v->h - m - bh * 3 / 2;
        if (y > by) y = by;
        view_button(v, (rect_t){ m, y, bw, bh * 3 / 2 }, T(ui, "Ik heb meer tijd nodig"), S_SECONDARY, A_IDLE_MORE, 0)->size = U(v, 48);
        view_button(v, (rect_t){ m + bw + gap, y, cw - bw - gap, bh * 3 / 2 }, T(ui, "Ja, ik ga verder"), S_PRIMARY,
                    A_IDLE_CONTINUE, 0)->size = U(v, 56);
    }
    if (v->rtl) view_mirror(v);
}

size_t ui_speech_text(const ui_t *ui, const view_t *v, char *out, size_t outsz)
{
    /* A speaker is heard by everyone in the room: personal data only into a headphone, and only
     * when the citizen asked for it; a PIN never. */
    bool personal = ui->cfg->speech_headphone && ui->speak_personal && ui->screen != SCR_LOGIN && ui->screen != SCR_STAFF;
    return speech_screen_text(v, personal, out, outsz);
}

/* The Voorlezen button: the first tap reads the screen aloud, the second stops. */
static void voorlezen_toggle(ui_t *ui, const view_t *v)
{
    if (!ui->speech) ui->speech = speech_player_new(ui->cfg->assets, ui->cfg->speech_device);
    if (ui->speaking && speech_player_busy(ui->speech)) {
        speech_player_stop(ui->speech);
        ui->speaking = false;
    } else {
        static char text[16384];
        ui_speech_text(ui, v, text, sizeof text);
        speech_player_say(ui->speech, wl_i18n_lang(ui->i18n[ui->lang]), text, ui->cfg->voorlezen_volume);
        ui->speaking = true;
    }
    ui->dirty = true;
}

static void handle_up(ui_t *ui, int x, int y)
{
    if (!ui->down || ui->long_press_done) {
        ui->down = false;
        return;
    }
    ui->down = false;
    /* A tap counts only when it ends on the widget it started on, so a finger that slides
     * off a button does not press it. */
    view_t *v = malloc(sizeof *v);
    if (!v) return;
    ui_view(ui, v);
    const widget_t *a = view_hit(v, ui->down_x, ui->down_y);
    /* The control must have been settled when the finger came down, and still be the same
     * control in the same place on the same page when it comes up. */
    bool same_layout = ui->down_ok && a && ui_layout_sig(ui, v) == ui->down_sig && ui_control_key(a) == ui->down_key;
    if (a && same_layout && a == view_hit(v, x, y)) {
        if (a->action == A_IDLE_CONTINUE || a->action == A_IDLE_MORE) {
            ui->idle_prompt = false;
            ui->last_input_ms = ui->now_ms;
            if (a->action == A_IDLE_MORE) ui->idle_extra_ms += IDLE_MORE_MS;
        } else if (ui->idle_prompt) {
            /* only "Ja, ik ga verder" counts while the countdown shows */
        } else if (a->action == A_VOORLEZEN) {
            voorlezen_toggle(ui, v);
        } else if (a->action == A_SPEAK_PERSONAL) {
            ui->speak_personal = !ui->speak_personal && ui->cfg->speech_headphone;
            ui->dirty = true;
        } else if (a->action == A_CONFIRM_YES) {
            widget_t again = { .action = ui->confirm.action, .arg = ui->confirm.arg };
            ui->confirm.active = false;
            ui->confirming = true;
            SCREENS[ui->screen]->act(ui, &again);
            ui->confirming = false;
            ui->dirty = true;
        } else if (a->action == A_CONFIRM_NO) {
            ui->confirm.active = false;
            ui->dirty = true;
        } else if (a->action == A_HELP_REQUEST) {
            ui_raise_help(ui);
            ui->help_shown = true;
            ui->dirty = true;
        } else if (a->action == A_HELP_CLOSE) {
            ui->help_shown = false;
            ui->dirty = true;
        } else {
            /* While the screen is being read, a tapped choice is said (never a typed answer). */
            if (ui->speaking && a->kind == W_BUTTON && a->text && a->style != S_KEY)
                speech_player_say(ui->speech, wl_i18n_lang(ui->i18n[ui->lang]), a->text, ui->cfg->voorlezen_volume);
            screen_id_t before = ui->screen;
            SCREENS[ui->screen]->act(ui, a); /* a's strings live in v until free below */
            if (ui->speaking && ui->screen != before) {
                speech_player_stop(ui->speech);
                ui->speaking = false;
            }
        }
    }
    free(v);
}

void ui_step(ui_t *ui, const ui_event_t *ev, int64_t now_ms)
{
    ui->now_ms = now_ms;
    switch (ev->type) {
    case UI_EV_TICK:
        /* Put-off work runs on a tick, so the frame that says "Even geduld" is drawn first. */
        if (ui->screen == SCR_APPOINTMENTS && screen_appointments_busy()) {
            screen_appointments_tick(ui);
            ui->dirty = true;
        }
        break;
    case UI_EV_DOWN:
        ui->down = true;
        ui->down_x = ev->x;
        ui->down_y = ev->y;
        ui->down_ms = now_ms;
        ui->long_press_done = false;
        ui->down_sig = ui->layout_sig;
        ui->down_key = 0;
        ui->down_ok = false;
        {
            view_t *v = malloc(sizeof *v);
            if (v) {
                ui_view(ui, v);
                const widget_t *a = view_hit(v, ev->x, ev->y);
                if (a) {
                    ui->down_key = ui_control_key(a);
                    int64_t since = control_since(ui, ui->down_key);
                    ui->down_ok = ui_layout_sig(ui, v) == ui->layout_sig && since != INT64_MAX &&
                                  now_ms - since >= TAP_GUARD_MS;
                }
                free(v);
            }
        }
        if (!ui->idle_prompt) ui->last_input_ms = now_ms;
        break;
    case UI_EV_UP:
        if (!ui->idle_prompt) ui->last_input_ms = now_ms;
        handle_up(ui, ev->x, ev->y);
        ui->dirty = true;
        break;
    case UI_EV_TEXT:
    case UI_EV_KEY:
        if (ev->type == UI_EV_KEY && (ev->key == UI_KEY_ESCAPE || ev->key == UI_KEY_ALT_F4)) {
            /* In kiosk mode there is no way out but the staff PIN. */
            if (!ui->cfg->kiosk_mode) ui->quit = true;
            break;
        }
        if (ui->idle_prompt) {
            if (ev->type == UI_EV_KEY && ev->key == UI_KEY_RETURN) ui->idle_prompt = false;
            ui->last_input_ms = now_ms;
            ui->dirty = true;
            break;
        }
        ui->last_input_ms = now_ms;
        if (SCREENS[ui->screen]->input) SCREENS[ui->screen]->input(ui, ev);
        ui->dirty = true;
        break;
    case UI_EV_QUIT:
        if (!ui->cfg->kiosk_mode) ui->quit = true;
        break;
    }

    if (ui->down && !ui->long_press_done && now_ms - ui->down_ms >= LONG_PRESS_MS &&
        in_staff_corner(ui, ui->down_x, ui->down_y)) {
        ui->long_press_done = true;
        ui_begin_login(ui, WL_ROLE_STAFF);
    }

    if (idle_applies(ui)) {
        if (!ui->idle_prompt && now_ms - ui->last_input_ms >= idle_limit_ms(ui)) {
            ui->idle_prompt = true;
            ui->idle_prompt_ms = now_ms;
            ui->dirty = true;
        }
        if (ui->idle_prompt) {
            if (now_ms - ui->idle_prompt_ms >= ui->cfg->idle_countdown * 1000LL) {
                ui_session_wipe(ui);
                ui->last_input_ms = now_ms;
            }
            ui->dirty = true; /* the countdown number changes */
        }
    } else {
        ui->idle_prompt = false;
    }
    purge_maybe_run(ui);
    if (ui->dirty) {
        view_t *v = malloc(sizeof *v);
        if (v) {
            ui_view(ui, v);
            note_layout(ui, v, now_ms);
            free(v);
        }
    }
}

int64_t ui_next_deadline(const ui_t *ui)
{
    /* A request to the server waits for the "Even geduld" frame, then runs at once. */
    if (ui->screen == SCR_APPOINTMENTS && screen_appointments_busy()) return ui->now_ms;
    int64_t dl = -1;
    if (idle_applies(ui)) {
        if (!ui->idle_prompt) {
            dl = ui->last_input_ms + idle_limit_ms(ui);
        } else {
            int64_t since = ui->now_ms - ui->idle_prompt_ms;
            dl = ui->idle_prompt_ms + (since / 1000 + 1) * 1000; /* next countdown second */
        }
    }
    if (ui->down && !ui->long_press_done && in_staff_corner(ui, ui->down_x, ui->down_y)) {
        int64_t lp = ui->down_ms + LONG_PRESS_MS;
        if (dl < 0 || lp < dl) dl = lp;
    }
    /* The daily purge waits for the welcome screen; it asks for a wake-up only there. */
    if (ui->store && purge_allowed(ui) && (dl < 0 || ui->next_purge_ms < dl)) dl = ui->next_purge_ms;
    return dl;
}
