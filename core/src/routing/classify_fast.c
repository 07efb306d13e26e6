/* A pre-compiled, allocation-free evaluator for the condition shapes routing rules use.
 *
 * Why: wl_logic_eval interprets the JSON tree on every call (operator name lookups, a new
 * array per operator, var names copied), which caps routing at a few thousand
 * classifications per second. Routing conditions are simple comparisons of answers, so they
 * are compiled once at load into a small tree that reads the data in place.
 *
 * Semantics are exactly those of core/src/logic.c (docs/formats.md, "Conditions"): the helpers
 * below mirror its loose/strict equality, ordering and `in`. Anything outside the compiled
 * subset (arithmetic, if, missing, count, age, var defaults, ...) runs through wl_logic_eval,
 * and so does any condition that would raise an evaluation error, so messages are identical.
 * tests/unit/test_classify.c checks both paths give byte-identical results on every case and
 * on generated answers. */
#include "routing/classify_internal.h"
#include "intake/logic_values.h"
#include "wijkloket/logic.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    F_CONST,  /* a literal scalar, or a list of literal scalars */
    F_VAR,    /* {"var": "a.b"} without a default */
    F_EQ, F_NE, F_SEQ, F_SNE,
    F_LT, F_LE, F_GT, F_GE,
    F_NOT, F_NOTNOT, F_AND, F_OR, F_IN
} fkind_t;

struct rl_fast {
    fkind_t kind;
    bool is_bool;         /* always yields true/false (not a value from the data) */
    const json_t *lit;    /* F_CONST, borrowed from the rules document */
    size_t slot;          /* F_VAR: the slot of the name (or of its first segment) */
    char **seg;           /* F_VAR: path segments after the slot's name (answers only) */
    long *index;          /* per segment: array index, or -1 when not a number */
    size_t n_seg;
    rl_fast_t **kids;
    size_t n_kids;
};

bool rl_fast_disabled = false;

void rl_fast_free(rl_fast_t *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n_seg; i++) free(f->seg[i]);
    free(f->seg);
    free(f->index);
    for (size_t i = 0; i < f->n_kids; i++) rl_fast_free(f->kids[i]);
    free(f->kids);
    free(f);
}

/* ---------------------------------------------------------------------------------------- */
/* Compilation                                                                                */

static bool scalar(const json_t *v)
{
    return v && !json_is_object(v) && !json_is_array(v);
}

static rl_fast_t *node(fkind_t kind)
{
    rl_fast_t *f = calloc(1, sizeof *f);
    if (f) f->kind = kind;
    return f;
}

/* Finds the slot of a computed name ("score.kunnen"); false when it is not one. */
static bool computed_slot(const wl_rules_t *r, const char *name, size_t *slot)
{
    const char *dot = strchr(name, '.');
    const char *rest = dot ? dot + 1 : "";
    size_t glen = dot ? (size_t)(dot - name) : strlen(name);
#define GROUP(g) (glen == sizeof(g) - 1 && !strncmp(name, g, glen))
    if (!dot) {
        if (!strcmp(name, WL_CALC_AGE)) return *slot = r->slot_age, true;
        if (!strcmp(name, "route")) return *slot = r->slot_route, true;
        if (!strcmp(name, "form")) return *slot = r->slot_form, true;
        if (!strcmp(name, "kik_status")) return *slot = r->slot_kik, true;
        return false;
    }
    if (GROUP("derived")) {
        for (size_t i = 0; i < r->n_derived; i++)
            if (!strcmp(r->derived[i].id, rest)) return *slot = r->slot_derived + i, true;
    } else if (GROUP("score")) {
        for (size_t i = 0; i < r->n_scores; i++)
            if (!strcmp(r->scores[i].id, rest)) return *slot = r->slot_score + i, true;
    } else if (GROUP("domains")) {
        if (!strcmp(rest, "count")) return *slot = r->slot_domains_count, true;
        if (!strcmp(rest, "band")) return *slot = r->slot_domains_band, true;
    } else if (GROUP("domain")) {
        for (size_t i = 0; i < r->n_domains; i++)
            if (!strcmp(r->domains[i].id, rest)) return *slot = r->slot_domain + i, true;
    } else if (GROUP("signal")) {
        for (size_t i = 0; i < r->n_signals; i++)
            if (!strcmp(r->signals[i].r.id, rest)) return *slot = r->slot_signal + i, true;
    }
#undef GROUP
    return false;
}

