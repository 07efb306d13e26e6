/* A headless scripted kiosk for the server tests: saves COUNT completed intakes through the
 * core store (sealed to the staff key, committed durably, exactly as the kiosk does), one every
 * INTERVAL_MS, and prints each reference once it is committed. */
#include "wijkloket/refcode.h"
#include "wijkloket/seal.h"
#include "wijkloket/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: fleet_kiosk DB PUBLIC_KEY KIOSK LOCATION COUNT INTERVAL_MS\n");
        return 2;
    }
    int count = atoi(argv[5]), interval = atoi(argv[6]);
    wl_err_t err;
    wl_store_t *st;
    if (sodium_init() < 0 || wl_store_open(argv[1], &st, &err) || wl_store_set_seal_key(st, argv[2], &err)) {
        fprintf(stderr, "fleet_kiosk: %s\n", err.msg);
        return 1;
    }
    for (int i = 0; i < count; i++) {
        char ref[WL_REFCODE_BUFSZ];
        wl_refcode_new(ref);
        int64_t now = (int64_t)time(NULL);
        json_t *answers = json_pack("{s:s, s:i}", "situatie", "werkzoekend", "volgnummer", i);
        json_t *personal = json_pack("{s:s, s:s}", "naam", "Test Burger", "bsn", "000000000");
        json_t *result = json_pack("{s:s, s:[]}", "route", "zelfdoeners", "signals");
        wl_intake_record_t rec = {ref, argv[4], argv[3], "nl", NULL, now - 300, now, "completed", "test-1",
                                  "test-1", answers, personal, result, "kiosk"};
        wl_rc rc = wl_store_save_intake(st, &rec, &err);
        json_decref(answers);
        json_decref(personal);
        json_decref(result);
        if (rc == WL_ERR_CONFLICT) { /* a reference drawn twice: draw again */
            i--;
            continue;
        }
        if (rc) {
            fprintf(stderr, "fleet_kiosk: %s\n", err.msg);
            wl_store_close(st);
            return 1;
        }
        printf("%s\n", ref);
        fflush(stdout);
        if (interval > 0) usleep((useconds_t)interval * 1000);
    }
    wl_store_close(st);
    return 0;
}
