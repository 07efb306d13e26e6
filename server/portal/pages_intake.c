/* The entreevragenlijst on the web: consent, one question per page, summary, submit, result. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_pages.h"
#include "wijkloket/journey.h"
#include "wijkloket/seal.h"

/* ---- helpers ---- */

/* A group page holds at most this many questions (the loader allows four). */
#define WL_GROUP_MAX_PAGE 8

static size_t section_of(const wl_questionnaire_t *q, size_t idx)
{
    for (size_t s = 0; s < q->n_sections; s++)
        if (idx >= q->sections[s].first && idx < q->sections[s].first + q->sections[s].count) return s;
    return 0;
}

/* The page a session should be on when it lands somewhere without a target. */
static void go_current(rq_t *r)
{
    session_t *s = r->s;
    if (s->submitted) return redirect(r, "/uitslag");
    if (!s->intake) return redirect(r, "/");
    size_t missing = SIZE_MAX;
    if (wl_intake_complete(s->intake, &missing) == WL_OK || missing == SIZE_MAX) return redirect(r, "/overzicht");
    char path[128];
    snprintf(path, sizeof path, "/vraag/%s", r->p->q->questions[missing].id);
    redirect(r, path);
}

static void go_question(rq_t *r, size_t idx)
{
    if (idx == SIZE_MAX) return redirect(r, "/overzicht");
    char path[128];
    snprintf(path, sizeof path, "/vraag/%s", r->p->q->questions[idx].id);
    redirect(r, path);
}

/* ---- consent ---- */

void pages_start(rq_t *r)
{
    if (r->s && (r->s->intake || r->s->submitted)) return go_current(r);
    if (!r->s) {
        r->s = session_create(r->p, r->req->now);
        if (!r->s)
            return page_message(r, 503, T(r, "Het is nu erg druk"),
                                T(r, "Probeer het over een paar minuten opnieuw. Uw gegevens zijn niet bewaard."), NULL, NULL);
    }
    const char *err = r->s->flash[0] ? r->s->flash : NULL;
    buf_t b = {0};
    page_begin(r, &b, T(r, "Vragen over werk en inkomen"), err != NULL);
    if (err) error_summary(r, &b, err, "toestemming");
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Vragen over werk en inkomen"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, T(r, "U hebt bijstand aangevraagd. Met ongeveer 30 vragen kijken wij welke hulp bij u past. Neem er 20 tot 30 minuten voor."));
    buf_puts(&b, "</p><ul class=\"utrecht-unordered-list wl-list\"><li>");
    buf_esc(&b, T(r, "Op elke pagina staat één vraag, of een paar korte ja-of-nee-vragen. U kunt altijd terug."));
    buf_puts(&b, "</li><li>");
    buf_esc(&b, T(r, "Wilt u stoppen? Dan krijgt u een code. Met die code gaat u later verder."));
    buf_puts(&b, "</li><li>");
    buf_esc(&b, T(r, "Aan het eind ziet u ons advies en een code. Bewaar die code."));
    buf_puts(&b, "</li></ul><h2 class=\"utrecht-heading-2\">");
    buf_esc(&b, T(r, "Wat doen wij met uw antwoorden?"));
    buf_puts(&b, "</h2><p class=\"utrecht-paragraph\">");
    buf_esc(&b, T(r, "Uw antwoorden worden op slot gezet. Alleen de medewerkers van Werk en Inkomen kunnen ze lezen. "
                     "Zij gebruiken ze om u te helpen. Wij bewaren ze niet langer dan nodig."));
    buf_puts(&b, "</p><form method=\"post\" action=\"/start\" novalidate>");
    csrf_field(r, &b);
    buf_printf(&b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset%s\"%s>"
                   "<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend wl-legend-small\">",
               err ? " utrecht-form-fieldset--invalid" : "", err ? " aria-describedby=\"e-toestemming\"" : "");
    buf_esc(&b, T(r, "Toestemming"));
    buf_puts(&b, "</legend>");
    if (err) {
        buf_puts(&b, "<p id=\"e-toestemming\" class=\"utrecht-form-field-error-message wl-error\">");
        buf_esc(&b, err);
        buf_puts(&b, "</p>");
    }
    buf_puts(&b, "<div class=\"wl-option\"><input class=\"utrecht-checkbox utrecht-checkbox--html-input\" type=\"checkbox\" "
                 "id=\"toestemming\" name=\"toestemming\" value=\"ja\"><label class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"toestemming\">");
    buf_esc(&b, T(r, "Ik heb dit gelezen. Ik wil de vragen invullen."));
    buf_puts(&b, "</label></div></fieldset><div class=\"utrecht-button-group wl-actions\">"
                 "<button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Beginnen"));
    buf_puts(&b, "</button></div></form><h2 class=\"utrecht-heading-2\">");
    buf_esc(&b, T(r, "Bent u al eerder begonnen?"));
    buf_puts(&b, "</h2><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/hervatten\">");
    buf_esc(&b, T(r, "Ga verder met uw code"));
    buf_puts(&b, "</a></p><h2 class=\"utrecht-heading-2\">");
    buf_esc(&b, T(r, "Geld voor mensen met een laag inkomen"));
    buf_puts(&b, "</h2><p class=\"utrecht-paragraph\">");
    buf_esc(&b, T(r, "Kijk in een paar minuten welke regelingen van de gemeente bij u kunnen passen."));
    buf_puts(&b, " <a class=\"utrecht-link\" href=\"/minima\">");
    buf_esc(&b, T(r, "Regelingen checken"));
    buf_puts(&b, "</a></p>");
    r->s->flash[0] = 0;
    page_end(r, &b);
    page_send(r, err ? 400 : 200, &b);
}

