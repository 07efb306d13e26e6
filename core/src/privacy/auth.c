/* Users and PINs: roles, Argon2id PIN hashes via libsodium, and the doubling lockout. */
#include "wijkloket/auth.h"
#include "store/store_sql.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From the WL_AUTH_MAX_FAILS-th wrong PIN on, every wrong PIN locks the user for
 * 2^(failed - WL_AUTH_MAX_FAILS) minutes, at most a day. So a guesser gets five tries, then
 * one try per lock period (1, 2, 4, ... minutes, then one a day): a 4-digit PIN would take
 * decades. A good PIN after the lock has run out resets the count. */
#define LOCK_BASE_SECONDS 60
#define LOCK_MAX_SECONDS 86400

/* The one answer for an unknown name, a disabled user and a wrong PIN, so the reply does
 * not tell which it was. */
/* One message for every failed sign-in (unknown, disabled, wrong PIN, locked): a different
 * text or a countdown would tell whether a name exists or is locked. */
#define WRONG_MSG "name or PIN is wrong, or the user is locked after too many wrong PINs (an admin can reset the PIN)"

bool wl_role_parse(const char *s, wl_role_t *out)
{
    if (!s) return false;
    wl_role_t r;
    if (strcmp(s, "volunteer") == 0) r = WL_ROLE_VOLUNTEER;
    else if (strcmp(s, "staff") == 0) r = WL_ROLE_STAFF;
    else if (strcmp(s, "admin") == 0) r = WL_ROLE_ADMIN;
    else return false;
    if (out) *out = r;
    return true;
}

const char *wl_role_name(wl_role_t r)
{
    switch (r) {
    case WL_ROLE_VOLUNTEER: return "volunteer";
    case WL_ROLE_STAFF: return "staff";
    case WL_ROLE_ADMIN: return "admin";
    }
    return "unknown";
}

static bool valid_pin(const char *pin)
{
    if (!pin) return false;
    size_t n = strlen(pin);
    if (n < 4 || n > 12) return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9') return false;
    return true;
}

static bool valid_name(const char *name)
{
    if (!name) return false;
    size_t n = strlen(name);
    if (n < 1 || n > 63) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) return false;
    return true;
}

static bool sodium_ready(wl_err_t *err)
{
    if (sodium_init() < 0) {
        wl_err_set(err, "auth: libsodium could not start");
        return false;
    }
    return true;
}

/* Argon2id with libsodium's interactive limits (about 0.1 s and 64 MiB per hash). */
static wl_rc hash_pin(const char *pin, char out[crypto_pwhash_STRBYTES], wl_err_t *err)
{
    if (!sodium_ready(err)) return WL_ERR_STATE;
    if (crypto_pwhash_str(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        wl_err_set(err, "auth: out of memory while hashing the PIN (Argon2id needs 64 MiB)");
        return WL_ERR_NOMEM;
    }
    return WL_OK;
}

/* A hash of a random PIN, made once per process at the start of every sign-in whatever the
 * name, so an unknown name costs the same Argon2id work as a known one (made on first use
 * only for unknown names, it doubled their time). */
static char dummy[crypto_pwhash_STRBYTES];

static void ensure_dummy(void)
{
    if (!dummy[0]) {
        unsigned char rnd[16];
        char pw[33];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
        if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            dummy[0] = '\0';
    }
}

/* Spends the same time as checking a real PIN, so an unknown name is not faster. */
static void dummy_verify(const char *pin)
{
    ensure_dummy();
    if (dummy[0]) {
        int r = crypto_pwhash_str_verify(dummy, pin, strlen(pin));
        (void)r;
    }
}

/* Steps a statement that changes users inside a transaction of its own (or the caller's), so
 * the audit entries the users triggers write are chained by Wijkloket before it commits
 * (audit.c: entries still unchained afterwards count as written around Wijkloket). *changes
 * gets the rows changed. */
static int step_tx(wl_store_t *st, wl_stmt_t *s, int *changes)
{
    wl_err_t e = {{0}};
    if (wl_store_read_only(st)) return SQLITE_READONLY;
    if (wl_store_begin(st, &e) != WL_OK) return SQLITE_BUSY;
    int src = wl_stmt_step(s);
    if (changes) *changes = wl_store_changes(st);
    if (src == WL_DONE) {
        if (wl_store_commit(st, &e) != WL_OK) src = SQLITE_ERROR;
    } else {
        wl_store_rollback(st);
    }
    return src;
}

static wl_rc name_step(wl_store_t *st, const char *sql, const char *name, const char *text,
                       int64_t num, const char *what, wl_err_t *err)
{
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, sql, &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, name);
    if (text) wl_stmt_text(s, 2, text);
    else wl_stmt_int(s, 2, num);
    int changes = 0;
    int src = step_tx(st, s, &changes);
    wl_stmt_finalize(s);
    if (src != WL_DONE) return wl_store_step_error(st, src, what, err);
    if (changes == 0) {
        wl_err_set(err, "%s: there is no user %s", what, name);
        return WL_ERR_NOTFOUND;
    }
    return WL_OK;
}

