/* Loads assets/rules/routing.json and validates every rule against the questionnaire. */
#include "routing/classify_internal.h"
#include "base/json_text.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/logic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const WL_ROUTES[] = {"zelfdoener", "klantondersteuning", "participatie", NULL};
const char *const WL_FORMS[] = {"dagbesteding", "vrijwilligerswerk", "beschut_werk", NULL};
const char *const WL_KIK_STATUSES[] = {
    "arbeidspotentieel",
    "zorgbehoefte",
    "ontheffingsverzoek",
    "participatie_niet_actief_tevreden",
    "participatie_wil_actief_met_ondersteuning",
    "participatie_wil_actief_eigen_kracht",
    "participatie_al_actief",
    "participatie_al_actief_wil_meer",
    NULL,
};
const char *const WL_REGIES[] = {"wij_team", "gkb", "inkomen", "werk", NULL};

static const char *const BAND_IDS[] = {"green", "orange", "red"};

/* Names that computed values live under; a question may not take one of them or its
 * answer would shadow (or be shadowed by) the computed value. */
static const char *const RESERVED[] = {"age", "derived", "score", "domains", "domain",
                                       "signal", "route", "form", "kik_status", NULL};

typedef struct {
    const char *path;
    char *text; /* the file's text, for line numbers in messages; may be NULL */
    const wl_questionnaire_t *q;
    wl_rules_t *r;
    json_t *seen; /* rule id -> true, for duplicate detection */
    const char *cur_id; /* the object being read, for LINE_CUR */
    wl_err_t *err;
} ld_t;

/* "The line of the object being read": looked up only when a message needs it, because
 * searching the text for every rule would make loading quadratic in the file size. */
#define LINE_CUR (-1)

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], s)) return true;
    return false;
}

/* Line of the nth (1-based) occurrence of needle; 0 when unknown. */
static int line_of_nth(const ld_t *ld, const char *needle, int nth)
{
    if (!ld->text || !needle) return 0;
    const char *p = NULL, *from = NULL;
    for (int i = 0; i < nth; i++) {
        p = wl_json_find(ld->text, from, needle);
        if (!p) return 0;
        from = p + 1;
    }
    return wl_json_line_at(ld->text, p);
}

/* Line where an object with this id starts ("id": "x"). */
static int line_of_id(const ld_t *ld, const char *id)
{
    if (!id) return 0;
    char needle[200];
    snprintf(needle, sizeof needle, "\"id\": \"%s\"", id);
    return line_of_nth(ld, needle, 1);
}

static int line_of_key(const ld_t *ld, const char *key)
{
    char needle[200];
    snprintf(needle, sizeof needle, "\"%s\":", key);
    return line_of_nth(ld, needle, 1);
}

static wl_rc fail(const ld_t *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static wl_rc fail(const ld_t *ld, int line, const char *fmt, ...)
{
    char msg[400];
    if (line == LINE_CUR) line = line_of_id(ld, ld->cur_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) wl_err_set(ld->err, "%s:%d: %s", ld->path, line, msg);
    else wl_err_set(ld->err, "%s: %s", ld->path, msg);
    return WL_ERR_INVALID;
}

/* Rejects keys outside `allowed` so a typo ("reson") is an error, not silently ignored. */
static wl_rc check_keys(const ld_t *ld, const json_t *obj, const char *const *allowed,
                        const char *what, int line)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (!in_list(allowed, key))
            return fail(ld, line, "%s: unknown field '%s'", what, key);
    }
    return WL_OK;
}

static bool valid_id(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z')) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return strlen(s) <= 64;
}

static const char *text_field(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

/* Reads an object's id and checks its form (and, for rules, that it is unique). */
static wl_rc read_id(ld_t *ld, const json_t *obj, const char *what, bool unique_rule,
                     const char **out, int *line)
{
    *line = 0;
    if (!json_is_object(obj)) return fail(ld, 0, "%s: expected an object", what);
    const char *id = text_field(obj, "id");
    if (!id) return fail(ld, 0, "%s: missing field 'id'", what);
    ld->cur_id = id;
    *line = LINE_CUR;
    if (!valid_id(id))
        return fail(ld, *line, "%s '%s': the id must be lower-case letters, digits and '_'", what, id);
    if (unique_rule) {
        if (json_object_get(ld->seen, id)) {
            char needle[200];
            snprintf(needle, sizeof needle, "\"id\": \"%s\"", id);
            return fail(ld, line_of_nth(ld, needle, 2), "%s '%s': the id is already used on line %d",
                        what, id, line_of_id(ld, id));
        }
        json_object_set_new(ld->seen, id, json_true());
    }
    *out = id;
    return WL_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Variable checks                                                                            */

typedef struct {
    ld_t *ld;
    rl_stage_t stage;
    size_t limit;  /* items of the rule's own stage that are already computed */
    char why[240]; /* why a name was refused, when we know more than "unknown" */
} vk_t;

static bool starts(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n)) return false;
    *rest = s + n;
    return true;
}

