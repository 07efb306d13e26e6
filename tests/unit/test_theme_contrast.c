/* Every text/background colour pair of the kiosk theme reaches WCAG AA contrast (4.5:1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* The kiosk's theme module has no SDL in it, so the test compiles it in directly. */
#include "../../kiosk/theme.c"

static void test_formula_known_values(void **state)
{
    (void)state;
    rgb_t black = { 0, 0, 0 }, white = { 255, 255, 255 }, grey = { 0x77, 0x77, 0x77 };
    assert_true(theme_contrast(black, white) > 20.99 && theme_contrast(black, white) < 21.01);
    assert_true(theme_contrast(white, white) > 0.99 && theme_contrast(white, white) < 1.01);
    /* #777777 on white is the classic just-failing grey: 4.48:1. */
    double g = theme_contrast(grey, white);
    assert_true(g > 4.47 && g < 4.49);
}

static void test_every_pair_of_the_shipped_theme(void **state)
{
    (void)state;
    theme_t th;
    char msg[512];
    assert_true(theme_load(&th, WL_TEST_ROOT "/assets/theme/theme.json", msg, sizeof msg));
    size_t n;
    const tpair_t *p = theme_pairs(&n);
    assert_true(n >= 10);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double c = theme_contrast(th.c[p[i].fg], th.c[p[i].bg]);
        printf("  %-16s on %-16s %5.2f:1\n", theme_name(p[i].fg), theme_name(p[i].bg), c);
        if (c < 4.5) {
            printf("  ^ below 4.5:1\n");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* WCAG 1.4.11: a control's edge must stand out 3:1 from what is around it. The kiosk draws
 * controls on the page, on white panels and (tick boxes) on a chosen option; each gets either a
 * fill that differs enough or the option border. Checked for every surface a control sits on;
 * the replays check every frame's actual widgets the same way (kiosk/script.c). */
static void test_control_edges_reach_3_to_1(void **state)
{
    (void)state;
    theme_t th;
    char msg[512];
    assert_true(theme_load(&th, WL_TEST_ROOT "/assets/theme/theme.json", msg, sizeof msg));
    const tcolor_t surfaces[] = { TC_BACKGROUND, TC_PANEL, TC_OPTION, TC_BANNER };
    const tcolor_t bordered[] = { TC_SECONDARY, TC_OPTION, TC_KEY, TC_FIELD };
    const tcolor_t filled[] = { TC_PRIMARY, TC_SELECTED };
    int bad = 0;
    for (size_t s = 0; s < sizeof surfaces / sizeof surfaces[0]; s++) {
        double b = theme_contrast(th.c[TC_OPTION_BORDER], th.c[surfaces[s]]);
        printf("  option_border    on %-16s %5.2f:1\n", theme_name(surfaces[s]), b);
        for (size_t i = 0; i < sizeof bordered / sizeof bordered[0]; i++) {
            double f = theme_contrast(th.c[bordered[i]], th.c[surfaces[s]]);
            if (f < 3.0 && b < 3.0) bad++;
        }
        for (size_t i = 0; i < sizeof filled / sizeof filled[0]; i++) {
            double f = theme_contrast(th.c[filled[i]], th.c[surfaces[s]]);
            printf("  %-16s on %-16s %5.2f:1\n", theme_name(filled[i]), theme_name(surfaces[s]), f);
            if (f < 3.0) bad++;
        }
    }
    double bar = theme_contrast(th.c[TC_PROGRESS], th.c[TC_PROGRESS_TRACK]);
    printf("  progress         on progress_track   %5.2f:1\n", bar);
    if (bar < 3.0) bad++;
    assert_int_equal(bad, 0);
}

static void test_bad_theme_files_are_refused(void **state)
{
    (void)state;
    theme_t th;
    char msg[512];
    const char *path = "test_theme_bad.json";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"colors\": {\"background\": \"#FFFFFF\", \"txt\": \"#000000\"}}", f);
    fclose(f);
    assert_false(theme_load(&th, path, msg, sizeof msg));
    assert_non_null(strstr(msg, "colors.txt: unknown colour role"));
    f = fopen(path, "w");
    fputs("{\"colors\": {\"background\": \"white\"}}", f);
    fclose(f);
    assert_false(theme_load(&th, path, msg, sizeof msg));
    assert_non_null(strstr(msg, "colors.background: give a colour as"));
    f = fopen(path, "w");
    fputs("{\"colors\": {\"background\": \"#FFFFFF\"}}", f);
    fclose(f);
    assert_false(theme_load(&th, path, msg, sizeof msg));
    assert_non_null(strstr(msg, "missing"));
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_known_values),
        cmocka_unit_test(test_every_pair_of_the_shipped_theme),
        cmocka_unit_test(test_control_edges_reach_3_to_1),
        cmocka_unit_test(test_bad_theme_files_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
