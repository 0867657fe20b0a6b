using System.Text;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// A stable colour per person: the same name gets the same palette slot on every run and every machine
/// (FNV-1a over the UTF-8 name, not <see cref="string.GetHashCode()"/>, which is randomised per process).
/// </summary>
public static class NameColors
{
    public static int IndexFor(string name, int paletteSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(paletteSize, 1);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)paletteSize);
    }
}
