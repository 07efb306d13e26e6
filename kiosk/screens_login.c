/* Sign-in for a volunteer (assisted mode) or staff (leaving the locked kiosk): name, then PIN. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_PICK = A_SCREEN_BASE, A_DIGIT, A_BKSP, A_OK, A_BACK };

void ui_begin_login(ui_t *ui, wl_role_t role)
{
    screen_id_t from = ui->screen;
    ui->login_role = role;
    ui->login_pick = -1;
    ui->n_users = 0;
    explicit_bzero(ui->pin, sizeof ui->pin);
    wl_user_t *users = NULL;
    size_t n = 0;
    wl_err_t err = { { 0 } };
    if (wl_auth_list(ui->store, &users, &n, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: cannot list users: %s\n", err.msg);
        n = 0;
    }
    for (size_t i = 0; i < n && ui->n_users < UI_MAX_USERS; i++) {
        /* Anyone can tap "Ik ben vrijwilliger": it lists volunteers only, never staff or admin
         * accounts (staff sign in through the hidden corner, which lists staff). */
        if (users[i].disabled || users[i].role < role) continue;
        if (role == WL_ROLE_VOLUNTEER && users[i].role != WL_ROLE_VOLUNTEER) continue;
        /* ... and only those who help at this kiosk's location (`user add --location`). */
        if (role == WL_ROLE_VOLUNTEER && !wl_user_at(&users[i], ui->cfg->location)) continue;
        snprintf(ui->users[ui->n_users++], sizeof ui->users[0], "%s", users[i].name);
    }
    free(users);
    if (from != SCR_LOGIN) ui->stop_return = from;
    ui_go(ui, SCR_LOGIN);
}

static void login_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = layout_top(ui, v);
    int cw = v->w - 2 * m;
    bool staff = ui->login_role >= WL_ROLE_STAFF;
    view_text(v, (rect_t){ m, y, cw, U(v, 110) }, staff ? T(ui, "Aanmelden als medewerker") : T(ui, "Aanmelden als vrijwilliger"),
              U(v, 64), true, S_TITLE, AL_LEFT);
    y += U(v, 130);
    int nav_top = v->h - m - bh;
    if (ui->login_pick < 0) {
        view_text(v, (rect_t){ m, y, cw, U(v, 70) }, T(ui, "Kies uw naam."), U(v, 44), false, S_BODY, AL_LEFT);
        y += U(v, 90);
        if (ui->n_users == 0)
            view_text(v, (rect_t){ m, y, cw, U(v, 200) },
                      T(ui, "Er is nog niemand ingesteld. Een beheerder kan dat doen met wijkloket-staff."), U(v, 42),
                      false, S_BODY, AL_LEFT);
        int cols = 2, bw = (cw - gap) / 2;
        for (int i = 0; i < ui->n_users; i++) {
            rect_t r = { m + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh };
            if (r.y + r.h > nav_top - gap) break;
            view_button(v, r, ui->users[i], S_OPTION, A_PICK, i);
        }
        layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, NULL, 0);
        return;
    }
    char line[160];
    ui_subst(line, sizeof line, T(ui, "%s, vul uw pincode in."), ui->users[ui->login_pick]);
    view_text(v, (rect_t){ m, y, cw, U(v, 70) }, line, U(v, 44), false, S_BODY, AL_LEFT);
    y += U(v, 90);
    /* Room for the message is kept when there is none, so the keypad never moves. */
    if (ui->msg.id) view_text(v, (rect_t){ m, y, cw, U(v, 110) }, ui_msg_text(ui, v), U(v, 42), true, S_ERROR, AL_LEFT);
    y += U(v, 120);
    char dots[64] = "";
    for (size_t i = 0; i < strlen(ui->pin) && i < 12; i++) strcat(dots, "\xE2\x80\xA2 "); /* U+2022 bullet */
    widget_t *f = view_add(v, W_FIELD, (rect_t){ m, y, cw, bh }, dots, S_FIELD);
    f->size = U(v, 60);
    y += bh + gap;
    int pw = cw < U(v, 900) ? cw : U(v, 900);
    int px = m + (cw - pw) / 2;
    int kh = (nav_top - gap - y - 3 * gap) / 4;
    if (kh > bh) kh = bh;
    int kw = (pw - 2 * gap) / 3;
    static const char *const K[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL };
    for (int i = 0; i < 12; i++) {
        rect_t r = { px + (i % 3) * (kw + gap), y + (i / 3) * (kh + gap), kw, kh };
        widget_t *k = NULL;
        if (i == 11) k = view_button(v, r, T(ui, "Wissen"), S_KEY, A_BKSP, 0);
        else if (K[i]) k = view_button(v, r, K[i], S_KEY, A_DIGIT, 0);
        if (!k) continue;
        k->size = i == 11 ? U(v, 40) : U(v, 60);
        k->fixed = true;
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, N_("Aanmelden"), A_OK);
}

