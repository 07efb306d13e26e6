/* Loads and checks assets/minima/wizard.json: the minima wizard's steps, ranges and school-age rule. */
#include "wijkloket/minima_wizard.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/dates.h"
#include "wijkloket/jsonfile.h"

#define MAX_PREFILL 16
#define MAX_ANY_OF 8

/* One entry of "from_questionnaire": a number step from the age at a birth date question,
 * or a choice step's option when a questionnaire answer is (or holds) one of any_of. */
typedef struct {
    wl_wiz_step_id step;
    const char *question;
    bool age_of;
    const char *any_of[MAX_ANY_OF];
    int n_any;
    int option;
} prefill_t;

struct wl_minima_wizard {
    json_t *root; /* owns every string the steps point to */
    const char *title;
    wl_wiz_step_t steps[WL_WIZ_STEPS];
    int ask_from, ask_to, none_below, primary_below;
    prefill_t prefill[MAX_PREFILL];
    int n_prefill;
};

/* What each step is: its id in the file, and whether it takes a number or how many options. */
static const struct {
    const char *id;
    bool number;
    int options; /* exact count for a choice step; 0 for none */
} KIND[WL_WIZ_STEPS] = {
    [WL_WIZ_INTRO] = {"intro", false, 0},          [WL_WIZ_PARTNER] = {"partner", false, 2},
    [WL_WIZ_AGE] = {"age", true, 0},               [WL_WIZ_PARTNER_AGE] = {"partner_age", true, 0},
    [WL_WIZ_CHILDREN] = {"children", false, 7},    [WL_WIZ_CHILD_AGE] = {"child_age", true, 0},
    [WL_WIZ_CHILD_SCHOOL] = {"child_school", false, 4},
    [WL_WIZ_INCOME] = {"income", true, 0},         [WL_WIZ_ASSETS] = {"assets", false, 3},
    [WL_WIZ_YEARS] = {"years", true, 0},           [WL_WIZ_STUDENT] = {"student", false, 2},
    [WL_WIZ_CHRONIC] = {"chronic", false, 3},      [WL_WIZ_GROSS] = {"gross", true, 0},
};

static const char *const STEP_KEYS[] = {"id", "question", "help", "unit", "message", "side_label", "side_text",
                                        "next_label", "text", "options", "pictograms", "min", "max", NULL};

static bool known(const char *const *keys, const char *k)
{
    for (int i = 0; keys[i]; i++)
        if (!strcmp(keys[i], k)) return true;
    return false;
}

typedef struct {
    const char *path;
    wl_err_t *err;
} ctx_t;

static wl_rc bad(ctx_t *c, const char *needle, const char *fmt, const char *a, const char *b)
{
    char what[300];
    snprintf(what, sizeof what, fmt, a ? a : "", b ? b : "");
    wl_err_set(c->err, "%s:%d: %s", c->path, needle ? wl_json_locate(c->path, needle) : 0, what);
    return WL_ERR_INVALID;
}

/* An optional text field: absent, or a non-empty string. */
static wl_rc text_field(ctx_t *c, json_t *o, const char *id, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) return WL_OK;
    if (!json_is_string(v) || !json_string_length(v)) return bad(c, id, "steps.%s.%s: must be a non-empty text", id, key);
    *out = json_string_value(v);
    return WL_OK;
}

static wl_rc text_list(ctx_t *c, json_t *o, const char *id, const char *key, const char **out, int cap, int *n)
{
    json_t *v = json_object_get(o, key), *e;
    size_t i;
    *n = 0;
    if (!v) return WL_OK;
    if (!json_is_array(v) || json_array_size(v) > (size_t)cap)
        return bad(c, id, "steps.%s.%s: must be a list of at most a few texts", id, key);
    json_array_foreach(v, i, e) {
        if (!json_is_string(e) || !json_string_length(e)) return bad(c, id, "steps.%s.%s: every item must be a non-empty text", id, key);
        out[(*n)++] = json_string_value(e);
    }
    return WL_OK;
}

static wl_rc whole(ctx_t *c, json_t *v, const char *id, const char *key, long *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000000)
        return bad(c, id, "steps.%s.%s: must be a whole number from 0 to 100000000", id, key);
    *out = (long)json_integer_value(v);
    return WL_OK;
}

