/**
 * gRPC server reflection, v1 and v1alpha (grpcurl still asks v1alpha first on some versions),
 * so grpcurl and similar tools list, describe and call Concord's methods with no local .proto
 * files. Internal module.
 *
 * What is described is exactly what the router serves: the index is built from the router's
 * handlers on the first request, so a service added to the routes shows up with no list to
 * keep in sync here.
 */
import { create, toBinary, type DescEnum, type DescExtension, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";

/** A reflection request with the version-specific message types taken off. */
type ReflectionQuery =
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

/** A reflection answer as plain init data, valid for both versions' response schemas. */
type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

interface ReflectionIndex {
  readonly services: readonly string[];
  readonly filesByName: ReadonlyMap<string, DescFile>;
  /** Fully-qualified symbol (message, field, enum, enum value, service, method, extension) → file. */
  readonly fileBySymbol: ReadonlyMap<string, DescFile>;
  /** Extendee type name → its extensions. */
  readonly extensionsOf: ReadonlyMap<string, readonly DescExtension[]>;
  readonly messageTypes: ReadonlySet<string>;
}

/**
 * Register `grpc.reflection.v1.ServerReflection` and `grpc.reflection.v1alpha.ServerReflection`.
 * The index is read from `router.handlers` at the first request, so services registered
 * before or after this call are all described.
 */
export function registerReflection(router: ConnectRouter): void {
  let index: ReflectionIndex | undefined;
  const answer = (query: ReflectionQuery): ReflectionAnswer => answerQuery((index ??= buildIndex(router)), query);

  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        const messageResponse = answer(request.messageRequest);
        yield create(v1.ServerReflectionResponseSchema, { validHost: request.host, originalRequest: request, messageResponse });
      }
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        const messageResponse = answer(request.messageRequest);
        yield create(v1alpha.ServerReflectionResponseSchema, { validHost: request.host, originalRequest: request, messageResponse });
      }
    },
  });
}

function answerQuery(index: ReflectionIndex, query: ReflectionQuery): ReflectionAnswer {
  switch (query.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.services.map((name) => ({ name })) } };
    case "fileByFilename": {
      const file = index.filesByName.get(query.value);
      return file ? fileAnswer(file) : notFound(`file "${query.value}" not found`);
    }
    case "fileContainingSymbol": {
      const file = index.fileBySymbol.get(stripLeadingDot(query.value));
      return file ? fileAnswer(file) : notFound(`symbol "${query.value}" not found`);
    }
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = query.value;
      const ext = index.extensionsOf.get(stripLeadingDot(containingType))?.find((e) => e.number === extensionNumber);
      return ext ? fileAnswer(ext.file) : notFound(`extension ${extensionNumber} of "${containingType}" not found`);
    }
    case "allExtensionNumbersOfType": {
      const type = stripLeadingDot(query.value);
      if (!index.messageTypes.has(type)) return notFound(`type "${query.value}" not found`);
      const numbers = (index.extensionsOf.get(type) ?? []).map((e) => e.number);
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: type, extensionNumber: numbers } };
    }
    case undefined:
      return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } };
  }
}

/**
 * The file first, then every file it imports, transitively: a client cannot build the
 * descriptor without them (google/protobuf/duration.proto and so on), and sending them all
 * at once saves it a round trip per import.
 */
function fileAnswer(file: DescFile): ReflectionAnswer {
  const files = [file, ...transitiveDependencies(file)];
  return {
    case: "fileDescriptorResponse",
    value: { fileDescriptorProto: files.map((f) => toBinary(FileDescriptorProtoSchema, f.proto)) },
  };
}

function notFound(errorMessage: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage } };
}

function stripLeadingDot(name: string): string {
  return name.startsWith(".") ? name.slice(1) : name;
}

function transitiveDependencies(file: DescFile): DescFile[] {
  const seen = new Set<DescFile>([file]);
  const out: DescFile[] = [];
  const visit = (f: DescFile) => {
    for (const dep of f.dependencies) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      out.push(dep);
      visit(dep);
    }
  };
  visit(file);
  return out;
}

function buildIndex(router: ConnectRouter): ReflectionIndex {
  const services = new Set<string>();
  const filesByName = new Map<string, DescFile>();
  const fileBySymbol = new Map<string, DescFile>();
  const extensionsOf = new Map<string, DescExtension[]>();
  const messageTypes = new Set<string>();

  const addExtension = (ext: DescExtension) => {
    fileBySymbol.set(ext.typeName, ext.file);
    const list = extensionsOf.get(ext.extendee.typeName) ?? [];
    list.push(ext);
    extensionsOf.set(ext.extendee.typeName, list);
  };
  const addEnum = (file: DescFile, e: DescEnum) => {
    fileBySymbol.set(e.typeName, file);
    // Enum values are scoped like siblings of their enum, not children of it (protobuf rule).
    const scope = e.typeName.slice(0, Math.max(0, e.typeName.lastIndexOf(".")));
    for (const value of e.values) fileBySymbol.set(scope ? `${scope}.${value.name}` : value.name, file);
  };
  const addMessage = (file: DescFile, m: DescMessage) => {
    fileBySymbol.set(m.typeName, file);
    messageTypes.add(m.typeName);
    for (const f of m.fields) fileBySymbol.set(`${m.typeName}.${f.name}`, file);
    for (const nested of m.nestedMessages) addMessage(file, nested);
    for (const e of m.nestedEnums) addEnum(file, e);
    for (const ext of m.nestedExtensions) addExtension(ext);
  };
  const addFile = (file: DescFile) => {
    if (filesByName.has(file.proto.name)) return;
    filesByName.set(file.proto.name, file);
    for (const m of file.messages) addMessage(file, m);
    for (const e of file.enums) addEnum(file, e);
    for (const ext of file.extensions) addExtension(ext);
    for (const s of file.services) {
      fileBySymbol.set(s.typeName, file);
      for (const method of s.methods) fileBySymbol.set(`${s.typeName}.${method.name}`, file);
    }
    for (const dep of file.dependencies) addFile(dep);
  };

  for (const handler of router.handlers) {
    services.add(handler.service.typeName);
    addFile(handler.service.file);
  }
  return { services: [...services].sort(), filesByName, fileBySymbol, extensionsOf, messageTypes };
}