void pages_start_post(rq_t *r)
{
    session_t *s = r->s;
    if (s->intake || s->submitted) return go_current(r);
    const char *c = form_get(&r->form, "toestemming");
    if (!c || strcmp(c, "ja") != 0) {
        snprintf(s->flash, sizeof s->flash, "%s", T(r, "Zet een vinkje als u de vragen wilt invullen."));
        return pages_start(r);
    }
    char today[11];
    wl_date_today(r->req->now, today);
    s->intake = wl_intake_new(r->p->q, today);
    if (!s->intake)
        return page_message(r, 503, T(r, "Er ging iets mis"), T(r, "Probeer het over een paar minuten opnieuw."), "/",
                            T(r, "Naar de startpagina"));
    s->consent = true;
    s->started_at = r->req->now;
    go_question(r, wl_intake_next(s->intake, SIZE_MAX));
}

/* ---- one question ---- */

typedef enum { P_OK, P_EMPTY, P_BAD } posted_t;

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    return s;
}

/* Reads the posted answer to qq into *out (a new JSON value). P_BAD sets *msg (msgid). */
static posted_t read_posted(rq_t *r, const wl_question_t *qq, json_t **out, const char **msg)
{
    form_t *f = &r->form;
    *out = NULL;
    switch (qq->type) {
    case WL_Q_MULTIPLE: {
        json_t *arr = json_array();
        if (!arr) return P_BAD;
        for (size_t i = 0; i < f->n; i++)
            if (!strcmp(f->name[i], "a") && f->value[i][0]) json_array_append_new(arr, json_string(f->value[i]));
        if (json_array_size(arr) == 0) {
            json_decref(arr);
            return P_EMPTY;
        }
        *out = arr;
        return P_OK;
    }
    case WL_Q_DATE: {
        const char *d = form_get(f, "dag"), *m = form_get(f, "maand"), *y = form_get(f, "jaar");
        char dd[16] = "", mm[16] = "", yy[16] = "";
        snprintf(dd, sizeof dd, "%s", d ? d : "");
        snprintf(mm, sizeof mm, "%s", m ? m : "");
        snprintf(yy, sizeof yy, "%s", y ? y : "");
        char *td = trim(dd), *tm = trim(mm), *ty = trim(yy);
        if (!*td && !*tm && !*ty) return P_EMPTY;
        char *e1, *e2, *e3;
        long dv = strtol(td, &e1, 10), mv = strtol(tm, &e2, 10), yv = strtol(ty, &e3, 10);
        if (!*td || !*tm || !*ty || *e1 || *e2 || *e3 || dv < 1 || dv > 31 || mv < 1 || mv > 12 || yv < 1000 ||
            yv > 9999) {
            *msg = N_("Vul een echte datum in: dag, maand en jaar in cijfers. Bijvoorbeeld 14 3 1990.");
            return P_BAD;
        }
        char iso[16];
        snprintf(iso, sizeof iso, "%04ld-%02ld-%02ld", yv, mv, dv);
        *out = json_string(iso);
        return *out ? P_OK : P_BAD;
    }
    default: break;
    }
    const char *raw = form_get(f, "a");
    if (!raw) return P_EMPTY;
    char tmp[FORM_MAX_BYTES + 1];
    snprintf(tmp, sizeof tmp, "%s", raw);
    char *v = trim(tmp);
    posted_t rc = P_OK;
    if (!*v) {
        rc = P_EMPTY;
    } else if (qq->type == WL_Q_YESNO) {
        if (!strcmp(v, "ja")) *out = json_true();
        else if (!strcmp(v, "nee")) *out = json_false();
        else { *msg = N_("Kies Ja of Nee."); rc = P_BAD; }
    } else if (qq->type == WL_Q_NUMBER) {
        char num[64];
        size_t o = 0;
        int dots = 0;
        bool ok = strlen(v) < sizeof num;
        for (const char *c = v; ok && *c; c++) {
            if (*c == ' ') continue;
            char ch = *c == ',' ? '.' : *c;
            if (ch == '.') dots++;
            if (!(isdigit((unsigned char)ch) || ch == '.' || (ch == '-' && o == 0))) ok = false;
            num[o++] = ch;
        }
        num[o] = 0;
        char *end = NULL;
        double d = ok && o && dots <= 1 ? strtod(num, &end) : 0;
        if (!ok || !o || dots > 1 || !end || *end || !isfinite(d)) {
            *msg = N_("Vul een getal in, bijvoorbeeld 12.");
            rc = P_BAD;
        } else if (qq->integer && d == floor(d) && fabs(d) < 1e15) {
            *out = json_integer((json_int_t)d);
        } else {
            *out = json_real(d);
        }
    } else {
        *out = json_string(v); /* single choice and text: core checks option, format, length */
        if (!*out) rc = P_BAD;
    }
    explicit_bzero(tmp, sizeof tmp);
    return rc;
}

/* Is this option value the chosen one (from the post when re-showing an error, else the answer)? */
static bool chosen_in(rq_t *r, const char *field, const json_t *cur, bool sticky, const char *value)
{
    if (sticky) {
        for (size_t i = 0; i < r->form.n; i++)
            if (!strcmp(r->form.name[i], field) && !strcmp(r->form.value[i], value)) return true;
        return false;
    }
    if (json_is_string(cur)) return !strcmp(json_string_value(cur), value);
    if (json_is_array(cur)) {
        size_t i;
        json_t *e;
        json_array_foreach(cur, i, e) if (json_is_string(e) && !strcmp(json_string_value(e), value)) return true;
    }
    if (json_is_boolean(cur)) return !strcmp(value, json_is_true(cur) ? "ja" : "nee");
    return false;
}

static bool chosen(rq_t *r, const json_t *cur, bool sticky, const char *value)
{
    return chosen_in(r, "a", cur, sticky, value);
}

