internal import COpenSSL

/// Access to OpenSSL's thread-local error queue.
///
/// Every failure path either drains the queue into a `SealingError.openSSL` or clears it,
/// so a stale entry never shows up in an unrelated later error.
enum OpenSSLErrorQueue {
    /// Returns the queued errors as text (library and reason strings, no data) and empties the queue.
    static func drain() -> String {
        var parts: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if parts.count < 8 {
                buffer.withUnsafeMutableBufferPointer { ptr in
                    ERR_error_string_n(code, ptr.baseAddress, ptr.count)
                }
                let text = buffer.withUnsafeBufferPointer { ptr in
                    String(decoding: UnsafeRawBufferPointer(ptr).prefix { $0 != 0 }, as: UTF8.self)
                }
                parts.append(text)
            }
        }
        return parts.joined(separator: "; ")
    }

    /// Empties the queue without reading it (for expected failures such as a bad signature).
    static func clear() {
        ERR_clear_error()
    }
}

extension SealingError {
    /// An `.openSSL` error for `operation`, carrying (and clearing) the current error queue.
    static func openSSLFailure(_ operation: String) -> SealingError {
        .openSSL(operation: operation, detail: OpenSSLErrorQueue.drain())
    }
}

/// Stops the process for an OpenSSL failure that can only mean memory exhaustion or a broken
/// library (e.g. HMAC-SHA256 over in-memory buffers); callers of the non-throwing primitives
/// cannot do anything sensible with such an error.
func opensslFatal(_ operation: String) -> Never {
    let detail = OpenSSLErrorQueue.drain()
    fatalError("Sealing: OpenSSL failure in \(operation): \(detail)")
}
