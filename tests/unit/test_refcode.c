/* Unit tests for reference codes: format, check-symbol error detection and parser normalisation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "wijkloket/refcode.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/* String positions of the 9 symbols in "XXXX-XXXX-C", in reading order. */
static const int SYM_POS[9] = {0, 1, 2, 3, 5, 6, 7, 8, 10};

/* A fixed-seed generator so a failure can be replayed; splitmix64. */
static uint64_t rng_state = 0x5EEDC0DE12345678ull;
static uint64_t next_rand(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void expect_parse(const char *input, wl_rc want_rc, const char *want_code)
{
    char buf[WL_REFCODE_BUFSZ];
    wl_err_t err = {""};
    wl_rc rc = wl_refcode_parse(input, buf, &err);
    if (rc != want_rc)
        fail_msg("parse '%s': got %s (%s), want %s", input, wl_rc_name(rc), err.msg,
                 wl_rc_name(want_rc));
    if (want_code) assert_string_equal(buf, want_code);
    if (rc != WL_OK) assert_true(strlen(err.msg) > 0);
}

static void test_format(void **state)
{
    (void)state;
    char buf[WL_REFCODE_BUFSZ];
    const unsigned char zero[5] = {0, 0, 0, 0, 0};
    wl_refcode_from_bytes(zero, buf);
    assert_string_equal(buf, "0000-0000-0");
    /* 00001 repeated eight times: every data symbol is 1. */
    const unsigned char ones[5] = {0x08, 0x42, 0x10, 0x84, 0x21};
    wl_refcode_from_bytes(ones, buf);
    assert_int_equal(strncmp(buf, "1111-1111-", 10), 0);
    assert_int_equal(strlen(buf), WL_REFCODE_LEN);

    for (int i = 0; i < 200; i++) {
        wl_refcode_new(buf);
        assert_int_equal(strlen(buf), WL_REFCODE_LEN);
        assert_int_equal(buf[4], '-');
        assert_int_equal(buf[9], '-');
        for (int k = 0; k < 9; k++) assert_non_null(strchr(ALPHABET, buf[SYM_POS[k]]));
        expect_parse(buf, WL_OK, buf);
    }
}

/* 40 random bits: two fresh codes colliding in 200 draws would point at a broken generator. */
static void test_new_is_random(void **state)
{
    (void)state;
    char codes[200][WL_REFCODE_BUFSZ];
    for (int i = 0; i < 200; i++) {
        wl_refcode_new(codes[i]);
        for (int j = 0; j < i; j++) assert_string_not_equal(codes[i], codes[j]);
    }
}

/* Every single substitution and every adjacent swap of 20,000 codes must be refused. */
static void test_detects_every_single_error(void **state)
{
    (void)state;
    long substitutions = 0, swaps = 0;
    for (int n = 0; n < 20000; n++) {
        unsigned char bytes[5];
        uint64_t r = next_rand();
        for (int i = 0; i < 5; i++) bytes[i] = (unsigned char)(r >> (8 * i));
        char code[WL_REFCODE_BUFSZ], typed[WL_REFCODE_BUFSZ], out[WL_REFCODE_BUFSZ];
        wl_refcode_from_bytes(bytes, code);
        for (int k = 0; k < 9; k++) {
            for (int a = 0; a < 32; a++) {
                if (ALPHABET[a] == code[SYM_POS[k]]) continue;
                memcpy(typed, code, sizeof typed);
                typed[SYM_POS[k]] = ALPHABET[a];
                wl_rc rc = wl_refcode_parse(typed, out, NULL);
                if (rc != WL_ERR_INVALID)
                    fail_msg("substitution %s -> %s not detected (%s)", code, typed,
                             wl_rc_name(rc));
                substitutions++;
            }
        }
        for (int k = 0; k < 8; k++) {
            char x = code[SYM_POS[k]], y = code[SYM_POS[k + 1]];
            if (x == y) continue;
            memcpy(typed, code, sizeof typed);
            typed[SYM_POS[k]] = y;
            typed[SYM_POS[k + 1]] = x;
            wl_rc rc = wl_refcode_parse(typed, out, NULL);
            if (rc != WL_ERR_INVALID)
                fail_msg("swap %s -> %s not detected (%s)", code, typed, wl_rc_name(rc));
            swaps++;
        }
    }
    assert_int_equal(substitutions, 20000L * 9 * 31);
    assert_true(swaps > 20000L * 7); /* equal neighbours (1 in 32) are skipped */
}

static void test_parser_normalises(void **state)
{
    (void)state;
    char code[WL_REFCODE_BUFSZ];
    const unsigned char bytes[5] = {0x3A, 0x91, 0x7C, 0x05, 0xEE};
    wl_refcode_from_bytes(bytes, code);
    char lower[WL_REFCODE_BUFSZ];
    for (int i = 0; i < WL_REFCODE_BUFSZ; i++)
        lower[i] = (char)((code[i] >= 'A' && code[i] <= 'Z') ? code[i] - 'A' + 'a' : code[i]);
    expect_parse(lower, WL_OK, code);

    char spaced[40], bare[16];
    snprintf(spaced, sizeof spaced, "  %.4s %.4s  %c \n", code, code + 5, code[10]);
    expect_parse(spaced, WL_OK, code);
    snprintf(bare, sizeof bare, "%.4s%.4s%c", code, code + 5, code[10]);
    expect_parse(bare, WL_OK, code);
    char dashes[40];
    snprintf(dashes, sizeof dashes, "%.2s-%.2s--%.4s-%c", code, code + 2, code + 5, code[10]);
    expect_parse(dashes, WL_OK, code);

    /* O reads as 0, I and L as 1, in either case. */
    expect_parse("OOOO-oooo-O", WL_OK, "0000-0000-0");
    const unsigned char ones[5] = {0x08, 0x42, 0x10, 0x84, 0x21};
    char one[WL_REFCODE_BUFSZ], typed[WL_REFCODE_BUFSZ];
    wl_refcode_from_bytes(ones, one);
    snprintf(typed, sizeof typed, "IiLl-lLiI-%c", one[10]);
    expect_parse(typed, WL_OK, one);
}

static void test_parser_refuses(void **state)
{
    (void)state;
    char code[WL_REFCODE_BUFSZ], typed[32];
    const unsigned char bytes[5] = {0x3A, 0x91, 0x7C, 0x05, 0xEE};
    wl_refcode_from_bytes(bytes, code);

    /* U is not a symbol, not even for the check. */
    snprintf(typed, sizeof typed, "U%s", code + 1);
    expect_parse(typed, WL_ERR_PARSE, NULL);
    snprintf(typed, sizeof typed, "%.10su", code);
    expect_parse(typed, WL_ERR_PARSE, NULL);
    /* Wrong length. */
    expect_parse("", WL_ERR_PARSE, NULL);
    expect_parse("0000-0000", WL_ERR_PARSE, NULL);
    snprintf(typed, sizeof typed, "%s0", code);
    expect_parse(typed, WL_ERR_PARSE, NULL);
    /* Symbols outside the alphabet. */
    expect_parse("0000-0000-*", WL_ERR_PARSE, NULL);
    expect_parse("00_0-0000-0", WL_ERR_PARSE, NULL);
    expect_parse("0000-0000-\xc3\xa9", WL_ERR_PARSE, NULL);
    /* A well-formed code with a wrong check symbol. */
    snprintf(typed, sizeof typed, "%.10s%c", code, code[10] == 'Z' ? 'Y' : 'Z');
    expect_parse(typed, WL_ERR_INVALID, NULL);
    /* No input at all. */
    char buf[WL_REFCODE_BUFSZ];
    assert_int_equal(wl_refcode_parse(NULL, buf, NULL), WL_ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_new_is_random),
        cmocka_unit_test(test_detects_every_single_error),
        cmocka_unit_test(test_parser_normalises),
        cmocka_unit_test(test_parser_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