static void optional_mark(rq_t *r, buf_t *b, bool required)
{
    if (required) return;
    buf_puts(b, " <span class=\"wl-optional\">");
    buf_esc(b, T(r, "(niet verplicht)"));
    buf_puts(b, "</span>");
}

static void describedby(buf_t *b, const wl_question_t *qq, bool has_error)
{
    if (!qq->help && !has_error) return;
    buf_puts(b, " aria-describedby=\"");
    if (qq->help) buf_printf(b, "h-%s", qq->id);
    if (has_error) buf_printf(b, "%se-%s", qq->help ? " " : "", qq->id);
    buf_puts(b, "\"");
}

static void help_and_error(rq_t *r, buf_t *b, const wl_question_t *qq, const char *error)
{
    if (qq->help) {
        buf_printf(b, "<p id=\"h-%s\" class=\"utrecht-form-field-description wl-help\">", qq->id);
        buf_esc(b, T(r, qq->help));
        buf_puts(b, "</p>");
    }
    if (error) {
        buf_printf(b, "<p id=\"e-%s\" class=\"utrecht-form-field-error-message wl-error\">", qq->id);
        buf_esc(b, error);
        buf_puts(b, "</p>");
    }
}

/* Opens a question's fieldset: the question as its legend (the page's heading h1, or an h2 on
 * a page of several questions), the optional mark, help and the inline error. Choices and dates
 * share it; the caller closes </fieldset>. */
static void open_fieldset_h(rq_t *r, buf_t *b, const wl_question_t *qq, bool required, const char *error, int h)
{
    buf_printf(b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset%s\"",
               error ? " utrecht-form-fieldset--invalid" : "");
    describedby(b, qq, error != NULL);
    buf_printf(b, "><legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend\">"
                  "<h%d class=\"utrecht-heading-%d wl-question\">", h, h);
    buf_esc(b, T(r, qq->text));
    optional_mark(r, b, required);
    buf_printf(b, "</h%d></legend>", h);
    help_and_error(r, b, qq, error);
}

static void open_fieldset(rq_t *r, buf_t *b, const wl_question_t *qq, bool required, const char *error)
{
    open_fieldset_h(r, b, qq, required, error, 1);
}

static void render_choices(rq_t *r, buf_t *b, const wl_question_t *qq, const json_t *cur, bool sticky, bool required,
                           const char *error)
{
    bool multi = qq->type == WL_Q_MULTIPLE;
    open_fieldset(r, b, qq, required, error);
    if (multi) {
        buf_puts(b, "<p class=\"utrecht-paragraph wl-hint\">");
        buf_esc(b, T(r, "Kies alles wat past."));
        buf_puts(b, "</p>");
    }
    buf_puts(b, "<div class=\"wl-options\">");
    static const char *yn_val[2] = {"ja", "nee"};
    static const char *yn_txt[2] = {N_("Ja"), N_("Nee")};
    size_t n = qq->type == WL_Q_YESNO ? 2 : qq->n_options;
    for (size_t i = 0; i < n; i++) {
        const char *val = qq->type == WL_Q_YESNO ? yn_val[i] : qq->options[i].value;
        const char *txt = qq->type == WL_Q_YESNO ? yn_txt[i] : qq->options[i].text;
        char id[96];
        if (i == 0) snprintf(id, sizeof id, "f-%s", qq->id);
        else snprintf(id, sizeof id, "f-%s-%zu", qq->id, i);
        buf_printf(b, "<div class=\"wl-option\"><input class=\"%s\" type=\"%s\" id=\"%s\" name=\"a\" value=\"",
                   multi ? "utrecht-checkbox utrecht-checkbox--html-input" : "utrecht-radio-button utrecht-radio-button--html-input",
                   multi ? "checkbox" : "radio", id);
        buf_esc(b, val);
        buf_puts(b, "\"");
        if (chosen(r, cur, sticky, val)) buf_puts(b, " checked");
        buf_printf(b, "><label class=\"utrecht-form-label utrecht-form-label--%s\" for=\"%s\">", multi ? "checkbox" : "radio", id);
        buf_esc(b, T(r, txt));
        buf_puts(b, "</label></div>");
    }
    buf_puts(b, "</div></fieldset>");
}

static void render_date(rq_t *r, buf_t *b, const wl_question_t *qq, const json_t *cur, bool sticky, bool required,
                        const char *error)
{
    int y = 0, m = 0, d = 0;
    char ys[16] = "", ms[16] = "", ds[16] = "";
    if (sticky) {
        const char *v;
        if ((v = form_get(&r->form, "dag"))) snprintf(ds, sizeof ds, "%s", v);
        if ((v = form_get(&r->form, "maand"))) snprintf(ms, sizeof ms, "%s", v);
        if ((v = form_get(&r->form, "jaar"))) snprintf(ys, sizeof ys, "%s", v);
    } else if (json_is_string(cur) && wl_date_parse(json_string_value(cur), &y, &m, &d)) {
        snprintf(ds, sizeof ds, "%d", d);
        snprintf(ms, sizeof ms, "%d", m);
        snprintf(ys, sizeof ys, "%d", y);
    }
    open_fieldset(r, b, qq, required, error);
    buf_puts(b, "<p class=\"utrecht-paragraph wl-hint\">");
    buf_esc(b, T(r, "Bijvoorbeeld: 14 3 1990"));
    buf_puts(b, "</p><div class=\"wl-date\">");
    const struct { const char *name, *label, *suffix, *val, *ac; int size; } parts[3] = {
        {"dag", N_("Dag"), "", ds, "bday-day", 2}, {"maand", N_("Maand"), "-m", ms, "bday-month", 2},
        {"jaar", N_("Jaar"), "-j", ys, "bday-year", 4}};
    bool birth = strstr(qq->id, "geboorte") != NULL;
    for (int i = 0; i < 3; i++) {
        buf_printf(b, "<div class=\"wl-date__part wl-date__part--%s\"><label class=\"utrecht-form-label\" for=\"f-%s%s\">",
                   parts[i].name, qq->id, parts[i].suffix);
        buf_esc(b, T(r, parts[i].label));
        buf_printf(b, "</label><input class=\"utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric%s\" "
                      "type=\"text\" inputmode=\"numeric\" id=\"f-%s%s\" name=\"%s\" maxlength=\"%d\"%s%s%s value=\"",
                   error ? " utrecht-textbox--invalid" : "", qq->id, parts[i].suffix, parts[i].name, parts[i].size,
                   birth ? " autocomplete=\"" : "", birth ? parts[i].ac : "", birth ? "\"" : "");
        buf_esc(b, parts[i].val);
        buf_printf(b, "\"%s></div>", error ? " aria-invalid=\"true\"" : "");
    }
    buf_puts(b, "</div></fieldset>");
}

