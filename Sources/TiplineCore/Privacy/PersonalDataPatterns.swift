/// What personal data in clear looks like in raw bytes (used by `tipline-audit scan` on `data/`, and
/// by the staff CLI on free text before it is sent: issue 13, item 9) (ASCII digits and text):
///
/// - a mainland mobile number: a standalone run of 11 digits `1[3-9]…`;
/// - a resident ID number: a standalone run of 17 digits and a check character (`0`–`9`, `X`)
///   that is valid by ISO 7064 MOD 11-2;
/// - an e-mail address: `local@label.tld` with a local part of at least two characters that begins
///   and ends with a letter or digit, a domain label of at least two characters and a top-level
///   domain from `topLevelDomains` (any letter case) — except where the domain is an envelope
///   field name (`reporter.name`, `reporter.phone` …): those names are stored in clear in
///   `tip_field` rows, right after the row's binary header and tip id, and the bytes of that
///   header can read `b+@reporter.nameidentity` (one tip in 40,000 did, in a 10^6-tip store).
///
/// Why a list of top-level domains: the scan reads gigabytes of ciphertext, and random bytes form
/// `xy@ab.cd` with any 2–24 letters after the dot about once per 500 MB (three such hits in a
/// 2.4 GB store of 10^6 sealed tips); with the list, about once per 10^11 bytes. Mobile and ID
/// numbers need 11 or 18 standalone ASCII digits, which random bytes practically never form.
///
/// "Standalone" means not touching an ASCII letter or digit, so hex strings, base64 and longer
/// numbers (timestamps in milliseconds, amounts) do not count. Matches are anchored at their first
/// byte (for an e-mail at its `@`), which is what the scanner's chunk overlap relies on.
package enum PersonalDataPatterns {
    /// The kind reported for a mainland mobile number.
    package static let kindMobile = "mobile-number"
    /// The kind reported for a resident identity card number.
    package static let kindResidentID = "resident-id"
    /// The kind reported for an e-mail address.
    package static let kindEmail = "email"

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) static func isLocal(_ c: UInt8) -> Bool {
        isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }
    @inline(__always) static func isDomain(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x2E || c == 0x2D }

    /// Calls `report(index, length, kind)` for each match anchored in `range` of `bytes`. Bytes outside
    /// `bytes` count as boundaries; `atFileStart` says index 0 is the file's first byte.
    package static func find(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, atFileStart: Bool,
                     report: (Int, Int, String) -> Void) {
        let count = bytes.count
        func at(_ i: Int) -> UInt8 { i >= 0 && i < count ? bytes[i] : 0 }
        var i = range.lowerBound
        while i < range.upperBound {
            let c = bytes[i]
            if isDigit(c), i == 0 ? true : !isAlnum(bytes[i - 1]) {
                var end = i
                while end < count, end - i <= 18, isDigit(bytes[end]) { end += 1 }
                let length = end - i
                let next = at(end)
                if length == 11, !isAlnum(next), c == 0x31, at(i + 1) >= 0x33, at(i + 1) <= 0x39 {
                    report(i, 11, kindMobile)
                } else if length == 18, !isAlnum(next), ResidentIDNumber.isValid(UnsafeRawBufferPointer(rebasing: bytes[i..<end])) {
                    report(i, 18, kindResidentID)
                } else if length == 17, next == 0x58 || next == 0x78, !isAlnum(at(end + 1)),
                          ResidentIDNumber.isValid(UnsafeRawBufferPointer(rebasing: bytes[i...end])) {
                    report(i, 18, kindResidentID)
                }
                i = max(end, i + 1)
                continue
            }
            if c == 0x40 { email(bytes, at: i, report: report) }
            i += 1
        }
    }

    private static func email(_ bytes: UnsafeRawBufferPointer, at sign: Int, report: (Int, Int, String) -> Void) {
        var start = sign
        while start > 0, sign - start < 64, isLocal(bytes[start - 1]) { start -= 1 }
        // The local part begins and ends with a letter or digit.
        while start < sign, !isAlnum(bytes[start]) { start += 1 }
        guard sign - start >= 2, isAlnum(bytes[sign - 1]) else { return }
        var end = sign + 1
        while end < bytes.count, end - sign <= 255, isDomain(bytes[end]) { end += 1 }
        // Trim a trailing dot or hyphen (end of a sentence).
        while end > sign + 1, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D { end -= 1 }
        let domain = UnsafeRawBufferPointer(rebasing: bytes[(sign + 1)..<end])
        if isFieldName(domain) { return }
        guard let lastDot = domain.lastIndex(of: 0x2E), lastDot >= 2 else { return }
        let tld = domain[(lastDot + 1)...]
        guard (2...6).contains(tld.count), tld.allSatisfy(isLetter),
              topLevelDomains.contains(String(decoding: tld.map { $0 | 0x20 }, as: UTF8.self)) else { return }
        report(start, end - start, kindEmail)
    }

    /// Top-level domains of the addresses people in the city use: generic ones, China's and its
    /// neighbours', and the new generic ones common on Chinese registrars.
    static let topLevelDomains: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "asia",
        "cn", "hk", "mo", "tw", "jp", "kr", "sg", "my", "th", "vn", "us", "uk", "ca", "au", "de", "fr", "ru",
        "io", "co", "me", "cc", "tv", "top", "xyz", "vip", "site", "club", "shop", "online", "wang", "ltd",
        "work", "tech", "app", "dev", "email", "ink", "ren", "fun", "store", "live", "cloud", "link", "xin",
    ]

    /// The envelope's own field names, as stored in clear next to binary bytes (see above).
    private static let fieldNames: [[UInt8]] = ReporterSubmission.fieldNames.map { Array("reporter.\($0)".utf8) }

    /// Whether `domain` begins with one of `fieldNames` (whatever binary bytes follow it).
    private static func isFieldName(_ domain: UnsafeRawBufferPointer) -> Bool {
        fieldNames.contains { name in domain.count >= name.count && zip(domain, name).allSatisfy { $0 == $1 } }
    }
}
