/* The client address a request is counted under: the peer, or behind a trusted proxy the last
 * X-Forwarded-For entry that proxy added. */
#ifndef WL_SERVER_CLIENT_ADDR_H
#define WL_SERVER_CLIENT_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#define WL_MAX_TRUSTED_PROXIES 8
#define WL_ADDR_BUFSZ 46 /* INET6_ADDRSTRLEN */

typedef struct {
    char addr[WL_MAX_TRUSTED_PROXIES][WL_ADDR_BUFSZ]; /* canonical text (inet_ntop) */
    size_t n;
} wl_trusted_proxies_t;

/* Adds one proxy address (IPv4 or IPv6, any spelling inet_pton takes). False when it is not
 * an IP address or the list is full. */
bool wl_trusted_proxies_add(wl_trusted_proxies_t *t, const char *addr);

/* Writes the address to count the request under into out: peer itself, unless peer is one of
 * the trusted proxies and xff (the X-Forwarded-For value, may be NULL) ends in a valid IP
 * address, which is then used (in canonical form). Anyone else's X-Forwarded-For is ignored:
 * a client could write anything there. */
void wl_client_addr(const wl_trusted_proxies_t *t, const char *peer, const char *xff, char out[WL_ADDR_BUFSZ]);

#endif
