/* Minima results as text and JSON: B1 reasons with the figures used, a trace for staff. */
#include "minima/minima_internal.h"

#include <stdio.h>
#include <string.h>

static const char *outcome_name(int o)
{
    switch (o) {
    case WL_OUT_PASS: return "pass";
    case WL_OUT_STALE: return "pass_old_figures";
    case WL_OUT_NEAR: return "near_limit";
    case WL_OUT_UNKNOWN: return "unknown";
    default: return "fail";
    }
}

static const char *cond_name(wl_cond_type t)
{
    switch (t) {
    case WL_COND_INCOME_PCT: return "income_pct";
    case WL_COND_ASSETS: return "assets";
    case WL_COND_GROSS_YEAR: return "gross_income_year";
    case WL_COND_AGE: return "age";
    case WL_COND_AOW_AGE: return "aow_age";
    case WL_COND_CHILDREN: return "children";
    case WL_COND_YEARS_LOW: return "years_low_income";
    case WL_COND_STUDENT: return "student";
    case WL_COND_CHRONIC: return "chronic_illness";
    }
    return "?";
}

static const char *household_name(int k)
{
    return k == WL_HH_COUPLE ? "couple" : k == WL_HH_SINGLE_PARENT ? "single_parent" : "single";
}

static const char *band_name(int b)
{
    switch (b) {
    case WL_BAND_18_20: return "18_20";
    case WL_BAND_21_AOW: return "21_aow";
    case WL_BAND_AOW: return "aow";
    case WL_BAND_MIXED: return "mixed";
    default: return "unknown";
    }
}

static void aow_text(int months, char *buf, size_t size)
{
    if (months % 12)
        snprintf(buf, size, "%d jaar en %d maanden", months / 12, months % 12);
    else
        snprintf(buf, size, "%d jaar", months / 12);
}

static const char *school_text(int school)
{
    switch (school) {
    case WL_SCHOOL_PRIMARY: return " op de basisschool";
    case WL_SCHOOL_SECONDARY: return " op de middelbare school";
    case WL_SCHOOL_OTHER: return " op het mbo, hbo of de universiteit";
    case WL_SCHOOL_NONE: return " die niet naar school gaan";
    default: return "";
    }
}

static void age_range_text(int min, int max, char *buf, size_t size)
{
    if (min > 0 && max >= 0) snprintf(buf, size, " van %d tot en met %d jaar", min, max);
    else if (max >= 0) snprintf(buf, size, " tot en met %d jaar", max);
    else if (min > 0) snprintf(buf, size, " van %d jaar of ouder", min);
    else buf[0] = '\0';
}

/* Appended when a value is used after its known_until: the figures may have changed. */
static void stale_text(const struct wl_minima *m, const wl_check_t *k, const struct wl_minima_result *r,
                       char *buf, size_t size)
{
    char day[40], from[40];
    const wl_param_t *p = &m->params->params[k->param];
    wl_minima_day_dutch(r->day, day, sizeof day);
    wl_minima_day_dutch(p->values[k->vidx].from, from, sizeof from);
    size_t n = strlen(buf);
    snprintf(buf + n, size - n,
             " Wij weten nog niet welke bedragen gelden op %s. Wij rekenen met de bedragen van %s."
             " Vraag na of dit nog klopt.",
             day, from);
}

/* Why a table value is missing: no row for this household, or no value on the day. */
static void missing_value_text(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k,
                               const struct wl_minima_result *r, char *buf, size_t size)
{
    const char *label = m->params->tables[c->table].label;
    char day[40];
    wl_minima_day_dutch(r->day, day, sizeof day);
    if (k->param < 0 && r->band == WL_BAND_UNKNOWN)
        snprintf(buf, size, "Wij weten niet precies of u de AOW-leeftijd al heeft. Daarom weten wij niet welke %s bij u past.",
                 label + (strncmp(label, "de ", 3) ? 0 : 3));
    else if (k->param < 0)
        snprintf(buf, size, "Wij kennen %s voor uw gezin niet. Vraag het na.", label);
    else
        snprintf(buf, size, "Wij kennen %s op %s niet. Vraag het na.", label, day);
}

