import NIOCore
import RedlineRedis
import Testing

@Suite struct RESPParserTests {
    /// Parses `bytes` delivered in pieces split at every possible position; each split must give the same values.
    func parseInPieces(_ bytes: [UInt8]) throws -> [[RESPValue]] {
        var results: [[RESPValue]] = []
        for split in 0...bytes.count {
            var buffer = ByteBuffer()
            var values: [RESPValue] = []
            for piece in [bytes[..<split], bytes[split...]] {
                buffer.writeBytes(piece)
                while let value = try RESPParser.parse(&buffer) { values.append(value) }
            }
            #expect(buffer.readableBytes == 0)
            results.append(values)
        }
        return results
    }

    @Test func parsesEveryTypeSplitAnywhere() throws {
        let wire = Array("+OK\r\n-ERR wrong type\r\n:-42\r\n$5\r\nhe\r\no\r\n$0\r\n\r\n$-1\r\n*-1\r\n*3\r\n:1\r\n*2\r\n+a\r\n$1\r\nb\r\n$-1\r\n".utf8)
        let expected: [RESPValue] = [
            .simpleString("OK"), .error("ERR wrong type"), .integer(-42), .bulkString(Array("he\r\no".utf8)), .bulkString([]), .null, .null,
            .array([.integer(1), .array([.simpleString("a"), .bulkString([UInt8(ascii: "b")])]), .null]),
        ]
        for values in try parseInPieces(wire) { #expect(values == expected) }
    }

    @Test func byteAtATime() throws {
        let wire = Array("*2\r\n$3\r\nfoo\r\n:7\r\n".utf8)
        var buffer = ByteBuffer()
        var values: [RESPValue] = []
        for byte in wire {
            buffer.writeInteger(byte)
            if let value = try RESPParser.parse(&buffer) { values.append(value) }
        }
        #expect(values == [.array([.bulkString(Array("foo".utf8)), .integer(7)])])
    }

    @Test(arguments: ["?what\r\n", ":12x\r\n", "$abc\r\n", "$3\r\nabcde\r\n", "*-2\r\n", "+no lf\rX"])
    func rejectsMalformedInput(_ text: String) {
        var buffer = ByteBuffer(string: text)
        #expect(throws: RESPProtocolError.self) { _ = try RESPParser.parse(&buffer) }
    }

    @Test func encodesCommandsAsBulkArrays() {
        var buffer = ByteBuffer()
        RESPParser.encodeCommand([Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255]], into: &buffer)
        #expect(buffer.readBytes(length: buffer.readableBytes) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + [0, 13, 10, 255] + Array("\r\n".utf8))
    }
}

@Suite struct RedisConfigurationTests {
    @Test func parsesURLs() throws {
        let full = try RedisConfiguration(url: "redis://user:p%40ss@cache.internal:6380/3")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "user")
        #expect(full.password == "p@ss")
        #expect(full.database == 3)
        let passwordOnly = try RedisConfiguration(url: "redis://:secret@localhost")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "secret")
        #expect(passwordOnly.port == 6379)
        #expect(passwordOnly.database == 0)
    }

    @Test func parsesTLSURLs() throws {
        let tls = try RedisConfiguration(url: "rediss://:pw@cache.example.com:6380/1")
        #expect(tls.tls && tls.host == "cache.example.com" && tls.port == 6380 && tls.database == 1 && tls.caCertificateFile == nil)
        #expect(try RedisConfiguration(url: "redis://h").tls == false)
        #expect(throws: RedisConfigurationError.self) { try RedisConfiguration(url: "rediss://h?ssl_ca_certs=/nonexistent/ca.pem") }
        #expect(throws: RedisConfigurationError.self) { try RedisConfiguration(url: "redis://h?ssl_ca_certs=/etc/hostname") }
    }

    @Test(arguments: ["http://x", "redis://", "redis://h/db", "rediss://"])
    func rejects(_ url: String) {
        #expect(throws: RedisConfigurationError.self) { try RedisConfiguration(url: url) }
    }
}
