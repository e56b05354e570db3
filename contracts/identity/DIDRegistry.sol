// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GovServiceBase} from "../governance/GovServiceBase.sol";
import {GovEIP712} from "../libraries/GovEIP712.sol";
import {GovSignatures} from "../libraries/GovSignatures.sol";
import {PackedDIDRecord} from "./PackedDIDRecord.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title DIDRegistry
 * @notice The GovChain DID registry (`did:govchain:<chainId>:<address>`). See {IDIDRegistry}.
 */
contract DIDRegistry is GovServiceBase, GovEIP712, IDIDRegistry {
    using PackedDIDRecord for uint256;

    /// @custom:storage-location erc7201:govchain.DIDRegistry
    struct DIDRegistryStorage {
        mapping(address did => uint256 packedRecord) records;
        mapping(address did => mapping(address delegate => Delegate)) delegates;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.DIDRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xe6ddcc3580d87d24218ff2ea506f195f226afa7a68589eacd9c60965ba01cd00;

    /// @notice Purposes of a key or delegate (W3C DID Core verification relationships), as bits.
    uint8 public constant AUTHENTICATION = 1;
    uint8 public constant ASSERTION_METHOD = 2;
    uint8 public constant KEY_AGREEMENT = 4;
    uint8 public constant CAPABILITY_INVOCATION = 8;
    uint8 public constant CAPABILITY_DELEGATION = 16;
    uint8 private constant ALL_PURPOSES = 31;

    uint48 private constant FOREVER = type(uint48).max;

    bytes32 private constant NAME_HASH = keccak256("GovChain DIDRegistry");
    bytes32 private constant VERSION_HASH = keccak256("1");

    bytes32 private constant KEY_TYPEHASH = keccak256(
        "Key(bytes32 keyId,uint8 keyType,uint8 purposes,uint48 validFrom,uint48 validUntil,bytes publicKey)"
    );
    bytes32 private constant CHANGE_CONTROLLER_TYPEHASH = keccak256(
        "ChangeController(address did,address newController,uint32 version,uint48 deadline)"
    );
    bytes32 private constant SET_DELEGATE_TYPEHASH = keccak256(
        "SetDelegate(address did,address delegate,uint8 purposes,uint48 validFrom,uint48 validUntil,uint32 version,uint48 deadline)"
    );
    bytes32 private constant REVOKE_DELEGATE_TYPEHASH = keccak256(
        "RevokeDelegate(address did,address delegate,uint32 version,uint48 deadline)"
    );
    bytes32 private constant ADD_KEY_TYPEHASH = keccak256(
        "AddKey(address did,Key key,uint32 version,uint48 deadline)Key(bytes32 keyId,uint8 keyType,uint8 purposes,uint48 validFrom,uint48 validUntil,bytes publicKey)"
    );
    bytes32 private constant REVOKE_KEY_TYPEHASH = keccak256(
        "RevokeKey(address did,bytes32 keyId,uint48 validUntil,uint32 version,uint48 deadline)"
    );
    bytes32 private constant ROTATE_KEY_TYPEHASH = keccak256(
        "RotateKey(address did,bytes32 oldKeyId,uint32 overlap,Key newKey,uint32 version,uint48 deadline)Key(bytes32 keyId,uint8 keyType,uint8 purposes,uint48 validFrom,uint48 validUntil,bytes publicKey)"
    );
    bytes32 private constant SET_SERVICE_TYPEHASH = keccak256(
        "SetService(address did,bytes32 serviceId,string serviceType,string endpoint,uint32 version,uint48 deadline)"
    );
    bytes32 private constant REMOVE_SERVICE_TYPEHASH = keccak256(
        "RemoveService(address did,bytes32 serviceId,uint32 version,uint48 deadline)"
    );
    bytes32 private constant DEACTIVATE_TYPEHASH = keccak256(
        "Deactivate(address did,bytes32 reasonHash,uint32 version,uint48 deadline)"
    );

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
    }

    /// @inheritdoc IGovService
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ================================================================== registrar

    /// @inheritdoc IDIDRegistry
    function register(
        Registration calldata registration,
        bytes32 metadataHash,
        string calldata metadataURI
    ) external restricted whenNotPaused {
        (uint32 newVersion, uint48 previousChange) = _register(registration, 0);
        if (metadataHash != bytes32(0) || bytes(metadataURI).length != 0) {
            emit DIDMetadataSet(registration.did, metadataHash, metadataURI, newVersion, previousChange);
        }
        emit DIDsRegistered(msg.sender, 1);
    }

    /// @inheritdoc IDIDRegistry
    function registerBatch(Registration[] calldata registrations) external restricted whenNotPaused {
        uint256 count = registrations.length;
        if (count == 0) revert DIDRegistryEmptyBatch();
        for (uint256 i = 0; i < count; ++i) {
            _register(registrations[i], i);
        }
        emit DIDsRegistered(msg.sender, count);
    }

    /// @inheritdoc IDIDRegistry
    function registrarDeactivate(address did, bytes32 reasonHash) external restricted whenNotPaused {
        uint256 word = _storage().records[did];
        if (word.deactivated()) revert DIDRegistryDeactivated(did);
        _deactivate(did, word, msg.sender, reasonHash);
    }

    function _register(
        Registration calldata r,
        uint256 index
    ) private returns (uint32 newVersion, uint48 previousChange) {
        address did = r.did;
        if (did == address(0)) revert DIDRegistryZeroAddress(index);
        SubjectType subjectType = r.subjectType;
        if (subjectType == SubjectType.None) revert DIDRegistryInvalidSubjectType(index, did);
        mapping(address => uint256) storage records = _storage().records;
        uint256 word = records[did];
        if (word.subjectType() != uint8(SubjectType.None)) revert DIDRegistryAlreadyRegistered(index, did);
        if (word.deactivated()) revert DIDRegistryDeactivated(did);
        newVersion = word.version() + 1;
        previousChange = word.lastChange();
        address controller = r.controller;
        records[did] = PackedDIDRecord.pack(controller, newVersion, uint48(block.number), uint8(subjectType));
        emit DIDRegistered(did, controller, subjectType, r.idCommitment, newVersion, previousChange);
    }

    // ================================================================== controller operations

    /// @inheritdoc IDIDRegistry
    function changeController(address did, address newController) external whenNotPaused {
        _changeController(did, _asController(did), newController);
    }

    /// @inheritdoc IDIDRegistry
    function changeControllerSigned(
        address did,
        address newController,
        SignedAuth calldata auth
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(CHANGE_CONTROLLER_TYPEHASH, did, newController, auth.version, auth.deadline)
        );
        _changeController(did, _asSigner(did, structHash, auth), newController);
    }

    /// @inheritdoc IDIDRegistry
    function setDelegate(address did, address delegate, Delegate calldata rights) external whenNotPaused {
        _setDelegate(did, _asController(did), delegate, rights);
    }

    /// @inheritdoc IDIDRegistry
    function setDelegateSigned(
        address did,
        address delegate,
        Delegate calldata rights,
        SignedAuth calldata auth
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(
                SET_DELEGATE_TYPEHASH,
                did,
                delegate,
                rights.purposes,
                rights.validFrom,
                rights.validUntil,
                auth.version,
                auth.deadline
            )
        );
        _setDelegate(did, _asSigner(did, structHash, auth), delegate, rights);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegate(address did, address delegate) external whenNotPaused {
        _revokeDelegate(did, _asController(did), delegate);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegateSigned(address did, address delegate, SignedAuth calldata auth) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_DELEGATE_TYPEHASH, did, delegate, auth.version, auth.deadline)
        );
        _revokeDelegate(did, _asSigner(did, structHash, auth), delegate);
    }

    /// @inheritdoc IDIDRegistry
    function addKey(address did, Key calldata key) external whenNotPaused {
        _validateKey(key);
        (uint32 newVersion, uint48 previousChange) = _commit(did, _asController(did));
        _emitKeyAdded(did, key, newVersion, previousChange);
    }

    /// @inheritdoc IDIDRegistry
    function addKeySigned(address did, Key calldata key, SignedAuth calldata auth) external whenNotPaused {
        _validateKey(key);
        bytes32 structHash = keccak256(abi.encode(ADD_KEY_TYPEHASH, did, _hashKey(key), auth.version, auth.deadline));
        (uint32 newVersion, uint48 previousChange) = _commit(did, _asSigner(did, structHash, auth));
        _emitKeyAdded(did, key, newVersion, previousChange);
    }

    /// @inheritdoc IDIDRegistry
    function revokeKey(address did, bytes32 keyId, uint48 validUntil) external whenNotPaused {
        _revokeKey(did, _asController(did), keyId, validUntil);
    }

    /// @inheritdoc IDIDRegistry
    function revokeKeySigned(
        address did,
        bytes32 keyId,
        uint48 validUntil,
        SignedAuth calldata auth
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_KEY_TYPEHASH, did, keyId, validUntil, auth.version, auth.deadline)
        );
        _revokeKey(did, _asSigner(did, structHash, auth), keyId, validUntil);
    }

    /// @inheritdoc IDIDRegistry
    function rotateKey(address did, bytes32 oldKeyId, uint32 overlap, Key calldata newKey) external whenNotPaused {
        _rotateKey(did, _asController(did), oldKeyId, overlap, newKey);
    }

    /// @inheritdoc IDIDRegistry
    function rotateKeySigned(
        address did,
        bytes32 oldKeyId,
        uint32 overlap,
        Key calldata newKey,
        SignedAuth calldata auth
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(ROTATE_KEY_TYPEHASH, did, oldKeyId, overlap, _hashKey(newKey), auth.version, auth.deadline)
        );
        _rotateKey(did, _asSigner(did, structHash, auth), oldKeyId, overlap, newKey);
    }

    /// @inheritdoc IDIDRegistry
    function setService(
        address did,
        bytes32 serviceId,
        string calldata serviceType,
        string calldata endpoint
    ) external whenNotPaused {
        _setService(did, _asController(did), serviceId, serviceType, endpoint);
    }

    /// @inheritdoc IDIDRegistry
    function setServiceSigned(
        address did,
        bytes32 serviceId,
        string calldata serviceType,
        string calldata endpoint,
        SignedAuth calldata auth
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(
                SET_SERVICE_TYPEHASH,
                did,
                serviceId,
                keccak256(bytes(serviceType)),
                keccak256(bytes(endpoint)),
                auth.version,
                auth.deadline
            )
        );
        _setService(did, _asSigner(did, structHash, auth), serviceId, serviceType, endpoint);
    }

    /// @inheritdoc IDIDRegistry
    function removeService(address did, bytes32 serviceId) external whenNotPaused {
        _removeService(did, _asController(did), serviceId);
    }

    /// @inheritdoc IDIDRegistry
    function removeServiceSigned(address did, bytes32 serviceId, SignedAuth calldata auth) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(REMOVE_SERVICE_TYPEHASH, did, serviceId, auth.version, auth.deadline)
        );
        _removeService(did, _asSigner(did, structHash, auth), serviceId);
    }

    /// @inheritdoc IDIDRegistry
    function deactivate(address did, bytes32 reasonHash) external whenNotPaused {
        _deactivate(did, _asController(did), msg.sender, reasonHash);
    }

    /// @inheritdoc IDIDRegistry
    function deactivateSigned(address did, bytes32 reasonHash, SignedAuth calldata auth) external whenNotPaused {
        bytes32 structHash = keccak256(abi.encode(DEACTIVATE_TYPEHASH, did, reasonHash, auth.version, auth.deadline));
        uint256 word = _asSigner(did, structHash, auth);
        _deactivate(did, word, word.controllerOf(did), reasonHash);
    }

    /// @inheritdoc IDIDRegistry
    function invalidateSignatures(address did) external whenNotPaused {
        (uint32 newVersion, uint48 previousChange) = _commit(did, _asController(did));
        emit DIDSignaturesInvalidated(did, newVersion, previousChange);
    }

    // ================================================================== views

    /// @inheritdoc IDIDRegistry
    function didRecord(address did) external view returns (DIDRecord memory) {
        return _load(did);
    }

    /// @inheritdoc IDIDRegistry
    function controllerOf(address did) external view returns (address) {
        return _storage().records[did].controllerOf(did);
    }

    /// @inheritdoc IDIDRegistry
    function isActive(address did) external view returns (bool) {
        return !_storage().records[did].deactivated();
    }

    /// @inheritdoc IDIDRegistry
    function isActiveSubject(address did, SubjectType subjectType) external view returns (bool) {
        uint256 word = _storage().records[did];
        return subjectType != SubjectType.None && word.subjectType() == uint8(subjectType) && !word.deactivated();
    }

    /// @inheritdoc IDIDRegistry
    function delegateOf(address did, address delegate) external view returns (Delegate memory) {
        return _storage().delegates[did][delegate];
    }

    /// @inheritdoc IDIDRegistry
    function isAuthorized(address did, address account, uint8 purposes) external view returns (bool) {
        uint256 word = _storage().records[did];
        if (word.deactivated() || purposes == 0) return false;
        if (account == word.controllerOf(did)) return true;
        Delegate memory rights = _storage().delegates[did][account];
        return
            rights.purposes & purposes == purposes &&
            rights.validFrom <= block.timestamp &&
            block.timestamp < rights.validUntil;
    }

    // ================================================================== internals

    function _changeController(address did, uint256 word, address newController) private {
        if (newController == address(0)) revert DIDRegistryZeroAddress(0);
        (uint32 newVersion, uint48 previousChange) = _commit(did, word.withController(newController));
        emit DIDControllerChanged(did, newController, newVersion, previousChange);
    }

    function _setDelegate(address did, uint256 word, address delegate, Delegate calldata rights) private {
        if (delegate == address(0)) revert DIDRegistryZeroAddress(0);
        uint8 purposes = rights.purposes;
        // An Ethereum account cannot do key agreement: a delegate signs, it does not decrypt.
        if (purposes == 0 || purposes & ~ALL_PURPOSES != 0 || purposes & KEY_AGREEMENT != 0) {
            revert DIDRegistryInvalidPurposes(purposes);
        }
        uint48 validUntil = _checkWindow(rights.validFrom, rights.validUntil);
        _storage().delegates[did][delegate] = Delegate(purposes, rights.validFrom, validUntil);
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDDelegateChanged(did, delegate, purposes, rights.validFrom, validUntil, newVersion, previousChange);
    }

    function _revokeDelegate(address did, uint256 word, address delegate) private {
        Delegate storage rights = _storage().delegates[did][delegate];
        if (rights.purposes == 0 || rights.validUntil <= block.timestamp) {
            revert DIDRegistryUnknownDelegate(did, delegate);
        }
        uint48 nowTs = uint48(block.timestamp);
        rights.validUntil = nowTs;
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDDelegateChanged(did, delegate, rights.purposes, rights.validFrom, nowTs, newVersion, previousChange);
    }

    function _revokeKey(address did, uint256 word, bytes32 keyId, uint48 validUntil) private {
        if (keyId == bytes32(0)) revert DIDRegistryEmptyKeyId();
        if (validUntil == 0) validUntil = uint48(block.timestamp);
        if (validUntil < block.timestamp) revert DIDRegistryInvalidRevocationTime(validUntil, block.timestamp);
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDKeyRevoked(did, keyId, validUntil, newVersion, previousChange);
    }

    function _rotateKey(address did, uint256 word, bytes32 oldKeyId, uint32 overlap, Key calldata newKey) private {
        if (oldKeyId == bytes32(0)) revert DIDRegistryEmptyKeyId();
        _validateKey(newKey);
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDKeyRevoked(did, oldKeyId, uint48(block.timestamp) + overlap, newVersion, previousChange);
        _emitKeyAdded(did, newKey, newVersion, previousChange);
    }

    function _setService(
        address did,
        uint256 word,
        bytes32 serviceId,
        string calldata serviceType,
        string calldata endpoint
    ) private {
        if (serviceId == bytes32(0) || bytes(serviceType).length == 0 || bytes(endpoint).length == 0) {
            revert DIDRegistryInvalidService(serviceId);
        }
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDServiceSet(did, serviceId, serviceType, endpoint, newVersion, previousChange);
    }

    function _removeService(address did, uint256 word, bytes32 serviceId) private {
        if (serviceId == bytes32(0)) revert DIDRegistryInvalidService(serviceId);
        (uint32 newVersion, uint48 previousChange) = _commit(did, word);
        emit DIDServiceRemoved(did, serviceId, newVersion, previousChange);
    }

    function _deactivate(address did, uint256 word, address by, bytes32 reasonHash) private {
        (uint32 newVersion, uint48 previousChange) = _commit(did, word.withDeactivated());
        emit DIDDeactivated(did, by, reasonHash, newVersion, previousChange);
    }

    function _emitKeyAdded(address did, Key calldata key, uint32 newVersion, uint48 previousChange) private {
        emit DIDKeyAdded(
            did,
            key.keyId,
            key.keyType,
            key.purposes,
            key.validFrom,
            key.validUntil == 0 ? FOREVER : key.validUntil,
            key.publicKey,
            newVersion,
            previousChange
        );
    }

    /// @dev The record of `did` as the view struct, with its controller resolved.
    function _load(address did) private view returns (DIDRecord memory) {
        uint256 word = _storage().records[did];
        return
            DIDRecord({
                controller: word.controllerOf(did),
                version: word.version(),
                lastChange: word.lastChange(),
                subjectType: SubjectType(word.subjectType()),
                deactivated: word.deactivated()
            });
    }

    /// @dev Checks that the caller controls active `did`; returns its packed record.
    function _asController(address did) private view returns (uint256 word) {
        word = _storage().records[did];
        if (word.deactivated()) revert DIDRegistryDeactivated(did);
        address controller = word.controllerOf(did);
        if (msg.sender != controller) revert DIDRegistryNotController(did, msg.sender, controller);
    }

    /// @dev Checks a relayed operation: deadline, DID active, signed against the current version, by the controller.
    function _asSigner(address did, bytes32 structHash, SignedAuth calldata auth) private view returns (uint256 word) {
        if (block.timestamp > auth.deadline) revert DIDRegistrySignatureExpired(auth.deadline, block.timestamp);
        word = _storage().records[did];
        if (word.deactivated()) revert DIDRegistryDeactivated(did);
        uint32 current = word.version();
        if (current != auth.version) revert DIDRegistryStaleSignature(did, current, auth.version);
        address controller = word.controllerOf(did);
        if (!GovSignatures.isValidNow(controller, _hashTypedData(structHash), auth.signature)) {
            revert DIDRegistryInvalidSignature(did, controller);
        }
    }

    /// @dev Writes `word` as the next version of `did`, changed in this block; returns the new version and the
    /// block of the previous change.
    function _commit(address did, uint256 word) private returns (uint32 newVersion, uint48 previousChange) {
        previousChange = word.lastChange();
        // Checked: 2**32 changes of one DID would take more blocks than any chain will seal.
        newVersion = word.version() + 1;
        _storage().records[did] = word.withChange(newVersion, uint48(block.number));
    }

    function _validateKey(Key calldata key) private pure {
        if (key.keyId == bytes32(0)) revert DIDRegistryEmptyKeyId();
        KeyType keyType = key.keyType;
        uint8 purposes = key.purposes;
        if (purposes == 0 || purposes & ~ALL_PURPOSES != 0) revert DIDRegistryInvalidPurposes(purposes);
        // X25519 only agrees keys; Ed25519 only signs; secp256k1 and P-256 keys may do both.
        if (
            keyType == KeyType.X25519
                ? purposes != KEY_AGREEMENT
                : (keyType == KeyType.Ed25519 && purposes & KEY_AGREEMENT != 0)
        ) {
            revert DIDRegistryInvalidPurposes(purposes);
        }
        uint256 length = key.publicKey.length;
        bool compressed = keyType == KeyType.Secp256k1 || keyType == KeyType.P256;
        if (compressed ? (length != 33 || (key.publicKey[0] != 0x02 && key.publicKey[0] != 0x03)) : length != 32) {
            revert DIDRegistryInvalidKey(keyType, length);
        }
        _checkWindow(key.validFrom, key.validUntil);
    }

    /// @dev Returns the effective end of a window (0 means no expiry); reverts on an empty window.
    function _checkWindow(uint48 validFrom, uint48 validUntil) private pure returns (uint48) {
        if (validUntil == 0) return FOREVER;
        if (validUntil <= validFrom) revert DIDRegistryInvalidWindow(validFrom, validUntil);
        return validUntil;
    }

    function _hashKey(Key calldata key) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    KEY_TYPEHASH,
                    key.keyId,
                    key.keyType,
                    key.purposes,
                    key.validFrom,
                    key.validUntil,
                    keccak256(key.publicKey)
                )
            );
    }

    function _domainNameAndVersion() internal pure override returns (string memory, string memory) {
        return ("GovChain DIDRegistry", "1");
    }

    function _domainHashes() internal pure override returns (bytes32, bytes32) {
        return (NAME_HASH, VERSION_HASH);
    }

    function _storage() private pure returns (DIDRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
