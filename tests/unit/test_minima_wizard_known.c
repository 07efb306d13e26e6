/* Unit tests for what the minima wizard takes over from the questionnaire (wizard.json "from_questionnaire"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wijkloket/intake.h"
#include "wijkloket/minima_wizard.h"
#include "wijkloket/questionnaire.h"

#define ASSETS WL_TEST_ROOT "/assets"
#define QPATH ASSETS "/questionnaires/entreevragenlijst.json"

static wl_questionnaire_t *load_q(void)
{
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    if (wl_questionnaire_load(QPATH, &q, &err) != WL_OK) fail_msg("questionnaire: %s", err.msg);
    return q;
}

static wl_minima_wizard_t *load_w(const char *dir)
{
    wl_minima_wizard_t *w = NULL;
    wl_err_t err = {""};
    if (wl_minima_wizard_load(dir, &w, &err) != WL_OK) fail_msg("wizard %s: %s", dir, err.msg);
    return w;
}

static void set(wl_intake_t *in, const char *qid, const char *json)
{
    wl_err_t err = {""};
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    if (wl_intake_set(in, qid, v, &err) != WL_OK) fail_msg("set %s: %s", qid, err.msg);
    json_decref(v);
}

/* A folder with a wizard.json that is the real one plus the given from_questionnaire list. */
static char *wizard_with(const char *from_questionnaire)
{
    static char dir[] = "/tmp/wl-wizard-XXXXXX";
    strcpy(dir, "/tmp/wl-wizard-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/minima", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    json_t *root = json_load_file(ASSETS "/minima/wizard.json", 0, NULL);
    assert_non_null(root);
    json_object_set_new(root, "from_questionnaire", json_loads(from_questionnaire, 0, NULL));
    snprintf(path, sizeof path, "%s/minima/wizard.json", dir);
    assert_int_equal(json_dump_file(root, path, JSON_INDENT(2)), 0);
    json_decref(root);
    return dir;
}

static void remove_wizard(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/minima/wizard.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/minima", dir);
    rmdir(path);
    rmdir(dir);
}

/* The real data: the age comes from the birth date as of today, nothing else is taken over. */
static void test_age_from_birth_date(void **state)
{
    (void)state;
    wl_questionnaire_t *q = load_q();
    wl_minima_wizard_t *w = load_w(ASSETS);
    wl_err_t err = {""};
    assert_int_equal(wl_minima_wizard_check_questionnaire(w, q, NULL, &err), WL_OK);
    wl_intake_t *in = wl_intake_new(q, "2026-12-02");
    wl_wiz_known_t k;

    wl_minima_wizard_known(w, in, "2026-12-02", &k); /* nothing answered: nothing known */
    assert_int_equal(k.n_known, 0);
    assert_int_equal(k.number[WL_WIZ_AGE], -1);

    set(in, "geboortedatum", "\"1990-04-12\"");
    wl_minima_wizard_known(w, in, "2026-12-02", &k);
    assert_int_equal(k.n_known, 1);
    assert_int_equal(k.number[WL_WIZ_AGE], 36);
    wl_minima_wizard_known(w, in, "2027-04-12", &k); /* the birthday counts on the day */
    assert_int_equal(k.number[WL_WIZ_AGE], 37);
    for (int s = 0; s < WL_WIZ_STEPS; s++) assert_int_equal(k.option[s], -1);
    assert_int_equal(k.number[WL_WIZ_PARTNER_AGE], -1);

    /* Under the wizard's minimum age (18): left to ask, never a number out of range. */
    set(in, "geboortedatum", "\"2009-06-01\"");
    wl_minima_wizard_known(w, in, "2026-12-02", &k);
    assert_int_equal(k.number[WL_WIZ_AGE], -1);
    assert_int_equal(k.n_known, 0);

    wl_minima_wizard_known(w, NULL, "2026-12-02", &k);
    assert_int_equal(k.n_known, 0);
    wl_intake_free(in);
    wl_minima_wizard_free(w);
    wl_questionnaire_free(q);
}

/* A choice step is chosen in advance when an answer (or one value of a multiple choice) is in any_of. */
static void test_choice_in_advance(void **state)
{
    (void)state;
    char *dir = wizard_with("[{\"step\": \"chronic\", \"question\": \"beperkingen\", \"any_of\": [\"zelfzorg\"], \"option\": 0},"
                            " {\"step\": \"student\", \"question\": \"opleiding\", \"any_of\": [\"hbo_wo\"], \"option\": 1}]");
    wl_questionnaire_t *q = load_q();
    wl_minima_wizard_t *w = load_w(dir);
    wl_err_t err = {""};
    assert_int_equal(wl_minima_wizard_check_questionnaire(w, q, NULL, &err), WL_OK);
    wl_intake_t *in = wl_intake_new(q, "2026-12-02");
    wl_wiz_known_t k;
    set(in, "beperkingen", "[\"lichamelijk\", \"zelfzorg\"]");
    set(in, "opleiding", "\"mbo2_4\"");
    wl_minima_wizard_known(w, in, "2026-12-02", &k);
    assert_int_equal(k.option[WL_WIZ_CHRONIC], 0);
    assert_int_equal(k.option[WL_WIZ_STUDENT], -1);
    assert_int_equal(k.n_known, 1);
    wl_intake_free(in);
    wl_minima_wizard_free(w);
    remove_wizard(dir);
    wl_questionnaire_free(q);
}

/* Bad lists are refused with the field named; names the questionnaire lacks are refused by the check. */
static void test_bad_lists(void **state)
{
    (void)state;
    static const struct {
        const char *list, *says;
    } BAD[] = {
        {"[{\"step\": \"nope\", \"age_of\": \"geboortedatum\"}]", "unknown step id"},
        {"[{\"step\": \"income\", \"age_of\": \"geboortedatum\"}]", "fills the age step only"},
        {"[{\"step\": \"chronic\", \"question\": \"beperkingen\", \"any_of\": [\"geen\"], \"option\": 3}]", "option"},
        {"[{\"step\": \"chronic\", \"question\": \"beperkingen\", \"any_of\": [], \"option\": 0}]", "any_of"},
        {"[{\"step\": \"age\", \"question\": \"leeftijd\", \"any_of\": [\"x\"], \"option\": 0}]", "only a choice step"},
        {"[{\"step\": \"age\", \"age_of\": \"geboortedatum\", \"extra\": 1}]", "unknown field"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char *dir = wizard_with(BAD[i].list);
        wl_minima_wizard_t *w = NULL;
        wl_err_t err = {""};
        assert_int_equal(wl_minima_wizard_load(dir, &w, &err), WL_ERR_INVALID);
        if (!strstr(err.msg, BAD[i].says) || !strstr(err.msg, "wizard.json:")) fail_msg("case %zu: %s", i, err.msg);
        remove_wizard(dir);
    }
    wl_questionnaire_t *q = load_q();
    static const struct {
        const char *list, *says;
    } CROSS[] = {
        {"[{\"step\": \"age\", \"age_of\": \"naam\"}]", "not a date question"},
        {"[{\"step\": \"age\", \"age_of\": \"geboortejaar\"}]", "has no question"},
        {"[{\"step\": \"chronic\", \"question\": \"beperkingen\", \"any_of\": [\"astma\"], \"option\": 0}]", "not an option"},
        {"[{\"step\": \"chronic\", \"question\": \"huurachterstand\", \"any_of\": [\"ja\"], \"option\": 0}]", "not a choice question"},
    };
    for (size_t i = 0; i < sizeof CROSS / sizeof CROSS[0]; i++) {
        char *dir = wizard_with(CROSS[i].list);
        wl_minima_wizard_t *w = load_w(dir);
        wl_err_t err = {""};
        assert_int_equal(wl_minima_wizard_check_questionnaire(w, q, NULL, &err), WL_ERR_INVALID);
        if (!strstr(err.msg, CROSS[i].says)) fail_msg("cross case %zu: %s", i, err.msg);
        wl_minima_wizard_free(w);
        remove_wizard(dir);
    }
    wl_questionnaire_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_age_from_birth_date),
        cmocka_unit_test(test_choice_in_advance),
        cmocka_unit_test(test_bad_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
