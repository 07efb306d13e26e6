/* Loads a questionnaire definition and rejects every mistake with file, line and field. */
#include "wijkloket/questionnaire.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/logic.h"
#include "base/json_text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_LENGTH 200
#define LIMIT_MAX_LENGTH 2000

/* Loader state: the file's text is kept so messages can name lines. */
typedef struct {
    const char *path;
    const char *text;
    wl_err_t *err;
    wl_questionnaire_t *q;
    const char **qpos; /* where each question's id was found in text */
} ld_t;

/* Sets "path:line: what" with the line of pos (or no line when pos is NULL). */
static wl_rc fail(ld_t *L, const char *pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static wl_rc fail(ld_t *L, const char *pos, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (pos)
        wl_err_set(L->err, "%s:%d: %s", L->path, wl_json_line_at(L->text, pos), what);
    else
        wl_err_set(L->err, "%s: %s", L->path, what);
    return WL_ERR_INVALID;
}

/* Best-effort position of "key": after from; falls back to from so a line is always named. */
static const char *key_pos(ld_t *L, const char *from, const char *key)
{
    char needle[128];
    snprintf(needle, sizeof needle, "\"%s\":", key);
    const char *p = wl_json_find(L->text, from, needle);
    return p ? p : from;
}

static const char *id_pos(ld_t *L, const char *from, const char *key, const char *id)
{
    char needle[256];
    snprintf(needle, sizeof needle, "\"%s\": \"%s\"", key, id);
    const char *p = wl_json_find(L->text, from, needle);
    return p ? p : from;
}

/* Identifiers appear in rules as var names and in stored answers: lower-case letters, digits
 * and underscores, starting with a letter, so they never need quoting or escaping. */
static bool valid_id(const char *s)
{
    if (!s || !islower((unsigned char)s[0])) return false;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_') return false;
    return strlen(s) <= 64;
}

/* Option values are stored in answers: letters, digits, '_', '-' and '.' only. */
static bool valid_value(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') return false;
    return true;
}

static bool in_list(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (!strcmp(key, *allowed)) return true;
    return false;
}

/* Every key must be known: a typo like "relevent" would otherwise silently disable a rule. */
static wl_rc check_keys(ld_t *L, const json_t *obj, const char *const *allowed, const char *from,
                        const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (!in_list(key, allowed))
            return fail(L, key_pos(L, from, key), "%s: unknown field '%s'", what, key);
    }
    return WL_OK;
}

/* Copies an optional string field; a present field must be a non-empty string. */
static wl_rc get_str(ld_t *L, const json_t *obj, const char *key, bool required, char **out,
                     const char *from, const char *what)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) return fail(L, from, "%s: field '%s' is missing", what, key);
        return WL_OK;
    }
    if (!json_is_string(v)) return fail(L, key_pos(L, from, key), "%s field '%s': must be text", what, key);
    const char *s = json_string_value(v);
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    if (!s[i]) return fail(L, key_pos(L, from, key), "%s field '%s': Dutch text is empty", what, key);
    *out = strdup(s);
    if (!*out) {
        wl_err_set(L->err, "%s: out of memory", L->path);
        return WL_ERR_NOMEM;
    }
    return WL_OK;
}

static wl_rc get_bool(ld_t *L, const json_t *obj, const char *key, bool *out, const char *from,
                      const char *what)
{
    const json_t *v = json_object_get(obj, key);
    if (!v) return WL_OK;
    if (!json_is_boolean(v))
        return fail(L, key_pos(L, from, key), "%s field '%s': must be true or false", what, key);
    *out = json_is_true(v);
    return WL_OK;
}

static const char *const TOP_KEYS[] = {"id", "version", "language", "sections", "comment", NULL};
static const char *const SECTION_KEYS[] = {"id", "title", "intro", "personal", "questions", "comment", NULL};
static const char *const QUESTION_KEYS[] = {"id", "type", "text", "help", "pictogram", "unit", "min",
                                            "max", "integer", "max_length", "format", "options",
                                            "relevant", "required", "validations", "group", "comment", NULL};
