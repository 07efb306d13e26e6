/* Reference codes: random Crockford base32 with a check character, grouped for reading. */
#ifndef WL_REFCODE_H
#define WL_REFCODE_H

#include "wijkloket/common.h"

/* "XXXX-XXXX-C": 8 random symbols (40 bits) and 1 check symbol, plus dashes and NUL. */
#define WL_REFCODE_LEN 11
#define WL_REFCODE_BUFSZ 12

/* Makes a new code from libsodium's CSPRNG into buf. */
void wl_refcode_new(char buf[WL_REFCODE_BUFSZ]);
/* Same from 5 given bytes (tests). */
void wl_refcode_from_bytes(const unsigned char bytes[5], char buf[WL_REFCODE_BUFSZ]);
/* Parses what a person typed or a scanner sent: case-insensitive, spaces and dashes ignored,
 * O read as 0, I and L as 1. On success writes the canonical form to buf and returns WL_OK;
 * a wrong length or symbol is WL_ERR_PARSE, a wrong check character WL_ERR_INVALID. */
wl_rc wl_refcode_parse(const char *input, char buf[WL_REFCODE_BUFSZ], wl_err_t *err);

#endif
