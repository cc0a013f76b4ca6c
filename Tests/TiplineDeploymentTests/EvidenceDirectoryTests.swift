import Foundation
import Testing
@testable import TiplineDeployment

/// Issue 11, "Also": `--save-evidence DIR` — 0700 directory, names from the typed reference and an
/// index, new 0600 files only (O_CREAT|O_EXCL|O_NOFOLLOW).
@Suite("Saving decrypted evidence")
struct EvidenceDirectoryTests {
    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tipline-evidence-\(UUID().uuidString)")
    }

    func mode(_ url: URL) throws -> Int { try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int }

    @Test("The directory is created 0700 and files 0600, named <reference>-<index>.<ext>")
    func createsPrivately() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = try EvidenceDirectory(path: root.appendingPathComponent("case").path)
        #expect(try mode(dir.url) == 0o700)
        let file = try dir.write([1, 2, 3], reference: "GY-2026-000001", index: 1, ext: "jpeg")
        #expect(file.lastPathComponent == "GY-2026-000001-1.jpeg")
        #expect(try mode(file) == 0o600)
        #expect(try Data(contentsOf: file) == Data([1, 2, 3]))
    }

    @Test("An existing file or a planted symlink is never written through; the symlink's target is untouched")
    func refusesExistingAndSymlinks() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = try EvidenceDirectory(path: root.path)
        try dir.write([1], reference: "GY-2026-000001", index: 1, ext: "png")
        #expect(throws: DeploymentError.self) { try dir.write([2], reference: "GY-2026-000001", index: 1, ext: "png") }
        #expect(try Data(contentsOf: root.appendingPathComponent("GY-2026-000001-1.png")) == Data([1]))

        let target = Self.scratch()
        defer { try? FileManager.default.removeItem(at: target) }
        try Data("precious".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("GY-2026-000001-2.png"), withDestinationURL: target)
        #expect(throws: DeploymentError.self) { try dir.write([9, 9], reference: "GY-2026-000001", index: 2, ext: "png") }
        #expect(try String(contentsOf: target, encoding: .utf8) == "precious")
    }

    @Test("A symlinked or group-open directory is refused; references and extensions with path characters are refused")
    func refusesUnsafeDirectoriesAndNames() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let open = root.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(throws: DeploymentError.self) { try EvidenceDirectory(path: open.path) }
        let link = root.appendingPathComponent("link")
        let real = root.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        #expect(throws: DeploymentError.self) { try EvidenceDirectory(path: link.path) }
        for bad in ["../x", "GY/1", "", ".hidden", "GY-2026-000001\n"] {
            #expect(throws: DeploymentError.self) { try EvidenceDirectory.fileName(reference: bad, index: 1, ext: "png") }
        }
        #expect(throws: DeploymentError.self) { try EvidenceDirectory.fileName(reference: "GY-2026-000001", index: 1, ext: "../png") }
    }
}
