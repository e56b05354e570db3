// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title IDIDRegistry
 * @notice Decentralized identifiers for citizens, organizations and agencies: `did:govchain:<chainId>:<address>`.
 *
 * Every address is a DID controlled by itself from the start, at zero gas (as in ERC-1056). A REGISTRAR (the identity
 * bureau) registers a DID with its subject type and a salted commitment of the real-world identifier; the raw ID
 * number and the salt never leave the registrar. The controller then manages the DID directly or by EIP-712
 * signature through any relayer.
 *
 * What a contract can read (one storage slot per DID, so the current state reads in one call): controller, subject
 * type, version, block of the last change, deactivation; and the delegates (Ethereum accounts acting for the DID,
 * with purposes and a validity window), which are the only keys an EVM contract can check (ecrecover).
 * What resolvers read from events: public keys of other types (Ed25519, X25519, secp256k1, P-256) with their windows,
 * services, registration metadata. Every event carries the DID's new version and the block of its previous change,
 * so history resolves with one log query per change (ERC-1056's `previousChange` chain).
 *
 * Signed forms bind the DID's version at signing time (a signature applies to exactly one state and can never be
 * replayed), a deadline, and the chain id and proxy address through the EIP-712 domain; contract controllers sign
 * with ERC-1271.
 */
interface IDIDRegistry {
    /// @notice What a DID stands for. `None` is an address no registrar has registered (still a valid DID).
    enum SubjectType {
        None,
        Citizen,
        Organization,
        Agency
    }

    /// @notice Public key types a verification method may carry. Ethereum accounts are delegates instead.
    enum KeyType {
        Ed25519, // 32-byte raw public key (Ed25519VerificationKey2020)
        X25519, // 32-byte raw public key (X25519KeyAgreementKey2020), key agreement only
        Secp256k1, // 33-byte compressed public key (EcdsaSecp256k1VerificationKey2019)
        P256 // 33-byte compressed public key (JsonWebKey2020, crv P-256)
    }

    /// @notice The state of a DID, packed in one storage slot.
    struct DIDRecord {
        address controller; // zero while the DID has never changed: the DID controls itself
        uint32 version; // number of changes so far; also the nonce of signed operations
        uint48 lastChange; // block of the last change, 0 if none
        SubjectType subjectType;
        bool deactivated;
    }

    /// @notice A registration request from a REGISTRAR. Fixed-size, so a batch of thousands stays cheap.
    struct Registration {
        address did;
        address controller; // zero: the DID controls itself (a citizen's own wallet)
        SubjectType subjectType;
        bytes32 idCommitment; // keccak256(abi.encode(idScheme, idNumber, salt)); salt kept by the registrar
    }

    /// @notice A delegate's rights: a bitmask of purposes and a window [validFrom, validUntil).
    struct Delegate {
        uint8 purposes;
        uint48 validFrom;
        uint48 validUntil;
    }

    /// @notice A public key for a verification method. `validUntil` 0 means no expiry.
    struct Key {
        bytes32 keyId; // the DID URL fragment, e.g. "key-1" as bytes32
        KeyType keyType;
        uint8 purposes;
        uint48 validFrom;
        uint48 validUntil;
        bytes publicKey;
    }

    /// @notice Authorization of a relayed operation: the DID version it was signed against, a deadline and the
    /// controller's signature (65-byte ECDSA, or anything the controller's ERC-1271 contract accepts).
    struct SignedAuth {
        uint32 version;
        uint48 deadline;
        bytes signature;
    }

    // ------------------------------------------------------------------ events

    /// @notice `did` was registered with its controller (zero: itself), subject type and identifier commitment.
    /// `previousChange` is the block of the DID's previous change (0 if none).
    event DIDRegistered(
        address indexed did,
        address controller,
        SubjectType subjectType,
        bytes32 idCommitment,
        uint32 version,
        uint48 previousChange
    );

    /// @notice `registrar` registered `count` DIDs in this call (the DIDRegistered events of the same transaction).
    event DIDsRegistered(address indexed registrar, uint256 count);

    /// @notice `did` was registered with a metadata document (hash and location), in the change `version`.
    event DIDMetadataSet(
        address indexed did,
        bytes32 metadataHash,
        string metadataURI,
        uint32 version,
        uint48 previousChange
    );

    /// @notice The controller of `did` changed to `controller`.
    event DIDControllerChanged(address indexed did, address indexed controller, uint32 version, uint48 previousChange);

