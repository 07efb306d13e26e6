/* Staff commands for appointments: slots, book, cancel, slip, reprint and the day list. */
#include "cli.h"
#include "cmd_privacy.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/appointments.h"
#include "wijkloket/printer.h"
#include "wijkloket/slip.h"

/* Options shared by the commands below; each command uses the ones it documents. */
typedef struct {
    const char *service, *location, *start, *date, *lang, *kiosk, *intake, *printer;
    const char *png, *a6_png, *screen_png, *escpos, *pdf;
    int days;
    bool json;
    const char *arg; /* the one positional argument (REF) */
} opts_t;

static int parse(int argc, char **argv, opts_t *o, const char *usage, bool want_arg)
{
    static const struct option lo[] = {
        {"service", required_argument, NULL, 's'}, {"location", required_argument, NULL, 'l'},
        {"start", required_argument, NULL, 'S'},   {"date", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'L'},    {"kiosk", required_argument, NULL, 'k'},
        {"intake", required_argument, NULL, 'i'},  {"printer", required_argument, NULL, 'p'},
        {"png", required_argument, NULL, 'P'},     {"a6-png", required_argument, NULL, 'A'},
        {"screen-png", required_argument, NULL, 'C'}, {"escpos", required_argument, NULL, 'E'},
        {"pdf", required_argument, NULL, 'F'},     {"days", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},          {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->days = 10;
    int c;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 's': o->service = optarg; break;
        case 'l': o->location = optarg; break;
        case 'S': o->start = optarg; break;
        case 'd': o->date = optarg; break;
        case 'L': o->lang = optarg; break;
        case 'k': o->kiosk = optarg; break;
        case 'i': o->intake = optarg; break;
        case 'p': o->printer = optarg; break;
        case 'P': o->png = optarg; break;
        case 'A': o->a6_png = optarg; break;
        case 'C': o->screen_png = optarg; break;
        case 'E': o->escpos = optarg; break;
        case 'F': o->pdf = optarg; break;
        case 'n': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 60) {
                fprintf(stderr, "wijkloket-staff: --days wants 1 to 60, not '%s'\n", optarg);
                return wl_cli_usage(usage);
            }
            o->days = (int)v;
            break;
        }
        case 'j': o->json = true; break;
        default: return wl_cli_usage(usage);
        }
    }
    if (want_arg) {
        if (optind != argc - 1) return wl_cli_usage(usage);
        o->arg = argv[optind];
    } else if (optind != argc) {
        return wl_cli_usage(usage);
    }
    return WL_EXIT_OK;
}

static int load_catalog(const struct wl_cli *cli, wl_catalog_t **c)
{
    wl_err_t err = {{0}};
    wl_rc rc = wl_catalog_load(cli->assets_dir, c, &err);
    return rc ? wl_cli_fail(rc, &err) : WL_EXIT_OK;
}

#define SLOTS_USAGE "slots [--service S --location L] [--date YYYY-MM-DD | --days N] [--json]"

static int list_services(const wl_catalog_t *c)
{
    size_t i, k;
    const json_t *s, *l;
    json_array_foreach(wl_catalog_services(c), i, s) {
        const char *id = json_string_value(json_object_get(s, "id"));
        printf("%-26s %s\n", id, wl_catalog_text(json_object_get(s, "naam"), "nl"));
        printf("%-26s at:", "");
        json_array_foreach(wl_catalog_locations(c), k, l) {
            const char *lid = json_string_value(json_object_get(l, "id"));
            if (wl_catalog_offers(c, id, lid)) printf(" %s", lid);
        }
        printf("\n");
    }
    return WL_EXIT_OK;
}

