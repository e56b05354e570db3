// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {GovServiceBase} from "../governance/GovServiceBase.sol";
import {GovEIP712} from "../libraries/GovEIP712.sol";
import {GovSignatures} from "../libraries/GovSignatures.sol";
import {StatusBitmap} from "../libraries/StatusBitmap.sol";
import {IDisclosureRegistry} from "../interfaces/IDisclosureRegistry.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title DisclosureRegistry
 * @notice Public disclosure anchoring. See {IDisclosureRegistry}.
 */
contract DisclosureRegistry is GovServiceBase, GovEIP712, IDisclosureRegistry {
    struct Retraction {
        uint40 at;
        uint16 reasonCode;
    }

    /// @custom:storage-location erc7201:govchain.DisclosureRegistry
    struct DisclosureRegistryStorage {
        mapping(bytes32 root => Record) records;
        mapping(bytes32 root => uint40) publishAt; // embargo end or co-signature time, when later than anchoring
        mapping(bytes32 root => bytes32) amendedBy;
        mapping(bytes32 root => Retraction) retractions;
        mapping(bytes32 root => bytes32) coSignPolicy; // keccak256(abi.encode(signers, threshold)) while pending
        mapping(bytes32 root => mapping(uint256 word => uint256 bits)) revoked;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.DisclosureRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x7153e56de0667c863777dd5f4a63291b434c606227ec180086f23210cb374700;

    uint8 private constant RETRACTED = 1;
    uint8 private constant AMENDED = 2;
    uint8 private constant PENDING_COSIGNATURE = 4;

    bytes32 private constant NAME_HASH = keccak256("GovChain DisclosureRegistry");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant COSIGN_TYPEHASH = keccak256("CoSign(bytes32 root)");

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
    }

    /// @inheritdoc IGovService
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ================================================================== publishing

    /// @inheritdoc IDisclosureRegistry
    function anchor(Anchor calldata record) external restricted whenNotPaused {
        _anchor(record, 0);
        _emitAnchored(record);
    }

    /// @inheritdoc IDisclosureRegistry
    function anchorBatch(Anchor[] calldata records) external restricted whenNotPaused {
        uint256 count = records.length;
        if (count == 0) revert DisclosureRegistryEmptyBatch();
        for (uint256 i = 0; i < count; ++i) {
            _anchor(records[i], 0);
        }
        emit DisclosuresAnchored(msg.sender, records);
    }

    /// @inheritdoc IDisclosureRegistry
    function anchorCoSigned(
        Anchor calldata record,
        address[] calldata signers,
        uint8 threshold
    ) external restricted whenNotPaused {
        uint256 n = signers.length;
        if (threshold == 0 || threshold > n) revert DisclosureRegistryInvalidCoSignPolicy(n, threshold);
        for (uint256 i = 1; i < n; ++i) {
            if (signers[i] <= signers[i - 1]) revert DisclosureRegistryInvalidCoSignPolicy(n, threshold);
        }
        _anchor(record, PENDING_COSIGNATURE);
        _storage().coSignPolicy[record.root] = keccak256(abi.encode(signers, threshold));
        _emitAnchored(record);
        emit DisclosureCoSignatureRequired(record.root, signers, threshold);
    }

    /// @inheritdoc IDisclosureRegistry
    function coSign(
        bytes32 root,
        address[] calldata signers,
        uint8 threshold,
        address[] calldata signedBy,
        bytes[] calldata signatures
    ) external whenNotPaused {
        DisclosureRegistryStorage storage $ = _storage();
        Record storage record = $.records[root];
        if (record.flags & PENDING_COSIGNATURE == 0) revert DisclosureRegistryNotPendingCoSignature(root);
        if ($.coSignPolicy[root] != keccak256(abi.encode(signers, threshold))) {
            revert DisclosureRegistryWrongCoSignPolicy(root);
        }
        bytes32 digest = _hashTypedData(keccak256(abi.encode(COSIGN_TYPEHASH, root)));
        uint256 count = signedBy.length;
        if (count < threshold || signatures.length != count) {
            revert DisclosureRegistryNotEnoughCoSignatures(count, threshold);
        }
        uint256 member = 0;
        for (uint256 i = 0; i < count; ++i) {
            address signer = signedBy[i];
            // signedBy and signers are both strictly increasing: walk signers once to find each member.
            while (member < signers.length && signers[member] < signer) ++member;
            bool isMember = member < signers.length && signers[member] == signer;
            if (!isMember || !GovSignatures.isValidNow(signer, digest, signatures[i])) {
                revert DisclosureRegistryInvalidCoSignature(i, signer);
            }
            ++member; // the next signer must be a later member: no one signs twice
        }
        record.flags &= ~PENDING_COSIGNATURE;
        delete $.coSignPolicy[root];
        if ($.publishAt[root] < block.timestamp) $.publishAt[root] = uint40(block.timestamp);
        emit DisclosureCoSigned(root, signedBy);
    }

    /// @inheritdoc IDisclosureRegistry
    function amend(bytes32 root, Anchor calldata next) external restricted whenNotPaused {
        Record storage old = _ownRecord(root);
        DisclosureRegistryStorage storage $ = _storage();
        bytes32 amendedBy = $.amendedBy[root];
        if (amendedBy != bytes32(0)) revert DisclosureRegistryAlreadyAmended(root, amendedBy);
        _anchor(next, 0);
        old.flags |= AMENDED;
        $.amendedBy[root] = next.root;
        _emitAnchored(next);
        emit DisclosureAmended(root, next.root, msg.sender);
    }

    /// @inheritdoc IDisclosureRegistry
    function retract(bytes32 root, uint16 reasonCode, bytes32 reasonHash) external restricted whenNotPaused {
        Record storage record = _ownRecord(root);
        record.flags |= RETRACTED;
        _storage().retractions[root] = Retraction(uint40(block.timestamp), reasonCode);
        emit DisclosureRetracted(root, reasonCode, reasonHash);
    }

    /// @inheritdoc IDisclosureRegistry
    function revokeDocuments(bytes32 root, uint256[] calldata indices) external restricted whenNotPaused {
        _ownRecord(root);
        StatusBitmap.update(_storage().revoked[root], indices, true, root, _revocationWritten);
    }

    // ================================================================== verification

    /// @inheritdoc IDisclosureRegistry
    function verifyDocument(
        bytes32 root,
        bytes32 documentHash,
        uint256 index,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus) {
        return _status(root, documentHash, index, proof, block.timestamp);
    }

    /// @inheritdoc IDisclosureRegistry
    function statusAt(
        bytes32 root,
        bytes32 documentHash,
        uint256 index,
        bytes32[] calldata proof,
        uint40 time
    ) external view returns (DocumentStatus) {
        return _status(root, documentHash, index, proof, time);
    }

    /// @inheritdoc IDisclosureRegistry
    function latest(bytes32 root) external view returns (bytes32) {
        DisclosureRegistryStorage storage $ = _storage();
        if ($.records[root].anchoredAt == 0) revert DisclosureRegistryUnknownRecord(root);
        for (bytes32 next = $.amendedBy[root]; next != bytes32(0); next = $.amendedBy[root]) root = next;
        return root;
    }

    /// @inheritdoc IDisclosureRegistry
    function recordOf(bytes32 root) external view returns (RecordView memory view_) {
        DisclosureRegistryStorage storage $ = _storage();
        Record memory record = $.records[root];
        bytes32 amendedBy = $.amendedBy[root];
        Retraction memory retraction = $.retractions[root];
        view_ = RecordView({
            publisher: record.publisher,
            anchoredAt: record.anchoredAt,
            anchoredBlock: record.anchoredBlock,
            publishAt: _publishAt($, root, record),
            hashAlgorithm: record.hashAlgorithm,
            pendingCoSignature: record.flags & PENDING_COSIGNATURE != 0,
            amendedBy: amendedBy,
            amendedAt: amendedBy == bytes32(0) ? 0 : $.records[amendedBy].anchoredAt,
            retractedAt: retraction.at,
            retractionReason: retraction.reasonCode
        });
    }

    /// @inheritdoc IDisclosureRegistry
    function leafOf(bytes32 documentHash, uint256 index) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(documentHash, index))));
    }

    // ================================================================== internals

    function _anchor(Anchor calldata record, uint8 flags) private {
        bytes32 root = record.root;
        if (root == bytes32(0)) revert DisclosureRegistryEmptyRoot();
        DisclosureRegistryStorage storage $ = _storage();
        Record storage existing = $.records[root];
        if (existing.anchoredAt != 0) {
            revert DisclosureRegistryAlreadyAnchored(root, existing.publisher, existing.anchoredAt);
        }
        $.records[root] = Record({
            publisher: msg.sender,
            anchoredAt: uint40(block.timestamp),
            anchoredBlock: uint40(block.number),
            hashAlgorithm: record.hashAlgorithm,
            flags: flags
        });
        if (record.publishAt > block.timestamp) $.publishAt[root] = record.publishAt;
    }

    function _emitAnchored(Anchor calldata record) private {
        emit DisclosureAnchored(
            record.root,
            msg.sender,
            record.category,
            record.hashAlgorithm,
            record.publishAt,
            record.periodOrReference,
            record.uri
        );
    }

    /// @dev The record of `root`, which the caller must have published and which must not be retracted.
    function _ownRecord(bytes32 root) private view returns (Record storage record) {
        DisclosureRegistryStorage storage $ = _storage();
        record = $.records[root];
        if (record.anchoredAt == 0) revert DisclosureRegistryUnknownRecord(root);
        if (record.publisher != msg.sender) revert DisclosureRegistryNotPublisher(root, msg.sender, record.publisher);
        if (record.flags & RETRACTED != 0) revert DisclosureRegistryRetracted(root, $.retractions[root].at);
    }

    function _revocationWritten(bytes32 root, uint256 word, uint256 bits) private {
        emit DocumentsRevoked(root, word, bits);
    }

    function _publishAt(
        DisclosureRegistryStorage storage $,
        bytes32 root,
        Record memory record
    ) private view returns (uint40) {
        uint40 at = $.publishAt[root];
        return at > record.anchoredAt ? at : record.anchoredAt;
    }

    function _status(
        bytes32 root,
        bytes32 documentHash,
        uint256 index,
        bytes32[] calldata proof,
        uint256 time
    ) private view returns (DocumentStatus) {
        DisclosureRegistryStorage storage $ = _storage();
        Record memory record = $.records[root];
        if (record.anchoredAt == 0 || time < record.anchoredAt) return DocumentStatus.NotAnchored;
        if (!MerkleProof.verifyCalldata(proof, root, leafOf(documentHash, index))) return DocumentStatus.InvalidProof;
        if (record.flags & PENDING_COSIGNATURE != 0) return DocumentStatus.PendingCoSignature;
        if (time < _publishAt($, root, record)) return DocumentStatus.Embargoed;
        if (record.flags & RETRACTED != 0 && time >= $.retractions[root].at) return DocumentStatus.Retracted;
        if (record.flags & AMENDED != 0 && time >= $.records[$.amendedBy[root]].anchoredAt) {
            return DocumentStatus.Amended;
        }
        if (StatusBitmap.isSet($.revoked[root], index)) return DocumentStatus.Revoked;
        return DocumentStatus.Active;
    }

    function _domainNameAndVersion() internal pure override returns (string memory, string memory) {
        return ("GovChain DisclosureRegistry", "1");
    }

    function _domainHashes() internal pure override returns (bytes32, bytes32) {
        return (NAME_HASH, VERSION_HASH);
    }

    function _storage() private pure returns (DisclosureRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
