// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title IAgreementEscrow
 * @notice Escrowed multi-party agreements (procurement and service contracts): the money sits in escrow from the
 * start and is released by rules every party signed — milestone approvals, due dates, an arbiter — with no clerk in
 * the loop. One contract holds every agreement (no clone per agreement).
 *
 * Lifecycle: Draft (created, collecting signatures) → Signed (every party signed, by EIP-712 signatures submitted in
 * one transaction or by on-chain `sign` calls) → Funded (the escrow holds the total; what counts is what actually
 * arrived) → Closed (every milestone settled; retention held for the warranty period) → Completed (retention paid).
 * A Draft or Signed agreement may be cancelled by any party; partial funding goes back to the payer.
 *
 * Milestones: the supplier submits a deliverable hash; when k of the milestone's approvers (a subset of the parties)
 * approve, it is released to the supplier, less the retention. Past its due date with nothing delivered, the payer
 * reclaims it. Any party may dispute an unsettled milestone; the arbiter (a single ARBITER, or k of a panel of
 * ARBITERs voting the same split) rules how it splits, or payer and supplier settle it themselves by signing a
 * split. Amendments (amount, due date) need every party's signature.
 *
 * Money leaves only by pull: settlements credit a ledger per account and token, and each account withdraws its own
 * (a recipient that refuses ether blocks no one else). Accounting never reads the contract's balance, so ether
 * forced into the contract changes nothing; fee-on-transfer tokens are counted by what arrived.
 *
 * Storage: one slot of mutable state per agreement (state, signatures, funded, total...), one per milestone, and
 * one hash of the agreement's immutable key (parties, arbiters, token, retention, warranty): calls take the
 * `AgreementKey` as the escrow's `keyOf` derives it from the input published in `AgreementCreated` (the SDK does
 * it) and the escrow checks it against the hash. `parties[0]` is the payer, `parties[1]` the supplier; at most 8
 * parties, at most 255 milestones; the native coin is `token == address(0)`.
 */
interface IAgreementEscrow {
    enum State {
        None,
        Draft,
        Signed,
        Funded,
        Closed,
        Completed,
        Cancelled
    }

    enum MilestoneStatus {
        None,
        Pending,
        Submitted,
        Disputed,
        Released,
        Reclaimed,
        Resolved // by a ruling or a mutual settlement
    }

    struct MilestoneInput {
        uint96 amount;
        uint40 dueDate;
        uint8 approvers; // bitmask over parties: bit i = parties[i] may approve
        uint8 threshold; // approvals needed (k of the approvers)
    }

    struct AgreementInput {
        address[] parties; // [payer, supplier, other signers...], at most 8, distinct
        address[] arbiters; // one ARBITER, or a panel of ARBITERs
        uint8 arbiterThreshold; // votes on the same split a ruling needs (1 for a single arbiter)
        address token; // an allow-listed ERC-20, or address(0) for the native coin
        uint16 retentionBps; // share of every payment to the supplier held until the warranty ends (basis points)
        uint32 warrantyPeriod; // seconds after closing before the retention is paid
        bytes32 termsHash; // hash of the legal text
        string termsURI; // where the legal text is published
        MilestoneInput[] milestones;
    }

    /// @notice What never changes in an agreement, committed on chain as one hash.
    struct AgreementKey {
        address[] parties;
        address[] arbiters;
        uint8 arbiterThreshold;
        address token;
        uint16 retentionBps;
        uint32 warrantyPeriod;
        uint8 milestoneCount;
    }

    /// @notice An agreement's state, in one storage slot.
    struct AgreementState {
        State state;
        uint8 signedMask; // bit i: parties[i] has signed
        uint40 closedAt;
        uint8 amendments; // also the nonce of the next amendment
        uint96 funded; // what arrived so far, never above the total
        uint96 total; // the sum of the milestone amounts
    }

    /// @notice An agreement's summary.
    struct AgreementView {
        State state;
        uint8 signedMask;
        uint40 closedAt;
        uint8 amendments;
        uint96 funded;
        uint96 total;
        bytes32 keyHash;
        uint256 held; // what the escrow holds for this agreement now
    }

    struct Milestone {
        uint96 amount;
        uint40 dueDate;
        MilestoneStatus status;
        uint8 approvers;
        uint8 threshold;
        uint8 approvals; // bitmask of the parties that approved
        uint88 retained; // retention held back from the supplier's share
    }

    // ------------------------------------------------------------------ events

