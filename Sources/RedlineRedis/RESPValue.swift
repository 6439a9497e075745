import NIOCore

/// A RESP2 reply from Redis.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case array([RESPValue])
    /// The null bulk string (`$-1`) or null array (`*-1`).
    case null

    /// The value as text, for simple and bulk strings and integers.
    public var string: String? {
        switch self {
        case .simpleString(let s): s
        case .bulkString(let b): String(decoding: b, as: UTF8.self)
        case .integer(let i): String(i)
        default: nil
        }
    }

    public var int: Int64? {
        switch self {
        case .integer(let i): i
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }
}

/// A reply Redis could not parse as RESP2 (a protocol bug or not-Redis on the other end).
public struct RESPProtocolError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Incremental RESP2 parsing: `parse` returns nil, consuming nothing, until a whole value is
/// buffered, so bytes can arrive split anywhere.
public enum RESPParser {
    public static let maxBulkLength = 512 * 1024 * 1024
    public static let maxArrayLength = 1 << 24

    public static func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var index = buffer.readerIndex
        guard let value = try parseValue(buffer, &index, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: index)
        return value
    }

    private static func parseValue(_ buffer: ByteBuffer, _ index: inout Int, depth: Int) throws -> RESPValue? {
        guard depth < 64 else { throw RESPProtocolError(description: "RESP nesting too deep") }
        guard let type = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        var cursor = index + 1
        guard let line = try readLine(buffer, &cursor) else { return nil }
        let value: RESPValue
        switch type {
        case UInt8(ascii: "+"):
            value = .simpleString(line)
        case UInt8(ascii: "-"):
            value = .error(line)
        case UInt8(ascii: ":"):
            guard let n = Int64(line) else { throw RESPProtocolError(description: "bad RESP integer '\(line)'") }
            value = .integer(n)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= maxBulkLength else {
                throw RESPProtocolError(description: "bad RESP bulk length '\(line)'")
            }
            if length == -1 {
                value = .null
            } else {
                guard buffer.writerIndex - cursor >= length + 2, let bytes = buffer.getBytes(at: cursor, length: length) else { return nil }
                guard buffer.getInteger(at: cursor + length, as: UInt16.self) == 0x0D0A else {
                    throw RESPProtocolError(description: "RESP bulk string not terminated by CRLF")
                }
                cursor += length + 2
                value = .bulkString(bytes)
            }
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= maxArrayLength else {
                throw RESPProtocolError(description: "bad RESP array length '\(line)'")
            }
            if count == -1 {
                value = .null
            } else {
                var elements: [RESPValue] = []
                elements.reserveCapacity(min(count, 1024))
                for _ in 0..<count {
                    guard let element = try parseValue(buffer, &cursor, depth: depth + 1) else { return nil }
                    elements.append(element)
                }
                value = .array(elements)
            }
        default:
            throw RESPProtocolError(description: "unknown RESP type byte \(type)")
        }
        index = cursor
        return value
    }

    /// The text up to CRLF, advancing past it; nil when no CRLF is buffered yet.
    private static func readLine(_ buffer: ByteBuffer, _ cursor: inout Int) throws -> String? {
        let view = buffer.readableBytesView  // indices are absolute buffer indices
        guard cursor < view.endIndex, let cr = view[cursor...].firstIndex(of: 0x0D) else { return nil }
        guard cr + 1 < view.endIndex else { return nil }
        guard view[cr + 1] == 0x0A else { throw RESPProtocolError(description: "RESP line not terminated by CRLF") }
        let line = String(decoding: view[cursor..<cr], as: UTF8.self)
        cursor = cr + 2
        return line
    }

    /// Encodes a command as a RESP array of bulk strings.
    public static func encodeCommand(_ args: [[UInt8]], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(args.count)\r\n")
        for arg in args {
            buffer.writeString("$\(arg.count)\r\n")
            buffer.writeBytes(arg)
            buffer.writeString("\r\n")
        }
    }
}
