/* Sealed boxes for citizens' data and the staff key files (public key, passphrase-locked secret key). */
#include "wijkloket/seal.h"
#include "wijkloket/newfile.h"
#include "store/install_key.h"
#include "wijkloket/jsonfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PUBLIC_FORMAT "wijkloket-public-key"
#define SECRET_FORMAT "wijkloket-secret-key"
#define KDF_NAME "argon2id13"

/* Shared keys of recently seen kiosk session public keys (WLS2). Records come in time
 * order, so a session's blobs arrive together; a small direct-mapped table keeps the hit
 * rate near one while bounding how many derived keys sit in memory. */
#define CACHE_SLOTS 64
typedef struct {
    bool used;
    unsigned char epk[crypto_box_PUBLICKEYBYTES];
    unsigned char k[crypto_box_BEFORENMBYTES];
} cache_slot_t;

typedef struct {
    pthread_mutex_t lock;
    cache_slot_t slot[CACHE_SLOTS];
} seal_cache_t;

struct wl_seal_secret {
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    unsigned char sk[crypto_box_SECRETKEYBYTES];
    char key_id[WL_SEAL_KEY_ID_HEX];
    seal_cache_t *cache; /* sodium_malloc'd; the pointer is const in a const key, the table is not */
};

struct wl_seal_session {
    unsigned char staff_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char key_id[WL_SEAL_KEY_ID_BYTES];
    unsigned char epk[crypto_box_PUBLICKEYBYTES];
    unsigned char *k;  /* crypto_box_BEFORENMBYTES, sodium_malloc'd */
    int64_t started;   /* when the current ephemeral key was made */
    uint32_t uses;     /* blobs sealed with it */
};

/* libsodium must be initialised before its CSPRNG or guarded memory is used; calling it
 * more than once is harmless, so every entry point that needs it just calls this. */
static bool sodium_ready(wl_err_t *err)
{
    if (sodium_init() < 0) {
        wl_err_set(err, "libsodium could not start (no source of randomness?)");
        return false;
    }
    return true;
}

bool wl_kdf_parse(const char *s, wl_kdf_t *out)
{
    if (!s) return false;
    if (strcmp(s, "interactive") == 0) *out = WL_KDF_INTERACTIVE;
    else if (strcmp(s, "moderate") == 0) *out = WL_KDF_MODERATE;
    else if (strcmp(s, "sensitive") == 0) *out = WL_KDF_SENSITIVE;
    else return false;
    return true;
}

static void kdf_limits(wl_kdf_t k, unsigned long long *ops, size_t *mem)
{
    switch (k) {
    case WL_KDF_INTERACTIVE:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        return;
    case WL_KDF_SENSITIVE:
        *ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
        return;
    case WL_KDF_MODERATE:
    default:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        return;
    }
}

void wl_seal_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES], char hex[WL_SEAL_KEY_ID_HEX])
{
    unsigned char id[WL_SEAL_KEY_ID_BYTES];
    crypto_generichash(id, sizeof id, pk, crypto_box_PUBLICKEYBYTES, NULL, 0);
    sodium_bin2hex(hex, WL_SEAL_KEY_ID_HEX, id, sizeof id);
}

