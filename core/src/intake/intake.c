/* An in-memory intake session: checks each answer, keeps only relevant answers, wipes on free. */
#include "wijkloket/intake.h"
#include "wijkloket/logic.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_intake {
    const wl_questionnaire_t *q;
    char today[11];
    json_t *data; /* {"question_id": value}: only answers to relevant questions */
};

/* Overwrites every string and number inside v so freed answers leave no trace in memory
 * (a kiosk runs for weeks and the next citizen must not find the last one's BSN). */
static void wipe(json_t *v)
{
    if (!v) return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        sodium_memzero((void *)json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: json_integer_set(v, 0); break;
    case JSON_REAL: json_real_set(v, 0.0); break;
    case JSON_ARRAY: {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) wipe(e);
        break;
    }
    case JSON_OBJECT: {
        const char *k;
        json_t *e;
        json_object_foreach(v, k, e) wipe(e);
        break;
    }
    default: break;
    }
}

static void wipe_answer(wl_intake_t *s, const char *qid)
{
    json_t *v = json_object_get(s->data, qid);
    if (!v) return;
    /* Only wipe what nobody else holds: a caller may still keep a reference it took. */
    if (v->refcount == 1) wipe(v);
    json_object_del(s->data, qid);
}

wl_intake_t *wl_intake_new(const wl_questionnaire_t *q, const char *today)
{
    if (!q) return NULL;
    wl_intake_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->q = q;
    snprintf(s->today, sizeof s->today, "%s", today ? today : "");
    s->data = json_object();
    if (!s->data) {
        free(s);
        return NULL;
    }
    return s;
}

void wl_intake_free(wl_intake_t *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->q->n_questions; i++) wipe_answer(s, s->q->questions[i].id);
    json_decref(s->data);
    sodium_memzero(s, sizeof *s);
    free(s);
}

const wl_questionnaire_t *wl_intake_questionnaire(const wl_intake_t *s)
{
    return s ? s->q : NULL;
}

const json_t *wl_intake_get(const wl_intake_t *s, const char *qid)
{
    if (!s || !qid) return NULL;
    return json_object_get(s->data, qid);
}

/* A rule that fails at run time (rules are checked at load, so this means odd data such as a
 * list where a number was expected) counts as `fallback`: relevance and required lean to
 * asking the question rather than hiding it. */
static bool rule_holds(const wl_intake_t *s, const json_t *data, const json_t *rule, bool fallback)
{
    if (!rule) return fallback;
    wl_logic_ctx_t ctx = {data, s->today};
    bool out = false;
    if (wl_logic_test(rule, &ctx, &out, NULL) != WL_OK) return fallback;
    return out;
}

bool wl_intake_relevant(const wl_intake_t *s, size_t i)
{
    if (!s || i >= s->q->n_questions) return false;
    const json_t *rel = s->q->questions[i].relevant;
    if (!rel) return true;
    return rule_holds(s, s->data, rel, true);
}

bool wl_intake_required(const wl_intake_t *s, size_t i)
{
    if (!wl_intake_relevant(s, i)) return false;
    const json_t *req = s->q->questions[i].required;
    if (!req) return false;
    return rule_holds(s, s->data, req, true);
}

size_t wl_intake_screen_start(const wl_intake_t *s, size_t i)
{
    if (!s || i >= s->q->n_questions) return i;
    const wl_question_t *g = &s->q->questions[i];
    for (size_t k = g->group_first; k < i; k++)
        if (wl_intake_relevant(s, k)) return k;
    return i;
}

size_t wl_intake_screen_end(const wl_intake_t *s, size_t i)
{
    if (!s || i >= s->q->n_questions) return i;
    return s->q->questions[i].group_first + s->q->questions[i].group_count - 1;
}

bool wl_intake_screen_open(const wl_intake_t *s, size_t i)
{
    for (size_t k = i; s && k <= wl_intake_screen_end(s, i); k++)
        if (wl_intake_required(s, k) && !wl_intake_get(s, s->q->questions[k].id)) return true;
    return false;
}

