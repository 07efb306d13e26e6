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
#include "store/store_sql.h"
#include "../privacy/testutil.h"

#define PASS "correct horse battery"

/* Where the test blobs belong: a record, a kind and an install key. */
static const unsigned char IKEY[32] = {1, 2, 3, 4, 5, 6, 7, 8};
static const wl_seal_bind_t BIND = {"AB12-CD34-X", "personal", IKEY, false};

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

    /* Issue 14, finding 11: a crafted file with a huge opslimit or memlimit is refused at once
     * with a clear message instead of hanging the tool. */
    {
        json_t *doc = json_load_file(f->sec, 0, NULL);
        assert_non_null(doc);
        char crafted[600];
        snprintf(crafted, sizeof crafted, "%s/crafted.key", f->dir);
        json_object_set_new(json_object_get(doc, "kdf"), "opslimit", json_integer((json_int_t)1 << 40));
        assert_int_equal(json_dump_file(doc, crafted, 0), 0);
        assert_int_equal(wl_seal_load_secret(crafted, PASS, &sk, &err), WL_ERR_PARSE);
        assert_non_null(strstr(err.msg, "above the strongest setting keygen makes"));
        json_object_set_new(json_object_get(doc, "kdf"), "opslimit", json_integer(2));
        json_object_set_new(json_object_get(doc, "kdf"), "memlimit", json_integer((json_int_t)3 << 30));
        assert_int_equal(json_dump_file(doc, crafted, 0), 0);
        assert_int_equal(wl_seal_load_secret(crafted, PASS, &sk, &err), WL_ERR_PARSE);
        json_decref(doc);
    }
    assert_int_equal(wl_seal_load_secret(f->sec, PASS, &sk, &err), WL_OK);
    json_t *in = json_pack("{s:s, s:i}", "werk_omschrijving", "Ik werkte als lasser bij Gasunie", "uren", 20);
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(wl_seal_encode(pk, in, &BIND, &blob, &len, &err), WL_OK);
    assert_true(wl_seal_is_sealed(blob, len));
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, blob, len, &BIND, &out, NULL, &err), WL_OK);
    assert_true(json_equal(in, out));
    json_decref(out);

    /* One flipped byte in the box: refused (the install MAC no longer matches), nothing returned. */
    blob[len - 40] ^= 0x40;
    assert_int_equal(wl_seal_open(sk, blob, len, &BIND, &out, NULL, &err), WL_ERR_AUTH);
    assert_null(out);
    /* Truncated to the header: not a sealed record at all. */
    assert_int_equal(wl_seal_open(sk, blob, WL_SEAL_HEADER_BYTES, &BIND, &out, NULL, &err), WL_ERR_PARSE);
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
    assert_int_equal(wl_seal_encode(pk, in, &BIND, &blob, &len, &err), WL_OK);
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, blob, len, &BIND, &out, NULL, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "wrong key file"));
    free(blob);
    json_decref(in);
    wl_seal_secret_free(sk);
}

static void expect_opens(const wl_seal_secret_t *sk, const unsigned char *blob, size_t len, const json_t *want);

/* Finding 2 (issue 14): a part moved to another record or kind, or made by someone holding
 * only the public key, does not open; old unbound formats open only when the caller asks and
 * is told so. */
