import Foundation
import PostgresNIO
import RedlineStorage

/// Converts between the seam's `SQLValue`s and PostgreSQL's wire values.
enum PostgresValues {
    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let v): bindings.append(v)
            case .double(let v): bindings.append(v)
            case .text(let s): bindings.append(s)
            case .blob(let d): bindings.append(ByteBuffer(bytes: d))
            }
        }
        return bindings
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        var values: [String: SQLValue] = [:]
        for cell in row {
            values[cell.columnName] = try value(cell)
        }
        return SQLRow(values: values)
    }

    /// int/bigint → `.int`, float → `.double`, bytea → `.blob`, everything else through its text form.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return .int(try cell.decode(Int64.self))
        case .float4, .float8:
            return .double(try cell.decode(Double.self))
        case .bool:
            return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            return .blob(Data(bytes.readBytes(length: bytes.readableBytes) ?? []))
        case .numeric:
            let text = try cell.decode(String.self)
            if let int = Int64(text) { return .int(int) }
            return Double(text).map(SQLValue.double) ?? .text(text)
        default:
            if let text = try? cell.decode(String.self) { return .text(text) }
            return .blob(Data(bytes.readBytes(length: bytes.readableBytes) ?? []))
        }
    }
}
