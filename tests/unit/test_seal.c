/* Unit tests for sealing: key files, passphrases, sealed boxes, and sealing on the store's write path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "wijkloket/seal.h"
#include "wijkloket/refcode.h"
#include "wijkloket/store.h"
#include "store_internal.h"
#include "../privacy/testutil.h"

#define PASS "correct horse battery"

typedef struct {
    char dir[256], keys[300], pub[400], sec[400];
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    tu_tempdir(f->dir, sizeof f->dir, "seal");
    snprintf(f->keys, sizeof f->keys, "%s/keys", f->dir);
    snprintf(f->pub, sizeof f->pub, "%s/%s", f->keys, WL_SEAL_PUBLIC_FILE);
    snprintf(f->sec, sizeof f->sec, "%s/%s", f->keys, WL_SEAL_SECRET_FILE);
    wl_err_t err = {{0}};
    char id[WL_SEAL_KEY_ID_HEX];
    if (wl_seal_keygen(f->keys, PASS, WL_KDF_INTERACTIVE, id, &err) != WL_OK) {
        fprintf(stderr, "keygen: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

static void test_keygen_files(void **state)
{
    fixture_t *f = *state;
    struct stat sb;
    assert_int_equal(stat(f->sec, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* only the owner may even read the locked key */
    assert_int_equal(tu_file_contains(f->sec, PASS), 0);
    /* A second keygen into the same folder must not destroy the key. */
    wl_err_t err = {{0}};
    assert_int_equal(wl_seal_keygen(f->keys, PASS, WL_KDF_INTERACTIVE, NULL, &err), WL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "never overwrites"));
    char other[400];
    snprintf(other, sizeof other, "%s/short", f->dir);
    assert_int_equal(wl_seal_keygen(other, "kort", WL_KDF_INTERACTIVE, NULL, &err), WL_ERR_INVALID);
}

static void test_roundtrip_and_wrong_passphrase(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    assert_int_equal(wl_seal_load_public(f->pub, pk, &err), WL_OK);

    wl_seal_secret_t *sk = NULL;
    assert_int_equal(wl_seal_load_secret(f->sec, "wrong passphrase!", &sk, &err), WL_ERR_AUTH);
    assert_null(sk);
    assert_non_null(strstr(err.msg, "passphrase does not open"));
    /* The public file where the secret one belongs (and the other way round) says so. */
    assert_int_equal(wl_seal_load_secret(f->pub, PASS, &sk, &err), WL_ERR_PARSE);
    assert_non_null(strstr(err.msg, "public key file"));
    assert_int_equal(wl_seal_load_public(f->sec, pk, &err), WL_ERR_PARSE);
    assert_int_equal(wl_seal_load_public(f->pub, pk, &err), WL_OK);

    assert_int_equal(wl_seal_load_secret(f->sec, PASS, &sk, &err), WL_OK);
    json_t *in = json_pack("{s:s, s:i}", "werk_omschrijving", "Ik werkte als lasser bij Gasunie", "uren", 20);
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(wl_seal_encode(pk, in, &blob, &len, &err), WL_OK);
    assert_true(wl_seal_is_sealed(blob, len));
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, blob, len, &out, &err), WL_OK);
    assert_true(json_equal(in, out));
    json_decref(out);

    /* One flipped byte in the box: reported as damaged, nothing returned. */
    blob[len - 5] ^= 0x40;
    assert_int_equal(wl_seal_open(sk, blob, len, &out, &err), WL_ERR_INVALID);
    assert_null(out);
    /* Truncated to the header: not a sealed record at all. */
    assert_int_equal(wl_seal_open(sk, blob, WL_SEAL_HEADER_BYTES, &out, &err), WL_ERR_PARSE);
    free(blob);
    json_decref(in);
    wl_seal_secret_free(sk);
}

static void test_wrong_key_file(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    char other[400], other_sec[500];
    snprintf(other, sizeof other, "%s/other", f->dir);
    snprintf(other_sec, sizeof other_sec, "%s/%s", other, WL_SEAL_SECRET_FILE);
    assert_int_equal(wl_seal_keygen(other, PASS, WL_KDF_INTERACTIVE, NULL, &err), WL_OK);
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    assert_int_equal(wl_seal_load_public(f->pub, pk, &err), WL_OK);
    wl_seal_secret_t *sk = NULL;
    assert_int_equal(wl_seal_load_secret(other_sec, PASS, &sk, &err), WL_OK);
    json_t *in = json_string("geheim");
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(wl_seal_encode(pk, in, &blob, &len, &err), WL_OK);
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, blob, len, &out, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "wrong key file"));
    free(blob);
    json_decref(in);
    wl_seal_secret_free(sk);
}

