/// Text from the data (notes, replies, reasons, names, a reporter's words) made safe to print to
/// a staff member's terminal: a stored string must not be able to move the cursor, rewrite what
/// is on screen, set the window title, hide itself or reorder what is shown.
///
/// Removed: ESC sequences whole (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, and two-byte escapes),
/// every other C0 control but newline and tab (single-line text: those become spaces), DEL, C1
/// controls (U+0080–U+009F, which include the 8-bit CSI U+009B), and the bidirectional marks,
/// embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
public enum TerminalText {
    /// `text` without terminal controls; `multiline` keeps newlines and tabs.
    public static func clean(_ text: String, multiline: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let value = pending {
                pending = nil
                return value
            }
            return scalars.next()
        }
        while let scalar = next() {
            switch scalar.value {
            case 0x1B:
                skipEscape(&scalars, pending: &pending)
            case 0x9B:
                skipCSIBody(&scalars)
            case 0x9D:
                skipStringBody(&scalars)
            case 0x0A, 0x09:
                out.append(multiline ? scalar : " ")
            case 0x0D:
                if !multiline { out.append(" ") }
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// After ESC: a CSI (`[`), an OSC/DCS/PM/APC string (`]`, `P`, `^`, `_`), or a two-scalar escape.
    private static func skipEscape(_ scalars: inout String.UnicodeScalarView.Iterator, pending: inout Unicode.Scalar?) {
        guard let introducer = scalars.next() else { return }
        switch introducer {
        case "[": skipCSIBody(&scalars)
        case "]", "P", "^", "_", "X": skipStringBody(&scalars)
        default:
            // A two-scalar escape (ESC c, ESC 7, …) is dropped whole; a second ESC starts a new escape.
            if introducer.value == 0x1B { pending = introducer }
        }
    }

    /// Parameter and intermediate bytes up to the final byte (0x40–0x7E), bounded by the text.
    private static func skipCSIBody(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) { return }
            if !(0x20...0x3F).contains(scalar.value) { return }
        }
    }

    /// A control string up to BEL, ST (`ESC \`) or U+009C.
    private static func skipStringBody(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x07, 0x9C: return
            case 0x1B:
                _ = scalars.next()
                return
            default: continue
            }
        }
    }
}