static const char *const OPTION_KEYS[] = {"value", "text", "exclusive", "pictogram", "comment", NULL};
static const char *const VALIDATION_KEYS[] = {"rule", "message", "comment", NULL};

static const char *const TYPE_NAMES[] = {"single", "multiple", "yesno", "number", "date", "text", NULL};
static const char *const FORMAT_NAMES[] = {"plain", "bsn", "phone", "email", NULL};

static int name_index(const char *s, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

/* Fields that only make sense for some types: a "min" on a text question is a mistake. */
static wl_rc check_type_fields(ld_t *L, const json_t *jq, wl_qtype_t t, const char *pos, const char *what)
{
    static const struct {
        const char *key;
        unsigned types; /* bit per wl_qtype_t */
    } only[] = {
        {"options", 1u << WL_Q_SINGLE | 1u << WL_Q_MULTIPLE},
        {"min", 1u << WL_Q_NUMBER},
        {"max", 1u << WL_Q_NUMBER},
        {"integer", 1u << WL_Q_NUMBER},
        {"unit", 1u << WL_Q_NUMBER},
        {"max_length", 1u << WL_Q_TEXT},
        {"format", 1u << WL_Q_TEXT},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++) {
        if (json_object_get(jq, only[i].key) && !(only[i].types & (1u << t)))
            return fail(L, key_pos(L, pos, only[i].key), "%s field '%s': not allowed for type '%s'",
                        what, only[i].key, TYPE_NAMES[t]);
    }
    return WL_OK;
}

static wl_rc load_options(ld_t *L, const json_t *jq, wl_question_t *qq, const char *pos, const char *what)
{
    const json_t *opts = json_object_get(jq, "options");
    if (qq->type != WL_Q_SINGLE && qq->type != WL_Q_MULTIPLE) return WL_OK;
    if (!json_is_array(opts) || json_array_size(opts) == 0)
        return fail(L, key_pos(L, pos, "options"), "%s field 'options': a %s question needs a list of options",
                    what, TYPE_NAMES[qq->type]);
    size_t n = json_array_size(opts);
    qq->options = calloc(n, sizeof *qq->options);
    if (!qq->options) return WL_ERR_NOMEM;
    const char *cursor = key_pos(L, pos, "options");
    for (size_t i = 0; i < n; i++) {
        const json_t *jo = json_array_get(opts, i);
        char owhat[200];
        snprintf(owhat, sizeof owhat, "%s option %zu", what, i + 1);
        if (!json_is_object(jo)) return fail(L, cursor, "%s: must be an object", owhat);
        const json_t *jv = json_object_get(jo, "value");
        const char *from = i ? cursor + 1 : cursor;
        const char *opos = json_is_string(jv) ? id_pos(L, from, "value", json_string_value(jv)) : from;
        wl_rc rc = check_keys(L, jo, OPTION_KEYS, opos, owhat);
        if (rc) return rc;
        wl_option_t *o = &qq->options[i];
        qq->n_options = i + 1;
        if (!json_is_string(jv) || !valid_value(json_string_value(jv)))
            return fail(L, opos, "%s field 'value': must be text of letters, digits, '_', '-' or '.'", owhat);
        snprintf(owhat, sizeof owhat, "%s option '%s'", what, json_string_value(jv));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(qq->options[j].value, json_string_value(jv)))
                return fail(L, opos, "%s: duplicate option value '%s'", what, json_string_value(jv));
        o->value = strdup(json_string_value(jv));
        if (!o->value) return WL_ERR_NOMEM;
        o->line = wl_json_line_at(L->text, opos);
        if ((rc = get_str(L, jo, "text", true, &o->text, opos, owhat))) return rc;
        if ((rc = get_str(L, jo, "pictogram", false, &o->pictogram, opos, owhat))) return rc;
        if ((rc = get_bool(L, jo, "exclusive", &o->exclusive, opos, owhat))) return rc;
        if (o->exclusive && qq->type != WL_Q_MULTIPLE)
            return fail(L, key_pos(L, opos, "exclusive"), "%s field 'exclusive': only for multiple choice", owhat);
        cursor = opos;
    }
    return WL_OK;
}

