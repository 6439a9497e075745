import Foundation
import RedlineEngine

/// One comparison run in its own process (`redline bench --single LEFT RIGHT`), so its peak memory can
/// be measured alone: times `ComparisonEngine.compare` on the two PDFs (files already read), encodes the
/// change details, and reports timings and the process's peak resident set size.
public struct SingleComparisonReport: Codable, Sendable {
    /// Wall time of `ComparisonEngine().compare(left:right:)`, create to result.
    public var compareSeconds: Double
    /// Stage timings reported by the engine.
    public var timings: [String: Double]
    /// Time to encode the wire JSON of the change details.
    public var jsonSeconds: Double
    /// Peak resident set size of the process (VmHWM), bytes.
    public var peakRSSBytes: Int
    public var leftPages: Int
    public var rightPages: Int

    /// Runs the comparison and writes the change details JSON to `detailsPath` when given.
    public static func run(leftPath: String, rightPath: String, detailsPath: String?) throws -> SingleComparisonReport {
        let left = try Data(contentsOf: URL(fileURLWithPath: leftPath))
        let right = try Data(contentsOf: URL(fileURLWithPath: rightPath))
        let start = DispatchTime.now()
        let result = try ComparisonEngine().compare(left: left, right: right)
        let compared = DispatchTime.now()
        let json = try result.changeDetails.jsonData()
        let encoded = DispatchTime.now()
        if let detailsPath {
            try json.write(to: URL(fileURLWithPath: detailsPath))
        }
        return SingleComparisonReport(
            compareSeconds: seconds(start, compared), timings: result.timings, jsonSeconds: seconds(compared, encoded),
            peakRSSBytes: peakResidentBytes(), leftPages: result.leftPageCount, rightPages: result.rightPageCount)
    }

    private static func seconds(_ from: DispatchTime, _ to: DispatchTime) -> Double {
        Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e9
    }

    /// VmHWM from /proc/self/status (Linux); 0 where unavailable.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
