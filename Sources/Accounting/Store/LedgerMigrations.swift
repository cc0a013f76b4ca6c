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
            for table in ["journal_entry", "posting", "staff_action", "reward_proposal", "reward_decision",
                          "voucher", "voucher_settlement", "command"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                    """)
            }
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
        return migrator
    }
}
