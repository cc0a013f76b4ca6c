import Foundation
import Testing
import TiplineAdminAPI
import TiplineCore

/// Issue 12 item 1: the admin API's routes have one home; what the CLI sends, the server registers
/// and the auditor expects are the same values.
@Suite("Admin API routes: one table for server, CLI and auditor")
struct AdminRouteTests {
    @Test("Every route is unique, lives under /admin/v1, and has at most one parameter")
    func table() {
        #expect(Set(AdminRoute.all).count == AdminRoute.all.count)
        #expect(Set(AdminRoute.all.map { "\($0.method.rawValue) \($0.template)" }).count == AdminRoute.all.count)
        for route in AdminRoute.all {
            #expect(route.target("X").hasPrefix("/admin/v1/"))
            #expect(route.template.split(separator: "/").filter { $0.hasPrefix(":") }.count <= 1)
        }
    }

    @Test("A parameter is percent-encoded: a crafted reference cannot add a path segment or a query")
    func encoding() {
        #expect(AdminRoute.changeStatus.target("GY-2026-000001") == "/admin/v1/tips/GY-2026-000001/status")
        #expect(AdminRoute.changeStatus.target("../staff?x=1") == "/admin/v1/tips/..%2Fstaff%3Fx%3D1/status")
        #expect(AdminRoute.queue.target(query: [("status", "new"), ("limit", "5")]) == "/admin/v1/tips?status=new&limit=5")
    }

    @Test("The auditor's expectation for each staff action is the route the CLI sends it to")
    func audited() {
        let ref = "GY-2026-000042"
        #expect(AuditedRequest.matches(action: "tip.status", subject: ref, details: [:], method: "POST", target: "/admin/v1/tips/\(ref)/status"))
        #expect(AuditedRequest.matches(action: "tip.status", subject: ref, details: ["duplicate_of": "GY-2026-000001"],
                                       method: "POST", target: "/admin/v1/tips/\(ref)/duplicate"))
        #expect(!AuditedRequest.matches(action: "tip.status", subject: ref, details: [:], method: "POST", target: "/admin/v1/tips/GY-2026-000043/status"))
        #expect(AuditedRequest.matches(action: "tip.read", subject: ref, details: [:], method: "GET", target: "/admin/v1/tips/\(ref)"))
        #expect(!AuditedRequest.matches(action: "tip.read", subject: ref, details: [:], method: "POST", target: "/admin/v1/tips/\(ref)"))
        #expect(AuditedRequest.matches(action: "reward.approve", subject: ref, details: ["declined": "1"], method: "POST",
                                       target: "/admin/v1/rewards/\(ref)/decline"))
        #expect(AuditedRequest.matches(action: "ledger.fund", subject: "ledger", details: [:], method: "POST", target: "/admin/v1/ledger/fund"))
        #expect(!AuditedRequest.matches(action: "ledger.fund", subject: ref, details: [:], method: "POST", target: "/admin/v1/ledger/fund"))
        #expect(!AuditedRequest.matches(action: "tip.received", subject: ref, details: [:], method: "POST", target: "/api/v1/tips"))
        // Key rotation: the subject is the centre, the route carries no parameter.
        #expect(AuditedRequest.matches(action: "keys.rotate", subject: "nanming", details: [:], method: "POST", target: "/admin/v1/keys/rotate"))
        #expect(AuditedRequest.matches(action: "keys.rewrap", subject: "nanming", details: [:], method: "POST", target: "/admin/v1/keys/rewrap"))
        #expect(AuditedRequest.matches(action: "keys.retire", subject: "nanming", details: [:], method: "POST", target: "/admin/v1/keys/retire"))
        #expect(!AuditedRequest.matches(action: "keys.rewrap", subject: "nanming", details: [:], method: "GET", target: "/admin/v1/keys/rewrap"))
        // The ledgers (issue 16): a new record's subject is the id the server assigned, its ledger in the details.
        let record = "JC-2026-000001"
        #expect(AuditedRequest.matches(action: "books.add", subject: record, details: ["book": "inspections"], method: "POST",
                                       target: "/admin/v1/books/inspections/records"))
        #expect(!AuditedRequest.matches(action: "books.add", subject: record, details: [:], method: "POST", target: "/admin/v1/books/inspections/records"))
        #expect(AuditedRequest.matches(action: "books.edit", subject: record, details: [:], method: "POST", target: "/admin/v1/book-records/\(record)/versions"))
        #expect(AuditedRequest.matches(action: "books.read", subject: "venues", details: [:], method: "POST", target: "/admin/v1/books/venues/open"))
        #expect(AuditedRequest.matches(action: "books.names", subject: record, details: [:], method: "POST", target: "/admin/v1/book-records/\(record)/names"))
        #expect(AuditedRequest.matches(action: "books.zero-report", subject: "nanming-office", details: ["book": "venues"], method: "POST",
                                       target: "/admin/v1/books/venues/zero-reports"))
    }
}

/// Issue 12 "Done when": the admin routes are written in exactly one module.
@Suite("One home for admin paths")
struct AdminPathHomeTests {
    @Test("No source outside TiplineAdminAPI spells an /admin/v1 path")
    func onlyTheContractSpellsAdminPaths() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50)
        var offenders: [String] = []
        for file in files where !file.path.contains("/TiplineAdminAPI/") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("admin/v1") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                offenders.append("\(file.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}

/// Housekeeping of issue 12: a strict body accepts exactly its `CodingKeys`.
@Suite("Strict bodies take their keys from CodingKeys")
struct StrictBodyKeysTests {
    @Test("The accepted keys are the coding keys; an unknown key is refused by name")
    func keys() throws {
        #expect(StatusChange.allowedKeys == ["to", "reason", "enforcement_unit", "outcome"])
        #expect(RouteBody.allowedKeys == ["to", "reason", "content_wrap", "identity_wrap"])
        #expect(FundBody.allowedKeys == ["amount_fen", "memo", "idempotency_key", "account"])
        #expect(EnrolmentRequest.allowedKeys == ["name", "role", "centre", "public_key", "created_at", "proof", "unit"])
        #expect(throws: UnknownFieldError.self) {
            try AssignBody.decodeStrictly(from: Data(#"{"to": "abc", "as": "admin"}"#.utf8))
        }
        #expect(try AssignBody.decodeStrictly(from: Data(#"{"to": "abc"}"#.utf8)).to == "abc")
    }
}
