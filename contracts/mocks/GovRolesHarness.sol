// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GovRoles} from "../governance/GovRoles.sol";

/// @dev Test-only: exposes the Solidity role catalogue so a test proves the TypeScript mirror agrees.
contract GovRolesHarness {
    function roles() external pure returns (uint64[11] memory ids) {
        ids = [
            GovRoles.ADMIN,
            GovRoles.REGISTRAR,
            GovRoles.ACCREDITOR,
            GovRoles.ISSUER,
            GovRoles.PUBLISHER,
            GovRoles.TAX_AUTHORITY,
            GovRoles.ARBITER,
            GovRoles.PAUSER,
            GovRoles.UPGRADER,
            GovRoles.RELAYER,
            GovRoles.PUBLIC
        ];
    }
}
