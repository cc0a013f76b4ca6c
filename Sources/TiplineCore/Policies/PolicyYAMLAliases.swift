/// Finds YAML aliases in a policy file before Yams composes it.
///
/// Yams hashes every mapping key while composing (its duplicate-key check), and an alias stands
/// for the whole anchored node, so a key that aliases nested aliases ("billion laughs") costs
/// exponential time: a 532-byte file hung the policy loader (found while fuzzing
/// `PolicySet.parse`; Fuzz/regressions/FuzzPolicyYAML/). Policy files have no use for aliases,
/// so one linear pass over the text refuses them first.
///
/// The pass is lexical and deliberately blunt, so that it cannot miss one: a YAML alias is `*`
/// followed by a name (libyaml's anchor characters: ASCII letters, digits, `_`, `-`) at the start of
/// a token (the start of a line — any of YAML 1.1's line breaks — or after a space, tab, `[`, `{` or
/// `,`), and every such `*` is refused, also inside quotes, comments and block scalars, where it
/// would be harmless text. No policy file needs one; text that does can write `＊` or `※`. (Yams
/// offers no event API, and its C parser is an internal target we do not import.)
enum PolicyYAMLAliases {
    /// The 1-based line of the first `*name` at the start of a token in `text`; nil if there is none.
    static func firstAliasLine(in text: String) -> Int? {
        var line = 1
        var previous: UInt8 = 0x0A
        var pendingStar = false
        // A byte-order mark is not content: the stream starts after it.
        for byte in text.utf8.dropFirst(text.hasPrefix("\u{FEFF}") ? 3 : 0) {
            if pendingStar, isNameCharacter(byte) { return line }
            // 0x85, 0xA8, 0xA9: the last bytes of NEL, LS and PS (and of some other characters: refused too).
            pendingStar = byte == 0x2A && [0x0A, 0x0D, 0x20, 0x09, 0x5B, 0x7B, 0x2C, 0x85, 0xA8, 0xA9].contains(previous)
            if byte == 0x0A { line += 1 }
            previous = byte
        }
        return nil
    }

    /// libyaml's anchor and alias name characters: `[0-9A-Za-z_-]`.
    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
    }
}
