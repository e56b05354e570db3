// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title IDisclosureRegistry
 * @notice Agencies anchor the fingerprints of what they publish (budgets, procurement results, policies...), so
 * anyone can prove a file is exactly the published one, when it was published and by which agency, and whether it
 * was later amended, retracted or revoked. Files stay off chain; only hashes go on chain.
 *
 * A record is a Merkle root: of a whole folder, or of a single document (a tree of one leaf). Leaves follow the
 * OpenZeppelin standard tree of `(documentHash, index)`: double-hashed, so an inner node can never pass as a
 * document, and carrying the index, so a proof names the document's position for revocation. Nothing is ever
 * deleted: an amendment links the record to its next version, a retraction records when and why, a document
 * revoked inside a batch keeps its bit. A record may be embargoed (public from `publishAt`) or require k-of-n
 * EIP-712 co-signatures (say the agency's auditor) before it counts as published.
 */
interface IDisclosureRegistry {
    /// @notice How the files were hashed (the leaves carry those hashes).
    enum HashAlgorithm {
        Keccak256,
        Sha256,
        Sm3
    }

    /// @notice A document's standing, as `verifyDocument` and `statusAt` report it.
    enum DocumentStatus {
        Active, // published, not amended, retracted or revoked
        NotAnchored, // no such record (or not yet, at that time)
        InvalidProof, // the document, its index or its proof does not belong to the record
        Embargoed, // anchored, but not public before publishAt
        PendingCoSignature, // anchored, waiting for its co-signatures
        Amended, // superseded by a newer version (see latest)
        Retracted, // withdrawn by its publisher, with a reason
        Revoked // this one document was revoked inside its batch
    }

    /// @notice What a publisher anchors.
    struct Anchor {
        bytes32 root; // Merkle root of the batch (or of a one-document tree)
        bytes32 category; // e.g. "budget", "procurement", "policy" as bytes32 text
        HashAlgorithm hashAlgorithm;
        uint40 publishAt; // embargo: public from this time; 0 = at once
        string periodOrReference; // the period or reference, e.g. "FY2027" or "Tender 2026-114"
        string uri; // where the files are published
    }

    /// @notice A record as stored and read back.
    struct Record {
        address publisher;
        uint40 anchoredAt;
        uint40 anchoredBlock;
        HashAlgorithm hashAlgorithm;
        uint8 flags; // RETRACTED = 1, AMENDED = 2, PENDING_COSIGNATURE = 4
    }

    /// @notice Everything known about a record, in one call.
    struct RecordView {
        address publisher;
        uint40 anchoredAt;
        uint40 anchoredBlock;
        uint40 publishAt;
        HashAlgorithm hashAlgorithm;
        bool pendingCoSignature;
        bytes32 amendedBy; // next version, zero if none
        uint40 amendedAt;
        uint40 retractedAt; // zero if not retracted
        uint16 retractionReason;
    }

    // ------------------------------------------------------------------ events

    event DisclosureAnchored(
        bytes32 indexed root,
        address indexed publisher,
        bytes32 indexed category,
        HashAlgorithm hashAlgorithm,
        uint40 publishAt,
        string periodOrReference,
        string uri
    );

    /// @notice Several records anchored in one transaction: one event for all of them.
    event DisclosuresAnchored(address indexed publisher, Anchor[] anchors);

    /// @notice `root` counts as published only once `threshold` of `signers` have co-signed it.
    event DisclosureCoSignatureRequired(bytes32 indexed root, address[] signers, uint8 threshold);

    /// @notice `root` received its co-signatures from `signedBy` and is published.
    event DisclosureCoSigned(bytes32 indexed root, address[] signedBy);

    event DisclosureAmended(bytes32 indexed root, bytes32 indexed newRoot, address indexed publisher);

    event DisclosureRetracted(bytes32 indexed root, uint16 reasonCode, bytes32 reasonHash);

    /// @notice Documents of `root` revoked: bits of status word `wordIndex` (bit i: leaf wordIndex*256+i).
    event DocumentsRevoked(bytes32 indexed root, uint256 wordIndex, uint256 bits);

    // ------------------------------------------------------------------ errors

    error DisclosureRegistryEmptyRoot();
    error DisclosureRegistryEmptyBatch();
    /// @notice `root` was already anchored by `publisher` at `anchoredAt`.
    error DisclosureRegistryAlreadyAnchored(bytes32 root, address publisher, uint40 anchoredAt);
    error DisclosureRegistryUnknownRecord(bytes32 root);
    /// @notice Only the publisher of `root` (`publisher`) may change it.
    error DisclosureRegistryNotPublisher(bytes32 root, address caller, address publisher);
    /// @notice `root` was retracted at `retractedAt`: it never changes again.
    error DisclosureRegistryRetracted(bytes32 root, uint40 retractedAt);
    /// @notice `root` was already amended by `amendedBy`.
    error DisclosureRegistryAlreadyAmended(bytes32 root, bytes32 amendedBy);
    /// @notice A co-signature policy needs 1 <= threshold <= signers, and signers strictly increasing.
    error DisclosureRegistryInvalidCoSignPolicy(uint256 signers, uint8 threshold);
    /// @notice `root` is not waiting for co-signatures (never required them, or already has them).
    error DisclosureRegistryNotPendingCoSignature(bytes32 root);
    /// @notice The signers or threshold given are not the ones `root` requires.
    error DisclosureRegistryWrongCoSignPolicy(bytes32 root);
    /// @notice `signer` (position `index`) is not a required co-signer, is repeated, or its signature is invalid.
    error DisclosureRegistryInvalidCoSignature(uint256 index, address signer);
    /// @notice `count` valid co-signatures, `threshold` needed.
    error DisclosureRegistryNotEnoughCoSignatures(uint256 count, uint8 threshold);

    // ------------------------------------------------------------------ publishing

    /// @notice Anchors one record. Restricted (PUBLISHER).
    function anchor(Anchor calldata record) external;

    /// @notice Anchors several records in one transaction, with one event. Restricted (PUBLISHER).
    function anchorBatch(Anchor[] calldata records) external;

    /// @notice Anchors a record that counts as published only after `threshold` of `signers` (strictly increasing
    /// addresses) co-sign it with EIP-712 `CoSign(bytes32 root)`. Restricted (PUBLISHER).
    function anchorCoSigned(Anchor calldata record, address[] calldata signers, uint8 threshold) external;

    /// @notice Submits the co-signatures of `root` (anyone may relay them): `signedBy` strictly increasing, each a
    /// member of the policy, with its signature; publishes the record once the threshold is met.
    function coSign(
        bytes32 root,
        address[] calldata signers,
        uint8 threshold,
        address[] calldata signedBy,
        bytes[] calldata signatures
    ) external;

    /// @notice Publishes `next` as the new version of `root`. Restricted (PUBLISHER); the publisher of `root` only.
    function amend(bytes32 root, Anchor calldata next) external;

    /// @notice Withdraws `root`, for good, with a reason code and the hash of a reason document.
    /// Restricted (PUBLISHER); the publisher of `root` only.
    function retract(bytes32 root, uint16 reasonCode, bytes32 reasonHash) external;

    /// @notice Revokes the documents at `indices` (strictly increasing) inside `root`: one write per 256 documents.
    /// Restricted (PUBLISHER); the publisher of `root` only.
    function revokeDocuments(bytes32 root, uint256[] calldata indices) external;

    // ------------------------------------------------------------------ verification

    /// @notice The standing now of the document `documentHash` at `index` of `root`, with its Merkle `proof`.
    function verifyDocument(
        bytes32 root,
        bytes32 documentHash,
        uint256 index,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus);

    /// @notice The standing of that document as of `time`. Amendment, retraction, embargo and anchoring are judged
    /// at `time`; a revocation inside a batch and a missing co-signature are judged now (their time is in events).
    function statusAt(
        bytes32 root,
        bytes32 documentHash,
        uint256 index,
        bytes32[] calldata proof,
        uint40 time
    ) external view returns (DocumentStatus);

    /// @notice The latest version of the record `root` (itself if never amended).
    function latest(bytes32 root) external view returns (bytes32);

    function recordOf(bytes32 root) external view returns (RecordView memory);

    /// @notice The Merkle leaf of a document: keccak256(bytes.concat(keccak256(abi.encode(documentHash, index)))).
    function leafOf(bytes32 documentHash, uint256 index) external pure returns (bytes32);
}
