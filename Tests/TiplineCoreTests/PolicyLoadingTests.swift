import Foundation
import Testing
@testable import TiplineCore

/// The repository's policy files, read from the source tree (tests run inside a checkout).
enum RepoPolicies {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Policies")

    static func texts() throws -> [String: String] {
        var result: [String: String] = [:]
        for name in PolicySet.fileNames {
            result[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return result
    }

    static func load() throws -> PolicySet { try PolicySet.load(from: directory) }
}

@Suite("Policies")
struct PolicyLoadingTests {
    @Test("The repository's policies load: city + ten districts (S-2.0..S-2.2), five classes (S-5.1)")
    func repositoryPolicies() throws {
        let policies = try RepoPolicies.load()
        #expect(policies.centres.city.id == "city")
        #expect(policies.centres.city.nameZh == "贵阳市\"扫黄打非\"举报中心")
        #expect(policies.centres.districts.map(\.id.rawValue) ==
            ["nanming", "yunyan", "huaxi", "wudang", "baiyun", "guanshanhu", "qingzhen", "kaiyang", "xifeng", "xiuwen"])
        #expect(policies.centres.districts.map { $0.districtZh ?? "" } ==
            ["南明区", "云岩区", "花溪区", "乌当区", "白云区", "观山湖区", "清镇市", "开阳县", "息烽县", "修文县"])
        #expect(policies.categories.categories.map(\.id.rawValue) == ["illegal-publication", "illegal-av", "cross-border", "online", "other"])
        #expect(policies.timeliness.dueSeconds(.major) == 3600)       // S-4.1: 1 hour
        #expect(policies.timeliness.dueSeconds(.important) == 86_400) // 1 day
        #expect(policies.timeliness.dueSeconds(.routine) == 604_800)  // 1 week
        #expect(policies.security.receiptKDF.n == 32768 && policies.security.receiptKDF.r == 8 && policies.security.receiptKDF.p == 1)
        #expect(policies.hashes.count == PolicySet.fileNames.count)
        #expect(policies.hashes.values.allSatisfy { $0.count == 64 })
    }

    /// Replaces `old` with `new` in one file, expecting exactly one occurrence.
    private func parse(_ file: String, replacing old: String, with new: String) throws -> PolicyError? {
        var texts = try RepoPolicies.texts()
        let text = texts[file]!
        #expect(text.components(separatedBy: old).count == 2, "fixture must occur once: \(old)")
        texts[file] = text.replacingOccurrences(of: old, with: new)
        do {
            _ = try PolicySet.parse(texts: texts)
            return nil
        } catch {
            return error
        }
    }