static int cmd_slots(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, SLOTS_USAGE, false);
    if (ex) return ex;
    wl_catalog_t *c;
    if ((ex = load_catalog(cli, &c))) return ex;
    if (!o.service || !o.location) {
        if (o.service || o.location) {
            wl_catalog_free(c);
            return wl_cli_usage(SLOTS_USAGE);
        }
        ex = list_services(c);
        wl_catalog_free(c);
        return ex;
    }
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    wl_rc rc = wl_cli_open_store(cli, &st);
    if (rc) {
        wl_catalog_free(c);
        return wl_cli_exit_for(rc);
    }
    char days[60][11];
    size_t nd = 0;
    if (o.date) {
        memcpy(days[0], o.date, strnlen(o.date, 10));
        days[0][strnlen(o.date, 10)] = '\0';
        nd = 1;
    } else {
        rc = wl_appointments_days(c, o.service, o.location, cli->today, cli->now, (size_t)o.days, days, &nd, &err);
    }
    json_t *all = o.json ? json_array() : NULL;
    for (size_t d = 0; !rc && d < nd; d++) {
        wl_slot_t *slots;
        size_t n;
        if ((rc = wl_appointments_slots(st, c, o.service, o.location, days[d], cli->now, &slots, &n, &err))) break;
        for (size_t i = 0; i < n; i++) {
            if (all)
                json_array_append_new(all, json_pack("{s:s, s:s, s:i, s:i}", "start", slots[i].start, "end",
                                                     slots[i].end, "capacity", slots[i].capacity, "free",
                                                     slots[i].capacity - slots[i].used));
            else
                printf("%s  %s-%s  %d of %d free\n", days[d], slots[i].start + 11, slots[i].end,
                       slots[i].capacity - slots[i].used, slots[i].capacity);
        }
        if (!all && n == 0) printf("%s  no times\n", days[d]);
        free(slots);
    }
    if (!rc && all) wl_cli_print_json(all);
    json_decref(all);
    wl_store_close(st);
    wl_catalog_free(c);
    return rc ? wl_cli_fail(rc, &err) : WL_EXIT_OK;
}
WL_CLI_COMMAND(slots, cmd_slots, "list services, or the free times of one service at one location", SLOTS_USAGE)

#define BOOK_USAGE \
    "book --service S --location L --start YYYY-MM-DDTHH:MM [--lang nl|en|ar|tr|pl|uk|ti] [--kiosk K] [--intake REF]"

static int cmd_book(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, BOOK_USAGE, false);
    if (ex) return ex;
    if (!o.service || !o.location || !o.start) return wl_cli_usage(BOOK_USAGE);
    wl_catalog_t *c;
    if ((ex = load_catalog(cli, &c))) return ex;
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    char detail[200];
    snprintf(detail, sizeof detail, "service=%s location=%s start=%s", o.service, o.location, o.start);
    if ((ex = wl_priv_open_audited(cli, WL_ROLE_STAFF, "book", o.intake, detail, &st))) {
        wl_catalog_free(c);
        return ex;
    }
    wl_rc rc;
    wl_booking_request_t req = {o.service, o.location, o.start, o.lang, o.intake, o.kiosk, NULL};
    wl_appointment_t a;
    rc = wl_appointments_book(st, c, &req, cli->now, &a, &err);
    wl_store_close(st);
    wl_catalog_free(c);
    if (rc) return wl_cli_fail(rc, &err);
    /* The reference alone on stdout, so scripts can take it; the rest for people. */
    printf("%s\n", a.ref);
    fprintf(stderr, "booked %s at %s on %s-%s\n", a.service, a.location, a.start, a.end);
    return WL_EXIT_OK;
}
WL_CLI_COMMAND(book, cmd_book, "book one appointment and print its reference", BOOK_USAGE)

#define CANCEL_USAGE "cancel REF"

static int cmd_cancel(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, CANCEL_USAGE, true);
    if (ex) return ex;
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    if ((ex = wl_priv_open_audited(cli, WL_ROLE_STAFF, "cancel", o.arg, "appointment", &st))) return ex;
    wl_rc rc = wl_appointments_cancel(st, o.arg, cli->now, &err);
    wl_store_close(st);
    if (rc) return wl_cli_fail(rc, &err);
    printf("cancelled %s\n", o.arg);
    return WL_EXIT_OK;
}
WL_CLI_COMMAND(cancel, cmd_cancel, "cancel an appointment by its reference (frees the seat)", CANCEL_USAGE)

