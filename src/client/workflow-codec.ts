/**
 * How a workflow's input, result and step results become the bytes Concord records, and back.
 * JSON by default; raw bytes for a serialized message. Part of `concord/client`.
 */

/** Turns a value into recorded bytes and back. `decode(encode(v))` is what a replay sees. */
export interface WorkflowCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * JSON as UTF-8 (the default). `undefined` is recorded as no bytes and read back as `undefined`;
 * a value JSON cannot hold comes back as JSON makes it (a `Date` as its ISO string), on the first
 * run as on a replay, since a step hands back the decoded record either way.
 */
export function jsonCodec<T>(): WorkflowCodec<T> {
  return {
    encode: (value) => {
      const json = JSON.stringify(value) as string | undefined;
      return json === undefined ? new Uint8Array(0) : utf8.encode(json);
    },
    decode: (bytes) => (bytes.length === 0 ? undefined : JSON.parse(text.decode(bytes))) as T,
  };
}

/** Raw bytes as they are: a serialized message, or a branch's response. */
export const bytesCodec: WorkflowCodec<Uint8Array> = {
  encode: (value) => value,
  decode: (bytes) => bytes,
};

/** UTF-8 text: how a failure's message is recorded. Internal to the SDK. */
export const textCodec: WorkflowCodec<string> = {
  encode: (value) => utf8.encode(value),
  decode: (bytes) => text.decode(bytes),
};
