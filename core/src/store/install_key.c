/* The install key: a random secret beside the database that authenticates the audit chain, its head and every sealed part. */
#include "store/install_key.h"
#include "wijkloket/newfile.h"

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

wl_rc wl_install_key_parse(const char *text, size_t len, unsigned char key[WL_INSTALL_KEY_BYTES], const char *path,
                           wl_err_t *err)
{
    size_t m = strlen(MAGIC);
    if (len < m || memcmp(text, MAGIC, m) != 0) {
        wl_err_set(err, "%s:1: not a Wijkloket install key (it must start with 'wijkloket-install-key 1')", path);
        return WL_ERR_PARSE;
    }
    const char *hex = text + m;
    size_t hlen = len - m;
    if (hlen > 0 && hex[hlen - 1] == '\n') hlen--;
    size_t got = 0;
    if (hlen != 2 * WL_INSTALL_KEY_BYTES ||
        sodium_hex2bin(key, WL_INSTALL_KEY_BYTES, hex, hlen, NULL, &got, NULL) != 0 || got != WL_INSTALL_KEY_BYTES) {
        sodium_memzero(key, WL_INSTALL_KEY_BYTES);
        wl_err_set(err, "%s:2: the key must be %d hexadecimal digits on one line", path, 2 * WL_INSTALL_KEY_BYTES);
        return WL_ERR_PARSE;
    }
    return WL_OK;
}

static wl_rc read_key(const char *path, unsigned char key[WL_INSTALL_KEY_BYTES], wl_err_t *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        wl_err_set(err, "%s: cannot read the install key: %s", path, strerror(errno));
        return errno == ENOENT ? WL_ERR_NOTFOUND : WL_ERR_IO;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) {
        wl_err_set(err, "%s: cannot read the install key: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    wl_rc rc = wl_install_key_parse(buf, (size_t)n, key, path, err);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

static wl_rc write_key(const char *path, unsigned char key[WL_INSTALL_KEY_BYTES], wl_err_t *err)
{
    randombytes_buf(key, WL_INSTALL_KEY_BYTES);
    char text[sizeof MAGIC + 2 * WL_INSTALL_KEY_BYTES + 2];
    size_t m = strlen(MAGIC);
    memcpy(text, MAGIC, m);
    sodium_bin2hex(text + m, 2 * WL_INSTALL_KEY_BYTES + 1, key, WL_INSTALL_KEY_BYTES);
    strcat(text, "\n");
    wl_rc rc = wl_file_create(path, text, 0600, err);
    sodium_memzero(text, sizeof text);
    return rc;
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
