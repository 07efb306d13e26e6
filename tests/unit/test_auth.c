/* Unit tests for users and PINs: add, verify, doubling lockout, disabled users, reset, roles. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testdb.h"
#include "store/store_sql.h"
#include "wijkloket/auth.h"

/* Each Argon2id hash takes about 0.1 s on purpose, so these tests keep their count low. */

#define T0 1767261600 /* 2026-01-01 10:00 UTC */

static char tmpdir[256];
static wl_store_t *st;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wl-test-auth-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    char path[512];
    snprintf(path, sizeof path, "%s/auth.db", tmpdir);
    wl_err_t err = {""};
    if (testdb_open(path, tmpdir, &st, &err) != WL_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_store_close(st);
    st = NULL;
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void add_ok(const char *name, wl_role_t role, const char *pin)
{
    wl_err_t err = {""};
    wl_rc rc = wl_auth_add(st, name, role, pin, &err);
    if (rc != WL_OK) fail_msg("add %s: %s: %s", name, wl_rc_name(rc), err.msg);
}

static wl_rc verify(const char *name, const char *pin, wl_role_t min, int64_t now, wl_err_t *err)
{
    wl_user_t u;
    return wl_auth_verify(st, name, pin, min, now, &u, err);
}

static wl_user_t find_user(const char *name)
{
    wl_user_t *users = NULL, found;
    size_t n = 0;
    wl_err_t err = {""};
    if (wl_auth_list(st, &users, &n, &err) != WL_OK) fail_msg("list: %s", err.msg);
    bool hit = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(users[i].name, name) == 0) {
            found = users[i];
            hit = true;
        }
    }
    free(users);
    if (!hit) fail_msg("user %s not listed", name);
    return found;
}

static void test_roles(void **state)
{
    (void)state;
    wl_role_t r;
    assert_true(wl_role_parse("volunteer", &r));
    assert_int_equal(r, WL_ROLE_VOLUNTEER);
    assert_true(wl_role_parse("staff", &r));
    assert_int_equal(r, WL_ROLE_STAFF);
    assert_true(wl_role_parse("admin", &r));
    assert_int_equal(r, WL_ROLE_ADMIN);
    assert_false(wl_role_parse("root", &r));
    assert_false(wl_role_parse(NULL, &r));
    assert_string_equal(wl_role_name(WL_ROLE_STAFF), "staff");

    add_ok("vera", WL_ROLE_VOLUNTEER, "1357");
    add_ok("sam", WL_ROLE_STAFF, "246802");
    wl_user_t u;
    wl_err_t err = {""};
    assert_int_equal(wl_auth_verify(st, "vera", "1357", WL_ROLE_VOLUNTEER, T0, &u, &err), WL_OK);
    assert_string_equal(u.name, "vera");
    assert_int_equal(u.role, WL_ROLE_VOLUNTEER);
    assert_int_equal(wl_auth_verify(st, "vera", "1357", WL_ROLE_STAFF, T0, &u, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "staff"));
    assert_int_equal(wl_auth_verify(st, "sam", "246802", WL_ROLE_STAFF, T0, &u, &err), WL_OK);
    assert_int_equal(u.role, WL_ROLE_STAFF);
    assert_int_equal(wl_auth_verify(st, "sam", "246802", WL_ROLE_ADMIN, T0, &u, &err), WL_ERR_AUTH);
}

