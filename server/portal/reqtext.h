/* The portal's readers of request text outside the form body: the session cookie and a typed
 * resume code. Pure functions, so tests/fuzz can call them without a server. */
#ifndef WLP_REQTEXT_H
#define WLP_REQTEXT_H

#include <stdbool.h>

#define COOKIE_NAME "wl_sessie"
#define SESSION_HEX 65  /* 32 random bytes as hex, plus NUL */
#define CODE_SYMBOLS 16 /* a resume code: 80 random bits in Crockford base32 */

/* The session id from a Cookie header (may be NULL) into out (64 characters), or false. */
bool portal_cookie_session(const char *cookie, char out[SESSION_HEX]);

/* What a person typed as a resume code: case, spaces and dashes ignored, O read as 0, I and L
 * as 1. Writes the 16 symbols without dashes; false when it cannot be a code. */
bool portal_code_canonical(const char *in, char out[CODE_SYMBOLS + 1]);

#endif
