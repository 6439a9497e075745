import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces over OTLP/HTTP (protobuf) for one role process.
///
/// Off unless the configuration turns it on (`REDLINE_TRACING=otlp`, or the standard
/// `OTEL_TRACES_EXPORTER=otlp` / `OTEL_EXPORTER_OTLP_ENDPOINT`). The exporter's own settings —
/// endpoint, headers, timeout, batch delays, sampler, `OTEL_SERVICE_NAME` — are the standard
/// `OTEL_*` variables, read by swift-otel. Only the HTTP exporter is built in: the gRPC one would
/// add grpc-swift and HTTP/2 to every build.
///
/// ```swift
/// if let exporter = try TracingSetup.bootstrap(serviceName: "redline-worker", logger: logger) {
///     services.insert(exporter, at: 0)  // shut down last, so it flushes every span the others ended
/// }
/// ```
public enum TracingSetup {
    /// Bootstraps the process-wide tracer and returns the service that batches and exports spans.
    ///
    /// The service must run in the role's `ServiceGroup`; on graceful shutdown it exports what is
    /// still buffered before it returns.
    /// - Parameters:
    ///   - serviceName: the default `service.name` (`OTEL_SERVICE_NAME` overrides it).
    ///   - endpoint: the collector's OTLP/HTTP base URL (`REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT`); nil:
    ///     swift-otel's default or the standard `OTEL_EXPORTER_OTLP_*ENDPOINT`, which win anyway.
    ///   - logger: where swift-otel reports export failures (they never fail a request).
    public static func bootstrap(serviceName: String, endpoint: String? = nil, logger: Logger) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        if let endpoint { configuration.traces.otlpExporter.endpoint = endpoint + "/v1/traces" }
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        return service
    }

    /// Adds `trace_id` and `span_id` of the active span (if any) to every log record.
    public static var logMetadataProvider: Logger.MetadataProvider {
        OTel.makeLoggingMetadataProvider()
    }
}
