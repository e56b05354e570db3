// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IGovAuthority} from "../interfaces/IGovAuthority.sol";
import {GovRoles} from "./GovRoles.sol";

/**
 * @title GovAuthority
 * @notice The access manager of a GovChain network. Every service proxy names it as its authority.
 */
contract GovAuthority is AccessManager, IGovAuthority {
    uint32 private immutable _minSetback;

    /**
     * @param initialAdmin the first ADMIN, normally the deploying key, which hands over with {transferAdmin}.
     * @param minSetback_ how long any change of a delay waits before it applies (OpenZeppelin's default is 5 days;
     * a local chain uses 0 so that delays set at deployment apply at once).
     */
    constructor(address initialAdmin, uint32 minSetback_) AccessManager(initialAdmin) {
        _minSetback = minSetback_;
    }

    /// @inheritdoc AccessManager
    function minSetback() public view override(AccessManager, IAccessManager) returns (uint32) {
        return _minSetback;
    }

    /// @inheritdoc IGovAuthority
    function grantRoles(uint64 roleId, address[] calldata accounts, uint32 executionDelay) external onlyAuthorized {
        if (roleId == GovRoles.PUBLIC || roleId == GovRoles.ADMIN) revert GovAuthorityRoleNotGrantable(roleId);
        uint32 grantDelay = getRoleGrantDelay(roleId);
        for (uint256 i = 0; i < accounts.length; ++i) {
            if (accounts[i] == address(0)) revert GovAuthorityZeroAccount(i);
            _grantRole(roleId, accounts[i], grantDelay, executionDelay);
        }
    }

    /// @inheritdoc IGovAuthority
    function transferAdmin(address newAdmin, uint32 executionDelay) external onlyAuthorized {
        if (newAdmin == address(0)) revert GovAuthorityZeroAccount(0);
        address caller = _msgSender();
        _grantRole(GovRoles.ADMIN, newAdmin, 0, executionDelay);
        if (caller != newAdmin && caller != address(this)) {
            _revokeRole(GovRoles.ADMIN, caller);
        }
        emit GovAuthorityAdminTransferred(caller, newAdmin, executionDelay);
    }
}
