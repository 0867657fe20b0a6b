using Entice.Discovery;

namespace Entice.Tests.Discovery;

/// <summary>Issue 14: a TXT record from the network is read strictly; garbage or oversized ones are rejected whole.</summary>
public sealed class ServiceTxtSpecs
{
    [Fact]
    public void A_version_and_a_fingerprint_are_read_and_unknown_keys_ignored()
    {
        Assert.Equal(new ServiceTxt.Contents(1, "ab:cd"), ServiceTxt.Read(["v=1", "fp=ab:cd", "future=yes"]));
        Assert.Equal(new ServiceTxt.Contents(1, null), ServiceTxt.Read(["v=1"]));
    }

    public static TheoryData<string[]> Garbage => new()
    {
        new[] { "fp=ab" },                                  // no version
        new[] { "v=one" },
        new[] { "v=70000" },                                // not a version number
        new[] { "v=1", "v=1" },                             // a key twice
        new[] { "v=1", "fp=ab cd" },                        // not a fingerprint
        new[] { "v=1", "fp=" + new string('a', 129) },      // fingerprint too long
        new[] { "v=1", "note=\u001b[2J" },                  // control characters
        new[] { "v=1", "note=caf\u00e9" },                  // not ASCII
        new[] { "v=1", "x=" + new string('a', 250), "y=" + new string('a', 250), "z=" + new string('a', 250) }, // oversized
        Enumerable.Range(0, 17).Select(i => $"k{i}=1").Prepend("v=1").ToArray(), // too many strings
        Array.Empty<string>(),
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_rejected_whole(string[] strings)
    {
        Assert.Null(ServiceTxt.Read(strings));
    }
}
