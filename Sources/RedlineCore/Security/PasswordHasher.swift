import Foundation
import HummingbirdBcrypt

/// Hashes and checks passwords. A protocol so the cost is a deployment decision, not a constant.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}

/// bcrypt (hummingbird-auth's implementation), run off the cooperative pool because each call
/// deliberately takes a good fraction of a second at production cost.
public struct BcryptPasswordHasher: PasswordHasher {
    /// `REDLINE_BCRYPT_COST` (4–31, default 12).
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = min(max(cost, 4), 31)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await offload { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await offload { Bcrypt.verify(password, hash: hash) }
    }
}

/// Random, URL-safe secrets for sessions, CSRF tokens and one-time links (256 bits).
public enum WebToken {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares secrets without leaking, through timing, how much of a guess was right.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        ViewerSignature.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }
}
