import Foundation

/// Writes contract-like documents: a title and parties paragraph, a definitions clause with bold defined
/// terms, numbered clauses of sub-clauses built from clause templates (amounts, dates, names, clause
/// references, italic Latin phrases), fee schedules as tables, and a signature block.
///
/// Everything is drawn from a `SeededRandom`, so a seed always gives the same document.
struct ContractWriter {
    /// Blocks get consecutive IDs starting here.
    private var nextBlockID = 0
    private var random: SeededRandom
    let customer: String
    let supplier: String
    let title: String

    init(random: SeededRandom) {
        self.random = random
        let customerName = self.random.pick(Vocabulary.companyStems) + " " + self.random.pick(Vocabulary.companySuffixes)
        var supplierName = customerName
        while supplierName.hasPrefix(customerName.split(separator: " ")[0]) {
            supplierName = self.random.pick(Vocabulary.companyStems) + " " + self.random.pick(Vocabulary.companySuffixes)
        }
        customer = customerName
        supplier = supplierName
        title = "Master Services Agreement – \(customerName) and \(supplierName)"
    }

    /// A document of about `targetWords` body words.
    mutating func document(targetWords: Int) -> BenchDocument {
        var blocks: [BenchBlock] = []
        blocks.append(block(.heading, [words("MASTER SERVICES AGREEMENT", bold: true)]))
        blocks.append(block(.paragraph, [partiesParagraph()]))
        blocks.append(block(.heading, [words("1. DEFINITIONS AND INTERPRETATION", bold: true)]))
        for (index, definition) in Vocabulary.definitions.enumerated() {
            blocks.append(block(.paragraph, [definitionParagraph(number: index + 1, term: definition.term, meaning: definition.meaning)]))
        }
        var clause = 2
        var schedule = 1
        var count = blocks.reduce(0) { $0 + $1.words.count }
        // Leave room for the signature block.
        while count < targetWords - 60 {
            let heading = block(.heading, [words("\(clause). \(clauseTitle(clause))", bold: true)])
            blocks.append(heading)
            count += heading.words.count
            for sub in 1...random.int(in: 3...6) {
                let paragraph = block(.paragraph, [subClause(label: "\(clause).\(sub)", clauseCount: clause)])
                blocks.append(paragraph)
                count += paragraph.words.count
            }
            if clause % 7 == 3 {
                for row in scheduleTable(number: schedule) {
                    blocks.append(row)
                    count += row.words.count
                }
                schedule += 1
            }
            clause += 1
        }
        blocks.append(block(.heading, [words("\(clause). EXECUTION", bold: true)]))
        for (party, name) in [(customer, "Customer"), (supplier, "Supplier")] {
            var signature = words("Signed for and on behalf of \(party) (the")
            signature.append(BenchWord("“\(name)”)", bold: true))
            var signatory = personName()
            signatory[signatory.count - 1].text += ","
            signature += words("by") + signatory + words("on") + date() + words("in the presence of the undersigned witness.")
            blocks.append(block(.paragraph, [signature]))
        }
        return BenchDocument(title: title, blocks: blocks)
    }

    // MARK: - Parts

    private mutating func block(_ kind: BlockKind, _ cells: [[BenchWord]]) -> BenchBlock {
        defer { nextBlockID += 1 }
        return BenchBlock(id: nextBlockID, kind: kind, cells: cells)
    }

    /// Makes a new paragraph block (for insertions on the right side) with a fresh ID.
    mutating func newSubClause(label: String, clauseCount: Int, sentences: ClosedRange<Int> = 2...3) -> BenchBlock {
        block(.paragraph, [subClause(label: label, clauseCount: clauseCount, sentences: sentences)])
    }

    private func words(_ text: String, bold: Bool = false, italic: Bool = false) -> [BenchWord] {
        text.split(separator: " ").map { BenchWord(String($0), bold: bold, italic: italic) }
    }

    private mutating func partiesParagraph() -> [BenchWord] {
        var result = words("This Master Services Agreement is made on") + date() + words("between \(customer), a company registered in")
        result += words(random.pick(Vocabulary.cities) + " (the")
        result.append(BenchWord("“Customer”),", bold: true))
        result += words("and \(supplier), whose registered office is at") + words(random.pick(Vocabulary.cities) + " (the")
        result.append(BenchWord("“Supplier”).", bold: true))
        result += words("Each of them is a party and together they are the parties.")
        return result
    }

