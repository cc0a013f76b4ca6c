internal import CYaml

/// Finds YAML aliases in a policy file before Yams composes it.
///
/// Yams hashes every mapping key while composing (its duplicate-key check), and an alias stands
/// for the whole anchored node, so a key that aliases nested aliases ("billion laughs") costs
/// exponential time: a 532-byte file hung the policy loader (found while fuzzing
/// `PolicySet.parse`; Fuzz/regressions/FuzzPolicyYAML/). Policy files have no use for anchors
/// or aliases, so one linear pass over libyaml's events refuses them first.
enum PolicyYAMLAliases {
    /// The 1-based line of the first alias in `text`; nil if there is none, or if the text is
    /// not YAML (composing then reports the error with its line).
    static func firstAliasLine(in text: String) -> Int? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_ALIAS_EVENT:
                    return Int(event.start_mark.line) + 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    continue
                }
            }
            return nil
        }
    }
}