static wl_rc load_number(ld_t *L, const json_t *jq, wl_question_t *qq, const char *pos, const char *what)
{
    if (qq->type != WL_Q_NUMBER) return WL_OK;
    const json_t *mn = json_object_get(jq, "min"), *mx = json_object_get(jq, "max");
    /* A range is required: it keeps typing slips out and gives the citizen a clear message. */
    if (!json_is_number(mn)) return fail(L, mn ? key_pos(L, pos, "min") : pos, "%s field 'min': a number question needs a number here", what);
    if (!json_is_number(mx)) return fail(L, mx ? key_pos(L, pos, "max") : pos, "%s field 'max': a number question needs a number here", what);
    qq->min = json_number_value(mn);
    qq->max = json_number_value(mx);
    if (qq->min > qq->max)
        return fail(L, key_pos(L, pos, "max"), "%s field 'max': %g is below min %g", what, qq->max, qq->min);
    wl_rc rc = get_bool(L, jq, "integer", &qq->integer, pos, what);
    if (rc) return rc;
    if (qq->integer && (qq->min != floor(qq->min) || qq->max != floor(qq->max)))
        return fail(L, key_pos(L, pos, "min"), "%s: an integer question needs whole min and max", what);
    return get_str(L, jq, "unit", false, &qq->unit, pos, what);
}

static wl_rc load_text(ld_t *L, const json_t *jq, wl_question_t *qq, const char *pos, const char *what)
{
    qq->max_length = DEFAULT_MAX_LENGTH;
    if (qq->type != WL_Q_TEXT) return WL_OK;
    const json_t *ml = json_object_get(jq, "max_length");
    if (ml) {
        if (!json_is_integer(ml) || json_integer_value(ml) < 1 || json_integer_value(ml) > LIMIT_MAX_LENGTH)
            return fail(L, key_pos(L, pos, "max_length"), "%s field 'max_length': must be a whole number from 1 to %d",
                        what, LIMIT_MAX_LENGTH);
        qq->max_length = (size_t)json_integer_value(ml);
    }
    const json_t *fm = json_object_get(jq, "format");
    if (fm) {
        int f = json_is_string(fm) ? name_index(json_string_value(fm), FORMAT_NAMES) : -1;
        if (f < 0)
            return fail(L, key_pos(L, pos, "format"), "%s field 'format': must be plain, bsn, phone or email", what);
        qq->format = (wl_text_format_t)f;
    }
    return WL_OK;
}

/* Rules are stored as given (a new reference) and checked once every id is known. */
static wl_rc load_rules(ld_t *L, const json_t *jq, wl_question_t *qq, const char *pos, const char *what)
{
    const json_t *rel = json_object_get(jq, "relevant");
    if (rel) {
        if (!json_is_object(rel) && !json_is_boolean(rel))
            return fail(L, key_pos(L, pos, "relevant"), "%s field 'relevant': must be a rule object or true/false", what);
        qq->relevant = json_incref((json_t *)rel);
    }
    const json_t *req = json_object_get(jq, "required");
    if (req) {
        if (!json_is_object(req) && !json_is_boolean(req))
            return fail(L, key_pos(L, pos, "required"), "%s field 'required': must be true, false or a rule object", what);
        qq->required = json_incref((json_t *)req);
    }
    const json_t *vals = json_object_get(jq, "validations");
    if (!vals) return WL_OK;
    const char *vpos = key_pos(L, pos, "validations");
    if (!json_is_array(vals)) return fail(L, vpos, "%s field 'validations': must be a list", what);
    size_t n = json_array_size(vals);
    if (!n) return WL_OK;
    qq->validations = calloc(n, sizeof *qq->validations);
    if (!qq->validations) return WL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const json_t *jv = json_array_get(vals, i);
        char vwhat[200];
        snprintf(vwhat, sizeof vwhat, "%s validation %zu", what, i + 1);
        const char *here = key_pos(L, vpos, "rule");
        if (!json_is_object(jv)) return fail(L, vpos, "%s: must be an object with rule and message", vwhat);
        wl_rc rc = check_keys(L, jv, VALIDATION_KEYS, here, vwhat);
        if (rc) return rc;
        wl_validation_t *v = &qq->validations[i];
        qq->n_validations = i + 1;
        const json_t *rule = json_object_get(jv, "rule");
        if (!json_is_object(rule)) return fail(L, here, "%s field 'rule': must be a rule object", vwhat);
        v->rule = json_incref((json_t *)rule);
        if ((rc = get_str(L, jv, "message", true, &v->message, here, vwhat))) return rc;
        vpos = here + 1;
    }
    return WL_OK;
}

