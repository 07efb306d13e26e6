/* wijkloket-staff against the central PostgreSQL store (--db postgresql://...): list the
 * intakes of every kiosk, show or pull them opened with the staff secret key on this machine,
 * kiosks and their events. The server itself never holds the secret key. list, show and pull
 * sign the staff member in and write the audit trail (and pulled marks) in the store's tables
 * of the same database, as on a kiosk's file: no trace, no access. */
#include "wijkloket/central.h"
#include "cli.h"
#include "cmd_privacy.h"
#include "staff_central.h"
#include "wijkloket/seal.h"
#include "wijkloket/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool wl_staff_is_central(const char *db)
{
    return db && (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0);
}

bool wl_staff_central_command(const char *cmd)
{
    return cmd && (strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0 || strcmp(cmd, "pull") == 0 ||
                   strcmp(cmd, "kiosks") == 0 || strcmp(cmd, "events") == 0);
}

static void fmt_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

typedef struct {
    wl_central_filter_t f;
    const char *keys, *passfile, *out, *server_key;
    bool json, all, unproven;
    unsigned char origin_pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES]; /* the server's, pinned on this machine */
} copts_t;

static int parse(int argc, char **argv, copts_t *o)
{
    static const struct option opts[] = {{"location", required_argument, NULL, 'l'},
                                         {"kiosk", required_argument, NULL, 'k'},
                                         {"channel", required_argument, NULL, 'c'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"keys", required_argument, NULL, 'K'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"server-key", required_argument, NULL, 'S'},
                                         {"unproven", no_argument, NULL, 'U'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': o->f.location = optarg; break;
        case 'k': o->f.kiosk = optarg; break;
        case 'c': o->f.channel = optarg; break;
        case 'n': o->f.limit = atoi(optarg); break;
        case 'K': o->keys = optarg; break;
        case 'P': o->passfile = optarg; break;
        case 'o': o->out = optarg; break;
        case 'j': o->json = true; break;
        case 'a': o->all = true; break;
        case 'S': o->server_key = optarg; break;
        case 'U': o->unproven = true; break;
        default: return WL_EXIT_USAGE;
        }
    }
    return WL_EXIT_OK;
}

/* Opens the staff secret key: <keys>/secret.key with the passphrase from --passphrase-file,
 * $WL_PASSPHRASE or the terminal. */
static int open_secret(const struct wl_cli *cli, const copts_t *o, wl_seal_secret_t **sk)
{
    char dir[2048], path[2100], pass[512];
    if (o->keys) snprintf(dir, sizeof dir, "%s", o->keys);
    else if (getenv("WL_KEYS")) snprintf(dir, sizeof dir, "%s", getenv("WL_KEYS"));
    else snprintf(dir, sizeof dir, "%s/keys", cli->state_dir);
    snprintf(path, sizeof path, "%s/%s", dir, WL_SEAL_SECRET_FILE);
    bool ok;
    if (o->passfile) {
        FILE *f = fopen(o->passfile, "r");
        ok = f && fgets(pass, sizeof pass, f);
        if (f) fclose(f);
        if (ok) pass[strcspn(pass, "\r\n")] = 0;
    } else {
        ok = wl_cli_read_secret("Passphrase of the staff key: ", "WL_PASSPHRASE", pass, sizeof pass);
    }
    if (!ok) {
        fprintf(stderr, "wijkloket-staff: no passphrase given for %s\n", path);
        return WL_EXIT_USAGE;
    }
    wl_err_t err;
    wl_rc rc = wl_seal_load_secret(path, pass, sk, &err);
    sodium_memzero(pass, sizeof pass);
    return rc ? wl_cli_fail(rc, &err) : WL_EXIT_OK;
}

/* The server's origin public key, pinned on this machine (never read from the database, whose
 * writer could replace it): --server-key, $WL_SERVER_KEY or <state>/keys/server-origin.pub. */
static wl_rc load_origin_pk(const struct wl_cli *cli, copts_t *o, wl_err_t *err)
{
    char path[4096];
    if (o->server_key) snprintf(path, sizeof path, "%s", o->server_key);
    else if (getenv("WL_SERVER_KEY") && *getenv("WL_SERVER_KEY")) snprintf(path, sizeof path, "%s", getenv("WL_SERVER_KEY"));
    else snprintf(path, sizeof path, "%s/keys/server-origin.pub", cli->state_dir);
    return wl_central_origin_public(path, o->origin_pk, err);
}

/* The delivered record of ref with its sealed parts opened: a new JSON object. Only a record
 * whose server signature holds is opened; one without a signature only with --unproven (and
 * marked so); a forged one never (WL_ERR_AUTH, err says why). */
