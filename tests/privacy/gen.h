/* Generated intakes for tests and the export benchmark: random valid answers through the real questionnaire and rules. */
#ifndef WL_PRIVACY_GEN_H
#define WL_PRIVACY_GEN_H

/* Header-only (static functions) so the test generator and bench/bench_export.c share it
 * without a library of their own. Randomness is a seeded xorshift: the same seed gives the
 * same intakes, so figures are repeatable. These are synthetic people, never real ones. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/classify.h"
#include "wijkloket/intake.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/refcode.h"
#include "wijkloket/store.h"

typedef struct {
    wl_questionnaire_t *q;
    wl_rules_t *rules;
    uint64_t rng;
    const char *name;  /* fixed name for every intake, or NULL for names from the list */
    const char *bsn;   /* fixed BSN, or NULL for generated ones */
    double skew;       /* this person's situation: options are ordered from easy to hard in the
                        * questionnaire, and a larger skew favours the first ones */
} gen_t;

static uint64_t gen_next(gen_t *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

static int gen_pick(gen_t *g, int n)
{
    return n > 0 ? (int)(gen_next(g) % (uint64_t)n) : 0;
}

static double gen_unit(gen_t *g)
{
    return (double)(gen_next(g) >> 11) / 9007199254740992.0;
}

/* An option index leaning towards the start of the list by this person's skew. */
static int gen_skewed(gen_t *g, int n)
{
    double u = gen_unit(g), v = u;
    for (double e = 1.0; e < g->skew; e += 1.0) v *= u;
    int i = (int)(v * n);
    return i >= n ? n - 1 : i;
}

static wl_rc gen_open(gen_t *g, const char *root, uint64_t seed, wl_err_t *err)
{
    char qp[4096], rp[4096];
    memset(g, 0, sizeof *g);
    g->rng = seed ? seed * 2654435761u + 1 : 88172645463325252ull;
    snprintf(qp, sizeof qp, "%s/assets/questionnaires/entreevragenlijst.json", root);
    snprintf(rp, sizeof rp, "%s/assets/rules/routing.json", root);
    wl_rc rc = wl_questionnaire_load(qp, &g->q, err);
    if (rc == WL_OK) rc = wl_rules_load(rp, g->q, &g->rules, err);
    return rc;
}

static void gen_close(gen_t *g)
{
    wl_rules_free(g->rules);
    wl_questionnaire_free(g->q);
}

/* A 9-digit number that passes the elfproef. */
static void gen_bsn(gen_t *g, char out[10])
{
    for (;;) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            out[i] = (char)('0' + gen_pick(g, 10));
            sum += (9 - i) * (out[i] - '0');
        }
        if (out[0] == '0') continue;
        int last = sum % 11; /* sum - last digit must be divisible by 11 */
        if (last > 9) continue;
        out[8] = (char)('0' + last);
        out[9] = '\0';
        if (wl_bsn_valid(out)) return;
    }
}

static json_t *gen_value(gen_t *g, const wl_question_t *qq, const char *today)
{
    static const char *const names[] = {"Anouk Jansen", "Noah Bakker", "Zoë van Dijk", "Daan Visser",
                                        "Fatima El Idrissi", "Jeroen Smit", "Marieke de Boer", "Sem Mülder",
                                        "Ilse Meijer", "Ayşe Yılmaz", "Bartholomeüs Ëlzinga", "Inge Brouwer"};
    char buf[64];
    switch (qq->type) {
    case WL_Q_SINGLE:
        return json_string(qq->options[gen_skewed(g, (int)qq->n_options)].value);
    case WL_Q_MULTIPLE: {
        json_t *a = json_array();
        /* Most people tick "geen van deze" when the list is about problems. */
        for (size_t i = 0; i < qq->n_options; i++)
            if (qq->options[i].exclusive && gen_unit(g) < 0.2 + 0.2 * g->skew) {
                json_array_append_new(a, json_string(qq->options[i].value));
                return a;
            }
        const wl_option_t *o = &qq->options[gen_pick(g, (int)qq->n_options)];
        json_array_append_new(a, json_string(o->value));
        if (!o->exclusive && gen_pick(g, 3) == 0) {
            const wl_option_t *p = &qq->options[gen_pick(g, (int)qq->n_options)];
            if (!p->exclusive && p != o) json_array_append_new(a, json_string(p->value));
        }
        return a;
    }
    case WL_Q_YESNO:
        return json_boolean(gen_unit(g) < 0.4 / g->skew);
    case WL_Q_NUMBER: {
        double lo = qq->min, hi = qq->max > qq->min ? qq->max : qq->min + 40;
        if (hi - lo > 100000) hi = lo + 100000;
        long long v = (long long)lo + gen_pick(g, (int)(hi - lo) + 1);
        return qq->integer ? json_integer(v) : json_real((double)v);
    }
    case WL_Q_DATE: {
        int y, m, d;
        wl_date_parse(today, &y, &m, &d);
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y - 18 - gen_pick(g, 48), 1 + gen_pick(g, 12), 1 + gen_pick(g, 28));
        return json_string(buf);
    }
    case WL_Q_TEXT:
        switch (qq->format) {
        case WL_TEXT_BSN:
            if (g->bsn) return json_string(g->bsn);
            gen_bsn(g, buf);
            return json_string(buf);
        case WL_TEXT_PHONE:
            snprintf(buf, sizeof buf, "06%08d", gen_pick(g, 100000000));
            return json_string(buf);
        case WL_TEXT_EMAIL:
            snprintf(buf, sizeof buf, "burger%d@example.nl", gen_pick(g, 1000000));
            return json_string(buf);
        default:
            return json_string(g->name ? g->name : names[gen_pick(g, (int)(sizeof names / sizeof names[0]))]);
        }
    }
    return json_null();
}

