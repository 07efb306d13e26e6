/* Opens the signed client and the server's booking provider for the appointment screens. */
#include "server_link.h"

#include <curl/curl.h>
#include <stdio.h>

#include "kbooking.h"

/* A citizen waits for each request at most this long; then "niet te bereiken". */
#define LINK_CONNECT_MS 2000
#define LINK_TOTAL_MS 5000

static wl_kclient_t *client;
static wl_booking_provider_t provider;

const wl_booking_provider_t *server_link_open(const kcfg_t *c, bool *failed, char *msg, size_t n)
{
    *failed = false;
    if (!c->server_url[0]) return NULL;
    const char *conf = c->source[0] ? c->source : "the configuration";
    if (!c->server_key[0]) {
        snprintf(msg, n, "%s: server_url is set but server_key is not: give this kiosk's key file from "
                         "`wijkloket-server kiosk-add` (appointments are only booked on the server then)", conf);
        *failed = true;
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        snprintf(msg, n, "libcurl could not start");
        *failed = true;
        return NULL;
    }
    wl_err_t err = {{0}};
    if (wl_kclient_new(c->server_url, c->server_key, &client, &err) != WL_OK) {
        snprintf(msg, n, "%s: server_key: %s", conf, err.msg);
        curl_global_cleanup();
        *failed = true;
        return NULL;
    }
    wl_kclient_set_timeouts(client, LINK_CONNECT_MS, LINK_TOTAL_MS);
    wl_kbooking_new(client, &provider);
    return &provider;
}

void server_link_close(void)
{
    if (!client) return;
    wl_kclient_free(client);
    client = NULL;
    curl_global_cleanup();
}