static void test_bound_and_authenticated(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    assert_int_equal(wl_seal_load_public(f->pub, pk, &err), WL_OK);
    wl_seal_secret_t *sk = NULL;
    assert_int_equal(wl_seal_load_secret(f->sec, PASS, &sk, &err), WL_OK);
    wl_seal_session_t *sess = NULL;
    assert_int_equal(wl_seal_session_new(pk, &sess, &err), WL_OK);
    json_t *in = json_pack("{s:s}", "naam", "Jan de Vries");
    unsigned char *a = NULL;
    size_t alen = 0;
    json_t *out = NULL;
    assert_int_equal(wl_seal_session_encode(sess, in, 1767258000, &BIND, &a, &alen, &err), WL_OK);
    expect_opens(sk, a, alen, in);
    /* Swapped into another record, or read as another kind. */
    wl_seal_bind_t other_ref = {"ZZ99-ZZ99-Z", "personal", IKEY, false}, other_kind = {"AB12-CD34-X", "answers", IKEY, false};
    assert_int_equal(wl_seal_open(sk, a, alen, &other_ref, &out, NULL, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "not written by this installation for record ZZ99-ZZ99-Z"));
    assert_int_equal(wl_seal_open(sk, a, alen, &other_kind, &out, NULL, &err), WL_ERR_AUTH);
    assert_null(out);
    /* Without the install key nothing can be checked, so nothing opens. */
    wl_seal_bind_t nokey = {"AB12-CD34-X", "personal", NULL, false};
    assert_int_equal(wl_seal_open(sk, a, alen, &nokey, &out, NULL, &err), WL_ERR_AUTH);
    free(a);
    a = NULL;
    assert_int_equal(wl_seal_session_encode(sess, in, 1767258000, &nokey, &a, &alen, &err), WL_ERR_STATE);
    free(a);
    /* Forged with only the public key (any install key but this database's). */
    static const unsigned char forger_key[32] = {9};
    wl_seal_bind_t forged = {"AB12-CD34-X", "personal", forger_key, false};
    assert_int_equal(wl_seal_encode(pk, in, &forged, &a, &alen, &err), WL_OK);
    assert_int_equal(wl_seal_open(sk, a, alen, &BIND, &out, NULL, &err), WL_ERR_AUTH);
    free(a);
    /* A legacy WLS1 blob (crypto_box_seal, as anyone with the public key can make). */
    const char *text = "{\"naam\":\"Jan de Vries\"}";
    alen = WL_SEAL_HEADER_BYTES + crypto_box_SEALBYTES + strlen(text);
    a = malloc(alen);
    memcpy(a, WL_SEAL_MAGIC, 4);
    crypto_generichash(a + 4, WL_SEAL_KEY_ID_BYTES, pk, sizeof pk, NULL, 0);
    crypto_box_seal(a + WL_SEAL_HEADER_BYTES, (const unsigned char *)text, strlen(text), pk);
    assert_int_equal(wl_seal_open(sk, a, alen, &BIND, &out, NULL, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "old format"));
    bool legacy = false;
    assert_int_equal(wl_seal_open(sk, a, alen, &BIND, &out, &legacy, &err), WL_OK);
    assert_true(legacy);
    assert_true(json_equal(in, out));
    json_decref(out);
    free(a);
    json_decref(in);
    wl_seal_session_free(sess);
    wl_seal_secret_free(sk);
}

/* Whether text occurs in the n bytes at p. */
static bool has_bytes(const unsigned char *p, size_t n, const char *text)
{
    size_t t = strlen(text);
    for (size_t i = 0; i + t <= n; i++)
        if (memcmp(p + i, text, t) == 0) return true;
    return false;
}

/* Opens blob and checks it holds want. */
static void expect_opens(const wl_seal_secret_t *sk, const unsigned char *blob, size_t len, const json_t *want)
{
    wl_err_t err = {{0}};
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, blob, len, &BIND, &out, NULL, &err), WL_OK);
    assert_true(json_equal(want, out));
    json_decref(out);
}

/* Session sealing (WLS2): round trip, damage anywhere in header or box, wrong key, re-keying
 * by count and by time, and WLS1 blobs still opening next to WLS2 ones with the same key. */