    private func definitionParagraph(number: Int, term: String, meaning: String) -> [BenchWord] {
        var termWords = term.split(separator: " ").map(String.init)
        termWords[0] = "“" + termWords[0]
        termWords[termWords.count - 1] += "”"
        return words("1.\(number)") + termWords.map { BenchWord($0, bold: true) } + words("means " + meaning)
    }

    private func clauseTitle(_ number: Int) -> String {
        let titles = Vocabulary.clauseTitles
        let title = titles[(number - 2) % titles.count]
        let part = (number - 2) / titles.count
        return part == 0 ? title : "\(title) (PART \(part + 1))"
    }

    mutating func subClause(label: String, clauseCount: Int, sentences: ClosedRange<Int> = 2...5) -> [BenchWord] {
        var result = words(label)
        for _ in 0..<random.int(in: sentences) {
            result += sentence(clauseCount: clauseCount)
        }
        return result
    }

    /// One sentence from a template, slots filled.
    mutating func sentence(clauseCount: Int) -> [BenchWord] {
        let template = random.pick(Vocabulary.templates)
        let party = random.chance(0.5) ? "Supplier" : "Customer"
        let other = party == "Supplier" ? "Customer" : "Supplier"
        var result: [BenchWord] = []
        for token in template.split(separator: " ") {
            // A slot may carry punctuation after it: "{AMT}," -> slot AMT, suffix ",".
            guard token.hasPrefix("{"), let close = token.firstIndex(of: "}") else {
                result.append(BenchWord(String(token)))
                continue
            }
            let slot = String(token[token.index(after: token.startIndex)..<close])
            let suffix = String(token[token.index(after: close)...])
            var filled: [BenchWord]
            switch slot {
            case "P": filled = words(party)
            case "P2": filled = words(other)
            case "VERB": filled = words(random.pick(Vocabulary.verbs))
            case "MANNER": filled = words(random.pick(Vocabulary.manners))
            case "T": filled = words(random.pick(Vocabulary.subjects))
            case "N":
                let number = random.pick(Vocabulary.numbers)
                filled = words("\(number.word) (\(number.value))")
            case "DAYS": filled = words(random.chance(0.5) ? "days" : "Business Days")
            case "EVENT": filled = words(random.pick(Vocabulary.events))
            case "REF": filled = words("\(random.int(in: 1...max(1, clauseCount))).\(random.int(in: 1...5))")
            case "PERIOD": filled = words(random.pick(Vocabulary.periods))
            case "AMT": filled = [BenchWord("EUR"), BenchWord(amount())]
            case "DATE": filled = date()
            case "NAME": filled = personName()
            case "ROLE": filled = words(random.pick(Vocabulary.roles))
            case "FREQ": filled = words(random.pick(Vocabulary.frequencies))
            case "PCT": filled = words(String(random.int(in: 1...15)))
            case "K": filled = words(String(random.int(in: 1...6)))
            case "CITY": filled = words(random.pick(Vocabulary.cities))
            default:
                if slot.hasPrefix("I:") {
                    filled = words(String(slot.dropFirst(2)).replacingOccurrences(of: "_", with: " "), italic: true)
                } else {
                    filled = words(slot)
                }
            }
            if !suffix.isEmpty, !filled.isEmpty {
                filled[filled.count - 1].text += suffix
            }
            result += filled
        }
        return result
    }

    mutating func amount() -> String {
        let euros = random.int(in: 1_000...990_000)
        let cents = random.chance(0.7) ? 0 : random.int(100)
        return Self.formatAmount(euros: euros, cents: cents)
    }

    static func formatAmount(euros: Int, cents: Int) -> String {
        var groups: [String] = []
        var rest = euros
        repeat {
            let group = rest % 1000
            rest /= 1000
            groups.insert(rest > 0 ? String(format: "%03d", group) : String(group), at: 0)
        } while rest > 0
        return groups.joined(separator: ",") + "." + String(format: "%02d", cents)
    }

    mutating func date() -> [BenchWord] {
        words("\(random.int(in: 1...28)) \(random.pick(Vocabulary.months)) \(random.int(in: 2024...2028))")
    }

    mutating func personName() -> [BenchWord] {
        words("\(random.pick(Vocabulary.firstNames)) \(random.pick(Vocabulary.lastNames))")
    }

    /// A fee schedule: a heading, a bold header row and 3-6 rows.
    private mutating func scheduleTable(number: Int) -> [BenchBlock] {
        var rows = [block(.heading, [words("Schedule \(number) – Fees and Milestones", bold: true)])]
        rows.append(block(.tableRow, Vocabulary.tableHeader.map { words($0, bold: true) }))
        for row in 1...random.int(in: 3...6) {
            rows.append(block(.tableRow, tableCells(schedule: number, row: row)))
        }
        return rows
    }