/* The slot for an answer to question id, adding one the first time a rule reads it. */
static bool answer_slot(wl_rules_t *r, const char *id, size_t len, size_t *slot)
{
    for (size_t i = 0; i < r->n_answer_ids; i++)
        if (strlen(r->answer_ids[i]) == len && !strncmp(r->answer_ids[i], id, len))
            return *slot = r->slot_answers + i, true;
    char **ids = realloc(r->answer_ids, (r->n_answer_ids + 1) * sizeof *ids);
    if (!ids) return false;
    r->answer_ids = ids;
    if (!(ids[r->n_answer_ids] = strndup(id, len))) return false;
    *slot = r->slot_answers + r->n_answer_ids++;
    r->n_slots++;
    return true;
}

/* {"var": name} without a default. A computed name is one slot; any other name is an answer
 * whose first segment is the slot and whose further segments ("a.b.0") walk into it, as
 * logic.c's lookup does. */
static rl_fast_t *compile_var(wl_rules_t *r, const json_t *args)
{
    const json_t *name = json_is_array(args) ? (json_array_size(args) == 1 ? json_array_get(args, 0) : NULL) : args;
    if (!json_is_string(name) || json_string_length(name) == 0) return NULL;
    const char *s = json_string_value(name);
    rl_fast_t *f = node(F_VAR);
    if (!f) return NULL;
    if (computed_slot(r, s, &f->slot)) return f;
    const char *dot = strchr(s, '.');
    size_t len0 = dot ? (size_t)(dot - s) : strlen(s);
    if (len0 == 0 || len0 >= 256 || !answer_slot(r, s, len0, &f->slot)) goto fail;
    size_t n = 0;
    for (const char *p = s; *p; p++) n += *p == '.';
    if (n) {
        f->seg = calloc(n, sizeof *f->seg);
        f->index = calloc(n, sizeof *f->index);
        if (!f->seg || !f->index) goto fail;
    }
    const char *p = dot ? dot + 1 : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *d2 = strchr(p, '.');
        size_t len = d2 ? (size_t)(d2 - p) : strlen(p);
        if (len >= 256) goto fail; /* logic.c gives up on such segments; let it decide */
        f->seg[i] = strndup(p, len);
        if (!f->seg[i]) goto fail;
        f->n_seg = i + 1;
        char *end;
        errno = 0;
        unsigned long ix = strtoul(f->seg[i], &end, 10);
        f->index[i] = (len && !*end && !errno && ix < (unsigned long)LONG_MAX) ? (long)ix : -1;
        p = d2 ? d2 + 1 : p + len;
    }
    return f;
fail:
    rl_fast_free(f);
    return NULL;
}

static rl_fast_t *compile_value(const json_t *rule);

/* Compiles a rule; NULL when any part is outside the compiled subset. */
static rl_fast_t *compile(wl_rules_t *r, const json_t *rule)
{
    if (!json_is_object(rule)) return compile_value(rule);
    if (json_object_size(rule) != 1) return NULL;
    void *it = json_object_iter((json_t *)rule);
    const char *op = json_object_iter_key(it);
    const json_t *args = json_object_iter_value(it);
    if (!strcmp(op, "var")) return compile_var(r, args);

    static const struct {
        const char *name;
        fkind_t kind;
        size_t min, max;
    } OPS[] = {
        {"==", F_EQ, 2, 2},  {"!=", F_NE, 2, 2}, {"===", F_SEQ, 2, 2}, {"!==", F_SNE, 2, 2},
        {"<", F_LT, 2, 3},   {"<=", F_LE, 2, 3}, {">", F_GT, 2, 2},    {">=", F_GE, 2, 2},
        {"!", F_NOT, 1, 1},  {"!!", F_NOTNOT, 1, 1}, {"and", F_AND, 1, 64}, {"or", F_OR, 1, 64},
        {"in", F_IN, 2, 2},
    };
    size_t k = 0;
    while (k < sizeof OPS / sizeof OPS[0] && strcmp(OPS[k].name, op)) k++;
    if (k == sizeof OPS / sizeof OPS[0]) return NULL;
    size_t n = json_is_array(args) ? json_array_size(args) : 1;
    if (n < OPS[k].min || n > OPS[k].max) return NULL;
    rl_fast_t *f = node(OPS[k].kind);
    if (!f || !(f->kids = calloc(n, sizeof *f->kids))) {
        rl_fast_free(f);
        return NULL;
    }
    bool all_bool = true;
    for (size_t i = 0; i < n; i++) {
        const json_t *a = json_is_array(args) ? json_array_get(args, i) : args;
        /* Comparisons and `in` take values; a nested and/or would pass on a data value, which
         * only the interpreter reproduces exactly. */
        bool needs_value = f->kind != F_NOT && f->kind != F_NOTNOT && f->kind != F_AND && f->kind != F_OR;
        rl_fast_t *kid = compile(r, a);
        if (!kid || (needs_value && kid->kind != F_CONST && kid->kind != F_VAR)) {
            rl_fast_free(kid);
            rl_fast_free(f);
            return NULL;
        }
        f->kids[i] = kid;
        f->n_kids = i + 1;
        all_bool &= kid->is_bool;
    }
    f->is_bool = (f->kind == F_AND || f->kind == F_OR) ? all_bool : true;
    return f;
}

