import Foundation

/// Adds annotations to an existing PDF with qpdf's JSON v2 round trip:
/// 1. `qpdf --object-streams=disable` (qpdf 11.3 silently drops JSON updates to objects that live in
///    object streams, so every object is made a top-level object first),
/// 2. `qpdf --json=2` for the pages' object references, their dictionaries and `maxobjectid`,
/// 3. `qpdf --update-from-json` with new annotation + appearance-stream objects and the pages' /Annots
///    arrays extended (existing annotations kept), writing object streams again to keep the file small.
enum PDFAnnotator {
    struct Outcome {
        var pdf: Data
        /// Annotations written (specs on missing pages or with no usable rectangles are skipped).
        var written: Int
    }

    static func annotate(pdf: Data, with annotations: [AnnotationSpec], date: Date) throws -> Outcome {
        // Nothing to add: hand the file back byte for byte.
        if annotations.isEmpty { return Outcome(pdf: pdf, written: 0) }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let input = try scratch.write(pdf, to: "input.pdf")
        let flat = scratch.file("flat.pdf")
        try QPDFTool.run(
            ["--object-streams=disable", "--", input.path, flat.path], in: scratch, step: "reading the PDF")
        let structureURL = scratch.file("structure.json")
        try QPDFTool.run(
            ["--json=2", "--json-key=pages", "--json-key=qpdf", "--json-stream-data=none", flat.path],
            stdout: structureURL, in: scratch, step: "reading the PDF structure")
        let structure = try PDFStructure(json: Data(contentsOf: structureURL))

        var update = UpdateBuilder(nextObject: structure.maxObjectID + 1, date: date)
        var byPage: [Int: [AnnotationSpec]] = [:]
        for annotation in annotations where annotation.pageIndex >= 0 && annotation.pageIndex < structure.pages.count {
            byPage[annotation.pageIndex, default: []].append(annotation)
        }
        var written = 0
        for pageIndex in byPage.keys.sorted() {
            let page = structure.pages[pageIndex]
            var references: [RawJSON] = []
            for annotation in byPage[pageIndex] ?? [] {
                if let reference = update.add(annotation, page: page) {
                    references.append(.string(reference))
                    written += 1
                }
            }
            guard !references.isEmpty else { continue }
            let existing = structure.existingAnnotations(of: page)
            let dictionary = page.dictionary.setting("/Annots", to: .array(existing + references))
            update.objects.append(("obj:\(page.reference)", .object([("value", dictionary)])))
        }
        if written == 0 { return Outcome(pdf: pdf, written: 0) }
        let header: RawJSON = .object([
            ("jsonversion", .number(2)), ("pushedinheritedpageresources", .bool(false)),
            ("calledgetallpages", .bool(false)), ("maxobjectid", .number(update.nextObject - 1)),
        ])
        let document: RawJSON = .object([("qpdf", .array([header, .object(update.objects)]))])
        let updateURL = try scratch.write(document.serialized(), to: "update.json")
        let output = scratch.file("output.pdf")
        try QPDFTool.run(
            ["--object-streams=generate", "--update-from-json=\(updateURL.path)", "--", flat.path, output.path],
            in: scratch, step: "writing the annotations")
        do {
            return Outcome(pdf: try Data(contentsOf: output), written: written)
        } catch {
            throw ExportError("qpdf wrote no output: \(error.localizedDescription)")
        }
    }
}

/// Pages (reference, dictionary, geometry) and objects read from `qpdf --json=2` output.
struct PDFStructure {
    struct Page {
        var reference: String
        var dictionary: RawJSON
        var geometry: PageGeometry
    }

    var pages: [Page] = []
    var maxObjectID: Int
    private var objects: [String: RawJSON] = [:]