size_t wl_intake_next(const wl_intake_t *s, size_t after)
{
    if (!s) return SIZE_MAX;
    for (size_t i = after == SIZE_MAX ? 0 : after + 1; i < s->q->n_questions; i++)
        if (wl_intake_relevant(s, i)) return i;
    return SIZE_MAX;
}

size_t wl_intake_prev(const wl_intake_t *s, size_t before)
{
    if (!s) return SIZE_MAX;
    size_t i = before > s->q->n_questions ? s->q->n_questions : before;
    while (i-- > 0)
        if (wl_intake_relevant(s, i)) return i;
    return SIZE_MAX;
}

/* Hiding one question can hide another that depended on its answer: repeat until stable.
 * Each round removes at least one answer, so this ends within n_questions rounds. */
static void clear_irrelevant(wl_intake_t *s)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < s->q->n_questions; i++) {
            const char *id = s->q->questions[i].id;
            if (json_object_get(s->data, id) && !wl_intake_relevant(s, i)) {
                wipe_answer(s, id);
                changed = true;
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Checking one value (messages are for the citizen: Dutch, B1, "u")                         */

/* Dutch number notation for messages: 2,5 rather than 2.5. */
static void fmt_num(double x, char *buf, size_t size)
{
    if (x == floor(x) && fabs(x) < 1e15) snprintf(buf, size, "%.0f", x);
    else snprintf(buf, size, "%g", x);
    for (char *p = buf; *p; p++)
        if (*p == '.') *p = ',';
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Copies s without the characters in drop; false when it does not fit. */
static bool strip(const char *s, const char *drop, char *out, size_t size)
{
    size_t n = 0;
    for (; *s; s++) {
        if (strchr(drop, *s)) continue;
        if (n + 1 >= size) return false;
        out[n++] = *s;
    }
    out[n] = '\0';
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Normalises a Dutch phone number to digits (and a leading +); false when it is not one. */
static bool phone_ok(const char *in, char *out, size_t size)
{
    char d[40];
    bool ok = false;
    if (strip(in, " -()", d, sizeof d)) {
        const char *rest = NULL;
        if (d[0] == '0' && d[1] != '0') {
            ok = all_digits(d, 10) && snprintf(out, size, "%s", d) < (int)size;
        } else {
            if (!strncmp(d, "+31", 3)) rest = d + 3;
            else if (!strncmp(d, "0031", 4)) rest = d + 4;
            ok = rest && rest[0] != '0' && all_digits(rest, 9) && snprintf(out, size, "+31%s", rest) < (int)size;
        }
    }
    sodium_memzero(d, sizeof d);
    return ok;
}

static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>') return false;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0';
}

/* A refusal the citizen sees: the Dutch msgid goes into m (the front end translates it). */
static wl_rc bad(wl_msg_t *m, const char *msgid)
{
    wl_msg_set(m, msgid);
    return WL_ERR_INVALID;
}

/* Checks value against the question's type and returns a new normalised copy in *out. */
static wl_rc range_msg(wl_msg_t *m, const char *lo, const char *hi)
{
    wl_msg_set(m, N_("Vul een getal in tussen %1$s en %2$s."));
    wl_msg_arg(m, lo, false);
    wl_msg_arg(m, hi, false);
    return WL_ERR_INVALID;
}

static wl_rc check_value(const wl_question_t *qq, const json_t *value, json_t **out, wl_msg_t *m)
{
    *out = NULL;
    switch (qq->type) {
    case WL_Q_SINGLE:
        if (!json_is_string(value) || !wl_question_option(qq, json_string_value(value)))
            return bad(m, N_("Kies een van de antwoorden."));
        *out = json_string(json_string_value(value));
        break;
    case WL_Q_MULTIPLE: {
        if (!json_is_array(value)) return bad(m, N_("Kies een of meer antwoorden."));
        size_t i, n = json_array_size(value);
        json_t *e;
        const wl_option_t *excl = NULL;
        json_array_foreach(value, i, e) {
            const wl_option_t *o = json_is_string(e) ? wl_question_option(qq, json_string_value(e)) : NULL;
            if (!o) return bad(m, N_("Kies een of meer antwoorden uit de lijst."));
            for (size_t j = 0; j < i; j++)
                if (json_equal(e, json_array_get(value, j))) return bad(m, N_("U hebt een antwoord twee keer gekozen."));
            if (o->exclusive) excl = o;
        }
        if (excl && n > 1) {
            wl_msg_set(m, N_("U kunt \"%1$s\" niet samen met een ander antwoord kiezen."));
            wl_msg_arg(m, excl->text, true);
            return WL_ERR_INVALID;
        }
        *out = json_deep_copy(value);
        break;
    }
    case WL_Q_YESNO:
        if (!json_is_boolean(value)) return bad(m, N_("Kies ja of nee."));
        *out = json_boolean(json_is_true(value));
        break;
    case WL_Q_NUMBER: {
        char lo[32], hi[32];
        fmt_num(qq->min, lo, sizeof lo);
        fmt_num(qq->max, hi, sizeof hi);
        if (!json_is_number(value)) {
            return range_msg(m, lo, hi);
        }
        double x = json_number_value(value);
        if (qq->integer && x != floor(x)) return bad(m, N_("Vul een heel getal in, zonder komma."));
        if (!(x >= qq->min && x <= qq->max)) {
            return range_msg(m, lo, hi);
        }
        *out = qq->integer ? json_integer((json_int_t)x) : json_deep_copy(value);
        break;
    }
    case WL_Q_DATE:
        if (!json_is_string(value) || !wl_date_parse(json_string_value(value), NULL, NULL, NULL))
            return bad(m, N_("Deze datum bestaat niet. Vul de datum in als dag, maand en jaar."));
        *out = json_string(json_string_value(value));
        break;
    case WL_Q_TEXT: {
        if (!json_is_string(value)) return bad(m, N_("Vul hier tekst in."));
        const char *s = json_string_value(value);
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < ' ' || *p == 0x7f) return bad(m, N_("Gebruik alleen letters, cijfers en leestekens."));
        /* A BSN or phone number is bounded by its format; people type spaces in them. */
        bool formatted = qq->format == WL_TEXT_BSN || qq->format == WL_TEXT_PHONE;
        if (!formatted && utf8_chars(s) > qq->max_length) {
            char most[32];
            snprintf(most, sizeof most, "%zu", qq->max_length);
            wl_msg_set(m, N_("Uw antwoord is te lang. Gebruik hooguit %1$s tekens."));
            wl_msg_arg(m, most, false);
            return WL_ERR_INVALID;
        }
        char norm[64];
        if (qq->format == WL_TEXT_BSN) {
            /* People copy the number from a card or letter with spaces or dots in it. */
            char digits[16];
            if (!strip(s, " .", digits + 1, sizeof digits - 1)) return bad(m, N_("Een BSN heeft 9 cijfers. Kijk het nummer nog eens na."));
            /* Older numbers are printed with 8 digits: the missing first digit is a 0. */
            char *d = digits + 1;
            if (strlen(d) == 8) *--d = '0';
            if (!all_digits(d, 9)) {
                sodium_memzero(digits, sizeof digits);
                return bad(m, N_("Een BSN heeft 9 cijfers. Kijk het nummer nog eens na."));
            }
            bool ok = wl_bsn_valid(d);
            if (ok) *out = json_string(d);
            sodium_memzero(digits, sizeof digits);
            if (!ok) return bad(m, N_("Dit BSN klopt niet. Kijk het nummer nog eens na."));
        } else if (qq->format == WL_TEXT_PHONE) {
            bool ok = phone_ok(s, norm, sizeof norm);
            if (ok) *out = json_string(norm);
            sodium_memzero(norm, sizeof norm);
            if (!ok) return bad(m, N_("Dit telefoonnummer klopt niet. Een telefoonnummer heeft 10 cijfers en begint met 0."));
        } else if (qq->format == WL_TEXT_EMAIL) {
            if (!email_ok(s)) return bad(m, N_("Dit e-mailadres klopt niet. Kijk het adres nog eens na."));
            *out = json_string(s);
        } else {
            *out = json_string(s);
        }
        break;
    }
    }
    if (!*out) {
        wl_msg_set(m, N_("Er ging iets mis. Probeer het nog eens."));
        return WL_ERR_NOMEM;
    }
    return WL_OK;
}

/* null, an empty choice or empty text is no answer: it clears, so "required" still applies. */
static bool is_empty(const json_t *v)
{
    return !v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0) ||
           (json_is_string(v) && json_string_length(v) == 0);
}

static bool clears(const wl_question_t *qq, const json_t *v)
{
    if (!v || json_is_null(v)) return true;
    if (qq->type == WL_Q_MULTIPLE) return json_is_array(v) && json_array_size(v) == 0;
    if (qq->type == WL_Q_TEXT) return json_is_string(v) && json_string_length(v) == 0;
    return false;
}

/* wl_intake_set_msg with m never NULL; err gets only technical text (unknown id). */
static wl_rc set_answer(wl_intake_t *s, const char *qid, const json_t *value, wl_msg_t *m, wl_err_t *err)
{
    size_t idx;
    const wl_question_t *qq = s ? wl_questionnaire_find(s->q, qid, &idx) : NULL;
    if (!qq) {
        wl_err_set(err, "unknown question '%s'", qid ? qid : "(null)");
        return WL_ERR_NOTFOUND;
    }
    if (!wl_intake_relevant(s, idx)) {
        wl_msg_set(m, N_("Deze vraag is nu niet van toepassing."));
        return WL_ERR_STATE;
    }
    if (clears(qq, value)) return wl_intake_clear(s, qid);

    json_t *v = NULL;
    wl_rc rc = check_value(qq, value, &v, m);
    if (rc) return rc;

    /* Validation rules see the other answers plus this candidate value. */
    if (qq->n_validations) {
        json_t *cand = json_copy(s->data);
        if (!cand || json_object_set(cand, qid, v) != 0) {
            json_decref(cand);
            wipe(v);
            json_decref(v);
            wl_msg_set(m, N_("Er ging iets mis. Probeer het nog eens."));
            return WL_ERR_NOMEM;
        }
        for (size_t i = 0; i < qq->n_validations; i++) {
            /* A rule that cannot be evaluated must not lock a citizen out: it passes. */
            if (!rule_holds(s, cand, qq->validations[i].rule, true)) {
                json_decref(cand);
                wipe(v);
                json_decref(v);
                wl_msg_set(m, qq->validations[i].message); /* a msgid from the questionnaire */
                return WL_ERR_INVALID;
            }
        }
        json_decref(cand);
    }
    wipe_answer(s, qid);
    if (json_object_set_new(s->data, qid, v) != 0) {
        wl_msg_set(m, N_("Er ging iets mis. Probeer het nog eens."));
        return WL_ERR_NOMEM;
    }
    clear_irrelevant(s);
    return WL_OK;
}

wl_rc wl_intake_set_msg(wl_intake_t *s, const char *qid, const json_t *value, wl_msg_t *m, wl_err_t *err)
{
    wl_msg_t local;
    if (!m) m = &local;
    wl_msg_clear(m);
    wl_rc rc = set_answer(s, qid, value, m, err);
    /* The Dutch sentence also goes to err for the staff tool and logs. */
    if (rc != WL_OK && m->id && err) wl_msg_dutch(m, err->msg, sizeof err->msg);
    return rc;
}

wl_rc wl_intake_set(wl_intake_t *s, const char *qid, const json_t *value, wl_err_t *err)
{
    return wl_intake_set_msg(s, qid, value, NULL, err);
}

wl_rc wl_intake_clear(wl_intake_t *s, const char *qid)
{
    if (!s || !wl_questionnaire_find(s->q, qid, NULL)) return WL_ERR_NOTFOUND;
    wipe_answer(s, qid);
    clear_irrelevant(s);
    return WL_OK;
}

void wl_intake_progress(const wl_intake_t *s, size_t *answered, size_t *total)
{
    size_t a = 0, t = 0;
    for (size_t i = 0; s && i < s->q->n_questions; i++) {
        if (!wl_intake_relevant(s, i)) continue;
        t++;
        if (json_object_get(s->data, s->q->questions[i].id)) a++;
    }
    if (answered) *answered = a;
    if (total) *total = t;
}

void wl_intake_section_progress(const wl_intake_t *s, size_t section, size_t *answered, size_t *total)
{
    size_t a = 0, t = 0;
    if (s && section < s->q->n_sections) {
        const wl_section_t *sec = &s->q->sections[section];
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            if (!wl_intake_relevant(s, i)) continue;
            t++;
            if (json_object_get(s->data, s->q->questions[i].id)) a++;
        }
    }
    if (answered) *answered = a;
    if (total) *total = t;
}

