import RedlineCore
import Testing

/// `REDLINE_STORAGE_DIRECT_URLS`: whether S3 pre-signed URLs are handed out (auto by default).
@Suite struct StorageDirectURLsConfigurationTests {
    @Test func autoByDefaultAndExplicitValues() throws {
        #expect(try RedlineConfiguration(environment: [:]).storageDirectURLs == "auto")
        #expect(try RedlineConfiguration(environment: ["REDLINE_STORAGE_DIRECT_URLS": "off"]).storageDirectURLs == "off")
        #expect(try RedlineConfiguration(environment: ["REDLINE_STORAGE_DIRECT_URLS": "on"]).storageDirectURLs == "on")
        #expect(throws: ConfigurationError.self) { try RedlineConfiguration(environment: ["REDLINE_STORAGE_DIRECT_URLS": "yes"]) }
    }
}