    event AgreementCreated(
        uint256 indexed agreementId,
        address indexed payer,
        address indexed supplier,
        address creator,
        uint96 total,
        AgreementInput input
    );
    /// @notice The parties in `signedBy` (bitmask) signed; `signedMask` is everyone who has signed so far.
    event AgreementSigned(uint256 indexed agreementId, uint8 signedBy, uint8 signedMask);
    /// @notice Every party has signed: the agreement awaits its funding.
    event AgreementActivated(uint256 indexed agreementId);
    /// @notice `received` arrived from `funder` (what actually arrived, not what was sent).
    event AgreementFunded(uint256 indexed agreementId, address indexed funder, uint256 received, uint256 funded);
    event AgreementCancelled(uint256 indexed agreementId, address indexed by);
    event AgreementClosed(uint256 indexed agreementId, uint256 retained);
    event RetentionReleased(uint256 indexed agreementId, uint256 amount);
    event MilestoneAmended(uint256 indexed agreementId, uint8 indexed milestone, uint96 amount, uint40 dueDate);
    event MilestoneSubmitted(uint256 indexed agreementId, uint8 indexed milestone, bytes32 deliverableHash);
    event MilestoneApproved(uint256 indexed agreementId, uint8 indexed milestone, address indexed approver);
    event MilestoneReleased(uint256 indexed agreementId, uint8 indexed milestone, uint256 paid, uint256 retained);
    event MilestoneReclaimed(uint256 indexed agreementId, uint8 indexed milestone, uint256 amount);
    event MilestoneDisputed(
        uint256 indexed agreementId,
        uint8 indexed milestone,
        address indexed party,
        string evidenceURI
    );
    event ArbiterVoted(
        uint256 indexed agreementId,
        uint8 indexed milestone,
        address indexed arbiter,
        uint96 toSupplier
    );
    /// @notice A dispute ended: `toSupplier` (before retention) to the supplier, the rest back to the payer.
    event MilestoneResolved(uint256 indexed agreementId, uint8 indexed milestone, uint96 toSupplier, bool settled);
    event Credited(address indexed account, address indexed token, uint256 amount);
    event Withdrawn(address indexed account, address indexed token, address to, uint256 amount);
    event TokenAllowed(address indexed token, bool allowed);

    // ------------------------------------------------------------------ errors

    /// @notice The input names `count` parties: 2 to 8, distinct and non-zero are needed.
    error AgreementEscrowInvalidParties(uint256 count);
    error AgreementEscrowInvalidArbiters(uint256 count, uint8 threshold);
    error AgreementEscrowInvalidMilestone(uint256 index);
    error AgreementEscrowInvalidRetention(uint16 retentionBps);
    error AgreementEscrowTokenNotAllowed(address token);
    error AgreementEscrowAlreadyExists(uint256 agreementId);
    error AgreementEscrowUnknownAgreement(uint256 agreementId);
    /// @notice The operation needs the agreement in `expected`; it is in `actual`.
    error AgreementEscrowWrongState(uint256 agreementId, State actual, State expected);
    /// @notice The `AgreementKey` given is not the agreement's.
    error AgreementEscrowWrongKey(uint256 agreementId);
    error AgreementEscrowNotParty(uint256 agreementId, address account);
    error AgreementEscrowNotPayer(uint256 agreementId, address account);
    error AgreementEscrowNotSupplier(uint256 agreementId, address account);
    error AgreementEscrowNotApprover(uint256 agreementId, uint8 milestone, address account);
    error AgreementEscrowNotArbiter(uint256 agreementId, address account);
    error AgreementEscrowAlreadyApproved(uint256 agreementId, uint8 milestone, address approver);
    error AgreementEscrowAlreadyVoted(uint256 agreementId, uint8 milestone, address arbiter);
    error AgreementEscrowUnknownMilestone(uint256 agreementId, uint8 milestone);
    /// @notice Milestone `milestone` is `status`, which does not allow the operation.
    error AgreementEscrowWrongMilestoneStatus(uint256 agreementId, uint8 milestone, MilestoneStatus status);
    /// @notice Not reclaimable before `reclaimableAt` (the due date plus one block period of tolerance).
    error AgreementEscrowNotDue(uint256 agreementId, uint8 milestone, uint256 reclaimableAt);
    /// @notice A split gives the supplier `toSupplier` of a milestone of `amount`.
    error AgreementEscrowInvalidSplit(uint256 agreementId, uint8 milestone, uint96 toSupplier, uint96 amount);
    /// @notice The signature of `signer` (party `index`) is invalid.
    error AgreementEscrowInvalidSignature(uint256 index, address signer);
    error AgreementEscrowExpiredSignature(uint256 deadline);
    /// @notice Native coin funding must send exactly `amount` as value (got `value`); ERC-20 funding none.
    error AgreementEscrowWrongValue(uint256 amount, uint256 value);
    error AgreementEscrowNotSettled(uint256 agreementId, uint8 milestone);
    /// @notice The retention is paid from `releasableAt`.
    error AgreementEscrowWarrantyRunning(uint256 agreementId, uint256 releasableAt);
    error AgreementEscrowNothingToWithdraw(address account, address token);
    error AgreementEscrowTransferFailed(address to, uint256 amount);
    /// @notice Withdrawals need a recipient: address(0) would burn the money.
    error AgreementEscrowZeroRecipient();

