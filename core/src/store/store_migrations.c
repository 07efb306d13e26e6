/* The ordered list of schema migrations that wl_store_open applies, one transaction each.
 *
 * Rules for adding a migration (read before editing):
 *  - Append only. Never edit or reorder an entry that has shipped: kiosks in the field hold
 *    databases at every earlier version and replay the steps after theirs.
 *  - Versions are 1, 2, 3, ... with no gaps; wl_store_open refuses a list with gaps.
 *    Taken: 1 intakes + answers (store), 2 users (auth), 3 appointments, 4 privacy
 *    (audit, decisions, purged counts), 5 minima counts, 6 kiosk events, 7 channel, 8 portal
 *    drafts, 9 user locations. The next free number is the one
 *    after the last entry; two modules adding a step at once must agree who gets which.
 *  - The SQL is constant DDL (and constant data fixes). No values from users or files:
 *    those go through prepared statements in the owning module.
 *  - Each step runs inside BEGIN IMMEDIATE ... COMMIT together with PRAGMA user_version = N,
 *    so a crash mid-upgrade leaves the file at the previous version, never in between.
 *    Do not put BEGIN/COMMIT, PRAGMA journal_mode or VACUUM in the SQL.
 *  - Tables are STRICT so a wrong type is an error, not a silent conversion.
 *  - Add a case to tests/unit/test_store.c if the step moves existing data; the generic
 *    "upgrade from every earlier version" test picks the new version up by itself.
 */
#include "store/store_sql.h"

