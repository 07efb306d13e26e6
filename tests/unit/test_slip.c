/* Unit tests for slips and printing: QR via zbarimg, ESC/POS bytes, PDF via pdftoppm+tesseract, failures. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "store/store_sql.h"
#include "wijkloket/appointments.h"
#include "wijkloket/printer.h"
#include "wijkloket/slip.h"

#define FIXTURE WL_TEST_ROOT "/tests/appointments/assets"

static char tmpdir[256];
static wl_catalog_t *cat;
static wl_slip_fonts_t *fonts;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wl-test-slip-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    wl_err_t err = {{0}};
    if (wl_catalog_load(FIXTURE, &cat, &err) || wl_slip_fonts_open(&fonts, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_slip_fonts_close(fonts);
    fonts = NULL;
    wl_catalog_free(cat);
    cat = NULL;
    nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* A booking as the store would return it, with a fixed reference. */
static void sample(wl_appointment_t *a, const unsigned char bytes[5], const char *lang)
{
    memset(a, 0, sizeof *a);
    wl_refcode_from_bytes(bytes, a->ref);
    strcpy(a->service, "svc_one");
    strcpy(a->location, "wij_x");
    strcpy(a->start, "2026-11-24T09:45");
    strcpy(a->end, "10:30");
    strcpy(a->status, "booked");
    strcpy(a->language, lang);
}

static void render_to(const wl_slip_t *s, wl_slip_format_t f, int kind, const char *path, wl_raster_t *keep)
{
    wl_raster_t r;
    wl_err_t err = {{0}};
    assert_int_equal(wl_slip_render(s, f, fonts, &r, &err), WL_OK);
    unsigned char *buf;
    size_t len;
    wl_rc rc = kind == 0 ? wl_slip_png(&r, &buf, &len, &err) : kind == 1 ? wl_slip_escpos(&r, &buf, &len, &err)
                                                                         : wl_slip_pdf(&r, &buf, &len, &err);
    assert_int_equal(rc, WL_OK);
    assert_int_equal(wl_slip_write_file(path, buf, len, &err), WL_OK);
    free(buf);
    if (keep) *keep = r;
    else wl_raster_free(&r);
}

/* Output of a shell command, trailing newline kept. */
static void run(const char *cmd, char *out, size_t size)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    pclose(p);
}

/* The slip in lang (NULL: the booking's own) with the project's catalogues, as the front ends
 * build it: the labels come from locale/<lang>.po. */
static wl_rc build(const wl_appointment_t *a, const char *lang, wl_slip_t *s, wl_err_t *err)
{
    wl_i18n_t *t = NULL;
    wl_rc rc = wl_slip_catalogue(WL_TEST_ROOT "/locale", a, lang, &t, err);
    if (rc == WL_OK) rc = wl_slip_build(cat, a, t, s, err);
    wl_i18n_free(t);
    return rc;
}

static bool has_block(const wl_slip_t *s, const char *text)
{
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->blocks[i].text, text)) return true;
    return false;
}

static void test_model_languages(void **state)
{
    (void)state;
    wl_appointment_t a;
    wl_slip_t s;
    wl_err_t err = {{0}};
    sample(&a, (const unsigned char *)"\x11\x22\x33\x44\x55", "nl");
    assert_int_equal(build(&a, NULL, &s, &err), WL_OK);
    assert_true(has_block(&s, "Uw afspraak"));
    assert_true(has_block(&s, "Datum: dinsdag 24 november 2026"));
    assert_true(has_block(&s, "Tijd: 09:45 - 10:30"));
    assert_true(has_block(&s, "Adres: WIJ-gebouw Test, Groningen"));
    assert_true(has_block(&s, "Brieven van schuldeisers"));
    assert_true(has_block(&s, "14 050"));
    assert_false(has_block(&s, "Your appointment"));
    /* English first, then Dutch; the code and QR once. */
    assert_int_equal(build(&a, "en", &s, &err), WL_OK);
    assert_string_equal(s.blocks[0].text, "Your appointment");
    assert_true(has_block(&s, "Date: Tuesday 24 November 2026"));
    assert_true(has_block(&s, "Uw afspraak"));
    int qr = 0;
    for (size_t i = 0; i < s.n; i++) qr += s.blocks[i].kind == WL_SLIP_QR;
    assert_int_equal(qr, 1);
    /* Every catalogue language: the labels, weekday and month come from locale/pl.po. */
    assert_int_equal(build(&a, "pl", &s, &err), WL_OK);
    assert_string_equal(s.lang, "pl");
    assert_true(has_block(&s, "Data: wtorek 24 listopada 2026"));
    assert_true(has_block(&s, "Proszę zabrać:"));
    assert_true(has_block(&s, "Albo zadzwonić pod 14 050 i podać kod."));
    assert_true(has_block(&s, "Datum: dinsdag 24 november 2026")); /* then Dutch for the desk */
    /* A language without a catalogue gets English and Dutch, never nothing. */
    assert_int_equal(build(&a, "fa", &s, &err), WL_OK);
    assert_string_equal(s.lang, "en");
    strcpy(a.service, "weg");
    assert_int_equal(build(&a, NULL, &s, &err), WL_ERR_INVALID);
}