void wl_minima_check_text(const struct wl_minima *m, const wl_scheme_t *s, const wl_cond_t *c,
                          const wl_check_t *k, const wl_minima_household_t *h,
                          const struct wl_minima_result *r, char *buf, size_t size)
{
    (void)s;
    char a[48], b[48], x[48], range[64];
    buf[0] = '\0';
    switch (c->type) {
    case WL_COND_INCOME_PCT: {
        const char *label = m->params->tables[c->table].label;
        wl_minima_money(k->fig[0], a, sizeof a);
        if (k->fig[1] <= 0) {
            char why[300];
            missing_value_text(m, c, k, r, why, sizeof why);
            snprintf(buf, size, "Uw inkomen is %s per maand. De grens is %d%% van %s. %s", a, c->pct, label, why);
            return;
        }
        wl_minima_money(k->fig[2], b, sizeof b);
        long long shown = (long long)(k->fig[3] / 100);
        /* The percentage is shown rounded down; just above the limit that would read "120%"
         * against "de grens is 120%", so say "meer dan" there. */
        if (k->outcome == WL_OUT_PASS || k->outcome == WL_OUT_STALE)
            snprintf(buf, size, "Uw inkomen is %s per maand. Dat is %lld%% van %s. De grens is %d%%.", a, shown,
                     label, c->pct);
        else if (shown <= c->pct)
            snprintf(buf, size, "Uw inkomen is %s per maand. Dat is meer dan %d%% van %s. De grens is %d%%: %s per maand.",
                     a, c->pct, label, c->pct, b);
        else
            snprintf(buf, size, "Uw inkomen is %s per maand. Dat is %lld%% van %s. De grens is %d%%: %s per maand.", a,
                     shown, label, c->pct, b);
        if (k->outcome == WL_OUT_NEAR) {
            size_t n = strlen(buf);
            snprintf(buf + n, size - n,
                     " Uw inkomen is maar iets hoger dan de grens. Vraag het toch na: de gemeente rekent het precies uit.");
        }
        if (k->outcome == WL_OUT_STALE) stale_text(m, k, r, buf, size);
        return;
    }
    case WL_COND_ASSETS:
    case WL_COND_GROSS_YEAR: {
        bool assets = c->type == WL_COND_ASSETS;
        const char *what = assets ? "Uw spaargeld en bezit" : "Uw bruto inkomen";
        const char *per = assets ? "" : " per jaar";
        if (k->fig[2] < 0) {
            missing_value_text(m, c, k, r, buf, size);
            return;
        }
        wl_minima_money(k->fig[2], x, sizeof x);
        if (k->fig[0] < 0)
            snprintf(buf, size, "Wij weten niet hoeveel %s is. De grens is %s%s.",
                     assets ? "uw spaargeld en bezit" : "uw bruto inkomen per jaar", x, per);
        else if (k->fig[0] == k->fig[1]) {
            wl_minima_money(k->fig[0], a, sizeof a);
            snprintf(buf, size, "%s is %s%s. De grens is %s%s.", what, a, per, x, per);
        } else {
            wl_minima_money(k->fig[0], a, sizeof a);
            if (k->fig[1] >= 0 && k->fig[0] == 0) {
                wl_minima_money(k->fig[1], b, sizeof b);
                snprintf(buf, size, "%s is %s%s of minder. De grens is %s%s.", what, b, per, x, per);
            } else if (k->fig[1] >= 0) {
                wl_minima_money(k->fig[1], b, sizeof b);
                snprintf(buf, size, "%s is tussen %s en %s%s. De grens is %s%s.", what, a, b, per, x, per);
            } else {
                snprintf(buf, size, "%s is meer dan %s%s. De grens is %s%s.", what, a, per, x, per);
            }
            if (k->outcome == WL_OUT_UNKNOWN) {
                size_t n = strlen(buf);
                snprintf(buf + n, size - n, " Vraag na of u onder de grens blijft.");
            }
        }
        if (k->outcome == WL_OUT_STALE) stale_text(m, k, r, buf, size);
        return;
    }
    case WL_COND_AGE:
        if (c->min >= 0 && c->max >= 0)
            snprintf(range, sizeof range, "van %d tot en met %d jaar", c->min, c->max);
        else if (c->min >= 0)
            snprintf(range, sizeof range, "van %d jaar en ouder", c->min);
        else
            snprintf(range, sizeof range, "tot en met %d jaar", c->max);
        snprintf(buf, size, "U bent %d jaar. Deze regeling is voor mensen %s.", h->applicant.age_years, range);
        return;
    case WL_COND_AOW_AGE:
        if (k->fig[0] < 0) {
            snprintf(buf, size, "Wij kennen de AOW-leeftijd op deze datum niet. Vraag het na.");
            return;
        }
        aow_text((int)k->fig[0], a, sizeof a);
        if (k->outcome == WL_OUT_UNKNOWN)
            snprintf(buf, size, "De AOW-leeftijd is %s. Wij weten niet of u die leeftijd al heeft. Vraag het na.", a);
        else if (k->fig[1] == 1)
            snprintf(buf, size, "U heeft de AOW-leeftijd (%s) bereikt. Deze regeling is %s.", a,
                     c->flag ? "voor mensen met de AOW-leeftijd" : "voor mensen die jonger zijn");
        else
            snprintf(buf, size, "U heeft de AOW-leeftijd (%s) nog niet. Deze regeling is %s.", a,
                     c->flag ? "voor mensen met de AOW-leeftijd" : "voor mensen die jonger zijn");
        return;
    case WL_COND_CHILDREN:
        age_range_text(c->min, c->max, range, sizeof range);
        if (k->outcome == WL_OUT_PASS && k->fig[0] == 1)
            snprintf(buf, size, "U heeft een kind van %lld jaar%s.", (long long)k->fig[3], school_text(c->school));
        else if (k->outcome == WL_OUT_PASS)
            snprintf(buf, size, "U heeft %lld kinderen%s%s.", (long long)k->fig[0], range, school_text(c->school));
        else if (k->outcome == WL_OUT_UNKNOWN)
            snprintf(buf, size, "Wij weten niet of uw kind%s%s. Vraag het na.", k->fig[1] > 1 ? "eren" : "",
                     c->school == WL_SCHOOL_SECONDARY ? " naar de middelbare school gaat"
                     : c->school == WL_SCHOOL_PRIMARY ? " naar de basisschool gaat"
                                                     : " op deze school zit");
        else
            snprintf(buf, size, "Deze regeling is voor gezinnen met kinderen%s%s. Die heeft u niet in huis.", range,
                     school_text(c->school));
        return;
    case WL_COND_YEARS_LOW: {
        char need[64];
        snprintf(need, sizeof need, c->strict ? "langer dan %d jaar" : "%d jaar of langer", c->min);
        if (k->fig[0] < 0)
            snprintf(buf, size, "Wij weten niet hoe lang u al een laag inkomen heeft. U moet %s een laag inkomen hebben.", need);
        else if (k->outcome == WL_OUT_UNKNOWN)
            snprintf(buf, size, "U heeft %lld jaar een laag inkomen. U moet %s een laag inkomen hebben. Vraag na of dat bij u zo is.",
                     (long long)k->fig[0], need);
        else
            snprintf(buf, size, "U heeft %lld jaar een laag inkomen. U moet %s een laag inkomen hebben.",
                     (long long)k->fig[0], need);
        return;
    }
    case WL_COND_STUDENT:
        if (c->flag) snprintf(buf, size, "Deze regeling is ook voor studenten.");
        else if (k->fig[0] < 0) snprintf(buf, size, "Wij weten niet of u studeert. Deze regeling is niet voor studenten met studiefinanciering.");
        else if (k->fig[0] == 1) snprintf(buf, size, "U studeert. Deze regeling is niet voor studenten met studiefinanciering.");
        else snprintf(buf, size, "U bent geen student met studiefinanciering.");
        return;
    case WL_COND_CHRONIC:
        if (k->fig[0] < 0)
            snprintf(buf, size, "Deze regeling is voor mensen die chronisch ziek zijn of een beperking hebben. Dat weten wij niet van u.");
        else if (k->fig[0] == 1)
            snprintf(buf, size, "U of iemand in uw gezin is chronisch ziek of heeft een beperking.");
        else
            snprintf(buf, size, "Deze regeling is voor mensen die chronisch ziek zijn of een beperking hebben.");
        return;
    }
}