static void render_input(rq_t *r, buf_t *b, const wl_question_t *qq, const json_t *cur, bool sticky, bool required,
                         const char *error)
{
    char val[256] = "";
    if (sticky) {
        const char *v = form_get(&r->form, "a");
        snprintf(val, sizeof val, "%s", v ? v : "");
    } else if (json_is_string(cur)) {
        snprintf(val, sizeof val, "%s", json_string_value(cur));
    } else if (json_is_integer(cur)) {
        snprintf(val, sizeof val, "%lld", (long long)json_integer_value(cur));
    } else if (json_is_real(cur)) {
        snprintf(val, sizeof val, "%g", json_real_value(cur));
    }
    buf_printf(b, "<div class=\"utrecht-form-field%s\"><h1 class=\"utrecht-heading-1 wl-question\"><label class=\"utrecht-form-label wl-question-label\" for=\"f-%s\">",
               error ? " utrecht-form-field--invalid" : "", qq->id);
    buf_esc(b, T(r, qq->text));
    optional_mark(r, b, required);
    buf_puts(b, "</label></h1>");
    help_and_error(r, b, qq, error);
    const char *type = "text", *extra = "", *ac = "";
    if (qq->type == WL_Q_NUMBER) extra = " inputmode=\"decimal\"";
    else if (qq->format == WL_TEXT_EMAIL) { type = "email"; ac = "email"; }
    else if (qq->format == WL_TEXT_PHONE) { type = "tel"; ac = "tel"; }
    else if (qq->format == WL_TEXT_BSN) extra = " inputmode=\"numeric\"";
    else if (!strcmp(qq->id, "naam")) ac = "name";
    buf_printf(b, "<div class=\"wl-input-row\"><input class=\"utrecht-textbox utrecht-textbox--html-input%s%s\" type=\"%s\" id=\"f-%s\" name=\"a\"%s",
               qq->type == WL_Q_NUMBER ? " utrecht-textbox--numeric wl-short" : "", error ? " utrecht-textbox--invalid" : "",
               type, qq->id, extra);
    if (*ac) buf_printf(b, " autocomplete=\"%s\"", ac);
    else buf_puts(b, " autocomplete=\"off\"");
    if (qq->type == WL_Q_TEXT) buf_printf(b, " maxlength=\"%zu\"", qq->max_length ? qq->max_length : 200);
    if (error) buf_puts(b, " aria-invalid=\"true\"");
    describedby(b, qq, error != NULL);
    if (required) buf_puts(b, " aria-required=\"true\"");
    buf_puts(b, " value=\"");
    buf_esc(b, val);
    buf_puts(b, "\">");
    if (qq->unit) {
        buf_puts(b, "<span class=\"wl-unit\">");
        buf_esc(b, T(r, qq->unit));
        buf_puts(b, "</span>");
    }
    buf_puts(b, "</div></div>");
    explicit_bzero(val, sizeof val);
}

/* ---- several yes/no questions on one page (a "group" in the questionnaire) ---- */

/* Each question its own fieldset with an h2 legend and radios named "a-<id>"; a required one
 * left open carries its own error (missing[k] for the k-th question of the group). */
static void render_group(rq_t *r, buf_t *b, size_t idx, bool sticky, const bool *missing, const char *error)
{
    const wl_questionnaire_t *q = r->p->q;
    buf_puts(b, "<h1 class=\"utrecht-heading-1 wl-question\">");
    buf_esc(b, T(r, "Kies bij elke vraag Ja of Nee."));
    buf_puts(b, "</h1>");
    static const char *yn_val[2] = {"ja", "nee"};
    static const char *yn_txt[2] = {N_("Ja"), N_("Nee")};
    for (size_t i = idx; i <= wl_intake_screen_end(r->s->intake, idx); i++) {
        if (!wl_intake_relevant(r->s->intake, i)) continue;
        const wl_question_t *qq = &q->questions[i];
        const char *err = missing[i - idx] ? error : NULL;
        open_fieldset_h(r, b, qq, wl_intake_required(r->s->intake, i), err, 2);
        char field[96];
        snprintf(field, sizeof field, "a-%s", qq->id);
        buf_puts(b, "<div class=\"wl-options\">");
        for (int k = 0; k < 2; k++) {
            char id[112];
            if (k == 0) snprintf(id, sizeof id, "f-%s", qq->id);
            else snprintf(id, sizeof id, "f-%s-1", qq->id);
            buf_printf(b, "<div class=\"wl-option\"><input class=\"utrecht-radio-button utrecht-radio-button--html-input\" "
                          "type=\"radio\" id=\"%s\" name=\"%s\" value=\"%s\"", id, field, yn_val[k]);
            if (chosen_in(r, field, wl_intake_get(r->s->intake, qq->id), sticky, yn_val[k])) buf_puts(b, " checked");
            buf_printf(b, "><label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"%s\">", id);
            buf_esc(b, T(r, yn_txt[k]));
            buf_puts(b, "</label></div>");
        }
        buf_puts(b, "</div></fieldset>");
    }
}