/* The must-show test at unit level: a known answer text and a BSN go through the store's
 * sealed write path and are then searched for in the raw bytes of the database and its WAL. */
static void test_store_raw_file_has_no_clear_text(void **state)
{
    fixture_t *f = *state;
    char db[400], wal[420];
    snprintf(db, sizeof db, "%s/wijkloket.db", f->dir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    wl_err_t err = {{0}};
    wl_store_t *st = NULL;
    assert_int_equal(wl_store_open(db, &st, &err), WL_OK);
    assert_int_equal(wl_store_set_seal_key(st, f->pub, &err), WL_OK);

    const char *secret_text = "Ik slaap slecht door de schulden bij Zwanenburg";
    const char *bsn = "111222333";
    json_t *answers = json_pack("{s:s, s:i}", "toelichting", secret_text, "uren_per_week", 16);
    json_t *personal = json_pack("{s:s, s:s}", "naam", "Femke Veldhuis", "bsn", bsn);
    json_t *result = json_pack("{s:s, s:n, s:s, s:[{s:s, s:s, s:b}], s:s, s:{s:i, s:s, s:[s]},"
                               " s:[{s:s, s:s}], s:s}",
                               "route", "klantondersteuning", "participatie", "kik_status", "arbeidspotentieel",
                               "signals", "id", "schulden", "text", "U heeft schulden bij Zwanenburg", "urgent", 0,
                               "regie", "gkb", "domains", "count", 1, "band", "green", "problems", "financien",
                               "trace", "rule", "r1", "reason", "Zwanenburg-regel", "rules_version", "t1");
    wl_intake_record_t rec = {"7K3M-9QXD-T", "vinkhuizen", "k1", "nl", NULL, 1700000000, 1700000600,
                              "completed", "q1", "t1", answers, personal, result};
    /* The reference code fixture must be canonical; make a valid one. */
    char ref[12];
    unsigned char bytes[5] = {1, 2, 3, 4, 5};
    wl_refcode_from_bytes(bytes, ref);
    rec.ref = ref;
    assert_int_equal(wl_store_save_intake(st, &rec, &err), WL_OK);

    /* While open the commit sits in the -wal file: search both. */
    assert_int_equal(tu_file_contains(wal, secret_text), 0);
    assert_int_equal(tu_file_contains(wal, bsn), 0);
    assert_int_equal(tu_file_contains(wal, "Zwanenburg"), 0);
    assert_int_equal(tu_file_contains(db, secret_text), 0);
    assert_int_equal(tu_file_contains(db, bsn), 0);

    /* The clear part still has what the day list and statistics need. */
    json_t *got = NULL;
    assert_int_equal(wl_store_get_intake(st, ref, &got, &err), WL_OK);
    json_t *r = json_object_get(got, "result");
    assert_string_equal(json_string_value(json_object_get(r, "route")), "klantondersteuning");
    assert_null(json_object_get(r, "trace"));
    assert_null(json_object_get(json_object_get(r, "domains"), "problems"));
    assert_null(json_object_get(json_array_get(json_object_get(r, "signals"), 0), "text"));
    assert_false(json_is_true(json_object_get(json_array_get(json_object_get(r, "signals"), 0), "urgent")));
    assert_true(json_is_true(json_object_get(got, "sealed")));
    json_decref(got);
    /* The full result went sealed into intake_detail. */
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(wl_store_db(st), "SELECT payload FROM intake_detail WHERE ref = ?1", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_true(wl_seal_is_sealed(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0)));
    sqlite3_finalize(s);
    wl_store_close(st);
    /* After the checkpoint on close everything is in the main file: still nothing. */
    assert_int_equal(tu_file_contains(db, secret_text), 0);
    assert_int_equal(tu_file_contains(db, bsn), 0);
    assert_int_equal(tu_file_contains(db, "Femke"), 0);
    /* And the test can fail: the same record without a key is found in clear. */
    char db2[400];
    snprintf(db2, sizeof db2, "%s/clear.db", f->dir);
    assert_int_equal(wl_store_open(db2, &st, &err), WL_OK);
    assert_int_equal(wl_store_save_intake(st, &rec, &err), WL_OK);
    wl_store_close(st);
    assert_int_equal(tu_file_contains(db2, bsn), 1);
    json_decref(answers);
    json_decref(personal);
    json_decref(result);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keygen_files),
        cmocka_unit_test(test_roundtrip_and_wrong_passphrase),
        cmocka_unit_test(test_wrong_key_file),
        cmocka_unit_test(test_store_raw_file_has_no_clear_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