/* Position of the object with this id in a list of the document, or -1. The document is
 * searched (not what is loaded so far) so a name defined further down is recognised as
 * "computed later" rather than "unknown". */
static long doc_index(const json_t *list, const char *id)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        const char *oid = json_string_value(json_object_get(o, "id"));
        if (oid && !strcmp(oid, id)) return (long)i;
    }
    return -1;
}

/* Whether `name` can be read at the stage in vk. Refused names get a hint in vk->why when
 * they exist but are computed later. */
static bool known_var(const char *name, void *ud)
{
    vk_t *vk = ud;
    const json_t *doc = vk->ld->r->doc;
    const char *rest;
    vk->why[0] = '\0';
    const wl_question_t *qq = wl_questionnaire_find(vk->ld->q, name, NULL);
    if (qq) {
        if (qq->personal) {
            snprintf(vk->why, sizeof vk->why,
                     "'%s' is identification data; routing may not read it (use \"age\" for age)",
                     name);
            return false;
        }
        return true;
    }
    if (!strcmp(name, WL_CALC_AGE)) return true;
    long idx = 0;
    rl_stage_t at;
    bool file_order = false; /* within its own stage, only earlier items are known */
    if (starts(name, "derived.", &rest)) {
        idx = doc_index(json_object_get(doc, "derived"), rest);
        at = ST_DERIVED;
        file_order = true;
    } else if (starts(name, "score.", &rest)) {
        idx = doc_index(json_object_get(doc, "scores"), rest);
        at = ST_SCORE;
        file_order = true;
    } else if (!strcmp(name, "domains.count") || !strcmp(name, "domains.band")) {
        at = ST_DOMAIN;
    } else if (starts(name, "domain.", &rest)) {
        idx = doc_index(json_object_get(json_object_get(doc, "domains"), "list"), rest);
        at = ST_DOMAIN;
    } else if (starts(name, "signal.", &rest)) {
        idx = doc_index(json_object_get(doc, "signals"), rest);
        at = ST_SIGNAL;
        file_order = true;
    } else if (!strcmp(name, "route")) {
        at = ST_ROUTE;
    } else if (!strcmp(name, "form")) {
        at = ST_FORM;
    } else if (!strcmp(name, "kik_status")) {
        at = ST_KIK;
    } else {
        return false;
    }
    if (idx < 0) return false;
    if (vk->stage > at || (file_order && vk->stage == at && (size_t)idx < vk->limit)) return true;
    snprintf(vk->why, sizeof vk->why,
             "'%s' is not computed yet when this rule runs (order: derived, scores, domains, "
             "signals, route, participatie_form, kik_status, regie, gesprek; derived values, scores and "
             "signals in file order)", name);
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Answer-value checks: a comparison with a question must use a value that question can have. */

static const wl_question_t *var_question(const ld_t *ld, const json_t *v)
{
    if (!json_is_object(v) || json_object_size(v) != 1) return NULL;
    const json_t *a = json_object_get(v, "var");
    if (json_is_array(a)) a = json_array_get(a, 0);
    if (!json_is_string(a)) return NULL;
    return wl_questionnaire_find(ld->q, json_string_value(a), NULL);
}

static const char *qtype_name(wl_qtype_t t)
{
    switch (t) {
    case WL_Q_SINGLE: return "single choice";
    case WL_Q_MULTIPLE: return "multiple choice";
    case WL_Q_YESNO: return "yes/no";
    case WL_Q_NUMBER: return "number";
    case WL_Q_DATE: return "date";
    case WL_Q_TEXT: return "text";
    }
    return "?";
}

/* Checks "question compared with literal" (==, !=, ===, !==). */
static bool check_pair(const ld_t *ld, const json_t *a, const json_t *lit, char *why, size_t n)
{
    const wl_question_t *qq = var_question(ld, a);
    if (!qq || json_is_object(lit) || json_is_array(lit) || json_is_null(lit)) return true;
    switch (qq->type) {
    case WL_Q_SINGLE:
        if (!json_is_string(lit)) {
            snprintf(why, n, "question '%s' is single choice: compare it with an option value", qq->id);
            return false;
        }
        if (!wl_question_option(qq, json_string_value(lit))) {
            snprintf(why, n, "'%s' is not an option of question '%s'", json_string_value(lit), qq->id);
            return false;
        }
        return true;
    case WL_Q_MULTIPLE:
        snprintf(why, n, "question '%s' is multiple choice (a list): test a value with "
                 "{\"in\": [value, {\"var\": \"%s\"}]}", qq->id, qq->id);
        return false;
    case WL_Q_YESNO:
        if (!json_is_boolean(lit)) {
            snprintf(why, n, "question '%s' is yes/no: compare it with true or false", qq->id);
            return false;
        }
        return true;
    case WL_Q_NUMBER:
        if (!json_is_number(lit)) {
            snprintf(why, n, "question '%s' is a number: compare it with a number", qq->id);
            return false;
        }
        return true;
    case WL_Q_DATE:
    case WL_Q_TEXT:
        if (!json_is_string(lit)) {
            snprintf(why, n, "question '%s' is %s: compare it with text", qq->id, qtype_name(qq->type));
            return false;
        }
        return true;
    }
    return true;
}

/* Checks {"in": [needle, haystack]} where one side is a question. */
static bool check_in(const ld_t *ld, const json_t *needle, const json_t *hay, char *why, size_t n)
{
    const wl_question_t *qn = var_question(ld, needle), *qh = var_question(ld, hay);
    if (qn && json_is_array(hay)) {
        if (qn->type == WL_Q_MULTIPLE) {
            snprintf(why, n, "question '%s' is multiple choice: test one value at a time with "
                     "{\"in\": [value, {\"var\": \"%s\"}]}", qn->id, qn->id);
            return false;
        }
        size_t i;
        json_t *e;
        json_array_foreach(hay, i, e) {
            if (!check_pair(ld, needle, e, why, n)) return false;
        }
        return true;
    }
    if (qh) {
        if (qh->type != WL_Q_MULTIPLE) {
            snprintf(why, n, "question '%s' is %s, not a list: use == to compare it", qh->id,
                     qtype_name(qh->type));
            return false;
        }
        if (json_is_string(needle) && !wl_question_option(qh, json_string_value(needle))) {
            snprintf(why, n, "'%s' is not an option of question '%s'", json_string_value(needle), qh->id);
            return false;
        }
    }
    return true;
}

typedef struct {
    const ld_t *ld;
    char *why;
    size_t n;
} vals_t;

/* A value compared with an answer or a derived field must be one it can take. */
static bool value_cmp(const char *op, const json_t *a, const json_t *b, void *ud)
{
    vals_t *V = ud;
    if (!strcmp(op, "in")) return check_in(V->ld, a, b, V->why, V->n);
    return check_pair(V->ld, a, b, V->why, V->n) && check_pair(V->ld, b, a, V->why, V->n);
}

static bool check_values(const ld_t *ld, const json_t *rule, char *why, size_t n)
{
    vals_t V = {ld, why, n};
    return wl_logic_each_comparison(rule, value_cmp, &V);
}

/* Full check of one condition: operators, variables visible at this stage, answer values. */
static wl_rc check_rule_logic(ld_t *ld, const json_t *when, rl_stage_t stage, size_t limit,
                              const char *what, const char *id, const char *field, int line)
{
    vk_t vk = {ld, stage, limit, ""};
    wl_err_t e = {""};
    if (wl_logic_check(when, known_var, &vk, &e) != WL_OK) {
        if (vk.why[0])
            return fail(ld, line, "%s '%s', field '%s': %s", what, id, field, vk.why);
        return fail(ld, line, "%s '%s', field '%s': %s", what, id, field, e.msg);
    }
    char why[300] = "";
    if (!check_values(ld, when, why, sizeof why))
        return fail(ld, line, "%s '%s', field '%s': %s", what, id, field, why);
    return WL_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Rules                                                                                      */

static json_t *make_source(ld_t *ld, const json_t *obj, const char *what, const char *id, int line,
                           wl_rc *rc)
{
    static const char *const keys[] = {"seed", "section", "eigen_keuze", NULL};
    const json_t *s = json_object_get(obj, "source");
    *rc = WL_OK;
    if (!json_is_object(s)) {
        *rc = fail(ld, line, "%s '%s': missing field 'source' ({\"seed\": ..., \"section\": ...} or "
                   "{\"eigen_keuze\": \"why\"})", what, id);
        return NULL;
    }
    if ((*rc = check_keys(ld, s, keys, "source", line))) return NULL;
    const char *seed = text_field(s, "seed"), *section = text_field(s, "section");
    const char *own = text_field(s, "eigen_keuze");
    /* A rule no seed supports says so, with why, instead of citing a section that does not
     * say it; policy staff tune these first. */
    if (own) {
        if (seed || section) {
            *rc = fail(ld, line, "%s '%s': source is either a seed section or \"eigen_keuze\", not both", what, id);
            return NULL;
        }
        json_t *j = json_sprintf("eigen keuze, af te stemmen: %s", own);
        if (!j) *rc = WL_ERR_NOMEM;
        return j;
    }
    size_t n = seed ? strlen(seed) : 0;
    if (!seed || n < 5 || strcmp(seed + n - 4, ".txt") || strchr(seed, '/')) {
        *rc = fail(ld, line, "%s '%s': source.seed must name a seed file such as "
                   "\"004_604a163d16d2ca05.txt\" (or give \"eigen_keuze\" when no seed says it)", what, id);
        return NULL;
    }
    if (!section) {
        *rc = fail(ld, line, "%s '%s': source.section is missing", what, id);
        return NULL;
    }
    json_t *j = json_sprintf("%s %s", seed, section);
    if (!j) *rc = WL_ERR_NOMEM;
    return j;
}

typedef enum { K_TERM, K_PROBLEM, K_SIGNAL, K_CHAIN, K_DEFAULT, K_NOTE } rule_kind_t;

/* Parses one rule of any kind into *out; outcome checked against `outcomes` for chains. */
static wl_rc parse_rule(ld_t *ld, const json_t *obj, rule_kind_t kind, const char *what,
                        rl_stage_t stage, size_t limit, const char *const *outcomes,
                        bool null_outcome_ok, rl_rule_t *out)
{
    static const char *const k_term[] = {"id", "when", "points", "reason", "source", NULL};
    static const char *const k_problem[] = {"id", "when", "reason", "source", NULL};
    static const char *const k_signal[] = {"id", "when", "urgent", "text", "reason", "source", NULL};
    static const char *const k_chain[] = {"id", "when", "outcome", "reason", "source", NULL};
    static const char *const k_default[] = {"id", "outcome", "reason", "source", NULL};
    static const char *const k_note[] = {"id", "reason", "source", NULL};
    const char *const *keys = kind == K_TERM ? k_term : kind == K_PROBLEM ? k_problem
                              : kind == K_SIGNAL ? k_signal : kind == K_CHAIN ? k_chain
                              : kind == K_NOTE ? k_note : k_default;
    const char *id;
    int line;
    wl_rc rc = read_id(ld, obj, what, true, &id, &line);
    if (rc) return rc;
    char label[120];
    snprintf(label, sizeof label, "%s '%s'", what, id);
    if ((rc = check_keys(ld, obj, keys, label, line))) return rc;
    out->id = id;
    out->j_id = json_object_get(obj, "id");
    out->j_reason = json_object_get(obj, "reason");
    if (!text_field(obj, "reason"))
        return fail(ld, line, "%s '%s': missing field 'reason' (a short B1 sentence for the citizen)", what, id);
    out->j_source = make_source(ld, obj, what, id, line, &rc);
    if (rc) return rc;
    if (kind != K_DEFAULT && kind != K_NOTE) {
        out->when = json_object_get(obj, "when");
        if (!out->when) return fail(ld, line, "%s '%s': missing field 'when'", what, id);
        if ((rc = check_rule_logic(ld, out->when, stage, limit, what, id, "when", line))) return rc;
    }
    if (kind == K_TERM) {
        const json_t *p = json_object_get(obj, "points");
        if (!json_is_integer(p) || json_integer_value(p) == 0)
            return fail(ld, line, "%s '%s': 'points' must be a whole number other than 0", what, id);
        out->points = json_integer_value(p);
        out->j_points = json_incref((json_t *)p);
    }
    if (kind == K_CHAIN || kind == K_DEFAULT) {
        json_t *o = json_object_get(obj, "outcome");
        if (!o) return fail(ld, line, "%s '%s': missing field 'outcome'", what, id);
        bool ok = json_is_null(o) ? null_outcome_ok : json_is_string(o) && in_list(outcomes, json_string_value(o));
        if (!ok) {
            char allowed[300] = "";
            for (size_t i = 0; outcomes[i]; i++) {
                strncat(allowed, i ? ", " : "", sizeof allowed - strlen(allowed) - 1);
                strncat(allowed, outcomes[i], sizeof allowed - strlen(allowed) - 1);
            }
            return fail(ld, line, "%s '%s': outcome must be one of %s%s", what, id, allowed,
                        null_outcome_ok ? " or null" : "");
        }
        out->outcome = o;
    }
    return WL_OK;
}

static void free_rule(rl_rule_t *r)
{
    rl_fast_free(r->fast);
    json_decref(r->j_trace);
    json_decref(r->j_source);
    json_decref(r->j_points);
}

static const json_t *get_array(ld_t *ld, const json_t *parent, const char *key, const char *what,
                               wl_rc *rc)
{
    const json_t *a = json_object_get(parent, key);
    *rc = WL_OK;
    if (!json_is_array(a) || json_array_size(a) == 0) {
        *rc = fail(ld, line_of_key(ld, key), "%s: '%s' must be a non-empty list", what, key);
        return NULL;
    }
    return a;
}

static wl_rc load_derived(ld_t *ld, const json_t *doc)
{
    static const char *const keys[] = {"id", "value", "description", "source", NULL};
    const json_t *a = json_object_get(doc, "derived");
    if (!a) return WL_OK; /* derived values are optional */
    if (!json_is_array(a)) return fail(ld, line_of_key(ld, "derived"), "'derived' must be a list");
    wl_rules_t *r = ld->r;
    r->derived = calloc(json_array_size(a) + 1, sizeof *r->derived);
    if (!r->derived) return WL_ERR_NOMEM;
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) {
        const char *id;
        int line;
        wl_rc rc = read_id(ld, o, "derived value", false, &id, &line);
        if (rc) return rc;
        for (size_t j = 0; j < r->n_derived; j++)
            if (!strcmp(r->derived[j].id, id))
                return fail(ld, line, "derived value '%s': the id is used twice", id);
        if ((rc = check_keys(ld, o, keys, "derived value", line))) return rc;
        json_t *src = make_source(ld, o, "derived value", id, line, &rc);
        json_decref(src);
        if (rc) return rc;
        if (!text_field(o, "description"))
            return fail(ld, line, "derived value '%s': missing field 'description'", id);
        json_t *v = json_object_get(o, "value");
        if (!v) return fail(ld, line, "derived value '%s': missing field 'value'", id);
        if ((rc = check_rule_logic(ld, v, ST_DERIVED, i, "derived value", id, "value", line))) return rc;
        r->derived[r->n_derived].id = id;
        r->derived[r->n_derived].value = v;
        r->n_derived++;
    }
    return WL_OK;
}

static wl_rc load_scores(ld_t *ld, const json_t *doc)
{
    static const char *const keys[] = {"id", "label", "min", "max", "description", "terms", NULL};
    wl_rc rc;
    const json_t *a = get_array(ld, doc, "scores", "rules", &rc);
    if (rc) return rc;
    wl_rules_t *r = ld->r;
    r->scores = calloc(json_array_size(a), sizeof *r->scores);
    if (!r->scores) return WL_ERR_NOMEM;
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) {
        const char *id;
        int line;
        if ((rc = read_id(ld, o, "score", false, &id, &line))) return rc;
        for (size_t j = 0; j < r->n_scores; j++)
            if (!strcmp(r->scores[j].id, id)) return fail(ld, line, "score '%s': the id is used twice", id);
        if ((rc = check_keys(ld, o, keys, "score", line))) return rc;
        const json_t *mn = json_object_get(o, "min"), *mx = json_object_get(o, "max");
        if (!json_is_integer(mn) || !json_is_integer(mx) || json_integer_value(mn) >= json_integer_value(mx))
            return fail(ld, line, "score '%s': 'min' and 'max' must be whole numbers with min < max", id);
        if (!text_field(o, "label")) return fail(ld, line, "score '%s': missing field 'label'", id);
        rl_score_t *s = &r->scores[r->n_scores];
        s->id = id;
        s->min = json_integer_value(mn);
        s->max = json_integer_value(mx);
        s->j_stage = json_sprintf("score.%s", id);
        if (!s->j_stage) return WL_ERR_NOMEM;
        r->n_scores++; /* counted now so free() releases what was built on a later failure */
        const json_t *terms = json_object_get(o, "terms");
        if (!json_is_array(terms) || json_array_size(terms) == 0)
            return fail(ld, line, "score '%s': 'terms' must be a non-empty list", id);
        s->terms = calloc(json_array_size(terms), sizeof *s->terms);
        if (!s->terms) return WL_ERR_NOMEM;
        size_t k;
        json_t *t;
        json_array_foreach(terms, k, t) {
            rc = parse_rule(ld, t, K_TERM, "score term", ST_SCORE, i, NULL, false, &s->terms[k]);
            s->n_terms = k + 1;
            if (rc) return rc;
        }
    }
    return WL_OK;
}

