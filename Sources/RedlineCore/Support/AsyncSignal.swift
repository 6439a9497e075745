import Foundation
import Synchronization

/// Wakes waiters when something happened (new work queued), with a timeout so a missed
/// signal only costs a short delay, never a stuck worker.
public final class AsyncSignal: Sendable {
    private struct State {
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
        var pending = false
    }
    private let state = Mutex(State())

    public init() {}

    /// Wakes every current waiter, or the next one if none is waiting.
    public func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.pending = true
                return []
            }
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            return all
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when signalled, after `timeout` seconds, or on cancellation.
    public func wait(timeout: TimeInterval) async {
        let id = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(for: .seconds(timeout))
                    self.resume(id)
                }
            }
        } onCancel: {
            self.resume(id)
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}
