/* Minima results as JSON: B1 reasons as messages (template plus figures), a trace for staff. */
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

/* Staff trace wording of a school (the citizen's wording is in arg_school). */
static const char *school_name(int school)
{
    switch (school) {
    case WL_SCHOOL_PRIMARY: return "primary";
    case WL_SCHOOL_SECONDARY: return "secondary";
    case WL_SCHOOL_OTHER: return "mbo/hbo/university";
    case WL_SCHOOL_NONE: return "none";
    default: return "";
    }
}

/* The sentences one reason is made of, as messages (template plus figures). */
typedef struct {
    wl_msg_t *m;
    int n, max;
} says_t;

/* Starts the next sentence; a full list swallows the rest (WL_MINIMA_MAX_SENTENCES fits all). */
static wl_msg_t *say(says_t *o, const char *id)
{
    static wl_msg_t spill;
    wl_msg_t *m = o->n < o->max ? &o->m[o->n++] : &spill;
    wl_msg_set(m, id);
    return m;
}

static void arg_money(wl_msg_t *m, int64_t cents)
{
    char b[48];
    wl_minima_money(cents, b, sizeof b);
    wl_msg_arg(m, b, false);
}

static void arg_day(wl_msg_t *m, int32_t day)
{
    char b[11];
    wl_minima_day_format(day, b);
    wl_msg_arg_date(m, b);
}

/* The AOW age as a sentence part for argument 1; it takes its figures from arguments 2 and 3. */
static void arg_aow(wl_msg_t *m, int months)
{
    wl_msg_arg(m, months % 12 ? N_("%2$s jaar en %3$s maanden") : N_("%2$s jaar"), true);
    wl_msg_arg_int(m, months / 12);
    wl_msg_arg_int(m, months % 12);
}

/* School as a sentence part (argument 3 of the children's sentences); none: empty. */
static void arg_school(wl_msg_t *m, int school)
{
    switch (school) {
    case WL_SCHOOL_PRIMARY: wl_msg_arg(m, N_(" op de basisschool"), true); return;
    case WL_SCHOOL_SECONDARY: wl_msg_arg(m, N_(" op de middelbare school"), true); return;
    case WL_SCHOOL_OTHER: wl_msg_arg(m, N_(" op het mbo, hbo of de universiteit"), true); return;
    case WL_SCHOOL_NONE: wl_msg_arg(m, N_(" die niet naar school gaan"), true); return;
    default: wl_msg_arg(m, "", false); return;
    }
}

/* The children's age range as a sentence part (argument 2), its ages in arguments 4 and 5. */
static void arg_age_range(wl_msg_t *m, int min, int max)
{
    if (min > 0 && max >= 0) wl_msg_arg(m, N_(" van %4$s tot en met %5$s jaar"), true);
    else if (max >= 0) wl_msg_arg(m, N_(" tot en met %5$s jaar"), true);
    else if (min > 0) wl_msg_arg(m, N_(" van %4$s jaar of ouder"), true);
    else wl_msg_arg(m, "", false);
}

/* Said when a value is used after its known_until: the figures may have changed. */
static void stale_says(const struct wl_minima *m, const wl_check_t *k, const struct wl_minima_result *r, says_t *o)
{
    const wl_param_t *p = &m->params->params[k->param];
    wl_msg_t *s = say(o, N_("Wij weten nog niet welke bedragen gelden op %1$s. Wij rekenen met de bedragen van "
                            "%2$s. Vraag na of dit nog klopt."));
    arg_day(s, r->day);
    arg_day(s, p->values[k->vidx].from);
}

/* Why a table value is missing: no row for this household, or no value on the day. */
static void missing_value_says(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k,
                               const struct wl_minima_result *r, says_t *o)
{
    const char *label = m->params->tables[c->table].label; /* a msgid (parameters.json) */
    wl_msg_t *s;
    if (k->param < 0 && r->band == WL_BAND_UNKNOWN) {
        s = say(o, N_("Wij weten niet precies of u de AOW-leeftijd al heeft. Daarom weten wij niet wat %1$s "
                      "voor u is."));
        wl_msg_arg(s, label, true);
    } else if (k->param < 0) {
        s = say(o, N_("Wij kennen %1$s voor uw gezin niet. Vraag het na."));
        wl_msg_arg(s, label, true);
    } else {
        s = say(o, N_("Wij kennen %1$s op %2$s niet. Vraag het na."));
        wl_msg_arg(s, label, true);
        arg_day(s, r->day);
    }
}

