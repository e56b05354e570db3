// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GovServiceBase} from "../governance/GovServiceBase.sol";

/// @dev Test-only service used to prove the upgradeable base: a restricted write, an open write and a version.
contract SampleServiceV1 is GovServiceBase {
    /// @custom:storage-location erc7201:govchain.SampleService
    struct SampleStorage {
        uint256 value;
        address lastWriter;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.SampleService")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SAMPLE_STORAGE = 0xb82dbaff6ea84fdfc2a0df3fc1903abeac7a71b2d697cc2125b24b99c38cb200;

    event ValueSet(uint256 value, address writer);

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    /// @dev Restricted: wired to a role by the test.
    function setValue(uint256 newValue) external restricted whenNotPaused {
        _set(newValue);
    }

    /// @dev Open to anyone (an in-contract check would live here): still stops when paused.
    function poke() external whenNotPaused {
        _set(_sample().value + 1);
    }

    function value() external view returns (uint256) {
        return _sample().value;
    }

    function lastWriter() external view returns (address) {
        return _sample().lastWriter;
    }

    function _set(uint256 v) internal {
        SampleStorage storage $ = _sample();
        $.value = v;
        $.lastWriter = msg.sender;
        emit ValueSet(v, msg.sender);
    }

    function _sample() internal pure returns (SampleStorage storage $) {
        assembly {
            $.slot := SAMPLE_STORAGE
        }
    }
}