static wl_rc load_domains(ld_t *ld, const json_t *doc)
{
    static const char *const keys[] = {"source", "bands", "list", NULL};
    static const char *const dkeys[] = {"id", "label", "problems", NULL};
    static const char *const bkeys[] = {"id", "from", "label", NULL};
    wl_rules_t *r = ld->r;
    const json_t *d = json_object_get(doc, "domains");
    int dline = line_of_key(ld, "domains");
    if (!json_is_object(d)) return fail(ld, dline, "'domains' must be an object");
    wl_rc rc = check_keys(ld, d, keys, "domains", dline);
    if (rc) return rc;
    json_t *src = make_source(ld, d, "domains", "bands", dline, &rc);
    json_decref(src);
    if (rc) return rc;
    const json_t *bands = json_object_get(d, "bands");
    int bline = line_of_key(ld, "bands");
    if (!json_is_array(bands) || json_array_size(bands) != 3)
        return fail(ld, bline, "domains.bands must list green, orange and red");
    for (size_t i = 0; i < 3; i++) {
        const json_t *b = json_array_get(bands, i);
        if (!json_is_object(b)) return fail(ld, bline, "domains.bands[%zu] must be an object", i);
        if ((rc = check_keys(ld, b, bkeys, "domains.bands", bline))) return rc;
        const char *id = text_field(b, "id");
        const json_t *from = json_object_get(b, "from");
        if (!id || strcmp(id, BAND_IDS[i]))
            return fail(ld, bline, "domains.bands[%zu] must have id \"%s\" (bands are green, orange, red in that order)",
                        i, BAND_IDS[i]);
        if (!json_is_integer(from) || json_integer_value(from) < 0)
            return fail(ld, bline, "band '%s': 'from' must be a whole number of domains", id);
        if (i == 0 && json_integer_value(from) != 0)
            return fail(ld, bline, "band 'green' must start at 0 domains");
        if (i > 0 && json_integer_value(from) <= r->bands[i - 1].from)
            return fail(ld, bline, "band '%s' must start above band '%s'", id, r->bands[i - 1].id);
        r->bands[i].id = id;
        r->bands[i].from = json_integer_value(from);
        r->bands[i].j_id = json_object_get(b, "id");
    }
    rc = WL_OK;
    const json_t *list = get_array(ld, d, "list", "domains", &rc);
    if (rc) return rc;
    r->domains = calloc(json_array_size(list), sizeof *r->domains);
    if (!r->domains) return WL_ERR_NOMEM;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        const char *id;
        int line;
        if ((rc = read_id(ld, o, "domain", false, &id, &line))) return rc;
        for (size_t j = 0; j < r->n_domains; j++)
            if (!strcmp(r->domains[j].id, id)) return fail(ld, line, "domain '%s': the id is used twice", id);
        if ((rc = check_keys(ld, o, dkeys, "domain", line))) return rc;
        const char *label = text_field(o, "label");
        if (!label) return fail(ld, line, "domain '%s': missing field 'label'", id);
        rl_domain_t *dm = &r->domains[r->n_domains];
        dm->id = id;
        dm->label = label;
        dm->j_id = json_object_get(o, "id");
        dm->j_stage = json_sprintf("domain.%s", id);
        if (!dm->j_stage) return WL_ERR_NOMEM;
        r->n_domains++;
        const json_t *probs = json_object_get(o, "problems");
        if (!json_is_array(probs) || json_array_size(probs) == 0)
            return fail(ld, line, "domain '%s': 'problems' must be a non-empty list", id);
        dm->problems = calloc(json_array_size(probs), sizeof *dm->problems);
        if (!dm->problems) return WL_ERR_NOMEM;
        size_t k;
        json_t *t;
        json_array_foreach(probs, k, t) {
            rc = parse_rule(ld, t, K_PROBLEM, "domain problem", ST_DOMAIN, 0, NULL, false, &dm->problems[k]);
            dm->n_problems = k + 1;
            if (rc) return rc;
        }
    }
    return WL_OK;
}