wl_rc wl_auth_add(wl_store_t *st, const char *name, wl_role_t role, const char *pin,
                  wl_err_t *err)
{
    if (!st) {
        wl_err_set(err, "add user: no store");
        return WL_ERR_STATE;
    }
    if (!valid_name(name)) {
        wl_err_set(err, "add user: field name must be 1 to 63 characters without control "
                   "characters");
        return WL_ERR_INVALID;
    }
    if (role < WL_ROLE_VOLUNTEER || role > WL_ROLE_ADMIN) {
        wl_err_set(err, "add user %s: field role is not volunteer, staff or admin", name);
        return WL_ERR_INVALID;
    }
    if (!valid_pin(pin)) {
        wl_err_set(err, "add user %s: field PIN must be 4 to 12 digits", name);
        return WL_ERR_INVALID;
    }
    char hash[crypto_pwhash_STRBYTES];
    wl_rc rc = hash_pin(pin, hash, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s;
    rc = wl_stmt_prepare(st, "INSERT INTO users (name, role, pin_hash) VALUES (?1, ?2, ?3)",
                          &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, name);
        wl_stmt_text(s, 2, wl_role_name(role));
        wl_stmt_text(s, 3, hash);
        int src = step_tx(st, s, NULL);
        wl_stmt_finalize(s);
        if (src != WL_DONE) {
            char what[96];
            snprintf(what, sizeof what, "add user %s", name);
            rc = wl_store_step_error(st, src, what, err);
            if (rc == WL_ERR_CONFLICT)
                wl_err_set(err, "add user %s: a user with this name already exists", name);
        }
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

wl_rc wl_auth_reset_pin(wl_store_t *st, const char *name, const char *pin, wl_err_t *err)
{
    if (!st || !name) {
        wl_err_set(err, "reset PIN: no store or name");
        return WL_ERR_INVALID;
    }
    if (!valid_pin(pin)) {
        wl_err_set(err, "reset PIN of %s: field PIN must be 4 to 12 digits", name);
        return WL_ERR_INVALID;
    }
    char hash[crypto_pwhash_STRBYTES];
    wl_rc rc = hash_pin(pin, hash, err);
    if (rc != WL_OK) return rc;
    char what[96];
    snprintf(what, sizeof what, "reset PIN of %s", name);
    rc = name_step(st, "UPDATE users SET pin_hash = ?2, failed = 0, locked_until = 0 "
                       "WHERE name = ?1", name, hash, 0, what, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

wl_rc wl_auth_set_disabled(wl_store_t *st, const char *name, bool disabled, wl_err_t *err)
{
    if (!st || !name) {
        wl_err_set(err, "disable user: no store or name");
        return WL_ERR_INVALID;
    }
    char what[96];
    snprintf(what, sizeof what, "%s user %s", disabled ? "disable" : "enable", name);
    return name_step(st, "UPDATE users SET disabled = ?2 WHERE name = ?1", name, NULL,
                     disabled ? 1 : 0, what, err);
}

static bool valid_location(const char *l)
{
    return valid_name(l) && !strchr(l, ',');
}

wl_rc wl_auth_set_locations(wl_store_t *st, const char *name, const char *const *locations, size_t n,
                            wl_err_t *err)
{
    if (!st || !name || (n && !locations)) {
        wl_err_set(err, "set locations: no store or name");
        return WL_ERR_INVALID;
    }
    if (n > WL_AUTH_MAX_LOCATIONS) {
        wl_err_set(err, "set locations of %s: at most %d locations", name, WL_AUTH_MAX_LOCATIONS);
        return WL_ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++)
        if (!valid_location(locations[i])) {
            wl_err_set(err, "set locations of %s: field location must be 1 to 63 characters without commas "
                       "or control characters", name);
            return WL_ERR_INVALID;
        }
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s = NULL;
    int64_t id = -1;
    rc = wl_stmt_prepare(st, "SELECT id FROM users WHERE name = ?1", &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, name);
        int src = wl_stmt_step(s);
        if (src == WL_ROW) id = wl_stmt_col_int(s, 0);
        else if (src == WL_DONE) {
            wl_err_set(err, "set locations: there is no user %s", name);
            rc = WL_ERR_NOTFOUND;
        } else rc = wl_store_step_error(st, src, "set locations", err);
        wl_stmt_finalize(s);
    }
    if (rc == WL_OK && (rc = wl_stmt_prepare(st, "DELETE FROM user_locations WHERE user_id = ?1", &s, err)) == WL_OK) {
        wl_stmt_int(s, 1, id);
        int src = wl_stmt_step(s);
        if (src != WL_DONE) rc = wl_store_step_error(st, src, "set locations", err);
        wl_stmt_finalize(s);
    }
    for (size_t i = 0; rc == WL_OK && i < n; i++) {
        if ((rc = wl_stmt_prepare(st, "INSERT INTO user_locations (user_id, location) VALUES (?1, ?2) "
                                      "ON CONFLICT DO NOTHING", &s, err)) != WL_OK)
            break;
        wl_stmt_int(s, 1, id);
        wl_stmt_text(s, 2, locations[i]);
        int src = wl_stmt_step(s);
        if (src != WL_DONE) rc = wl_store_step_error(st, src, "set locations", err);
        wl_stmt_finalize(s);
    }
    if (rc == WL_OK) return wl_store_commit(st, err);
    wl_store_rollback(st);
    return rc;
}

bool wl_user_at(const wl_user_t *u, const char *location)
{
    if (!u || !location || !*location) return false;
    size_t n = strlen(location);
    for (const char *p = u->locations; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !memcmp(p, location, n)) return true;
        if (!end) break;
        p = end + 1;
    }
    return false;
}

/* Fills u from a row of (id, name, role, disabled, failed, locked_until[, locations]). */
static bool read_user(wl_stmt_t *s, wl_user_t *u, bool with_locations)
{
    memset(u, 0, sizeof *u);
    u->id = wl_stmt_col_int(s, 0);
    const char *name = wl_stmt_col_text(s, 1);
    snprintf(u->name, sizeof u->name, "%s", name ? name : "");
    bool ok = wl_role_parse(wl_stmt_col_text(s, 2), &u->role);
    u->disabled = wl_stmt_col_int(s, 3) != 0;
    u->failed = wl_stmt_col_int(s, 4);
    u->locked_until = wl_stmt_col_int(s, 5);
    const char *locs = with_locations ? wl_stmt_col_text(s, 6) : NULL;
    snprintf(u->locations, sizeof u->locations, "%s", locs ? locs : "");
    return ok;
}

wl_rc wl_auth_list(wl_store_t *st, wl_user_t **users, size_t *n, wl_err_t *err)
{
    if (users) *users = NULL;
    if (n) *n = 0;
    if (!st || !users || !n) {
        wl_err_set(err, "list users: no store or output");
        return WL_ERR_INVALID;
    }
    /* Each user's locations as one "a,b" text, sorted: the aggregate is spelled per backend. */
    const char *sql = wl_store_backend(st) == WL_BACKEND_PG
                          ? "SELECT id, name, role, disabled, failed, locked_until, "
                            "(SELECT string_agg(location, ',' ORDER BY location) FROM user_locations l "
                            " WHERE l.user_id = users.id) FROM users ORDER BY name"
                          : "SELECT id, name, role, disabled, failed, locked_until, "
                            "(SELECT group_concat(location, ',') FROM "
                            " (SELECT location FROM user_locations l WHERE l.user_id = users.id "
                            "  ORDER BY location)) FROM users ORDER BY name";
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, sql, &s, err);
    if (rc != WL_OK) return rc;
    wl_user_t *arr = NULL;
    size_t len = 0, cap = 0;
    int src;
    while ((src = wl_stmt_step(s)) == WL_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            wl_user_t *grown = realloc(arr, ncap * sizeof *arr);
            if (!grown) {
                rc = WL_ERR_NOMEM;
                wl_err_set(err, "list users: out of memory");
                break;
            }
            arr = grown;
            cap = ncap;
        }
        read_user(s, &arr[len++], true);
    }
    if (rc == WL_OK && src != WL_DONE) rc = wl_store_step_error(st, src, "list users", err);
    wl_stmt_finalize(s);
    if (rc != WL_OK) {
        free(arr);
        return rc;
    }
    *users = arr;
    *n = len;
    return WL_OK;
}

