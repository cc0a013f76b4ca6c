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
        // Issue 11, staff governance: first approvals of privileged enrolments awaiting a second administrator.
        migrator.registerMigration("v5-staff-governance") { db in
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
        return migrator
    }
}