/* Literals: scalars, and lists whose items are scalars (they evaluate to an equal list). */
static rl_fast_t *compile_value(const json_t *rule)
{
    if (json_is_array(rule)) {
        size_t i;
        json_t *e;
        json_array_foreach(rule, i, e) if (!scalar(e)) return NULL;
    } else if (!scalar(rule)) {
        return NULL;
    }
    rl_fast_t *f = node(F_CONST);
    if (f) {
        f->lit = rule;
        f->is_bool = json_is_boolean(rule);
    }
    return f;
}

/* ---------------------------------------------------------------------------------------- */
/* Evaluation (mirrors logic.c)                                                               */

static const json_t *lookup(const rl_fast_t *f, const rl_data_t *d)
{
    const json_t *cur = d->slots[f->slot];
    for (size_t i = 0; i < f->n_seg && cur; i++) {
        if (json_is_object(cur)) cur = json_object_get(cur, f->seg[i]);
        else if (json_is_array(cur)) cur = f->index[i] < 0 ? NULL : json_array_get(cur, (size_t)f->index[i]);
        else return NULL;
    }
    return cur;
}

static const json_t *value(const rl_fast_t *f, const rl_data_t *data)
{
    if (f->kind == F_CONST) return f->lit;
    const json_t *v = lookup(f, data);
    return v ? v : json_null();
}

/* 1 true, 0 false, -1 a rule error (comparing a list): the interpreter reports it. */
static int ordered(fkind_t kind, const json_t *a, const json_t *b)
{
    if (json_is_null(a) || json_is_null(b)) return 0;
    int c;
    if (json_is_string(a) && json_is_string(b)) {
        int s = strcmp(json_string_value(a), json_string_value(b));
        c = (s > 0) - (s < 0);
    } else {
        if (!wl_logic_is_scalar(a) || !wl_logic_is_scalar(b)) return -1;
        double x, y;
        if (!wl_logic_to_num(a, &x) || !wl_logic_to_num(b, &y)) return 0;
        c = (x > y) - (x < y);
    }
    switch (kind) {
    case F_LT: return c < 0;
    case F_LE: return c <= 0;
    case F_GT: return c > 0;
    default: return c >= 0;
    }
}

/* Truthiness of a compiled rule: 1, 0, or -1 when only the interpreter can answer. */
static int test(const rl_fast_t *f, const rl_data_t *data)
{
    switch (f->kind) {
    case F_CONST:
    case F_VAR:
        return wl_logic_truthy(value(f, data));
    case F_EQ: return wl_logic_loose_equal(value(f->kids[0], data), value(f->kids[1], data));
    case F_NE: return !wl_logic_loose_equal(value(f->kids[0], data), value(f->kids[1], data));
    case F_SEQ: return wl_logic_strict_equal(value(f->kids[0], data), value(f->kids[1], data));
    case F_SNE: return !wl_logic_strict_equal(value(f->kids[0], data), value(f->kids[1], data));
    case F_LT:
    case F_LE:
    case F_GT:
    case F_GE:
        for (size_t i = 0; i + 1 < f->n_kids; i++) {
            int t = ordered(f->kind, value(f->kids[i], data), value(f->kids[i + 1], data));
            if (t <= 0) return t;
        }
        return 1;
    case F_NOT:
    case F_NOTNOT: {
        int t = test(f->kids[0], data);
        return t < 0 ? t : f->kind == F_NOT ? !t : t;
    }
    case F_AND:
    case F_OR:
        /* Only truthiness is asked for here, so returning the deciding child's truthiness is
         * the same as JsonLogic returning the child's value. */
        for (size_t i = 0; i < f->n_kids; i++) {
            int t = test(f->kids[i], data);
            if (t < 0 || t == (f->kind == F_OR)) return t;
        }
        return f->kind == F_AND;
    case F_IN: {
        const json_t *needle = value(f->kids[0], data), *hay = value(f->kids[1], data);
        if (json_is_array(hay)) {
            size_t i;
            json_t *e;
            json_array_foreach(hay, i, e) if (wl_logic_strict_equal(needle, e)) return 1;
            return 0;
        }
        if (json_is_string(hay) && json_is_string(needle))
            return strstr(json_string_value(hay), json_string_value(needle)) != NULL;
        return 0;
    }
    }
    return -1;
}

