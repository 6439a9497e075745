import Dispatch

/// Runs CPU-bound or blocking work (PDF parsing, rendering, the engine) on a global dispatch queue
/// instead of the cooperative thread pool, so HTTP handling and other tasks keep their threads.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
