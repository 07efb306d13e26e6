/* wl-gen-intakes: fills a test database with generated, sealed intakes (and some decisions) for CLI tests. */
#include <getopt.h>

#include "gen.h"
#include "store/store_sql.h"
#include "wijkloket/casework.h"
#include "wijkloket/seal.h"

static int usage(void)
{
    fprintf(stderr, "usage: wl-gen-intakes --db FILE --public-key FILE --count N [--seed S] [--location L]...\n"
                    "       [--start UNIX] [--spacing SECONDS] [--decide PERCENT] [--name TEXT] [--bsn DIGITS]\n"
                    "       [--abandoned N]   (TEST DATA ONLY: synthetic people)\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *pub = NULL, *locations[16];
    size_t n_loc = 0;
    long long count = 0, seed = 1, start = 1767258000 /* 2026-01-01 09:00 UTC */, spacing = 3600, decide = 0,
              abandoned = 0;
    const char *root = getenv("WL_ROOT");
    gen_t g;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"public-key", required_argument, NULL, 'k'},
        {"count", required_argument, NULL, 'n'},    {"seed", required_argument, NULL, 's'},
        {"location", required_argument, NULL, 'l'}, {"start", required_argument, NULL, 't'},
        {"spacing", required_argument, NULL, 'p'},  {"decide", required_argument, NULL, 'c'},
        {"name", required_argument, NULL, 'N'},     {"bsn", required_argument, NULL, 'B'},
        {"abandoned", required_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    const char *name = NULL, *bsn = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'k': pub = optarg; break;
        case 'n': count = atoll(optarg); break;
        case 's': seed = atoll(optarg); break;
        case 'l': if (n_loc < 16) locations[n_loc++] = optarg; break;
        case 't': start = atoll(optarg); break;
        case 'p': spacing = atoll(optarg); break;
        case 'c': decide = atoll(optarg); break;
        case 'N': name = optarg; break;
        case 'B': bsn = optarg; break;
        case 'a': abandoned = atoll(optarg); break;
        default: return usage();
        }
    }
    if (!db || !pub || count < 0) return usage();
    if (!n_loc) locations[n_loc++] = "vinkhuizen";
    wl_err_t err = {{0}};
    wl_store_t *st = NULL;
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    wl_rc rc = gen_open(&g, root && *root ? root : WL_DEFAULT_ROOT, (uint64_t)seed, &err);
    g.name = name;
    g.bsn = bsn;
    if (rc == WL_OK) rc = wl_seal_load_public(pub, pk, &err);
    if (rc == WL_OK) rc = wl_store_open(db, &st, &err);
    if (rc == WL_OK) rc = wl_store_set_seal_key(st, pub, &err);
    if (rc == WL_OK) rc = wl_store_begin(st, &err);
    static const char *const routes[] = {"zelfdoener", "klantondersteuning", "participatie"};
    for (long long i = 0; rc == WL_OK && i < count; i++) {
        char ref[WL_REFCODE_BUFSZ];
        int64_t at = start + i * spacing;
        rc = gen_one(&g, st, locations[i % (long long)n_loc], at, ref, &err);
        if (rc == WL_OK && gen_pick(&g, 100) < decide) {
            json_t *rec = NULL;
            rc = wl_case_open(st, NULL, ref, &rec, &err);
            const char *advised = json_string_value(json_object_get(rec, "route"));
            /* Mostly agree with the advice, sometimes not: the matrix then has off-diagonal cells. */
            const char *route = gen_pick(&g, 4) ? advised : routes[gen_pick(&g, 3)];
            if (rc == WL_OK)
                rc = wl_case_decide(st, pk, ref, route ? route : "participatie", "gegenereerd besluit", "generator",
                                    at + 86400, &err);
            json_decref(rec);
        }
    }
    for (long long i = 0; rc == WL_OK && i < abandoned; i++) {
        char ref[WL_REFCODE_BUFSZ];
        unsigned char b[5];
        for (int k = 0; k < 5; k++) b[k] = (unsigned char)gen_next(&g);
        wl_refcode_from_bytes(b, ref);
        json_t *empty = json_object();
        wl_intake_record_t rec = {ref, locations[i % (long long)n_loc], "kiosk-gen", "nl", NULL,
                                  start + i * spacing, 0, "abandoned", g.q->version, wl_rules_version(g.rules),
                                  empty, NULL, NULL, NULL};
        rc = wl_store_save_intake(st, &rec, &err);
        json_decref(empty);
    }
    if (rc == WL_OK) rc = wl_store_commit(st, &err);
    if (rc != WL_OK) fprintf(stderr, "wl-gen-intakes: %s\n", err.msg);
    wl_store_close(st);
    gen_close(&g);
    return rc == WL_OK ? 0 : 1;
}
