// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IGovService} from "../interfaces/IGovService.sol";

/**
 * @title GovServiceBase
 * @notice The upgradeable base of every GovChain service: UUPS behind an ERC1967 proxy, access through the
 * network's GovAuthority, an emergency stop, and a guarded initializer. Every inherited module keeps its state in
 * ERC-7201 namespaces, and so must each service (`@custom:storage-location erc7201:govchain.<Service>`).
 * @dev The implementation locks its own initializers in the constructor, so only the proxy can be initialized.
 */
abstract contract GovServiceBase is
    Initializable,
    UUPSUpgradeable,
    AccessManagedUpgradeable,
    PausableUpgradeable,
    IGovService
{
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // solhint-disable-next-line func-name-mixedcase
    function __GovServiceBase_init(address authority) internal onlyInitializing {
        __AccessManaged_init(authority);
        __Pausable_init();
    }

    /// @inheritdoc IGovService
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IGovService
    function unpause() external restricted {
        _unpause();
    }

    /// @dev Upgrades are decided by the authority: the permission is that of `upgradeToAndCall`, the entry point.
    function _authorizeUpgrade(address) internal override restricted {}
}
