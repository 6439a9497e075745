/// Errors the domain raises, each with a message meant for the person who caused it.
/// The HTTP layer maps them to status codes and DRF-style JSON bodies.
public enum RedlineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad request data: `fields` maps a request field to what is wrong with it.
    case validation(detail: String, fields: [String: [String]])
    case unauthorized(String)
    case notFound(String)
    case conflict(detail: String, field: String)
    case payloadTooLarge(String)
    /// A document that cannot be compared (corrupt, wrong type, unreachable URL...). Ends the comparison `failed`.
    case badDocument(String)
    /// A transient failure worth retrying (storage or network hiccup).
    case transient(String)
    case notImplemented(String)

    public static func invalid(_ field: String, _ message: String) -> RedlineError {
        .validation(detail: "\(field): \(message)", fields: [field: [message]])
    }

    public var description: String {
        switch self {
        case .validation(let detail, _): detail
        case .unauthorized(let m), .notFound(let m), .payloadTooLarge(let m), .badDocument(let m), .transient(let m),
            .notImplemented(let m):
            m
        case .conflict(let detail, _): detail
        }
    }
}