/* Arabic and Tigrinya slips: every glyph is in a font (no .notdef box), and the Arabic part is
 * laid out from the right: its text lines end at the right margin, the Dutch part's start at
 * the left one. */
static void test_scripts_shaped_and_mirrored(void **state)
{
    (void)state;
    const char *langs[2] = {"ar", "ti"};
    for (int k = 0; k < 2; k++) {
        wl_appointment_t a;
        wl_slip_t s;
        wl_err_t err = {{0}};
        sample(&a, (const unsigned char *)"\x21\x43\x65\x87\xa9", langs[k]);
        assert_int_equal(build(&a, NULL, &s, &err), WL_OK);
        assert_string_equal(s.lang, langs[k]);
        long before = wl_slip_fonts_notdef(fonts);
        wl_raster_t r;
        assert_int_equal(wl_slip_render(&s, WL_SLIP_THERMAL, fonts, &r, &err), WL_OK);
        assert_int_equal(wl_slip_fonts_notdef(fonts), before);
        if (k == 0) {
            /* Rows whose ink touches the right margin against those touching the left one: the
             * Arabic part (first third) leans right, the Dutch part (last third) left. */
            int edge[2][2] = {{0, 0}, {0, 0}}; /* [part][left, right] */
            for (int y = 0; y < r.h; y++) {
                int part = y < r.h / 3 ? 0 : y >= r.h * 2 / 3 ? 1 : -1;
                if (part < 0) continue;
                bool l = false, rr = false;
                for (int x = 16; x < 24; x++) l |= r.px[(long)y * r.w + x] < 128;
                for (int x = r.w - 24; x < r.w - 16; x++) rr |= r.px[(long)y * r.w + x] < 128;
                edge[part][0] += l;
                edge[part][1] += rr;
            }
            printf("arabic part: %d rows at the left edge, %d at the right; dutch part: %d, %d\n", edge[0][0],
                   edge[0][1], edge[1][0], edge[1][1]);
            assert_true(edge[0][1] > 2 * edge[0][0]);
            assert_true(edge[1][0] > 2 * edge[1][1]);
        }
        wl_raster_free(&r);
    }
}

static void test_png_qr_decodes_to_reference(void **state)
{
    (void)state;
    wl_appointment_t a;
    wl_slip_t s;
    wl_err_t err = {{0}};
    sample(&a, (const unsigned char *)"\x9a\x0b\x7c\x3d\xe1", "en");
    assert_int_equal(build(&a, NULL, &s, &err), WL_OK);
    const wl_slip_format_t formats[3] = {WL_SLIP_THERMAL, WL_SLIP_A6, WL_SLIP_SCREEN};
    for (int f = 0; f < 3; f++) {
        char path[400], cmd[600], out[256], want[64];
        snprintf(path, sizeof path, "%s/slip%d.png", tmpdir, f);
        wl_raster_t r;
        render_to(&s, formats[f], 0, path, &r);
        if (formats[f] == WL_SLIP_THERMAL) assert_int_equal(r.w, WL_SLIP_THERMAL_WIDTH);
        if (formats[f] == WL_SLIP_A6) {
            assert_int_equal(r.w, 827);
            assert_int_equal(r.h, 1165);
        }
        wl_raster_free(&r);
        snprintf(cmd, sizeof cmd, "zbarimg -q --raw %s 2>/dev/null", path);
        run(cmd, out, sizeof out);
        snprintf(want, sizeof want, "%s\n", a.ref);
        printf("zbarimg %s: %s", path, out);
        /* Exactly the reference: nothing personal, nothing more. */
        assert_string_equal(out, want);
    }
}