/* Wrong PIN: counts it under the write lock (two kiosks may try at once) and locks from the
 * fifth on. Returns WL_ERR_AUTH or WL_ERR_LOCKED with the message, or a storage error. */
static wl_rc record_failure(wl_store_t *st, int64_t id, int64_t now, wl_err_t *err)
{
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s = NULL;
    int64_t failed = 0, until = 0;
    rc = wl_stmt_prepare(st, "SELECT failed FROM users WHERE id = ?1", &s, err);
    if (rc == WL_OK) {
        wl_stmt_int(s, 1, id);
        int src = wl_stmt_step(s);
        if (src == WL_ROW) failed = wl_stmt_col_int(s, 0) + 1;
        else rc = wl_store_step_error(st, src == WL_DONE ? SQLITE_ERROR : src,
                                        "counting a wrong PIN", err);
        wl_stmt_finalize(s);
    }
    if (rc == WL_OK) {
        if (failed >= WL_AUTH_MAX_FAILS) {
            int64_t shift = failed - WL_AUTH_MAX_FAILS;
            int64_t period = shift >= 11 ? LOCK_MAX_SECONDS : (int64_t)LOCK_BASE_SECONDS << shift;
            if (period > LOCK_MAX_SECONDS) period = LOCK_MAX_SECONDS;
            until = now + period;
        }
        rc = wl_stmt_prepare(st, "UPDATE users SET failed = ?2, locked_until = ?3 "
                                  "WHERE id = ?1", &s, err);
    }
    if (rc == WL_OK) {
        wl_stmt_int(s, 1, id);
        wl_stmt_int(s, 2, failed);
        wl_stmt_int(s, 3, until);
        int src = wl_stmt_step(s);
        wl_stmt_finalize(s);
        if (src != WL_DONE) rc = wl_store_step_error(st, src, "counting a wrong PIN", err);
    }
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    rc = wl_store_commit(st, err);
    if (rc != WL_OK) return rc;
    wl_err_set(err, WRONG_MSG);
    return until ? WL_ERR_LOCKED : WL_ERR_AUTH;
}