/* A staff-facing line with the exact comparison and the parameter used. */
static void trace_detail(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k, char *buf, size_t size)
{
    char par[300] = "";
    if (k->param >= 0 && k->vidx >= 0) {
        const wl_param_t *p = &m->params->params[k->param];
        const wl_pvalue_t *v = &p->values[k->vidx];
        snprintf(par, sizeof par, " [%s = %lld from %s; source: %s, %s]", p->name, (long long)v->value, v->from_s,
                 v->source, v->source_date);
    } else if (k->param >= 0) {
        snprintf(par, sizeof par, " [%s has no value on this date]", m->params->params[k->param].name);
    } else if (c->table >= 0) {
        snprintf(par, sizeof par, " [table %s has no row for this household]", m->params->tables[c->table].name);
    }
    switch (c->type) {
    case WL_COND_INCOME_PCT:
        snprintf(buf, size, "income %lld * 100 <= norm %lld * %d (margin +%d points); %lld bp of norm%s",
                 (long long)k->fig[0], (long long)k->fig[1], c->pct, m->margin_pct, (long long)k->fig[3], par);
        return;
    case WL_COND_ASSETS:
    case WL_COND_GROSS_YEAR:
        snprintf(buf, size, "%s %lld..%lld <= limit %lld (-1 = unknown/open)%s",
                 c->type == WL_COND_ASSETS ? "assets" : "gross yearly", (long long)k->fig[0], (long long)k->fig[1],
                 (long long)k->fig[2], par);
        return;
    case WL_COND_AGE:
        snprintf(buf, size, "applicant age %lld within %d..%d (-1 = open)", (long long)k->fig[0], c->min, c->max);
        return;
    case WL_COND_AOW_AGE:
        snprintf(buf, size, "AOW age %lld months; applicant reached: %lld (1 yes, 0 no, -1 unknown); wanted %s%s",
                 (long long)k->fig[0], (long long)k->fig[1], c->flag ? "reached" : "not reached", par);
        return;
    case WL_COND_CHILDREN:
        snprintf(buf, size, "children aged %d..%d%s%s: %lld match, %lld school unknown, %lld in household", c->min, c->max,
                 c->school >= 0 ? " school " : "", c->school >= 0 ? school_text(c->school) + 1 : "",
                 (long long)k->fig[0], (long long)k->fig[1], (long long)k->fig[2]);
        return;
    case WL_COND_YEARS_LOW:
        snprintf(buf, size, "years on low income %lld %s %d", (long long)k->fig[0], c->strict ? ">" : ">=", c->min);
        return;
    case WL_COND_STUDENT:
        snprintf(buf, size, "student %lld (1 yes, 0 no, -1 unknown); students allowed: %s", (long long)k->fig[0],
                 c->flag ? "yes" : "no");
        return;
    case WL_COND_CHRONIC:
        snprintf(buf, size, "chronic illness %lld (1 yes, 0 no, -1 unknown); required: %s", (long long)k->fig[0],
                 c->flag ? "yes" : "no");
        return;
    }
}

