// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GovServiceBase} from "../governance/GovServiceBase.sol";

/// @dev Test-only second version of SampleServiceV1: same namespace, one field appended, a new function.
/// @custom:oz-upgrades-from SampleServiceV1
contract SampleServiceV2 is GovServiceBase {
    /// @custom:storage-location erc7201:govchain.SampleService
    struct SampleStorage {
        uint256 value;
        address lastWriter;
        uint256 doubled;
    }

    bytes32 private constant SAMPLE_STORAGE = 0xb82dbaff6ea84fdfc2a0df3fc1903abeac7a71b2d697cc2125b24b99c38cb200;

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
    }

    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function value() external view returns (uint256) {
        return _sample().value;
    }

    function lastWriter() external view returns (address) {
        return _sample().lastWriter;
    }

    function double() external whenNotPaused {
        SampleStorage storage $ = _sample();
        $.doubled = $.value * 2;
    }

    function doubled() external view returns (uint256) {
        return _sample().doubled;
    }

    function _sample() internal pure returns (SampleStorage storage $) {
        assembly {
            $.slot := SAMPLE_STORAGE
        }
    }
}
