import { describe, expect, it } from "vitest";
import { createLease, LeaseExpiringError } from "./lease.js";

/** A lease over a clock the test moves by hand. */
function leaseAt(leaseMs = 9_000) {
  let clock = 1_000;
  const lease = createLease({ owner: "me", leaseMs, now: () => clock });
  return { lease, advance: (ms: number) => (clock += ms), at: () => clock };
}

describe("the lease", () => {
  it("holds for a lease length from when the statement that took it was sent, not from its answer", () => {
    const { lease, advance, at } = leaseAt();
    const sentAt = at();
    advance(400); // the round trip
    lease.taken("g", sentAt);
    expect(lease.remaining("g")).toBe(8_600);
  });

  it("is renewed from the renewal's send time, and only for gids still tracked", () => {
    const { lease, advance, at } = leaseAt();
    lease.taken("g", at());
    advance(5_000);
    const sentAt = at();
    advance(100);
    lease.renewed(["g", "finished-meanwhile"], sentAt);
    expect(lease.remaining("g")).toBe(8_900);
    expect(lease.held()).toEqual(["g"]);
  });

  it("never moves back when an older renewal's answer arrives after a newer one", () => {
    const { lease, advance, at } = leaseAt();
    const older = at();
    advance(3_000);
    lease.taken("g", at());
    lease.renewed(["g"], older);
    expect(lease.remaining("g")).toBe(9_000);
  });

  it("lets a call through only while the lease surely outlasts it, or half a lease for longer calls", () => {
    const { lease, advance, at } = leaseAt(10_000);
    lease.taken("g", at());
    expect(() => lease.assertCovers("g", 3_000)).not.toThrow();
    advance(7_500); // 2.5 s left
    expect(() => lease.assertCovers("g", 3_000)).toThrow(LeaseExpiringError);
    expect(() => lease.assertCovers("g", 2_000)).not.toThrow();
    // A call longer than the lease itself needs half a lease left (renewals come every third).
    expect(() => lease.assertCovers("g", 60_000)).toThrow(LeaseExpiringError);
  });

  it("lets a call longer than the lease through while at least half a lease remains", () => {
    const { lease, advance, at } = leaseAt(10_000);
    lease.taken("g", at());
    advance(4_000); // 6 s left: renewals (every third of a lease) will keep it ahead of the call
    expect(() => lease.assertCovers("g", 60_000)).not.toThrow();
    advance(1_500); // 4.5 s left: below half a lease
    expect(() => lease.assertCovers("g", 60_000)).toThrow(LeaseExpiringError);
  });

  it("forgets a dropped gid: no time left, no renewal", () => {
    const { lease, at } = leaseAt();
    lease.taken("g", at());
    lease.dropped("g");
    expect(lease.held()).toEqual([]);
    expect(lease.remaining("g")).toBeLessThan(0);
    expect(() => lease.assertCovers("g", 1)).toThrow(LeaseExpiringError);
  });
});