static void render_question_g(rq_t *r, size_t idx, const char *error, const bool *missing);

static void render_question(rq_t *r, size_t idx, const char *error)
{
    render_question_g(r, idx, error, NULL);
}

static void render_question_g(rq_t *r, size_t idx, const char *error, const bool *missing)
{
    session_t *s = r->s;
    const wl_questionnaire_t *q = r->p->q;
    const wl_question_t *qq = &q->questions[idx];
    bool sticky = error != NULL && r->form.n > 0;
    const json_t *cur = wl_intake_get(s->intake, qq->id);
    bool required = wl_intake_required(s->intake, idx);
    size_t sec = section_of(q, idx);
    size_t answered = 0, total = 0;
    wl_intake_section_progress(s->intake, sec, &answered, &total);

    buf_t b = {0};
    page_begin(r, &b, T(r, missing ? "Kies bij elke vraag Ja of Nee." : qq->text), error != NULL);
    char line[256], a1[24], a2[24];
    buf_puts(&b, "<div class=\"wl-progress\"><p class=\"utrecht-paragraph wl-progress__section\">");
    snprintf(a1, sizeof a1, "%zu", sec + 1);
    snprintf(a2, sizeof a2, "%zu", q->n_sections);
    subst(line, sizeof line, T(r, "Deel %s van %s"), a1, a2);
    buf_esc(&b, line);
    buf_puts(&b, ": <strong>");
    buf_esc(&b, T(r, q->sections[sec].title));
    buf_puts(&b, "</strong></p>");
    unsigned pct = (unsigned)(20 * sec / (q->n_sections ? q->n_sections : 1)) * 5;
    buf_printf(&b, "<div class=\"wl-bar\" aria-hidden=\"true\"><div class=\"wl-bar__fill wl-w-%u\"></div></div>", pct);
    snprintf(a1, sizeof a1, "%zu", answered);
    snprintf(a2, sizeof a2, "%zu", total);
    subst(line, sizeof line, T(r, "U hebt %s van de %s vragen in dit deel beantwoord."), a1, a2);
    buf_puts(&b, "<p class=\"utrecht-paragraph wl-progress__count\">");
    buf_esc(&b, line);
    buf_puts(&b, "</p></div>");
    char anchor[96];
    snprintf(anchor, sizeof anchor, "f-%s", qq->id);
    /* On a page of several questions the summary links to the first one left open. */
    for (size_t k = 0; missing && k < qq->group_count; k++)
        if (missing[k]) {
            snprintf(anchor, sizeof anchor, "f-%s", q->questions[idx + k].id);
            break;
        }
    if (error) error_summary(r, &b, error, anchor);
    if (q->sections[sec].intro && wl_intake_prev(s->intake, idx) < q->sections[sec].first) {
        buf_puts(&b, "<p class=\"utrecht-paragraph wl-intro\">");
        buf_esc(&b, T(r, q->sections[sec].intro));
        buf_puts(&b, "</p>");
    }
    buf_printf(&b, "<form method=\"post\" action=\"/vraag/%s\" novalidate>", qq->id);
    csrf_field(r, &b);
    if (missing) render_group(r, &b, idx, sticky, missing, error);
    else switch (qq->type) {
    case WL_Q_SINGLE:
    case WL_Q_MULTIPLE:
    case WL_Q_YESNO: render_choices(r, &b, qq, cur, sticky, required, error); break;
    case WL_Q_DATE: render_date(r, &b, qq, cur, sticky, required, error); break;
    default: render_input(r, &b, qq, cur, sticky, required, error); break;
    }
    /* Volgende first in the markup: Enter in a text field presses the first button. */
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" "
                 "type=\"submit\" name=\"actie\" value=\"volgende\">");
    buf_esc(&b, T(r, s->back_to_summary ? "Opslaan en terug naar het overzicht" : "Volgende"));
    buf_puts(&b, "</button><button class=\"utrecht-button utrecht-button--secondary-action\" type=\"submit\" name=\"actie\" value=\"terug\">");
    buf_esc(&b, T(r, "Terug"));
    buf_puts(&b, "</button></div></form>");
    page_end(r, &b);
    page_send(r, error ? 400 : 200, &b);
}

static bool find_question(rq_t *r, const char *qid, size_t *idx)
{
    return qid && wl_questionnaire_find(r->p->q, qid, idx) != NULL;
}

void pages_question(rq_t *r, const char *qid)
{
    session_t *s = r->s;
    if (!s->intake) return go_current(r);
    size_t idx;
    if (!find_question(r, qid, &idx))
        return page_message(r, 404, T(r, "Deze pagina bestaat niet"), T(r, "Ga verder met de vragen."), "/",
                            T(r, "Verder met de vragen"));
    if (r->req->query && !strcmp(r->req->query, "van=overzicht")) s->back_to_summary = true;
    if (!wl_intake_relevant(s->intake, idx)) return go_question(r, wl_intake_next(s->intake, idx));
    char flash[sizeof s->flash];
    snprintf(flash, sizeof flash, "%s", s->flash);
    s->flash[0] = 0;
    idx = wl_intake_screen_start(s->intake, idx);
    snprintf(s->at, sizeof s->at, "%s", r->p->q->questions[idx].id);
    if (r->p->q->questions[idx].group_count > 1) {
        bool none[WL_GROUP_MAX_PAGE] = {false};
        return render_question_g(r, idx, flash[0] ? flash : NULL, none);
    }
    render_question(r, idx, flash[0] ? flash : NULL);
}

/* A page of several yes/no questions posted: every answer is read first, and only when none
 * is missing or unreadable are they all set (one page, one step: nothing half saved). */
