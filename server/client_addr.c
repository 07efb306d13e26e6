/* The client address behind a trusted reverse proxy (X-Forwarded-For), for the rate limits. */
#include "client_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* addr in canonical text form into out; false when it is not an IPv4 or IPv6 address. */
static bool canonical(const char *addr, size_t len, char out[WL_ADDR_BUFSZ])
{
    char tmp[WL_ADDR_BUFSZ];
    if (len == 0 || len >= sizeof tmp) return false;
    memcpy(tmp, addr, len);
    tmp[len] = 0;
    unsigned char bin[16];
    if (inet_pton(AF_INET, tmp, bin) == 1) return inet_ntop(AF_INET, bin, out, WL_ADDR_BUFSZ) != NULL;
    if (inet_pton(AF_INET6, tmp, bin) == 1) return inet_ntop(AF_INET6, bin, out, WL_ADDR_BUFSZ) != NULL;
    return false;
}

bool wl_trusted_proxies_add(wl_trusted_proxies_t *t, const char *addr)
{
    if (!addr || t->n >= WL_MAX_TRUSTED_PROXIES) return false;
    if (!canonical(addr, strlen(addr), t->addr[t->n])) return false;
    t->n++;
    return true;
}

void wl_client_addr(const wl_trusted_proxies_t *t, const char *peer, const char *xff, char out[WL_ADDR_BUFSZ])
{
    snprintf(out, WL_ADDR_BUFSZ, "%s", peer ? peer : "?");
    if (!t || !xff || !peer) return;
    char p[WL_ADDR_BUFSZ];
    if (!canonical(peer, strlen(peer), p)) return;
    bool trusted = false;
    for (size_t i = 0; i < t->n && !trusted; i++) trusted = strcmp(t->addr[i], p) == 0;
    if (!trusted) return;
    /* The proxy appends the address it saw as the last entry; earlier ones came from the
     * client and prove nothing. */
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t') last++;
    size_t n = strlen(last);
    while (n && (last[n - 1] == ' ' || last[n - 1] == '\t')) n--;
    char c[WL_ADDR_BUFSZ];
    if (canonical(last, n, c)) memcpy(out, c, sizeof c);
}