/* Good PIN: clears the failure count and upgrades the hash if the cost limits were raised. */
static wl_rc record_success(wl_store_t *st, const wl_user_t *u, const char *hash,
                            const char *pin, wl_err_t *err)
{
    char fresh[crypto_pwhash_STRBYTES];
    bool rehash = crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                 crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
    if (rehash && hash_pin(pin, fresh, NULL) != WL_OK) rehash = false;
    if (!rehash && u->failed == 0 && u->locked_until == 0) return WL_OK;
    if (wl_store_read_only(st)) { /* nothing can be cleared or upgraded; the PIN was right */
        sodium_memzero(fresh, sizeof fresh);
        return WL_OK;
    }
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, rehash
        ? "UPDATE users SET failed = 0, locked_until = 0, pin_hash = ?2 WHERE id = ?1"
        : "UPDATE users SET failed = 0, locked_until = 0 WHERE id = ?1", &s, err);
    if (rc == WL_OK) {
        wl_stmt_int(s, 1, u->id);
        if (rehash) wl_stmt_text(s, 2, fresh);
        int src = step_tx(st, s, NULL);
        wl_stmt_finalize(s);
        if (src != WL_DONE) rc = wl_store_step_error(st, src, "clearing wrong PINs", err);
    }
    sodium_memzero(fresh, sizeof fresh);
    return rc;
}

