/* Unit tests for the store: open, migrations from every version, refusals, full disk, intakes. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_sql.h"
#include "store/store_stmt.h"
#include "testdb.h"
#include "wijkloket/auth.h"
#include "wijkloket/casework.h"
#include "wijkloket/seal.h"
#include "wijkloket/refcode.h"

/* ---- helpers ---------------------------------------------------------------------- */

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    chmod(p, 0700);
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wl-test-store-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chmod(tmpdir, 0700);
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (!v) fail_msg("bad test JSON: %s", e.text);
    return v;
}

static void make_ref(unsigned seed, char ref[WL_REFCODE_BUFSZ])
{
    unsigned char b[5] = {(unsigned char)seed, (unsigned char)(seed >> 8), 0x5A, 0xC3,
                          (unsigned char)(seed >> 16)};
    wl_refcode_from_bytes(b, ref);
}

/* A completed record with the given JSON; all strings borrowed from static storage. */
static wl_intake_record_t record(const char *ref, const json_t *answers, const json_t *personal,
                                 const json_t *result)
{
    wl_intake_record_t r = {
        .ref = ref, .location = "vinkhuizen", .kiosk = "kiosk-1", .language = "nl",
        .assisted_by = NULL, .started_at = 1767261600, .completed_at = 1767262200,
        .status = "completed", .questionnaire_version = "q-2026.1", .rules_version = "r-2026.1",
        .answers = answers, .personal = personal, .result = result,
    };
    return r;
}

static void save_simple(wl_store_t *st, const char *ref)
{
    json_t *a = parse("{\"age\": 34, \"werk_zoekt\": \"ja\"}");
    json_t *p = parse("{\"naam\": \"Test Persoon\"}");
    json_t *res = parse("{\"route\": \"zelfdoener\"}");
    wl_intake_record_t r = record(ref, a, p, res);
    wl_err_t err = {""};
    wl_rc rc = wl_store_save_intake(st, &r, &err);
    if (rc != WL_OK) fail_msg("save %s: %s", ref, err.msg);
    json_decref(a);
    json_decref(p);
    json_decref(res);
}

/* Opens path, or the PostgreSQL test database afresh when WL_TEST_DB is set (testdb.h). */
static wl_store_t *open_ok(const char *path)
{
    wl_store_t *st = NULL;
    wl_err_t err = {""};
    if (testdb_is_pg()) {
        assert_int_equal(testdb_reset(), 0);
        path = testdb_setting(path);
    }
    wl_rc rc = wl_store_open(path, &st, &err);
    if (rc != WL_OK) fail_msg("open %s: %s: %s", path, wl_rc_name(rc), err.msg);
    return st;
}

static void expect_open_fails(const char *path, wl_rc want, const char *needle)
{
    wl_store_t *st = NULL;
    wl_err_t err = {""};
    wl_rc rc = wl_store_open(path, &st, &err);
    if (rc != want) fail_msg("open %s: got %s (%s), want %s", path, wl_rc_name(rc), err.msg,
                             wl_rc_name(want));
    assert_null(st);
    if (!strstr(err.msg, needle)) fail_msg("'%s' not in message '%s'", needle, err.msg);
}

