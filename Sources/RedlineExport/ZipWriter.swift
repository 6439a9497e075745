import Foundation

/// Writes a ZIP archive with stored (uncompressed) entries, enough for an OOXML package.
struct ZipWriter {
    private var body = Data()
    private var centralDirectory = Data()
    private var entryCount = 0
    private let dosTime: UInt16
    private let dosDate: UInt16

    init(date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max((parts.year ?? 1980) - 1980, 0), 127)
        dosDate = UInt16(year << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        dosTime = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
    }

    mutating func add(path: String, contents: Data) {
        let name = Data(path.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(body.count)
        // Local file header.
        body.appendLE(UInt32(0x0403_4B50))
        body.appendLE(UInt16(20))  // version needed
        body.appendLE(UInt16(0x0800))  // UTF-8 names
        body.appendLE(UInt16(0))  // stored
        body.appendLE(dosTime)
        body.appendLE(dosDate)
        body.appendLE(crc)
        body.appendLE(UInt32(contents.count))
        body.appendLE(UInt32(contents.count))
        body.appendLE(UInt16(name.count))
        body.appendLE(UInt16(0))
        body.append(name)
        body.append(contents)
        // Central directory record.
        centralDirectory.appendLE(UInt32(0x0201_4B50))
        centralDirectory.appendLE(UInt16(20))  // version made by
        centralDirectory.appendLE(UInt16(20))
        centralDirectory.appendLE(UInt16(0x0800))
        centralDirectory.appendLE(UInt16(0))
        centralDirectory.appendLE(dosTime)
        centralDirectory.appendLE(dosDate)
        centralDirectory.appendLE(crc)
        centralDirectory.appendLE(UInt32(contents.count))
        centralDirectory.appendLE(UInt32(contents.count))
        centralDirectory.appendLE(UInt16(name.count))
        centralDirectory.appendLE(UInt16(0))  // extra
        centralDirectory.appendLE(UInt16(0))  // comment
        centralDirectory.appendLE(UInt16(0))  // disk
        centralDirectory.appendLE(UInt16(0))  // internal attributes
        centralDirectory.appendLE(UInt32(0))  // external attributes
        centralDirectory.appendLE(offset)
        centralDirectory.append(name)
        entryCount += 1
    }

    /// The finished archive (no ZIP64: entries and archive must stay under 4 GiB, far above any DOCX we write).
    func finish() -> Data {
        var archive = body
        archive.append(centralDirectory)
        archive.appendLE(UInt32(0x0605_4B50))
        archive.appendLE(UInt16(0))
        archive.appendLE(UInt16(0))
        archive.appendLE(UInt16(entryCount))
        archive.appendLE(UInt16(entryCount))
        archive.appendLE(UInt32(centralDirectory.count))
        archive.appendLE(UInt32(body.count))
        archive.appendLE(UInt16(0))
        return archive
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as ZIP uses it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { raw in
            for byte in raw {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        Swift.withUnsafeBytes(of: &little) { append(contentsOf: $0) }
    }
}
