using Entice.Crypto.Identity;

namespace Entice.Tests.Crypto;

public sealed class SafetyNumberSpecs
{
    [Fact]
    public void Both_sides_see_the_same_60_digits_and_a_swapped_key_changes_them()
    {
        using var alice = IdentityKeys.Create();
        using var bob = IdentityKeys.Create();
        using var mallory = IdentityKeys.Create();

        var atAlice = SafetyNumber.ForIdentities(alice.Public, "alice", bob.Public, "bob");
        var atBob = SafetyNumber.ForIdentities(bob.Public, "bob", alice.Public, "alice");
        var withMallory = SafetyNumber.ForIdentities(alice.Public, "alice", mallory.Public, "bob");

        Assert.Equal(atAlice, atBob);
        Assert.Matches("^[0-9]{60}$", atAlice);
        Assert.NotEqual(atAlice, withMallory);
        // The name is part of it too: the same keys under another name give another number.
        Assert.NotEqual(atAlice, SafetyNumber.ForIdentities(alice.Public, "alice", bob.Public, "bobby"));
    }

    [Fact]
    public void Format_shows_twelve_groups_of_five()
    {
        const string digits = "300354477692869396892869876765458257569162576843440918079131";

        Assert.Equal("30035 44776 92869 39689 28698 76765 45825 75691 62576 84344 09180 79131", SafetyNumber.Format(digits));
        Assert.Throws<ArgumentException>(() => SafetyNumber.Format(digits[..59]));
        Assert.Throws<ArgumentException>(() => SafetyNumber.Format(digits[..59] + "x"));
    }
}
