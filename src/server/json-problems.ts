/**
 * Name the field a JSON request body got wrong. Internal module.
 *
 * protobuf-es rejects an unknown key or enum name with the message type or the enum type
 * ("cannot decode enum concord.v1.Mode from JSON: \"MODE_FOO\""), not the field path a user
 * has to fix; this walks the body against the request's descriptor to find it.
 */
import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";

/**
 * The first unknown key or unknown enum name in `json` read as `desc`, as
 * `path: what is wrong` with proto field names (`options.retry.maxAttempt: unknown field`),
 * or undefined when neither is found (the problem is something else).
 */
export function findJsonProblem(desc: DescMessage, json: unknown, path = ""): string | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  // Well-known types have their own JSON forms (a Duration is "1.5s"); protobuf-es names them well.
  if (desc.typeName.startsWith("google.protobuf.")) return undefined;
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    const at = path === "" ? key : `${path}.${key}`;
    if (!field) {
      if (key.startsWith("[") && key.endsWith("]")) continue; // an extension; not ours to judge
      return `${at}: unknown field`;
    }
    const problem = fieldProblem(field, value, path === "" ? field.name : `${path}.${field.name}`);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(field: DescField, value: unknown, path: string): string | undefined {
  switch (field.fieldKind) {
    case "enum":
      return enumProblem(field.enum, value, path);
    case "message":
      return findJsonProblem(field.message, value, path);
    case "list":
      if (!Array.isArray(value)) return undefined;
      for (const [i, item] of value.entries()) {
        const problem =
          field.listKind === "enum" ? enumProblem(field.enum, item, `${path}[${i}]`) : field.listKind === "message" ? findJsonProblem(field.message, item, `${path}[${i}]`) : undefined;
        if (problem) return problem;
      }
      return undefined;
    case "map":
      if (typeof value !== "object" || value === null) return undefined;
      for (const [k, item] of Object.entries(value)) {
        const problem =
          field.mapKind === "enum" ? enumProblem(field.enum, item, `${path}["${k}"]`) : field.mapKind === "message" ? findJsonProblem(field.message, item, `${path}["${k}"]`) : undefined;
        if (problem) return problem;
      }
      return undefined;
    default:
      return undefined;
  }
}

function enumProblem(desc: DescEnum, value: unknown, path: string): string | undefined {
  if (typeof value !== "string" || desc.values.some((v) => v.name === value)) return undefined;
  // The zero value (`…_UNSPECIFIED`) means "not set": offering it as a choice would only lead to "required".
  const choices = desc.values.filter((v) => v.number !== 0).map((v) => v.name);
  return `${path}: unknown value ${JSON.stringify(value)}; expected one of ${choices.join(", ")}`;
}
