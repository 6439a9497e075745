import Foundation
import RedlineRedis
import Testing

enum OpenSSLTool {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// `rediss://` against a real `redis-server --tls-port`, with a throwaway CA made by openssl here.
@Suite(.enabled(if: TestRedis.serverBinary != nil && OpenSSLTool.path != nil, "needs redis-server (built with TLS) and openssl"))
struct RedisTLSTests {

    /// A CA and a server certificate for `localhost` / 127.0.0.1 signed by it.
    struct Certificates {
        let directory: URL
        var ca: String { directory.appendingPathComponent("ca.pem").path }
        var cert: String { directory.appendingPathComponent("server.pem").path }
        var key: String { directory.appendingPathComponent("server.key").path }
    }

    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " "))")
    }

    static func makeCertificates() throws -> Certificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redline-redis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let openssl = try #require(OpenSSLTool.path)
        try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Redline test CA"], in: directory)
        try run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: directory)
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(openssl, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext"], in: directory)
        return Certificates(directory: directory)
    }

    static func startTLSServer(_ certificates: Certificates, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TestRedis.serverBinary))
        process.arguments = [
            "--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1", "--tls-cert-file", certificates.cert,
            "--tls-key-file", certificates.key, "--tls-ca-cert-file", certificates.ca, "--tls-auth-clients", "no",
            "--save", "", "--appendonly", "no", "--loglevel", "warning",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `body` against a fresh TLS server; stops it and removes the certificates afterwards.
    func withTLSServer(_ body: (Certificates, Int) async throws -> Void) async throws {
        let certificates = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        let port = Int.random(in: 20_000..<60_000)
        let server = try Self.startTLSServer(certificates, port: port)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try await body(certificates, port)
    }

    /// Retries until the server has started (the client backs off between failed connects).
    func eventually(_ client: RedisClient) async throws -> RESPValue? {
        for _ in 0..<50 {
            if let pong = try? await client.command(["PING"]) { return pong }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test func commandsOverTLSWithAPrivateCA() async throws {
        try await withTLSServer { certificates, port in
            for host in ["localhost", "127.0.0.1"] {
                let configuration = try RedisConfiguration(url: "rediss://\(host):\(port)/0?ssl_ca_certs=\(certificates.ca)")
                #expect(configuration.tls && configuration.caCertificateFile == certificates.ca)
                let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
                #expect(try await eventually(client) == .simpleString("PONG"))
                try await client.command(["SET", "tls-key-\(host)", "secret value", "PX", "10000"])
                #expect(try await client.command(["GET", "tls-key-\(host)"]) == .bulkString(Array("secret value".utf8)))
                await client.close()
            }
        }
    }

    @Test func untrustedCertificateIsRefused() async throws {
        try await withTLSServer { certificates, port in
            // Reachable over TLS with the CA…
            let trusting = RedisClient(configuration: try RedisConfiguration(url: "rediss://localhost:\(port)?ssl_ca_certs=\(certificates.ca)"), logger: TestRedis.logger)
            #expect(try await eventually(trusting) == .simpleString("PONG"))
            await trusting.close()
            // …but not with the system roots, which do not include the throwaway CA.
            let strict = RedisClient(configuration: try RedisConfiguration(url: "rediss://localhost:\(port)"), logger: TestRedis.logger)
            await #expect(throws: (any Error).self) { try await strict.command(["PING"]) }
            await strict.close()
            // And a plain-text client gets no answer from the TLS port.
            var plain = RedisConfiguration(host: "127.0.0.1", port: port)
            plain.commandTimeout = .milliseconds(500)
            let cleartext = RedisClient(configuration: plain, logger: TestRedis.logger)
            await #expect(throws: (any Error).self) { try await cleartext.command(["PING"]) }
            await cleartext.close()
        }
    }
}
