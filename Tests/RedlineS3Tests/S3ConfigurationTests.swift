import Foundation
import RedlineS3
import Testing

@Suite struct S3ConfigurationTests {
    @Test func awsDefaultsAreVirtualHostStyle() throws {
        let configuration = try S3Configuration.fromEnvironment(
            storageURL: "s3://redline-docs/tenant/a", environment: ["AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "x"])
        #expect(configuration.bucket == "redline-docs")
        #expect(configuration.prefix == "tenant/a/")
        #expect(configuration.region == "eu-west-1")
        #expect(!configuration.pathStyle)
        #expect(configuration.url(forKey: "tenant/a/k").absoluteString == "https://redline-docs.s3.eu-west-1.amazonaws.com/tenant/a/k")
        #expect(configuration.isAmazonS3)
    }

    @Test func onlyAmazonS3GetsPresignedURLsByDefault() throws {
        let minio = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs", environment: ["AWS_ENDPOINT_URL_S3": "http://s3:5000", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(!minio.isAmazonS3)
        let fips = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs", environment: ["AWS_ENDPOINT_URL_S3": "https://s3-fips.us-east-1.amazonaws.com", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(fips.isAmazonS3)
    }

    @Test func customEndpointsAndDottedBucketsUsePathStyle() throws {
        let minio = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs", environment: ["AWS_ENDPOINT_URL_S3": "http://minio:9000", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(minio.pathStyle)
        #expect(minio.url(forKey: "k").absoluteString == "http://minio:9000/docs/k")
        let dotted = try S3Configuration.fromEnvironment(
            storageURL: "s3://my.docs", environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(dotted.pathStyle)
        let forced = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs?path_style=false&endpoint=https://r2.example.com",
            environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(!forced.pathStyle)
        #expect(forced.url(forKey: "k").absoluteString == "https://docs.r2.example.com/k")
    }

    @Test func credentialSources() throws {
        let web = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs",
            environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r", "AWS_REGION": "us-west-2",
                          "AWS_ROLE_SESSION_NAME": "s"])
        #expect(web.credentials == .webIdentity(tokenFile: "/var/run/token", roleARN: "arn:aws:iam::1:role/r", sessionName: "s",
                                                stsEndpoint: URL(string: "https://sts.us-west-2.amazonaws.com")!))
        let pod = try S3Configuration.fromEnvironment(
            storageURL: "s3://docs",
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"])
        guard case .container(let uri, let file, _) = pod.credentials else { Issue.record("expected container credentials"); return }
        #expect(uri.absoluteString == "http://169.254.170.23/v1/credentials")
        #expect(file?.hasSuffix("eks-pod-identity-token") == true)
    }

    @Test(arguments: [
        ("http://bucket", [String: String]()), ("s3://", [:]), ("s3://Bad_Bucket", ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]),
        ("s3://docs", [:]), ("s3://docs", ["AWS_ACCESS_KEY_ID": "a"]), ("s3://docs", ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"]),
    ])
    func clearErrors(_ url: String, _ environment: [String: String]) {
        #expect(throws: S3ConfigurationError.self) { try S3Configuration.fromEnvironment(storageURL: url, environment: environment) }
    }

    @Test func errorsNeverContainSecrets() {
        do {
            _ = try S3Configuration.fromEnvironment(storageURL: "s3://docs", environment: ["AWS_SECRET_ACCESS_KEY": "topsecret"])
        } catch {
            #expect(!"\(error)".contains("topsecret"))
        }
    }
}
