/* Unit tests for kiosk events: logged durably, listed newest first, acknowledged once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wijkloket/store.h"
#include "testdb.h"

static char dir[] = "/tmp/wl_events_XXXXXX";
static char path[256];

static void test_log_list_ack(void **state)
{
    (void)state;
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(testdb_reset(), 0);
    assert_int_equal(wl_store_open(testdb_setting(path), &st, &err), WL_OK);
    assert_int_equal(wl_store_log_event(st, "help_request", "vinkhuizen", "k1", "", 1000, &err), WL_OK);
    assert_int_equal(wl_store_log_event(st, "printer_failure", "vinkhuizen", "k1", "paper out", 2000, &err), WL_OK);
    wl_store_close(st);

    /* Reopen: the events survived, newest first. */
    assert_int_equal(wl_store_open(testdb_setting(path), &st, &err), WL_OK);
    json_t *events = NULL;
    assert_int_equal(wl_store_open_events(st, &events, &err), WL_OK);
    assert_int_equal(json_array_size(events), 2);
    json_t *first = json_array_get(events, 0);
    assert_string_equal(json_string_value(json_object_get(first, "kind")), "printer_failure");
    assert_string_equal(json_string_value(json_object_get(first, "detail")), "paper out");
    json_int_t id = json_integer_value(json_object_get(first, "id"));
    json_decref(events);

    assert_int_equal(wl_store_ack_event(st, id, "medewerker1", 3000, &err), WL_OK);
    /* Acknowledging twice is "not found": it is no longer open. */
    assert_int_equal(wl_store_ack_event(st, id, "medewerker1", 3001, &err), WL_ERR_NOTFOUND);
    assert_int_equal(wl_store_open_events(st, &events, &err), WL_OK);
    assert_int_equal(json_array_size(events), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "kind")), "help_request");
    json_decref(events);
    wl_store_close(st);
}

static void test_bad_kind(void **state)
{
    (void)state;
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_store_open(testdb_setting(path), &st, &err), WL_OK);
    assert_int_equal(wl_store_log_event(st, "", "x", "k", NULL, 1, &err), WL_ERR_INVALID);
    assert_int_equal(wl_store_log_event(st, "a-kind-name-that-is-much-too-long-to-be-a-kind", "x", "k", NULL, 1, &err),
                     WL_ERR_INVALID);
    wl_store_close(st);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/events.db", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_list_ack),
        cmocka_unit_test(test_bad_kind),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return failed;
}
