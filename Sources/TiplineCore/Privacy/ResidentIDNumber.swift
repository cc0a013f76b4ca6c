/// Mainland resident identity numbers (GB 11643): 17 digits and a check character by ISO 7064
/// MOD 11-2. Used to recognise them in raw bytes and to make valid canaries.
public enum ResidentIDNumber {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432".utf8)

    /// The check character (ASCII `0`–`9` or `X`) for 17 ASCII digits.
    public static func checkCharacter(_ digits: some Collection<UInt8>) -> UInt8? {
        guard digits.count == 17 else { return nil }
        var sum = 0
        for (digit, weight) in zip(digits, weights) {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            sum += Int(digit - 0x30) * weight
        }
        return checkCharacters[sum % 11]
    }

    /// Whether 18 ASCII bytes are a number with a valid check character (`x` accepted for `X`).
    public static func isValid(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        guard bytes.count == 18, let expected = checkCharacter(bytes.prefix(17)), var last = bytes.last else { return false }
        if last == 0x78 { last = 0x58 }
        return last == expected
    }
}
