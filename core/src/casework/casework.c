/* Staff work on stored intakes: day list, opening sealed parts in parallel batches, pull and decide. */
#include "wijkloket/casework.h"
#include "wijkloket/audit.h"
#include "wijkloket/origin.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/refcode.h"
#include "store/store_sql.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 512
#define MAX_THREADS 4
#define PARTS 3 /* answers, personal, sealed result detail */

static const char *const part_names[PARTS] = {"answers", "personal", "result"};

bool wl_case_route_valid(const char *s)
{
    return s && (strcmp(s, "zelfdoener") == 0 || strcmp(s, "klantondersteuning") == 0 ||
                 strcmp(s, "participatie") == 0);
}

wl_rc wl_case_filter_check(const wl_case_filter_t *f, wl_err_t *err)
{
    if (!f) return WL_OK;
    if (f->from && !wl_date_parse(f->from, NULL, NULL, NULL)) {
        wl_err_set(err, "--from '%s' is not a date (YYYY-MM-DD)", f->from);
        return WL_ERR_INVALID;
    }
    if (f->to && !wl_date_parse(f->to, NULL, NULL, NULL)) {
        wl_err_set(err, "--to '%s' is not a date (YYYY-MM-DD)", f->to);
        return WL_ERR_INVALID;
    }
    if (f->from && f->to && strcmp(f->from, f->to) > 0) {
        wl_err_set(err, "--from %s is after --to %s", f->from, f->to);
        return WL_ERR_INVALID;
    }
    if (f->status && strcmp(f->status, "completed") != 0 && strcmp(f->status, "abandoned") != 0 &&
        strcmp(f->status, "pulled") != 0 && strcmp(f->status, "not_pulled") != 0) {
        wl_err_set(err, "--status '%s' is not one of completed, abandoned, pulled, not_pulled", f->status);
        return WL_ERR_INVALID;
    }
    if (f->route && !wl_case_route_valid(f->route)) {
        wl_err_set(err, "--route '%s' is not one of zelfdoener, klantondersteuning, participatie", f->route);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

/* The one query behind lists, show and export; ?6 selects a single reference. The day is
 * spelled out in WHERE too: PostgreSQL does not see output names there. */
#define DAY_EXPR "date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime')"
static const char *const LIST_SQL =
    "SELECT i.ref, i.location, i.kiosk, i.language, i.assisted_by, i.started_at, i.completed_at,"
    " i.status, i.route, i.result, i.pulled_by, i.pulled_at,"
    " (SELECT d.route FROM decisions d WHERE d.ref = i.ref ORDER BY d.id DESC LIMIT 1),"
    " " DAY_EXPR " AS day, i.anonymised_at,"
    " i.channel"
    " FROM intakes i"
    " WHERE (?1 IS NULL OR i.location = ?1) AND (?2 IS NULL OR " DAY_EXPR " >= ?2)"
    "  AND (?3 IS NULL OR " DAY_EXPR " <= ?3)"
    "  AND (?4 IS NULL OR (?4 = 'completed' AND i.status = 'completed')"
    "   OR (?4 = 'abandoned' AND i.status = 'abandoned') OR (?4 = 'pulled' AND i.pulled_at IS NOT NULL)"
    "   OR (?4 = 'not_pulled' AND i.status = 'completed' AND i.pulled_at IS NULL))"
    "  AND (?5 IS NULL OR i.route = ?5) AND (?6 IS NULL OR i.ref = ?6)"
    " ORDER BY COALESCE(i.completed_at, i.started_at), i.ref";

static void bind_filter(wl_stmt_t *s, const wl_case_filter_t *f, const char *ref)
{
    const char *v[6] = {f ? f->location : NULL, f ? f->from : NULL, f ? f->to : NULL, f ? f->status : NULL,
                        f ? f->route : NULL, ref};
    for (int i = 0; i < 6; i++) {
        wl_stmt_text(s, i + 1, v[i]); /* NULL binds SQL NULL */
    }
}

static json_t *col_text(wl_stmt_t *s, int c)
{
    const char *v = wl_stmt_col_text(s, c);
    return v ? json_string(v) : json_null();
}

static json_t *col_int(wl_stmt_t *s, int c)
{
    return wl_stmt_col_null(s, c) ? json_null() : json_integer(wl_stmt_col_int(s, c));
}

/* One LIST_SQL column copied out of SQLite, so a worker thread can build the JSON. */
#define N_COLS 16
typedef struct {
    bool null;
    int64_t i;
    char *s;
} cell_t;

static bool copy_cells(wl_stmt_t *s, cell_t *c)
{
    for (int k = 0; k < N_COLS; k++) {
        c[k].null = wl_stmt_col_null(s, k);
        c[k].i = wl_stmt_col_int(s, k);
        c[k].s = NULL;
        if (c[k].null || k == 5 || k == 6 || k == 11 || k == 14) continue;
        const char *t = wl_stmt_col_text(s, k);
        if (t && !(c[k].s = strdup(t))) return false;
    }
    return true;
}

static void free_cells(cell_t *c)
{
    for (int k = 0; k < N_COLS; k++) {
        free(c[k].s);
        c[k].s = NULL;
    }
}

static json_t *cell_text(const cell_t *c)
{
    return c->null || !c->s ? json_null() : json_string(c->s);
}

static json_t *cell_int(const cell_t *c)
{
    return c->null ? json_null() : json_integer(c->i);
}

/* The clear fields of a LIST_SQL row except those inside the result, which get
 * placeholders in their final key order (apply_result fills them). */
static json_t *clear_row_base(const cell_t *c)
{
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "ref", cell_text(&c[0]));
    json_object_set_new(o, "location", cell_text(&c[1]));
    json_object_set_new(o, "kiosk", cell_text(&c[2]));
    json_object_set_new(o, "channel", cell_text(&c[15]));
    json_object_set_new(o, "language", cell_text(&c[3]));
    json_object_set_new(o, "assisted_by", cell_text(&c[4]));
    json_object_set_new(o, "day", cell_text(&c[13]));
    json_object_set_new(o, "started_at", cell_int(&c[5]));
    json_object_set_new(o, "completed_at", cell_int(&c[6]));
    json_object_set_new(o, "status", cell_text(&c[7]));
    json_object_set_new(o, "route", cell_text(&c[8]));
    json_object_set_new(o, "kik_status", json_null());
    json_object_set_new(o, "signals", json_array());
    json_object_set_new(o, "urgent", json_array());
    json_object_set_new(o, "regie", json_null());
    json_object_set_new(o, "pulled_by", cell_text(&c[10]));
    json_object_set_new(o, "pulled_at", cell_int(&c[11]));
    json_object_set_new(o, "decided_route", cell_text(&c[12]));
    json_object_set_new(o, "anonymised_at", cell_int(&c[14]));
    return o;
}

/* Parses the stored clear result text into the record's kik_status, signals, urgent and
 * regie; returns the parsed clear result (new reference) or NULL. */
static json_t *apply_result(json_t *o, const char *text)
{
    json_t *r = text ? wl_seal_read_json(text, strlen(text)) : NULL;
    if (!r) return NULL;
    json_t *kik = json_object_get(r, "kik_status");
    const json_t *p = json_object_get(r, "participatie");
    if (!json_is_string(kik) && json_is_object(p)) kik = json_object_get(p, "kik_status");
    if (json_is_string(kik)) json_object_set_new(o, "kik_status", json_copy(kik));
    json_t *sig = json_object_get(o, "signals"), *urgent = json_object_get(o, "urgent");
    size_t i;
    const json_t *one;
    json_array_foreach(json_object_get(r, "signals"), i, one) {
        const char *id = json_string_value(json_object_get(one, "id"));
        if (!id) continue;
        json_array_append_new(sig, json_string(id));
        if (json_is_true(json_object_get(one, "urgent"))) json_array_append_new(urgent, json_string(id));
    }
    json_t *regie = json_object_get(r, "regie");
    if (json_is_string(regie)) json_object_set_new(o, "regie", json_copy(regie));
    return r;
}

/* The whole clear day-list object from a LIST_SQL row. */
static json_t *clear_row(wl_stmt_t *s)
{
    cell_t c[N_COLS];
    json_t *o = copy_cells(s, c) ? clear_row_base(c) : NULL;
    if (o) json_decref(apply_result(o, c[9].s));
    free_cells(c);
    return o;
}

wl_rc wl_case_list(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_rc rc = wl_case_filter_check(f, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s = NULL;
    if ((rc = wl_stmt_prepare(st, LIST_SQL, &s, err)) != WL_OK) return rc;
    bind_filter(s, f, NULL);
    json_t *arr = json_array();
    int r;
    while ((r = wl_stmt_step(s)) == WL_ROW) {
        json_t *o = clear_row(s);
        if (!o || json_array_append_new(arr, o) != 0) {
            r = SQLITE_NOMEM;
            break;
        }
    }
    if (r != WL_DONE) {
        rc = wl_store_step_error(st, r, "listing intakes", err);
        json_decref(arr);
    } else {
        *out = arr;
    }
    wl_stmt_finalize(s);
    return rc;
}

/* ---- opening in batches ------------------------------------------------------------- */

/* The calling thread reads a batch of rows from SQLite (which it alone touches), copying the
 * bytes; a pool of worker threads then does everything per record that needs no database:
 * parse the clear result, open sealed parts, build the record and, for wl_case_each_mapped,
 * format it and free the record again. Two batches are in flight: while the workers open
 * one, the calling thread hands on the previous one in order and reads the next, so reading,
 * opening and writing overlap instead of taking turns. */

typedef struct {
    cell_t cells[N_COLS];        /* the row, copied by the reading thread */
    json_t *problems;            /* found while reading (sealed without a key, reasons) */
    json_t *decisions;
    json_t *rec;                 /* built by a worker from cells; opened parts are added */
    json_t *clear_result;
    unsigned char *blob[PARTS];  /* bytes to open or parse (malloc'd) or NULL */
    size_t len[PARTS];
    bool is_clear[PARTS];        /* stored as clear JSON (a store without a seal key) */
    json_t *opened[PARTS];       /* filled by a worker */
    char problem[PARTS][600];    /* filled by a worker */
    bool built;                  /* the worker could build the record (false: out of memory) */
    bool own_seal;               /* central, no delivery behind it: parts carry the install-key MAC */
    void *mapped;                /* the map function's result */
} item_t;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;         /* workers: a batch was submitted, or quit */
    pthread_cond_t idle;         /* the caller: the batch is done */
    item_t *items;
    size_t n, next, done;        /* under lock */
    bool quit;
    int threads;                 /* started workers; 0: the caller works alone */
    pthread_t tid[MAX_THREADS];
    const wl_seal_secret_t *sk;
    const unsigned char *ikey;   /* the database's install key (binds and authenticates parts) */
    bool delivered;              /* central (PostgreSQL): parts came by signed delivery (seal.h) */
    wl_case_map_fn map;
    void *ctx;
} pool_t;

/* Moves the opened parts into the record and lists what did not open. */
static void finish_item(item_t *it)
{
    json_t *problems = json_object_get(it->rec, "problems");
    for (int p = 0; p < PARTS; p++) {
        if (it->problem[p][0]) json_array_append_new(problems, json_string(it->problem[p]));
        if (p < 2) json_object_set(it->rec, part_names[p], it->opened[p] ? it->opened[p] : json_null());
    }
    if (it->opened[2]) json_object_set(it->rec, "result", it->opened[2]);
    else json_object_set(it->rec, "result", it->clear_result ? it->clear_result : json_null());
}

/* Frees what an item holds except the map result (which the caller hands to emit). */
static void item_release(item_t *it)
{
    free_cells(it->cells);
    json_decref(it->problems);
    json_decref(it->decisions);
    json_decref(it->rec);
    json_decref(it->clear_result);
    it->problems = it->decisions = it->rec = it->clear_result = NULL;
    for (int p = 0; p < PARTS; p++) {
        free(it->blob[p]);
        json_decref(it->opened[p]);
        it->blob[p] = NULL;
        it->opened[p] = NULL;
    }
}

static void item_clear(item_t *it)
{
    item_release(it);
    free(it->mapped);
    memset(it, 0, sizeof *it);
}

static void work_item(const pool_t *b, item_t *it)
{
    it->rec = clear_row_base(it->cells);
    if (!it->rec) return; /* out of memory: the record is reported missing by the caller */
    it->built = true;
    json_object_set(it->rec, "problems", it->problems);
    json_object_set(it->rec, "decisions", it->decisions);
    it->clear_result = apply_result(it->rec, it->cells[9].s);
    for (int p = 0; p < PARTS; p++) {
        if (!it->blob[p]) continue;
        if (it->is_clear[p]) {
            it->opened[p] = wl_seal_read_json((const char *)it->blob[p], it->len[p]);
            if (!it->opened[p])
                snprintf(it->problem[p], sizeof it->problem[p], "%s: stored clear JSON is damaged", part_names[p]);
            continue;
        }
        wl_err_t e = {{0}};
        bool legacy = false;
        /* On the central database the parts were sealed on a kiosk (or the server's portal)
         * with that installation's key, which never leaves it: they open with record and kind
         * bound, their origin proven by the server's signature (check_origin dropped any part
         * that is not the signed one). */
        bool delivered = b->delivered && !it->own_seal;
        wl_seal_bind_t bind = {it->cells[0].s, part_names[p], delivered ? NULL : b->ikey, delivered};
        if (wl_seal_open(b->sk, it->blob[p], it->len[p], &bind, &it->opened[p], &legacy, &e) != WL_OK)
            snprintf(it->problem[p], sizeof it->problem[p], "%s: %s", part_names[p], e.msg);
        else if (legacy)
            snprintf(it->problem[p], sizeof it->problem[p],
                     "%s: sealed in an old format that is not bound to this record and not signed; it is shown, "
                     "but who wrote it cannot be checked",
                     part_names[p]);
    }
    finish_item(it);
    if (b->map) {
        it->mapped = b->map(b->ctx, it->rec);
        /* The opened record is no longer needed: free it here, on the worker, rather than
         * serially in the calling thread. */
        item_release(it);
    }
}

static void *pool_worker(void *arg)
{
    pool_t *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->next >= p->n) pthread_cond_wait(&p->wake, &p->lock);
        if (p->quit) break;
        item_t *it = &p->items[p->next++];
        pthread_mutex_unlock(&p->lock);
        work_item(p, it);
        pthread_mutex_lock(&p->lock);
        if (++p->done == p->n) pthread_cond_signal(&p->idle);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Starts the workers: one per core (at most MAX_THREADS), none for a single record. When no
 * thread can be started the caller does the work itself in pool_wait. */
static void pool_start(pool_t *p, const wl_seal_secret_t *sk, wl_case_map_fn map, void *ctx, bool single)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->sk = sk;
    p->map = map;
    p->ctx = ctx;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int want = single ? 0 : cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
    for (int t = 0; t < want; t++)
        if (pthread_create(&p->tid[p->threads], NULL, pool_worker, p) == 0) p->threads++;
}

