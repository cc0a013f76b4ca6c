import Foundation
import HTTPTypes
import Hummingbird

/// Whether a form post comes from this site's own pages (cross-site request forgery defence for
/// `POST /report` and `POST /followup`).
///
/// Every provenance header the browser sent must say "this site": `Sec-Fetch-Site` must be
/// `same-origin` (or `none`, a user-initiated navigation), `Origin` must name the host the request
/// was sent to, and so must `Referer`. `Origin: null` tells nothing (our pages send
/// `Referrer-Policy: no-referrer`, which makes browsers send exactly that for their own form posts)
/// and is skipped. A request with none of them — an old or privacy-minded browser without
/// JavaScript — is accepted: refusing it would lock out the reporters this form is for, and a
/// browser that forges nothing cannot be made to post across sites without sending them.
enum SameOriginCheck {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func allows(_ request: Request) -> Bool {
        allows(host: request.head.authority, origin: request.headers[.origin],
               referer: request.headers[.referer], fetchSite: request.headers[secFetchSite])
    }

    static func allows(host: String?, origin: String?, referer: String?, fetchSite: String?) -> Bool {
        if let fetchSite {
            let site = fetchSite.trimmingCharacters(in: .whitespaces).lowercased()
            guard site == "same-origin" || site == "none" else { return false }
        }
        if let origin, origin.trimmingCharacters(in: .whitespaces) != "null" {
            guard let host, sameAuthority(url: origin, host: host) else { return false }
        }
        if let referer, !referer.isEmpty {
            guard let host, sameAuthority(url: referer, host: host) else { return false }
        }
        return true
    }

    /// Whether `url`'s scheme is http(s) and its authority is `host` (default ports ignored, case-insensitive).
    static func sameAuthority(url: String, host: String) -> Bool {
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              var name = components.host, !name.isEmpty, components.user == nil, components.password == nil else { return false }
        if name.hasSuffix(".") { name.removeLast() }
        if name.contains(":"), !name.hasPrefix("[") { name = "[\(name)]" }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return normalise("\(name):\(port)") == normalise(host, defaultPort: scheme == "https" ? 443 : 80)
    }

    private static func normalise(_ authority: String, defaultPort: Int? = nil) -> String {
        var text = authority.lowercased().trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(".") { text.removeLast() }
        text = text.replacingOccurrences(of: ".:", with: ":")
        // Host without a port: the scheme's default.
        let hasPort: Bool
        if text.hasPrefix("[") {
            hasPort = text.range(of: "]:") != nil
        } else {
            hasPort = text.contains(":")
        }
        if !hasPort, let defaultPort { text += ":\(defaultPort)" }
        return text
    }
}