static void income_says(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k,
                        const struct wl_minima_result *r, says_t *o)
{
    const char *label = m->params->tables[c->table].label;
    wl_msg_t *s;
    if (k->fig[1] <= 0) {
        s = say(o, N_("Uw inkomen is %1$s per maand. De grens is %2$s%% van %3$s."));
        arg_money(s, k->fig[0]);
        wl_msg_arg_int(s, c->pct);
        wl_msg_arg(s, label, true);
        missing_value_says(m, c, k, r, o);
        return;
    }
    long long shown = (long long)(k->fig[3] / 100);
    /* The percentage is shown rounded down; just above the limit that would read "120%"
     * against "de grens is 120%", so say "meer dan" there. */
    if (k->outcome == WL_OUT_PASS || k->outcome == WL_OUT_STALE) {
        s = say(o, N_("Uw inkomen is %1$s per maand. Dat is %2$s%% van %3$s. De grens is %4$s%%."));
        arg_money(s, k->fig[0]);
        wl_msg_arg_int(s, shown);
        wl_msg_arg(s, label, true);
        wl_msg_arg_int(s, c->pct);
    } else {
        s = say(o, shown <= c->pct
                       ? N_("Uw inkomen is %1$s per maand. Dat is meer dan %2$s%% van %3$s. De grens is %2$s%%: "
                            "%4$s per maand.")
                       : N_("Uw inkomen is %1$s per maand. Dat is %5$s%% van %3$s. De grens is %2$s%%: %4$s per "
                            "maand."));
        arg_money(s, k->fig[0]);
        wl_msg_arg_int(s, c->pct);
        wl_msg_arg(s, label, true);
        arg_money(s, k->fig[2]);
        wl_msg_arg_int(s, shown);
    }
    if (k->outcome == WL_OUT_NEAR)
        say(o, N_("Uw inkomen is maar iets hoger dan de grens. Vraag het toch na: de gemeente rekent het precies "
                  "uit."));
    if (k->outcome == WL_OUT_STALE) stale_says(m, k, r, o);
}

/* Savings and property, or gross yearly income: a known amount, a range, or unknown. */
static void amount_says(const struct wl_minima *m, const wl_cond_t *c, const wl_check_t *k,
                        const struct wl_minima_result *r, says_t *o)
{
    bool assets = c->type == WL_COND_ASSETS;
    if (k->fig[2] < 0) {
        missing_value_says(m, c, k, r, o);
        return;
    }
    wl_msg_t *s;
    if (k->fig[0] < 0) {
        s = say(o, assets ? N_("Wij weten niet hoeveel uw spaargeld en bezit zijn. De grens is %1$s.")
                          : N_("Wij weten niet hoeveel uw bruto inkomen per jaar is. De grens is %1$s per jaar."));
        arg_money(s, k->fig[2]);
    } else if (k->fig[0] == k->fig[1]) {
        s = say(o, assets ? N_("Uw spaargeld en bezit zijn %1$s. De grens is %2$s.")
                          : N_("Uw bruto inkomen is %1$s per jaar. De grens is %2$s per jaar."));
        arg_money(s, k->fig[0]);
        arg_money(s, k->fig[2]);
    } else {
        if (k->fig[1] >= 0 && k->fig[0] == 0) {
            s = say(o, assets ? N_("Uw spaargeld en bezit zijn %1$s of minder. De grens is %2$s.")
                              : N_("Uw bruto inkomen is %1$s per jaar of minder. De grens is %2$s per jaar."));
            arg_money(s, k->fig[1]);
            arg_money(s, k->fig[2]);
        } else if (k->fig[1] >= 0) {
            s = say(o, assets ? N_("Uw spaargeld en bezit zijn tussen %1$s en %2$s. De grens is %3$s.")
                              : N_("Uw bruto inkomen is tussen %1$s en %2$s per jaar. De grens is %3$s per jaar."));
            arg_money(s, k->fig[0]);
            arg_money(s, k->fig[1]);
            arg_money(s, k->fig[2]);
        } else {
            s = say(o, assets ? N_("Uw spaargeld en bezit zijn meer dan %1$s. De grens is %2$s.")
                              : N_("Uw bruto inkomen is meer dan %1$s per jaar. De grens is %2$s per jaar."));
            arg_money(s, k->fig[0]);
            arg_money(s, k->fig[2]);
        }
        if (k->outcome == WL_OUT_UNKNOWN) say(o, N_("Vraag na of u onder de grens blijft."));
    }
    if (k->outcome == WL_OUT_STALE) stale_says(m, k, r, o);
}