static wl_rc load_question(ld_t *L, const json_t *jq, wl_question_t *qq, const wl_section_t *sec,
                           const char *pos)
{
    char what[160];
    const json_t *jid = json_object_get(jq, "id");
    if (!json_is_string(jid) || !valid_id(json_string_value(jid)))
        return fail(L, pos, "section '%s' question %zu field 'id': must be lower-case letters, digits and '_', starting with a letter",
                    sec->id, sec->count + 1);
    snprintf(what, sizeof what, "question '%s'", json_string_value(jid));
    wl_rc rc = check_keys(L, jq, QUESTION_KEYS, pos, what);
    if (rc) return rc;
    for (size_t i = 0; i < L->q->n_questions; i++)
        if (!strcmp(L->q->questions[i].id, json_string_value(jid)))
            return fail(L, pos, "%s: duplicate question id (first on line %d)", what, L->q->questions[i].line);
    /* Count it now so a failure below still frees what was copied. */
    L->q->n_questions++;
    qq->id = strdup(json_string_value(jid));
    qq->section_id = strdup(sec->id);
    if (!qq->id || !qq->section_id) return WL_ERR_NOMEM;
    qq->line = wl_json_line_at(L->text, pos);
    qq->personal = sec->personal;

    const json_t *jt = json_object_get(jq, "type");
    int t = json_is_string(jt) ? name_index(json_string_value(jt), TYPE_NAMES) : -1;
    if (t < 0)
        return fail(L, jt ? key_pos(L, pos, "type") : pos,
                    "%s field 'type': must be single, multiple, yesno, number, date or text", what);
    qq->type = (wl_qtype_t)t;
    if ((rc = check_type_fields(L, jq, qq->type, pos, what))) return rc;
    if ((rc = get_str(L, jq, "text", true, &qq->text, pos, what))) return rc;
    if ((rc = get_str(L, jq, "help", false, &qq->help, pos, what))) return rc;
    if ((rc = get_str(L, jq, "pictogram", false, &qq->pictogram, pos, what))) return rc;
    if (qq->pictogram) qq->pictogram_line = wl_json_line_at(L->text, key_pos(L, pos, "pictogram"));
    if ((rc = get_str(L, jq, "group", false, &qq->group, pos, what))) return rc;
    if (qq->group && !valid_id(qq->group))
        return fail(L, key_pos(L, pos, "group"), "%s field 'group': must be lower-case letters, digits and '_', starting with a letter", what);
    if ((rc = load_options(L, jq, qq, pos, what))) return rc;
    if ((rc = load_number(L, jq, qq, pos, what))) return rc;
    if ((rc = load_text(L, jq, qq, pos, what))) return rc;
    return load_rules(L, jq, qq, pos, what);
}

