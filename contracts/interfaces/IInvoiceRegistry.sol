// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/**
 * @title IInvoiceRegistry
 * @notice Tokenized e-invoices (e-fapiao): each invoice is an ERC-721 token whose lifecycle the seller, the buyer, the
 * holder of the receivable and the tax authority all see at once, while the invoice document stays off chain.
 *
 * Lifecycle: Issued → Accepted (the buyer confirms) → PartiallyPaid → Paid → Reimbursed (once, by one registered
 * reimbursing organization, anywhere on the network). Voided only while Issued, or within `voidWindow` of issuance
 * while nothing was paid; afterwards a credit note (红字发票) reverses all or part of it: a new negative invoice that
 * references the original, never for more than what remains. The token is the receivable: while unpaid it may be
 * transferred to a financier (factoring), who then receives the payments. The tax authority keeps per-seller,
 * per-period totals of the tax issued and reversed, and may freeze an invoice under investigation. Nothing is ever
 * rewritten: every change is an event.
 *
 * Storage: one slot of state per invoice (holder, status, flags, reimburser, time of the last status change) and one
 * hash that commits to everything immutable (the `Invoice`: seller, buyer, number, amounts, currency, dates, document
 * hash, tax period). Calls that need immutable data take the `Invoice` as the `InvoiceIssued` event published it
 * (the SDK reads it back) and check it against the hash. This keeps issuance near 100k gas, against about 756k for
 * Centrifuge's invoice NFT.
 *
 * Amounts are in minor units of the invoice currency (fen, cents). The id of an invoice is
 * `uint256(keccak256(abi.encode(seller, number)))`, so a number is unique per seller by construction.
 */
interface IInvoiceRegistry is IERC721Errors {
    enum Status {
        None,
        Issued,
        Accepted,
        PartiallyPaid,
        Paid,
        Reimbursed,
        Voided,
        Reversed // fully reversed by credit notes
    }

    /// @notice What a seller issues. No personal data: the buyer is a DID, the content is a hash.
    struct InvoiceTerms {
        address buyer; // the buyer's DID (an organization, or a citizen's address)
        bytes32 number; // invoice code and number as bytes32 text, unique per seller
        uint80 amount; // net amount, minor units
        uint80 tax; // VAT, minor units
        uint16 currency; // ISO 4217 numeric code, e.g. 156 CNY, 978 EUR
        uint40 issueDate; // the date printed on the invoice (unix time)
        uint40 dueDate; // 0: no due date
        bytes32 documentHash; // hash of the full invoice document, or root of its salted per-field hash tree
    }

    /// @notice An invoice as recorded: the terms plus what the registry added. Committed on chain as one hash.
    struct Invoice {
        address seller;
        uint40 issuedAt; // chain time of issuance
        uint32 period; // tax period, yyyymm in the tax authority's time zone
        uint256 original; // for a credit note: the id of the invoice it reverses; 0 otherwise
        InvoiceTerms terms;
    }

    /// @notice The mutable state of an invoice, in one storage slot.
    struct InvoiceState {
        address holder; // the token owner: who receives payments
        Status status;
        uint8 flags; // FROZEN 1, DEDUCTED 2, CREDIT_NOTE 4, SETTLEMENT 8 (payments or credits recorded)
        uint32 reimburser; // participant id of the reimbursing organization, 0 if none
        uint40 statusChangedAt; // time of the last status change (so the time of reimbursement, once reimbursed)
    }

    /// @notice Payments and credits of an invoice, written only when it is partially paid or credited.
    struct Settlement {
        uint96 paid;
        uint80 creditedAmount;
        uint80 creditedTax;
    }

    /// @notice Everything about an invoice's standing, in one call.
    struct InvoiceView {
        address holder;
        Status status;
        bool frozen;
        bool deducted;
        bool creditNote;
        uint40 statusChangedAt;
        address reimburser;
        bytes32 dataHash; // keccak256(abi.encode(invoice))
        uint96 paid;
        uint80 creditedAmount;
        uint80 creditedTax;
    }

    /// @notice A seller's tax for one period. Tax due = taxIssued - taxReversed.
    struct TaxTotals {
        uint96 taxIssued; // tax of every invoice issued in the period
        uint96 taxReversed; // tax of credit notes issued in the period and of invoices of the period later voided
        uint32 invoices;
        uint32 reversals;
    }

    /// @notice An ERC-20 the registry settles invoices in: `unitScale` token units per minor unit of `currency`.
    struct PaymentToken {
        uint16 currency;
        uint64 unitScale;
    }

    /// @notice A registered participant. `capabilities`: SELLER 1 (may issue), REIMBURSER 2 (may reimburse).
    struct Participant {
        uint32 id;
        uint8 capabilities;
    }

    // ------------------------------------------------------------------ events

