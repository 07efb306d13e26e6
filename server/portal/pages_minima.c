/* The minimaregelingen check on the web: a few household questions, then every scheme with its
 * status and reasons from core's minima module. Anonymous: nothing about the household is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_pages.h"
#include "wijkloket/minima.h"

#define MAX_KIDS 10

static void ensure_session(rq_t *r)
{
    if (!r->s) r->s = session_create(r->p, r->req->now);
}

/* A whole number from a form field: false when it is not one or outside lo..hi. */
static bool number(const char *v, long lo, long hi, long *out)
{
    if (!v) return false;
    while (*v == ' ') v++;
    char *end;
    long n = strtol(v, &end, 10);
    while (*end == ' ') end++;
    if (end == v || *end || n < lo || n > hi) return false;
    *out = n;
    return true;
}

static void field(rq_t *r, buf_t *b, const char *id, const char *label, bool optional, const char *hint,
                  const char *value, const char *err, const char *unit)
{
    buf_printf(b, "<div class=\"utrecht-form-field wl-field%s\"><label class=\"utrecht-form-label wl-field__label\" for=\"%s\">",
               err ? " utrecht-form-field--invalid" : "", id);
    buf_esc(b, T(r, label));
    if (optional) {
        buf_puts(b, " <span class=\"wl-optional\">");
        buf_esc(b, T(r, "(niet verplicht)"));
        buf_puts(b, "</span>");
    }
    buf_puts(b, "</label>");
    if (hint) {
        buf_printf(b, "<p id=\"h-%s\" class=\"utrecht-form-field-description wl-help\">", id);
        buf_esc(b, T(r, hint));
        buf_puts(b, "</p>");
    }
    if (err) {
        buf_printf(b, "<p id=\"e-%s\" class=\"utrecht-form-field-error-message wl-error\">", id);
        buf_esc(b, err);
        buf_puts(b, "</p>");
    }
    buf_printf(b, "<div class=\"wl-input-row\"><input class=\"utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric wl-short%s\" "
                  "type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" id=\"%s\" name=\"%s\"",
               err ? " utrecht-textbox--invalid" : "", id, id);
    if (hint || err)
        buf_printf(b, " aria-describedby=\"%s%s%s%s%s\"", hint ? "h-" : "", hint ? id : "", hint && err ? " " : "",
                   err ? "e-" : "", err ? id : "");
    if (err) buf_puts(b, " aria-invalid=\"true\"");
    buf_puts(b, " value=\"");
    buf_esc(b, value ? value : "");
    buf_puts(b, "\">");
    if (unit) {
        buf_puts(b, "<span class=\"wl-unit\">");
        buf_esc(b, T(r, unit));
        buf_puts(b, "</span>");
    }
    buf_puts(b, "</div></div>");
}

static void radios(rq_t *r, buf_t *b, const char *name, const char *legend, const char *const *vals,
                   const char *const *labels, int n, const char *chosen, const char *err)
{
    buf_printf(b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset wl-field%s\"%s%s%s>"
                  "<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend wl-legend-small\">",
               err ? " utrecht-form-fieldset--invalid" : "", err ? " aria-describedby=\"e-" : "", err ? name : "", err ? "\"" : "");
    buf_esc(b, T(r, legend));
    buf_puts(b, "</legend>");
    if (err) {
        buf_printf(b, "<p id=\"e-%s\" class=\"utrecht-form-field-error-message wl-error\">", name);
        buf_esc(b, err);
        buf_puts(b, "</p>");
    }
    buf_puts(b, "<div class=\"wl-options\">");
    for (int i = 0; i < n; i++) {
        char id[80];
        if (i == 0) snprintf(id, sizeof id, "%s", name);
        else snprintf(id, sizeof id, "%s-%d", name, i);
        buf_printf(b, "<div class=\"wl-option\"><input class=\"utrecht-radio-button utrecht-radio-button--html-input\" type=\"radio\" "
                      "id=\"%s\" name=\"%s\" value=\"%s\"%s><label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"%s\">",
                   id, name, vals[i], chosen && !strcmp(chosen, vals[i]) ? " checked" : "", id);
        buf_esc(b, T(r, labels[i]));
        buf_puts(b, "</label></div>");
    }
    buf_puts(b, "</div></fieldset>");
}

