import Foundation
import Tracing

/// Spans for stages that run inside one call and are only timed afterwards (the engine reports
/// `extract` and the rest of its work as durations): each becomes a span with its real start and
/// end, so a trace shows where a comparison's time went without instrumenting the engine.
struct StageSpans {
    private var cursor: UInt64

    /// Starts laying out stages at `start` (wall clock, as spans use).
    init(startingAt start: Date) {
        cursor = UInt64(max(0, start.timeIntervalSince1970) * 1e9)
    }

    /// Records a span `name` of `seconds` right after the previous one.
    mutating func record(_ name: String, seconds: Double, attributes: SpanAttributes = [:]) {
        let begin = cursor
        cursor += UInt64(max(0, seconds) * 1e9)
        let span = startSpan(name, at: StageInstant(nanosecondsSinceEpoch: begin))
        span.attributes = attributes
        span.end(at: StageInstant(nanosecondsSinceEpoch: cursor))
    }
}

struct StageInstant: TracerInstant {
    var nanosecondsSinceEpoch: UInt64

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
}