static char *b64(const unsigned char *bin, size_t n)
{
    size_t sz = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(sz);
    if (s) sodium_bin2base64(s, sz, bin, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* Decodes field `name` of obj into exactly `want` bytes. */
static wl_rc get_b64(const json_t *obj, const char *name, unsigned char *out, size_t want,
                     const char *path, wl_err_t *err)
{
    const char *s = json_string_value(json_object_get(obj, name));
    size_t got = 0;
    if (!s) {
        wl_err_set(err, "%s:%d: field '%s' is missing or not a string", path,
                   wl_json_locate(path, name), name);
        return WL_ERR_PARSE;
    }
    if (sodium_base642bin(out, want, s, strlen(s), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != want) {
        wl_err_set(err, "%s:%d: field '%s' is not %zu bytes of base64", path,
                   wl_json_locate(path, name), name, want);
        return WL_ERR_PARSE;
    }
    return WL_OK;
}

static wl_rc make_dir(const char *dir, wl_err_t *err)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return WL_OK;
    }
    wl_err_set(err, "%s: cannot create key folder: %s", dir, strerror(errno));
    return WL_ERR_IO;
}

wl_rc wl_seal_keygen(const char *dir, const char *passphrase, wl_kdf_t strength,
                     char key_id_hex[WL_SEAL_KEY_ID_HEX], wl_err_t *err)
{
    if (!sodium_ready(err)) return WL_ERR_STATE;
    if (!dir || !*dir) {
        wl_err_set(err, "keygen needs a folder to write the keys to");
        return WL_ERR_INVALID;
    }
    if (!passphrase || strlen(passphrase) < WL_SEAL_MIN_PASSPHRASE) {
        wl_err_set(err, "the passphrase must be at least %d characters", WL_SEAL_MIN_PASSPHRASE);
        return WL_ERR_INVALID;
    }
    wl_rc rc = make_dir(dir, err);
    if (rc != WL_OK) return rc;

    char pub_path[4096], sec_path[4096];
    snprintf(pub_path, sizeof pub_path, "%s/%s", dir, WL_SEAL_PUBLIC_FILE);
    snprintf(sec_path, sizeof sec_path, "%s/%s", dir, WL_SEAL_SECRET_FILE);
    if (access(pub_path, F_OK) == 0 || access(sec_path, F_OK) == 0) {
        wl_err_set(err, "%s already holds a key; keygen never overwrites a key (move it away first)", dir);
        return WL_ERR_CONFLICT;
    }

    unsigned char pk[crypto_box_PUBLICKEYBYTES], salt[crypto_pwhash_SALTBYTES];
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
    unsigned char *kek = sodium_malloc(crypto_secretbox_KEYBYTES);
    unsigned char boxed[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
    char *pub_text = NULL, *sec_text = NULL, *s_pk = NULL, *s_salt = NULL, *s_nonce = NULL, *s_box = NULL;
    json_t *pub = NULL, *sec = NULL;
    char id[WL_SEAL_KEY_ID_HEX];
    rc = WL_ERR_NOMEM;
    if (!sk || !kek) goto done;

    crypto_box_keypair(pk, sk);
    wl_seal_key_id(pk, id);
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    unsigned long long ops;
    size_t mem;
    kdf_limits(strength, &ops, &mem);
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, passphrase, strlen(passphrase), salt, ops, mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        wl_err_set(err, "not enough memory to stretch the passphrase (%zu MiB needed)", mem >> 20);
        goto done;
    }
    crypto_secretbox_easy(boxed, sk, crypto_box_SECRETKEYBYTES, nonce, kek);

    s_pk = b64(pk, sizeof pk);
    s_salt = b64(salt, sizeof salt);
    s_nonce = b64(nonce, sizeof nonce);
    s_box = b64(boxed, sizeof boxed);
    if (!s_pk || !s_salt || !s_nonce || !s_box) goto done;
    pub = json_pack("{s:s, s:i, s:s, s:s}", "format", PUBLIC_FORMAT, "version", 1, "key_id", id,
                    "public_key", s_pk);
    sec = json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:I, s:I, s:s}, s:s, s:s}", "format", SECRET_FORMAT,
                    "version", 1, "key_id", id, "public_key", s_pk, "kdf", "alg", KDF_NAME, "opslimit",
                    (json_int_t)ops, "memlimit", (json_int_t)mem, "salt", s_salt, "nonce", s_nonce,
                    "secret_box", s_box);
    if (!pub || !sec) goto done;
    pub_text = json_dumps(pub, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    sec_text = json_dumps(sec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!pub_text || !sec_text) goto done;

    /* The secret key first: a public key without its secret would seal records nobody can
     * ever open. */
    const char *at = sec_path;
    rc = wl_file_create(sec_path, sec_text, 0600, err);
    if (rc == WL_OK) {
        at = pub_path;
        rc = wl_file_create(pub_path, pub_text, 0644, err);
        if (rc != WL_OK) unlink(sec_path);
    }
    if (rc == WL_ERR_CONFLICT) wl_err_set(err, "%s already exists; keygen never overwrites a key (move it away first)", at);
    if (rc != WL_OK) goto done;
    if (key_id_hex) memcpy(key_id_hex, id, WL_SEAL_KEY_ID_HEX);
    rc = WL_OK;
done:
    if (rc == WL_ERR_NOMEM && err && !err->msg[0]) wl_err_set(err, "out of memory while making keys");
    sodium_free(sk);
    sodium_free(kek);
    free(pub_text);
    free(sec_text);
    free(s_pk);
    free(s_salt);
    free(s_nonce);
    free(s_box);
    json_decref(pub);
    json_decref(sec);
    return rc;
}

/* Loads a key file and checks its "format" field. */
static wl_rc load_key_file(const char *path, const char *format, json_t **out, wl_err_t *err)
{
    wl_rc rc = wl_json_load_file(path, out, err);
    if (rc != WL_OK) return rc;
    const char *f = json_string_value(json_object_get(*out, "format"));
    if (!f || strcmp(f, format) != 0) {
        const char *hint = "";
        if (f && strcmp(f, SECRET_FORMAT) == 0) hint = " (this is the secret key file; give the public one)";
        if (f && strcmp(f, PUBLIC_FORMAT) == 0) hint = " (this is the public key file; give the secret one)";
        wl_err_set(err, "%s:%d: field 'format': not a %s file%s", path, wl_json_locate(path, "format"),
                    format, hint);
        json_decref(*out);
        *out = NULL;
        return WL_ERR_PARSE;
    }
    if (json_integer_value(json_object_get(*out, "version")) != 1) {
        wl_err_set(err, "%s:%d: field 'version': only version 1 is known", path,
                    wl_json_locate(path, "version"));
        json_decref(*out);
        *out = NULL;
        return WL_ERR_PARSE;
    }
    return WL_OK;
}

