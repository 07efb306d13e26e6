/* The journey use cases with a fixed clock and fixed random bytes: answer, submit, retry, channel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wijkloket/journey.h"
#include "wijkloket/jsonfile.h"

#define NOW 1795000000 /* 2026-11-18, a fixed clock */

typedef struct {
    unsigned calls;
    int64_t now;
} fake_t;

static int64_t fake_now(void *ctx)
{
    return ((fake_t *)ctx)->now;
}

/* Random bytes 01 02 03 04 0N for the N-th call: predictable reference codes. */
static void fake_random(void *ctx, unsigned char *buf, size_t n)
{
    fake_t *f = ctx;
    f->calls++;
    for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(i + 1 < n ? i + 1 : f->calls);
}

typedef struct {
    char dir[64];
    wl_questionnaire_t *q;
    wl_rules_t *rules;
    wl_store_t *st;
    fake_t fake;
    wl_env_t env;
    json_t *answers;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    wl_err_t err = {{0}};
    snprintf(f->dir, sizeof f->dir, "/tmp/wl-test-journey-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    char db[128];
    snprintf(db, sizeof db, "%s/j.db", f->dir);
    if (wl_questionnaire_load(WL_TEST_ROOT "/assets/questionnaires/entreevragenlijst.json", &f->q, &err) ||
        wl_rules_load(WL_TEST_ROOT "/assets/rules/routing.json", f->q, &f->rules, &err) ||
        wl_store_open(db, &f->st, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    json_t *c = NULL;
    if (wl_json_load_file(WL_TEST_ROOT "/tests/cases/routing/zelfdoener_duidelijk.json", &c, &err)) return -1;
    f->answers = json_incref(json_object_get(c, "answers"));
    json_decref(c);
    f->fake.now = NOW;
    f->env = (wl_env_t){fake_now, fake_random, &f->fake};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    wl_store_close(f->st);
    wl_rules_free(f->rules);
    wl_questionnaire_free(f->q);
    json_decref(f->answers);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

static wl_journey_t *start(fx_t *f, wl_channel_t ch)
{
    wl_journey_deps_t deps = {.q = f->q, .rules = f->rules, .store = f->st, .env = &f->env};
    wl_journey_start_t how = {ch, "vinkhuizen", "portal-1", "en", NULL};
    wl_journey_t *j = NULL;
    wl_err_t err = {{0}};
    if (wl_journey_start(&deps, &how, &j, &err) != WL_OK) fail_msg("%s", err.msg);
    return j;
}

/* Answers in rounds, as a form post would bring them: later ones may open earlier questions. */
static void answer_all(wl_journey_t *j, const json_t *answers)
{
    for (int round = 0; round < 6; round++) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)answers, k, v) {
            if (wl_intake_get(wl_journey_intake(j), k)) continue;
            wl_msg_t m;
            wl_err_t err = {{0}};
            wl_rc rc = wl_journey_answer(j, k, v, &m, &err);
            if (rc != WL_OK && rc != WL_ERR_STATE) fail_msg("%s: %s", k, err.msg);
        }
    }
}

static void test_message_is_id_plus_arguments(void **state)
{
    fx_t *f = *state;
    wl_journey_t *j = start(f, WL_CHANNEL_KIOSK);
    answer_all(j, f->answers);
    json_t *hours = json_integer(99);
    wl_msg_t m;
    wl_err_t err = {{0}};
    assert_int_equal(wl_journey_answer(j, "uren_werk", hours, &m, &err), WL_ERR_INVALID);
    json_decref(hours);
    /* The template, never the finished sentence; the figures are arguments. */
    assert_string_equal(m.id, "Vul een getal in tussen %1$s en %2$s.");
    assert_int_equal(m.n_args, 2);
    assert_string_equal(m.args[0].text, "0");
    assert_string_equal(m.args[1].text, "40");
    assert_false(m.args[0].msgid);
    char dutch[128];
    assert_string_equal(wl_msg_dutch(&m, dutch, sizeof dutch), "Vul een getal in tussen 0 en 40.");
    /* A translated template with its placeholders in another order still gets the right figures. */
    const char *args[] = {"0", "40"};
    char out[64];
    assert_string_equal(wl_msg_fill(out, sizeof out, "From %1$s to %2$s (max %2$s), 100%%", args, 2),
                        "From 0 to 40 (max 40), 100%");
    wl_journey_free(j);
}

static void test_submit_with_fixed_clock_and_random(void **state)
{
    fx_t *f = *state;
    wl_journey_t *j = start(f, WL_CHANNEL_PORTAL);
    size_t missing = 0;
    wl_msg_t m;
    wl_err_t err = {{0}};
    /* Nothing answered: the first question is missing, with a citizen message. */
    assert_int_equal(wl_journey_submit(j, &missing, &m, &err), WL_ERR_STATE);
    assert_int_equal(missing, 0);
    assert_string_equal(m.id, "Deze vraag moet u nog beantwoorden.");
    answer_all(j, f->answers);
    /* A record with the first code already exists: the journey takes a fresh one. */
    char first[WL_REFCODE_BUFSZ], second[WL_REFCODE_BUFSZ];
    wl_refcode_from_bytes((const unsigned char *)"\x01\x02\x03\x04\x01", first);
    wl_refcode_from_bytes((const unsigned char *)"\x01\x02\x03\x04\x02", second);
    json_t *empty = json_object();
    wl_intake_record_t taken = {first, "selwerd", "k9", "nl", NULL, NOW - 100, NOW - 10, "completed", "v", "r",
                                empty, NULL, NULL, NULL};
    assert_int_equal(wl_store_save_intake(f->st, &taken, &err), WL_OK);
    json_decref(empty);
    f->fake.now = NOW + 300; /* five minutes of answering */
    if (wl_journey_submit(j, &missing, &m, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_string_equal(wl_journey_ref(j), second);
    assert_null(wl_journey_intake(j)); /* the answers are forgotten once stored */
    assert_string_equal(json_string_value(json_object_get(wl_journey_result(j), "route")), "zelfdoener");
    json_t *rec = NULL;
    if (wl_store_get_intake(f->st, second, &rec, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_string_equal(json_string_value(json_object_get(rec, "channel")), "portal");
    assert_string_equal(json_string_value(json_object_get(rec, "language")), "en");
    assert_string_equal(json_string_value(json_object_get(rec, "kiosk")), "portal-1");
    assert_int_equal(json_integer_value(json_object_get(rec, "started_at")), NOW);
    assert_int_equal(json_integer_value(json_object_get(rec, "completed_at")), NOW + 300);
    /* Personal data went into the record too (merged only for the rules). */
    assert_string_equal(json_string_value(json_object_get(json_object_get(rec, "personal"), "naam")), "Sanne de Vries");
    assert_null(json_object_get(json_object_get(rec, "answers"), "naam"));
    /* The staff tool's re-classification of the stored record gives the same route. */
    json_object_set_new(rec, "day", json_string("2026-11-18"));
    json_t *again = NULL;
    if (wl_journey_classify_record(f->rules, rec, &again, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_string_equal(json_string_value(json_object_get(again, "route")), "zelfdoener");
    json_decref(again);
    json_decref(rec);
    /* A second submit is refused: the journey is done. */
    assert_int_equal(wl_journey_submit(j, NULL, NULL, &err), WL_ERR_STATE);
    wl_journey_free(j);
}

static void test_save_failure_keeps_answers(void **state)
{
    fx_t *f = *state;
    wl_journey_deps_t deps = {.q = f->q, .rules = f->rules, .env = &f->env}; /* no store: the save cannot happen */
    wl_journey_start_t how = {WL_CHANNEL_KIOSK, "vinkhuizen", "k1", NULL, "vrijwilliger1"};
    wl_journey_t *j = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_journey_start(&deps, &how, &j, &err), WL_OK);
    answer_all(j, f->answers);
    wl_msg_t m;
    assert_int_not_equal(wl_journey_submit(j, NULL, &m, &err), WL_OK);
    assert_string_equal(m.id, "Het opslaan is niet gelukt. Vraag een medewerker om hulp.");
    assert_non_null(wl_journey_intake(j));
    assert_string_equal(json_string_value(wl_intake_get(wl_journey_intake(j), "naam")), "Sanne de Vries");
    assert_string_equal(wl_journey_language(j), "nl");
    assert_string_equal(wl_journey_assisted_by(j), "vrijwilliger1");
    json_t *offers = NULL;
    assert_int_equal(wl_journey_offers(j, NULL, &offers, &err), WL_ERR_STATE);
    wl_journey_free(j);
}

/* A front end with its own storage: the journey hands it the record and retries a clash. */
typedef struct {
    int calls;
    char first_ref[WL_REFCODE_BUFSZ];
    char channel[16];
} saver_t;

static wl_rc save_elsewhere(void *ctx, const wl_intake_record_t *rec, wl_err_t *err)
{
    saver_t *s = ctx;
    if (s->calls++ == 0) {
        snprintf(s->first_ref, sizeof s->first_ref, "%s", rec->ref);
        wl_err_set(err, "reference taken");
        return WL_ERR_CONFLICT;
    }
    snprintf(s->channel, sizeof s->channel, "%s", rec->channel);
    return WL_OK;
}

static void test_submit_through_a_save_callback(void **state)
{
    fx_t *f = *state;
    saver_t sv = {0};
    wl_journey_deps_t deps = {.q = f->q, .rules = f->rules, .env = &f->env, .save = save_elsewhere, .save_ctx = &sv};
    wl_journey_start_t how = {WL_CHANNEL_PORTAL, "vinkhuizen", "portal-1", "nl", NULL};
    wl_journey_t *j = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_journey_start(&deps, &how, &j, &err), WL_OK);
    answer_all(j, f->answers);
    if (wl_journey_submit(j, NULL, NULL, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_int_equal(sv.calls, 2);
    assert_string_not_equal(sv.first_ref, wl_journey_ref(j));
    assert_string_equal(sv.channel, "portal");
    assert_int_equal(wl_store_count_intakes(f->st), 0); /* nothing went to the store */
    wl_journey_free(j);
}

/* Answers held by a front end go into a journey and come back when the save fails. */
static void test_adopt_and_release(void **state)
{
    fx_t *f = *state;
    wl_intake_t *in = wl_intake_new(f->q, "2026-11-18");
    json_t *name = json_string("Sanne de Vries");
    wl_err_t err = {{0}};
    assert_int_equal(wl_intake_set(in, "naam", name, &err), WL_OK);
    json_decref(name);
    wl_journey_deps_t deps = {.q = f->q, .rules = f->rules, .env = &f->env};
    wl_journey_start_t how = {WL_CHANNEL_PORTAL, "vinkhuizen", "portal", "nl", NULL};
    wl_journey_t *j = NULL;
    assert_int_equal(wl_journey_adopt(&deps, &how, NOW - 60, in, &j, &err), WL_OK);
    assert_ptr_equal(wl_journey_intake(j), in);
    assert_int_equal(wl_journey_submit(j, NULL, NULL, &err), WL_ERR_STATE); /* incomplete */
    wl_intake_t *back = wl_journey_release(j);
    assert_ptr_equal(back, in);
    assert_null(wl_journey_intake(j));
    wl_journey_free(j);
    assert_string_equal(json_string_value(wl_intake_get(back, "naam")), "Sanne de Vries");
    wl_intake_free(back);
}

static void test_classify_answers_for_staff(void **state)
{
    fx_t *f = *state;
    json_t *res = NULL;
    wl_err_t err = {{0}};
    if (wl_journey_classify_answers(f->q, f->rules, f->answers, "2026-11-22", &res, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_string_equal(json_string_value(json_object_get(res, "route")), "zelfdoener");
    json_decref(res);
    json_t *bad = json_pack("{s:i}", "uren_werk", 99);
    assert_int_equal(wl_journey_classify_answers(f->q, f->rules, bad, "2026-11-22", &res, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "uren_werk: Vul een getal in tussen 0 en 40."));
    json_decref(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_message_is_id_plus_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_with_fixed_clock_and_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_failure_keeps_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_through_a_save_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_adopt_and_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_classify_answers_for_staff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
