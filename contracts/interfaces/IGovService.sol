// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * @title IGovService
 * @notice What every GovChain service exposes to operators: its version, and an emergency stop.
 * @dev Services are UUPS proxies managed by the network's GovAuthority: `pause` is wired to PAUSER, `unpause` to
 * ADMIN and `upgradeToAndCall` to UPGRADER (with its execution delay).
 */
interface IGovService {
    /// @notice The semantic version of the implementation behind the proxy, e.g. "1.0.0".
    function version() external view returns (string memory);

    /// @notice Stops every state-changing operation of this service. Restricted (PAUSER).
    function pause() external;

    /// @notice Resumes the service. Restricted (ADMIN).
    function unpause() external;
}
