import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import { GovAuthority__factory } from "../../typechain-types";

export interface UpgradeRequest {
  /** The service proxy to upgrade. */
  proxy: string;
  /** The contract name of the implementation running now (its storage layout is the reference). */
  fromContract: string;
  /** The contract name of the new implementation. */
  toContract: string;
  /** An account holding UPGRADER. */
  upgrader: Signer;
}

export type UpgradeOutcome =
  | { status: "upgraded"; implementation: string; txHash: string }
  | { status: "scheduled"; implementation: string; operationId: string; executableAt: bigint };

/**
 * Upgrades one service through its authority, the only way GovChain upgrades: validates the storage layout of the
 * new implementation against the current one (offline, OpenZeppelin upgrades-core), deploys it, then either
 * upgrades at once (UPGRADER without delay) or schedules the upgrade for when the delay has passed.
 * Run it again after the delay with `implementation` set to finish a scheduled upgrade.
 */
export async function upgradeService(
  hre: HardhatRuntimeEnvironment,
  request: UpgradeRequest & { implementation?: string },
): Promise<UpgradeOutcome> {
  const { ethers, upgrades } = hre;
  const fromFactory = await ethers.getContractFactory(request.fromContract);
  const toFactory = await ethers.getContractFactory(request.toContract, request.upgrader);
  await upgrades.validateUpgrade(fromFactory, toFactory, { kind: "uups" });

  const authorityAddress: string = await (
    await ethers.getContractAt("AccessManagedUpgradeable", request.proxy)
  ).authority();
  const authority = GovAuthority__factory.connect(authorityAddress, request.upgrader);

  let implementation = request.implementation;
  if (!implementation) {
    const deployed = await toFactory.deploy();
    await deployed.waitForDeployment();
    implementation = await deployed.getAddress();
  }
  const data = (await ethers.getContractAt("UUPSUpgradeable", request.proxy)).interface.encodeFunctionData(
    "upgradeToAndCall",
    [implementation, "0x"],
  );
  const upgraderAddress = await request.upgrader.getAddress();
  const [allowed, delay] = await authority.canCall(upgraderAddress, request.proxy, data.slice(0, 10));
  if (allowed) {
    const tx = await request.upgrader.sendTransaction({ to: request.proxy, data });
    await tx.wait();
    return { status: "upgraded", implementation, txHash: tx.hash };
  }
  if (delay === 0n) {
    throw new Error(`${upgraderAddress} may not upgrade ${request.proxy}: it does not hold UPGRADER`);
  }
  const operationId = await authority.hashOperation(upgraderAddress, request.proxy, data);
  const scheduledAt = await authority.getSchedule(operationId);
  if (scheduledAt === 0n) {
    const tx = await authority.schedule(request.proxy, data, 0);
    await tx.wait();
    return { status: "scheduled", implementation, operationId, executableAt: await authority.getSchedule(operationId) };
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  if (now < scheduledAt) return { status: "scheduled", implementation, operationId, executableAt: scheduledAt };
  const tx = await authority.execute(request.proxy, data);
  await tx.wait();
  return { status: "upgraded", implementation, txHash: tx.hash };
}