static wl_rc load_section(ld_t *L, const json_t *js, wl_section_t *sec, size_t si, const char **cursor)
{
    char what[120];
    const json_t *jid = json_object_get(js, "id");
    const char *pos = json_is_string(jid) ? id_pos(L, *cursor, "id", json_string_value(jid)) : *cursor;
    if (!json_is_string(jid) || !valid_id(json_string_value(jid)))
        return fail(L, pos, "section %zu field 'id': must be lower-case letters, digits and '_', starting with a letter", si + 1);
    snprintf(what, sizeof what, "section '%s'", json_string_value(jid));
    wl_rc rc = check_keys(L, js, SECTION_KEYS, pos, what);
    if (rc) return rc;
    for (size_t i = 0; i < si; i++)
        if (!strcmp(L->q->sections[i].id, json_string_value(jid)))
            return fail(L, pos, "%s: duplicate section id", what);
    L->q->n_sections = si + 1;
    sec->id = strdup(json_string_value(jid));
    if (!sec->id) return WL_ERR_NOMEM;
    if ((rc = get_str(L, js, "title", true, &sec->title, pos, what))) return rc;
    if ((rc = get_str(L, js, "intro", false, &sec->intro, pos, what))) return rc;
    if ((rc = get_bool(L, js, "personal", &sec->personal, pos, what))) return rc;
    const json_t *qs = json_object_get(js, "questions");
    if (!json_is_array(qs) || json_array_size(qs) == 0)
        return fail(L, qs ? key_pos(L, pos, "questions") : pos, "%s field 'questions': needs a list with at least one question", what);
    sec->first = L->q->n_questions;
    sec->count = 0;
    *cursor = pos;
    size_t i;
    json_t *jq;
    json_array_foreach(qs, i, jq) {
        if (!json_is_object(jq)) return fail(L, *cursor, "%s question %zu: must be an object", what, i + 1);
        const json_t *qid = json_object_get(jq, "id");
        const char *qpos = json_is_string(qid) ? id_pos(L, *cursor + 1, "id", json_string_value(qid)) : *cursor;
        L->qpos[L->q->n_questions] = qpos;
        rc = load_question(L, jq, &L->q->questions[L->q->n_questions], sec, qpos);
        if (rc) return rc;
        sec->count++;
        *cursor = qpos;
    }
    return WL_OK;
}

/* wl_logic_check callback: a rule may only name questions of this questionnaire. */
typedef struct {
    const wl_questionnaire_t *q;
    const char *bad;
    size_t before;     /* for relevant: names must be of questions before this index */
    const char *later; /* the name that broke that */
} known_t;

static bool known_question(const char *name, void *ud)
{
    known_t *k = ud;
    size_t idx;
    if (!wl_questionnaire_find(k->q, name, &idx)) {
        k->bad = name;
        return false;
    }
    if (idx >= k->before) {
        k->later = name;
        return false;
    }
    return true;
}

/* The question a {"var": "id"} rule names, or NULL when v is something else. */
static const wl_question_t *var_question(const wl_questionnaire_t *q, const json_t *v)
{
    if (!json_is_object(v) || json_object_size(v) != 1) return NULL;
    const json_t *name = json_object_get(v, "var");
    if (json_is_array(name) && json_array_size(name) >= 1) name = json_array_get(name, 0);
    return json_is_string(name) ? wl_questionnaire_find(q, json_string_value(name), NULL) : NULL;
}

/* A literal compared with an answer must be a possible answer: a misspelt option value or
 * "ja" for a yes/no question would make the rule silently never hold. */
static bool literal_fits(const wl_question_t *qq, const json_t *lit, char *why, size_t size)
{
    if (json_is_object(lit) || json_is_array(lit) || json_is_null(lit)) return true;
    if (qq->type == WL_Q_SINGLE || qq->type == WL_Q_MULTIPLE) {
        if (json_is_string(lit) && wl_question_option(qq, json_string_value(lit))) return true;
        if (json_is_string(lit))
            snprintf(why, size, "'%s' is not an option of question '%s'", json_string_value(lit), qq->id);
        else
            snprintf(why, size, "question '%s' has option values (text), not a number or true/false", qq->id);
        return false;
    }
    if (qq->type == WL_Q_YESNO && !json_is_boolean(lit)) {
        snprintf(why, size, "question '%s' is answered with true or false, not with text or a number", qq->id);
        return false;
    }
    return true;
}

typedef struct {
    const wl_questionnaire_t *q;
    char *why;
    size_t size;
} lit_t;