static wl_rc open_record(wl_central_t *c, wl_seal_secret_t *sk, const copts_t *o, const char *ref, json_t **out,
                         wl_err_t *err)
{
    *out = NULL;
    unsigned char *raw;
    size_t len;
    wl_central_origin_t origin;
    char why[400];
    wl_rc rc = wl_central_intake_get_checked(c, ref, o->origin_pk, &raw, &len, &origin, why, sizeof why, err);
    if (rc) return rc;
    if (origin != WL_ORIGIN_PROVEN && !(origin == WL_ORIGIN_UNSIGNED && o->unproven)) {
        free(raw);
        wl_err_set(err, "%s%s", why,
                   origin == WL_ORIGIN_UNSIGNED ? "; not opened (open it anyway with --unproven, knowing that who wrote "
                                                  "it cannot be checked)"
                                                : "");
        return WL_ERR_AUTH;
    }
    if (origin == WL_ORIGIN_UNSIGNED) fprintf(stderr, "wijkloket-staff: warning: %s; opened because of --unproven\n", why);
    json_t *rec = json_loadb((const char *)raw, len, 0, NULL);
    free(raw);
    if (!json_is_object(rec)) {
        json_decref(rec);
        wl_err_set(err, "intake %s: the stored record is not a JSON object", ref);
        return WL_ERR_PARSE;
    }
    const char *parts[3] = {"answers", "personal", "detail"};
    /* The kind each part was sealed as: the store seals the detail as "result". */
    const char *kinds[3] = {"answers", "personal", "result"};
    for (int i = 0; rc == WL_OK && i < 3; i++) {
        const char *b64 = json_string_value(json_object_get(json_object_get(rec, parts[i]), "data"));
        if (!b64) continue;
        size_t bl = strlen(b64), n = 0;
        unsigned char *blob = malloc(bl + 1);
        if (!blob || sodium_base642bin(blob, bl + 1, b64, bl, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(blob);
            wl_err_set(err, "intake %s: %s is not base64", ref, parts[i]);
            rc = WL_ERR_PARSE;
            break;
        }
        json_t *clear = NULL;
        /* The kiosk's install key stays on the kiosk: the origin was proven above by the
         * server's signature over these exact bytes, made when the kiosk's signed delivery
         * arrived (or when its own portal sealed the record). */
        wl_seal_bind_t bind = {.ref = ref, .kind = kinds[i], .install_key = NULL, .origin_proven_by_delivery = true};
        rc = wl_seal_open(sk, blob, n, &bind, &clear, NULL, err);
        free(blob);
        if (rc == WL_OK) json_object_set_new(rec, parts[i], clear);
        else wl_err_prefix(err, "intake %s: %s: ", ref, parts[i]);
    }
    if (rc) {
        json_decref(rec);
        return rc;
    }
    json_object_set_new(rec, "origin", json_string(wl_central_origin_name(origin)));
    *out = rec;
    return WL_OK;
}

/* The audit entry's detail for a central filter (who looked at which selection). */
static void filter_text(const copts_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "location=%s kiosk=%s channel=%s", o->f.location ? o->f.location : "*",
             o->f.kiosk ? o->f.kiosk : "*", o->f.channel ? o->f.channel : "*");
}

/* The pulled marks of the store's tables (wl_store.intakes) as {ref: {pulled_by, pulled_at}}:
 * the delivery trigger files every record there, and `pull` marks it there. */
static int pulled_marks(wl_store_t *st, const copts_t *o, json_t **out)
{
    wl_case_filter_t f = {.location = o->f.location, .status = "pulled"};
    json_t *rows = NULL;
    wl_err_t err = {{0}};
    wl_rc rc = wl_case_list(st, &f, &rows, &err);
    if (rc) return wl_cli_fail(rc, &err);
    json_t *map = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *ref = json_string_value(json_object_get(r, "ref"));
        if (ref && map)
            json_object_set_new(map, ref, json_pack("{s:O,s:O}", "pulled_by", json_object_get(r, "pulled_by"),
                                                   "pulled_at", json_object_get(r, "pulled_at")));
    }
    json_decref(rows);
    if (!map) {
        wl_err_set(&err, "out of memory while reading the pulled marks");
        return wl_cli_fail(WL_ERR_NOMEM, &err);
    }
    *out = map;
    return WL_EXIT_OK;
}

