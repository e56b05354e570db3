// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GovServiceBase} from "../governance/GovServiceBase.sol";

/// @dev Test-only broken upgrade of SampleServiceV1: a field inserted before existing ones shifts the layout.
/// @custom:oz-upgrades-from SampleServiceV1
contract SampleServiceBadLayout is GovServiceBase {
    /// @custom:storage-location erc7201:govchain.SampleService
    struct SampleStorage {
        address inserted;
        uint256 value;
        address lastWriter;
    }

    bytes32 private constant SAMPLE_STORAGE = 0xb82dbaff6ea84fdfc2a0df3fc1903abeac7a71b2d697cc2125b24b99c38cb200;

    function initialize(address authority) external initializer {
        __GovServiceBase_init(authority);
    }

    function version() external pure returns (string memory) {
        return "9.9.9";
    }

    function value() external view returns (uint256) {
        return _sample().value;
    }

    function _sample() internal pure returns (SampleStorage storage $) {
        assembly {
            $.slot := SAMPLE_STORAGE
        }
    }
}
