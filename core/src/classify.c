/* Classification: runs the loaded routing rules over one set of answers into a result. */
#include "classify_internal.h"
#include "wijkloket/logic.h"

#include <string.h>

/* One classification in progress. Rules read the answers and the computed values in `calc`
 * ("age", "derived", "score", "domains", "domain", "signal", "route", "form", "kik_status");
 * each stage adds its values before the next stage runs. */
typedef struct {
    const wl_rules_t *r;
    json_t *calc;
    json_t *trace;
    rl_data_t data;
    wl_err_t *err;
} run_t;

static wl_rc nomem(run_t *x)
{
    wl_err_set(x->err, "classify: out of memory");
    return WL_ERR_NOMEM;
}

static wl_rc test(run_t *x, const rl_rule_t *rule, bool *out)
{
    wl_rc rc = rl_fast_test(rule->fast, rule->when, &x->data, out, x->err);
    if (rc) wl_err_prefix(x->err, "routing rule '%s': ", rule->id);
    return rc;
}

/* Appends a fresh trace entry. The strings inside are shared with the rules (immutable); the
 * entry object itself is new so a caller may add to it without touching the rules. */
static wl_rc trace_add(run_t *x, const rl_rule_t *rule, json_t *stage)
{
    json_t *e = json_object();
    if (!e) return nomem(x);
    int bad = json_object_set(e, "rule", rule->j_id);
    bad |= json_object_set(e, "stage", stage);
    bad |= json_object_set(e, "reason", rule->j_reason);
    bad |= json_object_set(e, "source", rule->j_source);
    if (rule->j_points) bad |= json_object_set(e, "points", rule->j_points);
    bad |= json_array_append_new(x->trace, e);
    return bad ? nomem(x) : WL_OK;
}

/* Sets data[group][name] = value (value reference stolen). */
static wl_rc put(run_t *x, const char *group, const char *name, json_t *value)
{
    json_t *g = group ? json_object_get(x->calc, group) : x->calc;
    if (!value || !g || json_object_set_new(g, name, value)) return nomem(x);
    return WL_OK;
}

static wl_rc run_derived(run_t *x)
{
    for (size_t i = 0; i < x->r->n_derived; i++) {
        const rl_derived_t *d = &x->r->derived[i];
        json_t *v = NULL;
        wl_rc rc = rl_fast_eval(d->fast, d->value, &x->data, &v, x->err);
        if (rc) {
            wl_err_prefix(x->err, "derived value '%s': ", d->id);
            return rc;
        }
        if ((rc = put(x, "derived", d->id, v))) return rc;
    }
    return WL_OK;
}

static wl_rc run_scores(run_t *x, json_t *scores_out)
{
    for (size_t i = 0; i < x->r->n_scores; i++) {
        const rl_score_t *s = &x->r->scores[i];
        json_int_t total = 0;
        for (size_t k = 0; k < s->n_terms; k++) {
            bool hit;
            wl_rc rc = test(x, &s->terms[k], &hit);
            if (rc) return rc;
            if (!hit) continue;
            total += s->terms[k].points;
            if ((rc = trace_add(x, &s->terms[k], s->j_stage))) return rc;
        }
        if (total < s->min) total = s->min;
        if (total > s->max) total = s->max;
        wl_rc rc = put(x, "score", s->id, json_integer(total));
        if (rc) return rc;
        if (json_object_set_new(scores_out, s->id, json_integer(total))) return nomem(x);
    }
    return WL_OK;
}

static wl_rc run_domains(run_t *x, json_t *domains_out)
{
    const wl_rules_t *r = x->r;
    json_t *problems = json_array();
    if (!problems) return nomem(x);
    json_int_t count = 0;
    for (size_t i = 0; i < r->n_domains; i++) {
        const rl_domain_t *d = &r->domains[i];
        bool problem = false;
        /* Every matching condition is traced, not just the first: staff see all reasons. */
        for (size_t k = 0; k < d->n_problems; k++) {
            bool hit;
            wl_rc rc = test(x, &d->problems[k], &hit);
            if (!rc && hit) rc = trace_add(x, &d->problems[k], d->j_stage);
            if (rc) {
                json_decref(problems);
                return rc;
            }
            problem |= hit;
        }
        if (problem) {
            count++;
            json_array_append(problems, d->j_id);
        }
        wl_rc rc = put(x, "domain", d->id, json_boolean(problem));
        if (rc) {
            json_decref(problems);
            return rc;
        }
    }
    const rl_band_t *band = &r->bands[0];
    for (size_t i = 0; i < 3; i++)
        if (count >= r->bands[i].from) band = &r->bands[i];
    json_t *dd = json_object_get(x->calc, "domains");
    int bad = json_object_set_new(dd, "count", json_integer(count));
    bad |= json_object_set(dd, "band", band->j_id);
    bad |= json_object_set_new(domains_out, "count", json_integer(count));
    bad |= json_object_set(domains_out, "band", band->j_id);
    bad |= json_object_set_new(domains_out, "problems", problems);
    return bad ? nomem(x) : WL_OK;
}

