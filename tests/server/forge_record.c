/* The central tamper test's forger (tests/server/central_tamper.sh): what someone holding only
 * the staff public key and SQL on the central database can make, a delivery record in the
 * kiosks' format with every part sealed to that key and bound to a reference of their choice. */
#include "wijkloket/central.h"
#include "wijkloket/seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: forge_record PUBLIC_KEY REF KIOSK LOCATION CHANNEL  (record JSON on stdout)\n");
        return 2;
    }
    wl_err_t err;
    unsigned char pk[crypto_box_PUBLICKEYBYTES], install_key[32];
    if (sodium_init() < 0 || wl_seal_load_public(argv[1], pk, &err)) {
        fprintf(stderr, "forge_record: %s\n", err.msg);
        return 1;
    }
    /* Any install key: the central store cannot check the kiosk's MAC, so the forger picks one. */
    randombytes_buf(install_key, sizeof install_key);
    int64_t now = (int64_t)time(NULL);
    json_t *answers = json_pack("{s:s}", "situatie", "vervalst");
    json_t *personal = json_pack("{s:s, s:s}", "naam", "Vervalste Burger", "bsn", "999999990");
    json_t *result = json_pack("{s:s, s:[], s:b}", "route", "schulden", "signals", "regie", 0);
    wl_intake_record_t rec = {argv[2], argv[4], argv[3], "nl", NULL, now - 300, now, "completed", "1", "1",
                              answers, personal, result, argv[5]};
    char *text = NULL;
    size_t len = 0;
    wl_rc rc = wl_central_record_build(pk, install_key, &rec, &text, &len, &err);
    json_decref(answers);
    json_decref(personal);
    json_decref(result);
    if (rc) {
        fprintf(stderr, "forge_record: %s\n", err.msg);
        return 1;
    }
    fwrite(text, 1, len, stdout);
    free(text);
    return 0;
}
