/* Users and PINs: roles, Argon2id hashes via libsodium, lockout after wrong PINs. */
#ifndef WL_AUTH_H
#define WL_AUTH_H

#include "wijkloket/common.h"
#include "wijkloket/store.h"

typedef enum { WL_ROLE_VOLUNTEER = 1, WL_ROLE_STAFF = 2, WL_ROLE_ADMIN = 3 } wl_role_t;

#define WL_AUTH_MAX_FAILS 5

typedef struct {
    int64_t id;
    char name[64];
    wl_role_t role;
    bool disabled;
    int failed;            /* wrong PINs since the last good one */
    int64_t locked_until;  /* unix seconds; 0 when not locked */
    char locations[256];   /* location ids this user helps at, comma-separated, sorted; "" for none */
} wl_user_t;

#define WL_AUTH_MAX_LOCATIONS 8

/* Parses "volunteer", "staff", "admin". */
bool wl_role_parse(const char *s, wl_role_t *out);
const char *wl_role_name(wl_role_t r);

/* Adds a user. PIN: 4 to 12 digits (else WL_ERR_INVALID). Name 1-63 chars, unique
 * (WL_ERR_CONFLICT). The PIN is hashed with crypto_pwhash_str (Argon2id). */
wl_rc wl_auth_add(wl_store_t *st, const char *name, wl_role_t role, const char *pin, wl_err_t *err);
/* Sets a new PIN, clears failures and lock. */
wl_rc wl_auth_reset_pin(wl_store_t *st, const char *name, const char *pin, wl_err_t *err);
wl_rc wl_auth_set_disabled(wl_store_t *st, const char *name, bool disabled, wl_err_t *err);
/* Replaces the locations a user helps at (each 1-63 characters without commas or control
 * characters, at most WL_AUTH_MAX_LOCATIONS; n = 0 clears them). Unknown user:
 * WL_ERR_NOTFOUND. Whether a location exists in assets/locations.json is the caller's check. */
wl_rc wl_auth_set_locations(wl_store_t *st, const char *name, const char *const *locations, size_t n,
                            wl_err_t *err);
/* Whether u helps at location (listed in u->locations). */
bool wl_user_at(const wl_user_t *u, const char *location);
/* Lists users into a malloc'd array (caller frees *users). */
wl_rc wl_auth_list(wl_store_t *st, wl_user_t **users, size_t *n, wl_err_t *err);

/* Checks name + PIN at time now. WL_OK fills *user. Wrong PIN: WL_ERR_AUTH (message says how
 * many tries remain). After WL_AUTH_MAX_FAILS wrong PINs the user is locked for a period that
 * doubles each time (1, 2, 4, ... minutes, max 24 h): WL_ERR_LOCKED with the time left.
 * Disabled or unknown user: WL_ERR_AUTH (same message, so names cannot be probed).
 * min_role: the user's role must be at least this (else WL_ERR_AUTH). */
wl_rc wl_auth_verify(wl_store_t *st, const char *name, const char *pin, wl_role_t min_role,
                     int64_t now, wl_user_t *user, wl_err_t *err);

#endif
