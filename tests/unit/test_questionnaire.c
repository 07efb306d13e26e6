/* Unit tests for questionnaire loading: good files load fully, each broken file names its line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wijkloket/intake.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/questionnaire.h"

#define FIX WL_TEST_ROOT "/tests/fixtures/questionnaire/"

static void test_basic_loads(void **state)
{
    (void)state;
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    wl_rc rc = wl_questionnaire_load(FIX "basic.json", &q, &err);
    if (rc) fail_msg("%s", err.msg);
    assert_string_equal(q->id, "testvragenlijst");
    assert_string_equal(q->version, "2026.1-test");
    assert_int_equal(q->n_sections, 2);
    assert_int_equal(q->n_questions, 11);
    assert_string_equal(q->sections[0].title, "Over u");
    assert_true(q->sections[0].personal);
    assert_false(q->sections[1].personal);
    assert_int_equal(q->sections[1].first, 4);
    assert_int_equal(q->sections[1].count, 7);

    size_t idx = 0;
    const wl_question_t *bsn = wl_questionnaire_find(q, "bsn", &idx);
    assert_non_null(bsn);
    assert_int_equal(idx, 0);
    assert_int_equal(bsn->type, WL_Q_TEXT);
    assert_int_equal(bsn->format, WL_TEXT_BSN);
    assert_int_equal(bsn->max_length, 12);
    assert_true(bsn->personal);
    assert_true(json_is_true(bsn->required));
    assert_non_null(bsn->help);
    assert_int_equal(bsn->line, 14);

    const wl_question_t *uren = wl_questionnaire_find(q, "uren", NULL);
    assert_int_equal(uren->type, WL_Q_NUMBER);
    assert_true(uren->integer);
    assert_true(uren->min == 0 && uren->max == 60);
    assert_string_equal(uren->unit, "uur per week");
    assert_non_null(uren->relevant);
    assert_false(uren->personal);
    assert_string_equal(uren->section_id, "werk");

    const wl_question_t *zorgen = wl_questionnaire_find(q, "zorgen", NULL);
    assert_int_equal(zorgen->type, WL_Q_MULTIPLE);
    assert_int_equal(zorgen->n_options, 4);
    assert_true(wl_question_option(zorgen, "geen")->exclusive);
    assert_false(wl_question_option(zorgen, "geld")->exclusive);
    assert_string_equal(wl_question_option(zorgen, "huis")->text, "Mijn huis");
    assert_null(wl_question_option(zorgen, "auto"));

    const wl_question_t *gd = wl_questionnaire_find(q, "geboortedatum", NULL);
    assert_int_equal(gd->n_validations, 1);
    assert_non_null(strstr(gd->validations[0].message, "15 jaar"));

    const wl_question_t *t = wl_questionnaire_find(q, "telefoon", NULL);
    assert_int_equal(t->max_length, 200); /* the default */
    assert_int_equal(t->format, WL_TEXT_PHONE);
    assert_null(wl_questionnaire_find(q, "bestaat_niet", NULL));
    wl_questionnaire_free(q);
}

static void test_minimal_loads(void **state)
{
    (void)state;
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    if (wl_questionnaire_load(FIX "minimal_ok.json", &q, &err)) fail_msg("%s", err.msg);
    assert_int_equal(q->n_questions, 3);
    wl_questionnaire_free(q);
}

