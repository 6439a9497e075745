import Foundation

/// Maps displayed-page coordinates (origin top-left of the crop box, y down, after /Rotate) to PDF
/// user space (origin bottom-left, y up), the way poppler reports word boxes.
struct PageGeometry: Sendable, Equatable {
    /// Visible box in user space, normalised: lower-left and upper-right corners.
    var llx: Double
    var lly: Double
    var urx: Double
    var ury: Double
    /// Clockwise display rotation: 0, 90, 180 or 270.
    var rotation: Int

    init(llx: Double, lly: Double, urx: Double, ury: Double, rotation: Int) {
        self.llx = min(llx, urx)
        self.lly = min(lly, ury)
        self.urx = max(llx, urx)
        self.ury = max(lly, ury)
        let normalised = ((rotation % 360) + 360) % 360
        self.rotation = normalised - normalised % 90
    }

    /// User-space point for a displayed point.
    func userPoint(_ point: DisplayPoint) -> (x: Double, y: Double) {
        switch rotation {
        case 90: return (llx + point.y, lly + point.x)
        case 180: return (urx - point.x, lly + point.y)
        case 270: return (urx - point.y, ury - point.x)
        default: return (llx + point.x, ury - point.y)
        }
    }

    /// Displayed point for a user-space point (the inverse of `userPoint`).
    func displayPoint(x: Double, y: Double) -> DisplayPoint {
        switch rotation {
        case 90: return DisplayPoint(x: y - lly, y: x - llx)
        case 180: return DisplayPoint(x: urx - x, y: y - lly)
        case 270: return DisplayPoint(x: ury - y, y: urx - x)
        default: return DisplayPoint(x: x - llx, y: ury - y)
        }
    }
}