/* Whether a kept answer still passes its validations: a rule comparing it with another answer
 * can start failing when that other answer changes later. */
static bool still_valid(const wl_intake_t *s, const wl_question_t *qq)
{
    for (size_t v = 0; v < qq->n_validations; v++)
        if (!rule_holds(s, s->data, qq->validations[v].rule, true)) return false;
    return true;
}

wl_rc wl_intake_complete(const wl_intake_t *s, size_t *missing_idx)
{
    for (size_t i = 0; s && i < s->q->n_questions; i++) {
        const wl_question_t *qq = &s->q->questions[i];
        bool answered = json_object_get(s->data, qq->id) != NULL;
        if ((wl_intake_required(s, i) && !answered) || (answered && !still_valid(s, qq))) {
            if (missing_idx) *missing_idx = i;
            return WL_ERR_STATE;
        }
    }
    return WL_OK;
}

static json_t *answers_where(const wl_intake_t *s, bool personal)
{
    json_t *out = json_object();
    for (size_t i = 0; out && s && i < s->q->n_questions; i++) {
        const wl_question_t *qq = &s->q->questions[i];
        json_t *v = json_object_get(s->data, qq->id);
        if (v && qq->personal == personal) json_object_set_new(out, qq->id, json_deep_copy(v));
    }
    return out;
}