static const char *posted(rq_t *r, const char *name)
{
    const char *v = form_get(&r->form, name);
    return v ? v : "";
}

/* ---- one page with the whole household (a small group of questions) ---- */

static void household_page(rq_t *r, const char *err, const char *err_field)
{
    bool sticky = r->form.n > 0;
    buf_t b = {0};
    page_begin(r, &b, T(r, "Welke regelingen passen bij u?"), err != NULL);
    if (err) {
        char anchor[40];
        snprintf(anchor, sizeof anchor, "%s", err_field);
        error_summary(r, &b, err, anchor);
    }
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Welke regelingen passen bij u?"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, T(r, "Beantwoord een paar vragen over uw huishouden. Wij bewaren uw antwoorden niet."));
    buf_puts(&b, "</p><form method=\"post\" action=\"/minima\" novalidate>");
    csrf_field(r, &b);
    /* What the questionnaire already told is filled in (WCAG 3.3.7), and said so; the citizen
     * can still change it. Which answers count is wizard.json's from_questionnaire. */
    const wl_wiz_known_t *k = r->s && r->s->have_known ? &r->s->known : NULL;
    char age[24] = "", kids[16] = "";
    if (k && k->number[WL_WIZ_AGE] >= 0) snprintf(age, sizeof age, "%ld", k->number[WL_WIZ_AGE]);
    if (k && k->option[WL_WIZ_CHILDREN] >= 0) snprintf(kids, sizeof kids, "%d", k->option[WL_WIZ_CHILDREN]);
    static const char *pv[] = {"alleen", "samen"};
    static const char *tri_v[] = {"ja", "nee", "weet_niet"};
    const char *partner0 = k && k->option[WL_WIZ_PARTNER] >= 0 && k->option[WL_WIZ_PARTNER] < 2 ? pv[k->option[WL_WIZ_PARTNER]] : NULL;
    const char *ill0 = k && k->option[WL_WIZ_CHRONIC] >= 0 && k->option[WL_WIZ_CHRONIC] < 3 ? tri_v[k->option[WL_WIZ_CHRONIC]] : "weet_niet";
    const char *stu0 = k && k->option[WL_WIZ_STUDENT] >= 0 && k->option[WL_WIZ_STUDENT] < 2 ? tri_v[k->option[WL_WIZ_STUDENT]] : "weet_niet";
    const char *from_answers = N_("Dit weten we uit uw antwoorden. Klopt het niet? Verander het dan.");
    static const char *pl[] = {N_("Ik woon alleen (met of zonder kinderen)"), N_("Ik woon samen met een partner")};
#define E(f) (err && !strcmp(err_field, f) ? err : NULL)
    radios(r, &b, "partner", N_("Woont u alleen of met een partner?"), pv, pl, 2, sticky ? posted(r, "partner") : partner0, E("partner"));
    field(r, &b, "leeftijd", N_("Hoe oud bent u?"), false, age[0] ? from_answers : NULL, sticky ? posted(r, "leeftijd") : age,
          E("leeftijd"), N_("jaar"));
    field(r, &b, "leeftijd_partner", N_("Hoe oud is uw partner?"), true, N_("Alleen als u samenwoont."),
          sticky ? posted(r, "leeftijd_partner") : NULL, E("leeftijd_partner"), N_("jaar"));
    field(r, &b, "kinderen", N_("Hoeveel kinderen wonen bij u thuis?"), false,
          N_("Tel alle kinderen die bij u wonen, ook als ze ouder zijn dan 18."), sticky ? posted(r, "kinderen") : kids,
          E("kinderen"), NULL);
    field(r, &b, "inkomen", N_("Hoeveel geld komt er per maand binnen?"), false,
          N_("Netto, voor het hele huishouden, met vakantiegeld. In hele euro's."), sticky ? posted(r, "inkomen") : NULL,
          E("inkomen"), N_("euro per maand"));
    field(r, &b, "spaargeld", N_("Hoeveel spaargeld en bezit hebt u samen?"), true,
          N_("Weet u het niet? Laat het leeg."), sticky ? posted(r, "spaargeld") : NULL, E("spaargeld"), N_("euro"));
    field(r, &b, "jaren", N_("Hoeveel jaar hebt u al een laag inkomen?"), true, N_("Weet u het niet? Laat het leeg."),
          sticky ? posted(r, "jaren") : NULL, E("jaren"), N_("jaar"));
    static const char *jv[] = {"ja", "nee", "weet_niet"};
    static const char *jl[] = {N_("Ja"), N_("Nee"), N_("Weet ik niet")};
    radios(r, &b, "ziek", N_("Is iemand in uw huis chronisch ziek of gehandicapt?"), jv, jl, 3,
           sticky ? posted(r, "ziek") : ill0, E("ziek"));
    radios(r, &b, "student", N_("Studeert u met studiefinanciering?"), jv, jl, 3, sticky ? posted(r, "student") : stu0,
           E("student"));
#undef E
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Volgende"));
    buf_puts(&b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/\">");
    buf_esc(&b, T(r, "Terug"));
    buf_puts(&b, "</a></div></form>");
    page_end(r, &b);
    page_send(r, err ? 400 : 200, &b);
}

