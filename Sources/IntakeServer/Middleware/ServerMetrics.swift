import Foundation
public import Hummingbird
import Prometheus
import TiplineCore
import TiplineStore

/// The server's Prometheus metrics (admin listener, `GET /metrics`). Labels are route templates,
/// status codes, centre ids, statuses and urgencies only: never anything a reporter typed.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                             .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                             .seconds(2.5), .seconds(5), .seconds(10)]

    /// An empty registry.
    public init() {}

    func record(listener: String, method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(name: "tipline_http_requests_total",
                             labels: [("listener", listener), ("method", method), ("route", route), ("status", String(status))],
                             help: "HTTP requests by route template and status").increment()
        registry.makeDurationHistogram(name: "tipline_http_request_duration_seconds",
                                       labels: [("listener", listener), ("route", route)], buckets: Self.latencyBuckets,
                                       help: "HTTP request latency by route template").recordNanoseconds(duration.nanoseconds)
    }

    /// Refreshes the gauges read from the database and the KDF gate, then renders the exposition.
    func render(store: any TipQueueStore, gate: KDFGate, budget: BodyBudget, now: Int64) async throws -> String {
        registry.makeGauge(name: "tipline_body_bytes_in_flight", help: "request-body bytes held in memory now").set(Double(budget.inUse))
        registry.makeGauge(name: "tipline_body_bytes_peak", help: "most request-body bytes ever held at once (since start)")
            .set(Double(budget.peak))
        registry.makeGauge(name: "tipline_body_bytes_budget", help: "request-body bytes allowed at once").set(Double(budget.total))
        let occupancy = await gate.occupancy
        let rejected = await gate.rejected
        registry.makeGauge(name: "tipline_kdf_gate_running", help: "receipt KDF derivations running").set(Double(occupancy.running))
        registry.makeGauge(name: "tipline_kdf_gate_waiting", help: "receipt KDF derivations waiting").set(Double(occupancy.waiting))
        registry.makeGauge(name: "tipline_kdf_gate_capacity", help: "receipt KDF derivations allowed at once").set(Double(gate.concurrency))
        registry.makeGauge(name: "tipline_kdf_gate_rejected", help: "requests refused with 503 because the KDF gate was full (since start)")
            .set(Double(rejected))
        let counts = try await store.metricCounts(at: now)
        for (centre, status, count) in counts.byCentreAndStatus {
            registry.makeGauge(name: "tipline_tips", labels: [("centre", centre), ("status", status)], help: "tips by routed centre and status")
                .set(Double(count))
        }
        for (centre, count) in counts.overdueByCentre {
            registry.makeGauge(name: "tipline_tips_overdue", labels: [("centre", centre)], help: "tips past their S-4.1 due time")
                .set(Double(count))
        }
        return registry.emitToString()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// Counts every request into `ServerMetrics`.
public struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let listener: String

    /// A middleware that counts into `metrics` under the `listener` label.
    public init(metrics: ServerMetrics, listener: String) {
        self.metrics = metrics
        self.listener = listener
    }

    /// Passes the request on and records its method, route template, status and duration.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            metrics.record(listener: listener, method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                           status: status, duration: ContinuousClock.now - start)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