    mutating func tableCells(schedule: Int, row: Int) -> [[BenchWord]] {
        [words("S\(schedule).\(row)"), words(random.pick(Vocabulary.milestones)), [BenchWord(amount())], date()]
    }
}

/// Word lists for `ContractWriter`.
enum Vocabulary {
    static let companyStems = [
        "Acme", "Borealis", "Northwind", "Meridian", "Halcyon", "Vireo", "Castellan", "Ostrava", "Lumen", "Tessera",
        "Quillon", "Brightwater", "Sable", "Aldercrest", "Corvid", "Hollin",
    ]
    static let companySuffixes = ["Holdings Ltd", "Systems GmbH", "Logistics B.V.", "Analytics SAS", "Services plc", "Technologies AB"]
    static let firstNames = [
        "Jane", "Mark", "Amara", "Lukas", "Sofia", "Tomasz", "Ingrid", "Rafael", "Chloe", "Mehmet", "Elena", "Kwame",
        "Hannah", "Pieter", "Aoife", "Dmitri",
    ]
    static let lastNames = [
        "Whitfield", "Osei", "Lindqvist", "Moreau", "Kowalski", "Brennan", "Haddad", "Fischer", "Okafor", "Santos",
        "Novak", "Albrecht", "Castillo", "Nakamura", "Ferreira", "Doyle",
    ]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
    static let cities = ["Rotterdam", "Lyon", "Leeds", "Gdansk", "Porto", "Graz", "Turku", "Bilbao", "Aarhus", "Ghent"]
    static let roles = ["Chief Executive Officer", "General Counsel", "Head of Procurement", "Finance Director", "Contract Manager"]
    static let verbs = ["deliver", "perform", "provide", "complete", "supply", "install", "maintain", "test", "document", "support"]
    static let manners = [
        "promptly", "diligently", "in accordance with Good Industry Practice", "with reasonable skill and care",
        "in a timely manner", "efficiently",
    ]
    static let subjects = [
        "Services", "Deliverables", "Software", "Documentation", "Hardware", "Support Services", "Implementation Services",
        "Training Services",
    ]
    static let numbers: [(value: Int, word: String)] = [
        (5, "five"), (7, "seven"), (10, "ten"), (14, "fourteen"), (15, "fifteen"), (20, "twenty"), (21, "twenty-one"),
        (28, "twenty-eight"), (30, "thirty"), (45, "forty-five"), (60, "sixty"), (90, "ninety"),
    ]
    static let events = [
        "the Effective Date", "receipt of a valid invoice", "the date of the relevant Change Request",
        "written notice from the Customer", "completion of the Acceptance Tests", "the start of each contract year",
    ]
    static let periods = ["month", "quarter", "contract year", "calendar month"]
    static let frequencies = ["monthly", "quarterly", "annually", "every six months"]
    static let milestones = [
        "Project initiation", "Design approval", "Data migration", "System integration", "User training",
        "Acceptance testing", "Go-live support", "Hypercare period", "Licence renewal", "Annual maintenance",
    ]
    static let tableHeader = ["No.", "Milestone", "Amount (EUR)", "Due date"]

