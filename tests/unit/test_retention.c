/* Unit tests for retention: policy validation with file:line:field, and the purge by status with counts kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include "store/store_sql.h"
#include "wijkloket/audit.h"
#include "wijkloket/casework.h"
#include "wijkloket/figures.h"
#include "wijkloket/refcode.h"
#include "wijkloket/retention.h"
#include "../privacy/testutil.h"

#define DAY 86400
#define T0 1767225600 /* 2026-01-01 00:00 UTC */

typedef struct {
    char dir[256], db[300], policy[300];
    wl_store_t *st;
} fixture_t;

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static const char *POLICY =
    "{\n"
    "  \"version\": \"t1\",\n"
    "  \"source\": \"test\",\n"
    "  \"policies\": {\n"
    "    \"pulled\": {\"keep_days\": 30, \"action\": \"delete\", \"why\": \"w\"},\n"
    "    \"not_pulled\": {\"keep_days\": 90, \"action\": \"anonymise\", \"why\": \"w\"},\n"
    "    \"abandoned\": {\"keep_days\": 1, \"action\": \"delete\", \"why\": \"w\"}\n"
    "  },\n"
    "  \"keep_while_appointment_ahead\": true\n"
    "}\n";

static int setup(void **state)
{
    setenv("TZ", "UTC", 1);
    fixture_t *f = calloc(1, sizeof *f);
    tu_tempdir(f->dir, sizeof f->dir, "retention");
    snprintf(f->db, sizeof f->db, "%s/w.db", f->dir);
    snprintf(f->policy, sizeof f->policy, "%s/retention.json", f->dir);
    write_file(f->policy, POLICY);
    wl_err_t err = {{0}};
    if (testdb_open(f->db, f->dir, &f->st, &err) != WL_OK) return -1;
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

static void save(wl_store_t *st, unsigned char seed, const char *status, int64_t at, const char *route, char ref[12])
{
    unsigned char b[5] = {seed, 7, 7, 7, 7};
    wl_refcode_from_bytes(b, ref);
    json_t *answers = json_pack("{s:s}", "schulden", "ja");
    json_t *personal = json_pack("{s:s}", "naam", "Test Persoon");
    json_t *result = json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}], s:[{s:s}]}", "route", route, "kik_status",
                               "arbeidspotentieel", "signals", "id", "schulden", "text", "U hebt schulden", "urgent", 0,
                               "trace", "rule", "r1");
    wl_intake_record_t rec = {ref, "selwerd", "k1", "nl", NULL, at - 600, strcmp(status, "completed") == 0 ? at : 0,
                              status, "q", "r", answers, personal, result, NULL};
    wl_err_t err = {{0}};
    assert_int_equal(wl_store_save_intake(st, &rec, &err), WL_OK);
    json_decref(answers);
    json_decref(personal);
    json_decref(result);
}

static void test_policy_errors_name_line_and_field(void **state)
{
    fixture_t *f = *state;
    wl_retention_policy_t pol;
    wl_err_t err = {{0}};
    assert_int_equal(wl_retention_load(f->policy, &pol, &err), WL_OK);
    assert_int_equal(pol.not_pulled.keep_days, 90);
    assert_int_equal(pol.not_pulled.action, WL_RETAIN_ANONYMISE);

    char bad[400];
    snprintf(bad, sizeof bad, "%s/bad.json", f->dir);
    write_file(bad, "{\n  \"version\": \"t1\",\n  \"source\": \"x\",\n  \"policies\": {\n"
                    "    \"pulled\": {\"keep_days\": 30, \"action\": \"shred\", \"why\": \"w\"},\n"
                    "    \"not_pulled\": {\"keep_days\": 9, \"action\": \"delete\", \"why\": \"w\"},\n"
                    "    \"abandoned\": {\"keep_days\": 1, \"action\": \"delete\", \"why\": \"w\"}\n  },\n"
                    "  \"keep_while_appointment_ahead\": true\n}\n");
    assert_int_equal(wl_retention_load(bad, &pol, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "bad.json:5: field 'action'"));
    write_file(bad, "{\"version\": \"t1\", \"source\": \"x\", \"policies\": {}, \"keep_while_appointment_ahead\": 1}");
    assert_int_equal(wl_retention_load(bad, &pol, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "pulled"));
    write_file(bad, "{\"version\": \"t1\", \"colour\": 1}");
    assert_int_equal(wl_retention_load(bad, &pol, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "colour"));
    write_file(bad, "{\"version\": ");
    assert_int_equal(wl_retention_load(bad, &pol, &err), WL_ERR_PARSE);
}

