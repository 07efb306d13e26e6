/* Sealing citizens' data to the staff public key (libsodium sealed boxes) and the key files. */
#ifndef WL_SEAL_H
#define WL_SEAL_H

#include <jansson.h>
#include <sodium.h>
#include "wijkloket/common.h"
#include "wijkloket/store.h"

/* Two blob versions, both opened by wl_seal_open:
 *  - "WLS1" | key id (8 bytes) | crypto_box_seal(JSON text): a fresh ephemeral X25519 key per
 *    blob (two X25519 operations to seal, one to open). wl_seal_encode makes these; used for
 *    single items such as a decision's reason.
 *  - "WLS2" | key id (8) | session public key (32) | nonce (24) |
 *    crypto_box_easy_afternm(JSON text): sealed with a kiosk session key (see
 *    wl_seal_session_t), so opening many blobs of one session costs one X25519 operation for
 *    the session and then only XSalsa20-Poly1305 per blob.
 * The key id (first 8 bytes of BLAKE2b(staff public key)) lets `show` say "sealed to another
 * key" instead of a bare "cannot decrypt". */
#define WL_SEAL_MAGIC "WLS1"
#define WL_SEAL_MAGIC_V2 "WLS2"
/* WLS3, the only format written now: "WLS3" | key id (8) | ephemeral or session public key
 * (32) | nonce (24) | XChaCha20-Poly1305 of the JSON text with additional data naming the
 * record and the part (ref, kind, format version) | BLAKE2b-256 MAC (32) keyed with the
 * database's install key over the additional data and everything before it. The AEAD binds the
 * part to its record and kind (moved to another record it does not open); the MAC shows that
 * this installation wrote it (the staff public key alone cannot make one). WLS1 and WLS2 still
 * open, reported as legacy: they prove neither. */
#define WL_SEAL_MAGIC_V3 "WLS3"
#define WL_SEAL_V3_HEADER_BYTES (WL_SEAL_HEADER_BYTES + crypto_box_PUBLICKEYBYTES + 24)
#define WL_SEAL_V3_TAIL_BYTES (16 + 32)

/* Where a sealed part belongs: its record's reference, its kind ("answers", "personal",
 * "result", "reason") and the install key of the database it lives in (32 bytes; NULL when
 * the key is not available, which WLS3 refuses). */
typedef struct {
    const char *ref;
    const char *kind;
    const unsigned char *install_key;
    /* Central records (wijkloket-server): the kiosk's install key never leaves the kiosk, so
     * the install MAC cannot be checked; who wrote the record is proven instead by the
     * server's origin signature over the record (wijkloket/origin.h), which the caller must
     * have checked. With this set and install_key NULL, a WLS3 part opens with its record and
     * kind still bound (AEAD additional data) but without the MAC check (docs/security.md,
     * "The central store"). */
    bool origin_proven_by_delivery;
} wl_seal_bind_t;
#define WL_SEAL_KEY_ID_BYTES 8
#define WL_SEAL_HEADER_BYTES (4 + WL_SEAL_KEY_ID_BYTES)
#define WL_SEAL_V2_HEADER_BYTES (WL_SEAL_HEADER_BYTES + crypto_box_PUBLICKEYBYTES + crypto_box_NONCEBYTES)
/* Hex form of a key id plus NUL. */
#define WL_SEAL_KEY_ID_HEX 17

/* File names inside the key folder that `keygen --out DIR` writes. */
#define WL_SEAL_PUBLIC_FILE "public.key"
#define WL_SEAL_SECRET_FILE "secret.key"

/* How hard the passphrase is stretched (crypto_pwhash Argon2id limits). MODERATE is the
 * default (256 MiB, about a second); INTERACTIVE (64 MiB) exists for tests and slow
 * machines; SENSITIVE (1 GiB) for an office PC that can afford it. The limits are stored in
 * the secret key file, so opening always uses what keygen chose. */
typedef enum { WL_KDF_INTERACTIVE = 1, WL_KDF_MODERATE = 2, WL_KDF_SENSITIVE = 3 } wl_kdf_t;
bool wl_kdf_parse(const char *s, wl_kdf_t *out);

