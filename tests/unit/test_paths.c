/* Unit tests for finding the data, configuration and state folders at run time (base/paths.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "wijkloket/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[256];

static void mkdirs(const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/wl-paths-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_system_folders(void **state)
{
    (void)state;
    char b[256];
    wl_paths_system("/usr", "etc/wijkloket", b, sizeof b);
    assert_string_equal(b, "/etc/wijkloket");
    wl_paths_system("/usr", "var/lib/wijkloket", b, sizeof b);
    assert_string_equal(b, "/var/lib/wijkloket");
    wl_paths_system("/scratch/usr", "etc/wijkloket", b, sizeof b); /* dpkg --root=/scratch */
    assert_string_equal(b, "/scratch/etc/wijkloket");
    wl_paths_system("/usr/local", "etc/wijkloket", b, sizeof b);
    assert_string_equal(b, "/usr/local/etc/wijkloket");
    wl_paths_system("/tmp/x", "var/lib/wijkloket", b, sizeof b);
    assert_string_equal(b, "/tmp/x/var/lib/wijkloket");
    wl_paths_system("/opt/wijkloket-user", "etc/wijkloket", b, sizeof b); /* ends in "user", not "/usr" */
    assert_string_equal(b, "/opt/wijkloket-user/etc/wijkloket");
    char small[16]; /* a path that does not fit is refused, never cut to another folder */
    assert_false(wl_paths_system("/opt/wijkloket", "var/lib/wijkloket", small, sizeof small));
    assert_true(wl_paths_system("/usr", "etc/x", small, sizeof small));
}

static void test_installed_prefix(void **state)
{
    (void)state;
    mkdirs("p/bin");
    mkdirs("p/share/wijkloket/assets/questionnaires");
    char exe[512], want[512];
    snprintf(exe, sizeof exe, "%s/p/bin/wijkloket-staff", tmp);
    wl_paths_t p;
    wl_err_t err = {{0}};
    assert_int_equal(wl_paths_find_from(exe, &p, &err), WL_OK);
    assert_int_equal(p.layout, WL_LAYOUT_INSTALLED);
    snprintf(want, sizeof want, "%s/p/share/wijkloket/assets", tmp);
    assert_string_equal(p.assets, want);
    snprintf(want, sizeof want, "%s/p/share/wijkloket/locale", tmp);
    assert_string_equal(p.locale, want);
    snprintf(want, sizeof want, "%s/p/etc/wijkloket", tmp);
    assert_string_equal(p.confdir, want);
    snprintf(want, sizeof want, "%s/p/var/lib/wijkloket", tmp);
    assert_string_equal(p.statedir, want);
    assert_string_equal(p.workdir, p.statedir);
}

static void test_package_under_another_root(void **state)
{
    (void)state;
    mkdirs("r/usr/bin");
    mkdirs("r/usr/share/wijkloket/assets/questionnaires");
    char exe[512], want[512];
    snprintf(exe, sizeof exe, "%s/r/usr/bin/wijkloket", tmp);
    wl_paths_t p;
    assert_int_equal(wl_paths_find_from(exe, &p, NULL), WL_OK);
    assert_int_equal(p.layout, WL_LAYOUT_INSTALLED);
    snprintf(want, sizeof want, "%s/r/etc/wijkloket", tmp);
    assert_string_equal(p.confdir, want);
    snprintf(want, sizeof want, "%s/r/var/lib/wijkloket", tmp);
    assert_string_equal(p.statedir, want);
}

static void test_build_tree_names_its_checkout(void **state)
{
    (void)state;
    mkdirs("b/staff");
    mkdirs("src/assets/questionnaires");
    char marker[512], exe[512], want[512];
    snprintf(marker, sizeof marker, "%s/b/wijkloket-checkout", tmp);
    FILE *f = fopen(marker, "w");
    assert_non_null(f);
    fprintf(f, "%s/src\n", tmp);
    fclose(f);
    snprintf(exe, sizeof exe, "%s/b/staff/wijkloket-staff", tmp);
    wl_paths_t p;
    assert_int_equal(wl_paths_find_from(exe, &p, NULL), WL_OK);
    assert_int_equal(p.layout, WL_LAYOUT_BUILDTREE);
    snprintf(want, sizeof want, "%s/src/assets", tmp);
    assert_string_equal(p.assets, want);
    snprintf(want, sizeof want, "%s/src/var", tmp);
    assert_string_equal(p.statedir, want);
    snprintf(want, sizeof want, "%s/src", tmp);
    assert_string_equal(p.workdir, want);
}

static void test_nothing_found_says_where_it_looked(void **state)
{
    (void)state;
    mkdirs("empty/bin");
    char exe[512];
    snprintf(exe, sizeof exe, "%s/empty/bin/wijkloket", tmp);
    wl_paths_t p;
    wl_err_t err = {{0}};
    assert_int_equal(wl_paths_find_from(exe, &p, &err), WL_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, exe));
    assert_non_null(strstr(err.msg, "share/wijkloket"));
    assert_int_equal(wl_paths_find_from("relative/bin/x", &p, &err), WL_ERR_NOTFOUND);
}

static void test_env_root_wins(void **state)
{
    (void)state;
    setenv("WL_ROOT", tmp, 1);
    wl_paths_t p;
    assert_int_equal(wl_paths_find(&p, NULL), WL_OK);
    assert_int_equal(p.layout, WL_LAYOUT_ENV);
    char want[512];
    snprintf(want, sizeof want, "%s/var", tmp);
    assert_string_equal(p.statedir, want);
    unsetenv("WL_ROOT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_folders),
        cmocka_unit_test_setup_teardown(test_installed_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_package_under_another_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_tree_names_its_checkout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_found_says_where_it_looked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_root_wins, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
