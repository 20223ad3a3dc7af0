/**
 * The outbound policy at the door: every branch target a request brings is checked against the
 * policy in force before anything is stored, so a destination the coordinator will never call is
 * an INVALID_ARGUMENT naming its field, not a transaction retried for ever. Only static facts are
 * checked here (the rules are in protocol/outbound-policy.ts); the dispatcher checks again at
 * every call, after DNS. Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { parseTarget, splitAddress, type OutboundPolicy, type ResolveHost } from "../protocol/index.js";
import type { TransactionSpec } from "../model.js";
import type { BranchRegistration } from "../engine/index.js";
import { topicOfTarget } from "../engine/index.js";

/** What the API checks targets with. */
export interface TargetAdmission {
  /** The policy in force, read for every request (a configuration reload replaces it). */
  readonly policy: () => OutboundPolicy;
  /** Resolves the names that only address entries of the list can allow. */
  readonly resolve: ResolveHost;
}

/** A target and the request field that named it. */
export interface FieldTarget {
  readonly field: string;
  readonly target: string;
}

/**
 * The targets of a validated saga or msg body, with their fields named as validation names them:
 * `saga.steps[1].action` under `field` "saga", `steps[1].action` under "" (dtm's flat bodies).
 * Topic steps (`topic://…`) name no target: their subscribers were checked when they subscribed.
 */
export function specTargets(spec: TransactionSpec | undefined, field: string): FieldTarget[] {
  if (spec === undefined) return [];
  const at = (sub: string) => (field === "" ? sub : `${field}.${sub}`);
  const targets: FieldTarget[] = [];
  spec.steps.forEach((step, i) => {
    if (topicOfTarget(step.action) === undefined) targets.push({ field: at(`steps[${i}].action`), target: step.action });
    targets.push({ field: at(`steps[${i}].compensate`), target: step.compensate });
  });
  targets.push({ field: at("query_prepared"), target: spec.queryPrepared });
  return targets;
}

/** The targets of a validated branch registration, under the request's field names. */
export function registrationTargets(registration: BranchRegistration, fields: { readonly confirm: string; readonly cancel: string; readonly target: string }): FieldTarget[] {
  return registration.mode === "tcc"
    ? [
        { field: fields.confirm, target: registration.confirm },
        { field: fields.cancel, target: registration.cancel },
      ]
    : [{ field: fields.target, target: registration.target }];
}

/**
 * Refuse the first target (in request order) the policy refuses: INVALID_ARGUMENT naming its
 * field, saying why and which setting allows it; UNAVAILABLE when a name could not be resolved
 * to check it. Empty targets are no-ops and pass.
 */
export async function admitTargets(admission: TargetAdmission, targets: readonly FieldTarget[]): Promise<void> {
  const policy = admission.policy();
  // One check per destination, however many steps name it; in parallel, since some resolve names.
  const checks = new Map<string, ReturnType<OutboundPolicy["admit"]>>();
  const pending = targets.map(({ target }) => {
    const parsed = target === "" ? undefined : parseTarget(target);
    if (parsed === undefined) return Promise.resolve(undefined);
    let check = checks.get(parsed.address);
    if (check === undefined) {
      const { host, port } = splitAddress(parsed.address);
      check = policy.admit(host, port, admission.resolve);
      checks.set(parsed.address, check);
    }
    return check;
  });
  const refusals = await Promise.all(pending);
  for (const [i, refusal] of refusals.entries()) {
    if (refusal === undefined) continue;
    const { field, target } = targets[i]!;
    if (refusal.transient) throw new ConnectError(`${field}: ${refusal.reason}`, Code.Unavailable);
    throw new ConnectError(`${field}: "${target.slice(0, 200)}" is refused by the outbound policy: ${refusal.reason}`, Code.InvalidArgument);
  }
}