static void group_post(rq_t *r, size_t idx)
{
    session_t *s = r->s;
    const wl_questionnaire_t *q = r->p->q;
    bool missing[WL_GROUP_MAX_PAGE] = {false}, any = false;
    json_t *val[WL_GROUP_MAX_PAGE] = {NULL};
    size_t last = wl_intake_screen_end(r->s->intake, idx);
    if (last - idx >= WL_GROUP_MAX_PAGE) last = idx + WL_GROUP_MAX_PAGE - 1;
    for (size_t i = idx; i <= last; i++) {
        if (!wl_intake_relevant(s->intake, i)) continue;
        char field[96];
        snprintf(field, sizeof field, "a-%s", q->questions[i].id);
        const char *v = form_get(&r->form, field);
        if (v && !strcmp(v, "ja")) val[i - idx] = json_true();
        else if (v && !strcmp(v, "nee")) val[i - idx] = json_false();
        else if ((v && *v) || wl_intake_required(s->intake, i)) missing[i - idx] = any = true;
    }
    if (any) {
        for (size_t k = 0; k < WL_GROUP_MAX_PAGE; k++) json_decref(val[k]);
        return render_question_g(r, idx, T(r, "Kies bij elke vraag Ja of Nee. Dan kunt u verder."), missing);
    }
    for (size_t i = idx; i <= last; i++) {
        if (!wl_intake_relevant(s->intake, i)) continue;
        wl_err_t err = {{0}};
        if (val[i - idx]) wl_intake_set(s->intake, q->questions[i].id, val[i - idx], &err);
        else wl_intake_clear(s->intake, q->questions[i].id);
        json_decref(val[i - idx]);
    }
    if (s->back_to_summary) {
        s->back_to_summary = false;
        size_t miss = SIZE_MAX;
        if (wl_intake_complete(s->intake, &miss) != WL_OK && miss != SIZE_MAX) return go_question(r, miss);
        return redirect(r, "/overzicht");
    }
    go_question(r, wl_intake_next(s->intake, wl_intake_screen_end(r->s->intake, idx)));
}

void pages_question_post(rq_t *r, const char *qid)
{
    session_t *s = r->s;
    if (!s->intake) return go_current(r);
    size_t idx;
    if (!find_question(r, qid, &idx))
        return page_message(r, 404, T(r, "Deze pagina bestaat niet"), T(r, "Ga verder met de vragen."), "/",
                            T(r, "Verder met de vragen"));
    /* A form replayed for a question that no longer applies: go on where the answers lead. */
    if (!wl_intake_relevant(s->intake, idx)) return go_question(r, wl_intake_next(s->intake, idx));
    idx = wl_intake_screen_start(s->intake, idx);
    const char *act = form_get(&r->form, "actie");
    if (act && !strcmp(act, "terug")) {
        if (s->back_to_summary) {
            s->back_to_summary = false;
            return redirect(r, "/overzicht");
        }
        size_t prev = wl_intake_prev(s->intake, idx);
        return prev == SIZE_MAX ? redirect(r, "/") : go_question(r, prev);
    }
    const wl_question_t *qq = &r->p->q->questions[idx];
    if (qq->group_count > 1) return group_post(r, idx);
    json_t *v = NULL;
    const char *msg = NULL;
    posted_t pr = read_posted(r, qq, &v, &msg);
    if (pr == P_BAD) return render_question(r, idx, T(r, msg ? msg : N_("Dit antwoord kunnen wij niet lezen.")));
    if (pr == P_EMPTY) {
        if (wl_intake_required(s->intake, idx)) {
            bool choice = qq->type == WL_Q_SINGLE || qq->type == WL_Q_MULTIPLE || qq->type == WL_Q_YESNO;
            return render_question(r, idx, T(r, choice ? "Kies een antwoord." : "Deze vraag moet u nog beantwoorden."));
        }
        wl_intake_clear(s->intake, qq->id);
    } else {
        wl_err_t err = {{0}};
        wl_rc rc = wl_intake_set(s->intake, qq->id, v, &err);
        json_decref(v);
        if (rc == WL_ERR_INVALID) {
            /* The same B1 message as the kiosk shows, from core's validation. */
            char m[sizeof err.msg];
            snprintf(m, sizeof m, "%s", T(r, err.msg));
            explicit_bzero(&err, sizeof err);
            return render_question(r, idx, m);
        }
        explicit_bzero(&err, sizeof err);
        if (rc != WL_OK) return go_question(r, wl_intake_next(s->intake, idx));
    }
    if (s->back_to_summary) {
        s->back_to_summary = false;
        /* A changed answer can make a new question apply: ask it before the summary. */
        size_t missing = SIZE_MAX;
        if (wl_intake_complete(s->intake, &missing) != WL_OK && missing != SIZE_MAX) return go_question(r, missing);
        return redirect(r, "/overzicht");
    }
    go_question(r, wl_intake_next(s->intake, idx));
}

/* ---- summary ---- */

void answer_text(rq_t *r, size_t i, buf_t *b)
{
    char text[600];
    if (wl_journey_answer_text(r->p->q, r->s->intake, i, r->p->i18n[r->lang], text, sizeof text)) {
        buf_esc(b, text);
        return;
    }
    buf_puts(b, "<span class=\"wl-muted\">");
    buf_esc(b, T(r, "Niet ingevuld"));
    buf_puts(b, "</span>");
}