    init(json: Data) throws {
        let root: RawJSON
        do {
            root = try RawJSON.parse(json)
        } catch {
            throw ExportError("Could not read qpdf's description of the PDF: \(error)")
        }
        guard let qpdf = root["qpdf"]?.arrayValue, qpdf.count >= 2, let pageList = root["pages"]?.arrayValue,
            let maxID = qpdf[0]["maxobjectid"]?.doubleValue, maxID >= 0, maxID < 100_000_000,
            let members = qpdf[1].objectMembers
        else { throw ExportError("qpdf's description of the PDF has an unexpected shape (qpdf 11 or later is needed)") }
        maxObjectID = Int(maxID)
        for member in members {
            objects[member.key] = member.value
        }
        for (index, entry) in pageList.enumerated() {
            guard let reference = entry["object"]?.stringValue, let dictionary = objects["obj:\(reference)"]?["value"],
                dictionary.objectMembers != nil
            else { throw ExportError("Page \(index + 1) of the PDF could not be located") }
            pages.append(Page(reference: reference, dictionary: dictionary, geometry: geometry(of: dictionary)))
        }
    }

    /// Follows an indirect reference ("12 0 R") to its value; other values are returned as they are.
    func resolve(_ value: RawJSON?) -> RawJSON? {
        guard let value else { return nil }
        if case .string(let text) = value, text.hasSuffix(" R"), let target = objects["obj:\(text)"] {
            return target["value"] ?? target["stream"]?["dict"]
        }
        return value
    }

    /// An inheritable page attribute, looked up through /Parent (bounded, in case of cycles).
    private func inherited(_ key: String, from dictionary: RawJSON) -> RawJSON? {
        var current: RawJSON? = dictionary
        for _ in 0..<64 {
            guard let node = current else { return nil }
            if let value = node[key], case .null = value {} else if let value = node[key] { return resolve(value) }
            current = resolve(node["/Parent"])
        }
        return nil
    }

    private func box(_ value: RawJSON?) -> [Double]? {
        guard let items = value?.arrayValue, items.count == 4 else { return nil }
        let numbers = items.compactMap { resolve($0)?.doubleValue }
        guard numbers.count == 4, numbers.allSatisfy(\.isFinite) else { return nil }
        return [min(numbers[0], numbers[2]), min(numbers[1], numbers[3]), max(numbers[0], numbers[2]), max(numbers[1], numbers[3])]
    }

    private func geometry(of dictionary: RawJSON) -> PageGeometry {
        let media = box(inherited("/MediaBox", from: dictionary)) ?? [0, 0, 612, 792]
        var visible = media
        if let crop = box(inherited("/CropBox", from: dictionary)) {
            // Poppler clips the crop box to the media box.
            let clipped = [max(crop[0], media[0]), max(crop[1], media[1]), min(crop[2], media[2]), min(crop[3], media[3])]
            if clipped[2] > clipped[0], clipped[3] > clipped[1] { visible = clipped }
        }
        let rawRotation = inherited("/Rotate", from: dictionary)?.doubleValue ?? 0
        let rotation = rawRotation.isFinite && abs(rawRotation) < 1_000_000 ? Int(rawRotation) : 0
        return PageGeometry(llx: visible[0], lly: visible[1], urx: visible[2], ury: visible[3], rotation: rotation)
    }

    /// The page's current /Annots entries (direct or via an indirect array), to keep them.
    func existingAnnotations(of page: Page) -> [RawJSON] {
        guard let value = page.dictionary["/Annots"] else { return [] }
        return resolve(value)?.arrayValue ?? []
    }
}

/// Collects new objects for the JSON update.
struct UpdateBuilder {
    var nextObject: Int
    var objects: [(key: String, value: RawJSON)] = []
    let dateString: String
    private var serial = 0

    init(nextObject: Int, date: Date) {
        self.nextObject = nextObject
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        dateString = "D:\(formatter.string(from: date))Z"
    }

    private mutating func allocate() -> String {
        defer { nextObject += 1 }
        return "\(nextObject) 0 R"
    }