/* Sets obj[group][name] = value when the value is known (group NULL: obj[name]). */
static int put(json_t *obj, const char *group, const char *name, const json_t *value)
{
    if (!value) return 0;
    json_t *g = obj;
    if (group && !(g = json_object_get(obj, group))) {
        if (json_object_set_new(obj, group, json_object())) return -1;
        g = json_object_get(obj, group);
    }
    return json_object_set(g, name, (json_t *)value);
}

/* The interpreter's view: one object with the answers and every computed value known so far,
 * as docs/formats.md describes the names. */
static json_t *merged(const rl_data_t *d)
{
    const wl_rules_t *r = d->r;
    const json_t *const *v = d->slots;
    json_t *m = json_object();
    if (!m || json_object_update(m, (json_t *)d->answers)) {
        json_decref(m);
        return NULL;
    }
    int bad = put(m, NULL, WL_CALC_AGE, v[r->slot_age]);
    bad |= json_object_set_new(m, "derived", json_object());
    for (size_t i = 0; i < r->n_derived; i++) bad |= put(m, "derived", r->derived[i].id, v[r->slot_derived + i]);
    bad |= json_object_set_new(m, "score", json_object());
    for (size_t i = 0; i < r->n_scores; i++) bad |= put(m, "score", r->scores[i].id, v[r->slot_score + i]);
    bad |= json_object_set_new(m, "domains", json_object());
    bad |= put(m, "domains", "count", v[r->slot_domains_count]);
    bad |= put(m, "domains", "band", v[r->slot_domains_band]);
    bad |= json_object_set_new(m, "domain", json_object());
    for (size_t i = 0; i < r->n_domains; i++) bad |= put(m, "domain", r->domains[i].id, v[r->slot_domain + i]);
    bad |= json_object_set_new(m, "signal", json_object());
    for (size_t i = 0; i < r->n_signals; i++) bad |= put(m, "signal", r->signals[i].r.id, v[r->slot_signal + i]);
    bad |= put(m, NULL, "route", v[r->slot_route]);
    bad |= put(m, NULL, "form", v[r->slot_form]);
    bad |= put(m, NULL, "kik_status", v[r->slot_kik]);
    if (bad) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* The general path: the interpreter over all answers and computed values merged. */
static wl_rc interpret(const json_t *rule, const rl_data_t *d, json_t **out, wl_err_t *err)
{
    json_t *m = merged(d);
    if (!m) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    wl_logic_ctx_t ctx = {m, d->today};
    wl_rc rc = wl_logic_eval(rule, &ctx, out, err);
    json_decref(m);
    return rc;
}

wl_rc rl_fast_test(const rl_fast_t *f, const json_t *rule, const rl_data_t *d, bool *out,
                   wl_err_t *err)
{
    if (f && !rl_fast_disabled) {
        int t = test(f, d);
        if (t >= 0) {
            *out = t;
            return WL_OK;
        }
    }
    json_t *v = NULL;
    wl_rc rc = interpret(rule, d, &v, err);
    *out = rc == WL_OK && wl_logic_truthy(v); /* as wl_logic_test */
    json_decref(v);
    return rc;
}

wl_rc rl_fast_eval(const rl_fast_t *f, const json_t *rule, const rl_data_t *d, json_t **out,
                   wl_err_t *err)
{
    /* A value is only reproduced here when the rule always yields true/false; otherwise it may
     * be a data value and the interpreter returns it. */
    if (f && f->is_bool && !rl_fast_disabled) {
        int t = test(f, d);
        if (t >= 0) {
            *out = json_boolean(t);
            return WL_OK;
        }
    }
    return interpret(rule, d, out, err);
}

/* ---------------------------------------------------------------------------------------- */
/* Load-time preparation                                                                      */

/* The trace entry a rule adds when it fires. Built once; results share it (read-only). */
static wl_rc build_trace(rl_rule_t *rule, json_t *stage)
{
    json_t *e = json_object();
    if (!e) return WL_ERR_NOMEM;
    int bad = json_object_set(e, "rule", rule->j_id);
    bad |= json_object_set(e, "stage", stage);
    bad |= json_object_set(e, "reason", rule->j_reason);
    bad |= json_object_set(e, "source", rule->j_source);
    if (rule->j_points) bad |= json_object_set(e, "points", rule->j_points);
    rule->j_trace = e;
    return bad ? WL_ERR_NOMEM : WL_OK;
}

/* Compiles rule->when (a condition the compiler cannot handle stays NULL: interpreted). */
static wl_rc prepare(wl_rules_t *r, rl_rule_t *rule, json_t *stage)
{
    if (rule->when) rule->fast = compile(r, rule->when);
    return build_trace(rule, stage);
}

static wl_rc prepare_chain(wl_rules_t *r, rl_chain_t *c)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; i < c->n && !rc; i++) rc = prepare(r, &c->rules[i], c->j_stage);
    return rc ? rc : prepare(r, &c->def, c->j_stage);
}

