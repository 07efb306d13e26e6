/* Unit tests for appointments: assets, slots, bookings, bad input, offers and concurrent kiosks. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store_sql.h"
#include "wijkloket/appointments.h"

#define FIXTURE WL_TEST_ROOT "/tests/appointments/assets"

static char tmpdir[256], dbpath[320];
static wl_catalog_t *cat;
static wl_store_t *st;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Local wall-clock time as unix seconds, the way the kiosk passes `now`. */
static int64_t at(const char *local)
{
    int64_t t = 0;
    assert_true(wl_appointments_local_to_unix(local, &t));
    return t;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wl-test-appt-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", tmpdir);
    wl_err_t err = {{0}};
    if (wl_catalog_load(FIXTURE, &cat, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    if (wl_store_open(dbpath, &st, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_store_close(st);
    st = NULL;
    wl_catalog_free(cat);
    cat = NULL;
    nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* ---- assets --------------------------------------------------------------------- */

static void test_real_assets_are_valid(void **state)
{
    (void)state;
    wl_err_t err = {{0}};
    wl_rc rc = wl_appointments_check_assets(WL_TEST_ROOT "/assets", &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, WL_OK);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A broken services.json must name file, line and field. */
static void expect_bad_services(const char *services, const char *field, int line, const char *what)
{
    char dir[320], path[400], cmd[800];
    snprintf(dir, sizeof dir, "%s/bad", tmpdir);
    mkdir(dir, 0700);
    snprintf(cmd, sizeof cmd, "cp %s/locations.json %s/", FIXTURE, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/services.json", dir);
    write_file(path, services);
    wl_err_t err = {{0}};
    assert_int_not_equal(wl_appointments_check_assets(dir, &err), WL_OK);
    char where[420];
    snprintf(where, sizeof where, "%s:%d: ", path, line);
    if (!strstr(err.msg, where) || !strstr(err.msg, field) || !strstr(err.msg, what))
        fail_msg("message '%s' lacks '%s', '%s' or '%s'", err.msg, where, field, what);
}

#define SVC_HEAD "{\"diensten\": [{\n\"id\": \"s\",\n\"naam\": {\"nl\": \"S\"}, \"naam_inwoner\": {\"nl\": \"S\"},\n\"omschrijving\": {\"nl\": \"S\"},\n"
#define SVC_WEEK "\"tijden\": {\"ma\": [[\"09:00\", \"12:00\"]], \"di\": [], \"wo\": [], \"do\": [], \"vr\": [], \"za\": [], \"zo\": []},\n"
#define SVC_TAIL "\"gesloten_dagen\": [],\n\"meenemen\": [{\"nl\": \"ID\"}],\n\"voor\": {\"routes\": [], \"signalen\": []},\n\"spoed\": null\n}]}\n"

static void test_bad_assets_name_file_line_field(void **state)
{
    (void)state;
    expect_bad_services(SVC_HEAD "\"duur_minuten\": 0,\n\"capaciteit\": 1,\n\"locaties\": [\"loc_a\"],\n"
                                 "\"locatie_soorten\": [],\n" SVC_WEEK SVC_TAIL,
                        "duur_minuten", 5, "5 to 480");
    expect_bad_services(SVC_HEAD "\"duur_minuten\": 30,\n\"capaciteit\": 1,\n\"locaties\": [\"nergens\"],\n"
                                 "\"locatie_soorten\": [],\n" SVC_WEEK SVC_TAIL,
                        "locaties", 7, "unknown location 'nergens'");
    expect_bad_services(SVC_HEAD "\"duur_minuten\": 30,\n\"capaciteit\": 1,\n\"locaties\": [\"loc_a\"],\n"
                                 "\"locatie_soorten\": [],\n"
                                 "\"tijden\": {\"ma\": [[\"09:00\", \"25:00\"]], \"di\": [], \"wo\": [], \"do\": [], "
                                 "\"vr\": [], \"za\": [], \"zo\": []},\n" SVC_TAIL,
                        "tijden", 9, "range 1");
    /* A 4-hour session never fits a location open 3 hours: never bookable. */
    expect_bad_services(SVC_HEAD "\"duur_minuten\": 240,\n\"capaciteit\": 1,\n\"locaties\": [\"wij_x\"],\n"
                                 "\"locatie_soorten\": [],\n" SVC_WEEK SVC_TAIL,
                        "tijden", 9, "no 240-minute slot");
    /* Every service needs the name a citizen reads, next to the staff name. */
    expect_bad_services("{\"diensten\": [{\n\"id\": \"s\",\n\"naam\": {\"nl\": \"S\"},\n\"omschrijving\": {\"nl\": \"S\"},\n"
                        "\"duur_minuten\": 30,\n\"capaciteit\": 1,\n\"locaties\": [\"loc_a\"],\n"
                        "\"locatie_soorten\": [],\n" SVC_WEEK SVC_TAIL,
                        "naam_inwoner", 2, "at least");
}

/* ---- slots ---------------------------------------------------------------------- */

static void test_slots_stop_at_closing_time(void **state)
{
    (void)state;
    wl_slot_t *s;
    size_t n;
    wl_err_t err = {{0}};
    /* svc_one runs 09:00-13:00 but WIJ Test closes at 12:00: 45-minute slots end by 12:00. */
    assert_int_equal(wl_appointments_slots(st, cat, "svc_one", "wij_x", "2026-11-23", at("2026-11-22T12:00"), &s,
                                           &n, &err),
                     WL_OK);
    assert_int_equal(n, 4);
    assert_string_equal(s[0].start, "2026-11-23T09:00");
    assert_string_equal(s[3].start, "2026-11-23T11:15");
    assert_string_equal(s[3].end, "12:00");
    free(s);
    /* Tuesday group: 10:00-11:30 fits once; 14:00-16:00 fits one 90-minute session, not two. */
    assert_int_equal(wl_appointments_slots(st, cat, "svc_group", "loc_a", "2026-11-24", at("2026-11-22T12:00"), &s,
                                           &n, &err),
                     WL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].start, "2026-11-24T10:00");
    assert_string_equal(s[1].start, "2026-11-24T14:00");
    assert_string_equal(s[1].end, "15:30");
    assert_int_equal(s[1].capacity, 3);
    free(s);
}

static void test_slots_closed_days(void **state)
{
    (void)state;
    wl_slot_t *s;
    size_t n;
    wl_err_t err = {{0}};
    int64_t now = at("2026-11-20T12:00");
    /* Closed for every location (Christmas), for one location, and for one service. */
    assert_int_equal(wl_appointments_slots(st, cat, "svc_one", "wij_x", "2026-12-25", now, &s, &n, &err), WL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(wl_appointments_slots(st, cat, "svc_stip", "stip_y", "2026-11-25", now, &s, &n, &err), WL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(wl_appointments_slots(st, cat, "svc_stip", "stip_y", "2026-11-26", now, &s, &n, &err), WL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(wl_appointments_slots(st, cat, "svc_stip", "stip_y", "2026-11-24", now, &s, &n, &err), WL_OK);
    assert_int_equal(n, 4);
    free(s);
    /* The next working days skip Christmas and the weekend. */
    char days[6][11];
    assert_int_equal(wl_appointments_days(cat, "svc_one", "wij_x", "2026-12-23", at("2026-12-23T08:00"), 6, days, &n,
                                          &err),
                     WL_OK);
    assert_int_equal(n, 6);
    const char *want[6] = {"2026-12-23", "2026-12-24", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"};
    for (int i = 0; i < 6; i++) assert_string_equal(days[i], want[i]);
    /* Past slots of today are gone; today itself drops out once its last slot has begun. */
    assert_int_equal(wl_appointments_slots(st, cat, "svc_one", "wij_x", "2026-12-23", at("2026-12-23T10:00"), &s, &n,
                                           &err),
                     WL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].start, "2026-12-23T10:30");
    free(s);
    assert_int_equal(wl_appointments_days(cat, "svc_one", "wij_x", "2026-12-23", at("2026-12-23T11:15"), 1, days, &n,
                                          &err),
                     WL_OK);
    assert_string_equal(days[0], "2026-12-24");
}

/* ---- bookings ------------------------------------------------------------------- */

static wl_rc book(const char *svc, const char *loc, const char *start, int64_t now, wl_appointment_t *a, wl_err_t *err)
{
    wl_booking_request_t r = {svc, loc, start, "nl", NULL, "kiosk-test", NULL};
    memset(err, 0, sizeof *err);
    return wl_appointments_book(st, cat, &r, now, a, err);
}

/* Booking codes come from the env's random bytes: a test fixes them, and a clash with a
 * code already taken draws again (production leaves env NULL: the CSPRNG). */
static void fixed_bytes(void *ctx, unsigned char *buf, size_t n)
{
    int *calls = ctx;
    for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(0x10 * (*calls < 2 ? 1 : 2) + i);
    (*calls)++;
}

static void test_booking_code_from_env(void **state)
{
    (void)state;
    int calls = 0;
    wl_env_t env = {NULL, fixed_bytes, &calls};
    wl_booking_request_t r = {"svc_one", "wij_x", "2026-11-24T09:00", "nl", NULL, "kiosk-test", &env};
    wl_appointment_t a, b;
    wl_err_t err = {{0}};
    char want[WL_REFCODE_BUFSZ];
    const unsigned char first[5] = {0x10, 0x11, 0x12, 0x13, 0x14}, second[5] = {0x20, 0x21, 0x22, 0x23, 0x24};
    assert_int_equal(wl_appointments_book(st, cat, &r, at("2026-11-23T10:00"), &a, &err), WL_OK);
    wl_refcode_from_bytes(first, want);
    assert_string_equal(a.ref, want);
    /* The same bytes again: that code is taken, so the booking draws new bytes. */
    r.start = "2026-11-24T09:45";
    assert_int_equal(wl_appointments_book(st, cat, &r, at("2026-11-23T10:00"), &b, &err), WL_OK);
    wl_refcode_from_bytes(second, want);
    assert_string_equal(b.ref, want);
    assert_int_equal(calls, 3);
}

static void test_book_bad_input(void **state)
{
    (void)state;
    wl_appointment_t a;
    wl_err_t err;
    int64_t now = at("2026-11-23T10:00");
    assert_int_equal(book("svc_one", "wij_x", "2026-11-23T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "in the past"));
    assert_int_equal(book("svc_one", "wij_x", "2026-11-24T12:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "outside the hours"));
    assert_non_null(strstr(err.msg, "09:00, 09:45, 10:30, 11:15"));
    assert_int_equal(book("svc_one", "wij_x", "2026-11-24T09:10", now, &a, &err), WL_ERR_INVALID);
    assert_int_equal(book("svc_one", "wij_x", "2026-11-28T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "no times that day"));
    assert_int_equal(book("svc_one", "wij_x", "2026-12-25T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "closed day (Eerste Kerstdag)"));
    assert_int_equal(book("geen_dienst", "wij_x", "2026-11-24T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown service 'geen_dienst'"));
    assert_int_equal(book("svc_one", "nergens", "2026-11-24T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown location 'nergens'"));
    assert_int_equal(book("svc_one", "loc_a", "2026-11-24T09:00", now, &a, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "not held at"));
    assert_int_equal(book("svc_one", "wij_x", "24-11-2026 09:00", now, &a, &err), WL_ERR_PARSE);
    assert_int_equal(book("svc_one", "wij_x", NULL, now, &a, &err), WL_ERR_PARSE);
    /* Nothing of these reached the database. */
    json_t *list;
    assert_int_equal(wl_appointments_day_list(st, "wij_x", "2026-11-24", &list, &err), WL_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
}

static void test_book_full_cancel_lookup(void **state)
{
    (void)state;
    wl_appointment_t a, b, g;
    wl_err_t err;
    int64_t now = at("2026-11-23T10:00");
    assert_int_equal(book("svc_one", "wij_x", "2026-11-24T09:45", now, &a, &err), WL_OK);
    assert_int_equal(strlen(a.ref), WL_REFCODE_LEN);
    assert_string_equal(a.end, "10:30");
    /* The only seat is gone. */
    assert_int_equal(book("svc_one", "wij_x", "2026-11-24T09:45", now, &b, &err), WL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "this time was just taken"));
    assert_string_equal(b.ref, "");
    /* Lookup tolerates lower case and missing dashes, as typed at the kiosk. */
    char typed[16];
    snprintf(typed, sizeof typed, "%.4s%.4s%c", a.ref, a.ref + 5, a.ref[10]);
    for (char *p = typed; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    assert_int_equal(wl_appointments_get(st, typed, &g, &err), WL_OK);
    assert_string_equal(g.ref, a.ref);
    assert_string_equal(g.status, "booked");
    assert_string_equal(g.start, "2026-11-24T09:45");
    /* Re-reading into the same struct (its own ref as input) works. */
    assert_int_equal(wl_appointments_get(st, g.ref, &g, &err), WL_OK);
    assert_string_equal(g.ref, a.ref);
    /* A wrong check character is a typing error, said so; a right one that is not there is
     * "not found". */
    char wrong[WL_REFCODE_BUFSZ];
    memcpy(wrong, a.ref, sizeof wrong);
    wrong[10] = wrong[10] == '7' ? '8' : '7';
    assert_int_equal(wl_appointments_get(st, wrong, &g, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "check"));
    char other[WL_REFCODE_BUFSZ];
    wl_refcode_from_bytes((const unsigned char *)"\x01\x02\x03\x04\x05", other);
    assert_int_equal(wl_appointments_get(st, other, &g, &err), WL_ERR_NOTFOUND);
    /* Cancel frees the seat; the cancelled booking is still found but flagged. */
    int64_t later = at("2026-11-23T11:00");
    assert_int_equal(wl_appointments_cancel(st, a.ref, later, &err), WL_OK);
    assert_int_equal(wl_appointments_get(st, a.ref, &g, &err), WL_OK);
    assert_string_equal(g.status, "cancelled");
    assert_int_equal(g.cancelled_at, later);
    assert_int_equal(wl_appointments_get_active(st, a.ref, &g, &err), WL_ERR_STATE);
    assert_non_null(strstr(err.msg, "was cancelled on 2026-11-23"));
    assert_int_equal(wl_appointments_cancel(st, a.ref, later, &err), WL_ERR_STATE);
    assert_int_equal(book("svc_one", "wij_x", "2026-11-24T09:45", later, &b, &err), WL_OK);
    /* Day list: both, in order, with their status and print state. */
    assert_int_equal(wl_appointments_set_print_state(st, b.ref, false, "paper out", &err), WL_OK);
    json_t *list;
    assert_int_equal(wl_appointments_day_list(st, "wij_x", "2026-11-24", &list, &err), WL_OK);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "status")), "cancelled");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "print_state")), "failed");
    json_decref(list);
    wl_slot_t *s;
    size_t n;
    assert_int_equal(wl_appointments_slots(st, cat, "svc_one", "wij_x", "2026-11-24", later, &s, &n, &err), WL_OK);
    assert_int_equal(s[1].used, 1);
    assert_int_equal(s[0].used, 0);
    free(s);
}

/* ---- offers --------------------------------------------------------------------- */

static json_t *offer(const char *result_json, const char *kiosk)
{
    json_t *r = json_loads(result_json, 0, NULL), *out = NULL;
    assert_non_null(r);
    wl_err_t err = {{0}};
    assert_int_equal(wl_appointments_offer(cat, r, kiosk, &out, &err), WL_OK);
    json_decref(r);
    return out;
}

static const char *field(const json_t *arr, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(arr, i), key));
}

static void test_offer_fits_result(void **state)
{
    (void)state;
    json_t *o = offer("{\"route\": \"zelfdoener\", \"signals\": [{\"id\": \"schulden\", \"urgent\": false},"
                      " {\"id\": \"acute_zorg\", \"urgent\": true}]}",
                      "stip_y");
    assert_int_equal(json_array_size(o), 3);
    /* Acute care first, at the STIP's own WIJ-team, within two days. */
    assert_string_equal(field(o, 0, "service"), "svc_acute");
    assert_true(json_is_true(json_object_get(json_array_get(o, 0), "urgent")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "within_days")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(o, 0), "locations"), 0)),
                        "wij_z");
    assert_string_equal(field(o, 1, "service"), "svc_group");
    assert_string_equal(field(o, 1, "reason"), "route");
    assert_string_equal(field(o, 2, "service"), "svc_one");
    assert_string_equal(field(o, 2, "because"), "schulden");
    json_decref(o);
    /* At a WIJ-team kiosk its own team comes first. */
    o = offer("{\"route\": \"participatie\", \"signals\": [{\"id\": \"schulden\"}]}", "wij_x");
    assert_int_equal(json_array_size(o), 1);
    const json_t *locs = json_object_get(json_array_get(o, 0), "locations");
    assert_int_equal(json_array_size(locs), 2);
    assert_string_equal(json_string_value(json_array_get(locs, 0)), "wij_x");
    json_decref(o);
    o = offer("{\"route\": \"klantondersteuning\", \"signals\": []}", NULL);
    assert_int_equal(json_array_size(o), 0);
    json_decref(o);
    json_t *bad = json_string("x"), *out = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_appointments_offer(cat, bad, NULL, &out, &err), WL_ERR_INVALID);
    json_decref(bad);
    json_t *empty = json_object();
    assert_int_equal(wl_appointments_offer(cat, empty, "nergens", &out, &err), WL_ERR_INVALID);
    json_decref(empty);
}

/* The real assets follow the issue: each route and signal reaches its service. */
static void test_offer_real_assets(void **state)
{
    (void)state;
    wl_catalog_t *real = NULL;
    wl_err_t err = {{0}};
    assert_int_equal(wl_catalog_load(WL_TEST_ROOT "/assets", &real, &err), WL_OK);
    static const struct {
        const char *result, *kiosk, *first_service, *first_location;
    } cases[] = {
        {"{\"route\": \"zelfdoener\", \"signals\": []}", "harm_buiterplein", "collectieve_voorlichting", "harm_buiterplein"},
        {"{\"route\": \"klantondersteuning\", \"signals\": []}", NULL, "werkintake_cvw", "harm_buiterplein"},
        {"{\"route\": \"participatie\", \"signals\": []}", "stip_beijum", "reintegratiecoach_mp", "wij_beijum"},
        {"{\"route\": \"participatie\", \"signals\": [{\"id\": \"schulden\"}]}", "wij_selwerd",
         "reintegratiecoach_mp", "wij_selwerd"},
        {"{\"route\": \"zelfdoener\", \"signals\": [{\"id\": \"schulden\"}, {\"id\": \"acute_zorg\"}]}",
         "stip_vinkhuizen", "gesprek_wij_team", "wij_vinkhuizen"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *r = json_loads(cases[i].result, 0, NULL), *o = NULL;
        assert_int_equal(wl_appointments_offer(real, r, cases[i].kiosk, &o, &err), WL_OK);
        assert_string_equal(field(o, 0, "service"), cases[i].first_service);
        assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(o, 0), "locations"), 0)),
                            cases[i].first_location);
        json_decref(o);
        json_decref(r);
    }
    /* Debts alone: the GKB consultant. */
    json_t *r = json_loads("{\"route\": \"zelfdoener\", \"signals\": [{\"id\": \"schulden\"}]}", 0, NULL), *o;
    assert_int_equal(wl_appointments_offer(real, r, NULL, &o, &err), WL_OK);
    assert_string_equal(field(o, 1, "service"), "gkb_spreekuur");
    json_decref(o);
    json_decref(r);
    wl_catalog_free(real);
}

/* ---- several kiosks at once ----------------------------------------------------- */

#define WRITERS 4
#define TRIES 15

/* One kiosk process: its own connection, many tries on the two group slots. Reports
 * "booked conflicts other" through a pipe. */
static void writer(int fd, int64_t now)
{
    wl_store_t *mine = NULL;
    wl_catalog_t *c = NULL;
    wl_err_t err = {{0}};
    int counts[3] = {0, 0, 0};
    if (wl_store_open(dbpath, &mine, &err) || wl_catalog_load(FIXTURE, &c, &err)) _exit(2);
    const char *starts[2] = {"2026-11-24T10:00", "2026-11-24T14:00"};
    for (int i = 0; i < TRIES; i++) {
        wl_booking_request_t r = {"svc_group", "loc_a", starts[i % 2], "nl", NULL, "kiosk", NULL};
        wl_appointment_t a;
        wl_rc rc = wl_appointments_book(mine, c, &r, now, &a, &err);
        if (rc == WL_OK) counts[0]++;
        else if (rc == WL_ERR_CONFLICT && strstr(err.msg, "this time was just taken")) counts[1]++;
        else {
            counts[2]++;
            fprintf(stderr, "writer: %s\n", err.msg);
        }
    }
    char line[64];
    int n = snprintf(line, sizeof line, "%d %d %d\n", counts[0], counts[1], counts[2]);
    if (write(fd, line, (size_t)n) != n) _exit(3);
    wl_catalog_free(c);
    wl_store_close(mine);
    _exit(0);
}

static void test_concurrent_kiosks_never_overbook(void **state)
{
    (void)state;
    int64_t now = at("2026-11-23T10:00");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct timeval t0, t1;
    gettimeofday(&t0, NULL);
    pid_t kids[WRITERS];
    for (int k = 0; k < WRITERS; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            close(fds[0]);
            writer(fds[1], now);
        }
    }
    close(fds[1]);
    for (int k = 0; k < WRITERS; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    gettimeofday(&t1, NULL);
    FILE *f = fdopen(fds[0], "r");
    int booked = 0, taken = 0, other = 0, b, t, o;
    while (fscanf(f, "%d %d %d", &b, &t, &o) == 3) {
        booked += b;
        taken += t;
        other += o;
    }
    fclose(f);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
    printf("concurrency: %d processes x %d tries on 2 slots of capacity 3: %d booked, %d told "
           "\"this time was just taken\", %d other errors, %.3f s\n",
           WRITERS, TRIES, booked, taken, other, secs);
    assert_int_equal(booked, 6);
    assert_int_equal(taken, WRITERS * TRIES - 6);
    assert_int_equal(other, 0);
    /* The database agrees: exactly capacity rows per slot, and the counters match. */
    wl_err_t err = {{0}};
    json_t *list;
    assert_int_equal(wl_appointments_day_list(st, "loc_a", "2026-11-24", &list, &err), WL_OK);
    assert_int_equal(json_array_size(list), 6);
    json_decref(list);
    wl_slot_t *s;
    size_t n;
    assert_int_equal(wl_appointments_slots(st, cat, "svc_group", "loc_a", "2026-11-24", now, &s, &n, &err), WL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].used, 3);
    assert_int_equal(s[1].used, 3);
    free(s);
}

int main(void)
{
    /* Kiosks run in Dutch time; fixing it here makes summer time part of what is tested. */
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_assets_are_valid),
        cmocka_unit_test_setup_teardown(test_bad_assets_name_file_line_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slots_stop_at_closing_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slots_closed_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_book_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booking_code_from_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_book_full_cancel_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_fits_result, setup, teardown),
        cmocka_unit_test(test_offer_real_assets),
        cmocka_unit_test_setup_teardown(test_concurrent_kiosks_never_overbook, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
