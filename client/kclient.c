/* Signed requests from a kiosk to wijkloket-server over one reused libcurl handle. */
#include "kclient.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The text the server verifies; must match wl_api_signing_text in server/api.c. */
static int signing_text(char *buf, size_t size, const char *method, const char *path, const char *query,
                        const char *t, const char *nonce, const unsigned char *body, size_t len)
{
    unsigned char sha[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sha, body ? body : (const unsigned char *)"", len);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);
    int n = snprintf(buf, size, "WL1\n%s\n%s\n%s\n%s\n%s\n%s", method, path, query ? query : "", t, nonce, hex);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

struct wl_kclient {
    CURL *curl;
    char base[512];
    char kiosk[64];
    char location[64];
    unsigned char *sk; /* sodium_malloc'd secret key */
    long connect_ms, total_ms;
};

typedef struct {
    char *data;
    size_t len;
} buf_t;

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    buf_t *b = ud;
    size_t add = sz * n;
    char *nd = realloc(b->data, b->len + add + 1);
    if (!nd) return 0;
    memcpy(nd + b->len, p, add);
    b->len += add;
    nd[b->len] = 0;
    b->data = nd;
    return add;
}

static wl_rc read_key(wl_kclient_t *k, const char *path, wl_err_t *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        wl_err_set(err, "%s: cannot read the kiosk key file", path);
        return WL_ERR_IO;
    }
    char line[512];
    int ln = 0;
    bool have_secret = false;
    wl_rc rc = WL_OK;
    while (rc == WL_OK && fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *eq = strstr(line, " = ");
        if (!eq) {
            wl_err_set(err, "%s:%d: expected 'key = value'", path, ln);
            rc = WL_ERR_PARSE;
            break;
        }
        *eq = 0;
        const char *v = eq + 3;
        if (strcmp(line, "kiosk") == 0 && strlen(v) < sizeof k->kiosk) snprintf(k->kiosk, sizeof k->kiosk, "%s", v);
        else if (strcmp(line, "location") == 0 && strlen(v) < sizeof k->location)
            snprintf(k->location, sizeof k->location, "%s", v);
        else if (strcmp(line, "secret") == 0) {
            size_t n = 0;
            if (sodium_hex2bin(k->sk, crypto_sign_SECRETKEYBYTES, v, strlen(v), NULL, &n, NULL) != 0 ||
                n != crypto_sign_SECRETKEYBYTES) {
                wl_err_set(err, "%s:%d: secret: not a kiosk secret key (%d hex digits)", path, ln,
                           2 * crypto_sign_SECRETKEYBYTES);
                rc = WL_ERR_PARSE;
            }
            have_secret = true;
        } else {
            wl_err_set(err, "%s:%d: %s: unknown or too long", path, ln, line);
            rc = WL_ERR_PARSE;
        }
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    if (rc == WL_OK && (!have_secret || !k->kiosk[0] || !k->location[0])) {
        wl_err_set(err, "%s: needs kiosk, location and secret lines", path);
        rc = WL_ERR_PARSE;
    }
    return rc;
}

wl_rc wl_kclient_new(const char *base_url, const char *key_path, wl_kclient_t **out, wl_err_t *err)
{
    *out = NULL;
    if (strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0) {
        wl_err_set(err, "server URL '%s' must start with http:// or https://", base_url);
        return WL_ERR_INVALID;
    }
    wl_kclient_t *k = calloc(1, sizeof *k);
    if (!k || !(k->sk = sodium_malloc(crypto_sign_SECRETKEYBYTES))) {
        free(k);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    snprintf(k->base, sizeof k->base, "%s", base_url);
    k->connect_ms = 5000;
    k->total_ms = 20000;
    size_t bl = strlen(k->base);
    if (bl && k->base[bl - 1] == '/') k->base[bl - 1] = 0;
    wl_rc rc = read_key(k, key_path, err);
    if (rc == WL_OK && !(k->curl = curl_easy_init())) {
        wl_err_set(err, "libcurl could not start");
        rc = WL_ERR_NOMEM;
    }
    if (rc) {
        wl_kclient_free(k);
        return rc;
    }
    *out = k;
    return WL_OK;
}

void wl_kclient_free(wl_kclient_t *k)
{
    if (!k) return;
    if (k->curl) curl_easy_cleanup(k->curl);
    sodium_free(k->sk);
    free(k);
}

void wl_kclient_set_timeouts(wl_kclient_t *k, long connect_ms, long total_ms)
{
    k->connect_ms = connect_ms > 0 ? connect_ms : 5000;
    k->total_ms = total_ms > 0 ? total_ms : 20000;
}

const char *wl_kclient_kiosk(const wl_kclient_t *k) { return k->kiosk; }
const char *wl_kclient_location(const wl_kclient_t *k) { return k->location; }

wl_rc wl_kclient_request(wl_kclient_t *k, const char *method, const char *path, const char *query,
                         const char *body, size_t body_len, int *status, char **response, wl_err_t *err)
{
    *status = 0;
    *response = NULL;
    char t[24], nonce[33], text[1024], sighex[2 * crypto_sign_BYTES + 1];
    snprintf(t, sizeof t, "%lld", (long long)time(NULL));
    unsigned char raw[16], sig[crypto_sign_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
    int tl = signing_text(text, sizeof text, method, path, query, t, nonce, (const unsigned char *)body, body_len);
    if (tl < 0) {
        wl_err_set(err, "request path too long");
        return WL_ERR_INVALID;
    }
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, (unsigned long long)tl, k->sk);
    sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);

    char url[1200], h[4][200];
    snprintf(url, sizeof url, "%s%s%s%s", k->base, path, query && *query ? "?" : "", query && *query ? query : "");
    snprintf(h[0], sizeof h[0], "X-WL-Kiosk: %s", k->kiosk);
    snprintf(h[1], sizeof h[1], "X-WL-Time: %s", t);
    snprintf(h[2], sizeof h[2], "X-WL-Nonce: %s", nonce);
    snprintf(h[3], sizeof h[3], "X-WL-Signature: %s", sighex);
    struct curl_slist *hl = NULL;
    for (int i = 0; i < 4; i++) hl = curl_slist_append(hl, h[i]);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, "Expect:");
    buf_t b = {NULL, 0};
    CURL *c = k->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, k->connect_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, k->total_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    CURLcode cr = curl_easy_perform(c);
    curl_slist_free_all(hl);
    if (cr != CURLE_OK) {
        free(b.data);
        wl_err_set(err, "%s %s: %s", method, path, curl_easy_strerror(cr));
        return WL_ERR_IO;
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    *status = (int)code;
    if (!b.data) b.data = calloc(1, 1);
    *response = b.data;
    return WL_OK;
}