static void test_purge_by_status(void **state)
{
    fixture_t *f = *state;
    wl_store_t *st = f->st;
    wl_err_t err = {{0}};
    char old_pulled[12], old_open[12], old_abandoned[12], recent[12], held[12];
    save(st, 1, "completed", T0, "zelfdoener", old_pulled);
    save(st, 2, "completed", T0, "participatie", old_open);
    save(st, 3, "abandoned", T0, "participatie", old_abandoned);
    save(st, 4, "completed", T0 + 100 * DAY, "klantondersteuning", recent);
    save(st, 5, "completed", T0, "zelfdoener", held);
    assert_int_equal(wl_case_pull(st, old_pulled, "anna", T0 + DAY, &err), WL_OK);
    assert_int_equal(wl_case_pull(st, held, "anna", T0 + DAY, &err), WL_OK);
    /* An appointment still ahead of "now" holds the pulled record past its 30 days. */
    int64_t now = T0 + 120 * DAY; /* 2026-05-01 */
    wl_stmt_t *s;
    assert_int_equal(wl_stmt_prepare(st,
                                      "INSERT INTO appointments (ref, service, location, start, end_time, status,"
                                      " language, intake_ref, created_at) VALUES ('AAAA-BBBB-C', 'werkintake',"
                                      " 'selwerd', '2026-05-04T10:00', '10:30', 'booked', 'nl', ?1, 0)",
                                      &s, &err),
                     WL_OK);
    wl_stmt_text(s, 1, held);
    assert_int_equal(wl_stmt_step(s), WL_DONE);
    wl_stmt_finalize(s);

    /* A decision on the never-pulled one: its reason must go, its route must stay. */
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk, sk);
    assert_int_equal(wl_case_decide(st, pk, old_open, "zelfdoener", "Kan zelf aan de slag", "anna", T0 + DAY, &err),
                     WL_OK);

    json_t *before = NULL, *after = NULL;
    assert_int_equal(wl_figures_kik(st, NULL, &before, &err), WL_OK);

    wl_retention_policy_t pol;
    assert_int_equal(wl_retention_load(f->policy, &pol, &err), WL_OK);
    wl_retention_report_t rep;
    /* A dry run changes nothing. */
    assert_int_equal(wl_retention_apply(st, &pol, now, "test", true, &rep, &err), WL_OK);
    assert_int_equal(rep.deleted, 2);
    assert_int_equal(wl_store_count_intakes(st), 5);

    assert_int_equal(wl_retention_apply(st, &pol, now, "test", false, &rep, &err), WL_OK);
    assert_int_equal(rep.deleted, 2);    /* old pulled, old abandoned */
    assert_int_equal(rep.anonymised, 1); /* old, never pulled */
    assert_int_equal(rep.held_for_appointment, 1);
    assert_int_equal(rep.kept, 1);
    assert_int_equal(wl_store_count_intakes(st), 3);

    json_t *got = NULL;
    assert_int_equal(wl_case_open(st, NULL, old_pulled, &got, &err), WL_ERR_NOTFOUND);
    /* Anonymised: a fresh reference nobody holds, no answers, no personal data, no reasons;
     * the route and the decision stay for the figures. */
    assert_int_equal(wl_case_open(st, NULL, old_open, &got, &err), WL_ERR_NOTFOUND);
    assert_int_equal(wl_stmt_prepare(st, "SELECT i.ref, i.route, i.result, i.kiosk, d.route, d.reason"
                                          " FROM intakes i JOIN decisions d ON d.ref = i.ref"
                                          " WHERE i.anonymised_at IS NOT NULL", &s, &err), WL_OK);
    assert_int_equal(wl_stmt_step(s), WL_ROW);
    assert_string_not_equal(wl_stmt_col_text(s, 0), old_open);
    assert_string_equal(wl_stmt_col_text(s, 1), "participatie");
    /* Stored without a seal key, so the full result was in clear: only its clear part stays. */
    assert_null(strstr(wl_stmt_col_text(s, 2), "trace"));
    assert_null(strstr(wl_stmt_col_text(s, 2), "U hebt schulden"));
    assert_string_equal(wl_stmt_col_text(s, 3), "");
    assert_string_equal(wl_stmt_col_text(s, 4), "zelfdoener");
    assert_true(wl_stmt_col_null(s, 5));
    assert_int_equal(wl_stmt_step(s), WL_DONE);
    wl_stmt_finalize(s);
    assert_int_equal(wl_stmt_prepare(st, "SELECT count(*) FROM intake_data WHERE ref NOT IN"
                                          " (SELECT ref FROM intakes WHERE anonymised_at IS NULL)", &s, &err), WL_OK);
    assert_int_equal(wl_stmt_step(s), WL_ROW);
    assert_int_equal(wl_stmt_col_int(s, 0), 0);
    wl_stmt_finalize(s);

    /* The statistics over the period are the same before and after: counts were kept. */
    assert_int_equal(wl_figures_kik(st, NULL, &after, &err), WL_OK);
    if (!json_equal(json_object_get(before, "total"), json_object_get(after, "total"))) {
        char *x = json_dumps(before, JSON_COMPACT), *y = json_dumps(after, JSON_COMPACT);
        fail_msg("before %s\nafter  %s", x, y);
    }
    json_decref(before);
    json_decref(after);

    /* A second purge at the same time finds nothing more to do; the purge is audited. */
    assert_int_equal(wl_retention_apply(st, &pol, now, "test", false, &rep, &err), WL_OK);
    assert_int_equal(rep.deleted + rep.anonymised, 0);
    json_t *trail = NULL;
    assert_int_equal(wl_audit_list(st, NULL, 1, &trail, &err), WL_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(trail, 0), "action")), "purge");
    json_decref(trail);
    /* Once the appointment has passed the held record goes too. */
    assert_int_equal(wl_retention_apply(st, &pol, now + 5 * DAY, "test", false, &rep, &err), WL_OK);
    assert_int_equal(rep.deleted, 1);
}

