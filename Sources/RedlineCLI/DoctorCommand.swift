import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RedlineConverter
import RedlineCore
import RedlineS3
import RedlineStorage

/// `redline doctor`: checks a configuration the way the service will use it and says what is wrong
/// in plain words (exit status 1 when anything is).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check the configuration, database, storage, converter and fonts.")

    @OptionGroup var store: StoreOptions

    struct Finding {
        var ok: Bool
        var what: String
    }

    func run() async throws {
        var findings: [Finding] = []
        func check(_ ok: Bool, _ what: String) { findings.append(Finding(ok: ok, what: what)) }

        let configuration: RedlineConfiguration
        do {
            configuration = try store.configuration()
            check(true, "configuration is valid")
        } catch {
            print("✗ \(error)")
            throw ExitCode(1)
        }
        do {
            let backends = try await Backends.open(configuration, migrate: false, logger: configuration.logger)
            check(true, "database opens (\(configuration.databaseURL == nil ? configuration.dataDirectory + "/redline.sqlite" : "PostgreSQL")) and its schema matches this version")
            do {
                try await backends.blobs.put("health/doctor", data: Data("ok".utf8))
                try await backends.blobs.delete("health/doctor")
                check(true, "blob storage accepts writes and deletes (\(configuration.storageURL ?? configuration.dataDirectory + "/blobs"))")
            } catch {
                check(false, "blob storage is not writable: \(error)")
            }
            if let s3 = backends.blobs.base as? S3BlobStore {
                let diagnosis = await s3.diagnose()
                check(true, "S3 credentials come from \(diagnosis.credentialSource)")
                if let skew = diagnosis.clockSkewSeconds {
                    check(abs(skew) < 300, "clock differs from S3's by \(Int(skew.rounded())) s" + (abs(skew) < 300 ? "" : ": fix NTP, S3 refuses signatures beyond 15 minutes"))
                }
                if let cors = diagnosis.hasCORS {
                    check(cors, cors ? "bucket has a CORS configuration" : "bucket has no CORS configuration: browsers cannot fetch pre-signed links from another origin (see deploy/terraform/aws/storage.tf)")
                }
            }
            await backends.close()
        } catch let mismatch as SchemaMismatch {
            check(false, mismatch.description)
        } catch {
            check(false, "the database cannot be opened: \(error)")
        }
        if let url = configuration.converterURL {
            do {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(5))
                check(response.status.code == 200, "converter at \(url) answers /readyz with HTTP \(response.status.code)")
            } catch {
                check(false, "converter at \(url) cannot be reached: \(error)")
            }
        } else {
            check(OfficeLocator.soffice() != nil, OfficeLocator.soffice().map { "LibreOffice found at \($0) (Office files convert in-process)" }
                ?? "LibreOffice is not installed: Office documents will fail (PDF and TXT work); run scripts/setup.sh or set REDLINE_CONVERTER_URL")
        }
        let fonts = (try? runAndCapture("/usr/bin/fc-list", [":", "family"])) ?? ""
        for family in ["Carlito", "Caladea", "Liberation Sans"] {
            check(fonts.contains(family), fonts.contains(family) ? "font \(family) installed" : "font \(family) missing: Office documents will paginate differently")
        }
        for finding in findings { print("\(finding.ok ? "✓" : "✗") \(finding.what)") }
        if findings.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    func runAndCapture(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
