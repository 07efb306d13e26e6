/* Classification: runs the loaded routing rules over one set of answers into a result. */
#include "routing/classify_internal.h"

#include <stdlib.h>
#include <string.h>

/* One classification in progress. Conditions read the slots (see rl_data_t); each stage fills
 * its slots before the next stage runs. Slot values are borrowed from the answers, the rules,
 * the result being built, or `owned`. */
typedef struct {
    const wl_rules_t *r;
    rl_data_t data;
    json_t *owned;  /* values computed here that nothing else holds (derived values, age) */
    json_t *trace;
    wl_err_t *err;
} run_t;

static wl_rc nomem(run_t *x)
{
    wl_err_set(x->err, "classify: out of memory");
    return WL_ERR_NOMEM;
}

static void set_slot(run_t *x, size_t slot, const json_t *v)
{
    x->data.slots[slot] = v;
}

/* Keeps v alive for the rest of the run and puts it in the slot (v reference stolen). */
static wl_rc set_owned(run_t *x, size_t slot, json_t *v)
{
    if (!v || json_array_append_new(x->owned, v)) return nomem(x);
    set_slot(x, slot, v);
    return WL_OK;
}

static wl_rc test(run_t *x, const rl_rule_t *rule, bool *out)
{
    wl_rc rc = rl_fast_test(rule->fast, rule->when, &x->data, out, x->err);
    if (rc) wl_err_prefix(x->err, "routing rule '%s': ", rule->id);
    return rc;
}

/* The trace entries are built once per rule at load time and shared (read-only). */
static wl_rc trace_add(run_t *x, const rl_rule_t *rule)
{
    return json_array_append(x->trace, rule->j_trace) ? nomem(x) : WL_OK;
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
        if ((rc = set_owned(x, x->r->slot_derived + i, v))) return rc;
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
            if (!rc && hit) rc = trace_add(x, &s->terms[k]);
            if (rc) return rc;
            if (hit) total += s->terms[k].points;
        }
        if (total < s->min) total = s->min;
        if (total > s->max) total = s->max;
        json_t *v = json_integer(total);
        if (!v || json_object_set_new(scores_out, s->id, v)) return nomem(x);
        set_slot(x, x->r->slot_score + i, v);
    }
    return WL_OK;
}

static wl_rc run_domains(run_t *x, json_t *domains_out)
{
    const wl_rules_t *r = x->r;
    json_t *problems = json_array();
    if (!problems) return nomem(x);
    json_int_t count = 0;
    wl_rc rc = WL_OK;
    for (size_t i = 0; i < r->n_domains && !rc; i++) {
        const rl_domain_t *d = &r->domains[i];
        bool problem = false;
        /* Every matching condition is traced, not just the first: staff see all reasons. */
        for (size_t k = 0; k < d->n_problems && !rc; k++) {
            bool hit = false;
            rc = test(x, &d->problems[k], &hit);
            if (!rc && hit) rc = trace_add(x, &d->problems[k]);
            problem |= hit;
        }
        if (!rc && problem) {
            count++;
            if (json_array_append(problems, d->j_id)) rc = nomem(x);
        }
        set_slot(x, r->slot_domain + i, json_boolean(problem));
    }
    if (rc) {
        json_decref(problems);
        return rc;
    }
    const rl_band_t *band = &r->bands[0];
    for (size_t i = 0; i < 3; i++)
        if (count >= r->bands[i].from) band = &r->bands[i];
    json_t *c = json_integer(count);
    int bad = json_object_set_new(domains_out, "count", c);
    bad |= json_object_set(domains_out, "band", band->j_id);
    bad |= json_object_set_new(domains_out, "problems", problems);
    if (bad) return nomem(x);
    set_slot(x, r->slot_domains_count, c);
    set_slot(x, r->slot_domains_band, band->j_id);
    return WL_OK;
}

static wl_rc run_signals(run_t *x, json_t *signals_out, bool *urgent)
{
    *urgent = false;
    for (size_t i = 0; i < x->r->n_signals; i++) {
        const rl_signal_t *s = &x->r->signals[i];
        bool hit;
        wl_rc rc = test(x, &s->r, &hit);
        if (rc) return rc;
        set_slot(x, x->r->slot_signal + i, json_boolean(hit));
        if (!hit) continue;
        if ((rc = trace_add(x, &s->r))) return rc;
        /* Signal objects are new per result: callers may attach services to them. */
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
    return trace_add(x, *out);
}

static wl_rc classify(run_t *x, json_t *result)
{
    const wl_rules_t *r = x->r;
    wl_rc rc;
    json_t *signals = json_array(), *domains = json_object(), *scores = json_object();
    bool urgent = false;
    const rl_rule_t *route = NULL, *form = NULL, *kik = NULL, *regie = NULL;
    if (!signals || !domains || !scores) {
        rc = nomem(x);
        goto done;
    }
    if ((rc = run_derived(x)) || (rc = run_scores(x, scores)) || (rc = run_domains(x, domains)) ||
        (rc = run_signals(x, signals, &urgent)))
        goto done;
    if ((rc = run_chain(x, &r->route, &route))) goto done;
    set_slot(x, r->slot_route, route->outcome);
    /* The participation form only means something on the participation route. */
    bool participatie = !strcmp(json_string_value(route->outcome), "participatie");
    if (participatie && (rc = run_chain(x, &r->form, &form))) goto done;
    set_slot(x, r->slot_form, form ? form->outcome : json_null());
    if ((rc = run_chain(x, &r->kik, &kik))) goto done;
    set_slot(x, r->slot_kik, kik->outcome);
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
    /* Slots live on the stack for any realistic rules file; the heap takes over beyond that. */
    const json_t *stack_slots[512];
    const json_t **slots = r->n_slots <= 512 ? stack_slots : calloc(r->n_slots, sizeof *slots);
    run_t x = {r, {r, answers, slots, today}, json_array(), json_array(), err};
    json_t *res = json_object();
    wl_rc rc;
    if (!slots || !x.owned || !x.trace || !res) {
        rc = nomem(&x);
        goto done;
    }
    memset(slots, 0, r->n_slots * sizeof *slots);
    for (size_t i = 0; i < r->n_answer_ids; i++)
        slots[r->slot_answers + i] = json_object_get(answers, r->answer_ids[i]);
    const json_t *birth = json_object_get(answers, "geboortedatum");
    int age = json_is_string(birth) ? wl_date_age(json_string_value(birth), today) : -1;
    if (age >= 0 && (rc = set_owned(&x, r->slot_age, json_integer(age)))) goto done;
    rc = classify(&x, res);
done:
    if (slots != stack_slots) free(slots);
    json_decref(x.owned);
    json_decref(x.trace);
    if (rc) {
        json_decref(res);
        return rc;
    }
    *result = res;
    return WL_OK;
}
