/* The versioned schema of the central PostgreSQL store, applied in order by wl_central_open.
 * Append only: never edit a step that has shipped; each runs in its own transaction. */
#include "central/central_internal.h"

const wl_central_migration_t wl_central_migrations[] = {
    {1, "kiosks, sealed intakes, slots, holds, bookings, events, portal drafts",
     /* kiosks hold only public keys: the server can check a kiosk's signature but never
      * sign for it. request_nonces makes every signed request usable once. intakes keep
      * the exact bytes a kiosk sent (sealed to the staff key; the server cannot open them)
      * plus their SHA-256, so a retry with the same bytes is recognised and other bytes
      * under the same reference are refused. slot_usage's CHECK makes overbooking
      * impossible whatever the number of servers: every seat (held or booked) is one
      * increment of `used` on a row PostgreSQL locks for the transaction. */
     "CREATE TABLE kiosks ("
     "  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.-]{1,63}$'),"
     "  location text NOT NULL CHECK (length(location) BETWEEN 1 AND 63),"
     "  public_key bytea NOT NULL CHECK (length(public_key) = 32),"
     "  enabled boolean NOT NULL DEFAULT true,"
     "  created_at bigint NOT NULL"
     ");"
     "CREATE TABLE request_nonces ("
     "  kiosk text NOT NULL REFERENCES kiosks(id),"
     "  nonce text NOT NULL CHECK (length(nonce) BETWEEN 16 AND 64),"
     "  ts bigint NOT NULL,"
     "  PRIMARY KEY (kiosk, nonce)"
     ");"
     "CREATE INDEX request_nonces_ts ON request_nonces(ts);"
     "CREATE TABLE intakes ("
     "  ref text PRIMARY KEY CHECK (length(ref) = 11),"
     "  kiosk text NOT NULL REFERENCES kiosks(id),"
     "  location text NOT NULL,"
     "  completed_at bigint NOT NULL,"
     "  received_at bigint NOT NULL,"
     "  sha256 bytea NOT NULL CHECK (length(sha256) = 32),"
     "  record bytea NOT NULL"
     ");"
     "CREATE INDEX intakes_by_location ON intakes(location, received_at);"
     "CREATE INDEX intakes_by_received ON intakes(received_at);"
     "CREATE TABLE slot_usage ("
     "  service text NOT NULL,"
     "  location text NOT NULL,"
     "  start text NOT NULL CHECK (length(start) = 16),"
     "  capacity integer NOT NULL CHECK (capacity > 0),"
     "  used integer NOT NULL CHECK (used >= 0 AND used <= capacity),"
     "  PRIMARY KEY (service, location, start)"
     ");"
     "CREATE TABLE holds ("
     "  id text PRIMARY KEY CHECK (length(id) = 32),"
     "  service text NOT NULL,"
     "  location text NOT NULL,"
     "  start text NOT NULL,"
     "  kiosk text NOT NULL,"
     "  expires_at bigint NOT NULL"
     ");"
     "CREATE INDEX holds_by_slot ON holds(service, location, start, expires_at);"
     "CREATE TABLE appointments ("
     "  ref text PRIMARY KEY CHECK (length(ref) = 11),"
     "  service text NOT NULL,"
     "  location text NOT NULL,"
     "  start text NOT NULL CHECK (length(start) = 16),"
     "  end_time text NOT NULL,"
     "  status text NOT NULL CHECK (status IN ('booked', 'cancelled')),"
     "  language text NOT NULL,"
     "  intake_ref text,"
     "  kiosk text,"
     "  print_state text NOT NULL DEFAULT 'none',"
     "  created_at bigint NOT NULL,"
     "  cancelled_at bigint"
     ");"
     "CREATE INDEX appointments_by_slot ON appointments(location, start);"
     "CREATE TABLE events ("
     "  id bigserial PRIMARY KEY,"
     "  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),"
     "  location text NOT NULL,"
     "  kiosk text NOT NULL,"
     "  detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 500),"
     "  at bigint NOT NULL,"
     "  acked_by text,"
     "  acked_at bigint"
     ");"
     "CREATE INDEX events_open ON events(acked_at, at);"
     "CREATE TABLE drafts ("
     "  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),"
     "  data bytea NOT NULL,"
     "  expires_at bigint NOT NULL"
     ");"
     "CREATE INDEX drafts_expiry ON drafts(expires_at);"},
    {2, "intakes: the channel a citizen used (kiosk or web portal)",
     /* A portal intake has no kiosk (kiosk IS NULL, no key, nothing signed): the server's own
      * portal stores it. The CHECK keeps the pair consistent either way. */
     "ALTER TABLE intakes ADD COLUMN channel text NOT NULL DEFAULT 'kiosk' "
     "  CHECK (channel IN ('kiosk', 'portal'));"
     "ALTER TABLE intakes ALTER COLUMN kiosk DROP NOT NULL;"
     "ALTER TABLE intakes ADD CONSTRAINT intakes_channel_kiosk "
     "  CHECK ((channel = 'kiosk') = (kiosk IS NOT NULL));"},
    {3, "minima counts: anonymous figures of the portal's minima check",
     /* Owned by central_minima.c; the same shape as a kiosk's SQLite tables (store migration
      * 5): day, location, scheme, status and a count, nothing that leads to a person. */
     "CREATE TABLE minima_runs ("
     "  day text NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
     "  location text NOT NULL CHECK (length(location) BETWEEN 1 AND 64),"
     "  count bigint NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location)"
     ");"
     "CREATE TABLE minima_shown ("
     "  day text NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
     "  location text NOT NULL CHECK (length(location) BETWEEN 1 AND 64),"
     "  scheme text NOT NULL CHECK (length(scheme) > 0),"
     "  status text NOT NULL CHECK (status IN ('eligible', 'maybe')),"
     "  count bigint NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location, scheme, status)"
     ");"},
    {4, "events: the kiosk's own key of each event, so a retried delivery is stored once",
     /* central_events.c: "<kiosk event id>@<its time>", unique per kiosk; NULL for events
      * posted without one (older kiosks, curl by hand). */
     "ALTER TABLE events ADD COLUMN kiosk_key text CHECK (length(kiosk_key) BETWEEN 1 AND 64);"
     "CREATE UNIQUE INDEX events_kiosk_key ON events(kiosk, kiosk_key) WHERE kiosk_key IS NOT NULL;"},
};

const size_t wl_central_migration_count = sizeof wl_central_migrations / sizeof wl_central_migrations[0];
