/* Test set-up for kiosk replays: creates users in a fresh database (name role pin ...), or a
 * staff key pair for the replays to seal with (--keygen DIR). */
#include <stdio.h>
#include <string.h>

#include "wijkloket/auth.h"
#include "wijkloket/seal.h"
#include "wijkloket/store.h"

int main(int argc, char **argv)
{
    wl_err_t err = { { 0 } };
    if (argc == 3 && !strcmp(argv[1], "--keygen")) {
        /* The same core function as `wijkloket-staff keygen`; the fast KDF setting keeps the
         * replays quick. The passphrase only matters to tests that open the records. */
        if (wl_seal_keygen(argv[2], "kiosk replay passphrase", WL_KDF_INTERACTIVE, NULL, &err) != WL_OK) {
            fprintf(stderr, "kiosk_test_setup: keygen %s: %s\n", argv[2], err.msg);
            return 1;
        }
        return 0;
    }
    if (argc < 5 || (argc - 2) % 3 != 0) {
        fprintf(stderr, "usage: kiosk_test_setup DB NAME ROLE[@LOC,...] PIN [NAME ROLE PIN ...]\n"
                        "       kiosk_test_setup --keygen DIR\n");
        return 2;
    }
    wl_store_t *st = NULL;
    if (wl_store_open(argv[1], &st, &err) != WL_OK) {
        fprintf(stderr, "kiosk_test_setup: %s: %s\n", argv[1], err.msg);
        return 1;
    }
    int rc = 0;
    for (int i = 2; i + 2 < argc; i += 3) {
        /* ROLE may name the user's locations: volunteer@loc1,loc2 */
        char rolebuf[64];
        snprintf(rolebuf, sizeof rolebuf, "%s", argv[i + 1]);
        char *at = strchr(rolebuf, '@');
        const char *locs[WL_AUTH_MAX_LOCATIONS];
        size_t n_locs = 0;
        if (at) {
            *at++ = '\0';
            for (char *tok = strtok(at, ","); tok && n_locs < WL_AUTH_MAX_LOCATIONS; tok = strtok(NULL, ","))
                locs[n_locs++] = tok;
        }
        wl_role_t role;
        if (!wl_role_parse(rolebuf, &role)) {
            fprintf(stderr, "kiosk_test_setup: unknown role %s\n", argv[i + 1]);
            rc = 1;
            break;
        }
        if (wl_auth_add(st, argv[i], role, argv[i + 2], &err) != WL_OK ||
            (n_locs && wl_auth_set_locations(st, argv[i], locs, n_locs, &err) != WL_OK)) {
            fprintf(stderr, "kiosk_test_setup: %s: %s\n", argv[i], err.msg);
            rc = 1;
            break;
        }
    }
    wl_store_close(st);
    return rc;
}
