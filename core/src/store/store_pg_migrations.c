/* The versioned schema of the PostgreSQL database (server and store), applied in order by wl_pg_migrate.
 * One list for both users of the database: steps 1-4 are the server's tables (kiosks, sealed
 * deliveries, seats, holds, bookings, events, drafts, the portal's minima counts, event keys),
 * step 5 the core store's tables, step 6 files deliveries into them, step 8 leaves one home for
 * minima counts (the store's), step 9 the server's hot statements as functions and that
 * filing per statement. Two branches adding a
 * step at once must agree on the numbers: the later one renumbers before it ships. Append
 * only: never edit a step that has shipped; each runs in its own transaction. */
#include "store/store_pg.h"

const wl_pg_migration_t wl_pg_migrations[] = {
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
    {5, "the core store's tables (wl_store schema) beside the server's; print results on bookings",
     /* The one store API (wijkloket/store.h) on PostgreSQL: the same tables as the SQLite
      * file (store_migrations.c, versions 1-8), in schema wl_store so they do not clash with
      * the server's own `intakes` (sealed delivery records), `events` and minima counts. Bookings and seats
      * are NOT copied: the store books in public.slot_usage and public.appointments, the very
      * rows the server's holds and bookings use, so a seat counts once whichever program
      * takes it and CHECK (used <= capacity) guards them all. Types: SQLite INTEGER is
      * bigint, BLOB bytea, INTEGER PRIMARY KEY an identity column. */
     "CREATE SCHEMA wl_store;"
     "ALTER TABLE public.appointments ADD COLUMN print_error text;"
     "ALTER TABLE public.appointments ADD CONSTRAINT appointments_print_state"
     "  CHECK (print_state IN ('none', 'printed', 'failed'));"
     /* The few SQLite functions the shared SQL uses (figures, lists, retention), so one SQL
      * text serves both backends. date(t, 'unixepoch', 'localtime') is the day of unix time t
      * in the session's time zone (set from TZ at open, as SQLite follows the process's),
      * json_extract(text, '$.a.b') a field as text, json_each(text, '$.a') the elements of an
      * array (none when it is not one), strftime('%s', day, 'utc') local midnight of day as
      * unix seconds. STRICT: NULL in, NULL out, as in SQLite. */
     "CREATE FUNCTION wl_store.date(t bigint, a text, b text) RETURNS text LANGUAGE sql STABLE STRICT AS"
     " $f$ SELECT to_char(to_timestamp(t), 'YYYY-MM-DD') $f$;"
     "CREATE FUNCTION wl_store.json_extract(j text, path text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS"
     " $f$ SELECT j::jsonb #>> string_to_array(substr(path, 3), '.') $f$;"
     "CREATE FUNCTION wl_store.json_each(j text, path text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE STRICT AS"
     " $f$ SELECT e::text FROM jsonb_array_elements(CASE WHEN jsonb_typeof(j::jsonb #> string_to_array(substr(path, 3), '.'))"
     " = 'array' THEN j::jsonb #> string_to_array(substr(path, 3), '.') ELSE '[]'::jsonb END) AS e $f$;"
     "CREATE FUNCTION wl_store.strftime(fmt text, day text, modifier text) RETURNS bigint LANGUAGE sql STABLE STRICT AS"
     " $f$ SELECT extract(epoch FROM (day::date::timestamp AT TIME ZONE current_setting('TimeZone')))::bigint $f$;"
     "CREATE TABLE wl_store.intakes ("
     "  ref text PRIMARY KEY CHECK (length(ref) = 11),"
     "  location text NOT NULL CHECK (length(location) > 0),"
     "  kiosk text NOT NULL,"
     "  language text NOT NULL,"
     "  assisted_by text,"
     "  started_at bigint NOT NULL,"
     "  completed_at bigint,"
     "  status text NOT NULL CHECK (status IN ('completed', 'abandoned')),"
     "  questionnaire_version text NOT NULL,"
     "  rules_version text NOT NULL,"
     "  route text,"
     "  result text,"
     "  created_at bigint NOT NULL,"
     "  pulled_by text,"
     "  pulled_at bigint,"
     "  anonymised_at bigint,"
     "  channel text NOT NULL DEFAULT 'kiosk' CHECK (channel IN ('kiosk', 'portal'))"
     ");"
     "CREATE INDEX intakes_by_location_day ON wl_store.intakes(location, completed_at);"
     "CREATE INDEX intakes_by_completed ON wl_store.intakes(completed_at);"
     "CREATE INDEX intakes_by_when ON wl_store.intakes((COALESCE(completed_at, started_at)), ref);"
     "CREATE TABLE wl_store.intake_data ("
     "  ref text NOT NULL REFERENCES wl_store.intakes(ref) ON DELETE CASCADE DEFERRABLE,"
     "  kind text NOT NULL CHECK (kind IN ('answers', 'personal')),"
     "  encoding text NOT NULL CHECK (encoding IN ('json', 'sealed')),"
     "  payload bytea NOT NULL,"
     "  PRIMARY KEY (ref, kind)"
     ");"
     "CREATE TABLE wl_store.intake_detail ("
     "  ref text PRIMARY KEY REFERENCES wl_store.intakes(ref) ON DELETE CASCADE DEFERRABLE,"
     "  payload bytea NOT NULL"
     ");"
     /* name unique without regard to case, as SQLite's COLLATE NOCASE */
     "CREATE TABLE wl_store.users ("
     "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     "  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 63),"
     "  role text NOT NULL CHECK (role IN ('volunteer', 'staff', 'admin')),"
     "  pin_hash text NOT NULL,"
     "  disabled bigint NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
     "  failed bigint NOT NULL DEFAULT 0,"
     "  locked_until bigint NOT NULL DEFAULT 0"
     ");"
     "CREATE UNIQUE INDEX users_name ON wl_store.users(lower(name));"
     "CREATE TABLE wl_store.audit ("
     "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     "  at bigint NOT NULL,"
     "  actor text NOT NULL,"
     "  action text NOT NULL,"
     "  ref text,"
     "  detail text NOT NULL DEFAULT '',"
     "  hash bytea CHECK (hash IS NULL OR length(hash) = 32)"
     ");"
     "CREATE INDEX audit_by_ref ON wl_store.audit(ref);"
     /* The audit trail's guards, as SQLite's triggers (store_migrations.c step 4): append
      * only, a missing hash may be filled in once, and user changes are written whoever makes
      * them (actor '(database)', chained by audit.c before the commit). Ids are the next number
      * under the same advisory lock audit.c takes, so there are no gaps and no forks. */
     "CREATE FUNCTION wl_store.audit_guard() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
     "  IF TG_OP = 'DELETE' THEN"
     "    RAISE EXCEPTION 'the audit trail is append-only: entries cannot be removed';"
     "  END IF;"
     "  IF OLD.hash IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at"
     "     OR NEW.actor IS DISTINCT FROM OLD.actor OR NEW.action IS DISTINCT FROM OLD.action"
     "     OR NEW.ref IS DISTINCT FROM OLD.ref OR NEW.detail IS DISTINCT FROM OLD.detail THEN"
     "    RAISE EXCEPTION 'the audit trail is append-only: entries cannot be changed';"
     "  END IF;"
     "  RETURN NEW;"
     " END $f$;"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON wl_store.audit FOR EACH ROW EXECUTE FUNCTION wl_store.audit_guard();"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON wl_store.audit FOR EACH ROW EXECUTE FUNCTION wl_store.audit_guard();"
     "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON wl_store.audit EXECUTE FUNCTION wl_store.audit_guard();"
     "CREATE FUNCTION wl_store.audit_user() RETURNS trigger LANGUAGE plpgsql AS $f$"
     " DECLARE act text; det text; BEGIN"
     "  IF TG_OP = 'INSERT' THEN act := 'user.add'; det := 'user=' || NEW.name || ' role=' || NEW.role;"
     "  ELSIF TG_OP = 'DELETE' THEN act := 'user.delete'; det := 'user=' || OLD.name;"
     "  ELSIF NEW.role IS DISTINCT FROM OLD.role THEN act := 'user.role';"
     "    det := 'user=' || NEW.name || ' role=' || OLD.role || '->' || NEW.role;"
     "  ELSIF NEW.disabled IS DISTINCT FROM OLD.disabled THEN"
     "    act := CASE NEW.disabled WHEN 1 THEN 'user.disable' ELSE 'user.enable' END; det := 'user=' || NEW.name;"
     "  ELSIF NEW.pin_hash IS DISTINCT FROM OLD.pin_hash THEN act := 'user.pin'; det := 'user=' || NEW.name || ' PIN changed';"
     "  ELSIF NEW.locked_until > OLD.locked_until THEN act := 'user.locked';"
     "    det := 'user=' || NEW.name || ' after ' || NEW.failed || ' wrong PINs, until ' || NEW.locked_until;"
     "  ELSE RETURN NULL; END IF;"
     "  PERFORM pg_advisory_xact_lock(1464552269);"
     "  INSERT INTO wl_store.audit(id, at, actor, action, detail) VALUES"
     "   ((SELECT coalesce(max(id), 0) + 1 FROM wl_store.audit), extract(epoch FROM now())::bigint, '(database)', act, det);"
     "  RETURN NULL;"
     " END $f$;"
     "CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON wl_store.users"
     " FOR EACH ROW EXECUTE FUNCTION wl_store.audit_user();"
     "CREATE TABLE wl_store.decisions ("
     "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     "  ref text NOT NULL REFERENCES wl_store.intakes(ref) ON DELETE CASCADE DEFERRABLE,"
     "  route text NOT NULL CHECK (route IN ('zelfdoener', 'klantondersteuning', 'participatie')),"
     "  advised_route text,"
     "  reason bytea,"
     "  decided_by text NOT NULL,"
     "  decided_at bigint NOT NULL"
     ");"
     "CREATE INDEX decisions_by_ref ON wl_store.decisions(ref, id);"
     "CREATE TABLE wl_store.purged_counts ("
     "  day text NOT NULL CHECK (length(day) = 10),"
     "  location text NOT NULL,"
     "  status text NOT NULL,"
     "  route text NOT NULL DEFAULT '',"
     "  kik_status text NOT NULL DEFAULT '',"
     "  decided_route text NOT NULL DEFAULT '',"
     "  n bigint NOT NULL CHECK (n > 0),"
     "  PRIMARY KEY (day, location, status, route, kik_status, decided_route)"
     ");"
     "CREATE TABLE wl_store.purged_signals ("
     "  day text NOT NULL CHECK (length(day) = 10),"
     "  location text NOT NULL,"
     "  signal text NOT NULL,"
     "  n bigint NOT NULL CHECK (n > 0),"
     "  PRIMARY KEY (day, location, signal)"
     ");"
     "CREATE TABLE wl_store.minima_runs ("
     "  day text NOT NULL CHECK (length(day) = 10),"
     "  location text NOT NULL CHECK (length(location) > 0),"
     "  count bigint NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location)"
     ");"
     "CREATE TABLE wl_store.minima_shown ("
     "  day text NOT NULL CHECK (length(day) = 10),"
     "  location text NOT NULL CHECK (length(location) > 0),"
     "  scheme text NOT NULL CHECK (length(scheme) > 0),"
     "  status text NOT NULL CHECK (status IN ('eligible', 'maybe')),"
     "  count bigint NOT NULL CHECK (count > 0),"
     "  PRIMARY KEY (day, location, scheme, status)"
     ");"
     "CREATE TABLE wl_store.kiosk_events ("
     "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     "  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),"
     "  location text NOT NULL,"
     "  kiosk text NOT NULL,"
     "  detail text NOT NULL DEFAULT '',"
     "  at bigint NOT NULL,"
     "  acked_by text,"
     "  acked_at bigint"
     ");"
     "CREATE INDEX kiosk_events_open ON wl_store.kiosk_events(acked_at, at);"
     "CREATE TABLE wl_store.portal_drafts ("
     "  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),"
     "  data bytea NOT NULL,"
     "  expires_at bigint NOT NULL"
     ");"
     "CREATE INDEX portal_drafts_expiry ON wl_store.portal_drafts(expires_at);"},
    {6, "delivered intakes also land in the store's tables, for staff casework over every kiosk",
     /* Kiosks and the portal deliver a sealed record (docs/server-api.md) into public.intakes;
      * this trigger files the same record, in the same statement and so the same commit,
      * into wl_store.intakes (clear fields and the clear part of the result), intake_data
      * (answers and personal data, still sealed) and intake_detail (the full result, sealed):
      * what `wijkloket-staff --db postgresql://... decide|stats|export|...` reads through the
      * one store API. The server still never holds the secret key. Records delivered before
      * this step are filed once here. */
     "CREATE FUNCTION wl_store.take_delivery(d public.intakes) RETURNS void LANGUAGE plpgsql AS $f$"
     " DECLARE j jsonb := convert_from(d.record, 'UTF8')::jsonb; BEGIN"
     "  INSERT INTO wl_store.intakes (ref, location, kiosk, language, assisted_by, started_at, completed_at, status,"
     "   questionnaire_version, rules_version, route, result, created_at, channel) VALUES (d.ref, d.location,"
     "   coalesce(d.kiosk, ''), coalesce(j->>'language', 'nl'), j->>'assisted_by',"
     "   coalesce((j->>'started_at')::bigint, d.completed_at), d.completed_at, 'completed',"
     "   coalesce(j->>'questionnaire_version', ''), coalesce(j->>'rules_version', ''), j->>'route',"
     "   CASE WHEN jsonb_typeof(j->'result') = 'object' THEN (j->'result')::text END, d.received_at, d.channel)"
     "   ON CONFLICT (ref) DO NOTHING;"
     "  IF j->'answers'->>'encoding' = 'sealed' THEN INSERT INTO wl_store.intake_data VALUES"
     "   (d.ref, 'answers', 'sealed', decode(j->'answers'->>'data', 'base64')) ON CONFLICT DO NOTHING; END IF;"
     "  IF j->'personal'->>'encoding' = 'sealed' THEN INSERT INTO wl_store.intake_data VALUES"
     "   (d.ref, 'personal', 'sealed', decode(j->'personal'->>'data', 'base64')) ON CONFLICT DO NOTHING; END IF;"
     "  IF j->'detail'->>'encoding' = 'sealed' THEN INSERT INTO wl_store.intake_detail VALUES"
     "   (d.ref, decode(j->'detail'->>'data', 'base64')) ON CONFLICT DO NOTHING; END IF;"
     " END $f$;"
     "CREATE FUNCTION wl_store.on_delivery() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
     "  PERFORM wl_store.take_delivery(NEW); RETURN NULL; END $f$;"
     "CREATE TRIGGER intakes_to_store AFTER INSERT ON public.intakes FOR EACH ROW EXECUTE FUNCTION wl_store.on_delivery();"
     "SELECT wl_store.take_delivery(i) FROM public.intakes i;"},
    {7, "users: the locations a volunteer helps at",
     /* As SQLite's step 9 (store_migrations.c): a kiosk lists only its location's volunteers. */
     "CREATE TABLE wl_store.user_locations ("
     "  user_id bigint NOT NULL REFERENCES wl_store.users(id) ON DELETE CASCADE,"
     "  location text NOT NULL CHECK (length(location) BETWEEN 1 AND 63),"
     "  PRIMARY KEY (user_id, location)"
     ");"},
    {8, "one home for minima counts: the portal's counts join the store's (wl_store.minima_*)",
     /* Step 3 gave the portal its own minima tables beside the store's (step 5), so a central
      * database had two sets of the same anonymous figures. The portal now counts into the
      * store's tables (central_minima.c) and `wijkloket-staff minima-counts` reads them through
      * the store, as on a kiosk's file. Counts already made are added to the store's rows;
      * the portal's stricter checks move along so no figure gets weaker rules. */
     "INSERT INTO wl_store.minima_runs (day, location, count) SELECT day, location, count FROM public.minima_runs"
     "  ON CONFLICT (day, location) DO UPDATE SET count = wl_store.minima_runs.count + EXCLUDED.count;"
     "INSERT INTO wl_store.minima_shown (day, location, scheme, status, count)"
     "  SELECT day, location, scheme, status, count FROM public.minima_shown"
     "  ON CONFLICT (day, location, scheme, status) DO UPDATE SET count = wl_store.minima_shown.count + EXCLUDED.count;"
     "DROP TABLE public.minima_runs;"
     "DROP TABLE public.minima_shown;"
     "ALTER TABLE wl_store.minima_runs ADD CONSTRAINT minima_runs_day CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
     "  ADD CONSTRAINT minima_runs_location CHECK (length(location) <= 64);"
     "ALTER TABLE wl_store.minima_shown ADD CONSTRAINT minima_shown_day CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
     "  ADD CONSTRAINT minima_shown_location CHECK (length(location) <= 64);"},
    {9, "speed: the server's hot statements as functions, deliveries filed per statement",
     /* Self-contained (it only adds functions and swaps step 6's trigger), so a branch that
      * adds another step can renumber it freely. Why: on a loaded 2-core machine most of a
      * booking's database time was planning its CTE again for every request, and most of a
      * batch's was step 6's per-row trigger (docs/scale.md, "Where the time goes").
      * A plpgsql function keeps its plans for the life of the connection, so the server calls
      * these instead of sending the statements (the same statements as before, unchanged);
      * unlike prepared statements they also work behind PgBouncer in transaction mode.
      * wl_nonce_use records a request nonce only for a known, enabled kiosk (false otherwise) and
      * commits without its own WAL flush: SET LOCAL ends with the statement's transaction, and
      * whatever durable change the request then makes commits later in the same WAL, which
      * PostgreSQL flushes in order (see wl_central_nonce_use). */
     "CREATE FUNCTION public.wl_nonce_use(p_kiosk text, p_nonce text, p_ts bigint) RETURNS boolean"
     " LANGUAGE plpgsql AS $f$ BEGIN"
     "  PERFORM set_config('synchronous_commit', 'off', true);"
     "  INSERT INTO request_nonces (kiosk, nonce, ts) SELECT id, p_nonce, p_ts FROM kiosks"
     "   WHERE id = p_kiosk AND enabled;"
     "  RETURN FOUND;"
     " END $f$;"
     /* A seat: free the slot's expired holds, take one (CHECK used <= capacity refuses the one
      * after the last: SQLSTATE 23514 reaches the caller unchanged). */
     "CREATE FUNCTION public.wl_hold(p_id text, p_service text, p_location text, p_start text, p_kiosk text,"
     "  p_expires bigint, p_now bigint, p_cap int) RETURNS void LANGUAGE plpgsql AS $f$ BEGIN"
     "  WITH gone AS (DELETE FROM holds WHERE service = p_service AND location = p_location AND start = p_start"
     "    AND expires_at <= p_now RETURNING 1),"
     "   seat AS (INSERT INTO slot_usage (service, location, start, capacity, used)"
     "    VALUES (p_service, p_location, p_start, p_cap, 1) ON CONFLICT (service, location, start) DO UPDATE"
     "    SET used = slot_usage.used + 1 - (SELECT count(*) FROM gone), capacity = excluded.capacity RETURNING 1)"
     "  INSERT INTO holds (id, service, location, start, kiosk, expires_at)"
     "   SELECT p_id, p_service, p_location, p_start, p_kiosk, p_expires FROM seat;"
     " END $f$;"
     /* A booking without a hold: the same as wl_hold, then the appointment. Returns its ref. */
     "CREATE FUNCTION public.wl_book_direct(p_ref text, p_service text, p_location text, p_start text, p_end text,"
     "  p_lang text, p_intake text, p_kiosk text, p_now bigint, p_cap int) RETURNS text LANGUAGE plpgsql AS $f$"
     " DECLARE r text; BEGIN"
     "  WITH gone AS (DELETE FROM holds WHERE service = p_service AND location = p_location AND start = p_start"
     "    AND expires_at <= p_now RETURNING 1),"
     "   seat AS (INSERT INTO slot_usage (service, location, start, capacity, used)"
     "    VALUES (p_service, p_location, p_start, p_cap, 1) ON CONFLICT (service, location, start) DO UPDATE"
     "    SET used = slot_usage.used + 1 - (SELECT count(*) FROM gone), capacity = excluded.capacity RETURNING 1)"
     "  INSERT INTO appointments (ref, service, location, start, end_time, status, language, intake_ref, kiosk, created_at)"
     "   SELECT p_ref, p_service, p_location, p_start, p_end, 'booked', p_lang, p_intake, p_kiosk, p_now FROM seat"
     "   RETURNING ref INTO r;"
     "  RETURN r;"
     " END $f$;"
     /* A booking on the caller's unexpired hold: the held seat becomes the appointment. NULL
      * when there is no such hold. */
     "CREATE FUNCTION public.wl_book_held(p_ref text, p_service text, p_location text, p_start text, p_end text,"
     "  p_lang text, p_intake text, p_kiosk text, p_now bigint, p_hold text) RETURNS text LANGUAGE plpgsql AS $f$"
     " DECLARE r text; BEGIN"
     "  WITH h AS (DELETE FROM holds WHERE id = p_hold AND kiosk = p_kiosk AND service = p_service"
     "    AND location = p_location AND start = p_start AND expires_at > p_now RETURNING 1)"
     "  INSERT INTO appointments (ref, service, location, start, end_time, status, language, intake_ref, kiosk, created_at)"
     "   SELECT p_ref, p_service, p_location, p_start, p_end, 'booked', p_lang, p_intake, p_kiosk, p_now FROM h"
     "   RETURNING ref INTO r;"
     "  RETURN r;"
     " END $f$;"
     /* A kiosk's booking request in ONE round trip and one commit: its nonce (as
      * wl_nonce_use, but committed with the booking's own flush) and the booking. Inside
      * the block a full slot (check_violation) or a hold that is gone rolls back only the
      * booking, so the nonce stays used and a replay of a refused request is refused too; a
      * reference drawn twice (unique_violation) tries the next candidate of p_refs. A
      * replayed nonce raises unique_violation outside the block: nothing is stored.
      * Returns the booked ref, or '!disabled', '!full', '!hold', '!refs'. */
     "CREATE FUNCTION public.wl_book_signed(p_kiosk text, p_nonce text, p_ts bigint, p_refs text[], p_service text,"
     "  p_location text, p_start text, p_end text, p_lang text, p_intake text, p_now bigint, p_cap int, p_hold text)"
     " RETURNS text LANGUAGE plpgsql AS $f$"
     " DECLARE r text; x text; BEGIN"
     "  INSERT INTO request_nonces (kiosk, nonce, ts) SELECT id, p_nonce, p_ts FROM kiosks"
     "   WHERE id = p_kiosk AND enabled;"
     "  IF NOT FOUND THEN RETURN '!disabled'; END IF;"
     "  FOREACH x IN ARRAY p_refs LOOP"
     "   BEGIN"
     "    IF p_hold IS NULL THEN"
     "     r := wl_book_direct(x, p_service, p_location, p_start, p_end, p_lang, p_intake, p_kiosk, p_now, p_cap);"
     "    ELSE"
     "     r := wl_book_held(x, p_service, p_location, p_start, p_end, p_lang, p_intake, p_kiosk, p_now, p_hold);"
     "    END IF;"
     "    RETURN coalesce(r, '!hold');"
     "   EXCEPTION WHEN unique_violation THEN NULL;"
     "    WHEN check_violation THEN RETURN '!full';"
     "   END;"
     "  END LOOP;"
     "  RETURN '!refs';"
     " END $f$;"
     /* Step 6's filing, set-based: one trigger call per statement over all its new rows (a
      * batch of 50 is one statement), each record's JSON parsed once, three INSERT ... SELECT
      * instead of a plpgsql call and up to four single-row INSERTs per record. Same rows, same
      * ON CONFLICT rules, same statement and so the same commit as the delivery. */
     "CREATE FUNCTION wl_store.on_deliveries() RETURNS trigger LANGUAGE plpgsql AS $f$"
     " DECLARE n bigint; BEGIN"
     "  WITH d AS MATERIALIZED (SELECT x.ref, x.location, x.kiosk, x.completed_at, x.received_at, x.channel,"
     "     convert_from(x.record, 'UTF8')::jsonb AS j FROM new_rows x),"
     "   i AS (INSERT INTO wl_store.intakes (ref, location, kiosk, language, assisted_by, started_at, completed_at,"
     "     status, questionnaire_version, rules_version, route, result, created_at, channel)"
     "    SELECT d.ref, d.location, coalesce(d.kiosk, ''), coalesce(d.j->>'language', 'nl'), d.j->>'assisted_by',"
     "     coalesce((d.j->>'started_at')::bigint, d.completed_at), d.completed_at, 'completed',"
     "     coalesce(d.j->>'questionnaire_version', ''), coalesce(d.j->>'rules_version', ''), d.j->>'route',"
     "     CASE WHEN jsonb_typeof(d.j->'result') = 'object' THEN (d.j->'result')::text END, d.received_at, d.channel"
     "    FROM d ON CONFLICT (ref) DO NOTHING RETURNING 1),"
     "   a AS (INSERT INTO wl_store.intake_data"
     "    SELECT d.ref, k.kind, 'sealed', decode(d.j->k.kind->>'data', 'base64')"
     "    FROM d CROSS JOIN (VALUES ('answers'), ('personal')) AS k(kind)"
     "    WHERE d.j->k.kind->>'encoding' = 'sealed' ON CONFLICT DO NOTHING RETURNING 1),"
     "   t AS (INSERT INTO wl_store.intake_detail SELECT d.ref, decode(d.j->'detail'->>'data', 'base64') FROM d"
     "    WHERE d.j->'detail'->>'encoding' = 'sealed' ON CONFLICT DO NOTHING RETURNING 1)"
     "  SELECT (SELECT count(*) FROM i) + (SELECT count(*) FROM a) + (SELECT count(*) FROM t) INTO n;"
     "  RETURN NULL;"
     " END $f$;"
     "DROP TRIGGER intakes_to_store ON public.intakes;"
     "CREATE TRIGGER intakes_to_store AFTER INSERT ON public.intakes REFERENCING NEW TABLE AS new_rows"
     " FOR EACH STATEMENT EXECUTE FUNCTION wl_store.on_deliveries();"},
    {10, "proof of origin: the server's signature on each stored record and kiosk registration",
     /* Signed with the server's origin key, a file outside the database (central_origin.c):
      * a database writer can no longer make a record, or swap a kiosk's public key, that the
      * server or staff take as genuine. Rows from before this step keep NULL: staff open
      * them only when asked (`show --unproven`), and the server believes an old kiosk only
      * after an administrator runs `wijkloket-server kiosk-confirm` (docs/security.md §1). */
     "ALTER TABLE public.intakes ADD COLUMN origin_sig bytea CHECK (origin_sig IS NULL OR length(origin_sig) = 64);"
     "ALTER TABLE public.kiosks ADD COLUMN registration_sig bytea"
     "  CHECK (registration_sig IS NULL OR length(registration_sig) = 64);"},
};

const size_t wl_pg_migration_count = sizeof wl_pg_migrations / sizeof wl_pg_migrations[0];