void pages_minima(rq_t *r)
{
    ensure_session(r);
    if (!r->s) return page_message(r, 503, T(r, "Het is nu erg druk"), T(r, "Probeer het over een paar minuten opnieuw."), NULL, NULL);
    household_page(r, NULL, NULL);
}

static int tri(const char *v)
{
    return !strcmp(v, "ja") ? 1 : !strcmp(v, "nee") ? 0 : -1;
}

void pages_minima_post(rq_t *r)
{
    long age, page = -1, kids, income, assets = -1, years = -1;
    const char *partner = posted(r, "partner");
    bool has_partner = !strcmp(partner, "samen");
    if (strcmp(partner, "alleen") && !has_partner) return household_page(r, T(r, "Kies een antwoord."), "partner");
    if (!number(posted(r, "leeftijd"), 18, 130, &age))
        return household_page(r, T(r, "Vul een leeftijd in van 18 jaar of ouder."), "leeftijd");
    if (has_partner && !number(posted(r, "leeftijd_partner"), 18, 130, &page))
        return household_page(r, T(r, "Vul een leeftijd in van 18 jaar of ouder."), "leeftijd_partner");
    if (!number(posted(r, "kinderen"), 0, MAX_KIDS, &kids))
        return household_page(r, T(r, "Vul een aantal in van 0 tot 10."), "kinderen");
    if (!number(posted(r, "inkomen"), 0, 100000, &income))
        return household_page(r, T(r, "Vul uw inkomen in hele euro's in."), "inkomen");
    if (*posted(r, "spaargeld") && !number(posted(r, "spaargeld"), 0, 1000000, &assets))
        return household_page(r, T(r, "Vul een bedrag in hele euro's in, of laat het leeg."), "spaargeld");
    if (*posted(r, "jaren") && !number(posted(r, "jaren"), 0, age, &years))
        return household_page(r, T(r, "Vul een aantal jaren in, of laat het leeg."), "jaren");
    json_t *h = json_pack("{s:{s:i}, s:o, s:[], s:I}", "applicant", "age", (int)age, "partner",
                          has_partner ? json_pack("{s:i}", "age", (int)page) : json_null(), "children",
                          "net_monthly_income_cents", (json_int_t)income * 100);
    if (!h) return page_message(r, 503, T(r, "Er ging iets mis"), T(r, "Probeer het over een paar minuten opnieuw."), "/minima", T(r, "Opnieuw proberen"));
    if (assets >= 0) json_object_set_new(h, "assets_cents", json_integer((json_int_t)assets * 100));
    if (years >= 0) json_object_set_new(h, "years_low_income", json_integer(years));
    int ill = tri(posted(r, "ziek")), stu = tri(posted(r, "student"));
    json_object_set_new(h, "chronic_illness", ill < 0 ? json_null() : json_boolean(ill));
    json_object_set_new(h, "student", stu < 0 ? json_null() : json_boolean(stu));
    json_decref(r->s->household);
    r->s->household = h;
    r->s->minima_counted = false;
    r->s->minima_kids = (int)kids;
    if (kids > 0) return redirect(r, "/minima/kinderen");
    redirect(r, "/minima/uitslag");
}