wl_rc wl_seal_load_public(const char *path, unsigned char pk[crypto_box_PUBLICKEYBYTES], wl_err_t *err)
{
    if (!sodium_ready(err)) return WL_ERR_STATE;
    json_t *doc = NULL;
    wl_rc rc = load_key_file(path, PUBLIC_FORMAT, &doc, err);
    if (rc != WL_OK) return rc;
    rc = get_b64(doc, "public_key", pk, crypto_box_PUBLICKEYBYTES, path, err);
    json_decref(doc);
    return rc;
}

wl_rc wl_seal_load_secret(const char *path, const char *passphrase, wl_seal_secret_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!sodium_ready(err)) return WL_ERR_STATE;
    json_t *doc = NULL;
    wl_rc rc = load_key_file(path, SECRET_FORMAT, &doc, err);
    if (rc != WL_OK) return rc;

    wl_seal_secret_t *sk = sodium_malloc(sizeof *sk);
    if (sk) sk->cache = NULL; /* sodium_malloc does not zero; the cleanup path looks at it */
    unsigned char *kek = sodium_malloc(crypto_secretbox_KEYBYTES);
    unsigned char salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    unsigned char boxed[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
    unsigned char check[crypto_box_PUBLICKEYBYTES];
    rc = WL_ERR_NOMEM;
    if (!sk || !kek) {
        wl_err_set(err, "out of memory while opening %s", path);
        goto done;
    }
    const json_t *kdf = json_object_get(doc, "kdf");
    const char *alg = json_string_value(json_object_get(kdf, "alg"));
    json_int_t ops = json_integer_value(json_object_get(kdf, "opslimit"));
    json_int_t mem = json_integer_value(json_object_get(kdf, "memlimit"));
    if (!alg || strcmp(alg, KDF_NAME) != 0 || ops < (json_int_t)crypto_pwhash_OPSLIMIT_MIN ||
        mem < (json_int_t)crypto_pwhash_MEMLIMIT_MIN) {
        wl_err_set(err, "%s:%d: field 'kdf': unknown algorithm or limits out of range", path,
                    wl_json_locate(path, "kdf"));
        rc = WL_ERR_PARSE;
        goto done;
    }
    /* Never stretch harder than the strongest setting keygen writes: a crafted file with a huge
     * opslimit or memlimit would otherwise hang the tool or exhaust memory. */
    if (ops > (json_int_t)crypto_pwhash_OPSLIMIT_SENSITIVE || mem > (json_int_t)crypto_pwhash_MEMLIMIT_SENSITIVE) {
        wl_err_set(err, "%s:%d: field 'kdf': opslimit %lld / memlimit %lld is above the strongest setting keygen "
                        "makes (%llu passes, %zu MiB): refused, this is not a key file Wijkloket made",
                   path, wl_json_locate(path, "kdf"), (long long)ops, (long long)mem,
                   (unsigned long long)crypto_pwhash_OPSLIMIT_SENSITIVE,
                   (size_t)(crypto_pwhash_MEMLIMIT_SENSITIVE >> 20));
        rc = WL_ERR_PARSE;
        goto done;
    }
    if ((rc = get_b64(doc, "public_key", sk->pk, sizeof sk->pk, path, err)) != WL_OK ||
        (rc = get_b64(kdf, "salt", salt, sizeof salt, path, err)) != WL_OK ||
        (rc = get_b64(doc, "nonce", nonce, sizeof nonce, path, err)) != WL_OK ||
        (rc = get_b64(doc, "secret_box", boxed, sizeof boxed, path, err)) != WL_OK)
        goto done;
    if (!passphrase) passphrase = "";
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, passphrase, strlen(passphrase), salt,
                      (unsigned long long)ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        wl_err_set(err, "not enough memory to stretch the passphrase for %s", path);
        rc = WL_ERR_NOMEM;
        goto done;
    }
    if (crypto_secretbox_open_easy(sk->sk, boxed, sizeof boxed, nonce, kek) != 0) {
        /* Poly1305 cannot tell a wrong passphrase from a changed box; the passphrase is by
         * far the likelier cause, and both leave the key closed. */
        wl_err_set(err, "the passphrase does not open %s (wrong passphrase, or the file was changed)", path);
        rc = WL_ERR_AUTH;
        goto done;
    }
    /* The public half must belong to the secret half, or records sealed to this file's
     * public key would never open. */
    crypto_scalarmult_base(check, sk->sk);
    if (sodium_memcmp(check, sk->pk, sizeof check) != 0) {
        wl_err_set(err, "%s: the public and secret halves do not belong together", path);
        rc = WL_ERR_PARSE;
        goto done;
    }
    wl_seal_key_id(sk->pk, sk->key_id);
    if (!(sk->cache = sodium_malloc(sizeof *sk->cache))) {
        wl_err_set(err, "out of memory while opening %s", path);
        rc = WL_ERR_NOMEM;
        goto done;
    }
    memset(sk->cache->slot, 0, sizeof sk->cache->slot);
    pthread_mutex_init(&sk->cache->lock, NULL);
    const char *id = json_string_value(json_object_get(doc, "key_id"));
    if (id && strcmp(id, sk->key_id) != 0) {
        wl_err_set(err, "%s:%d: field 'key_id' does not match the key", path, wl_json_locate(path, "key_id"));
        rc = WL_ERR_PARSE;
        goto done;
    }
    *out = sk;
    sk = NULL;
    rc = WL_OK;
