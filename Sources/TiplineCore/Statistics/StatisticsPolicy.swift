import Foundation

/// Where a column of the results table (成果统计表, S-5.4) comes from.
public enum ResultSource: String, Sendable, Equatable, CaseIterable {
    /// The number of records of a ledger (`book`).
    case booksCount = "books.count"
    /// The sum of an integer or quantity field (`field`) of a ledger (`book`).
    case booksSum = "books.sum"
    /// Tips received.
    case tipsReceived = "tips.received"
    /// Tips verified.
    case tipsVerified = "tips.verified"
    /// Information items submitted.
    case itemsSubmitted = "items.submitted"
    /// Information items adopted.
    case itemsAdopted = "items.adopted"
    /// Figures entered by hand.
    case manual
}

/// One column of the results table.
public struct ResultColumn: Sendable, Equatable {
    /// The column's id.
    public let id: String
    /// Its heading in Chinese.
    public let nameZh: String
    /// Its heading in English.
    public let nameEn: String
    /// Where its figures come from.
    public let source: ResultSource
    /// The ledger (`books.*`).
    public let book: String?
    /// The integer or quantity field summed (`books.sum`).
    public let field: String?
}

/// `Policies/statistics.yaml`: the columns of the results table, checked against the ledgers.
public struct StatisticsPolicy: Sendable, Equatable {
    /// The columns, in file order.
    public let columns: [ResultColumn]

    /// Parses the file; every `books.*` column names a ledger clerks write, every `books.sum` an
    /// integer or quantity field of it.
    public static func parse(file: String, text: String, ledgers: BooksPolicy) throws(PolicyError) -> StatisticsPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "columns"])
        var columns: [ResultColumn] = []
        for node in try doc.array("columns") {
            try node.onlyKeys(["id", "name_zh", "name_en", "source", "book", "field"])
            let id = try node.string("id")
            guard UnitsPolicy.isWellFormedID(id) else { throw node.child("id").error("ids are lowercase letters, digits and '-'") }
            let sourceText = try node.string("source")
            guard let source = ResultSource(rawValue: sourceText) else {
                throw node.child("source").error("one of \(ResultSource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let book = try node.optionalString("book"), field = try node.optionalString("field")
            switch source {
            case .booksCount, .booksSum:
                guard let book, let ledger = ledgers.ledger(book), ledger.isWritable else {
                    throw node.child("book").error("a books.* column names a ledger clerks write (ledgers.yaml)")
                }
                if source == .booksSum {
                    guard let field, let entry = ledger.fields.first(where: { $0.id == field }), entry.type == .integer || entry.type == .quantity else {
                        throw node.child("field").error("books.sum adds an integer or quantity field of \(book)")
                    }
                } else if field != nil {
                    throw node.child("field").error("only books.sum names a field")
                }
            default:
                if book != nil || field != nil { throw node.child(book != nil ? "book" : "field").error("only books.* columns name a ledger or field") }
            }
            columns.append(ResultColumn(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), source: source,
                                        book: book, field: field))
        }
        guard !columns.isEmpty, columns.count <= 40 else { throw doc.child("columns").error("1–40 columns") }
        guard Set(columns.map(\.id)).count == columns.count else { throw doc.child("columns").error("duplicate column id") }
        return StatisticsPolicy(columns: columns)
    }
}