/* ---- the children: age and school of each ---- */

static void kids_page(rq_t *r, const char *err, int bad)
{
    buf_t b = {0};
    page_begin(r, &b, T(r, "Over uw kinderen"), err != NULL);
    if (err) {
        char anchor[32];
        snprintf(anchor, sizeof anchor, "kind%d", bad);
        error_summary(r, &b, err, anchor);
    }
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Over uw kinderen"));
    buf_puts(&b, "</h1><form method=\"post\" action=\"/minima/kinderen\" novalidate>");
    csrf_field(r, &b);
    static const char *sv[] = {"none", "primary", "secondary", "other"};
    static const char *sl[] = {N_("Nog niet of niet meer op school"), N_("Basisschool"), N_("Middelbare school"),
                               N_("Mbo, hbo of universiteit")};
    for (int i = 0; i < r->s->minima_kids; i++) {
        char id[32], sid[32], head[64], n[16];
        snprintf(id, sizeof id, "kind%d", i + 1);
        snprintf(sid, sizeof sid, "school%d", i + 1);
        snprintf(n, sizeof n, "%d", i + 1);
        subst(head, sizeof head, T(r, "Kind %s"), n, NULL);
        buf_puts(&b, "<section class=\"wl-child\"><h2 class=\"utrecht-heading-2\">");
        buf_esc(&b, head);
        buf_puts(&b, "</h2>");
        const char *e = bad == i + 1 ? err : NULL;
        field(r, &b, id, N_("Hoe oud is dit kind?"), false, NULL, r->form.n ? posted(r, id) : NULL, e, N_("jaar"));
        radios(r, &b, sid, N_("Gaat dit kind naar school?"), sv, sl, 4, r->form.n ? posted(r, sid) : NULL, NULL);
        buf_puts(&b, "</section>");
    }
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Volgende"));
    buf_puts(&b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/minima\">");
    buf_esc(&b, T(r, "Terug"));
    buf_puts(&b, "</a></div></form>");
    page_end(r, &b);
    page_send(r, err ? 400 : 200, &b);
}

void pages_minima_kids(rq_t *r)
{
    if (!r->s->household) return redirect(r, "/minima");
    if (r->s->minima_kids <= 0) return redirect(r, "/minima/uitslag");
    kids_page(r, NULL, 0);
}

void pages_minima_kids_post(rq_t *r)
{
    if (!r->s->household) return redirect(r, "/minima");
    json_t *kids = json_array();
    for (int i = 0; kids && i < r->s->minima_kids; i++) {
        char id[32], sid[32];
        long age;
        snprintf(id, sizeof id, "kind%d", i + 1);
        snprintf(sid, sizeof sid, "school%d", i + 1);
        if (!number(posted(r, id), 0, 40, &age)) {
            json_decref(kids);
            return kids_page(r, T(r, "Vul een leeftijd in van 0 tot 40 jaar."), i + 1);
        }
        const char *sch = posted(r, sid);
        bool known = !strcmp(sch, "none") || !strcmp(sch, "primary") || !strcmp(sch, "secondary") || !strcmp(sch, "other");
        json_array_append_new(kids, json_pack("{s:i, s:o}", "age", (int)age, "school", known ? json_string(sch) : json_null()));
    }
    if (!kids) return page_message(r, 503, T(r, "Er ging iets mis"), T(r, "Probeer het over een paar minuten opnieuw."), "/minima", T(r, "Opnieuw proberen"));
    json_object_set_new(r->s->household, "children", kids);
    redirect(r, "/minima/uitslag");
}

/* ---- the result: every scheme with its status and reasons ---- */