/* A group: its members know their run of questions; a question alone is a run of one. */
static void test_group_loads(void **state)
{
    (void)state;
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    if (wl_questionnaire_load(FIX "group_ok.json", &q, &err)) fail_msg("%s", err.msg);
    assert_string_equal(q->questions[1].group, "g");
    assert_int_equal(q->questions[0].group_first, 0);
    assert_int_equal(q->questions[1].group_first, 0);
    assert_int_equal(q->questions[1].group_count, 2);
    assert_null(q->questions[2].group);
    assert_int_equal(q->questions[2].group_first, 2);
    assert_int_equal(q->questions[2].group_count, 1);
    /* Screens: the group is one (q1 and q2), q3 its own; the group stays open until its
     * required q2 is answered. */
    wl_intake_t *in = wl_intake_new(q, "2026-12-02");
    assert_non_null(in);
    assert_int_equal(wl_intake_screen_start(in, 1), 0);
    assert_int_equal(wl_intake_screen_end(in, 0), 1);
    assert_int_equal(wl_intake_screen_start(in, 2), 2);
    assert_int_equal(wl_intake_screen_end(in, 2), 2);
    assert_true(wl_intake_screen_open(in, 0));
    json_t *no = json_false();
    assert_int_equal(wl_intake_set(in, "q2", no, &err), WL_OK);
    json_decref(no);
    assert_false(wl_intake_screen_open(in, 0));
    wl_intake_free(in);
    wl_questionnaire_free(q);
}

/* Every kind of mistake gives the right code and a message with file:line and the field. */
static const struct {
    const char *file;
    wl_rc rc;
    const char *want;
} BROKEN[] = {
    {"bad_syntax.json", WL_ERR_PARSE, "bad_syntax.json:18:16: '}' expected"},
    {"bad_duplicate_key.json", WL_ERR_PARSE, "bad_duplicate_key.json:29:16: duplicate object key"},
    {"bad_unknown_key.json", WL_ERR_INVALID, "bad_unknown_key.json:19: question 'q2': unknown field 'relevent'"},
    {"bad_duplicate_question.json", WL_ERR_INVALID, "bad_duplicate_question.json:26: question 'q1': duplicate question id (first on line 11)"},
    {"bad_duplicate_option.json", WL_ERR_INVALID, "bad_duplicate_option.json:22: question 'q2': duplicate option value 'a'"},
    {"bad_missing_text.json", WL_ERR_INVALID, "bad_missing_text.json:26: question 'q3': field 'text' is missing"},
    {"bad_empty_text.json", WL_ERR_INVALID, "bad_empty_text.json:18: question 'q2' field 'text': Dutch text is empty"},
    {"bad_option_text.json", WL_ERR_INVALID, "bad_option_text.json:22: question 'q2' option 'b': field 'text' is missing"},
    {"bad_option_value.json", WL_ERR_INVALID, "bad_option_value.json:22: question 'q2' option 2 field 'value'"},
    {"bad_type.json", WL_ERR_INVALID, "bad_type.json:27: question 'q3' field 'type': must be single, multiple"},
    {"bad_min_max.json", WL_ERR_INVALID, "bad_min_max.json:30: question 'q3' field 'max': -1 is below min 0"},
    {"bad_number_no_max.json", WL_ERR_INVALID, "bad_number_no_max.json:26: question 'q3' field 'max'"},
    {"bad_field_for_type.json", WL_ERR_INVALID, "bad_field_for_type.json:13: question 'q1' field 'max_length': not allowed for type 'yesno'"},
    {"bad_no_options.json", WL_ERR_INVALID, "bad_no_options.json:20: question 'q2' field 'options'"},
    {"bad_relevant_var.json", WL_ERR_INVALID, "bad_relevant_var.json:19: question 'q2' field 'relevant': unknown question id 'q9'"},
    {"bad_relevant_forward.json", WL_ERR_INVALID, "bad_relevant_forward.json:19: question 'q2' field 'relevant': question 'q3' is not asked before this one"},
    {"bad_relevant_self.json", WL_ERR_INVALID, "bad_relevant_self.json:19: question 'q2' field 'relevant': question 'q2' is not asked before this one"},
    {"bad_relevant_yesno_text.json", WL_ERR_INVALID, "bad_relevant_yesno_text.json:19: question 'q2' field 'relevant': question 'q1' is answered with true or false"},
    {"bad_validation_option.json", WL_ERR_INVALID, "bad_validation_option.json:32: question 'q3' field 'validations[0].rule': 'c' is not an option of question 'q2'"},
    {"bad_relevant_operator.json", WL_ERR_INVALID, "bad_relevant_operator.json:19: question 'q2' field 'relevant': unknown operator 'equals'"},
    {"bad_relevant_arity.json", WL_ERR_INVALID, "bad_relevant_arity.json:19: question 'q2' field 'relevant': operator '==' takes 2"},
    {"bad_required_var.json", WL_ERR_INVALID, "bad_required_var.json:31: question 'q3' field 'required': unknown question id 'werk'"},
    {"bad_validation_var.json", WL_ERR_INVALID, "bad_validation_var.json:32: question 'q3' field 'validations[0].rule': unknown question id 'q4'"},
    {"bad_validation_message.json", WL_ERR_INVALID, "bad_validation_message.json:32: question 'q3' validation 1: field 'message' is missing"},
    {"bad_language.json", WL_ERR_INVALID, "bad_language.json:4: questionnaire field 'language'"},
    {"bad_section_title.json", WL_ERR_INVALID, "bad_section_title.json:7: section 's1': field 'title' is missing"},
    {"bad_question_id.json", WL_ERR_INVALID, "bad_question_id.json:16: section 's1' question 2 field 'id'"},
    {"bad_format.json", WL_ERR_INVALID, "bad_format.json:13: question 'q1' field 'format'"},
    {"bad_exclusive_single.json", WL_ERR_INVALID, "bad_exclusive_single.json:22: question 'q2' option 'b' field 'exclusive'"},
    /* Yes/no questions asked together on one screen ("group"). */
    {"bad_group_type.json", WL_ERR_INVALID, "bad_group_type.json:20: question 'q2' field 'group': only yes/no questions can be asked together"},
    {"bad_group_apart.json", WL_ERR_INVALID, "bad_group_apart.json:31: question 'q4' field 'group': the questions of group 'g' must follow each other"},
    {"bad_group_depends.json", WL_ERR_INVALID, "bad_group_depends.json:20: question 'q2' field 'group': whether it is asked depends on 'q1' of the same group"},
    {"bad_group_alone.json", WL_ERR_INVALID, "bad_group_alone.json:14: question 'q1' field 'group': group 'g' needs at least two questions"},
};