static void pool_submit(pool_t *p, item_t *items, size_t n)
{
    pthread_mutex_lock(&p->lock);
    p->items = items;
    p->n = n;
    p->next = 0;
    p->done = 0;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

/* Returns when every item of the submitted batch is done. */
static void pool_wait(pool_t *p)
{
    if (p->threads == 0) {
        for (; p->next < p->n; p->next++, p->done++) work_item(p, &p->items[p->next]);
        return;
    }
    pthread_mutex_lock(&p->lock);
    while (p->done < p->n) pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

static void pool_stop(pool_t *p)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int t = 0; t < p->threads; t++) pthread_join(p->tid[t], NULL);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->lock);
}

/* Copies the intake_data rows of one record into the item for a worker. */
static wl_rc load_parts(wl_store_t *st, wl_stmt_t *data, wl_stmt_t *detail, const wl_seal_secret_t *sk, item_t *it,
                        wl_err_t *err)
{
    const char *ref = it->cells[0].s;
    json_t *problems = it->problems;
    wl_stmt_reset(data);
    wl_stmt_text(data, 1, ref);
    int r;
    while ((r = wl_stmt_step(data)) == WL_ROW) {
        const char *kind = wl_stmt_col_text(data, 0);
        const char *enc = wl_stmt_col_text(data, 1);
        const void *b = wl_stmt_col_blob(data, 2);
        size_t n = (size_t)wl_stmt_col_bytes(data, 2);
        int p = kind && strcmp(kind, "personal") == 0 ? 1 : 0;
        bool clear = enc && strcmp(enc, "json") == 0;
        if (!clear && !sk) {
            json_array_append_new(problems, json_sprintf("%s: sealed; open it with the secret key", part_names[p]));
            continue;
        }
        free(it->blob[p]);
        if (!(it->blob[p] = malloc(n ? n : 1))) {
            wl_err_set(err, "out of memory while reading intake %s", ref);
            return WL_ERR_NOMEM;
        }
        if (n) memcpy(it->blob[p], b, n);
        it->len[p] = n;
        it->is_clear[p] = clear;
    }
    if (r != WL_DONE) return wl_store_step_error(st, r, "reading sealed answers", err);
    if (!detail || !sk) return WL_OK;
    /* The sealed full result, only when asked for (show): exports do not need it. */
    wl_stmt_reset(detail);
    wl_stmt_text(detail, 1, ref);
    r = wl_stmt_step(detail);
    if (r == WL_ROW) {
        size_t n = (size_t)wl_stmt_col_bytes(detail, 0);
        if (!(it->blob[2] = malloc(n ? n : 1))) {
            wl_err_set(err, "out of memory while reading intake %s", ref);
            return WL_ERR_NOMEM;
        }
        if (n) memcpy(it->blob[2], wl_stmt_col_blob(detail, 0), n);
        it->len[2] = n;
    } else if (r != WL_DONE) {
        return wl_store_step_error(st, r, "reading the sealed result", err);
    }
    return WL_OK;
}

