import RedlineCore
import Testing

/// When traces are exported: off in the embedded default, on from `REDLINE_TRACING` or the
/// standard OpenTelemetry variables, and a clear error for exporters this build does not have.
@Suite struct TracingConfigurationTests {
    @Test func offByDefault() throws {
        #expect(try RedlineConfiguration(environment: [:]).tracing == "off")
    }

    @Test func standardOpenTelemetryVariablesTurnItOn() throws {
        #expect(try RedlineConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]).tracing == "otlp")
        #expect(try RedlineConfiguration(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"]).tracing == "otlp")
        #expect(try RedlineConfiguration(environment: ["OTEL_TRACES_EXPORTER": "otlp"]).tracing == "otlp")
        #expect(try RedlineConfiguration(environment: ["REDLINE_TRACING": "otlp"]).tracing == "otlp")
    }

    @Test func helmChartEndpointVariableTurnsItOn() throws {
        let configuration = try RedlineConfiguration(environment: ["REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318/"])
        #expect(configuration.tracing == "otlp" && configuration.otlpEndpoint == "http://otel-collector:4318")
        #expect(throws: ConfigurationError.self) { try RedlineConfiguration(environment: ["REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT": "otel-collector:4318"]) }
        #expect(try RedlineConfiguration(environment: ["REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"]).tracing == "off")
    }

    @Test func optOutsWin() throws {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]
        #expect(try RedlineConfiguration(environment: endpoint.merging(["OTEL_SDK_DISABLED": "true"]) { $1 }).tracing == "off")
        #expect(try RedlineConfiguration(environment: endpoint.merging(["OTEL_TRACES_EXPORTER": "none"]) { $1 }).tracing == "off")
        #expect(try RedlineConfiguration(environment: endpoint.merging(["REDLINE_TRACING": "off"]) { $1 }).tracing == "off")
        // The SDK-wide switch also beats Redline's own: swift-otel would refuse to start the exporter otherwise.
        #expect(try RedlineConfiguration(environment: ["REDLINE_TRACING": "otlp", "OTEL_SDK_DISABLED": "true"]).tracing == "off")
        #expect(try RedlineConfiguration(environment: ["REDLINE_TRACING": "otlp", "OTEL_TRACES_EXPORTER": "none"]).tracing == "off")
    }

    @Test func unavailableExportersAreRefusedAtStart() {
        #expect(throws: ConfigurationError.self) { try RedlineConfiguration(environment: ["REDLINE_TRACING": "jaeger"]) }
        #expect(throws: ConfigurationError.self) {
            try RedlineConfiguration(environment: ["OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        }
        #expect(throws: ConfigurationError.self) { try RedlineConfiguration(environment: ["OTEL_TRACES_EXPORTER": "zipkin", "REDLINE_TRACING": "otlp"]) }
        // A gRPC setting is irrelevant while tracing is off.
        #expect((try? RedlineConfiguration(environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]))?.tracing == "off")
    }
}