    /// Adds the annotation and its appearance stream; returns the annotation's reference.
    mutating func add(_ annotation: AnnotationSpec, page: PDFStructure.Page) -> String? {
        let geometry = page.geometry
        let rectangles = annotation.rectangles.map(\.normalized).filter(\.isUsable)
        guard !rectangles.isEmpty else { return nil }
        func user(_ point: DisplayPoint) -> (x: Double, y: Double) { geometry.userPoint(point) }
        // Bounding box in user space of every rectangle corner and shape point.
        var xs: [Double] = []
        var ys: [Double] = []
        for rect in rectangles {
            for corner in [
                DisplayPoint(x: rect.left, y: rect.top), DisplayPoint(x: rect.right, y: rect.bottom),
                DisplayPoint(x: rect.right, y: rect.top), DisplayPoint(x: rect.left, y: rect.bottom),
            ] {
                let point = user(corner)
                xs.append(point.x)
                ys.append(point.y)
            }
        }
        for shape in annotation.shapes {
            for corner in shape {
                let point = user(corner)
                xs.append(point.x)
                ys.append(point.y)
            }
        }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else { return nil }
        let bbox: RawJSON = .array([.number(minX), .number(minY), .number(maxX), .number(maxY)])

        var content = "q /GS0 gs \(Self.n(annotation.color.red)) \(Self.n(annotation.color.green)) \(Self.n(annotation.color.blue)) rg\n"
        for shape in annotation.shapes where shape.count >= 3 {
            for (index, corner) in shape.enumerated() {
                let point = user(corner)
                content += "\(Self.n(point.x)) \(Self.n(point.y)) \(index == 0 ? "m" : "l")\n"
            }
            content += "h f\n"
        }
        content += "Q\n"
        var graphicsState: [(key: String, value: RawJSON)] = [("/Type", .string("/ExtGState"))]
        if annotation.subtype == .highlight {
            graphicsState.append(("/BM", .string("/Multiply")))
        }
        graphicsState.append(("/ca", .number(annotation.opacity)))
        graphicsState.append(("/CA", .number(annotation.opacity)))
        let appearanceReference = allocate()
        let appearance: RawJSON = .object([
            (
                "stream",
                .object([
                    (
                        "dict",
                        .object([
                            ("/Type", .string("/XObject")), ("/Subtype", .string("/Form")), ("/FormType", .number(1)),
                            ("/BBox", bbox), ("/Resources", .object([("/ExtGState", .object([("/GS0", .object(graphicsState))]))])),
                        ])
                    ),
                    ("data", .string(Data(content.utf8).base64EncodedString())),
                ])
            )
        ])

        serial += 1
        var dictionary: [(key: String, value: RawJSON)] = [
            ("/Type", .string("/Annot")), ("/Subtype", .string("/\(annotation.subtype.rawValue)")),
            ("/Rect", bbox), ("/P", .string(page.reference)),
            ("/C", .array([.number(annotation.color.red), .number(annotation.color.green), .number(annotation.color.blue)])),
            ("/CA", .number(annotation.opacity)), ("/F", .number(4)),
            ("/T", .string("u:Redline")), ("/Subj", .string("u:\(annotation.subject)")),
            ("/Contents", .string("u:\(Self.truncated(annotation.contents))")),
            ("/NM", .string("u:redline-\(serial)")),
            ("/M", .string("u:\(dateString)")), ("/CreationDate", .string("u:\(dateString)")),
            ("/AP", .object([("/N", .string(appearanceReference))])),
        ]
        switch annotation.subtype {
        case .highlight:
            var quads: [RawJSON] = []
            for rect in rectangles {
                // Acrobat's order: upper-left, upper-right, lower-left, lower-right (as the text reads).
                for corner in [
                    DisplayPoint(x: rect.left, y: rect.top), DisplayPoint(x: rect.right, y: rect.top),
                    DisplayPoint(x: rect.left, y: rect.bottom), DisplayPoint(x: rect.right, y: rect.bottom),
                ] {
                    let point = user(corner)
                    quads.append(.number(point.x))
                    quads.append(.number(point.y))
                }
            }
            dictionary.append(("/QuadPoints", .array(quads)))
        case .caret:
            dictionary.append(("/Sy", .string("/None")))
            dictionary.append(("/RD", .array([.number(0), .number(0), .number(0), .number(0)])))
        }
        let annotationReference = allocate()
        objects.append(("obj:\(appearanceReference)", appearance))
        objects.append(("obj:\(annotationReference)", .object([("value", .object(dictionary))])))
        return annotationReference
    }

    private static func n(_ value: Double) -> String { ExportNumber.format(value) }

    /// Keeps /Contents readable in popups: at most 4,000 characters, control characters removed.
    static func truncated(_ text: String) -> String {
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? " " : $0 }))
        if cleaned.count > 4000 { cleaned = String(cleaned.prefix(4000)) + "…" }
        return cleaned
    }
}
