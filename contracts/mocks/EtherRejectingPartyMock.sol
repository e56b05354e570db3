// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Test-only: a party (say a supplier's contract wallet) that can call anything but refuses ether.
contract EtherRejectingPartyMock {
    error EtherRejectingPartyMockRefused();

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }

    receive() external payable {
        revert EtherRejectingPartyMockRefused();
    }
}
