import Foundation
import GRDB

/// Opens a deployment's database without writing a byte of it (docs/AUDIT.md, "Reading the data").
///
/// Without a `-wal` beside it the file is opened as an SQLite *immutable* URI: read-only, no locks,
/// no `-shm` created. A `-wal` (a copy taken while the server ran) holds committed transactions
/// that an immutable open would ignore, so then the database and its `-wal` are copied into a
/// private temporary directory and opened there; the copy is removed when the audit ends.
final class ReadOnlyDatabase {
    let queue: DatabaseQueue
    private let temporary: URL?

    init(_ file: URL) throws(AuditError) {
        let wal = URL(fileURLWithPath: file.path + "-wal")
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? NSNumber)?.intValue ?? 0
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "tipline-audit"
        configuration.publicStatementArguments = false
        do {
            if walSize > 0 {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-audit-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
                temporary = directory
                let copy = directory.appendingPathComponent("tipline.sqlite")
                try FileManager.default.copyItem(at: file, to: copy)
                try FileManager.default.copyItem(at: wal, to: URL(fileURLWithPath: copy.path + "-wal"))
                queue = try DatabaseQueue(path: copy.path, configuration: configuration)
            } else {
                temporary = nil
                queue = try DatabaseQueue(path: Self.immutableURI(file), configuration: configuration)
            }
        } catch let error as DatabaseError {
            throw .database("cannot open \(file.lastPathComponent) read-only (SQLite error \(error.resultCode.rawValue))")
        } catch {
            throw .io("cannot copy \(file.lastPathComponent) with its -wal for reading")
        }
    }

    deinit {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
    }

    /// `file:<percent-encoded path>?immutable=1`.
    static func immutableURI(_ file: URL) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let path = file.standardizedFileURL.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? file.path
        return "file:\(path)?immutable=1"
    }

    func read<T>(_ body: (Database) throws -> T) throws(AuditError) -> T {
        do {
            return try queue.read(body)
        } catch let error as AuditError {
            throw error
        } catch let error as DatabaseError {
            throw .database("SQLite error \(error.resultCode.rawValue) while reading")
        } catch {
            throw .database("read failed")
        }
    }
}
