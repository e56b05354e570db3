// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title GovRoles
 * @notice The role catalogue of a GovChain network: one id per duty, shared by every service.
 * @dev The TypeScript mirror is `src/governance/roles.ts` (ids, labels, duties); `test/governance/GovRoles.test.ts`
 * proves the two agree. ADMIN is AccessManager's own ADMIN_ROLE (0); PUBLIC is AccessManager's PUBLIC_ROLE.
 */
library GovRoles {
    /// @dev The consortium itself: a multisig or timelock in production. AccessManager's ADMIN_ROLE.
    uint64 internal constant ADMIN = 0;
    /// @dev The identity bureau: registers DIDs of citizens, organizations and agencies.
    uint64 internal constant REGISTRAR = 1;
    /// @dev The consortium's accreditation body: accredits ministries (which accredit issuers), registers schemas.
    uint64 internal constant ACCREDITOR = 2;
    /// @dev Reserved. Credential issuers are checked by their per-schema accreditation in CredentialRegistry.
    uint64 internal constant ISSUER = 3;
    /// @dev An agency that anchors public disclosures.
    uint64 internal constant PUBLISHER = 4;
    /// @dev The tax authority: registers taxpayers, sees and freezes invoices.
    uint64 internal constant TAX_AUTHORITY = 5;
    /// @dev An arbiter of escrowed agreements.
    uint64 internal constant ARBITER = 6;
    /// @dev Stops one service fast in an incident.
    uint64 internal constant PAUSER = 7;
    /// @dev Upgrades a service implementation, after the execution delay it was granted with.
    uint64 internal constant UPGRADER = 8;
    /// @dev A gateway that relays EIP-712 signed operations for users who hold no gas.
    uint64 internal constant RELAYER = 9;
    /// @dev Anyone: AccessManager's PUBLIC_ROLE.
    uint64 internal constant PUBLIC = type(uint64).max;
}
