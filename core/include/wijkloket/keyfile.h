/* Key files: a magic first line naming what the key is, then its 32 bytes as 64 hex digits. */
#ifndef WL_KEYFILE_H
#define WL_KEYFILE_H

#include <sys/types.h>

#include "wijkloket/common.h"

#define WL_KEYFILE_BYTES 32

/* Checks text (len bytes) is magic ("wijkloket-... 1\n") then 64 hex digits on one line, and
 * puts the key in out. WL_ERR_PARSE with path:line and what the key is ("install key") when not. */
wl_rc wl_keyfile_parse(const char *text, size_t len, const char *magic, const char *what, const char *path,
                       unsigned char out[WL_KEYFILE_BYTES], wl_err_t *err);

/* Reads and parses the key file at path (never through a symlink). WL_ERR_NOTFOUND when it
 * does not exist. */
wl_rc wl_keyfile_read(const char *path, const char *magic, const char *what, unsigned char out[WL_KEYFILE_BYTES],
                      wl_err_t *err);

/* Writes key as a new key file with mode (wl_file_create: never over an existing one). */
wl_rc wl_keyfile_write(const char *path, const char *magic, const unsigned char key[WL_KEYFILE_BYTES], mode_t mode,
                       wl_err_t *err);

#endif