static wl_rc load_signals(ld_t *ld, const json_t *doc)
{
    wl_rc rc;
    const json_t *a = get_array(ld, doc, "signals", "rules", &rc);
    if (rc) return rc;
    wl_rules_t *r = ld->r;
    r->signals = calloc(json_array_size(a), sizeof *r->signals);
    if (!r->signals) return WL_ERR_NOMEM;
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) {
        rl_signal_t *s = &r->signals[i];
        rc = parse_rule(ld, o, K_SIGNAL, "signal", ST_SIGNAL, i, NULL, false, &s->r);
        r->n_signals = i + 1;
        if (rc) return rc;
        const json_t *u = json_object_get(o, "urgent");
        if (!json_is_boolean(u))
            return fail(ld, line_of_id(ld, s->r.id), "signal '%s': 'urgent' must be true or false", s->r.id);
        s->urgent = json_is_true(u);
        if (!text_field(o, "text"))
            return fail(ld, line_of_id(ld, s->r.id), "signal '%s': missing field 'text' (B1: what happens next)", s->r.id);
        s->j_text = json_object_get(o, "text");
    }
    return WL_OK;
}

static wl_rc load_chain(ld_t *ld, const json_t *doc, const char *key, rl_stage_t stage,
                        const char *const *outcomes, bool null_ok, rl_chain_t *c)
{
    static const char *const keys[] = {"rules", "default", NULL};
    const json_t *o = json_object_get(doc, key);
    int line = line_of_key(ld, key);
    if (!json_is_object(o)) return fail(ld, line, "'%s' must be an object with 'rules' and 'default'", key);
    wl_rc rc = check_keys(ld, o, keys, key, line);
    if (rc) return rc;
    c->j_stage = json_string(key);
    if (!c->j_stage) return WL_ERR_NOMEM;
    char what[64];
    snprintf(what, sizeof what, "%s rule", key);
    const json_t *rules = json_object_get(o, "rules");
    if (!json_is_array(rules)) return fail(ld, line, "%s: 'rules' must be a list", key);
    c->rules = calloc(json_array_size(rules) + 1, sizeof *c->rules);
    if (!c->rules) return WL_ERR_NOMEM;
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) {
        rc = parse_rule(ld, r, K_CHAIN, what, stage, 0, outcomes, null_ok, &c->rules[i]);
        c->n = i + 1;
        if (rc) return rc;
    }
    const json_t *d = json_object_get(o, "default");
    if (!d) return fail(ld, line, "%s: missing 'default' (what happens when no rule matches)", key);
    snprintf(what, sizeof what, "%s default", key);
    return parse_rule(ld, d, K_DEFAULT, what, stage, 0, outcomes, null_ok, &c->def);
}

