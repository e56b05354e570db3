// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only: an ERC-20 that, once armed, calls `hookTarget` with `data` in the middle of every transfer (a
/// malicious or hooked token trying to re-enter the escrow). The outcome of the re-entry is recorded.
contract ReentrantERC20Mock is ERC20 {
    address public hookTarget;
    bytes public data;
    bool public reentered;
    bytes public reentryResult;

    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address hookTarget_, bytes calldata data_) external {
        hookTarget = hookTarget_;
        data = data_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address t = hookTarget;
        if (t != address(0) && from != address(0) && to != address(0)) {
            hookTarget = address(0); // once
            (bool ok, bytes memory result) = t.call(data);
            reentered = ok;
            reentryResult = result;
        }
    }
}
