/* The booking provider interface: the local provider over SQLite, the journey through a remote
 * one that cannot be reached or finds the seat taken (nothing booked locally), location phones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wijkloket/booking.h"
#include "wijkloket/journey.h"

#define NOW 1795000000 /* Wednesday 2026-11-18 */

typedef struct {
    char dir[64];
    wl_store_t *st;
    wl_catalog_t *cat;
    wl_questionnaire_t *q;
    wl_rules_t *rules;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    wl_err_t err = {{0}};
    snprintf(f->dir, sizeof f->dir, "/tmp/wl-test-booking-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    char db[128];
    snprintf(db, sizeof db, "%s/b.db", f->dir);
    if (wl_store_open(db, &f->st, &err) || wl_catalog_load(WL_TEST_ROOT "/assets", &f->cat, &err) ||
        wl_questionnaire_load(WL_TEST_ROOT "/assets/questionnaires/entreevragenlijst.json", &f->q, &err) ||
        wl_rules_load(WL_TEST_ROOT "/assets/rules/routing.json", f->q, &f->rules, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    wl_store_close(f->st);
    wl_catalog_free(f->cat);
    wl_rules_free(f->rules);
    wl_questionnaire_free(f->q);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

static int64_t fixed_now(void *ctx)
{
    (void)ctx;
    return NOW;
}
static const wl_env_t ENV = {fixed_now, NULL, NULL};

static wl_journey_t *journey(fx_t *f)
{
    wl_journey_deps_t deps = {.q = f->q, .rules = f->rules, .store = f->st, .env = &ENV};
    wl_journey_start_t how = {WL_CHANNEL_KIOSK, "wij_vinkhuizen", "k1", "nl", NULL};
    wl_journey_t *j = NULL;
    wl_err_t err = {{0}};
    if (wl_journey_start(&deps, &how, &j, &err) != WL_OK) fail_msg("%s", err.msg);
    return j;
}

static size_t booked_here(fx_t *f)
{
    json_t *day = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_appointments_day_list(f->st, "wij_vinkhuizen", "2026-11-20", &day, &err), WL_OK);
    size_t n = json_array_size(day);
    json_decref(day);
    return n;
}

static void test_local_provider_books_in_the_file(void **state)
{
    fx_t *f = *state;
    wl_booking_provider_t p;
    wl_booking_local(f->st, &p);
    assert_false(p.remote);
    wl_err_t err = {{0}};
    wl_slot_t *slots = NULL;
    size_t n = 0;
    assert_int_equal(p.slots(p.ctx, f->cat, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20", NOW, &slots, &n, &err),
                     WL_OK);
    assert_true(n > 0);
    assert_string_equal(slots[0].start, "2026-11-20T09:00");
    free(slots);
    /* No holds in one file: an empty id, and releasing it is fine. */
    char hold[WL_HOLD_BUFSZ] = "x";
    int64_t exp = 1;
    assert_int_equal(p.hold(p.ctx, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20T09:00", NOW, hold, &exp, &err), WL_OK);
    assert_string_equal(hold, "");
    assert_int_equal(exp, 0);
    assert_int_equal(p.release(p.ctx, hold, &err), WL_OK);
    wl_journey_t *j = journey(f);
    wl_appointment_t a;
    wl_msg_t msg;
    assert_int_equal(wl_journey_book_via(j, &p, f->cat, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20T09:00", hold,
                                         &a, &msg, &err),
                     WL_OK);
    /* Capacity 1: the second citizen hears it was just taken. */
    assert_int_equal(wl_journey_book_via(j, &p, f->cat, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20T09:00", NULL,
                                         &a, &msg, &err),
                     WL_ERR_CONFLICT);
    assert_string_equal(msg.id, "Deze tijd is net bezet. Kies een andere tijd.");
    assert_int_equal(booked_here(f), 1);
    wl_appointment_t got;
    assert_int_equal(p.get(p.ctx, "", &got, &err), WL_ERR_PARSE);
    wl_journey_free(j);
}

/* A server provider as the kiosk sees it when the network is down, or another kiosk was first. */
typedef struct {
    wl_rc answer;
    char hold_seen[WL_HOLD_BUFSZ];
    int books;
} fake_t;

static wl_rc fake_book(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold,
                       int64_t now, wl_appointment_t *out, wl_err_t *err)
{
    (void)c, (void)req, (void)now, (void)out;
    fake_t *fk = ctx;
    fk->books++;
    snprintf(fk->hold_seen, sizeof fk->hold_seen, "%s", hold);
    wl_err_set(err, "POST /api/v1/bookings: Couldn't connect to server");
    return fk->answer;
}

static void test_remote_unreachable_books_nothing(void **state)
{
    fx_t *f = *state;
    fake_t fk = {WL_ERR_IO, "", 0};
    wl_booking_provider_t p = {.ctx = &fk, .remote = true, .book = fake_book};
    wl_journey_t *j = journey(f);
    wl_appointment_t a;
    wl_msg_t msg;
    wl_err_t err = {{0}};
    assert_int_equal(wl_journey_book_via(j, &p, f->cat, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20T09:30",
                                         "0123456789abcdef0123456789abcdef", &a, &msg, &err),
                     WL_ERR_IO);
    assert_string_equal(msg.id, "De afsprakenlijst is nu niet te bereiken. Er is geen afspraak gemaakt.");
    assert_string_equal(fk.hold_seen, "0123456789abcdef0123456789abcdef");
    assert_int_equal(fk.books, 1);
    assert_int_equal(booked_here(f), 0); /* never booked locally instead */
    fk.answer = WL_ERR_CONFLICT;
    assert_int_equal(wl_journey_book_via(j, &p, f->cat, "gesprek_wij_team", "wij_vinkhuizen", "2026-11-20T09:30", NULL,
                                         &a, &msg, &err),
                     WL_ERR_CONFLICT);
    assert_string_equal(msg.id, "Deze tijd is net bezet. Kies een andere tijd.");
    assert_string_equal(fk.hold_seen, "");
    assert_int_equal(booked_here(f), 0);
    wl_journey_free(j);
}


static void test_location_phone(void **state)
{
    fx_t *f = *state;
    /* Without its own number a location gives the municipality's. */
    assert_string_equal(wl_catalog_location_phone(f->cat, "wij_vinkhuizen"), "14 050");
    assert_string_equal(wl_catalog_location_phone(f->cat, "no_such_place"), "14 050");
    /* The test catalogue with a number for loc_a, then a bad one. */
    char dir[128], cmd[400], path[160];
    snprintf(dir, sizeof dir, "%s/assets", f->dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/tests/appointments/assets/*.json '%s'/", dir, WL_TEST_ROOT, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/locations.json", dir);
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['locaties'][0]['telefoon']=sys.argv[2]; "
             "json.dump(d, open(p,'w'), indent=1)\" '%s' '050 367 9000'",
             path);
    assert_int_equal(system(cmd), 0);
    wl_catalog_t *c = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_catalog_load(dir, &c, &err), WL_OK);
    assert_string_equal(wl_catalog_location_phone(c, "loc_a"), "050 367 9000");
    wl_catalog_free(c);
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['locaties'][0]['telefoon']=14050; "
             "json.dump(d, open(p,'w'), indent=1)\" '%s'",
             path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(wl_catalog_load(dir, &c, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "telefoon"));
    assert_non_null(strstr(err.msg, "locations.json:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_local_provider_books_in_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_unreachable_books_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_location_phone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
