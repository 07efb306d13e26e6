/* Private to the kiosk API: the dispatcher after authentication and request helpers. */
#ifndef WL_SERVER_API_ROUTES_H
#define WL_SERVER_API_ROUTES_H

#include "api.h"
#include "api_parse.h"

/* Runs the endpoint for an authenticated kiosk k on connection c. nonce: the request's
 * checked headers when its nonce is not recorded yet (POST /api/v1/bookings records it in
 * the booking's own statement), else NULL. */
void wl_api_dispatch(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_api_auth_t *nonce,
                     const wl_http_request_t *req, wl_http_response_t *res);

#endif
