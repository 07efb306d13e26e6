/* libFuzzer harnesses for every parser that hand-edited or untrusted input reaches; one target per -DFUZZ_<name>. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/install_key.h"
#include "store/store_sql.h"
#include "wijkloket/appointments.h"
#include "wijkloket/central.h"
#include "wijkloket/classify.h"
#include "wijkloket/i18n.h"
#include "wijkloket/intake.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/logic.h"
#include "wijkloket/minima.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/refcode.h"
#include "wijkloket/retention.h"
#include "wijkloket/seal.h"
#ifdef FUZZ_kconfig
#include "kconfig.h"
#endif
#ifdef FUZZ_theme
#include "theme.h"
#endif

/* Files go to a private folder per process (libFuzzer may run several jobs at once). */
static char dir[256];
static const char *root; /* the repository (assets/), from WL_ROOT or the build */

static void setup_once(void)
{
    if (dir[0]) return;
    if (sodium_init() < 0) abort();
    snprintf(dir, sizeof dir, "/tmp/wl-fuzz-XXXXXX");
    if (!mkdtemp(dir)) abort();
    root = getenv("WL_ROOT");
    if (!root) root = WL_SOURCE_DIR;
}

static const char *put(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (size) fwrite(data, 1, size, fp);
    fclose(fp);
    return path;
}

