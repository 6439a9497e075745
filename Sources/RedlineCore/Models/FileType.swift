/// The document formats a comparison side may declare, as the Draftable API names them.
///
/// `pdf` and `txt` are read directly; the Office formats reach the engine through the converter.
public enum FileType: String, Sendable, Codable, CaseIterable {
    case pdf, docx, docm, doc, rtf, pptx, pptm, ppt, txt
    case odt, odp, xlsx

    /// Whether the bytes must pass through the Office converter before comparison.
    public var needsOfficeConversion: Bool {
        switch self {
        case .pdf, .txt: false
        default: true
        }
    }

    /// The list users see in validation errors.
    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
