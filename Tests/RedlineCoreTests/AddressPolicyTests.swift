import Foundation
import Testing

@testable import RedlineCore

@Suite struct AddressPolicyTests {
    func ip(_ text: String) -> [UInt8] { IPAddressParser.parse(text)! }

    @Test(arguments: ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                      "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "224.0.0.1"])
    func refusesInternalAddresses(_ address: String) {
        #expect(!AddressPolicy(allowlist: []).permits(ip(address)))
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func permitsPublicAddresses(_ address: String) {
        #expect(AddressPolicy(allowlist: []).permits(ip(address)))
    }

    @Test func allowlistOpensOnlyItsRange() {
        let policy = AddressPolicy(allowlist: ["127.0.0.1/32", "10.0.0.0/8"])
        #expect(policy.permits(ip("127.0.0.1")))
        #expect(policy.permits(ip("::ffff:127.0.0.1")))
        #expect(policy.permits(ip("10.200.0.1")))
        #expect(!policy.permits(ip("127.0.0.2")))
        #expect(!policy.permits(ip("169.254.169.254")))
    }

    @Test func cidrParsing() {
        #expect(CIDR("10.0.0.0/8") != nil)
        #expect(CIDR("fd00::/8") != nil)
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("not-an-ip/8") == nil)
    }
}

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try RedlineConfiguration(environment: [:])
        #expect(configuration.port == 8080)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.maxFileBytes == 40_000_000)
        #expect(configuration.dataDirectory == "./redline-data")
    }

    @Test func readsPrefixedVariablesOnly() throws {
        let configuration = try RedlineConfiguration(environment: [
            "REDLINE_PORT": "9000", "REDIS_PORT": "tcp://10.0.0.1:6379", "REDLINE_FETCH_ALLOWLIST": "127.0.0.1/32, 10.0.0.0/8",
        ])
        #expect(configuration.port == 9000)
        #expect(configuration.fetchAllowlist == ["127.0.0.1/32", "10.0.0.0/8"])
    }

    @Test func invalidValuesNameTheVariable() {
        #expect { try RedlineConfiguration(environment: ["REDLINE_PORT": "tcp://1.2.3.4:80"]) } throws: { error in
            "\(error)".contains("REDLINE_PORT")
        }
        #expect { try RedlineConfiguration(environment: ["REDLINE_FETCH_ALLOWLIST": "localhost"]) } throws: { error in
            "\(error)".contains("REDLINE_FETCH_ALLOWLIST")
        }
        #expect { try RedlineConfiguration(environment: ["REDLINE_SECRET_KEY": "short"]) } throws: { error in
            "\(error)".contains("REDLINE_SECRET_KEY")
        }
    }

    @Test func contentSniffing() {
        #expect(ComparisonRules.contentMismatch(Data("%PDF-1.4\n".utf8), declared: .pdf) == nil)
        #expect(ComparisonRules.contentMismatch(Data("hello".utf8), declared: .pdf) != nil)
        #expect(ComparisonRules.contentMismatch(Data([0x50, 0x4B, 3, 4, 0]), declared: .docx) == nil)
        #expect(ComparisonRules.contentMismatch(Data("%PDF-1.4".utf8), declared: .docx) != nil)
        #expect(ComparisonRules.contentMismatch(Data([0x41, 0x00, 0x42]), declared: .txt) != nil)
        #expect(ComparisonRules.isValidIdentifier("abc-1.2_3"))
        #expect(!ComparisonRules.isValidIdentifier("a b"))
        #expect(!ComparisonRules.isValidIdentifier(String(repeating: "a", count: 1025)))
    }
}