/* Copies an asset file into the fuzz folder (for loaders that read a folder). */
static void copy_asset(const char *rel, const char *name)
{
    char src[512];
    snprintf(src, sizeof src, "%s/assets/%s", root, rel);
    FILE *in = fopen(src, "rb");
    if (!in) abort();
    char buf[1 << 16];
    size_t n;
    char dst[512];
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    FILE *out = fopen(dst, "wb");
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

static json_t *parse_json(const uint8_t *data, size_t size)
{
    return json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    wl_err_t err = {{0}};
#if defined(FUZZ_questionnaire)
    wl_questionnaire_t *q = NULL;
    if (wl_questionnaire_load(put("q.json", data, size), &q, &err) == WL_OK) wl_questionnaire_free(q);
#elif defined(FUZZ_rules)
    static wl_questionnaire_t *q;
    char qp[512];
    snprintf(qp, sizeof qp, "%s/assets/questionnaires/entreevragenlijst.json", root);
    if (!q && wl_questionnaire_load(qp, &q, &err) != WL_OK) abort();
    wl_rules_t *r = NULL;
    if (wl_rules_load(put("rules.json", data, size), q, &r, &err) == WL_OK) wl_rules_free(r);
#elif defined(FUZZ_minima_params) || defined(FUZZ_minima_schemes)
    char other[512];
    wl_minima_t *m = NULL;
#if defined(FUZZ_minima_params)
    snprintf(other, sizeof other, "%s/assets/minima/schemes.json", root);
    if (wl_minima_load_files(put("params.json", data, size), other, &m, &err) == WL_OK) wl_minima_free(m);
#else
    snprintf(other, sizeof other, "%s/assets/minima/parameters.json", root);
    if (wl_minima_load_files(other, put("schemes.json", data, size), &m, &err) == WL_OK) wl_minima_free(m);
#endif
#elif defined(FUZZ_locations) || defined(FUZZ_services)
    static int ready;
    if (!ready) {
        copy_asset("locations.json", "locations.json");
        copy_asset("services.json", "services.json");
        ready = 1;
    }
#if defined(FUZZ_locations)
    put("locations.json", data, size);
#else
    put("services.json", data, size);
#endif
    wl_catalog_t *c = NULL;
    if (wl_catalog_load(dir, &c, &err) == WL_OK) wl_catalog_free(c);
#elif defined(FUZZ_retention)
    wl_retention_policy_t pol;
    wl_retention_load(put("retention.json", data, size), &pol, &err);
#elif defined(FUZZ_answers)
    static wl_questionnaire_t *q;
    char qp[512];
    snprintf(qp, sizeof qp, "%s/assets/questionnaires/entreevragenlijst.json", root);
    if (!q && wl_questionnaire_load(qp, &q, &err) != WL_OK) abort();
    json_t *j = NULL;
    if (wl_json_load_file(put("answers.json", data, size), &j, &err) == WL_OK) {
        wl_intake_t *s = wl_intake_new(q, "2026-06-01");
        if (s) {
            wl_intake_load_answers(s, j, false, &err);
            wl_intake_free(s);
        }
        json_decref(j);
    }
#elif defined(FUZZ_household)
    json_t *j = parse_json(data, size);
    if (j) {
        wl_minima_household_t h;
        if (wl_minima_household_parse(j, "household.json", &h, &err) == WL_OK) wl_minima_household_validate(&h, &err);
        json_decref(j);
    }
#elif defined(FUZZ_po)
    put("xx.po", data, size);
    wl_i18n_t *t = NULL;
    if (wl_i18n_load(dir, "xx", &t, &err) == WL_OK) {
        wl_i18n_get(t, "Start");
        wl_i18n_free(t);
    }
#elif defined(FUZZ_refcode)
    char in[128], buf[WL_REFCODE_BUFSZ];
    size_t n = size < sizeof in - 1 ? size : sizeof in - 1;
    memcpy(in, data, n);
    in[n] = '\0';
    wl_refcode_parse(in, buf, &err);
#elif defined(FUZZ_jsonlogic)
    json_t *j = parse_json(data, size);
    if (j) {
        json_t *d = json_pack("{s:i, s:s, s:[s,s], s:{s:i}}", "leeftijd", 40, "werk", "ja", "lijst", "a", "b",
                              "geneste", "x", 3);
        wl_logic_ctx_t ctx = {d, "2026-06-01"};
        json_t *out = NULL;
        if (wl_logic_eval(j, &ctx, &out, &err) == WL_OK) json_decref(out);
        json_decref(d);
        json_decref(j);
    }
#elif defined(FUZZ_public_key)
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    wl_seal_load_public(put("public.key", data, size), pk, &err);
#elif defined(FUZZ_secret_key)
    wl_seal_secret_t *sk = NULL;
    if (wl_seal_load_secret(put("secret.key", data, size), "fuzz passphrase", &sk, &err) == WL_OK)
        wl_seal_secret_free(sk);
#elif defined(FUZZ_sealed)
    /* A fixed key pair and install key; the input is a stored blob (WLS1/2/3). */
    static wl_seal_secret_t *sk;
    static unsigned char ikey[32] = {7};
    if (!sk) {
        char kd[300];
        snprintf(kd, sizeof kd, "%s/keys", dir);
        if (wl_seal_keygen(kd, "fuzz passphrase 123", WL_KDF_INTERACTIVE, NULL, &err) != WL_OK) abort();
        char sp[400];
        snprintf(sp, sizeof sp, "%s/secret.key", kd);
        if (wl_seal_load_secret(sp, "fuzz passphrase 123", &sk, &err) != WL_OK) abort();
    }
    wl_seal_bind_t bind = {"AB12-CD34-X", "personal", ikey, false};
    json_t *out = NULL;
    bool legacy = false;
    if (wl_seal_open(sk, data, size, &bind, &out, &legacy, &err) == WL_OK) json_decref(out);
#elif defined(FUZZ_seal_json)
    /* The fast reader of opened records must agree with jansson. */
    json_t *fast = wl_seal_read_json((const char *)data, size);
    json_t *ref = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if ((fast == NULL) != (ref == NULL) || (fast && !json_equal(fast, ref))) abort();
    json_decref(fast);
    json_decref(ref);
#elif defined(FUZZ_origin_public)
    /* The server's origin public key, as staff machines pin it (server-origin.pub). */
    unsigned char pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES];
    wl_central_origin_public(put("server-origin.pub", data, size), pk, &err);
#elif defined(FUZZ_origin_key)
    /* The server's origin key file; never created here (create = false). */
    unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES];
    wl_central_origin_key(put("server-origin.key", data, size), false, sk, &err);
#elif defined(FUZZ_install_key)
    unsigned char k[WL_INSTALL_KEY_BYTES];
    wl_install_key_parse((const char *)data, size, k, "install.key", &err);
#elif defined(FUZZ_audit_head)
    static const unsigned char k[32] = {1};
    wl_audit_head_check(k, (const char *)data, size, &err);
#elif defined(FUZZ_kconfig)
    kcfg_t c;
    char msg[512];
    kcfg_defaults(&c);
    kcfg_load(&c, put("kiosk.conf", data, size), msg, sizeof msg);
#elif defined(FUZZ_theme)
    theme_t t;
    char msg[512];
    theme_load(&t, put("theme.json", data, size), msg, sizeof msg);
#else
#error "define FUZZ_<target>"
#endif
    (void)data;
    (void)size;
    return 0;
}
