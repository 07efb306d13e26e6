/* Unit tests for routing: every case in tests/cases/routing, determinism, explanations, and
 * broken rules files that must be refused with a file:line message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/classify.h"
#include "wijkloket/intake.h"
#include "wijkloket/jsonfile.h"
#include "routing/classify_internal.h" /* rl_fast_disabled, rl_fast_stats: compare both evaluators */

#define ROOT WL_TEST_ROOT
#define QUESTIONNAIRE ROOT "/assets/questionnaires/entreevragenlijst.json"
#define RULES ROOT "/assets/rules/routing.json"
#define CASES ROOT "/tests/cases/routing"
#define FIX ROOT "/tests/fixtures/rules/"

typedef struct {
    wl_questionnaire_t *q;
    wl_rules_t *r;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    wl_err_t err = {""};
    if (!f) return -1;
    if (wl_questionnaire_load(QUESTIONNAIRE, &f->q, &err) || wl_rules_load(RULES, f->q, &f->r, &err)) {
        print_error("%s\n", err.msg);
        wl_questionnaire_free(f->q);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    wl_rules_free(f->r);
    wl_questionnaire_free(f->q);
    free(f);
    return 0;
}

/* Loads a case's answers through a real intake session (so every answer is checked exactly as
 * the kiosk checks it, and the case must be a complete questionnaire), then classifies.
 * Returns the result or NULL after printing why. */
static json_t *run_case(const fixture_t *f, const char *name, const json_t *c, const char *today)
{
    wl_err_t err = {""};
    wl_intake_t *s = wl_intake_new(f->q, today);
    if (!s) return NULL;
    json_t *res = NULL, *answers = NULL, *personal = NULL;
    size_t missing = 0;
    if (wl_intake_load_answers(s, json_object_get(c, "answers"), false, &err)) {
        print_error("%s: answers: %s\n", name, err.msg);
        goto done;
    }
    if (wl_intake_complete(s, &missing)) {
        print_error("%s: the answers are incomplete: '%s' is required\n", name, f->q->questions[missing].id);
        goto done;
    }
    answers = wl_intake_answers(s);
    personal = wl_intake_personal(s);
    json_object_update(answers, personal);
    if (wl_classify(f->r, answers, today, &res, &err)) {
        print_error("%s: classify: %s\n", name, err.msg);
        res = NULL;
    }
done:
    json_decref(answers);
    json_decref(personal);
    wl_intake_free(s);
    return res;
}

static bool has_signal(const json_t *res, const char *id)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(res, "signals"), i, s) {
        if (!strcmp(json_string_value(json_object_get(s, "id")), id)) return true;
    }
    return false;
}

static bool has_domain(const json_t *res, const char *id)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(json_object_get(res, "domains"), "problems"), i, d) {
        if (!strcmp(json_string_value(d), id)) return true;
    }
    return false;
}

/* Compares one expected value with the actual one; prints and counts a mismatch. */
static int same(const char *name, const char *key, const json_t *want, const json_t *got)
{
    if (json_equal((json_t *)want, (json_t *)(got ? got : json_null()))) return 0;
    char *w = json_dumps(want, JSON_ENCODE_ANY), *g = json_dumps(got ? got : json_null(), JSON_ENCODE_ANY);
    print_error("%s: %s is %s, expected %s\n", name, key, g, w);
    free(w);
    free(g);
    return 1;
}

