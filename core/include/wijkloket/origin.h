/* Proof of origin of central records (core/src/privacy/origin.c): the texts the server's
 * Ed25519 origin key signs, and the check staff make with its pinned public half. */
#ifndef WL_ORIGIN_H
#define WL_ORIGIN_H

#include <sodium.h>
#include "wijkloket/common.h"

#define WL_ORIGIN_PUBLIC_BYTES crypto_sign_PUBLICKEYBYTES
#define WL_ORIGIN_SIG_BYTES crypto_sign_BYTES

/* "WLO1", ref, channel, kiosk ("" for the portal), location, completed_at, received_at and the
 * SHA-256 of the exact record bytes in hex, one per line: what the server signs for each
 * record it stores. Returns the length, or -1 when buf is too small. */
int wl_origin_record_text(char *buf, size_t size, const char *ref, const char *channel, const char *kiosk,
                          const char *location, int64_t completed_at, int64_t received_at,
                          const unsigned char sha256[32]);
/* "WLK1", id, location, enabled (0/1) and the kiosk's public key in hex: a kiosk registration. */
int wl_origin_registration_text(char *buf, size_t size, const char *id, const char *location, bool enabled,
                                const unsigned char pk[crypto_sign_PUBLICKEYBYTES]);
/* True when sig (sig_len bytes, may be NULL) is pk's Ed25519 signature of text (len < 0: false). */
bool wl_origin_check(const unsigned char pk[WL_ORIGIN_PUBLIC_BYTES], const char *text, int len,
                     const unsigned char *sig, size_t sig_len);

#endif
