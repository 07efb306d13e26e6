/* Unit tests for the .po reader: lookups, escapes, fuzzy and plural entries, direction, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wijkloket/i18n.h"

#define LOC WL_TEST_ROOT "/tests/fixtures/locale"

static void test_english(void **state)
{
    (void)state;
    wl_i18n_t *t = NULL;
    wl_err_t err = {""};
    if (wl_i18n_load(LOC, "en", &t, &err)) fail_msg("%s", err.msg);
    assert_string_equal(wl_i18n_lang(t), "en");
    assert_false(wl_i18n_rtl(t));
    assert_string_equal(wl_i18n_get(t, "Beginnen"), "Start");
    assert_string_equal(wl_i18n_get(t, "Welkom bij het Wijkloket. Raak het scherm aan om te beginnen."),
                        "Welcome to the Wijkloket. Touch the screen to start.");
    assert_string_equal(wl_i18n_get(t, "Regel een\nRegel twee"), "Line one\nLine two");
    assert_string_equal(wl_i18n_get(t, "Zeg \"ja\" of \"nee\"\t(tab) \\ AA"), "Say \"yes\" or \"no\"\t(tab) \\ AA");
    assert_string_equal(wl_i18n_get(t, "Nog %d vragen"), "%d question left");
    /* Fuzzy, empty, context-only and obsolete entries fall back to the Dutch text. */
    assert_string_equal(wl_i18n_get(t, "Volgende"), "Volgende");
    assert_string_equal(wl_i18n_get(t, "Niet vertaald"), "Niet vertaald");
    assert_string_equal(wl_i18n_get(t, "Terug"), "Terug");
    assert_string_equal(wl_i18n_get(t, "Oud"), "Oud");
    assert_string_equal(wl_i18n_get(t, "Onbekend"), "Onbekend");
    /* The header entry is not a translation of the empty string. */
    assert_string_equal(wl_i18n_get(t, ""), "");
    wl_i18n_free(t);
}

static void test_dutch_and_null(void **state)
{
    (void)state;
    wl_i18n_t *t = NULL;
    /* Dutch needs no file, even in a folder that has none. */
    assert_int_equal(wl_i18n_load("/nonexistent", "nl", &t, NULL), WL_OK);
    assert_string_equal(wl_i18n_get(t, "Beginnen"), "Beginnen");
    assert_string_equal(wl_i18n_lang(t), "nl");
    assert_false(wl_i18n_rtl(t));
    wl_i18n_free(t);
    assert_string_equal(wl_i18n_get(NULL, "Beginnen"), "Beginnen");
    assert_string_equal(wl_i18n_get(NULL, NULL), "");
    assert_false(wl_i18n_rtl(NULL));
    wl_i18n_free(NULL);
}

static void test_direction(void **state)
{
    (void)state;
    wl_i18n_t *t = NULL;
    assert_int_equal(wl_i18n_load(LOC, "ar", &t, NULL), WL_OK);
    assert_true(wl_i18n_rtl(t));
    assert_string_equal(wl_i18n_get(t, "Beginnen"), "\xd8\xa7\xd8\xa8\xd8\xaf\xd8\xa3");
    wl_i18n_free(t);
    assert_int_equal(wl_i18n_load(LOC, "ckb", &t, NULL), WL_OK);
    assert_true(wl_i18n_rtl(t));
    wl_i18n_free(t);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        wl_rc rc;
        const char *want;
    } cases[] = {
        {"qaa", WL_ERR_PARSE, "/qaa.po:3: string is not closed"},
        {"qab", WL_ERR_PARSE, "/qab.po:5: unknown keyword"},
        {"qac", WL_ERR_PARSE, "/qac.po:5: msgstr without msgid"},
        {"qad", WL_ERR_PARSE, "/qad.po:8: msgid \"Beginnen\" appears twice (first on line 2)"},
        {"qae", WL_ERR_PARSE, "/qae.po:5: msgstr has other %-conversions than msgid"},
        {"qaf", WL_ERR_PARSE, "/qaf.po:3: unknown escape sequence"},
        {"qag", WL_ERR_PARSE, "/qag.po:5: msgid without msgstr"},
        {"de", WL_ERR_NOTFOUND, "/de.po: cannot read"},
        {"../etc", WL_ERR_INVALID, "not a language tag"},
        {"EN", WL_ERR_INVALID, "not a language tag"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wl_i18n_t *t = (wl_i18n_t *)1;
        wl_err_t err = {""};
        wl_rc rc = wl_i18n_load(LOC, cases[i].lang, &t, &err);
        assert_null(t);
        if (rc != cases[i].rc || !strstr(err.msg, cases[i].want))
            fail_msg("%s: got %s '%s', want %s '%s'", cases[i].lang, wl_rc_name(rc), err.msg,
                     wl_rc_name(cases[i].rc), cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_dutch_and_null),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
