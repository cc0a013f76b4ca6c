public import GRDB
public import Sealing
public import TiplineCore

// The domain's value types stored as themselves (issue 12, item 9): a record's column is a `TipStatus`,
// not a string that every reader must parse again. Each is stored as its raw text, byte for byte what
// the schema's CHECK constraints, the audit log and auditors' SQL expect; a row holding text that is
// not a known value fails to decode (it cannot be written through the records in the first place).

extension TipStatus: DatabaseValueConvertible {}
extension Urgency: DatabaseValueConvertible {}
extension StaffRole: DatabaseValueConvertible {}
extension TipChannel: DatabaseValueConvertible {}
extension KeyClass: DatabaseValueConvertible {}
extension CentreID: DatabaseValueConvertible {}