static void test_add_and_verify(void **state)
{
    (void)state;
    add_ok("Anna", WL_ROLE_ADMIN, "4821");
    wl_err_t err = {""};
    /* Names are unique regardless of case; PINs are 4-12 digits; names 1-63 characters. */
    assert_int_equal(wl_auth_add(st, "anna", WL_ROLE_STAFF, "1111", &err), WL_ERR_CONFLICT);
    assert_int_equal(wl_auth_add(st, "bob", WL_ROLE_STAFF, "123", &err), WL_ERR_INVALID);
    assert_int_equal(wl_auth_add(st, "bob", WL_ROLE_STAFF, "1234567890123", &err), WL_ERR_INVALID);
    assert_int_equal(wl_auth_add(st, "bob", WL_ROLE_STAFF, "12a4", &err), WL_ERR_INVALID);
    assert_int_equal(wl_auth_add(st, "", WL_ROLE_STAFF, "1234", &err), WL_ERR_INVALID);
    assert_int_equal(wl_auth_add(st, "bob", (wl_role_t)7, "1234", &err), WL_ERR_INVALID);

    /* Only an Argon2id hash is stored, never the PIN. */
    wl_stmt_t *s;
    assert_int_equal(wl_stmt_prepare(st, "SELECT pin_hash FROM users", &s, NULL), WL_OK);
    assert_int_equal(wl_stmt_step(s), WL_ROW);
    const char *hash = wl_stmt_col_text(s, 0);
    assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
    assert_null(strstr(hash, "4821"));
    wl_stmt_finalize(s);

    wl_user_t u;
    assert_int_equal(wl_auth_verify(st, "Anna", "4821", WL_ROLE_ADMIN, T0, &u, &err), WL_OK);
    assert_int_equal(u.role, WL_ROLE_ADMIN);
    assert_int_equal(u.failed, 0);
    assert_int_equal(wl_auth_verify(st, "Anna", "4822", WL_ROLE_VOLUNTEER, T0, &u, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "name or PIN is wrong, or the user is locked"));
    assert_int_equal(find_user("Anna").failed, 1);
    /* A good PIN clears the count. */
    assert_int_equal(verify("Anna", "4821", WL_ROLE_VOLUNTEER, T0, &err), WL_OK);
    assert_int_equal(find_user("Anna").failed, 0);
}

static void test_unknown_and_disabled_look_alike(void **state)
{
    (void)state;
    add_ok("dirk", WL_ROLE_STAFF, "8642");
    wl_err_t unknown = {""}, disabled = {""}, wrong = {""};
    assert_int_equal(verify("nobody", "8642", WL_ROLE_VOLUNTEER, T0, &unknown), WL_ERR_AUTH);
    assert_int_equal(wl_auth_set_disabled(st, "dirk", true, &disabled), WL_OK);
    assert_true(find_user("dirk").disabled);
    assert_int_equal(verify("dirk", "8642", WL_ROLE_VOLUNTEER, T0, &disabled), WL_ERR_AUTH);
    assert_string_equal(unknown.msg, disabled.msg);
    /* And both read like a first wrong PIN of a real user. */
    add_ok("eva", WL_ROLE_STAFF, "9753");
    assert_int_equal(verify("eva", "0000", WL_ROLE_VOLUNTEER, T0, &wrong), WL_ERR_AUTH);
    assert_string_equal(unknown.msg, wrong.msg);

    assert_int_equal(wl_auth_set_disabled(st, "dirk", false, &disabled), WL_OK);
    assert_int_equal(verify("dirk", "8642", WL_ROLE_VOLUNTEER, T0, &disabled), WL_OK);
    assert_int_equal(wl_auth_set_disabled(st, "nobody", true, &disabled), WL_ERR_NOTFOUND);
    assert_int_equal(verify(NULL, "8642", WL_ROLE_VOLUNTEER, T0, &disabled), WL_ERR_AUTH);
}

