import Foundation
import Testing

@testable import RedlineCore

@Suite struct ViewerSignatureTests {
    @Test func objectFormMatchesReferenceVector() {
        let signature = ViewerSignature.sign(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, token: "bb", form: .object)
        #expect(signature == "33fdeb6f95e3ae8014a8f8a1795ee7b3d6b682ad8ced9f7487914352bfb7f8e1")
    }

    @Test func arrayFormMatchesReferenceVector() {
        let signature = ViewerSignature.sign(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, token: "bb", form: .array)
        #expect(signature == "4eb15dfbd0c7f05af42739404a6986788f9be127216c78c50bf037d10fdbfa29")
    }

    @Test func bothFormsVerifyBeforeExpiry() {
        let before = Date(timeIntervalSince1970: 1_699_999_000)
        for signature in ["33fdeb6f95e3ae8014a8f8a1795ee7b3d6b682ad8ced9f7487914352bfb7f8e1", "4eb15dfbd0c7f05af42739404a6986788f9be127216c78c50bf037d10fdbfa29"] {
            #expect(
                ViewerSignature.verify(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, signature: signature, token: "bb", now: before)
                    == .valid)
        }
    }

    @Test func expiredTamperedAndWrongKeyAreRefused() {
        let good = "33fdeb6f95e3ae8014a8f8a1795ee7b3d6b682ad8ced9f7487914352bfb7f8e1"
        let after = Date(timeIntervalSince1970: 1_700_000_001)
        let before = Date(timeIntervalSince1970: 1_600_000_000)
        #expect(ViewerSignature.verify(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, signature: good, token: "bb", now: after) == .expired)
        var tampered = Array(good)
        tampered[0] = "4"
        #expect(
            ViewerSignature.verify(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, signature: String(tampered), token: "bb", now: before)
                == .invalid)
        #expect(ViewerSignature.verify(accountID: "aa", identifier: "abc", validUntil: 1_700_000_000, signature: good, token: "other", now: before) == .invalid)
        #expect(ViewerSignature.verify(accountID: "aa", identifier: "abd", validUntil: 1_700_000_000, signature: good, token: "bb", now: before) == .invalid)
        #expect(ViewerSignature.verify(accountID: "aa", identifier: "abc", validUntil: 1_700_000_001, signature: good, token: "bb", now: before) == .invalid)
    }
}

@Suite struct TokenSealerTests {
    @Test func sealedTokensOpenOnlyWithTheSameSecret() throws {
        let sealer = TokenSealer(secret: Data("0123456789abcdef0123456789abcdef".utf8))
        let sealed = try sealer.seal("token-1")
        #expect(try sealer.open(sealed) == "token-1")
        #expect(!sealed.elementsEqual(Data("token-1".utf8)))
        let other = TokenSealer(secret: Data("fedcba9876543210fedcba9876543210".utf8))
        #expect(throws: (any Error).self) { try other.open(sealed) }
    }
}
