"""A buf (protoc plugin protocol) front for the gRPC Python generator of grpcio-tools.

grpcio-tools links the generator into its own protoc (`python -m grpc_tools.protoc
--grpc_python_out=…`) and ships no `protoc-gen-grpc_python` executable, and buf's `protoc_builtin`
only drives generators that every protoc has. So: read buf's CodeGeneratorRequest, hand its
descriptors to grpc_tools' protoc, and return what it wrote as a CodeGeneratorResponse.
Run with the venv's python (`make tools` creates .bin/venv with pinned grpcio-tools).
"""
import os
import sys
import tempfile

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2
from grpc_tools import protoc


def main() -> int:
    request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
    response = plugin_pb2.CodeGeneratorResponse(
        supported_features=plugin_pb2.CodeGeneratorResponse.FEATURE_PROTO3_OPTIONAL
    )
    with tempfile.TemporaryDirectory() as tmp:
        descriptors = os.path.join(tmp, "input.binpb")
        with open(descriptors, "wb") as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=request.proto_file).SerializeToString())
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        parameter = f"{request.parameter}:" if request.parameter else ""
        code = protoc.main(
            ["grpc_tools.protoc", f"--descriptor_set_in={descriptors}", f"--grpc_python_out={parameter}{out}", *request.file_to_generate]
        )
        if code != 0:
            response.error = f"grpc_tools.protoc exited with {code}"
        else:
            for root, _, files in sorted(os.walk(out)):
                for name in sorted(files):
                    path = os.path.join(root, name)
                    with open(path, encoding="utf-8") as f:
                        response.file.add(name=os.path.relpath(path, out), content=f.read())
    sys.stdout.buffer.write(response.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