/* Checks every key of a case's "expect" block; returns the number of mismatches. */
static int check_expect(const char *name, const json_t *expect, const json_t *res)
{
    int bad = 0;
    const char *key;
    json_t *want;
    const json_t *part = json_object_get(res, "participatie");
    const json_t *dom = json_object_get(res, "domains");
    json_object_foreach((json_t *)expect, key, want) {
        if (!strcmp(key, "route") || !strcmp(key, "regie") || !strcmp(key, "kik_status") ||
            !strcmp(key, "urgent")) {
            bad += same(name, key, want, json_object_get(res, key));
        } else if (!strcmp(key, "form")) {
            bad += same(name, key, want, json_is_object(part) ? json_object_get(part, "form") : json_null());
        } else if (!strcmp(key, "band")) {
            bad += same(name, key, want, json_object_get(dom, "band"));
        } else if (!strcmp(key, "domains_count")) {
            bad += same(name, key, want, json_object_get(dom, "count"));
        } else if (!strcmp(key, "domains_min")) {
            if (json_integer_value(json_object_get(dom, "count")) < json_integer_value(want)) {
                print_error("%s: domains.count is below %lld\n", name, (long long)json_integer_value(want));
                bad++;
            }
        } else if (!strcmp(key, "domains") || !strcmp(key, "signals") || !strcmp(key, "signals_absent")) {
            bool absent = !strcmp(key, "signals_absent");
            size_t i;
            json_t *id;
            json_array_foreach(want, i, id) {
                const char *s = json_string_value(id);
                bool found = s && (!strcmp(key, "domains") ? has_domain(res, s) : has_signal(res, s));
                if (found == absent) {
                    print_error("%s: %s '%s' %s\n", name, key[0] == 'd' ? "domain" : "signal", s ? s : "?",
                                absent ? "should be absent" : "is missing");
                    bad++;
                }
            }
        } else {
            print_error("%s: unknown expectation '%s'\n", name, key);
            bad++;
        }
    }
    return bad;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every case file: expectations hold, the same input twice gives the same bytes, and the
 * explanation names the route. All failures are printed before the test fails. */
static void test_cases(void **state)
{
    const fixture_t *f = *state;
    DIR *dir = opendir(CASES);
    assert_non_null(dir);
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && n < 256) {
        size_t len = strlen(de->d_name);
        if (len > 5 && !strcmp(de->d_name + len - 5, ".json")) names[n++] = strdup(de->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, by_name);
    assert_true(n >= 20);

    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CASES, names[i]);
        wl_err_t err = {""};
        json_t *c = NULL;
        if (wl_json_load_file(path, &c, &err)) {
            print_error("%s\n", err.msg);
            failures++;
            free(names[i]);
            continue;
        }
        const char *today = json_string_value(json_object_get(c, "today"));
        const json_t *expect = json_object_get(c, "expect");
        if (!today || !json_is_object(expect) || !json_is_string(json_object_get(c, "description"))) {
            print_error("%s: a case needs \"description\", \"today\" and \"expect\"\n", names[i]);
            failures++;
        } else {
            json_t *r1 = run_case(f, names[i], c, today), *r2 = run_case(f, names[i], c, today);
            if (!r1 || !r2) {
                failures++;
            } else {
                failures += check_expect(names[i], expect, r1);
                char *d1 = json_dumps(r1, 0), *d2 = json_dumps(r2, 0);
                if (strcmp(d1, d2)) {
                    print_error("%s: two runs gave different results\n", names[i]);
                    failures++;
                }
                char *ex = wl_classify_explain(r1);
                if (!ex || !strstr(ex, "Route: ") || !strstr(ex, "Een medewerker")) {
                    print_error("%s: explanation is missing its route or closing line\n", names[i]);
                    failures++;
                }
                free(ex);
                free(d1);
                free(d2);
            }
            json_decref(r1);
            json_decref(r2);
        }
        json_decref(c);
        free(names[i]);
    }
    if (failures) fail_msg("%d routing expectation(s) failed", failures);
}

/* Loads a small answers object (JSON text) and classifies it, for focused tests. */
static json_t *classify_text(const fixture_t *f, const char *answers_text, const char *today)
{
    json_error_t je;
    json_t *a = json_loads(answers_text, 0, &je);
    if (!a) fail_msg("bad test JSON: %s", je.text);
    json_t *res = NULL;
    wl_err_t err = {""};
    wl_rc rc = wl_classify(f->r, a, today, &res, &err);
    json_decref(a);
    if (rc) fail_msg("classify: %s", err.msg);
    return res;
}

