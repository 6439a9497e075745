import Foundation
import RedlineEngine
import RedlinePDF
import Testing

@Suite("CJK")
struct CJKTests {
    /// Words on a single line as extraction produces them: one per Han/Kana character, Latin split at spaces.
    static func document(_ text: String) -> DocumentText {
        var words: [PDFWord] = []
        var x = 72.0
        var pending = ""
        func add(_ text: String) {
            guard !text.isEmpty else { return }
            let width = 11.0 * Double(text.count)
            words.append(PDFWord(
                text: text, pageIndex: 0, box: PDFRect(left: x, top: 100, right: x + width, bottom: 112),
                style: PDFTextStyle(font: "NotoSansCJK", size: 11), lineID: 0))
            x += width
        }
        for character in text {
            if character == " " {
                add(pending)
                pending = ""
                x += 5
            } else if let scalar = character.unicodeScalars.first, PDFWord.isSpacelessScript(scalar) {
                add(pending)
                pending = ""
                add(String(character))
            } else {
                pending.append(character)
            }
        }
        add(pending)
        return DocumentText(pageSizes: [.a4], words: words)
    }

    @Test("a changed character inside a sentence is one small replace, texts joined without spaces")
    func characterEdit() {
        let left = Self.document("本合同自双方签字之日起生效")
        let right = Self.document("本合同自双方盖章之日起生效")
        let details = ComparisonEngine().compare(left: left, right: right).changeDetails
        #expect(details.changes.map(\.kind) == [.match, .replace, .match])
        #expect(details.changes[0].text == "本合同自双方")
        #expect(details.changes[1].leftText == "签字" && details.changes[1].rightText == "盖章")
        #expect(details.changes[1].stylesInfo.leftStyleMap == ["0-1"])
        #expect(details.summary.changeSummary.replacedLeftWords == 2)
    }

    @Test("mixed Latin and Kana keep spaces only between Latin words")
    func mixed() {
        let details = ComparisonEngine().compare(left: Self.document("Tokyo タワー is tall"), right: Self.document("Tokyo タワー is tall")).changeDetails
        #expect(details.changes.first?.text == "Tokyo タワー is tall")
    }

    static var hasCJKFont: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/fc-list")
        process.arguments = [":lang=zh", "family"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return false }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return !output.isEmpty
    }

    @Test("CJK text in a real PDF becomes one word per character", .enabled(if: CJKTests.hasCJKFont))
    func realPDF() throws {
        let data = try TextPDFWriter.pdf(fromText: "合同第五条 Contract")
        let words = try PDFDocument(data: data).words(page: 0)
        #expect(words.map(\.text) == ["合", "同", "第", "五", "条", "Contract"])
    }
}
