namespace ClusterManagement.Emulator.Protobuf;

/// <summary>A protobuf body that cannot be decoded; the message is worded as the Go decoder words it.</summary>
public sealed class ProtobufFormatException(string message, Exception? inner = null) : Exception(message, inner);
