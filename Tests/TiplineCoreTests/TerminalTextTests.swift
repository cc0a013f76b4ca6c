import Testing
import TiplineCore

/// Issue 11, "Also": staff-authored and reporter text printed to a terminal carries no controls.
@Suite("Terminal text: control characters stripped")
struct TerminalTextTests {
    @Test("ESC sequences (CSI, OSC title, two-byte), C0, DEL, C1 and bidi controls are removed; text is kept")
    func strips() {
        #expect(TerminalText.clean("ok\u{1B}[31mred\u{1B}[0m") == "okred")
        #expect(TerminalText.clean("\u{1B}]0;pwned\u{07}title") == "title")
        #expect(TerminalText.clean("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
        #expect(TerminalText.clean("a\u{1B}cb") == "ab")
        #expect(TerminalText.clean("a\u{1B}\u{1B}[2Jb") == "ab")
        #expect(TerminalText.clean("a\u{9B}2Jb") == "ab")
        #expect(TerminalText.clean("a\u{9D}0;t\u{9C}b") == "ab")
        #expect(TerminalText.clean("a\u{00}\u{07}\u{08}\u{7F}\u{85}b") == "ab")
        #expect(TerminalText.clean("abc\u{202E}fdp.exe\u{202C}") == "abcfdp.exe")
        #expect(TerminalText.clean("\u{2066}x\u{2069}\u{200F}\u{061C}") == "x")
        #expect(TerminalText.clean("line1\r\nline2\tend") == "line1  line2 end")
        #expect(TerminalText.clean("line1\r\nline2\tend", multiline: true) == "line1\nline2\tend")
        #expect(TerminalText.clean("南明区某书店出售盗版书 — ok") == "南明区某书店出售盗版书 — ok")
        #expect(TerminalText.clean("\u{1B}") == "")
        #expect(TerminalText.clean("\u{1B}[") == "")
    }
}
