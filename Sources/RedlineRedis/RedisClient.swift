import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small Redis client: RESP2 over SwiftNIO, a fixed pool of pipelined connections that
/// reconnect on demand (with backoff while Redis is down, so callers fail fast), and per-command
/// timeouts. Error replies throw `RedisError.server`.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let logger: Logger
    private let slots: [RedisConnectionSlot]
    private let next = Atomic<Int>(0)
    private let down = Mutex(false)

    public init(configuration: RedisConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.logger = logger
        self.slots = (0..<configuration.poolSize).map { _ in RedisConnectionSlot(configuration: configuration, group: eventLoopGroup) }
    }

    /// Runs a command, e.g. `["SET", "k", "v", "PX", "1000"]`.
    @discardableResult
    public func command(_ args: [String]) async throws -> RESPValue {
        try await command(bytes: args.map { Array($0.utf8) })
    }

    /// Runs a command whose arguments are raw bytes (binary-safe values).
    @discardableResult
    public func command(bytes args: [[UInt8]]) async throws -> RESPValue {
        // Round-robin, skipping slots that are backing off after a failed connect.
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        var lastError: (any Error)?
        for offset in 0..<slots.count {
            let slot = slots[(start &+ offset) % slots.count]
            let channel: any Channel
            do {
                channel = try await slot.channel()
            } catch {
                lastError = error
                continue
            }
            return try await RedisConnectionSlot.send(channel, args, timeout: configuration.commandTimeout)
        }
        throw lastError ?? RedisError.connectionClosed
    }

    /// Closes every connection.
    public func close() async {
        for slot in slots { await slot.close() }
    }

    /// Logs the first failure of an outage (not every one) and the recovery, for callers that
    /// degrade gracefully instead of throwing.
    func noteFailure(_ error: any Error) {
        let first = down.withLock { down in
            defer { down = true }
            return !down
        }
        if first { logger.warning("Redis is unavailable; rate limits fail open and the cache misses until it is back", metadata: ["error": "\(error)"]) }
    }

    func noteSuccess() {
        let recovered = down.withLock { down in
            defer { down = false }
            return down
        }
        if recovered { logger.info("Redis is reachable again") }
    }
}

/// One pooled connection, reconnected lazily. After a failed connect it refuses for a growing
/// pause (0.25 s doubling to 5 s) so an outage costs callers nothing but a quick error.
actor RedisConnectionSlot {
    let configuration: RedisConfiguration
    let group: any EventLoopGroup
    private var channel: (any Channel)?
    private var connecting: Task<any Channel, any Error>?
    private var retryAt: ContinuousClock.Instant?
    private var backoff = Duration.milliseconds(250)

    init(configuration: RedisConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        self.group = group
    }

    func channel() async throws -> any Channel {
        if let channel, channel.isActive { return channel }
        channel = nil
        if let connecting { return try await connecting.value }
        if let retryAt, ContinuousClock.now < retryAt { throw RedisError.unavailable("reconnecting to \(configuration.host):\(configuration.port)") }
        let task = Task { [configuration, group] in try await Self.connect(configuration, group: group) }
        connecting = task
        defer { connecting = nil }
        do {
            let fresh = try await task.value
            channel = fresh
            retryAt = nil
            backoff = .milliseconds(250)
            return fresh
        } catch {
            retryAt = ContinuousClock.now + backoff
            backoff = min(backoff * 2, .seconds(5))
            throw error as? RedisError ?? RedisError.unavailable("\(configuration.host):\(configuration.port): \(error)")
        }
    }

    func close() async {
        connecting?.cancel()
        if let channel { try? await channel.close() }
        channel = nil
    }

    static func connect(_ configuration: RedisConfiguration, group: any EventLoopGroup) async throws -> any Channel {
        let timeout = TimeAmount.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
            + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
        let tls = try configuration.tls ? tlsContext(configuration) : nil
        // SNI and name verification take a host name; an IP address is checked by the chain only.
        let serverName = IPAddressCheck.isIPAddress(configuration.host) ? nil : configuration.host
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try channel.pipeline.syncOperations.addHandler(RESPChannelHandler())
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        do {
            if let password = configuration.password {
                let auth = configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                _ = try await send(channel, auth.map { Array($0.utf8) }, timeout: configuration.commandTimeout)
            }
            if configuration.database != 0 {
                _ = try await send(channel, [Array("SELECT".utf8), Array(String(configuration.database).utf8)], timeout: configuration.commandTimeout)
            }
        } catch {
            try? await channel.close()
            throw error
        }
        return channel
    }

    /// Full certificate verification against the system roots, or only the configured CA.
    static func tlsContext(_ configuration: RedisConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let file = configuration.caCertificateFile { tls.trustRoots = .file(file) }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw RedisError.unavailable("TLS setup for \(configuration.host):\(configuration.port) failed: \(error)")
        }
    }

    /// Sends one command and waits for its reply; on timeout the connection is closed, because
    /// a late reply would otherwise be matched to the next command.
    static func send(_ channel: any Channel, _ args: [[UInt8]], timeout: Duration) async throws -> RESPValue {
        let nanos = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RESPValue, any Error>) in
            let reply = RESPReply(continuation)
            let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(nanos)) {
                reply.complete(.failure(RedisError.timeout))
                channel.close(promise: nil)
            }
            channel.writeAndFlush(RESPRequest(args: args, reply: reply)).whenComplete { result in
                if case .failure(let error) = result {
                    timer.cancel()
                    reply.complete(.failure(error as? RedisError ?? RedisError.connectionClosed))
                }
            }
            // Replies cancel nothing: the timer completing an already-completed reply is a no-op.
        }
        if case .error(let message) = value { throw RedisError.server(message) }
        return value
    }
}

enum IPAddressCheck {
    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