/* Shortest passphrase keygen accepts (characters, counted as bytes). */
#define WL_SEAL_MIN_PASSPHRASE 10

/* The opened secret key, in sodium_malloc'd memory that is locked out of swap and wiped on
 * free. Opaque; make with wl_seal_load_secret, free with wl_seal_secret_free. */
typedef struct wl_seal_secret wl_seal_secret_t;

/* Makes a new key pair and writes DIR/public.key (mode 0644) and DIR/secret.key (mode 0600,
 * the secret key encrypted with crypto_secretbox under a key derived from passphrase with
 * Argon2id). Creates DIR if needed. Refuses to overwrite an existing key file
 * (WL_ERR_CONFLICT): losing the secret key makes every sealed record unreadable.
 * A passphrase shorter than WL_SEAL_MIN_PASSPHRASE is WL_ERR_INVALID.
 * key_id_hex (may be NULL) receives the new key's id. */
wl_rc wl_seal_keygen(const char *dir, const char *passphrase, wl_kdf_t strength,
                     char key_id_hex[WL_SEAL_KEY_ID_HEX], wl_err_t *err);

/* Reads a public key file into pk. A missing file is WL_ERR_IO; a file that is not a
 * Wijkloket public key (or is a secret key file) is WL_ERR_PARSE naming file and field. */
wl_rc wl_seal_load_public(const char *path, unsigned char pk[crypto_box_PUBLICKEYBYTES], wl_err_t *err);

/* Opens a secret key file with the passphrase. Wrong passphrase: WL_ERR_AUTH ("the
 * passphrase does not open <file>"); a damaged or foreign file: WL_ERR_PARSE. *out is owned
 * by the caller (wl_seal_secret_free). */
wl_rc wl_seal_load_secret(const char *path, const char *passphrase, wl_seal_secret_t **out, wl_err_t *err);
void wl_seal_secret_free(wl_seal_secret_t *sk);
/* The opened key's id in hex (borrowed). */
const char *wl_seal_secret_key_id(const wl_seal_secret_t *sk);

/* The key id of a public key, as hex. */
void wl_seal_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES], char hex[WL_SEAL_KEY_ID_HEX]);

/* Seals payload (serialised compactly, key order kept) to pk. *blob is malloc'd (caller
 * frees) and *len its size. WL_ERR_NOMEM or WL_ERR_INVALID (payload NULL) on failure; the
 * serialised clear text is wiped from memory before returning. */
wl_rc wl_seal_encode(const unsigned char pk[crypto_box_PUBLICKEYBYTES], const json_t *payload,
                     const wl_seal_bind_t *bind, unsigned char **blob, size_t *len, wl_err_t *err);

/* Opens a WLS3 blob that must belong to bind (ref, kind, install key): one moved from another
 * record or kind, or made without the install key, is WL_ERR_AUTH ("not written by this
 * installation for this record"). Legacy WLS1/WLS2 blobs open only when legacy is not NULL,
 * and set *legacy (the caller reports that their origin cannot be checked); otherwise they
 * are WL_ERR_AUTH. Earlier text:
 * Opens a blob made by wl_seal_encode (WLS1) or a session (WLS2). *payload is a new
 * reference (caller decrefs). Not a sealed blob / truncated: WL_ERR_PARSE; sealed to a
 * different key: WL_ERR_AUTH naming both key ids; right key but the box does not open
 * (damaged): WL_ERR_INVALID. For WLS2 the shared key per session public key is cached inside
 * sk (in locked memory, wiped by wl_seal_secret_free), so opening a session's blobs costs one
 * X25519 operation in all; safe to call from several threads with the same sk. */
wl_rc wl_seal_open(const wl_seal_secret_t *sk, const unsigned char *blob, size_t len, const wl_seal_bind_t *bind,
                   json_t **payload, bool *legacy, wl_err_t *err);

