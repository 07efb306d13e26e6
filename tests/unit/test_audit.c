/* Unit tests for the audit trail: chaining, append-only triggers, user changes, and tamper detection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include "store/store_sql.h"
#include "wijkloket/audit.h"
#include "wijkloket/auth.h"
#include "../privacy/testutil.h"

typedef struct {
    char dir[256], db[300];
    wl_store_t *st;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    tu_tempdir(f->dir, sizeof f->dir, "audit");
    snprintf(f->db, sizeof f->db, "%s/w.db", f->dir);
    wl_err_t err = {{0}};
    if (testdb_open(f->db, f->dir, &f->st, &err) != WL_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    wl_store_close(f->st);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

static void append3(wl_store_t *st)
{
    wl_err_t err = {{0}};
    assert_int_equal(wl_audit_append(st, "anna", "show", "7K3M-9QXD-T", "", 1000, &err), WL_OK);
    assert_int_equal(wl_audit_append(st, "anna", "export", NULL, "format=csv n=12", 1010, &err), WL_OK);
    assert_int_equal(wl_audit_append(st, "bert", "pull", "7K3M-9QXD-T", "", 1020, &err), WL_OK);
}

/* 0 when the SQL ran (as SQLITE_OK), else non-zero. */
static int exec_sql(wl_store_t *st, const char *sql)
{
    return (int)wl_store_exec(st, sql, "test", NULL);
}

/* What someone with database rights does to get round the guard trigger. */
static const char *drop_trigger(const char *name)
{
    static char sql[160];
    snprintf(sql, sizeof sql, testdb_is_pg() ? "DROP TRIGGER %s ON audit" : "DROP TRIGGER %s", name);
    return sql;
}

static void test_chain_intact(void **state)
{
    fixture_t *f = *state;
    append3(f->st);
    wl_audit_report_t rep;
    wl_err_t err = {{0}};
    assert_int_equal(wl_audit_verify(f->st, &rep, &err), WL_OK);
    assert_int_equal(rep.entries, 3);
    assert_int_equal(rep.first_bad, 0);
    assert_int_equal(strlen(rep.head), 64);
    json_t *list = NULL;
    assert_int_equal(wl_audit_list(f->st, "7K3M-9QXD-T", 0, &list, &err), WL_OK);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    /* No actor is refused: every entry says who. */
    assert_int_equal(wl_audit_append(f->st, "", "show", NULL, "", 1, &err), WL_ERR_INVALID);
}

static void test_append_only(void **state)
{
    fixture_t *f = *state;
    append3(f->st);
    assert_int_not_equal(exec_sql(f->st, "UPDATE audit SET actor = 'mallory' WHERE id = 2"), SQLITE_OK);
    assert_int_not_equal(exec_sql(f->st, "DELETE FROM audit WHERE id = 2"), SQLITE_OK);
    assert_int_not_equal(exec_sql(f->st, "UPDATE audit SET hash = NULL WHERE id = 1"), SQLITE_OK);
}

static void test_user_changes_are_recorded(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    append3(f->st);
    assert_int_equal(wl_auth_add(f->st, "carla", WL_ROLE_STAFF, "4821", &err), WL_OK);
    wl_audit_report_t rep;
    assert_int_equal(wl_audit_verify(f->st, &rep, &err), WL_OK);
    assert_int_equal(rep.pending, 0); /* written by the trigger, chained before the change commits */
    assert_int_equal(wl_auth_set_disabled(f->st, "carla", true, &err), WL_OK);
    assert_int_equal(wl_audit_append(f->st, "anna", "show", NULL, "", 1030, &err), WL_OK);
    assert_int_equal(wl_audit_verify(f->st, &rep, &err), WL_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.entries, 6);
    json_t *list = NULL;
    assert_int_equal(wl_audit_list(f->st, NULL, 0, &list, &err), WL_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "action")), "user.add");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 4), "action")), "user.disable");
    json_decref(list);
}

static void test_tampered_entry_is_named(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    append3(f->st);
    assert_int_equal(exec_sql(f->st, drop_trigger("audit_no_update")), SQLITE_OK);
    assert_int_equal(exec_sql(f->st, "UPDATE audit SET actor = 'mallory' WHERE id = 2"), SQLITE_OK);
    wl_audit_report_t rep;
    assert_int_equal(wl_audit_verify(f->st, &rep, &err), WL_ERR_INVALID);
    assert_int_equal(rep.first_bad, 2);
    assert_non_null(strstr(err.msg, "entry 2"));
    assert_non_null(strstr(err.msg, "changed"));
}

static void test_removed_entry_is_named(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    append3(f->st);
    assert_int_equal(exec_sql(f->st, drop_trigger("audit_no_delete")), SQLITE_OK);
    assert_int_equal(exec_sql(f->st, "DELETE FROM audit WHERE id = 2"), SQLITE_OK);
    wl_audit_report_t rep;
    assert_int_equal(wl_audit_verify(f->st, &rep, &err), WL_ERR_INVALID);
    assert_int_equal(rep.first_bad, 2);
    assert_non_null(strstr(err.msg, "missing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_changes_are_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_entry_is_named, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
