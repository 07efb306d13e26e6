/* The portal's readers of request text outside the form body: the session cookie and a typed resume code. */
#include "reqtext.h"

#include <string.h>

bool portal_cookie_session(const char *c, char out[SESSION_HEX])
{
    while (c && *c) {
        while (*c == ' ' || *c == ';') c++;
        size_t n = strcspn(c, ";");
        if (n > sizeof COOKIE_NAME && !strncmp(c, COOKIE_NAME "=", sizeof COOKIE_NAME)) {
            size_t vlen = n - sizeof COOKIE_NAME;
            if (vlen != SESSION_HEX - 1) return false;
            memcpy(out, c + sizeof COOKIE_NAME, vlen);
            out[vlen] = 0;
            return true;
        }
        c += n;
    }
    return false;
}

bool portal_code_canonical(const char *in, char out[CODE_SYMBOLS + 1])
{
    static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    size_t o = 0;
    for (const char *c = in; c && *c; c++) {
        char ch = *c;
        if (ch == ' ' || ch == '-' || ch == '\t') continue;
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        if (ch == 'O') ch = '0';
        if (ch == 'I' || ch == 'L') ch = '1';
        if (!strchr(symbols, ch) || o >= CODE_SYMBOLS) return false;
        out[o++] = ch;
    }
    out[o] = 0;
    return o == CODE_SYMBOLS;
}
