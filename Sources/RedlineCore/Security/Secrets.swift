import Crypto
import Foundation

/// Hashes API tokens for lookup. SHA-256 is enough: tokens are long random strings, not passwords.
public enum TokenHasher {
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// Encrypts account tokens at rest with the server secret (AES-GCM), so viewer signatures can be
/// verified without storing tokens in clear.
public struct TokenSealer: Sendable {
    /// Key bytes (SymmetricKey itself is not Sendable).
    private let keyBytes: Data

    /// - Parameter secret: the server secret (at least 32 bytes of entropy); a key is derived from it.
    public init(secret: Data) {
        self.keyBytes = Data(SHA256.hash(data: Data("redline-token-seal:".utf8) + secret))
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public func seal(_ token: String) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(token.utf8), using: key).combined else {
            throw RedlineError.transient("could not seal token")
        }
        return combined
    }

    public func open(_ sealed: Data) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }
}

/// Random identifiers and tokens.
public enum RandomToken {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    private static let lowercase = Array("abcdefghijklmnopqrstuvwxyz")

    /// A comparison identifier in Draftable's style (letters and digits).
    public static func identifier(length: Int = 12) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphanumerics.randomElement(using: &generator)! })
    }

    /// An account id: short, lowercase, URL-safe.
    public static func accountID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in lowercase.randomElement(using: &generator)! })
    }

    /// An API token: 160 random bits as hex.
    public static func authToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal.
    public var hexString: String {
        var out = ""
        for byte in self {
            out += String(format: "%02x", byte)
        }
        return out
    }
}

extension Digest {
    var hexString: String { Array(self.makeIterator()).hexString }
}