static int64_t count_sql(wl_store_t *st, const char *sql, const char *arg)
{
    wl_stmt_t *s = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_stmt_prepare(st, sql, &s, &err), WL_OK);
    if (arg) wl_stmt_text(s, 1, arg);
    assert_int_equal(wl_stmt_step(s), WL_ROW);
    int64_t n = wl_stmt_col_int(s, 0);
    wl_stmt_finalize(s);
    return n;
}

static void add_appointment(wl_store_t *st, const char *code, const char *start, const char *intake)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO appointments (ref, service, location, start, end_time, status, language, intake_ref,"
             " created_at) VALUES ('%s', 'gkb_schuldhulp', 'selwerd', '%s', '10:30', 'booked', 'nl', %s%s%s, 0)",
             code, start, intake ? "'" : "", intake ? intake : "NULL", intake ? "'" : "");
    assert_int_equal(wl_store_exec(st, sql, "test", NULL), SQLITE_OK);
}

/* Issue 14, findings 3 and 5: forget and the purge take the appointment along (it names the
 * service, place and time), past appointments are purged on their own, and an anonymised row
 * keeps only the day of the visit. */
static void test_appointments_and_anonymous_day(void **state)
{
    fixture_t *f = *state;
    wl_store_t *st = f->st;
    wl_err_t err = {{0}};
    char forgotten[12], anon[12];
    save(st, 11, "completed", T0 + 3 * 3600 + 17 * 60 + 42, "klantondersteuning", forgotten);
    save(st, 12, "completed", T0 + 5 * 3600 + 4 * 60 + 9, "participatie", anon);
    add_appointment(st, "AAAA-BBBB-C", "2026-01-05T10:00", forgotten);
    add_appointment(st, "CCCC-DDDD-E", "2026-01-06T10:00", anon);
    add_appointment(st, "EEEE-FFFF-G", "2026-01-07T10:00", NULL); /* booked without an intake */
    assert_int_equal(wl_retention_forget(st, forgotten, "beheer", T0 + DAY, &err), WL_OK);
    assert_int_equal(count_sql(st, "SELECT count(*) FROM appointments WHERE intake_ref = ?1", forgotten), 0);

    wl_retention_policy_t pol;
    assert_int_equal(wl_retention_load(f->policy, &pol, &err), WL_OK);
    assert_int_equal(pol.appointment_keep_days, 30); /* the default when the policy does not say */
    wl_retention_report_t rep;
    assert_int_equal(wl_retention_apply(st, &pol, T0 + 100 * DAY, "test", false, &rep, &err), WL_OK);
    assert_int_equal(rep.anonymised, 1);
    assert_int_equal(rep.appointments, 2); /* the anonymised intake's, and the past one without intake */
    assert_int_equal(count_sql(st, "SELECT count(*) FROM appointments", NULL), 0);
    /* The anonymised row: times cut to the (local, here UTC) day. */
    assert_int_equal(count_sql(st, "SELECT count(*) FROM intakes WHERE anonymised_at IS NOT NULL"
                                   " AND (completed_at % 86400 != 0 OR started_at % 86400 != 0"
                                   " OR created_at % 86400 != 0)", NULL), 0);
    assert_int_equal(count_sql(st, "SELECT count(*) FROM intakes WHERE anonymised_at IS NOT NULL", NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_policy_errors_name_line_and_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_by_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appointments_and_anonymous_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
