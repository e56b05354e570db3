// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title PackedDIDRecord
 * @notice A DID's state in one 256-bit word, so that every change costs one storage read and one write:
 * bits 0–159 controller (0 = the DID itself), 160–191 version, 192–239 block of the last change,
 * 240–247 subject type, 248 deactivated.
 */
library PackedDIDRecord {
    uint256 private constant ADDRESS_MASK = type(uint160).max;
    uint256 private constant VERSION_SHIFT = 160;
    uint256 private constant LAST_CHANGE_SHIFT = 192;
    uint256 private constant SUBJECT_TYPE_SHIFT = 240;
    uint256 private constant DEACTIVATED_BIT = 1 << 248;
    uint256 private constant CHANGE_MASK = ((1 << 80) - 1) << VERSION_SHIFT; // version and last change together

    function pack(
        address controller_,
        uint32 version_,
        uint48 lastChange_,
        uint8 subjectType_
    ) internal pure returns (uint256) {
        return
            uint256(uint160(controller_)) |
            (uint256(version_) << VERSION_SHIFT) |
            (uint256(lastChange_) << LAST_CHANGE_SHIFT) |
            (uint256(subjectType_) << SUBJECT_TYPE_SHIFT);
    }

    /// @dev The controller, with "0 = the DID itself" resolved.
    function controllerOf(uint256 word, address did) internal pure returns (address controller) {
        controller = address(uint160(word));
        if (controller == address(0)) controller = did;
    }

    function version(uint256 word) internal pure returns (uint32) {
        return uint32(word >> VERSION_SHIFT);
    }

    function lastChange(uint256 word) internal pure returns (uint48) {
        return uint48(word >> LAST_CHANGE_SHIFT);
    }

    function subjectType(uint256 word) internal pure returns (uint8) {
        return uint8(word >> SUBJECT_TYPE_SHIFT);
    }

    function deactivated(uint256 word) internal pure returns (bool) {
        return word & DEACTIVATED_BIT != 0;
    }

    function withController(uint256 word, address controller) internal pure returns (uint256) {
        return (word & ~ADDRESS_MASK) | uint256(uint160(controller));
    }

    function withDeactivated(uint256 word) internal pure returns (uint256) {
        return word | DEACTIVATED_BIT;
    }

    /// @dev The word of the next version, changed in `blockNumber`. Version wraps only after 2**32 changes, which at
    /// one change per block outlasts any chain; it is checked anyway.
    function withChange(uint256 word, uint32 newVersion, uint48 blockNumber) internal pure returns (uint256) {
        return
            (word & ~CHANGE_MASK) |
            (uint256(newVersion) << VERSION_SHIFT) |
            (uint256(blockNumber) << LAST_CHANGE_SHIFT);
    }
}