    private func line(of needle: String, in file: String) throws -> Int {
        let text = try RepoPolicies.texts()[file]!
        let lines = text.components(separatedBy: "\n")
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test("A typo'd key is refused with file, line and key path")
    func unknownKey() throws {
        let error = try #require(try parse("centres.yaml", replacing: "  - id: huaxi\n", with: "  - id: huaxi\n    nmae_zh: x\n"))
        #expect(error.file == "centres.yaml")
        #expect(error.key == "districts[2].nmae_zh")
        #expect(error.message == "unknown key")
        #expect(error.line == (try line(of: "- id: huaxi", in: "centres.yaml")) + 1)
        #expect(error.description.hasPrefix("centres.yaml:"))
    }

    @Test("A duplicate centre id is refused at its line")
    func duplicateCentre() throws {
        let error = try #require(try parse("centres.yaml", replacing: "  - id: yunyan\n", with: "  - id: nanming\n"))
        #expect(error.key == "districts[1].id")
        #expect(error.message.contains("duplicate"))
        #expect(error.line == (try line(of: "- id: yunyan", in: "centres.yaml")))
    }

    @Test("Centre addresses (issue 13 item 10): every shipped centre has one in zh and en; half a pair, a second line or an overlong address is refused at its line")
    func centreAddresses() throws {
        let policies = try RepoPolicies.load()
        for centre in policies.centres.all {
            #expect(centre.address(.zh)?.isEmpty == false && centre.address(.en)?.isEmpty == false, "\(centre.id)")
        }
        let zhLine = "    address_zh: 贵州省贵阳市云岩区 云岩区文化市场综合执法大队\n"
        let onlyEn = try #require(try parse("centres.yaml", replacing: zhLine, with: ""))
        #expect(onlyEn.key == "districts[1].address_zh" && onlyEn.message.contains("together"))
        let enLine = "    address_en: Yunyan District Cultural Market Comprehensive Law Enforcement Brigade, Guiyang, Guizhou\n"
        let onlyZh = try #require(try parse("centres.yaml", replacing: enLine, with: ""))
        #expect(onlyZh.key == "districts[1].address_en")
        let long = try #require(try parse("centres.yaml", replacing: zhLine,
                                          with: "    address_zh: \(String(repeating: "长", count: 201))\n"))
        #expect(long.key == "districts[1].address_zh" && long.message.contains("200"))
        #expect(long.line == (try line(of: "address_zh: 贵州省贵阳市云岩区", in: "centres.yaml")))
        let twoLines = try #require(try parse("centres.yaml", replacing: zhLine, with: "    address_zh: \"云岩区\\n某路\"\n"))
        #expect(twoLines.key == "districts[1].address_zh" && twoLines.message.contains("one line"))
        // Both absent is allowed (the page then shows the name only).
        #expect(try parse("centres.yaml", replacing: zhLine + enLine, with: "") == nil)
    }

    @Test("A receipt KDF below the floor (n < 2^14) is refused with file, line and key", arguments: [1024, 8192, 2])
    func receiptKDFFloor(n: Int) throws {
        let error = try #require(try parse("security.yaml", replacing: "  n: 32768\n", with: "  n: \(n)\n"))
        #expect(error.file == "security.yaml" && error.key == "receipt_kdf.n")
        #expect(error.line == (try line(of: "  n: 32768", in: "security.yaml")))
        #expect(error.message.contains("floor"))
        #expect(try parse("security.yaml", replacing: "  n: 32768\n", with: "  n: 16384\n") == nil)
    }

    @Test("Each broken file stops loading with a clear error, never a crash", arguments: [
        ("categories.yaml", "  - id: online\n", "  - id: Online!\n", "categories[3].id"),
        ("security.yaml", "  n: 32768\n", "  n: 30000\n", "receipt_kdf.n"),
        ("security.yaml", "  r: 8\n", "", "receipt_kdf.r"),
        ("timeliness.yaml", "    due_seconds: 3600\n", "    due_seconds: soon\n", "tiers.major.due_seconds"),
        ("routing.yaml", "      category: cross-border\n", "      category: smuggling\n", "rules[0].when.category"),
        ("routing.yaml", "  - id: district-centre\n    route_to: district\n", "", "rules"),
        ("centres.yaml", "version: 1\n", "version: 2\n", "version"),
        ("centres.yaml", "  name_en: Guiyang", "  name_en: [Guiyang", ""),
    ])
    func brokenFiles(file: String, old: String, new: String, key: String) throws {
        let texts = try RepoPolicies.texts()
        try #require(texts[file]!.contains(old))
        let error = try #require(try parse(file, replacing: old, with: new))
        #expect(error.file == file)
        if !key.isEmpty { #expect(error.key == key) }
        #expect(!error.message.isEmpty)
    }

    @Test("The network section: defaults when absent; a bad CIDR, range or key is refused at its line (issue 11 #3)")
    func networkSection() throws {
        let policies = try RepoPolicies.load()
        #expect(policies.security.network.trustedProxies.isEmpty)
        #expect(policies.security.network.ipv6PrefixLength == 64)
        #expect(policies.security.rateLimit.maxClients == 100_000)
        var texts = try RepoPolicies.texts()
        texts["security.yaml"] = texts["security.yaml"]!.replacingOccurrences(of: "  trusted_proxies: []",
                                                                              with: "  trusted_proxies: [10.0.0.0/8, \"::1\"]")
        let parsed = try PolicySet.parse(texts: texts)
        #expect(parsed.security.network.trustedProxies.map(\.description) == ["10.0.0.0/8", "0:0:0:0:0:0:0:1/128"])
        for (old, new, key) in [
            ("  trusted_proxies: []", "  trusted_proxies: [10.0.0.0/33]", "network.trusted_proxies[0]"),
            ("  proxy_protocol_peers: []", "  proxy_protocol_peers: [localhost]", "network.proxy_protocol_peers[0]"),
            ("  ipv6_prefix_length: 64", "  ipv6_prefix_length: 8", "network.ipv6_prefix_length"),
            ("  proxy_header_max_bytes: 536", "  proxy_header_max_bytes: 16", "network.proxy_header_max_bytes"),
            ("  max_clients: 100000", "  max_clients: 0", "rate_limit.max_clients"),
            ("  followup_queue: 32", "  followup_queue: -1", "kdf_gate.followup_queue"),
            ("  proxy_protocol_required: false", "  proxy_protocol_required: sometimes", "network.proxy_protocol_required"),
        ] {
            let error = try #require(try parse("security.yaml", replacing: old, with: new))
            #expect(error.key == key)
            #expect(error.line == (try line(of: old.trimmingCharacters(in: .whitespaces), in: "security.yaml")))
        }
        let typo = try #require(try parse("security.yaml", replacing: "  ipv6_prefix_length: 64", with: "  ipv6_prefix: 64"))
        #expect(typo.message == "unknown key")
    }

    @Test("The connections section: defaults; a budget that cannot hold one largest body is refused at its line (issue 11 #8)")
    func connectionsSection() throws {
        let policies = try RepoPolicies.load()
        #expect(policies.security.connections.maxConnections == 1024)
        #expect(policies.security.connections.idleTimeoutSeconds == 30)
        #expect(policies.security.connections.bodyBudgetBytes == 268_435_456)
        for (old, new, key) in [
            ("  body_budget_bytes: 268435456", "  body_budget_bytes: 1048576", "connections.body_budget_bytes"),
            ("  small_body_reserve_bytes: 16777216", "  small_body_reserve_bytes: 1024", "connections.small_body_reserve_bytes"),
            ("  idle_timeout_seconds: 30", "  idle_timeout_seconds: 0", "connections.idle_timeout_seconds"),
            ("  max_connections: 1024", "  max_connections: many", "connections.max_connections"),
        ] {
            let error = try #require(try parse("security.yaml", replacing: old, with: new))
            #expect(error.key == key)
            #expect(error.line == (try line(of: old.trimmingCharacters(in: .whitespaces), in: "security.yaml")))
        }
    }

    @Test("Loading from a directory without the files names the missing file")
    func missingFile() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: PolicyError.self) { try PolicySet.load(from: empty) }
        do {
            _ = try PolicySet.load(from: empty)
        } catch {
            #expect(error.file == "centres.yaml")
        }
    }

    @Test("The alias scan finds every alias form YAML has, wherever a token starts; plain text and other stars pass")
    func aliasScan() {
        let found: [(String, Int)] = [
            ("a: &x 1\nb: *x\n", 2), ("*x: 1\n", 1), ("- *x\n", 1), ("a: [1, *x]\n", 1), ("a: [*x]\n", 1),
            ("a: {k: *x}\n", 1), ("a: {*x: 1}\n", 1), ("? *x\n: 1\n", 1), ("a:\t*x\n", 1), ("a: 1,*x\n", 1),
            ("\u{FEFF}*x: 1\n", 1), ("a: 1\r\n*x: 2\r\n", 2), ("a: 1\u{85}*x: 2\n", 1), ("a: 1\u{2028}*x\n", 1),
            ("a: |\n  *x\n", 2), ("a: \"a *x\"\n", 1), ("a: 1 # *x\n", 1), ("a: *x_y-1\n", 1),
        ]
        for (text, line) in found {
            #expect(PolicyYAMLAliases.firstAliasLine(in: text) == line, "\(text.debugDescription)")
        }
        for text in ["a: 1\n", "a: 2*3\n", "a: 2 * 3\n", "a: x*y\n", "a: '*'\n", "a: *\n", "a: *重要\n", "a: ＊x\n", "a: \"*x\"\n", "a: &x 1\n", ""] {
            #expect(PolicyYAMLAliases.firstAliasLine(in: text) == nil, "\(text.debugDescription)")
        }
        // The shipped policies have none.
        for (name, text) in (try? RepoPolicies.texts()) ?? [:] {
            #expect(PolicyYAMLAliases.firstAliasLine(in: text) == nil, "\(name)")
        }
    }

    /// Yams hashes mapping keys while composing; an alias key over nested aliases took
    /// exponential time (a 532-byte file hung the loader). Aliases are refused before composing.
    @Test("YAML aliases are refused at their line, before Yams composes the document")
    func aliasesRefused() throws {
        var lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["? *a8", ": 1"]
        var texts = try RepoPolicies.texts()
        texts["centres.yaml"] = lines.joined(separator: "\n") + "\n"
        let start = Date()
        do {
            _ = try PolicySet.parse(texts: texts)
            Issue.record("accepted a policy file with aliases")
        } catch {
            #expect(error.file == "centres.yaml")
            #expect(error.line == 3)  // the first alias, *a0 on line 3
            #expect(error.message.contains("aliases"))
        }
        #expect(Date().timeIntervalSince(start) < 5)
        // An anchor without an alias is harmless YAML and still reaches the usual checks.
        texts["centres.yaml"] = try RepoPolicies.texts()["centres.yaml"]!.replacingOccurrences(of: "city:\n", with: "city: &c\n")
        #expect(throws: Never.self) { try PolicySet.parse(texts: texts) }
    }
}