done:
    sodium_free(kek);
    wl_seal_secret_free(sk);
    sodium_memzero(boxed, sizeof boxed);
    json_decref(doc);
    return rc;
}

void wl_seal_secret_free(wl_seal_secret_t *sk)
{
    if (!sk) return;
    if (sk->cache) {
        pthread_mutex_destroy(&sk->cache->lock);
        sodium_free(sk->cache); /* wipes the cached shared keys */
    }
    sodium_free(sk); /* wipes before freeing */
}

const char *wl_seal_secret_key_id(const wl_seal_secret_t *sk)
{
    return sk ? sk->key_id : "";
}

/* The additional data of a WLS3 part: format, record and kind, each length-prefixed. *n gets
 * its length; NULL when ref or kind is missing or too long. */
static unsigned char *bind_ad(const wl_seal_bind_t *b, size_t *n)
{
    if (!b || !b->ref || !b->kind) return NULL;
    size_t rl = strlen(b->ref), kl = strlen(b->kind);
    if (rl > 255 || kl > 255) return NULL;
    static const char tag[] = "wijkloket-part-v3";
    unsigned char *ad = malloc(sizeof tag + 2 + rl + kl);
    if (!ad) return NULL;
    unsigned char *p = ad;
    memcpy(p, tag, sizeof tag); /* with its NUL */
    p += sizeof tag;
    *p++ = (unsigned char)rl;
    memcpy(p, b->ref, rl);
    p += rl;
    *p++ = (unsigned char)kl;
    memcpy(p, b->kind, kl);
    p += kl;
    *n = (size_t)(p - ad);
    return ad;
}

/* Builds a WLS3 blob with shared key k (32 bytes) and ephemeral/session public key epk. */
static wl_rc seal_v3(const unsigned char key_id[WL_SEAL_KEY_ID_BYTES], const unsigned char *epk,
                     const unsigned char *k, const char *text, size_t tlen, const wl_seal_bind_t *bind,
                     unsigned char **blob, size_t *blob_len, wl_err_t *err)
{
    if (!bind || !bind->install_key) {
        wl_err_set(err, "cannot seal: the database's install key is missing (nothing was saved)");
        return WL_ERR_STATE;
    }
    size_t adlen = 0;
    unsigned char *ad = bind_ad(bind, &adlen);
    if (!ad) {
        wl_err_set(err, "cannot seal: the part has no record reference or kind");
        return WL_ERR_INVALID;
    }
    size_t n = WL_SEAL_V3_HEADER_BYTES + tlen + WL_SEAL_V3_TAIL_BYTES;
    unsigned char *out = malloc(n);
    if (!out) {
        free(ad);
        wl_err_set(err, "out of memory while sealing");
        return WL_ERR_NOMEM;
    }
    unsigned char *p = out;
    memcpy(p, WL_SEAL_MAGIC_V3, 4);
    memcpy(p + 4, key_id, WL_SEAL_KEY_ID_BYTES);
    memcpy(p + WL_SEAL_HEADER_BYTES, epk, crypto_box_PUBLICKEYBYTES);
    unsigned char *nonce = p + WL_SEAL_HEADER_BYTES + crypto_box_PUBLICKEYBYTES;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + WL_SEAL_V3_HEADER_BYTES, &clen, (const unsigned char *)text, tlen,
                                               ad, adlen, NULL, nonce, k);
    wl_install_mac(bind->install_key, "wijkloket-part-v3", ad, adlen, out, n - 32, out + n - 32);
    free(ad);
    *blob = out;
    *blob_len = n;
    return WL_OK;
}

/* ---- kiosk sessions (WLS2) ---------------------------------------------------------- */

/* Makes a new ephemeral key pair and its shared key with the staff key; the ephemeral
 * secret is wiped at once, only the shared key stays (locked memory). */
static wl_rc session_rotate(wl_seal_session_t *s, int64_t now, wl_err_t *err)
{
    unsigned char *esk = sodium_malloc(crypto_box_SECRETKEYBYTES);
    if (!esk) {
        wl_err_set(err, "out of memory while making a session key");
        return WL_ERR_NOMEM;
    }
    crypto_box_keypair(s->epk, esk);
    int r = crypto_box_beforenm(s->k, s->staff_pk, esk);
    sodium_free(esk);
    if (r != 0) {
        wl_err_set(err, "the staff public key is not a usable X25519 key (low-order point)");
        return WL_ERR_INVALID;
    }
    s->started = now;
    s->uses = 0;
    return WL_OK;
}

