/* Proof of origin for the central store: the server's Ed25519 origin key signs every record it
 * stores and every kiosk registration; staff check those signatures with the public half. */
#include "central/central_internal.h"
#include "wijkloket/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Why a key file outside the database: whoever can write the PostgreSQL tables must not be
 * able to make a record, or a kiosk's public key, that the server or staff take as genuine.
 * The secret half stays with the server (mode 0600); staff pin the public half on their own
 * machine, so a database writer cannot substitute it either (docs/security.md §1). */
#define SECRET_MAGIC "wijkloket-origin-key 1\n"
#define PUBLIC_MAGIC "wijkloket-origin-public 1\n"

static wl_rc read_small(const char *path, char *buf, size_t size, size_t *n, wl_err_t *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        wl_err_set(err, "%s: cannot read: %s", path, strerror(e));
        return e == ENOENT ? WL_ERR_NOTFOUND : WL_ERR_IO;
    }
    ssize_t r = read(fd, buf, size);
    close(fd);
    if (r < 0) {
        wl_err_set(err, "%s: cannot read: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    *n = (size_t)r;
    return WL_OK;
}

/* magic, then 64 hex digits (32 bytes) on one line. */
static wl_rc parse_hex32(const char *text, size_t len, const char *magic, const char *what, const char *path,
                         unsigned char out[32], wl_err_t *err)
{
    size_t m = strlen(magic), got = 0;
    if (len < m || memcmp(text, magic, m) != 0) {
        wl_err_set(err, "%s:1: not a Wijkloket %s (it must start with '%.*s')", path, what, (int)m - 1, magic);
        return WL_ERR_PARSE;
    }
    const char *hex = text + m;
    size_t hlen = len - m;
    if (hlen > 0 && hex[hlen - 1] == '\n') hlen--;
    if (hlen != 64 || sodium_hex2bin(out, 32, hex, hlen, NULL, &got, NULL) != 0 || got != 32) {
        sodium_memzero(out, 32);
        wl_err_set(err, "%s:2: the key must be 64 hexadecimal digits on one line", path);
        return WL_ERR_PARSE;
    }
    return WL_OK;
}

/* "<dir>/server-origin.key" -> "<dir>/server-origin.pub"; any other name gets ".pub" added. */
static void public_path(const char *path, char *out, size_t size)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".key") == 0) snprintf(out, size, "%.*s.pub", (int)(n - 4), path);
    else snprintf(out, size, "%s.pub", path);
}

static wl_rc write_public(const char *path, const unsigned char pk[32], wl_err_t *err)
{
    char hex[65], text[128];
    sodium_bin2hex(hex, sizeof hex, pk, 32);
    snprintf(text, sizeof text, PUBLIC_MAGIC "%s\n", hex);
    wl_rc rc = wl_file_create(path, text, 0644, err);
    return rc == WL_ERR_CONFLICT ? WL_OK : rc; /* another process wrote the same key */
}

wl_rc wl_central_origin_key(const char *path, bool create, unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES],
                            wl_err_t *err)
{
    unsigned char seed[32], pk[32];
    char buf[256];
    size_t n = 0;
    wl_rc rc = read_small(path, buf, sizeof buf, &n, err);
    if (rc == WL_ERR_NOTFOUND && create) {
        char hex[65], text[128];
        randombytes_buf(seed, sizeof seed);
        sodium_bin2hex(hex, sizeof hex, seed, sizeof seed);
        snprintf(text, sizeof text, SECRET_MAGIC "%s\n", hex);
        rc = wl_file_create(path, text, 0600, err);
        sodium_memzero(hex, sizeof hex);
        sodium_memzero(text, sizeof text);
        /* Made at the same moment by another process: use the one that won. */
        if (rc == WL_ERR_CONFLICT) {
            usleep(200000);
            rc = read_small(path, buf, sizeof buf, &n, err);
        } else if (rc == WL_OK) {
            memcpy(buf, SECRET_MAGIC, strlen(SECRET_MAGIC));
            sodium_bin2hex(buf + strlen(SECRET_MAGIC), sizeof buf - strlen(SECRET_MAGIC), seed, sizeof seed);
            n = strlen(buf);
        }
    }
    if (rc == WL_OK) rc = parse_hex32(buf, n, SECRET_MAGIC, "origin key", path, seed, err);
    sodium_memzero(buf, sizeof buf);
    if (rc) return rc;
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    /* The public half beside it, for the staff machines (made once; never overwritten). */
    char pub[4200];
    public_path(path, pub, sizeof pub);
    if (access(pub, F_OK) != 0) {
        rc = write_public(pub, pk, err);
        if (rc) sodium_memzero(sk, WL_CENTRAL_ORIGIN_SECRET_BYTES);
    }
    return rc;
}

wl_rc wl_central_origin_public(const char *path, unsigned char pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES], wl_err_t *err)
{
    char buf[256];
    size_t n = 0;
    wl_rc rc = read_small(path, buf, sizeof buf, &n, err);
    if (rc == WL_ERR_NOTFOUND)
        wl_err_set(err, "%s: the server's origin public key is missing; copy server-origin.pub from the server "
                        "(beside its --origin-key) to this machine, or name it with --server-key FILE",
                   path);
    if (rc) return rc;
    return parse_hex32(buf, n, PUBLIC_MAGIC, "origin public key", path, pk, err);
}

void wl_central_set_origin_key(wl_central_t *c, const unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES])
{
    memcpy(c->origin_sk, sk, sizeof c->origin_sk);
    c->has_origin = true;
}

wl_rc wl_central_origin_sign(wl_central_t *c, const char *text, int len, unsigned char sig[crypto_sign_BYTES],
                             wl_err_t *err)
{
    if (!c->has_origin) {
        wl_err_set(err, "the server's origin key is not loaded: every record and kiosk registration is signed with it "
                        "(--origin-key FILE)");
        return WL_ERR_STATE;
    }
    if (len < 0) {
        wl_err_set(err, "a field is too long to sign");
        return WL_ERR_INVALID;
    }
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, (unsigned long long)len, c->origin_sk);
    return WL_OK;
}

const char *wl_central_origin_name(wl_central_origin_t o)
{
    switch (o) {
    case WL_ORIGIN_PROVEN: return "proven";
    case WL_ORIGIN_UNSIGNED: return "not proven";
    case WL_ORIGIN_FORGED: return "not genuine";
    default: return "unchecked";
    }
}