static wl_rc load_step(ctx_t *c, json_t *o, wl_minima_wizard_t *w)
{
    const char *id = json_string_value(json_object_get(o, "id"));
    if (!json_is_object(o) || !id) return bad(c, "\"steps\"", "steps: every step needs an \"id\"%s%s", NULL, NULL);
    int k = 0;
    while (k < WL_WIZ_STEPS && strcmp(KIND[k].id, id)) k++;
    if (k == WL_WIZ_STEPS) return bad(c, id, "steps.%s: unknown step id (known: intro, partner, age, ...; see docs/minima.md)%s", id, NULL);
    wl_wiz_step_t *s = &w->steps[k];
    if (s->id) return bad(c, id, "steps.%s: this step is written twice%s", id, NULL);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (!known(STEP_KEYS, key)) return bad(c, key, "steps.%s: unknown field \"%s\"", id, key);
    }
    s->id = id;
    wl_rc rc = WL_OK;
    if (!rc) rc = text_field(c, o, id, "question", &s->question);
    if (!rc) rc = text_field(c, o, id, "help", &s->help);
    if (!rc) rc = text_field(c, o, id, "unit", &s->unit);
    if (!rc) rc = text_field(c, o, id, "message", &s->message);
    if (!rc) rc = text_field(c, o, id, "side_label", &s->side_label);
    if (!rc) rc = text_field(c, o, id, "side_text", &s->side_text);
    if (!rc) rc = text_field(c, o, id, "next_label", &s->next_label);
    if (!rc) rc = text_list(c, o, id, "text", s->text, WL_WIZ_MAX_TEXT, &s->n_text);
    if (!rc) rc = text_list(c, o, id, "options", s->options, WL_WIZ_MAX_OPTIONS, &s->n_options);
    int n_pictos = 0;
    if (!rc) rc = text_list(c, o, id, "pictograms", s->pictograms, WL_WIZ_MAX_OPTIONS, &n_pictos);
    if (rc) return rc;
    if (!s->question) return bad(c, id, "steps.%s: \"question\" is missing%s", id, NULL);
    if (KIND[k].options != s->n_options) {
        char want[16];
        snprintf(want, sizeof want, "%d", KIND[k].options);
        return bad(c, id, "steps.%s.options: this step needs exactly %s options", id, want);
    }
    /* A choice is read by its picture too (issue 16): every option names one. */
    if (n_pictos != s->n_options)
        return bad(c, id, "steps.%s.pictograms: needs one pictogram name per option, in the options' order%s", id, NULL);
    s->number = KIND[k].number;
    json_t *mn = json_object_get(o, "min"), *mx = json_object_get(o, "max");
    if (!s->number) {
        if (mn || mx || s->message) return bad(c, id, "steps.%s: min, max and message belong to number steps only%s", id, NULL);
        return WL_OK;
    }
    if (!mn || !mx || !s->message) return bad(c, id, "steps.%s: a number step needs min, max and message%s", id, NULL);
    if ((rc = whole(c, mn, id, "min", &s->min))) return rc;
    if (json_is_string(mx) && !strcmp(json_string_value(mx), "age")) {
        s->max_is_age = true;
        s->max = 130;
    } else if ((rc = whole(c, mx, id, "max", &s->max))) {
        return rc;
    }
    if (s->min > s->max) return bad(c, id, "steps.%s: min is larger than max%s", id, NULL);
    return WL_OK;
}

static wl_rc load_school(ctx_t *c, json_t *o, wl_minima_wizard_t *w)
{
    static const char *const keys[] = {"ask_from", "ask_to", "none_below", "primary_below", NULL};
    int *dst[] = {&w->ask_from, &w->ask_to, &w->none_below, &w->primary_below};
    if (!json_is_object(o)) return bad(c, "\"school_age\"", "school_age: must be an object with %s%s", "ask_from, ask_to, none_below, primary_below", NULL);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (!known(keys, key)) return bad(c, key, "school_age: unknown field \"%s\"%s", key, NULL);
    }
    for (int i = 0; keys[i]; i++) {
        v = json_object_get(o, keys[i]);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 40)
            return bad(c, keys[i], "school_age.%s: must be a whole number of years from 0 to 40%s", keys[i], NULL);
        *dst[i] = (int)json_integer_value(v);
    }
    if (!(w->none_below <= w->primary_below && w->primary_below <= w->ask_from && w->ask_from <= w->ask_to))
        return bad(c, "\"school_age\"", "school_age: needs none_below <= primary_below <= ask_from <= ask_to%s%s", NULL, NULL);
    return WL_OK;
}