static void test_session_blobs(void **state)
{
    fixture_t *f = *state;
    wl_err_t err = {{0}};
    unsigned char pk[crypto_box_PUBLICKEYBYTES], first[crypto_box_PUBLICKEYBYTES];
    assert_int_equal(wl_seal_load_public(f->pub, pk, &err), WL_OK);
    wl_seal_secret_t *sk = NULL;
    assert_int_equal(wl_seal_load_secret(f->sec, PASS, &sk, &err), WL_OK);
    wl_seal_session_t *sess = NULL;
    assert_int_equal(wl_seal_session_new(pk, &sess, &err), WL_OK);
    memcpy(first, wl_seal_session_public(sess), sizeof first);

    const int64_t t0 = 1767258000;
    json_t *in = json_pack("{s:s, s:s}", "toelichting", "Ik heb schulden bij de Gasunie", "bsn", "111222333");
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    assert_int_equal(wl_seal_session_encode(sess, in, t0, &BIND, &a, &alen, &err), WL_OK);
    assert_int_equal(wl_seal_session_encode(sess, in, t0 + 60, &BIND, &b, &blen, &err), WL_OK);
    assert_memory_equal(a, WL_SEAL_MAGIC_V3, 4);
    assert_true(wl_seal_is_sealed(a, alen));
    assert_false(has_bytes(a, alen, "Gasunie"));
    /* One session key, but a fresh nonce per blob: the same payload seals differently. */
    assert_memory_equal(a + WL_SEAL_HEADER_BYTES, first, sizeof first);
    assert_memory_equal(b + WL_SEAL_HEADER_BYTES, first, sizeof first);
    assert_memory_not_equal(a + WL_SEAL_V2_HEADER_BYTES, b + WL_SEAL_V2_HEADER_BYTES, alen - WL_SEAL_V2_HEADER_BYTES);
    expect_opens(sk, a, alen, in);
    expect_opens(sk, b, blen, in); /* from the cached shared key */

    /* Damage in the session public key, the nonce, the box or the tag: reported, nothing out. */
    const size_t spots[] = {WL_SEAL_HEADER_BYTES + 3, WL_SEAL_HEADER_BYTES + crypto_box_PUBLICKEYBYTES + 5,
                            WL_SEAL_V2_HEADER_BYTES + 2, alen - 1};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        json_t *out = NULL;
        a[spots[i]] ^= 0x21;
        assert_int_equal(wl_seal_open(sk, a, alen, &BIND, &out, NULL, &err), WL_ERR_AUTH);
        assert_non_null(strstr(err.msg, "not written by this installation"));
        assert_null(out);
        a[spots[i]] ^= 0x21;
    }
    expect_opens(sk, a, alen, in); /* a damaged copy did not spoil the cache */
    json_t *out = NULL;
    assert_int_equal(wl_seal_open(sk, a, WL_SEAL_V2_HEADER_BYTES + crypto_box_MACBYTES - 1, &BIND, &out, NULL, &err), WL_ERR_PARSE);

    /* Another staff key: named as the wrong key file, not as damage. */
    char other[400], other_sec[500];
    snprintf(other, sizeof other, "%s/other2", f->dir);
    snprintf(other_sec, sizeof other_sec, "%s/%s", other, WL_SEAL_SECRET_FILE);
    assert_int_equal(wl_seal_keygen(other, PASS, WL_KDF_INTERACTIVE, NULL, &err), WL_OK);
    wl_seal_secret_t *wrong = NULL;
    assert_int_equal(wl_seal_load_secret(other_sec, PASS, &wrong, &err), WL_OK);
    assert_int_equal(wl_seal_open(wrong, a, alen, &BIND, &out, NULL, &err), WL_ERR_AUTH);
    assert_non_null(strstr(err.msg, "wrong key file"));
    wl_seal_secret_free(wrong);

    /* Re-keying: after WL_SEAL_SESSION_MAX_BLOBS blobs ... */
    unsigned char *c = NULL;
    size_t clen = 0;
    for (int i = 2; i < WL_SEAL_SESSION_MAX_BLOBS; i++) {
        assert_int_equal(wl_seal_session_encode(sess, in, t0 + 120, &BIND, &c, &clen, &err), WL_OK);
        free(c);
    }
    assert_memory_equal(wl_seal_session_public(sess), first, sizeof first);
    assert_int_equal(wl_seal_session_encode(sess, in, t0 + 120, &BIND, &c, &clen, &err), WL_OK);
    assert_memory_not_equal(c + WL_SEAL_HEADER_BYTES, first, sizeof first);
    expect_opens(sk, c, clen, in);
    expect_opens(sk, a, alen, in); /* the older session's blobs still open */
    free(c);
    /* ... after a day, and when the clock goes back. */
    unsigned char second[crypto_box_PUBLICKEYBYTES];
    memcpy(second, wl_seal_session_public(sess), sizeof second);
    assert_int_equal(wl_seal_session_encode(sess, in, t0 + 120 + WL_SEAL_SESSION_MAX_SECONDS, &BIND, &c, &clen, &err), WL_OK);
    free(c);
    assert_memory_not_equal(wl_seal_session_public(sess), second, sizeof second);
    memcpy(second, wl_seal_session_public(sess), sizeof second);
    assert_int_equal(wl_seal_session_encode(sess, in, t0, &BIND, &c, &clen, &err), WL_OK);
    assert_memory_not_equal(wl_seal_session_public(sess), second, sizeof second);
    expect_opens(sk, c, clen, in);
    free(c);

    /* A second session (another kiosk process) has its own key. */
    wl_seal_session_t *sess2 = NULL;
    assert_int_equal(wl_seal_session_new(pk, &sess2, &err), WL_OK);
    assert_memory_not_equal(wl_seal_session_public(sess2), wl_seal_session_public(sess), sizeof first);
    wl_seal_session_free(sess2);

    /* Single blobs (a decision's reason) are WLS3 too, with a one-off key. */
    assert_int_equal(wl_seal_encode(pk, in, &BIND, &c, &clen, &err), WL_OK);
    assert_memory_equal(c, WL_SEAL_MAGIC_V3, 4);
    expect_opens(sk, c, clen, in);
    free(c);

    free(a);
    free(b);
    json_decref(in);
    wl_seal_session_free(sess);
    wl_seal_secret_free(sk);
}