static wl_rc write_raster(const wl_slip_t *slip, wl_slip_format_t f, wl_slip_fonts_t *fonts, const char *path,
                          int kind, wl_err_t *err)
{
    wl_raster_t r;
    unsigned char *buf = NULL;
    size_t len = 0;
    wl_rc rc = wl_slip_render(slip, f, fonts, &r, err);
    if (rc) return rc;
    rc = kind == 0 ? wl_slip_png(&r, &buf, &len, err) : kind == 1 ? wl_slip_escpos(&r, &buf, &len, err)
                                                                  : wl_slip_pdf(&r, &buf, &len, err);
    wl_raster_free(&r);
    if (!rc) rc = wl_slip_write_file(path, buf, len, err);
    free(buf);
    return rc;
}

#define SLIP_USAGE "slip REF [--png F] [--escpos F] [--pdf F] [--a6-png F] [--screen-png F] [--lang L]"

static int cmd_slip(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, SLIP_USAGE, true);
    if (ex) return ex;
    if (!o.png && !o.escpos && !o.pdf && !o.a6_png && !o.screen_png) return wl_cli_usage(SLIP_USAGE);
    wl_catalog_t *c;
    if ((ex = load_catalog(cli, &c))) return ex;
    wl_store_t *st = NULL;
    wl_err_t err = {{0}};
    wl_slip_fonts_t *fonts = NULL;
    if ((ex = wl_priv_open_audited(cli, WL_ROLE_STAFF, "slip", o.arg, "appointment slip", &st))) {
        wl_catalog_free(c);
        return ex;
    }
    wl_rc rc = WL_OK;
    wl_appointment_t a;
    wl_slip_t *slip = malloc(sizeof *slip);
    if (!slip) rc = WL_ERR_NOMEM;
    wl_i18n_t *t = NULL;
    if (!rc) rc = wl_appointments_get_active(st, o.arg, &a, &err);
    if (!rc) rc = wl_slip_catalogue(cli->locale_dir, &a, o.lang, &t, &err);
    if (!rc) rc = wl_slip_build(c, &a, t, slip, &err);
    if (!rc) rc = wl_slip_fonts_open(&fonts, &err);
    if (!rc && o.png) rc = write_raster(slip, WL_SLIP_THERMAL, fonts, o.png, 0, &err);
    if (!rc && o.escpos) rc = write_raster(slip, WL_SLIP_THERMAL, fonts, o.escpos, 1, &err);
    if (!rc && o.pdf) rc = write_raster(slip, WL_SLIP_A6, fonts, o.pdf, 2, &err);
    if (!rc && o.a6_png) rc = write_raster(slip, WL_SLIP_A6, fonts, o.a6_png, 0, &err);
    if (!rc && o.screen_png) rc = write_raster(slip, WL_SLIP_SCREEN, fonts, o.screen_png, 0, &err);
    wl_slip_fonts_close(fonts);
    wl_i18n_free(t);
    free(slip);
    wl_store_close(st);
    wl_catalog_free(c);
    return rc ? wl_cli_fail(rc, &err) : WL_EXIT_OK;
}
WL_CLI_COMMAND(slip, cmd_slip, "write a booking's slip as PNG (thermal), ESC/POS and A6 PDF", SLIP_USAGE)

#define REPRINT_USAGE "reprint REF [--printer escpos:DEV|cups:QUEUE|file:PATH] [--lang L] [--location L] [--kiosk K]"