wl_rc wl_seal_session_new(const unsigned char pk[crypto_box_PUBLICKEYBYTES], wl_seal_session_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!sodium_ready(err)) return WL_ERR_STATE;
    wl_seal_session_t *s = calloc(1, sizeof *s);
    if (!s || !(s->k = sodium_malloc(crypto_box_BEFORENMBYTES))) {
        free(s);
        wl_err_set(err, "out of memory while starting a sealing session");
        return WL_ERR_NOMEM;
    }
    memcpy(s->staff_pk, pk, sizeof s->staff_pk);
    crypto_generichash(s->key_id, sizeof s->key_id, pk, crypto_box_PUBLICKEYBYTES, NULL, 0);
    /* The first key is made now, so a bad public key is refused when it is set rather than
     * at the first save; its clock starts with the first blob (see session_due), because
     * the caller's "now" only arrives with that blob. */
    wl_rc rc = session_rotate(s, 0, err);
    if (rc != WL_OK) {
        wl_seal_session_free(s);
        return rc;
    }
    s->started = INT64_MIN;
    *out = s;
    return WL_OK;
}

void wl_seal_session_free(wl_seal_session_t *s)
{
    if (!s) return;
    sodium_free(s->k); /* wipes the shared key */
    sodium_memzero(s, sizeof *s);
    free(s);
}

const unsigned char *wl_seal_session_public(const wl_seal_session_t *s)
{
    return s ? s->epk : NULL;
}

/* Whether the current ephemeral key has served long enough. A key made before the first
 * blob starts its clock with that blob. */
static bool session_due(wl_seal_session_t *s, int64_t now)
{
    if (s->started == INT64_MIN) {
        s->started = now;
        return false;
    }
    return s->uses >= WL_SEAL_SESSION_MAX_BLOBS || now < s->started ||
           now - s->started >= WL_SEAL_SESSION_MAX_SECONDS;
}

wl_rc wl_seal_session_encode_text(wl_seal_session_t *s, const char *text, size_t tlen, int64_t now,
                                  const wl_seal_bind_t *bind, unsigned char **blob, size_t *blob_len, wl_err_t *err)
{
    *blob = NULL;
    *blob_len = 0;
    if (!s || !text) {
        wl_err_set(err, "nothing to seal (no session or no payload)");
        return WL_ERR_INVALID;
    }
    if (session_due(s, now)) {
        wl_rc rc = session_rotate(s, now, err);
        if (rc != WL_OK) return rc;
    }
    wl_rc rc = seal_v3(s->key_id, s->epk, s->k, text, tlen, bind, blob, blob_len, err);
    if (rc == WL_OK) s->uses++;
    return rc;
}

/* A one-off blob: the same shape as a session blob, with a session of one (its ephemeral
 * secret is wiped at once, its shared key when the session is freed). */
wl_rc wl_seal_encode(const unsigned char pk[crypto_box_PUBLICKEYBYTES], const json_t *payload,
                     const wl_seal_bind_t *bind, unsigned char **blob, size_t *len, wl_err_t *err)
{
    *blob = NULL;
    *len = 0;
    wl_seal_session_t *s = NULL;
    wl_rc rc = wl_seal_session_new(pk, &s, err);
    if (rc == WL_OK) rc = wl_seal_session_encode(s, payload, 0, bind, blob, len, err);
    wl_seal_session_free(s);
    return rc;
}

wl_rc wl_seal_session_encode(wl_seal_session_t *s, const json_t *payload, int64_t now, const wl_seal_bind_t *bind,
                             unsigned char **blob, size_t *blob_len, wl_err_t *err)
{
    *blob = NULL;
    *blob_len = 0;
    if (!payload) {
        wl_err_set(err, "nothing to seal (payload is NULL)");
        return WL_ERR_INVALID;
    }
    char *text = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!text) {
        wl_err_set(err, "out of memory while sealing");
        return WL_ERR_NOMEM;
    }
    size_t tlen = strlen(text);
    wl_rc rc = wl_seal_session_encode_text(s, text, tlen, now, bind, blob, blob_len, err);
    sodium_memzero(text, tlen);
    free(text);
    return rc;
}

/* ---- a strict, fast JSON reader for opened records --------------------------------------- */

/* jansson's reader goes through a character stream with per-character calls; records are
 * parsed 200,000 times in a bulk export, and that reader was the largest single cost. This
 * one reads the same strict JSON (RFC 8259: no comments, no trailing commas, no NUL in
 * strings, valid UTF-8, nesting at most READ_MAX_DEPTH) straight from the buffer and builds
 * the same jansson values. Anything it does not accept makes it return NULL. */
#define READ_MAX_DEPTH 64

