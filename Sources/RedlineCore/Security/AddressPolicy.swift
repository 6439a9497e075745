import Foundation

/// An IPv4 or IPv6 network such as `10.0.0.0/8`.
public struct CIDR: Sendable, Equatable {
    public let address: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = IPAddressParser.parse(String(parts[0])) else { return nil }
        let bits = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        address = bytes
    }

    public func contains(_ ip: [UInt8]) -> Bool {
        guard ip.count == address.count else { return false }
        var remaining = prefixLength
        for i in 0..<ip.count where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if ip[i] & mask != address[i] & mask { return false }
            remaining -= take
        }
        return true
    }
}

/// Parses textual IP addresses into network-order bytes (4 or 16).
public enum IPAddressParser {
    public static func parse(_ text: String) -> [UInt8]? {
        var host = text
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let zone = host.firstIndex(of: "%") { host = String(host[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}

/// Decides which addresses server-side fetches may reach.
///
/// Loopback, private, link-local (cloud metadata at 169.254.169.254), unique-local, CGNAT,
/// multicast and unspecified addresses are refused unless the operator allow-listed them.
public struct AddressPolicy: Sendable {
    public let allowlist: [CIDR]

    public init(allowlist: [String]) {
        self.allowlist = allowlist.compactMap(CIDR.init)
    }

    static let forbidden: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96", "2001:db8::/32",
    ].compactMap(CIDR.init)

    /// Whether a fetch may connect to `ip` (4 or 16 bytes).
    public func permits(_ ip: [UInt8]) -> Bool {
        let effective = Self.unwrapMappedIPv4(ip)
        if allowlist.contains(where: { $0.contains(effective) || $0.contains(ip) }) { return true }
        return !Self.forbidden.contains { $0.contains(effective) }
    }

    /// `::ffff:a.b.c.d` and `::a.b.c.d` are IPv4 addresses in disguise.
    static func unwrapMappedIPv4(_ ip: [UInt8]) -> [UInt8] {
        guard ip.count == 16 else { return ip }
        let prefixZero = ip[0..<10].allSatisfy { $0 == 0 }
        if prefixZero && ip[10] == 0xFF && ip[11] == 0xFF { return Array(ip[12..<16]) }
        if prefixZero && ip[10] == 0 && ip[11] == 0 && ip[12..<16].contains(where: { $0 != 0 }) && !(ip[12..<15].allSatisfy { $0 == 0 } && ip[15] == 1) {
            return Array(ip[12..<16])
        }
        return ip
    }
}