/* The result has the contract's keys in a fixed order and a trace with sources. */
static void test_result_shape(void **state)
{
    const fixture_t *f = *state;
    json_t *res = classify_text(f, "{}", "2026-11-22");
    static const char *const keys[] = {"route", "participatie", "kik_status", "signals", "urgent", "regie",
                                       "domains", "scores", "trace", "rules_version"};
    void *it = json_object_iter(res);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, it = json_object_iter_next(res, it)) {
        assert_non_null(it);
        assert_string_equal(json_object_iter_key(it), keys[i]);
    }
    assert_null(it);
    /* With no answers nothing is known: no scores, no problems, the default route. */
    assert_string_equal(json_string_value(json_object_get(res, "route")), "klantondersteuning");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "domains"), "count")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "scores"), "kunnen")), 0);
    assert_string_equal(json_string_value(json_object_get(res, "rules_version")), wl_rules_version(f->r));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(res, "trace"), i, e) {
        assert_non_null(strstr(json_string_value(json_object_get(e, "source")), ".txt "));
        assert_true(json_string_length(json_object_get(e, "reason")) > 0);
    }
    json_decref(res);
}

/* age counts from `today`, never from the clock: the same person is a jongere one day and
 * not the next year. */
static void test_age_uses_today(void **state)
{
    const fixture_t *f = *state;
    const char *a = "{\"geboortedatum\": \"2000-06-01\", \"opleiding\": \"vmbo\", \"op_school\": false}";
    json_t *young = classify_text(f, a, "2027-05-31"), *old = classify_text(f, a, "2027-06-01");
    char *y = json_dumps(young, 0), *o = json_dumps(old, 0);
    assert_non_null(strstr(y, "\"jongere_startkwalificatie\""));
    assert_null(strstr(o, "\"jongere_startkwalificatie\""));
    free(y);
    free(o);
    json_decref(young);
    json_decref(old);
}

static void test_bad_calls(void **state)
{
    const fixture_t *f = *state;
    json_t *res = (json_t *)1, *a = json_object(), *arr = json_array();
    wl_err_t err = {""};
    assert_int_equal(wl_classify(f->r, a, "2026-02-30", &res, &err), WL_ERR_INVALID);
    assert_null(res);
    assert_non_null(strstr(err.msg, "2026-02-30"));
    assert_int_equal(wl_classify(f->r, arr, "2026-02-03", &res, &err), WL_ERR_INVALID);
    assert_int_equal(wl_classify(NULL, a, "2026-02-03", &res, &err), WL_ERR_INVALID);
    char *ex = wl_classify_explain(NULL);
    assert_non_null(ex);
    free(ex);
    json_decref(a);
    json_decref(arr);
}

/* A broken rules file is refused with "file:line: what is wrong". */
typedef struct {
    const char *file;
    wl_rc rc;
    const char *where; /* ":line:" (or ":line:column:" for syntax) */
    const char *what;
} broken_t;

static const broken_t BROKEN[] = {
    {"syntax_error.json", WL_ERR_PARSE, "syntax_error.json:14:10:", "'}'"},
    {"unknown_variable.json", WL_ERR_INVALID, "unknown_variable.json:52:", "unknown variable 'score.kunen'"},
    {"bad_option.json", WL_ERR_INVALID, "bad_option.json:20:", "'matig' is not an option of question 'gezondheid'"},
    {"wrong_stage.json", WL_ERR_INVALID, "wrong_stage.json:47:", "'route' is not computed yet"},
    {"bad_outcome.json", WL_ERR_INVALID, "bad_outcome.json:52:", "outcome must be one of zelfdoener"},
    {"missing_reason.json", WL_ERR_INVALID, "missing_reason.json:20:", "missing field 'reason'"},
    {"personal_data.json", WL_ERR_INVALID, "personal_data.json:8:", "'naam' is identification data"},
    {"duplicate_id.json", WL_ERR_INVALID, "duplicate_id.json:27:", "'k_goed': the id is already used on line 20"},
    {"unknown_field.json", WL_ERR_INVALID, "unknown_field.json:20:", "unknown field 'reson'"},
    {"multiple_compare.json", WL_ERR_INVALID, "multiple_compare.json:27:", "multiple choice"},
    {"wrong_questionnaire.json", WL_ERR_INVALID, "wrong_questionnaire.json:4:", "must be \"entreevragenlijst\""},
    {"signal_reads_itself.json", WL_ERR_INVALID, "signal_reads_itself.json:47:", "'signal.schulden' is not computed yet"},
    {"domain_reads_domain.json", WL_ERR_INVALID, "domain_reads_domain.json:41:", "'domain.financien' is not computed yet"},
};