static void test_lockout_doubles(void **state)
{
    (void)state;
    add_ok("fleur", WL_ROLE_STAFF, "5555");
    wl_err_t err = {""};
    for (int i = 1; i < WL_AUTH_MAX_FAILS; i++)
        assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, T0 + i, &err), WL_ERR_AUTH);
    /* The fifth wrong PIN locks for one minute. */
    int64_t t = T0 + WL_AUTH_MAX_FAILS;
    assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, t, &err), WL_ERR_LOCKED);
    assert_non_null(strstr(err.msg, "name or PIN is wrong, or the user is locked"));
    wl_user_t u = find_user("fleur");
    assert_int_equal(u.failed, WL_AUTH_MAX_FAILS);
    assert_int_equal(u.locked_until, t + 60);
    /* While locked even the right PIN is refused, and says how long is left. */
    assert_int_equal(verify("fleur", "5555", WL_ROLE_VOLUNTEER, t + 30, &err), WL_ERR_LOCKED);
    assert_non_null(strstr(err.msg, "name or PIN is wrong, or the user is locked"));
    /* After the lock each wrong PIN locks again, twice as long: 2, then 4 minutes. */
    t += 61;
    assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, t, &err), WL_ERR_LOCKED);
    assert_int_equal(find_user("fleur").locked_until, t + 120);
    t += 121;
    assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, t, &err), WL_ERR_LOCKED);
    assert_int_equal(find_user("fleur").locked_until, t + 240);
    assert_non_null(strstr(err.msg, "name or PIN is wrong, or the user is locked"));
    /* The right PIN after the lock ran out opens and clears everything. */
    t += 241;
    assert_int_equal(verify("fleur", "5555", WL_ROLE_VOLUNTEER, t, &err), WL_OK);
    u = find_user("fleur");
    assert_int_equal(u.failed, 0);
    assert_int_equal(u.locked_until, 0);
    /* And the next lock starts at one minute again. */
    for (int i = 1; i < WL_AUTH_MAX_FAILS; i++)
        assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, t + i, &err), WL_ERR_AUTH);
    assert_int_equal(verify("fleur", "1111", WL_ROLE_VOLUNTEER, t + 10, &err), WL_ERR_LOCKED);
    assert_int_equal(find_user("fleur").locked_until, t + 70);
}

/* The period stops growing at a day (checked without hashing: the count is set directly). */
static void test_lock_capped_at_a_day(void **state)
{
    (void)state;
    add_ok("gijs", WL_ROLE_STAFF, "7777");
    assert_int_equal(wl_store_exec(st, "UPDATE users SET failed = 40 WHERE name = 'gijs'", "test", NULL), WL_OK);
    wl_err_t err = {""};
    assert_int_equal(verify("gijs", "1111", WL_ROLE_VOLUNTEER, T0, &err), WL_ERR_LOCKED);
    assert_int_equal(find_user("gijs").locked_until, T0 + 86400);
}

static void test_reset_pin_clears_lock(void **state)
{
    (void)state;
    add_ok("hanna", WL_ROLE_VOLUNTEER, "2468");
    wl_err_t err = {""};
    for (int i = 0; i < WL_AUTH_MAX_FAILS; i++)
        verify("hanna", "0000", WL_ROLE_VOLUNTEER, T0, &err);
    assert_int_equal(verify("hanna", "2468", WL_ROLE_VOLUNTEER, T0 + 1, &err), WL_ERR_LOCKED);
    assert_int_equal(wl_auth_reset_pin(st, "hanna", "13579", &err), WL_OK);
    wl_user_t u = find_user("hanna");
    assert_int_equal(u.failed, 0);
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(verify("hanna", "13579", WL_ROLE_VOLUNTEER, T0 + 2, &err), WL_OK);
    assert_int_equal(verify("hanna", "2468", WL_ROLE_VOLUNTEER, T0 + 3, &err), WL_ERR_AUTH);
    assert_int_equal(wl_auth_reset_pin(st, "hanna", "12", &err), WL_ERR_INVALID);
    assert_int_equal(wl_auth_reset_pin(st, "nobody", "1234", &err), WL_ERR_NOTFOUND);
}

static void test_list(void **state)
{
    (void)state;
    add_ok("zoe", WL_ROLE_VOLUNTEER, "1234");
    add_ok("bram", WL_ROLE_ADMIN, "5678");
    wl_user_t *users = NULL;
    size_t n = 0;
    wl_err_t err = {""};
    assert_int_equal(wl_auth_list(st, &users, &n, &err), WL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(users[0].name, "bram");
    assert_int_equal(users[0].role, WL_ROLE_ADMIN);
    assert_string_equal(users[1].name, "zoe");
    assert_false(users[1].disabled);
    assert_true(users[0].id != users[1].id);
    free(users);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_disabled_look_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_doubles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_capped_at_a_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_pin_clears_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