    event ParticipantRegistered(address indexed account, uint32 indexed participantId, uint8 capabilities);
    event InvoiceIssued(uint256 indexed invoiceId, address indexed seller, address indexed buyer, Invoice invoice);
    event InvoiceAccepted(uint256 indexed invoiceId, address indexed buyer);
    /// @notice `amount` (minor units) paid to `holder`; `token` zero when recorded with an off-chain `paymentReference`.
    event InvoicePaid(
        uint256 indexed invoiceId,
        address indexed holder,
        address indexed payer,
        uint256 amount,
        address token,
        bytes32 paymentReference,
        uint256 outstanding
    );
    event InvoiceReimbursed(uint256 indexed invoiceId, address indexed reimburser, bytes32 claimReference);
    event InvoiceVoided(uint256 indexed invoiceId, address indexed seller, bytes32 reasonHash);
    /// @notice Credit note `creditNoteId` reversed `amount` and `tax` of `invoiceId`.
    event InvoiceCredited(uint256 indexed invoiceId, uint256 indexed creditNoteId, uint80 amount, uint80 tax);
    event InputTaxDeducted(uint256 indexed invoiceId, address indexed buyer, uint32 period);
    event InvoiceFrozen(uint256 indexed invoiceId, address indexed by, bytes32 reasonHash);
    event InvoiceUnfrozen(uint256 indexed invoiceId, address indexed by, bytes32 reasonHash);
    event PaymentTokenSet(address indexed token, uint16 currency, uint64 unitScale);
    event SettingsChanged(int32 timezoneOffset, uint32 voidWindow);

    // ------------------------------------------------------------------ errors

    /// @notice `account` is not an active organization or agency DID (sellers: organization).
    error InvoiceRegistryNotActiveOrganization(address account);
    /// @notice `account` is not registered with `capability` (SELLER 1, REIMBURSER 2).
    error InvoiceRegistryNotRegistered(address account, uint8 capability);
    error InvoiceRegistryInvalidCapabilities(uint8 capabilities);
    /// @notice `seller` already issued invoice `number`.
    error InvoiceRegistryNumberTaken(address seller, bytes32 number);
    error InvoiceRegistryEmptyNumber();
    error InvoiceRegistryEmptyBatch();
    error InvoiceRegistryInvalidBuyer(bytes32 number, address buyer);
    error InvoiceRegistryInvalidAmount(bytes32 number, uint80 amount, uint80 tax);
    error InvoiceRegistryInvalidCurrency(bytes32 number, uint16 currency);
    error InvoiceRegistryInvalidDates(bytes32 number, uint40 issueDate, uint40 dueDate);
    error InvoiceRegistryEmptyDocumentHash(bytes32 number);
    /// @notice The `Invoice` given is not the one recorded for `invoiceId`.
    error InvoiceRegistryWrongInvoiceData(uint256 invoiceId);
    /// @notice The operation is not possible while `invoiceId` is in `status`.
    error InvoiceRegistryInvalidStatus(uint256 invoiceId, Status status);
    error InvoiceRegistryFrozen(uint256 invoiceId);
    error InvoiceRegistryNotFrozen(uint256 invoiceId);
    /// @notice A credit note is a record of a reversal: it is not accepted, paid, transferred or reimbursed.
    error InvoiceRegistryIsCreditNote(uint256 invoiceId);
    error InvoiceRegistryNotBuyer(uint256 invoiceId, address account, address buyer);
    error InvoiceRegistryNotSeller(uint256 invoiceId, address account, address seller);
    error InvoiceRegistryNotHolder(uint256 invoiceId, address account, address holder);
    /// @notice `invoiceId` was already reimbursed by `reimburser` at `reimbursedAt`.
    error InvoiceRegistryAlreadyReimbursed(uint256 invoiceId, address reimburser, uint40 reimbursedAt);
    error InvoiceRegistryAlreadyDeducted(uint256 invoiceId);
    /// @notice Void only while Issued, or until `voidableUntil` while nothing was paid or credited.
    error InvoiceRegistryVoidNotAllowed(uint256 invoiceId, Status status, uint40 voidableUntil);
    /// @notice The credit note asks for more than remains of the original.
    error InvoiceRegistryCreditExceedsRemaining(
        uint256 invoiceId,
        uint80 amount,
        uint80 remainingAmount,
        uint80 tax,
        uint80 remainingTax
    );
    /// @notice The credit note's buyer or currency differs from the original's.
    error InvoiceRegistryCreditMismatch(uint256 invoiceId);
    /// @notice Payment of `amount` is zero or more than the `outstanding` amount.
    error InvoiceRegistryInvalidPayment(uint256 invoiceId, uint256 amount, uint256 outstanding);
    error InvoiceRegistryTokenNotAllowed(address token, uint16 currency);
    /// @notice The holder received `received` token units, `expected` were due (fee-on-transfer token).
    error InvoiceRegistryShortTransfer(address token, uint256 expected, uint256 received);
    error InvoiceRegistryExpiredSignature(uint256 deadline);
    error InvoiceRegistryInvalidSignature(address signer);
    error InvoiceRegistryInvalidSettings(int32 timezoneOffset, uint32 voidWindow);