static int64_t sql_int(wl_store_t *st, const char *sql)
{
    int64_t v = -1;
    wl_err_t err = {""};
    if (wl_store_query_int(st, sql, &v, &err) != WL_OK) fail_msg("%s: %s", sql, err.msg);
    return v;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_open_new_and_reopen(void **state)
{
    (void)state;
    char path[512];
    path_in(path, sizeof path, "missing/deeper/wijkloket.db");
    wl_store_t *st = open_ok(path);
    assert_int_equal(wl_store_schema_version(st), wl_store_latest_version());
    assert_true(wl_store_latest_version() >= 2);
    assert_int_equal(sql_int(st, "PRAGMA application_id"), WL_STORE_APPLICATION_ID);
    assert_int_equal(sql_int(st, "PRAGMA synchronous"), 2);
    assert_int_equal(sql_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    assert_int_equal(wl_store_count_intakes(st), 0);
    /* Not readable for other users of the machine (answers may be in clear). */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0007, 0);
    char ref[WL_REFCODE_BUFSZ];
    make_ref(1, ref);
    save_simple(st, ref);
    wl_store_close(st);

    st = open_ok(path);
    assert_int_equal(wl_store_schema_version(st), wl_store_latest_version());
    assert_int_equal(wl_store_count_intakes(st), 1);
    wl_store_close(st);

    /* An empty file (say, created by touch) becomes a new database. */
    path_in(path, sizeof path, "empty.db");
    write_file(path, "", 0);
    st = open_ok(path);
    assert_int_equal(wl_store_schema_version(st), wl_store_latest_version());
    wl_store_close(st);
}

static void test_migration_list_is_contiguous(void **state)
{
    (void)state;
    assert_true(wl_store_migration_count >= 2);
    for (size_t i = 0; i < wl_store_migration_count; i++) {
        assert_int_equal(wl_store_migrations[i].version, (int)i + 1);
        assert_non_null(wl_store_migrations[i].description);
        assert_non_null(wl_store_migrations[i].sql);
    }
}

/* Builds a database at every earlier version, puts data in it, and upgrades it. */
static void test_migrate_from_every_version(void **state)
{
    (void)state;
    for (int v = 0; v < wl_store_latest_version(); v++) {
        char path[512], name[32], ref[WL_REFCODE_BUFSZ];
        snprintf(name, sizeof name, "v%d.db", v);
        path_in(path, sizeof path, name);
        make_ref(100 + (unsigned)v, ref);
        wl_store_t *st = NULL;
        wl_err_t err = {""};
        if (wl_store_open_upto(path, v, &st, &err) != WL_OK) fail_msg("v%d: %s", v, err.msg);
        assert_int_equal(wl_store_schema_version(st), v);
        if (v >= 1) save_simple(st, ref);
        if (v >= 2) {
            if (wl_auth_add(st, "anna", WL_ROLE_STAFF, "4821", &err) != WL_OK)
                fail_msg("v%d add user: %s", v, err.msg);
        }
        wl_store_close(st);

        st = open_ok(path);
        assert_int_equal(wl_store_schema_version(st), wl_store_latest_version());
        assert_int_equal(sql_int(st, "PRAGMA application_id"), WL_STORE_APPLICATION_ID);
        assert_int_equal(wl_store_count_intakes(st), v >= 1 ? 1 : 0);
        if (v >= 1) {
            json_t *got = NULL;
            if (wl_store_get_intake(st, ref, &got, &err) != WL_OK) fail_msg("v%d: %s", v, err.msg);
            assert_string_equal(json_string_value(json_object_get(got, "route")), "zelfdoener");
            json_decref(got);
        }
        if (v >= 2) {
            wl_user_t u;
            if (wl_auth_verify(st, "anna", "4821", WL_ROLE_STAFF, 1767261600, &u, &err) != WL_OK)
                fail_msg("v%d verify after upgrade: %s", v, err.msg);
        }
        /* New tables of later versions work after the upgrade. */
        assert_int_equal(sql_int(st, "SELECT count(*) FROM users"), v >= 2 ? 1 : 0);
        assert_int_equal(sql_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
        wl_store_close(st);
    }
}

static void test_foreign_sqlite_refused(void **state)
{
    (void)state;
    char path[512];
    path_in(path, sizeof path, "other.db");
    raw_exec(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);"
                   "INSERT INTO photos (name) VALUES ('cat.jpg');");
    expect_open_fails(path, WL_ERR_DB, "not a Wijkloket database");
    /* Untouched: still not WAL, still no application id, data still there. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM photos", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "delete");
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* Another program's application id, even without tables. */
    path_in(path, sizeof path, "other-app.db");
    raw_exec(path, "PRAGMA application_id = 1234567;");
    expect_open_fails(path, WL_ERR_DB, "another program");
}

static void test_garbage_and_truncated_refused(void **state)
{
    (void)state;
    char path[512];
    unsigned char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(i * 7919u >> 3);
    path_in(path, sizeof path, "garbage.db");
    write_file(path, junk, sizeof junk);
    expect_open_fails(path, WL_ERR_DB, "not an SQLite database");

    path_in(path, sizeof path, "tiny.db");
    write_file(path, "SQLite", 6);
    expect_open_fails(path, WL_ERR_DB, "too short");

    /* A real database cut short, at a page boundary and in the middle of a page. */
    path_in(path, sizeof path, "cut.db");
    wl_store_t *st = open_ok(path);
    json_t *big = json_object();
    char key[16], val[512];
    memset(val, 'x', sizeof val - 1);
    val[sizeof val - 1] = '\0';
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "f%d", i);
        json_object_set_new(big, key, json_string(val));
    }
    for (unsigned i = 0; i < 20; i++) {
        char ref[WL_REFCODE_BUFSZ];
        make_ref(500 + i, ref);
        wl_intake_record_t r = record(ref, big, NULL, NULL);
        wl_err_t err = {""};
        if (wl_store_save_intake(st, &r, &err) != WL_OK) fail_msg("%s", err.msg);
    }
    json_decref(big);
    wl_store_close(st);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size >= 16 * 4096);
    assert_int_equal(truncate(path, 8 * 4096), 0);
    expect_open_fails(path, WL_ERR_DB, "truncated");
    assert_int_equal(truncate(path, 5 * 4096 + 100), 0);
    expect_open_fails(path, WL_ERR_DB, "truncated");

    /* Whole length, but a page in the middle overwritten: quick_check finds it on open. */
    char copy[512];
    path_in(copy, sizeof copy, "damaged.db");
    st = open_ok(copy);
    for (unsigned i = 0; i < 20; i++) {
        char ref[WL_REFCODE_BUFSZ];
        make_ref(600 + i, ref);
        save_simple(st, ref);
    }
    wl_store_close(st);
    unsigned char ff[4096];
    memset(ff, 0xFF, sizeof ff);
    FILE *f = fopen(copy, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 2 * 4096, SEEK_SET), 0);
    assert_int_equal(fwrite(ff, 1, sizeof ff, f), sizeof ff);
    fclose(f);
    expect_open_fails(copy, WL_ERR_DB, "damaged");
}

