import type { IgnitionModuleBuilder, ArgumentType } from "@nomicfoundation/ignition-core";

/**
 * Deploys a GovChain service the one way every service is deployed: its implementation, an ERC1967 proxy that
 * runs `initialize(initArgs)` in the same transaction (so no one can front-run the initializer), and the
 * service's ABI at the proxy address.
 */
export function deployService(m: IgnitionModuleBuilder, name: string, initArgs: ArgumentType[]) {
  const implementation = m.contract(name, [], { id: `${name}Implementation` });
  const initData = m.encodeFunctionCall(implementation, "initialize", initArgs, { id: `${name}InitData` });
  const proxy = m.contract("ERC1967Proxy", [implementation, initData], { id: `${name}Proxy` });
  return m.contractAt(name, proxy, { id: name });
}
