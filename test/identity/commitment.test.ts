import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, hexlify, keccak256 } from "ethers";
import { idCommitment } from "../../src/identity/commitment";

describe("idCommitment", function () {
  it("equals keccak256(abi.encode(scheme, idNumber, salt)) for any strings and salt", function () {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.string(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (scheme, idNumber, bytes) => {
          const salt = hexlify(bytes);
          const reference = keccak256(
            AbiCoder.defaultAbiCoder().encode(["string", "string", "bytes32"], [scheme, idNumber, salt]),
          );
          expect(idCommitment(scheme, idNumber, salt)).to.equal(reference);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a salt that is not 32 bytes", function () {
    expect(() => idCommitment("national-id", "1", "0x1234")).to.throw("salt must be 32 bytes");
  });
});
