/* Private interface of the install key (install_key.c): load or make it, and MAC with it. */
#ifndef WL_INSTALL_KEY_H
#define WL_INSTALL_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include "wijkloket/common.h"

#define WL_INSTALL_KEY_BYTES 32
#define WL_INSTALL_MAC_BYTES 32

/* "<db_path>-install.key". */
void wl_install_key_path(const char *db_path, char *out, size_t size);
/* Reads the install key of the database at db_path; when it does not exist and create is
 * true, makes one (0600, exclusive, fsynced) and sets *created. WL_ERR_NOTFOUND when absent
 * and not created; WL_ERR_PARSE for a damaged file (file:line). */
wl_rc wl_install_key_load(const char *db_path, bool create, unsigned char key[WL_INSTALL_KEY_BYTES], bool *created,
                          wl_err_t *err);
/* Parses the text of an install key file (exposed for the fuzzer). */
wl_rc wl_install_key_parse(const char *text, size_t len, unsigned char key[WL_INSTALL_KEY_BYTES], const char *path,
                           wl_err_t *err);
/* Keyed BLAKE2b-256 of domain | len(a) | a | b. */
void wl_install_mac(const unsigned char key[WL_INSTALL_KEY_BYTES], const char *domain, const unsigned char *a,
                    size_t alen, const unsigned char *b, size_t blen, unsigned char out[WL_INSTALL_MAC_BYTES]);
#endif
