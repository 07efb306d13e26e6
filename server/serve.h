/* Runs the HTTP listener (libmicrohttpd) until SIGINT or SIGTERM. */
#ifndef WL_SERVER_SERVE_H
#define WL_SERVER_SERVE_H

#include "api.h"
#include "client_addr.h"

typedef struct {
    wl_api_t *api;
    const char *listen;   /* IP address; plain HTTP is only allowed on loopback (see main.c) */
    int port;
    int max_connections;
    const wl_trusted_proxies_t *trusted; /* proxies whose X-Forwarded-For names the client */
    int threads;          /* HTTP worker threads (each serves many connections) */
} wl_serve_t;

/* Returns the process exit code: 0 after a clean stop, 1 when it cannot listen, 2 on a bad address. */
int wl_serve_run(wl_serve_t *s);

#endif