static wl_rc run_signals(run_t *x, json_t *signals_out, bool *urgent)
{
    *urgent = false;
    for (size_t i = 0; i < x->r->n_signals; i++) {
        const rl_signal_t *s = &x->r->signals[i];
        bool hit;
        wl_rc rc = test(x, &s->r, &hit);
        if (!rc) rc = put(x, "signal", s->r.id, json_boolean(hit));
        if (rc) return rc;
        if (!hit) continue;
        if ((rc = trace_add(x, &s->r, x->r->j_stage_signal))) return rc;
        json_t *o = json_object();
        if (!o) return nomem(x);
        int bad = json_object_set(o, "id", s->r.j_id);
        bad |= json_object_set(o, "text", s->j_text);
        bad |= json_object_set_new(o, "urgent", json_boolean(s->urgent));
        bad |= json_array_append_new(signals_out, o);
        if (bad) return nomem(x);
        *urgent |= s->urgent;
    }
    return WL_OK;
}

/* First matching rule wins; the default when none matches. Only the deciding rule is traced. */
static wl_rc run_chain(run_t *x, const rl_chain_t *c, const rl_rule_t **out)
{
    *out = &c->def;
    for (size_t i = 0; i < c->n; i++) {
        bool hit;
        wl_rc rc = test(x, &c->rules[i], &hit);
        if (rc) return rc;
        if (hit) {
            *out = &c->rules[i];
            break;
        }
    }
    return trace_add(x, *out, c->j_stage);
}

static wl_rc classify(run_t *x, json_t *result)
{
    const wl_rules_t *r = x->r;
    wl_rc rc;
    json_t *signals = json_array(), *domains = json_object(), *scores = json_object();
    if (!signals || !domains || !scores) {
        json_decref(signals);
        json_decref(domains);
        json_decref(scores);
        return nomem(x);
    }
    bool urgent = false;
    const rl_rule_t *route = NULL, *form = NULL, *kik = NULL, *regie = NULL;
    if ((rc = run_derived(x)) || (rc = run_scores(x, scores)) || (rc = run_domains(x, domains)) ||
        (rc = run_signals(x, signals, &urgent)))
        goto done;
    if ((rc = run_chain(x, &r->route, &route))) goto done;
    if ((rc = put(x, NULL, "route", json_incref(route->outcome)))) goto done;
    /* The participation form only means something on the participation route. */
    bool participatie = !strcmp(json_string_value(route->outcome), "participatie");
    if (participatie && (rc = run_chain(x, &r->form, &form))) goto done;
    if ((rc = put(x, NULL, "form", form ? json_incref(form->outcome) : json_null()))) goto done;
    if ((rc = run_chain(x, &r->kik, &kik))) goto done;
    if ((rc = put(x, NULL, "kik_status", json_incref(kik->outcome)))) goto done;
    if ((rc = run_chain(x, &r->regie, &regie))) goto done;

    int bad = json_object_set(result, "route", route->outcome);
    if (participatie) {
        json_t *p = json_object();
        bad |= !p;
        bad |= json_object_set(p, "form", form->outcome);
        bad |= json_object_set(p, "kik_status", kik->outcome);
        bad |= json_object_set_new(result, "participatie", p);
    } else {
        bad |= json_object_set_new(result, "participatie", json_null());
    }
    bad |= json_object_set(result, "kik_status", kik->outcome);
    bad |= json_object_set(result, "signals", signals);
    bad |= json_object_set_new(result, "urgent", json_boolean(urgent));
    bad |= json_object_set(result, "regie", regie->outcome);
    bad |= json_object_set(result, "domains", domains);
    bad |= json_object_set(result, "scores", scores);
    bad |= json_object_set(result, "trace", x->trace);
    bad |= json_object_set(result, "rules_version", r->j_version);
    if (bad) rc = nomem(x);
done:
    json_decref(signals);
    json_decref(domains);
    json_decref(scores);
    return rc;
}

/* The computed values, empty groups to start with; "age" is known from the start. */
static json_t *make_calc(const json_t *answers, const char *today)
{
    json_t *calc = json_object();
    if (!calc) return NULL;
    const json_t *birth = json_object_get(answers, "geboortedatum");
    int age = json_is_string(birth) ? wl_date_age(json_string_value(birth), today) : -1;
    int bad = json_object_set_new(calc, WL_CALC_AGE, age < 0 ? json_null() : json_integer(age));
    static const char *const groups[] = {"derived", "score", "domains", "domain", "signal"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        bad |= json_object_set_new(calc, groups[i], json_object());
    if (bad) {
        json_decref(calc);
        return NULL;
    }
    return calc;
}

wl_rc wl_classify(const wl_rules_t *r, const json_t *answers, const char *today, json_t **result,
                  wl_err_t *err)
{
    *result = NULL;
    int y, m, d;
    if (!r || !json_is_object(answers)) {
        wl_err_set(err, "classify: rules and an answers object are needed");
        return WL_ERR_INVALID;
    }
    if (!today || !wl_date_parse(today, &y, &m, &d)) {
        wl_err_set(err, "classify: today must be a date YYYY-MM-DD, got '%s'", today ? today : "(none)");
        return WL_ERR_INVALID;
    }
    run_t x = {r, make_calc(answers, today), json_array(), {NULL, answers, today}, err};
    x.data.calc = x.calc;
    json_t *res = json_object();
    wl_rc rc = !x.calc || !x.trace || !res ? nomem(&x) : classify(&x, res);
    json_decref(x.calc);
    json_decref(x.trace);
    if (rc) {
        json_decref(res);
        return rc;
    }
    *result = res;
    return WL_OK;
}