static void test_broken_rules(void **state)
{
    const fixture_t *f = *state;
    wl_rules_t *r = NULL;
    wl_err_t err = {""};
    /* The fixtures differ from minimal_ok.json by one mistake each: it must load. */
    if (wl_rules_load(FIX "minimal_ok.json", f->q, &r, &err)) fail_msg("minimal_ok.json: %s", err.msg);
    wl_rules_free(r);
    for (size_t i = 0; i < sizeof BROKEN / sizeof BROKEN[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, FIX "%s", BROKEN[i].file);
        err.msg[0] = '\0';
        r = NULL;
        wl_rc rc = wl_rules_load(path, f->q, &r, &err);
        if (rc != BROKEN[i].rc || !strstr(err.msg, BROKEN[i].where) || !strstr(err.msg, BROKEN[i].what))
            fail_msg("%s: got %s \"%s\", want %s with \"%s\" and \"%s\"", BROKEN[i].file, wl_rc_name(rc),
                     err.msg, wl_rc_name(BROKEN[i].rc), BROKEN[i].where, BROKEN[i].what);
        assert_null(r);
    }
    assert_int_equal(wl_rules_load(FIX "does_not_exist.json", f->q, &r, &err), WL_ERR_IO);
}

/* A small deterministic generator, so the generated answers are the same on every run. */
static uint32_t rnd(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Answers of the right type for every question, some left out, ignoring relevance (classify
 * must cope with any answers object, e.g. old answers re-run under new rules). */
static json_t *random_answers(const wl_questionnaire_t *q, uint32_t *st)
{
    json_t *a = json_object();
    for (size_t i = 0; i < q->n_questions; i++) {
        const wl_question_t *qq = &q->questions[i];
        if (rnd(st) % 5 == 0) continue;
        json_t *v = NULL;
        switch (qq->type) {
        case WL_Q_SINGLE: v = json_string(qq->options[rnd(st) % qq->n_options].value); break;
        case WL_Q_MULTIPLE:
            v = json_array();
            for (size_t k = 0; k < qq->n_options; k++)
                if (rnd(st) % 3 == 0) json_array_append_new(v, json_string(qq->options[k].value));
            break;
        case WL_Q_YESNO: v = json_boolean(rnd(st) % 2); break;
        case WL_Q_NUMBER: v = json_integer((json_int_t)qq->min + (json_int_t)(rnd(st) % (uint32_t)(qq->max - qq->min + 1))); break;
        case WL_Q_DATE: v = json_sprintf("%04u-%02u-%02u", 1950 + rnd(st) % 60, 1 + rnd(st) % 12, 1 + rnd(st) % 28); break;
        case WL_Q_TEXT: v = json_string("tekst"); break;
        }
        json_object_set_new(a, qq->id, v);
    }
    return a;
}

/* Runs answers through the compiled conditions and through the interpreter only; the two
 * results must be the same bytes. Returns 1 on a difference (printed). */
static int compare_paths(const wl_rules_t *r, const json_t *answers, const char *today, const char *what)
{
    json_t *fast = NULL, *slow = NULL;
    wl_err_t e1 = {""}, e2 = {""};
    rl_fast_disabled = false;
    wl_rc rc1 = wl_classify(r, answers, today, &fast, &e1);
    rl_fast_disabled = true;
    wl_rc rc2 = wl_classify(r, answers, today, &slow, &e2);
    rl_fast_disabled = false;
    int diff = 0;
    if (rc1 != rc2 || strcmp(e1.msg, e2.msg)) {
        print_error("%s: fast %s '%s', interpreted %s '%s'\n", what, wl_rc_name(rc1), e1.msg, wl_rc_name(rc2), e2.msg);
        diff = 1;
    } else if (!rc1) {
        char *a = json_dumps(fast, 0), *b = json_dumps(slow, 0);
        if (strcmp(a, b)) {
            print_error("%s: fast and interpreted results differ\n  fast: %s\n  slow: %s\n", what, a, b);
            diff = 1;
        }
        free(a);
        free(b);
    }
    json_decref(fast);
    json_decref(slow);
    return diff;
}

/* The compiled evaluator must agree with logic.c on every case and on generated answers, for
 * the shipped rules (all compiled) and for rules that mix compiled and interpreted parts. */
static void test_fast_matches_interpreter(void **state)
{
    const fixture_t *f = *state;
    size_t compiled, total;
    rl_fast_stats(f->r, &compiled, &total);
    assert_true(total > 50);
    assert_int_equal(compiled, total); /* the shipped rules run fully compiled */

    wl_rules_t *mixed = NULL;
    wl_err_t err = {""};
    if (wl_rules_load(FIX "slow_paths.json", f->q, &mixed, &err)) fail_msg("%s", err.msg);
    rl_fast_stats(mixed, &compiled, &total);
    assert_true(compiled > 0 && compiled < total);

    int diffs = 0;
    uint32_t st = 20261122u;
    static const char *const days[] = {"2026-11-22", "2019-01-01", "2031-07-15"};
    for (int i = 0; i < 400; i++) {
        json_t *a = random_answers(f->q, &st);
        char what[64];
        snprintf(what, sizeof what, "generated answers %d", i);
        diffs += compare_paths(f->r, a, days[i % 3], what);
        diffs += compare_paths(mixed, a, days[i % 3], what);
        json_decref(a);
    }
    wl_rules_free(mixed);
    if (diffs) fail_msg("%d difference(s) between compiled and interpreted evaluation", diffs);
}

/* docs/routing.md (the Algoritmeregister description) must mention every rule by id, so the
 * public description cannot silently fall behind the rules file. */
static void test_docs_name_every_rule(void **state)
{
    (void)state;
    json_t *rules = NULL;
    wl_err_t err = {""};
    if (wl_json_load_file(RULES, &rules, &err)) fail_msg("%s", err.msg);
    FILE *fp = fopen(ROOT "/docs/routing.md", "rb");
    assert_non_null(fp);
    char *doc = calloc(1, 1 << 20);
    assert_non_null(doc);
    size_t n = fread(doc, 1, (1 << 20) - 1, fp);
    fclose(fp);
    assert_true(n > 0);
    int missing = 0;
    char needle[128];
    const char *v = json_string_value(json_object_get(rules, "version"));
    snprintf(needle, sizeof needle, "`%s`", v);
    if (!strstr(doc, needle)) {
        print_error("docs/routing.md does not name rules version %s\n", v);
        missing++;
    }
    /* Every object with an "id" inside the sections is a rule, score, domain or derived value. */
    json_t *stack[64];
    size_t top = 0;
    stack[top++] = rules;
    while (top) {
        json_t *cur = stack[--top];
        size_t i;
        const char *key;
        json_t *e;
        if (json_is_array(cur)) {
            json_array_foreach(cur, i, e) if (top < 64 && (json_is_object(e) || json_is_array(e))) stack[top++] = e;
            continue;
        }
        const char *id = json_string_value(json_object_get(cur, "id"));
        if (id && cur != rules && strcmp(id, "green") && strcmp(id, "orange") && strcmp(id, "red")) {
            snprintf(needle, sizeof needle, "`%s`", id);
            const char *pre = json_object_get(cur, "value") ? "`derived." : NULL;
            char alt[140];
            if (pre) snprintf(alt, sizeof alt, "%s%s`", pre, id);
            if (!strstr(doc, needle) && !(pre && strstr(doc, alt))) {
                print_error("docs/routing.md does not mention %s\n", needle);
                missing++;
            }
        }
        json_object_foreach(cur, key, e) {
            if (top < 64 && (json_is_object(e) || json_is_array(e)) && strcmp(key, "when") && strcmp(key, "value"))
                stack[top++] = e;
        }
    }
    free(doc);
    json_decref(rules);
    if (missing) fail_msg("%d rule(s) missing from docs/routing.md", missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_result_shape),
        cmocka_unit_test(test_age_uses_today),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_broken_rules),
        cmocka_unit_test(test_fast_matches_interpreter),
        cmocka_unit_test(test_docs_name_every_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