static void test_newer_version_refused(void **state)
{
    (void)state;
    char path[512], sql[64];
    path_in(path, sizeof path, "future.db");
    wl_store_close(open_ok(path));
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", wl_store_latest_version() + 1);
    raw_exec(path, sql);
    expect_open_fails(path, WL_ERR_DB, "newer");
}

static void test_missing_dir_that_cannot_be_made(void **state)
{
    (void)state;
    char file[512], path[600];
    path_in(file, sizeof file, "plain-file");
    write_file(file, "x", 1);
    snprintf(path, sizeof path, "%s/sub/wijkloket.db", file);
    expect_open_fails(path, WL_ERR_IO, "cannot create the folder");
}

/* The read-only checks; returns a bit per failed check so a child process can report. */
static int readonly_checks(const char *ro_dir, const char *ro_file, const char *in_ro_dir)
{
    int failed = 0;
    wl_store_t *st = NULL;
    wl_err_t err = {""};
    char path[600];
    snprintf(path, sizeof path, "%s/new.db", ro_dir);
    wl_rc rc = wl_store_open(path, &st, &err);
    if (rc != WL_ERR_IO || st) failed |= 1;
    wl_store_close(st);
    st = NULL;
    rc = wl_store_open(ro_file, &st, &err);
    if (rc != WL_ERR_IO || st || !strstr(err.msg, "read-only")) failed |= 2;
    wl_store_close(st);
    st = NULL;
    rc = wl_store_open(in_ro_dir, &st, &err);
    if (rc != WL_ERR_IO || st) failed |= 4;
    wl_store_close(st);
    return failed;
}

static void test_read_only(void **state)
{
    (void)state;
    char ro_dir[512], ro_file[512], dir2[512], in_ro_dir[600];
    path_in(ro_dir, sizeof ro_dir, "ro");
    path_in(ro_file, sizeof ro_file, "rofile.db");
    path_in(dir2, sizeof dir2, "ro2");
    snprintf(in_ro_dir, sizeof in_ro_dir, "%s/existing.db", dir2);
    assert_int_equal(mkdir(ro_dir, 0555), 0);
    wl_store_close(open_ok(ro_file));
    wl_store_close(open_ok(in_ro_dir));
    assert_int_equal(chmod(ro_file, 0444), 0);
    assert_int_equal(chmod(dir2, 0555), 0);
    assert_int_equal(chmod(tmpdir, 0755), 0);
    if (geteuid() != 0) {
        assert_int_equal(readonly_checks(ro_dir, ro_file, in_ro_dir), 0);
        return;
    }
    /* Root ignores permissions, so run the checks as "nobody" in a child process. */
    assert_int_equal(chown(in_ro_dir, 65534, 65534), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(100);
        _exit(readonly_checks(ro_dir, ro_file, in_ro_dir));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) fail_msg("read-only checks failed: mask %d", WEXITSTATUS(status));
}