static void aow_says(const wl_cond_t *c, const wl_check_t *k, says_t *o)
{
    if (k->fig[0] < 0) {
        say(o, N_("Wij kennen de AOW-leeftijd op deze datum niet. Vraag het na."));
        return;
    }
    wl_msg_t *s;
    if (k->outcome == WL_OUT_UNKNOWN)
        s = say(o, N_("De AOW-leeftijd is %1$s. Wij weten niet of u die leeftijd al heeft. Vraag het na."));
    else if (k->fig[1] == 1)
        s = say(o, c->flag ? N_("U hebt de AOW-leeftijd (%1$s) bereikt. Deze regeling is voor mensen met de "
                                "AOW-leeftijd.")
                           : N_("U hebt de AOW-leeftijd (%1$s) bereikt. Deze regeling is voor mensen die jonger "
                                "zijn."));
    else
        s = say(o, c->flag ? N_("U hebt de AOW-leeftijd (%1$s) nog niet. Deze regeling is voor mensen met de "
                                "AOW-leeftijd.")
                           : N_("U hebt de AOW-leeftijd (%1$s) nog niet. Deze regeling is voor mensen die jonger "
                                "zijn."));
    arg_aow(s, (int)k->fig[0]);
}

static void children_says(const wl_cond_t *c, const wl_check_t *k, says_t *o)
{
    wl_msg_t *s;
    if (k->outcome == WL_OUT_UNKNOWN) {
        bool many = k->fig[1] > 1;
        say(o, c->school == WL_SCHOOL_SECONDARY
                   ? (many ? N_("Wij weten niet of uw kinderen naar de middelbare school gaan. Vraag het na.")
                           : N_("Wij weten niet of uw kind naar de middelbare school gaat. Vraag het na."))
               : c->school == WL_SCHOOL_PRIMARY
                   ? (many ? N_("Wij weten niet of uw kinderen naar de basisschool gaan. Vraag het na.")
                           : N_("Wij weten niet of uw kind naar de basisschool gaat. Vraag het na."))
                   : (many ? N_("Wij weten niet of uw kinderen op deze school zitten. Vraag het na.")
                           : N_("Wij weten niet of uw kind op deze school zit. Vraag het na.")));
        return;
    }
    /* Arguments: 1 a number, 2 the age range, 3 the school, 4 and 5 the range's ages. */
    if (k->outcome == WL_OUT_PASS && k->fig[0] == 1) {
        s = say(o, N_("U hebt een kind van %1$s jaar%3$s."));
        wl_msg_arg_int(s, k->fig[3]);
    } else if (k->outcome == WL_OUT_PASS) {
        s = say(o, N_("U hebt %1$s kinderen%2$s%3$s."));
        wl_msg_arg_int(s, k->fig[0]);
    } else {
        s = say(o, N_("Deze regeling is voor gezinnen met kinderen%2$s%3$s. Die hebt u niet in huis."));
        wl_msg_arg_int(s, k->fig[0]);
    }
    arg_age_range(s, c->min, c->max);
    arg_school(s, c->school);
    wl_msg_arg_int(s, c->min);
    wl_msg_arg_int(s, c->max);
}