    // ------------------------------------------------------------------ agreements

    /**
     * @notice Creates an agreement with id `uint256(keccak256(abi.encode(input, salt)))`. `signatures[i]`, when not
     * empty, is parties[i]'s EIP-712 `Sign(uint256 agreementId)`; with every party's signature (the creator's own
     * counts if it is a party) the agreement is Signed at once. `signatures` may be empty.
     */
    function create(
        AgreementInput calldata input,
        bytes32 salt,
        bytes[] calldata signatures
    ) external returns (uint256 agreementId);

    /// @notice Adds signatures (`signatures[i]` for parties[i], empty to skip) and the caller's own if it is a party.
    function sign(uint256 agreementId, AgreementKey calldata key, bytes[] calldata signatures) external;

    /// @notice Any party cancels a Draft or Signed agreement; partial funding is credited back to the payer.
    function cancel(uint256 agreementId, AgreementKey calldata key) external;

    /**
     * @notice Funds a Signed agreement with `amount` of its token (approve first) or of the native coin (as value).
     * What arrives counts; beyond the total it is credited back to the payer. Reaching the total makes it Funded.
     */
    function fund(uint256 agreementId, AgreementKey calldata key, uint256 amount) external payable;

    /**
     * @notice Changes the amount and due date of unsettled milestone `milestone`, with every party's EIP-712
     * `Amend(uint256 agreementId,uint8 milestone,uint96 amount,uint40 dueDate,uint8 nonce)` (nonce: amendments so
     * far). A lower amount is credited back to the payer; a higher one needs funding again before anything releases.
     */
    function amend(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 amount,
        uint40 dueDate,
        bytes[] calldata signatures
    ) external;

    /// @notice Closes a Funded agreement whose milestones are all settled (anyone may call).
    function close(uint256 agreementId, AgreementKey calldata key) external;

    /// @notice Pays the retention to the supplier once the warranty period after closing has passed (anyone).
    function releaseRetention(uint256 agreementId, AgreementKey calldata key) external;

    // ------------------------------------------------------------------ milestones

    function submit(uint256 agreementId, AgreementKey calldata key, uint8 milestone, bytes32 deliverableHash) external;

    /// @notice The caller approves a submitted milestone; the k-th approval releases it.
    function approve(uint256 agreementId, AgreementKey calldata key, uint8 milestone) external;

    /// @notice The payer takes back a milestone past its due date with nothing delivered.
    function reclaim(uint256 agreementId, AgreementKey calldata key, uint8 milestone) external;

    function dispute(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        string calldata evidenceURI
    ) external;

    /**
     * @notice An arbiter rules (single arbiter) or votes (panel) how a disputed milestone splits: `toSupplier` to
     * the supplier (less retention), the rest to the payer. A panel rules when `arbiterThreshold` votes agree.
     */
    function rule(uint256 agreementId, AgreementKey calldata key, uint8 milestone, uint96 toSupplier) external;

    /**
     * @notice Payer and supplier settle an unsettled milestone themselves: both sign EIP-712
     * `Settle(uint256 agreementId,uint8 milestone,uint96 toSupplier,uint256 deadline)`; anyone submits.
     */
    function settle(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 toSupplier,
        uint256 deadline,
        bytes calldata payerSignature,
        bytes calldata supplierSignature
    ) external;

    // ------------------------------------------------------------------ payments

    /// @notice Sends the caller's whole balance of `token` (address(0): native coin) to `to`.
    function withdraw(address token, address to) external;

    /// @notice Allows or disallows an ERC-20 for new agreements (ADMIN).
    function setTokenAllowed(address token, bool allowed) external;

    // ------------------------------------------------------------------ views

    function agreementIdOf(AgreementInput calldata input, bytes32 salt) external pure returns (uint256);

    /// @notice The immutable key of an agreement created with `input`.
    function keyOf(AgreementInput calldata input) external pure returns (AgreementKey memory);

    function agreementOf(uint256 agreementId) external view returns (AgreementView memory);

    function milestoneOf(uint256 agreementId, uint8 milestone) external view returns (Milestone memory);

    /// @notice What `account` may withdraw in `token`.
    function balanceOf(address account, address token) external view returns (uint256);

    function isTokenAllowed(address token) external view returns (bool);
}