/* A kiosk's sealing session: an ephemeral X25519 key pair made in memory (never written
 * anywhere), whose shared key with the staff public key (crypto_box_beforenm) is computed
 * once and kept in sodium_malloc'd memory (locked out of swap, wiped when freed). Every blob
 * carries the session public key, so the staff side needs the secret key to open it, exactly
 * as with a sealed box. The session makes a new ephemeral key after
 * WL_SEAL_SESSION_MAX_BLOBS blobs or WL_SEAL_SESSION_MAX_SECONDS, whichever comes first, so
 * a copy of a running kiosk's memory exposes at most that many recent blobs. The ephemeral
 * secret itself is wiped as soon as the shared key is made. Not thread-safe: one session
 * per store connection. */
#define WL_SEAL_SESSION_MAX_BLOBS 256
#define WL_SEAL_SESSION_MAX_SECONDS 86400
typedef struct wl_seal_session wl_seal_session_t;

/* Starts a session for staff public key pk (makes the first ephemeral key at once). A
 * public key that X25519 refuses (a low-order point) is WL_ERR_INVALID. */
wl_rc wl_seal_session_new(const unsigned char pk[crypto_box_PUBLICKEYBYTES], wl_seal_session_t **out, wl_err_t *err);
/* Wipes and frees the session (NULL is fine). */
void wl_seal_session_free(wl_seal_session_t *s);

/* Seals len bytes of JSON text (not checked here) as a WLS3 blob bound to bind with the session key,
 * first rotating it when it is due at now (unix seconds; a clock that went back also
 * rotates). *blob is malloc'd (caller frees). */
wl_rc wl_seal_session_encode_text(wl_seal_session_t *s, const char *text, size_t len, int64_t now,
                                  const wl_seal_bind_t *bind, unsigned char **blob, size_t *blob_len, wl_err_t *err);
/* The same for a JSON value (serialised compactly, key order kept; the clear text is wiped). */
wl_rc wl_seal_session_encode(wl_seal_session_t *s, const json_t *payload, int64_t now, const wl_seal_bind_t *bind,
                             unsigned char **blob, size_t *blob_len, wl_err_t *err);
/* The current session public key (for tests: it changes when the session rotates). */
const unsigned char *wl_seal_session_public(const wl_seal_session_t *s);

/* Reads len bytes of strict JSON text (RFC 8259; any value at the top; valid UTF-8; no NUL
 * in strings; nesting at most 64 deep) into a new jansson value, or NULL when the text is not
 * such JSON or memory runs out. The same values as json_loadb(JSON_DECODE_ANY), about four
 * times faster: wl_seal_open and the staff side's bulk reads use it (docs/privacy.md). */
json_t *wl_seal_read_json(const char *text, size_t len);

/* Whether a blob starts like a sealed blob (magic and length), without opening it. */
bool wl_seal_is_sealed(const unsigned char *blob, size_t len);

/* From now on, every intake this store connection saves is sealed on the way in: answers
 * and personal data become sealed blobs (intake_data, encoding 'sealed'); the full
 * classification result (trace, scores, problem domains, signal texts) is sealed into
 * intake_detail; and intakes.result keeps in clear only what day lists and statistics need
 * (route, participatie form and Kansen in Kaart status, signal ids and urgency, regie, domain
 * count and band, rules version). On SQLite this works inside the save transaction through
 * temporary triggers on this connection, with PRAGMA secure_delete so no clear text stays
 * behind in freed database pages; on PostgreSQL wl_store_save_intake seals in C before the
 * rows are sent, each part MACed with the central install key (wl_store_use_install_key
 * first; without it a save is refused, never stored in clear). Each connection seals through its own wl_seal_session_t (WLS2
 * blobs), made here and wiped when the connection closes or the key is set again; calling
 * this again starts a fresh session key. Reading the key file: errors as wl_seal_load_public. See docs/privacy.md for why these fields stay in clear. */
wl_rc wl_store_set_seal_key(wl_store_t *st, const char *public_key_path, wl_err_t *err);

/* The clear part of a classification result as described above (new reference, caller
 * decrefs; NULL when result is not an object or out of memory). */
json_t *wl_seal_clear_result(const json_t *result);

#endif
