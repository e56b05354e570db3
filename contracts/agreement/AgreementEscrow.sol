// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ReentrancyGuardUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardUpgradeable.sol";
import {GovServiceBase} from "../governance/GovServiceBase.sol";
import {GovRoles} from "../governance/GovRoles.sol";
import {GovEIP712} from "../libraries/GovEIP712.sol";
import {GovSignatures} from "../libraries/GovSignatures.sol";
import {IAgreementEscrow} from "../interfaces/IAgreementEscrow.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title AgreementEscrow
 * @notice Escrowed multi-party agreements paid by milestone. See {IAgreementEscrow}.
 * @dev Per agreement: one slot of state, one hash of the immutable key, one slot per milestone. Invariant: while
 * Funded, the escrow holds for an agreement exactly the amounts of its unsettled milestones plus the retention
 * held; everything else has been credited to a ledger, and the ledgers are paid out only by `withdraw`.
 */
contract AgreementEscrow is GovServiceBase, ReentrancyGuardUpgradeable, GovEIP712, IAgreementEscrow {
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:govchain.AgreementEscrow
    struct AgreementEscrowStorage {
        mapping(uint256 agreementId => AgreementState) agreements;
        mapping(uint256 agreementId => bytes32) keyHashes;
        mapping(uint256 agreementId => mapping(uint8 index => Milestone)) milestones;
        // What each account may withdraw, stored as amount + 1 once touched: a slot emptied by a withdrawal stays
        // non-zero, so the next credit costs a storage update (2,900 gas), not a new slot (20,000).
        mapping(address account => mapping(address token => uint256)) ledger;
        mapping(address token => bool) allowedTokens;
        // Panel votes: keccak(agreementId, milestone) -> arbiters who voted (bitmask);
        // keccak(agreementId, milestone, toSupplier) -> arbiters who voted that split (bitmask).
        mapping(bytes32 key => uint256 mask) votes;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.AgreementEscrow")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x4afa1a20f01eca938df6d0102731efa157a587a2cac11fa80d7eecc1333de200;

    uint256 private constant MAX_PARTIES = 8;
    uint256 private constant MAX_ARBITERS = 16;
    uint256 private constant MAX_MILESTONES = 255;
    uint16 private constant MAX_RETENTION_BPS = 5000;
    /// @dev Validators set block timestamps: a due date counts as passed one block period (Clique/QBFT) later.
    uint256 private constant TIMESTAMP_TOLERANCE = 15 seconds;

    bytes32 private constant NAME_HASH = keccak256("GovChain AgreementEscrow");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant SIGN_TYPEHASH = keccak256("Sign(uint256 agreementId)");
    bytes32 private constant AMEND_TYPEHASH = keccak256(
        "Amend(uint256 agreementId,uint8 milestone,uint96 amount,uint40 dueDate,uint8 nonce)"
    );
    bytes32 private constant SETTLE_TYPEHASH = keccak256(
        "Settle(uint256 agreementId,uint8 milestone,uint96 toSupplier,uint256 deadline)"
    );

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
        __ReentrancyGuard_init();
    }

    /// @inheritdoc IGovService
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ================================================================== agreements

    /// @inheritdoc IAgreementEscrow
    function create(
        AgreementInput calldata input,
        bytes32 salt,
        bytes[] calldata signatures
    ) external whenNotPaused returns (uint256 agreementId) {
        _validate(input);
        agreementId = agreementIdOf(input, salt);
        uint8 signed = _collect(agreementId, input.parties, signatures);
        bool complete = signed == _allMask(input.parties.length);
        uint96 total = _store(agreementId, input, complete ? State.Signed : State.Draft, signed);
        emit AgreementCreated(agreementId, input.parties[0], input.parties[1], msg.sender, total, input);
        if (signed != 0) emit AgreementSigned(agreementId, signed, signed);
        if (complete) emit AgreementActivated(agreementId);
    }

    /// @inheritdoc IAgreementEscrow
    function sign(uint256 agreementId, AgreementKey calldata key, bytes[] calldata signatures) external whenNotPaused {
        AgreementState storage agreement = _inState(agreementId, key, State.Draft);
        uint8 before = agreement.signedMask;
        uint8 signed = before | _collect(agreementId, key.parties, signatures);
        agreement.signedMask = signed;
        emit AgreementSigned(agreementId, signed & ~before, signed);
        if (signed == _allMask(key.parties.length)) {
            agreement.state = State.Signed;
            emit AgreementActivated(agreementId);
        }
    }

    /// @inheritdoc IAgreementEscrow
    function cancel(uint256 agreementId, AgreementKey calldata key) external whenNotPaused {
        AgreementState storage agreement = _existing(agreementId, key);
        State state = agreement.state;
        if (state != State.Draft && state != State.Signed) {
            revert AgreementEscrowWrongState(agreementId, state, State.Signed);
        }
        _partyIndex(agreementId, key.parties, msg.sender);
        uint96 funded = agreement.funded;
        agreement.state = State.Cancelled;
        agreement.funded = 0;
        if (funded != 0) _credit(_storage(), key.parties[0], key.token, funded);
        emit AgreementCancelled(agreementId, msg.sender);
    }

    /// @inheritdoc IAgreementEscrow
    function fund(
        uint256 agreementId,
        AgreementKey calldata key,
        uint256 amount
    ) external payable whenNotPaused nonReentrant {
        AgreementState storage agreement = _inState(agreementId, key, State.Signed);
        address token = key.token;
        uint256 received;
        if (token == address(0)) {
            if (msg.value != amount) revert AgreementEscrowWrongValue(amount, msg.value);
            received = amount;
        } else {
            if (msg.value != 0) revert AgreementEscrowWrongValue(0, msg.value);
            uint256 balance = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            received = IERC20(token).balanceOf(address(this)) - balance;
        }
        uint256 funded = agreement.funded + received;
        uint96 total = agreement.total;
        if (funded >= total) {
            // Beyond the total goes back to whoever sent it: the escrow keeps exactly what the milestones need.
            if (funded != total) _credit(_storage(), msg.sender, token, funded - total);
            funded = total;
            agreement.state = State.Funded;
        }
        agreement.funded = uint96(funded); // <= total, a uint96
        emit AgreementFunded(agreementId, msg.sender, received, funded);
    }

    /// @inheritdoc IAgreementEscrow
    function amend(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 amount,
        uint40 dueDate,
        bytes[] calldata signatures
    ) external whenNotPaused {
        AgreementState storage agreement = _existing(agreementId, key);
        State state = agreement.state;
        if (state != State.Signed && state != State.Funded) {
            revert AgreementEscrowWrongState(agreementId, state, State.Funded);
        }
        Milestone storage m = _milestone(agreementId, key, milestone);
        MilestoneStatus status = m.status;
        if (status != MilestoneStatus.Pending && status != MilestoneStatus.Submitted) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, status);
        }
        if (amount == 0) revert AgreementEscrowInvalidMilestone(milestone);
        _retention(amount, key.retentionBps);
        uint8 nonce = agreement.amendments;
        bytes32 digest = _hashTypedData(
            keccak256(abi.encode(AMEND_TYPEHASH, agreementId, milestone, amount, dueDate, nonce))
        );
        _requireAll(key.parties, digest, signatures);
        agreement.amendments = nonce + 1;
        _reprice(agreement, m, key, amount, dueDate);
        emit MilestoneAmended(agreementId, milestone, amount, dueDate);
    }

    /// @inheritdoc IAgreementEscrow
    function close(uint256 agreementId, AgreementKey calldata key) external whenNotPaused {
        AgreementState storage agreement = _inState(agreementId, key, State.Funded);
        uint256 retained = 0;
        mapping(uint8 => Milestone) storage milestones = _storage().milestones[agreementId];
        uint8 count = key.milestoneCount;
        for (uint8 i = 0; i < count; ++i) {
            Milestone storage m = milestones[i];
            if (!_settled(m.status)) revert AgreementEscrowNotSettled(agreementId, i);
            retained += m.retained;
        }
        agreement.closedAt = uint40(block.timestamp);
        agreement.state = retained == 0 ? State.Completed : State.Closed;
        emit AgreementClosed(agreementId, retained);
    }

    /// @inheritdoc IAgreementEscrow
    function releaseRetention(uint256 agreementId, AgreementKey calldata key) external whenNotPaused {
        AgreementEscrowStorage storage $ = _storage();
        AgreementState storage agreement = _inState(agreementId, key, State.Closed);
        uint256 releasableAt = uint256(agreement.closedAt) + key.warrantyPeriod;
        if (block.timestamp < releasableAt) revert AgreementEscrowWarrantyRunning(agreementId, releasableAt);
        uint256 retained = 0;
        mapping(uint8 => Milestone) storage milestones = $.milestones[agreementId];
        uint8 count = key.milestoneCount;
        for (uint8 i = 0; i < count; ++i) {
            retained += milestones[i].retained;
            milestones[i].retained = 0;
        }
        agreement.state = State.Completed;
        _credit($, key.parties[1], key.token, retained);
        emit RetentionReleased(agreementId, retained);
    }

    // ================================================================== milestones

    /// @inheritdoc IAgreementEscrow
    function submit(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        bytes32 deliverableHash
    ) external whenNotPaused {
        _inState(agreementId, key, State.Funded);
        if (msg.sender != key.parties[1]) revert AgreementEscrowNotSupplier(agreementId, msg.sender);
        Milestone storage m = _milestone(agreementId, key, milestone);
        if (m.status != MilestoneStatus.Pending) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, m.status);
        }
        m.status = MilestoneStatus.Submitted;
        emit MilestoneSubmitted(agreementId, milestone, deliverableHash);
    }

    /// @inheritdoc IAgreementEscrow
    function approve(uint256 agreementId, AgreementKey calldata key, uint8 milestone) external whenNotPaused {
        _inState(agreementId, key, State.Funded);
        Milestone storage m = _milestone(agreementId, key, milestone);
        if (m.status != MilestoneStatus.Submitted) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, m.status);
        }
        uint8 bit = uint8(1 << _partyIndex(agreementId, key.parties, msg.sender));
        if (m.approvers & bit == 0) revert AgreementEscrowNotApprover(agreementId, milestone, msg.sender);
        uint8 approvals = m.approvals;
        if (approvals & bit != 0) revert AgreementEscrowAlreadyApproved(agreementId, milestone, msg.sender);
        approvals |= bit;
        m.approvals = approvals;
        emit MilestoneApproved(agreementId, milestone, msg.sender);
        if (_popcount(approvals) >= m.threshold) {
            uint96 amount = m.amount;
            uint88 retained = _retention(amount, key.retentionBps);
            m.status = MilestoneStatus.Released;
            m.retained = retained;
            _credit(_storage(), key.parties[1], key.token, amount - retained);
            emit MilestoneReleased(agreementId, milestone, amount - retained, retained);
        }
    }

    /// @inheritdoc IAgreementEscrow
    function reclaim(uint256 agreementId, AgreementKey calldata key, uint8 milestone) external whenNotPaused {
        _inState(agreementId, key, State.Funded);
        if (msg.sender != key.parties[0]) revert AgreementEscrowNotPayer(agreementId, msg.sender);
        Milestone storage m = _milestone(agreementId, key, milestone);
        if (m.status != MilestoneStatus.Pending) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, m.status);
        }
        uint256 reclaimableAt = uint256(m.dueDate) + TIMESTAMP_TOLERANCE + 1;
        if (block.timestamp < reclaimableAt) revert AgreementEscrowNotDue(agreementId, milestone, reclaimableAt);
        m.status = MilestoneStatus.Reclaimed;
        uint96 amount = m.amount;
        _credit(_storage(), msg.sender, key.token, amount);
        emit MilestoneReclaimed(agreementId, milestone, amount);
    }

    /// @inheritdoc IAgreementEscrow
    function dispute(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        string calldata evidenceURI
    ) external whenNotPaused {
        _inState(agreementId, key, State.Funded);
        _partyIndex(agreementId, key.parties, msg.sender);
        Milestone storage m = _milestone(agreementId, key, milestone);
        MilestoneStatus status = m.status;
        if (status != MilestoneStatus.Pending && status != MilestoneStatus.Submitted) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, status);
        }
        m.status = MilestoneStatus.Disputed;
        emit MilestoneDisputed(agreementId, milestone, msg.sender, evidenceURI);
    }

    /// @inheritdoc IAgreementEscrow
    function rule(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 toSupplier
    ) external whenNotPaused {
        Milestone storage m = _splittable(agreementId, key, milestone, toSupplier);
        if (m.status != MilestoneStatus.Disputed) {
            revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, m.status);
        }
        uint256 bit = 1 << _arbiterIndex(agreementId, key.arbiters, msg.sender);
        if (key.arbiterThreshold > 1) {
            AgreementEscrowStorage storage $ = _storage();
            bytes32 votersKey = keccak256(abi.encode(agreementId, milestone));
            uint256 voters = $.votes[votersKey];
            if (voters & bit != 0) revert AgreementEscrowAlreadyVoted(agreementId, milestone, msg.sender);
            $.votes[votersKey] = voters | bit;
            bytes32 splitKey = keccak256(abi.encode(agreementId, milestone, toSupplier));
            uint256 agreeing = $.votes[splitKey] | bit;
            $.votes[splitKey] = agreeing;
            emit ArbiterVoted(agreementId, milestone, msg.sender, toSupplier);
            if (_popcount(agreeing) < key.arbiterThreshold) return;
        }
        _resolve(agreementId, key, m, milestone, toSupplier, false);
    }

    /// @inheritdoc IAgreementEscrow
    function settle(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 toSupplier,
        uint256 deadline,
        bytes calldata payerSignature,
        bytes calldata supplierSignature
    ) external whenNotPaused {
        Milestone storage m = _splittable(agreementId, key, milestone, toSupplier);
        _checkSettlement(agreementId, key.parties, milestone, toSupplier, deadline, payerSignature, supplierSignature);
        _resolve(agreementId, key, m, milestone, toSupplier, true);
    }

    // ================================================================== payments

    /// @inheritdoc IAgreementEscrow
    /// @dev No reentrancy guard needed: the ledger is emptied before anything is sent (checks-effects-interactions),
    /// so a re-entering recipient finds nothing more to take.
    function withdraw(address token, address to) external {
        if (to == address(0)) revert AgreementEscrowZeroRecipient();
        mapping(address => uint256) storage balances = _storage().ledger[msg.sender];
        uint256 stored = balances[token];
        if (stored <= 1) revert AgreementEscrowNothingToWithdraw(msg.sender, token);
        balances[token] = 1;
        uint256 amount = stored - 1;
        emit Withdrawn(msg.sender, token, to, amount);
        if (token == address(0)) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert AgreementEscrowTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @inheritdoc IAgreementEscrow
    function setTokenAllowed(address token, bool allowed) external restricted {
        if (token == address(0)) revert AgreementEscrowTokenNotAllowed(token);
        _storage().allowedTokens[token] = allowed;
        emit TokenAllowed(token, allowed);
    }

    // ================================================================== views

    /// @inheritdoc IAgreementEscrow
    function agreementIdOf(AgreementInput calldata input, bytes32 salt) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(input, salt)));
    }

    /// @inheritdoc IAgreementEscrow
    function keyOf(AgreementInput calldata input) public pure returns (AgreementKey memory) {
        return
            AgreementKey({
                parties: input.parties,
                arbiters: input.arbiters,
                arbiterThreshold: input.arbiterThreshold,
                token: input.token,
                retentionBps: input.retentionBps,
                warrantyPeriod: input.warrantyPeriod,
                milestoneCount: uint8(input.milestones.length)
            });
    }

    /// @inheritdoc IAgreementEscrow
    function agreementOf(uint256 agreementId) external view returns (AgreementView memory) {
        AgreementEscrowStorage storage $ = _storage();
        AgreementState memory a = $.agreements[agreementId];
        return
            AgreementView({
                state: a.state,
                signedMask: a.signedMask,
                closedAt: a.closedAt,
                amendments: a.amendments,
                funded: a.funded,
                total: a.total,
                keyHash: $.keyHashes[agreementId],
                held: _held($, agreementId, a.state, a.funded)
            });
    }

    /// @inheritdoc IAgreementEscrow
    function milestoneOf(uint256 agreementId, uint8 milestone) external view returns (Milestone memory) {
        return _storage().milestones[agreementId][milestone];
    }

    /// @inheritdoc IAgreementEscrow
    function balanceOf(address account, address token) external view returns (uint256) {
        uint256 stored = _storage().ledger[account][token];
        return stored == 0 ? 0 : stored - 1;
    }

    /// @inheritdoc IAgreementEscrow
    function isTokenAllowed(address token) external view returns (bool) {
        return _storage().allowedTokens[token];
    }

    // ================================================================== internals

    /// @dev Records a new agreement (Draft, or Signed when every party signed): its state, key hash and milestones.
    function _store(
        uint256 agreementId,
        AgreementInput calldata input,
        State state,
        uint8 signed
    ) private returns (uint96) {
        AgreementEscrowStorage storage $ = _storage();
        AgreementState storage agreement = $.agreements[agreementId];
        if (agreement.state != State.None) revert AgreementEscrowAlreadyExists(agreementId);
        uint256 count = input.milestones.length;
        uint256 total = 0;
        mapping(uint8 => Milestone) storage milestones = $.milestones[agreementId];
        for (uint256 i = 0; i < count; ++i) {
            MilestoneInput calldata m = input.milestones[i];
            total += m.amount;
            milestones[uint8(i)] = Milestone(
                m.amount,
                m.dueDate,
                MilestoneStatus.Pending,
                m.approvers,
                m.threshold,
                0,
                0
            );
        }
        if (total > type(uint96).max) revert AgreementEscrowInvalidMilestone(count);
        $.keyHashes[agreementId] = keccak256(abi.encode(keyOf(input)));
        $.agreements[agreementId] = AgreementState(state, signed, 0, 0, 0, uint96(total));
        return uint96(total);
    }

    function _validate(AgreementInput calldata input) private view {
        uint256 parties = input.parties.length;
        if (parties < 2 || parties > MAX_PARTIES) revert AgreementEscrowInvalidParties(parties);
        for (uint256 i = 0; i < parties; ++i) {
            address party = input.parties[i];
            if (party == address(0)) revert AgreementEscrowInvalidParties(parties);
            for (uint256 j = 0; j < i; ++j) {
                if (input.parties[j] == party) revert AgreementEscrowInvalidParties(parties);
            }
        }
        uint256 arbiters = input.arbiters.length;
        uint8 threshold = input.arbiterThreshold;
        if (arbiters == 0 || arbiters > MAX_ARBITERS || threshold == 0 || threshold > arbiters) {
            revert AgreementEscrowInvalidArbiters(arbiters, threshold);
        }
        if (input.token != address(0) && !_storage().allowedTokens[input.token]) {
            revert AgreementEscrowTokenNotAllowed(input.token);
        }
        if (input.retentionBps > MAX_RETENTION_BPS) revert AgreementEscrowInvalidRetention(input.retentionBps);
        uint256 count = input.milestones.length;
        if (count == 0 || count > MAX_MILESTONES) revert AgreementEscrowInvalidMilestone(count);
        uint256 all = _allMask(parties);
        for (uint256 i = 0; i < count; ++i) {
            MilestoneInput calldata m = input.milestones[i];
            if (
                m.amount == 0 ||
                m.approvers == 0 ||
                m.approvers & ~all != 0 ||
                m.threshold == 0 ||
                m.threshold > _popcount(m.approvers)
            ) revert AgreementEscrowInvalidMilestone(i);
            _retention(m.amount, input.retentionBps);
        }
    }

    /// @dev The parties whose signature of `agreementId` is given (or who call), as a bitmask.
    function _collect(
        uint256 agreementId,
        address[] calldata parties,
        bytes[] calldata signatures
    ) private view returns (uint8 signed) {
        uint256 count = parties.length;
        bool any = signatures.length != 0;
        if (any && signatures.length != count) revert AgreementEscrowInvalidSignature(signatures.length, address(0));
        bytes32 digest = any ? _hashTypedData(keccak256(abi.encode(SIGN_TYPEHASH, agreementId))) : bytes32(0);
        for (uint256 i = 0; i < count; ++i) {
            address party = parties[i];
            if (party == msg.sender) {
                signed |= uint8(1 << i);
            } else if (any && signatures[i].length != 0) {
                if (!GovSignatures.isValidNow(party, digest, signatures[i])) {
                    revert AgreementEscrowInvalidSignature(i, party);
                }
                signed |= uint8(1 << i);
            }
        }
    }

    /// @dev Milestone `m` now costs `amount`: the total follows; funding above it goes back to the payer, and below
    /// it the agreement waits for funding again before anything releases.
    function _reprice(
        AgreementState storage agreement,
        Milestone storage m,
        AgreementKey calldata key,
        uint96 amount,
        uint40 dueDate
    ) private {
        uint96 total = agreement.total - m.amount + amount;
        m.amount = amount;
        m.dueDate = dueDate;
        agreement.total = total;
        uint96 funded = agreement.funded;
        if (funded > total) {
            _credit(_storage(), key.parties[0], key.token, funded - total);
            funded = total;
            agreement.funded = funded;
        }
        agreement.state = funded == total ? State.Funded : State.Signed;
    }

    /// @dev Every party signed `digest`.
    function _requireAll(address[] calldata parties, bytes32 digest, bytes[] calldata signatures) private view {
        uint256 count = parties.length;
        if (signatures.length != count) revert AgreementEscrowInvalidSignature(signatures.length, address(0));
        for (uint256 i = 0; i < count; ++i) {
            if (!GovSignatures.isValidNow(parties[i], digest, signatures[i])) {
                revert AgreementEscrowInvalidSignature(i, parties[i]);
            }
        }
    }

    /// @dev An unsettled milestone of a Funded agreement, and a split of it that gives the supplier at most all.
    function _splittable(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone,
        uint96 toSupplier
    ) private view returns (Milestone storage m) {
        _inState(agreementId, key, State.Funded);
        m = _milestone(agreementId, key, milestone);
        MilestoneStatus status = m.status;
        if (_settled(status)) revert AgreementEscrowWrongMilestoneStatus(agreementId, milestone, status);
        if (toSupplier > m.amount) revert AgreementEscrowInvalidSplit(agreementId, milestone, toSupplier, m.amount);
    }

    /// @dev Both sides signed the split before `deadline`.
    function _checkSettlement(
        uint256 agreementId,
        address[] calldata parties,
        uint8 milestone,
        uint96 toSupplier,
        uint256 deadline,
        bytes calldata payerSignature,
        bytes calldata supplierSignature
    ) private view {
        if (block.timestamp > deadline) revert AgreementEscrowExpiredSignature(deadline);
        bytes32 digest = _hashTypedData(
            keccak256(abi.encode(SETTLE_TYPEHASH, agreementId, milestone, toSupplier, deadline))
        );
        if (!GovSignatures.isValidNow(parties[0], digest, payerSignature)) {
            revert AgreementEscrowInvalidSignature(0, parties[0]);
        }
        if (!GovSignatures.isValidNow(parties[1], digest, supplierSignature)) {
            revert AgreementEscrowInvalidSignature(1, parties[1]);
        }
    }

    /// @dev Ends a dispute (or settles): `toSupplier` less retention to the supplier, the rest to the payer.
    function _resolve(
        uint256 agreementId,
        AgreementKey calldata key,
        Milestone storage m,
        uint8 milestone,
        uint96 toSupplier,
        bool settled
    ) private {
        AgreementEscrowStorage storage $ = _storage();
        uint88 retained = _retention(toSupplier, key.retentionBps);
        uint96 toPayer = m.amount - toSupplier;
        m.status = MilestoneStatus.Resolved;
        m.retained = retained;
        if (toSupplier != retained) _credit($, key.parties[1], key.token, toSupplier - retained);
        if (toPayer != 0) _credit($, key.parties[0], key.token, toPayer);
        emit MilestoneResolved(agreementId, milestone, toSupplier, settled);
    }

    function _credit(AgreementEscrowStorage storage $, address account, address token, uint256 amount) private {
        mapping(address => uint256) storage balances = $.ledger[account];
        uint256 stored = balances[token];
        balances[token] = (stored == 0 ? 1 : stored) + amount;
        emit Credited(account, token, amount);
    }

    /// @dev What the escrow holds for an agreement: its funding until Funded, then what is unsettled or retained.
    function _held(
        AgreementEscrowStorage storage $,
        uint256 agreementId,
        State state,
        uint96 funded
    ) private view returns (uint256 held) {
        if (state == State.Draft || state == State.Signed) return funded;
        if (state != State.Funded && state != State.Closed) return 0;
        mapping(uint8 => Milestone) storage milestones = $.milestones[agreementId];
        for (uint256 i = 0; i < MAX_MILESTONES; ++i) {
            Milestone memory m = milestones[uint8(i)];
            if (m.status == MilestoneStatus.None) break;
            held += _settled(m.status) ? m.retained : m.amount;
        }
    }

    function _partyIndex(
        uint256 agreementId,
        address[] calldata parties,
        address account
    ) private pure returns (uint256) {
        for (uint256 i = 0; i < parties.length; ++i) {
            if (parties[i] == account) return i;
        }
        revert AgreementEscrowNotParty(agreementId, account);
    }

    /// @dev The index of `account` among the arbiters, which must still hold the ARBITER role.
    function _arbiterIndex(
        uint256 agreementId,
        address[] calldata arbiters,
        address account
    ) private view returns (uint256) {
        for (uint256 i = 0; i < arbiters.length; ++i) {
            if (arbiters[i] == account) {
                (bool isArbiter, ) = IAccessManager(authority()).hasRole(GovRoles.ARBITER, account);
                if (!isArbiter) break;
                return i;
            }
        }
        revert AgreementEscrowNotArbiter(agreementId, account);
    }

    /// @dev The state of an existing agreement whose key is `key`.
    function _existing(
        uint256 agreementId,
        AgreementKey calldata key
    ) private view returns (AgreementState storage agreement) {
        AgreementEscrowStorage storage $ = _storage();
        agreement = $.agreements[agreementId];
        if (agreement.state == State.None) revert AgreementEscrowUnknownAgreement(agreementId);
        if ($.keyHashes[agreementId] != keccak256(abi.encode(key))) revert AgreementEscrowWrongKey(agreementId);
    }

    function _inState(
        uint256 agreementId,
        AgreementKey calldata key,
        State expected
    ) private view returns (AgreementState storage agreement) {
        agreement = _existing(agreementId, key);
        if (agreement.state != expected) revert AgreementEscrowWrongState(agreementId, agreement.state, expected);
    }

    function _milestone(
        uint256 agreementId,
        AgreementKey calldata key,
        uint8 milestone
    ) private view returns (Milestone storage) {
        if (milestone >= key.milestoneCount) revert AgreementEscrowUnknownMilestone(agreementId, milestone);
        return _storage().milestones[agreementId][milestone];
    }

    function _settled(MilestoneStatus status) private pure returns (bool) {
        return
            status == MilestoneStatus.Released ||
            status == MilestoneStatus.Reclaimed ||
            status == MilestoneStatus.Resolved;
    }

    /// @dev Checked: create and amend compute the retention of every full milestone amount, so a milestone whose
    /// retention would not fit is refused up front, and any later split (at most the amount) fits too.
    function _retention(uint96 amount, uint16 retentionBps) private pure returns (uint88) {
        return SafeCast.toUint88((uint256(amount) * retentionBps) / 10_000);
    }

    function _allMask(uint256 parties) private pure returns (uint8) {
        return uint8((1 << parties) - 1);
    }

    function _popcount(uint256 mask) private pure returns (uint256 count) {
        for (; mask != 0; mask &= mask - 1) ++count;
    }

    function _domainNameAndVersion() internal pure override returns (string memory, string memory) {
        return ("GovChain AgreementEscrow", "1");
    }

    function _domainHashes() internal pure override returns (bytes32, bytes32) {
        return (NAME_HASH, VERSION_HASH);
    }

    function _storage() private pure returns (AgreementEscrowStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
