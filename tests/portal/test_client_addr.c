/* wl_client_addr: X-Forwarded-For counts only from a configured trusted proxy. */
#include <stdio.h>
#include <string.h>

#include "client_addr.h"

static int failures;

static void expect(const wl_trusted_proxies_t *t, const char *peer, const char *xff, const char *want)
{
    char out[WL_ADDR_BUFSZ];
    wl_client_addr(t, peer, xff, out);
    if (strcmp(out, want) != 0) {
        printf("FAIL: peer %s, X-Forwarded-For %s: got %s, want %s\n", peer, xff ? xff : "(none)", out, want);
        failures++;
    }
}

int main(void)
{
    wl_trusted_proxies_t none = {0}, t = {0};
    if (!wl_trusted_proxies_add(&t, "127.0.0.1") || !wl_trusted_proxies_add(&t, "0:0:0:0:0:0:0:1")) {
        puts("FAIL: adding proxies");
        return 1;
    }
    if (wl_trusted_proxies_add(&t, "proxy.example") || wl_trusted_proxies_add(&t, "10.0.0.1/8") ||
        wl_trusted_proxies_add(&t, "")) {
        puts("FAIL: a non-address was taken as a proxy");
        failures++;
    }
    /* No trusted proxy: the header is never used. */
    expect(&none, "127.0.0.1", "203.0.113.7", "127.0.0.1");
    expect(NULL, "127.0.0.1", "203.0.113.7", "127.0.0.1");
    /* From an untrusted peer the header is ignored, whatever it says. */
    expect(&t, "192.0.2.9", "203.0.113.7", "192.0.2.9");
    /* From a trusted proxy: the last entry (the one the proxy added), in canonical form. */
    expect(&t, "127.0.0.1", "203.0.113.7", "203.0.113.7");
    expect(&t, "127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7");
    expect(&t, "127.0.0.1", "1.2.3.4,  2001:DB8::0:1 ", "2001:db8::1");
    expect(&t, "::1", "203.0.113.8", "203.0.113.8");
    /* A trusted proxy with no usable entry: the proxy's own address. */
    expect(&t, "127.0.0.1", NULL, "127.0.0.1");
    expect(&t, "127.0.0.1", "", "127.0.0.1");
    expect(&t, "127.0.0.1", "203.0.113.7, unknown", "127.0.0.1");
    expect(&t, "127.0.0.1", "203.0.113.7, 999.1.1.1", "127.0.0.1");
    expect(&t, "127.0.0.1", "203.0.113.7, 1.2.3.4:5678", "127.0.0.1");
    if (!failures) puts("client address: ok");
    return failures ? 1 : 0;
}
