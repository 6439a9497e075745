import NIOCore
import Synchronization

/// One waiting command. Completed exactly once: by the reply, the connection closing, or the timeout.
final class RESPReply: Sendable {
    private let continuation: Mutex<CheckedContinuation<RESPValue, any Error>?>

    init(_ continuation: CheckedContinuation<RESPValue, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func complete(_ result: Result<RESPValue, any Error>) {
        continuation.withLock { c -> CheckedContinuation<RESPValue, any Error>? in
            defer { c = nil }
            return c
        }?.resume(with: result)
    }
}

struct RESPRequest: Sendable {
    var args: [[UInt8]]
    var reply: RESPReply
}

/// Encodes commands and matches each decoded reply to the oldest waiting command (Redis answers
/// in order), so many commands can be pipelined on one connection.
final class RESPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<RESPReply>()
    private var buffer = ByteBuffer()
    private var closed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard !closed else {
            request.reply.complete(.failure(RedisError.connectionClosed))
            promise?.fail(RedisError.connectionClosed)
            return
        }
        waiting.append(request.reply)
        var out = context.channel.allocator.buffer(capacity: 32 + request.args.reduce(0) { $0 + $1.count + 16 })
        RESPParser.encodeCommand(request.args, into: &out)
        context.write(wrapOutboundOut(out), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let value = try RESPParser.parse(&buffer) {
                guard let reply = waiting.popFirst() else {
                    throw RESPProtocolError(description: "Redis sent a reply nobody asked for")
                }
                reply.complete(.success(value))
            }
            buffer.discardReadBytes()
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        closed = true
        while let reply = waiting.popFirst() { reply.complete(.failure(error)) }
    }
}