    /// Sentence templates. Slots: {P} party, {P2} the other party, {VERB}, {MANNER}, {T} subject, {N} number
    /// ("thirty (30)"), {DAYS}, {EVENT}, {REF} clause reference, {PERIOD}, {AMT} "EUR 52,100.00", {DATE},
    /// {NAME} person, {ROLE}, {FREQ}, {PCT}, {K} schedule number, {CITY}, {I:words_in_italics}.
    static let templates = [
        "The {P} shall {VERB} the {T} {MANNER} within {N} {DAYS} of {EVENT}.",
        "Subject to clause {REF}, the {P} may terminate this Agreement by giving not less than {N} days' written notice to the {P2}.",
        "The Fees payable for the {T} in respect of each {PERIOD} shall not exceed {AMT}, exclusive of value added tax.",
        "Payment of {AMT} shall be made on or before {DATE} to the bank account nominated in writing by the Supplier.",
        "Notices to the {P} shall be marked for the attention of {NAME}, {ROLE}, and delivered by hand or by courier.",
        "Nothing in clause {REF} shall limit or exclude the liability of either party for fraud or fraudulent misrepresentation.",
        "{I:Provided_that} the {P} has complied with clause {REF}, the {P2} shall not unreasonably withhold or delay its consent.",
        "The {P} shall maintain insurance cover of not less than {AMT} for any one claim with a reputable insurer.",
        "Each party shall keep the Confidential Information of the other party confidential until {DATE} and shall use it solely for the purposes of this Agreement.",
        "Any Change Request shall be submitted in writing and shall take effect only when signed by {NAME} on behalf of the {P}.",
        "The Service Levels set out in Schedule {K} apply from {DATE} and shall be reviewed {FREQ} by the {P} and the {P2}.",
        "Where the {P} fails to achieve a Milestone by its due date, service credits of {PCT} per cent of the monthly Fees shall apply.",
        "The {P} shall, {I:inter_alia}, provide the {P2} with monthly reports on the performance of the {T}.",
        "All Intellectual Property Rights in the Deliverables shall vest in the {P} upon payment of {AMT} in full.",
        "The {P2} shall give the {P} access to its premises at {CITY} during normal business hours on reasonable prior notice.",
        "Neither party shall be liable for any delay caused by a Force Majeure Event lasting less than {N} {DAYS}.",
        "The aggregate liability of the {P} under or in connection with this Agreement shall not exceed {AMT} in any contract year.",
        "This clause shall apply {I:mutatis_mutandis} to any subcontractor engaged by the {P} with the consent of the {P2}.",
        "The {P} shall appoint {NAME} as its contract manager, who shall attend review meetings held {FREQ} at {CITY}.",
        "Invoices shall be issued on the last Business Day of each {PERIOD} and shall be payable within {N} {DAYS} of receipt.",
        "The Warranty Period shall commence on {DATE} and shall continue for {N} months thereafter.",
        "The {P} shall comply with all applicable laws, regulations and codes of practice relating to the processing of Personal Data.",
        "If the Acceptance Tests are not passed, the {P2} may reject the relevant Deliverables by written notice given no later than {DATE}.",
        "The {P} acknowledges that the {P2} has relied on the representations made by {NAME} in entering into this Agreement.",
        "Key Personnel shall not be removed from the provision of the {T} without the prior written consent of the {P2}, which shall not be unreasonably withheld.",
    ]

    static let definitions: [(term: String, meaning: String)] = [
        ("Agreement", "this master services agreement together with its Schedules, as amended from time to time."),
        ("Acceptance Tests", "the tests described in Schedule 3 that the Deliverables must pass before they are accepted."),
        ("Business Day", "a day other than a Saturday, a Sunday or a public holiday in the place of performance."),
        ("Change Request", "a written request to change the Services made in accordance with the change control procedure."),
        ("Confidential Information", "all information of a confidential nature disclosed by one party to the other in connection with this Agreement."),
        ("Deliverables", "all documents, products and materials developed by the Supplier as part of the Services."),
        ("Effective Date", "the date on which this Agreement is signed by the last of the parties."),
        ("Fees", "the charges payable by the Customer for the Services as set out in the fee schedules."),
        ("Force Majeure Event", "an event beyond the reasonable control of the affected party, including fire, flood and epidemic."),
        ("Good Industry Practice", "the skill, care and foresight expected of a leading supplier of services similar to the Services."),
        ("Intellectual Property Rights", "patents, copyright, database rights, trade marks and all similar rights anywhere in the world."),
        ("Key Personnel", "the individuals named in Schedule 4 who are critical to the provision of the Services."),
        ("Milestone", "an event or task described in a fee schedule that must be completed by its due date."),
        ("Personal Data", "has the meaning given in the applicable data protection legislation."),
        ("Service Levels", "the performance standards for the Services set out in Schedule 2."),
        ("Warranty Period", "the period during which the Supplier must correct defects in the Deliverables free of charge."),
    ]

    static let clauseTitles = [
        "COMMENCEMENT AND DURATION", "THE SERVICES", "SUPPLIER OBLIGATIONS", "CUSTOMER OBLIGATIONS", "CHANGE CONTROL",
        "FEES AND PAYMENT", "SERVICE LEVELS", "ACCEPTANCE", "WARRANTIES", "INTELLECTUAL PROPERTY", "CONFIDENTIALITY",
        "DATA PROTECTION", "LIMITATION OF LIABILITY", "INSURANCE", "FORCE MAJEURE", "TERMINATION", "CONSEQUENCES OF TERMINATION",
        "KEY PERSONNEL", "SUBCONTRACTING", "AUDIT", "DISPUTE RESOLUTION", "NOTICES", "ASSIGNMENT", "GOVERNING LAW",
    ]
}