    /// @notice `delegate` may act for `did` for `purposes` within [validFrom, validUntil); validUntil <= now revokes.
    event DIDDelegateChanged(
        address indexed did,
        address indexed delegate,
        uint8 purposes,
        uint48 validFrom,
        uint48 validUntil,
        uint32 version,
        uint48 previousChange
    );

    /// @notice A public key was added to `did`.
    event DIDKeyAdded(
        address indexed did,
        bytes32 indexed keyId,
        KeyType keyType,
        uint8 purposes,
        uint48 validFrom,
        uint48 validUntil,
        bytes publicKey,
        uint32 version,
        uint48 previousChange
    );

    /// @notice Key `keyId` of `did` stops being valid at `validUntil` (now, or later for a rotation overlap).
    event DIDKeyRevoked(
        address indexed did,
        bytes32 indexed keyId,
        uint48 validUntil,
        uint32 version,
        uint48 previousChange
    );

    /// @notice Service `serviceId` of `did` was set (added or replaced).
    event DIDServiceSet(
        address indexed did,
        bytes32 indexed serviceId,
        string serviceType,
        string endpoint,
        uint32 version,
        uint48 previousChange
    );

    /// @notice Service `serviceId` of `did` was removed.
    event DIDServiceRemoved(address indexed did, bytes32 indexed serviceId, uint32 version, uint48 previousChange);

    /// @notice `did` was deactivated, for good, by its controller or a REGISTRAR (`by`), with a reason document hash.
    event DIDDeactivated(
        address indexed did,
        address indexed by,
        bytes32 reasonHash,
        uint32 version,
        uint48 previousChange
    );

    /// @notice The controller moved `did` to a new version to void every signature not yet relayed.
    event DIDSignaturesInvalidated(address indexed did, uint32 version, uint48 previousChange);

    // ------------------------------------------------------------------ errors

    /// @notice A zero address was given for a DID, controller or delegate (`index` in a batch, 0 otherwise).
    error DIDRegistryZeroAddress(uint256 index);

    /// @notice `did` is already registered (`index` in a batch, 0 otherwise), including earlier in the same batch.
    error DIDRegistryAlreadyRegistered(uint256 index, address did);

    /// @notice A registration asked for subject type None (`index` in a batch).
    error DIDRegistryInvalidSubjectType(uint256 index, address did);

    /// @notice A batch was empty.
    error DIDRegistryEmptyBatch();

    /// @notice `did` is deactivated: it never changes again.
    error DIDRegistryDeactivated(address did);

    /// @notice `caller` is not the controller of `did` (who is `controller`).
    error DIDRegistryNotController(address did, address caller, address controller);

    /// @notice The signed operation expired at `deadline`; it is now `timestamp`.
    error DIDRegistrySignatureExpired(uint48 deadline, uint256 timestamp);

    /// @notice The signature was made against version `signedVersion` of `did`, which is now at `currentVersion`
    /// (a replay, or an operation overtaken by another change).
    error DIDRegistryStaleSignature(address did, uint32 currentVersion, uint32 signedVersion);

    /// @notice The signature is not the controller's (`controller`) over this operation on this chain and contract.
    error DIDRegistryInvalidSignature(address did, address controller);

    /// @notice The purposes bitmask is empty or has unknown bits, or does not suit the key type.
    error DIDRegistryInvalidPurposes(uint8 purposes);

    /// @notice The window is empty: validUntil (non-zero) is not after validFrom.
    error DIDRegistryInvalidWindow(uint48 validFrom, uint48 validUntil);

    /// @notice A key needs a non-zero id.
    error DIDRegistryEmptyKeyId();

    /// @notice The public key has the wrong length (or, compressed, the wrong prefix) for its type.
    error DIDRegistryInvalidKey(KeyType keyType, uint256 length);

    /// @notice A revocation or rotation would end key validity before now (`validUntil` < `timestamp`).
    error DIDRegistryInvalidRevocationTime(uint48 validUntil, uint256 timestamp);

    /// @notice A service needs a non-empty id, type and endpoint.
    error DIDRegistryInvalidService(bytes32 serviceId);

    /// @notice `delegate` is not a delegate of `did`, or already revoked.
    error DIDRegistryUnknownDelegate(address did, address delegate);

    // ------------------------------------------------------------------ registrar