/* "gesprek": {"onvolledig": {id, reason, source}, "rules": [{id, when, reason, source}]}.
 * Optional, so older rules files still load; without it a result never asks for a
 * conversation. The questionnaire's required questions are kept for the completeness check. */
static wl_rc load_gesprek(ld_t *ld, const json_t *doc)
{
    static const char *const keys[] = {"onvolledig", "rules", NULL};
    wl_rules_t *r = ld->r;
    r->j_stage_gesprek = json_string("gesprek");
    if (!r->j_stage_gesprek) return WL_ERR_NOMEM;
    const json_t *o = json_object_get(doc, "gesprek");
    if (!o) return WL_OK;
    int line = line_of_key(ld, "gesprek");
    if (!json_is_object(o)) return fail(ld, line, "'gesprek' must be an object with 'onvolledig' and 'rules'");
    wl_rc rc = check_keys(ld, o, keys, "gesprek", line);
    if (rc) return rc;
    const json_t *on = json_object_get(o, "onvolledig");
    if (on) {
        r->has_onvolledig = true;
        if ((rc = parse_rule(ld, on, K_NOTE, "gesprek onvolledig", ST_GESPREK, 0, NULL, false, &r->onvolledig)))
            return rc;
    }
    const json_t *rules = json_object_get(o, "rules");
    if (!rules) return WL_OK;
    if (!json_is_array(rules)) return fail(ld, line, "gesprek: 'rules' must be a list");
    r->gesprek = calloc(json_array_size(rules) + 1, sizeof *r->gesprek);
    if (!r->gesprek) return WL_ERR_NOMEM;
    size_t i;
    json_t *g;
    json_array_foreach(rules, i, g) {
        rc = parse_rule(ld, g, K_PROBLEM, "gesprek rule", ST_GESPREK, 0, NULL, false, &r->gesprek[i]);
        r->n_gesprek = i + 1;
        if (rc) return rc;
    }
    return WL_OK;
}