static void test_broken_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BROKEN / sizeof BROKEN[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, FIX "%s", BROKEN[i].file);
        wl_questionnaire_t *q = (wl_questionnaire_t *)1;
        wl_err_t err = {""};
        wl_rc rc = wl_questionnaire_load(path, &q, &err);
        assert_null(q);
        if (rc != BROKEN[i].rc || !strstr(err.msg, BROKEN[i].want))
            fail_msg("%s: rc %s, message\n  %s\nwanted %s with\n  %s", BROKEN[i].file, wl_rc_name(rc),
                     err.msg, wl_rc_name(BROKEN[i].rc), BROKEN[i].want);
        /* Messages start with the path as given, so an editor can jump to it. */
        assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    assert_int_equal(wl_questionnaire_load(FIX "does_not_exist.json", &q, &err), WL_ERR_IO);
    assert_non_null(strstr(err.msg, "does_not_exist.json"));
    assert_null(q);
}

static void test_json_helpers(void **state)
{
    (void)state;
    assert_int_equal(wl_json_locate(FIX "basic.json", "\"id\": \"uren\""), 60);
    /* Whitespace in the needle is loose: a minified needle finds a spaced file. */
    assert_int_equal(wl_json_locate(FIX "basic.json", "\"id\":\"uren\""), 60);
    assert_int_equal(wl_json_locate(FIX "basic.json", "\"id\": \"nergens\""), 0);
    assert_int_equal(wl_json_locate(FIX "nope.json", "x"), 0);

    json_t *v = NULL;
    wl_err_t err = {""};
    assert_int_equal(wl_json_load_string("{\"a\": 1,\n \"a\": 2}", "mem", &v, &err), WL_ERR_PARSE);
    assert_non_null(strstr(err.msg, "mem:2:"));
    assert_int_equal(wl_json_load_string("{\"a\": [1, 2]}", "mem", &v, &err), WL_OK);

    /* Atomic save then load gives the same value and leaves no temporary file behind. */
    char dir[] = "/tmp/wl_test_qXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(wl_json_save_file(path, v, &err), WL_OK);
    json_t *back = NULL;
    assert_int_equal(wl_json_load_file(path, &back, &err), WL_OK);
    assert_true(json_equal(v, back));
    json_decref(back);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    rmdir(dir);
    /* A folder that does not exist: an IO error, not a crash. */
    assert_int_equal(wl_json_save_file("/nonexistent-dir/x.json", v, &err), WL_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.json"));
    json_decref(v);
}

static void test_dates_and_bsn(void **state)
{
    (void)state;
    int y, m, d;
    assert_true(wl_date_parse("2024-02-29", &y, &m, &d));
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_false(wl_date_parse("2023-02-29", NULL, NULL, NULL));
    assert_false(wl_date_parse("1900-02-29", NULL, NULL, NULL));
    assert_true(wl_date_parse("2000-02-29", NULL, NULL, NULL));
    assert_false(wl_date_parse("2024-04-31", NULL, NULL, NULL));
    assert_false(wl_date_parse("2024-13-01", NULL, NULL, NULL));
    assert_false(wl_date_parse("2024-1-01", NULL, NULL, NULL));
    assert_false(wl_date_parse("24-01-2024", NULL, NULL, NULL));
    assert_false(wl_date_parse("2024-01-01T00", NULL, NULL, NULL));
    assert_false(wl_date_parse(NULL, NULL, NULL, NULL));
    assert_int_equal(wl_date_age("2000-03-15", "2026-03-15"), 26);
    assert_int_equal(wl_date_age("2000-03-16", "2026-03-15"), 25);
    assert_int_equal(wl_date_age("2004-02-29", "2025-02-28"), 20);
    assert_int_equal(wl_date_age("2004-02-29", "2025-03-01"), 21);
    assert_int_equal(wl_date_age("2030-01-01", "2026-03-15"), -1);
    assert_int_equal(wl_date_age("2023-02-29", "2026-03-15"), -1);
    char buf[11];
    setenv("TZ", "UTC", 1);
    wl_date_today(1767225600, buf); /* 2026-01-01T00:00:00Z */
    assert_string_equal(buf, "2026-01-01");

    /* Known elfproef results: 123456782 and 111222333 pass; one digit off fails. */
    assert_true(wl_bsn_valid("123456782"));
    assert_true(wl_bsn_valid("111222333"));
    assert_false(wl_bsn_valid("123456781"));
    assert_false(wl_bsn_valid("111222334"));
    assert_false(wl_bsn_valid("000000000"));
    assert_false(wl_bsn_valid("12345678"));
    assert_false(wl_bsn_valid("1234567820"));
    assert_false(wl_bsn_valid("12345678a"));
    assert_false(wl_bsn_valid(NULL));
}

/* The real questionnaire, when present, must pass the same checks as the fixtures. */
static void test_real_questionnaire(void **state)
{
    (void)state;
    const char *path = WL_TEST_ROOT "/assets/questionnaires/entreevragenlijst.json";
    if (access(path, F_OK) != 0) skip();
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {""};
    wl_rc rc = wl_questionnaire_load(path, &q, &err);
    if (rc) fail_msg("%s", err.msg);
    assert_true(q->n_questions > 0);
    assert_string_equal(q->id, "entreevragenlijst");
    wl_questionnaire_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_loads),   cmocka_unit_test(test_minimal_loads),
        cmocka_unit_test(test_group_loads),
        cmocka_unit_test(test_broken_files),  cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_json_helpers),  cmocka_unit_test(test_dates_and_bsn),
        cmocka_unit_test(test_real_questionnaire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