static void add_figures(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k, json_t *fig)
{
    switch (c->type) {
    case WL_COND_INCOME_PCT:
        json_object_set_new(fig, "income_cents", json_integer(k->fig[0]));
        json_object_set_new(fig, "limit_pct", json_integer(c->pct));
        if (k->fig[1] > 0) {
            const wl_param_t *p = &m->params->params[k->param];
            json_object_set_new(fig, "norm_cents", json_integer(k->fig[1]));
            json_object_set_new(fig, "norm_parameter", json_string(p->name));
            json_object_set_new(fig, "norm_from", json_string(p->values[k->vidx].from_s));
            json_object_set_new(fig, "limit_cents", json_integer(k->fig[2]));
            json_object_set_new(fig, "income_pct_of_norm_bp", json_integer(k->fig[3]));
        }
        return;
    case WL_COND_ASSETS:
    case WL_COND_GROSS_YEAR: {
        bool assets = c->type == WL_COND_ASSETS;
        json_object_set_new(fig, assets ? "assets_min_cents" : "gross_yearly_cents",
                            k->fig[0] >= 0 ? json_integer(k->fig[0]) : json_null());
        if (assets)
            json_object_set_new(fig, "assets_max_cents", k->fig[1] >= 0 ? json_integer(k->fig[1]) : json_null());
        json_object_set_new(fig, assets ? "assets_limit_cents" : "gross_limit_cents",
                            k->fig[2] >= 0 ? json_integer(k->fig[2]) : json_null());
        return;
    }
    case WL_COND_AGE: json_object_set_new(fig, "age", json_integer(k->fig[0])); return;
    case WL_COND_AOW_AGE:
        json_object_set_new(fig, "aow_age_months", k->fig[0] >= 0 ? json_integer(k->fig[0]) : json_null());
        return;
    case WL_COND_CHILDREN: json_object_set_new(fig, "children_matching", json_integer(k->fig[0])); return;
    case WL_COND_YEARS_LOW:
        json_object_set_new(fig, "years_low_income", k->fig[0] >= 0 ? json_integer(k->fig[0]) : json_null());
        json_object_set_new(fig, "years_needed", json_integer(c->min + (c->strict ? 1 : 0)));
        return;
    case WL_COND_STUDENT:
    case WL_COND_CHRONIC: return;
    }
}

static json_t *date_or_null(int32_t day)
{
    if (day == WL_DAY_NONE) return json_null();
    char buf[11];
    wl_minima_day_format(day, buf);
    return json_string(buf);
}