void pages_summary(rq_t *r)
{
    session_t *s = r->s;
    if (!s->intake) return go_current(r);
    s->back_to_summary = false;
    const wl_questionnaire_t *q = r->p->q;
    char flash[sizeof s->flash];
    snprintf(flash, sizeof flash, "%s", s->flash);
    s->flash[0] = 0;
    buf_t b = {0};
    page_begin(r, &b, T(r, "Kloppen uw antwoorden?"), flash[0] != 0);
    if (flash[0]) error_summary(r, &b, flash, NULL);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Kloppen uw antwoorden?"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, T(r, "Kijk uw antwoorden na. Klik op Wijzigen als iets niet klopt."));
    buf_puts(&b, "</p>");
    for (size_t sec = 0; sec < q->n_sections; sec++) {
        const wl_section_t *S = &q->sections[sec];
        bool any = false;
        for (size_t i = S->first; i < S->first + S->count; i++)
            if (wl_intake_relevant(s->intake, i)) any = true;
        if (!any) continue;
        buf_puts(&b, "<section class=\"wl-summary\"><h2 class=\"utrecht-heading-2\">");
        buf_esc(&b, T(r, S->title));
        buf_puts(&b, "</h2><dl class=\"wl-summary__list\">");
        for (size_t i = S->first; i < S->first + S->count; i++) {
            if (!wl_intake_relevant(s->intake, i)) continue;
            const wl_question_t *qq = &q->questions[i];
            buf_puts(&b, "<div class=\"wl-summary__row\"><dt class=\"wl-summary__q\">");
            buf_esc(&b, T(r, qq->text));
            buf_puts(&b, "</dt><dd class=\"wl-summary__a\">");
            answer_text(r, i, &b);
            buf_printf(&b, "</dd><dd class=\"wl-summary__change\"><a class=\"utrecht-link\" href=\"/vraag/%s?van=overzicht\">", qq->id);
            buf_esc(&b, T(r, "Wijzigen"));
            buf_puts(&b, "<span class=\"wl-visually-hidden\">: ");
            buf_esc(&b, T(r, qq->text));
            buf_puts(&b, "</span></a></dd></div>");
        }
        buf_puts(&b, "</dl></section>");
    }
    buf_puts(&b, "<form method=\"post\" action=\"/versturen\">");
    csrf_field(r, &b);
    buf_puts(&b, "<p class=\"utrecht-paragraph\">");
    buf_esc(&b, T(r, "Als u op Versturen klikt, gaan uw antwoorden op slot naar de gemeente."));
    buf_puts(&b, "</p><div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Versturen"));
    buf_puts(&b, "</button></div></form>");
    page_end(r, &b);
    page_send(r, flash[0] ? 400 : 200, &b);
}

/* The journey's clock is the request's (tests fix it there). */
static int64_t request_now(void *ctx)
{
    return ((rq_t *)ctx)->req->now;
}

void pages_submit(rq_t *r)
{
    session_t *s = r->s;
    /* A second press (or a replayed form) after the answers went: show what was saved. */
    if (s->submitted || !s->intake) return go_current(r);
    wl_portal_t *p = r->p;
    size_t missing = SIZE_MAX;
    if (wl_intake_complete(s->intake, &missing) != WL_OK && missing != SIZE_MAX) {
        snprintf(s->flash, sizeof s->flash, "%s", T(r, "Deze vraag moet u nog beantwoorden."));
        return go_question(r, missing);
    }
    wl_err_t err = {{0}};
    int64_t now = r->req->now;
    /* Core's journey does the rest: merge, classify, reference code (a clash retried), the
     * record with channel "portal", stored through the portal's backend. */
    wl_env_t env = {.now = request_now, .ctx = r};
    wl_journey_deps_t deps = {.q = p->q, .rules = p->rules, .env = &env, .save = p->cfg.backend.save_intake,
                              .save_ctx = p->cfg.backend.ctx};
    wl_journey_start_t how = {WL_CHANNEL_PORTAL, p->location, "portal", p->langs[r->lang], NULL};
    wl_journey_t *j = NULL;
    /* The minima check may reuse what these answers tell (the age), as the kiosk does. */
    char today[11];
    wl_date_today(now, today);
    wl_minima_wizard_known(p->wizard, s->intake, today, &s->known);
    s->have_known = s->known.n_known > 0;
    wl_rc rc = wl_journey_adopt(&deps, &how, s->started_at, s->intake, &j, &err);
    if (rc == WL_OK) {
        s->intake = NULL; /* the journey holds the answers now */
        rc = wl_journey_submit(j, NULL, NULL, &err);
        if (rc == WL_OK) {
            snprintf(s->ref, sizeof s->ref, "%s", wl_journey_ref(j));
            s->result = json_incref((json_t *)wl_journey_result(j));
            s->submitted = true;
            s->submitted_at = now;
            draft_forget(r); /* stored and sealed: the journey wiped the clear answers */
        } else {
            s->intake = wl_journey_release(j); /* kept for another try */
        }
        wl_journey_free(j);
    }
    if (rc != WL_OK) /* the reason is for the log; never a citizen's data (core's messages name no answers) */
        fprintf(stderr, "wijkloket-portal: saving an intake failed (%s)\n", wl_rc_name(rc));
    explicit_bzero(&err, sizeof err);
    if (rc != WL_OK)
        return page_message(r, 503, T(r, "Versturen lukte niet"),
                            T(r, "Uw antwoorden zijn nog niet bewaard. Probeer het over een paar minuten opnieuw. Uw antwoorden blijven staan."),
                            "/overzicht", T(r, "Terug naar het overzicht"));
    redirect(r, "/uitslag");
}

/* ---- result and proof ---- */

