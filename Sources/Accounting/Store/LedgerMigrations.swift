import Foundation
import LedgerModel
import GRDB

/// Named migrations of `ledger.sqlite`; a released migration is never edited, only followed.
enum LedgerMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                -- Chart of accounts. `net_debit` is the running balance (debits minus credits),
                -- kept in step with the postings by the same transaction; verify re-derives it.
                CREATE TABLE ledger_account (
                  code TEXT PRIMARY KEY CHECK (code IN ('appropriation','fund','payable','paid','expired')),
                  normal_side TEXT NOT NULL CHECK (normal_side IN ('D','C')),
                  name TEXT NOT NULL,
                  net_debit INTEGER NOT NULL DEFAULT 0
                ) STRICT, WITHOUT ROWID;
                INSERT INTO ledger_account (code, normal_side, name) VALUES
                  ('appropriation', 'D', 'Appropriations received'),
                  ('fund', 'C', 'Reward fund (uncommitted)'),
                  ('payable', 'C', 'Rewards payable'),
                  ('paid', 'C', 'Rewards paid'),
                  ('expired', 'C', 'Expired vouchers (transit)');

                -- Postings are written first, then the entry that seals them: the entry's insert
                -- trigger refuses it unless its lines balance to its total, and no line can be
                -- added to an entry once it exists. The foreign key is checked at commit.
                CREATE TABLE posting (
                  entry_seq INTEGER NOT NULL REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  line INTEGER NOT NULL CHECK (line >= 1),
                  account TEXT NOT NULL REFERENCES ledger_account(code),
                  side TEXT NOT NULL CHECK (side IN ('D','C')),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  PRIMARY KEY (entry_seq, line)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX posting_account ON posting(account);

                CREATE TABLE journal_entry (
                  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                  at INTEGER NOT NULL,
                  kind TEXT NOT NULL CHECK (kind IN ('fund','approve','redeem','expire','restore')),
                  total INTEGER NOT NULL CHECK (total > 0),
                  reward_id INTEGER REFERENCES reward_proposal(id),
                  actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
                  memo TEXT NOT NULL CHECK (length(memo) <= 200),
                  evidence BLOB NOT NULL CHECK (length(evidence) = 32),
                  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
                  hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
                  CHECK ((kind = 'fund') = (reward_id IS NULL))
                ) STRICT;
                CREATE INDEX journal_entry_reward ON journal_entry(reward_id);

                CREATE TRIGGER posting_sealed BEFORE INSERT ON posting
                WHEN EXISTS (SELECT 1 FROM journal_entry WHERE seq = NEW.entry_seq)
                BEGIN SELECT RAISE(ABORT, 'journal entry already sealed'); END;

                CREATE TRIGGER journal_entry_balanced BEFORE INSERT ON journal_entry
                WHEN NEW.total IS NOT (SELECT SUM(amount) FROM posting WHERE entry_seq = NEW.seq AND side = 'D')
                  OR NEW.total IS NOT (SELECT SUM(amount) FROM posting WHERE entry_seq = NEW.seq AND side = 'C')
                BEGIN SELECT RAISE(ABORT, 'journal entry does not balance'); END;

                CREATE TRIGGER journal_entry_in_order BEFORE INSERT ON journal_entry
                WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM journal_entry)
                BEGIN SELECT RAISE(ABORT, 'journal entries are appended in order'); END;

                -- Every signed staff action, stored as given (request and signature are opaque).
                CREATE TABLE staff_action (
                  id INTEGER PRIMARY KEY,
                  kind TEXT NOT NULL CHECK (kind IN ('fund','propose','approve','decline','redeem')),
                  at INTEGER NOT NULL,
                  key_id TEXT NOT NULL CHECK (length(key_id) BETWEEN 8 AND 64),
                  role TEXT NOT NULL CHECK (role IN ('triage','supervisor','accountant')),
                  request BLOB NOT NULL CHECK (length(request) >= 1),
                  signature BLOB NOT NULL CHECK (length(signature) >= 1),
                  entry_seq INTEGER REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((kind IN ('fund','approve','redeem')) = (entry_seq IS NOT NULL))
                ) STRICT;

                CREATE TABLE reward_proposal (
                  id INTEGER PRIMARY KEY,
                  reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 40),
                  centre TEXT NOT NULL CHECK (length(centre) BETWEEN 1 AND 32),
                  outcome TEXT NOT NULL,
                  tier TEXT NOT NULL CHECK (tier IN ('administrative','criminal','illegal-publishing-turnover','equipment-lead','harms-minors-online')),
                  min_amount INTEGER NOT NULL CHECK (min_amount > 0),
                  max_amount INTEGER NOT NULL,
                  capped INTEGER NOT NULL CHECK (capped IN (0,1)),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  policy_digest BLOB NOT NULL CHECK (length(policy_digest) = 32),
                  proposed_at INTEGER NOT NULL,
                  action_id INTEGER NOT NULL UNIQUE REFERENCES staff_action(id),
                  CHECK (min_amount <= amount AND amount <= max_amount)
                ) STRICT;
                CREATE INDEX reward_proposal_reference ON reward_proposal(reference);

                -- A proposal is decided once: approved by a second person (posting the payable)
                -- or declined.
                CREATE TABLE reward_decision (
                  proposal_id INTEGER PRIMARY KEY REFERENCES reward_proposal(id),
                  decision TEXT NOT NULL CHECK (decision IN ('approved','declined')),
                  decided_at INTEGER NOT NULL,
                  action_id INTEGER NOT NULL UNIQUE REFERENCES staff_action(id),
                  entry_seq INTEGER UNIQUE REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((decision = 'approved') = (entry_seq IS NOT NULL))
                ) STRICT;

                CREATE TRIGGER reward_decision_two_people BEFORE INSERT ON reward_decision
                WHEN NEW.decision = 'approved' AND
                  (SELECT key_id FROM staff_action WHERE id = NEW.action_id) =
                  (SELECT a.key_id FROM reward_proposal p JOIN staff_action a ON a.id = p.action_id WHERE p.id = NEW.proposal_id)
                BEGIN SELECT RAISE(ABORT, 'the approver must not be the proposer'); END;

                -- Vouchers: only the SHA-256 of the code is ever stored.
                CREATE TABLE voucher (
                  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
                  proposal_id INTEGER NOT NULL UNIQUE REFERENCES reward_proposal(id),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  issued_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL CHECK (expires_at > issued_at)
                ) STRICT, WITHOUT ROWID;

                -- A voucher is settled once: redeemed (paid) or expired.
                CREATE TABLE voucher_settlement (
                  voucher_hash BLOB PRIMARY KEY REFERENCES voucher(hash),
                  outcome TEXT NOT NULL CHECK (outcome IN ('redeemed','expired')),
                  settled_at INTEGER NOT NULL,
                  action_id INTEGER UNIQUE REFERENCES staff_action(id),
                  entry_seq INTEGER NOT NULL UNIQUE REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((outcome = 'redeemed') = (action_id IS NOT NULL))
                ) STRICT, WITHOUT ROWID;

                -- Idempotency: one row per command key (stored as a hash). `sealed_code` holds an
                -- approval's voucher code encrypted under a key derived from the idempotency key,
                -- so only a retry presenting that key can recover it.
                CREATE TABLE command (
                  key_hash BLOB PRIMARY KEY CHECK (length(key_hash) = 32),
                  kind TEXT NOT NULL,
                  request_hash BLOB NOT NULL CHECK (length(request_hash) = 32),
                  result TEXT NOT NULL,
                  sealed_code BLOB,
                  at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
            // Append-only: everything but the running balances refuses UPDATE and DELETE.
            try appendOnly(["journal_entry", "posting", "staff_action", "reward_proposal", "reward_decision",
                            "voucher", "voucher_settlement", "command"], db)
            try db.execute(sql: """
                CREATE TRIGGER ledger_account_fixed BEFORE UPDATE OF code, normal_side, name ON ledger_account
                BEGIN SELECT RAISE(ABORT, 'the chart of accounts is fixed'); END;
                CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account
                BEGIN SELECT RAISE(ABORT, 'the chart of accounts is fixed'); END;
                CREATE TRIGGER ledger_account_no_insert BEFORE INSERT ON ledger_account
                BEGIN SELECT RAISE(ABORT, 'the chart of accounts is fixed'); END;
                """)
        }
        // Before v5 an approval's `sealed_code` was AES-GCM under a key derived from the idempotency
        // key, and that key sat in clear in the audit entry's stored request: ledger.sqlite + data/
        // opened every outstanding voucher. Those copies are destroyed; from now on `sealed_code`
        // holds only the code sealed to the reporter's key (docs/LEDGER.md, "Retries").
        migrator.registerMigration("v5-no-retry-secrets") { db in
            try db.execute(sql: """
                DROP TRIGGER command_no_update;
                UPDATE command SET sealed_code = NULL WHERE kind = 'approve';
                CREATE TRIGGER command_no_update BEFORE UPDATE ON command
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                """)
        }
        // Remuneration for adopted information (S-3.4) and unit subsidies (三(五)): six accounts beside
        // the reward accounts, payment proposals, payees, covers, two-person decisions, informants'
        // vouchers (hash only) and settlements (docs/LEDGER.md "Payments").
        migrator.registerMigration("v2-payments") { db in
            try SchemaCheck.widen(db, table: "ledger_account", replacing: [
                ("CHECK (code IN ('appropriation','fund','payable','paid','expired'))",
                 "CHECK (code IN ('appropriation','fund','payable','paid','expired',"
                 + "'info-fund','info-payable','info-paid','subsidy-fund','subsidy-payable','subsidy-paid'))"),
            ])
            try SchemaCheck.widen(db, table: "journal_entry", replacing: [
                ("CHECK (kind IN ('fund','approve','redeem','expire','restore'))",
                 "CHECK (kind IN ('fund','approve','redeem','expire','restore',"
                 + "'payment-approve','payment-pay','payment-redeem','payment-expire','payment-restore'))"),
                ("CHECK ((kind = 'fund') = (reward_id IS NULL))",
                 "CHECK ((kind = 'fund' OR substr(kind, 1, 8) = 'payment-') = (reward_id IS NULL))"),
            ])
            try db.execute(sql: """
                DROP TRIGGER ledger_account_no_insert;
                INSERT INTO ledger_account (code, normal_side, name) VALUES
                  ('info-fund', 'C', 'Information remuneration fund (uncommitted)'),
                  ('info-payable', 'C', 'Remuneration payable'),
                  ('info-paid', 'C', 'Remuneration paid'),
                  ('subsidy-fund', 'C', 'Unit subsidy fund (uncommitted)'),
                  ('subsidy-payable', 'C', 'Subsidies payable'),
                  ('subsidy-paid', 'C', 'Subsidies paid');
                CREATE TRIGGER ledger_account_no_insert BEFORE INSERT ON ledger_account
                BEGIN SELECT RAISE(ABORT, 'the chart of accounts is fixed'); END;

                -- Every signed staff request about a payment, stored as given.
                CREATE TABLE payment_action (
                  id INTEGER PRIMARY KEY,
                  kind TEXT NOT NULL CHECK (kind IN ('propose','approve','decline','pay','redeem')),
                  at INTEGER NOT NULL,
                  key_id TEXT NOT NULL CHECK (length(key_id) BETWEEN 8 AND 64),
                  role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 32),
                  request BLOB NOT NULL CHECK (length(request) >= 1),
                  signature BLOB NOT NULL CHECK (length(signature) >= 1),
                  entry_seq INTEGER REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((kind IN ('approve','pay','redeem')) = (entry_seq IS NOT NULL))
                ) STRICT;

                CREATE TABLE payment_proposal (
                  id INTEGER PRIMARY KEY,
                  scheme TEXT NOT NULL CHECK (scheme IN ('remuneration','subsidy')),
                  subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 40),
                  unit TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 32),
                  basis TEXT NOT NULL CHECK (length(basis) <= 400),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  policy_digest BLOB NOT NULL CHECK (length(policy_digest) = 32),
                  proposed_at INTEGER NOT NULL,
                  action_id INTEGER NOT NULL UNIQUE REFERENCES payment_action(id)
                ) STRICT;
                CREATE INDEX payment_proposal_subject ON payment_proposal(subject);

                -- Who is paid: an author or a unit by name, an informant by voucher (no name).
                CREATE TABLE payment_payee (
                  payment_id INTEGER NOT NULL REFERENCES payment_proposal(id),
                  line INTEGER NOT NULL CHECK (line >= 1),
                  kind TEXT NOT NULL CHECK (kind IN ('author','informant','unit')),
                  name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 64),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  CHECK ((kind = 'informant') = (name IS NULL)),
                  PRIMARY KEY (payment_id, line)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX payment_payee_name ON payment_payee(name);

                -- What a payment pays for (an adoption, a year's subsidy to a unit): never twice.
                CREATE TABLE payment_cover (
                  payment_id INTEGER NOT NULL REFERENCES payment_proposal(id),
                  cover TEXT NOT NULL CHECK (length(cover) BETWEEN 1 AND 64),
                  PRIMARY KEY (payment_id, cover)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX payment_cover_cover ON payment_cover(cover);

                CREATE TABLE payment_decision (
                  payment_id INTEGER PRIMARY KEY REFERENCES payment_proposal(id),
                  decision TEXT NOT NULL CHECK (decision IN ('approved','declined')),
                  decided_at INTEGER NOT NULL,
                  action_id INTEGER NOT NULL UNIQUE REFERENCES payment_action(id),
                  entry_seq INTEGER UNIQUE REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((decision = 'approved') = (entry_seq IS NOT NULL))
                ) STRICT;

                CREATE TRIGGER payment_decision_two_people BEFORE INSERT ON payment_decision
                WHEN NEW.decision = 'approved' AND
                  (SELECT key_id FROM payment_action WHERE id = NEW.action_id) =
                  (SELECT a.key_id FROM payment_proposal p JOIN payment_action a ON a.id = p.action_id WHERE p.id = NEW.payment_id)
                BEGIN SELECT RAISE(ABORT, 'the approver must not be the proposer'); END;

                -- An informant's voucher: only the SHA-256 of the code.
                CREATE TABLE payment_voucher (
                  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
                  payment_id INTEGER NOT NULL UNIQUE REFERENCES payment_proposal(id),
                  amount INTEGER NOT NULL CHECK (amount > 0),
                  issued_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL CHECK (expires_at > issued_at)
                ) STRICT, WITHOUT ROWID;

                -- A payment is settled once: paid to its named payees, redeemed, or expired.
                CREATE TABLE payment_settlement (
                  payment_id INTEGER PRIMARY KEY REFERENCES payment_proposal(id),
                  outcome TEXT NOT NULL CHECK (outcome IN ('paid','redeemed','expired')),
                  settled_at INTEGER NOT NULL,
                  action_id INTEGER UNIQUE REFERENCES payment_action(id),
                  entry_seq INTEGER NOT NULL UNIQUE REFERENCES journal_entry(seq) DEFERRABLE INITIALLY DEFERRED,
                  CHECK ((outcome = 'expired') = (action_id IS NULL))
                ) STRICT;
                """)
            try appendOnly(["payment_action", "payment_proposal", "payment_payee", "payment_cover", "payment_decision",
                            "payment_voucher", "payment_settlement"], db)
        }
        return migrator
    }

    /// Triggers that refuse UPDATE and DELETE on each of `tables` (the same names and text every migration uses).
    static func appendOnly(_ tables: [String], _ db: Database) throws {
        for table in tables {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                """)
        }
    }
}

/// Widens CHECK constraints in place (SQLite cannot alter one): the table's schema text is edited
/// through `writable_schema`, one of the edits SQLite documents as safe when no stored row can
/// violate the wider constraint ("ALTER TABLE", section 7). The schema version is bumped so every
/// connection reloads it, and the result must pass `quick_check`. Each replaced text must be there.
enum SchemaCheck {
    static func widen(_ db: Database, table: String, replacing edits: [(String, String)]) throws {
        guard var sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                                            arguments: [table]) else {
            throw DatabaseError(message: "table \(table) is missing")
        }
        for (old, new) in edits {
            guard sql.contains(old) else { throw DatabaseError(message: "table \(table): its CHECK is not the one expected") }
            sql = sql.replacingOccurrences(of: old, with: new)
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, table])
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else {
            throw DatabaseError(message: "the ledger does not pass quick_check after widening \(table)")
        }
    }
}
