import Foundation
import Testing

@testable import RedlineExport

@Suite("Building blocks")
struct UnitTests {
    @Test("RawJSON keeps number text and unicode through a round trip")
    func rawJSONRoundTrip() throws {
        let text = #"{"/MediaBox":[0,0,609.714,789.0410],"/T":"u:caf\u00e9 \ud83e\udd54","n":null,"b":[true,false],"e":1e3}"#
        let value = try RawJSON.parse(Data(text.utf8))
        #expect(value["/MediaBox"]?[3].map { if case .number(let raw) = $0 { return raw } else { return "" } } == "789.0410")
        #expect(value["/T"]?.stringValue == "u:café 🥔")
        let again = try RawJSON.parse(value.serialized())
        #expect(String(decoding: again.serialized(), as: UTF8.self) == String(decoding: value.serialized(), as: UTF8.self))
        #expect(String(decoding: value.setting("/Annots", to: .array([.string("7 0 R")])).serialized(), as: UTF8.self).hasSuffix(#","/Annots":["7 0 R"]}"#))
    }

    @Test("RawJSON rejects bad input without crashing", arguments: ["", "{", "[1,]", "{\"a\" 1}", "\"\\u12\"", "tru", String(repeating: "[", count: 5000)])
    func rawJSONErrors(text: String) {
        #expect(throws: RawJSON.ParseError.self) { try RawJSON.parse(Data(text.utf8)) }
    }

    @Test("page geometry maps displayed points to user space and back", arguments: [0, 90, 180, 270, -90, 450])
    func geometryRoundTrip(rotation: Int) {
        let geometry = PageGeometry(llx: 10, lly: 20, urx: 622, ury: 812, rotation: rotation)
        for point in [DisplayPoint(x: 0, y: 0), DisplayPoint(x: 100, y: 50), DisplayPoint(x: 300, y: 700)] {
            let user = geometry.userPoint(point)
            let back = geometry.displayPoint(x: user.x, y: user.y)
            #expect(abs(back.x - point.x) < 1e-9 && abs(back.y - point.y) < 1e-9)
        }
        if geometry.rotation == 0 {
            // Top-left of the display is the crop box's upper-left corner.
            let corner = geometry.userPoint(DisplayPoint(x: 0, y: 0))
            #expect(corner.x == 10 && corner.y == 812)
        }
    }

    @Test("CRC-32 matches the standard check value")
    func crc() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("numbers are written compactly for PDF syntax")
    func numbers() {
        #expect(ExportNumber.format(12) == "12")
        #expect(ExportNumber.format(12.34567) == "12.346")
        #expect(ExportNumber.format(-0.0001) == "0")
        #expect(ExportNumber.format(.nan) == "0")
    }
}