/* A copy of a questionnaire rule where {"age": [{"var": "geboortedatum"}]} reads the computed
 * "age" instead (the same whole years to the intake date, null when unknown), so the rule
 * compiles like the routing rules do. New reference; NULL when out of memory. */
static json_t *age_as_var(const json_t *rule)
{
    if (json_is_object(rule) && json_object_size(rule) == 1) {
        const json_t *a = json_object_get(rule, "age");
        if (json_is_array(a) && json_array_size(a) == 1) a = json_array_get(a, 0);
        const char *v = json_string_value(json_object_get(a, "var"));
        if (a && json_object_size(a) == 1 && v && !strcmp(v, "geboortedatum")) return json_pack("{s:s}", "var", WL_CALC_AGE);
    }
    if (json_is_array(rule)) {
        json_t *out = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(rule, i, e) {
            if (!out || json_array_append_new(out, age_as_var(e))) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_is_object(rule)) {
        json_t *out = json_object();
        const char *k;
        json_t *e;
        json_object_foreach((json_t *)rule, k, e) {
            if (!out || json_object_set_new(out, k, age_as_var(e))) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    return json_incref((json_t *)rule);
}

/* Keeps every non-personal question that can be required (references to its rules), so a
 * classification can name the answers that apply but are missing. Personal questions are
 * left out: routing never reads them, and age has its own check. */
static wl_rc load_qchecks(ld_t *ld)
{
    wl_rules_t *r = ld->r;
    const wl_questionnaire_t *q = ld->q;
    r->qchecks = calloc(q->n_questions + 1, sizeof *r->qchecks);
    if (!r->qchecks) return WL_ERR_NOMEM;
    for (size_t i = 0; i < q->n_questions; i++) {
        const wl_question_t *qq = &q->questions[i];
        if (qq->personal || !qq->required || json_is_false(qq->required)) continue;
        rl_qcheck_t *c = &r->qchecks[r->n_qchecks];
        if (!(c->id = strdup(qq->id))) return WL_ERR_NOMEM;
        r->n_qchecks++;
        if (qq->relevant && !(c->relevant = age_as_var(qq->relevant))) return WL_ERR_NOMEM;
        if (!(c->required = age_as_var(qq->required))) return WL_ERR_NOMEM;
    }
    return WL_OK;
}

/* ---------------------------------------------------------------------------------------- */

static void free_chain(rl_chain_t *c)
{
    for (size_t i = 0; i < c->n; i++) free_rule(&c->rules[i]);
    free(c->rules);
    free_rule(&c->def);
    json_decref(c->j_stage);
}

void wl_rules_free(wl_rules_t *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_scores; i++) {
        for (size_t k = 0; k < r->scores[i].n_terms; k++) free_rule(&r->scores[i].terms[k]);
        free(r->scores[i].terms);
        json_decref(r->scores[i].j_stage);
    }
    free(r->scores);
    for (size_t i = 0; i < r->n_domains; i++) {
        for (size_t k = 0; k < r->domains[i].n_problems; k++) free_rule(&r->domains[i].problems[k]);
        free(r->domains[i].problems);
        json_decref(r->domains[i].j_stage);
    }
    free(r->domains);
    for (size_t i = 0; i < r->n_signals; i++) free_rule(&r->signals[i].r);
    free(r->signals);
    for (size_t i = 0; i < r->n_derived; i++) rl_fast_free(r->derived[i].fast);
    free(r->derived);
    free_chain(&r->route);
    free_chain(&r->form);
    free_chain(&r->kik);
    free_chain(&r->regie);
    for (size_t i = 0; i < r->n_gesprek; i++) free_rule(&r->gesprek[i]);
    free(r->gesprek);
    free_rule(&r->onvolledig); /* zeroed when there is none */
    json_decref(r->j_stage_gesprek);
    for (size_t i = 0; i < r->n_qchecks; i++) {
        free(r->qchecks[i].id);
        rl_fast_free(r->qchecks[i].frel);
        rl_fast_free(r->qchecks[i].freq);
        json_decref(r->qchecks[i].relevant);
        json_decref(r->qchecks[i].required);
    }
    free(r->qchecks);
    json_decref(r->j_stage_signal);
    json_decref(r->j_stage_domain);
    for (size_t i = 0; i < r->n_answer_ids; i++) free(r->answer_ids[i]);
    free(r->answer_ids);
    json_decref(r->doc);
    free(r->path);
    free(r);
}

const char *wl_rules_version(const wl_rules_t *r)
{
    return r ? r->version : NULL;
}

static wl_rc load_all(ld_t *ld, json_t *doc)
{
    static const char *const keys[] = {"id", "version", "questionnaire", "description", "derived",
                                       "scores", "domains", "signals", "route", "participatie_form",
                                       "kik_status", "regie", "gesprek", "max_reasons", NULL};
    wl_rules_t *r = ld->r;
    if (!json_is_object(doc)) return fail(ld, 1, "the rules file must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (!in_list(keys, key)) return fail(ld, line_of_key(ld, key), "unknown field '%s' at the top level", key);
    }
    r->version = text_field(doc, "version");
    if (!r->version) return fail(ld, line_of_key(ld, "version"), "missing field 'version'");
    r->j_version = json_object_get(doc, "version");
    const char *qid = text_field(doc, "questionnaire");
    if (!qid || strcmp(qid, ld->q->id))
        return fail(ld, line_of_key(ld, "questionnaire"),
                    "field 'questionnaire' must be \"%s\" (the questionnaire these rules read)", ld->q->id);
    for (size_t i = 0; RESERVED[i]; i++)
        if (wl_questionnaire_find(ld->q, RESERVED[i], NULL))
            return fail(ld, 0, "question id '%s' in %s is reserved for a computed value", RESERVED[i], ld->q->path);
    wl_rc rc;
    if ((rc = load_derived(ld, doc))) return rc;
    if ((rc = load_scores(ld, doc))) return rc;
    if ((rc = load_domains(ld, doc))) return rc;
    if ((rc = load_signals(ld, doc))) return rc;
    if ((rc = load_chain(ld, doc, "route", ST_ROUTE, WL_ROUTES, false, &r->route))) return rc;
    if ((rc = load_chain(ld, doc, "participatie_form", ST_FORM, WL_FORMS, true, &r->form))) return rc;
    if ((rc = load_chain(ld, doc, "kik_status", ST_KIK, WL_KIK_STATUSES, false, &r->kik))) return rc;
    if ((rc = load_chain(ld, doc, "regie", ST_REGIE, WL_REGIES, false, &r->regie))) return rc;
    if ((rc = load_gesprek(ld, doc))) return rc;
    if ((rc = load_qchecks(ld))) return rc;
    const json_t *mr = json_object_get(doc, "max_reasons");
    r->max_reasons = 3;
    if (mr) {
        if (!json_is_integer(mr) || json_integer_value(mr) < 1 || json_integer_value(mr) > 5)
            return fail(ld, line_of_key(ld, "max_reasons"), "'max_reasons' must be a whole number from 1 to 5");
        r->max_reasons = (size_t)json_integer_value(mr);
    }
    r->j_stage_signal = json_string("signal");
    r->j_stage_domain = json_string("domain");
    if (!r->j_stage_signal || !r->j_stage_domain) return WL_ERR_NOMEM;
    return rl_compile_all(r);
}

wl_rc wl_rules_load(const char *path, const wl_questionnaire_t *q, wl_rules_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!path || !q) {
        wl_err_set(err, "wl_rules_load: no path or questionnaire");
        return WL_ERR_INVALID;
    }
    json_t *doc = NULL;
    wl_rc rc = wl_json_load_file(path, &doc, err);
    if (rc) return rc;
    wl_rules_t *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        json_decref(doc);
        wl_err_set(err, "%s: out of memory", path);
        return WL_ERR_NOMEM;
    }
    r->doc = doc;
    ld_t ld = {path, wl_json_read_text(path, NULL), q, r, json_object(), NULL, err};
    rc = ld.seen ? load_all(&ld, doc) : WL_ERR_NOMEM;
    if (rc == WL_ERR_NOMEM) wl_err_set(err, "%s: out of memory", path);
    free(ld.text);
    json_decref(ld.seen);
    if (rc) {
        wl_rules_free(r);
        return rc;
    }
    *out = r;
    return WL_OK;
}