int wl_minima_check_says(const struct wl_minima *m, const wl_scheme_t *s, const wl_cond_t *c, const wl_check_t *k,
                         const wl_minima_household_t *h, const struct wl_minima_result *r, wl_msg_t *out, int max)
{
    (void)s;
    says_t o = {out, 0, max};
    wl_msg_t *t;
    switch (c->type) {
    case WL_COND_INCOME_PCT: income_says(m, c, k, r, &o); break;
    case WL_COND_ASSETS:
    case WL_COND_GROSS_YEAR: amount_says(m, c, k, r, &o); break;
    case WL_COND_AGE:
        t = say(&o, c->min >= 0 && c->max >= 0 ? N_("U bent %1$s jaar. Deze regeling is voor mensen van %2$s tot en "
                                                    "met %3$s jaar.")
                    : c->min >= 0 ? N_("U bent %1$s jaar. Deze regeling is voor mensen van %2$s jaar en ouder.")
                                  : N_("U bent %1$s jaar. Deze regeling is voor mensen tot en met %3$s jaar."));
        wl_msg_arg_int(t, h->applicant.age_years);
        wl_msg_arg_int(t, c->min);
        wl_msg_arg_int(t, c->max);
        break;
    case WL_COND_AOW_AGE: aow_says(c, k, &o); break;
    case WL_COND_CHILDREN: children_says(c, k, &o); break;
    case WL_COND_YEARS_LOW:
        /* Argument 1 is how long is needed, a sentence part with the years in argument 2. */
        t = say(&o, k->fig[0] < 0 ? N_("Wij weten niet hoe lang u al een laag inkomen heeft. U moet %1$s een laag "
                                       "inkomen hebben.")
                    : k->outcome == WL_OUT_UNKNOWN ? N_("U hebt %3$s jaar een laag inkomen. U moet %1$s een laag "
                                                        "inkomen hebben. Vraag na of dat bij u zo is.")
                                                   : N_("U hebt %3$s jaar een laag inkomen. U moet %1$s een laag "
                                                        "inkomen hebben."));
        wl_msg_arg(t, c->strict ? N_("langer dan %2$s jaar") : N_("%2$s jaar of langer"), true);
        wl_msg_arg_int(t, c->min);
        wl_msg_arg_int(t, k->fig[0]);
        break;
    case WL_COND_STUDENT:
        say(&o, c->flag ? N_("Deze regeling is ook voor studenten.")
                : k->fig[0] < 0 ? N_("Wij weten niet of u studeert. Deze regeling is niet voor studenten met "
                                     "studiefinanciering.")
                : k->fig[0] == 1 ? N_("U studeert. Deze regeling is niet voor studenten met studiefinanciering.")
                                 : N_("U bent geen student met studiefinanciering."));
        break;
    case WL_COND_CHRONIC:
        say(&o, k->fig[0] < 0 ? N_("Deze regeling is voor mensen die chronisch ziek zijn of een beperking hebben. "
                                   "Dat weten wij niet van u.")
                : k->fig[0] == 1 ? N_("U of iemand in uw gezin is chronisch ziek of heeft een beperking.")
                                 : N_("Deze regeling is voor mensen die chronisch ziek zijn of een beperking hebben."));
        break;
    }
    return o.n;
}

/* One reason as JSON: its sentences, each a message (wl_msg_json). NULL when out of memory. */
static json_t *reason_json(const wl_msg_t *says, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++) {
        json_t *one = wl_msg_json(&says[i]);
        if (!one || json_array_append_new(a, one)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
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
                 c->school >= 0 ? " school " : "", c->school >= 0 ? school_name(c->school) : "",
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
    char text[1024];
    wl_msg_t says[WL_MINIMA_MAX_SENTENCES];
    if (sr->status == WL_MINIMA_NOT_OFFERED) {
        bool ended = s->valid_to != WL_DAY_NONE && r->day > s->valid_to;
        wl_msg_set(&says[0], ended ? N_("Deze regeling bestaat niet meer. De laatste dag was %1$s.")
                                   : N_("Deze regeling begint pas op %1$s."));
        arg_day(&says[0], ended ? s->valid_to : s->valid_from);
        json_t *one = reason_json(says, 1);
        if (!one || json_array_append_new(reasons, one)) goto fail;
    } else {
        /* Failed conditions first: they are the answer to "why not"; then what is unsure;
         * then what is met. */
        static const int order[] = {WL_OUT_FAIL, WL_OUT_UNKNOWN, WL_OUT_NEAR, WL_OUT_STALE, WL_OUT_PASS};
        for (size_t oi = 0; oi < sizeof order / sizeof order[0]; oi++)
            for (int j = 0; j < s->n_conds; j++) {
                if (sr->checks[j].outcome != order[oi]) continue;
                int n = wl_minima_check_says(m, s, &s->conds[j], &sr->checks[j], h, r, says,
                                             WL_MINIMA_MAX_SENTENCES);
                json_t *one = reason_json(says, n);
                if (!one || json_array_append_new(reasons, one)) goto fail;
            }
        if (s->ask_about) json_array_append_new(reasons, json_string(s->ask_about)); /* a msgid */
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
