import Foundation

/// Finds LibreOffice and the Python that can drive it over UNO.
public enum OfficeLocator {
    /// `soffice` on the PATH or in Debian's location.
    public static func soffice() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/soffice" } + ["/usr/lib/libreoffice/program/soffice"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The system Python with the `uno` module (Debian's python3-uno).
    public static func python() -> String? {
        for candidate in ["/usr/bin/python3", "/usr/lib/libreoffice/program/python"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }
}