/* A full disk (simulated with max_page_count) refuses the save and leaves nothing behind. */
static void test_full_disk(void **state)
{
    (void)state;
    char path[512], ref1[WL_REFCODE_BUFSZ], ref2[WL_REFCODE_BUFSZ];
    path_in(path, sizeof path, "full.db");
    make_ref(7, ref1);
    make_ref(8, ref2);
    wl_store_t *st = open_ok(path);
    save_simple(st, ref1);
    int64_t pages = sql_int(st, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 2);
    sql_int(st, sql);

    /* The intakes row fits in free space, the 200 kB of answers do not. */
    json_t *big = json_object();
    char *val = malloc(200001);
    memset(val, 'a', 200000);
    val[200000] = '\0';
    json_object_set_new(big, "toelichting", json_string(val));
    free(val);
    wl_intake_record_t r = record(ref2, big, NULL, NULL);
    wl_err_t err = {""};
    wl_rc rc = wl_store_save_intake(st, &r, &err);
    if (rc != WL_ERR_IO) fail_msg("full disk gave %s: %s", wl_rc_name(rc), err.msg);
    assert_non_null(strstr(err.msg, "disk is full"));
    assert_int_equal(wl_store_count_intakes(st), 1);
    json_t *got = NULL;
    assert_int_equal(wl_store_get_intake(st, ref2, &got, NULL), WL_ERR_NOTFOUND);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM intake_data"), 2);

    /* Space again: the same intake saves whole. */
    sql_int(st, "PRAGMA max_page_count = 1073741823");
    rc = wl_store_save_intake(st, &r, &err);
    if (rc != WL_OK) fail_msg("after space freed: %s", err.msg);
    assert_int_equal(wl_store_count_intakes(st), 2);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    json_decref(big);
    wl_store_close(st);
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[512], ref[WL_REFCODE_BUFSZ];
    path_in(path, sizeof path, "rt.db");
    make_ref(42, ref);
    wl_store_t *st = open_ok(path);
    json_t *a = parse("{\"leeftijd\": 24, \"schulden\": true, \"domeinen\": [\"financien\", \"werk\"],"
                      " \"toelichting\": \"Ik zoek werk in de zorg — graag 's ochtends\"}");
    json_t *p = parse("{\"voornaam\": \"Fatima\", \"achternaam\": \"de Vries\", \"bsn\": null}");
    json_t *res = parse("{\"route\": \"klantondersteuning\", \"signals\": [{\"id\": \"schulden\","
                        " \"urgent\": false}], \"regie\": \"gkb\"}");
    wl_intake_record_t r = record(ref, a, p, res);
    r.assisted_by = "vrijwilliger-jan";
    r.language = "en";
    wl_err_t err = {""};
    if (wl_store_save_intake(st, &r, &err) != WL_OK) fail_msg("%s", err.msg);

    json_t *got = NULL;
    if (wl_store_get_intake(st, ref, &got, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_string_equal(json_string_value(json_object_get(got, "ref")), ref);
    assert_string_equal(json_string_value(json_object_get(got, "location")), "vinkhuizen");
    assert_string_equal(json_string_value(json_object_get(got, "kiosk")), "kiosk-1");
    assert_string_equal(json_string_value(json_object_get(got, "language")), "en");
    assert_string_equal(json_string_value(json_object_get(got, "assisted_by")), "vrijwilliger-jan");
    assert_int_equal(json_integer_value(json_object_get(got, "started_at")), 1767261600);
    assert_int_equal(json_integer_value(json_object_get(got, "completed_at")), 1767262200);
    assert_string_equal(json_string_value(json_object_get(got, "status")), "completed");
    assert_string_equal(json_string_value(json_object_get(got, "questionnaire_version")), "q-2026.1");
    assert_string_equal(json_string_value(json_object_get(got, "rules_version")), "r-2026.1");
    assert_string_equal(json_string_value(json_object_get(got, "route")), "klantondersteuning");
    assert_true(json_integer_value(json_object_get(got, "created_at")) > 1700000000);
    assert_true(json_equal(json_object_get(got, "answers"), a));
    assert_true(json_equal(json_object_get(got, "personal"), p));
    assert_true(json_equal(json_object_get(got, "result"), res));
    json_decref(got);

    /* What a person types finds it too; an unknown code does not. */
    char typed[WL_REFCODE_BUFSZ + 4];
    snprintf(typed, sizeof typed, "%.4s %.4s %c", ref, ref + 5, ref[10]);
    for (char *c = typed; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    if (wl_store_get_intake(st, typed, &got, &err) != WL_OK) fail_msg("typed: %s", err.msg);
    json_decref(got);
    char other[WL_REFCODE_BUFSZ];
    make_ref(43, other);
    assert_int_equal(wl_store_get_intake(st, other, &got, &err), WL_ERR_NOTFOUND);
    assert_null(got);

    /* Answers are kept apart (to be sealed later); route and dates stay queryable. */
    assert_int_equal(sql_int(st, "SELECT count(*) FROM intake_data WHERE encoding = 'json'"), 2);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM intakes WHERE route = 'klantondersteuning'"
                                 " AND location = 'vinkhuizen'"), 1);

    /* An abandoned intake without personal data or result. */
    char ref2[WL_REFCODE_BUFSZ];
    make_ref(44, ref2);
    wl_intake_record_t ab = record(ref2, a, NULL, NULL);
    ab.status = "abandoned";
    ab.completed_at = 0;
    if (wl_store_save_intake(st, &ab, &err) != WL_OK) fail_msg("%s", err.msg);
    if (wl_store_get_intake(st, ref2, &got, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_true(json_is_null(json_object_get(got, "personal")));
    assert_true(json_is_null(json_object_get(got, "result")));
    assert_true(json_is_null(json_object_get(got, "completed_at")));
    assert_true(json_is_null(json_object_get(got, "route")));
    json_decref(got);
    assert_int_equal(wl_store_count_intakes(st), 2);
    json_decref(a);
    json_decref(p);
    json_decref(res);
    wl_store_close(st);
}

static void test_duplicate_and_invalid(void **state)
{
    (void)state;
    char path[512], ref[WL_REFCODE_BUFSZ];
    path_in(path, sizeof path, "dup.db");
    make_ref(9, ref);
    wl_store_t *st = open_ok(path);
    save_simple(st, ref);
    json_t *a = parse("{\"other\": 1}");
    wl_intake_record_t r = record(ref, a, NULL, NULL);
    wl_err_t err = {""};
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, ref));
    /* The first one is untouched. */
    json_t *got = NULL;
    assert_int_equal(wl_store_get_intake(st, ref, &got, &err), WL_OK);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "answers"), "age")), 34);
    json_decref(got);

    /* A reference must be canonical and carry the right check symbol. */
    char ref2[WL_REFCODE_BUFSZ], bad[WL_REFCODE_BUFSZ];
    make_ref(10, ref2);
    memcpy(bad, ref2, sizeof bad);
    bad[10] = bad[10] == 'Z' ? 'Y' : 'Z';
    r = record(bad, a, NULL, NULL);
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "ref"));
    memcpy(bad, ref2, sizeof bad);
    bad[4] = ' ';
    r = record(bad, a, NULL, NULL);
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_INVALID);
    r = record(ref2, a, NULL, NULL);
    r.location = NULL;
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "location"));
    r = record(ref2, a, NULL, NULL);
    r.status = "half";
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_INVALID);
    r = record(ref2, NULL, NULL, NULL);
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_INVALID);
    assert_int_equal(wl_store_count_intakes(st), 1);
    json_decref(a);
    wl_store_close(st);
}