json_t *wl_intake_answers(const wl_intake_t *s)
{
    return answers_where(s, false);
}

json_t *wl_intake_personal(const wl_intake_t *s)
{
    return answers_where(s, true);
}

wl_rc wl_intake_load_answers(wl_intake_t *s, const json_t *answers, bool allow_irrelevant, wl_err_t *err)
{
    if (!s) return WL_ERR_STATE;
    if (!json_is_object(answers)) {
        wl_err_set(err, "answers: must be a JSON object {\"question_id\": value}");
        return WL_ERR_PARSE;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)answers, key, v) {
        if (!wl_questionnaire_find(s->q, key, NULL)) {
            wl_err_set(err, "%s: unknown question id", key);
            return WL_ERR_INVALID;
        }
    }
    /* Set answers in questionnaire order, in rounds: an answer whose question only becomes
     * relevant through a later answer is taken in the next round. */
    size_t n = s->q->n_questions;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) return WL_ERR_NOMEM;
    bool progress = true;
    wl_rc rc = WL_OK;
    while (progress && rc == WL_OK) {
        progress = false;
        for (size_t i = 0; i < n; i++) {
            const char *id = s->q->questions[i].id;
            v = json_object_get(answers, id);
            if (done[i] || is_empty(v) || !wl_intake_relevant(s, i)) continue;
            rc = wl_intake_set(s, id, v, err);
            if (rc) {
                wl_err_prefix(err, "%s: ", id);
                break;
            }
            done[i] = true;
            progress = true;
        }
    }
    free(done);
    if (rc) return rc;
    /* Anything given but not kept belongs to a question that does not apply. */
    for (size_t i = 0; i < n; i++) {
        const char *id = s->q->questions[i].id;
        v = json_object_get(answers, id);
        if (!is_empty(v) && !json_object_get(s->data, id) && !allow_irrelevant) {
            wl_err_set(err, "%s: answer given to a question that does not apply with these answers", id);
            return WL_ERR_STATE;
        }
    }
    return WL_OK;
}
