/* `export --format csv|json`: opened intakes for the case system; CSV made for Excel and LibreOffice in Dutch. */
#include "cmd_privacy.h"
#include "wijkloket/questionnaire.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

static const char *USAGE =
    "export --format csv|json [--out FILE] [--location L] [--from D] [--to D] [--status S] [--route R]\n"
    "       [--keys DIR] [--passphrase-file FILE]";

/* Clear columns first, in this order, then personal and other answers in questionnaire order. */
static const char *const CLEAR_COLS[] = {"ref", "day", "location", "kiosk", "language", "assisted_by", "status",
                                         "route", "kik_status", "signals", "urgent", "regie", "pulled_by",
                                         "pulled_at", "decided_route"};
#define N_CLEAR (sizeof CLEAR_COLS / sizeof CLEAR_COLS[0])

typedef struct {
    FILE *out;
    bool csv;
    const wl_questionnaire_t *q;
    int64_t n, with_problems;
} export_ctx_t;

/* One CSV field: always quoted (so ; , newlines and quotes are safe), quotes doubled, and
 * text a spreadsheet would run as a formula (= + - @ at the start) prefixed with ' so a
 * typed name can never become a formula on a staff PC (CSV injection). */
static void csv_field(FILE *f, const char *s, bool first)
{
    if (!first) fputc(';', f);
    fputc('"', f);
    if (s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        fputc('\'', f);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* Text form of a JSON value for a cell: strings as is, arrays joined with ", ". */
static char *cell_text(const json_t *v)
{
    if (!v || json_is_null(v)) return strdup("");
    if (json_is_string(v)) return strdup(json_string_value(v));
    if (json_is_true(v)) return strdup("ja");
    if (json_is_false(v)) return strdup("nee");
    if (json_is_array(v)) {
        size_t i, len = 1;
        const json_t *e;
        json_array_foreach(v, i, e) len += (json_is_string(e) ? json_string_length(e) : 32) + 2;
        char *s = calloc(1, len);
        if (!s) return NULL;
        json_array_foreach(v, i, e) {
            if (i) strcat(s, ", ");
            if (json_is_string(e)) strcat(s, json_string_value(e));
            else {
                char *d = json_dumps(e, JSON_ENCODE_ANY | JSON_COMPACT);
                if (d) strncat(s, d, 31);
                free(d);
            }
        }
        return s;
    }
    if (json_is_integer(v)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return strdup(buf);
    }
    if (json_is_real(v)) {
        /* Dutch spreadsheets read a decimal comma. */
        char buf[64];
        snprintf(buf, sizeof buf, "%g", json_real_value(v));
        char *dot = strchr(buf, '.');
        if (dot) *dot = ',';
        return strdup(buf);
    }
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

static void put_cell(FILE *f, const json_t *v, bool first)
{
    char *s = cell_text(v);
    csv_field(f, s ? s : "", first);
    free(s);
}

static void csv_header(export_ctx_t *c)
{
    /* UTF-8 byte order mark: without it Excel reads the file as Windows-1252 and "ë" breaks. */
    fputs("\xEF\xBB\xBF", c->out);
    for (size_t i = 0; i < N_CLEAR; i++) csv_field(c->out, CLEAR_COLS[i], i == 0);
    if (c->q) {
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < c->q->n_questions; i++)
                if (c->q->questions[i].personal == (pass == 0)) csv_field(c->out, c->q->questions[i].id, false);
    } else {
        csv_field(c->out, "personal_json", false);
        csv_field(c->out, "answers_json", false);
    }
    csv_field(c->out, "problems", false);
    fputs("\r\n", c->out);
}

/* One formatted record, made on a worker thread and written in order by emit_one. */
typedef struct {
    size_t len;
    bool problems;
    char text[];
} block_t;

/* Formats one record as a CSV row or a JSON line (on a worker thread: it touches only this
 * record and the read-only questionnaire). */
static void *format_one(void *vctx, json_t *r)
{
    const export_ctx_t *c = vctx;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return NULL;
    if (!c->csv) {
        json_object_del(r, "anonymised_at");
        json_dumpf(r, m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    } else {
        for (size_t i = 0; i < N_CLEAR; i++) {
            const json_t *v = json_object_get(r, CLEAR_COLS[i]);
            if (strcmp(CLEAR_COLS[i], "pulled_at") == 0 && json_is_integer(v)) {
                char t[20];
                csv_field(m, wl_priv_time(json_integer_value(v), t), false);
            } else {
                put_cell(m, v, i == 0);
            }
        }
        const json_t *pers = json_object_get(r, "personal"), *ans = json_object_get(r, "answers");
        if (c->q) {
            for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < c->q->n_questions; i++) {
                    const wl_question_t *qq = &c->q->questions[i];
                    if (qq->personal != (pass == 0)) continue;
                    put_cell(m, json_object_get(qq->personal ? pers : ans, qq->id), false);
                }
        } else {
            char *a = json_dumps(pers, JSON_COMPACT | JSON_ENCODE_ANY), *b = json_dumps(ans, JSON_COMPACT | JSON_ENCODE_ANY);
            csv_field(m, a ? a : "", false);
            csv_field(m, b ? b : "", false);
            free(a);
            free(b);
        }
        put_cell(m, json_object_get(r, "problems"), false);
        fputs("\r\n", m);
    }
    bool failed = ferror(m) != 0;
    if (fclose(m) != 0 || failed) {
        free(buf);
        return NULL;
    }
    block_t *blk = malloc(sizeof *blk + len);
    if (blk) {
        blk->len = len;
        blk->problems = json_array_size(json_object_get(r, "problems")) > 0;
        memcpy(blk->text, buf, len);
    }
    /* The formatted row holds opened personal data: wipe it before the memory is reused. */
    sodium_memzero(buf, len);
    free(buf);
    return blk;
}

static wl_rc emit_one(void *vctx, void *vblk, wl_err_t *err)
{
    export_ctx_t *c = vctx;
    block_t *blk = vblk;
    if (!blk) {
        wl_err_set(err, "out of memory while formatting the export");
        return WL_ERR_NOMEM;
    }
    if (!c->csv && c->n) fputs(",\n", c->out);
    size_t w = fwrite(blk->text, 1, blk->len, c->out);
    c->n++;
    if (blk->problems) c->with_problems++;
    sodium_memzero(blk->text, blk->len);
    size_t len = blk->len;
    free(blk);
    if (w != len || ferror(c->out)) {
        wl_err_set(err, "writing the export failed (disk full?)");
        return WL_ERR_IO;
    }
    return WL_OK;
}

static int cmd_export(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    const char *format = NULL, *out_path = NULL;
    static const struct option opts[] = {WL_PRIV_FILTER_OPTS, {"format", required_argument, NULL, 'F'},
                                         {"out", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'F') format = optarg;
        else if (c == 'o') out_path = optarg;
        else if (!wl_priv_common_opt(c, optarg, &o)) return wl_cli_usage(USAGE);
    }
    if (optind != argc || !format || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
        return wl_cli_usage(USAGE);
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login_filtered(cli, &o.filter, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    wl_rc rc;
    wl_seal_secret_t *sk = NULL;
    wl_questionnaire_t *q = NULL;
    export_ctx_t ctx = {stdout, strcmp(format, "csv") == 0, NULL, 0, 0};
    ex = wl_priv_open_secret(cli, &o, &sk);
    if (ex != WL_EXIT_OK) goto done;
    if (out_path) {
        /* A new file, owner-only from the first byte, never through a symlink: an export holds
         * everything the seal protected. An existing file would keep its own (perhaps
         * world-readable) mode, and a planted symlink would send the export elsewhere. */
        int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        int open_errno = errno;
        ctx.out = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!ctx.out) {
            if (fd >= 0) close(fd);
            if (open_errno == EEXIST) {
                fprintf(stderr, "wijkloket-staff: %s already exists; an export never overwrites a file (it would keep "
                                "that file's permissions): choose a new name or remove it first\n",
                        out_path);
                ex = WL_EXIT_CONFLICT;
            } else {
                fprintf(stderr, "wijkloket-staff: cannot write %s: %s\n", out_path, strerror(open_errno));
                ex = WL_EXIT_IO;
            }
            goto done;
        }
    }
    char detail[400], filt[300];
    wl_priv_filter_text(&o.filter, filt, sizeof filt);
    snprintf(detail, sizeof detail, "format=%s %s%s%s", format, filt, out_path ? " out=" : "", out_path ? out_path : "");
    ex = wl_priv_audit(st, cli, "export", NULL, detail);
    if (ex != WL_EXIT_OK) goto done;
    if (ctx.csv) {
        char qpath[4200];
        wl_cli_asset(cli, "questionnaires/entreevragenlijst.json", qpath, sizeof qpath);
        if (wl_questionnaire_load(qpath, &q, &err) != WL_OK)
            fprintf(stderr, "wijkloket-staff: note: %s; answers go into JSON columns\n", err.msg);
        ctx.q = q;
        csv_header(&ctx);
    } else {
        fputs("[\n", ctx.out);
    }
    rc = wl_case_each_mapped(st, sk, &o.filter, format_one, emit_one, &ctx, &err);
    if (!ctx.csv) fputs("\n]\n", ctx.out);
    if (fflush(ctx.out) != 0 && rc == WL_OK) {
        wl_err_set(&err, "writing the export failed (disk full?)");
        rc = WL_ERR_IO;
    }
    if (rc != WL_OK) {
        ex = wl_cli_fail(rc, &err);
        goto done;
    }
    fprintf(stderr, "Exported %lld intake%s", (long long)ctx.n, ctx.n == 1 ? "" : "s");
    if (ctx.with_problems) {
        fprintf(stderr, "; %lld could not be opened completely (see the problems column)", (long long)ctx.with_problems);
        ex = WL_EXIT_FAIL;
    }
    fprintf(stderr, ".\n");
done:
    if (ctx.out && ctx.out != stdout) fclose(ctx.out);
    wl_questionnaire_free(q);
    wl_seal_secret_free(sk);
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(export, cmd_export, "export opened intakes as CSV (Excel/LibreOffice, UTF-8) or JSON (audited)",
               "export --format csv|json [--out FILE] [filters]")