/* Walks the questionnaire like a citizen: every relevant question gets a valid random answer
 * (an optional one is skipped now and then). NULL when no complete intake came out. */
static wl_intake_t *gen_answers(gen_t *g, const char *today)
{
    /* One in five has a hard time, the rest a moderate or easy one. */
    static const double skews[] = {1.5, 3.0, 4.0, 6.0, 8.0};
    g->skew = skews[gen_pick(g, 5)];
    for (int attempt = 0; attempt < 20; attempt++) {
        wl_intake_t *s = wl_intake_new(g->q, today);
        if (!s) return NULL;
        for (size_t i = wl_intake_next(s, SIZE_MAX); i != SIZE_MAX; i = wl_intake_next(s, i)) {
            const wl_question_t *qq = &g->q->questions[i];
            if (!wl_intake_required(s, i) && gen_pick(g, 5) == 0) continue;
            for (int t = 0; t < 8; t++) {
                json_t *v = gen_value(g, qq, today);
                wl_err_t err = {{0}};
                wl_rc rc = wl_intake_set(s, qq->id, v, &err);
                json_decref(v);
                if (rc == WL_OK) break;
            }
        }
        if (wl_intake_complete(s, NULL) == WL_OK) return s;
        wl_intake_free(s);
    }
    return NULL;
}

/* Makes one completed intake at time `at` for location and saves it through st (sealed when
 * st has a seal key). The reference goes to ref_out (12 bytes) when not NULL. */
static wl_rc gen_one(gen_t *g, wl_store_t *st, const char *location, int64_t at, char *ref_out, wl_err_t *err)
{
    char today[11], ref[WL_REFCODE_BUFSZ];
    wl_date_today(at, today);
    wl_intake_t *s = gen_answers(g, today);
    if (!s) {
        wl_err_set(err, "generator: no complete intake after 20 tries");
        return WL_ERR_STATE;
    }
    json_t *answers = wl_intake_answers(s), *personal = wl_intake_personal(s);
    json_t *all = json_deep_copy(answers), *result = NULL;
    json_object_update(all, personal);
    wl_rc rc = wl_classify(g->rules, all, today, &result, err);
    unsigned char b[5];
    for (int i = 0; i < 5; i++) b[i] = (unsigned char)gen_next(g);
    wl_refcode_from_bytes(b, ref);
    if (rc == WL_OK) {
        wl_intake_record_t rec = {ref, location, "kiosk-gen", "nl", gen_pick(g, 5) == 0 ? "vrijwilliger1" : NULL,
                                  at - 600 - gen_pick(g, 900), at, "completed", g->q->version,
                                  wl_rules_version(g->rules), answers, personal, result, NULL};
        rc = wl_store_save_intake(st, &rec, err);
    }
    if (rc == WL_OK && ref_out) memcpy(ref_out, ref, WL_REFCODE_BUFSZ);
    json_decref(all);
    json_decref(result);
    json_decref(answers);
    json_decref(personal);
    wl_intake_free(s);
    return rc;
}

#endif