/* A literal compared with a question's answer must be a value that answer can take. */
static bool literal_cmp(const char *op, const json_t *a, const json_t *b, void *ud)
{
    lit_t *L = ud;
    if (!strcmp(op, "in")) {
        const wl_question_t *qb = var_question(L->q, b);
        return !(qb && qb->type != WL_Q_TEXT && !literal_fits(qb, a, L->why, L->size));
    }
    const wl_question_t *qa = var_question(L->q, a), *qb = var_question(L->q, b);
    if (qa && !literal_fits(qa, b, L->why, L->size)) return false;
    return !(qb && !literal_fits(qb, a, L->why, L->size));
}

static bool check_literals(const wl_questionnaire_t *q, const json_t *rule, char *why, size_t size)
{
    lit_t L = {q, why, size};
    return wl_logic_each_comparison(rule, literal_cmp, &L);
}

static wl_rc check_rule(ld_t *L, const json_t *rule, size_t qi, const char *field)
{
    if (!rule || json_is_boolean(rule)) return WL_OK;
    const wl_question_t *qq = &L->q->questions[qi];
    /* The kiosk asks in file order, so whether a question is asked may only depend on
     * answers already given; a rule on itself or a later question could hide it for good. */
    known_t k = {L->q, NULL, !strcmp(field, "relevant") ? qi : SIZE_MAX, NULL};
    wl_err_t e = {""};
    wl_rc rc = wl_logic_check(rule, known_question, &k, &e);
    char why[300];
    if (rc == WL_OK && !check_literals(L->q, rule, why, sizeof why)) {
        rc = WL_ERR_INVALID;
        snprintf(e.msg, sizeof e.msg, "%s", why);
    }
    if (rc == WL_OK) return WL_OK;
    char fname[32];
    snprintf(fname, sizeof fname, "%s", !strncmp(field, "validations", 11) ? "validations" : field);
    const char *pos = key_pos(L, L->qpos[qi], fname);
    /* validations[n].rule: the n-th "rule" key after "validations". */
    if (!strcmp(fname, "validations")) {
        size_t n = strtoul(field + strlen("validations["), NULL, 10);
        for (size_t i = 0; i <= n; i++) pos = key_pos(L, i ? pos + 1 : pos, "rule");
    }
    if (k.bad)
        return fail(L, pos, "question '%s' field '%s': unknown question id '%s'", qq->id, field, k.bad);
    if (k.later)
        return fail(L, pos, "question '%s' field '%s': question '%s' is not asked before this one; "
                    "a question can only depend on earlier answers", qq->id, field, k.later);
    return fail(L, pos, "question '%s' field '%s': %s", qq->id, field, e.msg);
}

static wl_rc check_rules(ld_t *L)
{
    for (size_t i = 0; i < L->q->n_questions; i++) {
        const wl_question_t *qq = &L->q->questions[i];
        wl_rc rc;
        if ((rc = check_rule(L, qq->relevant, i, "relevant"))) return rc;
        if ((rc = check_rule(L, qq->required, i, "required"))) return rc;
        for (size_t v = 0; v < qq->n_validations; v++) {
            char field[40];
            snprintf(field, sizeof field, "validations[%zu].rule", v);
            if ((rc = check_rule(L, qq->validations[v].rule, i, field))) return rc;
        }
    }
    return WL_OK;
}

/* How many yes/no questions one screen holds: four rows of text and Ja/Nee still fit 800x480. */
#define GROUP_MAX 4

typedef struct {
    const wl_questionnaire_t *q;
    size_t first, count;
    const char *hit; /* a member of the group named in a member's rule */
} member_t;

static bool names_member(const char *name, void *ud)
{
    member_t *m = ud;
    for (size_t i = m->first; i < m->first + m->count; i++)
        if (!strcmp(m->q->questions[i].id, name)) m->hit = m->q->questions[i].id;
    return true;
}

/* A group is one screen: its members follow each other in one section, are all yes/no, and
 * none decides whether another is asked or required (the screen would change while answered). */