/* Decisions with their reasons opened (few per record, so done here, not in workers). */
static wl_rc load_decisions(wl_store_t *st, wl_stmt_t *dec, const wl_seal_secret_t *sk, item_t *it, wl_err_t *err)
{
    const char *ref = it->cells[0].s;
    json_t *arr = it->decisions;
    wl_stmt_reset(dec);
    wl_stmt_text(dec, 1, ref);
    int r;
    while ((r = wl_stmt_step(dec)) == WL_ROW) {
        json_t *d = json_pack("{s:o, s:o, s:o, s:o}", "route", col_text(dec, 0), "advised_route", col_text(dec, 1),
                              "decided_by", col_text(dec, 3), "decided_at", col_int(dec, 4));
        json_t *reason = json_null();
        const void *b = wl_stmt_col_blob(dec, 2);
        size_t n = (size_t)wl_stmt_col_bytes(dec, 2);
        if (b && sk) {
            wl_err_t e = {{0}};
            json_t *v = NULL;
            bool legacy = false;
            wl_seal_bind_t bind = {ref, "reason", wl_store_install_key(st), false};
            if (wl_seal_open(sk, b, n, &bind, &v, &legacy, &e) == WL_OK) {
                json_decref(reason);
                reason = v;
                if (legacy)
                    json_array_append_new(it->problems, json_string("decision reason: sealed in an old format that "
                                                                    "is not bound to this record; who wrote it "
                                                                    "cannot be checked"));
            } else {
                json_array_append_new(it->problems, json_sprintf("decision reason: %s", e.msg));
            }
        }
        json_object_set_new(d, "reason", reason);
        json_array_append_new(arr, d);
    }
    if (r != WL_DONE) return wl_store_step_error(st, r, "reading decisions", err);
    return WL_OK;
}

