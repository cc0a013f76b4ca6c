import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin network unit …`: one unit's responsibility record and self-check (S-6.1).
struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "单位责任制与年度自查 / A unit's responsibility record and annual self-check.",
                                                    subcommands: [Show.self, SetLeaders.self, SelfCheck.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "单位详情：责任领导、自查、联络员、培训 / A unit: leaders, self-checks, liaisons, trainings.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The unit id (network units lists them).") var unit: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let detail = try await connection.session().call(.unit, unit, as: UnitDetail.self)
                if json { try printJSON(detail); return }
                print("\(NetworkText.name(detail.unit))（\(detail.unit.id)，\(NetworkText.kind(detail.unit.kind))）")
                print(say("\n责任领导", "\nresponsible leaders"))
                printTable([say("年度", "YEAR"), say("主要领导", "MAIN"), say("分管领导", "DEPUTY"), say("具体负责人", "OFFICER"), say("登记", "SET")],
                           detail.leaders.map { r in
                    [String(r.year), "\(r.main.name) \(r.main.title)", "\(r.deputy.name) \(r.deputy.title)", "\(r.officer.name) \(r.officer.title)",
                     "\(r.setBy) \(ShownTime.text(iso: r.setAt))"]
                })
                print(say("\n年度到位自查", "\nannual self-check"))
                func mark(_ value: Bool) -> String { value ? say("到位", "in place") : say("未到位", "NOT in place") }
                printTable([say("年度", "YEAR"), say("人员", "STAFF"), say("经费", "FUNDS"), say("保障", "SUPPORT"), say("说明", "NOTE")],
                           detail.selfChecks.map { [String($0.year), mark($0.staffInPlace), mark($0.fundsInPlace), mark($0.supportInPlace), $0.note ?? "-"] })
                print(say("\n联络员", "\nliaisons"))
                printTable([say("姓名", "NAME"), say("任命日期", "APPOINTED"), say("培训次数", "TRAININGS")],
                           detail.liaisons.filter(\.active).map { [$0.name, $0.appointedOn ?? "-", String($0.trainings)] })
                print(say("\n培训", "\ntrainings"))
                printTable([say("日期", "DATE"), say("主题", "TOPIC"), say("参加人员", "ATTENDEES")],
                           detail.trainings.map { [$0.date, $0.topic, $0.attendees.joined(separator: "、")] })
            }
        }
    }

    struct SetLeaders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-leaders",
            abstract: "登记某年度的主要领导、分管领导、具体负责人 / Record a year's responsible leaders (S-6.1).",
            discussion: "Each as 姓名:职务 (name:title). Names and titles of responsible leaders are not secret.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The unit id.") var unit: String
        @Option(help: "The year.") var year: Int
        @Option(help: "主要领导 as 姓名:职务.") var main: String
        @Option(help: "分管领导 as 姓名:职务.") var deputy: String
        @Option(help: "具体负责人 as 姓名:职务.") var officer: String

        func run() async throws {
            try await reportingErrors {
                func person(_ text: String, _ option: String) throws -> ResponsiblePerson {
                    let parts = text.replacingOccurrences(of: "：", with: ":").split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                        throw CLIError.input(say("\(option) 应为 姓名:职务", "\(option) is name:title"))
                    }
                    return ResponsiblePerson(name: parts[0], title: parts[1])
                }
                try ClearText.check([("--main", main), ("--deputy", deputy), ("--officer", officer)])
                let body = UnitLeadersBody(year: year, main: try person(main, "--main"), deputy: try person(deputy, "--deputy"),
                                           officer: try person(officer, "--officer"))
                _ = try await connection.session().call(.setUnitLeaders, unit, body: body, as: Acknowledged.self)
                print(say("已登记 \(unit) \(year) 年度责任领导", "recorded \(unit)'s leaders for \(year)"))
            }
        }
    }

    struct SelfCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "self-check",
                                                        abstract: "年度到位自查（人员、经费、保障）/ The annual in-place self-check (staff, funds, support).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The unit id.") var unit: String
        @Option(help: "The year.") var year: Int
        @Option(help: "Staff in place: yes or no.") var staff: String
        @Option(help: "Funds in place: yes or no.") var funds: String
        @Option(help: "Support in place: yes or no.") var support: String
        @Option(help: "A note (no personal data).") var note: String?

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--note", note)])
                let body = UnitSelfCheckBody(year: year, staffInPlace: try NetworkText.yesNo(staff, option: "--staff"),
                                             fundsInPlace: try NetworkText.yesNo(funds, option: "--funds"),
                                             supportInPlace: try NetworkText.yesNo(support, option: "--support"), note: note)
                _ = try await connection.session().call(.unitSelfCheck, unit, body: body, as: Acknowledged.self)
                print(say("已登记 \(unit) \(year) 年度自查", "recorded \(unit)'s self-check for \(year)"))
            }
        }
    }
}

/// `tipline-admin network areas …`: areas below district level (S-3.1).
struct AreasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "areas", abstract: "乡镇（街道）、村（社区）/ Townships, communities and villages.",
                                                    subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "区县办：导入本区县的村（社区）/ District offices: import communities and villages (code,level,parent,name_zh).",
            discussion: "The file has the header code,level,parent,name_zh; codes are the national 12-digit statistical codes; level is township, community or village; a community's or village's parent is its township's code. Any bad line refuses the whole file.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "The district (centre id, e.g. nanming).") var district: String

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw CLIError.io(say("无法读取 \(file)（须为 UTF-8）", "cannot read \(file) (UTF-8 expected)"))
                }
                do {
                    _ = try AreaCSV.parse(text)
                } catch let error as AreaCSV.LineError {
                    throw CLIError.input(say("\(file) 第 \(error.line) 行：\(error.message)", "\(file) line \(error.line): \(error.message)"))
                }
                let reply = try await connection.session().call(.importAreas, body: AreasImportBody(district: district, csv: text), as: AreasImportReply.self)
                print(say("已导入：新增或更新 \(reply.added)，未变 \(reply.unchanged)", "imported: \(reply.added) added or updated, \(reply.unchanged) unchanged"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出区域 / List areas.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "One district.") var district: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let areas = try await connection.session().call(.areas, query: district.map { [("district", $0)] } ?? [], as: [AreaView].self)
                if json { try printJSON(areas); return }
                let level = ["township": say("乡镇（街道）", "township"), "community": say("社区", "community"), "village": say("村", "village")]
                printTable([say("代码", "CODE"), say("名称", "NAME"), say("级别", "LEVEL"), say("上级", "PARENT"), say("来源", "SOURCE")], areas.map {
                    [$0.area.code, $0.area.nameZh, level[$0.area.level.rawValue] ?? $0.area.level.rawValue, $0.area.parent,
                     $0.source == "policy" ? say("统计用区划代码", "policy") : say("区县导入", "import")]
                })
            }
        }
    }
}
