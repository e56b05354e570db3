import { expect } from "chai";
import { decodeRlp, getAddress } from "ethers";
import { cliqueGenesis, qbftGenesis, testAccount } from "../../src/chain/genesis";

// Pure functions: no chain, so no fixture is needed.
const sealers = [testAccount(102).address, testAccount(100).address, testAccount(101).address];
const options = { chainId: 2026, sealers, alloc: { [testAccount(0).address]: 10n ** 21n }, blockPeriod: 2 };

describe("genesis generator", function () {
  it("writes a Clique genesis with the sealers, sorted, between vanity and seal", function () {
    const g = cliqueGenesis(options);
    expect(g.config.clique).to.deep.equal({ period: 2, epoch: 30000 });
    expect(g.config.londonBlock).to.equal(0);
    expect(g.config).to.not.have.property("shanghaiTime");
    const body = g.extradata.slice(2 + 64, -130);
    const inGenesis = body.match(/.{40}/g)!.map((a) => getAddress("0x" + a));
    expect(inGenesis).to.deep.equal([...sealers].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(g.alloc[testAccount(0).address.slice(2).toLowerCase()].balance).to.equal("0x3635c9adc5dea00000");
  });

  it("writes a Besu QBFT genesis whose extraData is RLP(vanity, validators, no vote, round 0, no seals)", function () {
    const g = qbftGenesis(options);
    expect(g.config.qbft.blockperiodseconds).to.equal(2);
    expect(g.config.zeroBaseFee).to.equal(true);
    const [vanity, validators, votes, round, seals] = decodeRlp(g.extraData) as [
      string,
      string[],
      string[],
      string,
      string[],
    ];
    expect(vanity).to.equal("0x" + "00".repeat(32));
    expect(validators.map((v) => getAddress(v))).to.deep.equal(sealers);
    expect(votes).to.deep.equal([]);
    expect(round).to.equal("0x");
    expect(seals).to.deep.equal([]);
  });
});