static int list(const struct wl_cli *cli, wl_store_t *st, wl_central_t *c, copts_t *o)
{
    char detail[300];
    filter_text(o, detail, sizeof detail);
    int ex = wl_priv_audit(st, cli, "list", NULL, detail);
    if (ex) return ex;
    json_t *a, *marks;
    wl_err_t err;
    /* Flag what is not genuine; without the server's public key here, say the list is unchecked. */
    if (load_origin_pk(cli, o, &err) == WL_OK) o->f.origin_pk = o->origin_pk;
    else fprintf(stderr, "wijkloket-staff: origins not checked: %s\n", err.msg);
    wl_rc rc = wl_central_intake_list(c, &o->f, &a, &err);
    if (rc) return wl_cli_fail(rc, &err);
    if ((ex = pulled_marks(st, o, &marks))) {
        json_decref(a);
        return ex;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        json_t *m = json_object_get(marks, json_string_value(json_object_get(v, "ref")));
        json_object_set(v, "pulled_by", m ? json_object_get(m, "pulled_by") : json_null());
        json_object_set(v, "pulled_at", m ? json_object_get(m, "pulled_at") : json_null());
    }
    json_decref(marks);
    if (o->json) {
        wl_cli_print_json(a);
    } else {
        printf("%-11s  %-7s  %-16s  %-26s  %-16s  %-16s  %-11s  %s\n", "REF", "CHANNEL", "KIOSK", "LOCATION",
               "COMPLETED", "RECEIVED", "ORIGIN", "PULLED BY");
        json_array_foreach(a, i, v) {
            char done[32], got[32];
            fmt_time(json_integer_value(json_object_get(v, "completed_at")), done, sizeof done);
            fmt_time(json_integer_value(json_object_get(v, "received_at")), got, sizeof got);
            const char *kiosk = json_string_value(json_object_get(v, "kiosk"));
            const char *by = json_string_value(json_object_get(v, "pulled_by"));
            const char *origin = json_string_value(json_object_get(v, "origin"));
            printf("%-11s  %-7s  %-16s  %-26s  %-16s  %-16s  %-11s  %s\n", json_string_value(json_object_get(v, "ref")),
                   json_string_value(json_object_get(v, "channel")), kiosk ? kiosk : "-",
                   json_string_value(json_object_get(v, "location")), done, got,
                   !origin ? "unchecked" : strcmp(origin, "proven") == 0 ? "ok" : strcmp(origin, "not genuine") == 0
                                                                                   ? "NOT GENUINE" : origin,
                   by ? by : "-");
        }
        printf("%zu intake(s)\n", json_array_size(a));
    }
    json_decref(a);
    return WL_EXIT_OK;
}

/* Writes the opened record to dir/REF.json (0600) only once the pull is in the audit trail:
 * the text goes to a temporary name first and is renamed after the mark commits, so a failed
 * mark leaves no opened file behind. */
static int pull_one(const struct wl_cli *cli, wl_store_t *st, const wl_user_t *u, const copts_t *o, const char *ref,
                    const json_t *rec)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s.json", o->out ? o->out : ".", ref);
    snprintf(tmp, sizeof tmp, "%s.part", path);
    wl_err_t err = {{0}};
    if (o->out) {
        char *text = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!text) {
            wl_err_set(&err, "out of memory while writing %s", tmp);
            return wl_cli_fail(WL_ERR_NOMEM, &err);
        }
        unlink(tmp); /* what an interrupted pull may have left */
        wl_rc wrc = wl_file_create(tmp, text, 0600, &err);
        sodium_memzero(text, strlen(text));
        free(text);
        if (wrc) return wl_cli_fail(wrc, &err);
    }
    /* Marks the record pulled and appends the "pull" audit entry in one transaction. */
    wl_rc rc = wl_case_pull(st, ref, u->name, cli->now, &err);
    if (rc) {
        if (o->out) unlink(tmp);
        return wl_cli_fail(rc, &err);
    }
    if (o->out && rename(tmp, path) != 0) {
        fprintf(stderr, "wijkloket-staff: %s is pulled, but %s could not be renamed to %s: %s (show %s opens it "
                        "again)\n", ref, tmp, path, strerror(errno), ref);
        return WL_EXIT_IO;
    }
    return WL_EXIT_OK;
}

