import Foundation
import GRDB
import Sealing
public import TiplineCore
public import TiplineAdminAPI

/// The city desk (issue 16, S-2.1): editors' signed versions of items, adoption records and their
/// statistics, and the bulletins. The server never reads an item's text or a bulletin's document:
/// editors open, edit, render, scan and seal them on their own machines.
extension TriageStore {
    /// The units a published issue is sealed to: every unit that receives bulletins, and the city office.
    var bulletinRecipients: [NetworkUnit] {
        policies.units.units.filter { $0.receivesBulletins || $0.kind == .cityOffice }
    }

    /// Records an editor's version of an item: the statement parses, names this item and its next
    /// version, is signed by the caller and based on the author's statement; the content is sealed
    /// like the item (the unit's and the city office's content keys) to `<uid>.v<version>`.
    public func editItem(_ reference: String, _ body: EditItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary {
        guard let statement = ItemEditStatement(text: body.statement) else { throw .invalid("the statement is not a canonical edit statement") }
        guard let reason = ReasonText.clean(body.reason) else { throw .invalid("a reason for the edit is required") }
        guard statement.reference == reference, statement.editor == actor.member.name else {
            throw .invalid("the statement names another item or another editor")
        }
        guard let key = try? Ed25519PublicKey(rawRepresentation: Array(actor.member.publicKey)),
              key.isValidSignature(Array(body.signature), for: statement.signedBytes) else {
            throw .invalid("the statement's signature does not verify under your staff key")
        }
        let envelope = body.envelope
        guard envelope.fields.count == 1, envelope.fields[0].name == "content", envelope.keyCommitment != nil, envelope.recordID == statement.uid else {
            throw .invalid("the envelope holds one field, content, a key commitment, and the statement's uid")
        }
        let bytes = envelope.jsonRepresentation()
        guard bytes.count <= 256 * 1024 else { throw .invalid("the sealed version is larger than 256 KiB") }
        let cityKey = unitKeys[policies.units.cityOffice.id]?.content
        let unitKeys = self.unitKeys
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, uid, unit, state, statement FROM info_item WHERE reference = ?", arguments: [reference]) else {
                throw StoreError.notFound("item \(reference)")
            }
            let state = ItemState(rawValue: row["state"]) ?? .draft
            guard state != .draft, state != .returned else { throw StoreError.conflict("only a submitted item is edited by the city (it is \(state.rawValue))") }
            let id: Int64 = row["id"]
            let next = (try Int.fetchOne(db, sql: "SELECT max(version) FROM info_item_version WHERE item_id = ?", arguments: [id]) ?? 1) + 1
            guard statement.version == next, statement.uid == ItemEditStatement.recordID(itemUID: row["uid"], version: next) else {
                throw StoreError.conflict("the next version is \(next); edit again from the latest")
            }
            guard statement.originalSHA256 == Hashing.sha256Hex(Array((row["statement"] as String).utf8)) else {
                throw StoreError.invalid("the edit is not based on the author's signed statement")
            }
            let expected = Set([unitKeys[row["unit"] as String]?.content, cityKey].compactMap { $0 })
            guard Set(envelope.wraps.map(\.recipientKeyID)) == expected, envelope.wraps.count == expected.count else {
                throw StoreError.invalid("the version is wrapped for exactly the unit's and the city office's content keys")
            }
            let hash = Hashing.sha256Hex(bytes)
            try db.execute(sql: """
                INSERT INTO info_item_version(item_id, version, statement, signature, editor_key_id, envelope, envelope_sha256, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, next, body.statement, body.signature, actor.member.keyID, Data(bytes), hash, reason, at])
            try audit(actor.event(.editItem, subject: reference, details: [
                "version": String(next), "statement_sha256": Hashing.sha256Hex(statement.signedBytes), "envelope_sha256": hash, "reason": reason,
            ]), at: at, in: db)
            return try Self.itemSummary(reference, in: db)!
        }
    }

    /// The edited versions of the item `id`, oldest first.
    static func versions(of id: Int64, names: [String: String], in db: Database) throws -> [ItemVersionView] {
        try Row.fetchAll(db, sql: """
            SELECT v.*, s.public_key AS editor_key FROM info_item_version v JOIN staff s ON s.key_id = v.editor_key_id WHERE v.item_id = ? ORDER BY v.version
            """, arguments: [id]).map { row in
            ItemVersionView(version: row["version"], statement: row["statement"], signature: row["signature"],
                            editorName: names[row["editor_key_id"] as String] ?? row["editor_key_id"],
                            editorPublicKey: Hex.encode(Array(row["editor_key"] as Data)), envelope: try Envelope(json: Array(row["envelope"] as Data)),
                            reason: row["reason"], at: ISO8601.chinaString(fromSeconds: row["created_at"]))
        }
    }

    /// Records an adoption of an accepted item at a level (once per level); an accepted item becomes
    /// adopted (forwarded when sent to the province).
    public func adoptItem(_ reference: String, _ body: AdoptBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AdoptionView {
        guard CivilDate.isValid(body.on), body.on <= CivilDate.today(at: at) else { throw .invalid("on is a date YYYY-MM-DD, today or earlier") }
        let ref = ReasonText.clean(body.ref)
        if let ref, ref.count > 100 { throw .invalid("a reference of at most 100 characters") }
        return try await write { db in
            let (from, to) = try Self.adopt(reference, level: body.level, on: body.on, ref: ref, by: actor, at: at, in: db)
            var details = ["level": body.level.rawValue, "on": body.on, "from": from.rawValue, "to": to.rawValue]
            details["ref"] = ref
            try audit(actor.event(.adoptItem, subject: reference, details: details), at: at, in: db)
            return AdoptionView(item: reference, level: body.level, on: body.on, ref: ref)
        }
    }

    /// Records the adoption row and moves an accepted item on; the caller writes the audit entry.
    /// Returns the item's state before and after.
    static func adopt(_ reference: String, level: AdoptionLevel, on: String, ref: String?, by actor: StaffActor, at: Int64,
                      in db: Database) throws -> (ItemState, ItemState) {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, state FROM info_item WHERE reference = ?", arguments: [reference]) else {
            throw StoreError.notFound("item \(reference)")
        }
        let state = ItemState(rawValue: row["state"]) ?? .draft
        guard [.accepted, .adopted, .forwarded].contains(state) else { throw StoreError.conflict("only an accepted item is adopted (it is \(state.rawValue))") }
        try db.execute(sql: "INSERT INTO info_adoption(item_id, level, on_date, ref, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [row["id"] as Int64, level.rawValue, on, ref, at, actor.member.keyID])
        guard db.changesCount == 1 else { throw StoreError.conflict("\(reference) is already recorded as \(level.label(.en))") }
        let next = ItemState.afterAdoption(state, level)
        if next != state {
            try db.execute(sql: "UPDATE info_item SET state = ?, state_changed_at = ? WHERE reference = ?", arguments: [next.rawValue, at, reference])
        }
        return (state, next)
    }

    /// Adoption statistics of items submitted in `period`, grouped by unit, author or kind; zero reports by unit.
    public func adoption(period: ReportingPeriod, by: String) async throws(StoreError) -> AdoptionReply {
        guard ["unit", "author", "kind"].contains(by) else { throw .invalid("by is unit, author or kind") }
        return try await read { db in
            struct Acc { var submitted = 0, late = 0, adoptedItems = 0, zero = 0; var adopted: [String: Int] = [:] }
            var groups: [String: Acc] = [:]
            let items = try Row.fetchAll(db, sql: """
                SELECT i.id, i.unit, i.authors, i.unit_only, i.kind, i.late,
                  (SELECT group_concat(level) FROM info_adoption a WHERE a.item_id = i.id) AS levels
                FROM info_item i WHERE i.submitted_at >= ? AND i.submitted_at < ?
                """, arguments: [period.start, period.end])
            for row in items {
                let keys: [String]
                switch by {
                case "unit": keys = [row["unit"]]
                case "kind": keys = [row["kind"]]
                default:
                    let authors: String = row["authors"]
                    keys = (row["unit_only"] as Bool) || authors.isEmpty ? ["（单位署名）"] : authors.split(separator: ",").map(String.init)
                }
                let levels = ((row["levels"] as String?) ?? "").split(separator: ",").map(String.init)
                for key in keys {
                    var acc = groups[key] ?? Acc()
                    acc.submitted += 1
                    if (row["late"] as Bool?) == true { acc.late += 1 }
                    if !levels.isEmpty { acc.adoptedItems += 1 }
                    for level in levels { acc.adopted[level, default: 0] += 1 }
                    groups[key] = acc
                }
            }
            if by == "unit" {
                let zero = try Row.fetchAll(db, sql: "SELECT unit, count(*) AS n FROM info_zero_report WHERE period IN (\(([period.text] + period.months).map { _ in "?" }.joined(separator: ","))) GROUP BY unit",
                                            arguments: StatementArguments([period.text] + period.months))
                for row in zero { groups[row["unit"] as String, default: Acc()].zero = row["n"] }
                for unit in self.policies.units.units where unit.isNode && groups[unit.id] == nil { groups[unit.id] = Acc() }
            }
            let rows = groups.map { key, acc in
                AdoptionRow(key: key, submitted: acc.submitted, late: acc.late, adopted: acc.adopted, adoptedItems: acc.adoptedItems, zeroReports: acc.zero)
            }.sorted { ($0.adoptedItems, $0.submitted, $1.key) > ($1.adoptedItems, $1.submitted, $0.key) }
            return AdoptionReply(period: period.text, by: by, rows: rows)
        }
    }

    // MARK: Bulletins

    /// Opens the next issue of a bulletin for this year (numbered per type and year).
    public func newBulletin(_ type: BulletinType, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView {
        let year = CivilTime.chinaYear(at)
        return try await write { db in
            let number = (try Int.fetchOne(db, sql: "SELECT max(number) FROM bulletin WHERE type = ? AND year = ?", arguments: [type.rawValue, year]) ?? 0) + 1
            let id = "\(type.prefix)-\(year)-\(number)"
            try db.execute(sql: "INSERT INTO bulletin(id, type, year, number, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, type.rawValue, year, number, at, actor.member.keyID])
            try audit(actor.event(.newBulletin, subject: id, details: ["type": type.rawValue, "year": String(year), "number": String(number)]), at: at, in: db)
            return try bulletinView(id, in: db)!
        }
    }

    func bulletinView(_ id: String, in db: Database) throws -> BulletinView? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM bulletin WHERE id = ?", arguments: [id]) else { return nil }
        let entries = try Row.fetchAll(db, sql: "SELECT item_ref, version FROM bulletin_item WHERE bulletin_id = ? ORDER BY position", arguments: [id])
            .map { BulletinView.Entry(item: $0["item_ref"], version: $0["version"]) }
        return BulletinView(id: id, type: BulletinType(rawValue: row["type"]) ?? .kuaibao, year: row["year"], number: row["number"],
                            state: (row["published_at"] as Int64?) == nil ? "draft" : "published",
                            createdAt: ISO8601.chinaString(fromSeconds: row["created_at"]),
                            publishedAt: (row["published_at"] as Int64?).map { ISO8601.chinaString(fromSeconds: $0) }, items: entries,
                            recipients: bulletinRecipients.map(\.id), documentSHA256: row["document_sha256"])
    }

    /// Issues, newest first.
    public func bulletins(limit: Int) async throws(StoreError) -> [BulletinView] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM bulletin ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit]).compactMap {
                try bulletinView($0, in: db)
            }
        }
    }

    /// The bulletin issue `id` (`KB-2026-12`), draft or published; throws `notFound` when there is none.
    public func bulletin(_ id: String) async throws(StoreError) -> BulletinView {
        guard let view = try await read({ db in try self.bulletinView(id, in: db) }) else { throw .notFound("bulletin \(id)") }
        return view
    }

    /// At most this many items in an issue.
    static let maxBulletinItems = 40

    /// Adds an accepted item to a draft issue at its latest version (or `version`).
    public func addToBulletin(_ id: String, _ body: BulletinItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView {
        try await write { db in
            guard let bulletin = try self.bulletinView(id, in: db) else { throw StoreError.notFound("bulletin \(id)") }
            guard bulletin.state == "draft" else { throw StoreError.conflict("\(id) is published: it never changes") }
            guard bulletin.items.count < Self.maxBulletinItems || bulletin.items.contains(where: { $0.item == body.item }) else { throw StoreError.conflict("an issue holds at most \(Self.maxBulletinItems) items") }
            guard let row = try Row.fetchOne(db, sql: "SELECT id, state FROM info_item WHERE reference = ?", arguments: [body.item]) else {
                throw StoreError.notFound("item \(body.item)")
            }
            guard [.accepted, .adopted, .forwarded].contains(ItemState(rawValue: row["state"]) ?? .draft) else {
                throw StoreError.conflict("only an accepted item goes into a bulletin")
            }
            let latest = try Int.fetchOne(db, sql: "SELECT max(version) FROM info_item_version WHERE item_id = ?", arguments: [row["id"] as Int64]) ?? 1
            let version = body.version ?? latest
            guard (1...latest).contains(version) else { throw StoreError.invalid("the item has versions 1–\(latest)") }
            // An item already in the draft takes the new version (after an edit); a new one goes last.
            if let present = bulletin.items.first(where: { $0.item == body.item }) {
                guard present.version != version else { throw StoreError.conflict("\(body.item) is already in \(id) at version \(version)") }
                try db.execute(sql: "UPDATE bulletin_item SET version = ? WHERE bulletin_id = ? AND item_ref = ?", arguments: [version, id, body.item])
            } else {
                try db.execute(sql: "INSERT INTO bulletin_item(bulletin_id, position, item_ref, version) VALUES (?, ?, ?, ?)",
                               arguments: [id, bulletin.items.count + 1, body.item, version])
            }
            try audit(actor.event(.addToBulletin, subject: id, details: ["item": body.item, "version": String(version)]), at: at, in: db)
            return try self.bulletinView(id, in: db)!
        }
    }

    /// Publishes a draft issue: the document sealed (on the editor's machine) to exactly the receiving
    /// units' and the city office's content keys; every item recorded as adopted at the bulletin's
    /// level (dated today, referenced by the issue); one `bulletin.publish` entry with the hashes.
    public func publishBulletin(_ id: String, _ body: PublishBulletinBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView {
        let envelope = body.envelope
        guard envelope.recordID == id, envelope.fields.count == 1, envelope.fields[0].name == BulletinView.documentField, envelope.keyCommitment != nil else {
            throw .invalid("the document envelope holds one field, document, a key commitment, and the issue id")
        }
        guard body.documentSHA256.utf8.count == 64, Hex.decode(body.documentSHA256) != nil else { throw .invalid("document_sha256 is 64 hex digits") }
        let expected = Set(bulletinRecipients.compactMap { unitKeys[$0.id]?.content })
        guard Set(envelope.wraps.map(\.recipientKeyID)) == expected, envelope.wraps.count == expected.count else {
            throw .invalid("the document is wrapped for exactly the receiving units' and the city office's content keys")
        }
        let bytes = envelope.jsonRepresentation()
        guard bytes.count <= 900 * 1024 else { throw .invalid("the sealed document is larger than 900 KiB") }
        let today = CivilDate.today(at: at)
        return try await write { db in
            guard let bulletin = try self.bulletinView(id, in: db) else { throw StoreError.notFound("bulletin \(id)") }
            guard bulletin.state == "draft" else { throw StoreError.conflict("\(id) is already published") }
            guard !bulletin.items.isEmpty else { throw StoreError.conflict("\(id) holds no item") }
            let hash = Hashing.sha256Hex(bytes)
            try db.execute(sql: "UPDATE bulletin SET published_at = ?, published_by = ?, envelope = ?, envelope_sha256 = ?, document_sha256 = ? WHERE id = ?",
                           arguments: [at, actor.member.keyID, Data(bytes), hash, body.documentSHA256, id])
            // Every item not yet recorded at the bulletin's level is adopted now (dated today, referenced
            // by the issue); the one entry of this request names them.
            var adopted: [String] = []
            for entry in bulletin.items {
                let already = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM info_adoption a JOIN info_item i ON i.id = a.item_id WHERE i.reference = ? AND a.level = ?
                    """, arguments: [entry.item, bulletin.type.level.rawValue]) ?? false
                if !already {
                    _ = try Self.adopt(entry.item, level: bulletin.type.level, on: today, ref: id, by: actor, at: at, in: db)
                    adopted.append(entry.item)
                }
            }
            try audit(actor.event(.publishBulletin, subject: id, details: [
                "document_sha256": body.documentSHA256, "envelope_sha256": hash, "items": bulletin.items.map { "\($0.item):\($0.version)" }.joined(separator: ","),
                "wraps": envelope.wraps.map(\.recipientKeyID).sorted().joined(separator: ","), "adopted": adopted.joined(separator: ","),
                "level": bulletin.type.level.rawValue, "on": today,
            ]), at: at, in: db)
            return try self.bulletinView(id, in: db)!
        }
    }

    /// Releases a published issue's sealed document to a receiving unit's staff (or the city office),
    /// after a `bulletin.read` entry; another unit is told it does not exist.
    public func bulletinDocument(_ id: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinDocument {
        let unit = self.unit(of: actor.member)
        guard bulletinRecipients.contains(where: { $0.id == unit.id }) else { throw .notFound("bulletin \(id)") }
        return try await write { db in
            guard let bulletin = try self.bulletinView(id, in: db), bulletin.state == "published",
                  let bytes = try Data.fetchOne(db, sql: "SELECT envelope FROM bulletin WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("bulletin \(id)")
            }
            try audit(actor.event(.readBulletin, subject: id, details: ["unit": unit.id]), at: at, in: db)
            do {
                return BulletinDocument(bulletin: bulletin, envelope: try Envelope(json: Array(bytes)))
            } catch {
                throw StoreError.database("the stored document envelope is malformed")
            }
        }
    }
}
