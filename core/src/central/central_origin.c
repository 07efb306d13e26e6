/* Proof of origin for the central store: the server's Ed25519 origin key signs every record it
 * stores and every kiosk registration; staff check those signatures with the public half. */
#include "central/central_internal.h"
#include "wijkloket/keyfile.h"

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

/* "<dir>/server-origin.key" -> "<dir>/server-origin.pub"; any other name gets ".pub" added. */
static void public_path(const char *path, char *out, size_t size)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".key") == 0) snprintf(out, size, "%.*s.pub", (int)(n - 4), path);
    else snprintf(out, size, "%s.pub", path);
}

wl_rc wl_central_origin_key(const char *path, bool create, unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES],
                            wl_err_t *err)
{
    unsigned char seed[WL_KEYFILE_BYTES], pk[WL_KEYFILE_BYTES];
    wl_rc rc = wl_keyfile_read(path, SECRET_MAGIC, "origin key", seed, err);
    if (rc == WL_ERR_NOTFOUND && create) {
        randombytes_buf(seed, sizeof seed);
        rc = wl_keyfile_write(path, SECRET_MAGIC, seed, 0600, err);
        /* Made at the same moment by another process: use the one that won. */
        if (rc == WL_ERR_CONFLICT) {
            usleep(200000);
            rc = wl_keyfile_read(path, SECRET_MAGIC, "origin key", seed, err);
        }
    }
    if (rc) {
        sodium_memzero(seed, sizeof seed);
        return rc;
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    /* The public half beside it, for the staff machines (made once; never overwritten). */
    char pub[4200];
    public_path(path, pub, sizeof pub);
    if (access(pub, F_OK) != 0) {
        rc = wl_keyfile_write(pub, PUBLIC_MAGIC, pk, 0644, err);
        if (rc == WL_ERR_CONFLICT) rc = WL_OK; /* another process wrote the same key */
        if (rc) sodium_memzero(sk, WL_CENTRAL_ORIGIN_SECRET_BYTES);
    }
    return rc;
}

wl_rc wl_central_origin_public(const char *path, unsigned char pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES], wl_err_t *err)
{
    wl_rc rc = wl_keyfile_read(path, PUBLIC_MAGIC, "origin public key", pk, err);
    if (rc == WL_ERR_NOTFOUND)
        wl_err_set(err, "%s: the server's origin public key is missing; copy server-origin.pub from the server "
                        "(beside its --origin-key) to this machine, or name it with --server-key FILE",
                   path);
    return rc;
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
