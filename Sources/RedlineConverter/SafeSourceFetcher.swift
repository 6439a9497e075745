import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import RedlineCore

/// Downloads `source_url` documents without letting a request reach the server's own network.
///
/// Every host is resolved and each address checked against `AddressPolicy` before connecting, on
/// the first request and on every redirect (followed by hand, at most five). Bodies are capped in
/// size and the whole fetch in time.
public final class SafeSourceFetcher: SourceFetcher {
    public let policy: AddressPolicy
    public let timeout: TimeInterval
    private let client: HTTPClient

    public init(policy: AddressPolicy, timeout: TimeInterval) {
        self.policy = policy
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(Int64(max(timeout, 1))))
        self.client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// Must be called before the fetcher is released.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func validate(_ url: String, field: String) async throws {
        _ = try await checkedURL(url, field: field)
    }

    public func fetch(_ url: String, maxBytes: Int) async throws -> Data {
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        var current = url
        for _ in 0...5 {
            let target: URL
            do {
                target = try await checkedURL(current, field: "source_url")
            } catch let error as RedlineError {
                throw RedlineError.badDocument("The document at \(url) was not fetched: \(error)")
            }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(HTTPClientRequest(url: target.absoluteString), deadline: deadline)
            } catch {
                throw RedlineError.badDocument("The document at \(url) could not be downloaded: \(error).")
            }
            if (300..<400).contains(response.status.code), let location = response.headers.first(name: "location") {
                guard let next = URL(string: location, relativeTo: target)?.absoluteURL.absoluteString else {
                    throw RedlineError.badDocument("The document at \(url) redirected to an invalid location.")
                }
                current = next
                continue
            }
            guard response.status == .ok else {
                throw RedlineError.badDocument("Downloading \(url) failed: the server answered HTTP \(response.status.code).")
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes {
                throw RedlineError.badDocument("The document at \(url) is \(length) bytes; the limit is \(maxBytes) bytes.")
            }
            do {
                var body = try await response.body.collect(upTo: maxBytes)
                return Data(body.readBytes(length: body.readableBytes) ?? [])
            } catch is NIOTooManyBytesError {
                throw RedlineError.badDocument("The document at \(url) is larger than the limit of \(maxBytes) bytes.")
            } catch {
                throw RedlineError.badDocument("The document at \(url) could not be downloaded: \(error).")
            }
        }
        throw RedlineError.badDocument("The document at \(url) redirected more than 5 times.")
    }

    /// Parses and checks a URL: http(s), at most 2048 characters, every resolved address permitted.
    func checkedURL(_ text: String, field: String) async throws -> URL {
        guard text.count <= ComparisonRules.maxSourceURLLength else {
            throw RedlineError.invalid(field, "must be at most \(ComparisonRules.maxSourceURLLength) characters")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw RedlineError.invalid(field, "must be an http or https URL with a host")
        }
        let addresses = try await HostResolver.resolve(host)
        guard !addresses.isEmpty else { throw RedlineError.invalid(field, "the host '\(host)' could not be resolved") }
        if let refused = addresses.first(where: { !policy.permits($0) }) {
            throw RedlineError.invalid(
                field,
                "the host '\(host)' resolves to \(HostResolver.describe(refused)), a private, loopback or link-local address this server does not fetch from"
            )
        }
        return url
    }
}

/// Blocking name resolution, moved off the cooperative pool.
enum HostResolver {
    static func resolve(_ host: String) async throws -> [[UInt8]] {
        if let literal = IPAddressParser.parse(host) { return [literal] }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [[UInt8]] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let info = cursor {
                    if info.pointee.ai_family == AF_INET, let sa = info.pointee.ai_addr {
                        sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                            var a = $0.pointee.sin_addr
                            addresses.append(withUnsafeBytes(of: &a) { Array($0) })
                        }
                    } else if info.pointee.ai_family == AF_INET6, let sa = info.pointee.ai_addr {
                        sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                            var a = $0.pointee.sin6_addr
                            addresses.append(withUnsafeBytes(of: &a) { Array($0) })
                        }
                    }
                    cursor = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    static func describe(_ ip: [UInt8]) -> String {
        if ip.count == 4 { return ip.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(format: "%x", Int(ip[$0]) << 8 | Int(ip[$0 + 1])) }.joined(separator: ":")
    }
}
