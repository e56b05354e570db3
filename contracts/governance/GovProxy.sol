// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

// The ERC1967 proxy every GovChain service sits behind; imported here so Hardhat builds its artifact for Ignition.
// solhint-disable-next-line no-unused-import
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
