// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/// @dev Test-only agency contract that checks a credential before acting, recording what the check cost.
contract CredentialConsumerMock {
    ICredentialRegistry public immutable registry;
    uint256 public lastVerifyGas;
    ICredentialRegistry.CredentialStatus public lastStatus;

    constructor(ICredentialRegistry registry_) {
        registry = registry_;
    }

    function check(address issuer, ICredentialRegistry.CredentialInput calldata credential) external {
        uint256 before = gasleft();
        ICredentialRegistry.CredentialStatus status = registry.verify(issuer, credential);
        lastVerifyGas = before - gasleft();
        lastStatus = status;
    }
}