static wl_rc failing_step(wl_store_t *st, void *ctx, wl_err_t *err)
{
    save_simple(st, ctx);
    wl_err_set(err, "changed my mind");
    return WL_ERR_STATE;
}

static void test_transactions(void **state)
{
    (void)state;
    char path[512], a[WL_REFCODE_BUFSZ], b[WL_REFCODE_BUFSZ], c[WL_REFCODE_BUFSZ];
    path_in(path, sizeof path, "tx.db");
    make_ref(20, a);
    make_ref(21, b);
    make_ref(22, c);
    wl_store_t *st = open_ok(path);
    wl_err_t err = {""};
    assert_int_equal(wl_store_commit(st, &err), WL_ERR_STATE);

    /* Outer transaction with a nested save that is rolled back. */
    assert_int_equal(wl_store_begin(st, &err), WL_OK);
    save_simple(st, a);
    assert_int_equal(wl_store_begin(st, &err), WL_OK);
    save_simple(st, b);
    wl_store_rollback(st);
    assert_int_equal(wl_store_commit(st, &err), WL_OK);
    json_t *got = NULL;
    assert_int_equal(wl_store_get_intake(st, a, &got, NULL), WL_OK);
    json_decref(got);
    assert_int_equal(wl_store_get_intake(st, b, &got, NULL), WL_ERR_NOTFOUND);

    /* wl_store_tx rolls back when the step fails and passes its rc on. */
    assert_int_equal(wl_store_tx(st, failing_step, c, &err), WL_ERR_STATE);
    assert_string_equal(err.msg, "changed my mind");
    assert_int_equal(wl_store_get_intake(st, c, &got, NULL), WL_ERR_NOTFOUND);
    assert_int_equal(wl_store_count_intakes(st), 1);

    if (testdb_is_pg()) { /* no file lock on PostgreSQL: rows lock, not the database */
        wl_store_close(st);
        return;
    }
    /* Another program holding the write lock past the busy timeout (shortened here from
     * 5 s) is a clear WL_ERR_DB, and the save works once it lets go. */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_busy_timeout(wl_store_db(st), 50);
    json_t *a2 = parse("{\"x\": 1}");
    wl_intake_record_t r = record(c, a2, NULL, NULL);
    assert_int_equal(wl_store_save_intake(st, &r, &err), WL_ERR_DB);
    assert_non_null(strstr(err.msg, "locked"));
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    if (wl_store_save_intake(st, &r, &err) != WL_OK) fail_msg("%s", err.msg);
    json_decref(a2);
    wl_store_close(st);
}

