import GRDB

extension AppDatabase {
    /// Named migrations; a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tips-and-audit") { db in
            // Atomic reference allocation: one counter row per year, bumped inside the tip's transaction.
            try db.execute(sql: """
                CREATE TABLE reference_counter (
                  year INTEGER PRIMARY KEY,
                  last_serial INTEGER NOT NULL CHECK (last_serial >= 0)
                ) STRICT;

                CREATE TABLE tip (
                  id INTEGER PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE CHECK (length(uid) = 32),
                  reference TEXT NOT NULL UNIQUE,
                  received_at INTEGER NOT NULL,
                  category TEXT NOT NULL,
                  district TEXT NOT NULL,
                  centre TEXT NOT NULL,
                  urgency TEXT NOT NULL CHECK (urgency IN ('major','important','routine')),
                  status TEXT NOT NULL CHECK (status IN ('received','triaged','rejected','verifying','verified','unfounded','closed')),
                  status_changed_at INTEGER NOT NULL,
                  due_at INTEGER NOT NULL,
                  wants_reward INTEGER NOT NULL CHECK (wants_reward IN (0,1)),
                  has_identity INTEGER NOT NULL CHECK (has_identity IN (0,1)),
                  evidence_count INTEGER NOT NULL DEFAULT 0 CHECK (evidence_count >= 0),
                  receipt_lookup BLOB NOT NULL UNIQUE CHECK (length(receipt_lookup) = 32),
                  reporter_public_key BLOB NOT NULL CHECK (length(reporter_public_key) = 32),
                  reporter_key_sealed BLOB NOT NULL,
                  submission_hash BLOB NOT NULL CHECK (length(submission_hash) = 32),
                  proof BLOB NOT NULL CHECK (length(proof) = 64),
                  routing_rule TEXT NOT NULL,
                  routing_policy_hash TEXT NOT NULL,
                  duplicate_of INTEGER REFERENCES tip(id),
                  assigned_to TEXT,
                  closed_at INTEGER
                ) STRICT;
                CREATE INDEX tip_queue ON tip(centre, status, due_at);
                CREATE INDEX tip_due ON tip(status, due_at);

                -- Centres whose queues show the tip besides its own (e.g. the city for major tips).
                CREATE TABLE tip_copy (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  centre TEXT NOT NULL,
                  PRIMARY KEY (tip_id, centre)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX tip_copy_centre ON tip_copy(centre);

                -- Sealed fields: AES-256-GCM under the tip's content or identity data key.
                CREATE TABLE tip_field (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  name TEXT NOT NULL,
                  key_class TEXT NOT NULL CHECK (key_class IN ('content','identity')),
                  sealed BLOB NOT NULL,
                  PRIMARY KEY (tip_id, name)
                ) STRICT, WITHOUT ROWID;

                -- HPKE wraps of the data keys, one per recipient key.
                CREATE TABLE tip_wrap (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  key_class TEXT NOT NULL CHECK (key_class IN ('content','identity')),
                  recipient_key_id TEXT NOT NULL CHECK (length(recipient_key_id) = 32),
                  centre TEXT NOT NULL,
                  sealed BLOB NOT NULL,
                  added_at INTEGER NOT NULL,
                  PRIMARY KEY (tip_id, key_class, recipient_key_id)
                ) STRICT, WITHOUT ROWID;

                -- Evidence files, sealed under the content key (metadata stripped before sealing).
                CREATE TABLE tip_evidence (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
                  sealed BLOB NOT NULL,
                  PRIMARY KEY (tip_id, ordinal)
                ) STRICT;

                -- Messages between reporter and centre: each sealed under its own key, wrapped for
                -- the reporter key and the centres' content keys.
                CREATE TABLE tip_message (
                  id INTEGER PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE,
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  author TEXT NOT NULL CHECK (author IN ('reporter','centre')),
                  created_at INTEGER NOT NULL,
                  envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX tip_message_tip ON tip_message(tip_id, id);

                -- The audit chain (rule 3): append-only, hash-chained, signed.
                CREATE TABLE audit_entry (
                  seq INTEGER PRIMARY KEY,
                  at INTEGER NOT NULL,
                  actor TEXT NOT NULL,
                  action TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  details TEXT NOT NULL,
                  request BLOB,
                  request_signature BLOB,
                  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
                  hash BLOB NOT NULL CHECK (length(hash) = 32),
                  signer_key_id TEXT NOT NULL,
                  signature BLOB NOT NULL CHECK (length(signature) = 64)
                ) STRICT;
                CREATE INDEX audit_subject ON audit_entry(subject);

                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v2-triage") { db in
            try db.execute(sql: """
                -- Staff keys and their role at one centre (triage issue). Never deleted: revoked keys
                -- stay so that their past signatures can still be verified.
                CREATE TABLE staff (
                  key_id TEXT PRIMARY KEY CHECK (length(key_id) = 32),
                  name TEXT NOT NULL,
                  role TEXT NOT NULL CHECK (role IN ('triage','identity-holder','supervisor','accountant','auditor','admin')),
                  centre TEXT NOT NULL,
                  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                  enrolled_at INTEGER NOT NULL,
                  enrolled_by TEXT NOT NULL,
                  revoked_at INTEGER,
                  revoked_by TEXT
                ) STRICT;

                -- Nonces of signed admin requests, kept past the allowed clock skew to refuse replays.
                CREATE TABLE request_nonce (
                  key_id TEXT NOT NULL,
                  nonce TEXT NOT NULL,
                  seen_at INTEGER NOT NULL,
                  PRIMARY KEY (key_id, nonce)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX request_nonce_seen ON request_nonce(seen_at);

                -- Every centre a tip was routed to, in order (the first row is the intake routing).
                CREATE TABLE tip_route (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  seq INTEGER NOT NULL,
                  centre TEXT NOT NULL,
                  at INTEGER NOT NULL,
                  actor TEXT NOT NULL,
                  rule TEXT NOT NULL,
                  PRIMARY KEY (tip_id, seq)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO tip_route(tip_id, seq, centre, at, actor, rule)
                  SELECT id, 1, centre, received_at, 'server', routing_rule FROM tip;

                -- Identity wraps a re-routing could not add (the operator held no identity key).
                CREATE TABLE pending_identity_wrap (
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  centre TEXT NOT NULL,
                  requested_at INTEGER NOT NULL,
                  requested_by TEXT NOT NULL,
                  PRIMARY KEY (tip_id, centre)
                ) STRICT, WITHOUT ROWID;

                -- Internal notes of the centres, sealed to the centres' content keys by the CLI.
                CREATE TABLE tip_note (
                  id INTEGER PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE,
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  author_key_id TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  envelope BLOB NOT NULL
                ) STRICT;

                ALTER TABLE tip_message ADD COLUMN author_key_id TEXT;
                ALTER TABLE tip ADD COLUMN resolution TEXT CHECK (resolution IN ('verified','unfounded','rejected'));
                ALTER TABLE tip ADD COLUMN enforcement_unit TEXT;
                ALTER TABLE tip ADD COLUMN outcome TEXT;
                ALTER TABLE tip ADD COLUMN identity_shredded_at INTEGER;
                ALTER TABLE tip ADD COLUMN content_shredded_at INTEGER;
                -- S-4.1 timeliness: when the first action was taken and whether it was within the tier.
                ALTER TABLE tip ADD COLUMN acted_at INTEGER;
                ALTER TABLE tip ADD COLUMN acted_on_time INTEGER CHECK (acted_on_time IN (0,1));
                CREATE INDEX tip_closed ON tip(status, closed_at);
                """)
        }
        migrator.registerMigration("v3-vouchers") { db in
            try db.execute(sql: """
                -- Reward voucher codes, sealed to the tip's reporter key: only the receipt opens them.
                CREATE TABLE tip_voucher (
                  tip_id INTEGER PRIMARY KEY REFERENCES tip(id) ON DELETE CASCADE,
                  uid TEXT NOT NULL UNIQUE,
                  envelope BLOB NOT NULL,
                  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                  created_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v4-triage-at-scale") { db in
            // Queues and stats at 10^6 tips (Benchmarks/README.md, "Triage at scale"): the queue reads open
            // tips in due order from partial indexes and stops at its limit; the counts of `stats` and
            // `/metrics` come from a tally kept by triggers instead of scanning every tip.
            try db.execute(sql: """
                CREATE INDEX tip_open_due ON tip(due_at) WHERE status != 'closed';
                CREATE INDEX tip_open_centre_due ON tip(centre, due_at) WHERE status != 'closed';

                -- Tips per (centre, status, category, urgency, acted, on time): what stats and metrics count.
                CREATE TABLE tip_tally (
                  centre TEXT NOT NULL,
                  status TEXT NOT NULL,
                  category TEXT NOT NULL,
                  urgency TEXT NOT NULL,
                  acted INTEGER NOT NULL CHECK (acted IN (0,1)),
                  on_time INTEGER NOT NULL CHECK (on_time IN (0,1)),
                  n INTEGER NOT NULL CHECK (n >= 0),
                  PRIMARY KEY (centre, status, category, urgency, acted, on_time)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO tip_tally(centre, status, category, urgency, acted, on_time, n)
                  SELECT centre, status, category, urgency, acted_at IS NOT NULL,
                         CASE WHEN acted_on_time = 1 THEN 1 ELSE 0 END, count(*)
                  FROM tip GROUP BY 1, 2, 3, 4, 5, 6;

                CREATE TRIGGER tip_tally_insert AFTER INSERT ON tip BEGIN
                  INSERT INTO tip_tally(centre, status, category, urgency, acted, on_time, n)
                  VALUES (NEW.centre, NEW.status, NEW.category, NEW.urgency, NEW.acted_at IS NOT NULL,
                          CASE WHEN NEW.acted_on_time = 1 THEN 1 ELSE 0 END, 1)
                  ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER tip_tally_delete AFTER DELETE ON tip BEGIN
                  UPDATE tip_tally SET n = n - 1
                  WHERE centre = OLD.centre AND status = OLD.status AND category = OLD.category AND urgency = OLD.urgency
                    AND acted = (OLD.acted_at IS NOT NULL) AND on_time = (CASE WHEN OLD.acted_on_time = 1 THEN 1 ELSE 0 END);
                END;
                CREATE TRIGGER tip_tally_update AFTER UPDATE OF centre, status, category, urgency, acted_at, acted_on_time ON tip
                WHEN OLD.centre IS NOT NEW.centre OR OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
                  OR OLD.urgency IS NOT NEW.urgency OR (OLD.acted_at IS NULL) IS NOT (NEW.acted_at IS NULL)
                  OR OLD.acted_on_time IS NOT NEW.acted_on_time
                BEGIN
                  UPDATE tip_tally SET n = n - 1
                  WHERE centre = OLD.centre AND status = OLD.status AND category = OLD.category AND urgency = OLD.urgency
                    AND acted = (OLD.acted_at IS NOT NULL) AND on_time = (CASE WHEN OLD.acted_on_time = 1 THEN 1 ELSE 0 END);
                  INSERT INTO tip_tally(centre, status, category, urgency, acted, on_time, n)
                  VALUES (NEW.centre, NEW.status, NEW.category, NEW.urgency, NEW.acted_at IS NOT NULL,
                          CASE WHEN NEW.acted_on_time = 1 THEN 1 ELSE 0 END, 1)
                  ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                """)
        }
        migrator.registerMigration("v5-wrap-integrity") { db in
            // Issue 11, item 2: wraps are append-only. A (tip, class, recipient key) that has a wrap keeps
            // it byte for byte; only the retention shredder deletes wraps, and only of a class it has
            // already marked destroyed on the tip (identity_shredded_at / content_shredded_at are set
            // first, in the same transaction). Each data key has a commitment stored at intake
            // (docs/ENVELOPE.md §11) so that a wrap added later can be checked by its recipient, and each
            // wrap says who added it ('server' at intake, else the staff key id of the audited action).
            try db.execute(sql: """
                ALTER TABLE tip ADD COLUMN content_key_commitment BLOB
                  CHECK (content_key_commitment IS NULL OR length(content_key_commitment) = 32);
                ALTER TABLE tip ADD COLUMN identity_key_commitment BLOB
                  CHECK (identity_key_commitment IS NULL OR length(identity_key_commitment) = 32);
                ALTER TABLE tip_wrap ADD COLUMN added_by TEXT;

                CREATE TRIGGER tip_wrap_no_replace BEFORE INSERT ON tip_wrap
                WHEN EXISTS (SELECT 1 FROM tip_wrap WHERE tip_id = NEW.tip_id AND key_class = NEW.key_class
                                                      AND recipient_key_id = NEW.recipient_key_id)
                BEGIN SELECT RAISE(ABORT, 'wraps are append-only: that key already has a wrap'); END;
                CREATE TRIGGER tip_wrap_no_update BEFORE UPDATE ON tip_wrap
                BEGIN SELECT RAISE(ABORT, 'wraps are append-only'); END;
                CREATE TRIGGER tip_wrap_delete_only_shredded BEFORE DELETE ON tip_wrap
                WHEN NOT EXISTS (SELECT 1 FROM tip WHERE id = OLD.tip_id
                                   AND (content_shredded_at IS NOT NULL
                                        OR (OLD.key_class = 'identity' AND identity_shredded_at IS NOT NULL)))
                BEGIN SELECT RAISE(ABORT, 'wraps are append-only: only retention deletes them'); END;
                """)
        }
        migrator.registerMigration("v6-receipts") { db in
            // Receipts with a lookup part and a secret part (docs/ENVELOPE.md §13): a tip made from now on
            // is found by the hash of its receipt's 8-digit locator and checked against its own verifier,
            // scrypt with its own random salt and the parameters recorded here — one tip per guess.
            // Existing tips keep scheme 1 (the per-tip marker of the legacy path): their 16-digit
            // receipts are still derived with the deployment's salt and found by `receipt_lookup`. Their
            // parameters are filled in by the server at its first start on this schema
            // (`SQLiteTipStore.adoptLegacyReceiptParameters`), from the policy they were made under.
            try db.execute(sql: """
                ALTER TABLE tip ADD COLUMN receipt_scheme INTEGER NOT NULL DEFAULT 1 CHECK (receipt_scheme IN (1,2));
                ALTER TABLE tip ADD COLUMN receipt_locator BLOB CHECK (receipt_locator IS NULL OR length(receipt_locator) = 32);
                ALTER TABLE tip ADD COLUMN receipt_salt BLOB CHECK (receipt_salt IS NULL OR length(receipt_salt) = 16);
                ALTER TABLE tip ADD COLUMN receipt_kdf_n INTEGER CHECK (receipt_kdf_n IS NULL OR receipt_kdf_n > 1);
                ALTER TABLE tip ADD COLUMN receipt_kdf_r INTEGER CHECK (receipt_kdf_r IS NULL OR receipt_kdf_r > 0);
                ALTER TABLE tip ADD COLUMN receipt_kdf_p INTEGER CHECK (receipt_kdf_p IS NULL OR receipt_kdf_p > 0);
                CREATE UNIQUE INDEX tip_receipt_locator ON tip(receipt_locator) WHERE receipt_locator IS NOT NULL;
                CREATE INDEX tip_receipt_legacy ON tip(receipt_kdf_n, receipt_kdf_r, receipt_kdf_p) WHERE receipt_scheme = 1;
                """)
        }
        // Issue 11, staff governance: first approvals of privileged enrolments awaiting a second administrator.
        migrator.registerMigration("v7-staff-governance") { db in
            try db.execute(sql: """
                CREATE TABLE staff_pending (
                  key_id TEXT PRIMARY KEY,
                  request_hash TEXT NOT NULL,
                  name TEXT NOT NULL,
                  role TEXT NOT NULL,
                  centre TEXT NOT NULL,
                  first_approver TEXT NOT NULL,
                  approved_at INTEGER NOT NULL
                ) STRICT;
                """)
        }
        // Issue 13 item 10: files a reporter adds after submitting. Each is sealed on its own (a fresh
        // data key wrapped for the centres holding the tip's content key, as a reporter's message), since
        // the server never holds the tip's content key; the intake evidence and its hash stay untouched.
        migrator.registerMigration("v8-reporter-evidence") { db in
            try db.execute(sql: """
                CREATE TABLE tip_evidence_added (
                  id INTEGER PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE CHECK (length(uid) = 32),
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  created_at INTEGER NOT NULL,
                  envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX tip_evidence_added_tip ON tip_evidence_added(tip_id, id);
                """)
        }
        // Issue 13 item 6: `tips queue --mine` reads the caller's open tips by due time from an index,
        // not by walking every open tip (10^6 in the benchmark) for the few assigned to them.
        migrator.registerMigration("v9-queue-mine") { db in
            try db.execute(sql: "CREATE INDEX tip_open_assignee_due ON tip(assigned_to, due_at) WHERE status != 'closed'")
        }
        // Issue 13 item 9: an auditor's canary tip (`tipline-audit canary`), once marked by a signed
        // `tip.canary` request proven with its receipt, leaves the queues and statistics. `canary_at` is
        // when it was marked. The open-tip indexes are rebuilt with the same predicate, so the queue and
        // overdue queries (which add `canary_at IS NULL`) still read them in due order and stop at their
        // limit, and count overdue tips from the index alone; the tally triggers count only tips that
        // are not canaries (marking one takes it out of `tip_tally`, so stats and metrics drop it).
        migrator.registerMigration("v10-canary") { db in
            try db.execute(sql: """
                ALTER TABLE tip ADD COLUMN canary_at INTEGER CHECK (canary_at IS NULL OR canary_at >= 0);

                DROP INDEX tip_open_due;
                CREATE INDEX tip_open_due ON tip(due_at) WHERE status != 'closed' AND canary_at IS NULL;
                DROP INDEX tip_open_centre_due;
                CREATE INDEX tip_open_centre_due ON tip(centre, due_at) WHERE status != 'closed' AND canary_at IS NULL;
                DROP INDEX tip_open_assignee_due;
                CREATE INDEX tip_open_assignee_due ON tip(assigned_to, due_at) WHERE status != 'closed' AND canary_at IS NULL;

                DROP TRIGGER tip_tally_insert;
                DROP TRIGGER tip_tally_delete;
                DROP TRIGGER tip_tally_update;
                CREATE TRIGGER tip_tally_insert AFTER INSERT ON tip WHEN NEW.canary_at IS NULL BEGIN
                  INSERT INTO tip_tally(centre, status, category, urgency, acted, on_time, n)
                  VALUES (NEW.centre, NEW.status, NEW.category, NEW.urgency, NEW.acted_at IS NOT NULL,
                          CASE WHEN NEW.acted_on_time = 1 THEN 1 ELSE 0 END, 1)
                  ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER tip_tally_delete AFTER DELETE ON tip WHEN OLD.canary_at IS NULL BEGIN
                  UPDATE tip_tally SET n = n - 1
                  WHERE centre = OLD.centre AND status = OLD.status AND category = OLD.category AND urgency = OLD.urgency
                    AND acted = (OLD.acted_at IS NOT NULL) AND on_time = (CASE WHEN OLD.acted_on_time = 1 THEN 1 ELSE 0 END);
                END;
                CREATE TRIGGER tip_tally_update AFTER UPDATE OF centre, status, category, urgency, acted_at, acted_on_time, canary_at ON tip
                WHEN OLD.centre IS NOT NEW.centre OR OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
                  OR OLD.urgency IS NOT NEW.urgency OR (OLD.acted_at IS NULL) IS NOT (NEW.acted_at IS NULL)
                  OR OLD.acted_on_time IS NOT NEW.acted_on_time OR (OLD.canary_at IS NULL) IS NOT (NEW.canary_at IS NULL)
                BEGIN
                  UPDATE tip_tally SET n = n - 1
                  WHERE OLD.canary_at IS NULL
                    AND centre = OLD.centre AND status = OLD.status AND category = OLD.category AND urgency = OLD.urgency
                    AND acted = (OLD.acted_at IS NOT NULL) AND on_time = (CASE WHEN OLD.acted_on_time = 1 THEN 1 ELSE 0 END);
                  INSERT INTO tip_tally(centre, status, category, urgency, acted, on_time, n)
                  SELECT NEW.centre, NEW.status, NEW.category, NEW.urgency, NEW.acted_at IS NOT NULL,
                         CASE WHEN NEW.acted_on_time = 1 THEN 1 ELSE 0 END, 1
                  WHERE NEW.canary_at IS NULL
                  ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                """)
        }
        // Issue 14: the reporting network's registry (docs/NETWORK.md). Informant identities are
        // sealed on the handler's machine; an identity, once stored, never changes (trigger).
        migrator.registerMigration("v11-network") { db in
            try db.execute(sql: """
                CREATE TABLE staff_v11 (
                  key_id TEXT PRIMARY KEY CHECK (length(key_id) = 32),
                  name TEXT NOT NULL,
                  role TEXT NOT NULL CHECK (role IN ('triage','identity-holder','supervisor','accountant','auditor','admin',
                                                     'liaison','handler','editor','clerk','assessor')),
                  centre TEXT NOT NULL,
                  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                  enrolled_at INTEGER NOT NULL,
                  enrolled_by TEXT NOT NULL,
                  revoked_at INTEGER,
                  revoked_by TEXT,
                  unit TEXT
                ) STRICT;
                INSERT INTO staff_v11(key_id, name, role, centre, public_key, enrolled_at, enrolled_by, revoked_at, revoked_by)
                  SELECT key_id, name, role, centre, public_key, enrolled_at, enrolled_by, revoked_at, revoked_by FROM staff;
                DROP TABLE staff;
                ALTER TABLE staff_v11 RENAME TO staff;
                CREATE TABLE unit_leaders (
                  unit TEXT NOT NULL, year INTEGER NOT NULL,
                  main_name TEXT NOT NULL, main_title TEXT NOT NULL,
                  deputy_name TEXT NOT NULL, deputy_title TEXT NOT NULL,
                  officer_name TEXT NOT NULL, officer_title TEXT NOT NULL,
                  set_at INTEGER NOT NULL, set_by TEXT NOT NULL,
                  PRIMARY KEY (unit, year)
                ) STRICT;
                CREATE TABLE unit_self_check (
                  unit TEXT NOT NULL, year INTEGER NOT NULL,
                  staff_in_place INTEGER NOT NULL, funds_in_place INTEGER NOT NULL, support_in_place INTEGER NOT NULL,
                  note TEXT, checked_at INTEGER NOT NULL, checked_by TEXT NOT NULL,
                  PRIMARY KEY (unit, year)
                ) STRICT;
                CREATE TABLE liaison_record (
                  key_id TEXT PRIMARY KEY REFERENCES staff(key_id),
                  appointed_on TEXT NOT NULL, qualification TEXT NOT NULL,
                  recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL
                ) STRICT;
                CREATE TABLE training (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  unit TEXT NOT NULL, date TEXT NOT NULL, topic TEXT NOT NULL,
                  recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL
                ) STRICT;
                CREATE INDEX training_unit ON training(unit, date);
                CREATE TABLE training_attendee (
                  training_id INTEGER NOT NULL REFERENCES training(id),
                  key_id TEXT NOT NULL REFERENCES staff(key_id),
                  PRIMARY KEY (training_id, key_id)
                ) STRICT;
                CREATE INDEX training_attendee_key ON training_attendee(key_id);
                CREATE TABLE area (
                  code TEXT PRIMARY KEY CHECK (length(code) = 12),
                  level TEXT NOT NULL, parent TEXT NOT NULL, name_zh TEXT NOT NULL,
                  district TEXT NOT NULL, imported_at INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX area_district ON area(district, code);
                CREATE TABLE informant (
                  pseudonym TEXT PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE,
                  district TEXT NOT NULL,
                  serial INTEGER NOT NULL,
                  source_role TEXT NOT NULL,
                  status TEXT NOT NULL,
                  registered_at INTEGER NOT NULL,
                  registered_by TEXT NOT NULL,
                  status_changed_at INTEGER,
                  review_due TEXT NOT NULL,
                  identity BLOB NOT NULL,
                  identity_sha256 TEXT NOT NULL,
                  code_locator_hash BLOB NOT NULL,
                  code_salt BLOB NOT NULL,
                  code_n INTEGER NOT NULL, code_r INTEGER NOT NULL, code_p INTEGER NOT NULL,
                  code_verifier BLOB NOT NULL,
                  public_key BLOB NOT NULL,
                  sealed_key BLOB NOT NULL,
                  code_issued_at INTEGER NOT NULL,
                  UNIQUE (district, serial)
                ) STRICT;
                CREATE INDEX informant_locator ON informant(code_locator_hash);
                CREATE INDEX informant_district_due ON informant(district, status, review_due);
                CREATE TRIGGER informant_identity_fixed BEFORE UPDATE OF identity, identity_sha256, uid, district ON informant
                BEGIN SELECT RAISE(ABORT, 'an informant identity is never replaced'); END;
                CREATE TABLE informant_area (
                  code TEXT NOT NULL,
                  pseudonym TEXT NOT NULL REFERENCES informant(pseudonym),
                  PRIMARY KEY (code, pseudonym)
                ) STRICT;
                CREATE INDEX informant_area_pseudonym ON informant_area(pseudonym);
                CREATE TABLE informant_review (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  pseudonym TEXT NOT NULL REFERENCES informant(pseudonym),
                  reviewed_at INTEGER NOT NULL, reviewed_by TEXT NOT NULL,
                  outcome TEXT NOT NULL, next_due TEXT NOT NULL
                ) STRICT;
                CREATE INDEX informant_review_pseudonym ON informant_review(pseudonym, id);
                CREATE TABLE informant_unseal_request (
                  id TEXT PRIMARY KEY,
                  pseudonym TEXT NOT NULL REFERENCES informant(pseudonym),
                  requested_by TEXT NOT NULL, requested_at INTEGER NOT NULL, reason TEXT NOT NULL,
                  approved_by TEXT, approved_at INTEGER, used_at INTEGER
                ) STRICT;
                CREATE INDEX informant_unseal_request_by ON informant_unseal_request(pseudonym, requested_by);
                """)
        }
        // Issue 15: how a tip came. Web tips (every tip before) keep 'web'; a triage officer's record of a
        // call, letter, visit or e-mail (`tips record`) says which. The partial index keeps `stats` by
        // channel cheap: it counts only the recorded tips (web = total - recorded).
        migrator.registerMigration("v12-channel") { db in
            try db.execute(sql: """
                ALTER TABLE tip ADD COLUMN channel TEXT NOT NULL DEFAULT 'web'
                  CHECK (channel IN ('web', 'phone', 'letter', 'visit', 'email'));
                CREATE INDEX tip_recorded_channel ON tip(channel, centre) WHERE channel != 'web';
                """)
        }
        // Issue 15: information items. The sealed content, the signed statement and its signature never
        // change and an item is never deleted (triggers): a node cannot withdraw what it submitted, and
        // the city holds a wrap of every item from the moment it is written.
        migrator.registerMigration("v13-information") { db in
            try db.execute(sql: """
                CREATE TABLE info_item (
                  id INTEGER PRIMARY KEY,
                  reference TEXT NOT NULL UNIQUE,
                  year INTEGER NOT NULL, serial INTEGER NOT NULL,
                  uid TEXT NOT NULL UNIQUE,
                  unit TEXT NOT NULL,
                  kind TEXT NOT NULL, sub_kind TEXT, aspects TEXT NOT NULL,
                  timeliness TEXT NOT NULL,
                  event_at INTEGER NOT NULL, known_at INTEGER NOT NULL,
                  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
                  submitted_at INTEGER, due_at INTEGER, late INTEGER,
                  authors TEXT NOT NULL, unit_only INTEGER NOT NULL, unit_only_reason TEXT,
                  first_report TEXT, call_id TEXT,
                  statement TEXT NOT NULL, signature BLOB NOT NULL, signer_key_id TEXT NOT NULL,
                  envelope BLOB NOT NULL, envelope_sha256 TEXT NOT NULL,
                  state TEXT NOT NULL CHECK (state IN ('draft','submitted','returned','accepted','adopted','forwarded')),
                  state_changed_at INTEGER, return_reason TEXT,
                  UNIQUE (year, serial)
                ) STRICT;
                CREATE INDEX info_item_unit_submitted ON info_item(unit, submitted_at);
                CREATE INDEX info_item_submitted ON info_item(submitted_at);
                CREATE INDEX info_item_late ON info_item(late, submitted_at) WHERE late = 1;
                CREATE TRIGGER info_item_sealed_fixed BEFORE UPDATE OF uid, unit, statement, signature, signer_key_id, envelope, envelope_sha256 ON info_item
                BEGIN SELECT RAISE(ABORT, 'an item as written is never replaced'); END;
                CREATE TRIGGER info_item_no_delete BEFORE DELETE ON info_item
                BEGIN SELECT RAISE(ABORT, 'an item is never deleted'); END;
                CREATE INDEX info_item_call ON info_item(call_id) WHERE call_id IS NOT NULL;
                CREATE INDEX informant_district_status_serial ON informant(district, status, serial);
                CREATE INDEX informant_district_status_role ON informant(district, status, source_role);
                -- Coverage (S-3.1) in O(areas): active informants per area, kept by triggers.
                CREATE TABLE informant_cover (
                  code TEXT PRIMARY KEY, district TEXT NOT NULL, n INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX informant_cover_district ON informant_cover(district, n);
                INSERT INTO informant_cover(code, district, n)
                  SELECT a.code, i.district, count(*) FROM informant_area a JOIN informant i ON i.pseudonym = a.pseudonym
                  WHERE i.status = 'active' GROUP BY a.code;
                CREATE TRIGGER informant_cover_area_insert AFTER INSERT ON informant_area BEGIN
                  INSERT INTO informant_cover(code, district, n)
                    SELECT NEW.code, i.district, 1 FROM informant i WHERE i.pseudonym = NEW.pseudonym AND i.status = 'active'
                    ON CONFLICT(code) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER informant_cover_area_delete AFTER DELETE ON informant_area BEGIN
                  UPDATE informant_cover SET n = n - 1
                    WHERE code = OLD.code AND EXISTS(SELECT 1 FROM informant WHERE pseudonym = OLD.pseudonym AND status = 'active');
                END;
                CREATE TRIGGER informant_cover_activated AFTER UPDATE OF status ON informant
                WHEN NEW.status = 'active' AND OLD.status != 'active' BEGIN
                  INSERT INTO informant_cover(code, district, n)
                    SELECT code, NEW.district, 1 FROM informant_area WHERE pseudonym = NEW.pseudonym
                    ON CONFLICT(code) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER informant_cover_deactivated AFTER UPDATE OF status ON informant
                WHEN OLD.status = 'active' AND NEW.status != 'active' BEGIN
                  UPDATE informant_cover SET n = n - 1 WHERE code IN (SELECT code FROM informant_area WHERE pseudonym = NEW.pseudonym);
                END;
                CREATE TABLE info_call (
                  id TEXT PRIMARY KEY, topic TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('research','summary')),
                  due_on TEXT NOT NULL, units TEXT NOT NULL, opened_at INTEGER NOT NULL, opened_by TEXT NOT NULL
                ) STRICT;
                CREATE TABLE info_zero_report (
                  unit TEXT NOT NULL, period TEXT NOT NULL, filed_at INTEGER NOT NULL, filed_by TEXT NOT NULL,
                  PRIMARY KEY (unit, period)
                ) STRICT;
                """)
        }
        // Issue 15: a unit's own list of items (drafts included) newest first, read from an index.
        migrator.registerMigration("v14-item-unit-order") { db in
            try db.execute(sql: "CREATE INDEX info_item_unit_id ON info_item(unit, id)")
        }
        // Issue 14: the overdue-review list reads informants in review order from an index, not by
        // sorting every open informant of the district (19 ms at 10^4 per district before); coverage's
        // counts by source role come from a tally (counting 6·10^4 index entries took 10–15 ms city-wide).
        migrator.registerMigration("v15-informant-review-order") { db in
            try db.execute(sql: """
                CREATE INDEX informant_review_order ON informant(district, review_due, serial) WHERE status != 'retired';
                DROP INDEX IF EXISTS informant_district_status_role;
                -- Coverage's counts by source role, kept by triggers like informant_cover (a role never changes).
                CREATE TABLE informant_role_tally (
                  district TEXT NOT NULL, source_role TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (district, source_role)
                ) STRICT;
                INSERT INTO informant_role_tally(district, source_role, n)
                  SELECT district, source_role, count(*) FROM informant WHERE status = 'active' GROUP BY district, source_role;
                CREATE TRIGGER informant_role_insert AFTER INSERT ON informant WHEN NEW.status = 'active' BEGIN
                  INSERT INTO informant_role_tally(district, source_role, n) VALUES (NEW.district, NEW.source_role, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER informant_role_activated AFTER UPDATE OF status ON informant
                WHEN NEW.status = 'active' AND OLD.status != 'active' BEGIN
                  INSERT INTO informant_role_tally(district, source_role, n) VALUES (NEW.district, NEW.source_role, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER informant_role_deactivated AFTER UPDATE OF status ON informant
                WHEN OLD.status = 'active' AND NEW.status != 'active' BEGIN
                  UPDATE informant_role_tally SET n = n - 1 WHERE district = OLD.district AND source_role = OLD.source_role;
                END;
                """)
        }
        // Issue 15, the informant channel: reports filed through `/informant` (sealed at intake to the
        // district office and the city office), their photos, the handlers' replies, and a tip channel
        // `informant` for reports turned into tips; pictures of items. Nothing is deleted; a report is
        // linked once.
        migrator.registerMigration("v16-informant-reports") { db in
            try db.execute(sql: """
                CREATE TABLE informant_report (
                  id INTEGER PRIMARY KEY,
                  reference TEXT NOT NULL UNIQUE,
                  year INTEGER NOT NULL, serial INTEGER NOT NULL,
                  uid TEXT NOT NULL UNIQUE,
                  pseudonym TEXT NOT NULL REFERENCES informant(pseudonym),
                  district TEXT NOT NULL,
                  kind TEXT NOT NULL CHECK (kind IN ('case-lead','dynamic')),
                  received_at INTEGER NOT NULL,
                  envelope BLOB NOT NULL, envelope_sha256 TEXT NOT NULL,
                  photos INTEGER NOT NULL,
                  item_ref TEXT, tip_ref TEXT,
                  UNIQUE (year, serial)
                ) STRICT;
                CREATE INDEX informant_report_district ON informant_report(district, id);
                CREATE INDEX informant_report_pseudonym ON informant_report(pseudonym, id);
                CREATE TRIGGER informant_report_fixed
                BEFORE UPDATE OF reference, year, serial, uid, pseudonym, district, kind, received_at, envelope, envelope_sha256, photos ON informant_report
                BEGIN SELECT RAISE(ABORT, 'a report as received is never replaced'); END;
                CREATE TRIGGER informant_report_linked_once BEFORE UPDATE OF item_ref, tip_ref ON informant_report
                WHEN (OLD.item_ref IS NOT NULL AND NEW.item_ref IS NOT OLD.item_ref) OR (OLD.tip_ref IS NOT NULL AND NEW.tip_ref IS NOT OLD.tip_ref)
                BEGIN SELECT RAISE(ABORT, 'a report becomes an item or a tip once'); END;
                CREATE TRIGGER informant_report_no_delete BEFORE DELETE ON informant_report
                BEGIN SELECT RAISE(ABORT, 'a report is never deleted'); END;
                CREATE TABLE informant_report_photo (
                  report_id INTEGER NOT NULL REFERENCES informant_report(id), n INTEGER NOT NULL, envelope BLOB NOT NULL,
                  PRIMARY KEY (report_id, n)
                ) STRICT;
                CREATE TRIGGER informant_report_photo_fixed BEFORE UPDATE ON informant_report_photo
                BEGIN SELECT RAISE(ABORT, 'a photo as received is never replaced'); END;
                CREATE TRIGGER informant_report_photo_no_delete BEFORE DELETE ON informant_report_photo
                BEGIN SELECT RAISE(ABORT, 'a photo is never deleted'); END;
                CREATE TABLE informant_reply (
                  id INTEGER PRIMARY KEY,
                  report_id INTEGER NOT NULL REFERENCES informant_report(id),
                  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
                  envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX informant_reply_report ON informant_reply(report_id, id);
                CREATE TRIGGER informant_reply_fixed BEFORE UPDATE ON informant_reply
                BEGIN SELECT RAISE(ABORT, 'a reply as sent is never replaced'); END;
                CREATE TRIGGER informant_reply_no_delete BEFORE DELETE ON informant_reply
                BEGIN SELECT RAISE(ABORT, 'a reply is never deleted'); END;
                -- Pictures of items (stripped and sealed on the writer's machine); the count expected.
                ALTER TABLE info_item ADD COLUMN pictures_expected INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE info_item_picture (
                  item_id INTEGER NOT NULL REFERENCES info_item(id), n INTEGER NOT NULL, envelope BLOB NOT NULL,
                  PRIMARY KEY (item_id, n)
                ) STRICT;
                CREATE TRIGGER info_item_picture_fixed BEFORE UPDATE ON info_item_picture
                BEGIN SELECT RAISE(ABORT, 'a picture as written is never replaced'); END;
                CREATE TRIGGER info_item_picture_no_delete BEFORE DELETE ON info_item_picture
                BEGIN SELECT RAISE(ABORT, 'a picture is never deleted'); END;
                """)
            try TipChannelCheck.widen(db)
        }
        // Issue 16, the city desk: editors' signed versions of items (the author's original stays),
        // adoption records per level, and the bulletins (快报/简报) with their items and, once
        // published, the document sealed to every receiving unit. Nothing is deleted; a published
        // issue never changes.
        migrator.registerMigration("v17-city-desk") { db in
            try db.execute(sql: """
                CREATE TABLE info_item_version (
                  item_id INTEGER NOT NULL REFERENCES info_item(id), version INTEGER NOT NULL CHECK (version >= 2),
                  statement TEXT NOT NULL, signature BLOB NOT NULL, editor_key_id TEXT NOT NULL,
                  envelope BLOB NOT NULL, envelope_sha256 TEXT NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL,
                  PRIMARY KEY (item_id, version)
                ) STRICT;
                CREATE TRIGGER info_item_version_fixed BEFORE UPDATE ON info_item_version
                BEGIN SELECT RAISE(ABORT, 'a version as signed is never replaced'); END;
                CREATE TRIGGER info_item_version_no_delete BEFORE DELETE ON info_item_version
                BEGIN SELECT RAISE(ABORT, 'a version is never deleted'); END;
                CREATE TABLE info_adoption (
                  item_id INTEGER NOT NULL REFERENCES info_item(id), level TEXT NOT NULL, on_date TEXT NOT NULL, ref TEXT,
                  recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL,
                  PRIMARY KEY (item_id, level)
                ) STRICT;
                CREATE INDEX info_adoption_date ON info_adoption(on_date);
                CREATE TRIGGER info_adoption_fixed BEFORE UPDATE ON info_adoption
                BEGIN SELECT RAISE(ABORT, 'an adoption record is never replaced'); END;
                CREATE TRIGGER info_adoption_no_delete BEFORE DELETE ON info_adoption
                BEGIN SELECT RAISE(ABORT, 'an adoption record is never deleted'); END;
                CREATE TABLE bulletin (
                  id TEXT PRIMARY KEY,
                  type TEXT NOT NULL CHECK (type IN ('kuaibao','jianbao')), year INTEGER NOT NULL, number INTEGER NOT NULL,
                  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
                  published_at INTEGER, published_by TEXT, envelope BLOB, envelope_sha256 TEXT, document_sha256 TEXT,
                  UNIQUE (type, year, number)
                ) STRICT;
                CREATE TRIGGER bulletin_published_fixed BEFORE UPDATE ON bulletin WHEN OLD.published_at IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a published issue never changes'); END;
                CREATE TRIGGER bulletin_no_delete BEFORE DELETE ON bulletin
                BEGIN SELECT RAISE(ABORT, 'an issue is never deleted'); END;
                CREATE TABLE bulletin_item (
                  bulletin_id TEXT NOT NULL REFERENCES bulletin(id), position INTEGER NOT NULL, item_ref TEXT NOT NULL, version INTEGER NOT NULL,
                  PRIMARY KEY (bulletin_id, position), UNIQUE (bulletin_id, item_ref)
                ) STRICT;
                CREATE TRIGGER bulletin_item_fixed BEFORE UPDATE ON bulletin_item
                WHEN (SELECT published_at FROM bulletin WHERE id = OLD.bulletin_id) IS NOT NULL OR NEW.item_ref != OLD.item_ref
                BEGIN SELECT RAISE(ABORT, 'the items of a published issue are never replaced'); END;
                CREATE TRIGGER bulletin_item_no_delete BEFORE DELETE ON bulletin_item
                BEGIN SELECT RAISE(ABORT, 'the items of an issue are never deleted'); END;
                CREATE TRIGGER bulletin_item_draft_only BEFORE INSERT ON bulletin_item
                WHEN (SELECT published_at FROM bulletin WHERE id = NEW.bulletin_id) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a published issue never changes'); END;
                -- Statistics over a period (`stats --from --to`) read the tips received in it.
                CREATE INDEX tip_received ON tip(received_at);
                """)
        }
        // Issue 16: the seven ledgers (S-5.4). A record's clear metadata (ledger, unit, id, its date in a dated
        // ledger) and every version of its sealed values; an edit adds a version, the record row only points
        // at the newest. Nothing is deleted and no version changes (triggers): the auditor replays every
        // version from the log (`books.add`/`books.edit` carry their envelopes' hashes).
        migrator.registerMigration("v18-books") { db in
            try db.execute(sql: """
                CREATE TABLE book_record (
                  id INTEGER PRIMARY KEY,
                  record TEXT NOT NULL UNIQUE,
                  book TEXT NOT NULL,
                  year INTEGER NOT NULL, serial INTEGER NOT NULL CHECK (serial > 0),
                  unit TEXT NOT NULL,
                  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
                  version INTEGER NOT NULL CHECK (version >= 1),
                  record_date TEXT CHECK (record_date IS NULL OR length(record_date) = 10),
                  updated_at INTEGER NOT NULL,
                  UNIQUE (book, year, serial)
                ) STRICT;
                CREATE INDEX book_record_book ON book_record(book, id);
                CREATE INDEX book_record_unit ON book_record(book, unit, id);
                CREATE INDEX book_record_date ON book_record(book, record_date, unit) WHERE record_date IS NOT NULL;
                CREATE INDEX book_record_unit_date ON book_record(book, unit, record_date) WHERE record_date IS NOT NULL;
                CREATE INDEX book_record_created ON book_record(book, created_at, unit);
                CREATE TABLE book_version (
                  record_id INTEGER NOT NULL REFERENCES book_record(id),
                  version INTEGER NOT NULL CHECK (version >= 1),
                  record_date TEXT,
                  written_at INTEGER NOT NULL, written_by TEXT NOT NULL,
                  envelope BLOB NOT NULL, envelope_sha256 TEXT NOT NULL CHECK (length(envelope_sha256) = 64),
                  names BLOB, names_sha256 TEXT CHECK (names_sha256 IS NULL OR length(names_sha256) = 64),
                  PRIMARY KEY (record_id, version)
                ) STRICT;
                CREATE INDEX book_version_written ON book_version(written_at);
                CREATE TRIGGER book_record_fixed BEFORE UPDATE OF id, record, book, year, serial, unit, created_at, created_by ON book_record
                BEGIN SELECT RAISE(ABORT, 'a ledger record keeps its id, ledger and unit'); END;
                CREATE TRIGGER book_record_forward BEFORE UPDATE OF version ON book_record WHEN NEW.version != OLD.version + 1
                BEGIN SELECT RAISE(ABORT, 'a ledger record moves to its next version only'); END;
                CREATE TRIGGER book_record_no_delete BEFORE DELETE ON book_record
                BEGIN SELECT RAISE(ABORT, 'a ledger record is never deleted'); END;
                CREATE TRIGGER book_version_no_update BEFORE UPDATE ON book_version
                BEGIN SELECT RAISE(ABORT, 'a ledger record version is never changed'); END;
                CREATE TRIGGER book_version_no_delete BEFORE DELETE ON book_version
                BEGIN SELECT RAISE(ABORT, 'a ledger record version is never deleted'); END;
                CREATE TABLE book_zero_report (
                  book TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL, filed_at INTEGER NOT NULL, filed_by TEXT NOT NULL,
                  PRIMARY KEY (book, unit, period)
                ) STRICT;
                CREATE TRIGGER book_zero_report_no_update BEFORE UPDATE ON book_zero_report
                BEGIN SELECT RAISE(ABORT, 'a zero report is never changed'); END;
                CREATE TRIGGER book_zero_report_no_delete BEFORE DELETE ON book_zero_report
                BEGIN SELECT RAISE(ABORT, 'a zero report is never deleted'); END;
                """)
        }
        // Issue 17: the yearly assessment (S-3.5, S-6.3). Adjustments are kept (never changed or deleted) and
        // refused once the year is frozen; a freeze stores every result row and total with the hash the
        // assessor's request signed, in the transaction of its `assess.freeze` entry. Frozen rows never change
        // (triggers); the auditor recomputes the hash from them (`tipline-audit verify`).
        migrator.registerMigration("v19-assessment") { db in
            try db.execute(sql: """
                CREATE TABLE assessment_freeze (
                  year INTEGER PRIMARY KEY,
                  frozen_at INTEGER NOT NULL, frozen_by TEXT NOT NULL,
                  results_sha256 TEXT NOT NULL CHECK (length(results_sha256) = 64),
                  policy_sha256 TEXT NOT NULL
                ) STRICT;
                CREATE TABLE assessment_adjustment (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  year INTEGER NOT NULL, unit TEXT NOT NULL, criterion TEXT NOT NULL,
                  points INTEGER NOT NULL CHECK (points != 0),
                  reason TEXT NOT NULL CHECK (length(reason) > 0),
                  recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL
                ) STRICT;
                CREATE INDEX assessment_adjustment_year ON assessment_adjustment(year, unit, criterion);
                CREATE TABLE assessment_result (
                  year INTEGER NOT NULL, unit TEXT NOT NULL, criterion TEXT NOT NULL,
                  measure INTEGER, computed INTEGER NOT NULL, adjusted INTEGER NOT NULL,
                  PRIMARY KEY (year, unit, criterion)
                ) STRICT;
                CREATE TABLE assessment_total (
                  year INTEGER NOT NULL, unit TEXT NOT NULL, rank INTEGER NOT NULL CHECK (rank >= 1), total INTEGER NOT NULL,
                  PRIMARY KEY (year, unit)
                ) STRICT;
                CREATE TRIGGER assessment_freeze_no_update BEFORE UPDATE ON assessment_freeze
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_freeze_no_delete BEFORE DELETE ON assessment_freeze
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_adjustment_open BEFORE INSERT ON assessment_adjustment
                WHEN EXISTS (SELECT 1 FROM assessment_freeze WHERE year = NEW.year)
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_adjustment_no_update BEFORE UPDATE ON assessment_adjustment
                BEGIN SELECT RAISE(ABORT, 'an adjustment is never changed'); END;
                CREATE TRIGGER assessment_adjustment_no_delete BEFORE DELETE ON assessment_adjustment
                BEGIN SELECT RAISE(ABORT, 'an adjustment is never deleted'); END;
                CREATE TRIGGER assessment_result_open BEFORE INSERT ON assessment_result
                WHEN EXISTS (SELECT 1 FROM assessment_freeze WHERE year = NEW.year)
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_result_no_update BEFORE UPDATE ON assessment_result
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_result_no_delete BEFORE DELETE ON assessment_result
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_total_open BEFORE INSERT ON assessment_total
                WHEN EXISTS (SELECT 1 FROM assessment_freeze WHERE year = NEW.year)
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_total_no_update BEFORE UPDATE ON assessment_total
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                CREATE TRIGGER assessment_total_no_delete BEFORE DELETE ON assessment_total
                BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
                """)
        }
        // Issue 17: an informant's remuneration voucher, sealed to the informant's key and shown on
        // their page; the ledger keeps only the code's hash, and nothing here names the informant
        // beyond the pseudonym the district already knows.
        migrator.registerMigration("v20-remuneration") { db in
            try db.execute(sql: """
                CREATE TABLE informant_voucher (
                  payment_id INTEGER PRIMARY KEY,
                  pseudonym TEXT NOT NULL REFERENCES informant(pseudonym),
                  item_ref TEXT NOT NULL,
                  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                  created_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL,
                  envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX informant_voucher_pseudonym ON informant_voucher(pseudonym, created_at);
                -- An adopted item's informant, looked up from the item (the pending list, a proposal).
                CREATE INDEX informant_report_item ON informant_report(item_ref) WHERE item_ref IS NOT NULL;
                CREATE TRIGGER informant_voucher_fixed BEFORE UPDATE ON informant_voucher
                BEGIN SELECT RAISE(ABORT, 'a voucher as sealed is never replaced'); END;
                CREATE TRIGGER informant_voucher_no_delete BEFORE DELETE ON informant_voucher
                BEGIN SELECT RAISE(ABORT, 'a voucher is never deleted'); END;
                -- A reporter's voucher copy likewise never changes (audit verify compares it with its entry).
                CREATE TRIGGER tip_voucher_fixed BEFORE UPDATE ON tip_voucher
                BEGIN SELECT RAISE(ABORT, 'a voucher as sealed is never replaced'); END;
                CREATE TRIGGER tip_voucher_no_delete BEFORE DELETE ON tip_voucher
                BEGIN SELECT RAISE(ABORT, 'a voucher is never deleted'); END;
                """)
        }
        // Centre key rotation (issue 11): a retired centre key never gets another wrap, whatever the code
        // above the database does. The key set itself lives in public/keys.json (Keys/README.md "Rotation").
        migrator.registerMigration("v21-retired-keys") { db in
            try db.execute(sql: """
                CREATE TABLE retired_centre_key (
                  key_id TEXT PRIMARY KEY CHECK (length(key_id) = 32),
                  centre TEXT NOT NULL,
                  key_class TEXT NOT NULL CHECK (key_class IN ('content','identity')),
                  seq INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                CREATE TRIGGER retired_centre_key_no_update BEFORE UPDATE ON retired_centre_key
                BEGIN SELECT RAISE(ABORT, 'a retired key stays retired'); END;
                CREATE TRIGGER retired_centre_key_no_delete BEFORE DELETE ON retired_centre_key
                BEGIN SELECT RAISE(ABORT, 'a retired key stays retired'); END;
                CREATE TRIGGER tip_wrap_not_retired BEFORE INSERT ON tip_wrap
                WHEN EXISTS (SELECT 1 FROM retired_centre_key WHERE key_id = NEW.recipient_key_id)
                BEGIN SELECT RAISE(ABORT, 'that centre key is retired: nothing is wrapped for it any more'); END;

                -- Wraps added by a re-wrap to records that carry their own wraps in their envelope (a message,
                -- a note, a file a reporter added): the stored envelope never changes (its hash is in the log),
                -- so the new wrap lives here and is served merged into the envelope. Append-only like tip_wrap.
                CREATE TABLE envelope_wrap (
                  record_kind TEXT NOT NULL CHECK (record_kind IN ('message','note','file')),
                  record_uid TEXT NOT NULL,
                  tip_id INTEGER NOT NULL REFERENCES tip(id) ON DELETE CASCADE,
                  key_class TEXT NOT NULL CHECK (key_class IN ('content','identity')),
                  recipient_key_id TEXT NOT NULL CHECK (length(recipient_key_id) = 32),
                  centre TEXT NOT NULL,
                  sealed BLOB NOT NULL,
                  added_at INTEGER NOT NULL,
                  added_by TEXT NOT NULL,
                  PRIMARY KEY (record_uid, key_class, recipient_key_id)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX envelope_wrap_tip ON envelope_wrap(tip_id);
                CREATE TRIGGER envelope_wrap_no_update BEFORE UPDATE ON envelope_wrap
                BEGIN SELECT RAISE(ABORT, 'wraps are append-only'); END;
                CREATE TRIGGER envelope_wrap_delete_only_shredded BEFORE DELETE ON envelope_wrap
                WHEN NOT EXISTS (SELECT 1 FROM tip WHERE id = OLD.tip_id AND content_shredded_at IS NOT NULL)
                BEGIN SELECT RAISE(ABORT, 'wraps are deleted only when retention destroys the content'); END;
                CREATE TRIGGER envelope_wrap_not_retired BEFORE INSERT ON envelope_wrap
                WHEN EXISTS (SELECT 1 FROM retired_centre_key WHERE key_id = NEW.recipient_key_id)
                BEGIN SELECT RAISE(ABORT, 'that centre key is retired: nothing is wrapped for it any more'); END;
                """)
        }
        return migrator
    }
}