    // ------------------------------------------------------------------ tax authority

    /**
     * @notice Registers `account` (an active organization or agency DID) with `capabilities`: SELLER 1 (an
     * organization registered as a taxpayer; may issue) and REIMBURSER 2 (may reimburse). 0 deregisters; the
     * participant id is kept. TAX_AUTHORITY.
     */
    function registerParticipant(address account, uint8 capabilities) external;

    /// @notice Freezes an invoice under investigation: no payment, transfer, reimbursement or other change.
    function freeze(uint256 invoiceId, bytes32 reasonHash) external;

    function unfreeze(uint256 invoiceId, bytes32 reasonHash) external;

    /// @notice Allows `token` for `currency` at `unitScale` token units per minor unit; `unitScale` 0 disallows.
    function setPaymentToken(address token, uint16 currency, uint64 unitScale) external;

    /// @notice Time zone of the tax periods (seconds east of UTC, within ±14 h) and the void window after issuance.
    function setSettings(int32 timezoneOffset, uint32 voidWindow) external;

    // ------------------------------------------------------------------ sellers

    /// @notice Issues one invoice from the caller, a registered seller whose DID is an active organization.
    function issue(InvoiceTerms calldata terms) external returns (uint256 invoiceId);

    /// @notice Issues many invoices from the caller; reverts as a whole on the first bad one.
    function issueBatch(InvoiceTerms[] calldata terms) external returns (uint256[] memory invoiceIds);

    /// @notice Voids `invoiceId` (its seller only): while Issued, or within the void window with nothing paid.
    function voidInvoice(uint256 invoiceId, Invoice calldata invoice, bytes32 reasonHash) external;

    /**
     * @notice Issues a credit note reversing `credit.amount` and `credit.tax` of `originalId` (its seller only):
     * a new token with its own number, for the same buyer and currency, never more than remains.
     */
    function issueCreditNote(
        uint256 originalId,
        Invoice calldata original,
        InvoiceTerms calldata credit
    ) external returns (uint256 creditNoteId);

    // ------------------------------------------------------------------ buyers

    function accept(uint256 invoiceId, Invoice calldata invoice) external;

    /// @notice Relayed accept, signed by the buyer: `Accept(uint256 invoiceId,uint256 deadline)`.
    function acceptBySig(
        uint256 invoiceId,
        Invoice calldata invoice,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The buyer marks its input-VAT deduction of an accepted invoice, once.
    function markDeducted(uint256 invoiceId, Invoice calldata invoice) external;

    // ------------------------------------------------------------------ payment

    /**
     * @notice Pays `amount` (minor units) of an accepted invoice in allow-listed `token`: the caller's tokens go
     * straight to the holder, who must receive the full amount.
     */
    function pay(uint256 invoiceId, Invoice calldata invoice, address token, uint256 amount) external;

    /// @notice The holder records `amount` received off chain (bank transfer...), with its `paymentReference`.
    function recordPayment(
        uint256 invoiceId,
        Invoice calldata invoice,
        uint256 amount,
        bytes32 paymentReference
    ) external;

    // ------------------------------------------------------------------ reimbursement

    /// @notice A registered reimbursing organization claims the paid invoice, once network-wide.
    function reimburse(uint256 invoiceId, bytes32 claimReference) external;

    /**
     * @notice Relayed reimbursement, signed by `reimburser`:
     * `Reimburse(uint256 invoiceId,address reimburser,bytes32 claimReference,uint256 deadline)`.
     */
    function reimburseBySig(
        uint256 invoiceId,
        address reimburser,
        bytes32 claimReference,
        uint256 deadline,
        bytes calldata signature
    ) external;

    // ------------------------------------------------------------------ views

    /// @notice The id of `seller`'s invoice `number`.
    function invoiceIdOf(address seller, bytes32 number) external pure returns (uint256);

    function invoiceOf(uint256 invoiceId) external view returns (InvoiceView memory);

    /// @notice True if `invoice` is exactly what was recorded for `invoiceId`.
    function matches(uint256 invoiceId, Invoice calldata invoice) external view returns (bool);

    /// @notice Gross amount still to be paid: amount + tax - credited - paid.
    function outstanding(uint256 invoiceId, Invoice calldata invoice) external view returns (uint256);

    function taxTotals(address seller, uint32 period) external view returns (TaxTotals memory);

    /// @notice The tax period (yyyymm) of `timestamp` in the configured time zone.
    function periodOf(uint256 timestamp) external view returns (uint32);

    function participantOf(address account) external view returns (Participant memory);

    function paymentToken(address token) external view returns (PaymentToken memory);

    function settings() external view returns (int32 timezoneOffset, uint32 voidWindow);

    function didRegistry() external view returns (address);
}