static wl_rc load_prefill(ctx_t *c, json_t *list, wl_minima_wizard_t *w)
{
    static const char *const keys[] = {"step", "question", "age_of", "any_of", "option", NULL};
    json_t *e;
    size_t i;
    if (!list) return WL_OK;
    if (!json_is_array(list) || json_array_size(list) > MAX_PREFILL)
        return bad(c, "\"from_questionnaire\"", "from_questionnaire: must be a list of at most 16 entries%s%s", NULL, NULL);
    json_array_foreach(list, i, e) {
        const char *step = json_string_value(json_object_get(e, "step"));
        if (!json_is_object(e) || !step) return bad(c, "\"from_questionnaire\"", "from_questionnaire: every entry needs a \"step\"%s%s", NULL, NULL);
        const char *key;
        json_t *v;
        json_object_foreach(e, key, v) {
            if (!known(keys, key)) return bad(c, key, "from_questionnaire.%s: unknown field \"%s\"", step, key);
        }
        int k = 0;
        while (k < WL_WIZ_STEPS && strcmp(KIND[k].id, step)) k++;
        if (k == WL_WIZ_STEPS) return bad(c, step, "from_questionnaire.%s: unknown step id%s", step, NULL);
        prefill_t *p = &w->prefill[w->n_prefill];
        memset(p, 0, sizeof *p);
        p->step = (wl_wiz_step_id)k;
        p->age_of = json_object_get(e, "age_of") != NULL;
        p->question = json_string_value(json_object_get(e, p->age_of ? "age_of" : "question"));
        if (!p->question || !*p->question)
            return bad(c, step, "from_questionnaire.%s: needs \"age_of\" or \"question\" naming a question id%s", step, NULL);
        if (p->age_of) {
            if (k != WL_WIZ_AGE || json_object_get(e, "any_of") || json_object_get(e, "option"))
                return bad(c, step, "from_questionnaire.%s: \"age_of\" fills the age step only, without any_of or option%s", step, NULL);
        } else {
            json_t *any = json_object_get(e, "any_of"), *opt = json_object_get(e, "option"), *a;
            size_t j;
            if (KIND[k].number || !KIND[k].options)
                return bad(c, step, "from_questionnaire.%s: only a choice step takes \"question\" and \"option\"%s", step, NULL);
            if (!json_is_array(any) || !json_array_size(any) || json_array_size(any) > MAX_ANY_OF)
                return bad(c, step, "from_questionnaire.%s.any_of: must be a list of 1 to 8 answer values%s", step, NULL);
            json_array_foreach(any, j, a) {
                if (!json_is_string(a)) return bad(c, step, "from_questionnaire.%s.any_of: every value must be a text%s", step, NULL);
                p->any_of[p->n_any++] = json_string_value(a);
            }
            if (!json_is_integer(opt) || json_integer_value(opt) < 0 || json_integer_value(opt) >= KIND[k].options)
                return bad(c, step, "from_questionnaire.%s.option: must be the number of one of the step's options, from 0%s", step, NULL);
            p->option = (int)json_integer_value(opt);
        }
        w->n_prefill++;
    }
    return WL_OK;
}

wl_rc wl_minima_wizard_load(const char *assets_dir, wl_minima_wizard_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/minima/wizard.json", assets_dir ? assets_dir : ".");
    wl_minima_wizard_t *w = calloc(1, sizeof *w);
    if (!w) {
        wl_err_set(err, "%s: out of memory", path);
        return WL_ERR_NOMEM;
    }
    ctx_t c = {path, err};
    wl_rc rc = wl_json_load_file(path, &w->root, err);
    if (!rc && !json_is_object(w->root)) rc = bad(&c, NULL, "the file must hold one JSON object%s%s", NULL, NULL);
    if (!rc) {
        static const char *const top[] = {"description", "title", "school_age", "steps", "from_questionnaire", NULL};
        const char *key;
        json_t *v;
        json_object_foreach(w->root, key, v) {
            if (!known(top, key)) {
                rc = bad(&c, key, "unknown field \"%s\"%s", key, NULL);
                break;
            }
        }
    }
    if (!rc) {
        w->title = json_string_value(json_object_get(w->root, "title"));
        if (!w->title || !*w->title) rc = bad(&c, NULL, "\"title\" is missing%s%s", NULL, NULL);
    }
    if (!rc) rc = load_school(&c, json_object_get(w->root, "school_age"), w);
    json_t *steps = json_object_get(w->root, "steps"), *s;
    size_t i;
    if (!rc && !json_is_array(steps)) rc = bad(&c, NULL, "\"steps\" must be a list%s%s", NULL, NULL);
    if (!rc) json_array_foreach(steps, i, s) {
        if ((rc = load_step(&c, s, w))) break;
    }
    for (int k = 0; !rc && k < WL_WIZ_STEPS; k++)
        if (!w->steps[k].id) rc = bad(&c, "\"steps\"", "steps: step \"%s\" is missing%s", KIND[k].id, NULL);
    if (!rc) rc = load_prefill(&c, json_object_get(w->root, "from_questionnaire"), w);
    if (rc) {
        wl_minima_wizard_free(w);
        return rc;
    }
    *out = w;
    return WL_OK;
}