static void result_body(rq_t *r, buf_t *b, bool proof)
{
    session_t *s = r->s;
    const char *route = json_string_value(json_object_get(s->result, "route"));
    const char *regie = json_string_value(json_object_get(s->result, "regie"));
    buf_puts(b, "<div class=\"wl-refbox\"><p class=\"utrecht-paragraph wl-refbox__label\">");
    buf_esc(b, T(r, "Uw code"));
    buf_puts(b, "</p><p class=\"wl-refbox__code\">");
    buf_esc(b, s->ref);
    buf_puts(b, "</p><p class=\"utrecht-paragraph\">");
    buf_esc(b, T(r, "Noem deze code als u belt of langskomt."));
    buf_puts(b, "</p>");
    if (proof) {
        time_t t = (time_t)s->submitted_at;
        struct tm tm;
        localtime_r(&t, &tm);
        char when[64], line[160];
        strftime(when, sizeof when, "%d-%m-%Y %H:%M", &tm);
        subst(line, sizeof line, T(r, "Verstuurd op %s."), when, NULL);
        buf_puts(b, "<p class=\"utrecht-paragraph\">");
        buf_esc(b, line);
        buf_puts(b, "</p>");
    }
    buf_puts(b, "</div><h2 class=\"utrecht-heading-2\">");
    buf_esc(b, T(r, "Wat gebeurt er nu?"));
    buf_puts(b, "</h2><p class=\"utrecht-paragraph\">");
    buf_esc(b, T(r, wl_journey_route_text(route)));
    buf_puts(b, "</p>");
    const char *rt = wl_journey_regie_text(regie);
    if (rt) {
        buf_puts(b, "<p class=\"utrecht-paragraph\">");
        buf_esc(b, T(r, rt));
        buf_puts(b, "</p>");
    }
    json_t *sig = json_object_get(s->result, "signals");
    if (json_array_size(sig)) {
        buf_puts(b, "<h2 class=\"utrecht-heading-2\">");
        buf_esc(b, T(r, "Waar wij ook naar kijken"));
        buf_puts(b, "</h2><ul class=\"utrecht-unordered-list wl-list\">");
        for (int pass = 0; pass < 2; pass++) {
            size_t i;
            json_t *e;
            json_array_foreach(sig, i, e) {
                bool urgent = json_is_true(json_object_get(e, "urgent"));
                const char *txt = json_string_value(json_object_get(e, "text"));
                if (!txt || urgent != (pass == 0)) continue;
                buf_printf(b, "<li%s>", urgent ? " class=\"wl-urgent\"" : "");
                buf_esc(b, T(r, txt));
                buf_puts(b, "</li>");
            }
        }
        buf_puts(b, "</ul>");
    }
    /* The reasons in plain words, as the rules give them, each once: the few that mattered
     * most as core picks them ("reasons"), or else the whole trace (older results). */
    json_t *trace = json_object_get(s->result, "reasons");
    if (!json_array_size(trace)) trace = json_object_get(s->result, "trace");
    if (json_array_size(trace)) {
        buf_puts(b, "<h2 class=\"utrecht-heading-2\">");
        buf_esc(b, T(r, "Waarom dit advies?"));
        buf_puts(b, "</h2><ul class=\"utrecht-unordered-list wl-list\">");
        size_t i, shown = 0;
        json_t *e;
        json_array_foreach(trace, i, e) {
            const char *why = json_string_value(json_object_get(e, "reason"));
            if (!why) why = json_string_value(json_object_get(e, "text")); /* a "reasons" entry */
            if (!why || !*why || shown >= 8) continue;
            bool dup = false;
            for (size_t k = 0; k < i && !dup; k++) {
                const json_t *e2 = json_array_get(trace, k);
                const char *w2 = json_string_value(json_object_get(e2, "reason"));
                if (!w2) w2 = json_string_value(json_object_get(e2, "text"));
                if (w2 && !strcmp(w2, why)) dup = true;
            }
            if (dup) continue;
            buf_puts(b, "<li>");
            buf_esc(b, T(r, why));
            buf_puts(b, "</li>");
            shown++;
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "<p class=\"utrecht-paragraph wl-muted\">");
    buf_esc(b, T(r, "Dit is een advies. Een medewerker kijkt naar uw antwoorden en beslist samen met u."));
    buf_puts(b, "</p>");
}

void pages_result(rq_t *r, bool proof)
{
    session_t *s = r->s;
    if (!s->submitted) return go_current(r);
    buf_t b = {0};
    const char *title = proof ? T(r, "Bewijs van verzending") : T(r, "Dank u wel. Uw antwoorden zijn bewaard.");
    page_begin(r, &b, title, false);
    if (!proof) buf_puts(&b, "<div class=\"utrecht-alert utrecht-alert--ok wl-ok\" role=\"status\">");
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, title);
    buf_puts(&b, "</h1>");
    if (!proof) buf_puts(&b, "</div>");
    result_body(r, &b, proof);
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions wl-noprint\">");
    if (proof) {
        buf_puts(&b, "<p class=\"utrecht-paragraph\">");
        buf_esc(&b, T(r, "Wilt u dit bewaren? Kies in uw browser Afdrukken. Daar kunt u ook Opslaan als PDF kiezen."));
        buf_puts(&b, "</p><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/uitslag\">");
        buf_esc(&b, T(r, "Terug"));
        buf_puts(&b, "</a>");
    } else {
        buf_puts(&b, "<a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action\" href=\"/afspraak\">");
        buf_esc(&b, T(r, "Afspraak maken"));
        buf_puts(&b, "</a><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/bewijs\">");
        buf_esc(&b, T(r, "Bewijs bekijken en printen"));
        buf_puts(&b, "</a>");
    }
    buf_puts(&b, "</div>");
    if (!proof) {
        /* As on the kiosk's result screen: the minima check, with what the answers told filled in. */
        buf_puts(&b, "<p class=\"utrecht-paragraph wl-noprint\">");
        buf_esc(&b, T(r, "Kijk in een paar minuten welke regelingen van de gemeente bij u kunnen passen."));
        buf_puts(&b, " <a class=\"utrecht-link\" href=\"/minima\">");
        buf_esc(&b, T(r, "Regelingen checken"));
        buf_puts(&b, "</a></p>");
    }
    page_end(r, &b);
    page_send(r, 200, &b);
}
