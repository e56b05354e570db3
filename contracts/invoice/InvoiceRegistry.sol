// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {GovServiceBase} from "../governance/GovServiceBase.sol";
import {GovEIP712} from "../libraries/GovEIP712.sol";
import {GovSignatures} from "../libraries/GovSignatures.sol";
import {TaxPeriod} from "../libraries/TaxPeriod.sol";
import {IInvoiceRegistry} from "../interfaces/IInvoiceRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title InvoiceRegistry
 * @notice Tokenized e-invoices. See {IInvoiceRegistry}.
 * @dev A compact ERC-721: the holder lives in the invoice's state slot (with its status), so minting an invoice
 * writes two fresh slots (state and data hash) instead of four. Transfers follow the receivable: only while unpaid
 * and not frozen, never for credit notes.
 */
contract InvoiceRegistry is GovServiceBase, GovEIP712, IInvoiceRegistry, IERC721Metadata {
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:govchain.InvoiceRegistry
    struct InvoiceRegistryStorage {
        IDIDRegistry dids;
        int32 timezoneOffset;
        uint32 voidWindow;
        uint32 participantCount;
        mapping(uint256 invoiceId => InvoiceState) states;
        mapping(uint256 invoiceId => bytes32) dataHashes;
        mapping(uint256 invoiceId => Settlement) settlements;
        mapping(address account => uint256) balances;
        mapping(uint256 invoiceId => address) approvals;
        mapping(address owner => mapping(address operator => bool)) operators;
        mapping(address account => Participant) participants;
        mapping(uint32 participantId => address) participantAccounts;
        mapping(address seller => mapping(uint32 period => TaxTotals)) taxTotals;
        mapping(address token => PaymentToken) paymentTokens;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.InvoiceRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x93142d17d5f44ff493d55d03dce2b02006743bed44e68eb87cbac2cd4b4c6c00;

    uint8 private constant FROZEN = 1;
    uint8 private constant DEDUCTED = 2;
    uint8 private constant CREDIT_NOTE = 4;
    uint8 private constant SETTLEMENT = 8;

    uint8 private constant SELLER = 1;
    uint8 private constant REIMBURSER = 2;

    int32 private constant MAX_TIMEZONE_OFFSET = 14 hours;

    bytes32 private constant NAME_HASH = keccak256("GovChain InvoiceRegistry");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant ACCEPT_TYPEHASH = keccak256("Accept(uint256 invoiceId,uint256 deadline)");
    bytes32 private constant REIMBURSE_TYPEHASH = keccak256(
        "Reimburse(uint256 invoiceId,address reimburser,bytes32 claimReference,uint256 deadline)"
    );

    function initialize(address authority, address dids) external initializer {
        __GovServiceBase_init(authority);
        _storage().dids = IDIDRegistry(dids);
    }

    /// @inheritdoc IGovService
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ================================================================== tax authority

    /// @inheritdoc IInvoiceRegistry
    function registerParticipant(address account, uint8 capabilities) external restricted {
        if (capabilities > SELLER | REIMBURSER) revert InvoiceRegistryInvalidCapabilities(capabilities);
        InvoiceRegistryStorage storage $ = _storage();
        if (capabilities != 0) {
            // sellers are organizations; a reimburser may also be an agency
            bool active =
                $.dids.isActiveSubject(account, IDIDRegistry.SubjectType.Organization) ||
                    (capabilities & SELLER == 0 && $.dids.isActiveSubject(account, IDIDRegistry.SubjectType.Agency));
            if (!active) revert InvoiceRegistryNotActiveOrganization(account);
        }
        Participant storage participant = $.participants[account];
        uint32 id = participant.id;
        if (id == 0) {
            id = ++$.participantCount;
            participant.id = id;
            $.participantAccounts[id] = account;
        }
        participant.capabilities = capabilities;
        emit ParticipantRegistered(account, id, capabilities);
    }

    /// @inheritdoc IInvoiceRegistry
    function freeze(uint256 invoiceId, bytes32 reasonHash) external restricted {
        InvoiceState storage state = _existing(invoiceId);
        if (state.flags & FROZEN != 0) revert InvoiceRegistryFrozen(invoiceId);
        state.flags |= FROZEN;
        emit InvoiceFrozen(invoiceId, msg.sender, reasonHash);
    }

    /// @inheritdoc IInvoiceRegistry
    function unfreeze(uint256 invoiceId, bytes32 reasonHash) external restricted {
        InvoiceState storage state = _existing(invoiceId);
        if (state.flags & FROZEN == 0) revert InvoiceRegistryNotFrozen(invoiceId);
        state.flags &= ~FROZEN;
        emit InvoiceUnfrozen(invoiceId, msg.sender, reasonHash);
    }

    /// @inheritdoc IInvoiceRegistry
    function setPaymentToken(address token, uint16 currency, uint64 unitScale) external restricted {
        if (token == address(0) || !_validCurrency(currency)) revert InvoiceRegistryTokenNotAllowed(token, currency);
        _storage().paymentTokens[token] = PaymentToken(currency, unitScale);
        emit PaymentTokenSet(token, currency, unitScale);
    }

    /// @inheritdoc IInvoiceRegistry
    function setSettings(int32 timezoneOffset, uint32 voidWindow) external restricted {
        if (timezoneOffset > MAX_TIMEZONE_OFFSET || timezoneOffset < -MAX_TIMEZONE_OFFSET || voidWindow > 366 days) {
            revert InvoiceRegistryInvalidSettings(timezoneOffset, voidWindow);
        }
        InvoiceRegistryStorage storage $ = _storage();
        $.timezoneOffset = timezoneOffset;
        $.voidWindow = voidWindow;
        emit SettingsChanged(timezoneOffset, voidWindow);
    }

    // ================================================================== sellers

    /// @inheritdoc IInvoiceRegistry
    function issue(InvoiceTerms calldata terms) external whenNotPaused returns (uint256 invoiceId) {
        InvoiceRegistryStorage storage $ = _storage();
        _requireSeller($, msg.sender, true);
        uint32 period = _currentPeriod($);
        invoiceId = _mint($, terms, period, 0, 0);
        $.balances[msg.sender] += 1;
        TaxTotals storage totals = $.taxTotals[msg.sender][period];
        totals.taxIssued += terms.tax;
        totals.invoices += 1;
    }

    /// @inheritdoc IInvoiceRegistry
    function issueBatch(InvoiceTerms[] calldata terms) external whenNotPaused returns (uint256[] memory invoiceIds) {
        uint256 count = terms.length;
        if (count == 0) revert InvoiceRegistryEmptyBatch();
        InvoiceRegistryStorage storage $ = _storage();
        _requireSeller($, msg.sender, true);
        uint32 period = _currentPeriod($);
        invoiceIds = new uint256[](count);
        uint96 tax = 0; // checked sum: overflow reverts the batch
        for (uint256 i = 0; i < count; ++i) {
            invoiceIds[i] = _mint($, terms[i], period, 0, 0);
            tax += terms[i].tax;
        }
        $.balances[msg.sender] += count;
        TaxTotals storage totals = $.taxTotals[msg.sender][period];
        totals.taxIssued += tax;
        totals.invoices += SafeCast.toUint32(count);
    }

    /// @inheritdoc IInvoiceRegistry
    function voidInvoice(uint256 invoiceId, Invoice calldata invoice, bytes32 reasonHash) external whenNotPaused {
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState storage state = _checked($, invoiceId, invoice);
        if (msg.sender != invoice.seller) revert InvoiceRegistryNotSeller(invoiceId, msg.sender, invoice.seller);
        Status status = state.status;
        uint8 flags = state.flags;
        if (flags & CREDIT_NOTE != 0) revert InvoiceRegistryIsCreditNote(invoiceId);
        if (status != Status.Issued || flags & SETTLEMENT != 0) {
            // past acceptance only within the window, and only with nothing paid or credited
            uint40 voidableUntil = invoice.issuedAt + $.voidWindow;
            if (status != Status.Accepted || block.timestamp > voidableUntil || flags & SETTLEMENT != 0) {
                revert InvoiceRegistryVoidNotAllowed(invoiceId, status, voidableUntil);
            }
        }
        _setStatus(state, Status.Voided);
        TaxTotals storage totals = $.taxTotals[invoice.seller][invoice.period];
        totals.taxReversed += invoice.terms.tax;
        totals.reversals += 1;
        emit InvoiceVoided(invoiceId, msg.sender, reasonHash);
    }

    /// @inheritdoc IInvoiceRegistry
    function issueCreditNote(
        uint256 originalId,
        Invoice calldata original,
        InvoiceTerms calldata credit
    ) external whenNotPaused returns (uint256 creditNoteId) {
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState storage state = _checked($, originalId, original);
        if (msg.sender != original.seller) revert InvoiceRegistryNotSeller(originalId, msg.sender, original.seller);
        _requireSeller($, msg.sender, false);
        uint8 flags = state.flags;
        if (flags & CREDIT_NOTE != 0) revert InvoiceRegistryIsCreditNote(originalId);
        if (flags & FROZEN != 0) revert InvoiceRegistryFrozen(originalId);
        Status status = state.status;
        if (status == Status.Reimbursed || status == Status.Voided || status == Status.Reversed) {
            revert InvoiceRegistryInvalidStatus(originalId, status);
        }
        if (credit.buyer != original.terms.buyer || credit.currency != original.terms.currency) {
            revert InvoiceRegistryCreditMismatch(originalId);
        }
        Settlement memory settlement = flags & SETTLEMENT != 0 ? $.settlements[originalId] : Settlement(0, 0, 0);
        uint80 remainingAmount = original.terms.amount - settlement.creditedAmount;
        uint80 remainingTax = original.terms.tax - settlement.creditedTax;
        if (credit.amount > remainingAmount || credit.tax > remainingTax) {
            revert InvoiceRegistryCreditExceedsRemaining(
                originalId,
                credit.amount,
                remainingAmount,
                credit.tax,
                remainingTax
            );
        }
        uint32 period = _currentPeriod($);
        creditNoteId = _mint($, credit, period, originalId, CREDIT_NOTE);
        $.balances[msg.sender] += 1;

        settlement.creditedAmount += credit.amount;
        settlement.creditedTax += credit.tax;
        $.settlements[originalId] = settlement;
        state.flags = flags | SETTLEMENT;
        if (credit.amount == remainingAmount && credit.tax == remainingTax) {
            _setStatus(state, Status.Reversed);
        } else if (settlement.paid != 0 && settlement.paid >= _gross(original) - _credited(settlement)) {
            _setStatus(state, Status.Paid);
        }
        TaxTotals storage totals = $.taxTotals[msg.sender][period];
        totals.taxReversed += credit.tax;
        totals.reversals += 1;
        emit InvoiceCredited(originalId, creditNoteId, credit.amount, credit.tax);
    }

    // ================================================================== buyers

    /// @inheritdoc IInvoiceRegistry
    function accept(uint256 invoiceId, Invoice calldata invoice) external whenNotPaused {
        if (msg.sender != invoice.terms.buyer) {
            revert InvoiceRegistryNotBuyer(invoiceId, msg.sender, invoice.terms.buyer);
        }
        _accept(invoiceId, invoice);
    }

    /// @inheritdoc IInvoiceRegistry
    function acceptBySig(
        uint256 invoiceId,
        Invoice calldata invoice,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        _checkSignature(
            invoice.terms.buyer,
            keccak256(abi.encode(ACCEPT_TYPEHASH, invoiceId, deadline)),
            deadline,
            signature
        );
        _accept(invoiceId, invoice);
    }

    /// @inheritdoc IInvoiceRegistry
    function markDeducted(uint256 invoiceId, Invoice calldata invoice) external whenNotPaused {
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState storage state = _checked($, invoiceId, invoice);
        if (msg.sender != invoice.terms.buyer) {
            revert InvoiceRegistryNotBuyer(invoiceId, msg.sender, invoice.terms.buyer);
        }
        uint8 flags = _mutableFlags(invoiceId, state);
        if (flags & DEDUCTED != 0) revert InvoiceRegistryAlreadyDeducted(invoiceId);
        Status status = state.status;
        if (status == Status.Issued || status == Status.Voided || status == Status.Reversed) {
            revert InvoiceRegistryInvalidStatus(invoiceId, status);
        }
        state.flags = flags | DEDUCTED;
        emit InputTaxDeducted(invoiceId, msg.sender, _currentPeriod($));
    }

    // ================================================================== payment

    /// @inheritdoc IInvoiceRegistry
    function pay(uint256 invoiceId, Invoice calldata invoice, address token, uint256 amount) external whenNotPaused {
        InvoiceRegistryStorage storage $ = _storage();
        PaymentToken memory accepted = $.paymentTokens[token];
        if (accepted.unitScale == 0 || accepted.currency != invoice.terms.currency) {
            revert InvoiceRegistryTokenNotAllowed(token, invoice.terms.currency);
        }
        address holder = _settle($, invoiceId, invoice, amount, token, bytes32(0));
        uint256 units = amount * accepted.unitScale;
        uint256 before = IERC20(token).balanceOf(holder);
        IERC20(token).safeTransferFrom(msg.sender, holder, units);
        uint256 received = IERC20(token).balanceOf(holder) - before;
        if (received < units) revert InvoiceRegistryShortTransfer(token, units, received);
    }

    /// @inheritdoc IInvoiceRegistry
    function recordPayment(
        uint256 invoiceId,
        Invoice calldata invoice,
        uint256 amount,
        bytes32 paymentReference
    ) external whenNotPaused {
        _settle(_storage(), invoiceId, invoice, amount, address(0), paymentReference);
    }

    // ================================================================== reimbursement

    /// @inheritdoc IInvoiceRegistry
    function reimburse(uint256 invoiceId, bytes32 claimReference) external whenNotPaused {
        _reimburse(invoiceId, msg.sender, claimReference);
    }

    /// @inheritdoc IInvoiceRegistry
    function reimburseBySig(
        uint256 invoiceId,
        address reimburser,
        bytes32 claimReference,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        _checkSignature(
            reimburser,
            keccak256(abi.encode(REIMBURSE_TYPEHASH, invoiceId, reimburser, claimReference, deadline)),
            deadline,
            signature
        );
        _reimburse(invoiceId, reimburser, claimReference);
    }

    // ================================================================== ERC-721

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IERC721).interfaceId ||
            interfaceId == type(IERC721Metadata).interfaceId;
    }

    /// @inheritdoc IERC721Metadata
    function name() external pure returns (string memory) {
        return "GovChain e-Invoice";
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external pure returns (string memory) {
        return "GINV";
    }

    /// @inheritdoc IERC721Metadata
    /// @dev Invoice content stays off chain: there is no metadata URI to give, only the commitment (`invoiceOf`).
    function tokenURI(uint256 invoiceId) external view returns (string memory) {
        _existing(invoiceId);
        return "";
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _storage().balances[owner];
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 invoiceId) external view returns (address) {
        return _existing(invoiceId).holder;
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 invoiceId) external {
        InvoiceRegistryStorage storage $ = _storage();
        address owner = _existing(invoiceId).holder;
        if (msg.sender != owner && !$.operators[owner][msg.sender]) revert ERC721InvalidApprover(msg.sender);
        $.approvals[invoiceId] = to;
        emit Approval(owner, to, invoiceId);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 invoiceId) external view returns (address) {
        _existing(invoiceId);
        return _storage().approvals[invoiceId];
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) external {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _storage().operators[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) external view returns (bool) {
        return _storage().operators[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 invoiceId) public {
        _transfer(from, to, invoiceId);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 invoiceId) external {
        safeTransferFrom(from, to, invoiceId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 invoiceId, bytes memory data) public {
        _transfer(from, to, invoiceId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, invoiceId, data);
    }

    // ================================================================== views

    /// @inheritdoc IInvoiceRegistry
    function invoiceIdOf(address seller, bytes32 number) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(seller, number)));
    }

    /// @inheritdoc IInvoiceRegistry
    function invoiceOf(uint256 invoiceId) external view returns (InvoiceView memory view_) {
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState memory state = $.states[invoiceId];
        Settlement memory settlement = $.settlements[invoiceId];
        view_ = InvoiceView({
            holder: state.holder,
            status: state.status,
            frozen: state.flags & FROZEN != 0,
            deducted: state.flags & DEDUCTED != 0,
            creditNote: state.flags & CREDIT_NOTE != 0,
            statusChangedAt: state.statusChangedAt,
            reimburser: $.participantAccounts[state.reimburser],
            dataHash: $.dataHashes[invoiceId],
            paid: settlement.paid,
            creditedAmount: settlement.creditedAmount,
            creditedTax: settlement.creditedTax
        });
    }

    /// @inheritdoc IInvoiceRegistry
    function matches(uint256 invoiceId, Invoice calldata invoice) external view returns (bool) {
        bytes32 recorded = _storage().dataHashes[invoiceId];
        return recorded != bytes32(0) && recorded == _hashOf(invoice);
    }

    /// @inheritdoc IInvoiceRegistry
    function outstanding(uint256 invoiceId, Invoice calldata invoice) external view returns (uint256) {
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState storage state = _checked($, invoiceId, invoice);
        return _outstanding($, invoiceId, invoice, state);
    }

    /// @inheritdoc IInvoiceRegistry
    function taxTotals(address seller, uint32 period) external view returns (TaxTotals memory) {
        return _storage().taxTotals[seller][period];
    }

    /// @inheritdoc IInvoiceRegistry
    function periodOf(uint256 timestamp) external view returns (uint32) {
        return TaxPeriod.periodOf(timestamp, _storage().timezoneOffset);
    }

    /// @inheritdoc IInvoiceRegistry
    function participantOf(address account) external view returns (Participant memory) {
        return _storage().participants[account];
    }

    /// @inheritdoc IInvoiceRegistry
    function paymentToken(address token) external view returns (PaymentToken memory) {
        return _storage().paymentTokens[token];
    }

    /// @inheritdoc IInvoiceRegistry
    function settings() external view returns (int32 timezoneOffset, uint32 voidWindow) {
        InvoiceRegistryStorage storage $ = _storage();
        return ($.timezoneOffset, $.voidWindow);
    }

    /// @inheritdoc IInvoiceRegistry
    function didRegistry() external view returns (address) {
        return address(_storage().dids);
    }

    // ================================================================== internals

    function _requireSeller(InvoiceRegistryStorage storage $, address seller, bool checkDid) private view {
        if ($.participants[seller].capabilities & SELLER == 0) revert InvoiceRegistryNotRegistered(seller, SELLER);
        if (checkDid && !$.dids.isActiveSubject(seller, IDIDRegistry.SubjectType.Organization)) {
            revert InvoiceRegistryNotActiveOrganization(seller);
        }
    }

    /// @dev Records one invoice from msg.sender: validates the terms, commits them, mints to the seller.
    function _mint(
        InvoiceRegistryStorage storage $,
        InvoiceTerms calldata terms,
        uint32 period,
        uint256 original,
        uint8 flags
    ) private returns (uint256 invoiceId) {
        bytes32 number = terms.number;
        if (number == bytes32(0)) revert InvoiceRegistryEmptyNumber();
        if (terms.buyer == address(0) || terms.buyer == msg.sender) {
            revert InvoiceRegistryInvalidBuyer(number, terms.buyer);
        }
        if (terms.amount == 0 && terms.tax == 0) revert InvoiceRegistryInvalidAmount(number, terms.amount, terms.tax);
        if (!_validCurrency(terms.currency)) revert InvoiceRegistryInvalidCurrency(number, terms.currency);
        // The printed date may trail the chain by a batch window, not lead it by more than a block period or two.
        if (
            terms.issueDate == 0 ||
            terms.issueDate > block.timestamp + 1 hours ||
            (terms.dueDate != 0 && terms.dueDate < terms.issueDate)
        ) {
            revert InvoiceRegistryInvalidDates(number, terms.issueDate, terms.dueDate);
        }
        if (terms.documentHash == bytes32(0)) revert InvoiceRegistryEmptyDocumentHash(number);

        invoiceId = invoiceIdOf(msg.sender, number);
        InvoiceState storage state = $.states[invoiceId];
        if (state.status != Status.None) revert InvoiceRegistryNumberTaken(msg.sender, number);
        state.holder = msg.sender;
        state.status = Status.Issued;
        state.flags = flags;
        state.statusChangedAt = uint40(block.timestamp);

        Invoice memory invoice = Invoice(msg.sender, uint40(block.timestamp), period, original, terms);
        $.dataHashes[invoiceId] = keccak256(abi.encode(invoice));
        emit Transfer(address(0), msg.sender, invoiceId);
        emit InvoiceIssued(invoiceId, msg.sender, terms.buyer, invoice);
    }

    function _accept(uint256 invoiceId, Invoice calldata invoice) private {
        InvoiceState storage state = _checked(_storage(), invoiceId, invoice);
        _mutableFlags(invoiceId, state);
        if (state.status != Status.Issued) revert InvoiceRegistryInvalidStatus(invoiceId, state.status);
        _setStatus(state, Status.Accepted);
        emit InvoiceAccepted(invoiceId, invoice.terms.buyer);
    }

    /// @dev Applies a payment of `amount` to an accepted invoice (recorded off chain when `token` is zero, which only
    /// the holder may do); returns its holder (who is paid).
    function _settle(
        InvoiceRegistryStorage storage $,
        uint256 invoiceId,
        Invoice calldata invoice,
        uint256 amount,
        address token,
        bytes32 paymentReference
    ) private returns (address holder) {
        InvoiceState storage state = _checked($, invoiceId, invoice);
        _mutableFlags(invoiceId, state);
        holder = state.holder;
        // A payment made off chain is vouched for by whoever receives it: the holder.
        if (token == address(0) && msg.sender != holder) revert InvoiceRegistryNotHolder(invoiceId, msg.sender, holder);
        Status status = state.status;
        if (status != Status.Accepted && status != Status.PartiallyPaid) {
            revert InvoiceRegistryInvalidStatus(invoiceId, status);
        }
        uint256 due = _outstanding($, invoiceId, invoice, state);
        if (amount == 0 || amount > due) revert InvoiceRegistryInvalidPayment(invoiceId, amount, due);
        if (amount == due) {
            _setStatus(state, Status.Paid);
            if (state.flags & SETTLEMENT != 0) $.settlements[invoiceId].paid += uint96(amount);
        } else {
            $.settlements[invoiceId].paid += uint96(amount); // amount < due <= 2^81: fits
            state.flags |= SETTLEMENT;
            if (status != Status.PartiallyPaid) _setStatus(state, Status.PartiallyPaid);
        }
        emit InvoicePaid(invoiceId, holder, msg.sender, amount, token, paymentReference, due - amount);
    }

    function _reimburse(uint256 invoiceId, address reimburser, bytes32 claimReference) private {
        InvoiceRegistryStorage storage $ = _storage();
        Participant memory participant = $.participants[reimburser];
        if (participant.capabilities & REIMBURSER == 0) revert InvoiceRegistryNotRegistered(reimburser, REIMBURSER);
        InvoiceState storage state = _existing(invoiceId);
        Status status = state.status;
        if (status == Status.Reimbursed) {
            revert InvoiceRegistryAlreadyReimbursed(
                invoiceId,
                $.participantAccounts[state.reimburser],
                state.statusChangedAt
            );
        }
        _mutableFlags(invoiceId, state);
        if (status != Status.Paid) revert InvoiceRegistryInvalidStatus(invoiceId, status);
        state.reimburser = participant.id;
        _setStatus(state, Status.Reimbursed);
        emit InvoiceReimbursed(invoiceId, reimburser, claimReference);
    }

    function _transfer(address from, address to, uint256 invoiceId) private {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        InvoiceRegistryStorage storage $ = _storage();
        InvoiceState storage state = _existing(invoiceId);
        address owner = state.holder;
        if (owner != from) revert ERC721IncorrectOwner(from, invoiceId, owner);
        if (msg.sender != owner && $.approvals[invoiceId] != msg.sender && !$.operators[owner][msg.sender]) {
            revert ERC721InsufficientApproval(msg.sender, invoiceId);
        }
        _mutableFlags(invoiceId, state);
        Status status = state.status;
        if (status != Status.Issued && status != Status.Accepted && status != Status.PartiallyPaid) {
            revert InvoiceRegistryInvalidStatus(invoiceId, status);
        }
        delete $.approvals[invoiceId];
        state.holder = to;
        unchecked {
            // a holder's balance counts its tokens: it holds this one, and no count reaches 2^256
            $.balances[from] -= 1;
            $.balances[to] += 1;
        }
        emit Transfer(from, to, invoiceId);
    }

    /// @dev The state of an invoice that exists, and whose `invoice` data is the one recorded.
    function _checked(
        InvoiceRegistryStorage storage $,
        uint256 invoiceId,
        Invoice calldata invoice
    ) private view returns (InvoiceState storage state) {
        state = $.states[invoiceId];
        if (state.status == Status.None) revert ERC721NonexistentToken(invoiceId);
        if ($.dataHashes[invoiceId] != _hashOf(invoice)) revert InvoiceRegistryWrongInvoiceData(invoiceId);
    }

    /// @dev keccak256(abi.encode(invoice)) straight from calldata: `Invoice` is a static struct, so its calldata
    /// encoding is its ABI encoding (12 words). Dirty bits in the caller's encoding only make the hash differ.
    function _hashOf(Invoice calldata invoice) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, invoice, 384)
            hash := keccak256(ptr, 384)
        }
    }

    function _existing(uint256 invoiceId) private view returns (InvoiceState storage state) {
        state = _storage().states[invoiceId];
        if (state.status == Status.None) revert ERC721NonexistentToken(invoiceId);
    }

    /// @dev The flags of an invoice that may change hands or state: not frozen, not a credit note.
    function _mutableFlags(uint256 invoiceId, InvoiceState storage state) private view returns (uint8 flags) {
        flags = state.flags;
        if (flags & FROZEN != 0) revert InvoiceRegistryFrozen(invoiceId);
        if (flags & CREDIT_NOTE != 0) revert InvoiceRegistryIsCreditNote(invoiceId);
    }

    function _outstanding(
        InvoiceRegistryStorage storage $,
        uint256 invoiceId,
        Invoice calldata invoice,
        InvoiceState storage state
    ) private view returns (uint256) {
        Status status = state.status;
        if (status != Status.Issued && status != Status.Accepted && status != Status.PartiallyPaid) return 0;
        if (state.flags & SETTLEMENT == 0) return _gross(invoice);
        Settlement memory settlement = $.settlements[invoiceId];
        return _gross(invoice) - _credited(settlement) - settlement.paid;
    }

    function _gross(Invoice calldata invoice) private pure returns (uint256) {
        return uint256(invoice.terms.amount) + invoice.terms.tax;
    }

    function _credited(Settlement memory settlement) private pure returns (uint256) {
        return uint256(settlement.creditedAmount) + settlement.creditedTax;
    }

    function _setStatus(InvoiceState storage state, Status status) private {
        state.status = status;
        state.statusChangedAt = uint40(block.timestamp);
    }

    function _checkSignature(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes calldata signature
    ) private view {
        if (block.timestamp > deadline) revert InvoiceRegistryExpiredSignature(deadline);
        if (!GovSignatures.isValidNow(signer, _hashTypedData(structHash), signature)) {
            revert InvoiceRegistryInvalidSignature(signer);
        }
    }

    function _currentPeriod(InvoiceRegistryStorage storage $) private view returns (uint32) {
        return TaxPeriod.periodOf(block.timestamp, $.timezoneOffset);
    }

    function _validCurrency(uint16 currency) private pure returns (bool) {
        return currency != 0 && currency < 1000;
    }

    function _domainNameAndVersion() internal pure override returns (string memory, string memory) {
        return ("GovChain InvoiceRegistry", "1");
    }

    function _domainHashes() internal pure override returns (bytes32, bytes32) {
        return (NAME_HASH, VERSION_HASH);
    }

    function _storage() private pure returns (InvoiceRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