static json_t *scheme_json(const struct wl_minima *m, const wl_scheme_t *s, const wl_scheme_result_t *sr,
                           const wl_minima_household_t *h, const struct wl_minima_result *r)
{
    json_t *o = json_object(), *reasons = json_array(), *figures = json_object(), *trace = json_array();
    if (!o || !reasons || !figures || !trace) goto fail;
    json_object_set_new(o, "id", json_string(s->id));
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "status", json_string(wl_minima_status_name(sr->status)));
    char text[1024], day[40];
    if (sr->status == WL_MINIMA_NOT_OFFERED) {
        if (s->valid_to != WL_DAY_NONE && r->day > s->valid_to) {
            wl_minima_day_dutch(s->valid_to, day, sizeof day);
            snprintf(text, sizeof text, "Deze regeling bestaat niet meer. De laatste dag was %s.", day);
        } else {
            wl_minima_day_dutch(s->valid_from, day, sizeof day);
            snprintf(text, sizeof text, "Deze regeling begint pas op %s.", day);
        }
        json_array_append_new(reasons, json_string(text));
    } else {
        /* Failed conditions first: they are the answer to "why not"; then what is unsure;
         * then what is met. */
        static const int order[] = {WL_OUT_FAIL, WL_OUT_UNKNOWN, WL_OUT_NEAR, WL_OUT_STALE, WL_OUT_PASS};
        for (size_t oi = 0; oi < sizeof order / sizeof order[0]; oi++)
            for (int j = 0; j < s->n_conds; j++) {
                if (sr->checks[j].outcome != order[oi]) continue;
                wl_minima_check_text(m, s, &s->conds[j], &sr->checks[j], h, r, text, sizeof text);
                json_array_append_new(reasons, json_string(text));
            }
        if (s->ask_about) json_array_append_new(reasons, json_string(s->ask_about));
        for (int j = 0; j < s->n_conds; j++) {
            add_figures(m, &s->conds[j], &sr->checks[j], figures);
            trace_detail(m, &s->conds[j], &sr->checks[j], text, sizeof text);
            json_array_append_new(trace, json_pack("{s:s,s:s,s:s}", "condition", cond_name(s->conds[j].type),
                                                   "outcome", outcome_name(sr->checks[j].outcome), "detail", text));
        }
    }
    json_object_set_new(o, "reasons", reasons);
    json_object_set_new(o, "figures", figures);
    json_object_set_new(o, "trace", trace);
    json_object_set_new(o, "description", json_string(s->description));
    json_object_set_new(o, "valid_from", date_or_null(s->valid_from));
    json_object_set_new(o, "valid_to", date_or_null(s->valid_to));
    json_object_update(o, s->info);
    return o;
fail:
    json_decref(o);
    json_decref(reasons);
    json_decref(figures);
    json_decref(trace);
    return NULL;
}

wl_rc wl_minima_result_json(const wl_minima_t *m, const wl_minima_household_t *h, const wl_minima_result_t *r,
                            json_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!m || !h || !r || r->n_schemes != m->n_schemes) {
        wl_err_set(err, "minima: result does not belong to this catalogue");
        return WL_ERR_INVALID;
    }
    char day[11];
    wl_minima_day_format(r->day, day);
    json_t *schemes = json_array();
    json_t *o = json_pack("{s:s,s:{s:s,s:s,s:o},s:{s:I},s:o}", "date", day, "household", "kind",
                          household_name(r->household), "age_band", band_name(r->band), "aow_age_months",
                          r->aow_months >= 0 ? json_integer(r->aow_months) : json_null(), "income",
                          "net_monthly_cents", (json_int_t)h->net_monthly_income, "schemes", schemes);
    if (!o) goto nomem;
    for (int i = 0; i < m->n_schemes; i++) {
        json_t *s = scheme_json(m, &m->schemes[i], &r->schemes[i], h, r);
        if (!s || json_array_append_new(schemes, s)) goto nomem;
    }
    *out = o;
    return WL_OK;
nomem:
    json_decref(o);
    wl_err_set(err, "minima: out of memory");
    return WL_ERR_NOMEM;
}

wl_rc wl_minima_evaluate_json(const wl_minima_t *m, const json_t *household, const char *name, const char *date,
                              json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_minima_household_t h;
    wl_rc rc = wl_minima_household_parse(household, name, &h, err);
    if (rc != WL_OK) return rc;
    wl_minima_result_t *r = wl_minima_result_new();
    if (!r) {
        wl_err_set(err, "minima: out of memory");
        return WL_ERR_NOMEM;
    }
    rc = wl_minima_evaluate(m, &h, date, r, err);
    if (rc == WL_OK) rc = wl_minima_result_json(m, &h, r, out, err);
    wl_minima_result_free(r);
    return rc;
}
