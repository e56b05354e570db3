// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

/**
 * @title IGovAuthority
 * @notice The one place that says who may call what across a GovChain network: an OpenZeppelin AccessManager
 * with two conveniences for operators (granting a role to many accounts at once, and handing the ADMIN role over
 * from the deploying key to the consortium's multisig or timelock in one call).
 */
interface IGovAuthority is IAccessManager {
    /// @notice The ADMIN role passed from `previousAdmin` to `newAdmin`, who must wait `executionDelay` seconds
    /// between scheduling and executing each admin action.
    event GovAuthorityAdminTransferred(address indexed previousAdmin, address indexed newAdmin, uint32 executionDelay);

    /// @notice A zero address was given where an account is required (`index` in the list, 0 for a single account).
    error GovAuthorityZeroAccount(uint256 index);

    /// @notice The role cannot be granted through this call (PUBLIC is everyone's; ADMIN moves with `transferAdmin`).
    error GovAuthorityRoleNotGrantable(uint64 roleId);

    /**
     * @notice Grants `roleId` to every account in `accounts`, each with `executionDelay`.
     * @dev Restricted to ADMIN (with ADMIN's own execution delay). Each grant takes effect after the role's grant
     * delay, exactly as {IAccessManager-grantRole}; an account that already holds the role has its delay updated.
     */
    function grantRoles(uint64 roleId, address[] calldata accounts, uint32 executionDelay) external;

    /**
     * @notice Gives the ADMIN role to `newAdmin` with `executionDelay`, and takes it from the direct caller unless the
     * caller is `newAdmin`. Used once at deployment to hand the network to the consortium.
     * @dev Restricted to ADMIN. When run through {IAccessManager-execute} the caller is unknown to the manager, so
     * the previous admin is left in place and must renounce with {IAccessManager-renounceRole}.
     */
    function transferAdmin(address newAdmin, uint32 executionDelay) external;
}