typedef struct {
    const unsigned char *p, *end;
} jreader_t;

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min;
        if ((c & 0xE0) == 0xC0) need = 1, min = 0x80, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0) need = 2, min = 0x800, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0) need = 3, min = 0x10000, c &= 0x07;
        else return false;
        if (n - i <= need) return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            c = c << 6 | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        i += need + 1;
    }
    return true;
}

static void skip_ws(jreader_t *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) r->p++;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    return v;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Reads a string after its opening quote. *out points into the input when there are no
 * escapes (*owned NULL), else at a malloc'd decoded copy (*owned, caller frees). */
static bool read_string(jreader_t *r, const char **out, size_t *len, char **owned)
{
    const unsigned char *s = r->p;
    *owned = NULL;
    while (r->p < r->end && *r->p != '"' && *r->p != '\\') {
        if (*r->p < 0x20) return false;
        r->p++;
    }
    if (r->p >= r->end) return false;
    if (*r->p == '"') {
        *out = (const char *)s;
        *len = (size_t)(r->p - s);
        r->p++;
        return true;
    }
    /* Escapes: decode into a copy; decoded text is never longer than the encoded text. */
    size_t cap = (size_t)(r->end - s) + 1;
    unsigned char *buf = malloc(cap), *o = buf;
    if (!buf) return false;
    memcpy(o, s, (size_t)(r->p - s));
    o += r->p - s;
    while (r->p < r->end && *r->p != '"') {
        unsigned c = *r->p++;
        if (c < 0x20) goto bad;
        if (c != '\\') {
            *o++ = (unsigned char)c;
            continue;
        }
        if (r->p >= r->end) goto bad;
        c = *r->p++;
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            if (r->end - r->p < 4) goto bad;
            int cp = hex4(r->p);
            r->p += 4;
            if (cp < 0) goto bad;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') goto bad;
                int lo = hex4(r->p + 2);
                if (lo < 0xDC00 || lo > 0xDFFF) goto bad;
                r->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                goto bad; /* a lone low surrogate; NUL is refused as jansson does */
            }
            o += put_utf8(o, (unsigned)cp);
            break;
        }
        default:
            goto bad;
        }
    }
    if (r->p >= r->end) goto bad;
    r->p++;
    *out = (const char *)buf;
    *len = (size_t)(o - buf);
    *owned = (char *)buf;
    return true;
bad:
    free(buf);
    return false;
}

static json_t *read_number(jreader_t *r)
{
    const unsigned char *s = r->p;
    bool real = false;
    if (r->p < r->end && *r->p == '-') r->p++;
    if (r->p >= r->end) return NULL;
    if (*r->p == '0') r->p++;
    else if (*r->p >= '1' && *r->p <= '9')
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    else return NULL;
    if (r->p < r->end && *r->p == '.') {
        real = true;
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') return NULL;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        real = true;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') return NULL;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    }
    /* Most numbers fit the stack buffer; a longer one (jansson reads reals of any length) gets
     * a heap copy rather than being refused. */
    char small[64], *buf = small;
    size_t n = (size_t)(r->p - s);
    if (n >= sizeof small && !(buf = malloc(n + 1))) return NULL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    json_t *v;
    if (!real) {
        long long i = strtoll(buf, NULL, 10);
        /* jansson refuses integers that do not fit too */
        v = errno == ERANGE ? NULL : json_integer((json_int_t)i);
    } else {
        double d = strtod(buf, NULL);
        v = errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL) ? NULL : json_real(d);
    }
    if (buf != small) free(buf);
    return v;
}

static bool literal(jreader_t *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return false;
    r->p += n;
    return true;
}

/* jansson's lexer takes one NUL byte right after a number or literal as the end of that
 * token, anywhere ("1\0", "[1,-4e12\0]", "null\0 " are values to it); matched here so both
 * readers agree on every input (tests/unit/test_seal.c, fuzz.seal_json found the array case). */
static json_t *token_end(jreader_t *r, json_t *v)
{
    if (v && r->p < r->end && *r->p == 0) r->p++;
    return v;
}

/* After a member or element: 1 when a comma follows (another item), 0 when close ends the
 * object or array, -1 otherwise. Consumes what it read. */
static int after_item(jreader_t *r, char close)
{
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
        r->p++;
        return 1;
    }
    if (r->p < r->end && *r->p == (unsigned char)close) {
        r->p++;
        return 0;
    }
    return -1;
}

