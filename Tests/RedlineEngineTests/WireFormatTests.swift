import Foundation
import RedlineEngine
import Testing

@Suite("Wire format")
struct WireFormatTests {
    @Test("JSON has explicit nulls, the exact keys and round-trips")
    func json() throws {
        let left = try TestDocuments.pdf(["COMPARING THIS FILE"])
        let right = try TestDocuments.pdf(["COMPARING THIS FILE WITH THIS FILE"])
        let details = try TestDocuments.compare(left, right)
        let data = try details.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("{\"changes\":[{\"kind\":\"match\",\"text\":\"COMPARING THIS FILE\",\"leftText\":null,\"rightText\":null,\"leftRegion\":{\"pageIndex\":0,\"rectangles\":[{\"left\":"))
        #expect(text.contains("\"leftStyleMap\":null,\"rightStyleMap\":[\"0-13\"]},\"deletionMark\":null}"))
        #expect(text.contains("\"emphasis\":\"\",\"size\":11.0}"))

        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["changes", "summary"])
        let changes = try #require(object["changes"] as? [[String: Any]])
        for change in changes {
            #expect(Set(change.keys) == ["kind", "text", "leftText", "rightText", "leftRegion", "rightRegion", "stylesInfo", "deletionMark"])
            let styles = try #require(change["stylesInfo"] as? [String: Any])
            #expect(Set(styles.keys) == ["leftStyles", "rightStyles", "leftStyleMap", "rightStyleMap"])
        }
        #expect(changes[1]["leftText"] is NSNull)
        #expect(changes[1]["leftRegion"] is NSNull)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(Set(summary.keys) == ["anyChanges", "anyMatches", "changeSummary", "leftDocumentSummary", "rightDocumentSummary"])
        let counts = try #require(summary["changeSummary"] as? [String: Any])
        #expect(Set(counts.keys) == [
            "matches", "deletions", "insertions", "replacements", "styleChanges", "moves", "matchingWords",
            "deletedLeftWords", "replacedLeftWords", "insertedRightWords", "replacedRightWords",
        ])
        let document = try #require(summary["leftDocumentSummary"] as? [String: Any])
        #expect(Set(document.keys) == ["pageCount", "characterCount", "wordCount"])

        let decoded = try JSONDecoder().decode(ChangeDetails.self, from: data)
        #expect(decoded == details)
    }

    @Test("strings are escaped")
    func escaping() throws {
        let details = ChangeDetails(
            changes: [Change(kind: .insert, rightText: "quote \" back \\ tab \t nl \n ctl \u{1} é")],
            summary: ChangeSummaryDocument(
                anyChanges: true, anyMatches: false, changeSummary: ChangeSummary(),
                leftDocumentSummary: DocumentSummary(pageCount: 1, characterCount: 0, wordCount: 0),
                rightDocumentSummary: DocumentSummary(pageCount: 1, characterCount: 0, wordCount: 0)))
        let data = try details.jsonData()
        let decoded = try JSONDecoder().decode(ChangeDetails.self, from: data)
        #expect(decoded.changes[0].rightText == "quote \" back \\ tab \t nl \n ctl \u{1} é")
    }

    @Test("text report lists the changes")
    func textReport() throws {
        let left = try TestDocuments.pdf(["The tenant shall pay the rent monthly."])
        let right = try TestDocuments.pdf(["The tenant must pay the rent monthly."])
        let report = try TestDocuments.compare(left, right).textReport()
        #expect(report.contains("Replaced (left p.1 -> right p.1): \"shall\" -> \"must\""))
        #expect(report.contains("1 replacement(s)"))
        let same = try TestDocuments.compare(left, left).textReport()
        #expect(same.hasPrefix("No differences found."))
    }
}