static wl_rc check_groups(ld_t *L)
{
    wl_questionnaire_t *q = L->q;
    for (size_t i = 0; i < q->n_questions; i++) {
        q->questions[i].group_first = i;
        q->questions[i].group_count = 1;
    }
    for (size_t i = 0; i < q->n_questions;) {
        wl_question_t *qq = &q->questions[i];
        if (!qq->group) { i++; continue; }
        const char *gpos = key_pos(L, L->qpos[i], "group");
        for (size_t k = 0; k < i; k++)
            if (q->questions[k].group && !strcmp(q->questions[k].group, qq->group))
                return fail(L, gpos, "question '%s' field 'group': the questions of group '%s' must follow each other "
                            "(question '%s' is in it too)", qq->id, qq->group, q->questions[k].id);
        size_t n = 0;
        while (i + n < q->n_questions && q->questions[i + n].group && !strcmp(q->questions[i + n].group, qq->group)) n++;
        if (n < 2)
            return fail(L, gpos, "question '%s' field 'group': group '%s' needs at least two questions that follow each other",
                        qq->id, qq->group);
        if (n > GROUP_MAX)
            return fail(L, key_pos(L, L->qpos[i + GROUP_MAX], "group"),
                        "question '%s' field 'group': group '%s' has more than %d questions; one screen holds %d",
                        q->questions[i + GROUP_MAX].id, qq->group, GROUP_MAX, GROUP_MAX);
        for (size_t k = i; k < i + n; k++) {
            wl_question_t *m = &q->questions[k];
            const char *mpos = key_pos(L, L->qpos[k], "group");
            if (m->type != WL_Q_YESNO)
                return fail(L, mpos, "question '%s' field 'group': only yes/no questions can be asked together", m->id);
            if (strcmp(m->section_id, qq->section_id))
                return fail(L, mpos, "question '%s' field 'group': group '%s' crosses from section '%s' into '%s'",
                            m->id, qq->group, qq->section_id, m->section_id);
            member_t mb = {q, i, n, NULL};
            wl_logic_each_var(m->relevant, names_member, &mb);
            if (!mb.hit) wl_logic_each_var(m->required, names_member, &mb);
            if (mb.hit)
                return fail(L, mpos, "question '%s' field 'group': whether it is asked depends on '%s' of the same group; "
                            "put them in separate groups", m->id, mb.hit);
            m->group_first = i;
            m->group_count = n;
        }
        i += n;
    }
    return WL_OK;
}

static wl_rc load_doc(ld_t *L, const json_t *doc)
{
    wl_questionnaire_t *q = L->q;
    const char *top = L->text;
    if (!json_is_object(doc)) return fail(L, top, "the file must hold one JSON object");
    wl_rc rc = check_keys(L, doc, TOP_KEYS, top, "questionnaire");
    if (rc) return rc;
    if ((rc = get_str(L, doc, "id", true, &q->id, key_pos(L, top, "id"), "questionnaire"))) return rc;
    if (!valid_id(q->id))
        return fail(L, key_pos(L, top, "id"), "questionnaire field 'id': must be lower-case letters, digits and '_'");
    if ((rc = get_str(L, doc, "version", true, &q->version, top, "questionnaire"))) return rc;
    const json_t *lang = json_object_get(doc, "language");
    if (!json_is_string(lang) || strcmp(json_string_value(lang), "nl") != 0)
        return fail(L, lang ? key_pos(L, top, "language") : top,
                    "questionnaire field 'language': must be \"nl\" (Dutch is the source language; translations live in locale/)");
    const json_t *secs = json_object_get(doc, "sections");
    if (!json_is_array(secs) || json_array_size(secs) == 0)
        return fail(L, secs ? key_pos(L, top, "sections") : top, "questionnaire field 'sections': needs a list with at least one section");

    size_t nq = 0, i;
    json_t *js;
    json_array_foreach(secs, i, js) {
        const json_t *qs = json_object_get(js, "questions");
        if (json_is_array(qs)) nq += json_array_size(qs);
    }
    q->sections = calloc(json_array_size(secs), sizeof *q->sections);
    q->questions = calloc(nq ? nq : 1, sizeof *q->questions);
    L->qpos = calloc(nq ? nq : 1, sizeof *L->qpos);
    if (!q->sections || !q->questions || !L->qpos) return WL_ERR_NOMEM;
    const char *cursor = key_pos(L, top, "sections");
    json_array_foreach(secs, i, js) {
        if (!json_is_object(js)) return fail(L, cursor, "section %zu: must be an object", i + 1);
        if ((rc = load_section(L, js, &q->sections[i], i, &cursor))) return rc;
    }
    if ((rc = check_rules(L))) return rc;
    return check_groups(L);
}