/* Rows of intakes, intake_data and intake_detail whose stored bytes contain needle. */
static int64_t stored_with(wl_store_t *st, const char *needle)
{
    static const char *const pg[] = {
        "SELECT count(*) FROM intakes i WHERE strpos(i::text, ?1) > 0",
        "SELECT count(*) FROM intake_data WHERE position(convert_to(?1, 'UTF8') in payload) > 0",
        "SELECT count(*) FROM intake_detail WHERE position(convert_to(?1, 'UTF8') in payload) > 0"};
    static const char *const lite[] = {
        "SELECT count(*) FROM intakes WHERE instr(coalesce(result, ''), ?1) > 0",
        "SELECT count(*) FROM intake_data WHERE instr(payload, CAST(?1 AS BLOB)) > 0",
        "SELECT count(*) FROM intake_detail WHERE instr(payload, CAST(?1 AS BLOB)) > 0"};
    int64_t n = 0;
    for (int i = 0; i < 3; i++) {
        wl_stmt_t *q = NULL;
        wl_err_t err = {""};
        if (wl_stmt_prepare(st, testdb_is_pg() ? pg[i] : lite[i], &q, &err) != WL_OK) fail_msg("%s", err.msg);
        wl_stmt_text(q, 1, needle);
        assert_int_equal(wl_stmt_step(q), WL_ROW);
        n += wl_stmt_col_int(q, 0);
        wl_stmt_finalize(q);
    }
    return n;
}

/* A clear intake saved through the store with a seal key installed reaches the database only
 * sealed, on either backend (SQLite: temporary triggers; PostgreSQL: in C before the row is
 * sent): no name, BSN, answer text or full result in any stored byte, and staff open it with
 * the secret key. */
