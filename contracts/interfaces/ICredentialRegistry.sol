// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title ICredentialRegistry
 * @notice Credentials that one agency issues and any other verifies on chain in one call, without a phone call.
 *
 * Trust chain: the consortium's accreditation body (ACCREDITOR role) accredits ministries as trusted accreditation
 * organizations; each ministry accredits agencies as issuers of named schemas; every accreditation records its
 * parent, and issuance checks the whole chain, so revoking a ministry stops new issuance by every issuer under it.
 *
 * Only fingerprints go on chain: the credential's hash, its subject DID, schema, validity window and status-list
 * index. A credential is stored in one slot keyed by (issuer, status index), so an index is never used twice.
 * A whole batch can also be anchored as one Merkle root (leaves: the OpenZeppelin standard tree of
 * (credentialHash, subject, position)); leaf `position` has status index `rootStatusBase + position`, where the base
 * derives from the root's id (at or above 2**255, far from direct indices, which stay below 2**64), so the tree is
 * built before issuance and two roots never share a status index. Revocation (final) and suspension (reversible) are
 * bitmaps per issuer, 256 statuses per storage word; a batch's consecutive indices share words.
 *
 * Revocation and suspension keep working while the service is paused: a pause stops damage, and withdrawing a
 * credential only reduces it. Everything else, reinstatement included, stops.
 */
interface ICredentialRegistry {
    enum AccreditationKind {
        None,
        Accreditor, // a trusted accreditation organization (a ministry), accredited by the consortium
        Issuer // an agency accredited by an accreditor to issue one schema
    }

    /// @notice The outcome of a verification; anything but Valid says why the credential fails.
    enum CredentialStatus {
        Valid,
        NotFound, // never issued by this issuer with these exact fields (or a tampered field)
        NotYetValid,
        Expired,
        Revoked,
        Suspended,
        SubjectDeactivated
    }

    enum StatusKind {
        Revocation,
        Suspension
    }

    struct Schema {
        bytes32 jsonSchemaHash;
        address registeredBy;
        uint32 version;
        uint40 registeredAt;
    }

    /// @notice An accreditation of `holder` (by its key), with its parent (zero: the consortium).
    struct Accreditation {
        address parent;
        uint40 validFrom;
        uint40 validUntil; // type(uint40).max: no expiry
        bool revoked;
        AccreditationKind kind;
    }

    /// @notice A credential as anchored and verified. `validUntil` 0 means no expiry.
    struct CredentialInput {
        bytes32 credentialHash; // hash of the signed verifiable credential, held by the subject
        address subject; // the subject's DID (address)
        bytes32 schemaId;
        uint40 validFrom;
        uint40 validUntil;
        uint64 statusIndex; // the SDK hands them out sequentially so revocations cluster
    }

    /// @notice One credential of a batch: the batch gives the schema.
    struct BatchCredential {
        bytes32 credentialHash;
        address subject;
        uint40 validFrom;
        uint40 validUntil;
        uint64 statusIndex;
    }

    /// @notice A batch anchored as one Merkle root of `count` leaves.
    struct CredentialRoot {
        bytes32 root;
        bytes32 schemaId;
        uint40 validFrom;
        uint40 validUntil;
        uint32 count;
    }

    // ------------------------------------------------------------------ events

    event SchemaRegistered(
        bytes32 indexed schemaId,
        address indexed registeredBy,
        string name,
        uint32 version,
        bytes32 jsonSchemaHash,
        string uri
    );

    /// @notice `holder` was accredited (for `schemaId`; zero for an accreditor) under `parent` (zero: the consortium).
    event AccreditationGranted(
        address indexed holder,
        bytes32 indexed schemaId,
        address indexed parent,
        AccreditationKind kind,
        uint40 validFrom,
        uint40 validUntil
    );

    /// @notice The accreditation of `holder` for `schemaId` was revoked by `by`: no new issuance under it.
    event AccreditationRevoked(address indexed holder, bytes32 indexed schemaId, address indexed by);

    event CredentialIssued(
        address indexed issuer,
        address indexed subject,
        uint64 indexed statusIndex,
        bytes32 credentialHash,
        bytes32 schemaId,
        uint40 validFrom,
        uint40 validUntil
    );

    /// @notice A batch root was anchored; leaf `position` has status index `statusBase + position`.
    event CredentialRootIssued(
        address indexed issuer,
        bytes32 indexed root,
        bytes32 schemaId,
        uint40 validFrom,
        uint40 validUntil,
        uint32 count,
        uint256 statusBase
    );

    /// @notice Status word `wordIndex` of `issuer` now holds `bits` (bit i: status index wordIndex*256+i is set).
    event CredentialStatusUpdated(address indexed issuer, StatusKind indexed kind, uint256 wordIndex, uint256 bits);

    // ------------------------------------------------------------------ errors

