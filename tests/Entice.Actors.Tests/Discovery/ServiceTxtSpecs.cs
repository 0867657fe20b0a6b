using Entice.Channels;
using Entice.Discovery;

namespace Entice.Tests.Discovery;

/// <summary>Issue 14: a TXT record from the network is read strictly; garbage or oversized ones are rejected whole.</summary>
public sealed class ServiceTxtSpecs
{
    private const string Fp = "3f2a91c00b175e44a0d26c198e3b7f0012abcdef";

    [Fact]
    public void What_is_built_reads_back_the_same()
    {
        var key = ServerFingerprint.Parse(Fp);

        Assert.Equal(new ServiceTxt.Contents(1, key), ServiceTxt.Read(ServiceTxt.Build(1, key)));
        Assert.Equal(new ServiceTxt.Contents(1, null), ServiceTxt.Read(ServiceTxt.Build(1, null)));
    }

    [Fact]
    public void A_version_and_a_fingerprint_are_read_and_unknown_keys_ignored()
    {
        Assert.Equal(new ServiceTxt.Contents(1, ServerFingerprint.Parse(Fp)), ServiceTxt.Read(["v=1", "fp=" + Fp, "future=yes"]));
        Assert.Equal(new ServiceTxt.Contents(1, ServerFingerprint.Parse(Fp)), ServiceTxt.Read(["v=1", "fp=" + Fp.ToUpperInvariant()]));
        Assert.Equal(new ServiceTxt.Contents(1, null), ServiceTxt.Read(["v=1"]));
    }

    public static TheoryData<string[]> Garbage => new()
    {
        new[] { "fp=" + Fp },                               // no version
        new[] { "v=one" },
        new[] { "v=70000" },                                // not a version number
        new[] { "v=1", "v=1" },                             // a key twice
        new[] { "v=1", "fp=ab:cd" },                        // not a channel key fingerprint
        new[] { "v=1", "fp=3f2a 91c0 0b17 5e44 a0d2 6c19 8e3b 7f00 12ab cdef" }, // the spaced form: not what a relay announces
        new[] { "v=1", "fp=" + Fp[..^1] },                  // one digit short
        new[] { "v=1", "fp=" + Fp + "0" },                  // one digit more
        new[] { "v=1", "fp=" + Fp[..^1] + "g" },            // not hex
        new[] { "v=1", "fp=" },                             // empty
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