static void test_sealed_on_save(void **state)
{
    (void)state;
    char keys[300], pub[400], sec[400], db[300], ref[WL_REFCODE_BUFSZ], ref2[WL_REFCODE_BUFSZ];
    const char *pass = "een lange test-wachtzin voor de sleutel";
    path_in(keys, sizeof keys, "keys");
    wl_err_t err = {""};
    if (wl_seal_keygen(keys, pass, WL_KDF_INTERACTIVE, NULL, &err) != WL_OK) fail_msg("keygen: %s", err.msg);
    snprintf(pub, sizeof pub, "%s/%s", keys, WL_SEAL_PUBLIC_FILE);
    snprintf(sec, sizeof sec, "%s/%s", keys, WL_SEAL_SECRET_FILE);
    path_in(db, sizeof db, "sealed.db");
    wl_store_t *st = NULL;
    if (testdb_open(db, tmpdir, &st, &err) != WL_OK) fail_msg("open: %s", err.msg);
    if (wl_store_set_seal_key(st, pub, &err) != WL_OK) fail_msg("seal key: %s", err.msg);
    json_t *a = parse("{\"toelichting\": \"Ik slaap slecht door de schulden bij Zwanenburg\"}");
    json_t *p = parse("{\"naam\": \"Femke Veldhuis\", \"bsn\": \"111222333\"}");
    json_t *res = parse("{\"route\": \"klantondersteuning\", \"regie\": \"gkb\", \"signals\": [{\"id\": "
                        "\"schulden\", \"text\": \"Schulden bij Zwanenburg\", \"urgent\": false}], \"trace\": "
                        "[{\"rule\": \"r1\", \"reason\": \"Zwanenburg-regel\"}]}");
    make_ref(4242, ref);
    wl_intake_record_t r = record(ref, a, p, res);
    if (wl_store_save_intake(st, &r, &err) != WL_OK) fail_msg("save: %s", err.msg);
    assert_int_equal(stored_with(st, "111222333"), 0);
    assert_int_equal(stored_with(st, "Veldhuis"), 0);
    assert_int_equal(stored_with(st, "Zwanenburg"), 0);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM intake_data WHERE encoding = 'sealed'"), 2);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM intake_detail"), 1);
    /* The clear part the day list needs stays readable. */
    json_t *got = NULL;
    if (wl_store_get_intake(st, ref, &got, &err) != WL_OK) fail_msg("get: %s", err.msg);
    assert_true(json_is_true(json_object_get(got, "sealed")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(got, "result"), "route")),
                        "klantondersteuning");
    assert_null(json_object_get(json_object_get(got, "result"), "trace"));
    json_decref(got);
    /* Staff open it with the secret key: every part, nothing reported missing. */
    wl_seal_secret_t *sk = NULL;
    if (wl_seal_load_secret(sec, pass, &sk, &err) != WL_OK) fail_msg("secret: %s", err.msg);
    json_t *open = NULL;
    if (wl_case_open(st, sk, ref, &open, &err) != WL_OK) fail_msg("case open: %s", err.msg);
    assert_int_equal(json_array_size(json_object_get(open, "problems")), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(open, "personal"), "bsn")), "111222333");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(open, "answers"), "toelichting")),
                           "Zwanenburg"));
    assert_non_null(json_object_get(json_object_get(open, "result"), "trace"));
    json_decref(open);
    wl_seal_secret_free(sk);
    /* And the search can fail: a connection without a seal key stores the same in clear. */
    wl_store_t *clear = NULL;
    if (wl_store_open(testdb_setting(db), &clear, &err) != WL_OK) fail_msg("open: %s", err.msg);
    make_ref(4343, ref2);
    r.ref = ref2;
    if (wl_store_save_intake(clear, &r, &err) != WL_OK) fail_msg("save clear: %s", err.msg);
    wl_store_close(clear);
    assert_true(stored_with(st, "111222333") > 0);
    json_decref(a);
    json_decref(p);
    json_decref(res);
    wl_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_new_and_reopen, setup, teardown),
        cmocka_unit_test(test_migration_list_is_contiguous),
        cmocka_unit_test_setup_teardown(test_migrate_from_every_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_sqlite_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_and_truncated_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_dir_that_cannot_be_made, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_and_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_on_save, setup, teardown),
    };
    /* On PostgreSQL (WL_TEST_DB, tests/unit/pg_backend.sh) the file-specific cases (headers,
     * SQLite migrations, permissions, full disk) have no meaning; the rest runs unchanged. */
    const struct CMUnitTest both[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_and_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_on_save, setup, teardown),
    };
    if (testdb_is_pg()) return cmocka_run_group_tests(both, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