static json_t *read_value(jreader_t *r, int depth)
{
    skip_ws(r);
    if (r->p >= r->end || depth > READ_MAX_DEPTH) return NULL;
    switch (*r->p) {
    case '{': {
        r->p++;
        json_t *o = json_object();
        if (!o) return NULL;
        skip_ws(r);
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            return o;
        }
        for (;;) {
            skip_ws(r);
            if (r->p >= r->end || *r->p != '"') break;
            r->p++;
            const char *k;
            size_t klen;
            char *owned;
            if (!read_string(r, &k, &klen, &owned)) break;
            skip_ws(r);
            json_t *v = NULL;
            if (r->p < r->end && *r->p == ':') {
                r->p++;
                v = read_value(r, depth + 1);
            }
            int bad = !v || json_object_setn_new_nocheck(o, k, klen, v) != 0;
            free(owned);
            int next = bad ? -1 : after_item(r, '}');
            if (next == 0) return o;
            if (next < 0) break;
        }
        json_decref(o);
        return NULL;
    }
    case '[': {
        r->p++;
        json_t *a = json_array();
        if (!a) return NULL;
        skip_ws(r);
        if (r->p < r->end && *r->p == ']') {
            r->p++;
            return a;
        }
        for (;;) {
            json_t *v = read_value(r, depth + 1);
            int next = !v || json_array_append_new(a, v) != 0 ? -1 : after_item(r, ']');
            if (next == 0) return a;
            if (next < 0) break;
        }
        json_decref(a);
        return NULL;
    }
    case '"': {
        r->p++;
        const char *s;
        size_t n;
        char *owned;
        if (!read_string(r, &s, &n, &owned)) return NULL;
        json_t *v = json_stringn_nocheck(s, n);
        free(owned);
        return v;
    }
    case 't': return literal(r, "true", 4) ? token_end(r, json_true()) : NULL;
    case 'f': return literal(r, "false", 5) ? token_end(r, json_false()) : NULL;
    case 'n': return literal(r, "null", 4) ? token_end(r, json_null()) : NULL;
    default: return token_end(r, read_number(r));
    }
}

json_t *wl_seal_read_json(const char *text, size_t len)
{
    if (!text || !utf8_valid((const unsigned char *)text, len)) return NULL;
    jreader_t r = {(const unsigned char *)text, (const unsigned char *)text + len};
    json_t *v = read_value(&r, 0);
    skip_ws(&r);
    if (v && r.p != r.end) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* ---- opening ------------------------------------------------------------------------- */

static bool is_v1(const unsigned char *blob, size_t len)
{
    return blob && len >= WL_SEAL_HEADER_BYTES + crypto_box_SEALBYTES && memcmp(blob, WL_SEAL_MAGIC, 4) == 0;
}

static bool is_v2(const unsigned char *blob, size_t len)
{
    return blob && len >= WL_SEAL_V2_HEADER_BYTES + crypto_box_MACBYTES && memcmp(blob, WL_SEAL_MAGIC_V2, 4) == 0;
}

static bool is_v3(const unsigned char *blob, size_t len)
{
    return blob && len >= WL_SEAL_V3_HEADER_BYTES + WL_SEAL_V3_TAIL_BYTES && memcmp(blob, WL_SEAL_MAGIC_V3, 4) == 0;
}

bool wl_seal_is_sealed(const unsigned char *blob, size_t len)
{
    return is_v1(blob, len) || is_v2(blob, len) || is_v3(blob, len);
}

/* The shared key for session public key epk, from the cache or made and cached. Returns
 * false when epk is not a usable X25519 point (a damaged blob). k is wiped by the caller. */
static bool shared_key(const wl_seal_secret_t *sk, const unsigned char *epk, unsigned char k[crypto_box_BEFORENMBYTES])
{
    seal_cache_t *c = sk->cache;
    if (!c) return crypto_box_beforenm(k, epk, sk->sk) == 0;
    cache_slot_t *slot = &c->slot[(epk[0] | (unsigned)epk[1] << 8) % CACHE_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&c->lock);
    if (slot->used && memcmp(slot->epk, epk, crypto_box_PUBLICKEYBYTES) == 0) {
        memcpy(k, slot->k, crypto_box_BEFORENMBYTES);
        hit = true;
    }
    pthread_mutex_unlock(&c->lock);
    if (hit) return true;
    /* Outside the lock: the X25519 operation is the slow part and other threads may hit
     * other slots meanwhile. Two threads making the same key just store it twice. */
    if (crypto_box_beforenm(k, epk, sk->sk) != 0) return false;
    pthread_mutex_lock(&c->lock);
    memcpy(slot->epk, epk, crypto_box_PUBLICKEYBYTES);
    memcpy(slot->k, k, crypto_box_BEFORENMBYTES);
    slot->used = true;
    pthread_mutex_unlock(&c->lock);
    return true;
}

/* Reads the opened text (tlen bytes, room for a NUL) as the payload; wipes and frees text. */
static wl_rc read_opened(char *text, size_t tlen, json_t **payload, wl_err_t *err)
{
    text[tlen] = '\0';
    json_t *v = wl_seal_read_json(text, tlen);
    sodium_memzero(text, tlen);
    free(text);
    if (!v) {
        wl_err_set(err, "the sealed record opened but holds no valid JSON (%zu bytes)", tlen);
        return WL_ERR_PARSE;
    }
    *payload = v;
    return WL_OK;
}

/* Opens a WLS3 blob: the install MAC first (who wrote it, for which record and kind), then
 * the AEAD with the same additional data. */
static wl_rc open_v3(const wl_seal_secret_t *sk, const unsigned char *blob, size_t len, const wl_seal_bind_t *bind,
                     json_t **payload, wl_err_t *err)
{
    if (!bind || (!bind->install_key && !bind->origin_proven_by_delivery)) {
        wl_err_set(err, "cannot check who sealed this part: the database's install key is missing");
        return WL_ERR_AUTH;
    }
    size_t adlen = 0;
    unsigned char *ad = bind_ad(bind, &adlen);
    if (!ad) {
        wl_err_set(err, "out of memory while opening a sealed record");
        return WL_ERR_NOMEM;
    }
    unsigned char mac[32];
    if (bind->install_key)
        wl_install_mac(bind->install_key, "wijkloket-part-v3", ad, adlen, blob, len - 32, mac);
    if (bind->install_key && sodium_memcmp(mac, blob + len - 32, 32) != 0) {
        free(ad);
        wl_err_set(err, "the sealed %s part was not written by this installation for record %s (moved from another "
                        "record or part, forged, or damaged); not opened",
                   bind->kind, bind->ref);
        return WL_ERR_AUTH;
    }
    size_t clen = len - WL_SEAL_V3_HEADER_BYTES - 32, tlen = clen - 16;
    char *text = malloc(tlen + 1);
    unsigned char k[crypto_box_BEFORENMBYTES];
    const unsigned char *epk = blob + WL_SEAL_HEADER_BYTES;
    const unsigned char *nonce = epk + crypto_box_PUBLICKEYBYTES;
    unsigned long long mlen = 0;
    int opened = text && shared_key(sk, epk, k) &&
                 crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)text, &mlen, NULL,
                                                            blob + WL_SEAL_V3_HEADER_BYTES, clen, ad, adlen, nonce,
                                                            k) == 0;
    sodium_memzero(k, sizeof k);
    free(ad);
    if (!opened) {
        free(text);
        wl_err_set(err, "the sealed record is damaged (it does not open with the right key)");
        return text ? WL_ERR_INVALID : WL_ERR_NOMEM;
    }
    return read_opened(text, tlen, payload, err);
}

