/* `keygen --out DIR`: makes the staff key pair; the secret half is locked under a passphrase. */
#include "cmd_privacy.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static const char *USAGE =
    "keygen --out DIR [--kdf moderate|interactive|sensitive] [--passphrase-file FILE]\n"
    "       (passphrase: typed twice, or $WL_PASSPHRASE / --passphrase-file for scripts)";

/* Asks twice on a terminal so a typo never locks the records away for good. */
static bool new_passphrase(const char *file, char *buf, size_t size)
{
    if (file || getenv("WL_PASSPHRASE")) return wl_priv_passphrase(file, "", buf, size);
    char again[1024];
    if (!wl_cli_read_secret("New passphrase for the secret key: ", NULL, buf, size)) return false;
    if (!wl_cli_read_secret("Same passphrase again: ", NULL, again, sizeof again)) return false;
    bool same = strcmp(buf, again) == 0;
    sodium_memzero(again, sizeof again);
    if (!same) fprintf(stderr, "wijkloket-staff: the two passphrases differ; no key was made\n");
    return same;
}

static int cmd_keygen(int argc, char **argv, const struct wl_cli *cli)
{
    (void)cli;
    const char *out = NULL, *passfile = NULL;
    wl_kdf_t kdf = WL_KDF_MODERATE;
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"kdf", required_argument, NULL, 'k'},
                                         {"passphrase-file", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'p') passfile = optarg;
        else if (c == 'k' && wl_kdf_parse(optarg, &kdf)) continue;
        else return wl_cli_usage(USAGE);
    }
    if (!out || optind != argc) return wl_cli_usage(USAGE);
    char pass[1024];
    if (!new_passphrase(passfile, pass, sizeof pass)) {
        fprintf(stderr, "wijkloket-staff: no passphrase; no key was made\n");
        return WL_EXIT_AUTH;
    }
    wl_err_t err = {{0}};
    char id[WL_SEAL_KEY_ID_HEX];
    wl_rc rc = wl_seal_keygen(out, pass, kdf, id, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != WL_OK) return wl_cli_fail(rc, &err);
    printf("Key %s made in %s:\n"
           "  %s  copy this to every kiosk (it can only lock, not open)\n"
           "  %s  keep this off the kiosks, with a backup; without it and its passphrase\n"
           "              no sealed record can ever be opened again\n",
           id, out, WL_SEAL_PUBLIC_FILE, WL_SEAL_SECRET_FILE);
    return WL_EXIT_OK;
}

WL_CLI_COMMAND(keygen, cmd_keygen, "make the staff key pair (secret key locked by a passphrase)",
               "keygen --out DIR [--kdf moderate|interactive|sensitive]")
