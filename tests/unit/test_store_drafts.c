/* Unit tests for the portal's draft store: put, get, replace, expiry, delete, purge, bad ids. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wijkloket/store.h"
#include "testdb.h"

static char dir[64], path[128];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/wl-test-drafts-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/d.db", dir);
    wl_store_t *st = NULL;
    wl_err_t err;
    if (testdb_reset() || wl_store_open(testdb_setting(path), &st, &err) != WL_OK) return -1;
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    wl_store_close(*state);
    char p[160];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static void put_get_replace(void **state)
{
    wl_store_t *st = *state;
    wl_err_t err;
    const unsigned char a[] = {1, 2, 0, 3}, b[] = {9, 9};
    assert_int_equal(wl_store_draft_put(st, "abc123", a, sizeof a, 2000, &err), WL_OK);
    unsigned char *got = NULL;
    size_t n = 0;
    assert_int_equal(wl_store_draft_get(st, "abc123", 1000, &got, &n, &err), WL_OK);
    assert_int_equal(n, sizeof a);
    assert_memory_equal(got, a, sizeof a); /* binary safe, NUL included */
    free(got);
    assert_int_equal(wl_store_draft_put(st, "abc123", b, sizeof b, 3000, &err), WL_OK);
    assert_int_equal(wl_store_draft_get(st, "abc123", 2500, &got, &n, &err), WL_OK);
    assert_int_equal(n, sizeof b);
    free(got);
}

static void expiry_delete_purge(void **state)
{
    wl_store_t *st = *state;
    wl_err_t err;
    const unsigned char a[] = {7};
    unsigned char *got = NULL;
    size_t n = 0;
    assert_int_equal(wl_store_draft_put(st, "old", a, 1, 100, &err), WL_OK);
    assert_int_equal(wl_store_draft_put(st, "new", a, 1, 900, &err), WL_OK);
    /* Expired is the same as never stored. */
    assert_int_equal(wl_store_draft_get(st, "old", 100, &got, &n, &err), WL_ERR_NOTFOUND);
    assert_null(got);
    assert_int_equal(wl_store_draft_get(st, "nothere", 0, &got, &n, &err), WL_ERR_NOTFOUND);
    int64_t removed = -1;
    assert_int_equal(wl_store_draft_purge(st, 500, &removed, &err), WL_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(wl_store_draft_get(st, "new", 500, &got, &n, &err), WL_OK);
    free(got);
    assert_int_equal(wl_store_draft_delete(st, "new", &err), WL_OK);
    assert_int_equal(wl_store_draft_delete(st, "new", &err), WL_OK); /* unknown: not an error */
    assert_int_equal(wl_store_draft_get(st, "new", 500, &got, &n, &err), WL_ERR_NOTFOUND);
}

static void bad_ids_refused(void **state)
{
    wl_store_t *st = *state;
    wl_err_t err;
    const unsigned char a[] = {1};
    char longid[80];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    const char *bad[] = {"", "a b", "x'; DROP TABLE intakes; --", "ü", longid};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wl_store_draft_put(st, bad[i], a, 1, 100, &err), WL_ERR_INVALID);
    assert_int_equal(wl_store_draft_put(st, "ok", a, 0, 100, &err), WL_ERR_INVALID); /* empty data */
    unsigned char *got = NULL;
    size_t n;
    assert_int_equal(wl_store_draft_get(st, "a b", 0, &got, &n, &err), WL_ERR_INVALID);
    assert_int_equal(wl_store_draft_delete(st, NULL, &err), WL_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_get_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(expiry_delete_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_ids_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
