import Foundation
import RedlineCore
import RedlinePDF
import Testing

@testable import RedlineConverter

/// Documents the pool refuses with a message instead of converting: password-protected files (no
/// waiting for a password that never comes) and documents over the page limit (refused after
/// LibreOffice's layout, before the PDF export). Either way the office process stays and serves on.
extension OfficePoolTests {
    @Test func passwordProtectedDocumentsFailWithAClearMessageAndThePoolServesOn() async throws {
        let locked = try Self.passwordProtectedDocuments()
        // Encrypted Office Open XML is an OLE2 container, not a ZIP: it must reach LibreOffice.
        #expect(ComparisonRules.contentMismatch(locked.docx, declared: .docx) == nil)
        #expect(ComparisonRules.contentMismatch(locked.docx, declared: .pdf) != nil)
        #expect(ZipInspector.bombWarning(locked.docx, fileType: .docx) == nil)
        try await withPool(timeout: 90) { pool in
            try await waitUntilReady(pool)
            let converter = BasicDocumentConverter(office: pool)
            for (data, type) in [(locked.docx, FileType.docx), (locked.odt, FileType.odt)] {
                // A conversion stuck at a password prompt would end in the timeout's "longer than" message instead.
                await #expect { _ = try await converter.convertToPDF(data, fileType: type) } throws: { error in
                    guard case RedlineError.badDocument(let message) = error else { return false }
                    return message == "The .\(type.rawValue) file is password-protected; upload an unprotected copy."
                }
            }
            #expect(await pool.status.restarts == 0)
            let pdf = try await converter.convertToPDF(Self.rtf(["Unprotected text."]), fileType: .rtf)
            #expect(try PDFDocument(data: pdf).words(page: 0).map(\.text).contains("Unprotected"))
        }
    }

    @Test func aTwoThousandPageDocumentIsRefusedByThePageLimitAndThePoolServesOn() async throws {
        let huge = Self.rtf(pages: 2000)
        try await withPool(maxPages: 1000) { pool in
            try await waitUntilReady(pool)
            await #expect { _ = try await pool.convert(huge, fileType: .rtf) } throws: { error in
                guard case RedlineError.badDocument(let message) = error else { return false }
                return message == "The .rtf file has 2000 pages; the limit is 1000 pages."
            }
            #expect(await pool.status.restarts == 0)
            // The same office process converts the next document right away.
            let pdf = try await pool.convert(Self.rtf(["After the long one."]), fileType: .rtf)
            #expect(try PDFDocument(data: pdf).words(page: 0).map(\.text).contains("long"))
        }
    }

    @Test func thePageLimitCountsLaidOutPages() async throws {
        let document = Self.rtf(pages: 30)
        try await withPool(maxPages: 29) { pool in
            try await waitUntilReady(pool)
            await #expect { _ = try await pool.convert(document, fileType: .rtf) } throws: { error in
                "\(error)".contains("has 30 pages; the limit is 29 pages")
            }
        }
        try await withPool(maxPages: 30) { pool in
            try await waitUntilReady(pool)
            #expect(try PDFDocument(data: try await pool.convert(document, fileType: .rtf)).pageCount == 30)
        }
    }

    /// An RTF document of `pages` pages, one short numbered paragraph each.
    static func rtf(pages: Int) -> Data {
        let body = (1...pages).map { "Page \($0): the Supplier shall deliver the goods." }.joined(separator: "\\page ")
        return Data(("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Liberation Serif;}}\\f0\\fs24 " + body + "}").utf8)
    }

    /// A DOCX and an ODT saved with the password "s3cret" by LibreOffice itself (through UNO).
    static func passwordProtectedDocuments() throws -> (docx: Data, odt: Data) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redline-locked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("lock.py")
        try Data(lockScript.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(OfficeLocator.python()))
        process.arguments = [script.path, try #require(OfficeLocator.soffice()), folder.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let docx = try Data(contentsOf: folder.appendingPathComponent("locked.docx"))
        let odt = try Data(contentsOf: folder.appendingPathComponent("locked.odt"))
        // Really encrypted: an OLE2 container (not the plain ZIP package) for the DOCX.
        #expect(docx.starts(with: ComparisonRules.ole2Signature))
        #expect(odt.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        return (docx, odt)
    }

    /// Starts a private headless LibreOffice, writes a one-paragraph document with a password as
    /// DOCX (Office's standard encryption) and ODT, and quits.
    static let lockScript = """
        import os, subprocess, sys, time, uno
        from com.sun.star.beans import NamedValue, PropertyValue

        def prop(cls, name, value):
            p = cls()
            p.Name, p.Value = name, value
            return p

        soffice, folder = sys.argv[1], sys.argv[2]
        office = subprocess.Popen([soffice, "--headless", "--invisible", "--norestore", "--nolockcheck",
                                   "-env:UserInstallation=file://" + folder + "/profile", "--accept=pipe,name=lock%d;urp;" % os.getpid()],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(600):
                try:
                    context = resolver.resolve("uno:pipe,name=lock%d;urp;StarOffice.ComponentContext" % os.getpid())
                    break
                except Exception:
                    time.sleep(0.2)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            document = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, (prop(PropertyValue, "Hidden", True),))
            document.getText().setString("Confidential: the Supplier shall deliver 52 units.")
            secret = uno.Any("[]com.sun.star.beans.NamedValue", (prop(NamedValue, "OOXPassword", "s3cret"), prop(NamedValue, "CryptoType", "Standard")))
            arguments = uno.Any("[]com.sun.star.beans.PropertyValue", (prop(PropertyValue, "FilterName", "MS Word 2007 XML"), prop(PropertyValue, "EncryptionData", secret)))
            uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(folder + "/locked.docx"), arguments))
            document.storeToURL(uno.systemPathToFileUrl(folder + "/locked.odt"),
                                (prop(PropertyValue, "FilterName", "writer8"), prop(PropertyValue, "Password", "s3cret")))
            document.close(True)
        finally:
            office.kill()
        """
}
