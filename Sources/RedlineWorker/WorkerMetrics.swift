import Metrics

/// What the worker records for Prometheus: job duration by stage, outcomes, queue depth and age.
enum WorkerMetrics {
    static func stage(_ name: String, seconds: Double) {
        Timer(label: "redline_job_stage_duration_seconds", dimensions: [("stage", name)]).recordNanoseconds(Int64(seconds * 1e9))
    }

    static func outcome(_ outcome: String) {
        Counter(label: "redline_comparisons_total", dimensions: [("outcome", outcome)]).increment()
    }

    static func queue(depth: Int, oldestAgeSeconds: Double) {
        Gauge(label: "redline_queue_depth").record(depth)
        Gauge(label: "redline_queue_oldest_age_seconds").record(oldestAgeSeconds)
    }
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
