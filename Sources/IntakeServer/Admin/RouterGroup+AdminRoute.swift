import Hummingbird
import TiplineAdminAPI

extension RouterGroup {
    /// Registers `handler` for an admin route of the contract (TiplineAdminAPI), so no admin path
    /// is spelled in the server.
    @discardableResult
    func on(_ route: AdminRoute,
            use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(RouterPath(stringLiteral: route.template), method: route.method == .get ? .get : .post, use: handler)
    }
}