wl_rc wl_seal_open(const wl_seal_secret_t *sk, const unsigned char *blob, size_t len, const wl_seal_bind_t *bind,
                   json_t **payload, bool *legacy, wl_err_t *err)
{
    *payload = NULL;
    if (legacy) *legacy = false;
    bool v2 = is_v2(blob, len), v3 = is_v3(blob, len);
    if (!v3 && !v2 && !is_v1(blob, len)) {
        wl_err_set(err, "not a sealed record (wrong header or only %zu bytes)", len);
        return WL_ERR_PARSE;
    }
    char blob_id[WL_SEAL_KEY_ID_HEX];
    sodium_bin2hex(blob_id, sizeof blob_id, blob + 4, WL_SEAL_KEY_ID_BYTES);
    if (strcmp(blob_id, sk->key_id) != 0) {
        wl_err_set(err, "sealed to key %s, but the opened key is %s (wrong key file)", blob_id, sk->key_id);
        return WL_ERR_AUTH;
    }
    if (v3) return open_v3(sk, blob, len, bind, payload, err);
    if (!legacy) {
        wl_err_set(err, "sealed in the old format %.4s, which is not bound to its record and can be made by anyone "
                        "with the public key; not opened", (const char *)blob);
        return WL_ERR_AUTH;
    }
    *legacy = true;
    size_t tlen = len - (v2 ? WL_SEAL_V2_HEADER_BYTES + crypto_box_MACBYTES : WL_SEAL_HEADER_BYTES + crypto_box_SEALBYTES);
    /* Plain malloc, wiped before free: sodium_malloc's guard pages cost an mmap and
     * mprotect per record, which dominated exporting 100,000 records. */
    char *text = malloc(tlen + 1);
    if (!text) {
        wl_err_set(err, "out of memory while opening a sealed record");
        return WL_ERR_NOMEM;
    }
    int opened;
    if (v2) {
        const unsigned char *epk = blob + WL_SEAL_HEADER_BYTES;
        const unsigned char *nonce = epk + crypto_box_PUBLICKEYBYTES;
        unsigned char k[crypto_box_BEFORENMBYTES];
        opened = shared_key(sk, epk, k) &&
                 crypto_box_open_easy_afternm((unsigned char *)text, blob + WL_SEAL_V2_HEADER_BYTES,
                                              len - WL_SEAL_V2_HEADER_BYTES, nonce, k) == 0;
        sodium_memzero(k, sizeof k);
    } else {
        opened = crypto_box_seal_open((unsigned char *)text, blob + WL_SEAL_HEADER_BYTES, len - WL_SEAL_HEADER_BYTES,
                                      sk->pk, sk->sk) == 0;
    }
    if (!opened) {
        free(text);
        wl_err_set(err, "the sealed record is damaged (it does not open with the right key)");
        return WL_ERR_INVALID;
    }
    return read_opened(text, tlen, payload, err);
}