/* Both readers on the same text: both refuse it, or both give equal values. */
static void expect_same_as_jansson(const char *text, size_t len)
{
    json_t *fast = wl_seal_read_json(text, len);
    json_t *ref = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    if ((fast == NULL) != (ref == NULL) || (fast && !json_equal(fast, ref)))
        fail_msg("readers disagree on %.*s: fast %s, jansson %s", (int)len, text, fast ? "reads it" : "refuses",
                 ref ? "reads it" : "refuses");
    json_decref(fast);
    json_decref(ref);
}

/* The fast reader that opens records accepts exactly what jansson accepts and builds the
 * same values: fixed cases, then thousands of damaged variants of a real-looking record. */
static void test_fast_reader_matches_jansson(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "{\"naam\":\"Zo\\u00eb \\u00cblzinga\",\"emoji\":\"\\ud83d\\ude00\",\"nl\":\"\\n\\t\\\"\\\\\\/\"}",
        "[1,2.5,-0,1e3,1E-2,-12.75e+2,true,false,null,\"\",[],{}]", "  {\"a\" : { \"b\" : [ [ ] ] } }  ", "\"plain\"",
        "42", "{\"dup\":1,\"dup\":2}", "\"Zo\xc3\xab\"", "{\"a\":1,}", "[1,]", "\"\\u0000\"", "01", "{\"a\" 1}",
        "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "[\"a\"]x", "-", "1.", ".5", "+1", "\"\\ud800\"", "\"\\udc00\"",
        "\"tab\there\"", "99999999999999999999", "-9223372036854775808", "1e400", "1e-400", "tru", "nul", "[",
        "{", "{\"a\"", "{\"a\":", "\"\\x\"", "\"\\u12\"", "", "   ", "{}{}", "[1 2]", "{\"a\":1 \"b\":2}"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_same_as_jansson(cases[i], strlen(cases[i]));
    /* Issue 14, finding 10: a real of 64 characters or more, and a top-level value followed by a
     * NUL byte, read alike (both accepted by jansson, both refused by the old reader). */
    char longreal[120] = "1.";
    for (int i = 0; i < 90; i++) strcat(longreal, "5");
    expect_same_as_jansson(longreal, strlen(longreal));
    json_t *lr = wl_seal_read_json(longreal, strlen(longreal));
    assert_non_null(lr);
    json_decref(lr);
    static const char nul_after[][12] = {"1\0", "null\0 ", "true\0", "1\0xyz", "[1]\0", "1 \0",
                                         "[1,-4e12\0]", "[\"x\"\0]", "[1\0\0]", "{\"a\":1\0}"};
    static const size_t nul_len[] = {2, 6, 5, 5, 4, 3, 10, 6, 5, 8};
    for (size_t i = 0; i < 10; i++) expect_same_as_jansson(nul_after[i], nul_len[i]);
    json_t *one = wl_seal_read_json("1\0", 2);
    assert_non_null(one);
    json_decref(one);

    /* Nesting is bounded, so a crafted blob cannot exhaust the stack. */
    char deep[2 * 200 + 1];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    deep[400] = '\0';
    assert_null(wl_seal_read_json(deep, 400));
    json_t *ok = wl_seal_read_json(deep + 200 - 60, 120);
    assert_non_null(ok);
    json_decref(ok);

    const char *doc = "{\"naam\":\"Femke Veldh\\u00fcis\",\"bsn\":\"111222333\",\"uren\":16,\"score\":0.75,"
                      "\"talen\":[\"nl\",\"en\"],\"zorg\":{\"nodig\":true,\"wie\":null},\"tekst\":\"regel\\nnieuw\"}";
    size_t n = strlen(doc);
    char buf[256];
    uint64_t x = 0x9E3779B97F4A7C15u;
    static const char alphabet[] = "{}[]\",:\\u0123456789.eE+-tfn \xc3\xa9\xff";
    for (int round = 0; round < 5000; round++) {
        memcpy(buf, doc, n);
        size_t len = n;
        for (int k = 0; k < 1 + round % 3; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = (size_t)(x % len);
            int op = (int)(x >> 32) % 3;
            if (op == 0) buf[at] = alphabet[(x >> 40) % (sizeof alphabet - 1)];
            else if (op == 1 && len > 1) memmove(buf + at, buf + at + 1, --len - at);
            else len = at + 1; /* truncated, as a short read would */
        }
        expect_same_as_jansson(buf, len);
    }
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
                              "completed", "q1", "t1", answers, personal, result, NULL};
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
    assert_memory_equal(sqlite3_column_blob(s, 0), WL_SEAL_MAGIC_V3, 4); /* with the session key */
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
        cmocka_unit_test(test_session_blobs),
        cmocka_unit_test(test_bound_and_authenticated),
        cmocka_unit_test(test_fast_reader_matches_jansson),
        cmocka_unit_test(test_store_raw_file_has_no_clear_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
