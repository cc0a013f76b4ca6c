/// The case-lead classes of S-5.1, with their labels and default urgency.
public struct CategoriesPolicy: Sendable, Equatable {
    /// The classes, in file order.
    public let categories: [Category]

    /// The class with id `id`, if defined.
    public func category(_ id: CategoryID) -> Category? { categories.first { $0.id == id } }

    /// A policy of `categories`.
    public init(categories: [Category]) { self.categories = categories }

    static func parse(file: String, text: String) throws(PolicyError) -> CategoriesPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "categories"])
        var seen: Set<CategoryID> = []
        var result: [Category] = []
        for node in try doc.array("categories") {
            try node.onlyKeys(["id", "label_zh", "label_en", "default_urgency"])
            let id = CategoryID(try node.string("id"))
            guard CentreID.isWellFormed(id.rawValue) else {
                throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 32)")
            }
            guard seen.insert(id).inserted else { throw node.child("id").error("duplicate category id") }
            let urgencyText = try node.string("default_urgency")
            guard let urgency = Urgency(rawValue: urgencyText) else {
                throw node.child("default_urgency").error("expected one of major, important, routine")
            }
            result.append(Category(id: id, labelZh: try node.string("label_zh"),
                                   labelEn: try node.string("label_en"), defaultUrgency: urgency))
        }
        guard !result.isEmpty else { throw doc.child("categories").error("at least one category is needed") }
        return CategoriesPolicy(categories: result)
    }
}
