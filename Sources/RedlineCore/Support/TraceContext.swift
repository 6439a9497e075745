import Tracing

/// Carries the active trace across process boundaries that are not HTTP requests: the job queue
/// stores a W3C `traceparent` with each job, and the worker continues the trace from it.
///
/// Everything goes through the process's bootstrapped instrument, so with tracing off (the
/// embedded default: a no-op instrument) `currentTraceparent()` is nil and nothing is stored.
public enum TraceContext {
    /// The W3C `traceparent` of the current task's span, or nil when no trace is active.
    ///
    /// (HTTP calls need nothing from here: async-http-client injects the header of its own client
    /// span, which the converter role's `TracingMiddleware` continues.)
    public static func currentTraceparent() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"]
    }

    /// The service context a stored `traceparent` continues (top level when there is none).
    public static func context(traceparent: String?) -> ServiceContext {
        var context = ServiceContext.topLevel
        guard let traceparent else { return context }
        InstrumentationSystem.instrument.extract(["traceparent": traceparent], into: &context, using: DictionaryExtractor())
        return context
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
