import Testing
@testable import IntakeServer

/// Rule 4 and 5 for the admin lists (`GET tips`, `GET overdue`): a page is bounded, and a malformed
/// bound is a 400, not a silent default.
@Suite("Admin list page limits")
struct AdminPageLimitTests {
    @Test("limit: absent → 200; 1…10000 accepted; anything else refused with 400")
    func pageLimit() throws {
        #expect(try AdminController.pageLimit(nil) == 200)
        #expect(try AdminController.pageLimit("1") == 1)
        #expect(try AdminController.pageLimit("10000") == 10_000)
        for bad in ["0", "-5", "10001", "abc", "", "1e3", " 5", "99999999999999999999"] {
            #expect(throws: APIError.self, "limit=\(bad)") { try AdminController.pageLimit(bad) }
            do {
                _ = try AdminController.pageLimit(bad)
            } catch let failure as APIError {
                #expect(failure.status == .badRequest)
            }
        }
    }
}
