/* The install key: a random secret beside the database that authenticates the audit chain, its head and every sealed part. */
#include "store/install_key.h"
#include "wijkloket/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Why a secret beside the file rather than in it: whoever can write the database file must
 * not be able to write an audit entry or a sealed part that Wijkloket accepts as its own.
 * The kiosk and the staff tool that share a database both hold this key (mode 0600, owner
 * only); SQL alone cannot forge what it authenticates. Someone who can read this file too can
 * (docs/security.md says so). */
#define MAGIC "wijkloket-install-key 1\n"

void wl_install_key_path(const char *db_path, char *out, size_t size)
{
    snprintf(out, size, "%s-install.key", db_path);
}

_Static_assert(WL_INSTALL_KEY_BYTES == WL_KEYFILE_BYTES, "the install key is a key file's 32 bytes");

wl_rc wl_install_key_parse(const char *text, size_t len, unsigned char key[WL_INSTALL_KEY_BYTES], const char *path,
                           wl_err_t *err)
{
    return wl_keyfile_parse(text, len, MAGIC, "install key", path, key, err);
}

static wl_rc read_key(const char *path, unsigned char key[WL_INSTALL_KEY_BYTES], wl_err_t *err)
{
    return wl_keyfile_read(path, MAGIC, "install key", key, err);
}

static wl_rc write_key(const char *path, unsigned char key[WL_INSTALL_KEY_BYTES], wl_err_t *err)
{
    randombytes_buf(key, WL_INSTALL_KEY_BYTES);
    return wl_keyfile_write(path, MAGIC, key, 0600, err);
}

wl_rc wl_install_key_load(const char *db_path, bool create, unsigned char key[WL_INSTALL_KEY_BYTES], bool *created,
                          wl_err_t *err)
{
    if (created) *created = false;
    if (sodium_init() < 0) {
        wl_err_set(err, "libsodium could not start");
        return WL_ERR_STATE;
    }
    char path[4096];
    wl_install_key_path(db_path, path, sizeof path);
    wl_rc rc = read_key(path, key, err);
    if (rc != WL_ERR_NOTFOUND || !create) return rc;
    rc = write_key(path, key, err);
    if (rc == WL_ERR_CONFLICT) return read_key(path, key, err); /* another process made it first */
    if (rc == WL_OK && created) *created = true;
    return rc;
}

void wl_install_mac(const unsigned char key[WL_INSTALL_KEY_BYTES], const char *domain, const unsigned char *a,
                    size_t alen, const unsigned char *b, size_t blen, unsigned char out[WL_INSTALL_MAC_BYTES])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, key, WL_INSTALL_KEY_BYTES, WL_INSTALL_MAC_BYTES);
    crypto_generichash_update(&h, (const unsigned char *)domain, strlen(domain) + 1);
    unsigned char n[8];
    for (int i = 0; i < 8; i++) n[i] = (unsigned char)((uint64_t)alen >> (8 * i));
    crypto_generichash_update(&h, n, sizeof n);
    if (alen) crypto_generichash_update(&h, a, alen);
    if (blen) crypto_generichash_update(&h, b, blen);
    crypto_generichash_final(&h, out, WL_INSTALL_MAC_BYTES);
}