void wl_minima_wizard_free(wl_minima_wizard_t *w)
{
    if (!w) return;
    json_decref(w->root);
    free(w);
}

const char *wl_minima_wizard_title(const wl_minima_wizard_t *w)
{
    return w ? w->title : "";
}

const wl_wiz_step_t *wl_minima_wizard_step(const wl_minima_wizard_t *w, wl_wiz_step_id id)
{
    return w && (unsigned)id < WL_WIZ_STEPS ? &w->steps[id] : NULL;
}

wl_rc wl_minima_wizard_number(const wl_wiz_step_t *s, const char *typed, int applicant_age, long *out, wl_msg_t *msg)
{
    wl_msg_clear(msg);
    if (!s || !s->number) return WL_ERR_STATE;
    long hi = s->max_is_age ? applicant_age : s->max;
    char *end;
    errno = 0;
    long v = typed && *typed ? strtol(typed, &end, 10) : -1;
    if (!typed || !*typed || errno || *end || v < s->min || v > hi) {
        wl_msg_set(msg, s->message);
        return WL_ERR_INVALID;
    }
    *out = v;
    return WL_OK;
}

bool wl_minima_wizard_ask_school(const wl_minima_wizard_t *w, int age, wl_minima_school *implied)
{
    if (age >= w->ask_from && age <= w->ask_to) return true;
    if (implied)
        *implied = age < w->none_below ? WL_SCHOOL_NONE : age < w->primary_below ? WL_SCHOOL_PRIMARY : WL_SCHOOL_OTHER;
    return false;
}

/* Whether an answer (a value, or the list of a multiple choice) holds one of p's values. */
static bool answer_matches(const prefill_t *p, const json_t *a)
{
    for (int i = 0; i < p->n_any; i++) {
        if (json_is_string(a) && !strcmp(json_string_value(a), p->any_of[i])) return true;
        if (json_is_array(a)) {
            size_t j;
            json_t *e;
            json_array_foreach(a, j, e) {
                if (json_is_string(e) && !strcmp(json_string_value(e), p->any_of[i])) return true;
            }
        }
    }
    return false;
}

void wl_minima_wizard_known(const wl_minima_wizard_t *w, const wl_intake_t *answers, const char *today,
                            wl_wiz_known_t *out)
{
    for (int k = 0; k < WL_WIZ_STEPS; k++) {
        out->number[k] = -1;
        out->option[k] = -1;
    }
    out->n_known = 0;
    if (!w || !answers) return;
    for (int i = 0; i < w->n_prefill; i++) {
        const prefill_t *p = &w->prefill[i];
        const json_t *a = wl_intake_get(answers, p->question);
        if (!a) continue;
        if (p->age_of) {
            int age = json_is_string(a) && today ? wl_date_age(json_string_value(a), today) : -1;
            const wl_wiz_step_t *s = &w->steps[p->step];
            if (age < 0 || age < s->min || age > s->max || out->number[p->step] >= 0) continue;
            out->number[p->step] = age;
            out->n_known++;
        } else if (out->option[p->step] < 0 && answer_matches(p, a)) {
            /* The first entry that matches wins: the file lists the surer ones first. */
            out->option[p->step] = p->option;
            out->n_known++;
        }
    }
}

wl_rc wl_minima_wizard_check_questionnaire(const wl_minima_wizard_t *w, const wl_questionnaire_t *q,
                                           const char *path, wl_err_t *err)
{
    ctx_t c = {path ? path : "minima/wizard.json", err};
    for (int i = 0; w && q && i < w->n_prefill; i++) {
        const prefill_t *p = &w->prefill[i];
        const char *step = KIND[p->step].id;
        const wl_question_t *qq = wl_questionnaire_find(q, p->question, NULL);
        if (!qq) return bad(&c, p->question, "from_questionnaire.%s: the questionnaire has no question \"%s\"", step, p->question);
        if (p->age_of && qq->type != WL_Q_DATE)
            return bad(&c, p->question, "from_questionnaire.%s: \"%s\" is not a date question", step, p->question);
        if (!p->age_of && qq->type != WL_Q_SINGLE && qq->type != WL_Q_MULTIPLE)
            return bad(&c, p->question, "from_questionnaire.%s: \"%s\" is not a choice question", step, p->question);
        for (int j = 0; j < p->n_any; j++)
            if (!wl_question_option(qq, p->any_of[j]))
                return bad(&c, p->any_of[j], "from_questionnaire.%s.any_of: \"%s\" is not an option of that question", step,
                           p->any_of[j]);
    }
    return WL_OK;
}
