import Foundation

/// The OpenAPI 3.1 document of Redline's HTTP API: the contract the server and its tests follow.
public enum OpenAPIDocument {
    /// The document as JSON, exactly as committed in `openapi.json`.
    public static var json: Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return Data("{}".utf8)
        }
        return data
    }
}
