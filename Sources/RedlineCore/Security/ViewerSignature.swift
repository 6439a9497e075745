import Crypto
import Foundation

/// Signed viewer URLs, compatible with every official Draftable client.
///
/// The signature is lowercase hex HMAC-SHA256, keyed with the account's API token, over a compact
/// JSON policy. Python and Node sign the object form, .NET and Java the array form; both verify.
public enum ViewerSignature {
    public enum PolicyForm: Sendable, CaseIterable { case object, array }

    public static func policy(accountID: String, identifier: String, validUntil: Int64, form: PolicyForm) -> String {
        let account = jsonString(accountID)
        let id = jsonString(identifier)
        switch form {
        case .object: return "{\"account_id\":\(account),\"identifier\":\(id),\"valid_until\":\(validUntil)}"
        case .array: return "[\(account),\(id),\(validUntil)]"
        }
    }

    public static func sign(accountID: String, identifier: String, validUntil: Int64, token: String, form: PolicyForm = .object)
        -> String
    {
        let key = SymmetricKey(data: Data(token.utf8))
        let message = Data(policy(accountID: accountID, identifier: identifier, validUntil: validUntil, form: form).utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).hexString
    }

    public enum Verdict: Sendable, Equatable { case valid, expired, invalid }

    /// Checks a signature against both policy forms in constant time.
    public static func verify(
        accountID: String,
        identifier: String,
        validUntil: Int64,
        signature: String,
        token: String,
        now: Date = Date()
    ) -> Verdict {
        let given = Array(signature.lowercased().utf8)
        var matched = false
        for form in PolicyForm.allCases {
            let expected = Array(sign(accountID: accountID, identifier: identifier, validUntil: validUntil, token: token, form: form).utf8)
            matched = constantTimeEquals(expected, given) || matched
        }
        guard matched else { return .invalid }
        return Double(validUntil) >= now.timeIntervalSince1970 ? .valid : .expired
    }

    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// JSON string literal, escaped as Python's `json.dumps` would for ASCII input.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7e {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