    /// @notice Registers one DID, with an optional metadata document (hash and URI; zero and "" for none).
    /// Restricted (REGISTRAR). The DID must not be registered or deactivated.
    function register(Registration calldata registration, bytes32 metadataHash, string calldata metadataURI) external;

    /// @notice Registers many DIDs in one transaction; reverts whole on the first bad record, naming its index.
    /// Restricted (REGISTRAR).
    function registerBatch(Registration[] calldata registrations) external;

    /// @notice Deactivates a DID on the registrar's authority (death, dissolution). Restricted (REGISTRAR).
    function registrarDeactivate(address did, bytes32 reasonHash) external;

    // ------------------------------------------------------------------ controller operations

    /// @notice Hands control of `did` to `newController`. Controller only.
    function changeController(address did, address newController) external;

    /// @notice Signed form of {changeController}.
    function changeControllerSigned(address did, address newController, SignedAuth calldata auth) external;

    /// @notice Lets `delegate` act for `did` for `purposes` within [validFrom, validUntil) (validUntil 0: no expiry).
    function setDelegate(address did, address delegate, Delegate calldata rights) external;

    /// @notice Signed form of {setDelegate}.
    function setDelegateSigned(
        address did,
        address delegate,
        Delegate calldata rights,
        SignedAuth calldata auth
    ) external;

    /// @notice Ends `delegate`'s rights over `did` now.
    function revokeDelegate(address did, address delegate) external;

    /// @notice Signed form of {revokeDelegate}.
    function revokeDelegateSigned(address did, address delegate, SignedAuth calldata auth) external;

    /// @notice Adds a public key to `did`.
    function addKey(address did, Key calldata key) external;

    /// @notice Signed form of {addKey}.
    function addKeySigned(address did, Key calldata key, SignedAuth calldata auth) external;

    /// @notice Ends key `keyId` of `did` at `validUntil` (now or later).
    function revokeKey(address did, bytes32 keyId, uint48 validUntil) external;

    /// @notice Signed form of {revokeKey}.
    function revokeKeySigned(address did, bytes32 keyId, uint48 validUntil, SignedAuth calldata auth) external;

    /// @notice Replaces key `oldKeyId` with `newKey`; the old key stays valid for `overlap` seconds more.
    function rotateKey(address did, bytes32 oldKeyId, uint32 overlap, Key calldata newKey) external;

    /// @notice Signed form of {rotateKey}.
    function rotateKeySigned(
        address did,
        bytes32 oldKeyId,
        uint32 overlap,
        Key calldata newKey,
        SignedAuth calldata auth
    ) external;

    /// @notice Adds or replaces service `serviceId` of `did`.
    function setService(address did, bytes32 serviceId, string calldata serviceType, string calldata endpoint) external;

    /// @notice Signed form of {setService}.
    function setServiceSigned(
        address did,
        bytes32 serviceId,
        string calldata serviceType,
        string calldata endpoint,
        SignedAuth calldata auth
    ) external;

    /// @notice Removes service `serviceId` of `did`.
    function removeService(address did, bytes32 serviceId) external;

    /// @notice Signed form of {removeService}.
    function removeServiceSigned(address did, bytes32 serviceId, SignedAuth calldata auth) external;

    /// @notice Deactivates `did` for good. Controller only.
    function deactivate(address did, bytes32 reasonHash) external;

    /// @notice Signed form of {deactivate}.
    function deactivateSigned(address did, bytes32 reasonHash, SignedAuth calldata auth) external;

    /// @notice Moves `did` to the next version without other change, voiding every signature not yet relayed.
    function invalidateSignatures(address did) external;

    // ------------------------------------------------------------------ views

    /// @notice The current state of `did` in one call. An unregistered, unchanged DID reads as controlled by itself.
    function didRecord(address did) external view returns (DIDRecord memory);

    /// @notice The controller of `did` (the DID itself until changed).
    function controllerOf(address did) external view returns (address);

    /// @notice True unless `did` was deactivated. Every address starts active.
    function isActive(address did) external view returns (bool);

    /// @notice True if `did` is registered with `subjectType` and active: what other services check.
    function isActiveSubject(address did, SubjectType subjectType) external view returns (bool);

    /// @notice The rights of `delegate` over `did`.
    function delegateOf(address did, address delegate) external view returns (Delegate memory);

    /// @notice True if `account` may act for active `did` for every purpose in `purposes` now: the controller may
    /// for all purposes; a delegate within its window for its own purposes.
    function isAuthorized(address did, address account, uint8 purposes) external view returns (bool);
}