wl_rc wl_questionnaire_load(const char *path, wl_questionnaire_t **out, wl_err_t *err)
{
    *out = NULL;
    size_t len = 0;
    char *text = wl_json_read_text(path, &len);
    if (!text) {
        wl_err_set(err, "%s: cannot read questionnaire: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    json_t *doc = NULL;
    wl_rc rc = wl_json_load_string(text, path, &doc, err);
    if (rc) {
        free(text);
        return rc;
    }
    wl_questionnaire_t *q = calloc(1, sizeof *q);
    ld_t L = {path, text, err, q, NULL};
    if (!q || !(q->path = strdup(path))) {
        rc = WL_ERR_NOMEM;
    } else {
        rc = load_doc(&L, doc);
    }
    if (rc == WL_ERR_NOMEM) wl_err_set(err, "%s: out of memory", path);
    free(L.qpos);
    json_decref(doc);
    free(text);
    if (rc) {
        wl_questionnaire_free(q);
        return rc;
    }
    *out = q;
    return WL_OK;
}

void wl_questionnaire_free(wl_questionnaire_t *q)
{
    if (!q) return;
    for (size_t i = 0; i < q->n_sections; i++) {
        free(q->sections[i].id);
        free(q->sections[i].title);
        free(q->sections[i].intro);
    }
    for (size_t i = 0; i < q->n_questions; i++) {
        wl_question_t *qq = &q->questions[i];
        free(qq->id);
        free(qq->section_id);
        free(qq->text);
        free(qq->help);
        free(qq->pictogram);
        free(qq->group);
        free(qq->unit);
        for (size_t o = 0; o < qq->n_options; o++) {
            free(qq->options[o].value);
            free(qq->options[o].text);
            free(qq->options[o].pictogram);
        }
        free(qq->options);
        json_decref(qq->relevant);
        json_decref(qq->required);
        for (size_t v = 0; v < qq->n_validations; v++) {
            json_decref(qq->validations[v].rule);
            free(qq->validations[v].message);
        }
        free(qq->validations);
    }
    free(q->sections);
    free(q->questions);
    free(q->id);
    free(q->version);
    free(q->path);
    free(q);
}

const wl_question_t *wl_questionnaire_find(const wl_questionnaire_t *q, const char *id, size_t *idx)
{
    if (!q || !id) return NULL;
    for (size_t i = 0; i < q->n_questions; i++) {
        if (!strcmp(q->questions[i].id, id)) {
            if (idx) *idx = i;
            return &q->questions[i];
        }
    }
    return NULL;
}

const wl_option_t *wl_question_option(const wl_question_t *qq, const char *value)
{
    if (!qq || !value) return NULL;
    for (size_t i = 0; i < qq->n_options; i++)
        if (!strcmp(qq->options[i].value, value)) return &qq->options[i];
    return NULL;
}

bool wl_bsn_valid(const char *s)
{
    if (!s || strlen(s) != 9) return false;
    int sum = 0;
    bool nonzero = false;
    for (int i = 0; i < 9; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        int dgt = s[i] - '0';
        if (dgt) nonzero = true;
        /* Weights 9..2 for the first eight digits; the check digit counts -1. */
        sum += (i < 8 ? 9 - i : -1) * dgt;
    }
    return nonzero && sum % 11 == 0;
}