wl_rc wl_auth_verify(wl_store_t *st, const char *name, const char *pin, wl_role_t min_role,
                     int64_t now, wl_user_t *user, wl_err_t *err)
{
    if (user) memset(user, 0, sizeof *user);
    if (!st || !user) {
        wl_err_set(err, "verify: no store or output");
        return WL_ERR_INVALID;
    }
    if (!sodium_ready(err)) return WL_ERR_STATE;
    if (!pin) pin = "";
    ensure_dummy();
    if (!valid_name(name)) {
        dummy_verify(pin);
        wl_err_set(err, WRONG_MSG);
        return WL_ERR_AUTH;
    }
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, "SELECT id, name, role, disabled, failed, locked_until, "
                                    "pin_hash FROM users WHERE name = ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, name);
    int src = wl_stmt_step(s);
    wl_user_t u;
    char hash[crypto_pwhash_STRBYTES] = "";
    bool found = false, role_ok = false;
    if (src == WL_ROW) {
        found = true;
        role_ok = read_user(s, &u, false);
        const char *h = wl_stmt_col_text(s, 6);
        snprintf(hash, sizeof hash, "%s", h ? h : "");
    } else if (src != WL_DONE) {
        rc = wl_store_step_error(st, src, "looking up a user", err);
    }
    wl_stmt_finalize(s);
    if (rc != WL_OK) return rc;

    if (!found || u.disabled || !role_ok) {
        dummy_verify(pin);
        wl_err_set(err, WRONG_MSG);
        return WL_ERR_AUTH;
    }
    if (u.locked_until > now) {
        /* The same work and the same words as a wrong PIN; the code tells the kiosk (which
         * shows the names anyway) to say "try later". */
        int r = crypto_pwhash_str_verify(hash, pin, strlen(pin));
        (void)r;
        sodium_memzero(hash, sizeof hash);
        wl_err_set(err, WRONG_MSG);
        return WL_ERR_LOCKED;
    }
    if (crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0) {
        sodium_memzero(hash, sizeof hash);
        /* A read-only database cannot count the failure: the same answer, no lockout step
         * (whoever can read the file holds the PIN hashes anyway). */
        if (wl_store_read_only(st)) {
            wl_err_set(err, WRONG_MSG);
            return WL_ERR_AUTH;
        }
        return record_failure(st, u.id, now, err);
    }
    rc = record_success(st, &u, hash, pin, err);
    sodium_memzero(hash, sizeof hash);
    if (rc != WL_OK) return rc;
    u.failed = 0;
    u.locked_until = 0;
    if (u.role < min_role) {
        wl_err_set(err, "user %s (%s) may not do this; it needs the %s role", u.name,
                   wl_role_name(u.role), wl_role_name(min_role));
        return WL_ERR_AUTH;
    }
    *user = u;
    return WL_OK;
}