static void try_login(ui_t *ui)
{
    wl_user_t user;
    wl_err_t err = { { 0 } };
    if (ui->login_pick < 0) return;
    wl_rc rc = wl_auth_verify(ui->store, ui->users[ui->login_pick], ui->pin, ui->login_role, ui_unix_now(ui), &user, &err);
    explicit_bzero(ui->pin, sizeof ui->pin);
    if (rc == WL_ERR_LOCKED) {
        ui_say(ui, N_("Te vaak een verkeerde pincode. Probeer het later opnieuw."));
        return;
    }
    if (rc != WL_OK) {
        if (rc != WL_ERR_AUTH) fprintf(stderr, "wijkloket: sign-in failed (%s): %s\n", wl_rc_name(rc), err.msg);
        ui_say(ui, N_("Deze pincode klopt niet. Probeer het opnieuw."));
        return;
    }
    fprintf(stderr, "wijkloket: %s signed in\n", wl_role_name(user.role));
    if (ui->login_role >= WL_ROLE_STAFF) {
        /* Staff take over the kiosk: whatever a citizen left is wiped first. */
        ui_session_wipe(ui);
        ui_staff_begin(ui, user.name);
    } else {
        snprintf(ui->volunteer, sizeof ui->volunteer, "%s", user.name);
        ui_go(ui, SCR_WELCOME);
    }
}

static void login_act(ui_t *ui, const widget_t *w)
{
    switch (w->action) {
    case A_PICK:
        if (w->arg >= 0 && w->arg < ui->n_users) ui->login_pick = w->arg;
        wl_msg_clear(&ui->msg);
        break;
    case A_DIGIT:
        if (strlen(ui->pin) < 12 && w->text[0] >= '0' && w->text[0] <= '9') {
            size_t l = strlen(ui->pin);
            ui->pin[l] = w->text[0];
            ui->pin[l + 1] = 0;
        }
        break;
    case A_BKSP: {
        size_t l = strlen(ui->pin);
        if (l) ui->pin[l - 1] = 0;
        break;
    }
    case A_OK: try_login(ui); break;
    case A_BACK:
        if (ui->login_pick >= 0) {
            ui->login_pick = -1;
            explicit_bzero(ui->pin, sizeof ui->pin);
            wl_msg_clear(&ui->msg);
        } else {
            ui_go(ui, ui->stop_return == SCR_LOGIN ? SCR_WELCOME : ui->stop_return);
        }
        break;
    }
}

static void login_input(ui_t *ui, const ui_event_t *ev)
{
    if (ui->login_pick < 0) return;
    if (ev->type == UI_EV_TEXT) {
        for (const char *p = ev->text; *p; p++)
            if (*p >= '0' && *p <= '9' && strlen(ui->pin) < 12) {
                size_t l = strlen(ui->pin);
                ui->pin[l] = *p;
                ui->pin[l + 1] = 0;
            }
    } else if (ev->key == UI_KEY_BACKSPACE) {
        size_t l = strlen(ui->pin);
        if (l) ui->pin[l - 1] = 0;
    } else if (ev->key == UI_KEY_RETURN) {
        try_login(ui);
    }
}

const screen_t SCREEN_LOGIN = { "login", login_build, login_act, login_input, false, NULL, NULL };
