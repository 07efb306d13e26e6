/* Reference codes: 40 random bits as 8 Crockford base32 symbols plus a GF(32) check symbol.
 *
 * Why this check scheme. Each symbol is a value 0..31, i.e. an element of the finite field
 * GF(32) = GF(2)[x] / (x^5 + x^2 + 1) (that polynomial is irreducible, and since 31 is prime
 * every element other than 0 and 1 has multiplicative order 31, so alpha = x is primitive).
 * Give data position i (1..8, left to right) the weight w_i = alpha^i and the check symbol
 * the weight w_9 = alpha^0 = 1, and choose the check value c so that
 *         S = w_1 v_1 + ... + w_8 v_8 + c = 0        (addition in GF(32) is XOR).
 * A received code is accepted only when S = 0.
 *  - Single substitution at position i, v -> v' (v' != v): S changes by w_i (v + v'), a
 *    product of two non-zero field elements, which is non-zero (a field has no zero
 *    divisors). So every single substitution, in the data or in the check, is caught.
 *  - Transposition of positions i and j (v_i != v_j, otherwise nothing changed):
 *    S changes by w_i v_i + w_j v_j + w_i v_j + w_j v_i = (w_i + w_j)(v_i + v_j), non-zero
 *    because w_i != w_j (alpha^0..alpha^8 are distinct as alpha has order 31 > 8) and
 *    v_i != v_j. So every adjacent transposition is caught, including swapping the last
 *    data symbol with the check symbol, and in fact every transposition at any distance.
 * Compared with Crockford's own mod-37 check this needs no extra symbols (* ~ $ = U), which
 * are hard to read aloud and to type on the kiosk keyboard: the check is one of the same 32
 * symbols. What a single check symbol cannot promise: two independent substitutions are
 * caught only with probability 31/32.
 */
#include "wijkloket/refcode.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define GF_POLY 0x25 /* x^5 + x^2 + 1 */

static unsigned gf_mul(unsigned a, unsigned b)
{
    unsigned r = 0;
    for (int i = 0; i < 5; i++) {
        if (b & 1) r ^= a;
        b >>= 1;
        a <<= 1;
        if (a & 0x20) a ^= GF_POLY;
    }
    return r & 31;
}

/* The check value making S zero: c = sum of alpha^i * v_i for i = 1..8. */
static unsigned check_value(const unsigned v[8])
{
    unsigned c = 0, w = 1;
    for (int i = 0; i < 8; i++) {
        w = gf_mul(w, 2); /* alpha^(i+1) */
        c ^= gf_mul(w, v[i]);
    }
    return c;
}

static void format_code(const unsigned v[8], char buf[WL_REFCODE_BUFSZ])
{
    int k = 0;
    for (int i = 0; i < 8; i++) {
        if (i == 4) buf[k++] = '-';
        buf[k++] = ALPHABET[v[i]];
    }
    buf[k++] = '-';
    buf[k++] = ALPHABET[check_value(v)];
    buf[k] = '\0';
}

void wl_refcode_from_bytes(const unsigned char bytes[5], char buf[WL_REFCODE_BUFSZ])
{
    if (!bytes || !buf) return;
    uint64_t bits = 0;
    for (int i = 0; i < 5; i++) bits = bits << 8 | bytes[i];
    unsigned v[8];
    for (int i = 0; i < 8; i++) v[i] = (unsigned)(bits >> (35 - 5 * i)) & 31;
    format_code(v, buf);
}

void wl_refcode_new(char buf[WL_REFCODE_BUFSZ])
{
    /* sodium_init is idempotent. Its result is not needed here: randombytes_buf initialises
     * its generator (the kernel's getrandom) on first use by itself. */
    int sodium_ready = sodium_init();
    (void)sodium_ready;
    unsigned char bytes[5];
    randombytes_buf(bytes, sizeof bytes);
    wl_refcode_from_bytes(bytes, buf);
    sodium_memzero(bytes, sizeof bytes);
}

/* Value of one typed symbol; -1 when it is not a symbol, -2 for U (Crockford leaves U out so
 * that codes cannot spell common obscenities, and says to reject it). */
static int symbol_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
    switch (c) {
    case 'O': return 0;
    case 'I': case 'L': return 1;
    case 'U': return -2;
    default: break;
    }
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

wl_rc wl_refcode_parse(const char *input, char buf[WL_REFCODE_BUFSZ], wl_err_t *err)
{
    if (buf) buf[0] = '\0';
    if (!input || !buf) {
        wl_err_set(err, "reference code: nothing given");
        return WL_ERR_PARSE;
    }
    unsigned v[9];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)input; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' || *p == '\n') continue;
        int val = symbol_value(*p);
        if (val == -2) {
            wl_err_set(err, "reference code '%.40s': the letter U does not occur in reference "
                       "codes", input);
            return WL_ERR_PARSE;
        }
        if (val < 0) {
            if (*p >= 0x20 && *p < 0x7f)
                wl_err_set(err, "reference code '%.40s': '%c' is not a reference-code symbol",
                           input, *p);
            else
                wl_err_set(err, "reference code: byte 0x%02x is not a reference-code symbol", *p);
            return WL_ERR_PARSE;
        }
        if (n < 9) v[n] = (unsigned)val;
        n++;
    }
    if (n != 9) {
        wl_err_set(err, "reference code '%.40s': has %zu symbols, expected 9 (XXXX-XXXX-C)",
                   input, n);
        return WL_ERR_PARSE;
    }
    if (check_value(v) != v[8]) {
        wl_err_set(err, "reference code '%.40s': the check symbol does not match; probably one "
                   "symbol is mistyped or two are swapped", input);
        return WL_ERR_INVALID;
    }
    format_code(v, buf);
    return WL_OK;
}
