/* wijkloket-staff against the central PostgreSQL store (--db postgresql://...): list the
 * intakes of every kiosk, show or pull them opened with the staff secret key on this machine,
 * kiosks and their events, the portal's minima counts. The server itself never holds the secret key. */
#include "wijkloket/central.h"
#include "cli.h"
#include "staff_central.h"
#include "wijkloket/seal.h"

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
                   strcmp(cmd, "kiosks") == 0 || strcmp(cmd, "events") == 0 || strcmp(cmd, "minima-counts") == 0);
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

static int list(const struct wl_cli *cli, wl_central_t *c, copts_t *o)
{
    json_t *a;
    wl_err_t err;
    /* Flag what is not genuine; without the server's public key here, say the list is unchecked. */
    if (load_origin_pk(cli, o, &err) == WL_OK) o->f.origin_pk = o->origin_pk;
    else fprintf(stderr, "wijkloket-staff: origins not checked: %s\n", err.msg);
    wl_rc rc = wl_central_intake_list(c, &o->f, &a, &err);
    if (rc) return wl_cli_fail(rc, &err);
    if (o->json) {
        wl_cli_print_json(a);
    } else {
        printf("%-11s  %-7s  %-16s  %-26s  %-16s  %-16s  %s\n", "REF", "CHANNEL", "KIOSK", "LOCATION", "COMPLETED",
               "RECEIVED", "ORIGIN");
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            char done[32], got[32];
            fmt_time(json_integer_value(json_object_get(v, "completed_at")), done, sizeof done);
            fmt_time(json_integer_value(json_object_get(v, "received_at")), got, sizeof got);
            const char *kiosk = json_string_value(json_object_get(v, "kiosk"));
            const char *origin = json_string_value(json_object_get(v, "origin"));
            printf("%-11s  %-7s  %-16s  %-26s  %-16s  %-16s  %s\n", json_string_value(json_object_get(v, "ref")),
                   json_string_value(json_object_get(v, "channel")), kiosk ? kiosk : "-",
                   json_string_value(json_object_get(v, "location")), done, got,
                   !origin ? "unchecked" : strcmp(origin, "proven") == 0 ? "ok" : strcmp(origin, "not genuine") == 0
                                                                                   ? "NOT GENUINE" : origin);
        }
        printf("%zu intake(s)\n", json_array_size(a));
    }
    json_decref(a);
    return WL_EXIT_OK;
}

static int show_or_pull(const struct wl_cli *cli, wl_central_t *c, copts_t *o, int argc, char **argv,
                        bool pull)
{
    if (!pull && optind >= argc) return wl_cli_usage("--db postgresql://... show REF [--keys DIR] [--server-key FILE] [--unproven]");
    if (pull && !o->out) return wl_cli_usage("--db postgresql://... pull --out DIR [--location L] [--kiosk K] [--keys DIR] [--server-key FILE] [--unproven]");
    wl_err_t err;
    /* Nothing is opened whose origin cannot be checked. */
    if (load_origin_pk(cli, o, &err)) {
        fprintf(stderr, "wijkloket-staff: cannot check where records come from: %s\n", err.msg);
        return WL_EXIT_FAIL;
    }
    wl_seal_secret_t *sk;
    int ex = open_secret(cli, o, &sk);
    if (ex) return ex;
    json_t *refs = NULL;
    if (pull) {
        wl_rc rc = wl_central_intake_list(c, &o->f, &refs, &err);
        if (rc) {
            wl_seal_secret_free(sk);
            return wl_cli_fail(rc, &err);
        }
        if (mkdir(o->out, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "wijkloket-staff: cannot make %s: %s\n", o->out, strerror(errno));
            json_decref(refs);
            wl_seal_secret_free(sk);
            return WL_EXIT_IO;
        }
    } else {
        refs = json_pack("[{s:s}]", "ref", argv[optind]);
    }
    size_t i, done = 0;
    json_t *v;
    ex = WL_EXIT_OK;
    json_array_foreach(refs, i, v) {
        const char *ref = json_string_value(json_object_get(v, "ref"));
        json_t *rec;
        wl_rc rc = open_record(c, sk, o, ref, &rec, &err);
        if (rc == WL_ERR_AUTH) {
            /* Not genuine, or unproven without --unproven: said plainly, never opened; pull
             * goes on with the others and fails at the end. */
            fprintf(stderr, "wijkloket-staff: %s\n", err.msg);
            ex = WL_EXIT_FAIL;
            if (pull) continue;
            break;
        }
        if (rc) {
            ex = wl_cli_fail(rc, &err);
            break;
        }
        if (!pull) {
            wl_cli_print_json(rec);
        } else {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.json", o->out, ref);
            int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            char *text = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            bool ok = fd >= 0 && text && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
            if (text) sodium_memzero(text, strlen(text));
            free(text);
            if (fd >= 0 && close(fd) != 0) ok = false;
            if (!ok) {
                fprintf(stderr, "wijkloket-staff: cannot write %s\n", path);
                json_decref(rec);
                ex = WL_EXIT_IO;
                break;
            }
            done++;
        }
        json_decref(rec);
    }
    if (pull && (ex == WL_EXIT_OK || ex == WL_EXIT_FAIL))
        printf("%zu intake(s) opened and written to %s (mode 0600)%s\n", done, o->out,
               ex ? "; the others named above were not opened" : "");
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
    bool known = strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0 || strcmp(cmd, "pull") == 0 ||
                 strcmp(cmd, "kiosks") == 0 || strcmp(cmd, "events") == 0 || strcmp(cmd, "minima-counts") == 0;
    if (!known) {
        fprintf(stderr,
                "wijkloket-staff: with --db postgresql://... the commands are list, show REF, pull --out DIR, "
                "kiosks, events and minima-counts FROM TO (the others work on a kiosk's SQLite file); '%s' is not one of "
                "them\n",
                cmd);
        return WL_EXIT_USAGE;
    }
    wl_central_t *c;
    wl_err_t err;
    wl_rc rc = wl_central_open(cli->db_path, false, &c, &err);
    if (rc) return wl_cli_fail(rc, &err);
    json_t *j = NULL;
    if (strcmp(cmd, "list") == 0) ex = list(cli, c, &o);
    else if (strcmp(cmd, "show") == 0) ex = show_or_pull(cli, c, &o, argc, argv, false);
    else if (strcmp(cmd, "pull") == 0) ex = show_or_pull(cli, c, &o, argc, argv, true);
    else if (strcmp(cmd, "minima-counts") == 0) {
        /* The portal's anonymous minima figures, in the same rows as the kiosk's command. */
        if (argc - optind != 2) {
            fprintf(stderr, "wijkloket-staff: usage: --db postgresql://... minima-counts FROM TO (YYYY-MM-DD)\n");
            ex = WL_EXIT_USAGE;
        } else if ((rc = wl_central_minima_counts(c, argv[optind], argv[optind + 1], &j, NULL, &err))) {
            ex = wl_cli_fail(rc, &err);
        } else {
            wl_cli_print_json(j);
        }
    } else if (strcmp(cmd, "kiosks") == 0) {
        if ((rc = wl_central_kiosk_list(c, &j, &err))) ex = wl_cli_fail(rc, &err);
        else wl_cli_print_json(j);
    } else {
        if ((rc = wl_central_events(c, !o.all, &j, &err))) ex = wl_cli_fail(rc, &err);
        else wl_cli_print_json(j);
    }
    json_decref(j);
    wl_central_close(c);
    return ex;
}
