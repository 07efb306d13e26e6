/* Unit tests for intake sessions: citizen messages, relevance clearing, progress, completion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wijkloket/intake.h"

#define FIX WL_TEST_ROOT "/tests/fixtures/questionnaire/"
#define TODAY "2026-03-15"

/* Question indexes in basic.json. */
enum { BSN, GEBOORTEDATUM, TELEFOON, EMAIL, WERKT, UREN, MEER_UREN, HOEVEEL_MEER, ZORGEN, SCHULD_SOORT, TOELICHTING };

static int setup(void **state)
{
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    if (wl_questionnaire_load(FIX "basic.json", &q, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = q;
    return 0;
}

static int teardown(void **state)
{
    wl_questionnaire_free(*state);
    return 0;
}

/* Sets qid to the JSON value text; returns the code and leaves the message in err. */
static wl_rc set(wl_intake_t *s, const char *qid, const char *value_text, wl_err_t *err)
{
    json_error_t je;
    json_t *v = json_loads(value_text, JSON_DECODE_ANY, &je);
    if (!v) fail_msg("bad test JSON %s", value_text);
    err->msg[0] = '\0';
    wl_rc rc = wl_intake_set(s, qid, v, err);
    json_decref(v);
    return rc;
}

static void ok(wl_intake_t *s, const char *qid, const char *value_text)
{
    wl_err_t err;
    wl_rc rc = set(s, qid, value_text, &err);
    if (rc) fail_msg("%s = %s: %s (%s)", qid, value_text, wl_rc_name(rc), err.msg);
}

static void refused(wl_intake_t *s, const char *qid, const char *value_text, wl_rc want, const char *msg)
{
    wl_err_t err;
    const json_t *before = wl_intake_get(s, qid);
    char *was = before ? json_dumps(before, JSON_ENCODE_ANY) : NULL;
    wl_rc rc = set(s, qid, value_text, &err);
    if (rc != want || strcmp(err.msg, msg) != 0)
        fail_msg("%s = %s: got %s '%s', want %s '%s'", qid, value_text, wl_rc_name(rc), err.msg,
                 wl_rc_name(want), msg);
    /* A refused answer leaves the old one in place. */
    const json_t *after = wl_intake_get(s, qid);
    char *now = after ? json_dumps(after, JSON_ENCODE_ANY) : NULL;
    if ((was == NULL) != (now == NULL) || (was && strcmp(was, now))) fail_msg("%s changed after a refused answer", qid);
    free(was);
    free(now);
}

static void answer_is(wl_intake_t *s, const char *qid, const char *value_text)
{
    const json_t *v = wl_intake_get(s, qid);
    if (!value_text) {
        if (v) fail_msg("%s should be empty", qid);
        return;
    }
    if (!v) fail_msg("%s is empty, want %s", qid, value_text);
    char *got = json_dumps(v, JSON_ENCODE_ANY);
    if (strcmp(got, value_text)) fail_msg("%s is %s, want %s", qid, got, value_text);
    free(got);
}

static void test_bsn(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    refused(s, "bsn", "\"123456781\"", WL_ERR_INVALID, "Dit BSN klopt niet. Kijk het nummer nog eens na.");
    refused(s, "bsn", "\"111222334\"", WL_ERR_INVALID, "Dit BSN klopt niet. Kijk het nummer nog eens na.");
    refused(s, "bsn", "\"000000000\"", WL_ERR_INVALID, "Dit BSN klopt niet. Kijk het nummer nog eens na.");
    refused(s, "bsn", "\"1234\"", WL_ERR_INVALID, "Een BSN heeft 9 cijfers. Kijk het nummer nog eens na.");
    refused(s, "bsn", "\"12345678x\"", WL_ERR_INVALID, "Een BSN heeft 9 cijfers. Kijk het nummer nog eens na.");
    refused(s, "bsn", "123456782", WL_ERR_INVALID, "Vul hier tekst in.");
    ok(s, "bsn", "\"123456782\"");
    answer_is(s, "bsn", "\"123456782\"");
    /* Spaces and dots from a card are dropped; an 8-digit number gets its leading 0. */
    ok(s, "bsn", "\"1112.22.333\"");
    answer_is(s, "bsn", "\"111222333\"");
    /* max_length (12 here) does not count the spaces a BSN is often written with. */
    ok(s, "bsn", "\"1 2 3 4 5 6 7 8 2\"");
    answer_is(s, "bsn", "\"123456782\"");
    refused(s, "bsn", "\"1 2 3 4 5 6 7 8 2 1 2 3 4 5\"", WL_ERR_INVALID, "Een BSN heeft 9 cijfers. Kijk het nummer nog eens na.");
    ok(s, "bsn", "\"12345672\"");
    answer_is(s, "bsn", "\"012345672\"");
    wl_intake_free(s);
}

static void test_dates(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    const char *bad = "Deze datum bestaat niet. Vul de datum in als dag, maand en jaar.";
    refused(s, "geboortedatum", "\"2023-02-29\"", WL_ERR_INVALID, bad);
    refused(s, "geboortedatum", "\"1990-04-31\"", WL_ERR_INVALID, bad);
    refused(s, "geboortedatum", "\"15-03-1990\"", WL_ERR_INVALID, bad);
    refused(s, "geboortedatum", "19900315", WL_ERR_INVALID, bad);
    /* The questionnaire's own validation rule sees the candidate value. */
    refused(s, "geboortedatum", "\"2012-02-29\"", WL_ERR_INVALID,
            "U moet minstens 15 jaar oud zijn om deze vragenlijst in te vullen.");
    ok(s, "geboortedatum", "\"2000-02-29\"");
    wl_intake_free(s);
}

static void test_numbers_and_choices(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    /* Not relevant before "werkt" is yes. */
    refused(s, "uren", "20", WL_ERR_STATE, "Deze vraag is nu niet van toepassing.");
    refused(s, "werkt", "\"ja\"", WL_ERR_INVALID, "Kies ja of nee.");
    ok(s, "werkt", "true");
    refused(s, "uren", "61", WL_ERR_INVALID, "Vul een getal in tussen 0 en 60.");
    refused(s, "uren", "-1", WL_ERR_INVALID, "Vul een getal in tussen 0 en 60.");
    refused(s, "uren", "\"20\"", WL_ERR_INVALID, "Vul een getal in tussen 0 en 60.");
    refused(s, "uren", "20.5", WL_ERR_INVALID, "Vul een heel getal in, zonder komma.");
    ok(s, "uren", "30");
    ok(s, "meer_uren", "true");
    refused(s, "hoeveel_meer", "41", WL_ERR_INVALID, "Vul een getal in tussen 1 en 40.");
    refused(s, "hoeveel_meer", "35", WL_ERR_INVALID,
            "Samen met uw huidige uren wordt dat meer dan 60 uur per week. Kies minder uren.");
    ok(s, "hoeveel_meer", "30");
    ok(s, "hoeveel_meer", "12.5"); /* not an integer question */

    refused(s, "zorgen", "[\"geld\",\"geen\"]", WL_ERR_INVALID,
            "U kunt \"Geen van deze\" niet samen met een ander antwoord kiezen.");
    refused(s, "zorgen", "[\"geld\",\"geld\"]", WL_ERR_INVALID, "U hebt een antwoord twee keer gekozen.");
    refused(s, "zorgen", "[\"auto\"]", WL_ERR_INVALID, "Kies een of meer antwoorden uit de lijst.");
    refused(s, "zorgen", "\"geld\"", WL_ERR_INVALID, "Kies een of meer antwoorden.");
    ok(s, "zorgen", "[\"geen\"]");
    refused(s, "schuld_soort", "\"huur\"", WL_ERR_STATE, "Deze vraag is nu niet van toepassing.");
    ok(s, "zorgen", "[\"geld\",\"huis\"]");
    refused(s, "schuld_soort", "\"rente\"", WL_ERR_INVALID, "Kies een van de antwoorden.");
    ok(s, "schuld_soort", "\"huur\"");

    wl_err_t err;
    assert_int_equal(set(s, "bestaat_niet", "1", &err), WL_ERR_NOTFOUND);
    wl_intake_free(s);
}

static void test_text_formats(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    const char *bad_phone = "Dit telefoonnummer klopt niet. Een telefoonnummer heeft 10 cijfers en begint met 0.";
    ok(s, "telefoon", "\"06-12345678\"");
    answer_is(s, "telefoon", "\"0612345678\"");
    ok(s, "telefoon", "\"+31 6 1234 5678\"");
    answer_is(s, "telefoon", "\"+31612345678\"");
    ok(s, "telefoon", "\"050 (367) 89 10\"");
    refused(s, "telefoon", "\"12345\"", WL_ERR_INVALID, bad_phone);
    refused(s, "telefoon", "\"0612345678 9\"", WL_ERR_INVALID, bad_phone);
    refused(s, "telefoon", "\"+31 06 12345678\"", WL_ERR_INVALID, bad_phone);

    const char *bad_mail = "Dit e-mailadres klopt niet. Kijk het adres nog eens na.";
    ok(s, "email", "\"jan.jansen@example.nl\"");
    refused(s, "email", "\"jan@example\"", WL_ERR_INVALID, bad_mail);
    refused(s, "email", "\"jan jansen@example.nl\"", WL_ERR_INVALID, bad_mail);
    refused(s, "email", "\"@example.nl\"", WL_ERR_INVALID, bad_mail);

    /* toelichting appears only for adults (age rule against today). */
    refused(s, "toelichting", "\"hallo\"", WL_ERR_STATE, "Deze vraag is nu niet van toepassing.");
    ok(s, "geboortedatum", "\"2008-03-16\""); /* 17 on 2026-03-15 */
    assert_false(wl_intake_relevant(s, TOELICHTING));
    ok(s, "geboortedatum", "\"2008-03-15\""); /* 18 today */
    assert_true(wl_intake_relevant(s, TOELICHTING));
    refused(s, "toelichting", "\"123456789012345678901\"", WL_ERR_INVALID,
            "Uw antwoord is te lang. Gebruik hooguit 20 tekens.");
    refused(s, "toelichting", "\"regel\\nregel\"", WL_ERR_INVALID, "Gebruik alleen letters, cijfers en leestekens.");
    /* Length counts characters, not bytes: 20 letters with accents fit. */
    ok(s, "toelichting", "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"");
    /* Empty text clears. */
    ok(s, "toelichting", "\"\"");
    answer_is(s, "toelichting", NULL);
    wl_intake_free(s);
}

static void test_relevance_clearing(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    ok(s, "werkt", "true");
    ok(s, "uren", "20");
    ok(s, "meer_uren", "true");
    ok(s, "hoeveel_meer", "10");
    ok(s, "zorgen", "[\"geld\"]");
    ok(s, "schuld_soort", "\"energie\"");

    /* 40 hours: "meer_uren" no longer applies, and so neither does "hoeveel_meer". */
    ok(s, "uren", "40");
    answer_is(s, "meer_uren", NULL);
    answer_is(s, "hoeveel_meer", NULL);
    answer_is(s, "uren", "40");

    ok(s, "uren", "20");
    ok(s, "meer_uren", "true");
    ok(s, "hoeveel_meer", "10");
    /* No work: the whole chain of three goes. */
    ok(s, "werkt", "false");
    answer_is(s, "uren", NULL);
    answer_is(s, "meer_uren", NULL);
    answer_is(s, "hoeveel_meer", NULL);

    /* Clearing an answer (or choosing nothing) clears what depended on it. */
    answer_is(s, "schuld_soort", "\"energie\"");
    ok(s, "zorgen", "[]");
    answer_is(s, "zorgen", NULL);
    answer_is(s, "schuld_soort", NULL);
    ok(s, "zorgen", "[\"geld\"]");
    ok(s, "schuld_soort", "\"energie\"");
    assert_int_equal(wl_intake_clear(s, "zorgen"), WL_OK);
    answer_is(s, "schuld_soort", NULL);
    assert_int_equal(wl_intake_clear(s, "nope"), WL_ERR_NOTFOUND);
    ok(s, "werkt", "null"); /* null clears too */
    answer_is(s, "werkt", NULL);
    wl_intake_free(s);
}

static void test_navigation_progress_completion(void **state)
{
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    assert_ptr_equal(wl_intake_questionnaire(s), *state);
    assert_int_equal(wl_intake_next(s, SIZE_MAX), BSN);
    assert_int_equal(wl_intake_next(s, WERKT), ZORGEN);
    assert_int_equal(wl_intake_prev(s, ZORGEN), WERKT);
    assert_int_equal(wl_intake_prev(s, BSN), SIZE_MAX);
    assert_int_equal(wl_intake_next(s, ZORGEN), SIZE_MAX);
    assert_int_equal(wl_intake_prev(s, SIZE_MAX), ZORGEN);

    size_t a, t, missing = 99;
    wl_intake_progress(s, &a, &t);
    assert_int_equal(a, 0);
    assert_int_equal(t, 6); /* bsn, geboortedatum, telefoon, email, werkt, zorgen */
    assert_int_equal(wl_intake_complete(s, &missing), WL_ERR_STATE);
    assert_int_equal(missing, BSN);

    ok(s, "bsn", "\"123456782\"");
    ok(s, "geboortedatum", "\"1990-06-01\"");
    assert_int_equal(wl_intake_complete(s, &missing), WL_ERR_STATE);
    assert_int_equal(missing, WERKT);
    ok(s, "werkt", "true");
    assert_true(wl_intake_required(s, UREN));
    assert_false(wl_intake_relevant(s, MEER_UREN)); /* uren unknown: "<" with null is false */
    assert_int_equal(wl_intake_complete(s, &missing), WL_ERR_STATE);
    assert_int_equal(missing, UREN);
    ok(s, "uren", "10");
    assert_true(wl_intake_required(s, MEER_UREN)); /* under 16 hours */
    assert_int_equal(wl_intake_complete(s, &missing), WL_ERR_STATE);
    assert_int_equal(missing, MEER_UREN);
    ok(s, "uren", "20");
    assert_true(wl_intake_relevant(s, MEER_UREN));
    assert_false(wl_intake_required(s, MEER_UREN));
    assert_false(wl_intake_required(s, TELEFOON));
    assert_int_equal(wl_intake_complete(s, NULL), WL_OK);

    /* An answer that stops passing its validation (uren + hoeveel_meer <= 60) after another
     * answer changed makes the intake incomplete at that question. */
    ok(s, "meer_uren", "true");
    ok(s, "hoeveel_meer", "40");
    assert_int_equal(wl_intake_complete(s, NULL), WL_OK);
    ok(s, "uren", "30");
    assert_int_equal(wl_intake_complete(s, &missing), WL_ERR_STATE);
    assert_int_equal(missing, HOEVEEL_MEER);
    ok(s, "uren", "20");
    assert_int_equal(wl_intake_clear(s, "meer_uren"), WL_OK);
    answer_is(s, "hoeveel_meer", NULL);
    assert_int_equal(wl_intake_complete(s, NULL), WL_OK);

    wl_intake_progress(s, &a, &t);
    assert_int_equal(a, 4);
    assert_int_equal(t, 9); /* + uren, meer_uren, toelichting */
    wl_intake_section_progress(s, 0, &a, &t);
    assert_int_equal(a, 2);
    assert_int_equal(t, 4);
    wl_intake_section_progress(s, 1, &a, &t);
    assert_int_equal(a, 2);
    assert_int_equal(t, 5);
    wl_intake_section_progress(s, 7, &a, &t);
    assert_int_equal(t, 0);

    /* Personal answers are kept apart from the rest. */
    json_t *ans = wl_intake_answers(s), *per = wl_intake_personal(s);
    assert_int_equal(json_object_size(per), 2);
    assert_string_equal(json_string_value(json_object_get(per, "bsn")), "123456782");
    assert_null(json_object_get(ans, "bsn"));
    assert_int_equal(json_object_size(ans), 2);
    assert_int_equal(json_integer_value(json_object_get(ans, "uren")), 20);
    json_decref(ans);
    json_decref(per);
    wl_intake_free(s);
}

static void load(const wl_questionnaire_t *q, const char *answers_text, bool allow, wl_rc want, const char *msg)
{
    json_error_t je;
    json_t *a = json_loads(answers_text, 0, &je);
    if (!a) fail_msg("bad test JSON %s", answers_text);
    wl_intake_t *s = wl_intake_new(q, TODAY);
    wl_err_t err = {""};
    wl_rc rc = wl_intake_load_answers(s, a, allow, &err);
    if (rc != want || (msg && strcmp(err.msg, msg)))
        fail_msg("%s: got %s '%s', want %s '%s'", answers_text, wl_rc_name(rc), err.msg, wl_rc_name(want), msg ? msg : "");
    json_decref(a);
    wl_intake_free(s);
}

static void test_load_answers(void **state)
{
    const wl_questionnaire_t *q = *state;
    /* Given out of order in the file, set in questionnaire order. */
    load(q, "{\"meer_uren\": false, \"uren\": 20, \"werkt\": true, \"bsn\": \"123456782\", \"geboortedatum\": \"1990-01-01\"}",
         false, WL_OK, NULL);
    load(q, "{\"uren\": 61, \"werkt\": true}", false, WL_ERR_INVALID, "uren: Vul een getal in tussen 0 en 60.");
    load(q, "{\"onbekend\": 1}", false, WL_ERR_INVALID, "onbekend: unknown question id");
    load(q, "{\"uren\": 20, \"werkt\": false}", false, WL_ERR_STATE,
         "uren: answer given to a question that does not apply with these answers");
    load(q, "{\"uren\": 20, \"werkt\": false}", true, WL_OK, NULL);
    load(q, "{\"uren\": null, \"werkt\": false}", false, WL_OK, NULL);
    load(q, "[1]", false, WL_ERR_PARSE, NULL);
}

/* The loaded session holds exactly what was loaded, in working order. */
static void test_load_then_read(void **state)
{
    json_error_t je;
    json_t *a = json_loads("{\"zorgen\": [\"geld\"], \"schuld_soort\": \"huur\", \"werkt\": false}", 0, &je);
    wl_intake_t *s = wl_intake_new(*state, TODAY);
    assert_int_equal(wl_intake_load_answers(s, a, false, NULL), WL_OK);
    json_t *out = wl_intake_answers(s);
    assert_true(json_equal(out, a));
    json_decref(out);
    json_decref(a);
    wl_intake_free(s);
    wl_intake_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bsn),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers_and_choices),
        cmocka_unit_test(test_text_formats),
        cmocka_unit_test(test_relevance_clearing),
        cmocka_unit_test(test_navigation_progress_completion),
        cmocka_unit_test(test_load_answers),
        cmocka_unit_test(test_load_then_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