static void test_escpos_bytes(void **state)
{
    (void)state;
    wl_appointment_t a;
    wl_slip_t s;
    wl_err_t err = {{0}};
    sample(&a, (const unsigned char *)"\x01\x02\x03\x04\x05", "nl");
    assert_int_equal(build(&a, NULL, &s, &err), WL_OK);
    char path[400];
    snprintf(path, sizeof path, "%s/slip.bin", tmpdir);
    wl_raster_t r;
    render_to(&s, WL_SLIP_THERMAL, 1, path, &r);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char d[1 << 20];
    size_t n = fread(d, 1, sizeof d, f);
    fclose(f);
    /* ESC @ first; then GS v 0 bands 72 bytes (576 dots) wide that add up to the image. */
    assert_true(n > 16);
    assert_int_equal(d[0], 0x1B);
    assert_int_equal(d[1], 0x40);
    size_t p = 2;
    int rows = 0, bands = 0;
    long black = 0;
    while (p + 8 <= n && d[p] == 0x1D && d[p + 1] == 0x76) {
        assert_int_equal(d[p + 2], 0x30);
        assert_int_equal(d[p + 3], 0x00);
        int xbytes = d[p + 4] | d[p + 5] << 8, h = d[p + 6] | d[p + 7] << 8;
        assert_int_equal(xbytes, 72);
        for (size_t i = 0; i < (size_t)xbytes * (size_t)h; i++) black += __builtin_popcount(d[p + 8 + i]);
        p += 8 + (size_t)xbytes * (size_t)h;
        rows += h;
        bands++;
    }
    assert_int_equal(rows, r.h);
    assert_true(bands >= 2);
    assert_true(black > 10000); /* there is print on it */
    /* Feed and cut close the job. */
    assert_int_equal(n - p, 7);
    assert_memory_equal(d + p + 3, "\x1D\x56\x42\x00", 4);
    wl_raster_free(&r);
}

/* What a citizen would type from what OCR read: the reference parser forgives O/0, I/1. */
static void test_pdf_renders_with_readable_reference(void **state)
{
    (void)state;
    const unsigned char *samples[3] = {(const unsigned char *)"\x11\x22\x33\x44\x55",
                                       (const unsigned char *)"\xfe\xdc\xba\x98\x76",
                                       (const unsigned char *)"\x42\x42\x00\x99\x10"};
    for (int k = 0; k < 3; k++) {
        wl_appointment_t a;
        wl_slip_t s;
        wl_err_t err = {{0}};
        sample(&a, samples[k], k == 1 ? "en" : "nl");
        assert_int_equal(build(&a, NULL, &s, &err), WL_OK);
        char pdf[400], cmd[1200], out[8192];
        snprintf(pdf, sizeof pdf, "%s/slip%d.pdf", tmpdir, k);
        render_to(&s, WL_SLIP_A6, 2, pdf, NULL);
        snprintf(cmd, sizeof cmd, "pdftoppm -r 300 -png -singlefile %s %s/page%d && echo rendered", pdf, tmpdir, k);
        run(cmd, out, sizeof out);
        assert_string_equal(out, "rendered\n");
        snprintf(cmd, sizeof cmd, "pdfinfo %s | grep 'Page size'", pdf);
        run(cmd, out, sizeof out);
        assert_non_null(strstr(out, "297.64 x 419.53 pts"));
        snprintf(cmd, sizeof cmd, "OMP_THREAD_LIMIT=1 tesseract %s/page%d.png - 2>/dev/null", tmpdir, k);
        run(cmd, out, sizeof out);
        /* Find the first "XXXX-XXXX-X" shaped word and parse it like typed input. */
        char found[WL_REFCODE_BUFSZ] = "";
        for (char *p = out; *p && !found[0]; p++) {
            char cand[16];
            if (sscanf(p, "%15[A-Za-z0-9-]", cand) == 1 && strlen(cand) == 11 && cand[4] == '-' && cand[9] == '-') {
                wl_err_t perr = {{0}};
                if (wl_refcode_parse(cand, found, &perr) != WL_OK) found[0] = '\0';
            }
        }
        printf("tesseract page %d: want %s, read %s\n", k, a.ref, found);
        assert_string_equal(found, a.ref);
    }
}

/* ---- printers ------------------------------------------------------------------- */

