import Foundation
import Hummingbird
import NIOCore
import TiplineAdminAPI
import TiplineCore

extension AdminController {
    /// How often an idle stream carries a comment line, so proxies and the client know it is alive.
    static let eventHeartbeat: Duration = .seconds(15)

    /// `GET /admin/v1/events`: server-sent events for the caller's centre and role (issue 13, item 7).
    /// Each event is `event: <kind>` and `data: <StaffEvent JSON>`; nothing of a tip's content or
    /// identity is in one. At most `EventHub.maxSubscribers` streams (503 beyond).
    func registerEvents(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.events) { _, context in
            try await handle(context, .watchEvents) { actor, _ in
                guard let events else { throw APIError(status: .notFound, code: "not_found", message: "no events here") }
                guard let stream = await events.subscribe(keyID: actor.member.keyID, role: actor.member.role,
                                                          centre: actor.member.centre.rawValue) else {
                    throw APIError(status: .serviceUnavailable, code: "busy", message: "too many watchers; try again later")
                }
                let body = ResponseBody { writer in
                    let (lines, output) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(EventHub.bufferSize))
                    let forward = Task {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = .sortedKeys
                        for await event in stream {
                            guard let json = try? encoder.encode(event) else { continue }
                            output.yield("event: \(event.kind.rawValue)\ndata: \(String(decoding: json, as: UTF8.self))\n\n")
                        }
                        output.finish()
                    }
                    let heartbeat = Task {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: Self.eventHeartbeat)
                            output.yield(": alive\n\n")
                        }
                    }
                    defer {
                        forward.cancel()
                        heartbeat.cancel()
                    }
                    try await writer.write(ByteBuffer(string: ": tipline events\n\n"))
                    for await line in lines { try await writer.write(ByteBuffer(string: line)) }
                    try await writer.finish(nil)
                }
                // `Connection: close`: when the stream ends (shutdown), the connection goes with it and cannot hold the listener open.
                return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .connection: "close"],
                                body: body)
            }
        }
    }
}
