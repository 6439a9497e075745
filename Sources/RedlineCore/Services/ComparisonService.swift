import Foundation
import Logging
import Tracing

/// The comparison use cases behind the API: create, read, list, delete, change details.
public struct ComparisonService<Comparisons: ComparisonRepository, Blobs: BlobStore>: Sendable {
    public let comparisons: Comparisons
    public let blobs: Blobs
    public let fetcher: any SourceFetcher
    public let maxFileBytes: Int
    /// Hot change-details documents (shared through Redis when configured).
    public let cache: any Cache
    public let logger: Logger
    /// Per-account limits and retention set by administrators; nil: the installation's limits only.
    public let settings: (any AccountSettingsRepository)?

    public init(
        comparisons: Comparisons, blobs: Blobs, fetcher: any SourceFetcher, maxFileBytes: Int, cache: any Cache = InMemoryCache(maxEntries: 256),
        logger: Logger, settings: (any AccountSettingsRepository)? = nil
    ) {
        self.settings = settings
        self.comparisons = comparisons
        self.blobs = blobs
        self.fetcher = fetcher
        self.maxFileBytes = maxFileBytes
        self.cache = cache
        self.logger = logger
    }

    /// Validates, stores the uploaded files and enqueues the comparison. Returns at once.
    ///
    /// Runs in a `comparison.create` span; the queued job records it, so the worker's spans join
    /// the same trace.
    public func create(accountID: String, request: NewComparisonRequest, now: Date = Timestamp.now()) async throws -> Comparison {
        try await withSpan("comparison.create") { span in
            let comparison = try await createUntraced(accountID: accountID, request: request, now: now)
            span.attributes["redline.comparison.identifier"] = comparison.identifier
            return comparison
        }
    }

    private func createUntraced(accountID: String, request: NewComparisonRequest, now: Date) async throws -> Comparison {
        var problems: [String: [String]] = [:]
        func problem(_ field: String, _ message: String) { problems[field, default: []].append(message) }
        let accountSettings = try await settings?.settings(accountID: accountID)
        // An account's limit can only tighten the installation's.
        let maxFileBytes = min(self.maxFileBytes, accountSettings?.maxFileBytes ?? .max)

        var identifier = request.identifier ?? RandomToken.identifier()
        if let given = request.identifier, !ComparisonRules.isValidIdentifier(given) {
            problem("identifier", "must be 1 to \(ComparisonRules.maxIdentifierLength) characters of letters, digits, '-', '.' and '_'")
        }
        if let expiry = request.expiryTime, expiry <= now {
            problem("expiry_time", "must be in the future")
        }
        var sides: [Side: (ComparisonSide, Data?)] = [:]
        for side in Side.allCases {
            let name = side.rawValue
            guard let input = side == .left ? request.left : request.right else {
                problem(name, "is required (give \(name).file_type and either \(name).file or \(name).source_url)")
                continue
            }
            guard let rawType = input.fileType, !rawType.isEmpty else {
                problem("\(name).file_type", "is required; one of \(FileType.allowedList)")
                continue
            }
            guard let type = FileType(rawValue: rawType.lowercased()) else {
                problem("\(name).file_type", "'\(rawType)' is not supported; use one of \(FileType.allowedList)")
                continue
            }
            if let display = input.displayName, display.count > ComparisonRules.maxDisplayNameLength {
                problem("\(name).display_name", "must be at most \(ComparisonRules.maxDisplayNameLength) characters")
            }
            switch (input.file, input.sourceURL) {
            case (nil, nil):
                problem(name, "needs either a file or a source_url")
            case (.some, .some):
                problem(name, "give either a file or a source_url, not both")
            case (.some(let data), nil):
                if data.count > maxFileBytes {
                    throw RedlineError.payloadTooLarge("\(name).file is \(data.count) bytes; the limit is \(maxFileBytes) bytes.")
                }
                if data.isEmpty {
                    problem("\(name).file", "is empty")
                } else if let mismatch = ComparisonRules.contentMismatch(data, declared: type) {
                    problem("\(name).file", "\(mismatch), but file_type is '\(type.rawValue)'")
                } else {
                    sides[side] = (ComparisonSide(fileType: type, displayName: input.displayName), data)
                }
            case (nil, .some(let url)):
                do {
                    try await fetcher.validate(url, field: "\(name).source_url")
                    sides[side] = (ComparisonSide(fileType: type, sourceURL: url, displayName: input.displayName), nil)
                } catch RedlineError.validation(_, let fields) {
                    for (field, messages) in fields { messages.forEach { problem(field, $0) } }
                }
            }
        }
        if !problems.isEmpty {
            let detail = problems.keys.sorted().map { "\($0): \(problems[$0]!.joined(separator: "; "))" }.joined(separator: " ")
            throw RedlineError.validation(detail: detail, fields: problems)
        }
        identifier = identifier.isEmpty ? RandomToken.identifier() : identifier
        if try await comparisons.find(accountID: accountID, identifier: identifier) != nil {
            throw RedlineError.conflict(detail: "A comparison with identifier '\(identifier)' already exists.", field: "identifier")
        }
        guard let (left, leftData) = sides[.left], let (right, rightData) = sides[.right] else {
            throw RedlineError.invalid("left", "is required")
        }
        var comparison = Comparison(
            accountID: accountID, identifier: identifier, left: left, right: right,
            isPublic: request.isPublic, creationTime: now,
            expiryTime: request.expiryTime ?? accountSettings?.retentionDays.map { now.addingTimeInterval(Double($0) * 86_400) },
            storedBytes: Int64((leftData?.count ?? 0) + (rightData?.count ?? 0))
        )
        let nonce = RandomToken.identifier(length: 8)
        for (side, data) in [(Side.left, leftData), (.right, rightData)] {
            guard let data else { continue }
            let key = BlobKeys.original(comparison, side, nonce: nonce)
            try await blobs.put(key, data: data)
            if side == .left { comparison.left.originalKey = key } else { comparison.right.originalKey = key }
        }
        do {
            try await comparisons.insertAndEnqueue(comparison, priority: JobPriority.forTotalBytes(Int(comparison.storedBytes)))
        } catch {
            for key in [comparison.left.originalKey, comparison.right.originalKey].compactMap({ $0 }) {
                try? await blobs.delete(key)
            }
            throw error
        }
        logger.info("comparison created", metadata: ["account": "\(accountID)", "identifier": "\(identifier)"])
        return comparison
    }

