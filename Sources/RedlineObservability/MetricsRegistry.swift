import Metrics
import Prometheus

/// The process's Prometheus registry, bootstrapped into swift-metrics once per process.
///
/// Every role exposes it at `/metrics`; libraries record through the swift-metrics API
/// (`Counter`, `Timer`, `Gauge`) and never see Prometheus.
public enum MetricsRegistry {
    private static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Installs the registry as the metrics backend (idempotent).
    public static func bootstrap() {
        _ = shared
    }

    /// The Prometheus text exposition of every metric recorded so far.
    public static func exposition() -> String {
        shared.emitToString()
    }
}
