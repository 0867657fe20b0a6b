namespace Entice.Wire;

public static class ProtocolVersion
{
    /// <summary>The only version this build speaks; a hello with another one is refused.</summary>
    public const ushort Current = 1;
}