static int cmd_reprint(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, REPRINT_USAGE, true);
    if (ex) return ex;
    const char *spec = o.printer ? o.printer : getenv("WL_PRINTER");
    wl_printer_t p;
    wl_err_t err = {{0}};
    wl_rc rc = wl_printer_parse(spec ? spec : "none", &p, &err);
    if (rc) return wl_cli_fail(rc, &err);
    wl_catalog_t *c;
    if ((ex = load_catalog(cli, &c))) return ex;
    wl_store_t *st = NULL;
    if ((ex = wl_priv_open_audited(cli, WL_ROLE_STAFF, "reprint", o.arg, "appointment slip", &st))) {
        wl_catalog_free(c);
        return ex;
    }
    wl_appointment_t a;
    wl_i18n_t *t = NULL;
    rc = wl_appointments_get_active(st, o.arg, &a, &err);
    if (!rc) rc = wl_slip_catalogue(cli->locale_dir, &a, o.lang, &t, &err);
    if (!rc) rc = wl_printer_print_booking(st, c, &p, o.arg, t, o.location, o.kiosk, cli->now, NULL, &err);
    wl_i18n_free(t);
    wl_store_close(st);
    wl_catalog_free(c);
    if (rc) return wl_cli_fail(rc, &err);
    printf("printed %s\n", o.arg);
    return WL_EXIT_OK;
}
WL_CLI_COMMAND(reprint, cmd_reprint, "print a booking's slip again (printer from --printer or $WL_PRINTER)",
               REPRINT_USAGE)

#define DAY_USAGE "appointments --location L [--date YYYY-MM-DD] [--json]"

static int cmd_day(int argc, char **argv, const struct wl_cli *cli)
{
    opts_t o;
    int ex = parse(argc, argv, &o, DAY_USAGE, false);
    if (ex) return ex;
    if (!o.location) return wl_cli_usage(DAY_USAGE);
    wl_catalog_t *c;
    if ((ex = load_catalog(cli, &c))) return ex;
    wl_err_t err = {{0}};
    if (!wl_catalog_location(c, o.location)) {
        wl_err_set(&err, "unknown location '%s' (see assets/locations.json)", o.location);
        wl_catalog_free(c);
        return wl_cli_fail(WL_ERR_INVALID, &err);
    }
    wl_store_t *st = NULL;
    char detail[160];
    snprintf(detail, sizeof detail, "location=%s date=%s", o.location, o.date ? o.date : cli->today);
    if ((ex = wl_priv_open_audited(cli, WL_ROLE_STAFF, "appointments", NULL, detail, &st))) {
        wl_catalog_free(c);
        return ex;
    }
    wl_rc rc;
    json_t *list = NULL;
    const char *date = o.date ? o.date : cli->today;
    rc = wl_appointments_day_list(st, o.location, date, &list, &err);
    if (!rc && o.json) {
        wl_cli_print_json(list);
    } else if (!rc) {
        printf("%s  %s  (%zu)\n", o.location, date, json_array_size(list));
        size_t i;
        const json_t *a;
        json_array_foreach(list, i, a) {
            const char *svc = json_string_value(json_object_get(a, "service"));
            const char *ps = json_string_value(json_object_get(a, "print_state"));
            printf("%s-%s  %s  %-28s %s%s\n", json_string_value(json_object_get(a, "start")) + 11,
                   json_string_value(json_object_get(a, "end")), json_string_value(json_object_get(a, "ref")),
                   wl_catalog_text(json_object_get(wl_catalog_service(c, svc), "naam"), "nl"),
                   strcmp(json_string_value(json_object_get(a, "status")), "cancelled") == 0 ? "GEANNULEERD" : "",
                   ps && strcmp(ps, "failed") == 0 ? " (bon niet geprint)" : "");
        }
    }
    json_decref(list);
    wl_store_close(st);
    wl_catalog_free(c);
    return rc ? wl_cli_fail(rc, &err) : WL_EXIT_OK;
}
WL_CLI_COMMAND(appointments, cmd_day, "the day list of appointments at one location (for staff)", DAY_USAGE)
