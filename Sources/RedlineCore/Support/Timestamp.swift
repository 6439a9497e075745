import Foundation

/// ISO-8601 times in the forms Draftable clients send and accept.
///
/// Parsing accepts 0–9 fractional digits and `Z`, `+HH:MM`, `+HHMM` or `-HH:MM` offsets (Python
/// sends `+00:00` with 6 digits, .NET `Z` with 7, Java no fraction). Formatting always writes UTC
/// with a literal `Z` and exactly 6 fractional digits, the most Python's client can parse.
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= chars.count else { return nil }
            var value = 0
            for k in 0..<width {
                let c = chars[i + k]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            i += width
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else { return nil }
        guard i < chars.count, chars[i] == 84 || chars[i] == 116 || chars[i] == 32 else { return nil }
        i += 1
        guard let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2) else { return nil }
        var fraction = 0.0
        if i < chars.count, chars[i] == 46 {
            i += 1
            var scale = 0.1
            var digits = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                fraction += Double(chars[i] - 48) * scale
                scale /= 10
                digits += 1
                i += 1
            }
            guard digits > 0, digits <= 9 else { return nil }
        }
        var offsetSeconds = 0
        guard i < chars.count else { return nil }
        if chars[i] == 90 || chars[i] == 122 {
            i += 1
        } else if chars[i] == 43 || chars[i] == 45 {
            let sign = chars[i] == 45 ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = expect(58)
            guard let om = number(2) else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == chars.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(secondsFromGMT: 0)
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        guard let date = components.date, Calendar(identifier: .gregorian).dateComponents(in: TimeZone(secondsFromGMT: 0)!, from: date).day == day
        else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetSeconds))
    }

    /// `2025-01-23T13:18:59.123456Z`.
    public static func format(_ date: Date) -> String {
        let micros = microseconds(date)
        var seconds = time_t(micros.quotientAndRemainder(dividingBy: 1_000_000).quotient)
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction)
        )
    }

    /// Whole microseconds since 1970: the precision Redline stores.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// Now, truncated to the stored precision so that what is returned equals what is stored.
    public static func now() -> Date { date(microseconds: microseconds(Date())) }
}