static void test_printer_settings(void **state)
{
    (void)state;
    wl_printer_t p;
    wl_err_t err = {{0}};
    assert_int_equal(wl_printer_parse("escpos:/dev/usb/lp0", &p, &err), WL_OK);
    assert_int_equal(p.kind, WL_PRINTER_ESCPOS);
    assert_string_equal(p.target, "/dev/usb/lp0");
    assert_int_equal(wl_printer_parse("cups:Balie_1", &p, &err), WL_OK);
    assert_int_equal(p.kind, WL_PRINTER_CUPS);
    assert_int_equal(wl_printer_parse("none", &p, &err), WL_OK);
    assert_int_equal(p.kind, WL_PRINTER_NONE);
    assert_int_equal(wl_printer_parse("cups:a;rm -rf", &p, &err), WL_ERR_INVALID);
    assert_int_equal(wl_printer_parse("lpt1", &p, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "lpt1"));
    assert_int_equal(wl_printer_parse("file:", &p, &err), WL_ERR_INVALID);
}

static void slip_for(wl_slip_t *s)
{
    wl_appointment_t a;
    wl_err_t err = {{0}};
    sample(&a, (const unsigned char *)"\x31\x41\x59\x26\x53", "nl");
    assert_int_equal(build(&a, NULL, s, &err), WL_OK);
}

static void test_printer_file_and_missing(void **state)
{
    (void)state;
    wl_slip_t s;
    slip_for(&s);
    wl_printer_t p;
    wl_err_t err = {{0}};
    char spec[400], buf[8];
    snprintf(spec, sizeof spec, "file:%s/out.pdf", tmpdir);
    assert_int_equal(wl_printer_parse(spec, &p, &err), WL_OK);
    assert_int_equal(wl_printer_print(&p, &s, fonts, &err), WL_OK);
    FILE *f = fopen(p.target, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, 5, f), 5);
    fclose(f);
    assert_memory_equal(buf, "%PDF-", 5);
    assert_int_equal(wl_printer_parse("escpos:/dev/wl-no-such-printer", &p, &err), WL_OK);
    assert_int_equal(wl_printer_print(&p, &s, fonts, &err), WL_ERR_IO);
    assert_non_null(strstr(err.msg, "cannot open the device"));
    assert_int_equal(wl_printer_parse("cups:wl_no_such_queue", &p, &err), WL_OK);
    assert_int_not_equal(wl_printer_print(&p, &s, fonts, &err), WL_OK);
    printf("cups failure: %s\n", err.msg);
    assert_int_equal(wl_printer_parse("file:/proc/wl-not-writable/x.bin", &p, &err), WL_OK);
    assert_int_equal(wl_printer_print(&p, &s, fonts, &err), WL_ERR_IO);
}

/* CUPS printing (libcups, IPP) is tested against a real cupsd in printing.cups
 * (tests/packaging/cups_print.sh): job arrives, accepted-then-aborted, stopped queue. */

/* A pseudo-terminal plays the thermal printer: it answers DLE EOT n with the given bytes
 * and, when hang_after > 0, "is unplugged" after that many bytes. */
static pid_t fake_printer(char *slave_path, size_t size, int *slave_fd, unsigned char s1, unsigned char s4,
                          long hang_after)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    snprintf(slave_path, size, "%s", ptsname(m));
    *slave_fd = open(slave_path, O_RDWR | O_NOCTTY);
    assert_true(*slave_fd >= 0);
    struct termios t;
    tcgetattr(*slave_fd, &t);
    cfmakeraw(&t);
    tcsetattr(*slave_fd, TCSANOW, &t);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(*slave_fd);
        unsigned char b[4096];
        long total = 0;
        int seen = 0; /* bytes of "DLE EOT" matched so far */
        ssize_t n;
        while ((n = read(m, b, sizeof b)) > 0) {
            for (ssize_t i = 0; i < n; i++) {
                if (seen == 2) {
                    unsigned char ans = b[i] == 1 ? s1 : b[i] == 4 ? s4 : 0x12;
                    if (write(m, &ans, 1) != 1) _exit(1);
                    seen = 0;
                } else if (b[i] == (seen == 0 ? 0x10 : 0x04)) {
                    seen++;
                } else {
                    seen = b[i] == 0x10;
                }
            }
            total += n;
            if (hang_after > 0 && total >= hang_after) _exit(0); /* unplugged */
        }
        _exit(0);
    }
    close(m);
    return pid;
}