typedef struct {
    wl_store_t *st;
    const wl_seal_secret_t *sk;
    wl_stmt_t *list, *data, *dec, *detail;
    wl_stmt_t *origin;           /* central: the delivered record and its signature (public.intakes) */
    bool more;                   /* the list query may have rows left */
} reader_t;

/* True when blob (n bytes) is the base64 "data" of part name in the signed record rec. */
static bool same_part(const json_t *rec, const char *name, const unsigned char *blob, size_t n)
{
    const char *b64 = json_string_value(json_object_get(json_object_get(rec, name), "data"));
    if (!b64) return false;
    size_t bl = strlen(b64), got = 0;
    unsigned char *bin = malloc(bl + 1);
    bool same = bin && sodium_base642bin(bin, bl + 1, b64, bl, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
                got == n && sodium_memcmp(bin, blob, n) == 0;
    free(bin);
    return same;
}

/* On the central store: the parts filed in wl_store.* are copies a database writer could
 * change. They are opened only when the record the server signed (public.intakes) holds its
 * signature and carries exactly these parts; otherwise they are dropped with a problem. */
static wl_rc check_origin(reader_t *rd, item_t *it, wl_err_t *err)
{
    const char *ref = it->cells[0].s;
    const unsigned char *pk = wl_store_origin_public(rd->st);
    const char *why = NULL;
    json_t *rec = NULL;
    wl_stmt_reset(rd->origin);
    wl_stmt_text(rd->origin, 1, ref);
    int r = wl_stmt_step(rd->origin);
    if (r != WL_ROW && r != WL_DONE) return wl_store_step_error(rd->st, r, "reading the delivered record", err);
    if (r == WL_DONE) {
        /* Saved through the store on this database (sealed in C, MACed with the central
         * install key): its parts open only when that MAC holds (work_item). */
        it->own_seal = true;
        return WL_OK;
    }
    if (!pk) {
        why = "the server's origin public key is not on this machine (server-origin.pub, $WL_SERVER_KEY), so where "
              "the record comes from cannot be checked";
    } else if (wl_stmt_col_null(rd->origin, 5)) {
        why = "the delivered record carries no proof of origin (stored before schema 10, or written straight into "
              "the database)";
    } else {
        const unsigned char *raw = wl_stmt_col_blob(rd->origin, 6);
        size_t n = (size_t)wl_stmt_col_bytes(rd->origin, 6);
        unsigned char sha[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(sha, raw ? raw : (const unsigned char *)"", n);
        char text[600];
        int tl = wl_origin_record_text(text, sizeof text, ref, wl_stmt_col_text(rd->origin, 4),
                                       wl_stmt_col_text(rd->origin, 0), wl_stmt_col_text(rd->origin, 1),
                                       wl_stmt_col_int(rd->origin, 2), wl_stmt_col_int(rd->origin, 3), sha);
        const char *loc = wl_stmt_col_text(rd->origin, 1);
        if (!wl_origin_check(pk, text, tl, wl_stmt_col_blob(rd->origin, 5),
                             (size_t)wl_stmt_col_bytes(rd->origin, 5)))
            why = "the server's signature does not match the delivered record (made or changed in the database)";
        else if (!(rec = raw ? json_loadb((const char *)raw, n, 0, NULL) : NULL))
            why = "the signed record is not JSON";
        else if (!it->cells[1].s || !loc || strcmp(it->cells[1].s, loc) != 0)
            why = "its location differs from the signed record's (changed in the database)";
    }
    static const char *const signed_names[PARTS] = {"answers", "personal", "detail"};
    for (int p = 0; p < PARTS && !why; p++)
        if (it->blob[p] && !it->is_clear[p] && !same_part(rec, signed_names[p], it->blob[p], it->len[p]))
            why = "a sealed part differs from the one the server signed (changed in the database)";
    json_decref(rec);
    if (!why) return WL_OK;
    for (int p = 0; p < PARTS; p++) {
        free(it->blob[p]);
        it->blob[p] = NULL;
    }
    json_array_append_new(it->problems, json_sprintf("not genuine or not proven, not opened: %s", why));
    return WL_OK;
}

/* Reads up to BATCH rows with their sealed parts into items; *n gets how many. */
static wl_rc read_batch(reader_t *rd, item_t *items, size_t *n, wl_err_t *err)
{
    wl_rc rc = WL_OK;
    int r = WL_DONE;
    *n = 0;
    while (rc == WL_OK && *n < BATCH && (r = wl_stmt_step(rd->list)) == WL_ROW) {
        item_t *it = &items[(*n)++];
        it->problems = json_array();
        it->decisions = json_array();
        if (!copy_cells(rd->list, it->cells) || !it->problems || !it->decisions || !it->cells[0].s) {
            wl_err_set(err, "out of memory");
            return WL_ERR_NOMEM;
        }
        rc = load_parts(rd->st, rd->data, rd->detail, rd->sk, it, err);
        if (rc == WL_OK && rd->origin) rc = check_origin(rd, it, err);
        /* Most records have no decision; the list query already knows (decided_route). */
        if (rc == WL_OK && !wl_stmt_col_null(rd->list, 12))
            rc = load_decisions(rd->st, rd->dec, rd->sk, it, err);
    }
    if (rc == WL_OK && r != WL_ROW && r != WL_DONE) rc = wl_store_step_error(rd->st, r, "reading intakes", err);
    rd->more = rc == WL_OK && r == WL_ROW;
    return rc;
}

/* Hands one finished batch on in order (fn or emit) and clears it. After a failure the rest
 * is only freed. */
static wl_rc hand_on(item_t *items, size_t n, wl_rc rc, wl_case_each_fn fn, wl_case_emit_fn emit, void *ctx,
                     wl_err_t *err)
{
    for (size_t i = 0; i < n; i++) {
        if (rc == WL_OK && !items[i].built) {
            rc = WL_ERR_NOMEM;
            wl_err_set(err, "out of memory while opening records");
        }
        if (rc == WL_OK && fn) {
            rc = fn(ctx, items[i].rec, err);
        } else if (rc == WL_OK && emit) {
            void *m = items[i].mapped;
            items[i].mapped = NULL;
            rc = emit(ctx, m, err); /* emit owns m */
        }
        item_clear(&items[i]);
    }
    return rc;
}

static wl_rc walk(wl_store_t *st, const wl_seal_secret_t *sk, const wl_case_filter_t *f, const char *ref,
                  bool full_result, wl_case_each_fn fn, wl_case_map_fn map, wl_case_emit_fn emit, void *ctx,
                  wl_err_t *err)
{
    reader_t rd = {st, sk, NULL, NULL, NULL, NULL, NULL, true};
    item_t *items[2] = {calloc(BATCH, sizeof(item_t)), calloc(BATCH, sizeof(item_t))};
    wl_rc rc = items[0] && items[1] ? WL_OK : WL_ERR_NOMEM;
    if (rc != WL_OK) wl_err_set(err, "out of memory");
    if (rc == WL_OK) rc = wl_stmt_prepare(st, LIST_SQL, &rd.list, err);
    if (rc == WL_OK)
        rc = wl_stmt_prepare(st, "SELECT kind, encoding, payload FROM intake_data WHERE ref = ?1 ORDER BY kind",
                              &rd.data, err);
    if (rc == WL_OK)
        rc = wl_stmt_prepare(st,
                              "SELECT route, advised_route, reason, decided_by, decided_at FROM decisions"
                              " WHERE ref = ?1 ORDER BY id",
                              &rd.dec, err);
    if (rc == WL_OK && full_result)
        rc = wl_stmt_prepare(st, "SELECT payload FROM intake_detail WHERE ref = ?1", &rd.detail, err);
    /* Central: every record's parts are checked against the one the server signed. */
    if (rc == WL_OK && sk && wl_store_backend(st) == WL_BACKEND_PG)
        rc = wl_stmt_prepare(st,
                             "SELECT kiosk, location, completed_at, received_at, channel, origin_sig, record "
                             "FROM public.intakes WHERE ref = ?1",
                             &rd.origin, err);
    if (rc != WL_OK) goto done;
    bind_filter(rd.list, f, ref);
    /* A read transaction keeps the walk consistent while kiosks keep writing. */
    bool mine = wl_store_read_begin(st);
    pool_t pool;
    pool_start(&pool, sk, map, ctx, ref != NULL);
    pool.ikey = wl_store_install_key(st);
    pool.delivered = wl_store_backend(st) == WL_BACKEND_PG;
    size_t n[2] = {0, 0};
    int cur = 0;
    rc = read_batch(&rd, items[cur], &n[cur], err);
    pool_submit(&pool, items[cur], rc == WL_OK ? n[cur] : 0);
    while (n[cur] > 0) {
        int nxt = 1 - cur;
        /* Read the next batch while the workers open this one. */
        if (rc == WL_OK && rd.more) rc = read_batch(&rd, items[nxt], &n[nxt], err);
        pool_wait(&pool);
        if (rc == WL_OK) pool_submit(&pool, items[nxt], n[nxt]);
        /* Hand this batch on while the workers open the next. */
        rc = hand_on(items[cur], n[cur], rc, fn, emit, ctx, err);
        n[cur] = 0;
        if (rc != WL_OK) {
            /* Let the workers finish what they hold, then free it unused. */
            pool_wait(&pool);
            hand_on(items[nxt], n[nxt], rc, NULL, NULL, NULL, NULL);
            n[nxt] = 0;
        }
        cur = nxt;
    }
    pool_stop(&pool);
    if (mine) wl_store_read_end(st);
done:
    wl_stmt_finalize(rd.list);
    wl_stmt_finalize(rd.data);
    wl_stmt_finalize(rd.dec);
    wl_stmt_finalize(rd.detail);
    wl_stmt_finalize(rd.origin);
    for (int k = 0; k < 2; k++) {
        if (items[k])
            for (size_t i = 0; i < BATCH; i++) item_clear(&items[k][i]);
        free(items[k]);
    }
    return rc;
}

wl_rc wl_case_each(wl_store_t *st, const wl_seal_secret_t *sk, const wl_case_filter_t *f, wl_case_each_fn fn,
                   void *ctx, wl_err_t *err)
{
    wl_rc rc = wl_case_filter_check(f, err);
    if (rc != WL_OK) return rc;
    return walk(st, sk, f, NULL, false, fn, NULL, NULL, ctx, err);
}

wl_rc wl_case_each_mapped(wl_store_t *st, const wl_seal_secret_t *sk, const wl_case_filter_t *f, wl_case_map_fn map,
                          wl_case_emit_fn emit, void *ctx, wl_err_t *err)
{
    wl_rc rc = wl_case_filter_check(f, err);
    if (rc != WL_OK) return rc;
    return walk(st, sk, f, NULL, false, NULL, map, emit, ctx, err);
}

static wl_rc keep_one(void *ctx, json_t *record, wl_err_t *err)
{
    (void)err;
    json_t **out = ctx;
    *out = json_incref(record);
    return WL_OK;
}

/* Canonical form of what a person typed, or the input as is. */
static const char *canonical_ref(const char *ref, char buf[WL_REFCODE_BUFSZ])
{
    return wl_refcode_parse(ref, buf, NULL) == WL_OK ? buf : ref;
}

wl_rc wl_case_open(wl_store_t *st, const wl_seal_secret_t *sk, const char *ref, json_t **out, wl_err_t *err)
{
    *out = NULL;
    char canon[WL_REFCODE_BUFSZ];
    const char *key = canonical_ref(ref, canon);
    wl_rc rc = walk(st, sk, NULL, key, true, keep_one, NULL, NULL, out, err);
    if (rc == WL_OK && !*out) {
        wl_err_set(err, "no intake with reference %s", key);
        return WL_ERR_NOTFOUND;
    }
    return rc;
}

/* ---- pull and decide ---------------------------------------------------------------- */

/* Reads status, pulled_by, pulled_at and route of one record. */
static wl_rc read_state(wl_store_t *st, const char *ref, char status[16], char by[64], int64_t *at, char route[32],
                        wl_err_t *err)
{
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "SELECT status, pulled_by, pulled_at, route FROM intakes WHERE ref = ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, ref);
    int r = wl_stmt_step(s);
    if (r == WL_ROW) {
        snprintf(status, 16, "%s", wl_stmt_col_text(s, 0));
        const char *b = wl_stmt_col_text(s, 1);
        snprintf(by, 64, "%s", b ? b : "");
        *at = wl_stmt_col_int(s, 2);
        const char *ro = wl_stmt_col_text(s, 3);
        snprintf(route, 32, "%s", ro ? ro : "");
    } else if (r == WL_DONE) {
        wl_err_set(err, "no intake with reference %s", ref);
        rc = WL_ERR_NOTFOUND;
    } else {
        rc = wl_store_step_error(st, r, "reading an intake", err);
    }
    wl_stmt_finalize(s);
    return rc;
}

static wl_rc step_done(wl_store_t *st, wl_stmt_t *s, const char *what, wl_err_t *err)
{
    int r = wl_stmt_step(s);
    wl_stmt_finalize(s);
    return r == WL_DONE ? WL_OK : wl_store_step_error(st, r, what, err);
}

wl_rc wl_case_pull(wl_store_t *st, const char *ref_in, const char *by, int64_t now, wl_err_t *err)
{
    char canon[WL_REFCODE_BUFSZ], status[16], pulled_by[64], route[32];
    const char *ref = canonical_ref(ref_in, canon);
    int64_t pulled_at = 0;
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    rc = read_state(st, ref, status, pulled_by, &pulled_at, route, err);
    if (rc == WL_OK && strcmp(status, "completed") != 0) {
        wl_err_set(err, "intake %s was abandoned, not completed: there is nothing to pull", ref);
        rc = WL_ERR_STATE;
    } else if (rc == WL_OK && pulled_by[0]) {
        wl_err_set(err, "intake %s was already pulled by %s (at %lld)", ref, pulled_by, (long long)pulled_at);
        rc = WL_ERR_CONFLICT;
    }
    wl_stmt_t *s = NULL;
    if (rc == WL_OK) rc = wl_stmt_prepare(st, "UPDATE intakes SET pulled_by = ?2, pulled_at = ?3 WHERE ref = ?1", &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, ref);
        wl_stmt_text(s, 2, by);
        wl_stmt_int(s, 3, now);
        rc = step_done(st, s, "marking an intake pulled", err);
    }
    if (rc == WL_OK) rc = wl_audit_append(st, by, "pull", ref, "", now, err);
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    return wl_store_commit(st, err);
}

wl_rc wl_case_decide(wl_store_t *st, const unsigned char pk[crypto_box_PUBLICKEYBYTES], const char *ref_in,
                     const char *route, const char *reason, const char *by, int64_t now, wl_err_t *err)
{
    char canon[WL_REFCODE_BUFSZ], status[16], pulled_by[64], advised[32];
    const char *ref = canonical_ref(ref_in, canon);
    int64_t pulled_at = 0;
    if (!wl_case_route_valid(route)) {
        wl_err_set(err, "--route '%s' is not one of zelfdoener, klantondersteuning, participatie", route ? route : "");
        return WL_ERR_INVALID;
    }
    if (!reason || !*reason) {
        wl_err_set(err, "a decision needs a reason (--reason TEXT): the professional decides and says why");
        return WL_ERR_INVALID;
    }
    json_t *r = json_string(reason);
    unsigned char *blob = NULL;
    size_t len = 0;
    wl_seal_bind_t bind = {ref, "reason", wl_store_install_key(st), false};
    wl_rc rc = r ? wl_seal_encode(pk, r, &bind, &blob, &len, err) : WL_ERR_NOMEM;
    json_decref(r);
    if (rc != WL_OK) return rc;
    rc = wl_store_begin(st, err);
    if (rc != WL_OK) {
        free(blob);
        return rc;
    }
    rc = read_state(st, ref, status, pulled_by, &pulled_at, advised, err);
    if (rc == WL_OK && strcmp(status, "completed") != 0) {
        wl_err_set(err, "intake %s was abandoned, not completed: there is nothing to decide", ref);
        rc = WL_ERR_STATE;
    }
    wl_stmt_t *s = NULL;
    if (rc == WL_OK)
        rc = wl_stmt_prepare(st,
                              "INSERT INTO decisions (ref, route, advised_route, reason, decided_by, decided_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, ref);
        wl_stmt_text(s, 2, route);
        if (advised[0]) wl_stmt_text(s, 3, advised);
        else wl_stmt_null(s, 3);
        wl_stmt_blob(s, 4, blob, len);
        wl_stmt_text(s, 5, by);
        wl_stmt_int(s, 6, now);
        rc = step_done(st, s, "recording a decision", err);
    }
    char detail[96];
    snprintf(detail, sizeof detail, "route=%s advised=%s", route, advised[0] ? advised : "-");
    if (rc == WL_OK) rc = wl_audit_append(st, by, "decide", ref, detail, now, err);
    free(blob);
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    return wl_store_commit(st, err);
}