const wl_store_migration_t wl_store_migrations[] = {
    {1, "intakes and their answers",
     /* Everything needed for day lists and statistics stays in clear in `intakes`
      * (location, dates, route, result); what a citizen answered lives in intake_data so
      * it can be replaced by a sealed box later (encoding 'sealed') without a schema change. */
     "CREATE TABLE intakes ("
     "  ref TEXT PRIMARY KEY NOT NULL CHECK (length(ref) = 11),"
     "  location TEXT NOT NULL CHECK (length(location) > 0),"
     "  kiosk TEXT NOT NULL,"
     "  language TEXT NOT NULL,"
     "  assisted_by TEXT,"
     "  started_at INTEGER NOT NULL,"
     "  completed_at INTEGER,"
     "  status TEXT NOT NULL CHECK (status IN ('completed', 'abandoned')),"
     "  questionnaire_version TEXT NOT NULL,"
     "  rules_version TEXT NOT NULL,"
     "  route TEXT,"
     "  result TEXT,"
     "  created_at INTEGER NOT NULL"
     ") STRICT;"
     "CREATE INDEX intakes_by_location_day ON intakes(location, completed_at);"
     "CREATE INDEX intakes_by_completed ON intakes(completed_at);"
     "CREATE TABLE intake_data ("
     "  ref TEXT NOT NULL REFERENCES intakes(ref) ON DELETE CASCADE,"
     "  kind TEXT NOT NULL CHECK (kind IN ('answers', 'personal')),"
     "  encoding TEXT NOT NULL CHECK (encoding IN ('json', 'sealed')),"
     "  payload BLOB NOT NULL,"
     "  PRIMARY KEY (ref, kind)"
     ") STRICT;"},

    {2, "users: volunteers, staff and admins with Argon2id PIN hashes",
     /* failed counts wrong PINs since the last good one; from the fifth on, each one locks
      * the user for 2^(failed-5) minutes (capped at a day) until locked_until. */
     "CREATE TABLE users ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 63),"
     "  role TEXT NOT NULL CHECK (role IN ('volunteer', 'staff', 'admin')),"
     "  pin_hash TEXT NOT NULL,"
     "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
     "  failed INTEGER NOT NULL DEFAULT 0,"
     "  locked_until INTEGER NOT NULL DEFAULT 0"
     ") STRICT;"},

    {3, "appointments and slot usage",
     /* slot_usage holds one row per (service, location, start) whose CHECK makes overbooking
      * impossible: a booking increments `used` inside BEGIN IMMEDIATE, so a second kiosk
      * writing the last seat fails on the constraint instead of overbooking. `start` is local
      * wall-clock time "YYYY-MM-DDTHH:MM" at the location (Europe/Amsterdam). */
     "CREATE TABLE slot_usage ("
     "  service TEXT NOT NULL,"
     "  location TEXT NOT NULL,"
     "  start TEXT NOT NULL CHECK (length(start) = 16),"
     "  capacity INTEGER NOT NULL CHECK (capacity > 0),"
     "  used INTEGER NOT NULL CHECK (used >= 0 AND used <= capacity),"
     "  PRIMARY KEY (service, location, start)"
     ") STRICT;"
     "CREATE TABLE appointments ("
     "  ref TEXT PRIMARY KEY NOT NULL CHECK (length(ref) = 11),"
     "  service TEXT NOT NULL,"
     "  location TEXT NOT NULL,"
     "  start TEXT NOT NULL CHECK (length(start) = 16),"
     "  end_time TEXT NOT NULL CHECK (length(end_time) = 5),"
     "  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),"
     "  language TEXT NOT NULL,"
     "  intake_ref TEXT,"
     "  kiosk TEXT,"
     "  created_at INTEGER NOT NULL,"
     "  cancelled_at INTEGER,"
     "  print_state TEXT NOT NULL DEFAULT 'none'"
     "    CHECK (print_state IN ('none', 'printed', 'failed')),"
     "  print_error TEXT"
     ") STRICT;"
     "CREATE INDEX appointments_by_location_start ON appointments(location, start);"},

    {4, "privacy: audit trail, pull and decision, anonymous counts kept after purge",
     /* Owned by the privacy module (audit.c, casework.c, retention.c; docs/privacy.md).
      * audit: append-only (the triggers refuse DELETE and any UPDATE except filling in a
      * missing hash) and hash-chained in C (audit.c). User changes are written by triggers
      * on users, so they are caught whoever makes them; the trigger cannot know the person,
      * hence actor '(database)', and hash NULL until audit.c chains them.
      * intake_detail: the sealed full classification result.
      * decisions: the professional's route; reason is sealed to the staff key.
      * purged_counts/purged_signals: anonymous day counts that survive the purge so
      * statistics over old periods stay right. */
     "CREATE TABLE audit ("
     "  id INTEGER PRIMARY KEY,"
     "  at INTEGER NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  ref TEXT,"
     "  detail TEXT NOT NULL DEFAULT '',"
     "  hash BLOB CHECK (hash IS NULL OR length(hash) = 32)"
     ") STRICT;"
     "CREATE INDEX audit_by_ref ON audit(ref);"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
     "  SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be removed');"
     " END;"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
     " WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at"
     "  OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action OR NEW.ref IS NOT OLD.ref"
     "  OR NEW.detail IS NOT OLD.detail BEGIN"
     "  SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed');"
     " END;"
     "CREATE TRIGGER audit_user_add AFTER INSERT ON users BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', 'user.add', 'user=' || NEW.name || ' role=' || NEW.role);"
     " END;"
     "CREATE TRIGGER audit_user_role AFTER UPDATE OF role ON users WHEN NEW.role IS NOT OLD.role BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', 'user.role', 'user=' || NEW.name || ' role=' || OLD.role || '->' || NEW.role);"
     " END;"
     "CREATE TRIGGER audit_user_disabled AFTER UPDATE OF disabled ON users"
     " WHEN NEW.disabled IS NOT OLD.disabled BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', CASE NEW.disabled WHEN 1 THEN 'user.disable' ELSE 'user.enable' END,"
     "   'user=' || NEW.name);"
     " END;"
     "CREATE TRIGGER audit_user_pin AFTER UPDATE OF pin_hash ON users"
     " WHEN NEW.pin_hash IS NOT OLD.pin_hash BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', 'user.pin', 'user=' || NEW.name || ' PIN changed');"
     " END;"
     "CREATE TRIGGER audit_user_locked AFTER UPDATE OF locked_until ON users"
     " WHEN NEW.locked_until > OLD.locked_until BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', 'user.locked', 'user=' || NEW.name || ' after ' || NEW.failed ||"
     "   ' wrong PINs, until ' || NEW.locked_until);"
     " END;"
     "CREATE TRIGGER audit_user_delete AFTER DELETE ON users BEGIN"
     "  INSERT INTO audit(at, actor, action, detail) VALUES (CAST(strftime('%s','now') AS INTEGER),"
     "   '(database)', 'user.delete', 'user=' || OLD.name);"
     " END;"
     "ALTER TABLE intakes ADD COLUMN pulled_by TEXT;"
     "ALTER TABLE intakes ADD COLUMN pulled_at INTEGER;"
     "ALTER TABLE intakes ADD COLUMN anonymised_at INTEGER;"
     /* Lists and exports walk intakes in this order; the index spares sorting wide rows. */
     "CREATE INDEX intakes_by_when ON intakes(COALESCE(completed_at, started_at), ref);"
     /* The full classification result (trace, scores, problem domains, signal texts),
      * sealed; intakes.result keeps only the clear part (store_seal.c). A table of its own
      * so day lists and exports never read these kilobytes. */
     "CREATE TABLE intake_detail ("
     "  ref TEXT PRIMARY KEY NOT NULL REFERENCES intakes(ref) ON DELETE CASCADE,"
     "  payload BLOB NOT NULL"
     ") STRICT;"
     "CREATE TABLE decisions ("
     "  id INTEGER PRIMARY KEY,"
     "  ref TEXT NOT NULL REFERENCES intakes(ref) ON DELETE CASCADE,"
     "  route TEXT NOT NULL CHECK (route IN ('zelfdoener', 'klantondersteuning', 'participatie')),"
     "  advised_route TEXT,"
     "  reason BLOB,"
     "  decided_by TEXT NOT NULL,"
     "  decided_at INTEGER NOT NULL"
     ") STRICT;"
     "CREATE INDEX decisions_by_ref ON decisions(ref, id);"
     "CREATE TABLE purged_counts ("
     "  day TEXT NOT NULL CHECK (length(day) = 10),"
     "  location TEXT NOT NULL,"
     "  status TEXT NOT NULL,"
     "  route TEXT NOT NULL DEFAULT '',"
     "  kik_status TEXT NOT NULL DEFAULT '',"
     "  decided_route TEXT NOT NULL DEFAULT '',"
     "  n INTEGER NOT NULL CHECK (n > 0),"
     "  PRIMARY KEY (day, location, status, route, kik_status, decided_route)"
     ") STRICT;"
     "CREATE TABLE purged_signals ("
     "  day TEXT NOT NULL CHECK (length(day) = 10),"
     "  location TEXT NOT NULL,"
     "  signal TEXT NOT NULL,"
     "  n INTEGER NOT NULL CHECK (n > 0),"
     "  PRIMARY KEY (day, location, signal)"
     ") STRICT;"},

    {5, "minima wizard: anonymous counts of schemes shown",
     /* Owned by the minima module (minima_count.c; docs/minima.md). Only day, location,
      * scheme, status and a count: no time of day, no household figures, no session id, so
      * no row can be traced back to the person who used the kiosk. */
     "CREATE TABLE minima_runs ("
     "  day TEXT NOT NULL CHECK (length(day) = 10),"
     "  location TEXT NOT NULL CHECK (length(location) > 0),"
     "  count INTEGER NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location)"
     ") STRICT;"
     "CREATE TABLE minima_shown ("
     "  day TEXT NOT NULL CHECK (length(day) = 10),"
     "  location TEXT NOT NULL CHECK (length(location) > 0),"
     "  scheme TEXT NOT NULL CHECK (length(scheme) > 0),"
     "  status TEXT NOT NULL CHECK (status IN ('eligible', 'maybe')),"
     "  count INTEGER NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location, scheme, status)"
     ") STRICT;"},

    {6, "kiosk events for staff: help requests and printer failures",
     /* Owned by store_events.c. No personal data: a kind, where, when, and a short detail
      * such as a reference code or a printer error. Acknowledged rows stay for the log. */
     "CREATE TABLE kiosk_events ("
     "  id INTEGER PRIMARY KEY,"
     "  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),"
     "  location TEXT NOT NULL,"
     "  kiosk TEXT NOT NULL,"
     "  detail TEXT NOT NULL DEFAULT '',"
     "  at INTEGER NOT NULL,"
     "  acked_by TEXT,"
     "  acked_at INTEGER"
     ") STRICT;"
     "CREATE INDEX kiosk_events_open ON kiosk_events(acked_at, at);"},

    {7, "intakes: the channel a citizen used (kiosk or web portal)",
     /* Every intake before this came from a kiosk. Written by wl_journey_submit. */
     "ALTER TABLE intakes ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk' "
     "CHECK (channel IN ('kiosk', 'portal'));"},

    {8, "the citizen portal's encrypted drafts (save and resume by code)",
     /* Owned by store_drafts.c: an opaque id (a keyed hash of the citizen's resume code) and
      * bytes the portal encrypted with a key derived from that code (Argon2id), so this file
      * cannot read a draft; rows past expires_at are deleted. */
     "CREATE TABLE portal_drafts ("
     "  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64),"
     "  data BLOB NOT NULL,"
     "  expires_at INTEGER NOT NULL"
     ") STRICT;"
     "CREATE INDEX portal_drafts_expiry ON portal_drafts(expires_at);"},

    {9, "users: the locations a volunteer helps at",
     /* Owned by auth.c. A kiosk lists only the volunteers of its own location (issue 12); a
      * volunteer without a row here is listed at no kiosk until an admin sets a location. */
     "CREATE TABLE user_locations ("
     "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     "  location TEXT NOT NULL CHECK (length(location) BETWEEN 1 AND 63),"
     "  PRIMARY KEY (user_id, location)"
     ") STRICT;"},
};

const size_t wl_store_migration_count = sizeof wl_store_migrations / sizeof wl_store_migrations[0];
