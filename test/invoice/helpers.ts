import hre, { ethers } from "hardhat";
import { encodeBytes32String } from "ethers";
import { deployPlatform } from "../../src/platform";
import { SubjectType } from "../../src/identity/constants";
import { idCommitment, randomSalt } from "../../src/identity/commitment";
import { registerDid } from "../../src/identity/registration";
import { Capability, invoicesInReceipt, type Invoice, type InvoiceTerms } from "../../src/invoice/model";
import type { InvoiceRegistry } from "../../typechain-types";
import localParameters from "../../ignition/parameters/local.json";

export const CNY = 156;
export const TZ_CHINA = 8 * 3600;

/**
 * The invoice platform as a city runs it: the registrar has registered the organizations' DIDs, the tax bureau has
 * registered sellers and reimbursing organizations, allowed a 2-decimal e-CNY token, set the time zone to UTC+8 and
 * a one-day void window. Test files build their own named fixture on this.
 */
export async function setupInvoicePlatform() {
  const signers = await ethers.getSigners();
  const [admin, registrar, , , , taxBureau, , pauser] = signers;
  const [seller, otherSeller, buyer, employer, agency, citizen, financier, outsider] = signers.slice(10);
  const platform = await deployPlatform(hre, localParameters);
  const { didRegistry, invoiceRegistry: registry } = platform;
  const register = (did: string, subjectType: SubjectType) =>
    registerDid(didRegistry.connect(registrar), {
      did,
      subjectType,
      idCommitment: idCommitment("uscc", did, randomSalt()),
    });
  for (const org of [seller, otherSeller, buyer, employer]) await register(org.address, SubjectType.Organization);
  await register(agency.address, SubjectType.Agency);
  await register(citizen.address, SubjectType.Citizen);
  const tax = registry.connect(taxBureau);
  await tax.registerParticipant(seller, Capability.SELLER);
  await tax.registerParticipant(otherSeller, Capability.SELLER);
  await tax.registerParticipant(buyer, Capability.SELLER | Capability.REIMBURSER);
  await tax.registerParticipant(employer, Capability.REIMBURSER);
  await tax.registerParticipant(agency, Capability.REIMBURSER);
  await tax.setSettings(TZ_CHINA, 24 * 3600);

  const token = await ethers.deployContract("ERC20Mock", ["Digital yuan", "e-CNY", 2]);
  await tax.setPaymentToken(token, CNY, 1);
  for (const account of [buyer, citizen, employer, financier]) {
    await token.mint(account, 10_000_000_00n);
    await token.connect(account).approve(registry, ethers.MaxUint256);
  }

  let counter = 0;
  const terms = async (overrides: Partial<InvoiceTerms> = {}): Promise<InvoiceTerms> => ({
    buyer: buyer.address,
    number: encodeBytes32String(`4403-2026-${String(++counter).padStart(8, "0")}`),
    amount: 100_000_00n, // 100,000.00 CNY
    tax: 13_000_00n, // 13% VAT
    currency: CNY,
    issueDate: BigInt(await timeNow()),
    dueDate: 0n,
    documentHash: ethers.id(`invoice document ${counter}`),
    ...overrides,
  });
  return {
    ...platform,
    registry,
    didRegistry,
    token,
    admin,
    registrar,
    taxBureau,
    pauser,
    seller,
    otherSeller,
    buyer,
    employer,
    agency,
    citizen,
    financier,
    outsider,
    terms,
  };
}

export async function timeNow(): Promise<number> {
  return (await ethers.provider.getBlock("latest"))!.timestamp;
}

/** Issues `terms` from `registry`'s signer; returns the id and the recorded invoice (from the event). */
export async function issued(
  registry: InvoiceRegistry,
  terms: InvoiceTerms,
): Promise<{ id: bigint; invoice: Invoice }> {
  const receipt = (await (await registry.issue(terms)).wait())!;
  return invoicesInReceipt(registry, receipt.logs)[0];
}
