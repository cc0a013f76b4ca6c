internal import COpenSSL

/// Owns one memory `BIO` and frees it on deinit.
final class BIOHandle {
    let pointer: OpaquePointer

    /// An empty, writable memory BIO.
    init() throws(SealingError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSLFailure("BIO_new") }
        self.pointer = bio
    }

    /// A read-only memory BIO over `bytes`, which must outlive this object.
    init(readOnly bytes: UnsafeRawBufferPointer) throws(SealingError) {
        guard bytes.count <= Int(Int32.max), let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else {
            throw .openSSLFailure("BIO_new_mem_buf")
        }
        self.pointer = bio
    }

    deinit {
        BIO_free(pointer)
    }

    /// Everything written so far, as text.
    func contentsAsString() -> String {
        var data: UnsafeMutablePointer<CChar>?
        let length = tipline_BIO_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
