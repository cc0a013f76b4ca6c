public import GRDB
public import LedgerModel

// The ledger's value enums, stored as their raw text: exactly the strings the schema's CHECK
// constraints list and the hash chain and evidence encode, so typing the records changes no byte on
// disk, in a hash, or in an auditor's SQL. LedgerModel stays free of GRDB (the CLI reads it), so the
// conformances live here, in the one module that stores these values; being conformances of public
// types they are public, hence this file's public import (no GRDB type appears in any signature of
// `RewardLedger` or `Ledger`). Another module must not declare them again.

extension LedgerAccount: DatabaseValueConvertible {}
extension EntrySide: DatabaseValueConvertible {}
extension JournalEntry.Kind: DatabaseValueConvertible {}
extension RewardTier: DatabaseValueConvertible {}
extension PaymentScheme: DatabaseValueConvertible {}
extension PayeeKind: DatabaseValueConvertible {}
