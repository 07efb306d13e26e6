/* Test set-up for kiosk replays: creates users in a fresh database (name role pin ...). */
#include <stdio.h>

#include "wijkloket/auth.h"
#include "wijkloket/store.h"

int main(int argc, char **argv)
{
    if (argc < 5 || (argc - 2) % 3 != 0) {
        fprintf(stderr, "usage: kiosk_test_setup DB NAME ROLE PIN [NAME ROLE PIN ...]\n");
        return 2;
    }
    wl_err_t err = { { 0 } };
    wl_store_t *st = NULL;
    if (wl_store_open(argv[1], &st, &err) != WL_OK) {
        fprintf(stderr, "kiosk_test_setup: %s: %s\n", argv[1], err.msg);
        return 1;
    }
    int rc = 0;
    for (int i = 2; i + 2 < argc; i += 3) {
        wl_role_t role;
        if (!wl_role_parse(argv[i + 1], &role)) {
            fprintf(stderr, "kiosk_test_setup: unknown role %s\n", argv[i + 1]);
            rc = 1;
            break;
        }
        if (wl_auth_add(st, argv[i], role, argv[i + 2], &err) != WL_OK) {
            fprintf(stderr, "kiosk_test_setup: %s: %s\n", argv[i], err.msg);
            rc = 1;
            break;
        }
    }
    wl_store_close(st);
    return rc;
}