static void test_escpos_status_and_vanishing_printer(void **state)
{
    (void)state;
    wl_slip_t s;
    slip_for(&s);
    wl_printer_t p;
    wl_err_t err = {{0}};
    char path[128];
    int sfd, status;
    /* Paper end: the printer says so before anything is sent. */
    pid_t kid = fake_printer(path, sizeof path, &sfd, 0x12, 0x72, 0);
    char spec[200];
    snprintf(spec, sizeof spec, "escpos:%s", path);
    assert_int_equal(wl_printer_parse(spec, &p, &err), WL_OK);
    assert_int_equal(wl_printer_status(&p, &err), WL_ERR_STATE);
    assert_non_null(strstr(err.msg, "out of paper"));
    assert_int_equal(wl_printer_print(&p, &s, fonts, &err), WL_ERR_STATE);
    close(sfd);
    kill(kid, SIGTERM);
    waitpid(kid, &status, 0);
    /* Ready printer that is unplugged after 20 kB: a write error, not a crash or a hang. */
    kid = fake_printer(path, sizeof path, &sfd, 0x12, 0x12, 20000);
    snprintf(spec, sizeof spec, "escpos:%s", path);
    assert_int_equal(wl_printer_parse(spec, &p, &err), WL_OK);
    assert_int_equal(wl_printer_status(&p, &err), WL_OK);
    wl_rc rc = wl_printer_print(&p, &s, fonts, &err);
    printf("vanishing printer: %s\n", err.msg);
    assert_int_equal(rc, WL_ERR_IO);
    close(sfd);
    waitpid(kid, &status, 0);
    /* And one that takes the whole job. */
    kid = fake_printer(path, sizeof path, &sfd, 0x12, 0x12, 0);
    snprintf(spec, sizeof spec, "escpos:%s", path);
    assert_int_equal(wl_printer_parse(spec, &p, &err), WL_OK);
    assert_int_equal(wl_printer_print(&p, &s, fonts, &err), WL_OK);
    close(sfd);
    kill(kid, SIGTERM);
    waitpid(kid, &status, 0);
}

static void test_failed_print_keeps_booking(void **state)
{
    (void)state;
    char db[400];
    snprintf(db, sizeof db, "%s/p.db", tmpdir);
    wl_store_t *st;
    wl_err_t err = {{0}};
    assert_int_equal(wl_store_open(db, &st, &err), WL_OK);
    int64_t now;
    assert_true(wl_appointments_local_to_unix("2026-11-23T08:00", &now));
    wl_booking_request_t r = {"svc_one", "wij_x", "2026-11-24T10:30", "en", NULL, "kiosk-1", NULL};
    wl_appointment_t a, g;
    assert_int_equal(wl_appointments_book(st, cat, &r, now, &a, &err), WL_OK);
    wl_printer_t p;
    assert_int_equal(wl_printer_parse("escpos:/dev/wl-no-such-printer", &p, &err), WL_OK);
    wl_slip_t *shown = malloc(sizeof *shown);
    assert_non_null(shown);
    wl_rc rc = wl_printer_print_booking(st, cat, &p, a.ref, NULL, "wij_x", "kiosk-1", now, shown, &err);
    assert_int_equal(rc, WL_ERR_IO);
    assert_non_null(strstr(err.msg, "is kept"));
    /* The screen gets the slip to show with its QR code. */
    assert_string_equal(shown->ref, a.ref);
    assert_int_equal(wl_appointments_get_active(st, a.ref, &g, &err), WL_OK);
    assert_string_equal(g.print_state, "failed");
    /* Staff see it on their screen: an open printer_failure event naming the booking only. */
    json_t *events = NULL;
    assert_int_equal(wl_store_open_events(st, &events, &err), WL_OK);
    assert_int_equal(json_array_size(events), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "kind")), "printer_failure");
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(events, 0), "detail")), a.ref));
    json_decref(events);
    /* Reprint to a working printer clears the flag. */
    char spec[400];
    snprintf(spec, sizeof spec, "file:%s/reprint.bin", tmpdir);
    assert_int_equal(wl_printer_parse(spec, &p, &err), WL_OK);
    assert_int_equal(wl_printer_print_booking(st, cat, &p, a.ref, NULL, NULL, NULL, now, NULL, &err), WL_OK);
    assert_int_equal(wl_appointments_get(st, a.ref, &g, &err), WL_OK);
    assert_string_equal(g.print_state, "printed");
    /* A cancelled booking is not printed. */
    assert_int_equal(wl_appointments_cancel(st, a.ref, now, &err), WL_OK);
    assert_int_equal(wl_printer_print_booking(st, cat, &p, a.ref, NULL, NULL, NULL, now, shown, &err), WL_ERR_STATE);
    free(shown);
    wl_store_close(st);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_model_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_qr_decodes_to_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scripts_shaped_and_mirrored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escpos_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_renders_with_readable_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_printer_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_printer_file_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escpos_status_and_vanishing_printer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_print_keeps_booking, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
