import Foundation
internal import Yams

/// A YAML node with its file, key path and line, so every validation error can say where it is.
///
/// Package access: the ledger's `RewardPolicy` (LedgerModel) reads `rewards.yaml` with it too.
/// Policies are read by hand rather than through `Decodable` so that each message names the
/// line and the key, and unknown keys (often typos) are refused instead of ignored.
package struct PolicyNode {
    /// The policy file's name, for error messages.
    package let file: String
    /// The node's key path from the root (`limits.max_body_bytes`, `ledgers[2].id`); empty for the root.
    package let path: String
    let node: Node

    /// The node's line in the file, when Yams recorded one.
    package var line: Int? { node.mark?.line }

    /// Parses a whole policy document; the root must be a mapping with `version: 1`.
    package static func document(file: String, text: String) throws(PolicyError) -> PolicyNode {
        if let line = PolicyYAMLAliases.firstAliasLine(in: text) {
            throw PolicyError(file: file, line: line, key: "", message: "YAML aliases (*name) are not allowed in policy files")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError(file: file, line: Self.line(of: error), key: "", message: "not valid YAML")
        } catch {
            throw PolicyError(file: file, line: nil, key: "", message: "not valid YAML")
        }
        guard let root else {
            throw PolicyError(file: file, line: nil, key: "", message: "the file is empty")
        }
        let doc = PolicyNode(file: file, path: "", node: root)
        let version = try doc.int("version")
        guard version == 1 else {
            throw doc.child("version").error("unsupported version \(version); this Tipline reads version 1")
        }
        return doc
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    /// A `PolicyError` at this node's file, line and key path.
    package func error(_ message: String) -> PolicyError {
        PolicyError(file: file, line: line, key: path, message: message)
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A child of a mapping (for error locations); if missing, it points at the parent's line.
    package func child(_ key: String) -> PolicyNode {
        PolicyNode(file: file, path: childPath(key), node: node.mapping?[key] ?? node)
    }

    /// Whether the mapping has `key`.
    package func has(_ key: String) -> Bool { node.mapping?[key] != nil }

    /// Refuses keys other than `allowed` (a typo in a policy must not be silently ignored).
    package func onlyKeys(_ allowed: Set<String>) throws(PolicyError) {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be text") }
            if !allowed.contains(name) {
                throw PolicyNode(file: file, path: childPath(name), node: value).error("unknown key")
            }
        }
    }

    private func required(_ key: String) throws(PolicyError) -> PolicyNode {
        guard node.mapping != nil else { throw error("expected a mapping") }
        guard let value = node.mapping?[key] else {
            throw PolicyError(file: file, line: line, key: childPath(key), message: "missing")
        }
        return PolicyNode(file: file, path: childPath(key), node: value)
    }

    /// The text under `key`, trimmed; throws when missing, not text, or empty.
    package func string(_ key: String) throws(PolicyError) -> String {
        try required(key).asString()
    }

    /// The text under `key`, or nil when the key is absent.
    package func optionalString(_ key: String) throws(PolicyError) -> String? {
        has(key) ? try string(key) : nil
    }

    /// The node as text, trimmed; throws when it is not a non-empty scalar.
    package func asString() throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw error("must not be empty") }
        return text
    }

    /// The whole number under `key` (`_` separators allowed); throws when missing or not a number.
    package func int(_ key: String) throws(PolicyError) -> Int {
        try required(key).asInt()
    }

    /// The node as a whole number (`_` separators allowed).
    package func asInt() throws(PolicyError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected a whole number")
        }
        return value
    }

    /// The whole number under `key`, which must lie within `range`.
    package func int(_ key: String, in range: ClosedRange<Int>) throws(PolicyError) -> Int {
        let child = try required(key)
        let value = try child.asInt()
        guard range.contains(value) else {
            throw child.error("must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// The `true` or `false` under `key`.
    package func bool(_ key: String) throws(PolicyError) -> Bool {
        let child = try required(key)
        guard case .scalar(let scalar) = child.node, let value = Bool(scalar.string.lowercased()) else {
            throw child.error("expected true or false")
        }
        return value
    }

    /// The mapping under `key`; throws when missing or not a mapping.
    package func mapping(_ key: String) throws(PolicyError) -> PolicyNode {
        let child = try required(key)
        guard child.node.mapping != nil else { throw child.error("expected a mapping") }
        return child
    }

    /// The entries of a mapping in file order.
    package func entries() throws(PolicyError) -> [(key: String, value: PolicyNode)] {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        var result: [(key: String, value: PolicyNode)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be text") }
            result.append((name, PolicyNode(file: file, path: childPath(name), node: value)))
        }
        return result
    }

    /// The list under `key`, each element with its `[index]` path.
    package func array(_ key: String) throws(PolicyError) -> [PolicyNode] {
        let child = try required(key)
        guard let sequence = child.node.sequence else { throw child.error("expected a list") }
        return sequence.enumerated().map { index, element in
            PolicyNode(file: file, path: "\(child.path)[\(index)]", node: element)
        }
    }
}
