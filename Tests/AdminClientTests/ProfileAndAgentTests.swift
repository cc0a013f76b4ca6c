import Foundation
import Sealing
import Testing
@testable import AdminClient
import TiplineCore

/// Issue 13, items 1 and 2: the workstation profile and the key agent.
@Suite("Workstation profile and key agent")
struct ProfileAndAgentTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tl-ws-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("config set makes paths absolute, refuses missing files and bad values, and writes a 0600 file in a 0700 directory")
    func profile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        FileManager.default.createFile(atPath: dir.appendingPathComponent("me.key.pem").path, contents: Data("x".utf8))
        let file = dir.appendingPathComponent("cfg/tipline/config.json")
        var profile = Profile()
        try profile.set(.key, "me.key.pem", relativeTo: dir)
        try profile.set(.server, "https://10.0.0.5:8444", relativeTo: dir)
        try profile.set(.lang, "en", relativeTo: dir)
        #expect(profile[.key] == dir.appendingPathComponent("me.key.pem").standardizedFileURL.path)
        #expect(throws: CLIError.self) { try profile.set(.contentKey, "missing.pem", relativeTo: dir) }
        #expect(throws: CLIError.self) { try profile.set(.server, "http://plain", relativeTo: dir) }
        #expect(throws: CLIError.self) { try profile.set(.lang, "fr", relativeTo: dir) }
        try profile.save(to: file)
        try profile.save(to: file)  // replacing keeps the mode
        #expect(try Profile.load(from: file) == profile)
        let fileMode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600 && dirMode == 0o700)
        #expect(try Profile.load(from: dir.appendingPathComponent("none.json")) == Profile())
        try Data(#"{"key":"/x","passphrase":"no"}"#.utf8).write(to: file)
        #expect(throws: CLIError.self) { try Profile.load(from: file) }
        #expect(Profile.location(environment: ["TIPLINE_CONFIG": "/etc/x.json"]).path == "/etc/x.json")
        #expect(Profile.location(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"]).path == "/cfg/tipline/config.json")
        #expect(Profile.location(environment: ["HOME": "/home/u"]).path == "/home/u/.config/tipline/config.json")
    }

    @Test("The agent signs with the staff key and unwraps with a centre key it holds, over a 0600 socket; it never returns a key; lock stops it")
    func agentRoundTrip() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run/agent.sock").path
        let staff = Ed25519PrivateKey.generate()
        let centre = X25519PrivateKey.generate()
        let load = AgentLoad(keys: [.init(kind: .staff, raw: Data(staff.rawRepresentation), file: "/k/staff.pem"),
                                    .init(kind: .content, raw: Data(centre.rawRepresentation), file: "/k/content.pem")],
                             expiresAt: Int64(Date().timeIntervalSince1970) + 60)
        let server = try AgentServer(load: load, path: path)
        let listener = try server.bind()
        let serving = Thread { server.serve(listener) }
        serving.start()

        let socketMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)[.posixPermissions] as? Int
        #expect(socketMode == 0o600 && dirMode == 0o700)

        let agent = AgentClient(path: path)
        let status = try #require(agent.status())
        #expect(status.keys.map(\.kind) == [.staff, .content])
        #expect(status.keys.allSatisfy { $0.publicKey.count == 32 })
        #expect(status.keys[0].keyID == staff.publicKey.keyID && status.keys[0].publicKey == Data(staff.publicKey.rawRepresentation))

        let message = Array("tipline-admin-request-v1\nGET\n/admin/v1/tips\n".utf8)
        let signature = try agent.sign(message, keyID: staff.publicKey.keyID)
        #expect(staff.publicKey.isValidSignature(signature, for: message))
        #expect(throws: CLIError.self) { try agent.sign(message, keyID: String(repeating: "0", count: 32)) }

        let dataKey = DataKey.random(.content)
        let wrap = try EnvelopeCrypto.wrap(dataKey, recordID: "rec-1", for: centre.publicKey)
        #expect(try agent.unwrap(wrap, recordID: "rec-1") == dataKey)
        #expect(throws: (any Error).self) { try agent.unwrap(wrap, recordID: "rec-2") }
        let other = try EnvelopeCrypto.wrap(dataKey, recordID: "rec-1", for: X25519PrivateKey.generate().publicKey)
        #expect(throws: (any Error).self) { try agent.unwrap(other, recordID: "rec-1") }

        // A centre key used through the agent behaves as the file's key would.
        let handle = CentreKey(agent: agent, publicKey: centre.publicKey, keyClass: .content)
        #expect(try handle.unwrap(wrap, recordID: "rec-1") == dataKey)

        #expect(agent.lock())
        for _ in 0..<50 where FileManager.default.fileExists(atPath: path) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(agent.status() == nil)
    }

    @Test("A socket directory others can enter is refused by the client")
    func privateDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let open = dir.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        #expect(throws: CLIError.self) { try AgentSocket.checkPrivate(open.path) }
        #expect(AgentClient(path: open.appendingPathComponent("agent.sock").path).status() == nil)
    }
}
