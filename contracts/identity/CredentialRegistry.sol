// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {GovServiceBase} from "../governance/GovServiceBase.sol";
import {StatusBitmap} from "../libraries/StatusBitmap.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title CredentialRegistry
 * @notice Schemas, the accreditation chain, credential anchoring, status bitmaps and one-call verification.
 * See {ICredentialRegistry}.
 */
contract CredentialRegistry is GovServiceBase, ICredentialRegistry {
    /// @custom:storage-location erc7201:govchain.CredentialRegistry
    struct CredentialRegistryStorage {
        IDIDRegistry dids;
        mapping(bytes32 schemaId => Schema) schemas;
        mapping(bytes32 accreditationKey => Accreditation) accreditations;
        // issuer => status index => (top 216 bits of the credential digest | issuedAt in the low 40 bits)
        mapping(address issuer => mapping(uint64 statusIndex => uint256)) credentials;
        mapping(bytes32 rootId => uint40 issuedAt) roots;
        mapping(address issuer => mapping(uint256 word => uint256 bits)) revoked;
        mapping(address issuer => mapping(uint256 word => uint256 bits)) suspended;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.CredentialRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x8d943bf179127fdda2035c4076bc60ad9de3725b73f1e146ad56447a82856000;

    uint40 private constant FOREVER = type(uint40).max;
    uint256 private constant ROOT_INDEX_FLAG = 1 << 255;
    uint256 private constant POSITION_MASK = type(uint32).max;
    uint256 private constant ISSUED_AT_MASK = (1 << 40) - 1;

    function initialize(address authority, address dids) external initializer {
        if (dids == address(0)) revert CredentialRegistryZeroAddress();
        __GovServiceBase_init(authority);
        _storage().dids = IDIDRegistry(dids);
    }

    /// @inheritdoc IGovService
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ================================================================== schemas and accreditation

    /// @inheritdoc ICredentialRegistry
    function registerSchema(
        string calldata name,
        uint32 schemaVersion,
        bytes32 jsonSchemaHash,
        string calldata uri
    ) external restricted whenNotPaused returns (bytes32 schemaId) {
        schemaId = keccak256(abi.encode(name, schemaVersion));
        Schema storage schema = _storage().schemas[schemaId];
        if (schema.registeredAt != 0) revert CredentialRegistrySchemaExists(schemaId);
        _storage().schemas[schemaId] = Schema(jsonSchemaHash, msg.sender, schemaVersion, uint40(block.timestamp));
        emit SchemaRegistered(schemaId, msg.sender, name, schemaVersion, jsonSchemaHash, uri);
    }

    /// @inheritdoc ICredentialRegistry
    function accreditOrganization(
        address accreditor,
        uint40 validFrom,
        uint40 validUntil
    ) external restricted whenNotPaused {
        if (accreditor == address(0)) revert CredentialRegistryZeroAddress();
        _grant(accreditor, bytes32(0), address(0), AccreditationKind.Accreditor, validFrom, validUntil);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeOrganization(address accreditor) external restricted whenNotPaused {
        Accreditation storage acc = _storage().accreditations[_key(accreditor, bytes32(0))];
        if (acc.kind != AccreditationKind.Accreditor || acc.revoked) {
            revert CredentialRegistryUnknownAccreditation(accreditor, bytes32(0));
        }
        acc.revoked = true;
        emit AccreditationRevoked(accreditor, bytes32(0), msg.sender);
    }

    /// @inheritdoc ICredentialRegistry
    function accreditIssuer(
        address issuer,
        bytes32[] calldata schemaIds,
        uint40 validFrom,
        uint40 validUntil
    ) external whenNotPaused {
        if (!_isActive(_storage().accreditations[_key(msg.sender, bytes32(0))], AccreditationKind.Accreditor)) {
            revert CredentialRegistryNotAccreditor(msg.sender);
        }
        if (issuer == address(0)) revert CredentialRegistryZeroAddress();
        if (schemaIds.length == 0) revert CredentialRegistryEmptyBatch();
        for (uint256 i = 0; i < schemaIds.length; ++i) {
            bytes32 schemaId = schemaIds[i];
            if (schemaId == bytes32(0) || _storage().schemas[schemaId].registeredAt == 0) {
                revert CredentialRegistryUnknownSchema(schemaId);
            }
            _grant(issuer, schemaId, msg.sender, AccreditationKind.Issuer, validFrom, validUntil);
        }
    }

    /// @inheritdoc ICredentialRegistry
    function revokeIssuer(address issuer, bytes32 schemaId) external whenNotPaused {
        Accreditation storage acc = _storage().accreditations[_key(issuer, schemaId)];
        if (acc.kind != AccreditationKind.Issuer || acc.revoked) {
            revert CredentialRegistryUnknownAccreditation(issuer, schemaId);
        }
        if (acc.parent != msg.sender) revert CredentialRegistryNotParent(msg.sender, acc.parent);
        acc.revoked = true;
        emit AccreditationRevoked(issuer, schemaId, msg.sender);
    }

    function _grant(
        address holder,
        bytes32 schemaId,
        address parent,
        AccreditationKind kind,
        uint40 validFrom,
        uint40 validUntil
    ) private {
        validUntil = _checkWindow(validFrom, validUntil);
        _storage().accreditations[_key(holder, schemaId)] = Accreditation(parent, validFrom, validUntil, false, kind);
        emit AccreditationGranted(holder, schemaId, parent, kind, validFrom, validUntil);
    }

    // ================================================================== issuance

    /// @inheritdoc ICredentialRegistry
    function issue(CredentialInput calldata c) external whenNotPaused {
        bytes32 schemaId = c.schemaId;
        _requireAccredited(msg.sender, schemaId);
        _issue(
            _storage().credentials[msg.sender],
            c.credentialHash,
            c.subject,
            schemaId,
            c.validFrom,
            c.validUntil,
            c.statusIndex
        );
    }

    /// @inheritdoc ICredentialRegistry
    function issueBatch(bytes32 schemaId, BatchCredential[] calldata credentials) external whenNotPaused {
        uint256 count = credentials.length;
        if (count == 0) revert CredentialRegistryEmptyBatch();
        _requireAccredited(msg.sender, schemaId);
        mapping(uint64 => uint256) storage issued = _storage().credentials[msg.sender];
        for (uint256 i = 0; i < count; ++i) {
            BatchCredential calldata c = credentials[i];
            _issue(issued, c.credentialHash, c.subject, schemaId, c.validFrom, c.validUntil, c.statusIndex);
        }
    }

    /// @inheritdoc ICredentialRegistry
    function issueRoot(CredentialRoot calldata root) external whenNotPaused {
        if (root.root == bytes32(0) || root.count == 0) revert CredentialRegistryEmptyRoot();
        _requireAccredited(msg.sender, root.schemaId);
        _checkWindow(root.validFrom, root.validUntil);
        bytes32 rootId = _rootId(msg.sender, root);
        mapping(bytes32 => uint40) storage roots = _storage().roots;
        if (roots[rootId] != 0) revert CredentialRegistryRootExists(rootId);
        roots[rootId] = uint40(block.timestamp);
        emit CredentialRootIssued(
            msg.sender,
            root.root,
            root.schemaId,
            root.validFrom,
            root.validUntil,
            root.count,
            _statusBase(rootId)
        );
    }

    /// @inheritdoc ICredentialRegistry
    function rootStatusBase(address issuer, CredentialRoot calldata root) external pure returns (uint256) {
        return _statusBase(_rootId(issuer, root));
    }

    function _issue(
        mapping(uint64 => uint256) storage issued,
        bytes32 credentialHash,
        address subject,
        bytes32 schemaId,
        uint40 validFrom,
        uint40 validUntil,
        uint64 statusIndex
    ) private {
        if (subject == address(0)) revert CredentialRegistryZeroAddress();
        _checkWindow(validFrom, validUntil);
        if (issued[statusIndex] != 0) revert CredentialRegistryStatusIndexUsed(msg.sender, statusIndex);
        uint256 digest = _digest(credentialHash, subject, schemaId, validFrom, validUntil);
        issued[statusIndex] = (digest & ~ISSUED_AT_MASK) | block.timestamp;
        emit CredentialIssued(msg.sender, subject, statusIndex, credentialHash, schemaId, validFrom, validUntil);
    }

    // ================================================================== status

    /// @inheritdoc ICredentialRegistry
    function revoke(uint256[] calldata statusIndices) external {
        StatusBitmap.update(_storage().revoked[msg.sender], statusIndices, true, 0, _revocationWritten);
    }

    /// @inheritdoc ICredentialRegistry
    function suspend(uint256[] calldata statusIndices) external {
        StatusBitmap.update(_storage().suspended[msg.sender], statusIndices, true, 0, _suspensionWritten);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstate(uint256[] calldata statusIndices) external whenNotPaused {
        StatusBitmap.update(_storage().suspended[msg.sender], statusIndices, false, 0, _suspensionWritten);
    }

    /// @inheritdoc ICredentialRegistry
    function statusOf(address issuer, uint256 statusIndex) external view returns (bool revoked, bool suspended) {
        CredentialRegistryStorage storage $ = _storage();
        revoked = StatusBitmap.isSet($.revoked[issuer], statusIndex);
        suspended = StatusBitmap.isSet($.suspended[issuer], statusIndex);
    }

    function _revocationWritten(bytes32, uint256 word, uint256 bits) private {
        emit CredentialStatusUpdated(msg.sender, StatusKind.Revocation, word, bits);
    }

    function _suspensionWritten(bytes32, uint256 word, uint256 bits) private {
        emit CredentialStatusUpdated(msg.sender, StatusKind.Suspension, word, bits);
    }

    // ================================================================== verification

    /// @inheritdoc ICredentialRegistry
    function verify(address issuer, CredentialInput calldata c) external view returns (CredentialStatus) {
        uint256 stored = _storage().credentials[issuer][c.statusIndex];
        uint256 digest = _digest(c.credentialHash, c.subject, c.schemaId, c.validFrom, c.validUntil);
        if (stored == 0 || (stored ^ digest) & ~ISSUED_AT_MASK != 0) return CredentialStatus.NotFound;
        return _status(issuer, c.subject, c.statusIndex, c.validFrom, c.validUntil);
    }

    /// @inheritdoc ICredentialRegistry
    function verifyInBatch(
        address issuer,
        CredentialRoot calldata root,
        bytes32 credentialHash,
        address subject,
        uint32 position,
        bytes32[] calldata proof
    ) external view returns (CredentialStatus) {
        bytes32 rootId = _rootId(issuer, root);
        if (_storage().roots[rootId] == 0 || position >= root.count) return CredentialStatus.NotFound;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(credentialHash, subject, position))));
        if (!MerkleProof.verifyCalldata(proof, root.root, leaf)) return CredentialStatus.NotFound;
        // The base's low 32 bits are zero, so base + position never carries into another root's range.
        return _status(issuer, subject, _statusBase(rootId) | position, root.validFrom, root.validUntil);
    }

    /// @inheritdoc ICredentialRegistry
    function isAccredited(address issuer, bytes32 schemaId) external view returns (bool) {
        return _accredited(issuer, schemaId);
    }

    /// @inheritdoc ICredentialRegistry
    function accreditationOf(address holder, bytes32 schemaId) external view returns (Accreditation memory) {
        return _storage().accreditations[_key(holder, schemaId)];
    }

    /// @inheritdoc ICredentialRegistry
    function schemaOf(bytes32 schemaId) external view returns (Schema memory) {
        return _storage().schemas[schemaId];
    }

    /// @inheritdoc ICredentialRegistry
    function didRegistry() external view returns (address) {
        return address(_storage().dids);
    }

    function _status(
        address issuer,
        address subject,
        uint256 statusIndex,
        uint40 validFrom,
        uint40 validUntil
    ) private view returns (CredentialStatus) {
        if (block.timestamp < validFrom) return CredentialStatus.NotYetValid;
        if (validUntil != 0 && block.timestamp >= validUntil) return CredentialStatus.Expired;
        CredentialRegistryStorage storage $ = _storage();
        if (StatusBitmap.isSet($.revoked[issuer], statusIndex)) return CredentialStatus.Revoked;
        if (StatusBitmap.isSet($.suspended[issuer], statusIndex)) return CredentialStatus.Suspended;
        if (!$.dids.isActive(subject)) return CredentialStatus.SubjectDeactivated;
        return CredentialStatus.Valid;
    }

    // ================================================================== internals

    function _requireAccredited(address issuer, bytes32 schemaId) private view {
        if (!_accredited(issuer, schemaId)) revert CredentialRegistryNotAccredited(issuer, schemaId);
    }

    /// @dev The issuer's accreditation for the schema and its accreditor's are both active now.
    function _accredited(address issuer, bytes32 schemaId) private view returns (bool) {
        mapping(bytes32 => Accreditation) storage accreditations = _storage().accreditations;
        Accreditation storage acc = accreditations[_key(issuer, schemaId)];
        if (!_isActive(acc, AccreditationKind.Issuer)) return false;
        return _isActive(accreditations[_key(acc.parent, bytes32(0))], AccreditationKind.Accreditor);
    }

    function _isActive(Accreditation storage acc, AccreditationKind kind) private view returns (bool) {
        return acc.kind == kind && !acc.revoked && acc.validFrom <= block.timestamp && block.timestamp < acc.validUntil;
    }

    function _checkWindow(uint40 validFrom, uint40 validUntil) private pure returns (uint40) {
        if (validUntil == 0) return FOREVER;
        if (validUntil <= validFrom) revert CredentialRegistryInvalidWindow(validFrom, validUntil);
        return validUntil;
    }

    /// @dev Status index of leaf 0 of a root: the root id with the top bit set (above every direct index, which
    /// fits 64 bits) and the low 32 bits cleared (room for every position).
    function _statusBase(bytes32 rootId) private pure returns (uint256) {
        return (uint256(rootId) | ROOT_INDEX_FLAG) & ~POSITION_MASK;
    }

    function _key(address holder, bytes32 schemaId) private pure returns (bytes32) {
        return keccak256(abi.encode(holder, schemaId));
    }

    function _digest(
        bytes32 credentialHash,
        address subject,
        bytes32 schemaId,
        uint40 validFrom,
        uint40 validUntil
    ) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(credentialHash, subject, schemaId, validFrom, validUntil)));
    }

    function _rootId(address issuer, CredentialRoot calldata root) private pure returns (bytes32) {
        return keccak256(abi.encode(issuer, root));
    }

    function _storage() private pure returns (CredentialRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
