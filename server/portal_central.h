/* The citizen portal's storage backend (server/portal/backend.h) on the central PostgreSQL store. */
#ifndef WL_SERVER_PORTAL_CENTRAL_H
#define WL_SERVER_PORTAL_CENTRAL_H

#include "portal/backend.h"
#include "wijkloket/central.h"

/* A backend over the server's connection pool (borrowed; it must outlive the portal), sealing
 * every completed intake to the staff public key at public_key_path, each part bound to its
 * record with the install key at install_key_path (made when missing). Both read once here. */
wl_rc wl_portal_backend_central(wl_central_pool_t *pool, const char *public_key_path, const char *install_key_path,
                                wl_portal_backend_t *out, wl_err_t *err);

#endif
