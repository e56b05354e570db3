// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @dev Test-only contract without `proxiableUUID`: an upgrade to it must be refused.
contract NotUUPSImplementation {
    function version() external pure returns (string memory) {
        return "0.0.0";
    }
}
