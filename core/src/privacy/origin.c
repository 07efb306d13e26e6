/* Proof of origin of central records: the signed texts and their check (wijkloket/origin.h). */
#include "wijkloket/origin.h"

#include <stdio.h>

int wl_origin_record_text(char *buf, size_t size, const char *ref, const char *channel, const char *kiosk,
                          const char *location, int64_t completed_at, int64_t received_at,
                          const unsigned char sha256[32])
{
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, sha256, 32);
    int n = snprintf(buf, size, "WLO1\n%s\n%s\n%s\n%s\n%lld\n%lld\n%s", ref, channel, kiosk ? kiosk : "", location,
                     (long long)completed_at, (long long)received_at, hex);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

int wl_origin_registration_text(char *buf, size_t size, const char *id, const char *location, bool enabled,
                                const unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
    char hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    sodium_bin2hex(hex, sizeof hex, pk, crypto_sign_PUBLICKEYBYTES);
    int n = snprintf(buf, size, "WLK1\n%s\n%s\n%d\n%s", id, location, enabled ? 1 : 0, hex);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

bool wl_origin_check(const unsigned char pk[WL_ORIGIN_PUBLIC_BYTES], const char *text, int len,
                     const unsigned char *sig, size_t sig_len)
{
    return len >= 0 && sig && sig_len == crypto_sign_BYTES &&
           crypto_sign_verify_detached(sig, (const unsigned char *)text, (unsigned long long)len, pk) == 0;
}