static void text_list(rq_t *r, buf_t *b, const json_t *arr)
{
    if (!json_array_size(arr)) return;
    buf_puts(b, "<ul class=\"utrecht-unordered-list wl-list\">");
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        /* A msgid string, or a reason as template plus figures: translated, then filled in. */
        char one[1024];
        if (!*wl_i18n_msg_json(r->p->i18n[r->lang], e, one, sizeof one)) continue;
        buf_puts(b, "<li>");
        buf_esc(b, one);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

void pages_minima_result(rq_t *r)
{
    if (!r->s->household) return redirect(r, "/minima");
    json_t *kids = json_object_get(r->s->household, "children");
    if ((int)json_array_size(kids) != r->s->minima_kids) return redirect(r, "/minima/kinderen");
    char today[11];
    wl_date_today(r->req->now, today);
    json_t *res = NULL;
    wl_err_t err = {{0}};
    if (!r->p->minima || wl_minima_evaluate_json(r->p->minima, r->s->household, "household", today, &res, &err) != WL_OK)
        return page_message(r, 400, T(r, "Dit klopt nog niet"),
                            T(r, "Wij konden met deze antwoorden niet rekenen. Kijk uw antwoorden nog eens na."), "/minima",
                            T(r, "Terug naar de vragen"));
    if (!r->s->minima_counted && r->p->cfg.backend.minima_count) {
        /* The figures count what citizens were shown, once per household, as on the kiosk. */
        wl_minima_household_t hh;
        wl_minima_result_t *mr = wl_minima_result_new();
        if (mr && wl_minima_household_parse(r->s->household, "household", &hh, &err) == WL_OK &&
            wl_minima_evaluate(r->p->minima, &hh, today, mr, &err) == WL_OK &&
            r->p->cfg.backend.minima_count(r->p->cfg.backend.ctx, r->p->minima, mr, r->p->location, &err) == WL_OK)
            r->s->minima_counted = true;
        wl_minima_result_free(mr);
    }
    buf_t b = {0};
    page_begin(r, &b, T(r, "Regelingen die bij u kunnen passen"), false);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Regelingen die bij u kunnen passen"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, T(r, "Dit is een eerste check. De gemeente kijkt bij uw aanvraag of u echt recht hebt."));
    buf_puts(&b, "</p>");
    static const char *order[] = {"eligible", "maybe", "not_eligible"};
    static const char *heads[] = {N_("U komt waarschijnlijk in aanmerking"), N_("Misschien: vraag het na"), N_("Waarschijnlijk niet")};
    json_t *schemes = json_object_get(res, "schemes");
    for (int k = 0; k < 3; k++) {
        size_t i, n = 0;
        json_t *s;
        json_array_foreach(schemes, i, s) n += !strcmp(json_string_value(json_object_get(s, "status")) ? json_string_value(json_object_get(s, "status")) : "", order[k]);
        if (!n) continue;
        buf_printf(&b, "<h2 class=\"utrecht-heading-2 wl-status wl-status--%s\">", order[k]);
        buf_esc(&b, T(r, heads[k]));
        buf_puts(&b, "</h2>");
        json_array_foreach(schemes, i, s) {
            const char *st = json_string_value(json_object_get(s, "status"));
            if (!st || strcmp(st, order[k])) continue;
            buf_puts(&b, "<section class=\"wl-scheme\"><h3 class=\"utrecht-heading-3\">");
            buf_esc(&b, T(r, json_string_value(json_object_get(s, "name"))));
            buf_puts(&b, "</h3><p class=\"utrecht-paragraph\">");
            buf_esc(&b, T(r, json_string_value(json_object_get(s, "description"))));
            buf_puts(&b, "</p>");
            text_list(r, &b, json_object_get(s, "reasons"));
            const json_t *apply = json_object_get(s, "apply");
            if (k < 2 && json_is_object(apply)) {
                buf_puts(&b, "<p class=\"utrecht-paragraph\"><strong>");
                buf_esc(&b, T(r, "Aanvragen bij:"));
                buf_puts(&b, "</strong> ");
                buf_esc(&b, T(r, json_string_value(json_object_get(apply, "where"))));
                buf_puts(&b, ". ");
                buf_esc(&b, T(r, json_string_value(json_object_get(apply, "how"))));
                buf_puts(&b, "</p>");
            }
            buf_puts(&b, "</section>");
        }
    }
    json_decref(res);
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions wl-noprint\"><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/minima\">");
    buf_esc(&b, T(r, "Antwoorden wijzigen"));
    buf_puts(&b, "</a><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/\">");
    buf_esc(&b, T(r, "Naar de startpagina"));
    buf_puts(&b, "</a></div>");
    page_end(r, &b);
    page_send(r, 200, &b);
}
