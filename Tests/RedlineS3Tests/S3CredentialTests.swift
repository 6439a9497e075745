import Foundation
import Logging
import Synchronization
import Testing

@testable import RedlineS3

@Suite struct S3CredentialTests {
    @Test func parsesSTSAndContainerResponses() throws {
        let sts = try CredentialFetchers.parseSTS("""
            <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
            <AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s+e/c&amp;r</SecretAccessKey><SessionToken>tok</SessionToken>
            <Expiration>2026-11-22T02:33:01.605344Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
            """)
        #expect(sts.accessKeyID == "ASIA1")
        #expect(sts.secretAccessKey == "s+e/c&r")
        #expect(sts.sessionToken == "tok")
        let expiry = try #require(sts.expiration)
        #expect(abs(expiry.timeIntervalSince1970 - 1_795_314_781.605) < 0.01)

        let pod = try CredentialFetchers.parseContainer(Data(#"{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-22T02:33:01Z"}"#.utf8))
        #expect(pod == AWSCredentials(accessKeyID: "A", secretAccessKey: "S", sessionToken: "T", expiration: CredentialFetchers.parseISO8601("2026-11-22T02:33:01Z")))
    }

    @Test func refreshesOnlyNearExpiry() async throws {
        let fetches = Atomic<Int>(0)
        let lasting = RefreshingCredentialProvider {
            fetches.add(1, ordering: .relaxed)
            return AWSCredentials(accessKeyID: "A", secretAccessKey: "S", expiration: Date().addingTimeInterval(3600))
        }
        for _ in 0..<5 { _ = try await lasting.credentials() }
        #expect(fetches.load(ordering: .relaxed) == 1)
        let expiring = RefreshingCredentialProvider {
            fetches.add(1, ordering: .relaxed)
            return AWSCredentials(accessKeyID: "A", secretAccessKey: "S", expiration: Date().addingTimeInterval(60))
        }
        for _ in 0..<3 { _ = try await expiring.credentials() }
        #expect(fetches.load(ordering: .relaxed) == 4)
    }

    /// moto implements STS too: exchange a token file for role credentials and use them.
    @Test(.enabled(if: TestS3.endpoint != nil, "set REDLINE_TEST_S3_ENDPOINT"))
    func webIdentityCredentialsAgainstMoto() async throws {
        let endpoint = try #require(TestS3.endpoint)
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("redline-token-\(UUID().uuidString)").path
        try Data("eyJ.fake.jwt".utf8).write(to: URL(fileURLWithPath: tokenFile))
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let configuration = try S3Configuration.fromEnvironment(
            storageURL: "s3://redline-sts-\(UUID().uuidString.lowercased().prefix(8))",
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/redline",
                "AWS_ENDPOINT_URL_STS": endpoint.absoluteString, "AWS_ENDPOINT_URL_S3": endpoint.absoluteString,
            ])
        let store = S3BlobStore(configuration: configuration, logger: Logger(label: "s3.test"))
        let credentials = try await store.credentials.credentials()
        #expect(credentials.sessionToken != nil)
        #expect(credentials.expiration != nil)
        try await store.createBucketIfNeeded()
        try await store.put("k", data: Data("v".utf8))
        #expect(try await store.get("k") == Data("v".utf8))
    }
}
