/* Key files: a magic first line naming what the key is, then its 32 bytes as 64 hex digits. */
#include "wijkloket/keyfile.h"
#include "wijkloket/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

wl_rc wl_keyfile_parse(const char *text, size_t len, const char *magic, const char *what, const char *path,
                       unsigned char out[WL_KEYFILE_BYTES], wl_err_t *err)
{
    size_t m = strlen(magic), got = 0;
    if (len < m || memcmp(text, magic, m) != 0) {
        wl_err_set(err, "%s:1: not a Wijkloket %s (it must start with '%.*s')", path, what, (int)m - 1, magic);
        return WL_ERR_PARSE;
    }
    const char *hex = text + m;
    size_t hlen = len - m;
    if (hlen > 0 && hex[hlen - 1] == '\n') hlen--;
    if (hlen != 2 * WL_KEYFILE_BYTES || sodium_hex2bin(out, WL_KEYFILE_BYTES, hex, hlen, NULL, &got, NULL) != 0 ||
        got != WL_KEYFILE_BYTES) {
        sodium_memzero(out, WL_KEYFILE_BYTES);
        wl_err_set(err, "%s:2: the key must be %d hexadecimal digits on one line", path, 2 * WL_KEYFILE_BYTES);
        return WL_ERR_PARSE;
    }
    return WL_OK;
}

wl_rc wl_keyfile_read(const char *path, const char *magic, const char *what, unsigned char out[WL_KEYFILE_BYTES],
                      wl_err_t *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        wl_err_set(err, "%s: cannot read the %s: %s", path, what, strerror(e));
        return e == ENOENT ? WL_ERR_NOTFOUND : WL_ERR_IO;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    int e = errno;
    close(fd);
    if (n < 0) {
        wl_err_set(err, "%s: cannot read the %s: %s", path, what, strerror(e));
        return WL_ERR_IO;
    }
    wl_rc rc = wl_keyfile_parse(buf, (size_t)n, magic, what, path, out, err);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

wl_rc wl_keyfile_write(const char *path, const char *magic, const unsigned char key[WL_KEYFILE_BYTES], mode_t mode,
                       wl_err_t *err)
{
    char text[128];
    size_t m = strlen(magic);
    if (m + 2 * WL_KEYFILE_BYTES + 2 > sizeof text) {
        wl_err_set(err, "%s: key file header too long", path);
        return WL_ERR_INVALID;
    }
    memcpy(text, magic, m);
    sodium_bin2hex(text + m, 2 * WL_KEYFILE_BYTES + 1, key, WL_KEYFILE_BYTES);
    strcat(text, "\n");
    wl_rc rc = wl_file_create(path, text, mode, err);
    sodium_memzero(text, sizeof text);
    return rc;
}