wl_rc rl_compile_all(wl_rules_t *r)
{
    size_t n = 0;
    r->slot_age = n++;
    r->slot_derived = n;
    n += r->n_derived;
    r->slot_score = n;
    n += r->n_scores;
    r->slot_domains_count = n++;
    r->slot_domains_band = n++;
    r->slot_domain = n;
    n += r->n_domains;
    r->slot_signal = n;
    n += r->n_signals;
    r->slot_route = n++;
    r->slot_form = n++;
    r->slot_kik = n++;
    r->slot_answers = n;
    r->n_slots = n; /* answer_slot() adds one per question the rules read */

    wl_rc rc = WL_OK;
    for (size_t i = 0; i < r->n_derived; i++) r->derived[i].fast = compile(r, r->derived[i].value);
    for (size_t i = 0; i < r->n_scores && !rc; i++)
        for (size_t k = 0; k < r->scores[i].n_terms && !rc; k++)
            rc = prepare(r, &r->scores[i].terms[k], r->scores[i].j_stage);
    for (size_t i = 0; i < r->n_domains && !rc; i++)
        for (size_t k = 0; k < r->domains[i].n_problems && !rc; k++)
            rc = prepare(r, &r->domains[i].problems[k], r->domains[i].j_stage);
    for (size_t i = 0; i < r->n_signals && !rc; i++) rc = prepare(r, &r->signals[i].r, r->j_stage_signal);
    if (!rc) rc = prepare_chain(r, &r->route);
    if (!rc) rc = prepare_chain(r, &r->form);
    if (!rc) rc = prepare_chain(r, &r->kik);
    if (!rc) rc = prepare_chain(r, &r->regie);
    return rc;
}

void rl_fast_stats(const wl_rules_t *r, size_t *compiled, size_t *total)
{
    size_t c = 0, t = 0;
#define COUNT(rule) do { if ((rule)->when) { t++; c += (rule)->fast != NULL; } } while (0)
    for (size_t i = 0; i < r->n_derived; i++) {
        t++;
        c += r->derived[i].fast != NULL;
    }
    for (size_t i = 0; i < r->n_scores; i++)
        for (size_t k = 0; k < r->scores[i].n_terms; k++) COUNT(&r->scores[i].terms[k]);
    for (size_t i = 0; i < r->n_domains; i++)
        for (size_t k = 0; k < r->domains[i].n_problems; k++) COUNT(&r->domains[i].problems[k]);
    for (size_t i = 0; i < r->n_signals; i++) COUNT(&r->signals[i].r);
    const rl_chain_t *chains[] = {&r->route, &r->form, &r->kik, &r->regie};
    for (size_t j = 0; j < 4; j++)
        for (size_t i = 0; i < chains[j]->n; i++) COUNT(&chains[j]->rules[i]);
#undef COUNT
    *compiled = c;
    *total = t;
}