    error CredentialRegistryZeroAddress();
    error CredentialRegistryEmptyBatch();
    error CredentialRegistryInvalidWindow(uint40 validFrom, uint40 validUntil);
    error CredentialRegistrySchemaExists(bytes32 schemaId);
    error CredentialRegistryUnknownSchema(bytes32 schemaId);
    /// @notice `account` holds no active accreditor accreditation.
    error CredentialRegistryNotAccreditor(address account);
    /// @notice `issuer` holds no active accreditation for `schemaId`, or its accreditor lost its own.
    error CredentialRegistryNotAccredited(address issuer, bytes32 schemaId);
    /// @notice No accreditation of `holder` for `schemaId` to revoke.
    error CredentialRegistryUnknownAccreditation(address holder, bytes32 schemaId);
    /// @notice Only the accreditor that granted it (`parent`) revokes an issuer's accreditation.
    error CredentialRegistryNotParent(address caller, address parent);
    /// @notice `statusIndex` of `issuer` already identifies a credential.
    error CredentialRegistryStatusIndexUsed(address issuer, uint64 statusIndex);
    /// @notice The same root with the same terms was already anchored by this issuer.
    error CredentialRegistryRootExists(bytes32 rootId);
    /// @notice A root must be non-zero and cover at least one credential.
    error CredentialRegistryEmptyRoot();

    // ------------------------------------------------------------------ schemas and accreditation

    /// @notice Registers a credential schema; its id is keccak256(abi.encode(name, version)). Restricted (ACCREDITOR).
    function registerSchema(
        string calldata name,
        uint32 schemaVersion,
        bytes32 jsonSchemaHash,
        string calldata uri
    ) external returns (bytes32 schemaId);

    /// @notice Accredits a ministry as a trusted accreditation organization. Restricted (ACCREDITOR).
    function accreditOrganization(address accreditor, uint40 validFrom, uint40 validUntil) external;

    /// @notice Withdraws an accreditor's accreditation: every issuer under it stops issuing. Restricted (ACCREDITOR).
    function revokeOrganization(address accreditor) external;

    /// @notice An accreditor accredits `issuer` for each of `schemaIds` within [validFrom, validUntil).
    function accreditIssuer(address issuer, bytes32[] calldata schemaIds, uint40 validFrom, uint40 validUntil) external;

    /// @notice The accreditor that accredited `issuer` for `schemaId` withdraws it.
    function revokeIssuer(address issuer, bytes32 schemaId) external;

    // ------------------------------------------------------------------ issuance

    /// @notice Anchors one credential issued by the caller, an accredited issuer of its schema.
    function issue(CredentialInput calldata credential) external;

    /// @notice Anchors many credentials of schema `schemaId` in one transaction; reverts whole on the first bad one.
    function issueBatch(bytes32 schemaId, BatchCredential[] calldata credentials) external;

    /// @notice Anchors a whole batch as one Merkle root, whatever its size.
    function issueRoot(CredentialRoot calldata root) external;

    /// @notice The status index of leaf 0 of `root` issued by `issuer` (leaf i has base + i).
    function rootStatusBase(address issuer, CredentialRoot calldata root) external pure returns (uint256);

    // ------------------------------------------------------------------ status

    /// @notice Revokes the caller's credentials at `statusIndices` (strictly increasing), for good.
    function revoke(uint256[] calldata statusIndices) external;

    /// @notice Suspends the caller's credentials at `statusIndices` (strictly increasing).
    function suspend(uint256[] calldata statusIndices) external;

    /// @notice Lifts the suspension of the caller's credentials at `statusIndices` (strictly increasing).
    function reinstate(uint256[] calldata statusIndices) external;

    /// @notice Whether `issuer`'s status index is revoked and whether it is suspended.
    function statusOf(address issuer, uint256 statusIndex) external view returns (bool revoked, bool suspended);

    // ------------------------------------------------------------------ verification

    /// @notice Verifies a credential anchored on its own: it exists with exactly these fields, is inside its window,
    /// is neither revoked nor suspended, and its subject's DID is active. Its issuer was accredited for the schema
    /// when it issued: issuance refuses otherwise.
    function verify(address issuer, CredentialInput calldata credential) external view returns (CredentialStatus);

    /// @notice Verifies the credential at leaf `position` of `root` with its Merkle `proof`.
    function verifyInBatch(
        address issuer,
        CredentialRoot calldata root,
        bytes32 credentialHash,
        address subject,
        uint32 position,
        bytes32[] calldata proof
    ) external view returns (CredentialStatus);

    /// @notice Whether `issuer` may issue `schemaId` now (its accreditation and its accreditor's are active).
    function isAccredited(address issuer, bytes32 schemaId) external view returns (bool);

    function accreditationOf(address holder, bytes32 schemaId) external view returns (Accreditation memory);

    function schemaOf(bytes32 schemaId) external view returns (Schema memory);

    /// @notice The DID registry whose subjects this registry's credentials are about.
    function didRegistry() external view returns (address);
}