static int show_or_pull(const struct wl_cli *cli, wl_store_t *st, const wl_user_t *u, wl_central_t *c,
                        copts_t *o, int argc, char **argv, bool pull)
{
    const char *usage = pull ? "--db postgresql://... pull REF [--out DIR] | pull --all [--location L] [--kiosk K] "
                               "[--channel C] [--out DIR]   (with --keys DIR)"
                             : "--db postgresql://... show REF [--keys DIR]";
    if (pull ? (o->all ? optind != argc : optind != argc - 1) : optind != argc - 1) return wl_cli_usage(usage);
    wl_err_t err;
    /* Nothing is opened whose origin cannot be checked (--server-key, --unproven). */
    if (load_origin_pk(cli, o, &err)) {
        fprintf(stderr, "wijkloket-staff: cannot check where records come from: %s\n", err.msg);
        return WL_EXIT_FAIL;
    }
    wl_seal_secret_t *sk;
    int ex = open_secret(cli, o, &sk);
    if (ex) return ex;
    bool refused = false;
    json_t *refs = NULL, *marks = NULL;
    if (pull && o->all) {
        wl_rc rc = wl_central_intake_list(c, &o->f, &refs, &err);
        if (rc) ex = wl_cli_fail(rc, &err);
        else ex = pulled_marks(st, o, &marks);
    } else {
        refs = json_pack("[{s:s}]", "ref", argv[optind]);
    }
    if (ex == WL_EXIT_OK && pull && o->out && mkdir(o->out, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "wijkloket-staff: cannot make %s: %s\n", o->out, strerror(errno));
        ex = WL_EXIT_IO;
    }
    size_t i, done = 0;
    json_t *v;
    json_array_foreach(refs, i, v) {
        if (ex) break;
        const char *ref = json_string_value(json_object_get(v, "ref"));
        if (marks && json_object_get(marks, ref)) continue; /* --all takes what nobody pulled yet */
        json_t *rec;
        wl_rc rc = open_record(c, sk, o, ref, &rec, &err);
        if (rc == WL_ERR_AUTH) {
            /* Not genuine, or unproven without --unproven: said plainly, never opened; pull
             * --all goes on with the others and fails at the end. */
            fprintf(stderr, "wijkloket-staff: %s\n", err.msg);
            refused = true;
            continue;
        }
        if (rc) {
            ex = wl_cli_fail(rc, &err);
            break;
        }
        if (pull) {
            ex = pull_one(cli, st, u, o, ref, rec);
            if (ex == WL_EXIT_OK) done++;
        } else {
            /* The audit entry is written before anything is shown. */
            ex = wl_priv_audit(st, cli, "show", ref, "");
            if (ex == WL_EXIT_OK) wl_cli_print_json(rec);
        }
        json_decref(rec);
    }
    if (pull && (ex == WL_EXIT_OK || done)) {
        if (o->out) printf("%zu intake(s) pulled by %s, opened and written to %s (mode 0600)\n", done, u->name, o->out);
        else printf("%zu intake(s) pulled by %s\n", done, u->name);
        if (refused) printf("the records named above are not genuine or not proven and were not opened\n");
    }
    if (refused && ex == WL_EXIT_OK) ex = WL_EXIT_FAIL;
    json_decref(marks);
    json_decref(refs);
    wl_seal_secret_free(sk);
    return ex;
}

int wl_staff_central_main(int argc, char **argv, const struct wl_cli *cli)
{
    const char *cmd = argv[0];
    copts_t o;
    memset(&o, 0, sizeof o);
    optind = 0;
    int ex = parse(argc, argv, &o);
    if (ex) return ex;
    if (!wl_staff_central_command(cmd)) {
        fprintf(stderr,
                "wijkloket-staff: '%s' is not one of the central commands list, show REF, pull REF|--all, kiosks "
                "and events\n",
                cmd);
        return WL_EXIT_USAGE;
    }
    bool records = strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0 || strcmp(cmd, "pull") == 0;
    /* Records are read by a signed-in staff member only: PIN, role and lockout as on a kiosk's
     * file, through the store of the same database (its audit trail, its pulled marks). */
    wl_store_t *st = NULL;
    wl_user_t u;
    if (records && (ex = wl_priv_login(cli, WL_ROLE_STAFF, &st, &u))) return ex;
    wl_central_t *c;
    wl_err_t err;
    wl_rc rc = wl_central_open(cli->db_path, false, &c, &err);
    if (rc) {
        wl_store_close(st);
        return wl_cli_fail(rc, &err);
    }
    json_t *j = NULL;
    if (strcmp(cmd, "list") == 0) ex = list(cli, st, c, &o);
    else if (strcmp(cmd, "show") == 0) ex = show_or_pull(cli, st, &u, c, &o, argc, argv, false);
    else if (strcmp(cmd, "pull") == 0) ex = show_or_pull(cli, st, &u, c, &o, argc, argv, true);
    else if (strcmp(cmd, "kiosks") == 0) {
        if ((rc = wl_central_kiosk_list(c, &j, &err))) ex = wl_cli_fail(rc, &err);
        else wl_cli_print_json(j);
    } else {
        if ((rc = wl_central_events(c, !o.all, &j, &err))) ex = wl_cli_fail(rc, &err);
        else wl_cli_print_json(j);
    }
    json_decref(j);
    wl_central_close(c);
    wl_store_close(st);
    return ex;
}