    public func get(accountID: String, identifier: String) async throws -> Comparison {
        guard let comparison = try await comparisons.find(accountID: accountID, identifier: identifier) else {
            throw RedlineError.notFound("No comparison with identifier '\(identifier)' exists in this account.")
        }
        return comparison
    }

    public func list(accountID: String, limit: Int?, offset: Int) async throws -> ComparisonPage {
        try await comparisons.list(accountID: accountID, limit: limit, offset: offset)
    }

    public func delete(accountID: String, identifier: String) async throws {
        let comparison = try await get(accountID: accountID, identifier: identifier)
        guard try await comparisons.delete(accountID: accountID, identifier: identifier) else {
            throw RedlineError.notFound("No comparison with identifier '\(identifier)' exists in this account.")
        }
        await cache.delete(BlobKeys.changeDetails(comparison))
        try await blobs.deleteAll(prefix: comparison.blobPrefix)
    }

    /// The stored change-details JSON document of a ready comparison.
    public func changeDetails(accountID: String, identifier: String) async throws -> Data {
        let comparison = try await get(accountID: accountID, identifier: identifier)
        switch comparison.status {
        case .queued, .processing:
            throw RedlineError.validation(
                detail: "The comparison is not ready yet; poll GET /comparisons/\(identifier) until ready is true.",
                fields: ["identifier": ["comparison is not ready"]])
        case .failed:
            throw RedlineError.validation(
                detail: "The comparison failed: \(comparison.errorMessage ?? "unknown error")", fields: ["identifier": ["comparison failed"]])
        case .ready:
            let key = BlobKeys.changeDetails(comparison)
            if let cached = await cache.get(key) { return cached }
            guard let data = try await blobs.get(key) else {
                throw RedlineError.notFound("The change details of '\(identifier)' are missing.")
            }
            await cache.set(key, value: data, ttl: 300)
            return data
        }
    }
}
