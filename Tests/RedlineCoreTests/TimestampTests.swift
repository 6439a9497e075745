import Foundation
import Testing

@testable import RedlineCore

@Suite struct TimestampTests {
    /// The forms the four official clients put on the wire, all the same instant.
    @Test(arguments: [
        "2025-01-01T00:00:00.123456+00:00",  // Python
        "2025-01-01T00:00:00.123Z",  // Node (millisecond precision of the same instant below)
        "2025-01-01T00:00:00.1234560Z",  // .NET, 7 digits
        "2025-01-01T01:00:00.123456+01:00",  // an offset
    ])
    func parsesClientForms(_ text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - 1_735_689_600.123456) < 0.001)
    }

    @Test func parsesWholeSecondsJavaForm() throws {
        let date = try #require(Timestamp.parse("2025-01-01T00:00:00Z"))
        #expect(date.timeIntervalSince1970 == 1_735_689_600)
    }

    @Test(arguments: ["", "2025-01-01", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-01-01T00:00:00", "yesterday",
                      "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00Zjunk"])
    func rejectsInvalid(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsUTCWithSixDigitsAndZ() {
        let date = Date(timeIntervalSince1970: 1_737_638_339.123456)
        #expect(Timestamp.format(date) == "2025-01-23T13:18:59.123456Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func roundTripsAtStoredPrecision() {
        let now = Timestamp.now()
        #expect(Timestamp.date(microseconds: Timestamp.microseconds(now)) == now)
        #expect(Timestamp.parse(Timestamp.format(now)).map(Timestamp.microseconds) == Timestamp.microseconds(now))
    }
}
